#!/bin/sh
# Outside attacker, round 4 (and one bug found with it). Who may hold the clinical key, and which signing keys a
# member has, come from the signed audit trail (core/records/audit.c audit_facts_of), never from the staff table
# or meta sign_pk, which anyone with write access to the file can edit:
#   1. bug: a passphrase reset gives a note's author a new signing key; their earlier notes must still verify
#      (under the key they held when signing), so verify stays sound, other clinicians read them, and every
#      rotation (lock, rekey, removal) still works.
#   2. a receptionist raises her role in the staff table; a supervisor's lock of someone else, a passphrase reset
#      of her, or an unlock of her must not seal the clinical key to her; an envelope planted for her is named by
#      verify.
#   3. she swaps another clinician's (or a removed clinician's) meta sign_pk for her own signing key and writes a
#      clinical_key entry in their name pinning a key of her own (attacker plant-clinical-as): the entry does not check under the trail's keys, so no note is sealed (the login goes on and says so in the trail).
# Usage: tests/attacks/trail_facts.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_attacker
CAROL=carol-passphrase-1
ERIN=erin-passphrase-1

read_notes() { # USER PASS: how many notes the attacker's key opens ("opened N of M")
    out=$(printf '%s\n' "$2" | "$A" read-notes "$tmp/config.ini" "$DB" "$1" 2>"$tmp/aerr" | tail -1)
}
fresh() { # a centre of its own: admin, alice (reception), bob and carol (clinicians), erin (reception), two notes
    DB="$tmp/$1.db"
    centre
    tri admin "$ADMIN\n$CAROL\n" user add carol --role clinician
    tri admin "$ADMIN\n$ERIN\n" user add erin --role reception
    intake bob "$BOB" "Client One" "bob wrote: SECRET-ONE"
    bob_iid=$(sql "SELECT id FROM intakes WHERE created_by = (SELECT id FROM staff WHERE name = 'bob') LIMIT 1;")
    intake alice "$ALICE" "Client Two" "alice wrote: SECRET-TWO"
    alice_iid=$(sql "SELECT id FROM intakes WHERE created_by = (SELECT id FROM staff WHERE name = 'alice') LIMIT 1;")
}

# 1. an ordinary reset of a note's author (bob wrote one, alice wrote one)
fresh reset
tri admin "$ADMIN\nbob-new-passphrase-9\n" user passwd bob
tri admin "$ADMIN\nalice-new-passphrase-2\n" user passwd alice
check "reset of two note authors" [ "$rc" -eq 0 ]
tri admin "$ADMIN\n" verify
check "after the resets: verify says sound (their notes verify under the keys they held)" has_out "^sound"
read_intake carol "$CAROL" "$bob_iid"
check "...another clinician reads bob's note" has_out "^NOTE bob wrote: SECRET-ONE$"
read_intake carol "$CAROL" "$alice_iid"
check "...and alice's" has_out "^NOTE alice wrote: SECRET-TWO$"
tri admin "$ADMIN\n" user lock carol
check "...a lock (a rotation) still works" has_out "carol locked"
tri admin "$ADMIN\n" rekey
check "...a rekey too" has_out "data key rotated"
read_intake bob "bob-new-passphrase-9" "$bob_iid"
check "...and bob, with his new passphrase, reads his note after both" has_out "^NOTE bob wrote: SECRET-ONE$"

# 2a. role raised in the file, a supervisor's lock of someone else (a rotation)
fresh raised_lock
sql "UPDATE staff SET role = 'clinician' WHERE name = 'alice';"
tri admin "$ADMIN\n" user lock carol
check "role raised: the supervisor's lock of carol" has_out "carol locked"
sql "UPDATE staff SET role = 'reception' WHERE name = 'alice';"
check "...sealed no clinical key to alice" [ -z "$(sql "SELECT value FROM meta WHERE key = 'clinical_key:' || (SELECT id FROM staff WHERE name = 'alice') AND length(value) > 0")" ]
read_notes alice "$ALICE"
check "...she opens no note" has_out "^opened 0 of"
# 2b. the same through a passphrase reset of her
fresh raised_reset
sql "UPDATE staff SET role = 'clinician' WHERE name = 'erin';"
tri admin "$ADMIN\nerin-new-passphrase-2\n" user passwd erin
sql "UPDATE staff SET role = 'reception' WHERE name = 'erin';"
read_notes erin "erin-new-passphrase-2"
check "role raised, then a reset of her: she opens no note" has_out "^opened 0 of"
# 2c. the same through an unlock of her
fresh raised_unlock
tri admin "$ADMIN\n" user lock erin
sql "UPDATE staff SET role = 'clinician' WHERE name = 'erin';"
tri admin "$ADMIN\n" user unlock erin
sql "UPDATE staff SET role = 'reception' WHERE name = 'erin';"
read_notes erin "$ERIN"
check "role raised, then an unlock of her: she opens no note" has_out "^opened 0 of"
# 2d. an envelope there anyway (as an older triage sealed it, here copied into her key in the file): verify names it
sql "INSERT OR REPLACE INTO meta (key, value) SELECT 'clinical_key:' || (SELECT id FROM staff WHERE name = 'erin'), value FROM meta WHERE key = 'clinical_key:' || (SELECT id FROM staff WHERE name = 'bob');"
tri admin "$ADMIN\n" verify
check "an envelope held by a member the trail made a reception: verify fails" [ "$rc" -ne 0 ]
check "...naming her and the envelope" has_err "\`erin\` holds the clinical key (meta clinical_key:.*), but the signed audit trail made them a reception"

# 3. a clinical key planted by an entry written in another member's name, their meta sign_pk swapped for hers
for victim in carol dave; do
    fresh "plant_$victim"
    if [ "$victim" = dave ]; then
        tri admin "$ADMIN\ndave-passphrase-1\n" user add dave --role clinician
        tri admin "$ADMIN\n" user remove dave
    fi
    printf '%s\n' "$ALICE" | "$A" plant-clinical-as "$tmp/config.ini" "$DB" alice "$victim" 2>"$tmp/aerr"
    check "$victim: the attacker planted her key, pinned by an entry in $victim's name" [ "$?" -eq 0 ]
    # the entry in the victim's name does not check under the trail's keys: the trail has a problem, so the
    # login goes on and says so in the trail, and no note is sealed to any key (kept_key.sh, round 7)
    tri bob "$BOB\n" client find "Client"
    check "$victim: the clinician's login goes on (a trail with a problem refuses notes, not the desk)" [ "$rc" -eq 0 ]
    check "$victim: ...and says so in the trail" \
        [ "$(sql "SELECT count(*) FROM audit WHERE action = 'tamper_detected' AND detail LIKE 'the trail has a problem%';")" -ge 1 ]
    intake bob "$BOB" "Client Three" "bob wrote: SECRET-THREE after the plant"
    check "$victim: a note written after the plant is refused, not sealed to her key" [ "$rc" -ne 0 ]
    check "$victim: ...naming the trail's problem" has_err "no note is sealed while the signed audit trail has a problem"
    read_notes alice "$ALICE"
    check "$victim: she opens no note" has_out "^opened 0 of"
done
finish
