#!/bin/bash
# tests/guest — C programs as pith images, checked against Linux.
#
# Each NAME.c here is a small program that proves one thing. It is built
# twice: as a pith image with `pith cc` (the ASan+UBSan pith) and as a
# static Linux program with `musl-gcc -static` (the same musl). Most checks
# run both with the same argv (argv[0] included: both run as ./NAME from
# their own directory), the same environment (`env -i K=V` for Linux,
# `pith run -e K=V` for pith) and the same stdin, on every target, and
# want stdout, stderr and the exit status byte for byte equal. Checks that
# cannot be compared (out of memory, crash reports, random bytes, pith's
# own uname) assert pith's output instead. Every pith run also fails its
# check if a sanitizer spoke on pith's stderr.
#
# Check names: guest/TEST/TARGET, e.g. guest/printf/hvt.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"

SRC=$ROOT/tests/guest
IMG=$TMP/img # pith images, by program name
NAT=$TMP/nat # the same programs for Linux, same names
OUT=$TMP/out # one directory per check: native.*, TARGET.* (out, err, rc)
mkdir -p "$IMG" "$NAT" "$OUT"
ulimit -c 0 # the crash tests must not leave core files
TARGETS=$(targets)
have_kvm || skip guest/hvt "$KVM_WHY; guest tests run on the process target only"
NATIVE=yes
if ! command -v musl-gcc >/dev/null 2>&1; then
	NATIVE=""
	NATIVE_WHY="musl-gcc not found (Debian: apt-get install musl-tools); nothing to compare with"
fi
CFLAGS="-O2 -g -Wall"

# ---- building -------------------------------------------------------------

# build NAME [FLAG...]: $IMG/NAME with pith cc and $NAT/NAME with
# musl-gcc -static, from $SRC/NAME.c (the same path, so __FILE__ agrees).
# A failure is recorded in $OUT/build-NAME.err for the checks to report.
build() {
	local name=$1 log=$OUT/build-$1.log
	shift
	# shellcheck disable=SC2086
	if ! limit 120 "$PITH" cc $CFLAGS -o "$IMG/$name" "$SRC/$name.c" "$@" >"$log" 2>&1 ||
		sanitizer_spoke "$log"; then
		echo "pith cc failed: $(tr '\n' ' ' <"$log" | cut -c1-300)" >"$OUT/build-$name.err"
	fi
	# shellcheck disable=SC2086
	if [ -n "$NATIVE" ] &&
		! limit 120 musl-gcc -static $CFLAGS -o "$NAT/$name" "$SRC/$name.c" "$@" \
			>"$log.native" 2>&1; then
		echo "musl-gcc failed: $(tr '\n' ' ' <"$log.native" | cut -c1-300)" \
			>>"$OUT/build-$name.err"
	fi
}

# The make-built project: `make CC=pith-cc` and `make CC=musl-gcc`, each in
# a copy of tests/guest/proj; the result lands as $IMG/stats-demo and
# $NAT/stats-demo.
build_project() {
	local d=$TMP/proj-pith log=$OUT/build-stats-demo.log
	cp -r "$SRC/proj" "$d"
	if ! limit 120 make -C "$d" CC="$ROOT/build/bin/pith-cc" >"$log" 2>&1 ||
		! cp "$d/stats-demo" "$IMG/stats-demo"; then
		echo "make CC=pith-cc failed: $(tail -n 5 "$log" | tr '\n' ' ' | cut -c1-300)" \
			>"$OUT/build-stats-demo.err"
	fi
	[ -n "$NATIVE" ] || return 0
	d=$TMP/proj-native
	cp -r "$SRC/proj" "$d"
	if ! limit 120 make -C "$d" CC=musl-gcc LDFLAGS=-static >"$log.native" 2>&1 ||
		! cp "$d/stats-demo" "$NAT/stats-demo"; then
		echo "make CC=musl-gcc failed: $(tail -n 5 "$log.native" | tr '\n' ' ' | cut -c1-300)" \
			>>"$OUT/build-stats-demo.err"
	fi
}

# Print why NAME did not build, and succeed; fail when it built.
build_failed() {
	[ -e "$OUT/build-$1.err" ] && tr '\n' ' ' <"$OUT/build-$1.err"
}

