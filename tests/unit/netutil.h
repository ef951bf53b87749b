/*
 * netutil.h — helpers for the network stack's unit tests, header only.
 *
 * A fake device that keeps every frame the stack transmits (and checks
 * none is longer than the MTU allows), frame builders that compute their
 * checksums with their own code (ref_csum below, not net/checksum.c), a
 * wire that carries frames between two stacks, and a way to read a
 * counter by name.
 */
#ifndef PITH_TEST_NETUTIL_H
#define PITH_TEST_NETUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/net.h"
#include "../../net/sys_host.h"

#define SEC 1000000000ull
#define MS  1000000ull
#define T0  (1000 * SEC) /* the fake clock starts here, not at 0 */

#define DEV_FRAMES 512

struct dev {
	uint8_t *frame[DEV_FRAMES];
	size_t len[DEV_FRAMES];
	size_t n;
	size_t too_long; /* frames over mtu + 14 */
	int fail;	 /* transmit returns -fail when set */
};

__attribute__((unused)) static int dev_transmit(struct netif *nif, const uint8_t *frame, size_t len)
{
	struct dev *d = nif->dev;

	if (len > (size_t)nif->mtu + ETH_HLEN)
		d->too_long++;
	if (d->fail)
		return -d->fail;
	if (d->n < DEV_FRAMES) {
		d->frame[d->n] = malloc(len);
		memcpy(d->frame[d->n], frame, len);
		d->len[d->n++] = len;
	}
	return 0;
}

__attribute__((unused)) static void dev_clear(struct dev *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->frame[i]);
	d->n = 0;
}

__attribute__((unused)) static const uint8_t MAC_US[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
__attribute__((unused)) static const uint8_t MAC_PEER[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
__attribute__((unused)) static const uint8_t MAC_GW[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xfe };
__attribute__((unused)) static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
#define IP_US	NET_IP(10, 0, 0, 1)
#define IP_PEER NET_IP(10, 0, 0, 2)
#define IP_GW	NET_IP(10, 0, 0, 254)
#define IP_FAR	NET_IP(192, 0, 2, 7)

/* A stack at 10.0.0.1/24 (gateway 10.0.0.254) on device d; its
 * gratuitous ARP is cleared from d. */
__attribute__((unused)) static void nif_up(struct netif *nif, struct dev *d, uint16_t mtu)
{
	struct net_config cfg = { .addr = IP_US,
				  .prefix_len = 24,
				  .gateway = IP_GW,
				  .mtu = mtu,
				  .seed = 1234,
				  .transmit = dev_transmit,
				  .dev = d };

	memcpy(cfg.mac, MAC_US, 6);
	memset(d, 0, sizeof(*d));
	if (net_init(nif, &cfg, T0) != 0) {
		printf("FAIL net_init: refused the test configuration\n");
		exit(1);
	}
	dev_clear(d);
}

__attribute__((unused)) static void nif_down(struct netif *nif, struct dev *d)
{
	net_shutdown(nif);
	dev_clear(d);
}

/* A counter by name (aborts on a typo). */
__attribute__((unused)) static uint64_t counter(const struct netif *nif, const char *name)
{
	for (size_t i = 0; i < net_stat_count(); i++)
		if (!strcmp(net_stat_name(i), name))
			return net_stat_get(&nif->stats, i);
	printf("FAIL counter: no counter %s\n", name);
	exit(1);
}

/* The sum of every drop counter: a test that expects one drop checks
 * that exactly one, the right one, moved. */
__attribute__((unused)) static uint64_t drops(const struct netif *nif)
{
	uint64_t n = 0;

	for (size_t i = 0; i < net_stat_count(); i++)
		if (net_stat_kind(i) == NET_STAT_DROP)
			n += net_stat_get(&nif->stats, i);
	return n;
}

/* ---- builders, with their own checksum code ---------------------------- */

__attribute__((unused)) static uint16_t ref_csum(const uint8_t *p, size_t len, uint64_t sum)
{
	for (size_t i = 0; i < len; i++)
		sum += i % 2 ? p[i] : (uint64_t)p[i] << 8;
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

__attribute__((unused)) static void be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

__attribute__((unused)) static void be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v & 0xffff);
}

__attribute__((unused)) static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

__attribute__((unused)) static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) << 16 | rd16(p + 2);
}

/* Ethernet header at f; returns 14. */
__attribute__((unused)) static size_t put_eth(uint8_t *f, const uint8_t dst[6],
					      const uint8_t src[6], uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	be16(f + 12, type);
	return 14;
}

/* An ARP packet for Ethernet/IPv4 at p; returns 28. */
__attribute__((unused)) static size_t put_arp(uint8_t *p, uint16_t op, const uint8_t sha[6],
					      uint32_t spa, const uint8_t tha[6], uint32_t tpa)
{
	be16(p, 1);
	be16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	be16(p + 6, op);
	memcpy(p + 8, sha, 6);
	be32(p + 14, spa);
	memcpy(p + 18, tha, 6);
	be32(p + 24, tpa);
	return 28;
}

struct ipspec {
	uint32_t src, dst;
	uint8_t proto, ttl;
	uint16_t id, frag; /* flags and offset field */
	uint8_t optlen;	   /* bytes of options (NOPs), a multiple of 4 */
};

