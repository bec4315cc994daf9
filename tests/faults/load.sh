#!/bin/sh
# Load (issue 8): eight desks (processes, each with its own login and connection) create intakes and move
# queue items against one database as fast as they can; none of the acknowledged writes may be lost and no
# "busy" may reach a desk. tests/faults/load.c does the work and prints the table (p50/p99 save latency).
# Usage: tests/faults/load.sh ./triage   Last line: `N passed, N failed`.
# make test runs it for LOAD_SECONDS=15; make bench for 180 s (LOAD_SECONDS overrides) after a single-desk
# baseline of LOAD_BASELINE seconds in the same run. LOAD_DESKS changes the number of desks (8).
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
BIN=$(pwd)/build/release/tests/faults
SECONDS_=${LOAD_SECONDS:-15}
BASE=${LOAD_BASELINE:-0}
DESKS=${LOAD_DESKS:-8}
make_tmp load
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW
mkdir -p "$HOME"
test_config "$tmp/config.ini"
A=admin-passphrase-1 R=desk-passphrase-12
DB=$tmp/load.db
show_log() { [ -z "${1:-}" ] || sed 's/^/     /' "$1" | tail -n 30; } # a log's last lines
fail_show=show_log

for b in writer load; do
    [ -x "$BIN/$b" ] || { bad "$BIN/$b is built (make $BIN/$b)"; finish; }
done
cli "$A\n" --user admin init >/dev/null
i=1
while [ $i -le "$DESKS" ]; do
    cli "$A\n$R\n" --user admin user add "desk$i" --role reception >/dev/null || bad "add desk$i"
    i=$((i + 1))
done

echo "$R" | "$BIN/load" "$tmp/config.ini" "$DB" "$BIN/writer" "$DESKS" "$SECONDS_" "$BASE" >"$tmp/load.log" 2>&1
rc=$?
grep -v '^ok' "$tmp/load.log"
if grep -q 'lost 0,' "$tmp/load.log"; then ok "$DESKS desks for $SECONDS_ s: no acknowledged write lost"; else bad "none lost" "$tmp/load.log"; fi
if grep -q 'failed writes 0, busy errors 0' "$tmp/load.log"; then ok "no write failed, no busy error reached a desk"; else bad "no busy errors" "$tmp/load.log"; fi
if [ $rc -eq 0 ] && grep -q '^load: ok' "$tmp/load.log"; then ok "every desk finished; intakes stored = intakes acknowledged"; else bad "load run (exit $rc)" "$tmp/load.log"; fi
cli "$A\n" --user admin verify >"$tmp/v.out" 2>&1
if grep -q '^sound' "$tmp/v.out"; then ok "after the load: triage verify says sound"; else bad "verify after the load" "$tmp/v.out"; fi

finish
