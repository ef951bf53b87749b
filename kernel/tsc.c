/*
 * tsc.c — TSC-based clock for the hvt target (see tsc.h).
 *
 * ns = base_ns + ((tsc - tsc_base) * mult) >> 32, where mult is
 * 2^32 * 1e9 / hz. The product is taken in 128 bits, so the scale holds
 * for centuries of uptime at any realistic frequency.
 */
#include "tsc.h"

static uint64_t tsc_base, mono_base, wall_base, mult, last;

void tsc_init(uint64_t hz, uint64_t base, uint64_t mono_ns, uint64_t wall_ns)
{
	tsc_base = base;
	mono_base = mono_ns;
	wall_base = wall_ns;
	mult = hz ? (uint64_t)(((unsigned __int128)1000000000u << 32) / hz) : 0;
	last = mono_ns;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

uint64_t tsc_monotonic_ns(void)
{
	uint64_t t = rdtsc(), ns;

	/* A TSC read before the base (another vCPU later, a migration)
	 * must not move time backwards. */
	ns = t > tsc_base ? mono_base + (uint64_t)(((unsigned __int128)(t - tsc_base) * mult) >> 32)
			  : mono_base;
	if (ns < last)
		ns = last;
	last = ns;
	return ns;
}

uint64_t tsc_realtime_ns(void)
{
	return wall_base + (tsc_monotonic_ns() - mono_base);
}
