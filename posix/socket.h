/*
 * socket.h — BSD sockets over the guest's stack (part "net"): what the
 * socket calls (socket.c), the two protocols (socket_tcp.c,
 * socket_udp.c) and the options (sockopt.c) share.
 *
 * A socket is a struct file whose priv is a struct sock, so read, write,
 * close, dup, fcntl, poll, select and epoll work on it unchanged. Each
 * protocol fills a struct sock_proto; its calls never wait: they return
 * -EAGAIN and socket.c waits in sock_wait(), which sleeps in
 * clock_sleep_until() — where the stack's pump (netstack.c) runs — so a
 * blocked call costs no CPU and a signal from outside ends it.
 */
#ifndef PITH_SOCKET_H
#define PITH_SOCKET_H

#include "file.h"
#include "netstack.h"

#define AF_UNSPEC     0
#define AF_INET	      2
#define SOCK_STREAM   1
#define SOCK_DGRAM    2
#define SOCK_TYPE_MAX 10 /* Linux's SOCK_MAX */
#define SOCK_NONBLOCK O_NONBLOCK
#define SOCK_CLOEXEC  O_CLOEXEC
#define IPPROTO_IP    0
#define IPPROTO_TCP   6
#define IPPROTO_UDP   17

#define MSG_OOB		 0x1
#define MSG_PEEK	 0x2
#define MSG_TRUNC	 0x20
#define MSG_DONTWAIT	 0x40
#define MSG_WAITALL	 0x100
#define MSG_NOSIGNAL	 0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SHUT_RD	  0
#define SHUT_WR	  1
#define SHUT_RDWR 2

struct sockaddr_in {
	uint16_t family;
	uint16_t port; /* network byte order */
	uint32_t addr; /* network byte order */
	uint8_t zero[8];
};

struct iovec {
	void *base;
	size_t len;
};

struct sock;

/* A protocol's calls; addresses and ports in host byte order. All return
 * -errno; none waits. */
struct sock_proto {
	int type;
	/* Make the protocol's pcb: 0, -ENOBUFS. */
	long (*open)(struct sock *s);
	long (*bind)(struct sock *s, uint32_t addr, uint16_t port);
	long (*listen)(struct sock *s, int backlog);
	/* The next connection as a new sock (-EAGAIN: none yet). */
	long (*accept)(struct sock *s, struct sock **out);
	/* -EINPROGRESS when it must wait (TCP), 0 when done. */
	long (*connect)(struct sock *s, uint32_t addr, uint16_t port);
	/* Bytes taken; to NULL: the connected peer. */
	long (*send)(struct sock *s, const void *buf, size_t len, const struct sockaddr_in *to);
	/* Bytes copied; *full: the datagram's whole length (MSG_TRUNC). */
	long (*recv)(struct sock *s, void *buf, size_t len, int flags, struct sockaddr_in *from,
		     size_t *full);
	long (*shutdown)(struct sock *s, int how);
	short (*poll)(struct sock *s);
	/* A count that moves whenever something arrives that matters for
	 * events (epoll's edges; file_ops.seq). */
	uint64_t (*seq)(struct sock *s, short events);
	long (*name)(struct sock *s, bool peer, struct sockaddr_in *sa);
	size_t (*readable)(struct sock *s);
	size_t (*unsent)(struct sock *s);
	void (*close)(struct sock *s);
};

struct sock {
	const struct sock_proto *proto;
	struct file *file;
	union {
		struct tcp_pcb *tcp;
		struct udp_pcb *udp;
	};
	uint64_t rcvtimeo, sndtimeo; /* ns; 0: wait for ever */
	int rcvbuf, sndbuf;	     /* as set (0: default) */
	int linger;		     /* -1: off, else seconds */
	bool reuseaddr, keepalive, nodelay;
	bool connecting; /* a non-blocking connect not yet reported done */
	bool addr_auto;	 /* UDP: the local address came with connect */
	unsigned shut;	 /* UDP: SHUT_RD/SHUT_WR done (bits 1, 2) */
	uint32_t accepted;
};

extern const struct sock_proto sock_tcp, sock_udp;

/* A new sock for proto, without a pcb yet (NULL: no memory); freed
 * again by sock_free before it has a file. */
struct sock *sock_new(const struct sock_proto *proto);
void sock_free(struct sock *s);
/* The sock behind fd: -EBADF, -ENOTSOCK. */
long sock_lookup(int fd, struct sock **out);
/* Sleep until the stack may have changed or deadline (PITH_DEADLINE_NONE)
 * passed: 0 to try again, -EAGAIN at the deadline, -EINTR or
 * -ERESTART_CALL when a signal's handler ran. */
long sock_wait(uint64_t deadline);
/* The deadline a timeout in ns (0: none) gives from now. */
uint64_t sock_deadline(uint64_t timeout_ns);

static inline uint16_t net16(uint16_t v)
{
	return __builtin_bswap16(v);
}

static inline uint32_t net32(uint32_t v)
{
	return __builtin_bswap32(v);
}

#endif
