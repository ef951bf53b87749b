/*
 * test_net_ipv4.c — net/ipv4.c and net/ip_reasm.c: each header check and
 * drop reason, options and padding, reassembly (in order, out of order,
 * duplicates, overlaps, bad fragments, timeout with its ICMP error, the
 * slot and memory caps), and output: fragmentation at a small MTU
 * reassembled by a second stack over a wire, DF, routing, our own address.
 */
#include "check.h"
#include "netutil.h"

static struct netif nif;
static struct dev dev;

static void expect_drop(const char *name, const uint8_t *f, size_t len, const char *counter_name)
{
	uint64_t before = counter(&nif, counter_name), all = drops(&nif);

	net_input(&nif, f, len, T0);
	CHECKD(name, counter(&nif, counter_name) == before + 1 && drops(&nif) == all + 1,
	       "%s %llu -> %llu, all drops %llu -> %llu", counter_name, (unsigned long long)before,
	       (unsigned long long)counter(&nif, counter_name), (unsigned long long)all,
	       (unsigned long long)drops(&nif));
}

/* A UDP datagram peer:5000 -> us:7 carrying len bytes of pattern. */
static size_t udp_payload(uint8_t *u, size_t len, uint32_t dst)
{
	uint8_t data[65536];

	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	return put_udp(u, IP_PEER, dst, 5000, 7, data, len);
}

static int got_pattern(struct udp_pcb *pcb, size_t len)
{
	static uint8_t buf[65536];
	size_t full = 0;
	long n = udp_recvfrom(pcb, buf, sizeof(buf), NULL, NULL, &full);

	if (n != (long)len || full != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (uint8_t)(i * 7 + 3))
			return 0;
	return 1;
}

static void header_checks(struct udp_pcb *pcb)
{
	uint8_t u[64], f[200];
	struct ipspec s = { .src = IP_PEER, .dst = IP_US, .proto = 17 };
	size_t ulen = udp_payload(u, 10, IP_US), n;

	n = frame_ip(f, &s, u, ulen);
	net_input(&nif, f, n, T0);
	CHECK("net/ip/good-datagram-delivered", got_pattern(pcb, 10));
	expect_drop("net/ip/short-19", f, 14 + 19, "ip_short");
	expect_drop("net/ip/total-past-frame", f, n - 1, "ip_short");
	f[14] = 0x65;
	expect_drop("net/ip/version-6", f, n, "ip_version");
	n = frame_ip(f, &s, u, ulen);
	f[14] = 0x44;
	expect_drop("net/ip/ihl-4", f, n, "ip_hlen");
	n = frame_ip(f, &s, u, ulen);
	f[14] = 0x4f; /* 60-byte header in a 38-byte datagram */
	expect_drop("net/ip/ihl-past-total", f, n + 40, "ip_hlen");
	n = frame_ip(f, &s, u, ulen);
	f[14 + 8] ^= 1; /* TTL changed, checksum not */
	expect_drop("net/ip/checksum", f, n, "ip_checksum");

	static const uint32_t martians[] = { 0xffffffff,
					     NET_IP(10, 0, 0, 255),
					     NET_IP(224, 0, 0, 1),
					     NET_IP(127, 0, 0, 1),
					     0,
					     NET_IP(240, 0, 0, 1),
					     IP_US };
	for (size_t i = 0; i < sizeof(martians) / sizeof(martians[0]); i++) {
		char name[64];

		s.src = martians[i];
		n = frame_ip(f, &s, u, udp_payload(u, 10, IP_US));
		snprintf(name, sizeof(name), "net/ip/martian-source-%zu", i);
		expect_drop(name, f, n, "ip_martian_src");
	}
	s.src = IP_PEER;
	s.dst = NET_IP(10, 0, 0, 9);
	n = frame_ip(f, &s, u, ulen);
	expect_drop("net/ip/not-for-us", f, n, "ip_not_us");
	s.dst = NET_IP(224, 0, 0, 251);
	n = frame_ip(f, &s, u, ulen);
	expect_drop("net/ip/multicast-not-joined", f, n, "ip_not_us");

	/* Unknown protocol: dropped, answered with protocol unreachable. */
	s.dst = IP_US;
	s.proto = 132; /* SCTP: not served */
	n = frame_ip(f, &s, u, ulen);
	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, T0);
	expect_drop("net/ip/protocol-132", f, n, "ip_proto");
	CHECK("net/ip/protocol-unreachable-sent", dev.n == 1 && dev.frame[0][14 + 9] == 1 &&
							  dev.frame[0][34] == 3 &&
							  dev.frame[0][35] == 2);
	dev_clear(&dev);
	s.proto = 17;

	/* Accepted: options skipped, link padding trimmed, TTL 0 and 1
	 * (RFC 1122 3.2.1.7), broadcasts. */
	s.optlen = 8;
	n = frame_ip(f, &s, u, ulen);
	net_input(&nif, f, n, T0);
	CHECK("net/ip/options-skipped", got_pattern(pcb, 10));
	s.optlen = 40;
	n = frame_ip(f, &s, u, ulen);
	net_input(&nif, f, n, T0);
	CHECK("net/ip/40-bytes-of-options", got_pattern(pcb, 10));
	s.optlen = 0;
	n = frame_ip(f, &s, u, ulen);
	memset(f + n, 0xab, 20);
	net_input(&nif, f, n + 20, T0);
	CHECK("net/ip/padding-trimmed", got_pattern(pcb, 10));
	s.ttl = 1;
	n = frame_ip(f, &s, u, ulen);
	net_input(&nif, f, n, T0);
	CHECK("net/ip/ttl-1-accepted", got_pattern(pcb, 10));
	s.ttl = 0;
	s.dst = NET_IP(10, 0, 0, 255);
	udp_payload(u, 10, s.dst);
	n = frame_ip(f, &s, u, 18);
	net_input(&nif, f, n, T0);
	CHECK("net/ip/subnet-broadcast", got_pattern(pcb, 10));
	s.dst = NET_IP_BROADCAST;
	udp_payload(u, 10, s.dst);
	n = frame_ip(f, &s, u, 18);
	put_eth(f, MAC_BCAST, MAC_PEER, 0x0800);
	net_input(&nif, f, n, T0);
	CHECK("net/ip/limited-broadcast", got_pattern(pcb, 10));
	CHECK("net/ip/nothing-sent", dev.n == 0);
}

