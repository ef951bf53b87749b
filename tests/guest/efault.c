/* efault.c — system calls handed a buffer they may not write (the
 * program's read-only data or code) fail with EFAULT, as on Linux; the
 * program is not killed. Raw syscall() calls, one after the other; stdin
 * must hold some bytes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

const char ro[64] = "read-only data";

#define TRY(what, call)                                                                 \
	do {                                                                            \
		errno = 0;                                                              \
		long r_ = (call);                                                       \
		printf("%-28s = %ld (%s)\n", what, r_, r_ < 0 ? strerror(errno) : "-"); \
		fflush(stdout);                                                         \
	} while (0)

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 99) { /* never: only links the kernel parts of these calls */
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		getrandom(&t, 1, 0);
	}
	TRY("read(0, rodata, 8)", syscall(SYS_read, 0, ro, 8));
	TRY("read(0, code, 8)", syscall(SYS_read, 0, (void *)main, 8));
	TRY("getrandom(rodata, 8)", syscall(SYS_getrandom, ro, 8, 0));
	TRY("clock_gettime(MONO, rodata)", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ro));
	TRY("uname(rodata)", syscall(SYS_uname, ro));
	TRY("fstat(1, rodata)", syscall(SYS_fstat, 1, ro));
	/* Just past the default 128 MiB of guest memory: nothing there, on
	 * either target or natively. (The monitor's tables below it: the
	 * monitor suite's efault-sysarea.) */
	TRY("write(1, past memory, 16)", syscall(SYS_write, 1, (void *)0x18000000, 16));
	TRY("read(0, past memory, 16)", syscall(SYS_read, 0, (void *)0x18000000, 16));
	printf("rodata intact: %d\n", strcmp(ro, "read-only data") == 0);
	return 0;
}
