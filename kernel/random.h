/*
 * random.h — the kernel's random numbers: ChaCha20 (RFC 8439) keyed from
 * host entropy at boot, with fast key erasure: after each request the key
 * is replaced by fresh keystream, so earlier output cannot be recomputed.
 */
#ifndef PITH_RANDOM_H
#define PITH_RANDOM_H

#include "kernel.h"

void random_init(const uint8_t seed[32]);
void random_bytes(void *buf, size_t len);

#endif
