/*
 * procfs.h — /proc: what a Linux program reads about itself.
 *
 * /proc is a read-only tree of ramfs inodes made at boot, each marked
 * with what it shows (inode.proc). A file's text is made when it is
 * opened, from the kernel's state at that moment, and the open file reads
 * that snapshot (as Linux's seq files do for small files); stat gives
 * size 0, as Linux. Symbolic links are ordinary link inodes: /proc/self
 * is "1", and the links whose targets change (/proc/PID/cwd, the entries
 * of /proc/PID/fd) are brought up to date by procfs_refresh() whenever a
 * path walks through their directory or the directory is opened.
 *
 * The program is root, so as on Linux a file opens for writing; the
 * write then fails as Linux's does for files without a write handler
 * (EINVAL under /proc/PID, EIO elsewhere, EPERM under /proc/sys), except
 * comm, which renames the program.
 */
#ifndef PITH_PROCFS_H
#define PITH_PROCFS_H

#include "vfs.h"

#define PROCFS_DEV 0x17 /* st_dev of /proc's inodes: a file system of its own */

/* Make /proc in root (at boot), unless the image brings one. */
void procfs_init(struct inode *root, const struct pith_boot *boot);
/* Bring dir's dynamic entries up to date (a no-op for most). */
void procfs_refresh(struct inode *dir);
/* Open a /proc file (not a directory): its text now, as a new fd. */
long procfs_open(struct inode *ip, int flags);

/* The file-mode creation mask (posix/sys_fs.c), for status. */
uint32_t fs_umask(void);

#endif
