/*
 * sys_host.c — the stack's allocator on the host (unit tests, fuzzers):
 * calloc and free, counting the bytes outstanding so tests can check the
 * stack's memory bounds and that it frees what it takes; and a seeded
 * generator (splitmix64) in place of a random source, so a test that
 * sets net_host_random_seed repeats exactly.
 */
#include <stdlib.h>

#include "net_sys.h"
#include "sys_host.h"

size_t net_host_bytes;			 /* outstanding */
size_t net_host_peak;			 /* most outstanding at once since the last reset */
size_t net_host_fail_after = (size_t)-1; /* allocations left before failing */
uint64_t net_host_random_seed = 0x9e3779b97f4a7c15ull;

void *net_alloc(size_t n)
{
	void *p;

	if (net_host_fail_after == 0)
		return NULL;
	if (net_host_fail_after != (size_t)-1)
		net_host_fail_after--;
	p = calloc(1, n);
	if (p) {
		net_host_bytes += n;
		if (net_host_bytes > net_host_peak)
			net_host_peak = net_host_bytes;
	}
	return p;
}

void net_free(void *p, size_t n)
{
	if (!p)
		return;
	net_host_bytes -= n;
	free(p);
}

void net_random(void *buf, size_t n)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < n; i++) {
		uint64_t z = (net_host_random_seed += 0x9e3779b97f4a7c15ull);

		z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ z >> 27) * 0x94d049bb133111ebull;
		p[i] = (uint8_t)(z ^ z >> 31);
	}
}
