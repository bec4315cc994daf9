#!/bin/sh
# Outside attacker, round 6 (issue 12). A signature is not in its entry's chain hash, so a byte flipped in an old
# entry's signature (and one in some member's newest, to make the facts walk tolerant) leaves the chain whole and,
# once put back, verify sound. The facts walk passed such entries over, dropping their facts (a box_key pin, a lock,
# a removal): fail-open. Now:
#   1. verify checks every signature: a flipped byte in any entry's signature is named;
#   2. while the facts walk is not sound, every key handout (lock, unlock, role, removal, reset, rekey) is refused,
#      naming the trail's problem, and nothing changes (attack_unpin.sh);
#   3. a rekey seals the new data key only to members both the table and the trail show active
#      (attack_lockclear_rekey.sh, attack_removed_rekey.sh);
#   4. a login is refused for a member the trail locked or removed, whatever the table says (item2_filelock.sh),
#      also when the lock entry's signature was flipped (attack_lockflip.sh);
#   5. a wrap dearer than the desk's cost with a staff_kdf entry that does not check is refused as tampering
#      before deriving, saying what to do (attack_kdf.sh); a supervisor whose own entry is sound still logs in.
# Usage: tests/attacks/sig_flip.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_attacker
CAROL=carol-passphrase-1
ERIN=erin-passphrase-1

fresh() { # a centre of its own: admin, alice (reception), bob and carol (clinicians), erin (reception), a note
    DB="$tmp/$1.db"
    centre
    tri admin "$ADMIN\n$CAROL\n" user add carol --role clinician
    tri admin "$ADMIN\n$ERIN\n" user add erin --role reception
    intake bob "$BOB" "Client One" "bob wrote: SECRET-ONE"
}
id_of() { sql "SELECT id FROM staff WHERE name = '$1';"; }
# flip SEQ...: the first byte of each entry's signature changed (the append-only trigger dropped and put back)
flip() {
    trig=$(sql "SELECT sql FROM sqlite_master WHERE name = 'audit_no_update';")
    stmts="DROP TRIGGER audit_no_update;"
    for s in "$@"; do
        sig=$(sql "SELECT hex(sig) FROM audit WHERE seq = $s;")
        stmts="$stmts UPDATE audit SET sig = x'$(flipped_first "$sig")' WHERE seq = $s;"
    done
    sql "$stmts $trig;"
}
newest_of() { sql "SELECT max(seq) FROM audit WHERE staff_id = (SELECT id FROM staff WHERE name = '$1');"; }
data_env() { sql "SELECT hex(sealed_data_key) FROM staff WHERE name = '$1';"; }

# 1. one old entry's signature flipped (bob's box_key pin): verify names it
fresh verify
bob_pin=$(sql "SELECT seq FROM audit WHERE action = 'box_key' AND object_id = '$(id_of bob)';")
flip "$bob_pin"
tri admin "$ADMIN\n" verify
check "an old entry's signature flipped: verify is not sound" [ "$rc" -ne 0 ]
check "...and names that entry" has_err "audit entry $bob_pin is not signed by"

# 2. attack_unpin: bob's pin and his newest entry (his note) flipped, bob's table key swapped for alice's
fresh unpin
tri admin "$ADMIN\n" user lock erin
flip "$(sql "SELECT seq FROM audit WHERE action = 'box_key' AND object_id = '$(id_of bob)';")" "$(newest_of bob)"
sql "UPDATE staff SET public_key = (SELECT public_key FROM staff WHERE name = 'alice') WHERE name = 'bob';"
before=$(sql "SELECT count(*) FROM audit;")
tri admin "$ADMIN\n" user lock carol
check "trail not sound: a supervisor's lock (a rotation of the clinical key) is refused" [ "$rc" -ne 0 ]
check "...naming the trail's problem and saying to run verify" has_err "the signed audit trail has a problem (.*run \`triage verify\`"
check "...carol is not locked" [ "$(sql "SELECT locked FROM staff WHERE name = 'carol';")" -eq 0 ]
tri admin "$ADMIN\n" rekey
check "...a rekey is refused" [ "$rc" -ne 0 ]
check "...also naming the problem" has_err "the signed audit trail has a problem"
tri admin "$ADMIN\n" user unlock erin
check "...an unlock is refused" [ "$rc" -ne 0 ]
tri admin "$ADMIN\n" user role alice clinician
check "...a promotion is refused" [ "$rc" -ne 0 ]
tri admin "$ADMIN\nerin-new-passphrase-2\n" user passwd erin
check "...a passphrase reset is refused" [ "$rc" -ne 0 ]
tri admin "$ADMIN\n" user remove carol
check "...a removal is refused" [ "$rc" -ne 0 ]
check "...nothing was written but the refusals' logins" \
    [ -z "$(sql "SELECT action FROM audit WHERE seq > $before AND action NOT IN ('login', 'login_refused', 'tamper_detected', 'audit_witness');")" ]
