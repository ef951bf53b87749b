/*
 * process_trap.c — signal handler and guest entry for the process target
 * (see process_trap.h). Compiled freestanding: no libc calls, no
 * sanitizer, no stack protector (the guest owns %fs by now).
 */
#include <stddef.h>
#include <ucontext.h>

#include <pith/abi.h>

#include "process_trap.h"

struct trap_report *volatile trap_report;

static _Noreturn void raw_exit_group(long status)
{
	for (;;)
		__asm__ volatile("syscall" : : "a"(231), "D"(status) : "rcx", "r11", "memory");
}

void trap_handler(int sig, siginfo_t *si, void *ucv)
{
	struct trap_report *r = trap_report;
	const ucontext_t *uc = ucv;

	if (r) {
		r->signo = sig;
		r->code = si->si_code;
		r->addr = (uint64_t)(uintptr_t)si->si_addr;
		r->syscall_nr = sig == SIGSYS ? si->si_syscall : -1;
		for (int i = 0; i < 23; i++)
			r->gregs[i] = (uint64_t)uc->uc_mcontext.gregs[i];
		r->trapno = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
		r->err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
		r->cr2 = (uint64_t)uc->uc_mcontext.gregs[REG_CR2];
		__atomic_store_n(&r->magic, TRAP_MAGIC, __ATOMIC_RELEASE);
	}
	raw_exit_group(sig == SIGSYS ? PITH_EXIT_VIOLATION : 128 + sig);
}

static long raw3(long n, long a, long b, long c)
{
	long r;
	register long r10 __asm__("r10") = 0; /* prctl wants unused args 0 */
	register long r8 __asm__("r8") = 0;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

_Noreturn void trap_enter_guest(uint64_t entry, uint64_t sp, uint64_t arg,
				const struct sock_fprog *filter)
{
	/* No library code may run between the filter and the guest: the
	 * sanitizers' runtime makes calls of its own. */
	if (raw3(157 /* prctl */, 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0) < 0 ||
	    raw3(317 /* seccomp */, 1 /* SECCOMP_SET_MODE_FILTER */, 0, (long)filter) < 0)
		raw_exit_group(PITH_EXIT_ERROR);
	/* Fixed registers: %rbp is cleared on the way, so nothing the jump
	 * needs may live in it. */
	__asm__ volatile("mov %%rsi, %%rsp\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "jmp *%%rax"
			 :
			 : "S"(sp), "a"(entry), "D"(arg)
			 : "memory");
	__builtin_unreachable();
}
