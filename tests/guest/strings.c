/* strings.c — string.h, strtol/strtod and friends, qsort and bsearch. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct rec {
	int key;
	char name[12];
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->key != y->key)
		return x->key - y->key;
	return strcmp(x->name, y->name);
}

static void str(void)
{
	char buf[128], *p, *save;
	const char *s = "The quick brown fox jumps over the lazy dog";

	printf("strlen=%zu strnlen=%zu\n", strlen(s), strnlen(s, 10));
	strcpy(buf, "abc");
	strcat(buf, "def");
	strncat(buf, "ghijkl", 3);
	printf("cat=[%s]\n", buf);
	memset(buf, 'x', sizeof(buf));
	strncpy(buf, "pad", 8);
	printf("strncpy pads: %d %d %d %c\n", buf[3], buf[5], buf[7], buf[8]);
	printf("strcmp %d %d %d\n", strcmp("a", "b") < 0, strcmp("b", "a") > 0,
	       strcmp("same", "same"));
	printf("strncmp %d strcasecmp %d strncasecmp %d\n", strncmp("abcX", "abcY", 3),
	       strcasecmp("HeLLo", "hello"), strncasecmp("ABCd", "abce", 4) < 0);
	printf("strchr=[%s] strrchr=[%s] strstr=[%s]\n", strchr(s, 'q'), strrchr(s, 'o'),
	       strstr(s, "fox"));
	printf("strstr miss=%p strchr nul=%d\n", (void *)strstr(s, "cat"),
	       (int)(strchr(s, '\0') - s));
	printf("strspn=%zu strcspn=%zu strpbrk=[%s]\n", strspn("aaabbbccc", "ab"),
	       strcspn(s, "xyz"), strpbrk(s, "xyz"));
	printf("memchr=[%s] memrchr=[%s]\n", (char *)memchr(s, 'j', strlen(s)),
	       (char *)memrchr(s, 'T', strlen(s)));
	strcpy(buf, "a,b,,c;;d");
	for (p = strtok_r(buf, ",;", &save); p; p = strtok_r(NULL, ",;", &save))
		printf("tok=[%s] ", p);
	printf("\n");
	strcpy(buf, "x y  z");
	for (p = strtok(buf, " "); p; p = strtok(NULL, " "))
		printf("strtok=[%s] ", p);
	printf("\n");
	strcpy(buf, "0123456789");
	memmove(buf + 2, buf, 8);
	printf("memmove up=[%s]\n", buf);
	strcpy(buf, "0123456789");
	memmove(buf, buf + 3, 7);
	printf("memmove down=[%s]\n", buf);
	printf("memcmp %d %d\n", memcmp("abc", "abd", 3) < 0, memcmp("abc", "abd", 2));
	char *d = strdup(s), *nd = strndup(s, 9);
	printf("strdup=[%s] strndup=[%s]\n", d, nd);
	free(d);
	free(nd);
	for (int i = 0; i < 8; i++)
		printf("%c%c", toupper("pith os!"[i]), tolower("PITH OS!"[i]));
	printf("\n");
	printf("isalpha %d isdigit %d isspace %d ispunct %d isxdigit %d\n", !!isalpha('q'),
	       !!isdigit('7'), !!isspace('\t'), !!ispunct('!'), !!isxdigit('G'));
	printf("strerror: [%s] [%s] [%s]\n", strerror(ENOMEM), strerror(EINVAL), strerror(ENOENT));
	/* Unaligned and long copies. */
	static char src[10000], dst[10000];
	for (int i = 0; i < (int)sizeof(src); i++)
		src[i] = (char)(i * 13 + 1);
	unsigned sum = 0;
	for (int off = 0; off < 16; off++) {
		memcpy(dst + off, src + 15 - off, 9000 - off);
		for (int i = 0; i < 9000 - off; i++)
			sum = sum * 31 + (unsigned char)dst[off + i];
	}
	printf("memcpy checksum %08x\n", sum);
}

