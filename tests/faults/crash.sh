#!/bin/sh
# Crash safety (issue 8): writers saving intakes and drafts and moving queue items are killed with SIGKILL
# at random moments over 1,000 rounds, and crash images of a live database (its files copied while the
# writer is frozen, with and without shared memory, with a torn WAL frame) are opened a few hundred times;
# every acknowledged write must be there and the database sound. tests/faults/crash.c does the work (see
# its header); this script makes the databases with the real program and runs `triage verify` at the end.
# Usage: tests/faults/crash.sh ./triage   Last line: `N passed, N failed`.
# CRASH_ROUNDS and CRASH_COPIES change the counts (defaults 1000 and 240); CRASH_SEED repeats a run.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
BIN=$(pwd)/build/release/tests/faults
make_tmp crash
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW
mkdir -p "$HOME"
test_config "$tmp/config.ini"
A=admin-passphrase-1 R=desk-passphrase-12
show_log() { [ -z "${1:-}" ] || sed 's/^/     /' "$1" | grep -v '^     ok' | tail -n 30; } # its last lines, not the ok ones
fail_show=show_log
cli() { db=$1 p=$2; shift 2; printf '%b' "$p" >"$tmp/p"; "$T" --config "$tmp/config.ini" --db "$db" --passphrase-fd 3 "$@" 3<"$tmp/p"; }
setup() { # dir: a database with a supervisor and one reception desk
    mkdir -p "$1"
    cli "$1/t.db" "$A\n" --user admin init >/dev/null &&
        cli "$1/t.db" "$A\n$R\n" --user admin user add desk --role reception >/dev/null
}

for b in writer crash; do
    [ -x "$BIN/$b" ] || { bad "$BIN/$b is built (make $BIN/$b)"; finish; }
done

# 1. SIGKILL at random moments
setup "$tmp/kill"
printf '%s\n%s\n' "$A" "$R" | "$BIN/crash" kill "$tmp/config.ini" "$tmp/kill/t.db" "$BIN/writer" desk \
    "${CRASH_ROUNDS:-1000}" >"$tmp/kill.log" 2>&1
rc=$?
grep -E '^(seed|kill rounds)' "$tmp/kill.log"
if [ $rc -eq 0 ] && grep -q '^crash kill: ok' "$tmp/kill.log"; then
    ok "${CRASH_ROUNDS:-1000} SIGKILL rounds: every acknowledged write present, the database sound after each"
else
    bad "SIGKILL rounds (exit $rc)" "$tmp/kill.log"
fi
cli "$tmp/kill/t.db" "$A\n" --user admin verify >"$tmp/v.out" 2>&1
if grep -q '^sound' "$tmp/v.out"; then ok "after the kill rounds: triage verify says sound"; else bad "triage verify after the kill rounds" "$tmp/v.out"; fi
# killed 50 times in the middle of its login: the account is not locked, the search works
cli "$tmp/kill/t.db" "$R\n" --user desk client find "Nobody Here" >"$tmp/f.out" 2>&1
if grep -q "no client found" "$tmp/f.out"; then ok "the desk still logs in (not locked by the kills during login)"; else bad "desk login after the kill rounds" "$tmp/f.out"; fi

# 2. crash images of a live database
setup "$tmp/copy"
printf '%s\n%s\n' "$A" "$R" | "$BIN/crash" copy "$tmp/config.ini" "$tmp/copy/t.db" "$BIN/writer" desk \
    "${CRASH_COPIES:-240}" >"$tmp/copy.log" 2>&1
rc=$?
grep -E '^(seed|crash images)' "$tmp/copy.log"
if [ $rc -eq 0 ] && grep -q '^crash copy: ok' "$tmp/copy.log"; then
    ok "${CRASH_COPIES:-240} crash images: each opens, verifies and holds every write acknowledged before it"
else
    bad "crash images (exit $rc)" "$tmp/copy.log"
fi
cli "$tmp/copy/t.db" "$A\n" --user admin verify >"$tmp/v.out" 2>&1
if grep -q '^sound' "$tmp/v.out"; then ok "the original after the copies: triage verify says sound"; else bad "triage verify of the original" "$tmp/v.out"; fi

finish
