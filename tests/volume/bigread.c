/*
 * bigread.c FILE MIB — write MIB MiB to FILE, then read it back, in 1 MiB
 * calls: with --verbose, pith's count of volume exits per MiB.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t mb = 1u << 20;
	long n = argc > 2 ? atol(argv[2]) : 16, got = 0;
	char *buf = malloc(mb);
	int fd;

	if (argc < 2 || !buf)
		return 2;
	fd = open(argv[1], O_CREAT | O_RDWR | O_TRUNC, 0644);
	for (size_t i = 0; i < mb; i++)
		buf[i] = (char)i;
	for (long i = 0; i < n; i++)
		if (write(fd, buf, mb) != (ssize_t)mb)
			return 1;
	lseek(fd, 0, SEEK_SET);
	for (ssize_t r; (r = read(fd, buf, mb)) > 0;)
		got += r;
	printf("read %ld MiB\n", got >> 20);
	return got == n << 20 ? 0 : 1;
}
