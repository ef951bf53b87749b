/*
 * posix.c — the system-call layer's boot-time set-up (see posix.h).
 */
#include "posix.h"

struct posix_conf posix_conf;

void posix_init(const struct pith_boot *boot)
{
	size_t n = strnlen(boot->hostname, sizeof(boot->hostname) - 1);

	posix_conf.quiet = boot->flags & PITH_BOOT_QUIET;
	posix_conf.rows = boot->tty_rows;
	posix_conf.cols = boot->tty_cols;
	memcpy(posix_conf.hostname, boot->hostname, n);
	posix_conf.hostname[n] = '\0';
	posix_conf.user_lo = PITH_GUEST_BASE + PITH_IMAGE_GPA;
	posix_conf.user_hi = PITH_GUEST_BASE + boot->mem_size;
}
