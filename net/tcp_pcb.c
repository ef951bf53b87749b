/*
 * tcp_pcb.c — TCP's endpoints: the calls a socket layer makes (tcp.h),
 * lookup of the pcb a segment belongs to, memory accounting against the
 * TCP cap, and the end of a connection's life.
 *
 * Every pcb, ring and SYN queue is charged to nif->tcp.mem before it is
 * allocated; past mem_max, tcp_open returns NULL, connect and accept
 * get no buffers and new connections are refused (tcp_mem_refused).
 */
#include "net.h"
#include "tcp_int.h"

#define EPHEMERAL_RANGE (NET_TCP_EPHEMERAL_HIGH - NET_TCP_EPHEMERAL_LOW + 1)

void tcp_init(struct netif *nif, uint32_t seed, uint64_t msl_ns, size_t mem_max, uint64_t now)
{
	struct tcp_table *t = &nif->tcp;

	t->pcbs = NULL;
	t->mem = 0;
	t->count = 0;
	t->mem_max = mem_max ? mem_max : NET_TCP_MEM_MAX;
	t->msl_ns = msl_ns ? msl_ns : NET_TCP_MSL_NS;
	t->next_port = (uint16_t)(NET_TCP_EPHEMERAL_LOW + (seed * 2654435761u) % EPHEMERAL_RANGE);
	net_random(t->key, sizeof(t->key));
	t->isn = tcp_isn_rfc6528;
	t->challenge_credit =
		NET_TCP_CHALLENGE_BURST * (NET_NS_PER_SEC / NET_TCP_CHALLENGE_PER_SEC);
	t->challenge_last = now;
}

bool tcp_mem_charge(struct netif *nif, struct tcp_pcb *pcb, size_t n)
{
	if (nif->tcp.mem + n > nif->tcp.mem_max || nif->tcp.mem + n < n)
		return false;
	nif->tcp.mem += n;
	if (pcb)
		pcb->mem += n;
	return true;
}

void tcp_mem_uncharge(struct netif *nif, struct tcp_pcb *pcb, size_t n)
{
	nif->tcp.mem -= n;
	if (pcb)
		pcb->mem -= n;
}

struct tcp_pcb *tcp_pcb_new(struct netif *nif)
{
	struct tcp_pcb *pcb;

	if (!tcp_mem_charge(nif, NULL, sizeof(*pcb)))
		return NULL;
	pcb = net_alloc(sizeof(*pcb));
	if (!pcb) {
		tcp_mem_uncharge(nif, NULL, sizeof(*pcb));
		nif->stats.nomem++;
		return NULL;
	}
	pcb->nif = nif;
	pcb->mem = sizeof(*pcb);
	pcb->state = TCP_CLOSED;
	pcb->sndbuf = NET_TCP_SNDBUF;
	pcb->rcvbuf = NET_TCP_RCVBUF;
	pcb->keepidle = NET_TCP_KEEPIDLE_NS;
	pcb->keepintvl = NET_TCP_KEEPINTVL_NS;
	pcb->keepcnt = NET_TCP_KEEPCNT;
	pcb->linger = -1;
	pcb->rtt.rto = NET_TCP_RTO_INIT_NS;
	pcb->peer_mss = NET_TCP_MSS_DEFAULT;
	pcb->rcv_mss = NET_TCP_MSS_DEFAULT;
	pcb->next = nif->tcp.pcbs;
	nif->tcp.pcbs = pcb;
	nif->tcp.count++;
	return pcb;
}

/* The rings, sized now from the options (charged to the cap). */
int tcp_buffers_alloc(struct tcp_pcb *pcb)
{
	struct netif *nif = pcb->nif;

	if (!tcp_mem_charge(nif, pcb, (size_t)pcb->sndbuf + pcb->rcvbuf)) {
		nif->stats.tcp_mem_refused++;
		return -NET_ENOBUFS;
	}
	if (tcp_ring_alloc(&pcb->snd, pcb->sndbuf) < 0 ||
	    tcp_ring_alloc(&pcb->rcv, pcb->rcvbuf) < 0) {
		tcp_ring_free(&pcb->snd);
		tcp_mem_uncharge(nif, pcb, (size_t)pcb->sndbuf + pcb->rcvbuf);
		nif->stats.nomem++;
		return -NET_ENOBUFS;
	}
	return 0;
}

