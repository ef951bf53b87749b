/*
 * tcp_buf.c — TCP's byte rings and its record of out-of-order data.
 *
 * A connection's send ring holds the bytes from snd_una on: sent and not
 * yet acknowledged, then not yet sent. Retransmissions read them again
 * from there, so there is no queue of segments.
 *
 * Its receive ring holds, from head, the in-order bytes not yet read
 * (len of them), and beyond them, at their distance from rcv_nxt, the
 * out-of-order bytes that arrived early. The receive window is never
 * larger than the ring's free space, so whatever the window admits has
 * its place; the out-of-order bytes cost no memory of their own, only
 * an entry in pcb->ooo (at most NET_TCP_OOO_RANGES of them), which also
 * gives the SACK blocks (RFC 2018).
 */
#include "net.h"
#include "tcp_int.h"

int tcp_ring_alloc(struct tcp_ring *r, uint32_t size)
{
	r->buf = net_alloc(size);
	if (!r->buf)
		return -NET_ENOMEM;
	r->size = size;
	r->head = 0;
	r->len = 0;
	return 0;
}

void tcp_ring_free(struct tcp_ring *r)
{
	if (r->buf)
		net_free(r->buf, r->size);
	r->buf = NULL;
	r->size = r->head = r->len = 0;
}

/* Copy n bytes into the ring at distance off from head (no bound check:
 * callers keep off + n <= size). */
void tcp_ring_put(struct tcp_ring *r, uint32_t off, const void *data, uint32_t n)
{
	uint32_t pos = (uint32_t)(((uint64_t)r->head + off) % r->size);
	uint32_t first = NET_MIN(n, r->size - pos);

	memcpy(r->buf + pos, data, first);
	memcpy(r->buf, (const uint8_t *)data + first, n - first);
}

uint32_t tcp_ring_append(struct tcp_ring *r, const void *data, uint32_t n)
{
	n = NET_MIN(n, tcp_ring_free_space(r));
	if (n) {
		tcp_ring_put(r, r->len, data, n);
		r->len += n;
	}
	return n;
}

void tcp_ring_copy(const struct tcp_ring *r, uint32_t off, void *out, uint32_t n)
{
	uint32_t pos = (uint32_t)(((uint64_t)r->head + off) % r->size);
	uint32_t first = NET_MIN(n, r->size - pos);

	memcpy(out, r->buf + pos, first);
	memcpy((uint8_t *)out + first, r->buf, n - first);
}

void tcp_ring_consume(struct tcp_ring *r, uint32_t n)
{
	n = NET_MIN(n, r->len);
	r->head = (uint32_t)(((uint64_t)r->head + n) % r->size);
	r->len -= n; /* head stays put: early data may sit beyond len */
}

static void ooo_remove(struct tcp_pcb *pcb, unsigned i)
{
	for (unsigned j = i; j + 1 < pcb->ooo_n; j++)
		pcb->ooo[j] = pcb->ooo[j + 1];
	pcb->ooo_n--;
}

/* Record [start, end) as held. Ranges stay sorted and disjoint; one that
 * touches or overlaps others merges with them. Returns false, changing
 * nothing, when it would need a range slot and none is free. */
bool tcp_ooo_add(struct tcp_pcb *pcb, uint32_t start, uint32_t end)
{
	unsigned i = 0;

	while (i < pcb->ooo_n && SEQ_LT(pcb->ooo[i].end, start))
		i++;
	if (i == pcb->ooo_n || SEQ_LT(end, pcb->ooo[i].start)) {
		/* Disjoint from all: a new range before index i. */
		if (pcb->ooo_n == NET_TCP_OOO_RANGES)
			return false;
		for (unsigned j = pcb->ooo_n; j > i; j--)
			pcb->ooo[j] = pcb->ooo[j - 1];
		pcb->ooo[i].start = start;
		pcb->ooo[i].end = end;
		pcb->ooo_n++;
		pcb->ooo_last = (uint8_t)i;
		return true;
	}
	/* Overlaps or touches range i: widen it, then swallow followers. */
	if (SEQ_LT(start, pcb->ooo[i].start))
		pcb->ooo[i].start = start;
	if (SEQ_GT(end, pcb->ooo[i].end))
		pcb->ooo[i].end = end;
	while (i + 1 < pcb->ooo_n && SEQ_GEQ(pcb->ooo[i].end, pcb->ooo[i + 1].start)) {
		if (SEQ_GT(pcb->ooo[i + 1].end, pcb->ooo[i].end))
			pcb->ooo[i].end = pcb->ooo[i + 1].end;
		ooo_remove(pcb, i + 1);
	}
	pcb->ooo_last = (uint8_t)i;
	return true;
}

/* After rcv_nxt moved: the bytes of ranges it reached are now in order.
 * Returns how many bytes past rcv_nxt became contiguous (the caller adds
 * them to the ring and to rcv_nxt); drops ranges left behind. */
uint32_t tcp_ooo_take(struct tcp_pcb *pcb)
{
	uint32_t gained = 0, nxt = pcb->rcv_nxt;

	while (pcb->ooo_n && SEQ_LEQ(pcb->ooo[0].start, nxt)) {
		if (SEQ_GT(pcb->ooo[0].end, nxt)) {
			gained += pcb->ooo[0].end - nxt;
			nxt = pcb->ooo[0].end;
		}
		ooo_remove(pcb, 0);
		pcb->ooo_last = 0;
	}
	return gained;
}

/* SACK blocks for an ACK (RFC 2018 4): the range most recently changed
 * first, then the others in order. */
unsigned tcp_sack_blocks(const struct tcp_pcb *pcb, struct tcp_range *out, unsigned max)
{
	unsigned n = 0;

	if (!pcb->ooo_n || !max)
		return 0;
	out[n++] = pcb->ooo[pcb->ooo_last < pcb->ooo_n ? pcb->ooo_last : 0];
	for (unsigned i = 0; i < pcb->ooo_n && n < max; i++)
		if (pcb->ooo[i].start != out[0].start)
			out[n++] = pcb->ooo[i];
	return n;
}
