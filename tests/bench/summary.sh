#!/bin/sh
# make bench, last step: one table of every figure the benchmarks measured (from the rows they appended to
# TRIAGE_BENCH_ROWS), each with its median and p99, the plain baseline measured in the same run and the
# ratio, the data size, and the target; printed, and written to bench/results.md for the README to link.
# Usage: tests/bench/summary.sh ROWS_FILE [OUT_MD]
set -eu
rows=$1
out=${2:-bench/results.md}
[ -s "$rows" ] || { echo "summary: no benchmark rows in $rows" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
{
    echo "# triage: make bench"
    echo
    echo "Measured on $(uname -m), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), on $(date -u +%Y-%m-%d);"
    echo "SQLite $(sqlite3 --version | cut -d' ' -f1), $(cc --version | head -1). Each figure's baseline was measured in the same run."
    echo "Ratio = median / baseline median. Rerun with \`make bench\`."
    echo
    echo "| bench | what | data | median | p99 | unit | baseline (same run) | baseline median | ratio | target | met |"
    echo "|---|---|---|---:|---:|---|---|---:|---:|---|---|"
    awk -F '\t' '{
        ratio = ($8 + 0 > 0) ? sprintf("%.3g", $4 / $8) : "";
        met = $10 == 1 ? "yes" : ($10 == 0 ? "**NO**" : "");
        base = $8 + 0 > 0 ? sprintf("%.3f", $8) : "";
        printf "| %s | %s | %s | %.3f | %.3f | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, base, ratio, $9, met
    }' "$rows"
} >"$out"
cat "$out"
echo
echo "(written to $out)"
