/*
 * tcp.c — pith's stack over a tap, against Linux (tests/netdev/run.sh).
 *   tcp serve PORT N   accept N connections, echo each until its EOF
 *   tcp fetch ADDR PORT  connect, send "ping", print what comes back
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "serve"))
		return serve(atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "fetch"))
		return fetch(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: tcp serve PORT N | tcp fetch ADDR PORT\n");
	return 2;
}
