/*
 * tag.c — `pith tag`: another name for an image.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith tag IMAGE NAME[:TAG]\n\n"
		   "Make NAME[:TAG] (TAG latest when not given) name IMAGE, a name or\n"
		   "an image ID; a tag that named another image moves.\n");
}

int cmd_tag(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char ref[REF_MAX], id[SHA256_HEX + 1];
	struct tags t;
	struct store s;
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		bad_option("tag", c, argv[optind - 1]);
	}
	if (argc - optind != 2)
		die("tag: give an image and a new name (see pith tag --help)");
	if (ref_parse(argv[optind + 1], ref) < 0)
		die("tag: %s: not NAME[:TAG] (NAME: a-z 0-9 . _ - /; TAG: A-Z a-z 0-9 _ . -)",
		    argv[optind + 1]);
	store_open(&s, 1);
	store_tags_read(&s, &t);
	r = store_resolve(&s, &t, argv[optind], id);
	if (r == -2)
		die("tag: %s: more than one image ID starts so", argv[optind]);
	if (r < 0)
		die("tag: %s: no such image (see pith images)", argv[optind]);
	tags_set(&t, ref, id);
	store_tags_write(&s, &t);
	store_tags_free(&t);
	store_close(&s);
	return 0;
}
