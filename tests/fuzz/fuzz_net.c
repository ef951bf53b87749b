/*
 * fuzz_net.c — the network stack's input path under libFuzzer (make fuzz;
 * tests/fuzz/run.sh).
 *
 * An input is a script for one stack at 10.0.0.1/24 (gateway 10.0.0.254)
 * with a UDP port 7 that echoes what it gets, as a server would:
 *   byte 0          the MTU: 1500, 576, 68 or 9000 (low two bits)
 *   then records    op, ...
 *     op & 0x80     a timer step: the clock moves (op & 0x7f)^2 * 10 ms,
 *                   then net_tick (reaches the 30 s and 60 s timers)
 *     else          a frame: two length bytes (big-endian), then that
 *                   many bytes (fewer at the end of the input). With
 *                   op & 0x40 the harness first fixes the frame's IPv4
 *                   header, ICMP and UDP checksums, so mutations reach
 *                   past the checksum checks.
 * After every step it checks the stack's promises, and aborts (a crash
 * libFuzzer keeps) when one breaks:
 *   - no frame handed to the device is shorter than 14 bytes or longer
 *     than the MTU + 14; an IPv4 frame has a valid header checksum and a
 *     total length that matches the frame; an ARP frame is 42 bytes;
 *   - fragments held stay under NET_REASM_MEM_MAX, packets waiting for
 *     ARP under NET_ARP_QUEUE_TOTAL, and all the stack holds under the
 *     sum of its documented limits;
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

#define MAX_FRAME 70000

/* What the stack may hold between steps: the documented caps, plus the
 * echo port's queue and bookkeeping slack. */
#define MEM_BOUND                                                                          \
	(NET_REASM_MEM_MAX + NET_ARP_QUEUE_TOTAL + NET_UDP_RCVBUF + NET_UDP_RXQ_LEN * 64 + \
	 64 * 1024)

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
	}
}

static void check_bounds(struct netif *nif, uint64_t now, uint64_t next)
{
	if (nif->reasm.mem > NET_REASM_MEM_MAX)
		broken("reassembly memory over its cap", nif->reasm.mem, NET_REASM_MEM_MAX);
	if (nif->arp.queued_bytes > NET_ARP_QUEUE_TOTAL)
		broken("ARP queue over its cap", nif->arp.queued_bytes, NET_ARP_QUEUE_TOTAL);
	if (net_host_bytes > MEM_BOUND)
		broken("stack holds more than its limits allow", net_host_bytes, MEM_BOUND);
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
				  .transmit = transmit };
	uint64_t now = 1000000000000ull, next;
	struct udp_pcb *pcb;
	size_t i = 1;

	if (size < 1)
		return 0;
	cfg.mtu = mtus[data[0] & 3];
	if (net_init(&nif, &cfg, now) != 0)
		broken("net_init refused a good configuration", cfg.mtu, 0);
	pcb = udp_open(&nif);
	udp_bind(pcb, 0, 7);
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
			if (op & 0x40)
				fix_checksums(frame, len);
			net_input(&nif, frame, len, now);
			echo(pcb, now);
		}
		next = net_tick(&nif, now);
		check_bounds(&nif, now, next);
	}
	udp_close(pcb);
	net_shutdown(&nif);
	if (net_host_bytes != 0)
		broken("memory left after net_shutdown", net_host_bytes, 0);
	return 0;
}
