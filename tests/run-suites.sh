#!/bin/sh
# Runs every suite and ends with one line `N passed, N failed` summing them all; exits non-zero on any
# failure. Arguments: the unit test binaries (release), the same under ASan+UBSan.
# Each suite runs in a sealed environment: its own HOME, XDG dirs and tmux socket directory, fixed TZ and
# locale, a timeout. Suites run TEST_JOBS at a time (default 2, one per core of the machine `make test` must
# finish on within 15 minutes): most of a suite's time is waiting (fsync, a terminal, a paced key), not CPU.
# The longest suites of the last run start first (build/test-logs/*.secs), so the two lanes end together.
# Each suite's line is printed when it ends: `name  N passed, N failed  (S s)`.
set -u
cd "$(dirname "$0")/.." || exit 2
log_dir=build/test-logs

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)"; a crash or sanitizer report
# before those lines counts as one failure of that suite.
cmocka_counts() { # log rc -> "passed failed"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    p=${p:-0} f=${f:-0}
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if grep -q 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$1"; then f=$((f + 1)); fi
    echo "$p $f"
}

# The shell suites print "N passed, N failed" last; no such line, or a non-zero exit with none failed,
# counts as a failure.
suite_counts() { # log rc -> "passed failed"
    last=$(tail -n 1 "$1")
    p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    p=${p:-0} f=${f:-1}
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    echo "$p $f"
}

# ---- one task, in its own environment: run-suites.sh --one RESULTS KIND NAME PATH ----
if [ "${1:-}" = "--one" ]; then
    results=$2 kind=$3 name=$4 path=$5
    key=$(echo "$name" | tr / _)
    log="$log_dir/$key.log"
    home=$(mktemp -d "${TMPDIR:-/tmp}/triage-suite.XXXXXX") || exit 2
    export HOME="$home/home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_STATE_HOME="$home/state" \
        TMUX_TMPDIR="$home"
    mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
    start=$(date +%s)
    if [ "$kind" = cmocka ]; then
        timeout 900 "$path" >"$log" 2>&1 # a guard against a hung suite, not a time limit: a sanitizer build on a
        # loaded machine took 301 s for a 55 s suite
        counts=$(cmocka_counts "$log" $?)
    else
        bin=./triage-test
        case "$path" in tests/cli/hardening.sh | tests/attacks/* | tests/structure/*) bin=./triage ;; esac
        timeout 900 sh "$path" "$bin" >"$log" 2>&1 # a guard against a hung suite, not a time limit
        counts=$(suite_counts "$log" $?)
    fi
    secs=$(($(date +%s) - start))
    rm -rf "$home"
    echo "$secs" >"$log_dir/$key.secs"
    echo "$counts" >"$results/$key"
    set -- $counts
    {
        printf '%-40s %4d passed, %d failed  (%d s)\n' "$name" "$1" "$2" "$secs"
        if [ "$2" -ne 0 ]; then
            if [ "$kind" = cmocka ]; then
                sed 's/^/    /' "$log" | grep -v '^\s*\[ *\(RUN\|OK\) *\]' | tail -n 40
            else # a failure shows what the screen held then (the suites print the pane under each FAIL)
                grep -A 12 "^FAIL" "$log" | head -n 120
            fi
        fi
    } >"$results/$key.out"
    cat "$results/$key.out" # one write of the whole block, so two lanes' lines do not mix
    exit 0
fi

unit_rel=$1
unit_asan=$2
jobs=${TEST_JOBS:-2}
mkdir -p "$log_dir"
results=$(mktemp -d "${TMPDIR:-/tmp}/triage-test.XXXXXX")
trap 'rm -rf "$results"' EXIT
trap 'exit 130' INT TERM
export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Every task: "KIND NAME PATH". Structure, command-line, fault, fuzz-corpus, scripted-screen, real-terminal
# (tmux) and attack suites run the test build (./triage-test: the release program whose clock honours
# TRIAGE_NOW); the structure and hardening checks and the attacks are given the release binary.
{
    for b in $unit_rel; do echo "cmocka unit/$(basename "$b") $b"; done
    for b in $unit_asan; do echo "cmocka unit-asan/$(basename "$b") $b"; done
    for s in tests/structure/*.sh tests/cli/*.sh tests/faults/*.sh tests/fuzz/*.sh tests/e2e/*.sh tests/attacks/*.sh; do
        [ -f "$s" ] || continue
        echo "suite $(basename "$(dirname "$s")")/$(basename "$s" .sh) $s"
    done
} >"$results/tasks"
# the longest first, by the last run's times (a suite never timed counts as long: it may be)
while read -r kind name path; do
    secs=$(cat "$log_dir/$(echo "$name" | tr / _).secs" 2>/dev/null || echo 9999)
    echo "$secs $kind $name $path"
done <"$results/tasks" | sort -s -k1,1nr | cut -d' ' -f2- >"$results/order"

xargs -P "$jobs" -L 1 sh "$0" --one "$results" <"$results/order"

total_pass=0
total_fail=0
while read -r kind name path; do
    r="$results/$(echo "$name" | tr / _)"
    if [ -f "$r" ]; then
        read -r p f <"$r"
    else # the task never reported (killed): a failure
        p=0 f=1
        echo "$name: no result"
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
done <"$results/tasks"

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
