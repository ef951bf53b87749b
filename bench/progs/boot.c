/*
 * boot.c — where the time between the vCPU's first entry and main() goes.
 *
 * Built by bench/run with -nostartfiles -Wl,-e,bench_entry, so that
 *   bench_entry  (the ELF entry: the guest's first instruction) reads the
 *                TSC, keeps the boot-information pointer, and jumps to the
 *                kernel's entry, _pith_start, with its registers intact;
 *   _start       (what the kernel jumps to once booted: normally musl's
 *                crt1) reads the TSC and enters musl as crt1 would;
 *   main         reads CLOCK_MONOTONIC first thing, as progs/entry.c does.
 * The TSC readings become host CLOCK_MONOTONIC with the scale the monitor
 * wrote in struct pith_boot. Prints, in ns of host CLOCK_MONOTONIC:
 *   first_insn_ns=A start_ns=B main_ns=C
 * bench/run subtracts the monitor's "vCPU first entered" figure. hvt only
 * (the process target has no TSC scale in its boot information).
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <pith/abi.h>

uint64_t bench_tsc_entry, bench_tsc_start;
struct pith_boot *bench_boot;
struct pith_boot bench_boot_copy;

__asm__(".text\n"
	".globl bench_entry\n"
	"bench_entry:\n"
	"	rdtsc\n"
	"	shl $32, %rdx\n"
	"	or %rdx, %rax\n"
	"	mov %rax, bench_tsc_entry(%rip)\n"
	"	mov %rdi, bench_boot(%rip)\n"
	"	jmp _pith_start\n"
	".globl _start\n"
	"_start:\n"
	"	rdtsc\n"
	"	shl $32, %rdx\n"
	"	or %rdx, %rax\n"
	"	mov %rax, bench_tsc_start(%rip)\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call bench_start_c\n"
	"	ud2\n");

int main(void);
int __libc_start_main(int (*)(void), int, char **, void (*)(void), void (*)(void), void (*)(void));

void bench_start_c(long *p);
void bench_start_c(long *p)
{
	/* The kernel has read it; the program may not find it intact later. */
	bench_boot_copy = *bench_boot;
	__libc_start_main(main, (int)p[0], (char **)(p + 1), 0, 0, 0);
}

static uint64_t tsc_ns(const struct pith_boot *b, uint64_t tsc)
{
	return b->mono_base_ns +
	       (uint64_t)((unsigned __int128)(tsc - b->tsc_base) * 1000000000u / b->tsc_hz);
}

int main(void)
{
	struct timespec t;
	const struct pith_boot *b = &bench_boot_copy;

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (b->target != PITH_TARGET_HVT || !b->tsc_hz) {
		fprintf(stderr, "boot: hvt only\n");
		return 1;
	}
	printf("first_insn_ns=%llu start_ns=%llu main_ns=%llu\n",
	       (unsigned long long)tsc_ns(b, bench_tsc_entry),
	       (unsigned long long)tsc_ns(b, bench_tsc_start),
	       (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec);
	return 0;
}
