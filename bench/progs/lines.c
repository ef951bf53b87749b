/*
 * lines.c — print N lines (default 10000) to stdout. bench/run runs it on
 * hvt with stdout on /dev/null and counts the monitor's exits (pith run
 * -v): the cost of output in the currency that carries across hosts.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000;

	for (int i = 0; i < n; i++)
		printf("line %d of %d\n", i + 1, n);
	return 0;
}
