/*
 * tcp.c — pith's stack over a tap, against Linux (tests/netdev/run.sh).
 *   tcp serve PORT N   accept N connections, echo each until its EOF
 *   tcp fetch ADDR PORT  connect, send "ping", print what comes back
 *   tcp udpspin PORT N   receive N datagrams polling without ever waiting
 *                        (recv with MSG_DONTWAIT, then epoll_wait with 0)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static int serve(int port, int n)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	static char buf[65536];

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 16) < 0) {
		perror("bind/listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		int c = accept(s, NULL, NULL);
		long total = 0;
		ssize_t r;

		if (c < 0) {
			perror("accept");
			return 1;
		}
		while ((r = read(c, buf, sizeof(buf))) > 0) {
			for (ssize_t off = 0; off < r;) {
				ssize_t w = write(c, buf + off, (size_t)(r - off));

				if (w <= 0) {
					perror("write");
					return 1;
				}
				off += w;
			}
			total += r;
		}
		close(c);
		printf("echoed %ld\n", total);
	}
	return 0;
}

static int fetch(const char *addr, int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char buf[256];
	ssize_t r;
	size_t n = 0;

	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1 ||
	    connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("connect");
		return 1;
	}
	if (write(s, "ping", 4) != 4) {
		perror("write");
		return 1;
	}
	shutdown(s, SHUT_WR);
	while (n < sizeof(buf) - 1 && (r = read(s, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	printf("got %s\n", buf);
	return 0;
}

static int udpspin(int port, int n)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), ep = epoll_create1(0), got = 0;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct epoll_event ev = { .events = EPOLLIN }, out;
	char buf[2048];

	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) < 0) {
		perror("bind");
		return 1;
	}
	printf("bound\n");
	fflush(stdout);
	/* Half the datagrams by recv alone, the rest through epoll(0). */
	while (got < n / 2)
		if (recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			got++;
	while (got < n)
		if (epoll_wait(ep, &out, 1, 0) == 1 && recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			got++;
	printf("got %d\n", got);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "udpspin"))
		return udpspin(atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "serve"))
		return serve(atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "fetch"))
		return fetch(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: tcp serve PORT N | tcp fetch ADDR PORT\n");
	return 2;
}
