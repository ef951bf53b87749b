/*
 * fd.c — open files, the descriptor table, and the calls that work on any
 * file: read, write and their vector forms, close, dup, fcntl, ioctl,
 * fstat, lseek.
 *
 * Files are kernel objects (kalloc), at most NFILE at once; descriptors are
 * slots in a table of NOFILE pointers, with a bit each for close-on-exec.
 * The limits are in param.h. A call
 * that would block waits in file_wait(), which hands the host a deadline
 * and what to watch (stdin), so a waiting program costs no CPU.
 */
#include "../kernel/clock.h"
#include "../kernel/console.h"
#include "../kernel/kalloc.h"
#include "file.h"

#define FD_CLOEXEC	1
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC 1030
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38
#define F_UNLCK		2
#define FIONBIO		0x5421
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451
#define IOV_MAX		1024

static struct file *fdtab[NOFILE];
static uint64_t cloexec_bits[NOFILE / 64];
static unsigned nfiles;

static bool cloexec(long fd)
{
	return cloexec_bits[fd / 64] & (1ull << (fd % 64));
}

static void set_cloexec(long fd, bool on)
{
	if (on)
		cloexec_bits[fd / 64] |= 1ull << (fd % 64);
	else
		cloexec_bits[fd / 64] &= ~(1ull << (fd % 64));
}
static uint64_t next_ino = 1;

struct file *file_alloc(const struct file_ops *ops, int flags, void *priv)
{
	struct file *f;

	if (nfiles == NFILE || !(f = kalloc(sizeof(*f))))
		return NULL;
	*f = (struct file){
		.ops = ops, .refs = 1, .flags = flags, .priv = priv, .ino = next_ino++
	};
	nfiles++;
	return f;
}

void file_put(struct file *f)
{
	if (--f->refs > 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	kfree(f, sizeof(*f));
	nfiles--;
}

struct file *fd_file(long fd)
{
	return fd >= 0 && fd < NOFILE ? fdtab[fd] : NULL;
}

bool fd_cloexec(long fd)
{
	return fd_file(fd) && cloexec(fd);
}

long fd_install(struct file *f, long min, bool on_exec)
{
	for (long fd = min < 0 ? 0 : min; fd < NOFILE; fd++)
		if (!fdtab[fd]) {
			fdtab[fd] = f;
			set_cloexec(fd, on_exec);
			return fd;
		}
	return -EMFILE;
}

long fd_close(long fd)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	fdtab[fd] = NULL;
	file_put(f);
	return 0;
}

uint64_t file_deadline(struct file *f, short events)
{
	uint64_t t = f->ops->timeout ? f->ops->timeout(f, events) : 0, now;

	if (!t)
		return PITH_DEADLINE_NONE;
	now = clock_monotonic();
	return t > UINT64_MAX - now ? PITH_DEADLINE_NONE : now + t;
}

long file_wait(struct file *f, short events, uint64_t deadline)
{
	uint32_t host = f->ops->wait ? f->ops->wait(f) : 0;

	/* Only the program could change a pipe: with nothing for the host
	 * to watch, this sleeps until a signal comes — the same deadlock
	 * Linux would leave it in. */
	(void)events;
	if (deadline != PITH_DEADLINE_NONE && clock_monotonic() >= deadline)
		return -EAGAIN;
	clock_sleep_until(deadline, host);
	return signal_interrupted(deadline == PITH_DEADLINE_NONE);
}

/* ---- read and write ---------------------------------------------------- */

static long do_read(struct file *f, void *buf, size_t len)
{
	uint64_t deadline;

	if ((f->flags & O_ACCMODE) == O_WRONLY || !f->ops->read)
		return -EBADF;
	if (len == 0)
		return 0;
	if (!user_w((uintptr_t)buf, len))
		return -EFAULT;
	deadline = file_deadline(f, POLLIN);
	for (;;) {
		long r = f->ops->read(f, buf, len);

		if (r != -EAGAIN || (f->flags & O_NONBLOCK))
			return r;
		if ((r = file_wait(f, POLLIN, deadline)) < 0)
			return r;
	}
}

/* All of buf, waiting while the file is full, unless non-blocking: then
 * what fits. -EPIPE also raises SIGPIPE, as on Linux. */
static long do_write(struct file *f, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;
	uint64_t deadline;

	if ((f->flags & O_ACCMODE) == O_RDONLY || !f->ops->write)
		return -EBADF;
	if (len && !user_ok((uintptr_t)buf, len))
		return -EFAULT;
	deadline = file_deadline(f, POLLOUT);
	while (done < len || len == 0) {
		long r = f->ops->write(f, p + done, len - done);

		if (r == -EAGAIN && !(f->flags & O_NONBLOCK)) {
			if ((r = file_wait(f, POLLOUT, deadline)) < 0)
				return done ? (long)done : r;
			continue;
		}
		if (r < 0) {
			if (r == -EPIPE)
				signal_send(SIGPIPE, 0);
			return done ? (long)done : r;
		}
		done += (size_t)r;
		if (len == 0 || (f->flags & O_NONBLOCK))
			break;
	}
	return (long)done;
}

struct iovec {
	void *base;
	size_t len;
};

/* A read or write request, as the four calls make it. */
struct io {
	void *buf;
	size_t len;
	const struct iovec *iov;
	int cnt;
};

/*
 * The calls that may wait hold a reference to their file throughout,
 * and start again from the fd when a handler asked SA_RESTART: the
 * handler may have closed it or put another file there, as on Linux.
 */
