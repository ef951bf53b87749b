/*
 * procfs.c — /proc (see procfs.h): the tree made at boot, the entries
 * that follow the fd table, and the text of each file.
 *
 * The one process is PITH_PID, its one thread PITH_TID: /proc/self and
 * /proc/thread-self lead to /proc/1 and /proc/1/task/1, which hold the
 * same files. Figures come from the kernel's own accounting: memory from
 * kernel/mem.c and the image's program headers, time from kernel/clock.c
 * (the CPU time is all user time), the processor from CPUID.
 */
#include <stdarg.h>

#include "../kernel/arch/x86_64/cpuid.h"
#include "../kernel/clock.h"
#include "../kernel/kalloc.h"
#include "../kernel/mem.h"
#include "../posix/file.h"
#include "hostfs.h"
#include "procfs.h"

#define O_ACCMODE_K   3
#define O_CLOEXEC_K   02000000
#define O_LARGEFILE_K 0100000
#define SEEK_SET_K    0
#define SEEK_CUR_K    1
#define PT_LOAD	      1
#define PF_X	      1
#define PF_W	      2
#define TICKS	      100 /* clock ticks a second: AT_CLKTCK */
#define NS	      1000000000ull

/* What an inode shows (inode.proc). Files from P_PID_FILES on live
 * under /proc/PID, from P_TOP_FILES on at the top, from P_SYS_FILES on
 * under /proc/sys: a write fails with EINVAL, EIO, EPERM respectively. */
enum {
	P_DIR = 1, /* a directory that never changes */
	P_PID,	   /* /proc/PID, /proc/PID/task/TID: cwd follows chdir */
	P_FD,	   /* /proc/PID/fd: a link per open fd */
	P_FDINFO,  /* /proc/PID/fdinfo: a file per open fd */
	P_LINK,	   /* a link whose target never changes */
	P_CWD,
	P_FDLINK,
	P_PID_FILES,
	P_CMDLINE = P_PID_FILES,
	P_COMM,
	P_ENVIRON,
	P_STATUS,
	P_STAT,
	P_STATM,
	P_MAPS,
	P_MOUNTS,
	P_FDINFO_FILE,
	P_TOP_FILES,
	P_MEMINFO = P_TOP_FILES,
	P_CPUINFO,
	P_UPTIME,
	P_LOADAVG,
	P_VERSION,
	P_FILESYSTEMS,
	P_SYS_FILES,
	P_HOSTNAME = P_SYS_FILES,
	P_OSTYPE,
	P_OSRELEASE,
};

/* An ELF64 program header, as the host copied them into the boot area. */
struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* What the files show of the boot information, taken at boot: the boot
 * area is the program's to write, so lengths are not read from it again. */
static struct {
	const struct pith_boot *boot;
	const char *args;   /* argv strings, then envp strings */
	size_t argv_len;    /* bytes of argv's strings with their NULs */
	size_t env_len;	    /* and of envp's */
	char comm[16];	    /* the program's name, as Linux's task comm */
	char exe[PATH_MAX]; /* argv[0] made absolute */
	uint64_t text_lo, text_hi, data_lo, data_hi, image_bytes, text_bytes, data_bytes;
} P;

/* ---- text into a buffer ------------------------------------------------ */

/* Text made for one open: len may pass cap, and then the maker runs
 * again with a buffer that fits. */
struct out {
	char *buf;
	size_t cap, len;
};

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
	return P.boot->mem_end - P.boot->stack_bottom;
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
	return P.image_bytes + used_bytes() + stack_bytes();
}

/* ---- the files ------------------------------------------------------------ */