/* Feed fragment [off, off + len) of datagram u (IP payload) with id. */
static void frag(const uint8_t *u, size_t ulen, uint16_t id, size_t off, size_t len, bool more,
		 uint64_t now)
{
	static uint8_t f[70000];
	struct ipspec s = { .src = IP_PEER,
			    .dst = IP_US,
			    .proto = 17,
			    .id = id,
			    .frag = (uint16_t)(off / 8 | (more ? 0x2000 : 0)) };
	size_t n;

	(void)ulen;
	n = frame_ip(f, &s, u + off, len);
	net_input(&nif, f, n, now);
}

static void reassembly(struct udp_pcb *pcb)
{
	static uint8_t u[70000];
	size_t ulen = udp_payload(u, 3000, IP_US); /* 3008 bytes: 0-1480, 1480-2960, 2960- */
	uint64_t ok0 = counter(&nif, "ip_reasm_ok");

	frag(u, ulen, 1, 0, 1480, true, T0);
	frag(u, ulen, 1, 1480, 1480, true, T0);
	CHECK("net/reasm/incomplete-not-delivered", udp_pending(pcb) == 0 && nif.reasm.mem > 0);
	frag(u, ulen, 1, 2960, 48, false, T0);
	CHECK("net/reasm/in-order", got_pattern(pcb, 3000));
	CHECK_U64("net/reasm/ok-counted", counter(&nif, "ip_reasm_ok"), ok0 + 1);
	CHECK_U64("net/reasm/memory-returned", nif.reasm.mem, 0);

	frag(u, ulen, 2, 2960, 48, false, T0);
	frag(u, ulen, 2, 1480, 1480, true, T0);
	frag(u, ulen, 2, 0, 1480, true, T0);
	CHECK("net/reasm/reverse-order", got_pattern(pcb, 3000));

	frag(u, ulen, 3, 1480, 1480, true, T0);
	frag(u, ulen, 3, 0, 1480, true, T0);
	frag(u, ulen, 3, 0, 1480, true, T0);
	CHECK_U64("net/reasm/exact-duplicate-dropped-alone", counter(&nif, "ip_frag_dup"), 1);
	frag(u, ulen, 3, 2960, 48, false, T0);
	CHECK("net/reasm/delivered-once-despite-duplicate",
	      got_pattern(pcb, 3000) && udp_pending(pcb) == 0);

	/* Overlaps drop the whole datagram, and its later fragments. */
	frag(u, ulen, 4, 0, 1480, true, T0);
	frag(u, ulen, 4, 1472, 1488, true, T0);
	CHECK_U64("net/reasm/overlap-drops-datagram", counter(&nif, "ip_frag_overlap"), 1);
	frag(u, ulen, 4, 2960, 48, false, T0);
	frag(u, ulen, 4, 1480, 1480, true, T0);
	CHECK_U64("net/reasm/later-fragments-of-dropped", counter(&nif, "ip_frag_dead"), 2);
	CHECK("net/reasm/overlap-never-delivered", udp_pending(pcb) == 0);
	uint8_t v[3008];
	memcpy(v, u, sizeof(v));
	v[100] ^= 0xff; /* same offset and length, other bytes: an overlap */
	frag(u, ulen, 5, 0, 1480, true, T0);
	frag(v, ulen, 5, 0, 1480, true, T0);
	CHECK_U64("net/reasm/same-place-other-bytes-is-overlap", counter(&nif, "ip_frag_overlap"),
		  2);
	frag(u, ulen, 6, 1480, 1480, true, T0);
	frag(u, ulen, 6, 1480, 1520, false, T0); /* ends at 3000, but 2960.. */
	frag(u, ulen, 7, 2960, 48, false, T0);
	frag(u, ulen, 7, 2960, 40, false, T0); /* a second, different end */
	CHECK_U64("net/reasm/contradicting-last-fragment", counter(&nif, "ip_frag_overlap"), 4);
	frag(u, ulen, 8, 2960, 48, false, T0);
	frag(u, ulen, 8, 2952, 16, true, T0); /* a middle one past the end */
	CHECK_U64("net/reasm/fragment-past-end", counter(&nif, "ip_frag_overlap"), 5);

	/* Bad fragments. */
	uint64_t bad = counter(&nif, "ip_frag_bad");
	frag(u, ulen, 9, 0, 1001, true, T0);
	CHECK_U64("net/reasm/middle-not-8-aligned", counter(&nif, "ip_frag_bad"), bad + 1);
	static uint8_t big[70000];
	frag(big, 0, 9, 65528, 16, false, T0);
	CHECK_U64("net/reasm/ping-of-death", counter(&nif, "ip_frag_bad"), bad + 2);
	frag(u, ulen, 9, 0, 0, true, T0);
	CHECK_U64("net/reasm/empty-middle-fragment", counter(&nif, "ip_frag_bad"), bad + 3);

	/* Let the dead slots time out; a reused id then works again. */
	net_tick(&nif, T0 + 30 * SEC);
	frag(u, ulen, 4, 0, 1480, true, T0 + 31 * SEC);
	frag(u, ulen, 4, 1480, 1480, true, T0 + 31 * SEC);
	frag(u, ulen, 4, 2960, 48, false, T0 + 31 * SEC);
	CHECK("net/reasm/id-reusable-after-timeout", got_pattern(pcb, 3000));
	nif_down(&nif, &dev);
	CHECK_U64("net/reasm/all-freed", net_host_bytes, 0);
}

