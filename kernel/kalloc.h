/*
 * kalloc.h — the kernel's small objects (inodes, directory entries).
 *
 * Power-of-two size classes from 32 to 2048 bytes, carved from pages of
 * the program's free memory (kernel/mem.c); larger requests take whole
 * pages. Memory comes back zeroed. The caller passes the size to kfree,
 * as it always knows it, so objects carry no header.
 */
#ifndef PITH_KALLOC_H
#define PITH_KALLOC_H

#include "kernel.h"

/* n bytes of zeroed memory, or NULL when memory is exhausted. */
void *kalloc(size_t n);
void kfree(void *p, size_t n);

#endif
