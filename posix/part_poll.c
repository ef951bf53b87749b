/*
 * part_poll.c — markers of the "poll" part: poll, ppoll, select, pselect6.
 */
#include "part.h"

PITH_PART_NAME(poll)
#undef MARK_poll
#define MARK_poll(nr) PITH_MARK(nr)
#include "syscalls.def"
