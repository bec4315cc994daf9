#!/bin/sh
# Attack (outside attackers 13 and 14): someone with write access to the file deletes whole rows with the sqlite3
# shell between sessions: a clinician's intake with its note, or a RED client's queue item (the client then sits in
# no queue). Every other row still verified, so `verify` said sound.
# What must hold (core/records/trail_rows.h): an intake or a queue item the signed trail says was saved
# (intake_create, queue "enqueue") and the file lacks is named by verify, unless an erasure after it counts it
# (its signed entry says how many intakes and queue items it removed); a real erasure leaves verify sound.
# Usage: tests/attacks/rows_gone.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_attacker
att() { # SUBCOMMAND PASS ARGS...: the attacker's program with a passphrase on stdin
    sub=$1 apass=$2
    shift 2
    out=$(printf '%s\n' "$apass" | "$A" "$sub" "$tmp/config.ini" "$DB" "$@" 2>"$tmp/aerr"); rc=$?; err=$(cat "$tmp/aerr")
}

fresh() { # a centre of its own: bob's intake with a note, and a RED client's
    DB="$tmp/$1.db"
    centre
    intake bob "$BOB" "Client One" "bob wrote: high risk, call back tonight"
    printf '{"client":{"name":"Red Client","phone":"555 0199"},"language":"en","answers":{"phq9":[3,3,3,3,3,3,3,3,3]}}' >"$tmp/red.json"
    tri alice "$ALICE\n" intake new "$tmp/red.json"
    RED_CID=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
    iid=$(sql "SELECT id FROM intakes WHERE client_id <> '$RED_CID' LIMIT 1;")
    item=$(sql "SELECT id FROM queue_items WHERE client_id = '$RED_CID';")
}

fresh sound
check "set up: two intakes, the RED client in the queue" [ -n "$iid" ] && [ -n "$item" ] && [ -n "$RED_CID" ]
tri admin "$ADMIN\n" verify
check "as saved: verify sound" has_out "^sound"

# the whole intake: its row, its report facts, and the queue item and history that refer to it
gone() { sql "DELETE FROM queue_events WHERE item_id IN (SELECT id FROM queue_items WHERE intake_id = '$1');
DELETE FROM queue_items WHERE intake_id = '$1'; DELETE FROM intakes WHERE id = '$1'; DELETE FROM intake_facts WHERE id = '$1';"; }
fresh intake
gone "$iid"
tri admin "$ADMIN\n" verify
check "intake deleted: verify fails" [ "$rc" -ne 0 ]
check "...naming the intake and its signed entry" has_err "1 intake the signed trail says was saved is gone from the file, and nothing on the trail says where it went (the newest: intake $iid, audit entry [0-9]*)"

fresh item
sql "DELETE FROM queue_events WHERE item_id = '$item'; DELETE FROM queue_items WHERE id = '$item';"
tri admin "$ADMIN\n" verify
check "the RED client's queue item deleted: verify fails" [ "$rc" -ne 0 ]
check "...naming the item" has_err "1 queue item the signed trail says was made is gone from the file, and nothing on the trail says where it went (the newest: queue item $item, audit entry [0-9]*)"

# an erasure removes its client's intake and queue item, and its signed entry counts them: sound
fresh erased
tri admin "$ADMIN\n" client erase "$RED_CID"
check "set up: the RED client erased" [ "$rc" -eq 0 ]
check "...its entry counts the intake and the queue item" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'client_erase' AND detail = '1 intakes kept as de-identified facts, 0 drafts, 1 queue items'")" -eq 1 ]
check "...and names each (signed row_erased entries)" [ "$(sql "SELECT group_concat(detail, ',') FROM (SELECT detail FROM audit WHERE action = 'row_erased' ORDER BY detail)")" = "intake,queue item" ]
tri admin "$ADMIN\n" verify
check "erased: verify sound" has_out "^sound"
# an erasure accounts only for rows saved before it, and only for as many as it counts
intake bob "$BOB" "Client Three" "a later note"
later=$(sql "SELECT id FROM intakes WHERE id <> '$iid' ORDER BY created_at DESC, rowid DESC LIMIT 1;")
gone "$iid"
tri admin "$ADMIN\n" verify
# the erasure named the rows it took: the one deleted is named exactly (attacker 15: counted, it hid among them)
check "an intake saved before the erasure deleted too: verify names it" has_err "1 intake the signed trail says was saved is gone from the file, and nothing on the trail says where it went (the newest: intake $iid,"
gone "$later"
tri admin "$ADMIN\n" verify
check "...and one saved after it: two, the newest named" has_err "2 intakes the signed trail says were saved are gone from the file, and nothing on the trail says where they went (the newest: intake $later,"
# Attacker 15, item 2: the RED client's queue item closed and backdated eight years, its intake too, in the clear
# columns; the supervisor's routine retention then erased the client for good, verify sound. Retention and an
# erasure check the rows' MACs first: the client is kept, said, audited, and verify names the edited row.
fresh retention
sql "UPDATE queue_items SET state = 'closed', outcome = 'declined', updated_at = updated_at - 8 * 366 * 86400 WHERE client_id = '$RED_CID';
UPDATE intakes SET created_at = created_at - 8 * 366 * 86400 WHERE client_id = '$RED_CID';"
tri admin "$ADMIN\n" retention apply
check "retention: the RED client made to look closed long ago is kept" [ "$(sql "SELECT count(*) FROM clients WHERE id = '$RED_CID'")" -eq 1 ]
check "...and said so" has_out "kept 1 closed record due for erasure whose rows fail their row MACs, or that the signed trail does not show closed before the cutoff (the first: client $RED_CID)"
check "...audited" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'tamper_detected' AND object_id = '$RED_CID'")" -eq 1 ]
tri admin "$ADMIN\n" verify
check "...verify names the edited row" has_err "queue_items row $item: its MAC does not verify"

