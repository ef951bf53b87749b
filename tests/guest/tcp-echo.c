/* tcp-echo.c — TCP echo on 127.0.0.1 between a listening socket and a
 * non-blocking client in one process: driven by poll, then by epoll
 * level-triggered, edge-triggered and one-shot; names of both ends;
 * a half-close seen as EPOLLRDHUP. */
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>

#include "net.h"

static int lis, cli, srv;
static struct sockaddr_in addr;

/* Wait with poll until fd has ev. */
static short wait_poll(int fd, short ev)
{
	struct pollfd p = { fd, ev, 0 };

	MUST(poll(&p, 1, 5000) == 1);
	return p.revents;
}

/* Wait until fd holds n bytes (Nagle and delayed ACKs aside, the
 * writes may still be on their way). */
static void wait_bytes(int fd, int n)
{
	int have = 0;

	for (int i = 0; i < 5000; i++) {
		MUST(ioctl(fd, FIONREAD, &have) == 0);
		if (have >= n)
			return;
		usleep(1000);
	}
	MUST(have >= n);
}

static void echo_poll(void)
{
	char msg[64], got[64];
	int r;

	cli = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r = 1;
	MUST(setsockopt(cli, IPPROTO_TCP, TCP_NODELAY, &r, sizeof(r)) == 0);
	r = connect(cli, (struct sockaddr *)&addr, sizeof(addr));
	printf("non-blocking connect: %d %s\n", r, ename(r ? errno : 0));
	printf("listener readable: %#x\n", wait_poll(lis, POLLIN));
	printf("client writable: %#x\n", wait_poll(cli, POLLOUT));
	r = connect(cli, (struct sockaddr *)&addr, sizeof(addr));
	printf("connect again: %d %s\n", r, ename(r ? errno : 0));
	r = connect(cli, (struct sockaddr *)&addr, sizeof(addr));
	printf("and again: %d %s\n", r, ename(r ? errno : 0));

	struct sockaddr_in peer, me, sname;
	socklen_t len = sizeof(peer);
	srv = accept(lis, (struct sockaddr *)&peer, &len);
	MUST(srv >= 0);
	r = 1;
	MUST(setsockopt(srv, IPPROTO_TCP, TCP_NODELAY, &r, sizeof(r)) == 0);
	len = sizeof(me);
	MUST(getsockname(cli, (struct sockaddr *)&me, &len) == 0);
	len = sizeof(sname);
	MUST(getsockname(srv, (struct sockaddr *)&sname, &len) == 0);
	printf("accept gives the client's address: %d, length %u\n",
	       peer.sin_port == me.sin_port && peer.sin_addr.s_addr == me.sin_addr.s_addr,
	       (unsigned)len);
	printf("client address %s, server end at the listener's port: %d\n", inet_ntoa(me.sin_addr),
	       sname.sin_port == addr.sin_port);
	len = sizeof(peer);
	MUST(getpeername(cli, (struct sockaddr *)&peer, &len) == 0);
	printf("client's peer is the listener: %d\n",
	       peer.sin_port == addr.sin_port && peer.sin_addr.s_addr == addr.sin_addr.s_addr);
	len = sizeof(peer);
	r = getpeername(lis, (struct sockaddr *)&peer, &len);
	printf("listener's peer: %d %s\n", r, ename(errno));

	for (int i = 0; i < 20; i++) {
		int n = snprintf(msg, sizeof(msg), "message %d", i);

		MUST(write(cli, msg, (size_t)n) == n);
		wait_poll(srv, POLLIN);
		r = (int)read(srv, got, sizeof(got));
		MUST(r == n);
		MUST(write(srv, got, (size_t)r) == r);
		wait_poll(cli, POLLIN);
		MUST(read(cli, got, sizeof(got)) == n && !memcmp(got, msg, (size_t)n));
	}
	printf("poll: 20 messages echoed\n");
}

