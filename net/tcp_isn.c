/*
 * tcp_isn.c — initial sequence numbers and timestamp offsets (RFC 6528,
 * RFC 7323 5.4): ISN = M + F(4-tuple, secret), M a clock ticking every
 * 4 µs, F SipHash-2-4 (Aumasson and Bernstein) under a 128-bit key drawn
 * from net_random() when the stack starts. An off-path attacker who
 * cannot see our segments cannot guess the next ISN of a connection,
 * while one 4-tuple's ISNs still rise with time, as TIME-WAIT needs.
 */
#include "net.h"
#include "tcp_int.h"

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL64(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL64(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL64(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL64(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL64(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL64(v[2], 32);
}

static uint64_t le64(const uint8_t *p, size_t n)
{
	uint64_t x = 0;

	for (size_t i = 0; i < n; i++)
		x |= (uint64_t)p[i] << (8 * i);
	return x;
}

/* SipHash-2-4 of msg under a 16-byte key. */
uint64_t tcp_siphash(const uint8_t key[16], const uint8_t *msg, size_t len)
{
	uint64_t k0 = le64(key, 8), k1 = le64(key + 8, 8), m;
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
			  k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull };
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(msg + i, 8);
		v[3] ^= m;
		sipround(v);
		sipround(v);
		v[0] ^= m;
	}
	m = le64(msg + i, len - i) | (uint64_t)(len & 0xff) << 56;
	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
	v[2] ^= 0xff;
	for (int r = 0; r < 4; r++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* F of the 4-tuple; domain separates the ISN from the timestamp offset. */
static uint32_t tuple_hash(const struct netif *nif, uint8_t domain, uint32_t laddr, uint16_t lport,
			   uint32_t raddr, uint16_t rport)
{
	uint8_t m[13];

	for (int i = 0; i < 4; i++) {
		m[i] = (uint8_t)(laddr >> (8 * i));
		m[4 + i] = (uint8_t)(raddr >> (8 * i));
	}
	m[8] = (uint8_t)lport;
	m[9] = (uint8_t)(lport >> 8);
	m[10] = (uint8_t)rport;
	m[11] = (uint8_t)(rport >> 8);
	m[12] = domain;
	return (uint32_t)tcp_siphash(nif->tcp.key, m, sizeof(m));
}

uint32_t tcp_isn_rfc6528(struct netif *nif, uint32_t laddr, uint16_t lport, uint32_t raddr,
			 uint16_t rport, uint64_t now)
{
	return tuple_hash(nif, 0, laddr, lport, raddr, rport) + (uint32_t)(now / 4000u);
}

uint32_t tcp_ts_offset(const struct netif *nif, uint32_t laddr, uint16_t lport, uint32_t raddr,
		       uint16_t rport)
{
	return tuple_hash(nif, 1, laddr, lport, raddr, rport);
}
