/*
 * netdev_hvt.c — the network device on hvt: two rings in guest memory
 * that the monitor placed (boot->net.tx_ring, rx_ring) and serves from an
 * I/O thread of its own (monitor/hvt_net.c). Transmitting and receiving
 * are plain memory operations; an exit (PITH_HC_NET_NOTIFY) happens only
 * when the monitor's side said it sleeps, so a busy guest makes none per
 * frame. A receive that finds the ring empty tells the monitor so (RX
 * cons_wait): the next frame then wakes a PITH_HC_POLL with PITH_POLL_NET.
 */
#include "kernel.h"
#include "netdev_plat.h"
#include "netring.h"

static struct netring tx, rx;

static void notify(uint32_t which)
{
	struct pith_hc_net_notify arg = { .which = which };
	uint32_t gpa = (uint32_t)((uintptr_t)&arg - PITH_GUEST_BASE);

	__asm__ volatile("outl %0, %w1"
			 :
			 : "a"(gpa), "Nd"((uint16_t)(PITH_HC_PORT_BASE + PITH_HC_NET_NOTIFY))
			 : "memory");
}

static int hvt_transmit(struct netdev *d, const void *frame, size_t len)
{
	if (len > (size_t)d->mtu + 14u)
		return -EMSGSIZE;
	switch (netring_put(&tx, frame, len)) {
	case NETRING_OK:
		break;
	case NETRING_FULL:
		return -EAGAIN;
	case NETRING_TOO_BIG:
		return -EMSGSIZE;
	default:
		return -EIO;
	}
	if (netring_prod_notify_due(&tx))
		notify(PITH_NET_NOTIFY_TX);
	return 0;
}

static size_t hvt_receive(struct netdev *d, void *buf, size_t cap)
{
	(void)d;
	for (;;) {
		enum netring_status st;
		uint32_t len = 0;
		const uint8_t *f = netring_cons_peek(&rx, &len, &st);
		size_t n = 0;

		if (!f) {
			/* Empty: say so, then look once more (a frame may have
			 * come in between); the monitor wakes our next poll. */
			if (st != NETRING_EMPTY || netring_cons_sleep(&rx))
				return 0;
			continue;
		}
		if (len <= cap) {
			memcpy(buf, f, len);
			n = len;
		}
		netring_cons_pop(&rx);
		if (netring_cons_notify_due(&rx))
			notify(PITH_NET_NOTIFY_RX);
		if (n)
			return n;
		/* A frame larger than the caller's buffer is dropped. */
	}
}

static bool hvt_pending(struct netdev *d)
{
	(void)d;
	return netring_pending(&rx) != 0;
}

int netdev_hvt_setup(struct netdev *d, const struct pith_boot_net *c)
{
	if (!c->tx_ring || !c->rx_ring)
		return -ENODEV;
	netring_attach(&tx, (struct pith_net_ring *)(uintptr_t)c->tx_ring);
	netring_attach(&rx, (struct pith_net_ring *)(uintptr_t)c->rx_ring);
	d->transmit = hvt_transmit;
	d->receive = hvt_receive;
	d->poll_bit = PITH_POLL_NET;
	d->pending = hvt_pending;
	return 0;
}
