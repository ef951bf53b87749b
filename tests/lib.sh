# lib.sh — helpers for the test suites (sourced by bash).
#
# Suites are bash scripts. A suite prints one line per check, which tests/run counts:
#   ok NAME
#   FAIL NAME: why
#   SKIPPED NAME: why          (loud, with the reason)
# and exits 0 (a failing check is a FAIL line, not an exit status).
#
# Paths: $ROOT (the checkout), $PITH (the CLI, ASan+UBSan build),
# $PITH_REL (the release build), $TMP (a scratch directory removed at exit).

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
PITH=${PITH:-$ROOT/build/asan/bin/pith}
PITH_REL=${PITH_REL:-$ROOT/build/bin/pith}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}
if [ -z "${TMP:-}" ]; then
	TMP=$(mktemp -d /tmp/pith-test.XXXXXX)
	trap 'rm -rf "$TMP"' EXIT
fi

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
