/* tcp-errors.c — TCP's errors as Linux gives them, on 127.0.0.1:
 * socket()'s refusals, connect to a closed port (blocking and not, with
 * SO_ERROR), bind conflicts and SO_REUSEADDR, MSG_DONTWAIT, FIONREAD,
 * MSG_PEEK, SO_RCVTIMEO, options read back, writing to a peer that
 * closed: EPIPE with MSG_NOSIGNAL, and with "sigpipe" as argument the
 * SIGPIPE that kills the program (status 141). With "accept" or "recv"
 * it blocks there for a signal from outside: SIGINT's handler (no
 * SA_RESTART) makes the call fail with EINTR; SIGTERM kills. */
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/time.h>

#include "net.h"

static void report(const char *what, int r)
{
	printf("%s: %d %s\n", what, r, ename(r < 0 ? errno : 0));
}

static void creation(void)
{
	report("socket(12345, SOCK_STREAM)", socket(12345, SOCK_STREAM, 0));
	report("socket(AF_INET, SOCK_SEQPACKET)", socket(AF_INET, SOCK_SEQPACKET, 0));
	report("socket(AF_INET, SOCK_STREAM, IPPROTO_UDP)",
	       socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
	report("socket(AF_INET, 99)", socket(AF_INET, 99, 0));
	report("socket(AF_INET, SOCK_STREAM | 0x100000)",
	       socket(AF_INET, SOCK_STREAM | 0x100000, 0));
	report("listen on stdin", listen(0, 1));
	report("bind a closed fd", bind(77, NULL, 0));
}

static void refused(void)
{
	struct sockaddr_in a;
	int lis = bound(SOCK_STREAM, &a), s, err;
	socklen_t len = sizeof(err);
	struct pollfd p;

	close(lis); /* the port is closed now */
	s = socket(AF_INET, SOCK_STREAM, 0);
	report("blocking connect to a closed port", connect(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	report("non-blocking connect to a closed port",
	       connect(s, (struct sockaddr *)&a, sizeof(a)));
	p = (struct pollfd){ s, POLLOUT, 0 };
	MUST(poll(&p, 1, 5000) == 1);
	printf("poll says %#x\n", p.revents);
	MUST(getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) == 0);
	printf("SO_ERROR: %s", ename(err));
	MUST(getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) == 0);
	printf(", then %s\n", ename(err));
	close(s);
}

static void binding(void)
{
	struct sockaddr_in a, b = loopback(0);
	int lis = bound(SOCK_STREAM, &a), s, t, srv, one = 1;

	(void)t;

	s = socket(AF_INET, SOCK_STREAM, 0);
	report("bind the listener's port", bind(s, (struct sockaddr *)&a, sizeof(a)));
	MUST(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	report("... with SO_REUSEADDR, the listener still there",
	       bind(s, (struct sockaddr *)&a, sizeof(a)));
	b.sin_addr.s_addr = htonl(0x0a000001);
	report("bind 10.0.0.1 (not ours)", bind(s, (struct sockaddr *)&b, sizeof(b)));
	b.sin_family = AF_INET6;
	report("bind a non-INET family", bind(s, (struct sockaddr *)&b, sizeof(b)));
	report("bind a short address", bind(s, (struct sockaddr *)&a, 8));
	close(s);
	close(lis);
	/* A server restarts on its port while its old connections wait in
	 * TIME-WAIT: with SO_REUSEADDR on both, as servers do. */
	lis = socket(AF_INET, SOCK_STREAM, 0);
	MUST(setsockopt(lis, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	a = loopback(0);
	MUST(bind(lis, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(lis, 5) == 0);
	MUST(getsockname(lis, (struct sockaddr *)&a, &(socklen_t){ sizeof(a) }) == 0);
	t = pair(lis, &a, &srv);
	close(srv); /* the server closes first: its end waits in TIME-WAIT */
	usleep(20000);
	close(t);
	close(lis);
	usleep(20000);
	s = socket(AF_INET, SOCK_STREAM, 0);
	report("bind the port of a connection in TIME-WAIT",
	       bind(s, (struct sockaddr *)&a, sizeof(a)));
	MUST(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	report("... with SO_REUSEADDR", bind(s, (struct sockaddr *)&a, sizeof(a)));
	report("bind twice", bind(s, (struct sockaddr *)&a, sizeof(a)));
	report("listen there", listen(s, 5));
	close(s);

	struct sockaddr_in e;
	socklen_t len = sizeof(e);
	s = socket(AF_INET, SOCK_STREAM, 0);
	b = loopback(0);
	MUST(bind(s, (struct sockaddr *)&b, sizeof(b)) == 0);
	MUST(getsockname(s, (struct sockaddr *)&e, &len) == 0);
	printf("port 0 gives an ephemeral port: %d\n", ntohs(e.sin_port) >= 1024);
	close(s);
}

static void options(int s)
{
	int v = 0, ok;
	socklen_t len = sizeof(v);
	struct linger l = { 1, 5 };
	struct timeval tv = { 1, 500000 };

	getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
	printf("SO_TYPE %d", v);
	getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &len);
	printf(", SO_REUSEADDR %d", v);
	getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len);
	printf(", TCP_NODELAY %d", v);
	v = 1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
	setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v));
	getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len);
	printf(", then %d", v);
	getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len);
	printf(", SO_KEEPALIVE %d\n", v);
	v = 65536;
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len);
	printf("SO_RCVBUF 65536 reads back as %d\n", v);
	MUST(setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) == 0);
	l = (struct linger){ 0, 0 };
	len = sizeof(l);
	getsockopt(s, SOL_SOCKET, SO_LINGER, &l, &len);
	printf("SO_LINGER %d %d (length %u)\n", l.l_onoff, l.l_linger, (unsigned)len);
	l.l_onoff = 0;
	setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	MUST(setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0);
	tv = (struct timeval){ 0, 0 };
	len = sizeof(tv);
	getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, &len);
	printf("SO_SNDTIMEO %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
	tv.tv_usec = 2000000;
	report("SO_RCVTIMEO with 2000000 us",
	       setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	len = sizeof(v);
	report("unknown SOL_SOCKET option", getsockopt(s, SOL_SOCKET, 12345, &v, &len));
	ok = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 2);
	report("option shorter than an int", ok);
}

