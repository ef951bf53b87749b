/*
 * tcp_output.c — segments out: data as the windows allow, ACKs (delayed
 * or at once, with SACK blocks when data is out of order), SYN and
 * SYN-ACK with their options, resets, and keepalive and window probes.
 *
 * How much data leaves (RFC 9293 3.8.6, RFC 5681): no more than the
 * smaller of the peer's window and the congestion window beyond what is
 * in flight, in segments of the send MSS — the peer's MSS and the path
 * MTU less 40, less the timestamp option. A short segment waits while
 * data is unacknowledged (Nagle, RFC 896) unless TCP_OPT_NODELAY; one
 * the window cut short waits unless it is half the largest window the
 * peer offered or nothing is in flight (sender SWS avoidance). Every
 * segment has DF set: the path MTU (pmtu.c) sizes them.
 *
 * The window we offer never shrinks, and its right edge moves only by a
 * segment or half the buffer at a time (receiver SWS avoidance).
 */
#include "bytes.h"
#include "checksum.h"
#include "net.h"
#include "tcp_int.h"

/* One segment from src (one of our addresses) to dst; data, if any, from ring at off. */
static int emit(struct netif *nif, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd, const uint8_t *opts,
		size_t olen, const struct tcp_ring *ring, uint32_t off, uint32_t len, uint64_t now)
{
	size_t hl = TCP_HLEN + olen;
	struct pbuf *pb = pbuf_alloc(NET_HEADROOM, hl + len);
	uint8_t *h;

	if (!pb) {
		nif->stats.nomem++;
		return -NET_ENOBUFS;
	}
	h = pb->data;
	put_be16(h, sport);
	put_be16(h + 2, dport);
	put_be32(h + 4, seq);
	put_be32(h + 8, (flags & TCP_ACK) ? ack : 0);
	h[12] = (uint8_t)((hl / 4) << 4);
	h[13] = flags;
	put_be16(h + 14, wnd);
	put_be16(h + 16, 0);
	put_be16(h + 18, 0);
	if (olen)
		memcpy(h + TCP_HLEN, opts, olen);
	if (len)
		tcp_ring_copy(ring, off, h + hl, len);
	put_be16(h + 16,
		 csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_TCP, (uint16_t)(hl + len)), h,
				    hl + len)));
	nif->stats.tcp_tx++;
	if (flags & TCP_RST)
		nif->stats.tcp_rst_tx++;
	return ipv4_output(nif, pb, src, dst, IP_PROTO_TCP, IPV4_DF, now);
}

uint32_t tcp_send_mss(struct tcp_pcb *pcb, uint64_t now)
{
	uint32_t ours = tcp_our_mss(pcb->nif, pcb->raddr, now);
	uint32_t mss = NET_MIN((uint32_t)pcb->peer_mss, ours);

	if (pcb->flags & TF_TS_OK)
		mss -= TCP_TS_LEN;
	return mss;
}

/* The window field to send, and rcv_adv updated to what it offers. */
static uint16_t window_field(struct tcp_pcb *pcb)
{
	uint32_t free, right, wnd, field;

	if (!pcb->rcv.buf)
		return 0;
	free = (pcb->flags & TF_SHUT_RD) ? pcb->rcv.size : tcp_ring_free_space(&pcb->rcv);
	if (SEQ_LT(pcb->rcv_adv, pcb->rcv_nxt))
		pcb->rcv_adv = pcb->rcv_nxt;
	right = pcb->rcv_nxt + free;
	/* Hold the edge unless it moves far enough to be worth a segment. */
	if (SEQ_LT(right, pcb->rcv_adv) ||
	    (right - pcb->rcv_adv < NET_MIN(pcb->rcv.size / 2, pcb->rcv_mss) &&
	     pcb->rcv_adv != pcb->rcv_nxt))
		right = pcb->rcv_adv;
	wnd = NET_MIN(right - pcb->rcv_nxt, (uint32_t)0xffff << pcb->rcv_scale);
	field = wnd >> pcb->rcv_scale;
	if (SEQ_GT(pcb->rcv_nxt + (field << pcb->rcv_scale), pcb->rcv_adv))
		pcb->rcv_adv = pcb->rcv_nxt + (field << pcb->rcv_scale);
	return (uint16_t)field;
}

