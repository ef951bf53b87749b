/*
 * format.c — output the subcommands share: JSON strings, sizes and ages
 * as people read them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f); /* UTF-8 passes as it is */
	}
	fputc('"', f);
}

const char *human_bytes(uint64_t n, char out[16])
{
	static const char units[][4] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	unsigned u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, 16, "%llu B", (unsigned long long)n);
	else
		snprintf(out, 16, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
	return out;
}

const char *human_duration(int64_t d, char out[32])
{
	if (d < 0)
		d = 0;
	if (d < 60)
		snprintf(out, 32, "%lld second%s", (long long)d, d == 1 ? "" : "s");
	else if (d < 3600)
		snprintf(out, 32, "%lld minute%s", (long long)d / 60, d / 60 == 1 ? "" : "s");
	else if (d < 86400)
		snprintf(out, 32, "%lld hour%s", (long long)d / 3600, d / 3600 == 1 ? "" : "s");
	else
		snprintf(out, 32, "%lld day%s", (long long)d / 86400, d / 86400 == 1 ? "" : "s");
	return out;
}

const char *human_ago(int64_t then, char out[32])
{
	char d[32];

	snprintf(out, 32, "%.20s ago", human_duration((int64_t)time(NULL) - then, d));
	return out;
}

const char *printable(const char *s, char *out, size_t size)
{
	size_t i = 0;

	for (; s[i] && i + 1 < size; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[i] = '\0';
	return out;
}
