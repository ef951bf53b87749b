#!/bin/bash
# tests/workflow/run.sh — the container-like workflow: `pith build` from a
# Pithfile into the image store, images, tag, rmi, inspect and run by
# name with the image's defaults; every error it documents; the store
# under concurrent commands and after damage.
set -u
. "$(dirname "$0")/../lib.sh"

STORE=$PITH_HOME
PROJ=$TMP/site
mkdir -p "$PROJ/www/css"
echo '<h1>pith</h1>' >"$PROJ/www/index.html"
echo 'h1{}' >"$PROJ/www/css/site.css"
cat >"$PROJ/show.c" <<'EOF2'
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
/* Prints what the image's defaults set; with "alloc N" allocates and
 * touches N MiB (to see the memory default). */
int main(int argc, char **argv)
{
	char host[64], line[100] = "";
	FILE *f = fopen("/srv/www/index.html", "r");

	if (argc == 3 && argv[1][0] == 'a') {
		size_t n = (size_t)atoi(argv[2]) << 20;
		char *p = malloc(n);

		if (!p)
			return 3;
		for (size_t i = 0; i < n; i += 4096)
			p[i] = 1;
		puts("allocated");
		return 0;
	}
	gethostname(host, sizeof(host));
	if (f)
		fgets(line, sizeof(line), f);
	printf("host=%s argc=%d", host, argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf(" GREETING=%s LANG=%s index=%s", getenv("GREETING") ? getenv("GREETING") : "-",
	       getenv("LANG") ? getenv("LANG") : "-", line[0] ? line : "-\n");
	return 0;
}
EOF2
cat >"$PROJ/Pithfile" <<'EOF2'
# The test site.
BUILD pith cc -O2 -o show show.c
BUILD command -v pith-cc > which-cc
IMAGE show
FILES www /srv/www
CMD ["--port", "80", "two words"]
ENV GREETING=hello LANG=C.UTF-8
MEMORY 16M
EXPOSE 80/tcp 53/udp
HOSTNAME web
EOF2

# ---- build --------------------------------------------------------------------

p build -t site "$PROJ"
san build || true
ID=$(cat "$OUT")
if [ "$rc" = 0 ] && [[ $ID =~ ^sha256:[0-9a-f]{64}$ ]]; then
	ok build
else
	fail build "exit $rc, stdout '$ID', stderr $(head -c 300 "$ERR" | tr '\n' '|')"
fi
HEX=${ID#sha256:}
check build/steps-shown grep -q '^pith: build: \[2/2\] command -v pith-cc' "$ERR"
check build/own-pith-cc [ "$(cat "$PROJ/which-cc")" = "$(dirname "$PITH")/pith-cc" ]
check build/blob-read-only [ -z "$(find "$STORE/blobs/sha256" -type f -perm /222)" ]
check build/tmp-empty [ -z "$(ls -A "$STORE/tmp")" ]
check build/tags-file grep -qx "site:latest $HEX" "$STORE/tags"
check build/image-named-by-digest \
	[ "$(sha256sum <"$STORE/images/sha256/$HEX" | cut -d' ' -f1)" = "$HEX" ]
blob=$(ls "$STORE/blobs/sha256")
check build/blob-named-by-digest \
	[ "$(sha256sum <"$STORE/blobs/sha256/$blob" | cut -d' ' -f1)" = "$blob" ]
check build/blob-is-the-image cmp -s "$STORE/blobs/sha256/$blob" "$PROJ/show"

# The same project builds to the same image; other defaults, another
# image over the same blob.
p build -q "$PROJ"
check build/same-id [ "$rc" = 0 ] && [ "$(cat "$OUT")" = "$ID" ]
check build/quiet-is-quiet [ ! -s "$ERR" ]
sed 's/^HOSTNAME web/HOSTNAME other/' "$PROJ/Pithfile" >"$PROJ/Pithfile.other"
p build -q -f "$PROJ/Pithfile.other" -t site:other "$PROJ"
ID2=$(cat "$OUT")
check build/other-defaults-other-id [ "$rc" = 0 ] && [ "$ID2" != "$ID" ]
check build/blob-shared [ "$(ls "$STORE/blobs/sha256" | wc -l)" = 1 ]

# ---- run by name: the defaults, and the command line over them -----------------

runs() {
	local name=$1 want=$2

	shift 2
	p run "$@"
	san "$name" || return
	if [ "$rc" = 0 ] && [ "$(cat "$OUT")" = "$want" ]; then
		ok "$name"
	else
		fail "$name" "exit $rc, got '$(cat "$OUT")' want '$want'; $(head -c 200 "$ERR")"
	fi
}
for t in $(targets); do
	runs run/$t/defaults \
		"host=web argc=4 [--port] [80] [two words] GREETING=hello LANG=C.UTF-8 index=<h1>pith</h1>" \
		--target "$t" site
	runs run/$t/args-replace-cmd \
		"host=web argc=2 [x] GREETING=hello LANG=C.UTF-8 index=<h1>pith</h1>" \
		--target "$t" site x
	runs run/$t/env-and-hostname-override \
		"host=h2 argc=4 [--port] [80] [two words] GREETING=yo LANG=C.UTF-8 index=<h1>pith</h1>" \
		--target "$t" -e GREETING=yo --hostname h2 site:latest
	runs run/$t/by-id "host=web argc=2 [y] GREETING=hello LANG=C.UTF-8 index=<h1>pith</h1>" \
		--target "$t" "${HEX:0:12}" y
	runs run/$t/by-full-id "host=other argc=2 [z] GREETING=hello LANG=C.UTF-8 index=<h1>pith</h1>" \
		--target "$t" "$ID2" z
	# MEMORY 16M cannot hold 32 MiB; -m 64M can.
	p run --target "$t" site alloc 32
	check run/$t/memory-default [ "$rc" = 3 ]
	runs run/$t/memory-override allocated --target "$t" -m 64M site alloc 32
done
# A file of that name wins over the store: the user can see it.
mkdir "$TMP/here"
cp "$PROJ/show" "$TMP/here/site"
cd "$TMP/here" && p run site x
cd "$ROOT" || exit 1
check run/file-wins [ "$rc" = 0 ] && grep -q '^host=pith argc=2 \[x\] GREETING=- ' "$OUT"
usage_error run/unknown '^pith: run: nosuch: no such file or image \(see pith images\)$' \
	run nosuch
usage_error run/unknown-id '^pith: run: abcdef0: no such file or image' run abcdef0

# ---- images, tag, inspect -------------------------------------------------------

p images
check images/header [ "$rc" = 0 ] && head -1 "$OUT" | grep -qE '^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$'
check images/rows grep -qE "^site +latest +${HEX:0:12} +[0-9]+ seconds? ago +[0-9.]+ KiB$" "$OUT"
p images --format json
check images/json python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
want = {("site", "latest", sys.argv[2]), ("site", "other", sys.argv[3])}
assert {(r["repository"], r["tag"], r["id"]) for r in rows} == want, rows
assert all(r["size"] > 10000 and r["created"] > 1.7e9 for r in rows)' "$OUT" "$ID" "$ID2"
p images -q
check images/quiet [ "$(sort "$OUT" | tr '\n' ' ')" = "$(printf '%s\n' "${HEX:0:12}" "${ID2:7:12}" | sort | tr '\n' ' ')" ]
usage_error images/bad-format '^pith: images: --format yaml: only json' images --format yaml

p tag site web/front:v1.2
check tag/tagged [ "$rc" = 0 ] && grep -qx "web/front:v1.2 $HEX" "$STORE/tags"
usage_error tag/bad-name '^pith: tag: Web:v1: not NAME\[:TAG\]' tag site Web:v1
usage_error tag/bad-tag '^pith: tag: web:-x: not NAME\[:TAG\]' tag site web:-x
usage_error tag/dotdot '^pith: tag: a/../b: not NAME\[:TAG\]' tag site a/../b
usage_error tag/unknown '^pith: tag: nosuch: no such image' tag nosuch web
usage_error tag/one-arg '^pith: tag: give an image and a new name' tag site

p inspect --json web/front:v1.2
check inspect/by-name python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["id"] == sys.argv[2], j["id"]
d = j["defaults"]
assert d["cmd"] == ["--port", "80", "two words"] and d["env"] == ["GREETING=hello", "LANG=C.UTF-8"]
assert d["memory"] == 16 << 20 and d["ports"] == ["80/tcp", "53/udp"] and d["hostname"] == "web"
assert j["files"]["count"] == 5, j["files"] # /srv, www, index.html, css, site.css' "$OUT" "$ID"
p inspect site
check inspect/text grep -qx "id:          $ID" "$OUT"

# ---- build errors -----------------------------------------------------------------

mkdir -p "$TMP/empty" "$TMP/bad" "$TMP/fails" "$TMP/noimage" "$TMP/nofiles" "$TMP/unbaked"
usage_error build/no-pithfile \
	"^pith: build: $TMP/empty/Pithfile: no such file \(write one: see docs/pithfile.md\)$" \
	build "$TMP/empty"
printf 'IMAGE x\nRUN make\n' >"$TMP/bad/Pithfile"
usage_error build/malformed "^pith: $TMP/bad/Pithfile:2:1: unknown instruction 'RUN'" \
	build "$TMP/bad"
usage_error build/not-a-dir "^pith: build: $TMP/bad/Pithfile: not a directory$" \
	build "$TMP/bad/Pithfile"
usage_error build/two-dirs '^pith: build: give one project directory' build "$TMP/bad" "$TMP/bad"
usage_error build/bad-tag '^pith: build: -t UPPER: not NAME\[:TAG\]' build -t UPPER "$TMP/bad"
usage_error build/dir-missing "^pith: build: $TMP/nosuch: No such file or directory$" \
	build "$TMP/nosuch"

# A failing BUILD command: exit 1, its output shown, the line named.
printf 'BUILD echo first step\n\nBUILD echo "compiler says no" >&2; exit 3\nBUILD touch never\nIMAGE x\n' \
	>"$TMP/fails/Pithfile"
for q in "" -q; do
	p build $q "$TMP/fails"
	if [ "$rc" = 1 ] && grep -qx 'compiler says no' "$ERR" &&
		grep -qx "pith: $TMP/fails/Pithfile:3: BUILD failed (exit status 3): echo \"compiler says no\" >&2; exit 3" "$ERR" &&
		[ ! -e "$TMP/fails/never" ] && [ ! -s "$OUT" ]; then
		ok "build/step-fails${q}"
	else
		fail "build/step-fails${q}" "exit $rc; $(head -c 300 "$ERR" | tr '\n' '|')"
	fi
done
check build/quiet-hides-passing-steps bash -c "! grep -q '^first step' '$ERR'"
printf 'BUILD kill -TERM $$\nIMAGE x\n' >"$TMP/fails/Pithfile"
p build "$TMP/fails"
check build/step-signalled [ "$rc" = 1 ] && grep -q 'BUILD failed (signal 15)' "$ERR"

printf 'BUILD true\nIMAGE out/x\n' >"$TMP/noimage/Pithfile"
usage_error build/image-not-written "^pith: $TMP/noimage/Pithfile: IMAGE out/x: " build "$TMP/noimage"
printf 'BUILD echo not an image > x\nIMAGE x\n' >"$TMP/noimage/Pithfile"
usage_error build/image-not-elf "^pith: $TMP/noimage/Pithfile: IMAGE x: " build "$TMP/noimage"
printf 'IMAGE x\nFILES www /srv\n' >"$TMP/nofiles/Pithfile"
usage_error build/files-missing '^pith: build: FILES www: No such file or directory$' \
	build "$TMP/nofiles"
# FILES, but the image was not linked by pith cc during the build.
mkdir "$TMP/unbaked/www"
limit 60 "$PITH" cc -o "$TMP/unbaked/prebuilt" "$PROJ/show.c"
printf 'BUILD cp prebuilt x\nIMAGE x\nFILES www /srv\n' >"$TMP/unbaked/Pithfile"
usage_error build/files-not-baked \
	"^pith: $TMP/unbaked/Pithfile: IMAGE x holds no baked files: FILES needs it linked by pith cc" \
	build "$TMP/unbaked"
# A prebuilt image with no BUILD is stored as it is.
printf 'IMAGE prebuilt\nCMD ["pre"]\n' >"$TMP/unbaked/Pithfile"
p build -q -t pre "$TMP/unbaked"
runs build/prebuilt "host=pith argc=2 [pre] GREETING=- LANG=- index=-" pre
check build/errors-leave-no-temporaries [ -z "$(ls -A "$STORE/tmp")" ]

# ---- rmi ----------------------------------------------------------------------------

p rmi site:other
check rmi/last-tag-deletes [ "$rc" = 0 ] && [ "$(cat "$OUT")" = "Untagged: site:other
Deleted: $ID2" ] && [ ! -e "$STORE/images/sha256/${ID2#sha256:}" ]
check rmi/shared-blob-kept [ -e "$STORE/blobs/sha256/$blob" ]
p rmi web/front:v1.2
check rmi/other-tags-keep-image [ "$rc" = 0 ] && [ "$(cat "$OUT")" = "Untagged: web/front:v1.2" ] &&
	[ -e "$STORE/images/sha256/$HEX" ]
usage_error rmi/tagged-id "^pith: rmi: ${HEX:0:12}: image is tagged \(remove its tags, or use -f\)$" \
	rmi "${HEX:0:12}"
usage_error rmi/unknown '^pith: rmi: nosuch: no such image' rmi nosuch
usage_error rmi/none '^pith: rmi: name an image' rmi
p rmi -f "$ID"
check rmi/force [ "$rc" = 0 ] && grep -qx 'Untagged: site:latest' "$OUT" &&
	grep -qx "Deleted: $ID" "$OUT" && [ ! -e "$STORE/blobs/sha256/$blob" ]
usage_error run/removed '^pith: run: site: no such file or image' run site

# A BUILD line that leaves a process behind: the step ends with its command.
mkdir -p "$TMP/daemon"
printf 'BUILD sleep 30.4242 & echo started\nIMAGE x\n' >"$TMP/daemon/Pithfile"
cp "$PROJ/show" "$TMP/daemon/x"
t0=$SECONDS
limit 20 "$PITH" build -q "$TMP/daemon" 2>&1 | cat >/dev/null
check build/background-process-ended [ $((SECONDS - t0)) -lt 10 ] &&
	! pgrep -f '^sleep 30.4242$' >/dev/null

# What crashes leave (temporaries, a blob no image names) goes at the next rmi.
p build -q -t gc "$PROJ"
touch "$STORE/tmp/new.crash1" "$STORE/images/sha256/$(printf 'a%.0s' {1..64}).tmp.x" \
	"$STORE/tags.tmp.y"
orphan=$(printf 'b%.0s' {1..64})
echo junk >"$STORE/blobs/sha256/$orphan"
p rmi gc
check store/gc [ -z "$(ls -A "$STORE/tmp")" ] && [ ! -e "$STORE/blobs/sha256/$orphan" ] &&
	[ ! -e "$STORE/tags.tmp.y" ] && ! ls "$STORE/images/sha256/" | grep -q tmp

# ---- the store under concurrency and damage -------------------------------------------

p build -q -t site "$PROJ"
# Twenty tag commands at once: each takes the lock, none is lost.
for i in $(seq 1 20); do
	limit 60 "$PITH_REL" tag site "many:t$i" &
done
wait
check store/concurrent-tags [ "$(grep -c '^many:t' "$STORE/tags")" = 20 ]
# Builds racing tag and rmi commands leave a store that reads back whole.
for i in 1 2 3; do
	cp -R "$PROJ" "$TMP/race$i" # a project each: the race is in the store
	limit 120 "$PITH_REL" build -q -t "race:b$i" "$TMP/race$i" >/dev/null &
	limit 60 "$PITH_REL" rmi "many:t$i" >/dev/null &
done
wait
p images --format json
check store/consistent-after-race python3 -c '

import json, sys
refs = {r["repository"] + ":" + r["tag"] for r in json.load(open(sys.argv[1]))}
assert {"race:b1", "race:b2", "race:b3", "site:latest"} <= refs, refs
assert not {"many:t1", "many:t2", "many:t3"} & refs, refs' "$OUT"

cp "$STORE/tags" "$TMP/tags.good"
echo 'garbage' >>"$STORE/tags"
usage_error store/damaged-tags "^pith: store damaged: $STORE/tags:[0-9]+: not NAME:TAG ID$" images
cp "$TMP/tags.good" "$STORE/tags"
chmod u+w "$STORE/images/sha256/${HEX}"
echo '# changed' >>"$STORE/images/sha256/${HEX}"
usage_error store/damaged-image "^pith: run: site: store damaged: .* does not match its digest$" \
	run site

# A reader does not create a store.
PITH_HOME=$TMP/no-store p images
check store/reader-creates-nothing [ "$rc" = 0 ] && [ ! -e "$TMP/no-store" ]
PITH_HOME=relative p images
usage_check=$rc
check store/relative-home [ "$usage_check" = 125 ] && grep -q 'PITH_HOME must be an absolute path' "$ERR"

helps build-help '^usage: pith build ' build --help
helps images-help '^usage: pith images ' images --help
helps tag-help '^usage: pith tag ' tag --help
helps rmi-help '^usage: pith rmi ' rmi --help
