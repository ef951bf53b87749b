/*
 * test_net_dhcp.c — net/dhcp.c against hand-built server replies: the
 * DISCOVER's contents, retransmission with backoff and randomisation on
 * the fake clock, OFFER -> REQUEST -> ACK, the lease applied (address,
 * prefix, gateway, DNS, MTU, a gratuitous ARP), renewal at T1, rebinding
 * at T2, expiry, NAK, REQUEST retries giving up, option overload, and
 * every drop reason, each moving exactly its one counter.
 */
#include "check.h"
#include "netutil.h"

#define SERVER	NET_IP(10, 0, 0, 254)
#define OTHER	NET_IP(10, 0, 0, 253)
#define OFFERED IP_US

static struct netif nif;
static struct dev dev;
static uint8_t f[2048];

static void up(void)
{
	struct net_config cfg = { .seed = 99, .transmit = dev_transmit, .dev = &dev, .dhcp = true };

	memcpy(cfg.mac, MAC_US, 6);
	memset(&dev, 0, sizeof(dev));
	if (net_init(&nif, &cfg, T0) != 0) {
		printf("FAIL net/dhcp/init: refused\n");
		exit(1);
	}
}

/* The last frame sent, if it is a DHCP client message: its BOOTP part. */
struct sent {
	const uint8_t *eth, *m;
	size_t len;
	uint32_t src, dst;
};

static uint32_t seen_xid; /* of the last message last_sent() found */

static bool last_sent(struct sent *s)
{
	const uint8_t *p;

	for (size_t i = 0; i < dev.n; i++) { /* an ARP request may follow */
		p = dev.frame[i];
		if (dev.len[i] >= 14 + 20 + 8 + 240 && rd16(p + 12) == 0x0800)
			seen_xid = rd32(p + 42 + 4);
	}
	if (!dev.n)
		return false;
	p = dev.frame[dev.n - 1];
	if (dev.len[dev.n - 1] < 14 + 20 + 8 + 240 || rd16(p + 12) != 0x0800 || p[14 + 9] != 17 ||
	    rd16(p + 34) != 68 || rd16(p + 36) != 67)
		return false;
	s->eth = p;
	s->src = rd32(p + 26);
	s->dst = rd32(p + 30);
	s->m = p + 42;
	s->len = dev.len[dev.n - 1] - 42;
	return true;
}

/* An option of a sent message: its value and length, or NULL. */
static const uint8_t *sent_opt(const struct sent *s, uint8_t code, size_t *len)
{
	for (size_t i = 240; i + 1 < s->len && s->m[i] != 255;) {
		if (s->m[i] == 0) {
			i++;
			continue;
		}
		if (s->m[i] == code) {
			*len = s->m[i + 1];
			return s->m + i + 2;
		}
		i += 2 + s->m[i + 1];
	}
	return NULL;
}

static int sent_type(const struct sent *s)
{
	size_t n;
	const uint8_t *v = sent_opt(s, 53, &n);

	return v && n == 1 ? v[0] : -1;
}

/* The xid of the last message sent (remembered across dev_clear). */
static uint32_t sent_xid(void)
{
	struct sent s;

	last_sent(&s);
	return seen_xid;
}

/* ---- replies --------------------------------------------------------------- */

static uint8_t m[600];
static size_t mlen;

/* A BOOTREPLY for xid offering yiaddr; options follow with opt(). */
static void reply(uint32_t xid, uint32_t yiaddr)
{
	memset(m, 0, sizeof(m));
	m[0] = 2;
	m[1] = 1;
	m[2] = 6;
	be32(m + 4, xid);
	be32(m + 16, yiaddr);
	memcpy(m + 28, MAC_US, 6);
	be32(m + 236, 0x63825363);
	mlen = 240;
}

static void opt(uint8_t code, size_t len, const void *v)
{
	m[mlen++] = code;
	m[mlen++] = (uint8_t)len;
	memcpy(m + mlen, v, len);
	mlen += len;
}

static void opt8(uint8_t code, uint8_t v)
{
	opt(code, 1, &v);
}

static void opt32(uint8_t code, uint32_t v)
{
	uint8_t b[4];

	be32(b, v);
	opt(code, 4, b);
}

