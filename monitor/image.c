/*
 * image.c — read an image file from the host and parse it (elf.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"

#define IMAGE_MAX (1ull << 30)

int image_open(struct image_file *f, const char *path)
{
	struct stat st;
	size_t got = 0;
	int fd, r;

	memset(f, 0, sizeof(*f));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(f->img.err, sizeof(f->img.err), "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(f->img.err, sizeof(f->img.err), "not a regular file");
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > IMAGE_MAX) {
		snprintf(f->img.err, sizeof(f->img.err), "larger than 1 GiB");
		close(fd);
		return -1;
	}
	f->size = (size_t)st.st_size;
	f->data = malloc(f->size ? f->size : 1);
	if (!f->data) {
		snprintf(f->img.err, sizeof(f->img.err), "out of memory");
		close(fd);
		return -1;
	}
	while (got < f->size) {
		ssize_t n = read(fd, f->data + got, f->size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(f->img.err, sizeof(f->img.err), "read: %s",
				 n < 0 ? strerror(errno) : "file shrank");
			close(fd);
			image_close(f);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	r = elf_parse(&f->img, f->data, f->size);
	return r;
}

void image_close(struct image_file *f)
{
	free(f->data);
	f->data = NULL;
}
