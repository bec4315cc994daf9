#!/bin/sh
# Attack: a receptionist with the source (tests/attacks/attacker.c read-notes) logs in with her own passphrase
# and tries every key that login reaches on every clinical note: the data key (which sealed notes before
# issue 12, and which every role holds), the clinical key sealed to her (none), and every clinical-key envelope
# in the file opened with her own secret key. What must hold: she opens none, not even her own; a clinician and
# a supervisor open them all. Also: notes written before the upgrade are re-sealed at the first clinician's or
# supervisor's login; a demoted or locked clinician's envelope is withdrawn and the key rotated, so an old
# envelope copied before and put back opens nothing new; a database made by main's code (fixture) upgrades
# at the first clinical login; someone with write access alone cannot plant a clinical public key of their
# own (new notes would be sealed to it): refused, naming it.
# Without the protection (notes sealed under the data key) the first checks fail.
# Usage: tests/attacks/notes.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_attacker
CAROL=carol-passphrase-1

# read-notes USER PASS: the attacker's run, output in $out
read_notes() { out=$(printf '%s\n' "$2" | "$A" read-notes "$tmp/config.ini" "$DB" "$1" 2>"$tmp/aerr"); rc=$?; err=$(cat "$tmp/aerr"); }

centre
tri admin "$ADMIN\n$CAROL\n" user add carol --role clinician
intake alice "$ALICE" "Client One" "alice wrote: sleeps badly since the move"
check "set up: a receptionist's intake with a note" [ "$rc" -eq 0 ]
intake bob "$BOB" "Client Two" "bob wrote: history of self-harm, see file"
check "set up: a clinician's intake with a note" [ "$rc" -eq 0 ]

# 1. the receptionist with the source
read_notes alice "$ALICE"
check "attacker ran as alice" [ "$rc" -eq 0 ]
check "reception opens no note (not through the data key, nor any envelope)" has_out "^opened 0 of 2"
check "...not even her own" sh -c '! printf "%s" "$1" | grep -q "sleeps badly"' x "$out"
check "...nor the clinician's" sh -c '! printf "%s" "$1" | grep -q "self-harm"' x "$out"
check "the file holds no envelope for reception" [ "$(sql "SELECT count(*) FROM meta WHERE key = 'clinical_key:' || (SELECT id FROM staff WHERE name = 'alice') AND length(value) > 0")" -eq 0 ]
read_notes bob "$BOB"
check "a clinician opens both" has_out "^opened 2 of 2"
read_notes admin "$ADMIN"
check "a supervisor opens both" has_out "^opened 2 of 2"

# 2. demotion: the clinical key is rotated, so carol's old envelope, kept and put back, opens nothing new
CAROL_ID=$(sql "SELECT id FROM staff WHERE name = 'carol'")
OLD_ENV=$(sql "SELECT hex(value) FROM meta WHERE key = 'clinical_key:$CAROL_ID'")
check "carol (clinician) was given the key" [ "${#OLD_ENV}" -eq 160 ]
tri admin "$ADMIN\n" user role carol reception
check "carol demoted to reception" [ "$rc" -eq 0 ]
check "...her envelope withdrawn" [ "$(sql "SELECT length(value) FROM meta WHERE key = 'clinical_key:$CAROL_ID'")" -eq 0 ]
intake bob "$BOB" "Client Three" "bob wrote: after the demotion"
sql "UPDATE meta SET value = X'$OLD_ENV' WHERE key = 'clinical_key:$CAROL_ID';"
read_notes carol "$CAROL"
check "demoted, old envelope put back: opens nothing" has_out "^opened 0 of 3"
sql "UPDATE staff SET role = 'clinician' WHERE name = 'carol';"
tri carol "$CAROL\n" client find "Client"
check "role raised in the file too: her login is refused, naming the clinical key" has_err "clinical key sealed to"
sql "UPDATE staff SET role = 'reception' WHERE name = 'carol';"

# 3. a lock: withdrawn and rotated as well; an unlock gives the current key back
tri admin "$ADMIN\n" user lock bob
check "bob locked" [ "$rc" -eq 0 ]
BOB_ID=$(sql "SELECT id FROM staff WHERE name = 'bob'")
check "...his envelope withdrawn" [ "$(sql "SELECT length(value) FROM meta WHERE key = 'clinical_key:$BOB_ID'")" -eq 0 ]
tri admin "$ADMIN\n" user unlock bob
read_notes bob "$BOB"
check "unlocked by a supervisor: bob reads the notes again" has_out "^opened 3 of 3"

# 4. the upgrade of a database made by main's code (schema 8, notes under the data key: any role opened them)
DB="$tmp/upgraded.db"
{ cat tests/fixtures/records/main_v8_notes.sql; echo "PRAGMA application_id = 1414678855; PRAGMA user_version = 8; PRAGMA journal_mode = WAL;"; } |
    sqlite3 "$DB" >/dev/null
