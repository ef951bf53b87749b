/*
 * cpuid.h — the CPUID instruction, for what the guest reports about its
 * processor (/proc/cpuinfo). On hvt it is one exit, answered by KVM from
 * the table the monitor set (monitor/hvt_cpuid.c); on the process target
 * the host CPU answers.
 */
#ifndef PITH_ARCH_CPUID_H
#define PITH_ARCH_CPUID_H

#include <stdint.h>

static inline void arch_cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

#endif
