/*
 * ramfs.c — the in-memory file tree (see vfs.h).
 *
 * Inodes and directory entries come from kalloc; a regular file's bytes
 * from pages of the program's free memory (see "file contents" below).
 * When memory runs out, writes and creates fail with ENOSPC, as a full
 * tmpfs does. A directory holds its parent (a reference in opens), so
 * ".." stays valid for a removed directory still in use; entries keep the
 * position they were added at, so a listing survives changes made while
 * it is read.
 */
#include <pith/abi.h>

#include "../kernel/clock.h"
#include "../kernel/kalloc.h"
#include "../kernel/mem.h"
#include "../posix/posix.h"
#include "hostfs.h"
#include "procfs.h"
#include "vfs.h"

static struct inode *root, *cwd;

/* The devices programs expect in /dev (Linux's numbers). */
static void dev_init(struct inode *root_dir)
{
	static const struct {
		const char *name;
		uint32_t rdev;
	} devs[] = {
		{ "null", DEV(1, 3) },	 { "zero", DEV(1, 5) },	   { "full", DEV(1, 7) },
		{ "random", DEV(1, 8) }, { "urandom", DEV(1, 9) },
	};
	struct inode *dev, *ip;

	if (vfs_create(root_dir, "dev", 3, S_IFDIR | 0755, &dev) < 0)
		panic("no memory for /dev");
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++) {
		if (vfs_create(dev, devs[i].name, strlen(devs[i].name), S_IFCHR | 0666, &ip) < 0)
			panic("no memory for /dev");
		ip->rdev = devs[i].rdev;
	}
}
static uint64_t next_ino = 2;

static struct inode *inode_new(uint32_t mode)
{
	struct inode *ip = kalloc(sizeof(*ip));
	uint64_t now = clock_realtime();

	if (!ip)
		return NULL;
	ip->mode = mode;
	ip->ino = next_ino++;
	ip->atime = ip->mtime = ip->ctime = now;
	return ip;
}

static void maybe_free(struct inode *ip);

static void inode_free(struct inode *ip)
{
	struct inode *up = S_ISDIR(ip->mode) ? ip->parent : NULL;

	vfs_free_data(ip);
	kfree(ip, sizeof(*ip));
	if (up && up != ip) {
		up->opens--; /* a directory holds its parent */
		maybe_free(up);
	}
}

/* Free ip once no name, no open file and no child directory refers to
 * it. */
static void maybe_free(struct inode *ip)
{
	if (ip->opens == 0 && (ip->nlink == 0 || (S_ISDIR(ip->mode) && ip->nlink <= 1)))
		inode_free(ip);
}

void vfs_init(const struct pith_boot *boot)
{
	struct inode *tmp;

	root = inode_new(S_IFDIR | 0755);
	if (!root)
		panic("no memory for the root directory");
	root->nlink = 2;
	root->parent = root;
	root->next_cookie = 2;
	cwd = root;
	root->opens++; /* the working directory */
	/* /tmp, as programs expect: writable, sticky; /dev; what the image
	 * brings; then /etc's generated files and /proc where the image has
	 * none; the volumes last, over all of it. */
	if (vfs_create(root, "tmp", 3, S_IFDIR | 01777, &tmp) < 0)
		panic("no memory for /tmp");
	dev_init(root);
	vfs_bake(root);
	etc_init(root, boot);
	procfs_init(root, boot);
	hostfs_mount_all(boot);
}

struct inode *vfs_root(void)
{
	return root;
}

struct inode *vfs_cwd(void)
{
	return cwd;
}

void vfs_set_cwd(struct inode *dir)
{
	dir->opens++;
	if (cwd) {
		cwd->opens--;
		maybe_free(cwd);
	}
	cwd = dir;
}

void vfs_touch(struct inode *ip, bool modified)
{
	uint64_t now = clock_realtime();

	ip->ctime = now;
	if (modified)
		ip->mtime = now;
}

struct inode *vfs_lookup_in(struct inode *dir, const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return dir;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return dir->parent; /* held, even for a removed directory */
	if (dir->nlink == 0)
		return NULL; /* removed: no names left */
	for (struct dirent *d = dir->entries; d; d = d->next)
		if (d->len == len && memcmp(d->name, name, len) == 0)
			return d->inode;
	return NULL;
}

