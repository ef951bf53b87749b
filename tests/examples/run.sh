#!/bin/bash
# examples/run.sh — the examples build and behave: hello world, and Lua
# 5.4 (an unmodified real program built with `make CC=pith-cc`) compared
# with the same source built natively with musl-gcc.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
cd "$TMP" || exit 1

"$PITH_REL" cc -O2 -o hello "$ROOT/examples/hello/hello.c" 2>cc.err ||
	fail examples/hello/build "$(head -c 300 cc.err)"
for t in $(targets); do
	out=$(limit 20 "$PITH" run --target "$t" ./hello 2>err)
	st=$?
	if [ $st -eq 0 ] && [ "$out" = "Hello from pith!" ] && ! sanitizer_spoke err; then
		ok "examples/hello/$t"
	else
		fail "examples/hello/$t" "status $st, stdout '$out', stderr $(head -c 200 err)"
	fi
done
have_kvm || skip examples/hello/hvt "$KVM_WHY"

LUA=$ROOT/build/examples/lua
if ! limit 300 "$ROOT/examples/lua/build.sh" "$LUA" >lua.log 2>&1 ||
	! limit 300 "$ROOT/examples/lua/build.sh" "$LUA/native" "musl-gcc -static" >>lua.log 2>&1; then
	fail examples/lua/build "$(tail -c 400 lua.log)"
	exit 0
fi
ok examples/lua/build
script=$ROOT/examples/lua/fib.lua
"$LUA/native/lua" - <"$script" >want.out 2>want.err
echo "status $?" >>want.out
printf 'print("x") error("boom")\n' >boom.lua
"$LUA/native/lua" - <"$ROOT/examples/lua/files.lua" >want-files.out 2>&1
for t in $(targets); do
	limit 60 "$PITH" run --target "$t" "$LUA/lua" - <"$script" >got.out 2>got.err
	echo "status $?" >>got.out
	if cmp -s want.out got.out && cmp -s want.err got.err && ! sanitizer_spoke got.err; then
		ok "examples/lua/fib/$t"
	else
		fail "examples/lua/fib/$t" "$(diff want.out got.out | head -5) $(head -c 200 got.err)"
	fi
	limit 60 "$PITH" run --target "$t" "$LUA/lua" - <"$ROOT/examples/lua/files.lua" >got-files.out 2>&1
	if cmp -s want-files.out got-files.out; then
		ok "examples/lua/files/$t"
	else
		fail "examples/lua/files/$t" "$(diff want-files.out got-files.out | head -5 | tr '\n' '|')"
	fi
	limit 60 "$PITH" run --target "$t" "$LUA/lua" - <boom.lua >got.out 2>got.err
	st=$?
	if [ $st -eq 1 ] && [ "$(cat got.out)" = x ] && grep -q 'stdin:1: boom' got.err; then
		ok "examples/lua/error/$t"
	else
		fail "examples/lua/error/$t" "status $st, stdout $(cat got.out), stderr $(head -c 200 got.err)"
	fi
done
