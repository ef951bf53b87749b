#!/bin/sh
# musl.sh — fetch Debian's musl source package and build it for pith.
#
# usage: musl.sh OVERLAY_DIR WORK_DIR PREFIX
#
# The source comes from `apt-get source` through a private sources list in
# WORK_DIR (scripts/debsrc.sh): the machine's apt setup is not changed. pith's
# overlay (syscall_arch.h and the arch files that held `syscall`
# instructions) is copied over the tree, the x86_64 assembly files it makes
# obsolete are removed, and musl is built static-only and installed in
# PREFIX (include/, lib/). Exit status: 0 built, 1 failed (reason on stderr).
set -eu

MUSL_VERSION=1.2.3-1
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
OVERLAY=$(cd "$1" && pwd)
WORK=$2
PREFIX=$3

die() { echo "musl.sh: $*" >&2; exit 1; }

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

if [ ! -d "$WORK/musl-1.2.3" ]; then
	"$(dirname "$SELF")/debsrc.sh" "musl=$MUSL_VERSION" "$WORK" || exit 1
	[ -d "$WORK/musl-1.2.3" ] || die "apt-get source gave no musl-1.2.3 directory"
fi

SRC="$WORK/musl-1.2.3"
cp -R "$OVERLAY/." "$SRC/"
# Assembly that holds `syscall`: musl falls back to its generic C versions
# (clone gives ENOSYS until threads land; restore/unmapself/vfork are C).
rm -f "$SRC/src/thread/x86_64/__set_thread_area.s" \
      "$SRC/src/thread/x86_64/__unmapself.s" \
      "$SRC/src/thread/x86_64/clone.s" \
      "$SRC/src/signal/x86_64/restore.s" \
      "$SRC/src/process/x86_64/vfork.s"

# Cancellable calls go through an out-of-line __syscall_cp: make their
# macros leave the same link-time reference as the inline ones.
sed -i 's/(__syscall_cp)(n,/(__pith_need(n), __syscall_cp)(n,/' \
	"$SRC/src/internal/syscall.h"
[ "$(grep -c '__pith_need(n), __syscall_cp' "$SRC/src/internal/syscall.h")" = 7 ] ||
	die "src/internal/syscall.h: __syscall_cp macros not as expected"

# Secure-mode start-up (set-uid programs) reopens closed fds 0-2 on
# /dev/null. pith never starts a program so (AT_SECURE is 0, ids equal),
# and the open() there would link the file system into every image: the
# branch keeps only its crash.
sed -i 's|__sys_open("/dev/null", O_RDWR)<0|1|' "$SRC/src/env/__libc_start_main.c"
grep -q '__sys_open' "$SRC/src/env/__libc_start_main.c" &&
	die "src/env/__libc_start_main.c: the secure-mode open not as expected"

cd "$SRC"
# musl's makefile does not track syscall_arch.h: rebuild from scratch
# whenever the overlay or this script changed.
stamp=$( (cd "$OVERLAY" && find . -type f | sort | xargs cat; cat "$SELF") | sha256sum)
if [ "$(cat "$WORK/overlay.stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf obj lib
fi
if [ ! -f config.mak ] || [ "$(sed -n 's/^prefix = //p' config.mak)" != "$PREFIX" ]; then
	./configure --prefix="$PREFIX" --disable-shared \
		>"$WORK/configure.log" 2>&1 || die "configure failed (see $WORK/configure.log)"
fi
make -j"$(nproc)" >"$WORK/make.log" 2>&1 || die "build failed (see $WORK/make.log)"
make install >>"$WORK/make.log" 2>&1 || die "install failed (see $WORK/make.log)"
if objdump -d "$PREFIX/lib/libc.a" | grep -qP "\tsyscall\s*$"; then
	die "libc.a still contains a syscall instruction"
fi
echo "$stamp" >"$WORK/overlay.stamp"
