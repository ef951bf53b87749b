/*
 * udp.h — the User Datagram Protocol (RFC 768) and the calls a socket
 * layer makes on it.
 *
 * Input checks the length and the checksum over the pseudo-header (a
 * zero checksum means the sender computed none, and is accepted), finds
 * the port's pcb and queues the datagram there, or answers "port
 * unreachable" (not to broadcasts; icmp.h's rate limit applies). A
 * pcb's queue holds at most NET_UDP_RXQ_LEN datagrams and NET_UDP_RCVBUF
 * bytes; a datagram that does not fit is dropped (udp_rcvbuf), as Linux
 * drops when a socket's receive buffer is full.
 *
 * Calls (all return -errno on failure, as the socket layer will):
 *   udp_open      a pcb, or NULL when all NET_UDP_PCBS are taken
 *   udp_bind      to one of our addresses (127/8 included) or any (0), port 0 picks a free
 *                 ephemeral port; -EADDRINUSE, -EADDRNOTAVAIL, -EINVAL
 *                 (already bound)
 *   udp_connect   a default destination that also filters what arrives;
 *                 (0, 0) disconnects
 *   udp_sendto    one datagram; dst 0 and port 0 mean the connected
 *                 peer (-EDESTADDRREQ without one); binds an ephemeral
 *                 port first if need be; UDP_SEND_DF forbids fragments
 *                 (-EMSGSIZE past the path MTU, as IP_PMTUDISC_DO)
 *   udp_recvfrom  the oldest datagram (-EAGAIN when none): copies what
 *                 fits in buf, returns the bytes copied and sets *full
 *                 to the datagram's length (MSG_TRUNC)
 *   udp_close     frees the pcb and what it queued
 * Ports are not shared (no SO_REUSEADDR yet).
 */
#ifndef PITH_NET_UDP_H
#define PITH_NET_UDP_H

#include "net_param.h"
#include "net_sys.h"

#define UDP_HLEN	8
#define UDP_MAX_PAYLOAD (65535 - 20 - UDP_HLEN)
#define UDP_SEND_DF	1u

struct netif;
struct ip_rx;
struct pbuf;

struct udp_dgram {
	struct udp_dgram *next;
	uint32_t src;
	uint16_t sport;
	uint16_t len;
	uint8_t data[];
};

struct udp_pcb {
	struct netif *nif;
	bool used;
	uint32_t local_addr; /* 0: any */
	uint16_t local_port; /* 0: not bound */
	uint32_t remote_addr;
	uint16_t remote_port; /* 0: not connected */
	struct udp_dgram *head, *tail;
	unsigned queued;
	size_t queued_bytes;
	uint32_t rx_seq; /* datagrams queued since open: moves with each arrival */
};

struct udp_table {
	struct udp_pcb pcb[NET_UDP_PCBS];
	uint16_t next_port; /* where the search for an ephemeral port starts */
};

void udp_init(struct netif *nif, uint32_t seed);
void udp_input(struct netif *nif, const struct ip_rx *rx, uint64_t now);
void udp_flush(struct netif *nif);

struct udp_pcb *udp_open(struct netif *nif);
int udp_bind(struct udp_pcb *pcb, uint32_t addr, uint16_t port);
int udp_connect(struct udp_pcb *pcb, uint32_t addr, uint16_t port);
long udp_sendto(struct udp_pcb *pcb, const void *buf, size_t len, uint32_t dst, uint16_t port,
		unsigned flags, uint64_t now);
long udp_recvfrom(struct udp_pcb *pcb, void *buf, size_t len, uint32_t *src, uint16_t *port,
		  size_t *full);
/* Send pb (the payload, with NET_HEADROOM in front) as one datagram from
 * src:sport to dst:dport, for the stack's own clients (DHCP) that hold no
 * pcb. Consumes pb; 0 or -errno as ipv4_output. */
int udp_output(struct netif *nif, struct pbuf *pb, uint32_t src, uint16_t sport, uint32_t dst,
	       uint16_t dport, unsigned flags, uint64_t now);
/* Datagrams waiting (for poll). */
unsigned udp_pending(const struct udp_pcb *pcb);
void udp_close(struct udp_pcb *pcb);

#endif
