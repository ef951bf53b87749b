/*
 * ipv4.c — IPv4 input checks, delivery, routing and output with
 * fragmentation (see ipv4.h).
 */
#include "ipv4.h"
#include "bytes.h"
#include "checksum.h"
#include "net.h"

bool ipv4_is_broadcast(const struct netif *nif, uint32_t ip)
{
	uint32_t host = ~nif->netmask;

	if (ip == NET_IP_BROADCAST)
		return true;
	/* A /31 or /32 has no broadcast address (RFC 3021). */
	return nif->addr && host > 1 && (ip & nif->netmask) == (nif->addr & nif->netmask) &&
	       (ip & host) == host;
}

bool ipv4_is_unicast(const struct netif *nif, uint32_t ip)
{
	uint8_t top = (uint8_t)(ip >> 24);

	/* 0/8 is "this network", 127/8 loopback, 224/4 multicast, 240/4
	 * reserved: none is a source or neighbour we talk to. */
	return top != 0 && top != 127 && top < 224 && !ipv4_is_broadcast(nif, ip);
}

bool ipv4_is_local(const struct netif *nif, uint32_t ip)
{
	return ipv4_is_loopback(ip) || (nif->addr && ip == nif->addr);
}

uint32_t ipv4_source(const struct netif *nif, uint32_t dst)
{
	return ipv4_is_loopback(dst) ? IPV4_LOOPBACK : nif->addr;
}

uint32_t ipv4_reply_source(const struct netif *nif, const struct ip_rx *rx)
{
	return rx->bcast ? ipv4_source(nif, rx->src) : rx->dst;
}

void ipv4_deliver(struct netif *nif, const struct ip_rx *rx, uint64_t now)
{
	switch (rx->proto) {
	case IP_PROTO_ICMP:
		icmp_input(nif, rx, now);
		break;
	case IP_PROTO_UDP:
		udp_input(nif, rx, now);
		break;
	case IP_PROTO_TCP:
		tcp_input(nif, rx, now);
		break;
	default:
		nif->stats.ip_proto++;
		icmp_send_error(nif, rx, ICMP_UNREACH, ICMP_UNREACH_PROTO, 0, now);
		break;
	}
}

/* One datagram from the wire or, when local, from the loopback queue:
 * local sources and destinations are then expected. */
/*
 * A datagram that is not a broadcast: is it ours? From the loopback
 * queue, any local address; from the wire, our address only (127/8 from
 * the wire is a martian destination, RFC 1122 3.2.1.3) — and the DHCP
 * client's replies, which may come to the address being offered before
 * the interface has one (RFC 2131 4.1: unicast to yiaddr), whole
 * datagrams only (dhcp_wants decides).
 */
static bool addressed_to_us(struct netif *nif, const struct ip_rx *rx, const uint8_t *p,
			    size_t hlen, size_t total, bool local)
{
	if (local)
		return ipv4_is_local(nif, rx->dst);
	if (nif->addr && rx->dst == nif->addr)
		return true;
	return rx->proto == IP_PROTO_UDP && !(get_be16(p + 6) & (IP_FLAG_MF | IP_OFFSET_MASK)) &&
	       dhcp_wants(nif, p + hlen, total - hlen);
}

static void receive(struct netif *nif, const uint8_t *p, size_t len, uint64_t now, bool local)
{
	size_t hlen, total;
	uint16_t frag;
	struct ip_rx rx;

	if (len < IP_HLEN) {
		nif->stats.ip_short++;
		return;
	}
	if (p[0] >> 4 != 4) {
		nif->stats.ip_version++;
		return;
	}
	hlen = (size_t)(p[0] & 0xf) * 4;
	total = get_be16(p + 2);
	if (total > len) {
		nif->stats.ip_short++;
		return;
	}
	if (hlen < IP_HLEN || hlen > total) {
		nif->stats.ip_hlen++;
		return;
	}
	if (csum_fold(csum_add(0, p, hlen)) != 0) {
		nif->stats.ip_checksum++;
		return;
	}
	nif->stats.ip_rx++;
	rx.src = get_be32(p + 12);
	rx.dst = get_be32(p + 16);
	rx.proto = p[9];
	if (!local && (!ipv4_is_unicast(nif, rx.src) || rx.src == nif->addr)) {
		nif->stats.ip_martian_src++;
		return;
	}
	rx.bcast = ipv4_is_broadcast(nif, rx.dst);
	if (!rx.bcast && !addressed_to_us(nif, &rx, p, hlen, total, local)) {
		nif->stats.ip_not_us++; /* multicast too: no groups joined */
		return;
	}
	/* Options (hlen > 20) are skipped: a host need not act on any. The
	 * reserved flag is ignored, as Linux does. */
	rx.hdr = p;
	rx.hlen = hlen;
	rx.payload = p + hlen;
	rx.len = total - hlen; /* bytes past total are the link's padding */
	frag = get_be16(p + 6);
	if (frag & (IP_FLAG_MF | IP_OFFSET_MASK)) {
		ip_reasm_input(nif, &rx, frag, now);
		return;
	}
	ipv4_deliver(nif, &rx, now);
}

/* Multicast and 0/8 have no route until the stack serves them; the
 * gateway is not where they go. No address: nothing is routed. */
int ipv4_route(const struct netif *nif, uint32_t dst, uint32_t *nexthop)
{
	if (ipv4_is_local(nif, dst) || ipv4_is_broadcast(nif, dst)) {
		*nexthop = dst;
		return 0;
	}
	if (!nif->addr || !ipv4_is_unicast(nif, dst))
		return -NET_ENETUNREACH;
	if (((dst ^ nif->addr) & nif->netmask) == 0)
		*nexthop = dst;
	else if (nif->gateway)
		*nexthop = nif->gateway;
	else
		return -NET_ENETUNREACH;
	return 0;
}

