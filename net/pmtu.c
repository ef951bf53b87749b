/*
 * pmtu.c — the path MTU table (see pmtu.h).
 */
#include "pmtu.h"
#include "net.h"

static struct pmtu_entry *find(struct netif *nif, uint32_t dst)
{
	for (size_t i = 0; i < NET_PMTU_ENTRIES; i++)
		if (nif->pmtu.entry[i].mtu && nif->pmtu.entry[i].dst == dst)
			return &nif->pmtu.entry[i];
	return NULL;
}

uint16_t pmtu_get(struct netif *nif, uint32_t dst, uint64_t now)
{
	struct pmtu_entry *e = find(nif, dst);

	if (!e)
		return 0;
	if (now >= e->expires) {
		e->mtu = 0;
		return 0;
	}
	return e->mtu;
}

void pmtu_set(struct netif *nif, uint32_t dst, uint16_t mtu, uint64_t now)
{
	struct pmtu_entry *e = find(nif, dst);

	if (!e) {
		for (size_t i = 0; i < NET_PMTU_ENTRIES; i++) {
			struct pmtu_entry *c = &nif->pmtu.entry[i];

			if (!e || !c->mtu || (e->mtu && c->expires < e->expires))
				e = c;
		}
	}
	e->dst = dst;
	e->mtu = mtu;
	e->expires = now + NET_PMTU_TTL_NS;
}

uint64_t pmtu_tick(struct netif *nif, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (size_t i = 0; i < NET_PMTU_ENTRIES; i++) {
		struct pmtu_entry *e = &nif->pmtu.entry[i];

		if (!e->mtu)
			continue;
		if (now >= e->expires)
			e->mtu = 0;
		else
			next = NET_MIN(next, e->expires);
	}
	return next;
}
