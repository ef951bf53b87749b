/* fsedge.c — file-system edges, as Linux answers them: a directory listed
 * while its entries are removed (an "rm -rf" loop) or added, names with a
 * trailing slash, O_CREAT through a dangling link, a removed working
 * directory and its "..", O_TRUNC with O_RDONLY, O_DIRECTORY|O_CREAT,
 * rmdir("/"). Works in a directory "fe" it makes and removes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace.h"

static void make(const char *dir, int n)
{
	char p[64];

	mkdir(dir, 0755);
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/f%03d", dir, i);
		close(open(p, O_CREAT | O_WRONLY, 0644));
	}
}

int main(void)
{
	struct dirent *e;
	struct stat st;
	char p[300];
	DIR *d;
	int n = 0, seen = 0, fd;

	if (mkdir("fe", 0755) < 0 || chdir("fe") < 0)
		return 2;
	/* Remove every entry while reading: all go. */
	make("d", 300);
	d = opendir("d");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(p, sizeof(p), "d/%s", e->d_name);
			n += unlink(p) == 0;
		}
	closedir(d);
	printf("unlinked while reading: %d\n", n);
	T("rmdir d", rmdir("d"));
	/* Add entries while reading: the listing ends, each old name once. */
	make("d", 100);
	d = opendir("d");
	n = 0;
	while ((e = readdir(d)) && n < 5000) {
		n++;
		if (e->d_name[0] == 'f' && e->d_name[1] != 'x') {
			seen++;
			snprintf(p, sizeof(p), "d/fx%s", e->d_name + 1);
			close(open(p, O_CREAT | O_WRONLY, 0644));
		}
	}
	closedir(d);
	printf("old names seen: %d, listing ended: %d\n", seen, n < 5000);
	/* Trailing slashes. */
	close(open("f", O_CREAT | O_WRONLY, 0644));
	T("stat f/", stat("f/", &st));
	T("truncate f/", truncate("f/", 1));
	T("rename f g/", rename("f", "g/"));
	T("link f x/", link("f", "x/"));
	T("symlink f z/", symlink("f", "z/"));
	T("mkdir dd/", mkdir("dd/", 0755));
	T("stat dd/", stat("dd/", &st));
	T("rmdir dd/", rmdir("dd/"));
	/* O_CREAT through a dangling link creates its target. */
	T("symlink newtarget dl", symlink("newtarget", "dl"));
	fd = open("dl", O_CREAT | O_WRONLY, 0644);
	printf("open dl O_CREAT: %s\n", fd >= 0 ? "ok" : strerror(errno));
	close(fd);
	T("stat newtarget", stat("newtarget", &st));
	T("open dl O_CREAT|O_EXCL", open("dl", O_CREAT | O_EXCL | O_WRONLY, 0644));
	/* O_TRUNC with O_RDONLY truncates; O_DIRECTORY|O_CREAT is refused. */
	fd = open("f", O_WRONLY);
	write(fd, "data", 4);
	close(fd);
	close(open("f", O_RDONLY | O_TRUNC));
	stat("f", &st);
	printf("size after O_RDONLY|O_TRUNC: %lld\n", (long long)st.st_size);
	T("open . O_RDONLY|O_TRUNC", open(".", O_RDONLY | O_TRUNC));
	T("open d2 O_DIRECTORY|O_CREAT", open("d2", O_DIRECTORY | O_CREAT | O_RDONLY, 0644));
	T("rmdir /", rmdir("/"));
	/* A removed working directory: ".." still leads out, names fail. */
	mkdir("a", 0755);
	mkdir("a/b", 0755);
	T("chdir a/b", chdir("a/b"));
	T("rmdir ../b", rmdir("../b"));
	T("rmdir ../../a", rmdir("../../a"));
	T("stat ..", stat("..", &st));
	printf("nlink of ..: %lu\n", (unsigned long)st.st_nlink);
	T("mkdir in removed dir", mkdir("x", 0755));
	T("getcwd", getcwd(p, sizeof(p)) ? 0 : -1);
	T("chdir ../..", chdir("../.."));
	/* Clean up. */
	d = opendir("d");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(p, sizeof(p), "d/%s", e->d_name);
			unlink(p);
		}
	closedir(d);
	rmdir("d");
	unlink("f");
	unlink("dl");
	unlink("newtarget");
	T("chdir ..", chdir(".."));
	T("rmdir fe", rmdir("fe"));
	return 0;
}