static void ring_release(struct tcp_pcb *pcb, struct tcp_ring *r)
{
	if (r->buf)
		tcp_mem_uncharge(pcb->nif, pcb, r->size);
	tcp_ring_free(r);
}

static void buffers_free(struct tcp_pcb *pcb)
{
	ring_release(pcb, &pcb->snd);
	ring_release(pcb, &pcb->rcv);
	pcb->ooo_n = 0;
}

void tcp_pcb_free(struct tcp_pcb *pcb)
{
	struct netif *nif = pcb->nif;
	struct tcp_pcb **pp;

	if (pcb->listener)
		tcp_acceptq_remove(pcb);
	buffers_free(pcb);
	for (pp = &nif->tcp.pcbs; *pp; pp = &(*pp)->next)
		if (*pp == pcb) {
			*pp = pcb->next;
			break;
		}
	nif->tcp.count--;
	tcp_mem_uncharge(nif, NULL, pcb->mem);
	net_free(pcb, sizeof(*pcb));
}

/* Nobody will call on this pcb again: not the socket layer (it closed
 * it) and not a listener's accept (it is not queued for one). */
static bool orphan(const struct tcp_pcb *pcb)
{
	return (pcb->flags & TF_USER_CLOSED) || pcb->listener;
}

bool tcp_drop(struct tcp_pcb *pcb, int err)
{
	pcb->state = TCP_CLOSED;
	pcb->rexmt_at = pcb->persist_at = pcb->delack_at = pcb->keep_at = pcb->close_at = 0;
	if (err)
		pcb->error = err;
	if (orphan(pcb)) {
		tcp_pcb_free(pcb);
		return true;
	}
	/* Unread data goes with the connection, as on Linux after a reset. */
	buffers_free(pcb);
	return false;
}

void tcp_set_state(struct tcp_pcb *pcb, enum tcp_state s, uint64_t now)
{
	pcb->state = s;
	switch (s) {
	case TCP_TIME_WAIT:
		/* RFC 9293 3.6: 2*MSL; the rings are of no more use. */
		pcb->rexmt_at = pcb->persist_at = pcb->delack_at = pcb->keep_at = 0;
		pcb->close_at = now + 2 * pcb->nif->tcp.msl_ns;
		ring_release(pcb, &pcb->snd);
		/* Data the program has yet to read stays until it does. */
		if (!pcb->rcv.len || orphan(pcb))
			ring_release(pcb, &pcb->rcv);
		pcb->ooo_n = 0;
		break;
	case TCP_FIN_WAIT_2:
		if (pcb->flags & TF_USER_CLOSED)
			pcb->close_at = now + NET_TCP_FIN_TIMEOUT_NS;
		pcb->persist_at = 0;
		break;
	default:
		break;
	}
}

/* ---- lookup ------------------------------------------------------------ */

struct tcp_pcb *tcp_lookup(struct netif *nif, const struct tcp_seg *seg)
{
	for (struct tcp_pcb *pcb = nif->tcp.pcbs; pcb; pcb = pcb->next)
		if (pcb->state > TCP_LISTEN && pcb->lport == seg->dport &&
		    pcb->rport == seg->sport && pcb->raddr == seg->src && pcb->laddr == seg->dst)
			return pcb;
	return NULL;
}

struct tcp_pcb *tcp_lookup_listener(struct netif *nif, const struct tcp_seg *seg)
{
	for (struct tcp_pcb *pcb = nif->tcp.pcbs; pcb; pcb = pcb->next)
		if (pcb->state == TCP_LISTEN && pcb->lport == seg->dport &&
		    (!pcb->laddr || pcb->laddr == seg->dst))
			return pcb;
	return NULL;
}

/* ---- helpers ------------------------------------------------------------ */

/* The MSS we announce: the path MTU less the IPv4 and TCP headers. */
uint16_t tcp_our_mss(struct netif *nif, uint32_t raddr, uint64_t now)
{
	return (uint16_t)(ipv4_path_mtu(nif, raddr, now) - IP_HLEN - TCP_HLEN);
}

/* The smallest shift that lets a 16-bit field carry the whole buffer. */
uint8_t tcp_wscale_for(uint32_t rcvbuf)
{
	uint8_t s = 0;

	while (s < TCP_WSCALE_MAX && (rcvbuf >> s) > 0xffff)
		s++;
	return s;
}

