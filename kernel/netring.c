/*
 * netring.c — the network rings' protocol (netring.h, include/pith/abi.h),
 * shared by the guest kernel (part net) and the hvt monitor. Freestanding:
 * nothing but the compiler's builtins.
 */
#include "netring.h"

#define LOAD_ACQ(p)	(__atomic_load_n((p), __ATOMIC_ACQUIRE))
#define STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define STORE_RLX(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define FENCE()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define SLOT(r, i)	(&(r)->slot[(i) & (PITH_NET_SLOTS - 1)])

_Static_assert((PITH_NET_SLOTS & (PITH_NET_SLOTS - 1)) == 0, "slots: a power of two");
_Static_assert(sizeof(struct pith_net_slot) == PITH_NET_SLOT_SIZE, "slot size");
_Static_assert(offsetof(struct pith_net_ring, cons) == 64, "cons on its own cache line");
_Static_assert(offsetof(struct pith_net_ring, slot) == 128, "slots after the indices");

void netring_reset(struct pith_net_ring *r)
{
	r->prod = r->cons = r->prod_wait = r->cons_wait = 0;
}

void netring_attach(struct netring *q, struct pith_net_ring *r)
{
	q->r = r;
	q->own = 0;
	q->broken = false;
	q->why = 0;
}

static enum netring_status broke(struct netring *q, const char *why)
{
	q->broken = true;
	q->why = why;
	return NETRING_BROKEN;
}

/* The producer's free slots; the consumer's index must be no further
 * ahead than what was produced, and at most a ring behind. */
static enum netring_status free_slots(struct netring *q, uint32_t *n)
{
	uint32_t used;

	if (q->broken)
		return NETRING_BROKEN;
	used = q->own - LOAD_ACQ(&q->r->cons);
	if (used > PITH_NET_SLOTS)
		return broke(q, "consumer index outside the ring");
	*n = PITH_NET_SLOTS - used;
	return NETRING_OK;
}

/* The consumer's ready frames, checked the same way. */
static enum netring_status ready_slots(struct netring *q, uint32_t *n)
{
	uint32_t ready;

	if (q->broken)
		return NETRING_BROKEN;
	ready = LOAD_ACQ(&q->r->prod) - q->own;
	if (ready > PITH_NET_SLOTS)
		return broke(q, "producer index outside the ring");
	*n = ready;
	return NETRING_OK;
}

struct pith_net_slot *netring_prod_slot(struct netring *q, enum netring_status *st)
{
	uint32_t n = 0;

	*st = free_slots(q, &n);
	if (*st != NETRING_OK)
		return 0;
	if (n == 0) {
		*st = NETRING_FULL;
		return 0;
	}
	return SLOT(q->r, q->own);
}

void netring_prod_commit(struct netring *q, struct pith_net_slot *s, uint32_t len)
{
	STORE_RLX(&s->len, len);
	q->own++;
	STORE_REL(&q->r->prod, q->own);
}

enum netring_status netring_put(struct netring *q, const void *frame, size_t len)
{
	enum netring_status st;
	struct pith_net_slot *s;

	if (len > PITH_NET_FRAME_MAX)
		return NETRING_TOO_BIG;
	s = netring_prod_slot(q, &st);
	if (!s)
		return st;
	__builtin_memcpy(s->frame, frame, len);
	netring_prod_commit(q, s, (uint32_t)len);
	return NETRING_OK;
}

const uint8_t *netring_cons_peek(struct netring *q, uint32_t *len, enum netring_status *st)
{
	struct pith_net_slot *s;
	uint32_t n = 0;

	*st = ready_slots(q, &n);
	if (*st != NETRING_OK)
		return 0;
	if (n == 0) {
		*st = NETRING_EMPTY;
		return 0;
	}
	s = SLOT(q->r, q->own);
	/* Read once: the other side may rewrite it while we look. */
	*len = __atomic_load_n(&s->len, __ATOMIC_RELAXED);
	if (*len > PITH_NET_FRAME_MAX) {
		*st = broke(q, "frame length over the slot size");
		return 0;
	}
	return s->frame;
}

void netring_cons_pop(struct netring *q)
{
	q->own++;
	STORE_REL(&q->r->cons, q->own);
}

uint32_t netring_pending(struct netring *q)
{
	uint32_t n = 0;

	return ready_slots(q, &n) == NETRING_OK ? n : 0;
}

bool netring_cons_sleep(struct netring *q)
{
	uint32_t n = 0;

	STORE_RLX(&q->r->cons_wait, 1);
	FENCE();
	return ready_slots(q, &n) != NETRING_OK || n == 0;
}

bool netring_prod_notify_due(struct netring *q)
{
	FENCE();
	return !q->broken && __atomic_exchange_n(&q->r->cons_wait, 0, __ATOMIC_ACQ_REL) != 0;
}

bool netring_prod_sleep(struct netring *q)
{
	uint32_t n = 0;

	STORE_RLX(&q->r->prod_wait, 1);
	FENCE();
	return free_slots(q, &n) != NETRING_OK || n == 0;
}

bool netring_cons_notify_due(struct netring *q)
{
	FENCE();
	return !q->broken && __atomic_exchange_n(&q->r->prod_wait, 0, __ATOMIC_ACQ_REL) != 0;
}
