/*
 * plat_hvt.c — the platform binding for pith's KVM monitor (target hvt).
 *
 * The guest runs at CPL3. A hypercall is one `outl` of the GPA of its
 * argument struct to port PITH_HC_PORT_BASE + nr (include/pith/abi.h); each
 * costs one VM exit, so callers batch. Time is read from the TSC with the
 * scale the monitor measured: no exit.
 */
#include "platform.h"
#include "tsc.h"

static uint32_t hvt_flags;

static inline void hypercall(enum pith_hc nr, void *arg)
{
	uint32_t gpa = (uint32_t)((uintptr_t)arg - PITH_GUEST_BASE);
	__asm__ volatile("outl %0, %w1"
			 :
			 : "a"(gpa), "Nd"((uint16_t)(PITH_HC_PORT_BASE + nr))
			 : "memory");
}

static void hvt_init(const struct pith_boot *boot)
{
	hvt_flags = boot->flags;
	tsc_init(boot->tsc_hz, boot->tsc_base, boot->mono_base_ns, boot->wall_base_ns);
}

static uint32_t hvt_console_flush(struct pith_console *con)
{
	struct pith_hc_console arg = { 0 };

	if (con->used == 0)
		return 0;
	hypercall(PITH_HC_CONSOLE, &arg);
	con->used = 0;
	return arg.broken;
}

static long hvt_read_stdin(void *buf, size_t len, bool *hup)
{
	struct pith_hc_read arg = {
		.buf = (uintptr_t)buf - PITH_GUEST_BASE,
		.len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len,
		.fd = 0,
	};

	hypercall(PITH_HC_READ, &arg);
	*hup = arg.hup;
	return arg.ret;
}

/* The monitor drains the console whenever it is called here, so con
 * needs no word of its own. */
static uint32_t hvt_poll(uint64_t deadline_ns, uint32_t want, struct pith_console *con,
			 uint32_t *broken)
{
	struct pith_hc_poll arg = { .deadline_ns = deadline_ns, .want = want };

	hypercall(PITH_HC_POLL, &arg);
	if (con)
		*broken = arg.broken;
	return arg.ready;
}

static long hvt_tty(int fd, unsigned op, uint8_t termios[PITH_TERMIOS_SIZE])
{
	struct pith_hc_tty arg = { .fd = (uint32_t)fd, .op = op };

	memcpy(arg.termios, termios, PITH_TERMIOS_SIZE);
	hypercall(PITH_HC_TTY, &arg);
	memcpy(termios, arg.termios, PITH_TERMIOS_SIZE);
	return arg.ret;
}

static void hvt_vol(struct pith_hc_vol *a)
{
	hypercall(PITH_HC_VOL, a);
}

static uint64_t hvt_clock_ns(enum plat_clock which)
{
	return which == PLAT_CLOCK_REALTIME ? tsc_realtime_ns() : tsc_monotonic_ns();
}

static void hvt_set_tls(uint64_t base)
{
	struct pith_hc_set_fs arg = { .base = base };

	/* The monitor enables CR4.FSGSBASE where the CPU has it; else the
	 * monitor sets the base (one exit, once per program). */
	if (hvt_flags & PITH_BOOT_FSGSBASE)
		__asm__ volatile("wrfsbase %0" : : "r"(base) : "memory");
	else
		hypercall(PITH_HC_SET_FS, &arg);
}

static _Noreturn void hvt_exit(uint32_t reason, int status)
{
	struct pith_hc_exit arg = { .reason = reason, .status = status };

	for (;;)
		hypercall(PITH_HC_EXIT, &arg);
}

const struct platform plat_hvt = {
	.name = "hvt",
	.init = hvt_init,
	.console_flush = hvt_console_flush,
	.read_stdin = hvt_read_stdin,
	.poll = hvt_poll,
	.clock_ns = hvt_clock_ns,
	.tty = hvt_tty,
	.vol = hvt_vol,
	.set_tls = hvt_set_tls,
	.exit = hvt_exit,
};
