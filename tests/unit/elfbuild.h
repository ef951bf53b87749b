/*
 * elfbuild.h — build small pith images in memory, for tests and the fuzz
 * corpus. Header only.
 *
 *   struct eb b;
 *   eb_init(&b);                 a valid image (below), nothing built yet
 *   b.ph[EB_DATA].p_flags |= PF_X; ...   change anything
 *   eb_build(&b);                b.data, b.size: the file, exactly sized
 *   eb_parse(&b, len, &img);     elf_parse on a fresh exact copy of the
 *                                first len bytes (ASan sees any overread)
 *   eb_free(&b);
 *
 * The default image, compact (offsets and addresses agree modulo 4 KiB):
 *   ELF header, 5 program headers at 64 (at 0x400 when more than 5)
 *   0x180  text    R X  at BASE+0x1180, 0x40 bytes, entry BASE+0x1190
 *   0x1c0  rodata  R    at BASE+0x21c0, 0x40 bytes, holding the note
 *   0x200  data    RW   at BASE+0x3200, 0x20 bytes in the file, 0x1000 in memory
 *   PT_NOTE over the pith note at 0x1c0, PT_GNU_STACK RW
 * and, with b.sections, a section table with .symtab, .strtab, .shstrtab
 * (and .pith_parts with b.parts) after everything else, the string table
 * last in the file.
 */
#ifndef PITH_TEST_ELFBUILD_H
#define PITH_TEST_ELFBUILD_H

#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pith/abi.h>

#include "../../monitor/elf.h"

#define EB_BASE	  ((uint64_t)PITH_GUEST_BASE)
#define EB_MAXPH  72
#define EB_MAXSYM 16

enum { EB_TEXT, EB_RODATA, EB_DATA, EB_NOTE, EB_STACK, EB_NDEFAULT };

#define EB_TEXT_VA   (EB_BASE + 0x1180)
#define EB_TEXT_SIZE 0x40
#define EB_ENTRY     (EB_BASE + 0x1190)
#define EB_RODATA_VA (EB_BASE + 0x21c0)
#define EB_DATA_VA   (EB_BASE + 0x3200)
#define EB_NOTE_OFF  0x1c0
#define EB_NOTE_LEN  36 /* 12 + "PITH\0" padded to 8 + 16 */

struct eb_sym {
	const char *name;
	uint64_t value, size;
	unsigned char type; /* STT_FUNC, STT_OBJECT, ... */
	bool raw_name;	    /* use st_name as given instead of name */
	uint32_t st_name;
};

struct eb {
	Elf64_Ehdr eh; /* e_phoff, e_phnum and e_sh* are set by eb_build */
	Elf64_Phdr ph[EB_MAXPH];
	unsigned nph;

	/* Written at note_off: a GNU build-id note first if note_foreign,
	 * then the pith note with these header fields and desc. */
	uint64_t note_off;
	bool note_foreign;
	uint32_t note_namesz, note_descsz, note_type;
	char note_name[8];
	struct pith_note note;

	bool sections, parts, strtab_unterminated;
	struct eb_sym sym[EB_MAXSYM];
	unsigned nsym;

	size_t min_size; /* pad the file to at least this */

	/* Output. */
	uint8_t *data;
	size_t size;
	size_t need;	   /* bytes elf_parse needs: headers, segments, notes */
	size_t strtab_off; /* where the string table starts (it ends the file) */
	uint8_t *copy;	   /* eb_parse's buffer */
};

static inline Elf64_Phdr eb_phdr(uint32_t type, uint32_t flags, uint64_t off, uint64_t va,
				 uint64_t filesz, uint64_t memsz, uint64_t align)
{
	Elf64_Phdr p = { .p_type = type,
			 .p_flags = flags,
			 .p_offset = off,
			 .p_vaddr = va,
			 .p_paddr = va,
			 .p_filesz = filesz,
			 .p_memsz = memsz,
			 .p_align = align };
	return p;
}

/* Bytes of notes eb_build writes (for PT_NOTE's p_filesz). */
static inline uint64_t eb_note_len(const struct eb *b)
{
	return (b->note_foreign ? 36 : 0) + 12 + 8 + 16;
}

