/*
 * netstream.h — Ethernet frames over a byte stream, each preceded by its
 * length as 4 big-endian bytes (qemu's "stream" netdev framing, which
 * passt speaks on its UNIX socket: `pith run --net user`).
 *
 * Shared by the hvt monitor's I/O thread and the process target's guest
 * kernel (like netring.c): freestanding, and the caller supplies the
 * system calls (struct netstream_io), each returning -errno on failure.
 *
 * netstream_receive() reads what the non-blocking fd has into a
 * reassembly buffer and hands out one whole frame per call. The caller
 * MUST call it until it returns 0, as a tap is read until EAGAIN: frames
 * may wait in the buffer with nothing left to read on the fd.
 * netstream_send() writes header and frame with one writev; a short write
 * is finished at once (waiting for the fd, a second at most each time)
 * so that the stream never holds half a frame.
 */
#ifndef PITH_NETSTREAM_H
#define PITH_NETSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETSTREAM_BUF (16u * 1024u) /* reassembly; several frames */

/* The layout of struct iovec. */
struct netstream_iov {
	const void *base;
	size_t len;
};

struct netstream_io {
	long (*read)(int fd, void *buf, size_t len);
	long (*writev)(int fd, const struct netstream_iov *iov, int n);
	/* Until fd is writable or about a second passed. */
	void (*wait_writable)(int fd);
};

struct netstream {
	int fd;
	const struct netstream_io *io;
	uint32_t start, end; /* buffered bytes: buf[start..end) */
	uint32_t skip;	     /* bytes of an oversized frame still to discard */
	bool closed;	     /* the peer closed the stream, or it failed */
	uint8_t buf[NETSTREAM_BUF];
};

void netstream_init(struct netstream *s, int fd, const struct netstream_io *io);
/* The next whole frame into out: its length; 0 when none is complete yet
 * (or the stream is closed: see s->closed); -EMSGSIZE when a frame longer
 * than cap was dropped (call again). */
long netstream_receive(struct netstream *s, void *out, size_t cap);
/* One frame: 0, or -errno (the frame is lost; -EPIPE once closed). */
int netstream_send(struct netstream *s, const void *frame, size_t len);

#endif
