/*
 * hostfs.h — volumes in the guest: host directories mounted in the tree.
 *
 * A volume's mount point is a ramfs directory marked with its volume
 * (inode.vol); a path walk that reaches one stops there (VFS_IN_VOLUME)
 * and hands the rest of the path to the host, which resolves it beneath
 * the volume's root (fs/hostfs_serve.c, through plat->vol). Paths inside
 * a volume are therefore host paths relative to its root: symbolic links
 * in it are the host's, and ".." cannot climb out (EXDEV). Open files are
 * host handles; nothing is cached in the guest, so every write reaches
 * the host file before it returns and fsync is the host's fsync.
 *
 * Functions take a volume index and a path relative to its root in a
 * PATH_MAX buffer of guest memory, and return -errno.
 */
#ifndef PITH_HOSTFS_H
#define PITH_HOSTFS_H

#include "../posix/file.h"
#include "vfs.h"

/* Make the mount points of the volumes the host gives (at boot). */
void hostfs_mount_all(const struct pith_boot *boot);

/* Where a relative path starts when it starts inside a volume: the
 * directory open on f, or the working directory. True with the volume's
 * mount point (*mount) and the
 * directory's path (*base) when it does. */
bool hostfs_dir_file(struct file *f, struct inode **mount, const char **base);
bool hostfs_cwd(struct inode **mount, const char **base);
/* kpath = base "/" kpath; -ENAMETOOLONG when it does not fit. */
long hostfs_join(char *kpath, const char *base);
static inline unsigned hostfs_vol(const struct inode *mount)
{
	return mount->vol - 1u;
}

bool hostfs_is_file(struct file *f);
long hostfs_open(unsigned vol, const char *path, int flags, unsigned mode);
long hostfs_stat(unsigned vol, const char *path, bool nofollow, struct kstat *st);
long hostfs_mkdir(unsigned vol, const char *path, unsigned mode);
long hostfs_unlink(unsigned vol, const char *path, bool rmdir);
long hostfs_rename(unsigned vol, const char *from, const char *to, bool noreplace);
long hostfs_symlink(unsigned vol, const char *target, const char *path);
long hostfs_link(unsigned vol, const char *from, const char *to, bool follow);
long hostfs_readlink(unsigned vol, const char *path, char *buf, size_t len);
long hostfs_access(unsigned vol, const char *path, int mode);
long hostfs_truncate(unsigned vol, const char *path, uint64_t len);
/* On the file open on f when f is not NULL, else on path. */
long hostfs_chmod(unsigned vol, struct file *f, const char *path, unsigned mode, bool nofollow);
long hostfs_utimes(unsigned vol, struct file *f, const char *path, const int64_t times[4],
		   bool nofollow);
/* The working directory becomes path in the volume (mount is its mount
 * point), or the directory open on f. */
long hostfs_chdir(struct inode *mount, const char *path);
long hostfs_fchdir(struct file *f);
/* getcwd when the working directory is in a volume: its length, or
 * -errno; 0 when it is not in a volume. */
long hostfs_getcwd(char *buf, size_t size);

#endif
