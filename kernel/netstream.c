/*
 * netstream.c — length-prefixed frames over a stream (netstream.h).
 * Freestanding: nothing but the compiler's builtins and the caller's
 * system calls.
 */
#include "netstream.h"

#define EINTR_	  4
#define EAGAIN_	  11
#define EPIPE_	  32
#define EMSGSIZE_ 90

void netstream_init(struct netstream *s, int fd, const struct netstream_io *io)
{
	s->fd = fd;
	s->io = io;
	s->start = s->end = s->skip = 0;
	s->closed = false;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* More bytes from the fd at the buffer's end: false when none came. */
static bool fill(struct netstream *s)
{
	long r;

	if (s->closed)
		return false;
	if (s->start > 0) { /* what is left of a frame moves to the front */
		__builtin_memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
	}
	if (s->end == NETSTREAM_BUF)
		return false;
	do
		r = s->io->read(s->fd, s->buf + s->end, NETSTREAM_BUF - s->end);
	while (r == -EINTR_);
	if (r == 0 || (r < 0 && r != -EAGAIN_))
		s->closed = true;
	if (r <= 0)
		return false;
	s->end += (uint32_t)r;
	return true;
}

long netstream_receive(struct netstream *s, void *out, size_t cap)
{
	for (;;) {
		uint32_t have = s->end - s->start, len;

		if (s->skip) { /* the rest of a frame too long to keep */
			uint32_t n = have < s->skip ? have : s->skip;

			s->start += n;
			s->skip -= n;
			if (s->skip && !fill(s))
				return 0;
			continue;
		}
		if (have >= 4) {
			len = be32(s->buf + s->start);
			if (len > NETSTREAM_BUF - 4) {
				s->start += 4;
				s->skip = len;
				return -EMSGSIZE_;
			}
			if (have >= 4 + len) {
				const uint8_t *f = s->buf + s->start + 4;

				s->start += 4 + len;
				if (len > cap)
					return -EMSGSIZE_;
				__builtin_memcpy(out, f, len);
				return (long)len;
			}
		}
		if (!fill(s))
			return 0;
	}
}

int netstream_send(struct netstream *s, const void *frame, size_t len)
{
	uint8_t hdr[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			   (uint8_t)len };
	struct netstream_iov v[2] = { { hdr, 4 }, { frame, len } };
	size_t done = 0, total = 4 + len;
	int tries = 0;

	if (s->closed)
		return -EPIPE_;
	while (done < total) {
		struct netstream_iov *p = v;
		int n = 2;
		long r;

		if (done >= 4) {
			v[1].base = (const uint8_t *)frame + (done - 4);
			v[1].len = total - done;
			p = &v[1];
			n = 1;
		} else {
			v[0].base = hdr + done;
			v[0].len = 4 - done;
		}
		r = s->io->writev(s->fd, p, n);
		if (r == -EINTR_)
			continue;
		/* Half a frame must be finished (the stream would lose step);
		 * a whole one may wait once for room. */
		if (r == -EAGAIN_ && tries < (done ? 5 : 1)) {
			tries++;
			s->io->wait_writable(s->fd);
			continue;
		}
		if (r < 0) {
			if (done > 0 || r != -EAGAIN_)
				s->closed = true; /* out of step, or gone */
			return (int)r;
		}
		done += (size_t)r;
		tries = 0;
	}
	return 0;
}
