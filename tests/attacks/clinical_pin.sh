#!/bin/sh
# Attack (outside attacker, round 3, item 1): a receptionist with the source and write access plants a clinical
# key of her own (tests/attacks/attacker.c plant-clinical): its public key in meta clinical_pk with a valid MAC
# under the data key (which she holds), and the key sealed to every clinician's and supervisor's REAL public key,
# so that their envelopes open and match. Before the pin, every login accepted it and notes written afterwards
# were sealed to a key she holds; it was found only when an old note failed to open.
# What must hold: the clinical public key is the one the newest signed clinical_key audit entry made (its
# detail ends "pk:HEX"), written by a member whose role may hold it; otherwise a clinician's or supervisor's
# login, and any note sealed at any desk, is refused, named as planted. Her own signed entry naming her key does
# not help (her role in the signed trail may not make one), nor does her role raised in the staff table: that
# entry is a problem in the trail, and while the trail has one no note is sealed at all (the login goes on).
# Usage: tests/attacks/clinical_pin.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_attacker

plant() { # USER PASS [entry]
    printf '%s\n' "$2" | "$A" plant-clinical "$tmp/config.ini" "$DB" "$1" ${3:-} 2>"$tmp/aerr"
    rc=$?; err=$(cat "$tmp/aerr")
}

# 1. the plant alone (MAC under the data key, envelopes to the real public keys)
centre
intake bob "$BOB" "Client One" "bob wrote: a note before the plant"
check "set up: a clinician's note" [ "$rc" -eq 0 ]
check "the clinical_key entry names the public key it made" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'clinical_key' AND detail LIKE '% pk:' || lower(hex(substr((SELECT value FROM meta WHERE key = 'clinical_pk'), 1, 32)))")" -eq 1 ]
plant alice "$ALICE"
check "the attacker planted her clinical key" [ "$rc" -eq 0 ]
tri bob "$BOB\n" client find "Client"
check "planted clinical key: the clinician's login is refused" [ "$rc" -ne 0 ]
check "...named as planted, against the signed trail" has_err "clinical public key (meta clinical_pk) is not the one the signed audit trail made (planted in the file): the newest signed audit entry that made one (.*) names another key"
check "...audited" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'tamper_detected' AND detail LIKE '%clinical_pk%'")" -ge 1 ]
tri admin "$ADMIN\n" client find "Client"
check "a supervisor's login is refused too" has_err "clinical_pk) is not the one the signed audit trail made"
intake alice "$ALICE" "Client Two" "written after the plant"
check "a note written at reception after the plant is not sealed to it" [ "$rc" -ne 0 ]
check "...naming it" has_err "clinical_pk) is not the one the signed audit trail made"

# 2. the plant with her own signed entry naming her key: her role may not make one
DB="$tmp/entry.db"
centre
plant alice "$ALICE" entry
check "the attacker planted her key with a signed entry of her own" [ "$rc" -eq 0 ]
# her entry does not count (her role in the trail may not make one): the trail has a problem, so nothing is sealed
# to any clinical key until it is sound (kept_key.sh, round 7), and verify names her entry
intake bob "$BOB" "Client Four" "bob wrote: after her entry"
check "her own entry: a note after it is refused, not sealed to her key" [ "$rc" -ne 0 ]
check "...because her entry does not count: the trail has a problem" \
    has_err "no note is sealed while the signed audit trail has a problem (audit entry [0-9]*: alice did clinical_key, which needs a clinician"
tri admin "$ADMIN\n" verify
check "...and verify names her entry" has_err "alice did clinical_key, which needs a clinician"
# and with her role raised in the staff table as well: the trail's roles count (round 4), not the table
sql "UPDATE staff SET role = 'clinician' WHERE name = 'alice';"
intake bob "$BOB" "Client Five" "bob wrote: after her role was raised"
check "role raised in the file too: still refused (the trail made her a reception)" [ "$rc" -ne 0 ]
check "...naming the trail's problem" has_err "no note is sealed while the signed audit trail has a problem"
out=$(printf '%s\n' "$ALICE" | "$A" read-notes "$tmp/config.ini" "$DB" alice 2>/dev/null)
check "...and she opens no note" has_out "^opened 0 of"
finish
