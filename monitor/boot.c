/*
 * boot.c — the parts of the boot information that come from the host:
 * which fds are terminals, the terminal size, and entropy.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "util.h"

static uint32_t closed_fds;

void host_fds_init(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* open() takes the lowest free fd: this one. */
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			exit(125);
		closed_fds |= PITH_BOOT_FD_CLOSED(fd);
	}
}

uint32_t host_boot_flags(const struct run_opts *o)
{
	return closed_fds | (isatty(0) ? PITH_BOOT_STDIN_TTY : 0) |
	       (isatty(1) ? PITH_BOOT_STDOUT_TTY : 0) | (isatty(2) ? PITH_BOOT_STDERR_TTY : 0) |
	       (o->quiet ? PITH_BOOT_QUIET : 0);
}

static struct termios tty_saved[3];
static bool tty_is[3];

void host_tty_save(void)
{
	for (int fd = 0; fd < 3; fd++)
		tty_is[fd] = tcgetattr(fd, &tty_saved[fd]) == 0;
}

void host_tty_restore(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (tty_is[fd])
			tcsetattr(fd, TCSANOW, &tty_saved[fd]);
}

void host_boot_fill(struct pith_boot *b)
{
	struct winsize ws;
	size_t got = 0;

	for (int fd = 0; fd < 3; fd++) {
		struct stat st;

		b->fd_mode[fd] = fstat(fd, &st) == 0 ? st.st_mode : 0;
	}
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 || ioctl(2, TIOCGWINSZ, &ws) == 0) {
		b->tty_rows = ws.ws_row;
		b->tty_cols = ws.ws_col;
	}
	while (got < sizeof(b->seed)) {
		ssize_t n = getrandom(b->seed + got, sizeof(b->seed) - got, 0);

		if (n <= 0) {
			/* The kernel has had entropy since boot; this
			 * cannot happen on a working Linux. */
			fprintf(stderr, "pith: getrandom failed\n");
			exit(125);
		}
		got += (size_t)n;
	}
}