/* A segment of this connection: data [seq, seq + len) from the send
 * ring (seq at or after snd_una), options as negotiated. */
static int xmit(struct tcp_pcb *pcb, uint32_t seq, uint32_t len, uint8_t flags, uint64_t now)
{
	struct netif *nif = pcb->nif;
	uint32_t tsval = tcp_ts_now(now) + pcb->ts_offset;
	uint8_t opts[TCP_OPT_SPACE];
	size_t olen = 0;
	uint16_t wnd;

	if (flags & TCP_SYN) {
		/* Our SYN offers everything; our SYN-ACK (simultaneous open)
		 * repeats it: what both offered is what is used. */
		olen = tcp_opt_syn(opts, tcp_our_mss(nif, pcb->raddr, now), pcb->rcv_scale, true,
				   true, tsval, (flags & TCP_ACK) ? pcb->ts_recent : 0);
		wnd = (uint16_t)NET_MIN(pcb->rcv.size, 0xffffu);
		if (SEQ_GT(pcb->rcv_nxt + wnd, pcb->rcv_adv))
			pcb->rcv_adv = pcb->rcv_nxt + wnd;
	} else {
		if (pcb->flags & TF_TS_OK)
			olen = tcp_opt_ts(opts, tsval, pcb->ts_recent);
		if ((pcb->flags & TF_SACK_OK) && pcb->ooo_n && len == 0 && !(flags & TCP_RST)) {
			struct tcp_range blocks[TCP_SACK_MAX];
			unsigned n = tcp_sack_blocks(pcb, blocks,
						     (unsigned)((TCP_OPT_SPACE - olen - 4) / 8));

			olen += tcp_opt_sack(opts + olen, blocks, n);
		}
		wnd = window_field(pcb);
	}
	if (flags & TCP_ACK) {
		pcb->last_ack_sent = pcb->rcv_nxt;
		pcb->flags &= ~TF_ACK_NOW;
		pcb->delack_at = 0;
	}
	if (len && SEQ_LT(seq, pcb->snd_max))
		nif->stats.tcp_rexmit++;
	return emit(nif, pcb->laddr, pcb->raddr, pcb->lport, pcb->rport, seq, pcb->rcv_nxt, flags,
		    wnd, opts, olen, &pcb->snd, seq - pcb->snd_una, len, now);
}

int tcp_send_syn(struct tcp_pcb *pcb, uint64_t now)
{
	uint8_t flags = pcb->state == TCP_SYN_RECEIVED ? TCP_SYN | TCP_ACK : TCP_SYN;
	int ret;

	pcb->syn_sent_at = now;
	ret = xmit(pcb, pcb->iss, 0, flags, now);
	pcb->snd_nxt = pcb->iss + 1;
	if (SEQ_GT(pcb->snd_nxt, pcb->snd_max))
		pcb->snd_max = pcb->snd_nxt;
	return ret;
}

void tcp_send_ack(struct tcp_pcb *pcb, uint64_t now)
{
	xmit(pcb, pcb->snd_nxt, 0, TCP_ACK, now);
}

/* RFC 5961 7: challenge ACKs share one token bucket per stack. */
void tcp_send_challenge_ack(struct tcp_pcb *pcb, uint64_t now)
{
	struct tcp_table *t = &pcb->nif->tcp;
	const uint64_t cost = NET_NS_PER_SEC / NET_TCP_CHALLENGE_PER_SEC;
	const uint64_t cap = NET_TCP_CHALLENGE_BURST * cost;

	if (now > t->challenge_last) {
		t->challenge_credit = NET_MIN(cap, t->challenge_credit + (now - t->challenge_last));
		t->challenge_last = now;
	}
	if (t->challenge_credit < cost) {
		pcb->nif->stats.tcp_challenge_limited++;
		return;
	}
	t->challenge_credit -= cost;
	pcb->nif->stats.tcp_challenge_ack_tx++;
	tcp_send_ack(pcb, now);
}

