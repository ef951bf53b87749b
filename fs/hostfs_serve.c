/*
 * hostfs_serve.c — the host half of volumes (see hostfs_serve.h).
 *
 * Freestanding: no libc, so the guest kernel can hold it too. One request
 * at a time (one vCPU on hvt; one program on the process target), so the
 * scratch buffers for splitting paths are static.
 */
#include "hostfs_serve.h"

#include "../kernel/kerrno.h"

/* Linux x86-64 system call numbers and flags this file uses. */
#define NR_close	3
#define NR_lseek	8
#define NR_pread64	17
#define NR_pwrite64	18
#define NR_fsync	74
#define NR_fdatasync	75
#define NR_ftruncate	77
#define NR_getdents64	217
#define NR_mkdirat	258
#define NR_newfstatat	262
#define NR_unlinkat	263
#define NR_renameat2	316
#define NR_linkat	265
#define NR_symlinkat	266
#define NR_readlinkat	267
#define NR_utimensat	280
#define NR_openat2	437
#define NR_faccessat2	439
#define NR_fchmodat2	452
#define H_O_ACCMODE	03
#define H_O_RDONLY	0
#define H_O_WRONLY	01
#define H_O_CREAT	0100
#define H_O_EXCL	0200
#define H_O_NOCTTY	0400
#define H_O_TRUNC	01000
#define H_O_APPEND	02000
#define H_O_NONBLOCK	04000
#define H_O_DSYNC	010000
#define H_O_DIRECTORY	0200000
#define H_O_NOFOLLOW	0400000
#define H_O_CLOEXEC	02000000
#define H_O_SYNC	04010000
#define H_O_PATH	010000000
#define H_AT_EMPTY_PATH 0x1000
#define H_AT_REMOVEDIR	0x200
#define H_RESOLVE	(0x08 | 0x02) /* RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS */
#define H_S_IFMT	0170000
#define H_S_IFDIR	0040000
#define H_S_IFREG	0100000
#define H_S_IFLNK	0120000
#define H_W_OK		2
#define H_EINTR_MAX	100 /* retries of a call a signal broke */

/* What the guest may ask OPEN for. O_NONBLOCK and O_NOCTTY are always
 * added: a FIFO or terminal someone left in the directory must never
 * block or adopt the monitor. */
#define OPEN_FLAGS                                                                                \
	(H_O_ACCMODE | H_O_CREAT | H_O_EXCL | H_O_TRUNC | H_O_APPEND | H_O_NONBLOCK | H_O_DSYNC | \
	 H_O_SYNC | H_O_DIRECTORY | H_O_NOFOLLOW)

struct open_how_k {
	uint64_t flags, mode, resolve;
};

static struct {
	int root[PITH_VOLUMES_MAX];
	uint32_t flags[PITH_VOLUMES_MAX];
	unsigned n;
	struct {
		int fd; /* -1: free */
		uint8_t vol;
		bool dir;
	} h[HOSTFS_HANDLES];
} hs;

static char split_buf[2][PITH_VOL_PATH_BYTES];

void hostfs_serve_init(const int *root_fd, const uint32_t *flags, unsigned n)
{
	hs.n = n > PITH_VOLUMES_MAX ? PITH_VOLUMES_MAX : n;
	for (unsigned i = 0; i < hs.n; i++) {
		hs.root[i] = root_fd[i];
		hs.flags[i] = flags[i];
	}
	for (unsigned i = 0; i < HOSTFS_HANDLES; i++)
		hs.h[i].fd = -1;
}

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* A system call that a signal may interrupt (pith's SIGINT/TERM handler
 * sets a flag and the guest loop notices it after this call). */
static long sys(long nr, long a, long b, long c, long d, long e)
{
	long r;
	int tries = 0;

	do
		r = hostfs_sys(nr, a, b, c, d, e);
	while (r == -EINTR && ++tries < H_EINTR_MAX);
	return r;
}

