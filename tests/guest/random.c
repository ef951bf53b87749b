/* random.c — randomness: getrandom and AT_RANDOM. "check" prints only
 * verdicts (comparable with Linux); "dump" prints the bytes in hex, for
 * the test to see that two runs differ. */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void hex(const char *what, const unsigned char *p, size_t n)
{
	printf("%s ", what);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	unsigned char a[64] = { 0 }, b[64] = { 0 }, big[100000];
	const unsigned char *at = (const unsigned char *)getauxval(AT_RANDOM);
	int dump = argc > 1 && !strcmp(argv[1], "dump");

	ssize_t ra = getrandom(a, sizeof(a), 0);
	ssize_t rb = getrandom(b, sizeof(b), GRND_NONBLOCK);
	if (dump) {
		hex("getrandom", a, sizeof(a));
		hex("at_random", at, 16);
		return 0;
	}
	printf("getrandom 64: %zd\n", ra);
	printf("getrandom 64 nonblock: %zd\n", rb);
	printf("not all zero: %d\n", !all_zero(a, sizeof(a)));
	printf("two calls differ: %d\n", memcmp(a, b, sizeof(a)) != 0);
	printf("AT_RANDOM present: %d, not all zero: %d\n", at != NULL, at && !all_zero(at, 16));
	printf("getrandom 0 bytes: %zd\n", getrandom(a, 0, 0));
	printf("getrandom bad flags: %zd\n", getrandom(a, 8, 0x100));
	ssize_t rbig = getrandom(big, sizeof(big), 0);
	unsigned counts[256] = { 0 };
	for (size_t i = 0; i < sizeof(big); i++)
		counts[big[i]]++;
	unsigned lo = ~0u, hi = 0;
	for (int i = 0; i < 256; i++) {
		if (counts[i] < lo)
			lo = counts[i];
		if (counts[i] > hi)
			hi = counts[i];
	}
	/* 100000/256 = 390 per value; a good source stays within +-30%. */
	printf("getrandom 100000: %zd; byte counts plausible: %d\n", rbig, lo > 273 && hi < 508);
	return 0;
}
