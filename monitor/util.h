/*
 * util.h — small helpers the host side shares.
 */
#ifndef PITH_UTIL_H
#define PITH_UTIL_H

#include <stdint.h>
#include <time.h>

#include "guest.h"

static inline uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

static inline uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ts_ns(&t);
}

/* Make sure fds 0, 1 and 2 are open before pith opens anything, so that
 * /dev/kvm or an image never lands on them: a closed one gets /dev/null,
 * and the guest is told it is closed. Call first thing in main(). */
void host_fds_init(void);

/* PITH_BOOT_* flags that describe the host side: terminals, closed fds,
 * --quiet. */
uint32_t host_boot_flags(const struct run_opts *o);
/* Remember the settings of the terminals on fds 0..2 (before the guest
 * runs), and put them back (however the guest ended). */
void host_tty_save(void);
void host_tty_restore(void);

/* Host entropy and terminal size into the boot information. */
void host_boot_fill(struct pith_boot *b);

#endif
