/*
 * tcp_cookie.c — SYN cookies (RFC 4987 3.6): when a listener's SYN queue
 * is full, the SYN-ACK's sequence number carries the half-open state,
 * and the ACK that returns it + 1 makes the connection without an entry.
 *
 * The cookie, 32 bits:
 *
 *   31..27  t mod 32, t = now / NET_TCP_COOKIE_PERIOD_NS (64 s)
 *   26..24  index of the peer's MSS in a table (the largest not above it)
 *   23..0   SipHash-2-4 (the ISN key, its own domain) of the 4-tuple, the
 *           peer's ISN, t and the MSS index
 *
 * A cookie is accepted while t is the current period or the one before
 * (64 to 128 s), as Linux's age of two minutes. A forger who cannot see
 * our SYN-ACKs must guess 24 keyed bits: each try succeeds with odds of
 * 2 in 2^24 (two periods). Unlike Linux, pith keeps nothing of window
 * scaling, SACK or timestamps in a cookie (Linux hides them in the
 * timestamp): a connection made from a cookie has none of them, a window
 * of at most 64 KiB, and an MSS rounded down to the table.
 */
#include "net.h"
#include "tcp_int.h"

/* Common MSS values: Ethernet with and without options and tunnels, the
 * IPv4 minimum, jumbo frames. Index 0 is the floor we accept. */
static const uint16_t cookie_mss[8] = { NET_TCP_MSS_MIN, 536, 1220, 1300, 1440, 1460, 4312, 8960 };

static uint32_t cookie_hash(const struct netif *nif, const struct tcp_seg *seg, uint32_t irs,
			    uint32_t t, unsigned idx)
{
	uint8_t m[22];
	uint32_t w[4] = { seg->dst, seg->src, irs, t };

	for (int i = 0; i < 4; i++)
		for (int b = 0; b < 4; b++)
			m[4 * i + b] = (uint8_t)(w[i] >> (8 * b));
	m[16] = (uint8_t)seg->dport;
	m[17] = (uint8_t)(seg->dport >> 8);
	m[18] = (uint8_t)seg->sport;
	m[19] = (uint8_t)(seg->sport >> 8);
	m[20] = (uint8_t)idx;
	m[21] = 2; /* domain: 0 is the ISN, 1 the timestamp offset */
	return (uint32_t)tcp_siphash(nif->tcp.key, m, sizeof(m)) & 0xffffffu;
}

static uint32_t cookie_period(uint64_t now)
{
	return (uint32_t)(now / NET_TCP_COOKIE_PERIOD_NS);
}

uint32_t tcp_cookie_make(const struct netif *nif, const struct tcp_seg *seg, uint16_t peer_mss,
			 uint64_t now)
{
	uint32_t t = cookie_period(now);
	unsigned idx = 0;

	while (idx + 1 < 8 && cookie_mss[idx + 1] <= peer_mss)
		idx++;
	return (t & 0x1f) << 27 | (uint32_t)idx << 24 | cookie_hash(nif, seg, seg->seq, t, idx);
}

bool tcp_cookie_check(const struct netif *nif, const struct tcp_seg *seg, uint64_t now,
		      uint16_t *mss)
{
	uint32_t cookie = seg->ack - 1, irs = seg->seq - 1, t = cookie_period(now);
	unsigned idx = (cookie >> 24) & 7;

	for (uint32_t age = 0; age < 2 && age <= t; age++) {
		if (((t - age) & 0x1f) != cookie >> 27)
			continue;
		if (cookie_hash(nif, seg, irs, t - age, idx) == (cookie & 0xffffffu)) {
			*mss = cookie_mss[idx];
			return true;
		}
	}
	return false;
}
