/*
 * rm.c — `pith rm`: remove instances.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h> /* optind */

#include <pith/abi.h>

#include "cli.h"
#include "instance.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith rm [-f] NAME...\n\n"
		   "Remove each ended instance: its state and its log.\n"
		   "  -f, --force   kill it first (SIGKILL) if it runs; remove a damaged one\n"
		   "Exit status: 0, or 125 when some NAME could not be removed.\n");
}

int cmd_rm(int argc, char **argv)
{
	int force = parse_force_names("rm", "an instance", argc, argv, usage), bad = 0;
	struct store s = { .lock_fd = -1 };

	/* Instances need no store lock (instance.h): none is held while this
	 * command waits, so builds and runs go on meanwhile. */
	store_open(&s, 0);
	store_close(&s);
	for (int i = optind; i < argc; i++) {
		struct instance in;
		char err[512];
		bool missing;

		if (instance_load(&s, argv[i], &in, &missing, err, sizeof(err)) < 0) {
			/* A damaged instance with no supervisor goes with -f. */
			if (!missing && force && !instance_alive(in.dir)) {
				instance_remove(in.dir);
				printf("%s\n", argv[i]);
				continue;
			}
			fprintf(stderr, "pith: rm: %s%s\n", err,
				missing ? "" : " (pith rm -f removes it)");
			bad = 1;
			continue;
		}
		if (in.alive && !force) {
			fprintf(stderr, "pith: rm: %s: is running (pith stop it, or rm -f)\n",
				in.name);
			bad = 1;
		} else if (in.alive && (instance_request(&in, SIGKILL, CTL_NO_RESTART),
					!instance_wait_gone(&in, 10000))) {
			fprintf(stderr, "pith: rm: %s: still running after SIGKILL\n", in.name);
			bad = 1;
		} else {
			instance_remove(in.dir);
			printf("%s\n", in.name);
		}
		instance_free(&in);
	}
	return bad ? PITH_EXIT_ERROR : 0;
}
