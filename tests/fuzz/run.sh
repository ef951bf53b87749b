#!/bin/bash
# tests/fuzz/run.sh — the fuzz-smoke suite: monitor/elf.c under libFuzzer,
# briefly (`make fuzz` runs it for longer).
#
# Builds build/fuzz/fuzz_elf when clang with libFuzzer is there (Debian:
# clang and libclang-rt-14-dev), else says SKIPPED. Then runs every file
# of tests/fuzz/corpus once, and a fixed pass of 20000 inputs from seed 1.
# One line: ok fuzz/elf, FAIL fuzz/elf (crash inputs are kept in
# build/fuzz/) or SKIPPED fuzz/elf.
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1

FUZZER=build/fuzz/fuzz_elf
name=fuzz/elf

if ! command -v clang >/dev/null 2>&1; then
	skip $name "no clang (apt-get install clang libclang-rt-14-dev)"
	exit 0
fi
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' >"$TMP/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$TMP/probe" "$TMP/probe.c" \
	>"$TMP/probe.log" 2>&1; then
	skip $name "clang cannot link -fsanitize=fuzzer (apt-get install libclang-rt-14-dev): $(head -c 200 "$TMP/probe.log" | tr '\n' ' ')"
	exit 0
fi
if ! make -s "$FUZZER" >"$TMP/build.log" 2>&1; then
	fail $name "building $FUZZER failed: $(tail -n 5 "$TMP/build.log" | tr '\n' ' ')"
	exit 0
fi

corpus=(tests/fuzz/corpus/*)
if [ ! -e "${corpus[0]}" ]; then
	fail $name "no seed corpus in tests/fuzz/corpus"
	exit 0
fi
mkdir -p build/fuzz "$TMP/corpus"

# Each seed once, then a fixed, seeded pass.
if ! limit 60 "$FUZZER" -artifact_prefix=build/fuzz/ "${corpus[@]}" >"$TMP/seeds.log" 2>&1; then
	fail $name "a seed input failed: $(grep -m 3 -E 'ERROR|fuzz_elf:|runtime error|Test unit written' "$TMP/seeds.log" | tr '\n' ' ')"
	exit 0
fi
t0=$(date +%s)
if ! limit 60 "$FUZZER" -seed=1 -runs=20000 -artifact_prefix=build/fuzz/ \
	"$TMP/corpus" tests/fuzz/corpus >"$TMP/pass.log" 2>&1; then
	fail $name "20000 runs from seed 1 failed: $(grep -m 3 -E 'ERROR|fuzz_elf:|runtime error|Test unit written|timeout' "$TMP/pass.log" | tr '\n' ' ')"
	exit 0
fi
if ! grep -q 'Done 20000 runs' "$TMP/pass.log"; then
	fail $name "the fixed pass did not finish its 20000 runs: $(tail -n 2 "$TMP/pass.log" | tr '\n' ' ')"
	exit 0
fi
ok "$name"
echo "   (${#corpus[@]} seeds, 20000 runs in $(( $(date +%s) - t0 )) s)"
