#!/bin/bash
# tests/net/run.sh — the network stack as built, beside its unit tests
# (tests/unit/test_net_*.c) and its fuzzer (tests/fuzz/fuzz_net.c).
#
# For now, with no socket calls, it checks what the build promises
# (docs/net.md): the kernel part `net` is in libpithkernel.a, compiled
# freestanding (its only outside references are the kernel's allocator
# memory functions and random source, and for the device layer in the
# same part kprintf and the platform), defines no system call markers, and is not
# linked into an image that makes no socket call; and every drop counter
# in net/stats.h is named by a unit test. Tests against a real Linux peer
# over tap devices come here with the device backends.
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1

LIB=build/lib/pith/lib/libpithkernel.a
OBJ=build/kernel/net.o

if [ ! -f "$LIB" ] || [ ! -f "$OBJ" ]; then
	fail net/part-built "no $LIB or $OBJ (run make)"
	exit 0
fi
check net/part-in-archive bash -c "ar t '$LIB' | grep -qx net.o"

undef=$(nm -u "$OBJ" | awk '{ print $2 }' | sort | tr '\n' ' ')
want='__pith_k_kalloc __pith_k_kfree __pith_k_kprintf __pith_k_memcmp __pith_k_memcpy __pith_k_memset '
want+='__pith_k_plat __pith_k_plat_hvt __pith_k_random_bytes '
if [ "$undef" = "$want" ]; then
	ok net/part-freestanding
else
	fail net/part-freestanding "undefined symbols '$undef', want '$want'"
fi
if nm "$OBJ" | grep -q '__pith_need_'; then
	fail net/part-no-markers "defines __pith_need_ markers, but no socket call exists yet"
else
	ok net/part-no-markers
fi
if nm -g --defined-only "$OBJ" | awk '{ print $3 }' | grep -qv '^__pith_k_'; then
	fail net/part-names-hidden "globals without the __pith_k_ prefix: $(nm -g --defined-only "$OBJ" | awk '{ print $3 }' | grep -v '^__pith_k_' | head -3 | tr '\n' ' ')"
else
	ok net/part-names-hidden
fi

# An image that makes no socket call links no stack.
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >"$TMP/hi.c"
if limit 60 "$PITH_REL" cc -o "$TMP/hi" "$TMP/hi.c" >"$TMP/cc.log" 2>&1; then
	nm "$TMP/hi" >"$TMP/hi.nm"
	if ! grep -q '__pith_k_kalloc' "$TMP/hi.nm"; then
		fail net/not-linked-unused "no kernel symbols in the image to look at"
	elif grep -qE '__pith_k_(net_input|arp_input|udp_input)' "$TMP/hi.nm"; then
		fail net/not-linked-unused "hello world links the stack"
	else
		ok net/not-linked-unused
	fi
else
	fail net/not-linked-unused "pith cc failed: $(head -c 200 "$TMP/cc.log")"
fi

# Every drop reason has a unit test that names it.
for c in $(sed -n 's/.*X(\([a-z0-9_]*\), DROP,.*/\1/p' net/stats.h); do
	if grep -q "\"$c\"" tests/unit/test_net_*.c; then
		ok "net/drop-tested/$c"
	else
		fail "net/drop-tested/$c" "no tests/unit/test_net_*.c names the counter \"$c\""
	fi
done
