/*
 * netdev_process.c — the network device on the process target: the guest
 * runs in pith's own process and holds the device fd (boot->net.host_fd,
 * non-blocking). On a tap a frame is one write(2) and a receive one
 * read(2); on passt's socket (PITH_NET_STREAM, `--net user`) frames carry
 * a length prefix (netstream.c: writev, and reads into a reassembly
 * buffer). The seccomp filter used with --net allows these calls on that
 * fd alone. No ring: no exit to save, and a ring would only add a copy.
 * Waiting is plat->poll with PITH_POLL_NET, which adds the fd to its ppoll.
 */
#include "host_call.h"
#include "kernel.h"
#include "netdev_plat.h"
#include "netstream.h"

#define NR_read	  0
#define NR_write  1
#define NR_writev 20
#define NR_ppoll  271

static int tap_fd = -1;
static struct netstream stream; /* PITH_NET_STREAM only */

static long host_read(int fd, void *buf, size_t len)
{
	return host3(NR_read, fd, (long)buf, (long)len);
}

static long host_writev(int fd, const struct netstream_iov *iov, int n)
{
	return host3(NR_writev, fd, (long)iov, n);
}

static void host_wait_writable(int fd)
{
	struct {
		int fd;
		short events, revents;
	} p = { fd, 4 /* POLLOUT */, 0 };
	struct {
		long sec, nsec;
	} second = { 1, 0 };

	host4(NR_ppoll, (long)&p, 1, (long)&second, 0);
}

static const struct netstream_io host_io = { host_read, host_writev, host_wait_writable };

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

static int stream_transmit(struct netdev *d, const void *frame, size_t len)
{
	if (len > (size_t)d->mtu + 14u)
		return -EMSGSIZE;
	return netstream_send(&stream, frame, len);
}

static size_t stream_receive(struct netdev *d, void *buf, size_t cap)
{
	long r;

	(void)d;
	while ((r = netstream_receive(&stream, buf, cap)) == -EMSGSIZE)
		; /* too long for the device: dropped */
	return r > 0 ? (size_t)r : 0;
}

int netdev_process_setup(struct netdev *d, const struct pith_boot_net *c)
{
	if (c->host_fd < 0)
		return -ENODEV;
	tap_fd = c->host_fd;
	if (c->flags & PITH_NET_STREAM) {
		netstream_init(&stream, tap_fd, &host_io);
		d->transmit = stream_transmit;
		d->receive = stream_receive;
	} else {
		d->transmit = proc_transmit;
		d->receive = proc_receive;
	}
	d->poll_bit = PITH_POLL_NET;
	return 0;
}
