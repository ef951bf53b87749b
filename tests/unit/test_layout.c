/*
 * test_layout.c — monitor/layout.c: layout_plan, layout_min_mem, args_size
 * and guest_load, over images built in memory (elfbuild.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elfbuild.h"

#include "../../monitor/guest.h"

#define PAGE	   4096ull
#define K	   (1ull << 10)
#define M	   (1ull << 20)
#define G	   (1ull << 30)
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))

/* An image whose data segment has bss bytes of memory, needing min_free. */
static int make_image(struct eb *b, struct elf_image *img, uint64_t bss, uint64_t min_free)
{
	eb_init(b);
	b->ph[EB_DATA].p_memsz = bss;
	b->note.min_free = min_free;
	eb_build(b);
	return eb_parse(b, b->size, img);
}

static uint64_t want_stack(uint64_t mem)
{
	uint64_t s = PAGE_UP(mem / 8);

	return s < 64 * K ? 64 * K : s > 8 * M ? 8 * M : s;
}

static uint32_t want_console(uint64_t mem)
{
	return mem >= 16 * M ? 64 * K : 8 * K;
}

/* Everything layout_plan promises of a successful plan; NULL or why not. */
static const char *plan_broken(const struct layout *l, const struct elf_image *img, uint64_t mem,
			       uint64_t args, uint64_t sys)
{
	const uint64_t aligned[] = { l->free_start,   l->free_end,  l->guard,
				     l->stack_bottom, l->stack_top, l->boot,
				     l->boot_end,     l->sys,	    l->sys_end };

	for (unsigned i = 0; i < sizeof(aligned) / sizeof(aligned[0]); i++)
		if (aligned[i] % PAGE)
			return "a region boundary is not page aligned";
	if (l->free_start < img->hi - PITH_GUEST_BASE || l->free_start < PAGE)
		return "free memory starts inside the image";
	if (l->free_start > l->free_end)
		return "free memory has negative size";
	if (l->free_end - l->free_start < img->note.min_free)
		return "less free memory than the note's min_free";
	if (l->free_end > l->guard || l->guard + PAGE != l->stack_bottom)
		return "the guard page is not right below the stack";
	if (l->stack_top - l->stack_bottom != want_stack(mem) || l->stack_bottom > l->stack_top)
		return "stack size is not mem/8 clamped to [64K, 8M]";
	if (l->stack_top > l->boot || l->boot >= l->boot_end || l->boot_end > l->sys)
		return "stack, boot area and system area out of order";
	if (l->sys_end != mem || l->sys_end - l->sys != PAGE_UP(sys))
		return "system area is not the top PAGE_UP(sys_bytes)";
	if (l->console_size != want_console(mem))
		return "console size is not 8K below 16M, 64K from 16M";
	if (l->phdr < l->boot + sizeof(struct pith_boot) || l->phdr % 8)
		return "program headers overlap struct pith_boot or are misaligned";
	if (l->args < l->phdr + sizeof(img->phdr))
		return "args overlap the program headers";
	if (l->console < l->args + args || l->console % 8)
		return "console overlaps the args or is misaligned";
	if (l->console + sizeof(struct pith_console) + l->console_size > l->boot_end)
		return "console buffer runs past the boot area";
	return NULL;
}

struct img_case {
	const char *name;
	uint64_t bss, min_free;
};

