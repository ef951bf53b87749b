/* net.h — helpers for the socket tests: a listener on 127.0.0.1 at an
 * ephemeral port (nothing port-specific is ever printed), errno names,
 * and a check macro that prints what failed. */
#ifndef PITH_TEST_GUEST_NET_H
#define PITH_TEST_GUEST_NET_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MUST(x)                                                                                \
	do {                                                                                   \
		if (!(x)) {                                                                    \
			printf("FAILED line %d: %s (errno %s)\n", __LINE__, #x, ename(errno)); \
			exit(1);                                                               \
		}                                                                              \
	} while (0)

static inline const char *ename(int e)
{
	switch (e) {
	case 0:
		return "0";
	case EAGAIN:
		return "EAGAIN";
	case EINPROGRESS:
		return "EINPROGRESS";
	case EALREADY:
		return "EALREADY";
	case EISCONN:
		return "EISCONN";
	case ENOTCONN:
		return "ENOTCONN";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case ECONNRESET:
		return "ECONNRESET";
	case EADDRINUSE:
		return "EADDRINUSE";
	case EADDRNOTAVAIL:
		return "EADDRNOTAVAIL";
	case EAFNOSUPPORT:
		return "EAFNOSUPPORT";
	case EPROTONOSUPPORT:
		return "EPROTONOSUPPORT";
	case ESOCKTNOSUPPORT:
		return "ESOCKTNOSUPPORT";
	case EPIPE:
		return "EPIPE";
	case EINVAL:
		return "EINVAL";
	case EBADF:
		return "EBADF";
	case ENOTSOCK:
		return "ENOTSOCK";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EDESTADDRREQ:
		return "EDESTADDRREQ";
	case EMSGSIZE:
		return "EMSGSIZE";
	case EEXIST:
		return "EEXIST";
	case ENOENT:
		return "ENOENT";
	case EINTR:
		return "EINTR";
	case ENOPROTOOPT:
		return "ENOPROTOOPT";
	case EPERM:
		return "EPERM";
	default:
		return "other";
	}
}

static inline struct sockaddr_in loopback(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A socket of type bound to 127.0.0.1 at an ephemeral port; *a gets the
 * address. Streams listen. */
static inline int bound(int type, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int s = socket(AF_INET, type, 0);

	*a = loopback(0);
	MUST(s >= 0);
	MUST(bind(s, (struct sockaddr *)a, sizeof(*a)) == 0);
	MUST(getsockname(s, (struct sockaddr *)a, &len) == 0);
	if (type == SOCK_STREAM)
		MUST(listen(s, 128) == 0);
	return s;
}

static inline void nonblock(int fd)
{
	MUST(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0);
}

/* Connect a non-blocking client to a and accept it: *srv, the client. */
static inline int pair(int lis, const struct sockaddr_in *a, int *srv)
{
	int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int r;

	MUST(c >= 0);
	r = connect(c, (const struct sockaddr *)a, sizeof(*a));
	MUST(r == 0 || errno == EINPROGRESS);
	do
		*srv = accept(lis, NULL, NULL);
	while (*srv < 0 && errno == EAGAIN);
	MUST(*srv >= 0);
	return c;
}

#endif
