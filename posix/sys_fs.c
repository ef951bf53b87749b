/*
 * sys_fs.c — the file-system calls (part "fs"): open, stat, directories,
 * rename, truncate, the working directory; and /dev's devices.
 *
 * Paths go through fs/path.c, the tree is fs/ramfs.c. An open regular file
 * or directory is a struct file whose priv is the inode; its offset is the
 * file's pos (for a directory, the index of the next entry). A path that
 * enters a volume (resolve() returns VFS_IN_VOLUME, the path beneath the
 * volume's root in kpath) goes to fs/hostfs.c instead; a call naming two
 * paths on different file systems gets EXDEV.
 */
#include "../fs/hostfs.h"
#include "../fs/procfs.h"
#include "../fs/vfs.h"
#include "../kernel/clock.h"
#include "../kernel/random.h"
#include "file.h"

/* posix/netstack.c (part net), when linked: waits for the DHCP lease. */
extern void netstack_config_wait(void) __attribute__((weak));

#define O_CREAT		    0100
#define O_EXCL		    0200
#define O_TRUNC		    01000
#define O_DIRECTORY	    0200000
#define O_PATH		    010000000
#define O_NOFOLLOW	    0400000
#define O_TMPFILE	    020000000
#define AT_FDCWD	    (-100)
#define AT_REMOVEDIR	    0x200
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH	    0x1000
#define AT_SYMLINK_FOLLOW   0x400
#define RENAME_NOREPLACE    1
#define SEEK_SET	    0
#define SEEK_CUR	    1
#define SEEK_END	    2
#define SEEK_DATA	    3
#define SEEK_HOLE	    4
#define X_OK		    1
#define DT_CHR		    2
#define DT_DIR		    4
#define DT_REG		    8
#define DT_LNK		    10
#define NS		    1000000000ull

static uint32_t umask_bits = 022;

uint32_t fs_umask(void)
{
	return umask_bits;
}

struct timespec_k {
	long sec, nsec;
};

/* ---- open files of the tree ------------------------------------------- */

static struct inode *inode_of(struct file *f)
{
	return f->priv;
}

static long reg_read(struct file *f, void *buf, size_t len)
{
	long r = vfs_read(inode_of(f), buf, len, f->pos);

	if (r > 0)
		f->pos += (uint64_t)r;
	return r;
}

static long reg_write(struct file *f, const void *buf, size_t len)
{
	struct inode *ip = inode_of(f);
	long r;

	if (f->flags & O_APPEND)
		f->pos = ip->size;
	r = vfs_write(ip, buf, len, f->pos);
	if (r > 0)
		f->pos += (uint64_t)r;
	return r;
}

static long reg_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
	return vfs_read(inode_of(f), buf, len, off);
}

static long reg_pwrite(struct file *f, const void *buf, size_t len, uint64_t off)
{
	struct inode *ip = inode_of(f);

	/* Linux: pwrite on an O_APPEND file appends. */
	return vfs_write(ip, buf, len, f->flags & O_APPEND ? ip->size : off);
}

