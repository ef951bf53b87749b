/*
 * net.h — pith's TCP/IP stack: the contract between the stack and what
 * drives it (a device driver and, later, the socket layer).
 *
 * One struct netif is one interface and one instance of the stack: its
 * address, its tables (ARP cache, fragments being reassembled, path
 * MTUs, UDP ports, TCP connections) and its counters. Nothing in net/ is global, so
 * tests run two stacks side by side.
 *
 * The stack never reads a clock and never sleeps. Every entry point takes
 * the time (monotonic nanoseconds) from its caller, and the caller MUST
 * call net_tick() again no later than the deadline it returns. The stack
 * is not reentrant: one caller at a time (the kernel has one CPU).
 *
 * The driver MUST:
 *   - give every received frame to net_input() (it may reuse the buffer
 *     when net_input returns: the stack copies what it keeps);
 *   - accept frames from transmit() of at most mtu + 14 bytes, copying
 *     them before it returns; it returns 0, or -errno when the frame was
 *     not sent (counted as tx_error; the stack does not retry).
 * The driver MAY call net_input() with frames of any length and content:
 * every field from the wire is checked before use.
 *
 * Transmission happens only inside net_init(), net_input(), net_tick()
 * and the transport functions (udp.h, tcp.h): never behind the caller's
 * back. A transport call may arm a timer: the caller MUST call net_tick()
 * after it to learn the new deadline.
 */
#ifndef PITH_NET_H
#define PITH_NET_H

#include "net_sys.h"
#include "net_param.h"
#include "stats.h"
#include "pbuf.h"
#include "eth.h"
#include "arp.h"
#include "ipv4.h"
#include "ip_reasm.h"
#include "pmtu.h"
#include "icmp.h"
#include "udp.h"
#include "tcp.h"
#include "dhcp.h"

#define NET_NO_DEADLINE UINT64_MAX

struct netif;
typedef int (*net_transmit_fn)(struct netif *nif, const uint8_t *frame, size_t len);

struct net_config {
	uint8_t mac[ETH_ALEN];
	uint32_t addr;		   /* IPv4 address, host byte order; 0: none yet */
	uint8_t prefix_len;	   /* 0..32 */
	uint32_t gateway;	   /* 0: no default route (on-link only) */
	uint16_t mtu;		   /* 0: NET_MTU_DEFAULT; else NET_MTU_MIN..NET_MTU_MAX */
	uint64_t reasm_timeout_ns; /* 0: NET_REASM_TIMEOUT_NS */
	uint32_t seed;		   /* randomises IP ids and ephemeral ports */
	uint64_t tcp_msl_ns;	   /* 0: NET_TCP_MSL_NS; TIME-WAIT lasts twice this */
	size_t tcp_mem_max;	   /* 0: NET_TCP_MEM_MAX; all TCP may hold */
	bool dhcp;		   /* addr 0: get one by DHCP (dhcp.h) */
	net_transmit_fn transmit;
	void *dev; /* the driver's, untouched by the stack */
};

struct netif {
	uint8_t mac[ETH_ALEN];
	uint32_t addr, netmask, gateway;
	uint16_t mtu;
	uint64_t reasm_timeout_ns;
	net_transmit_fn transmit;
	void *dev;

	uint16_t ip_id;			    /* next IPv4 identification */
	struct pbuf *loop_head, *loop_tail; /* datagrams to local addresses */
	size_t loop_bytes;
	struct arp_cache arp;
	struct ip_reasm reasm;
	struct pmtu_table pmtu;
	struct icmp_limiter icmp;
	struct udp_table udp;
	struct tcp_table tcp;
	struct dhcp_client dhcp;
	struct net_stats stats;
};

/* Set nif up from cfg and announce the address (a gratuitous ARP), or,
 * with no address and cfg->dhcp, start the DHCP client (its first
 * DISCOVER goes at once). Returns 0, or -EINVAL for a bad configuration. */
int net_init(struct netif *nif, const struct net_config *cfg, uint64_t now);
/* Free everything the stack holds (queued packets, fragments, datagrams). */
void net_shutdown(struct netif *nif);
/* One frame from the device (Ethernet header first, no FCS). */
void net_input(struct netif *nif, const uint8_t *frame, size_t len, uint64_t now);
/* Run timers due at now; returns the next deadline or NET_NO_DEADLINE. */
uint64_t net_tick(struct netif *nif, uint64_t now);

/* Address helpers, host byte order. */
#define NET_IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define NET_IP_BROADCAST   0xffffffffu

#endif
