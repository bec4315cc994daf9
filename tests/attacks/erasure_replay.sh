#!/bin/sh
# Attack (issue 13): erasure undone by replaying rows. Someone with write access to the file and an older backup
# (made with `triage backup` before the erasure) copies every row of an erased client back into the live
# database with the sqlite3 shell (ATTACH + INSERT ... SELECT: its clients row with its old sealed key, its key
# row, its blind-index entries, intakes, queue items and their history, its report facts). Before per-client
# keys the client came back: found by name, opened, and `verify` said sound.
# What must hold (core/records/client_keys.h): after the erasure neither the client's name nor its sealed key's
# bytes are anywhere in the database's files; after the replay nothing of the client opens: `client find` by name
# and by phone reports the replayed rows of an erased client by its id, `verify` fails naming the client id, an
# export refuses its intake, a queue step on its replayed item is refused; erasing the client again puts it right
# (verify sound). Without the list of erased clients checked before any key is opened, the first checks after
# the replay fail (the old sealed key opens with the data key, which did not change).
# Usage: tests/attacks/erasure_replay.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3
NAME="Replay Zorblax Quux"
PHONE="555 0177 123"

centre
printf '{"client":{"name":"%s","phone":"%s","birth_date":"1985-04-03"},"language":"en","notes":"replay note","answers":{"phq9":[2,2,2,2,1,1,1,1,1]}}' \
    "$NAME" "$PHONE" >"$tmp/in.json"
tri alice "$ALICE\n" intake new "$tmp/in.json"
CID=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
check "set up: the client's intake saved" [ "$rc" -eq 0 ] && [ -n "$CID" ]
printf '{"client":{"name":"Other Person","phone":"555 0188 999"},"language":"en","answers":{"phq9":[1,1,1,1,0,0,0,0,0]}}' >"$tmp/in2.json"
tri alice "$ALICE\n" intake new "$tmp/in2.json"
ITEM=$(sql "SELECT id FROM queue_items WHERE client_id = '$CID'")
tri bob "$BOB\n" queue confirm "$ITEM" --reason "replay reason: evaluated"
check "set up: a queue step with a reason" [ "$rc" -eq 0 ]
KEY_HEX=$(sql "SELECT hex(key_ct) FROM client_keys WHERE client_id = '$CID'")
NAME_HEX=$(sql "SELECT hex(name_ct) FROM clients WHERE id = '$CID'")
check "set up: the client has its own key (73 bytes)" [ "${#KEY_HEX}" -eq 146 ]
tri admin "$ADMIN\n" backup "$tmp/older.db"
check "set up: a backup made before the erasure" [ "$rc" -eq 0 ]

tri admin "$ADMIN\n" client erase "$CID"
check "the client is erased" has_out "erased client $CID"
check "...on the list of erased clients" [ "$(sql "SELECT count(*) FROM meta WHERE key = 'erased:$CID'")" -eq 1 ]
# the files as they are after the erasure: the database and whatever WAL it has
hexdump_db() { cat "$DB" "$DB-wal" 2>/dev/null | od -An -v -tx1 | tr -d ' \n' | tr 'a-f' 'A-F'; }
hexdump_db >"$tmp/hex"
check "the name is nowhere in the files" sh -c "! cat '$DB' '$DB-wal' 2>/dev/null | grep -a -q 'Zorblax'"
check "...nor the bytes of its sealed key" sh -c "! grep -q '$KEY_HEX' '$tmp/hex'"
check "...nor the bytes of its sealed name" sh -c "! grep -q '$NAME_HEX' '$tmp/hex'"

