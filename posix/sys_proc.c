/*
 * sys_proc.c — the program as a process: exit, ids, uname, limits, TLS.
 *
 * The program is process 1, thread 1, run by root (uid 0) in a container
 * of its own; it owns the single CPU.
 */
#include "../kernel/clock.h"
#include "../kernel/console.h"
#include "../kernel/mem.h"
#include "../kernel/platform.h"
#include "file.h"
#include "posix.h"

void netstack_at_exit(void) __attribute__((weak));
void netstack_at_die(void) __attribute__((weak));

#define ARCH_SET_GS   0x1001
#define ARCH_SET_FS   0x1002
#define ARCH_GET_FS   0x1003
#define ARCH_GET_GS   0x1004
#define RLIMIT_STACK  3
#define RLIMIT_NOFILE 7
#define RLIM_INFINITY (~0UL)

static uint64_t fs_base;

_Noreturn void proc_exit(int status)
{
	if (netstack_at_exit) /* when the stack is linked */
		netstack_at_exit();
	console_tty_restore();
	plat->exit(PITH_EXIT_NORMAL, status & 0xff);
}

_Noreturn void proc_die(int sig)
{
	if (netstack_at_die)
		netstack_at_die();
	console_tty_restore();
	plat->exit(PITH_EXIT_SIGNAL, sig);
}

long sys_exit_group(int status)
{
	proc_exit(status);
}

long sys_exit(int status)
{
	proc_exit(status); /* the only thread */
}

long sys_getpid(void)
{
	return PITH_PID;
}
long sys_gettid(void)
{
	return PITH_TID;
}
long sys_getppid(void)
{
	return 0;
}
long sys_getuid(void)
{
	return 0;
}
long sys_geteuid(void)
{
	return 0;
}
long sys_getgid(void)
{
	return 0;
}
long sys_getegid(void)
{
	return 0;
}
long sys_getpgrp(void)
{
	return PITH_PID;
}
long sys_getpgid(int pid)
{
	return pid == 0 || pid == PITH_PID ? PITH_PID : -ESRCH;
}
long sys_getsid(int pid)
{
	return pid == 0 || pid == PITH_PID ? PITH_PID : -ESRCH;
}
long sys_setsid(void)
{
	return -EPERM; /* already a session leader */
}
long sys_sched_yield(void)
{
	return 0;
}

long sys_set_tid_address(int *tidptr)
{
	(void)tidptr; /* nothing clears it: the only thread never exits alone */
	return PITH_TID;
}

long sys_arch_prctl(int code, unsigned long addr)
{
	switch (code) {
	case ARCH_SET_FS:
		fs_base = addr;
		plat->set_tls(addr);
		return 0;
	case ARCH_GET_FS:
		if (!user_w(addr, sizeof(uint64_t)))
			return -EFAULT;
		*(uint64_t *)addr = fs_base;
		return 0;
	default:
		return -EINVAL;
	}
}

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

static void copy_str(char *dst, const char *src)
{
	size_t n = strnlen(src, 64);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

long sys_uname(struct utsname *u)
{
	if (!user_w((uintptr_t)u, sizeof(*u)))
		return -EFAULT;
	memset(u, 0, sizeof(*u));
	/* "Linux": programs test for it; the ABI is Linux's. */
	copy_str(u->sysname, "Linux");
	copy_str(u->nodename, posix_conf.hostname[0] ? posix_conf.hostname : "pith");
	copy_str(u->release, PITH_UNAME_RELEASE);
	copy_str(u->version, PITH_UNAME_VERSION);
	copy_str(u->machine, "x86_64");
	copy_str(u->domainname, "(none)");
	return 0;
}

struct rlimit {
	unsigned long cur, max;
};

long sys_prlimit64(int pid, int res, const struct rlimit *new, struct rlimit *old)
{
	if (pid != 0 && pid != PITH_PID)
		return -ESRCH;
	if (res < 0 || res >= 16)
		return -EINVAL;
	if (old) {
		if (!user_w((uintptr_t)old, sizeof(*old)))
			return -EFAULT;
		*old = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
		if (res == RLIMIT_NOFILE)
			*old = (struct rlimit){ NOFILE, NOFILE };
		else if (res == RLIMIT_STACK)
			*old = (struct rlimit){ 8UL << 20, RLIM_INFINITY };
	}
	if (new && !user_ok((uintptr_t) new, sizeof(*new)))
		return -EFAULT;
	return 0; /* new limits are accepted and not enforced */
}

long sys_getrlimit(int res, struct rlimit *old)
{
	return sys_prlimit64(0, res, 0, old);
}

struct timeval {
	long sec, usec;
};

struct rusage {
	struct timeval utime, stime;
	long rest[14];
};

long sys_getrusage(int who, struct rusage *ru)
{
	uint64_t cpu = clock_cputime();

	if (who != 0 && who != -1 && who != 1) /* SELF, CHILDREN, THREAD */
		return -EINVAL;
	if (!user_w((uintptr_t)ru, sizeof(*ru)))
		return -EFAULT;
	memset(ru, 0, sizeof(*ru));
	if (who != -1) {
		ru->utime.sec = (long)(cpu / 1000000000u);
		ru->utime.usec = (long)(cpu % 1000000000u / 1000u);
	}
	return 0;
}

long sys_sched_getaffinity(int pid, unsigned long size, unsigned long *mask)
{
	if (pid != 0 && pid != PITH_PID)
		return -ESRCH;
	if (size < sizeof(*mask))
		return -EINVAL;
	if (!user_w((uintptr_t)mask, sizeof(*mask)))
		return -EFAULT;
	*mask = 1; /* one CPU */
	return sizeof(*mask);
}

struct sysinfo {
	long uptime;
	unsigned long loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned mem_unit;
	char reserved[256];
};

long sys_sysinfo(struct sysinfo *si)
{
	if (!user_w((uintptr_t)si, sizeof(*si)))
		return -EFAULT;
	memset(si, 0, sizeof(*si));
	si->uptime = (long)((clock_monotonic() - clock_boot_ns()) / 1000000000u);
	si->totalram = mem_total_bytes();
	si->freeram = mem_free_bytes();
	si->procs = 1;
	si->mem_unit = 1;
	return 0;
}
