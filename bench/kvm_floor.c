/*
 * kvm_floor.c — the least a KVM process can do: the floor for `pith run`.
 *
 * Opens /dev/kvm, creates a VM with 2 MiB of memory and one vCPU, runs
 * five bytes of real-mode code at GPA 0x1000:
 *
 *     mov $'\n', %al ; out %al, $0x10 ; hlt
 *
 * writes the byte the guest sent to stdout (so it does output, as hello
 * does), and exits 0 when the vCPU halts. Exit status 1 on any failure.
 * No page tables, no CPUID, no seccomp, no ELF: nothing but what KVM
 * needs to run a vCPU, so it is the floor against which pith's monitor
 * is measured (bench/run, docs/performance.md).
 *
 *   kvm_floor [-m MIB] [-c] [-l] [-t]
 *     -m MIB  guest memory in MiB (default 2)
 *     -c      also KVM_GET_SUPPORTED_CPUID + KVM_SET_CPUID2, as pith's
 *             monitor does: what those two calls add to the floor
 *     -l      start the vCPU as pith's monitor does instead: long mode at
 *             CPL3 with paging (one 2 MiB page), a GDT and a TSS whose I/O
 *             bitmap opens the port; the guest reads the TSC, then `out`s,
 *             and the floor ends at that exit (a CPL3 hlt would fault)
 *     -t      print how long each step took to stderr, in us; with -l also
 *             entry_us: from just before the first KVM_RUN to the guest's
 *             first instruction (its TSC, on the host's CLOCK_MONOTONIC)
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CODE_GPA  0x1000
#define PORT	  0x10
#define MAX_STEPS 12

/* -l: the system structures, each in its own page. */
#define PML4_GPA     0x2000
#define PDPT_GPA     0x3000
#define PD_GPA	     0x4000
#define GDT_GPA	     0x5000
#define TSS_GPA	     0x6000 /* and the I/O bitmap: three pages */
#define STACK_TOP    0x100000
#define TSS_SIZE     104
#define IOPB_BYTES   (65536 / 8)
#define MSR_IA32_TSC 0x10

static struct {
	const char *name;
	double us;
} steps[MAX_STEPS];
static int nsteps;
static double t_last;

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* The time since the previous step ends the step called name. */
static void step(const char *name)
{
	double t = now_us();

	if (nsteps < MAX_STEPS) {
		steps[nsteps].name = name;
		steps[nsteps].us = t - t_last;
		nsteps++;
	}
	t_last = now_us();
}

static int fail(const char *what)
{
	perror(what);
	return 1;
}

static int set_cpuid(int kvm, int vcpu)
{
	int n = 128;
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

	if (!c)
		return -1;
	c->nent = (uint32_t)n;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) < 0)
		return -1;
	step("get_supported_cpuid");
	if (ioctl(vcpu, KVM_SET_CPUID2, c) < 0)
		return -1;
	step("set_cpuid2");
	free(c);
	return 0;
}

static double mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Long mode at CPL3, as pith's monitor starts its guests. */
static int long_mode(int vcpu, uint8_t *mem)
{
	static const uint8_t code[] = {
		0x0f, 0x31,		/* rdtsc */
		0x48, 0xc1, 0xe2, 0x20, /* shl $32, %rdx */
		0x48, 0x09, 0xd0,	/* or %rdx, %rax */
		0x48, 0x89, 0xc3,	/* mov %rax, %rbx */
		0xb0, '\n',		/* mov $'\n', %al */
		0xe6, PORT,		/* out %al, $PORT */
		0xf4,			/* hlt: never reached */
	};
	uint64_t *pml4 = (uint64_t *)(mem + PML4_GPA), *pdpt = (uint64_t *)(mem + PDPT_GPA);
	uint64_t *pd = (uint64_t *)(mem + PD_GPA), *gdt = (uint64_t *)(mem + GDT_GPA);
	uint64_t limit = TSS_SIZE + IOPB_BYTES;
	uint8_t *tss = mem + TSS_GPA;
	uint16_t iopb = TSS_SIZE;
	struct kvm_sregs sr;
	struct kvm_regs regs = { 0 };
	struct kvm_segment cs = {
		.limit = 0xffffffff,
		.selector = 0x33,
		.type = 0xb,
		.present = 1,
		.dpl = 3,
		.s = 1,
		.l = 1,
		.g = 1,
	};
	struct kvm_segment ds = {
		.limit = 0xffffffff,
		.selector = 0x2b,
		.type = 0x3,
		.present = 1,
		.dpl = 3,
		.db = 1,
		.s = 1,
		.g = 1,
	};

	memcpy(mem + CODE_GPA, code, sizeof(code));
	/* Virtual = physical: one user-accessible 2 MiB page at 0. */
	pml4[0] = PDPT_GPA | 7;
	pdpt[0] = PD_GPA | 7;
	pd[0] = 0 | 7 | 0x80;
	gdt[5] = 0x00cff3000000ffffull; /* user data */
	gdt[6] = 0x00affb000000ffffull; /* user code, L */
	gdt[7] = (limit & 0xffff) | ((uint64_t)TSS_GPA << 16) | (0x8bull << 40) |
		 (((limit >> 16) & 0xf) << 48);
	memcpy(tss + 102, &iopb, sizeof(iopb));
	memset(tss + TSS_SIZE, 0xff, IOPB_BYTES + 1);
	tss[TSS_SIZE + PORT / 8] &= (uint8_t) ~(1u << (PORT % 8));

	if (ioctl(vcpu, KVM_GET_SREGS, &sr) < 0)
		return -1;
	sr.cs = cs;
	sr.ss = sr.ds = sr.es = sr.fs = sr.gs = ds;
	sr.tr = (struct kvm_segment){
		.base = TSS_GPA,
		.limit = (uint32_t)limit,
		.selector = 0x38,
		.type = 0xb,
		.present = 1,
	};
	sr.ldt = (struct kvm_segment){ .type = 2, .unusable = 1 };
	sr.gdt.base = GDT_GPA;
	sr.gdt.limit = 9 * 8 - 1;
	sr.idt.base = 0;
	sr.idt.limit = 0;
	sr.cr0 = 0x80010033; /* PG WP NE ET MP PE */
	sr.cr3 = PML4_GPA;
	sr.cr4 = 0x620;	 /* OSXMMEXCPT OSFXSR PAE */
	sr.efer = 0xd00; /* NXE LMA LME */
	if (ioctl(vcpu, KVM_SET_SREGS, &sr) < 0)
		return -1;
	regs.rip = CODE_GPA;
	regs.rsp = STACK_TOP;
	regs.rflags = 0x2;
	return ioctl(vcpu, KVM_SET_REGS, &regs);
}

