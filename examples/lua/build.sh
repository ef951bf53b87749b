#!/bin/sh
# build.sh — Lua 5.4, an unmodified real program, built as a pith image.
#
# usage: examples/lua/build.sh OUT_DIR [CC]
# Fetches Debian's lua5.4 source package (scripts/debsrc.sh), builds
# upstream's tree (the .orig tarball: Debian's packaging adds libtool) with
# `make posix CC=pith-cc`, and leaves OUT_DIR/lua. With CC given (e.g.
# "musl-gcc -static") the same source is built natively instead, for
# comparison.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$1
CC=${2:-$ROOT/build/bin/pith-cc}
SRC=$ROOT/build/examples/lua-src

if [ ! -f "$SRC/lua5.4_5.4.4.orig.tar.gz" ]; then
	"$ROOT/scripts/debsrc.sh" lua5.4=5.4.4-3+deb12u1 "$SRC"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/pith-lua.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$SRC/lua5.4_5.4.4.orig.tar.gz"
make -s -C "$work/lua-5.4.4/src" posix CC="$CC" >"$work/make.log" 2>&1 || {
	cat "$work/make.log" >&2
	exit 1
}
mkdir -p "$OUT"
cp "$work/lua-5.4.4/src/lua" "$OUT/lua"
