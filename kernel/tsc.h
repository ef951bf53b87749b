/*
 * tsc.h — host time from the TSC, without an exit (hvt target).
 *
 * The monitor measures the TSC frequency and one (tsc, monotonic, realtime)
 * triple before the guest starts; from then on the guest scales the TSC.
 * Readings never go backwards.
 */
#ifndef PITH_TSC_H
#define PITH_TSC_H

#include <stdint.h>

void tsc_init(uint64_t hz, uint64_t tsc_base, uint64_t mono_ns, uint64_t wall_ns);
uint64_t tsc_monotonic_ns(void);
uint64_t tsc_realtime_ns(void);

#endif
