/*
 * eth.h — Ethernet II framing.
 *
 * Input takes untagged frames for our MAC address or the broadcast
 * address and hands IPv4 and ARP payloads up; everything else is counted
 * and dropped (VLAN tags included: no VLANs are configured). Output
 * prepends a header to a pbuf. Frames carry no FCS and are not padded to
 * 60 bytes: the device does that if its medium needs it.
 */
#ifndef PITH_NET_ETH_H
#define PITH_NET_ETH_H

#include "pbuf.h"

#define ETH_ALEN	  6
#define ETH_HLEN	  14
#define ETH_TYPE_IPV4	  0x0800
#define ETH_TYPE_ARP	  0x0806
#define ETH_TYPE_VLAN	  0x8100 /* 802.1Q */
#define ETH_TYPE_QINQ	  0x88a8 /* 802.1ad */
#define ETH_TYPE_QINQ_OLD 0x9100

struct netif;

/* A parsed header: addresses as on the wire, type in host order. */
struct eth_hdr {
	uint8_t dst[ETH_ALEN], src[ETH_ALEN];
	uint16_t type;
};

extern const uint8_t eth_broadcast[ETH_ALEN];

/* 0, or -1 when len is too short for a header. */
int eth_parse(const uint8_t *frame, size_t len, struct eth_hdr *h);
static inline bool eth_is_multicast(const uint8_t mac[ETH_ALEN])
{
	return mac[0] & 1; /* the I/G bit; broadcast included */
}
void eth_input(struct netif *nif, const uint8_t *frame, size_t len, uint64_t now);
/* Prepend a header (source: our MAC) and transmit. Consumes pb. */
int eth_output(struct netif *nif, struct pbuf *pb, const uint8_t dst[ETH_ALEN], uint16_t type);

#endif