# Every program, two compilers at a time.
build_all() {
	local jobs=0 spec
	for spec in "printf" "scanf" "malloc" "enomem" "strings" "libm -lm" "setjmp" \
		"recursion" "args" "filter" "exitcode" "atexit" "abort" "assert" "bigout" \
		"separate" "clocks" "random" "uname" "fault" "signals" "stdin" "bigmem" \
		"closedfd" "sigpipe" "mmap" "errors" "syscall-raw" "sleeper" "efault" \
		"tls -fstack-protector-all" "bss" "enosys" "tty" "nonblock" "poll" "pipes" "memedge" "files" "devices" "links" "statx" "fsedge" "procfs" \
		"tcp-echo" "tcp-bulk" "tcp-errors" "tcp-many" "udp" "eventfd" "epoll-nest" "project"; do
		# shellcheck disable=SC2086
		if [ "$spec" = project ]; then build_project & else build $spec & fi
		jobs=$((jobs + 1))
		if [ "$jobs" -ge 3 ]; then
			wait -n
			jobs=$((jobs - 1))
		fi
	done
	wait
}

# ---- running --------------------------------------------------------------

# Set per check (compare resets them to these defaults):
IN=/dev/null # the program's stdin (a file)
INCMD=""     # or: a command whose output is piped to the program's stdin
OUTCMD=""    # a command the program's stdout is piped to; $P.out gets its
             # output, $P.rc still the program's status
ENVV=()      # KEY=VAL for the program's environment, in order
NENV=()      # more KEY=VAL for the Linux run only (pith gets them by RUNOPT)
RUNOPT=()    # more `pith run` options
MERGE=""     # non-empty: stderr goes to the stdout file (2>&1)
CLOSE=""     # a redirection that closes one of the program's fds: '<&-'
LIMIT=60     # seconds for one run
STOPSIG=""   # stop the program with this signal after half a second
reset() {
	IN=/dev/null INCMD="" OUTCMD="" ENVV=() NENV=() RUNOPT=() MERGE="" CLOSE="" LIMIT=60
	STOPSIG=""
}

# feed CMD...: run CMD with stdin from $IN or $INCMD, stdout to $P.out and
# fd 3 to $P.err (to $P.out with MERGE), the status into $P.rc. CMD's own
# fd 2 is /dev/null: it must start with "${WRAP[@]}" (set by wrap), which
# moves fd 3 to fd 2 for the program and applies $CLOSE. So the shell's
# notes about a child killed by a signal ("Aborted") stay out of the
# program's stderr.
wrap() {
	WRAP=(sh -c "exec 2>&3 3>&-${CLOSE:+ $CLOSE}; exec \"\$@\"" sh)
}
feed() {
	{
		if [ -n "$OUTCMD" ]; then
			"$@" <"$IN" 3>"$P.err" | $OUTCMD >"$P.out"
			echo "${PIPESTATUS[0]}" >"$P.rc"
		else
			if [ -n "$INCMD" ]; then
				if [ -n "$MERGE" ]; then
					$INCMD | "$@" >"$P.out" 3>&1
				else
					$INCMD | "$@" >"$P.out" 3>"$P.err"
				fi
			elif [ -n "$MERGE" ]; then
				"$@" <"$IN" >"$P.out" 3>&1
			else
				"$@" <"$IN" >"$P.out" 3>"$P.err"
			fi
			echo $? >"$P.rc"
		fi
	} 2>/dev/null
	[ -e "$P.err" ] || : >"$P.err"
}

in_dir() {
	local d=$1
	shift
	cd "$d" && "$@"
}

# lim: the time limit (or the stop signal) for one run, in LIM.
lim() {
	LIM=(limit "$LIMIT")
	[ -z "$STOPSIG" ] || LIM=(timeout -k 5 --preserve-status -s "$STOPSIG" 0.5)
}

# run_native PREFIX PROG ARG...: ./PROG from $NAT, environment only ENVV.
run_native() {
	local P=$1 prog=$2 WRAP LIM
	shift 2
	wrap
	lim
	(feed in_dir "$NAT" "${LIM[@]}" "${WRAP[@]}" env -i "${ENVV[@]}" "${NENV[@]}" \
		"./$prog" "$@")
}

# run_pith PREFIX TARGET PROG ARG...: ./PROG from $IMG with pith run -q.
run_pith() {
	local P=$1 t=$2 prog=$3 kv e=() WRAP LIM
	shift 3
	for kv in "${ENVV[@]}"; do e+=(-e "$kv"); done
	wrap
	lim
	(feed in_dir "$IMG" "${LIM[@]}" "${WRAP[@]}" "$PITH" run -q --target "$t" \
		"${RUNOPT[@]}" "${e[@]}" "./$prog" "$@")
}

