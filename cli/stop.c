/*
 * stop.c — `pith stop`: ask instances to end, then make them.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pith/abi.h>

#include "cli.h"
#include "instance.h"

#define HARD_WAIT_MS 10000 /* after SIGKILL: the supervisor logs and records */

static void usage(FILE *f)
{
	fprintf(f, "usage: pith stop [-t SECONDS] NAME...\n\n"
		   "Send each instance SIGTERM — its program's handler runs if it has one,\n"
		   "else it ends with status 143 — and SIGKILL after SECONDS (default 10).\n"
		   "A stopped instance is not restarted. Prints each name once it has\n"
		   "ended. Exit status: 0, or 125 when some NAME could not be stopped.\n");
}

int cmd_stop(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "time", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct store s = { .lock_fd = -1 };
	long timeout_s = 10;
	int c, bad = 0;
	char *end;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:h", opts, NULL)) != -1) {
		if (c == 't') {
			timeout_s = strtol(optarg, &end, 10);
			if (*end || end == optarg || timeout_s < 0 || timeout_s > 86400)
				die("stop: -t %s: a number of seconds, 0 to 86400", optarg);
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			bad_option("stop", c, argv[optind - 1]);
		}
	}
	if (optind == argc)
		die("stop: name an instance (see pith stop --help)");
	/* Instances need no store lock (instance.h): none is held while this
	 * command waits, so builds and runs go on meanwhile. */
	store_open(&s, 0);
	store_close(&s);
	for (int i = optind; i < argc; i++) {
		struct instance in;

		if (instance_find(&s, "stop", argv[i], &in) < 0) {
			bad = 1;
			continue;
		}
		if (instance_request(&in, SIGTERM, CTL_NO_RESTART) == 0 &&
		    !instance_wait_gone(&in, (int)timeout_s * 1000)) {
			instance_request(&in, SIGKILL, CTL_NO_RESTART);
			if (!instance_wait_gone(&in, HARD_WAIT_MS)) {
				fprintf(stderr, "pith: stop: %s: still running after SIGKILL\n",
					in.name);
				bad = 1;
				instance_free(&in);
				continue;
			}
		}
		printf("%s\n", in.name);
		fflush(stdout);
		instance_free(&in);
	}
	return bad ? PITH_EXIT_ERROR : 0;
}
