/*
 * hvt_vol.c — PITH_HC_VOL on hvt: check the guest's request, map its
 * pointers, and hand it to the volume server (fs/hostfs_serve.c).
 *
 * Every pointer the request names passes gpa_ptr(); a path must end with
 * its NUL inside path_len bytes. Whatever is malformed stops the guest
 * (the caller reports the reason); what a file system would refuse comes
 * back to the guest as -errno.
 */
#include <errno.h>
#include <unistd.h>

#include "../fs/hostfs_serve.h"
#include "hvt.h"

long hostfs_sys(long nr, long a, long b, long c, long d, long e)
{
	long r = syscall(nr, a, b, c, d, e);

	return r < 0 ? -errno : r;
}

/* A NUL-terminated string of len bytes (NUL included) at gpa, or NULL. */
static const char *guest_path(const struct guest *g, uint64_t gpa, uint32_t len)
{
	const char *p = gpa_ptr(g, gpa, len);

	return p && len > 0 && p[len - 1] == '\0' ? p : NULL;
}

const char *hvt_vol(struct hvt *h, struct pith_hc_vol *a)
{
	const char *why, *path = NULL, *path2 = NULL;
	void *buf = NULL;
	unsigned need = 0;

	why = hostfs_check(a, &need);
	if (why)
		return why;
	if ((need & HOSTFS_NEED_PATH) && !(path = guest_path(&h->g, a->path, a->path_len)))
		return "volume path outside guest memory or not NUL-terminated";
	if ((need & HOSTFS_NEED_PATH2) && !(path2 = guest_path(&h->g, a->path2, a->path2_len)))
		return "volume path outside guest memory or not NUL-terminated";
	if ((need & HOSTFS_NEED_BUF) && !(buf = gpa_ptr(&h->g, a->buf, a->len)))
		return "volume buffer outside guest memory";
	hostfs_serve(a, path, path2, buf);
	return NULL;
}