static long any_lseek(struct file *f, long off, int whence)
{
	struct inode *ip = inode_of(f);
	int64_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		if (S_ISDIR(ip->mode)) {
			f->pos = INT64_MAX; /* as Linux's in-memory file systems */
			return INT64_MAX;
		}
		base = (int64_t)ip->size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (S_ISDIR(ip->mode))
			return -EINVAL;
		if (off < 0 || (uint64_t)off >= ip->size)
			return -ENXIO;
		{
			uint64_t at = vfs_seek_data(ip, (uint64_t)off, whence == SEEK_DATA);

			if (at == UINT64_MAX)
				return -ENXIO;
			f->pos = at;
		}
		return (long)f->pos;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

static short reg_poll(struct file *f)
{
	(void)f;
	return POLLIN | POLLOUT;
}

static void fill_stat(struct inode *ip, struct kstat *st)
{
	st->dev = ip->proc ? PROCFS_DEV : 0x16;
	st->ino = ip->ino;
	st->mode = ip->mode;
	st->nlink = ip->nlink;
	st->uid = ip->uid;
	st->gid = ip->gid;
	st->size = (int64_t)(S_ISDIR(ip->mode) ? (ip->nentries + 2) * 20 : ip->size);
	st->blksize = 4096;
	st->blocks = (int64_t)vfs_blocks(ip);
	st->atime = ip->atime / NS, st->atime_ns = ip->atime % NS;
	st->mtime = ip->mtime / NS, st->mtime_ns = ip->mtime % NS;
	st->ctime = ip->ctime / NS, st->ctime_ns = ip->ctime % NS;
}

static void any_stat(struct file *f, struct kstat *st)
{
	fill_stat(inode_of(f), st);
}

static long reg_truncate(struct file *f, uint64_t len)
{
	return vfs_truncate(inode_of(f), len);
}

static long any_fsync(struct file *f)
{
	(void)f;
	return 0; /* the tree is memory: nothing further to reach */
}

static void any_release(struct file *f)
{
	vfs_close(inode_of(f));
}

/* The path of the file's inode now (after renames too), as Linux's
 * d_path; a file with no name left shows its inode number and, as on
 * Linux, " (deleted)" (the name it had is not kept). */
static long any_name(struct file *f, char *buf, size_t size)
{
	long n = vfs_name_of(inode_of(f), buf, size);

	if (n == -ENOENT)
		return ksnprintf(buf, size, "/[%lu] (deleted)", (unsigned long)inode_of(f)->ino);
	return n < 0 ? n : n - 1;
}

static long dir_read(struct file *f, void *buf, size_t len)
{
	(void)f, (void)buf, (void)len;
	return -EISDIR;
}

struct dirent64 {
	uint64_t ino;
	int64_t off;
	uint16_t reclen;
	uint8_t type;
	char name[];
};

static long dir_getdents(struct file *f, void *buf, size_t len)
{
	struct inode *dir = inode_of(f), *ip;
	size_t used = 0, n;
	uint64_t next;
	const char *name;

	if (dir->nlink == 0)
		return -ENOENT; /* removed while open, as Linux says */
	if (dir->proc && f->pos == 0)
		procfs_refresh(dir); /* a listing of /proc/PID/fd: the fds open now */
	while ((name = vfs_entry(dir, f->pos, &n, &ip, &next)) != NULL) {
		size_t reclen = ALIGN_UP(sizeof(struct dirent64) + n + 1, 8);
		struct dirent64 *d = (struct dirent64 *)((uint8_t *)buf + used);

		if (used + reclen > len)
			break;
		d->ino = ip->ino;
		d->off = (int64_t)next;
		d->reclen = (uint16_t)reclen;
		d->type = S_ISDIR(ip->mode)   ? DT_DIR
			  : S_ISCHR(ip->mode) ? DT_CHR
			  : S_ISLNK(ip->mode) ? DT_LNK
					      : DT_REG;
		memcpy(d->name, name, n);
		memset(d->name + n, 0, reclen - sizeof(*d) - n);
		used += reclen;
		f->pos = next;
	}
	if (used == 0 && name)
		return -EINVAL; /* buffer too small for one entry */
	dir->atime = clock_realtime();
	return (long)used;
}

/* Character devices in /dev: null, zero, full, random, urandom. */
static long dev_read(struct file *f, void *buf, size_t len)
{
	switch (inode_of(f)->rdev) {
	case DEV(1, 3):
		return 0; /* null: always at its end */
	case DEV(1, 8):
	case DEV(1, 9):
		random_bytes(buf, len);
		return (long)len;
	default:
		memset(buf, 0, len); /* zero, full */
		return (long)len;
	}
}

static long dev_write(struct file *f, const void *buf, size_t len)
{
	(void)buf;
	return inode_of(f)->rdev == DEV(1, 7) ? -ENOSPC : (long)len;
}

static long dev_lseek(struct file *f, long off, int whence)
{
	(void)off, (void)whence;
	f->pos = 0;
	return 0; /* as Linux's memory devices */
}

static void dev_stat(struct file *f, struct kstat *st)
{
	fill_stat(inode_of(f), st);
	st->rdev = inode_of(f)->rdev;
	st->blocks = 0;
}

static const struct file_ops dev_ops = {
	.read = dev_read,
	.write = dev_write,
	.poll = reg_poll,
	.stat = dev_stat,
	.lseek = dev_lseek,
	.fsync = any_fsync,
	.release = any_release,
	.name = any_name,
};

static const struct file_ops reg_ops = {
	.read = reg_read,
	.write = reg_write,
	.poll = reg_poll,
	.stat = any_stat,
	.lseek = any_lseek,
	.pread = reg_pread,
	.pwrite = reg_pwrite,
	.truncate = reg_truncate,
	.fsync = any_fsync,
	.release = any_release,
	.name = any_name,
};

static long dir_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
	(void)off;
	return dir_read(f, buf, len);
}

