/*
 * test_gpa.c — gpa_ptr (monitor/guest.h): the one accessor for guest
 * memory named by the guest. Bounds (guest memory below the target's
 * system area), the exact end, and overflow.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

#include "../../monitor/guest.h"

struct gcase {
	const char *name;
	uint64_t gpa, len;
	int ok; /* 1: mem + gpa, 0: NULL */
};

static void run(struct guest *g, const struct gcase *c, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		void *p = gpa_ptr(g, c[i].gpa, c[i].len);
		void *want = c[i].ok ? g->mem + c[i].gpa : NULL;

		CHECKD(c[i].name, p == want,
		       "gpa 0x%llx len 0x%llx, memory 0x%llx, system area from 0x%llx: got %p, "
		       "want %p",
		       (unsigned long long)c[i].gpa, (unsigned long long)c[i].len,
		       (unsigned long long)g->mem_size, (unsigned long long)g->lay.sys, p, want);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	const uint64_t S = 1 << 20;
	struct guest g = { .mem_size = S };
	/* Process target: no system area, the guest may name all of memory. */
	const struct gcase whole[] = {
		{ "gpa/start", 0, 1, 1 },
		{ "gpa/start-empty", 0, 0, 1 },
		{ "gpa/whole", 0, S, 1 },
		{ "gpa/whole-plus-one", 0, S + 1, 0 },
		{ "gpa/last-byte", S - 1, 1, 1 },
		{ "gpa/last-two-bytes", S - 1, 2, 0 },
		{ "gpa/exact-end-empty", S, 0, 1 },
		{ "gpa/exact-end-one", S, 1, 0 },
		{ "gpa/past-end-empty", S + 1, 0, 0 },
		{ "gpa/middle", 0x1000, 0x2000, 1 },
		{ "gpa/ends-at-end", S - 0x100, 0x100, 1 },
		{ "gpa/ends-one-past", S - 0x100, 0x101, 0 },
		{ "gpa/gpa-max", UINT64_MAX, 0, 0 },
		{ "gpa/gpa-max-len-1", UINT64_MAX, 1, 0 },
		{ "gpa/len-max", 0, UINT64_MAX, 0 },
		{ "gpa/len-max-from-1", 1, UINT64_MAX, 0 },
		{ "gpa/len-wraps-to-zero", 0x10, UINT64_MAX - 0xf + 1, 0 },
		{ "gpa/sum-wraps-exactly", 0x1000, UINT64_MAX - 0xfff, 0 },
		{ "gpa/sum-wraps-small", S - 1, UINT64_MAX, 0 },
		{ "gpa/both-half", UINT64_MAX / 2, UINT64_MAX / 2 + 2, 0 },
		{ "gpa/above-32-bits", 1ull << 32, 8, 0 },
	};
	/* hvt: three pages of system area at the top are the monitor's. */
	const uint64_t T = S - 3 * 4096;
	const struct gcase sys[] = {
		{ "gpa/sys/below", 0, T, 1 },
		{ "gpa/sys/last-guest-byte", T - 1, 1, 1 },
		{ "gpa/sys/boundary-empty", T, 0, 1 },
		{ "gpa/sys/first-sys-byte", T, 1, 0 },
		{ "gpa/sys/straddles", T - 8, 16, 0 },
		{ "gpa/sys/inside", T + 4096, 8, 0 },
		{ "gpa/sys/last-mem-byte", S - 1, 1, 0 },
		{ "gpa/sys/whole-memory", 0, S, 0 },
		{ "gpa/sys/len-max", T - 8, UINT64_MAX, 0 },
		{ "gpa/sys/gpa-max", UINT64_MAX, 1, 0 },
	};
	const uint64_t B = 4096ull << 20; /* PITH_MEM_MAX */
	const struct gcase big[] = {
		{ "gpa/4G/last-page", B - 4096, 4096, 1 },
		{ "gpa/4G/end", B, 0, 1 },
		{ "gpa/4G/past", B, 1, 0 },
		{ "gpa/4G/crosses-2^32", B - 8, 16, 0 },
		{ "gpa/4G/len-max", B - 8, UINT64_MAX, 0 },
	};

	g.mem = malloc(S);
	g.lay.sys = g.lay.sys_end = S;
	run(&g, whole, N(whole));
	g.lay.sys = T;
	run(&g, sys, N(sys));
	free(g.mem);
	/* gpa_ptr never touches memory: a fake base and a 4 GiB size do. */
	g.mem = (uint8_t *)(uintptr_t)0x100000000000ull;
	g.mem_size = g.lay.sys = g.lay.sys_end = B;
	run(&g, big, N(big));
	return 0;
}
