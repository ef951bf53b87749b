/*
 * instance.c — instances on disk (see instance.h).
 *
 * config and state are "key=value" lines; values are percent-encoded
 * where they could hold a line end or a percent sign. Both are read
 * strictly: a damaged file is reported, never half-used.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "instance.h"

#ifndef SYS_pidfd_open /* older libc headers */
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

#define KV_MAX (1u << 20)

static const char *const status_names[] = { "created", "running", "restarting", "exited" };

const char *instance_status_name(enum instance_status st)
{
	return status_names[st];
}

int instance_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > INSTANCE_NAME_MAX || s[0] == '.' || s[0] == '-' || s[0] == '_')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return 0;
	return 1;
}

void instances_dir(const struct store *s, char *out, bool make)
{
	snprintf(out, PATH_MAX, "%s/instances", s->root);
	if (make && mkdir(out, 0700) < 0 && errno != EEXIST)
		die("cannot create %s: %s", out, strerror(errno));
}

void instance_dir(const struct store *s, const char *name, char out[INSTANCE_DIR_MAX])
{
	snprintf(out, INSTANCE_DIR_MAX, "%s/instances/%.64s", s->root, name);
}

/* ---- key=value files ---------------------------------------------------- */

struct kv {
	char *text;
	char **key, **val;
	size_t n;
};

static void kv_free(struct kv *kv)
{
	free(kv->text);
	free(kv->key);
	free(kv->val);
	memset(kv, 0, sizeof(*kv));
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode %xx (lower-case hex, as put_kv writes it) in place. */
static int unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '%') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (lo < 0)
				return -1;
			*out++ = (char)(hi << 4 | lo);
			s += 2;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
	return 0;
}

static int kv_read(const char *path, struct kv *kv)
{
	struct stat st;
	size_t len;
	char *p;

	memset(kv, 0, sizeof(*kv));
	if (!(kv->text = read_small_file(path, KV_MAX, &len, &st)))
		return -1;
	for (p = kv->text; *p;) {
		char *nl = strchr(p, '\n'), *eq;
		char **k, **v;

		if (!nl || !(eq = memchr(p, '=', (size_t)(nl - p))))
			goto bad;
		*nl = *eq = '\0';
		k = realloc(kv->key, (kv->n + 1) * sizeof(*k));
		if (k)
			kv->key = k;
		v = realloc(kv->val, (kv->n + 1) * sizeof(*v));
		if (v)
			kv->val = v;
		if (!k || !v || unescape(eq + 1) < 0)
			goto bad;
		kv->key[kv->n] = p;
		kv->val[kv->n++] = eq + 1;
		p = nl + 1;
	}
	return 0;
bad:
	kv_free(kv);
	errno = EINVAL;
	return -1;
}

static const char *kv_get(const struct kv *kv, const char *key)
{
	for (size_t i = 0; i < kv->n; i++)
		if (!strcmp(kv->key[i], key))
			return kv->val[i];
	return NULL;
}

static int kv_num(const struct kv *kv, const char *key, long long lo, long long hi, long long *out)
{
	const char *v = kv_get(kv, key);
	char *end;

	if (!v || !*v)
		return -1;
	errno = 0;
	*out = strtoll(v, &end, 10);
	return errno || *end || *out < lo || *out > hi ? -1 : 0;
}

