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
		   "  -f, --force   kill it first (SIGKILL) if it runs\n"
		   "Exit status: 0, or 125 when some NAME could not be removed.\n");
}

int cmd_rm(int argc, char **argv)
{
	int force = parse_force_names("rm", "an instance", argc, argv, usage), bad = 0;
	struct store s = { .lock_fd = -1 };

	store_open(&s, 0);
	for (int i = optind; i < argc; i++) {
		struct instance in;

		if (instance_find(&s, "rm", argv[i], &in) < 0) {
			bad = 1;
			continue;
		}
		if (in.alive && !force) {
			fprintf(stderr, "pith: rm: %s: is running (pith stop it, or rm -f)\n",
				in.name);
			bad = 1;
		} else if (in.alive && (instance_request(&in, SIGKILL, CTL_NO_RESTART),
					!instance_wait_gone(in.dir, 10000))) {
			fprintf(stderr, "pith: rm: %s: still running after SIGKILL\n", in.name);
			bad = 1;
		} else {
			instance_remove(in.dir);
			printf("%s\n", in.name);
		}
		instance_free(&in);
	}
	store_close(&s);
	return bad ? PITH_EXIT_ERROR : 0;
}
