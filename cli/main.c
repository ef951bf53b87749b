/*
 * main.c — `pith` and its subcommands; `pith-cc` is `pith cc`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pith/abi.h>

#include "../monitor/util.h"
#include "cli.h"

#define PITH_VERSION "0.1.0"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} cmds[] = {
	{ "cc", cmd_cc, "compile and link a C program into an image" },
	{ "run", cmd_run, "run an image (KVM, or a sandboxed process)" },
	{ "inspect", cmd_inspect, "show what an image holds" },
	{ "build", cmd_build, "build an image from a Pithfile into the store" },
	{ "images", cmd_images, "list the images in the store" },
	{ "tag", cmd_tag, "give an image another name" },
	{ "rmi", cmd_rmi, "remove images from the store" },
	{ "ps", cmd_ps, "list instances" },
	{ "logs", cmd_logs, "show an instance's output" },
	{ "stop", cmd_stop, "stop instances: SIGTERM, then SIGKILL" },
	{ "kill", cmd_kill, "send instances a signal" },
	{ "rm", cmd_rm, "remove instances" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: pith COMMAND [ARG...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].what);
	fprintf(f, "  version   print the version\n\n"
		   "`pith COMMAND --help` describes each command.\n");
}

int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/');

	self = self ? self + 1 : argv[0];
	host_fds_init();
	if (strcmp(self, "pith-cc") == 0)
		return cmd_cc(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return PITH_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("pith %s (guest ABI %d)\n", PITH_VERSION, PITH_ABI_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	/* Internal: the supervisor `pith run -d` starts (supervise.c). */
	if (strcmp(argv[1], "__supervise") == 0)
		return cmd_supervise(argc - 1, argv + 1);
	fprintf(stderr, "pith: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return PITH_EXIT_ERROR;
}
