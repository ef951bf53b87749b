/*
 * test_hvt_sys.c — monitor/hvt_cpu.c without KVM: hvt_sys_bytes sizes the
 * system area, layout_plan places it, hvt_build_sys fills it in plain
 * memory. The page tables are then walked for every page of guest memory
 * and compared with what the layout says each page must be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "elfbuild.h"

#include "../../monitor/hvt.h"

#define PAGE	     4096ull
#define K	     (1ull << 10)
#define M	     (1ull << 20)
#define G	     (1ull << 30)
#define PAGE_UP(x)   (((x) + PAGE - 1) & ~(PAGE - 1))
#define PAGE_DOWN(x) ((x) & ~(PAGE - 1))

#define PTE_P	 (1ull << 0)
#define PTE_W	 (1ull << 1)
#define PTE_U	 (1ull << 2)
#define PTE_PS	 (1ull << 7)
#define PTE_NX	 (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

/* What a page may be, as the guest (CPL3) and the CPU see it. */
enum perm { NONE, R, RX, RW, SYS };
static const char *perm_name[] = { "none", "r", "rx", "rw", "sys" };

static enum perm want_perm(const struct guest *g, uint64_t gpa)
{
	const struct layout *l = &g->lay;

	if (gpa < PAGE)
		return NONE;
	if (gpa >= l->sys) /* GDT (1 page) and TSS (3 pages), then tables */
		return gpa < l->sys + 4 * PAGE ? SYS : NONE;
	if (gpa >= l->free_start)
		return gpa == l->guard ? NONE : RW;
	for (unsigned i = 0; i < g->img->nseg; i++) {
		const struct elf_seg *s = &g->img->seg[i];
		uint64_t lo = PAGE_DOWN(s->vaddr - PITH_GUEST_BASE);
		uint64_t hi = PAGE_UP(s->vaddr + s->memsz - PITH_GUEST_BASE);

		if (gpa >= lo && gpa < hi)
			return s->prot & PROT_EXEC ? RX : s->prot & PROT_WRITE ? RW : R;
	}
	return NONE;
}

/* Walk the tables for va; the perm, and the physical address in *pa. */
static enum perm walk(const struct guest *g, uint64_t cr3, uint64_t va, uint64_t *pa,
		      const char **why)
{
	uint64_t table = cr3, e = 0, w = PTE_W, u = PTE_U, nx = 0;

	*why = NULL;
	for (int level = 4; level >= 1; level--) {
		unsigned idx = (unsigned)(va >> (12 + 9 * (level - 1))) & 511;

		if (table < g->lay.sys + 4 * PAGE || table >= g->lay.sys_end || table % PAGE) {
			*why = "a table outside the page-table area";
			return NONE;
		}
		memcpy(&e, g->mem + table + idx * 8, 8);
		if (!(e & PTE_P))
			return NONE;
		w &= e;
		u &= e;
		nx |= e & PTE_NX;
		if (level == 3 && (e & PTE_PS)) {
			*why = "a 1 GiB page";
			return NONE;
		}
		if (level == 2 && (e & PTE_PS)) {
			*pa = (e & PTE_ADDR & ~(2 * M - 1)) + (va & (2 * M - 1));
			break;
		}
		if (level == 1)
			*pa = (e & PTE_ADDR) + (va & (PAGE - 1));
		table = e & PTE_ADDR;
	}
	if (!u)
		return w && nx ? SYS : NONE; /* supervisor-only: only GDT/TSS expected */
	if (nx)
		return w ? RW : R;
	return w ? NONE /* W+X: never expected */ : RX;
}

struct imgdef {
	const char *name;
	uint64_t text_va, text_memsz, ro_va, ro_memsz, data_va, data_memsz, min_free;
};

static const struct imgdef imgs[] = {
	{ "compact", EB_TEXT_VA, 0x40, EB_RODATA_VA, 0x40, EB_DATA_VA, 0x1000, 64 * K },
	/* Segments straddling 2 MiB boundaries, with gaps between them. */
	{ "spread", EB_BASE + 0x1180, 3 * M, EB_BASE + 0x4001c0, 0x40, EB_BASE + 0x600200, 5 * M,
	  64 * K },
	/* Text ending exactly on a 2 MiB boundary, data right after it. */
	{ "aligned", EB_BASE + 0x1180, 2 * M - 0x1180, EB_BASE + 0x2001c0, 0x40, EB_BASE + 0x201200,
	  0x1000, 0 },
};

