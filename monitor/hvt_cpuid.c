/*
 * hvt_cpuid.c — the CPU the guest sees: what CPUID answers in the VM.
 *
 * The monitor builds a small table from the host's own CPUID, keeping only
 * features the guest can really use as pith starts it: long mode, NX, the
 * SSE family, bit-manipulation instructions, FSGSBASE — and none that need
 * state pith does not enable (XSAVE and AVX need CR4.OSXSAVE and XCR0; no
 * APIC, no MONITOR, no PCID). KVM checks the vCPU's control registers
 * against this table (EFER.NXE needs NX, CR4.FSGSBASE needs FSGSBASE).
 *
 * Why not KVM_GET_SUPPORTED_CPUID: on nested hosts such as kvm_pvm every
 * CPUID the host kernel runs to answer it exits to the outer hypervisor,
 * and the ioctl costs about half a millisecond — a fifth of `pith run`.
 * The table here takes six CPUID instructions.
 */
#include <cpuid.h>
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "hvt.h"

#define BIT(n) (1u << (n))

/* Leaf 1 ECX: SSE3, PCLMULQDQ, SSSE3, CX16, SSE4.1, SSE4.2, MOVBE, POPCNT,
 * AES, RDRAND; and bit 31, "running under a hypervisor". */
#define L1_ECX                                                                                  \
	(BIT(0) | BIT(1) | BIT(9) | BIT(13) | BIT(19) | BIT(20) | BIT(22) | BIT(23) | BIT(25) | \
	 BIT(30))
#define L1_ECX_HYPERVISOR BIT(31)
/* Leaf 1 EDX: FPU, PSE, TSC, MSR, PAE, CX8, PGE, CMOV, PAT, PSE36, CLFSH,
 * MMX, FXSR, SSE, SSE2. */
#define L1_EDX                                                                               \
	(BIT(0) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(8) | BIT(13) | BIT(15) | BIT(16) | \
	 BIT(17) | BIT(19) | BIT(23) | BIT(24) | BIT(25) | BIT(26))
/* Leaf 7 EBX: FSGSBASE, BMI1, BMI2, ERMS, RDSEED, ADX, CLFLUSHOPT, SHA. */
#define L7_EBX (BIT(0) | BIT(3) | BIT(8) | BIT(9) | BIT(18) | BIT(19) | BIT(23) | BIT(29))
/* 0x80000001 ECX: LAHF/SAHF, LZCNT, SSE4A, PREFETCHW. EDX: NX, LM. */
#define X1_ECX (BIT(0) | BIT(5) | BIT(6) | BIT(8))
#define X1_EDX (BIT(20) | BIT(29))

struct cpuid_table {
	struct kvm_cpuid2 hdr;
	struct kvm_cpuid_entry2 e[8];
};

static void add(struct cpuid_table *t, uint32_t fn, uint32_t eax, uint32_t ebx, uint32_t ecx,
		uint32_t edx)
{
	struct kvm_cpuid_entry2 *e = &t->e[t->hdr.nent++];

	*e = (struct kvm_cpuid_entry2){
		.function = fn, .eax = eax, .ebx = ebx, .ecx = ecx, .edx = edx
	};
	if (fn == 7)
		e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX; /* subleaf 0 only */
}

int hvt_set_cpuid(struct hvt *h, char *err, size_t errlen)
{
	struct cpuid_table t = { .hdr.nent = 0 };
	unsigned a, b, c, d, max, xmax;

	__cpuid(0, max, b, c, d);
	add(&t, 0, max < 7 ? max : 7, b, c, d); /* vendor string as the host's */
	__cpuid(1, a, b, c, d);
	/* Family/model/stepping and the CLFLUSH line size; one logical CPU. */
	add(&t, 1, a, (b & 0xff00) | (1u << 16), (c & L1_ECX) | L1_ECX_HYPERVISOR, d & L1_EDX);
	if (max >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		/* The tests exercise the path for CPUs without FSGSBASE. */
		if (getenv("PITH_TEST_NO_FSGSBASE"))
			b &= ~BIT(0);
		add(&t, 7, 0, b & L7_EBX, 0, 0);
		h->fsgsbase = b & BIT(0);
	}
	__cpuid(0x80000000, xmax, b, c, d);
	add(&t, 0x80000000, xmax < 0x80000008 ? xmax : 0x80000008, 0, 0, 0);
	__cpuid(0x80000001, a, b, c, d);
	/* A CPU that runs KVM has long mode and NX. */
	add(&t, 0x80000001, a, 0, c & X1_ECX, X1_EDX);
	if (xmax >= 0x80000008) {
		__cpuid(0x80000008, a, b, c, d);
		add(&t, 0x80000008, a & 0xffff, 0, 0, 0); /* address sizes */
	}
	if (ioctl(h->vcpu, KVM_SET_CPUID2, &t) < 0) {
		snprintf(err, errlen, "KVM CPUID set-up failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}
