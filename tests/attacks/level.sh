#!/bin/sh
# Attack: someone with write access edits an intake's clear level and its queue item from red to green
# (moving a client down the queue). Row MACs (core/records/rowmac.h) catch it: the queue marks the item
# TAMPERED and reads it as red, verify names the row. (tests/cli/tamper.sh has every column; this is the
# attack of issue 12's list, run against the release binary.)
# Without the row MACs (rowmac_check_queue always sound) the item is listed green.
# Usage: tests/attacks/level.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3

centre
printf '{"client":{"name":"Red Person"},"language":"en","answers":{"phq9":[3,3,2,3,2,3,2,1,2],"asq":["yes","yes","yes","no","yes"]}}' >"$tmp/in.json"
tri alice "$ALICE\n" intake new "$tmp/in.json"
check "set up: a red intake" has_out '"level":"red"'
item=$(sql "SELECT id FROM queue_items")
sql "UPDATE queue_items SET level = 'green' WHERE id = '$item'; UPDATE intakes SET level = 'green'; UPDATE intake_facts SET level = 'green';"
tri alice "$ALICE\n" queue
check "the queue marks the item TAMPERED" has_out "TAMPERED"
check "...and reads it as red" has_out "^$(printf %.8s "$item")  red"
tri admin "$ADMIN\n" verify
check "verify fails naming the row" has_err "tampering: queue_items row $item"
finish
