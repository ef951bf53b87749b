/*
 * __set_thread_area.c — set the thread pointer through arch_prctl, as a
 * call into the pith guest kernel (musl's original is a `syscall` in asm).
 */
#include "pthread_impl.h"

#define ARCH_SET_FS 0x1002

int __set_thread_area(void *p)
{
	return __syscall(SYS_arch_prctl, ARCH_SET_FS, p);
}
