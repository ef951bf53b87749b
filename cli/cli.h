/*
 * cli.h — the `pith` command line: one file per subcommand.
 *
 * Exit statuses of pith itself (docs in README.md):
 *   0..255  `pith run`: the program's own status, or 128 + signal
 *   1       `pith build`: a BUILD command failed
 *   125     pith could not do what was asked (usage, image, host)
 *   159     the guest broke the sandbox (128 + SIGSYS)
 */
#ifndef PITH_CLI_H
#define PITH_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

int cmd_cc(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_images(int argc, char **argv);
int cmd_rmi(int argc, char **argv);
int cmd_tag(int argc, char **argv);
int cmd_supervise(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_rm(int argc, char **argv);

/* "pith: " + message + newline on stderr, then exit 125. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* After getopt_long returned '?' or ':' (optstring starts with ':'):
 * a one-line complaint naming the option, then exit 125. */
_Noreturn void bad_option(const char *cmd, int c, const char *arg);
/* 64M, 512K, 1G, 4096 (bytes): -1 when malformed or out of range. */
int parse_size(const char *s, uint64_t *out);
/* Write DIR[:/PATH]'s tree as a baked-file blob and the assembler file
 * that puts it in an image (pack.c); exits 125 on a bad tree. */
void pack_files(const char *spec, const char *blob, const char *asm_out);
/* A host name the guest can hold: 1..63 bytes of RFC 1123 labels
 * (letters, digits, inner hyphens, dots between labels). 1 or 0. */
int hostname_ok(const char *s);
/* The whole of the regular file PATH if it holds at most MAX bytes:
 * malloc'd and NUL-terminated, its length in *LEN and its status in *ST;
 * NULL with errno (EFBIG when larger, EINVAL when not a regular file). */
char *read_small_file(const char *path, size_t max, size_t *len, struct stat *st);
/* atomic.c: replace PATH whole with LEN bytes of DATA (a temporary file
 * beside it, fsync, rename, fsync of the directory): 0, or -1 with errno
 * and PATH untouched. fsync_parent makes a rename or unlink in PATH's
 * directory durable (exits 125 when it cannot). */
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);
void fsync_parent(const char *path);
/* `pith CMD [-f] NAME...` (-f, --force; --help shows USAGE and exits 0):
 * whether -f was given; optind is at the first NAME. Exits 125 on a bad
 * option or when no NAME follows ("name WHAT"). */
int parse_force_names(const char *cmd, const char *what, int argc, char **argv,
		      void (*usage)(FILE *));
/* Now, in nanoseconds since the epoch. */
int64_t wall_ns(void);
struct run_opts;
/* Add `-v HOST:GUEST[:ro]` to o, its host directory opened (volume.c);
 * exits 125 with one line when the spec or the directory is bad. */
void volume_add(struct run_opts *o, const char *spec);
/* net.c: `pith run`'s network options. net_option() records one (its
 * getopt value, NET_OPT_*); net_setup() checks them all and opens the
 * tap into o->net (with -d: checks only); exits 125 with one line. */
enum { NET_OPT_NET = 0x200, NET_OPT_IP, NET_OPT_GW, NET_OPT_DNS, NET_OPT_MAC };
void net_option(int which, const char *arg);
const char *net_option_name(int which);
void net_setup(struct run_opts *o, int detached);
/* passt.c: `--net user` and -p (published ports). */
struct run_net;
void publish_add(const char *spec);
unsigned publish_count(void);
void publish_check_free(void);
void publish_text(char *buf, size_t len);
int passt_start(const struct run_net *n);
/* The directory holding pith's guest toolchain (lib/pith). */
const char *pith_libdir(void);

struct image_file;
struct pithfile;
/*
 * IMAGE as `pith CMD` takes it (lookup.c): the file ARG when there is
 * one, else the store's image that ARG names, whose defaults go to *DEFS
 * (zeroed for a file) and ID into ID ("" for a file). Returns
 * image_open's result: 0, or ELF_WRONG_ABI which only inspect accepts;
 * anything else exits 125 with the reason.
 */
int image_lookup(const char *cmd, const char *arg, struct image_file *f, struct pithfile *defs,
		 char id[65]);

/* format.c: S as a JSON string (control characters escaped); N bytes as
 * "45.5 KiB"; the time since THEN (seconds since the epoch) as
 * "3 minutes ago". */
void json_str(FILE *f, const char *s);
const char *human_bytes(uint64_t n, char out[16]);
const char *human_ago(int64_t then, char out[32]);
const char *human_duration(int64_t seconds, char out[32]); /* "3 minutes" */
/* S for a terminal: control characters as '?', cut to SIZE - 1 bytes. */
const char *printable(const char *s, char *out, size_t size);

#endif
