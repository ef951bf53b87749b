/*
 * clock.c — clocks and sleeping (see clock.h).
 */
#include "clock.h"
#include "console.h"
#include "platform.h"

static uint64_t boot_ns, slept_ns;

/*
 * The network stack's pump (posix/netstack.c, part "net"). Every wait
 * folds in the stack's next timer and the device's poll bit, and services
 * both after; weak, so an image without the stack pays one compare.
 */
void netstack_before_wait(uint64_t *deadline, uint32_t *want) __attribute__((weak));
void netstack_after_wait(uint32_t ready) __attribute__((weak));
void netstack_run(void) __attribute__((weak));

void kernel_pump(void)
{
	if (netstack_run)
		netstack_run();
}

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

	if (netstack_before_wait)
		netstack_before_wait(&deadline, &want);
	t0 = clock_monotonic();
	if (deadline != PITH_DEADLINE_NONE && deadline <= t0) {
		console_flush_stale();
		kernel_pump(); /* no sleep, but the device is still served */
		return 0;
	}
	/* The console goes out with the sleep, not before the stack's look
	 * for work, which often finds some: a busy server's log then costs
	 * no exit of its own. */
	ready = console_wait(deadline, want);
	slept_ns += clock_monotonic() - t0;
	if (netstack_after_wait)
		netstack_after_wait(ready);
	return ready;
}
