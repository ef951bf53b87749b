/*
 * elf.h — reading a pith image: validation, segments, note, symbols.
 *
 * elf_parse() trusts nothing in the file. It accepts only a static x86-64
 * ELF64 executable whose loadable segments lie inside guest memory's
 * address range, do not overlap, never are writable and executable at
 * once, and whose entry lies in an executable segment; and it requires
 * the pith note (include/pith/abi.h). Every offset and size is checked
 * against the file, overflow-safe. On failure it returns -1 and leaves a
 * one-line reason in img->err. The image keeps pointers into the caller's
 * buffer, which must outlive it.
 */
#ifndef PITH_ELF_H
#define PITH_ELF_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include <pith/abi.h>

#define ELF_MAX_SEGS 8

struct elf_seg {
	uint64_t vaddr, memsz; /* guest-virtual */
	uint64_t offset, filesz;
	unsigned prot; /* PROT_READ | PROT_WRITE | PROT_EXEC */
};

struct elf_image {
	const uint8_t *data;
	size_t size;
	uint64_t entry;
	struct elf_seg seg[ELF_MAX_SEGS];
	unsigned nseg;
	uint64_t lo, hi; /* page-aligned span of all segments */
	/* Program headers worth handing to the guest (PT_LOAD, PT_TLS,
	 * PT_GNU_STACK), copied out of the file. */
	Elf64_Phdr phdr[ELF_MAX_SEGS + 2];
	unsigned phnum;
	struct pith_note note;
	/* Symbols, when the image is not stripped; NULL otherwise. */
	const Elf64_Sym *sym;
	size_t nsym;
	const char *str;
	size_t strsz;
	/* Section .pith_files: files baked in (include/pith/files.h). */
	const uint8_t *files;
	size_t files_len;
	/* Section .pith_parts: NUL-separated kernel part names. */
	const char *parts;
	size_t parts_len;
	char err[160];
};

/* Return value of elf_parse beside 0 and -1: a pith image, but built for
 * another ABI version (img->note says which). */
#define ELF_WRONG_ABI (-2)

int elf_parse(struct elf_image *img, const void *data, size_t size);

/* Name of the function holding addr and the offset into it, or NULL. */
const char *elf_symbolize(const struct elf_image *img, uint64_t addr, uint64_t *offset);

#endif
