/*
 * pithfile_emit.c — write a parsed Pithfile back as canonical text.
 *
 * The image store keeps each image's defaults as a Pithfile without
 * BUILD or FILES (both are spent by then): the same parser reads it back,
 * so there is one format and one set of checks. Canonical means the same
 * defaults always give the same bytes, and so the same image ID.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pithfile.h"

struct out {
	char *s;
	size_t n, cap;
	int bad;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->bad)
		return;
	if (o->n + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		char *p;

		while (cap < o->n + n + 1)
			cap *= 2;
		if (!(p = realloc(o->s, cap))) {
			o->bad = 1;
			return;
		}
		o->s = p;
		o->cap = cap;
	}
	memcpy(o->s + o->n, s, n);
	o->n += n;
	o->s[o->n] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* A shell-like word in double quotes: only " and \ need a backslash.
 * Line ends cannot be written inside one. */
static void word(struct out *o, const char *s)
{
	if (strpbrk(s, "\n\r")) {
		o->bad = 1;
		return;
	}
	put(o, "\"", 1);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			put(o, "\\", 1);
		put(o, s, 1);
	}
	put(o, "\"", 1);
}

/* An RFC 8259 string: control characters escaped, other bytes as they are. */
static void json(struct out *o, const char *s)
{
	char esc[8];

	put(o, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(o, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(o, esc, 6);
		} else {
			put(o, s, 1);
		}
	}
	put(o, "\"", 1);
}

char *pithfile_emit(const struct pithfile *pf, const char *image)
{
	struct out o = { 0 };
	char num[32];

	puts_(&o, "# pith image defaults (a Pithfile; the store names it by its SHA-256)\nIMAGE ");
	word(&o, image);
	puts_(&o, "\n");
	if (pf->has_args) {
		puts_(&o, "CMD [");
		for (size_t i = 0; i < pf->nargs; i++) {
			if (i)
				puts_(&o, ", ");
			json(&o, pf->args[i]);
		}
		puts_(&o, "]\n");
	}
	for (size_t i = 0; i < pf->nenv; i++) {
		puts_(&o, "ENV ");
		word(&o, pf->env[i]);
		puts_(&o, "\n");
	}
	if (pf->memory) {
		snprintf(num, sizeof(num), "MEMORY %llu\n", (unsigned long long)pf->memory);
		puts_(&o, num);
	}
	for (size_t i = 0; i < pf->nports; i++) {
		snprintf(num, sizeof(num), "EXPOSE %u/%.3s\n", pf->ports[i].port,
			 pf->ports[i].proto);
		puts_(&o, num);
	}
	if (pf->hostname) {
		puts_(&o, "HOSTNAME ");
		word(&o, pf->hostname);
		puts_(&o, "\n");
	}
	if (o.bad) {
		free(o.s);
		return NULL;
	}
	return o.s;
}
