/*
 * hvt.c — the KVM monitor: create the VM, run it, answer hypercalls.
 *
 * Every exit is counted. A hypercall's argument struct and any buffer it
 * names pass gpa_ptr() before use; anything the ABI does not allow (an
 * unknown port, a bad pointer, malformed console records, MMIO) stops the
 * guest with PITH_EXIT_VIOLATION and a one-line reason. A fault stops the
 * vCPU (the guest has no IDT): the monitor drains the console and prints
 * a crash report from the vCPU's registers.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../fs/hostfs_serve.h"
#include "console.h"
#include "crash.h"
#include "hvt.h"
#include "landlock.h"
#include "netfd.h"
#include "util.h"

#define MSR_IA32_TSC 0x10

static volatile sig_atomic_t stop_signal;
static struct kvm_run *volatile stop_run;      /* to make KVM_RUN return at once */
static struct pith_console *volatile stop_con; /* the guest's signal words */

/* SIGINT, SIGTERM, SIGHUP: passed on when the program catches it (abi.h),
 * else — or when the last one has not been taken yet — the end of the
 * guest. */
static void on_stop(int sig)
{
	struct pith_console *con = stop_con;

	/* A second one before the program took the first (it computes
	 * without system calls): the default action, so Ctrl-C twice ends
	 * any program. */
	if (con && (__atomic_load_n(&con->caught, __ATOMIC_ACQUIRE) & (1ull << (sig - 1))) &&
	    !(__atomic_fetch_or(&con->arrived, 1ull << (sig - 1), __ATOMIC_ACQ_REL) &
	      (1ull << (sig - 1))))
		return;
	stop_signal = sig;
	console_abort = 1;
	if (stop_run)
		stop_run->immediate_exit = 1;
}

/* Should a wait end before it starts? Called with the signals blocked. */
static bool wait_broken(const struct hvt *h)
{
	return stop_signal || __atomic_load_n(&h->g.con->arrived, __ATOMIC_ACQUIRE);
}

/* What the guest wrote before the end, on every way out. */
static void drain(struct hvt *h)
{
	uint32_t broken = 0;

	console_drain(h->g.con, h->g.lay.console_size, &broken);
}

enum hvt_open_err hvt_open(struct hvt *h, char *err, size_t errlen)
{
	int v;

	memset(h, 0, sizeof(*h));
	h->kvm = h->vm = h->vcpu = -1;
	h->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (h->kvm < 0) {
		int e = errno;

		snprintf(err, errlen, "/dev/kvm: %s", strerror(e));
		return e == ENOENT || e == ENODEV || e == ENXIO ? HVT_NO_DEVICE
		       : e == EACCES || e == EPERM		? HVT_NO_ACCESS
								: HVT_BROKEN;
	}
	v = ioctl(h->kvm, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		snprintf(err, errlen, "/dev/kvm: API version %d, need %d", v, KVM_API_VERSION);
		return HVT_BROKEN;
	}
	if (ioctl(h->kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0) {
		snprintf(err, errlen, "/dev/kvm: no user memory support");
		return HVT_BROKEN;
	}
	return HVT_OK;
}

/* The guest TSC and host clocks at one instant, for the guest's clock. */
static int clock_base(struct hvt *h, struct pith_boot *b, char *err, size_t errlen)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} msr = { .hdr.nmsrs = 1, .e.index = MSR_IA32_TSC };
	struct timespec m0, m1, w;
	long khz = ioctl(h->vcpu, KVM_GET_TSC_KHZ, 0);

	if (khz <= 0) {
		snprintf(err, errlen, "KVM cannot tell the TSC frequency: %s", strerror(errno));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &m0);
	clock_gettime(CLOCK_REALTIME, &w);
	if (ioctl(h->vcpu, KVM_GET_MSRS, &msr) != 1) {
		snprintf(err, errlen, "KVM cannot read the guest TSC: %s", strerror(errno));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &m1);
	b->tsc_hz = (uint64_t)khz * 1000;
	b->tsc_base = msr.e.data;
	/* The TSC was read between m0 and m1: take the middle. */
	b->mono_base_ns = (ts_ns(&m0) + ts_ns(&m1)) / 2;
	b->wall_base_ns = ts_ns(&w) + (b->mono_base_ns - ts_ns(&m0));
	return 0;
}

/* The volume server gets the volumes' roots; then pith reaches no other
 * file (Landlock), whatever the monitor is made to do. */
