/* stats.h — summary statistics over an array of doubles. */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>

struct stats {
	size_t n;
	double min, max, mean, stddev, median;
};

#ifndef SCALE
#error "SCALE must be defined with -D"
#endif

int stats_compute(const double *v, size_t n, struct stats *out);
double stats_scaled(double x); /* x * SCALE */

#endif
