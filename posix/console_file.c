/*
 * console_file.c — fds 0, 1 and 2: the host's stdin, stdout and stderr.
 *
 * Reads come from the kernel's stdin read-ahead, writes go to the console
 * buffer (kernel/console.c). Each file answers fstat, poll and terminal
 * ioctls as the host fd behind it would: a pipe, a file, a terminal.
 * Terminal settings (TCGETS, TCSETS: echo off for a password, raw mode)
 * reach the host's terminal; the first change is undone when the program
 * ends.
 */
#include "../kernel/console.h"
#include "../kernel/platform.h"
#include "file.h"

#define TCGETS	   0x5401
#define TCSETS	   0x5402
#define TCSETSW	   0x5403
#define TCSETSF	   0x5404
#define TIOCGWINSZ 0x5413
#define S_IFCHR	   0020000
#define S_IFIFO	   0010000

static bool saved; /* the host terminal's settings before the first change */
static int saved_fd;
static uint8_t saved_termios[PITH_TERMIOS_SIZE];

void console_tty_restore(void)
{
	if (saved)
		plat->tty(saved_fd, PITH_TTY_SET, saved_termios);
	saved = false;
}

static long con_read(struct file *f, void *buf, size_t len)
{
	(void)f;
	return console_read(buf, len);
}

static long con_write(struct file *f, const void *buf, size_t len)
{
	return console_write(f->id, buf, len);
}

static void con_sync(struct file *f)
{
	console_sync(f->id);
}

static short con_poll(struct file *f)
{
	uint32_t mode = posix_conf.fd_mode[f->id];
	/* At its end a pipe or socket says POLLHUP, a file or a terminal
	 * says readable; a pipe whose writer has gone says POLLHUP beside
	 * its data. */
	bool pipe = S_ISFIFO(mode) || S_ISSOCK(mode);
	short r = 0;
	int in;

	if (f->id != 0)
		return POLLOUT;
	in = console_input_state();
	if ((in & CONSOLE_IN_DATA) || ((in & CONSOLE_IN_END) && !pipe))
		r |= POLLIN;
	if (pipe && (in & (CONSOLE_IN_END | CONSOLE_IN_HUP)))
		r |= POLLHUP;
	return r;
}

static uint32_t con_wait(struct file *f)
{
	return f->id == 0 ? PITH_POLL_STDIN : 0;
}

struct winsize {
	uint16_t rows, cols, xpixel, ypixel;
};

static long con_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
	if (!console_isatty(f->id))
		return -ENOTTY;
	switch (req) {
	case TIOCGWINSZ:
		if (!user_w(arg, sizeof(struct winsize)))
			return -EFAULT;
		*(struct winsize *)arg = (struct winsize){ posix_conf.rows, posix_conf.cols, 0, 0 };
		return 0;
	case TCGETS: {
		uint8_t t[PITH_TERMIOS_SIZE];
		long r;

		if (!user_w(arg, PITH_TERMIOS_SIZE))
			return -EFAULT;
		r = plat->tty(f->id, PITH_TTY_GET, t);
		if (r == 0)
			memcpy((void *)arg, t, PITH_TERMIOS_SIZE);
		return r;
	}
	case TCSETS:
	case TCSETSW:
	case TCSETSF: {
		uint8_t t[PITH_TERMIOS_SIZE];

		if (!user_ok(arg, PITH_TERMIOS_SIZE))
			return -EFAULT;
		/* The settings as pith found them come back at exit. */
		if (!saved && plat->tty(f->id, PITH_TTY_GET, saved_termios) == 0) {
			saved = true;
			saved_fd = f->id;
		}
		memcpy(t, (const void *)arg, PITH_TERMIOS_SIZE);
		if (req != TCSETS)
			console_flush(); /* "after output drains" */
		return plat->tty(f->id, (unsigned)req, t);
	}
	default:
		return -ENOTTY;
	}
}

static void con_stat(struct file *f, struct kstat *st)
{
	/* The host fd's type and permissions: what the program would see
	 * natively. */
	st->mode = posix_conf.fd_mode[f->id] ? posix_conf.fd_mode[f->id]
		   : console_isatty(f->id)   ? S_IFCHR | 0620
					     : S_IFIFO | 0600;
	st->rdev = console_isatty(f->id) ? 0x8800 : 0;
	st->ino = (uint64_t)f->id + 1;
}

/* What Linux would show is the host's (/dev/pts/0, a host file): the
 * guest names a terminal, and anything it cannot name, the console. */
static long con_name(struct file *f, char *buf, size_t size)
{
	uint32_t mode = posix_conf.fd_mode[f->id];
	struct kstat st = { 0 };

	if (S_ISFIFO(mode) || S_ISSOCK(mode)) {
		con_stat(f, &st);
		return ksnprintf(buf, size, "%s:[%lu]", S_ISFIFO(mode) ? "pipe" : "socket",
				 (unsigned long)st.ino);
	}
	return ksnprintf(buf, size, "/dev/console");
}

static const struct file_ops con_ops = {
	.read = con_read,
	.write = con_write,
	.poll = con_poll,
	.ioctl = con_ioctl,
	.stat = con_stat,
	.wait = con_wait,
	.after_write = con_sync,
	.name = con_name,
};

void console_files_init(const struct pith_boot *boot)
{
	for (int fd = 0; fd < FD_CONSOLE_MAX; fd++) {
		struct file *f;

		if (boot->flags & PITH_BOOT_FD_CLOSED(fd))
			continue; /* closed on the host: closed here */
		f = file_alloc(&con_ops, fd == 0 ? O_RDONLY : O_WRONLY, NULL);
		if (!f || fd_install(f, fd, false) != fd)
			panic("cannot open console fd %d", fd);
		f->id = fd;
	}
}
