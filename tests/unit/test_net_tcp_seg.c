/*
 * test_net_tcp_seg.c — TCP input one hand-built segment at a time, each
 * check asserting that exactly the expected drop counter moved (and what
 * the stack answered): header checks, resets for closed ports, the
 * listener (SYN-ACK contents, SYN queue, accept queue, memory cap, a SYN
 * flood answered with SYN cookies: forged, stale and good ones), RFC 5961 (challenge ACKs for in-window RST and SYN, bad ACKs,
 * their rate limit), PAWS, the sequence check, out-of-order data and
 * SACK blocks, data after FIN or after close, SYN-SENT checks; RTO known
 * answers (RFC 6298) and backoff; SipHash known answers; ISNs.
 */
#include "check.h"
#include "tcputil.h"

static struct netif nif;
static struct dev dev;
static uint8_t f[2048];
static uint64_t now = T0;

/* A frame from src:sport to us:dport. */
static size_t seg(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq,
		  uint32_t ack, uint8_t flags, uint16_t wnd, const uint8_t *opt, size_t olen,
		  const void *data, size_t len)
{
	static uint8_t t[1600];
	struct ipspec s = { .src = src, .dst = dst, .proto = 6, .id = 1 };
	size_t n = put_tcp(t, src, dst, sport, dport, seq, ack, flags, wnd, opt, olen, data, len);

	return frame_ip(f, &s, t, n);
}

static void expect_drop(const char *name, size_t len, const char *counter_name)
{
	uint64_t before = counter(&nif, counter_name), all = drops(&nif);

	net_input(&nif, f, len, now);
	CHECKD(name, counter(&nif, counter_name) == before + 1 && drops(&nif) == all + 1,
	       "%s %llu -> %llu, all drops %llu -> %llu", counter_name, (unsigned long long)before,
	       (unsigned long long)counter(&nif, counter_name), (unsigned long long)all,
	       (unsigned long long)drops(&nif));
}

/* The last segment we sent, parsed; false if none. */
static bool sent(struct tseg *s)
{
	return dev.n && get_tcp(dev.frame[dev.n - 1], dev.len[dev.n - 1], s);
}

/* SYN options: MSS 1460, SACK-permitted, timestamps (tsval), WS 7. */
static size_t syn_opts(uint8_t *o, uint32_t tsval)
{
	static const uint8_t tmpl[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
					  0, 0, 0,    0,    0, 0, 1, 3,	 3, 7 };

	memcpy(o, tmpl, 20);
	be32(o + 8, tsval);
	return 20;
}

static size_t ts_opt(uint8_t *o, uint32_t tsval, uint32_t tsecr)
{
	o[0] = 1;
	o[1] = 1;
	o[2] = 8;
	o[3] = 10;
	be32(o + 4, tsval);
	be32(o + 8, tsecr);
	return 12;
}

/* The peer's side of a connection it opened to us. */
struct peer {
	uint16_t sport, dport;
	uint32_t snd_nxt, rcv_nxt, tsval, our_ts;
	struct tcp_pcb *pcb;
};

static size_t peer_seg(struct peer *p, uint8_t flags, const void *data, size_t len)
{
	uint8_t o[12];

	return seg(IP_PEER, IP_US, p->sport, p->dport, p->snd_nxt, p->rcv_nxt, flags, 2000, o,
		   ts_opt(o, p->tsval, p->our_ts), data, len);
}

/* Handshake from IP_PEER:sport to our listener lis; the connection is
 * accepted. */
static bool peer_connect(struct peer *p, struct tcp_pcb *lis, uint16_t sport, uint32_t isn)
{
	uint8_t o[20];
	struct tseg s;

	memset(p, 0, sizeof(*p));
	p->sport = sport;
	p->dport = lis->lport;
	p->tsval = 1000;
	dev_clear(&dev);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, sport, p->dport, isn, 0, TCP_SYN, 65535, o,
		      syn_opts(o, p->tsval), NULL, 0),
		  now);
	if (!sent(&s) || s.flags != (TCP_SYN | TCP_ACK))
		return false;
	p->snd_nxt = isn + 1;
	p->rcv_nxt = s.seq + 1;
	p->our_ts = s.tsval;
	dev_clear(&dev);
	net_input(&nif, f, peer_seg(p, TCP_ACK, NULL, 0), now);
	return tcp_accept(lis, &p->pcb) == 0;
}

