/* malloc.c — malloc, calloc, realloc and free under a long random mix of
 * small and large (mmap-backed) blocks; every block's contents are
 * checked before it is resized or freed, calloc memory must read zero. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 2048
#define OPS   150000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static struct {
	unsigned char *p;
	size_t n;
	unsigned char tag;
} slot[SLOTS];

static size_t pick_size(void)
{
	uint64_t r = next() % 1000;

	if (r < 600)
		return next() % 128 + 1;
	if (r < 900)
		return next() % 4096 + 1;
	if (r < 990)
		return next() % 65536 + 1;
	return next() % (1u << 20) + 100000; /* mmap'd by musl */
}

static int check(int i)
{
	for (size_t k = 0; k < slot[i].n; k++)
		if (slot[i].p[k] != (unsigned char)(slot[i].tag + k * 7)) {
			printf("slot %d corrupt at %zu of %zu\n", i, k, slot[i].n);
			return 0;
		}
	return 1;
}

static void fill(int i, size_t from)
{
	for (size_t k = from; k < slot[i].n; k++)
		slot[i].p[k] = (unsigned char)(slot[i].tag + k * 7);
}

static int zero(const unsigned char *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (p[k])
			return 0;
	return 1;
}

int main(void)
{
	unsigned long mallocs = 0, callocs = 0, reallocs = 0, frees = 0, bad = 0;
	uint64_t bytes = 0;

	for (int op = 0; op < OPS; op++) {
		int i = (int)(next() % SLOTS);
		uint64_t what = next() % 10;

		if (!slot[i].p) {
			size_t n = pick_size();

			if (what < 3) {
				slot[i].p = calloc(n, 1);
				callocs++;
				if (slot[i].p && !zero(slot[i].p, n)) {
					printf("calloc(%zu) not zero\n", n);
					bad++;
				}
			} else {
				slot[i].p = malloc(n);
				mallocs++;
			}
			if (!slot[i].p) {
				printf("allocation of %zu failed\n", n);
				return 1;
			}
			slot[i].n = n;
			slot[i].tag = (unsigned char)next();
			fill(i, 0);
			bytes += n;
		} else if (what < 4) {
			size_t n = pick_size(), old = slot[i].n;
			unsigned char *q;

			if (!check(i))
				bad++;
			q = realloc(slot[i].p, n);
			reallocs++;
			if (!q) {
				printf("realloc to %zu failed\n", n);
				return 1;
			}
			slot[i].p = q;
			slot[i].n = n < old ? n : old;
			if (!check(i)) {
				printf("realloc %zu -> %zu lost data\n", old, n);
				bad++;
			}
			slot[i].n = n;
			fill(i, 0);
		} else {
			if (!check(i))
				bad++;
			free(slot[i].p);
			frees++;
			slot[i].p = NULL;
		}
	}
	for (int i = 0; i < SLOTS; i++) {
		if (slot[i].p && !check(i))
			bad++;
		free(slot[i].p);
	}

	/* Edge cases. */
	void *z = malloc(0);
	printf("malloc(0) %s\n", z ? "non-NULL" : "NULL");
	free(z);
	free(NULL);
	char *r = realloc(NULL, 10);
	strcpy(r, "realloc'd");
	printf("realloc(NULL, 10): %s\n", r);
	free(r);
	/* A big block grown step by step (mremap on Linux). */
	size_t n = 200000;
	unsigned char *big = malloc(n);
	for (size_t k = 0; k < n; k++)
		big[k] = (unsigned char)(k * 31);
	for (int step = 0; step < 20; step++) {
		size_t m = n + 150000;
		big = realloc(big, m);
		if (!big) {
			printf("big realloc failed\n");
			return 1;
		}
		for (size_t k = 0; k < n; k++)
			if (big[k] != (unsigned char)(k * 31)) {
				printf("big realloc lost byte %zu at step %d\n", k, step);
				bad++;
				break;
			}
		for (size_t k = n; k < m; k++)
			big[k] = (unsigned char)(k * 31);
		n = m;
	}
	big = realloc(big, 1000);
	for (size_t k = 0; k < 1000; k++)
		if (big[k] != (unsigned char)(k * 31)) {
			printf("shrink lost byte %zu\n", k);
			bad++;
			break;
		}
	free(big);
	/* Freed and reallocated memory from calloc reads zero. */
	for (int round = 0; round < 50; round++) {
		size_t sz = 1000 + (size_t)round * 9973;
		unsigned char *a = malloc(sz);
		memset(a, 0xa5, sz);
		free(a);
		unsigned char *c = calloc(sz / 8, 8);
		if (!zero(c, sz / 8 * 8)) {
			printf("calloc after free not zero (round %d)\n", round);
			bad++;
		}
		free(c);
	}
	void *huge = calloc((size_t)1 << 62, 8);
	printf("calloc overflow: %s\n", huge ? "non-NULL" : "NULL");
	printf("mallocs=%lu callocs=%lu reallocs=%lu frees=%lu bytes=%llu bad=%lu\n", mallocs,
	       callocs, reallocs, frees, (unsigned long long)bytes, bad);
	return bad != 0;
}
