/*
 * part_event.c — markers of the "event" part: epoll and eventfd.
 */
#include "part.h"

PITH_PART_NAME(event)
#undef MARK_event
#define MARK_event(nr) PITH_MARK(nr)
#include "syscalls.def"
