/*
 * mem.c — brk and page-granular mmap over the free memory (see mem.h).
 *
 * A bitmap, one bit per page of free memory, records the mmap'd pages; it
 * is carved from the top of free memory at boot. The brk heap is the range
 * [heap_lo, brk_cur) and may grow until it meets a mapped page. Two
 * high-water marks tell which pages might hold old data: pages above
 * map_low (once mapped) or below brk_high (once heap) are cleared when
 * handed out again; all others are still as the host gave them, zero.
 */
#include "mem.h"

static uint64_t heap_lo, heap_hi; /* free memory, minus the bitmap */
static uint64_t brk_cur, brk_high, map_low;
static uint64_t *bitmap;
static uint64_t npages, nmapped;

#define PG(a) (((a)-heap_lo) / PAGE_SIZE)

static bool test(uint64_t pg)
{
	return bitmap[pg / 64] & (1ull << (pg % 64));
}

static void set_range(uint64_t pg, uint64_t n, bool on)
{
	for (uint64_t i = pg; i < pg + n; i++) {
		if (test(i) == on)
			continue;
		bitmap[i / 64] ^= 1ull << (i % 64);
		nmapped += on ? 1 : -1;
	}
}

void mem_init(uint64_t free_start, uint64_t free_end)
{
	uint64_t pages = (free_end - free_start) / PAGE_SIZE;
	uint64_t bm_bytes = ALIGN_UP((pages + 63) / 64 * 8, PAGE_SIZE);

	heap_lo = ALIGN_UP(free_start, PAGE_SIZE);
	heap_hi = ALIGN_DOWN(free_end, PAGE_SIZE) - bm_bytes;
	if (heap_hi <= heap_lo)
		panic("no free memory (%lu bytes)", (unsigned long)(free_end - free_start));
	bitmap = (uint64_t *)heap_hi; /* fresh memory: already zero */
	npages = (heap_hi - heap_lo) / PAGE_SIZE;
	brk_cur = brk_high = heap_lo;
	map_low = heap_hi;
}

/* Clear [a, b) where it may hold old data. */
static void clear_used(uint64_t a, uint64_t b)
{
	uint64_t lo = a, hi = b;

	/* Known-fresh: [brk_high, map_low) was never handed out. */
	if (lo >= brk_high && hi <= map_low)
		return;
	if (lo < brk_high || hi > map_low)
		memset((void *)lo, 0, hi - lo);
}

uint64_t mem_brk(uint64_t want)
{
	uint64_t end, top;

	if (want == 0 || want < heap_lo)
		return brk_cur;
	end = ALIGN_UP(want, PAGE_SIZE);
	if (end > heap_hi)
		return brk_cur;
	top = ALIGN_UP(brk_cur, PAGE_SIZE);
	for (uint64_t a = top; a < end; a += PAGE_SIZE)
		if (test(PG(a)))
			return brk_cur; /* would run into a mapping */
	if (end > top)
		clear_used(top, end);
	brk_cur = want;
	if (end > brk_high)
		brk_high = end;
	return brk_cur;
}

static uint64_t brk_top(void)
{
	return ALIGN_UP(brk_cur, PAGE_SIZE);
}

/* Highest run of n free pages above the heap, or 0. */
/* Highest run of n free pages in [lowest, top), or 0. */
static uint64_t scan_down(uint64_t top, uint64_t lowest, uint64_t n)
{
	uint64_t run = 0;

	for (uint64_t pg = top; pg-- > lowest;) {
		run = test(pg) ? 0 : run + 1;
		if (run == n)
			return heap_lo + pg * PAGE_SIZE;
	}
	return 0;
}

/* First fit from the top; but first the pages just below the lowest ever
 * mapped, which are free for certain — so a run of allocations (a file
 * growing page by page) costs O(1) each, not a scan of all it took. */
static uint64_t find_free(uint64_t n)
{
	uint64_t lowest = PG(brk_top()), edge = PG(map_low), a;

	if (edge >= lowest + n && (a = scan_down(edge, edge - n, n)) != 0 && a < map_low)
		return a;
	return scan_down(npages, lowest, n);
}

static void take(uint64_t addr, uint64_t len)
{
	set_range(PG(addr), len / PAGE_SIZE, true);
	clear_used(addr, addr + len);
	if (addr < map_low)
		map_low = addr;
}

long mem_map(uint64_t addr, uint64_t len, bool fixed)
{
	if (len == 0)
		return -EINVAL;
	if (len > heap_hi - heap_lo)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (fixed) {
		if (addr % PAGE_SIZE || addr < heap_lo || addr > heap_hi - len)
			return -ENOMEM; /* no replacing the image or stack */
		if (addr < brk_top()) {
			/* Inside the heap (musl's guard page below its
			 * brk area): the range stays heap, reads zero. */
			if (addr + len > brk_top())
				return -ENOMEM;
			memset((void *)addr, 0, len);
			return (long)addr;
		}
		take(addr, len);
		return (long)addr;
	}
	addr = find_free(len / PAGE_SIZE);
	if (!addr)
		return -ENOMEM;
	take(addr, len);
	return (long)addr;
}

