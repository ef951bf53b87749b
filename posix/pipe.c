/*
 * pipe.c — pipe and pipe2: a ring buffer between two files.
 *
 * Linux semantics: 64 KiB of capacity; a write of up to PIPE_BUF bytes is
 * atomic (all or, when there is no room, nothing); reading an empty pipe
 * whose writers are gone gives end of file; writing to one whose readers
 * are gone gives EPIPE and SIGPIPE. The buffer is taken from the program's
 * free memory (kernel/mem.c) and given back when both ends are closed.
 * Part "pipe": linked only into programs that make pipes.
 */
#include "../kernel/kalloc.h"
#include "../kernel/mem.h"
#include "file.h"

#define PIPE_SIZE (64 * 1024)
#define PIPE_BUF  4096
#define O_DIRECT  040000
#define FIONREAD  0x541b
#define S_IFIFO	  0010000

struct pipe {
	uint8_t *buf;	 /* NULL: the slot is free */
	uint64_t rd, wr; /* bytes read and written since creation */
	int readers, writers;
};

static unsigned npipes;

static long pipe_read(struct file *f, void *buf, size_t len)
{
	struct pipe *p = f->priv;
	uint64_t avail = p->wr - p->rd;
	size_t n;

	if (avail == 0)
		return p->writers ? -EAGAIN : 0;
	n = (size_t)MIN(len, avail);
	for (size_t done = 0; done < n;) {
		size_t at = (size_t)((p->rd + done) % PIPE_SIZE);
		size_t k = MIN(n - done, PIPE_SIZE - at);

		memcpy((uint8_t *)buf + done, p->buf + at, k);
		done += k;
	}
	p->rd += n;
	if (p->rd == p->wr)
		p->rd = p->wr = 0; /* empty: the next write starts a fresh page */
	return (long)n;
}

/* Free room, counted as Linux does: its pipe is 16 page slots, and a page
 * that has been read only in part still holds its slot. */
static uint64_t room(const struct pipe *p)
{
	return PIPE_SIZE - (p->wr - ALIGN_DOWN(p->rd, PIPE_BUF));
}

static long pipe_write(struct file *f, const void *buf, size_t len)
{
	struct pipe *p = f->priv;
	uint64_t free = room(p);
	size_t n;

	if (p->readers == 0)
		return -EPIPE;
	if (free == 0 || (len <= PIPE_BUF && free < len))
		return -EAGAIN; /* atomic writes go whole or not at all */
	n = (size_t)MIN(len, free);
	for (size_t done = 0; done < n;) {
		size_t at = (size_t)((p->wr + done) % PIPE_SIZE);
		size_t k = MIN(n - done, PIPE_SIZE - at);

		memcpy(p->buf + at, (const uint8_t *)buf + done, k);
		done += k;
	}
	p->wr += n;
	return (long)n;
}

static short pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;

	if (f->id == 0)
		return (p->wr != p->rd ? POLLIN : 0) | (p->writers ? 0 : POLLHUP);
	return (room(p) ? POLLOUT : 0) | (p->readers ? 0 : POLLERR);
}

static long pipe_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
	struct pipe *p = f->priv;

	if (req != FIONREAD)
		return -ENOTTY;
	if (!user_w(arg, sizeof(int)))
		return -EFAULT;
	*(int *)arg = (int)(p->wr - p->rd);
	return 0;
}

static void pipe_stat(struct file *f, struct kstat *st)
{
	st->mode = S_IFIFO | 0600;
	st->blksize = PIPE_BUF;
	(void)f;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;

	if (f->id == 0)
		p->readers--;
	else
		p->writers--;
	if (p->readers == 0 && p->writers == 0) {
		mem_unmap((uintptr_t)p->buf, PIPE_SIZE);
		kfree(p, sizeof(*p));
		npipes--;
	}
}

static long pipe_name(struct file *f, char *buf, size_t size)
{
	return ksnprintf(buf, size, "pipe:[%lu]", (unsigned long)f->ino);
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.stat = pipe_stat,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
	.name = pipe_name,
};

long sys_pipe2(int *fds, int flags)
{
	struct pipe *p = NULL;
	struct file *r, *w;
	long rfd, wfd, mem;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC | O_DIRECT))
		return -EINVAL;
	if (flags & O_DIRECT)
		return -EINVAL; /* packet mode: not yet */
	if (!user_w((uintptr_t)fds, 2 * sizeof(int)))
		return -EFAULT;
	if (npipes == NPIPE || !(p = kalloc(sizeof(*p))))
		return -ENFILE;
	mem = mem_map(0, PIPE_SIZE, false);
	if (mem < 0) {
		kfree(p, sizeof(*p));
		return mem;
	}
	*p = (struct pipe){ .buf = (uint8_t *)mem, .readers = 1, .writers = 1 };
	npipes++;
	r = file_alloc(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK), p);
	w = r ? file_alloc(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK), p) : NULL;
	if (!w) {
		p->writers = 0; /* no write end will exist */
		if (r) {
			file_put(r); /* the last end: frees the buffer */
		} else {
			mem_unmap((uintptr_t)mem, PIPE_SIZE);
			kfree(p, sizeof(*p));
			npipes--;
		}
		return -ENFILE;
	}
	w->ino = r->ino; /* one pipe, as Linux's two ends share an inode */
	r->id = 0;
	w->id = 1;
	rfd = fd_install(r, 0, flags & O_CLOEXEC);
	wfd = rfd < 0 ? rfd : fd_install(w, 0, flags & O_CLOEXEC);
	if (wfd < 0) {
		if (rfd >= 0)
			fd_close(rfd);
		else
			file_put(r);
		file_put(w);
		return -EMFILE;
	}
	fds[0] = (int)rfd;
	fds[1] = (int)wfd;
	return 0;
}

long sys_pipe(int *fds)
{
	return sys_pipe2(fds, 0);
}
