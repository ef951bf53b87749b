/*
 * seccomp.c — the allow-lists, as compiled at build time.
 *
 * tools/seccomp-gen.c turns pith's rules (with libseccomp) into BPF when
 * pith is built; here they are only loaded, so `pith run` spends no time
 * compiling filters. The hvt filter names the vCPU's fd, which is known
 * only now: its placeholder is replaced before loading.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp.h"
#include "seccomp_filters.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define PROG(a)                                                      \
	{                                                            \
		.len = COUNT(a), .filter = (struct sock_filter *)(a) \
	}

/* Indexed by volumes | net << 1. */
static const struct sock_fprog hvt_progs[4] = {
	PROG(hvt_filter),
	PROG(hvt_volume_filter),
	PROG(hvt_net_filter),
	PROG(hvt_volume_net_filter),
};
static const struct sock_fprog process_progs[4] = {
	PROG(process_filter),
	PROG(process_volume_filter),
	PROG(process_net_filter),
	PROG(process_volume_net_filter),
};

int seccomp_lock_hvt(int vcpu_fd, bool volumes, bool net, char *err, size_t errlen)
{
	const struct sock_fprog *src = &hvt_progs[volumes | net << 1];
	struct sock_filter f[COUNT(hvt_volume_net_filter)];
	struct sock_fprog prog = { .len = src->len, .filter = f };
	unsigned patched = 0;

	_Static_assert(COUNT(hvt_volume_net_filter) >= COUNT(hvt_filter) &&
			       COUNT(hvt_volume_net_filter) >= COUNT(hvt_volume_filter) &&
			       COUNT(hvt_volume_net_filter) >= COUNT(hvt_net_filter),
		       "the largest hvt filter");
	if (prog.len > COUNT(f)) {
		snprintf(err, errlen, "internal error: the hvt seccomp filter is too long");
		return -1;
	}
	memcpy(f, src->filter, prog.len * sizeof(struct sock_filter));
	for (size_t i = 0; i < prog.len; i++)
		if (f[i].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
		    f[i].k == SECCOMP_VCPU_FD_PLACEHOLDER) {
			f[i].k = (uint32_t)vcpu_fd;
			patched++;
		}
	if (patched == 0 || vcpu_fd < 0) {
		snprintf(err, errlen, "internal error: the hvt seccomp filter names no vCPU");
		return -1;
	}
	/* TSYNC: the network I/O thread runs already; it gets the same. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0) {
		snprintf(err, errlen, "cannot install the seccomp filter: %s", strerror(errno));
		return -1;
	}
	return 0;
}

const struct sock_fprog *seccomp_process_filter(bool volumes, bool net)
{
	return &process_progs[volumes | net << 1];
}
