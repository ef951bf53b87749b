/*
 * epoll.c — epoll_create, epoll_create1, epoll_ctl, epoll_wait,
 * epoll_pwait, epoll_pwait2 (part "event").
 *
 * An epoll instance is a file holding a list of interests: (fd, file,
 * events, data). Waiting walks the list and asks each file what is ready
 * (file_ops.poll), exactly as poll(2) does, and sleeps in
 * clock_sleep_until() otherwise, so sockets, pipes and the console work
 * alike. The walk is linear; for the connection counts a unikernel
 * serves it costs less than the wake-up callbacks Linux keeps.
 *
 * Level-triggered interests report whenever ready. Edge-triggered ones
 * report when readiness rises or, for files that count arrivals
 * (file_ops.seq: sockets), when something new arrived since the last
 * report — what Linux's wake-ups amount to. EPOLLONESHOT disables an
 * interest after one report until EPOLL_CTL_MOD. EPOLLEXCLUSIVE is
 * accepted (one waiter: nothing to share). Reported interests move to
 * the end of the list, so a small maxevents still serves every file in
 * turn.
 *
 * An interest goes when its descriptor no longer holds its file (closed,
 * or replaced by dup2): Linux keeps it while a dup of the file lives,
 * which programs are told not to rely on.
 */
#include "../kernel/clock.h"
#include "../kernel/kalloc.h"
#include "file.h"

#define EPOLLIN		0x001
#define EPOLLPRI	0x002
#define EPOLLOUT	0x004
#define EPOLLERR	0x008
#define EPOLLHUP	0x010
#define EPOLLRDNORM	0x040
#define EPOLLWRNORM	0x100
#define EPOLLRDHUP	0x2000
#define EPOLLEXCLUSIVE	(1u << 28)
#define EPOLLWAKEUP	(1u << 29)
#define EPOLLONESHOT	(1u << 30)
#define EPOLLET		(1u << 31)
#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3
#define EPOLL_MAXEVENTS (INT32_MAX / 12)
#define NS		1000000000ull

struct epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

struct timespec {
	long sec, nsec;
};

struct interest {
	struct interest *next;
	int fd;
	struct file *file;
	uint64_t ino; /* with file: the same open file, not a new one at its address */
	uint32_t events;
	uint64_t data;
	short last;   /* readiness at the last look (edge-triggered) */
	uint64_t seq; /* the file's arrival count then */
	bool fresh;   /* not looked at since added or modified */
	bool off;     /* EPOLLONESHOT: reported, waiting for EPOLL_CTL_MOD */
};

struct epoll {
	struct interest *head, *tail;
};

static const struct file_ops epoll_ops;

/* Linux's EP_MAX_NESTS: how deep epoll instances may watch each other. */
#define EPOLL_MAX_NESTS 4

/* How deep the epoll instances under EP go: -1 when EP is among them
 * (TARGET watching EP, directly or not, would make a loop), or when
 * they go deeper than EPOLL_MAX_NESTS. */
static int nest_depth(const struct epoll *ep, const struct file *target, int depth)
{
	int deepest = 0;

	if (depth > EPOLL_MAX_NESTS)
		return -1;
	for (const struct interest *it = ep->head; it; it = it->next) {
		int d;

		if (it->file->ops != &epoll_ops)
			continue;
		if (it->file == target)
			return -1;
		d = nest_depth(it->file->priv, target, depth + 1);
		if (d < 0)
			return -1;
		if (d + 1 > deepest)
			deepest = d + 1;
	}
	return deepest;
}

static bool alive(const struct interest *it)
{
	struct file *f = fd_file(it->fd);

	return f == it->file && f->ino == it->ino;
}

static void unlink_interest(struct epoll *ep, struct interest *it, struct interest *prev)
{
	if (prev)
		prev->next = it->next;
	else
		ep->head = it->next;
	if (ep->tail == it)
		ep->tail = prev;
	it->next = NULL;
}

static void append(struct epoll *ep, struct interest *it)
{
	it->next = NULL;
	if (ep->tail)
		ep->tail->next = it;
	else
		ep->head = it;
	ep->tail = it;
}

