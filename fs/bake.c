/*
 * bake.c — the files baked into the image (include/pith/files.h) become
 * read-only inodes whose bytes are the image's own: nothing is copied.
 *
 * The blob was written by `pith cc`, but it is checked as any input: every
 * offset and length inside the blob, paths without "." or "..", parents
 * present before their children, known file types. A bad blob stops the
 * guest with a panic naming the entry; it never misleads the tree.
 */
#include <pith/files.h>

#include "vfs.h"

extern const uint8_t __pith_files[] __attribute__((weak));
extern const uint8_t __pith_files_end[] __attribute__((weak));

/* [off, off + len) inside a blob of size bytes, without overflow. */
static bool inside(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* Walk (and check) a baked path's parents; the directory to add to. */
static struct inode *parent_of(struct inode *root, const char *path, size_t len, const char **name,
			       size_t *nlen, unsigned idx)
{
	struct inode *dir = root;
	size_t at = 0;

	for (;;) {
		size_t start = at;

		while (at < len && path[at] != '/')
			at++;
		if (at == start || at - start > NAME_MAX ||
		    (at - start == 1 && path[start] == '.') ||
		    (at - start == 2 && path[start] == '.' && path[start + 1] == '.'))
			panic("baked file %u: bad path", idx);
		if (at == len) {
			*name = path + start;
			*nlen = at - start;
			return dir;
		}
		dir = vfs_lookup_in(dir, path + start, at - start);
		if (!dir || !S_ISDIR(dir->mode))
			panic("baked file %u: parent directory missing", idx);
		at++;
	}
}

void vfs_bake(struct inode *root)
{
	const uint8_t *blob = __pith_files;
	uint64_t size = (uint64_t)(__pith_files_end - __pith_files);
	struct pith_files_hdr h;

	if (!__pith_files || !__pith_files_end || size == 0)
		return; /* nothing baked */
	if (size < sizeof(h))
		panic("baked files: blob too short");
	memcpy(&h, blob, sizeof(h));
	if (memcmp(h.magic, PITH_FILES_MAGIC, sizeof(PITH_FILES_MAGIC)) != 0 ||
	    !inside(size, sizeof(h), (uint64_t)h.count * sizeof(struct pith_files_ent)))
		panic("baked files: not a pith file blob");
	for (uint32_t i = 0; i < h.count; i++) {
		struct pith_files_ent e;
		struct inode *dir, *ip;
		const char *name;
		size_t nlen;
		uint32_t type;
		bool was_ro;
		long r;

		memcpy(&e, blob + sizeof(h) + i * sizeof(e), sizeof(e));
		type = e.mode & S_IFMT;
		if (!inside(size, e.path_off, e.path_len) || e.path_len == 0 ||
		    !inside(size, e.data_off, e.size) ||
		    (type != S_IFDIR && type != S_IFREG && type != S_IFLNK))
			panic("baked file %u: bad entry", i);
		dir = parent_of(root, (const char *)blob + e.path_off, e.path_len, &name, &nlen, i);
		ip = vfs_lookup_in(dir, name, nlen);
		if (ip) {
			/* A directory the guest has already (/etc, /tmp): the
			 * baked files go into it, and it stays as it was. */
			if (type == S_IFDIR && S_ISDIR(ip->mode))
				continue;
			panic("baked file %u: the guest has that path already", i);
		}
		was_ro = dir->ro;
		dir->ro = false; /* while it is filled */
		r = vfs_create(dir, name, nlen, e.mode & (S_IFMT | 07777), &ip);
		dir->ro = was_ro;
		if (r < 0)
			panic("baked file %u: cannot add it (%ld)", i, r);
		ip->data = type == S_IFDIR ? NULL : (uint8_t *)(blob + e.data_off); /* in place */
		ip->size = type == S_IFDIR ? 0 : e.size;
		ip->ro = true;
	}
}
