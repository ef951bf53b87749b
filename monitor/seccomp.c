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

int seccomp_lock_hvt(int vcpu_fd, bool volumes, char *err, size_t errlen)
{
	struct sock_filter f[COUNT(hvt_filter) > COUNT(hvt_volume_filter)
				     ? COUNT(hvt_filter)
				     : COUNT(hvt_volume_filter)];
	struct sock_fprog prog = { .len = volumes ? COUNT(hvt_volume_filter) : COUNT(hvt_filter),
				   .filter = f };
	unsigned patched = 0;

	memcpy(f, volumes ? hvt_volume_filter : hvt_filter, prog.len * sizeof(struct sock_filter));
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
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		snprintf(err, errlen, "cannot install the seccomp filter: %s", strerror(errno));
		return -1;
	}
	return 0;
}

const struct sock_fprog *seccomp_process_filter(bool volumes)
{
	static const struct sock_fprog prog = {
		.len = COUNT(process_filter),
		.filter = (struct sock_filter *)process_filter,
	};
	static const struct sock_fprog vol_prog = {
		.len = COUNT(process_volume_filter),
		.filter = (struct sock_filter *)process_volume_filter,
	};

	return volumes ? &vol_prog : &prog;
}
