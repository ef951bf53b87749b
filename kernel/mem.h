/*
 * mem.h — the program's memory: brk heap and anonymous mmap.
 *
 * Free memory [free_start, free_end) is fixed at boot. The heap grows up
 * from its bottom (brk), anonymous mappings are taken from its top down,
 * page by page, first fit. Memory handed out reads as zero, as on Linux;
 * pages never handed out before are known zero and not cleared again.
 * Page permissions are fixed at boot on hvt (the guest cannot change its
 * page tables), so mprotect and PROT_NONE are accepted but not enforced.
 * All functions return -errno (ENOMEM when memory is exhausted).
 */
#ifndef PITH_MEM_H
#define PITH_MEM_H

#include "kernel.h"

void mem_init(uint64_t free_start, uint64_t free_end);
uint64_t mem_brk(uint64_t want);
long mem_map(uint64_t addr, uint64_t len, bool fixed);
long mem_unmap(uint64_t addr, uint64_t len);
long mem_remap(uint64_t old, uint64_t old_len, uint64_t new_len, bool may_move);
long mem_check_mapped(uint64_t addr, uint64_t len);
/* Is any page of the range in use (heap, mapping, image or stack)? */
bool mem_any_mapped(uint64_t addr, uint64_t len);
long mem_zero(uint64_t addr, uint64_t len);
/* Bytes not in use, for sysinfo. */
uint64_t mem_free_bytes(void);
uint64_t mem_total_bytes(void);
/* The heap: [*lo, *brk). */
void mem_heap(uint64_t *lo, uint64_t *brk);
/* The first run of mapped pages [*addr, *end) at or above *addr; false
 * when there is none (for /proc/self/maps). */
bool mem_next_mapping(uint64_t *addr, uint64_t *end);

#endif
