/*
 * sys_poll.c — poll, ppoll, select and pselect6.
 *
 * In the core: musl's start-up code names poll (for set-uid programs; pith
 * never starts one so), so every image links it anyway.
 * Until sockets and files arrive the descriptors are the console's: fd 0
 * is readable when input is buffered or the host's stdin has some (or has
 * ended), fds 1 and 2 are always writable. Waiting hands the host a
 * deadline and stdin, so a waiting program costs no CPU and one exit per
 * wake-up.
 */
#include "../kernel/clock.h"
#include "../kernel/console.h"
#include "posix.h"

#define POLLIN	   0x001
#define POLLPRI	   0x002
#define POLLOUT	   0x004
#define POLLHUP	   0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
#define FD_SETSIZE 1024
#define NS	   1000000000ull
#define NFDS_MAX   4096

struct pollfd {
	int fd;
	short events, revents;
};

struct timespec {
	long sec, nsec;
};

struct timeval {
	long sec, usec;
};

/* Events ready on fd now, among those asked for (POLLNVAL always). */
static short ready(int fd, short events)
{
	short r = 0;

	if (!console_fd_open(fd))
		return POLLNVAL;
	if (fd == 0) {
		int in = console_input_state();
		/* At its end a pipe or socket says POLLHUP, a file or a
		 * terminal says readable; a pipe whose writer has gone says
		 * POLLHUP beside its data. */
		bool pipe = S_ISFIFO(posix_conf.fd_mode[0]) || S_ISSOCK(posix_conf.fd_mode[0]);

		if ((in & CONSOLE_IN_DATA) || ((in & CONSOLE_IN_END) && !pipe))
			r |= events & (POLLIN | POLLRDNORM);
		if (pipe && (in & (CONSOLE_IN_END | CONSOLE_IN_HUP)))
			r |= POLLHUP;
	}
	if (fd > 0)
		r |= events & (POLLOUT | POLLWRNORM);
	return r;
}

static uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = clock_monotonic();

	return ns > UINT64_MAX - now ? PITH_DEADLINE_NONE : now + ns;
}

static long do_poll(struct pollfd *fds, unsigned long n, uint64_t deadline)
{
	if (n > NFDS_MAX)
		return -EINVAL;
	if (n && !user_w((uintptr_t)fds, n * sizeof(*fds)))
		return -EFAULT;
	for (;;) {
		long count = 0;
		bool want_stdin = false;

		for (unsigned long i = 0; i < n; i++) {
			fds[i].revents = fds[i].fd < 0 ? 0 : ready(fds[i].fd, fds[i].events);
			count += fds[i].revents != 0;
			want_stdin |= fds[i].fd == 0 && (fds[i].events & (POLLIN | POLLRDNORM));
		}
		if (count || (deadline != PITH_DEADLINE_NONE && clock_monotonic() >= deadline))
			return count;
		clock_sleep_until(deadline, want_stdin ? PITH_POLL_STDIN : 0);
	}
}

long sys_poll(struct pollfd *fds, unsigned long n, int timeout_ms)
{
	uint64_t deadline = timeout_ms < 0 ? PITH_DEADLINE_NONE
					   : deadline_after((uint64_t)timeout_ms * 1000000u);

	return do_poll(fds, n, deadline);
}

static long ts_deadline(const struct timespec *ts, uint64_t *deadline)
{
	if (!ts) {
		*deadline = PITH_DEADLINE_NONE;
		return 0;
	}
	if (!user_ok((uintptr_t)ts, sizeof(*ts)))
		return -EFAULT;
	if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= (long)NS)
		return -EINVAL;
	*deadline = (uint64_t)ts->sec > UINT64_MAX / NS - 1
			    ? PITH_DEADLINE_NONE
			    : deadline_after((uint64_t)ts->sec * NS + (uint64_t)ts->nsec);
	return 0;
}

long sys_ppoll(struct pollfd *fds, unsigned long n, const struct timespec *ts, const void *sigmask,
	       unsigned long sigsetsize)
{
	uint64_t deadline;
	long r = ts_deadline(ts, &deadline);

	(void)sigmask; /* no signal arrives while waiting */
	(void)sigsetsize;
	return r < 0 ? r : do_poll(fds, n, deadline);
}

/* select: the fd sets in, poll underneath. */
static long do_select(int nfds, uint64_t *rd, uint64_t *wr, uint64_t *ex, uint64_t deadline)
{
	struct pollfd p[FD_CONSOLE_MAX];
	unsigned n = 0;
	long r, count = 0;
	size_t words = ((size_t)nfds + 63) / 64;

	if (nfds < 0 || nfds > FD_SETSIZE)
		return -EINVAL;
	if ((rd && !user_w((uintptr_t)rd, words * 8)) ||
	    (wr && !user_w((uintptr_t)wr, words * 8)) || (ex && !user_w((uintptr_t)ex, words * 8)))
		return -EFAULT;
	for (int fd = 0; fd < nfds; fd++) {
		uint64_t bit = 1ull << (fd % 64);
		short ev = (rd && (rd[fd / 64] & bit) ? POLLIN : 0) |
			   (wr && (wr[fd / 64] & bit) ? POLLOUT : 0) |
			   (ex && (ex[fd / 64] & bit) ? POLLPRI : 0);

		if (!ev)
			continue;
		if (!console_fd_open(fd))
			return -EBADF;
		p[n++] = (struct pollfd){ fd, ev, 0 };
	}
	r = do_poll(p, n, deadline);
	if (r < 0)
		return r;
	for (size_t w = 0; w < words; w++) {
		if (rd)
			rd[w] = 0;
		if (wr)
			wr[w] = 0;
		if (ex)
			ex[w] = 0;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t bit = 1ull << p[i].fd;

		if (rd && (p[i].revents & (POLLIN | POLLHUP))) /* as Linux: an end is readable */
			rd[0] |= bit, count++;
		if (wr && (p[i].revents & POLLOUT))
			wr[0] |= bit, count++;
	}
	return count;
}

long sys_select(int nfds, uint64_t *rd, uint64_t *wr, uint64_t *ex, struct timeval *tv)
{
	uint64_t deadline = PITH_DEADLINE_NONE;

	if (tv) {
		if (!user_ok((uintptr_t)tv, sizeof(*tv)))
			return -EFAULT;
		if (tv->sec < 0 || tv->usec < 0 || tv->usec >= 1000000)
			return -EINVAL;
		deadline = (uint64_t)tv->sec > UINT64_MAX / NS - 1
				   ? PITH_DEADLINE_NONE
				   : deadline_after((uint64_t)tv->sec * NS +
						    (uint64_t)tv->usec * 1000u);
	}
	return do_select(nfds, rd, wr, ex, deadline);
}

long sys_pselect6(int nfds, uint64_t *rd, uint64_t *wr, uint64_t *ex, const struct timespec *ts,
		  const void *sig)
{
	uint64_t deadline;
	long r = ts_deadline(ts, &deadline);

	(void)sig;
	return r < 0 ? r : do_select(nfds, rd, wr, ex, deadline);
}
