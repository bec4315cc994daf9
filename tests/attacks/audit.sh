#!/bin/sh
# Attack: the record of who did what is rewritten by someone with write access to the file, and by a staff
# member of another role with the source. Each forgery is made on a copy; `verify` must name it:
#   - an entry removed, the chain recomputed (its hash uses no key) and the signatures stripped, so that the
#     next login would take the entries as written without a login (before issue 12 it sealed them and
#     verify said sound);
#   - the same removal re-signed with a clinician's own signing key (tests/attacks/attacker.c);
#   - an entry edited with the append-only triggers dropped and put back; entries deleted from the end;
#   - the whole trail rewritten in the legacy (pre-signature) format, head and sign_pk hints deleted.
# Entries written without a login are counted and located, and witnessed (never signed in place).
# Each check fails on a build without its protection (see the report of issue 12 for how it was shown).
# Usage: tests/attacks/audit.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_attacker

centre
printf '{"client":{"name":"Red Person"},"language":"en","answers":{"phq9":[3,3,2,3,2,3,2,1,2],"asq":["yes","yes","yes","no","yes"]}}' >"$tmp/in.json"
tri alice "$ALICE\n" intake new "$tmp/in.json"
check "set up: alice saves a red intake" has_out '"level":"red"'
tri bob "wrong-passphrase-9\n" client find x
check "a failed login (written without a login)" [ "$rc" -ne 0 ]
tri admin "$ADMIN\n" verify
check "verify: sound" has_out "^sound"
check "...counting the failed login as unauthenticated, and where" has_out "1 written without a login (unauthenticated): entries [0-9]"
wseq=$(sql "SELECT seq FROM audit WHERE action = 'audit_witness' ORDER BY seq DESC LIMIT 1")
check "the failed login was witnessed by the next signed entry, not signed in place" \
    [ "$(sql "SELECT count(*) FROM audit WHERE action = 'login_failed' AND sig IS NULL AND mac IS NULL")" -eq 1 ] && [ -n "$wseq" ]
victim=$(sql "SELECT seq FROM audit WHERE action = 'intake_create'")
sql "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$DB" "$tmp/clean.db"

forged() { # name: a fresh copy to forge
    cp "$tmp/clean.db" "$tmp/$1.db"
    DB_SAVE=$DB
    DB="$tmp/$1.db"
}
restore() { DB=$DB_SAVE; }

# 1. removed, re-chained, signatures stripped; then a login (which would have sealed them)
forged strip
"$A" strip "$DB" "$victim" || bad "attacker strip"
tri alice "$ALICE\n" client find x
tri admin "$ADMIN\n" verify
check "stripped signatures: verify fails" [ "$rc" -ne 0 ]
check "...naming the first entry that lost its signature" has_err "audit entry $victim (.*) has no signature"
restore

# 2. the same removal, re-signed by a clinician with the source
forged resign
printf '%s\n' "$BOB" | "$A" resign "$tmp/config.ini" "$DB" bob "$victim" || bad "attacker resign"
tri admin "$ADMIN\n" verify
check "re-signed by another staff member: verify fails" [ "$rc" -ne 0 ]
# the attacker's own open recorded the trail's head in DB-mark before the removal: the open may refuse the
# shortened trail first (issue 16, tryout 4), naming it as not the file triage last wrote
check "...naming the first entry not signed by its writer (or the shortened trail)" has_err "audit entry $victim is not signed by\|is not the file triage last wrote there: its audit trail"
restore

# 3. an entry edited, triggers dropped and put back as they were
forged edit
notrig="DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
retrig=$(sqlite3 "$DB" "SELECT group_concat(sql, '; ') || ';' FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit'")
sqlite3 "$DB" "$notrig UPDATE audit SET staff_id = (SELECT id FROM staff WHERE name = 'bob') WHERE seq = $victim; $retrig"
tri admin "$ADMIN\n" verify
check "an entry's author changed: named" has_err "audit entry $victim does not follow"
restore

# 4. the end of the trail deleted
forged truncate
last=$(sqlite3 "$DB" "SELECT max(seq) FROM audit")
sqlite3 "$DB" "$notrig DELETE FROM audit WHERE seq >= $((last - 1)); $retrig"
tri admin "$ADMIN\n" verify
check "entries deleted from the end: named as truncation" has_err "the trail was truncated: its signed head was entry $last"
restore

# 5. a signed entry made to look written without a login (its signature removed, no renumbering)
forged nosig
sqlite3 "$DB" "$notrig UPDATE audit SET sig = NULL WHERE seq = $victim; $retrig"
tri admin "$ADMIN\n" verify
check "one signature removed: named" has_err "audit entry $victim (intake_create by .*) has no signature"
restore

# 6. the whole trail rewritten in the pre-signature (legacy) format by the receptionist, MAC-sealed under the
#    data key she holds, the signed head and the sign_pk hints deleted; then staff log in (each would introduce
#    their key again by trust on first use). This database was created at schema 6 or later: it has no legacy
#    entries at all. Without the recorded start of signing, verify said sound.
forged legacy
printf '%s\n' "$ALICE" | "$A" legacy "$tmp/config.ini" "$DB" alice || bad "attacker legacy"
tri bob "$BOB\n" queue
tri alice "$ALICE\n" client find x
tri admin "$ADMIN\n" verify
check "a trail rewritten as legacy entries: verify fails" [ "$rc" -ne 0 ]
# (a trail with a problem no longer refuses a clinician's or supervisor's login, kept_key.sh: it refuses every
# note and key handout instead, so the supervisor's verify runs and names the rewrite itself)
check "...verify names the rewrite: entry 1 in the legacy format where the database signs from entry 1" \
    has_err "audit entry 1 is in the legacy format (a keyed seal, no signature), but this database signs every entry from entry 1: the trail was rewritten"
restore
forged legacy_nofrom
printf '%s\n' "$ALICE" | "$A" legacy "$tmp/config.ini" "$DB" alice yes || bad "attacker legacy yes"
tri admin "$ADMIN\n" verify
check "...and with the recorded start of signing deleted too: named" has_err "the point where this database started signing its audit trail (meta audit_signed_from) is missing: it was deleted"
restore
forged nohead
sqlite3 "$DB" "DELETE FROM meta WHERE key = 'audit_head'"
tri admin "$ADMIN\n" verify
check "the signed head deleted: named" has_err "the signed head of the .*trail is missing"
restore
forged nokey
bobid=$(sqlite3 "$DB" "SELECT id FROM staff WHERE name = 'bob'")
sqlite3 "$DB" "DELETE FROM meta WHERE key = 'sign_pk:$bobid'"
tri alice "$ALICE\n" client find x
tri admin "$ADMIN\n" verify
check "a sign_pk the trail introduced deleted: named" has_err "the signing key of bob that audit entry [0-9]* introduced is not recorded"
tri bob "$BOB\n" queue
tri admin "$ADMIN\n" verify
check "...and when bob's next login introduces it again himself: named" has_err "bob introduces their own key, but was enrolled"
restore
finish
