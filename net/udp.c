/*
 * udp.c — UDP input, output and the pcb calls (see udp.h).
 */
#include "udp.h"
#include "bytes.h"
#include "checksum.h"
#include "net.h"

#define EPHEMERAL_RANGE (NET_UDP_EPHEMERAL_HIGH - NET_UDP_EPHEMERAL_LOW + 1)

static size_t dgram_size(size_t len)
{
	return sizeof(struct udp_dgram) + len;
}

void udp_init(struct netif *nif, uint32_t seed)
{
	/* A start that differs per boot; the socket layer will bring a
	 * random pick per bind (RFC 6056). */
	nif->udp.next_port = (uint16_t)(NET_UDP_EPHEMERAL_LOW + seed % EPHEMERAL_RANGE);
}

static struct udp_pcb *lookup(struct netif *nif, const struct ip_rx *rx, uint16_t sport,
			      uint16_t dport)
{
	for (size_t i = 0; i < NET_UDP_PCBS; i++) {
		struct udp_pcb *pcb = &nif->udp.pcb[i];

		if (!pcb->used || !pcb->local_port || pcb->local_port != dport)
			continue;
		/* Bound to our address: unicast only, as on Linux. */
		if (pcb->local_addr && pcb->local_addr != rx->dst)
			continue;
		if (pcb->remote_port && (pcb->remote_addr != rx->src || pcb->remote_port != sport))
			continue;
		return pcb;
	}
	return NULL;
}

void udp_input(struct netif *nif, const struct ip_rx *rx, uint64_t now)
{
	const uint8_t *p = rx->payload;
	uint16_t ulen, sport, dport;
	struct udp_pcb *pcb;
	struct udp_dgram *d;
	size_t n;

	if (rx->len < UDP_HLEN) {
		nif->stats.udp_short++;
		return;
	}
	ulen = get_be16(p + 4);
	if (ulen < UDP_HLEN || ulen > rx->len) {
		nif->stats.udp_short++;
		return;
	}
	/* 0: the sender computed no checksum (allowed over IPv4). */
	if (get_be16(p + 6) != 0 &&
	    csum_fold(csum_add(csum_pseudo(rx->src, rx->dst, IP_PROTO_UDP, ulen), p, ulen)) != 0) {
		nif->stats.udp_checksum++;
		return;
	}
	sport = get_be16(p);
	dport = get_be16(p + 2);
	if (dport == DHCP_CLIENT_PORT && nif->dhcp.state != DHCP_OFF) {
		dhcp_input(nif, rx, p, ulen, now); /* the stack's own client */
		return;
	}
	pcb = lookup(nif, rx, sport, dport);
	if (!pcb) {
		nif->stats.udp_no_port++;
		icmp_send_error(nif, rx, ICMP_UNREACH, ICMP_UNREACH_PORT, 0, now);
		return;
	}
	n = ulen - UDP_HLEN;
	if (pcb->queued >= NET_UDP_RXQ_LEN || pcb->queued_bytes + dgram_size(n) > NET_UDP_RCVBUF) {
		nif->stats.udp_rcvbuf++;
		return;
	}
	d = net_alloc(dgram_size(n));
	if (!d) {
		nif->stats.nomem++;
		return;
	}
	d->next = NULL;
	d->src = rx->src;
	d->sport = sport;
	d->len = (uint16_t)n;
	memcpy(d->data, p + UDP_HLEN, n);
	if (pcb->tail)
		pcb->tail->next = d;
	else
		pcb->head = d;
	pcb->tail = d;
	pcb->queued++;
	pcb->queued_bytes += dgram_size(n);
	pcb->rx_seq++;
	nif->stats.udp_rx++;
}

struct udp_pcb *udp_open(struct netif *nif)
{
	for (size_t i = 0; i < NET_UDP_PCBS; i++) {
		struct udp_pcb *pcb = &nif->udp.pcb[i];

		if (!pcb->used) {
			memset(pcb, 0, sizeof(*pcb));
			pcb->used = true;
			pcb->nif = nif;
			return pcb;
		}
	}
	return NULL;
}

static bool port_in_use(const struct netif *nif, uint16_t port)
{
	for (size_t i = 0; i < NET_UDP_PCBS; i++)
		if (nif->udp.pcb[i].used && nif->udp.pcb[i].local_port == port)
			return true;
	return false;
}

