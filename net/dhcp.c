/*
 * dhcp.c — the DHCP client: messages out, replies checked, the states
 * and their timers (see dhcp.h).
 */
#include "dhcp.h"
#include "bytes.h"
#include "net.h"

/* BOOTP's fixed part (RFC 2131 figure 1), then the magic cookie. */
#define OFF_OP	    0
#define OFF_HTYPE   1
#define OFF_HLEN    2
#define OFF_XID	    4
#define OFF_SECS    8
#define OFF_CIADDR  12
#define OFF_YIADDR  16
#define OFF_CHADDR  28
#define OFF_SNAME   44
#define OFF_FILE    108
#define OFF_COOKIE  236
#define OFF_OPTIONS 240
#define SNAME_LEN   64
#define FILE_LEN    128
#define BOOTP_MIN   300 /* RFC 1542: some relays drop shorter messages */
#define COOKIE	    0x63825363u

#define BOOTREQUEST 1
#define BOOTREPLY   2

/* Message types (option 53). */
#define DHCPDISCOVER 1
#define DHCPOFFER    2
#define DHCPREQUEST  3
#define DHCPACK	     5
#define DHCPNAK	     6

/* Options (RFC 2132). */
#define OPT_PAD	     0
#define OPT_MASK     1
#define OPT_ROUTER   3
#define OPT_DNS	     6
#define OPT_MTU	     26
#define OPT_REQ_ADDR 50
#define OPT_LEASE    51
#define OPT_OVERLOAD 52
#define OPT_TYPE     53
#define OPT_SERVER   54
#define OPT_PARAMS   55
#define OPT_MAX_SIZE 57
#define OPT_T1	     58
#define OPT_T2	     59
#define OPT_END	     255

/* What a reply's options said. Fixed-length options may appear once
 * (seen: one bit each); routers and DNS servers may be split across
 * instances (RFC 3396) and are appended. */
struct opts {
	uint32_t seen;
	uint8_t type, overload;
	uint32_t mask, lease, server, t1, t2, router;
	uint16_t mtu;
	uint32_t dns[DHCP_DNS_MAX];
	uint8_t ndns;
	bool has_router;
};

enum { SEEN_TYPE, SEEN_MASK, SEEN_LEASE, SEEN_SERVER, SEEN_T1, SEEN_T2, SEEN_MTU, SEEN_OVERLOAD };

static bool host_unicast(uint32_t ip)
{
	uint8_t top = (uint8_t)(ip >> 24);

	return top != 0 && top != 127 && top < 224;
}

/* The next delay of a retransmission: base, moved by -1..+1 s. */
static uint64_t jitter(uint64_t base)
{
	uint64_t r;

	net_random(&r, sizeof(r));
	return base - NET_DHCP_JITTER_NS + r % (2 * NET_DHCP_JITTER_NS + 1);
}

static uint32_t new_xid(void)
{
	uint32_t x;

	net_random(&x, sizeof(x));
	return x;
}

/* ---- output -------------------------------------------------------------- */

static size_t put_opt32(uint8_t *p, uint8_t code, uint32_t v)
{
	p[0] = code;
	p[1] = 4;
	put_be32(p + 2, v);
	return 6;
}

/* A DISCOVER or REQUEST as the state says: REQUESTING names the offer
 * and its server; RENEWING and REBINDING carry our address in ciaddr
 * (RFC 2131 4.3.2), RENEWING goes to the server alone. */
