/*
 * net.c — `pith run`'s network options: --net tap:NAME | fd:N | user |
 * none, --ip ADDR/LEN, --gw ADDR, --dns ADDR, --mac XX:XX:XX:XX:XX:XX
 * (and -p, which implies --net user: passt.c).
 *
 * net_option() takes each option as getopt_long gives it; net_setup()
 * then checks them together and opens the tap, moved to NET_TAP_FD
 * (monitor/netfd.h) and non-blocking, into run_opts; for --net user the
 * socket of the passt it starts instead. Every problem is
 * one line that names the option and what to do, and status 125.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

#include "../monitor/guest.h"
#include "../monitor/netfd.h"
#include "cli.h"

static const char *net_spec, *ip_spec, *gw_spec, *dns_spec, *mac_spec;

void net_option(int which, const char *arg)
{
	switch (which) {
	case NET_OPT_NET:
		net_spec = arg;
		break;
	case NET_OPT_IP:
		ip_spec = arg;
		break;
	case NET_OPT_GW:
		gw_spec = arg;
		break;
	case NET_OPT_DNS:
		dns_spec = arg;
		break;
	default:
		mac_spec = arg;
		break;
	}
}

const char *net_option_name(int which)
{
	static const char *const names[] = { "--net", "--ip", "--gw", "--dns", "--mac" };

	return names[which - NET_OPT_NET];
}

/* A dotted-quad an interface or a server may have: network byte order. */
static uint32_t unicast(const char *opt, const char *s)
{
	struct in_addr a;
	uint32_t h;

	if (inet_pton(AF_INET, s, &a) != 1)
		die("run: %s %s: not an IPv4 address (e.g. 10.0.0.2)", opt, s);
	h = ntohl(a.s_addr);
	if (h == 0 || h == 0xffffffffu || (h >> 24) == 127 || (h >> 28) >= 14)
		die("run: %s %s: not a unicast address (0, loopback, multicast and broadcast "
		    "addresses cannot be used)",
		    opt, s);
	return a.s_addr;
}

static uint32_t mask_of(uint32_t len)
{
	return len == 0 ? 0 : htonl(0xffffffffu << (32 - len));
}

static void parse_ip(struct run_net *n)
{
	char buf[32], *slash, *end;
	unsigned long len;
	uint32_t m;

	if (strlen(ip_spec) >= sizeof(buf) || !(slash = strchr(strcpy(buf, ip_spec), '/')))
		die("run: --ip %s: use ADDR/LEN, e.g. 10.0.0.2/24", ip_spec);
	*slash = '\0';
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (!slash[1] || *end || errno || len < 1 || len > 32)
		die("run: --ip %s: the prefix length must be 1 to 32", ip_spec);
	n->ip = unicast("--ip", buf);
	n->prefix_len = (uint32_t)len;
	m = mask_of(n->prefix_len);
	/* On /31 and /32 every address is a host's (RFC 3021). */
	if (len <= 30 && ((n->ip & ~m) == 0 || (n->ip | m) == 0xffffffffu))
		die("run: --ip %s: that is the subnet's network or broadcast address", ip_spec);
}

static void parse_gw(struct run_net *n)
{
	uint32_t m;

	if (!n->ip)
		die("run: --gw %s: give the guest's own address too (--ip ADDR/LEN)", gw_spec);
	n->gateway = unicast("--gw", gw_spec);
	m = mask_of(n->prefix_len);
	if ((n->gateway & m) != (n->ip & m))
		die("run: --gw %s: outside the guest's subnet %s", gw_spec, ip_spec);
	if (n->gateway == n->ip)
		die("run: --gw %s: that is the guest's own address", gw_spec);
	if (n->prefix_len <= 30 && ((n->gateway & ~m) == 0 || (n->gateway | m) == 0xffffffffu))
		die("run: --gw %s: that is the subnet's network or broadcast address", gw_spec);
}

