/*
 * image.h — an image file read into memory and parsed.
 */
#ifndef PITH_IMAGE_H
#define PITH_IMAGE_H

#include <stdint.h>

#include "elf.h"

struct image_file {
	uint8_t *data;
	size_t size;
	struct elf_image img;
};

/* 0, -1 (reason in f->img.err) or ELF_WRONG_ABI. */
int image_open(struct image_file *f, const char *path);
void image_close(struct image_file *f);

#endif
