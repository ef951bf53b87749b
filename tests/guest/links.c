/* links.c — hard and symbolic links, modes, owners, times and advisory
 * locks, as Linux has them. Works in a directory "lt" it makes in its
 * working directory and removes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace.h"

int main(void)
{
	char buf[128];
	struct stat st, st2;
	int fd;

	if (mkdir("lt", 0755) < 0 || chdir("lt") < 0)
		return 2;
	fd = open("f", O_CREAT | O_WRONLY, 0644);
	write(fd, "data", 4);
	close(fd);
	T("link f g", link("f", "g"));
	stat("f", &st);
	stat("g", &st2);
	printf("same inode %d nlink %lu\n", st.st_ino == st2.st_ino, (unsigned long)st.st_nlink);
	T("link f g again", link("f", "g"));
	T("link . d", link(".", "d"));
	T("unlink f", unlink("f"));
	stat("g", &st);
	printf("g nlink %lu size %lld\n", (unsigned long)st.st_nlink, (long long)st.st_size);
	T("symlink g s", symlink("g", "s"));
	T("symlink missing dangling", symlink("missing", "dangling"));
	T("readlink s", readlink("s", buf, sizeof(buf)));
	printf("target: %.*s\n", 1, buf);
	T("readlink g (no link)", readlink("g", buf, sizeof(buf)));
	T("readlink s short buf", readlink("s", buf, 0));
	T("stat s", stat("s", &st));
	printf("stat s: reg %d size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
	T("lstat s", lstat("s", &st));
	printf("lstat s: lnk %d size %lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
	T("stat dangling", stat("dangling", &st));
	T("lstat dangling", lstat("dangling", &st));
	fd = open("s", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	T("read through link", read(fd, buf, sizeof(buf)));
	printf("content: %s\n", buf);
	close(fd);
	T("open s O_NOFOLLOW", open("s", O_RDONLY | O_NOFOLLOW));
	T("mkdir sub", mkdir("sub", 0755));
	T("symlink sub sl", symlink("sub", "sl"));
	T("create through dir link", open("sl/x", O_CREAT | O_WRONLY, 0600));
	T("stat sub/x", stat("sub/x", &st));
	T("symlink loop a->b", symlink("b", "a"));
	T("symlink loop b->a", symlink("a", "b"));
	T("stat loop", stat("a", &st));
	T("symlink abs", symlink("/", "root"));
	T("stat root/.", stat("root/.", &st));
	printf("root is dir %d\n", S_ISDIR(st.st_mode));
	T("chmod g 0600", chmod("g", 0600));
	stat("g", &st);
	printf("mode %o\n", st.st_mode & 07777);
	fd = open("g", O_RDWR);
	T("fchmod 0640", fchmod(fd, 0640));
	fstat(fd, &st);
	printf("mode %o\n", st.st_mode & 07777);
	T("chown g 1000:1000", chown("g", 1000, 1000));
	stat("g", &st);
	printf("owner %u:%u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
	struct timespec ts[2] = { { 1000000000, 5 }, { 1200000000, 7 } };
	T("utimensat", utimensat(AT_FDCWD, "g", ts, 0));
	stat("g", &st);
	printf("atime %lld.%ld mtime %lld.%ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
	       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 1300000000, 0 } };
	T("futimens omit atime", futimens(fd, omit));
	fstat(fd, &st);
	printf("atime %lld mtime %lld\n", (long long)st.st_atim.tv_sec,
	       (long long)st.st_mtim.tv_sec);
	T("flock ex", flock(fd, LOCK_EX));
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	T("F_SETLK", fcntl(fd, F_SETLK, &fl));
	fl.l_type = F_WRLCK;
	T("F_GETLK", fcntl(fd, F_GETLK, &fl));
	printf("l_type unlocked %d\n", fl.l_type == F_UNLCK);
	close(fd);
	T("unlink s", unlink("s"));
	T("stat g after unlink s", stat("g", &st));
	const char *names[] = { "g", "dangling", "sub/x", "sl", "a", "b", "root" };
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(names[i]);
	T("rmdir sub", rmdir("sub"));
	T("chdir ..", chdir(".."));
	T("rmdir lt", rmdir("lt"));
	return 0;
}