/* Name ip in dir at position cookie (0: after every entry). A given
 * cookie goes in order among the others, which must not hold it. */
static long link_in(struct inode *dir, const char *name, size_t len, struct inode *ip,
		    uint64_t cookie)
{
	struct dirent *d = kalloc(sizeof(*d) + len + 1), **pp = &dir->entries;

	if (!d)
		return -ENOSPC;
	d->inode = ip;
	d->len = (uint16_t)len;
	memcpy(d->name, name, len);
	if (cookie == 0 || cookie >= dir->next_cookie) {
		d->cookie = cookie ? cookie : dir->next_cookie;
		dir->next_cookie = d->cookie + 1;
		pp = dir->tail ? &dir->tail->next : &dir->entries;
	} else {
		d->cookie = cookie;
		while (*pp && (*pp)->cookie < cookie)
			pp = &(*pp)->next;
	}
	d->next = *pp;
	*pp = d;
	if (!d->next)
		dir->tail = d;
	dir->nentries++;
	ip->nlink++;
	if (S_ISDIR(ip->mode)) {
		struct inode *old = ip->parent;

		dir->nlink++; /* its ".." */
		if (old != dir) {
			ip->parent = dir;
			dir->opens++; /* held while ip lives */
			if (old) {
				old->opens--;
				maybe_free(old);
			}
		}
	}
	vfs_touch(dir, true);
	return 0;
}

/* Take name out of dir; returns the inode it named (not freed). */
static struct inode *unlink_in(struct inode *dir, const char *name, size_t len)
{
	struct dirent *prev = NULL;

	for (struct dirent **pp = &dir->entries; *pp; prev = *pp, pp = &(*pp)->next) {
		struct dirent *d = *pp;
		struct inode *ip = d->inode;

		if (d->len != len || memcmp(d->name, name, len) != 0)
			continue;
		*pp = d->next;
		if (dir->tail == d)
			dir->tail = prev;
		dir->nentries--;
		kfree(d, sizeof(*d) + d->len + 1);
		ip->nlink--;
		if (S_ISDIR(ip->mode))
			dir->nlink--;
		vfs_touch(dir, true);
		vfs_touch(ip, false);
		return ip;
	}
	return NULL;
}

long vfs_create(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
	return vfs_create_at(dir, name, len, mode, 0, out);
}

long vfs_create_at(struct inode *dir, const char *name, size_t len, uint32_t mode, uint64_t cookie,
		   struct inode **out)
{
	struct inode *ip;
	long r;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (dir->ro)
		return vfs_lookup_in(dir, name, len) ? -EEXIST : -EROFS;
	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory takes no new names */
	if (vfs_lookup_in(dir, name, len))
		return -EEXIST;
	ip = inode_new(mode);
	if (!ip)
		return -ENOSPC;
	if (S_ISDIR(mode)) {
		ip->nlink = 1; /* "." */
		ip->next_cookie = 2;
	}
	r = link_in(dir, name, len, ip, cookie);
	if (r < 0) {
		inode_free(ip);
		return r;
	}
	*out = ip;
	return 0;
}

long vfs_link(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
	if (S_ISDIR(ip->mode))
		return -EPERM;
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (dir->ro || ip->ro)
		return -EROFS;
	if (dir->nlink == 0)
		return -ENOENT;
	if (vfs_lookup_in(dir, name, len))
		return -EEXIST;
	vfs_touch(ip, false);
	return link_in(dir, name, len, ip, 0);
}

long vfs_unlink(struct inode *dir, const char *name, size_t len, bool want_dir)
{
	struct inode *ip;

	if (len == 1 && name[0] == '.')
		return !want_dir ? -EISDIR : dir == root ? -EBUSY : -EINVAL;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return want_dir ? -ENOTEMPTY : -EISDIR;
	ip = vfs_lookup_in(dir, name, len);
	if (!ip)
		return -ENOENT;
	if (dir->ro)
		return -EROFS;
	if (want_dir && !S_ISDIR(ip->mode))
		return -ENOTDIR;
	if (!want_dir && S_ISDIR(ip->mode))
		return -EISDIR;
	if (want_dir && ip->nentries)
		return -ENOTEMPTY;
	if (ip == root || ip->vol || (ip->proc && !dir->proc))
		return -EBUSY; /* the root, a volume's mount point, /proc */
	unlink_in(dir, name, len);
	if (S_ISDIR(ip->mode))
		ip->nlink = 0; /* its "." goes with it */
	maybe_free(ip);
	return 0;
}

