#!/bin/sh
# Attack: a staff member with a shell sets TRIAGE_NOW to backdate their own audit entries, or runs the
# keyless `queue tick` a week ahead so that items escalate early. The release binary must refuse to run
# with TRIAGE_NOW set (its time is the system clock's only), write nothing, and escalate nothing.
# Run against ./triage-test (the test build, which honours TRIAGE_NOW) the attack succeeds: that is the
# build with the protection removed, and these checks fail there.
# Usage: tests/attacks/clock.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3

centre
printf '{"client":{"name":"Yellow Person"},"language":"en","answers":{"phq9":[2,2,1,1,1,1,1,1,0]}}' >"$tmp/in.json"
tri alice "$ALICE\n" intake new "$tmp/in.json"
check "set up: a yellow intake in the queue" has_out '"level":"yellow"'
entries=$(sql "SELECT count(*) FROM audit")

# 1. backdating: alice opens the record under a date of her choosing
export TRIAGE_NOW=2020-01-01T00:00:00Z
tri alice "$ALICE\n" client find "Yellow Person"
check "a login with TRIAGE_NOW set is refused (exit 2)" [ "$rc" -eq 2 ]
check "...saying the release build keeps the system clock" has_err "system clock only"
check "no audit entry carries the chosen time" [ "$(sql "SELECT count(*) FROM audit WHERE at < 1700000000")" -eq 0 ]

# 2. an early escalation: the keyless tick a week ahead
export TRIAGE_NOW=$(( $(date +%s) + 7 * 86400 ))
nol queue tick
check "queue tick with TRIAGE_NOW set is refused (exit 2)" [ "$rc" -eq 2 ]
unset TRIAGE_NOW
check "nothing was escalated" [ "$(sql "SELECT count(*) FROM queue_items WHERE overdue = 1 OR escalations > 0")" -eq 0 ]
check "nothing was written to the audit trail" [ "$(sql "SELECT count(*) FROM audit")" -eq "$entries" ]

# 3. without the variable the same commands work, on the system clock
tri alice "$ALICE\n" client find "Yellow Person"
check "without TRIAGE_NOW the search works" [ "$rc" -eq 0 ]
now=$(date +%s)
check "its audit entry has the system's time" [ "$(sql "SELECT max(at) FROM audit")" -ge $((now - 60)) ]
finish
