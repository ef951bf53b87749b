/*
 * die.c — a program that uses the network and then dies of abort(): with
 * --verbose, pith must still print the stack's counters (tests/hostile-net).
 * It sends one datagram to the suite's own address in its namespace.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "10.213.0.1", &to.sin_addr);
	sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
	abort();
}
