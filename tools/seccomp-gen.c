/*
 * seccomp-gen.c — compiles pith's seccomp allow-lists at build time.
 *
 * Run by make; writes a C header with the BPF programs that the monitor
 * (hvt) and the process target load, so that `pith run` spends no time
 * in libseccomp: on nested KVM its start-up probes cost a tenth of a
 * hello-world boot. Every allowed call has its reason beside it.
 *
 * Each target has four filters: without and with volumes (`pith run -v`),
 * each without and with a network device (`pith run --net`), so a
 * program keeps the smallest list that serves it.
 *
 * The hvt filter pins ioctl to the vCPU's fd, known only at run time: it
 * is compiled with SECCOMP_VCPU_FD_PLACEHOLDER, which the monitor
 * replaces with the real fd before loading (monitor/seccomp.c).
 *
 * usage: seccomp-gen > seccomp_filters.h
 */
#include <asm/prctl.h>
#include <errno.h>
#include <linux/fcntl.h>
#include <linux/kvm.h>
#include <asm/ioctls.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../monitor/netfd.h"

#define VCPU_FD_PLACEHOLDER 0x7ead0fd0u

static scmp_filter_ctx ctx;

static void allow(int nr, unsigned n, ...)
{
	struct scmp_arg_cmp cmp[3];
	va_list ap;

	va_start(ap, n);
	for (unsigned i = 0; i < n; i++)
		cmp[i] = va_arg(ap, struct scmp_arg_cmp);
	va_end(ap);
	if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, cmp) < 0) {
		fprintf(stderr, "seccomp-gen: rule for call %d refused\n", nr);
		exit(1);
	}
}

/* ioctl's request is an int to musl and an unsigned long to glibc: compare
 * the low 32 bits, which are all the kernel looks at. */
#define REQ(r)	   SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, (r))
#define VCPU	   SCMP_A0(SCMP_CMP_EQ, VCPU_FD_PLACEHOLDER)
#define FD(n)	   SCMP_A0(SCMP_CMP_EQ, (n))
#define NO_EXEC	   SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)
#define NO_SIGMASK SCMP_A3(SCMP_CMP_EQ, 0)

/* Terminal settings on fds 0..2: get, and set now / after output / after
 * flushing input (TCGETS, TCSETS, TCSETSW, TCSETSF) — nothing else. */
static void tty_rules(void)
{
	static const unsigned long reqs[] = { TCGETS, TCSETS, TCSETSW, TCSETSF };

	for (int fd = 0; fd < 3; fd++)
		for (unsigned i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++)
			allow(SCMP_SYS(ioctl), 2, FD(fd), REQ(reqs[i]));
}

/* A dirfd argument that is a real fd (>= 0), never AT_FDCWD: with a
 * relative path the call stays at a directory pith opened. (An absolute
 * path ignores the dirfd, and seccomp cannot read paths: Landlock,
 * monitor/landlock.c, confines those.) */
#define DIRFD(i)	   SCMP_CMP((i), SCMP_CMP_MASKED_EQ, 0x80000000u, 0)
#define FLAGS(i, f)	   SCMP_CMP((i), SCMP_CMP_EQ, (f))
#define NR_fchmodat2	   452 /* Linux 6.6; newer than this libseccomp's tables */
#define RENAME_NOREPLACE_K 1   /* renameat2 flags: 0 or this */
#define OPEN_HOW_SIZE	   24  /* struct open_how as pith passes it */

/*
 * Volumes (`pith run -v`), only in the filters used when one is given:
 * exactly the calls of fs/hostfs_serve.c, which serves the guest's file
 * operations (in the monitor on hvt, in the guest on the process target).
 * Paths are resolved by openat2 with RESOLVE_BENEATH beneath a volume's
 * root; every other call acts on an fd that openat2 returned, or on one
 * last name in such a directory.
 */
