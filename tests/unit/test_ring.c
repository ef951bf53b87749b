/*
 * test_ring.c — kernel/netring.c, the network rings both sides share:
 * empty, full, wraparound of slots and of the 32-bit indices, notification
 * suppression both ways, indices and lengths a hostile other side wrote,
 * and a producer and consumer on two threads at once.
 */
#include <pthread.h>
#include <stdlib.h>

#include "../../kernel/netring.h"
#include "check.h"

static struct pith_net_ring *new_ring(void)
{
	struct pith_net_ring *r = calloc(1, sizeof(*r));

	if (!r)
		abort();
	netring_reset(r);
	return r;
}

static void fill(uint8_t *b, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(seed * 31 + i);
}

static void basics(void)
{
	struct pith_net_ring *r = new_ring();
	struct netring p, c;
	enum netring_status st;
	uint8_t f[PITH_NET_FRAME_MAX + 1], g[64];
	uint32_t len = 0;
	unsigned i;

	netring_attach(&p, r);
	netring_attach(&c, r);
	CHECK("ring/empty", !netring_cons_peek(&c, &len, &st) && st == NETRING_EMPTY);
	CHECK_U64("ring/empty-pending", netring_pending(&c), 0);
	CHECK("ring/too-big", netring_put(&p, f, sizeof(f)) == NETRING_TOO_BIG);
	CHECK("ring/max-fits", netring_put(&p, f, PITH_NET_FRAME_MAX) == NETRING_OK);
	CHECK("ring/max-peek", netring_cons_peek(&c, &len, &st) && len == PITH_NET_FRAME_MAX);
	netring_cons_pop(&c);
	CHECK("ring/zero-len",
	      netring_put(&p, f, 0) == NETRING_OK && netring_cons_peek(&c, &len, &st) && len == 0);
	netring_cons_pop(&c);

	for (i = 0; i < PITH_NET_SLOTS; i++) {
		fill(g, sizeof(g), i);
		if (netring_put(&p, g, sizeof(g)) != NETRING_OK)
			break;
	}
	CHECK_U64("ring/fills-all-slots", i, PITH_NET_SLOTS);
	CHECK("ring/full", netring_put(&p, g, 1) == NETRING_FULL);
	CHECK("ring/full-slot-null", !netring_prod_slot(&p, &st) && st == NETRING_FULL);
	CHECK_U64("ring/full-pending", netring_pending(&c), PITH_NET_SLOTS);
	{
		bool in_order = true;

		for (i = 0; i < PITH_NET_SLOTS; i++) {
			const uint8_t *d = netring_cons_peek(&c, &len, &st);

			fill(g, sizeof(g), i);
			if (!d || len != sizeof(g) || memcmp(d, g, len)) {
				in_order = false;
				break;
			}
			netring_cons_pop(&c);
		}
		CHECK("ring/fifo-order", in_order);
	}
	CHECK("ring/empty-again", !netring_cons_peek(&c, &len, &st) && st == NETRING_EMPTY);
	free(r);
}

/* Both indices just below 2^32: they wrap while frames flow. */
static void index_wrap(void)
{
	struct pith_net_ring *r = new_ring();
	struct netring p, c;
	enum netring_status st;
	uint32_t len, start = UINT32_MAX - 5;
	bool ok = true;

	r->prod = r->cons = start;
	netring_attach(&p, r);
	netring_attach(&c, r);
	p.own = c.own = start;
	for (uint32_t i = 0; i < 3 * PITH_NET_SLOTS && ok; i++) {
		uint8_t b[8], *d;

		fill(b, sizeof(b), i);
		ok = netring_put(&p, b, sizeof(b)) == NETRING_OK;
		d = (uint8_t *)netring_cons_peek(&c, &len, &st);
		ok = ok && d && len == sizeof(b) && !memcmp(d, b, len);
		netring_cons_pop(&c);
	}
	CHECK("ring/index-wraps-2^32", ok && p.own == start + 3 * PITH_NET_SLOTS);
	/* Full across the wrap. */
	for (unsigned i = 0; i < PITH_NET_SLOTS; i++)
		netring_put(&p, "x", 1);
	CHECK("ring/full-across-wrap",
	      netring_put(&p, "x", 1) == NETRING_FULL && netring_pending(&c) == PITH_NET_SLOTS);
	free(r);
}

