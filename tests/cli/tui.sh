#!/bin/sh
# The front desk driven headless through the keyboard's own input path (TRIAGE_SCRIPT), reading what a
# person would see from screen dumps: login, a whole intake in Chinese with the live panel turning orange
# at PHQ-9 item 9 and red at ASQ question 5, the safety steps, review, save, the queue; an unfinished
# intake resumed after the program ends; the too-small message and recovery on resize.
# Usage: tests/cli/tui.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp tui
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset TRIAGE_CONFIG NO_COLOR TRIAGE_NOW
mkdir -p "$HOME"
test_config "$tmp/config.ini"
DB="$tmp/t.db"
P=admin-passphrase-1 R=desk-passphrase-12
fail_show=show_file
cli "$P\n" --user admin init >/dev/null
cli "$P\n$R\n" --user admin user add desk --role reception >/dev/null
cli "$P\n" --user admin roster import assets/counselors.sample.ini >/dev/null
tui() { # script cols rows
    TRIAGE_SCRIPT="$1" LINES=$3 COLUMNS=$2 timeout 60 "$T" --config "$tmp/config.ini" --db "$DB" >"$tmp/tui.out" 2>&1
}
shows() { grep -q -- "$2" "$1"; }
expect() { # name dumpfile pattern
    if shows "$2" "$3"; then ok "$1"; else bad "$1 (looked for: $3)" "$2"; fi
}

D=$tmp/dump
mkdir -p "$D"
cat >"$tmp/wrong.script" <<SCRIPT
type nobody
key enter
type wrong-passphrase
key enter
dump $D/login_failed
SCRIPT
tui "$tmp/wrong.script" 100 30
cat >"$tmp/intake.script" <<SCRIPT
type desk
key enter
type $R
key enter
dump $D/home
key n
key enter
type 2
dump $D/q1
type 李小明
key enter
type 34
key enter
key enter
type 1
key enter
type 13800138000
key enter
type 2
key enter
type 1
type 1
type 8
key enter
type 1
type 2
dump $D/phq9_start
type 1
type 1
type 1
type 1
type 1
type 1
type 1
type 1
dump $D/phq9_item9_pending
type 1
dump $D/phq9_item9_answered
type 2
type 0
type 0
type 0
type 0
type 0
type 0
type 0
type 2
type 1
type 1
type 1
dump $D/asq5
type 2
dump $D/safety
key enter
dump $D/review
key ctrl-s
dump $D/saved
key d
key enter
type prefers a woman counselor
key enter
dump $D/declined
key enter
dump $D/home_after
SCRIPT
tui "$tmp/intake.script" 120 36
expect "a wrong passphrase is refused on screen" "$D/login_failed" "wrong user name or passphrase"
expect "home shows the queues and who is logged in" "$D/home" "desk (reception)"
expect "the questionnaire is in the client's language (Chinese)" "$D/q1" "您希望我们怎样称呼您"
expect "with the live panel beside it" "$D/q1" "Live assessment"
expect "PHQ-9 starts green" "$D/phq9_start" "Risk level: GREEN"
expect "still green while item 9 is not yet asked" "$D/phq9_item9_pending" "Risk level: GREEN"
expect "orange right after item 9 is answered several days" "$D/phq9_item9_answered" "Risk level: ORANGE"
expect "...with the reason that fired and its value" "$D/phq9_item9_answered" "phq9.item9 = 1"
expect "ASQ question 5 is asked after a yes" "$D/asq5" "您现在有想要自杀的念头吗"
expect "red after question 5 yes: the safety steps must be acknowledged" "$D/safety" "RED: SAFETY STEPS NOW"
expect "...with the centre's steps" "$D/safety" "Do not leave the client alone"
expect "review page" "$D/review" "Review, then save"
expect "saved: the summary shows the level" "$D/saved" "Risk level: RED"
expect "...and the deadline of its queue item (15 minutes)" "$D/saved" "1[45]m left"
expect "the worker records that the client declined the suggestion" "$D/declined" "declined the suggestion"
expect "home counts the new red item" "$D/home_after" "RED ALERT"
"$T" --config "$tmp/config.ini" --db "$DB" queue --json >"$tmp/q.json"
if grep -q '"level":"red"' "$tmp/q.json"; then ok "the client is in the red queue"; else bad "red queue" "$tmp/q.json"; fi
cli "$R\n" --user desk client find 李小明 >"$tmp/found"
if grep -q 13800138000 "$tmp/found"; then ok "the client record was saved (found by name)"; else bad "client saved" "$tmp/found"; fi
cli "$P\n" --user admin verify >"$tmp/verify" 2>&1
if grep -q '^sound' "$tmp/verify"; then ok "verify sound (safety acknowledgement audited)"; else bad "verify" "$tmp/verify"; fi