/* What the file has ready among what it was asked for (HUP, ERR always). */
static uint32_t ready_now(const struct interest *it, short *now)
{
	struct file *f = it->file;
	uint32_t want = it->events | EPOLLERR | EPOLLHUP;
	uint32_t r;

	*now = f->ops->poll ? f->ops->poll(f) : (POLLIN | POLLOUT);
	r = (uint32_t)(uint16_t)*now & want;
	if ((*now & POLLIN) && (it->events & EPOLLRDNORM))
		r |= EPOLLRDNORM;
	if ((*now & POLLOUT) && (it->events & EPOLLWRNORM))
		r |= EPOLLWRNORM;
	return r;
}

/* Walk the interests, fill up to max events; collect what the host must
 * watch. Dead interests are dropped on the way. */
static int collect(struct epoll *ep, struct epoll_event *out, int max, uint32_t *host)
{
	struct interest *it = ep->head, *prev = NULL, *done = NULL, *next;
	int n = 0;

	for (; it && n < max; it = next) {
		uint64_t seq;
		uint32_t r;
		short now;
		bool fire;

		next = it->next;
		if (!alive(it)) {
			unlink_interest(ep, it, prev);
			kfree(it, sizeof(*it));
			continue;
		}
		if (it->off) {
			prev = it;
			continue;
		}
		r = ready_now(it, &now);
		seq = it->file->ops->seq ? it->file->ops->seq(it->file, (short)it->events) : 0;
		fire = r && (!(it->events & EPOLLET) || it->fresh || (r & ~(uint32_t)it->last) ||
			     seq != it->seq);
		it->last = (short)r;
		it->seq = seq;
		it->fresh = false;
		if ((it->events & (EPOLLIN | EPOLLRDNORM)) && it->file->ops->wait)
			*host |= it->file->ops->wait(it->file);
		if (!fire) {
			prev = it;
			continue;
		}
		out[n].events = r;
		out[n].data = it->data;
		n++;
		if (it->events & EPOLLONESHOT)
			it->off = true;
		/* To the end of the list, after this walk. */
		unlink_interest(ep, it, prev);
		it->next = done;
		done = it;
	}
	/* Reported interests go last, in the order they were reported. */
	for (struct interest *rev = NULL; done || rev;) {
		if (done) {
			next = done->next;
			done->next = rev;
			rev = done;
			done = next;
			continue;
		}
		next = rev->next;
		append(ep, rev);
		rev = next;
	}
	return n;
}

static long epoll_wait_until(int epfd, struct epoll_event *events, int max, uint64_t deadline)
{
	struct file *f = fd_file(epfd);
	struct epoll *ep;

	if (!f)
		return -EBADF;
	if (f->ops != &epoll_ops || max <= 0 || max > EPOLL_MAXEVENTS)
		return -EINVAL;
	if (!user_w((uintptr_t)events, (size_t)max * sizeof(*events)))
		return -EFAULT;
	ep = f->priv;
	file_get(f);
	for (;;) {
		uint32_t host = 0;
		long n;

		kernel_pump(); /* what arrived since: also for a timeout of 0 */
		n = collect(ep, events, max, &host);

		if (n || (deadline != PITH_DEADLINE_NONE && clock_monotonic() >= deadline)) {
			file_put(f);
			return n;
		}
		clock_sleep_until(deadline, host);
		/* epoll_wait is never restarted after a handler (signal(7)). */
		if (signal_interrupted(false)) {
			file_put(f);
			return -EINTR;
		}
	}
}

static uint64_t ms_deadline(int timeout_ms)
{
	uint64_t now = clock_monotonic();

	if (timeout_ms < 0)
		return PITH_DEADLINE_NONE;
	return now + (uint64_t)timeout_ms * 1000000u;
}

long sys_epoll_wait(int epfd, struct epoll_event *events, int max, int timeout_ms)
{
	return epoll_wait_until(epfd, events, max, ms_deadline(timeout_ms));
}

long sys_epoll_pwait(int epfd, struct epoll_event *events, int max, int timeout_ms,
		     const void *sigmask, size_t setsize)
{
	(void)sigmask; /* no signal arrives while waiting that the mask would hold back */
	(void)setsize;
	return epoll_wait_until(epfd, events, max, ms_deadline(timeout_ms));
}

