/*
 * pmtu.h — path MTUs learnt from ICMP "fragmentation needed" (RFC 1191).
 *
 * NET_PMTU_ENTRIES destinations whose path is narrower than the link;
 * an entry is forgotten after NET_PMTU_TTL_NS, so a path that widened is
 * found again. A full table replaces the entry closest to expiry.
 */
#ifndef PITH_NET_PMTU_H
#define PITH_NET_PMTU_H

#include "net_param.h"
#include "net_sys.h"

struct netif;

struct pmtu_entry {
	uint32_t dst;
	uint16_t mtu; /* 0: free */
	uint64_t expires;
};

struct pmtu_table {
	struct pmtu_entry entry[NET_PMTU_ENTRIES];
};

/* The MTU learnt for dst, or 0. */
uint16_t pmtu_get(struct netif *nif, uint32_t dst, uint64_t now);
void pmtu_set(struct netif *nif, uint32_t dst, uint16_t mtu, uint64_t now);
uint64_t pmtu_tick(struct netif *nif, uint64_t now);

#endif
