/* separate.c — stdout and stderr stay separate streams: interleaved
 * writes through stdio (line-buffered, unbuffered, full) and write(2). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void wr(int fd, const char *s)
{
	write(fd, s, strlen(s));
}

int main(void)
{
	char buf[64];

	for (int i = 0; i < 200; i++) {
		snprintf(buf, sizeof(buf), "out %d\n", i);
		wr(1, buf);
		snprintf(buf, sizeof(buf), "err %d\n", i);
		wr(2, buf);
		if (i % 17 == 0) {
			wr(1, "partial ");
			wr(2, "partial-err ");
			wr(1, "line\n");
			wr(2, "line\n");
		}
	}
	printf("stdio out 1\n");
	fprintf(stderr, "stdio err 1\n");
	fflush(stdout);
	for (int i = 0; i < 2000; i++) {
		printf("o%d ", i);
		fprintf(stderr, "e%d ", i);
		if (i % 100 == 99) {
			fflush(stdout);
			putchar('\n');
			fputc('\n', stderr);
		}
	}
	fputs("done\n", stdout);
	fputs("done\n", stderr);
	return 0;
}
