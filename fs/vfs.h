/*
 * vfs.h — the file tree: inodes, directories, path lookup.
 *
 * One tree, rooted at "/", held in guest memory (ramfs.c): directories
 * keep their entries in a list, regular files their bytes in one
 * contiguous run of pages that grows as the file does. Later file systems
 * (baked-in files, host volumes) attach below it. Functions return -errno
 * with Linux's values. The program is root, so there are no permission
 * checks beyond the file type.
 */
#ifndef PITH_VFS_H
#define PITH_VFS_H

#include <pith/abi.h>

#include "../kernel/kernel.h"

#define S_IFMT		  0170000
#define S_IFDIR		  0040000
#define S_IFREG		  0100000
#define S_IFCHR		  0020000
#define S_ISDIR(m)	  (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m)	  (((m)&S_IFMT) == S_IFREG)
#define S_ISCHR(m)	  (((m)&S_IFMT) == S_IFCHR)
#define DEV(major, minor) (((major) << 8) | (minor))
#define S_IFLNK		  0120000
#define S_ISLNK(m)	  (((m)&S_IFMT) == S_IFLNK)
#define NAME_MAX	  255
#define PATH_MAX	  4096

struct dirent;

struct inode {
	uint32_t mode;	/* type and permission bits */
	uint32_t nlink; /* names for it (+1 for "." in a directory) */
	uint64_t ino;
	uint64_t size;
	uint64_t atime, mtime, ctime; /* ns since the epoch */
	int opens;		      /* open files: an unlinked file lives on */
	bool ro;		      /* baked into the image: read-only */
	bool netconf;		      /* /etc/hosts, resolv.conf while DHCP fills them (fs/etc.c) */
	struct inode *parent;	      /* directories: "..", which it holds */
	struct dirent *entries;	      /* directories: oldest first */
	struct dirent *tail;
	uint32_t nentries;
	uint64_t next_cookie; /* directories: the next entry's position */
	uint32_t rdev;	      /* character devices: DEV(major, minor) */
	uint32_t uid, gid;
	uint8_t *data;	  /* baked files, link targets: size bytes in one piece */
	uint8_t **chunks; /* writable files: a page per CHUNK bytes, or NULL */
	uint64_t nchunks; /* entries in chunks */
	uint8_t vol;	  /* a volume's mount point: its index + 1 (hostfs.h) */
	uint8_t proc;	  /* /proc's inodes: what they show (procfs.h), else 0 */
	int proc_fd;	  /* /proc/PID/fd/N and fdinfo/N: N */
};

struct dirent {
	struct dirent *next;
	uint64_t cookie; /* its position in the directory, never reused */
	struct inode *inode;
	uint16_t len;
	char name[]; /* len bytes and a NUL */
};

/* Make the tree: /, /tmp, /dev, baked files, /etc, /proc (at boot, when the
 * program has file-system calls). */
void vfs_init(const struct pith_boot *boot);
/* /etc/hosts, /etc/hostname and, with a network, /etc/resolv.conf
 * (fs/etc.c), made by vfs_init unless the image bakes its own /etc. */
void etc_init(struct inode *root_dir, const struct pith_boot *boot);
struct inode *vfs_root(void);
struct inode *vfs_cwd(void);
void vfs_set_cwd(struct inode *dir);

/* A new inode of the given mode in dir under name (which must not
 * exist): -EEXIST, -ENOSPC, or 0 with *out set. */
long vfs_create(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out);
/* The same at directory position cookie (see vfs_entry), for a
 * directory whose entries have fixed places, as /proc/PID/fd's. */
long vfs_create_at(struct inode *dir, const char *name, size_t len, uint32_t mode, uint64_t cookie,
		   struct inode **out);
struct inode *vfs_lookup_in(struct inode *dir, const char *name, size_t len);
/* Remove name from dir; the inode is freed when nothing refers to it. */
long vfs_unlink(struct inode *dir, const char *name, size_t len, bool want_dir);
long vfs_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		const char *nname, size_t nlen);
/* The inode is no longer open in one more file. */
void vfs_close(struct inode *ip);

long vfs_read(struct inode *ip, void *buf, size_t len, uint64_t off);
long vfs_write(struct inode *ip, const void *buf, size_t len, uint64_t off);
long vfs_truncate(struct inode *ip, uint64_t len);
/* 512-byte blocks a file's bytes take (holes take none). */
uint64_t vfs_blocks(struct inode *ip);
/* SEEK_DATA (data) or SEEK_HOLE: the next such offset at or after off;
 * UINT64_MAX when no data follows. */
uint64_t vfs_seek_data(struct inode *ip, uint64_t off, bool data);
/* A symbolic link's target (len bytes), kept in one piece. */
long vfs_set_target(struct inode *ip, const char *target, size_t len);
void vfs_free_data(struct inode *ip);
void vfs_touch(struct inode *ip, bool modified);

/* The directory's entry at position pos or the first after it ("." is 0,
 * ".." 1): its name, and in *next the position after it; NULL at the end.
 * Positions stay valid while entries come and go, as telldir needs. */
const char *vfs_entry(struct inode *dir, uint64_t pos, size_t *len, struct inode **ip,
		      uint64_t *next);

/*
 * Path lookup (path.c). start is the directory relative paths begin in.
 * WALK_PARENT stops before the last component and returns its directory,
 * with the last name in last/lastlen; WALK_NOFOLLOW does not follow a
 * symbolic link as the last component. path is rewritten in place as
 * links are followed, so last points into it.
 */
#define WALK_PARENT   1
#define WALK_NOFOLLOW 2
#define MAX_LINKS     40
/* vfs_walk reached a volume's mount point: *out is it, last/lastlen the
 * rest of the path (relative to the volume's root, "" for the root). A
 * last component that names a mount point with WALK_PARENT is not this:
 * the caller gets the parent, as for any name. */
#define VFS_IN_VOLUME 1
long vfs_walk(struct inode *start, char *path, int flags, struct inode **out, const char **last,
	      size_t *lastlen);
/* Put the files baked into the image (include/pith/files.h) in the tree. */
void vfs_bake(struct inode *root);
/* A new name for ip (not a directory) in dir. */
long vfs_link(struct inode *dir, const char *name, size_t len, struct inode *ip);
/* Copy a path from the program: -EFAULT, -ENAMETOOLONG, -ENOENT (""). */
long vfs_user_path(const char *upath, char *kpath);
/* The path of dir from the root, into buf (for getcwd). */
long vfs_path_of(struct inode *dir, char *buf, size_t size);
/* A path of any inode, with its NUL: a directory's as above, another
 * file's by searching the tree for a name of it (the first found, for a
 * file with several). -ENOENT when it has no name left. */
long vfs_name_of(struct inode *ip, char *buf, size_t size);

/* The next name in a path: skips slashes at *P, returns the name (its
 * length in *LEN, 0 at the end) and leaves *P after it. */
static inline const char *path_next(const char **p, size_t *len)
{
	const char *name;

	while (**p == '/')
		++*p;
	name = *p;
	while (**p && **p != '/')
		++*p;
	*len = (size_t)(*p - name);
	return name;
}

#endif