int main(int argc, char **argv)
{
	static const uint8_t code[] = {
		0xb0, '\n', /* mov $'\n', %al */
		0xe6, PORT, /* out %al, $PORT */
		0xf4,	    /* hlt */
	};
	size_t mem_size = 2u << 20;
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int kvm, vm, vcpu, run_size, c, cpuid = 0, timing = 0, first = 1, lm = 0;
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} msr = { .hdr.nmsrs = 1, .e.index = MSR_IA32_TSC };
	double t_run = 0, m0 = 0, m1 = 0;
	long khz = 0;
	uint8_t *mem;

	while ((c = getopt(argc, argv, "m:clt")) != -1) {
		switch (c) {
		case 'm':
			mem_size = (size_t)atoi(optarg) << 20;
			break;
		case 'c':
			cpuid = 1;
			break;
		case 'l':
			lm = 1;
			break;
		case 't':
			timing = 1;
			break;
		default:
			fprintf(stderr, "usage: kvm_floor [-m MIB] [-c] [-l] [-t]\n");
			return 1;
		}
	}
	if (mem_size < (2u << 20)) {
		fprintf(stderr, "kvm_floor: -m: at least 2 MiB\n");
		return 1;
	}
	t_last = now_us();

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("/dev/kvm");
	step("open");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("KVM_CREATE_VM");
	step("create_vm");
	mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap");
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = mem_size,
		.userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");
	step("memory_region");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	step("create_vcpu");
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size <= 0)
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return fail("mmap vcpu");
	if (cpuid && set_cpuid(kvm, vcpu) < 0)
		return fail("KVM CPUID");

	if (lm) {
		if (long_mode(vcpu, mem) < 0)
			return fail("KVM vCPU set-up");
		if (timing) {
			/* The guest TSC against CLOCK_MONOTONIC, as pith does. */
			khz = ioctl(vcpu, KVM_GET_TSC_KHZ, 0);
			m0 = mono_ns();
			if (khz <= 0 || ioctl(vcpu, KVM_GET_MSRS, &msr) != 1)
				return fail("KVM TSC");
			m1 = mono_ns();
		}
	} else {
		/* Real mode, CS:IP = 0000:1000. */
		memcpy(mem + CODE_GPA, code, sizeof(code));
		if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
			return fail("KVM_GET_SREGS");
		sregs.cs.base = 0;
		sregs.cs.selector = 0;
		if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
			return fail("KVM_SET_SREGS");
		memset(&regs, 0, sizeof(regs));
		regs.rip = CODE_GPA;
		regs.rflags = 0x2;
		if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
			return fail("KVM_SET_REGS");
	}
	step("vcpu_state");

	for (;;) {
		if (first)
			t_run = mono_ns();
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			return fail("KVM_RUN");
		step(first ? "first_run" : "run");
		first = 0;
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != PORT)
				goto bad;
			if (write(1, (uint8_t *)run + run->io.data_offset, 1) != 1)
				return fail("write");
			t_last = now_us();
			if (!lm)
				break;
			/* In long mode the out is the end. */
			/* fall through */
		case KVM_EXIT_HLT:
			if (timing) {
				for (int i = 0; i < nsteps; i++)
					fprintf(stderr, "%s%s_us=%.1f", i ? " " : "", steps[i].name,
						steps[i].us);
				if (lm && ioctl(vcpu, KVM_GET_REGS, &regs) == 0) {
					double base = (m0 + m1) / 2;
					double g = base + (double)(int64_t)(regs.rbx - msr.e.data) *
								  1e6 / (double)khz;

					fprintf(stderr, " entry_us=%.1f", (g - t_run) / 1e3);
				}
				fprintf(stderr, "\n");
			}
			return 0;
		default:
			goto bad;
		}
	}
bad:
	fprintf(stderr, "kvm_floor: unexpected exit %u\n", run->exit_reason);
	return 1;
}
