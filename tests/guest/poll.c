/* poll.c — poll and select on the console's fds, with stdin a pipe from
 * a writer that waits 500 ms, writes one line, waits 200 ms more and
 * closes: timeouts that expire, a wait that ends when input comes, end of
 * input (a pipe's writer gone: POLLHUP on Linux), bad fds. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(void)
{
	struct pollfd p[3];
	char buf[64];
	long long t0;
	int r;

	p[0] = (struct pollfd){ 1, POLLOUT, 0 };
	p[1] = (struct pollfd){ 2, POLLOUT, 0 };
	r = poll(p, 2, 0);
	printf("poll stdout, stderr for POLLOUT: %d revents %#x %#x\n", r, p[0].revents,
	       p[1].revents);
	p[0] = (struct pollfd){ 7, POLLIN, 0 };
	p[1] = (struct pollfd){ -1, POLLIN, 0 };
	r = poll(p, 2, 0);
	printf("poll fd 7 and fd -1: %d revents %#x %#x\n", r, p[0].revents, p[1].revents);

	t0 = now_ms();
	r = poll(NULL, 0, 50);
	printf("poll(NULL, 0, 50 ms): %d, waited >= 50 ms: %d\n", r, now_ms() - t0 >= 50);

	p[0] = (struct pollfd){ 0, POLLIN, 0 };
	t0 = now_ms();
	r = poll(p, 1, 100);
	printf("poll stdin 100 ms before input: %d revents %#x, waited >= 100 ms: %d\n", r,
	       p[0].revents, now_ms() - t0 >= 100);

	fd_set rd;
	struct timeval tv = { 0, 50000 };
	FD_ZERO(&rd);
	FD_SET(0, &rd);
	t0 = now_ms();
	r = select(1, &rd, NULL, NULL, &tv);
	printf("select stdin 50 ms before input: %d, set %d, waited >= 50 ms: %d\n", r,
	       FD_ISSET(0, &rd), now_ms() - t0 >= 50);

	p[0] = (struct pollfd){ 0, POLLIN, 0 };
	r = poll(p, 1, -1);
	printf("poll stdin without timeout: %d revents %#x\n", r, p[0].revents);
	ssize_t n = read(0, buf, sizeof(buf));
	printf("read %zd bytes\n", n);
	while ((n = read(0, buf, sizeof(buf))) > 0)
		;
	printf("then read %zd (end of input)\n", n);
	p[0] = (struct pollfd){ 0, POLLIN, 0 };
	r = poll(p, 1, 1000);
	printf("poll stdin at end of input: %d revents %#x\n", r, p[0].revents);
	FD_ZERO(&rd);
	FD_SET(0, &rd);
	tv = (struct timeval){ 1, 0 };
	r = select(1, &rd, NULL, NULL, &tv);
	printf("select stdin at end of input: %d set %d\n", r, FD_ISSET(0, &rd));
	FD_ZERO(&rd);
	FD_SET(7, &rd);
	tv = (struct timeval){ 0, 0 };
	errno = 0;
	r = select(8, &rd, NULL, NULL, &tv);
	printf("select fd 7: %d %s\n", r, r < 0 ? strerror(errno) : "");
	return 0;
}
