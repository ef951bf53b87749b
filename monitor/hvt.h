/*
 * hvt.h — target "hvt": pith's own KVM monitor.
 *
 * One VM, one vCPU, started directly at CPL3 in 64-bit mode with paging
 * built by the monitor (hvt_cpu.c), so the guest needs no CPL0
 * instruction: this runs on kvm_pvm hosts, where guest ring 0 is
 * emulated, as on VMX/SVM. The guest calls the monitor by port I/O
 * (include/pith/abi.h), at most once per batched operation; exits are
 * counted. After set-up the monitor runs under seccomp (seccomp.c).
 */
#ifndef PITH_HVT_H
#define PITH_HVT_H

#include <signal.h>
#include <stdint.h>

#include "guest.h"
#include "hvt_net.h"

enum hvt_open_err {
	HVT_OK = 0,
	HVT_NO_DEVICE, /* no /dev/kvm */
	HVT_NO_ACCESS, /* /dev/kvm exists but may not be opened */
	HVT_BROKEN,    /* KVM answers, but not as we need */
};

struct hvt {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
	struct guest g;
	bool fsgsbase;
	uint64_t exits, hc_count[PITH_HC_MAX];
	uint64_t t_setup_ns, t_start_ns; /* host monotonic: pith start, first KVM_RUN */
	bool verbose;
	sigset_t stop_sigs; /* SIGINT, SIGTERM, SIGHUP */
	struct hvt_net net; /* the network device, when --net */
};

/* Open /dev/kvm and check the API; fills err on failure. */
enum hvt_open_err hvt_open(struct hvt *h, char *err, size_t errlen);
/* Create the VM for an image: memory, image, page tables, vCPU state.
 * -1 with a message in err. */
int hvt_create(struct hvt *h, const struct elf_image *img, const struct run_opts *o, char *err,
	       size_t errlen);
/* Run until the guest ends; returns the exit status for `pith run`. */
int hvt_run(struct hvt *h);

/* hvt_cpu.c: bytes the system area needs, and building it. */
uint64_t hvt_sys_bytes(const struct elf_image *img, uint64_t mem_size, uint64_t args_len);
int hvt_build_sys(struct hvt *h, char *err, size_t errlen);
int hvt_set_cpu(struct hvt *h, char *err, size_t errlen);

/* hvt_vol.c: a PITH_HC_VOL request; NULL, or why it breaks the ABI. */
const char *hvt_vol(struct hvt *h, struct pith_hc_vol *a);

/* hvt_cpuid.c: the CPUID table the guest sees; sets h->fsgsbase. */
int hvt_set_cpuid(struct hvt *h, char *err, size_t errlen);

#endif
