#!/bin/sh
# Attack (outside attacker, round 3, item 2): a receptionist with the source and write access writes a note over
# a clinician's note in the current format (sealed to the clinical public key, which needs no secret), as
# tests/attacks/attacker.c forge-clinical-note does: unsigned (as every note was before), signed by herself, or
# signed by herself in the author's name with the author's signing key in meta replaced by her own.
# What must hold: every note is signed by its author inside the seal (clinical_key.c); the reader a clinician's
# record screen uses (intake_open, attacker read-intake) refuses a note that is unsigned or not its author's, as
# tampering, never showing it; verify names it. The reader takes the author's signing keys from the signed trail
# (audit_facts_of, read once per state of the trail), never from meta sign_pk alone, so a swapped key does not pass.
# Usage: tests/attacks/note_sign.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_attacker

forge() { # HOW TEXT
    printf '%s\n' "$ALICE" | "$A" forge-clinical-note "$tmp/config.ini" "$DB" alice "$iid" "$2" "$1" 2>"$tmp/aerr"
    rc=$?; err=$(cat "$tmp/aerr")
}
fresh() { # a centre of its own for each forgery, with bob's note on an intake
    DB="$tmp/$1.db"
    centre
    intake bob "$BOB" "Client One" "bob wrote: high risk, call back tonight"
    iid=$(sql "SELECT id FROM intakes LIMIT 1;")
}

fresh sound
read_intake bob "$BOB" "$iid"
check "the author's note reads as written (the signature header is not shown)" has_out "^NOTE bob wrote: high risk, call back tonight$"
read_intake admin "$ADMIN" "$iid"
check "...by a supervisor too" has_out "^NOTE bob wrote: high risk"
tri admin "$ADMIN\n" verify
check "verify: sound" has_out "^sound"

for how in unsigned self as-author; do
    fresh "$how"
    forge "$how" "no risk, safe to discharge; do not call back"
    check "$how: the attacker wrote her note over bob's" [ "$rc" -eq 0 ]
    if [ "$how" = as-author ]; then
        # round 4: the reader takes bob's signing keys from the signed trail (audit_facts_of), not meta sign_pk, so
        # another clinician's or a supervisor's screen refuses the forgery too (it showed it as bob's before)
        read_intake admin "$ADMIN" "$iid"
        check "$how: a supervisor's screen refuses it (the key in meta is not one the trail gave bob)" [ "$rc" -ne 0 ]
        check "$how: ...never shown as bob's" sh -c '! printf "%s" "$1" | grep -q "safe to discharge"' x "$out"
    else
        read_intake bob "$BOB" "$iid"
        check "$how: the clinician's record screen refuses it" [ "$rc" -ne 0 ]
        check "$how: ...as tampering, never shown as bob's" sh -c '! printf "%s" "$1" | grep -q "safe to discharge"' x "$out"
        check "$how: ...naming it" has_err "tampering detected: intake $iid does not open"
    fi
    tri admin "$ADMIN\n" verify
    check "$how: verify fails" [ "$rc" -ne 0 ]
    case $how in
        unsigned) check "$how: ...naming the note, unsigned" has_err "intakes.notes of record $iid is not its author's: it carries no signature" ;;
        self) check "$how: ...naming the note, signed by someone else" has_err "intakes.notes of record $iid is not its author's: it is signed by .*, who neither wrote it nor may vouch for it" ;;
        as-author) check "$how: ...naming the note: its signature is by none of bob's keys in the trail" \
            has_err "intakes.notes of record $iid is not its author's: its signature (by .*) does not verify" ;;
    esac
    if [ "$how" = as-author ]; then
        read_intake bob "$BOB" "$iid"
        check "$how: bob's own login puts his key back in meta: his screen refuses the forgery" [ "$rc" -ne 0 ]
        tri admin "$ADMIN\n" verify
        check "$how: ...and verify then names the note" has_err "intakes.notes of record $iid is not its author's: its signature (by .*) does not verify"
    fi
done

