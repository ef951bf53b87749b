/* stats.c — the library half: built into libstats.a with ar. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long calls;

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int stats_compute(const double *v, size_t n, struct stats *out)
{
	double *s, sum = 0, sq = 0;

	if (n == 0)
		return -1;
	pthread_mutex_lock(&lock);
	calls++;
	pthread_mutex_unlock(&lock);
	s = malloc(n * sizeof(*s));
	if (!s)
		return -1;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp);
	for (size_t i = 0; i < n; i++)
		sum += s[i];
	out->n = n;
	out->min = s[0];
	out->max = s[n - 1];
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += (s[i] - out->mean) * (s[i] - out->mean);
	out->stddev = sqrt(sq / (double)n);
	out->median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return 0;
}

double stats_scaled(double x)
{
	return x * SCALE;
}
