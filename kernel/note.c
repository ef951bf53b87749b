/*
 * note.c — the ELF note that marks an image as pith's (include/pith/abi.h).
 *
 * The host reads it before loading: ABI version, targets, and how much free
 * memory the kernel asks for beyond the image.
 */
#include <pith/abi.h>

struct __attribute__((packed)) pith_elf_note {
	uint32_t namesz, descsz, type;
	char name[8]; /* "PITH\0" padded to 4-byte multiple */
	struct pith_note desc;
};

__attribute__((section(".note.pith"), aligned(4), used))
static const struct pith_elf_note pith_note = {
	.namesz = sizeof(PITH_NOTE_NAME),
	.descsz = sizeof(struct pith_note),
	.type = PITH_NOTE_TYPE,
	.name = PITH_NOTE_NAME,
	.desc = {
		.abi_version = PITH_ABI_VERSION,
		.targets = PITH_TARGET_HVT | PITH_TARGET_PROCESS,
		.min_free = 64 * 1024,
	},
};
