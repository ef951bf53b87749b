#!/bin/bash
# tests/volume — host directories as volumes (`pith run -v HOST:GUEST[:ro]`).
#
# File operations on a volume are compared byte for byte with the same
# program built by musl-gcc -static and run natively on a copy of the
# same directory, on every target. Then what only pith can show: escape
# attempts (.. chains, absolute and relative links, a directory swapped
# for a link while the guest opens paths under it, hard links out), a
# read-only volume, fsync'd records surviving SIGKILL, ENOSPC from the
# host, exits per MiB, and bad -v specs. Everything runs the ASan+UBSan
# pith ($PITH), so a sanitizer report fails the check.
set -u
. "$(dirname "$0")/../lib.sh"
SRC=$ROOT/tests/volume
cd "$TMP" || exit 1
TARGETS=$(targets)
have_kvm || skip volume/hvt "$KVM_WHY; volume tests run on the process target only"
NATIVE=yes
command -v musl-gcc >/dev/null 2>&1 || NATIVE=""

# build NAME SOURCE: NAME (pith cc) and NAME.nat (musl-gcc -static).
build() {
	"$PITH" cc -O2 -o "$1" "$2" >"$1.log" 2>&1 || { fail "volume/build-$1" "$(head -c 300 "$1.log")"; return 1; }
	[ -z "$NATIVE" ] || musl-gcc -static -O2 -o "$1.nat" "$2" >>"$1.log" 2>&1 ||
		{ fail "volume/build-$1" "musl-gcc: $(head -c 300 "$1.log")"; return 1; }
}
# wrapped NAME: tests/guest/NAME.c, run in the directory argv[1] names.
wrapped() {
	printf '#define main prog_main\n#include "%s"\n#undef main\n#include "%s"\n' \
		"$ROOT/tests/guest/$1.c" "$SRC/in_dir.h" >"w-$1.c"
	build "$1" "w-$1.c"
}
# seed DIR: the files every comparison starts from.
seed() {
	rm -rf "$1" && mkdir -p "$1/sub" && printf 'given file\n' >"$1/given.txt" &&
		printf 'nested\n' >"$1/sub/n.txt"
}
san() { sanitizer_spoke "$1" && echo "sanitizer: $(grep -m1 -E 'Sanitizer|runtime error' "$1")"; }

# ---- the same program natively and on a volume ------------------------------

compare() { # NAME
	local name=$1 t why
	if [ -z "$NATIVE" ]; then
		for t in $TARGETS; do skip "volume/$name/$t" "musl-gcc not found: nothing to compare with"; done
		return
	fi
	seed nat
	limit 60 "./$name.nat" "$TMP/nat" >"$name.nat.out" 2>&1
	echo "status $?" >>"$name.nat.out"
	for t in $TARGETS; do
		seed vol
		limit 60 "$PITH" run -q --target "$t" -v "$TMP/vol:/data" "./$name" /data \
			>"$name.$t.out" 2>"$name.$t.err"
		echo "status $?" >>"$name.$t.out"
		why=$(san "$name.$t.err")
		[ -n "$why" ] || cmp -s "$name.nat.out" "$name.$t.out" ||
			why="differs from Linux: $(diff "$name.nat.out" "$name.$t.out" | head -4 | tr '\n' '|' | cut -c1-300) [stderr: $(head -c 200 "$name.$t.err")]"
		if [ -z "$why" ]; then ok "volume/$name/$t"; else fail "volume/$name/$t" "$why"; fi
	done
}
build volops "$SRC/volops.c" && compare volops
# The guest suite's file programs, in a volume instead of the ramfs.
# (links.c and fsedge.c are left out on purpose: an absolute link inside
# a volume and ".." from a removed working directory are where volumes
# differ from Linux by design; see docs/architecture.md.)
wrapped files && compare files
wrapped statx && compare statx

# ---- escapes ------------------------------------------------------------------

