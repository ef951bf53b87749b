/*
 * seccomp.h — lock pith down once set-up is done (seccomp.c).
 */
#ifndef PITH_SECCOMP_H
#define PITH_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

/* The KVM monitor's allow-list, pinned to vcpu_fd, with the volume calls
 * when volumes are given and the network device's with --net; loaded
 * into every thread of pith (the network I/O thread too); -1 with a
 * message. */
int seccomp_lock_hvt(int vcpu_fd, bool volumes, bool net, char *err, size_t errlen);
/* The process target's allow-list (with the volume calls or without,
 * with the tap's or without), for trap_enter_guest to load. */
const struct sock_fprog *seccomp_process_filter(bool volumes, bool net);

#endif
