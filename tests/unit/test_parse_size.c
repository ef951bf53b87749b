/*
 * test_parse_size.c — parse_size (cli/common.c): `-m` and friends.
 */
#include <stdint.h>
#include <stdio.h>

#include "check.h"

#include "../../cli/cli.h"

static void good(const char *s, uint64_t want)
{
	uint64_t v = 0xdeadbeef;
	int r = parse_size(s, &v);
	char n[96];

	snprintf(n, sizeof(n), "parse-size/accept/%s", s);
	CHECKD(n, r == 0 && v == want, "returned %d, value %llu, want %llu", r,
	       (unsigned long long)v, (unsigned long long)want);
}

static void bad(const char *name, const char *s)
{
	uint64_t v = 0xdeadbeef;
	int r = parse_size(s, &v);
	char n[96];

	snprintf(n, sizeof(n), "parse-size/reject/%s", name);
	CHECKD(n, r == -1 && v == 0xdeadbeef, "\"%s\": returned %d, value %llu", s ? s : "(null)",
	       r, (unsigned long long)v);
}

int main(void)
{
	good("4096", 4096);
	good("0", 0);
	good("64K", 64 << 10);
	good("64k", 64 << 10);
	good("1M", 1 << 20);
	good("1m", 1 << 20);
	good("1MiB", 1 << 20);
	good("1Mi", 1 << 20);
	good("1MB", 1 << 20);
	good("512KiB", 512 << 10);
	good("2G", 2ull << 30);
	good("1GB", 1ull << 30);
	good("1GiB", 1ull << 30);
	good("4096M", 4096ull << 20);
	good("007K", 7 << 10);
	good("18446744073709551615", UINT64_MAX);
	good("17179869183G", 17179869183ull << 30);

	bad("empty", "");
	bad("null", NULL);
	bad("minus-one", "-1");
	bad("plus", "+1");
	bad("space-before", " 1M");
	bad("space-after", "1M ");
	bad("space-inside", "1 M");
	bad("unit-X", "1X");
	bad("unit-only", "M");
	bad("fraction", "1.5M");
	bad("hex", "0x10");
	bad("bytes-suffix-alone", "1B");
	bad("i-alone", "1i");
	bad("double-unit", "1MM");
	bad("KiBB", "1KiBB");
	bad("lowercase-iB-twice", "1kibb");
	bad("T", "1T");
	bad("overflow-digits", "99999999999999999999G");
	bad("overflow-plain", "18446744073709551616");
	bad("overflow-G", "17179869184G");
	bad("overflow-M", "17592186044416M");
	bad("overflow-K", "18014398509481984K");
	return 0;
}
