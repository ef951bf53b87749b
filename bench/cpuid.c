/*
 * cpuid.c — what one CPUID instruction costs on this host, in ns.
 *
 *   cpuid [N [REPS]]    (defaults 1000 and 21)
 *
 * Runs CPUID (leaf 7, subleaf 0) N times per repetition, REPS times, and
 * prints the median cost per instruction. On bare metal CPUID takes some
 * 100 ns; inside a virtual machine every CPUID exits to the hypervisor,
 * which makes it tens of times dearer. It is a context figure for
 * bench/run (group 7): KVM_GET_SUPPORTED_CPUID runs one CPUID per entry it
 * returns, and glibc's start-up runs dozens (docs/performance.md).
 */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "progs/timing.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, reps = argc > 2 ? atoi(argv[2]) : 21;
	unsigned a, b, c, d, sink = 0;
	double v[101];

	if (n < 1 || reps < 1 || reps > 101) {
		fprintf(stderr, "usage: cpuid [N [REPS<=101]]\n");
		return 2;
	}
	for (int r = 0; r < reps; r++) {
		double t0 = now_ns();

		for (int i = 0; i < n; i++) {
			__cpuid_count(7, 0, a, b, c, d);
			sink += a ^ b ^ c ^ d;
		}
		v[r] = (now_ns() - t0) / n;
	}
	qsort(v, (size_t)reps, sizeof(v[0]), cmp_double);
	printf("ns_per_cpuid=%.0f p10=%.0f p90=%.0f sink=%u\n", v[reps / 2], v[reps / 10],
	       v[reps - 1 - reps / 10], sink);
	return 0;
}
