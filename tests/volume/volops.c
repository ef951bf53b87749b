/*
 * volops.c DIR — file operations in DIR, one line each (trace.h): create,
 * write, read back, seek, rename, a sorted listing, links, modes, times,
 * big transfers, and the errno of each misuse. tests/volume/run.sh runs it
 * on a volume under pith and natively on a copy of the same directory;
 * the outputs must be equal byte for byte, so nothing printed may depend
 * on where DIR is (no paths, inode numbers or current times).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "../guest/trace.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a directory, sorted, with their types. */
static void list(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[256];
	int n = 0;

	if (!d) {
		printf("opendir %s: %s\n", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)) && n < 256) {
		char *s = malloc(strlen(e->d_name) + 3);

		sprintf(s, "%s%s", e->d_name,
			e->d_type == DT_DIR   ? "/"
			: e->d_type == DT_LNK ? "@"
					      : "");
		names[n++] = s;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("ls %s:", dir);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static uint32_t sum(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void big(void)
{
	size_t n = 20u << 20;
	uint8_t *w = malloc(n), *r = malloc(n);
	int fd;

	for (size_t i = 0; i < n; i++)
		w[i] = (uint8_t)(i * 7 + (i >> 12));
	fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0644);
	T("big write 20 MiB", write(fd, w, n));
	T("big pread 20 MiB", pread(fd, r, n, 0));
	printf("big sum equal: %d\n", sum(w, n) == sum(r, n));
	T("big lseek end", lseek(fd, 0, SEEK_END));
	T("big pwrite at 30 MiB", pwrite(fd, "x", 1, 30u << 20));
	T("big lseek hole 20 MiB", lseek(fd, 20u << 20, SEEK_HOLE));
	T("big ftruncate 1000", ftruncate(fd, 1000));
	T("big read at end", read(fd, r, 10));
	T("big fsync", fsync(fd));
	T("big fdatasync", fdatasync(fd));
	close(fd);
	T("big unlink", unlink("big"));
	free(w);
	free(r);
}

int main(int argc, char **argv)
{
	char buf[256];
	struct stat st;
	int fd, fd2;

	if (argc < 2 || chdir(argv[1]) < 0)
		return 3;
	umask(022);
	list(".");
	T("read existing", (fd = open("given.txt", O_RDONLY)));
	memset(buf, 0, sizeof(buf));
	T("read given", read(fd, buf, sizeof(buf) - 1));
	printf("given: %s", buf);
	close(fd);

	/* create, write, read back, seek */
	T("creat a.txt", (fd = open("a.txt", O_CREAT | O_EXCL | O_RDWR, 0640)));
	T("write", write(fd, "hello, volume\n", 14));
	T("lseek 7", lseek(fd, 7, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	T("read", read(fd, buf, sizeof(buf)));
	printf("content: %s", buf);
	T("lseek cur -3", lseek(fd, -3, SEEK_CUR));
	T("lseek end", lseek(fd, 0, SEEK_END));
	T("lseek negative", lseek(fd, -100, SEEK_SET));
	T("pwrite", pwrite(fd, "HELLO", 5, 0));
	T("pread", pread(fd, buf, 5, 0));
	printf("pread: %.5s\n", buf);
	T("fstat", fstat(fd, &st));
	printf("size %lld mode %o nlink %lu\n", (long long)st.st_size, st.st_mode,
	       (unsigned long)st.st_nlink);
	T("ftruncate 5", ftruncate(fd, 5));
	T("fsync", fsync(fd));
	T("close", close(fd));
	T("close again", close(fd));
	T("read closed", read(fd, buf, 1));

	/* O_APPEND */
	T("open append", (fd = open("a.txt", O_WRONLY | O_APPEND)));
	T("append", write(fd, " more\n", 6));
	T("lseek cur after append", lseek(fd, 0, SEEK_CUR));
	close(fd);
	T("stat a.txt", stat("a.txt", &st));
	printf("size %lld\n", (long long)st.st_size);

	/* errno cases */
	T("open missing", open("missing", O_RDONLY));
	T("creat excl existing", open("a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
	T("open file/", open("a.txt/", O_RDONLY));
	T("open file/x", open("a.txt/x", O_RDONLY));
	T("mkdir d", mkdir("d", 0755));
	T("mkdir d again", mkdir("d", 0755));
	T("open dir for writing", open("d", O_WRONLY));
	T("open O_DIRECTORY file", open("a.txt", O_RDONLY | O_DIRECTORY));
	T("read dir", (fd = open("d", O_RDONLY)) >= 0 ? read(fd, buf, 10) : -1);
	close(fd);
	T("creat in missing dir", open("nodir/f", O_CREAT | O_WRONLY, 0644));
	T("unlink dir", unlink("d"));
	T("rmdir file", rmdir("a.txt"));
	T("write d/f", (fd = open("d/f", O_CREAT | O_WRONLY, 0600)));
	close(fd);
	T("rmdir nonempty", rmdir("d"));
	T("rmdir .", rmdir("d/."));
	T("rmdir ..", rmdir("d/.."));
	T("write on O_RDONLY", (fd = open("a.txt", O_RDONLY)) >= 0 ? write(fd, "x", 1) : -1);
	close(fd);
	T("read on O_WRONLY", (fd = open("a.txt", O_WRONLY)) >= 0 ? read(fd, buf, 1) : -1);
	close(fd);
	T("ftruncate O_RDONLY", (fd = open("a.txt", O_RDONLY)) >= 0 ? ftruncate(fd, 0) : -1);
	close(fd);
	T("truncate dir", truncate("d", 0));
	T("truncate missing", truncate("missing", 0));

	/* rename */
	T("rename a->b", rename("a.txt", "b.txt"));
	T("rename missing", rename("a.txt", "c.txt"));
	T("rename file over dir", rename("b.txt", "d"));
	T("rename dir over file", rename("d", "b.txt"));
	T("mkdir e", mkdir("e", 0700));
	T("rename dir into itself", rename("d", "d/sub"));
	T("rename d over empty e", rename("d", "e"));
	T("rename noreplace", syscall(SYS_renameat2, AT_FDCWD, "b.txt", AT_FDCWD, "e/f", 1));
	T("rename .", rename(".", "x"));

	/* links */
	T("symlink", symlink("b.txt", "ln"));
	T("symlink exists", symlink("b.txt", "ln"));
	memset(buf, 0, sizeof(buf));
	T("readlink", readlink("ln", buf, sizeof(buf)));
	printf("target: %s\n", buf);
	T("readlink file", readlink("b.txt", buf, sizeof(buf)));
	T("lstat ln", lstat("ln", &st));
	printf("ln is link: %d\n", S_ISLNK(st.st_mode));
	T("stat via ln", stat("ln", &st));
	printf("size %lld\n", (long long)st.st_size);
	T("open ln nofollow", open("ln", O_RDONLY | O_NOFOLLOW));
	T("link", link("b.txt", "hard"));
	T("stat nlink", stat("b.txt", &st));
	printf("nlink %lu\n", (unsigned long)st.st_nlink);
	T("link dir", link("e", "e2"));
	T("link exists", link("b.txt", "hard"));
	T("dangling symlink", symlink("nowhere", "dang"));
	T("open dangling", open("dang", O_RDONLY));
	T("creat through dangling", (fd = open("dang", O_CREAT | O_WRONLY, 0644)));
	close(fd);
	T("access dang", access("nowhere", F_OK));

	/* modes and times */
	T("chmod", chmod("b.txt", 0600));
	T("stat mode", stat("b.txt", &st));
	printf("mode %o\n", st.st_mode);
	T("fchmod", (fd = open("b.txt", O_RDONLY)) >= 0 ? fchmod(fd, 0644) : -1);
	T("fstat mode", fstat(fd, &st));
	printf("mode %o\n", st.st_mode);
	close(fd);
	{
		struct timespec ts[2] = { { 1000000000, 5 }, { 1200000000, 7 } };

		T("utimensat", utimensat(AT_FDCWD, "b.txt", ts, 0));
		T("stat times", stat("b.txt", &st));
		printf("atime %lld.%ld mtime %lld.%ld\n", (long long)st.st_atim.tv_sec,
		       st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	}
	T("access R", access("b.txt", R_OK));
	T("access missing", access("zzz", R_OK));
	T("mkdir mode", mkdir("m", 0777));
	T("stat m", stat("m", &st));
	printf("m mode %o\n", st.st_mode);

	/* *at calls from a directory fd, and chdir inside */
	T("open e", (fd2 = open("e", O_RDONLY | O_DIRECTORY)));
	T("openat e/x", (fd = openat(fd2, "x", O_CREAT | O_WRONLY, 0644)));
	close(fd);
	T("fstatat e/x", fstatat(fd2, "x", &st, 0));
	T("mkdirat e/y", mkdirat(fd2, "y", 0755));
	T("unlinkat e/x", unlinkat(fd2, "x", 0));
	T("fchdir e", fchdir(fd2));
	close(fd2);
	T("getcwd ends in /e",
	  getcwd(buf, sizeof(buf)) ? (long)(strcmp(strrchr(buf, '/'), "/e") == 0) : -1);
	T("chdir y", chdir("y"));
	T("chdir ../..", chdir("../.."));
	list(".");
	list("e");

	big();

	/* clean up what was made */
	unlink("b.txt");
	unlink("hard");
	unlink("ln");
	unlink("dang");
	unlink("nowhere");
	unlink("e/f");
	rmdir("e/y");
	rmdir("e/sub");
	unlink("e/f");
	rmdir("e");
	rmdir("m");
	list(".");
	return 0;
}
