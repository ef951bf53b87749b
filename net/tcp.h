/*
 * tcp.h — the Transmission Control Protocol (RFC 9293) and the calls a
 * socket layer makes on it.
 *
 * A struct tcp_pcb is one endpoint: a connection, a listener, or a
 * socket not yet either. The caller (the socket layer) owns a pcb from
 * tcp_open() until it calls tcp_close() or tcp_abort(); after that the
 * stack finishes the connection (FIN handshake, TIME-WAIT) and frees the
 * pcb itself. A connection that dies under the caller (reset, timeout)
 * stays allocated in TCP_CLOSED with its error pending until closed.
 *
 * Calls (all return -errno on failure, Linux's values, as the socket
 * layer will):
 *   tcp_open      a pcb, or NULL when TCP's memory cap is reached
 *   tcp_bind      to our address or any (0); port 0 picks an ephemeral
 *                 port; -EADDRINUSE, -EADDRNOTAVAIL, -EINVAL
 *   tcp_listen    backlog clamped to 1..NET_TCP_BACKLOG_MAX; binds an
 *                 ephemeral port first if need be
 *   tcp_accept    the oldest established connection (-EAGAIN: none)
 *   tcp_connect   sends a SYN and returns -EINPROGRESS; the pcb polls
 *                 writable when established, ERR when refused or timed
 *                 out (tcp_error() says which); -EISCONN, -EALREADY,
 *                 -ENETUNREACH, -ENOBUFS
 *   tcp_send      copies what fits in the send buffer and returns it
 *                 (-EAGAIN: full, -EPIPE: shut down for writing,
 *                 -ENOTCONN); segments leave as Nagle, the peer's window
 *                 and congestion allow
 *   tcp_recv      copies in-order data (TCP_RECV_PEEK leaves it); 0 at
 *                 end of stream; -EAGAIN when nothing is there yet
 *   tcp_shutdown  TCP_SHUT_RD, TCP_SHUT_WR (a FIN after the data) or both
 *   tcp_close     release the pcb: graceful (FIN), or a reset when
 *                 unread data is left (RFC 2525) or linger is 0; with a
 *                 linger time, a close not finished by then is reset
 *   tcp_abort     release the pcb with a reset at once
 *   tcp_poll      readiness in poll(2)'s bits (TCP_POLL_*)
 *   tcp_error     the pending error (SO_ERROR), positive, then cleared
 *   tcp_setopt    TCP_OPT_*: NODELAY, KEEPALIVE (+ idle, interval,
 *                 count), SNDBUF/RCVBUF (before connect or listen),
 *                 LINGER, REUSEADDR
 *
 * Input (tcp_input, from ipv4.c) and timers (tcp_tick, from net_tick)
 * drive everything else; see docs/net.md for the policies.
 */
#ifndef PITH_NET_TCP_H
#define PITH_NET_TCP_H

#include "net_param.h"
#include "net_sys.h"

#define TCP_HLEN     20
#define TCP_HLEN_MAX 60
#define TCP_FIN	     0x01
#define TCP_SYN	     0x02
#define TCP_RST	     0x04
#define TCP_PSH	     0x08
#define TCP_ACK	     0x10
#define TCP_URG	     0x20

/* poll(2)'s values, so the socket layer passes them through */
#define TCP_POLL_IN    0x0001
#define TCP_POLL_OUT   0x0004
#define TCP_POLL_ERR   0x0008
#define TCP_POLL_HUP   0x0010
#define TCP_POLL_RDHUP 0x2000

#define TCP_SHUT_RD   1u
#define TCP_SHUT_WR   2u
#define TCP_SHUT_RDWR 3u

#define TCP_RECV_PEEK 1u

enum tcp_state {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RECEIVED,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
};

enum tcp_opt {
	TCP_OPT_NODELAY,      /* 0/1: no Nagle */
	TCP_OPT_KEEPALIVE,    /* 0/1 */
	TCP_OPT_KEEPIDLE_MS,  /* idle time before the first probe */
	TCP_OPT_KEEPINTVL_MS, /* between probes */
	TCP_OPT_KEEPCNT,      /* unanswered probes before the connection fails */
	TCP_OPT_SNDBUF,	      /* bytes, NET_TCP_BUF_MIN..NET_TCP_BUF_MAX */
	TCP_OPT_RCVBUF,	      /* bytes, NET_TCP_BUF_MIN..NET_TCP_BUF_MAX */
	TCP_OPT_LINGER,	      /* -1: off; else seconds (0: close resets) */
	TCP_OPT_REUSEADDR,    /* 0/1: bind past connections and TIME-WAIT */
};

/* A byte ring: data [head, head + len) of size bytes. */
struct tcp_ring {
	uint8_t *buf;
	uint32_t size, head, len;
};

/* Out-of-order data held beyond rcv_nxt: [start, end) in sequence space. */
struct tcp_range {
	uint32_t start, end;
};

/* RFC 6298's estimator, in nanoseconds. */
struct tcp_rtt {
	uint64_t srtt, rttvar, rto;
	bool valid; /* a first measurement was made */
};

/* A half-open connection on a listener: a SYN came, our SYN-ACK went. */
struct tcp_syn_entry {
	uint32_t raddr, laddr;
	uint16_t rport, peer_mss;
	uint32_t irs, iss, ts_recent, ts_offset;
	uint16_t peer_wnd;
	uint8_t peer_wscale; /* 0xff: no window scaling */
	bool used, sack_ok, ts_ok;
	uint8_t retries;
	uint64_t born, sent, next_at;
};

struct netif;