check "...and no clinical key was sealed to alice (her table key is bob's now)" \
    [ -z "$(sql "SELECT 1 FROM meta WHERE key = 'clinical_key:$(id_of alice)' AND length(value) > 0;")" ]

# 3a. attack_lockclear_rekey: a locked member clears her lock in the file just before a rekey
fresh lockclear
tri admin "$ADMIN\n" user lock carol
sql "UPDATE staff SET locked = 0 WHERE name = 'carol';"
env_before=$(data_env carol)
tri admin "$ADMIN\n" rekey
check "lock cleared in the file: the rekey itself runs" has_out "data key rotated"
check "...and seals no new data key to her (the trail locked her)" [ "$(data_env carol)" = "$env_before" ]
# 3b. attack_removed_rekey: a removed member's row with locked = 0 (and his old keys back) gets nothing
fresh removed
carol_pk=$(sql "SELECT hex(public_key) FROM staff WHERE name = 'carol';")
tri admin "$ADMIN\n" user remove carol
sql "UPDATE staff SET locked = 0, public_key = x'$carol_pk' WHERE name = 'carol';"
env_before=$(data_env carol)
tri admin "$ADMIN\n" rekey
check "removed row unlocked in the file: the rekey seals no data key to it" [ "$(data_env carol)" = "$env_before" ]

# 4. item2_filelock: a member the trail locked, with locked = 0 in the file, logs in
fresh filelock
tri admin "$ADMIN\n" user lock alice
sql "UPDATE staff SET locked = 0 WHERE name = 'alice';"
intake alice "$ALICE" "Client X" "alice: while locked"
check "trail-locked, table lock cleared: her login is refused" [ "$rc" -ne 0 ]
check "...naming the trail's lock" has_err "\`alice\` is locked in the signed audit trail"
check "...and no intake was saved" [ "$(sql "SELECT count(*) FROM intakes WHERE created_by = '$(id_of alice)';")" -eq 0 ]
tri admin "$ADMIN\n" user remove carol
sql "UPDATE staff SET locked = 0 WHERE name = 'carol';"
tri carol "$CAROL\n" client find "Client"
check "a removed member's row unlocked in the file: refused, naming the removal" has_err "\`carol\` is removed in the signed audit trail"
# 4b. attack_lockflip: the lock entry's signature flipped too (and bob's newest, so the facts walk is the tolerant one)
fresh lockflip
tri admin "$ADMIN\n" user lock carol
flip "$(sql "SELECT max(seq) FROM audit WHERE action = 'staff_lock' AND object_id = '$(id_of carol)';")" "$(newest_of bob)"
sql "UPDATE staff SET locked = 0 WHERE name = 'carol';"
tri carol "$CAROL\n" client find "Client"
check "lock entry's signature flipped, table lock cleared: her login is still refused" has_err "\`carol\` is locked in the signed audit trail"
env_before=$(data_env carol)
tri admin "$ADMIN\n" rekey
check "...a rekey is refused (the trail has a problem)" [ "$rc" -ne 0 ]
check "...and her data key envelope is as it was" [ "$(data_env carol)" = "$env_before" ]

# 5. attack_kdf: a dearer wrap planted (twice the desk's memory) and bob's staff_kdf signature flipped
fresh kdf
flip "$(sql "SELECT max(seq) FROM audit WHERE action = 'staff_kdf' AND object_id = '$(id_of bob)';")"
sql "UPDATE staff SET kdf_mem = kdf_mem * 2 WHERE name = 'bob';"
tri bob "$BOB\n" client find "Client"
check "a dearer wrap, its staff_kdf entry flipped: bob's login is refused" [ "$rc" -ne 0 ]
check "...as tampering before deriving, not as a wrong passphrase" has_err "refused as tampering before deriving"
check "...saying what a centre can do (no reset while the trail has a problem: restore)" has_err "puts the file back from the newest backup with \`triage restore\`"
check "...nothing counted against the account" [ "$(sql "SELECT failed_logins FROM staff WHERE name = 'bob';")" -eq 0 ]
tri admin "$ADMIN\n" verify
check "...a supervisor whose own entry is sound still logs in, and verify names the entry" has_err "is not signed by"
finish
