/*
 * ps.c — `pith ps`: the instances and how they are.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pith/abi.h>

#include "cli.h"
#include "instance.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith ps [-a] [-q] [--format json]\n\n"
		   "List running instances (with -a, all of them).\n"
		   "  -a, --all          ended ones too\n"
		   "  -q, --quiet        names only\n"
		   "      --format json  a JSON array: name, image, image_id, status\n"
		   "                     (created, running, restarting, exited), exit_code,\n"
		   "                     pid, started, finished (seconds since 1970),\n"
		   "                     uptime (seconds), restarts, ports, memory, lost\n");
}

static const char *status_text(const struct instance *in, char out[96])
{
	char d[32];
	int64_t now = wall_ns();

	switch (in->status) {
	case ST_CREATED:
		return "Created";
	case ST_RUNNING:
		snprintf(out, 96, "Up %s", human_duration((now - in->started_ns) / 1000000000, d));
		break;
	case ST_RESTARTING:
		snprintf(out, 96, "Restarting (%d) %s ago", in->exit_code,
			 human_duration((now - in->finished_ns) / 1000000000, d));
		break;
	case ST_EXITED:
		snprintf(out, 96, "Exited (%d) %s ago%s", in->exit_code,
			 human_duration((now - in->finished_ns) / 1000000000, d),
			 in->lost ? " (supervisor killed)" : "");
		break;
	}
	return out;
}

int cmd_ps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, 0, 'a' },
		{ "quiet", no_argument, 0, 'q' },
		{ "format", required_argument, 0, 'F' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char(*names)[INSTANCE_NAME_MAX + 1] = NULL, err[512], status[96], mem[16], image[64];
	bool all = false, quiet = false, json = false, first = true;
	struct store s = { .lock_fd = -1 };
	size_t n = 0;
	int c, bad = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:aqh", opts, NULL)) != -1) {
		if (c == 'a') {
			all = true;
		} else if (c == 'q') {
			quiet = true;
		} else if (c == 'F') {
			if (strcmp(optarg, "json") != 0)
				die("ps: --format %s: only json is known", optarg);
			json = true;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			bad_option("ps", c, argv[optind - 1]);
		}
	}
	if (optind != argc)
		die("ps: unexpected argument %s (see pith ps --help)", argv[optind]);
	if (store_open(&s, 0) == 0)
		n = instance_names(&s, &names);
	if (json)
		printf("[");
	else if (!quiet)
		printf("%-24s %-24s %-36s %-14s %s\n", "NAME", "IMAGE", "STATUS", "PORTS",
		       "MEMORY");
	for (size_t i = 0; i < n; i++) {
		struct instance in;
		bool missing;

		if (instance_load(&s, names[i], &in, &missing, err, sizeof(err)) < 0) {
			if (!missing) { /* removed meanwhile: not an error */
				fprintf(stderr, "pith: ps: %s\n", err);
				bad = 1;
			}
			continue;
		}
		if (all || in.status != ST_EXITED) {
			if (json) {
				printf("%s\n  ", first ? "" : ",");
				instance_print_json(&in, false);
			} else if (quiet)
				printf("%s\n", in.name);
			else
				printf("%-24s %-24.24s %-36s %-14s %s\n", in.name,
				       printable(in.image, image, sizeof(image)),
				       status_text(&in, status), in.ports[0] ? in.ports : "-",
				       human_bytes(in.memory, mem));
			first = false;
		}
		instance_free(&in);
	}
	if (json)
		printf("%s]\n", first ? "" : "\n");
	free(names);
	store_close(&s);
	return bad ? PITH_EXIT_ERROR : 0;
}
