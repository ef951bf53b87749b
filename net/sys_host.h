/*
 * sys_host.h — what the host allocator (sys_host.c) lets tests see.
 */
#ifndef PITH_NET_SYS_HOST_H
#define PITH_NET_SYS_HOST_H

#include <stddef.h>
#include <stdint.h>

extern size_t net_host_bytes;	      /* bytes the stack holds now */
extern size_t net_host_peak;	      /* the most it held at once */
extern size_t net_host_fail_after;    /* (size_t)-1: never fail; else fail after this many */
extern uint64_t net_host_random_seed; /* net_random()'s state */

#endif
