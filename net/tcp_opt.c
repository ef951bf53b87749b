/*
 * tcp_opt.c — TCP options in and out: MSS (RFC 9293 3.7.1), window
 * scale and timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018).
 *
 * Parsing is byte-wise inside the header's option bytes. An option whose
 * length is under 2 or runs past the header makes the segment malformed
 * (the caller drops it, tcp_opt_bad); a known option with the wrong
 * length is ignored, as Linux does; unknown options are skipped. MSS,
 * window scale and SACK-permitted count only on a SYN.
 */
#include "bytes.h"
#include "tcp_int.h"

#define OPT_EOL	      0
#define OPT_NOP	      1
#define OPT_MSS	      2
#define OPT_WS	      3
#define OPT_SACK_PERM 4
#define OPT_SACK      5
#define OPT_TS	      8

int tcp_opt_parse(const uint8_t *p, size_t len, bool syn, struct tcp_opts *o)
{
	size_t i = 0;

	memset(o, 0, sizeof(*o));
	while (i < len) {
		uint8_t kind = p[i], olen;

		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -1;
		olen = p[i + 1];
		if (olen < 2 || olen > len - i)
			return -1;
		switch (kind) {
		case OPT_MSS:
			if (olen == 4 && syn) {
				o->has_mss = true;
				o->mss = get_be16(p + i + 2);
			}
			break;
		case OPT_WS:
			if (olen == 3 && syn) {
				o->has_ws = true;
				/* RFC 7323 2.3: a shift over 14 is taken as 14 */
				o->wscale = NET_MIN(p[i + 2], TCP_WSCALE_MAX);
			}
			break;
		case OPT_SACK_PERM:
			if (olen == 2 && syn)
				o->sack_ok = true;
			break;
		case OPT_TS:
			if (olen == 10) {
				o->has_ts = true;
				o->tsval = get_be32(p + i + 2);
				o->tsecr = get_be32(p + i + 6);
			}
			break;
		default: /* SACK blocks (we do not use them on send yet), others */
			break;
		}
		i += olen;
	}
	return 0;
}

size_t tcp_opt_ts(uint8_t *p, uint32_t tsval, uint32_t tsecr)
{
	p[0] = OPT_NOP;
	p[1] = OPT_NOP;
	p[2] = OPT_TS;
	p[3] = 10;
	put_be32(p + 4, tsval);
	put_be32(p + 8, tsecr);
	return TCP_TS_LEN;
}

/* A SYN's options, laid out as Linux does (each 4-byte aligned):
 * MSS; SACK-permitted and timestamps, or NOP NOP and timestamps, or NOP
 * NOP and SACK-permitted; NOP and window scale. wscale < 0: none. */
size_t tcp_opt_syn(uint8_t *p, uint16_t mss, int wscale, bool sack, bool ts, uint32_t tsval,
		   uint32_t tsecr)
{
	size_t n = 0;

	p[n++] = OPT_MSS;
	p[n++] = 4;
	put_be16(p + n, mss);
	n += 2;
	if (ts) {
		if (sack) {
			p[n++] = OPT_SACK_PERM;
			p[n++] = 2;
		} else {
			p[n++] = OPT_NOP;
			p[n++] = OPT_NOP;
		}
		p[n++] = OPT_TS;
		p[n++] = 10;
		put_be32(p + n, tsval);
		put_be32(p + n + 4, tsecr);
		n += 8;
	} else if (sack) {
		p[n++] = OPT_NOP;
		p[n++] = OPT_NOP;
		p[n++] = OPT_SACK_PERM;
		p[n++] = 2;
	}
	if (wscale >= 0) {
		p[n++] = OPT_NOP;
		p[n++] = OPT_WS;
		p[n++] = 3;
		p[n++] = (uint8_t)wscale;
	}
	return n;
}

size_t tcp_opt_sack(uint8_t *p, const struct tcp_range *blocks, unsigned n)
{
	p[0] = OPT_NOP;
	p[1] = OPT_NOP;
	p[2] = OPT_SACK;
	p[3] = (uint8_t)(2 + 8 * n);
	for (unsigned i = 0; i < n; i++) {
		put_be32(p + 4 + 8 * i, blocks[i].start);
		put_be32(p + 8 + 8 * i, blocks[i].end);
	}
	return 4 + 8 * (size_t)n;
}
