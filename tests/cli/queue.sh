#!/bin/sh
# Escalation queues through the command line: an intake enters the queue of its level with its deadline;
# the deadline holds to the second; overdue items are raised, exactly once even with several desks
# ticking at the same instant; roles and rules of every move; three declines go to a person.
# Usage: tests/cli/queue.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp queue
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG
mkdir -p "$HOME"
test_config "$tmp/config.ini"
DB="$tmp/q.db"
T0=1795000000 # a fixed instant (2026-11-18T...Z); every step sets TRIAGE_NOW from it
export TRIAGE_NOW=$T0

P=admin-passphrase-1 R=desk-passphrase-12 C=clin-passphrase-12

tri admin "$P\n" init
tri admin "$P\n$R\n" user add desk --role reception
tri admin "$P\n$C\n" user add clin --role clinician
tri admin "$P\n" roster import assets/counselors.sample.ini
check "set up: staff and roster" has_out "imported 10"

intake() { # name json-answers -> sets item id
    printf '{"client":{"name":"%s"},"language":"zh","answers":%s}' "$1" "$2" >"$tmp/in.json"
    tri desk "$R\n" intake new "$tmp/in.json"
}
queued_at() { # day name answers level: a new client's open item of that level, queued RED0 + day days: $item, $at
    export TRIAGE_NOW=$((RED0 + $1 * 24 * 3600))
    at=$TRIAGE_NOW
    intake "$2" "$3"
    nol queue --level "$4" --json
    item=$(printf '%s' "$out" | tr '{' '\n' | grep '"state":"open"' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
    check "set up: $2, $4, open ($item)" [ -n "$item" ]
}
# a step missed at DUE: no tick a second before, marked overdue at DUE (STATE kept, NEXT still owed), marked once
marked_once_at() { # label due state next
    export TRIAGE_NOW=$(($2 - 1))
    nol queue tick
    check "$1: not overdue a second before" has_out "0 items escalated"
    export TRIAGE_NOW=$2
    nol queue tick
    check "$1: marked overdue" has_out "1 item escalated"
    nol queue --overdue --json
    check "...in the overdue list, still red and $3, owing $4" has_out "\"level\":\"red\",\"state\":\"$3\",\"overdue\":true,.*\"next_step\":\"$4\""
    nol queue tick
    check "...marked once (no write every tick)" has_out "0 items escalated"
}
intake "Yellow Person" '{"phq9":[2,2,1,1,1,1,1,1,0]}'
check "yellow intake saved" has_out '"level":"yellow"'
nol queue --json
yid=$(printf '%s' "$out" | sed -n 's/.*"id":"\([^"]*\)".*"level":"yellow".*/\1/p')
check "the client is in the yellow queue" [ -n "$yid" ]
check "with 72 hours to be confirmed" has_out '"seconds_left":259200'
nol queue
check "plain listing shows time left" has_out "yellow  open          3d 00h left"
TZ=UTC nol queue
check "deadlines stored in UTC are shown in local time (UTC)" has_out "due Sat 11-21 11:06"
TZ=Asia/Shanghai nol queue
check "...and in Shanghai, 8 hours later on the clock" has_out "due Sat 11-21 19:06"

export TRIAGE_NOW=$((T0 + 72 * 3600 - 1))
nol queue tick
check "71:59:59 is not overdue" has_out "0 items escalated"
export TRIAGE_NOW=$((T0 + 72 * 3600))
nol queue tick
check "72:00:00 is overdue: escalated" has_out "1 item escalated"
nol queue --json --overdue
check "raised to orange and marked overdue" sh -c "printf '%s' '$out' | grep -q '\"level\":\"orange\",\"state\":\"open\",\"overdue\":true'"
check "with the orange deadline from now (24 h)" has_out '"seconds_left":86400'

# several desks ticking at the same instant escalate it exactly once
export TRIAGE_NOW=$((T0 + 96 * 3600))
for i in 1 2 3 4; do
    "$T" --config "$tmp/config.ini" --db "$DB" queue tick >"$tmp/tick$i" 2>&1 &
done
wait
total=0
for f in "$tmp"/tick*; do
    n=$(sed -n 's/^\([0-9]*\) items\{0,1\} escalated$/\1/p' "$f")
    total=$((total + ${n:-100}))
done
check "four concurrent ticks escalate the item exactly once (got $total)" [ "$total" = 1 ]
nol queue --json
check "now red" has_out '"level":"red"'

# roles and rules
tri desk "$R\n" queue confirm "$yid"
check "reception may not confirm: denied with the reason" sh -c "[ $rc -eq 2 ] && printf '%s' '$err' | grep -q 'denied'"
tri desk "$R\n" queue ack "$yid"
check "reception acknowledges" has_out "acknowledged"
tri clin "$C\n" queue confirm "$yid" yellow
check "lowering without a reason is refused" has_err "reason"
tri clin "$C\n" queue confirm "$yid" yellow --reason "SENTINELREASON reviewed in person, risk lower"
check "a clinician lowers with a written reason" has_out "yellow  confirmed"
if cat "$DB" "$DB-wal" 2>/dev/null | grep -a -q SENTINELREASON; then bad "the reason is sealed (not on disk in clear)"; else ok "the reason is sealed (not on disk in clear)"; fi

# three declines in a row go to a person: three counselors, each named (tryout 19: a decline named nobody, and one
# suggestion declined three times made three). Without a name, a decline names the intake's best suggestion that
# this row of declines has not named yet; the signed trail lists the row.
row() { sqlite3 "$DB" "SELECT detail FROM audit WHERE action = 'queue_declined' ORDER BY seq DESC LIMIT 1"; }
sug=$(sqlite3 "$DB" "SELECT suggested FROM intakes WHERE id = (SELECT intake_id FROM queue_items WHERE id = '$yid')")
tri desk "$R\n" queue decline "${yid%%-*}" --reason "prefers another time"
check "a decline without a name declines the intake's suggestion ($sug)" sh -c "[ $rc -eq 0 ] && [ -n '$sug' ] && [ '$(row)' = '$sug' ]"
tri desk "$R\n" queue decline "${yid%%-*}" "$sug" --reason "prefers another time"
check "...the same one again, in a row, is refused: one suggestion declined, not two" has_err "declined $sug already"
tri desk "$R\n" queue decline "${yid%%-*}" --reason "prefers another time"
second=$(row)
check "...the next one without a name is the next suggestion ($second)" sh -c "[ $rc -eq 0 ] && [ '${second%% *}' = '$sug' ] && [ '${second#* }' != '$sug' ]"
third=$(printf 'c01\nc02\nc03\nc04\nc05\n' | grep -v -x -e "$sug" -e "${second#* }" | head -1)
tri desk "$R\n" queue decline "${yid%%-*}" "$third" --reason "prefers another time"
check "three declines: match by hand" has_out "MATCH BY HAND"
nol queue --json
check "...shown in the listing" has_out '"match_by_hand":true'
tri desk "$R\n" queue decline "$yid"
check "a decline needs a reason" [ "$rc" -eq 2 ]
tri desk "$R\n" queue assign "$yid" c05
check "assign a counselor" has_out "assigned"
tri desk "$R\n" queue contact "$yid"
check "a contact that does not say whether the client was reached is refused" has_err "say whether the client was reached"
check "...bad input: exit 2" [ "$rc" -eq 2 ]
tri desk "$R\n" queue contact "$yid" maybe
check "...and one that says neither, naming what it said" has_err "(not \`maybe\`)"
# a call that did not get through is an attempt, not a contact: the step (and the deadline) stay (fortieth receptionist)
tri desk "$R\n" queue contact "$yid" not-reached
check "a missed call: logged, the item stays assigned" has_out "assigned"
nol queue --json
check "...one attempt counted, not contacted" sh -c "printf '%s' '$out' | grep -q '\"state\":\"assigned\"' && printf '%s' '$out' | grep -q '\"contact_attempts\":1'"
tri desk "$R\n" queue contact "$yid" reached
check "log a contact: the client reached" has_out "contacted"
tri desk "$R\n" queue close "$yid" first_session
check "reception may not close" [ "$rc" -eq 2 ]
tri clin "$C\n" queue close "$yid" unreachable
check "unreachable needs enough attempts" has_err "contact attempts made"
check "...a conflict with the item's state, not a denial: exit 1" [ "$rc" -eq 1 ]
tri clin "$C\n" queue close "$yid" first_session
check "a clinician closes with an outcome" has_out "closed"
nol queue
check "closed items leave the open list" has_out "no open items"

# an orange or red item closes only with a written note (a RED item closed as duplicate said nothing)
intake "Nora Noted" '{"phq2":[1,1],"phq9":[1,1,0,0,0,0,0,0,2],"asq":["no","no","no","no"]}'
nol queue --json
qid=$(printf '%s' "$out" | tr '{' '\n' | grep '"level":"orange"' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
check "set up: the orange item ($qid)" [ -n "$qid" ]
tri clin "$C\n" queue close "$qid" duplicate
check "an orange item closed with no note: refused, saying a note is needed" has_err "closing an orange or red item needs a written note"
check "...bad input: exit 2" [ "$rc" -eq 2 ]
tri clin "$C\n" queue close "$qid" duplicate --reason "a second record of Nora Noted"
check "...with --reason: closed" has_out "closed"
# a red intake goes to the top; a newer, higher intake for a queued client takes over at once
intake "Green Person" '{"phq2":[0,1],"asq":["no","no","no","no"]}'
gid_client=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
intake "Red Person" '{"asq":["yes","no","no","no","yes"]}'
nol queue --json
first=$(printf '%s' "$out" | sed -n 's/^\[{"id":"[^"]*","client_id":"[^"]*","level":"\([a-z]*\)".*/\1/p')
check "red is listed first" [ "$first" = red ]
check "red must be acknowledged within 15 minutes" has_out '"level":"red","state":"open","overdue":false,"deadline":[0-9]*,"seconds_left":900'
nol queue --limit 1 --json
check "--limit 1 shows only the most urgent (red)" sh -c "printf '%s' '$out' | grep -q red && [ \$(printf '%s' '$out' | grep -o '\"id\"' | wc -l) -eq 1 ]"
nol queue --level green --json
check "--level filters" sh -c "printf '%s' '$out' | grep -q green && ! printf '%s' '$out' | grep -q '\"level\":\"red\"'"

# red takes two steps: acknowledged within 15 minutes, then a clinician's evaluation within 4 hours
RED0=$TRIAGE_NOW
nol queue --level red --json
rid=$(printf '%s' "$out" | sed -n 's/^\[{"id":"\([^"]*\)".*/\1/p')
check "red owes its acknowledgement first" has_out '"next_step":"acknowledged"'
export TRIAGE_NOW=$((RED0 + 5 * 60))
tri desk "$R\n" queue ack "$rid"
check "acknowledged: the clinician's evaluation is said to come next" has_out "next: a clinician evaluates the client"
nol queue --level red --json
check "...due 4 hours after red began" has_out '"state":"acknowledged","overdue":false,"deadline":[0-9]*,"seconds_left":14100,.*"next_step":"evaluation"'
marked_once_at "not evaluated in 4 hours" $((RED0 + 4 * 3600)) acknowledged evaluation
tri desk "$R\n" queue confirm "$rid" --reason "looked fine"
check "reception may not evaluate" sh -c "[ $rc -eq 2 ] && printf '%s' '$err' | grep -q 'reception'"
tri clin "$C\n" queue confirm "$rid"
check "confirming red without the evaluation's outcome is refused" has_err "evaluation's outcome"
tri clin "$C\n" queue confirm "$rid" --reason "evaluated in person: safety plan made, stays red"
check "a clinician's evaluation with its outcome confirms red" has_out "red  confirmed  1d 00h left"
check "...and says the contact comes next, by when" has_out "next: assign a counselor who reaches the client by .* (queue contact ${rid%"${rid#????????}"} reached)"
nol queue --level red --json
check "...no longer overdue; the contact is owed within 24 hours" has_out '"overdue":false,"deadline":[0-9]*,"seconds_left":86400,"time":"1d 00h left","next_step":"contacted"'
# a confirmed item with no counselor never sits without a deadline (forty-fifth and forty-sixth receptionists):
# missed, the contact marks the item overdue once, at its level and state
marked_once_at "contact missed in 24 hours" $((TRIAGE_NOW + 24 * 3600)) confirmed contacted
tri clin "$C\n" queue assign "$rid" c02
check "a counselor the roster says does not take red and orange clients: refused (forty-eighth tryout)" \
    has_err "c02 does not take orange or red clients"
check "...bad input: exit 2" [ "$rc" -eq 2 ]
tri clin "$C\n" queue assign "$rid" c01
check "...one who does: assigned" has_out "red  assigned"
tri clin "$C\n" queue contact "$rid" reached
check "the client reached: nothing more owed" has_out "red  contacted  no deadline"
nol queue --level red --json
check "...and no longer overdue" has_out '"overdue":false,"deadline":null'
# an assignment does not end the row (issue 14): assign c01, decline c01, assign c02, decline c02, assign c03, decline
# c03 is three counselors declined, and sends the client to a person; a person's assignment keeps it so
intake "Assign Walk" '{"phq9":[2,2,1,1,1,1,1,1,0]}'
nol queue --level yellow --json
aid=$(printf '%s' "$out" | sed -n 's/^\[{"id":"\([^"]*\)".*/\1/p')
tri clin "$C\n" queue confirm "$aid"
check "issue 14: a yellow item confirmed" has_out "yellow  confirmed"
for c in c01 c02 c03; do
    tri desk "$R\n" queue assign "$aid" $c
    [ "$rc" -eq 0 ] || bad "issue 14: assign $c ($err)"
    tri desk "$R\n" queue decline "$aid" $c --reason "would rather not"
    [ "$rc" -eq 0 ] || bad "issue 14: decline $c ($err)"
done
check "...three counselors declined, each after an assignment: match by hand" has_out "MATCH BY HAND"
check "...the signed trail's row names all three" [ "$(row)" = "c01 c02 c03" ]
tri desk "$R\n" queue assign "$aid" c04
check "...a person's assignment keeps it sent to a person" has_out "assigned.*MATCH BY HAND"
tri desk "$R\n" queue decline "$aid" c04 --reason "would rather not"
check "...a fourth decline goes on with the row" sh -c "[ '$(row)' = 'c01 c02 c03 c04' ] && printf '%s' '$out' | grep -q 'MATCH BY HAND'"
tri desk "$R\n" queue decline "$aid" c02 --reason "would rather not"
check "...a counselor declined before an assignment is still declined already" has_err "declined c02 already"
# a GREEN item assigned before any clinician looked at it, then declined, goes back to where it was (receptionist 24:
# it read "confirmed", a step nobody took)
intake "Green Walk" '{"phq9":[0,0,0,0,0,0,0,0,0]}'
nol queue --level green --json
gid=$(printf '%s' "$out" | sed -n 's/^\[{"id":"\([^"]*\)".*/\1/p')
tri desk "$R\n" queue assign "$gid" c01
check "issue 14: a green item assigned while open" has_out "green  assigned"
tri desk "$R\n" queue decline "$gid" c01 --reason "would rather not"
check "...declined: open again, not confirmed (nobody confirmed it)" sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q 'green  open'"
# forty-eighth tryout: a red client acknowledged two hours late owed the evaluation 4 hours after the tick that found
# it late (6 hours after it became red); and --overdue listed nothing past its deadline until a tick had run
queued_at 10 "Late Red" '{"asq":["yes","no","no","no","yes"]}' red
LATE0=$at lid=$item
export TRIAGE_NOW=$((LATE0 + 20 * 60))
nol queue --overdue --json
check "past its deadline, no tick yet: in the overdue list, said overdue" \
    sh -c "printf '%s' \"\$1\" | tr '{' '\n' | grep '$lid' | grep -q '\"overdue\":true'" _ "$out"
export TRIAGE_NOW=$((LATE0 + 2 * 3600))
nol queue tick
nol queue
check "an item raised for being overdue says so in the plain list" \
    sh -c "printf '%s' \"\$1\" | grep '^${lid%"${lid#????????}"}' | grep -q 'OVERDUE'" _ "$out"
tri desk "$R\n" queue ack "$lid"
nol queue --level red --json
check "acknowledged 2 hours late: the evaluation still due 4 hours after it became red" \
    sh -c "printf '%s' \"\$1\" | tr '{' '\n' | grep '$lid' | grep -q '\"seconds_left\":7200,'" _ "$out"
# forty-ninth tryout: cron's tick a minute late raising an orange item to red, then another tick at red's missed
# acknowledgement: the row read as TAMPERED (the first raise's time is kept in level_since now), and the desk could not
# acknowledge a red client
queued_at 20 "Late Tick" '{"phq9":[1,1,0,0,0,0,0,0,2],"asq":["no","no","no","no"]}' orange
TICK0=$at tid=$item
export TRIAGE_NOW=$((TICK0 + 24 * 3600 + 60))
nol queue tick
check "a tick a minute late raises it (and marks others due then)" has_out "[1-9][0-9]* items\{0,1\} escalated"
export TRIAGE_NOW=$((TICK0 + 24 * 3600 + 60 + 15 * 60 + 20))
nol queue tick
check "...another at red's missed acknowledgement" has_out "1 item escalated"
tri desk "$R\n" queue --json
check "...the row is not read as tampered" sh -c "printf '%s' \"\$1\" | tr '{' '\n' | grep '$tid' | grep -q '\"level\":\"red\"' && ! printf '%s' \"\$1\" | grep -q tampered" _ "$out"
tri desk "$R\n" queue ack "$tid"
check "...and the desk acknowledges the red client" has_out "red  acknowledged"
export TRIAGE_NOW=$((TICK0 + 2 * 24 * 3600)) # the latest time: a clock set back reads a tick from the future as forged
nol queue bogus
check "unknown queue command: usage, exit 2" [ "$rc" -eq 2 ]
tri admin "$P\n" verify
check "verify still sound (queue history sealed and audited)" has_out "^sound"

finish
