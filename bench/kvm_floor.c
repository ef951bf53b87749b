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
 * needs to run a vCPU, so it is the floor against which the monitor is
 * measured (bench/run, docs/performance.md).
 *
 *   kvm_floor [-m MIB]   guest memory in MiB (default 2)
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define CODE_GPA 0x1000
#define PORT 0x10

static int fail(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	static const uint8_t code[] = {
		0xb0, '\n',	  /* mov $'\n', %al */
		0xe6, PORT,	  /* out %al, $PORT */
		0xf4,		  /* hlt */
	};
	size_t mem_size = 2u << 20;
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int kvm, vm, vcpu, run_size;
	uint8_t *mem;

	if (argc == 3 && !strcmp(argv[1], "-m"))
		mem_size = (size_t)atoi(argv[2]) << 20;
	else if (argc != 1) {
		fprintf(stderr, "usage: kvm_floor [-m MIB]\n");
		return 1;
	}

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("KVM_CREATE_VM");
	mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap");
	memcpy(mem + CODE_GPA, code, sizeof(code));
	region = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = 0, .memory_size = mem_size,
		.userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size <= 0)
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return fail("mmap vcpu");

	/* Real mode, CS:IP = 0000:1000. */
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

	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			return fail("KVM_RUN");
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != PORT)
				goto bad;
			if (write(1, (uint8_t *)run + run->io.data_offset, 1) != 1)
				return fail("write");
			break;
		case KVM_EXIT_HLT:
			return 0;
		default:
			goto bad;
		}
	}
bad:
	fprintf(stderr, "kvm_floor: unexpected exit %u\n", run->exit_reason);
	return 1;
}
