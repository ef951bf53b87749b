/*
 * files.h — files baked into an image at build time (`pith cc
 * --pith-files=DIR`), as the guest finds them.
 *
 * One blob in the image's read-only section .pith_files, between the
 * symbols __pith_files and __pith_files_end: a header, then count entries,
 * then the paths and file contents they point at. Offsets are from the
 * blob's start; contents are 8-byte aligned. Paths are relative to the
 * root, without "." or ".." components, parents before children. The
 * kernel serves the bytes in place, read-only: nothing is copied at boot.
 */
#ifndef PITH_FILES_H
#define PITH_FILES_H

#include <stdint.h>

#define PITH_FILES_MAGIC "PITHFS1"

struct pith_files_hdr {
	char magic[8]; /* PITH_FILES_MAGIC and a NUL */
	uint32_t count;
	uint32_t pad;
};

struct pith_files_ent {
	uint32_t mode;	   /* S_IFDIR, S_IFREG or S_IFLNK, and permissions */
	uint32_t path_len; /* bytes, no NUL */
	uint64_t path_off;
	uint64_t size;	   /* file bytes, or the link's target length */
	uint64_t data_off; /* file bytes, or the target */
};

#endif
