/*
 * store.c — the local image store.
 *
 * Under the root ($PITH_HOME, else $XDG_DATA_HOME/pith, else
 * ~/.local/share/pith):
 *   lock                 flock'd: shared to read, exclusive to change
 *   blobs/sha256/HEX     image files, read-only, named by their SHA-256
 *   images/sha256/ID     an image: its defaults as a canonical Pithfile
 *                        whose IMAGE names its blob; ID is the digest of
 *                        this text, so the same program with the same
 *                        defaults is the same image
 *   tags                 "NAME:TAG ID" lines, sorted
 *   tmp/                 image files being copied in
 *   instances/NAME/      detached instances (instance.h)
 * Every file is written beside its place (image files in tmp/), fsync'd,
 * renamed into place and its directory fsync'd (atomic.c): after a crash
 * the store holds the old state or the new one, never a half-written file. Files are checked when read: an
 * image whose text does not match its name is reported, not used.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"

#define TAGS_MAX (4u << 20) /* bytes: some 50,000 tags */

static void path_of(const struct store *s, char *out, const char *a, const char *b)
{
	if ((size_t)snprintf(out, PATH_MAX, "%s/%s%s", s->root, a, b ? b : "") >= PATH_MAX)
		die("store: path too long under %s", s->root);
}

static void mkdir_p(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			die("store: cannot create %s: %s", path, strerror(errno));
		*p = c;
		if (!c)
			break;
	}
}

static void find_root(struct store *s)
{
	const char *home = getenv("PITH_HOME"), *xdg = getenv("XDG_DATA_HOME");
	int n;

	if (home && *home)
		n = snprintf(s->root, sizeof(s->root), "%s", home);
	else if (xdg && *xdg == '/')
		n = snprintf(s->root, sizeof(s->root), "%s/pith", xdg);
	else if ((home = getenv("HOME")) && *home)
		n = snprintf(s->root, sizeof(s->root), "%s/.local/share/pith", home);
	else
		die("store: set PITH_HOME or HOME to say where images are kept");
	if (n < 0 || (size_t)n >= sizeof(s->root))
		die("store: the store's path is too long");
	if (s->root[0] != '/')
		die("store: PITH_HOME must be an absolute path, not %s", s->root);
}

int store_open(struct store *s, int exclusive)
{
	static const char *const dirs[] = { "blobs/sha256", "images/sha256", "tmp" };
	char p[PATH_MAX];
	struct stat st;

	s->lock_fd = -1;
	find_root(s);
	if (!exclusive && stat(s->root, &st) < 0 && errno == ENOENT)
		return -1; /* nothing stored yet; a reader creates nothing */
	mkdir_p(s->root);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		path_of(s, p, dirs[i], NULL);
		mkdir_p(p);
	}
	path_of(s, p, "lock", NULL);
	s->lock_fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->lock_fd < 0)
		die("store: cannot open %s: %s", p, strerror(errno));
	while (flock(s->lock_fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
		if (errno != EINTR)
			die("store: cannot lock %s: %s", p, strerror(errno));
	return 0;
}

void store_close(struct store *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd); /* drops the lock */
	s->lock_fd = -1;
}

/* ---- names ------------------------------------------------------------- */

static int is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 128 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
		return 0;
	for (size_t i = 1; i < n; i++) {
		int sep = s[i] == '.' || s[i] == '_' || s[i] == '-' || s[i] == '/';

		if (!is_lower_alnum(s[i]) && !sep)
			return 0;
		/* No empty path components, no "..": a name is never a path. */
		if (sep && !is_lower_alnum(s[i - 1]) && (s[i] == '/' || s[i - 1] == '/'))
			return 0;
		if (s[i] == '.' && s[i - 1] == '.')
			return 0;
	}
	return 1;
}

static int tag_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 128 || s[0] == '.' || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_lower_alnum(s[i]) && !(s[i] >= 'A' && s[i] <= 'Z') && s[i] != '_' &&
		    s[i] != '.' && s[i] != '-')
			return 0;
	return 1;
}

int ref_parse(const char *in, char out[REF_MAX])
{
	const char *colon = strrchr(in, ':');
	const char *tag = colon ? colon + 1 : "latest";
	size_t n = colon ? (size_t)(colon - in) : strlen(in);

	if (colon && strchr(colon, '/'))
		return -1;
	if (!name_ok(in, n) || !tag_ok(tag))
		return -1;
	snprintf(out, REF_MAX, "%.*s:%s", (int)n, in, tag);
	return 0;
}

