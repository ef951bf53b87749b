/*
 * test_hostfs.c — the volume server (fs/hostfs_serve.c) on the host, under
 * ASan and UBSan: requests against two volumes in a scratch directory (one
 * read-only), with a directory "outside" beside them. Paths that climb
 * out, links that lead out, last names "." and "..", read-only refusals,
 * handles never given, and the request checks the monitor relies on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

#include "../../fs/hostfs_serve.h"

static char top[] = "/tmp/pith-hostfs.XXXXXX";

static long req(uint32_t op, unsigned vol, const char *path, const char *path2, uint32_t flags)
{
	struct pith_hc_vol a = { .op = op, .vol = vol, .handle = -1, .flags = flags, .mode = 0644 };
	unsigned need = 0;

	a.path_len = path ? (uint32_t)strlen(path) + 1 : 0;
	a.path2_len = path2 ? (uint32_t)strlen(path2) + 1 : 0;
	if (hostfs_check(&a, &need))
		return -1000; /* malformed: the monitor would stop the guest */
	hostfs_serve(&a, path, path2, NULL);
	return (long)a.ret;
}

static void sh(const char *fmt, const char *arg)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), fmt, arg, arg, arg, arg);
	if (system(cmd) != 0)
		fprintf(stderr, "test_hostfs: set-up failed: %s\n", cmd);
}

int main(void)
{
	char p[256];
	int fd[2];
	uint32_t flags[2] = { 0, PITH_VOL_RO };
	struct stat st;

	if (!mkdtemp(top))
		return 1;
	sh("mkdir -p %s/rw/d %s/ro %s/outside && echo OUT >%s/outside/secret", top);
	sh("ln -s ../outside %s/rw/rel && ln -s %s/outside/secret %s/rw/abs && echo in >%s/ro/f",
	   top);
	snprintf(p, sizeof(p), "%s/rw", top);
	fd[0] = open(p, O_PATH | O_DIRECTORY);
	snprintf(p, sizeof(p), "%s/ro", top);
	fd[1] = open(p, O_PATH | O_DIRECTORY);
	hostfs_serve_init(fd, flags, 2);

	CHECK_U64("hostfs/dotdot", req(PITH_VOL_STAT, 0, "../outside/secret", NULL, 0), -EXDEV);
	CHECK_U64("hostfs/absolute", req(PITH_VOL_STAT, 0, "/etc/passwd", NULL, 0), -EXDEV);
	CHECK_U64("hostfs/rel-link", req(PITH_VOL_OPEN, 0, "rel/secret", NULL, 0), -EXDEV);
	CHECK_U64("hostfs/abs-link", req(PITH_VOL_OPEN, 0, "abs", NULL, 0), -EXDEV);
	CHECK_U64("hostfs/lstat-link-itself", req(PITH_VOL_STAT, 0, "abs", NULL, PITH_VOL_NOFOLLOW),
		  0);
	CHECK_U64("hostfs/mkdir-via-link", req(PITH_VOL_MKDIR, 0, "rel/x", NULL, 0), -EXDEV);
	CHECK_U64("hostfs/unlink-via-link", req(PITH_VOL_UNLINK, 0, "rel/secret", NULL, 0), -EXDEV);
	CHECK_U64("hostfs/link-out", req(PITH_VOL_LINK, 0, "../outside/secret", "h", 0), -EXDEV);
	CHECK_U64("hostfs/link-follow-out", req(PITH_VOL_LINK, 0, "abs", "h", PITH_VOL_FOLLOW),
		  -EXDEV);
	CHECK_U64("hostfs/rename-out", req(PITH_VOL_RENAME, 0, "d", "../outside/d", 0), -EXDEV);
	CHECK_U64("hostfs/chmod-via-link", req(PITH_VOL_CHMOD, 0, "abs", NULL, 0), -EXDEV);
	CHECK_U64("hostfs/mkdir-root", req(PITH_VOL_MKDIR, 0, "", NULL, 0), -EEXIST);
	CHECK_U64("hostfs/rmdir-dot", req(PITH_VOL_UNLINK, 0, "d/.", NULL, PITH_VOL_RMDIR),
		  -EINVAL);
	CHECK_U64("hostfs/rmdir-dotdot", req(PITH_VOL_UNLINK, 0, "d/..", NULL, PITH_VOL_RMDIR),
		  -ENOTEMPTY);
	CHECK_U64("hostfs/rename-root", req(PITH_VOL_RENAME, 0, "/", "x", 0), -EBUSY);
	CHECK_U64("hostfs/mkdir", req(PITH_VOL_MKDIR, 0, "d/new/", NULL, 0), 0);
	CHECK_U64("hostfs/symlink", req(PITH_VOL_SYMLINK, 0, "d/l", "/anything", 0), 0);
	CHECK_U64("hostfs/symlink-followed", req(PITH_VOL_STAT, 0, "d/l", NULL, 0), -EXDEV);
	CHECK_U64("hostfs/ro-create", req(PITH_VOL_OPEN, 1, "g", NULL, 0101), -EROFS);
	CHECK_U64("hostfs/ro-mkdir", req(PITH_VOL_MKDIR, 1, "g", NULL, 0), -EROFS);
	CHECK_U64("hostfs/ro-mkdir-existing", req(PITH_VOL_MKDIR, 1, "f", NULL, 0), -EEXIST);
	CHECK_U64("hostfs/ro-unlink", req(PITH_VOL_UNLINK, 1, "f", NULL, 0), -EROFS);
	CHECK_U64("hostfs/ro-unlink-missing", req(PITH_VOL_UNLINK, 1, "nope", NULL, 0), -ENOENT);
	CHECK_U64("hostfs/ro-truncate", req(PITH_VOL_TRUNCATE, 1, "f", NULL, 0), -EROFS);
	CHECK_U64("hostfs/ro-read-open", req(PITH_VOL_OPEN, 1, "f", NULL, 0) >= 0, 1);
	CHECK_U64("hostfs/bad-op", req(99, 0, "x", NULL, 0), -1000);
	CHECK_U64("hostfs/bad-volume", req(PITH_VOL_STAT, 5, "x", NULL, 0), -1000);
	CHECK_U64("hostfs/bad-flags", req(PITH_VOL_STAT, 0, "x", NULL, 0x40), -1000);
	{
		struct pith_hc_vol a = { .op = PITH_VOL_FSTAT, .handle = 777 };
		unsigned need;

		CHECK("hostfs/unknown-handle-check", hostfs_check(&a, &need) == NULL);
		hostfs_serve(&a, NULL, NULL, NULL);
		CHECK_U64("hostfs/unknown-handle", a.ret, -EBADF);
	}
	snprintf(p, sizeof(p), "%s/outside/secret", top);
	CHECK("hostfs/outside-untouched",
	      stat(p, &st) == 0 && st.st_size == 4 && (st.st_mode & 07777) == 0644);
	snprintf(p, sizeof(p), "%s/outside/d", top);
	CHECK("hostfs/nothing-made-outside", access(p, F_OK) != 0);
	sh("rm -rf %s", top);
	return 0;
}
