/*
 * tcp_int.h — what TCP's files share among themselves; nothing here is
 * for the socket layer (that is tcp.h).
 *
 *   tcp_pcb.c     the pcb calls, lookup, memory accounting, release
 *   tcp_input.c   segment checks and the state machine
 *   tcp_listen.c  a listener: SYN queue, SYN-ACKs, the accept queue
 *   tcp_output.c  segments out: data, ACKs, SYNs, resets, probes
 *   tcp_timer.c   RTO estimation and every timer
 *   tcp_cc.c      congestion control (NewReno)
 *   tcp_opt.c     options in and out
 *   tcp_buf.c     byte rings and the out-of-order ranges
 *   tcp_isn.c     initial sequence numbers (SipHash, RFC 6528)
 *   tcp_cookie.c  SYN cookies for a listener whose SYN queue is full
 */
#ifndef PITH_NET_TCP_INT_H
#define PITH_NET_TCP_INT_H

#include "tcp.h"
#include "tcp_seq.h"

/* pcb->flags */
#define TF_USER_CLOSED 0x0001u /* the caller released it: the stack frees it */
#define TF_NODELAY     0x0002u
#define TF_KEEPALIVE   0x0004u
#define TF_ACK_NOW     0x0008u /* an ACK is owed at once */
#define TF_FIN_QUEUED  0x0010u /* shut down for writing: FIN after the data */
#define TF_RCV_FIN     0x0020u /* the peer's FIN arrived (in order) */
#define TF_FIN_OOO     0x0040u /* the peer's FIN came early: at rcv_fin_seq */
#define TF_SHUT_RD     0x0080u
#define TF_SACK_OK     0x0100u /* both sides sent SACK-permitted */
#define TF_TS_OK       0x0200u /* both sides sent timestamps */
#define TF_RECOVERY    0x0400u /* in fast recovery */
#define TF_RTT_TIMING  0x0800u /* rtt_seq is being timed */
#define TF_REUSEADDR   0x1000u
#define TF_CONNECTED   0x2000u /* was synchronized once (poll, errors) */
#define TF_RTO_LOSS    0x4000u /* since the last timeout, nothing new acked */
#define TF_COOKIE_SENT 0x8000u /* a listener sent SYN cookies (at cookie_sent_at) */

#define TCP_TS_LEN	 12 /* NOP NOP TS */
#define TCP_OPT_SPACE	 40
#define TCP_SACK_MAX	 4
#define TCP_WSCALE_MAX	 14
#define TCP_PAWS_IDLE_NS (24ull * 24 * 3600 * NET_NS_PER_SEC) /* RFC 7323 5.5 */

struct tcp_opts {
	bool has_mss, has_ws, sack_ok, has_ts;
	uint16_t mss;
	uint8_t wscale;
	uint32_t tsval, tsecr;
};

/* One segment, parsed: header fields in host order, payload in place. */
struct tcp_seg {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	const uint8_t *data;
	uint32_t len;
	struct tcp_opts opt;
};

static inline uint32_t seg_seqlen(const struct tcp_seg *s)
{
	return s->len + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);
}

static inline bool tcp_synchronized(enum tcp_state s)
{
	return s >= TCP_ESTABLISHED;
}

/* The timestamp clock: milliseconds (RFC 7323 allows 1 ms to 1 s). */
static inline uint32_t tcp_ts_now(uint64_t now)
{
	return (uint32_t)(now / 1000000u);
}

/* tcp_opt.c */
int tcp_opt_parse(const uint8_t *p, size_t len, bool syn, struct tcp_opts *o);
size_t tcp_opt_syn(uint8_t *p, uint16_t mss, int wscale, bool sack, bool ts, uint32_t tsval,
		   uint32_t tsecr);
size_t tcp_opt_ts(uint8_t *p, uint32_t tsval, uint32_t tsecr);
size_t tcp_opt_sack(uint8_t *p, const struct tcp_range *blocks, unsigned n);

/* tcp_buf.c */
int tcp_ring_alloc(struct tcp_ring *r, uint32_t size);
void tcp_ring_free(struct tcp_ring *r);
uint32_t tcp_ring_append(struct tcp_ring *r, const void *data, uint32_t n);
void tcp_ring_put(struct tcp_ring *r, uint32_t off, const void *data, uint32_t n);
void tcp_ring_copy(const struct tcp_ring *r, uint32_t off, void *out, uint32_t n);
void tcp_ring_consume(struct tcp_ring *r, uint32_t n);
static inline uint32_t tcp_ring_free_space(const struct tcp_ring *r)
{
	return r->size - r->len;
}
bool tcp_ooo_add(struct tcp_pcb *pcb, uint32_t start, uint32_t end);
uint32_t tcp_ooo_take(struct tcp_pcb *pcb);
unsigned tcp_sack_blocks(const struct tcp_pcb *pcb, struct tcp_range *out, unsigned max);

