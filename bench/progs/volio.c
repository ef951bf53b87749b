/*
 * volio.c — file I/O on a directory, for the volume benchmark.
 *
 *   volio DIR seq MIB     write MIB MiB to DIR/seq in 1 MiB calls and
 *                         fsync, then read it back: MB/s of each
 *   volio DIR files N     create N small files (open, 16 bytes, close),
 *                         then stat each: operations per second
 *
 * Run as a pith image on a volume and natively on the same directory;
 * prints key=value pairs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "timing.h"

static int seq(const char *dir, long mib)
{
	size_t mb = 1u << 20;
	char path[512], *buf = malloc(mb);
	double t0, t1, t2;
	long got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/seq", dir);
	if (!buf || (fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644)) < 0)
		return 1;
	memset(buf, 'v', mb);
	t0 = now_ns();
	for (long i = 0; i < mib; i++)
		if (write(fd, buf, mb) != (ssize_t)mb)
			return 1;
	if (fsync(fd) != 0)
		return 1;
	t1 = now_ns();
	lseek(fd, 0, SEEK_SET);
	for (ssize_t r; (r = read(fd, buf, mb)) > 0;)
		got += r;
	t2 = now_ns();
	close(fd);
	unlink(path);
	if (got != mib << 20)
		return 1;
	printf("write_mbs=%.0f read_mbs=%.0f\n", mib * 1048576.0 / 1e6 / ((t1 - t0) / 1e9),
	       mib * 1048576.0 / 1e6 / ((t2 - t1) / 1e9));
	return 0;
}

static int files(const char *dir, long n)
{
	char path[512];
	struct stat st;
	double t0, t1, t2;

	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/f%06ld", dir, i);
		fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd < 0 || write(fd, "sixteen bytes!!\n", 16) != 16 || close(fd) != 0)
			return 1;
	}
	t1 = now_ns();
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%06ld", dir, i);
		if (stat(path, &st) != 0 || st.st_size != 16)
			return 1;
	}
	t2 = now_ns();
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%06ld", dir, i);
		unlink(path);
	}
	printf("create_per_s=%.0f stat_per_s=%.0f\n", n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9));
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 3 ? atol(argv[3]) : 0;

	if (argc < 4 || n < 1) {
		fprintf(stderr, "usage: volio DIR seq MIB | volio DIR files N\n");
		return 2;
	}
	return strcmp(argv[2], "seq") == 0 ? seq(argv[1], n) : files(argv[1], n);
}