static void test_plan(void)
{
	static const struct img_case imgs[] = {
		{ "tiny", 0x1000, 0 },	     { "small", 0x1000, 64 * K },
		{ "200K", 200 * K, 64 * K }, { "1.5M", 1536 * K, 256 * K },
		{ "30M", 30 * M, 1 * M },
	};
	static const uint64_t mems[] = { 128 * K, 1 * M,	  1 * M + 4 * K, 2 * M,
					 6 * M,	  16 * M - 4 * K, 16 * M,	 64 * M,
					 1 * G,	  4 * G - 4 * K,  4 * G };
	static const uint64_t argss[] = { 0, 1, 100, 4096, 10000 };
	static const uint64_t syss[] = { 0, 7 * PAGE, 64 * K + 1 };
	unsigned n = 0, ok = 0, failed_ok = 0, bad = 0, badmsg = 0;
	char first[300] = "", firstmsg[300] = "";

	for (unsigned i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++) {
		struct eb b;
		struct elf_image img;

		if (make_image(&b, &img, imgs[i].bss, imgs[i].min_free) != 0) {
			CHECKD("layout/plan/image", 0, "%s: %s", imgs[i].name, img.err);
			eb_free(&b);
			continue;
		}
		for (unsigned j = 0; j < sizeof(mems) / sizeof(mems[0]); j++)
			for (unsigned k = 0; k < sizeof(argss) / sizeof(argss[0]); k++)
				for (unsigned s = 0; s < sizeof(syss) / sizeof(syss[0]); s++) {
					uint64_t mem = mems[j], args = argss[k], sys = syss[s];
					struct layout l;
					char err[256] = "";
					int r = layout_plan(&l, &img, mem, args, sys, err,
							    sizeof(err));
					/* A generous bound on what the plan needs. */
					uint64_t need = (img.hi - PITH_GUEST_BASE) +
							img.note.min_free + PAGE + want_stack(mem) +
							PAGE + PAGE_UP(sys) +
							PAGE_UP(sizeof(struct pith_boot) +
								sizeof(img.phdr) + args + 64 +
								sizeof(struct pith_console) +
								want_console(mem));
					const char *why;

					n++;
					if (r == 0) {
						ok++;
						why = plan_broken(&l, &img, mem, args, sys);
					} else {
						failed_ok++;
						why = mem >= need ? "refused although it fits"
								  : NULL;
						if (!strstr(err, "too small") ||
						    !strstr(err, "use -m")) {
							if (!badmsg++)
								snprintf(firstmsg, sizeof(firstmsg),
									 "%s", err);
						}
					}
					if (why && !bad++)
						snprintf(first, sizeof(first),
							 "image %s, mem %llu K, args %llu, sys "
							 "%llu: %s",
							 imgs[i].name,
							 (unsigned long long)(mem >> 10),
							 (unsigned long long)args,
							 (unsigned long long)sys, why);
				}
		eb_free(&b);
	}
	CHECKD("layout/plan/sweep", bad == 0, "%u of %u plans wrong, first: %s", bad, n, first);
	CHECKD("layout/plan/sweep-both-outcomes", ok > 100 && failed_ok > 10,
	       "%u succeeded, %u failed", ok, failed_ok);
	CHECKD("layout/plan/too-small-message", badmsg == 0, "%u bad messages, first \"%s\"",
	       badmsg, firstmsg);
}

