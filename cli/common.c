/*
 * common.c — helpers the subcommands share: sizes, the toolchain path.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pith/abi.h>

#include "cli.h"

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	fputs("pith: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(PITH_EXIT_ERROR);
}

_Noreturn void bad_option(const char *cmd, int c, const char *arg)
{
	if (c == ':')
		die("%s: option %s needs a value (see pith %s --help)", cmd, arg, cmd);
	if (optopt)
		die("%s: unknown option -%c (see pith %s --help)", cmd, optopt, cmd);
	die("%s: unknown option %s (see pith %s --help)", cmd, arg, cmd);
}

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	default:
		break;
	}
	if (*end == 'i' && shift)
		end++;
	if ((*end == 'b' || *end == 'B') && shift)
		end++;
	if (*end || v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int hostname_ok(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n > 63)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];

		if (c == '.' || c == '\0') {
			/* RFC 1123 labels: 1..63 characters, no hyphen at either end. */
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || (c == '-' && label > 0)) {
			label++;
		} else {
			return 0;
		}
	}
	return 1;
}

const char *pith_libdir(void)
{
	static char dir[PATH_MAX];
	char exe[4000], *slash;
	ssize_t n;
	struct stat st;
	const char *env = getenv("PITH_LIBDIR");

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		die("cannot find pith's own path: %s", strerror(errno));
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	/* bin/pith -> lib/pith; build/asan/bin/pith -> build/asan/lib/pith. */
	if ((size_t)snprintf(dir, sizeof(dir), "%.4000s/../lib/pith", exe) >= sizeof(dir))
		die("path of pith too long");
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		die("guest toolchain not found at %s (run make)", dir);
	return dir;
}

char *read_small_file(const char *path, size_t max, size_t *len, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	char *buf;
	size_t n = 0;
	int e;

	if (fd < 0)
		return NULL;
	if (fstat(fd, st) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	if (!S_ISREG(st->st_mode) || (uint64_t)st->st_size > max) {
		close(fd);
		errno = S_ISDIR(st->st_mode) ? EISDIR : S_ISREG(st->st_mode) ? EFBIG : EINVAL;
		return NULL;
	}
	buf = malloc((size_t)st->st_size + 1);
	while (buf && n < (size_t)st->st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st->st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!buf)
		errno = ENOMEM;
	else
		buf[n] = '\0';
	*len = n;
	return buf;
}

int64_t wall_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int parse_force_names(const char *cmd, const char *what, int argc, char **argv,
		      void (*usage)(FILE *))
{
	static const struct option opts[] = {
		{ "force", no_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c, force = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:fh", opts, NULL)) != -1) {
		if (c == 'f') {
			force = 1;
		} else if (c == 'h') {
			usage(stdout);
			exit(0);
		} else {
			bad_option(cmd, c, argv[optind - 1]);
		}
	}
	if (optind == argc)
		die("%s: name %s (see pith %s --help)", cmd, what, cmd);
	return force;
}
