/*
 * tcp_input.c — segments in: header checks, the pcb a segment belongs
 * to, and the state machine of RFC 9293 3.10.7 with RFC 5961's
 * defences and RFC 7323's PAWS.
 *
 * Checks in order, each with its counter: at least 20 bytes (tcp_short),
 * data offset within the segment (tcp_hlen), checksum (tcp_checksum), a
 * unicast destination (tcp_bcast: TCP has no broadcast, RFC 1122
 * 4.2.3.10), well-formed options (tcp_opt_bad). Then the pcb: a
 * connection by its 4-tuple, else a listener by port, else a reset
 * answers (tcp_no_pcb).
 *
 * On a synchronized connection (RFC 9293 3.10.7.4), in this order:
 * PAWS (tcp_paws: timestamp older than the last one seen, answered with
 * an ACK); the sequence check (tcp_seq_bad, answered with an ACK;
 * resets out of the window are dropped silently, tcp_rst_ignored); a
 * reset exactly at rcv_nxt ends the connection, one elsewhere in the
 * window gets a challenge ACK (tcp_rst_challenge, RFC 5961 3.2); any SYN
 * gets a challenge ACK (tcp_syn_challenge, RFC 5961 4.2); a segment
 * without ACK is dropped (tcp_no_ack); an ACK for data never sent or
 * older than the largest window gets a challenge ACK (tcp_ack_bad, RFC
 * 5961 5.2). Then the ACK, the window, the data (in order into the
 * receive ring, early data beside it, tcp_ooo_full when no range is
 * left), and the FIN. Urgent data is not supported: the urgent pointer
 * is ignored and the bytes arrive inline.
 */
#include "bytes.h"
#include "checksum.h"
#include "net.h"
#include "tcp_int.h"

/* RFC 9293 3.10.7.4's four cases. A window of zero still admits a
 * segment at rcv_nxt, whose data is then trimmed, so its ACK and window
 * count (the allowance the RFC asks for, and how probes get answered). */
static bool acceptable(const struct tcp_pcb *pcb, const struct tcp_seg *seg, uint32_t wnd)
{
	uint32_t len = (seg->flags & TCP_RST) ? 0 : seg_seqlen(seg);
	uint32_t nxt = pcb->rcv_nxt;

	if (wnd == 0)
		return seg->seq == nxt;
	if (len == 0)
		return SEQ_IN(seg->seq, nxt, nxt + wnd);
	return SEQ_IN(seg->seq, nxt, nxt + wnd) || SEQ_IN(seg->seq + len - 1, nxt, nxt + wnd);
}

static uint32_t rcv_space(const struct tcp_pcb *pcb)
{
	if (!pcb->rcv.buf)
		return 0;
	return (pcb->flags & TF_SHUT_RD) ? pcb->rcv.size - pcb->rcv.len
					 : tcp_ring_free_space(&pcb->rcv);
}

/* Options from the peer's SYN, against what ours offered. */
static void syn_options(struct tcp_pcb *pcb, const struct tcp_opts *o, uint64_t now)
{
	pcb->peer_mss = o->has_mss ? NET_MAX(o->mss, NET_TCP_MSS_MIN) : NET_TCP_MSS_DEFAULT;
	if (o->has_ws) {
		pcb->snd_scale = o->wscale;
	} else {
		pcb->snd_scale = 0;
		pcb->rcv_scale = 0;
	}
	if (o->sack_ok)
		pcb->flags |= TF_SACK_OK;
	if (o->has_ts) {
		pcb->flags |= TF_TS_OK;
		pcb->ts_recent = o->tsval;
		pcb->ts_recent_age = now;
	}
}

static void established(struct tcp_pcb *pcb, const struct tcp_seg *seg, uint64_t now)
{
	pcb->snd_una = seg->ack;
	if (SEQ_LT(pcb->snd_nxt, pcb->snd_una))
		pcb->snd_nxt = pcb->snd_una;
	pcb->snd_wl1 = seg->seq;
	pcb->snd_wl2 = seg->ack;
	if (pcb->backoff == 0) /* Karn: the SYN was not sent twice */
		tcp_rtt_update(&pcb->rtt, now - pcb->syn_sent_at, NET_TCP_RTO_MIN_NS,
			       NET_TCP_RTO_MAX_NS);
	pcb->backoff = 0;
	pcb->rexmt_at = 0;
	pcb->flags |= TF_CONNECTED;
	tcp_cc_init(pcb, now);
	pcb->state = (pcb->flags & TF_FIN_QUEUED) ? TCP_FIN_WAIT_1 : TCP_ESTABLISHED;
	tcp_keepalive_reset(pcb, now);
}

