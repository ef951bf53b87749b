/*
 * tcp_cc.c — congestion control: NewReno (RFC 5681, RFC 6582).
 *
 * Initial window per RFC 6928 (ten segments, within 14,600 bytes or two
 * segments); slow start grows cwnd by at most one segment per ACK, then
 * congestion avoidance by one segment per cwnd acknowledged (byte
 * counting, RFC 3465). The third duplicate ACK starts fast retransmit
 * and recovery: ssthresh to half the flight, the first hole resent,
 * cwnd inflated by three segments and one more per duplicate. A partial
 * ACK resends the next hole and deflates (RFC 6582 3.2, 5); the ACK that
 * covers `recover` ends recovery. A timeout sets ssthresh once per loss
 * episode and cwnd to one segment. Only the cumulative ACK is used: the
 * peer's SACK blocks are not yet (RFC 6675 would be the next step).
 */
#include "net.h"
#include "tcp_int.h"

#define CWND_MAX (1u << 30)

static uint32_t flight(const struct tcp_pcb *pcb)
{
	return pcb->snd_max - pcb->snd_una;
}

void tcp_cc_init(struct tcp_pcb *pcb, uint64_t now)
{
	uint32_t mss = tcp_send_mss(pcb, now);

	pcb->smss = mss;
	pcb->cwnd = NET_MIN(10 * mss, NET_MAX(2 * mss, 14600u));
	pcb->ssthresh = CWND_MAX;
	pcb->recover = pcb->snd_una - 1;
	pcb->dupacks = 0;
	pcb->ca_acked = 0;
	pcb->flags &= ~(TF_RECOVERY | TF_RTO_LOSS);
}

void tcp_cc_ack(struct tcp_pcb *pcb, uint32_t acked, uint64_t now)
{
	uint32_t mss = pcb->smss;

	pcb->flags &= ~TF_RTO_LOSS;
	if (pcb->flags & TF_RECOVERY) {
		if (SEQ_GEQ(pcb->snd_una, pcb->recover)) {
			/* Full ACK: out of recovery (RFC 6582 3.2 step 3, option 1). */
			pcb->cwnd = NET_MIN(pcb->ssthresh, NET_MAX(flight(pcb), mss) + mss);
			pcb->flags &= ~TF_RECOVERY;
			pcb->dupacks = 0;
			return;
		}
		/* Partial ACK: the next hole, and deflate by what was acked. */
		tcp_retransmit_first(pcb, now);
		pcb->cwnd = pcb->cwnd > acked ? pcb->cwnd - acked : 0;
		pcb->cwnd += mss;
		return;
	}
	pcb->dupacks = 0;
	if (pcb->cwnd < pcb->ssthresh) {
		pcb->cwnd += NET_MIN(acked, mss);
	} else {
		pcb->ca_acked += acked;
		if (pcb->ca_acked >= pcb->cwnd) {
			pcb->ca_acked -= pcb->cwnd;
			pcb->cwnd += mss;
		}
	}
	pcb->cwnd = NET_MIN(pcb->cwnd, CWND_MAX);
}

void tcp_cc_dupack(struct tcp_pcb *pcb, uint64_t now)
{
	uint32_t mss = pcb->smss;

	if (pcb->dupacks < 255)
		pcb->dupacks++;
	if (pcb->flags & TF_RECOVERY) {
		pcb->cwnd = NET_MIN(pcb->cwnd + mss, CWND_MAX);
		return;
	}
	/* RFC 6582 3.2 step 2: not for duplicates of what an earlier
	 * recovery or timeout already covered. */
	if (pcb->dupacks != 3 || !SEQ_GT(pcb->snd_una, pcb->recover))
		return;
	pcb->ssthresh = NET_MAX(flight(pcb) / 2, 2 * mss);
	pcb->recover = pcb->snd_max;
	pcb->flags |= TF_RECOVERY;
	pcb->nif->stats.tcp_fast_rexmit++;
	tcp_retransmit_first(pcb, now);
	pcb->cwnd = pcb->ssthresh + 3 * mss;
	tcp_rexmt_arm(pcb, now);
}

void tcp_cc_timeout(struct tcp_pcb *pcb)
{
	uint32_t mss = pcb->smss;

	if (!(pcb->flags & TF_RTO_LOSS))
		pcb->ssthresh = NET_MAX(flight(pcb) / 2, 2 * mss);
	pcb->flags |= TF_RTO_LOSS;
	pcb->flags &= ~TF_RECOVERY;
	pcb->cwnd = mss;
	pcb->ca_acked = 0;
	pcb->dupacks = 0;
	pcb->recover = pcb->snd_max;
}
