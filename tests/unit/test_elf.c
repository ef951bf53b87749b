/*
 * test_elf.c — monitor/elf.c: elf_parse and elf_symbolize over images built
 * in memory (elfbuild.h), each parsed from an exactly sized copy so that
 * ASan sees any read past the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "elfbuild.h"
#include "elfcheck.h"

#define FULL ((size_t)-1)
#define HI   (PITH_GUEST_BASE + PITH_MEM_MAX)

/* Build b, parse len bytes of it (FULL: all), and check the result is
 * want (0, -1, ELF_WRONG_ABI) with err containing frag (if not NULL).
 * Frees b. Returns the check's truth. */
static int expect(const char *name, struct eb *b, size_t len, int want, const char *frag)
{
	struct elf_image img;
	char d[300];
	int r, ok;

	eb_build(b);
	r = eb_parse(b, len == FULL ? b->size : len, &img);
	ok = r == want && (!frag || strstr(img.err, frag));
	if (ok && r != -1) {
		const char *why = elf_broken(&img, r);

		if (why) {
			ok = 0;
			snprintf(d, sizeof(d), "accepted a broken image: %s", why);
		}
	}
	if (!ok && r != want)
		snprintf(d, sizeof(d), "returned %d, want %d (err \"%s\")", r, want, img.err);
	else if (!ok && frag && !strstr(img.err, frag))
		snprintf(d, sizeof(d), "err \"%s\" lacks \"%s\"", img.err, frag);
	eb_free(b);
	return check_vline(ok, name, __FILE__, __LINE__, "elf_parse", ok ? NULL : d);
}

#define REJECT(name, b, frag) expect(name, b, FULL, -1, frag)
#define ACCEPT(name, b)	      expect(name, b, FULL, 0, NULL)

/* ---- acceptance ------------------------------------------------------- */