# Attacker 16: the same, with the rows' MACs computed again under the data key reception holds (the MACs then
# verify). Retention takes a client only as the signed trail has it: the item's last signed step is no close, and
# the intake's signed entry is not before the cutoff. Kept.
fresh remac
sql "UPDATE queue_items SET state = 'closed', outcome = 'declined', updated_at = updated_at - 8 * 366 * 86400 WHERE client_id = '$RED_CID';
UPDATE intakes SET created_at = created_at - 8 * 366 * 86400 WHERE client_id = '$RED_CID';"
att remac-client "$ALICE" alice "$RED_CID"
check "remac: reception computed the MACs again" [ "$rc" -eq 0 ]
tri admin "$ADMIN\n" retention apply
check "remac: the RED client is kept" [ "$(sql "SELECT count(*) FROM clients WHERE id = '$RED_CID'")" -eq 1 ]
check "...said so" has_out "kept 1 closed record due for erasure .* (the first: client $RED_CID)"

# Attacker 16: reception deleted the RED intake and its item, then signed row_erased entries naming them. A
# row_erased entry counts only from a role that may erase, as part of an erasure (its client_erase or retention
# entry after it): verify names the deletion, and the entries.
fresh forged
red_intake=$(sql "SELECT id FROM intakes WHERE client_id = '$RED_CID';")
gone "$red_intake"
att append-signed "$ALICE" alice row_erased "$red_intake" intake
att append-signed "$ALICE" alice row_erased "$item" "queue item"
tri admin "$ADMIN\n" verify
check "forged row_erased: verify fails" [ "$rc" -ne 0 ]
check "...naming a row_erased entry by a role that may not erase" has_err "did row_erased, which needs a supervisor"

# Attacker 15, item 4: the RED intake and its queue item moved to another client (clear columns), who is then
# erased: the erasure took them, counted honestly. An erasure refuses rows that fail their MACs: nothing erased.
fresh moved
other=$(sql "SELECT client_id FROM intakes WHERE id = '$iid';")
sql "UPDATE intakes SET client_id = '$other' WHERE client_id = '$RED_CID'; UPDATE queue_items SET client_id = '$other' WHERE id = '$item';"
tri admin "$ADMIN\n" client erase "$other"
check "moved: the erasure is refused" [ "$rc" -ne 0 ]
check "...naming the row that fails its MAC" has_err "nothing erased: .* of client $other is not as its row MAC and the signed trail have it"
check "...nothing erased" [ "$(sql "SELECT count(*) FROM intakes WHERE client_id = '$other'")" -eq 2 ]
# attacker 17: the same with the moved rows' MACs computed again (reception holds the data key): the intake's signed
# entry binds its client (a tag under the client's own key), so the erasure still refuses, and verify names it
att remac-client "$ALICE" alice "$other"
check "moved, MACs recomputed: reception did it" [ "$rc" -eq 0 ]
tri admin "$ADMIN\n" client erase "$other"
check "moved, MACs recomputed: the erasure is refused" has_err "nothing erased: intake .* of client $other is not as its row MAC and the signed trail have it (its signed audit entry names another client)"
tri admin "$ADMIN\n" verify
check "...verify names the moved intake" has_err "belongs to another client than its signed entry says"

# Attacker 15, item 5: a restore carries an erasure made after the backup as a restored_over entry, whose count
# hid an older RED intake deleted afterwards. A copy of an entry accounts for no row.
fresh restored
tri admin "$ADMIN\n" backup "$tmp/restored-backup.db"
printf '{"client":{"name":"Walk In","phone":"555 0142"},"language":"en","answers":{"phq9":[1,1,1,1,0,0,0,0,0]}}' >"$tmp/walkin.json"
tri alice "$ALICE\n" intake new "$tmp/walkin.json"
walkin=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
tri admin "$ADMIN\n" client erase "$walkin"
tri admin "$ADMIN\n" restore "$tmp/restored-backup.db"
check "set up: restored" [ "$rc" -eq 0 ]
tri admin "$ADMIN\n" verify
check "restored: verify sound" has_out "^sound"
red_intake=$(sql "SELECT id FROM intakes WHERE client_id = '$RED_CID';")
gone "$red_intake"
tri admin "$ADMIN\n" verify
check "restored, then the RED intake deleted: verify names it" has_err "1 intake the signed trail says was saved is gone from the file, and nothing on the trail says where it went (the newest: intake $red_intake,"
finish
