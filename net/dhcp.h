/*
 * dhcp.h — the DHCP client (RFC 2131, options RFC 2132): how an
 * interface without a static address gets one.
 *
 * States: INIT -> SELECTING (DISCOVER sent, broadcast) -> REQUESTING
 * (the first usable OFFER taken, REQUEST broadcast naming its server)
 * -> BOUND (ACK: address, prefix, gateway, MTU applied, a gratuitous ARP
 * sent) -> RENEWING at T1 (REQUEST unicast to the server) -> REBINDING
 * at T2 (REQUEST broadcast to any server) -> at the lease's end the
 * address is removed and the client starts again from INIT. A NAK in
 * REQUESTING, RENEWING or REBINDING removes the address, if any, and
 * starts again at once.
 *
 * Timers (RFC 2131 4.1, 4.4.5): DISCOVER and REQUEST are sent again
 * after 4 s, 8 s, 16 s, 32 s, then every 64 s, each randomised by -1..+1 s;
 * a REQUEST unanswered NET_DHCP_REQUEST_TRIES times goes back to INIT. In
 * RENEWING and REBINDING a REQUEST goes again after half the time left
 * until T2 (or the lease's end), at least 60 s, never past T2 (the end).
 * The lease counts from when its REQUEST was sent. T1 and T2 default to
 * 1/2 and 7/8 of the lease; values that are not T1 < T2 < lease are
 * replaced by those. An infinite lease (0xffffffff) has no timers.
 *
 * The transaction id is random, new for each DISCOVER round and each
 * renewal; retransmissions keep it, so a late answer still matches.
 *
 * Input (udp.c hands every datagram to port 68 here while the client
 * runs; ipv4.c lets them in before the interface has an address): every
 * field and every option's length is checked before use, and a message
 * that fails is dropped with one counter:
 *   dhcp_short    under 240 bytes (BOOTP's fixed part and the cookie)
 *   dhcp_format   not a BOOTREPLY for Ethernet, no magic cookie, or not
 *                 from port 67
 *   dhcp_not_ours another transaction id or another hardware address
 *   dhcp_options  an option past its area, an area without END, a known
 *                 option with a wrong length or value, a fixed-length one
 *                 twice, a bad overload (option 52)
 *   dhcp_type     no message type, or one a server does not send
 *   dhcp_state    a message the state does not wait for (a second OFFER,
 *                 an ACK while BOUND, an OFFER while REQUESTING)
 *   dhcp_server   an ACK or NAK in REQUESTING from another server
 *   dhcp_bad_lease an OFFER or ACK that cannot be used: address not a
 *                 host's unicast address, no server id (OFFER), no lease
 *                 time, a lease under NET_DHCP_LEASE_MIN_S
 * A router outside the leased subnet is ignored (no gateway), as is an
 * MTU above the link's. Up to DHCP_DNS_MAX DNS servers are kept.
 *
 * The client keeps the lease in struct dhcp_client; `generation` moves
 * whenever the interface's configuration changes (bound, renewed with
 * other values, expired, NAKed), so the host notices without a callback.
 */
#ifndef PITH_NET_DHCP_H
#define PITH_NET_DHCP_H

#include "net_param.h"
#include "net_sys.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_DNS_MAX	 3 /* musl's resolver reads three (MAXNS) */
#define DHCP_INFINITE	 0xffffffffu

struct netif;
struct ip_rx;

enum dhcp_state {
	DHCP_OFF, /* static configuration: the client never runs */
	DHCP_INIT,
	DHCP_SELECTING,
	DHCP_REQUESTING,
	DHCP_BOUND,
	DHCP_RENEWING,
	DHCP_REBINDING,
};

/* What an OFFER or ACK said, checked. Host byte order. */
struct dhcp_lease {
	uint32_t addr, server, gateway;
	uint32_t dns[DHCP_DNS_MAX];
	uint8_t prefix_len, ndns;
	uint16_t mtu;		      /* 0: none given */
	uint32_t lease_s, t1_s, t2_s; /* as given, T1/T2 already defaulted */
};

struct dhcp_client {
	uint8_t state; /* enum dhcp_state */
	uint32_t xid;
	uint16_t link_mtu;	 /* the interface's own MTU, put back when unbound */
	uint64_t started;	 /* this acquisition began: BOOTP's secs */
	uint64_t next;		 /* next transmission or state change */
	uint64_t backoff;	 /* SELECTING, REQUESTING: next base delay */
	unsigned tries;		 /* REQUESTs sent in REQUESTING */
	uint64_t req_sent;	 /* the last REQUEST: the lease counts from it */
	uint64_t t1, t2, end;	 /* BOUND and after: absolute times */
	struct dhcp_lease offer; /* REQUESTING: the one taken */
	struct dhcp_lease lease; /* BOUND and after */
	uint32_t generation;
};

/* Start the client on an interface without an address (net_init does,
 * with net_config.dhcp): the first DISCOVER goes at once. */
void dhcp_start(struct netif *nif, uint64_t now);
/* True when the datagram is one for the client that the interface
 * must take although it is not (yet) addressed to it. */
bool dhcp_wants(const struct netif *nif, const uint8_t *udp, size_t len);
/* One UDP datagram to port 68 (header checked: udp, ulen). */
void dhcp_input(struct netif *nif, const struct ip_rx *rx, const uint8_t *udp, size_t ulen,
		uint64_t now);
uint64_t dhcp_tick(struct netif *nif, uint64_t now);
/* Whether the interface holds a lease (BOUND, RENEWING, REBINDING). */
bool dhcp_bound(const struct netif *nif);

#endif
