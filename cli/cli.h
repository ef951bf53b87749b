/*
 * cli.h — the `pith` command line: one file per subcommand.
 *
 * Exit statuses of pith itself (docs in README.md):
 *   0..255  `pith run`: the program's own status, or 128 + signal
 *   125     pith could not do what was asked (usage, image, host)
 *   159     the guest broke the sandbox (128 + SIGSYS)
 */
#ifndef PITH_CLI_H
#define PITH_CLI_H

#include <stdint.h>

int cmd_cc(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_inspect(int argc, char **argv);

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
struct run_opts;
/* Add `-v HOST:GUEST[:ro]` to o, its host directory opened (volume.c);
 * exits 125 with one line when the spec or the directory is bad. */
void volume_add(struct run_opts *o, const char *spec);
/* The directory holding pith's guest toolchain (lib/pith). */
const char *pith_libdir(void);

#endif
