/*
 * hvt_net.c — the monitor's side of the network device (hvt_net.h).
 *
 * One I/O thread moves frames: TX ring -> tap, tap -> RX ring. It sleeps
 * in ppoll on the tap (when the RX ring has room) and on NET_KICK_FD,
 * which the vCPU thread writes when the guest notifies. Before it sleeps
 * it sets TX cons_wait and looks at the ring again, so the guest notifies
 * (one exit) only for the first frame after a quiet spell; while the
 * thread is awake the guest's frames cost no exit at all. RX frames wake
 * the vCPU thread (NET_WAKE_FD) only when the guest said it sleeps (RX
 * cons_wait, set by its receive and by PITH_HC_POLL).
 *
 * On passt's socket (--net user) the frames carry a length prefix
 * (kernel/netstream.c) instead of being one read or write each.
 *
 * The rings lie where the monitor put them (layout_take_net), checked
 * once with gpa_ptr; every index and length the guest writes is read
 * once and checked by kernel/netring.c, so no access leaves the rings.
 * A guest that breaks a ring gets no more service, and its next
 * hypercall stops it (PITH_EXIT_VIOLATION).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../kernel/netstream.h"
#include "hvt_net.h"
#include "netfd.h"

#define ADD(c, v)   __atomic_fetch_add(&(c), (v), __ATOMIC_RELAXED)
#define NET_SPIN_NS 200000 /* TX watch after a notification (tx_soon) */

static void efd_write(int fd)
{
	uint64_t one = 1;

	while (write(fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

static void efd_clear(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) < 0 && errno == EINTR)
		;
}

/* passt's socket (--net user): frames with a length prefix. */
static long io_read(int fd, void *buf, size_t len)
{
	ssize_t r = read(fd, buf, len);

	return r < 0 ? -errno : r;
}

static long io_writev(int fd, const struct netstream_iov *iov, int n)
{
	ssize_t r = writev(fd, (const struct iovec *)(const void *)iov, n);

	return r < 0 ? -errno : r;
}

static void io_wait_writable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	struct timespec second = { 1, 0 };

	ppoll(&p, 1, &second, NULL);
}

static const struct netstream_io stream_io = { io_read, io_writev, io_wait_writable };
static struct netstream stream;

_Static_assert(sizeof(struct netstream_iov) == sizeof(struct iovec), "iovec layout");

static bool dev_send(struct hvt_net *n, const void *f, uint32_t len)
{
	if (n->stream)
		return netstream_send(&stream, f, len) == 0;
	return write(NET_TAP_FD, f, len) >= 0;
}

/* One frame from the device: its length, 0 when none is waiting, -1 for
 * a frame dropped on the way (too long for a slot). */
static ssize_t dev_receive(struct hvt_net *n, void *buf, size_t cap)
{
	ssize_t r;

	if (n->stream) {
		r = netstream_receive(&stream, buf, cap);
		return r < 0 ? -1 : r;
	}
	do
		r = read(NET_TAP_FD, buf, cap);
	while (r < 0 && errno == EINTR);
	return r < 0 ? 0 : r;
}

