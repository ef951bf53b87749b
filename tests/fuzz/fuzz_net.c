/*
 * fuzz_net.c — the network stack's input path under libFuzzer (make fuzz;
 * tests/fuzz/run.sh).
 *
 * An input is a script for one stack at 10.0.0.1/24 (gateway 10.0.0.254)
 * with a UDP port 7 that echoes what it gets, as a server would, a TCP
 * port 80 that accepts connections and echoes their bytes until the end
 * of stream, and one TCP connection of its own opened at the start to
 * 10.0.0.2:80. Every TCP initial sequence number is 0x10000000, so the
 * fuzzer can find the numbers that complete handshakes:
 *   byte 0          the MTU: 1500, 576, 68 or 9000 (low two bits); with
 *                   bit 2, no address: the DHCP client runs instead
 *   then records    op, ...
 *     op & 0x80     a timer step: the clock moves (op & 0x7f)^2 * 10 ms,
 *                   then net_tick (reaches the 30 s and 60 s timers)
 *     else          a frame: two length bytes (big-endian), then that
 *                   many bytes (fewer at the end of the input). With
 *                   op & 0x40 the harness first fixes the frame's IPv4
 *                   header, ICMP, UDP and TCP checksums, so mutations
 *                   reach past the checksum checks. With op & 0x20 it
 *                   first writes the DHCP client's current xid where a
 *                   reply's would be (IPv4 without options), so replies
 *                   reach every state of the client.
 * After every step it checks the stack's promises, and aborts (a crash
 * libFuzzer keeps) when one breaks:
 *   - no frame handed to the device is shorter than 14 bytes or longer
 *     than the MTU + 14; an IPv4 frame has a valid header checksum and a
 *     total length that matches the frame; an ARP frame is 42 bytes;
 *   - fragments held stay under NET_REASM_MEM_MAX, packets waiting for
 *     ARP under NET_ARP_QUEUE_TOTAL, TCP under its cap (tcp_mem_max),
 *     and all the stack holds under the sum of its documented limits;
 *   - every TCP pcb's rings hold no more than their size, its
 *     out-of-order ranges lie inside its receive window, and snd_una <=
 *     snd_nxt <= snd_max;
 *   - net_tick's next deadline is not in the past;
 *   - after net_shutdown, nothing is left allocated.
 * Seeds (tests/fuzz/corpus-net/) are written by tests/fuzz/mkcorpus-net.py.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/net.h"
#include "../../net/sys_host.h"
#include "../../net/tcp_int.h"

#define MAX_FRAME 70000

/* What the stack may hold between steps: the documented caps, plus the
 * echo port's queue and bookkeeping slack. */
#define TCP_MEM_MAX (512 * 1024)
#define MEM_BOUND                                                                          \
	(NET_REASM_MEM_MAX + NET_ARP_QUEUE_TOTAL + NET_UDP_RCVBUF + NET_UDP_RXQ_LEN * 64 + \
	 TCP_MEM_MAX + 64 * 1024)
#define CONNS 8