static void header_checks(void)
{
	uint8_t t[64], o[8];
	struct ipspec s = { .src = IP_PEER, .dst = IP_US, .proto = 6, .id = 1 };
	size_t n;

	n = put_tcp(t, IP_PEER, IP_US, 1000, 80, 1, 0, TCP_SYN, 100, NULL, 0, NULL, 0);
	expect_drop("net/tcp/seg/short-19", frame_ip(f, &s, t, 19), "tcp_short");
	t[12] = 4 << 4; /* 16-byte header */
	expect_drop("net/tcp/seg/data-offset-under-20", frame_ip(f, &s, t, 20), "tcp_hlen");
	n = put_tcp(t, IP_PEER, IP_US, 1000, 80, 1, 0, TCP_SYN, 100, NULL, 0, "0123456789", 10);
	t[12] = 15 << 4; /* 60-byte header in a 30-byte segment */
	expect_drop("net/tcp/seg/data-offset-past-segment", frame_ip(f, &s, t, n), "tcp_hlen");
	n = put_tcp(t, IP_PEER, IP_US, 1000, 80, 1, 0, TCP_SYN, 100, NULL, 0, "x", 1);
	t[20] ^= 0x40;
	expect_drop("net/tcp/seg/checksum", frame_ip(f, &s, t, n), "tcp_checksum");
	expect_drop(
		"net/tcp/seg/broadcast",
		seg(IP_PEER, NET_IP(10, 0, 0, 255), 1000, 80, 1, 0, TCP_SYN, 100, NULL, 0, NULL, 0),
		"tcp_bcast");
	o[0] = 2; /* MSS with length 1 */
	o[1] = 1;
	o[2] = o[3] = 0;
	expect_drop("net/tcp/seg/option-length-under-2",
		    seg(IP_PEER, IP_US, 1000, 80, 1, 0, TCP_SYN, 100, o, 4, NULL, 0),
		    "tcp_opt_bad");
	o[0] = 1;
	o[1] = 8; /* timestamps, 10 bytes claimed, 3 left */
	o[2] = 10;
	o[3] = 0;
	expect_drop("net/tcp/seg/option-past-header",
		    seg(IP_PEER, IP_US, 1000, 80, 1, 0, TCP_SYN, 100, o, 4, NULL, 0),
		    "tcp_opt_bad");
	CHECK("net/tcp/seg/header-drops-send-nothing", dev.n == 0);
}

static void closed_port(void)
{
	struct tseg s;

	dev_clear(&dev);
	expect_drop("net/tcp/seg/no-listener-syn",
		    seg(IP_PEER, IP_US, 1000, 81, 5000, 0, TCP_SYN, 100, NULL, 0, "ab", 2),
		    "tcp_no_pcb");
	CHECK("net/tcp/seg/reset-for-syn", sent(&s) && s.flags == (TCP_RST | TCP_ACK) &&
						   s.seq == 0 && s.ack == 5003 && s.sport == 81 &&
						   s.dport == 1000 && s.csum_ok);
	dev_clear(&dev);
	expect_drop("net/tcp/seg/no-listener-ack",
		    seg(IP_PEER, IP_US, 1000, 81, 5000, 777, TCP_ACK, 100, NULL, 0, NULL, 0),
		    "tcp_no_pcb");
	CHECK("net/tcp/seg/reset-for-ack-takes-its-number",
	      sent(&s) && s.flags == TCP_RST && s.seq == 777);
	dev_clear(&dev);
	expect_drop("net/tcp/seg/no-listener-rst",
		    seg(IP_PEER, IP_US, 1000, 81, 5000, 0, TCP_RST, 100, NULL, 0, NULL, 0),
		    "tcp_no_pcb");
	CHECK("net/tcp/seg/no-reset-for-reset", dev.n == 0);
}

static void listener(struct tcp_pcb *lis)
{
	uint8_t o[20];
	struct tseg s;
	struct peer p;

	dev_clear(&dev);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, 2000, 80, 0x1000, 0, TCP_SYN, 65535, o, syn_opts(o, 4242),
		      NULL, 0),
		  now);
	CHECK("net/tcp/seg/synack", sent(&s) && s.flags == (TCP_SYN | TCP_ACK) && s.ack == 0x1001 &&
					    s.csum_ok && s.has_mss && s.mss == 1460 && s.sack_ok &&
					    s.has_ws && s.ws == tcp_wscale_for(NET_TCP_RCVBUF) &&
					    s.has_ts && s.tsecr == 4242 && s.wnd == 65535);
	CHECK_U64("net/tcp/seg/synq-holds-one", lis->synq_len, 1);
	/* A SYN without options gets a SYN-ACK with MSS only. */
	dev_clear(&dev);
	net_input(&nif, f, seg(IP_PEER, IP_US, 2001, 80, 9, 0, TCP_SYN, 100, NULL, 0, NULL, 0),
		  now);
	CHECK("net/tcp/seg/synack-mirrors-options",
	      sent(&s) && s.has_mss && !s.has_ws && !s.sack_ok && !s.has_ts && s.hl == 24);
	/* The same SYN again: the same SYN-ACK, no new entry. */
	dev_clear(&dev);
	net_input(&nif, f, seg(IP_PEER, IP_US, 2001, 80, 9, 0, TCP_SYN, 100, NULL, 0, NULL, 0),
		  now);
	CHECK("net/tcp/seg/syn-again-synack-again", sent(&s) && lis->synq_len == 2);
	/* A reset for our SYN-ACK removes the half-open entry. */
	net_input(&nif, f, seg(IP_PEER, IP_US, 2001, 80, 10, 0, TCP_RST, 0, NULL, 0, NULL, 0), now);
	CHECK_U64("net/tcp/seg/rst-clears-half-open", lis->synq_len, 1);

	dev_clear(&dev);
	expect_drop("net/tcp/seg/listener-rst",
		    seg(IP_PEER, IP_US, 3000, 80, 1, 0, TCP_RST, 0, NULL, 0, NULL, 0),
		    "tcp_listen_drop");
	expect_drop("net/tcp/seg/listener-no-syn",
		    seg(IP_PEER, IP_US, 3000, 80, 1, 0, TCP_FIN, 0, NULL, 0, NULL, 0),
		    "tcp_listen_drop");
	CHECK("net/tcp/seg/listener-silent", dev.n == 0);
	expect_drop("net/tcp/seg/listener-ack",
		    seg(IP_PEER, IP_US, 3000, 80, 1, 99, TCP_ACK, 0, NULL, 0, NULL, 0),
		    "tcp_listen_drop");
	CHECK("net/tcp/seg/listener-ack-reset", sent(&s) && s.flags == TCP_RST && s.seq == 99);
	/* The handshake's last ACK with a wrong number: a reset. */
	dev_clear(&dev);
	net_input(&nif, f, seg(IP_PEER, IP_US, 3001, 80, 50, 0, TCP_SYN, 100, NULL, 0, NULL, 0),
		  now);
	sent(&s);
	expect_drop("net/tcp/seg/handshake-bad-ack",
		    seg(IP_PEER, IP_US, 3001, 80, 51, s.seq + 7, TCP_ACK, 100, NULL, 0, NULL, 0),
		    "tcp_ack_bad");
	expect_drop("net/tcp/seg/handshake-bad-seq",
		    seg(IP_PEER, IP_US, 3001, 80, 51 + 200000, s.seq + 1, TCP_ACK, 100, NULL, 0,
			NULL, 0),
		    "tcp_seq_bad");

	/* The whole handshake, with data on the last ACK. */
	if (!CHECK("net/tcp/seg/accept", peer_connect(&p, lis, 4000, 0x7000)))
		return;
	CHECK("net/tcp/seg/accepted-established",
	      p.pcb->state == TCP_ESTABLISHED && p.pcb->peer_mss == 1460 && p.pcb->snd_scale == 7 &&
		      (p.pcb->flags & TF_TS_OK) && p.pcb->raddr == IP_PEER && p.pcb->rport == 4000);
	CHECK("net/tcp/seg/accept-queue-empty",
	      tcp_accept(lis, &p.pcb) == -NET_EAGAIN && !(tcp_poll(lis) & TCP_POLL_IN));
	tcp_abort(p.pcb, now);
}

