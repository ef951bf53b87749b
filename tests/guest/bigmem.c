/* bigmem.c — a lot of memory (pith run -m 1G): 600 MiB in 8 MiB blocks,
 * every page written and read back, then freed and taken again with
 * calloc (which must read zero). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BLOCK (8u << 20)
#define N     75

int main(void)
{
	unsigned char *b[N];
	unsigned long bad = 0;

	for (int i = 0; i < N; i++) {
		b[i] = malloc(BLOCK);
		if (!b[i]) {
			printf("malloc %d failed\n", i);
			return 1;
		}
		for (size_t k = 0; k < BLOCK; k += 4096)
			b[i][k] = (unsigned char)(i + k / 4096);
	}
	for (int i = 0; i < N; i++) {
		for (size_t k = 0; k < BLOCK; k += 4096)
			if (b[i][k] != (unsigned char)(i + k / 4096))
				bad++;
		free(b[i]);
	}
	for (int i = 0; i < N; i++) {
		b[i] = calloc(BLOCK / 64, 64);
		if (!b[i]) {
			printf("calloc %d failed\n", i);
			return 1;
		}
		for (size_t k = 0; k < BLOCK; k += 512)
			if (b[i][k])
				bad++;
	}
	for (int i = 0; i < N; i++)
		free(b[i]);
	printf("%d MiB written, checked and zeroed again: bad=%lu\n", N * 8, bad);
	return bad != 0;
}
