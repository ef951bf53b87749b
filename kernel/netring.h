/*
 * netring.h — one side of a network ring (include/pith/abi.h), as both the
 * guest kernel and the hvt monitor use it: the same code on both sides.
 *
 * A struct netring is one side's private view of a shared ring: the
 * ring's address and this side's own index. The own index lives here,
 * never read back from shared memory (the other side could rewrite it);
 * the other side's index is read once per call and checked. A ring that
 * breaks the rules is marked broken and never used again: every call
 * then returns NETRING_BROKEN, and `why` says what the other side did.
 *
 * Producer: netring_prod_slot() gives the next free slot (NULL when the
 * ring is full or broken); fill it, then netring_prod_commit() publishes
 * it. netring_put() copies a frame in one call.
 * Consumer: netring_cons_peek() gives the oldest frame and its length
 * (read once, checked against the slot); netring_cons_pop() hands the
 * slot back.
 *
 * Ordering: the producer's slot writes happen before its release store
 * of prod, which the consumer loads with acquire; the consumer's reads of
 * a slot happen before its release store of cons, which the producer
 * loads with acquire before reusing the slot. The two sides may run at
 * the same time (the monitor's I/O thread and the vCPU).
 *
 * Notifications (a sleeper must not miss a wake-up; a busy side must not
 * be woken): a side about to sleep calls netring_*_sleep(), which sets
 * its wait word, fences, and says whether the ring still has nothing for
 * it (true: sleep; false: go on working). After producing or consuming,
 * the other side calls netring_*_notify_due(), which fences and takes the
 * wait word: true means notify. Both fences are sequentially consistent
 * (as in Dekker's algorithm), so at least one side sees the other's store.
 */
#ifndef PITH_NETRING_H
#define PITH_NETRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pith/abi.h>

enum netring_status {
	NETRING_OK = 0,
	NETRING_FULL,	 /* producer: no free slot */
	NETRING_EMPTY,	 /* consumer: no frame */
	NETRING_TOO_BIG, /* producer: frame over PITH_NET_FRAME_MAX */
	NETRING_BROKEN,	 /* the other side broke the rules */
};

struct netring {
	struct pith_net_ring *r;
	uint32_t own; /* prod for a producer, cons for a consumer */
	bool broken;
	const char *why; /* when broken: what the other side did */
};

/* The ring's creator (the host, before the guest runs) zeroes it; each
 * side then attaches its own view. */
void netring_reset(struct pith_net_ring *r);
void netring_attach(struct netring *q, struct pith_net_ring *r);

/* Producer. */
struct pith_net_slot *netring_prod_slot(struct netring *q, enum netring_status *st);
void netring_prod_commit(struct netring *q, struct pith_net_slot *s, uint32_t len);
enum netring_status netring_put(struct netring *q, const void *frame, size_t len);
bool netring_prod_sleep(struct netring *q);	 /* true: still full, sleep */
bool netring_prod_notify_due(struct netring *q); /* after producing */

/* Consumer. */
const uint8_t *netring_cons_peek(struct netring *q, uint32_t *len, enum netring_status *st);
void netring_cons_pop(struct netring *q);
bool netring_cons_sleep(struct netring *q);	 /* true: still empty, sleep */
bool netring_cons_notify_due(struct netring *q); /* after consuming */

/* Frames waiting, as the consumer sees them now (0 when broken). */
uint32_t netring_pending(struct netring *q);

#endif
