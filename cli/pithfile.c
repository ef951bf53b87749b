/*
 * pithfile.c — parse a Pithfile (docs/pithfile.md).
 *
 * The text is read in place: a cursor walks it, and a line ending in a
 * backslash continues on the next one, so every error can name the line
 * and column where it is. Words are shell-like (blanks separate, "..."
 * and '...' quote, backslash escapes one character); CMD also takes a
 * JSON array of strings, as a Dockerfile does; BUILD keeps the rest of
 * its line as it is, for /bin/sh.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pith/abi.h>

#include "cli.h"
#include "pithfile.h"

#define PATH_LIMIT 4096

enum instr { I_BUILD, I_IMAGE, I_FILES, I_CMD, I_ENV, I_MEMORY, I_EXPOSE, I_HOSTNAME, I_COUNT };

static const char *const instr_names[I_COUNT] = {
	"BUILD", "IMAGE", "FILES", "CMD", "ENV", "MEMORY", "EXPOSE", "HOSTNAME",
};

struct parser {
	const char *name, *t;
	size_t len, p;
	char *err;
	size_t errlen;
	struct pithfile *pf;
	unsigned first_line[I_COUNT]; /* line of an instruction's first use */
};

struct buf {
	char *s;
	size_t n, cap;
};

static void line_col(const struct parser *P, size_t off, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < P->len; i++) {
		if (P->t[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* "NAME:LINE:COL: message" into P->err; always -1. */
__attribute__((format(printf, 3, 4))) static int fail_at(struct parser *P, size_t off,
							 const char *fmt, ...)
{
	unsigned line, col;
	int n;
	va_list ap;

	line_col(P, off, &line, &col);
	n = snprintf(P->err, P->errlen, "%s:%u:%u: ", P->name, line, col);
	if (n >= 0 && (size_t)n < P->errlen) {
		va_start(ap, fmt);
		vsnprintf(P->err + n, P->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A value as an error shows it: at most 40 bytes, non-printables as '?'. */
static const char *shown(const char *s, char out[48])
{
	size_t i = 0;

	for (; s[i] && i < 40; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i]) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* The error FMT (one %s: the value, as shown) at WHERE; frees the value. */
static int reject(struct parser *P, size_t where, char *value, const char *fmt)
{
	char sh[48];

	fail_at(P, where, fmt, shown(value, sh));
	free(value);
	return -1;
}

static int buf_put(struct buf *b, char c)
{
	if (b->n + 1 >= b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		char *s = realloc(b->s, cap);

		if (!s)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
	return 0;
}

/* The buffer's string, owned by the caller ("" when nothing was put). */
static char *buf_take(struct buf *b)
{
	char *s = b->s ? b->s : strdup("");

	b->s = NULL;
	b->n = b->cap = 0;
	return s;
}

static int push_str(char ***arr, size_t *n, char *s)
{
	char **a = realloc(*arr, (*n + 1) * sizeof(**arr));

	if (!a)
		return -1;
	a[(*n)++] = s;
	*arr = a;
	return 0;
}

static int at_eol(const struct parser *P)
{
	return P->p >= P->len || P->t[P->p] == '\n';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* At a backslash that ends its line (blanks may follow it): the offset
 * after the newline, else 0. A backslash on the file's last line ends
 * the file. */
static size_t continuation(const struct parser *P, size_t p)
{
	if (p >= P->len || P->t[p] != '\\')
		return 0;
	for (p++; p < P->len && is_blank(P->t[p]); p++)
		;
	if (p >= P->len)
		return P->len;
	return P->t[p] == '\n' ? p + 1 : 0;
}

/* Past a continuation, and past comment lines inside one. */
static void follow_continuation(struct parser *P, size_t after)
{
	P->p = after;
	for (;;) {
		size_t q = P->p;

		while (q < P->len && is_blank(P->t[q]))
			q++;
		if (q >= P->len || P->t[q] != '#')
			return;
		while (q < P->len && P->t[q] != '\n')
			q++;
		P->p = q < P->len ? q + 1 : q;
	}
}

static void skip_blanks(struct parser *P)
{
	for (;;) {
		size_t after;

		if (P->p < P->len && is_blank(P->t[P->p]))
			P->p++;
		else if ((after = continuation(P, P->p)))
			follow_continuation(P, after);
		else
			return;
	}
}

/*
 * The next shell-like word into *OUT: 1, or 0 at the end of the line,
 * or -1 with the error set.
 */
static int read_word(struct parser *P, char **out)
{
	struct buf b = { 0 };
	int got = 0;

	skip_blanks(P);
	while (!at_eol(P) && !is_blank(P->t[P->p])) {
		char c = P->t[P->p];
		size_t start = P->p;

		got = 1;
		if (c == '"' || c == '\'') {
			for (P->p++;; P->p++) {
				if (at_eol(P)) {
					free(b.s);
					return fail_at(P, start, "quote %c not closed on its line",
						       c);
				}
				if (P->t[P->p] == c)
					break;
				if (c == '"' && P->t[P->p] == '\\' && P->p + 1 < P->len &&
				    (P->t[P->p + 1] == '"' || P->t[P->p + 1] == '\\'))
					P->p++;
				if (buf_put(&b, P->t[P->p]) < 0)
					goto oom;
			}
			P->p++;
		} else if (c == '\\') {
			if (continuation(P, P->p) || P->p + 1 >= P->len)
				break;
			if (buf_put(&b, P->t[P->p + 1]) < 0)
				goto oom;
			P->p += 2;
		} else {
			if (buf_put(&b, c) < 0)
				goto oom;
			P->p++;
		}
	}
	if (!got)
		return 0;
	if (!(*out = buf_take(&b)))
		goto oom;
	return 1;
oom:
	free(b.s);
	return fail_at(P, P->p, "out of memory");
}

/* Exactly N words; *WHERE is each word's offset, for errors. */
static int read_words(struct parser *P, size_t at, const char *what, unsigned n, char **w,
		      size_t *where)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		int r;

		skip_blanks(P);
		where[i] = P->p;
		r = read_word(P, &w[i]);
		if (r < 0)
			goto undo;
		if (r == 0) {
			fail_at(P, at, "%s", what);
			goto undo;
		}
	}
	skip_blanks(P);
	if (!at_eol(P)) {
		fail_at(P, P->p, "%s", what);
		goto undo;
	}
	return 0;
undo:
	while (i-- > 0)
		free(w[i]);
	return -1;
}

static int has_dotdot(const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.')
			return 1;
		s += n;
		s += *s == '/';
	}
	return 0;
}

/* A path inside the project directory: relative, no "..". */
static int project_path_ok(const char *s)
{
	return *s && *s != '/' && strlen(s) < PATH_LIMIT && !has_dotdot(s);
}

/* An absolute guest path, normalised in place ("//" and "." go, a
 * trailing "/" goes); 0, and S as it was, if relative, too long or
 * holding "..". */
static int guest_path_norm(char *s)
{
	char *in = s, *out = s;

	if (*s != '/' || strlen(s) >= PATH_LIMIT || has_dotdot(s))
		return 0;
	while (*in) {
		size_t n;

		while (*in == '/')
			in++;
		n = strcspn(in, "/");
		if (n > 0 && !(n == 1 && in[0] == '.')) {
			*out++ = '/';
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	if (out == s)
		*out++ = '/';
	*out = '\0';
	return 1;
}

static int do_build(struct parser *P, size_t at)
{
	struct buf b = { 0 };
	unsigned *lines, col;
	char *cmd;

	skip_blanks(P);
	for (;;) {
		size_t after = continuation(P, P->p);

		if (after) {
			follow_continuation(P, after);
			continue;
		}
		if (at_eol(P))
			break;
		if (buf_put(&b, P->t[P->p++]) < 0) {
			free(b.s);
			return fail_at(P, at, "out of memory");
		}
	}
	while (b.n > 0 && is_blank(b.s[b.n - 1]))
		b.s[--b.n] = '\0';
	if (b.n == 0) {
		free(b.s);
		return fail_at(P, at, "BUILD needs a shell command");
	}
	cmd = buf_take(&b);
	lines = realloc(P->pf->build_line, (P->pf->nbuild + 1) * sizeof(*lines));
	if (lines)
		P->pf->build_line = lines;
	if (!cmd || !lines || push_str(&P->pf->build, &P->pf->nbuild, cmd) < 0) {
		free(cmd);
		return fail_at(P, at, "out of memory");
	}
	line_col(P, at, &lines[P->pf->nbuild - 1], &col);
	return 0;
}

/* An instruction with one word, kept in *DEST if OK accepts it; USAGE
 * when the words are not one, COMPLAINT (one %s) when OK refuses. */
static int one_word(struct parser *P, size_t at, const char *usage, int (*ok)(const char *),
		    const char *complaint, char **dest)
{
	char *w[1];
	size_t where[1];

	if (read_words(P, at, usage, 1, w, where) < 0)
		return -1;
	if (!ok(w[0]))
		return reject(P, where[0], w[0], complaint);
	*dest = w[0];
	return 0;
}

static int do_image(struct parser *P, size_t at)
{
	return one_word(P, at, "IMAGE takes one path: the file the build writes", project_path_ok,
			"IMAGE %s: use a path inside the project (relative, no '..')",
			&P->pf->image);
}

static int do_files(struct parser *P, size_t at)
{
	char *w[2];
	size_t where[2];

	if (read_words(P, at, "FILES takes two paths: HOSTDIR /GUEST/PATH", 2, w, where) < 0)
		return -1;
	if (!project_path_ok(w[0])) {
		free(w[1]);
		return reject(P, where[0], w[0],
			      "FILES %s: use a directory inside the project (relative, no '..')");
	}
	if (!guest_path_norm(w[1])) {
		free(w[0]);
		return reject(P, where[1], w[1],
			      "FILES %s: the guest path must be absolute, without '..'");
	}
	P->pf->files_host = w[0];
	P->pf->files_guest = w[1];
	return 0;
}

/* Four hex digits at P->p into *V. */
static int hex4(struct parser *P, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++, P->p++) {
		char c = P->p < P->len ? P->t[P->p] : 0;

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return fail_at(P, P->p, "\\u needs four hex digits");
	}
	return 0;
}

static int put_utf8(struct buf *b, unsigned cp)
{
	if (cp < 0x80)
		return buf_put(b, (char)cp);
	if (cp < 0x800)
		return buf_put(b, (char)(0xc0 | cp >> 6)) | buf_put(b, (char)(0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return buf_put(b, (char)(0xe0 | cp >> 12)) |
		       buf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f))) |
		       buf_put(b, (char)(0x80 | (cp & 0x3f)));
	return buf_put(b, (char)(0xf0 | cp >> 18)) |
	       buf_put(b, (char)(0x80 | ((cp >> 12) & 0x3f))) |
	       buf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f))) |
	       buf_put(b, (char)(0x80 | (cp & 0x3f)));
}

/* A JSON string at P->p (on its opening quote), RFC 8259 escapes. */
static int json_string(struct parser *P, char **out)
{
	struct buf b = { 0 };
	size_t start = P->p;

	for (P->p++;; P->p++) {
		unsigned cp, lo;
		char c;

		if (at_eol(P)) {
			free(b.s);
			return fail_at(P, start, "string not closed on its line");
		}
		c = P->t[P->p];
		if (c == '"')
			break;
		if ((unsigned char)c < 0x20) {
			free(b.s);
			return fail_at(P, P->p, "control character in a string (use an escape)");
		}
		if (c != '\\') {
			if (buf_put(&b, c) < 0)
				goto oom;
			continue;
		}
		P->p++;
		c = P->p < P->len ? P->t[P->p] : 0;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			break;
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case 'n':
			c = '\n';
			break;
		case 'r':
			c = '\r';
			break;
		case 't':
			c = '\t';
			break;
		case 'u':
			P->p++;
			if (hex4(P, &cp) < 0)
				goto err;
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail_at(P, P->p - 6, "\\u%04x: a low surrogate without a high one",
					cp);
				goto err;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (P->p + 1 >= P->len || P->t[P->p] != '\\' ||
				    P->t[P->p + 1] != 'u') {
					fail_at(P, P->p - 6,
						"\\u%04x: a high surrogate needs a low one", cp);
					goto err;
				}
				P->p += 2;
				if (hex4(P, &lo) < 0)
					goto err;
				if (lo < 0xdc00 || lo > 0xdfff) {
					fail_at(P, P->p - 6, "\\u%04x: not a low surrogate", lo);
					goto err;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (cp == 0) {
				fail_at(P, P->p - 6, "\\u0000: arguments cannot hold NUL");
				goto err;
			}
			P->p--; /* the loop steps past the last digit */
			if (put_utf8(&b, cp) < 0)
				goto oom;
			continue;
		default:
			fail_at(P, P->p - 1, "unknown escape \\%c",
				c >= 0x20 && c < 0x7f ? c : '?');
			goto err;
		}
		if (buf_put(&b, c) < 0)
			goto oom;
	}
	P->p++;
	if (!(*out = buf_take(&b)))
		goto oom;
	return 0;
oom:
	fail_at(P, P->p, "out of memory");
err:
	free(b.s);
	return -1;
}

/* CMD ["a", "b"]: the JSON form; P->p is on the '['. */
static int json_array(struct parser *P, char ***arr, size_t *n)
{
	size_t open = P->p;

	P->p++;
	skip_blanks(P);
	if (P->p < P->len && P->t[P->p] == ']') {
		P->p++;
		return 0;
	}
	for (;;) {
		char *s = NULL;

		skip_blanks(P);
		if (at_eol(P))
			return fail_at(P, open, "[ not closed");
		if (P->t[P->p] != '"')
			return fail_at(P, P->p, "expected a \"string\" in the array");
		if (json_string(P, &s) < 0)
			return -1;
		if (push_str(arr, n, s) < 0) {
			free(s);
			return fail_at(P, P->p, "out of memory");
		}
		skip_blanks(P);
		if (at_eol(P))
			return fail_at(P, open, "[ not closed");
		if (P->t[P->p] == ']') {
			P->p++;
			return 0;
		}
		if (P->t[P->p] != ',')
			return fail_at(P, P->p, "expected , or ] after a string");
		P->p++;
	}
}

static int do_cmd(struct parser *P, size_t at)
{
	struct pithfile *pf = P->pf;
	char *w;
	int r;

	pf->has_args = 1;
	skip_blanks(P);
	if (P->p < P->len && P->t[P->p] == '[')
		return json_array(P, &pf->args, &pf->nargs);
	while ((r = read_word(P, &w)) > 0) {
		if (push_str(&pf->args, &pf->nargs, w) < 0) {
			free(w);
			return fail_at(P, at, "out of memory");
		}
	}
	if (r == 0 && pf->nargs == 0)
		return fail_at(P, at, "CMD needs arguments (CMD [] for none)");
	return r;
}

static int env_key_ok(const char *s, size_t n)
{
	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return 0;
	}
	return 1;
}

static int do_env(struct parser *P, size_t at)
{
	struct pithfile *pf = P->pf;
	char *w;
	int r, any = 0;

	for (;;) {
		size_t where, key;

		skip_blanks(P);
		where = P->p;
		r = read_word(P, &w);
		if (r <= 0)
			break;
		any = 1;
		key = strcspn(w, "=");
		if (!w[key] || !env_key_ok(w, key))
			return reject(P, where, w,
				      "ENV %s: use KEY=VALUE, KEY of letters, digits and _");
		for (size_t i = 0; i < pf->nenv; i++) {
			if (!strncmp(pf->env[i], w, key + 1)) {
				free(pf->env[i]);
				pf->env[i] = w;
				w = NULL;
				break;
			}
		}
		if (w && push_str(&pf->env, &pf->nenv, w) < 0) {
			free(w);
			return fail_at(P, at, "out of memory");
		}
	}
	if (r == 0 && !any)
		return fail_at(P, at, "ENV needs KEY=VALUE");
	return r;
}

static int do_memory(struct parser *P, size_t at)
{
	char *w[1];
	size_t where[1];
	uint64_t v;

	if (read_words(P, at, "MEMORY takes one size, e.g. 64M", 1, w, where) < 0)
		return -1;
	if (parse_size(w[0], &v) < 0 || v == 0 || v % 4096 || v > PITH_MEM_MAX)
		return reject(P, where[0], w[0],
			      "MEMORY %s: use a multiple of 4K up to 4G, e.g. 64M");
	free(w[0]);
	P->pf->memory = v;
	return 0;
}

static int do_expose(struct parser *P, size_t at)
{
	struct pithfile *pf = P->pf;
	char *w;
	int r, any = 0;

	for (;;) {
		size_t where;
		char *end, *proto;
		unsigned long port;
		struct pithfile_port *ports;

		skip_blanks(P);
		where = P->p;
		r = read_word(P, &w);
		if (r <= 0)
			break;
		any = 1;
		proto = strchr(w, '/');
		port = (w[0] >= '1' && w[0] <= '9') ? strtoul(w, &end, 10) : 0;
		if (port == 0 || port > 65535 || (end != proto && *end) ||
		    (proto && strcmp(proto, "/tcp") && strcmp(proto, "/udp")))
			return reject(P, where, w,
				      "EXPOSE %s: use PORT or PORT/tcp or PORT/udp, PORT 1..65535");
		proto = proto ? proto + 1 : "tcp";
		for (size_t i = 0; i < pf->nports; i++) {
			if (pf->ports[i].port == port && !strcmp(pf->ports[i].proto, proto))
				return reject(P, where, w, "EXPOSE %s: port given twice");
		}
		ports = realloc(pf->ports, (pf->nports + 1) * sizeof(*ports));
		if (!ports) {
			free(w);
			return fail_at(P, at, "out of memory");
		}
		pf->ports = ports;
		ports[pf->nports].port = (uint16_t)port;
		memcpy(ports[pf->nports].proto, proto, 4);
		pf->nports++;
		free(w);
	}
	if (r == 0 && !any)
		return fail_at(P, at, "EXPOSE needs a port, e.g. 8080/tcp");
	return r;
}

static int do_hostname(struct parser *P, size_t at)
{
	return one_word(P, at, "HOSTNAME takes one name", hostname_ok,
			"HOSTNAME %s: use 1 to 63 letters, digits, inner hyphens and dots",
			&P->pf->hostname);
}

static int (*const handlers[I_COUNT])(struct parser *, size_t) = {
	do_build, do_image, do_files, do_cmd, do_env, do_memory, do_expose, do_hostname,
};

/* One logical line from its first non-blank byte, an instruction. */
static int instruction(struct parser *P)
{
	size_t at = P->p, n = 0;
	unsigned line, col;
	char word[48], sh[48];
	int i;

	while (P->p < P->len && ((P->t[P->p] | 0x20) >= 'a' && (P->t[P->p] | 0x20) <= 'z')) {
		P->p++;
		n++;
	}
	for (i = 0; i < I_COUNT; i++)
		if (strlen(instr_names[i]) == n && !strncasecmp(P->t + at, instr_names[i], n))
			break;
	if (i == I_COUNT || !(at_eol(P) || is_blank(P->t[P->p]) || continuation(P, P->p))) {
		while (!at_eol(P) && !is_blank(P->t[P->p]) && P->p - at < 20)
			P->p++;
		snprintf(word, sizeof(word), "%.*s", (int)(P->p - at), P->t + at);
		return fail_at(P, at,
			       "unknown instruction '%s' (BUILD, IMAGE, FILES, CMD, ENV, MEMORY, "
			       "EXPOSE, HOSTNAME)",
			       shown(word, sh));
	}
	line_col(P, at, &line, &col);
	if (P->first_line[i] && i != I_BUILD && i != I_ENV && i != I_EXPOSE)
		return fail_at(P, at, "%s given twice (first on line %u)", instr_names[i],
			       P->first_line[i]);
	if (!P->first_line[i])
		P->first_line[i] = line;
	if (handlers[i](P, at) < 0)
		return -1;
	skip_blanks(P);
	if (!at_eol(P))
		return fail_at(P, P->p, "unexpected text after %s", instr_names[i]);
	return 0;
}

int pithfile_parse(const char *name, const char *text, size_t len, struct pithfile *pf, char *err,
		   size_t errlen)
{
	struct parser P = {
		.name = name,
		.t = text,
		.len = len,
		.err = err,
		.errlen = errlen,
		.pf = pf,
	};
	const char *nul = memchr(text, '\0', len);

	memset(pf, 0, sizeof(*pf));
	if (errlen)
		err[0] = '\0';
	if (len > PITHFILE_MAX) {
		snprintf(err, errlen, "%s: larger than %u bytes", name, PITHFILE_MAX);
		return -1;
	}
	if (nul)
		return fail_at(&P, (size_t)(nul - text), "NUL byte: a Pithfile is text");
	while (P.p < len) {
		while (P.p < len && is_blank(text[P.p]))
			P.p++;
		if (P.p >= len)
			break;
		if (text[P.p] == '\n') {
			P.p++;
			continue;
		}
		if (text[P.p] == '#') {
			while (P.p < len && text[P.p] != '\n')
				P.p++;
			continue;
		}
		if (instruction(&P) < 0)
			goto bad;
	}
	if (!pf->image) {
		snprintf(err, errlen, "%s: no IMAGE line: name the file the build writes", name);
		goto bad;
	}
	return 0;
bad:
	pithfile_free(pf);
	return -1;
}

void pithfile_free(struct pithfile *pf)
{
	for (size_t i = 0; i < pf->nbuild; i++)
		free(pf->build[i]);
	for (size_t i = 0; i < pf->nargs; i++)
		free(pf->args[i]);
	for (size_t i = 0; i < pf->nenv; i++)
		free(pf->env[i]);
	free(pf->build);
	free(pf->build_line);
	free(pf->args);
	free(pf->env);
	free(pf->ports);
	free(pf->image);
	free(pf->files_host);
	free(pf->files_guest);
	free(pf->hostname);
	memset(pf, 0, sizeof(*pf));
}
