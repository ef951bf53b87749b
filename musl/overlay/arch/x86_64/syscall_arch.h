/*
 * syscall_arch.h — pith's replacement for musl's x86_64 system-call glue.
 *
 * Every system call musl makes becomes a direct C call into the guest
 * kernel's __pith_syscall(), which follows the Linux x86_64 syscall ABI for
 * numbers, arguments and -errno results. No `syscall` instruction remains.
 *
 * Selective linking: when the call number is a compile-time constant, the
 * call site also leaves an undefined reference to __pith_need_<nr> in a
 * section the final link discards. The kernel part that implements that
 * call defines the symbol, so the linker pulls in exactly the parts that
 * the program's libc functions reach (a hello world gets no network stack).
 * Every number has exactly one definer: an optional part, or the core
 * (implemented or ENOSYS). musl.sh makes the cancellable calls
 * (__syscall_cp0..6 in src/internal/syscall.h) leave the same reference.
 * Calls with a run-time number (syscall(3)) reach only what the link
 * pulled in for other reasons.
 */

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

long __pith_syscall(long, long, long, long, long, long, long);

static __inline __attribute__((always_inline)) void __pith_need(long n)
{
	if (__builtin_constant_p(n))
		__asm__(".pushsection .pith_need,\"\",@progbits\n\t"
			".quad __pith_need_%c0\n\t.popsection"
			: : "n"(n));
}

static __inline long __syscall0(long n)
{
	__pith_need(n);
	return __pith_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a1)
{
	__pith_need(n);
	return __pith_syscall(n, a1, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a1, long a2)
{
	__pith_need(n);
	return __pith_syscall(n, a1, a2, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a1, long a2, long a3)
{
	__pith_need(n);
	return __pith_syscall(n, a1, a2, a3, 0, 0, 0);
}

static __inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	__pith_need(n);
	return __pith_syscall(n, a1, a2, a3, a4, 0, 0);
}

static __inline long __syscall5(long n, long a1, long a2, long a3, long a4,
				long a5)
{
	__pith_need(n);
	return __pith_syscall(n, a1, a2, a3, a4, a5, 0);
}

static __inline long __syscall6(long n, long a1, long a2, long a3, long a4,
				long a5, long a6)
{
	__pith_need(n);
	return __pith_syscall(n, a1, a2, a3, a4, a5, a6);
}

/* No vDSO: clock_gettime comes to the kernel, which reads time in-guest. */

#define IPC_64 0