static bool ro(unsigned vol)
{
	return hs.flags[vol] & PITH_VOL_RO;
}

/* path beneath the volume's root, with the given O_* flags. */
static long resolve(unsigned vol, const char *path, long flags, uint32_t mode)
{
	/* openat2 takes no other flag with O_PATH */
	long extra = H_O_CLOEXEC | ((flags & H_O_PATH) ? 0 : H_O_NOCTTY);
	struct open_how_k how = { (uint64_t)(flags | extra), mode, H_RESOLVE };

	if (path[0] == '\0')
		path = "."; /* the root itself */
	return sys(NR_openat2, hs.root[vol], (long)path, (long)&how, sizeof(how), 0);
}

/* An existing file as an O_PATH fd (the link itself with nofollow). */
static long resolve_path(unsigned vol, const char *path, bool nofollow)
{
	return resolve(vol, path, H_O_PATH | (nofollow ? H_O_NOFOLLOW : 0), 0);
}

enum last_kind { LAST_NAME, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

/*
 * Split path into its parent, resolved to an O_PATH directory fd (*pfd),
 * and its last component (*name, into scratch buffer b, trailing slashes
 * kept: the kernel reads them as "must be a directory" and never follows
 * the last component for the calls that use this). Returns the kind of
 * last component, or -errno from resolving the parent.
 */
static long split(unsigned vol, const char *path, int b, long *pfd, const char **name)
{
	size_t n = slen(path), end = n, start;
	char *buf = split_buf[b];

	while (end > 0 && path[end - 1] == '/')
		end--;
	if (end == 0)
		return LAST_ROOT;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (end - start == 1 && path[start] == '.')
		return LAST_DOT;
	if (end - start == 2 && path[start] == '.' && path[start + 1] == '.')
		return LAST_DOTDOT;
	/* buf: parent NUL name NUL; n < PITH_VOL_PATH_BYTES, so it fits */
	for (size_t i = 0; i < start; i++)
		buf[i] = path[i];
	buf[start] = '\0';
	for (size_t i = start; i <= n; i++)
		buf[i + 1] = path[i];
	*name = buf + start + 1;
	*pfd = resolve(vol, buf, H_O_PATH | H_O_DIRECTORY, 0);
	return *pfd < 0 ? *pfd : LAST_NAME;
}

/* Errors for a last component that names no new entry, per call. */
static long last_err(long kind, long root, long dot, long dotdot)
{
	return kind < 0 ? kind : kind == LAST_ROOT ? -root : kind == LAST_DOT ? -dot : -dotdot;
}

static long fstat_fd(long fd, struct pith_vol_stat *st)
{
	return sys(NR_newfstatat, fd, (long)"", (long)st, H_AT_EMPTY_PATH, 0);
}

static void close_fd(long fd)
{
	if (fd >= 0)
		hostfs_sys(NR_close, fd, 0, 0, 0, 0);
}

/* ---- handles ------------------------------------------------------------ */

static long handle_new(long fd, unsigned vol, bool dir)
{
	for (int i = 0; i < HOSTFS_HANDLES; i++)
		if (hs.h[i].fd < 0) {
			hs.h[i].fd = (int)fd;
			hs.h[i].vol = (uint8_t)vol;
			hs.h[i].dir = dir;
			return i;
		}
	close_fd(fd);
	return -ENFILE;
}

/* The host fd behind a handle the guest names, or -1. */
static long handle_fd(int32_t h)
{
	return h >= 0 && h < HOSTFS_HANDLES ? hs.h[h].fd : -1;
}

/* ---- the calls ------------------------------------------------------------ */

static long op_open(struct pith_hc_vol *a, const char *path)
{
	long flags = a->flags & OPEN_FLAGS, fd, r;
	int acc = (int)(flags & H_O_ACCMODE);

	if (ro(a->vol) && (acc != H_O_RDONLY || (flags & H_O_TRUNC))) {
		/* As on a read-only mount: what does not exist is ENOENT
		 * unless it would be created. */
		fd = resolve_path(a->vol, path, flags & H_O_NOFOLLOW);
		if (fd < 0 && (fd != -ENOENT || (flags & H_O_CREAT)))
			return fd == -ENOENT ? -EROFS : fd;
		close_fd(fd);
		return -EROFS;
	}
	if (ro(a->vol) && (flags & H_O_CREAT)) {
		flags &= ~(long)(H_O_CREAT | H_O_EXCL);
		fd = resolve(a->vol, path, flags | H_O_NONBLOCK, 0);
		if (fd == -ENOENT)
			return -EROFS;
	} else {
		/* openat2 wants no mode without O_CREAT */
		fd = resolve(a->vol, path, flags | H_O_NONBLOCK,
			     (flags & H_O_CREAT) ? a->mode & 07777 : 0);
	}
	if (fd < 0)
		return fd == -EMFILE ? -ENFILE : fd;
	r = fstat_fd(fd, &a->st);
	if (r == 0 && (a->st.mode & H_S_IFMT) != H_S_IFREG && (a->st.mode & H_S_IFMT) != H_S_IFDIR)
		r = -ENXIO; /* FIFOs, sockets, devices: not served */
	if (r < 0) {
		close_fd(fd);
		return r;
	}
	return handle_new(fd, a->vol, (a->st.mode & H_S_IFMT) == H_S_IFDIR);
}

static long op_write(struct pith_hc_vol *a, long fd, const void *buf)
{
	long r;

	if (ro(hs.h[a->handle].vol))
		return -EROFS;
	if (a->flags & PITH_VOL_APPEND) {
		/* The guest's offset follows the end (O_APPEND) */
		struct pith_vol_stat st;

		r = fstat_fd(fd, &st);
		if (r < 0)
			return r;
		a->off = (uint64_t)st.size;
	}
	r = sys(NR_pwrite64, fd, (long)buf, (long)a->len, (long)a->off, 0);
	if (r > 0)
		a->off += (uint64_t)r;
	return r;
}

/* A call on an existing file: by handle, or by path (handle < 0). */
static long target_fd(struct pith_hc_vol *a, const char *path, bool *own)
{
	*own = a->handle < 0;
	if (!*own)
		return handle_fd(a->handle) < 0 ? -EBADF : handle_fd(a->handle);
	return resolve_path(a->vol, path, a->flags & PITH_VOL_NOFOLLOW);
}

static unsigned vol_of(const struct pith_hc_vol *a)
{
	return a->handle >= 0 ? hs.h[a->handle].vol : a->vol;
}

static long op_truncate(struct pith_hc_vol *a, const char *path)
{
	long fd, r;

	if (a->handle >= 0) {
		fd = handle_fd(a->handle);
		if (fd < 0)
			return -EBADF;
		return ro(vol_of(a)) ? -EROFS : sys(NR_ftruncate, fd, (long)a->off, 0, 0, 0);
	}
	if (ro(a->vol)) {
		fd = resolve_path(a->vol, path, false);
		close_fd(fd);
		return fd < 0 ? fd : -EROFS;
	}
	fd = resolve(a->vol, path, H_O_WRONLY | H_O_NONBLOCK, 0);
	if (fd < 0)
		return fd;
	r = sys(NR_ftruncate, fd, (long)a->off, 0, 0, 0);
	close_fd(fd);
	return r;
}

/* chmod, utimes: on an O_PATH fd (or a handle) with AT_EMPTY_PATH. */
static long op_attr(struct pith_hc_vol *a, const char *path)
{
	bool own;
	long fd = target_fd(a, path, &own), r;

	if (fd < 0)
		return fd;
	if (ro(vol_of(a)))
		r = -EROFS;
	else if (a->op == PITH_VOL_CHMOD)
		r = sys(NR_fchmodat2, fd, (long)"", a->mode & 07777, H_AT_EMPTY_PATH, 0);
	else
		r = sys(NR_utimensat, fd, (long)"", (long)a->times, H_AT_EMPTY_PATH, 0);
	if (own)
		close_fd(fd);
	return r;
}

static long op_mkdir(struct pith_hc_vol *a, const char *path)
{
	const char *name;
	long pfd = -1, k = split(a->vol, path, 0, &pfd, &name), r;

	if (k != LAST_NAME)
		return last_err(k, EEXIST, EEXIST, EEXIST);
	r = ro(a->vol) ? -EROFS : sys(NR_mkdirat, pfd, (long)name, a->mode & 07777, 0, 0);
	if (r == -EROFS && sys(NR_newfstatat, pfd, (long)name, (long)&a->st, 0x100, 0) == 0)
		r = -EEXIST; /* as Linux: an existing name first */
	close_fd(pfd);
	return r;
}

static long op_unlink(struct pith_hc_vol *a, const char *path)
{
	bool rmdir = a->flags & PITH_VOL_RMDIR;
	const char *name;
	long pfd = -1, k = split(a->vol, path, 0, &pfd, &name), r;

	if (k != LAST_NAME)
		return rmdir ? last_err(k, EBUSY, EINVAL, ENOTEMPTY)
			     : last_err(k, EISDIR, EISDIR, EISDIR);
	if (ro(a->vol))
		r = sys(NR_newfstatat, pfd, (long)name, (long)&a->st, 0x100, 0) < 0 ? -ENOENT
										    : -EROFS;
	else
		r = sys(NR_unlinkat, pfd, (long)name, rmdir ? H_AT_REMOVEDIR : 0, 0, 0);
	close_fd(pfd);
	return r;
}

static long op_rename(struct pith_hc_vol *a, const char *from, const char *to)
{
	const char *oname, *nname;
	long ofd = -1, nfd = -1, k, r;

	k = split(a->vol, from, 0, &ofd, &oname);
	if (k != LAST_NAME)
		return last_err(k, EBUSY, EBUSY, EBUSY);
	k = split(a->vol, to, 1, &nfd, &nname);
	if (k != LAST_NAME) {
		close_fd(ofd);
		return last_err(k, EBUSY, EBUSY, EBUSY);
	}
	r = ro(a->vol) ? -EROFS
		       : sys(NR_renameat2, ofd, (long)oname, nfd, (long)nname,
			     a->flags & PITH_VOL_NOREPLACE ? 1 : 0);
	close_fd(ofd);
	close_fd(nfd);
	return r;
}

static long op_symlink(struct pith_hc_vol *a, const char *path, const char *target)
{
	const char *name;
	long pfd = -1, k = split(a->vol, path, 0, &pfd, &name), r;

	if (k != LAST_NAME)
		return last_err(k, EEXIST, EEXIST, EEXIST);
	/* The target is text stored in the link, never resolved here: every
	 * later lookup through it is again beneath the root. */
	r = ro(a->vol) ? -EROFS : sys(NR_symlinkat, (long)target, pfd, (long)name, 0, 0);
	close_fd(pfd);
	return r;
}

static long op_link(struct pith_hc_vol *a, const char *from, const char *to)
{
	const char *oname = "", *nname;
	long ofd = -1, nfd = -1, k, r;

	/* Following: the file the link names, resolved beneath the root
	 * (linkat's own AT_SYMLINK_FOLLOW would follow a link to anywhere). */
	if (a->flags & PITH_VOL_FOLLOW) {
		ofd = resolve_path(a->vol, from, false);
		if (ofd < 0)
			return ofd;
	} else {
		k = split(a->vol, from, 0, &ofd, &oname);
		if (k != LAST_NAME)
			return last_err(k, EPERM, EPERM, EPERM);
	}
	k = split(a->vol, to, 1, &nfd, &nname);
	if (k != LAST_NAME) {
		close_fd(ofd);
		return last_err(k, EEXIST, EEXIST, EEXIST);
	}
	r = ro(a->vol) ? -EROFS
		       : sys(NR_linkat, ofd, (long)oname, nfd, (long)nname,
			     a->flags & PITH_VOL_FOLLOW ? H_AT_EMPTY_PATH : 0);
	close_fd(ofd);
	close_fd(nfd);
	return r;
}

static long op_readlink(struct pith_hc_vol *a, const char *path, void *buf)
{
	long fd = resolve_path(a->vol, path, true), r;

	if (fd < 0)
		return fd;
	r = fstat_fd(fd, &a->st);
	if (r == 0)
		r = (a->st.mode & H_S_IFMT) == H_S_IFLNK
			    ? sys(NR_readlinkat, fd, (long)"", (long)buf, (long)a->len, 0)
			    : -EINVAL;
	close_fd(fd);
	return r;
}

static long op_access(struct pith_hc_vol *a, const char *path)
{
	long fd = resolve_path(a->vol, path, false), r;

	if (fd < 0)
		return fd;
	r = sys(NR_faccessat2, fd, (long)"", a->mode & 7, H_AT_EMPTY_PATH, 0);
	if (r == 0 && (a->mode & H_W_OK) && ro(a->vol))
		r = -EROFS;
	close_fd(fd);
	return r;
}

static long op_stat(struct pith_hc_vol *a, const char *path)
{
	long fd = resolve_path(a->vol, path, a->flags & PITH_VOL_NOFOLLOW), r;

	if (fd < 0)
		return fd;
	r = fstat_fd(fd, &a->st);
	close_fd(fd);
	return r;
}

/* ---- checking and dispatch ------------------------------------------------ */

static const struct {
	unsigned need;
	uint32_t flags; /* allowed */
	bool path_op;	/* names a volume (else a handle) */
} ops[PITH_VOL_OP_MAX] = {
	[PITH_VOL_OPEN] = { HOSTFS_NEED_PATH, OPEN_FLAGS, true },
	[PITH_VOL_CLOSE] = { 0, 0, false },
	[PITH_VOL_READ] = { HOSTFS_NEED_BUF, 0, false },
	[PITH_VOL_WRITE] = { HOSTFS_NEED_BUF, PITH_VOL_APPEND, false },
	[PITH_VOL_FSTAT] = { 0, 0, false },
	[PITH_VOL_STAT] = { HOSTFS_NEED_PATH, PITH_VOL_NOFOLLOW, true },
	[PITH_VOL_GETDENTS] = { HOSTFS_NEED_BUF, 0, false },
	[PITH_VOL_SEEK] = { 0, 0, false },
	[PITH_VOL_TRUNCATE] = { HOSTFS_NEED_PATH, 0, true },
	[PITH_VOL_SYNC] = { 0, PITH_VOL_DATA, false },
	[PITH_VOL_MKDIR] = { HOSTFS_NEED_PATH, 0, true },
	[PITH_VOL_UNLINK] = { HOSTFS_NEED_PATH, PITH_VOL_RMDIR, true },
	[PITH_VOL_RENAME] = { HOSTFS_NEED_PATH | HOSTFS_NEED_PATH2, PITH_VOL_NOREPLACE, true },
	[PITH_VOL_SYMLINK] = { HOSTFS_NEED_PATH | HOSTFS_NEED_PATH2, 0, true },
	[PITH_VOL_LINK] = { HOSTFS_NEED_PATH | HOSTFS_NEED_PATH2, PITH_VOL_FOLLOW, true },
	[PITH_VOL_READLINK] = { HOSTFS_NEED_PATH | HOSTFS_NEED_BUF, 0, true },
	[PITH_VOL_ACCESS] = { HOSTFS_NEED_PATH, 0, true },
	[PITH_VOL_CHMOD] = { HOSTFS_NEED_PATH, PITH_VOL_NOFOLLOW, true },
	[PITH_VOL_UTIMES] = { HOSTFS_NEED_PATH, PITH_VOL_NOFOLLOW, true },
};

/* Calls that take a handle or, with handle < 0, a path. */
static bool either(uint32_t op)
{
	return op == PITH_VOL_TRUNCATE || op == PITH_VOL_CHMOD || op == PITH_VOL_UTIMES;
}

const char *hostfs_check(const struct pith_hc_vol *a, unsigned *need)
{
	if (a->op == 0 || a->op >= PITH_VOL_OP_MAX)
		return "unknown volume operation";
	if (a->flags & ~ops[a->op].flags)
		return "unknown volume operation flags";
	*need = ops[a->op].need;
	if (either(a->op) && a->handle >= 0)
		*need &= ~HOSTFS_NEED_PATH;
	if ((*need & HOSTFS_NEED_PATH) && (ops[a->op].path_op || either(a->op)) && a->vol >= hs.n)
		return "no such volume";
	if ((*need & HOSTFS_NEED_PATH) && (a->path_len == 0 || a->path_len > PITH_VOL_PATH_BYTES))
		return "volume path length out of range";
	if ((*need & HOSTFS_NEED_PATH2) &&
	    (a->path2_len == 0 || a->path2_len > PITH_VOL_PATH_BYTES))
		return "volume path length out of range";
	if ((*need & HOSTFS_NEED_BUF) && a->len > PITH_VOL_IO_MAX)
		return "volume transfer too large";
	return NULL;
}

void hostfs_serve(struct pith_hc_vol *a, const char *path, const char *path2, void *buf)
{
	long fd = -1;

	if (!ops[a->op].path_op && !either(a->op)) {
		fd = handle_fd(a->handle);
		if (fd < 0) {
			a->ret = -EBADF;
			return;
		}
	}
	switch (a->op) {
	case PITH_VOL_OPEN:
		a->ret = op_open(a, path);
		break;
	case PITH_VOL_CLOSE:
		close_fd(fd);
		hs.h[a->handle].fd = -1;
		a->ret = 0;
		break;
	case PITH_VOL_READ:
		a->ret = sys(NR_pread64, fd, (long)buf, (long)a->len, (long)a->off, 0);
		break;
	case PITH_VOL_WRITE:
		a->ret = op_write(a, fd, buf);
		break;
	case PITH_VOL_FSTAT:
		a->ret = fstat_fd(fd, &a->st);
		break;
	case PITH_VOL_STAT:
		a->ret = op_stat(a, path);
		break;
	case PITH_VOL_GETDENTS:
		a->ret = sys(NR_getdents64, fd, (long)buf, (long)a->len, 0, 0);
		break;
	case PITH_VOL_SEEK:
		a->ret = a->mode <= 4 ? sys(NR_lseek, fd, (long)a->off, a->mode, 0, 0) : -EINVAL;
		break;
	case PITH_VOL_TRUNCATE:
		a->ret = op_truncate(a, path);
		break;
	case PITH_VOL_SYNC:
		a->ret = sys(a->flags & PITH_VOL_DATA ? NR_fdatasync : NR_fsync, fd, 0, 0, 0, 0);
		break;
	case PITH_VOL_MKDIR:
		a->ret = op_mkdir(a, path);
		break;
	case PITH_VOL_UNLINK:
		a->ret = op_unlink(a, path);
		break;
	case PITH_VOL_RENAME:
		a->ret = op_rename(a, path, path2);
		break;
	case PITH_VOL_SYMLINK:
		a->ret = op_symlink(a, path, path2);
		break;
	case PITH_VOL_LINK:
		a->ret = op_link(a, path, path2);
		break;
	case PITH_VOL_READLINK:
		a->ret = op_readlink(a, path, buf);
		break;
	case PITH_VOL_ACCESS:
		a->ret = op_access(a, path);
		break;
	default: /* CHMOD, UTIMES */
		a->ret = op_attr(a, path);
		break;
	}
}
