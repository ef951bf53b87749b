/*
 * test_net_icmp.c — net/icmp.c and net/pmtu.c: echo replies byte for
 * byte (small, all-zero, and a 20,000-byte ping in fragments), each drop
 * reason, port unreachable and its rate limit, the rules for not sending
 * errors, and "fragmentation needed" lowering the path MTU (next-hop MTU,
 * RFC 1191 plateaus, the floor, bogus quotes, expiry).
 */
#include "check.h"
#include "netutil.h"

static struct netif nif;
static struct dev dev;
static uint8_t f[70000];

static void expect_drop(const char *name, size_t len, const char *counter_name)
{
	uint64_t before = counter(&nif, counter_name), all = drops(&nif);

	net_input(&nif, f, len, T0);
	CHECKD(name, counter(&nif, counter_name) == before + 1 && drops(&nif) == all + 1,
	       "%s %llu -> %llu, all drops %llu -> %llu", counter_name, (unsigned long long)before,
	       (unsigned long long)counter(&nif, counter_name), (unsigned long long)all,
	       (unsigned long long)drops(&nif));
}

/* Our reply to an echo request with id, seq, data: built here. */
static size_t want_reply(uint8_t *w, uint16_t ipid, uint16_t id, uint16_t seq, const void *data,
			 size_t len)
{
	uint8_t icmp[2000];
	struct ipspec s = { .src = IP_US, .dst = IP_PEER, .proto = 1, .id = ipid };
	size_t n = put_eth(w, MAC_PEER, MAC_US, 0x0800);

	return n + put_ip(w + n, &s, icmp, put_echo(icmp, 0, id, seq, data, len));
}

static void echo(void)
{
	static const char data[] = "abcdefghijklmnopqrstuvwabcdefghi"; /* as Windows' ping */
	uint8_t icmp[2000], w[2000];
	struct ipspec s = { .src = IP_PEER, .dst = IP_US, .proto = 1, .id = 0x1c46 };
	size_t n, wn;
	uint16_t ipid;

	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, T0);
	n = frame_ip(f, &s, icmp, put_echo(icmp, 8, 0x0001, 0x0007, data, 32));
	net_input(&nif, f, n, T0);
	if (!CHECK("net/icmp/echo-answered", dev.n == 1))
		return;
	ipid = rd16(dev.frame[0] + 14 + 4);
	wn = want_reply(w, ipid, 0x0001, 0x0007, data, 32);
	CHECK("net/icmp/echo-reply-bytes", dev.len[0] == wn && !memcmp(dev.frame[0], w, wn));
	CHECK("net/icmp/echo-reply-checksums",
	      ref_csum(dev.frame[0] + 14, 20, 0) == 0 && ref_csum(dev.frame[0] + 34, 40, 0) == 0);
	dev_clear(&dev);

	/* All zero: the reply's checksum must be 0xffff, not 0. */
	n = frame_ip(f, &s, icmp, put_echo(icmp, 8, 0, 0, "", 0));
	net_input(&nif, f, n, T0);
	CHECK("net/icmp/all-zero-echo-checksum", dev.n == 1 && dev.len[0] == 42 &&
							 rd16(dev.frame[0] + 36) == 0xffff &&
							 ref_csum(dev.frame[0] + 34, 8, 0) == 0);
	dev_clear(&dev);

	/* To a broadcast address: ignored. */
	s.dst = NET_IP(10, 0, 0, 255);
	n = frame_ip(f, &s, icmp, put_echo(icmp, 8, 1, 1, data, 32));
	expect_drop("net/icmp/broadcast-echo-ignored", n, "icmp_echo_bcast");
	CHECK("net/icmp/broadcast-echo-not-answered", dev.n == 0);
	s.dst = IP_US;
}

static void big_ping(void)
{
	static uint8_t icmp[20100], got[20100], data[20000];
	uint8_t hdr[20];
	struct ipspec s = { .src = IP_PEER, .dst = IP_US, .proto = 1, .id = 0x4242 };
	size_t len, n, glen;
	int frames_ok = 1;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i % 251);
	len = put_echo(icmp, 8, 0x99, 3, data, sizeof(data));
	/* In fragments of 1480 bytes, as a 1500-MTU sender cuts them. */
	for (size_t off = 0; off < len; off += 1480) {
		size_t k = len - off < 1480 ? len - off : 1480;

		s.frag = (uint16_t)(off / 8 | (off + k < len ? 0x2000 : 0));
		n = frame_ip(f, &s, icmp + off, k);
		net_input(&nif, f, n, T0);
	}
	CHECK_U64("net/icmp/big-ping-reassembled", counter(&nif, "ip_reasm_ok"), 1);
	CHECK_U64("net/icmp/big-ping-reply-fragments", dev.n, (len + 1479) / 1480);
	for (size_t i = 0; i < dev.n; i++)
		if (dev.len[i] > 1514 || ref_csum(dev.frame[i] + 14, 20, 0) != 0)
			frames_ok = 0;
	CHECK("net/icmp/big-ping-fragments-fit-and-verify", frames_ok && dev.too_long == 0);
	glen = collect(&dev, 0, got, sizeof(got), hdr);
	put_echo(icmp, 0, 0x99, 3, data, sizeof(data));
	CHECK("net/icmp/big-ping-reply-bytes",
	      glen == len && !memcmp(got, icmp, len) && rd32(hdr + 16) == IP_PEER);
	dev_clear(&dev);
}

