/* assert.c — a failed assert(): the message on stderr, then abort (134).
 * A passing assert does nothing. */
#include <assert.h>
#include <stdio.h>

static int check_value(int v)
{
	assert(v > 0);
	assert(v == 42 && "the answer");
	return v;
}

int main(int argc, char **argv)
{
	(void)argv;
	printf("check_value(42) = %d\n", check_value(42));
	fflush(stdout);
	printf("check_value(%d) = %d\n", argc, check_value(argc));
	return 0;
}
