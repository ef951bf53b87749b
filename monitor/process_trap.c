/*
 * process_trap.c — guest entry and signal entry for the process target
 * (see process_trap.h). Built without sanitizers, stack protector or
 * builtins: this code runs while %fs is the guest's.
 */
#include <stddef.h>

#include <pith/abi.h>

#include "process_trap.h"

#define NR_prctl		157
#define NR_arch_prctl		158
#define NR_exit_group		231
#define NR_seccomp		317
#define ARCH_SET_FS		0x1002
#define PR_SET_NO_NEW_PRIVS	38
#define SECCOMP_SET_MODE_FILTER 1

uint64_t trap_host_fs;
bool trap_fsgsbase;
struct pith_console *trap_console;

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

_Noreturn void trap_exit(int status)
{
	for (;;)
		raw3(NR_exit_group, status, 0, 0);
}

void trap_handler(int sig, siginfo_t *si, void *uc)
{
	static volatile int entered;
	struct pith_console *con = trap_console;

	/* An outside signal the program catches: pass it on (abi.h) and let
	 * the guest run on; a wait it was about to start returns at once. */
	/* A second one before the program took the first: the default
	 * action, as on hvt (Ctrl-C twice ends any program). */
	if ((sig == SIGINT || sig == SIGTERM || sig == SIGHUP) && con &&
	    (__atomic_load_n(&con->caught, __ATOMIC_ACQUIRE) & (1ull << (sig - 1))) &&
	    !(__atomic_fetch_or(&con->arrived, 1ull << (sig - 1), __ATOMIC_ACQ_REL) &
	      (1ull << (sig - 1)))) {
		__atomic_store_n(&con->wait_sec, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&con->wait_nsec, 0, __ATOMIC_RELAXED);
		return;
	}

	/* A fault while reporting one: stop at once. */
	if (__atomic_exchange_n(&entered, 1, __ATOMIC_SEQ_CST))
		trap_exit(sig == SIGSYS ? PITH_EXIT_VIOLATION : 128 + sig);
	if (trap_fsgsbase)
		__asm__ volatile("wrfsbase %0" : : "r"(trap_host_fs) : "memory");
	else
		raw3(NR_arch_prctl, ARCH_SET_FS, (long)trap_host_fs, 0);
	process_signal(sig, si, uc);
}

_Noreturn void trap_enter_guest(uint64_t entry, uint64_t sp, uint64_t arg,
				const struct sock_fprog *filter)
{
	if (raw3(NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0) < 0 ||
	    raw3(NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)filter) < 0)
		trap_exit(PITH_EXIT_ERROR);
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
