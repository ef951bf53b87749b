/*
 * mkcorpus.c — write the seed images of tests/fuzz/corpus/ (elfbuild.h).
 *
 *   cc -std=gnu11 -Iinclude -o /tmp/mkcorpus tests/fuzz/mkcorpus.c monitor/elf.c
 *   /tmp/mkcorpus tests/fuzz/corpus
 *
 * The corpus also holds hello.elf, a real image, stripped:
 *   build/bin/pith cc -o hello.elf examples/hello/hello.c && strip hello.elf
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/elfbuild.h"

static int put(const char *dir, const char *name, struct eb *b, int want)
{
	char path[4096];
	struct elf_image img;
	FILE *f;
	int r;

	eb_build(b);
	r = eb_parse(b, b->size, &img);
	if (r != want) {
		fprintf(stderr, "mkcorpus: %s: elf_parse returned %d (%s), want %d\n", name, r,
			img.err, want);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->size, f) != b->size || fclose(f) != 0) {
		perror(path);
		return 1;
	}
	eb_free(b);
	return 0;
}

int main(int argc, char **argv)
{
	struct eb b;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus DIR\n");
		return 2;
	}
	/* The default: text, rodata with the note, data + bss, no sections. */
	eb_init(&b);
	bad |= put(argv[1], "tiny.elf", &b, 0);

	/* Symbols, .pith_parts, a size-0 label. */
	eb_init(&b);
	eb_add_default_syms(&b);
	b.parts = true;
	bad |= put(argv[1], "symbols.elf", &b, 0);

	/* TLS, a foreign note before the pith note, program headers last. */
	eb_init(&b);
	b.ph[b.nph++] = eb_phdr(PT_TLS, PF_R, 0x200, EB_DATA_VA, 0x10, 0x40, 8);
	b.note_foreign = true;
	b.ph[EB_NOTE].p_filesz = b.ph[EB_NOTE].p_memsz = eb_note_len(&b);
	b.eh.e_phoff = 0x300;
	bad |= put(argv[1], "tls-notes.elf", &b, 0);

	/* The most loadable segments allowed, text from file offset 0. */
	eb_init(&b);
	b.ph[EB_TEXT].p_vaddr = EB_BASE + PITH_IMAGE_GPA;
	b.ph[EB_TEXT].p_offset = 0;
	b.ph[EB_TEXT].p_filesz = b.ph[EB_TEXT].p_memsz = 0x1c0;
	for (unsigned i = 0; i < ELF_MAX_SEGS - 3; i++)
		b.ph[b.nph++] = eb_phdr(PT_LOAD, i % 2 ? PF_R : PF_R | PF_W, 0,
					EB_BASE + 0x10000 + i * 0x2000, 0, 0x100, 0x1000);
	bad |= put(argv[1], "eight-segments.elf", &b, 0);

	/* A pith image for another ABI. */
	eb_init(&b);
	b.note.abi_version = PITH_ABI_VERSION + 1;
	eb_add_sym(&b, "start", EB_TEXT_VA, EB_TEXT_SIZE, STT_FUNC);
	bad |= put(argv[1], "other-abi.elf", &b, ELF_WRONG_ABI);
	return bad;
}
