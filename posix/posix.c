/*
 * posix.c — the system-call layer's boot-time set-up (see posix.h).
 */
#include "file.h"
#include "posix.h"

struct posix_conf posix_conf;

/* In part "fs", linked only when the program makes file-system calls. */
extern void vfs_init(const struct pith_boot *boot) __attribute__((weak));
/* In part "net" (kernel/netdev.c), linked only with the network stack. */
extern void netdev_init(const struct pith_boot *boot) __attribute__((weak));

#define PT_LOAD 1
#define PF_W	2

/* An ELF64 program header, as the host copied them into the boot area. */
struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

void posix_init(const struct pith_boot *boot)
{
	size_t n = strnlen(boot->hostname, sizeof(boot->hostname) - 1);

	posix_conf.quiet = boot->flags & PITH_BOOT_QUIET;
	posix_conf.rows = boot->tty_rows;
	posix_conf.cols = boot->tty_cols;
	memcpy(posix_conf.hostname, boot->hostname, n);
	posix_conf.hostname[n] = '\0';
	posix_conf.user_lo = PITH_GUEST_BASE + PITH_IMAGE_GPA;
	posix_conf.user_hi = boot->mem_end; /* not the monitor's tables above */
	posix_conf.guard = boot->stack_bottom - PAGE_SIZE;
	memcpy(posix_conf.fd_mode, boot->fd_mode, sizeof(posix_conf.fd_mode));
	for (uint32_t i = 0; i < boot->phnum; i++) {
		const struct phdr *ph = (const struct phdr *)(uintptr_t)boot->phdr + i;

		if (ph->type == PT_LOAD && !(ph->flags & PF_W) &&
		    posix_conf.nro < ARRAY_SIZE(posix_conf.ro_lo)) {
			posix_conf.ro_lo[posix_conf.nro] = ALIGN_DOWN(ph->vaddr, PAGE_SIZE);
			posix_conf.ro_hi[posix_conf.nro++] =
				ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE);
		}
	}
	console_files_init(boot);
	if (vfs_init)
		vfs_init(boot); /* the file tree, when the program has file calls */
	if (netdev_init)
		netdev_init(boot); /* the network device, with the stack */
}