static void send_msg(struct netif *nif, uint8_t type, uint64_t now)
{
	static const uint8_t params[] = { OPT_MASK,  OPT_ROUTER, OPT_DNS, OPT_MTU,
					  OPT_LEASE, OPT_SERVER, OPT_T1,  OPT_T2 };
	struct dhcp_client *c = &nif->dhcp;
	bool renew = c->state == DHCP_RENEWING || c->state == DHCP_REBINDING;
	uint32_t src = renew ? c->lease.addr : 0;
	uint32_t dst = c->state == DHCP_RENEWING ? c->lease.server : NET_IP_BROADCAST;
	uint64_t secs = (now - c->started) / NET_NS_PER_SEC;
	struct pbuf *pb = pbuf_alloc(NET_HEADROOM + UDP_HLEN, BOOTP_MIN);
	uint8_t *m, *o;

	if (!pb) {
		nif->stats.nomem++;
		return;
	}
	m = pb->data;
	memset(m, 0, BOOTP_MIN);
	m[OFF_OP] = BOOTREQUEST;
	m[OFF_HTYPE] = 1; /* Ethernet */
	m[OFF_HLEN] = ETH_ALEN;
	put_be32(m + OFF_XID, c->xid);
	put_be16(m + OFF_SECS, (uint16_t)(secs > 0xffff ? 0xffff : secs));
	if (renew)
		put_be32(m + OFF_CIADDR, c->lease.addr);
	memcpy(m + OFF_CHADDR, nif->mac, ETH_ALEN);
	put_be32(m + OFF_COOKIE, COOKIE);
	o = m + OFF_OPTIONS;
	*o++ = OPT_TYPE;
	*o++ = 1;
	*o++ = type;
	if (c->state == DHCP_REQUESTING) {
		o += put_opt32(o, OPT_REQ_ADDR, c->offer.addr);
		o += put_opt32(o, OPT_SERVER, c->offer.server);
	}
	*o++ = OPT_MAX_SIZE; /* what one frame holds: no fragments */
	*o++ = 2;
	put_be16(o, (uint16_t)(c->link_mtu - IP_HLEN - UDP_HLEN));
	o += 2;
	*o++ = OPT_PARAMS;
	*o++ = sizeof(params);
	memcpy(o, params, sizeof(params));
	o += sizeof(params);
	*o = OPT_END; /* the rest is padding, zero */
	nif->stats.dhcp_tx++;
	udp_output(nif, pb, src, DHCP_CLIENT_PORT, dst, DHCP_SERVER_PORT, 0, now);
}

/* ---- configuration --------------------------------------------------------- */

static void unconfigure(struct netif *nif)
{
	nif->addr = 0;
	nif->netmask = 0;
	nif->gateway = 0;
	nif->mtu = nif->dhcp.link_mtu;
	nif->dhcp.generation++;
}

/* A new round: a new transaction, the first DISCOVER now. */
static void discover(struct netif *nif, uint64_t now)
{
	struct dhcp_client *c = &nif->dhcp;

	c->state = DHCP_SELECTING;
	c->xid = new_xid();
	c->started = now;
	send_msg(nif, DHCPDISCOVER, now);
	c->next = now + jitter(NET_DHCP_RETRY_NS);
	c->backoff = 2 * NET_DHCP_RETRY_NS;
}

/* REQUESTING: the REQUEST again, or INIT after the last try. */
static void request(struct netif *nif, uint64_t now)
{
	struct dhcp_client *c = &nif->dhcp;

	if (c->tries >= NET_DHCP_REQUEST_TRIES) {
		discover(nif, now);
		return;
	}
	if (c->tries++ == 0)
		c->req_sent = now;
	send_msg(nif, DHCPREQUEST, now);
	c->next = now + jitter(c->backoff);
	c->backoff = NET_MIN(2 * c->backoff, NET_DHCP_RETRY_MAX_NS);
}

/* RENEWING and REBINDING: send, then again after half the time left
 * until limit, at least NET_DHCP_RENEW_MIN_NS, never past limit. */
static void renew(struct netif *nif, uint64_t limit, uint64_t now)
{
	struct dhcp_client *c = &nif->dhcp;
	uint64_t wait = NET_MAX((limit - now) / 2, NET_DHCP_RENEW_MIN_NS);

	send_msg(nif, DHCPREQUEST, now);
	c->next = NET_MIN(now + wait, limit);
}

static void apply(struct netif *nif, const struct dhcp_lease *l)
{
	struct dhcp_client *c = &nif->dhcp;
	bool moved = nif->addr != l->addr;

	if (moved || nif->netmask != (l->prefix_len ? ~0u << (32 - l->prefix_len) : 0) ||
	    nif->gateway != l->gateway || c->lease.ndns != l->ndns ||
	    memcmp(c->lease.dns, l->dns, sizeof(l->dns)) || c->lease.mtu != l->mtu)
		c->generation++;
	c->lease = *l;
	nif->addr = l->addr;
	nif->netmask = l->prefix_len ? ~0u << (32 - l->prefix_len) : 0;
	nif->gateway = l->gateway;
	/* Only lower: the device's buffers are sized for its own MTU. */
	nif->mtu = l->mtu && l->mtu < c->link_mtu ? l->mtu : c->link_mtu;
	if (moved)
		arp_announce(nif); /* RFC 2131 4.4.1: announce the address taken */
}