static inline void eb_init(struct eb *b)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->eh.e_ident, ELFMAG, SELFMAG);
	b->eh.e_ident[EI_CLASS] = ELFCLASS64;
	b->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	b->eh.e_ident[EI_VERSION] = EV_CURRENT;
	b->eh.e_type = ET_EXEC;
	b->eh.e_machine = EM_X86_64;
	b->eh.e_version = EV_CURRENT;
	b->eh.e_entry = EB_ENTRY;
	b->eh.e_ehsize = sizeof(Elf64_Ehdr);
	b->eh.e_phentsize = sizeof(Elf64_Phdr);

	b->ph[EB_TEXT] = eb_phdr(PT_LOAD, PF_R | PF_X, 0x180, EB_TEXT_VA, EB_TEXT_SIZE,
				 EB_TEXT_SIZE, 0x1000);
	b->ph[EB_RODATA] = eb_phdr(PT_LOAD, PF_R, 0x1c0, EB_RODATA_VA, 0x40, 0x40, 0x1000);
	b->ph[EB_DATA] = eb_phdr(PT_LOAD, PF_R | PF_W, 0x200, EB_DATA_VA, 0x20, 0x1000, 0x1000);
	b->ph[EB_NOTE] =
		eb_phdr(PT_NOTE, PF_R, EB_NOTE_OFF, EB_RODATA_VA, EB_NOTE_LEN, EB_NOTE_LEN, 4);
	b->ph[EB_STACK] = eb_phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
	b->nph = EB_NDEFAULT;

	b->note_off = EB_NOTE_OFF;
	b->note_namesz = sizeof(PITH_NOTE_NAME);
	b->note_descsz = sizeof(struct pith_note);
	b->note_type = PITH_NOTE_TYPE;
	memcpy(b->note_name, PITH_NOTE_NAME, sizeof(PITH_NOTE_NAME));
	b->note.abi_version = PITH_ABI_VERSION;
	b->note.targets = PITH_TARGET_HVT | PITH_TARGET_PROCESS;
	b->note.min_free = 64 << 10;
}

/* Add a symbol (and a section table). */
static inline void eb_add_sym(struct eb *b, const char *name, uint64_t value, uint64_t size,
			      unsigned char type)
{
	b->sections = true;
	if (b->nsym < EB_MAXSYM)
		b->sym[b->nsym++] =
			(struct eb_sym){ .name = name, .value = value, .size = size, .type = type };
}

/* Symbols that match the default image's text. */
static inline void eb_add_default_syms(struct eb *b)
{
	eb_add_sym(b, "_start", EB_BASE + 0x1180, 0x10, STT_FUNC);
	eb_add_sym(b, "main", EB_BASE + 0x1190, 0x20, STT_FUNC);
	eb_add_sym(b, "tail_label", EB_BASE + 0x11b8, 0, STT_FUNC);
	eb_add_sym(b, "data_obj", EB_BASE + 0x3200, 8, STT_OBJECT);
}

static inline void eb_put(struct eb *b, uint64_t off, const void *p, size_t len)
{
	if (off <= b->size && len <= b->size - off)
		memcpy(b->data + off, p, len);
}

static inline size_t eb_align8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

static inline void eb_free(struct eb *b)
{
	free(b->data);
	free(b->copy);
	b->data = b->copy = NULL;
}

