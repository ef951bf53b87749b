/* errors.c — system calls with bad arguments get Linux's errors. Raw
 * syscall() so that libc checks nothing on the way. (The program also
 * calls the libc wrappers once, so that pith links the parts that hold
 * those calls; syscall-raw.c checks raw calls without them.) */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TRY(what, call)                                                             \
	do {                                                                        \
		errno = 0;                                                          \
		long r_ = (call);                                                   \
		printf("%-40s = %ld %s\n", what, r_, r_ < 0 ? errname(errno) : ""); \
	} while (0)

static const char *errname(int e)
{
	switch (e) {
	case EBADF:
		return "EBADF";
	case EFAULT:
		return "EFAULT";
	case EINVAL:
		return "EINVAL";
	case ESRCH:
		return "ESRCH";
	case ENOMEM:
		return "ENOMEM";
	case ESPIPE:
		return "ESPIPE";
	case ENOSYS:
		return "ENOSYS";
	case EPERM:
		return "EPERM";
	default:
		return strerror(e);
	}
}

int main(int argc, char **argv)
{
	char buf[16];
	struct timespec bad_ns = { 0, 1000000000L }, ts;
	unsigned long mask = 0;

	(void)argv;
	if (argc > 99) { /* never: only links the wrappers' kernel parts */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		nanosleep(&ts, NULL);
		getrandom(buf, 1, 0);
	}
	TRY("write(1, NULL, 5)", syscall(SYS_write, 1, NULL, 5));
	TRY("write(1, NULL, 0)", syscall(SYS_write, 1, NULL, 0));
	TRY("write(1, (void *)-4096, 5)", syscall(SYS_write, 1, (void *)-4096L, 5));
	TRY("write(7, buf, 1)", syscall(SYS_write, 7, buf, 1));
	TRY("write(-1, buf, 1)", syscall(SYS_write, -1, buf, 1));
	TRY("write(0x7fffffff, buf, 1)", syscall(SYS_write, 0x7fffffff, buf, 1));
	TRY("read(7, buf, 1)", syscall(SYS_read, 7, buf, 1));
	TRY("read(0, buf, 0)", syscall(SYS_read, 0, buf, 0));
	TRY("close(7)", syscall(SYS_close, 7));
	TRY("nanosleep(1e9 ns)", syscall(SYS_nanosleep, &bad_ns, NULL));
	TRY("nanosleep(NULL)", syscall(SYS_nanosleep, NULL, NULL));
	TRY("clock_gettime(MONOTONIC, NULL)", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL));
	TRY("clock_gettime(-1, &ts)", syscall(SYS_clock_gettime, -1, &ts));
	TRY("clock_getres(MONOTONIC, NULL)", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
	TRY("uname(NULL)", syscall(SYS_uname, NULL));
	TRY("rt_sigaction(0, ...)", syscall(SYS_rt_sigaction, 0, NULL, NULL, 8));
	TRY("rt_sigaction(65, ...)", syscall(SYS_rt_sigaction, 65, NULL, NULL, 8));
	TRY("rt_sigaction(USR1, ..., size 4)", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
	TRY("rt_sigprocmask(99, &mask, ...)", syscall(SYS_rt_sigprocmask, 99, &mask, NULL, 8));
	TRY("rt_sigprocmask(BLOCK, NULL, NULL)",
	    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, NULL, 8));
	TRY("kill(getpid(), 65)", syscall(SYS_kill, getpid(), 65));
	TRY("kill(getpid(), -1)", syscall(SYS_kill, getpid(), -1));
	TRY("getrandom(NULL, 8, 0)", syscall(SYS_getrandom, NULL, 8, 0));
	TRY("getrandom(buf, 8, 0x80)", syscall(SYS_getrandom, buf, 8, 0x80));
	TRY("arch_prctl(0x9999, 0)", syscall(SYS_arch_prctl, 0x9999, 0));
	TRY("munmap(1, 4096)", syscall(SYS_munmap, 1, 4096));
	TRY("mprotect(unaligned)", syscall(SYS_mprotect, buf + 1, 10, PROT_READ));
	TRY("madvise(unaligned)", syscall(SYS_madvise, buf + 1, 10, 4));
	TRY("getrlimit(99, ...)", syscall(SYS_getrlimit, 99, buf));
	TRY("sched_getaffinity(0, 1, buf)", syscall(SYS_sched_getaffinity, 0, 1, buf));
	TRY("gettimeofday(NULL, NULL)", syscall(SYS_gettimeofday, NULL, NULL));
	TRY("fstat(7, buf)", syscall(SYS_fstat, 7, buf));
	TRY("fstat(1, NULL)", syscall(SYS_fstat, 1, NULL));
	TRY("ioctl(7, TCGETS)", syscall(SYS_ioctl, 7, 0x5401, buf));
	TRY("fcntl(7, F_GETFD)", syscall(SYS_fcntl, 7, 1));
	TRY("fcntl(1, 9999)", syscall(SYS_fcntl, 1, 9999));
	return 0;
}