static void test_accept(void)
{
	struct eb b;
	struct elf_image img;
	int r;

	eb_init(&b);
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	CHECK_U64("elf/accept/default", r, 0);
	if (r == 0) {
		const char *why = elf_broken(&img, r);

		CHECKD("elf/accept/default-invariants", !why, "%s", why);
		CHECK_U64("elf/accept/nseg", img.nseg, 3);
		CHECK_U64("elf/accept/entry", img.entry, EB_ENTRY);
		CHECK_U64("elf/accept/lo", img.lo, EB_BASE + 0x1000);
		CHECK_U64("elf/accept/hi", img.hi, EB_BASE + 0x5000);
		CHECK("elf/accept/prot-text", img.seg[0].prot == (PROT_READ | PROT_EXEC));
		CHECK("elf/accept/prot-rodata", img.seg[1].prot == PROT_READ);
		CHECK("elf/accept/prot-data", img.seg[2].prot == (PROT_READ | PROT_WRITE));
		CHECK_U64("elf/accept/data-filesz", img.seg[2].filesz, 0x20);
		CHECK_U64("elf/accept/data-memsz", img.seg[2].memsz, 0x1000);
		CHECK_U64("elf/accept/note-abi", img.note.abi_version, PITH_ABI_VERSION);
		CHECK_U64("elf/accept/note-targets", img.note.targets, 3);
		CHECK_U64("elf/accept/note-min-free", img.note.min_free, 64 << 10);
		/* 3 x PT_LOAD + PT_GNU_STACK are handed on; PT_NOTE is not. */
		CHECK_U64("elf/accept/phnum", img.phnum, 4);
		CHECK("elf/accept/stripped", img.sym == NULL && img.nsym == 0 && img.parts == NULL);
	}
	eb_free(&b);

	eb_init(&b);
	eb_add_default_syms(&b);
	b.parts = true;
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	CHECK_U64("elf/accept/with-sections", r, 0);
	CHECK_U64("elf/accept/nsym", img.nsym, 5);
	CHECK("elf/accept/parts",
	      img.parts && img.parts_len == 10 && memcmp(img.parts, "core\0time", 10) == 0);
	eb_free(&b);

	/* A foreign note before the pith note. */
	eb_init(&b);
	b.note_foreign = true;
	b.ph[EB_NOTE].p_filesz = b.ph[EB_NOTE].p_memsz = eb_note_len(&b);
	ACCEPT("elf/accept/foreign-note-first", &b);

	/* A longer pith note descriptor is fine. */
	eb_init(&b);
	b.note_descsz = 24;
	b.ph[EB_NOTE].p_filesz = 12 + 8 + 24;
	ACCEPT("elf/accept/longer-note-desc", &b);

	/* PT_TLS inside the data segment is handed on. */
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_TLS, PF_R, 0x200, EB_DATA_VA, 0x10, 0x40, 8);
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	CHECK_U64("elf/accept/tls", r, 0);
	CHECK_U64("elf/accept/tls-phnum", img.phnum, 5);
	eb_free(&b);

	/* An empty PT_LOAD is ignored, not counted. */
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_LOAD, PF_R, 0, 0, 0, 0, 0x1000);
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	CHECK("elf/accept/empty-load-ignored", r == 0 && img.nseg == 3);
	eb_free(&b);

	/* Exactly ELF_MAX_SEGS loadable segments. */
	eb_init(&b);
	for (unsigned i = 0; i < ELF_MAX_SEGS - 3; i++)
		b.ph[b.nph++] =
			eb_phdr(PT_LOAD, PF_R, 0, EB_BASE + 0x10000 + i * 0x2000, 0, 0x100, 0x1000);
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	CHECK("elf/accept/max-segments", r == 0 && img.nseg == ELF_MAX_SEGS);
	eb_free(&b);

	/* A segment ending exactly at the top of guest memory's range. */
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_LOAD, PF_R | PF_W, 0, HI - 0x1000, 0, 0x1000, 0x1000);
	ACCEPT("elf/accept/segment-ends-at-mem-max", &b);

	/* The lowest address allowed, BASE + IMAGE_GPA, with text covering
	 * the headers from file offset 0 as linkers like to do. */
	eb_init(&b);
	b.ph[EB_TEXT].p_vaddr = EB_BASE + PITH_IMAGE_GPA;
	b.ph[EB_TEXT].p_offset = 0;
	b.ph[EB_TEXT].p_filesz = b.ph[EB_TEXT].p_memsz = 0x1c0;
	ACCEPT("elf/accept/segment-at-image-gpa", &b);

	/* Entry at the last byte of text. */
	eb_init(&b);
	b.eh.e_entry = EB_TEXT_VA + EB_TEXT_SIZE - 1;
	ACCEPT("elf/accept/entry-last-text-byte", &b);

	/* Segments in the file in descending address order. */
	eb_init(&b);
	{
		Elf64_Phdr t = b.ph[EB_TEXT];

		b.ph[EB_TEXT] = b.ph[EB_DATA];
		b.ph[EB_DATA] = t;
	}
	ACCEPT("elf/accept/descending-segments", &b);

	/* Program headers after the segments, at an odd offset. */
	eb_init(&b);
	b.eh.e_phoff = 0x301;
	ACCEPT("elf/accept/phdrs-at-end-unaligned", &b);

	/* Odd section tables cost only the symbols. */
	eb_init(&b);
	eb_add_default_syms(&b);
	eb_build(&b);
	{
		Elf64_Ehdr eh;

		memcpy(&eh, b.data, sizeof(eh));
		eh.e_shstrndx = eh.e_shnum;
		eb_patch(&b, 0, &eh, sizeof(eh));
		r = eb_parse(&b, b.size, &img);
		CHECK("elf/accept/bad-shstrndx-no-symbols", r == 0 && img.sym == NULL);
		memcpy(&eh, b.data, sizeof(eh));
		eh.e_shstrndx = 3;
		eh.e_shoff = UINT64_MAX - 0x40;
		eb_patch(&b, 0, &eh, sizeof(eh));
		r = eb_parse(&b, b.size, &img);
		CHECK("elf/accept/shoff-overflow-no-symbols", r == 0 && img.sym == NULL);
		eh.e_shoff = b.size - 0x40;
		eb_patch(&b, 0, &eh, sizeof(eh));
		r = eb_parse(&b, b.size, &img);
		CHECK("elf/accept/shoff-past-end-no-symbols", r == 0 && img.sym == NULL);
	}
	eb_free(&b);

	/* The buffer need not be aligned. */
	eb_init(&b);
	eb_add_default_syms(&b);
	eb_build(&b);
	{
		uint8_t *p = malloc(b.size + 1);
		uint64_t off = 0;
		const char *name;

		memcpy(p + 1, b.data, b.size);
		r = elf_parse(&img, p + 1, b.size);
		CHECK_U64("elf/accept/unaligned-buffer", r, 0);
		name = r == 0 ? elf_symbolize(&img, EB_ENTRY + 4, &off) : NULL;
		CHECK("elf/accept/unaligned-buffer-symbols",
		      name && strcmp(name, "main") == 0 && off == 4);
		free(p);
	}
	eb_free(&b);
}

