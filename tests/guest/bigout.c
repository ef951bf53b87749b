/* bigout.c — 8 MiB on stdout, through printf, fwrite and write(2), with
 * buffering changed on the way; checked by sha256 against Linux. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char chunk[65536];
	const size_t total = 8u << 20;
	size_t done = 0;
	uint32_t x = 1;
	int line = 0;

	/* 2 MiB of printf lines. */
	while (done < total / 4) {
		int n = printf("%08d %08x %s\n", line, x, "abcdefghijklmnopqrstuvwxyz0123456789");
		x = x * 1664525u + 1013904223u;
		line++;
		done += (size_t)n;
	}
	/* 2 MiB of fwrite in odd sizes. */
	for (size_t i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)('A' + i % 61);
	size_t step = 1;
	while (done < total / 2) {
		size_t n = step % 7919 + 1;
		if (n > total / 2 - done)
			n = total / 2 - done;
		fwrite(chunk + step % 1000, 1, n, stdout);
		done += n;
		step = step * 3 + 1;
		step %= 60000;
	}
	fflush(stdout);
	/* 2 MiB of raw write(2) in 64 KiB pieces. */
	while (done < total / 4 * 3) {
		for (size_t i = 0; i < sizeof(chunk); i++)
			chunk[i] = (char)(x >> (i % 24));
		x = x * 1664525u + 1013904223u;
		size_t n = sizeof(chunk), off = 0;
		while (off < n) {
			ssize_t w = write(1, chunk + off, n - off);
			if (w <= 0)
				return 1;
			off += (size_t)w;
		}
		done += n;
	}
	/* The rest unbuffered, a character at a time for a while. */
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < 4096; i++, done++)
		putchar('0' + i % 10);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while (done < total) {
		size_t n = total - done < 1000 ? total - done : 1000;
		fwrite(chunk, 1, n, stdout);
		done += n;
	}
	fprintf(stderr, "wrote %zu bytes\n", done);
	return 0;
}
