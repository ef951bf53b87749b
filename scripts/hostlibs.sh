#!/bin/sh
# hostlibs.sh — headers the release build of pith needs beside musl's:
# the kernel's UAPI headers (linux/, asm/, asm-generic/), which musl's
# headers leave to the system, as Debian's linux-libc-dev installs them.
#
# usage: hostlibs.sh PREFIX      (leaves PREFIX/include)
set -eu
PREFIX=$1
die() { echo "hostlibs.sh: $*" >&2; exit 1; }

mkdir -p "$PREFIX/include"
multiarch=$(gcc -print-multiarch)
for d in linux asm-generic; do
	[ -d "/usr/include/$d" ] || die "/usr/include/$d missing (install linux-libc-dev)"
	ln -sfn "/usr/include/$d" "$PREFIX/include/$d"
done
[ -d "/usr/include/$multiarch/asm" ] || die "/usr/include/$multiarch/asm missing"
ln -sfn "/usr/include/$multiarch/asm" "$PREFIX/include/asm"