static void volume_rules(void)
{
	/* Resolve a path beneath a volume (the only way to open anything);
	 * the open_how struct it points at is out of seccomp's sight. */
	allow(SCMP_SYS(openat2), 2, DIRFD(0), FLAGS(3, OPEN_HOW_SIZE));
	allow(SCMP_SYS(close), 0); /* handles and O_PATH fds it opened */
	/* Data between the files and guest memory, at explicit offsets. */
	allow(SCMP_SYS(pread64), 0);
	allow(SCMP_SYS(pwrite64), 0);
	allow(SCMP_SYS(getdents64), 0); /* directory listings */
	allow(SCMP_SYS(lseek), 0);	/* SEEK_END/DATA/HOLE, directory positions */
	allow(SCMP_SYS(ftruncate), 0);
	allow(SCMP_SYS(fsync), 0); /* the guest's fsync reaches the disk */
	allow(SCMP_SYS(fdatasync), 0);
	/* stat of an fd (AT_EMPTY_PATH), or of one name in a resolved
	 * directory without following it. */
	allow(SCMP_SYS(newfstatat), 2, DIRFD(0), FLAGS(3, AT_EMPTY_PATH));
	allow(SCMP_SYS(newfstatat), 2, DIRFD(0), FLAGS(3, AT_SYMLINK_NOFOLLOW));
	/* Name changes: one last name in a resolved parent directory; the
	 * kernel never follows that name for these calls. */
	allow(SCMP_SYS(mkdirat), 1, DIRFD(0));
	allow(SCMP_SYS(unlinkat), 2, DIRFD(0),
	      SCMP_A2(SCMP_CMP_MASKED_EQ, ~(uint64_t)AT_REMOVEDIR, 0));
	allow(SCMP_SYS(renameat2), 3, DIRFD(0), DIRFD(2), SCMP_A4(SCMP_CMP_LE, RENAME_NOREPLACE_K));
	allow(SCMP_SYS(symlinkat), 1, DIRFD(1));
	/* Hard links, never with AT_SYMLINK_FOLLOW (which would follow a
	 * link out of the volume); the followed case passes an O_PATH fd
	 * resolved beneath the root, with AT_EMPTY_PATH. */
	allow(SCMP_SYS(linkat), 3, DIRFD(0), DIRFD(2), FLAGS(4, 0));
	allow(SCMP_SYS(linkat), 3, DIRFD(0), DIRFD(2), FLAGS(4, AT_EMPTY_PATH));
	/* On an O_PATH fd resolved beneath the root, with an empty path. */
	allow(SCMP_SYS(readlinkat), 1, DIRFD(0));
	allow(SCMP_SYS(faccessat2), 2, DIRFD(0), FLAGS(3, AT_EMPTY_PATH));
	allow(NR_fchmodat2, 2, DIRFD(0), FLAGS(3, AT_EMPTY_PATH));
	allow(SCMP_SYS(utimensat), 2, DIRFD(0), FLAGS(3, AT_EMPTY_PATH));
}

/* The KVM monitor, after set-up: run the vCPU and answer hypercalls. */
static void hvt_rules(void)
{
	allow(SCMP_SYS(ioctl), 2, VCPU, REQ(KVM_RUN)); /* run the guest */
	/* A crash report reads the vCPU's registers and its exception. */
	allow(SCMP_SYS(ioctl), 2, VCPU, REQ(KVM_GET_REGS));
	allow(SCMP_SYS(ioctl), 2, VCPU, REQ(KVM_GET_SREGS));
	allow(SCMP_SYS(ioctl), 2, VCPU, REQ(KVM_GET_VCPU_EVENTS));
	/* PITH_HC_SET_FS, on CPUs where the guest may not use wrfsbase. */
	allow(SCMP_SYS(ioctl), 2, VCPU, REQ(KVM_SET_SREGS));
	tty_rules(); /* PITH_HC_TTY, and restoring the terminal at the end */
	/* Console output and pith's own messages (musl's stdio: writev). */
	allow(SCMP_SYS(write), 1, FD(1));
	allow(SCMP_SYS(write), 1, FD(2));
	allow(SCMP_SYS(writev), 1, FD(1));
	allow(SCMP_SYS(writev), 1, FD(2));
	allow(SCMP_SYS(read), 1, FD(0)); /* the guest's stdin */
	/* Waiting for stdin or a deadline, or for a non-blocking stdout.
	 * PITH_HC_POLL blocks SIGINT/TERM/HUP while it checks whether one
	 * came, then lets them in only inside ppoll (its mask argument), so
	 * none is slept through. Masks only delay signals; SIGKILL and the
	 * filter's own kill stay. */
	allow(SCMP_SYS(ppoll), 0);
	allow(SCMP_SYS(rt_sigprocmask), 1, SCMP_A0(SCMP_CMP_EQ, SIG_BLOCK));
	allow(SCMP_SYS(rt_sigprocmask), 1, SCMP_A0(SCMP_CMP_EQ, SIG_SETMASK));
	allow(SCMP_SYS(poll), 0);
	allow(SCMP_SYS(clock_gettime), 0); /* deadlines, when the vDSO cannot */
	allow(SCMP_SYS(rt_sigreturn), 0);  /* SIGINT/TERM/HUP break KVM_RUN */
	/* Memory for stdio and the sanitizers' runtime; never executable. */
	allow(SCMP_SYS(brk), 0);
	allow(SCMP_SYS(mmap), 1, NO_EXEC);
	allow(SCMP_SYS(munmap), 0);
	allow(SCMP_SYS(sigaltstack), 1, SCMP_A0(SCMP_CMP_EQ, 0)); /* sanitizers ask */
	allow(SCMP_SYS(exit_group), 0);
	allow(SCMP_SYS(exit), 0);
}

