/* printf.c — the printf and scanf families on strings: integers, floats,
 * long double, flags, widths, %n, truncation, and parsing back. */
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ints(void)
{
	int n1 = 0, n2 = 0;

	printf("[%d] [%i] [%u] [%x] [%X] [%o]\n", -42, 42, 42u, 0xbeefu, 0xbeefu, 8u);
	printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%+.3d]\n", 42, 42, 42, 42, 42, 7);
	printf("[%#x] [%#o] [%#X] [%#.0o]\n", 255u, 8u, 255u, 0u);
	printf("[%hhd] [%hhu] [%hd] [%hu]\n", (signed char)-1, (unsigned char)255, (short)-32768,
	       (unsigned short)65535);
	printf("[%ld] [%lu] [%lld] [%llu]\n", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX);
	printf("[%jd] [%zu] [%td] [%" PRIx64 "] [%" PRId32 "]\n", (intmax_t)INTMAX_MAX,
	       (size_t)SIZE_MAX, (ptrdiff_t)-5, UINT64_C(0xdeadbeefcafebabe), INT32_MIN);
	printf("[%*d] [%-*d] [%.*d] [%*.*d]\n", 6, 1, 6, 2, 4, 3, 8, 5, -4);
	printf("[%.0d] [%.0x] [%5.0d]\n", 0, 0u, 0);
	printf("[%c] [%3c] [%-3c] [%%]\n", 'a', 'b', 'c');
	printf("[%s] [%8s] [%-8s] [%.3s] [%*.*s]\n", "str", "right", "left", "truncate", 7, 2,
	       "xyz");
	printf("abc%ndef%n\n", &n1, &n2);
	printf("n1=%d n2=%d\n", n1, n2);
	printf("[%p]\n", (void *)0);
}

static void floats(void)
{
	const double d[] = { 0.0,
			     -0.0,
			     1.0,
			     -1.5,
			     0.1,
			     1.0 / 3.0,
			     2.5,
			     3.5,
			     1e-300,
			     4.9e-324,
			     1.7976931348623157e308,
			     123456789.125,
			     1e21,
			     1e-5,
			     6.02214076e23,
			     M_PI,
			     INFINITY,
			     -INFINITY,
			     NAN };

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		printf("%zu: [%f] [%.3f] [%e] [%.10e] [%g] [%.17g] [%a] [%A] [%12.4f] [%-12.2e] "
		       "[%+g] [%#g] [%#.0f]\n",
		       i, d[i], d[i], d[i], d[i], d[i], d[i], d[i], d[i], d[i], d[i], d[i], d[i],
		       d[i]);
	printf("[%.0f] [%.0f] [%.0f] [%.0f]\n", 0.5, 1.5, 2.5, -0.5);
	printf("[%.60f]\n", 0.1);
	printf("[%.20g] [%.20e]\n", DBL_MIN, DBL_EPSILON);
	printf("[%f]\n", 1e300);
	printf("[%F] [%E] [%G]\n", INFINITY, NAN, 1e-10);
}

static void long_doubles(void)
{
	const long double ld[] = { 0.0L,     1.0L,	   -2.25L,
				   0.1L,     1.0L / 3.0L,  LDBL_MAX,
				   LDBL_MIN, LDBL_EPSILON, 3.14159265358979323846264338327950288L,
				   1e4000L,  -1e-4000L };

	for (size_t i = 0; i < sizeof(ld) / sizeof(ld[0]); i++)
		printf("L%zu: [%Lf] [%.25Le] [%Lg] [%.21Lg] [%La]\n", i, ld[i], ld[i], ld[i], ld[i],
		       ld[i]);
	printf("sizeof(long double)=%zu LDBL_MANT_DIG=%d\n", sizeof(long double), LDBL_MANT_DIG);
}

static void sn(void)
{
	char buf[16];
	int r;

	r = snprintf(buf, sizeof(buf), "%s-%d-%f", "hello world", 12345, 2.5);
	printf("snprintf r=%d buf=[%s]\n", r, buf);
	r = snprintf(NULL, 0, "%0100d", 7);
	printf("snprintf(NULL) r=%d\n", r);
	r = snprintf(buf, 1, "abc");
	printf("snprintf(1) r=%d buf0=%d\n", r, buf[0]);
	char *p;
	r = asprintf(&p, "%s/%05.1f/%x", "asprintf", 3.14159, 48879u);
	printf("asprintf r=%d [%s]\n", r, p);
	free(p);
	char big[5000];
	r = snprintf(big, sizeof(big), "%4000s|%.3e", "x", 1234.5678);
	printf("big r=%d len=%zu tail=[%s]\n", r, strlen(big), big + 3995);
}

static void scans(void)
{
	int a = 0, b = 0, c = 0, n = 0;
	unsigned x = 0;
	long l = 0;
	long long ll = 0;
	float f = 0;
	double d = 0;
	long double ld = 0;
	char s[32] = "", set[32] = "", ch = 0;
	int r;

	r = sscanf("  42 0x1f 017 -7", "%d %i %i %ld", &a, &b, &c, &l);
	printf("sscanf ints r=%d %d %d %d %ld\n", r, a, b, c, l);
	r = sscanf("ff 9223372036854775807", "%x %lld", &x, &ll);
	printf("sscanf hex r=%d %x %lld\n", r, x, ll);
	r = sscanf("3.25 -1e-3 1.00000000000000000001e100", "%f %lf %Lf", &f, &d, &ld);
	printf("sscanf floats r=%d %a %a %La\n", r, f, d, ld);
	r = sscanf("0x1.8p3 inf -nan 1e-320", "%lf %f %lf %Lf", &d, &f, &d, &ld);
	printf("sscanf special r=%d %a %La\n", r, f, ld);
	r = sscanf("word lowercaseUPPER rest", "%31s %31[a-z]%n", s, set, &n);
	printf("sscanf strings r=%d [%s] [%s] n=%d\n", r, s, set, n);
	r = sscanf("skip 5 X", "%*s %d %c", &a, &ch);
	printf("sscanf skip r=%d %d %c\n", r, a, ch);
	r = sscanf("12abc", "%d%d", &a, &b);
	printf("sscanf partial r=%d\n", r);
	r = sscanf("", "%d", &a);
	printf("sscanf empty r=%d\n", r);
	r = sscanf("1,2;3", "%d,%d;%d", &a, &b, &c);
	printf("sscanf literal r=%d %d %d %d\n", r, a, b, c);
}

int main(void)
{
	ints();
	floats();
	long_doubles();
	sn();
	scans();
	fprintf(stderr, "stderr: %d %.2f %s\n", 1, 2.0, "three");
	return 0;
}
