/*
 * in_dir.h — run a tests/guest file-system program in the directory given
 * as argv[1] (a volume under pith, a copy of it natively). Include after
 * the program, which was included with main renamed prog_main.
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2 || chdir(argv[1]) != 0) {
		perror("chdir");
		return 3;
	}
	return prog_main();
}