static const struct file_ops dir_ops = {
	.read = dir_read,
	.pread = dir_pread,
	.poll = reg_poll,
	.stat = any_stat,
	.lseek = any_lseek,
	.getdents = dir_getdents,
	.fsync = any_fsync,
	.release = any_release,
	.name = any_name,
};

/* ---- paths ---------------------------------------------------------------- */

/* The directory a *at() call's relative path starts in; VFS_IN_VOLUME
 * when that is a directory in a volume (*dir its mount point, *base its
 * path there). */
static long at_dir(int dirfd, const char *path, struct inode **dir, const char **base)
{
	struct file *f;

	if (path[0] == '/') {
		*dir = vfs_root();
		return 0;
	}
	if (dirfd == AT_FDCWD) {
		if (hostfs_cwd(dir, base))
			return VFS_IN_VOLUME;
		*dir = vfs_cwd();
		return 0;
	}
	f = fd_file(dirfd);
	if (!f)
		return -EBADF;
	if (hostfs_dir_file(f, dir, base))
		return VFS_IN_VOLUME;
	if (f->ops != &dir_ops)
		return -ENOTDIR;
	*dir = inode_of(f);
	return 0;
}

/* Resolve a user path (all of it, or up to its last name). In a volume:
 * VFS_IN_VOLUME, *out the mount point, kpath the path beneath it. */
static long resolve(int dirfd, const char *upath, int flags, struct inode **out, char *kpath,
		    const char **last, size_t *lastlen)
{
	struct inode *start;
	const char *base;
	long r = vfs_user_path(upath, kpath);

	if (r < 0)
		return r;
	r = at_dir(dirfd, kpath, &start, &base);
	if (r == VFS_IN_VOLUME) {
		*out = start;
		r = hostfs_join(kpath, base);
		return r < 0 ? r : VFS_IN_VOLUME;
	}
	if (r < 0)
		return r;
	r = vfs_walk(start, kpath, flags, out, last, lastlen);
	if (r == VFS_IN_VOLUME)
		memmove(kpath, *last, *lastlen + 1);
	return r;
}

static bool trailing_slash(const char *kpath)
{
	size_t n = strlen(kpath);

	return n > 1 && kpath[n - 1] == '/';
}

static bool is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* Before link or symlink makes the name LAST in DIR: "." and ".." are
 * taken, and a trailing slash asks for a directory, which these never
 * make (EEXIST if the name is there, else ENOENT, as Linux). */
static long new_leaf_check(struct inode *dir, const char *kpath, const char *last, size_t len)
{
	if (is_dot(last, len))
		return -EEXIST;
	if (trailing_slash(kpath))
		return vfs_lookup_in(dir, last, len) ? -EEXIST : -ENOENT;
	return 0;
}

/* ---- open ------------------------------------------------------------------ */

