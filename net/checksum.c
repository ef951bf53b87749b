/*
 * checksum.c — the Internet checksum (see checksum.h).
 *
 * The sum is taken in a 32-bit accumulator of 16-bit words: a message of
 * 64 KiB adds at most 2^15 words of at most 0xffff, which cannot overflow
 * a 32-bit accumulator that is folded at the end. Messages are never
 * longer than 64 KiB (an IPv4 datagram), and chained pieces are folded
 * as they are added, so any number of calls stays exact.
 */
#include "checksum.h"

static uint32_t fold32(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len >= 2) {
		uint32_t part = 0;
		size_t n = len < 0x10000 ? len & ~(size_t)1 : 0x10000;

		for (size_t i = 0; i < n; i += 2)
			part += (uint32_t)(p[i] << 8 | p[i + 1]);
		sum = fold32(fold32(sum) + fold32(part));
		p += n;
		len -= n;
	}
	if (len) /* an odd last byte is the high half of a word padded with 0 */
		sum = fold32(sum + (uint32_t)(p[0] << 8));
	return sum;
}

uint16_t csum_fold(uint32_t sum)
{
	return (uint16_t)~fold32(sum);
}

uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	uint32_t sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff);

	return fold32(sum + proto + len);
}

uint16_t csum_update16(uint16_t csum, uint16_t old_word, uint16_t new_word)
{
	/* HC' = ~(~HC + ~m + m') */
	uint32_t sum = (uint16_t)~csum + (uint32_t)(uint16_t)~old_word + new_word;

	return (uint16_t)~fold32(sum);
}
