/*
 * stats.c — names and descriptions of the counters (see stats.h).
 */
#include "stats.h"

struct stat_desc {
	const char *name, *what;
	enum net_stat_kind kind;
};

static const struct stat_desc stat_desc[] = {
#define NET_STAT_DESC(name, kind, what) { #name, what, NET_STAT_##kind },
	NET_STATS(NET_STAT_DESC)
#undef NET_STAT_DESC
};

size_t net_stat_count(void)
{
	return sizeof(stat_desc) / sizeof(stat_desc[0]);
}

const char *net_stat_name(size_t i)
{
	return i < net_stat_count() ? stat_desc[i].name : NULL;
}

const char *net_stat_what(size_t i)
{
	return i < net_stat_count() ? stat_desc[i].what : NULL;
}

enum net_stat_kind net_stat_kind(size_t i)
{
	return i < net_stat_count() ? stat_desc[i].kind : NET_STAT_INFO;
}

uint64_t net_stat_get(const struct net_stats *s, size_t i)
{
	uint64_t v = 0;

	/* The struct is net_stat_count() uint64_t fields in list order. */
	if (i < net_stat_count())
		memcpy(&v, (const uint8_t *)s + i * sizeof(uint64_t), sizeof(v));
	return v;
}
