#!/bin/sh
# hostlibs.sh — what the release build of pith links against: Debian's
# libseccomp, built from its source package with musl-gcc, and the Linux
# UAPI headers musl's headers lack (linux/, asm/, asm-generic/).
#
# usage: hostlibs.sh WORK_DIR PREFIX
# Leaves PREFIX/include (headers) and PREFIX/lib/libseccomp.a.
#
# Why musl: pith's release binary is static, and a static glibc program
# spends ~0.4 ms starting up (its CPU-feature probes are CPUID
# instructions, each an exit on nested KVM) — as long as a whole hello
# world boot. musl starts in a tenth of that.
set -eu
SELF=$(cd "$(dirname "$0")" && pwd)
WORK=$1
PREFIX=$2
VERSION=2.5.4-1+deb12u1

die() { echo "hostlibs.sh: $*" >&2; exit 1; }

mkdir -p "$WORK" "$PREFIX/include" "$PREFIX/lib"
WORK=$(cd "$WORK" && pwd)
PREFIX=$(cd "$PREFIX" && pwd)

# The kernel's UAPI headers, as Debian's linux-libc-dev installs them.
multiarch=$(gcc -print-multiarch)
for d in linux asm-generic; do
	[ -d "/usr/include/$d" ] || die "/usr/include/$d missing (linux-libc-dev)"
	ln -sfn "/usr/include/$d" "$PREFIX/include/$d"
done
ln -sfn "/usr/include/$multiarch/asm" "$PREFIX/include/asm"

if [ ! -d "$WORK/libseccomp-2.5.4" ]; then
	"$SELF/debsrc.sh" "libseccomp=$VERSION" "$WORK" || exit 1
fi
cd "$WORK/libseccomp-2.5.4"
./configure CC=musl-gcc CFLAGS="-O2 -isystem $PREFIX/include" --disable-shared \
	--enable-static --disable-python --prefix="$PREFIX" >"$WORK/configure.log" 2>&1 ||
	die "configure failed (see $WORK/configure.log)"
make -j"$(nproc)" -C src >"$WORK/make.log" 2>&1 || die "build failed (see $WORK/make.log)"
make -C src install >>"$WORK/make.log" 2>&1 || die "install failed (see $WORK/make.log)"
make -C include install >>"$WORK/make.log" 2>&1 || die "install failed (see $WORK/make.log)"
rm -f "$PREFIX/lib/libseccomp.la"
