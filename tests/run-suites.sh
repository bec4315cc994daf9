#!/bin/sh
# Runs every suite and ends with one line `N passed, N failed` summing them all; exits non-zero on any
# failure. Arguments: the unit test binaries (release), the same under ASan+UBSan.
# Each suite runs in a sealed environment: its own HOME and XDG dirs, fixed TZ and locale, a timeout.
set -u
cd "$(dirname "$0")/.." || exit 2
unit_rel=$1
unit_asan=$2
total_pass=0
total_fail=0
log_dir=build/test-logs
mkdir -p "$log_dir"
sandbox=$(mktemp -d "${TMPDIR:-/tmp}/triage-test.XXXXXX")
trap 'rm -rf "$sandbox"' EXIT INT TERM
export HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data"
export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

add() { total_pass=$((total_pass + $1)); total_fail=$((total_fail + $2)); }

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)"; a crash or sanitizer report
# before those lines counts as one failure of that suite.
run_cmocka() {
    flavour=$1 bin=$2
    name="$flavour/$(basename "$bin")"
    log="$log_dir/$(echo "$name" | tr / _).log"
    timeout 300 "$bin" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    p=${p:-0} f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if grep -q 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$log"; then f=$((f + 1)); fi
    add "$p" "$f"
    printf '%-40s %4d passed, %d failed\n' "$name" "$p" "$f"
    [ "$f" -eq 0 ] || sed 's/^/    /' "$log" | grep -v '^\s*\[ *\(RUN\|OK\) *\]' | tail -n 40
}

for b in $unit_rel; do run_cmocka unit "$b"; done
for b in $unit_asan; do run_cmocka unit-asan "$b"; done

# Structure, command-line, fault, fuzz-corpus, scripted-screen, real-terminal (tmux) and attack suites: each
# prints "N passed, N failed" last. They run the test build (./triage-test: the release program whose clock
# honours TRIAGE_NOW); the structure and hardening checks and the attacks are given the release binary.
for s in tests/structure/*.sh tests/cli/*.sh tests/faults/*.sh tests/fuzz/*.sh tests/e2e/*.sh tests/attacks/*.sh; do
    [ -f "$s" ] || continue
    kind=$(basename "$(dirname "$s")")
    log="$log_dir/${kind}_$(basename "$s" .sh).log"
    bin=./triage-test
    case "$s" in tests/cli/hardening.sh | tests/attacks/* | tests/structure/*) bin=./triage ;; esac
    timeout 600 sh "$s" "$bin" >"$log" 2>&1 # a guard against a hung suite, not a time limit
    rc=$?
    last=$(tail -n 1 "$log")
    p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    p=${p:-0} f=${f:-1}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    add "$p" "$f"
    printf '%-40s %4d passed, %d failed\n' "$kind/$(basename "$s" .sh)" "$p" "$f"
    # a failure shows what the screen held then (the suites print the pane under each FAIL)
    [ "$f" -eq 0 ] || grep -A 12 "^FAIL" "$log" | head -n 120
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
