/*
 * console.h — the program's fds 0, 1 and 2, backed by the host's.
 *
 * Output goes to a buffer shared with the host (struct pith_console) and
 * leaves in as few exits as possible: when the buffer fills, with the
 * host wait that puts the kernel to sleep (console_wait: on hvt the same
 * exit), before it reads input, at exit, after each write() when the host
 * fd is a terminal (so a prompt shows at once), and at a write or a wait
 * that does not sleep once the last flush is 50 ms old. The
 * host drains the buffer after a crash too, so nothing written is lost or
 * reordered.
 */
#ifndef PITH_CONSOLE_H
#define PITH_CONSOLE_H

#include <pith/abi.h>

#include "kernel.h"

void console_init(struct pith_console *con, uint32_t boot_flags);
/* Append len bytes for host fd 1 or 2; returns len or -EPIPE when the
 * host fd is gone. Flushes as needed. */
long console_write(int fd, const void *buf, size_t len);
/* End of one write() system call: flush if fd is a terminal. */
void console_sync(int fd);
/* Write out everything buffered now. */
void console_flush(void);
/* Write it out if the last flush is older than the gap (a program that
 * keeps running is seen at least that often). */
void console_flush_stale(void);
/* The platform's wait (plat->poll) with the buffer going out first. */
uint32_t console_wait(uint64_t deadline, uint32_t want);
bool console_isatty(int fd);

/*
 * Signals from outside travel in the console page (abi.h): the kernel
 * says which it catches, and takes those that arrived. console_page is
 * NULL only before console_init.
 */
extern struct pith_console *console_page;
static inline bool console_signals_arrived(void)
{
	return console_page && __atomic_load_n(&console_page->arrived, __ATOMIC_RELAXED) != 0;
}
/* Take (and clear) the arrived mask. */
uint64_t console_take_signals(void);
void console_set_caught(uint64_t mask);

/*
 * Input from the host's stdin, read ahead in blocks so that a program
 * reading a byte or a line at a time does not make an exit per read.
 * console_read never blocks: bytes, 0 at end of input, or -EAGAIN.
 * console_input_state says what a read would find — CONSOLE_IN_DATA
 * (bytes, or an error), CONSOLE_IN_END (end of input), CONSOLE_IN_HUP (a
 * pipe's writer has gone) — or 0 when it would return -EAGAIN; it asks
 * the host only when nothing is buffered.
 */
#define CONSOLE_IN_DATA 1
#define CONSOLE_IN_END	2
#define CONSOLE_IN_HUP	4
long console_read(void *buf, size_t len);
int console_input_state(void);

#endif