static void show_status(struct out *o)
{
	uint64_t vm = kb(vm_bytes());

	putf(o, "Name:\t%s\nUmask:\t%04o\nState:\tR (running)\n", P.comm, fs_umask());
	putf(o, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t0\nTracerPid:\t0\n", PITH_PID, PITH_PID);
	putf(o, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t \n", NOFILE);
	putf(o, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", PITH_PID, PITH_PID, PITH_PID,
	     PITH_PID);
	putf(o, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8d kB\nVmPin:\t%8d kB\n",
	     (unsigned long)vm, (unsigned long)vm, 0, 0);
	putf(o, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", (unsigned long)vm, (unsigned long)vm);
	putf(o, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8d kB\n",
	     (unsigned long)kb(used_bytes() + stack_bytes() + P.data_bytes),
	     (unsigned long)kb(P.image_bytes - P.data_bytes), 0);
	putf(o, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n",
	     (unsigned long)kb(used_bytes() + P.data_bytes), (unsigned long)kb(stack_bytes()),
	     (unsigned long)kb(P.text_bytes));
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
	uint64_t heap_lo, brk, env_start = (uintptr_t)P.args + P.argv_len;

	mem_heap(&heap_lo, &brk);
	putf(o, "%d (%s) R 0 %d %d 0 -1 4194304 0 0 0 0 ", PITH_PID, P.comm, PITH_PID, PITH_PID);
	putf(o, "%lu 0 0 0 20 0 1 0 0 ", (unsigned long)(clock_cputime() / (NS / TICKS)));
	putf(o, "%lu %lu 18446744073709551615 ", (unsigned long)vm_bytes(),
	     (unsigned long)(vm_bytes() / PAGE_SIZE));
	putf(o, "%lu %lu %lu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 ", (unsigned long)P.text_lo,
	     (unsigned long)P.text_hi, (unsigned long)P.boot->stack_top);
	putf(o, "%lu %lu %lu ", (unsigned long)P.data_lo, (unsigned long)P.data_hi,
	     (unsigned long)heap_lo);
	putf(o, "%lu %lu %lu %lu 0\n", (unsigned long)(uintptr_t)P.args, (unsigned long)env_start,
	     (unsigned long)env_start, (unsigned long)(env_start + P.env_len));
}

static void show_statm(struct out *o)
{
	putf(o, "%lu %lu 0 %lu 0 %lu 0\n", (unsigned long)(vm_bytes() / PAGE_SIZE),
	     (unsigned long)(vm_bytes() / PAGE_SIZE), (unsigned long)(P.text_bytes / PAGE_SIZE),
	     (unsigned long)((used_bytes() + P.data_bytes + stack_bytes()) / PAGE_SIZE));
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

	for (uint32_t i = 0; i < P.boot->phnum; i++) {
		const struct phdr *ph = (const struct phdr *)(uintptr_t)P.boot->phdr + i;

		if (ph->type != PT_LOAD)
			continue;
		map_line(o, ALIGN_DOWN(ph->vaddr, PAGE_SIZE),
			 ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE),
			 ph->flags & PF_X   ? "r-xp"
			 : ph->flags & PF_W ? "rw-p"
					    : "r--p",
			 ALIGN_DOWN(ph->offset, PAGE_SIZE), P.exe);
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
	map_line(o, P.boot->stack_bottom, P.boot->mem_end, "rw-p", 0, "[stack]");
}

static void show_mounts(struct out *o)
{
	const struct pith_boot *b = P.boot;

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

	putf(o, "%-16s%8lu kB\n", "MemTotal:", (unsigned long)kb(P.boot->mem_size));
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
	if (P.boot->tsc_hz)
		putf(o, "cpu MHz\t\t: %lu.%03lu\n", (unsigned long)(P.boot->tsc_hz / 1000000),
		     (unsigned long)(P.boot->tsc_hz / 1000 % 1000));
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

static void show(struct inode *ip, struct out *o)
{
	switch (ip->proc) {
	case P_CMDLINE:
		put(o, P.args, P.argv_len);
		break;
	case P_ENVIRON:
		put(o, P.args + P.argv_len, P.env_len);
		break;
	case P_COMM:
		putf(o, "%s\n", P.comm);
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

/* ---- open files: a snapshot each ----------------------------------------- */

struct snap {
	struct inode *ip;
	size_t len, cap;
	char text[];
};

static struct snap *snap_of(struct file *f)
{
	return f->priv;
}

static long proc_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
	struct snap *s = snap_of(f);
	size_t n;

	if (off >= s->len)
		return 0;
	n = MIN(len, s->len - (size_t)off);
	memcpy(buf, s->text + off, n);
	return (long)n;
}

static long proc_read(struct file *f, void *buf, size_t len)
{
	long r = proc_pread(f, buf, len, f->pos);

	if (r > 0)
		f->pos += (uint64_t)r;
	return r;
}

static long proc_write(struct file *f, const void *buf, size_t len)
{
	uint8_t kind = snap_of(f)->ip->proc;

	if (kind == P_COMM) {
		/* As Linux: up to 15 bytes become the name, newline and all. */
		size_t n = MIN(len, sizeof(P.comm) - 1);

		memcpy(P.comm, buf, n);
		P.comm[n] = '\0';
		return (long)len;
	}
	return kind >= P_SYS_FILES ? -EPERM : kind >= P_TOP_FILES ? -EIO : -EINVAL;
}

static long proc_pwrite(struct file *f, const void *buf, size_t len, uint64_t off)
{
	(void)off;
	return proc_write(f, buf, len);
}

static long proc_lseek(struct file *f, long off, int whence)
{
	int64_t base;

	if (whence != SEEK_SET_K && whence != SEEK_CUR_K)
		return -EINVAL; /* as Linux's seq files: no SEEK_END */
	base = whence == SEEK_SET_K ? 0 : (int64_t)f->pos;
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

static short proc_poll(struct file *f)
{
	(void)f;
	return 0x001 | 0x004; /* POLLIN | POLLOUT */
}

static void proc_stat(struct file *f, struct kstat *st)
{
	struct inode *ip = snap_of(f)->ip;

	st->dev = PROCFS_DEV;
	st->ino = ip->ino;
	st->mode = ip->mode;
	st->nlink = 1;
	st->size = 0; /* as Linux: the size is not known until read */
	st->atime = ip->atime / NS, st->atime_ns = ip->atime % NS;
	st->mtime = ip->mtime / NS, st->mtime_ns = ip->mtime % NS;
	st->ctime = ip->ctime / NS, st->ctime_ns = ip->ctime % NS;
}

static void proc_release(struct file *f)
{
	struct snap *s = snap_of(f);

	vfs_close(s->ip);
	kfree(s, sizeof(*s) + s->cap);
}

static long proc_name(struct file *f, char *buf, size_t size)
{
	long n = vfs_name_of(snap_of(f)->ip, buf, size);

	return n < 0 ? n : n - 1;
}

static const struct file_ops proc_ops = {
	.read = proc_read,
	.write = proc_write,
	.poll = proc_poll,
	.stat = proc_stat,
	.lseek = proc_lseek,
	.pread = proc_pread,
	.pwrite = proc_pwrite,
	.release = proc_release,
	.name = proc_name,
};

long procfs_open(struct inode *ip, int flags)
{
	size_t cap = 1024;
	struct snap *s;
	struct file *f;
	long fd;

	/* Make the text; if it did not fit, again with room to spare (the
	 * bigger buffer may itself add a line to maps). */
	for (;;) {
		struct out o;

		s = kalloc(sizeof(*s) + cap);
		if (!s)
			return -ENOMEM;
		o = (struct out){ s->text, cap, 0 };
		show(ip, &o);
		if (o.len <= cap) {
			s->len = o.len;
			break;
		}
		kfree(s, sizeof(*s) + cap);
		cap = o.len + o.len / 2 + 256;
	}
	s->ip = ip;
	s->cap = cap;
	f = file_alloc(&proc_ops, flags & (O_ACCMODE_K | 02000 | 04000), s);
	if (!f) {
		kfree(s, sizeof(*s) + cap);
		return -ENFILE;
	}
	f->ino = ip->ino;
	ip->opens++;
	ip->atime = clock_realtime();
	fd = fd_install(f, 0, flags & O_CLOEXEC_K);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* ---- the tree -------------------------------------------------------------- */

/* A new inode in dir, which is read-only to the program but not to us. */
static struct inode *add(struct inode *dir, const char *name, uint32_t mode, uint8_t kind,
			 uint64_t cookie)
{
	struct inode *ip;
	bool was_ro = dir->ro;
	long r;

	dir->ro = false;
	r = vfs_create_at(dir, name, strlen(name), mode, cookie, &ip);
	dir->ro = was_ro;
	if (r < 0)
		return NULL;
	ip->proc = kind;
	ip->ro = !S_ISLNK(mode); /* a link's target is ours to free */
	return ip;
}

/* Set a link's target; false when memory ran out. */
static bool retarget(struct inode *ip, const char *target, size_t len)
{
	if (ip->data && ip->size == len && memcmp(ip->data, target, len) == 0)
		return true;
	vfs_free_data(ip);
	ip->size = 0;
	return vfs_set_target(ip, target, len) == 0;
}

static struct inode *add_link(struct inode *dir, const char *name, const char *target, uint8_t kind)
{
	struct inode *ip = add(dir, name, S_IFLNK | 0777, kind, 0);

	if (!ip || !retarget(ip, target, strlen(target)))
		panic("no memory for /proc");
	return ip;
}

static struct inode *add_node(struct inode *dir, const char *name, uint32_t mode, uint8_t kind)
{
	struct inode *ip = add(dir, name, mode, kind, 0);

	if (!ip)
		panic("no memory for /proc");
	return ip;
}

/* The files of /proc/PID and of /proc/PID/task/TID. */
static struct inode *add_process(struct inode *dir, const char *name)
{
	struct inode *p = add_node(dir, name, S_IFDIR | 0555, P_PID);

	add_node(p, "cmdline", S_IFREG | 0444, P_CMDLINE);
	add_node(p, "comm", S_IFREG | 0644, P_COMM);
	add_link(p, "cwd", "/", P_CWD);
	add_node(p, "environ", S_IFREG | 0400, P_ENVIRON);
	add_link(p, "exe", P.exe, P_LINK);
	add_node(p, "fd", S_IFDIR | 0500, P_FD);
	add_node(p, "fdinfo", S_IFDIR | 0500, P_FDINFO);
	add_node(p, "maps", S_IFREG | 0444, P_MAPS);
	add_node(p, "mounts", S_IFREG | 0444, P_MOUNTS);
	add_link(p, "root", "/", P_LINK);
	add_node(p, "stat", S_IFREG | 0444, P_STAT);
	add_node(p, "statm", S_IFREG | 0444, P_STATM);
	add_node(p, "status", S_IFREG | 0444, P_STATUS);
	return p;
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
			while (n > 0 && P.exe[--n] != '/')
				; /* back to the slash before the last name */
			continue;
		}
		if (n + 1 + len + 1 > sizeof(P.exe))
			break;
		P.exe[n++] = '/';
		memcpy(P.exe + n, name, len);
		n += len;
	}
	if (n == 0)
		P.exe[n++] = '/';
	P.exe[n] = '\0';
}

void procfs_init(struct inode *root, const struct pith_boot *boot)
{
	struct inode *proc, *task, *sys;
	const char *s, *base, *arg0;
	char pid[12], thread[24];

	if (vfs_lookup_in(root, "proc", 4))
		return; /* the image brings its own */
	P.boot = boot;
	P.args = (const char *)(uintptr_t)boot->args;
	s = P.args;
	for (uint32_t i = 0; i < boot->argc + boot->envc; i++) {
		size_t n = strlen(s) + 1;

		if (i < boot->argc)
			P.argv_len += n;
		else
			P.env_len += n;
		s += n;
	}
	arg0 = boot->argc ? P.args : "";
	base = arg0;
	for (const char *p = arg0; *p; p++)
		if (*p == '/' && p[1])
			base = p + 1;
	memcpy(P.comm, base, MIN(strnlen(base, sizeof(P.comm) - 1), sizeof(P.comm) - 1));
	exe_path(boot->argc ? arg0 : NULL);
	P.text_lo = UINT64_MAX;
	for (uint32_t i = 0; i < boot->phnum; i++) {
		const struct phdr *ph = (const struct phdr *)(uintptr_t)boot->phdr + i;
		uint64_t lo = ALIGN_DOWN(ph->vaddr, PAGE_SIZE);
		uint64_t hi = ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE);

		if (ph->type != PT_LOAD)
			continue;
		P.image_bytes += hi - lo;
		if (ph->flags & PF_X) {
			P.text_lo = MIN(P.text_lo, lo), P.text_hi = MAX(P.text_hi, hi);
			P.text_bytes += hi - lo;
		} else if (ph->flags & PF_W) {
			P.data_lo = lo, P.data_hi = hi;
			P.data_bytes += hi - lo;
		}
	}
	if (P.text_lo == UINT64_MAX)
		P.text_lo = 0;

	ksnprintf(pid, sizeof(pid), "%d", PITH_PID);
	ksnprintf(thread, sizeof(thread), "%d/task/%d", PITH_PID, PITH_TID);
	proc = add_node(root, "proc", S_IFDIR | 0555, P_DIR);
	add_link(proc, "self", pid, P_LINK);
	add_link(proc, "thread-self", thread, P_LINK);
	add_link(proc, "mounts", "self/mounts", P_LINK);
	add_node(proc, "meminfo", S_IFREG | 0444, P_MEMINFO);
	add_node(proc, "cpuinfo", S_IFREG | 0444, P_CPUINFO);
	add_node(proc, "uptime", S_IFREG | 0444, P_UPTIME);
	add_node(proc, "loadavg", S_IFREG | 0444, P_LOADAVG);
	add_node(proc, "version", S_IFREG | 0444, P_VERSION);
	add_node(proc, "filesystems", S_IFREG | 0444, P_FILESYSTEMS);
	sys = add_node(add_node(proc, "sys", S_IFDIR | 0555, P_DIR), "kernel", S_IFDIR | 0555,
		       P_DIR);
	add_node(sys, "hostname", S_IFREG | 0644, P_HOSTNAME);
	add_node(sys, "ostype", S_IFREG | 0444, P_OSTYPE);
	add_node(sys, "osrelease", S_IFREG | 0444, P_OSRELEASE);
	task = add_node(add_process(proc, pid), "task", S_IFDIR | 0555, P_DIR);
	ksnprintf(thread, sizeof(thread), "%d", PITH_TID);
	add_process(task, thread);
}

/* ---- entries that follow the kernel's state --------------------------------- */

/* The fd's link mode shows how it is open, as Linux: r, w, and x. */
static uint32_t fd_link_mode(struct file *f)
{
	int acc = f->flags & O_ACCMODE_K;

	return S_IFLNK | 0100 | (acc != 1 ? 0400 : 0) | (acc != 0 ? 0200 : 0);
}

/* Make dir's entries the open fds: links to their names (fd), or files
 * of their state (fdinfo). Each entry sits at position fd + 2, so a
 * listing is in fd order and stays valid while fds come and go. */
static void sync_fds(struct inode *dir, bool links)
{
	char name[12], target[PATH_MAX];
	struct inode *ip;
	uint64_t next;
	const char *n;
	size_t len;

	for (uint64_t pos = 2; (n = vfs_entry(dir, pos, &len, &ip, &next)) != NULL; pos = next) {
		struct file *f = fd_file(ip->proc_fd);

		if (!f || (links && ip->mode != fd_link_mode(f))) {
			dir->ro = false;
			vfs_unlink(dir, n, len, false);
			dir->ro = true;
		}
	}
	for (int fd = 0; fd < NOFILE; fd++) {
		struct file *f = fd_file(fd);
		long r;

		if (!f)
			continue;
		len = (size_t)ksnprintf(name, sizeof(name), "%d", fd);
		ip = vfs_lookup_in(dir, name, len);
		if (!ip) {
			ip = add(dir, name, links ? fd_link_mode(f) : S_IFREG | 0444,
				 links ? P_FDLINK : P_FDINFO_FILE, (uint64_t)fd + 2);
			if (!ip)
				return; /* out of memory: the listing is short */
			ip->proc_fd = fd;
		}
		if (!links)
			continue;
		r = f->ops->name ? f->ops->name(f, target, sizeof(target))
				 : ksnprintf(target, sizeof(target), "anon_inode:[pith]");
		if (r < 0)
			r = ksnprintf(target, sizeof(target), "anon_inode:[pith]");
		retarget(ip, target, (size_t)r);
	}
}

void procfs_refresh(struct inode *dir)
{
	char path[PATH_MAX];
	long n;

	switch (dir->proc) {
	case P_PID: {
		struct inode *cwd = vfs_lookup_in(dir, "cwd", 3);

		n = hostfs_getcwd(path, sizeof(path));
		if (n == 0)
			n = vfs_path_of(vfs_cwd(), path, sizeof(path));
		if (cwd && n > 0)
			retarget(cwd, path, (size_t)n - 1);
		break;
	}
	case P_FD:
	case P_FDINFO:
		sync_fds(dir, dir->proc == P_FD);
		break;
	}
}