# first_diff A B: sizes and the first differing line of two files.
first_diff() {
	local c l
	c=$(cmp "$1" "$2" 2>&1 | head -n 1)
	l=$(printf '%s' "$c" | sed -n 's/.*line \([0-9][0-9]*\).*/\1/p')
	printf '%s vs %s bytes' "$(wc -c <"$1")" "$(wc -c <"$2")"
	[ -n "$l" ] && printf '; line %s: native [%s] pith [%s]' "$l" \
		"$(sed -n "${l}p" "$1" | cut -c1-120 | cat -v)" \
		"$(sed -n "${l}p" "$2" | cut -c1-120 | cat -v)"
}

# sanitizer_why P: the sanitizer's first line when one spoke in $P.err.
sanitizer_why() {
	sanitizer_spoke "$1.err" &&
		echo "sanitizer report on pith's stderr: $(grep -m 1 -E \
			'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' \
			"$1.err" | cut -c1-200)"
}

# differ NATIVE-PREFIX PITH-PREFIX: why the runs differ; empty if alike.
differ() {
	local a=$1 b=$2 why=""
	sanitizer_why "$b" && return
	[ "$(cat "$a.rc")" = "$(cat "$b.rc")" ] ||
		why="status: native $(cat "$a.rc"), pith $(cat "$b.rc") [pith stderr: $(grep -m 1 . "$b.err" | cut -c1-150)]; "
	cmp -s "$a.out" "$b.out" || why="${why}stdout differs: $(first_diff "$a.out" "$b.out"); "
	cmp -s "$a.err" "$b.err" || why="${why}stderr differs: $(first_diff "$a.err" "$b.err"); "
	printf '%s' "${why%; }"
}

# compare CHECK PROG [ARG...]: the program on Linux and on each target
# must agree (see the top). Resets the per-check settings after.
compare() {
	local check=$1 prog=$2 t why d
	shift 2
	d=$OUT/$check
	mkdir -p "$d"
	if why=$(build_failed "$prog"); then
		for t in $TARGETS; do fail "guest/$check/$t" "$why"; done
	elif [ -z "$NATIVE" ]; then
		for t in $TARGETS; do skip "guest/$check/$t" "$NATIVE_WHY"; done
	else
		run_native "$d/native" "$prog" "$@"
		for t in $TARGETS; do
			run_pith "$d/$t" "$t" "$prog" "$@"
			why=$(differ "$d/native" "$d/$t")
			if [ -z "$why" ]; then ok "guest/$check/$t"; else fail "guest/$check/$t" "$why"; fi
		done
	fi
	reset
}

# ---- assertions on pith's own output (WHY collects the reasons) ---------

WHY=""
want() { WHY="$WHY${WHY:+; }$*"; }
want_status() { # P N
	[ "$(cat "$1.rc")" = "$2" ] ||
		want "status $(cat "$1.rc"), want $2 [stderr: $(grep -m 1 . "$1.err" | cut -c1-150)]"
}
want_out() { # P TEXT: stdout exactly TEXT (plus a newline)
	[ "$(cat "$1.out"; echo x)" = "$2"$'\n'x ] ||
		want "stdout [$(head -c 200 "$1.out" | tr '\n' '|' | cat -v)], want [$2]"
}
want_err() { # P ERE: a line of stderr matches
	grep -qE -- "$2" "$1.err" ||
		want "stderr lacks /$2/ [$(head -c 300 "$1.err" | tr '\n' '|' | cat -v)]"
}
verdict() { # CHECK P: ok, or FAIL with the reasons; then clear them
	local w
	w=$(sanitizer_why "$2") && want "$w"
	if [ -z "$WHY" ]; then ok "$1"; else fail "$1" "$WHY"; fi
	WHY=""
}

# guest_only CHECK PROG: print FAILs for a program that did not build;
# succeed when it did.
guest_only() {
	local why t
	why=$(build_failed "$2") || return 0
	for t in $TARGETS; do fail "guest/$1/$t" "$why"; done
	return 1
}

# ==== the checks ===========================================================

build_all

