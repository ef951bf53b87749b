/* procfs.c — /proc as a program sees itself there: the self links, the
 * fd directory, cmdline, environ, comm, status, stat, statm, maps,
 * mounts, meminfo, cpuinfo, uptime, loadavg, hostname, and writes that
 * fail. Prints only what Linux and pith share: shapes, formats and
 * facts the program can check for itself, never pids, sizes or
 * addresses. Works in a directory "pt" it makes in its working
 * directory and removes. Run as root, as the tests are (the program is
 * root in pith; Linux refuses a non-root open for writing earlier). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace.h"

int global_counter = 1;		      /* in rw-p */
const char ro_text[] = "read-only";   /* in r--p (or r-xp) */
static char pid_s[16], cwd[PATH_MAX]; /* for replacing them in paths */
int main(int argc, char **argv);

/* A path with the pid as "PID", and the working directory as "CWD" in
 * front of this program's directory "pt". */
static const char *masked(const char *s)
{
	static char out[PATH_MAX + 64];
	size_t n = 0, pl = strlen(pid_s), cl = strlen(cwd);
	const char *start = s;

	if (strncmp(s, "pipe:[", 6) == 0)
		return "pipe:[N]"; /* N: checked against fstat below */
	if (cl == 1)
		cl = 0; /* "/": the slash is the path's own */
	if (strncmp(s, cwd, cl) == 0 && strncmp(s + cl, "/pt/", 4) == 0) {
		memcpy(out, "CWD", 3), n = 3;
		s += cl;
	}
	while (*s && n < sizeof(out) - 8) {
		if (strncmp(s, pid_s, pl) == 0 && (s == start || s[-1] == '/') &&
		    (s[pl] == '/' || s[pl] == '\0')) {
			memcpy(out + n, "PID", 3), n += 3, s += pl;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return out;
}

/* All of a file, NUL-terminated; its length in *len. */
static char *slurp(const char *path, size_t *len)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t r;
	size_t n = 0;

	if (fd < 0)
		return NULL;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static const char *link_of(const char *path)
{
	static char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return strerror(errno);
	buf[n] = '\0';
	return buf;
}

/* The value of "Key:" in a status-like text, or NULL. */
static const char *field(const char *text, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, key, k) == 0 && p[k] == ':')
			return p + k + 1;
	return NULL;
}

/* /proc/self/fd lists exactly the open fds, in order; the ones this
 * program opened are shown with their links. */
static void fd_listing(const int *mine, int nmine)
{
	char seen[1024] = { 0 };
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int dfd, last = -1, ordered = 1, exact = 1;

	if (!d) {
		printf("opendir /proc/self/fd: %s\n", strerror(errno));
		return;
	}
	dfd = dirfd(d);
	while ((e = readdir(d)) != NULL) {
		char path[300];
		int fd = atoi(e->d_name), known = fd == dfd || fd <= 2;

		if (e->d_name[0] == '.')
			continue;
		if (fd < last)
			ordered = 0;
		last = fd;
		if (fd >= 0 && fd < 1024)
			seen[fd] = 1;
		for (int i = 0; i < nmine; i++)
			known |= mine[i] == fd;
		if (!known)
			continue; /* the caller's */
		printf("  fd %s type %s", e->d_name, e->d_type == DT_LNK ? "link" : "other");
		if (fd > 2) {
			snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
			printf(" -> %s%s", masked(link_of(path)),
			       fd == dfd ? " (the listing's own)" : "");
		}
		printf("\n");
	}
	closedir(d);
	for (int fd = 0; fd < 1024; fd++)
		if (seen[fd] != (fd == dfd || fcntl(fd, F_GETFD) >= 0))
			exact = 0;
	printf("listing is the open fds: %s, in order: %s\n", exact ? "yes" : "no",
	       ordered ? "yes" : "no");
}

