/*
 * hostile.c — a guest that misbehaves towards its host, one way per run:
 *   hostile MODE [N]
 *
 * Hypercall modes speak the hvt ABI (include/pith/abi.h) wrongly with raw
 * `outl`; privileged modes run instructions a CPL3 guest may not; syscall
 * modes make raw host system calls (the process target's sandbox). When
 * the host lets a hostile act pass, the program says so on stderr and
 * exits 42: the suite reads 42 as "the host did not stop it".
 *
 * The boot information (struct pith_boot) is found from argv[0]: the
 * argument strings live in the boot area, the same page as pith_boot,
 * which starts that page (monitor/layout.c).
 */
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <pith/abi.h>

#define SURVIVED   42
#define GPA(p)	   ((uint32_t)((uintptr_t)(p)-PITH_GUEST_BASE))
#define VA(gpa)	   ((void *)((uintptr_t)(gpa) + PITH_GUEST_BASE))
#define PAGE_UP(x) (((x) + 4095ul) & ~4095ul)

static const char *mode;
static struct pith_boot *boot;

/* Argument structs in the program's own data, 8-aligned as the ABI asks. */
static struct pith_hc_console hc_con __attribute__((aligned(16)));
static struct pith_hc_read hc_rd __attribute__((aligned(16)));
static struct pith_hc_poll hc_pl __attribute__((aligned(16)));
static struct pith_hc_exit hc_ex __attribute__((aligned(16)));
static uint8_t raw[64] __attribute__((aligned(16)));
static char buf[256] __attribute__((aligned(16)));

static _Noreturn void survived(const char *what)
{
	fprintf(stderr, "hostile %s: SURVIVED: %s\n", mode, what);
	exit(SURVIVED);
}

static void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port) : "memory");
}

static void hc(unsigned nr, uint32_t gpa)
{
	outl((uint16_t)(PITH_HC_PORT_BASE + nr), gpa);
}