# whom the client declined (issue 14): the queue's history names the counselor by name and code with the reason, and
# the assign list marks each counselor declined in the row, by name
whom=$(sqlite3 "$DB" "SELECT detail FROM audit WHERE action = 'queue_declined' ORDER BY seq DESC LIMIT 1")
whom_name=$(sed -n "/^\[counselor\.$whom\]/,/^name/s/^name = //p" assets/counselors.sample.ini)
# the item evaluated first: an unconfirmed RED item opens no assign list (refused before it: forty-first receptionist)
red_item=$(sed -n 's/.*"id":"\([^"]*\)","client_id".*"level":"red".*/\1/p' "$tmp/q.json" | head -n 1)
cli "$P\n" --user admin queue confirm "$red_item" red --reason "evaluated: safety plan, seen today" >/dev/null 2>&1
cat >"$tmp/declined_q.script" <<SCRIPT
type desk
key enter
type $R
key enter
key e
dump $D/q_declined_history
key g
dump $D/q_assign_list
key escape
SCRIPT
tui "$tmp/declined_q.script" 120 36
expect "issue 14: the history names whom the client declined, and why" "$D/q_declined_history" \
    "declined $whom_name ($whom): prefers a woman counselor"
if grep "$whom_name" "$D/q_assign_list" | grep -q "declined"; then ok "...the assign list marks $whom_name declined"
else bad "...the assign list marks $whom_name declined" "$D/q_assign_list"; fi
expect "...the assign list is open (the item confirmed)" "$D/q_assign_list" "Assign a counselor"
if grep -v "$whom_name" "$D/q_assign_list" | grep -q " declined "; then bad "...and no other counselor" "$D/q_assign_list"
else ok "...and no other counselor"; fi

# the safety steps follow the set and the channel: the audit says which were acknowledged
if [ "$(sqlite3 "$DB" "SELECT detail FROM audit WHERE action = 'safety_steps_acknowledged'")" = "set=red channel=in_person level=red" ]; then
    ok "the red steps' acknowledgement is audited with the set and the channel"
