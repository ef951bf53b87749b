/*
 * hvt_cpu.c — the guest's whole CPU state, built by the monitor.
 *
 * The system area at the top of guest memory holds, in order: the GDT
 * (one page), the 64-bit TSS with its I/O bitmap (three pages), then the
 * page tables: PML4, PDPT, one page directory per GiB spanned, and one
 * page table per 2 MiB region that mixes permissions. Virtual address
 * PITH_GUEST_BASE + x maps physical x. Permissions come from the layout:
 * text R+X, read-only data R, everything else the program may touch R+W
 * and NX; page 0, gaps and the stack guard page are not mapped; the GDT
 * and TSS are supervisor-only and the page tables not mapped at all, so
 * the guest (at CPL3) can change neither. Uniform 2 MiB regions use large
 * pages, which keeps the tables small and set-up fast.
 *
 * The vCPU starts at CPL3 (CS 0x33, SS 0x2b as on Linux) in long mode,
 * with no IDT: any exception stops the vCPU with KVM_EXIT_SHUTDOWN and
 * the monitor reports it from the saved state. The TSS I/O bitmap opens
 * only the hypercall ports.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hvt.h"

#define PAGE  4096ull
#define LARGE (2ull << 20)
#define GIB   (1ull << 30)

#define PTE_P  (1ull << 0)
#define PTE_W  (1ull << 1)
#define PTE_U  (1ull << 2)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)

#define CR0_PE	       (1u << 0)
#define CR0_MP	       (1u << 1)
#define CR0_ET	       (1u << 4)
#define CR0_NE	       (1u << 5)
#define CR0_WP	       (1u << 16)
#define CR0_PG	       (1u << 31)
#define CR4_PAE	       (1u << 5)
#define CR4_OSFXSR     (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR4_FSGSBASE   (1u << 16)
#define EFER_LME       (1u << 8)
#define EFER_LMA       (1u << 10)
#define EFER_NXE       (1u << 11)

#define SEL_UDATA   0x2b /* GDT[5], RPL 3 */
#define SEL_UCODE   0x33 /* GDT[6], RPL 3 */
#define SEL_TSS	    0x38 /* GDT[7..8] */
#define GDT_ENTRIES 9

#define TSS_SIZE	104
#define IOPB_BYTES	(65536 / 8)
#define SYS_FIXED_PAGES 4 /* GDT + TSS and bitmap */

enum perm { P_NONE, P_R, P_RX, P_RW, P_SYS };

struct sys_plan {
	uint64_t gdt, tss, pml4, pdpt, pd, pt; /* GPAs */
	unsigned npd, npt;
};

static unsigned pd_count(uint64_t mem_size)
{
	uint64_t lo = PITH_GUEST_BASE, hi = PITH_GUEST_BASE + mem_size - 1;

	return (unsigned)(hi / GIB - lo / GIB + 1);
}

/* Page boundaries where permissions may change, for the uniformity test. */
static unsigned boundaries(const struct guest *g, const struct sys_plan *s, uint64_t *b)
{
	const struct elf_image *img = g->img;
	const struct layout *l = &g->lay;
	unsigned n = 0;

	b[n++] = PAGE;
	for (unsigned i = 0; i < img->nseg; i++) {
		b[n++] = (img->seg[i].vaddr - PITH_GUEST_BASE) & ~(PAGE - 1);
		b[n++] = (img->seg[i].vaddr + img->seg[i].memsz - PITH_GUEST_BASE + PAGE - 1) &
			 ~(PAGE - 1);
	}
	b[n++] = l->free_start;
	b[n++] = l->guard;
	b[n++] = l->guard + PAGE;
	b[n++] = l->sys;
	b[n++] = s->pml4;
	return n;
}

static enum perm perm_at(const struct guest *g, const struct sys_plan *s, uint64_t gpa)
{
	const struct elf_image *img = g->img;
	const struct layout *l = &g->lay;

	if (gpa < PAGE)
		return P_NONE;
	if (gpa >= l->sys)
		return gpa < s->pml4 ? P_SYS : P_NONE;
	if (gpa >= l->free_start)
		return gpa >= l->guard && gpa < l->guard + PAGE ? P_NONE : P_RW;
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *seg = &img->seg[i];
		uint64_t lo = (seg->vaddr - PITH_GUEST_BASE) & ~(PAGE - 1);
		uint64_t hi = seg->vaddr + seg->memsz - PITH_GUEST_BASE;

		if (gpa >= lo && gpa < hi) {
			if (seg->prot & PROT_EXEC)
				return P_RX;
			return seg->prot & PROT_WRITE ? P_RW : P_R;
		}
	}
	return P_NONE; /* a gap between segments */
}