static void timeouts(struct udp_pcb **pcbp)
{
	static uint8_t u[4000];
	size_t ulen;
	uint64_t next;

	nif_up(&nif, &dev, 0);
	*pcbp = udp_open(&nif);
	udp_bind(*pcbp, 0, 7);
	ulen = udp_payload(u, 3000, IP_US);
	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, T0);
	frag(u, ulen, 20, 0, 1480, true, T0);
	frag(u, ulen, 20, 2960, 48, false, T0 + 10 * SEC);
	next = net_tick(&nif, T0 + 10 * SEC);
	CHECK_U64("net/reasm/deadline-30s-from-first-fragment", next, T0 + 30 * SEC);
	net_tick(&nif, T0 + 30 * SEC - 1);
	CHECK("net/reasm/alive-just-before", nif.reasm.mem > 0 && dev.n == 0);
	net_tick(&nif, T0 + 30 * SEC);
	CHECK_U64("net/reasm/timeout-counted", counter(&nif, "ip_reasm_timeout"), 1);
	CHECK_U64("net/reasm/timeout-frees", nif.reasm.mem, 0);
	/* Time exceeded, code 1, quoting the first fragment's header and 8
	 * bytes (the UDP header). */
	const uint8_t *e = dev.n == 1 ? dev.frame[0] + 34 : NULL;
	CHECK("net/reasm/time-exceeded-sent",
	      e && e[0] == 11 && e[1] == 1 && dev.len[0] == 34 + 8 + 20 + 8 &&
		      rd16(e + 8 + 4) == 20 && !memcmp(e + 28, u, 8) &&
		      ref_csum(e, dev.len[0] - 34, 0) == 0);
	dev_clear(&dev);
	/* Without the first fragment: no error. */
	frag(u, ulen, 21, 1480, 1480, true, T0 + 40 * SEC);
	net_tick(&nif, T0 + 70 * SEC);
	CHECK("net/reasm/no-error-without-first-fragment",
	      counter(&nif, "ip_reasm_timeout") == 2 && dev.n == 0);
	nif_down(&nif, &dev);

	/* The timeout is the netif's to choose. */
	struct net_config cfg = { .addr = IP_US,
				  .prefix_len = 24,
				  .reasm_timeout_ns = 5 * SEC,
				  .transmit = dev_transmit,
				  .dev = &dev };
	memcpy(cfg.mac, MAC_US, 6);
	net_init(&nif, &cfg, T0);
	frag(u, ulen, 22, 1480, 1480, true, T0);
	CHECK_U64("net/reasm/configured-timeout", net_tick(&nif, T0), T0 + 5 * SEC);
	nif_down(&nif, &dev);
}