long sys_openat(int dirfd, const char *upath, int flags, unsigned mode)
{
	char kpath[PATH_MAX];
	struct inode *dir, *ip;
	const char *last;
	size_t len;
	struct file *f;
	int acc = flags & O_ACCMODE;
	long r, fd;
	bool created = false;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL; /* as Linux since 6.4 */
	if (flags & O_CREAT) {
		unsigned cmode = mode & 07777 & ~umask_bits;

		r = resolve(dirfd, upath, WALK_PARENT, &dir, kpath, &last, &len);
		if (r == VFS_IN_VOLUME)
			return hostfs_open(hostfs_vol(dir), kpath, flags, cmode);
		if (r < 0)
			return r;
		ip = vfs_lookup_in(dir, last, len);
		if (ip && (flags & O_EXCL))
			return -EEXIST;
		/* A link as the last name: open, or create, what it names,
		 * walking from the link's own directory. */
		for (int links = 0; ip && S_ISLNK(ip->mode); links++) {
			if ((flags & O_NOFOLLOW) || links == MAX_LINKS)
				return -ELOOP;
			memcpy(kpath, ip->data, ip->size);
			kpath[ip->size] = '\0';
			r = vfs_walk(dir, kpath, WALK_PARENT, &dir, &last, &len);
			if (r == VFS_IN_VOLUME) {
				memmove(kpath, last, len + 1);
				return hostfs_open(hostfs_vol(dir), kpath, flags, cmode);
			}
			if (r < 0)
				return r;
			ip = vfs_lookup_in(dir, last, len);
		}
		if (ip && ip->vol) /* the mount point: the volume's root */
			return hostfs_open(hostfs_vol(ip), "", flags, cmode);
		if (!ip) {
			if (is_dot(last, len) || kpath[strlen(kpath) - 1] == '/')
				return -EISDIR;
			r = vfs_create(dir, last, len, S_IFREG | cmode, &ip);
			if (r < 0)
				return r;
			created = true;
		}
	} else {
		r = resolve(dirfd, upath, flags & O_NOFOLLOW ? WALK_NOFOLLOW : 0, &ip, kpath, &last,
			    &len);
		if (r == VFS_IN_VOLUME)
			return hostfs_open(hostfs_vol(ip), kpath, flags, 0);
		if (r < 0)
			return r;
	}
	if (S_ISLNK(ip->mode))
		return -ELOOP; /* O_NOFOLLOW on a link */
	if (ip->netconf && netstack_config_wait)
		netstack_config_wait(); /* the DHCP lease fills it first (fs/etc.c) */
	if (ip->proc && !S_ISDIR(ip->mode)) {
		if (flags & O_DIRECTORY)
			return -ENOTDIR;
		return acc == 3 ? -EINVAL : procfs_open(ip, flags); /* made now */
	}
	if (ip->ro && (acc != O_RDONLY || (flags & O_TRUNC)))
		return -EROFS; /* baked into the image */
	if (S_ISDIR(ip->mode)) {
		if (acc != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
			return -EISDIR;
	} else if (flags & O_DIRECTORY) {
		return -ENOTDIR;
	} else if (kpath[strlen(kpath) - 1] == '/') {
		return -ENOTDIR; /* "file/" */
	}
	if (acc == 3)
		return -EINVAL;
	if ((flags & O_TRUNC) && S_ISREG(ip->mode)) {
		r = vfs_truncate(ip, 0);
		if (r < 0)
			return r;
	}
	f = file_alloc(S_ISDIR(ip->mode)   ? &dir_ops
		       : S_ISCHR(ip->mode) ? &dev_ops
					   : &reg_ops,
		       flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), ip);
	if (!f && created) {
		/* Memory ran out between the name and the open file: as a
		 * full tmpfs, the create fails and leaves no name. */
		vfs_unlink(dir, last, len, false);
		return -ENOSPC;
	}
	if (!f)
		return -ENFILE;
	f->ino = ip->ino;
	ip->opens++;
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_open(const char *path, int flags, unsigned mode)
{
	return sys_openat(AT_FDCWD, path, flags, mode);
}

long sys_creat(const char *path, unsigned mode)
{
	return sys_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* ---- stat ------------------------------------------------------------------- */

long sys_newfstatat(int dirfd, const char *upath, struct kstat *st, int flags)
{
	char kpath[PATH_MAX];
	struct inode *ip;
	const char *last;
	size_t len;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!user_ok((uintptr_t)upath, 1))
		return -EFAULT;
	if ((flags & AT_EMPTY_PATH) && upath[0] == '\0')
		return dirfd == AT_FDCWD ? sys_newfstatat(dirfd, ".", st, 0) : sys_fstat(dirfd, st);
	r = resolve(dirfd, upath, flags & AT_SYMLINK_NOFOLLOW ? WALK_NOFOLLOW : 0, &ip, kpath,
		    &last, &len);
	if (r < 0)
		return r;
	if (!user_w((uintptr_t)st, sizeof(*st)))
		return -EFAULT;
	if (r == VFS_IN_VOLUME)
		return hostfs_stat(hostfs_vol(ip), kpath, flags & AT_SYMLINK_NOFOLLOW, st);
	memset(st, 0, sizeof(*st));
	fill_stat(ip, st);
	st->rdev = ip->rdev;
	return 0;
}

long sys_stat(const char *path, struct kstat *st)
{
	return sys_newfstatat(AT_FDCWD, path, st, 0);
}

long sys_lstat(const char *path, struct kstat *st)
{
	return sys_newfstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

long sys_getdents64(int fd, void *buf, size_t len)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->getdents)
		return -ENOTDIR;
	if (!user_w((uintptr_t)buf, len))
		return -EFAULT;
	return f->ops->getdents(f, buf, len);
}

