/*
 * test_net_checksum.c — net/checksum.c against known answers (RFC 1071's
 * example, a textbook IPv4 header, a UDP datagram summed by Python), odd
 * lengths, chaining, RFC 1624's incremental update; net/pbuf.c headroom;
 * the counter list in net/stats.c.
 */
#include "check.h"
#include "netutil.h"

#include "../../net/checksum.h"

static void known_answers(void)
{
	static const uint8_t rfc1071[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	/* The header of an IPv4 datagram 192.168.0.1 -> 192.168.0.199,
	 * checksum field 0: its checksum is 0xb861. */
	static const uint8_t iphdr[] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7
	};
	/* UDP 10.0.0.2:40000 -> 10.0.0.1:7, "hello, pith"; checksum from
	 * Python's own sum: 0x199b. */
	static const uint8_t udp[] = { 0x9c, 0x40, 0x00, 0x07, 0x00, 0x13, 0x00, 0x00, 'h', 'e',
				       'l',  'l',  'o',	 ',',  ' ',  'p',  'i',	 't',  'h' };
	uint8_t ip2[sizeof(iphdr)];

	CHECK_U64("net/csum/rfc1071-example", csum_fold(csum_add(0, rfc1071, sizeof(rfc1071))),
		  0x220d);
	CHECK_U64("net/csum/ipv4-header", csum_fold(csum_add(0, iphdr, sizeof(iphdr))), 0xb861);
	memcpy(ip2, iphdr, sizeof(ip2));
	ip2[10] = 0xb8;
	ip2[11] = 0x61;
	CHECK_U64("net/csum/ipv4-header-verifies", csum_fold(csum_add(0, ip2, sizeof(ip2))), 0);
	CHECK_U64(
		"net/csum/udp-pseudo-header",
		csum_fold(csum_add(csum_pseudo(IP_PEER, IP_US, 17, sizeof(udp)), udp, sizeof(udp))),
		0x199b);
	CHECK_U64("net/csum/udp-matches-test-builder",
		  ref_csum(udp, sizeof(udp), ref_pseudo(IP_PEER, IP_US, 17, sizeof(udp))), 0x199b);
	CHECK_U64("net/csum/empty", csum_fold(csum_add(0, "", 0)), 0xffff);
}

static void odd_and_chained(void)
{
	uint8_t buf[70001];
	uint32_t seed = 7;
	int ok_odd = 1, ok_chain = 1;

	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (size_t len = 0; len < 300; len++)
		if (csum_fold(csum_add(0, buf, len)) != ref_csum(buf, len, 0))
			ok_odd = 0;
	CHECK("net/csum/lengths-0-to-299", ok_odd);
	CHECK("net/csum/70001-bytes",
	      csum_fold(csum_add(0, buf, sizeof(buf))) == ref_csum(buf, sizeof(buf), 0));
	/* Chained: even pieces, any last piece. */
	for (size_t cut = 0; cut < 200; cut += 2)
		if (csum_fold(csum_add(csum_add(0, buf, cut), buf + cut, 301 - cut)) !=
		    ref_csum(buf, 301, 0))
			ok_chain = 0;
	CHECK("net/csum/chained-even-pieces", ok_chain);
	/* All 0xff: the sum folds to 0xffff, the checksum to 0. */
	memset(buf, 0xff, 64);
	CHECK_U64("net/csum/all-ones", csum_fold(csum_add(0, buf, 64)), 0);
}

static void incremental(void)
{
	uint8_t msg[40];
	uint32_t seed = 99;
	int ok = 1;

	for (int round = 0; round < 1000; round++) {
		uint16_t c, old, neu;
		size_t w;

		for (size_t i = 0; i < sizeof(msg); i++) {
			seed = seed * 1103515245 + 12345;
			msg[i] = (uint8_t)(seed >> 16);
		}
		be16(msg + 2, 0);
		c = ref_csum(msg, sizeof(msg), 0);
		be16(msg + 2, c);
		w = 2 * (4 + (seed >> 8) % 16);
		old = rd16(msg + w);
		neu = (uint16_t)(seed >> 3);
		be16(msg + w, neu);
		be16(msg + 2, csum_update16(c, old, neu));
		if (ref_csum(msg, sizeof(msg), 0) != 0 && ref_csum(msg, sizeof(msg), 0) != 0xffff)
			ok = 0;
	}
	CHECK("net/csum/incremental-1000-random-updates-verify", ok);
	/* Echo request -> reply of an all-zero message: eqn. 3 says 0x0000,
	 * which only a full sum can tell from 0xffff (icmp.c does that). */
	CHECK_U64("net/csum/incremental-to-zero-is-ambiguous",
		  csum_update16(0xf7ff, 0x0800, 0x0000), 0);
	CHECK_U64("net/csum/incremental-echo", csum_update16(0xf7fe, 0x0800, 0x0000), 0xfffe);
}

static void pbufs(void)
{
	struct pbuf *pb = pbuf_alloc(16, 100);
	uint8_t *h;

	if (!CHECK("net/pbuf/alloc", pb != NULL))
		return;
	CHECK_U64("net/pbuf/headroom", pbuf_headroom(pb), 16);
	h = pbuf_push(pb, 14);
	CHECK("net/pbuf/push", h == pb->data && pb->len == 114 && pbuf_headroom(pb) == 2);
	CHECK("net/pbuf/push-past-headroom-refused", pbuf_push(pb, 3) == NULL && pb->len == 114);
	pbuf_pull(pb, 14);
	CHECK("net/pbuf/pull", pb->len == 100 && pbuf_headroom(pb) == 16);
	pbuf_free(pb);
	CHECK_U64("net/pbuf/freed", net_host_bytes, 0);
	CHECK("net/pbuf/size-overflow", pbuf_alloc(SIZE_MAX, 2) == NULL);
	CHECK("net/pbuf/size-overflow-with-header", pbuf_alloc(SIZE_MAX - 20, 2) == NULL);
}

static void counters(void)
{
	size_t n = net_stat_count(), drop = 0;
	int named = 1;

	for (size_t i = 0; i < n; i++) {
		if (!net_stat_name(i) || !*net_stat_name(i) || !net_stat_what(i))
			named = 0;
		drop += net_stat_kind(i) == NET_STAT_DROP;
	}
	CHECK("net/stats/every-counter-named", named);
	CHECK("net/stats/list-matches-struct", n * sizeof(uint64_t) == sizeof(struct net_stats));
	CHECK("net/stats/drop-reasons", drop >= 40);
	CHECK("net/stats/out-of-range", net_stat_name(n) == NULL);
}

int main(void)
{
	known_answers();
	odd_and_chained();
	incremental();
	pbufs();
	counters();
	return 0;
}
