/*
 * main.c — the guest kernel's boot order, one step a line.
 *
 * kmain() runs once, on the initial stack the host prepared, and never
 * returns: it ends by jumping into the program (musl's _start). It makes
 * no exit on hvt: hello world's only exits are its output and its end.
 */
#include <pith/abi.h>

#include "clock.h"
#include "console.h"
#include "mem.h"
#include "platform.h"
#include "random.h"
#include "start.h"
#include "../posix/posix.h"

const struct platform *plat;

_Noreturn void kmain(struct pith_boot *boot);

_Noreturn void kmain(struct pith_boot *boot)
{
	uint8_t r16[16];

	plat = boot->target == PITH_TARGET_PROCESS ? &plat_process : &plat_hvt;
	plat->init(boot);
	console_init((struct pith_console *)(uintptr_t)boot->console, boot->flags);
	if (boot->abi_version != PITH_ABI_VERSION)
		panic("host speaks ABI %u, image %u", boot->abi_version, PITH_ABI_VERSION);
	clock_init();
	random_init(boot->seed);
	mem_init(boot->free_start, boot->free_end);
	posix_init(boot);
	random_bytes(r16, sizeof(r16));
	start_program(boot, r16);
}