static void test_plan_details(void)
{
	struct eb b;
	struct elf_image img;
	struct layout l;
	char err[256];
	int r;

	make_image(&b, &img, 0x1000, 64 * K);

	/* Stack sizes. */
	{
		static const struct {
			uint64_t mem, stack;
		} st[] = {
			{ 256 * K, 64 * K },	   { 1 * M, 128 * K },	 { 1 * M + 4 * K, 132 * K },
			{ 2 * M, 256 * K },	   { 64 * M, 8 * M },	 { 4 * G, 8 * M },
			{ 64 * M + 4 * K, 8 * M }, { 60 * M, 7680 * K },
		};
		for (unsigned i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
			char n[64];

			snprintf(n, sizeof(n), "layout/stack-size/%lluK",
				 (unsigned long long)(st[i].mem >> 10));
			r = layout_plan(&l, &img, st[i].mem, 0, 0, err, sizeof(err));
			CHECKD(n, r == 0 && l.stack_top - l.stack_bottom == st[i].stack,
			       "returned %d (%s), stack %llu K, want %llu K", r, r ? err : "",
			       (unsigned long long)((l.stack_top - l.stack_bottom) >> 10),
			       (unsigned long long)(st[i].stack >> 10));
		}
	}
	r = layout_plan(&l, &img, 16 * M - 4 * K, 0, 0, err, sizeof(err));
	CHECK("layout/console/below-16M", r == 0 && l.console_size == 8 * K);
	r = layout_plan(&l, &img, 16 * M, 0, 0, err, sizeof(err));
	CHECK("layout/console/16M", r == 0 && l.console_size == 64 * K);

	/* Exact regions for one plan, worked out by hand: 1 MiB, no args,
	 * two pages of system area. */
	r = layout_plan(&l, &img, 1 * M, 0, 2 * PAGE, err, sizeof(err));
	CHECK("layout/1M/ok", r == 0);
	CHECK_U64("layout/1M/sys", l.sys, 1 * M - 2 * PAGE);
	CHECK_U64("layout/1M/sys-end", l.sys_end, 1 * M);
	CHECK_U64("layout/1M/boot-end", l.boot_end, l.sys);
	CHECK_U64("layout/1M/stack-top", l.stack_top, l.boot);
	CHECK_U64("layout/1M/stack", l.stack_top - l.stack_bottom, 128 * K);
	CHECK_U64("layout/1M/guard", l.guard, l.stack_bottom - PAGE);
	CHECK_U64("layout/1M/free-start", l.free_start, 0x5000);
	CHECK_U64("layout/1M/free-end", l.free_end, l.guard);

	/* Refusals. */
	r = layout_plan(&l, &img, 64 * K, 0, 0, err, sizeof(err));
	CHECK("layout/refuse/64K", r == -1);
	{
		char want[128];

		snprintf(want, sizeof(want),
			 "64 KiB of memory is too small for this image "
			 "(needs at least %llu KiB; use -m)",
			 (unsigned long long)(layout_min_mem(&img, 0, 0) >> 10));
		CHECKD("layout/refuse/message", strcmp(err, want) == 0, "got \"%s\", want \"%s\"",
		       err, want);
	}
	r = layout_plan(&l, &img, 1 * M + 1, 0, 0, err, sizeof(err));
	CHECK("layout/refuse/unaligned", r == -1);
	r = layout_plan(&l, &img, 4 * G + PAGE, 0, 0, err, sizeof(err));
	CHECK("layout/refuse/above-4G", r == -1);
	r = layout_plan(&l, &img, 8 * G, 0, 0, err, sizeof(err));
	CHECK("layout/refuse/8G", r == -1);
	r = layout_plan(&l, &img, 0, 0, 0, err, sizeof(err));
	CHECK("layout/refuse/zero", r == -1);
	/* Sizes that wrap when rounded up or added. */
	r = layout_plan(&l, &img, 1 * M, 0, UINT64_MAX - 100, err, sizeof(err));
	CHECKD("layout/refuse/huge-sys", r == -1,
	       "sys_bytes 2^64-101 in 1 MiB: returned %d with sys 0x%llx..0x%llx", r,
	       (unsigned long long)l.sys, (unsigned long long)l.sys_end);
	r = layout_plan(&l, &img, 1 * M, UINT64_MAX - 100, 0, err, sizeof(err));
	CHECKD("layout/refuse/huge-args", r == -1,
	       "args_len 2^64-101 in 1 MiB: returned %d with args at 0x%llx, console at 0x%llx", r,
	       (unsigned long long)l.args, (unsigned long long)l.console);
	r = layout_plan(&l, &img, 1 * M, 2 * M, 0, err, sizeof(err));
	CHECK("layout/refuse/args-larger-than-mem", r == -1);
	r = layout_plan(&l, &img, 64 * K, 0, 0, err, 8);
	CHECK("layout/refuse/short-err-buffer-terminated", r == -1 && strlen(err) == 7);
	eb_free(&b);

	/* min_free: exactly honoured. */
	make_image(&b, &img, 0x1000, 0);
	r = layout_plan(&l, &img, 2 * M, 0, 0, err, sizeof(err));
	if (r == 0) {
		uint64_t free = l.free_end - l.free_start;

		b.note.min_free = free;
		eb_build(&b);
		eb_parse(&b, b.size, &img);
		r = layout_plan(&l, &img, 2 * M, 0, 0, err, sizeof(err));
		CHECK("layout/min-free/exact-fit", r == 0 && l.free_end - l.free_start == free);
		b.note.min_free = free + 1;
		eb_build(&b);
		eb_parse(&b, b.size, &img);
		r = layout_plan(&l, &img, 2 * M, 0, 0, err, sizeof(err));
		CHECK("layout/min-free/one-byte-over", r == -1);
		b.note.min_free = UINT64_MAX;
		eb_build(&b);
		eb_parse(&b, b.size, &img);
		r = layout_plan(&l, &img, 4 * G, 0, 0, err, sizeof(err));
		CHECK("layout/min-free/max", r == -1);
	}
	eb_free(&b);

	/* Every args length: the console always fits in the boot area. */
	make_image(&b, &img, 0x1000, 0);
	{
		unsigned bad = 0;
		uint64_t first = 0;
		const char *why = NULL;

		for (uint64_t args = 0; args <= 3 * PAGE; args++)
			for (unsigned k = 0; k < 2; k++) {
				uint64_t mem = k ? 64 * M : 1 * M;
				const char *w;

				if (layout_plan(&l, &img, mem, args, 0, err, sizeof(err)) != 0) {
					w = "refused";
				} else {
					w = plan_broken(&l, &img, mem, args, 0);
				}
				if (w && !bad++) {
					first = args;
					why = w;
				}
			}
		CHECKD("layout/args-every-length", bad == 0, "%u wrong, first args_len %llu: %s",
		       bad, (unsigned long long)first, why);
	}
	eb_free(&b);
}

