/*
 * posix.h — the Linux system-call layer the program's libc calls into.
 *
 * Handlers take the call's arguments as the Linux x86_64 ABI gives them and
 * return a result or -errno; syscall.c dispatches to them by number. This
 * header holds what handlers in different files share.
 */
#ifndef PITH_POSIX_H
#define PITH_POSIX_H

#include <pith/abi.h>

#include "../kernel/kernel.h"

struct posix_conf {
	bool quiet;	     /* no ENOSYS notes */
	uint16_t rows, cols; /* host terminal size */
	char hostname[65];
	uint64_t user_lo, user_hi;	  /* program-visible memory, for EFAULT */
	uint32_t fd_mode[FD_CONSOLE_MAX]; /* the host fds' st_mode */
	uint64_t guard;			  /* the stack's guard page */
	uint64_t ro_lo[8], ro_hi[8];	  /* the image's read-only segments */
	unsigned nro;
};
extern struct posix_conf posix_conf;

/* What uname and /proc/version say. */
#define PITH_UNAME_RELEASE "6.1.0-pith"
#define PITH_UNAME_VERSION "#1 pith unikernel"

void posix_init(const struct pith_boot *boot);

static inline bool overlaps(uint64_t p, uint64_t len, uint64_t lo, uint64_t hi)
{
	return p < hi && lo < p + len;
}

/* True when the program may read [p, p + len): Linux's EFAULT test. */
static inline bool user_ok(uint64_t p, uint64_t len)
{
	return p >= posix_conf.user_lo && p <= posix_conf.user_hi &&
	       len <= posix_conf.user_hi - p &&
	       !overlaps(p, len, posix_conf.guard, posix_conf.guard + PAGE_SIZE);
}

/* True when the kernel may write [p, p + len) for the program: readable,
 * and not in the image's text or read-only data. */
static inline bool user_w(uint64_t p, uint64_t len)
{
	if (!user_ok(p, len))
		return false;
	for (unsigned i = 0; i < posix_conf.nro; i++)
		if (overlaps(p, len, posix_conf.ro_lo[i], posix_conf.ro_hi[i]))
			return false;
	return true;
}

/* Signals sent to the program itself; delivered before the call returns. */
long signal_send(int sig, int code);
/* Signals from outside that arrived (console.h): made pending and
 * delivered. Called on the way out of every system call. */
void signal_arrivals(void);
/* For a wait a signal may break, each time it wakes: 0 when no handler
 * ran (wait on), -EINTR when one did — or, when RESTARTABLE and every
 * handler that ran asked SA_RESTART, -ERESTART_CALL: the system call
 * starts again from the top, as Linux restarts read and write. */
long signal_interrupted(bool restartable);
/* The program ends: normally, or killed by sig. Both flush the console. */
_Noreturn void proc_exit(int status);
_Noreturn void proc_die(int sig);

#define S_IFMT	    0170000
#define S_IFSOCK    0140000
#define S_ISFIFO(m) (((m)&S_IFMT) == 0010000)
#define S_ISSOCK(m) (((m)&S_IFMT) == S_IFSOCK)

#define SIGABRT 6
#define SIGKILL 9
#define SIGPIPE 13
#define SIGSTOP 19

#endif
