/*
 * elfcheck.h — what must hold of every image elf_parse accepts; shared by
 * the unit tests and the fuzz harness (tests/fuzz/fuzz_elf.c). Header only.
 *
 * elf_broken(img, r) returns NULL when the parsed image keeps every
 * promise of elf.h, else a description of the first broken one. r is
 * elf_parse's return value (0 or ELF_WRONG_ABI: both describe an image).
 * sym_broken(img, addr) checks one elf_symbolize answer the same way.
 */
#ifndef PITH_TEST_ELFCHECK_H
#define PITH_TEST_ELFCHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <pith/abi.h>

#include "../../monitor/elf.h"

#define EC_PAGE 4096ull

static inline bool ec_in(const struct elf_image *img, const void *p, uint64_t len)
{
	const uint8_t *q = p;

	return q >= img->data && (uint64_t)(q - img->data) <= img->size &&
	       len <= img->size - (uint64_t)(q - img->data);
}

static inline const char *elf_broken(const struct elf_image *img, int r)
{
	static char why[200];
	const uint64_t lo = PITH_GUEST_BASE + PITH_IMAGE_GPA;
	const uint64_t hi = PITH_GUEST_BASE + PITH_MEM_MAX;
	uint64_t span_lo = UINT64_MAX, span_hi = 0;
	bool entry_ok = false;

#define EC_FAIL(...)                                     \
	do {                                             \
		snprintf(why, sizeof(why), __VA_ARGS__); \
		return why;                              \
	} while (0)
	if (r != 0 && r != ELF_WRONG_ABI)
		EC_FAIL("elf_parse returned %d", r);
	if (r == 0 && img->note.abi_version != PITH_ABI_VERSION)
		EC_FAIL("accepted ABI version %u", img->note.abi_version);
	if (r == ELF_WRONG_ABI && img->note.abi_version == PITH_ABI_VERSION)
		EC_FAIL("ELF_WRONG_ABI for the right ABI version");
	if (img->nseg == 0 || img->nseg > ELF_MAX_SEGS)
		EC_FAIL("%u segments", img->nseg);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];

		if (s->memsz == 0 || s->vaddr < lo || s->vaddr > hi || s->memsz > hi - s->vaddr)
			EC_FAIL("segment %u at 0x%llx+0x%llx outside guest memory", i,
				(unsigned long long)s->vaddr, (unsigned long long)s->memsz);
		if (s->filesz > s->memsz)
			EC_FAIL("segment %u filesz > memsz", i);
		if (s->offset > img->size || s->filesz > img->size - s->offset)
			EC_FAIL("segment %u past the end of the file", i);
		if ((s->prot & PROT_WRITE) && (s->prot & PROT_EXEC))
			EC_FAIL("segment %u W+X", i);
		if (s->prot & ~(unsigned)(PROT_READ | PROT_WRITE | PROT_EXEC))
			EC_FAIL("segment %u odd prot %#x", i, s->prot);
		if (s->filesz && (s->vaddr - s->offset) % EC_PAGE)
			EC_FAIL("segment %u misaligned", i);
		for (unsigned j = 0; j < i; j++) {
			const struct elf_seg *o = &img->seg[j];
			uint64_t a0 = s->vaddr & ~(EC_PAGE - 1);
			uint64_t a1 = (s->vaddr + s->memsz + EC_PAGE - 1) & ~(EC_PAGE - 1);
			uint64_t b0 = o->vaddr & ~(EC_PAGE - 1);
			uint64_t b1 = (o->vaddr + o->memsz + EC_PAGE - 1) & ~(EC_PAGE - 1);

			if (a0 < b1 && b0 < a1)
				EC_FAIL("segments %u and %u share a page", j, i);
		}
		if ((s->vaddr & ~(EC_PAGE - 1)) < span_lo)
			span_lo = s->vaddr & ~(EC_PAGE - 1);
		if (((s->vaddr + s->memsz + EC_PAGE - 1) & ~(EC_PAGE - 1)) > span_hi)
			span_hi = (s->vaddr + s->memsz + EC_PAGE - 1) & ~(EC_PAGE - 1);
		if ((s->prot & PROT_EXEC) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	if (img->lo != span_lo || img->hi != span_hi)
		EC_FAIL("span 0x%llx-0x%llx, segments say 0x%llx-0x%llx",
			(unsigned long long)img->lo, (unsigned long long)img->hi,
			(unsigned long long)span_lo, (unsigned long long)span_hi);
	if (!entry_ok)
		EC_FAIL("entry 0x%llx outside executable segments", (unsigned long long)img->entry);
	if (img->phnum > sizeof(img->phdr) / sizeof(img->phdr[0]))
		EC_FAIL("phnum %u", img->phnum);
	for (unsigned i = 0; i < img->phnum; i++) {
		const Elf64_Phdr *p = &img->phdr[i];

		if (p->p_type != PT_LOAD && p->p_type != PT_TLS && p->p_type != PT_GNU_STACK)
			EC_FAIL("program header %u of type %#x handed on", i, p->p_type);
		if (p->p_type == PT_GNU_STACK && (p->p_flags & PF_X))
			EC_FAIL("executable stack accepted");
		if (p->p_type == PT_LOAD && ((p->p_flags & PF_W) && (p->p_flags & PF_X)))
			EC_FAIL("W+X program header handed on");
	}
	if (img->sym) {
		if (!ec_in(img, img->sym, (uint64_t)img->nsym * sizeof(Elf64_Sym)))
			EC_FAIL("symbol table outside the file");
		if (!img->str || img->strsz == 0 || !ec_in(img, img->str, img->strsz))
			EC_FAIL("string table outside the file");
	}
	if (img->parts && !ec_in(img, img->parts, img->parts_len))
		EC_FAIL(".pith_parts outside the file");
	if (strnlen(img->err, sizeof(img->err)) == sizeof(img->err))
		EC_FAIL("err not terminated");
	return NULL;
#undef EC_FAIL
}

/* elf_symbolize(img, addr) must name only code, with a name that lies in
 * the string table and ends there. */
static inline const char *sym_broken(const struct elf_image *img, uint64_t addr)
{
	uint64_t off = 0xdeadbeef;
	const char *name = elf_symbolize(img, addr, &off);
	bool code = false;

	if (!name)
		return NULL;
	for (unsigned i = 0; i < img->nseg; i++)
		code |= (img->seg[i].prot & PROT_EXEC) && addr >= img->seg[i].vaddr &&
			addr - img->seg[i].vaddr < img->seg[i].memsz;
	if (!code)
		return "named an address outside executable segments";
	if (!img->str || name < img->str || name >= img->str + img->strsz)
		return "name outside the string table";
	if (!memchr(name, '\0', (size_t)(img->str + img->strsz - name)))
		return "name not terminated inside the string table";
	if (off > addr)
		return "offset larger than the address";
	return NULL;
}

#endif