/*
 * The network device (`pith run --net`) on hvt: the I/O thread moves
 * frames between the tap and the rings and sleeps in ppoll (allowed
 * above); the two threads wake each other through two eventfds. All
 * three fds sit at fixed numbers (monitor/netfd.h), so only they are
 * named: read and write on anything else is still forbidden.
 */
static void hvt_net_rules(void)
{
	allow(SCMP_SYS(read), 1, FD(NET_TAP_FD));  /* frames in, to the RX ring */
	allow(SCMP_SYS(write), 1, FD(NET_TAP_FD)); /* frames out, from the TX ring */
	/* passt's socket (--net user): a length prefix and its frame at once */
	allow(SCMP_SYS(writev), 1, FD(NET_TAP_FD));
	/* PITH_HC_NET_NOTIFY wakes the I/O thread, which empties it. */
	allow(SCMP_SYS(write), 1, FD(NET_KICK_FD));
	allow(SCMP_SYS(read), 1, FD(NET_KICK_FD));
	/* RX frames for a guest in PITH_HC_POLL wake the vCPU thread. */
	allow(SCMP_SYS(write), 1, FD(NET_WAKE_FD));
	allow(SCMP_SYS(read), 1, FD(NET_WAKE_FD));
	/* The sanitizers' allocator, first used in the I/O thread after
	 * lock-down, marks its new regions so; advice changes no access. */
	allow(SCMP_SYS(madvise), 1, SCMP_A2(SCMP_CMP_EQ, MADV_NOHUGEPAGE));
}

/* On the process target the guest itself reads and writes the tap. */
static void process_net_rules(void)
{
	allow(SCMP_SYS(read), 1, FD(NET_TAP_FD));
	allow(SCMP_SYS(write), 1, FD(NET_TAP_FD));
	allow(SCMP_SYS(writev), 1, FD(NET_TAP_FD)); /* passt's socket: prefix + frame */
}

static void hvt_volume_rules(void)
{
	hvt_rules();
	volume_rules();
}

static void hvt_net_filter_rules(void)
{
	hvt_rules();
	hvt_net_rules();
}

static void hvt_volume_net_rules(void)
{
	hvt_volume_rules();
	hvt_net_rules();
}

/*
 * The process target: the guest itself runs under this filter, in pith's
 * process. Anything else traps, so the handler can name the call; the
 * filter forbids rt_sigaction and rt_sigprocmask, so the guest can neither
 * remove that handler nor block the signal.
 */
