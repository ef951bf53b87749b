/*
 * vdso.h — the host vDSO's clock_gettime address, or 0 if not found.
 */
#ifndef PITH_VDSO_H
#define PITH_VDSO_H

#include <stdint.h>

uint64_t vdso_clock_gettime(void);

#endif
