/*
 * icmp.c — echo replies, errors in and out (see icmp.h).
 */
#include "icmp.h"
#include "bytes.h"
#include "checksum.h"
#include "net.h"

#define ERR_COST_NS (NET_NS_PER_SEC / NET_ICMP_ERR_PER_SEC)

void icmp_init(struct netif *nif, uint64_t now)
{
	nif->icmp.credit_ns = NET_ICMP_ERR_BURST * ERR_COST_NS;
	nif->icmp.last = now;
}

static bool rate_ok(struct netif *nif, uint64_t now)
{
	struct icmp_limiter *l = &nif->icmp;

	if (now > l->last) {
		l->credit_ns += now - l->last;
		if (l->credit_ns > NET_ICMP_ERR_BURST * ERR_COST_NS)
			l->credit_ns = NET_ICMP_ERR_BURST * ERR_COST_NS;
	}
	l->last = now;
	if (l->credit_ns < ERR_COST_NS)
		return false;
	l->credit_ns -= ERR_COST_NS;
	return true;
}

/* Messages that are queries, which an error may answer. */
static bool is_query(uint8_t type)
{
	return type == ICMP_ECHO || type == ICMP_ECHOREPLY || (type >= 13 && type <= 18);
}

void icmp_send_error(struct netif *nif, const struct ip_rx *rx, uint8_t type, uint8_t code,
		     uint32_t info, uint64_t now)
{
	size_t quote = NET_MIN(rx->hlen + rx->len, (size_t)(NET_ICMP_ERR_MAX_LEN - 20 - ICMP_HLEN));
	struct pbuf *pb;
	uint8_t *p;

	if (rx->bcast || !ipv4_is_unicast(nif, rx->src) ||
	    (get_be16(rx->hdr + 6) & IP_OFFSET_MASK) != 0)
		return;
	if (rx->proto == IP_PROTO_ICMP && (rx->len < 1 || !is_query(rx->payload[0])))
		return;
	if (!rate_ok(nif, now)) {
		nif->stats.icmp_err_limited++;
		return;
	}
	pb = pbuf_alloc(NET_HEADROOM, ICMP_HLEN + quote);
	if (!pb) {
		nif->stats.nomem++;
		return;
	}
	p = pb->data;
	p[0] = type;
	p[1] = code;
	put_be16(p + 2, 0);
	put_be32(p + 4, info);
	memcpy(p + ICMP_HLEN, rx->hdr, quote); /* header and payload are contiguous */
	put_be16(p + 2, csum_fold(csum_add(0, p, pb->len)));
	nif->stats.icmp_err_tx++;
	ipv4_output(nif, pb, ipv4_reply_source(nif, rx), rx->src, IP_PROTO_ICMP, 0, now);
}

static void echo_reply(struct netif *nif, const struct ip_rx *rx, uint64_t now)
{
	struct pbuf *pb = pbuf_alloc(NET_HEADROOM, rx->len);
	uint16_t csum;

	if (!pb) {
		nif->stats.nomem++;
		return;
	}
	memcpy(pb->data, rx->payload, rx->len);
	/* Only the type changes (8 -> 0): update the checksum for that
	 * word instead of summing the whole, maybe 64 KiB, message again. */
	pb->data[0] = ICMP_ECHOREPLY;
	csum = csum_update16(get_be16(rx->payload + 2), get_be16(rx->payload), get_be16(pb->data));
	put_be16(pb->data + 2, csum);
	if (csum == 0) { /* 0 or 0xffff? only the whole sum knows (RFC 1624 5) */
		put_be16(pb->data + 2, 0);
		put_be16(pb->data + 2, csum_fold(csum_add(0, pb->data, pb->len)));
	}
	nif->stats.icmp_echo_tx++;
	ipv4_output(nif, pb, ipv4_reply_source(nif, rx), rx->src, IP_PROTO_ICMP, 0, now);
}

/* RFC 1191 7.1: guess a path MTU from the datagram's length when an
 * old router left the next-hop MTU out. */
static uint16_t plateau_below(uint16_t len)
{
	static const uint16_t plateau[] = {
		32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68
	};

	for (size_t i = 0; i < sizeof(plateau) / sizeof(plateau[0]); i++)
		if (plateau[i] < len)
			return plateau[i];
	return 68;
}

static void frag_needed(struct netif *nif, const uint8_t *msg, const uint8_t *quoted, uint64_t now)
{
	uint32_t dst = get_be32(quoted + 16);
	uint16_t mtu = get_be16(msg + 6);

	if (mtu == 0)
		mtu = plateau_below(get_be16(quoted + 2));
	if (mtu < NET_PMTU_MIN)
		mtu = NET_PMTU_MIN;
	if (mtu >= ipv4_path_mtu(nif, dst, now)) {
		nif->stats.icmp_pmtu_ignored++;
		return;
	}
	pmtu_set(nif, dst, mtu, now);
	nif->stats.icmp_pmtu_update++;
}

/* An error about a datagram we sent: it quotes at least the header. */
static void error_input(struct netif *nif, const uint8_t *p, size_t len, uint64_t now)
{
	const uint8_t *quoted = p + ICMP_HLEN;
	size_t qlen = len - ICMP_HLEN;

	nif->stats.icmp_err_rx++;
	if (qlen < IP_HLEN || quoted[0] >> 4 != 4 || (size_t)(quoted[0] & 0xf) * 4 < IP_HLEN ||
	    (size_t)(quoted[0] & 0xf) * 4 > qlen || !nif->addr ||
	    get_be32(quoted + 12) != nif->addr) {
		nif->stats.icmp_err_bad++;
		return;
	}
	if (p[0] == ICMP_UNREACH && p[1] == ICMP_UNREACH_NEEDFRAG)
		frag_needed(nif, p, quoted, now);
	/* Other errors wait for the socket layer (ECONNREFUSED and kin). */
}

void icmp_input(struct netif *nif, const struct ip_rx *rx, uint64_t now)
{
	const uint8_t *p = rx->payload;

	if (rx->len < ICMP_HLEN) {
		nif->stats.icmp_short++;
		return;
	}
	if (csum_fold(csum_add(0, p, rx->len)) != 0) {
		nif->stats.icmp_checksum++;
		return;
	}
	nif->stats.icmp_rx++;
	switch (p[0]) {
	case ICMP_ECHO:
		if (rx->bcast)
			nif->stats.icmp_echo_bcast++;
		else
			echo_reply(nif, rx, now);
		break;
	case ICMP_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMPROB:
		error_input(nif, p, rx->len, now);
		break;
	default:
		nif->stats.icmp_type++;
		break;
	}
}
