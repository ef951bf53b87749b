/*
 * logfile.h — an instance's log: what the program wrote to stdout and
 * stderr, in the order it wrote it, as records in `log` and, after a
 * rotation, `log.1`: at most twice the size limit on disk (plus one
 * record, LOG_REC_MAX, when the limit is smaller than that).
 *
 * A record is a 16-byte header — length (little-endian 32 bits), the
 * stream (1 stdout, 2 stderr), a magic byte, two zero bytes, the time in
 * ns since the epoch — then the bytes. Readers check every header.
 */
#ifndef PITH_LOGFILE_H
#define PITH_LOGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LOG_REC_MAX	(64u << 10) /* bytes in one record */
#define LOG_MAX_DEFAULT (8ull << 20)

struct log_writer {
	int fd;
	char path[4096], old[4096];
	uint64_t size, max;
};

/* Open DIR/log for appending; rotate past MAX bytes. -1 with errno. */
int log_open(struct log_writer *w, const char *dir, uint64_t max);
/* Append LEN bytes written to STREAM (1 or 2), in records. */
void log_append(struct log_writer *w, int stream, const void *data, size_t len);

struct log_reader {
	int fd;
	ino_t ino;
	uint64_t off; /* start of the next record */
	const char *path;
	bool damaged;
};

/* Called for each record; return false to stop. */
typedef bool (*log_fn)(void *ctx, int stream, int64_t time_ns, const uint8_t *data, size_t len);
/* Read the whole records after r->off (a half-written one waits for
 * the next call). Returns the records passed to FN. Sets r->damaged and
 * stops on a malformed header. */
size_t log_read(struct log_reader *r, log_fn fn, void *ctx);

#endif
