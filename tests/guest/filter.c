/* filter.c — a stdin filter: number each line, report its length, write
 * it reversed with the case of letters swapped; lines of any length, a
 * last line without a newline; totals at the end (on stderr too). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

int main(void)
{
	char *line = NULL;
	size_t cap = 0, lines = 0, bytes = 0, longest = 0;
	unsigned long sum = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) != -1) {
		int nl = n > 0 && line[n - 1] == '\n';
		size_t len = (size_t)n - nl;

		lines++;
		bytes += (size_t)n;
		if (len > longest)
			longest = len;
		printf("%5zu %5zu%s ", lines, len, nl ? "" : " (no newline)");
		for (size_t i = len; i-- > 0;) {
			int c = (unsigned char)line[i];
			sum = sum * 33 + (unsigned)c;
			putchar(isupper(c) ? tolower(c) : islower(c) ? toupper(c) : c);
		}
		putchar('\n');
	}
	free(line);
	if (ferror(stdin)) {
		perror("stdin");
		return 1;
	}
	printf("lines=%zu bytes=%zu longest=%zu hash=%016lx\n", lines, bytes, longest, sum);
	fprintf(stderr, "filter: %zu lines\n", lines);
	return 0;
}
