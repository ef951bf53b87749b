/*
 * fuzz_elf.c — monitor/elf.c under libFuzzer (make fuzz; tests/fuzz/run.sh).
 *
 * elf_parse must never crash or read outside the input, and whatever it
 * accepts must keep the promises of elf.h: segments inside guest memory's
 * range, not overlapping (not even sharing a page), never writable and
 * executable, the entry in an executable segment (tests/unit/elfcheck.h).
 * elf_symbolize on an accepted image must name only code, with a name that
 * ends inside the string table. A broken promise aborts, which libFuzzer
 * reports as a crash with the input saved.
 *
 * The same input is also parsed from an odd address: the buffer may be
 * unaligned (elf.c), and both parses must agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/elfcheck.h"

static void broken(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_elf: %s: %s\n", what, why);
	abort();
}

static void symbolize_some(const struct elf_image *img)
{
	uint64_t addrs[8 + 3 * ELF_MAX_SEGS + 64];
	unsigned n = 0;
	const char *why;

	addrs[n++] = img->entry;
	addrs[n++] = img->entry - 1;
	addrs[n++] = img->entry + 1;
	addrs[n++] = img->lo;
	addrs[n++] = img->hi - 1;
	addrs[n++] = 0;
	addrs[n++] = UINT64_MAX;
	for (unsigned i = 0; i < img->nseg; i++) {
		addrs[n++] = img->seg[i].vaddr;
		addrs[n++] = img->seg[i].vaddr + img->seg[i].memsz - 1;
		addrs[n++] = img->seg[i].vaddr + img->seg[i].memsz;
	}
	/* Each symbol's own address, and just past its end. */
	for (size_t i = 0; i < img->nsym && n + 2 <= sizeof(addrs) / sizeof(addrs[0]); i++) {
		Elf64_Sym s;

		memcpy(&s, &img->sym[i], sizeof(s));
		addrs[n++] = s.st_value;
		addrs[n++] = s.st_value + s.st_size;
	}
	for (unsigned i = 0; i < n; i++)
		if ((why = sym_broken(img, addrs[i])) != NULL)
			broken("elf_symbolize", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img, img2;
	const char *why;
	uint8_t *odd;
	int r, r2;

	r = elf_parse(&img, data, size);
	if (strnlen(img.err, sizeof(img.err)) == sizeof(img.err))
		broken("elf_parse", "err not terminated");
	if (r == -1) {
		if (!img.err[0])
			broken("elf_parse", "refused without a reason");
	} else {
		if ((why = elf_broken(&img, r)) != NULL)
			broken("elf_parse", why);
		symbolize_some(&img);
	}

	odd = malloc(size + 1);
	if (!odd)
		return 0;
	if (size)
		memcpy(odd + 1, data, size);
	r2 = elf_parse(&img2, odd + 1, size);
	if (r2 != r || strcmp(img.err, img2.err) != 0)
		broken("elf_parse", "an unaligned copy parses differently");
	if (r2 != -1) {
		if (img2.nseg != img.nseg || img2.entry != img.entry || img2.nsym != img.nsym)
			broken("elf_parse", "an unaligned copy parses differently");
		symbolize_some(&img2);
	}
	free(odd);
	return 0;
}
