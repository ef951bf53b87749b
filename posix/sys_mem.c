/*
 * sys_mem.c — brk, mmap, munmap, mremap, mprotect, madvise (kernel/mem.c).
 */
#include "../kernel/mem.h"
#include "posix.h"

#define MAP_SHARED	    0x01
#define MAP_PRIVATE	    0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_FIXED	    0x10
#define MAP_ANONYMOUS	    0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE	    1
#define MREMAP_FIXED	    2
#define MADV_DONTNEED	    4
#define MADV_FREE	    8
#define MADV_REMOVE	    9
#define PROT_MASK	    7

long sys_brk(unsigned long want)
{
	return (long)mem_brk(want);
}

long sys_mmap(unsigned long addr, unsigned long len, int prot, int flags, int fd, long off)
{
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);

	if (len == 0 || (off & (PAGE_SIZE - 1)) || (prot & ~PROT_MASK))
		return -EINVAL;
	if ((flags & MAP_SHARED_VALIDATE) == 0)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return fd < 0 || fd > 2 ? -EBADF : -ENODEV; /* no files yet */
	if ((flags & MAP_FIXED_NOREPLACE) && mem_any_mapped(addr, len))
		return -EEXIST;
	return mem_map(addr, len, fixed);
}

long sys_munmap(unsigned long addr, unsigned long len)
{
	return mem_unmap(addr, len);
}

long sys_mremap(unsigned long old, unsigned long old_len, unsigned long new_len, int flags)
{
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED))
		return -EINVAL;
	if (flags & MREMAP_FIXED)
		return -EINVAL; /* musl never asks; not worth the code yet */
	return mem_remap(old, old_len, new_len, flags & MREMAP_MAYMOVE);
}

long sys_mprotect(unsigned long addr, unsigned long len, int prot)
{
	if (prot & ~PROT_MASK)
		return -EINVAL;
	/* Accepted, not enforced: page permissions are fixed at boot. */
	return mem_check_mapped(addr, len);
}

long sys_madvise(unsigned long addr, unsigned long len, int advice)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
		/* Anonymous memory reads zero after these, as on Linux. */
		return mem_zero(addr, len);
	default:
		return mem_check_mapped(addr, len);
	}
}
