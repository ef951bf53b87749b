/*
 * process.c — target "process": the image as a sandboxed Linux process.
 *
 * pith maps guest memory at the address the image was linked for
 * (PITH_GUEST_BASE, shared so the parent sees it), loads the image there,
 * and forks. The child sets page permissions as hvt's page tables would,
 * closes every other fd, installs the seccomp allow-list and jumps to the
 * image's entry. Its platform layer (kernel/plat_process.c) makes only the
 * host calls the filter allows. The parent waits, forwards SIGINT, SIGTERM
 * and SIGHUP, then drains the console the child left and reports a crash
 * or a forbidden call from the trap page (process_trap.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console.h"
#include "crash.h"
#include "process.h"
#include "process_trap.h"
#include "util.h"
#include "vdso.h"

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1 << 1)
#endif
#define ARCH_SET_FS 0x1002

static pid_t child = -1;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

/* The child's allow-list as a BPF program, made before the fork so that
 * the child can load it with one raw call (process_trap.c). */
static int build_filter(struct sock_fprog *prog)
{
	/* Default: trap, so the handler can name the forbidden call. The
	 * filter forbids rt_sigaction and rt_sigprocmask, so the guest can
	 * neither remove the handler nor block the signal. */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	int rc = 0, fd = -1;
	off_t size;

	if (!ctx)
		return -1;
	/* An x32 or int $0x80 call is a forbidden call too: trap it the same
	 * way, so the report names it. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP) < 0) {
		seccomp_release(ctx);
		return -1;
	}
#define ALLOW(call, ...) \
	(rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(call), __VA_ARGS__))
	/* Console output. */
	ALLOW(write, 1, SCMP_A0(SCMP_CMP_EQ, 1));
	ALLOW(write, 1, SCMP_A0(SCMP_CMP_EQ, 2));
	/* stdin, and waiting for it or for a deadline. */
	ALLOW(read, 1, SCMP_A0(SCMP_CMP_EQ, 0));
	ALLOW(ppoll, 0);
	/* Time, when the vDSO falls back to the kernel. */
	ALLOW(clock_gettime, 0);
	/* The program's thread pointer, where wrfsbase is not enabled. */
	ALLOW(arch_prctl, 1, SCMP_A0(SCMP_CMP_EQ, ARCH_SET_FS));
	/* The end. */
	ALLOW(exit_group, 0);
	ALLOW(exit, 0);
#undef ALLOW
	if (rc == 0) {
		fd = memfd_create("pith-seccomp", MFD_CLOEXEC);
		rc = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
	}
	seccomp_release(ctx);
	if (rc == 0 && (size = lseek(fd, 0, SEEK_END)) > 0 &&
	    size % sizeof(struct sock_filter) == 0 &&
	    (prog->filter = malloc((size_t)size)) != NULL &&
	    pread(fd, prog->filter, (size_t)size, 0) == size) {
		prog->len = (unsigned short)(size / sizeof(struct sock_filter));
		close(fd);
		return 0;
	}
	if (fd >= 0)
		close(fd);
	return -1;
}

static void set_prot(const struct guest *g, uint64_t gpa, uint64_t len, int prot)
{
	if (len && mprotect(g->mem + gpa, len, prot) < 0) {
		fprintf(stderr, "pith: mprotect: %s\n", strerror(errno));
		_exit(PITH_EXIT_ERROR);
	}
}

static _Noreturn void run_child(const struct guest *g, const struct sock_fprog *filter)
{
	const struct elf_image *img = g->img;
	static uint8_t altstack[16384];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_sigaction = trap_handler, .sa_flags = SA_SIGINFO | SA_ONSTACK };
	const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS };

	/* Page permissions, as on hvt: page 0 and the guard page
	 * inaccessible, each segment as the ELF says. */
	set_prot(g, 0, 4096, PROT_NONE);
	set_prot(g, g->lay.guard, 4096, PROT_NONE);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];
		uint64_t lo = (s->vaddr - PITH_GUEST_BASE) & ~4095ull;
		uint64_t hi = (s->vaddr + s->memsz - PITH_GUEST_BASE + 4095) & ~4095ull;

		set_prot(g, lo, hi - lo, (int)s->prot);
	}
	sigemptyset(&sa.sa_mask);
	if (sigaltstack(&ss, NULL) < 0)
		_exit(PITH_EXIT_ERROR);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* EPIPE reaches the guest's console */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (syscall(SYS_close_range, 3, ~0u, 0) < 0)
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	trap_enter_guest(img->entry, GPA_TO_VA(g->lay.stack_top), GPA_TO_VA(g->lay.boot), filter);
}

