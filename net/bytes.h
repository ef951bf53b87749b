/*
 * bytes.h — big-endian field access for wire headers.
 *
 * Headers are read and written a byte at a time, never through a cast
 * struct pointer: frames arrive at any alignment and UBSan checks every
 * access. The compiler turns these into single loads and byte swaps.
 */
#ifndef PITH_NET_BYTES_H
#define PITH_NET_BYTES_H

#include "net_sys.h"

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