struct buf {
	char *s;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		if (!(b->s = realloc(b->s, b->cap)))
			die("out of memory");
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void put_kv(struct buf *b, const char *key, const char *val)
{
	char esc[4];

	put(b, key, strlen(key));
	put(b, "=", 1);
	for (; *val; val++) {
		if (*val == '%' || *val == '\n' || *val == '\r') {
			snprintf(esc, sizeof(esc), "%%%02x", (unsigned char)*val);
			put(b, esc, 3);
		} else {
			put(b, val, 1);
		}
	}
	put(b, "\n", 1);
}

static void put_num(struct buf *b, const char *key, long long v)
{
	char n[32];

	snprintf(n, sizeof(n), "%lld", v);
	put_kv(b, key, n);
}

static int write_kv(const char *dir, const char *file, struct buf *b)
{
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	r = write_file_atomic(path, b->s, b->n, 0600);
	free(b->s);
	return r;
}

/* ---- config and state ---------------------------------------------------- */

int instance_write_config(const struct instance *in)
{
	struct buf b = { 0 };
	char key[32];

	put_kv(&b, "name", in->name);
	put_kv(&b, "image", in->image);
	put_kv(&b, "image_id", in->image_id);
	put_num(&b, "created", in->created);
	put_num(&b, "restart_max", in->restart_max);
	put_num(&b, "rm", in->rm);
	put_num(&b, "memory", (long long)in->memory);
	put_num(&b, "log_max", (long long)in->log_max);
	put_kv(&b, "ports", in->ports);
	put_num(&b, "argc", in->argc);
	for (int i = 0; i < in->argc; i++) {
		snprintf(key, sizeof(key), "arg%d", i);
		put_kv(&b, key, in->argv[i]);
	}
	return write_kv(in->dir, "config", &b);
}

int instance_write_state(const struct instance *in)
{
	struct buf b = { 0 };

	put_kv(&b, "status", status_names[in->status]);
	put_num(&b, "supervisor", in->supervisor);
	put_num(&b, "supervisor_start", (long long)in->supervisor_start);
	put_num(&b, "pid", in->pid);
	put_num(&b, "started_ns", in->started_ns);
	put_num(&b, "finished_ns", in->finished_ns);
	put_num(&b, "exit", in->exit_code);
	put_num(&b, "restarts", in->restarts);
	put_num(&b, "lost", in->lost);
	return write_kv(in->dir, "state", &b);
}

static int load_config(struct instance *in, const struct kv *kv)
{
	long long v, argc;
	const char *s;
	char key[32];

	if (!(s = kv_get(kv, "name")) || strcmp(s, in->name) != 0)
		return -1;
	if (!(s = kv_get(kv, "image")) || strlen(s) >= sizeof(in->image))
		return -1;
	strcpy(in->image, s);
	if (!(s = kv_get(kv, "image_id")) || (strlen(s) != 0 && strlen(s) != SHA256_HEX))
		return -1;
	strcpy(in->image_id, s);
	if (!(s = kv_get(kv, "ports")) || strlen(s) >= sizeof(in->ports))
		return -1;
	strcpy(in->ports, s);
	if (kv_num(kv, "created", 0, INT64_MAX, &v) < 0)
		return -1;
	in->created = v;
	if (kv_num(kv, "restart_max", -1, 1 << 30, &v) < 0)
		return -1;
	in->restart_max = (int)v;
	if (kv_num(kv, "rm", 0, 1, &v) < 0)
		return -1;
	in->rm = v;
	if (kv_num(kv, "memory", 0, INT64_MAX, &v) < 0)
		return -1;
	in->memory = (uint64_t)v;
	if (kv_num(kv, "log_max", 4096, INT64_MAX, &v) < 0)
		return -1;
	in->log_max = (uint64_t)v;
	if (kv_num(kv, "argc", 1, 1 << 16, &argc) < 0)
		return -1;
	if (!(in->argv = calloc((size_t)argc + 1, sizeof(char *))))
		return -1;
	for (in->argc = 0; in->argc < argc; in->argc++) {
		snprintf(key, sizeof(key), "arg%d", in->argc);
		if (!(s = kv_get(kv, key)) || !(in->argv[in->argc] = strdup(s)))
			return -1;
	}
	return 0;
}

static int load_state(struct instance *in, const struct kv *kv)
{
	const char *s = kv_get(kv, "status");
	long long v;

	in->status = ST_EXITED + 1;
	for (unsigned i = 0; s && i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (!strcmp(s, status_names[i]))
			in->status = (enum instance_status)i;
	if (in->status > ST_EXITED)
		return -1;
	if (kv_num(kv, "supervisor", 0, INT32_MAX, &v) < 0)
		return -1;
	in->supervisor = (int)v;
	if (kv_num(kv, "supervisor_start", 0, INT64_MAX, &v) < 0)
		return -1;
	in->supervisor_start = (uint64_t)v;
	if (kv_num(kv, "pid", 0, INT32_MAX, &v) < 0)
		return -1;
	in->pid = (int)v;
	if (kv_num(kv, "started_ns", 0, INT64_MAX, &v) < 0)
		return -1;
	in->started_ns = v;
	if (kv_num(kv, "finished_ns", 0, INT64_MAX, &v) < 0)
		return -1;
	in->finished_ns = v;
	if (kv_num(kv, "exit", 0, 255, &v) < 0)
		return -1;
	in->exit_code = (int)v;
	if (kv_num(kv, "restarts", 0, INT32_MAX, &v) < 0)
		return -1;
	in->restarts = (unsigned)v;
	if (kv_num(kv, "lost", 0, 1, &v) < 0)
		return -1;
	in->lost = v;
	return 0;
}

static int lock_fd(const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/lock", dir);
	return open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

bool instance_alive(const char *dir)
{
	int fd = lock_fd(dir);
	bool alive;

	if (fd < 0)
		return false;
	alive = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return alive;
}

int instance_load(const struct store *s, const char *name, struct instance *in, bool *missing,
		  char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct kv kv;
	int fd;

	memset(in, 0, sizeof(*in));
	*missing = false;
	snprintf(in->name, sizeof(in->name), "%s", name);
	instance_dir(s, name, in->dir);
	snprintf(path, sizeof(path), "%s/config", in->dir);
	if (!instance_name_ok(name) || kv_read(path, &kv) < 0) {
		struct stat st;

		/* No directory: no instance. A directory without its config:
		 * one that a crash left half made. */
		*missing = !instance_name_ok(name) ||
			   (errno == ENOENT && stat(in->dir, &st) < 0 && errno == ENOENT);
		snprintf(err, errlen, "%s: %s", name,
			 *missing ? "no such instance (see pith ps -a)" : "damaged config");
		return -1;
	}
	if (load_config(in, &kv) < 0) {
		kv_free(&kv);
		instance_free(in);
		snprintf(err, errlen, "%s: damaged config in %s", name, in->dir);
		return -1;
	}
	kv_free(&kv);
	snprintf(path, sizeof(path), "%s/state", in->dir);
	if (kv_read(path, &kv) < 0 || load_state(in, &kv) < 0) {
		kv_free(&kv);
		instance_free(in);
		snprintf(err, errlen, "%s: damaged state in %s", name, in->dir);
		return -1;
	}
	kv_free(&kv);
	/* The lock, not the state file, says whether it runs: the supervisor
	 * holds it exclusively for life, readers only ever share it. A state
	 * that says running while we can share the lock is from a supervisor
	 * that was killed (its monitor died with it: PR_SET_PDEATHSIG), and
	 * none will come back; it is rewritten as ended — in memory at least,
	 * if the disk is full. */
	if ((fd = lock_fd(in->dir)) < 0) {
		in->alive = false;
	} else {
		in->alive = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
		if (!in->alive && (in->status == ST_RUNNING || in->status == ST_RESTARTING)) {
			in->status = ST_EXITED;
			in->exit_code = 128 + SIGKILL;
			in->lost = true;
			in->pid = 0;
			in->finished_ns = wall_ns();
			instance_write_state(in);
		}
		close(fd);
	}
	return 0;
}

void instance_free(struct instance *in)
{
	for (int i = 0; in->argv && i < in->argc; i++)
		free(in->argv[i]);
	free(in->argv);
	in->argv = NULL;
	in->argc = 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t instance_names(const struct store *s, char (**names)[INSTANCE_NAME_MAX + 1])
{
	char dir[PATH_MAX];
	struct dirent *e;
	size_t n = 0, cap = 0;
	DIR *d;

	*names = NULL;
	instances_dir(s, dir, false);
	if (!(d = opendir(dir))) {
		if (errno == ENOENT)
			return 0;
		die("cannot read %s: %s", dir, strerror(errno));
	}
	while ((e = readdir(d))) {
		if (!instance_name_ok(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if (!(*names = realloc(*names, cap * sizeof(**names))))
				die("out of memory");
		}
		memcpy((*names)[n++], e->d_name, strlen(e->d_name) + 1); /* checked: <= 64 */
	}
	closedir(d);
	if (n)
		qsort(*names, n, sizeof(**names), cmp_name);
	return n;
}

uint64_t proc_start_time(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* Field 22, counted after the command name's closing parenthesis
	 * (the name may hold spaces and parentheses itself). */
	if (!(p = strrchr(buf, ')')))
		return 0;
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &start) != 1)
		return 0;
	return start;
}

/*
 * A pidfd for the instance's supervisor, or -1 when it has gone. The pid
 * alone could by now name another process; the pidfd is opened first and
 * the process it holds is then checked to have started when the
 * supervisor did, so whatever is sent through it reaches the supervisor
 * or no one.
 */
static int supervisor_pidfd(const struct instance *in)
{
	int fd;

	if (in->supervisor <= 0 || !in->supervisor_start)
		return -1;
	if ((fd = (int)syscall(SYS_pidfd_open, in->supervisor, 0)) < 0)
		return -1;
	if (proc_start_time(in->supervisor) != in->supervisor_start) {
		close(fd);
		return -1;
	}
	return fd;
}

int instance_request(const struct instance *in, int sig, int flags)
{
	siginfo_t si = { .si_signo = CTL_SIGNAL, .si_code = SI_QUEUE };
	int fd = supervisor_pidfd(in), r;

	if (fd < 0)
		return -1;
	/* A supervisor that has ended may linger unreaped, its pid and start
	 * time intact: only one holding the instance's lock is alive. */
	if (!instance_alive(in->dir)) {
		close(fd);
		return -1;
	}
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = sig | flags;
	r = (int)syscall(SYS_pidfd_send_signal, fd, CTL_SIGNAL, &si, 0);
	close(fd);
	return r < 0 ? -1 : 0;
}

bool instance_wait_gone(const struct instance *in, int timeout_ms)
{
	struct pollfd p = { .events = POLLIN };
	int r;

	/* A pidfd is readable once its process has ended. */
	if ((p.fd = supervisor_pidfd(in)) < 0)
		return true;
	while ((r = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	close(p.fd);
	return r > 0;
}

/* Remove DIR's files (an instance holds no subdirectories). */
static void remove_tree(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d) {
		if (errno == ENOENT)
			return;
		die("cannot read %s: %s", dir, strerror(errno));
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			die("path too long in %s", dir);
		if (unlink(path) < 0 && errno != ENOENT)
			die("cannot remove %s: %s", path, strerror(errno));
	}
	closedir(d);
	if (rmdir(dir) < 0 && errno != ENOENT)
		die("cannot remove %s: %s", dir, strerror(errno));
}

void instance_remove(const char *dir)
{
	char gone[PATH_MAX];
	const char *base = strrchr(dir, '/');

	/* The name is free the moment the rename is done; the files go after. */
	if (!base)
		die("not an instance directory: %s", dir);
	snprintf(gone, sizeof(gone), "%.*s/.removing.%.64s.%d", (int)(base - dir), dir, base + 1,
		 (int)getpid());
	if (rename(dir, gone) < 0) {
		if (errno == ENOENT)
			return;
		die("cannot remove %s: %s", dir, strerror(errno));
	}
	fsync_parent(dir);
	remove_tree(gone);
}

int instance_find(const struct store *s, const char *cmd, const char *name, struct instance *in)
{
	char err[512];
	bool missing;

	if (instance_load(s, name, in, &missing, err, sizeof(err)) < 0) {
		fprintf(stderr, "pith: %s: %s\n", cmd, err);
		return -1;
	}
	return 0;
}

void instance_print_json(const struct instance *in, bool full)
{
	int64_t now = wall_ns();
	bool ended = in->status == ST_EXITED || in->status == ST_RESTARTING;
	const char *p = in->ports;

	printf("{\"name\": ");
	json_str(stdout, in->name);
	printf(", \"image\": ");
	json_str(stdout, in->image);
	printf(", \"image_id\": ");
	if (in->image_id[0])
		printf("\"sha256:%s\"", in->image_id);
	else
		printf("null");
	printf(", \"status\": \"%s\", \"exit_code\": ", instance_status_name(in->status));
	if (ended)
		printf("%d", in->exit_code);
	else
		printf("null");
	printf(", \"pid\": %d, \"started\": %lld, \"finished\": %lld, \"uptime\": %lld, "
	       "\"restarts\": %u, \"ports\": [",
	       in->status == ST_RUNNING ? in->pid : 0, (long long)(in->started_ns / 1000000000),
	       (long long)(in->finished_ns / 1000000000),
	       in->status == ST_RUNNING ? (long long)((now - in->started_ns) / 1000000000) : 0LL,
	       in->restarts);
	for (bool f = true; *p; f = false) {
		size_t n = strcspn(p, " ");

		printf("%s\"%.*s\"", f ? "" : ", ", (int)n, p);
		p += n + (p[n] == ' ');
	}
	printf("], \"memory\": %llu, \"lost\": %s", (unsigned long long)in->memory,
	       in->lost ? "true" : "false");
	if (full) {
		printf(", \"created\": %lld, \"restart\": ", (long long)in->created);
		if (in->restart_max < 0)
			printf("\"no\"");
		else if (in->restart_max == 0)
			printf("\"on-failure\"");
		else
			printf("\"on-failure:%d\"", in->restart_max);
		printf(", \"rm\": %s, \"log_max\": %llu, \"supervisor\": %d, \"dir\": ",
		       in->rm ? "true" : "false", (unsigned long long)in->log_max,
		       in->alive ? in->supervisor : 0);
		json_str(stdout, in->dir);
		printf(", \"command\": [");
		for (int i = 0; i < in->argc; i++) {
			printf(i ? ", " : "");
			json_str(stdout, in->argv[i]);
		}
		printf("]");
	}
	printf("}");
}
