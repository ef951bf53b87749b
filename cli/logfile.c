/*
 * logfile.c — writing and reading instance logs (see logfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cli.h"
#include "logfile.h"

#define LOG_MAGIC 0xa5
#define HDR	  16

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int log_open(struct log_writer *w, const char *dir, uint64_t max)
{
	struct stat st;

	snprintf(w->path, sizeof(w->path), "%s/log", dir);
	snprintf(w->old, sizeof(w->old), "%s/log.1", dir);
	w->max = max;
	w->fd = open(w->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (w->fd < 0 || fstat(w->fd, &st) < 0)
		return -1;
	w->size = (uint64_t)st.st_size;
	return 0;
}

/* log becomes log.1 (replacing the older one) and a new log starts. */
static void rotate(struct log_writer *w)
{
	int fd;

	if (rename(w->path, w->old) < 0)
		return; /* keep appending: better too much than nothing */
	fd = open(w->path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	close(w->fd);
	w->fd = fd;
	w->size = 0;
}

void log_append(struct log_writer *w, int stream, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 0) {
		size_t n = len < LOG_REC_MAX ? len : LOG_REC_MAX;
		uint8_t hdr[HDR] = { 0 };
		struct iovec iov[2] = { { hdr, HDR }, { (void *)p, n } };

		if (w->size > 0 && w->size + HDR + n > w->max)
			rotate(w);
		put32(hdr, (uint32_t)n);
		hdr[4] = (uint8_t)stream;
		hdr[5] = LOG_MAGIC;
		put64(hdr + 8, (uint64_t)wall_ns());
		/* One write per record: a reader sees it whole or waits. A
		 * failed or short write (disk full) loses this record, not the
		 * rest: the part written is cut off again (one writer). */
		if (writev(w->fd, iov, 2) == (ssize_t)(HDR + n))
			w->size += HDR + n;
		else if (ftruncate(w->fd, (off_t)w->size) < 0)
			w->size = UINT64_MAX / 2; /* cannot mend: rotate next time */
		p += n;
		len -= n;
	}
}

size_t log_read(struct log_reader *r, log_fn fn, void *ctx)
{
	static uint8_t buf[HDR + LOG_REC_MAX];
	size_t count = 0;

	while (!r->damaged) {
		ssize_t got = pread(r->fd, buf, HDR, (off_t)r->off);
		uint32_t len;

		if (got < HDR)
			break; /* the end, or a header still being written */
		len = (uint32_t)get(buf, 4);
		if (len == 0 || len > LOG_REC_MAX || (buf[4] != 1 && buf[4] != 2) ||
		    buf[5] != LOG_MAGIC || buf[6] || buf[7]) {
			fprintf(stderr, "pith: %s: damaged at byte %llu; the rest is skipped\n",
				r->path, (unsigned long long)r->off);
			r->damaged = true;
			break;
		}
		got = pread(r->fd, buf + HDR, len, (off_t)(r->off + HDR));
		if (got < (ssize_t)len)
			break;
		r->off += HDR + len;
		count++;
		if (!fn(ctx, buf[4], (int64_t)get(buf + 8, 8), buf + HDR, len))
			break;
	}
	return count;
}
