/*
 * fetch.c — an HTTP/1.1 client for pith: GET one URL, the body to stdout.
 *   fetch http://HOST[:PORT]/PATH
 * HOST is resolved by getaddrinfo (so /etc/hosts and the DNS server of
 * --dns); bodies sized by Content-Length, sent chunked, or ending at the
 * close. Exit status 0 for a 2xx answer; otherwise 1 and one line on
 * stderr (the status, or why the fetch failed); 2 for bad usage.
 */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define LINE_MAX_LEN 8192

/* A buffered reader over the connection. */
struct conn {
	int fd;
	size_t pos, len;
	char buf[65536];
};

static const char *url;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "fetch: %s: ", url);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

/* Refill when empty; 0 at the end of the stream. */
static size_t fill(struct conn *c)
{
	if (c->pos == c->len) {
		ssize_t r;

		do
			r = read(c->fd, c->buf, sizeof(c->buf));
		while (r < 0 && errno == EINTR);
		if (r < 0)
			die("read: %s", strerror(errno));
		c->pos = 0;
		c->len = (size_t)r;
	}
	return c->len - c->pos;
}

/* One line without its CRLF; a line too long or cut short is an error. */
static char *read_line(struct conn *c, char *line)
{
	size_t n = 0;

	for (;;) {
		if (!fill(c))
			die("%s", "connection closed in the middle of the header");
		char ch = c->buf[c->pos++];

		if (ch == '\n')
			break;
		if (n + 1 >= LINE_MAX_LEN)
			die("%s", "header line too long");
		line[n++] = ch;
	}
	if (n && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return line;
}

/* Copy N bytes of body to stdout (N < 0: until the close). */
static void copy_body(struct conn *c, long long n)
{
	while (n != 0) {
		size_t have = fill(c);

		if (!have) {
			if (n > 0)
				die("%s", "connection closed before the end of the body");
			return;
		}
		if (n > 0 && (long long)have > n)
			have = (size_t)n;
		if (fwrite(c->buf + c->pos, 1, have, stdout) != have)
			die("stdout: %s", strerror(errno));
		c->pos += have;
		if (n > 0)
			n -= (long long)have;
	}
}

static int connect_to(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res, *ai;
	int fd = -1, e, saved = 0;

	if ((e = getaddrinfo(host, port, &hints, &res)))
		die("cannot resolve: %s", gai_strerror(e));
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			saved = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		die("connect: %s", strerror(saved));
	return fd;
}

int main(int argc, char **argv)
{
	static struct conn c;
	static char line[LINE_MAX_LEN], host[256], request[LINE_MAX_LEN + 512];
	const char *rest, *path, *port = "80";
	long long length = -1;
	int chunked = 0, status, n;
	size_t hostlen;

	if (argc != 2 || strncmp(argv[1], "http://", 7)) {
		fprintf(stderr, "usage: fetch http://HOST[:PORT]/PATH\n");
		return 2;
	}
	url = argv[1];
	rest = url + 7;
	path = strchr(rest, '/');
	hostlen = path ? (size_t)(path - rest) : strlen(rest);
	if (!path)
		path = "/";
	if (hostlen == 0 || hostlen >= sizeof(host) || strlen(path) >= LINE_MAX_LEN)
		die("%s", "bad URL");
	memcpy(host, rest, hostlen);
	host[hostlen] = '\0';
	char *colon = strchr(host, ':');

	if (colon) {
		*colon = '\0';
		port = colon + 1;
		if (!*port || strspn(port, "0123456789") != strlen(port))
			die("%s", "bad port in URL");
	}

	c.fd = connect_to(host, port);
	n = snprintf(request, sizeof(request),
		     "GET %s HTTP/1.1\r\nHost: %.*s\r\nUser-Agent: pith-fetch\r\n"
		     "Connection: close\r\n\r\n",
		     path, (int)hostlen, rest);
	for (int off = 0; off < n;) {
		ssize_t w = send(c.fd, request + off, (size_t)(n - off), MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die("send: %s", strerror(errno));
		off += (int)w;
	}

	read_line(&c, line);
	if (sscanf(line, "HTTP/1.%*[01] %3d", &status) != 1)
		die("not an HTTP/1.x answer: %.100s", line);
	if (status < 200 || status > 299) {
		fprintf(stderr, "fetch: %s: HTTP %s\n", url, line + 9);
		return 1;
	}
	while (*read_line(&c, line)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		*v++ = '\0';
		v += strspn(v, " \t");
		if (!strcasecmp(line, "Content-Length")) {
			char *end;

			errno = 0;
			length = strtoll(v, &end, 10);
			if (errno || end == v || length < 0)
				die("bad Content-Length: %s", v);
		} else if (!strcasecmp(line, "Transfer-Encoding") && strcasestr(v, "chunked"))
			chunked = 1;
	}

	if (!chunked) {
		copy_body(&c, length);
	} else {
		for (;;) { /* size line, data, CRLF; a zero size ends it */
			char *end;
			long long size = strtoll(read_line(&c, line), &end, 16);

			if (end == line || size < 0)
				die("bad chunk size: %.100s", line);
			if (size == 0)
				break;
			copy_body(&c, size);
			if (*read_line(&c, line))
				die("%s", "chunk not followed by CRLF");
		}
		while (*read_line(&c, line)) /* the trailer */
			;
	}
	if (fflush(stdout))
		die("stdout: %s", strerror(errno));
	close(c.fd);
	return 0;
}