/* ---- names ------------------------------------------------------------------ */

long sys_mkdirat(int dirfd, const char *upath, unsigned mode)
{
	char kpath[PATH_MAX];
	struct inode *dir, *ip;
	const char *last;
	size_t len;
	long r = resolve(dirfd, upath, WALK_PARENT, &dir, kpath, &last, &len);

	if (r == VFS_IN_VOLUME)
		return hostfs_mkdir(hostfs_vol(dir), kpath, mode & 07777 & ~umask_bits);
	if (r < 0)
		return r;
	if (is_dot(last, len))
		return -EEXIST;
	return vfs_create(dir, last, len, S_IFDIR | (mode & 07777 & ~umask_bits), &ip);
}

long sys_mkdir(const char *path, unsigned mode)
{
	return sys_mkdirat(AT_FDCWD, path, mode);
}

long sys_unlinkat(int dirfd, const char *upath, int flags)
{
	char kpath[PATH_MAX];
	struct inode *dir;
	const char *last;
	size_t len;
	long r;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	r = resolve(dirfd, upath, WALK_PARENT, &dir, kpath, &last, &len);
	if (r == VFS_IN_VOLUME)
		return hostfs_unlink(hostfs_vol(dir), kpath, flags & AT_REMOVEDIR);
	if (r < 0)
		return r;
	if (!(flags & AT_REMOVEDIR) && kpath[strlen(kpath) - 1] == '/') {
		struct inode *ip = vfs_lookup_in(dir, last, len);

		if (ip && !S_ISDIR(ip->mode))
			return -ENOTDIR;
	}
	return vfs_unlink(dir, last, len, flags & AT_REMOVEDIR);
}

long sys_unlink(const char *path)
{
	return sys_unlinkat(AT_FDCWD, path, 0);
}

