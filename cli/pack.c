/*
 * pack.c — bake a host directory into an image (`pith cc --pith-files`).
 *
 * Walks DIR (names sorted, so the same tree gives the same image), writes
 * the blob include/pith/files.h describes — directories, regular files and
 * symbolic links, as they are on the host — and an assembler file that
 * puts it in the image's .pith_files section. Anything else in the tree (a
 * socket, a device) is refused with its path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pith/files.h>

#include "cli.h"

struct ent {
	struct pith_files_ent e;
	char *path;   /* in the guest, relative to / */
	char *host;   /* regular files: where the bytes are */
	char *target; /* links */
};

struct pack {
	struct ent *ents;
	size_t n, cap;
};

static void add(struct pack *p, uint32_t mode, const char *path, const char *host,
		const char *target, uint64_t size)
{
	struct ent *e;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->ents = realloc(p->ents, p->cap * sizeof(*p->ents));
		if (!p->ents)
			die("cc: out of memory");
	}
	e = &p->ents[p->n++];
	memset(e, 0, sizeof(*e));
	e->e.mode = mode;
	e->e.size = size;
	e->path = strdup(path);
	e->host = host ? strdup(host) : NULL;
	e->target = target ? strdup(target) : NULL;
	if (!e->path || (host && !e->host) || (target && !e->target))
		die("cc: out of memory");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct pack *p, const char *host, const char *guest)
{
	DIR *d = opendir(host);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d)
		die("cc: --pith-files: %s: %s", host, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				die("cc: out of memory");
		}
		if (!(names[n++] = strdup(de->d_name)))
			die("cc: out of memory");
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char h[PATH_MAX], g[PATH_MAX], target[PATH_MAX];
		struct stat st;
		ssize_t t;

		if ((size_t)snprintf(h, sizeof(h), "%s/%s", host, names[i]) >= sizeof(h) ||
		    (size_t)snprintf(g, sizeof(g), "%s%s%s", guest, *guest ? "/" : "", names[i]) >=
			    sizeof(g))
			die("cc: --pith-files: %s/%s: path too long", host, names[i]);
		if (lstat(h, &st) < 0)
			die("cc: --pith-files: %s: %s", h, strerror(errno));
		if (S_ISDIR(st.st_mode)) {
			add(p, S_IFDIR | (st.st_mode & 07777), g, NULL, NULL, 0);
			walk(p, h, g);
		} else if (S_ISREG(st.st_mode)) {
			add(p, S_IFREG | (st.st_mode & 07777), g, h, NULL, (uint64_t)st.st_size);
		} else if (S_ISLNK(st.st_mode)) {
			t = readlink(h, target, sizeof(target) - 1);
			if (t < 0)
				die("cc: --pith-files: %s: %s", h, strerror(errno));
			target[t] = '\0';
			add(p, S_IFLNK | 0777, g, NULL, target, (uint64_t)t);
		} else {
			die("cc: --pith-files: %s: not a file, directory or link", h);
		}
		free(names[i]);
	}
	free(names);
}

static void put(FILE *f, const void *buf, size_t n, const char *out)
{
	if (n && fwrite(buf, 1, n, f) != n)
		die("cc: %s: %s", out, strerror(errno));
}

static void pad(FILE *f, uint64_t *off, const char *out)
{
	static const char zeros[8];
	size_t k = (size_t)((8 - *off % 8) % 8);

	put(f, zeros, k, out);
	*off += k;
}

/* Copy a host file's bytes into the blob; exactly size of them. */
static void copy(FILE *f, const char *host, uint64_t size, const char *out)
{
	char buf[65536];
	int fd = open(host, O_RDONLY | O_CLOEXEC);
	uint64_t left = size;

	if (fd < 0)
		die("cc: --pith-files: %s: %s", host, strerror(errno));
	while (left > 0) {
		ssize_t n = read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));

		if (n <= 0)
			die("cc: --pith-files: %s: %s", host, n < 0 ? strerror(errno) : "shrank");
		put(f, buf, (size_t)n, out);
		left -= (uint64_t)n;
	}
	close(fd);
}

void pack_files(const char *spec, const char *blob, const char *asm_out)
{
	char host[PATH_MAX], guest[PATH_MAX] = "";
	const char *colon = strchr(spec, ':');
	struct pack p = { 0 };
	struct pith_files_hdr h = { .magic = PITH_FILES_MAGIC };
	uint64_t off;
	FILE *f, *s;

	snprintf(host, sizeof(host), "%.*s", colon ? (int)(colon - spec) : (int)strlen(spec), spec);
	if (colon) {
		const char *g = colon + 1;
		char *c;

		while (*g == '/')
			g++;
		snprintf(guest, sizeof(guest), "%s", g);
		while ((c = strrchr(guest, '/')) && c[1] == '\0')
			*c = '\0';
		/* The directories leading to the place the tree goes. */
		for (c = guest; *c; c++)
			if (*c == '/') {
				*c = '\0';
				add(&p, S_IFDIR | 0755, guest, NULL, NULL, 0);
				*c = '/';
			}
		if (*guest)
			add(&p, S_IFDIR | 0755, guest, NULL, NULL, 0);
		for (c = guest; *c; c++)
			if ((c == guest || c[-1] == '/') && c[0] == '.' &&
			    (c[1] == '/' || c[1] == '\0' ||
			     (c[1] == '.' && (c[2] == '/' || !c[2]))))
				die("cc: --pith-files: %s: no . or .. in the guest path", spec);
	}
	walk(&p, host, guest);
	h.count = (uint32_t)p.n;

	/* Lay out: header, entries, then paths and contents, 8-aligned. */
	off = sizeof(h) + p.n * sizeof(struct pith_files_ent);
	for (size_t i = 0; i < p.n; i++) {
		struct ent *e = &p.ents[i];

		e->e.path_off = off;
		e->e.path_len = (uint32_t)strlen(e->path);
		off += e->e.path_len;
		off = (off + 7) & ~7ull;
		e->e.data_off = off;
		off += e->e.size;
		off = (off + 7) & ~7ull;
	}
	f = fopen(blob, "wb");
	if (!f)
		die("cc: %s: %s", blob, strerror(errno));
	put(f, &h, sizeof(h), blob);
	for (size_t i = 0; i < p.n; i++)
		put(f, &p.ents[i].e, sizeof(p.ents[i].e), blob);
	off = sizeof(h) + p.n * sizeof(struct pith_files_ent);
	for (size_t i = 0; i < p.n; i++) {
		struct ent *e = &p.ents[i];

		put(f, e->path, e->e.path_len, blob);
		off += e->e.path_len;
		pad(f, &off, blob);
		if (e->host)
			copy(f, e->host, e->e.size, blob);
		else if (e->target)
			put(f, e->target, e->e.size, blob);
		off += e->e.size;
		pad(f, &off, blob);
		free(e->path);
		free(e->host);
		free(e->target);
	}
	free(p.ents);
	if (fclose(f) != 0)
		die("cc: %s: %s", blob, strerror(errno));

	s = fopen(asm_out, "w");
	if (!s)
		die("cc: %s: %s", asm_out, strerror(errno));
	fprintf(s,
		"\t.section .pith_files, \"a\", @progbits\n\t.balign 16\n"
		"\t.globl __pith_files\n__pith_files:\n\t.incbin \"%s\"\n"
		"\t.globl __pith_files_end\n__pith_files_end:\n"
		"\t.section .note.GNU-stack, \"\", @progbits\n",
		blob);
	if (fclose(s) != 0)
		die("cc: %s: %s", asm_out, strerror(errno));
}
