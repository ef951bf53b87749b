/*
 * landlock.c — with volumes, confine pith's file-system access to them.
 *
 * The volume server resolves every guest path beneath a volume's root
 * (fs/hostfs_serve.c), but seccomp cannot read paths: it lets openat2
 * through whatever its open_how says. On the process target the guest is
 * code in pith's own process and could make that call itself, with an
 * absolute path. Landlock closes that gap in the kernel: after this, the
 * process may reach files only beneath the volumes' roots, only for
 * reading beneath read-only ones, and may execute nothing. On hvt it is a
 * second wall behind the monitor's own checks. fds opened before (the
 * console, /dev/kvm, the vCPU) are not affected.
 */
#include <errno.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"

/* Rights by Landlock ABI version: 1 has bits 0..12, 2 adds REFER,
 * 3 TRUNCATE, 5 IOCTL_DEV. */
static uint64_t handled_rights(int abi)
{
	uint64_t r = (1ull << 13) - 1;

	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= 1ull << 14; /* TRUNCATE */
	if (abi >= 5)
		r |= 1ull << 15; /* IOCTL_DEV */
	return r;
}

int landlock_volumes(const struct run_opts *o, bool required, char *err, size_t errlen)
{
	const uint64_t read = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
	const uint64_t write = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
			       LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR |
			       LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SYM |
			       LANDLOCK_ACCESS_FS_REFER | (1ull << 14) /* TRUNCATE */;
	struct landlock_ruleset_attr attr = { 0 };
	int abi, rs;

	if (o->nvol == 0)
		return 0;
	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1 && !required)
		return 0; /* hvt: the monitor's own checks stand alone */
	if (abi < 1) {
		snprintf(err, errlen,
			 "volumes need Landlock (Linux 5.13 or later, lsm=landlock): %s",
			 strerror(errno));
		return -1;
	}
	attr.handled_access_fs = handled_rights(abi);
	rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0) {
		snprintf(err, errlen, "landlock_create_ruleset: %s", strerror(errno));
		return -1;
	}
	for (unsigned i = 0; i < o->nvol; i++) {
		struct landlock_path_beneath_attr pb = {
			.allowed_access = (read | ((o->vol[i].flags & PITH_VOL_RO) ? 0 : write)) &
					  attr.handled_access_fs,
			.parent_fd = o->vol[i].fd,
		};

		if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0) {
			snprintf(err, errlen, "landlock_add_rule %s: %s", o->vol[i].path,
				 strerror(errno));
			close(rs);
			return -1;
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) < 0) {
		snprintf(err, errlen, "landlock_restrict_self: %s", strerror(errno));
		close(rs);
		return -1;
	}
	close(rs);
	return 0;
}
