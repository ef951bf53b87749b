/*
 * vdso.c — find the host kernel's vDSO clock_gettime, so that the process
 * target reads time without a system call, as native programs do.
 *
 * The vDSO is an ELF image the kernel maps into every process; its
 * section table lists a dynamic symbol table. The guest, which runs in
 * pith's own process, calls it there.
 */
#include <elf.h>
#include <string.h>
#include <sys/auxv.h>

#include "vdso.h"

uint64_t vdso_clock_gettime(void)
{
	const uint8_t *base = (const uint8_t *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Shdr *sh;
	uint64_t load = 0;

	if (!base || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return 0;
	/* Symbol values are link-time addresses; the first PT_LOAD says
	 * where the image was linked. */
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD) {
			load = ph->p_vaddr - ph->p_offset;
			break;
		}
	}
	sh = (const Elf64_Shdr *)(base + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		const Elf64_Sym *sym;
		const char *str;

		if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
			continue;
		sym = (const Elf64_Sym *)(base + sh[i].sh_offset);
		str = (const char *)base + sh[sh[i].sh_link].sh_offset;
		for (size_t j = 0; j < sh[i].sh_size / sizeof(*sym); j++)
			if (sym[j].st_shndx != SHN_UNDEF &&
			    strcmp(str + sym[j].st_name, "__vdso_clock_gettime") == 0)
				return (uint64_t)(uintptr_t)base + sym[j].st_value - load;
	}
	return 0;
}
