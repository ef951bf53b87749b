/*
 * sys_kernel.c — the stack's allocator in the guest kernel: the kernel's
 * object allocator (kernel/kalloc.h), which hands out zeroed memory.
 */
#include "net_sys.h"

#include "../kernel/kalloc.h"

void *net_alloc(size_t n)
{
	return kalloc(n);
}

void net_free(void *p, size_t n)
{
	kfree(p, n);
}
