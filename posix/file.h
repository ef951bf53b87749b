/*
 * file.h — open files and the descriptor table.
 *
 * A struct file is one open file description: an ops table and the state
 * behind it (the console, a pipe end; later files and sockets). Descriptors
 * are slots in one table pointing at files; dup() shares a file, which
 * lives until its last descriptor closes. Ops return -errno; a read or
 * write that would block returns -EAGAIN and the caller waits (fd.c), so
 * the ops themselves never sleep.
 */
#ifndef PITH_FILE_H
#define PITH_FILE_H

#include "posix.h"

#define O_RDONLY   0
#define O_WRONLY   1
#define O_RDWR	   2
#define O_ACCMODE  3
#define O_APPEND   02000
#define O_NONBLOCK 04000
#define O_CLOEXEC  02000000

#define POLLIN	   0x001
#define POLLPRI	   0x002
#define POLLOUT	   0x004
#define POLLERR	   0x008
#define POLLHUP	   0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
#define POLLRDHUP  0x2000

struct kstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t unused[3];
};

struct file;

struct file_ops {
	long (*read)(struct file *f, void *buf, size_t len);
	long (*write)(struct file *f, const void *buf, size_t len);
	/* Events ready now among POLLIN/POLLOUT (POLLHUP, POLLERR always). */
	short (*poll)(struct file *f);
	/* A count that moves whenever something new arrives that matters
	 * for events (POLLIN: data, a connection, an end; POLLOUT: room),
	 * for edge-triggered epoll; NULL: epoll sees readiness rising only. */
	uint64_t (*seq)(struct file *f, short events);
	long (*ioctl)(struct file *f, unsigned long req, unsigned long arg);
	void (*stat)(struct file *f, struct kstat *st);
	/* What the host must watch while the program waits on this file
	 * (PITH_POLL_*), 0 when only the program itself can change it. */
	uint32_t (*wait)(struct file *f);
	/* How long a blocking read (POLLIN) or write (POLLOUT) may wait, in
	 * ns (sockets' SO_RCVTIMEO/SO_SNDTIMEO); NULL or 0: no limit. */
	uint64_t (*timeout)(struct file *f, short events);
	/* After a write() call: the console flushes to a terminal. */
	void (*after_write)(struct file *f);
	/* Seekable files; NULL: ESPIPE. */
	long (*lseek)(struct file *f, long off, int whence);
	long (*pread)(struct file *f, void *buf, size_t len, uint64_t off);
	long (*pwrite)(struct file *f, const void *buf, size_t len, uint64_t off);
	/* Directories: linux_dirent64 records into buf. */
	long (*getdents)(struct file *f, void *buf, size_t len);
	long (*truncate)(struct file *f, uint64_t len);
	long (*fsync)(struct file *f);
	long (*fdatasync)(struct file *f); /* NULL: as fsync */
	void (*release)(struct file *f);
	/* The name readlink gives for /proc/self/fd/N, as Linux's: a path,
	 * "pipe:[ino]"; into buf with its NUL. Its length without the NUL,
	 * or -errno. NULL: "anon_inode:[pith]". */
	long (*name)(struct file *f, char *buf, size_t size);
};

struct file {
	const struct file_ops *ops;
	int refs;
	int flags; /* O_ACCMODE, O_APPEND, O_NONBLOCK */
	uint64_t ino;
	uint64_t pos; /* seekable files: the offset */
	void *priv;
	int id; /* console: the host fd; pipe: 0 read end, 1 write end */
};

/* A new file with one reference, or NULL when the table is full. */
struct file *file_alloc(const struct file_ops *ops, int flags, void *priv);
void file_put(struct file *f);
/* Another reference, held while a call that may wait uses f: a handler
 * that runs during the wait may close the fd. */
static inline struct file *file_get(struct file *f)
{
	f->refs++;
	return f;
}

/* The file behind fd, or NULL (EBADF). */
struct file *fd_file(long fd);
/* Is fd open with close-on-exec? */
bool fd_cloexec(long fd);
/* Put f at the lowest free descriptor >= min; takes f's reference.
 * Returns the descriptor or -EMFILE. */
long fd_install(struct file *f, long min, bool cloexec);
long fd_close(long fd);
long sys_fstat(int fd, struct kstat *st);

/* The deadline of a blocking read (POLLIN) or write (POLLOUT) on f that
 * starts now: PITH_DEADLINE_NONE unless file_ops.timeout sets one. */
uint64_t file_deadline(struct file *f, short events);
/* Wait until f may be ready for events (POLLIN/POLLOUT); the console is
 * flushed first. Used by blocking reads and writes: 0 to try again,
 * -EAGAIN once deadline has passed, -EINTR, or -ERESTART_CALL
 * (signal_interrupted; never with a deadline, as Linux's timeouts). */
long file_wait(struct file *f, short events, uint64_t deadline);

/* The console's three files, installed as fds 0..2 at boot. */
void console_files_init(const struct pith_boot *boot);
/* Put the host terminal back as pith found it, if the program changed it. */
void console_tty_restore(void);

#endif
