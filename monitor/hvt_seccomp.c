/*
 * hvt_seccomp.c — the monitor's system-call allow-list, loaded after
 * set-up and before the guest's first instruction.
 *
 * From then on the monitor can run the vCPU, read its state for a crash
 * report, move console bytes and stdin, wait, and exit — nothing else;
 * any other call kills it. Arguments are pinned where that is possible.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "hvt.h"

int hvt_seccomp(const struct hvt *h, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc = 0;

	if (!ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
/* ioctl's request is an int to musl and an unsigned long to glibc: compare
 * the low 32 bits, which are all the kernel looks at. */
#define REQ(r) SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, (r))
#define ALLOW(call, ...) \
	(rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(call), __VA_ARGS__))
	/* Run the vCPU. */
	ALLOW(ioctl, 2, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)h->vcpu), REQ(KVM_RUN));
	/* Crash reports read the vCPU's registers and pending exception. */
	ALLOW(ioctl, 2, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)h->vcpu), REQ(KVM_GET_REGS));
	ALLOW(ioctl, 2, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)h->vcpu), REQ(KVM_GET_SREGS));
	ALLOW(ioctl, 2, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)h->vcpu), REQ(KVM_GET_VCPU_EVENTS));
	/* Console output and the monitor's own messages. */
	ALLOW(write, 1, SCMP_A0(SCMP_CMP_EQ, 1));
	ALLOW(write, 1, SCMP_A0(SCMP_CMP_EQ, 2));
	/* musl's stdio writes with writev. */
	ALLOW(writev, 1, SCMP_A0(SCMP_CMP_EQ, 1));
	ALLOW(writev, 1, SCMP_A0(SCMP_CMP_EQ, 2));
	/* The guest's stdin. */
	ALLOW(read, 1, SCMP_A0(SCMP_CMP_EQ, 0));
	/* Waiting for stdin or a deadline (fd 0 or no fd at all). */
	ALLOW(ppoll, 0);
	ALLOW(poll, 0);
	/* Deadlines; the vDSO usually answers without a call. */
	ALLOW(clock_gettime, 0);
	/* A signal may interrupt KVM_RUN and return through here. */
	ALLOW(rt_sigreturn, 0);
	/* stdio may grow its heap while formatting a report; never exec. */
	ALLOW(brk, 0);
	ALLOW(mmap, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	ALLOW(munmap, 0);
	/* The end. */
	ALLOW(exit_group, 0);
	ALLOW(exit, 0);
#undef ALLOW
#undef REQ
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		snprintf(err, errlen, "cannot install the seccomp filter: %s", strerror(-rc));
		return -1;
	}
	return 0;
}