/* ---- rejections --------------------------------------------------------- */

static void test_header(void)
{
	struct eb b;
	struct elf_image img;
	static const char text[] = "#!/bin/sh\necho this is not an ELF file at all, just text\n";
	int r;

	r = elf_parse(&img, text, sizeof(text));
	CHECK("elf/reject/not-elf", r == -1 && strstr(img.err, "not an ELF file"));
	r = elf_parse(&img, NULL, 0);
	CHECK("elf/reject/empty", r == -1 && strstr(img.err, "not an ELF file"));
	{
		char *three = malloc(3);

		memcpy(three, ELFMAG, 3);
		r = elf_parse(&img, three, 3);
		CHECK("elf/reject/three-bytes", r == -1 && strstr(img.err, "not an ELF file"));
		free(three);
	}

	eb_init(&b);
	expect("elf/reject/truncated-header", &b, sizeof(Elf64_Ehdr) - 1, -1,
	       "truncated ELF header");
	eb_init(&b);
	expect("elf/reject/magic-only", &b, 4, -1, "truncated ELF header");

	eb_init(&b);
	b.eh.e_ident[EI_CLASS] = ELFCLASS32;
	REJECT("elf/reject/32-bit", &b, "not a 64-bit");
	eb_init(&b);
	b.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	REJECT("elf/reject/big-endian", &b, "little-endian");
	eb_init(&b);
	b.eh.e_version = 2;
	REJECT("elf/reject/elf-version", &b, "unknown ELF version");
	eb_init(&b);
	b.eh.e_machine = EM_386;
	REJECT("elf/reject/machine-386", &b, "not an x86-64");
	eb_init(&b);
	b.eh.e_machine = EM_AARCH64;
	REJECT("elf/reject/machine-aarch64", &b, "not an x86-64");
	eb_init(&b);
	b.eh.e_type = ET_DYN;
	REJECT("elf/reject/et-dyn", &b, "not a static executable");
	eb_init(&b);
	b.eh.e_type = ET_REL;
	REJECT("elf/reject/et-rel", &b, "not a static executable");
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_INTERP, PF_R, 0x1c0, 0, 0x10, 0x10, 1);
	REJECT("elf/reject/pt-interp", &b, "dynamically linked");
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_DYNAMIC, PF_R | PF_W, 0x200, EB_DATA_VA, 0x10, 0x10, 8);
	REJECT("elf/reject/pt-dynamic", &b, "dynamically linked");
}

static void test_phdr_table(void)
{
	struct eb b;
	struct elf_image img;
	Elf64_Ehdr eh;
	int r;

	/* Patch the built header: eb_build sets phnum and phoff itself. */
#define PATCHED(name, field, value, frag)                                                    \
	do {                                                                                 \
		eb_init(&b);                                                                 \
		eb_build(&b);                                                                \
		memcpy(&eh, b.data, sizeof(eh));                                             \
		eh.field = value;                                                            \
		eb_patch(&b, 0, &eh, sizeof(eh));                                            \
		r = eb_parse(&b, b.size, &img);                                              \
		CHECKD(name, r == -1 && strstr(img.err, frag), "returned %d, err \"%s\"", r, \
		       img.err);                                                             \
		eb_free(&b);                                                                 \
	} while (0)

	PATCHED("elf/reject/phnum-0", e_phnum, 0, "bad program header table");
	PATCHED("elf/reject/phnum-65", e_phnum, 65, "bad program header table");
	PATCHED("elf/reject/phnum-65535", e_phnum, 0xffff, "bad program header table");
	PATCHED("elf/reject/phnum-64-past-end", e_phnum, 64, "program headers extend past");
	PATCHED("elf/reject/phentsize-32", e_phentsize, 32, "bad program header table");
	PATCHED("elf/reject/phentsize-0", e_phentsize, 0, "bad program header table");
	PATCHED("elf/reject/phoff-max", e_phoff, UINT64_MAX, "program headers extend past");
	PATCHED("elf/reject/phoff-max-minus-56", e_phoff, UINT64_MAX - 55,
		"program headers extend past");
	PATCHED("elf/reject/phoff-wraps", e_phoff, UINT64_MAX - 5 * 56 + 2,
		"program headers extend past");
	PATCHED("elf/reject/phoff-2^63", e_phoff, 1ull << 63, "program headers extend past");
	PATCHED("elf/reject/phoff-at-eof", e_phoff, b.size, "program headers extend past");
#undef PATCHED

	/* The table itself cut short by one byte. */
	eb_init(&b);
	b.eh.e_phoff = 0x300;
	eb_build(&b);
	r = eb_parse(&b, b.size - 1, &img);
	CHECK("elf/reject/phdrs-one-byte-short",
	      r == -1 && strstr(img.err, "program headers extend past"));
	eb_free(&b);
}