void tcp_send_rst_pcb(struct tcp_pcb *pcb, uint64_t now)
{
	xmit(pcb, pcb->snd_nxt, 0, TCP_RST | TCP_ACK, now);
}

/* RFC 9293 3.10.7.1: the reset that answers a segment nobody takes.
 * Never for a reset. */
void tcp_reset_reply(struct netif *nif, const struct tcp_seg *seg, uint64_t now)
{
	if (seg->flags & TCP_RST)
		return;
	if (seg->flags & TCP_ACK)
		emit(nif, seg->dst, seg->src, seg->dport, seg->sport, seg->ack, 0, TCP_RST, 0, NULL,
		     0, NULL, 0, 0, now);
	else
		emit(nif, seg->dst, seg->src, seg->dport, seg->sport, 0, seg->seq + seg_seqlen(seg),
		     TCP_RST | TCP_ACK, 0, NULL, 0, NULL, 0, 0, now);
}

/* A listener's SYN-ACK: options only as the SYN offered them. */
void tcp_send_synack_entry(struct tcp_pcb *lis, const struct tcp_syn_entry *e, uint64_t now)
{
	struct netif *nif = lis->nif;
	uint8_t opts[TCP_OPT_SPACE];
	size_t olen;
	int ws = e->peer_wscale != 0xff ? tcp_wscale_for(lis->rcvbuf) : -1;

	olen = tcp_opt_syn(opts, tcp_our_mss(nif, e->raddr, now), ws, e->sack_ok, e->ts_ok,
			   tcp_ts_now(now) + e->ts_offset, e->ts_recent);
	emit(nif, e->laddr, e->raddr, lis->lport, e->rport, e->iss, e->irs + 1, TCP_SYN | TCP_ACK,
	     (uint16_t)NET_MIN(lis->rcvbuf, 0xffffu), opts, olen, NULL, 0, 0, now);
}

/* RFC 1122 4.2.3.6: a probe one byte before snd_una, which the peer
 * answers with an ACK. */
void tcp_send_keepalive(struct tcp_pcb *pcb, uint64_t now)
{
	pcb->nif->stats.tcp_keepalive_probe++;
	xmit(pcb, pcb->snd_una - 1, 0, TCP_ACK, now);
}

/* RFC 9293 3.8.6.1: into a zero window, one byte of new data. snd_nxt
 * stays: the byte is sent again, whole segments with it, when the window
 * opens; snd_max covers it so its ACK is acceptable. */
void tcp_send_window_probe(struct tcp_pcb *pcb, uint64_t now)
{
	uint32_t off = pcb->snd_nxt - pcb->snd_una;

	pcb->nif->stats.tcp_persist_probe++;
	if (pcb->snd.len > off) {
		xmit(pcb, pcb->snd_nxt, 1, TCP_ACK, now);
		if (SEQ_GT(pcb->snd_nxt + 1, pcb->snd_max))
			pcb->snd_max = pcb->snd_nxt + 1;
	} else {
		tcp_send_ack(pcb, now);
	}
}

/* Send again the first unacknowledged segment (fast retransmit). */
void tcp_retransmit_first(struct tcp_pcb *pcb, uint64_t now)
{
	uint32_t n = NET_MIN(pcb->snd.len, tcp_send_mss(pcb, now));
	uint32_t outstanding = pcb->snd_max - pcb->snd_una;
	uint8_t flags = TCP_ACK;

	n = NET_MIN(n, outstanding);
	/* The FIN too, when it is all that is left or comes right after. */
	if ((pcb->flags & TF_FIN_QUEUED) && n == pcb->snd.len &&
	    SEQ_GT(pcb->snd_max, pcb->snd_una + n))
		flags |= TCP_FIN;
	if (!n && !(flags & TCP_FIN))
		return;
	pcb->flags &= ~TF_RTT_TIMING; /* Karn */
	pcb->nif->stats.tcp_rexmit++;
	xmit(pcb, pcb->snd_una, n, flags, now);
}

