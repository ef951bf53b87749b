/*
 * arp.c — ARP cache, resolution and replies (see arp.h for the policy).
 */
#include "arp.h"
#include "bytes.h"
#include "ipv4.h"
#include "net.h"

#define ARP_HTYPE_ETHER 1

static struct arp_entry *find(struct netif *nif, uint32_t ip)
{
	for (size_t i = 0; i < NET_ARP_ENTRIES; i++) {
		struct arp_entry *e = &nif->arp.entry[i];

		if (e->state != ARP_FREE && e->ip == ip)
			return e;
	}
	return NULL;
}

const struct arp_entry *arp_lookup(const struct netif *nif, uint32_t ip)
{
	return find((struct netif *)nif, ip);
}

/* Free an entry; packets still waiting for it were never sent. */
static void clear(struct netif *nif, struct arp_entry *e)
{
	while (e->queue) {
		struct pbuf *pb = e->queue;

		e->queue = pb->next;
		pbuf_free(pb);
		nif->stats.arp_failed++;
	}
	nif->arp.queued_bytes -= e->queued_bytes;
	memset(e, 0, sizeof(*e));
}

/* A slot for a new entry: a free one, else the one learnt longest ago
 * (resolved entries before pending ones, whose packets would be lost). */
static struct arp_entry *alloc_entry(struct netif *nif)
{
	struct arp_entry *victim = NULL;

	for (size_t i = 0; i < NET_ARP_ENTRIES; i++) {
		struct arp_entry *e = &nif->arp.entry[i];

		if (e->state == ARP_FREE)
			return e;
		if (!victim || (e->state == ARP_RESOLVED && victim->state == ARP_PENDING) ||
		    (e->state == victim->state && e->updated < victim->updated))
			victim = e;
	}
	nif->stats.arp_evicted++;
	clear(nif, victim);
	return victim;
}

static void send_arp(struct netif *nif, uint16_t op, const uint8_t eth_dst[ETH_ALEN],
		     const uint8_t tha[ETH_ALEN], uint32_t tpa)
{
	static const uint8_t zero_mac[ETH_ALEN];
	struct pbuf *pb = pbuf_alloc(NET_HEADROOM, ARP_LEN);
	uint8_t *p;

	if (!pb) {
		nif->stats.nomem++;
		return;
	}
	p = pb->data;
	put_be16(p, ARP_HTYPE_ETHER);
	put_be16(p + 2, ETH_TYPE_IPV4);
	p[4] = ETH_ALEN;
	p[5] = 4;
	put_be16(p + 6, op);
	memcpy(p + 8, nif->mac, ETH_ALEN);
	put_be32(p + 14, nif->addr);
	memcpy(p + 18, tha ? tha : zero_mac, ETH_ALEN);
	put_be32(p + 24, tpa);
	if (op == ARP_OP_REQUEST)
		nif->stats.arp_request_tx++;
	else
		nif->stats.arp_reply_tx++;
	eth_output(nif, pb, eth_dst, ETH_TYPE_ARP);
}

void arp_announce(struct netif *nif)
{
	send_arp(nif, ARP_OP_REQUEST, eth_broadcast, NULL, nif->addr);
}

/* Give a pending entry its address and send what waited for it. */
static void learn(struct netif *nif, struct arp_entry *e, const uint8_t mac[ETH_ALEN], uint64_t now)
{
	memcpy(e->mac, mac, ETH_ALEN);
	e->state = ARP_RESOLVED;
	e->requests = 0;
	e->refreshing = false;
	e->deadline = now + NET_ARP_TTL_NS;
	e->updated = now;
	nif->arp.queued_bytes -= e->queued_bytes;
	e->queued_bytes = 0;
	e->queued = 0;
	while (e->queue) {
		struct pbuf *pb = e->queue;

		e->queue = pb->next;
		pb->next = NULL;
		eth_output(nif, pb, e->mac, ETH_TYPE_IPV4);
	}
}

