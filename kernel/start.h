/*
 * start.h — hand over to the program (musl's _start).
 */
#ifndef PITH_START_H
#define PITH_START_H

#include <pith/abi.h>

_Noreturn void start_program(const struct pith_boot *boot, const uint8_t *random16);

#endif
