/*
 * escape.c DIR — try to reach files outside the volume at DIR, one line
 * per attempt ("name: errno text", or "name: ESCAPED" when it worked).
 * tests/volume/run.sh prepares DIR on the host: outside/ next to it holds
 * "secret" (text OUTSIDE), and inside DIR abs -> that directory (an
 * absolute link), rel -> ../outside, absfile -> outside/secret, dangling
 * -> a name outside that does not exist, and swap/, a directory that a
 * host loop keeps replacing with a link to outside/ while this runs
 * (argv[2] rounds).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static const char *at(const char *rel)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, rel);
	return buf[i];
}

/* A call that must fail: print its errno, or ESCAPED. */
static void must_fail(const char *what, long r)
{
	if (r >= 0)
		printf("%s: ESCAPED\n", what);
	else
		printf("%s: %s\n", what, strerror(errno));
}

/* An open that must not reach outside's bytes. */
static void must_not_read(const char *what, const char *path, int flags)
{
	char buf[64] = { 0 };
	int fd = open(path, flags, 0644);

	if (fd < 0) {
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	if (read(fd, buf, sizeof(buf) - 1) > 0 && strstr(buf, "OUTSIDE"))
		printf("%s: ESCAPED (read outside)\n", what);
	else
		printf("%s: opened, but not outside\n", what);
	close(fd);
}

int main(int argc, char **argv)
{
	struct stat st;
	char buf[64];
	long rounds = argc > 2 ? atol(argv[2]) : 0, inside = 0, refused = 0;

	if (argc < 2)
		return 2;
	dir = argv[1];
	must_not_read("dotdot", at("../outside/secret"), O_RDONLY);
	must_not_read("dotdot deep", at("a/../../outside/secret"), O_RDONLY);
	must_not_read("dotdot chain", at("../../../../../../../../etc/passwd"), O_RDONLY);
	must_not_read("absolute link", at("abs/secret"), O_RDONLY);
	must_not_read("relative link", at("rel/secret"), O_RDONLY);
	must_not_read("link to file", at("absfile"), O_RDONLY);
	must_fail("write through link", open(at("absfile"), O_WRONLY | O_TRUNC));
	must_fail("create through dangling link", open(at("dangling"), O_CREAT | O_WRONLY, 0644));
	must_fail("stat through link", stat(at("abs/secret"), &st));
	must_fail("chmod through link", chmod(at("absfile"), 0777));
	must_fail("truncate through link", truncate(at("absfile"), 0));
	must_fail("utimes through link", utimensat(AT_FDCWD, at("absfile"), NULL, 0));
	must_fail("mkdir through link", mkdir(at("rel/newdir"), 0755));
	must_fail("unlink through link", unlink(at("rel/secret")));
	must_fail("rename out", rename(at("inner"), at("../outside/moved")));
	must_fail("rename in", rename(at("../outside/secret"), at("stolen")));
	must_fail("rename through link", rename(at("rel/secret"), at("stolen")));
	must_fail("hard link via dotdot", link(at("../outside/secret"), at("hard")));
	must_fail("hard link via link dir", link(at("rel/secret"), at("hard")));
	must_fail("hard link following",
		  linkat(AT_FDCWD, at("absfile"), AT_FDCWD, at("hard"), AT_SYMLINK_FOLLOW));
	must_fail("symlink then follow",
		  (symlink("/", at("mine")), open(at("mine/etc/passwd"), 0)));
	must_fail("access through link", access(at("abs/secret"), F_OK));
	must_fail("readlink through link", readlink(at("rel/../outside"), buf, sizeof(buf)));
	must_fail("chdir out",
		  chdir(at("..")) == 0 && open("outside/secret", O_RDONLY) >= 0 ? 0 : -1);

	/* The host swaps swap/ for a link to outside/ and back, again and
	 * again: an open beneath it must never land outside. */
	for (long i = 0; i < rounds; i++) {
		int fd = open(at("swap/secret"), O_RDONLY);

		if (fd < 0) {
			refused++;
			continue;
		}
		memset(buf, 0, sizeof(buf));
		if (read(fd, buf, sizeof(buf) - 1) > 0 && strstr(buf, "OUTSIDE"))
			printf("swap: ESCAPED in round %ld\n", i);
		else
			inside++;
		close(fd);
	}
	if (rounds)
		printf("swap: %ld rounds, none outside (%s)\n", rounds,
		       inside && refused ? "both seen" : "one side only");
	return 0;
}