struct tcp_pcb {
	struct tcp_pcb *next; /* in nif->tcp.pcbs */
	struct netif *nif;
	enum tcp_state state;
	uint32_t flags; /* TF_* (tcp_int.h) */
	int error;	/* pending, positive errno (SO_ERROR) */
	size_t mem;	/* bytes charged to the TCP cap */

	uint32_t laddr, raddr;
	uint16_t lport, rport;

	/* send side (RFC 9293 3.3.1); snd_max: highest sequence sent */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2;
	uint32_t snd_wnd, max_snd_wnd;
	uint8_t snd_scale, rcv_scale;
	uint16_t peer_mss; /* what the peer's SYN allowed */
	uint32_t smss;	   /* send MSS as last computed (data bytes per segment) */
	struct tcp_ring snd;
	uint32_t sndbuf, rcvbuf; /* sizes the rings get */

	/* receive side */
	uint32_t irs, rcv_nxt, rcv_adv; /* rcv_adv: right edge advertised */
	uint32_t rcv_fin_seq;		/* with TF_FIN_OOO: where the peer's FIN sits */
	uint32_t rcv_mss;		/* largest segment seen: "full-sized" */
	uint32_t last_ack_sent;
	struct tcp_ring rcv;
	struct tcp_range ooo[NET_TCP_OOO_RANGES]; /* sorted, disjoint */
	uint8_t ooo_n, ooo_last;		  /* ranges; the latest changed (SACK) */

	/* timestamps (RFC 7323) */
	uint32_t ts_recent, ts_offset;
	uint64_t ts_recent_age;

	/* retransmission (RFC 6298) and congestion control (RFC 5681, 6582) */
	struct tcp_rtt rtt;
	uint32_t rtt_seq;
	uint64_t rtt_start;
	uint8_t backoff, dupacks, persist_shift, keep_probes;
	uint32_t cwnd, ssthresh, recover, ca_acked;

	/* timers: absolute deadlines, 0 when off */
	uint64_t rexmt_at, persist_at, delack_at, keep_at, close_at;
	uint64_t syn_sent_at;

	/* options */
	uint64_t keepidle, keepintvl;
	uint8_t keepcnt;
	int linger;

	/* a listener's half-open and ready connections */
	struct tcp_syn_entry *synq;
	uint16_t synq_cap, synq_len;
	uint64_t cookie_sent_at; /* the last SYN cookie (with TF_COOKIE_SENT) */
	uint16_t backlog, acceptq_len;
	struct tcp_pcb *acceptq, *acceptq_tail;
	/* a connection waiting in a listener's accept queue */
	struct tcp_pcb *listener, *accept_next;
};

typedef uint32_t (*tcp_isn_fn)(struct netif *nif, uint32_t laddr, uint16_t lport, uint32_t raddr,
			       uint16_t rport, uint64_t now);

struct tcp_table {
	struct tcp_pcb *pcbs;
	size_t mem, mem_max;
	unsigned count;
	uint64_t msl_ns;
	uint16_t next_port;
	uint8_t key[16]; /* RFC 6528's secret */
	tcp_isn_fn isn;	 /* tcp_isn_rfc6528; tests may put another */
	uint64_t challenge_credit, challenge_last;
};

struct ip_rx;

void tcp_init(struct netif *nif, uint32_t seed, uint64_t msl_ns, size_t mem_max, uint64_t now);
void tcp_input(struct netif *nif, const struct ip_rx *rx, uint64_t now);
uint64_t tcp_tick(struct netif *nif, uint64_t now);
void tcp_flush(struct netif *nif);

struct tcp_pcb *tcp_open(struct netif *nif);
int tcp_bind(struct tcp_pcb *pcb, uint32_t addr, uint16_t port);
int tcp_listen(struct tcp_pcb *pcb, int backlog);
int tcp_accept(struct tcp_pcb *lis, struct tcp_pcb **out);
int tcp_connect(struct tcp_pcb *pcb, uint32_t addr, uint16_t port, uint64_t now);
long tcp_send(struct tcp_pcb *pcb, const void *buf, size_t len, uint64_t now);
long tcp_recv(struct tcp_pcb *pcb, void *buf, size_t len, unsigned flags, uint64_t now);
int tcp_shutdown(struct tcp_pcb *pcb, unsigned how, uint64_t now);
void tcp_close(struct tcp_pcb *pcb, uint64_t now);
void tcp_abort(struct tcp_pcb *pcb, uint64_t now);
unsigned tcp_poll(const struct tcp_pcb *pcb);
int tcp_error(struct tcp_pcb *pcb);
int tcp_setopt(struct tcp_pcb *pcb, enum tcp_opt opt, int val);
int tcp_getopt(const struct tcp_pcb *pcb, enum tcp_opt opt, int *val);
/* Bytes readable now, and bytes the send buffer still takes. */
size_t tcp_readable(const struct tcp_pcb *pcb);
size_t tcp_writable(const struct tcp_pcb *pcb);
const char *tcp_state_name(enum tcp_state s);
/* Connections the program closed whose data or FIN is not yet acked. */
bool tcp_closing(const struct netif *nif);

/* RFC 6528: a keyed hash of the 4-tuple plus a 4 µs clock. */
uint32_t tcp_isn_rfc6528(struct netif *nif, uint32_t laddr, uint16_t lport, uint32_t raddr,
			 uint16_t rport, uint64_t now);
/* RFC 6298 2.2/2.3: fold one RTT measurement r (ns) into the estimator;
 * then rto is the timeout, clamped to [min_ns, max_ns]. */
void tcp_rtt_update(struct tcp_rtt *rtt, uint64_t r, uint64_t min_ns, uint64_t max_ns);

#endif
