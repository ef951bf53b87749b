/*
 * part_random.c — markers of the "random" part: getrandom.
 */
#include "part.h"

PITH_PART_NAME(random)
#undef MARK_random
#define MARK_random(nr) PITH_MARK(nr)
#include "syscalls.def"
