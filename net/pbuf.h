/*
 * pbuf.h — packet buffers for output.
 *
 * A pbuf is one allocation: this header, then `cap` bytes. The packet
 * occupies [data, data + len) inside them; the bytes in front are
 * headroom, so each layer prepends its header with pbuf_push() and
 * nothing is copied on the way down. Packets that arrive are never
 * pbufs: input parses the caller's frame in place and copies only what
 * it keeps (fragments, queued datagrams).
 *
 * A pbuf has one owner. Functions that take a pbuf to send consume it
 * (they free it or queue it) whatever they return.
 */
#ifndef PITH_NET_PBUF_H
#define PITH_NET_PBUF_H

#include "net_sys.h"

struct pbuf {
	struct pbuf *next; /* in a queue (ARP's waiting packets) */
	uint8_t *data;
	size_t len;
	size_t cap;
	uint8_t buf[];
};

/* A packet of len bytes (uninitialised) with headroom bytes in front, or
 * NULL when memory runs out. */
struct pbuf *pbuf_alloc(size_t headroom, size_t len);
void pbuf_free(struct pbuf *pb);
/* Grow the packet by n bytes at the front and return the new start, or
 * NULL (packet unchanged) when the headroom is too small. */
uint8_t *pbuf_push(struct pbuf *pb, size_t n);
/* Drop n bytes from the front (n <= len). */
void pbuf_pull(struct pbuf *pb, size_t n);
/* Bytes of headroom left. */
size_t pbuf_headroom(const struct pbuf *pb);

#endif