static int hex_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int is_id(const char *s)
{
	return strlen(s) == SHA256_HEX && hex_ok(s, SHA256_HEX);
}

/* ---- atomic writes ------------------------------------------------------- */

static int tmp_file(const struct store *s, char path[PATH_MAX])
{
	int fd;

	path_of(s, path, "tmp/new.XXXXXX", NULL);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		die("store: cannot create a file in %s/tmp: %s", s->root, strerror(errno));
	return fd;
}

static void write_all(int fd, const void *buf, size_t len, const char *tmp)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;

			unlink(tmp);
			die("store: cannot write %s: %s", tmp, strerror(e));
		}
		p += w;
		len -= (size_t)w;
	}
}

/* Make the written temporary file FD/TMP the file FINAL, durably. */
static void commit(int fd, const char *tmp, const char *final, mode_t mode)
{
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		int e = errno;

		unlink(tmp);
		die("store: cannot sync %s: %s", tmp, strerror(e));
	}
	close(fd);
	if (rename(tmp, final) < 0) {
		int e = errno;

		unlink(tmp);
		die("store: cannot rename %s to %s: %s", tmp, final, strerror(e));
	}
	fsync_parent(final);
}

void store_put_blob(struct store *s, const char *src, char hex[SHA256_HEX + 1], uint64_t *size)
{
	static char buf[1 << 16];
	char tmp[PATH_MAX], final[PATH_MAX];
	uint8_t d[SHA256_BYTES];
	struct sha256 h;
	struct stat st;
	int in = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY), out;

	if (in < 0)
		die("%s: %s", src, strerror(errno));
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode))
		die("%s: not a regular file", src);
	out = tmp_file(s, tmp);
	sha256_init(&h);
	*size = 0;
	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			unlink(tmp);
			die("%s: %s", src, strerror(e));
		}
		if (r == 0)
			break;
		sha256_update(&h, buf, (size_t)r);
		write_all(out, buf, (size_t)r, tmp);
		*size += (uint64_t)r;
	}
	close(in);
	sha256_final(&h, d);
	sha256_to_hex(d, hex);
	path_of(s, final, "blobs/sha256/", hex);
	if (access(final, F_OK) == 0) { /* already there: same bytes */
		close(out);
		unlink(tmp);
		return;
	}
	commit(out, tmp, final, 0444);
}

void store_put_image(struct store *s, const char *text, char id[SHA256_HEX + 1])
{
	char final[PATH_MAX];
	size_t len = strlen(text);

	sha256_hex(text, len, id);
	path_of(s, final, "images/sha256/", id);
	if (access(final, F_OK) == 0)
		return; /* the same image: keep its creation time */
	if (write_file_atomic(final, text, len, 0444) < 0)
		die("store: cannot write %s: %s", final, strerror(errno));
}