static void echo_epoll(int et)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN | (et ? EPOLLET : 0) }, out[4];
	char got[64];
	int n;

	ev.data.fd = srv;
	MUST(epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev) == 0);
	ev.data.fd = cli;
	MUST(epoll_ctl(ep, EPOLL_CTL_ADD, cli, &ev) == 0);
	n = epoll_ctl(ep, EPOLL_CTL_ADD, cli, &ev);
	printf("add twice: %d %s\n", n, ename(errno));
	for (int i = 0; i < 20; i++) {
		MUST(write(cli, "ping", 4) == 4);
		n = epoll_wait(ep, out, 4, 5000);
		MUST(n == 1 && out[0].data.fd == srv && out[0].events == EPOLLIN);
		MUST(read(srv, got, sizeof(got)) == 4);
		MUST(write(srv, "pong", 4) == 4);
		n = epoll_wait(ep, out, 4, 5000);
		MUST(n == 1 && out[0].data.fd == cli);
		MUST(read(cli, got, sizeof(got)) == 4 && !memcmp(got, "pong", 4));
	}
	printf("epoll %s: 20 messages echoed\n", et ? "ET" : "LT");
	/* Three writes, one read of part: level-triggered reports again,
	 * edge-triggered not until more arrives. */
	MUST(write(cli, "abc", 3) == 3 && write(cli, "def", 3) == 3 && write(cli, "ghi", 3) == 3);
	wait_bytes(srv, 9);
	n = epoll_wait(ep, out, 4, 5000);
	printf("after three writes: %d event(s), %#x\n", n, n > 0 ? out[0].events : 0);
	MUST(read(srv, got, 2) == 2);
	n = epoll_wait(ep, out, 4, 0);
	printf("after reading part: %d event(s)\n", n);
	MUST(write(cli, "jkl", 3) == 3);
	wait_bytes(srv, 10);
	n = epoll_wait(ep, out, 4, 5000);
	printf("after more data: %d event(s)\n", n);
	n = (int)read(srv, got, sizeof(got));
	printf("read the rest: %d %.*s\n", n, n > 0 ? n : 0, got);
	n = epoll_wait(ep, out, 4, 0);
	printf("drained: %d event(s)\n", n);
	close(ep);
}

static void oneshot(void)
{
	int ep = epoll_create(1);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 42 }, out[2];
	char got[16];
	int n;

	MUST(epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev) == 0);
	MUST(write(cli, "1", 1) == 1);
	n = epoll_wait(ep, out, 2, 5000);
	printf("oneshot: %d event(s), data %llu\n", n, (unsigned long long)out[0].data.u64);
	MUST(write(cli, "2", 1) == 1);
	n = epoll_wait(ep, out, 2, 100);
	printf("oneshot, not re-armed: %d event(s)\n", n);
	ev.data.u64 = 43;
	MUST(epoll_ctl(ep, EPOLL_CTL_MOD, srv, &ev) == 0);
	n = epoll_wait(ep, out, 2, 5000);
	printf("re-armed: %d event(s), data %llu\n", n, (unsigned long long)out[0].data.u64);
	MUST(read(srv, got, sizeof(got)) == 2);
	n = epoll_ctl(ep, EPOLL_CTL_DEL, srv, NULL);
	printf("delete: %d; again: ", n);
	n = epoll_ctl(ep, EPOLL_CTL_DEL, srv, NULL);
	printf("%d %s\n", n, ename(errno));
	n = epoll_ctl(ep, EPOLL_CTL_MOD, srv, &ev);
	printf("modify a deleted one: %d %s\n", n, ename(errno));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	n = epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev);
	printf("EPOLLEXCLUSIVE: %d; modify it: ", n);
	n = epoll_ctl(ep, EPOLL_CTL_MOD, srv, &ev);
	printf("%d %s\n", n, ename(errno));
	n = epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev);
	printf("epoll in itself: %d %s\n", n, ename(errno));
	n = epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev);
	printf("a closed fd: %d %s\n", n, ename(errno));
	n = epoll_wait(srv, out, 2, 0);
	printf("epoll_wait on a socket: %d %s\n", n, ename(errno));
	n = epoll_wait(ep, out, 0, 0);
	printf("maxevents 0: %d %s\n", n, ename(errno));
	close(ep);
}

static void half_close(void)
{
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP }, out[2];
	char got[16];
	int n;

	MUST(epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev) == 0);
	MUST(shutdown(cli, SHUT_WR) == 0);
	n = epoll_wait(ep, out, 2, 5000);
	printf("after the client's SHUT_WR: %d event(s), %#x\n", n, out[0].events);
	printf("server reads: %zd\n", read(srv, got, sizeof(got)));
	n = (int)send(cli, "x", 1, MSG_NOSIGNAL);
	printf("client writes after SHUT_WR: %d %s\n", n, ename(errno));
	MUST(write(srv, "still", 5) == 5);
	wait_poll(cli, POLLIN);
	n = (int)read(cli, got, sizeof(got));
	printf("server still sends: %d %.5s\n", n, got);
	close(srv);
	wait_poll(cli, POLLIN);
	printf("then closes: read %zd, poll %#x\n", read(cli, got, sizeof(got)),
	       wait_poll(cli, POLLIN | POLLOUT | POLLRDHUP));
	close(cli);
	close(ep);
}

int main(void)
{
	lis = bound(SOCK_STREAM, &addr);
	printf("listening on %s\n", inet_ntoa(addr.sin_addr));
	echo_poll();
	echo_epoll(0);
	echo_epoll(1);
	oneshot();
	half_close();
	close(lis);
	return 0;
}