static void set_broken(struct hvt_net *n, const struct netring *q)
{
	const char *expected = NULL;

	__atomic_compare_exchange_n(&n->broken, &expected, q->why, false, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
}

/* Every frame the guest queued, out to the tap. True if any. */
static bool tx_drain(struct hvt_net *n)
{
	bool any = false;

	for (;;) {
		enum netring_status st;
		uint32_t len;
		const uint8_t *f = netring_cons_peek(&n->tx, &len, &st);

		if (!f) {
			if (st == NETRING_BROKEN)
				set_broken(n, &n->tx);
			break;
		}
		any = true;
		/* A frame the medium cannot carry is the guest's loss. */
		if (len < 14 || len > (uint32_t)n->mtu + 14u || !dev_send(n, f, len))
			ADD(n->tx_dropped, 1);
		else
			ADD(n->tx_frames, 1);
		netring_cons_pop(&n->tx);
	}
	if (any && netring_cons_notify_due(&n->tx))
		efd_write(NET_WAKE_FD);
	return any;
}

/* Frames from the tap into the RX ring while it has room. True if any. */
static bool rx_fill(struct hvt_net *n)
{
	bool any = false;

	for (;;) {
		enum netring_status st;
		struct pith_net_slot *s = netring_prod_slot(&n->rx, &st);
		ssize_t r;

		if (!s) {
			if (st == NETRING_BROKEN)
				set_broken(n, &n->rx);
			break;
		}
		r = dev_receive(n, s->frame, PITH_NET_FRAME_MAX);
		if (r == 0)
			break;
		any = true;
		if (r < 14 || r > n->mtu + 14) {
			ADD(n->rx_dropped, 1);
			continue;
		}
		netring_prod_commit(&n->rx, s, (uint32_t)r);
		ADD(n->rx_frames, 1);
		if (netring_prod_notify_due(&n->rx)) {
			ADD(n->wakes, 1);
			efd_write(NET_WAKE_FD);
		}
	}
	return any;
}

/*
 * After the guest notified, watch the TX ring for a while before sleeping
 * again. The guest is then still on its way back from the exit (~66 us on
 * nested KVM): without this the thread drains the one frame, sleeps at
 * once, and the guest's next frame costs another exit — one per frame for
 * a guest that is sending all the time. Bounded host CPU per exit saved,
 * as vhost-net's busy polling does. True if a frame came.
 */
static bool tx_soon(struct hvt_net *n)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 256; i++) {
			if (netring_pending(&n->tx))
				return true;
			__builtin_ia32_pause();
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < NET_SPIN_NS);
	return false;
}

static bool rx_full(struct hvt_net *n)
{
	enum netring_status st;

	return !netring_prod_slot(&n->rx, &st) && st == NETRING_FULL;
}

static void *io_thread(void *arg)
{
	struct hvt_net *n = arg;
	struct timespec zero = { 0, 0 };
	/* Frames moved since the last watch, or the guest notified: its
	 * next frame is likely soon. */
	bool watch = false;

	/* Whatever the C library and the sanitizers do at a thread's start
	 * and at its first calls happens now, before lock-down. */
	ppoll(NULL, 0, &zero, NULL);
	__atomic_store_n(&n->started, true, __ATOMIC_RELEASE);

	for (;;) {
		struct pollfd p[2] = { { .fd = NET_KICK_FD, .events = POLLIN },
				       { .fd = NET_TAP_FD, .events = POLLIN } };
		bool busy = tx_drain(n);

		busy |= rx_fill(n);
		watch |= busy;
		/* passt gone: nothing more will come (and its hang-up would
		 * wake ppoll at once, again and again). */
		if (n->stream && stream.closed)
			p[1].fd = -1;
		/* Broken: serve no more, and never end (a thread's exit makes
		 * calls the filter forbids); the vCPU thread stops the guest. */
		while (__atomic_load_n(&n->broken, __ATOMIC_ACQUIRE))
			ppoll(NULL, 0, NULL, NULL);
		if (busy)
			continue;
		/* The guest's answer to what it was just given (a request,
		 * an ACK that opens its window) is as likely as its next frame
		 * after one it sent or a notification: watch for them, and
		 * again after each frame, so a guest answering a stream of
		 * requests finds the thread awake until a quiet spell. */
		bool soon = watch && tx_soon(n);

		watch = false;
		if (soon)
			continue;
		if (!netring_cons_sleep(&n->tx))
			continue;
		/* RX full: wait for the guest to make room (it notifies),
		 * not for the tap. */
		if (rx_full(n) && netring_prod_sleep(&n->rx))
			p[1].events = 0;
		ADD(n->sleeps, 1);
		if (ppoll(p, 2, NULL, NULL) > 0 && (p[0].revents & POLLIN)) {
			efd_clear(NET_KICK_FD);
			watch = true;
		}
		/* Awake: the guest need not notify until we sleep again (we
		 * drain both rings before that). */
		__atomic_store_n(&n->tx.r->cons_wait, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&n->rx.r->prod_wait, 0, __ATOMIC_RELAXED);
	}
	return NULL; /* not reached */
}

