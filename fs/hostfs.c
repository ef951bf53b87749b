/*
 * hostfs.c — volumes in the guest (see hostfs.h): mount points, path
 * requests and open files, each one plat->vol call (one exit on hvt).
 *
 * Reads and writes move up to PITH_VOL_IO_MAX bytes per call, straight
 * between the program's buffer and the host file, so a large read or
 * write costs one exit per 8 MiB. The file offset is the guest's (calls
 * pass it); a directory's position is the host's (getdents, lseek).
 */
#include "hostfs.h"

#include "../kernel/kalloc.h"
#include "../kernel/platform.h"

#define O_APPEND_K 02000
#define SEEK_SET_K 0
#define SEEK_CUR_K 1
/* O_ACCMODE, CREAT, EXCL, TRUNC, APPEND, NONBLOCK, DSYNC, SYNC,
 * DIRECTORY, NOFOLLOW: what the host serves (O_CLOEXEC is the guest's). */
#define OPEN_HOST_FLAGS \
	(03 | 0100 | 0200 | 01000 | 02000 | 04000 | 010000 | 04010000 | 0200000 | 0400000)
#define GPA(p) ((uint64_t)(uintptr_t)(p)-PITH_GUEST_BASE)

struct vfile {
	unsigned vol;
	int32_t handle;
	size_t len;  /* of path, for kfree */
	char path[]; /* relative to the volume's root, for *at and fchdir */
};

static struct inode *mounts[PITH_VOLUMES_MAX];
static unsigned nmounts;
static char *cwd_path; /* the working directory's path, when in a volume */
static size_t cwd_len;

extern void hostfs_process_init(const struct pith_boot *boot);

/* ---- mount points ------------------------------------------------------- */

static struct inode *mkdir_p(const char *path)
{
	struct inode *dir = vfs_root(), *ip;
	const char *p = path;

	while (*p) {
		size_t len;
		const char *name = path_next(&p, &len);

		if (len == 0)
			break;
		ip = vfs_lookup_in(dir, name, len);
		if (!ip) {
			bool was_ro = dir->ro;

			dir->ro = false; /* a mount point may sit in baked files */
			if (vfs_create(dir, name, len, S_IFDIR | 0755, &ip) < 0)
				panic("no memory for volume %s", path);
			dir->ro = was_ro;
		}
		if (!S_ISDIR(ip->mode))
			panic("volume %s: the image has a file on that path", path);
		dir = ip;
	}
	return dir;
}

void hostfs_mount_all(const struct pith_boot *boot)
{
	unsigned n = MIN(boot->nvolumes, (uint32_t)PITH_VOLUMES_MAX);

	hostfs_process_init(boot);
	for (unsigned i = 0; i < n; i++) {
		char path[PITH_VOL_PATH_MAX];

		memcpy(path, boot->volumes[i].path, sizeof(path));
		path[sizeof(path) - 1] = '\0';
		mounts[i] = mkdir_p(path);
		mounts[i]->vol = (uint8_t)(i + 1);
	}
	nmounts = n;
}

/* ---- requests ----------------------------------------------------------- */

static void req_path(struct pith_hc_vol *a, unsigned vol, const char *path)
{
	a->vol = vol;
	a->handle = -1;
	a->path = GPA(path);
	a->path_len = (uint32_t)strlen(path) + 1;
}

static void req_path2(struct pith_hc_vol *a, const char *path)
{
	a->path2 = GPA(path);
	a->path2_len = (uint32_t)strlen(path) + 1;
}

static long call(struct pith_hc_vol *a)
{
	plat->vol(a);
	return (long)a->ret;
}

static void to_kstat(const struct pith_vol_stat *s, struct kstat *st)
{
	_Static_assert(sizeof(*s) == sizeof(*st), "struct kstat is Linux's struct stat");
	memcpy(st, s, sizeof(*st));
}

