/*
 * netdev_process.c — the network device on the process target: the guest
 * runs in pith's own process and holds the tap fd (boot->net.host_fd,
 * non-blocking), so a frame is one write(2) and a receive one read(2),
 * both allowed on that fd alone by the seccomp filter used with --net.
 * No ring: no exit to save, and a ring would only add a copy. Waiting is
 * plat->poll with PITH_POLL_NET, which adds the fd to its ppoll.
 */
#include "host_call.h"
#include "kernel.h"
#include "netdev_plat.h"

#define NR_read	 0
#define NR_write 1

static int tap_fd = -1;

static int proc_transmit(struct netdev *d, const void *frame, size_t len)
{
	long r;

	if (len > (size_t)d->mtu + 14u)
		return -EMSGSIZE;
	do
		r = host3(NR_write, tap_fd, (long)frame, (long)len);
	while (r == -EINTR);
	return r < 0 ? (int)r : 0;
}

static size_t proc_receive(struct netdev *d, void *buf, size_t cap)
{
	long r;

	(void)d;
	do
		r = host3(NR_read, tap_fd, (long)buf, (long)cap);
	while (r == -EINTR);
	return r > 0 ? (size_t)r : 0;
}

int netdev_process_setup(struct netdev *d, const struct pith_boot_net *c)
{
	if (c->host_fd < 0)
		return -ENODEV;
	tap_fd = c->host_fd;
	d->transmit = proc_transmit;
	d->receive = proc_receive;
	d->poll_bit = PITH_POLL_NET;
	return 0;
}
