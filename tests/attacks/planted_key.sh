#!/bin/sh
# Attack: someone with write access plants a data key of their own, sealed to a staff member's public key
# (which needs no secret), with the key check re-sealed under it (tests/attacks/attacker.c plant-key).
# What holds today: every other staff member's next login is refused, naming the tampering (their own,
# true, data key no longer matches the key check), and verify names the records sealed under the planted
# key. What does not hold yet (README, threat model): the victim's own login is not refused, because the
# envelopes are not yet signed by a supervisor key pinned in each member's wrapped secret; the checks
# marked KNOWN-GAP record that so that the day it is fixed the test says so.
# Usage: tests/attacks/planted_key.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_attacker

centre
sql "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
"$A" plant-key "$DB" alice || bad "attacker plant-key"
tri admin "$ADMIN\n" client find x
check "a supervisor's next login is refused" [ "$rc" -ne 0 ]
check "...naming the tampering" has_err "does not match this database: the staff record was altered"
check "...audited" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'tamper_detected'")" -ge 1 ]
tri bob "$BOB\n" client find x
check "a clinician's login is refused too" has_err "does not match this database"
tri alice "$ALICE\n" client find x
if [ "$rc" -eq 0 ]; then echo "KNOWN-GAP the victim's own login opens the planted key (envelopes not yet signed)"; fi
finish
