/*
 * ipv4.h — the Internet Protocol, version 4, for a host (RFC 791, RFC 1122).
 *
 * Input checks a datagram's header (version, header length, total length,
 * checksum), skips options, trims the link's padding, drops what is not
 * addressed to us or comes from an impossible source, hands fragments to
 * ip_reasm.c and whole datagrams to ICMP or UDP. A host does not forward,
 * so TTL is not checked on input (RFC 1122 3.2.1.7: a host must not drop
 * a datagram for arriving with a TTL under 2).
 *
 * Output routes (local, on-link, else the gateway; multicast has no
 * route), sends datagrams up to the path MTU whole and fragments larger
 * ones, unless the sender set DF, in which case it returns -EMSGSIZE.
 *
 * Local addresses are 127.0.0.0/8 (loopback, with or without a device)
 * and the interface's own address. A datagram to one never touches the
 * device: it joins the loopback queue, whole, and net_tick() delivers it
 * (ipv4_loop_run). Delivery is deferred, as Linux's loopback defers to
 * its softirq, so a transport call never re-enters the stack: a TCP
 * segment sent from inside tcp_output() reaches its peer only after
 * that call returned.
 */
#ifndef PITH_NET_IPV4_H
#define PITH_NET_IPV4_H

#include "pbuf.h"

#define IP_HLEN		 20 /* without options */
#define IP_HLEN_MAX	 60
#define IP_MAX_LEN	 65535
#define IP_PROTO_ICMP	 1
#define IP_PROTO_TCP	 6
#define IP_PROTO_UDP	 17
#define IP_FLAG_RESERVED 0x8000
#define IP_FLAG_DF	 0x4000
#define IP_FLAG_MF	 0x2000
#define IP_OFFSET_MASK	 0x1fff

#define IPV4_LOOPBACK 0x7f000001u /* 127.0.0.1, host byte order */

/* ipv4_output flags */
#define IPV4_DF 1u

struct netif;

/* A datagram for us, whole (reassembled if it came in fragments). The
 * header and the payload are contiguous: payload == hdr + hlen. */
struct ip_rx {
	uint32_t src, dst;
	uint8_t proto;
	bool bcast; /* sent to a broadcast address: never answer with an error */
	const uint8_t *hdr;
	size_t hlen;
	const uint8_t *payload;
	size_t len;
};

void ipv4_input(struct netif *nif, const uint8_t *p, size_t len, uint64_t now);
/* Deliver what the loopback queue holds, at most budget datagrams;
 * returns true when some are left (net_tick then says "now"). */
bool ipv4_loop_run(struct netif *nif, unsigned budget, uint64_t now);
void ipv4_loop_flush(struct netif *nif);
/* A whole datagram to the transport above (ip_reasm.c calls it too). */
void ipv4_deliver(struct netif *nif, const struct ip_rx *rx, uint64_t now);
/* Send pb (the IP payload, with headroom) from src (one of our
 * addresses: ipv4_source() picks one) to dst. Consumes pb. Returns 0 (sent or waiting for ARP) or -errno:
 * -EMSGSIZE (over 65535 bytes, or DF and over the path MTU),
 * -ENETUNREACH (off-link and no gateway), -ENOBUFS. */
int ipv4_output(struct netif *nif, struct pbuf *pb, uint32_t src, uint32_t dst, uint8_t proto,
		unsigned flags, uint64_t now);
/* Where a datagram to dst goes first: itself (local, broadcast or on the
 * link) or the gateway, in *nexthop; -ENETUNREACH when nowhere (no
 * address yet, multicast, 0/8, off-link without a gateway). */
int ipv4_route(const struct netif *nif, uint32_t dst, uint32_t *nexthop);
/* The MTU towards dst: the interface's, or less if ICMP said so. */
uint16_t ipv4_path_mtu(struct netif *nif, uint32_t dst, uint64_t now);
/* 127.0.0.0/8. */
static inline bool ipv4_is_loopback(uint32_t ip)
{
	return ip >> 24 == 127;
}
/* Loopback or the interface's own address: delivered without the device. */
bool ipv4_is_local(const struct netif *nif, uint32_t ip);
/* The source address for datagrams to dst: 127.0.0.1 towards 127/8 (as
 * Linux's "src 127.0.0.1" route), else the interface's (0: none yet). */
uint32_t ipv4_source(const struct netif *nif, uint32_t dst);
/* The source for an answer to rx (ICMP): the address rx was sent to,
 * unless that was a broadcast. */
uint32_t ipv4_reply_source(const struct netif *nif, const struct ip_rx *rx);
/* 255.255.255.255 or our subnet's broadcast address. */
bool ipv4_is_broadcast(const struct netif *nif, uint32_t ip);
/* An address one host may have: not 0, broadcast, multicast, class E
 * or loopback. */
bool ipv4_is_unicast(const struct netif *nif, uint32_t ip);

#endif
