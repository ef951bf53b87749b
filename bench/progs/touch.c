/*
 * touch.c — the cost of the first touch of a page of fresh memory.
 *
 *   touch [PAGES]    (default 1024)
 *
 * Allocates PAGES pages with malloc and writes one byte in each, timed
 * with CLOCK_MONOTONIC; prints ns per page. On hvt each first touch is a
 * fault KVM handles on the host (no exit to pith's monitor): it is what
 * the guest pays for every page it uses for the first time, boot included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "timing.h"

int main(int argc, char **argv)
{
	long pages = argc > 1 ? atol(argv[1]) : 1024;
	volatile char *p = malloc((size_t)pages * 4096 + 4096);
	double t0, t1;

	if (!p || pages < 1) {
		fprintf(stderr, "touch: cannot allocate %ld pages\n", pages);
		return 1;
	}
	t0 = now_ns();
	for (long i = 0; i < pages; i++)
		p[i * 4096] = 1;
	t1 = now_ns();
	printf("ns_per_page=%.0f pages=%ld\n", (t1 - t0) / (double)pages, pages);
	return 0;
}
