/*
 * sys_kernel.c — the stack's allocator in the guest kernel: the kernel's
 * object allocator (kernel/kalloc.h), which hands out zeroed memory, and
 * its ChaCha20 generator (kernel/random.h) for keys.
 */
#include "net_sys.h"

#include "../kernel/kalloc.h"
#include "../kernel/random.h"

void *net_alloc(size_t n)
{
	return kalloc(n);
}

void net_free(void *p, size_t n)
{
	kfree(p, n);
}

void net_random(void *buf, size_t n)
{
	random_bytes(buf, n);
}
