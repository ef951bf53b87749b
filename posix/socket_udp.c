/*
 * socket_udp.c — SOCK_DGRAM over net/udp.h, as Linux's UDP sockets.
 *
 * Datagrams keep their boundaries: a read takes one, truncated to the
 * buffer (MSG_TRUNC says how long it was). connect() sets the default
 * peer and filters what arrives; AF_UNSPEC undoes it. shutdown() only
 * marks the directions, as on Linux: SHUT_RD makes reads return 0.
 */
#include "socket.h"

#define SHUT_RD_BIT 1u
#define SHUT_WR_BIT 2u

static long udp_open_sock(struct sock *s)
{
	struct netif *nif = netstack();

	return nif && (s->udp = udp_open(nif)) ? 0 : -ENOBUFS;
}

static long udp_bind_sock(struct sock *s, uint32_t addr, uint16_t port)
{
	return udp_bind(s->udp, addr, port);
}

/* As Linux, a connected socket bound to any address takes the route's
 * source address (getsockname shows it), and gives it up on disconnect. */
static long udp_connect_sock(struct sock *s, uint32_t addr, uint16_t port)
{
	struct udp_pcb *p = s->udp;
	long r = udp_connect(p, addr, port);

	if (r < 0)
		return r;
	if (!addr && s->addr_auto) {
		p->local_addr = 0;
		s->addr_auto = false;
	} else if (addr && !p->local_addr) {
		p->local_addr = ipv4_source(p->nif, addr);
		s->addr_auto = true;
	}
	return 0;
}

static long udp_send_sock(struct sock *s, const void *buf, size_t len, const struct sockaddr_in *to)
{
	long r;

	if (s->shut & SHUT_WR_BIT)
		return -EPIPE;
	if (to && !to->port)
		return -EINVAL; /* Linux: port 0 is not a destination */
	r = udp_sendto(s->udp, buf, len, to ? net32(to->addr) : 0, to ? net16(to->port) : 0, 0,
		       netstack_now());
	netstack_run();
	return r;
}

static long udp_recv_sock(struct sock *s, void *buf, size_t len, int flags,
			  struct sockaddr_in *from, size_t *full)
{
	struct udp_dgram *d = s->udp->head;
	uint32_t src;
	uint16_t port;
	long r;

	if (!d)
		return (s->shut & SHUT_RD_BIT) ? 0 : -EAGAIN;
	if (flags & MSG_PEEK) {
		r = (long)MIN(len, (size_t)d->len);
		memcpy(buf, d->data, (size_t)r);
		src = d->src;
		port = d->sport;
		*full = d->len;
	} else {
		r = udp_recvfrom(s->udp, buf, len, &src, &port, full);
	}
	if (r >= 0 && from) {
		from->addr = net32(src);
		from->port = net16(port);
	}
	return r;
}

static long udp_shutdown_sock(struct sock *s, int how)
{
	if (!s->udp->remote_port)
		return -ENOTCONN;
	s->shut |= (unsigned)how + 1;
	return 0;
}

static short udp_poll_sock(struct sock *s)
{
	short ev = (s->shut & SHUT_WR_BIT) ? 0 : POLLOUT;

	if (udp_pending(s->udp) || (s->shut & SHUT_RD_BIT))
		ev |= POLLIN;
	if (s->shut == (SHUT_RD_BIT | SHUT_WR_BIT))
		ev |= POLLHUP;
	if (s->shut & SHUT_RD_BIT)
		ev |= POLLRDHUP;
	return ev;
}

static uint64_t udp_seq_sock(struct sock *s, short events)
{
	return (events & POLLIN) ? s->udp->rx_seq : 0;
}

static long udp_name_sock(struct sock *s, bool peer, struct sockaddr_in *sa)
{
	const struct udp_pcb *p = s->udp;

	if (peer) {
		if (!p->remote_port)
			return -ENOTCONN;
		sa->addr = net32(p->remote_addr);
		sa->port = net16(p->remote_port);
	} else {
		sa->addr = net32(p->local_addr);
		sa->port = net16(p->local_port);
	}
	return 0;
}

/* FIONREAD on a datagram socket: the next datagram's length, as Linux. */
static size_t udp_readable_sock(struct sock *s)
{
	return s->udp->head ? s->udp->head->len : 0;
}

static size_t udp_unsent_sock(struct sock *s)
{
	(void)s;
	return 0;
}

static void udp_close_sock(struct sock *s)
{
	udp_close(s->udp);
}

const struct sock_proto sock_udp = {
	.type = SOCK_DGRAM,
	.open = udp_open_sock,
	.bind = udp_bind_sock,
	.connect = udp_connect_sock,
	.send = udp_send_sock,
	.recv = udp_recv_sock,
	.shutdown = udp_shutdown_sock,
	.poll = udp_poll_sock,
	.seq = udp_seq_sock,
	.name = udp_name_sock,
	.readable = udp_readable_sock,
	.unsent = udp_unsent_sock,
	.close = udp_close_sock,
};