long hostfs_join(char *kpath, const char *base)
{
	size_t b = strlen(base), n = strlen(kpath);

	if (b == 0)
		return 0;
	if (b + 1 + n + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	memmove(kpath + b + 1, kpath, n + 1);
	memcpy(kpath, base, b);
	kpath[b] = '/';
	return 0;
}

long hostfs_stat(unsigned vol, const char *path, bool nofollow, struct kstat *st)
{
	struct pith_hc_vol a = { .op = PITH_VOL_STAT, .flags = nofollow ? PITH_VOL_NOFOLLOW : 0 };
	long r;

	req_path(&a, vol, path);
	r = call(&a);
	if (r == 0)
		to_kstat(&a.st, st);
	return r;
}

long hostfs_mkdir(unsigned vol, const char *path, unsigned mode)
{
	struct pith_hc_vol a = { .op = PITH_VOL_MKDIR, .mode = mode };

	req_path(&a, vol, path);
	return call(&a);
}

long hostfs_unlink(unsigned vol, const char *path, bool rmdir)
{
	struct pith_hc_vol a = { .op = PITH_VOL_UNLINK, .flags = rmdir ? PITH_VOL_RMDIR : 0 };

	req_path(&a, vol, path);
	return call(&a);
}

long hostfs_rename(unsigned vol, const char *from, const char *to, bool noreplace)
{
	struct pith_hc_vol a = { .op = PITH_VOL_RENAME,
				 .flags = noreplace ? PITH_VOL_NOREPLACE : 0 };

	req_path(&a, vol, from);
	req_path2(&a, to);
	return call(&a);
}

long hostfs_symlink(unsigned vol, const char *target, const char *path)
{
	struct pith_hc_vol a = { .op = PITH_VOL_SYMLINK };

	req_path(&a, vol, path);
	req_path2(&a, target);
	return call(&a);
}

long hostfs_link(unsigned vol, const char *from, const char *to, bool follow)
{
	struct pith_hc_vol a = { .op = PITH_VOL_LINK, .flags = follow ? PITH_VOL_FOLLOW : 0 };

	req_path(&a, vol, from);
	req_path2(&a, to);
	return call(&a);
}

long hostfs_readlink(unsigned vol, const char *path, char *buf, size_t len)
{
	struct pith_hc_vol a = { .op = PITH_VOL_READLINK };

	req_path(&a, vol, path);
	a.buf = GPA(buf);
	a.len = MIN(len, (size_t)PITH_VOL_IO_MAX);
	return call(&a);
}

long hostfs_access(unsigned vol, const char *path, int mode)
{
	struct pith_hc_vol a = { .op = PITH_VOL_ACCESS, .mode = (uint32_t)mode };

	req_path(&a, vol, path);
	return call(&a);
}

long hostfs_truncate(unsigned vol, const char *path, uint64_t len)
{
	struct pith_hc_vol a = { .op = PITH_VOL_TRUNCATE, .off = len };

	req_path(&a, vol, path);
	return call(&a);
}

/* chmod and utimes name an open file or a path. */
static void req_target(struct pith_hc_vol *a, unsigned vol, struct file *f, const char *path,
		       bool nofollow)
{
	if (f) {
		a->handle = ((struct vfile *)f->priv)->handle;
	} else {
		req_path(a, vol, path);
		a->flags = nofollow ? PITH_VOL_NOFOLLOW : 0;
	}
}

long hostfs_chmod(unsigned vol, struct file *f, const char *path, unsigned mode, bool nofollow)
{
	struct pith_hc_vol a = { .op = PITH_VOL_CHMOD, .mode = mode };

	req_target(&a, vol, f, path, nofollow);
	return call(&a);
}

long hostfs_utimes(unsigned vol, struct file *f, const char *path, const int64_t times[4],
		   bool nofollow)
{
	struct pith_hc_vol a = { .op = PITH_VOL_UTIMES };

	memcpy(a.times, times, sizeof(a.times));
	req_target(&a, vol, f, path, nofollow);
	return call(&a);
}

/* ---- open files ----------------------------------------------------------- */

static struct vfile *vf(struct file *f)
{
	return f->priv;
}

static void req_handle(struct pith_hc_vol *a, struct file *f, uint32_t op)
{
	a->op = op;
	a->handle = vf(f)->handle;
}

/* Read or write up to len bytes at off, one call per PITH_VOL_IO_MAX. */
static long io(struct file *f, uint32_t op, void *buf, size_t len, uint64_t *off, bool append)
{
	size_t done = 0;

	while (done < len) {
		struct pith_hc_vol a = { 0 };
		long r;

		req_handle(&a, f, op);
		a.buf = GPA((uint8_t *)buf + done);
		a.len = MIN(len - done, (size_t)PITH_VOL_IO_MAX);
		a.off = *off;
		a.flags = append ? PITH_VOL_APPEND : 0;
		r = call(&a);
		if (r < 0)
			return done ? (long)done : r;
		*off = op == PITH_VOL_WRITE ? a.off : *off + (uint64_t)r;
		done += (size_t)r;
		if ((uint64_t)r < a.len)
			break; /* the end of the file, or the disk is full */
	}
	return (long)done;
}

static long vol_read(struct file *f, void *buf, size_t len)
{
	return io(f, PITH_VOL_READ, buf, len, &f->pos, false);
}

static long vol_write(struct file *f, const void *buf, size_t len)
{
	long r;

	if (len == 0)
		return 0;
	r = io(f, PITH_VOL_WRITE, (void *)buf, len, &f->pos, f->flags & O_APPEND_K);
	return r;
}

static long vol_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
	return io(f, PITH_VOL_READ, buf, len, &off, false);
}

