/*
 * elf.c — validate and describe a pith image (see elf.h).
 *
 * Pure code over a byte buffer: no I/O, no allocation. Every field read
 * from the file is copied out with memcpy (the buffer may be unaligned)
 * and checked before use; sums are checked for overflow.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "elf.h"

#define PAGE 4096ull

static int fail(struct elf_image *img, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(img->err, sizeof(img->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* [off, off + len) inside a buffer of size bytes, without overflow. */
static bool in_file(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

static uint64_t page_down(uint64_t x)
{
	return x & ~(PAGE - 1);
}
static uint64_t page_up(uint64_t x)
{
	return (x + PAGE - 1) & ~(PAGE - 1);
}

static int parse_note(struct elf_image *img, uint64_t off, uint64_t len, bool *found)
{
	const uint8_t *p = img->data + off, *end = p + len;

	while (end - p >= 12) {
		uint32_t nsz, dsz, type;
		uint64_t nlen, dlen;

		memcpy(&nsz, p, 4);
		memcpy(&dsz, p + 4, 4);
		memcpy(&type, p + 8, 4);
		nlen = ((uint64_t)nsz + 3) & ~3ull;
		dlen = ((uint64_t)dsz + 3) & ~3ull;
		p += 12;
		if (nlen > (uint64_t)(end - p) || dlen > (uint64_t)(end - p) - nlen)
			return fail(img, "corrupt ELF note");
		if (nsz == sizeof(PITH_NOTE_NAME) && type == PITH_NOTE_TYPE &&
		    memcmp(p, PITH_NOTE_NAME, nsz) == 0) {
			if (dsz < sizeof(img->note))
				return fail(img, "pith note too short");
			memcpy(&img->note, p + nlen, sizeof(img->note));
			*found = true;
		}
		p += nlen + dlen;
	}
	return 0;
}

static int add_load(struct elf_image *img, const Elf64_Phdr *ph)
{
	struct elf_seg *s;
	const uint64_t lo = PITH_GUEST_BASE + PITH_IMAGE_GPA;
	const uint64_t hi = PITH_GUEST_BASE + PITH_MEM_MAX;

	if (ph->p_memsz == 0)
		return 0;
	if (img->nseg == ELF_MAX_SEGS)
		return fail(img, "more than %d loadable segments", ELF_MAX_SEGS);
	if (ph->p_filesz > ph->p_memsz)
		return fail(img, "segment file size exceeds its memory size");
	if (!in_file(img->size, ph->p_offset, ph->p_filesz))
		return fail(img, "segment extends past the end of the file (truncated?)");
	if (ph->p_vaddr < lo || ph->p_vaddr > hi || ph->p_memsz > hi - ph->p_vaddr)
		return fail(img,
			    "segment at 0x%llx+0x%llx lies outside guest memory "
			    "(not linked by pith cc?)",
			    (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_memsz);
	if (ph->p_filesz && (ph->p_vaddr - ph->p_offset) % PAGE)
		return fail(img, "segment offset and address disagree modulo the page size");
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return fail(img, "segment is both writable and executable");
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *o = &img->seg[i];

		if (page_down(ph->p_vaddr) < page_up(o->vaddr + o->memsz) &&
		    page_down(o->vaddr) < page_up(ph->p_vaddr + ph->p_memsz))
			return fail(img, "segments overlap");
	}
	s = &img->seg[img->nseg++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->prot = (ph->p_flags & PF_R ? PROT_READ : 0) | (ph->p_flags & PF_W ? PROT_WRITE : 0) |
		  (ph->p_flags & PF_X ? PROT_EXEC : 0);
	return 0;
}

/* Is sh a section of the file called name (per the names table)? */
static bool named(const struct elf_image *img, const Elf64_Shdr *names, const Elf64_Shdr *sh,
		  const char *name)
{
	size_t n = strlen(name) + 1;

	return sh->sh_type == SHT_PROGBITS && sh->sh_name < names->sh_size &&
	       in_file(img->size, sh->sh_offset, sh->sh_size) &&
	       names->sh_size - sh->sh_name >= n &&
	       memcmp(img->data + names->sh_offset + sh->sh_name, name, n) == 0;
}

static void find_sections(struct elf_image *img, const Elf64_Ehdr *eh)
{
	Elf64_Shdr names, sh;
	uint64_t tab = eh->e_shoff;

	/* Symbols are optional: a stripped or odd section table only costs
	 * symbol names in crash reports. */
	if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
	    eh->e_shstrndx >= eh->e_shnum ||
	    !in_file(img->size, tab, (uint64_t)eh->e_shnum * sizeof(sh)))
		return;
	memcpy(&names, img->data + tab + (uint64_t)eh->e_shstrndx * sizeof(sh), sizeof(names));
	if (!in_file(img->size, names.sh_offset, names.sh_size))
		names.sh_size = 0;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		memcpy(&sh, img->data + tab + (uint64_t)i * sizeof(sh), sizeof(sh));
		if (sh.sh_type == SHT_SYMTAB && sh.sh_link < eh->e_shnum &&
		    sh.sh_entsize == sizeof(Elf64_Sym) && sh.sh_offset % 8 == 0 &&
		    in_file(img->size, sh.sh_offset, sh.sh_size)) {
			Elf64_Shdr st;

			memcpy(&st, img->data + tab + (uint64_t)sh.sh_link * sizeof(st),
			       sizeof(st));
			if (st.sh_type != SHT_STRTAB || st.sh_size == 0 ||
			    !in_file(img->size, st.sh_offset, st.sh_size))
				continue;
			img->sym = (const Elf64_Sym *)(img->data + sh.sh_offset);
			img->nsym = sh.sh_size / sizeof(Elf64_Sym);
			img->str = (const char *)img->data + st.sh_offset;
			img->strsz = st.sh_size;
		}
		if (named(img, &names, &sh, ".pith_parts")) {
			img->parts = (const char *)img->data + sh.sh_offset;
			img->parts_len = sh.sh_size;
		}
		if (named(img, &names, &sh, ".pith_files")) {
			img->files = img->data + sh.sh_offset;
			img->files_len = sh.sh_size;
		}
	}
}

