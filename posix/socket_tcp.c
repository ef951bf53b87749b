/*
 * socket_tcp.c — SOCK_STREAM over net/tcp.h, as Linux's TCP sockets.
 *
 * A sock owns its pcb from socket() to close(); the stack then finishes
 * the connection itself. Every call that may have sent something runs
 * the stack (netstack_run) before it returns, so data for a local peer
 * is delivered at once, as on Linux's loopback.
 */
#include "socket.h"

static long tcp_open_sock(struct sock *s)
{
	struct netif *nif = netstack();

	return nif && (s->tcp = tcp_open(nif)) ? 0 : -ENOBUFS;
}

static long tcp_bind_sock(struct sock *s, uint32_t addr, uint16_t port)
{
	return tcp_bind(s->tcp, addr, port);
}

static long tcp_listen_sock(struct sock *s, int backlog)
{
	long r = tcp_listen(s->tcp, backlog < 0 ? NET_TCP_BACKLOG_MAX : backlog);

	netstack_run();
	return r;
}

static long tcp_accept_sock(struct sock *s, struct sock **out)
{
	struct tcp_pcb *pcb;
	struct sock *c;
	long r;

	if (s->tcp->state != TCP_LISTEN)
		return -EINVAL;
	if (!s->tcp->acceptq)
		return -EAGAIN;
	if (!(c = sock_new(&sock_tcp)))
		return -ENOBUFS;
	if ((r = tcp_accept(s->tcp, &pcb)) < 0) {
		sock_free(c);
		return r;
	}
	c->tcp = pcb;
	c->rcvbuf = s->rcvbuf;
	c->sndbuf = s->sndbuf;
	c->nodelay = s->nodelay;
	c->keepalive = s->keepalive;
	c->linger = s->linger;
	s->accepted++;
	*out = c;
	netstack_run();
	return 0;
}

static long tcp_connect_sock(struct sock *s, uint32_t addr, uint16_t port)
{
	struct tcp_pcb *pcb = s->tcp;
	long r;

	if (s->connecting) {
		if (pcb->state == TCP_SYN_SENT)
			return -EALREADY;
		s->connecting = false;
		if (pcb->state == TCP_CLOSED)
			return (r = tcp_error(pcb)) ? -r : -ECONNREFUSED;
		return 0; /* established: the first call after says so */
	}
	if (pcb->state == TCP_LISTEN)
		return -EISCONN;
	r = tcp_connect(pcb, addr, port, netstack_now());
	netstack_run();
	if (r == -EINPROGRESS)
		s->connecting = true;
	return r;
}

static long tcp_send_sock(struct sock *s, const void *buf, size_t len, const struct sockaddr_in *to)
{
	long r;

	(void)to; /* ignored on a connection, as Linux does */
	if (s->connecting && s->tcp->state == TCP_SYN_SENT)
		return -EAGAIN;
	r = tcp_send(s->tcp, buf, len, netstack_now());
	netstack_run();
	return r;
}

static long tcp_recv_sock(struct sock *s, void *buf, size_t len, int flags,
			  struct sockaddr_in *from, size_t *full)
{
	long r;

	(void)from; /* Linux leaves the address alone on a stream */
	if (s->tcp->state == TCP_SYN_SENT)
		return -EAGAIN;
	r = tcp_recv(s->tcp, buf, len, flags & MSG_PEEK ? TCP_RECV_PEEK : 0, netstack_now());
	netstack_run();
	*full = r > 0 ? (size_t)r : 0;
	return r;
}

static long tcp_shutdown_sock(struct sock *s, int how)
{
	long r = tcp_shutdown(s->tcp, (unsigned)how + 1, netstack_now());

	netstack_run();
	return r;
}

static short tcp_poll_sock(struct sock *s)
{
	return (short)tcp_poll(s->tcp);
}

static uint64_t tcp_seq_sock(struct sock *s, short events)
{
	const struct tcp_pcb *p = s->tcp;
	/* State changes and errors matter to both directions. */
	uint64_t seq = (uint64_t)p->state + (p->error ? 1000 : 0);

	if (events & POLLIN) /* data, a FIN, new connections */
		seq += (uint64_t)p->rcv_nxt + s->accepted + p->acceptq_len;
	if (events & POLLOUT) /* ACKs that make room */
		seq += (uint64_t)p->snd_una << 32;
	return seq;
}

static long tcp_name_sock(struct sock *s, bool peer, struct sockaddr_in *sa)
{
	const struct tcp_pcb *p = s->tcp;

	if (peer) {
		if (p->state < TCP_SYN_RECEIVED)
			return -ENOTCONN;
		sa->addr = net32(p->raddr);
		sa->port = net16(p->rport);
	} else {
		sa->addr = net32(p->laddr);
		sa->port = net16(p->lport);
	}
	return 0;
}

static size_t tcp_readable_sock(struct sock *s)
{
	return tcp_readable(s->tcp);
}

static size_t tcp_unsent_sock(struct sock *s)
{
	return s->tcp->snd.len;
}

static void tcp_close_sock(struct sock *s)
{
	tcp_close(s->tcp, netstack_now());
	netstack_run();
}

const struct sock_proto sock_tcp = {
	.type = SOCK_STREAM,
	.open = tcp_open_sock,
	.bind = tcp_bind_sock,
	.listen = tcp_listen_sock,
	.accept = tcp_accept_sock,
	.connect = tcp_connect_sock,
	.send = tcp_send_sock,
	.recv = tcp_recv_sock,
	.shutdown = tcp_shutdown_sock,
	.poll = tcp_poll_sock,
	.seq = tcp_seq_sock,
	.name = tcp_name_sock,
	.readable = tcp_readable_sock,
	.unsent = tcp_unsent_sock,
	.close = tcp_close_sock,
};
