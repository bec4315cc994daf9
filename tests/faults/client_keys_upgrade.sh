#!/bin/sh
# The upgrade to per-client keys (schema 11, core/records/client_keys.h) killed with SIGKILL in the middle and
# resumed. A database made by main's code before it (tests/fixtures/records/main_v9_clients.sql: 30 clients,
# their intakes, notes and queue reasons, all under the data key) is opened by a login whose upgrade re-seals 7
# clients per transaction (TRIAGE_TEST_CKEY_BATCH) and is killed (TRIAGE_TEST_KILL_AT, the test build's kill -9)
# right after its second batch committed. What must hold: the 14 clients of the two batches have their keys and
# every value of theirs is under it, the other 16 are untouched, a second kill keeps its batch too, the
# next login resumes and finishes (meta client_keys 'sealed', audited once), every value of a client is then
# under its own key, verify is sound, and every client is found and opens as before.
# Without the batches (one transaction for all) the kill leaves no client keyed; without the resume the
# remaining clients stay under the data key: both fail here.
# Usage: tests/faults/client_keys_upgrade.sh ./triage-test   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage-test}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp ckey
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW TRIAGE_TEST_KILL_AT TRIAGE_TEST_CKEY_BATCH
mkdir -p "$HOME"
test_config "$tmp/config.ini"
command -v sqlite3 >/dev/null 2>&1 || { bad "sqlite3 command-line tool missing (make deps installs it)"; finish; }
DB="$tmp/upgraded.db"
ADMIN=admin-passphrase-1 ALICE=alice-passphrase-1 BOB=bob-passphrase-123
sql() { sqlite3 "$DB" "$1"; }
keyed() { sql "SELECT count(*) FROM client_keys"; }
# values of clients (name, phone, birth), intake bodies and queue reasons still under the data key (format 1)
legacy_values() {
    sql "SELECT (SELECT count(*) FROM clients WHERE substr(name_ct, 1, 1) = x'01' OR substr(phone_ct, 1, 1) = x'01'
         OR substr(birth_ct, 1, 1) = x'01') + (SELECT count(*) FROM intakes WHERE substr(body_ct, 1, 1) = x'01')
         + (SELECT count(*) FROM queue_events WHERE substr(reason_ct, 1, 1) = x'01')"
}
# clients with a key whose values are not all under it (format 3)
mixed() {
    sql "SELECT count(*) FROM clients AS c WHERE EXISTS (SELECT 1 FROM client_keys AS k WHERE k.client_id = c.id) AND
         (substr(c.name_ct, 1, 1) <> x'03' OR EXISTS (SELECT 1 FROM intakes AS i WHERE i.client_id = c.id AND
         substr(i.body_ct, 1, 1) <> x'03') OR EXISTS (SELECT 1 FROM queue_events AS e JOIN queue_items AS q ON
         q.id = e.item_id WHERE q.client_id = c.id AND e.reason_ct IS NOT NULL AND substr(e.reason_ct, 1, 1) <> x'03'))"
}

{ cat tests/fixtures/records/main_v9_clients.sql
  echo "PRAGMA application_id = 1414678855; PRAGMA user_version = 9; PRAGMA journal_mode = WAL;"; } | sqlite3 "$DB" >/dev/null
check_v9() { [ "$(sql "PRAGMA user_version")" -eq 9 ] && [ "$(sql "SELECT count(*) FROM clients")" -eq 30 ] &&
    [ "$(legacy_values)" -gt 60 ]; }
rc=0 out= err=
check "the fixture: schema 9, 30 clients, every value under the data key" check_v9

# 1. killed after two batches of 7
printf '%s\n' "$ALICE" >"$tmp/p"
TRIAGE_TEST_CKEY_BATCH=7 TRIAGE_TEST_KILL_AT=client_keys_batch:2 "$T" --config "$tmp/config.ini" --db "$DB" \
    --user alice --passphrase-fd 3 client find "Upgrade Client01 Zorblax" 3<"$tmp/p" >"$tmp/out" 2>"$tmp/err"
rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
check "the login was killed in the middle of the upgrade (SIGKILL)" [ "$rc" -eq 137 ]
check "...schema 11 or later now" [ "$(sql "PRAGMA user_version")" -ge 11 ]
check "...two batches committed: 14 clients keyed" [ "$(keyed)" -eq 14 ]
check "...every value of those 14 under its client's key" [ "$(mixed)" -eq 0 ]
check "...the other 16 untouched, under the data key" [ "$(sql "SELECT count(*) FROM clients WHERE substr(name_ct, 1, 1) = x'01'")" -eq 16 ]
check "...not marked finished" [ "$(sql "SELECT CAST(value AS TEXT) FROM meta WHERE key = 'client_keys'")" = legacy ]

# 2. a copy of the half-done file, killed again after one more batch: each kill keeps what was committed
cp "$DB" "$tmp/half.db"
[ ! -f "$DB-wal" ] || cp "$DB-wal" "$tmp/half.db-wal"
printf '%s\n' "$ADMIN" >"$tmp/p"
TRIAGE_TEST_CKEY_BATCH=7 TRIAGE_TEST_KILL_AT=client_keys_batch:1 "$T" --config "$tmp/config.ini" --db "$tmp/half.db" \
    --user admin --passphrase-fd 3 verify 3<"$tmp/p" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a second kill after one more batch: 21 keyed" [ "$(sqlite3 "$tmp/half.db" "SELECT count(*) FROM client_keys")" -eq 21 ]

# 3. the next login resumes and finishes
printf '%s\n' "$ALICE" >"$tmp/p"
"$T" --config "$tmp/config.ini" --db "$DB" --user alice --passphrase-fd 3 client find "Upgrade Client30 Zorblax" \
    3<"$tmp/p" >"$tmp/out" 2>"$tmp/err"
rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
check "the next login resumes: the search works" has_out "Upgrade Client30 Zorblax"
check "...every client keyed" [ "$(keyed)" -eq 30 ]
check "...no value of a client left under the data key" [ "$(legacy_values)" -eq 0 ]
check "...every value of each client under its own key" [ "$(mixed)" -eq 0 ]
check "...marked finished" [ "$(sql "SELECT CAST(value AS TEXT) FROM meta WHERE key = 'client_keys'")" = sealed ]
check "...audited once" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'client_keys'")" -eq 1 ]
printf '%s\n' "$ADMIN" >"$tmp/p"
"$T" --config "$tmp/config.ini" --db "$DB" --user admin --passphrase-fd 3 verify 3<"$tmp/p" >"$tmp/out" 2>"$tmp/err"
rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
check "verify: sound at the end" has_out "^sound"

# 4. everything opens as before: a client of each batch, and of the resumed part, by name and by phone
for n in 01 07 08 14 15 22 30; do
    printf '%s\n' "$BOB" >"$tmp/p"
    "$T" --config "$tmp/config.ini" --db "$DB" --user bob --passphrase-fd 3 client find "555 01$n" 3<"$tmp/p" >"$tmp/out" 2>"$tmp/err"
    rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
    check "client $n found by phone, its name and birth date opened" sh -c 'printf "%s" "$1" | grep -q "Upgrade Client$2 Zorblax" && printf "%s" "$1" | grep -q "1990-01-$2"' x "$out" "$n"
done
# every intake exported, with its client's name and its answers (verify above opened every value, the notes and
# the queue reasons among them)
printf '%s\n' "$ADMIN" >"$tmp/p"
"$T" --config "$tmp/config.ini" --db "$DB" --user admin --passphrase-fd 3 export --format json --out "$tmp/all.jsonl" \
    3<"$tmp/p" >"$tmp/out" 2>"$tmp/err"
rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
check "every intake exported with its client's name" [ "$(grep -c 'Upgrade Client[0-9]* Zorblax' "$tmp/all.jsonl")" -eq 30 ]
finish