static void fds(void)
{
	char path[PATH_MAX], buf[64];
	int p[2], a, b, c;
	struct stat st;
	ssize_t r;

	mkdir("pt", 0755);
	a = open("/dev/null", O_RDONLY);		       /* 3 */
	b = open("pt/data", O_CREAT | O_RDWR | O_TRUNC, 0644); /* 4 */
	write(b, "hello", 5);
	c = dup(b);	    /* 5 */
	T("pipe", pipe(p)); /* 6, 7 */
	printf("fds %d %d %d %d %d\n", a, b, c, p[0], p[1]);
	T("close 4", close(b));
	{
		int mine[] = { a, c, p[0], p[1] };

		fd_listing(mine, 4);
	}

	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	fstat(p[0], &st);
	snprintf(buf, sizeof(buf), "pipe:[%lu]", (unsigned long)st.st_ino);
	printf("pipe read end names its inode: %s\n", strcmp(link_of(path), buf) ? "no" : "yes");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
	printf("pipe ends are one inode: %s\n", strcmp(link_of(path), buf) ? "no" : "yes");

	/* Through the link to the file itself. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", c);
	b = open(path, O_RDONLY);
	r = read(b, buf, sizeof(buf));
	printf("open fd link: read %zd [%.*s]\n", r, (int)(r > 0 ? r : 0), buf);
	close(b);
	{
		char *rp = realpath(path, NULL);

		printf("realpath fd link: %s\n", rp ? masked(rp) : strerror(errno));
		free(rp);
	}
	T("stat fd link", stat(path, &st));
	printf("  size %ld reg %d\n", (long)st.st_size, S_ISREG(st.st_mode));
	T("lstat fd link", lstat(path, &st));
	printf("  link %d\n", S_ISLNK(st.st_mode));

	/* A rename shows in the link; a dup2 over an fd changes it. */
	T("rename pt/data pt/moved", rename("pt/data", "pt/moved"));
	printf("after rename: %s\n", masked(link_of(path)));
	T("dup2 3 5", dup2(a, c));
	printf("after dup2: %s\n", masked(link_of(path)));

	/* fdinfo: the offset and the access mode. */
	b = open("pt/moved", O_RDWR);
	lseek(b, 3, SEEK_SET);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", b);
	{
		char *t = slurp(path, NULL);
		const char *fl = t ? field(t, "flags") : NULL;

		const char *pos = t ? field(t, "pos") : NULL;

		printf("fdinfo pos: %ld\n", pos ? strtol(pos, NULL, 10) : -1L);
		printf("fdinfo access mode: %ld\n", fl ? strtol(fl, NULL, 8) & 3 : -1L);
	}
	close(b);
	T("close 3", close(a));
	T("close 5", close(c));
	close(p[0]);
	close(p[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", c);
	T("readlink closed fd", readlink(path, buf, sizeof(buf)));
	unlink("pt/moved");
	rmdir("pt");
}

static void self(int argc, char **argv)
{
	char want[64];
	const char *t;
	struct stat s1, s2;
	size_t len, n = 0;

	printf("self -> %s\n", masked(link_of("/proc/self")));
	snprintf(want, sizeof(want), "%d/task/%d", getpid(), gettid());
	printf("thread-self is pid/task/tid: %s\n",
	       strcmp(link_of("/proc/thread-self"), want) ? "no" : "yes");
	snprintf(want, sizeof(want), "/proc/%d", getpid());
	stat("/proc/self", &s1);
	stat(want, &s2);
	printf("/proc/self is /proc/PID: %s, a directory: %d\n",
	       s1.st_ino == s2.st_ino && s1.st_dev == s2.st_dev ? "yes" : "no",
	       S_ISDIR(s1.st_mode));
	stat("/", &s2);
	printf("/proc is another file system: %s\n", s1.st_dev != s2.st_dev ? "yes" : "no");
	t = link_of("/proc/self/exe");
	len = strlen(t);
	printf("exe absolute, ends in /procfs: %d %d\n", t[0] == '/',
	       len >= 7 && strcmp(t + len - 7, "/procfs") == 0);

	{
		char *c = slurp("/proc/self/cmdline", &len);

		for (int i = 0; i < argc; i++)
			n += strlen(argv[i]) + 1;
		printf("cmdline is argv: %s\n",
		       c && len == n && memcmp(c, argv[0], n) == 0 ? "yes" : "no");
		for (size_t i = 0; c && i < len; i++)
			putchar(c[i] ? c[i] : '|');
		printf("\n");
		c = slurp("/proc/self/environ", &len);
		printf("environ:\n");
		for (size_t i = 0; c && i < len; i++)
			putchar(c[i] ? c[i] : '\n');
	}
	printf("comm: %s", slurp("/proc/self/comm", NULL));
	printf("comm of the thread: %s", slurp("/proc/thread-self/comm", NULL));
}

static void status(void)
{
	static const char *keys[] = {
		"Name",	  "Umask", "State",   "Tgid",	"Pid",	  "PPid",
		"Uid",	  "Gid",   "FDSize",  "VmPeak", "VmSize", "VmRSS",
		"VmData", "VmStk", "Threads", "SigBlk", "SigCgt", "Cpus_allowed_list"
	};
	char *t = slurp("/proc/self/status", NULL);
	const char *v;
	char want[64];
	unsigned long kb;
	char unit[8];

	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		printf("status %s: %s\n", keys[i], t && field(t, keys[i]) ? "present" : "missing");
	printf("Name: %.7s\n", field(t, "Name"));
	printf("State: %.12s\n", field(t, "State"));
	snprintf(want, sizeof(want), "\t%d\n", getpid());
	printf("Pid is getpid: %s\n", strncmp(field(t, "Pid"), want, strlen(want)) ? "no" : "yes");
	snprintf(want, sizeof(want), "\t%d\t%d\t%d\t%d\n", getuid(), geteuid(), getuid(), getuid());
	printf("Uid is getuid: %s\n", strncmp(field(t, "Uid"), want, strlen(want)) ? "no" : "yes");
	printf("Threads: %.3s", field(t, "Threads"));
	v = field(t, "VmRSS");
	printf("VmRSS format: %s\n", v && sscanf(v, "%lu %7s", &kb, unit) == 2 && kb > 0 &&
						     strcmp(unit, "kB") == 0 &&
						     strchr(v, '\n') - v == 1 + 8 + 3
					     ? "ok"
					     : "bad");
}

static void stat_files(void)
{
	char *t = slurp("/proc/self/stat", NULL), *close_paren, state;
	int fields = 0, pid;
	unsigned long utime, vsize;
	long rss;
	unsigned long m[7];

	sscanf(t, "%d", &pid);
	close_paren = strrchr(t, ')');
	printf("stat pid is getpid: %s, comm %.*s\n", pid == getpid() ? "yes" : "no",
	       (int)(close_paren - strchr(t, '(') + 1), strchr(t, '('));
	for (char *p = close_paren + 1; *p; p++)
		if (*p == ' ' && p[1] && p[1] != '\n')
			fields++;
	printf("stat fields: %d\n", fields + 2);
	sscanf(close_paren + 2,
	       "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %*u %*d %*d %*d %*d "
	       "%*d %*d %*u %lu %ld",
	       &state, &utime, &vsize, &rss);
	printf("stat state %c, vsize > 0: %d, rss >= 0: %d\n", state, vsize > 0, rss >= 0);
	t = slurp("/proc/self/statm", NULL);
	printf("statm numbers: %d\n", sscanf(t, "%lu %lu %lu %lu %lu %lu %lu", &m[0], &m[1], &m[2],
					     &m[3], &m[4], &m[5], &m[6]));
}

static int in_line(const char *maps, uintptr_t a, const char *perms, const char *name)
{
	for (const char *p = maps; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		unsigned long lo, hi;
		char pm[8];
		int at = 0;

		if (sscanf(p, "%lx-%lx %7s %*x %*x:%*x %*u%n", &lo, &hi, pm, &at) < 3)
			return 0;
		if (a >= lo && a < hi) {
			const char *nm = p + at, *end = strchr(p, '\n');

			while (*nm == ' ')
				nm++;
			return strcmp(pm, perms) == 0 &&
			       (!name || ((size_t)(end - nm) == strlen(name) &&
					  strncmp(nm, name, strlen(name)) == 0));
		}
	}
	return 0;
}

static void maps(void)
{
	char *t = slurp("/proc/self/maps", NULL), *heap = malloc(100);
	int lines = 0, good = 0, ordered = 1, stack_var = 0;
	unsigned long last = 0;

	for (char *p = t; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		unsigned long lo, hi, off, ino;
		unsigned maj, mn;
		char pm[8];

		lines++;
		if (sscanf(p, "%lx-%lx %7s %lx %x:%x %lu", &lo, &hi, pm, &off, &maj, &mn, &ino) ==
			    7 &&
		    lo < hi && strlen(pm) == 4 && (pm[3] == 'p' || pm[3] == 's'))
			good++;
		if (lo < last)
			ordered = 0;
		last = hi;
	}
	printf("maps lines parse: %s, in order: %s\n", lines > 3 && good == lines ? "yes" : "no",
	       ordered ? "yes" : "no");
	printf("main in r-xp: %d\n", in_line(t, (uintptr_t)main, "r-xp", NULL));
	printf("global in rw-p: %d\n", in_line(t, (uintptr_t)&global_counter, "rw-p", NULL));
	printf("malloc in rw-p: %d\n", in_line(t, (uintptr_t)heap, "rw-p", NULL));
	printf("stack in rw-p [stack]: %d\n", in_line(t, (uintptr_t)&stack_var, "rw-p", "[stack]"));
	free(heap);
}

static void system_files(void)
{
	char *t, host[256];
	const char *v;
	unsigned long total = 0, free_kb = 0;
	double up, idle, l1, l5, l15;
	int running, all, last, n;

	t = slurp("/proc/mounts", NULL);
	printf("mounts has proc at /proc: %s\n", t && strstr(t, " /proc proc ") ? "yes" : "no");
	t = slurp("/proc/meminfo", NULL);
	v = field(t, "MemTotal");
	sscanf(v ? v : "", "%lu", &total);
	v = field(t, "MemFree");
	sscanf(v ? v : "", "%lu", &free_kb);
	printf("meminfo MemTotal > 0: %d, MemFree <= MemTotal: %d, MemAvailable: %d\n", total > 0,
	       free_kb <= total, field(t, "MemAvailable") != NULL);
	printf("meminfo format: %s\n", strncmp(t, "MemTotal:       ", 16) == 0 ? "ok" : "bad");
	t = slurp("/proc/cpuinfo", NULL);
	printf("cpuinfo starts with processor 0: %s, model name: %s\n",
	       strncmp(t, "processor\t: 0\n", 14) == 0 ? "yes" : "no",
	       strstr(t, "\nmodel name\t: ") ? "yes" : "no");
	t = slurp("/proc/uptime", NULL);
	printf("uptime parses: %d\n", sscanf(t, "%lf %lf", &up, &idle) == 2 && up >= 0);
	t = slurp("/proc/loadavg", NULL);
	n = sscanf(t, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &all, &last);
	printf("loadavg parses: %d\n", n == 6 && running >= 1 && all >= running);
	gethostname(host, sizeof(host));
	strcat(host, "\n");
	t = slurp("/proc/sys/kernel/hostname", NULL);
	printf("hostname is gethostname: %s\n", t && strcmp(t, host) == 0 ? "yes" : "no");
	t = slurp("/proc/version", NULL);
	printf("version: %.14s\n", t);
	printf("nprocs >= 1: %d\n", sysconf(_SC_NPROCESSORS_ONLN) >= 1);
}

static void listing(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int self = 0, pid = 0, meminfo = 0;

	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, "self") == 0)
			self = e->d_type == DT_LNK;
		if (strcmp(e->d_name, pid_s) == 0)
			pid = e->d_type == DT_DIR;
		if (strcmp(e->d_name, "meminfo") == 0)
			meminfo = e->d_type == DT_REG;
	}
	if (d)
		closedir(d);
	printf("/proc lists self (link) %d, PID (dir) %d, meminfo (file) %d\n", self, pid, meminfo);
}