/* An ACK: the lease runs from the first REQUEST of this exchange. */
static void bind_lease(struct netif *nif, const struct dhcp_lease *l)
{
	struct dhcp_client *c = &nif->dhcp;
	uint64_t from = c->req_sent;

	apply(nif, l);
	c->state = DHCP_BOUND;
	nif->stats.dhcp_bound++;
	if (l->lease_s == DHCP_INFINITE) {
		c->t1 = c->t2 = c->end = c->next = NET_NO_DEADLINE;
		return;
	}
	c->t1 = from + (uint64_t)l->t1_s * NET_NS_PER_SEC;
	c->t2 = from + (uint64_t)l->t2_s * NET_NS_PER_SEC;
	c->end = from + (uint64_t)l->lease_s * NET_NS_PER_SEC;
	c->next = c->t1;
}

/* NAK or expiry: no address, and a new round at once. */
static void restart(struct netif *nif, uint64_t now)
{
	if (nif->addr)
		unconfigure(nif);
	memset(&nif->dhcp.lease, 0, sizeof(nif->dhcp.lease));
	discover(nif, now);
}

/* ---- input ----------------------------------------------------------------- */

static bool once(struct opts *o, unsigned bit)
{
	if (o->seen & 1u << bit)
		return false;
	o->seen |= 1u << bit;
	return true;
}

/* One option's value; false when its length or value is wrong. */
static bool option(struct opts *o, uint8_t code, const uint8_t *v, size_t len, bool main_area)
{
	switch (code) {
	case OPT_TYPE:
		if (len != 1 || !once(o, SEEN_TYPE))
			return false;
		o->type = v[0];
		return true;
	case OPT_OVERLOAD:
		if (len != 1 || !main_area || v[0] < 1 || v[0] > 3 || !once(o, SEEN_OVERLOAD))
			return false;
		o->overload = v[0];
		return true;
	case OPT_MASK: {
		uint32_t inv;

		if (len != 4 || !once(o, SEEN_MASK))
			return false;
		o->mask = get_be32(v);
		inv = ~o->mask;
		/* Contiguous ones from the top, at least one. */
		return o->mask != 0 && (inv & (inv + 1)) == 0;
	}
	case OPT_LEASE:
	case OPT_SERVER:
	case OPT_T1:
	case OPT_T2: {
		unsigned bit = code == OPT_LEASE    ? SEEN_LEASE
			       : code == OPT_SERVER ? SEEN_SERVER
			       : code == OPT_T1	    ? SEEN_T1
						    : SEEN_T2;
		uint32_t *dst = code == OPT_LEASE    ? &o->lease
				: code == OPT_SERVER ? &o->server
				: code == OPT_T1     ? &o->t1
						     : &o->t2;

		if (len != 4 || !once(o, bit))
			return false;
		*dst = get_be32(v);
		return true;
	}
	case OPT_MTU:
		if (len != 2 || !once(o, SEEN_MTU) || get_be16(v) < NET_MTU_MIN)
			return false;
		o->mtu = get_be16(v);
		return true;
	case OPT_ROUTER:
	case OPT_DNS:
		if (len == 0 || len % 4)
			return false;
		for (size_t i = 0; i < len; i += 4) {
			uint32_t a = get_be32(v + i);

			if (code == OPT_ROUTER && !o->has_router) {
				o->router = a;
				o->has_router = true;
			} else if (code == OPT_DNS && o->ndns < DHCP_DNS_MAX && host_unicast(a)) {
				o->dns[o->ndns++] = a;
			}
		}
		return true;
	default:
		return true; /* not ours to read: skipped by its length */
	}
}

/* One option area (the options field, or file/sname when overloaded):
 * every option inside it, and END before its end. */
