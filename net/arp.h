/*
 * arp.h — the Address Resolution Protocol for IPv4 over Ethernet (RFC 826).
 *
 * A cache of NET_ARP_ENTRIES addresses. An address learnt lives
 * NET_ARP_TTL_NS; used in its last NET_ARP_REFRESH_NS it is asked for
 * again (unicast) while the old answer stays in use. An address not yet
 * known is asked for by broadcast up to NET_ARP_REQUESTS times, one
 * second apart and doubling, while packets wait for it: up to
 * NET_ARP_QUEUE_BYTES for one address (a whole 64 KiB datagram in
 * fragments fits) and NET_ARP_QUEUE_TOTAL for all. A full queue drops its
 * oldest packets (arp_queue_full); no answer drops them all (arp_failed).
 *
 * What we believe (the same as Linux with arp_accept=0):
 *   - any ARP packet updates an entry we already have for its sender
 *     (RFC 826's merge: how a host that moved or rebooted is learnt);
 *   - a request for our address creates an entry for the asker (it is
 *     about to talk to us) and is answered;
 *   - a reply creates nothing: one we did not ask for about an address we
 *     do not know is dropped (arp_unsolicited), so a host on the link
 *     cannot fill the cache or plant entries for addresses we never use;
 *   - a sender MAC that is multicast or a sender IP that is broadcast,
 *     multicast or loopback is never learnt, and a packet claiming our
 *     own address is counted (arp_conflict) and believed by no one.
 * Entries are keyed by the next hop, so the gateway's is one entry.
 */
#ifndef PITH_NET_ARP_H
#define PITH_NET_ARP_H

#include "eth.h"
#include "net_param.h"
#include "pbuf.h"

#define ARP_LEN	       28 /* Ethernet/IPv4 ARP packet */
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY   2

struct netif;

enum arp_state { ARP_FREE, ARP_PENDING, ARP_RESOLVED };

struct arp_entry {
	uint32_t ip;
	uint8_t mac[ETH_ALEN];
	uint8_t state;	    /* enum arp_state */
	uint8_t requests;   /* sent for this resolution or refresh */
	bool refreshing;    /* resolved, and asked again before expiry */
	uint64_t deadline;  /* resolved: expiry; pending: next request */
	uint64_t updated;   /* learnt or created: the oldest goes first */
	struct pbuf *queue; /* pending: packets waiting, oldest first */
	unsigned queued;
	size_t queued_bytes; /* allocation sizes of the queued pbufs */
};

struct arp_cache {
	struct arp_entry entry[NET_ARP_ENTRIES];
	size_t queued_bytes; /* all entries' */
};

void arp_input(struct netif *nif, const uint8_t *p, size_t len, uint64_t now);
/* Send an IPv4 packet (pb, no Ethernet header yet) to the neighbour
 * nexthop, resolving it first if need be. Consumes pb. Returns 0 (sent
 * or queued) or -errno. */
int arp_output(struct netif *nif, struct pbuf *pb, uint32_t nexthop, uint64_t now);
/* A gratuitous ARP request for our own address. */
void arp_announce(struct netif *nif);
uint64_t arp_tick(struct netif *nif, uint64_t now);
void arp_flush(struct netif *nif);
/* The entry for ip, or NULL (for tests and diagnostics). */
const struct arp_entry *arp_lookup(const struct netif *nif, uint32_t ip);

#endif
