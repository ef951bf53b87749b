/*
 * netdev_plat.h — inside the network device layer: what kernel/netdev.c
 * asks of each platform's half (netdev_hvt.c: the shared rings;
 * netdev_process.c: the tap fd itself). Each fills in the device's
 * transmit, receive and poll_bit from the boot information's net part;
 * 0 or -errno.
 */
#ifndef PITH_NETDEV_PLAT_H
#define PITH_NETDEV_PLAT_H

#include <pith/abi.h>

#include "netdev.h"

#ifndef EMSGSIZE
#define EMSGSIZE 90 /* Linux's value; kerrno.h may gain it */
#endif

int netdev_hvt_setup(struct netdev *d, const struct pith_boot_net *c);
int netdev_process_setup(struct netdev *d, const struct pith_boot_net *c);

/* The boot information's net part, or NULL without a device. */
const struct pith_boot_net *netdev_conf(void);

#endif