static void rfc5961(struct tcp_pcb *lis)
{
	struct peer p;
	struct tseg s;
	uint8_t o[12];
	uint32_t nxt;

	if (!peer_connect(&p, lis, 5000, 0x20000))
		return;
	nxt = p.pcb->rcv_nxt;
	dev_clear(&dev);
	p.snd_nxt = nxt + 1000000;
	expect_drop("net/tcp/seg/data-beyond-window", peer_seg(&p, TCP_ACK, "zz", 2),
		    "tcp_seq_bad");
	CHECK("net/tcp/seg/beyond-window-acked", sent(&s) && s.flags == TCP_ACK && s.ack == nxt);
	p.snd_nxt = nxt - 10;
	expect_drop("net/tcp/seg/old-duplicate", peer_seg(&p, TCP_ACK, "old", 3), "tcp_seq_bad");
	p.snd_nxt = nxt + 1000000;
	dev_clear(&dev);
	expect_drop("net/tcp/seg/rst-outside-window", peer_seg(&p, TCP_RST, NULL, 0),
		    "tcp_rst_ignored");
	CHECK("net/tcp/seg/rst-outside-silent", dev.n == 0);
	p.snd_nxt = nxt + 100;
	expect_drop("net/tcp/seg/rst-in-window-challenged", peer_seg(&p, TCP_RST, NULL, 0),
		    "tcp_rst_challenge");
	CHECK("net/tcp/seg/challenge-ack",
	      sent(&s) && s.flags == TCP_ACK && s.ack == nxt && p.pcb->state == TCP_ESTABLISHED);
	dev_clear(&dev);
	expect_drop("net/tcp/seg/syn-in-window-challenged", peer_seg(&p, TCP_SYN, NULL, 0),
		    "tcp_syn_challenge");
	CHECK("net/tcp/seg/syn-challenge-ack", sent(&s) && s.flags == TCP_ACK && s.ack == nxt);
	p.snd_nxt = nxt;
	expect_drop("net/tcp/seg/no-ack-flag", peer_seg(&p, 0, "n", 1), "tcp_no_ack");
	p.rcv_nxt += 5000;
	dev_clear(&dev);
	expect_drop("net/tcp/seg/ack-of-unsent", peer_seg(&p, TCP_ACK, NULL, 0), "tcp_ack_bad");
	CHECK("net/tcp/seg/ack-of-unsent-challenged", sent(&s) && s.ack == nxt);
	p.rcv_nxt -= 5000;
	p.tsval = 500; /* older than the 1000 it sent before */
	expect_drop("net/tcp/seg/paws", peer_seg(&p, TCP_ACK, "late", 4), "tcp_paws");
	CHECK_U64("net/tcp/seg/paws-data-not-taken", tcp_readable(p.pcb), 0);
	p.tsval = 1001;
	/* Challenge ACKs are rate limited: the burst, then silence. */
	now += 2 * SEC;
	uint64_t limited = counter(&nif, "tcp_challenge_limited");
	for (int i = 0; i < NET_TCP_CHALLENGE_BURST + 5; i++)
		net_input(&nif, f, peer_seg(&p, TCP_SYN, NULL, 0), now);
	CHECK_U64("net/tcp/seg/challenge-ack-rate-limited",
		  counter(&nif, "tcp_challenge_limited") - limited, 5);
	/* The exact reset ends it. */
	dev_clear(&dev);
	net_input(&nif, f, peer_seg(&p, TCP_RST, NULL, 0), now);
	CHECK("net/tcp/seg/exact-rst-resets",
	      p.pcb->state == TCP_CLOSED && tcp_error(p.pcb) == NET_ECONNRESET && dev.n == 0);
	tcp_close(p.pcb, now);
	(void)o;
}

