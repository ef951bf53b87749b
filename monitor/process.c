/*
 * process.c — target "process": the image runs inside pith's own process.
 *
 * As Solo5's spt tender does: pith maps guest memory at the address the
 * image was linked for (PITH_GUEST_BASE), loads the image, sets page
 * permissions as hvt's page tables would, closes every other fd, installs
 * signal handlers, then loads the seccomp allow-list (compiled at build
 * time, tools/seccomp-gen.c) and jumps to the image (process_trap.c).
 * From then on this process is the guest: its platform layer
 * (kernel/plat_process.c) makes only the host calls the filter allows,
 * and ends the process itself with exit_group. No fork, no
 * second process: starting costs what starting pith costs.
 *
 * When the guest faults, makes a forbidden call (the filter traps it) or
 * pith gets SIGINT/SIGTERM/SIGHUP, the handler takes back pith's thread
 * pointer and process_signal() writes out the guest's console buffer and
 * the report, then exits with the status `pith run` documents.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "console.h"
#include "crash.h"
#include "landlock.h"
#include "process.h"
#include "process_trap.h"
#include "seccomp.h"
#include "util.h"
#include "vdso.h"

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1 << 1)
#endif

#define ALTSTACK_SIZE (128 * 1024) /* reports use stdio; sanitizers more */

static struct guest guest; /* what the signal handler reports on */

