/*
 * stats.h — the stack's counters: traffic, and one counter per reason a
 * packet is dropped, so no packet disappears without a trace.
 *
 * NET_STATS lists them once: X(name, kind, what). kind is DROP for a
 * drop reason, INFO for everything else. struct net_stats has one
 * uint64_t per entry; net_stat_name() and friends walk the list, for
 * tests and, later, for a way to show them.
 */
#ifndef PITH_NET_STATS_H
#define PITH_NET_STATS_H

#include "net_sys.h"

#define NET_STATS(X)                                                                         \
	X(rx_frames, INFO, "frames received")                                                \
	X(tx_frames, INFO, "frames handed to the device")                                    \
	X(tx_error, DROP, "the device refused a frame")                                      \
	X(nomem, DROP, "no memory for a packet, fragment or queued datagram")                \
	X(eth_short, DROP, "frame shorter than an Ethernet header")                          \
	X(eth_not_us, DROP, "frame for another MAC address or a multicast group")            \
	X(eth_vlan, DROP, "802.1Q/802.1ad tagged frame (no VLANs configured)")               \
	X(eth_type, DROP, "EtherType neither IPv4 nor ARP")                                  \
	X(arp_rx, INFO, "ARP packets received")                                              \
	X(arp_short, DROP, "ARP packet shorter than 28 bytes")                               \
	X(arp_format, DROP, "ARP for other than Ethernet/IPv4 (htype, ptype, hlen, plen)")   \
	X(arp_op, DROP, "ARP operation neither request nor reply")                           \
	X(arp_bad_sender, DROP, "ARP sender MAC multicast or sender IP not unicast")         \
	X(arp_conflict, DROP, "ARP from another host claiming our address")                  \
	X(arp_unsolicited, DROP, "ARP reply about an address we neither asked nor knew")     \
	X(arp_request_tx, INFO, "ARP requests sent (gratuitous and refreshes included)")     \
	X(arp_reply_tx, INFO, "ARP replies sent")                                            \
	X(arp_queue_full, DROP, "packet waiting for ARP dropped: queue full (oldest first)") \
	X(arp_failed, DROP, "packet dropped: its next hop never answered ARP")               \
	X(arp_evicted, INFO, "ARP cache entries reused while still valid")                   \
	X(ip_rx, INFO, "IPv4 datagrams received")                                            \
	X(ip_short, DROP, "IPv4 header or total length beyond the frame")                    \
	X(ip_version, DROP, "IP version not 4")                                              \
	X(ip_hlen, DROP, "IPv4 header length under 20 or over the total length")             \
	X(ip_checksum, DROP, "IPv4 header checksum wrong")                                   \
	X(ip_martian_src, DROP, "IPv4 source not a unicast address, or ours")                \
	X(ip_not_us, DROP, "IPv4 destination neither ours nor a broadcast")                  \
	X(ip_proto, DROP, "IPv4 protocol not served")                                        \
	X(ip_frag_bad, DROP, "fragment past 65535 bytes or a middle one not 8-aligned")      \
	X(ip_frag_overlap, DROP, "fragments overlapped: the whole datagram dropped")         \
	X(ip_frag_dup, DROP, "fragment already held (exact duplicate)")                      \
	X(ip_frag_dead, DROP, "fragment of a datagram already dropped for overlap")          \
	X(ip_reasm_timeout, DROP, "datagram not complete within the reassembly time")        \
	X(ip_reasm_evicted, DROP, "incomplete datagram evicted for memory or a slot")        \
	X(ip_reasm_ok, INFO, "datagrams reassembled")                                        \
	X(ip_frag_tx, INFO, "fragments sent")                                                \
	X(ip_tx, INFO, "IPv4 datagrams sent")                                                \
	X(ip_tx_noroute, DROP, "no route: off-link and no gateway, or multicast/loopback")   \
	X(ip_tx_df, DROP, "datagram with DF set larger than the path MTU")                   \
	X(icmp_rx, INFO, "ICMP messages received")                                           \
	X(icmp_short, DROP, "ICMP message shorter than its header")                          \
	X(icmp_checksum, DROP, "ICMP checksum wrong")                                        \
	X(icmp_type, DROP, "ICMP type not served")                                           \
	X(icmp_echo_bcast, DROP, "echo request to a broadcast address ignored")              \
	X(icmp_echo_tx, INFO, "echo replies sent")                                           \
	X(icmp_err_rx, INFO, "ICMP errors received")                                         \
	X(icmp_err_bad, DROP, "ICMP error quoting no datagram of ours")                      \
	X(icmp_err_tx, INFO, "ICMP errors sent")                                             \
	X(icmp_err_limited, DROP, "ICMP error not sent: rate limit")                         \
	X(icmp_pmtu_update, INFO, "path MTU lowered by fragmentation needed")                \
	X(icmp_pmtu_ignored, DROP, "fragmentation needed that would not lower the MTU")      \
	X(udp_rx, INFO, "UDP datagrams delivered to a port")                                 \
	X(udp_short, DROP, "UDP header or length beyond the IP payload")                     \
	X(udp_checksum, DROP, "UDP checksum wrong")                                          \
	X(udp_no_port, DROP, "UDP to a port nobody bound")                                   \
	X(udp_rcvbuf, DROP, "UDP datagram dropped: the port's queue is full")                \
	X(udp_tx, INFO, "UDP datagrams sent")

struct net_stats {
#define NET_STAT_FIELD(name, kind, what) uint64_t name;
	NET_STATS(NET_STAT_FIELD)
#undef NET_STAT_FIELD
};

enum net_stat_kind { NET_STAT_INFO, NET_STAT_DROP };

/* How many counters there are; index i names the i-th field of the
 * struct (they are all uint64_t, in list order). */
size_t net_stat_count(void);
const char *net_stat_name(size_t i);
const char *net_stat_what(size_t i);
enum net_stat_kind net_stat_kind(size_t i);
uint64_t net_stat_get(const struct net_stats *s, size_t i);

#endif
