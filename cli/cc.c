/*
 * cc.c — `pith cc` / `pith-cc`: a gcc-compatible driver for images.
 *
 * It runs gcc with pith's specs file, which puts musl's headers first,
 * links musl's start files, libc and the guest kernel (libpithkernel.a,
 * part by part as the program needs) with pith's linker script, static
 * and non-PIE. Everything else is gcc's: every flag a Makefile passes
 * (-c, -o, -I, -D, -O2, -g, -W..., -l, -L, .o and .a inputs) works as it
 * would, so `make CC=pith-cc` builds an existing project.
 * Environment: PITH_GCC names the compiler (default gcc).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith cc [GCC-OPTION | FILE]...\n"
		   "       pith-cc [GCC-OPTION | FILE]...\n\n"
		   "Compile and link C programs into a pith image, as gcc would a\n"
		   "static executable. -shared is not supported. Run the result with\n"
		   "`pith run IMAGE`.\n");
}

int cmd_cc(int argc, char **argv)
{
	const char *lib = pith_libdir(), *gcc = getenv("PITH_GCC");
	char specs[4096], check[4096];
	char **args;
	struct stat st;
	int n = 0;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 2) {
		usage(stderr);
		return 125;
	}
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-shared") || !strcmp(argv[i], "-rdynamic"))
			die("cc: %s: pith images are static; shared objects are not supported",
			    argv[i]);
	snprintf(specs, sizeof(specs), "-specs=%s/lib/pith.specs", lib);
	snprintf(check, sizeof(check), "%s/lib/libpithkernel.a", lib);
	if (stat(check, &st) < 0)
		die("cc: guest toolchain incomplete: %s missing (run make)", check);
	if (setenv("PITH_LIBDIR", lib, 1) < 0)
		die("cc: setenv: %s", strerror(errno));

	args = calloc((size_t)argc + 8, sizeof(*args));
	if (!args)
		die("cc: out of memory");
	args[n++] = (char *)(gcc && *gcc ? gcc : "gcc");
	args[n++] = specs;
	args[n++] = "-static";
	args[n++] = "-no-pie";
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	execvp(args[0], args);
	die("cc: cannot run %s: %s", args[0], strerror(errno));
}
