/*
 * detach.c — `pith run -d`: make an instance and start its supervisor.
 *
 * The instance's config holds the monitor's command line with every path
 * made absolute and the image pinned by ID, so a restart runs the same
 * image from anywhere even if its tag has moved since.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../monitor/guest.h"
#include "cli.h"
#include "detach.h"
#include "instance.h"
#include "pithfile.h"

void detach_forward(struct detach *d, const char *opt, const char *val)
{
	if (d->nfwd + 2 > DETACH_FWD_MAX)
		die("run: too many options");
	d->fwd[d->nfwd++] = (char *)opt;
	if (val)
		d->fwd[d->nfwd++] = (char *)val;
}

void detach_forward_volume(struct detach *d, const char *spec)
{
	const char *colon = strchr(spec, ':');
	char host[PATH_MAX], abs[PATH_MAX], *out;

	/* volume_add has checked the spec and opened HOST already. */
	if (!colon || (size_t)(colon - spec) >= sizeof(host))
		die("run: -v %s: not HOST:GUEST", spec);
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	if (!realpath(host, abs))
		die("run: -v %s: %s: %s", spec, host, strerror(errno));
	if (asprintf(&out, "%s%s", abs, colon) < 0)
		die("run: out of memory");
	detach_forward(d, "-v", out);
}

int parse_restart(const char *s)
{
	char *end;
	long n;

	if (!strcmp(s, "no"))
		return -1;
	if (!strcmp(s, "on-failure"))
		return 0;
	if (strncmp(s, "on-failure:", 11) != 0)
		return -2;
	errno = 0;
	n = strtol(s + 11, &end, 10);
	return errno || *end || n < 1 || n > 1000000 ? -2 : (int)n;
}

/* IMAGE-BASE-XXXXXX from the image's name: a name that says what runs. */
static void make_name(const char *image, char out[INSTANCE_NAME_MAX + 1])
{
	const char *base = strrchr(image, '/');
	unsigned char r[3];
	size_t n = 0;

	base = base ? base + 1 : image;
	if (!strncmp(base, "sha256:", 7))
		base = "image";
	for (; *base && *base != ':' && n < 40; base++)
		if ((*base >= 'a' && *base <= 'z') || (*base >= '0' && *base <= '9') ||
		    (*base >= 'A' && *base <= 'Z') || ((*base == '-' || *base == '_') && n))
			out[n++] = *base;
	if (n == 0)
		n = (size_t)snprintf(out, 16, "pith");
	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		die("run: getrandom: %s", strerror(errno));
	snprintf(out + n, INSTANCE_NAME_MAX + 1 - n, "-%02x%02x%02x", r[0], r[1], r[2]);
}

/* Start the supervisor in a session of its own; what it says of the
 * start (or NULL when it is running). */
static const char *spawn_supervisor(const char *exe, const char *dir)
{
	static char msg[512];
	int p[2], st;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(p) < 0)
		die("run: pipe: %s", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0)
		die("run: fork: %s", strerror(errno));
	if (pid == 0) {
		char fd[16];
		int null = open("/dev/null", O_RDWR);

		close(p[0]);
		/* A new session, then a second fork: the supervisor is no
		 * one's child here and has no terminal to lose. It keeps no
		 * fd of its caller's but the pipe, and no directory busy. */
		if (setsid() < 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup2(null, 2) < 0 || chdir("/") < 0)
			_exit(1);
		if (p[1] != 3 && (dup2(p[1], 3) < 0 || close(p[1]) < 0))
			_exit(1);
		p[1] = 3;
		if (syscall(SYS_close_range, 4, ~0u, 0) < 0)
			for (int k = 4; k < 1024; k++)
				close(k);
		if (fork() != 0)
			_exit(0);
		snprintf(fd, sizeof(fd), "%d", p[1]);
		execl(exe, "pith", "__supervise", dir, fd, (char *)NULL);
		dprintf(p[1], "cannot run %s: %s", exe, strerror(errno));
		_exit(1);
	}
	close(p[1]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	while (n < sizeof(msg) - 1 &&
	       ((r = read(p[0], msg + n, sizeof(msg) - 1 - n)) > 0 || (r < 0 && errno == EINTR)))
		n += r > 0 ? (size_t)r : 0;
	close(p[0]);
	msg[n] = '\0';
	if (!strcmp(msg, "ok"))
		return NULL;
	return n ? msg : "the supervisor ended before the instance started";
}

