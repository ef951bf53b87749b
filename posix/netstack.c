/*
 * netstack.c — the guest's stack instance and its pump (netstack.h).
 *
 * The pump: clock_sleep_until(), the kernel's only wait, calls
 * netstack_before_wait() and netstack_after_wait() when this part is
 * linked (weak references in kernel/clock.c, so hello world carries no
 * stack and no cost). Before a wait the stack's timers run, local
 * datagrams are delivered, and the wait's deadline is cut to the stack's
 * next timer; the device's poll bit joins what the host watches. After
 * the wait, every frame the device holds goes to net_input() and the
 * timers run again. A caller whose wait ends early finds the work done
 * and checks its files again.
 */
#include "../kernel/clock.h"
#include "../kernel/kalloc.h"
#include "../kernel/netdev.h"
#include "../kernel/param.h"
#include "../kernel/random.h"
#include "netstack.h"
#include "posix.h"

/* No device before the other engineer's driver: the stack serves loopback. */
__attribute__((weak)) struct netdev *netdev_probe(void)
{
	return NULL;
}

/* How long the program's first use of the network waits for a DHCP
 * lease: two DISCOVERs (0 s and 3..5 s) and a REQUEST's answer fit. */
#define LEASE_WAIT_NS (10 * NET_NS_PER_SEC)

/* fs/etc.c (part fs), when linked: /etc/hosts and /etc/resolv.conf
 * follow the lease. */
extern void etc_set_address(uint32_t addr) __attribute__((weak));
extern void etc_set_dns(const uint32_t *dns, unsigned n) __attribute__((weak));

static struct netif *nif;
static struct netdev *dev;
static uint32_t seen_generation; /* the DHCP configuration /etc shows */
static uint8_t *frame;		 /* one received frame, mtu + 14 bytes */
static uint64_t next_deadline = NET_NO_DEADLINE;

static uint32_t from_be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static int dev_transmit(struct netif *n, const uint8_t *f, size_t len)
{
	(void)n;
	return dev ? dev->transmit(dev, f, len) : -ENETDOWN;
}

/* The lease changed (bound, renewed with other values, lost): /etc says
 * so, in network byte order as the files' writer takes it. */
static void lease_changed(void)
{
	const struct dhcp_client *c = &nif->dhcp;
	uint32_t dns[DHCP_DNS_MAX];
	unsigned n = dhcp_bound(nif) ? c->lease.ndns : 0;

	seen_generation = c->generation;
	if (etc_set_address)
		etc_set_address(from_be32(nif->addr));
	if (etc_set_dns && !dev->dns) { /* --dns wins over the lease */
		for (unsigned i = 0; i < n; i++)
			dns[i] = from_be32(c->lease.dns[i]);
		etc_set_dns(dns, n);
	}
}

/*
 * The program's first use of the network (a socket, or opening
 * /etc/resolv.conf or /etc/hosts, which musl's resolver reads before it
 * makes a socket) finds the lease in place: the stack starts then and
 * this waits for the ACK, sleeping in clock_sleep_until (the host is
 * told until when), at most LEASE_WAIT_NS. Without a lease by then the
 * program runs on: its sockets see no address and no route, as on
 * Linux, the client keeps trying, and one line says why.
 */
static void await_lease(void)
{
	uint64_t end = clock_monotonic() + LEASE_WAIT_NS, now;

	while (!dhcp_bound(nif) && (now = clock_monotonic()) < end) {
		clock_sleep_until(next_deadline < end ? next_deadline : end, 0);
		signal_interrupted(false); /* a SIGINT without handler ends it */
	}
	if (!dhcp_bound(nif))
		kprintf("network: no DHCP lease within %u s; no address yet (the client keeps "
			"asking)",
			(unsigned)(LEASE_WAIT_NS / NET_NS_PER_SEC));
	lease_changed();
}

static uint8_t prefix_of(uint32_t len)
{
	return (uint8_t)(len > 32 ? 32 : len);
}

struct netif *netstack(void)
{
	struct net_config cfg = { .transmit = dev_transmit };
	struct netif *n;

