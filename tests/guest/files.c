/* files.c — the file tree as Linux has it: create, write, read back, seek,
 * truncate, rename, directories and their listing, and the errno of each
 * misuse. Works in a directory "ft" it makes in its working directory and
 * removes at the end; prints nothing that differs between file systems
 * (no inode numbers, no times). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[64];
	int n = 0;

	if (!d) {
		printf("opendir %s: %s\n", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)) && n < 64)
		names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("ls %s:", dir);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

int main(void)
{
	char buf[256];
	struct stat st;
	int fd;

	if (mkdir("ft", 0755) < 0 || chdir("ft") < 0)
		return 2;
	umask(022);
	fd = open("a.txt", O_CREAT | O_EXCL | O_RDWR, 0644);
	printf("open new: %s\n", fd >= 0 ? "ok" : strerror(errno));
	T("write", write(fd, "hello, world\n", 13));
	T("lseek 0", lseek(fd, 0, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	T("read", read(fd, buf, sizeof(buf)));
	printf("content: %s", buf);
	T("lseek end+100", lseek(fd, 100, SEEK_END));
	T("write after hole", write(fd, "X", 1));
	T("fstat", fstat(fd, &st));
	printf("size %lld mode %o nlink %lu reg %d\n", (long long)st.st_size, st.st_mode & 07777,
	       (unsigned long)st.st_nlink, S_ISREG(st.st_mode));
	T("pread 5 at 7", pread(fd, buf, 5, 7));
	printf("pread: %.5s\n", buf);
	T("pread in hole", pread(fd, buf, 4, 20));
	printf("hole bytes: %d %d %d %d\n", buf[0], buf[1], buf[2], buf[3]);
	T("ftruncate 5", ftruncate(fd, 5));
	T("fstat", fstat(fd, &st));
	printf("size %lld\n", (long long)st.st_size);
	T("fsync", fsync(fd));
	T("close", close(fd));
	T("open O_EXCL again", open("a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
	T("open missing", open("nope", O_RDONLY));
	T("open dir for write", open(".", O_WRONLY));
	T("open file as dir", open("a.txt", O_RDONLY | O_DIRECTORY));
	T("open file/ ", open("a.txt/", O_RDONLY));
	fd = open("a.txt", O_WRONLY | O_APPEND);
	T("append", write(fd, "+app", 4));
	close(fd);
	fd = open("a.txt", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	T("read appended", read(fd, buf, sizeof(buf)));
	printf("content: %s\n", buf);
	T("write to O_RDONLY", write(fd, "x", 1));
	close(fd);
	T("mkdir d", mkdir("d", 0755));
	T("mkdir d again", mkdir("d", 0755));
	T("mkdir a.txt/x", mkdir("a.txt/x", 0755));
	T("mkdir missing/x", mkdir("missing/x", 0755));
	T("rename a.txt d/b.txt", rename("a.txt", "d/b.txt"));
	T("stat d/b.txt", stat("d/b.txt", &st));
	T("stat a.txt", stat("a.txt", &st));
	T("rename d into itself", rename("d", "d/e"));
	T("mkdir d/e", mkdir("d/e", 0700));
	T("rmdir d (not empty)", rmdir("d"));
	T("unlink d (a dir)", unlink("d"));
	T("rmdir d/b.txt (a file)", rmdir("d/b.txt"));
	T("rename file over dir", rename("d/b.txt", "d/e"));
	T("creat c", creat("d/c", 0600));
	T("rename c over b", rename("d/c", "d/b.txt"));
	list(".");
	list("d");
	T("chdir d", chdir("d"));
	T("getcwd tail", getcwd(buf, sizeof(buf)) ? (long)strlen(strrchr(buf, '/')) : -1);
	printf("cwd ends in: %s\n", strrchr(buf, '/'));
	T("access b.txt R_OK", access("b.txt", R_OK));
	T("access b.txt X_OK", access("b.txt", X_OK));
	T("access missing", access("zz", F_OK));
	T("chdir ..", chdir(".."));
	T("unlink d/b.txt", unlink("d/b.txt"));
	T("rmdir d/e", rmdir("d/e"));
	T("rmdir d", rmdir("d"));
	T("rmdir .", rmdir("."));
	/* An unlinked file lives while it is open. */
	fd = open("gone", O_CREAT | O_RDWR, 0600);
	write(fd, "still here", 10);
	T("unlink open file", unlink("gone"));
	T("lseek", lseek(fd, 0, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	T("read unlinked", read(fd, buf, sizeof(buf)));
	printf("content: %s\n", buf);
	close(fd);
	/* stdio on a file. */
	FILE *f = fopen("stdio.txt", "w");
	for (int i = 0; i < 1000; i++)
		fprintf(f, "line %d\n", i);
	fclose(f);
	f = fopen("stdio.txt", "r");
	int lines = 0;
	while (fgets(buf, sizeof(buf), f))
		lines++;
	fclose(f);
	T("stat stdio.txt", stat("stdio.txt", &st));
	printf("lines %d size %lld\n", lines, (long long)st.st_size);
	list(".");
	unlink("stdio.txt");
	list(".");
	T("chdir ..", chdir(".."));
	T("rmdir ft", rmdir("ft"));
	return 0;
}
