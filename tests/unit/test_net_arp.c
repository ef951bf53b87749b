/*
 * test_net_arp.c — net/eth.c and net/arp.c: each Ethernet and ARP drop
 * reason, replies byte for byte, the gratuitous ARP, and resolution on a
 * fake clock (retries with backoff, giving up, the queue of waiting
 * packets and its bound, expiry, refresh, the cache's size limit).
 */
#include "check.h"
#include "netutil.h"

static struct netif nif;
static struct dev dev;
static const uint8_t ZERO[6];

/* Feed one frame; check that exactly the counter named moved by one and
 * no other drop counter moved. NULL: no drop at all. */
static void expect_drop(const char *name, const uint8_t *f, size_t len, const char *counter_name)
{
	uint64_t before = counter_name ? counter(&nif, counter_name) : 0, all = drops(&nif);

	net_input(&nif, f, len, T0);
	if (counter_name)
		CHECKD(name, counter(&nif, counter_name) == before + 1 && drops(&nif) == all + 1,
		       "%s %llu -> %llu, all drops %llu -> %llu", counter_name,
		       (unsigned long long)before, (unsigned long long)counter(&nif, counter_name),
		       (unsigned long long)all, (unsigned long long)drops(&nif));
	else
		CHECKD(name, drops(&nif) == all, "drops %llu -> %llu", (unsigned long long)all,
		       (unsigned long long)drops(&nif));
}

static size_t arp_frame(uint8_t *f, const uint8_t eth_dst[6], uint16_t op, const uint8_t sha[6],
			uint32_t spa, const uint8_t tha[6], uint32_t tpa)
{
	size_t n = put_eth(f, eth_dst, sha, 0x0806);

	return n + put_arp(f + n, op, sha, spa, tha, tpa);
}

static void init_checks(void)
{
	struct net_config cfg = { .addr = IP_US, .prefix_len = 24, .transmit = dev_transmit };
	struct netif tmp;
	uint8_t want[42];

	cfg.dev = &dev;
	memcpy(cfg.mac, MAC_US, 6);
	memset(&dev, 0, sizeof(dev));
	CHECK("net/init/ok", net_init(&tmp, &cfg, T0) == 0 && tmp.mtu == 1500);
	arp_frame(want, MAC_BCAST, 1, MAC_US, IP_US, ZERO, IP_US);
	CHECK("net/arp/gratuitous-at-start",
	      dev.n == 1 && dev.len[0] == 42 && !memcmp(dev.frame[0], want, 42));
	nif_down(&tmp, &dev);
	cfg.prefix_len = 33;
	CHECK("net/init/prefix-33-refused", net_init(&tmp, &cfg, T0) == -NET_EINVAL);
	cfg.prefix_len = 24;
	cfg.mtu = 67;
	CHECK("net/init/mtu-67-refused", net_init(&tmp, &cfg, T0) == -NET_EINVAL);
	cfg.mtu = 0;
	cfg.mac[0] = 0x01;
	CHECK("net/init/multicast-mac-refused", net_init(&tmp, &cfg, T0) == -NET_EINVAL);
	cfg.mac[0] = 0x02;
	cfg.transmit = NULL;
	CHECK("net/init/no-transmit-refused", net_init(&tmp, &cfg, T0) == -NET_EINVAL);
	CHECK("net/init/no-frames-when-refused", dev.n == 0);
}

