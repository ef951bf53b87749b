/*
 * ip_reasm.h — reassembly of IPv4 fragments (RFC 791, RFC 815).
 *
 * Up to NET_REASM_SLOTS datagrams at once, keyed by (source, destination,
 * identification, protocol), holding at most NET_REASM_MEM_MAX bytes of
 * fragments altogether (each fragment's bookkeeping counts too, so tiny
 * fragments cannot hide their cost). A datagram not complete within the
 * netif's reassembly time (30 s by default) is dropped, and if its first
 * fragment came, the sender gets ICMP "fragment reassembly time
 * exceeded". A new datagram that finds no slot, or a fragment that would
 * pass the memory cap, evicts the oldest datagrams first.
 *
 * Overlaps: a fragment that is an exact copy of one held (same offset,
 * length and bytes) is a retransmission and is dropped alone. Any other
 * overlap, or a last fragment that contradicts the length already known,
 * drops the whole datagram, and the slot remembers it until its time runs
 * out so later fragments of it are dropped too (RFC 5722's rule for IPv6,
 * applied to IPv4: overlaps serve only to evade inspection).
 */
#ifndef PITH_NET_IP_REASM_H
#define PITH_NET_IP_REASM_H

#include "net_param.h"
#include "net_sys.h"

struct netif;
struct ip_rx;

struct reasm_frag {
	struct reasm_frag *next; /* by offset */
	uint16_t off, len;	 /* payload bytes [off, off + len) */
	uint8_t data[];
};

struct reasm_slot {
	bool used;
	bool dead; /* dropped for an overlap: swallow the rest */
	uint8_t proto;
	uint16_t id;
	uint32_t src, dst;
	uint32_t total; /* payload length, known from the last fragment; 0 before */
	uint8_t hlen;	/* header of the first fragment, 0 until it came */
	uint8_t hdr[60];
	uint64_t created; /* the oldest is evicted first */
	uint64_t expires;
	size_t mem;
	struct reasm_frag *frags;
};

struct ip_reasm {
	struct reasm_slot slot[NET_REASM_SLOTS];
	size_t mem; /* all slots' */
};

/* A fragment that passed ipv4's checks; frag is the header's flags and
 * offset field. Delivers the datagram when it is complete. */
void ip_reasm_input(struct netif *nif, const struct ip_rx *rx, uint16_t frag, uint64_t now);
uint64_t ip_reasm_tick(struct netif *nif, uint64_t now);
void ip_reasm_flush(struct netif *nif);

#endif