int store_load_image(struct store *s, const char *id, struct pithfile *pf, int64_t *created,
		     char *err, size_t errlen)
{
	char path[PATH_MAX], name[PATH_MAX], digest[SHA256_HEX + 1];
	struct stat st;
	size_t len;
	char *text;
	int r;

	memset(pf, 0, sizeof(*pf));
	path_of(s, path, "images/sha256/", id);
	if (!is_id(id) || !(text = read_small_file(path, PITHFILE_MAX, &len, &st))) {
		snprintf(err, errlen, "image %.12s: %s", id, strerror(errno));
		return -1;
	}
	sha256_hex(text, len, digest);
	if (strcmp(digest, id) != 0) {
		free(text);
		snprintf(err, errlen, "store damaged: %s does not match its digest", path);
		return -1;
	}
	r = pithfile_parse(path, text, len, pf, err, errlen);
	free(text);
	if (r < 0)
		return -1;
	if (strncmp(pf->image, "blobs/sha256/", 13) != 0 || !is_id(pf->image + 13) || pf->nbuild ||
	    pf->files_host) {
		snprintf(err, errlen, "store damaged: %s names no image file", path);
		pithfile_free(pf);
		return -1;
	}
	path_of(s, name, pf->image, NULL);
	free(pf->image);
	if (!(pf->image = strdup(name))) {
		pithfile_free(pf);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*created = (int64_t)st.st_mtime;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t store_images(struct store *s, char (**ids)[SHA256_HEX + 1])
{
	char path[PATH_MAX];
	struct dirent *e;
	size_t n = 0, cap = 0;
	DIR *d;

	*ids = NULL;
	path_of(s, path, "images/sha256", NULL);
	if (!(d = opendir(path)))
		die("store: cannot read %s: %s", path, strerror(errno));
	while ((e = readdir(d))) {
		if (!is_id(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			*ids = realloc(*ids, cap * sizeof(**ids));
			if (!*ids)
				die("store: out of memory");
		}
		memcpy((*ids)[n++], e->d_name, SHA256_HEX + 1);
	}
	closedir(d);
	if (n)
		qsort(*ids, n, sizeof(**ids), cmp_id);
	return n;
}

void store_remove_image(struct store *s, const char *id)
{
	char path[PATH_MAX], blob[SHA256_HEX + 1] = "", (*ids)[SHA256_HEX + 1];
	struct pithfile pf;
	int64_t created;
	char err[512];
	size_t n;

	/* A damaged image is removed all the same; its blob then stays until
	 * no readable image names it either. */
	if (store_load_image(s, id, &pf, &created, err, sizeof(err)) == 0) {
		memcpy(blob, strrchr(pf.image, '/') + 1, sizeof(blob));
		pithfile_free(&pf);
	}
	path_of(s, path, "images/sha256/", id);
	if (unlink(path) < 0 && errno != ENOENT)
		die("store: cannot remove %s: %s", path, strerror(errno));
	fsync_parent(path);
	if (!blob[0])
		return;
	n = store_images(s, &ids);
	for (size_t i = 0; i < n; i++) {
		if (store_load_image(s, ids[i], &pf, &created, err, sizeof(err)) < 0)
			continue;
		int shared = !strcmp(strrchr(pf.image, '/') + 1, blob);

		pithfile_free(&pf);
		if (shared) {
			free(ids);
			return;
		}
	}
	free(ids);
	path_of(s, path, "blobs/sha256/", blob);
	if (unlink(path) < 0 && errno != ENOENT)
		die("store: cannot remove %s: %s", path, strerror(errno));
	fsync_parent(path);
}

/* Remove the files in DIR (under the root) that KEEP does not want. */
static void sweep(struct store *s, const char *dir, int (*keep)(const char *, void *), void *ctx)
{
	char path[PATH_MAX], file[PATH_MAX];
	struct dirent *e;
	DIR *d;

	path_of(s, path, dir, NULL);
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || keep(e->d_name, ctx))
			continue;
		if ((size_t)snprintf(file, sizeof(file), "%s/%s", path, e->d_name) < sizeof(file))
			unlink(file);
	}
	closedir(d);
}

static int keep_none(const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	return 0;
}

static int keep_final(const char *name, void *ctx)
{
	(void)ctx;
	return !strstr(name, ".tmp."); /* write_file_atomic's temporaries go */
}

static int keep_root(const char *name, void *ctx)
{
	(void)ctx;
	return strncmp(name, "tags.tmp.", 9) != 0;
}

struct named {
	char (*ids)[SHA256_HEX + 1];
	size_t n;
};

static int keep_named_blob(const char *name, void *ctx)
{
	const struct named *b = ctx;

	if (!is_id(name))
		return keep_final(name, NULL);
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->ids[i], name))
			return 1;
	return 0;
}

void store_gc(struct store *s)
{
	char(*ids)[SHA256_HEX + 1], err[512];
	struct named blobs = { 0 };
	size_t n = store_images(s, &ids);
	struct pithfile pf;
	int64_t created;

	/* Under the exclusive lock nothing is being written: temporaries are
	 * from a pith that died, and a blob no image names was left by one. */
	blobs.ids = malloc((n ? n : 1) * sizeof(*blobs.ids));
	if (!blobs.ids)
		die("store: out of memory");
	for (size_t i = 0; i < n; i++) {
		if (store_load_image(s, ids[i], &pf, &created, err, sizeof(err)) < 0) {
			free(ids);
			free(blobs.ids);
			return; /* a damaged image: keep every blob */
		}
		memcpy(blobs.ids[blobs.n++], strrchr(pf.image, '/') + 1, SHA256_HEX + 1);
		pithfile_free(&pf);
	}
	sweep(s, "tmp", keep_none, NULL);
	sweep(s, "images/sha256", keep_final, NULL);
	sweep(s, "blobs/sha256", keep_named_blob, &blobs);
	sweep(s, ".", keep_root, NULL);
	free(ids);
	free(blobs.ids);
}

