/*
 * cc.c — `pith cc` / `pith-cc`: a gcc-compatible driver for images.
 *
 * It runs gcc with pith's specs file, which puts musl's headers first,
 * links musl's start files, libc and the guest kernel (libpithkernel.a,
 * part by part as the program needs) with pith's linker script, static
 * and non-PIE. Everything else is gcc's: every flag a Makefile passes
 * (-c, -o, -I, -D, -O2, -g, -W..., -l, -L, .o and .a inputs) works as it
 * would, so `make CC=pith-cc` builds an existing project.
 * Environment: PITH_GCC names the compiler (default gcc); PITH_FILES,
 * when set, is --pith-files for every link that does not give one.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith cc [GCC-OPTION | FILE]...\n"
		   "       pith-cc [GCC-OPTION | FILE]...\n\n"
		   "Compile and link C programs into a pith image, as gcc would a\n"
		   "static executable. -shared is not supported. Run the result with\n"
		   "`pith run IMAGE`.\n\n"
		   "  --pith-files=DIR[:/PATH]  bake DIR's tree into the image, read-only,\n"
		   "                            at /PATH (default /) in the guest\n\n"
		   "Environment: PITH_GCC names the compiler (default gcc); PITH_FILES is\n"
		   "--pith-files for links that give none (pith build sets it).\n");
}

/* Run gcc and wait for it; its exit status. */
static int run_gcc(char **args)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("cc: fork: %s", strerror(errno));
	if (pid == 0) {
		execvp(args[0], args);
		fprintf(stderr, "pith: cc: cannot run %s: %s\n", args[0], strerror(errno));
		_exit(125);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("cc: waitpid: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int cmd_cc(int argc, char **argv)
{
	const char *lib = pith_libdir(), *gcc = getenv("PITH_GCC");
	char specs[4096], check[4096];
	char tmpdir[] = "/tmp/pith-cc.XXXXXX", blob[64], asm_file[64];
	const char *files = NULL;
	char **args;
	struct stat st;
	bool link = true;
	int n = 0, status;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 2) {
		usage(stderr);
		return 125;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-shared") || !strcmp(argv[i], "-rdynamic"))
			die("cc: %s: pith images are static; shared objects are not supported",
			    argv[i]);
		if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "-S") || !strcmp(argv[i], "-E") ||
		    !strcmp(argv[i], "-M") || !strcmp(argv[i], "-MM"))
			link = false;
		if (!strncmp(argv[i], "--pith-files=", 13)) {
			if (files)
				die("cc: --pith-files given twice");
			files = argv[i] + 13;
			if (!*files)
				die("cc: --pith-files needs a directory");
		}
	}
	if (files && !link)
		die("cc: --pith-files bakes files into an image: only when linking");
	/* `pith build` says what its Pithfile's FILES line bakes this way,
	 * for whichever pith cc its BUILD commands run. */
	if (!files && link && getenv("PITH_FILES") && *getenv("PITH_FILES"))
		files = getenv("PITH_FILES");
	snprintf(specs, sizeof(specs), "-specs=%s/lib/pith.specs", lib);
	snprintf(check, sizeof(check), "%s/lib/libpithkernel.a", lib);
	if (stat(check, &st) < 0)
		die("cc: guest toolchain incomplete: %s missing (run make)", check);
	if (setenv("PITH_LIBDIR", lib, 1) < 0)
		die("cc: setenv: %s", strerror(errno));

	args = calloc((size_t)argc + 10, sizeof(*args));
	if (!args)
		die("cc: out of memory");
	args[n++] = (char *)(gcc && *gcc ? gcc : "gcc");
	args[n++] = specs;
	args[n++] = "-static";
	args[n++] = "-no-pie";
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "--pith-files=", 13) != 0)
			args[n++] = argv[i];
	if (!files) {
		args[n] = NULL;
		execvp(args[0], args);
		die("cc: cannot run %s: %s", args[0], strerror(errno));
	}
	if (!mkdtemp(tmpdir))
		die("cc: cannot make a temporary directory: %s", strerror(errno));
	snprintf(blob, sizeof(blob), "%s/files.bin", tmpdir);
	snprintf(asm_file, sizeof(asm_file), "%s/files.S", tmpdir);
	pack_files(files, blob, asm_file);
	args[n++] = "-x"; /* whatever -x the command line set, this is assembly */
	args[n++] = "none";
	args[n++] = asm_file;
	args[n] = NULL;
	status = run_gcc(args);
	unlink(blob);
	unlink(asm_file);
	rmdir(tmpdir);
	free(args);
	return status;
}
