#ifndef PITH_NETDEV_H
#define PITH_NETDEV_H

#include <stddef.h>
#include <stdint.h>

struct netdev {
	uint8_t mac[6];
	uint16_t mtu;
	uint32_t ip, prefix_len, gateway,
		dns; /* network byte order addresses; 0 = none (DHCP later) */
	int (*transmit)(struct netdev *d, const void *frame,
			size_t len); /* 0 or -errno (-EAGAIN: ring full) */
	size_t (*receive)(struct netdev *d, void *buf,
			  size_t cap); /* one frame's length, or 0 if none */
	uint32_t poll_bit; /* the PITH_POLL_* bit plat->poll reports when frames may have arrived */
};
struct netdev *netdev_probe(void); /* the platform's device, or NULL */

#endif