static void out_of_order(struct tcp_pcb *lis)
{
	struct peer p;
	struct tseg s;
	uint32_t nxt;
	uint8_t buf[64];

	if (!peer_connect(&p, lis, 6000, 0x30000))
		return;
	nxt = p.snd_nxt;
	for (uint32_t k = 1; k <= NET_TCP_OOO_RANGES; k++) {
		p.snd_nxt = nxt + 2 * k;
		dev_clear(&dev);
		net_input(&nif, f, peer_seg(&p, TCP_ACK, "abcdefghijklmnopq" + 2 * k, 1), now);
		if (k == 1)
			CHECK("net/tcp/seg/ooo-dupack-with-sack",
			      sent(&s) && s.ack == nxt && s.nsack == 1 && s.sack[0][0] == nxt + 2 &&
				      s.sack[0][1] == nxt + 3);
		if (k == 3)
			CHECK("net/tcp/seg/sack-latest-first",
			      sent(&s) && s.nsack == 3 && s.sack[0][0] == nxt + 6 &&
				      s.sack[1][0] == nxt + 2 && s.sack[2][0] == nxt + 4);
	}
	p.snd_nxt = nxt + 2 * (NET_TCP_OOO_RANGES + 1);
	expect_drop("net/tcp/seg/ooo-ranges-full", peer_seg(&p, TCP_ACK, "x", 1), "tcp_ooo_full");
	/* Fill the holes from the left: each joins what follows. */
	for (uint32_t k = 0; k < NET_TCP_OOO_RANGES; k++) {
		p.snd_nxt = nxt + 2 * k + (k ? 1 : 0);
		if (k == 0) {
			net_input(&nif, f, peer_seg(&p, TCP_ACK, "ab", 2), now);
			continue;
		}
		net_input(&nif, f, peer_seg(&p, TCP_ACK, "abcdefghijklmnopqr" + 2 * k + 1, 1), now);
	}
	CHECK("net/tcp/seg/holes-filled-in-order",
	      p.pcb->ooo_n == 0 && tcp_recv(p.pcb, buf, sizeof(buf), 0, now) == 17 &&
		      !memcmp(buf, "abcdefghijklmnopq", 17));
	/* FIN, then data after it. */
	p.snd_nxt = nxt + 17;
	net_input(&nif, f, peer_seg(&p, TCP_ACK | TCP_FIN, NULL, 0), now);
	CHECK("net/tcp/seg/fin-close-wait",
	      p.pcb->state == TCP_CLOSE_WAIT && tcp_recv(p.pcb, buf, 1, 0, now) == 0);
	p.snd_nxt++;
	expect_drop("net/tcp/seg/data-after-fin", peer_seg(&p, TCP_ACK, "late", 4),
		    "tcp_data_after_fin");
	tcp_close(p.pcb, now);
	CHECK("net/tcp/seg/close-after-fin-last-ack", p.pcb->state == TCP_LAST_ACK);
	p.rcv_nxt++;
	net_input(&nif, f, peer_seg(&p, TCP_ACK, NULL, 0), now);
	CHECK("net/tcp/seg/last-ack-frees", nif.tcp.count == 1);

	/* Data for a connection the program closed: a reset. */
	if (!peer_connect(&p, lis, 6001, 0x40000))
		return;
	tcp_close(p.pcb, now);
	CHECK("net/tcp/seg/closed-fin-wait-1", p.pcb->state == TCP_FIN_WAIT_1);
	dev_clear(&dev);
	expect_drop("net/tcp/seg/data-after-close", peer_seg(&p, TCP_ACK, "hey", 3),
		    "tcp_data_closed");
	CHECK("net/tcp/seg/data-after-close-reset",
	      sent(&s) && (s.flags & TCP_RST) && nif.tcp.count == 1);
}