static int hex(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

static void parse_mac(struct run_net *n)
{
	const char *s = mac_spec;

	for (int i = 0; i < 6; i++, s += 3) {
		if (hex(s[0]) < 0 || hex(s[1]) < 0 || s[2] != (i == 5 ? '\0' : ':'))
			die("run: --mac %s: use six hex pairs, e.g. 02:00:00:00:00:01", mac_spec);
		n->mac[i] = (uint8_t)(hex(s[0]) << 4 | hex(s[1]));
	}
	if (n->mac[0] & 1)
		die("run: --mac %s: a multicast address (the first byte must be even)", mac_spec);
	if (!(n->mac[0] | n->mac[1] | n->mac[2] | n->mac[3] | n->mac[4] | n->mac[5]))
		die("run: --mac %s: the all-zero address", mac_spec);
}

/* A locally administered unicast address from random bytes. */
static void random_mac(struct run_net *n)
{
	if (getrandom(n->mac, sizeof(n->mac), 0) != (ssize_t)sizeof(n->mac))
		die("run: --net: no random bytes for a MAC address: %s", strerror(errno));
	n->mac[0] = (uint8_t)((n->mac[0] & 0xfc) | 0x02);
}

static const char *user_name(void)
{
	const char *u = getenv("USER");

	return u && *u ? u : "$USER";
}

/* Open the tap NAME as pith needs it (IFF_TAP | IFF_NO_PI). */
static int tap_open(const char *name)
{
	char path[64];
	FILE *f;
	unsigned flags = 0;
	struct ifreq ifr;
	int fd;

	if (!*name || strlen(name) >= IFNAMSIZ || strchr(name, '/'))
		die("run: --net tap:%s: a device name has 1 to %d characters, no '/'", name,
		    IFNAMSIZ - 1);
	/* TUNSETIFF would create a missing device: look first. */
	if (if_nametoindex(name) == 0)
		die("run: --net tap:%s: no such network device; create one with "
		    "'ip tuntap add dev %s mode tap user %s' (as root)",
		    name, name, user_name());
	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", name);
	f = fopen(path, "re");
	if (!f || fscanf(f, "%x", &flags) != 1 || !(flags & IFF_TAP)) {
		if (f)
			fclose(f);
		die("run: --net tap:%s: %s is not a tap device (%s); create a tap with "
		    "'ip tuntap add dev NAME mode tap'",
		    name, name, f && (flags & IFF_TUN) ? "it is a tun device" : "not tun/tap");
	}
	fclose(f);
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		die("run: --net tap:%s: /dev/net/tun: %s%s", name, strerror(errno),
		    errno == ENOENT ? " (load the tun module: modprobe tun)" : "");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;

		if (e == EPERM || e == EACCES)
			die("run: --net tap:%s: no permission to attach to it (it belongs to "
			    "another user: 'ip tuntap add dev %s mode tap user %s', or run as "
			    "root)",
			    name, name, user_name());
		if (e == EBUSY)
			die("run: --net tap:%s: in use by another program", name);
		die("run: --net tap:%s: cannot attach: %s (a tap made with other options, "
		    "e.g. vnet_hdr or multi_queue?)",
		    name, strerror(e));
	}
	return fd;
}

/* Take a tap another program opened for us (privilege separation). */
static int tap_fd(const char *spec, const char *num)
{
	struct ifreq ifr;
	char *end;
	long fd;

	errno = 0;
	fd = strtol(num, &end, 10);
	if (!*num || *end || errno || fd < 3 || fd > 65535)
		die("run: --net %s: N must be an open fd number of 3 or more", spec);
	if (fcntl((int)fd, F_GETFD) < 0)
		die("run: --net %s: fd %ld is not open", spec, fd);
	memset(&ifr, 0, sizeof(ifr));
	if (ioctl((int)fd, TUNGETIFF, &ifr) < 0 || !(ifr.ifr_flags & IFF_TAP))
		die("run: --net %s: fd %ld is not an attached tap device", spec, fd);
	if (!(ifr.ifr_flags & IFF_NO_PI))
		die("run: --net %s: the tap was attached without IFF_NO_PI", spec);
	if (ifr.ifr_flags & IFF_VNET_HDR)
		die("run: --net %s: the tap was attached with IFF_VNET_HDR (not supported yet)",
		    spec);
	if (fcntl((int)fd, F_SETFL, fcntl((int)fd, F_GETFL) | O_NONBLOCK) < 0 ||
	    fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0)
		die("run: --net %s: %s", spec, strerror(errno));
	return (int)fd;
}

