/*
 * detach.h — `pith run -d` (detach.c): what run.c collects for it.
 */
#ifndef PITH_DETACH_H
#define PITH_DETACH_H

#include <stdbool.h>
#include <stdint.h>

#define DETACH_FWD_MAX 4096

struct run_opts;
struct pithfile;

struct detach {
	bool on;
	const char *name;
	bool rm;
	int restart_max; /* -1: never; 0: on failure, no limit; N: at most N times */
	uint64_t log_max;
	char *fwd[DETACH_FWD_MAX]; /* the options the monitor is run with */
	int nfwd;
};

/* Remember an option (and its value, or NULL) for the monitor. */
void detach_forward(struct detach *d, const char *opt, const char *val);
/* -v with HOST made absolute. */
void detach_forward_volume(struct detach *d, const char *spec);
/* --restart no | on-failure | on-failure:N: -1, 0, N; -2 when malformed. */
int parse_restart(const char *s);
/* Make the instance, start its supervisor, print its name: 0, or exit
 * 125 with one line. ARGS[0] is IMAGE as given; ARGS[1..] its args. */
int run_detached(struct detach *d, const char *image, const char *id, char *const *args, int nargs,
		 const struct run_opts *o, const struct pithfile *defs);

#endif
