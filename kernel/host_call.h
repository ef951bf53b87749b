/*
 * host_call.h — a raw Linux system call, for the process target's
 * bindings only (plat_process.c, netdev_process.c): there the guest runs
 * in pith's process and calls the host directly, inside its seccomp
 * filter. Always inlined, so the instruction stays in the binding's own
 * functions, where tests/cli's scan expects it.
 */
#ifndef PITH_HOST_CALL_H
#define PITH_HOST_CALL_H

__attribute__((always_inline)) static inline long host3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

__attribute__((always_inline)) static inline long host4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

#endif