static long with_file(int fd, long (*once)(struct file *, const struct io *), const struct io *io)
{
	long r;

	do {
		struct file *f = fd_file(fd);

		if (!f)
			return -EBADF;
		r = once(file_get(f), io);
		file_put(f);
	} while (r == -ERESTART_CALL);
	return r;
}

static long read_once(struct file *f, const struct io *io)
{
	return do_read(f, io->buf, io->len);
}

static long write_once(struct file *f, const struct io *io)
{
	long r = do_write(f, io->buf, io->len);

	if (f->ops->after_write)
		f->ops->after_write(f);
	return r;
}

long sys_read(int fd, void *buf, size_t len)
{
	return with_file(fd, read_once, &(struct io){ .buf = buf, .len = len });
}

long sys_write(int fd, const void *buf, size_t len)
{
	return with_file(fd, write_once, &(struct io){ .buf = (void *)buf, .len = len });
}

static long check_iov(const struct iovec *iov, int cnt)
{
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	if (cnt && !user_ok((uintptr_t)iov, sizeof(*iov) * (size_t)cnt))
		return -EFAULT;
	return 0;
}

static long readv_once(struct file *f, const struct io *io)
{
	/* One read fills the first non-empty buffer; a short read is a valid
	 * answer, as from a pipe. */
	for (int i = 0; i < io->cnt; i++)
		if (io->iov[i].len)
			return do_read(f, io->iov[i].base, io->iov[i].len);
	return do_read(f, NULL, 0);
}

static long writev_once(struct file *f, const struct io *io)
{
	long r, total = 0;

	for (int i = 0; i < io->cnt; i++) {
		if (!io->iov[i].len)
			continue;
		r = do_write(f, io->iov[i].base, io->iov[i].len);
		if (r < 0) {
			if (total == 0)
				total = r;
			break;
		}
		total += r;
		if ((size_t)r < io->iov[i].len)
			break;
	}
	if (f->ops->after_write)
		f->ops->after_write(f);
	return total;
}

long sys_readv(int fd, const struct iovec *iov, int cnt)
{
	long r = check_iov(iov, cnt);

	if (r < 0)
		return fd_file(fd) ? r : -EBADF;
	return with_file(fd, readv_once, &(struct io){ .iov = iov, .cnt = cnt });
}

long sys_writev(int fd, const struct iovec *iov, int cnt)
{
	long r = check_iov(iov, cnt);

	if (r < 0)
		return fd_file(fd) ? r : -EBADF;
	return with_file(fd, writev_once, &(struct io){ .iov = iov, .cnt = cnt });
}

long sys_pread64(int fd, void *buf, size_t len, long off)
{
	struct file *f = fd_file(fd);

	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!f->ops->pread)
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	if (len && !user_w((uintptr_t)buf, len))
		return -EFAULT;
	return f->ops->pread(f, buf, len, (uint64_t)off);
}

long sys_pwrite64(int fd, const void *buf, size_t len, long off)
{
	struct file *f = fd_file(fd);

	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->ops->pwrite)
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	if (len && !user_ok((uintptr_t)buf, len))
		return -EFAULT;
	return f->ops->pwrite(f, buf, len, (uint64_t)off);
}

long sys_lseek(int fd, long off, int whence)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	return f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
}

/* ---- descriptors --------------------------------------------------------- */

long sys_close(int fd)
{
	return fd_close(fd);
}

long sys_dup(int old)
{
	struct file *f = fd_file(old);
	long fd;

	if (!f)
		return -EBADF;
	fd = fd_install(f, 0, false);
	if (fd >= 0)
		f->refs++;
	return fd;
}

long sys_dup3(int old, int new, int flags)
{
	struct file *f = fd_file(old);

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (old == new)
		return -EINVAL;
	if (new < 0 || new >= NOFILE)
		return -EBADF;
	f->refs++;
	if (fdtab[new])
		fd_close(new);
	fdtab[new] = f;
	set_cloexec(new, flags & O_CLOEXEC);
	return new;
}

long sys_dup2(int old, int new)
{
	if (old == new)
		return fd_file(old) ? new : -EBADF;
	return sys_dup3(old, new, 0);
}

long sys_fcntl(int fd, int cmd, long arg)
{
	struct file *f = fd_file(fd);
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_GETFD:
		return cloexec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		set_cloexec(fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & O_ACCMODE) | (int)(arg & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= NOFILE)
			return -EINVAL;
		r = fd_install(f, arg, cmd == F_DUPFD_CLOEXEC);
		if (r >= 0)
			f->refs++;
		return r;
	case F_GETLK:
	case F_OFD_GETLK:
		/* One process holds every lock: nothing conflicts. */
		if (!user_w(arg, sizeof(short)))
			return -EFAULT;
		*(short *)arg = F_UNLCK; /* struct flock's l_type */
		return 0;
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return user_ok(arg, sizeof(short)) ? 0 : -EFAULT;
	default:
		return -EINVAL;
	}
}

long sys_ioctl(int fd, unsigned long req, unsigned long arg)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	switch (req) {
	case FIONBIO:
		if (!user_ok(arg, sizeof(int)))
			return -EFAULT;
		if (*(int *)arg)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	case FIOCLEX:
	case FIONCLEX:
		set_cloexec(fd, req == FIOCLEX);
		return 0;
	default:
		return f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
	}
}

long sys_fstat(int fd, struct kstat *st)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!user_w((uintptr_t)st, sizeof(*st)))
		return -EFAULT;
	*st = (struct kstat){ .dev = 0x16, .ino = f->ino, .nlink = 1, .blksize = 4096 };
	f->ops->stat(f, st);
	return 0;
}
