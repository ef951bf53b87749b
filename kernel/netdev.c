/*
 * netdev.c — the guest's network device (kernel/netdev.h): one Ethernet
 * interface configured by the host (`pith run --net`), moved by the
 * platform's half: shared rings on hvt (netdev_hvt.c), the tap fd on the
 * process target (netdev_process.c). Part "net": only images that use
 * networking link it. posix_init() hands it the boot information.
 */
#include "kernel.h"
#include "netdev_plat.h"
#include "platform.h"

void netdev_init(const struct pith_boot *boot);

static struct pith_boot_net conf;
static struct netdev dev;
static int state; /* 0: not probed, 1: ready, -1: none */

void netdev_init(const struct pith_boot *boot)
{
	if (boot->net.flags & PITH_NET_ON)
		conf = boot->net;
}

const struct pith_boot_net *netdev_conf(void)
{
	return conf.flags & PITH_NET_ON ? &conf : NULL;
}

struct netdev *netdev_probe(void)
{
	if (state == 0) {
		int r;

		state = -1;
		if (!(conf.flags & PITH_NET_ON))
			return NULL;
		memcpy(dev.mac, conf.mac, sizeof(dev.mac));
		dev.mtu = conf.mtu;
		dev.ip = conf.ip;
		dev.prefix_len = conf.prefix_len;
		dev.gateway = conf.gateway;
		dev.dns = conf.dns;
		dev.stats = conf.flags & PITH_NET_STATS;
		r = plat == &plat_hvt ? netdev_hvt_setup(&dev, &conf)
				      : netdev_process_setup(&dev, &conf);
		if (r < 0) {
			kprintf("network device: cannot start (error %d)", -r);
			return NULL;
		}
		state = 1;
	}
	return state > 0 ? &dev : NULL;
}
