/*
 * start.c — the program's first instant: the initial stack musl expects.
 *
 * Laid out as Linux does for a static executable: argc, argv[], NULL,
 * envp[], NULL, auxv pairs, AT_NULL; then jump to musl's _start. The
 * strings stay where the host put them (the boot area). The auxv gives
 * what musl's start-up reads: program headers (for TLS), page size,
 * AT_RANDOM (stack-protector canary), equal real and effective ids with
 * AT_SECURE 0 (so musl does not probe fds 0-2).
 */
#include <pith/abi.h>

#include "kernel.h"
#include "start.h"

#define AT_NULL	  0
#define AT_PHDR	  3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_UID	  11
#define AT_EUID	  12
#define AT_GID	  13
#define AT_EGID	  14
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

extern void _start(void); /* musl's crt1.o */
void arch_enter_program(uint64_t sp, void (*entry)(void)) __attribute__((noreturn));

static uint8_t at_random[16];

_Noreturn void start_program(const struct pith_boot *boot, const uint8_t *random16)
{
	uint64_t nargs = (uint64_t)boot->argc + boot->envc;
	uint64_t need = 1 + nargs + 2 + 2 * 14 + 1; /* +1: room to align */
	const char *s = (const char *)(uintptr_t)boot->args;

	/* The frame must leave the program most of its stack. */
	if (need > INITIAL_STACK_MAX / 8 || need * 8 > (boot->stack_top - boot->stack_bottom) / 2)
		panic("%lu arguments and variables do not fit the %lu KiB stack (use a larger -m)",
		      (unsigned long)nargs,
		      (unsigned long)((boot->stack_top - boot->stack_bottom) >> 10));
	uint64_t space[need];
	uint64_t *frame = (uint64_t *)ALIGN_UP((uintptr_t)space, 16), *sp = frame;
	memcpy(at_random, random16, sizeof(at_random));

	*sp++ = boot->argc;
	for (uint64_t i = 0; i < nargs; i++) {
		if (i == boot->argc)
			*sp++ = 0;
		*sp++ = (uintptr_t)s;
		s += strlen(s) + 1;
	}
	if (nargs == boot->argc)
		*sp++ = 0;
	*sp++ = 0;
#define AUX(k, v) (*sp++ = (k), *sp++ = (uint64_t)(v))
	AUX(AT_PHDR, boot->phdr);
	AUX(AT_PHENT, 56);
	AUX(AT_PHNUM, boot->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_ENTRY, (uintptr_t)_start);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, at_random);
	AUX(AT_EXECFN, boot->argc ? *(const char **)&frame[1] : "");
	AUX(AT_NULL, 0);
#undef AUX
	/* The frame sits in this function's own stack frame, which is never
	 * returned to; the program's stack grows down from its base. */
	arch_enter_program((uint64_t)(uintptr_t)frame, _start);
}
