/* memedge.c — the memory calls' edges, as Linux answers them: a fixed
 * mapping that must not replace anything (MAP_FIXED_NOREPLACE over a range
 * of which only part is mapped), lengths that overflow (madvise, mremap,
 * munmap, mprotect), and the data they must leave alone. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static void show(const char *what, long r)
{
	printf("%-34s %s\n", what, r < 0 ? strerror(errno) : (r == 0 ? "0" : "ok"));
}

int main(void)
{
	char *a = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *r;

	munmap(a, 4096);
	a[4096] = 'X';
	errno = 0;
	r = mmap(a, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		 -1, 0);
	show("NOREPLACE over a half-mapped range", r == MAP_FAILED ? -1 : 1);
	printf("data kept: %c\n", a[4096]);
	errno = 0;
	show("madvise(len near 2^64)",
	     syscall(SYS_madvise, a + 4096, (size_t)-3 * 4096, MADV_DONTNEED));
	printf("data kept: %c\n", a[4096]);
	errno = 0;
	show("mremap(new len near 2^64)",
	     syscall(SYS_mremap, a + 4096, 4096, (size_t)-1, MREMAP_MAYMOVE) == -1 ? -1 : 1);
	printf("data kept: %c\n", a[4096]);
	errno = 0;
	show("mprotect(len near 2^64)", syscall(SYS_mprotect, a + 4096, (size_t)-4096, PROT_READ));
	errno = 0;
	show("munmap(0 length)", syscall(SYS_munmap, a + 4096, 0));
	printf("data kept: %c\n", a[4096]);
	return 0;
}
