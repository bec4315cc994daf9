#!/bin/sh
# Outside attacker, round 5 (issue 12), findings 2 and 3:
#   1. an audit entry removed, the rest re-chained (attacker strip): verify names the trail first (the cause),
#      then what follows from it (a note's signature), not the note alone;
#   2. the report's "verify last checked: sound" line: meta verify_last is sealed under the data key every role
#      holds, so a receptionist with the file can write "sound, now" there after a verify found tampering; the
#      report takes a "sound" from the signed trail only, so the forged line shows as not verified.
# Usage: tests/attacks/verify_first.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3
A="$(pwd)/build/release/tests/attacks/attacker"
[ -x "$A" ] || { bad "build/release/tests/attacks/attacker is missing (make test builds it)"; finish; exit 1; }

intake() { # USER PASS NAME NOTE ITEM9
    printf '{"client":{"name":"%s","phone":"555 0100"},"language":"en","notes":"%s","answers":{"phq9":[2,2,2,2,1,1,1,1,%s]}}' "$3" "$4" "$5" >"$tmp/in.json"
    tri "$1" "$2\n" intake new "$tmp/in.json"
}

# 1. entry 10 removed and the rest re-chained
DB="$tmp/strip.db"
centre
intake bob "$BOB" "Client One" "bob wrote: SECRET-ONE" 0
"$A" strip "$DB" 10 || bad "attacker strip"
rm -f "$DB-mark" # the mark beside the file would name the rewrite before verify runs; the attacker removes it too
# ...and so would this account's own record of the trail's head (issue 16: outside the data directory, where a file
# editor need not reach; removed here so that verify's own order of messages is what is tried)
rm -rf "${XDG_STATE_HOME:?}/triage/seen"
tri admin "$ADMIN\n" verify
check "entry removed, rest re-chained: verify fails" [ "$rc" -ne 0 ]
check "...its first message names the trail" has_err "^triage: audit entry 10 "
check "...then what follows from it" has_err "; and, following from it: .*signature"

# 2. the report's verify line
DB="$tmp/report.db"
centre
intake bob "$BOB" "Client Orange" "note" 0
printf '%s\n' "$ALICE" | "$A" forge-verify-last "$tmp/config.ini" "$DB" alice || bad "attacker forge-verify-last"
tri admin "$ADMIN\n" report
check "no verify ever, verify_last forged as sound: the report does not say sound" [ -z "$(printf "%s" "$out" | grep "last checked their row MACs .*: sound")" ]
check "...it says never checked" has_out "never checked by \`triage verify\`"
tri admin "$ADMIN\n" verify
check "a real verify: sound" has_out "^sound"
sql "UPDATE intake_facts SET level = 'green';"
tri admin "$ADMIN\n" verify
check "the facts edited: verify finds it" [ "$rc" -ne 0 ]
printf '%s\n' "$ALICE" | "$A" forge-verify-last "$tmp/config.ini" "$DB" alice || bad "attacker forge-verify-last"
tri admin "$ADMIN\n" report
check "verify_last forged as sound after tampering was found: the report says TAMPERING" has_out "TAMPERING FOUND"
finish