static int set_prot(const struct guest *g, uint64_t gpa, uint64_t len, int prot, char *err,
		    size_t errlen)
{
	if (len && mprotect(g->mem + gpa, len, prot) < 0) {
		snprintf(err, errlen, "mprotect: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Page permissions, as on hvt: page 0 and the guard page inaccessible,
 * each segment as the ELF says. */
static int protect(const struct guest *g, char *err, size_t errlen)
{
	const struct elf_image *img = g->img;

	if (set_prot(g, 0, 4096, PROT_NONE, err, errlen) < 0 ||
	    set_prot(g, g->lay.guard, 4096, PROT_NONE, err, errlen) < 0)
		return -1;
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];
		uint64_t lo = (s->vaddr - PITH_GUEST_BASE) & ~4095ull;
		uint64_t hi = (s->vaddr + s->memsz - PITH_GUEST_BASE + 4095) & ~4095ull;

		if (set_prot(g, lo, hi - lo, (int)s->prot, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int fault_report(const struct guest *g, const ucontext_t *uc)
{
	const greg_t *r = uc->uc_mcontext.gregs;
	struct crash c = {
		.vector = (int)r[REG_TRAPNO],
		.has_error = true,
		.error = (uint64_t)r[REG_ERR],
		.cr2 = (uint64_t)r[REG_CR2],
		.rip = (uint64_t)r[REG_RIP],
		.rsp = (uint64_t)r[REG_RSP],
		.rbp = (uint64_t)r[REG_RBP],
		.rflags = (uint64_t)r[REG_EFL],
		.rax = (uint64_t)r[REG_RAX],
		.rbx = (uint64_t)r[REG_RBX],
		.rcx = (uint64_t)r[REG_RCX],
		.rdx = (uint64_t)r[REG_RDX],
		.rsi = (uint64_t)r[REG_RSI],
		.rdi = (uint64_t)r[REG_RDI],
		.r8 = (uint64_t)r[REG_R8],
		.r9 = (uint64_t)r[REG_R9],
		.r10 = (uint64_t)r[REG_R10],
		.r11 = (uint64_t)r[REG_R11],
		.r12 = (uint64_t)r[REG_R12],
		.r13 = (uint64_t)r[REG_R13],
		.r14 = (uint64_t)r[REG_R14],
		.r15 = (uint64_t)r[REG_R15],
	};

	/* The kernel reports a fault on a PROT_NONE page as present; hvt's
	 * tables leave those pages out. Say the same thing on both. */
	if (c.vector == 14 &&
	    (c.cr2 < PITH_GUEST_BASE + 4096 ||
	     (c.cr2 >= GPA_TO_VA(g->lay.guard) && c.cr2 < GPA_TO_VA(g->lay.guard) + 4096)))
		c.error &= ~1ull;
	return crash_report(g, &c);
}

/* Not instrumented: AddressSanitizer would check the alternate stack
 * before the exit (reading /proc/self/maps, which the filter forbids). */
__attribute__((no_sanitize("address"))) _Noreturn void process_signal(int sig, siginfo_t *si,
								      void *uc)
{
	const struct guest *g = &guest;
	uint32_t broken = 0;
	int status;

	/* What the guest wrote and had not yet written out comes first, but
	 * a reader that does not read must not keep pith from ending. */
	console_abort = 1;
	host_tty_restore();
	if (console_drain(g->con, g->lay.console_size, &broken) < 0)
		fprintf(stderr, "pith: guest left malformed console records\n");
	switch (sig) {
	case SIGSYS:
		fprintf(stderr,
			"pith: guest stopped: forbidden host system call %d (exit status %d)\n",
			si->si_syscall, PITH_EXIT_VIOLATION);
		status = PITH_EXIT_VIOLATION;
		break;
	case SIGINT:
	case SIGTERM:
	case SIGHUP:
		status = PITH_EXIT_SIGBASE + sig;
		break;
	default:
		status = fault_report(g, uc);
		break;
	}
	trap_exit(status);
}

static int install_handlers(char *err, size_t errlen)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE,  SIGILL, SIGTRAP,
				    SIGSYS,  SIGINT, SIGTERM, SIGHUP };
	stack_t ss = { .ss_size = ALTSTACK_SIZE };
	struct sigaction sa = { .sa_sigaction = trap_handler, .sa_flags = SA_SIGINFO | SA_ONSTACK };

	ss.ss_sp = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (ss.ss_sp == MAP_FAILED || sigaltstack(&ss, NULL) < 0) {
		snprintf(err, errlen, "cannot set up the signal stack: %s", strerror(errno));
		return -1;
	}
	/* Every signal blocked while one is handled: one report only. */
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0) {
			snprintf(err, errlen, "sigaction: %s", strerror(errno));
			return -1;
		}
	/* EPIPE reaches the guest's console; the guest decides. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static bool keep_fd(const struct run_opts *o, int fd)
{
	if (o->net.on && fd == o->net.fd)
		return true;
	for (unsigned i = 0; i < o->nvol; i++)
		if (o->vol[i].fd == fd)
			return true;
	return false;
}

/* Close every fd from 3 up but the volumes' roots. */
static void close_others(const struct run_opts *o)
{
	int from = 3;

	for (;;) {
		int to = from;

		while (to < 4096 && !keep_fd(o, to))
			to++;
		if (to == 4096) {
			if (syscall(SYS_close_range, from, ~0u, 0) < 0)
				for (int fd = from; fd < 4096; fd++)
					close(fd);
			return;
		}
		if (to > from && syscall(SYS_close_range, from, to - 1, 0) < 0)
			for (int fd = from; fd < to; fd++)
				close(fd);
		from = to + 1;
	}
}

int process_run(const struct elf_image *img, const struct run_opts *o, char *err, size_t errlen)
{
	struct guest *g = &guest;
	uint32_t flags = host_boot_flags(o);
	void *want = (void *)PITH_GUEST_BASE;
	sigset_t none;

	g->img = img;
	g->mem_size = o->mem_size;
	if (layout_plan(&g->lay, img, o->mem_size, args_size(o), 0, err, errlen) < 0)
		return -1;
	g->mem = mmap(want, g->mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (g->mem == MAP_FAILED || g->mem != want) {
		snprintf(err, errlen, "cannot map guest memory at 0x%lx: %s",
			 (unsigned long)PITH_GUEST_BASE,
			 g->mem == MAP_FAILED ? strerror(errno) : "address taken");
		return -1;
	}
	trap_fsgsbase =
		(getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE) && !getenv("PITH_TEST_NO_FSGSBASE");
	if (trap_fsgsbase)
		flags |= PITH_BOOT_FSGSBASE;
	host_tty_save();
	guest_load(g, o, PITH_TARGET_PROCESS, flags);
	host_boot_fill(g->boot);
	trap_console = g->con;
	g->boot->vdso_clock_gettime = vdso_clock_gettime();

	if (protect(g, err, errlen) < 0 || install_handlers(err, errlen) < 0)
		return -1;
	if (syscall(SYS_arch_prctl, ARCH_GET_FS, &trap_host_fs) < 0) {
		snprintf(err, errlen, "arch_prctl: %s", strerror(errno));
		return -1;
	}
	if (o->verbose)
		fprintf(stderr, "pith: process: guest runs in pith's process %d\n", (int)getpid());
	/* The guest could call openat2 itself: Landlock is its wall. */
	if (landlock_volumes(o, true, err, errlen) < 0)
		return -1;
	fflush(NULL);
	/* The guest holds no fd but the console's, its volumes' roots and
	 * the tap (--net). */
	close_others(o);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	trap_enter_guest(img->entry, GPA_TO_VA(g->lay.stack_top), GPA_TO_VA(g->lay.boot),
			 seccomp_process_filter(o->nvol > 0, o->net.on));
}
