/*
 * sha256.h — SHA-256 (FIPS 180-4), for the content-addressed image store.
 */
#ifndef PITH_SHA256_H
#define PITH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32
#define SHA256_HEX   64 /* characters, without the NUL */

struct sha256 {
	uint32_t h[8];
	uint64_t bytes; /* message length so far */
	uint8_t block[64];
	size_t fill; /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]);
/* The digest of LEN bytes as 64 lower-case hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX + 1]);
void sha256_to_hex(const uint8_t d[SHA256_BYTES], char out[SHA256_HEX + 1]);

#endif
