/*
 * sockopt.c — setsockopt and getsockopt (part "net").
 *
 * SOL_SOCKET: SO_REUSEADDR, SO_KEEPALIVE, SO_RCVBUF/SO_SNDBUF (reported
 * doubled, as Linux does for its bookkeeping), SO_LINGER, SO_ERROR,
 * SO_RCVTIMEO/SO_SNDTIMEO, SO_TYPE, SO_DOMAIN, SO_PROTOCOL,
 * SO_ACCEPTCONN; IPPROTO_TCP: TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL,
 * TCP_KEEPCNT. Options a program sets for hints (SO_BROADCAST,
 * SO_REUSEPORT's absence aside) are accepted; unknown ones are
 * ENOPROTOOPT, as Linux answers them.
 */
#include "socket.h"

#define SOL_SOCKET    1
#define SO_REUSEADDR  2
#define SO_TYPE	      3
#define SO_ERROR      4
#define SO_BROADCAST  6
#define SO_SNDBUF     7
#define SO_RCVBUF     8
#define SO_KEEPALIVE  9
#define SO_LINGER     13
#define SO_RCVTIMEO   20
#define SO_SNDTIMEO   21
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL   38
#define SO_DOMAIN     39
#define TCP_NODELAY   1
#define TCP_KEEPIDLE  4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT   6
#define SOCK_BUF_MIN  2304   /* Linux's SOCK_MIN_RCVBUF, before doubling */
#define SOCK_BUF_MAX  212992 /* Linux's default rmem_max/wmem_max */
#define NS_PER_SEC    1000000000ull

struct linger {
	int onoff, secs;
};

struct timeval {
	long sec, usec;
};

static long set_timeout(uint64_t *t, const void *val, uint32_t len)
{
	const struct timeval *tv = val;

	if (len < sizeof(*tv))
		return -EINVAL;
	if (tv->usec < 0 || tv->usec >= 1000000)
		return -EDOM;
	if (tv->sec < 0)
		*t = 0; /* Linux: a negative time means none */
	else
		*t = (uint64_t)tv->sec * NS_PER_SEC + (uint64_t)tv->usec * 1000u;
	return 0;
}

