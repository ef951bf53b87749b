/*
 * ip_reasm.c — IPv4 fragment reassembly (see ip_reasm.h for the limits
 * and the overlap policy).
 *
 * Each datagram keeps its fragments in a list sorted by offset; each
 * fragment is one allocation. A datagram is complete when its last
 * fragment has told the length and the list covers [0, length) without
 * a gap. It is then copied into one buffer, delivered and freed.
 */
#include "ip_reasm.h"
#include "bytes.h"
#include "checksum.h"
#include "net.h"

static size_t frag_size(size_t len)
{
	return sizeof(struct reasm_frag) + len;
}

/* Free a slot's fragments; keep its key. */
static void drop_frags(struct netif *nif, struct reasm_slot *s)
{
	while (s->frags) {
		struct reasm_frag *f = s->frags;

		s->frags = f->next;
		net_free(f, frag_size(f->len));
	}
	nif->reasm.mem -= s->mem;
	s->mem = 0;
}

static void slot_free(struct netif *nif, struct reasm_slot *s)
{
	drop_frags(nif, s);
	memset(s, 0, sizeof(*s));
}

/* An overlap: forget the fragments, remember the datagram until it
 * would have timed out. */
static void slot_kill(struct netif *nif, struct reasm_slot *s)
{
	nif->stats.ip_frag_overlap++;
	drop_frags(nif, s);
	s->dead = true;
	s->hlen = 0;
	s->total = 0;
}

/* The oldest slot in use other than keep: dead ones first, since they
 * hold no data worth waiting for. */
static struct reasm_slot *oldest(struct netif *nif, const struct reasm_slot *keep)
{
	struct reasm_slot *victim = NULL;

	for (size_t i = 0; i < NET_REASM_SLOTS; i++) {
		struct reasm_slot *s = &nif->reasm.slot[i];

		if (!s->used || s == keep)
			continue;
		if (!victim || (s->dead && !victim->dead) ||
		    (s->dead == victim->dead && s->created < victim->created))
			victim = s;
	}
	return victim;
}

static void evict(struct netif *nif, struct reasm_slot *s)
{
	if (!s->dead)
		nif->stats.ip_reasm_evicted++;
	slot_free(nif, s);
}

static struct reasm_slot *find_or_create(struct netif *nif, const struct ip_rx *rx, uint16_t id,
					 uint64_t now)
{
	struct reasm_slot *free_slot = NULL;

	for (size_t i = 0; i < NET_REASM_SLOTS; i++) {
		struct reasm_slot *s = &nif->reasm.slot[i];

		if (!s->used) {
			if (!free_slot)
				free_slot = s;
		} else if (s->src == rx->src && s->dst == rx->dst && s->id == id &&
			   s->proto == rx->proto) {
			return s;
		}
	}
	if (!free_slot) {
		free_slot = oldest(nif, NULL);
		evict(nif, free_slot);
	}
	free_slot->used = true;
	free_slot->src = rx->src;
	free_slot->dst = rx->dst;
	free_slot->id = id;
	free_slot->proto = rx->proto;
	free_slot->created = now;
	free_slot->expires = now + nif->reasm_timeout_ns;
	return free_slot;
}

/* Make room for need more bytes by evicting other datagrams, oldest
 * first. False if even that is not enough. */
static bool make_room(struct netif *nif, const struct reasm_slot *keep, size_t need)
{
	while (nif->reasm.mem + need > NET_REASM_MEM_MAX) {
		struct reasm_slot *victim = oldest(nif, keep);

		if (!victim)
			return false;
		evict(nif, victim);
	}
	return true;
}

static bool complete(const struct reasm_slot *s)
{
	uint32_t covered = 0;

	if (!s->total || !s->hlen)
		return false;
	for (const struct reasm_frag *f = s->frags; f; f = f->next) {
		if (f->off != covered)
			return false;
		covered += f->len;
	}
	return covered == s->total;
}

static void deliver(struct netif *nif, struct reasm_slot *s, uint64_t now)
{
	size_t hlen = s->hlen, size = hlen + s->total;
	struct ip_rx rx;
	uint8_t *buf;

	if (size > IP_MAX_LEN) { /* the first fragment's options made it too long */
		nif->stats.ip_frag_bad++;
		slot_free(nif, s);
		return;
	}
	buf = net_alloc(size);
	if (!buf) {
		nif->stats.nomem++;
		slot_free(nif, s);
		return;
	}
	/* The first fragment's header, made whole: upper layers and the
	 * ICMP errors that quote it see one datagram. */
	memcpy(buf, s->hdr, hlen);
	put_be16(buf + 2, (uint16_t)size);
	put_be16(buf + 6, 0);
	put_be16(buf + 10, 0);
	put_be16(buf + 10, csum_fold(csum_add(0, buf, hlen)));
	for (const struct reasm_frag *f = s->frags; f; f = f->next)
		memcpy(buf + hlen + f->off, f->data, f->len);
	rx.src = s->src;
	rx.dst = s->dst;
	rx.proto = s->proto;
	rx.bcast = ipv4_is_broadcast(nif, s->dst);
	rx.hdr = buf;
	rx.hlen = hlen;
	rx.payload = buf + hlen;
	rx.len = s->total;
	slot_free(nif, s);
	nif->stats.ip_reasm_ok++;
	ipv4_deliver(nif, &rx, now);
	net_free(buf, size);
}

