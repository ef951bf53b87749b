/*
 * sys_poll.c — poll, ppoll, select and pselect6, over any file.
 *
 * Each file says what is ready (file_ops.poll) and what the host must
 * watch while the program waits (file_ops.wait: stdin); waiting hands the
 * host a deadline, so a waiting program costs no CPU and one exit per
 * wake-up. In the core: musl's start-up names poll (for set-uid programs;
 * pith never starts one so), so every image links it anyway.
 */
#include "../kernel/clock.h"
#include "file.h"

#define FD_SETSIZE 1024
#define NS	   1000000000ull
#define NFDS_MAX   NOFILE

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

/* Events ready on fd now among those asked for; POLLHUP, POLLERR and
 * POLLNVAL are reported whether asked for or not. *host collects what the
 * host must watch if the caller waits. */
static short ready(int fd, short events, uint32_t *host)
{
	struct file *f = fd_file(fd);
	short now, r;

	if (!f)
		return POLLNVAL;
	now = f->ops->poll ? f->ops->poll(f) : (POLLIN | POLLOUT);
	r = now & (POLLHUP | POLLERR);
	if (now & POLLIN)
		r |= events & (POLLIN | POLLRDNORM);
	if (now & POLLOUT)
		r |= events & (POLLOUT | POLLWRNORM);
	r |= now & events & (POLLPRI | POLLRDHUP); /* only when asked, as Linux */
	if ((events & (POLLIN | POLLRDNORM)) && f->ops->wait)
		*host |= f->ops->wait(f);
	return r;
}

static uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = clock_monotonic();

	return ns > UINT64_MAX - now ? PITH_DEADLINE_NONE : now + ns;
}

static bool expired(uint64_t deadline)
{
	return deadline != PITH_DEADLINE_NONE && clock_monotonic() >= deadline;
}

static long do_poll(struct pollfd *fds, unsigned long n, uint64_t deadline)
{
	if (n > NFDS_MAX)
		return -EINVAL;
	if (n && !user_w((uintptr_t)fds, n * sizeof(*fds)))
		return -EFAULT;
	for (;;) {
		uint32_t host = 0;
		long count = 0;

		kernel_pump(); /* what arrived since: also for a timeout of 0 */
		for (unsigned long i = 0; i < n; i++) {
			fds[i].revents = fds[i].fd < 0 ? 0 : ready(fds[i].fd, fds[i].events, &host);
			count += fds[i].revents != 0;
		}
		if (count || expired(deadline))
			return count;
		clock_sleep_until(deadline, host);
		if (signal_interrupted(false))
			return -EINTR;
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

/* select: walk the fd sets, as Linux does: an end or an error counts as
 * readable, an error as writable; no file here has exceptional
 * conditions. */
static long do_select(int nfds, uint64_t *rd, uint64_t *wr, uint64_t *ex, uint64_t deadline)
{
	size_t words = ((size_t)nfds + 63) / 64;
	uint64_t want_rd[FD_SETSIZE / 64] = { 0 }, want_wr[FD_SETSIZE / 64] = { 0 };
	uint64_t out_rd[FD_SETSIZE / 64], out_wr[FD_SETSIZE / 64];

	if (nfds < 0 || nfds > FD_SETSIZE)
		return -EINVAL;
	if ((rd && !user_w((uintptr_t)rd, words * 8)) ||
	    (wr && !user_w((uintptr_t)wr, words * 8)) || (ex && !user_w((uintptr_t)ex, words * 8)))
		return -EFAULT;
	for (size_t w = 0; w < words; w++) {
		uint64_t valid = w * 64 + 64 <= (size_t)nfds ? ~0ull : (1ull << (nfds % 64)) - 1;
		uint64_t all;

		want_rd[w] = (rd ? rd[w] : 0) & valid;
		want_wr[w] = (wr ? wr[w] : 0) & valid;
		all = want_rd[w] | want_wr[w] | ((ex ? ex[w] : 0) & valid);
		for (; all; all &= all - 1)
			if (!fd_file((long)(w * 64) + __builtin_ctzll(all)))
				return -EBADF;
	}
	for (;;) {
		uint32_t host = 0;
		long count = 0;

		kernel_pump(); /* what arrived since: also for a timeout of 0 */
		for (size_t w = 0; w < words; w++) {
			out_rd[w] = out_wr[w] = 0;
			for (uint64_t all = want_rd[w] | want_wr[w]; all; all &= all - 1) {
				int b = __builtin_ctzll(all);
				uint64_t bit = 1ull << b;
				short ev = (want_rd[w] & bit ? POLLIN : 0) |
					   (want_wr[w] & bit ? POLLOUT : 0);
				short r = ready((int)(w * 64) + b, ev, &host);

				if ((want_rd[w] & bit) && (r & (POLLIN | POLLHUP | POLLERR)))
					out_rd[w] |= bit, count++;
				if ((want_wr[w] & bit) && (r & (POLLOUT | POLLERR)))
					out_wr[w] |= bit, count++;
			}
		}
		if (count || expired(deadline)) {
			for (size_t w = 0; w < words; w++) {
				if (rd)
					rd[w] = out_rd[w];
				if (wr)
					wr[w] = out_wr[w];
				if (ex)
					ex[w] = 0;
			}
			return count;
		}
		clock_sleep_until(deadline, host);
		if (signal_interrupted(false))
			return -EINTR;
	}
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
