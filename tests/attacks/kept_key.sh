#!/bin/sh
# Outside attacker, round 7 (issue 12). A signature is not in its entry's chain hash, so one byte of the newest
# clinical key rotation's signature flipped made the facts walk pass that entry over and take an OLDER clinical_key
# entry as the pin. A clinician demoted (or locked) after keeping the clinical key then made his kept key the file's
# again (meta clinical_pk with a valid MAC under the data key every role holds, every envelope re-sealed to it):
# every note written afterwards, by any desk, was sealed to a key he holds; he put the byte back and verify said sound
# (attack_pinrevert.sh, attack_pinrevert_lock.sh). And two entries anyone could write counted as a supervisor's:
# a staff_kdf entry a reception login signed for a clinician (attack_kdfentry.sh), and a failed login's unsigned
# lock, called "signed" by the refusal (attack_keylesslock.sh). Now:
#   1. no note is sealed while the trail has a problem: its newest entry that checks may not be its newest;
#      the refusal names the problem, nothing is saved, and each clinical login says it in the trail (signed),
#      where a cover-up of the file afterwards cannot take it back; the login itself goes on (verify, restore);
#   2. the same for a locked clinician, who never logs in;
#   3. a staff_kdf entry counts only when it is the member's own or its writer may manage staff in the trail:
#      verify names a forged one, and a dearer wrap behind it is refused before deriving (also with the writer's
#      role raised in the staff table);
#   4. a lock by failed logins is said to be one (an unsigned entry), not "signed".
# Round 8 (attack_init.sh): reception appended one entry signed with her own key, action `init` (which makes its
# writer a supervisor in the trail), re-signed the head and raised her table role: verify said sound, and the next
# routine rotation handed her the clinical key. Now:
#   5. the database is created once: a second `init` (or one after staff were added) is forged; verify names it,
#      and with it every handout and note is refused (fail closed), so she is given nothing.
#   7. (round 9, attack_locked_sup.sh, attack_locked_kdf.sh, attack_removed_sup.sh) an entry that says who holds
#      what, signed by a member the trail had locked or removed, is forged: verify names it, nothing is handed out.
#   6. a desk left open while the trail is cut behind what its account saw (entries deleted from the end) checks
#      the account's seen record again before each write, not only at open: its next write is refused.
# Usage: tests/attacks/kept_key.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_attacker
CAROL=carol-passphrase-1

fresh() { # a centre of its own: admin, alice (reception), bob and carol (clinicians), one note of bob's
    DB="$tmp/$1.db"
    centre
    tri admin "$ADMIN\n$CAROL\n" user add carol --role clinician
    intake bob "$BOB" "Client One" "bob wrote: SECRET-ONE"
}
# flip SEQ: the first byte of an entry's signature changed (the append-only trigger dropped and put back)
flip() {
    trig=$(sql "SELECT sql FROM sqlite_master WHERE name = 'audit_no_update';")
    sig=$(sql "SELECT hex(sig) FROM audit WHERE seq = $1;")
    sql "DROP TRIGGER audit_no_update; UPDATE audit SET sig = x'$(flipped_first "$sig")' WHERE seq = $1; $trig;"
}
unflip() { # SEQ HEX: the signature put back
    trig=$(sql "SELECT sql FROM sqlite_master WHERE name = 'audit_no_update';")
    sql "DROP TRIGGER audit_no_update; UPDATE audit SET sig = x'$2' WHERE seq = $1; $trig;"
}
att() { # SUBCOMMAND PASS ARGS...: the attacker's program with a passphrase on stdin
    sub=$1 apass=$2
    shift 2
    out=$(printf '%s\n' "$apass" | "$A" "$sub" "$tmp/config.ini" "$DB" "$@" 2>"$tmp/aerr"); rc=$?; err=$(cat "$tmp/aerr")
}
notes_count() { sql "SELECT count(*) FROM intakes WHERE notes_ct IS NOT NULL;"; }
# the kept key opens a note sealed since? (the attacker's reader: every envelope and key his login reaches)
newest_rotation() { sql "SELECT max(seq) FROM audit WHERE action = 'clinical_key';"; }
# bob, a clinician, keeps the clinical key; a supervisor's command (the rest) shuts him out, which rotates it; he
# flips one byte of that rotation's signature ($rot, $sig kept for a cover-up) and plants his kept key back
shut_out_and_plant() { # what kept-file command...
    what=$1 kept=$2
    shift 2
    att keep-clinical "$BOB" bob "$kept"
    check "set up: bob, a clinician, keeps the clinical key" [ "$rc" -eq 0 ]
    tri admin "$ADMIN\n" "$@"
    check "set up: bob $what (the clinical key rotates)" [ "$rc" -eq 0 ]
    rot=$(newest_rotation)
    sig=$(sql "SELECT hex(sig) FROM audit WHERE seq = $rot;")
    flip "$rot"
    att plant-kept "$BOB" bob "$kept"
    check "set up: bob ($what) plants his kept key with the file alone" [ "$rc" -eq 0 ]
    before=$(notes_count)
}

