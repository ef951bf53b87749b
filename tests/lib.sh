# lib.sh — helpers for the test suites (sourced by bash).
#
# Suites are bash scripts. A suite prints one line per check, which tests/run counts:
#   ok NAME
#   FAIL NAME: why
#   SKIPPED NAME: why          (loud, with the reason)
# and exits 0 (a failing check is a FAIL line, not an exit status).
#
# Paths: $ROOT (the checkout), $PITH (the CLI, ASan+UBSan build),
# $PITH_REL (the release build), $TMP (a scratch directory removed at exit),
# $PITH_HOME (the suite's own image store, inside $TMP).

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
PITH=${PITH:-$ROOT/build/asan/bin/pith}
PITH_REL=${PITH_REL:-$ROOT/build/bin/pith}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}
if [ -z "${TMP:-}" ]; then
	TMP=$(mktemp -d /tmp/pith-test.XXXXXX)
	trap 'rm -rf "$TMP"' EXIT
fi
# Each suite has an image store of its own: tests never touch the user's.
export PITH_HOME=$TMP/pith-home

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIPPED $1: $2"; }

# check NAME CONDITION-COMMAND... : ok when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name" "$*"; fi
}

# KVM usable by this user? Sets KVM_WHY when not.
have_kvm() {
	if [ ! -e /dev/kvm ]; then
		KVM_WHY="no /dev/kvm on this machine"
		return 1
	fi
	if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
		KVM_WHY="/dev/kvm is not accessible to $(id -un)"
		return 1
	fi
	return 0
}

# The targets to run guest tests on: hvt only when KVM is usable.
targets() {
	if have_kvm; then echo "hvt process"; else echo "process"; fi
}

# Run a command with a time limit (seconds); 124 on timeout.
limit() {
	local secs=$1
	shift
	timeout -k 5 "$secs" "$@"
}

# True if a sanitizer spoke in file $1.
sanitizer_spoke() {
	grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$1"
}

# ---- running the CLI ---------------------------------------------------------

OUT=$TMP/out
ERR=$TMP/err
rc=0

# p ARG...: run the ASan pith; sets rc, stdout in $OUT, stderr in $ERR.
p() {
	limit 60 "$PITH" "$@" </dev/null >"$OUT" 2>"$ERR"
	rc=$?
}

# san NAME: FAIL and false when a sanitizer spoke in the last run.
san() {
	if sanitizer_spoke "$ERR"; then
		fail "$1" "sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$ERR")"
		return 1
	fi
	return 0
}

# helps NAME USAGE-ERE ARG...: exit 0, usage on stdout, nothing on stderr.
helps() {
	local name=$1 re=$2

	shift 2
	p "$@"
	san "$name" || return
	if [ "$rc" != 0 ]; then
		fail "$name" "exit status $rc, want 0"
	elif ! grep -qE -- "$re" "$OUT"; then
		fail "$name" "stdout has no /$re/: $(head -c 200 "$OUT" | tr '\n' '|')"
	elif [ -s "$ERR" ]; then
		fail "$name" "wrote to stderr: $(head -c 200 "$ERR" | tr '\n' '|')"
	else
		ok "$name"
	fi
}

# usage_error NAME ERE ARG...: exit 125, nothing on stdout, ERE on stderr.
usage_error() {
	local name=$1 re=$2

	shift 2
	p "$@"
	san "$name" || return
	if [ "$rc" != 125 ]; then
		fail "$name" "exit status $rc, want 125"
	elif [ -s "$OUT" ]; then
		fail "$name" "wrote to stdout: $(head -c 200 "$OUT" | tr '\n' '|')"
	elif ! grep -qE -- "$re" "$ERR"; then
		fail "$name" "stderr has no /$re/: $(head -c 200 "$ERR" | tr '\n' '|')"
	else
		ok "$name"
	fi
}
