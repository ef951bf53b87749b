/*
 * fuzz_pithfile.c — cli/pithfile.c under libFuzzer (make fuzz;
 * tests/fuzz/run.sh).
 *
 * pithfile_parse must never crash or read past the text it is given (the
 * input is not NUL-terminated), and its two outcomes keep their promises
 * (pithfile.h, docs/pithfile.md): an error is one line starting with the
 * file's name and leaves the struct empty; a success has an IMAGE inside
 * the project, a normalised absolute FILES path, a MEMORY pith run takes,
 * ports 1..65535 over tcp or udp, ENV entries KEY=VALUE with KEYs unique,
 * and no value holding a newline it was not given in an escape. A broken
 * promise aborts, which libFuzzer reports as a crash with the input saved.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pith/abi.h>

#include "../../cli/pithfile.h"

static void broken(const char *why)
{
	fprintf(stderr, "fuzz_pithfile: %s\n", why);
	abort();
}

static int has_dotdot(const char *s)
{
	for (const char *c = s; *c;) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return 1;
		c += n;
		c += *c == '/';
	}
	return 0;
}

static void check_ok(const struct pithfile *pf)
{
	if (!pf->image || !*pf->image || pf->image[0] == '/' || has_dotdot(pf->image))
		broken("IMAGE outside the project");
	if (!pf->files_host != !pf->files_guest)
		broken("FILES half set");
	if (pf->files_host) {
		const char *g = pf->files_guest;
		size_t n = strlen(g);

		if (!*pf->files_host || pf->files_host[0] == '/' || has_dotdot(pf->files_host))
			broken("FILES host path outside the project");
		if (g[0] != '/' || has_dotdot(g) || strstr(g, "//") || strstr(g, "/./") ||
		    (n > 1 && (g[n - 1] == '/' || !strcmp(g + n - 2, "/."))))
			broken("FILES guest path not normalised");
	}
	if (pf->memory % 4096 || pf->memory > PITH_MEM_MAX)
		broken("MEMORY pith run would refuse");
	for (size_t i = 0; i < pf->nports; i++) {
		if (pf->ports[i].port == 0 ||
		    (strcmp(pf->ports[i].proto, "tcp") && strcmp(pf->ports[i].proto, "udp")))
			broken("bad EXPOSE port");
		for (size_t j = 0; j < i; j++)
			if (pf->ports[j].port == pf->ports[i].port &&
			    !strcmp(pf->ports[j].proto, pf->ports[i].proto))
				broken("EXPOSE port twice");
	}
	for (size_t i = 0; i < pf->nenv; i++) {
		size_t k = strcspn(pf->env[i], "=");

		if (!pf->env[i][k] || k == 0)
			broken("ENV entry without KEY=");
		for (size_t j = 0; j < i; j++)
			if (!strncmp(pf->env[j], pf->env[i], k + 1))
				broken("ENV key twice");
	}
	for (size_t i = 0; i < pf->nbuild; i++)
		if (!*pf->build[i] || strchr(pf->build[i], '\n'))
			broken("BUILD empty or spanning lines");
	if (pf->hostname && (!*pf->hostname || strlen(pf->hostname) > 63))
		broken("HOSTNAME the guest cannot hold");
	if (!pf->has_args && pf->nargs)
		broken("arguments without CMD");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pithfile pf;
	char err[256];

	if (pithfile_parse("F", (const char *)data, size, &pf, err, sizeof(err)) == 0) {
		check_ok(&pf);
		pithfile_free(&pf);
		return 0;
	}
	if (strncmp(err, "F:", 2) || strchr(err, '\n') || strlen(err) >= sizeof(err) - 1)
		broken("error not one line naming the file");
	if (pf.image || pf.nbuild || pf.nargs || pf.nenv || pf.nports || pf.hostname ||
	    pf.files_host)
		broken("struct not empty after an error");
	return 0;
}
