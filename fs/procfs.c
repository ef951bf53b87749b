/*
 * procfs.c — /proc (see procfs.h): the tree made at boot, the entries
 * that follow the fd table, and open files holding a snapshot each; the
 * texts are fs/procfs_text.c's.
 *
 * The one process is PITH_PID, its one thread PITH_TID: /proc/self and
 * /proc/thread-self lead to /proc/1 and /proc/1/task/1, which hold the
 * same files.
 */
#include "../kernel/clock.h"
#include "../kernel/kalloc.h"
#include "../posix/file.h"
#include "hostfs.h"
#include "procfs.h"
#include "procfs_text.h"

#define O_ACCMODE_K 3
#define O_CLOEXEC_K 02000000
#define SEEK_SET_K  0
#define SEEK_CUR_K  1
#define NS	    1000000000ull

/* ---- open files: a snapshot each ----------------------------------------- */

struct snap {
	struct inode *ip;
	size_t len, cap;
	char text[];
};

static struct snap *snap_of(struct file *f)
{
	return f->priv;
}

static long proc_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
	struct snap *s = snap_of(f);
	size_t n;

	if (off >= s->len)
		return 0;
	n = MIN(len, s->len - (size_t)off);
	memcpy(buf, s->text + off, n);
	return (long)n;
}

static long proc_read(struct file *f, void *buf, size_t len)
{
	long r = proc_pread(f, buf, len, f->pos);

	if (r > 0)
		f->pos += (uint64_t)r;
	return r;
}

static long proc_write(struct file *f, const void *buf, size_t len)
{
	uint8_t kind = snap_of(f)->ip->proc;

	if (kind == P_COMM) {
		/* As Linux: up to 15 bytes become the name, newline and all. */
		size_t n = MIN(len, sizeof(procfs_self.comm) - 1);

		memcpy(procfs_self.comm, buf, n);
		procfs_self.comm[n] = '\0';
		return (long)len;
	}
	return kind >= P_SYS_FILES ? -EPERM : kind >= P_TOP_FILES ? -EIO : -EINVAL;
}

static long proc_pwrite(struct file *f, const void *buf, size_t len, uint64_t off)
{
	(void)off;
	return proc_write(f, buf, len);
}