# 1. attack_pinrevert: demoted, the kept key planted, the newest rotation's signature byte flipped
fresh demoted
shut_out_and_plant demoted "$tmp/bob.kept" user role bob reception
intake carol "$CAROL" "Client After" "carol wrote: WRITTEN-AFTER-PLANT"
check "a clinician's note after the plant is refused" [ "$rc" -ne 0 ]
check "...naming the trail's problem (the flipped entry)" has_err "no note is sealed while the signed audit trail has a problem (audit entry $rot "
check "...and nothing was saved" [ "$(notes_count)" = "$before" ]
intake alice "$ALICE" "Client After Two" "alice wrote: WRITTEN-AFTER-PLANT"
check "a receptionist's note after the plant is refused too" [ "$rc" -ne 0 ]
check "...and nothing was saved" [ "$(notes_count)" = "$before" ]
tri carol "$CAROL\n" client find "Client"
check "the clinician's login itself goes on (the trail's problem refuses what it cannot vouch for, not the desk)" [ "$rc" -eq 0 ]
check "...and said it in the trail, signed by her" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'tamper_detected' AND detail LIKE 'the trail has a problem%' AND sig IS NOT NULL;")" -ge 1 ]
tri alice "$ALICE\n" intake new "$tmp/in.json" >/dev/null 2>&1
out=$(printf '%s\n' "$BOB" | "$A" read-notes "$tmp/config.ini" "$DB" bob 2>/dev/null)
check "bob's kept key opens nothing written after the plant" sh -c '! printf "%s" "$1" | grep -q WRITTEN-AFTER-PLANT' x "$out"
# the cover-up: the byte put back; the trail still says what happened
unflip "$rot" "$sig"
tri admin "$ADMIN\n" audit
check "after the cover-up the trail still names the window" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'tamper_detected' AND detail LIKE 'the trail has a problem%';")" -ge 1 ]

# 2. attack_pinrevert_lock: the same by a LOCKED clinician, who never logs in
fresh locked
shut_out_and_plant locked "$tmp/bob2.kept" user lock bob
intake carol "$CAROL" "Client Locked" "carol wrote: WRITTEN-WHILE-LOCKED"
check "locked clinician's plant: a note is refused" [ "$rc" -ne 0 ]
check "...naming the trail's problem" has_err "no note is sealed while the signed audit trail has a problem"
check "...and nothing was saved" [ "$(notes_count)" = "$before" ]