static void test_segments(void)
{
	struct eb b;

	/* Past the end of the file. */
	eb_init(&b);
	b.ph[EB_DATA].p_filesz = 0x1000;
	eb_build(&b);
	{
		struct elf_image img;
		int r = eb_parse(&b, b.size - 1, &img);

		CHECK("elf/reject/segment-past-eof",
		      r == -1 && strstr(img.err, "past the end of the file"));
	}
	eb_free(&b);
	eb_init(&b);
	b.ph[EB_DATA].p_offset = UINT64_MAX - 0xf; /* + filesz 0x20 wraps */
	REJECT("elf/reject/segment-offset-wraps", &b, "past the end of the file");
	eb_init(&b);
	b.ph[EB_DATA].p_offset = UINT64_MAX;
	b.ph[EB_DATA].p_filesz = 1;
	REJECT("elf/reject/segment-offset-max", &b, "past the end of the file");
	eb_init(&b);
	b.ph[EB_DATA].p_filesz = UINT64_MAX;
	b.ph[EB_DATA].p_memsz = UINT64_MAX;
	REJECT("elf/reject/segment-filesz-max", &b, "past the end of the file");

	eb_init(&b);
	b.ph[EB_DATA].p_memsz = 0x10;
	REJECT("elf/reject/filesz-gt-memsz", &b, "file size exceeds its memory size");

	/* Outside [BASE + IMAGE_GPA, BASE + MEM_MAX). */
	struct {
		const char *name;
		uint64_t vaddr, memsz;
	} out[] = {
		{ "elf/reject/range/page0", EB_BASE, 0x100 },
		{ "elf/reject/range/page0-last-byte", EB_BASE + PITH_IMAGE_GPA - 1, 0x10 },
		{ "elf/reject/range/below-base", 0x400000, 0x1000 },
		{ "elf/reject/range/zero", 0, 0x1000 },
		{ "elf/reject/range/at-mem-max", HI, 0x1000 },
		{ "elf/reject/range/crosses-mem-max", HI - 0x1000, 0x1001 },
		{ "elf/reject/range/above", HI + 0x100000, 0x1000 },
		{ "elf/reject/range/vaddr-near-max", UINT64_MAX - 0xfff, 0x2000 },
		{ "elf/reject/range/memsz-max", EB_BASE + 0x10000, UINT64_MAX },
		{ "elf/reject/range/memsz-wraps", EB_BASE + 0x10000, UINT64_MAX - EB_BASE },
	};
	for (unsigned i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		eb_init(&b);
		b.ph[b.nph++] =
			eb_phdr(PT_LOAD, PF_R | PF_W, 0, out[i].vaddr, 0, out[i].memsz, 0x1000);
		REJECT(out[i].name, &b, "outside guest memory");
	}

	eb_init(&b);
	b.ph[EB_DATA].p_flags = PF_R | PF_W | PF_X;
	REJECT("elf/reject/w+x", &b, "both writable and executable");
	eb_init(&b);
	b.ph[EB_DATA].p_flags = PF_W | PF_X;
	REJECT("elf/reject/w+x-no-r", &b, "both writable and executable");

	/* Overlaps: bytes, and only a page. */
	eb_init(&b);
	b.ph[EB_RODATA].p_vaddr = EB_TEXT_VA + EB_TEXT_SIZE; /* byte-adjacent, same page */
	REJECT("elf/reject/overlap-same-page", &b, "segments overlap");
	eb_init(&b);
	b.ph[EB_TEXT].p_memsz = 0x1100; /* text now covers rodata's bytes */
	REJECT("elf/reject/overlap-bytes", &b, "segments overlap");
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_LOAD, PF_R, 0, EB_BASE + 0x1000, 0, 0x10, 0x1000);
	REJECT("elf/reject/overlap-later-below", &b, "segments overlap");
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_LOAD, PF_R, 0, EB_BASE + 0x4fff, 0, 0x10, 0x1000);
	REJECT("elf/reject/overlap-bss-last-page", &b, "segments overlap");
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_LOAD, PF_R, 0, EB_BASE + 0x5000, 0, 0x10, 0x1000);
	ACCEPT("elf/accept/adjacent-page", &b);
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_LOAD, PF_R, 0, EB_BASE + 0x1000, 0, 0x100000, 0x1000);
	REJECT("elf/reject/overlap-covers-everything", &b, "segments overlap");
	eb_init(&b);
	b.ph[b.nph++] = b.ph[EB_TEXT];
	REJECT("elf/reject/duplicate-segment", &b, "segments overlap");

	eb_init(&b);
	b.ph[EB_TEXT].p_offset = 0x181;
	REJECT("elf/reject/offset-misaligned", &b, "disagree modulo the page size");
	eb_init(&b);
	b.ph[EB_DATA].p_vaddr = EB_DATA_VA + 8;
	REJECT("elf/reject/vaddr-misaligned", &b, "disagree modulo the page size");

	eb_init(&b);
	b.eh.e_entry = EB_RODATA_VA;
	REJECT("elf/reject/entry-in-rodata", &b, "not in an executable segment");
	eb_init(&b);
	b.eh.e_entry = EB_DATA_VA + 0x100;
	REJECT("elf/reject/entry-in-bss", &b, "not in an executable segment");
	eb_init(&b);
	b.eh.e_entry = EB_TEXT_VA + EB_TEXT_SIZE;
	REJECT("elf/reject/entry-just-past-text", &b, "not in an executable segment");
	eb_init(&b);
	b.eh.e_entry = EB_TEXT_VA - 1;
	REJECT("elf/reject/entry-just-before-text", &b, "not in an executable segment");
	eb_init(&b);
	b.eh.e_entry = 0;
	REJECT("elf/reject/entry-0", &b, "not in an executable segment");
	eb_init(&b);
	b.eh.e_entry = UINT64_MAX;
	REJECT("elf/reject/entry-max", &b, "not in an executable segment");

	/* More than ELF_MAX_SEGS. */
	eb_init(&b);
	for (unsigned i = 0; i < ELF_MAX_SEGS - 2; i++)
		b.ph[b.nph++] =
			eb_phdr(PT_LOAD, PF_R, 0, EB_BASE + 0x10000 + i * 0x2000, 0, 0x100, 0x1000);
	REJECT("elf/reject/too-many-segments", &b, "more than 8 loadable segments");
	eb_init(&b);
	for (unsigned i = 0; i < 64 - EB_NDEFAULT; i++) /* the most allowed */
		b.ph[b.nph++] =
			eb_phdr(PT_LOAD, PF_R, 0, EB_BASE + 0x10000 + i * 0x2000, 0, 0x100, 0x1000);
	REJECT("elf/reject/64-phdrs-59-segments", &b, "more than 8 loadable segments");

	/* Nothing to load. */
	eb_init(&b);
	b.ph[EB_TEXT].p_memsz = b.ph[EB_TEXT].p_filesz = 0;
	b.ph[EB_RODATA].p_memsz = b.ph[EB_RODATA].p_filesz = 0;
	b.ph[EB_DATA].p_memsz = b.ph[EB_DATA].p_filesz = 0;
	REJECT("elf/reject/no-loadable-segments", &b, "no loadable segments");

	eb_init(&b);
	b.ph[EB_STACK].p_flags = PF_R | PF_W | PF_X;
	REJECT("elf/reject/exec-stack", &b, "executable stack");

	/* TLS. */
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_TLS, PF_R, 0x200, EB_DATA_VA, 0x40, 0x20, 8);
	REJECT("elf/reject/tls-filesz-gt-memsz", &b, "bad TLS segment");
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_TLS, PF_R, 0x200, EB_DATA_VA, 0x10, 0x20, 0x2000);
	REJECT("elf/reject/tls-align", &b, "bad TLS segment");
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_TLS, PF_R, 0x200, EB_BASE + 0x8000, 0x10, 0x20, 8);
	REJECT("elf/reject/tls-outside", &b, "TLS template outside");
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_TLS, PF_R, 0x200, EB_DATA_VA + 0xff8, 0x10, 0x20, 8);
	REJECT("elf/reject/tls-crosses-segment-end", &b, "TLS template outside");
}