static bool area(struct opts *o, const uint8_t *p, size_t len, bool main_area)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i];
		size_t n;

		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END)
			return true;
		if (i + 2 > len || i + 2 + (n = p[i + 1]) > len)
			return false;
		if (!option(o, code, p + i + 2, n, main_area))
			return false;
		i += 2 + n;
	}
	return false;
}

static bool parse(struct opts *o, const uint8_t *m, size_t len)
{
	memset(o, 0, sizeof(*o));
	if (!area(o, m + OFF_OPTIONS, len - OFF_OPTIONS, true))
		return false;
	/* RFC 2131 4.1: file first, then sname. */
	if ((o->overload & 1) && !area(o, m + OFF_FILE, FILE_LEN, false))
		return false;
	if ((o->overload & 2) && !area(o, m + OFF_SNAME, SNAME_LEN, false))
		return false;
	return true;
}

static uint8_t prefix_of(uint32_t mask)
{
	uint8_t n = 0;

	while (mask & 0x80000000u) {
		n++;
		mask <<= 1;
	}
	return n;
}

/* yiaddr and the options as a lease; false when it cannot be used. */
static bool make_lease(struct dhcp_lease *l, uint32_t yiaddr, const struct opts *o)
{
	uint32_t mask, host;
	uint8_t top = (uint8_t)(yiaddr >> 24);

	memset(l, 0, sizeof(*l));
	if (!host_unicast(yiaddr) || !(o->seen & 1u << SEEN_LEASE) ||
	    o->lease < NET_DHCP_LEASE_MIN_S)
		return false;
	/* No mask: the address's class (RFC 1122 3.3.1.1's old default). */
	mask = o->seen & 1u << SEEN_MASK ? o->mask
	       : top < 128		 ? 0xff000000u
	       : top < 192		 ? 0xffff0000u
					 : 0xffffff00u;
	host = ~mask;
	if (host > 1 && ((yiaddr & host) == 0 || (yiaddr & host) == host))
		return false; /* the subnet's network or broadcast address */
	l->addr = yiaddr;
	l->prefix_len = prefix_of(mask);
	l->server = o->server;
	/* A gateway must be a neighbour: off-link or odd routers are ignored. */
	if (o->has_router && host_unicast(o->router) && o->router != yiaddr &&
	    ((o->router ^ yiaddr) & mask) == 0 && (host <= 1 || (o->router & host) != host))
		l->gateway = o->router;
	memcpy(l->dns, o->dns, sizeof(l->dns));
	l->ndns = o->ndns;
	l->mtu = o->mtu;
	l->lease_s = o->lease;
	if (o->lease != DHCP_INFINITE) {
		uint64_t t1 = o->seen & 1u << SEEN_T1 ? o->t1 : o->lease / 2;
		uint64_t t2 = o->seen & 1u << SEEN_T2 ? o->t2 : (uint64_t)o->lease * 7 / 8;

		if (!(t1 < t2 && t2 < o->lease)) {
			t1 = o->lease / 2;
			t2 = (uint64_t)o->lease * 7 / 8;
		}
		l->t1_s = (uint32_t)t1;
		l->t2_s = (uint32_t)t2;
	}
	return true;
}

bool dhcp_wants(const struct netif *nif, const uint8_t *udp, size_t len)
{
	return nif->dhcp.state != DHCP_OFF && !nif->addr && len >= UDP_HLEN &&
	       get_be16(udp + 2) == DHCP_CLIENT_PORT;
}

