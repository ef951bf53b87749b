/* tcp-many.c — 200 TCP connections open at once on 127.0.0.1, in one
 * process: a non-blocking listener accepts them through epoll as the
 * clients connect, then every client sends its number and every server
 * end answers through one epoll set of 400 sockets, edge-triggered on the
 * servers, level-triggered on the clients. Buffers are 16 KiB a side,
 * as a server with many connections sets them. */
#include <sys/epoll.h>

#include "net.h"

#define CONNS 200
#define BATCH 20

static int cli[CONNS], srv[CONNS], answered[CONNS];

static void small_buffers(int s)
{
	int v = 16384;

	MUST(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) == 0);
	MUST(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) == 0);
}

int main(void)
{
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof(a);
	int lis = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN }, out[64];
	int accepted = 0, done = 0, waits = 0;

	small_buffers(lis);
	MUST(bind(lis, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(lis, 128) == 0);
	MUST(getsockname(lis, (struct sockaddr *)&a, &len) == 0);
	ev.data.u64 = 1000000;
	MUST(epoll_ctl(ep, EPOLL_CTL_ADD, lis, &ev) == 0);
	for (int i = 0; i < CONNS; i++) {
		cli[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		MUST(cli[i] >= 0);
		small_buffers(cli[i]);
		MUST(connect(cli[i], (struct sockaddr *)&a, sizeof(a)) == -1 &&
		     errno == EINPROGRESS);
		if ((i + 1) % BATCH)
			continue;
		/* Accept this batch: every connection made so far. */
		while (accepted <= i) {
			int n = epoll_wait(ep, out, 64, 5000);

			MUST(n == 1 && out[0].data.u64 == 1000000);
			for (int s; (s = accept4(lis, NULL, NULL, SOCK_NONBLOCK)) >= 0;) {
				srv[accepted] = s;
				ev.events = EPOLLIN | EPOLLET;
				ev.data.u64 = (uint64_t)accepted;
				MUST(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) == 0);
				accepted++;
			}
			MUST(errno == EAGAIN);
		}
	}
	printf("accepted %d connections, all open at once\n", accepted);
	MUST(epoll_ctl(ep, EPOLL_CTL_DEL, lis, NULL) == 0);
	/* The accept order is the connect order on both systems; the test
	 * does not depend on it: every server end echoes what it reads. */
	for (int i = 0; i < CONNS; i++) {
		char msg[16];
		int n = snprintf(msg, sizeof(msg), "%d;", i);

		ev.events = EPOLLIN;
		ev.data.u64 = 2000000 + (uint64_t)i;
		MUST(epoll_ctl(ep, EPOLL_CTL_ADD, cli[i], &ev) == 0);
		MUST(write(cli[i], msg, (size_t)n) == n);
	}
	while (done < CONNS) {
		int n = epoll_wait(ep, out, 64, 5000);

		MUST(n > 0);
		waits++;
		for (int k = 0; k < n; k++) {
			uint64_t d = out[k].data.u64;
			char buf[64];
			ssize_t r;

			if (d < CONNS) { /* a server end: echo all there is */
				while ((r = read(srv[d], buf, sizeof(buf))) > 0)
					MUST(write(srv[d], buf, (size_t)r) == r);
				MUST(r < 0 && errno == EAGAIN);
				continue;
			}
			d -= 2000000;
			r = read(cli[d], buf, sizeof(buf) - 1);
			MUST(r > 0);
			buf[r] = 0;
			MUST(atoi(buf) == (int)d && buf[r - 1] == ';');
			answered[d]++;
			done++;
			MUST(epoll_ctl(ep, EPOLL_CTL_DEL, cli[d], NULL) == 0);
		}
	}
	for (int i = 0; i < CONNS; i++)
		MUST(answered[i] == 1);
	printf("%d answers, each from its own connection\n", done);
	for (int i = 0; i < CONNS; i++) {
		close(cli[i]);
		close(srv[i]);
	}
	close(lis);
	close(ep);
	return 0;
}
