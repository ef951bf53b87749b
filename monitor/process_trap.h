/*
 * process_trap.h — the two moments the process target crosses between
 * pith and the guest, in code that may not use %fs (process_trap.c).
 *
 * trap_enter_guest() loads the seccomp filter and jumps to the image: no
 * library code may run in between, since the sanitizers' runtimes make
 * calls of their own. trap_handler() is the signal handler while the
 * guest runs: it gives pith its own thread pointer back (the guest set
 * %fs for its TLS) and only then calls process_signal(), ordinary C.
 */
#ifndef PITH_PROCESS_TRAP_H
#define PITH_PROCESS_TRAP_H

#include <linux/filter.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <pith/abi.h>

/* pith's own %fs base, saved before the jump; how to restore it. */
extern uint64_t trap_host_fs;
extern bool trap_fsgsbase;
/* The guest's console page: outside signals it catches go there. */
extern struct pith_console *trap_console;

void trap_handler(int sig, siginfo_t *si, void *uc);
_Noreturn void trap_enter_guest(uint64_t entry, uint64_t sp, uint64_t arg,
				const struct sock_fprog *filter);
/* Raw exit_group, for when nothing else may run. */
_Noreturn void trap_exit(int status);

/* In process.c: report, drain the console, end the process. */
_Noreturn void process_signal(int sig, siginfo_t *si, void *uc);

#endif
