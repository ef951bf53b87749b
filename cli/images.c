/*
 * images.c — `pith images`: what the image store holds.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pith/abi.h>

#include "cli.h"
#include "store.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith images [-q] [--format json]\n\n"
		   "List the images in the store: each tag, then images no tag names.\n"
		   "  -q, --quiet      image IDs only, each once\n"
		   "      --format json  a JSON array of {\"repository\", \"tag\", \"id\",\n"
		   "                   \"created\" (seconds since 1970), \"size\" (bytes)}\n");
}

struct row {
	const char *ref; /* NULL: untagged */
	const char *id;
	int64_t created;
	uint64_t size;
};

static int fill(struct store *s, const char *id, struct row *r)
{
	struct pithfile pf;
	struct stat st;
	char err[512];

	r->id = id;
	if (store_load_image(s, id, &pf, &r->created, err, sizeof(err)) < 0) {
		fprintf(stderr, "pith: images: %s\n", err);
		return -1;
	}
	r->size = stat(pf.image, &st) == 0 ? (uint64_t)st.st_size : 0;
	pithfile_free(&pf);
	return 0;
}

static void print_row(const struct row *r, int json, int first)
{
	char name[REF_MAX] = "<none>", size[16], ago[32];
	const char *tag = "<none>";

	if (r->ref) {
		snprintf(name, sizeof(name), "%s", r->ref);
		*strrchr(name, ':') = '\0';
		tag = strrchr(r->ref, ':') + 1;
	}
	if (json) {
		printf("%s\n  {\"repository\": ", first ? "" : ",");
		json_str(stdout, name);
		printf(", \"tag\": ");
		json_str(stdout, tag);
		printf(", \"id\": \"sha256:%s\", \"created\": %lld, \"size\": %llu}", r->id,
		       (long long)r->created, (unsigned long long)r->size);
		return;
	}
	printf("%-30s %-14s %.12s   %-16s %s\n", name, tag, r->id, human_ago(r->created, ago),
	       human_bytes(r->size, size));
}

int cmd_images(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, 0, 'q' },
		{ "format", required_argument, 0, 'F' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char(*ids)[SHA256_HEX + 1] = NULL;
	struct tags t = { 0 };
	struct store s;
	int c, quiet = 0, json = 0, first = 1, bad = 0;
	size_t n = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:qh", opts, NULL)) != -1) {
		if (c == 'q') {
			quiet = 1;
		} else if (c == 'F') {
			if (strcmp(optarg, "json") != 0)
				die("images: --format %s: only json is known", optarg);
			json = 1;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			bad_option("images", c, argv[optind - 1]);
		}
	}
	if (optind != argc)
		die("images: unexpected argument %s (see pith images --help)", argv[optind]);
	if (store_open(&s, 0) == 0) {
		store_tags_read(&s, &t);
		n = store_images(&s, &ids);
	}
	if (json)
		printf("[");
	else if (!quiet)
		printf("%-30s %-14s %-14s %-16s %s\n", "REPOSITORY", "TAG", "IMAGE ID", "CREATED",
		       "SIZE");
	for (size_t i = 0; !quiet && i < t.n; i++) {
		struct row r = { .ref = t.v[i].ref };

		if (fill(&s, t.v[i].id, &r) < 0) {
			bad = 1;
			continue;
		}
		print_row(&r, json, first);
		first = 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct row r = { 0 };
		int tagged = 0;

		if (quiet) {
			printf("%.12s\n", ids[i]);
			continue;
		}
		for (size_t j = 0; j < t.n && !tagged; j++)
			tagged = !strcmp(t.v[j].id, ids[i]);
		if (tagged)
			continue;
		if (fill(&s, ids[i], &r) < 0) {
			bad = 1;
			continue;
		}
		print_row(&r, json, first);
		first = 0;
	}
	if (json)
		printf("%s]\n", first ? "" : "\n");
	free(ids);
	store_tags_free(&t);
	store_close(&s);
	return bad ? PITH_EXIT_ERROR : 0;
}
