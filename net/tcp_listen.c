/*
 * tcp_listen.c — a listening endpoint: the SYN queue of half-open
 * connections, their SYN-ACKs, and the accept queue.
 *
 * A SYN costs no allocation: the listener's SYN queue is one array of
 * NET_TCP_SYNQ_MAX entries, charged to the TCP cap once at listen().
 * When it is full, a new SYN is answered with a SYN cookie (tcp_cookie.c)
 * and remembered nowhere: the ACK that returns a valid cookie makes the
 * connection as an entry's would (without window scaling, SACK and
 * timestamps), so a flood of SYNs from forged addresses holds the same
 * memory as one and a legitimate client gets in whatever its rate. ACKs
 * are checked for cookies only while the listener has sent some in the
 * last two cookie periods (as Linux), else they are stray.
 * An entry's SYN-ACK is sent again after 1, 2, 4... s, NET_TCP_SYNACK_
 * RETRIES times, then the entry goes (tcp_synq_timeout).
 *
 * The ACK that completes the handshake makes a full pcb, if the accept
 * queue has room (else the ACK is dropped and the entry kept, as Linux
 * does: tcp_acceptq_full) and the TCP cap allows (tcp_mem_refused). The
 * pcb is established at once and waits in the accept queue; data that
 * comes before accept() is buffered.
 */
#include "net.h"
#include "tcp_int.h"

static struct tcp_syn_entry *synq_find(struct tcp_pcb *lis, const struct tcp_seg *seg)
{
	for (unsigned i = 0; i < lis->synq_cap; i++) {
		struct tcp_syn_entry *e = &lis->synq[i];

		if (e->used && e->rport == seg->sport && e->raddr == seg->src &&
		    e->laddr == seg->dst)
			return e;
	}
	return NULL;
}

static void synq_remove(struct tcp_pcb *lis, struct tcp_syn_entry *e)
{
	memset(e, 0, sizeof(*e));
	lis->synq_len--;
}

/* A free entry, or NULL when the queue is full. */
static struct tcp_syn_entry *synq_slot(struct tcp_pcb *lis)
{
	for (unsigned i = 0; i < lis->synq_cap; i++)
		if (!lis->synq[i].used)
			return &lis->synq[i];
	return NULL;
}

void tcp_acceptq_remove(struct tcp_pcb *pcb)
{
	struct tcp_pcb *lis = pcb->listener, **pp;

	for (pp = &lis->acceptq; *pp; pp = &(*pp)->accept_next)
		if (*pp == pcb) {
			*pp = pcb->accept_next;
			break;
		}
	if (lis->acceptq_tail == pcb) {
		lis->acceptq_tail = NULL;
		for (struct tcp_pcb *p = lis->acceptq; p; p = p->accept_next)
			lis->acceptq_tail = p;
	}
	lis->acceptq_len--;
	pcb->listener = NULL;
	pcb->accept_next = NULL;
}

static void acceptq_add(struct tcp_pcb *lis, struct tcp_pcb *pcb)
{
	pcb->listener = lis;
	pcb->accept_next = NULL;
	if (lis->acceptq_tail)
		lis->acceptq_tail->accept_next = pcb;
	else
		lis->acceptq = pcb;
	lis->acceptq_tail = pcb;
	lis->acceptq_len++;
}

/* The handshake's last ACK: a connection, established, in the accept
 * queue; then the rest of the segment (data, FIN) as for any other. e is
 * a queue entry, or (not used) one rebuilt from a cookie. */
