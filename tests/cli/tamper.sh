#!/bin/sh
# The level and deadline the queues read in clear are bound to the sealed record by row MACs
# (core/records/rowmac.h): an edit of the file with sqlite3 (red to green, a deadline a week later, a MAC nulled
# after the upgrade, a MAC copied from another row) is caught by `verify` (naming the table and row, exit
# non-zero), shown as TAMPERED and read as red by `queue --user`, on the queue screen and in the record view,
# and the export writes the sealed level. A keyless `queue tick` raises and stays sound; an edit made on
# top of a tick's raise is still caught.
# Usage: tests/cli/tamper.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp tamper
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset TRIAGE_CONFIG NO_COLOR
mkdir -p "$HOME"
test_config "$tmp/config.ini"
GOOD="$tmp/good.db"
DB="$GOOD"
T0=1795000000
export TRIAGE_NOW=$T0

P=admin-passphrase-1 R=desk-passphrase-12 C=clin-passphrase-12

if ! command -v sqlite3 >/dev/null 2>&1; then
    bad "sqlite3 command-line tool missing (make deps installs it)"
    finish
fi

tri admin "$P\n" init
tri admin "$P\n$R\n" user add desk --role reception
tri admin "$P\n$C\n" user add clin --role clinician
for pair in "red:Ruth Redmond" "yellow:Yusuf Yates"; do
    lv=${pair%%:*} name=${pair#*:}
    sed "s/^{/{\"client\":{\"name\":\"$name\",\"phone\":\"555 0100\"},/" assets/examples/$lv.json >"$tmp/$lv.json"
    tri desk "$R\n" intake new "$tmp/$lv.json"
    check "set up: the $lv intake saved" has_out "\"level\":\"$lv\""
done
sql() { sqlite3 "$DB" "$1"; }
sqlite3 "$GOOD" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
RED_ITEM=$(sqlite3 "$GOOD" "SELECT id FROM queue_items WHERE level = 'red'")
YEL_ITEM=$(sqlite3 "$GOOD" "SELECT id FROM queue_items WHERE level = 'yellow'")
RED_INTAKE=$(sqlite3 "$GOOD" "SELECT id FROM intakes WHERE level = 'red'")
RED_CLIENT=$(sqlite3 "$GOOD" "SELECT client_id FROM intakes WHERE level = 'red'")
check "set up: one red and one yellow item" [ -n "$RED_ITEM" ] && [ -n "$YEL_ITEM" ]
check "every queue item and intake has its MAC" \
    [ "$(sqlite3 "$GOOD" "SELECT count(*) FROM queue_items WHERE mac IS NULL") $(sqlite3 "$GOOD" "SELECT count(*) FROM intakes WHERE mac IS NULL")" = "0 0" ]

tri admin "$P\n" verify
check "the untouched database verifies" [ "$rc" -eq 0 ]
check "...and says how many row MACs it checked (2 items, 2 intakes, 2 report facts)" has_out "6 row MACs verified"
tri admin "$P\n" report
check "report: says when the levels' MACs were last checked, and sound" has_out "last checked their row MACs .*: sound"
tri desk "$R\n" queue
check "queue --user: nothing tampered" sh -c '! printf "%s" "$1" | grep -q TAMPERED' x "$out"

# a fresh copy of the good database for each edit
copy() { DB="$tmp/$1.db"; cp "$GOOD" "$DB"; }

# 1. red -> green in the clear columns (queue item, intake and its report facts)
copy green
sql "UPDATE queue_items SET level = 'green' WHERE id = '$RED_ITEM'; UPDATE intakes SET level = 'green' WHERE id = '$RED_INTAKE'; UPDATE intake_facts SET level = 'green' WHERE id = '$RED_INTAKE'"
tri admin "$P\n" verify
check "red->green: verify fails" [ "$rc" -ne 0 ]
check "...naming the table and the row" has_err "tampering: queue_items row $RED_ITEM"
check "...and counting the other edited rows" has_err "and 2 more rows"
tri desk "$R\n" queue
check "queue --user: the item is marked TAMPERED" has_out "^$(printf %.8s "$RED_ITEM")  red .*TAMPERED"
check "...and read as red, at the top" sh -c 'printf "%s\n" "$1" | head -1 | grep -q "TAMPERED"' x "$out"
check "...and the listing says so on stderr" has_err "1 open item failed the row MAC check"
tri desk "$R\n" queue --json
check "queue --json: tampered, level red" has_out "\"id\":\"$RED_ITEM\",\"client_id\":\"[^\"]*\",\"level\":\"red\",\"tampered\":true"
nol queue
check "queue without a login: says the rows were not checked" has_err "rows not checked for tampering"
tri admin "$P\n" export --format json --out "$tmp/green.jsonl"
check "export: the sealed level (red), not the edited one" grep -q "\"intake\":\"$RED_INTAKE\".*\"level\":\"red\"" "$tmp/green.jsonl"
check "export: the edited level is not written" sh -c '! grep -q "\"level\":\"green\"" "$1"' x "$tmp/green.jsonl"
tri desk "$R\n" queue ack "$RED_ITEM"
check "reception cannot act on a tampered item (it would re-MAC the edit)" has_err "tampering: queue item"
tri admin "$P\n" verify
check "...and the item is still reported" [ "$rc" -ne 0 ]
tri admin "$P\n" audit checkpoint
sqlite3 "$DB" "SELECT action, detail FROM audit WHERE action = 'tamper_detected'" >"$tmp/audit"
check "verify's finding is in the audit" grep -q "queue_items row $RED_ITEM" "$tmp/audit"
tri admin "$P\n" report
check "report: marks its levels as found tampered by the last verify" has_out "TAMPERING FOUND"

# the queue screen and the record view (TRIAGE_SCRIPT dumps)
D=$tmp/dump
mkdir -p "$D"
{
    printf 'type %s\nkey enter\n' "$R"
    echo "key e"
    echo "key 4"
    echo "dump $D/green_tab"
    echo "key enter"
    echo "dump $D/record"
    echo "key q"
} >"$tmp/desk.script"
TRIAGE_SCRIPT="$tmp/desk.script" LINES=30 COLUMNS=110 timeout 60 "$T" --config "$tmp/config.ini" --db "$DB" --user desk \
    >"$tmp/tui.out" 2>&1
expect() { if grep -q -- "$3" "$2" 2>/dev/null; then ok "$1"; else bad "$1 (looked for: $3)" "$(head -40 "$2" 2>/dev/null)"; fi; }
absent() { if [ -f "$2" ] && ! grep -q -- "$3" "$2"; then ok "$1"; else bad "$1 (should not show: $3)" "$(head -40 "$2" 2>/dev/null)"; fi; }
expect "queue screen: the edited row says TAMPERED" "$D/green_tab" "TAMPERED"
absent "queue screen: ...not GREEN" "$D/green_tab" "R.R. .*GREEN"
expect "record view: TAMPERED with the reason" "$D/record" "TAMPERED: this row was edited"
expect "record view: the intake shows the sealed level (red)" "$D/record" "[0-9][0-9]:[0-9][0-9]  RED  "
absent "record view: the edited level is not shown" "$D/record" "  green  "

# 2. a deadline pushed a week later
copy deadline
sql "UPDATE queue_items SET deadline = deadline + 7 * 86400 WHERE id = '$RED_ITEM'"
tri admin "$P\n" verify
check "deadline +1 week: verify fails naming the row" has_err "tampering: queue_items row $RED_ITEM"
tri desk "$R\n" queue
check "deadline +1 week: marked TAMPERED" has_out "TAMPERED"

# 3. a MAC nulled after the upgrade: never 'to be filled in'
copy nulled
sql "UPDATE queue_items SET mac = NULL WHERE id = '$RED_ITEM'"
tri desk "$R\n" queue
check "MAC nulled: a login does not bless the row" has_out "TAMPERED"
tri admin "$P\n" verify
check "MAC nulled: verify fails, MAC missing" has_err "tampering: queue_items row $RED_ITEM: its MAC is missing"
# ...not even with the upgrade's flag removed too
copy noflag
sql "UPDATE queue_items SET mac = NULL, level = 'green' WHERE id = '$RED_ITEM'; DELETE FROM meta WHERE key = 'rowmac'"
tri admin "$P\n" verify
check "MAC and meta flag removed: the login re-MACs nothing, verify fails" has_err "tampering: queue_items row $RED_ITEM"
check "...and the loss of the flag is audited" [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'tamper_detected' AND detail LIKE 'meta rowmac%'")" = 1 ]

# 4. a MAC copied from another row (with that row's clear values)
copy moved
sql "UPDATE queue_items SET (level, state, deadline, level_since, mac) = (SELECT level, state, deadline, level_since, mac FROM queue_items WHERE id = '$YEL_ITEM') WHERE id = '$RED_ITEM'"
tri admin "$P\n" verify
check "MAC copied from another row: verify fails" has_err "tampering: queue_items row $RED_ITEM"
copy moved_intake
sql "UPDATE intakes SET mac = (SELECT mac FROM intakes WHERE id <> '$RED_INTAKE' LIMIT 1) WHERE id = '$RED_INTAKE'"
tri admin "$P\n" verify
check "intake MAC copied from another row: verify fails" has_err "tampering: intakes row $RED_INTAKE"

# 5. an intake's clear level and MAC consistent, but not the sealed assessment's: caught too
copy intake_level
sql "UPDATE intakes SET level = 'green' WHERE id = '$RED_INTAKE'"
tri admin "$P\n" verify
check "intake level edited: verify names the intake" has_err "tampering: intakes row $RED_INTAKE"

# 5a. an older copy of the same row, with its own once-valid MAC, put back over a raise (yellow -> red)
copy replay
cp "$DB" "$tmp/replay_old.db"
tri desk "$R\n" queue raise "$YEL_ITEM" red --reason "sounded worse on the phone"
check "replay: the yellow item raised to red" [ "$rc" -eq 0 ]
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
sql "ATTACH '$tmp/replay_old.db' AS o; UPDATE queue_items SET (level, state, level_since, deadline, updated_at, mac, mac_state) = (SELECT level, state, level_since, deadline, updated_at, mac, mac_state FROM o.queue_items WHERE id = '$YEL_ITEM') WHERE id = '$YEL_ITEM'"
check "replay: the row reads yellow again" [ "$(sqlite3 "$DB" "SELECT level FROM queue_items WHERE id = '$YEL_ITEM'")" = yellow ]
tri admin "$P\n" verify
check "replay: verify finds the row older than its own history" has_err "tampering: queue_items row $YEL_ITEM: it is not the state its newest history step left"

# 5b. the report facts' level alone (what the KPIs count)
copy facts
sql "UPDATE intake_facts SET level = 'green' WHERE id = '$RED_INTAKE'"
tri admin "$P\n" verify
check "report facts red->green: verify names the facts row" has_err "tampering: intake_facts row $RED_INTAKE"

# 5c. the steps that change what the facts MAC covers re-MAC it: a confirmation, an erasure (new ids)
copy steps
tri desk "$R\n" queue ack "$RED_ITEM"
tri clin "$C\n" queue confirm "$RED_ITEM" --reason "evaluated: kept red, admitted"
check "a clinician confirms the red item" [ "$rc" -eq 0 ]
YEL_CLIENT=$(sqlite3 "$DB" "SELECT client_id FROM queue_items WHERE id = '$YEL_ITEM'")
tri admin "$P\n" client erase "$YEL_CLIENT"
check "a supervisor erases the yellow client" [ "$rc" -eq 0 ]
tri admin "$P\n" verify
check "after a confirmation and an erasure every row MAC verifies" [ "$rc" -eq 0 ]

# 6. a keyless tick raises and stays sound; an edit on top of the raise is caught
copy tick
export TRIAGE_NOW=$((T0 + 4 * 86400)) # past the yellow item's 72 hours
nol queue tick
check "keyless tick escalates the overdue items" has_out "escalated"
check "...and leaves the raised rows' MACs as they were" [ "$(sqlite3 "$DB" "SELECT count(*) FROM queue_items WHERE mac_state IS NOT NULL")" -ge 1 ]
tri admin "$P\n" verify
check "verify accepts a tick's raise" [ "$rc" -eq 0 ]
tri desk "$R\n" queue
check "queue --user: a tick's raise is not tampering" sh -c '! printf "%s" "$1" | grep -q TAMPERED' x "$out"
cp "$DB" "$tmp/tick2.db"
DB="$tmp/tick2.db"
sql "UPDATE queue_items SET deadline = deadline + 7 * 86400 WHERE id = '$YEL_ITEM'"
tri admin "$P\n" verify
check "a deadline pushed after a tick's raise: caught" has_err "tampering: queue_items row $YEL_ITEM"
DB="$tmp/tick.db"
tri clin "$C\n" queue ack "$YEL_ITEM"
check "a person's step after a tick re-MACs the row" [ "$rc" -eq 0 ] && [ "$(sqlite3 "$DB" "SELECT count(*) FROM queue_items WHERE id = '$YEL_ITEM' AND mac_state IS NULL")" = 1 ]
tri admin "$P\n" verify
check "...and it verifies" [ "$rc" -eq 0 ]
export TRIAGE_NOW=$T0

# 7. key rotation re-MACs every row under the new key
copy rekey
tri admin "$P\n" rekey
check "rekey" [ "$rc" -eq 0 ]
tri admin "$P\n" verify
check "after rekey every row MAC verifies under the new key" [ "$rc" -eq 0 ]
copy rekey_bad
sql "UPDATE queue_items SET level = 'green' WHERE id = '$RED_ITEM'"
tri admin "$P\n" rekey
tri admin "$P\n" verify
check "rekey does not bless an edited row" has_err "tampering: queue_items row $RED_ITEM"

finish
