/*
 * epoll-nest.c — epoll instances watching each other: a loop is ELOOP,
 * nesting deeper than Linux allows is ELOOP, a chain within it works.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

static void add(const char *what, int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	int r = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);

	printf("%s: %d %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void)
{
	int a = epoll_create1(0), b = epoll_create1(0), c = epoll_create1(0), p[2];
	int chain[8];
	struct epoll_event out[4];

	add("a watches b", a, b);
	add("b watches a", b, a);
	add("b watches c", b, c);
	add("c watches a", c, a);
	add("a watches itself", a, a);
	/* A pipe at the bottom of a chain reaches the top. */
	pipe(p);
	add("c watches pipe", c, p[0]);
	write(p[1], "x", 1);
	printf("a ready: %d\n", epoll_wait(a, out, 4, 0));
	/* Linux allows 4 levels of nesting under the top. */
	for (int i = 0; i < 8; i++)
		chain[i] = epoll_create1(0);
	for (int i = 1; i < 8; i++) {
		char what[32];

		snprintf(what, sizeof(what), "level %d", i);
		add(what, chain[i], chain[i - 1]);
	}
	return 0;
}
