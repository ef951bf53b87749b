/*
 * console.c — buffered console output (see console.h).
 *
 * Consecutive writes to the same fd extend the last record, so a program
 * that prints many lines to stdout fills the buffer with one record.
 */
#include "clock.h"
#include "console.h"
#include "platform.h"

static struct pith_console *con;
struct pith_console *console_page;
static uint32_t tty_mask;      /* bit fd: host fd is a terminal */
static uint32_t broken;	       /* bit fd: host fd gone (EPIPE) */
static uint32_t last_rec;      /* offset of the last record, or UINT32_MAX */
static uint64_t last_flush_ns; /* when the buffer last went out */

/* A write() ends with the buffer going out when it last went out longer
 * ago than this: a program that prints now and then (a server's log
 * line, a progress report before a long computation) is seen at once,
 * while one that prints a lot still fills the buffer first, at no more
 * than 20 extra exits a second. */
#define CONSOLE_FLUSH_GAP_NS (50 * 1000000ull)

static uint8_t in_buf[STDIN_BUFFER];
static uint32_t in_head, in_tail; /* unread bytes: in_buf[head..tail) */
static bool in_eof, in_hup;

void console_init(struct pith_console *c, uint32_t boot_flags)
{
	con = c;
	con->used = 0;
	con->caught = 0;
	con->arrived = 0;
	console_page = c;
	last_rec = UINT32_MAX;
	if (boot_flags & PITH_BOOT_STDIN_TTY)
		tty_mask |= 1u << 0;
	if (boot_flags & PITH_BOOT_STDOUT_TTY)
		tty_mask |= 1u << 1;
	if (boot_flags & PITH_BOOT_STDERR_TTY)
		tty_mask |= 1u << 2;
}

uint64_t console_take_signals(void)
{
	return con ? __atomic_exchange_n(&con->arrived, 0, __ATOMIC_ACQ_REL) : 0;
}

void console_set_caught(uint64_t mask)
{
	if (con)
		__atomic_store_n(&con->caught, mask, __ATOMIC_RELEASE);
}

bool console_isatty(int fd)
{
	return fd >= 0 && fd < FD_CONSOLE_MAX && (tty_mask & (1u << fd));
}

/* The buffer went out (broken: the fds now gone): it starts empty. */
static void went_out(uint32_t gone)
{
	con->used = 0;
	broken |= gone;
	last_rec = UINT32_MAX;
	last_flush_ns = clock_monotonic();
}

void console_flush(void)
{
	if (!con || con->used == 0)
		return;
	went_out(plat->console_flush(con));
}

void console_flush_stale(void)
{
	/* Start-up counts as a flush: a program that prints and ends at once
	 * (hello world) still makes its one exit only. */
	if (!last_flush_ns)
		last_flush_ns = clock_boot_ns();
	if (con && con->used && clock_monotonic() - last_flush_ns >= CONSOLE_FLUSH_GAP_NS)
		console_flush();
}

uint32_t console_wait(uint64_t deadline, uint32_t want)
{
	struct pith_console *out = con && con->used ? con : NULL;
	uint32_t gone = 0, ready;

	ready = plat->poll(deadline, want, out, &gone);
	if (out)
		went_out(gone);
	return ready;
}

long console_write(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t left = len;

	if (!con)
		return (long)len; /* before boot set it up: nowhere to go */
	if (broken & (1u << fd))
		return -EPIPE;
	while (left > 0) {
		struct pith_console_rec *rec;
		uint32_t room, n;

		if (last_rec != UINT32_MAX &&
		    ((struct pith_console_rec *)(con->data + last_rec))->fd == (uint32_t)fd) {
			/* Extend the open record; it is the last in the buffer,
			 * so its padding ends at used. */
			rec = (void *)(con->data + last_rec);
			uint32_t end = last_rec + sizeof(*rec) + rec->len;

			room = con->size - end;
			n = left < room ? (uint32_t)left : room;
			if (n > 0) {
				memcpy(con->data + end, p, n);
				rec->len += n;
				con->used = last_rec + sizeof(*rec) +
					    ALIGN_UP(rec->len, PITH_CONSOLE_ALIGN);
				p += n;
				left -= n;
				continue;
			}
		} else if (con->used + sizeof(*rec) < con->size) {
			last_rec = con->used;
			rec = (void *)(con->data + last_rec);
			rec->fd = (uint32_t)fd;
			rec->len = 0;
			con->used += sizeof(*rec);
			continue;
		}
		console_flush();
		if (broken & (1u << fd))
			return len - left > 0 ? (long)(len - left) : -EPIPE;
	}
	return (long)len;
}

void console_sync(int fd)
{
	if (tty_mask & (1u << fd))
		console_flush();
	else
		console_flush_stale();
}

/* Refill the input buffer from the host: bytes read, 0 at end, -EAGAIN. */
static long refill(void)
{
	long r;

	if (in_eof)
		return 0;
	r = plat->read_stdin(in_buf, sizeof(in_buf), &in_hup);
	if (r > 0) {
		in_head = 0;
		in_tail = (uint32_t)r;
	} else if (r == 0) {
		in_eof = true;
	}
	return r;
}

long console_read(void *buf, size_t len)
{
	long r;

	if (in_head == in_tail) {
		/* A large read goes straight to the caller's buffer. */
		if (len >= sizeof(in_buf) && !in_eof) {
			r = plat->read_stdin(buf, len, &in_hup);
			if (r == 0)
				in_eof = true;
			return r;
		}
		r = refill();
		if (r <= 0)
			return r;
	}
	r = (long)MIN(len, (size_t)(in_tail - in_head));
	memcpy(buf, in_buf + in_head, (size_t)r);
	in_head += (uint32_t)r;
	return r;
}

int console_input_state(void)
{
	long r = 0;

	if (in_head == in_tail && !in_eof)
		r = refill();
	if (r == -EAGAIN)
		return 0;
	return (in_head != in_tail || r < 0 ? CONSOLE_IN_DATA : 0) | (in_eof ? CONSOLE_IN_END : 0) |
	       (in_hup ? CONSOLE_IN_HUP : 0);
}