static void end(void)
{
	m[mlen++] = 255;
}

/* The usual reply: type, server, lease, mask /24, router, two DNS. */
static void full(uint8_t type, uint32_t xid, uint32_t lease)
{
	uint8_t dns[8];

	be32(dns, NET_IP(10, 0, 0, 53));
	be32(dns + 4, NET_IP(10, 0, 0, 54));
	reply(xid, OFFERED);
	opt8(53, type);
	opt32(54, SERVER);
	opt32(51, lease);
	opt32(1, 0xffffff00u);
	opt32(3, IP_GW);
	opt(6, 8, dns);
	end();
}

/* The reply as a frame from the server: to dst (the offered address, or
 * broadcast), UDP sport -> 68. */
static size_t frame_to(uint32_t src, uint32_t dst, uint16_t sport)
{
	struct ipspec s = { .src = src, .dst = dst, .proto = 17, .id = 1 };
	uint8_t u[700];
	size_t n = put_udp(u, src, dst, sport, 68, m, mlen);
	size_t e = put_eth(f, dst == NET_IP_BROADCAST ? MAC_BCAST : MAC_US, MAC_GW, 0x0800);

	return e + put_ip(f + e, &s, u, n);
}

static void give(uint64_t now)
{
	net_input(&nif, f, frame_to(SERVER, OFFERED, 67), now);
}

static void expect_drop(const char *name, const char *counter_name, uint64_t now)
{
	uint64_t before = counter(&nif, counter_name), all = drops(&nif);
	uint8_t state = nif.dhcp.state;
	size_t sent = dev.n;

	give(now);
	if (drops(&nif) == all + 1 && counter(&nif, counter_name) != before + 1)
		for (size_t i = 0; i < net_stat_count(); i++)
			if (net_stat_kind(i) == NET_STAT_DROP && net_stat_get(&nif.stats, i))
				printf("# %s %llu\n", net_stat_name(i),
				       (unsigned long long)net_stat_get(&nif.stats, i));
	CHECKD(name,
	       counter(&nif, counter_name) == before + 1 && drops(&nif) == all + 1 &&
		       nif.dhcp.state == state && dev.n == sent,
	       "%s %llu -> %llu, all drops %llu -> %llu, state %u -> %u, sent %zu", counter_name,
	       (unsigned long long)before, (unsigned long long)counter(&nif, counter_name),
	       (unsigned long long)all, (unsigned long long)drops(&nif), state, nif.dhcp.state,
	       dev.n - sent);
}

/* ---- the exchange ---------------------------------------------------------- */

static void discover_contents(void)
{
	struct sent s;
	size_t n;
	const uint8_t *v;

	CHECK("net/dhcp/discover-at-once", dev.n == 1 && last_sent(&s));
	if (!last_sent(&s))
		return;
	CHECK("net/dhcp/discover-broadcast",
	      !memcmp(s.eth, MAC_BCAST, 6) && s.src == 0 && s.dst == NET_IP_BROADCAST);
	CHECK("net/dhcp/discover-bootp",
	      s.m[0] == 1 && s.m[1] == 1 && s.m[2] == 6 && !memcmp(s.m + 28, MAC_US, 6) &&
		      rd32(s.m + 236) == 0x63825363 && rd32(s.m + 12) == 0 && s.len >= 300);
	CHECK("net/dhcp/discover-type", sent_type(&s) == 1);
	v = sent_opt(&s, 55, &n);
	CHECK("net/dhcp/discover-asks-params", v && n >= 6 && memchr(v, 1, n) && memchr(v, 3, n) &&
						       memchr(v, 6, n) && memchr(v, 51, n));
	v = sent_opt(&s, 57, &n);
	CHECK("net/dhcp/discover-max-size", v && n == 2 && rd16(v) == 1500 - 28);
	CHECK("net/dhcp/no-address-yet", nif.addr == 0 && nif.dhcp.state == DHCP_SELECTING);
}

