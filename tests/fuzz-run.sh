#!/bin/sh
# `make fuzz`: runs each libFuzzer harness for SECONDS, one after the other, each from its seed corpus
# (tests/fuzz/corpus/NAME, read only) plus the inputs it found before (build/fuzz/work/NAME), and prints
# per harness: executions, coverage reached (libFuzzer's cov = edges of the instrumented code, out of
# all edges; ft = features) and crashes. A crash stops that harness; its input is in build/fuzz/crashes/
# (fix the bug, then copy the input into the corpus as crash-WHAT so that `make test` replays it).
# Usage: tests/fuzz-run.sh SECONDS build/fuzz/fuzz_NAME...   Exit status 1 when anything crashed.
set -u
secs=$1
shift
mkdir -p build/fuzz/work build/fuzz/crashes build/fuzz/logs
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LC_ALL=C.UTF-8 TZ=UTC
crashed=0
printf '%-14s %12s %9s %16s %8s %8s\n' harness executions exec/s 'cov (of edges)' ft crashes
for bin in "$@"; do
    h=${bin##*/fuzz_}
    work=build/fuzz/work/$h log=build/fuzz/logs/$h.log
    mkdir -p "$work"
    rm -f build/fuzz/crashes/"$h"-*
    "$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=30 -rss_limit_mb=2048 \
        -artifact_prefix=build/fuzz/crashes/"$h"- "$work" tests/fuzz/corpus/"$h" >"$log" 2>&1
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    [ -n "$execs" ] || execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    edges=$(sed -n 's/^INFO: Loaded [0-9]* modules *(\([0-9]*\) inline 8-bit counters.*/\1/p' "$log" | head -n 1)
    rate=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
    n=$(find build/fuzz/crashes -name "$h-*" | wc -l)
    printf '%-14s %12s %9s %16s %8s %8s\n' "fuzz_$h" "${execs:-?}" "$rate" "${cov:-?} of ${edges:-?}" "${ft:-?}" "$n"
    if [ "$n" -gt 0 ]; then
        crashed=1
        grep -m 1 -E 'ERROR: |runtime error:' "$log" | sed 's/^/    /'
        find build/fuzz/crashes -name "$h-*" | sed 's/^/    input: /'
    fi
done
[ "$crashed" -eq 0 ]
