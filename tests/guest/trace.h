/*
 * trace.h — the file-system guest tests' one line per call:
 * what was done, what it returned, and errno's text when it failed. The
 * same program runs under pith and natively; tests/guest/run.sh compares
 * the two outputs, so every line is a Linux-compatibility check.
 */
#ifndef PITH_TEST_TRACE_H
#define PITH_TEST_TRACE_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define T(what, call)                                                              \
	do {                                                                       \
		errno = 0;                                                         \
		long r_ = (long)(call);                                            \
		printf("%-36s %ld %s\n", what, r_, r_ < 0 ? strerror(errno) : ""); \
	} while (0)

#endif