# Round 13: the same note, signed by herself, with the intake's created_by set to her and its row MAC recomputed
# (the reader took the author from that column, which anyone with the file sets). The author is the writer of the
# signed intake_create entry: verify names the intake.
fresh swap
out=$(printf '%s\n' "$ALICE" | "$A" swap-note "$tmp/config.ini" "$DB" alice "$iid" "client is fine, no follow-up needed" 2>"$tmp/aerr")
rc=$? err=$(cat "$tmp/aerr")
check "swap: alice wrote her note over bob's, as its author in the row" has_out "swapped: 1"
# the record screen's reader takes the author from the signed entry too (store op audit_first_of): the note is
# never shown as anyone's before verify runs
read_intake bob "$BOB" "$iid"
check "swap: the clinician's record screen refuses it" [ "$rc" -ne 0 ]
check "swap: ...never shown" sh -c '! printf "%s" "$1" | grep -q "client is fine"' x "$out"
check "swap: ...naming the moved author" has_err "tampering detected: intake $iid names another author than the one who saved it (audit entry [0-9]*)"
read_intake admin "$ADMIN" "$iid"
check "swap: ...a supervisor's too" [ "$rc" -ne 0 ]
tri admin "$ADMIN\n" verify
check "swap: verify fails" [ "$rc" -ne 0 ]
check "swap: ...naming the intake whose author was moved" has_err "intake $iid names another author than the one who saved it"
# attacker 16: the intake_create entry's writer set to her too (the trigger dropped and put back as it was): the
# reader checks the entry it takes (its hash from the one before it, its signature by its writer's keys)
alice_id=$(sql "SELECT id FROM staff WHERE name = 'alice';")
trigger=$(sql "SELECT sql FROM sqlite_master WHERE name = 'audit_no_update';")
sql "DROP TRIGGER audit_no_update; UPDATE audit SET staff_id = '$alice_id' WHERE object_id = '$iid' AND action = 'intake_create'; $trigger;"
read_intake bob "$BOB" "$iid"
check "swap and entry: the clinician's record screen refuses it" [ "$rc" -ne 0 ]
check "swap and entry: ...never shown" sh -c '! printf "%s" "$1" | grep -q "client is fine"' x "$out"
check "swap and entry: ...naming the entry that does not check" has_err "tampering detected: the audit entry that says who saved intake $iid (entry [0-9]*) does not check"
tri admin "$ADMIN\n" verify
check "swap and entry: verify names the edited entry" has_err "audit entry [0-9]* does not follow from the one before"
# attacker 17: the entry stripped of its signature with any 32 bytes as its MAC, or its action renamed so that the
# reader finds none: refused too
sql "DROP TRIGGER audit_no_update; UPDATE audit SET sig = NULL, mac = randomblob(32) WHERE object_id = '$iid' AND action = 'intake_create'; $trigger;"
read_intake bob "$BOB" "$iid"
check "unsigned entry: refused" has_err "tampering detected: the audit entry that says who saved intake $iid (entry [0-9]*) does not check"
sql "DROP TRIGGER audit_no_update; UPDATE audit SET action = 'intake_creat' WHERE object_id = '$iid' AND action = 'intake_create'; $trigger;"
read_intake bob "$BOB" "$iid"
check "entry renamed: refused" has_err "tampering detected: no audit entry says who saved intake $iid"
check "...never shown" sh -c '! printf "%s" "$1" | grep -q "client is fine"' x "$out"

# Round 13: a second clinician signs "nothing of note" over bob's note with her own key. Vouching for a note one did
# not write is a rotation's (it signs the notes it finds unsigned), never any clinician's at any time.
fresh colleague
CAROL=carol-passphrase-1
tri admin "$ADMIN\n$CAROL\n" user add carol --role clinician
printf '%s\n' "$CAROL" | "$A" forge-clinical-note "$tmp/config.ini" "$DB" carol "$iid" "nothing of note" self 2>"$tmp/aerr"
rc=$? err=$(cat "$tmp/aerr")
check "colleague: carol wrote her note over bob's, signed by herself" [ "$rc" -eq 0 ]
read_intake bob "$BOB" "$iid"
check "colleague: bob's screen refuses it" [ "$rc" -ne 0 ]
check "colleague: ...never shown as his" sh -c '! printf "%s" "$1" | grep -q "nothing of note"' x "$out"
tri admin "$ADMIN\n" verify
check "colleague: verify names it" has_err "intakes.notes of record $iid is not its author's: it is signed by .*, who neither wrote it nor may vouch for it"
finish
