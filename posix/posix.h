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
	uint64_t user_lo, user_hi; /* program-visible memory, for EFAULT */
};
extern struct posix_conf posix_conf;

void posix_init(const struct pith_boot *boot);

/* True when [p, p + len) lies in the program's memory. */
static inline bool user_ok(uint64_t p, uint64_t len)
{
	return p >= posix_conf.user_lo && p <= posix_conf.user_hi && len <= posix_conf.user_hi - p;
}

/* Is fd one of the console's open descriptors (0, 1, 2)? */
bool console_fd_open(long fd);

/* Signals sent to the program itself; delivered before the call returns. */
long signal_send(int sig);
/* The program ends: normally, or killed by sig. Both flush the console. */
_Noreturn void proc_exit(int status);
_Noreturn void proc_die(int sig);

#define SIGABRT 6
#define SIGKILL 9
#define SIGPIPE 13
#define SIGSTOP 19

#endif