static void syn_sent(void)
{
	struct tcp_pcb *pcb = tcp_open(&nif);
	struct tseg s, syn;
	uint8_t o[20];

	dev_clear(&dev);
	tcp_connect(pcb, IP_PEER, 90, now);
	if (!CHECK("net/tcp/seg/syn-sent", sent(&syn) && syn.flags == TCP_SYN && syn.has_mss &&
						   syn.has_ws && syn.sack_ok && syn.has_ts))
		return;
	dev_clear(&dev);
	expect_drop("net/tcp/seg/syn-sent-bad-ack",
		    seg(IP_PEER, IP_US, 90, syn.sport, 1, syn.seq + 5, TCP_SYN | TCP_ACK, 100, NULL,
			0, NULL, 0),
		    "tcp_synsent_bad");
	CHECK("net/tcp/seg/syn-sent-bad-ack-reset",
	      sent(&s) && s.flags == TCP_RST && s.seq == syn.seq + 5);
	expect_drop("net/tcp/seg/syn-sent-rst-without-ack",
		    seg(IP_PEER, IP_US, 90, syn.sport, 1, 0, TCP_RST, 100, NULL, 0, NULL, 0),
		    "tcp_synsent_bad");
	expect_drop(
		"net/tcp/seg/syn-sent-no-syn",
		seg(IP_PEER, IP_US, 90, syn.sport, 1, syn.seq + 1, TCP_ACK, 100, NULL, 0, NULL, 0),
		"tcp_synsent_bad");
	CHECK("net/tcp/seg/syn-sent-still", pcb->state == TCP_SYN_SENT);
	/* A tiny MSS is raised to the floor. */
	syn_opts(o, 77);
	be16(o + 2, 10);
	dev_clear(&dev);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, 90, syn.sport, 0xfffffff0, syn.seq + 1, TCP_SYN | TCP_ACK,
		      1000, o, 20, NULL, 0),
		  now);
	CHECK("net/tcp/seg/syn-sent-established",
	      pcb->state == TCP_ESTABLISHED && pcb->peer_mss == NET_TCP_MSS_MIN &&
		      pcb->snd_wnd == 1000 && sent(&s) && s.flags == TCP_ACK &&
		      s.ack == 0xfffffff1 && s.tsecr == 77);
	tcp_abort(pcb, now);

	/* Simultaneous open, shut down before our SYN is acknowledged: the
	 * FIN waits for that ACK, then leaves. */
	pcb = tcp_open(&nif);
	dev_clear(&dev);
	tcp_connect(pcb, IP_PEER, 91, now);
	sent(&syn);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, 91, syn.sport, 500, 0, TCP_SYN, 1000, NULL, 0, NULL, 0), now);
	CHECK("net/tcp/seg/simultaneous-syn-received", pcb->state == TCP_SYN_RECEIVED && sent(&s) &&
							       s.flags == (TCP_SYN | TCP_ACK) &&
							       s.seq == syn.seq && s.ack == 501);
	tcp_shutdown(pcb, TCP_SHUT_WR, now);
	CHECK("net/tcp/seg/shutdown-in-syn-received-waits", pcb->state == TCP_SYN_RECEIVED);
	dev_clear(&dev);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, 91, syn.sport, 500, syn.seq + 1, TCP_SYN | TCP_ACK, 1000,
		      NULL, 0, NULL, 0),
		  now);
	CHECK("net/tcp/seg/fin-after-synack", pcb->state == TCP_FIN_WAIT_1 && sent(&s) &&
						      (s.flags & TCP_FIN) && s.seq == syn.seq + 1 &&
						      s.ack == 501);
	tcp_abort(pcb, now);
}

static uint64_t net_deadline(void)
{
	return net_tick(&nif, now);
}

static void rto_backoff(struct tcp_pcb *lis)
{
	struct peer p;
	uint64_t t[4] = { 0 }, start;

	if (!peer_connect(&p, lis, 7000, 0x50000))
		return;
	/* The handshake took no time: RTO is the 200 ms floor. */
	CHECK_U64("net/tcp/seg/rto-floor", p.pcb->rtt.rto, NET_TCP_RTO_MIN_NS);
	start = now;
	tcp_send(p.pcb, "data", 4, now);
	/* Other timers (SYN-ACKs of half-open entries) come between. */
	for (int i = 0, guard = 0; i < 4 && guard < 100; guard++) {
		uint64_t before = counter(&nif, "tcp_rto");

		now = net_deadline();
		net_tick(&nif, now);
		if (counter(&nif, "tcp_rto") == before + 1)
			t[i++] = now - start;
	}
	CHECKD("net/tcp/seg/rto-doubles",
	       t[0] == 200 * MS && t[1] == 600 * MS && t[2] == 1400 * MS && t[3] == 3000 * MS,
	       "%llu %llu %llu %llu ms", (unsigned long long)(t[0] / MS),
	       (unsigned long long)(t[1] / MS), (unsigned long long)(t[2] / MS),
	       (unsigned long long)(t[3] / MS));
	tcp_abort(p.pcb, now);
}

/* The listener lis has a full SYN queue: clients get in through SYN
 * cookies, forged and stale cookies are refused. */
/* A SYN from sport (ISN 9) to the listener at port: the cookie answered. */
static uint32_t cookie_syn(uint16_t port, uint16_t sport, const uint8_t *opts, size_t optlen)
{
	struct tseg s;

	dev_clear(&dev);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, sport, port, 9, 0, TCP_SYN, 100, opts, optlen, NULL, 0), now);
	sent(&s);
	return s.seq;
}

/* The handshake's last ACK for that cookie. */
static void cookie_ack(uint16_t port, uint16_t sport, uint32_t cookie)
{
	dev_clear(&dev);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, sport, port, 10, cookie + 1, TCP_ACK, 100, NULL, 0, NULL, 0),
		  now);
}

