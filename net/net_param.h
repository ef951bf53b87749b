/*
 * net_param.h — every limit and timer of the network stack in one place.
 *
 * Each table is a fixed array and each queue has a cap, so the stack's
 * memory has a bound that does not depend on what arrives from the wire:
 * NET_ARP_QUEUE_TOTAL of packets waiting for ARP, NET_REASM_MEM_MAX of
 * fragments and, per bound UDP port, NET_UDP_RCVBUF of datagrams.
 */
#ifndef PITH_NET_PARAM_H
#define PITH_NET_PARAM_H

#define NET_NS_PER_SEC 1000000000ull

/* Ethernet */
#define NET_MTU_DEFAULT 1500
#define NET_MTU_MIN	68 /* RFC 791: every host must take 68 bytes whole */
#define NET_MTU_MAX	9000

/* Room left in front of a packet built for output: Ethernet (14), an
 * IPv4 header with the longest options (60), and a transport header. */
#define NET_HEADROOM 128

/* Loopback: datagrams to local addresses wait in one queue until
 * net_tick, which delivers at most a budget of them per call. */
#define NET_LOOP_QUEUE_BYTES (4 * 1024 * 1024)
#define NET_LOOP_BUDGET	     512

/* ARP (RFC 826, timers as Linux's defaults) */
#define NET_ARP_ENTRIES	    32			  /* cache slots */
#define NET_ARP_TTL_NS	    (60 * NET_NS_PER_SEC) /* a learnt address lives this long */
#define NET_ARP_REFRESH_NS  (5 * NET_NS_PER_SEC)  /* used this close to expiry: ask again */
#define NET_ARP_RETRY_NS    (1 * NET_NS_PER_SEC)  /* first retry; doubles each time */
#define NET_ARP_REQUESTS    3			  /* requests sent before giving up */
#define NET_ARP_QUEUE_BYTES (96 * 1024)		  /* packets waiting for one address */
#define NET_ARP_QUEUE_TOTAL (256 * 1024)	  /* ... and for all of them */

/* IPv4 */
#define NET_IP_TTL	     64
#define NET_REASM_SLOTS	     16			    /* datagrams reassembled at once */
#define NET_REASM_MEM_MAX    (256 * 1024)	    /* bytes held in fragments, overhead included */
#define NET_REASM_TIMEOUT_NS (30 * NET_NS_PER_SEC)  /* default; net_config can change it */
#define NET_PMTU_ENTRIES     16			    /* destinations with a smaller path MTU */
#define NET_PMTU_TTL_NS	     (600 * NET_NS_PER_SEC) /* RFC 1191: forget after 10 minutes */
#define NET_PMTU_MIN	     552 /* floor for a learnt path MTU, as Linux's min_pmtu */

/* ICMP errors we send: a token bucket shared by all destinations. */
#define NET_ICMP_ERR_PER_SEC 100
#define NET_ICMP_ERR_BURST   10
#define NET_ICMP_ERR_MAX_LEN 576 /* RFC 1812 4.3.2.3: quote no more than fits in 576 */

/* DHCP client (RFC 2131 4.1, 4.4.5) */
#define NET_DHCP_RETRY_NS      (4 * NET_NS_PER_SEC)  /* first retransmission; doubles */
#define NET_DHCP_RETRY_MAX_NS  (64 * NET_NS_PER_SEC) /* ... up to this */
#define NET_DHCP_JITTER_NS     (1 * NET_NS_PER_SEC)  /* each delay moves by -1..+1 s */
#define NET_DHCP_REQUEST_TRIES 4		     /* REQUESTs before INIT again */
#define NET_DHCP_RENEW_MIN_NS  (60 * NET_NS_PER_SEC) /* RENEWING/REBINDING retry floor */
#define NET_DHCP_LEASE_MIN_S   10 /* shorter leases are refused: a renewal storm */

/* UDP */
#define NET_UDP_PCBS	       16
#define NET_UDP_RCVBUF	       (128 * 1024) /* bytes queued per bound port */
#define NET_UDP_RXQ_LEN	       64	    /* datagrams queued per bound port */
#define NET_UDP_EPHEMERAL_LOW  49152	    /* RFC 6335 dynamic ports */
#define NET_UDP_EPHEMERAL_HIGH 65535

/* TCP (RFC 9293). Every connection holds at most its send and receive
 * buffers (sizes set per connection within the bounds below) and its
 * pcb; all of TCP together at most NET_TCP_MEM_MAX (net_config can lower
 * it), past which new connections are refused. */
#define NET_TCP_MEM_MAX (16 * 1024 * 1024) /* pcbs, buffers and SYN queues */
/* At the program's exit, connections it closed keep sending what they
 * hold (as Linux's do after the process) for at most this long. */
#define NET_TCP_EXIT_LINGER_NS	  (5 * NET_NS_PER_SEC)
#define NET_TCP_SNDBUF		  (64 * 1024) /* default send buffer */
#define NET_TCP_RCVBUF		  (64 * 1024) /* default receive buffer */
#define NET_TCP_BUF_MIN		  2048
#define NET_TCP_BUF_MAX		  (4 * 1024 * 1024)
#define NET_TCP_OOO_RANGES	  8   /* holes the receive side tracks; a 9th is dropped */
#define NET_TCP_BACKLOG_MAX	  128 /* accept queue (listen's backlog is clamped here) */
#define NET_TCP_SYNQ_MAX	  256 /* half-open connections per listener */
#define NET_TCP_COOKIE_PERIOD_NS  (64 * NET_NS_PER_SEC) /* SYN cookies: valid 1 to 2 periods */
#define NET_TCP_MSS_DEFAULT	  536 /* RFC 9293 3.7.1: when the peer names none */
#define NET_TCP_MSS_MIN		  88  /* a forged MSS cannot make segments tinier */
#define NET_TCP_RTO_INIT_NS	  (1 * NET_NS_PER_SEC) /* RFC 6298 2.1 */
#define NET_TCP_RTO_MIN_NS	  (200 * 1000000ull)   /* as Linux (RFC 6298 says 1 s) */
#define NET_TCP_RTO_MAX_NS	  (60 * NET_NS_PER_SEC)
#define NET_TCP_SYN_RETRIES	  6  /* SYNs resent before connect fails (as Linux) */
#define NET_TCP_SYNACK_RETRIES	  5  /* SYN-ACKs resent before a half-open entry goes */
#define NET_TCP_RETRIES		  15 /* data retransmissions before the connection fails */
#define NET_TCP_DELACK_NS	  (40 * 1000000ull) /* delayed ACK timer */
#define NET_TCP_PERSIST_MAX_NS	  (60 * NET_NS_PER_SEC)
#define NET_TCP_MSL_NS		  (30 * NET_NS_PER_SEC)	  /* TIME-WAIT lasts 2*MSL (net_config) */
#define NET_TCP_FIN_TIMEOUT_NS	  (60 * NET_NS_PER_SEC)	  /* closed, in FIN-WAIT-2 */
#define NET_TCP_KEEPIDLE_NS	  (7200 * NET_NS_PER_SEC) /* RFC 1122 4.2.3.6 defaults */
#define NET_TCP_KEEPINTVL_NS	  (75 * NET_NS_PER_SEC)
#define NET_TCP_KEEPCNT		  9
#define NET_TCP_CHALLENGE_BURST	  10 /* RFC 5961 challenge ACKs: a token bucket */
#define NET_TCP_CHALLENGE_PER_SEC 100
#define NET_TCP_EPHEMERAL_LOW	  49152
#define NET_TCP_EPHEMERAL_HIGH	  65535

#endif
