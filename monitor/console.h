/*
 * console.h — the host side of the guest console (include/pith/abi.h).
 */
#ifndef PITH_MON_CONSOLE_H
#define PITH_MON_CONSOLE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <pith/abi.h>

/*
 * Write the records in con to host fds 1 and 2, in order. size is the
 * buffer size the host set up (never the guest's copy). Returns 0 and the
 * mask of host fds that are gone (EPIPE) in *broken, or -1 when the guest
 * left malformed records (nothing past the bad record is written).
 */
int console_drain(const struct pith_console *con, uint32_t size, uint32_t *broken);

/* Write all of buf to fd, retrying short writes and EINTR; 0 or -1. */
int write_full(int fd, const void *buf, size_t len);

/* Set from a signal handler when pith is being stopped: from then on
 * writes wait at most 100 ms for a reader, and EINTR gives up. */
extern volatile sig_atomic_t console_abort;

#endif
