/*
 * procfs_text.h — inside /proc (fs/procfs.c): what each inode shows, and
 * the texts of its files (fs/procfs_text.c).
 */
#ifndef PITH_PROCFS_TEXT_H
#define PITH_PROCFS_TEXT_H

#include "vfs.h"

/* What an inode shows (inode.proc). Files from P_PID_FILES on live
 * under /proc/PID, from P_TOP_FILES on at the top, from P_SYS_FILES on
 * under /proc/sys: a write fails with EINVAL, EIO, EPERM respectively. */
enum {
	P_DIR = 1, /* a directory that never changes */
	P_PID,	   /* /proc/PID, /proc/PID/task/TID: cwd follows chdir */
	P_FD,	   /* /proc/PID/fd: a link per open fd */
	P_FDINFO,  /* /proc/PID/fdinfo: a file per open fd */
	P_LINK,	   /* a link whose target never changes */
	P_CWD,
	P_FDLINK,
	P_PID_FILES,
	P_CMDLINE = P_PID_FILES,
	P_COMM,
	P_ENVIRON,
	P_STATUS,
	P_STAT,
	P_STATM,
	P_MAPS,
	P_MOUNTS,
	P_FDINFO_FILE,
	P_TOP_FILES,
	P_MEMINFO = P_TOP_FILES,
	P_CPUINFO,
	P_UPTIME,
	P_LOADAVG,
	P_VERSION,
	P_FILESYSTEMS,
	P_SYS_FILES,
	P_HOSTNAME = P_SYS_FILES,
	P_OSTYPE,
	P_OSRELEASE,
};

/* What the files show of the boot information, taken at boot: the boot
 * area is the program's to write, so lengths are not read from it again. */
struct procfs_self {
	const struct pith_boot *boot;
	const char *args;   /* argv strings, then envp strings */
	size_t argv_len;    /* bytes of argv's strings with their NULs */
	size_t env_len;	    /* and of envp's */
	char comm[16];	    /* the program's name, as Linux's task comm */
	char exe[PATH_MAX]; /* argv[0] made absolute */
	uint64_t text_lo, text_hi, data_lo, data_hi, image_bytes, text_bytes, data_bytes;
};
extern struct procfs_self procfs_self;

/* Text made for one open: len may pass cap, and then the maker runs
 * again with a buffer that fits. */
struct out {
	char *buf;
	size_t cap, len;
};

/* Take what the files show from the boot information (at boot). */
void procfs_self_init(const struct pith_boot *boot);
/* The text of ip, a /proc file, as it is now. */
void procfs_show(struct inode *ip, struct out *o);

#endif
