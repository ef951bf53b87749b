/*
 * process.h — target "process": run an image inside pith's own process,
 * under seccomp (process.c). Never returns once the guest runs: the guest
 * ends the process with its exit status. Returns -1 with a message in err
 * when the guest could not be started.
 */
#ifndef PITH_PROCESS_H
#define PITH_PROCESS_H

#include <stddef.h>

#include "guest.h"

int process_run(const struct elf_image *img, const struct run_opts *o, char *err, size_t errlen);

#endif