static int report(const struct guest *g, const struct trap_report *t)
{
	struct crash c = {
		.vector = (int)t->trapno, .has_error = true, .error = t->err, .cr2 = t->cr2
	};
	const uint64_t *r = t->gregs;

	if (t->signo == SIGSYS) {
		fprintf(stderr,
			"pith: guest stopped: forbidden host system call %d (exit status %d)\n",
			t->syscall_nr, PITH_EXIT_VIOLATION);
		return PITH_EXIT_VIOLATION;
	}
	c.r8 = r[REG_R8], c.r9 = r[REG_R9], c.r10 = r[REG_R10], c.r11 = r[REG_R11];
	c.r12 = r[REG_R12], c.r13 = r[REG_R13], c.r14 = r[REG_R14], c.r15 = r[REG_R15];
	c.rdi = r[REG_RDI], c.rsi = r[REG_RSI], c.rbp = r[REG_RBP], c.rbx = r[REG_RBX];
	c.rdx = r[REG_RDX], c.rax = r[REG_RAX], c.rcx = r[REG_RCX], c.rsp = r[REG_RSP];
	c.rip = r[REG_RIP], c.rflags = r[REG_EFL];
	/* The kernel reports a fault on a PROT_NONE page as present; hvt's
	 * tables leave those pages out. Say the same thing on both. */
	if (c.vector == 14 &&
	    (c.cr2 < PITH_GUEST_BASE + 4096 ||
	     (c.cr2 >= GPA_TO_VA(g->lay.guard) && c.cr2 < GPA_TO_VA(g->lay.guard) + 4096)))
		c.error &= ~1ull;
	return crash_report(g, &c);
}

int process_run(const struct elf_image *img, const struct run_opts *o, char *err, size_t errlen)
{
	struct guest g = { .img = img, .mem_size = o->mem_size };
	uint32_t flags = host_boot_flags(o), broken = 0;
	struct trap_report *trap;
	struct sock_fprog filter;
	int status, st;
	void *want = (void *)PITH_GUEST_BASE;

	if (layout_plan(&g.lay, img, o->mem_size, args_size(o), 0, err, errlen) < 0)
		return -1;
	g.mem = mmap(want, g.mem_size, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (g.mem == MAP_FAILED || g.mem != want) {
		snprintf(err, errlen, "cannot map guest memory at 0x%lx: %s",
			 (unsigned long)PITH_GUEST_BASE,
			 g.mem == MAP_FAILED ? strerror(errno) : "address taken");
		return -1;
	}
	trap = mmap(NULL, sizeof(*trap), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (trap == MAP_FAILED) {
		snprintf(err, errlen, "cannot map the trap page: %s", strerror(errno));
		return -1;
	}
	trap_report = trap;
	if (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE)
		flags |= PITH_BOOT_FSGSBASE;
	guest_load(&g, o, PITH_TARGET_PROCESS, flags);
	host_boot_fill(g.boot);
	g.boot->vdso_clock_gettime = vdso_clock_gettime();

	if (build_filter(&filter) < 0) {
		snprintf(err, errlen, "cannot build the seccomp filter");
		return -1;
	}
	fflush(NULL);
	child = fork();
	if (child < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (child == 0)
		run_child(&g, &filter);

	signal(SIGINT, forward);
	signal(SIGTERM, forward);
	signal(SIGHUP, forward);
	signal(SIGPIPE, SIG_IGN);
	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -1;
		}
	/* What the guest buffered and did not write before it ended. */
	if (console_drain(g.con, g.lay.console_size, &broken) < 0)
		fprintf(stderr, "pith: guest left malformed console records\n");
	if (__atomic_load_n(&trap->magic, __ATOMIC_ACQUIRE) == TRAP_MAGIC)
		status = report(&g, trap);
	else if (WIFEXITED(st))
		status = WEXITSTATUS(st);
	else if (WTERMSIG(st) == SIGSYS) {
		fprintf(stderr,
			"pith: guest stopped: forbidden host system call (exit status %d)\n",
			PITH_EXIT_VIOLATION);
		status = PITH_EXIT_VIOLATION;
	} else
		status = 128 + WTERMSIG(st);
	if (o->verbose)
		fprintf(stderr, "pith: process: child %d ended with status %d\n", (int)child,
			status);
	free(filter.filter);
	munmap(trap, sizeof(*trap));
	munmap(g.mem, g.mem_size);
	return status;
}
