/*
 * kernel.h — what every part of the guest kernel shares: freestanding
 * basics, the kernel's string functions, messages and panic.
 *
 * Conventions: kernel functions return -errno on failure (Linux values,
 * from kerrno.h); broken invariants call panic(), which never returns.
 */
#ifndef PITH_KERNEL_H
#define PITH_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "param.h"
#include "kerrno.h"

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))
#define unlikely(x)	 __builtin_expect(!!(x), 0)

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);

/* Formats like a small printf: %s %c %d %u %o %x %p %%, with l/ll/z sizes,
 * a width and the flags 0 (pad with zeros) and - (pad on the right). */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* One line to the program's stderr, prefixed "pith: ". */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
