/*
 * process_trap.h — the sandboxed child's last words (process target).
 *
 * When the guest faults, or makes a host call the filter forbids, the
 * signal handler records what happened in a page shared with the parent
 * and ends the child; the parent prints the report. The handler runs with
 * the guest's %fs and stack contents, so it is built without libc, a
 * sanitizer or a stack protector, and makes one raw call: exit_group.
 */
#ifndef PITH_PROCESS_TRAP_H
#define PITH_PROCESS_TRAP_H

#include <linux/filter.h>
#include <signal.h>
#include <stdint.h>

#define TRAP_MAGIC 0x70697468747270ull /* "pithtrp" */

struct trap_report {
	uint64_t magic;
	int32_t signo, code;
	int32_t syscall_nr; /* SIGSYS: the forbidden call */
	int32_t pad;
	uint64_t addr; /* si_addr */
	uint64_t trapno, err, cr2;
	uint64_t gregs[23]; /* ucontext gregs, REG_* order */
};

/* Set before the child starts; lives in a MAP_SHARED page. */
extern struct trap_report *volatile trap_report;

void trap_handler(int sig, siginfo_t *si, void *uc);
/* Install the seccomp filter, then switch to the guest: %rsp = sp,
 * %rdi = arg, jump to entry. */
_Noreturn void trap_enter_guest(uint64_t entry, uint64_t sp, uint64_t arg,
				const struct sock_fprog *filter);

#endif