void dhcp_input(struct netif *nif, const struct ip_rx *rx, const uint8_t *udp, size_t ulen,
		uint64_t now)
{
	struct dhcp_client *c = &nif->dhcp;
	const uint8_t *m = udp + UDP_HLEN;
	size_t len = ulen - UDP_HLEN;
	struct dhcp_lease l;
	struct opts o;

	(void)rx;
	if (len < OFF_OPTIONS) {
		nif->stats.dhcp_short++;
		return;
	}
	if (get_be16(udp) != DHCP_SERVER_PORT || m[OFF_OP] != BOOTREPLY || m[OFF_HTYPE] != 1 ||
	    m[OFF_HLEN] != ETH_ALEN || get_be32(m + OFF_COOKIE) != COOKIE) {
		nif->stats.dhcp_format++;
		return;
	}
	if (get_be32(m + OFF_XID) != c->xid || memcmp(m + OFF_CHADDR, nif->mac, ETH_ALEN)) {
		nif->stats.dhcp_not_ours++;
		return;
	}
	if (!parse(&o, m, len)) {
		nif->stats.dhcp_options++;
		return;
	}
	if (o.type != DHCPOFFER && o.type != DHCPACK && o.type != DHCPNAK) {
		nif->stats.dhcp_type++;
		return;
	}
	if (o.type == DHCPOFFER ? c->state != DHCP_SELECTING
				: c->state != DHCP_REQUESTING && c->state != DHCP_RENEWING &&
					  c->state != DHCP_REBINDING) {
		nif->stats.dhcp_state++;
		return;
	}
	/* Servers not chosen stay silent (RFC 2131 4.3.2): another one's
	 * answer to our REQUEST is not to be believed. */
	if (c->state == DHCP_REQUESTING && (o.seen & 1u << SEEN_SERVER) &&
	    o.server != c->offer.server) {
		nif->stats.dhcp_server++;
		return;
	}
	if (o.type == DHCPNAK) {
		nif->stats.dhcp_rx++;
		nif->stats.dhcp_nak_rx++;
		restart(nif, now);
		return;
	}
	if (!make_lease(&l, get_be32(m + OFF_YIADDR), &o) ||
	    (o.type == DHCPOFFER && !(o.seen & 1u << SEEN_SERVER))) {
		nif->stats.dhcp_bad_lease++;
		return;
	}
	nif->stats.dhcp_rx++;
	if (o.type == DHCPOFFER) {
		/* The first usable offer wins, as most clients do. */
		c->offer = l;
		c->state = DHCP_REQUESTING;
		c->tries = 0;
		c->backoff = NET_DHCP_RETRY_NS;
		request(nif, now);
		return;
	}
	if (!(o.seen & 1u << SEEN_SERVER))
		l.server = c->state == DHCP_REQUESTING ? c->offer.server : c->lease.server;
	bind_lease(nif, &l);
}

/* ---- timers ---------------------------------------------------------------- */

void dhcp_start(struct netif *nif, uint64_t now)
{
	memset(&nif->dhcp, 0, sizeof(nif->dhcp));
	nif->dhcp.link_mtu = nif->mtu;
	nif->dhcp.state = DHCP_INIT;
	/* RFC 2131 4.4.1's random wait of 1 to 10 s before the first
	 * DISCOVER desynchronises a network of clients booting at once; a
	 * guest boots alone, and its program waits for the lease. */
	discover(nif, now);
}

bool dhcp_bound(const struct netif *nif)
{
	uint8_t s = nif->dhcp.state;

	return s == DHCP_BOUND || s == DHCP_RENEWING || s == DHCP_REBINDING;
}

uint64_t dhcp_tick(struct netif *nif, uint64_t now)
{
	struct dhcp_client *c = &nif->dhcp;

	if (c->state == DHCP_OFF)
		return NET_NO_DEADLINE;
	if (now < c->next)
		return c->next;
	switch (c->state) {
	case DHCP_INIT:
		discover(nif, now);
		break;
	case DHCP_SELECTING:
		send_msg(nif, DHCPDISCOVER, now);
		c->next = now + jitter(c->backoff);
		c->backoff = NET_MIN(2 * c->backoff, NET_DHCP_RETRY_MAX_NS);
		break;
	case DHCP_REQUESTING:
		request(nif, now);
		break;
	default: /* BOUND, RENEWING, REBINDING: what time it is decides */
		if (now >= c->end) {
			nif->stats.dhcp_expired++;
			restart(nif, now);
		} else if (now >= c->t2) {
			if (c->state != DHCP_REBINDING) {
				c->state = DHCP_REBINDING;
				c->xid = new_xid();
				c->req_sent = now;
			}
			renew(nif, c->end, now);
		} else {
			if (c->state != DHCP_RENEWING) {
				c->state = DHCP_RENEWING;
				c->xid = new_xid();
				c->req_sent = now;
				c->started = now;
			}
			renew(nif, c->t2, now);
		}
		break;
	}
	return c->next;
}
