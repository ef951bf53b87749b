/*
 * test_pithfile.c — the Pithfile parser (cli/pithfile.c): what it reads,
 * and the file:line:column of every kind of error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#include "../../cli/pithfile.h"

static char err[512];

static int parse(const char *text, struct pithfile *pf)
{
	return pithfile_parse("Pithfile", text, strlen(text), pf, err, sizeof(err));
}

/* TEXT is refused with exactly WANT as the error line. */
static void bad(const char *name, const char *text, const char *want)
{
	struct pithfile pf;
	int r = parse(text, &pf);
	char n[96];

	snprintf(n, sizeof(n), "pithfile/reject/%s", name);
	CHECKD(n, r == -1 && !strcmp(err, want) && !pf.image && !pf.nbuild && !pf.nargs,
	       "returned %d, error \"%s\", want \"%s\"", r, err, want);
}

static int same_strs(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

/* pithfile_emit's text parses back to the same defaults, and the same
 * defaults always give the same text. */
static void emit_round_trip(const char *name, const char *text)
{
	struct pithfile a, b;
	char n[96], *out, *again;

	snprintf(n, sizeof(n), "pithfile/emit/%s", name);
	if (!CHECKD(n, parse(text, &a) == 0, "%s", err))
		return;
	out = pithfile_emit(&a, "blobs/sha256/x");
	if (!CHECKD(n, out && parse(out, &b) == 0, "%s", out ? err : "NULL")) {
		free(out);
		pithfile_free(&a);
		return;
	}
	again = pithfile_emit(&b, "blobs/sha256/x");
	CHECKD(n,
	       !strcmp(b.image, "blobs/sha256/x") && !b.nbuild && !b.files_host &&
		       a.has_args == b.has_args && same_strs(a.args, a.nargs, b.args, b.nargs) &&
		       same_strs(a.env, a.nenv, b.env, b.nenv) && a.memory == b.memory &&
		       a.nports == b.nports &&
		       (!a.nports || !memcmp(a.ports, b.ports, a.nports * sizeof(a.ports[0]))) &&
		       !a.hostname == !b.hostname &&
		       (!a.hostname || !strcmp(a.hostname, b.hostname)) && again &&
		       !strcmp(out, again),
	       "emitted:\n%s", out);
	free(out);
	free(again);
	pithfile_free(&a);
	pithfile_free(&b);
}

static void full(void)
{
	struct pithfile pf;
	const char *t =
		"# a static web site\n"
		"build pith cc -O2 -o site \\\n"
		"    # a comment inside a continued line\n"
		"    server.c\n"
		"BUILD strip site  \n"
		"\n"
		"IMAGE site\n"
		"FILES ./www//  /srv//www/./\n"
		"CMD [\"--root\", \"/srv/www\", \"caf\\u00e9 \\ud83d\\ude00\", \"a\\\"b\"]\n"
		"ENV A=1 'B=two words'\n"
		"ENV A=3\n"
		"MEMORY 64M\n"
		"EXPOSE 8080 53/udp\n"
		"EXPOSE 443/tcp\n"
		"HOSTNAME web-1.example\n";

	if (!CHECKD("pithfile/full/parses", parse(t, &pf) == 0, "%s", err))
		return;
	CHECK_U64("pithfile/full/nbuild", pf.nbuild, 2);
	CHECKD("pithfile/full/build-continued",
	       !strcmp(pf.build[0], "pith cc -O2 -o site     server.c"), "got \"%s\"", pf.build[0]);
	CHECKD("pithfile/full/build-trimmed", !strcmp(pf.build[1], "strip site"), "got \"%s\"",
	       pf.build[1]);
	CHECK("pithfile/full/build-lines", pf.build_line[0] == 2 && pf.build_line[1] == 5);
	CHECK("pithfile/full/image", !strcmp(pf.image, "site"));
	CHECK("pithfile/full/files-host", !strcmp(pf.files_host, "./www//"));
	CHECKD("pithfile/full/files-guest-normalised", !strcmp(pf.files_guest, "/srv/www"),
	       "got \"%s\"", pf.files_guest);
	CHECK_U64("pithfile/full/nargs", pf.nargs, 4);
	CHECK("pithfile/full/json-utf8",
	      pf.nargs == 4 && !strcmp(pf.args[2], "caf\xc3\xa9 \xf0\x9f\x98\x80"));
	CHECK("pithfile/full/json-quote", pf.nargs == 4 && !strcmp(pf.args[3], "a\"b"));
	CHECK_U64("pithfile/full/nenv", pf.nenv, 2);
	CHECK("pithfile/full/env-replaced", pf.nenv == 2 && !strcmp(pf.env[0], "A=3"));
	CHECK("pithfile/full/env-quoted", pf.nenv == 2 && !strcmp(pf.env[1], "B=two words"));
	CHECK_U64("pithfile/full/memory", pf.memory, 64 << 20);
	CHECK_U64("pithfile/full/nports", pf.nports, 3);
	CHECK("pithfile/full/ports",
	      pf.nports == 3 && pf.ports[0].port == 8080 && !strcmp(pf.ports[0].proto, "tcp") &&
		      pf.ports[1].port == 53 && !strcmp(pf.ports[1].proto, "udp") &&
		      pf.ports[2].port == 443);
	CHECK("pithfile/full/hostname", !strcmp(pf.hostname, "web-1.example"));
	pithfile_free(&pf);
	CHECK("pithfile/full/freed", !pf.image && !pf.build && !pf.nargs);
}

static void minimal(void)
{
	struct pithfile pf;

	if (!CHECKD("pithfile/minimal/parses", parse("image app", &pf) == 0, "%s", err))
		return;
	CHECK("pithfile/minimal/defaults", !strcmp(pf.image, "app") && pf.nbuild == 0 &&
						   !pf.has_args && pf.memory == 0 && !pf.hostname &&
						   !pf.files_host);
	pithfile_free(&pf);

	if (CHECKD("pithfile/cmd-words/parses",
		   parse("IMAGE a\nCMD -x \"two words\" 'it''s' a\\ b \"\\\"q\\\\\" #7\n", &pf) ==
			   0,
		   "%s", err)) {
		CHECK_U64("pithfile/cmd-words/count", pf.nargs, 6);
		CHECK("pithfile/cmd-words/values",
		      pf.nargs == 6 && !strcmp(pf.args[0], "-x") &&
			      !strcmp(pf.args[1], "two words") && !strcmp(pf.args[2], "its") &&
			      !strcmp(pf.args[3], "a b") && !strcmp(pf.args[4], "\"q\\") &&
			      !strcmp(pf.args[5], "#7"));
		pithfile_free(&pf);
	}
	if (CHECKD("pithfile/cmd-empty-array/parses", parse("IMAGE a\nCMD [ ]\n", &pf) == 0, "%s",
		   err)) {
		CHECK("pithfile/cmd-empty-array/no-args", pf.has_args && pf.nargs == 0);
		pithfile_free(&pf);
	}
	if (CHECKD("pithfile/crlf/parses", parse("IMAGE a\r\nMEMORY 1M\r\n", &pf) == 0, "%s",
		   err)) {
		CHECK("pithfile/crlf/values", !strcmp(pf.image, "a") && pf.memory == 1 << 20);
		pithfile_free(&pf);
	}
	if (CHECKD("pithfile/files-root/parses", parse("IMAGE a\nFILES . /\n", &pf) == 0, "%s",
		   err)) {
		CHECK("pithfile/files-root/values",
		      !strcmp(pf.files_host, ".") && !strcmp(pf.files_guest, "/"));
		pithfile_free(&pf);
	}
}

int main(void)
{
	full();
	minimal();

	bad("empty", "", "Pithfile: no IMAGE line: name the file the build writes");
	bad("only-comments", "# x\n\n", "Pithfile: no IMAGE line: name the file the build writes");
	bad("unknown", "IMAGE a\n  RUN make\n",
	    "Pithfile:2:3: unknown instruction 'RUN' (BUILD, IMAGE, FILES, CMD, ENV, MEMORY, "
	    "EXPOSE, "
	    "HOSTNAME)");
	bad("glued", "IMAGE=a\n",
	    "Pithfile:1:1: unknown instruction 'IMAGE=a' (BUILD, IMAGE, FILES, CMD, ENV, MEMORY, "
	    "EXPOSE, HOSTNAME)");
	bad("control-in-name", "\x1b[2J\n",
	    "Pithfile:1:1: unknown instruction '?[2J' (BUILD, IMAGE, FILES, CMD, ENV, MEMORY, "
	    "EXPOSE, HOSTNAME)");
	bad("image-twice", "IMAGE a\n\nIMAGE b\n",
	    "Pithfile:3:1: IMAGE given twice (first on line 1)");
	bad("image-none", "IMAGE\n",
	    "Pithfile:1:1: IMAGE takes one path: the file the build writes");
	bad("image-two", "IMAGE a b\n",
	    "Pithfile:1:9: IMAGE takes one path: the file the build writes");
	bad("image-absolute", "IMAGE /bin/x\n",
	    "Pithfile:1:7: IMAGE /bin/x: use a path inside the project (relative, no '..')");
	bad("image-dotdot", "IMAGE a/../../x\n",
	    "Pithfile:1:7: IMAGE a/../../x: use a path inside the project (relative, no '..')");
	bad("quote-open", "IMAGE \"abc\n", "Pithfile:1:7: quote \" not closed on its line");
	bad("squote-open", "IMAGE a\nCMD x 'abc\n", "Pithfile:2:7: quote ' not closed on its line");
	bad("build-empty", "BUILD   \nIMAGE a\n", "Pithfile:1:1: BUILD needs a shell command");
	bad("files-one", "IMAGE a\nFILES www\n",
	    "Pithfile:2:1: FILES takes two paths: HOSTDIR /GUEST/PATH");
	bad("files-host-escape", "IMAGE a\nFILES ../secret /x\n",
	    "Pithfile:2:7: FILES ../secret: use a directory inside the project (relative, no "
	    "'..')");
	bad("files-guest-relative", "IMAGE a\nFILES www srv\n",
	    "Pithfile:2:11: FILES srv: the guest path must be absolute, without '..'");
	bad("files-guest-dotdot", "IMAGE a\nFILES www /a/..\n",
	    "Pithfile:2:11: FILES /a/..: the guest path must be absolute, without '..'");
	/* The value as written, not half-normalised. */
	bad("files-guest-shown-as-written", "IMAGE a\nFILES www //x/./../y\n",
	    "Pithfile:2:11: FILES //x/./../y: the guest path must be absolute, without '..'");
	bad("cmd-empty", "IMAGE a\nCMD\n", "Pithfile:2:1: CMD needs arguments (CMD [] for none)");
	bad("cmd-json-open", "IMAGE a\nCMD [\"a\",\n", "Pithfile:2:5: [ not closed");
	bad("cmd-json-bare", "IMAGE a\nCMD [a]\n",
	    "Pithfile:2:6: expected a \"string\" in the array");
	bad("cmd-json-sep", "IMAGE a\nCMD [\"a\" \"b\"]\n",
	    "Pithfile:2:10: expected , or ] after a string");
	bad("cmd-json-trailing", "IMAGE a\nCMD [\"a\"] x\n",
	    "Pithfile:2:11: unexpected text after CMD");
	bad("cmd-json-escape", "IMAGE a\nCMD [\"\\q\"]\n", "Pithfile:2:7: unknown escape \\q");
	bad("cmd-json-nul", "IMAGE a\nCMD [\"\\u0000\"]\n",
	    "Pithfile:2:7: \\u0000: arguments cannot hold NUL");
	bad("cmd-json-lone-low", "IMAGE a\nCMD [\"\\udc00\"]\n",
	    "Pithfile:2:7: \\udc00: a low surrogate without a high one");
	bad("cmd-json-lone-high", "IMAGE a\nCMD [\"\\ud800x\"]\n",
	    "Pithfile:2:7: \\ud800: a high surrogate needs a low one");
	bad("cmd-json-hex", "IMAGE a\nCMD [\"\\u12g4\"]\n",
	    "Pithfile:2:11: \\u needs four hex digits");
	bad("cmd-json-control", "IMAGE a\nCMD [\"a\tb\"]\n",
	    "Pithfile:2:8: control character in a string (use an escape)");
	bad("env-no-equals", "IMAGE a\nENV KEY value\n",
	    "Pithfile:2:5: ENV KEY: use KEY=VALUE, KEY of letters, digits and _");
	bad("env-bad-key", "IMAGE a\nENV 1A=x\n",
	    "Pithfile:2:5: ENV 1A=x: use KEY=VALUE, KEY of letters, digits and _");
	bad("env-empty", "IMAGE a\nENV\n", "Pithfile:2:1: ENV needs KEY=VALUE");
	bad("memory-bad", "IMAGE a\nMEMORY lots\n",
	    "Pithfile:2:8: MEMORY lots: use a multiple of 4K up to 4G, e.g. 64M");
	bad("memory-unaligned", "IMAGE a\nMEMORY 1000\n",
	    "Pithfile:2:8: MEMORY 1000: use a multiple of 4K up to 4G, e.g. 64M");
	bad("memory-huge", "IMAGE a\nMEMORY 5G\n",
	    "Pithfile:2:8: MEMORY 5G: use a multiple of 4K up to 4G, e.g. 64M");
	bad("memory-zero", "IMAGE a\nMEMORY 0\n",
	    "Pithfile:2:8: MEMORY 0: use a multiple of 4K up to 4G, e.g. 64M");
	bad("expose-zero", "IMAGE a\nEXPOSE 0\n",
	    "Pithfile:2:8: EXPOSE 0: use PORT or PORT/tcp or PORT/udp, PORT 1..65535");
	bad("expose-big", "IMAGE a\nEXPOSE 65536\n",
	    "Pithfile:2:8: EXPOSE 65536: use PORT or PORT/tcp or PORT/udp, PORT 1..65535");
	bad("expose-proto", "IMAGE a\nEXPOSE 80/sctp\n",
	    "Pithfile:2:8: EXPOSE 80/sctp: use PORT or PORT/tcp or PORT/udp, PORT 1..65535");
	bad("expose-junk", "IMAGE a\nEXPOSE 80x\n",
	    "Pithfile:2:8: EXPOSE 80x: use PORT or PORT/tcp or PORT/udp, PORT 1..65535");
	bad("expose-sign", "IMAGE a\nEXPOSE +80\n",
	    "Pithfile:2:8: EXPOSE +80: use PORT or PORT/tcp or PORT/udp, PORT 1..65535");
	bad("expose-twice", "IMAGE a\nEXPOSE 80\nEXPOSE 80/tcp\n",
	    "Pithfile:3:8: EXPOSE 80/tcp: port given twice");
	bad("hostname-bad", "IMAGE a\nHOSTNAME under_score\n",
	    "Pithfile:2:10: HOSTNAME under_score: use 1 to 63 letters, digits, inner hyphens and "
	    "dots");
	bad("hostname-trailing-hyphen", "IMAGE a\nHOSTNAME a-\n",
	    "Pithfile:2:10: HOSTNAME a-: use 1 to 63 letters, digits, inner hyphens and dots");
	bad("continued-error-line", "BUILD make \\\n  all\nIMAGE a \\\n  b\n",
	    "Pithfile:4:3: IMAGE takes one path: the file the build writes");
	bad("long-value-shown",
	    "IMAGE /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	    "Pithfile:1:7: IMAGE /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...: use a path inside "
	    "the "
	    "project (relative, no '..')");

	/* A NUL byte, and a file over the limit, never reach the parser. */
	{
		struct pithfile pf;
		const char t[] = "IMAGE a\nCMD x\0y\n";
		int r = pithfile_parse("P", t, sizeof(t) - 1, &pf, err, sizeof(err));

		CHECKD("pithfile/reject/nul",
		       r == -1 && !strcmp(err, "P:2:6: NUL byte: a Pithfile is text"),
		       "returned %d, \"%s\"", r, err);
		char *big = malloc(PITHFILE_MAX + 1);

		if (big) {
			memset(big, '#', PITHFILE_MAX + 1);
			r = pithfile_parse("P", big, PITHFILE_MAX + 1, &pf, err, sizeof(err));
			CHECKD("pithfile/reject/too-big",
			       r == -1 && !strcmp(err, "P: larger than 1048576 bytes"),
			       "returned %d, \"%s\"", r, err);
			free(big);
		}
	}
	/* Text that ends inside a construct does not read past its length:
	 * each prefix of a valid file parses or fails cleanly (ASan watches). */
	{
		const char *t =
			"BUILD x \\\nIMAGE \"a b\"\nCMD [\"\\ud83d\\ude00\", \"x\"]\nENV A=1\n";
		size_t n = strlen(t);
		int clean = 1;

		for (size_t i = 0; i <= n; i++) {
			char *c = malloc(i ? i : 1);
			struct pithfile pf;

			memcpy(c, t, i);
			if (pithfile_parse("P", c, i, &pf, err, sizeof(err)) == 0)
				pithfile_free(&pf);
			else if (!err[0])
				clean = 0;
			free(c);
		}
		CHECK("pithfile/prefixes-clean", clean);
	}
	emit_round_trip("full", "BUILD make\nIMAGE a/b\nFILES www /srv\n"
				"CMD [\"x y\", \"\\\"q\\\"\", \"\\\\\", \"tab\\there\", \"nl\\n\", "
				"\"caf\\u00e9\", \"\"]\n"
				"ENV A=1 'B=two \"words\"' 'C=back\\slash' D=\nENV A=2\n"
				"MEMORY 64M\nEXPOSE 80 53/udp 443/tcp\nHOSTNAME web.example\n");
	emit_round_trip("empty-cmd", "IMAGE x\nCMD []\n");
	emit_round_trip("nothing", "IMAGE x\n");
	return 0;
}