static void promote(struct tcp_pcb *lis, struct tcp_syn_entry *e, struct tcp_seg *seg, uint64_t now)
{
	struct netif *nif = lis->nif;
	struct tcp_pcb *pcb;

	if (lis->acceptq_len >= lis->backlog) {
		nif->stats.tcp_acceptq_full++;
		return;
	}
	pcb = tcp_pcb_new(nif);
	if (!pcb) {
		nif->stats.tcp_mem_refused++;
		return;
	}
	pcb->sndbuf = lis->sndbuf;
	pcb->rcvbuf = lis->rcvbuf;
	pcb->flags = lis->flags & (TF_NODELAY | TF_KEEPALIVE | TF_REUSEADDR);
	pcb->keepidle = lis->keepidle;
	pcb->keepintvl = lis->keepintvl;
	pcb->keepcnt = lis->keepcnt;
	pcb->linger = lis->linger;
	if (tcp_buffers_alloc(pcb) < 0) {
		tcp_pcb_free(pcb);
		return;
	}
	pcb->laddr = e->laddr;
	pcb->lport = lis->lport;
	pcb->raddr = e->raddr;
	pcb->rport = e->rport;
	pcb->iss = e->iss;
	pcb->snd_una = pcb->snd_nxt = pcb->snd_max = e->iss + 1;
	pcb->irs = e->irs;
	pcb->rcv_nxt = pcb->last_ack_sent = e->irs + 1;
	pcb->peer_mss = e->peer_mss;
	if (e->peer_wscale != 0xff) {
		pcb->snd_scale = e->peer_wscale;
		pcb->rcv_scale = tcp_wscale_for(pcb->rcvbuf);
	}
	/* The SYN-ACK offered this much, unscaled. */
	pcb->rcv_adv = pcb->rcv_nxt + NET_MIN(pcb->rcvbuf, 0xffffu);
	if (e->sack_ok)
		pcb->flags |= TF_SACK_OK;
	if (e->ts_ok) {
		pcb->flags |= TF_TS_OK;
		pcb->ts_recent = e->ts_recent;
		pcb->ts_recent_age = now;
		pcb->ts_offset = e->ts_offset;
	}
	pcb->snd_wnd = pcb->max_snd_wnd = (uint32_t)seg->wnd << pcb->snd_scale;
	pcb->snd_wl1 = seg->seq;
	pcb->snd_wl2 = seg->ack;
	if (e->retries == 0)
		tcp_rtt_update(&pcb->rtt, now - e->sent, NET_TCP_RTO_MIN_NS, NET_TCP_RTO_MAX_NS);
	tcp_cc_init(pcb, now);
	pcb->state = TCP_ESTABLISHED;
	pcb->flags |= TF_CONNECTED;
	tcp_keepalive_reset(pcb, now);
	if (e->used)
		synq_remove(lis, e);
	acceptq_add(lis, pcb);
	nif->stats.tcp_passive_open++;
	if (seg->len || (seg->flags & TCP_FIN))
		tcp_input_sync(pcb, seg, now);
}

/* The queue is full: a SYN-ACK whose ISN is a cookie, and no entry. */
static void send_cookie(struct tcp_pcb *lis, const struct tcp_seg *seg, uint64_t now)
{
	struct netif *nif = lis->nif;
	struct tcp_syn_entry e = { .raddr = seg->src,
				   .laddr = seg->dst,
				   .rport = seg->sport,
				   .irs = seg->seq,
				   .peer_wscale = 0xff };

	e.iss = tcp_cookie_make(nif, seg, seg->opt.has_mss ? seg->opt.mss : NET_TCP_MSS_DEFAULT,
				now);
	nif->stats.tcp_syncookie_tx++;
	lis->cookie_sent_at = now;
	lis->flags |= TF_COOKIE_SENT;
	tcp_send_synack_entry(lis, &e, now);
}

/* An ACK with no entry: a cookie's return, if one was sent lately. */
static bool cookie_ack(struct tcp_pcb *lis, struct tcp_seg *seg, uint64_t now)
{
	struct netif *nif = lis->nif;
	struct tcp_syn_entry e = { .raddr = seg->src,
				   .laddr = seg->dst,
				   .rport = seg->sport,
				   .irs = seg->seq - 1,
				   .iss = seg->ack - 1,
				   .peer_wscale = 0xff,
				   .retries = 1 }; /* no RTT sample */

	if (!(lis->flags & TF_COOKIE_SENT) ||
	    now - lis->cookie_sent_at >= 2 * NET_TCP_COOKIE_PERIOD_NS)
		return false;
	if (!tcp_cookie_check(nif, seg, now, &e.peer_mss)) {
		nif->stats.tcp_syncookie_bad++;
		tcp_reset_reply(nif, seg, now);
		return true;
	}
	uint64_t before = nif->stats.tcp_passive_open;
	promote(lis, &e, seg, now);
	if (nif->stats.tcp_passive_open != before)
		nif->stats.tcp_syncookie_ok++;
	return true;
}

