/*
 * crash.h — what the host says when the guest faults, on either target.
 */
#ifndef PITH_CRASH_H
#define PITH_CRASH_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"

struct crash {
	int vector; /* x86 exception number, -1 if unknown */
	bool has_error;
	uint64_t error; /* exception error code */
	uint64_t cr2;	/* faulting address, for page faults */
	uint64_t rip, rsp, rbp, rflags;
	uint64_t rax, rbx, rcx, rdx, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Print the report to stderr: what happened, where (symbolized), the
 * registers. Returns the exit status: 128 + the signal Linux would send
 * (SIGSEGV, SIGFPE, SIGILL, SIGTRAP, SIGBUS). */
int crash_report(const struct guest *g, const struct crash *c);

#endif