static void eth_drops(void)
{
	uint8_t f[128];
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x77 };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	size_t n;

	memset(f, 0, sizeof(f));
	put_eth(f, MAC_US, MAC_PEER, 0x0800);
	expect_drop("net/eth/short-13", f, 13, "eth_short");
	expect_drop("net/eth/empty", f, 0, "eth_short");
	put_eth(f, other, MAC_PEER, 0x0800);
	expect_drop("net/eth/other-mac", f, 60, "eth_not_us");
	put_eth(f, mcast, MAC_PEER, 0x0800);
	expect_drop("net/eth/multicast", f, 60, "eth_not_us");
	put_eth(f, MAC_US, MAC_PEER, 0x8100);
	expect_drop("net/eth/vlan-8021q", f, 64, "eth_vlan");
	put_eth(f, MAC_US, MAC_PEER, 0x88a8);
	expect_drop("net/eth/vlan-8021ad", f, 64, "eth_vlan");
	put_eth(f, MAC_US, MAC_PEER, 0x86dd);
	expect_drop("net/eth/ipv6", f, 60, "eth_type");
	put_eth(f, MAC_US, MAC_PEER, 0x0040);
	expect_drop("net/eth/8023-length", f, 60, "eth_type");
	/* Broadcast ARP for somebody else: taken in, not answered, no drop. */
	n = arp_frame(f, MAC_BCAST, 1, MAC_PEER, IP_PEER, ZERO, NET_IP(10, 0, 0, 9));
	expect_drop("net/eth/broadcast-accepted", f, n, NULL);
	CHECK("net/arp/request-for-other-not-answered", dev.n == 0);
	CHECK("net/arp/request-for-other-learns-nothing", arp_lookup(&nif, IP_PEER) == NULL);
	CHECK_U64("net/eth/rx_frames", counter(&nif, "rx_frames"), 9);
}

static void arp_drops(void)
{
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	uint8_t f[64];
	size_t n;

	n = arp_frame(f, MAC_US, 1, MAC_PEER, IP_PEER, ZERO, IP_US);
	expect_drop("net/arp/short-27", f, 14 + 27, "arp_short");
	f[14 + 1] = 6; /* htype 6 */
	expect_drop("net/arp/htype", f, n, "arp_format");
	n = arp_frame(f, MAC_US, 1, MAC_PEER, IP_PEER, ZERO, IP_US);
	f[14 + 3] = 0xdd; /* ptype 0x08dd */
	expect_drop("net/arp/ptype", f, n, "arp_format");
	n = arp_frame(f, MAC_US, 1, MAC_PEER, IP_PEER, ZERO, IP_US);
	f[14 + 4] = 8;
	expect_drop("net/arp/hlen", f, n, "arp_format");
	n = arp_frame(f, MAC_US, 1, MAC_PEER, IP_PEER, ZERO, IP_US);
	f[14 + 5] = 16;
	expect_drop("net/arp/plen", f, n, "arp_format");
	n = arp_frame(f, MAC_US, 3, MAC_PEER, IP_PEER, ZERO, IP_US);
	expect_drop("net/arp/op-3", f, n, "arp_op");
	n = arp_frame(f, MAC_US, 1, mcast, IP_PEER, ZERO, IP_US);
	expect_drop("net/arp/multicast-sender", f, n, "arp_bad_sender");
	n = arp_frame(f, MAC_US, 1, MAC_PEER, NET_IP(10, 0, 0, 255), ZERO, IP_US);
	expect_drop("net/arp/broadcast-sender-ip", f, n, "arp_bad_sender");
	n = arp_frame(f, MAC_US, 1, MAC_PEER, NET_IP(127, 0, 0, 1), ZERO, IP_US);
	expect_drop("net/arp/loopback-sender-ip", f, n, "arp_bad_sender");
	n = arp_frame(f, MAC_BCAST, 1, MAC_PEER, IP_US, ZERO, IP_US);
	expect_drop("net/arp/conflict", f, n, "arp_conflict");
	n = arp_frame(f, MAC_US, 2, MAC_PEER, IP_PEER, MAC_US, IP_US);
	expect_drop("net/arp/unsolicited-reply", f, n, "arp_unsolicited");
	CHECK("net/arp/unsolicited-reply-not-learnt", arp_lookup(&nif, IP_PEER) == NULL);
	CHECK("net/arp/drops-sent-nothing", dev.n == 0);
}

