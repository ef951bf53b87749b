/*
 * echo.c — a guest for tests/netdev: drives the network device through
 * the kernel's TEST HOOKS (kernel/netdev_test.c), since no socket call
 * exists yet to do it from a program. Calling them by their kernel names
 * links the kernel's part "net" into this image.
 *
 *   echo N    echo N frames back to their senders (MACs swapped)
 *   blast N   transmit N frames as fast as the device takes them
 *
 * Prints one line with the result; exits 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long __pith_k_netdev_test_echo(long n);
long __pith_k_netdev_test_blast(long n);

int main(int argc, char **argv)
{
	long n, r;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: echo echo|blast N\n");
		return 2;
	}
	if (!strcmp(argv[1], "echo")) {
		r = __pith_k_netdev_test_echo(n);
		printf("echoed %ld\n", r);
	} else {
		r = __pith_k_netdev_test_blast(n);
		printf("sent %ld (ring full %ld times)\n", r < 0 ? r : n, r);
	}
	return r < 0;
}
