/* procfs.c — what /proc shows of pith's own: the mounts with a volume,
 * the names of fds open on a baked file, a volume file and the console,
 * exe, comm and the host name. fs/run.sh asserts the exact output. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show_link(const char *what, int fd)
{
	char path[64], buf[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = '\0';
	printf("%s: %s\n", what, n < 0 ? "error" : buf);
}

static void show_file(const char *what, const char *path)
{
	char buf[1024];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	buf[n < 0 ? 0 : n] = '\0';
	printf("%s:\n%s", what, buf);
	close(fd);
}

int main(void)
{
	int baked = open("/data/www/index.html", O_RDONLY);
	int vol = open("/vol/file", O_CREAT | O_RDWR, 0644);
	char exe[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n < 0 ? 0 : n] = '\0';
	show_file("mounts", "/proc/mounts");
	show_link("baked", baked);
	show_link("volume", vol);
	show_link("stdout", 1);
	printf("exe: %s\n", exe);
	show_file("comm", "/proc/self/comm");
	show_file("hostname", "/proc/sys/kernel/hostname");
	unlink("/vol/file");
	return 0;
}