static long proc_lseek(struct file *f, long off, int whence)
{
	int64_t base;

	if (whence != SEEK_SET_K && whence != SEEK_CUR_K)
		return -EINVAL; /* as Linux's seq files: no SEEK_END */
	base = whence == SEEK_SET_K ? 0 : (int64_t)f->pos;
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

static short proc_poll(struct file *f)
{
	(void)f;
	return 0x001 | 0x004; /* POLLIN | POLLOUT */
}

static void proc_stat(struct file *f, struct kstat *st)
{
	struct inode *ip = snap_of(f)->ip;

	st->dev = PROCFS_DEV;
	st->ino = ip->ino;
	st->mode = ip->mode;
	st->nlink = 1;
	st->size = 0; /* as Linux: the size is not known until read */
	st->atime = ip->atime / NS, st->atime_ns = ip->atime % NS;
	st->mtime = ip->mtime / NS, st->mtime_ns = ip->mtime % NS;
	st->ctime = ip->ctime / NS, st->ctime_ns = ip->ctime % NS;
}

static void proc_release(struct file *f)
{
	struct snap *s = snap_of(f);

	vfs_close(s->ip);
	kfree(s, sizeof(*s) + s->cap);
}

static long proc_name(struct file *f, char *buf, size_t size)
{
	long n = vfs_name_of(snap_of(f)->ip, buf, size);

	return n < 0 ? n : n - 1;
}

static const struct file_ops proc_ops = {
	.read = proc_read,
	.write = proc_write,
	.poll = proc_poll,
	.stat = proc_stat,
	.lseek = proc_lseek,
	.pread = proc_pread,
	.pwrite = proc_pwrite,
	.release = proc_release,
	.name = proc_name,
};

long procfs_open(struct inode *ip, int flags)
{
	size_t cap = 1024;
	struct snap *s;
	struct file *f;
	long fd;

	/* Make the text; if it did not fit, again with room to spare (the
	 * bigger buffer may itself add a line to maps). */
	for (;;) {
		struct out o;

		s = kalloc(sizeof(*s) + cap);
		if (!s)
			return -ENOMEM;
		o = (struct out){ s->text, cap, 0 };
		procfs_show(ip, &o);
		if (o.len <= cap) {
			s->len = o.len;
			break;
		}
		kfree(s, sizeof(*s) + cap);
		cap = o.len + o.len / 2 + 256;
	}
	s->ip = ip;
	s->cap = cap;
	f = file_alloc(&proc_ops, flags & (O_ACCMODE_K | 02000 | 04000), s);
	if (!f) {
		kfree(s, sizeof(*s) + cap);
		return -ENFILE;
	}
	f->ino = ip->ino;
	ip->opens++;
	ip->atime = clock_realtime();
	fd = fd_install(f, 0, flags & O_CLOEXEC_K);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* ---- the tree -------------------------------------------------------------- */

/* A new inode in dir, which is read-only to the program but not to us. */
static struct inode *add(struct inode *dir, const char *name, uint32_t mode, uint8_t kind,
			 uint64_t cookie)
{
	struct inode *ip;
	bool was_ro = dir->ro;
	long r;

	dir->ro = false;
	r = vfs_create_at(dir, name, strlen(name), mode, cookie, &ip);
	dir->ro = was_ro;
	if (r < 0)
		return NULL;
	ip->proc = kind;
	ip->ro = !S_ISLNK(mode); /* a link's target is ours to free */
	return ip;
}

/* Set a link's target; false when memory ran out. */
static bool retarget(struct inode *ip, const char *target, size_t len)
{
	if (ip->data && ip->size == len && memcmp(ip->data, target, len) == 0)
		return true;
	vfs_free_data(ip);
	ip->size = 0;
	return vfs_set_target(ip, target, len) == 0;
}

static struct inode *add_link(struct inode *dir, const char *name, const char *target, uint8_t kind)
{
	struct inode *ip = add(dir, name, S_IFLNK | 0777, kind, 0);

	if (!ip || !retarget(ip, target, strlen(target)))
		panic("no memory for /proc");
	return ip;
}

static struct inode *add_node(struct inode *dir, const char *name, uint32_t mode, uint8_t kind)
{
	struct inode *ip = add(dir, name, mode, kind, 0);

	if (!ip)
		panic("no memory for /proc");
	return ip;
}

/* The files of /proc/PID and of /proc/PID/task/TID. */
static struct inode *add_process(struct inode *dir, const char *name)
{
	struct inode *p = add_node(dir, name, S_IFDIR | 0555, P_PID);

	add_node(p, "cmdline", S_IFREG | 0444, P_CMDLINE);
	add_node(p, "comm", S_IFREG | 0644, P_COMM);
	add_link(p, "cwd", "/", P_CWD);
	add_node(p, "environ", S_IFREG | 0400, P_ENVIRON);
	add_link(p, "exe", procfs_self.exe, P_LINK);
	add_node(p, "fd", S_IFDIR | 0500, P_FD);
	add_node(p, "fdinfo", S_IFDIR | 0500, P_FDINFO);
	add_node(p, "maps", S_IFREG | 0444, P_MAPS);
	add_node(p, "mounts", S_IFREG | 0444, P_MOUNTS);
	add_link(p, "root", "/", P_LINK);
	add_node(p, "stat", S_IFREG | 0444, P_STAT);
	add_node(p, "statm", S_IFREG | 0444, P_STATM);
	add_node(p, "status", S_IFREG | 0444, P_STATUS);
	return p;
}

void procfs_init(struct inode *root, const struct pith_boot *boot)
{
	struct inode *proc, *task, *sys;
	char pid[12], thread[24];

	if (vfs_lookup_in(root, "proc", 4))
		return; /* the image brings its own */
	procfs_self_init(boot);

	ksnprintf(pid, sizeof(pid), "%d", PITH_PID);
	ksnprintf(thread, sizeof(thread), "%d/task/%d", PITH_PID, PITH_TID);
	proc = add_node(root, "proc", S_IFDIR | 0555, P_DIR);
	add_link(proc, "self", pid, P_LINK);
	add_link(proc, "thread-self", thread, P_LINK);
	add_link(proc, "mounts", "self/mounts", P_LINK);
	add_node(proc, "meminfo", S_IFREG | 0444, P_MEMINFO);
	add_node(proc, "cpuinfo", S_IFREG | 0444, P_CPUINFO);
	add_node(proc, "uptime", S_IFREG | 0444, P_UPTIME);
	add_node(proc, "loadavg", S_IFREG | 0444, P_LOADAVG);
	add_node(proc, "version", S_IFREG | 0444, P_VERSION);
	add_node(proc, "filesystems", S_IFREG | 0444, P_FILESYSTEMS);
	sys = add_node(add_node(proc, "sys", S_IFDIR | 0555, P_DIR), "kernel", S_IFDIR | 0555,
		       P_DIR);
	add_node(sys, "hostname", S_IFREG | 0644, P_HOSTNAME);
	add_node(sys, "ostype", S_IFREG | 0444, P_OSTYPE);
	add_node(sys, "osrelease", S_IFREG | 0444, P_OSRELEASE);
	task = add_node(add_process(proc, pid), "task", S_IFDIR | 0555, P_DIR);
	ksnprintf(thread, sizeof(thread), "%d", PITH_TID);
	add_process(task, thread);
}

/* ---- entries that follow the kernel's state --------------------------------- */

/* The fd's link mode shows how it is open, as Linux: r, w, and x. */
static uint32_t fd_link_mode(struct file *f)
{
	int acc = f->flags & O_ACCMODE_K;

	return S_IFLNK | 0100 | (acc != 1 ? 0400 : 0) | (acc != 0 ? 0200 : 0);
}

/* Make dir's entries the open fds: links to their names (fd), or files
 * of their state (fdinfo). Each entry sits at position fd + 2, so a
 * listing is in fd order and stays valid while fds come and go. */
static void sync_fds(struct inode *dir, bool links)
{
	char name[12], target[PATH_MAX];
	struct inode *ip;
	uint64_t next;
	const char *n;
	size_t len;

	for (uint64_t pos = 2; (n = vfs_entry(dir, pos, &len, &ip, &next)) != NULL; pos = next) {
		struct file *f = fd_file(ip->proc_fd);

		if (!f || (links && ip->mode != fd_link_mode(f))) {
			dir->ro = false;
			vfs_unlink(dir, n, len, false);
			dir->ro = true;
		}
	}
	for (int fd = 0; fd < NOFILE; fd++) {
		struct file *f = fd_file(fd);
		long r;

		if (!f)
			continue;
		len = (size_t)ksnprintf(name, sizeof(name), "%d", fd);
		ip = vfs_lookup_in(dir, name, len);
		if (!ip) {
			ip = add(dir, name, links ? fd_link_mode(f) : S_IFREG | 0444,
				 links ? P_FDLINK : P_FDINFO_FILE, (uint64_t)fd + 2);
			if (!ip)
				return; /* out of memory: the listing is short */
			ip->proc_fd = fd;
		}
		if (!links)
			continue;
		r = f->ops->name ? f->ops->name(f, target, sizeof(target))
				 : ksnprintf(target, sizeof(target), "anon_inode:[pith]");
		if (r < 0)
			r = ksnprintf(target, sizeof(target), "anon_inode:[pith]");
		retarget(ip, target, (size_t)r);
	}
}

void procfs_refresh(struct inode *dir)
{
	char path[PATH_MAX];
	long n;

	switch (dir->proc) {
	case P_PID: {
		struct inode *cwd = vfs_lookup_in(dir, "cwd", 3);

		n = hostfs_getcwd(path, sizeof(path));
		if (n == 0)
			n = vfs_path_of(vfs_cwd(), path, sizeof(path));
		if (cwd && n > 0)
			retarget(cwd, path, (size_t)n - 1);
		break;
	}
	case P_FD:
	case P_FDINFO:
		sync_fds(dir, dir->proc == P_FD);
		break;
	}
}
