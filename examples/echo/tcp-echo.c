/*
 * tcp-echo.c — a TCP echo server for pith: every byte a client sends comes
 * back; when the client shuts down its side, the rest is sent and the
 * connection closed (so `nc -N` gets its whole echo). Many clients at once
 * through epoll, non-blocking, with back-pressure: a client whose echo
 * cannot leave is not read until it can.
 *   tcp-echo [-p PORT] [-b BYTES] [-n CONNECTIONS]
 * -p: the port (default 7). -b: SO_RCVBUF and SO_SNDBUF for every
 * connection (small buffers let a thousand clients fit the stack's memory).
 * -n: end after this many connections have closed, printing
 * "echoed BYTES bytes in N connections".
 */
#define _GNU_SOURCE /* accept4 with glibc too */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD	 1024
#define BUF_SIZE 16384

struct conn {
	size_t len, off; /* bytes in buf, bytes of them already sent */
	int eof;	 /* the client has shut down its side */
	char buf[BUF_SIZE];
};

static struct conn *conns[MAX_FD];
static unsigned long long total;
static long closed;

static void watch(int ep, int op, int fd, unsigned events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (epoll_ctl(ep, op, fd, &ev) < 0)
		perror("tcp-echo: epoll_ctl");
}

static void drop(int ep, int fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	free(conns[fd]);
	conns[fd] = NULL;
	closed++;
}

/* Move what can move on one connection; returns -1 when it is done. */
static int serve(int fd)
{
	struct conn *c = conns[fd];

	for (;;) {
		while (c->off < c->len) {
			ssize_t w = send(fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && errno == EAGAIN)
				return 0;
			if (w < 0)
				return -1;
			c->off += (size_t)w;
			total += (unsigned long long)w;
		}
		c->off = c->len = 0;
		if (c->eof)
			return -1;
		ssize_t r = recv(fd, c->buf, sizeof(c->buf), 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return 0;
		if (r < 0)
			return -1;
		if (r == 0)
			c->eof = 1;
		c->len = (size_t)r;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(7) };
	struct epoll_event events[64];
	int ls, ep, opt, one = 1, bufsize = 0;
	long want = -1;

	while ((opt = getopt(argc, argv, "p:b:n:")) != -1) {
		if (opt == 'p')
			addr.sin_port = htons((uint16_t)atoi(optarg));
		else if (opt == 'b')
			bufsize = atoi(optarg);
		else if (opt == 'n')
			want = atol(optarg);
		else {
			fprintf(stderr, "usage: tcp-echo [-p PORT] [-b BYTES] [-n CONNECTIONS]\n");
			return 2;
		}
	}
	ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Accepted connections take their buffer sizes from the listener. */
	if (bufsize > 0 && (setsockopt(ls, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof(bufsize)) < 0 ||
			    setsockopt(ls, SOL_SOCKET, SO_SNDBUF, &bufsize, sizeof(bufsize)) < 0))
		perror("tcp-echo: setsockopt");
	if (bind(ls, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(ls, 128) < 0) {
		perror("tcp-echo: bind");
		return 1;
	}
	ep = epoll_create1(0);
	watch(ep, EPOLL_CTL_ADD, ls, EPOLLIN);
	printf("echoing on port %d\n", ntohs(addr.sin_port));
	fflush(stdout);
	while (want < 0 || closed < want) {
		int n = epoll_wait(ep, events, 64, -1);

		if (n < 0 && errno != EINTR) {
			perror("tcp-echo: epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int fd = events[i].data.fd;

			if (fd == ls) {
				while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					if (fd >= MAX_FD ||
					    !(conns[fd] = calloc(1, sizeof(struct conn)))) {
						close(fd);
						continue;
					}
					watch(ep, EPOLL_CTL_ADD, fd, EPOLLIN);
				}
				continue;
			}
			if (serve(fd) < 0) {
				drop(ep, fd);
				continue;
			}
			/* Pending echo: wait for room, and read no more until then. */
			watch(ep, EPOLL_CTL_MOD, fd, conns[fd]->len ? EPOLLOUT : EPOLLIN);
		}
	}
	printf("echoed %llu bytes in %ld connections\n", total, closed);
	return 0;
}
