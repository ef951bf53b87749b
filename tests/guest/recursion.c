/* recursion.c — deep recursion: 100,000 real frames (no inlining, no tail
 * calls) of about 50 bytes each, some 5 MiB of the default stack (8 MiB
 * on Linux, and in pith with the default memory). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static unsigned long rec(int n, unsigned long acc)
{
	volatile unsigned char local[24];
	unsigned long r;

	local[n % 24] = (unsigned char)n;
	if (n == 0)
		return acc;
	r = rec(n - 1, acc * 31 + n);
	return r + local[n % 24]; /* not a tail call */
}

static int ackermann(int m, int n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

int main(int argc, char **argv)
{
	int depth = argc > 1 ? atoi(argv[1]) : 100000;

	printf("rec(%d) = %lu\n", depth, rec(depth, 1));
	printf("ackermann(2, 300) = %d\n", ackermann(2, 300));
	printf("ackermann(3, 7) = %d\n", ackermann(3, 7));
	return 0;
}
