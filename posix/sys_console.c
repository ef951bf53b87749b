/*
 * sys_console.c — read, write and friends on fds 0, 1 and 2.
 *
 * Until the file system arrives these are the only descriptors: 0 reads
 * the host's stdin, 1 and 2 write to the host's stdout and stderr through
 * the console buffer. Each may be closed; other fds give EBADF.
 */
#include <pith/abi.h>

#include "../kernel/clock.h"
#include "../kernel/console.h"
#include "../kernel/platform.h"
#include "posix.h"

#define O_RDONLY	0
#define O_WRONLY	1
#define O_ACCMODE	3
#define O_APPEND	02000
#define O_NONBLOCK	04000
#define FD_CLOEXEC	1
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC 1030
#define TCGETS		0x5401
#define TIOCGWINSZ	0x5413
#define FIONBIO		0x5421
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451
#define AT_EMPTY_PATH	0x1000
#define S_IFCHR		0020000
#define S_IFIFO		0010000

static struct {
	bool open, cloexec;
	int flags;
} fds[FD_CONSOLE_MAX] = {
	{ true, false, O_RDONLY },
	{ true, false, O_WRONLY },
	{ true, false, O_WRONLY },
};

void console_fd_close(int fd)
{
	fds[fd].open = false;
}

bool console_fd_open(long fd)
{
	return fd >= 0 && fd < FD_CONSOLE_MAX && fds[fd].open;
}

static bool fd_ok(long fd)
{
	return fd >= 0 && fd < FD_CONSOLE_MAX && fds[fd].open;
}

static long do_write(int fd, const void *buf, size_t len)
{
	long r;

	if (!fd_ok(fd) || (fds[fd].flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (len && !user_ok((uintptr_t)buf, len))
		return -EFAULT;
	r = console_write(fd, buf, len);
	if (r == -EPIPE)
		signal_send(SIGPIPE, 0); /* SI_USER, as Linux's send_sig */
	return r;
}

long sys_write(int fd, const void *buf, size_t len)
{
	long r = do_write(fd, buf, len);

	if (r >= 0)
		console_sync(fd);
	return r;
}

struct iovec {
	void *base;
	size_t len;
};

long sys_writev(int fd, const struct iovec *iov, int cnt)
{
	long total = 0;

	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	if (cnt && !user_ok((uintptr_t)iov, sizeof(*iov) * (size_t)cnt))
		return -EFAULT;
	for (int i = 0; i < cnt; i++) {
		long r = do_write(fd, iov[i].base, iov[i].len);

		if (r < 0) {
			if (total == 0)
				return r;
			break;
		}
		total += r;
	}
	console_sync(fd);
	return total;
}

static long do_read(int fd, void *buf, size_t len)
{
	if (!fd_ok(fd) || fd != 0)
		return -EBADF;
	if (len == 0)
		return 0;
	if (!user_w((uintptr_t)buf, len))
		return -EFAULT;
	for (;;) {
		long r = console_read(buf, len);

		if (r != -EAGAIN || (fds[fd].flags & O_NONBLOCK))
			return r;
		clock_sleep_until(PITH_DEADLINE_NONE, PITH_POLL_STDIN);
	}
}

long sys_read(int fd, void *buf, size_t len)
{
	/* Output written before a read (a prompt) shows before we wait. */
	console_flush();
	return do_read(fd, buf, len);
}

long sys_readv(int fd, const struct iovec *iov, int cnt)
{
	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	if (cnt && !user_ok((uintptr_t)iov, sizeof(*iov) * (size_t)cnt))
		return -EFAULT;
	console_flush();
	/* One read fills the first non-empty buffer; like a pipe, a short
	 * read is a valid answer. */
	for (int i = 0; i < cnt; i++)
		if (iov[i].len)
			return do_read(fd, iov[i].base, iov[i].len);
	return fd_ok(fd) ? 0 : -EBADF;
}

long sys_close(int fd)
{
	if (!fd_ok(fd))
		return -EBADF;
	if (fd > 0)
		console_flush();
	fds[fd].open = false;
	return 0;
}

long sys_lseek(int fd, long off, int whence)
{
	(void)off;
	(void)whence;
	return fd_ok(fd) ? -ESPIPE : -EBADF;
}

struct winsize {
	uint16_t rows, cols, xpixel, ypixel;
};

struct termios {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[32];
	uint32_t ispeed, ospeed;
};

long sys_ioctl(int fd, unsigned long req, unsigned long arg)
{
	if (!fd_ok(fd))
		return -EBADF;
	switch (req) {
	case TIOCGWINSZ: {
		struct winsize *ws = (void *)arg;

		if (!console_isatty(fd))
			return -ENOTTY;
		if (!user_w(arg, sizeof(*ws)))
			return -EFAULT;
		*ws = (struct winsize){ posix_conf.rows, posix_conf.cols, 0, 0 };
		return 0;
	}
	case TCGETS: {
		struct termios *t = (void *)arg;

		if (!console_isatty(fd))
			return -ENOTTY;
		if (!user_w(arg, sizeof(*t)))
			return -EFAULT;
		/* A cooked terminal, as a shell leaves it. */
		*t = (struct termios){ .iflag = 0x500,
				       .oflag = 0x5,
				       .cflag = 0xbf,
				       .lflag = 0x8a3b,
				       .ispeed = 15,
				       .ospeed = 15 };
		return 0;
	}
	case FIONBIO:
		if (!user_ok(arg, sizeof(int)))
			return -EFAULT;
		if (*(int *)arg)
			fds[fd].flags |= O_NONBLOCK;
		else
			fds[fd].flags &= ~O_NONBLOCK;
		return 0;
	case FIOCLEX:
	case FIONCLEX:
		fds[fd].cloexec = req == FIOCLEX;
		return 0;
	default:
		return console_isatty(fd) ? -EINVAL : -ENOTTY;
	}
}

long sys_fcntl(int fd, int cmd, long arg)
{
	if (!fd_ok(fd))
		return -EBADF;
	switch (cmd) {
	case F_GETFD:
		return fds[fd].cloexec ? FD_CLOEXEC : 0;
	case F_SETFD:
		fds[fd].cloexec = arg & FD_CLOEXEC;
		return 0;
	case F_GETFL:
		return fds[fd].flags;
	case F_SETFL:
		fds[fd].flags = (fds[fd].flags & O_ACCMODE) | (int)(arg & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return -EMFILE; /* no descriptors beyond the console yet */
	default:
		return -EINVAL;
	}
}

struct kstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t unused[3];
};

long sys_fstat(int fd, struct kstat *st)
{
	if (!fd_ok(fd))
		return -EBADF;
	if (!user_w((uintptr_t)st, sizeof(*st)))
		return -EFAULT;
	*st = (struct kstat){
		.dev = 0x16,
		.ino = (uint64_t)fd + 1,
		.nlink = 1,
		/* The host fd's type and permissions: a pipe, a file, a
		 * terminal — what the program would see natively. */
		.mode = posix_conf.fd_mode[fd] ? posix_conf.fd_mode[fd]
			: console_isatty(fd)   ? S_IFCHR | 0620
					       : S_IFIFO | 0600,
		.rdev = console_isatty(fd) ? 0x8800 : 0,
		.blksize = 4096,
	};
	return 0;
}

long sys_newfstatat(int dirfd, const char *path, struct kstat *st, int flags)
{
	if (!user_ok((uintptr_t)path, 1))
		return -EFAULT;
	if ((flags & AT_EMPTY_PATH) && path[0] == '\0')
		return sys_fstat(dirfd, st);
	return -ENOENT; /* no file system yet */
}