/* RFC 9293 3.10.7.3. */
static void syn_sent_input(struct tcp_pcb *pcb, struct tcp_seg *seg, uint64_t now)
{
	struct netif *nif = pcb->nif;

	if ((seg->flags & TCP_ACK) &&
	    (SEQ_LEQ(seg->ack, pcb->iss) || SEQ_GT(seg->ack, pcb->snd_max))) {
		nif->stats.tcp_synsent_bad++;
		tcp_reset_reply(nif, seg, now);
		return;
	}
	if (seg->flags & TCP_RST) {
		/* RFC 5961 3.2: only a reset that acknowledges our SYN. */
		if (seg->flags & TCP_ACK) {
			nif->stats.tcp_rst_rx++;
			tcp_drop(pcb, NET_ECONNREFUSED);
		} else {
			nif->stats.tcp_synsent_bad++;
		}
		return;
	}
	if (!(seg->flags & TCP_SYN)) {
		nif->stats.tcp_synsent_bad++;
		return;
	}
	pcb->irs = seg->seq;
	pcb->rcv_nxt = pcb->last_ack_sent = seg->seq + 1;
	pcb->rcv_adv = pcb->rcv_nxt;
	syn_options(pcb, &seg->opt, now);
	/* The window of a SYN is never scaled (RFC 7323 2.2). */
	pcb->snd_wnd = pcb->max_snd_wnd = seg->wnd;
	if (seg->flags & TCP_ACK) {
		established(pcb, seg, now);
		pcb->flags |= TF_ACK_NOW;
		tcp_output(pcb, now);
		return;
	}
	/* Simultaneous open: our SYN crossed theirs. */
	pcb->state = TCP_SYN_RECEIVED;
	pcb->snd_wl1 = seg->seq;
	pcb->snd_wl2 = pcb->iss;
	tcp_send_syn(pcb, now);
}

/* The peer's FIN, in order. */
static void fin_in_order(struct tcp_pcb *pcb, uint64_t now)
{
	pcb->rcv_nxt++;
	pcb->flags |= TF_RCV_FIN | TF_ACK_NOW;
	pcb->flags &= ~TF_FIN_OOO;
	switch (pcb->state) {
	case TCP_ESTABLISHED:
		tcp_set_state(pcb, TCP_CLOSE_WAIT, now);
		break;
	case TCP_FIN_WAIT_1:
		tcp_set_state(pcb, TCP_CLOSING, now);
		break;
	case TCP_FIN_WAIT_2:
		tcp_set_state(pcb, TCP_TIME_WAIT, now);
		tcp_send_ack(pcb, now); /* tcp_output sends nothing in TIME-WAIT */
		break;
	default:
		break;
	}
}

/* Data and FIN of an acceptable segment. Returns false when the pcb was
 * freed. */
