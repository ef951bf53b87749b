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
	X(ip_tx_noroute, DROP, "no route: off-link and no gateway, or multicast")            \
	X(ip_loop_tx, INFO, "datagrams queued for local delivery (loopback)")                \
	X(ip_loop_full, DROP, "local datagram dropped: the loopback queue is full")          \
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
	X(udp_tx, INFO, "UDP datagrams sent")                                                \
	X(tcp_rx, INFO, "TCP segments received (past the header checks)")                    \
	X(tcp_tx, INFO, "TCP segments sent")                                                 \
	X(dhcp_tx, INFO, "DHCP messages sent")                                               \
	X(dhcp_rx, INFO, "DHCP offers, ACKs and NAKs taken")                                 \
	X(dhcp_bound, INFO, "DHCP leases bound or renewed (ACKs applied)")                   \
	X(dhcp_nak_rx, INFO, "DHCP NAKs taken: address dropped, started again")              \
	X(dhcp_expired, INFO, "DHCP leases that ran out: address removed")                   \
	X(dhcp_short, DROP, "DHCP message shorter than 240 bytes")                           \
	X(dhcp_format, DROP, "DHCP not a BOOTREPLY for Ethernet, no cookie, not from 67")    \
	X(dhcp_not_ours, DROP, "DHCP message for another transaction or hardware address")   \
	X(dhcp_options, DROP, "DHCP options malformed (length, END, value, repeat)")         \
	X(dhcp_type, DROP, "DHCP message without a type or of one servers do not send")      \
	X(dhcp_state, DROP, "DHCP message the client's state does not wait for")             \
	X(dhcp_server, DROP, "DHCP ACK or NAK from a server other than the one chosen")      \
	X(dhcp_bad_lease, DROP, "DHCP offer or ACK unusable (address, server id, lease)")    \
	X(tcp_short, DROP, "TCP segment shorter than 20 bytes")                              \
	X(tcp_hlen, DROP, "TCP data offset under 20 or past the segment")                    \
	X(tcp_checksum, DROP, "TCP checksum wrong")                                          \
	X(tcp_bcast, DROP, "TCP segment to a broadcast address")                             \
	X(tcp_opt_bad, DROP, "TCP option with a length under 2 or past the header")          \
	X(tcp_no_pcb, DROP, "TCP segment for no connection or listener (reset sent)")        \
	X(tcp_listen_drop, DROP, "TCP segment a listener takes no action on")                \
	X(tcp_syncookie_tx, INFO, "SYN-ACKs with a SYN cookie (SYN queue full)")             \
	X(tcp_syncookie_ok, INFO, "connections made from a valid SYN cookie")                \
	X(tcp_syncookie_bad, DROP, "ACK to a listener with a wrong or stale SYN cookie")     \
	X(tcp_synq_timeout, DROP, "half-open connection gone: SYN-ACK never answered")       \
	X(tcp_acceptq_full, DROP, "handshake's last ACK dropped: accept queue full")         \
	X(tcp_mem_refused, DROP, "connection or buffer refused: TCP memory cap reached")     \
	X(tcp_synsent_bad, DROP, "in SYN-SENT: segment without SYN, or a bad ACK")           \
	X(tcp_paws, DROP, "TCP timestamp older than the last (PAWS, RFC 7323)")              \
	X(tcp_seq_bad, DROP, "TCP segment outside the receive window (ACK sent)")            \
	X(tcp_rst_ignored, DROP, "TCP reset outside the receive window")                     \
	X(tcp_rst_challenge, DROP, "TCP reset in the window, not at rcv_nxt (RFC 5961)")     \
	X(tcp_syn_challenge, DROP, "TCP SYN on a synchronized connection (RFC 5961)")        \
	X(tcp_no_ack, DROP, "TCP segment without ACK on a synchronized connection")          \
	X(tcp_ack_bad, DROP, "TCP ACK of data never sent or too old (RFC 5961)")             \
	X(tcp_ooo_full, DROP, "out-of-order TCP data dropped: no range left to track it")    \
	X(tcp_data_after_fin, DROP, "TCP data after the peer's FIN")                         \
	X(tcp_data_closed, DROP, "TCP data for a closed socket (connection reset)")          \
	X(tcp_challenge_limited, DROP, "challenge ACK not sent: rate limit")                 \
	X(tcp_active_open, INFO, "TCP connections initiated (connect)")                      \
	X(tcp_passive_open, INFO, "TCP connections accepted into an accept queue")           \
	X(tcp_rst_rx, INFO, "TCP resets that ended a connection or half-open one")           \
	X(tcp_rst_tx, INFO, "TCP resets sent")                                               \
	X(tcp_challenge_ack_tx, INFO, "TCP challenge ACKs sent (RFC 5961)")                  \
	X(tcp_rexmit, INFO, "TCP segments sent again")                                       \
	X(tcp_fast_rexmit, INFO, "TCP fast retransmits (third duplicate ACK)")               \
	X(tcp_rto, INFO, "TCP retransmission timeouts")                                      \
	X(tcp_dupack_rx, INFO, "TCP duplicate ACKs received")                                \
	X(tcp_ooo_rx, INFO, "TCP segments held out of order")                                \
	X(tcp_persist_probe, INFO, "TCP zero-window probes sent")                            \
	X(tcp_keepalive_probe, INFO, "TCP keepalive probes sent")                            \
	X(tcp_keepalive_timeout, INFO, "TCP connections ended: keepalive unanswered")        \
	X(tcp_conn_timeout, INFO, "TCP connections ended: retransmissions unanswered")       \
	X(tcp_aborted, INFO, "TCP connections reset by us (abort, linger, unread data)")

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
