#!/bin/bash
# style/run.sh — the formatter's layout (.clang-format) holds for every
# tracked C file; musl's overlay keeps musl's own style.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
cd "$ROOT" || exit 1
if ! command -v clang-format >/dev/null; then
	skip style/clang-format "clang-format is not installed"
	exit 0
fi
for f in $(git ls-files '*.c' '*.h' | grep -v '^musl/'); do
	if clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		ok "style/$f"
	else
		fail "style/$f" "not as clang-format lays it out (run clang-format -i $f)"
	fi
done