static bool receive(struct tcp_pcb *pcb, const struct tcp_seg *seg, uint64_t now)
{
	struct netif *nif = pcb->nif;
	const uint8_t *data = seg->data;
	uint32_t seq = seg->seq, len = seg->len, wnd, off;
	bool fin = seg->flags & TCP_FIN;

	if (pcb->state != TCP_ESTABLISHED && pcb->state != TCP_FIN_WAIT_1 &&
	    pcb->state != TCP_FIN_WAIT_2) {
		/* The peer's FIN came already: what follows it is bogus. */
		if (len)
			nif->stats.tcp_data_after_fin++;
		pcb->flags |= TF_ACK_NOW;
		return true;
	}
	if ((pcb->flags & TF_USER_CLOSED) && len && SEQ_GT(seq + len, pcb->rcv_nxt)) {
		/* Nobody will read it (RFC 9293 3.10.4, as Linux). */
		nif->stats.tcp_data_closed++;
		tcp_send_rst_pcb(pcb, now);
		return !tcp_drop(pcb, 0);
	}
	if (SEQ_LT(seq, pcb->rcv_nxt)) {
		uint32_t skip = pcb->rcv_nxt - seq;

		if (skip >= len) {
			if (skip > len)
				fin = false; /* that FIN was taken before */
			len = 0;
		} else {
			data += skip;
			len -= skip;
		}
		seq = pcb->rcv_nxt;
		pcb->flags |= TF_ACK_NOW;
	}
	wnd = rcv_space(pcb);
	off = seq - pcb->rcv_nxt;
	if ((uint64_t)off + len > wnd) {
		len = wnd > off ? wnd - off : 0;
		fin = false;
		pcb->flags |= TF_ACK_NOW;
	}
	if (len > pcb->rcv_mss)
		pcb->rcv_mss = len;
	if (len && off == 0) {
		tcp_ring_put(&pcb->rcv, pcb->rcv.len, data, len);
		pcb->rcv.len += len;
		pcb->rcv_nxt += len;
		if (pcb->ooo_n) {
			uint32_t gained = tcp_ooo_take(pcb);

			pcb->rcv.len += gained;
			pcb->rcv_nxt += gained;
			pcb->flags |= TF_ACK_NOW; /* RFC 5681 4.2: a hole filled */
		}
		/* Delayed ACK: at least every second full-sized segment. */
		if (pcb->rcv_nxt - pcb->last_ack_sent >= 2 * pcb->rcv_mss)
			pcb->flags |= TF_ACK_NOW;
		else if (!pcb->delack_at)
			pcb->delack_at = now + NET_TCP_DELACK_NS;
	} else if (len) {
		tcp_ring_put(&pcb->rcv, pcb->rcv.len + off, data, len);
		if (tcp_ooo_add(pcb, seq, seq + len))
			nif->stats.tcp_ooo_rx++;
		else
			nif->stats.tcp_ooo_full++;
		pcb->flags |= TF_ACK_NOW; /* a duplicate ACK, with SACK blocks */
	}
	if (fin) {
		uint32_t fseq = seq + len;

		if (fseq == pcb->rcv_nxt) {
			fin_in_order(pcb, now);
		} else if (SEQ_GT(fseq, pcb->rcv_nxt)) {
			pcb->rcv_fin_seq = fseq;
			pcb->flags |= TF_FIN_OOO | TF_ACK_NOW;
		}
	} else if ((pcb->flags & TF_FIN_OOO) && pcb->rcv_fin_seq == pcb->rcv_nxt) {
		fin_in_order(pcb, now);
	}
	if ((pcb->flags & TF_SHUT_RD) && pcb->rcv.buf)
		tcp_ring_consume(&pcb->rcv, pcb->rcv.len);
	return true;
}

