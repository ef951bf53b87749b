/* full.c — the in-memory files are bounded by guest memory: writes and
 * creates fail with ENOSPC, not a crash, and freeing a file makes room. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void)
{
	static char block[65536];
	int fd = open("/tmp/big", O_CREAT | O_WRONLY, 0644);
	long total = 0;
	ssize_t r;

	memset(block, 'x', sizeof(block));
	while ((r = write(fd, block, sizeof(block))) > 0)
		total += r;
	printf("wrote %ld MiB then: %s\n", total >> 20, strerror(errno));
	int n = 0;
	char name[32];
	for (;;) {
		snprintf(name, sizeof(name), "/tmp/f%d", n);
		int f = open(name, O_CREAT | O_WRONLY, 0644);
		if (f < 0) {
			printf("create after full: %s\n", strerror(errno));
			break;
		}
		close(f);
		if (++n > 100000)
			break;
	}
	close(fd);
	unlink("/tmp/big");
	fd = open("/tmp/after", O_CREAT | O_WRONLY, 0644);
	printf("after unlink: write %zd\n", write(fd, block, sizeof(block)));
	return 0;
}
