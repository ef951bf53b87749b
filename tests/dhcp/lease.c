/*
 * lease.c — what a guest configured by DHCP sees (tests/dhcp/run.sh).
 *   lease ADDR PORT [NAME]
 * Prints /etc/resolv.conf as read before any socket (musl's resolver
 * reads it first), the guest's own address (getsockname of a UDP socket
 * connected towards ADDR), the address NAME resolves to through the
 * resolver, and what a TCP server at ADDR:PORT answers to "ping".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET }, me;
	socklen_t len = sizeof(me);
	char line[200], buf[64];
	FILE *f;
	int s;
	ssize_t n;

	if (argc < 3)
		return 2;
	f = fopen("/etc/resolv.conf", "r");
	while (f && fgets(line, sizeof(line), f))
		printf("resolv: %s", line);
	if (f)
		fclose(f);
	a.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1)
		return 2;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(s, (struct sockaddr *)&me, &len) < 0)
		printf("udp: %s\n", strerror(errno));
	else
		printf("addr: %s\n", inet_ntoa(me.sin_addr));
	close(s);
	if (argc > 3) {
		struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *r;
		int e = getaddrinfo(argv[3], NULL, &hints, &r);

		if (e)
			printf("name: %s: %s\n", argv[3], gai_strerror(e));
		else
			printf("name: %s %s\n", argv[3],
			       inet_ntoa(((struct sockaddr_in *)r->ai_addr)->sin_addr));
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("tcp: %s\n", strerror(errno));
		return 1;
	}
	if (write(s, "ping", 4) != 4 || (n = read(s, buf, sizeof(buf) - 1)) <= 0) {
		printf("tcp: no answer\n");
		return 1;
	}
	buf[n] = '\0';
	printf("tcp: %s\n", buf);
	return 0;
}
