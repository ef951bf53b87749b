/* tcp-bulk.c — 4 MB through a TCP connection on 127.0.0.1 in one
 * process, both ends non-blocking and driven by poll, writes and reads
 * of odd sizes; the receiver checks every byte and a checksum. Then the
 * sender half-closes (the receiver reads the end of the stream) and the
 * receiver answers with its checksum over the still-open direction. */
#include <poll.h>
#include <stdbool.h>

#include "net.h"

#define TOTAL	  (4u << 20)
#define MIN(a, b) ((a) < (b) ? (a) : (b))

static uint8_t pattern(uint32_t i)
{
	return (uint8_t)(i * 2654435761u >> 13);
}

int main(void)
{
	struct sockaddr_in a;
	int lis = bound(SOCK_STREAM, &a), srv, cli = pair(lis, &a, &srv);
	static uint8_t out[70000], in[50000];
	uint32_t sent = 0, got = 0, sum = 1, sum2 = 0, rounds = 0;
	bool eof = false, bad = false;
	char reply[64];

	nonblock(srv);
	for (uint32_t i = 0; i < sizeof(out); i++)
		out[i] = 0;
	while (!eof) {
		struct pollfd p[2] = { { cli, sent < TOTAL ? POLLOUT : 0, 0 }, { srv, POLLIN, 0 } };

		MUST(poll(p, 2, 5000) > 0);
		rounds++;
		if (p[0].revents & POLLOUT) {
			size_t n = MIN(TOTAL - sent, 1000 + rounds * 7919 % 60000);
			ssize_t w;

			for (size_t i = 0; i < n; i++)
				out[i] = pattern(sent + (uint32_t)i);
			w = write(cli, out, n);
			MUST(w > 0 || errno == EAGAIN);
			if (w > 0)
				sent += (uint32_t)w;
			if (sent == TOTAL)
				MUST(shutdown(cli, SHUT_WR) == 0);
		}
		if (p[1].revents & POLLIN) {
			ssize_t r = read(srv, in, 1 + rounds * 104729 % sizeof(in));

			MUST(r >= 0 || errno == EAGAIN);
			eof = r == 0;
			for (ssize_t i = 0; i < r; i++) {
				bad |= in[i] != pattern(got + (uint32_t)i);
				sum = (sum + in[i]) % 65521; /* Adler-32 */
				sum2 = (sum2 + sum) % 65521;
			}
			if (r > 0)
				got += (uint32_t)r;
		}
	}
	printf("sent %u, received %u, every byte right: %d, adler32 %08x\n", sent, got, !bad,
	       sum2 << 16 | sum);
	snprintf(reply, sizeof(reply), "adler32 %08x", sum2 << 16 | sum);
	MUST(write(srv, reply, strlen(reply)) == (ssize_t)strlen(reply));
	close(srv);
	{
		struct pollfd p = { cli, POLLIN, 0 };
		char buf[64];
		size_t have = 0;
		ssize_t r;

		do {
			MUST(poll(&p, 1, 5000) == 1);
			r = read(cli, buf + have, sizeof(buf) - 1 - have);
			MUST(r >= 0 || errno == EAGAIN);
			if (r > 0)
				have += (size_t)r;
		} while (r != 0);
		buf[have] = 0;
		printf("the sender, half-closed, reads the answer: %s, then the end\n", buf);
	}
	close(cli);
	close(lis);
	return 0;
}
