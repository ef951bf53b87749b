/*
 * procfs_text.c — the texts of /proc's files (see procfs.h), made from
 * the kernel's own accounting: memory from kernel/mem.c and the image's
 * program headers, time from kernel/clock.c (the CPU time is all user
 * time), the processor from CPUID, the open files from the fd table.
 */
#include <stdarg.h>

#include "../kernel/arch/x86_64/cpuid.h"
#include "../kernel/clock.h"
#include "../kernel/mem.h"
#include "../posix/file.h"
#include "procfs.h"
#include "procfs_text.h"

#define O_CLOEXEC_K   02000000
#define O_LARGEFILE_K 0100000
#define PT_LOAD	      1
#define PF_X	      1
#define PF_W	      2
#define TICKS	      100 /* clock ticks a second: AT_CLKTCK */
#define NS	      1000000000ull

/* An ELF64 program header, as the host copied them into the boot area. */
struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct procfs_self procfs_self;

/* ---- text into a buffer ------------------------------------------------ */

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->cap)
		memcpy(o->buf + o->len, s, MIN(n, o->cap - o->len));
	o->len += n;
}

static void putf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct out *o, const char *fmt, ...)
{
	char line[KPRINTF_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	put(o, line, (size_t)n);
}

/* A path in mounts: space, tab, newline and backslash as octal, as Linux
 * writes them, so the fields stay apart. */
static void put_escaped(struct out *o, const char *s)
{
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			putf(o, "\\%03o", (unsigned)(unsigned char)*s);
		else
			put(o, s, 1);
}

/* ---- memory figures ------------------------------------------------------ */

static uint64_t kb(uint64_t bytes)
{
	return bytes >> 10;
}

static uint64_t stack_bytes(void)
{
	return procfs_self.boot->mem_end - procfs_self.boot->stack_bottom;
}

/* Memory handed out of the free region: heap and mappings (the
 * kernel's own objects among them). */
static uint64_t used_bytes(void)
{
	return mem_total_bytes() - mem_free_bytes();
}

/* Every byte of the program's address space is backed: size and
 * resident set are the same. */
static uint64_t vm_bytes(void)
{
	return procfs_self.image_bytes + used_bytes() + stack_bytes();
}

/* ---- the files ------------------------------------------------------------ */

static void show_status(struct out *o)
{
	uint64_t vm = kb(vm_bytes());

	putf(o, "Name:\t%s\nUmask:\t%04o\nState:\tR (running)\n", procfs_self.comm, fs_umask());
	putf(o, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t0\nTracerPid:\t0\n", PITH_PID, PITH_PID);
	putf(o, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t \n", NOFILE);
	putf(o, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", PITH_PID, PITH_PID, PITH_PID,
	     PITH_PID);
	putf(o, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8d kB\nVmPin:\t%8d kB\n",
	     (unsigned long)vm, (unsigned long)vm, 0, 0);
	putf(o, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", (unsigned long)vm, (unsigned long)vm);
	putf(o, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8d kB\n",
	     (unsigned long)kb(used_bytes() + stack_bytes() + procfs_self.data_bytes),
	     (unsigned long)kb(procfs_self.image_bytes - procfs_self.data_bytes), 0);
	putf(o, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n",
	     (unsigned long)kb(used_bytes() + procfs_self.data_bytes),
	     (unsigned long)kb(stack_bytes()), (unsigned long)kb(procfs_self.text_bytes));
	putf(o, "VmLib:\t%8d kB\nVmPTE:\t%8d kB\nVmSwap:\t%8d kB\n", 0, 0, 0);
	/* Signal masks are not shown: they live in posix/sys_signal.c. */
	putf(o, "Threads:\t1\nSigQ:\t0/%d\n", NSIG_MAX - 1);
	putf(o, "SigPnd:\t%016x\nShdPnd:\t%016x\nSigBlk:\t%016x\nSigIgn:\t%016x\nSigCgt:\t%016x\n",
	     0, 0, 0, 0, 0);
	putf(o, "CapInh:\t%016x\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n", 0);
	putf(o, "CapBnd:\t000001ffffffffff\nCapAmb:\t%016x\nNoNewPrivs:\t0\nSeccomp:\t0\n", 0);
	putf(o, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n");
	putf(o, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
}

/* The 52 fields of Linux 6's stat line, in its order. */
static void show_stat(struct out *o)
{
	uint64_t heap_lo, brk, env_start = (uintptr_t)procfs_self.args + procfs_self.argv_len;

	mem_heap(&heap_lo, &brk);
	putf(o, "%d (%s) R 0 %d %d 0 -1 4194304 0 0 0 0 ", PITH_PID, procfs_self.comm, PITH_PID,
	     PITH_PID);
	putf(o, "%lu 0 0 0 20 0 1 0 0 ", (unsigned long)(clock_cputime() / (NS / TICKS)));
	putf(o, "%lu %lu 18446744073709551615 ", (unsigned long)vm_bytes(),
	     (unsigned long)(vm_bytes() / PAGE_SIZE));
	putf(o, "%lu %lu %lu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 ", (unsigned long)procfs_self.text_lo,
	     (unsigned long)procfs_self.text_hi, (unsigned long)procfs_self.boot->stack_top);
	putf(o, "%lu %lu %lu ", (unsigned long)procfs_self.data_lo,
	     (unsigned long)procfs_self.data_hi, (unsigned long)heap_lo);
	putf(o, "%lu %lu %lu %lu 0\n", (unsigned long)(uintptr_t)procfs_self.args,
	     (unsigned long)env_start, (unsigned long)env_start,
	     (unsigned long)(env_start + procfs_self.env_len));
}

static void show_statm(struct out *o)
{
	putf(o, "%lu %lu 0 %lu 0 %lu 0\n", (unsigned long)(vm_bytes() / PAGE_SIZE),
	     (unsigned long)(vm_bytes() / PAGE_SIZE),
	     (unsigned long)(procfs_self.text_bytes / PAGE_SIZE),
	     (unsigned long)((used_bytes() + procfs_self.data_bytes + stack_bytes()) / PAGE_SIZE));
}

/* One maps line; a named one pads the name to column 73, as Linux. */
static void map_line(struct out *o, uint64_t lo, uint64_t hi, const char *perms, uint64_t off,
		     const char *name)
{
	char line[80];
	int n = ksnprintf(line, sizeof(line), "%08lx-%08lx %s %08lx 00:00 0 ", (unsigned long)lo,
			  (unsigned long)hi, perms, (unsigned long)off);

	put(o, line, (size_t)n);
	if (name) {
		for (; n < 73; n++)
			put(o, " ", 1);
		put(o, name, strlen(name));
	}
	put(o, "\n", 1);
}

static void show_maps(struct out *o)
{
	uint64_t heap_lo, brk, at, end;

	for (uint32_t i = 0; i < procfs_self.boot->phnum; i++) {
		const struct phdr *ph = (const struct phdr *)(uintptr_t)procfs_self.boot->phdr + i;

		if (ph->type != PT_LOAD)
			continue;
		map_line(o, ALIGN_DOWN(ph->vaddr, PAGE_SIZE),
			 ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE),
			 ph->flags & PF_X   ? "r-xp"
			 : ph->flags & PF_W ? "rw-p"
					    : "r--p",
			 ALIGN_DOWN(ph->offset, PAGE_SIZE), procfs_self.exe);
	}
	mem_heap(&heap_lo, &brk);
	at = ALIGN_UP(brk, PAGE_SIZE);
	if (at > heap_lo)
		map_line(o, heap_lo, at, "rw-p", 0, "[heap]");
	/* Anonymous mappings: the program's, and the pages the kernel's
	 * objects and pipe buffers take from the same memory. */
	while (mem_next_mapping(&at, &end)) {
		map_line(o, at, end, "rw-p", 0, NULL);
		at = end;
	}
	/* The stack, and above it what Linux also counts as stack: the
	 * argument and environment strings. */
	map_line(o, procfs_self.boot->stack_bottom, procfs_self.boot->mem_end, "rw-p", 0,
		 "[stack]");
}

static void show_mounts(struct out *o)
{
	const struct pith_boot *b = procfs_self.boot;

	putf(o, "rootfs / ramfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n");
	for (uint32_t i = 0; i < MIN(b->nvolumes, (uint32_t)PITH_VOLUMES_MAX); i++) {
		char path[PITH_VOL_PATH_MAX];

		memcpy(path, b->volumes[i].path, sizeof(path));
		path[sizeof(path) - 1] = '\0';
		putf(o, "volume%u ", i);
		put_escaped(o, path);
		putf(o, " hostfs %s 0 0\n", b->volumes[i].flags & PITH_VOL_RO ? "ro" : "rw");
	}
}

static void show_meminfo(struct out *o)
{
	static const char *const zero[] = { "Buffers:",	  "Cached:",	     "SwapCached:",
					    "SwapTotal:", "SwapFree:",	     "Dirty:",
					    "Shmem:",	  "HugePages_Total:" };
	uint64_t free = kb(mem_free_bytes());

	putf(o, "%-16s%8lu kB\n", "MemTotal:", (unsigned long)kb(procfs_self.boot->mem_size));
	putf(o, "%-16s%8lu kB\n", "MemFree:", (unsigned long)free);
	putf(o, "%-16s%8lu kB\n", "MemAvailable:", (unsigned long)free);
	for (size_t i = 0; i < ARRAY_SIZE(zero) - 1; i++)
		putf(o, "%-16s%8d kB\n", zero[i], 0);
	putf(o, "%-16s%8d\n", zero[ARRAY_SIZE(zero) - 1], 0);
}

static void show_cpuinfo(struct out *o)
{
	static const struct {
		uint8_t reg, bit; /* leaf 1: 2 ecx, 3 edx; leaf 7: 1 ebx */
		const char *name;
	} flags[] = {
		{ 3, 0, "fpu" },     { 3, 4, "tsc" },	    { 3, 8, "cx8" },	 { 3, 15, "cmov" },
		{ 3, 23, "mmx" },    { 3, 24, "fxsr" },	    { 3, 25, "sse" },	 { 3, 26, "sse2" },
		{ 2, 0, "pni" },     { 2, 1, "pclmulqdq" }, { 2, 9, "ssse3" },	 { 2, 12, "fma" },
		{ 2, 13, "cx16" },   { 2, 19, "sse4_1" },   { 2, 20, "sse4_2" }, { 2, 22, "movbe" },
		{ 2, 23, "popcnt" }, { 2, 25, "aes" },	    { 2, 26, "xsave" },	 { 2, 28, "avx" },
		{ 2, 30, "rdrand" }, { 1, 3, "bmi1" },	    { 1, 5, "avx2" },	 { 1, 8, "bmi2" },
		{ 1, 9, "erms" },
	};
	uint32_t v[4], id[4], l7[4] = { 0 }, name[13] = { 0 }, family, model;

	arch_cpuid(0, v);
	id[0] = v[1], id[1] = v[3], id[2] = v[2], id[3] = 0; /* "GenuineIntel" */
	if (v[0] >= 7)
		arch_cpuid(7, l7);
	arch_cpuid(0x80000000, v);
	if (v[0] >= 0x80000004)
		for (uint32_t i = 0; i < 3; i++)
			arch_cpuid(0x80000002 + i, name + 4 * i);
	arch_cpuid(1, v);
	family = (v[0] >> 8) & 0xf;
	model = (v[0] >> 4) & 0xf;
	if (family == 0xf)
		family += (v[0] >> 20) & 0xff;
	if (family >= 6)
		model |= ((v[0] >> 16) & 0xf) << 4;
	putf(o, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n",
	     (const char *)id, family, model);
	putf(o, "model name\t: %s\nstepping\t: %u\n", name[0] ? (const char *)name : "unknown",
	     v[0] & 0xf);
	if (procfs_self.boot->tsc_hz)
		putf(o, "cpu MHz\t\t: %lu.%03lu\n",
		     (unsigned long)(procfs_self.boot->tsc_hz / 1000000),
		     (unsigned long)(procfs_self.boot->tsc_hz / 1000 % 1000));
	putf(o, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n");
	putf(o, "apicid\t\t: 0\nfpu\t\t: yes\nflags\t\t:");
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		uint32_t reg = flags[i].reg == 1 ? l7[1] : v[flags[i].reg];

		if (reg & (1u << flags[i].bit))
			putf(o, " %s", flags[i].name);
	}
	putf(o, "\naddress sizes\t: 48 bits virtual\n\n");
}

/* Seconds with two decimals, as uptime and loadavg write them. */
static void put_centis(struct out *o, uint64_t ns, const char *after)
{
	putf(o, "%lu.%02lu%s", (unsigned long)(ns / NS), (unsigned long)(ns / (NS / 100) % 100),
	     after);
}

static void show_uptime(struct out *o)
{
	uint64_t up = clock_monotonic() - clock_boot_ns(), cpu = clock_cputime();

	put_centis(o, up, " ");
	put_centis(o, up > cpu ? up - cpu : 0, "\n"); /* idle: the one CPU's sleep */
}

static void show_fdinfo(struct out *o, int fd)
{
	struct file *f = fd_file(fd);

	if (!f)
		return; /* closed since the name was made */
	/* Linux opens every file by path with O_LARGEFILE on x86-64. */
	putf(o, "pos:\t%lu\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n", (unsigned long)f->pos,
	     (unsigned)f->flags | (fd_cloexec(fd) ? O_CLOEXEC_K : 0) |
		     (f->ops->lseek ? O_LARGEFILE_K : 0),
	     f->ops->lseek ? 1 : 0, (unsigned long)f->ino);
}

void procfs_show(struct inode *ip, struct out *o)
{
	switch (ip->proc) {
	case P_CMDLINE:
		put(o, procfs_self.args, procfs_self.argv_len);
		break;
	case P_ENVIRON:
		put(o, procfs_self.args + procfs_self.argv_len, procfs_self.env_len);
		break;
	case P_COMM:
		putf(o, "%s\n", procfs_self.comm);
		break;
	case P_STATUS:
		show_status(o);
		break;
	case P_STAT:
		show_stat(o);
		break;
	case P_STATM:
		show_statm(o);
		break;
	case P_MAPS:
		show_maps(o);
		break;
	case P_MOUNTS:
		show_mounts(o);
		break;
	case P_FDINFO_FILE:
		show_fdinfo(o, ip->proc_fd);
		break;
	case P_MEMINFO:
		show_meminfo(o);
		break;
	case P_CPUINFO:
		show_cpuinfo(o);
		break;
	case P_UPTIME:
		show_uptime(o);
		break;
	case P_LOADAVG:
		/* No load average is kept: the one process is running. */
		putf(o, "0.00 0.00 0.00 1/1 %d\n", PITH_PID);
		break;
	case P_VERSION:
		putf(o, "Linux version %s (pith) %s\n", PITH_UNAME_RELEASE, PITH_UNAME_VERSION);
		break;
	case P_FILESYSTEMS:
		putf(o, "nodev\tramfs\nnodev\tproc\nnodev\thostfs\n");
		break;
	case P_HOSTNAME:
		putf(o, "%s\n", posix_conf.hostname[0] ? posix_conf.hostname : "pith");
		break;
	case P_OSTYPE:
		putf(o, "Linux\n");
		break;
	case P_OSRELEASE:
		putf(o, "%s\n", PITH_UNAME_RELEASE);
		break;
	}
}

/* argv[0] as an absolute path from "/", where the program starts, with
 * "." and ".." taken out; "/" + "unknown" when there is no argv[0]. */
static void exe_path(const char *arg0)
{
	size_t n = 0;

	if (!arg0 || !*arg0)
		arg0 = "unknown";
	for (const char *p = arg0; *p;) {
		const char *name;
		size_t len;

		while (*p == '/')
			p++;
		name = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - name);
		if (len == 0 || (len == 1 && name[0] == '.'))
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			while (n > 0 && procfs_self.exe[--n] != '/')
				; /* back to the slash before the last name */
			continue;
		}
		if (n + 1 + len + 1 > sizeof(procfs_self.exe))
			break;
		procfs_self.exe[n++] = '/';
		memcpy(procfs_self.exe + n, name, len);
		n += len;
	}
	if (n == 0)
		procfs_self.exe[n++] = '/';
	procfs_self.exe[n] = '\0';
}

void procfs_self_init(const struct pith_boot *boot)
{
	const char *s, *base, *arg0;

	procfs_self.boot = boot;
	procfs_self.args = (const char *)(uintptr_t)boot->args;
	s = procfs_self.args;
	for (uint32_t i = 0; i < boot->argc + boot->envc; i++) {
		size_t n = strlen(s) + 1;

		if (i < boot->argc)
			procfs_self.argv_len += n;
		else
			procfs_self.env_len += n;
		s += n;
	}
	arg0 = boot->argc ? procfs_self.args : "";
	base = arg0;
	for (const char *p = arg0; *p; p++)
		if (*p == '/' && p[1])
			base = p + 1;
	memcpy(procfs_self.comm, base,
	       MIN(strnlen(base, sizeof(procfs_self.comm) - 1), sizeof(procfs_self.comm) - 1));
	exe_path(boot->argc ? arg0 : NULL);
	procfs_self.text_lo = UINT64_MAX;
	for (uint32_t i = 0; i < boot->phnum; i++) {
		const struct phdr *ph = (const struct phdr *)(uintptr_t)boot->phdr + i;
		uint64_t lo = ALIGN_DOWN(ph->vaddr, PAGE_SIZE);
		uint64_t hi = ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE);

		if (ph->type != PT_LOAD)
			continue;
		procfs_self.image_bytes += hi - lo;
		if (ph->flags & PF_X) {
			procfs_self.text_lo = MIN(procfs_self.text_lo, lo),
			procfs_self.text_hi = MAX(procfs_self.text_hi, hi);
			procfs_self.text_bytes += hi - lo;
		} else if (ph->flags & PF_W) {
			procfs_self.data_lo = lo, procfs_self.data_hi = hi;
			procfs_self.data_bytes += hi - lo;
		}
	}
	if (procfs_self.text_lo == UINT64_MAX)
		procfs_self.text_lo = 0;
}