static void drops_in(void)
{
	uint8_t icmp[64];
	struct ipspec s = { .src = IP_PEER, .dst = IP_US, .proto = 1 };
	size_t n;

	n = frame_ip(f, &s, icmp, 7);
	expect_drop("net/icmp/short-7", n, "icmp_short");
	n = frame_ip(f, &s, icmp, put_echo(icmp, 8, 1, 2, "xy", 2));
	f[n - 1] ^= 0x10;
	expect_drop("net/icmp/checksum", n, "icmp_checksum");
	n = frame_ip(f, &s, icmp, put_echo(icmp, 13, 1, 2, "0123456789ab", 12));
	expect_drop("net/icmp/timestamp-not-served", n, "icmp_type");
	n = frame_ip(f, &s, icmp, put_echo(icmp, 0, 1, 2, "", 0));
	expect_drop("net/icmp/unasked-echo-reply", n, "icmp_type");
	n = frame_ip(f, &s, icmp, put_echo(icmp, 5, 1, 2, "", 0));
	expect_drop("net/icmp/redirect-ignored", n, "icmp_type");
	CHECK("net/icmp/drops-answer-nothing", dev.n == 0);
}

static size_t udp_frame(uint32_t dst, uint16_t dport, const char *msg)
{
	uint8_t u[200];
	struct ipspec s = { .src = IP_PEER, .dst = dst, .proto = 17, .id = 0x77 };

	return frame_ip(f, &s, u, put_udp(u, IP_PEER, dst, 4444, dport, msg, strlen(msg)));
}

static void port_unreachable(void)
{
	size_t n = udp_frame(IP_US, 999, "knock knock");
	uint8_t quote[100];
	const uint8_t *e;

	memcpy(quote, f + 14, n - 14);
	expect_drop("net/icmp/closed-port", n, "udp_no_port");
	if (!CHECK("net/icmp/port-unreachable-sent", dev.n == 1))
		return;
	e = dev.frame[0] + 34;
	CHECK("net/icmp/port-unreachable-bytes",
	      dev.len[0] == 34 + 8 + (n - 14) && e[0] == 3 && e[1] == 3 && rd32(e + 4) == 0 &&
		      !memcmp(e + 8, quote, n - 14) && ref_csum(e, dev.len[0] - 34, 0) == 0 &&
		      rd32(dev.frame[0] + 30) == IP_PEER && dev.frame[0][14 + 9] == 1);
	dev_clear(&dev);
	n = udp_frame(NET_IP(10, 0, 0, 255), 999, "anyone?");
	expect_drop("net/icmp/closed-port-broadcast", n, "udp_no_port");
	CHECK("net/icmp/no-error-to-broadcast", dev.n == 0);

	/* The rate limit: a burst of 10, then 100 a second. */
	nif_down(&nif, &dev);
	nif_up(&nif, &dev, 0);
	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, T0);
	n = udp_frame(IP_US, 999, "x");
	for (int i = 0; i < 30; i++)
		net_input(&nif, f, n, T0);
	CHECK("net/icmp/rate-limit-burst",
	      dev.n == NET_ICMP_ERR_BURST &&
		      counter(&nif, "icmp_err_limited") == 30 - NET_ICMP_ERR_BURST);
	dev_clear(&dev);
	for (int i = 0; i < 30; i++)
		net_input(&nif, f, n, T0 + 50 * MS);
	CHECK_U64("net/icmp/rate-limit-refill", dev.n, 5);
	dev_clear(&dev);
	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, T0 + 100 * SEC);
	n = udp_frame(IP_US, 999, "x");
	for (int i = 0; i < 30; i++)
		net_input(&nif, f, n, T0 + 100 * SEC);
	CHECK_U64("net/icmp/rate-limit-burst-capped", dev.n, NET_ICMP_ERR_BURST);
	dev_clear(&dev);
}

/* "Fragmentation needed" from the gateway about a datagram of ours to
 * dst, of total length qlen, with next-hop MTU mtu. */
