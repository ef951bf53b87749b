/*
 * bulk.c — one bulk TCP transfer for bench/run group 10: listens on a
 * port, accepts one connection, and either reads it to EOF ("sink") or
 * writes N MiB to it and closes ("source"). The peer on the other side
 * times the transfer; this side prints what it moved.
 *   bulk sink PORT
 *   bulk source PORT MIB
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[256 * 1024];

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int ls, fd, one = 1, sink;
	long long moved = 0, want = 0;

	if (argc < 3 || (strcmp(argv[1], "sink") && strcmp(argv[1], "source")) ||
	    (!strcmp(argv[1], "source") && argc < 4)) {
		fprintf(stderr, "usage: bulk sink PORT | bulk source PORT MIB\n");
		return 2;
	}
	sink = !strcmp(argv[1], "sink");
	addr.sin_port = htons((unsigned short)atoi(argv[2]));
	if (!sink)
		want = atoll(argv[3]) << 20;
	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(ls, 1) < 0) {
		perror("bulk: listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	fd = accept(ls, NULL, NULL);
	if (fd < 0) {
		perror("bulk: accept");
		return 1;
	}
	if (sink) {
		ssize_t r;

		while ((r = read(fd, buf, sizeof(buf))) > 0)
			moved += r;
		if (r < 0) {
			perror("bulk: read");
			return 1;
		}
	} else {
		while (moved < want) {
			size_t n = want - moved < (long long)sizeof(buf) ? (size_t)(want - moved)
									 : sizeof(buf);
			ssize_t w = write(fd, buf, n);

			if (w <= 0) {
				perror("bulk: write");
				return 1;
			}
			moved += w;
		}
	}
	close(fd);
	printf("moved=%lld\n", moved);
	return 0;
}