static void caps(void)
{
	static uint8_t u[70000];
	size_t ulen = udp_payload(u, 9000, IP_US);
	size_t peak;

	nif_up(&nif, &dev, 0);
	/* More datagrams than slots: the oldest go. */
	for (uint16_t id = 0; id < NET_REASM_SLOTS + 4; id++)
		frag(u, ulen, id, 0, 80, true, T0 + id);
	CHECK_U64("net/reasm/slot-cap-evicts", counter(&nif, "ip_reasm_evicted"), 4);
	nif_down(&nif, &dev);

	/* Jumbo fragments of many datagrams: held memory stays capped. */
	nif_up(&nif, &dev, 0);
	net_host_peak = 0;
	for (uint16_t id = 0; id < 100; id++)
		frag(u, ulen, id, 0, 8000, true, T0 + id);
	CHECK("net/reasm/memory-cap-held", nif.reasm.mem <= NET_REASM_MEM_MAX);
	CHECK("net/reasm/memory-cap-evicts", counter(&nif, "ip_reasm_evicted") > 80);
	peak = net_host_peak;
	CHECK("net/reasm/allocator-agrees", peak <= NET_REASM_MEM_MAX + 1024);
	nif_down(&nif, &dev);

	/* Two datagrams in 8-byte pieces, one piece missing from each: the
	 * pieces' bookkeeping counts, so the second evicts the first. */
	nif_up(&nif, &dev, 0);
	ulen = udp_payload(u, 65000, IP_US);
	for (uint16_t id = 77; id <= 78; id++)
		for (size_t off = 8; off + 8 < ulen; off += 8)
			frag(u, ulen, id, off, 8, true, T0);
	CHECK("net/reasm/tiny-fragments-capped",
	      nif.reasm.mem <= NET_REASM_MEM_MAX && counter(&nif, "ip_reasm_evicted") >= 1);
	nif_down(&nif, &dev);
	CHECK_U64("net/reasm/caps-freed", net_host_bytes, 0);
}

/* Two stacks on one wire: A 10.0.0.1 and B 10.0.0.2, both MTU mtu. */
static struct netif a, b;
static struct dev da, db;

static void pair_up(uint16_t mtu_a, uint16_t mtu_b)
{
	struct net_config cfg = { .addr = IP_PEER,
				  .prefix_len = 24,
				  .mtu = mtu_b,
				  .seed = 99,
				  .transmit = dev_transmit,
				  .dev = &db };

	nif_up(&a, &da, mtu_a);
	memcpy(cfg.mac, MAC_PEER, 6);
	memset(&db, 0, sizeof(db));
	net_init(&b, &cfg, T0);
	wire_pump(&a, &da, &b, &db, T0);
}

static void pair_down(void)
{
	nif_down(&a, &da);
	nif_down(&b, &db);
}