int udp_bind(struct udp_pcb *pcb, uint32_t addr, uint16_t port)
{
	struct netif *nif = pcb->nif;

	if (pcb->local_port)
		return -NET_EINVAL;
	if (addr && !ipv4_is_local(nif, addr))
		return -NET_EADDRNOTAVAIL;
	if (port == 0) {
		for (unsigned i = 0; i < EPHEMERAL_RANGE && !port; i++) {
			uint16_t p = nif->udp.next_port;

			nif->udp.next_port = p == NET_UDP_EPHEMERAL_HIGH ? NET_UDP_EPHEMERAL_LOW
									 : (uint16_t)(p + 1);
			if (!port_in_use(nif, p))
				port = p;
		}
		if (!port)
			return -NET_EADDRINUSE;
	} else if (port_in_use(nif, port)) {
		return -NET_EADDRINUSE;
	}
	pcb->local_addr = addr;
	pcb->local_port = port;
	return 0;
}

int udp_connect(struct udp_pcb *pcb, uint32_t addr, uint16_t port)
{
	uint32_t hop;
	int ret;

	if (!addr && !port) {
		pcb->remote_addr = 0;
		pcb->remote_port = 0;
		return 0;
	}
	if (!addr || !port)
		return -NET_EINVAL;
	/* As Linux's: a destination with no route is refused at once. */
	if (ipv4_route(pcb->nif, addr, &hop) < 0)
		return -NET_ENETUNREACH;
	if (!pcb->local_port && (ret = udp_bind(pcb, 0, 0)) < 0)
		return ret;
	pcb->remote_addr = addr;
	pcb->remote_port = port;
	return 0;
}

int udp_output(struct netif *nif, struct pbuf *pb, uint32_t src, uint16_t sport, uint32_t dst,
	       uint16_t dport, unsigned flags, uint64_t now)
{
	uint16_t csum, ulen = (uint16_t)(UDP_HLEN + pb->len);
	uint8_t *h = pbuf_push(pb, UDP_HLEN);

	if (!h) {
		nif->stats.nomem++;
		pbuf_free(pb);
		return -NET_ENOBUFS;
	}
	put_be16(h, sport);
	put_be16(h + 2, dport);
	put_be16(h + 4, ulen);
	put_be16(h + 6, 0);
	csum = csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_UDP, ulen), h, ulen));
	put_be16(h + 6, csum ? csum : 0xffff); /* 0 would mean "none" */
	nif->stats.udp_tx++;
	return ipv4_output(nif, pb, src, dst, IP_PROTO_UDP, flags & UDP_SEND_DF ? IPV4_DF : 0, now);
}

long udp_sendto(struct udp_pcb *pcb, const void *buf, size_t len, uint32_t dst, uint16_t port,
		unsigned flags, uint64_t now)
{
	struct netif *nif = pcb->nif;
	struct pbuf *pb;
	uint32_t src;
	int ret;

	if (!dst && !port) {
		if (!pcb->remote_port)
			return -NET_EDESTADDRREQ;
		dst = pcb->remote_addr;
		port = pcb->remote_port;
	} else if (!dst || !port) {
		return -NET_EINVAL;
	}
	if (len > UDP_MAX_PAYLOAD)
		return -NET_EMSGSIZE;
	if (!pcb->local_port && (ret = udp_bind(pcb, 0, 0)) < 0)
		return ret;
	src = pcb->local_addr ? pcb->local_addr : ipv4_source(nif, dst);
	pb = pbuf_alloc(NET_HEADROOM + UDP_HLEN, len);
	if (!pb) {
		nif->stats.nomem++;
		return -NET_ENOBUFS;
	}
	memcpy(pb->data, buf, len);
	ret = udp_output(nif, pb, src, pcb->local_port, dst, port, flags, now);
	return ret < 0 ? ret : (long)len;
}

long udp_recvfrom(struct udp_pcb *pcb, void *buf, size_t len, uint32_t *src, uint16_t *port,
		  size_t *full)
{
	struct udp_dgram *d = pcb->head;
	size_t n;

	if (!d)
		return -NET_EAGAIN;
	n = NET_MIN(len, (size_t)d->len);
	memcpy(buf, d->data, n);
	if (src)
		*src = d->src;
	if (port)
		*port = d->sport;
	if (full)
		*full = d->len;
	pcb->head = d->next;
	if (!pcb->head)
		pcb->tail = NULL;
	pcb->queued--;
	pcb->queued_bytes -= dgram_size(d->len);
	net_free(d, dgram_size(d->len));
	return (long)n;
}

unsigned udp_pending(const struct udp_pcb *pcb)
{
	return pcb->queued;
}

void udp_close(struct udp_pcb *pcb)
{
	while (pcb->head) {
		struct udp_dgram *d = pcb->head;

		pcb->head = d->next;
		net_free(d, dgram_size(d->len));
	}
	memset(pcb, 0, sizeof(*pcb));
}

void udp_flush(struct netif *nif)
{
	for (size_t i = 0; i < NET_UDP_PCBS; i++)
		if (nif->udp.pcb[i].used)
			udp_close(&nif->udp.pcb[i]);
}
