/*
 * eth.c — Ethernet II input and output (see eth.h).
 */
#include "eth.h"
#include "arp.h"
#include "bytes.h"
#include "ipv4.h"
#include "net.h"

const uint8_t eth_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

int eth_parse(const uint8_t *frame, size_t len, struct eth_hdr *h)
{
	if (len < ETH_HLEN)
		return -1;
	memcpy(h->dst, frame, ETH_ALEN);
	memcpy(h->src, frame + ETH_ALEN, ETH_ALEN);
	h->type = get_be16(frame + 2 * ETH_ALEN);
	return 0;
}

void eth_input(struct netif *nif, const uint8_t *frame, size_t len, uint64_t now)
{
	struct eth_hdr h;

	if (eth_parse(frame, len, &h) < 0) {
		nif->stats.eth_short++;
		return;
	}
	/* Multicast groups are not joined yet: only ours and broadcast. */
	if (memcmp(h.dst, nif->mac, ETH_ALEN) != 0 && memcmp(h.dst, eth_broadcast, ETH_ALEN) != 0) {
		nif->stats.eth_not_us++;
		return;
	}
	frame += ETH_HLEN;
	len -= ETH_HLEN;
	switch (h.type) {
	case ETH_TYPE_IPV4:
		ipv4_input(nif, frame, len, now);
		break;
	case ETH_TYPE_ARP:
		arp_input(nif, frame, len, now);
		break;
	case ETH_TYPE_VLAN:
	case ETH_TYPE_QINQ:
	case ETH_TYPE_QINQ_OLD:
		nif->stats.eth_vlan++;
		break;
	default:
		/* IPv6, LLDP and 802.3 length fields (type < 0x600) alike. */
		nif->stats.eth_type++;
		break;
	}
}

int eth_output(struct netif *nif, struct pbuf *pb, const uint8_t dst[ETH_ALEN], uint16_t type)
{
	uint8_t *h = pbuf_push(pb, ETH_HLEN);
	int ret;

	if (!h) { /* every builder leaves NET_HEADROOM: a bug, but never a crash */
		nif->stats.nomem++;
		pbuf_free(pb);
		return -NET_ENOBUFS;
	}
	memcpy(h, dst, ETH_ALEN);
	memcpy(h + ETH_ALEN, nif->mac, ETH_ALEN);
	put_be16(h + 2 * ETH_ALEN, type);
	ret = nif->transmit(nif, pb->data, pb->len);
	if (ret < 0)
		nif->stats.tx_error++;
	else
		nif->stats.tx_frames++;
	pbuf_free(pb);
	return ret < 0 ? ret : 0;
}