long sys_rmdir(const char *path)
{
	return sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

long sys_renameat2(int odirfd, const char *uold, int ndirfd, const char *unew, unsigned flags)
{
	char okpath[PATH_MAX], nkpath[PATH_MAX];
	struct inode *odir, *ndir, *src;
	const char *olast, *nlast;
	size_t olen, nlen;
	long r, ro;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL; /* RENAME_EXCHANGE, WHITEOUT: not yet */
	ro = resolve(odirfd, uold, WALK_PARENT, &odir, okpath, &olast, &olen);
	if (ro < 0)
		return ro;
	r = resolve(ndirfd, unew, WALK_PARENT, &ndir, nkpath, &nlast, &nlen);
	if (r < 0)
		return r;
	if (r == VFS_IN_VOLUME || ro == VFS_IN_VOLUME) {
		if (r != ro || odir != ndir)
			return -EXDEV; /* across file systems */
		return hostfs_rename(hostfs_vol(odir), okpath, nkpath, flags & RENAME_NOREPLACE);
	}
	src = vfs_lookup_in(odir, olast, olen);
	if (!src)
		return -ENOENT;
	/* "a/" or "b/" names a directory: a file cannot be either. */
	if (!S_ISDIR(src->mode) && (trailing_slash(okpath) || trailing_slash(nkpath)))
		return -ENOTDIR;
	if ((flags & RENAME_NOREPLACE) && vfs_lookup_in(ndir, nlast, nlen))
		return -EEXIST;
	return vfs_rename(odir, olast, olen, ndir, nlast, nlen);
}

long sys_renameat(int odirfd, const char *uold, int ndirfd, const char *unew)
{
	return sys_renameat2(odirfd, uold, ndirfd, unew, 0);
}

long sys_rename(const char *uold, const char *unew)
{
	return sys_renameat2(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

long sys_readlinkat(int dirfd, const char *upath, char *buf, long size)
{
	char kpath[PATH_MAX];
	struct inode *ip;
	const char *last;
	size_t len;
	long r;

	if (size <= 0)
		return -EINVAL;
	r = resolve(dirfd, upath, WALK_NOFOLLOW, &ip, kpath, &last, &len);
	if (r < 0)
		return r;
	if (r == VFS_IN_VOLUME)
		return user_w((uintptr_t)buf, (uint64_t)size)
			       ? hostfs_readlink(hostfs_vol(ip), kpath, buf, (size_t)size)
			       : -EFAULT;
	if (!S_ISLNK(ip->mode))
		return -EINVAL;
	len = MIN((size_t)size, (size_t)ip->size);
	if (!user_w((uintptr_t)buf, len))
		return -EFAULT;
	memcpy(buf, ip->data, len); /* no NUL, as Linux */
	ip->atime = clock_realtime();
	return (long)len;
}

long sys_readlink(const char *path, char *buf, long size)
{
	return sys_readlinkat(AT_FDCWD, path, buf, size);
}

/* ---- the working directory ---------------------------------------------------- */

long sys_chdir(const char *upath)
{
	char kpath[PATH_MAX];
	struct inode *ip;
	const char *last;
	size_t len;
	long r = resolve(AT_FDCWD, upath, 0, &ip, kpath, &last, &len);

	if (r == VFS_IN_VOLUME)
		return hostfs_chdir(ip, kpath);
	if (r < 0)
		return r;
	if (!S_ISDIR(ip->mode))
		return -ENOTDIR;
	vfs_set_cwd(ip);
	return 0;
}

long sys_fchdir(int fd)
{
	struct file *f = fd_file(fd);
	struct inode *mount;
	const char *base;

	if (!f)
		return -EBADF;
	if (hostfs_dir_file(f, &mount, &base))
		return hostfs_fchdir(f);
	if (f->ops != &dir_ops)
		return -ENOTDIR;
	vfs_set_cwd(inode_of(f));
	return 0;
}

long sys_getcwd(char *buf, unsigned long size)
{
	char kbuf[PATH_MAX];
	long n = hostfs_getcwd(kbuf, sizeof(kbuf));

	if (n == 0)
		n = vfs_path_of(vfs_cwd(), kbuf, sizeof(kbuf));

	if (n < 0)
		return n;
	if ((unsigned long)n > size)
		return -ERANGE;
	if (!user_w((uintptr_t)buf, (uint64_t)n))
		return -EFAULT;
	memcpy(buf, kbuf, (size_t)n);
	return n;
}

/* ---- sizes, sync, access, umask ------------------------------------------------ */

long sys_ftruncate(int fd, long len)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (len < 0 || !f->ops->truncate || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return f->ops->truncate(f, (uint64_t)len);
}

long sys_truncate(const char *upath, long len)
{
	char kpath[PATH_MAX];
	struct inode *ip;
	const char *last;
	size_t n;
	long r;

	if (len < 0)
		return -EINVAL;
	r = resolve(AT_FDCWD, upath, 0, &ip, kpath, &last, &n);
	if (r == VFS_IN_VOLUME)
		return hostfs_truncate(hostfs_vol(ip), kpath, (uint64_t)len);
	if (r < 0)
		return r;
	if (S_ISDIR(ip->mode))
		return -EISDIR;
	if (!S_ISREG(ip->mode))
		return -EINVAL;
	return vfs_truncate(ip, (uint64_t)len);
}

long sys_fsync(int fd)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	return f->ops->fsync ? f->ops->fsync(f) : -EINVAL; /* pipes, the console */
}

long sys_fdatasync(int fd)
{
	struct file *f = fd_file(fd);

	if (f && f->ops->fdatasync)
		return f->ops->fdatasync(f);
	return sys_fsync(fd);
}

long sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	char kpath[PATH_MAX];
	struct inode *ip;
	const char *last;
	size_t len;
	long r;

	if (mode & ~7)
		return -EINVAL;
	(void)flags;
	r = resolve(dirfd, upath, 0, &ip, kpath, &last, &len);
	if (r == VFS_IN_VOLUME)
		return hostfs_access(hostfs_vol(ip), kpath, mode);
	if (r < 0)
		return r;
	/* root may do anything, but run only what someone may run */
	if ((mode & X_OK) && S_ISREG(ip->mode) && !(ip->mode & 0111))
		return -EACCES;
	return 0;
}

long sys_faccessat(int dirfd, const char *path, int mode)
{
	return sys_faccessat2(dirfd, path, mode, 0);
}

long sys_access(const char *path, int mode)
{
	return sys_faccessat2(AT_FDCWD, path, mode, 0);
}

long sys_umask(unsigned mask)
{
	uint32_t old = umask_bits;

	umask_bits = mask & 0777;
	return old;
}

/* ---- links, modes, owners, times, locks ------------------------------------- */

long sys_symlinkat(const char *utarget, int dirfd, const char *upath)
{
	char target[PATH_MAX], kpath[PATH_MAX];
	struct inode *dir, *ip;
	const char *last;
	size_t len;
	long r = vfs_user_path(utarget, target);

	if (r < 0)
		return r;
	r = resolve(dirfd, upath, WALK_PARENT, &dir, kpath, &last, &len);
	if (r == VFS_IN_VOLUME)
		return hostfs_symlink(hostfs_vol(dir), target, kpath);
	if (r == 0)
		r = new_leaf_check(dir, kpath, last, len);
	if (r < 0)
		return r;
	r = vfs_create(dir, last, len, S_IFLNK | 0777, &ip);
	if (r < 0)
		return r;
	r = vfs_set_target(ip, target, strlen(target));
	if (r < 0) {
		vfs_unlink(dir, last, len, false);
		return r;
	}
	return 0;
}

long sys_symlink(const char *target, const char *path)
{
	return sys_symlinkat(target, AT_FDCWD, path);
}

long sys_linkat(int odirfd, const char *uold, int ndirfd, const char *unew, int flags)
{
	char okpath[PATH_MAX], nkpath[PATH_MAX];
	struct inode *ip, *dir;
	const char *last;
	size_t len;
	long r, ro;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	/* Linux links the link itself unless told to follow it. */
	ro = resolve(odirfd, uold, flags & AT_SYMLINK_FOLLOW ? 0 : WALK_NOFOLLOW, &ip, okpath,
		     &last, &len);
	if (ro < 0)
		return ro;
	r = resolve(ndirfd, unew, WALK_PARENT, &dir, nkpath, &last, &len);
	if (r >= 0 && (r == VFS_IN_VOLUME || ro == VFS_IN_VOLUME)) {
		if (r != ro || ip != dir)
			return -EXDEV; /* across file systems */
		return hostfs_link(hostfs_vol(ip), okpath, nkpath, flags & AT_SYMLINK_FOLLOW);
	}
	if (r == 0)
		r = new_leaf_check(dir, nkpath, last, len);
	if (r < 0)
		return r;
	return vfs_link(dir, last, len, ip);
}

long sys_link(const char *uold, const char *unew)
{
	return sys_linkat(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

/* The inode a path names, or with no path (or an empty one and
 * AT_EMPTY_PATH) the file open on dirfd. In a volume: VFS_IN_VOLUME with
 * the open file in *vf, or the mount point in *ip and the path in kpath. */
static long target_of(int dirfd, const char *upath, int flags, struct inode **ip, char *kpath,
		      struct file **vf)
{
	const char *last;
	size_t len;

	*vf = NULL;
	if (upath && user_ok((uintptr_t)upath, 1) && upath[0] == '\0' && (flags & AT_EMPTY_PATH))
		upath = NULL;
	if (!upath) {
		struct file *f = fd_file(dirfd);

		if (!f)
			return -EBADF;
		if (hostfs_is_file(f)) {
			*vf = f;
			return VFS_IN_VOLUME;
		}
		if (f->ops != &reg_ops && f->ops != &dir_ops && f->ops != &dev_ops)
			return -EPERM; /* the console, a pipe: not in the tree */
		*ip = inode_of(f);
	} else {
		long r = resolve(dirfd, upath, flags & AT_SYMLINK_NOFOLLOW ? WALK_NOFOLLOW : 0, ip,
				 kpath, &last, &len);

		if (r != 0)
			return r;
	}
	return (*ip)->ro ? -EROFS : 0; /* baked into the image */
}

long sys_fchmodat(int dirfd, const char *upath, unsigned mode)
{
	char kpath[PATH_MAX];
	struct inode *ip;
	struct file *vf;
	long r = target_of(dirfd, upath, 0, &ip, kpath, &vf);

	if (r == VFS_IN_VOLUME)
		return hostfs_chmod(vf ? 0 : hostfs_vol(ip), vf, kpath, mode & 07777, false);
	if (r < 0)
		return r;
	ip->mode = (ip->mode & S_IFMT) | (mode & 07777);
	vfs_touch(ip, false);
	return 0;
}

long sys_chmod(const char *path, unsigned mode)
{
	return sys_fchmodat(AT_FDCWD, path, mode);
}

long sys_fchmod(int fd, unsigned mode)
{
	return sys_fchmodat(fd, NULL, mode);
}

long sys_fchownat(int dirfd, const char *upath, int uid, int gid, int flags)
{
	char kpath[PATH_MAX];
	struct inode *ip;
	struct file *vf;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = target_of(dirfd, upath, flags, &ip, kpath, &vf);
	if (r == VFS_IN_VOLUME)
		return -EPERM; /* owners on the host are the host's */
	if (r < 0)
		return r;
	if (uid != -1)
		ip->uid = (uint32_t)uid;
	if (gid != -1)
		ip->gid = (uint32_t)gid;
	vfs_touch(ip, false);
	return 0;
}

long sys_chown(const char *path, int uid, int gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, 0);
}

long sys_lchown(const char *path, int uid, int gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(int fd, int uid, int gid)
{
	return sys_fchownat(fd, NULL, uid, gid, 0);
}

#define UTIME_NOW  ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)

long sys_utimensat(int dirfd, const char *upath, const struct timespec_k *times, int flags)
{
	char kpath[PATH_MAX];
	struct inode *ip;
	struct file *vf;
	uint64_t now = clock_realtime(), t[2] = { now, now };
	int64_t ht[4] = { 0, UTIME_NOW, 0, UTIME_NOW }; /* for a volume */
	bool set[2] = { true, true };
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (times) {
		if (!user_ok((uintptr_t)times, 2 * sizeof(*times)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			long ns = times[i].nsec;

			ht[2 * i] = times[i].sec;
			ht[2 * i + 1] = ns;

			if (ns == UTIME_OMIT) {
				set[i] = false;
			} else if (ns != UTIME_NOW) {
				if (ns < 0 || ns >= (long)NS || times[i].sec < 0)
					return -EINVAL;
				t[i] = (uint64_t)times[i].sec * NS + (uint64_t)ns;
			}
		}
	}
	r = target_of(dirfd, upath, flags, &ip, kpath, &vf);
	if (r == VFS_IN_VOLUME)
		return hostfs_utimes(vf ? 0 : hostfs_vol(ip), vf, kpath, ht,
				     flags & AT_SYMLINK_NOFOLLOW);
	if (r < 0)
		return r;
	if (set[0])
		ip->atime = t[0];
	if (set[1])
		ip->mtime = t[1];
	ip->ctime = now;
	return 0;
}

/* Advisory locks: one process holds them all, so every lock is granted
 * and none ever conflicts. */
long sys_flock(int fd, int op)
{
	(void)op;
	return fd_file(fd) ? 0 : -EBADF;
}

/* ---- statx: the same facts in the newer structure ------------------------- */

struct statx_ts {
	int64_t sec;
	uint32_t nsec;
	int32_t reserved;
};

struct statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id;
	uint32_t dio_mem_align, dio_offset_align;
	uint64_t spare3[12];
};

#define STATX_BASIC_STATS 0x7ffu
#define AT_STATX_SYNC	  0x6000

long sys_statx(int dirfd, const char *upath, int flags, unsigned mask, struct statx *sx)
{
	struct kstat st; /* on the program's stack: sys_newfstatat may fill it */
	long r;

	(void)mask; /* everything basic is always there */
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_STATX_SYNC))
		return -EINVAL;
	if (!user_w((uintptr_t)sx, sizeof(*sx)))
		return -EFAULT;
	r = sys_newfstatat(dirfd, upath, &st, flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));
	if (r < 0)
		return r;
	memset(sx, 0, sizeof(*sx));
	sx->mask = STATX_BASIC_STATS;
	sx->blksize = (uint32_t)st.blksize;
	sx->nlink = (uint32_t)st.nlink;
	sx->uid = st.uid;
	sx->gid = st.gid;
	sx->mode = (uint16_t)st.mode;
	sx->ino = st.ino;
	sx->size = (uint64_t)st.size;
	sx->blocks = (uint64_t)st.blocks;
	sx->atime = (struct statx_ts){ (int64_t)st.atime, (uint32_t)st.atime_ns, 0 };
	sx->mtime = (struct statx_ts){ (int64_t)st.mtime, (uint32_t)st.mtime_ns, 0 };
	sx->ctime = (struct statx_ts){ (int64_t)st.ctime, (uint32_t)st.ctime_ns, 0 };
	sx->rdev_major = (uint32_t)(st.rdev >> 8);
	sx->rdev_minor = (uint32_t)(st.rdev & 0xff);
	sx->dev_major = (uint32_t)(st.dev >> 8);
	sx->dev_minor = (uint32_t)(st.dev & 0xff);
	return 0;
}