static uint64_t leaf_bits(enum perm p)
{
	switch (p) {
	case P_R:
		return PTE_P | PTE_U | PTE_NX;
	case P_RX:
		return PTE_P | PTE_U;
	case P_RW:
		return PTE_P | PTE_W | PTE_U | PTE_NX;
	case P_SYS:
		return PTE_P | PTE_W | PTE_NX;
	default:
		return 0;
	}
}

/* Does any boundary fall strictly inside [r, r + LARGE)? */
static bool mixed(const uint64_t *b, unsigned nb, uint64_t r, uint64_t mem_size)
{
	if (r + LARGE > mem_size)
		return true;
	for (unsigned i = 0; i < nb; i++)
		if (b[i] > r && b[i] < r + LARGE)
			return true;
	return false;
}

/* Regions of 2 MiB in virtual space: they start at BASE-aligned offsets,
 * and BASE is 2 MiB aligned, so GPA regions line up with large pages. */
static unsigned count_pts(const struct guest *g, const struct sys_plan *s)
{
	uint64_t b[2 * ELF_MAX_SEGS + 8];
	unsigned nb = boundaries(g, s, b), n = 0;

	for (uint64_t r = 0; r < g->mem_size; r += LARGE)
		n += mixed(b, nb, r, g->mem_size);
	return n;
}

static void plan(struct sys_plan *s, const struct layout *l, uint64_t mem_size)
{
	s->gdt = l->sys;
	s->tss = s->gdt + PAGE;
	s->pml4 = s->tss + 3 * PAGE;
	s->pdpt = s->pml4 + PAGE;
	s->npd = pd_count(mem_size);
	s->pd = s->pdpt + PAGE;
	s->pt = s->pd + s->npd * PAGE;
}

uint64_t hvt_sys_bytes(const struct elf_image *img, uint64_t mem_size, uint64_t args_len)
{
	struct guest g = { .mem_size = mem_size, .img = img };
	struct sys_plan s;
	unsigned npt = 2;
	char err[8];

	/* The page-table count depends on where the tables go, which
	 * depends on their count: settle it in a few rounds. */
	for (int round = 0; round < 8; round++) {
		uint64_t bytes = (SYS_FIXED_PAGES + 2 + pd_count(mem_size) + npt) * PAGE;
		unsigned need;

		if (layout_plan(&g.lay, img, mem_size, args_len, bytes, err, sizeof(err)) < 0)
			return bytes;
		plan(&s, &g.lay, mem_size);
		need = count_pts(&g, &s);
		if (need <= npt)
			return bytes;
		npt = need;
	}
	return (SYS_FIXED_PAGES + 2 + pd_count(mem_size) + npt) * PAGE;
}

static void set_gdt(uint64_t *gdt, uint64_t tss_va)
{
	uint64_t limit = TSS_SIZE + IOPB_BYTES; /* + the closing 0xff byte - 1 */

	memset(gdt, 0, PAGE);
	gdt[1] = 0x00209a0000000000ull; /* kernel code, unused */
	gdt[2] = 0x0000920000000000ull; /* kernel data, unused */
	gdt[5] = 0x00cff3000000ffffull; /* user data: DPL3, writable, accessed */
	gdt[6] = 0x00affb000000ffffull; /* user code: DPL3, L, accessed */
	gdt[7] = (limit & 0xffff) | ((tss_va & 0xffffff) << 16) | (0x8bull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((tss_va >> 24) & 0xff) << 56);
	gdt[8] = tss_va >> 32;
}

static void set_tss(uint8_t *tss)
{
	uint16_t iopb = TSS_SIZE;

	memset(tss, 0, 3 * PAGE);
	memcpy(tss + 102, &iopb, sizeof(iopb));
	memset(tss + TSS_SIZE, 0xff, IOPB_BYTES + 1);
	/* The whole hypercall range reaches the monitor, which decides: a
	 * number with no call is a violation, not a fault. A 4-byte access
	 * checks four bits, so the last port opens three more. */
	for (unsigned p = PITH_HC_PORT_BASE; p < PITH_HC_PORT_BASE + PITH_HC_PORTS + 3; p++)
		tss[TSS_SIZE + p / 8] &= (uint8_t) ~(1u << (p % 8));
}