static void test_note(void)
{
	struct eb b;
	struct elf_image img;
	int r;

	eb_init(&b);
	b.ph[EB_NOTE] = b.ph[EB_STACK];
	b.nph--;
	REJECT("elf/reject/no-pt-note", &b, "no PITH note");
	eb_init(&b);
	b.note_type = 1;
	REJECT("elf/reject/note-type", &b, "no PITH note");
	eb_init(&b);
	memcpy(b.note_name, "PITX", 5);
	REJECT("elf/reject/note-name", &b, "no PITH note");
	eb_init(&b);
	b.note_namesz = 4; /* "PITH" without its NUL */
	REJECT("elf/reject/note-namesz-4", &b, "no PITH note");
	eb_init(&b);
	b.note_foreign = true; /* PT_NOTE covers only the foreign note */
	b.ph[EB_NOTE].p_filesz = 36;
	REJECT("elf/reject/note-only-foreign", &b, "no PITH note");

	eb_init(&b);
	b.note_namesz = 0xffffffff;
	REJECT("elf/reject/note-namesz-max", &b, "corrupt ELF note");
	eb_init(&b);
	b.note_namesz = 0xfffffffd; /* rounds up to 2^32 */
	REJECT("elf/reject/note-namesz-rounds-up", &b, "corrupt ELF note");
	eb_init(&b);
	b.note_descsz = 0xffffffff;
	REJECT("elf/reject/note-descsz-max", &b, "corrupt ELF note");
	eb_init(&b);
	b.note_descsz = 17; /* rounds to 20: one word past PT_NOTE */
	REJECT("elf/reject/note-descsz-one-word-long", &b, "corrupt ELF note");
	eb_init(&b);
	b.note_descsz = 8;
	REJECT("elf/reject/note-too-short", &b, "pith note too short");
	eb_init(&b);
	b.note_descsz = 0;
	REJECT("elf/reject/note-empty-desc", &b, "pith note too short");
	eb_init(&b);
	b.ph[EB_NOTE].p_filesz = 35; /* the pith note cut by a byte */
	expect("elf/reject/note-cut-short", &b, FULL, -1, NULL);
	eb_init(&b);
	b.ph[EB_NOTE].p_offset = UINT64_MAX - 8;
	REJECT("elf/reject/note-offset-wraps", &b, "note extends past the end");
	eb_init(&b);
	b.ph[EB_NOTE].p_filesz = 0x100000;
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	CHECK("elf/reject/note-past-eof", r == -1 && strstr(img.err, "note extends past the end"));
	eb_free(&b);

	/* Wrong ABI: a pith image, but not for us. */
	eb_init(&b);
	b.note.abi_version = PITH_ABI_VERSION + 1;
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	CHECK_U64("elf/wrong-abi/returns", r, ELF_WRONG_ABI);
	CHECK_U64("elf/wrong-abi/note-kept", img.note.abi_version, PITH_ABI_VERSION + 1);
	{
		char want[32];

		snprintf(want, sizeof(want), "ABI %u", PITH_ABI_VERSION + 1);
		CHECKD("elf/wrong-abi/message", strstr(img.err, want) != NULL, "err \"%s\"",
		       img.err);
	}
	eb_free(&b);
	eb_init(&b);
	b.note.abi_version = 0;
	expect("elf/wrong-abi/zero", &b, FULL, ELF_WRONG_ABI, "pith ABI 0");
	/* A broken image with a wrong ABI is still just broken. */
	eb_init(&b);
	b.note.abi_version = 7;
	b.ph[EB_DATA].p_flags |= PF_X;
	REJECT("elf/wrong-abi/broken-still-rejected", &b, "both writable and executable");
}