static int volumes_init(const struct run_opts *o, char *err, size_t errlen)
{
	int fd[PITH_VOLUMES_MAX];
	uint32_t flags[PITH_VOLUMES_MAX];

	if (o->nvol == 0)
		return 0;
	for (unsigned i = 0; i < o->nvol; i++) {
		fd[i] = o->vol[i].fd;
		flags[i] = o->vol[i].flags;
	}
	hostfs_serve_init(fd, flags, o->nvol);
	return landlock_volumes(o, false, err, errlen);
}

int hvt_create(struct hvt *h, const struct elf_image *img, const struct run_opts *o, char *err,
	       size_t errlen)
{
	struct guest *g = &h->g;
	uint64_t args = args_size(o), sys;
	struct kvm_userspace_memory_region region;
	int run_size;

	g->img = img;
	g->mem_size = o->mem_size;
	sys = hvt_sys_bytes(img, o->mem_size, args);
	if (layout_plan(&g->lay, img, o->mem_size, args, sys, err, errlen) < 0 ||
	    (o->net.on && layout_take_net(&g->lay, img, err, errlen) < 0))
		return -1;
	h->verbose = o->verbose;

	h->vm = ioctl(h->kvm, KVM_CREATE_VM, 0);
	if (h->vm < 0) {
		snprintf(err, errlen, "KVM_CREATE_VM: %s", strerror(errno));
		return -1;
	}
	g->mem = mmap(NULL, g->mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (g->mem == MAP_FAILED) {
		g->mem = NULL;
		snprintf(err, errlen, "cannot map %llu MiB of guest memory: %s",
			 (unsigned long long)(g->mem_size >> 20), strerror(errno));
		return -1;
	}
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = g->mem_size,
		.userspace_addr = (uintptr_t)g->mem,
	};
	if (ioctl(h->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		snprintf(err, errlen, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		return -1;
	}
	h->vcpu = ioctl(h->vm, KVM_CREATE_VCPU, 0);
	if (h->vcpu < 0) {
		snprintf(err, errlen, "KVM_CREATE_VCPU: %s", strerror(errno));
		return -1;
	}
	run_size = ioctl(h->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(struct kvm_run)) {
		snprintf(err, errlen, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		return -1;
	}
	h->run_size = (size_t)run_size;
	h->run = mmap(NULL, h->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, h->vcpu, 0);
	if (h->run == MAP_FAILED) {
		h->run = NULL;
		snprintf(err, errlen, "cannot map the vCPU run area: %s", strerror(errno));
		return -1;
	}
	if (hvt_set_cpu(h, err, errlen) < 0 || hvt_build_sys(h, err, errlen) < 0)
		return -1;
	/* SIGINT, SIGTERM, SIGHUP end the guest as they would a process
	 * (128 + signal), after the console is drained. No SA_RESTART:
	 * the signal must break KVM_RUN and ppoll. */
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&h->stop_sigs);
	sigaddset(&h->stop_sigs, SIGINT);
	sigaddset(&h->stop_sigs, SIGTERM);
	sigaddset(&h->stop_sigs, SIGHUP);
	host_tty_save();
	guest_load(g, o, PITH_TARGET_HVT,
		   host_boot_flags(o) | (h->fsgsbase ? PITH_BOOT_FSGSBASE : 0));
	host_boot_fill(g->boot);
	if (clock_base(h, g->boot, err, errlen) < 0 ||
	    hvt_net_start(&h->net, g, &o->net, err, errlen) < 0)
		return -1;
	return volumes_init(o, err, errlen);
}

static int violation(struct hvt *h, const char *fmt, ...)
{
	va_list ap;
	uint32_t broken = 0;

	/* What the guest wrote before it misbehaved still counts. */
	console_drain(h->g.con, h->g.lay.console_size, &broken);
	fprintf(stderr, "pith: guest stopped: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (exit status %d)\n", PITH_EXIT_VIOLATION);
	return PITH_EXIT_VIOLATION;
}

static int hc_console(struct hvt *h, struct pith_hc_console *a)
{
	uint32_t broken = 0;

	if (console_drain(h->g.con, h->g.lay.console_size, &broken) < 0)
		return violation(h, "malformed console records");
	a->broken = broken;
	return -1;
}

static int hc_read(struct hvt *h, struct pith_hc_read *a)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	void *buf;
	ssize_t n;

	if (a->fd != 0)
		return violation(h, "read from host fd %u", a->fd);
	buf = gpa_ptr(&h->g, a->buf, a->len);
	if (!buf)
		return violation(h, "read buffer 0x%llx+%u outside guest memory",
				 (unsigned long long)a->buf, a->len);
	if (poll(&p, 1, 0) == 0) {
		a->ret = -EAGAIN;
		return -1;
	}
	a->hup = (p.revents & POLLHUP) != 0;
	do
		n = read(0, buf, a->len);
	while (n < 0 && errno == EINTR);
	a->ret = n < 0 ? -errno : n;
	return -1;
}

static int hc_poll(struct hvt *h, struct pith_hc_poll *a)
{
	struct pollfd p[2];
	struct timespec now, ts, zero = { 0, 0 }, *tp = NULL;
	bool net = (a->want & PITH_POLL_NET) && h->net.on;
	const char *why = hvt_net_broken(&h->net);
	uint32_t broken = 0;
	nfds_t n = 0;
	sigset_t old;
	int r;

	if (a->want & ~(PITH_POLL_STDIN | PITH_POLL_NET))
		return violation(h, "poll for unknown events 0x%x", a->want);
	if (why)
		return violation(h, "network ring: %s", why);
	/* What the guest wrote before it waits goes out now, in this exit:
	 * a server's log line costs none of its own. The buffer is emptied
	 * here, not by the guest on return: a signal may end the guest in
	 * this wait, and the drain at the end must not write it twice. */
	if (console_drain(h->g.con, h->g.lay.console_size, &broken) < 0)
		return violation(h, "malformed console records");
	h->g.con->used = 0;
	a->broken = broken;
	if (a->deadline_ns != PITH_DEADLINE_NONE) {
		uint64_t t;

		clock_gettime(CLOCK_MONOTONIC, &now);
		t = a->deadline_ns > ts_ns(&now) ? a->deadline_ns - ts_ns(&now) : 0;
		ts.tv_sec = (time_t)(t / 1000000000u);
		ts.tv_nsec = (long)(t % 1000000000u);
		tp = &ts;
	}
	if (a->want & PITH_POLL_STDIN)
		p[n++] = (struct pollfd){ .fd = 0, .events = POLLIN };
	if (net) {
		/* The guest sleeps on RX: from here the I/O thread wakes us
		 * for the next frame; one already there ends the wait now. */
		hvt_net_wake_clear();
		if (!hvt_net_rx_sleep(&h->net))
			tp = &zero;
		p[n++] = (struct pollfd){ .fd = NET_WAKE_FD, .events = POLLIN };
	}
	/* The stop signals are blocked from the check until ppoll waits,
	 * which lets them in: one arriving in between ends the wait at once
	 * instead of being slept through. */
	sigprocmask(SIG_BLOCK, &h->stop_sigs, &old);
	r = wait_broken(h) ? 0 : ppoll(p, n, tp, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	a->ready = 0;
	if (r > 0 && (a->want & PITH_POLL_STDIN) &&
	    (p[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
		a->ready |= PITH_POLL_STDIN;
	if (net && hvt_net_rx_ready(&h->net))
		a->ready |= PITH_POLL_NET;
	return -1;
}

static int hc_net_notify(struct hvt *h, struct pith_hc_net_notify *a)
{
	const char *why = hvt_net_broken(&h->net);

	if (why)
		return violation(h, "network ring: %s", why);
	why = hvt_net_notify(&h->net, a);
	return why ? violation(h, "%s", why) : -1;
}

static int hc_exit(struct hvt *h, struct pith_hc_exit *a)
{
	uint32_t broken = 0;
	struct pith_hc_exit e = *a;

	if (console_drain(h->g.con, h->g.lay.console_size, &broken) < 0)
		return violation(h, "malformed console records");
	switch (e.reason) {
	case PITH_EXIT_NORMAL:
		return e.status & 0xff;
	case PITH_EXIT_SIGNAL:
		if (e.status < 1 || e.status > 64)
			return violation(h, "exit by unknown signal %d", e.status);
		return PITH_EXIT_SIGBASE + e.status;
	case PITH_EXIT_PANIC:
		return PITH_EXIT_SIGBASE + SIGABRT;
	default:
		return violation(h, "unknown exit reason %u", e.reason);
	}
}

static int hc_set_fs(struct hvt *h, struct pith_hc_set_fs *a)
{
	struct kvm_sregs sr;

	if (a->base >= (1ull << 47))
		return violation(h, "%%fs base 0x%llx is not a user address",
				 (unsigned long long)a->base);
	if (ioctl(h->vcpu, KVM_GET_SREGS, &sr) < 0)
		return violation(h, "cannot read the vCPU state");
	sr.fs.base = a->base;
	if (ioctl(h->vcpu, KVM_SET_SREGS, &sr) < 0)
		return violation(h, "cannot set the %%fs base");
	return -1;
}

static int hc_tty(struct hvt *h, struct pith_hc_tty *a)
{
	if (a->fd > 2)
		return violation(h, "terminal request on host fd %u", a->fd);
	if (a->op != PITH_TTY_GET && a->op != PITH_TTY_SET && a->op != PITH_TTY_SET_DRAIN &&
	    a->op != PITH_TTY_SET_FLUSH)
		return violation(h, "unknown terminal request 0x%x", a->op);
	a->ret = ioctl((int)a->fd, a->op, a->termios) < 0 ? -errno : 0;
	return -1;
}

static const size_t hc_size[PITH_HC_MAX] = {
	[PITH_HC_CONSOLE] = sizeof(struct pith_hc_console),
	[PITH_HC_READ] = sizeof(struct pith_hc_read),
	[PITH_HC_POLL] = sizeof(struct pith_hc_poll),
	[PITH_HC_EXIT] = sizeof(struct pith_hc_exit),
	[PITH_HC_SET_FS] = sizeof(struct pith_hc_set_fs),
	[PITH_HC_TTY] = sizeof(struct pith_hc_tty),
	[PITH_HC_VOL] = sizeof(struct pith_hc_vol),
	[PITH_HC_NET_NOTIFY] = sizeof(struct pith_hc_net_notify),
};

/* One hypercall; -1 to go on running, else the exit status. */
static int hypercall(struct hvt *h)
{
	struct kvm_run *run = h->run;
	unsigned nr = run->io.port - PITH_HC_PORT_BASE;
	uint32_t gpa;
	void *arg;

	if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 || run->io.count != 1 ||
	    run->io.port < PITH_HC_PORT_BASE || nr == 0 || nr >= PITH_HC_MAX)
		return violation(h, "unknown hypercall (port 0x%x)", run->io.port);
	if (run->io.data_offset > h->run_size - sizeof(gpa))
		return violation(h, "bad I/O exit data");
	memcpy(&gpa, (uint8_t *)run + run->io.data_offset, sizeof(gpa));
	if (gpa % 8)
		return violation(h, "hypercall %u argument 0x%x not 8-byte aligned", nr, gpa);
	arg = gpa_ptr(&h->g, gpa, hc_size[nr]);
	if (!arg)
		return violation(h, "hypercall %u argument 0x%x outside guest memory", nr, gpa);
	h->hc_count[nr]++;
	switch (nr) {
	case PITH_HC_CONSOLE:
		return hc_console(h, arg);
	case PITH_HC_READ:
		return hc_read(h, arg);
	case PITH_HC_POLL:
		return hc_poll(h, arg);
	case PITH_HC_SET_FS:
		return hc_set_fs(h, arg);
	case PITH_HC_TTY:
		return hc_tty(h, arg);
	case PITH_HC_NET_NOTIFY:
		return hc_net_notify(h, arg);
	case PITH_HC_VOL: {
		const char *why = hvt_vol(h, arg);

		return why ? violation(h, "%s", why) : -1;
	}
	default:
		return hc_exit(h, arg);
	}
}

/* Is the instruction at rip a DIV or IDIV (opcode F6/F7 /6, /7)? */
static bool at_divide(const struct hvt *h, uint64_t rip)
{
	const uint8_t *p =
		rip >= PITH_GUEST_BASE ? gpa_ptr(&h->g, rip - PITH_GUEST_BASE, 16) : NULL;
	unsigned i = 0;

	if (!p)
		return false;
	while (i < 14 && (p[i] == 0x66 || p[i] == 0x67 || p[i] == 0xf2 || p[i] == 0xf3 ||
			  p[i] == 0x2e || p[i] == 0x3e || p[i] == 0x26 || p[i] == 0x36 ||
			  p[i] == 0x64 || p[i] == 0x65 || (p[i] & 0xf0) == 0x40))
		i++;
	return (p[i] == 0xf6 || p[i] == 0xf7) && ((p[i + 1] >> 3) & 7) >= 6;
}

static int crashed(struct hvt *h)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	struct kvm_vcpu_events ev;
	struct crash c = { .vector = -1 };
	uint32_t broken = 0;

	console_drain(h->g.con, h->g.lay.console_size, &broken);
	if (ioctl(h->vcpu, KVM_GET_REGS, &r) < 0 || ioctl(h->vcpu, KVM_GET_SREGS, &s) < 0) {
		fprintf(stderr, "pith: guest crashed; its state cannot be read: %s\n",
			strerror(errno));
		return PITH_EXIT_SIGBASE + SIGSEGV;
	}
	if (ioctl(h->vcpu, KVM_GET_VCPU_EVENTS, &ev) == 0) {
		/* After a triple fault KVM keeps the first exception's vector
		 * (it is no longer "injected"). Vector 0 is also what an empty
		 * record says: believe #DE only at a divide instruction. */
		c.vector = ev.exception.nr;
		c.has_error = ev.exception.has_error_code;
		c.error = ev.exception.error_code;
		if (c.vector == 0 && !c.has_error && !at_divide(h, r.rip))
			c.vector = -1;
	}
	c.cr2 = s.cr2;
	c.rip = r.rip, c.rsp = r.rsp, c.rbp = r.rbp, c.rflags = r.rflags;
	c.rax = r.rax, c.rbx = r.rbx, c.rcx = r.rcx, c.rdx = r.rdx;
	c.rsi = r.rsi, c.rdi = r.rdi, c.r8 = r.r8, c.r9 = r.r9;
	c.r10 = r.r10, c.r11 = r.r11, c.r12 = r.r12, c.r13 = r.r13;
	c.r14 = r.r14, c.r15 = r.r15;
	return crash_report(&h->g, &c);
}

static void stats(const struct hvt *h)
{
	fprintf(stderr, "pith: hvt: vCPU first entered at monotonic %llu ns\n",
		(unsigned long long)h->t_start_ns);
	fprintf(stderr,
		"pith: hvt: %llu exits (console %llu, read %llu, poll %llu, exit %llu, "
		"volume %llu)\n",
		(unsigned long long)h->exits, (unsigned long long)h->hc_count[PITH_HC_CONSOLE],
		(unsigned long long)h->hc_count[PITH_HC_READ],
		(unsigned long long)h->hc_count[PITH_HC_POLL],
		(unsigned long long)h->hc_count[PITH_HC_EXIT],
		(unsigned long long)h->hc_count[PITH_HC_VOL]);
	if (h->net.on)
		fprintf(stderr,
			"pith: hvt: net: %llu frames out, %llu in, %llu notify exits, "
			"%llu wake-ups, %llu dropped out, %llu dropped in, %llu I/O thread "
			"sleeps\n",
			(unsigned long long)__atomic_load_n(&h->net.tx_frames, __ATOMIC_RELAXED),
			(unsigned long long)__atomic_load_n(&h->net.rx_frames, __ATOMIC_RELAXED),
			(unsigned long long)h->hc_count[PITH_HC_NET_NOTIFY],
			(unsigned long long)__atomic_load_n(&h->net.wakes, __ATOMIC_RELAXED),
			(unsigned long long)__atomic_load_n(&h->net.tx_dropped, __ATOMIC_RELAXED),
			(unsigned long long)__atomic_load_n(&h->net.rx_dropped, __ATOMIC_RELAXED),
			(unsigned long long)__atomic_load_n(&h->net.sleeps, __ATOMIC_RELAXED));
}

int hvt_run(struct hvt *h)
{
	int status = -1;

	stop_run = h->run;
	stop_con = h->g.con;
	h->t_start_ns = now_ns();
	while (status < 0) {
		if (stop_signal) {
			drain(h);
			status = PITH_EXIT_SIGBASE + stop_signal;
			break;
		}
		if (ioctl(h->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			drain(h);
			fprintf(stderr, "pith: KVM_RUN: %s\n", strerror(errno));
			status = PITH_EXIT_ERROR;
			break;
		}
		h->exits++;
		switch (h->run->exit_reason) {
		case KVM_EXIT_IO:
			status = hypercall(h);
			break;
		case KVM_EXIT_SHUTDOWN:
			status = crashed(h);
			break;
		case KVM_EXIT_MMIO:
			status = violation(h, "access to unbacked physical address 0x%llx",
					   (unsigned long long)h->run->mmio.phys_addr);
			break;
		case KVM_EXIT_HLT:
			status = violation(h, "halted");
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			fprintf(stderr, "pith: KVM could not run the guest (internal error %u)\n",
				h->run->internal.suberror);
			status = crashed(h);
			break;
		case KVM_EXIT_FAIL_ENTRY:
			drain(h);
			fprintf(stderr, "pith: KVM refused the guest state (reason 0x%llx)\n",
				(unsigned long long)
					h->run->fail_entry.hardware_entry_failure_reason);
			status = PITH_EXIT_ERROR;
			break;
		default:
			drain(h);
			fprintf(stderr, "pith: unexpected KVM exit %u\n", h->run->exit_reason);
			status = PITH_EXIT_ERROR;
			break;
		}
	}
	/* Whatever way the guest ended, its last frames go out and the
	 * terminal is as pith found it. */
	hvt_net_flush(&h->net);
	host_tty_restore();
	if (h->verbose)
		stats(h);
	return status;
}