static void output(void)
{
	static uint8_t data[65600], got[65600];
	struct udp_pcb *pa, *pb;
	uint32_t src = 0;
	uint16_t sport = 0;
	size_t full = 0, frames;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ i >> 8);
	pair_up(576, 576);
	pa = udp_open(&a);
	pb = udp_open(&b);
	udp_bind(pb, 0, 9);
	CHECK("net/ipout/sendto-5000-at-mtu-576",
	      udp_sendto(pa, data, 5000, IP_PEER, 9, 0, T0) == 5000);
	CHECK_U64("net/ipout/fragments", counter(&a, "ip_frag_tx"), (5008 + 551) / 552);
	frames = wire_pump(&a, &da, &b, &db, T0);
	CHECK("net/ipout/wire-carried", frames > 10);
	CHECK("net/ipout/no-frame-over-mtu", da.too_long == 0 && db.too_long == 0);
	CHECK("net/ipout/reassembled-by-peer",
	      udp_recvfrom(pb, got, sizeof(got), &src, &sport, &full) == 5000 &&
		      !memcmp(got, data, 5000) && src == IP_US && sport == pa->local_port);
	CHECK("net/ipout/largest-datagram",
	      udp_sendto(pa, data, UDP_MAX_PAYLOAD, IP_PEER, 9, 0, T0) == UDP_MAX_PAYLOAD);
	wire_pump(&a, &da, &b, &db, T0);
	CHECK("net/ipout/largest-datagram-reassembled",
	      udp_recvfrom(pb, got, sizeof(got), NULL, NULL, &full) == UDP_MAX_PAYLOAD &&
		      !memcmp(got, data, UDP_MAX_PAYLOAD));
	CHECK("net/ipout/one-more-byte-refused",
	      udp_sendto(pa, data, UDP_MAX_PAYLOAD + 1, IP_PEER, 9, 0, T0) == -NET_EMSGSIZE);
	/* B answers through its own, larger MTU. */
	udp_bind(pa, 0, 0);
	CHECK("net/ipout/answer", udp_sendto(pb, data, 1400, IP_US, pa->local_port, 0, T0) == 1400);
	wire_pump(&a, &da, &b, &db, T0);
	CHECK("net/ipout/answer-arrives",
	      udp_recvfrom(pa, got, sizeof(got), NULL, NULL, NULL) == 1400 &&
		      !memcmp(got, data, 1400));
	/* DF. */
	CHECK("net/ipout/df-over-mtu-refused",
	      udp_sendto(pa, data, 1000, IP_PEER, 9, UDP_SEND_DF, T0) == -NET_EMSGSIZE &&
		      counter(&a, "ip_tx_df") == 1);
	CHECK("net/ipout/df-under-mtu-sent",
	      udp_sendto(pa, data, 500, IP_PEER, 9, UDP_SEND_DF, T0) == 500 && da.n == 1 &&
		      (rd16(da.frame[0] + 14 + 6) & 0x4000));
	wire_pump(&a, &da, &b, &db, T0);
	CHECK_U64("net/ipout/df-datagram-arrives", udp_pending(pb), 1);
	/* Our own address: delivered without the device, by net_tick. */
	udp_bind(pa, 0, 0);
	CHECK("net/ipout/to-self",
	      udp_sendto(pa, data, 3000, IP_US, pa->local_port, 0, T0) == 3000 && da.n == 0 &&
		      udp_pending(pa) == 0 && net_tick(&a, T0) != T0 &&
		      udp_recvfrom(pa, got, sizeof(got), NULL, NULL, NULL) == 3000);
	CHECK_U64("net/ipout/no-drops-a", drops(&a), counter(&a, "ip_tx_df"));
	CHECK_U64("net/ipout/no-drops-b", drops(&b), 0);
	pair_down();

	/* No gateway: off-link is unreachable. */
	struct net_config cfg = {
		.addr = IP_US, .prefix_len = 24, .transmit = dev_transmit, .dev = &da
	};
	memcpy(cfg.mac, MAC_US, 6);
	net_init(&a, &cfg, T0);
	pa = udp_open(&a);
	CHECK("net/ipout/no-route",
	      udp_sendto(pa, data, 10, IP_FAR, 9, 0, T0) == -NET_ENETUNREACH &&
		      counter(&a, "ip_tx_noroute") == 1);
	cfg.gateway = IP_GW;
	nif_down(&a, &da);
	net_init(&a, &cfg, T0);
	dev_clear(&da); /* the gratuitous ARP */
	pa = udp_open(&a);
	CHECK("net/ipout/multicast-no-route",
	      udp_sendto(pa, data, 10, NET_IP(224, 0, 0, 1), 9, 0, T0) == -NET_ENETUNREACH);
	CHECK("net/ipout/loopback-not-to-device",
	      udp_sendto(pa, data, 10, NET_IP(127, 0, 0, 1), 9, 0, T0) == 10 &&
		      counter(&a, "ip_loop_tx") == 1);
	net_tick(&a, T0); /* nobody on port 9: dropped, no ICMP to 127/8 */
	CHECK("net/ipout/no-route-sends-nothing", da.n == 0);
	nif_down(&a, &da);
	CHECK_U64("net/ipout/all-freed", net_host_bytes, 0);
}

int main(void)
{
	struct udp_pcb *pcb;

	nif_up(&nif, &dev, 0);
	pcb = udp_open(&nif);
	udp_bind(pcb, 0, 7);
	header_checks(pcb);
	reassembly(pcb);
	timeouts(&pcb);
	caps();
	output();
	return 0;
}