static long set_socket_opt(struct sock *s, int name, const void *val, uint32_t len)
{
	int v = len >= sizeof(int) ? *(const int *)val : 0;
	const struct linger *l = val;
	bool tcp = s->proto->type == SOCK_STREAM;

	if (name != SO_LINGER && name != SO_RCVTIMEO && name != SO_SNDTIMEO && len < sizeof(int))
		return -EINVAL;
	switch (name) {
	case SO_REUSEADDR:
		s->reuseaddr = v != 0;
		return tcp ? tcp_setopt(s->tcp, TCP_OPT_REUSEADDR, v != 0) : 0;
	case SO_KEEPALIVE:
		s->keepalive = v != 0;
		return tcp ? tcp_setopt(s->tcp, TCP_OPT_KEEPALIVE, v != 0) : 0;
	case SO_SNDBUF:
	case SO_RCVBUF:
		v = v < SOCK_BUF_MIN / 2 ? SOCK_BUF_MIN / 2 : v > SOCK_BUF_MAX ? SOCK_BUF_MAX : v;
		*(name == SO_SNDBUF ? &s->sndbuf : &s->rcvbuf) = v;
		/* The rings are sized at connect or listen; later, Linux too
		 * only changes the accounting. */
		if (tcp && (s->tcp->state == TCP_CLOSED || s->tcp->state == TCP_LISTEN))
			tcp_setopt(s->tcp, name == SO_SNDBUF ? TCP_OPT_SNDBUF : TCP_OPT_RCVBUF,
				   MAX(v, NET_TCP_BUF_MIN));
		return 0;
	case SO_LINGER:
		if (len < sizeof(*l))
			return -EINVAL;
		s->linger = l->onoff ? (l->secs < 0 ? 0 : l->secs) : -1;
		return tcp ? tcp_setopt(s->tcp, TCP_OPT_LINGER, s->linger) : 0;
	case SO_RCVTIMEO:
		return set_timeout(&s->rcvtimeo, val, len);
	case SO_SNDTIMEO:
		return set_timeout(&s->sndtimeo, val, len);
	case SO_BROADCAST:
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static long set_tcp_opt(struct sock *s, int name, const void *val, uint32_t len)
{
	int v;

	if (s->proto->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	if (len < sizeof(int))
		return -EINVAL;
	v = *(const int *)val;
	switch (name) {
	case TCP_NODELAY:
		s->nodelay = v != 0;
		return tcp_setopt(s->tcp, TCP_OPT_NODELAY, v != 0);
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
		if (v < 1 || v > 32767)
			return -EINVAL;
		return tcp_setopt(s->tcp,
				  name == TCP_KEEPIDLE ? TCP_OPT_KEEPIDLE_MS : TCP_OPT_KEEPINTVL_MS,
				  v * 1000);
	case TCP_KEEPCNT:
		if (v < 1 || v > 127)
			return -EINVAL;
		return tcp_setopt(s->tcp, TCP_OPT_KEEPCNT, v);
	default:
		return -ENOPROTOOPT;
	}
}

long sys_setsockopt(int fd, int level, int name, const void *val, uint32_t len)
{
	struct sock *s;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if ((int)len < 0)
		return -EINVAL;
	if (len && !user_ok((uintptr_t)val, len))
		return -EFAULT;
	if (level == SOL_SOCKET)
		return set_socket_opt(s, name, val, len);
	if (level == IPPROTO_TCP)
		return set_tcp_opt(s, name, val, len);
	return -ENOPROTOOPT;
}

static long get_socket_opt(struct sock *s, int name, void *out, uint32_t *n)
{
	bool tcp = s->proto->type == SOCK_STREAM;
	int *v = out;

	*n = sizeof(int);
	switch (name) {
	case SO_REUSEADDR:
		*v = s->reuseaddr;
		return 0;
	case SO_KEEPALIVE:
		*v = s->keepalive;
		return 0;
	case SO_TYPE:
		*v = s->proto->type;
		return 0;
	case SO_DOMAIN:
		*v = AF_INET;
		return 0;
	case SO_PROTOCOL:
		*v = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		return 0;
	case SO_ACCEPTCONN:
		*v = tcp && s->tcp->state == TCP_LISTEN;
		return 0;
	case SO_ERROR:
		*v = tcp ? tcp_error(s->tcp) : 0;
		return 0;
	case SO_SNDBUF:
		*v = 2 * (s->sndbuf ? s->sndbuf : (int)(tcp ? s->tcp->sndbuf : NET_UDP_RCVBUF));
		return 0;
	case SO_RCVBUF:
		*v = 2 * (s->rcvbuf ? s->rcvbuf : (int)(tcp ? s->tcp->rcvbuf : NET_UDP_RCVBUF));
		return 0;
	case SO_LINGER: {
		struct linger *l = out;

		*n = sizeof(*l);
		l->onoff = s->linger >= 0;
		l->secs = s->linger >= 0 ? s->linger : 0;
		return 0;
	}
	case SO_RCVTIMEO:
	case SO_SNDTIMEO: {
		struct timeval *tv = out;
		uint64_t t = name == SO_RCVTIMEO ? s->rcvtimeo : s->sndtimeo;

		*n = sizeof(*tv);
		tv->sec = (long)(t / NS_PER_SEC);
		tv->usec = (long)(t % NS_PER_SEC / 1000u);
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
}

static long get_tcp_opt(struct sock *s, int name, int *v)
{
	int ms;

	if (s->proto->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	switch (name) {
	case TCP_NODELAY:
		*v = s->nodelay;
		return 0;
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
		tcp_getopt(s->tcp,
			   name == TCP_KEEPIDLE ? TCP_OPT_KEEPIDLE_MS : TCP_OPT_KEEPINTVL_MS, &ms);
		*v = ms / 1000;
		return 0;
	case TCP_KEEPCNT:
		return tcp_getopt(s->tcp, TCP_OPT_KEEPCNT, v);
	default:
		return -ENOPROTOOPT;
	}
}

long sys_getsockopt(int fd, int level, int name, void *val, uint32_t *len)
{
	union {
		int i;
		struct linger l;
		struct timeval tv;
	} out = { 0 };
	uint32_t n = sizeof(int);
	struct sock *s;
	long r;

	if ((r = sock_lookup(fd, &s)) < 0)
		return r;
	if (!user_w((uintptr_t)len, sizeof(*len)))
		return -EFAULT;
	if ((int)*len < 0)
		return -EINVAL;
	if (level == SOL_SOCKET)
		r = get_socket_opt(s, name, &out, &n);
	else if (level == IPPROTO_TCP)
		r = get_tcp_opt(s, name, &out.i);
	else
		r = -ENOPROTOOPT;
	if (r < 0)
		return r;
	n = MIN(n, *len);
	if (n && !user_w((uintptr_t)val, n))
		return -EFAULT;
	memcpy(val, &out, n);
	*len = n;
	return 0;
}
