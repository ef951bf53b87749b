/*
 * sys_kernel.c — the stack's allocator in the guest kernel: the kernel's
 * object allocator (kernel/kalloc.h), which hands out zeroed memory, and
 * its ChaCha20 generator (kernel/random.h) for keys. net_mem_bytes and
 * net_mem_peak count what the stack holds and held at most (printed at
 * exit by `pith run --verbose`).
 */
#include "net_sys.h"

#include "../kernel/kalloc.h"
#include "../kernel/random.h"

size_t net_mem_bytes, net_mem_peak;

void *net_alloc(size_t n)
{
	void *p = kalloc(n);

	if (p) {
		net_mem_bytes += n;
		if (net_mem_bytes > net_mem_peak)
			net_mem_peak = net_mem_bytes;
	}
	return p;
}

void net_free(void *p, size_t n)
{
	if (p)
		net_mem_bytes -= n;
	kfree(p, n);
}

void net_random(void *buf, size_t n)
{
	random_bytes(buf, n);
}