static void test_min_mem(void)
{
	static const uint64_t bsss[] = { 0x1000, 200 * K, 1536 * K };
	static const uint64_t frees[] = {
		0, 64 * K, 1 * M, 10 * M, 14 * M, 20 * M, 100 * M, 1 * G
	};
	static const uint64_t syss[] = { 0, 7 * PAGE, 28 * PAGE };
	unsigned n = 0, notenough = 0, notsmallest = 0, unaligned = 0;
	char first_ne[200] = "", first_ns[200] = "";

	for (unsigned i = 0; i < sizeof(bsss) / sizeof(bsss[0]); i++)
		for (unsigned j = 0; j < sizeof(frees) / sizeof(frees[0]); j++)
			for (unsigned s = 0; s < sizeof(syss) / sizeof(syss[0]); s++) {
				struct eb b;
				struct elf_image img;
				struct layout l;
				char err[256];
				uint64_t m;

				make_image(&b, &img, bsss[i], frees[j]);
				m = layout_min_mem(&img, syss[s], 4096);
				n++;
				unaligned += m % PAGE != 0;
				if (layout_plan(&l, &img, m, 4096, syss[s], err, sizeof(err)) !=
					    0 &&
				    !notenough++)
					snprintf(first_ne, sizeof(first_ne),
						 "bss %llu K, min_free %llu K, sys %llu: min %llu "
						 "K refused",
						 (unsigned long long)(bsss[i] >> 10),
						 (unsigned long long)(frees[j] >> 10),
						 (unsigned long long)syss[s],
						 (unsigned long long)(m >> 10));
				if (m > PAGE &&
				    layout_plan(&l, &img, m - PAGE, 4096, syss[s], err,
						sizeof(err)) == 0 &&
				    !notsmallest++)
					snprintf(first_ns, sizeof(first_ns),
						 "bss %llu K, min_free %llu K, sys %llu: %llu K "
						 "also fits",
						 (unsigned long long)(bsss[i] >> 10),
						 (unsigned long long)(frees[j] >> 10),
						 (unsigned long long)syss[s],
						 (unsigned long long)((m - PAGE) >> 10));
				eb_free(&b);
			}
	CHECKD("layout/min-mem/page-aligned", unaligned == 0, "%u of %u unaligned", unaligned, n);
	CHECKD("layout/min-mem/enough", notenough == 0, "%u of %u too small, first: %s", notenough,
	       n, first_ne);
	CHECKD("layout/min-mem/smallest", notsmallest == 0, "%u of %u not the smallest, first: %s",
	       notsmallest, n, first_ns);

	/* The same, spelled out at the 16 MiB console step. */
	{
		struct eb b;
		struct elf_image img;
		struct layout l;
		char err[256];
		uint64_t m;
		int r;

		make_image(&b, &img, 0x1000, 20 * M);
		m = layout_min_mem(&img, 0, 4096);
		r = layout_plan(&l, &img, m, 4096, 0, err, sizeof(err));
		CHECKD("layout/min-mem/enough-above-16M", r == 0,
		       "min_free 20M: layout_min_mem says %llu K, layout_plan there: %s",
		       (unsigned long long)(m >> 10), err);
		eb_free(&b);

		/* A note asking for more than any guest has. */
		eb_free(&b);
		make_image(&b, &img, 0x1000, UINT64_MAX - 1000);
		m = layout_min_mem(&img, 0, 4096);
		CHECKD("layout/min-mem/huge-min-free-no-wrap", m == 0,
		       "min_free 2^64-1001: layout_min_mem says %llu bytes, want 0 (fits nowhere)",
		       (unsigned long long)m);
		eb_free(&b);
		make_image(&b, &img, 0x1000, 1ull << 62);
		m = layout_min_mem(&img, 0, 4096);
		CHECKD("layout/min-mem/2^62-min-free", m == 0, "says %llu", (unsigned long long)m);
		eb_free(&b);
	}
}