static int build(struct eb *b, struct elf_image *img, const struct imgdef *d)
{
	eb_init(b);
	b->ph[EB_TEXT].p_vaddr = d->text_va;
	b->ph[EB_TEXT].p_memsz = d->text_memsz;
	b->ph[EB_RODATA].p_vaddr = d->ro_va;
	b->ph[EB_RODATA].p_memsz = d->ro_memsz;
	b->ph[EB_DATA].p_vaddr = d->data_va;
	b->ph[EB_DATA].p_memsz = d->data_memsz;
	b->note.min_free = d->min_free;
	eb_build(b);
	return eb_parse(b, b->size, img);
}

/* Plan, build and walk one guest; NULL when all is well. */
static const char *one(const struct elf_image *img, uint64_t mem, uint64_t args, char *why,
		       size_t whylen)
{
	struct hvt h;
	struct guest *g = &h.g;
	uint64_t sys = hvt_sys_bytes(img, mem, args), cr3;
	char err[200];
	unsigned wrong = 0;

	memset(&h, 0, sizeof(h));
	g->img = img;
	g->mem_size = mem;
	if (sys % PAGE || sys < 6 * PAGE) {
		snprintf(why, whylen, "hvt_sys_bytes %llu: not whole pages or too few",
			 (unsigned long long)sys);
		return why;
	}
	if (hvt_sys_bytes(img, mem, args) != sys) {
		snprintf(why, whylen, "hvt_sys_bytes not stable");
		return why;
	}
	if (layout_plan(&g->lay, img, mem, args, sys, err, sizeof(err)) != 0) {
		snprintf(why, whylen, "layout_plan refused hvt_sys_bytes' %llu bytes: %.120s",
			 (unsigned long long)sys, err);
		return why;
	}
	g->mem = mmap(NULL, mem, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (g->mem == MAP_FAILED) {
		snprintf(why, whylen, "mmap %llu bytes failed", (unsigned long long)mem);
		return why;
	}
	if (hvt_build_sys(&h, err, sizeof(err)) != 0) {
		snprintf(why, whylen, "hvt_build_sys with %llu bytes: %.120s",
			 (unsigned long long)sys, err);
		munmap(g->mem, mem);
		return why;
	}
	cr3 = g->lay.sys + 4 * PAGE;
	for (uint64_t gpa = 0; gpa < mem; gpa += PAGE) {
		uint64_t pa = ~0ull;
		const char *w;
		enum perm want = want_perm(g, gpa);
		enum perm got = walk(g, cr3, PITH_GUEST_BASE + gpa, &pa, &w);

		if (w || got != want || (got != NONE && pa != gpa)) {
			if (!wrong++)
				snprintf(why, whylen, "gpa 0x%llx: %s, want %s%s%s",
					 (unsigned long long)gpa, perm_name[got], perm_name[want],
					 w			    ? "; "
					 : pa != gpa && got != NONE ? "; maps elsewhere"
								    : "",
					 w ? w : "");
		}
	}
	/* Nothing mapped below BASE or right above guest memory. */
	{
		uint64_t pa;
		const char *w;

		if (walk(g, cr3, PITH_GUEST_BASE - PAGE, &pa, &w) != NONE ||
		    walk(g, cr3, PITH_GUEST_BASE + mem, &pa, &w) != NONE)
			if (!wrong++)
				snprintf(why, whylen, "a page outside guest memory is mapped");
	}
	/* The TSS I/O bitmap opens the hypercall ports for 4-byte accesses
	 * (the last port's access covers three more) and nothing else. */
	{
		const uint8_t *bm = g->mem + g->lay.sys + PAGE + 104;
		uint16_t iopb;

		memcpy(&iopb, g->mem + g->lay.sys + PAGE + 102, 2);
		for (unsigned p = 0; p < 65536 && iopb == 104; p++) {
			bool open = !(bm[p / 8] & (1u << (p % 8)));
			bool hc =
				p >= PITH_HC_PORT_BASE && p < PITH_HC_PORT_BASE + PITH_HC_PORTS + 3;

			if (hc != open) {
				if (!wrong++)
					snprintf(why, whylen, "I/O port 0x%x %s", p,
						 open ? "open" : "closed");
				break;
			}
		}
		if (iopb != 104 || bm[8192] != 0xff)
			if (!wrong++)
				snprintf(why, whylen, "TSS I/O bitmap offset %u / closing byte",
					 iopb);
	}
	munmap(g->mem, mem);
	return wrong ? why : NULL;
}

static void test_sizes(void)
{
	static const uint64_t mems[] = { 1 * M,	 2 * M,	 2 * M + 4 * K, 3 * M,	       6 * M,
					 16 * M, 64 * M, 1 * G - 4 * K, 1 * G + 2 * M, 4 * G };
	static const uint64_t argss[] = { 0, 4096 };

	for (unsigned i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++) {
		struct eb b;
		struct elf_image img;
		int r = build(&b, &img, &imgs[i]);

		CHECKD("hvt/sys/image", r == 0, "%s: %s", imgs[i].name, img.err);
		for (unsigned j = 0; r == 0 && j < sizeof(mems) / sizeof(mems[0]); j++) {
			struct layout l;
			char err[200], n[96], why[256];
			const char *bad;

			/* Sizes the image cannot run in at all are not this test's. */
			if (layout_plan(&l, &img, mems[j], 4096, 64 * K, err, sizeof(err)) != 0)
				continue;
			for (unsigned k = 0; k < sizeof(argss) / sizeof(argss[0]); k++) {
				snprintf(n, sizeof(n), "hvt/sys/%s/%lluK/args-%llu", imgs[i].name,
					 (unsigned long long)(mems[j] >> 10),
					 (unsigned long long)argss[k]);
				bad = one(&img, mems[j], argss[k], why, sizeof(why));
				CHECKD(n, !bad, "%s", bad);
			}
		}
		eb_free(&b);
	}
}

/* Every page size in a range: the area always suffices. */
static void test_sweep(void)
{
	struct eb b;
	struct elf_image img;
	unsigned bad = 0, n = 0;
	char first[300] = "";

	build(&b, &img, &imgs[1]);
	for (uint64_t mem = 14 * M; mem <= 20 * M; mem += PAGE) {
		struct hvt h;
		uint64_t sys = hvt_sys_bytes(&img, mem, 100);
		char err[200];

		memset(&h, 0, sizeof(h));
		h.g.img = &img;
		h.g.mem_size = mem;
		n++;
		if (layout_plan(&h.g.lay, &img, mem, 100, sys, err, sizeof(err)) != 0) {
			if (!bad++)
				snprintf(first, sizeof(first), "%llu K: %.200s",
					 (unsigned long long)(mem >> 10), err);
			continue;
		}
		h.g.mem = mmap(NULL, mem, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (h.g.mem != MAP_FAILED) {
			if (hvt_build_sys(&h, err, sizeof(err)) != 0 && !bad++)
				snprintf(first, sizeof(first), "%llu K: %.200s",
					 (unsigned long long)(mem >> 10), err);
			munmap(h.g.mem, mem);
		}
	}
	CHECKD("hvt/sys/sweep-14M-20M", bad == 0, "%u of %u sizes failed, first %s", bad, n, first);
	eb_free(&b);
}

/* `pith inspect` reports layout_min_mem(img, hvt_sys_bytes(img, min_proc +
 * 1M, 4096), 4096) as the hvt minimum: a guest of that size must run. */
static void test_inspect_min(void)
{
	static const uint64_t frees[] = { 0, 64 * K, 300 * K, 1 * M, 5 * M };

	for (unsigned i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++)
		for (unsigned j = 0; j < sizeof(frees) / sizeof(frees[0]); j++) {
			struct imgdef d = imgs[i];
			struct eb b;
			struct elf_image img;
			uint64_t min_proc, min_hvt;
			char n[96], why[256];
			const char *bad;

			d.min_free = frees[j];
			build(&b, &img, &d);
			min_proc = layout_min_mem(&img, 0, 4096);
			min_hvt = layout_min_mem(
				&img, hvt_sys_bytes(&img, min_proc + (1 << 20), 4096), 4096);
			snprintf(n, sizeof(n), "hvt/sys/inspect-min-runs/%s/free-%lluK", d.name,
				 (unsigned long long)(frees[j] >> 10));
			bad = one(&img, min_hvt, 4096, why, sizeof(why));
			CHECKD(n, !bad, "min %llu K: %s", (unsigned long long)(min_hvt >> 10), bad);
			eb_free(&b);
		}
}

int main(void)
{
	test_sizes();
	test_sweep();
	test_inspect_min();
	return 0;
}