void arp_input(struct netif *nif, const uint8_t *p, size_t len, uint64_t now)
{
	uint16_t op;
	const uint8_t *sha;
	uint32_t spa, tpa;
	struct arp_entry *e;
	bool for_us;

	if (len < ARP_LEN) {
		nif->stats.arp_short++;
		return;
	}
	if (get_be16(p) != ARP_HTYPE_ETHER || get_be16(p + 2) != ETH_TYPE_IPV4 ||
	    p[4] != ETH_ALEN || p[5] != 4) {
		nif->stats.arp_format++;
		return;
	}
	op = get_be16(p + 6);
	if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY) {
		nif->stats.arp_op++;
		return;
	}
	nif->stats.arp_rx++;
	sha = p + 8;
	spa = get_be32(p + 14);
	tpa = get_be32(p + 24);
	/* Sender 0.0.0.0 is an RFC 5227 probe: answered, never learnt. */
	if (eth_is_multicast(sha) || (spa && !ipv4_is_unicast(nif, spa))) {
		nif->stats.arp_bad_sender++;
		return;
	}
	if (spa && spa == nif->addr) {
		nif->stats.arp_conflict++;
		return;
	}
	for_us = nif->addr && tpa == nif->addr;
	e = spa ? find(nif, spa) : NULL;
	if (e) {
		learn(nif, e, sha, now);
	} else if (for_us && op == ARP_OP_REQUEST && spa) {
		e = alloc_entry(nif);
		e->ip = spa;
		learn(nif, e, sha, now);
	} else if (op == ARP_OP_REPLY) {
		nif->stats.arp_unsolicited++;
	}
	if (for_us && op == ARP_OP_REQUEST)
		send_arp(nif, ARP_OP_REPLY, sha, sha, spa);
}

static size_t pbuf_size(const struct pbuf *pb)
{
	return sizeof(*pb) + pb->cap;
}

static void drop_oldest(struct netif *nif, struct arp_entry *e)
{
	struct pbuf *oldest = e->queue;

	e->queue = oldest->next;
	e->queued--;
	e->queued_bytes -= pbuf_size(oldest);
	nif->arp.queued_bytes -= pbuf_size(oldest);
	pbuf_free(oldest);
	nif->stats.arp_queue_full++;
}

/* Queue pb behind e, within the entry's and the cache's byte limits:
 * the entry's oldest packets go first; if that is not enough, pb does. */
static void enqueue(struct netif *nif, struct arp_entry *e, struct pbuf *pb)
{
	size_t size = pbuf_size(pb);
	struct pbuf **tail = &e->queue;

	while (e->queue && (e->queued_bytes + size > NET_ARP_QUEUE_BYTES ||
			    nif->arp.queued_bytes + size > NET_ARP_QUEUE_TOTAL))
		drop_oldest(nif, e);
	if (e->queued_bytes + size > NET_ARP_QUEUE_BYTES ||
	    nif->arp.queued_bytes + size > NET_ARP_QUEUE_TOTAL) {
		pbuf_free(pb);
		nif->stats.arp_queue_full++;
		return;
	}
	while (*tail)
		tail = &(*tail)->next;
	pb->next = NULL;
	*tail = pb;
	e->queued++;
	e->queued_bytes += size;
	nif->arp.queued_bytes += size;
}

int arp_output(struct netif *nif, struct pbuf *pb, uint32_t nexthop, uint64_t now)
{
	struct arp_entry *e;

	if (ipv4_is_broadcast(nif, nexthop))
		return eth_output(nif, pb, eth_broadcast, ETH_TYPE_IPV4);
	e = find(nif, nexthop);
	if (e && e->state == ARP_RESOLVED && now >= e->deadline) {
		clear(nif, e); /* expired, and net_tick was late to say so */
		e = NULL;
	}
	if (e && e->state == ARP_RESOLVED) {
		if (!e->refreshing && e->deadline - now <= NET_ARP_REFRESH_NS) {
			e->refreshing = true;
			send_arp(nif, ARP_OP_REQUEST, e->mac, NULL, nexthop);
		}
		return eth_output(nif, pb, e->mac, ETH_TYPE_IPV4);
	}
	if (!e) {
		e = alloc_entry(nif);
		e->ip = nexthop;
		e->state = ARP_PENDING;
		e->requests = 1;
		e->deadline = now + NET_ARP_RETRY_NS;
		e->updated = now;
		send_arp(nif, ARP_OP_REQUEST, eth_broadcast, NULL, nexthop);
	}
	enqueue(nif, e, pb);
	return 0;
}

uint64_t arp_tick(struct netif *nif, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (size_t i = 0; i < NET_ARP_ENTRIES; i++) {
		struct arp_entry *e = &nif->arp.entry[i];

		if (e->state == ARP_FREE)
			continue;
		if (now >= e->deadline) {
			if (e->state == ARP_RESOLVED || e->requests >= NET_ARP_REQUESTS) {
				clear(nif, e);
				continue;
			}
			/* 1 s, 2 s, 4 s...: Linux asks every second; doubling
			 * costs a silent neighbour fewer broadcasts. */
			e->deadline = now + (NET_ARP_RETRY_NS << e->requests);
			e->requests++;
			send_arp(nif, ARP_OP_REQUEST, eth_broadcast, NULL, e->ip);
		}
		next = NET_MIN(next, e->deadline);
	}
	return next;
}

void arp_flush(struct netif *nif)
{
	for (size_t i = 0; i < NET_ARP_ENTRIES; i++)
		clear(nif, &nif->arp.entry[i]);
}
