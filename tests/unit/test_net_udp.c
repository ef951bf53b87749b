/*
 * test_net_udp.c — net/udp.c: a known-answer datagram both ways (its
 * checksum computed by hand elsewhere), zero and wrong checksums, length
 * checks, the receive queue's bounds, truncation, and the calls a socket
 * layer makes: bind (ports in use, ephemeral ports, addresses), connect
 * (filtering, default peer), sendto, recvfrom, close.
 */
#include "check.h"
#include "netutil.h"

static struct netif nif;
static struct dev dev;
static uint8_t f[70000];

static void expect_drop(const char *name, size_t len, const char *counter_name)
{
	uint64_t before = counter(&nif, counter_name), all = drops(&nif);

	net_input(&nif, f, len, T0);
	CHECKD(name, counter(&nif, counter_name) == before + 1 && drops(&nif) == all + 1,
	       "%s %llu -> %llu, all drops %llu -> %llu", counter_name, (unsigned long long)before,
	       (unsigned long long)counter(&nif, counter_name), (unsigned long long)all,
	       (unsigned long long)drops(&nif));
}

/* 10.0.0.2:40000 -> 10.0.0.1:7 "hello, pith"; the checksum 0x199b was
 * computed with Python, independently of both the stack and netutil.h. */
static const uint8_t KNOWN[] = { 0x9c, 0x40, 0x00, 0x07, 0x00, 0x13, 0x19, 0x9b, 'h', 'e',
				 'l',  'l',  'o',  ',',	 ' ',  'p',  'i',  't',	 'h' };

static size_t frame_udp(const uint8_t *u, size_t len, uint32_t dst)
{
	struct ipspec s = { .src = IP_PEER, .dst = dst, .proto = 17, .id = 5 };

	return frame_ip(f, &s, u, len);
}

static void known_answer(struct udp_pcb *pcb)
{
	uint8_t buf[64], u[64];
	uint32_t src = 0;
	uint16_t port = 0;
	size_t full = 0;
	long n;

	net_input(&nif, f, frame_udp(KNOWN, sizeof(KNOWN), IP_US), T0);
	n = udp_recvfrom(pcb, buf, sizeof(buf), &src, &port, &full);
	CHECK("net/udp/known-answer-received", n == 11 && full == 11 &&
						       !memcmp(buf, "hello, pith", 11) &&
						       src == IP_PEER && port == 40000);
	/* The same words in the other direction sum the same: our datagram
	 * back must carry 0x199b too. */
	learn_peer(&nif, &dev, IP_PEER, MAC_PEER, T0);
	n = udp_sendto(pcb, "hello, pith", 11, IP_PEER, 40000, 0, T0);
	CHECK("net/udp/sendto-returns-length", n == 11);
	memcpy(u, KNOWN + 2, 2);
	memcpy(u + 2, KNOWN, 2);
	memcpy(u + 4, KNOWN + 4, sizeof(KNOWN) - 4);
	CHECK("net/udp/sent-bytes-known-answer",
	      dev.n == 1 && dev.len[0] == 34 + sizeof(KNOWN) &&
		      !memcmp(dev.frame[0] + 34, u, sizeof(KNOWN)) &&
		      ref_csum(dev.frame[0] + 14, 20, 0) == 0 && dev.frame[0][14 + 9] == 17 &&
		      rd32(dev.frame[0] + 26) == IP_US && rd32(dev.frame[0] + 30) == IP_PEER);
	dev_clear(&dev);
}

