/*
 * test_netstream.c — kernel/netstream.c, the length-prefixed framing on
 * passt's socket: frames split across reads at every byte, several in one
 * read, a frame too long for the caller or for the buffer skipped with
 * the stream kept in step, end of stream, and sends finished after short
 * writes and EAGAIN.
 */
#include <errno.h>
#include <stdlib.h>

#include "../../kernel/netstream.h"
#include "check.h"

/* A fake fd: reads come from `in` at most `chunk` bytes at a time (then
 * EAGAIN once, to end each receive loop); writes go to `out`, at most
 * `wchunk` bytes per call, with `eagain` calls refused first. */
static uint8_t in[1 << 20], out[1 << 16];
static size_t in_len, in_at, chunk, out_len, wchunk;
static int eagain, waits;
static bool gave_eagain;

static long f_read(int fd, void *buf, size_t len)
{
	size_t n = in_len - in_at;

	(void)fd;
	if (n == 0)
		return -EAGAIN;
	if (!gave_eagain && in_at > 0) { /* a pause between chunks */
		gave_eagain = true;
		return -EAGAIN;
	}
	gave_eagain = false;
	n = n < chunk ? n : chunk;
	n = n < len ? n : len;
	memcpy(buf, in + in_at, n);
	in_at += n;
	return (long)n;
}

static long f_writev(int fd, const struct netstream_iov *v, int n)
{
	size_t done = 0;

	(void)fd;
	if (eagain > 0) {
		eagain--;
		return -EAGAIN;
	}
	for (int i = 0; i < n && done < wchunk; i++) {
		size_t k = v[i].len < wchunk - done ? v[i].len : wchunk - done;

		memcpy(out + out_len, v[i].base, k);
		out_len += k;
		done += k;
	}
	return (long)done;
}

static void f_wait(int fd)
{
	(void)fd;
	waits++;
}

static const struct netstream_io io = { f_read, f_writev, f_wait };

static void put_frame(size_t len, uint8_t seed)
{
	in[in_len++] = (uint8_t)(len >> 24);
	in[in_len++] = (uint8_t)(len >> 16);
	in[in_len++] = (uint8_t)(len >> 8);
	in[in_len++] = (uint8_t)len;
	for (size_t i = 0; i < len; i++)
		in[in_len++] = (uint8_t)(seed + i);
}

static bool frame_ok(const uint8_t *f, long len, size_t want, uint8_t seed)
{
	if (len != (long)want)
		return false;
	for (size_t i = 0; i < want; i++)
		if (f[i] != (uint8_t)(seed + i))
			return false;
	return true;
}

/* Three frames, read `c` bytes at a time: every frame whole, in order. */
static bool split_at(size_t c)
{
	static struct netstream s;
	uint8_t f[2048];
	size_t sizes[3] = { 60, 1514, 14 };
	int got = 0;

	in_len = in_at = 0;
	gave_eagain = false;
	chunk = c;
	for (int i = 0; i < 3; i++)
		put_frame(sizes[i], (uint8_t)(i * 50));
	netstream_init(&s, 3, &io);
	for (int rounds = 0; rounds < 10000 && got < 3; rounds++) {
		long r = netstream_receive(&s, f, sizeof(f));

		if (r < 0)
			return false;
		if (r > 0) {
			if (!frame_ok(f, r, sizes[got], (uint8_t)(got * 50)))
				return false;
			got++;
		}
	}
	return got == 3 && netstream_receive(&s, f, sizeof(f)) == 0 && !s.closed;
}

static void receiving(void)
{
	static struct netstream s;
	uint8_t f[2048];
	bool all = true;
	long r;

	for (size_t c = 1; c <= 1600; c += (c < 20 ? 1 : 37))
		all &= split_at(c);
	CHECK("netstream/split-at-every-size", all);
	CHECK("netstream/all-in-one-read", split_at(1 << 20));

	/* A frame longer than the caller's buffer is dropped, the next one
	 * still comes; one longer than the reassembly buffer is skipped. */
	in_len = in_at = 0;
	chunk = 1 << 20;
	put_frame(1000, 1);
	put_frame(100, 2);
	put_frame(NETSTREAM_BUF + 5000, 3);
	put_frame(42, 4);
	netstream_init(&s, 3, &io);
	r = netstream_receive(&s, f, 500);
	CHECK("netstream/too-long-for-caller", r == -EMSGSIZE);
	r = netstream_receive(&s, f, 500);
	CHECK("netstream/next-after-drop", frame_ok(f, r, 100, 2));
	r = netstream_receive(&s, f, sizeof(f));
	CHECK("netstream/too-long-for-buffer", r == -EMSGSIZE);
	do
		r = netstream_receive(&s, f, sizeof(f));
	while (r == 0 && in_at < in_len);
	if (r == 0)
		r = netstream_receive(&s, f, sizeof(f));
	CHECK("netstream/in-step-after-skip", frame_ok(f, r, 42, 4));
}

static long f_eof(int fd, void *buf, size_t len)
{
	(void)fd, (void)buf, (void)len;
	return 0;
}

static void closed(void)
{
	static const struct netstream_io eof_io = { f_eof, f_writev, f_wait };
	static struct netstream s;
	uint8_t f[64];

	netstream_init(&s, 3, &eof_io);
	CHECK("netstream/eof", netstream_receive(&s, f, sizeof(f)) == 0 && s.closed);
	CHECK("netstream/send-after-eof", netstream_send(&s, f, 20) == -EPIPE);
}

static void sending(void)
{
	static struct netstream s;
	uint8_t f[1514];

	for (size_t i = 0; i < sizeof(f); i++)
		f[i] = (uint8_t)(i * 7);
	netstream_init(&s, 3, &io);
	out_len = 0;
	wchunk = 1 << 20;
	eagain = 0;
	CHECK("netstream/send", netstream_send(&s, f, sizeof(f)) == 0 && out_len == 4 + sizeof(f) &&
					out[0] == 0 && out[1] == 0 && out[2] == 0x05 &&
					out[3] == 0xea && !memcmp(out + 4, f, sizeof(f)));
	/* Short writes (3 bytes a time: the header split too) are finished. */
	out_len = 0;
	wchunk = 3;
	CHECK("netstream/short-writes", netstream_send(&s, f, sizeof(f)) == 0 &&
						out_len == 4 + sizeof(f) && out[3] == 0xea &&
						!memcmp(out + 4, f, sizeof(f)));
	/* A full socket: the frame waits once, then is dropped whole. */
	out_len = 0;
	wchunk = 1 << 20;
	eagain = 1;
	waits = 0;
	CHECK("netstream/eagain-once",
	      netstream_send(&s, f, 100) == 0 && waits == 1 && out_len == 104);
	out_len = 0;
	eagain = 2;
	CHECK("netstream/eagain-dropped",
	      netstream_send(&s, f, 100) == -EAGAIN && out_len == 0 && !s.closed);
	eagain = 0;
}

int main(void)
{
	receiving();
	closed();
	sending();
	return 0;
}