# A host loop swaps vol/swap between a directory and a link to outside/,
# a bounded number of times.
swapper() { # DIR ROUNDS
	local d=$1 i
	for ((i = 0; i < $2; i++)); do
		rm -rf "$d/swap" && ln -s ../outside "$d/swap"
		rm -f "$d/swap" && mkdir "$d/swap" && printf 'inside\n' >"$d/swap/secret"
	done
}
if build escape "$SRC/escape.c"; then
	for t in $TARGETS; do
		rm -rf esc && mkdir -p esc/vol/a esc/vol/inner esc/outside
		printf 'OUTSIDE secret\n' >esc/outside/secret
		ln -s "$TMP/esc/outside" esc/vol/abs
		ln -s ../outside esc/vol/rel
		ln -s "$TMP/esc/outside/secret" esc/vol/absfile
		ln -s "$TMP/esc/outside/made-by-guest" esc/vol/dangling
		mkdir esc/vol/swap && printf 'inside\n' >esc/vol/swap/secret
		before=$(cd esc/outside && find . -printf '%p %s %m %n\n' | sort; sha256sum secret)
		swapper esc/vol 3000 &
		spid=$!
		limit 120 "$PITH" run -q --target "$t" -v "$TMP/esc/vol:/data" ./escape /data 3000 \
			>"esc.$t.out" 2>"esc.$t.err"
		st=$?
		wait "$spid"
		after=$(cd esc/outside && find . -printf '%p %s %m %n\n' | sort; sha256sum secret)
		why=$(san "esc.$t.err")
		[ "$st" = 0 ] || why="$why status $st: $(head -c 200 "esc.$t.err")"
		grep -q ESCAPED "esc.$t.out" && why="$why $(grep -m3 ESCAPED "esc.$t.out" | tr '\n' '|')"
		[ "$(grep -c ': ' "esc.$t.out")" -ge 25 ] || why="$why only $(grep -c ': ' "esc.$t.out") attempts ran"
		grep -q '^swap: 3000 rounds, none outside' "esc.$t.out" || why="$why swap loop: $(grep swap "esc.$t.out")"
		[ "$before" = "$after" ] || why="$why files outside changed"
		[ -e esc/outside/made-by-guest ] && why="$why a file was created outside"
		if [ -z "$why" ]; then ok "volume/escape/$t"; else fail "volume/escape/$t" "$why"; fi
	done
fi

# ---- read-only --------------------------------------------------------------

cat >ro.c <<'C'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define T(what, call) do { errno = 0; long r_ = (long)(call); \
	printf("%s %s\n", what, r_ < 0 ? strerror(errno) : "succeeded"); } while (0)