int hvt_build_sys(struct hvt *h, char *err, size_t errlen)
{
	struct guest *g = &h->g;
	struct sys_plan s;
	uint64_t b[2 * ELF_MAX_SEGS + 8], *pml4, *pdpt, next_pt;
	unsigned nb;

	plan(&s, &g->lay, g->mem_size);
	nb = boundaries(g, &s, b);
	s.npt = (unsigned)((g->lay.sys_end - s.pt) / PAGE);
	if (count_pts(g, &s) > s.npt) {
		snprintf(err, errlen, "internal error: page-table area too small");
		return -1;
	}
	set_gdt((uint64_t *)(g->mem + s.gdt), GPA_TO_VA(s.tss));
	set_tss(g->mem + s.tss);

	pml4 = (uint64_t *)(g->mem + s.pml4);
	pdpt = (uint64_t *)(g->mem + s.pdpt);
	memset(g->mem + s.pml4, 0, (2 + s.npd) * PAGE);
	pml4[(PITH_GUEST_BASE >> 39) & 511] = s.pdpt | PTE_P | PTE_W | PTE_U;
	for (unsigned i = 0; i < s.npd; i++)
		pdpt[((PITH_GUEST_BASE >> 30) + i) & 511] =
			(s.pd + i * PAGE) | PTE_P | PTE_W | PTE_U;

	next_pt = s.pt;
	for (uint64_t r = 0; r < g->mem_size; r += LARGE) {
		uint64_t va = GPA_TO_VA(r);
		unsigned pdi = (unsigned)(va / GIB - PITH_GUEST_BASE / GIB);
		uint64_t *pd = (uint64_t *)(g->mem + s.pd + pdi * PAGE);
		uint64_t *pde = &pd[(va >> 21) & 511];

		uint64_t *pt = (uint64_t *)(g->mem + next_pt);

		if (!mixed(b, nb, r, g->mem_size)) {
			uint64_t bits = leaf_bits(perm_at(g, &s, r));

			*pde = bits ? r | bits | PTE_PS : 0;
			continue;
		}
		for (unsigned i = 0; i < 512; i++) {
			uint64_t gpa = r + i * PAGE;

			uint64_t bits = gpa < g->mem_size ? leaf_bits(perm_at(g, &s, gpa)) : 0;

			pt[i] = bits ? gpa | bits : 0;
		}
		*pde = next_pt | PTE_P | PTE_W | PTE_U;
		next_pt += PAGE;
	}
	return 0;
}

static void seg(struct kvm_segment *k, uint16_t sel, uint8_t type, bool code)
{
	*k = (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = sel,
		.type = type,
		.present = 1,
		.dpl = 3,
		.db = !code,
		.s = 1,
		.l = code,
		.g = 1,
	};
}

int hvt_set_cpu(struct hvt *h, char *err, size_t errlen)
{
	struct guest *g = &h->g;
	struct sys_plan s;
	struct kvm_sregs sr;
	struct kvm_regs regs = { 0 };
	struct kvm_fpu fpu = { 0 };

	if (hvt_set_cpuid(h, err, errlen) < 0)
		return -1;
	plan(&s, &g->lay, g->mem_size);
	if (ioctl(h->vcpu, KVM_GET_SREGS, &sr) < 0)
		goto fail;
	seg(&sr.cs, SEL_UCODE, 0xb, true);
	seg(&sr.ss, SEL_UDATA, 0x3, false);
	sr.ds = sr.es = sr.fs = sr.gs = sr.ss;
	sr.tr = (struct kvm_segment){
		.base = GPA_TO_VA(s.tss),
		.limit = TSS_SIZE + IOPB_BYTES,
		.selector = SEL_TSS,
		.type = 0xb,
		.present = 1,
		.s = 0,
	};
	sr.ldt = (struct kvm_segment){ .type = 2, .unusable = 1 };
	sr.gdt.base = GPA_TO_VA(s.gdt);
	sr.gdt.limit = GDT_ENTRIES * 8 - 1;
	sr.idt.base = 0;
	sr.idt.limit = 0;
	sr.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sr.cr3 = s.pml4;
	sr.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT | (h->fsgsbase ? CR4_FSGSBASE : 0);
	sr.efer = EFER_LME | EFER_LMA | EFER_NXE;
	if (ioctl(h->vcpu, KVM_SET_SREGS, &sr) < 0)
		goto fail;

	regs.rip = g->img->entry;
	regs.rsp = GPA_TO_VA(g->lay.stack_top);
	regs.rdi = GPA_TO_VA(g->lay.boot);
	regs.rflags = 0x2;
	if (ioctl(h->vcpu, KVM_SET_REGS, &regs) < 0)
		goto fail;

	fpu.fcw = 0x37f;
	fpu.mxcsr = 0x1f80;
	if (ioctl(h->vcpu, KVM_SET_FPU, &fpu) < 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "KVM vCPU set-up failed: %s", strerror(errno));
	return -1;
}