/* Every prefix of an image: no crash, and accepted exactly when it holds
 * the headers, the segments' file bytes and the note. */
static void truncation_sweep(const char *name, struct eb *b)
{
	struct elf_image img;
	size_t bad = 0, first = 0;
	int firstr = 0;
	const char *firstwhy = "";

	eb_build(b);
	for (size_t len = 0; len <= b->size; len++) {
		int r = eb_parse(b, len, &img);
		int want = len >= b->need ? 0 : -1;
		const char *why = r == 0 ? elf_broken(&img, r) : NULL;

		if (!why && r == 0 && len == b->size && b->sections && !img.sym)
			why = "full image lost its symbols";
		if ((r != want || why) && !bad++) {
			first = len;
			firstr = r;
			firstwhy = why ? why : img.err;
		}
	}
	CHECKD(name, bad == 0, "size %zu, need %zu; %zu lengths wrong, first %zu: returned %d: %s",
	       b->size, b->need, bad, first, firstr, firstwhy);
	eb_free(b);
}

static void test_truncation(void)
{
	struct eb b;

	eb_init(&b);
	truncation_sweep("elf/truncate/default", &b);
	eb_init(&b);
	eb_add_default_syms(&b);
	b.parts = true;
	truncation_sweep("elf/truncate/with-sections", &b);
	eb_init(&b);
	b.eh.e_phoff = 0x300; /* program headers last */
	truncation_sweep("elf/truncate/phdrs-last", &b);
	eb_init(&b);
	b.note_off = 0x400; /* note last, outside any segment */
	b.ph[EB_NOTE].p_offset = 0x400;
	b.note_foreign = true;
	b.ph[EB_NOTE].p_filesz = eb_note_len(&b);
	truncation_sweep("elf/truncate/note-last", &b);
}

