/*
 * seccomp.h — lock pith down once set-up is done (seccomp.c).
 */
#ifndef PITH_SECCOMP_H
#define PITH_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>

/* The KVM monitor's allow-list, pinned to vcpu_fd; -1 with a message. */
int seccomp_lock_hvt(int vcpu_fd, char *err, size_t errlen);
/* The process target's allow-list, for trap_enter_guest to load. */
const struct sock_fprog *seccomp_process_filter(void);

#endif
