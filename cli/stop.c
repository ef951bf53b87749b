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
		   "All are asked at once and share the time. A stopped instance is not\n"
		   "restarted. Prints each name once it has\n"
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
	int c, bad = 0, n;
	struct instance *in;
	bool *found;
	int64_t deadline;
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
	/* All are asked at once, and share the time they are given. */
	n = argc - optind;
	if (!(in = calloc((size_t)n, sizeof(*in))) || !(found = calloc((size_t)n, sizeof(*found))))
		die("stop: out of memory");
	for (int i = 0; i < n; i++) {
		found[i] = instance_find(&s, "stop", argv[optind + i], &in[i]) == 0;
		if (!found[i])
			bad = 1;
		else
			instance_request(&in[i], SIGTERM, CTL_NO_RESTART);
	}
	deadline = wall_ns() + (int64_t)timeout_s * 1000000000;
	for (int i = 0; i < n; i++) {
		int64_t left = deadline - wall_ns();

		if (!found[i])
			continue;
		if (!instance_wait_gone(&in[i], left > 0 ? (int)(left / 1000000) : 0)) {
			instance_request(&in[i], SIGKILL, CTL_NO_RESTART);
			if (!instance_wait_gone(&in[i], HARD_WAIT_MS)) {
				fprintf(stderr, "pith: stop: %s: still running after SIGKILL\n",
					in[i].name);
				bad = 1;
				instance_free(&in[i]);
				continue;
			}
		}
		printf("%s\n", in[i].name);
		fflush(stdout);
		instance_free(&in[i]);
	}
	free(in);
	free(found);
	return bad ? PITH_EXIT_ERROR : 0;
}
