/*
 * syscall.c — syscall(2) for pith images.
 *
 * The call number is known only at run time, so nothing tells the link
 * which kernel part the program needs: a program that uses syscall(2)
 * links every part in, through the kernel's __pith_all_parts member
 * (posix/part_all.c). Otherwise the same as musl's generic version.
 */
#include <stdarg.h>
#include <unistd.h>
#include "syscall.h"

#undef syscall

__asm__(".pushsection .pith_need,\"\",@progbits\n\t"
	".quad __pith_all_parts\n\t.popsection");

long syscall(long n, ...)
{
	va_list ap;
	syscall_arg_t a, b, c, d, e, f;

	va_start(ap, n);
	a = va_arg(ap, syscall_arg_t);
	b = va_arg(ap, syscall_arg_t);
	c = va_arg(ap, syscall_arg_t);
	d = va_arg(ap, syscall_arg_t);
	e = va_arg(ap, syscall_arg_t);
	f = va_arg(ap, syscall_arg_t);
	va_end(ap);
	return __syscall_ret(__syscall(n, a, b, c, d, e, f));
}
