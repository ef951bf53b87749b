/*
 * test_net_loop.c — local delivery: 127.0.0.0/8 and the interface's own
 * address, with and without a device.
 *
 * A stack with no address and no device (the guest before a device is
 * attached) carries UDP and TCP over 127.0.0.1 by itself: datagrams wait
 * in the loopback queue and net_tick delivers them, so no transport call
 * re-enters the stack. 127/8 from the wire is dropped as not ours; the
 * queue has a cap; nothing reaches the device.
 */
#include "check.h"
#include "netutil.h"

static struct netif nif;
static struct dev dev;

/* Deliver until the queue is empty, as the kernel's pump does. */
static void settle(struct netif *n, uint64_t now)
{
	for (int i = 0; i < 1000 && net_tick(n, now) == now; i++)
		;
}

static void loopback_only(void)
{
	struct net_config cfg = { .transmit = dev_transmit, .dev = &dev };
	static uint8_t data[60000], got[65536];
	struct udp_pcb *a, *b;
	struct tcp_pcb *lis, *cli, *srv = NULL;
	uint32_t src;
	uint16_t sport;
	size_t full;
	long n;

	cfg.mac[0] = 0x02;
	CHECK("net/loop/init", net_init(&nif, &cfg, T0) == 0 && dev.n == 0);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);

	/* UDP */
	a = udp_open(&nif);
	b = udp_open(&nif);
	CHECK("net/loop/udp-bind-127", udp_bind(a, NET_IP(127, 0, 0, 1), 5000) == 0);
	CHECK("net/loop/udp-bind-127-other", udp_bind(b, NET_IP(127, 1, 2, 3), 5001) == 0);
	CHECK("net/loop/udp-bind-foreign",
	      udp_bind(udp_open(&nif), NET_IP(10, 0, 0, 1), 5002) == -NET_EADDRNOTAVAIL);
	CHECK("net/loop/udp-send", udp_sendto(a, data, sizeof(data), NET_IP(127, 1, 2, 3), 5001, 0,
					      T0) == (long)sizeof(data));
	CHECK("net/loop/udp-deferred", udp_pending(b) == 0 && nif.loop_head);
	CHECK("net/loop/udp-tick-now", net_tick(&nif, T0) == NET_NO_DEADLINE);
	n = udp_recvfrom(b, got, sizeof(got), &src, &sport, &full);
	CHECK("net/loop/udp-datagram",
	      n == (long)sizeof(data) && !memcmp(got, data, sizeof(data)) &&
		      src == NET_IP(127, 0, 0, 1) && sport == 5000 && b->rx_seq == 1);
	CHECK("net/loop/udp-unbound-source",
	      udp_sendto(b, "x", 1, NET_IP(127, 0, 0, 1), 5000, 0, T0) == 1);
	settle(&nif, T0);
	CHECK("net/loop/udp-reply-source",
	      udp_recvfrom(a, got, sizeof(got), &src, &sport, NULL) == 1 &&
		      src == NET_IP(127, 1, 2, 3) && sport == 5001);
	CHECK("net/loop/no-route-off-host",
	      udp_sendto(a, "x", 1, NET_IP(10, 0, 0, 9), 9, 0, T0) == -NET_ENETUNREACH);

	/* TCP: handshake, data both ways, close. */
	lis = tcp_open(&nif);
	cli = tcp_open(&nif);
	CHECK("net/loop/tcp-listen",
	      tcp_bind(lis, NET_IP(127, 0, 0, 1), 80) == 0 && tcp_listen(lis, 4) == 0);
	CHECK("net/loop/tcp-connect",
	      tcp_connect(cli, NET_IP(127, 0, 0, 1), 80, T0) == -NET_EINPROGRESS &&
		      cli->laddr == NET_IP(127, 0, 0, 1));
	settle(&nif, T0);
	CHECK("net/loop/tcp-established",
	      cli->state == TCP_ESTABLISHED && tcp_accept(lis, &srv) == 0 &&
		      srv->state == TCP_ESTABLISHED && srv->raddr == NET_IP(127, 0, 0, 1) &&
		      srv->rport == cli->lport);
	if (!srv)
		return;
	size_t sent = 0, recvd = 0;
	for (int i = 0; i < 10000 && recvd < sizeof(data); i++) {
		if (sent < sizeof(data)) {
			n = tcp_send(cli, data + sent, sizeof(data) - sent, T0);
			if (n > 0)
				sent += (size_t)n;
		}
		settle(&nif, T0);
		n = tcp_recv(srv, got + recvd, sizeof(got) - recvd, 0, T0);
		if (n > 0)
			recvd += (size_t)n;
	}
	CHECK("net/loop/tcp-data", recvd == sizeof(data) && !memcmp(got, data, sizeof(data)));
	tcp_close(cli, T0);
	settle(&nif, T0);
	CHECK("net/loop/tcp-eof", tcp_recv(srv, got, 1, 0, T0) == 0);
	tcp_close(srv, T0);
	settle(&nif, T0);
	/* A closed port answers with a reset: ECONNREFUSED. */
	cli = tcp_open(&nif);
	tcp_connect(cli, NET_IP(127, 0, 0, 1), 81, T0);
	settle(&nif, T0);
	CHECK("net/loop/tcp-refused", cli->state == TCP_CLOSED && tcp_error(cli) == 111);
	tcp_close(cli, T0);
	tcp_close(lis, T0);
	CHECK_U64("net/loop/no-frames-out", dev.n, 0);
	CHECK_U64("net/loop/no-drops", drops(&nif),
		  counter(&nif, "tcp_no_pcb") + counter(&nif, "ip_tx_noroute"));
	net_tick(&nif, T0 + 300 * SEC);
	nif_down(&nif, &dev);
}

