/*
 * net_sys.h — the little the stack needs from whatever it is built into.
 *
 * net/ is freestanding C11: it compiles into the guest kernel (no libc)
 * and, unchanged, into host unit tests and fuzzers. It uses only the
 * compiler's freestanding headers, the four memory functions below (the
 * kernel's own in kernel/string.c, libc's on the host) and an allocator
 * and a random source, supplied by one of two files chosen by the build:
 *     net/sys_kernel.c   kalloc/kfree (kernel/kalloc.h), the kernel's
 *                        ChaCha20 (kernel/random.h)
 *     net/sys_host.c     calloc/free, with a byte count the tests read;
 *                        a seeded generator, so tests repeat exactly
 */
#ifndef PITH_NET_SYS_H
#define PITH_NET_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* n bytes of zeroed memory, or NULL. The caller passes the same n back. */
void *net_alloc(size_t n);
void net_free(void *p, size_t n);
/* In the guest (sys_kernel.c): bytes allocated now and at most, the
 * figure `pith run --verbose` prints. (The host's are in sys_host.c.) */
extern size_t net_mem_bytes, net_mem_peak;
/* n unpredictable bytes (keys for TCP's initial sequence numbers). */
void net_random(void *buf, size_t n);

/* The kernel's error numbers (Linux values), negated by the callers. */
#define NET_EAGAIN	  11
#define NET_ENOMEM	  12
#define NET_EINVAL	  22
#define NET_EMSGSIZE	  90
#define NET_EADDRINUSE	  98
#define NET_EADDRNOTAVAIL 99
#define NET_ENETUNREACH	  101
#define NET_ENOBUFS	  105
#define NET_EISCONN	  106
#define NET_ENOTCONN	  107
#define NET_EHOSTUNREACH  113
#define NET_EDESTADDRREQ  89
#define NET_EPIPE	  32
#define NET_EOPNOTSUPP	  95
#define NET_ECONNABORTED  103
#define NET_ECONNRESET	  104
#define NET_ETIMEDOUT	  110
#define NET_ECONNREFUSED  111
#define NET_EALREADY	  114
#define NET_EINPROGRESS	  115

#define NET_MIN(a, b) ((a) < (b) ? (a) : (b))
#define NET_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
