/*
 * checksum.h — the Internet checksum (RFC 1071) and its incremental
 * update (RFC 1624).
 *
 * csum_add() sums bytes as big-endian 16-bit words into a 32-bit
 * accumulator; pieces may be chained, but every piece except the last
 * must have an even length (headers, the pseudo-header) so the words
 * stay aligned to the start of the message. csum_fold() folds and
 * complements: the value to store in a header, or 0 when a received
 * message (checksum field included) is intact.
 */
#ifndef PITH_NET_CHECKSUM_H
#define PITH_NET_CHECKSUM_H

#include "net_sys.h"

uint32_t csum_add(uint32_t sum, const void *data, size_t len);
uint16_t csum_fold(uint32_t sum);
/* The sum of the UDP/TCP pseudo-header (RFC 768): addresses in host order. */
uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
/* A stored checksum after one 16-bit word of the message changed from
 * old_word to new_word (RFC 1624, eqn. 3). */
uint16_t csum_update16(uint16_t csum, uint16_t old_word, uint16_t new_word);

#endif