static void with_address(void)
{
	struct udp_pcb *a;
	uint8_t f[128], got[16];
	size_t len;

	nif_up(&nif, &dev, 0);
	dev_clear(&dev);
	a = udp_open(&nif);
	udp_bind(a, 0, 7);
	/* Our own address and 127/8 both local, neither to the device. */
	udp_sendto(a, "own", 3, IP_US, 7, 0, T0);
	udp_sendto(a, "lo", 2, NET_IP(127, 0, 0, 1), 7, 0, T0);
	settle(&nif, T0);
	CHECK("net/loop/own-address",
	      udp_recvfrom(a, got, sizeof(got), NULL, NULL, NULL) == 3 && dev.n == 0);
	CHECK("net/loop/127-with-device",
	      udp_recvfrom(a, got, sizeof(got), NULL, NULL, NULL) == 2 && dev.n == 0);
	/* 127.0.0.1 arriving from the wire is not ours. */
	len = put_eth(f, MAC_US, MAC_PEER, 0x0800);
	len += put_ip(f + len,
		      &(struct ipspec){ .src = IP_PEER, .dst = NET_IP(127, 0, 0, 1), .proto = 17 },
		      "\0\7\0\7\0\10\0\0", 8);
	net_input(&nif, f, len, T0);
	CHECK("net/loop/127-from-wire-dropped", counter(&nif, "ip_not_us") == 1);
	/* The queue's cap. */
	static uint8_t big[60000];
	int sent = 0;
	while (udp_sendto(a, big, sizeof(big), NET_IP(127, 0, 0, 1), 9, 0, T0) > 0)
		sent++;
	CHECK("net/loop/queue-cap", counter(&nif, "ip_loop_full") == 1 &&
					    (size_t)sent * sizeof(big) <= NET_LOOP_QUEUE_BYTES &&
					    nif.loop_head);
	nif_down(&nif, &dev);
	CHECK_U64("net/loop/all-freed", net_host_bytes, 0);
}

int main(void)
{
	loopback_only();
	with_address();
	return 0;
}
