/*
 * pithfile.h — the Pithfile: how `pith build` makes an image from a
 * project directory. The format is in docs/pithfile.md.
 *
 * The parser is pure: text in, a struct pithfile or one error line out
 * ("Pithfile:LINE:COLUMN: what is wrong"). Reading the file and acting
 * on it are the caller's business.
 */
#ifndef PITH_PITHFILE_H
#define PITH_PITHFILE_H

#include <stddef.h>
#include <stdint.h>

/* A Pithfile larger than this is refused before parsing. */
#define PITHFILE_MAX (1u << 20)

struct pithfile_port {
	uint16_t port;
	char proto[4]; /* "tcp" or "udp" */
};

struct pithfile {
	char **build;	      /* shell commands, run in order in the project directory */
	unsigned *build_line; /* the line each starts on, for messages */
	size_t nbuild;
	char *image;	   /* the file the build writes, relative, no ".." */
	char *files_host;  /* FILES: relative to the project directory, no ".." */
	char *files_guest; /* where in the guest: absolute, normalised */
	char **args;	   /* default arguments (CMD); has_args even when empty */
	size_t nargs;
	int has_args;
	char **env; /* "KEY=VALUE", a later KEY replaces an earlier one */
	size_t nenv;
	uint64_t memory; /* 0: not given */
	struct pithfile_port *ports;
	size_t nports;
	char *hostname; /* NULL: not given */
};

/*
 * Parse LEN bytes of TEXT; NAME is how errors name the file. 0 and *PF
 * filled (free with pithfile_free), or -1 with one line in ERR (no
 * newline) and *PF empty. Never reads past LEN; NUL bytes are an error.
 */
int pithfile_parse(const char *name, const char *text, size_t len, struct pithfile *pf, char *err,
		   size_t errlen);
void pithfile_free(struct pithfile *pf);

/*
 * PF's run-time defaults (CMD, ENV, MEMORY, EXPOSE, HOSTNAME) as canonical
 * Pithfile text with IMAGE set to IMAGE; BUILD and FILES are left out.
 * Malloc'd, or NULL when out of memory or a value holds a line end.
 * (pithfile_emit.c)
 */
char *pithfile_emit(const struct pithfile *pf, const char *image);

#endif