void tcp_keepalive_reset(struct tcp_pcb *pcb, uint64_t now)
{
	pcb->keep_probes = 0;
	pcb->keep_at = (pcb->flags & TF_KEEPALIVE) && tcp_synchronized(pcb->state)
			       ? now + pcb->keepidle
			       : 0;
}

const char *tcp_state_name(enum tcp_state s)
{
	static const char *const names[] = { "CLOSED",	     "LISTEN",	    "SYN-SENT",
					     "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
					     "FIN-WAIT-2",   "CLOSE-WAIT",  "CLOSING",
					     "LAST-ACK",     "TIME-WAIT" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* ---- the calls ---------------------------------------------------------- */

struct tcp_pcb *tcp_open(struct netif *nif)
{
	return tcp_pcb_new(nif);
}

static bool port_in_use(const struct netif *nif, const struct tcp_pcb *self, uint16_t port)
{
	for (const struct tcp_pcb *p = nif->tcp.pcbs; p; p = p->next) {
		if (p == self || p->lport != port)
			continue;
		/* SO_REUSEADDR, as Linux: when both ends set it, only a
		 * listener (or a bound socket) blocks. */
		if ((self->flags & p->flags & TF_REUSEADDR) && p->state != TCP_LISTEN &&
		    p->state != TCP_CLOSED)
			continue;
		if (p->state == TCP_CLOSED && (p->flags & TF_CONNECTED))
			continue; /* a dead connection holds nothing */
		return true;
	}
	return false;
}

int tcp_bind(struct tcp_pcb *pcb, uint32_t addr, uint16_t port)
{
	struct netif *nif = pcb->nif;

	if (pcb->lport || pcb->state != TCP_CLOSED)
		return -NET_EINVAL;
	if (addr && !ipv4_is_local(nif, addr))
		return -NET_EADDRNOTAVAIL;
	if (port == 0) {
		for (unsigned i = 0; i < EPHEMERAL_RANGE && !port; i++) {
			uint16_t p = nif->tcp.next_port;

			nif->tcp.next_port = p == NET_TCP_EPHEMERAL_HIGH ? NET_TCP_EPHEMERAL_LOW
									 : (uint16_t)(p + 1);
			if (!port_in_use(nif, pcb, p))
				port = p;
		}
		if (!port)
			return -NET_EADDRINUSE;
	} else if (port_in_use(nif, pcb, port)) {
		return -NET_EADDRINUSE;
	}
	pcb->laddr = addr;
	pcb->lport = port;
	return 0;
}

int tcp_listen(struct tcp_pcb *pcb, int backlog)
{
	struct netif *nif = pcb->nif;
	size_t qsize = NET_TCP_SYNQ_MAX * sizeof(struct tcp_syn_entry);
	int ret;

	if (pcb->state == TCP_LISTEN) {
		pcb->backlog = (uint16_t)NET_MAX(1, NET_MIN(backlog, NET_TCP_BACKLOG_MAX));
		return 0;
	}
	if (pcb->state != TCP_CLOSED || (pcb->flags & TF_CONNECTED))
		return -NET_EINVAL;
	if (!pcb->lport && (ret = tcp_bind(pcb, 0, 0)) < 0)
		return ret;
	if (!tcp_mem_charge(nif, pcb, qsize)) {
		nif->stats.tcp_mem_refused++;
		return -NET_ENOBUFS;
	}
	pcb->synq = net_alloc(qsize);
	if (!pcb->synq) {
		tcp_mem_uncharge(nif, pcb, qsize);
		nif->stats.nomem++;
		return -NET_ENOBUFS;
	}
	pcb->synq_cap = NET_TCP_SYNQ_MAX;
	pcb->backlog = (uint16_t)NET_MAX(1, NET_MIN(backlog, NET_TCP_BACKLOG_MAX));
	pcb->state = TCP_LISTEN;
	return 0;
}

int tcp_accept(struct tcp_pcb *lis, struct tcp_pcb **out)
{
	struct tcp_pcb *pcb = lis->acceptq;

	if (lis->state != TCP_LISTEN)
		return -NET_EINVAL;
	if (!pcb)
		return -NET_EAGAIN;
	tcp_acceptq_remove(pcb);
	*out = pcb;
	return 0;
}

int tcp_connect(struct tcp_pcb *pcb, uint32_t addr, uint16_t port, uint64_t now)
{
	struct netif *nif = pcb->nif;
	uint32_t laddr;
	int ret;

	if (pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RECEIVED)
		return -NET_EALREADY;
	if (pcb->state != TCP_CLOSED || (pcb->flags & TF_CONNECTED))
		return -NET_EISCONN;
	if (!port || !(ipv4_is_unicast(nif, addr) || ipv4_is_loopback(addr)))
		return -NET_EINVAL;
	laddr = pcb->laddr ? pcb->laddr : ipv4_source(nif, addr);
	if (!laddr)
		return -NET_ENETUNREACH;
	if (!pcb->lport && (ret = tcp_bind(pcb, 0, 0)) < 0)
		return ret;
	if ((ret = tcp_buffers_alloc(pcb)) < 0)
		return ret;
	pcb->laddr = laddr;
	pcb->raddr = addr;
	pcb->rport = port;
	pcb->iss = nif->tcp.isn(nif, pcb->laddr, pcb->lport, addr, port, now);
	pcb->ts_offset = tcp_ts_offset(nif, pcb->laddr, pcb->lport, addr, port);
	pcb->snd_una = pcb->snd_nxt = pcb->snd_max = pcb->iss;
	pcb->rcv_scale = tcp_wscale_for(pcb->rcvbuf);
	pcb->state = TCP_SYN_SENT;
	pcb->rtt.rto = NET_TCP_RTO_INIT_NS;
	pcb->backoff = 0;
	ret = tcp_send_syn(pcb, now);
	if (ret < 0 && ret != -NET_ENOBUFS) {
		pcb->state = TCP_CLOSED;
		buffers_free(pcb);
		pcb->raddr = 0;
		pcb->rport = 0;
		return ret;
	}
	tcp_rexmt_arm(pcb, now);
	nif->stats.tcp_active_open++;
	return -NET_EINPROGRESS;
}

long tcp_send(struct tcp_pcb *pcb, const void *buf, size_t len, uint64_t now)
{
	uint32_t n;

	if (pcb->error) {
		int err = pcb->error;

		pcb->error = 0;
		return -err;
	}
	switch (pcb->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		return -NET_EAGAIN;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		break;
	case TCP_CLOSED:
	case TCP_LISTEN:
		return (pcb->flags & TF_CONNECTED) ? -NET_EPIPE : -NET_ENOTCONN;
	default:
		return -NET_EPIPE;
	}
	if (pcb->flags & TF_FIN_QUEUED)
		return -NET_EPIPE;
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	n = tcp_ring_append(&pcb->snd, buf, (uint32_t)len);
	if (!n && len)
		return -NET_EAGAIN;
	tcp_output(pcb, now);
	return (long)n;
}

long tcp_recv(struct tcp_pcb *pcb, void *buf, size_t len, unsigned flags, uint64_t now)
{
	uint32_t n;

	if (pcb->rcv.len && !(pcb->flags & TF_SHUT_RD)) {
		n = (uint32_t)NET_MIN(len, (size_t)pcb->rcv.len);
		tcp_ring_copy(&pcb->rcv, 0, buf, n);
		if (!(flags & TCP_RECV_PEEK)) {
			tcp_ring_consume(&pcb->rcv, n);
			/* The window may have opened enough to say so. */
			if (tcp_synchronized(pcb->state) && pcb->state != TCP_TIME_WAIT)
				tcp_output(pcb, now);
		}
		return (long)n;
	}
	if (pcb->error) {
		int err = pcb->error;

		pcb->error = 0;
		return -err;
	}
	if ((pcb->flags & (TF_RCV_FIN | TF_SHUT_RD)) ||
	    ((pcb->flags & TF_CONNECTED) && pcb->state == TCP_CLOSED))
		return 0;
	if (pcb->state == TCP_CLOSED || pcb->state == TCP_LISTEN)
		return -NET_ENOTCONN;
	return -NET_EAGAIN;
}

int tcp_shutdown(struct tcp_pcb *pcb, unsigned how, uint64_t now)
{
	if (!(how & TCP_SHUT_RDWR) || (how & ~TCP_SHUT_RDWR))
		return -NET_EINVAL;
	if (pcb->state == TCP_LISTEN || pcb->state == TCP_CLOSED || pcb->state == TCP_SYN_SENT)
		return -NET_ENOTCONN;
	if (how & TCP_SHUT_RD) {
		pcb->flags |= TF_SHUT_RD;
		tcp_ring_consume(&pcb->rcv, pcb->rcv.len);
	}
	if ((how & TCP_SHUT_WR) && !(pcb->flags & TF_FIN_QUEUED)) {
		pcb->flags |= TF_FIN_QUEUED;
		/* In SYN-RECEIVED the FIN waits for our SYN's ACK (tcp_input.c). */
		if (pcb->state == TCP_ESTABLISHED)
			tcp_set_state(pcb, TCP_FIN_WAIT_1, now);
		else if (pcb->state == TCP_CLOSE_WAIT)
			tcp_set_state(pcb, TCP_LAST_ACK, now);
		tcp_output(pcb, now);
	}
	return 0;
}

void tcp_abort(struct tcp_pcb *pcb, uint64_t now)
{
	if (pcb->state == TCP_LISTEN) {
		tcp_listen_free(pcb, true, now);
	} else if (pcb->state >= TCP_SYN_RECEIVED && pcb->state != TCP_TIME_WAIT) {
		tcp_send_rst_pcb(pcb, now);
		pcb->nif->stats.tcp_aborted++;
	}
	pcb->flags |= TF_USER_CLOSED;
	tcp_drop(pcb, 0);
}

void tcp_close(struct tcp_pcb *pcb, uint64_t now)
{
	switch (pcb->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		tcp_abort(pcb, now); /* no reset: nothing was synchronized */
		return;
	default:
		break;
	}
	/* RFC 2525 2.17 (and Linux): data the program never read is
	 * reported to the peer with a reset; so is linger 0. */
	if (pcb->rcv.len || pcb->linger == 0 || (pcb->flags & TF_FIN_OOO) ||
	    (pcb->ooo_n && pcb->state != TCP_TIME_WAIT)) {
		tcp_abort(pcb, now);
		return;
	}
	pcb->flags |= TF_USER_CLOSED;
	if (pcb->state == TCP_TIME_WAIT)
		return;
	if (pcb->state == TCP_FIN_WAIT_2)
		pcb->close_at = now + NET_TCP_FIN_TIMEOUT_NS;
	if (pcb->linger > 0)
		pcb->close_at = now + (uint64_t)pcb->linger * NET_NS_PER_SEC;
	tcp_shutdown(pcb, TCP_SHUT_WR, now);
}

size_t tcp_readable(const struct tcp_pcb *pcb)
{
	return (pcb->flags & TF_SHUT_RD) ? 0 : pcb->rcv.len;
}

size_t tcp_writable(const struct tcp_pcb *pcb)
{
	if ((pcb->state != TCP_ESTABLISHED && pcb->state != TCP_CLOSE_WAIT) ||
	    (pcb->flags & TF_FIN_QUEUED))
		return 0;
	return tcp_ring_free_space(&pcb->snd);
}

unsigned tcp_poll(const struct tcp_pcb *pcb)
{
	/* Linux's tcp_poll in its terms: an ended connection (reset, timed
	 * out, TIME-WAIT) is shut down both ways; a shut down direction
	 * reads as ready (end of stream, EPIPE). */
	bool done = pcb->state == TCP_TIME_WAIT ||
		    (pcb->state == TCP_CLOSED && (pcb->flags & TF_CONNECTED));
	bool rd_shut = done || (pcb->flags & (TF_RCV_FIN | TF_SHUT_RD));
	bool wr_shut = done || (pcb->flags & TF_FIN_QUEUED);
	unsigned ev = 0;

	if (pcb->state == TCP_LISTEN)
		return pcb->acceptq ? TCP_POLL_IN : 0;
	if ((rd_shut && wr_shut) || pcb->state == TCP_CLOSED)
		ev |= TCP_POLL_HUP;
	if (rd_shut)
		ev |= TCP_POLL_IN | TCP_POLL_RDHUP;
	if (pcb->state != TCP_SYN_SENT && pcb->state != TCP_SYN_RECEIVED) {
		if (tcp_readable(pcb))
			ev |= TCP_POLL_IN;
		if (wr_shut || pcb->state == TCP_CLOSED || tcp_writable(pcb))
			ev |= TCP_POLL_OUT;
	}
	if (pcb->error)
		ev |= TCP_POLL_ERR;
	return ev;
}

int tcp_error(struct tcp_pcb *pcb)
{
	int err = pcb->error;

	pcb->error = 0;
	return err;
}

int tcp_setopt(struct tcp_pcb *pcb, enum tcp_opt opt, int val)
{
	uint32_t flag = 0;

	switch (opt) {
	case TCP_OPT_NODELAY:
		flag = TF_NODELAY;
		break;
	case TCP_OPT_KEEPALIVE:
		flag = TF_KEEPALIVE;
		break;
	case TCP_OPT_REUSEADDR:
		flag = TF_REUSEADDR;
		break;
	case TCP_OPT_KEEPIDLE_MS:
	case TCP_OPT_KEEPINTVL_MS:
		if (val < 1)
			return -NET_EINVAL;
		if (opt == TCP_OPT_KEEPIDLE_MS)
			pcb->keepidle = (uint64_t)val * 1000000u;
		else
			pcb->keepintvl = (uint64_t)val * 1000000u;
		if (pcb->keep_at && pcb->keep_probes == 0)
			pcb->keep_at = 0; /* re-armed by the next segment or tick */
		return 0;
	case TCP_OPT_KEEPCNT:
		if (val < 1 || val > 127)
			return -NET_EINVAL;
		pcb->keepcnt = (uint8_t)val;
		return 0;
	case TCP_OPT_SNDBUF:
	case TCP_OPT_RCVBUF:
		/* The rings are sized at connect or accept, as they are
		 * filled; later changes would need a copy. */
		if (val < NET_TCP_BUF_MIN || val > NET_TCP_BUF_MAX)
			return -NET_EINVAL;
		if (pcb->snd.buf || (pcb->state != TCP_CLOSED && pcb->state != TCP_LISTEN))
			return -NET_EISCONN;
		if (opt == TCP_OPT_SNDBUF)
			pcb->sndbuf = (uint32_t)val;
		else
			pcb->rcvbuf = (uint32_t)val;
		return 0;
	case TCP_OPT_LINGER:
		if (val < -1)
			return -NET_EINVAL;
		pcb->linger = val;
		return 0;
	default:
		return -NET_EINVAL;
	}
	if (val)
		pcb->flags |= flag;
	else
		pcb->flags &= ~flag;
	if (opt == TCP_OPT_KEEPALIVE)
		pcb->keep_at = 0; /* armed by tcp_tick from now on */
	return 0;
}

int tcp_getopt(const struct tcp_pcb *pcb, enum tcp_opt opt, int *val)
{
	switch (opt) {
	case TCP_OPT_NODELAY:
		*val = !!(pcb->flags & TF_NODELAY);
		return 0;
	case TCP_OPT_KEEPALIVE:
		*val = !!(pcb->flags & TF_KEEPALIVE);
		return 0;
	case TCP_OPT_REUSEADDR:
		*val = !!(pcb->flags & TF_REUSEADDR);
		return 0;
	case TCP_OPT_KEEPIDLE_MS:
		*val = (int)(pcb->keepidle / 1000000u);
		return 0;
	case TCP_OPT_KEEPINTVL_MS:
		*val = (int)(pcb->keepintvl / 1000000u);
		return 0;
	case TCP_OPT_KEEPCNT:
		*val = pcb->keepcnt;
		return 0;
	case TCP_OPT_SNDBUF:
		*val = (int)pcb->sndbuf;
		return 0;
	case TCP_OPT_RCVBUF:
		*val = (int)pcb->rcvbuf;
		return 0;
	case TCP_OPT_LINGER:
		*val = pcb->linger;
		return 0;
	default:
		return -NET_EINVAL;
	}
}

/* Everything TCP holds, at shutdown. */
void tcp_flush(struct netif *nif)
{
	while (nif->tcp.pcbs) {
		struct tcp_pcb *pcb = nif->tcp.pcbs;

		if (pcb->state == TCP_LISTEN)
			tcp_listen_free(pcb, false, 0);
		tcp_pcb_free(pcb);
	}
}

bool tcp_closing(const struct netif *nif)
{
	for (const struct tcp_pcb *p = nif->tcp.pcbs; p; p = p->next)
		if (p->state == TCP_FIN_WAIT_1 || p->state == TCP_CLOSING ||
		    p->state == TCP_LAST_ACK)
			return true;
	return false;
}