static void syn_cookies(struct tcp_pcb *lis)
{
	uint8_t o[20];
	struct tseg s;
	struct peer p;
	uint16_t port = lis->lport;
	uint64_t cookies = counter(&nif, "tcp_syncookie_tx");

	/* A client with every option: the SYN-ACK offers the MSS alone. */
	dev_clear(&dev);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, 65001, port, 0x70000, 0, TCP_SYN, 65535, o, syn_opts(o, 7),
		      NULL, 0),
		  now);
	CHECK("net/tcp/seg/cookie-synack",
	      sent(&s) && s.flags == (TCP_SYN | TCP_ACK) && s.ack == 0x70001 &&
		      counter(&nif, "tcp_syncookie_tx") == cookies + 1);
	CHECK("net/tcp/seg/cookie-synack-mss-only",
	      s.has_mss && !s.has_ws && !s.sack_ok && !s.has_ts);
	CHECK_U64("net/tcp/seg/cookie-no-entry", lis->synq_len, NET_TCP_SYNQ_MAX);
	/* The same SYN again: the same cookie (nothing was kept to resend). */
	uint32_t cookie = s.seq;
	dev_clear(&dev);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, 65001, port, 0x70000, 0, TCP_SYN, 65535, o, syn_opts(o, 7),
		      NULL, 0),
		  now);
	CHECK("net/tcp/seg/cookie-repeatable", sent(&s) && s.seq == cookie);

	/* A forged cookie: off by one bit of the hash, or of the MSS index. */
	expect_drop("net/tcp/seg/cookie-forged",
		    seg(IP_PEER, IP_US, 65001, port, 0x70001, (cookie ^ 0x10) + 1, TCP_ACK, 100,
			NULL, 0, NULL, 0),
		    "tcp_syncookie_bad");
	CHECK("net/tcp/seg/cookie-forged-reset", sent(&s) && (s.flags & TCP_RST));
	expect_drop("net/tcp/seg/cookie-wrong-mss",
		    seg(IP_PEER, IP_US, 65001, port, 0x70001, (cookie ^ 0x1000000) + 1, TCP_ACK,
			100, NULL, 0, NULL, 0),
		    "tcp_syncookie_bad");
	/* Its ISN changed: the cookie covers the peer's ISN too. */
	expect_drop("net/tcp/seg/cookie-other-isn",
		    seg(IP_PEER, IP_US, 65001, port, 0x70002, cookie + 1, TCP_ACK, 100, NULL, 0,
			NULL, 0),
		    "tcp_syncookie_bad");
	expect_drop("net/tcp/seg/cookie-other-port",
		    seg(IP_PEER, IP_US, 65002, port, 0x70001, cookie + 1, TCP_ACK, 100, NULL, 0,
			NULL, 0),
		    "tcp_syncookie_bad");

	/* The real ACK, with data: a connection, its data readable. */
	dev_clear(&dev);
	net_input(&nif, f,
		  seg(IP_PEER, IP_US, 65001, port, 0x70001, cookie + 1, TCP_ACK, 1000, NULL, 0,
		      "hello", 5),
		  now);
	struct tcp_pcb *c = NULL;
	char buf[8];
	if (CHECK("net/tcp/seg/cookie-accepted",
		  tcp_accept(lis, &c) == 0 && counter(&nif, "tcp_syncookie_ok") == 1)) {
		CHECK("net/tcp/seg/cookie-conn-state",
		      c->state == TCP_ESTABLISHED && c->iss == cookie && c->irs == 0x70000 &&
			      c->peer_mss == 1460 && !(c->flags & (TF_SACK_OK | TF_TS_OK)) &&
			      c->snd_scale == 0 && c->rcv_scale == 0);
		CHECK("net/tcp/seg/cookie-conn-data",
		      tcp_recv(c, buf, sizeof(buf), 0, now) == 5 && memcmp(buf, "hello", 5) == 0);
		tcp_abort(c, now);
	}
	/* The peer's MSS rounded down to the table; none named: 536. */
	cookie_ack(port, 65003, cookie_syn(port, 65003, (const uint8_t[]){ 2, 4, 5, 0x00 }, 4));
	c = NULL;
	if (CHECK("net/tcp/seg/cookie-mss-rounded",
		  tcp_accept(lis, &c) == 0 && c->peer_mss == 1220))
		tcp_abort(c, now);
	cookie_ack(port, 65004, cookie_syn(port, 65004, NULL, 0));
	c = NULL;
	if (CHECK("net/tcp/seg/cookie-mss-default", tcp_accept(lis, &c) == 0 && c->peer_mss == 536))
		tcp_abort(c, now);

	/* A cookie lives one to two periods. */
	cookie = cookie_syn(port, 65005, NULL, 0);
	now += NET_TCP_COOKIE_PERIOD_NS;
	cookie_ack(port, 65005, cookie);
	c = NULL;
	if (CHECK("net/tcp/seg/cookie-one-period-old", tcp_accept(lis, &c) == 0))
		tcp_abort(c, now);
	cookie = cookie_syn(port, 65006, NULL, 0);
	now += 2 * NET_TCP_COOKIE_PERIOD_NS;
	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, now); /* its ARP entry expired */
	/* (another cookie now, so that ACKs are looked at) */
	net_input(&nif, f, seg(IP_PEER, IP_US, 65008, port, 9, 0, TCP_SYN, 100, NULL, 0, NULL, 0),
		  now);
	expect_drop(
		"net/tcp/seg/cookie-stale",
		seg(IP_PEER, IP_US, 65006, port, 10, cookie + 1, TCP_ACK, 100, NULL, 0, NULL, 0),
		"tcp_syncookie_bad");
	/* A legitimate client of the usual kind still connects. */
	if (CHECK("net/tcp/seg/legitimate-client-after-flood",
		  peer_connect(&p, lis, 65000, 0x60000)))
		tcp_abort(p.pcb, now);
	/* Long after the last cookie, a stray ACK is not looked at as one. */
	now += 2 * NET_TCP_COOKIE_PERIOD_NS;
	uint64_t bad = counter(&nif, "tcp_syncookie_bad");
	expect_drop("net/tcp/seg/no-cookies-lately-stray-ack",
		    seg(IP_PEER, IP_US, 65007, port, 10, 1234, TCP_ACK, 100, NULL, 0, NULL, 0),
		    "tcp_listen_drop");
	CHECK_U64("net/tcp/seg/no-cookies-lately-not-checked", counter(&nif, "tcp_syncookie_bad"),
		  bad);
	dev_clear(&dev);
}