long sys_epoll_pwait2(int epfd, struct epoll_event *events, int max, const struct timespec *ts,
		      const void *sigmask, size_t setsize)
{
	uint64_t deadline = PITH_DEADLINE_NONE, now = clock_monotonic();

	(void)sigmask;
	(void)setsize;
	if (ts) {
		if (!user_ok((uintptr_t)ts, sizeof(*ts)))
			return -EFAULT;
		if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= (long)NS)
			return -EINVAL;
		if ((uint64_t)ts->sec < (UINT64_MAX - now) / NS - 1)
			deadline = now + (uint64_t)ts->sec * NS + (uint64_t)ts->nsec;
	}
	return epoll_wait_until(epfd, events, max, deadline);
}

static struct interest *find(struct epoll *ep, int fd, struct interest **prev)
{
	*prev = NULL;
	for (struct interest *it = ep->head; it; *prev = it, it = it->next)
		if (it->fd == fd && alive(it))
			return it;
	return NULL;
}

long sys_epoll_ctl(int epfd, int op, int fd, const struct epoll_event *ev)
{
	struct file *f = fd_file(epfd), *t = fd_file(fd);
	struct interest *it, *prev;
	struct epoll *ep;
	uint32_t events = 0;

	if (!f || !t)
		return -EBADF;
	if (op != EPOLL_CTL_DEL) {
		if (!user_ok((uintptr_t)ev, sizeof(*ev)))
			return -EFAULT;
		events = ev->events & ~EPOLLWAKEUP;
	}
	if (f->ops != &epoll_ops || fd == epfd || t == f)
		return -EINVAL;
	if (!t->ops->poll && t->ops->pread)
		return -EPERM; /* regular files are always ready: Linux refuses them */
	ep = f->priv;
	it = find(ep, fd, &prev);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (it)
			return -EEXIST;
		if ((events & EPOLLEXCLUSIVE) && (events & EPOLLONESHOT))
			return -EINVAL;
		if (t->ops == &epoll_ops && (events & EPOLLEXCLUSIVE))
			return -EINVAL;
		/* An epoll watching one that (in the end) watches it: ELOOP,
		 * as Linux, and so no check of readiness can go round forever. */
		if (t->ops == &epoll_ops && nest_depth(t->priv, f, 1) < 0)
			return -ELOOP;
		if (!(it = kalloc(sizeof(*it))))
			return -ENOMEM;
		*it = (struct interest){ .fd = fd,
					 .file = t,
					 .ino = t->ino,
					 .events = events,
					 .data = ev->data,
					 .fresh = true };
		append(ep, it);
		return 0;
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if ((events & EPOLLEXCLUSIVE) || (it->events & EPOLLEXCLUSIVE))
			return -EINVAL;
		it->events = events;
		it->data = ev->data;
		it->off = false;
		it->fresh = true;
		return 0;
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		unlink_interest(ep, it, prev);
		kfree(it, sizeof(*it));
		return 0;
	default:
		return -EINVAL;
	}
}

/* An epoll file is readable when one of its interests is ready. */
static short epoll_poll(struct file *f)
{
	struct epoll *ep = f->priv;

	for (struct interest *it = ep->head; it; it = it->next) {
		short now;

		if (!it->off && alive(it) && it->file != f && ready_now(it, &now))
			return POLLIN;
	}
	return 0;
}

static void epoll_release(struct file *f)
{
	struct epoll *ep = f->priv;

	while (ep->head) {
		struct interest *it = ep->head;

		ep->head = it->next;
		kfree(it, sizeof(*it));
	}
	kfree(ep, sizeof(*ep));
}

static void epoll_stat(struct file *f, struct kstat *st)
{
	(void)f;
	st->mode = 0600; /* an anonymous inode: no type bits, as Linux */
}

static long epoll_name(struct file *f, char *buf, size_t size)
{
	(void)f;
	return ksnprintf(buf, size, "anon_inode:[eventpoll]");
}

static const struct file_ops epoll_ops = {
	.poll = epoll_poll,
	.stat = epoll_stat,
	.release = epoll_release,
	.name = epoll_name,
};

long sys_epoll_create1(int flags)
{
	struct epoll *ep;
	struct file *f;
	long fd;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (!(ep = kalloc(sizeof(*ep))))
		return -ENOMEM;
	if (!(f = file_alloc(&epoll_ops, O_RDWR, ep))) {
		kfree(ep, sizeof(*ep));
		return -ENFILE;
	}
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_epoll_create(int size)
{
	return size <= 0 ? -EINVAL : sys_epoll_create1(0);
}
