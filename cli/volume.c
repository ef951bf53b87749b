/*
 * volume.c — `pith run -v HOST:GUEST[:ro|:rw]`: check one volume and open
 * its host directory.
 *
 * HOST must be a directory; it is opened O_PATH now, and every path the
 * guest names is later resolved beneath that fd (fs/hostfs_serve.c), so
 * renaming HOST while the guest runs does not move the volume. GUEST is
 * an absolute path other than "/", without "." or "..", not inside or
 * around another volume's. Any problem is one line and status 125.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../monitor/guest.h"
#include "cli.h"

/* Normalise an absolute guest path into out (slashes collapsed, none at
 * the end); NULL, or why it cannot be a mount point. */
static const char *guest_path(const char *in, size_t inlen, char *out, size_t outsize)
{
	size_t n = 0;

	if (inlen == 0 || in[0] != '/')
		return "GUEST must be an absolute path";
	for (size_t i = 0; i < inlen;) {
		size_t start;

		while (i < inlen && in[i] == '/')
			i++;
		if (i == inlen)
			break;
		start = i;
		while (i < inlen && in[i] != '/')
			i++;
		if ((i - start == 1 && in[start] == '.') ||
		    (i - start == 2 && in[start] == '.' && in[start + 1] == '.'))
			return "GUEST may not hold . or ..";
		if (n + 1 + (i - start) + 1 > outsize)
			return "GUEST is too long";
		out[n++] = '/';
		memcpy(out + n, in + start, i - start);
		n += i - start;
	}
	if (n == 0)
		return "GUEST may not be /";
	out[n] = '\0';
	return NULL;
}

/* Is a at or below b (whole components)? */
static int below(const char *a, const char *b)
{
	size_t n = strlen(b);

	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

void volume_add(struct run_opts *o, const char *spec)
{
	const char *c1 = strchr(spec, ':'), *c2, *why;
	struct run_volume *v = &o->vol[o->nvol];
	char host[4096];
	struct rlimit rl;

	if (o->nvol == PITH_VOLUMES_MAX)
		die("run: -v %s: at most %d volumes", spec, PITH_VOLUMES_MAX);
	if (!c1)
		die("run: -v %s: use HOST:GUEST[:ro] (-v is --volume; --verbose is long only)",
		    spec);
	c2 = strchr(c1 + 1, ':');
	if (c1 == spec)
		die("run: -v %s: HOST is empty", spec);
	if ((size_t)(c1 - spec) >= sizeof(host))
		die("run: -v %s: HOST is too long", spec);
	v->flags = 0;
	if (c2) {
		if (!strcmp(c2 + 1, "ro"))
			v->flags = PITH_VOL_RO;
		else if (strcmp(c2 + 1, "rw"))
			die("run: -v %s: unknown option '%s' (use ro or rw)", spec, c2 + 1);
	}
	why = guest_path(c1 + 1, (size_t)((c2 ? c2 : c1 + strlen(c1)) - (c1 + 1)), v->path,
			 sizeof(v->path));
	if (why)
		die("run: -v %s: %s", spec, why);
	for (unsigned i = 0; i < o->nvol; i++)
		if (below(v->path, o->vol[i].path) || below(o->vol[i].path, v->path))
			die("run: -v %s: %s overlaps the volume at %s", spec, v->path,
			    o->vol[i].path);
	memcpy(host, spec, (size_t)(c1 - spec));
	host[c1 - spec] = '\0';
	v->fd = open(host, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (v->fd < 0)
		die("run: -v %s: %s: %s", spec, host,
		    errno == ENOTDIR ? "not a directory" : strerror(errno));
	o->nvol++;
	/* The guest applies its own umask; the host's must not narrow the
	 * modes it asks for a second time. */
	umask(0);
	/* Room for the guest's open files (one host fd each). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}
