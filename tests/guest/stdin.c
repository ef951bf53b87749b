/* stdin.c — all of stdin read with read(2) in sizes from 1 byte to 1 MiB,
 * then through stdio; prints the byte count and a hash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	static unsigned char buf[1 << 20];
	const size_t sizes[] = { 1, 7, 4096, 65536, 1 << 20, 3, 100000 };
	uint64_t h = 1469598103934665603ull, total = 0, reads = 0;
	int eof = 0;

	for (int round = 0; round < 40 && !eof; round++) {
		size_t want = sizes[round % 7];
		ssize_t n = read(0, buf, want);

		if (n < 0) {
			perror("read");
			return 1;
		}
		if (n == 0)
			eof = 1;
		if ((size_t)n > want) {
			printf("read returned %zd > %zu\n", n, want);
			return 1;
		}
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ull;
		total += (uint64_t)n;
		reads++;
	}
	int c;
	while ((c = getchar()) != EOF) {
		h = (h ^ (unsigned)c) * 1099511628211ull;
		total++;
	}
	printf("total=%llu hash=%016llx eof_by_read=%d\n", (unsigned long long)total,
	       (unsigned long long)h, eof);
	printf("read again at EOF: %zd\n", read(0, buf, 10));
	return 0;
}
