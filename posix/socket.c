/*
 * socket.c — the socket system calls (part "net"): socket, bind, listen,
 * accept, accept4, connect, the send and receive family, shutdown,
 * getsockname, getpeername; and a socket's file operations.
 *
 * Linux semantics and errno values. Blocking calls loop: try the
 * protocol's call; on -EAGAIN, unless the socket or the call is
 * non-blocking, sleep in sock_wait() (the stack is pumped there) and try
 * again. SO_RCVTIMEO and SO_SNDTIMEO bound that sleep (-EAGAIN); a signal
 * whose handler ran ends it with -EINTR or, SA_RESTART and no timeout,
 * restarts the call from the descriptor (-ERESTART_CALL), as read() does.
 */
#include "../kernel/clock.h"
#include "../kernel/kalloc.h"
#include "socket.h"

#define FIONREAD   0x541b
#define SIOCOUTQ   0x5411
#define SIOCINQ	   FIONREAD
#define S_IFSOCK_M 0140777
#define IOV_MAX	   1024
#define DGRAM_MAX  65536

struct msghdr {
	void *name;
	uint32_t namelen;
	struct iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	int flags;
};

/* ---- socks and their files ----------------------------------------------- */

static const struct file_ops sock_ops;

struct sock *sock_new(const struct sock_proto *proto)
{
	struct sock *s = kalloc(sizeof(*s));

	if (s) {
		s->proto = proto;
		s->linger = -1;
	}
	return s;
}

void sock_free(struct sock *s)
{
	kfree(s, sizeof(*s));
}

long sock_lookup(int fd, struct sock **out)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (f->ops != &sock_ops)
		return -ENOTSOCK;
	*out = f->priv;
	return 0;
}

uint64_t sock_deadline(uint64_t timeout_ns)
{
	uint64_t now = clock_monotonic();

	if (!timeout_ns)
		return PITH_DEADLINE_NONE;
	return timeout_ns > UINT64_MAX - now ? PITH_DEADLINE_NONE : now + timeout_ns;
}

long sock_wait(uint64_t deadline)
{
	long r;

	if (deadline != PITH_DEADLINE_NONE && clock_monotonic() >= deadline)
		return -EAGAIN;
	clock_sleep_until(deadline, 0); /* the pump adds the stack's own */
	/* With a timeout, Linux does not restart (signal(7)). */
	if ((r = signal_interrupted(deadline == PITH_DEADLINE_NONE)) < 0)
		return r;
	return 0;
}

