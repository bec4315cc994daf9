# Sourced by the shell benchmarks: bench_row adds one line to make bench's summary table (the file
# TRIAGE_BENCH_ROWS names; nothing when unset), in the same columns as bench_row in bench_common.h:
# bench_row SOURCE WHAT DATA MEDIAN P99 UNIT BASELINE BASE_MEDIAN TARGET MET(1|0|-1)
bench_row() {
    [ -n "${TRIAGE_BENCH_ROWS:-}" ] || return 0
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$TRIAGE_BENCH_ROWS"
}