else bad "red acknowledgement audited" "$DB"; fi
expect "a walk-in client: the in-person steps" "$D/safety" "The client is here in the room"
if shows "$D/safety" "Stay on the line"; then bad "a walk-in client: not the phone steps" "$D/safety"; else ok "a walk-in client: not the phone steps"; fi
expect "the summary says what red still needs" "$D/saved" "Next: acknowledge"
sed 's/^forms = intake phq9 gad7 asq$/forms = intake asq/' "$tmp/config.ini" >"$tmp/asq_only.ini"
tui_asq() { # script: a caller by phone, intake and ASQ only (choice lists numbered from 1)
    TRIAGE_SCRIPT="$1" LINES=36 COLUMNS=120 timeout 60 "$T" --config "$tmp/asq_only.ini" --db "$DB" >"$tmp/tui.out" 2>&1
}
phone_intake() { # name, then the ASQ answers; ends at the first safety screen
    printf 'type desk\nkey enter\ntype %s\nkey enter\nkey n\nkey enter\ntype 1\ntype %s\nkey enter\nkey enter\ntype 1990-01-01\nkey enter\n' "$R" "$1"
    printf 'type 1\nkey enter\ntype 1\nkey enter\nkey enter\ntype 2\ntype 1\nkey enter\ntype 1\ntype 2\n'
    for k in $2; do printf 'type %s\n' "$k"; done
}
{ phone_intake "Bo Caller" "2 1 1 1 1"; printf 'dump %s\nkey enter\ndump %s\nkey ctrl-s\ndump %s\n' "$D/bssa" "$D/bssa_review" "$D/bssa_saved"; } >"$tmp/bssa.script"
tui_asq "$tmp/bssa.script"
expect "ASQ non-acute positive: the brief suicide safety assessment steps" "$D/bssa" "BRIEF SUICIDE SAFETY ASSESSMENT"
expect "...for a caller: kept on the line" "$D/bssa" "Keep the caller on the line"
expect "...acknowledged, the review follows" "$D/bssa_review" "Review, then save"
expect "...saved orange" "$D/bssa_saved" "Risk level: ORANGE"
{ phone_intake "Cy Caller" "2 1 1 1 2"; printf 'dump %s\nkey enter\nkey ctrl-s\ndump %s\n' "$D/red_phone" "$D/red_phone_saved"; } >"$tmp/redphone.script"
tui_asq "$tmp/redphone.script"
expect "red by phone: the remote steps" "$D/red_phone" "Stay on the line"
expect "...get where the caller is" "$D/red_phone" "where they are right now"
expect "red saved: the summary names the clinician's evaluation still to come" "$D/red_phone_saved" "clinician evaluates"
sqlite3 "$DB" "SELECT detail FROM audit WHERE action = 'safety_steps_acknowledged' ORDER BY seq" >"$tmp/acks"
if grep -qx "set=bssa channel=remote level=orange" "$tmp/acks" && grep -qx "set=red channel=remote level=red" "$tmp/acks"; then
    ok "both acknowledgements audited with their set and channel"
else bad "both acknowledgements audited" "$tmp/acks"; fi

# an intake left unfinished when the program ends is resumed, every answer kept
cat >"$tmp/part1.script" <<SCRIPT
type desk
key enter
type $R
key enter
key n
key enter
type 1
type Ada Lovelace
key enter
dump $D/part1
SCRIPT
tui "$tmp/part1.script" 100 30
cat >"$tmp/part2.script" <<SCRIPT
type desk
key enter
type $R
key enter
dump $D/resumed
key esc
dump $D/back
SCRIPT
tui "$tmp/part2.script" 100 30
expect "after login the unfinished intake continues where it stopped" "$D/resumed" "Question 2 of"
expect "...and the earlier answer is kept" "$D/back" "Ada Lovelace"

