/*
 * inspect.c — `pith inspect IMAGE`: what an image holds.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <pith/files.h>

#include "../monitor/hvt.h"
#include "../monitor/image.h"
#include "cli.h"
#include "instance.h"
#include "pithfile.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pith inspect [--json] IMAGE|INSTANCE\n\n"
		   "Show an image's size, targets, kernel parts, guest ABI version,\n"
		   "segments and the smallest memory (-m) that runs it; for an image in\n"
		   "the store (a name or ID), also its ID and Pithfile defaults. An\n"
		   "instance (pith ps -a) is shown as JSON: its state and configuration.\n");
}

/* Calls fn for each part name in the image's .pith_parts section. */
static unsigned parts(const struct elf_image *img, const char **names, unsigned max)
{
	unsigned n = 0;
	size_t off = 0;

	while (off < img->parts_len && n < max) {
		size_t len = strnlen(img->parts + off, img->parts_len - off);

		if (len)
			names[n++] = img->parts + off;
		off += len + 1;
	}
	return n;
}

static const char *prot_str(unsigned p)
{
	static char s[4];

	s[0] = p & PROT_READ ? 'r' : '-';
	s[1] = p & PROT_WRITE ? 'w' : '-';
	s[2] = p & PROT_EXEC ? 'x' : '-';
	return s;
}

/* A stored image's ID and the defaults its Pithfile gave. */
static void json_defaults(const char *id, const struct pithfile *d)
{
	printf(",\"id\":\"sha256:%s\",\"defaults\":{\"cmd\":", id);
	if (d->has_args) {
		printf("[");
		for (size_t i = 0; i < d->nargs; i++) {
			printf(i ? "," : "");
			json_str(stdout, d->args[i]);
		}
		printf("]");
	} else {
		printf("null");
	}
	printf(",\"env\":[");
	for (size_t i = 0; i < d->nenv; i++) {
		printf(i ? "," : "");
		json_str(stdout, d->env[i]);
	}
	printf("],\"memory\":%llu,\"ports\":[", (unsigned long long)d->memory);
	for (size_t i = 0; i < d->nports; i++)
		printf("%s\"%u/%s\"", i ? "," : "", d->ports[i].port, d->ports[i].proto);
	printf("],\"hostname\":");
	if (d->hostname)
		json_str(stdout, d->hostname);
	else
		printf("null");
	printf("}");
}

static void text_defaults(const char *id, const struct pithfile *d)
{
	printf("id:          sha256:%s\n", id);
	if (d->has_args) {
		printf("cmd:        ");
		for (size_t i = 0; i < d->nargs; i++) {
			printf(" ");
			json_str(stdout, d->args[i]);
		}
		printf("\n");
	}
	for (size_t i = 0; i < d->nenv; i++)
		printf("env:         %s\n", d->env[i]);
	if (d->memory)
		printf("memory:      %llu KiB (default -m)\n", (unsigned long long)d->memory >> 10);
	for (size_t i = 0; i < d->nports; i++)
		printf("exposes:     %u/%s\n", d->ports[i].port, d->ports[i].proto);
	if (d->hostname)
		printf("hostname:    %s\n", d->hostname);
}