static void replies(void)
{
	uint8_t f[64], want[42];
	size_t n;
	const struct arp_entry *e;

	/* A request for us, padded to 60 bytes as on a real link. */
	memset(f, 0xee, sizeof(f));
	arp_frame(f, MAC_BCAST, 1, MAC_PEER, IP_PEER, ZERO, IP_US);
	expect_drop("net/arp/request-accepted", f, 60, NULL);
	arp_frame(want, MAC_PEER, 2, MAC_US, IP_US, MAC_PEER, IP_PEER);
	CHECK("net/arp/reply-bytes",
	      dev.n == 1 && dev.len[0] == 42 && !memcmp(dev.frame[0], want, 42));
	e = arp_lookup(&nif, IP_PEER);
	CHECK("net/arp/request-for-us-learns-asker",
	      e && e->state == ARP_RESOLVED && !memcmp(e->mac, MAC_PEER, 6));
	dev_clear(&dev);

	/* An RFC 5227 probe (sender 0.0.0.0): answered, not learnt. */
	static const uint8_t prober[6] = { 0x02, 0, 0, 0, 0, 0x33 };
	n = arp_frame(f, MAC_BCAST, 1, prober, 0, ZERO, IP_US);
	expect_drop("net/arp/probe-accepted", f, n, NULL);
	arp_frame(want, prober, 2, MAC_US, IP_US, prober, 0);
	CHECK("net/arp/probe-answered", dev.n == 1 && !memcmp(dev.frame[0], want, 42));
	CHECK("net/arp/probe-not-learnt", arp_lookup(&nif, 0) == NULL);
	dev_clear(&dev);

	/* A gratuitous ARP from the peer with a new MAC: merged. */
	static const uint8_t moved[6] = { 0x02, 0, 0, 0, 0, 0x44 };
	n = arp_frame(f, MAC_BCAST, 1, moved, IP_PEER, ZERO, IP_PEER);
	expect_drop("net/arp/gratuitous-accepted", f, n, NULL);
	e = arp_lookup(&nif, IP_PEER);
	CHECK("net/arp/gratuitous-updates-known-entry", e && !memcmp(e->mac, moved, 6));
	CHECK("net/arp/gratuitous-not-answered", dev.n == 0);
	/* ...but a gratuitous ARP from a stranger creates nothing. */
	n = arp_frame(f, MAC_BCAST, 1, moved, NET_IP(10, 0, 0, 50), ZERO, NET_IP(10, 0, 0, 50));
	net_input(&nif, f, n, T0);
	CHECK("net/arp/gratuitous-from-stranger-not-learnt",
	      arp_lookup(&nif, NET_IP(10, 0, 0, 50)) == NULL);
}

/* The ARP fields of frame i: op, target IP; and the Ethernet dst. */
static int is_request(size_t i, uint32_t tpa, const uint8_t eth_dst[6])
{
	const uint8_t *f = dev.frame[i];

	return i < dev.n && dev.len[i] == 42 && rd16(f + 12) == 0x0806 && rd16(f + 20) == 1 &&
	       rd32(f + 38) == tpa && rd32(f + 28) == IP_US && !memcmp(f, eth_dst, 6);
}

static long send_udp(struct udp_pcb *pcb, uint32_t dst, size_t len, uint8_t fill, uint64_t now)
{
	uint8_t data[2000];

	memset(data, fill, sizeof(data));
	return udp_sendto(pcb, data, len, dst, 9, 0, now);
}