# 3. attack_kdfentry: reception signs a staff_kdf entry for a clinician (4 passes, 1 GiB) and sets her row to it
fresh kdf
att kdf-entry "$ALICE" alice carol 4 1073741824
check "set up: alice's login appends a staff_kdf entry for carol" [ "$rc" -eq 0 ]
tri admin "$ADMIN\n" verify
check "verify is not sound" [ "$rc" -ne 0 ]
check "...naming the entry as forged (her role in the trail may not manage staff)" \
    has_err "alice, who may not manage staff in the trail, records key derivation parameters for carol: forged"
"$A" peak-rss "$tmp/rss" sh -c "printf '%s\n' '$CAROL' | '$T' --config '$tmp/config.ini' --db '$DB' --user carol --passphrase-fd 0 client find Client" >/dev/null 2>"$tmp/cerr"
rc=$?
check "carol's login is refused as tampering before deriving" grep -q "refused as tampering before deriving" "$tmp/cerr"
check "...without paying for the planted 1 GiB (peak under 100 MiB)" [ "$(cat "$tmp/rss")" -lt 102400 ]
check "...and it is not counted as a wrong passphrase" [ "$(sql "SELECT failed_logins FROM staff WHERE name = 'carol';")" -eq 0 ]
# RAISE: alice's role raised in the staff table too (the staff table is not who may manage staff)
fresh kdf_raised
tri admin "$ADMIN\n" backup "$tmp/kdf_raised.backup"
check "set up: the centre's backup, before the attack" [ "$rc" -eq 0 ]
sql "UPDATE staff SET role = 'supervisor' WHERE name = 'alice';"
att kdf-entry "$ALICE" alice carol 4 1073741824
sql "UPDATE staff SET role = 'reception' WHERE name = 'alice';"
"$A" peak-rss "$tmp/rss" sh -c "printf '%s\n' '$CAROL' | '$T' --config '$tmp/config.ini' --db '$DB' --user carol --passphrase-fd 0 client find Client" >/dev/null 2>"$tmp/cerr"
check "role raised in the file for the entry: carol's login still refused before deriving" grep -q "refused as tampering before deriving" "$tmp/cerr"
check "...peak under 100 MiB" [ "$(cat "$tmp/rss")" -lt 102400 ]
check "...not counted as a wrong passphrase" [ "$(sql "SELECT failed_logins FROM staff WHERE name = 'carol';")" -eq 0 ]
check "...saying the way out: no reset while the trail has a problem, a restore" grep -q "puts the file back from the newest backup with \`triage restore\`" "$tmp/cerr"
tri admin "$ADMIN\n$CAROL\n" user passwd carol
check "a supervisor's reset is indeed refused (nothing is handed out while the trail has a problem)" [ "$rc" -ne 0 ]
tri admin "$ADMIN\n" restore "$tmp/kdf_raised.backup"
check "the supervisor restores the backup from before" [ "$rc" -eq 0 ]
tri carol "$CAROL\n" client find "Client"
check "...and carol logs in again" [ "$rc" -eq 0 ]
# a supervisor's own staff_kdf entries (a reset) still count
tri admin "$ADMIN\n$CAROL\n" user passwd carol
check "a supervisor's reset of carol (an entry by someone who may manage staff)" [ "$rc" -eq 0 ]
tri admin "$ADMIN\n" verify
check "...verify sound" [ "$rc" -eq 0 ]

# 4. attack_keylesslock: the unsigned lock entry of a failed login, appended with no key, naming the supervisor
fresh keyless
att keyless-lock "" admin
check "set up: the unsigned lock entry appended with no key" [ "$rc" -eq 0 ]
tri admin "$ADMIN\n" client find "Client"
check "the supervisor's login is refused (a lock refuses; the table's lock anyone could set as well)" [ "$rc" -ne 0 ]
check "...saying it is a lock by failed logins, an unsigned entry" has_err "locked in the audit trail by too many failed logins (an unsigned entry"
check "...not calling it signed" sh -c '! grep -q "in the signed audit trail" "$1"' x "$tmp/err"

