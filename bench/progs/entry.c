/*
 * entry.c — when main() starts: CLOCK_MONOTONIC read as main's first act,
 * printed in ns. On hvt the guest clock is the host's CLOCK_MONOTONIC, so
 * bench/run subtracts the monitor's "vCPU first entered" figure (pith run
 * -v) to get the guest's boot time: kernel start-up plus musl's.
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	printf("main_ns=%llu\n",
	       (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec);
	return 0;
}