# the replay: every row of the client copied back from the older backup
FACTS="id, client_key, created_at, level, channel, concerns, age_band, counselor, deadline, confirmed_at, confirmed_level,
first_contact_at, suggestions, declines, overdue, first_session_day, first_session_attended, sessions_attended,
last_session_day, closed_reason, closed_at, mac"
sql "ATTACH '$tmp/older.db' AS o;
INSERT INTO clients SELECT * FROM o.clients WHERE id = '$CID';
INSERT INTO client_keys SELECT * FROM o.client_keys WHERE client_id = '$CID';
INSERT INTO blind_index SELECT * FROM o.blind_index WHERE client_id = '$CID';
INSERT INTO intakes SELECT * FROM o.intakes WHERE client_id = '$CID';
INSERT INTO queue_items SELECT * FROM o.queue_items WHERE client_id = '$CID';
INSERT INTO queue_events SELECT * FROM o.queue_events WHERE item_id IN (SELECT id FROM o.queue_items WHERE client_id = '$CID');
INSERT OR IGNORE INTO intake_facts ($FACTS) SELECT $FACTS FROM o.intake_facts WHERE client_key = '$CID';" >/dev/null
check "the rows are back in the file" [ "$(sql "SELECT count(*) FROM clients WHERE id = '$CID'")" -eq 1 ] &&
    [ "$(sql "SELECT count(*) FROM client_keys WHERE client_id = '$CID'")" -eq 1 ] &&
    [ "$(sql "SELECT count(*) FROM intakes WHERE client_id = '$CID'")" -eq 1 ] &&
    [ "$(sql "SELECT count(*) FROM queue_events WHERE reason_ct IS NOT NULL AND item_id = '$ITEM'")" -eq 1 ] &&
    [ "$(sql "SELECT count(*) FROM intake_facts WHERE client_key = '$CID'")" -eq 1 ]

tri alice "$ALICE\n" client find "$NAME"
check "client find by name: the erased client is not found" sh -c "[ $rc -ne 0 ] && ! printf '%s' \"\$1\" | grep -q Zorblax" x "$out"
check "...it reports the replayed rows of the erased client, by its id" sh -c "printf '%s' \"\$1\" | grep -q 'client $CID was erased' && printf '%s' \"\$1\" | grep -q 'older copy'" x "$err"
tri alice "$ALICE\n" client find "$PHONE"
check "client find by phone: the same" sh -c "[ $rc -ne 0 ] && printf '%s' \"\$1\" | grep -q 'client $CID was erased'" x "$err"
check "...each search audited as tampering" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'tamper_detected' AND object_id = '$CID' AND detail = 'erased client replayed'")" -ge 2 ]
tri admin "$ADMIN\n" verify
check "verify fails" [ "$rc" -ne 0 ]
check "...naming the erased client's id and the replay" sh -c "printf '%s %s' \"\$1\" \"\$2\" | grep -q 'replayed: the client $CID was erased'" x "$out" "$err"
tri admin "$ADMIN\n" export --format json --out "$tmp/all.json"
check "an export refuses the replayed intake" sh -c "[ $rc -ne 0 ] && [ ! -s '$tmp/all.json' ]"
tri alice "$ALICE\n" queue decline "$ITEM" --reason "a step on a replayed item"
check "a queue step on the replayed item is refused, naming the erased client" sh -c "[ $rc -ne 0 ] && printf '%s' \"\$1\" | grep -q 'client $CID was erased'" x "$err"

tri alice "$ALICE\n" queue --json
check "queue --json lists the replayed item as tampered and red, not as an ordinary item (as an edited row)" \
    has_out "\"id\":\"$ITEM\",\"client_id\":\"$CID\",\"level\":\"red\",\"tampered\":true"

# the remedy: erase it again
tri admin "$ADMIN\n" client erase "$CID"
check "erasing the client again" has_out "erased client $CID"
tri admin "$ADMIN\n" verify
check "...verify is sound again" has_out "^sound"
tri alice "$ALICE\n" client find "Other Person"
check "...and the other client is found as before" has_out "Other Person"

# the list itself edited: the client's marker deleted in the file (so that replayed rows would open on the desks)
sql "DELETE FROM meta WHERE key = 'erased:$CID';"
tri admin "$ADMIN\n" verify
check "a marker deleted from the list of erased clients: verify names it against the signed trail" \
    sh -c "[ $rc -ne 0 ] && printf '%s %s' \"\$1\" \"\$2\" | grep -q 'the client $CID was erased (audit entry #[0-9]*) but is missing from the list'" x "$out" "$err"
finish