static void resolution(void)
{
	struct udp_pcb *pcb = udp_open(&nif);
	uint8_t f[64];
	size_t n;
	uint64_t next;
	int order = 1;

	/* Unknown neighbour: one broadcast request, the packets wait. */
	CHECK("net/arp/send-queued", send_udp(pcb, NET_IP(10, 0, 0, 3), 10, 1, T0) == 10);
	send_udp(pcb, NET_IP(10, 0, 0, 3), 10, 2, T0);
	send_udp(pcb, NET_IP(10, 0, 0, 3), 10, 3, T0);
	CHECK("net/arp/one-request-for-three-packets",
	      dev.n == 1 && is_request(0, NET_IP(10, 0, 0, 3), MAC_BCAST));
	CHECK("net/arp/pending", arp_lookup(&nif, NET_IP(10, 0, 0, 3))->state == ARP_PENDING);
	next = net_tick(&nif, T0 + 500 * MS);
	CHECK_U64("net/arp/retry-deadline-1s", next, T0 + SEC);
	CHECK("net/arp/no-retry-before-deadline", dev.n == 1);
	next = net_tick(&nif, T0 + SEC);
	CHECK("net/arp/retry-2", dev.n == 2 && is_request(1, NET_IP(10, 0, 0, 3), MAC_BCAST));
	CHECK_U64("net/arp/backoff-2s", next, T0 + 3 * SEC);
	next = net_tick(&nif, T0 + 3 * SEC);
	CHECK("net/arp/retry-3", dev.n == 3);
	CHECK_U64("net/arp/backoff-4s", next, T0 + 7 * SEC);
	/* The answer comes before the last wait ends: the packets leave, in
	 * order. */
	n = arp_frame(f, MAC_US, 2, MAC_PEER, NET_IP(10, 0, 0, 3), MAC_US, IP_US);
	net_input(&nif, f, n, T0 + 4 * SEC);
	CHECK_U64("net/arp/queue-flushed-on-reply", dev.n, 6);
	for (size_t i = 3; i < dev.n && i < 6; i++)
		if (memcmp(dev.frame[i], MAC_PEER, 6) || rd16(dev.frame[i] + 12) != 0x0800 ||
		    dev.frame[i][14 + 20 + 8] != i - 2)
			order = 0;
	CHECK("net/arp/queued-packets-in-order", order);
	CHECK_U64("net/arp/next-deadline-is-first-expiry", net_tick(&nif, T0 + 4 * SEC),
		  T0 + NET_ARP_TTL_NS); /* the peer learnt at T0 */
	dev_clear(&dev);

	/* A neighbour that never answers: three requests, then the queue is
	 * dropped and counted. */
	send_udp(pcb, NET_IP(10, 0, 0, 4), 10, 1, T0);
	send_udp(pcb, NET_IP(10, 0, 0, 4), 10, 2, T0);
	net_tick(&nif, T0 + SEC);
	net_tick(&nif, T0 + 3 * SEC);
	CHECK_U64("net/arp/three-requests", dev.n, 3);
	net_tick(&nif, T0 + 7 * SEC - 1);
	CHECK("net/arp/still-pending-just-before", arp_lookup(&nif, NET_IP(10, 0, 0, 4)) != NULL);
	net_tick(&nif, T0 + 7 * SEC);
	CHECK("net/arp/given-up", arp_lookup(&nif, NET_IP(10, 0, 0, 4)) == NULL);
	CHECK_U64("net/arp/failed-packets-counted", counter(&nif, "arp_failed"), 2);
	CHECK_U64("net/arp/no-fourth-request", dev.n, 3);
	dev_clear(&dev);
	udp_close(pcb);
}

static void queue_bound(void)
{
	struct udp_pcb *pcb = udp_open(&nif);
	uint8_t f[64];
	size_t n, sent = 0, first;
	int ok = 1;

	for (int i = 0; i < 100; i++)
		send_udp(pcb, NET_IP(10, 0, 0, 5), 1400, (uint8_t)i, T0);
	CHECK("net/arp/queue-bytes-bounded", nif.arp.queued_bytes <= NET_ARP_QUEUE_BYTES);
	CHECK("net/arp/queue-full-counted", counter(&nif, "arp_queue_full") > 0);
	CHECK_U64("net/arp/queue-accounting",
		  counter(&nif, "arp_queue_full") + arp_lookup(&nif, NET_IP(10, 0, 0, 5))->queued,
		  100);
	dev_clear(&dev);
	n = arp_frame(f, MAC_US, 2, MAC_PEER, NET_IP(10, 0, 0, 5), MAC_US, IP_US);
	net_input(&nif, f, n, T0 + SEC / 10);
	sent = dev.n;
	first = 100 - sent;
	for (size_t i = 0; i < dev.n; i++)
		if (dev.frame[i][14 + 28] != first + i)
			ok = 0;
	CHECK("net/arp/queue-drops-oldest-keeps-newest", sent > 0 && ok);
	CHECK_U64("net/arp/queue-empty-after", nif.arp.queued_bytes, 0);
	dev_clear(&dev);
	udp_close(pcb);
}

