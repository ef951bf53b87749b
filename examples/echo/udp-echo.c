/*
 * udp-echo.c — a UDP echo server for pith: every datagram (up to the
 * largest, 65,507 bytes) goes back to its sender unchanged.
 *   udp-echo [-p PORT] [-n DATAGRAMS]
 * -p: the port (default 7). -n: end after this many datagrams, printing
 * "echoed N datagrams, BYTES bytes".
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(7) };
	unsigned long long bytes = 0;
	long want = -1, count = 0;
	int s, opt;

	while ((opt = getopt(argc, argv, "p:n:")) != -1) {
		if (opt == 'p')
			addr.sin_port = htons((uint16_t)atoi(optarg));
		else if (opt == 'n')
			want = atol(optarg);
		else {
			fprintf(stderr, "usage: udp-echo [-p PORT] [-n DATAGRAMS]\n");
			return 2;
		}
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("udp-echo: bind");
		return 1;
	}
	printf("echoing on port %d\n", ntohs(addr.sin_port));
	fflush(stdout);
	while (want < 0 || count < want) {
		struct sockaddr_in from;
		socklen_t fromlen = sizeof(from);
		ssize_t r = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			perror("udp-echo: recvfrom");
			return 1;
		}
		if (sendto(s, buf, (size_t)r, 0, (struct sockaddr *)&from, fromlen) < 0)
			perror("udp-echo: sendto");
		count++;
		bytes += (unsigned long long)r;
	}
	printf("echoed %ld datagrams, %llu bytes\n", count, bytes);
	return 0;
}
