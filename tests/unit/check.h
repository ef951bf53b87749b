/*
 * check.h — the unit tests' check framework, header only.
 *
 * Every check prints one line, which tests/run counts:
 *   ok NAME
 *   FAIL NAME: file:line: expression [detail]
 * A test binary exits 0 unless it crashed; failures are lines, not an
 * exit status. Output is flushed after every line, so a test may fork.
 *
 *   CHECK(name, cond)                  fixed name
 *   CHECKF(cond, fmt, ...)             name from a printf format
 *   CHECK_U64(name, got, want)         equality, both values on failure
 *   CHECK_HAS(name, str, fragment)     str contains fragment
 *   CHECKD(name, cond, fmt, ...)       detail from a printf format, shown
 *                                      only on failure
 * Each evaluates to the truth of the check, for `if (!CHECK(...)) return;`.
 */
#ifndef PITH_TEST_CHECK_H
#define PITH_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static unsigned check_passed, check_failed;

static int check_vline(int ok, const char *name, const char *file, int line, const char *expr,
		       const char *detail)
{
	if (ok) {
		check_passed++;
		printf("ok %s\n", name);
	} else {
		check_failed++;
		printf("FAIL %s: %s:%d: %s%s%s\n", name, file, line, expr,
		       detail && *detail ? " — " : "", detail ? detail : "");
	}
	fflush(stdout);
	return ok;
}

__attribute__((unused)) static int check_named(int ok, const char *file, int line, const char *expr,
					       const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
__attribute__((unused)) static int check_named(int ok, const char *file, int line, const char *expr,
					       const char *fmt, ...)
{
	char name[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return check_vline(ok, name, file, line, expr, NULL);
}

__attribute__((unused)) static int check_detail(int ok, const char *name, const char *file,
						int line, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
__attribute__((unused)) static int check_detail(int ok, const char *name, const char *file,
						int line, const char *expr, const char *fmt, ...)
{
	char d[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d, sizeof(d), fmt, ap);
	va_end(ap);
	return check_vline(ok, name, file, line, expr, d);
}

__attribute__((unused)) static int check_u64(const char *name, unsigned long long got,
					     unsigned long long want, const char *file, int line,
					     const char *expr)
{
	char d[96];

	snprintf(d, sizeof(d), "got %llu (0x%llx), want %llu (0x%llx)", got, got, want, want);
	return check_vline(got == want, name, file, line, expr, d);
}

__attribute__((unused)) static int check_has(const char *name, const char *s, const char *frag,
					     const char *file, int line, const char *expr)
{
	char d[320];

	snprintf(d, sizeof(d), "got \"%.240s\", want it to contain \"%.60s\"", s ? s : "(null)",
		 frag);
	return check_vline(s && strstr(s, frag) != NULL, name, file, line, expr, d);
}

#define CHECK(name, cond) check_vline(!!(cond), (name), __FILE__, __LINE__, #cond, NULL)
#define CHECKF(cond, ...) check_named(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)
#define CHECKD(name, cond, ...) \
	check_detail(!!(cond), (name), __FILE__, __LINE__, #cond, __VA_ARGS__)
#define CHECK_U64(name, got, want)                                                         \
	check_u64((name), (unsigned long long)(got), (unsigned long long)(want), __FILE__, \
		  __LINE__, #got " == " #want)
#define CHECK_HAS(name, s, frag) \
	check_has((name), (s), (frag), __FILE__, __LINE__, #s " contains " #frag)

#endif