/* Install s as a new file and descriptor; on failure s is closed. */
static long sock_install(struct sock *s, int flags)
{
	struct file *f = file_alloc(&sock_ops, O_RDWR | (flags & O_NONBLOCK), s);
	long fd;

	if (!f) {
		s->proto->close(s);
		sock_free(s);
		return -ENFILE;
	}
	s->file = f;
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

static bool nonblocking(const struct sock *s, int flags)
{
	return (s->file->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}

/* ---- socket, bind, listen, accept, connect ---------------------------------- */

long sys_socket(int domain, int type, int protocol)
{
	const struct sock_proto *proto;
	int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct sock *s;
	long r;

	if (kind <= 0 || kind >= SOCK_TYPE_MAX)
		return -EINVAL;
	if (type & ~(kind | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (domain != AF_INET)
		return -EAFNOSUPPORT;
	if (kind == SOCK_STREAM)
		proto = &sock_tcp;
	else if (kind == SOCK_DGRAM)
		proto = &sock_udp;
	else
		return -ESOCKTNOSUPPORT; /* raw and the others: not served */
	if (protocol && protocol != (kind == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP))
		return -EPROTONOSUPPORT;
	if (!(s = sock_new(proto)))
		return -ENOBUFS;
	if ((r = proto->open(s)) < 0) {
		sock_free(s);
		return r;
	}
	return sock_install(s, type);
}

/* An address from the program: AF_INET, at least 16 bytes. */
static long get_addr(const void *addr, uint32_t len, struct sockaddr_in *sa, bool unspec_ok)
{
	if (len < sizeof(uint16_t) || len > 128)
		return -EINVAL;
	if (!user_ok((uintptr_t)addr, len))
		return -EFAULT;
	memset(sa, 0, sizeof(*sa));
	memcpy(sa, addr, MIN(len, sizeof(*sa)));
	if (sa->family == AF_UNSPEC && unspec_ok)
		return 0;
	if (len < sizeof(*sa))
		return -EINVAL;
	return sa->family == AF_INET ? 0 : -EAFNOSUPPORT;
}

/* An address to the program: as much as fits, and the full length. */
static long put_addr(const struct sockaddr_in *sa, void *addr, uint32_t *len)
{
	uint32_t n;

	if (!addr)
		return 0;
	if (!user_w((uintptr_t)len, sizeof(*len)))
		return -EFAULT;
	if ((int)*len < 0)
		return -EINVAL;
	n = MIN(*len, (uint32_t)sizeof(*sa));
	if (n && !user_w((uintptr_t)addr, n))
		return -EFAULT;
	memcpy(addr, sa, n);
	*len = sizeof(*sa);
	return 0;
}

long sys_bind(int fd, const void *addr, uint32_t len)
{
	struct sockaddr_in sa;
	struct sock *s;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if ((r = get_addr(addr, len, &sa, true)) < 0)
		return r;
	/* AF_UNSPEC is taken for INADDR_ANY only, as Linux does. */
	if (sa.family == AF_UNSPEC && sa.addr)
		return -EAFNOSUPPORT;
	return s->proto->bind(s, net32(sa.addr), net16(sa.port));
}

long sys_listen(int fd, int backlog)
{
	struct sock *s;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	return s->proto->listen ? s->proto->listen(s, backlog) : -EOPNOTSUPP;
}

static long accept_once(int fd, void *addr, uint32_t *len, int flags)
{
	struct sockaddr_in sa = { .family = AF_INET };
	struct sock *s, *c;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if (!s->proto->accept)
		return -EOPNOTSUPP;
	if (addr && !user_w((uintptr_t)len, sizeof(*len)))
		return -EFAULT;
	file_get(s->file);
	netstack_run(); /* what the device has: a program may never wait */
	while ((r = s->proto->accept(s, &c)) == -EAGAIN && !nonblocking(s, 0))
		if ((r = sock_wait(sock_deadline(s->rcvtimeo))) < 0)
			break;
	file_put(s->file);
	if (r < 0)
		return r;
	c->proto->name(c, true, &sa);
	r = sock_install(c, flags);
	if (r >= 0 && put_addr(&sa, addr, len) < 0) {
		fd_close(r);
		return -EFAULT;
	}
	return r;
}

long sys_accept4(int fd, void *addr, uint32_t *len, int flags)
{
	long r;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	while ((r = accept_once(fd, addr, len, flags)) == -ERESTART_CALL)
		;
	return r;
}

long sys_accept(int fd, void *addr, uint32_t *len)
{
	return sys_accept4(fd, addr, len, 0);
}

long sys_connect(int fd, const void *addr, uint32_t len)
{
	struct sockaddr_in sa;
	struct sock *s;
	uint64_t deadline;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if ((r = get_addr(addr, len, &sa, true)) < 0)
		return r;
	if (sa.family == AF_UNSPEC) /* dissolve the association (UDP) */
		return s->proto->type == SOCK_DGRAM ? s->proto->connect(s, 0, 0) : 0;
	r = s->proto->connect(s, net32(sa.addr), net16(sa.port));
	if (r != -EINPROGRESS || nonblocking(s, 0))
		return r;
	/* Blocking: wait for the handshake. A signal ends the wait with
	 * EINTR and the connection goes on, as on Linux. */
	deadline = sock_deadline(s->sndtimeo);
	file_get(s->file);
	while ((r = s->proto->connect(s, 0, 0)) == -EALREADY) {
		if ((r = sock_wait(deadline)) < 0) {
			r = r == -EAGAIN ? -EINPROGRESS : -EINTR;
			break;
		}
	}
	file_put(s->file);
	return r;
}

/* ---- sending and receiving ---------------------------------------------------- */

/* Send all of buf (blocking) or what fits (non-blocking). */
static long send_buf(struct sock *s, const void *buf, size_t len, const struct sockaddr_in *to,
		     int flags)
{
	uint64_t deadline = sock_deadline(s->sndtimeo);
	size_t done = 0;
	long r;

	do {
		r = s->proto->send(s, (const uint8_t *)buf + done, len - done, to);
		if (r == -EAGAIN && !nonblocking(s, flags)) {
			if ((r = sock_wait(deadline)) == 0)
				continue;
		}
		if (r < 0)
			break;
		done += (size_t)r;
	} while (done < len && !nonblocking(s, flags) && s->proto->type == SOCK_STREAM);
	/* As Linux: a stream that fails outright raises SIGPIPE; one that
	 * sent part first returns that part, and a datagram never signals. */
	if (r == -EPIPE && !done && s->proto->type == SOCK_STREAM && !(flags & MSG_NOSIGNAL))
		signal_send(SIGPIPE, 0);
	return done ? (long)done : r;
}

/* One receive into buf, waiting for something unless non-blocking;
 * MSG_WAITALL on a stream waits for all of len. */
static long recv_buf(struct sock *s, void *buf, size_t len, int flags, struct sockaddr_in *from,
		     size_t *full)
{
	uint64_t deadline = sock_deadline(s->rcvtimeo);
	size_t done = 0;
	long r;

	netstack_run(); /* what the device has: a program may never wait */
	for (;;) {
		r = s->proto->recv(s, (uint8_t *)buf + done, len - done, flags, from, full);
		if (r > 0 && s->proto->type == SOCK_STREAM) {
			done += (size_t)r;
			if (!(flags & MSG_WAITALL) || (flags & MSG_PEEK) || done == len)
				break;
			continue;
		}
		if (r != -EAGAIN || nonblocking(s, flags))
			break;
		if ((r = sock_wait(deadline)) < 0)
			break;
	}
	if (s->proto->type == SOCK_STREAM && done) {
		*full = done;
		return (long)done;
	}
	return r;
}

static long sendto_once(int fd, const void *buf, size_t len, int flags, const void *addr,
			uint32_t alen)
{
	struct sockaddr_in sa;
	struct sock *s;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if (len && !user_ok((uintptr_t)buf, len))
		return -EFAULT;
	if (addr && (r = get_addr(addr, alen, &sa, false)) < 0)
		return r;
	file_get(s->file);
	r = send_buf(s, buf, len, addr ? &sa : NULL, flags);
	file_put(s->file);
	return r;
}

long sys_sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t alen)
{
	long r;

	while ((r = sendto_once(fd, buf, len, flags, addr, alen)) == -ERESTART_CALL)
		;
	return r;
}

static long recvfrom_once(int fd, void *buf, size_t len, int flags, void *addr, uint32_t *alen)
{
	struct sockaddr_in sa = { .family = AF_INET };
	struct sock *s;
	size_t full = 0;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if (flags & MSG_OOB)
		return -EINVAL; /* no urgent data is kept */
	if (len && !user_w((uintptr_t)buf, len))
		return -EFAULT;
	file_get(s->file);
	r = recv_buf(s, buf, len, flags, &sa, &full);
	file_put(s->file);
	if (r >= 0 && s->proto->type == SOCK_DGRAM) {
		if (put_addr(&sa, addr, alen) < 0)
			return -EFAULT;
		if (flags & MSG_TRUNC)
			r = (long)full;
	}
	return r;
}

long sys_recvfrom(int fd, void *buf, size_t len, int flags, void *addr, uint32_t *alen)
{
	long r;

	while ((r = recvfrom_once(fd, buf, len, flags, addr, alen)) == -ERESTART_CALL)
		;
	return r;
}

/* The message's buffers: writable to receive, readable to send. */
static long check_msg(struct msghdr *m, size_t *total, bool receive)
{
	if (!(receive ? user_w : user_ok)((uintptr_t)m, sizeof(*m)))
		return -EFAULT;
	if (m->iovlen > IOV_MAX)
		return -EMSGSIZE;
	if (m->iovlen && !user_ok((uintptr_t)m->iov, m->iovlen * sizeof(*m->iov)))
		return -EFAULT;
	*total = 0;
	for (size_t i = 0; i < m->iovlen; i++) {
		if (m->iov[i].len &&
		    !(receive ? user_w : user_ok)((uintptr_t)m->iov[i].base, m->iov[i].len))
			return -EFAULT;
		*total += m->iov[i].len;
	}
	return 0;
}

/* A datagram is one piece: gathered into, or scattered from, one buffer. */
static uint8_t *bounce(void)
{
	static uint8_t *buf;

	return buf ? buf : (buf = kalloc(DGRAM_MAX));
}

static void scatter(const struct msghdr *m, const uint8_t *from, size_t n)
{
	for (size_t i = 0; i < m->iovlen && n; i++) {
		size_t k = MIN(n, m->iov[i].len);

		memcpy(m->iov[i].base, from, k);
		from += k;
		n -= k;
	}
}

static long sendmsg_once(int fd, struct msghdr *m, int flags)
{
	struct sockaddr_in sa;
	struct sock *s;
	size_t total, off = 0;
	uint8_t *b;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if ((r = check_msg(m, &total, false)) < 0)
		return r;
	if (m->name && (r = get_addr(m->name, m->namelen, &sa, false)) < 0)
		return r;
	file_get(s->file);
	if (s->proto->type == SOCK_DGRAM) {
		if (total > UDP_MAX_PAYLOAD) {
			r = -EMSGSIZE;
		} else if (!(b = bounce())) {
			r = -ENOBUFS;
		} else {
			for (size_t i = 0; i < m->iovlen; i++) {
				memcpy(b + off, m->iov[i].base, m->iov[i].len);
				off += m->iov[i].len;
			}
			r = send_buf(s, b, total, m->name ? &sa : NULL, flags);
		}
	} else {
		r = 0;
		for (size_t i = 0; i < m->iovlen; i++) {
			long k;

			if (!m->iov[i].len)
				continue;
			k = send_buf(s, m->iov[i].base, m->iov[i].len, NULL,
				     flags | (off ? MSG_NOSIGNAL : 0));
			if (k < 0) {
				r = off ? (long)off : k;
				break;
			}
			off += (size_t)k;
			r = (long)off;
			if ((size_t)k < m->iov[i].len)
				break;
		}
	}
	file_put(s->file);
	return r;
}

long sys_sendmsg(int fd, struct msghdr *m, int flags)
{
	long r;

	while ((r = sendmsg_once(fd, m, flags)) == -ERESTART_CALL)
		;
	return r;
}

static long recvmsg_once(int fd, struct msghdr *m, int flags)
{
	struct sockaddr_in sa = { .family = AF_INET };
	struct sock *s;
	size_t total, full = 0;
	uint8_t *b;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if ((r = check_msg(m, &total, true)) < 0)
		return r;
	file_get(s->file);
	m->flags = 0;
	if (s->proto->type == SOCK_DGRAM) {
		if (!(b = bounce())) {
			r = -ENOBUFS;
		} else {
			r = recv_buf(s, b, MIN(total, (size_t)DGRAM_MAX), flags, &sa, &full);
			if (r >= 0) {
				scatter(m, b, (size_t)r);
				if (full > (size_t)r)
					m->flags |= MSG_TRUNC;
				if (m->name && put_addr(&sa, m->name, &m->namelen) < 0)
					r = -EFAULT;
				else if (flags & MSG_TRUNC)
					r = (long)full;
			}
		}
	} else {
		/* The first buffer waits; the rest take what is there. */
		size_t done = 0;

		r = 0;
		for (size_t i = 0; i < m->iovlen; i++) {
			long k;

			if (!m->iov[i].len)
				continue;
			k = recv_buf(s, m->iov[i].base, m->iov[i].len,
				     flags | (done && !(flags & MSG_WAITALL) ? MSG_DONTWAIT : 0),
				     &sa, &full);
			if (k <= 0) {
				r = done ? (long)done : k;
				break;
			}
			done += (size_t)k;
			r = (long)done;
			if ((size_t)k < m->iov[i].len || (flags & MSG_PEEK))
				break;
		}
	}
	if (r >= 0)
		m->controllen = 0;
	file_put(s->file);
	return r;
}

long sys_recvmsg(int fd, struct msghdr *m, int flags)
{
	long r;

	while ((r = recvmsg_once(fd, m, flags)) == -ERESTART_CALL)
		;
	return r;
}

/* ---- shutdown, names -------------------------------------------------------- */

long sys_shutdown(int fd, int how)
{
	struct sock *s;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	return s->proto->shutdown(s, how);
}

static long get_name(int fd, void *addr, uint32_t *len, bool peer)
{
	struct sockaddr_in sa = { .family = AF_INET };
	struct sock *s;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if ((r = s->proto->name(s, peer, &sa)) < 0)
		return r;
	if (!addr)
		return -EFAULT;
	return put_addr(&sa, addr, len);
}

long sys_getsockname(int fd, void *addr, uint32_t *len)
{
	return get_name(fd, addr, len, false);
}

long sys_getpeername(int fd, void *addr, uint32_t *len)
{
	return get_name(fd, addr, len, true);
}

/* ---- the file ------------------------------------------------------------------- */

static long sock_read(struct file *f, void *buf, size_t len)
{
	struct sock *s = f->priv;
	size_t full;

	netstack_run(); /* what the device has: a program may never wait */
	return s->proto->recv(s, buf, len, 0, NULL, &full);
}

static long sock_write(struct file *f, const void *buf, size_t len)
{
	struct sock *s = f->priv;

	return s->proto->send(s, buf, len, NULL);
}

static uint64_t sock_timeout(struct file *f, short events)
{
	struct sock *s = f->priv;

	return events & POLLIN ? s->rcvtimeo : s->sndtimeo;
}

static short sock_poll(struct file *f)
{
	struct sock *s = f->priv;

	return s->proto->poll(s);
}

static uint64_t sock_seq(struct file *f, short events)
{
	struct sock *s = f->priv;

	return s->proto->seq(s, events);
}

static long sock_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
	struct sock *s = f->priv;
	size_t n;

	switch (req) {
	case SIOCINQ:
		n = s->proto->readable(s);
		break;
	case SIOCOUTQ:
		n = s->proto->unsent(s);
		break;
	default:
		return -ENOTTY;
	}
	if (!user_w(arg, sizeof(int)))
		return -EFAULT;
	*(int *)arg = (int)MIN(n, (size_t)INT32_MAX);
	return 0;
}

static void sock_stat(struct file *f, struct kstat *st)
{
	(void)f;
	st->mode = S_IFSOCK_M;
}

static void sock_release(struct file *f)
{
	struct sock *s = f->priv;

	s->proto->close(s);
	sock_free(s);
}

static long sock_name(struct file *f, char *buf, size_t size)
{
	return ksnprintf(buf, size, "socket:[%lu]", (unsigned long)f->ino);
}

static const struct file_ops sock_ops = {
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.seq = sock_seq,
	.timeout = sock_timeout,
	.ioctl = sock_ioctl,
	.stat = sock_stat,
	.release = sock_release,
	.name = sock_name,
};
