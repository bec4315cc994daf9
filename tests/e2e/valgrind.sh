#!/bin/sh
# One complete intake at the front desk under valgrind (memcheck): login, a new client, the intake form,
# PHQ-9, GAD-7 and ASQ answered to the end (red: the safety steps acknowledged), review, save, back home,
# quit; driven through the keyboard's own input path (TRIAGE_SCRIPT). Any memory error and any definite or
# indirect leak fails it (--error-exitcode); still-reachable memory (ncurses keeps its screen and terminfo
# until exit by design) and libsodium's guarded sodium_malloc pages are not errors. No suppressions needed.
# Usage: tests/e2e/valgrind.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp vg
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset TRIAGE_CONFIG NO_COLOR TRIAGE_NOW
mkdir -p "$HOME"
fail_show=show_file show_lines=60
if ! command -v valgrind >/dev/null 2>&1; then
    bad "valgrind is missing (make deps installs it)"
    finish
fi
test_config "$tmp/config.ini"
DB="$tmp/t.db"
P=admin-passphrase-1 R=desk-passphrase-12
cli "$P\n" --user admin init >/dev/null
cli "$P\n$R\n" --user admin user add desk --role reception >/dev/null
cli "$P\n" --user admin roster import assets/counselors.sample.ini >/dev/null

D=$tmp/dump
mkdir -p "$D"
# the intake of tests/cli/tui.sh: every question answered, in the order the forms ask them
cat >"$tmp/intake.script" <<SCRIPT
type desk
key enter
type $R
key enter
key n
key enter
type 2
type 李小明
key enter
type 34
key enter
key enter
type 1
key enter
type 13800138000
key enter
type 2
key enter
type 1
type 1
type 8
key enter
type 1
type 2
type 1
type 1
type 1
type 1
type 1
type 1
type 1
type 1
type 1
type 2
type 0
type 0
type 0
type 0
type 0
type 0
type 0
type 2
type 1
type 1
type 1
type 2
dump $D/safety
key enter
dump $D/review
key ctrl-s
dump $D/saved
key enter
dump $D/home
key q
SCRIPT
TRIAGE_SCRIPT="$tmp/intake.script" LINES=36 COLUMNS=120 timeout 240 valgrind -q --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    --log-file="$tmp/vg.log" "$T" --config "$tmp/config.ini" --db "$DB" >"$tmp/tui.out" 2>&1
rc=$?
grep -q "RED: SAFETY STEPS NOW" "$D/safety" 2>/dev/null && ok "the intake reached red and its safety steps" || bad "safety steps" "$D/safety"
grep -q "Review, then save" "$D/review" 2>/dev/null && ok "review" || bad "review" "$D/review"
grep -q "Risk level: RED" "$D/saved" 2>/dev/null && ok "saved, with its summary" || bad "saved" "$D/saved"
grep -q "RED ALERT" "$D/home" 2>/dev/null && ok "home after the save" || bad "home" "$D/home"
if [ "$rc" -eq 0 ]; then ok "quit cleanly under valgrind (exit 0)"; else bad "exit status $rc under valgrind (99: valgrind found errors)" "$tmp/tui.out"; fi
if [ -s "$tmp/vg.log" ]; then bad "valgrind reported errors or leaks" "$tmp/vg.log"; else ok "no memory error, no definite or indirect leak"; fi
"$T" --config "$tmp/config.ini" --db "$DB" queue --json >"$tmp/q.json"
grep -q '"level":"red"' "$tmp/q.json" && ok "the intake was stored (red queue item)" || bad "stored" "$tmp/q.json"
finish