/* DISCOVERs again after 4, 8, 16, 32, 64, 64 s, each within +-1 s. */
static void backoff(void)
{
	static const unsigned base[] = { 4, 8, 16, 32, 64, 64 };
	uint64_t at = T0, next = net_tick(&nif, T0);
	uint32_t xid = sent_xid();
	bool ok = true, same = true;

	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		uint64_t d = next - at;

		if (d < (base[i] - 1) * SEC || d > (base[i] + 1) * SEC)
			ok = false;
		dev_clear(&dev);
		net_tick(&nif, next - 1);
		if (dev.n)
			ok = false; /* nothing early */
		at = next;
		next = net_tick(&nif, at);
		if (dev.n != 1 || sent_xid() != xid)
			same = false;
	}
	CHECK("net/dhcp/backoff-4-8-16-32-64-randomised", ok);
	CHECK("net/dhcp/retransmit-same-xid", same);
	dev_clear(&dev);
}

/* OFFER -> REQUEST (naming offer and server) -> ACK -> bound. */
static uint64_t bind_now(uint64_t now, uint32_t lease)
{
	uint32_t xid = sent_xid();
	struct sent s;
	size_t n;
	const uint8_t *v;
	uint32_t gen = nif.dhcp.generation;

	dev_clear(&dev);
	full(2, xid, lease);
	give(now);
	CHECK("net/dhcp/offer-then-request", last_sent(&s) && sent_type(&s) == 3 &&
						     rd32(s.m + 4) == xid &&
						     s.dst == NET_IP_BROADCAST);
	v = sent_opt(&s, 50, &n);
	CHECK("net/dhcp/request-names-address", v && n == 4 && rd32(v) == OFFERED);
	v = sent_opt(&s, 54, &n);
	CHECK("net/dhcp/request-names-server", v && n == 4 && rd32(v) == SERVER);
	CHECK("net/dhcp/requesting-no-address", nif.addr == 0);
	/* A second offer is ignored. */
	expect_drop("net/dhcp/second-offer-ignored", "dhcp_state", now);
	dev_clear(&dev);
	full(5, xid, lease);
	give(now);
	CHECK("net/dhcp/ack-binds", nif.dhcp.state == DHCP_BOUND && nif.addr == OFFERED &&
					    nif.netmask == 0xffffff00u && nif.gateway == IP_GW);
	CHECK("net/dhcp/ack-dns", nif.dhcp.lease.ndns == 2 &&
					  nif.dhcp.lease.dns[0] == NET_IP(10, 0, 0, 53) &&
					  nif.dhcp.lease.dns[1] == NET_IP(10, 0, 0, 54));
	CHECK("net/dhcp/gratuitous-arp", dev.n == 1 && rd16(dev.frame[0] + 12) == 0x0806 &&
						 rd32(dev.frame[0] + 14 + 14) == OFFERED &&
						 rd32(dev.frame[0] + 14 + 24) == OFFERED);
	CHECK("net/dhcp/generation-moves", nif.dhcp.generation != gen);
	learn_peer(&nif, &dev, SERVER, MAC_GW, now); /* for the unicast renewal */
	dev_clear(&dev);
	return now;
}

/* Lease 100 s: T1 50 s, T2 87 s (7/8, whole seconds); RENEWING unicast, REBINDING
 * broadcast, then expiry. */
static void renew_rebind_expire(uint64_t t)
{
	struct sent s;
	uint32_t xid0 = sent_xid(), xid;
	uint64_t next = net_tick(&nif, t);

	CHECK_U64("net/dhcp/t1-half-lease", next, t + 50 * SEC);
	net_tick(&nif, t + 50 * SEC - 1);
	CHECK("net/dhcp/nothing-before-t1", dev.n == 0);
	next = net_tick(&nif, t + 50 * SEC);
	CHECK("net/dhcp/renew-unicast", last_sent(&s) && sent_type(&s) == 3 && s.dst == SERVER &&
						s.src == OFFERED && rd32(s.m + 12) == OFFERED &&
						!sent_opt(&s, 50, &(size_t){ 0 }));
	xid = sent_xid();
	CHECK("net/dhcp/renew-new-xid", xid != xid0 && nif.dhcp.state == DHCP_RENEWING);
	/* Half of 37 s is under the 60 s floor: the next try is T2. */
	CHECK_U64("net/dhcp/renew-retry-at-t2", nif.dhcp.next, t + 87 * SEC);
	dev_clear(&dev);
	next = net_tick(&nif, t + 87 * SEC);
	CHECK("net/dhcp/rebind-broadcast", last_sent(&s) && sent_type(&s) == 3 &&
						   s.dst == NET_IP_BROADCAST && s.src == OFFERED &&
						   rd32(s.m + 12) == OFFERED &&
						   nif.dhcp.state == DHCP_REBINDING);
	CHECK_U64("net/dhcp/rebind-retry-at-end", next, t + 100 * SEC);
	CHECK("net/dhcp/address-kept-until-end", nif.addr == OFFERED);
	dev_clear(&dev);
	net_tick(&nif, t + 100 * SEC);
	CHECK("net/dhcp/expiry-removes-address",
	      nif.addr == 0 && nif.gateway == 0 && counter(&nif, "dhcp_expired") == 1);
	CHECK("net/dhcp/expiry-discovers",
	      last_sent(&s) && sent_type(&s) == 1 && nif.dhcp.state == DHCP_SELECTING);
	dev_clear(&dev);
}

