/*
 * icmp.h — the Internet Control Message Protocol for a host (RFC 792,
 * RFC 1122 3.2.2).
 *
 * Served: echo requests (answered with the same identifier, sequence and
 * data, whatever their size, fragmented or not; never when sent to a
 * broadcast address, as Linux's icmp_echo_ignore_broadcasts), and
 * "fragmentation needed", which lowers the path MTU towards the quoted
 * destination (pmtu.h) — never below NET_PMTU_MIN, so a forged message
 * cannot make us send tiny fragments, and never upwards. Other errors
 * about datagrams we sent are counted; the socket layer will take them.
 * Redirects, source quench (RFC 6633) and timestamps are ignored.
 *
 * Errors we send (port and protocol unreachable, reassembly time
 * exceeded) follow RFC 1122's rules — never about an ICMP error, a
 * broadcast, a non-unicast source or a later fragment — and a token
 * bucket: NET_ICMP_ERR_BURST at once, NET_ICMP_ERR_PER_SEC after.
 */
#ifndef PITH_NET_ICMP_H
#define PITH_NET_ICMP_H

#include "net_sys.h"

#define ICMP_HLEN	      8
#define ICMP_ECHOREPLY	      0
#define ICMP_UNREACH	      3
#define ICMP_SOURCEQUENCH     4
#define ICMP_REDIRECT	      5
#define ICMP_ECHO	      8
#define ICMP_TIME_EXCEEDED    11
#define ICMP_PARAMPROB	      12
#define ICMP_UNREACH_NET      0
#define ICMP_UNREACH_HOST     1
#define ICMP_UNREACH_PROTO    2
#define ICMP_UNREACH_PORT     3
#define ICMP_UNREACH_NEEDFRAG 4
#define ICMP_TIMXCEED_REASS   1

struct netif;
struct ip_rx;

struct icmp_limiter {
	uint64_t credit_ns; /* time saved up, one error's worth each */
	uint64_t last;
};

void icmp_init(struct netif *nif, uint64_t now);
void icmp_input(struct netif *nif, const struct ip_rx *rx, uint64_t now);
/* An error about datagram rx to its sender, if the rules and the rate
 * limit allow. info is the header's second word (the next-hop MTU for
 * fragmentation needed, else 0). */
void icmp_send_error(struct netif *nif, const struct ip_rx *rx, uint8_t type, uint8_t code,
		     uint32_t info, uint64_t now);

#endif
