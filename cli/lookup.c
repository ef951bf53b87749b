/*
 * lookup.c — what `pith run IMAGE` and `pith inspect IMAGE` mean by IMAGE:
 * a file when one is there, else a name or ID in the image store.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../monitor/image.h"
#include "cli.h"
#include "store.h"

int image_lookup(const char *cmd, const char *arg, struct image_file *f, struct pithfile *defs,
		 char id[SHA256_HEX + 1])
{
	struct store s;
	struct tags t;
	struct stat st;
	int64_t created;
	char err[512];
	int r, found = -1;

	memset(defs, 0, sizeof(*defs));
	id[0] = '\0';
	/* A file named on the command line wins: the user can see it (and a
	 * directory gets image_open's word for why it is not an image). */
	if (stat(arg, &st) == 0) {
		r = image_open(f, arg);
		if (r < 0 && !(r == ELF_WRONG_ABI && !strcmp(cmd, "inspect")))
			die("%s: %s", arg, f->img.err);
		return r;
	}
	if (store_open(&s, 0) == 0) {
		store_tags_read(&s, &t);
		found = store_resolve(&s, &t, arg, id);
		store_tags_free(&t);
	}
	if (found == -2)
		die("%s: %s: more than one image ID starts so", cmd, arg);
	if (found < 0)
		die("%s: %s: no such file or image (see pith images)", cmd, arg);
	if (store_load_image(&s, id, defs, &created, err, sizeof(err)) < 0)
		die("%s: %s: %s", cmd, arg, err);
	/* Read while the store is locked: a concurrent rmi cannot take the
	 * file away halfway. */
	r = image_open(f, defs->image);
	store_close(&s);
	if (r < 0 && !(r == ELF_WRONG_ABI && !strcmp(cmd, "inspect")))
		die("%s: %s: %s", cmd, arg, f->img.err);
	return r;
}