/* An eventfd at a fixed number. */
static int efd_at(int want, char *err, size_t errlen)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd < 0 || (fd != want && dup3(fd, want, O_CLOEXEC) < 0)) {
		snprintf(err, errlen, "network device: eventfd: %s", strerror(errno));
		return -1;
	}
	if (fd != want)
		close(fd);
	return 0;
}

int hvt_net_start(struct hvt_net *n, struct guest *g, const struct run_net *o, char *err,
		  size_t errlen)
{
	struct pith_net_ring *r;
	sigset_t all, old;
	int e;

	memset(n, 0, sizeof(*n));
	if (!o->on)
		return 0;
	r = gpa_ptr(g, g->lay.net, NET_RINGS_BYTES);
	if (!r || !g->lay.net) {
		snprintf(err, errlen, "internal error: the network rings are not in guest memory");
		return -1;
	}
	n->on = true;
	n->g = g;
	n->mtu = o->mtu;
	n->stream = o->stream;
	if (n->stream)
		netstream_init(&stream, NET_TAP_FD, &stream_io);
	netring_attach(&n->tx, &r[0]);
	netring_attach(&n->rx, &r[1]);
	if (efd_at(NET_KICK_FD, err, errlen) < 0 || efd_at(NET_WAKE_FD, err, errlen) < 0)
		return -1;
	/* Signals go to the vCPU thread: SIGINT and the like must break
	 * KVM_RUN there. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&n->thread, NULL, io_thread, n);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e) {
		snprintf(err, errlen, "network device: cannot start its thread: %s", strerror(e));
		return -1;
	}
	while (!__atomic_load_n(&n->started, __ATOMIC_ACQUIRE))
		sched_yield();
	return 0;
}

/*
 * The guest's indices, checked by the vCPU thread while the guest is
 * stopped in a hypercall (so the guest's own index holds still): the
 * I/O thread's index is read first, and it only moves towards the
 * guest's. A guest index more than a ring away is a violation at once.
 */
const char *hvt_net_broken(const struct hvt_net *n)
{
	const char *why = __atomic_load_n(&n->broken, __ATOMIC_ACQUIRE);
	uint32_t cons, prod;

	if (why || !n->on)
		return why;
	cons = __atomic_load_n(&n->tx.r->cons, __ATOMIC_ACQUIRE);
	if (__atomic_load_n(&n->tx.r->prod, __ATOMIC_ACQUIRE) - cons > PITH_NET_SLOTS)
		return "TX producer index outside the ring";
	cons = __atomic_load_n(&n->rx.r->cons, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(&n->rx.r->prod, __ATOMIC_ACQUIRE);
	if (prod - cons > PITH_NET_SLOTS)
		return "RX indices more than a ring apart";
	return NULL;
}

const char *hvt_net_notify(struct hvt_net *n, const struct pith_hc_net_notify *a)
{
	if (!n->on)
		return "network notification without a network device";
	if (a->which & ~(PITH_NET_NOTIFY_TX | PITH_NET_NOTIFY_RX) || a->pad)
		return "network notification with unknown bits";
	efd_write(NET_KICK_FD);
	return NULL;
}

/* The guest's ring words, read as they are: a guest that lies about them
 * only wakes early or sleeps long. */
bool hvt_net_rx_ready(struct hvt_net *n)
{
	struct pith_net_ring *r = n->rx.r;

	return __atomic_load_n(&r->prod, __ATOMIC_ACQUIRE) !=
	       __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE);
}

bool hvt_net_rx_sleep(struct hvt_net *n)
{
	__atomic_store_n(&n->rx.r->cons_wait, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !hvt_net_rx_ready(n);
}

void hvt_net_flush(struct hvt_net *n)
{
	struct pith_net_ring *r = n->tx.r;
	struct timespec tick = { 0, 100000 };

	if (!n->on)
		return;
	efd_write(NET_KICK_FD);
	for (int i = 0; i < 10000 && !hvt_net_broken(n); i++) {
		if (__atomic_load_n(&r->prod, __ATOMIC_ACQUIRE) ==
		    __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE))
			return;
		ppoll(NULL, 0, &tick, NULL);
	}
}

void hvt_net_wake_clear(void)
{
	efd_clear(NET_WAKE_FD);
}
