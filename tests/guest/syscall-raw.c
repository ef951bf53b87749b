/* syscall-raw.c — system calls made with syscall(2) and a SYS_ number
 * only, as older programs do for getrandom and clock_gettime: no libc
 * wrapper of these calls appears anywhere in the program. */
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct ts {
	long sec, nsec;
};

int main(void)
{
	unsigned char buf[16] = { 0 };
	struct ts t0, t1, req = { 0, 1000000 };
	long r, nonzero = 0;

	r = syscall(SYS_getrandom, buf, sizeof(buf), 0);
	for (int i = 0; i < 16; i++)
		nonzero |= buf[i];
	printf("getrandom: %ld, bytes set: %d\n", r, nonzero != 0);
	r = syscall(SYS_clock_gettime, 1 /* MONOTONIC */, &t0);
	printf("clock_gettime: %ld\n", r);
	r = syscall(SYS_nanosleep, &req, NULL);
	syscall(SYS_clock_gettime, 1, &t1);
	printf("nanosleep(1 ms): %ld, slept: %d\n", r,
	       (t1.sec - t0.sec) * 1000000000L + (t1.nsec - t0.nsec) >= 1000000L);
	r = syscall(SYS_gettimeofday, &t0, NULL);
	printf("gettimeofday: %ld\n", r);
	r = syscall(SYS_time, NULL);
	printf("time: %s\n", r > 1600000000L ? "plausible" : "wrong");
	return 0;
}