/* An IPv4 header (checksum computed) and the payload at p; returns the
 * datagram's length. */
__attribute__((unused)) static size_t put_ip(uint8_t *p, const struct ipspec *s,
					     const void *payload, size_t len)
{
	size_t hlen = 20 + s->optlen;

	p[0] = 0x40 | (uint8_t)(hlen / 4);
	p[1] = 0;
	be16(p + 2, (uint16_t)(hlen + len));
	be16(p + 4, s->id);
	be16(p + 6, s->frag);
	p[8] = s->ttl ? s->ttl : 64;
	p[9] = s->proto;
	be16(p + 10, 0);
	be32(p + 12, s->src);
	be32(p + 16, s->dst);
	memset(p + 20, 1, s->optlen); /* NOP options */
	be16(p + 10, ref_csum(p, hlen, 0));
	memcpy(p + hlen, payload, len);
	return hlen + len;
}

__attribute__((unused)) static uint64_t ref_pseudo(uint32_t src, uint32_t dst, uint8_t proto,
						   size_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}

/* A UDP datagram (header and data) at p, with its checksum; returns its
 * length. */
__attribute__((unused)) static size_t put_udp(uint8_t *p, uint32_t src, uint32_t dst,
					      uint16_t sport, uint16_t dport, const void *data,
					      size_t len)
{
	uint16_t c;

	be16(p, sport);
	be16(p + 2, dport);
	be16(p + 4, (uint16_t)(8 + len));
	be16(p + 6, 0);
	memcpy(p + 8, data, len);
	c = ref_csum(p, 8 + len, ref_pseudo(src, dst, 17, 8 + len));
	be16(p + 6, c ? c : 0xffff);
	return 8 + len;
}

/* An ICMP echo request at p (checksum computed); returns its length. */
__attribute__((unused)) static size_t put_echo(uint8_t *p, uint8_t type, uint16_t id, uint16_t seq,
					       const void *data, size_t len)
{
	p[0] = type;
	p[1] = 0;
	be16(p + 2, 0);
	be16(p + 4, id);
	be16(p + 6, seq);
	memcpy(p + 8, data, len);
	be16(p + 2, ref_csum(p, 8 + len, 0));
	return 8 + len;
}

/* A whole frame from the peer to us: Ethernet + IPv4 + payload. */
__attribute__((unused)) static size_t frame_ip(uint8_t *f, const struct ipspec *s,
					       const void *payload, size_t len)
{
	size_t n = put_eth(f, MAC_US, MAC_PEER, 0x0800);

	return n + put_ip(f + n, s, payload, len);
}

/* The peer's MAC in our cache, as if it had asked for us. */
__attribute__((unused)) static void learn_peer(struct netif *nif, struct dev *d, uint32_t ip,
					       const uint8_t mac[6], uint64_t now)
{
	uint8_t f[64];
	size_t n = put_eth(f, MAC_BCAST, mac, 0x0806);
	static const uint8_t zero[6];

	n += put_arp(f + n, 1, mac, ip, zero, IP_US);
	net_input(nif, f, n, now);
	dev_clear(d); /* our reply */
}

/* ---- a wire between two stacks ----------------------------------------- */

/* Deliver what each side transmitted to the other until both are quiet.
 * Frames are passed after transmit returns, never from inside it: the
 * stack is not reentrant. Returns the frames carried. */
__attribute__((unused)) static size_t wire_pump(struct netif *a, struct dev *da, struct netif *b,
						struct dev *db, uint64_t now)
{
	size_t carried = 0;

	while (da->n || db->n) {
		struct dev qa = *da, qb = *db;

		da->n = 0;
		db->n = 0;
		for (size_t i = 0; i < qa.n; i++) {
			net_input(b, qa.frame[i], qa.len[i], now);
			free(qa.frame[i]);
		}
		for (size_t i = 0; i < qb.n; i++) {
			net_input(a, qb.frame[i], qb.len[i], now);
			free(qb.frame[i]);
		}
		carried += qa.n + qb.n;
	}
	return carried;
}

/* The IPv4 datagram carried by frames [from, dev->n) of d, put back
 * together by offset (the stack's own reassembly is what is under test
 * elsewhere). Returns its payload length, 0 if frames are missing or
 * are not all of one datagram; the first header goes to hdr[20]. */
__attribute__((unused)) static size_t collect(const struct dev *d, size_t from, uint8_t *out,
					      size_t cap, uint8_t hdr[20])
{
	size_t total = 0, have = 0;

	for (size_t i = from; i < d->n; i++) {
		const uint8_t *ip = d->frame[i] + 14;
		size_t hl = (size_t)(ip[0] & 0xf) * 4, len = rd16(ip + 2) - hl;
		size_t off = (size_t)(rd16(ip + 6) & 0x1fff) * 8;

		if (rd16(d->frame[i] + 12) != 0x0800 || off + len > cap)
			return 0;
		if (off == 0)
			memcpy(hdr, ip, 20);
		if (!(rd16(ip + 6) & 0x2000))
			total = off + len;
		memcpy(out + off, ip + hl, len);
		have += len;
	}
	return total && have == total ? total : 0;
}

#endif
