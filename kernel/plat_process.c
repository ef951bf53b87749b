/*
 * plat_process.c — the platform binding for the process target.
 *
 * The image runs inside pith's own Linux process, which pith prepared and
 * locked down with a seccomp allow-list; the guest ends it with exit_group. This file holds the only `syscall`
 * instructions in an image: write to fds 1 and 2, read and ppoll on fd 0,
 * clock_gettime, arch_prctl(ARCH_SET_FS) and exit_group. Anything else
 * would be killed by the filter — but for the volume server's calls
 * (fs/hostfs_process.c), allowed by the filter used with volumes, and
 * the network device's read and write on the tap fd
 * (kernel/netdev_process.c), allowed by the filter used with --net.
 */
#include "host_call.h"
#include "platform.h"

#define NR_read		 0
#define NR_write	 1
#define NR_ioctl	 16
#define NR_arch_prctl	 158
#define NR_clock_gettime 228
#define NR_exit_group	 231
#define NR_ppoll	 271
#define ARCH_SET_FS	 0x1002
#define POLLIN		 1
#define POLLOUT		 4
#define POLLHUP		 0x10
#define POLLERR		 0x8
#define POLLNVAL	 0x20

struct hts {
	long sec, nsec;
};

static uint32_t proc_flags;
static int proc_net_fd = -1; /* the tap fd (--net), for PITH_POLL_NET */
static struct pith_console *proc_con;
static long (*vdso_cgt)(int, struct hts *);

static void proc_init(const struct pith_boot *boot)
{
	proc_flags = boot->flags;
	proc_con = (struct pith_console *)(uintptr_t)boot->console;
	if (boot->net.flags & PITH_NET_ON)
		proc_net_fd = boot->net.host_fd;
	vdso_cgt = (long (*)(int, struct hts *))(uintptr_t)boot->vdso_clock_gettime;
}

/* Write all of buf to a host fd; false when the fd is gone. */
static bool write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		long r = host3(NR_write, fd, (long)buf, (long)len);

		if (r == -EAGAIN) {
			/* A non-blocking stdout someone else set up: wait. */
			struct {
				int fd;
				short events, revents;
			} pfd = { fd, POLLOUT, 0 };

			host4(NR_ppoll, (long)&pfd, 1, 0, 0);
			continue;
		}
		if (r == -EINTR)
			continue;
		if (r <= 0)
			return false;
		buf += r;
		len -= (size_t)r;
	}
	return true;
}

static uint32_t proc_console_flush(struct pith_console *con)
{
	uint32_t off = 0, broken = 0;

	while (off + sizeof(struct pith_console_rec) <= con->used) {
		const struct pith_console_rec *rec = (const void *)(con->data + off);

		off += sizeof(*rec);
		if (!(broken & (1u << rec->fd)) &&
		    !write_all((int)rec->fd, con->data + off, rec->len))
			broken |= 1u << rec->fd;
		off += ALIGN_UP(rec->len, PITH_CONSOLE_ALIGN);
	}
	con->used = 0;
	return broken;
}

/*
 * The host waits, for NFDS (0 or 1) fds, up to timeout_ns (-1: no limit).
 * The timeout lives in the console page, where pith's signal handler
 * zeroes it when an outside signal arrives for the program: set, then
 * checked, then used by the host — a signal at any point in between
 * cannot leave the wait asleep.
 */
static long host_wait(void *fds, long nfds, long timeout_ns)
{
	struct pith_console *con = proc_con;

	if (timeout_ns < 0)
		timeout_ns = 1000000000L * 3600; /* no deadline: doze, then look again */
	__atomic_store_n(&con->wait_sec, timeout_ns / 1000000000, __ATOMIC_RELAXED);
	__atomic_store_n(&con->wait_nsec, timeout_ns % 1000000000, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (timeout_ns > 0 && __atomic_load_n(&con->arrived, __ATOMIC_RELAXED))
		return 0; /* a look that does not wait may still see what is ready */
	return host4(NR_ppoll, (long)fds, nfds, (long)&con->wait_sec, 0);
}

/* Is stdin readable (or ended, or broken) within timeout_ns (-1: wait)?
 * The host's revents go to *revents. */
static int stdin_ready(long timeout_ns, short *revents)
{
	struct {
		int fd;
		short events, revents;
	} pfd = { 0, POLLIN, 0 };
	long r = host_wait(&pfd, 1, timeout_ns);

	*revents = r > 0 ? pfd.revents : 0;
	return r > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL));
}

