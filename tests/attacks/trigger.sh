#!/bin/sh
# Attack: someone with write access plants a trigger in the file that turns every new red intake and queue
# item green (it would run inside every desk's transactions), or a view, table or index of their own; or
# drops one of triage's. The schema is compared with what triage created, at open and by verify: anything
# else is refused by name and nothing runs on the file.
# Without the comparison (store_sqlite.c schema_as_created) the red intake saved after the plant is green.
# Usage: tests/attacks/trigger.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3

centre
sql "CREATE TRIGGER make_green AFTER INSERT ON queue_items BEGIN UPDATE queue_items SET level = 'green' WHERE id = new.id; END;
     CREATE TRIGGER make_green_too AFTER INSERT ON intakes BEGIN UPDATE intakes SET level = 'green' WHERE id = new.id; END;"
printf '{"client":{"name":"Red Person"},"language":"en","answers":{"phq9":[3,3,2,3,2,3,2,1,2],"asq":["yes","yes","yes","no","yes"]}}' >"$tmp/in.json"
tri alice "$ALICE\n" intake new "$tmp/in.json"
check "a planted trigger: the database is refused" [ "$rc" -ne 0 ]
check "...naming the trigger" has_err "unknown trigger \`make_green"
check "...and nothing was saved" [ "$(sql "SELECT count(*) FROM intakes")" -eq 0 ]
check "nothing was turned green" [ "$(sql "SELECT count(*) FROM queue_items WHERE level = 'green'")" -eq 0 ]
nol queue tick
check "a keyless tick is refused too" has_err "unknown trigger"
sql "DROP TRIGGER make_green; DROP TRIGGER make_green_too;"
tri alice "$ALICE\n" intake new "$tmp/in.json"
check "the trigger removed: the red intake is saved red" has_out '"level":"red"'
sql "CREATE VIEW everyone AS SELECT * FROM clients;"
tri admin "$ADMIN\n" verify
check "a planted view is named" has_err "unknown view \`everyone\`"
retrig=$(sql "SELECT sql || ';' FROM sqlite_schema WHERE type = 'trigger' AND name = 'audit_no_delete'")
sql "DROP VIEW everyone; DROP TRIGGER audit_no_delete;"
tri admin "$ADMIN\n" verify
check "one of triage's triggers dropped is named" has_err "the trigger \`audit_no_delete\` that triage created is missing"
sql "$retrig"

# A trigger named like SQLite's own statistics tables (sqlite_stat_x), planted with writable_schema: it
# silently drops every new red queue item (and its history). Only the tables sqlite_stat1..4 that ANALYZE makes may be skipped.
# Without the fix (the comparison skipped name LIKE 'sqlite_stat%') the intake is saved red with no queue item.
sql "PRAGMA writable_schema = ON; INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES
     ('trigger', 'sqlite_stat_x', 'queue_items', 0, 'CREATE TRIGGER sqlite_stat_x BEFORE INSERT ON queue_items WHEN new.level = ''red'' BEGIN SELECT RAISE(IGNORE); END'),
     ('trigger', 'sqlite_stat_y', 'queue_events', 0, 'CREATE TRIGGER sqlite_stat_y BEFORE INSERT ON queue_events WHEN NOT EXISTS (SELECT 1 FROM queue_items WHERE id = new.item_id) BEGIN SELECT RAISE(IGNORE); END');"
before=$(sql "SELECT count(*) FROM intakes")
tri alice "$ALICE\n" intake new "$tmp/in.json"
check "a trigger named sqlite_stat_x: the database is refused at open" [ "$rc" -ne 0 ]
check "...naming it" has_err "unknown trigger \`sqlite_stat_x\`"
check "...and nothing was saved" [ "$(sql "SELECT count(*) FROM intakes")" -eq "$before" ]
tri admin "$ADMIN\n" verify
check "verify names the sqlite_stat_x trigger" has_err "unknown trigger \`sqlite_stat_x\`"
sql "PRAGMA writable_schema = ON; DELETE FROM sqlite_schema WHERE name IN ('sqlite_stat_x', 'sqlite_stat_y');"
sql "ANALYZE;"
tri alice "$ALICE\n" intake new "$tmp/in.json"
check "SQLite's own statistics tables (ANALYZE) are still accepted" has_out '"level":"red"'
finish