void ip_reasm_input(struct netif *nif, const struct ip_rx *rx, uint16_t frag, uint64_t now)
{
	size_t off = (size_t)(frag & IP_OFFSET_MASK) * 8, len = rx->len, end = off + len;
	bool more = frag & IP_FLAG_MF;
	struct reasm_frag *prev = NULL, *next, *f;
	struct reasm_slot *s;

	/* RFC 791: every fragment but the last carries a multiple of 8
	 * bytes; nothing may reach past 65535 (the "ping of death"). */
	if (rx->hlen + end > IP_MAX_LEN || (more && (len == 0 || len % 8))) {
		nif->stats.ip_frag_bad++;
		return;
	}
	s = find_or_create(nif, rx, get_be16(rx->hdr + 4), now);
	if (s->dead) {
		nif->stats.ip_frag_dead++;
		return;
	}
	for (next = s->frags; next && next->off < off; next = next->next)
		prev = next;
	if (len && next && next->off == off && next->len == len &&
	    memcmp(next->data, rx->payload, len) == 0) {
		nif->stats.ip_frag_dup++;
		return;
	}
	if (!more) {
		const struct reasm_frag *last = s->frags;

		while (last && last->next)
			last = last->next;
		if ((s->total && s->total != end) || (last && last->off + last->len > end)) {
			slot_kill(nif, s);
			return;
		}
		s->total = (uint32_t)end;
	} else if (s->total && end > s->total) {
		slot_kill(nif, s);
		return;
	}
	if ((prev && prev->off + prev->len > off) || (len && next && end > next->off)) {
		slot_kill(nif, s);
		return;
	}
	if (len) {
		if (!make_room(nif, s, frag_size(len))) {
			evict(nif, s); /* this datagram alone would pass the cap */
			return;
		}
		f = net_alloc(frag_size(len));
		if (!f) {
			nif->stats.nomem++;
			return;
		}
		f->off = (uint16_t)off;
		f->len = (uint16_t)len;
		memcpy(f->data, rx->payload, len);
		f->next = next;
		if (prev)
			prev->next = f;
		else
			s->frags = f;
		s->mem += frag_size(len);
		nif->reasm.mem += frag_size(len);
	}
	if (off == 0) {
		memcpy(s->hdr, rx->hdr, rx->hlen);
		s->hlen = (uint8_t)rx->hlen;
	}
	if (complete(s))
		deliver(nif, s, now);
}

/* RFC 792/1122: time exceeded (code 1) when the first fragment came. */
static void report_timeout(struct netif *nif, const struct reasm_slot *s, uint64_t now)
{
	uint8_t quote[IP_HLEN_MAX + 8];
	struct ip_rx rx;
	size_t n = 0;

	if (!s->hlen || !s->frags || s->frags->off != 0)
		return;
	n = NET_MIN((size_t)s->frags->len, (size_t)8);
	memcpy(quote, s->hdr, s->hlen);
	memcpy(quote + s->hlen, s->frags->data, n);
	rx.src = s->src;
	rx.dst = s->dst;
	rx.proto = s->proto;
	rx.bcast = ipv4_is_broadcast(nif, s->dst);
	rx.hdr = quote;
	rx.hlen = s->hlen;
	rx.payload = quote + s->hlen;
	rx.len = n;
	icmp_send_error(nif, &rx, ICMP_TIME_EXCEEDED, ICMP_TIMXCEED_REASS, 0, now);
}

uint64_t ip_reasm_tick(struct netif *nif, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (size_t i = 0; i < NET_REASM_SLOTS; i++) {
		struct reasm_slot *s = &nif->reasm.slot[i];

		if (!s->used)
			continue;
		if (now >= s->expires) {
			if (!s->dead) {
				nif->stats.ip_reasm_timeout++;
				report_timeout(nif, s, now);
			}
			slot_free(nif, s);
			continue;
		}
		next = NET_MIN(next, s->expires);
	}
	return next;
}

void ip_reasm_flush(struct netif *nif)
{
	for (size_t i = 0; i < NET_REASM_SLOTS; i++)
		slot_free(nif, &nif->reasm.slot[i]);
}