	if (nif)
		return nif;
	if (!(n = kalloc(sizeof(*n))))
		return NULL;
	random_bytes(&cfg.seed, sizeof(cfg.seed));
	dev = netdev_probe();
	if (dev) {
		memcpy(cfg.mac, dev->mac, sizeof(cfg.mac));
		cfg.mtu = dev->mtu;
		cfg.addr = from_be32(dev->ip);
		cfg.prefix_len = prefix_of(dev->prefix_len);
		cfg.gateway = from_be32(dev->gateway);
		cfg.dhcp = !cfg.addr; /* no --ip: the address comes by DHCP */
	} else {
		cfg.mac[0] = 0x02; /* locally administered, unicast; never sent */
	}
	if (dev && !(frame = kalloc((size_t)(cfg.mtu ? cfg.mtu : NET_MTU_DEFAULT) + ETH_HLEN))) {
		kfree(n, sizeof(*n));
		return NULL;
	}
	if (net_init(n, &cfg, clock_monotonic()) < 0) {
		kprintf("network device: bad configuration (mtu %u, prefix %u); loopback only",
			cfg.mtu, cfg.prefix_len);
		dev = NULL;
		cfg = (struct net_config){ .transmit = dev_transmit, .seed = cfg.seed };
		cfg.mac[0] = 0x02;
		net_init(n, &cfg, clock_monotonic());
	}
	nif = n;
	next_deadline = net_tick(nif, clock_monotonic());
	if (nif->dhcp.state != DHCP_OFF)
		await_lease();
	return nif;
}

void netstack_config_wait(void);
void netstack_config_wait(void)
{
	netstack();
}

uint64_t netstack_now(void)
{
	return clock_monotonic();
}

/* Frames taken per pump: a flood cannot keep the program from running;
 * what is left makes the next wait return at once. */
#define PUMP_BUDGET 256
static bool backlog;

/* Feed what the device received to the stack, up to PUMP_BUDGET frames. */
static void drain_device(void)
{
	size_t cap = (size_t)nif->mtu + ETH_HLEN, len;
	int n = 0;

	while (n < PUMP_BUDGET && (len = dev->receive(dev, frame, cap)) > 0) {
		if (len <= cap)
			net_input(nif, frame, len, clock_monotonic());
		n++;
	}
	backlog = n == PUMP_BUDGET;
}

/* Every socket call, every look by poll/epoll and every wake runs it. */
void netstack_run(void)
{
	if (!nif)
		return;
	if (dev)
		drain_device();
	next_deadline = net_tick(nif, clock_monotonic());
	if (nif->dhcp.generation != seen_generation)
		lease_changed();
}

/* pith run --verbose: every counter that moved, one a line, then the
 * stack's memory now and at its peak, for tests and for the curious. */
static void print_stats(void)
{
	for (size_t i = 0; i < net_stat_count(); i++) {
		uint64_t v = net_stat_get(&nif->stats, i);

		if (v)
			kprintf("net: %s %llu", net_stat_name(i), (unsigned long long)v);
	}
	kprintf("net: mem_bytes %zu", net_mem_bytes);
	kprintf("net: mem_peak %zu", net_mem_peak);
}

/* At exit: what closed connections still hold goes out, as Linux sends
 * it after the process is gone (a server's last reply must not be lost
 * with the guest). Bounded by NET_TCP_EXIT_LINGER_NS. Then, with
 * --verbose, the counters. */
void netstack_at_exit(void);
void netstack_at_exit(void)
{
	uint64_t end;

	if (!nif)
		return;
	end = clock_monotonic() + NET_TCP_EXIT_LINGER_NS;
	netstack_run();
	while (tcp_closing(nif) && clock_monotonic() < end)
		clock_sleep_until(next_deadline < end ? next_deadline : end, 0);
	if (dev && dev->stats)
		print_stats();
}

/* A program the kernel ends with a signal's default action (abort, a
 * write to a closed pipe, raise): the counters still, since --verbose
 * asks for them however it ended; no linger, the end is now. */
void netstack_at_die(void);
void netstack_at_die(void)
{
	if (nif && dev && dev->stats)
		print_stats();
}

void netstack_before_wait(uint64_t *deadline, uint32_t *want);
void netstack_before_wait(uint64_t *deadline, uint32_t *want)
{
	uint64_t now;
	bool work;

	if (!nif)
		return;
	now = clock_monotonic();
	/* Local datagrams waiting or a timer due: what they do may be what
	 * the caller waits for, so it looks again before sleeping. */
	work = nif->loop_head || next_deadline <= now || backlog;
	netstack_run();
	/* A request's next frame often comes within the cost of the exit a
	 * sleep makes (hvt): look for it first, as the monitor's I/O thread
	 * does for ours. */
	if (!work && dev && dev->pending && *deadline > now) {
		uint64_t t;

		while (!(work = dev->pending(dev)) &&
		       (t = clock_monotonic()) - now < NET_IDLE_SPIN_NS && t < *deadline)
			__builtin_ia32_pause();
		now = clock_monotonic();
	}
	if (work)
		*deadline = now;
	else if (next_deadline < *deadline)
		*deadline = next_deadline;
	if (dev)
		*want |= dev->poll_bit;
}

void netstack_after_wait(uint32_t ready);
void netstack_after_wait(uint32_t ready)
{
	(void)ready; /* the device is asked whatever woke us: it is cheap */
	netstack_run();
}
