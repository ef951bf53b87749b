/*
 * syscall.c — the cost of a no-op system call from the program.
 *
 *   syscall [N [REPS]]    (defaults 10000000 and 21)
 *
 * Times N calls of syscall(SYS_getppid) — musl's syscall(), the way a
 * program makes a call libc has no wrapper for, with errno handling —
 * REPS times, each timed with clock_gettime(CLOCK_MONOTONIC) around the
 * loop, and prints the median, p10 and p90 in ns per call. The same
 * source is built with pith cc (both targets) and with musl-gcc -static
 * (native Linux system calls) by bench/run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000000;
	int reps = argc > 2 ? atoi(argv[2]) : 21;
	double v[101];
	long sink = 0;

	if (n < 1 || reps < 1 || reps > 101) {
		fprintf(stderr, "usage: syscall [N [REPS<=101]]\n");
		return 2;
	}
	for (int r = 0; r < reps; r++) {
		double t0 = now_ns();

		for (long i = 0; i < n; i++)
			sink += syscall(SYS_getppid);
		v[r] = (now_ns() - t0) / (double)n;
	}
	qsort(v, (size_t)reps, sizeof(v[0]), cmp_double);
	printf("ns_per_call=%.2f p10=%.2f p90=%.2f calls=%ld reps=%d sink=%ld\n", v[reps / 2],
	       v[reps / 10], v[reps - 1 - reps / 10], n, reps, sink);
	return 0;
}
