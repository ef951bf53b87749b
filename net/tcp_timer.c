/*
 * tcp_timer.c — the retransmission timeout (RFC 6298) and every TCP
 * timer, run from net_tick.
 *
 * Each pcb keeps absolute deadlines (0: off): retransmission, persist,
 * delayed ACK, keepalive, and close_at (TIME-WAIT's 2*MSL, an orphan's
 * FIN-WAIT-2 limit, or the linger time). tcp_tick runs those due and
 * returns the earliest left; a listener's SYN queue has its own
 * (tcp_listen.c).
 *
 * RTO: SRTT and RTTVAR per RFC 6298 with a 1 ms clock granularity (the
 * timestamp clock), at least NET_TCP_RTO_MIN_NS (200 ms, as Linux) and
 * at most NET_TCP_RTO_MAX_NS; each timeout doubles it (backoff) until an
 * ACK for new data. Samples come from timestamps (RFC 7323 4) when both
 * sides use them, else from one timed segment at a time, never a
 * retransmitted one (Karn). A SYN is tried NET_TCP_SYN_RETRIES times
 * more, data NET_TCP_RETRIES times, then the connection fails with
 * ETIMEDOUT (tcp_conn_timeout).
 */
#include "net.h"
#include "tcp_int.h"

#define CLOCK_G_NS 1000000ull

void tcp_rtt_update(struct tcp_rtt *rtt, uint64_t r, uint64_t min_ns, uint64_t max_ns)
{
	uint64_t rto;

	if (!rtt->valid) {
		rtt->srtt = r;
		rtt->rttvar = r / 2;
		rtt->valid = true;
	} else {
		uint64_t delta = rtt->srtt > r ? rtt->srtt - r : r - rtt->srtt;

		rtt->rttvar = (3 * rtt->rttvar + delta) / 4;
		rtt->srtt = (7 * rtt->srtt + r) / 8;
	}
	rto = rtt->srtt + NET_MAX(CLOCK_G_NS, 4 * rtt->rttvar);
	rtt->rto = NET_MIN(NET_MAX(rto, min_ns), max_ns);
}

uint64_t tcp_rto(const struct tcp_pcb *pcb)
{
	return pcb->rtt.rto;
}

void tcp_rexmt_arm(struct tcp_pcb *pcb, uint64_t now)
{
	uint64_t t = pcb->rtt.rto << NET_MIN(pcb->backoff, 16);

	pcb->rexmt_at = now + NET_MIN(t, NET_TCP_RTO_MAX_NS);
}

/* After an ACK for new data: RFC 6298 5.2 and 5.3. */
void tcp_ack_timers(struct tcp_pcb *pcb, uint64_t now)
{
	if (pcb->snd_una == pcb->snd_max)
		pcb->rexmt_at = 0;
	else
		tcp_rexmt_arm(pcb, now);
}

/* The retransmission timer fired. Returns false when the pcb was freed. */
static bool rexmt_expired(struct tcp_pcb *pcb, uint64_t now)
{
	struct netif *nif = pcb->nif;

	pcb->rexmt_at = 0;
	if (pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RECEIVED) {
		if (pcb->backoff >= NET_TCP_SYN_RETRIES) {
			nif->stats.tcp_conn_timeout++;
			return !tcp_drop(pcb, NET_ETIMEDOUT);
		}
		pcb->backoff++;
		nif->stats.tcp_rto++;
		tcp_send_syn(pcb, now);
		tcp_rexmt_arm(pcb, now);
		return true;
	}
	if (pcb->snd_una == pcb->snd_max)
		return true;
	if (pcb->backoff >= NET_TCP_RETRIES) {
		nif->stats.tcp_conn_timeout++;
		return !tcp_drop(pcb, pcb->error ? pcb->error : NET_ETIMEDOUT);
	}
	nif->stats.tcp_rto++;
	tcp_cc_timeout(pcb);
	pcb->backoff++;
	pcb->snd_nxt = pcb->snd_una; /* go back: resend from the first hole */
	pcb->flags &= ~TF_RTT_TIMING;
	tcp_output(pcb, now);
	if (!pcb->rexmt_at && !pcb->persist_at)
		tcp_rexmt_arm(pcb, now);
	return true;
}