static void new_entry(struct tcp_pcb *lis, const struct tcp_seg *seg, uint64_t now)
{
	struct netif *nif = lis->nif;
	struct tcp_syn_entry *e = synq_slot(lis);

	if (!e) {
		send_cookie(lis, seg, now);
		return;
	}
	e->used = true;
	lis->synq_len++;
	e->raddr = seg->src;
	e->laddr = seg->dst;
	e->rport = seg->sport;
	e->irs = seg->seq;
	e->peer_wnd = seg->wnd;
	e->peer_mss = seg->opt.has_mss ? seg->opt.mss : NET_TCP_MSS_DEFAULT;
	e->peer_wscale = seg->opt.has_ws ? seg->opt.wscale : 0xff;
	e->sack_ok = seg->opt.sack_ok;
	e->ts_ok = seg->opt.has_ts;
	e->ts_recent = seg->opt.tsval;
	e->ts_offset = tcp_ts_offset(nif, e->laddr, lis->lport, e->raddr, e->rport);
	e->iss = nif->tcp.isn(nif, e->laddr, lis->lport, e->raddr, e->rport, now);
	e->retries = 0;
	e->born = e->sent = now;
	e->next_at = now + NET_TCP_RTO_INIT_NS;
	tcp_send_synack_entry(lis, e, now);
}

void tcp_listen_input(struct tcp_pcb *lis, struct tcp_seg *seg, uint64_t now)
{
	struct netif *nif = lis->nif;
	struct tcp_syn_entry *e = synq_find(lis, seg);

	if (seg->flags & TCP_RST) {
		/* A reset for our SYN-ACK (RFC 5961: exactly at rcv_nxt). */
		if (e && seg->seq == e->irs + 1) {
			nif->stats.tcp_rst_rx++;
			synq_remove(lis, e);
		} else {
			nif->stats.tcp_listen_drop++;
		}
		return;
	}
	if (e && (seg->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
		if (seg->seq == e->irs) {
			/* Our SYN-ACK was lost: the same SYN again. */
			tcp_send_synack_entry(lis, e, now);
			e->sent = now;
			e->retries = NET_MAX(e->retries, 1); /* Karn: no RTT sample */
			return;
		}
		synq_remove(lis, e); /* a new incarnation of the 4-tuple */
		e = NULL;
	}
	if (e && (seg->flags & (TCP_SYN | TCP_ACK)) == TCP_ACK) {
		if (seg->ack != e->iss + 1) {
			nif->stats.tcp_ack_bad++;
			tcp_reset_reply(nif, seg, now);
			return;
		}
		if (!SEQ_IN(seg->seq, e->irs + 1, e->irs + 1 + NET_MIN(lis->rcvbuf, 0xffffu) + 1)) {
			nif->stats.tcp_seq_bad++;
			return;
		}
		promote(lis, e, seg, now);
		return;
	}
	if ((seg->flags & (TCP_SYN | TCP_ACK)) == TCP_ACK && cookie_ack(lis, seg, now))
		return;
	if (seg->flags & TCP_ACK) {
		/* No half-open connection it could finish (RFC 9293 3.10.7.2). */
		nif->stats.tcp_listen_drop++;
		tcp_reset_reply(nif, seg, now);
		return;
	}
	if (!(seg->flags & TCP_SYN)) {
		nif->stats.tcp_listen_drop++;
		return;
	}
	new_entry(lis, seg, now);
}

uint64_t tcp_synq_tick(struct tcp_pcb *lis, uint64_t now)
{
	uint64_t next = NET_NO_DEADLINE;

	for (unsigned i = 0; i < lis->synq_cap && lis->synq_len; i++) {
		struct tcp_syn_entry *e = &lis->synq[i];

		if (!e->used)
			continue;
		if (e->next_at <= now) {
			if (e->retries >= NET_TCP_SYNACK_RETRIES) {
				lis->nif->stats.tcp_synq_timeout++;
				synq_remove(lis, e);
				continue;
			}
			e->retries++;
			e->sent = now;
			e->next_at = now + (NET_TCP_RTO_INIT_NS << e->retries);
			tcp_send_synack_entry(lis, e, now);
		}
		next = NET_MIN(next, e->next_at);
	}
	return next;
}

void tcp_listen_free(struct tcp_pcb *lis, bool reset, uint64_t now)
{
	size_t qsize = (size_t)lis->synq_cap * sizeof(struct tcp_syn_entry);

	while (lis->acceptq) {
		struct tcp_pcb *pcb = lis->acceptq;

		tcp_acceptq_remove(pcb);
		if (reset)
			tcp_send_rst_pcb(pcb, now);
		pcb->flags |= TF_USER_CLOSED;
		tcp_drop(pcb, 0);
	}
	if (lis->synq) {
		net_free(lis->synq, qsize);
		tcp_mem_uncharge(lis->nif, lis, qsize);
	}
	lis->synq = NULL;
	lis->synq_cap = lis->synq_len = 0;
	lis->state = TCP_CLOSED;
}
