/*
 * part_pipe.c — markers of the "pipe" part: pipe, pipe2.
 */
#include "part.h"

PITH_PART_NAME(pipe)
#undef MARK_pipe
#define MARK_pipe(nr) PITH_MARK(nr)
#include "syscalls.def"
