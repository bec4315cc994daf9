#!/bin/sh
# Outside attacker, round 5 (issue 12). Keys are sealed to the X25519 public key the signed audit trail gave a
# member (a box_key entry: core/records/box_pin.h), never to the staff table's alone, which anyone with write
# access to the file can edit. The receptionist (alice) puts her own public key into another member's row:
#   1. a supervisor's routine rotation (lock of someone else, rekey) seals nothing to her: she opens no note, the
#      rotation still works, and verify names the swapped row;
#   2. a supervisor's unlock of that member is refused, naming them and the entry;
#   3. a lock she set in the file herself is named by verify, and an unlock of it is refused as one the trail
#      never made;
#   4. a promotion of a member whose key she swapped is refused.
# (From /tmp/att5.tXim: attack_pkswap.sh, attack_rekey.sh, attack_unlock.sh, attack_lockout.sh.)
# Usage: tests/attacks/box_pin.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3
A="$(pwd)/build/release/tests/attacks/attacker"
[ -x "$A" ] || { bad "build/release/tests/attacks/attacker is missing (make test builds it)"; finish; exit 1; }
CAROL=carol-passphrase-1
ERIN=erin-passphrase-1

intake() { # USER PASS NAME NOTE
    printf '{"client":{"name":"%s","phone":"555 0100"},"language":"en","notes":"%s","answers":{"phq9":[1,1,1,1,0,0,0,0,0]}}' "$3" "$4" >"$tmp/in.json"
    tri "$1" "$2\n" intake new "$tmp/in.json"
}
read_notes() { # USER PASS: how many notes the keys her secret opens open ("opened N of M")
    out=$(printf '%s\n' "$2" | "$A" read-notes "$tmp/config.ini" "$DB" "$1" 2>"$tmp/aerr" | tail -1)
}
fresh() { # a centre of its own: admin, alice and erin (reception), bob and carol (clinicians), two notes
    DB="$tmp/$1.db"
    centre
    tri admin "$ADMIN\n$CAROL\n" user add carol --role clinician
    tri admin "$ADMIN\n$ERIN\n" user add erin --role reception
    intake bob "$BOB" "Client One" "bob wrote: SECRET-ONE"
    intake carol "$CAROL" "Client Two" "carol wrote: SECRET-TWO"
}
swap() { # MEMBER: alice's public key put into MEMBER's row
    sql "UPDATE staff SET public_key = (SELECT public_key FROM staff WHERE name = 'alice') WHERE name = '$1';"
}

# 1a. bob's key swapped, the supervisor locks carol (a rotation of the clinical key)
fresh lock
swap bob
tri admin "$ADMIN\n" user lock carol
check "bob's key swapped: the supervisor's lock of carol still works" has_out "carol locked"
read_notes alice "$ALICE"
check "...sealed no clinical key to alice: she opens no note" has_out "^opened 0 of"
tri admin "$ADMIN\n" verify
check "...verify fails" [ "$rc" -ne 0 ]
check "...naming bob's row" has_err "the public key of \`bob\` in the staff table is not the one the signed audit trail gave (entry [0-9]*)"
# 1b. the same with a rekey (the data key and the clinical key both rotate)
fresh rekey
swap bob
tri admin "$ADMIN\n" rekey
check "bob's key swapped: a rekey still works" has_out "data key rotated"
read_notes alice "$ALICE"
check "...sealed no clinical key to alice: she opens no note" has_out "^opened 0 of"
# two rows swapped: verify names both
swap carol
tri admin "$ADMIN\n" verify
check "two rows swapped: verify names both" has_err "\`bob\` (entry [0-9]*), \`carol\` (entry [0-9]*)"

# 2. carol locked by the supervisor, her key swapped, the supervisor's routine unlock
fresh unlock
tri admin "$ADMIN\n" user lock carol
swap carol
tri admin "$ADMIN\n" user unlock carol
check "carol's key swapped: the supervisor's unlock is refused" [ "$rc" -ne 0 ]
check "...naming her and the entry" has_err "the public key of \`carol\` in the staff table is not the one the signed audit trail gave (entry [0-9]*)"
read_notes alice "$ALICE"
check "...alice opens no note" has_out "^opened 0 of"

# 3. alice locks carol in the file herself (no trail entry) and swaps her key; carol asks to be unlocked
fresh lockout
sql "UPDATE staff SET locked = 1 WHERE name = 'carol';"
tri admin "$ADMIN\n" verify
check "a lock set in the file: verify fails" [ "$rc" -ne 0 ]
check "...naming a lock the trail never made" has_err "\`carol\` is locked in the staff table, but the signed audit trail never locked them"
swap carol
tri admin "$ADMIN\n" user unlock carol
check "...the unlock of it is refused" [ "$rc" -ne 0 ]
check "...as a lock the trail never made" has_err "never locked them: the lock was set in the file"
read_notes alice "$ALICE"
check "...alice opens no note" has_out "^opened 0 of"

# 4. erin (reception) promoted while her key is swapped
fresh promote
swap erin
tri admin "$ADMIN\n" user role erin clinician
check "erin's key swapped: her promotion is refused" [ "$rc" -ne 0 ]
check "...naming her" has_err "the public key of \`erin\` in the staff table is not the one the signed audit trail gave"
read_notes alice "$ALICE"
check "...alice opens no note" has_out "^opened 0 of"
# a passphrase reset gives her new keys (the remedy the message names), pinned by the supervisor
tri admin "$ADMIN\nerin-new-passphrase-2\n" user passwd erin
tri admin "$ADMIN\n" user role erin clinician
check "...after a reset of her passphrase the promotion works" [ "$rc" -eq 0 ]
read_notes erin "erin-new-passphrase-2"
check "...and she reads the notes" has_out "^opened 2 of 2"

# 5. a database from before box_key entries (main's schema 8): each member pins their own key at their next login
DB="$tmp/upgraded.db"
{ cat tests/fixtures/records/main_v8_notes.sql; echo "PRAGMA application_id = 1414678855; PRAGMA user_version = 8; PRAGMA journal_mode = WAL;"; } |
    sqlite3 "$DB" >/dev/null
tri bob "$BOB\n" client find "Client"
check "upgraded: bob's login" [ "$rc" -eq 0 ]
check "...pinned his own public key, signed by him" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'box_key' AND staff_id = object_id AND object_id = (SELECT id FROM staff WHERE name = 'bob')")" -eq 1 ]
tri admin "$ADMIN\n" verify
check "...verify is sound" has_out "^sound"
check "...and names the member who has not logged in since (alice)" has_out "1 member(s) have no public key in the signed trail yet (\`alice\`)"
tri bob "$BOB\n" client find "Client"
check "...a second login pins nothing more" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'box_key' AND object_id = (SELECT id FROM staff WHERE name = 'bob')")" -eq 1 ]
swap bob
tri admin "$ADMIN\n" rekey
read_notes alice "$ALICE"
check "...bob pinned, his key swapped, a rekey: alice opens no note" has_out "^opened 0 of"
finish