static void checks(struct udp_pcb *pcb)
{
	uint8_t u[64], buf[64];

	memcpy(u, KNOWN, sizeof(KNOWN));
	u[6] = u[7] = 0;
	net_input(&nif, f, frame_udp(u, sizeof(KNOWN), IP_US), T0);
	CHECK("net/udp/zero-checksum-accepted",
	      udp_recvfrom(pcb, buf, sizeof(buf), NULL, NULL, NULL) == 11);
	memcpy(u, KNOWN, sizeof(KNOWN));
	u[10] ^= 1;
	expect_drop("net/udp/checksum", frame_udp(u, sizeof(KNOWN), IP_US), "udp_checksum");
	memcpy(u, KNOWN, sizeof(KNOWN));
	u[7] ^= 1;
	expect_drop("net/udp/checksum-field", frame_udp(u, sizeof(KNOWN), IP_US), "udp_checksum");
	expect_drop("net/udp/short-7", frame_udp(KNOWN, 7, IP_US), "udp_short");
	memcpy(u, KNOWN, sizeof(KNOWN));
	be16(u + 4, 7);
	expect_drop("net/udp/length-under-8", frame_udp(u, sizeof(KNOWN), IP_US), "udp_short");
	be16(u + 4, sizeof(KNOWN) + 1);
	expect_drop("net/udp/length-past-ip", frame_udp(u, sizeof(KNOWN), IP_US), "udp_short");
	/* A UDP length shorter than the IP payload: the rest is ignored. */
	put_udp(u, IP_PEER, IP_US, 40000, 7, "abc", 3);
	memcpy(u + 11, "TRAILER", 7);
	net_input(&nif, f, frame_udp(u, 18, IP_US), T0);
	CHECK("net/udp/bytes-past-udp-length-ignored",
	      udp_recvfrom(pcb, buf, sizeof(buf), NULL, NULL, NULL) == 3 && !memcmp(buf, "abc", 3));
	CHECK("net/udp/nothing-left",
	      udp_recvfrom(pcb, buf, sizeof(buf), NULL, NULL, NULL) == -NET_EAGAIN);
	CHECK("net/udp/drops-send-nothing", dev.n == 0);
}

static void queue_and_truncation(struct udp_pcb *pcb)
{
	static uint8_t u[65536], buf[65536];
	static uint8_t data[60000];
	size_t full = 0, n;
	int i;

	n = put_udp(u, IP_PEER, IP_US, 1, 7, "0123456789", 10);
	for (i = 0; i < NET_UDP_RXQ_LEN + 3; i++)
		net_input(&nif, f, frame_udp(u, n, IP_US), T0);
	CHECK("net/udp/queue-length-bound",
	      udp_pending(pcb) == NET_UDP_RXQ_LEN && counter(&nif, "udp_rcvbuf") == 3);
	CHECK("net/udp/truncated-read", udp_recvfrom(pcb, buf, 4, NULL, NULL, &full) == 4 &&
						full == 10 && !memcmp(buf, "0123", 4));
	CHECK("net/udp/truncated-datagram-consumed", udp_pending(pcb) == NET_UDP_RXQ_LEN - 1);
	while (udp_recvfrom(pcb, buf, sizeof(buf), NULL, NULL, NULL) > 0)
		;
	n = put_udp(u, IP_PEER, IP_US, 1, 7, data, sizeof(data));
	for (i = 0; i < 3; i++)
		net_input(&nif, f, frame_udp(u, n, IP_US), T0);
	CHECK("net/udp/queue-bytes-bound",
	      udp_pending(pcb) == 2 && counter(&nif, "udp_rcvbuf") == 4);
	CHECK("net/udp/large-datagram-read",
	      udp_recvfrom(pcb, buf, sizeof(buf), NULL, NULL, &full) == (long)sizeof(data) &&
		      full == sizeof(data));
	udp_recvfrom(pcb, buf, sizeof(buf), NULL, NULL, NULL);
	CHECK("net/udp/empty-read", udp_recvfrom(pcb, buf, 1, NULL, NULL, NULL) == -NET_EAGAIN);
	/* A zero-length datagram is a datagram. */
	n = put_udp(u, IP_PEER, IP_US, 1, 7, "", 0);
	net_input(&nif, f, frame_udp(u, n, IP_US), T0);
	CHECK("net/udp/zero-length-datagram",
	      udp_pending(pcb) == 1 && udp_recvfrom(pcb, buf, 10, NULL, NULL, &full) == 0 &&
		      full == 0);
}

