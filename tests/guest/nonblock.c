/* nonblock.c — stdin set O_NONBLOCK (fcntl) on a pipe whose writer is
 * slow: read says EAGAIN at first; cleared again, read waits for data. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char buf[256];
	int fl = fcntl(0, F_GETFL);
	ssize_t n;

	printf("F_GETFL ok=%d nonblock=%d\n", fl >= 0, fl >= 0 && (fl & O_NONBLOCK) != 0);
	printf("F_SETFL O_NONBLOCK: %d\n", fcntl(0, F_SETFL, fl | O_NONBLOCK));
	printf("nonblock now=%d\n", (fcntl(0, F_GETFL) & O_NONBLOCK) != 0);
	errno = 0;
	n = read(0, buf, sizeof(buf));
	printf("read before the writer wrote: %zd %s\n", n,
	       errno == EAGAIN ? "EAGAIN" : strerror(errno));
	printf("F_SETFL blocking: %d\n", fcntl(0, F_SETFL, fl & ~O_NONBLOCK));
	n = read(0, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("blocking read: %zd [%s]\n", n, strtok(buf, "\n"));
	while ((n = read(0, buf, sizeof(buf))) > 0)
		;
	printf("end: %zd\n", n);
	return 0;
}