/* A renewal answered: the lease runs from the REQUEST. */
static void renew_answered(uint64_t t)
{
	uint64_t next;

	net_tick(&nif, t + 50 * SEC);
	full(5, sent_xid(), 100);
	dev_clear(&dev);
	give(t + 51 * SEC);
	net_tick(&nif, t + 51 * SEC);
	next = nif.dhcp.next; /* the server's ARP entry has a timer too */
	CHECK("net/dhcp/renewed", nif.dhcp.state == DHCP_BOUND && nif.addr == OFFERED &&
					  counter(&nif, "dhcp_bound") >= 2);
	CHECK_U64("net/dhcp/renewed-t1-from-request", next, t + 100 * SEC);
	CHECK("net/dhcp/renew-same-address-no-arp", dev.n == 0);
}

static void nak(uint64_t t)
{
	struct sent s;
	uint32_t xid;

	/* In RENEWING: the address goes, DISCOVER at once. */
	learn_peer(&nif, &dev, SERVER, MAC_GW, t + 100 * SEC);
	net_tick(&nif, t + 100 * SEC);
	xid = sent_xid();
	dev_clear(&dev);
	reply(xid, 0);
	opt8(53, 6);
	opt32(54, SERVER);
	end();
	give(t + 100 * SEC);
	CHECK("net/dhcp/nak-removes-address", nif.addr == 0 && counter(&nif, "dhcp_nak_rx") == 1);
	CHECK("net/dhcp/nak-restarts", last_sent(&s) && sent_type(&s) == 1 && sent_xid() != xid &&
					       nif.dhcp.state == DHCP_SELECTING);
}

/* Four REQUESTs unanswered: DISCOVER again with a new xid. */
static void request_gives_up(uint64_t t)
{
	uint32_t xid = sent_xid();
	unsigned requests = 0;
	uint64_t next;
	struct sent s;

	full(2, xid, 100);
	dev_clear(&dev);
	give(t);
	requests += dev.n;
	next = net_tick(&nif, t);
	for (int i = 0; i < 3; i++) {
		dev_clear(&dev);
		next = net_tick(&nif, next);
		requests += last_sent(&s) && sent_type(&s) == 3;
	}
	dev_clear(&dev);
	net_tick(&nif, next);
	CHECK("net/dhcp/request-retries-4", requests == 4);
	CHECK("net/dhcp/request-gives-up", last_sent(&s) && sent_type(&s) == 1 &&
						   sent_xid() != xid &&
						   nif.dhcp.state == DHCP_SELECTING);
	dev_clear(&dev);
}