/* The tap to its fixed number, where the seccomp filters name it. */
static int move_fd(int fd)
{
	if (fd == NET_TAP_FD)
		return fd;
	if (fcntl(NET_TAP_FD, F_GETFD) >= 0)
		die("run: --net: fd %d is already open; pith needs that number for the tap",
		    NET_TAP_FD);
	if (dup3(fd, NET_TAP_FD, O_CLOEXEC) < 0)
		die("run: --net: cannot move the tap to fd %d: %s", NET_TAP_FD, strerror(errno));
	close(fd);
	return NET_TAP_FD;
}

/*
 * The addresses passt hands out by DHCP (and uses itself). Defaults as
 * QEMU's user network: 10.0.2.15/24, gateway 10.0.2.2 (passt maps it to
 * the host), DNS 10.0.2.3 (passt forwards it to the host's resolver).
 * With --ip alone, the gateway is the subnet's first address and also
 * the DNS. Without --ip the guest takes them from passt's DHCP server;
 * with --ip it is configured statically with the same values.
 */
static void user_defaults(struct run_net *n)
{
	uint32_t m;

	if (!ip_spec) {
		n->ip = htonl(0x0a00020fu);
		n->prefix_len = 24;
		if (!gw_spec)
			n->gateway = htonl(0x0a000202u);
		if (!dns_spec)
			n->dns = htonl(0x0a000203u);
		return;
	}
	m = mask_of(n->prefix_len);
	if (n->prefix_len > 30)
		die("run: --net user: --ip %s: passt needs a gateway beside the guest (a prefix "
		    "of 30 or less)",
		    ip_spec);
	if (!gw_spec) {
		n->gateway = (n->ip & m) | htonl(1);
		if (n->gateway == n->ip)
			n->gateway = (n->ip & m) | htonl(2);
	}
	if (!dns_spec)
		n->dns = n->gateway;
}

void net_setup(struct run_opts *o, int detached)
{
	struct run_net *n = &o->net;
	const char *test = getenv("PITH_TEST_NETDEV_ECHO");
	int fd;

	memset(n, 0, sizeof(*n));
	n->fd = -1;
	if (!net_spec && publish_count())
		net_spec = "user"; /* -p alone: ports need passt */
	if (publish_count() && strcmp(net_spec, "user"))
		die("run: -p publishes ports through passt: use it with --net user, not --net %s",
		    net_spec);
	if (!net_spec || !strcmp(net_spec, "none")) {
		const char *opt = ip_spec    ? "--ip"
				  : gw_spec  ? "--gw"
				  : dns_spec ? "--dns"
					     : "--mac";

		if (ip_spec || gw_spec || dns_spec || mac_spec)
			die("run: %s needs a network device (--net tap:NAME, fd:N or user)", opt);
		return;
	}
	if (strncmp(net_spec, "tap:", 4) && strncmp(net_spec, "fd:", 3) && strcmp(net_spec, "user"))
		die("run: --net %s: use tap:NAME, fd:N, user or none", net_spec);
	n->on = true;
	n->mtu = PITH_NET_MTU;
	if (ip_spec)
		parse_ip(n);
	if (gw_spec)
		parse_gw(n);
	if (dns_spec)
		n->dns = unicast("--dns", dns_spec);
	if (mac_spec)
		parse_mac(n);
	else
		random_mac(n);
	n->test_echo = test && !strcmp(test, "1");
	if (!strcmp(net_spec, "user")) {
		user_defaults(n);
		publish_check_free();
		if (detached) /* the instance's monitor starts its own passt */
			n->on = false;
		else
			n->fd = move_fd(passt_start(n));
		n->stream = !detached;
		if (!ip_spec) { /* the guest asks passt's DHCP server */
			n->ip = n->gateway = n->prefix_len = 0;
			if (!dns_spec)
				n->dns = 0;
		}
		return;
	}
	if (!strncmp(net_spec, "fd:", 3)) {
		if (detached)
			die("run: --net %s: an fd cannot pass to a detached instance (use "
			    "tap:NAME)",
			    net_spec);
		fd = tap_fd(net_spec, net_spec + 3);
	} else {
		fd = tap_open(net_spec + 4);
	}
	if (detached) { /* checked; the instance's monitor opens its own */
		close(fd);
		n->on = false;
		return;
	}
	n->fd = move_fd(fd);
}