static void suppression(void)
{
	struct pith_net_ring *r = new_ring();
	struct netring p, c;
	enum netring_status st;
	uint32_t len;

	netring_attach(&p, r);
	netring_attach(&c, r);
	/* A busy consumer never asked: no notification for any frame. */
	netring_put(&p, "a", 1);
	CHECK("ring/notify/busy-consumer-none", !netring_prod_notify_due(&p));
	/* It finds a frame, so it does not sleep. */
	CHECK("ring/notify/sleep-sees-frame", !netring_cons_sleep(&c));
	netring_cons_peek(&c, &len, &st);
	netring_cons_pop(&c);
	/* The flag that sleep-attempt set produces one notification, once. */
	netring_put(&p, "b", 1);
	CHECK("ring/notify/after-sleep-once", netring_prod_notify_due(&p));
	netring_put(&p, "c", 1);
	CHECK("ring/notify/not-twice", !netring_prod_notify_due(&p));
	netring_cons_pop(&c);
	netring_cons_pop(&c);
	CHECK("ring/notify/empty-sleeps", netring_cons_sleep(&c));
	netring_put(&p, "d", 1);
	CHECK("ring/notify/sleeper-woken", netring_prod_notify_due(&p));

	/* The other way: a producer waiting for room. */
	while (netring_put(&p, "e", 1) == NETRING_OK)
		;
	CHECK("ring/notify/full-producer-sleeps", netring_prod_sleep(&p));
	CHECK("ring/notify/room-wakes-once",
	      (netring_cons_pop(&c), netring_cons_notify_due(&c)) && !netring_cons_notify_due(&c));
	CHECK("ring/notify/room-no-sleep", !netring_prod_sleep(&p));
	free(r);
}

/* The other side rewrites indices and lengths: never a read or write
 * outside the ring, and the ring stays broken. */
static void hostile(void)
{
	struct pith_net_ring *r = new_ring();
	struct netring p, c;
	enum netring_status st;
	uint32_t len;

	netring_attach(&c, r);
	r->prod = PITH_NET_SLOTS + 1;
	CHECK("ring/hostile/prod-too-far",
	      !netring_cons_peek(&c, &len, &st) && st == NETRING_BROKEN && c.broken && c.why);
	r->prod = 1;
	CHECK("ring/hostile/stays-broken",
	      !netring_cons_peek(&c, &len, &st) && st == NETRING_BROKEN);
	CHECK_U64("ring/hostile/broken-pending-0", netring_pending(&c), 0);

	netring_reset(r);
	netring_attach(&c, r);
	r->prod = (uint32_t)-1; /* behind the consumer */
	CHECK("ring/hostile/prod-behind",
	      !netring_cons_peek(&c, &len, &st) && st == NETRING_BROKEN);

	netring_reset(r);
	netring_attach(&c, r);
	r->slot[0].len = PITH_NET_FRAME_MAX + 1;
	r->prod = 1;
	CHECK("ring/hostile/len-over-slot",
	      !netring_cons_peek(&c, &len, &st) && st == NETRING_BROKEN);
	netring_reset(r);
	netring_attach(&c, r);
	r->slot[0].len = UINT32_MAX;
	r->prod = 1;
	CHECK("ring/hostile/len-huge", !netring_cons_peek(&c, &len, &st) && st == NETRING_BROKEN);

	netring_reset(r);
	netring_attach(&p, r);
	r->cons = 5; /* ahead of anything produced */
	CHECK("ring/hostile/cons-ahead", netring_put(&p, "x", 1) == NETRING_BROKEN && p.broken);
	CHECK("ring/hostile/broken-no-notify", !netring_prod_notify_due(&p));
	netring_reset(r);
	netring_attach(&p, r);
	netring_put(&p, "x", 1);
	r->cons = (uint32_t)(1 - PITH_NET_SLOTS - 1);
	CHECK("ring/hostile/cons-far-behind", netring_put(&p, "x", 1) == NETRING_BROKEN);
	/* Our own index rewritten in shared memory changes nothing for us. */
	netring_reset(r);
	netring_attach(&p, r);
	netring_attach(&c, r);
	netring_put(&p, "y", 1);
	r->prod = 0; /* the consumer's view: nothing (a lie, but in range) */
	CHECK("ring/hostile/own-index-private",
	      p.own == 1 && netring_put(&p, "z", 1) == NETRING_OK && r->prod == 2);
	free(r);
}

#define THREAD_FRAMES 200000u

static void *producer(void *arg)
{
	struct netring *p = arg;
	uint8_t b[64];

	for (uint32_t i = 0; i < THREAD_FRAMES;) {
		size_t len = 4 + i % 60;

		fill(b, len, i);
		memcpy(b, &i, 4);
		if (netring_put(p, b, len) == NETRING_OK)
			i++;
		else
			sched_yield();
	}
	return NULL;
}

static void threads(void)
{
	struct pith_net_ring *r = new_ring();
	struct netring p, c;
	pthread_t t;
	uint32_t got = 0;
	bool ok = true;

	netring_attach(&p, r);
	netring_attach(&c, r);
	pthread_create(&t, NULL, producer, &p);
	while (got < THREAD_FRAMES && ok) {
		enum netring_status st;
		uint32_t len, seq;
		const uint8_t *d = netring_cons_peek(&c, &len, &st);
		uint8_t want[64];

		if (!d) {
			ok = st == NETRING_EMPTY;
			sched_yield();
			continue;
		}
		memcpy(&seq, d, 4);
		fill(want, len, seq);
		ok = seq == got && len == 4 + got % 60 && !memcmp(d + 4, want + 4, len - 4);
		netring_cons_pop(&c);
		got++;
	}
	pthread_join(t, NULL);
	CHECKD("ring/threads/200k-frames-in-order", ok && got == THREAD_FRAMES, "got %u", got);
	free(r);
}

int main(void)
{
	basics();
	index_wrap();
	suppression();
	hostile();
	threads();
	return 0;
}
