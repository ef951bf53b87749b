/*
 * kill.c — `pith kill`: send instances a signal.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pith/abi.h>

#include "cli.h"
#include "instance.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith kill [-s SIGNAL] NAME...\n\n"
		   "Send each running instance SIGNAL (default KILL): a name (TERM, SIGHUP)\n"
		   "or a number. An instance ended by it is not restarted; one that lives\n"
		   "through it (a reload on SIGHUP) keeps its --restart policy.\n"
		   "Exit status: 0, or 125 when some NAME was not running.\n");
}

static int signal_number(const char *s)
{
	static const struct {
		const char *name;
		int sig;
	} names[] = {
		{ "HUP", SIGHUP },   { "INT", SIGINT },	  { "QUIT", SIGQUIT }, { "ABRT", SIGABRT },
		{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE },
		{ "ALRM", SIGALRM }, { "TERM", SIGTERM },
	};
	char *end;
	long n = strtol(s, &end, 10);

	if (end != s && !*end)
		return n >= 1 && n <= 64 ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i].name))
			return names[i].sig;
	return -1;
}

int cmd_kill(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signal", required_argument, 0, 's' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct store s = { .lock_fd = -1 };
	int c, bad = 0, sig = SIGKILL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:s:h", opts, NULL)) != -1) {
		if (c == 's') {
			if ((sig = signal_number(optarg)) < 0)
				die("kill: -s %s: not a signal (e.g. TERM, HUP, 9)", optarg);
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			bad_option("kill", c, argv[optind - 1]);
		}
	}
	if (optind == argc)
		die("kill: name an instance (see pith kill --help)");
	/* Instances need no store lock (instance.h): none is held while this
	 * command waits, so builds and runs go on meanwhile. */
	store_open(&s, 0);
	store_close(&s);
	for (int i = optind; i < argc; i++) {
		struct instance in;

		if (instance_find(&s, "kill", argv[i], &in) < 0) {
			bad = 1;
			continue;
		}
		if (instance_request(&in, sig, 0) < 0) {
			fprintf(stderr, "pith: kill: %s: not running\n", in.name);
			bad = 1;
		} else {
			printf("%s\n", in.name);
		}
		instance_free(&in);
	}
	return bad ? PITH_EXIT_ERROR : 0;
}
