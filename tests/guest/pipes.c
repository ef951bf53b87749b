/* pipes.c — pipes and descriptors as Linux has them: pipe2, read/write
 * through the ring, end of file, EPIPE and SIGPIPE, O_NONBLOCK and the
 * 64 KiB capacity, atomic PIPE_BUF writes, poll and select on both ends,
 * dup/dup2/dup3/F_DUPFD, close-on-exec flags, fstat and FIONREAD. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *e(long r)
{
	return r < 0 ? strerror(errno) : "ok";
}

static void show_poll(const char *what, int fd, short events)
{
	struct pollfd p = { fd, events, 0 };
	int r = poll(&p, 1, 0);

	printf("%s: poll %d revents 0x%x\n", what, r, p.revents);
}

int main(void)
{
	int p[2], q[2], n;
	char buf[70000];
	struct stat st;
	long r;

	setvbuf(stdout, NULL, _IONBF, 0);
	r = pipe2(p, O_CLOEXEC);
	printf("pipe2: %ld %s, fds %d %d\n", r, e(r), p[0], p[1]);
	printf("cloexec: %d %d\n", fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD));
	printf("flags: %o %o\n", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
	r = fstat(p[0], &st);
	printf("fstat: %ld fifo %d\n", r, S_ISFIFO(st.st_mode));
	show_poll("empty read end", p[0], POLLIN);
	show_poll("empty write end", p[1], POLLOUT);

	r = write(p[1], "hello, pipe", 11);
	printf("write: %ld\n", r);
	ioctl(p[0], FIONREAD, &n);
	printf("FIONREAD: %d\n", n);
	show_poll("data in read end", p[0], POLLIN);
	r = read(p[0], buf, 5);
	printf("read 5: %ld [%.*s]\n", r, (int)r, buf);
	r = read(p[0], buf, sizeof(buf));
	printf("read rest: %ld [%.*s]\n", r, (int)r, buf);

	/* Non-blocking: an empty pipe says EAGAIN; it holds 64 KiB. */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	errno = 0;
	r = read(p[0], buf, 10);
	printf("read empty nonblock: %ld %s\n", r, e(r));
	memset(buf, 'x', sizeof(buf));
	r = write(p[1], buf, sizeof(buf));
	printf("write 70000 nonblock: %ld\n", r);
	r = write(p[1], buf, 1);
	printf("write to full: %ld %s\n", r, e(r));
	show_poll("full write end", p[1], POLLOUT);
	r = read(p[0], buf, 100);
	printf("read 100: %ld\n", r);
	r = write(p[1], buf, 200); /* atomic: 100 bytes of room is not enough */
	printf("write 200 into 100: %ld %s\n", r, e(r));
	r = write(p[1], buf, 100);
	printf("write 100 into 100: %ld\n", r);
	long total = 0;
	while ((r = read(p[0], buf, sizeof(buf))) > 0)
		total += r;
	printf("drained: %ld\n", total);

	/* dup family. */
	int d = dup(p[1]);
	printf("dup: %d cloexec %d\n", d, fcntl(d, F_GETFD));
	r = dup2(p[1], 40);
	printf("dup2 -> 40: %ld\n", r);
	r = dup2(40, 40);
	printf("dup2 same: %ld\n", r);
	r = dup3(40, 40, 0);
	printf("dup3 same: %ld %s\n", r, e(r));
	r = dup3(p[1], 41, O_CLOEXEC);
	printf("dup3 cloexec: %ld %d\n", r, fcntl(41, F_GETFD));
	r = fcntl(p[1], F_DUPFD, 100);
	printf("F_DUPFD 100: %ld\n", r);
	r = dup2(99, 50);
	printf("dup2 bad: %ld %s\n", r, e(r));
	r = close(99);
	printf("close bad: %ld %s\n", r, e(r));

	/* The write end is open in five descriptors; EOF only after all. */
	close(p[1]);
	close(d);
	close(40);
	close(41);
	show_poll("read end, one writer left", p[0], POLLIN);
	close(100);
	show_poll("read end, no writers", p[0], POLLIN);
	r = read(p[0], buf, 10);
	printf("read at end: %ld\n", r);

	/* No readers: EPIPE with SIGPIPE ignored. */
	pipe(q);
	close(q[0]);
	signal(SIGPIPE, SIG_IGN);
	show_poll("write end, no readers", q[1], POLLOUT);
	r = write(q[1], "x", 1);
	printf("write no readers: %ld %s\n", r, e(r));

	/* select on a pipe. */
	int s[2];
	fd_set rd, wr;

	pipe(s);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(s[0], &rd);
	FD_SET(s[1], &wr);
	struct timeval tv = { 0, 0 };
	r = select(s[1] + 1, &rd, &wr, NULL, &tv);
	printf("select: %ld rd %d wr %d\n", r, FD_ISSET(s[0], &rd), FD_ISSET(s[1], &wr));
	write(s[1], "y", 1);
	FD_ZERO(&rd);
	FD_SET(s[0], &rd);
	r = select(s[0] + 1, &rd, NULL, NULL, &tv);
	printf("select with data: %ld rd %d\n", r, FD_ISSET(s[0], &rd));

	/* Default SIGPIPE ends the program: status 141. */
	signal(SIGPIPE, SIG_DFL);
	printf("now the default SIGPIPE\n");
	write(q[1], "x", 1);
	printf("not reached\n");
	return 0;
}
