/*
 * tcputil.h — helpers for the TCP unit tests, header only, beside
 * netutil.h.
 *
 * Hand-built segments (put_tcp, with the tests' own checksum code) and a
 * parser for the segments a stack sends (get_tcp). Two stacks, A at
 * 10.0.0.1 and B at 10.0.0.2, joined by a simulated wire with a fixed
 * latency that can drop, duplicate and reorder frames from a seeded
 * generator (struct wire); wire_run() moves the fake clock from event to
 * event — the next frame's arrival or either stack's next deadline —
 * and calls the test's own step after each, until it says done.
 */
#ifndef PITH_TEST_TCPUTIL_H
#define PITH_TEST_TCPUTIL_H

#include "netutil.h"
#include "../../net/tcp_int.h"

/* A TCP segment (header, options, data) at p; returns its length. */
__attribute__((unused)) static size_t put_tcp(uint8_t *p, uint32_t src, uint32_t dst,
					      uint16_t sport, uint16_t dport, uint32_t seq,
					      uint32_t ack, uint8_t flags, uint16_t wnd,
					      const uint8_t *opt, size_t olen, const void *data,
					      size_t len)
{
	size_t hl = 20 + olen;

	be16(p, sport);
	be16(p + 2, dport);
	be32(p + 4, seq);
	be32(p + 8, ack);
	p[12] = (uint8_t)((hl / 4) << 4);
	p[13] = flags;
	be16(p + 14, wnd);
	be16(p + 16, 0);
	be16(p + 18, 0);
	if (olen)
		memcpy(p + 20, opt, olen);
	if (len)
		memcpy(p + hl, data, len);
	be16(p + 16, ref_csum(p, hl + len, ref_pseudo(src, dst, 6, hl + len)));
	return hl + len;
}

/* A segment the stack sent, parsed. */
struct tseg {
	uint32_t src, dst, seq, ack;
	uint16_t sport, dport, wnd;
	uint8_t flags;
	size_t hl, len; /* header with options; data */
	const uint8_t *opt, *data;
	bool has_mss, has_ws, sack_ok, has_ts;
	uint16_t mss;
	uint8_t ws;
	uint32_t tsval, tsecr;
	unsigned nsack;
	uint32_t sack[4][2];
	bool csum_ok;
};

/* Parse frame f (Ethernet + IPv4 + TCP); false if it is not TCP. */
__attribute__((unused)) static bool get_tcp(const uint8_t *f, size_t n, struct tseg *s)
{
	const uint8_t *ip = f + 14, *t;
	size_t ihl, total;

	memset(s, 0, sizeof(*s));
	if (n < 54 || rd16(f + 12) != 0x0800 || ip[9] != 6)
		return false;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	total = rd16(ip + 2);
	t = ip + ihl;
	s->src = rd32(ip + 12);
	s->dst = rd32(ip + 16);
	s->sport = rd16(t);
	s->dport = rd16(t + 2);
	s->seq = rd32(t + 4);
	s->ack = rd32(t + 8);
	s->hl = (size_t)(t[12] >> 4) * 4;
	s->flags = t[13];
	s->wnd = rd16(t + 14);
	s->len = total - ihl - s->hl;
	s->opt = t + 20;
	s->data = t + s->hl;
	s->csum_ok = ref_csum(t, total - ihl, ref_pseudo(s->src, s->dst, 6, total - ihl)) == 0;
	for (size_t i = 20; i < s->hl;) {
		uint8_t k = t[i];

		if (k == 0)
			break;
		if (k == 1) {
			i++;
			continue;
		}
		if (k == 2)
			s->has_mss = true, s->mss = rd16(t + i + 2);
		if (k == 3)
			s->has_ws = true, s->ws = t[i + 2];
		if (k == 4)
			s->sack_ok = true;
		if (k == 8)
			s->has_ts = true, s->tsval = rd32(t + i + 2), s->tsecr = rd32(t + i + 6);
		if (k == 5)
			for (unsigned b = 0; b < (t[i + 1] - 2u) / 8 && b < 4; b++) {
				s->sack[b][0] = rd32(t + i + 2 + 8 * b);
				s->sack[b][1] = rd32(t + i + 6 + 8 * b);
				s->nsack = b + 1;
			}
		i += t[i + 1];
	}
	return true;
}

/* ---- two stacks on a simulated wire ------------------------------------- */

#define IP_A NET_IP(10, 0, 0, 1)
#define IP_B NET_IP(10, 0, 0, 2)

struct wpkt {
	uint64_t at, order;
	int to;
	size_t len;
	uint8_t *data;
};

struct wire {
	struct netif nif[2];
	struct dev dev[2];
	struct wpkt *q;
	size_t n, cap;
	uint64_t latency_ns, order, rng;
	unsigned loss_pm, dup_pm, reorder_pm; /* per mille */
	size_t dropped, duplicated, reordered, carried;
	size_t max_frame; /* longest frame seen */
	uint64_t now;
};

__attribute__((unused)) static uint32_t wire_rand(struct wire *w)
{
	w->rng = w->rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(w->rng >> 33);
}