static void broken(const char *why, size_t a, size_t b)
{
	fprintf(stderr, "fuzz_net: %s (%zu, %zu)\n", why, a, b);
	abort();
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1071, written again here rather than borrowed from the stack. */
static uint16_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += be16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int transmit(struct netif *nif, const uint8_t *f, size_t len)
{
	if (len < 14 || len > (size_t)nif->mtu + 14)
		broken("frame length outside 14..mtu+14", len, nif->mtu);
	if (be16(f + 12) == 0x0806 && len != 42)
		broken("ARP frame not 42 bytes", len, 42);
	if (be16(f + 12) == 0x0800) {
		size_t hl = (size_t)(f[14] & 0xf) * 4;

		if (len < 34 || f[14] >> 4 != 4 || hl < 20 || 14 + hl > len)
			broken("IPv4 frame with a broken header", len, hl);
		if (sum16(f + 14, hl, 0) != 0)
			broken("IPv4 header checksum wrong on output", len, hl);
		if (be16(f + 16) != len - 14)
			broken("IPv4 total length does not match the frame", be16(f + 16), len);
	}
	return 0;
}

/* Fix the checksums of an IPv4 frame the fuzzer made, where it can. */
static void fix_checksums(uint8_t *f, size_t len)
{
	size_t hl, total;
	uint8_t *l4;
	uint32_t ps;

	if (len < 34 || be16(f + 12) != 0x0800)
		return;
	hl = (size_t)(f[14] & 0xf) * 4;
	total = be16(f + 16);
	if (hl < 20 || total < hl || 14 + total > len)
		return;
	put16(f + 24, 0);
	put16(f + 24, sum16(f + 14, hl, 0));
	if (be16(f + 20) & 0x3fff)
		return; /* a fragment: the checksum covers the whole datagram */
	l4 = f + 14 + hl;
	if (f[23] == 1 && total - hl >= 8) {
		put16(l4 + 2, 0);
		put16(l4 + 2, sum16(l4, total - hl, 0));
	} else if (f[23] == 17 && total - hl >= 8 && be16(l4 + 4) >= 8 &&
		   be16(l4 + 4) <= total - hl) {
		ps = be16(f + 26) + be16(f + 28) + be16(f + 30) + be16(f + 32) + 17 + be16(l4 + 4);
		put16(l4 + 6, 0);
		put16(l4 + 6, sum16(l4, be16(l4 + 4), ps));
	} else if (f[23] == 6 && total - hl >= 20) {
		ps = be16(f + 26) + be16(f + 28) + be16(f + 30) + be16(f + 32) + 6 +
		     (uint32_t)(total - hl);
		put16(l4 + 16, 0);
		put16(l4 + 16, sum16(l4, total - hl, ps));
	}
}

static void check_bounds(struct netif *nif, uint64_t now, uint64_t next)
{
	if (nif->reasm.mem > NET_REASM_MEM_MAX)
		broken("reassembly memory over its cap", nif->reasm.mem, NET_REASM_MEM_MAX);
	if (nif->arp.queued_bytes > NET_ARP_QUEUE_TOTAL)
		broken("ARP queue over its cap", nif->arp.queued_bytes, NET_ARP_QUEUE_TOTAL);
	if (nif->tcp.mem > nif->tcp.mem_max)
		broken("TCP memory over its cap", nif->tcp.mem, nif->tcp.mem_max);
	if (net_host_bytes > MEM_BOUND)
		broken("stack holds more than its limits allow", net_host_bytes, MEM_BOUND);
	for (const struct tcp_pcb *p = nif->tcp.pcbs; p; p = p->next) {
		if (p->snd.len > p->snd.size || p->rcv.len > p->rcv.size)
			broken("TCP ring holds more than its size", p->snd.len, p->rcv.len);
		if (p->state > TCP_SYN_SENT &&
		    (seq_diff(p->snd_nxt, p->snd_una) < 0 || seq_diff(p->snd_max, p->snd_nxt) < 0))
			broken("TCP send sequence out of order", p->snd_nxt - p->snd_una,
			       p->snd_max - p->snd_nxt);
		for (unsigned k = 0; k < p->ooo_n; k++)
			if (seq_diff(p->ooo[k].start, p->rcv_nxt) <= 0 ||
			    seq_diff(p->ooo[k].end, p->rcv_nxt) >
				    (int32_t)(p->rcv.size - p->rcv.len))
				broken("TCP early data outside the window", k, p->ooo_n);
	}
	if (next < now)
		broken("next deadline in the past", (size_t)(now - next), 0);
}

/* The echo server: everything port 7 got goes back where it came from. */
static void echo(struct udp_pcb *pcb, uint64_t now)
{
	static uint8_t buf[65536];
	uint32_t src;
	uint16_t port;
	long n;

	while ((n = udp_recvfrom(pcb, buf, sizeof(buf), &src, &port, NULL)) >= 0)
		udp_sendto(pcb, buf, (size_t)n, src, port, 0, now);
}

static uint32_t fixed_isn(struct netif *nif, uint32_t laddr, uint16_t lport, uint32_t raddr,
			  uint16_t rport, uint64_t now)
{
	(void)nif, (void)laddr, (void)lport, (void)raddr, (void)rport, (void)now;
	return 0x10000000u;
}

/* The TCP server: accept, echo, close at the end of stream. */
static void tcp_serve(struct tcp_pcb *lis, struct tcp_pcb *conns[CONNS], uint64_t now)
{
	static uint8_t buf[4096];
	struct tcp_pcb *pcb;

	while (tcp_accept(lis, &pcb) == 0) {
		int k = 0;

		while (k < CONNS && conns[k])
			k++;
		if (k == CONNS) {
			tcp_abort(pcb, now);
			continue;
		}
		conns[k] = pcb;
	}
	for (int k = 0; k < CONNS; k++) {
		long n;

		if (!conns[k])
			continue;
		while ((n = tcp_recv(conns[k], buf, sizeof(buf), 0, now)) > 0)
			tcp_send(conns[k], buf, (size_t)n, now);
		if (n == 0 || (n < 0 && n != -NET_EAGAIN)) {
			tcp_close(conns[k], now);
			conns[k] = NULL;
		}
	}
}

#define DHCP_XID_OFF (14 + 20 + 8 + 4)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t mtus[] = { 1500, 576, 68, 9000 };
	static uint8_t frame[MAX_FRAME];
	static struct netif nif;
	struct net_config cfg = { .mac = { 0x02, 0, 0, 0, 0, 1 },
				  .addr = 0x0a000001,
				  .prefix_len = 24,
				  .gateway = 0x0a0000fe,
				  .seed = 42,
				  .tcp_msl_ns = 5000000000ull,
				  .tcp_mem_max = TCP_MEM_MAX,
				  .transmit = transmit };
	struct tcp_pcb *lis, *client, *conns[CONNS] = { 0 };
	uint64_t now = 1000000000000ull, next;
	struct udp_pcb *pcb;
	size_t i = 1;

	if (size < 1)
		return 0;
	cfg.mtu = mtus[data[0] & 3];
	if (data[0] & 4) { /* no address: the DHCP client runs */
		cfg.addr = cfg.gateway = 0;
		cfg.prefix_len = 0;
		cfg.dhcp = true;
	}
	net_host_random_seed = 1; /* the same keys for the same input */
	if (net_init(&nif, &cfg, now) != 0)
		broken("net_init refused a good configuration", cfg.mtu, 0);
	nif.tcp.isn = fixed_isn;
	pcb = udp_open(&nif);
	udp_bind(pcb, 0, 7);
	lis = tcp_open(&nif);
	tcp_bind(lis, 0, 80);
	tcp_listen(lis, 4);
	client = tcp_open(&nif);
	tcp_bind(client, 0, 40000);
	tcp_connect(client, 0x0a000002, 80, now);
	tcp_send(client, "GET / HTTP/1.0\r\n\r\n", 18, now);
	while (i < size) {
		uint8_t op = data[i++];

		if (op & 0x80) {
			uint64_t step = (uint64_t)(op & 0x7f) * (op & 0x7f) * 10000000ull;

			now += step;
		} else {
			size_t len;

			if (i + 2 > size)
				break;
			len = be16(data + i);
			i += 2;
			if (len > size - i)
				len = size - i;
			memcpy(frame, data + i, len);
			i += len;
			/* DHCP: the client's current xid into a reply (IPv4
			 * without options), so mutations reach every state. */
			if ((op & 0x20) && len >= DHCP_XID_OFF + 4)
				memcpy(frame + DHCP_XID_OFF,
				       (uint8_t[4]){ nif.dhcp.xid >> 24, nif.dhcp.xid >> 16,
						     nif.dhcp.xid >> 8, nif.dhcp.xid },
				       4);
			if (op & 0x40)
				fix_checksums(frame, len);
			net_input(&nif, frame, len, now);
			echo(pcb, now);
			tcp_serve(lis, conns, now);
			if (client && tcp_recv(client, frame, 1, 0, now) == 0) {
				tcp_close(client, now);
				client = NULL;
			}
		}
		next = net_tick(&nif, now);
		check_bounds(&nif, now, next);
	}
	udp_close(pcb);
	for (int k = 0; k < CONNS; k++)
		if (conns[k])
			tcp_close(conns[k], now);
	if (client)
		tcp_close(client, now);
	tcp_close(lis, now);
	net_shutdown(&nif);
	if (net_host_bytes != 0)
		broken("memory left after net_shutdown", net_host_bytes, 0);
	return 0;
}