int main(void)
{
	char buf[32] = { 0 };
	int fd = open("/ro/given.txt", O_RDONLY);
	T("read", read(fd, buf, sizeof(buf)));
	T("open for writing", open("/ro/given.txt", O_WRONLY));
	T("open rdwr", open("/ro/given.txt", O_RDWR));
	T("open trunc", open("/ro/given.txt", O_RDONLY | O_TRUNC));
	T("create", open("/ro/new", O_CREAT | O_WRONLY, 0644));
	T("truncate", truncate("/ro/given.txt", 0));
	T("unlink", unlink("/ro/given.txt"));
	T("rename", rename("/ro/given.txt", "/ro/x"));
	T("mkdir", mkdir("/ro/d", 0755));
	T("rmdir", rmdir("/ro/sub"));
	T("symlink", symlink("x", "/ro/l"));
	T("link", link("/ro/given.txt", "/ro/h"));
	T("chmod", chmod("/ro/given.txt", 0600));
	T("utimes", utimensat(AT_FDCWD, "/ro/given.txt", NULL, 0));
	T("access W_OK", access("/ro/given.txt", W_OK));
	T("write on fd", write(fd, "x", 1));
	T("fchmod on fd", fchmod(fd, 0600));
	T("unlink missing", unlink("/ro/missing"));
	T("rw volume create", open("/rw/new", O_CREAT | O_WRONLY, 0644));
	return 0;
}
C
if "$PITH" cc -o ro ro.c >ro.log 2>&1; then
	want=$(printf 'read succeeded\n'; printf '%s Read-only file system\n' "open for writing" "open rdwr" \
		"open trunc" create truncate unlink rename mkdir rmdir symlink link chmod utimes "access W_OK";
		printf 'write on fd Bad file descriptor\nfchmod on fd Read-only file system\n';
		printf 'unlink missing No such file or directory\nrw volume create succeeded\n')
	for t in $TARGETS; do
		seed rodir && rm -rf rwdir && mkdir rwdir
		before=$(cd rodir && find . -printf '%p %s %m %T@\n' | sort)
		out=$(limit 30 "$PITH" run --target "$t" -v "$TMP/rodir:/ro:ro" -v "$TMP/rwdir:/rw" ./ro 2>ro.err)
		after=$(cd rodir && find . -printf '%p %s %m %T@\n' | sort)
		why=$(san ro.err)
		[ "$out" = "$want" ] || why="$why output: $(diff <(echo "$want") <(echo "$out") | tr '\n' '|' | cut -c1-300)"
		[ "$before" = "$after" ] || why="$why the read-only directory changed"
		[ -e rwdir/new ] || why="$why the rw volume beside it got no file"
		if [ -z "$why" ]; then ok "volume/read-only/$t"; else fail "volume/read-only/$t" "$why"; fi
	done
else
	fail volume/build-ro "$(head -c 300 ro.log)"
fi

# ---- durability: fsync'd records survive SIGKILL --------------------------------

if "$PITH" cc -O2 -o durable "$SRC/durable.c" >durable.log 2>&1; then
	for t in $TARGETS; do
		rm -rf dur && mkdir dur
		# A small guest has a small console, so printed numbers leave often.
		"$PITH" run -q -m 8M --target "$t" -v "$TMP/dur:/d" ./durable /d 200000 >dur.out 2>dur.err &
		pid=$!
		for _ in $(seq 100); do
			[ "$(grep -c '^synced' dur.out)" -ge 300 ] && break
			sleep 0.2
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		last=$(grep '^synced' dur.out | tail -n 1 | awk '{ print $2 + 0 }')
		why=""
		if [ -z "$last" ]; then
			why="no record was reported as synced: $(head -c 200 dur.err)"
		else
			need=$(( (last + 1) * 64 ))
			have=$(stat -c %s dur/log)
			[ "$have" -ge "$need" ] || why="only $have bytes in the file, $need fsync'd"
			head -c "$need" dur/log | awk -v n="$last" '
				{ if ($1 != "record" || $2 + 0 != NR - 1 || length($0) != 63) { bad = NR; exit } }
				END { exit bad || NR != n + 1 }' || why="$why records 0..$last not all whole and in order"
		fi
		if [ -z "$why" ]; then ok "volume/fsync-survives-sigkill/$t"; else fail "volume/fsync-survives-sigkill/$t" "$why"; fi
	done
else
	fail volume/build-durable "$(head -c 300 durable.log)"
fi

# ---- ENOSPC from the host's file system ----------------------------------------

