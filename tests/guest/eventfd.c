/* eventfd.c — eventfd as Linux's: counting, EFD_SEMAPHORE, EFD_NONBLOCK,
 * bad lengths and values, readiness through poll and edge-triggered
 * epoll (each write is an edge, even while already readable). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static uint64_t v;

static void rd(const char *what, int fd, size_t len)
{
	ssize_t r = read(fd, &v, len);

	printf("%s: %zd", what, r);
	if (r < 0)
		printf(" %s\n", errno == EAGAIN ? "EAGAIN" : errno == EINVAL ? "EINVAL" : "other");
	else
		printf(", %llu\n", (unsigned long long)v);
}

static void wr(const char *what, int fd, uint64_t val)
{
	ssize_t r = write(fd, &val, sizeof(val));

	printf("%s: %zd", what, r);
	printf(r < 0 ? " %s\n" : "\n", errno == EAGAIN	 ? "EAGAIN"
				       : errno == EINVAL ? "EINVAL"
							 : "other");
}

static void pl(const char *what, int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	int n = poll(&p, 1, 0);

	printf("%s: %d %#x\n", what, n, p.revents);
}

static void ew(const char *what, int ep)
{
	struct epoll_event out[2];
	int n = epoll_wait(ep, out, 2, 0);

	printf("%s: %d\n", what, n);
}

int main(void)
{
	int e = eventfd(3, EFD_NONBLOCK), ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

	pl("poll", e);
	rd("read", e, 8);
	rd("read empty", e, 8);
	rd("short read", e, 4);
	wr("write 2^64-1", e, UINT64_MAX);
	wr("write the most", e, 0xfffffffffffffffeull);
	wr("one more", e, 1);
	pl("poll full", e);
	close(e);

	e = eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
	if (epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev) != 0)
		return 1;
	ew("epoll, nothing yet", ep);
	wr("write 2", e, 2);
	ew("after a write", ep);
	ew("again, no new write", ep);
	wr("write 1", e, 1);
	ew("another write while readable", ep);
	for (int i = 0; i < 4; i++)
		rd("semaphore read", e, 8);
	e = eventfd(0, 0x10);
	printf("eventfd bad flags: %d %s\n", e, errno == EINVAL ? "EINVAL" : "other");
	close(ep);
	return 0;
}