/* The ACK field and the window. Returns false when the pcb was freed. */
static bool process_ack(struct tcp_pcb *pcb, const struct tcp_seg *seg, uint64_t now)
{
	struct netif *nif = pcb->nif;
	uint32_t ack = seg->ack, wnd = (uint32_t)seg->wnd << pcb->snd_scale;
	bool fin_acked = false;

	if (SEQ_GT(ack, pcb->snd_una)) {
		uint32_t acked = ack - pcb->snd_una;

		if (acked > pcb->snd.len && (pcb->flags & TF_FIN_QUEUED))
			fin_acked = true;
		tcp_ring_consume(&pcb->snd, NET_MIN(acked, pcb->snd.len));
		pcb->snd_una = ack;
		if (SEQ_LT(pcb->snd_nxt, ack))
			pcb->snd_nxt = ack;
		if ((pcb->flags & TF_TS_OK) && seg->opt.has_ts && seg->opt.tsecr) {
			int32_t ms = (int32_t)(tcp_ts_now(now) + pcb->ts_offset - seg->opt.tsecr);

			if (ms >= 0)
				tcp_rtt_update(&pcb->rtt, (uint64_t)ms * 1000000u + 1,
					       NET_TCP_RTO_MIN_NS, NET_TCP_RTO_MAX_NS);
		} else if ((pcb->flags & TF_RTT_TIMING) && SEQ_GT(ack, pcb->rtt_seq)) {
			tcp_rtt_update(&pcb->rtt, now - pcb->rtt_start, NET_TCP_RTO_MIN_NS,
				       NET_TCP_RTO_MAX_NS);
			pcb->flags &= ~TF_RTT_TIMING;
		}
		pcb->backoff = 0;
		tcp_cc_ack(pcb, acked, now);
		tcp_ack_timers(pcb, now);
	} else if (ack == pcb->snd_una && seg->len == 0 && !(seg->flags & (TCP_SYN | TCP_FIN)) &&
		   wnd == pcb->snd_wnd && pcb->snd_max != pcb->snd_una) {
		nif->stats.tcp_dupack_rx++;
		tcp_cc_dupack(pcb, now);
	}
	if (SEQ_LT(pcb->snd_wl1, seg->seq) ||
	    (pcb->snd_wl1 == seg->seq && SEQ_LEQ(pcb->snd_wl2, ack))) {
		pcb->snd_wnd = wnd;
		pcb->snd_wl1 = seg->seq;
		pcb->snd_wl2 = ack;
		pcb->max_snd_wnd = NET_MAX(pcb->max_snd_wnd, wnd);
		if (wnd) {
			pcb->persist_at = 0;
			pcb->persist_shift = 0;
		}
	}
	if (fin_acked) {
		switch (pcb->state) {
		case TCP_FIN_WAIT_1:
			tcp_set_state(pcb, TCP_FIN_WAIT_2, now);
			break;
		case TCP_CLOSING:
			tcp_set_state(pcb, TCP_TIME_WAIT, now);
			break;
		case TCP_LAST_ACK:
			return !tcp_drop(pcb, 0);
		default:
			break;
		}
	}
	return true;
}

bool tcp_input_sync(struct tcp_pcb *pcb, struct tcp_seg *seg, uint64_t now)
{
	struct netif *nif = pcb->nif;

	if (pcb->state == TCP_SYN_RECEIVED && (seg->flags & TCP_SYN) && seg->seq == pcb->irs &&
	    !(seg->flags & TCP_RST)) {
		if (!(seg->flags & TCP_ACK)) {
			tcp_send_syn(pcb, now); /* their SYN again: our SYN-ACK again */
			return true;
		}
		/* Simultaneous open: their SYN-ACK repeats the SYN we have. */
		seg->seq++;
		seg->flags &= (uint8_t)~TCP_SYN;
	}
	if ((pcb->flags & TF_TS_OK) && seg->opt.has_ts && !(seg->flags & TCP_RST) &&
	    SEQ_LT(seg->opt.tsval, pcb->ts_recent)) {
		if (now - pcb->ts_recent_age <= TCP_PAWS_IDLE_NS) {
			nif->stats.tcp_paws++;
			tcp_send_ack(pcb, now);
			return true;
		}
		pcb->ts_recent = seg->opt.tsval; /* RFC 7323 5.5: ts_recent too old to trust */
	}
	if (!acceptable(pcb, seg, rcv_space(pcb))) {
		if (seg->flags & TCP_RST) {
			nif->stats.tcp_rst_ignored++;
			return true;
		}
		nif->stats.tcp_seq_bad++;
		if (pcb->state == TCP_TIME_WAIT && (seg->flags & TCP_FIN))
			pcb->close_at = now + 2 * nif->tcp.msl_ns; /* their FIN again */
		tcp_send_ack(pcb, now);
		return true;
	}
	if (seg->flags & TCP_RST) {
		int err = 0;

		if (seg->seq != pcb->rcv_nxt) {
			nif->stats.tcp_rst_challenge++;
			tcp_send_challenge_ack(pcb, now);
			return true;
		}
		nif->stats.tcp_rst_rx++;
		if (pcb->state == TCP_SYN_RECEIVED)
			err = NET_ECONNREFUSED;
		else if (pcb->state == TCP_CLOSE_WAIT)
			err = NET_EPIPE; /* as Linux: the peer had already closed */
		else if (pcb->state <= TCP_CLOSE_WAIT)
			err = NET_ECONNRESET;
		return !tcp_drop(pcb, err);
	}
	if ((pcb->flags & TF_TS_OK) && seg->opt.has_ts && SEQ_LEQ(seg->seq, pcb->last_ack_sent)) {
		pcb->ts_recent = seg->opt.tsval;
		pcb->ts_recent_age = now;
	}
	if (seg->flags & TCP_SYN) {
		nif->stats.tcp_syn_challenge++;
		tcp_send_challenge_ack(pcb, now);
		return true;
	}
	if (!(seg->flags & TCP_ACK)) {
		nif->stats.tcp_no_ack++;
		return true;
	}
	tcp_keepalive_reset(pcb, now);
	if (pcb->state == TCP_SYN_RECEIVED) {
		if (!SEQ_GT(seg->ack, pcb->snd_una) || SEQ_GT(seg->ack, pcb->snd_max)) {
			nif->stats.tcp_ack_bad++;
			tcp_reset_reply(nif, seg, now);
			return true;
		}
		established(pcb, seg, now);
		pcb->snd_wnd = pcb->max_snd_wnd = (uint32_t)seg->wnd << pcb->snd_scale;
	}
	if (SEQ_GT(seg->ack, pcb->snd_max) || SEQ_LT(seg->ack, pcb->snd_una - pcb->max_snd_wnd)) {
		nif->stats.tcp_ack_bad++;
		tcp_send_challenge_ack(pcb, now);
		return true;
	}
	if (!process_ack(pcb, seg, now))
		return false;
	if ((seg->len || (seg->flags & TCP_FIN) || (pcb->flags & TF_FIN_OOO)) &&
	    !receive(pcb, seg, now))
		return false;
	tcp_output(pcb, now);
	return true;
}

