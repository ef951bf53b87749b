/*
 * random.c — ChaCha20 keystream generator (see random.h).
 */
#include "random.h"

static uint32_t key[8];
static uint64_t counter;

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)                           \
	do {                                     \
		a += b, d ^= a, d = ROTL(d, 16); \
		c += d, b ^= c, b = ROTL(b, 12); \
		a += b, d ^= a, d = ROTL(d, 8);  \
		c += d, b ^= c, b = ROTL(b, 7);  \
	} while (0)

static void chacha_block(uint32_t out[16])
{
	uint32_t in[16] = {
		0x61707865,
		0x3320646e,
		0x79622d32,
		0x6b206574, /* constant */
		key[0],
		key[1],
		key[2],
		key[3],
		key[4],
		key[5],
		key[6],
		key[7],
		(uint32_t)counter,
		(uint32_t)(counter >> 32),
		0,
		0,
	};
	uint32_t x[16];

	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + in[i];
	counter++;
}

void random_init(const uint8_t seed[32])
{
	memcpy(key, seed, sizeof(key));
	counter = 0;
}

void random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;
	uint32_t block[16];

	while (len > 0) {
		size_t n = MIN(len, sizeof(block));

		chacha_block(block);
		memcpy(p, block, n);
		p += n;
		len -= n;
	}
	chacha_block(block); /* fast key erasure */
	memcpy(key, block, sizeof(key));
	memset(block, 0, sizeof(block));
}
