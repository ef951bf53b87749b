/*
 * hostfs_serve.h — the host half of volumes: answer a struct pith_hc_vol.
 *
 * One file (hostfs_serve.c), compiled twice: into the monitor, which
 * serves PITH_HC_VOL hypercalls on hvt, and into the image's "fs" part,
 * which serves the same requests itself on the process target. So both
 * targets resolve paths, refuse writes and report errors with the same
 * code. It is freestanding (no libc): each side supplies hostfs_sys(),
 * one raw Linux system call returning the result or -errno.
 *
 * Confinement: every path is resolved by openat2 with RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS from the volume's root fd. Calls that have no
 * openat2 form (mkdirat, unlinkat, renameat2, symlinkat, linkat) get the
 * PARENT directory resolved that way and act on one last component in
 * it, which the kernel never follows for them; "." and ".." are refused
 * as last components. Calls on an existing file (stat, readlink, access,
 * chmod, utimes, link with FOLLOW) resolve it to an O_PATH fd and act on
 * that fd with AT_EMPTY_PATH. Read-only volumes: files open O_RDONLY and
 * every changing call fails with EROFS, here, whatever the guest says.
 */
#ifndef PITH_HOSTFS_SERVE_H
#define PITH_HOSTFS_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pith/abi.h>

#define HOSTFS_HANDLES 1024 /* files open on volumes at once */

/* One raw host system call: the result, or -errno. Defined by the side
 * that links this file (monitor/hvt_vol.c, fs/hostfs_process.c). */
long hostfs_sys(long nr, long a, long b, long c, long d, long e);

/* The volumes' root directories (O_PATH fds) and PITH_VOL_* flags. */
void hostfs_serve_init(const int *root_fd, const uint32_t *flags, unsigned n);

/* What a call names in guest memory, for the caller to check and map. */
#define HOSTFS_NEED_PATH  1u /* path, path_len */
#define HOSTFS_NEED_PATH2 2u /* path2, path2_len */
#define HOSTFS_NEED_BUF	  4u /* buf, len */
/* NULL if a is well-formed (known op and flags, volume, lengths), else
 * why not; *need says which pointers the call uses. */
const char *hostfs_check(const struct pith_hc_vol *a, unsigned *need);

/* Do the call; the result goes to a->ret (and a->st, a->off). path,
 * path2, buf are a's pointers mapped into this address space (NULL when
 * unused); the caller checked them. */
void hostfs_serve(struct pith_hc_vol *a, const char *path, const char *path2, void *buf);

#endif