/* Flip every bit of the headers and the note, one at a time: elf_parse
 * must never crash, and whatever it accepts must keep elf.h's promises. */
static void test_bitflips(void)
{
	struct eb b;
	struct elf_image img;
	unsigned accepted = 0, broken = 0;
	char first[200] = "";

	eb_init(&b);
	eb_add_default_syms(&b);
	b.parts = true;
	eb_build(&b);
	for (size_t i = 0; i < b.size; i++) {
		for (unsigned bit = 0; bit < 8; bit++) {
			const char *why;
			int r;

			b.data[i] ^= (uint8_t)(1u << bit);
			r = eb_parse(&b, b.size, &img);
			b.data[i] ^= (uint8_t)(1u << bit);
			if (r == -1)
				continue;
			accepted++;
			why = elf_broken(&img, r);
			for (uint64_t a = EB_TEXT_VA - 1; !why && a <= EB_TEXT_VA + EB_TEXT_SIZE;
			     a++)
				why = sym_broken(&img, a);
			if (why && !broken++)
				snprintf(first, sizeof(first), "byte %zu bit %u: %s", i, bit, why);
		}
	}
	CHECKD("elf/bitflips", broken == 0, "%zu bytes, %u variants accepted, %u broken, first %s",
	       b.size, accepted, broken, first);
	eb_free(&b);
}

/* ---- elf_symbolize ------------------------------------------------------ */

static const char *sym_at(const struct elf_image *img, uint64_t addr, uint64_t *off)
{
	*off = 0xdeadbeef;
	return elf_symbolize(img, addr, off);
}

static void check_sym(const char *name, const struct elf_image *img, uint64_t addr,
		      const char *want, uint64_t want_off)
{
	uint64_t off;
	const char *got = sym_at(img, addr, &off);
	char d[200];
	int ok = want ? got && strcmp(got, want) == 0 && off == want_off : got == NULL;

	snprintf(d, sizeof(d), "0x%llx: got %s+0x%llx, want %s+0x%llx", (unsigned long long)addr,
		 got ? got : "NULL", (unsigned long long)(got ? off : 0), want ? want : "NULL",
		 (unsigned long long)want_off);
	check_vline(ok, name, __FILE__, __LINE__, "elf_symbolize", ok ? NULL : d);
}

