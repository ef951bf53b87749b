/*
 * crash.c — crash reports (see crash.h).
 *
 * Knows the guest's layout, so it can tell a NULL dereference, a stack
 * overflow into the guard page, and a write to read-only memory apart.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "crash.h"

#define PF_PRESENT 1u
#define PF_WRITE   2u
#define PF_FETCH   16u

static const struct {
	const char *name;
	int sig;
} vectors[] = {
	[0] = { "divide error", SIGFPE },
	[1] = { "debug trap", SIGTRAP },
	[3] = { "breakpoint", SIGTRAP },
	[4] = { "overflow", SIGSEGV },
	[5] = { "bound range exceeded", SIGSEGV },
	[6] = { "invalid opcode", SIGILL },
	[7] = { "device not available", SIGFPE },
	[8] = { "double fault", SIGSEGV },
	[10] = { "invalid TSS", SIGSEGV },
	[11] = { "segment not present", SIGBUS },
	[12] = { "stack-segment fault", SIGBUS },
	[13] = { "general protection fault", SIGSEGV },
	[14] = { "page fault", SIGSEGV },
	[16] = { "x87 floating-point error", SIGFPE },
	[17] = { "alignment check", SIGBUS },
	[18] = { "machine check", SIGBUS },
	[19] = { "SIMD floating-point error", SIGFPE },
};

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGFPE:
		return "SIGFPE";
	case SIGTRAP:
		return "SIGTRAP";
	case SIGILL:
		return "SIGILL";
	case SIGBUS:
		return "SIGBUS";
	default:
		return "SIGSEGV";
	}
}

static void where(const struct guest *g, const char *what, uint64_t addr)
{
	uint64_t off;
	const char *sym = elf_symbolize(g->img, addr, &off);

	if (sym)
		fprintf(stderr, "pith:   %s 0x%llx <%s+0x%llx>\n", what, (unsigned long long)addr,
			sym, (unsigned long long)off);
	else
		fprintf(stderr, "pith:   %s 0x%llx\n", what, (unsigned long long)addr);
}

/* Did the program run a `syscall` instruction (which pith images never
 * need: their system calls are function calls)? It leaves %rcx just past
 * the instruction; on some hosts the CPU then jumps to address 0. */
static bool after_syscall_insn(const struct guest *g, const struct crash *c)
{
	const uint8_t *p;

	if (c->rip != 0 || c->rcx < PITH_GUEST_BASE + 2)
		return false;
	p = gpa_ptr(g, c->rcx - 2 - PITH_GUEST_BASE, 2);
	return p && p[0] == 0x0f && p[1] == 0x05;
}

static void page_fault_cause(const struct guest *g, const struct crash *c)
{
	uint64_t a = c->cr2, guard = GPA_TO_VA(g->lay.guard);
	const char *access = c->error & PF_FETCH   ? "execute"
			     : c->error & PF_WRITE ? "write"
						   : "read";

	fprintf(stderr, "pith: guest crashed: page fault: %s at address 0x%llx", access,
		(unsigned long long)a);
	if (after_syscall_insn(g, c))
		fprintf(stderr,
			" (a `syscall` instruction at 0x%llx: pith images make system "
			"calls as function calls; build the program with pith cc)\n",
			(unsigned long long)c->rcx - 2);
	else if (a < 4096)
		fprintf(stderr, " (NULL pointer dereference)\n");
	else if (a >= GPA_TO_VA(g->lay.sys) && a < GPA_TO_VA(g->mem_size))
		fprintf(stderr, " (the monitor's CPU tables, not the program's memory)\n");
	else if (a >= guard - 4096 && a < guard + 4096 && c->rsp < guard + 4096 + 256)
		fprintf(stderr, " (stack overflow: the stack is %llu KiB; use a larger -m)\n",
			(unsigned long long)((g->lay.stack_top - g->lay.stack_bottom) >> 10));
	else if (c->error & PF_PRESENT)
		fprintf(stderr, " (%s)\n",
			c->error & PF_FETCH ? "not executable" : "read-only memory");
	else
		fprintf(stderr, " (not mapped)\n");
}

int crash_report(const struct guest *g, const struct crash *c)
{
	int sig = SIGSEGV;
	const char *name = "unknown exception";

	if (c->vector >= 0 && (size_t)c->vector < sizeof(vectors) / sizeof(vectors[0]) &&
	    vectors[c->vector].name) {
		name = vectors[c->vector].name;
		sig = vectors[c->vector].sig;
	}
	if (c->vector == 14)
		page_fault_cause(g, c);
	else if (c->has_error && c->error)
		fprintf(stderr, "pith: guest crashed: %s (error code 0x%llx)\n", name,
			(unsigned long long)c->error);
	else
		fprintf(stderr, "pith: guest crashed: %s\n", name);
	where(g, "at rip", c->rip);
	fprintf(stderr,
		"pith:   rax %016llx rbx %016llx rcx %016llx rdx %016llx\n"
		"pith:   rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n"
		"pith:   r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n"
		"pith:   r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n"
		"pith:   rflags %08llx\n",
		(unsigned long long)c->rax, (unsigned long long)c->rbx, (unsigned long long)c->rcx,
		(unsigned long long)c->rdx, (unsigned long long)c->rsi, (unsigned long long)c->rdi,
		(unsigned long long)c->rbp, (unsigned long long)c->rsp, (unsigned long long)c->r8,
		(unsigned long long)c->r9, (unsigned long long)c->r10, (unsigned long long)c->r11,
		(unsigned long long)c->r12, (unsigned long long)c->r13, (unsigned long long)c->r14,
		(unsigned long long)c->r15, (unsigned long long)c->rflags);
	fprintf(stderr, "pith: exit status %d (as %s)\n", 128 + sig, sig_name(sig));
	return 128 + sig;
}