/* Send what may be sent now: data, the FIN, an owed ACK or window
 * update; arm the retransmission or persist timer. */
void tcp_output(struct tcp_pcb *pcb, uint64_t now)
{
	uint32_t mss;

	if (pcb->state < TCP_SYN_RECEIVED || pcb->state == TCP_TIME_WAIT) {
		return;
	}
	if (pcb->state == TCP_SYN_RECEIVED) {
		if (pcb->flags & TF_ACK_NOW)
			tcp_send_ack(pcb, now);
		return;
	}
	mss = pcb->smss = tcp_send_mss(pcb, now);
	for (;;) {
		uint32_t off = pcb->snd_nxt - pcb->snd_una;
		uint32_t avail = pcb->snd.len > off ? pcb->snd.len - off : 0;
		uint32_t flight = pcb->snd_nxt - pcb->snd_una;
		uint32_t win = NET_MIN(pcb->snd_wnd, pcb->cwnd);
		uint32_t usable = win > flight ? win - flight : 0;
		uint32_t n = NET_MIN(NET_MIN(avail, usable), mss);
		/* The FIN goes once all data is in, if not past it already. */
		bool fin = (pcb->flags & TF_FIN_QUEUED) && n == avail &&
			   SEQ_LEQ(pcb->snd_nxt, pcb->snd_una + pcb->snd.len);
		bool unacked = pcb->snd_max != pcb->snd_una;
		uint8_t flags = TCP_ACK;

		if (n == 0 && !fin)
			break;
		if (n && n < mss && !fin) {
			bool nagle_ok = (pcb->flags & TF_NODELAY) || !unacked;

			if (!(n == avail ? nagle_ok : (n >= pcb->max_snd_wnd / 2 || !unacked)))
				break;
		}
		if (n && n == avail)
			flags |= TCP_PSH;
		if (fin)
			flags |= TCP_FIN;
		if (n && !(pcb->flags & TF_RTT_TIMING) && pcb->snd_nxt == pcb->snd_max &&
		    !(pcb->flags & TF_TS_OK)) {
			pcb->flags |= TF_RTT_TIMING;
			pcb->rtt_seq = pcb->snd_nxt;
			pcb->rtt_start = now;
		}
		if (xmit(pcb, pcb->snd_nxt, n, flags, now) == -NET_ENOBUFS)
			break;
		pcb->snd_nxt += n + (fin ? 1 : 0);
		if (SEQ_GT(pcb->snd_nxt, pcb->snd_max))
			pcb->snd_max = pcb->snd_nxt;
		if (!pcb->rexmt_at)
			tcp_rexmt_arm(pcb, now);
		pcb->persist_at = 0;
		if (fin)
			break;
	}
	if (!(pcb->flags & TF_ACK_NOW) && pcb->rcv.buf && !(pcb->flags & TF_RCV_FIN)) {
		/* A window update when reading opened the window enough. */
		uint32_t free = tcp_ring_free_space(&pcb->rcv);
		uint32_t right = pcb->rcv_nxt + free;

		if (SEQ_GT(right, pcb->rcv_adv) &&
		    right - pcb->rcv_adv >= NET_MIN(2 * pcb->rcv_mss, pcb->rcv.size / 2))
			pcb->flags |= TF_ACK_NOW;
	}
	if (pcb->flags & TF_ACK_NOW)
		tcp_send_ack(pcb, now);
	/* Data waits behind a zero window: probe it (RFC 9293 3.8.6.1). */
	if (pcb->snd_wnd == 0 && !pcb->rexmt_at && !pcb->persist_at &&
	    pcb->snd.len > pcb->snd_nxt - pcb->snd_una) {
		uint64_t t = tcp_rto(pcb) << pcb->persist_shift;

		pcb->persist_at = now + NET_MIN(t, NET_TCP_PERSIST_MAX_NS);
	}
}