/* Stacks A (10.0.0.1) and B (10.0.0.2) on one /24, TIME-WAIT msl_ns. */
__attribute__((unused)) static void wire_init(struct wire *w, uint64_t latency_ns, uint64_t msl_ns,
					      size_t mem_max)
{
	static const uint8_t mac[2][6] = { { 2, 0, 0, 0, 0, 0xa }, { 2, 0, 0, 0, 0, 0xb } };

	memset(w, 0, sizeof(*w));
	w->latency_ns = latency_ns;
	w->rng = 12345;
	w->now = T0;
	for (int i = 0; i < 2; i++) {
		struct net_config cfg = { .addr = i ? IP_B : IP_A,
					  .prefix_len = 24,
					  .seed = 77u + (uint32_t)i,
					  .tcp_msl_ns = msl_ns,
					  .tcp_mem_max = mem_max,
					  .transmit = dev_transmit,
					  .dev = &w->dev[i] };

		memcpy(cfg.mac, mac[i], 6);
		if (net_init(&w->nif[i], &cfg, T0) != 0) {
			printf("FAIL wire_init: net_init refused\n");
			exit(1);
		}
	}
}

__attribute__((unused)) static void wire_push(struct wire *w, int to, const uint8_t *f, size_t len,
					      uint64_t at)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 256;
		w->q = realloc(w->q, w->cap * sizeof(*w->q));
	}
	w->q[w->n].at = at;
	w->q[w->n].order = w->order++;
	w->q[w->n].to = to;
	w->q[w->n].len = len;
	w->q[w->n].data = malloc(len);
	memcpy(w->q[w->n].data, f, len);
	w->n++;
}

/* What each stack transmitted goes on the wire, with loss, duplication
 * and reordering (an extra delay of up to three latencies). Only TCP
 * frames are lost or disturbed: ARP is left alone. */
__attribute__((unused)) static void wire_collect(struct wire *w)
{
	for (int i = 0; i < 2; i++) {
		struct dev *d = &w->dev[i];

		for (size_t k = 0; k < d->n; k++) {
			bool tcp = d->len[k] > 34 && rd16(d->frame[k] + 12) == 0x0800 &&
				   d->frame[k][23] == 6;
			uint64_t at = w->now + w->latency_ns;

			if (d->len[k] > w->max_frame)
				w->max_frame = d->len[k];
			if (tcp && wire_rand(w) % 1000 < w->loss_pm) {
				w->dropped++;
			} else {
				if (tcp && wire_rand(w) % 1000 < w->reorder_pm) {
					at += wire_rand(w) % (3 * w->latency_ns + 1);
					w->reordered++;
				}
				wire_push(w, !i, d->frame[k], d->len[k], at);
				if (tcp && wire_rand(w) % 1000 < w->dup_pm) {
					wire_push(w, !i, d->frame[k], d->len[k],
						  at + wire_rand(w) % (w->latency_ns + 1));
					w->duplicated++;
				}
			}
			free(d->frame[k]);
		}
		d->n = 0;
	}
}

/* Run until step(ctx, w) returns true (then true) or the clock passes
 * limit_ns from now or nothing is left to happen (then false). step is
 * called after every event; it may call the stacks (with w->now). */
__attribute__((unused)) static bool wire_run(struct wire *w, uint64_t limit_ns,
					     bool (*step)(void *ctx, struct wire *w), void *ctx)
{
	uint64_t end = w->now + limit_ns;

	for (;;) {
		uint64_t next = NET_NO_DEADLINE;
		size_t first = (size_t)-1;

		wire_collect(w);
		for (int i = 0; i < 2; i++) {
			uint64_t t = net_tick(&w->nif[i], w->now);

			next = NET_MIN(next, t);
		}
		wire_collect(w);
		if (step && step(ctx, w))
			return true;
		wire_collect(w);
		for (size_t k = 0; k < w->n; k++)
			if (first == (size_t)-1 || w->q[k].at < w->q[first].at ||
			    (w->q[k].at == w->q[first].at && w->q[k].order < w->q[first].order))
				first = k;
		if (first != (size_t)-1)
			next = NET_MIN(next, w->q[first].at);
		if (next == NET_NO_DEADLINE || next > end) {
			w->now = NET_MAX(w->now, end);
			return false;
		}
		if (next > w->now)
			w->now = next;
		if (first != (size_t)-1 && w->q[first].at <= w->now) {
			struct wpkt p = w->q[first];

			w->q[first] = w->q[--w->n];
			net_input(&w->nif[p.to], p.data, p.len, w->now);
			w->carried++;
			free(p.data);
		}
	}
}

/* Advance the clock by ns, running everything on the way. */
__attribute__((unused)) static void wire_wait(struct wire *w, uint64_t ns)
{
	wire_run(w, ns, NULL, NULL);
}

__attribute__((unused)) static void wire_free(struct wire *w)
{
	for (size_t k = 0; k < w->n; k++)
		free(w->q[k].data);
	free(w->q);
	w->q = NULL;
	w->n = 0;
	for (int i = 0; i < 2; i++) {
		net_shutdown(&w->nif[i]);
		dev_clear(&w->dev[i]);
	}
}

#endif