static void data(void)
{
	struct sockaddr_in a;
	int lis = bound(SOCK_STREAM, &a), srv, cli = pair(lis, &a, &srv), n = -1;
	struct timeval tv = { 0, 100000 };
	struct pollfd p = { srv, POLLIN, 0 };
	char buf[64];
	ssize_t r;

	options(cli);
	r = recv(srv, buf, sizeof(buf), MSG_DONTWAIT);
	report("recv MSG_DONTWAIT, nothing there", (int)r);
	ioctl(srv, FIONREAD, &n);
	printf("FIONREAD with nothing: %d\n", n);
	MUST(setsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
	r = recv(srv, buf, sizeof(buf), 0);
	report("blocking recv with SO_RCVTIMEO 100 ms", (int)r);
	r = read(srv, buf, sizeof(buf));
	report("blocking read with SO_RCVTIMEO 100 ms", (int)r);
	MUST(send(cli, "hello, world", 12, 0) == 12);
	MUST(poll(&p, 1, 5000) == 1);
	ioctl(srv, FIONREAD, &n);
	printf("FIONREAD: %d\n", n);
	r = recv(srv, buf, 5, MSG_PEEK);
	printf("MSG_PEEK: %zd %.5s\n", r, buf);
	r = recv(srv, buf, sizeof(buf), MSG_WAITALL | MSG_DONTWAIT);
	printf("recv: %zd %.12s\n", r, buf);
	report("shutdown with how 7", shutdown(srv, 7));

	/* The peer closes: the first write goes (and brings a reset back),
	 * the next gets EPIPE. */
	close(srv);
	usleep(20000);
	r = send(cli, "x", 1, MSG_NOSIGNAL);
	report("send to a peer that closed", (int)r);
	usleep(20000);
	r = send(cli, "x", 1, MSG_NOSIGNAL);
	report("again, MSG_NOSIGNAL", (int)r);
	r = recv(cli, buf, sizeof(buf), 0);
	report("recv after the reset", (int)r);
	close(cli);

	/* A reset while established: ECONNRESET, then the end. */
	cli = pair(lis, &a, &srv);
	struct linger l = { 1, 0 };
	MUST(setsockopt(srv, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) == 0);
	close(srv); /* linger 0: a reset */
	p = (struct pollfd){ cli, POLLIN, 0 };
	MUST(poll(&p, 1, 5000) == 1);
	printf("reset: poll %#x\n", p.revents);
	report("recv", (int)recv(cli, buf, sizeof(buf), 0));
	report("recv again", (int)recv(cli, buf, sizeof(buf), 0));
	report("getpeername", getpeername(cli, (struct sockaddr *)&a, &(socklen_t){ sizeof(a) }));
	close(cli);
	close(lis);
}

static void sigpipe(void)
{
	struct sockaddr_in a;
	int lis = bound(SOCK_STREAM, &a), srv, cli = pair(lis, &a, &srv);

	MUST(shutdown(cli, SHUT_WR) == 0);
	fflush(stdout);
	write(cli, "x", 1); /* SIGPIPE: the program ends here */
	printf("not reached\n");
}

static void on_int(int sig)
{
	(void)sig;
}

static void block(const char *where)
{
	struct sigaction sa = { .sa_handler = on_int };
	struct sockaddr_in a;
	int lis = bound(SOCK_STREAM, &a), srv, cli, r;
	char buf[8];

	sigaction(SIGINT, &sa, NULL);
	printf("waiting in %s\n", where);
	fflush(stdout);
	if (!strcmp(where, "accept")) {
		r = accept(lis, NULL, NULL);
	} else {
		cli = pair(lis, &a, &srv);
		r = (int)recv(srv, buf, sizeof(buf), 0);
		close(cli);
	}
	printf("%s: %d %s\n", where, r, ename(errno));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "sigpipe")) {
		sigpipe();
		return 0;
	}
	if (argc > 1) {
		block(argv[1]);
		return 0;
	}
	creation();
	refused();
	binding();
	data();
	return 0;
}