static long raw_syscall(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static struct pith_boot *find_boot(char **argv)
{
	struct pith_boot *b = (void *)((uintptr_t)argv[0] & ~4095ul);

	if (b->abi_version != PITH_ABI_VERSION || b->args != (uintptr_t)argv[0]) {
		fprintf(stderr, "hostile: boot information not found\n");
		exit(2);
	}
	return b;
}

static struct pith_console *console(void)
{
	return (struct pith_console *)(uintptr_t)boot->console;
}

/* The hvt system area (GDT, TSS + I/O bitmap, page tables) starts at the
 * page after the console buffer, which ends the boot area. */
static uint64_t sys_gpa(void)
{
	struct pith_console *c = console();

	return PAGE_UP(GPA(c) + sizeof(*c) + c->size);
}

/* Write one console record at byte offset off; returns the next offset. */
static uint32_t put_rec(uint32_t off, uint32_t fd, const char *s)
{
	struct pith_console *c = console();
	struct pith_console_rec r = { fd, (uint32_t)strlen(s) };

	memcpy(c->data + off, &r, sizeof(r));
	memcpy(c->data + off + sizeof(r), s, r.len);
	return off + sizeof(r) + ((r.len + 7) & ~7u);
}

static void hc_exit(uint32_t reason, int32_t status)
{
	hc_ex.reason = reason;
	hc_ex.status = status;
	hc(PITH_HC_EXIT, GPA(&hc_ex));
}

/* Corrupt the console, then ask the host to drain it: by PITH_HC_CONSOLE
 * (how 0), PITH_HC_EXIT (1) or PITH_HC_POLL (2). */
static void bad_console(uint32_t used, uint32_t fd, uint32_t len, int how)
{
	struct pith_console *c = console();
	struct pith_console_rec r = { fd, len };

	memset(c->data, 'G', 64);
	memcpy(c->data, &r, sizeof(r));
	c->used = used;
	if (how == 1) {
		hc_exit(PITH_EXIT_NORMAL, 0);
	} else if (how == 2) {
		hc_pl = (struct pith_hc_poll){ .deadline_ns = 0 };
		hc(PITH_HC_POLL, GPA(&hc_pl));
	} else {
		hc(PITH_HC_CONSOLE, GPA(&hc_con));
	}
}

static void flood(unsigned long n)
{
	struct pith_console *c = console();
	struct pith_console_rec r = { 1, c->size - sizeof(r) };

	memcpy(c->data, &r, sizeof(r));
	memset(c->data + sizeof(r), 'F', r.len);
	c->used = c->size;
	for (unsigned long i = 0; i < n; i++)
		hc(PITH_HC_CONSOLE, GPA(&hc_con));
	c->used = 0;
}

static void big_output(void)
{
	static char line[1024];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (int i = 0; i < 8192; i++) /* 8 MiB */
		if (fwrite(line, 1, sizeof(line), stdout) != sizeof(line)) {
			fprintf(stderr, "hostile big: fwrite failed at line %d\n", i);
			exit(3);
		}
	fflush(stdout);
}

/* PITH_HC_VOL spoken wrongly (run with one volume, -v DIR:/v). */
static struct pith_hc_vol hc_vol __attribute__((aligned(16)));

static void vol_call(void)
{
	hc(PITH_HC_VOL, GPA(&hc_vol));
}

static void hostile_vol(void)
{
	uint64_t far = boot->mem_size + 4096;

	strcpy(buf, "given.txt");
	hc_vol.op = PITH_VOL_STAT;
	hc_vol.path = GPA(buf);
	hc_vol.path_len = (uint32_t)strlen(buf) + 1;
	if (!strcmp(mode, "vol_path_far")) {
		hc_vol.path = far;
	} else if (!strcmp(mode, "vol_path_wrap")) {
		hc_vol.path = UINT64_MAX - 4;
		hc_vol.path_len = 16;
	} else if (!strcmp(mode, "vol_path_unterminated")) {
		memset(buf, 'A', sizeof(buf));
		hc_vol.path_len = sizeof(buf);
	} else if (!strcmp(mode, "vol_path_huge")) {
		hc_vol.path_len = 1u << 20;
	} else if (!strcmp(mode, "vol_path2_far")) {
		hc_vol.op = PITH_VOL_RENAME;
		hc_vol.path2 = far;
		hc_vol.path2_len = 8;
	} else if (!strcmp(mode, "vol_buf_far")) {
		hc_vol.op = PITH_VOL_READ;
		hc_vol.handle = 0;
		hc_vol.buf = far;
		hc_vol.len = 4096;
	} else if (!strcmp(mode, "vol_buf_sysarea")) {
		hc_vol.op = PITH_VOL_GETDENTS;
		hc_vol.buf = sys_gpa();
		hc_vol.len = 64;
	} else if (!strcmp(mode, "vol_len_huge")) {
		hc_vol.op = PITH_VOL_READ;
		hc_vol.buf = GPA(buf);
		hc_vol.len = 1ull << 40;
	} else if (!strcmp(mode, "vol_op")) {
		hc_vol.op = 99;
	} else if (!strcmp(mode, "vol_flags")) {
		hc_vol.flags = 0x80000000u;
	} else if (!strcmp(mode, "vol_no_volume")) {
		hc_vol.vol = 7;
	} else if (!strcmp(mode, "vol_raw_openat2")) {
		/* Process target: the guest is host code and may call openat2
		 * itself, without RESOLVE_BENEATH, from its volume's root fd.
		 * Landlock must refuse what lies outside (EACCES). */
		struct {
			uint64_t flags, mode, resolve;
		} how = { 0, 0, 0 };
		const char *paths[] = { "/etc/passwd", "../../../../../../etc/passwd", "/" };

		for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			long r;
			register long r10 __asm__("r10") = sizeof(how);

			__asm__ volatile("syscall"
					 : "=a"(r)
					 : "a"(437L), "D"((long)boot->volumes[0].host_fd),
					   "S"(paths[i]), "d"(&how), "r"(r10)
					 : "rcx", "r11", "memory");
			if (r >= 0)
				survived(paths[i]);
			printf("openat2 %s: %ld\n", paths[i], r);
		}
		exit(0);
	} else if (!strcmp(mode, "vol_handles")) {
		/* Handles pith never gave: -EBADF, the guest runs on. */
		int32_t hs[] = { -1, 5000, INT32_MAX, INT32_MIN, 3 };

		for (unsigned i = 0; i < sizeof(hs) / sizeof(hs[0]); i++) {
			memset(&hc_vol, 0, sizeof(hc_vol));
			hc_vol.op = i % 2 ? PITH_VOL_CLOSE : PITH_VOL_FSTAT;
			hc_vol.handle = hs[i];
			vol_call();
			printf("handle %d: %lld\n", hs[i], (long long)hc_vol.ret);
		}
		exit(0);
	} else {
		fprintf(stderr, "hostile: no such mode %s\n", mode);
		exit(2);
	}
	vol_call();
	survived("a malformed volume call");
}

