/*
 * pbuf.c — packet buffers (see pbuf.h).
 */
#include "pbuf.h"

struct pbuf *pbuf_alloc(size_t headroom, size_t len)
{
	struct pbuf *pb;
	size_t cap = headroom + len;

	if (cap < len || cap > SIZE_MAX - sizeof(*pb))
		return NULL;
	pb = net_alloc(sizeof(*pb) + cap);
	if (!pb)
		return NULL;
	pb->next = NULL;
	pb->cap = cap;
	pb->data = pb->buf + headroom;
	pb->len = len;
	return pb;
}

void pbuf_free(struct pbuf *pb)
{
	if (pb)
		net_free(pb, sizeof(*pb) + pb->cap);
}

size_t pbuf_headroom(const struct pbuf *pb)
{
	return (size_t)(pb->data - pb->buf);
}

uint8_t *pbuf_push(struct pbuf *pb, size_t n)
{
	if (pbuf_headroom(pb) < n)
		return NULL;
	pb->data -= n;
	pb->len += n;
	return pb->data;
}

void pbuf_pull(struct pbuf *pb, size_t n)
{
	if (n > pb->len)
		n = pb->len;
	pb->data += n;
	pb->len -= n;
}
