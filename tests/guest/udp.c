/* udp.c — UDP on 127.0.0.1 in one process: sendto/recvfrom to itself,
 * the sender's address, MSG_PEEK, MSG_TRUNC, a 60 KB datagram, sendmsg
 * and recvmsg with several buffers, connect (default peer and filter),
 * FIONREAD, MSG_DONTWAIT, poll, errors; and getaddrinfo for "localhost"
 * and a numeric address (musl reads /etc/hosts). */
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#include "net.h"

static uint8_t big[60000], got[65536];

int main(void)
{
	struct sockaddr_in a, b, from;
	socklen_t len;
	int sa = bound(SOCK_DGRAM, &a), sb = bound(SOCK_DGRAM, &b), n = -1;
	struct pollfd p = { sb, POLLIN, 0 };
	ssize_t r;

	r = sendto(sa, "first", 5, 0, (struct sockaddr *)&b, sizeof(b));
	printf("sendto: %zd\n", r);
	MUST(sendto(sa, "second!", 7, 0, (struct sockaddr *)&b, sizeof(b)) == 7);
	MUST(poll(&p, 1, 5000) == 1);
	printf("poll: %#x\n", p.revents);
	ioctl(sb, FIONREAD, &n);
	printf("FIONREAD (the next datagram): %d\n", n);
	r = recv(sb, got, sizeof(got), MSG_PEEK);
	printf("MSG_PEEK: %zd %.5s\n", r, got);
	len = sizeof(from);
	r = recvfrom(sb, got, 3, 0, (struct sockaddr *)&from, &len);
	printf("recvfrom into 3 bytes: %zd %.3s, from %s, the sender's port: %d, length %u\n", r,
	       got, inet_ntoa(from.sin_addr), from.sin_port == a.sin_port, (unsigned)len);
	r = recv(sb, got, 2, MSG_TRUNC);
	printf("MSG_TRUNC: %zd (the whole datagram) %.2s\n", r, got);
	r = recv(sb, got, sizeof(got), MSG_DONTWAIT);
	printf("nothing left: %zd %s\n", r, ename(errno));

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 31 + 7);
	r = sendto(sa, big, sizeof(big), 0, (struct sockaddr *)&b, sizeof(b));
	printf("60000-byte datagram: sent %zd", r);
	MUST(poll(&p, 1, 5000) == 1);
	r = recv(sb, got, sizeof(got), 0);
	printf(", received %zd, same: %d\n", r, r == sizeof(big) && !memcmp(got, big, sizeof(big)));
	r = sendto(sa, big, 65508, 0, (struct sockaddr *)&b, sizeof(b));
	printf("65508 bytes: %zd %s\n", r, ename(errno));

	/* sendmsg gathers, recvmsg scatters, and says MSG_TRUNC. */
	struct iovec out[3] = { { "abc", 3 }, { "", 0 }, { "defgh", 5 } };
	struct msghdr m = {
		.msg_name = &b, .msg_namelen = sizeof(b), .msg_iov = out, .msg_iovlen = 3
	};
	printf("sendmsg: %zd\n", sendmsg(sa, &m, 0));
	char x[4], y[3];
	struct iovec in[2] = { { x, 4 }, { y, 3 } };
	memset(&from, 0, sizeof(from));
	m = (struct msghdr){
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = in, .msg_iovlen = 2
	};
	MUST(poll(&p, 1, 5000) == 1);
	r = recvmsg(sb, &m, 0);
	printf("recvmsg: %zd %.4s|%.3s, flags %#x, from the sender: %d\n", r, x, y, m.msg_flags,
	       from.sin_port == a.sin_port);

	/* connect: the default destination, and only its datagrams arrive. */
	int sc = socket(AF_INET, SOCK_DGRAM, 0);
	MUST(connect(sb, (struct sockaddr *)&a, sizeof(a)) == 0);
	MUST(connect(sc, (struct sockaddr *)&b, sizeof(b)) == 0);
	printf("send on a connected socket: %zd\n", send(sc, "from c", 6, 0));
	printf("send to the peer: %zd\n", send(sb, "to a", 4, 0));
	p.fd = sa;
	MUST(poll(&p, 1, 5000) == 1);
	r = recv(sa, got, sizeof(got), 0);
	printf("a receives: %zd %.4s\n", r, got);
	usleep(20000);
	r = recv(sb, got, sizeof(got), MSG_DONTWAIT);
	printf("b, connected to a, got nothing from c: %zd %s\n", r, ename(errno));
	len = sizeof(from);
	MUST(getpeername(sb, (struct sockaddr *)&from, &len) == 0);
	printf("b's peer is a: %d\n", from.sin_port == a.sin_port);
	len = sizeof(from);
	MUST(getsockname(sc, (struct sockaddr *)&from, &len) == 0);
	printf("c was bound by connect: %s, port set: %d\n", inet_ntoa(from.sin_addr),
	       from.sin_port != 0);
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	printf("disconnect: %d", connect(sb, &un, sizeof(un)));
	n = getpeername(sb, (struct sockaddr *)&from, &len);
	printf(", then getpeername: %d %s\n", n, ename(errno));
	int sd = socket(AF_INET, SOCK_DGRAM, 0);
	r = send(sd, "x", 1, 0);
	printf("send without a destination: %zd %s\n", r, ename(errno));
	r = listen(sd, 1);
	printf("listen on UDP: %zd %s\n", r, ename(errno));
	printf("accept on UDP: %d %s\n", accept(sd, NULL, NULL), ename(errno));

	/* Names. */
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_DGRAM }, *res;
	char port[8];
	snprintf(port, sizeof(port), "%u", ntohs(a.sin_port));
	n = getaddrinfo("localhost", port, &hints, &res);
	printf("getaddrinfo localhost: %d %s\n", n,
	       n ? "" : inet_ntoa(((struct sockaddr_in *)res->ai_addr)->sin_addr));
	MUST(n == 0);
	r = sendto(sd, "by name", 7, 0, res->ai_addr, res->ai_addrlen);
	printf("sent by name: %zd\n", r);
	freeaddrinfo(res);
	n = getaddrinfo("127.0.0.1", "9", &hints, &res);
	printf("getaddrinfo 127.0.0.1: %d %s\n", n,
	       n ? "" : inet_ntoa(((struct sockaddr_in *)res->ai_addr)->sin_addr));
	if (!n)
		freeaddrinfo(res);
	p.fd = sa;
	MUST(poll(&p, 1, 5000) == 1);
	r = recv(sa, got, sizeof(got), 0);
	printf("a receives: %zd %.7s\n", r, got);
	close(sa);
	close(sb);
	close(sc);
	close(sd);
	return 0;
}