static void test_symbolize(void)
{
	struct eb b;
	struct elf_image img;
	int r;

	eb_init(&b);
	eb_add_default_syms(&b);
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	CHECK_U64("elf/sym/parse", r, 0);
	check_sym("elf/sym/start", &img, EB_BASE + 0x1180, "_start", 0);
	check_sym("elf/sym/start+5", &img, EB_BASE + 0x1185, "_start", 5);
	check_sym("elf/sym/entry", &img, EB_ENTRY, "main", 0);
	check_sym("elf/sym/main-last-byte", &img, EB_BASE + 0x11af, "main", 0x1f);
	check_sym("elf/sym/gap-after-main", &img, EB_BASE + 0x11b0, NULL, 0);
	check_sym("elf/sym/size0-label", &img, EB_BASE + 0x11b8, "tail_label", 0);
	check_sym("elf/sym/size0-label+7", &img, EB_BASE + 0x11bf, "tail_label", 7);
	check_sym("elf/sym/text-end", &img, EB_TEXT_VA + EB_TEXT_SIZE, NULL, 0);
	check_sym("elf/sym/text-page-before-segment", &img, EB_BASE + 0x1100, NULL, 0);
	check_sym("elf/sym/data-object", &img, EB_DATA_VA, NULL, 0);
	check_sym("elf/sym/rodata", &img, EB_RODATA_VA + 4, NULL, 0);
	check_sym("elf/sym/zero", &img, 0, NULL, 0);
	check_sym("elf/sym/max", &img, UINT64_MAX, NULL, 0);
	eb_free(&b);

	/* Stripped: nothing to name. */
	eb_init(&b);
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	check_sym("elf/sym/stripped", &img, EB_ENTRY, NULL, 0);
	eb_free(&b);

	/* Only a size-0 symbol: it names everything after it in the code. */
	eb_init(&b);
	eb_add_sym(&b, "only", EB_TEXT_VA, 0, STT_FUNC);
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	check_sym("elf/sym/size0-only", &img, EB_TEXT_VA + 0x3f, "only", 0x3f);
	check_sym("elf/sym/size0-only-before", &img, EB_TEXT_VA - 1, NULL, 0);
	eb_free(&b);

	/* A sized symbol inside a size-0 one's stretch wins where it covers. */
	eb_init(&b);
	eb_add_sym(&b, "label", EB_TEXT_VA, 0, STT_FUNC);
	eb_add_sym(&b, "fn", EB_TEXT_VA + 0x10, 0x10, STT_FUNC);
	eb_add_sym(&b, "obj", EB_TEXT_VA + 0x30, 0x10, STT_OBJECT);
	eb_add_sym(&b, "notype", EB_TEXT_VA + 0x38, 0, STT_NOTYPE);
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	check_sym("elf/sym/size0-then-sized", &img, EB_TEXT_VA + 0x18, "fn", 8);
	check_sym("elf/sym/size0-before-sized", &img, EB_TEXT_VA + 0x8, "label", 8);
	/* Past fn's end the size-0 label that precedes fn does not reach:
	 * the nearest symbol before the address is fn. */
	{
		uint64_t off;
		const char *got = sym_at(&img, EB_TEXT_VA + 0x24, &off);

		CHECKD("elf/sym/size0-not-past-later-symbol", !got || strcmp(got, "label") != 0,
		       "got %s+0x%llx, want fn+0x14 or NULL: a size-0 symbol must not "
		       "name code past a later symbol",
		       got ? got : "NULL", (unsigned long long)(got ? off : 0));
	}
	/* Objects and untyped symbols name no code. */
	{
		uint64_t off;
		const char *got = sym_at(&img, EB_TEXT_VA + 0x3a, &off);

		CHECKD("elf/sym/only-functions",
		       !got || (strcmp(got, "obj") != 0 && strcmp(got, "notype") != 0), "got %s",
		       got ? got : "NULL");
	}
	eb_free(&b);

	/* Names that do not end inside the string table. */
	eb_init(&b);
	b.sections = true;
	b.strtab_unterminated = true;
	eb_add_sym(&b, "zzz", EB_TEXT_VA, 0x40, STT_FUNC);
	eb_build(&b);
	r = eb_parse(&b, b.size, &img);
	CHECK("elf/sym/unterminated-parse", r == 0 && img.sym && b.data[b.size - 1] == 'z');
	check_sym("elf/sym/unterminated-name", &img, EB_TEXT_VA + 4, NULL, 0);
	eb_free(&b);

	for (int k = 0; k < 4; k++) {
		static const char *names[] = { "last-byte", "at-end", "past-end", "max" };
		char n[64];

		eb_init(&b);
		b.strtab_unterminated = true;
		eb_add_sym(&b, "abc", EB_TEXT_VA, 0x10, STT_FUNC);
		b.sym[b.nsym++] = (struct eb_sym){
			.value = EB_TEXT_VA + 0x10, .size = 0x30, .type = STT_FUNC, .raw_name = true
		};
		eb_build(&b);
		/* strtab is "\0abc" (4 bytes, unterminated): offsets 3, 4, 5, max */
		{
			uint32_t off = k == 0 ? 3 : k == 1 ? 4 : k == 2 ? 5 : UINT32_MAX;
			Elf64_Sym s;

			/* Find the second symbol by its value and patch its name. */
			for (size_t o = 0; o + sizeof(s) <= b.size; o += 8) {
				memcpy(&s, b.data + o, sizeof(s));
				if (s.st_value == EB_TEXT_VA + 0x10 && s.st_size == 0x30 &&
				    ELF64_ST_TYPE(s.st_info) == STT_FUNC) {
					s.st_name = off;
					eb_patch(&b, o, &s, sizeof(s));
					break;
				}
			}
		}
		r = eb_parse(&b, b.size, &img);
		snprintf(n, sizeof(n), "elf/sym/name-offset-%s", names[k]);
		{
			uint64_t off;
			const char *got = sym_at(&img, EB_TEXT_VA + 0x20, &off);
			const char *why = sym_broken(&img, EB_TEXT_VA + 0x20);

			CHECKD(n, r == 0 && !why && !got, "got %s: %s", got ? "a name" : "NULL",
			       why ? why : "");
		}
		eb_free(&b);
	}
}

int main(void)
{
	test_accept();
	test_header();
	test_phdr_table();
	test_segments();
	test_note();
	test_truncation();
	test_bitflips();
	test_symbolize();
	return 0;
}
