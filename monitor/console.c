/*
 * console.c — drain the guest's console buffer to the host (console.h).
 *
 * The buffer lives in guest memory and the guest controls every byte of
 * it: each record header is copied out and checked against the size the
 * host itself chose before a single byte is written.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

volatile sig_atomic_t console_abort;

/* ppoll, not poll: both seccomp filters allow it (without a mask). */
static int wait_writable(int fd, int timeout_ms)
{
	struct pollfd pf = { .fd = fd, .events = POLLOUT };
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };

	return ppoll(&pf, 1, timeout_ms < 0 ? NULL : &ts, NULL);
}

int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		size_t chunk = len;
		ssize_t n;

		if (console_abort) {
			/* Stopping: a reader that does not read must not hold
			 * pith up. A write of one page after POLLOUT does not
			 * block (a pipe has a page free, a terminal room). */
			if (wait_writable(fd, 100) <= 0)
				return -1;
			chunk = len < 4096 ? len : 4096;
		}
		n = write(fd, p, chunk);
		if (n < 0 && errno == EINTR) {
			if (console_abort)
				return -1;
			continue;
		}
		if (n < 0 && errno == EAGAIN) {
			/* A non-blocking stdout someone else set up: wait. */
			wait_writable(fd, -1);
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int console_drain(const struct pith_console *con, uint32_t size, uint32_t *broken)
{
	uint32_t used, off = 0;

	memcpy(&used, &con->used, sizeof(used));
	if (used > size)
		return -1;
	while (off < used) {
		struct pith_console_rec rec;
		uint64_t padded;

		if (used - off < sizeof(rec))
			return -1;
		memcpy(&rec, con->data + off, sizeof(rec));
		off += sizeof(rec);
		padded = ((uint64_t)rec.len + PITH_CONSOLE_ALIGN - 1) &
			 ~(uint64_t)(PITH_CONSOLE_ALIGN - 1);
		if ((rec.fd != 1 && rec.fd != 2) || rec.len > used - off)
			return -1;
		if (!(*broken & (1u << rec.fd)) &&
		    write_full((int)rec.fd, con->data + off, rec.len) < 0)
			*broken |= 1u << rec.fd;
		off = padded > used - off ? used : off + (uint32_t)padded;
	}
	return 0;
}