# libc on its own: formatting and parsing (scanf reads its stdin).
compare printf printf
IN=$SRC/scanf.in
compare scanf scanf
compare strings strings
compare libm libm
compare setjmp setjmp
compare recursion recursion
compare tls tls
compare bss bss

# Memory: malloc and friends, and the calls under them.
compare malloc malloc
compare mmap mmap

# System calls: bad arguments, raw syscall(2) numbers, unwritable buffers.
compare errors errors
compare syscall-raw syscall-raw
IN=$SRC/scanf.in
compare efault efault

# A large guest: 600 MiB touched page by page.
RUNOPT=(-m 1G)
compare bigmem bigmem

# Out of memory: with 8 MiB a loop of 1 MiB mallocs gets NULL (ENOMEM), the
# program says so, frees, allocates again and exits 0.
if guest_only enomem enomem; then
	for t in $TARGETS; do
		P=$OUT/enomem.$t
		RUNOPT=(-m 8M)
		run_pith "$P" "$t" enomem
		reset
		want_status "$P" 0
		grep -qE '^malloc failed after [1-7] MiB: ENOMEM$' "$P.out" ||
			want "no 'malloc failed after N MiB: ENOMEM' (1 <= N < 8) line: [$(head -c 200 "$P.out" | tr '\n' '|')]"
		grep -qx 'recovered: allocated 1048576 bytes again after freeing' "$P.out" ||
			want "did not recover after freeing: [$(head -c 300 "$P.out" | tr '\n' '|')]"
		grep -qx 'malloc(1 TiB): NULL ENOMEM' "$P.out" || want "malloc(1 TiB) did not fail with ENOMEM"
		[ -s "$P.err" ] && want "stderr not empty: $(head -c 200 "$P.err" | tr '\n' '|')"
		verdict "guest/enomem/$t" "$P"
	done
fi

# argv and the environment.
long=$(printf 'L%.0s' $(seq 3000))
ENVV=(A=1 "B=two words" EMPTY= "EQ=x=y=z" "LONG=$long" "UTF8=ünïcödé")
compare args args "with space" "" 'quo"te' "$(printf 'tab\there')" "ünïcödé" "$long" -- --flag \
	"$(printf '\001\002\033[0m\377\376')" -q --target=hvt
compare args-none args
# -e KEY (no value) copies pith's own variable.
export PITH_GUEST_TEST_COPY="copied from the host"
NENV=("PITH_GUEST_TEST_COPY=$PITH_GUEST_TEST_COPY")
RUNOPT=(-e PITH_GUEST_TEST_COPY)
compare args-copy args copy
unset PITH_GUEST_TEST_COPY
# Thousands of arguments and hundreds of variables.
many=()
for i in $(seq 2000); do many+=("argument-$i"); done
for i in $(seq 300); do ENVV+=("VAR$i=value $i"); done
compare args-many args "${many[@]}" "$(printf 'B%.0s' $(seq 100000))"

