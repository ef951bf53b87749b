/*
 * clock.c — clocks and sleeping (see clock.h).
 */
#include "clock.h"
#include "console.h"
#include "platform.h"

static uint64_t boot_ns, slept_ns;

void clock_init(void)
{
	boot_ns = clock_monotonic();
}

uint64_t clock_monotonic(void)
{
	return plat->clock_ns(PLAT_CLOCK_MONOTONIC);
}

uint64_t clock_realtime(void)
{
	return plat->clock_ns(PLAT_CLOCK_REALTIME);
}

uint64_t clock_boot_ns(void)
{
	return boot_ns;
}

uint64_t clock_cputime(void)
{
	uint64_t up = clock_monotonic() - boot_ns;

	return up > slept_ns ? up - slept_ns : 0;
}

uint32_t clock_sleep_until(uint64_t deadline, uint32_t want)
{
	uint64_t t0;
	uint32_t ready;

	console_flush();
	t0 = clock_monotonic();
	if (deadline != PITH_DEADLINE_NONE && deadline <= t0)
		return 0;
	ready = plat->poll(deadline, want);
	slept_ns += clock_monotonic() - t0;
	return ready;
}
