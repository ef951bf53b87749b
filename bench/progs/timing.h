/*
 * timing.h — what the timing programs share: a monotonic clock in
 * nanoseconds and the comparison that sorts samples for a median. Header
 * only, so each program stays one source file that pith cc, musl-gcc and
 * the host compiler build alike.
 */
#ifndef PITH_BENCH_TIMING_H
#define PITH_BENCH_TIMING_H

#include <time.h>

static inline double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* For qsort over doubles. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#endif