void tcp_input(struct netif *nif, const struct ip_rx *rx, uint64_t now)
{
	const uint8_t *p = rx->payload;
	struct tcp_pcb *pcb;
	struct tcp_seg seg;
	size_t hl;

	if (rx->len < TCP_HLEN) {
		nif->stats.tcp_short++;
		return;
	}
	hl = (size_t)(p[12] >> 4) * 4;
	if (hl < TCP_HLEN || hl > rx->len) {
		nif->stats.tcp_hlen++;
		return;
	}
	if (csum_fold(csum_add(csum_pseudo(rx->src, rx->dst, IP_PROTO_TCP, (uint16_t)rx->len), p,
			       rx->len)) != 0) {
		nif->stats.tcp_checksum++;
		return;
	}
	if (rx->bcast) {
		nif->stats.tcp_bcast++;
		return;
	}
	seg.src = rx->src;
	seg.dst = rx->dst;
	seg.sport = get_be16(p);
	seg.dport = get_be16(p + 2);
	seg.seq = get_be32(p + 4);
	seg.ack = get_be32(p + 8);
	seg.flags = p[13] & 0x3f;
	seg.wnd = get_be16(p + 14);
	seg.data = p + hl;
	seg.len = (uint32_t)(rx->len - hl);
	if (tcp_opt_parse(p + TCP_HLEN, hl - TCP_HLEN, seg.flags & TCP_SYN, &seg.opt) < 0) {
		nif->stats.tcp_opt_bad++;
		return;
	}
	nif->stats.tcp_rx++;
	pcb = tcp_lookup(nif, &seg);
	if (pcb && pcb->state == TCP_SYN_SENT) {
		syn_sent_input(pcb, &seg, now);
		return;
	}
	if (pcb && pcb->state == TCP_TIME_WAIT &&
	    (seg.flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN &&
	    SEQ_GT(seg.seq, pcb->rcv_nxt) && tcp_lookup_listener(nif, &seg)) {
		/* A new incarnation of the 4-tuple, past the old one's
		 * sequence numbers (RFC 9293 3.6.1): TIME-WAIT gives way. */
		tcp_drop(pcb, 0);
		pcb = NULL;
	}
	if (pcb) {
		tcp_input_sync(pcb, &seg, now);
		return;
	}
	pcb = tcp_lookup_listener(nif, &seg);
	if (pcb) {
		tcp_listen_input(pcb, &seg, now);
		return;
	}
	nif->stats.tcp_no_pcb++;
	tcp_reset_reply(nif, &seg, now);
}