/* ---- tags -------------------------------------------------------------- */

void store_tags_read(struct store *s, struct tags *t)
{
	char path[PATH_MAX], ref[REF_MAX];
	struct stat st;
	size_t len, line = 1;
	char *text, *p;

	t->v = NULL;
	t->n = 0;
	path_of(s, path, "tags", NULL);
	if (!(text = read_small_file(path, TAGS_MAX, &len, &st))) {
		if (errno == ENOENT)
			return;
		die("store: cannot read %s: %s", path, strerror(errno));
	}
	for (p = text; *p; line++) {
		char *nl = strchr(p, '\n'), *sp;

		if (!nl || !(sp = memchr(p, ' ', (size_t)(nl - p))))
			die("store damaged: %s:%zu: not NAME:TAG ID", path, line);
		*sp = *nl = '\0';
		if (ref_parse(p, ref) < 0 || strcmp(ref, p) != 0 || !is_id(sp + 1))
			die("store damaged: %s:%zu: not NAME:TAG ID", path, line);
		tags_set(t, p, sp + 1);
		p = nl + 1;
	}
	free(text);
}

static int cmp_tag(const void *a, const void *b)
{
	return strcmp(((const struct tag *)a)->ref, ((const struct tag *)b)->ref);
}

void store_tags_write(struct store *s, const struct tags *t)
{
	char final[PATH_MAX];
	char *text = malloc(t->n * (REF_MAX + SHA256_HEX + 2) + 1);
	size_t len = 0;

	if (!text)
		die("store: out of memory");
	qsort(t->v, t->n, sizeof(t->v[0]), cmp_tag);
	for (size_t i = 0; i < t->n; i++)
		len += (size_t)sprintf(text + len, "%s %s\n", t->v[i].ref, t->v[i].id);
	if (len > TAGS_MAX)
		die("store: more tags than the store holds (%u bytes); remove some", TAGS_MAX);
	path_of(s, final, "tags", NULL);
	if (write_file_atomic(final, text, len, 0600) < 0)
		die("store: cannot write %s: %s", final, strerror(errno));
	free(text);
}

void store_tags_free(struct tags *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

const struct tag *tags_find(const struct tags *t, const char *ref)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].ref, ref))
			return &t->v[i];
	return NULL;
}

void tags_set(struct tags *t, const char *ref, const char *id)
{
	struct tag *v = (struct tag *)tags_find(t, ref);

	if (!v) {
		if (!(v = realloc(t->v, (t->n + 1) * sizeof(*v))))
			die("store: out of memory");
		t->v = v;
		v = &t->v[t->n++];
		snprintf(v->ref, sizeof(v->ref), "%s", ref);
	}
	memcpy(v->id, id, sizeof(v->id));
}

int tags_del(struct tags *t, const char *ref)
{
	const struct tag *v = tags_find(t, ref);

	if (!v)
		return -1;
	t->v[v - t->v] = t->v[--t->n];
	return 0;
}

int store_resolve(struct store *s, const struct tags *t, const char *arg, char id[SHA256_HEX + 1])
{
	char ref[REF_MAX], (*ids)[SHA256_HEX + 1];
	const struct tag *tag;
	size_t n, len, found = 0;

	if (ref_parse(arg, ref) == 0 && (tag = tags_find(t, ref))) {
		memcpy(id, tag->id, SHA256_HEX + 1);
		return 0;
	}
	if (!strncmp(arg, "sha256:", 7))
		arg += 7;
	len = strlen(arg);
	if (len < ID_MIN || len > SHA256_HEX || !hex_ok(arg, len))
		return -1;
	n = store_images(s, &ids);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(ids[i], arg, len) != 0)
			continue;
		if (found++) {
			free(ids);
			return -2;
		}
		memcpy(id, ids[i], SHA256_HEX + 1);
	}
	free(ids);
	return found ? 0 : -1;
}
