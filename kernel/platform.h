/*
 * platform.h — the guest kernel's view of whatever runs it.
 *
 * Two bindings implement it: hvt (pith's KVM monitor, hypercalls by port
 * I/O) and process (a seccomp-sandboxed Linux process, raw host system
 * calls). Both are linked into every image; the boot information says
 * which one is live, and kmain() points `plat` at it before anything else.
 * The interface is deliberately small, as Solo5's is.
 */
#ifndef PITH_PLATFORM_H
#define PITH_PLATFORM_H

#include <pith/abi.h>

#include "kernel.h"

enum plat_clock { PLAT_CLOCK_MONOTONIC, PLAT_CLOCK_REALTIME };

struct platform {
	const char *name;
	/* Prepare from the boot information; nothing else runs before. */
	void (*init)(const struct pith_boot *boot);
	/* Write out and empty the console buffer. Returns a mask with bit
	 * fd set for each host fd (1, 2) that can no longer be written. */
	uint32_t (*console_flush)(struct pith_console *con);
	/* Read host stdin without blocking: bytes, 0 at its end, -EAGAIN.
	 * *hup is set when a pipe's writer has gone (more may be buffered). */
	long (*read_stdin)(void *buf, size_t len, bool *hup);
	/* Sleep until deadline (host monotonic ns, PITH_DEADLINE_NONE) or
	 * until something in want (PITH_POLL_*) is ready; return the ready
	 * mask. May return early. With con, write out its records first
	 * (on hvt in the same exit) and put in *broken what console_flush
	 * would return; the caller then empties it. */
	uint32_t (*poll)(uint64_t deadline_ns, uint32_t want, struct pith_console *con,
			 uint32_t *broken);
	/* Nanoseconds on the host's clock; never an exit on hvt. */
	uint64_t (*clock_ns)(enum plat_clock which);
	/* A terminal request (PITH_TTY_*) on host fd 0..2: 0 or -errno. */
	long (*tty)(int fd, unsigned op, uint8_t termios[PITH_TERMIOS_SIZE]);
	/* A file operation on a volume (include/pith/abi.h); the result
	 * comes back in the struct. */
	void (*vol)(struct pith_hc_vol *a);
	/* Set the %fs base (the program's thread pointer). */
	void (*set_tls)(uint64_t base);
	/* Stop for good; the console was drained by the caller or is
	 * drained by the host. reason: PITH_EXIT_*. */
	void (*exit)(uint32_t reason, int status) __attribute__((noreturn));
};

extern const struct platform *plat;
extern const struct platform plat_hvt;
extern const struct platform plat_process;

#endif