/* Is a inside the tree under dir (or dir itself)? */
static bool within(struct inode *a, struct inode *dir)
{
	for (;;) {
		if (a == dir)
			return true;
		if (a == root || a->parent == a)
			return false;
		a = a->parent;
	}
}

long vfs_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		const char *nname, size_t nlen)
{
	struct inode *src = vfs_lookup_in(odir, oname, olen), *dst;
	bool dots = (olen == 1 && oname[0] == '.') || (olen == 2 && !memcmp(oname, "..", 2)) ||
		    (nlen == 1 && nname[0] == '.') || (nlen == 2 && !memcmp(nname, "..", 2));
	long r;

	if (!src)
		return -ENOENT;
	if (dots)
		return -EBUSY;
	if (odir->ro || ndir->ro)
		return -EROFS;
	if (!S_ISDIR(ndir->mode))
		return -ENOTDIR;
	if (ndir->nlink == 0)
		return -ENOENT;
	dst = vfs_lookup_in(ndir, nname, nlen);
	if (dst == src)
		return 0;
	if (src->vol || (dst && dst->vol) || src->proc || (dst && dst->proc))
		return -EBUSY; /* a volume's mount point stays, and /proc */
	if (S_ISDIR(src->mode) && within(ndir, src))
		return -EINVAL; /* into its own subtree */
	if (dst) {
		if (S_ISDIR(src->mode) && !S_ISDIR(dst->mode))
			return -ENOTDIR;
		if (!S_ISDIR(src->mode) && S_ISDIR(dst->mode))
			return -EISDIR;
		if (S_ISDIR(dst->mode) && dst->nentries)
			return -ENOTEMPTY;
	}
	/* Move the entry: if memory fails for the new name, the old one is
	 * put back from the entry just freed, so nothing has changed. */
	{
		struct inode *keep = src;

		unlink_in(odir, oname, olen);
		if (dst) {
			unlink_in(ndir, nname, nlen);
			if (S_ISDIR(dst->mode))
				dst->nlink = 0;
			maybe_free(dst);
		}
		r = link_in(ndir, nname, nlen, keep, 0);
		if (r < 0) {
			link_in(odir, oname, olen, keep, 0);
			return r;
		}
	}
	return 0;
}

void vfs_close(struct inode *ip)
{
	ip->opens--;
	maybe_free(ip);
}

const char *vfs_entry(struct inode *dir, uint64_t pos, size_t *len, struct inode **ip,
		      uint64_t *next)
{
	if (pos < 2) {
		*len = pos + 1;
		*ip = pos == 0 ? dir : dir->parent;
		*next = pos + 1;
		return "..";
	}
	for (struct dirent *d = dir->entries; d; d = d->next)
		if (d->cookie >= pos) {
			*len = d->len;
			*ip = d->inode;
			*next = d->cookie + 1;
			return d->name;
		}
	return NULL;
}

/* ---- file contents ---------------------------------------------------- */

/*
 * A writable file's bytes are pages (chunks), found through an array that
 * doubles as the file grows: growing never copies the data, and a file can
 * fill nearly all free memory. A missing chunk is a hole and reads zero.
 * Baked files and link targets keep their bytes in one piece (data).
 */
#define CHUNK PAGE_SIZE

/* The chunk holding byte off, made if create (NULL: a hole, or ENOSPC). */
static uint8_t *chunk(struct inode *ip, uint64_t off, bool create)
{
	uint64_t i = off / CHUNK;

	if (i >= ip->nchunks) {
		uint64_t n = ip->nchunks ? ip->nchunks : 8;
		uint8_t **a;

		if (!create)
			return NULL;
		while (n <= i)
			n *= 2;
		a = kalloc(n * sizeof(*a));
		if (!a)
			return NULL;
		if (ip->chunks) {
			memcpy(a, ip->chunks, ip->nchunks * sizeof(*a));
			kfree(ip->chunks, ip->nchunks * sizeof(*a));
		}
		ip->chunks = a;
		ip->nchunks = n;
	}
	if (!ip->chunks[i] && create) {
		long p = mem_map(0, CHUNK, false);

		if (p < 0)
			return NULL;
		ip->chunks[i] = (uint8_t *)p; /* reads as zero */
	}
	return ip->chunks[i];
}