/* More memory never makes a plan fail: once an image fits, it fits in
 * every larger size (up to 4 GiB). Swept page by page across the 16 MiB
 * step where the console grows, for images that need about that much. */
static void test_monotonic(void)
{
	unsigned bad = 0, n = 0;
	char first[200] = "";

	for (uint64_t mf = 13 * M; mf <= 15 * M; mf += 16 * K) {
		struct eb b;
		struct elf_image img;
		struct layout l;
		char err[256];
		bool fitted = false;

		make_image(&b, &img, 0x1000, mf);
		for (uint64_t m = 15 * M; m <= 17 * M; m += PAGE) {
			int r = layout_plan(&l, &img, m, 4096, 0, err, sizeof(err));

			n++;
			if (r == 0)
				fitted = true;
			else if (fitted && !bad++)
				snprintf(first, sizeof(first),
					 "min_free %llu K fits in less but not in %llu K",
					 (unsigned long long)(mf >> 10),
					 (unsigned long long)(m >> 10));
		}
		eb_free(&b);
	}
	CHECKD("layout/monotonic-in-memory", bad == 0, "%u of %u plans refused, first: %s", bad, n,
	       first);
}

static void test_guest_load(void)
{
	struct eb b;
	struct elf_image img;
	char *argv[] = { "prog", "a b", "" }, *envp[] = { "X=1", "EMPTY=" };
	struct run_opts o = { .mem_size = 1 * M, .argv = argv, .argc = 3, .envp = envp, .envc = 2 };
	struct guest g = { .mem_size = 1 * M };
	char err[256];
	uint8_t *shadow;
	int r;
	unsigned outside = 0;

	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_TLS, PF_R, 0x200, EB_DATA_VA, 0x10, 0x40, 8);
	eb_build(&b);
	/* Recognisable segment bytes. */
	for (uint64_t i = 0x180; i < 0x220; i++)
		if (i < EB_NOTE_OFF || i >= EB_NOTE_OFF + EB_NOTE_LEN)
			b.data[i] = (uint8_t)(i * 7 + 1);
	r = eb_parse(&b, b.size, &img);
	CHECK("layout/load/parse", r == 0);
	CHECK_U64("layout/args-size", args_size(&o), 5 + 4 + 1 + 4 + 7);
	g.img = &img;
	g.args_len = args_size(&o);
	r = layout_plan(&g.lay, &img, g.mem_size, g.args_len, 0, err, sizeof(err));
	CHECK("layout/load/plan", r == 0);
	g.mem = malloc(g.mem_size);
	shadow = malloc(g.mem_size);
	memset(g.mem, 0x5a, g.mem_size);
	guest_load(&g, &o, PITH_TARGET_PROCESS, PITH_BOOT_QUIET);

	for (unsigned i = 0; i < img.nseg; i++) {
		const struct elf_seg *s = &img.seg[i];
		char n[64];

		snprintf(n, sizeof(n), "layout/load/segment-%u-bytes", i);
		CHECK(n, memcmp(g.mem + (s->vaddr - PITH_GUEST_BASE), b.copy + s->offset,
				s->filesz) == 0);
	}
	CHECK("layout/load/boot-at-plan", (uint8_t *)g.boot == g.mem + g.lay.boot);
	CHECK_U64("layout/load/abi", g.boot->abi_version, PITH_ABI_VERSION);
	CHECK_U64("layout/load/target", g.boot->target, PITH_TARGET_PROCESS);
	CHECK_U64("layout/load/flags", g.boot->flags, PITH_BOOT_QUIET);
	CHECK("layout/load/argc-envc", g.boot->argc == 3 && g.boot->envc == 2);
	CHECK_U64("layout/load/phnum", g.boot->phnum, img.phnum);
	CHECK_U64("layout/load/phdr", g.boot->phdr, GPA_TO_VA(g.lay.phdr));
	CHECK("layout/load/phdr-copied",
	      memcmp(g.mem + g.lay.phdr, img.phdr, img.phnum * sizeof(img.phdr[0])) == 0);
	CHECK("layout/load/args",
	      g.boot->args == GPA_TO_VA(g.lay.args) &&
		      memcmp(g.mem + g.lay.args, "prog\0a b\0\0X=1\0EMPTY=", 21) == 0);
	CHECK("layout/load/regions",
	      g.boot->free_start == GPA_TO_VA(g.lay.free_start) &&
		      g.boot->free_end == GPA_TO_VA(g.lay.free_end) &&
		      g.boot->stack_top == GPA_TO_VA(g.lay.stack_top) &&
		      g.boot->stack_bottom == GPA_TO_VA(g.lay.stack_bottom) &&
		      g.boot->mem_size == g.mem_size);
	CHECK("layout/load/console", g.boot->console == GPA_TO_VA(g.lay.console) &&
					     (uint8_t *)g.con == g.mem + g.lay.console &&
					     g.con->size == g.lay.console_size && g.con->used == 0);
	CHECK("layout/load/hostname", strcmp(g.boot->hostname, "pith") == 0);

	/* Nothing written outside the segments' file bytes and the boot area. */
	memset(shadow, 0x5a, g.mem_size);
	for (unsigned i = 0; i < img.nseg; i++)
		memcpy(shadow + (img.seg[i].vaddr - PITH_GUEST_BASE), b.copy + img.seg[i].offset,
		       img.seg[i].filesz);
	for (uint64_t a = 0; a < g.mem_size; a++)
		if (g.mem[a] != shadow[a] && (a < g.lay.boot || a >= g.lay.boot_end))
			outside++;
	CHECKD("layout/load/writes-only-image-and-boot", outside == 0, "%u bytes written elsewhere",
	       outside);

	o.hostname = "a-very-long-hostname-that-goes-on-and-on-and-on-past-sixty-four-bytes-x";
	guest_load(&g, &o, PITH_TARGET_HVT, 0);
	CHECK("layout/load/hostname-truncated",
	      strlen(g.boot->hostname) == 63 && strncmp(g.boot->hostname, o.hostname, 63) == 0);
	free(g.mem);
	free(shadow);
	eb_free(&b);
}

int main(void)
{
	test_plan();
	test_plan_details();
	test_min_mem();
	test_monotonic();
	test_guest_load();
	return 0;
}
