/*
 * netdev.h — the contract between the guest's network stack instance
 * (posix/netstack.c, part "net") and a network device driver.
 *
 * A platform with a device provides netdev_probe(), returning its one
 * device (or NULL); the kernel's own weak definition returns NULL, so an
 * image without a driver runs its stack on loopback only. The stack
 * calls netdev_probe() once, when the program first makes a socket.
 *
 * The driver MUST:
 *   - fill mac, mtu (68..9000; 0: 1500) and the addresses before it
 *     returns the device (addresses in network byte order; 0: none, and
 *     the stack's DHCP client asks when ip is 0);
 *   - make transmit() copy the frame (at most mtu + 14 bytes, Ethernet
 *     header first, no FCS) before it returns; 0 when sent or queued,
 *     -errno when not (-EAGAIN: its ring is full). The stack does not
 *     retry: TCP resends, UDP loses the datagram, as on a busy link;
 *   - make receive() copy one waiting frame into buf (cap bytes, at least
 *     mtu + 14) and return its length, or 0 when none waits. It never
 *     blocks;
 *   - set poll_bit to the PITH_POLL_* bit that plat->poll() reports when
 *     frames may have arrived: every wait of the program includes it, and
 *     after every wait the stack calls receive() until it returns 0.
 * The driver MAY set pending() when it can tell without an exit or a host
 * call that a frame waits (a look at a ring): the stack then looks for
 * NET_IDLE_SPIN_NS (param.h) before it lets the program sleep.
 * The driver MUST NOT call into the stack from transmit() or receive().
 */
#ifndef PITH_NETDEV_H
#define PITH_NETDEV_H

#include "kernel.h"

struct netdev {
	uint8_t mac[6];
	uint16_t mtu;
	uint32_t ip, prefix_len, gateway,
		dns; /* network byte order addresses; ip 0: DHCP (net/dhcp.h) */
	int (*transmit)(struct netdev *d, const void *frame,
			size_t len); /* 0 or -errno (-EAGAIN: ring full) */
	size_t (*receive)(struct netdev *d, void *buf,
			  size_t cap); /* one frame's length, or 0 if none */
	uint32_t poll_bit; /* the PITH_POLL_* bit plat->poll reports when frames may have arrived */
	bool (*pending)(struct netdev *d); /* may be NULL; see below */
	bool stats; /* print the stack's counters at exit (pith run --verbose) */
};

struct netdev *netdev_probe(void); /* the platform's device, or NULL */

#endif
