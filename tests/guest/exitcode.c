/* exitcode.c — how the program ends: exitcode HOW N, HOW being return
 * (from main), exit, _exit or Exit (_Exit). Buffered output is flushed
 * by return and exit, and lost by _exit and _Exit, as on Linux. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s return|exit|_exit|Exit N\n", argv[0]);
		return 2;
	}
	int n = atoi(argv[2]);

	printf("ending with %s(%d)\n", argv[1], n);
	if (!strcmp(argv[1], "exit"))
		exit(n);
	if (!strcmp(argv[1], "_exit"))
		_exit(n);
	if (!strcmp(argv[1], "Exit"))
		_Exit(n);
	return n;
}