/* An instance of that name (and no file): shown as JSON; true if so. */
static bool inspect_instance(const char *name)
{
	struct store s = { .lock_fd = -1 };
	struct instance in;
	struct stat st;
	char err[512];
	bool missing;

	if (stat(name, &st) == 0 || !instance_name_ok(name) || store_open(&s, 0) < 0)
		return false;
	if (instance_load(&s, name, &in, &missing, err, sizeof(err)) < 0) {
		if (missing) {
			store_close(&s);
			return false;
		}
		die("inspect: %s", err);
	}
	instance_print_json(&in, true);
	printf("\n");
	instance_free(&in);
	store_close(&s);
	return true;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct image_file f;
	struct pithfile defs;
	char id[65];
	const char *names[32];
	bool json = false;
	unsigned np, nfiles = 0;
	int c, r;
	uint64_t min_hvt, min_proc, text = 0, data = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jh", opts, NULL)) != -1) {
		if (c == 'j') {
			json = true;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			bad_option("inspect", c, argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		die("inspect: give exactly one image (see pith inspect --help)");
	if (inspect_instance(argv[optind]))
		return 0;
	r = image_lookup("inspect", argv[optind], &f, &defs, id);
	np = parts(&f.img, names, 32);
	if (f.img.files_len >= sizeof(struct pith_files_hdr) &&
	    memcmp(f.img.files, PITH_FILES_MAGIC, sizeof(PITH_FILES_MAGIC)) == 0) {
		struct pith_files_hdr h;

		memcpy(&h, f.img.files, sizeof(h));
		nfiles = h.count;
	}
	for (unsigned i = 0; i < f.img.nseg; i++) {
		if (f.img.seg[i].prot & PROT_EXEC)
			text += f.img.seg[i].memsz;
		else
			data += f.img.seg[i].memsz;
	}
	/* With a page of arguments; hvt's system area sized for a little more
	 * memory than the answer, which can only overestimate. */
	min_proc = layout_min_mem(&f.img, 0, 4096);
	min_hvt = layout_min_mem(&f.img, hvt_sys_bytes(&f.img, min_proc + (1 << 20), 4096), 4096);

	if (json) {
		printf("{\"image\":");
		json_str(stdout, argv[optind]);
		printf(",\"size\":%zu,\"abi_version\":%u,\"abi_supported\":%s,"
		       "\"targets\":[%s%s%s],\"parts\":[",
		       f.size, f.img.note.abi_version, r == 0 ? "true" : "false",
		       f.img.note.targets & PITH_TARGET_HVT ? "\"hvt\"" : "",
		       (f.img.note.targets & 3) == 3 ? "," : "",
		       f.img.note.targets & PITH_TARGET_PROCESS ? "\"process\"" : "");
		for (unsigned i = 0; i < np; i++) {
			printf(i ? "," : "");
			json_str(stdout, names[i]);
		}
		printf("],\"entry\":%llu,\"segments\":[", (unsigned long long)f.img.entry);
		for (unsigned i = 0; i < f.img.nseg; i++)
			printf("%s{\"vaddr\":%llu,\"memsz\":%llu,\"filesz\":%llu,\"prot\":\"%s\"}",
			       i ? "," : "", (unsigned long long)f.img.seg[i].vaddr,
			       (unsigned long long)f.img.seg[i].memsz,
			       (unsigned long long)f.img.seg[i].filesz,
			       prot_str(f.img.seg[i].prot));
		printf("],\"files\":{\"count\":%u,\"bytes\":%zu}", nfiles, f.img.files_len);
		printf(",\"symbols\":%s,\"min_memory\":{\"hvt\":%llu,\"process\":%llu}",
		       f.img.nsym ? "true" : "false", (unsigned long long)min_hvt,
		       (unsigned long long)min_proc);
		if (id[0])
			json_defaults(id, &defs);
		printf("}\n");
	} else {
		printf("image:       %s\n", argv[optind]);
		printf("size:        %zu bytes%s\n", f.size, f.img.nsym ? "" : " (stripped)");
		printf("abi:         %u%s\n", f.img.note.abi_version,
		       r == 0 ? "" : " (not supported by this pith: rebuild)");
		printf("targets:     %s%s%s\n", f.img.note.targets & PITH_TARGET_HVT ? "hvt" : "",
		       (f.img.note.targets & 3) == 3 ? ", " : "",
		       f.img.note.targets & PITH_TARGET_PROCESS ? "process" : "");
		printf("parts:       ");
		for (unsigned i = 0; i < np; i++)
			printf("%s%s", i ? ", " : "", names[i]);
		printf("\nentry:       0x%llx\n", (unsigned long long)f.img.entry);
		printf("code:        %llu KiB, data %llu KiB\n",
		       (unsigned long long)(text + 1023) / 1024,
		       (unsigned long long)(data + 1023) / 1024);
		for (unsigned i = 0; i < f.img.nseg; i++)
			printf("segment:     0x%llx %8llu bytes %s\n",
			       (unsigned long long)f.img.seg[i].vaddr,
			       (unsigned long long)f.img.seg[i].memsz, prot_str(f.img.seg[i].prot));
		if (nfiles)
			printf("files:       %u baked in, %zu KiB, read-only\n", nfiles,
			       (f.img.files_len + 1023) / 1024);
		printf("min memory:  %llu KiB (hvt), %llu KiB (process)\n",
		       (unsigned long long)min_hvt >> 10, (unsigned long long)min_proc >> 10);
		if (id[0])
			text_defaults(id, &defs);
	}
	image_close(&f);
	pithfile_free(&defs);
	return 0;
}