/* Every drop reason, in SELECTING (one OFFER away from REQUESTING). */
static void drops_selecting(uint64_t t)
{
	uint32_t xid = sent_xid();
	uint64_t before;

	reply(xid, OFFERED);
	mlen = 239;
	expect_drop("net/dhcp/drop-short", "dhcp_short", t);
	full(2, xid, 100);
	m[0] = 1;
	expect_drop("net/dhcp/drop-bootrequest", "dhcp_format", t);
	full(2, xid, 100);
	m[2] = 8;
	expect_drop("net/dhcp/drop-hlen", "dhcp_format", t);
	full(2, xid, 100);
	m[239] = 0;
	expect_drop("net/dhcp/drop-cookie", "dhcp_format", t);
	full(2, xid, 100);
	before = counter(&nif, "dhcp_format");
	net_input(&nif, f, frame_to(SERVER, OFFERED, 1067), t);
	CHECK("net/dhcp/drop-not-from-67",
	      counter(&nif, "dhcp_format") == before + 1 && nif.dhcp.state == DHCP_SELECTING);
	full(2, xid + 1, 100);
	expect_drop("net/dhcp/drop-wrong-xid", "dhcp_not_ours", t);
	full(2, xid, 100);
	m[33] ^= 1;
	expect_drop("net/dhcp/drop-wrong-chaddr", "dhcp_not_ours", t);
	/* Options. */
	reply(xid, OFFERED);
	opt8(53, 2);
	m[mlen++] = 54;
	m[mlen++] = 40; /* past the end */
	expect_drop("net/dhcp/drop-option-past-end", "dhcp_options", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt32(54, SERVER);
	opt32(51, 100); /* no END */
	expect_drop("net/dhcp/drop-no-end", "dhcp_options", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	m[mlen++] = 51; /* a code and no length byte */
	expect_drop("net/dhcp/drop-option-no-length", "dhcp_options", t);
	full(2, xid, 100);
	m[240 + 3 + 6 + 6 + 1] = 3; /* the mask's length: 4 -> 3 */
	expect_drop("net/dhcp/drop-mask-length", "dhcp_options", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt32(1, 0xff00ff00u);
	end();
	expect_drop("net/dhcp/drop-mask-not-contiguous", "dhcp_options", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt8(53, 2);
	end();
	expect_drop("net/dhcp/drop-type-twice", "dhcp_options", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt(3, 3, "abc");
	end();
	expect_drop("net/dhcp/drop-router-length", "dhcp_options", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt(26, 2, "\x00\x20"); /* MTU 32 */
	end();
	expect_drop("net/dhcp/drop-mtu-small", "dhcp_options", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt8(52, 4);
	end();
	expect_drop("net/dhcp/drop-overload-value", "dhcp_options", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt8(52, 1);
	end();
	m[108] = 52; /* overload inside the file field */
	m[109] = 1;
	m[110] = 1;
	m[111] = 255;
	expect_drop("net/dhcp/drop-overload-nested", "dhcp_options", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt8(52, 2);
	end(); /* sname is all pad: no END */
	expect_drop("net/dhcp/drop-overload-no-end", "dhcp_options", t);
	/* Types and states. */
	reply(xid, OFFERED);
	opt32(54, SERVER);
	end();
	expect_drop("net/dhcp/drop-no-type", "dhcp_type", t);
	full(3, xid, 100);
	expect_drop("net/dhcp/drop-type-request", "dhcp_type", t);
	full(5, xid, 100);
	expect_drop("net/dhcp/drop-ack-in-selecting", "dhcp_state", t);
	/* Unusable offers. */
	full(2, xid, 100);
	be32(m + 16, 0);
	expect_drop("net/dhcp/drop-yiaddr-zero", "dhcp_bad_lease", t);
	full(2, xid, 100);
	be32(m + 16, NET_IP(224, 0, 0, 1));
	expect_drop("net/dhcp/drop-yiaddr-multicast", "dhcp_bad_lease", t);
	full(2, xid, 100);
	be32(m + 16, NET_IP(10, 0, 0, 255));
	expect_drop("net/dhcp/drop-yiaddr-broadcast", "dhcp_bad_lease", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt32(51, 100);
	end();
	expect_drop("net/dhcp/drop-offer-no-server", "dhcp_bad_lease", t);
	reply(xid, OFFERED);
	opt8(53, 2);
	opt32(54, SERVER);
	end();
	expect_drop("net/dhcp/drop-no-lease-time", "dhcp_bad_lease", t);
	full(2, xid, 5);
	expect_drop("net/dhcp/drop-lease-too-short", "dhcp_bad_lease", t);
	/* Not for the client at all: another port to the offered address. */
	{
		struct ipspec s = { .src = SERVER, .dst = OFFERED, .proto = 17 };
		uint8_t u[64];
		size_t n = put_udp(u, SERVER, OFFERED, 67, 69, "x", 1);

		before = counter(&nif, "ip_not_us");
		net_input(&nif, f, frame_ip(f, &s, u, n), t);
		CHECK("net/dhcp/unaddressed-only-port-68",
		      counter(&nif, "ip_not_us") == before + 1);
	}
	CHECK("net/dhcp/still-selecting", nif.dhcp.state == DHCP_SELECTING && nif.addr == 0);
}

/* In REQUESTING: an ACK or NAK from another server. */
static void drops_requesting(uint64_t t)
{
	uint32_t xid = sent_xid();

	full(2, xid, 100);
	net_input(&nif, f, frame_to(SERVER, NET_IP_BROADCAST, 67), t); /* broadcast, taken */
	CHECK("net/dhcp/broadcast-offer-taken", nif.dhcp.state == DHCP_REQUESTING);
	full(5, xid, 100);
	be32(m + 240 + 3 + 2, OTHER);
	expect_drop("net/dhcp/drop-ack-other-server", "dhcp_server", t);
	reply(xid, 0);
	opt8(53, 6);
	opt32(54, OTHER);
	end();
	expect_drop("net/dhcp/drop-nak-other-server", "dhcp_server", t);
	dev_clear(&dev);
}

/* Overloaded file field, odd T1/T2, an off-link router, an MTU. */
static void odd_lease(uint64_t t)
{
	uint32_t xid = sent_xid();
	uint64_t next;

	full(2, xid, 100);
	give(t);
	reply(xid, OFFERED);
	opt8(53, 5);
	opt8(52, 1);
	opt32(51, 1000);
	opt32(58, 900); /* T1 > T2: both defaulted */
	opt32(59, 800);
	opt32(3, NET_IP(192, 0, 2, 1));
	opt(26, 2, "\x05\xdc"); /* 1500: not lower, kept */
	end();
	m[108] = 1; /* the mask in the file field */
	m[109] = 4;
	be32(m + 110, 0xfffff000u);
	m[114] = 54;
	m[115] = 4;
	be32(m + 116, SERVER);
	m[120] = 255;
	dev_clear(&dev);
	give(t);
	next = net_tick(&nif, t);
	CHECK("net/dhcp/overload-file-read", nif.dhcp.state == DHCP_BOUND &&
						     nif.netmask == 0xfffff000u &&
						     nif.dhcp.lease.server == SERVER);
	CHECK("net/dhcp/router-off-link-ignored", nif.gateway == 0);
	CHECK_U64("net/dhcp/bad-t1-t2-defaulted", next, t + 500 * SEC);
	CHECK("net/dhcp/mtu-kept", nif.mtu == 1500);
	/* Renewed with MTU 1400 and a lease of infinity: lowered, no timer. */
	learn_peer(&nif, &dev, SERVER, MAC_GW, t + 500 * SEC);
	net_tick(&nif, t + 500 * SEC);
	reply(sent_xid(), OFFERED);
	opt8(53, 5);
	opt32(51, DHCP_INFINITE);
	opt(26, 2, "\x05\x78");
	end();
	give(t + 500 * SEC);
	CHECK("net/dhcp/mtu-lowered", nif.mtu == 1400 && nif.netmask == 0xff000000u);
	CHECK_U64("net/dhcp/infinite-no-timer", dhcp_tick(&nif, t + 501 * SEC), NET_NO_DEADLINE);
	full(5, nif.dhcp.xid, 100);
	expect_drop("net/dhcp/drop-ack-while-bound", "dhcp_state", t + 501 * SEC);
}

int main(void)
{
	uint64_t t;

	up();
	sent_xid();
	discover_contents();
	backoff();
	t = T0 + 200 * SEC;
	drops_selecting(t);
	t = bind_now(t, 100);
	renew_rebind_expire(t);
	t += 100 * SEC;
	t = bind_now(t, 100);
	renew_answered(t);
	nak(t);
	t += 200 * SEC;
	request_gives_up(t);
	t += 200 * SEC;
	dev_clear(&dev);
	drops_requesting(t);
	nif_down(&nif, &dev);
	up();
	sent_xid();
	dev_clear(&dev);
	odd_lease(T0);
	nif_down(&nif, &dev);
	CHECK_U64("net/dhcp/all-freed", net_host_bytes, 0);
	return 0;
}
