#!/bin/sh
# Attack (outside attacker, round 3, item 2): a receptionist with the source and write access writes a note over
# a clinician's note in the current format (sealed to the clinical public key, which needs no secret), as
# tests/attacks/attacker.c forge-clinical-note does: unsigned (as every note was before), signed by herself, or
# signed by herself in the author's name with the author's signing key in meta replaced by her own.
# What must hold: every note is signed by its author inside the seal (clinical_key.c); the reader a clinician's
# record screen uses (intake_open, attacker read-intake) refuses a note that is unsigned or not its author's, as
# tampering, never showing it; verify names it. The swapped signing key in meta is what the reader trusts (it
# cannot walk the trail on each record); verify compares it with the signed trail and names it.
# Usage: tests/attacks/note_sign.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3
A="$(pwd)/build/release/tests/attacks/attacker"
[ -x "$A" ] || { bad "build/release/tests/attacks/attacker is missing (make test builds it)"; finish; exit 1; }

intake() { # USER PASS NAME NOTE
    printf '{"client":{"name":"%s","phone":"555 0100"},"language":"en","notes":"%s","answers":{"phq9":[1,1,1,1,0,0,0,0,0]}}' "$3" "$4" >"$tmp/in.json"
    tri "$1" "$2\n" intake new "$tmp/in.json"
}
read_intake() { # USER PASS INTAKE
    out=$(printf '%s\n' "$2" | "$A" read-intake "$tmp/config.ini" "$DB" "$1" "$3" 2>"$tmp/aerr"); rc=$?; err=$(cat "$tmp/aerr")
}
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
        # NOT PREVENTED at the reader: it trusts meta sign_pk (the trail vouches for it only in verify), so another
        # clinician's or a supervisor's screen shows the forgery as bob's until verify runs or bob logs in
        read_intake admin "$ADMIN" "$iid"
        check "$how: (known gap: a supervisor's screen takes the key in meta)" has_out "safe to discharge"
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
        as-author) check "$how: ...naming bob's signing key changed in the file (the head he signed no longer checks)" \
            has_err "the signing key of bob that audit entry .* introduced is not recorded\\|the head of the trail (entry .*) is not signed by $(sql "SELECT id FROM staff WHERE name = 'bob'")" ;;
    esac
    if [ "$how" = as-author ]; then
        read_intake bob "$BOB" "$iid"
        check "$how: bob's own login puts his key back in meta: his screen refuses the forgery" [ "$rc" -ne 0 ]
        tri admin "$ADMIN\n" verify
        check "$how: ...and verify then names the note" has_err "intakes.notes of record $iid is not its author's: its signature (by .*) does not verify"
    fi
done
finish
