/* mmap.c — anonymous memory straight from the kernel: mmap reads zero,
 * munmap and MAP_FIXED refill a hole with zeros, mremap keeps contents,
 * MADV_DONTNEED zeroes, MAP_FIXED_NOREPLACE refuses, bad calls fail with
 * Linux's errors, and a long random mix of mappings keeps every byte. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG   4096ul
#define RW   (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static int is_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 13 + (i >> 12));
}

static int same(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 13 + (i >> 12)))
			return 0;
	return 1;
}

static const char *err(void *p)
{
	return p == MAP_FAILED ? strerror(errno) : "ok";
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(void)
{
	unsigned char *p, *q;

	p = mmap(NULL, 1 << 20, RW, ANON, -1, 0);
	printf("mmap 1 MiB: %s, zero=%d, aligned=%d\n", err(p), is_zero(p, 1 << 20),
	       ((uintptr_t)p & (PG - 1)) == 0);
	fill(p, 1 << 20, 1);
	printf("munmap hole: %d\n", munmap(p + 256 * 1024, 64 * 1024));
	q = mmap(p + 256 * 1024, 64 * 1024, RW, ANON | MAP_FIXED, -1, 0);
	printf("MAP_FIXED into the hole: %s at_hole=%d zero=%d, around intact=%d %d\n", err(q),
	       q == p + 256 * 1024, is_zero(q, 64 * 1024), same(p, 256 * 1024, 1),
	       same(p + 320 * 1024, 1024, 1 + (unsigned)(320 * 1024 * 13) + 80));
	errno = 0;
	q = mmap(p, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);
	printf("MAP_FIXED_NOREPLACE over a mapping: %s\n", err(q));

	/* mremap: grow (may move), contents kept, new part zero; shrink. */
	fill(p, 1 << 20, 7);
	q = mremap(p, 1 << 20, 4 << 20, MREMAP_MAYMOVE);
	printf("mremap grow: %s kept=%d new zero=%d\n", err(q), same(q, 1 << 20, 7),
	       is_zero(q + (1 << 20), 3 << 20));
	fill(q, 4 << 20, 9);
	p = mremap(q, 4 << 20, 512 * 1024, 0);
	printf("mremap shrink in place: %s same=%d kept=%d\n", err(p), p == q,
	       same(p, 512 * 1024, 9));

	/* MADV_DONTNEED: anonymous pages read zero afterwards. */
	int r = madvise(p + PG, 4 * PG, MADV_DONTNEED);
	printf("madvise DONTNEED: %d zero=%d rest kept=%d\n", r, is_zero(p + PG, 4 * PG),
	       same(p, PG, 9) && same(p + 5 * PG, 4096, 9 + (unsigned)(5 * PG * 13) + 5));
	r = mprotect(p, PG, PROT_READ);
	printf("mprotect read-only: %d, ", r);
	printf("back: %d\n", mprotect(p, PG, RW));
	printf("munmap: %d\n", munmap(p, 512 * 1024));

	/* Errors. */
	errno = 0;
	printf("mmap length 0: %s\n", err(mmap(NULL, 0, RW, ANON, -1, 0)));
	printf("mmap no SHARED/PRIVATE: %s\n", err(mmap(NULL, PG, RW, MAP_ANONYMOUS, -1, 0)));
	printf("mmap bad fd: %s\n", err(mmap(NULL, PG, RW, MAP_PRIVATE, 99, 0)));
	printf("mmap 128 TiB: %s\n", err(mmap(NULL, 1ul << 47, RW, ANON, -1, 0)));
	printf("mmap unaligned offset: %s\n", err(mmap(NULL, PG, RW, ANON, -1, 100)));
	errno = 0;
	r = munmap((char *)p + 1, PG);
	printf("munmap unaligned: %d %s\n", r, strerror(errno));
	errno = 0;
	r = munmap(p, 0);
	printf("munmap length 0: %d %s\n", r, strerror(errno));

	/* brk: grow, write, shrink, grow again: whole pages above the old
	 * break read zero; a break beyond memory is refused. */
	uintptr_t b0 = (uintptr_t)syscall(SYS_brk, 0);
	uintptr_t b1 = (uintptr_t)syscall(SYS_brk, b0 + 100000);
	printf("brk grow: %d\n", b1 == b0 + 100000);
	if (b1 == b0 + 100000) {
		uintptr_t pg = (b0 + PG - 1) & ~(PG - 1);
		memset((void *)b0, 0xaa, 100000);
		printf("brk shrink: %d\n", (uintptr_t)syscall(SYS_brk, b0) == b0);
		printf("brk grow again: %d\n",
		       (uintptr_t)syscall(SYS_brk, b0 + 100000) == b0 + 100000);
		printf("whole pages zero again: %d\n", is_zero((void *)pg, b0 + 100000 - pg));
		printf("brk back: %d\n", (uintptr_t)syscall(SYS_brk, b0) == b0);
	}
	printf("brk 1 TiB higher refused: %d\n",
	       (uintptr_t)syscall(SYS_brk, b0 + (1ul << 40)) == b0);

	/* Many mappings, mapped and unmapped at random; each keeps its bytes. */
	enum { N = 64 };
	struct {
		unsigned char *p;
		size_t n;
		unsigned seed;
	} m[N] = { 0 };
	unsigned long bad = 0, maps = 0;
	for (int op = 0; op < 3000; op++) {
		int i = (int)(next() % N);
		if (m[i].p) {
			if (!same(m[i].p, m[i].n, m[i].seed))
				bad++;
			if (next() % 3 == 0) {
				size_t nn = (next() % 64 + 1) * PG;
				unsigned char *r = mremap(m[i].p, m[i].n, nn, MREMAP_MAYMOVE);
				if (r == MAP_FAILED) {
					printf("mremap failed: %s\n", strerror(errno));
					return 1;
				}
				size_t keep = nn < m[i].n ? nn : m[i].n;
				if (!same(r, keep, m[i].seed))
					bad++;
				if (nn > keep && !is_zero(r + keep, nn - keep))
					bad++;
				m[i].p = r;
				m[i].n = nn;
				fill(r, nn, m[i].seed);
			} else {
				munmap(m[i].p, m[i].n);
				m[i].p = NULL;
			}
		} else {
			size_t n = (next() % 64 + 1) * PG;
			m[i].p = mmap(NULL, n, RW, ANON, -1, 0);
			if (m[i].p == MAP_FAILED) {
				printf("mmap failed: %s\n", strerror(errno));
				return 1;
			}
			if (!is_zero(m[i].p, n))
				bad++;
			m[i].n = n;
			m[i].seed = (unsigned)next();
			fill(m[i].p, n, m[i].seed);
			maps++;
		}
	}
	printf("random mappings: %lu maps, bad=%lu\n", maps, bad);
	return 0;
}
