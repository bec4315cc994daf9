#!/bin/sh
# Replays every seed and every past finding of the fuzz corpora (tests/fuzz/corpus/NAME/) once through its
# libFuzzer harness (build/fuzz/fuzz_NAME, clang with address and undefined sanitizers): one line per
# harness, failing on a crash, a sanitizer report, a leak, or a harness that is missing. The harnesses are
# built here when missing (make fuzz-build); without clang this fails, it does not skip.
# Usage: tests/fuzz/corpus.sh [ignored]   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 2
make_tmp fuzz
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LC_ALL=C.UTF-8 TZ=UTC

if ! make --no-print-directory -s fuzz-build >"$tmp/build" 2>&1; then
    bad "building the fuzz harnesses (clang with libFuzzer is needed: make deps)"
    sed 's/^/     /' "$tmp/build" | tail -n 20
    finish
fi
for dir in tests/fuzz/corpus/*/; do
    h=$(basename "$dir")
    bin=build/fuzz/fuzz_$h
    n=$(find "$dir" -type f | wc -l)
    if [ ! -x "$bin" ]; then
        fail=$((fail + 1)); echo "FAIL fuzz_$h: no harness for tests/fuzz/corpus/$h"; continue
    fi
    # files given one by one: libFuzzer runs each once, then exits (with leak checking at the end)
    find "$dir" -type f | sort | xargs "$bin" -runs=1 -timeout=30 -rss_limit_mb=2048 >"$tmp/$h.log" 2>&1
    rc=$?
    ran=$(grep -c '^Executed ' "$tmp/$h.log")
    if [ "$rc" -eq 0 ] && [ "$ran" -eq "$n" ] && ! grep -q 'ERROR: \|runtime error:' "$tmp/$h.log"; then
        pass=$((pass + 1)); echo "ok   fuzz_$h: $n inputs replayed"
    else
        fail=$((fail + 1)); echo "FAIL fuzz_$h: $ran of $n inputs ran, exit $rc"
        grep -B 2 -A 25 'ERROR: \|runtime error:' "$tmp/$h.log" | head -n 60 | sed 's/^/     /'
    fi
done
finish