static long vol_pwrite(struct file *f, const void *buf, size_t len, uint64_t off)
{
	/* Linux: pwrite on an O_APPEND file appends. */
	return len ? io(f, PITH_VOL_WRITE, (void *)buf, len, &off, f->flags & O_APPEND_K) : 0;
}

static long host_seek(struct file *f, long off, int whence)
{
	struct pith_hc_vol a = { 0 };

	req_handle(&a, f, PITH_VOL_SEEK);
	a.off = (uint64_t)off;
	a.mode = (uint32_t)whence;
	return call(&a);
}

static long vol_lseek(struct file *f, long off, int whence)
{
	int64_t base;
	long r;

	if (whence != SEEK_SET_K && whence != SEEK_CUR_K) {
		r = host_seek(f, off, whence); /* the end, data and holes: the host's */
		if (r >= 0)
			f->pos = (uint64_t)r;
		return r;
	}
	base = whence == SEEK_SET_K ? 0 : (int64_t)f->pos;
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

static long dir_lseek(struct file *f, long off, int whence)
{
	return host_seek(f, off, whence); /* the host keeps a listing's place */
}

static long vol_getdents(struct file *f, void *buf, size_t len)
{
	struct pith_hc_vol a = { 0 };

	req_handle(&a, f, PITH_VOL_GETDENTS);
	a.buf = GPA(buf);
	a.len = MIN(len, (size_t)PITH_VOL_IO_MAX);
	return call(&a);
}

static void vol_stat(struct file *f, struct kstat *st)
{
	struct pith_hc_vol a = { 0 };

	req_handle(&a, f, PITH_VOL_FSTAT);
	if (call(&a) == 0)
		to_kstat(&a.st, st);
}

static long vol_truncate(struct file *f, uint64_t len)
{
	struct pith_hc_vol a = { 0 };

	req_handle(&a, f, PITH_VOL_TRUNCATE);
	a.off = len;
	return call(&a);
}

static long sync(struct file *f, bool data)
{
	struct pith_hc_vol a = { 0 };

	req_handle(&a, f, PITH_VOL_SYNC);
	a.flags = data ? PITH_VOL_DATA : 0;
	return call(&a);
}

static long vol_fsync(struct file *f)
{
	return sync(f, false);
}

static long vol_fdatasync(struct file *f)
{
	return sync(f, true);
}

static short vol_poll(struct file *f)
{
	(void)f;
	return 0x001 | 0x004; /* POLLIN | POLLOUT: files are always ready */
}

static void vol_release(struct file *f)
{
	struct pith_hc_vol a = { 0 };
	struct vfile *v = vf(f);

	req_handle(&a, f, PITH_VOL_CLOSE);
	call(&a);
	kfree(v, sizeof(*v) + v->len + 1);
}

/* The mount point's path, then the path beneath it. */
static long vol_name(struct file *f, char *buf, size_t size)
{
	long n = vfs_path_of(mounts[vf(f)->vol], buf, size);
	size_t len = vf(f)->len;

	if (n < 0 || len == 0)
		return n < 0 ? n : n - 1;
	if ((size_t)n + len + 1 > size)
		return -ENAMETOOLONG;
	buf[n - 1] = '/';
	memcpy(buf + n, vf(f)->path, len + 1);
	return n + (long)len;
}

static const struct file_ops vol_file_ops = {
	.read = vol_read,
	.write = vol_write,
	.poll = vol_poll,
	.stat = vol_stat,
	.lseek = vol_lseek,
	.pread = vol_pread,
	.pwrite = vol_pwrite,
	.truncate = vol_truncate,
	.fsync = vol_fsync,
	.fdatasync = vol_fdatasync,
	.release = vol_release,
	.name = vol_name,
};

static long dir_read(struct file *f, void *buf, size_t len)
{
	(void)f, (void)buf, (void)len;
	return -EISDIR;
}

static long dir_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
	(void)off;
	return dir_read(f, buf, len);
}

static const struct file_ops vol_dir_ops = {
	.read = dir_read,
	.pread = dir_pread,
	.poll = vol_poll,
	.stat = vol_stat,
	.lseek = dir_lseek,
	.getdents = vol_getdents,
	.fsync = vol_fsync,
	.fdatasync = vol_fdatasync,
	.release = vol_release,
	.name = vol_name,
};