void ipv4_input(struct netif *nif, const uint8_t *p, size_t len, uint64_t now)
{
	receive(nif, p, len, now, false);
}

uint16_t ipv4_path_mtu(struct netif *nif, uint32_t dst, uint64_t now)
{
	uint16_t pmtu = pmtu_get(nif, dst, now);

	return pmtu && pmtu < nif->mtu ? pmtu : nif->mtu;
}

static void put_header(uint8_t *h, size_t total, uint16_t id, uint16_t frag, uint8_t proto,
		       uint32_t src, uint32_t dst)
{
	h[0] = 0x45;
	h[1] = 0;
	put_be16(h + 2, (uint16_t)total);
	put_be16(h + 4, id);
	put_be16(h + 6, frag);
	h[8] = NET_IP_TTL;
	h[9] = proto;
	put_be16(h + 10, 0);
	put_be32(h + 12, src);
	put_be32(h + 16, dst);
	put_be16(h + 10, csum_fold(csum_add(0, h, IP_HLEN)));
}

/* Send the payload of pb in fragments of at most mtu bytes each. */
static int fragment(struct netif *nif, struct pbuf *pb, uint32_t src, uint32_t dst,
		    uint32_t nexthop, uint8_t proto, uint16_t mtu, uint16_t id, uint64_t now)
{
	size_t step = (size_t)(mtu - IP_HLEN) & ~(size_t)7;
	int ret = 0;

	for (size_t off = 0; off < pb->len && ret == 0; off += step) {
		size_t n = NET_MIN(step, pb->len - off);
		struct pbuf *f = pbuf_alloc(NET_HEADROOM, n);
		uint16_t frag = (uint16_t)(off / 8);
		uint8_t *h;

		if (!f) {
			nif->stats.nomem++;
			ret = -NET_ENOBUFS;
			break;
		}
		memcpy(f->data, pb->data + off, n);
		if (off + n < pb->len)
			frag |= IP_FLAG_MF;
		h = pbuf_push(f, IP_HLEN);
		put_header(h, IP_HLEN + n, id, frag, proto, src, dst);
		nif->stats.ip_frag_tx++;
		ret = arp_output(nif, f, nexthop, now);
	}
	pbuf_free(pb);
	return ret;
}

/* Queue a whole datagram for local delivery. The queue's cap keeps a
 * program that sends to itself and never waits from holding unbounded
 * memory; TCP resends what the cap drops. */
static int loop_output(struct netif *nif, struct pbuf *pb)
{
	if (nif->loop_bytes + pb->len > NET_LOOP_QUEUE_BYTES) {
		nif->stats.ip_loop_full++;
		pbuf_free(pb);
		return -NET_ENOBUFS;
	}
	pb->next = NULL;
	if (nif->loop_tail)
		nif->loop_tail->next = pb;
	else
		nif->loop_head = pb;
	nif->loop_tail = pb;
	nif->loop_bytes += pb->len;
	nif->stats.ip_loop_tx++;
	return 0;
}

bool ipv4_loop_run(struct netif *nif, unsigned budget, uint64_t now)
{
	while (nif->loop_head && budget--) {
		struct pbuf *pb = nif->loop_head;

		nif->loop_head = pb->next;
		if (!nif->loop_head)
			nif->loop_tail = NULL;
		nif->loop_bytes -= pb->len;
		receive(nif, pb->data, pb->len, now, true);
		pbuf_free(pb);
	}
	return nif->loop_head != NULL;
}

void ipv4_loop_flush(struct netif *nif)
{
	while (nif->loop_head) {
		struct pbuf *pb = nif->loop_head;

		nif->loop_head = pb->next;
		pbuf_free(pb);
	}
	nif->loop_tail = NULL;
	nif->loop_bytes = 0;
}

int ipv4_output(struct netif *nif, struct pbuf *pb, uint32_t src, uint32_t dst, uint8_t proto,
		unsigned flags, uint64_t now)
{
	size_t total = IP_HLEN + pb->len;
	uint32_t nexthop;
	uint16_t mtu, id;
	uint8_t *h;

	if (total > IP_MAX_LEN) {
		pbuf_free(pb);
		return -NET_EMSGSIZE;
	}
	id = nif->ip_id++;
	if (ipv4_is_local(nif, dst)) {
		/* To ourselves: no device, no MTU; delivered by net_tick. */
		h = pbuf_push(pb, IP_HLEN);
		if (!h) {
			nif->stats.nomem++;
			pbuf_free(pb);
			return -NET_ENOBUFS;
		}
		put_header(h, total, id, 0, proto, src, dst);
		nif->stats.ip_tx++;
		return loop_output(nif, pb);
	}
	if (ipv4_route(nif, dst, &nexthop) < 0) {
		nif->stats.ip_tx_noroute++;
		pbuf_free(pb);
		return -NET_ENETUNREACH;
	}
	mtu = ipv4_path_mtu(nif, dst, now);
	if (total > mtu && (flags & IPV4_DF)) {
		nif->stats.ip_tx_df++;
		pbuf_free(pb);
		return -NET_EMSGSIZE;
	}
	nif->stats.ip_tx++;
	if (total > mtu)
		return fragment(nif, pb, src, dst, nexthop, proto, mtu, id, now);
	h = pbuf_push(pb, IP_HLEN);
	if (!h) {
		nif->stats.nomem++;
		pbuf_free(pb);
		return -NET_ENOBUFS;
	}
	put_header(h, total, id, flags & IPV4_DF ? IP_FLAG_DF : 0, proto, src, dst);
	return arp_output(nif, pb, nexthop, now);
}