static void queues_and_flood(void)
{
	struct tcp_pcb *lis = tcp_open(&nif);
	struct peer p, q;
	size_t base;
	uint32_t rng = 1;

	tcp_bind(lis, 0, 8080);
	tcp_listen(lis, 1);
	peer_connect(&p, lis, 100, 1000); /* accepted: queue empty again */
	/* Backlog 1: one waits in the queue, the next last ACK is dropped. */
	peer_connect(&q, lis, 101, 2000);
	CHECK_U64("net/tcp/seg/acceptq-one", lis->acceptq_len, 0); /* peer_connect took it */
	{
		uint8_t o[20];
		struct tseg s;
		struct peer r = { .sport = 102, .dport = 8080, .tsval = 1 };

		net_input(&nif, f,
			  seg(IP_PEER, IP_US, 102, 8080, 5, 0, TCP_SYN, 100, o, syn_opts(o, 1),
			      NULL, 0),
			  now);
		sent(&s);
		r.snd_nxt = 6;
		r.rcv_nxt = s.seq + 1;
		r.our_ts = s.tsval;
		net_input(&nif, f, peer_seg(&r, TCP_ACK, NULL, 0), now);
		CHECK_U64("net/tcp/seg/acceptq-holds-backlog", lis->acceptq_len, 1);
		r.sport = 103;
		net_input(&nif, f,
			  seg(IP_PEER, IP_US, 103, 8080, 5, 0, TCP_SYN, 100, o, syn_opts(o, 1),
			      NULL, 0),
			  now);
		sent(&s);
		r.rcv_nxt = s.seq + 1;
		r.our_ts = s.tsval;
		expect_drop("net/tcp/seg/acceptq-full", peer_seg(&r, TCP_ACK, NULL, 0),
			    "tcp_acceptq_full");
		CHECK("net/tcp/seg/acceptq-full-keeps-half-open", lis->synq_len == 1);
	}
	tcp_abort(p.pcb, now);
	tcp_abort(q.pcb, now);
	tcp_close(lis, now);

	/* A SYN flood: thousands of SYNs from random ports. */
	lis = tcp_open(&nif);
	tcp_bind(lis, 0, 8081);
	tcp_listen(lis, 16);
	dev_clear(&dev);
	base = net_host_bytes;
	size_t peak = 0;
	for (int i = 0; i < 5000; i++) {
		rng = rng * 1103515245u + 12345u;
		net_input(&nif, f,
			  seg(IP_PEER, IP_US, (uint16_t)(1024 + (rng >> 8) % 60000), 8081, rng, 0,
			      TCP_SYN, 100, NULL, 0, NULL, 0),
			  now);
		peak = NET_MAX(peak, net_host_bytes);
		dev_clear(&dev);
	}
	CHECK("net/tcp/seg/flood-synq-bounded", lis->synq_len == NET_TCP_SYNQ_MAX);
	CHECKD("net/tcp/seg/flood-answered-with-cookies", counter(&nif, "tcp_syncookie_tx") >= 4500,
	       "cookies %llu", (unsigned long long)counter(&nif, "tcp_syncookie_tx"));
	CHECKD("net/tcp/seg/flood-no-memory-per-syn", peak == base, "base %zu peak %zu", base,
	       peak);
	syn_cookies(lis);
	/* The half-open entries give up after NET_TCP_SYNACK_RETRIES. */
	uint64_t synacks = counter(&nif, "tcp_tx");
	for (int i = 0; i < 200; i++) {
		now += SEC;
		net_tick(&nif, now);
		dev_clear(&dev);
	}
	CHECK("net/tcp/seg/synq-times-out",
	      lis->synq_len == 0 && counter(&nif, "tcp_synq_timeout") == NET_TCP_SYNQ_MAX);
	CHECK_U64("net/tcp/seg/synack-retries", counter(&nif, "tcp_tx") - synacks,
		  NET_TCP_SYNQ_MAX * NET_TCP_SYNACK_RETRIES);
	tcp_close(lis, now);
}

static void memory_cap(void)
{
	struct netif small;
	struct dev sdev;
	struct tcp_pcb *lis, *pcbs[64];
	struct net_config cfg = { .addr = IP_US,
				  .prefix_len = 24,
				  .seed = 1,
				  .transmit = dev_transmit,
				  .dev = &sdev,
				  .tcp_mem_max = sizeof(struct tcp_pcb) * 2 +
						 NET_TCP_SYNQ_MAX * sizeof(struct tcp_syn_entry) +
						 100 };
	uint8_t o[20];
	size_t n = 0;

	memcpy(cfg.mac, MAC_US, 6);
	memset(&sdev, 0, sizeof(sdev));
	net_init(&small, &cfg, now);
	lis = tcp_open(&small);
	tcp_bind(lis, 0, 80);
	CHECK("net/tcp/seg/mem-listener-fits", tcp_listen(lis, 4) == 0);
	learn_peer(&small, &sdev, IP_PEER, MAC_PEER, now);
	net_input(&small, f,
		  seg(IP_PEER, IP_US, 9, 80, 5, 0, TCP_SYN, 100, o, syn_opts(o, 1), NULL, 0), now);
	struct tseg s;
	CHECK("net/tcp/seg/mem-synack",
	      sdev.n && get_tcp(sdev.frame[sdev.n - 1], sdev.len[sdev.n - 1], &s));
	uint64_t before = counter(&small, "tcp_mem_refused"), all = drops(&small);
	net_input(&small, f,
		  seg(IP_PEER, IP_US, 9, 80, 6, s.seq + 1, TCP_ACK, 100, o, ts_opt(o, 2, s.tsval),
		      NULL, 0),
		  now);
	CHECK("net/tcp/seg/mem-cap-refuses-connection",
	      counter(&small, "tcp_mem_refused") == before + 1 && drops(&small) == all + 1 &&
		      lis->acceptq_len == 0 && small.tcp.mem <= small.tcp.mem_max);
	while (n < 64 && (pcbs[n] = tcp_open(&small)) != NULL)
		n++;
	CHECK("net/tcp/seg/mem-cap-refuses-pcbs",
	      n == 1 && tcp_connect(pcbs[0], IP_PEER, 80, now) == -NET_ENOBUFS);
	for (size_t i = 0; i < n; i++)
		tcp_close(pcbs[i], now);
	tcp_close(lis, now);
	CHECK_U64("net/tcp/seg/mem-all-returned", small.tcp.mem, 0);
	nif_down(&small, &sdev);
}