static void calls(void)
{
	struct udp_pcb *p1 = udp_open(&nif), *p2 = udp_open(&nif), *p3 = udp_open(&nif);
	uint8_t u[64], buf[64];
	size_t n;
	uint16_t e1, e2;

	CHECK("net/udp/bind-port-in-use", udp_bind(p1, 0, 7) == -NET_EADDRINUSE);
	CHECK("net/udp/bind-other-address", udp_bind(p1, IP_PEER, 53) == -NET_EADDRNOTAVAIL);
	CHECK("net/udp/bind-our-address", udp_bind(p1, IP_US, 53) == 0);
	CHECK("net/udp/bind-twice", udp_bind(p1, 0, 54) == -NET_EINVAL);
	CHECK("net/udp/ephemeral", udp_bind(p2, 0, 0) == 0 && udp_bind(p3, 0, 0) == 0);
	e1 = p2->local_port;
	e2 = p3->local_port;
	CHECK("net/udp/ephemeral-range-and-distinct",
	      e1 >= NET_UDP_EPHEMERAL_LOW && e2 >= NET_UDP_EPHEMERAL_LOW && e1 != e2);
	/* Bound to our address: no broadcasts (as on Linux). */
	n = put_udp(u, IP_PEER, NET_IP(10, 0, 0, 255), 5, 53, "b", 1);
	expect_drop("net/udp/specific-bind-skips-broadcast", frame_udp(u, n, NET_IP(10, 0, 0, 255)),
		    "udp_no_port");
	n = put_udp(u, IP_PEER, IP_US, 5, 53, "u", 1);
	net_input(&nif, f, frame_udp(u, n, IP_US), T0);
	CHECK_U64("net/udp/specific-bind-gets-unicast", udp_pending(p1), 1);
	dev_clear(&dev);

	/* Connected: only the peer's datagrams; sendto(0, 0) goes there. */
	CHECK("net/udp/sendto-unconnected-needs-address",
	      udp_sendto(p2, "x", 1, 0, 0, 0, T0) == -NET_EDESTADDRREQ);
	CHECK("net/udp/sendto-port-0", udp_sendto(p2, "x", 1, IP_PEER, 0, 0, T0) == -NET_EINVAL);
	CHECK("net/udp/connect", udp_connect(p2, IP_PEER, 4000) == 0);
	n = put_udp(u, IP_PEER, IP_US, 4001, e1, "no", 2);
	expect_drop("net/udp/connected-filters-port", frame_udp(u, n, IP_US), "udp_no_port");
	n = put_udp(u, IP_PEER, IP_US, 4000, e1, "yes", 3);
	net_input(&nif, f, frame_udp(u, n, IP_US), T0);
	CHECK("net/udp/connected-accepts-peer",
	      udp_recvfrom(p2, buf, sizeof(buf), NULL, NULL, NULL) == 3);
	dev_clear(&dev);
	CHECK("net/udp/send-to-connected-peer",
	      udp_sendto(p2, "hi", 2, 0, 0, 0, T0) == 2 && dev.n == 1 &&
		      rd16(dev.frame[0] + 36) == 4000 && rd16(dev.frame[0] + 34) == e1);
	dev_clear(&dev);
	CHECK("net/udp/disconnect", udp_connect(p2, 0, 0) == 0 && p2->remote_port == 0);
	CHECK("net/udp/connect-port-0", udp_connect(p2, IP_PEER, 0) == -NET_EINVAL);

	/* No route: connect refuses at once, as Linux's does, and leaves the
	 * socket unconnected. */
	uint32_t gw = nif.gateway, us = nif.addr;

	CHECK("net/udp/connect-multicast-unreachable",
	      udp_connect(p2, NET_IP(224, 0, 0, 1), 53) == -NET_ENETUNREACH &&
		      p2->remote_port == 0);
	CHECK("net/udp/connect-off-link-via-gateway",
	      udp_connect(p2, NET_IP(192, 0, 2, 1), 53) == 0);
	udp_connect(p2, 0, 0);
	nif.gateway = 0;
	CHECK("net/udp/connect-off-link-no-gateway",
	      udp_connect(p2, NET_IP(192, 0, 2, 1), 53) == -NET_ENETUNREACH &&
		      p2->remote_port == 0);
	CHECK("net/udp/connect-on-link-no-gateway", udp_connect(p2, IP_PEER, 53) == 0);
	udp_connect(p2, 0, 0);
	nif.addr = 0; /* as before a DHCP lease */
	CHECK("net/udp/connect-no-address-unreachable",
	      udp_connect(p2, IP_PEER, 53) == -NET_ENETUNREACH && p2->remote_port == 0);
	CHECK("net/udp/connect-loopback-no-address",
	      udp_connect(p2, NET_IP(127, 0, 0, 1), 53) == 0);
	udp_connect(p2, 0, 0);
	nif.addr = us;
	nif.gateway = gw;

	/* sendto binds an ephemeral port first. */
	struct udp_pcb *p4 = udp_open(&nif);
	CHECK("net/udp/sendto-autobinds", udp_sendto(p4, "z", 1, IP_PEER, 9, 0, T0) == 1 &&
						  p4->local_port >= NET_UDP_EPHEMERAL_LOW);
	dev_clear(&dev);

	/* A checksum that sums to 0 goes out as 0xffff. */
	uint8_t two[2];
	for (unsigned v = 0; v < 0x10000; v++) {
		uint8_t t[10];

		be16(two, (uint16_t)v);
		put_udp(t, IP_US, IP_PEER, p4->local_port, 9, two, 2);
		be16(t + 6, 0);
		if (ref_csum(t, 10, ref_pseudo(IP_US, IP_PEER, 17, 10)) == 0)
			break;
	}
	udp_sendto(p4, two, 2, IP_PEER, 9, 0, T0);
	CHECK("net/udp/zero-checksum-sent-as-ffff",
	      dev.n == 1 && rd16(dev.frame[0] + 40) == 0xffff);
	dev_clear(&dev);

	/* Closing frees the queue and the port. */
	udp_close(p1);
	CHECK("net/udp/port-free-after-close", udp_bind(p4, 0, 53) == -NET_EINVAL);
	struct udp_pcb *p5 = udp_open(&nif);
	CHECK("net/udp/rebind-after-close", udp_bind(p5, 0, 53) == 0);
	udp_close(p2);
	udp_close(p3);
	udp_close(p4);
	udp_close(p5);
	struct udp_pcb *all[NET_UDP_PCBS];
	size_t got = 0;
	while (got < NET_UDP_PCBS && (all[got] = udp_open(&nif)) != NULL)
		got++;
	CHECK("net/udp/pcb-table-bound", got == NET_UDP_PCBS - 1 && udp_open(&nif) == NULL);
	for (size_t i = 0; i < got; i++)
		udp_close(all[i]);
}

/* Memory runs out: counted, reported, nothing leaks. */
static void no_memory(struct udp_pcb *pcb)
{
	uint8_t u[64];
	size_t n = put_udp(u, IP_PEER, IP_US, 1, 7, "m", 1);

	net_host_fail_after = 0;
	expect_drop("net/udp/no-memory-on-input", frame_udp(u, n, IP_US), "nomem");
	CHECK("net/udp/no-memory-on-send",
	      udp_sendto(pcb, "m", 1, IP_PEER, 9, 0, T0) == -NET_ENOBUFS);
	net_host_fail_after = (size_t)-1;
	CHECK_U64("net/udp/nothing-queued-without-memory", udp_pending(pcb), 0);
}

int main(void)
{
	struct udp_pcb *pcb;

	nif_up(&nif, &dev, 0);
	pcb = udp_open(&nif);
	udp_bind(pcb, 0, 7);
	known_answer(pcb);
	checks(pcb);
	queue_and_truncation(pcb);
	calls();
	no_memory(pcb);
	udp_close(pcb);
	nif_down(&nif, &dev);
	CHECK_U64("net/udp/all-freed", net_host_bytes, 0);
	return 0;
}