static void expiry_refresh_gateway(void)
{
	struct udp_pcb *pcb = udp_open(&nif);
	const uint64_t t = T0 + 100 * SEC;

	nif_down(&nif, &dev);
	nif_up(&nif, &dev, 0);
	pcb = udp_open(&nif);
	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, t);
	send_udp(pcb, IP_PEER, 10, 0, t + 30 * SEC);
	CHECK("net/arp/resolved-sends-directly", dev.n == 1 && !memcmp(dev.frame[0], MAC_PEER, 6));
	dev_clear(&dev);
	/* In the last 5 s: one unicast request, and the packet still goes. */
	send_udp(pcb, IP_PEER, 10, 0, t + 56 * SEC);
	CHECK("net/arp/refresh-unicast",
	      dev.n == 2 && is_request(0, IP_PEER, MAC_PEER) && !memcmp(dev.frame[1], MAC_PEER, 6));
	send_udp(pcb, IP_PEER, 10, 0, t + 57 * SEC);
	CHECK_U64("net/arp/refresh-asked-once", dev.n, 3);
	dev_clear(&dev);
	net_tick(&nif, t + 60 * SEC);
	CHECK("net/arp/expired", arp_lookup(&nif, IP_PEER) == NULL);
	send_udp(pcb, IP_PEER, 10, 0, t + 61 * SEC);
	CHECK("net/arp/expired-asks-again", dev.n == 1 && is_request(0, IP_PEER, MAC_BCAST));
	dev_clear(&dev);
	/* Off the link: the gateway is resolved, not the destination. */
	send_udp(pcb, IP_FAR, 10, 0, t + 61 * SEC);
	CHECK("net/arp/gateway-resolved", dev.n == 1 && is_request(0, IP_GW, MAC_BCAST));
	dev_clear(&dev);
	/* Transmit failures are counted. */
	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, t + 62 * SEC);
	dev.fail = 5;
	send_udp(pcb, IP_PEER, 10, 0, t + 62 * SEC);
	dev.fail = 0;
	CHECK_U64("net/eth/tx-error-counted", counter(&nif, "tx_error"), 1);
	udp_close(pcb);
}

static void cache_limit(void)
{
	uint8_t f[64], mac[6] = { 0x02, 0, 0, 0, 1, 0 };
	size_t n, entries = 0;

	nif_down(&nif, &dev);
	nif_up(&nif, &dev, 0);
	for (int i = 0; i < NET_ARP_ENTRIES + 8; i++) {
		mac[5] = (uint8_t)i;
		n = arp_frame(f, MAC_BCAST, 1, mac, NET_IP(10, 0, 0, 100 + i), ZERO, IP_US);
		net_input(&nif, f, n, T0 + (uint64_t)i * MS);
	}
	for (int i = 0; i < NET_ARP_ENTRIES + 8; i++)
		entries += arp_lookup(&nif, NET_IP(10, 0, 0, 100 + i)) != NULL;
	CHECK_U64("net/arp/cache-size-limit", entries, NET_ARP_ENTRIES);
	CHECK_U64("net/arp/evictions-counted", counter(&nif, "arp_evicted"), 8);
	CHECK("net/arp/oldest-evicted", arp_lookup(&nif, NET_IP(10, 0, 0, 100)) == NULL &&
						arp_lookup(&nif, NET_IP(10, 0, 0, 139)) != NULL);
	dev_clear(&dev);
}

int main(void)
{
	init_checks();
	nif_up(&nif, &dev, 0);
	eth_drops();
	arp_drops();
	replies();
	dev_clear(&dev);
	resolution();
	queue_bound();
	expiry_refresh_gateway();
	cache_limit();
	nif_down(&nif, &dev);
	CHECK_U64("net/arp/all-memory-freed", net_host_bytes, 0);
	return 0;
}
