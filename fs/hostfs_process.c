/*
 * hostfs_process.c — volumes on the process target: the guest serves its
 * own requests with the volume server (hostfs_serve.c), making the host
 * calls itself under the seccomp filter and Landlock rules pith loaded
 * for volumes. The roots are fds pith left open (boot->volumes[].host_fd).
 */
#include "../kernel/platform.h"
#include "hostfs_serve.h"

void hostfs_process_init(const struct pith_boot *boot);
void hostfs_process_call(struct pith_hc_vol *a);

long hostfs_sys(long nr, long a, long b, long c, long d, long e)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

void hostfs_process_init(const struct pith_boot *boot)
{
	int fd[PITH_VOLUMES_MAX];
	uint32_t flags[PITH_VOLUMES_MAX];
	unsigned n = MIN(boot->nvolumes, (uint32_t)PITH_VOLUMES_MAX);

	if (boot->target != PITH_TARGET_PROCESS)
		return;
	for (unsigned i = 0; i < n; i++) {
		fd[i] = boot->volumes[i].host_fd;
		flags[i] = boot->volumes[i].flags;
	}
	hostfs_serve_init(fd, flags, n);
}

/* A string the guest kernel built, checked as the monitor would. */
static const char *path_at(uint64_t gpa, uint32_t len)
{
	const char *p = (const char *)(uintptr_t)(gpa + PITH_GUEST_BASE);

	return len > 0 && p[len - 1] == '\0' ? p : NULL;
}

void hostfs_process_call(struct pith_hc_vol *a)
{
	const char *path = NULL, *path2 = NULL;
	void *buf = NULL;
	unsigned need = 0;

	if (hostfs_check(a, &need) ||
	    ((need & HOSTFS_NEED_PATH) && !(path = path_at(a->path, a->path_len))) ||
	    ((need & HOSTFS_NEED_PATH2) && !(path2 = path_at(a->path2, a->path2_len)))) {
		a->ret = -EINVAL; /* the kernel's own mistake: nothing to guard */
		return;
	}
	if (need & HOSTFS_NEED_BUF)
		buf = (void *)(uintptr_t)(a->buf + PITH_GUEST_BASE);
	hostfs_serve(a, path, path2, buf);
}