# 5. attack_init: a second `init`, signed with reception's own key, and her table role raised to match
fresh init
att append-signed "$ALICE" alice init "$(sql "SELECT id FROM staff WHERE name = 'alice';")" "database created"
check "set up: alice appends a second init entry signed by herself, the head re-signed" [ "$rc" -eq 0 ]
sql "UPDATE staff SET role = 'supervisor' WHERE name = 'alice';"
tri admin "$ADMIN\n" verify
check "a second init: verify is not sound" [ "$rc" -ne 0 ]
check "...naming it forged" has_err "alice writes a second \`init\` (the database was created by entry [0-9]*): forged"
tri admin "$ADMIN\n" user role bob reception
check "the routine rotation after it hands nothing out" [ "$rc" -ne 0 ]
out=$(printf '%s\n' "$ALICE" | "$A" read-notes "$tmp/config.ini" "$DB" alice 2>/dev/null)
check "...and alice opens no note" sh -c 'printf "%s" "$1" | grep -q "opened 0 of"' x "$out"

# 6. attack_demote_revert_opendesk: the trail cut under an open desk (the seen record is this account's)
fresh opendesk
att desk-cut "$CAROL" carol
check "set up: carol's desk open, the trail cut behind it, then a draft saved there" [ "$rc" -eq 0 ]
check "...the open desk's write is refused: the trail ends before what this account saw" \
    has_out "cut: refused: .* is older than the database this account last opened at that path: its audit trail ends before what this account saw"
# ...and the cut staged by someone holding the write lock as the desk starts its write, committed 1.5 s later: the
# seen check runs under the lock, on what the write reads (tenth attacker: checked before waiting, it passed)
fresh opendeskheld
att desk-cut-held "$CAROL" carol
check "set up: carol's desk open, the cut staged under the write lock, committed while the desk waits" [ "$rc" -eq 0 ]
check "...the open desk's write is refused: the trail ends before what this account saw" \
    has_out "cut: refused: .* is older than the database this account last opened at that path: its audit trail ends before what this account saw"

# 6b. a draft discarded by its tag while someone holding the write lock changes it (another desk's save of new
# answers), committed 1.5 s later: the tag is checked under the lock, on what the delete removes (attacker round 13:
# checked before waiting, it matched the old row and another desk's RED answers were deleted)
fresh discardrace
att discard-race "$ALICE" alice
check "set up: alice's draft changed under the write lock while her desk discards it by its tag" [ "$rc" -eq 0 ]
check "...nothing is discarded, said so" has_out "discard: refused: Nothing discarded"
check "...and the draft is still there" has_out "draft: there"

# 7. a locked supervisor signs his own unlock (and 1 GiB for a clinician) with the key he still has
fresh lockedsup
tri admin "$ADMIN\nsam-passphrase-12\n" user add sam --role supervisor
tri admin "$ADMIN\n" user lock sam
check "set up: sam, a supervisor, locked" [ "$rc" -eq 0 ]
att append-signed "sam-passphrase-12" sam staff_unlock "$(sql "SELECT id FROM staff WHERE name = 'sam';")" ""
check "set up: locked sam appends a signed unlock of himself" [ "$rc" -eq 0 ]
sql "UPDATE staff SET locked = 0, failed_logins = 0 WHERE name = 'sam';"
tri admin "$ADMIN\n" verify
check "verify names his unlock as forged (the trail had locked him)" has_err "sam did staff_unlock, but the trail had locked them (entry [0-9]*): forged"
tri sam "sam-passphrase-12\n" client find "Client"
check "...and his login is still refused" [ "$rc" -ne 0 ]
fresh lockedkdf
tri admin "$ADMIN\nsam-passphrase-12\n" user add sam --role supervisor
tri admin "$ADMIN\n" user lock sam
att append-signed "sam-passphrase-12" sam staff_kdf "$(sql "SELECT id FROM staff WHERE name = 'carol';")" "alg:2 ops:4 mem:1073741824 salt:00"
check "set up: locked sam signs a staff_kdf entry for carol (no login: his key from his passphrase)" [ "$rc" -eq 0 ]
tri admin "$ADMIN\n" verify
check "a locked supervisor's staff_kdf entry for a clinician: forged" has_err "sam did staff_kdf, but the trail had locked them"

