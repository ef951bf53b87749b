/*
 * syscall.c — __pith_syscall(), the kernel's one entry from the program.
 *
 * musl calls it for every system call (a function call, not a `syscall`
 * instruction). The table binds each number to its handler: core handlers
 * always, optional parts' handlers weakly, so a part the link left out
 * reads as NULL. A call with no handler returns -ENOSYS and is named on
 * stderr once (unless --quiet), never answered wrongly in silence.
 *
 * This runs before the program's TLS exists and must not touch %fs: the
 * kernel is built without a stack protector.
 */
#include "../kernel/console.h"
#include "part.h"
#include "posix.h"

/* The core's markers: its own calls and every unimplemented one. */
PITH_PART_NAME(core)
#undef MARK_core
#define MARK_core(nr) PITH_MARK(nr)
#undef MARK_none
#define MARK_none(nr) PITH_MARK(nr)
#include "syscalls.def"
#undef SYS

typedef long sys_fn(long, long, long, long, long, long);

/* Handlers are written with their natural C types; the ABI passes six
 * integer registers either way. */
#define DECL_core(name) extern sys_fn sys_##name;
#define DECL_none(name)
#define DECL_time(name)	    extern sys_fn sys_##name __attribute__((weak));
#define DECL_random(name)   extern sys_fn sys_##name __attribute__((weak));
#define DECL_fs(name)	    extern sys_fn sys_##name __attribute__((weak));
#define DECL_pipe(name)	    extern sys_fn sys_##name __attribute__((weak));
#define DECL_net(name)	    extern sys_fn sys_##name __attribute__((weak));
#define DECL_event(name)    extern sys_fn sys_##name __attribute__((weak));
#define SYS(nr, name, part) DECL_##part(name)
#include "syscalls.def"
#undef SYS

#define BIND_core(name)	    sys_##name
#define BIND_none(name)	    0
#define BIND_time(name)	    sys_##name
#define BIND_random(name)   sys_##name
#define BIND_fs(name)	    sys_##name
#define BIND_pipe(name)	    sys_##name
#define BIND_net(name)	    sys_##name
#define BIND_event(name)    sys_##name
#define SYS(nr, name, part) [nr] = BIND_##part(name),
static sys_fn *const table[] = {
#include "syscalls.def"
};
#undef SYS

#define SYS(nr, name, part) [nr] = #name,
static const char *const names[] = {
#include "syscalls.def"
};
#undef SYS

static uint64_t noted[(ARRAY_SIZE(table) + 63) / 64];

static long enosys(long n)
{
	if (n >= 0 && (unsigned long)n < ARRAY_SIZE(table)) {
		if (!(noted[n / 64] & (1ull << (n % 64))) && !posix_conf.quiet)
			kprintf("system call %s (%ld) is not implemented: ENOSYS",
				names[n] ? names[n] : "?", n);
		noted[n / 64] |= 1ull << (n % 64);
	} else if (!posix_conf.quiet) {
		kprintf("unknown system call %ld: ENOSYS", n);
	}
	return -ENOSYS;
}

long __pith_syscall(long n, long a, long b, long c, long d, long e, long f)
{
	sys_fn *fn;

	long r;

	if ((unsigned long)n >= ARRAY_SIZE(table) || !(fn = table[n]))
		return enosys(n);
	r = fn(a, b, c, d, e, f);
	/* A signal from outside (pith stop, Ctrl-C) is delivered on the way
	 * back to the program, as Linux does: one load when none came. */
	if (__builtin_expect(console_signals_arrived(), 0))
		signal_arrivals();
	return r;
}