static size_t frag_needed_cut(uint32_t src_of_quote, uint32_t dst, uint16_t qlen, uint16_t mtu,
			      size_t quoted)
{
	uint8_t icmp[100], q[28];
	struct ipspec s = { .src = IP_GW, .dst = IP_US, .proto = 1 };
	struct ipspec o = { .src = src_of_quote, .dst = dst, .proto = 17, .frag = 0x4000 };
	size_t n = put_eth(f, MAC_US, MAC_GW, 0x0800);

	put_ip(q, &o, "12345678", 8);
	be16(q + 2, qlen);
	icmp[0] = 3;
	icmp[1] = 4;
	be16(icmp + 2, 0);
	be16(icmp + 4, 0);
	be16(icmp + 6, mtu);
	memcpy(icmp + 8, q, quoted);
	be16(icmp + 2, ref_csum(icmp, 8 + quoted, 0));
	return n + put_ip(f + n, &s, icmp, 8 + quoted);
}

static size_t frag_needed(uint32_t src_of_quote, uint32_t dst, uint16_t qlen, uint16_t mtu)
{
	return frag_needed_cut(src_of_quote, dst, qlen, mtu, 28);
}

static void pmtu(void)
{
	static uint8_t data[3000];
	struct udp_pcb *pcb = udp_open(&nif);
	size_t n, max = 0;

	learn_peer(&nif, &dev, IP_GW, MAC_GW, T0);
	n = frag_needed(IP_US, IP_FAR, 1500, 1200);
	net_input(&nif, f, n, T0);
	CHECK("net/pmtu/lowered",
	      ipv4_path_mtu(&nif, IP_FAR, T0) == 1200 && counter(&nif, "icmp_pmtu_update") == 1);
	CHECK("net/pmtu/other-destinations-unchanged",
	      ipv4_path_mtu(&nif, NET_IP(192, 0, 2, 8), T0) == 1500);
	udp_sendto(pcb, data, 1400, IP_FAR, 9, 0, T0);
	for (size_t i = 0; i < dev.n; i++)
		max = dev.len[i] > max ? dev.len[i] : max;
	CHECK("net/pmtu/fragments-at-path-mtu", dev.n == 2 && max <= 1200 + 14);
	CHECK("net/pmtu/df-send-over-path-mtu",
	      udp_sendto(pcb, data, 1300, IP_FAR, 9, UDP_SEND_DF, T0) == -NET_EMSGSIZE);
	dev_clear(&dev);

	n = frag_needed(IP_US, IP_FAR, 1500, 1400);
	expect_drop("net/pmtu/never-raised", n, "icmp_pmtu_ignored");
	n = frag_needed(IP_US, NET_IP(192, 0, 2, 9), 1500, 100);
	net_input(&nif, f, n, T0);
	CHECK_U64("net/pmtu/floor-552", ipv4_path_mtu(&nif, NET_IP(192, 0, 2, 9), T0),
		  NET_PMTU_MIN);
	n = frag_needed(IP_US, NET_IP(192, 0, 2, 10), 1500, 0);
	net_input(&nif, f, n, T0);
	CHECK_U64("net/pmtu/rfc1191-plateau", ipv4_path_mtu(&nif, NET_IP(192, 0, 2, 10), T0), 1492);
	n = frag_needed(NET_IP(10, 0, 0, 77), NET_IP(192, 0, 2, 11), 1500, 1000);
	expect_drop("net/pmtu/quote-not-ours", n, "icmp_err_bad");
	CHECK_U64("net/pmtu/not-ours-ignored", ipv4_path_mtu(&nif, NET_IP(192, 0, 2, 11), T0),
		  1500);
	n = frag_needed_cut(IP_US, NET_IP(192, 0, 2, 11), 1500, 1000, 19);
	expect_drop("net/pmtu/short-quote", n, "icmp_err_bad");
	/* Forgotten after 10 minutes. */
	CHECK("net/pmtu/deadline", net_tick(&nif, T0 + SEC) <= T0 + NET_PMTU_TTL_NS);
	net_tick(&nif, T0 + NET_PMTU_TTL_NS);
	CHECK_U64("net/pmtu/expires", ipv4_path_mtu(&nif, IP_FAR, T0 + NET_PMTU_TTL_NS), 1500);
	dev_clear(&dev);
	udp_close(pcb);
}

int main(void)
{
	nif_up(&nif, &dev, 0);
	echo();
	big_ping();
	drops_in();
	port_unreachable();
	pmtu();
	nif_down(&nif, &dev);
	CHECK_U64("net/icmp/all-freed", net_host_bytes, 0);
	return 0;
}
