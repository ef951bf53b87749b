/*
 * part.h — kernel parts and the markers that pull them into a link.
 *
 * A part is one relocatable object in libpithkernel.a. Each system call
 * number in syscalls.def names the part that implements it; that part
 * defines the absolute symbol __pith_need_<nr>, which musl's call sites
 * reference (musl/overlay/arch/x86_64/syscall_arch.h). The core defines the
 * markers of its own calls and of those nobody implements (ENOSYS).
 *
 * Every part is listed here once (MARK_<part> and, in syscall.c, its
 * handler binding). A part's own file turns its marker macro on:
 *     #include "part.h"
 *     #undef MARK_time
 *     #define MARK_time(nr) PITH_MARK(nr)
 *     #include "syscalls.def"
 */
#ifndef PITH_PART_H
#define PITH_PART_H

#define PITH_MARK(nr) __asm__(".globl __pith_need_" #nr "\n.set __pith_need_" #nr ", 0");

/* Each part lists its name in .pith_parts, which `pith inspect` reads. */
#define PITH_PART_NAME(name)                         \
	__attribute__((section(".pith_parts"), used, \
		       aligned(1))) static const char pith_part_name[] = #name;

/* Markers are off by default; the owning part's file turns its own on. */
#define MARK_core(nr)
#define MARK_none(nr)
#define MARK_time(nr)
#define MARK_random(nr)
#define MARK_fs(nr)
#define MARK_pipe(nr)
#define MARK_net(nr)
#define MARK_event(nr)
#define SYS(nr, name, part) MARK_##part(nr)

#endif