# the idle lock: the screen locks, the keys are wiped, and the intake continues after login
cat >"$tmp/idle.script" <<SCRIPT
type desk
key enter
type $R
key enter
dump $D/idle_home
key r
dump $D/idle_before
advance 301
dump $D/idle_locked
key enter
dump $D/idle_empty_enter
type q
key enter
type 2
key enter
type 1
key enter
type x
key enter
dump $D/idle_hurried
key tab
type $R
dump $D/idle_tab
key enter
dump $D/idle_after
SCRIPT
failed_before=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'login_failed'")
tui "$tmp/idle.script" 100 30
expect "after 5 idle minutes the screen locks" "$D/idle_locked" "Locked after inactivity"
if grep -q "Ada Lovelace\|Question" "$D/idle_locked"; then bad "the locked screen shows nothing of the intake" "$D/idle_locked"; else ok "the locked screen shows nothing of the intake"; fi
expect "after login the intake continues" "$D/idle_after" "Unfinished intake resumed"
# fourteenth tryout: a Tab from habit at the lock moved to the user name, where the passphrase then stood in clear;
# an Enter with nothing typed counted as a failed login
expect "locked: Enter with nothing typed asks for the passphrase" "$D/idle_empty_enter" "Type the passphrase, then Enter"
absent_in() { if grep -q -- "$2" "$1"; then bad "$3" "$1"; else ok "$3"; fi; }
absent_in "$D/idle_empty_enter" "wrong user name or passphrase" "...and is no failed login"
absent_in "$D/idle_tab" "$R" "locked: after a Tab the passphrase typed is never shown in clear"
# thirtieth receptionist: keys typed in a hurry at the lock (q Enter, 2 Enter...) each counted as a failed login, and
# the account locked after three: too short for a passphrase, not tried, and the right passphrase still logs in after
expect "locked: keys typed in a hurry are too short for a passphrase, not tried" "$D/idle_hurried" "too short for a passphrase: it was not tried"
n_failed=$(($(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'login_failed'") - failed_before))
if [ "$n_failed" = 0 ]; then ok "...and no failed login recorded"; else bad "...and no failed login recorded ($n_failed)"; fi

# twenty-third tryout: a hotline desk locked while idle hid the RED ALERT of clients waiting: it shows, counts only
sed 's/^{/{"client":{"name":"Rita Locked","phone":"13700000777"},/' assets/examples/red.json >"$tmp/red_locked.json"
cli "$R\n" --user desk intake new "$tmp/red_locked.json" >/dev/null
cat >"$tmp/idle_red.script" <<SCRIPT
type desk
key enter
type $R
key enter
advance 301
dump $D/idle_red_locked
SCRIPT
tui "$tmp/idle_red.script" 100 30
expect "locked while idle: the RED ALERT stays, saying to log in" "$D/idle_red_locked" "RED ALERT: a client needs attention now ([0-9]*)  (log in to see it)"
absent_in "$D/idle_red_locked" "Rita" "...naming no client"

# too small, then resized back
cat >"$tmp/resize.script" <<SCRIPT
dump $D/login_big
resize 60 20
dump $D/small
resize 100 30
dump $D/big_again
SCRIPT
tui "$tmp/resize.script" 100 30
expect "60x20: a clear enlarge message" "$D/small" "enlarge the terminal"
expect "resized back: the login screen returns" "$D/big_again" "Log in"
expect "80x24 and larger draw the login" "$D/login_big" "Passphrase"

# red's second step on the desks: acknowledged, then not evaluated in 4 hours: the banner comes back
DB="$tmp/t2.db"
cli "$P\n" --user admin init >/dev/null
cli "$P\n$R\n" --user admin user add desk --role reception >/dev/null
printf '{"client":{"name":"Red Later"},"language":"en","answers":{"asq":["yes","no","no","no","yes"]}}' >"$tmp/red.json"
cli "$R\n" --user desk intake new "$tmp/red.json" >/dev/null
cat >"$tmp/evaluate.script" <<SCRIPT
type desk
key enter
type $R
key enter
key e
dump $D/red_open
key a
key enter
dump $D/red_acked
advance 14401
tick
type $R
key enter
key e
tick
dump $D/red_late
SCRIPT
tui "$tmp/evaluate.script" 120 36
expect "a red item waiting: the banner" "$D/red_open" "RED ALERT"
expect "...and its next step under it" "$D/red_open" "Next: acknowledge"
if shows "$D/red_acked" "RED ALERT\|RED OVERDUE"; then bad "acknowledged: no banner while the evaluation is in time" "$D/red_acked"
else ok "acknowledged: no banner while the evaluation is in time"; fi
expect "...the clinician's evaluation is next" "$D/red_acked" "Next: a clinician evaluates"
expect "...with the deadline's clock time, not only 'by the deadline' (forty-eighth tryout)" "$D/red_acked" "Deadline: 20[0-9-]* [0-9:]* ([34]h [0-9]*m left)"
expect "not evaluated in 4 hours (the idle lock came and went): the banner on the desk" "$D/red_late" "RED OVERDUE"
expect "...and the row marked overdue" "$D/red_late" "!!"

# The script lines from login to the first PHQ-9 question of a new client: name, gender 1, language 1 (English),
# channel (1 walk-in, 2 phone), the first concern ticked, no counselor preference, consent yes.
intake_start() { # name channel
    printf 'type desk\nkey enter\ntype %s\nkey enter\nkey n\nkey enter\ntype 1\ntype %s\n' "$R" "$1"
    printf 'key enter\nkey enter\ntype 1990-01-01\nkey enter\ntype 1\nkey enter\ntype 1\nkey enter\nkey enter\ntype %s\n' "$2"
    printf 'key down\nkey space\nkey enter\ntype 1\ntype 2'
}

# ---- found by the clinician's outside tryout: red shown and its steps acknowledged, then the answers changed
# back (Esc to question 1, No): the intake once saved green with no trace. A level shown with its safety steps
# acknowledged is kept; only a clinician lowers it, with a written reason.
cat >"$tmp/kept.script" <<SCRIPT
$(intake_start 'Kept Red' 1)
type 000000000
type 0000000
type 2
key enter
type 1
key enter
type 1
key enter
type 1
key enter
type 2
dump $D/kept_steps
key enter
key esc
key esc
key esc
key esc
key esc
type 1
key enter
key enter
key enter
dump $D/kept_review
key ctrl-s
dump $D/kept_saved
SCRIPT
tui "$tmp/kept.script" 100 40
expect "kept: the red steps were shown" "$D/kept_steps" "SAFETY STEPS"
expect "kept: answers changed to all no after the red steps, the level shown stays red" "$D/kept_review" "RED"
expect "kept: saved red, not green" "$D/kept_saved" "Risk level: RED"

# ---- found by the receptionist's tryout: at 80x24 a safety step wrapping past three lines lost its end, and the
# last steps of a caller's lists were not shown at all. Every step is whole, or the box says more are there.
for q5 in 2 1; do
    cat >"$tmp/steps$q5.script" <<SCRIPT
$(intake_start "Phone Caller $q5" 2)
type 000000000
type 0000000
type 2
type 1
type 1
type 1
type $q5
dump $D/steps80_$q5
key enter
key ctrl-s
SCRIPT
    tui "$tmp/steps$q5.script" 80 24
done
expect "80x24: a caller's red steps are whole, the last one included" "$D/steps80_2" "Note what was said and done, with times"
expect "...the step about staying on the line is whole" "$D/steps80_2" "on the line until help arrives"
expect "80x24: a caller's BSSA steps are whole, the emergency numbers included" "$D/steps80_1" "China: 120, 110"
expect "...and the last step" "$D/steps80_1" "follow the red"

# ---- found by the receptionist's tryout: keys typed while the screen only says "enlarge the terminal" once
# answered a question nobody could see (PHQ-9 item 9 answered 3 behind the message)
cat >"$tmp/small.script" <<SCRIPT
$(intake_start 'Small Screen' 1)
type 00000000
dump $D/small_before
resize 70 20
type 3
key enter
resize 100 40
dump $D/small_after
SCRIPT
tui "$tmp/small.script" 100 40
expect "small: on PHQ-9 item 9 before the resize" "$D/small_before" "Question 9 of"
if shows "$D/small_after" "Question 9 of" && ! grep -q '>  *3  *Nearly every day\|phq9  3 ' "$D/small_after"; then
    ok "small: a digit typed while the terminal was too small answered nothing"
else
    bad "small: a digit typed while the terminal was too small answered nothing" "$D/small_after"
fi

# ---- found by the receptionist's tryout: n on home set the unfinished intake (a caller at risk) aside without a
# word. One n now says whose intake is unfinished and at what level; a second n starts another (the draft stays).
{
    printf 'type desk\nkey enter\ntype %s\nkey enter\n' "$R"   # the unfinished intake above resumes at login
    for _ in $(seq 30); do echo "key esc"; done
    printf 'dump %s/draft_home\nkey n\ndump %s/draft_n1\nkey esc\nkey r\ndump %s/draft_r\n' "$D" "$D" "$D"
    for _ in $(seq 30); do echo "key esc"; done
    printf 'key n\nkey n\ndump %s/draft_n2\n' "$D"
    for _ in $(seq 30); do echo "key esc"; done
    # twenty-fourth tryout: a name typed straight after n ran home's keys: e opened the queues, a acknowledged a RED
    # client nobody had seen, R resumed the draft and the rest became an answer
    printf 'key n\ntype Chen Jia Rea\ndump %s/draft_typed\nkey esc\nkey n\nkey n\ndump %s/draft_typed_n\n' "$D" "$D"
} >"$tmp/draftn.script"
acks_before=$(sqlite3 "$DB" "SELECT count(*) FROM queue_events WHERE action = 'ack'")
tui "$tmp/draftn.script" 100 40
expect "draft: home offers to resume the unfinished intake" "$D/draft_home" "Resume the unfinished intake"
expect "draft: one n names the unfinished intake and its level" "$D/draft_n1" "Unfinished intake: Small Screen (ORANGE)"
expect "draft: ...and Esc, then r, resumes it" "$D/draft_r" "> Small Screen"
expect "draft: a second n starts another" "$D/draft_n2" "Find the client"
expect "draft: a name typed after one n does nothing (its n neither), said" "$D/draft_typed" "Not taken: a key came before n again"
expect "...still on the front desk (no queue opened by its e)" "$D/draft_typed" "Front desk"
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM queue_events WHERE action = 'ack'")" = "$acks_before" ]; then ok "...nothing acknowledged by its a"; else bad "...nothing acknowledged by its a"; fi
expect "...and Esc, then n n, starts the search" "$D/draft_typed_n" "Find the client"

# ---- twenty-fourth tryout: a caller at RED in an unsaved intake rang no RED ALERT at another desk, nor on the
# lock screen (only home's list said it). The trail's RED mark of a draft counts in the banner; the worker whose
# intake it is sees the level in the panel, not a banner about it. A database of its own: no red queue item.
DB="$tmp/reddraft.db"
cli "$P\n" --user admin init >/dev/null
cli "$P\n$R\n" --user admin user add desk --role reception >/dev/null
cli "$P\n$R\n" --user admin user add desk2 --role reception >/dev/null
{ phone_intake "Di Draft" "2 1 1 1 2"; printf 'dump %s\n' "$D/reddraft_mine"; } >"$tmp/reddraft.script"
tui_asq "$tmp/reddraft.script"
expect "set up: an intake at RED, left unsaved (the safety steps on screen)" "$D/reddraft_mine" "Stay on the line"
absent_in "$D/reddraft_mine" "RED ALERT" "...its own desk shows no banner about it (the panel says RED)"
cat >"$tmp/reddraft2.script" <<SCRIPT
type desk2
key enter
type $R
key enter
dump $D/reddraft_other
advance 301
dump $D/reddraft_locked
SCRIPT
tui "$tmp/reddraft2.script" 100 30
expect "another desk: RED ALERT for the unsaved intake at RED, home lists it" "$D/reddraft_other" "RED ALERT: an unsaved intake is at RED (1)  (home lists it)"
expect "...locked while idle: the alert stays, saying to log in" "$D/reddraft_locked" "RED ALERT: an unsaved intake is at RED (1)  (log in to see it)"
absent_in "$D/reddraft_locked" "Di Draft\|D\.D\." "...naming no client"
# both at once: the short words, so what to do still fits at 80 columns (twenty-fifth tryout: "... (1" and the key cut)
cli "$R\n" --user desk intake new "$tmp/red_locked.json" >/dev/null
printf 'type desk2\nkey enter\ntype %s\nkey enter\ndump %s/reddraft_both\n' "$R" "$D" >"$tmp/reddraft3.script"
tui "$tmp/reddraft3.script" 80 24
expect "a red item and an unsaved RED intake: both counted, the key whole, at 80x24" "$D/reddraft_both" "RED ALERT (1) + 1 unsaved at RED  (e: open the queues)"
# twenty-fifth tryout: a desk logged out with F4 showed no RED alert where the idle lock did: the login shows it too
printf 'dump %s/reddraft_login\n' "$D" >"$tmp/reddraft4.script"
tui "$tmp/reddraft4.script" 80 24
expect "the login screen: the RED ALERT, saying to log in, naming nobody" "$D/reddraft_login" "RED ALERT (1) + 1 unsaved at RED  (log in to see it)"

finish