static void conv(void)
{
	const char *ints[] = { "0",
			       "-17",
			       "  +42xyz",
			       "0x7fffffff",
			       "0777",
			       "z",
			       "101",
			       "9223372036854775807",
			       "9223372036854775808",
			       "-9223372036854775809",
			       "18446744073709551615",
			       "" };
	const int bases[] = { 10, 10, 10, 16, 0, 36, 2, 10, 10, 10, 10, 10 };

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		char *end;
		errno = 0;
		long v = strtol(ints[i], &end, bases[i]);
		int e1 = errno;
		errno = 0;
		unsigned long u = strtoul(ints[i], NULL, bases[i]);
		int e2 = errno;
		printf("strtol(\"%s\", %d) = %ld errno=%d rest=[%s]; strtoul = %lu errno=%d\n",
		       ints[i], bases[i], v, e1, end, u, e2);
	}
	printf("atoi=%d atol=%ld atoll=%lld\n", atoi(" 12x"), atol("-99"), atoll("123456789012"));
	printf("strtoll=%lld strtoull=%llu strtoimax=%jd\n", strtoll("-0x10", NULL, 0),
	       strtoull("1777777777777777777777", NULL, 8), strtoimax("12345", NULL, 10));

	const char *dbls[] = { "0",
			       "3.14159",
			       "-2.5e-3",
			       "1e308",
			       "1e309",
			       "-1e-400",
			       "4.9e-324",
			       "0x1.fffffffffffffp1023",
			       "inf",
			       "-Infinity",
			       "nan",
			       "  12.5abc",
			       ".5",
			       "5.",
			       "1e",
			       "0.1",
			       "2.2250738585072011e-308",
			       "123456789012345678901234567890",
			       "junk" };
	for (size_t i = 0; i < sizeof(dbls) / sizeof(dbls[0]); i++) {
		char *end;
		errno = 0;
		double v = strtod(dbls[i], &end);
		int e = errno;
		float f = strtof(dbls[i], NULL);
		long double ld = strtold(dbls[i], NULL);
		printf("strtod(\"%s\") = %a (%.17g) errno=%d rest=[%s] f=%a ld=%La\n", dbls[i], v,
		       v, e, end, f, ld);
	}
	printf("atof=%g\n", atof("6.5e2"));
}

static void sorting(void)
{
	enum { N = 10000 };
	static int a[N];
	uint32_t x = 12345;

	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		a[i] = (int)(x >> 8) % 100000 - 50000;
	}
	qsort(a, N, sizeof(a[0]), cmp_int);
	int sorted = 1;
	long long sum = 0;
	for (int i = 0; i < N; i++) {
		if (i && a[i - 1] > a[i])
			sorted = 0;
		sum += (long long)a[i] * (i + 1);
	}
	printf("qsort ints: sorted=%d first=%d last=%d weighted=%lld\n", sorted, a[0], a[N - 1],
	       sum);
	int found = 0, missing = 0;
	for (int k = -50000; k < 50000; k += 7) {
		int *p = bsearch(&k, a, N, sizeof(a[0]), cmp_int);
		if (p) {
			if (*p != k)
				printf("bsearch returned wrong element\n");
			found++;
		} else {
			missing++;
		}
	}
	printf("bsearch found=%d missing=%d\n", found, missing);
	int key = a[1234];
	int *hit = bsearch(&key, a, N, sizeof(a[0]), cmp_int);
	printf("bsearch exact: %d\n", hit && *hit == key);

	const char *words[] = { "pear", "apple", "fig",	  "banana", "cherry", "date",
				"kiwi", "apple", "Zebra", "mango",  "" };
	const char *w[sizeof(words) / sizeof(words[0])];
	memcpy(w, words, sizeof(words));
	qsort(w, sizeof(w) / sizeof(w[0]), sizeof(w[0]), cmp_str);
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		printf("[%s]", w[i]);
	printf("\n");
	const char *k = "fig";
	const char **p = bsearch(&k, w, sizeof(w) / sizeof(w[0]), sizeof(w[0]), cmp_str);
	printf("bsearch str: %s at %td\n", p ? *p : "(none)", p ? p - w : -1);

	struct rec r[500];
	for (int i = 0; i < 500; i++) {
		x = x * 1103515245u + 12345u;
		r[i].key = (int)(x >> 16) % 50;
		snprintf(r[i].name, sizeof(r[i].name), "n%03d", 499 - i);
	}
	qsort(r, 500, sizeof(r[0]), cmp_rec);
	unsigned h = 0;
	for (int i = 0; i < 500; i++)
		h = h * 131 + (unsigned)r[i].key * 7 + (unsigned)atoi(r[i].name + 1);
	printf("qsort structs: %d:%s .. %d:%s hash=%08x\n", r[0].key, r[0].name, r[499].key,
	       r[499].name, h);
}

int main(void)
{
	str();
	conv();
	sorting();
	return 0;
}
