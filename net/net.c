/*
 * net.c — the stack's entry points: set-up, input, timers (see net.h).
 */
#include "net.h"

int net_init(struct netif *nif, const struct net_config *cfg, uint64_t now)
{
	uint16_t mtu = cfg->mtu ? cfg->mtu : NET_MTU_DEFAULT;

	if (!cfg->transmit || cfg->prefix_len > 32 || mtu < NET_MTU_MIN || mtu > NET_MTU_MAX ||
	    eth_is_multicast(cfg->mac))
		return -NET_EINVAL;
	memset(nif, 0, sizeof(*nif));
	memcpy(nif->mac, cfg->mac, ETH_ALEN);
	nif->addr = cfg->addr;
	nif->netmask = cfg->prefix_len ? ~0u << (32 - cfg->prefix_len) : 0;
	nif->gateway = cfg->gateway;
	nif->mtu = mtu;
	nif->reasm_timeout_ns =
		cfg->reasm_timeout_ns ? cfg->reasm_timeout_ns : NET_REASM_TIMEOUT_NS;
	nif->transmit = cfg->transmit;
	nif->dev = cfg->dev;
	nif->ip_id = (uint16_t)(cfg->seed ^ cfg->seed >> 16);
	icmp_init(nif, now);
	udp_init(nif, cfg->seed);
	tcp_init(nif, cfg->seed, cfg->tcp_msl_ns, cfg->tcp_mem_max, now);
	if (nif->addr)
		arp_announce(nif);
	else if (cfg->dhcp)
		dhcp_start(nif, now);
	return 0;
}

void net_shutdown(struct netif *nif)
{
	arp_flush(nif);
	ipv4_loop_flush(nif);
	ip_reasm_flush(nif);
	udp_flush(nif);
	tcp_flush(nif);
}

void net_input(struct netif *nif, const uint8_t *frame, size_t len, uint64_t now)
{
	nif->stats.rx_frames++;
	eth_input(nif, frame, len, now);
}

uint64_t net_tick(struct netif *nif, uint64_t now)
{
	/* Local datagrams first: what they start is then timed below. */
	bool more = ipv4_loop_run(nif, NET_LOOP_BUDGET, now);
	/* Each tick runs once: NET_MIN evaluates its arguments twice. */
	uint64_t next = arp_tick(nif, now), reasm = ip_reasm_tick(nif, now);
	uint64_t pmtu = pmtu_tick(nif, now), tcp = tcp_tick(nif, now);
	uint64_t dhcp = dhcp_tick(nif, now);

	next = NET_MIN(next, reasm);
	next = NET_MIN(next, pmtu);
	next = NET_MIN(next, tcp);
	next = NET_MIN(next, dhcp);
	return more ? now : next;
}
