/*
 * logs.c — `pith logs`: what an instance's program wrote, stdout to
 * stdout and stderr to stderr, in the order it wrote them.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pith/abi.h>

#include "cli.h"
#include "instance.h"
#include "logfile.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith logs [-f] [-t] [-n N | --tail N] NAME\n\n"
		   "Show what instance NAME's program wrote to stdout and stderr.\n"
		   "  -f, --follow       keep showing new output until the instance ends\n"
		   "  -n, --tail N       only the last N lines\n"
		   "  -t, --timestamps   start each line with when it was written (UTC)\n");
}

static void out(int stream, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(stream, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			exit(w < 0 && errno == EPIPE ? 0 : PITH_EXIT_ERROR);
		p += w;
		n -= (size_t)w;
	}
}

static bool timestamps;
static bool line_start[3] = { true, true, true }; /* per stream */

/* Bytes of one record; with -t each line starts with the time the
 * record was written, RFC 3339 in UTC with nanoseconds. */
static void emit(int stream, int64_t t, const uint8_t *p, size_t n)
{
	char stamp[48];
	struct tm tm;
	time_t sec = (time_t)(t / 1000000000);

	if (!timestamps) {
		out(stream, p, n);
		return;
	}
	gmtime_r(&sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp + 19, sizeof(stamp) - 19, ".%09lldZ ", (long long)(t % 1000000000));
	while (n > 0) {
		const uint8_t *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) + 1 : n;

		if (line_start[stream])
			out(stream, (const uint8_t *)stamp, strlen(stamp));
		out(stream, p, k);
		line_start[stream] = nl != NULL;
		p += k;
		n -= k;
	}
}

static bool print_rec(void *ctx, int stream, int64_t t, const uint8_t *data, size_t len)
{
	(void)ctx;
	emit(stream, t, data, len);
	return true;
}

/* Records kept for --tail. */
struct rec {
	int stream;
	int64_t t;
	uint8_t *data;
	size_t len;
};
struct recs {
	struct rec *v;
	size_t n;
};

static bool keep_rec(void *ctx, int stream, int64_t t, const uint8_t *data, size_t len)
{
	struct recs *r = ctx;
	struct rec *v = realloc(r->v, (r->n + 1) * sizeof(*v));

	if (!v || !(v[r->n].data = malloc(len)))
		die("logs: out of memory");
	memcpy(v[r->n].data, data, len);
	v[r->n].stream = stream;
	v[r->n].t = t;
	v[r->n].len = len;
	r->v = v;
	r->n++;
	return true;
}

/* The last N lines of R: from just after the Nth newline back from the
 * end, not counting one that ends the very last line. */
static void print_tail(const struct recs *r, long n)
{
	size_t si = 0, so = 0;
	bool last = true;
	long seen = 0;

	if (n == 0)
		return;
	for (size_t i = r->n; i-- > 0;)
		for (size_t k = r->v[i].len; k-- > 0; last = false)
			if (r->v[i].data[k] == '\n' && !last && ++seen == n) {
				si = i;
				so = k + 1;
				goto print;
			}
print:
	for (; si < r->n; si++, so = 0)
		emit(r->v[si].stream, r->v[si].t, r->v[si].data + so, r->v[si].len - so);
}

static int open_reader(struct log_reader *r, const char *path)
{
	struct stat st;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0 || fstat(r->fd, &st) < 0) {
		if (r->fd >= 0)
			close(r->fd);
		r->fd = -1;
		return -1;
	}
	r->ino = st.st_ino;
	return 0;
}

/* Follow DIR/log until the instance has ended and all is shown. */
static void follow(const char *dir, struct log_reader *cur, char *path)
{
	int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	char buf[4096];

	if (in < 0 || inotify_add_watch(in, dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
		die("logs: inotify: %s", strerror(errno));
	for (;;) {
		struct pollfd p = { .fd = in, .events = POLLIN };
		bool alive = instance_alive(dir);
		struct stat st;

		if (cur->fd >= 0)
			log_read(cur, print_rec, NULL);
		/* Rotated: what is left of the old file, then the new one. */
		if (stat(path, &st) == 0 && (cur->fd < 0 || st.st_ino != cur->ino)) {
			if (cur->fd >= 0) {
				log_read(cur, print_rec, NULL);
				close(cur->fd);
			}
			if (open_reader(cur, path) == 0)
				continue;
		}
		if (!alive)
			break; /* looked once more after it ended: all is shown */
		/* Woken by a write; the timeout only rechecks the supervisor. */
		if (poll(&p, 1, 500) > 0)
			while (read(in, buf, sizeof(buf)) > 0)
				;
	}
	close(in);
}

int cmd_logs(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, 0, 'f' },
		{ "tail", required_argument, 0, 'n' },
		{ "timestamps", no_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char old_path[PATH_MAX], path[PATH_MAX];
	struct store s = { .lock_fd = -1 };
	struct log_reader r_old, r_cur;
	struct instance in;
	bool follow_on = false;
	long tail = -1;
	char *end;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:fn:th", opts, NULL)) != -1) {
		if (c == 'f') {
			follow_on = true;
		} else if (c == 'n') {
			tail = strtol(optarg, &end, 10);
			if (*end || end == optarg || tail < 0)
				die("logs: --tail %s: a number of lines", optarg);
		} else if (c == 't') {
			timestamps = true;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			bad_option("logs", c, argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		die("logs: name one instance (see pith logs --help)");
	/* Instances need no store lock (instance.h): none is held while this
	 * command waits, so builds and runs go on meanwhile. */
	store_open(&s, 0);
	store_close(&s);
	if (instance_find(&s, "logs", argv[optind], &in) < 0)
		return PITH_EXIT_ERROR;
	snprintf(old_path, sizeof(old_path), "%s/log.1", in.dir);
	snprintf(path, sizeof(path), "%s/log", in.dir);
	/* log first: were it rotated between the two opens, log.1 read
	 * second would be that same file, shown twice; this way a rotation
	 * can at worst skip the older part. */
	open_reader(&r_cur, path);
	open_reader(&r_old, old_path);
	if (r_old.fd >= 0 && r_cur.fd >= 0 && r_old.ino == r_cur.ino) {
		close(r_old.fd);
		r_old.fd = -1;
	}
	if (tail >= 0) {
		struct recs all = { 0 };

		if (r_old.fd >= 0)
			log_read(&r_old, keep_rec, &all);
		if (r_cur.fd >= 0)
			log_read(&r_cur, keep_rec, &all);
		print_tail(&all, tail);
		for (size_t i = 0; i < all.n; i++)
			free(all.v[i].data);
		free(all.v);
	} else {
		if (r_old.fd >= 0)
			log_read(&r_old, print_rec, NULL);
		if (r_cur.fd >= 0)
			log_read(&r_cur, print_rec, NULL);
	}
	if (r_old.fd >= 0)
		close(r_old.fd);
	if (follow_on)
		follow(in.dir, &r_cur, path);
	if (r_cur.fd >= 0)
		close(r_cur.fd);
	instance_free(&in);
	return r_old.damaged || r_cur.damaged ? PITH_EXIT_ERROR : 0;
}