# 8. tenth attacker: a receptionist locked by a supervisor cuts the lock from the trail, appends a `restore` entry of
# her own ("content replaced by a verified backup (restore 1)") signed with her key, re-signs the head and raises
# meta restore_generation: every account, the supervisor's included, took it for a `triage restore`
fresh forgedrestore
tri alice "$ALICE\n" client find "Client"
tri admin "$ADMIN\n" user lock alice
check "set up: alice locked by the supervisor, whose account saw it" [ "$rc" -eq 0 ]
att append-signed "$ALICE" alice restore "" "content replaced by a verified backup (restore 1)"
check "set up: alice appends a restore entry signed by herself" [ "$rc" -eq 0 ]
sql "UPDATE staff SET locked = 0 WHERE name = 'alice'; INSERT OR REPLACE INTO meta(key, value) VALUES ('restore_generation', CAST('1' AS BLOB));"
rm -f "$DB-mark"
tri admin "$ADMIN\n" verify
check "the supervisor's account does not take it for a restore: refused" [ "$rc" -ne 0 ]
check "...saying the restore entry a triage restore writes is missing (a supervisor's)" has_err "restore generation was raised without the .restore. entry a triage restore writes"
XDG_STATE_HOME="$tmp/fresh-state" tri admin "$ADMIN\n" verify
check "an account that never saw the file: verify names the restore entry as not a supervisor's" has_err "alice did restore, which needs a supervisor"
# 9. eleventh and twelfth attackers: an older copy (from before an erasure) put back with a forged restore row, a
# random signature under a supervisor's id (no key needed), and meta restore_generation raised: the seen record,
# reading the file alone, let it through, and the erased client was found again. The login now asks the signed
# trail whether a restore entry vouches for that generation: reception is refused; a supervisor still logs in, to
# verify and restore
fresh replayed
tri alice "$ALICE\n" client find "Client"
sql "SELECT 1" >/dev/null
cp "$DB" "$tmp/replayed.old"
cp "$DB-mark" "$tmp/replayed.old-mark" # the mark triage writes beside it, copied with it
sup=$(sql "SELECT id FROM staff WHERE role = 'supervisor' LIMIT 1")
sqlite3 "$tmp/replayed.old" "INSERT INTO audit(seq, at, staff_id, action, object_id, detail, hash, sig) VALUES ((SELECT max(seq) + 1 FROM audit), strftime('%s', 'now'), '$sup', 'restore', '', 'content replaced by a verified backup (restore 1)', randomblob(32), randomblob(64)); INSERT OR REPLACE INTO meta(key, value) VALUES ('restore_generation', CAST('1' AS BLOB));"
tri alice "$ALICE\n" client find "Client"
cp "$tmp/replayed.old" "$DB"
cp "$tmp/replayed.old-mark" "$DB-mark"
rm -f "$DB-wal" "$DB-shm"
tri alice "$ALICE\n" client find "Client"
check "an older copy with a forged restore row: reception's login refused" [ "$rc" -ne 0 ]
check "...saying no signed restore entry vouches for the generation" has_err "no restore entry of the signed audit trail vouches for it"
sql "UPDATE staff SET role = 'supervisor' WHERE name = 'alice'"
tri alice "$ALICE\n" client find "Client"
check "...her role raised in the staff table too: still refused (the trail's role counts)" [ "$rc" -ne 0 ]
sql "UPDATE staff SET role = 'reception' WHERE name = 'alice'"
tri admin "$ADMIN\n" verify
check "...a supervisor logs in, and verify names the forged row" has_err "does not follow from the one before"
finish
