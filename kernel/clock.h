/*
 * clock.h — the kernel's clocks and its one way to wait.
 *
 * Monotonic and realtime come from the platform (no exit on hvt). The
 * program's CPU time is the time since boot that it did not spend asleep
 * in clock_sleep_until(), the only place the kernel waits.
 */
#ifndef PITH_CLOCK_H
#define PITH_CLOCK_H

#include "kernel.h"

void clock_init(void);
uint64_t clock_monotonic(void);
uint64_t clock_realtime(void);
uint64_t clock_cputime(void);
uint64_t clock_boot_ns(void); /* monotonic time at boot */
/* Flush the console, then sleep until deadline or until want is ready.
 * Returns the ready mask (PITH_POLL_*). With the network stack linked,
 * its timers and device are serviced around the sleep (netstack.c), and
 * the sleep ends early when the stack has work: callers check again. */
uint32_t clock_sleep_until(uint64_t deadline, uint32_t want);
/* Let the network stack (when linked) take what its device received and
 * run its timers: for calls that look without waiting (poll or epoll
 * with a timeout of 0), which clock_sleep_until alone would not serve. */
void kernel_pump(void);

#endif
