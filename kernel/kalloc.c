/*
 * kalloc.c — size-class allocator for kernel objects (see kalloc.h).
 *
 * Each class keeps a free list threaded through its free objects; an
 * empty list takes a fresh page and cuts it up. Pages of small objects are
 * never given back (the kernel's own objects are few); large requests map
 * and unmap pages directly.
 */
#include "kalloc.h"
#include "mem.h"

#define MIN_SHIFT 5  /* 32 bytes */
#define MAX_SHIFT 11 /* 2048 bytes */

struct free_obj {
	struct free_obj *next;
};

static struct free_obj *free_list[MAX_SHIFT + 1];

static unsigned class_of(size_t n)
{
	unsigned s = MIN_SHIFT;

	while ((1ul << s) < n)
		s++;
	return s;
}

void *kalloc(size_t n)
{
	unsigned s;
	struct free_obj *o;

	if (n == 0)
		n = 1;
	if (n > (1ul << MAX_SHIFT)) {
		long p = mem_map(0, ALIGN_UP(n, PAGE_SIZE), false);

		return p < 0 ? NULL : (void *)p; /* fresh pages read as zero */
	}
	s = class_of(n);
	if (!free_list[s]) {
		long page = mem_map(0, PAGE_SIZE, false);

		if (page < 0)
			return NULL;
		for (size_t off = 0; off < PAGE_SIZE; off += 1ul << s) {
			o = (struct free_obj *)(page + off);
			o->next = free_list[s];
			free_list[s] = o;
		}
	}
	o = free_list[s];
	free_list[s] = o->next;
	memset(o, 0, 1ul << s);
	return o;
}

void kfree(void *p, size_t n)
{
	unsigned s;
	struct free_obj *o = p;

	if (!p)
		return;
	if (n > (1ul << MAX_SHIFT)) {
		mem_unmap((uintptr_t)p, ALIGN_UP(n, PAGE_SIZE));
		return;
	}
	s = class_of(n == 0 ? 1 : n);
	o->next = free_list[s];
	free_list[s] = o;
}