# A stdin filter over a multi-KB input: long lines, CRs, an unfinished last
# line; from a file, from a slow pipe, and from /dev/null.
{
	cat "$SRC"/*.c
	awk 'BEGIN { for (i = 0; i < 9000; i++) printf "%c", 65 + i % 58; print "";
		for (i = 0; i < 400; i++) print i, i * i, "Mixed Case Line", i % 7 }'
	printf 'tab\there\r\n\n\nlast line without a newline'
} >"$TMP/filter.in"
IN=$TMP/filter.in compare filter filter
slow_input() { printf 'first Line\n'; sleep 0.2; printf 'second LINE\nthird'; sleep 0.2; printf ' part\n'; }
INCMD=slow_input compare filter-pipe filter
compare filter-empty filter

# All of stdin through read(2) in sizes up to 1 MiB: megabytes from a file
# and from a pipe, and none.
{
	seq 1 300000
	cat "$SRC"/*.c
} >"$TMP/stdin.in"
IN=$TMP/stdin.in
compare stdin-file stdin
INCMD="cat $TMP/stdin.in"
compare stdin-pipe stdin
compare stdin-empty stdin
slow_writer() { sleep 0.3; printf 'data after a pause\nmore\n'; }
INCMD=slow_writer
compare stdin-nonblock nonblock
# poll and select on stdin (and the other fds) while input is on its way.
slow_line() { sleep 0.5; printf 'hello\n'; sleep 0.2; }
INCMD=slow_line
compare poll poll
compare pipes pipes
compare memedge memedge
compare files files
compare devices devices
compare links links
compare statx statx
compare fsedge fsedge
# /proc: the self links, the fd directory, the process's files and the
# system's, compared where Linux and pith agree.
ENVV=(PROCFS_TEST=hello "SPACES=a b")
compare procfs procfs one "two words" ""

# fds 0, 1, 2 closed by the caller: EBADF, as on Linux.
CLOSE='<&-'
LIMIT=5
compare closed-stdin closedfd read
CLOSE='>&-'
LIMIT=10
compare closed-stdout closedfd write
CLOSE='2>&-'
LIMIT=10
compare closed-stderr closedfd stderr

# Exit statuses.
for spec in "return 0" "return 1" "return 255" "return 42" "exit 0" "exit 1" \
	"exit 255" "exit 256" "exit -1" "_exit 3" "Exit 200"; do
	# shellcheck disable=SC2086
	set -- $spec
	compare "exit-$1-$2" exitcode "$1" "$2"
done

for how in return exit _exit quick; do
	compare "atexit-$how" atexit "$how"
done

compare signals signals
compare signals-kill-siginfo signals kill-siginfo
compare signals-order signals order
for sig in TERM USR1 QUIT KILL SEGV FPE; do
	compare "signals-$sig" signals "$sig"
done

# Stopped from outside by a signal to pith, asleep or busy: the status of
# that signal, and what the program wrote before is there.
for spec in "TERM sleep" "TERM spin" "INT spin" "HUP sleep"; do
	# shellcheck disable=SC2086
	set -- $spec
	STOPSIG=$1
	compare "stopped-$1-$2" sleeper "$2"
done

# The reader of stdout goes away: SIGPIPE, or EPIPE when it is ignored.
OUTCMD="head -n 2"
compare sigpipe sigpipe
OUTCMD="head -n 2"
compare sigpipe-ignored sigpipe ignore

# Sockets on 127.0.0.1 (pith's own stack; Linux's loopback natively):
# echo through poll and epoll, 4 MB with a checksum and a half-close,
# errors, 200 connections at once, UDP; a write to a socket shut down
# for writing kills with SIGPIPE (status 141).
compare tcp-echo tcp-echo
compare tcp-bulk tcp-bulk
compare tcp-errors tcp-errors
compare tcp-sigpipe tcp-errors sigpipe
# Blocked in accept or recv, a signal from outside: a handler without
# SA_RESTART makes the call fail with EINTR; SIGTERM kills (143).
for spec in "INT accept" "INT recv" "TERM accept" "TERM recv"; do
	# shellcheck disable=SC2086
	set -- $spec
	STOPSIG=$1
	compare "tcp-blocked-$1-$2" tcp-errors "$2"
done
compare tcp-many tcp-many
compare epoll-nest epoll-nest
compare udp udp
compare eventfd eventfd

compare abort abort
compare abort-handler abort handler
compare abort-ignored abort ignore
compare assert assert

# 8 MiB of stdout: sha256 against Linux.
if why=$(build_failed bigout); then
	for t in $TARGETS; do fail "guest/bigout/$t" "$why"; done
elif [ -z "$NATIVE" ]; then
	for t in $TARGETS; do skip "guest/bigout/$t" "$NATIVE_WHY"; done
else
	d=$OUT/bigout
	mkdir -p "$d"
	run_native "$d/native" bigout
	nsum=$(sha256sum <"$d/native.out" | cut -d' ' -f1)
	[ "$(wc -c <"$d/native.out")" -eq $((8 << 20)) ] ||
		fail guest/bigout/native "Linux wrote $(wc -c <"$d/native.out") bytes, not 8 MiB"
	for t in $TARGETS; do
		run_pith "$d/$t" "$t" bigout
		psum=$(sha256sum <"$d/$t.out" | cut -d' ' -f1)
		[ "$psum" = "$nsum" ] ||
			want "stdout sha256 $psum ($(wc -c <"$d/$t.out") bytes), native $nsum"
		[ "$(cat "$d/$t.rc")" = "$(cat "$d/native.rc")" ] ||
			want "status $(cat "$d/$t.rc"), native $(cat "$d/native.rc")"
		cmp -s "$d/$t.err" "$d/native.err" || want "stderr differs: $(first_diff "$d/native.err" "$d/$t.err")"
		verdict "guest/bigout/$t" "$d/$t"
	done
fi

# stdout and stderr: separate files, each equal; and one merged file (2>&1),
# where the order of the writes must be kept.
compare separate separate
MERGE=1 compare separate-merged separate
# The same with the small console buffer of a small guest (8 KiB): it
# fills and drains many times.
RUNOPT=(-m 8M)
compare separate-small-console separate
RUNOPT=(-m 8M)
MERGE=1
compare separate-merged-small-console separate
RUNOPT=(-m 8M)
compare bigout-small-console bigout

# Time.
compare clocks clocks "$(date +%s)"
ENVV=("TZ=EST5EDT,M3.2.0,M11.1.0")
compare clocks-tz clocks "$(date +%s)"

# On a terminal (under script(1), which gives the program a pty): the
# transcripts (stdout and stderr together, as the terminal showed them)
# and the status must agree.
if why=$(build_failed tty); then
	for t in $TARGETS; do fail "guest/tty/$t" "$why"; done
elif ! command -v script >/dev/null 2>&1; then
	for t in $TARGETS; do skip "guest/tty/$t" "script(1) not found (util-linux)"; done
elif [ -z "$NATIVE" ]; then
	for t in $TARGETS; do skip "guest/tty/$t" "$NATIVE_WHY"; done
else
	d=$OUT/tty
	mkdir -p "$d"
	P=$d/native
	wrap
	(feed in_dir "$NAT" limit 30 "${WRAP[@]}" script -qec "env -i ./tty" /dev/null)
	for t in $TARGETS; do
		P=$d/$t
		(feed in_dir "$IMG" limit 30 "${WRAP[@]}" script -qec \
			"$(printf '%q' "$PITH") run -q --target $t ./tty" /dev/null)
		sanitizer_spoke "$P.out" && want "sanitizer report in the transcript: $(grep -m 1 -E 'Sanitizer|runtime error' "$P.out" | cut -c1-200)"
		w=$(differ "$d/native" "$P") && [ -n "$w" ] && want "$w"
		verdict "guest/tty/$t" "$P"
	done
fi

# Randomness: the verdicts compare; the bytes differ from run to run.
compare random random check
if guest_only random-differs random; then
	for t in $TARGETS; do
		P=$OUT/random.$t
		run_pith "$P.1" "$t" random dump
		run_pith "$P.2" "$t" random dump
		for i in 1 2; do
			want_status "$P.$i" 0
			grep -qE '^getrandom [0-9a-f]{128}$' "$P.$i.out" || want "run $i: no getrandom line"
			grep -qE '^at_random [0-9a-f]{32}$' "$P.$i.out" || want "run $i: no at_random line"
		done
		for what in getrandom at_random; do
			[ "$(grep "^$what " "$P.1.out")" != "$(grep "^$what " "$P.2.out")" ] ||
				want "$what bytes equal in two runs: $(grep "^$what " "$P.1.out")"
		done
		verdict "guest/random-differs/$t" "$P.2"
	done
fi

# uname: what Linux and pith share compares; pith's own names are asserted.
compare uname uname
if guest_only uname-values uname; then
	for t in $TARGETS; do
		P=$OUT/uname.$t
		run_pith "$P.1" "$t" uname all
		RUNOPT=(--hostname guest-test-host)
		run_pith "$P.2" "$t" uname all
		reset
		want_status "$P.1" 0
		want_status "$P.2" 0
		grep -qx 'sysname=Linux' "$P.1.out" || want "sysname not Linux"
		grep -qx 'machine=x86_64' "$P.1.out" || want "machine not x86_64"
		grep -qE '^release=.+' "$P.1.out" || want "release empty"
		grep -qE '^version=.+' "$P.1.out" || want "version empty"
		grep -qx 'nodename=pith' "$P.1.out" || want "default nodename not pith: $(grep nodename "$P.1.out")"
		grep -qx 'hostname=pith' "$P.1.out" || want "default gethostname not pith"
		grep -qx 'nodename=guest-test-host' "$P.2.out" ||
			want "--hostname guest-test-host gave $(grep nodename "$P.2.out")"
		grep -qx 'hostname=guest-test-host' "$P.2.out" || want "gethostname ignores --hostname"
		verdict "guest/uname-values/$t" "$P.2"
	done
fi

# A call pith does not implement: ENOSYS, named once on stderr without -q.
if guest_only enosys-note enosys; then
	for t in $TARGETS; do
		P=$OUT/enosys.$t
		wrap
		(feed in_dir "$IMG" limit 60 "${WRAP[@]}" "$PITH" run --target "$t" ./enosys)
		want_status "$P" 0
		[ "$(grep -c '^acct(NULL) = -1 (ENOSYS)$' "$P.out")" = 3 ] ||
			want "stdout: [$(tr '\n' '|' <"$P.out")], want acct(NULL) = -1 (ENOSYS) three times"
		[ "$(cat "$P.err")" = "pith: system call acct (163) is not implemented: ENOSYS" ] ||
			want "stderr: [$(tr '\n' '|' <"$P.err")], want the note for acct (163) once"
		verdict "guest/enosys-note/$t" "$P"
		P=$OUT/enosys-q.$t
		run_pith "$P" "$t" enosys
		want_status "$P" 0
		[ -s "$P.err" ] && want "stderr not empty with -q: $(tr '\n' '|' <"$P.err")"
		verdict "guest/enosys-quiet/$t" "$P"
	done
fi

# A project built with make CC=pith-cc (ar, -I, -D, -lm, -lpthread).
compare make-project stats-demo
compare make-project-args stats-demo 1 2 3.5 -4 1e3 17.25

# Crashes: the status, pith's report naming the cause and the faulting
# function, and the output written before the crash, in order.
# fault_check CHECK MODE STATUS CAUSE-ERE FUNCTION [RUN-OPTION...]
fault_check() {
	local check=$1 mode=$2 status=$3 cause=$4 fn=$5 t P
	shift 5
	guest_only "$check" fault || return 0
	for t in $TARGETS; do
		P=$OUT/$check.$t
		RUNOPT=("$@")
		run_pith "$P" "$t" fault "$mode"
		reset
		want_status "$P" "$status"
		want_out "$P" "before the fault: $mode"
		want_err "$P" "$cause"
		[ -z "$fn" ] || want_err "$P" "at rip 0x[0-9a-f]+ <$fn\+0x[0-9a-f]+>"
		want_err "$P" "exit status $status"
		[ "$(head -n 1 "$P.err")" = "stderr before the fault" ] ||
			want "stderr does not start with the line written before the crash"
		grep -q 'no fault for mode' "$P.err" && want "the program did not fault"
		verdict "guest/$check/$t" "$P"
	done
}
fault_check fault-null-write null-write 139 'page fault: write at address 0x0 \(NULL pointer dereference\)' write_through_null
fault_check fault-null-read null-read 139 'page fault: read at address 0x0 \(NULL pointer dereference\)' read_through_null
fault_check fault-stack-overflow stack-overflow 139 'stack overflow' recurse_forever
fault_check fault-stack-overflow-small stack-overflow 139 'stack overflow' recurse_forever -m 8M
fault_check fault-divide divide 136 'divide error' divide_by_zero
fault_check fault-trap trap 132 'invalid opcode' trap_now
fault_check fault-ro-write ro-write 139 'page fault: write at address 0x[0-9a-f]+ \(read-only memory\)' main
fault_check fault-nx-exec nx-exec 139 'page fault: execute at address 0x[0-9a-f]+ \(not executable\)' ''
fault_check fault-int3 int3 133 'breakpoint' main

# All of a flood of output written before a crash is there, in order.
if guest_only fault-after-output fault; then
	for t in $TARGETS; do
		P=$OUT/fault-flood.$t
		run_pith "$P" "$t" fault flood
		want_status "$P" 139
		want_err "$P" 'NULL pointer dereference'
		[ "$(grep -c '^flood line [0-9]* of 5000, with some padding to fill the buffer$' "$P.out")" = 5000 ] ||
			want "stdout has $(grep -c '^flood line' "$P.out") of the 5000 flood lines"
		[ "$(head -n 1 "$P.out")" = "before the fault: flood" ] || want "first line lost"
		[ "$(tail -n 1 "$P.out")" = "flood line 4999 of 5000, with some padding to fill the buffer" ] ||
			want "last line: [$(tail -n 1 "$P.out" | cut -c1-100)]"
		seq 0 4999 | sed 's/.*/flood line & of 5000, with some padding to fill the buffer/' |
			cmp -s - <(grep '^flood line' "$P.out") || want "flood lines out of order or damaged"
		verdict "guest/fault-after-output/$t" "$P"
	done
fi
exit 0
