/*
 * durable.c DIR N — append N numbered 64-byte records to DIR/log, each
 * fsync'd (fdatasync for odd numbers) before its number is printed on
 * stdout. tests/volume/run.sh kills pith with SIGKILL part-way: every
 * number printed must be in the host file, whole.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[512], rec[65];
	long n = argc > 2 ? atol(argv[2]) : 1000;
	int fd;

	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s/log", argv[1]);
	fd = open(path, O_CREAT | O_WRONLY | O_APPEND, 0644);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		snprintf(rec, sizeof(rec), "record %08ld %-47s\n", i, "payload");
		if (write(fd, rec, 64) != 64 || (i % 2 ? fdatasync(fd) : fsync(fd)) != 0) {
			perror("write");
			return 1;
		}
		/* A long line, so the console buffer fills and leaves often. */
		printf("synced %08ld %-80s\n", i, "");
		fflush(stdout);
	}
	return 0;
}
