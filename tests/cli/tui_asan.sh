#!/bin/sh
# The scripted-screen suites (tests/cli/tui.sh: login, home, find, language, the whole intake, safety
# steps, review, save, summary, resume, idle lock, resize; tests/cli/screens.sh: the queues with every
# transition key, records, roster, staff, the 72-hour boundary; tests/cli/keys.sh: the intake wizard's
# keys, Enter on every unanswered question, every option reachable) once more against the program
# built with AddressSanitizer and UndefinedBehaviorSanitizer (build/asan/triage, `make test` builds it).
# Every sanitizer report (an error, undefined behaviour, a leak) is written to a log file of its own and
# fails this suite, whatever the screens showed.
# Usage: tests/cli/tui_asan.sh [ignored]   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 2
A=build/asan/triage
make_tmp tui-asan
if [ ! -x "$A" ]; then
    bad "$A is missing (make $A)"
    finish
fi
mkdir -p "$tmp/san"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:log_path=$tmp/san/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$tmp/san/ubsan"
pass=0 fail=0
for suite in tests/cli/tui.sh tests/cli/screens.sh tests/cli/keys.sh; do
    sh "$suite" "$A" >"$tmp/out" 2>&1
    rc=$?
    last=$(tail -n 1 "$tmp/out")
    p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    p=${p:-0} f=${f:-1}
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    pass=$((pass + p)) fail=$((fail + f))
    sed '$d' "$tmp/out"
done
reports=0
for f in "$tmp"/san/*; do
    [ -f "$f" ] || continue
    reports=$((reports + 1))
    echo "FAIL sanitizer report $(basename "$f"):"
    grep -m 1 -E 'ERROR: |runtime error:' "$f" | sed 's/^/     /'
    head -n 40 "$f" | sed 's/^/     /'
done
if [ "$reports" -eq 0 ]; then pass=$((pass + 1)); echo "ok   no AddressSanitizer, LeakSanitizer or UBSan report"
else fail=$((fail + reports)); fi
finish
