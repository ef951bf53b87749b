/*
 * store.h — the local image store: content-addressed, atomic, locked.
 * The layout is described in store.c.
 */
#ifndef PITH_STORE_H
#define PITH_STORE_H

#include <limits.h>
#include <stdint.h>

#include "pithfile.h"
#include "sha256.h"

#define REF_MAX 256 /* "NAME:TAG" and its NUL */
#define ID_MIN	4   /* hex digits that may name an image */

struct store {
	char root[PATH_MAX - 256]; /* room for the names below it */
	int lock_fd;
};

struct tag {
	char ref[REF_MAX]; /* NAME:TAG */
	char id[SHA256_HEX + 1];
};

struct tags {
	struct tag *v;
	size_t n;
};

/* Find and lock the store: shared to read, exclusive to change (which
 * creates it if need be). 0, or -1 when reading a store that does not
 * exist yet (an empty one). Exits 125 with one line when it cannot. */
int store_open(struct store *s, int exclusive);
void store_close(struct store *s);

/* "NAME[:TAG]" as "NAME:TAG" (TAG latest when not given). NAME is 1..128
 * of a-z 0-9 and . _ - / inside; TAG 1..128 of A-Z a-z 0-9 _ . - not
 * starting with . or -. 0, or -1 when malformed. */
int ref_parse(const char *in, char out[REF_MAX]);

/* Copy the file at SRC into the store; its digest into HEX, its size
 * into *SIZE. Exits 125 on failure. */
void store_put_blob(struct store *s, const char *src, char hex[SHA256_HEX + 1], uint64_t *size);
/* Store TEXT (a canonical Pithfile) as an image; the ID into ID. */
void store_put_image(struct store *s, const char *text, char id[SHA256_HEX + 1]);
/* Read image ID: its defaults into *PF (pf->image is the blob's path in
 * the store, absolute) and its creation time. 0, or -1 with ERR. */
int store_load_image(struct store *s, const char *id, struct pithfile *pf, int64_t *created,
		     char *err, size_t errlen);
/* Every image ID in the store, sorted; *IDS is malloc'd. */
size_t store_images(struct store *s, char (**ids)[SHA256_HEX + 1]);
/* Remove image ID, and its blob when no other image uses it. */
void store_remove_image(struct store *s, const char *id);
/* Under the exclusive lock: remove what crashes left — temporaries, and
 * blobs no image names. */
void store_gc(struct store *s);

/* The tag list: read (exits 125 when the file is damaged), changed in
 * memory, written back atomically (under the exclusive lock). */
void store_tags_read(struct store *s, struct tags *t);
void store_tags_write(struct store *s, const struct tags *t);
void store_tags_free(struct tags *t);
/* Point REF at ID, replacing what it named; remove REF (0, or -1 when
 * absent); the tag naming REF or NULL. */
void tags_set(struct tags *t, const char *ref, const char *id);
int tags_del(struct tags *t, const char *ref);
const struct tag *tags_find(const struct tags *t, const char *ref);

/*
 * What ARG names: NAME[:TAG] first, then an image ID given whole, as
 * sha256:HEX, or as a prefix of at least ID_MIN hex digits.
 * 0 with the ID, -1 when nothing matches, -2 when a prefix is ambiguous.
 */
int store_resolve(struct store *s, const struct tags *t, const char *arg, char id[SHA256_HEX + 1]);

#endif
