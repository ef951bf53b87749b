#!/bin/bash
# tests/fuzz/run.sh — the fuzz-smoke suite: monitor/elf.c, the Pithfile
# parser (cli/pithfile.c) and the network stack's input path (net/) under
# libFuzzer, briefly (`make fuzz` runs them for longer).
#
# Builds build/fuzz/fuzz_elf, fuzz_pithfile and fuzz_net when clang with
# libFuzzer is there (Debian: clang and libclang-rt-14-dev), else says
# SKIPPED. Then runs each one's seed corpus once (tests/fuzz/corpus,
# tests/fuzz/corpus-pithfile, tests/fuzz/corpus-net), and a fixed pass of 20000 inputs from
# seed 1. One line each: ok fuzz/NAME, FAIL fuzz/NAME (crash inputs are
# kept in build/fuzz/) or SKIPPED fuzz/NAME.
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1

skip_all() {
	skip fuzz/elf "$1"
	skip fuzz/pithfile "$1"
	skip fuzz/net "$1"
}

if ! command -v clang >/dev/null 2>&1; then
	skip_all "no clang (apt-get install clang libclang-rt-14-dev)"
	exit 0
fi
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' >"$TMP/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$TMP/probe" "$TMP/probe.c" \
	>"$TMP/probe.log" 2>&1; then
	skip_all "clang cannot link -fsanitize=fuzzer (apt-get install libclang-rt-14-dev): $(head -c 200 "$TMP/probe.log" | tr '\n' ' ')"
	exit 0
fi

# fuzz_one NAME CORPUS: build build/fuzz/fuzz_NAME, run the seeds, then
# the fixed pass.
fuzz_one() {
	local name=fuzz/$1 fuzzer=build/fuzz/fuzz_$1 seeds=$2 corpus t0
	if ! make -s "$fuzzer" >"$TMP/build-$1.log" 2>&1; then
		fail $name "building $fuzzer failed: $(tail -n 5 "$TMP/build-$1.log" | tr '\n' ' ')"
		return
	fi
	corpus=("$seeds"/*)
	if [ ! -e "${corpus[0]}" ]; then
		fail $name "no seed corpus in $seeds"
		return
	fi
	mkdir -p build/fuzz "$TMP/corpus-$1"

	# Each seed once, then a fixed, seeded pass.
	if ! limit 60 "$fuzzer" -artifact_prefix=build/fuzz/ "${corpus[@]}" >"$TMP/seeds-$1.log" 2>&1; then
		fail $name "a seed input failed: $(grep -m 3 -E "ERROR|fuzz_$1:|runtime error|Test unit written" "$TMP/seeds-$1.log" | tr '\n' ' ')"
		return
	fi
	t0=$(date +%s)
	if ! limit 60 "$fuzzer" -seed=1 -runs=20000 -artifact_prefix=build/fuzz/ \
		"$TMP/corpus-$1" "$seeds" >"$TMP/pass-$1.log" 2>&1; then
		fail $name "20000 runs from seed 1 failed: $(grep -m 3 -E "ERROR|fuzz_$1:|runtime error|Test unit written|timeout" "$TMP/pass-$1.log" | tr '\n' ' ')"
		return
	fi
	if ! grep -q 'Done 20000 runs' "$TMP/pass-$1.log"; then
		fail $name "the fixed pass did not finish its 20000 runs: $(tail -n 2 "$TMP/pass-$1.log" | tr '\n' ' ')"
		return
	fi
	ok "$name"
	echo "   (${#corpus[@]} seeds, 20000 runs in $(($(date +%s) - t0)) s)"
}

fuzz_one elf tests/fuzz/corpus
fuzz_one pithfile tests/fuzz/corpus-pithfile
fuzz_one net tests/fuzz/corpus-net