/* tcp_pcb.c */
bool tcp_mem_charge(struct netif *nif, struct tcp_pcb *pcb, size_t n);
void tcp_mem_uncharge(struct netif *nif, struct tcp_pcb *pcb, size_t n);
struct tcp_pcb *tcp_pcb_new(struct netif *nif);
int tcp_buffers_alloc(struct tcp_pcb *pcb);
struct tcp_pcb *tcp_lookup(struct netif *nif, const struct tcp_seg *seg);
struct tcp_pcb *tcp_lookup_listener(struct netif *nif, const struct tcp_seg *seg);
/* The connection is over: into TCP_CLOSED with err pending (0: none).
 * Frees the pcb when nobody holds it; returns true when it did. */
bool tcp_drop(struct tcp_pcb *pcb, int err);
void tcp_set_state(struct tcp_pcb *pcb, enum tcp_state s, uint64_t now);
uint16_t tcp_our_mss(struct netif *nif, uint32_t raddr, uint64_t now);
uint8_t tcp_wscale_for(uint32_t rcvbuf);
void tcp_keepalive_reset(struct tcp_pcb *pcb, uint64_t now);

/* tcp_isn.c */
uint64_t tcp_siphash(const uint8_t key[16], const uint8_t *msg, size_t len);
uint32_t tcp_ts_offset(const struct netif *nif, uint32_t laddr, uint16_t lport, uint32_t raddr,
		       uint16_t rport);

/* tcp_cookie.c */
/* The ISN of a SYN-ACK answering the SYN seg from no queue entry. */
uint32_t tcp_cookie_make(const struct netif *nif, const struct tcp_seg *seg, uint16_t peer_mss,
			 uint64_t now);
/* Whether seg's ACK returns a cookie of ours, young enough; *mss as kept. */
bool tcp_cookie_check(const struct netif *nif, const struct tcp_seg *seg, uint64_t now,
		      uint16_t *mss);

/* tcp_listen.c */
void tcp_listen_input(struct tcp_pcb *lis, struct tcp_seg *seg, uint64_t now);
uint64_t tcp_synq_tick(struct tcp_pcb *lis, uint64_t now);
/* Frees a listener's queues (reset: with a RST to each connection). */
void tcp_listen_free(struct tcp_pcb *lis, bool reset, uint64_t now);
void tcp_pcb_free(struct tcp_pcb *pcb);
void tcp_acceptq_remove(struct tcp_pcb *pcb);

/* tcp_input.c */
/* A segment for a synchronized (or SYN-RECEIVED) connection. Returns
 * false when the pcb was freed. */
bool tcp_input_sync(struct tcp_pcb *pcb, struct tcp_seg *seg, uint64_t now);

/* tcp_output.c */
void tcp_output(struct tcp_pcb *pcb, uint64_t now);
void tcp_send_ack(struct tcp_pcb *pcb, uint64_t now);
void tcp_send_challenge_ack(struct tcp_pcb *pcb, uint64_t now);
int tcp_send_syn(struct tcp_pcb *pcb, uint64_t now);
void tcp_send_synack_entry(struct tcp_pcb *lis, const struct tcp_syn_entry *e, uint64_t now);
void tcp_send_rst_pcb(struct tcp_pcb *pcb, uint64_t now);
void tcp_reset_reply(struct netif *nif, const struct tcp_seg *seg, uint64_t now);
void tcp_send_keepalive(struct tcp_pcb *pcb, uint64_t now);
void tcp_send_window_probe(struct tcp_pcb *pcb, uint64_t now);
void tcp_retransmit_first(struct tcp_pcb *pcb, uint64_t now);
uint32_t tcp_send_mss(struct tcp_pcb *pcb, uint64_t now);

/* tcp_timer.c */
void tcp_rexmt_arm(struct tcp_pcb *pcb, uint64_t now);
void tcp_ack_timers(struct tcp_pcb *pcb, uint64_t now);
uint64_t tcp_rto(const struct tcp_pcb *pcb);

/* tcp_cc.c */
void tcp_cc_init(struct tcp_pcb *pcb, uint64_t now);
void tcp_cc_ack(struct tcp_pcb *pcb, uint32_t acked, uint64_t now);
void tcp_cc_dupack(struct tcp_pcb *pcb, uint64_t now);
void tcp_cc_timeout(struct tcp_pcb *pcb);

#endif
