/*
 * server.c — a small static web server for pith: HTTP/1.1 GET and HEAD,
 * keep-alive, Content-Length, 404, files under a root directory, many
 * clients at once through epoll. An access log line per request on
 * stdout; SIGTERM ends it cleanly (pith stop).
 *   server [--root DIR] [--port N]
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CLIENTS 256
#define REQ_MAX	    8192

struct client {
	int fd;
	size_t len;
	char req[REQ_MAX];
};

static volatile sig_atomic_t stopping;
static const char *root = "/srv/www";

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = send(fd, p, len, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && !strcmp(dot, ".html"))
		return "text/html";
	if (dot && !strcmp(dot, ".css"))
		return "text/css";
	return "application/octet-stream";
}

/* Answer one request; 0 to keep the connection, -1 to close it. */
static int answer(int fd, char *req)
{
	char method[8], target[1024], version[16], path[1200], head[512];
	int keep = 1, code = 200, file = -1, n;
	struct stat st;
	off_t size = 0;

	if (sscanf(req, "%7s %1023s %15s", method, target, version) != 3 ||
	    (strcmp(method, "GET") && strcmp(method, "HEAD")) || target[0] != '/' ||
	    strstr(target, ".."))
		code = 400;
	if (strstr(req, "Connection: close") || !strcmp(version, "HTTP/1.0"))
		keep = 0;
	if (code == 200) {
		snprintf(path, sizeof(path), "%s%s%s", root, target,
			 target[strlen(target) - 1] == '/' ? "index.html" : "");
		file = open(path, O_RDONLY);
		if (file < 0 || fstat(file, &st) < 0 || !S_ISREG(st.st_mode))
			code = 404;
		else
			size = st.st_size;
	}
	if (code != 200)
		size = code == 404 ? 10 : 12;
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %lld\r\n"
		     "Connection: %s\r\n\r\n",
		     code,
		     code == 200   ? "OK"
		     : code == 404 ? "Not Found"
				   : "Bad Request",
		     code == 200 ? type_of(path) : "text/plain", (long long)size,
		     keep ? "keep-alive" : "close");
	printf("%s %s %d\n", method, target, code);
	fflush(stdout);
	/*
	 * The head and the start of the body leave in one send: in two, the
	 * second waits (Nagle) for the ACK of the first, which the client
	 * delays (40 ms on Linux) — 25 requests a second per connection.
	 */
	if (strcmp(method, "HEAD") && code != 200)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "%s",
			      code == 404 ? "not found\n" : "bad request\n");
	if (strcmp(method, "HEAD") && code == 200) {
		char buf[16384];
		size_t used = (size_t)n;
		ssize_t r;

		memcpy(buf, head, used);
		while ((r = read(file, buf + used, sizeof(buf) - used)) > 0 || used > 0) {
			if (r > 0)
				used += (size_t)r;
			if (send_all(fd, buf, used) < 0) {
				keep = 0;
				break;
			}
			used = 0;
		}
	} else if (send_all(fd, head, (size_t)n) < 0)
		keep = 0;
	if (file >= 0)
		close(file);
	return keep ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct client clients[MAX_CLIENTS];
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(8080) };
	struct epoll_event ev = { .events = EPOLLIN }, events[64];
	int ls, ep, one = 1;
	struct sigaction sa = { .sa_handler = on_term };

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--root"))
			root = argv[i + 1];
		else if (!strcmp(argv[i], "--port"))
			addr.sin_port = htons((uint16_t)atoi(argv[i + 1]));
	}
	sigaction(SIGTERM, &sa, NULL);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(ls, 128) < 0) {
		perror("server: bind");
		return 1;
	}
	ep = epoll_create1(0);
	ev.data.ptr = NULL;
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	printf("serving %s on port %d\n", root, ntohs(addr.sin_port));
	fflush(stdout);
	while (!stopping) {
		int n = epoll_wait(ep, events, 64, -1);

		for (int i = 0; i < n; i++) {
			struct client *c = events[i].data.ptr;

			if (!c) { /* the listener */
				int fd;

				while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					struct client *slot = NULL;

					for (int k = 0; k < MAX_CLIENTS && !slot; k++)
						if (!clients[k].fd)
							slot = &clients[k];
					if (!slot) {
						close(fd);
						continue;
					}
					slot->fd = fd;
					slot->len = 0;
					ev.data.ptr = slot;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
				continue;
			}
			ssize_t r = recv(c->fd, c->req + c->len, REQ_MAX - 1 - c->len, 0);
			char *end;
			int close_it = r <= 0;

			if (r > 0) {
				c->len += (size_t)r;
				c->req[c->len] = '\0';
				while (!close_it && (end = strstr(c->req, "\r\n\r\n"))) {
					size_t used = (size_t)(end + 4 - c->req);

					close_it = answer(c->fd, c->req) < 0;
					memmove(c->req, c->req + used, c->len - used + 1);
					c->len -= used;
				}
				if (c->len >= REQ_MAX - 1)
					close_it = 1;
			}
			if (close_it) {
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
				close(c->fd);
				c->fd = 0;
			}
		}
	}
	printf("stopping\n");
	return 0;
}