/*
 * The network rings spoken wrongly (tests/netdev runs these with a tap;
 * net_notify_* also without one). N is the value to plant.
 */
static struct pith_hc_net_notify hc_net __attribute__((aligned(16)));

static void net_notify(uint32_t which)
{
	hc_net.which = which;
	hc(PITH_HC_NET_NOTIFY, GPA(&hc_net));
}

static void hostile_net(unsigned long n)
{
	struct pith_net_ring *tx = (struct pith_net_ring *)(uintptr_t)boot->net.tx_ring;
	struct pith_net_ring *rx = (struct pith_net_ring *)(uintptr_t)boot->net.rx_ring;

	if (!strcmp(mode, "net_notify")) {
		net_notify((uint32_t)n);
		return;
	}
	if (!tx || !rx) {
		fprintf(stderr, "hostile %s: no network rings (run with --net)\n", mode);
		exit(2);
	}
	if (!strcmp(mode, "net_tx_prod")) {
		__atomic_store_n(&tx->prod, (uint32_t)n, __ATOMIC_RELEASE);
		net_notify(PITH_NET_NOTIFY_TX);
	} else if (!strcmp(mode, "net_rx_cons")) {
		__atomic_store_n(&rx->cons, (uint32_t)n, __ATOMIC_RELEASE);
		net_notify(PITH_NET_NOTIFY_RX);
	} else if (!strcmp(mode, "net_tx_cons")) {
		/* The monitor's own index: it never reads it back, but the
		 * vCPU thread's check sees the lie. */
		__atomic_store_n(&tx->cons, (uint32_t)n, __ATOMIC_RELEASE);
		net_notify(PITH_NET_NOTIFY_TX);
	} else if (!strcmp(mode, "net_tx_len")) {
		/* A slot length past the slot: the I/O thread finds it; the
		 * next hypercall stops the guest. */
		tx->slot[0].len = (uint32_t)n;
		__atomic_store_n(&tx->prod, 1, __ATOMIC_RELEASE);
		net_notify(PITH_NET_NOTIFY_TX);
		for (int i = 0; i < 500; i++) {
			hc_pl = (struct pith_hc_poll){ .deadline_ns = 0, .want = PITH_POLL_NET };
			hc(PITH_HC_POLL, GPA(&hc_pl));
			usleep(1000);
		}
	} else {
		fprintf(stderr, "hostile: unknown mode %s\n", mode);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	if (argc < 2) {
		fprintf(stderr, "usage: hostile MODE [N]\n");
		return 2;
	}
	mode = argv[1];
	boot = find_boot(argv);

	/* ---- hypercalls: unknown numbers, wrong access ---- */
	if (!strncmp(mode, "net_", 4)) {
		hostile_net(n);
		survived("the network rings");
	} else if (!strncmp(mode, "vol_", 4)) {
		hostile_vol();
	} else if (!strcmp(mode, "port0")) {
		hc(0, GPA(&hc_con));
	} else if (!strcmp(mode, "portmax")) {
		hc(PITH_HC_MAX, GPA(&hc_con));
	} else if (!strcmp(mode, "port200")) {
		hc(200, GPA(&hc_con));
	} else if (!strcmp(mode, "outb")) {
		__asm__ volatile("outb %b0, %w1"
				 :
				 : "a"(GPA(&hc_ex)),
				   "Nd"((uint16_t)(PITH_HC_PORT_BASE + PITH_HC_EXIT))
				 : "memory");
	} else if (!strcmp(mode, "inl")) {
		uint32_t v;

		__asm__ volatile("inl %w1, %0"
				 : "=a"(v)
				 : "Nd"((uint16_t)(PITH_HC_PORT_BASE + PITH_HC_EXIT))
				 : "memory");
		(void)v;
	} else if (!strcmp(mode, "outs")) {
		uint32_t v[4] = { GPA(&hc_ex), GPA(&hc_ex), GPA(&hc_ex), GPA(&hc_ex) };
		const void *src = v;
		unsigned long cnt = 4;

		hc_ex.reason = PITH_EXIT_NORMAL;
		hc_ex.status = 0;
		__asm__ volatile("rep outsl"
				 : "+S"(src), "+c"(cnt)
				 : "d"((uint16_t)(PITH_HC_PORT_BASE + PITH_HC_EXIT))
				 : "memory");
		/* ---- argument GPAs ---- */
	} else if (!strcmp(mode, "arg_memsize")) {
		hc(PITH_HC_CONSOLE, (uint32_t)boot->mem_size);
	} else if (!strcmp(mode, "arg_far")) {
		hc(PITH_HC_CONSOLE, 0xfffffff8u);
	} else if (!strcmp(mode, "arg_end")) {
		/* 8 bytes left: the 24-byte read struct crosses the end. */
		hc(PITH_HC_READ, (uint32_t)boot->mem_size - 8);
	} else if (!strcmp(mode, "arg_unaligned")) {
		/* A valid exit(0) struct, 4 bytes off: accepted, it would
		 * end the program with status 0. */
		uint32_t *p = (uint32_t *)raw;

		p[1] = PITH_EXIT_NORMAL;
		p[2] = 0;
		hc(PITH_HC_EXIT, GPA(raw) + 4);
	} else if (!strcmp(mode, "arg_sysarea")) {
		/* The argument struct inside the TSS I/O bitmap, at the byte
		 * for ports 0x600..0x607: a monitor that accepts it writes
		 * broken = 0 there and opens those ports. */
		hc(PITH_HC_CONSOLE, (uint32_t)(sys_gpa() + 4096 + 104 + 0x600 / 8));
		outl(0x600, 0);
		survived("hypercall argument in the system area");
		/* ---- read ---- */
	} else if (!strcmp(mode, "read_far")) {
		hc_rd = (struct pith_hc_read){ .buf = 0xfffffff0u, .len = 0x100, .fd = 0 };
		hc(PITH_HC_READ, GPA(&hc_rd));
	} else if (!strcmp(mode, "read_wrap")) {
		hc_rd = (struct pith_hc_read){ .buf = UINT64_MAX - 0x7f, .len = 0x100, .fd = 0 };
		hc(PITH_HC_READ, GPA(&hc_rd));
	} else if (!strcmp(mode, "read_end")) {
		hc_rd = (struct pith_hc_read){ .buf = boot->mem_size - 16, .len = 0x100, .fd = 0 };
		hc(PITH_HC_READ, GPA(&hc_rd));
	} else if (!strcmp(mode, "read_fd")) {
		hc_rd = (struct pith_hc_read){ .buf = GPA(buf), .len = 16, .fd = (uint32_t)n };
		hc(PITH_HC_READ, GPA(&hc_rd));
	} else if (!strcmp(mode, "efault_sysarea")) {
		/* The monitor's tables start at mem_end: not the program's, so
		 * a system call given a buffer there fails with EFAULT. */
		long w = syscall(SYS_write, 1, (void *)(uintptr_t)boot->mem_end, 16);
		int we = errno;
		long r = syscall(SYS_read, 0, (void *)(uintptr_t)boot->mem_end, 16);

		printf("write %ld %d read %ld %d\n", w, we, r, errno);
		return 0;
	} else if (!strcmp(mode, "read_ok")) {
		/* Control: a well-formed read of the host's stdin. */
		hc_rd = (struct pith_hc_read){ .buf = GPA(buf), .len = 16, .fd = 0, .ret = -1 };
		hc(PITH_HC_READ, GPA(&hc_rd));
		printf("read_ok ret=%lld\n", (long long)hc_rd.ret);
		return 0;
		/* ---- poll ---- */
	} else if (!strcmp(mode, "poll_want")) {
		hc_pl = (struct pith_hc_poll){ .deadline_ns = 0, .want = (uint32_t)n };
		hc(PITH_HC_POLL, GPA(&hc_pl));
		/* ---- exit ---- */
	} else if (!strcmp(mode, "exit_reason")) {
		hc_exit((uint32_t)n, 0);
	} else if (!strcmp(mode, "exit_signal")) {
		hc_exit(PITH_EXIT_SIGNAL, (int32_t)strtol(argv[2], NULL, 0));
		/* ---- console records ---- */
	} else if (!strcmp(mode, "con_used")) {
		bad_console(console()->size + 8, 1, 4, 0);
	} else if (!strcmp(mode, "con_usedmax")) {
		bad_console(UINT32_MAX, 1, 4, 0);
	} else if (!strcmp(mode, "con_fd0")) {
		bad_console(16, 0, 4, 0);
	} else if (!strcmp(mode, "con_fd5")) {
		bad_console(16, 5, 4, 0);
	} else if (!strcmp(mode, "con_len")) {
		bad_console(16, 1, 0xffffffffu, 0);
	} else if (!strcmp(mode, "con_len9")) {
		bad_console(16, 1, 9, 0);
	} else if (!strcmp(mode, "con_short")) {
		bad_console(4, 1, 0, 0);
	} else if (!strcmp(mode, "con_exit")) {
		bad_console(16, 7, 4, 1);
	} else if (!strcmp(mode, "con_poll")) {
		bad_console(16, 1, 0xffffffffu, 2);
	} else if (!strcmp(mode, "con_poll_good")) {
		/* A poll writes out the records and empties the buffer itself
		 * (the guest may never come back from it): each line once. */
		uint32_t off = put_rec(0, 1, "out-one\n");

		console()->used = put_rec(off, 2, "err-two\n");
		hc_pl = (struct pith_hc_poll){ .deadline_ns = 0 };
		hc(PITH_HC_POLL, GPA(&hc_pl));
		if (console()->used != 0 || hc_pl.broken != 0)
			return 3;
		console()->used = put_rec(0, 1, "out-three\n");
		hc(PITH_HC_CONSOLE, GPA(&hc_con));
		console()->used = 0;
		return 0;
	} else if (!strcmp(mode, "con_good")) {
		/* Control: records written by hand are honoured, in order. */
		uint32_t off = put_rec(0, 1, "out-one\n");

		off = put_rec(off, 2, "err-two\n");
		off = put_rec(off, 1, "out-three\n");
		console()->used = off;
		hc(PITH_HC_CONSOLE, GPA(&hc_con));
		console()->used = 0;
		return 0;
	} else if (!strcmp(mode, "flood")) {
		flood(n);
		return 0;
	} else if (!strcmp(mode, "big")) {
		big_output();
		return 0;
		/* ---- privileged instructions ---- */
	} else if (!strcmp(mode, "cli")) {
		__asm__ volatile("cli");
	} else if (!strcmp(mode, "hlt")) {
		__asm__ volatile("hlt");
	} else if (!strcmp(mode, "cr3")) {
		__asm__ volatile("mov %0, %%cr3" : : "r"(0ul) : "memory");
	} else if (!strcmp(mode, "wrmsr")) {
		/* IA32_LSTAR: where `syscall` would go. */
		__asm__ volatile("wrmsr" : : "c"(0xc0000082u), "a"(0), "d"(0));
	} else if (!strcmp(mode, "lgdt")) {
		struct __attribute__((packed)) {
			uint16_t limit;
			uint64_t base;
		} d = { 0, 0 };

		__asm__ volatile("lgdt %0" : : "m"(d) : "memory");
	} else if (!strcmp(mode, "iopl")) {
		/* POPF at CPL3 must leave IOPL alone; then a closed port. */
		__asm__ volatile("pushfq\n\t"
				 "orq $0x3000, (%%rsp)\n\t"
				 "popfq"
				 :
				 :
				 : "memory", "cc");
		outl(0x600, 0);
	} else if (!strcmp(mode, "tss_write")) {
		/* The I/O bitmap: supervisor-only, so the guest cannot open
		 * ports by writing it. */
		volatile uint8_t *iopb = VA(sys_gpa() + 4096 + 104);

		memset((void *)iopb, 0, 8192);
		outl(0x600, 0);
		/* ---- raw host system calls (process target sandbox) ---- */
	} else if (!strcmp(mode, "sys_ppoll_mask")) {
		/* A full signal mask would shut out pith's SIGTERM handler. */
		static unsigned long mask = ~0ul;
		static long ts[2] = { 0, 0 };
		register long r10 __asm__("r10") = (long)&mask;
		register long r8 __asm__("r8") = 8;
		long r;

		__asm__ volatile("syscall"
				 : "=a"(r)
				 : "a"(271), "D"(0), "S"(0), "d"((long)ts), "r"(r10), "r"(r8)
				 : "rcx", "r11", "memory");
		(void)r;
	} else if (!strcmp(mode, "sys_getpid")) {
		raw_syscall(39, 0, 0, 0);
	} else if (!strcmp(mode, "sys_openat")) {
		long fd = raw_syscall(257, -100 /* AT_FDCWD */, (long)"/etc/passwd", 0);

		fprintf(stderr, "openat returned %ld\n", fd);
	} else if (!strcmp(mode, "sys_socket")) {
		raw_syscall(41, 2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
	} else if (!strcmp(mode, "sys_execve")) {
		static char *const eargv[] = { "/bin/echo", "ESCAPED", NULL };

		raw_syscall(59, (long)"/bin/echo", (long)eargv, 0);
	} else if (!strcmp(mode, "sys_sigaction")) {
		/* Take back SIGSYS: the handler must stay. */
		static unsigned long act[4]; /* SIG_DFL */

		raw_syscall(13, 31 /* SIGSYS */, (long)act, 0);
	} else if (!strcmp(mode, "sys_mprotect")) {
		raw_syscall(10, (long)((uintptr_t)buf & ~4095ul), 4096, 7);
	} else if (!strcmp(mode, "sys_write1")) {
		/* Allowed: stdout, as the kernel itself writes it. */
		static const char msg[] = "raw write to fd 1\n";
		long r = raw_syscall(1, 1, (long)msg, sizeof(msg) - 1);

		return r == (long)sizeof(msg) - 1 ? 0 : 4;
	} else if (!strcmp(mode, "sys_write5")) {
		raw_syscall(1, 5, (long)"x", 1);
	} else if (!strcmp(mode, "sys_x32")) {
		raw_syscall(0x40000000 | 39, 0, 0, 0);
	} else if (!strcmp(mode, "int80")) {
		long r;

		/* i386 getpid through the 32-bit entry. */
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		(void)r;
	} else {
		fprintf(stderr, "hostile: unknown mode %s\n", mode);
		return 2;
	}
	survived("the host let it pass");
}