static void process_rules(void)
{
	/* Console output; reports (stdio writes with writev under musl). */
	allow(SCMP_SYS(write), 1, FD(1));
	allow(SCMP_SYS(write), 1, FD(2));
	allow(SCMP_SYS(writev), 1, FD(1));
	allow(SCMP_SYS(writev), 1, FD(2));
	allow(SCMP_SYS(read), 1, FD(0)); /* stdin */
	tty_rules();			 /* the program's terminal settings, and pith's restore */
	/* Waiting for stdin or a deadline; never with a signal mask, which
	 * would let the guest shut pith's SIGTERM handler out. */
	allow(SCMP_SYS(ppoll), 1, NO_SIGMASK);
	allow(SCMP_SYS(clock_gettime), 0); /* when the vDSO falls back */
	/* The end of pith's handler for an outside signal the program
	 * catches (abi.h): the guest runs on. A guest calling it itself can
	 * only set its own registers and signal mask, which SIGKILL and the
	 * filter's SIGSYS (forced through any mask) still override. */
	allow(SCMP_SYS(rt_sigreturn), 0);
	/* The program's thread pointer (and pith's, back in a handler),
	 * where wrfsbase is not enabled. */
	allow(SCMP_SYS(arch_prctl), 1, SCMP_A0(SCMP_CMP_EQ, ARCH_SET_FS));
	/* Sanitizer runtimes ask for the signal stack and map memory while
	 * pith reports (a query, no new stack; never executable memory):
	 * nothing the guest does not have already, the whole process. */
	allow(SCMP_SYS(sigaltstack), 1, SCMP_A0(SCMP_CMP_EQ, 0));
	allow(SCMP_SYS(mmap), 1, NO_EXEC);
	allow(SCMP_SYS(munmap), 0);
	allow(SCMP_SYS(exit_group), 0);
	allow(SCMP_SYS(exit), 0);
}

static void process_volume_rules(void)
{
	process_rules();
	volume_rules();
}

static void process_net_filter_rules(void)
{
	process_rules();
	process_net_rules();
}

static void process_volume_net_rules(void)
{
	process_volume_rules();
	process_net_rules();
}

static void emit(const char *name, uint32_t dflt, void (*rules)(void))
{
	FILE *f = tmpfile();
	long size;
	unsigned char *buf;

	ctx = seccomp_init(dflt);
	/* An x32 or int $0x80 call is as forbidden as any other. */
	if (!ctx || seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, dflt) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 || !f) {
		fprintf(stderr, "seccomp-gen: set-up failed\n");
		exit(1);
	}
	rules();
	if (seccomp_export_bpf(ctx, fileno(f)) < 0) {
		fprintf(stderr, "seccomp-gen: cannot export %s\n", name);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = malloc((size_t)size);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size || size % 8) {
		fprintf(stderr, "seccomp-gen: cannot export %s\n", name);
		exit(1);
	}
	printf("static const struct sock_filter %s[] = {\n", name);
	for (long i = 0; i < size; i += 8) {
		unsigned short code;
		unsigned char jt, jf;
		unsigned k;

		memcpy(&code, buf + i, 2);
		jt = buf[i + 2];
		jf = buf[i + 3];
		memcpy(&k, buf + i + 4, 4);
		printf("\t{ 0x%04x, %u, %u, 0x%08x },\n", code, jt, jf, k);
	}
	printf("};\n\n");
	free(buf);
	fclose(f);
	seccomp_release(ctx);
}

int main(void)
{
	printf("/* Generated by tools/seccomp-gen.c at build time: do not edit. */\n"
	       "#define SECCOMP_VCPU_FD_PLACEHOLDER 0x%08xu\n\n",
	       VCPU_FD_PLACEHOLDER);
	emit("hvt_filter", SCMP_ACT_KILL_PROCESS, hvt_rules);
	emit("process_filter", SCMP_ACT_TRAP, process_rules);
	/* The same with volumes: chosen only when `pith run -v` is given. */
	emit("hvt_volume_filter", SCMP_ACT_KILL_PROCESS, hvt_volume_rules);
	emit("process_volume_filter", SCMP_ACT_TRAP, process_volume_rules);
	/* With a network device (`pith run --net`), with and without volumes. */
	emit("hvt_net_filter", SCMP_ACT_KILL_PROCESS, hvt_net_filter_rules);
	emit("process_net_filter", SCMP_ACT_TRAP, process_net_filter_rules);
	emit("hvt_volume_net_filter", SCMP_ACT_KILL_PROCESS, hvt_volume_net_rules);
	emit("process_volume_net_filter", SCMP_ACT_TRAP, process_volume_net_rules);
	return 0;
}
