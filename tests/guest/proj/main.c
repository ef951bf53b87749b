/* main.c — the program half: reads numbers from its arguments (or makes
 * some), prints their statistics. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats.h"

int main(int argc, char **argv)
{
	double v[64];
	size_t n = 0;
	struct stats st;

	printf("%s (pthread_self is %s)\n", GREETING, pthread_self() ? "set" : "zero");
	for (int i = 1; i < argc && n < 64; i++)
		v[n++] = strtod(argv[i], NULL);
	if (n == 0)
		for (; n < 20; n++)
			v[n] = sin((double)n) * 100.0;
	if (stats_compute(v, n, &st) != 0) {
		fprintf(stderr, "no statistics\n");
		return 1;
	}
	printf("n=%zu min=%.6f max=%.6f mean=%.6f stddev=%.6f median=%.6f\n", st.n, st.min, st.max,
	       st.mean, st.stddev, st.median);
	printf("scaled mean=%.6f log10(max)=%.6f\n", stats_scaled(st.mean),
	       st.max > 0 ? log10(st.max) : -INFINITY);
	return 0;
}