static bool in_map_area(uint64_t addr, uint64_t len)
{
	return addr % PAGE_SIZE == 0 && addr >= heap_lo && addr <= heap_hi && len <= heap_hi - addr;
}

long mem_unmap(uint64_t addr, uint64_t len)
{
	if (addr % PAGE_SIZE || len == 0)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!in_map_area(addr, len))
		return 0; /* Linux: unmapping nothing succeeds */
	set_range(PG(addr), len / PAGE_SIZE, false);
	return 0;
}

/* A page-aligned, non-wrapping range: its rounded length, or 0 if none. */
static uint64_t range_len(uint64_t addr, uint64_t len)
{
	uint64_t l = ALIGN_UP(len, PAGE_SIZE);

	if (addr % PAGE_SIZE || l < len || addr + l < addr)
		return 0;
	return l;
}

long mem_check_mapped(uint64_t addr, uint64_t len)
{
	if (addr % PAGE_SIZE)
		return -EINVAL;
	if (len == 0)
		return 0;
	len = range_len(addr, len);
	if (len == 0)
		return -ENOMEM; /* past the end of the address space */
	if (addr < heap_lo)
		return 0; /* image, stack: present, permissions fixed */
	if (!in_map_area(addr, len))
		return 0;
	for (uint64_t a = addr; a < addr + len; a += PAGE_SIZE)
		if (a >= brk_top() && !test(PG(a)))
			return -ENOMEM;
	return 0;
}

bool mem_any_mapped(uint64_t addr, uint64_t len)
{
	len = range_len(addr, len);
	for (uint64_t a = addr; a < addr + len; a += PAGE_SIZE)
		if (a < brk_top() || a >= heap_hi || test(PG(a)))
			return true; /* the image and stack count as mapped */
	return false;
}

long mem_zero(uint64_t addr, uint64_t len)
{
	long r;

	if (len && !range_len(addr, len))
		return -EINVAL; /* as Linux's madvise: a length that wraps */
	r = mem_check_mapped(addr, len);
	if (r < 0)
		return r;
	len = range_len(addr, len);
	if (addr >= heap_lo && addr <= heap_hi && len <= heap_hi - addr)
		memset((void *)addr, 0, len);
	return 0;
}

long mem_remap(uint64_t old, uint64_t old_len, uint64_t new_len, bool may_move)
{
	long r;

	old_len = range_len(old, old_len);
	new_len = range_len(old, new_len);
	if (old_len == 0 || new_len == 0)
		return -EINVAL; /* unaligned, empty, or past the address space */
	if (!in_map_area(old, old_len) || old < brk_top() || mem_check_mapped(old, old_len) < 0)
		return -EFAULT;
	if (new_len <= old_len) {
		if (new_len < old_len)
			set_range(PG(old + new_len), (old_len - new_len) / PAGE_SIZE, false);
		return (long)old;
	}
	/* Grow in place when the pages above are free. */
	if (in_map_area(old + old_len, new_len - old_len)) {
		bool free = true;

		for (uint64_t a = old + old_len; a < old + new_len && free; a += PAGE_SIZE)
			free = !test(PG(a));
		if (free) {
			take(old + old_len, new_len - old_len);
			return (long)old;
		}
	}
	if (!may_move)
		return -ENOMEM;
	r = mem_map(0, new_len, false);
	if (r < 0)
		return r;
	memcpy((void *)r, (void *)old, old_len);
	set_range(PG(old), old_len / PAGE_SIZE, false);
	return r;
}

uint64_t mem_total_bytes(void)
{
	return heap_hi - heap_lo;
}

uint64_t mem_free_bytes(void)
{
	return (npages - nmapped) * PAGE_SIZE - (brk_top() - heap_lo);
}

void mem_heap(uint64_t *lo, uint64_t *brk)
{
	*lo = heap_lo;
	*brk = brk_cur;
}

bool mem_next_mapping(uint64_t *addr, uint64_t *end)
{
	uint64_t pg = *addr <= heap_lo ? 0 : (ALIGN_UP(*addr, PAGE_SIZE) - heap_lo) / PAGE_SIZE;

	while (pg < npages && !test(pg))
		pg += pg % 64 == 0 && bitmap[pg / 64] == 0 ? 64 : 1; /* empty words at once */
	if (pg >= npages)
		return false;
	*addr = heap_lo + pg * PAGE_SIZE;
	while (pg < npages && test(pg))
		pg++;
	*end = heap_lo + pg * PAGE_SIZE;
	return true;
}
