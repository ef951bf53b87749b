/*
 * landlock.h — confine pith's file access to the volumes (landlock.c).
 */
#ifndef PITH_LANDLOCK_H
#define PITH_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "guest.h"

/* With volumes in o: from now on this process reaches files only beneath
 * them (read-only beneath :ro ones). 0, or -1 with a message in err; a
 * kernel without Landlock is an error only when required. */
int landlock_volumes(const struct run_opts *o, bool required, char *err, size_t errlen);

#endif