static void persist_expired(struct tcp_pcb *pcb, uint64_t now)
{
	uint64_t t;

	pcb->persist_at = 0;
	if (pcb->snd_wnd != 0 || !tcp_synchronized(pcb->state)) {
		tcp_output(pcb, now);
		return;
	}
	tcp_send_window_probe(pcb, now);
	if (pcb->persist_shift < 16)
		pcb->persist_shift++;
	t = tcp_rto(pcb) << pcb->persist_shift;
	pcb->persist_at = now + NET_MIN(t, NET_TCP_PERSIST_MAX_NS);
}

/* Returns false when the pcb was freed. */
static bool keepalive(struct tcp_pcb *pcb, uint64_t now)
{
	if (!(pcb->flags & TF_KEEPALIVE) ||
	    (pcb->state != TCP_ESTABLISHED && pcb->state != TCP_CLOSE_WAIT &&
	     pcb->state != TCP_FIN_WAIT_2)) {
		pcb->keep_at = 0;
		return true;
	}
	if (!pcb->keep_at) {
		pcb->keep_at = now + pcb->keepidle;
		return true;
	}
	if (pcb->keep_at > now)
		return true;
	if (pcb->snd_una != pcb->snd_max) {
		/* Data in flight: the retransmission timer watches the peer. */
		pcb->keep_at = now + pcb->keepidle;
		return true;
	}
	if (pcb->keep_probes >= pcb->keepcnt) {
		pcb->nif->stats.tcp_keepalive_timeout++;
		return !tcp_drop(pcb, NET_ETIMEDOUT);
	}
	tcp_send_keepalive(pcb, now);
	pcb->keep_probes++;
	pcb->keep_at = now + pcb->keepintvl;
	return true;
}

/* Returns the pcb's next deadline, NET_NO_DEADLINE when it has none or
 * was freed. */
static uint64_t pcb_tick(struct tcp_pcb *pcb, uint64_t now)
{
	uint64_t next = NET_NO_DEADLINE;

	if (pcb->state == TCP_LISTEN)
		return tcp_synq_tick(pcb, now);
	if (pcb->state == TCP_CLOSED)
		return NET_NO_DEADLINE;
	if (pcb->close_at && pcb->close_at <= now) {
		if (pcb->state != TCP_TIME_WAIT && pcb->state != TCP_FIN_WAIT_2) {
			/* The linger time ran out with data or our FIN unacked. */
			tcp_send_rst_pcb(pcb, now);
			pcb->nif->stats.tcp_aborted++;
		}
		tcp_drop(pcb, 0);
		return NET_NO_DEADLINE;
	}
	if (pcb->rexmt_at && pcb->rexmt_at <= now && !rexmt_expired(pcb, now))
		return NET_NO_DEADLINE;
	if (pcb->state == TCP_CLOSED)
		return NET_NO_DEADLINE;
	if (pcb->persist_at && pcb->persist_at <= now)
		persist_expired(pcb, now);
	if (pcb->delack_at && pcb->delack_at <= now)
		tcp_send_ack(pcb, now);
	if (!keepalive(pcb, now))
		return NET_NO_DEADLINE;
	if (pcb->state == TCP_CLOSED)
		return NET_NO_DEADLINE;
	if (pcb->rexmt_at)
		next = NET_MIN(next, pcb->rexmt_at);
	if (pcb->persist_at)
		next = NET_MIN(next, pcb->persist_at);
	if (pcb->delack_at)
		next = NET_MIN(next, pcb->delack_at);
	if (pcb->keep_at)
		next = NET_MIN(next, pcb->keep_at);
	if (pcb->close_at)
		next = NET_MIN(next, pcb->close_at);
	return next;
}

uint64_t tcp_tick(struct netif *nif, uint64_t now)
{
	uint64_t next = NET_NO_DEADLINE;
	struct tcp_pcb *pcb = nif->tcp.pcbs, *after;

	for (; pcb; pcb = after) {
		after = pcb->next;		 /* a timer may free pcb, never another */
		uint64_t t = pcb_tick(pcb, now); /* once: NET_MIN evaluates twice */

		next = NET_MIN(next, t);
	}
	return next;
}