static inline void eb_build(struct eb *b)
{
	/* Offsets beyond this are deliberate nonsense, not file content. */
	const uint64_t sane = 1u << 20;
	static const char shstr[] = "\0.symtab\0.strtab\0.shstrtab\0.pith_parts";
	static const char parts[] = "core\0time";
	size_t need = sizeof(Elf64_Ehdr), end, symoff = 0, partsoff = 0, shoff = 0, shstroff = 0,
	       stroff = 0, strsz = 0, nsh = 0;
	uint64_t off;

	free(b->data);
	b->data = NULL;
	/* After the ELF header if the table fits below the text, else at 0x400,
	 * after everything else in the default layout. */
	if (b->eh.e_phoff == 0 && b->nph)
		b->eh.e_phoff = sizeof(Elf64_Ehdr) + b->nph * sizeof(Elf64_Phdr) <= 0x180
					? sizeof(Elf64_Ehdr)
					: 0x400;
	b->eh.e_phnum = (uint16_t)b->nph;
	if (b->nph && b->eh.e_phoff < sane)
		need = need > b->eh.e_phoff + b->nph * sizeof(Elf64_Phdr)
			       ? need
			       : b->eh.e_phoff + b->nph * sizeof(Elf64_Phdr);
	for (unsigned i = 0; i < b->nph; i++) {
		const Elf64_Phdr *p = &b->ph[i];

		if ((p->p_type == PT_LOAD || p->p_type == PT_NOTE) && p->p_offset < sane &&
		    p->p_filesz < sane && p->p_offset + p->p_filesz > need)
			need = p->p_offset + p->p_filesz;
	}
	if (b->note_off < sane && b->note_off + eb_note_len(b) > need)
		need = b->note_off + eb_note_len(b);
	b->need = need;
	end = need;

	if (b->sections) {
		nsh = b->parts ? 5 : 4;
		symoff = eb_align8(end);
		end = symoff + (b->nsym + 1) * sizeof(Elf64_Sym);
		if (b->parts) {
			partsoff = end;
			end += sizeof(parts);
		}
		shoff = eb_align8(end);
		end = shoff + nsh * sizeof(Elf64_Shdr);
		shstroff = end;
		end += sizeof(shstr);
		stroff = end;
		strsz = 1;
		for (unsigned i = 0; i < b->nsym; i++)
			if (!b->sym[i].raw_name)
				strsz += strlen(b->sym[i].name) + 1;
		if (b->strtab_unterminated)
			strsz--;
		end += strsz;
		b->eh.e_shoff = shoff;
		b->eh.e_shentsize = sizeof(Elf64_Shdr);
		b->eh.e_shnum = (uint16_t)nsh;
		b->eh.e_shstrndx = 3;
	}
	b->strtab_off = stroff;
	b->size = end > b->min_size ? end : b->min_size;
	b->data = calloc(1, b->size ? b->size : 1);

	/* Notes, then headers over whatever they overlap. */
	off = b->note_off;
	if (b->note_foreign) {
		uint32_t h[3] = { 4, 20, NT_GNU_BUILD_ID };
		uint8_t id[20];

		memset(id, 0xab, sizeof(id));
		eb_put(b, off, h, sizeof(h));
		eb_put(b, off + 12, "GNU", 4);
		eb_put(b, off + 16, id, sizeof(id));
		off += 36;
	}
	{
		uint32_t h[3] = { b->note_namesz, b->note_descsz, b->note_type };

		eb_put(b, off, h, sizeof(h));
		eb_put(b, off + 12, b->note_name, 8);
		eb_put(b, off + 20, &b->note, sizeof(b->note));
	}
	for (unsigned i = 0; i < b->nph; i++)
		eb_put(b, b->eh.e_phoff + i * sizeof(Elf64_Phdr), &b->ph[i], sizeof(b->ph[i]));
	eb_put(b, 0, &b->eh, sizeof(b->eh));

	if (b->sections) {
		Elf64_Shdr sh[5];
		uint32_t name = 1;

		memset(sh, 0, sizeof(sh));
		for (unsigned i = 0; i < b->nsym; i++) {
			const struct eb_sym *s = &b->sym[i];
			Elf64_Sym e = { .st_info = ELF64_ST_INFO(STB_GLOBAL, s->type),
					.st_shndx = 1,
					.st_value = s->value,
					.st_size = s->size };

			if (s->raw_name) {
				e.st_name = s->st_name;
			} else {
				size_t n = strlen(s->name) + 1;

				e.st_name = name;
				if (name + n > strsz) /* the unterminated last name */
					n = strsz - name;
				eb_put(b, stroff + name, s->name, n);
				name += (uint32_t)n;
			}
			eb_put(b, symoff + (i + 1) * sizeof(e), &e, sizeof(e));
		}
		sh[1] = (Elf64_Shdr){ .sh_name = 1,
				      .sh_type = SHT_SYMTAB,
				      .sh_offset = symoff,
				      .sh_size = (b->nsym + 1) * sizeof(Elf64_Sym),
				      .sh_link = 2,
				      .sh_info = 1,
				      .sh_addralign = 8,
				      .sh_entsize = sizeof(Elf64_Sym) };
		sh[2] = (Elf64_Shdr){ .sh_name = 9,
				      .sh_type = SHT_STRTAB,
				      .sh_offset = stroff,
				      .sh_size = strsz,
				      .sh_addralign = 1 };
		sh[3] = (Elf64_Shdr){ .sh_name = 17,
				      .sh_type = SHT_STRTAB,
				      .sh_offset = shstroff,
				      .sh_size = sizeof(shstr),
				      .sh_addralign = 1 };
		sh[4] = (Elf64_Shdr){ .sh_name = 27,
				      .sh_type = SHT_PROGBITS,
				      .sh_offset = partsoff,
				      .sh_size = sizeof(parts),
				      .sh_addralign = 1 };
		eb_put(b, shoff, sh, nsh * sizeof(Elf64_Shdr));
		eb_put(b, shstroff, shstr, sizeof(shstr));
		if (b->parts)
			eb_put(b, partsoff, parts, sizeof(parts));
	}
}

/* Patch len bytes at off of the built file (after eb_build). */
static inline void eb_patch(struct eb *b, uint64_t off, const void *p, size_t len)
{
	eb_put(b, off, p, len);
}

/* elf_parse over an exact copy of the first len bytes of the file. */
static inline int eb_parse(struct eb *b, size_t len, struct elf_image *img)
{
	free(b->copy);
	b->copy = malloc(len ? len : 1);
	if (len)
		memcpy(b->copy, b->data, len);
	return elf_parse(img, b->copy, len);
}

#endif
