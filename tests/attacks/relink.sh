#!/bin/sh
# Attack (issue 13, point 3): someone holds a de-identified export (CSV, JSON lines, FHIR) and a copy of the
# database it came from, and joins the export's times against every time the database keeps in clear: the audit
# trail (whose intake_create entry names the intake), the report facts (kept after an erasure, re-keyed) and the
# intakes', clients' and queue items' created_at. What must hold: no time in the export equals any of them to the
# second, and no day in the export is the day of any of them (every client's dates move by a secret number of
# days, 1 to 182 either way); the report facts and recorded sessions hold no minute or second (hours only).
# Without the protection (main before this change: days unshifted, the Bundle's timestamp to the second, facts to
# the second) the joins find matches and the facts have seconds.
# Usage: tests/attacks/relink.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3

centre
n=0
for who in "Relink One:1" "Relink Two:2" "Relink Three:3"; do
    name=${who%:*} k=${who#*:}
    printf '{"client":{"name":"%s","phone":"555 010%s","birth_date":"1990-0%s-15"},"language":"en","record":{"channel":"phone","age":3%s},"concerns":["emotional"],"answers":{"phq9":[2,2,2,2,1,1,1,1,%s],"asq":["no","no","no","no"]}}' \
        "$name" "$k" "$k" "$k" "$((k % 2))" >"$tmp/in.json"
    tri alice "$ALICE\n" intake new "$tmp/in.json"
    [ "$rc" -eq 0 ] && n=$((n + 1))
done
check "set up: three intakes saved" [ "$n" -eq 3 ]
# queue steps, so the facts have a confirmation, a contact and a deadline
for item in $(sql "SELECT id FROM queue_items"); do
    tri bob "$BOB\n" queue confirm "$item"
    tri alice "$ALICE\n" queue assign "$item" c01
    tri alice "$ALICE\n" queue contact "$item"
done
check "set up: the items confirmed and contacted" [ "$(sql "SELECT count(*) FROM intake_facts WHERE confirmed_at > 0 AND first_contact_at > 0")" -eq 3 ]
cid=$(sql "SELECT client_id FROM intakes LIMIT 1")
tri bob "$BOB\n" outcome session "$cid" --date "$(date -u +%Y-%m-%d)" --attended yes
check "set up: a session recorded" [ "$rc" -eq 0 ]

today=$(date -u +%Y-%m-%d)
for f in csv json fhir; do
    tri admin "$ADMIN\n" export --format "$f" --deidentify --from "$today" --out "$tmp/x.$f"
    check "the de-identified $f export written" has_out "exported 3 intakes"
done

# every time the database keeps in clear, as UTC seconds
sql "SELECT at FROM audit UNION SELECT created_at FROM intakes UNION SELECT created_at FROM clients
     UNION SELECT created_at FROM intake_facts UNION SELECT deadline FROM intake_facts
     UNION SELECT confirmed_at FROM intake_facts UNION SELECT first_contact_at FROM intake_facts
     UNION SELECT closed_at FROM intake_facts UNION SELECT recorded_at FROM outcome_sessions
     UNION SELECT intake_at FROM outcome_sessions UNION SELECT created_at FROM queue_items
     UNION SELECT level_since FROM queue_items UNION SELECT deadline FROM queue_items
     UNION SELECT updated_at FROM queue_items UNION SELECT at FROM queue_events" | grep -v '^0$' | sort -u >"$tmp/db_seconds"
check "the database's times read" [ "$(wc -l <"$tmp/db_seconds")" -gt 10 ]
while read -r t; do date -u -d "@$t" +%Y-%m-%d; done <"$tmp/db_seconds" | sort -u >"$tmp/db_days"
while read -r t; do date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ; done <"$tmp/db_seconds" | sort -u >"$tmp/db_times"

# every date and time written in the exports
cat "$tmp/x.csv" "$tmp/x.json" "$tmp/x.fhir" | grep -o '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]\(T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\(\.[0-9]*\)\?Z\)\?' |
    sort -u >"$tmp/x_times"
check "the exports' dates read" [ "$(wc -l <"$tmp/x_times")" -gt 0 ]
cut -c1-10 "$tmp/x_times" | sort -u >"$tmp/x_days"
grep T "$tmp/x_times" | sed 's/\.[0-9]*Z$/Z/' | sort -u >"$tmp/x_full"
check "no time in the exports equals a time of the database to the second" \
    sh -c '[ -z "$(comm -12 "$1" "$2")" ]' x "$tmp/x_full" "$tmp/db_times"
check "...no date in the exports is the day of a time of the database (audit, facts, created_at)" \
    sh -c '[ -z "$(comm -12 "$1" "$2")" ]' x "$tmp/x_days" "$tmp/db_days"
check "...the FHIR Bundle has no timestamp (the second of the export's own audit entry)" \
    sh -c '! grep -q "\"timestamp\"" "$1"' x "$tmp/x.fhir"
check "...no birth date, and the ages as bands" \
    sh -c '! grep -q "1990-0\|birth\|\"age\"" "$1" "$2" "$3" && grep -q "$4" "$2"' x "$tmp/x.csv" "$tmp/x.json" "$tmp/x.fhir" '"age_band":"25-34"'
check "...shifted by at most 182 days" \
    sh -c 'now=$(date -u +%s); for d in $(cat "$1"); do s=$(date -u -d "$d" +%s); [ $((s - now)) -lt $((183 * 86400)) ] && [ $((now - s)) -lt $((184 * 86400)) ] || exit 1; done' x "$tmp/x_days"
check "the report facts hold no minute or second (hours only)" \
    [ "$(sql "SELECT count(*) FROM intake_facts WHERE created_at % 3600 <> 0 OR deadline % 3600 <> 0 OR confirmed_at % 3600 <> 0 OR first_contact_at % 3600 <> 0 OR closed_at % 3600 <> 0")" -eq 0 ]
check "...nor do the recorded sessions" \
    [ "$(sql "SELECT count(*) FROM outcome_sessions WHERE recorded_at % 3600 <> 0 OR intake_at % 3600 <> 0")" -eq 0 ]
tri admin "$ADMIN\n" verify
check "verify is sound after it all" [ "$rc" -eq 0 ]
finish