static void known_answers(void)
{
	struct tcp_rtt r = { .rto = NET_TCP_RTO_INIT_NS };
	uint8_t key[16], msg[15];

	/* RFC 6298 2.2 and 2.3 by hand: R = 100 ms, then 200 ms. */
	tcp_rtt_update(&r, 100 * MS, 0, 60 * SEC);
	CHECK("net/tcp/rto/first-sample",
	      r.srtt == 100 * MS && r.rttvar == 50 * MS && r.rto == 300 * MS);
	tcp_rtt_update(&r, 200 * MS, 0, 60 * SEC);
	CHECK("net/tcp/rto/second-sample",
	      r.rttvar == 62500 * 1000 && r.srtt == 112500 * 1000 && r.rto == 362500 * 1000);
	tcp_rtt_update(&r, 112500 * 1000, 0, 60 * SEC);
	CHECK("net/tcp/rto/steady-variance-decays",
	      r.srtt == 112500 * 1000 && r.rttvar == 46875 * 1000);
	struct tcp_rtt z = { 0 };
	tcp_rtt_update(&z, 0, 0, 60 * SEC);
	CHECK_U64("net/tcp/rto/granularity-floor", z.rto, 1 * MS);
	tcp_rtt_update(&z, 0, NET_TCP_RTO_MIN_NS, 60 * SEC);
	CHECK_U64("net/tcp/rto/min-clamp", z.rto, NET_TCP_RTO_MIN_NS);
	struct tcp_rtt big = { 0 };
	tcp_rtt_update(&big, 50 * SEC, 0, 60 * SEC);
	CHECK_U64("net/tcp/rto/max-clamp", big.rto, 60 * SEC);

	/* SipHash-2-4 vectors from its paper: key 00..0f, messages 00..0e. */
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	CHECK("net/tcp/siphash/empty", tcp_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ull);
	CHECK("net/tcp/siphash/15-bytes", tcp_siphash(key, msg, 15) == 0xa129ca6149be45e5ull);

	/* ISNs: one 4-tuple's rise with the clock (4 µs); tuples differ. */
	uint32_t a = tcp_isn_rfc6528(&nif, IP_US, 1000, IP_PEER, 80, T0);
	uint32_t b = tcp_isn_rfc6528(&nif, IP_US, 1000, IP_PEER, 80, T0 + 4000 * 1000);
	uint32_t c = tcp_isn_rfc6528(&nif, IP_US, 1001, IP_PEER, 80, T0);
	CHECK("net/tcp/isn/clock-ticks-4us", b - a == 1000 && c != a);
}

static void buffers(void)
{
	struct tcp_pcb p;
	struct tcp_ring r;
	uint8_t out[8];

	memset(&p, 0, sizeof(p));
	CHECK("net/tcp/ooo/add-disjoint", tcp_ooo_add(&p, 10, 20) && tcp_ooo_add(&p, 30, 40) &&
						  tcp_ooo_add(&p, 0xfffffff0u, 2) && p.ooo_n == 3 &&
						  p.ooo[0].start == 0xfffffff0u);
	CHECK("net/tcp/ooo/merge-bridging", tcp_ooo_add(&p, 18, 31) && p.ooo_n == 2 &&
						    p.ooo[1].start == 10 && p.ooo[1].end == 40);
	p.rcv_nxt = 0xfffffff0u;
	CHECK("net/tcp/ooo/take-across-wrap", tcp_ooo_take(&p) == 18 && p.ooo_n == 1);
	p.rcv_nxt = 12;
	CHECK("net/tcp/ooo/take-partial-overlap", tcp_ooo_take(&p) == 28 && p.ooo_n == 0);
	tcp_ring_alloc(&r, 8);
	CHECK("net/tcp/ring/append-bounded", tcp_ring_append(&r, "0123456789", 10) == 8);
	tcp_ring_consume(&r, 6);
	CHECK("net/tcp/ring/wraps", tcp_ring_append(&r, "abcdef", 6) == 6 && r.len == 8);
	tcp_ring_copy(&r, 0, out, 8);
	CHECK("net/tcp/ring/reads-across-end", !memcmp(out, "67abcdef", 8));
	tcp_ring_free(&r);
}

int main(void)
{
	struct tcp_pcb *lis;

	nif_up(&nif, &dev, 0);
	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, now);
	lis = tcp_open(&nif);
	tcp_bind(lis, 0, 80);
	tcp_listen(lis, 8);
	header_checks();
	closed_port();
	listener(lis);
	rfc5961(lis);
	out_of_order(lis);
	syn_sent();
	rto_backoff(lis);
	tcp_close(lis, now);
	queues_and_flood();
	memory_cap();
	known_answers();
	buffers();
	nif_down(&nif, &dev);
	CHECK_U64("net/tcp/seg/all-freed", net_host_bytes, 0);
	return 0;
}