int elf_parse(struct elf_image *img, const void *data, size_t size)
{
	Elf64_Ehdr eh;
	bool note = false, exec_entry = false;

	memset(img, 0, sizeof(*img));
	img->data = data;
	img->size = size;
	if (size < 4 || memcmp(data, ELFMAG, SELFMAG) != 0)
		return fail(img, "not an ELF file");
	if (size < sizeof(eh))
		return fail(img, "truncated ELF header");
	memcpy(&eh, data, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(img, "not a 64-bit little-endian ELF file");
	if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
		return fail(img, "unknown ELF version");
	if (eh.e_machine != EM_X86_64)
		return fail(img, "not an x86-64 ELF file");
	if (eh.e_type != ET_EXEC)
		return fail(img, "not a static executable (ELF type %u)", eh.e_type);
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 64)
		return fail(img, "bad program header table");
	if (!in_file(size, eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr)))
		return fail(img, "program headers extend past the end of the file (truncated?)");

	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, (const uint8_t *)data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_LOAD:
			if (add_load(img, &ph) < 0)
				return -1;
			break;
		case PT_NOTE:
			if (!in_file(size, ph.p_offset, ph.p_filesz))
				return fail(img,
					    "note extends past the end of the file (truncated?)");
			if (parse_note(img, ph.p_offset, ph.p_filesz, &note) < 0)
				return -1;
			continue;
		case PT_INTERP:
		case PT_DYNAMIC:
			return fail(img, "dynamically linked: not a pith image");
		case PT_GNU_STACK:
			if (ph.p_flags & PF_X)
				return fail(img, "image asks for an executable stack");
			break;
		case PT_TLS:
			if (ph.p_memsz == 0)
				continue;
			if (ph.p_filesz > ph.p_memsz || ph.p_align > PAGE)
				return fail(img, "bad TLS segment");
			break;
		default:
			continue;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz)
			if (img->phnum < sizeof(img->phdr) / sizeof(img->phdr[0]))
				img->phdr[img->phnum++] = ph;
	}
	if (img->nseg == 0)
		return fail(img, "no loadable segments");
	for (unsigned i = 0; i < img->phnum; i++) {
		const Elf64_Phdr *ph = &img->phdr[i];
		bool inside = false;

		if (ph->p_type != PT_TLS)
			continue;
		for (unsigned j = 0; j < img->nseg; j++)
			inside |=
				ph->p_vaddr >= img->seg[j].vaddr &&
				ph->p_filesz <= img->seg[j].memsz &&
				ph->p_vaddr - img->seg[j].vaddr <= img->seg[j].memsz - ph->p_filesz;
		if (!inside)
			return fail(img, "TLS template outside the loaded segments");
	}
	img->lo = UINT64_MAX;
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];

		if (page_down(s->vaddr) < img->lo)
			img->lo = page_down(s->vaddr);
		if (page_up(s->vaddr + s->memsz) > img->hi)
			img->hi = page_up(s->vaddr + s->memsz);
		if ((s->prot & PROT_EXEC) && eh.e_entry >= s->vaddr &&
		    eh.e_entry - s->vaddr < s->memsz)
			exec_entry = true;
	}
	if (!exec_entry)
		return fail(img, "entry point 0x%llx is not in an executable segment",
			    (unsigned long long)eh.e_entry);
	img->entry = eh.e_entry;
	if (!note)
		return fail(img, "not a pith image (no PITH note): build it with pith cc");
	find_sections(img, &eh);
	if (img->note.min_free > PITH_MEM_MAX)
		return fail(img, "pith note asks for more free memory than a guest can have");
	if (img->note.abi_version != PITH_ABI_VERSION) {
		fail(img,
		     "image built for pith ABI %u; this pith runs ABI %u (rebuild it with this "
		     "pith cc)",
		     img->note.abi_version, PITH_ABI_VERSION);
		return ELF_WRONG_ABI;
	}
	return 0;
}

const char *elf_symbolize(const struct elf_image *img, uint64_t addr, uint64_t *offset)
{
	Elf64_Sym best = { 0 };
	bool found = false, code = false;

	/* Only code addresses have a function to name. */
	for (unsigned i = 0; i < img->nseg; i++)
		code |= (img->seg[i].prot & PROT_EXEC) && addr >= img->seg[i].vaddr &&
			addr - img->seg[i].vaddr < img->seg[i].memsz;
	if (!code)
		return NULL;
	/* The function that starts last at or below addr; a sized one must
	 * also cover addr (a size-0 one, from assembly, reaches up to the
	 * next function). */
	for (size_t i = 0; i < img->nsym; i++) {
		Elf64_Sym s;

		memcpy(&s, &img->sym[i], sizeof(s));
		if (ELF64_ST_TYPE(s.st_info) != STT_FUNC || s.st_value > addr ||
		    s.st_name >= img->strsz)
			continue;
		if (!found || s.st_value > best.st_value ||
		    (s.st_value == best.st_value && s.st_size > best.st_size)) {
			best = s;
			found = true;
		}
	}
	if (!found || (best.st_size && addr - best.st_value >= best.st_size))
		return NULL;
	/* The name must end inside the string table. */
	if (!memchr(img->str + best.st_name, '\0', img->strsz - best.st_name))
		return NULL;
	*offset = addr - best.st_value;
	return img->str + best.st_name;
}
