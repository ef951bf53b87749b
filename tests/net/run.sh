#!/bin/bash
# tests/net/run.sh — the network stack as built, beside its unit tests
# (tests/unit/test_net_*.c) and its fuzzer (tests/fuzz/fuzz_net.c).
#
# It checks what the build promises (docs/net.md): the kernel part `net`
# (the stack and the socket layer) is in libpithkernel.a; the stack
# itself is compiled freestanding (its only outside references are the
# kernel's allocator, memory functions and random source); the part
# defines the socket calls' markers and nothing else unhidden; hello
# world links neither `net` nor `event` and does not grow; and every
# drop counter in net/stats.h is named by a unit test. The socket layer
# itself is tested by guest programs against Linux (tests/guest: tcp-*,
# udp). The device layer over a tap is tested in tests/netdev; tests of the
# stack against a real Linux peer over a tap come here next.
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1

LIB=build/lib/pith/lib/libpithkernel.a
OBJ=build/kernel/net.o

if [ ! -f "$LIB" ] || [ ! -f "$OBJ" ]; then
	fail net/part-built "no $LIB or $OBJ (run make)"
	exit 0
fi
check net/part-in-archive bash -c "ar t '$LIB' | grep -qx net.o"

# The stack alone (net/*.c as the kernel compiled them), linked together.
STACK=$TMP/stack.o
# shellcheck disable=SC2046
if ld -r -o "$STACK" $(ls build/kernel/net/*.c.o | grep -v sys_host); then
	undef=$(nm -u "$STACK" | awk '{ print $2 }' | sort | tr '\n' ' ')
	want='kalloc kfree memcmp memcpy memset random_bytes '
	if [ "$undef" = "$want" ]; then
		ok net/stack-freestanding
	else
		fail net/stack-freestanding "undefined symbols '$undef', want '$want'"
	fi
else
	fail net/stack-freestanding "ld -r of build/kernel/net/*.c.o failed"
fi
markers=$(nm "$OBJ" | awk '$3 ~ /^__pith_need_/ { sub("__pith_need_", "", $3); print $3 }' |
	sort -n | tr '\n' ' ')
want='41 42 43 44 45 46 47 48 49 50 51 52 54 55 288 '
if [ "$markers" = "$want" ]; then
	ok net/part-markers
else
	fail net/part-markers "markers for calls '$markers', want the socket calls '$want'"
fi
if nm -g --defined-only "$OBJ" | awk '{ print $3 }' | grep -v '^__pith_need_' | grep -qv '^__pith_k_'; then
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
	elif grep -qE '__pith_k_(net_input|arp_input|udp_input|netstack|sys_socket|sys_epoll)' \
		"$TMP/hi.nm"; then
		fail net/not-linked-unused "hello world links the stack, sockets or epoll"
	else
		ok net/not-linked-unused
	fi
	parts=$("$PITH_REL" inspect "$TMP/hi" | awk '$1 == "parts:" { $1 = ""; print }')
	if [ "$parts" = " core" ]; then
		ok net/hello-parts
	else
		fail net/hello-parts "hello world's parts are '$parts', want core alone"
	fi
	# The stripped size before the socket layer existed (50,664 bytes on
	# its parent), plus the 8 bytes of the device's weak start-up call in
	# the core: the pump's and the device's hooks cost no page.
	HELLO_MAX=50672
	strip -o "$TMP/hi.stripped" "$TMP/hi"
	size=$(stat -c %s "$TMP/hi.stripped")
	if [ "$size" -le "$HELLO_MAX" ]; then
		ok net/hello-size
	else
		fail net/hello-size "hello world stripped is $size bytes, over $HELLO_MAX"
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

# A program that makes a socket links `net`; one that only polls with
# epoll links `event` and not `net`.
printf '#include <sys/socket.h>\nint main(void) { return socket(AF_INET, SOCK_STREAM, 0) < 0; }\n' >"$TMP/so.c"
printf '#include <sys/epoll.h>\nint main(void) { return epoll_create1(0) < 0; }\n' >"$TMP/ep.c"
for p in so ep; do
	if limit 60 "$PITH_REL" cc -o "$TMP/$p" "$TMP/$p.c" >"$TMP/cc-$p.log" 2>&1; then
		"$PITH_REL" inspect "$TMP/$p" | awk '$1 == "parts:" { $1 = ""; print }' >"$TMP/$p.parts"
	else
		echo "pith cc failed" >"$TMP/$p.parts"
	fi
done
if grep -qw net "$TMP/so.parts"; then
	ok net/socket-links-net
else
	fail net/socket-links-net "parts: $(cat "$TMP/so.parts")"
fi
if grep -qw event "$TMP/ep.parts" && ! grep -qw net "$TMP/ep.parts"; then
	ok net/epoll-links-event-only
else
	fail net/epoll-links-event-only "parts: $(cat "$TMP/ep.parts")"
fi