cat >full.c <<'C'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void)
{
	static char buf[1 << 20];
	int fd = open("/small/f", O_CREAT | O_WRONLY, 0644);
	long total = 0, r;
	while ((r = write(fd, buf, sizeof(buf))) > 0)
		total += r;
	printf("write: %s after %ld KiB\n", r < 0 ? strerror(errno) : "0", total >> 10);
	return 0;
}
C
"$PITH" cc -o full full.c >full.log 2>&1 || fail volume/build-full "$(head -c 300 full.log)"
if command -v unshare >/dev/null 2>&1 && unshare --mount sh -c 'mount -t tmpfs -o size=1m none /mnt' 2>/dev/null; then
	mkdir -p small
	for t in $TARGETS; do
		out=$(limit 60 unshare --mount sh -c 'mount -t tmpfs -o size=512k none "$1" && shift && exec "$@"' sh \
			"$TMP/small" "$PITH" run --target "$t" -v "$TMP/small:/small" ./full 2>&1)
		if echo "$out" | grep -qE '^write: No space left on device after [0-9]+ KiB$'; then
			ok "volume/enospc/$t"
		else
			fail "volume/enospc/$t" "$(echo "$out" | head -c 300 | tr '\n' '|')"
		fi
	done
else
	skip volume/enospc "cannot mount a small tmpfs here (needs unshare --mount and root)"
fi

# ---- exits per MiB on hvt -------------------------------------------------------

if "$PITH" cc -O2 -o bigread "$SRC/bigread.c" >bigread.log 2>&1; then
	if have_kvm; then
		rm -rf big && mkdir big
		limit 120 "$PITH" run --verbose --target hvt -v "$TMP/big:/b" ./bigread /b/f 64 >big.out 2>big.err
		n=$(sed -n 's/.* volume \([0-9]*\)).*/\1/p' big.err)
		# 64 MiB written and 64 read in 1 MiB calls: about 130 calls.
		if [ "$(cat big.out)" = "read 64 MiB" ] && [ -n "$n" ] && [ "$n" -le 140 ]; then
			ok "volume/exits-per-mib/hvt"
		else
			fail "volume/exits-per-mib/hvt" "out [$(cat big.out)], volume exits [$n] for 128 MiB moved (want <= 140): $(tail -n 2 big.err | tr '\n' '|')"
		fi
	else
		skip volume/exits-per-mib/hvt "$KVM_WHY"
	fi
else
	fail volume/build-bigread "$(head -c 300 bigread.log)"
fi

# ---- bad -v: one line, status 125 ---------------------------------------------

mkdir -p okdir && : >afile
bad() { # NAME ERE SPEC...
	local name=$1 re=$2 args=() s
	shift 2
	for s in "$@"; do args+=(-v "$s"); done
	"$PITH" run --target process "${args[@]}" ./volops /data >bad.out 2>bad.err
	local st=$?
	if [ "$st" = 125 ] && [ "$(wc -l <bad.err)" = 1 ] && grep -qE -- "$re" bad.err; then
		ok "volume/bad-spec/$name"
	else
		fail "volume/bad-spec/$name" "status $st: $(head -c 200 bad.err | tr '\n' '|')"
	fi
}
bad missing-host '^pith: run: -v nosuch:/y: nosuch: No such file or directory$' nosuch:/y
bad host-not-dir '^pith: run: -v afile:/y: afile: not a directory$' afile:/y
bad no-colon '^pith: run: -v okdir: use HOST:GUEST\[:ro\] \(-v is --volume; --verbose is long only\)$' okdir
bad empty-host '^pith: run: -v :/y: HOST is empty$' :/y
bad relative-guest '^pith: run: -v okdir:y: GUEST must be an absolute path$' okdir:y
bad guest-root '^pith: run: -v okdir:/: GUEST may not be /$' okdir:/
bad guest-dotdot '^pith: run: -v okdir:/a/../b: GUEST may not hold \. or \.\.$' okdir:/a/../b
bad bad-option "^pith: run: -v okdir:/y:rx: unknown option 'rx' \(use ro or rw\)$" okdir:/y:rx
bad overlap '^pith: run: -v okdir:/a/b: /a/b overlaps the volume at /a$' okdir:/a okdir:/a/b
bad too-many '^pith: run: -v okdir:/v9: at most 8 volumes$' okdir:/v1 okdir:/v2 okdir:/v3 \
	okdir:/v4 okdir:/v5 okdir:/v6 okdir:/v7 okdir:/v8 okdir:/v9
exit 0
