/*
 * rmi.c — `pith rmi`: remove images from the store.
 */
#include <stdio.h>
#include <unistd.h> /* optind */
#include <stdlib.h>
#include <string.h>

#include <pith/abi.h>

#include "cli.h"
#include "instance.h"
#include "store.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith rmi [-f] IMAGE...\n\n"
		   "Remove each IMAGE: a NAME[:TAG] loses that tag, and the image goes\n"
		   "when no tag names it any more; an image ID goes with all its tags\n"
		   "only with -f. An image an instance uses stays (pith rm the instance).\n"
		   "  -f, --force   remove an image by ID even when tags name it\n"
		   "Exit status: 0, or 125 when some IMAGE could not be removed.\n");
}

static size_t tags_count(const struct tags *t, const char *id)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += !strcmp(t->v[i].id, id);
	return n;
}

static int tagged(const struct tags *t, const char *id)
{
	return tags_count(t, id) > 0;
}

/* The name of an instance (in any state) that runs image ID, or NULL. */
static const char *used_by(struct store *s, const char *id)
{
	static char user[INSTANCE_NAME_MAX + 1];
	char(*names)[INSTANCE_NAME_MAX + 1], err[512];
	size_t n = instance_names(s, &names);
	const char *found = NULL;

	for (size_t i = 0; i < n && !found; i++) {
		struct instance in;
		bool missing;

		if (instance_load(s, names[i], &in, &missing, err, sizeof(err)) < 0)
			continue;
		if (!strcmp(in.image_id, id)) {
			snprintf(user, sizeof(user), "%s", in.name);
			found = user;
		}
		instance_free(&in);
	}
	free(names);
	return found;
}

/* Untag ARG in T: 1 when image DEL is then to go, 0 when not, or -1
 * after saying why nothing changes. */
static int remove_one(struct store *s, struct tags *t, const char *arg, int force,
		      char del[SHA256_HEX + 1])
{
	char ref[REF_MAX], id[SHA256_HEX + 1];
	int r = store_resolve(s, t, arg, id);
	const char *user;

	if (r == -2) {
		fprintf(stderr, "pith: rmi: %s: more than one image ID starts so\n", arg);
		return -1;
	}
	if (r < 0) {
		fprintf(stderr, "pith: rmi: %s: no such image (see pith images)\n", arg);
		return -1;
	}
	/* Refused before anything changes when the image would go. */
	if ((user = used_by(s, id)) && (tags_count(t, id) <= 1 || force)) {
		fprintf(stderr, "pith: rmi: %s: instance %s uses it (pith rm %s first)\n", arg,
			user, user);
		return -1;
	}
	if (ref_parse(arg, ref) == 0 && tags_find(t, ref)) {
		tags_del(t, ref);
		printf("Untagged: %s\n", ref);
	} else if (tagged(t, id)) {
		if (!force) {
			fprintf(stderr,
				"pith: rmi: %s: image is tagged (remove its tags, or use -f)\n",
				arg);
			return -1;
		}
		for (size_t i = t->n; i-- > 0;)
			if (!strcmp(t->v[i].id, id)) {
				printf("Untagged: %s\n", t->v[i].ref);
				tags_del(t, t->v[i].ref);
			}
	}
	if (tagged(t, id))
		return 0;
	memcpy(del, id, SHA256_HEX + 1);
	return 1;
}

int cmd_rmi(int argc, char **argv)
{
	int force = parse_force_names("rmi", "an image", argc, argv, usage), bad = 0;
	struct tags t;
	struct store s = { .lock_fd = -1 };

	store_open(&s, 1);
	store_tags_read(&s, &t);
	for (int i = optind; i < argc; i++) {
		char del[SHA256_HEX + 1];
		int r = remove_one(&s, &t, argv[i], force, del);

		if (r < 0) {
			bad = 1;
			continue;
		}
		/* Tags first, then the image, then its blob, each durable before
		 * the next: a crash between leaves at worst a file no tag or
		 * image names, which store_gc removes. */
		store_tags_write(&s, &t);
		if (r == 1) {
			store_remove_image(&s, del);
			printf("Deleted: sha256:%s\n", del);
		}
	}
	store_gc(&s);
	store_tags_free(&t);
	store_close(&s);
	return bad ? PITH_EXIT_ERROR : 0;
}