static void refusals(void)
{
	int fd;

	fd = open("/proc/self/status", O_WRONLY);
	printf("open status for writing: %s\n", fd >= 0 ? "ok" : strerror(errno));
	T("write status", write(fd, "x", 1));
	close(fd);
	fd = open("/proc/meminfo", O_WRONLY);
	T("write meminfo", write(fd, "x", 1));
	close(fd);
	fd = open("/proc/self/status", O_RDONLY);
	T("lseek status SEEK_END", lseek(fd, 0, SEEK_END));
	T("lseek status 5", lseek(fd, 5, SEEK_SET));
	close(fd);
	T("open /proc/nonexistent", open("/proc/nonexistent", O_RDONLY));
	T("open /proc/self/nonexistent", open("/proc/self/nonexistent", O_RDONLY));
	T("open /proc/self/status/", open("/proc/self/status/", O_RDONLY));
	T("readlink /proc/self/status", readlink("/proc/self/status", cwd, 1));
}

int main(int argc, char **argv)
{
	char *t;

	snprintf(pid_s, sizeof(pid_s), "%d", getpid());
	if (!getcwd(cwd, sizeof(cwd)))
		return 2;
	self(argc, argv);
	fds();
	status();
	stat_files();
	maps();
	system_files();
	listing();
	T("chdir /tmp", chdir("/tmp"));
	t = (char *)link_of("/proc/self/cwd");
	printf("cwd link: %s\n", t);
	refusals();
	printf("ro_text %s, ttyname(0) %s\n", ro_text, ttyname(0) ? "a terminal" : strerror(errno));
	return 0;
}
