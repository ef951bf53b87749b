/*
 * process.h — target "process": run an image as a seccomp-sandboxed
 * child process (process.c). Returns the exit status for `pith run`, or
 * -1 with a message in err when the guest could not be started.
 */
#ifndef PITH_PROCESS_H
#define PITH_PROCESS_H

#include <stddef.h>

#include "guest.h"

int process_run(const struct elf_image *img, const struct run_opts *o, char *err, size_t errlen);

#endif
