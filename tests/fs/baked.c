/* baked.c — reads a tree of files: every file's bytes (checksummed), the
 * sorted listing of every directory, modes and sizes, link targets. Given
 * the same tree baked into the image at /data or copied to ./data on the
 * host, the output is the same. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show(const char *path)
{
	struct stat st;
	char target[256];

	if (lstat(path, &st) < 0) {
		printf("%s: missing\n", path);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(path, target, sizeof(target));

		printf("%s -> %.*s\n", path, (int)n, target);
	} else if (S_ISREG(st.st_mode)) {
		unsigned long sum = 5381, n = 0;
		unsigned char buf[4096];
		ssize_t r;
		int fd = open(path, O_RDONLY);

		while ((r = read(fd, buf, sizeof(buf))) > 0)
			for (ssize_t i = 0; i < r; i++, n++)
				sum = sum * 33 + buf[i];
		close(fd);
		printf("%s: file %o %lld bytes, read %lu, sum %lx\n", path, st.st_mode & 07777,
		       (long long)st.st_size, n, sum);
	} else if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		char *names[256];
		int k = 0;

		printf("%s: dir %o\n", path, st.st_mode & 07777);
		while ((e = readdir(d)) && k < 256)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				names[k++] = strdup(e->d_name);
		closedir(d);
		qsort(names, k, sizeof(*names), cmp);
		for (int i = 0; i < k; i++) {
			char child[1024];

			snprintf(child, sizeof(child), "%s/%s", path, names[i]);
			show(child);
			free(names[i]);
		}
	}
}

int main(void)
{
	show("data");
	return 0;
}
