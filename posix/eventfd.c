/*
 * eventfd.c — eventfd and eventfd2 (part "event"): a 64-bit counter as a
 * file, as Linux's. write adds, read takes the whole count (or one, with
 * EFD_SEMAPHORE) and blocks at zero; readable while the count is above
 * zero, writable while one more can be added.
 */
#include "../kernel/kalloc.h"
#include "file.h"

#define EFD_SEMAPHORE 1
#define EFD_MAX	      0xfffffffffffffffeull

struct eventfd {
	uint64_t count, seq;
	bool semaphore;
};

static long eventfd_read(struct file *f, void *buf, size_t len)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (len < sizeof(v))
		return -EINVAL;
	if (!e->count)
		return -EAGAIN;
	v = e->semaphore ? 1 : e->count;
	e->count -= v;
	e->seq++;
	memcpy(buf, &v, sizeof(v));
	return sizeof(v);
}

static long eventfd_write(struct file *f, const void *buf, size_t len)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (len < sizeof(v))
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	if (v == UINT64_MAX)
		return -EINVAL;
	if (v > EFD_MAX - e->count)
		return -EAGAIN;
	e->count += v;
	e->seq++;
	return sizeof(v);
}

static short eventfd_poll(struct file *f)
{
	struct eventfd *e = f->priv;

	return (e->count ? POLLIN : 0) | (e->count < EFD_MAX ? POLLOUT : 0);
}

static uint64_t eventfd_seq(struct file *f, short events)
{
	(void)events;
	return ((struct eventfd *)f->priv)->seq;
}

static void eventfd_stat(struct file *f, struct kstat *st)
{
	(void)f;
	st->mode = 0600;
}

static void eventfd_release(struct file *f)
{
	kfree(f->priv, sizeof(struct eventfd));
}

static long eventfd_name(struct file *f, char *buf, size_t size)
{
	(void)f;
	return ksnprintf(buf, size, "anon_inode:[eventfd]");
}

static const struct file_ops eventfd_ops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.seq = eventfd_seq,
	.stat = eventfd_stat,
	.release = eventfd_release,
	.name = eventfd_name,
};

long sys_eventfd2(unsigned initval, int flags)
{
	struct eventfd *e;
	struct file *f;
	long fd;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE))
		return -EINVAL;
	if (!(e = kalloc(sizeof(*e))))
		return -ENOMEM;
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	if (!(f = file_alloc(&eventfd_ops, O_RDWR | (flags & O_NONBLOCK), e))) {
		kfree(e, sizeof(*e));
		return -ENFILE;
	}
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_eventfd(unsigned initval)
{
	return sys_eventfd2(initval, 0);
}