int run_detached(struct detach *d, const char *image, const char *id, char *const *args, int nargs,
		 const struct run_opts *o, const struct pithfile *defs)
{
	struct instance in = { .restart_max = d->restart_max, .rm = d->rm };
	char exe[PATH_MAX], abs[PATH_MAX], ref[80], dir[PATH_MAX], final[INSTANCE_DIR_MAX];
	char errmsg[512];
	struct pithfile check;
	int64_t created;
	const char *why;
	struct store s;
	ssize_t n;
	int k = 0;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		die("run: cannot find pith's own path: %s", strerror(errno));
	exe[n] = '\0';
	if (d->name)
		snprintf(in.name, sizeof(in.name), "%s", d->name);
	else
		make_name(image, in.name);
	if (id[0])
		snprintf(ref, sizeof(ref), "sha256:%s", id);
	else if (!realpath(image, abs))
		die("run: %s: %s", image, strerror(errno));

	/* The monitor's command line. */
	in.argv = calloc((size_t)(d->nfwd + nargs + 8), sizeof(char *));
	if (!in.argv)
		die("run: out of memory");
	in.argv[k++] = exe;
	in.argv[k++] = "run";
	for (int i = 0; i < d->nfwd; i++)
		in.argv[k++] = d->fwd[i];
	in.argv[k++] = "--argv0";
	in.argv[k++] = (char *)image;
	in.argv[k++] = id[0] ? ref : abs;
	for (int i = 1; i < nargs; i++)
		in.argv[k++] = args[i];
	in.argc = k;

	snprintf(in.image, sizeof(in.image), "%s", image);
	snprintf(in.image_id, sizeof(in.image_id), "%s", id);
	in.created = (int64_t)time(NULL);
	in.memory = o->mem_size;
	in.log_max = d->log_max;
	publish_text(in.ports, sizeof(in.ports));
	for (size_t i = 0; i < defs->nports; i++) {
		size_t len = strlen(in.ports);

		snprintf(in.ports + len, sizeof(in.ports) - len, "%s%u/%s", len ? " " : "",
			 defs->ports[i].port, defs->ports[i].proto);
	}

	/* The instance is made whole in a directory of its own, then renamed
	 * to its name without replacing anything: of two runs with one name
	 * only one gets it, and a crash halfway leaves no half instance
	 * holding the name. Under the store's lock, the image is checked to
	 * be still there (an rmi may have come since it was looked up). */
	store_open(&s, 1);
	if (id[0] && store_load_image(&s, id, &check, &created, errmsg, sizeof(errmsg)) < 0)
		die("run: %s: %s", image, errmsg);
	if (id[0])
		pithfile_free(&check);
	instances_dir(&s, dir, true);
	instance_dir(&s, in.name, final);
	if (snprintf(in.dir, sizeof(in.dir), "%s/.creating.%d", dir, (int)getpid()) < 0 ||
	    mkdir(in.dir, 0700) < 0)
		die("run: cannot create %s: %s", in.dir, strerror(errno));
	if (instance_write_config(&in) < 0 || instance_write_state(&in) < 0) {
		int e = errno;

		instance_remove(in.dir);
		die("run: cannot write the instance in %s: %s", dir, strerror(e));
	}
	if (syscall(SYS_renameat2, AT_FDCWD, in.dir, AT_FDCWD, final, 1 /* RENAME_NOREPLACE */) <
	    0) {
		int e = errno;

		instance_remove(in.dir);
		if (e == EEXIST)
			die("run: --name %s: already in use (see pith ps -a; pith rm %s)", in.name,
			    in.name);
		die("run: cannot create %s: %s", final, strerror(e));
	}
	fsync_parent(final);
	snprintf(in.dir, sizeof(in.dir), "%s", final);
	store_close(&s);

	if ((why = spawn_supervisor(exe, in.dir))) {
		instance_remove(in.dir);
		die("run: %s: %s", in.name, why);
	}
	printf("%s\n", in.name);
	free(in.argv);
	return 0;
}
