/* statx.c — statx (through syscall(2): musl 1.2.3 has no wrapper) gives
 * the same facts as on Linux, by path and by descriptor. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
struct sxts {
	int64_t sec;
	uint32_t nsec;
	int32_t r;
};
struct sx {
	uint32_t mask, blksize;
	uint64_t attr;
	uint32_t nlink, uid, gid;
	uint16_t mode, s0;
	uint64_t ino, size, blocks, amask;
	struct sxts at, bt, ct, mt;
	uint32_t rma, rmi, dma, dmi;
	uint64_t pad[14];
};
int main(void)
{
	struct sx s;
	memset(&s, 0, sizeof s);
	int fd = open("sxfile", O_CREAT | O_WRONLY, 0640);
	write(fd, "12345", 5);
	long r = syscall(SYS_statx, AT_FDCWD, "sxfile", 0, 0x7ff, &s);
	printf("statx %ld basic %d size %llu mode %o nlink %u blksize %u\n", r,
	       (s.mask & 0x7ff) == 0x7ff, (unsigned long long)s.size, s.mode & 07777, s.nlink,
	       s.blksize);
	memset(&s, 0, sizeof s);
	r = syscall(SYS_statx, fd, "", AT_EMPTY_PATH, 0x7ff, &s);
	printf("fd statx %ld size %llu\n", r, (unsigned long long)s.size);
	unlink("sxfile");
	return 0;
}
