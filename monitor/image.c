/*
 * image.c — read an image file from the host and parse it (elf.c).
 *
 * Only the parts pith uses are read: the ELF and program headers, the
 * loadable segments and notes at the front of the file, and the section
 * headers, symbol and string tables at its end. The debug information
 * between them — most of an unstripped image — stays on disk; the buffer
 * holds zeros there. Nothing trusts this pre-scan: elf_parse() validates
 * the buffer as always, so a file that misleads it only loses content.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"

#define IMAGE_MAX (1ull << 30)
#define HEAD	  (64u << 10) /* read at once: headers, and small images whole */

static int fail(struct image_file *f, const char *what)
{
	snprintf(f->img.err, sizeof(f->img.err), "%s", what);
	return -1;
}

/* Read [off, off + len) of the file into the buffer, clamped to its size. */
static int fill(struct image_file *f, int fd, uint64_t off, uint64_t len)
{
	if (off >= f->size)
		return 0;
	if (len > f->size - off)
		len = f->size - off;
	while (len > 0) {
		ssize_t n = pread(fd, f->data + off, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(f,
				    n < 0 ? strerror(errno) : "the file shrank while being read");
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

/* The parts of the file after the head that pith reads. */
static int fill_rest(struct image_file *f, int fd)
{
	Elf64_Ehdr eh;
	uint64_t front = HEAD;

	memcpy(&eh, f->data, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    eh.e_phoff > f->size || eh.e_phnum > (f->size - eh.e_phoff) / sizeof(Elf64_Phdr))
		return 0; /* not an image elf_parse will accept: the head is enough */
	if (fill(f, fd, HEAD, eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr)) < 0)
		return -1;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, f->data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if ((ph.p_type == PT_LOAD || ph.p_type == PT_NOTE || ph.p_type == PT_TLS) &&
		    ph.p_offset <= f->size && ph.p_filesz <= f->size - ph.p_offset &&
		    ph.p_offset + ph.p_filesz > front)
			front = ph.p_offset + ph.p_filesz;
	}
	if (fill(f, fd, HEAD, front - HEAD) < 0)
		return -1;
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > f->size ||
	    eh.e_shnum > (f->size - eh.e_shoff) / sizeof(Elf64_Shdr))
		return 0; /* no usable section table: no symbols */
	if (fill(f, fd, eh.e_shoff, eh.e_shnum * sizeof(Elf64_Shdr)) < 0)
		return -1;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh;

		memcpy(&sh, f->data + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if ((sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_STRTAB) &&
		    fill(f, fd, sh.sh_offset, sh.sh_size) < 0)
			return -1;
	}
	return 0;
}

int image_open(struct image_file *f, const char *path)
{
	struct stat st;
	int fd, r;

	memset(f, 0, sizeof(*f));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(f, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(f, "not a regular file");
	}
	if ((uint64_t)st.st_size > IMAGE_MAX) {
		close(fd);
		return fail(f, "larger than 1 GiB");
	}
	f->size = (size_t)st.st_size;
	/* Anonymous memory reads as zero where nothing is read into it. */
	f->data = mmap(NULL, f->size ? f->size : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->data == MAP_FAILED) {
		f->data = NULL;
		close(fd);
		return fail(f, "out of memory");
	}
	r = fill(f, fd, 0, HEAD);
	if (r == 0 && f->size >= sizeof(Elf64_Ehdr))
		r = fill_rest(f, fd);
	close(fd);
	if (r < 0) {
		char why[sizeof(f->img.err)];

		memcpy(why, f->img.err, sizeof(why));
		image_close(f);
		memcpy(f->img.err, why, sizeof(why));
		return -1;
	}
	return elf_parse(&f->img, f->data, f->size);
}

void image_close(struct image_file *f)
{
	if (f->data)
		munmap(f->data, f->size ? f->size : 1);
	f->data = NULL;
}
