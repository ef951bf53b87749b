/*
 * part_time.c — markers of the "time" part: clocks and sleeping.
 */
#include "part.h"

PITH_PART_NAME(time)
#undef MARK_time
#define MARK_time(nr) PITH_MARK(nr)
#include "syscalls.def"
