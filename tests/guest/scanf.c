/* scanf.c — scanf from stdin: records of a name, an int, a double and a
 * long double, summed; a malformed record stops the loop. */
#include <stdio.h>

int main(void)
{
	char name[64];
	int i, r, count = 0;
	long long isum = 0;
	double d, dsum = 0;
	long double ld, ldsum = 0;

	while ((r = scanf("%63s %d %lf %Lf", name, &i, &d, &ld)) == 4) {
		count++;
		isum += i;
		dsum += d;
		ldsum += ld;
		printf("%-10s %6d %14.6f %.20Lg\n", name, i, d, ld);
	}
	printf("stopped with r=%d after %d records\n", r, count);
	printf("isum=%lld dsum=%.17g ldsum=%.21Lg\n", isum, dsum, ldsum);
	if (r != EOF) {
		int c;
		printf("rest:");
		while ((c = getchar()) != EOF)
			putchar(c);
	}
	return 0;
}