bool hostfs_is_file(struct file *f)
{
	return f->ops == &vol_file_ops || f->ops == &vol_dir_ops;
}

bool hostfs_dir_file(struct file *f, struct inode **mount, const char **base)
{
	if (f->ops != &vol_dir_ops)
		return false;
	*mount = mounts[vf(f)->vol];
	*base = vf(f)->path;
	return true;
}

long hostfs_open(unsigned vol, const char *path, int flags, unsigned mode)
{
	struct pith_hc_vol a = { .op = PITH_VOL_OPEN, .mode = mode };
	size_t len = strlen(path);
	struct vfile *v = kalloc(sizeof(*v) + len + 1);
	struct file *f;
	long r, fd;

	if (!v)
		return -ENOMEM;
	req_path(&a, vol, path);
	/* The host takes what it knows; O_CLOEXEC is the guest's. */
	a.flags = (uint32_t)flags & OPEN_HOST_FLAGS;
	r = call(&a);
	if (r < 0) {
		kfree(v, sizeof(*v) + len + 1);
		return r;
	}
	v->vol = vol;
	v->handle = (int32_t)r;
	v->len = len;
	memcpy(v->path, path, len + 1);
	f = file_alloc(S_ISDIR(a.st.mode) ? &vol_dir_ops : &vol_file_ops,
		       flags & (3 | O_APPEND_K | 04000), v);
	if (!f) {
		struct pith_hc_vol c = { .op = PITH_VOL_CLOSE, .handle = v->handle };

		call(&c);
		kfree(v, sizeof(*v) + len + 1);
		return -ENFILE;
	}
	f->ino = a.st.ino;
	fd = fd_install(f, 0, flags & 02000000);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* ---- the working directory ------------------------------------------------ */

bool hostfs_cwd(struct inode **mount, const char **base)
{
	struct inode *cwd = vfs_cwd();

	if (!cwd->vol)
		return false;
	*mount = cwd;
	*base = cwd_path ? cwd_path : "";
	return true;
}

static long set_cwd(struct inode *mount, const char *path)
{
	size_t len = strlen(path);
	char *p = kalloc(len + 1);

	if (!p)
		return -ENOMEM;
	memcpy(p, path, len + 1);
	if (cwd_path)
		kfree(cwd_path, cwd_len + 1);
	cwd_path = p;
	cwd_len = len;
	vfs_set_cwd(mount);
	return 0;
}

/* path without ".", ".." and repeated slashes, into out; -1 if it climbs
 * above the root. Lexical: right unless a name before ".." is a link. */
static int normalise(const char *path, char *out)
{
	size_t n = 0;

	for (const char *p = path; *p;) {
		size_t len;
		const char *name = path_next(&p, &len);

		if (len == 0 || (len == 1 && name[0] == '.'))
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			if (n == 0)
				return -1;
			while (n > 0 && out[n - 1] != '/')
				n--;
			n = n > 0 ? n - 1 : 0; /* and its slash */
			continue;
		}
		if (n)
			out[n++] = '/';
		memcpy(out + n, name, len);
		n += len;
	}
	out[n] = '\0';
	return 0;
}

long hostfs_chdir(struct inode *mount, const char *path)
{
	struct kstat st, st2;
	char norm[PATH_MAX];
	long r = hostfs_stat(hostfs_vol(mount), path, false, &st);

	if (r < 0)
		return r;
	if (!S_ISDIR(st.mode))
		return -ENOTDIR;
	/* Keep the shortest name of the directory, so it survives changes
	 * to the way there ("a/b/../.." after a/b is removed) — if that
	 * name is the same directory (no link was undone by ".."). */
	if (normalise(path, norm) == 0 && hostfs_stat(hostfs_vol(mount), norm, false, &st2) == 0 &&
	    st2.dev == st.dev && st2.ino == st.ino)
		path = norm;
	return set_cwd(mount, path);
}

long hostfs_fchdir(struct file *f)
{
	return set_cwd(mounts[vf(f)->vol], vf(f)->path);
}

long hostfs_getcwd(char *buf, size_t size)
{
	long n;
	size_t len;

	if (!vfs_cwd()->vol)
		return 0;
	n = vfs_path_of(vfs_cwd(), buf, size); /* with its NUL */
	if (n < 0)
		return n;
	len = cwd_path ? strlen(cwd_path) : 0;
	if (len == 0)
		return n;
	if ((size_t)n + 1 + len > size)
		return -ERANGE;
	buf[n - 1] = '/';
	memcpy(buf + n, cwd_path, len + 1);
	return n + 1 + (long)len;
}