read_notes alice "$ALICE"
check "before the upgrade's first clinical login: reception still opens the old notes (the gap the upgrade closes)" has_out "^opened 2 of 2"
check "...schema 9 or later now, notes still waiting" [ "$(sql "PRAGMA user_version")" -ge 9 ] && [ "$(sql "SELECT CAST(value AS TEXT) FROM meta WHERE key = 'clinical_notes'")" = legacy ]
tri bob "$BOB
" client find "Client"
check "a clinician's first login after the upgrade" [ "$rc" -eq 0 ]
check "...re-sealed every note under the clinical key, audited" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'clinical_key' AND detail LIKE 'clinical key rotated: 2 notes re-sealed pk:%'")" -eq 1 ]
check "...and recorded it" [ "$(sql "SELECT CAST(value AS TEXT) FROM meta WHERE key = 'clinical_notes'")" = sealed ]
read_notes alice "$ALICE"
check "after it: reception opens no note" has_out "^opened 0 of 2"
read_notes bob "$BOB"
check "the clinician opens both" has_out "^opened 2 of 2"
read_notes admin "$ADMIN"
check "the supervisor (given the key by the clinician's login) opens both" has_out "^opened 2 of 2"
tri admin "$ADMIN
" verify
check "verify: sound after the upgrade" has_out "^sound"
# issue 13 (schema 10): main's report facts, to the second, kept to the hour by the first login, MACed again
check "...the report facts from main kept to the hour at the first login, audited once" \
    [ "$(sql "SELECT count(*) FROM intake_facts WHERE created_at % 3600 = 0 AND deadline % 3600 = 0")/$(sql "SELECT count(*) FROM audit WHERE action = 'facts_hours'")" = 2/1 ]

# 5. write access alone: a clinical public key of the attacker's own is refused (its MAC is under the data key)
sql "UPDATE meta SET value = randomblob(64) WHERE key = 'clinical_pk';"
intake alice "$ALICE" "Client Four" "written after the plant"
check "planted clinical public key: the note is not sealed to it" [ "$rc" -ne 0 ]
check "...naming it" has_err "clinical public key"

# 6. (outside attacker, round 3) on a centre of its own: a note forged by reception in the old format (sealed
#    under the data key she holds) over a clinician's note, and the migration state set back to 'legacy' so that
#    the next clinical login makes a new key and seals it to whatever the staff table then holds
DB="$tmp/forge.db"
centre
intake bob "$BOB" "Client Five" "bob wrote: evaluated, high risk, call back tonight"
check "set up: a clinician's note, sealed to the clinical key" [ "$rc" -eq 0 ]
iid=$(sql "SELECT id FROM intakes WHERE created_by = (SELECT id FROM staff WHERE name = 'bob') LIMIT 1;")
printf '%s\n' "$ALICE" | "$A" forge-note "$tmp/config.ini" "$DB" alice "$iid" "no risk, safe to discharge; do not call back" 2>"$tmp/aerr"
rc=$?; err=$(cat "$tmp/aerr")
check "the attacker wrote an old-format note over it" [ "$rc" -eq 0 ]
# (the record screen opens notes through clinical_open_note, which refuses an old-format note once the notes are
# sealed to the clinical key: shown as tampering, never as the author's; the attacker program above opens with
# any key it holds, so it is not the reader to ask)
tri admin "$ADMIN\n" verify
check "verify names the old-format note written since the notes were sealed to the clinical key" has_err "intakes.notes of record $iid is sealed under the data key"
DB="$tmp/setback.db"
centre
intake bob "$BOB" "Client Six" "bob wrote: a note"
sql "UPDATE meta SET value = CAST('legacy' AS BLOB) WHERE key = 'clinical_notes';"
tri bob "$BOB\n" client find "Client Six"
check "state set back to legacy: the clinician's login is refused, no new key made" [ "$rc" -ne 0 ]
check "...naming it" has_err "meta clinical_notes) was set back in the file"
check "...and no second key was made" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'clinical_key'")" -eq 1 ]
tri admin "$ADMIN\n" verify
check "verify names the state set back" has_err "clinical_notes) was set back"
# 7. eleventh outside attacker: the key deleted from the file sent every desk's notes under the data key, which
# reception reads (core/records/clinical_key.c refuses now); and a note then emptied out of its row left verify
# "sound" (the sealed body now says the intake has a note)
DB="$tmp/nokey.db"
centre
intake alice "$ALICE" "Client Seven" "alice wrote: first note"
sql "DELETE FROM meta WHERE key = 'clinical_pk';"
intake alice "$ALICE" "Client Eight" "alice wrote: after the key was deleted"
check "the clinical key deleted from the file: a note is refused, not sealed under the data key" [ "$rc" -ne 0 ]
check "...naming it" has_err "is missing from the file"
read_notes alice "$ALICE"
check "...and reception still opens no note" has_out "^opened 0 of 1"
DB="$tmp/removed.db"
centre
intake alice "$ALICE" "Client Nine" "alice wrote: a note that will be removed"
sql "UPDATE intakes SET notes_ct = NULL;"
tri admin "$ADMIN\n" verify
check "a note emptied out of its row: verify is not sound" [ "$rc" -ne 0 ]
check "...naming the intake whose note was removed" has_err "was saved with a note (audit entry [0-9]*), and the note was removed"
finish