static long proc_read_stdin(void *buf, size_t len, bool *hup)
{
	short revents;
	long r;

	if (!stdin_ready(0, &revents))
		return -EAGAIN;
	*hup = revents & POLLHUP;
	do
		r = host3(NR_read, 0, (long)buf, (long)len);
	while (r == -EINTR);
	return r;
}

static long proc_tty(int fd, unsigned op, uint8_t termios[PITH_TERMIOS_SIZE])
{
	return host3(NR_ioctl, fd, op, (long)termios);
}

/* In part "fs" (fs/hostfs_process.c): the volume server, run here. */
extern void hostfs_process_call(struct pith_hc_vol *a) __attribute__((weak));

static void proc_vol(struct pith_hc_vol *a)
{
	if (hostfs_process_call)
		hostfs_process_call(a);
	else
		a->ret = -ENOSYS;
}

static uint64_t proc_clock_ns(enum plat_clock which)
{
	struct hts ts = { 0, 0 };
	int id = which == PLAT_CLOCK_REALTIME ? 0 : 1;

	if (vdso_cgt)
		vdso_cgt(id, &ts);
	else
		host3(NR_clock_gettime, id, (long)&ts, 0);
	return (uint64_t)ts.sec * 1000000000u + (uint64_t)ts.nsec;
}

static uint32_t proc_poll(uint64_t deadline_ns, uint32_t want, struct pith_console *con,
			  uint32_t *broken)
{
	uint64_t now;
	struct {
		int fd;
		short events, revents;
	} pfd[2];
	uint32_t bit[2], ready = 0;
	long timeout, n = 0, r;

	/* First, as a write to a full pipe may take a while. */
	if (con)
		*broken = proc_console_flush(con);
	now = proc_clock_ns(PLAT_CLOCK_MONOTONIC);
	if (deadline_ns == PITH_DEADLINE_NONE)
		timeout = -1;
	else
		timeout = deadline_ns > now ? (long)(deadline_ns - now) : 0;
	if (want & PITH_POLL_STDIN) {
		pfd[n].fd = 0, pfd[n].events = POLLIN, pfd[n].revents = 0;
		bit[n++] = PITH_POLL_STDIN;
	}
	if ((want & PITH_POLL_NET) && proc_net_fd >= 0) {
		pfd[n].fd = proc_net_fd, pfd[n].events = POLLIN, pfd[n].revents = 0;
		bit[n++] = PITH_POLL_NET;
	}
	r = host_wait(n ? pfd : 0, n, timeout);
	for (long i = 0; r > 0 && i < n; i++)
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
			ready |= bit[i];
	return ready;
}

static void proc_set_tls(uint64_t base)
{
	if (proc_flags & PITH_BOOT_FSGSBASE)
		__asm__ volatile("wrfsbase %0" : : "r"(base) : "memory");
	else
		host3(NR_arch_prctl, ARCH_SET_FS, (long)base, 0);
}

static _Noreturn void proc_exit(uint32_t reason, int status)
{
	/* No one drains the console after us: the process ends here. */
	proc_console_flush(proc_con);
	if (reason == PITH_EXIT_SIGNAL)
		status += PITH_EXIT_SIGBASE;
	else if (reason == PITH_EXIT_PANIC)
		status = PITH_EXIT_SIGBASE + 6; /* as SIGABRT, like hvt */
	for (;;)
		host3(NR_exit_group, status & 0xff, 0, 0);
}

const struct platform plat_process = {
	.name = "process",
	.init = proc_init,
	.console_flush = proc_console_flush,
	.read_stdin = proc_read_stdin,
	.poll = proc_poll,
	.clock_ns = proc_clock_ns,
	.tty = proc_tty,
	.vol = proc_vol,
	.set_tls = proc_set_tls,
	.exit = proc_exit,
};
