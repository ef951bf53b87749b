/*
 * path.c — from a path the program gave to an inode (see vfs.h).
 *
 * Components are separated by any number of slashes; "." and ".." are
 * followed as names (".." of the root is the root). A symbolic link is
 * followed by splicing its target into the path, at most MAX_LINKS times
 * (then ELOOP); the last component is followed unless the caller says
 * not to (lstat, unlink, O_NOFOLLOW) or a slash follows it. A path is at
 * most PATH_MAX bytes with its NUL, a component at most NAME_MAX.
 */
#include "../posix/posix.h"
#include "procfs.h"
#include "vfs.h"

long vfs_user_path(const char *upath, char *kpath)
{
	uint64_t p = (uintptr_t)upath;
	size_t n;

	if (!user_ok(p, 1))
		return -EFAULT;
	/* The string may end at the edge of the program's memory. */
	n = strnlen(upath, MIN((uint64_t)PATH_MAX, posix_conf.user_hi - p));
	if (n == posix_conf.user_hi - p)
		return -EFAULT;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	if (n == 0)
		return -ENOENT;
	memcpy(kpath, upath, n + 1);
	return 0;
}

long vfs_walk(struct inode *start, char *path, int flags, struct inode **out, const char **last,
	      size_t *lastlen)
{
	struct inode *ip = path[0] == '/' ? vfs_root() : start;
	char *p = path;
	int links = 0;
	bool must_dir = false; /* the last name had a slash after it */

	for (;;) {
		char *name, *rest;
		size_t len;
		bool final, trailing;
		struct inode *next;

		while (*p == '/')
			p++;
		if (*p == '\0') {
			if (must_dir && !S_ISDIR(ip->mode))
				return -ENOTDIR; /* "file/" */
			if (flags & WALK_PARENT) {
				/* "/" or "a/" with nothing after: the caller
				 * wants a name and there is none but "." */
				*last = ".";
				*lastlen = 1;
			}
			*out = ip;
			return 0;
		}
		name = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - name);
		rest = p;
		trailing = *p == '/';
		while (*p == '/')
			p++;
		final = *p == '\0';
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (!S_ISDIR(ip->mode))
			return -ENOTDIR;
		if (ip->proc)
			procfs_refresh(ip); /* /proc/PID/fd follows the fd table */
		if ((flags & WALK_PARENT) && final) {
			*out = ip;
			*last = name;
			*lastlen = len;
			return 0;
		}
		next = vfs_lookup_in(ip, name, len);
		if (!next)
			return -ENOENT;
		if (next->vol) {
			/* The rest is the host's to resolve, beneath the volume. */
			*out = next;
			*last = p;
			*lastlen = strlen(p);
			return VFS_IN_VOLUME;
		}
		if (S_ISLNK(next->mode) && (!final || trailing || !(flags & WALK_NOFOLLOW))) {
			/* Splice the link's target in place of its name. */
			char tmp[PATH_MAX];
			size_t tlen = (size_t)next->size, rlen = strlen(rest);

			if (++links > MAX_LINKS)
				return -ELOOP;
			if (tlen + rlen + 1 > PATH_MAX)
				return -ENAMETOOLONG;
			memcpy(tmp, next->data, tlen);
			memcpy(tmp + tlen, rest, rlen + 1);
			memcpy(path, tmp, tlen + rlen + 1);
			p = path;
			if (path[0] == '/')
				ip = vfs_root();
			continue; /* relative: from the link's own directory */
		}
		ip = next;
		must_dir = final && trailing;
	}
}

long vfs_path_of(struct inode *dir, char *buf, size_t size)
{
	char tmp[PATH_MAX];
	size_t at = sizeof(tmp) - 1;
	struct inode *root = vfs_root();

	tmp[at] = '\0';
	if (dir == root)
		tmp[--at] = '/';
	while (dir != root) {
		struct inode *up = dir->parent, *ip;
		const char *name = NULL;
		size_t len = 0;

		if (dir->nlink == 0)
			return -ENOENT; /* removed: Linux says so too */
		for (uint64_t pos = 2; (name = vfs_entry(up, pos, &len, &ip, &pos)) != NULL;)
			if (ip == dir)
				break;
		if (!name || len + 1 > at)
			return -ENAMETOOLONG;
		at -= len;
		memcpy(tmp + at, name, len);
		tmp[--at] = '/';
		dir = up;
	}
	if (sizeof(tmp) - at > size)
		return -ERANGE;
	memcpy(buf, tmp + at, sizeof(tmp) - at);
	return (long)(sizeof(tmp) - at);
}

/* The position after child's entry in dir. */
static uint64_t pos_after(struct inode *dir, struct inode *child)
{
	struct inode *ip;
	size_t len;

	for (uint64_t pos = 2, next; vfs_entry(dir, pos, &len, &ip, &next); pos = next)
		if (ip == child)
			return next;
	return UINT64_MAX; /* gone: nothing after it */
}

long vfs_name_of(struct inode *target, char *buf, size_t size)
{
	struct inode *root = vfs_root(), *dir = root, *ip;
	uint64_t pos = 2, next;
	const char *name;
	size_t len;
	long n;

	if (S_ISDIR(target->mode))
		return vfs_path_of(target, buf, size);
	/* Depth first, without recursion: a directory's parent pointer
	 * leads back up, and the search resumes after the child's entry. */
	for (;;) {
		name = vfs_entry(dir, pos, &len, &ip, &next);
		if (!name) {
			if (dir == root)
				return -ENOENT;
			pos = pos_after(dir->parent, dir);
			dir = dir->parent;
			continue;
		}
		pos = next;
		if (ip == target)
			break;
		if (S_ISDIR(ip->mode) && ip->nentries) {
			dir = ip;
			pos = 2;
		}
	}
	n = vfs_path_of(dir, buf, size); /* with its NUL, where the name goes */
	if (n < 0)
		return n;
	if (dir != root)
		buf[n - 1] = '/';
	else
		n--; /* "/" already ends in a slash */
	if ((size_t)n + len + 1 > size)
		return -ENAMETOOLONG;
	memcpy(buf + n, name, len);
	buf[n + (long)len] = '\0';
	return n + (long)len + 1;
}
