/* devices.c — /dev/null, /dev/zero, /dev/full and /dev/urandom behave as on
 * Linux: reads, writes, fstat, and stdio on /dev/null. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void)
{
	char buf[64];
	struct stat st;
	int fd = open("/dev/null", O_RDWR);
	ssize_t nr = read(fd, buf, 10), nw = write(fd, "abc", 3);
	printf("null: open %s read %zd write %zd\n", fd >= 0 ? "ok" : strerror(errno), nr, nw);
	fstat(fd, &st);
	printf("null: chr %d rdev %lx mode %o\n", S_ISCHR(st.st_mode), (unsigned long)st.st_rdev,
	       st.st_mode & 0777);
	close(fd);
	ssize_t r;
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 1, sizeof buf);
	r = read(fd, buf, 64);
	printf("zero: read %zd first %d last %d\n", r, buf[0], buf[63]);
	close(fd);
	fd = open("/dev/full", O_WRONLY);
	r = write(fd, "x", 1);
	printf("full: write %zd %s\n", r, r < 0 ? strerror(errno) : "");
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	char a[16] = { 0 }, b[16] = { 0 };
	read(fd, a, 16);
	read(fd, b, 16);
	printf("urandom: differ %d\n", memcmp(a, b, 16) != 0);
	close(fd);
	FILE *f = fopen("/dev/null", "w");
	fprintf(f, "discarded\n");
	printf("fopen /dev/null: %s\n", f && fclose(f) == 0 ? "ok" : "fail");
	return 0;
}