/* Give back the chunks wholly at or past byte end; zero the rest of the
 * chunk end falls in, so a later extension reads zeros there. */
static void drop_from(struct inode *ip, uint64_t end)
{
	for (uint64_t i = (end + CHUNK - 1) / CHUNK; i < ip->nchunks; i++)
		if (ip->chunks[i]) {
			mem_unmap((uintptr_t)ip->chunks[i], CHUNK);
			ip->chunks[i] = NULL;
		}
	if (end % CHUNK && end / CHUNK < ip->nchunks && ip->chunks[end / CHUNK])
		memset(ip->chunks[end / CHUNK] + end % CHUNK, 0, CHUNK - end % CHUNK);
}

void vfs_free_data(struct inode *ip)
{
	if (ip->chunks) {
		drop_from(ip, 0);
		kfree(ip->chunks, ip->nchunks * sizeof(*ip->chunks));
		ip->chunks = NULL;
		ip->nchunks = 0;
	}
	if (ip->data && !ip->ro)
		kfree(ip->data, ip->size + 1); /* a link's target */
	ip->data = NULL;
}

uint64_t vfs_blocks(struct inode *ip)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < ip->nchunks; i++)
		n += ip->chunks[i] != NULL;
	return ip->chunks ? n * (CHUNK / 512) : ALIGN_UP(ip->size, 512) / 512;
}

uint64_t vfs_seek_data(struct inode *ip, uint64_t off, bool data)
{
	/* Holes are chunks never written: look for the next chunk that is
	 * (data) or is not (hole); the end of the file is a hole. */
	if (!ip->chunks)
		return data ? off : ip->size;
	for (uint64_t at = off; at < ip->size; at = ALIGN_DOWN(at, CHUNK) + CHUNK) {
		bool has = at / CHUNK < ip->nchunks && ip->chunks[at / CHUNK];

		if (has == data)
			return at;
	}
	return data ? UINT64_MAX : ip->size;
}

long vfs_set_target(struct inode *ip, const char *target, size_t len)
{
	uint8_t *d = kalloc(len + 1);

	if (!d)
		return -ENOSPC;
	memcpy(d, target, len);
	ip->data = d;
	ip->size = len;
	return 0;
}

long vfs_read(struct inode *ip, void *buf, size_t len, uint64_t off)
{
	uint64_t n, done = 0;

	ip->atime = clock_realtime();
	if (off >= ip->size)
		return 0;
	n = MIN(len, ip->size - off);
	if (ip->data) {
		memcpy(buf, ip->data + off, n);
		return (long)n;
	}
	while (done < n) {
		uint64_t at = off + done, k = MIN(n - done, CHUNK - at % CHUNK);
		uint8_t *c = chunk(ip, at, false);

		if (c)
			memcpy((uint8_t *)buf + done, c + at % CHUNK, k);
		else
			memset((uint8_t *)buf + done, 0, k);
		done += k;
	}
	return (long)n;
}

long vfs_write(struct inode *ip, const void *buf, size_t len, uint64_t off)
{
	uint64_t done = 0;

	if (ip->ro)
		return -EROFS;
	if (len == 0)
		return 0;
	if (off > UINT64_MAX - len || off + len > PITH_MEM_MAX)
		return -EFBIG;
	while (done < len) {
		uint64_t at = off + done, k = MIN(len - done, CHUNK - at % CHUNK);
		uint8_t *c = chunk(ip, at, true);

		if (!c)
			break; /* out of memory: what fitted is written */
		memcpy(c + at % CHUNK, (const uint8_t *)buf + done, k);
		done += k;
	}
	if (done == 0)
		return -ENOSPC;
	if (off + done > ip->size)
		ip->size = off + done;
	vfs_touch(ip, true);
	return (long)done;
}

long vfs_truncate(struct inode *ip, uint64_t len)
{
	if (ip->ro)
		return -EROFS;
	if (len > PITH_MEM_MAX)
		return -EFBIG;
	if (len < ip->size)
		drop_from(ip, len); /* growing needs nothing: holes read zero */
	ip->size = len;
	vfs_touch(ip, true);
	return 0;
}
