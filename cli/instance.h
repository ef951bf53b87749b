/*
 * instance.h — an instance: an image running detached (`pith run -d`),
 * its configuration and state on disk, kept true across crashes.
 *
 * $STORE/instances/NAME/
 *   config    written once: the image, the monitor's command line, policy
 *   state     rewritten (atomically) by the supervisor on each change
 *   lock      flock'd by the supervisor for as long as it lives: a free
 *             lock means no supervisor, whatever `state` says
 *   log       the program's stdout and stderr (logfile.h), log.1 before it
 */
#ifndef PITH_INSTANCE_H
#define PITH_INSTANCE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

#define INSTANCE_NAME_MAX 64
#define INSTANCE_DIR_MAX  (PATH_MAX - 128) /* room for the file names in it */

/* Requests to the supervisor travel as a real-time signal with a value:
 * the signal to pass to the instance, and whether it may be restarted.
 * Real-time, so two requests in a row (stop's SIGTERM, then its SIGKILL)
 * queue instead of merging. */
#define CTL_SIGNAL     (SIGRTMIN + 4)
#define CTL_NO_RESTART 0x100

enum instance_status { ST_CREATED, ST_RUNNING, ST_RESTARTING, ST_EXITED };

struct instance {
	char name[INSTANCE_NAME_MAX + 1];
	char dir[INSTANCE_DIR_MAX];
	/* config */
	char image[REF_MAX];	       /* as the user named it */
	char image_id[SHA256_HEX + 1]; /* "" for an image file */
	int64_t created;	       /* seconds since the epoch */
	int restart_max;	       /* -1: no restarts; 0: on failure, no limit */
	bool rm;		       /* remove when it ends */
	uint64_t memory, log_max;
	char ports[256]; /* "80/tcp 53/udp", for ps */
	char **argv;	 /* the monitor's command line */
	int argc;
	/* state */
	enum instance_status status;
	int supervisor, pid;
	uint64_t supervisor_start; /* its start time (/proc/PID/stat), to know it */
	int64_t started_ns, finished_ns;
	int exit_code; /* as `pith run` exits: 0..255 */
	unsigned restarts;
	bool lost;  /* the supervisor died without saying how it ended */
	bool alive; /* a supervisor holds the lock now */
};

/* 1..64 of A-Z a-z 0-9 _ . - starting with a letter or digit: 1 or 0. */
int instance_name_ok(const char *s);
/* The instances directory (created when MAKE), and one instance's. */
void instances_dir(const struct store *s, char *out, bool make);
void instance_dir(const struct store *s, const char *name, char out[INSTANCE_DIR_MAX]);

/* Read NAME's config and state and see whether its supervisor lives; a
 * state that says running with no supervisor is rewritten as exited
 * (lost). 0, or -1 with ERR (ENOENT in *missing when there is none). */
int instance_load(const struct store *s, const char *name, struct instance *in, bool *missing,
		  char *err, size_t errlen);
void instance_free(struct instance *in);
/* instance_load for `pith CMD NAME`: -1 after one line on stderr. */
int instance_find(const struct store *s, const char *cmd, const char *name, struct instance *in);
/* Write config / state atomically into in->dir: 0, or -1 with errno
 * (the old file stays). */
int instance_write_config(const struct instance *in);
int instance_write_state(const struct instance *in);
/* Every instance name, sorted; *NAMES malloc'd. */
size_t instance_names(const struct store *s, char (**names)[INSTANCE_NAME_MAX + 1]);
/* Does a supervisor hold the lock in DIR? */
bool instance_alive(const char *dir);
/* Send the supervisor a request (CTL_*): 0, or -1 when it is gone. */
int instance_request(const struct instance *in, int sig, int flags);
/* Wait up to TIMEOUT_MS (-1: no limit, 0: just look) for the supervisor
 * to end: true when it has. */
bool instance_wait_gone(const struct instance *in, int timeout_ms);
/* The start time of process PID (field 22 of /proc/PID/stat), 0 if none. */
uint64_t proc_start_time(int pid);
/* Remove an instance's directory DIR and everything in it. */
void instance_remove(const char *dir);
const char *instance_status_name(enum instance_status st);
/* IN as a JSON object on stdout (no newline): what ps shows, and with
 * FULL its configuration too. */
void instance_print_json(const struct instance *in, bool full);

#endif
