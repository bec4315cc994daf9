#!/bin/sh
# The intake wizard's keys (issue 11), driven headless through the keyboard's own input path
# (TRIAGE_SCRIPT) and read back from screen dumps and from the saved intake:
# - Enter on every unanswered choice question of every shipped form (intake, phq9, gad7, asq with the
#   default forms; phq2, gad2, k6, asq with `forms = intake phq2 gad2 k6 asq`) records nothing: the screen
#   stays on the question with no option marked, the message says what to press, and a draft left there
#   resumes with the question still unanswered; on an optional question Enter goes on and records nothing;
# - every option of every list can be chosen or ticked: the digit printed beside it, or the arrows and
#   Space (the presenting concerns 10-12: substance, self_harm, other), and the review and the saved
#   intake show them;
# - a PHQ-9 copied from paper digit for digit (0 1 2 3 0 1 2 3 1) scores what the paper says (13) on the
#   live panel and in the saved intake; 0 is a key, and a key that picks nothing records nothing; the
#   what-to-press message in the Chinese staff interface too.
# Usage: tests/cli/keys.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp keys
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset TRIAGE_CONFIG NO_COLOR TRIAGE_NOW
mkdir -p "$HOME"
test_config "$tmp/a.ini"
# the other shipped forms: the short screens and the K6 before the ASQ
sed -e 's/^forms = intake phq9 gad7 asq$/forms = intake phq2 gad2 k6 asq/' "$tmp/a.ini" >"$tmp/b.ini"
P=admin-passphrase-1 R=desk-passphrase-12
fail_show=show_file
cli() { # config db passphrases args...
    c=$1 db=$2
    printf '%b' "$3" >"$tmp/p"
    shift 3
    "$T" --config "$c" --db "$db" --passphrase-fd 3 "$@" 3<"$tmp/p"
}
cp "$tmp/b.ini" "$tmp/c.ini" # the same forms on a database of its own (no draft waiting there)
for k in a b c; do
    cli "$tmp/$k.ini" "$tmp/$k.db" "$P\n" --user admin init >/dev/null
    cli "$tmp/$k.ini" "$tmp/$k.db" "$P\n$R\n" --user admin user add desk --role reception >/dev/null
    cli "$tmp/$k.ini" "$tmp/$k.db" "$P\n" --user admin roster import assets/counselors.sample.ini >/dev/null
done
grep -q '^forms = intake phq2 gad2 k6 asq$' "$tmp/b.ini" && ok "a config asks phq2 gad2 k6 asq" || bad "config b" "$tmp/b.ini"
tui() { # config script cols rows
    TRIAGE_SCRIPT="$2" LINES=$4 COLUMNS=$3 timeout 60 "$T" --config "$tmp/$1.ini" --db "$tmp/$1.db" >"$tmp/tui.out" 2>&1
}
D=$tmp/dump
mkdir -p "$D"
shows() { grep -q -- "$2" "$1"; }
expect() { # name dumpfile pattern
    if shows "$2" "$3"; then ok "$1"; else bad "$1 (looked for: $3)" "$2"; fi
}
# an option marked chosen: " > " before its key (single choice) or [x] (multi)
marked() { grep -Eq '^ {2,3}(>  [0-9 ]  |\[x\] )' "$1"; }
login() { printf 'type desk\nkey enter\ntype %s\nkey enter\n' "$R"; }
# Enter on an unanswered question, the screen dumped as NAME, then the keys that answer it
enter_then() { printf 'key enter\ndump %s/%s\n' "$D" "$1"; shift; for k in "$@"; do printf 'type %s\n' "$k"; done; }
# the dump NAME still shows question K of form TITLE, nothing marked, and the message MESSAGE
stayed() { # name title k message
    f=$D/$1
    if shows "$f" "$2" && shows "$f" "Question $3 of" && shows "$f" "$4" && ! marked "$f"; then
        ok "Enter on unanswered $1: stays, records nothing, says \"$4\""
    else
        bad "Enter on unanswered $1 (wanted $2, question $3, \"$4\", nothing marked)" "$f"
    fi
}

# ---- the default forms: intake, PHQ-9 (copied from paper), GAD-7, ASQ ----
{
    login
    printf 'key n\nkey enter\ntype 1\n'
    # name; age skipped; a birth date (a digit after a skipped birth date would wait for Enter: the phone guard)
    printf 'type Paper Copy\nkey enter\nkey enter\ntype 1990-01-01\nkey enter\n'
    enter_then intake_gender 5                                      # prefer not to say: the 5th option
    printf 'type 13911112222\nkey enter\n'
    # a new client's language question is asked with nothing chosen (the language before the forms is the one
    # the questions are read in; nothing is recorded by default): Enter says what to press, 1 answers it
    enter_then intake_language 1
    printf 'key enter\n'                                             # occupation skipped
    enter_then intake_channel 4                                      # referral: the 4th
    enter_then intake_concerns                                       # nothing ticked yet
    # every concern: 1-9 by digit (the highlight follows the last), 10-12 by the arrows and Space
    printf 'type 123456789\nkey down\nkey space\nkey down\nkey space\nkey down\nkey space\ndump %s/concerns_all\n' "$D"
    printf 'key enter\nkey enter\ndump %s/optional_gender_pref\n' "$D" # the counselor preference is optional
    enter_then intake_consent 2
    printf 'dump %s/phq9_1\n' "$D"
    for i in 1 2 3 4 5 6 7 8 9; do
        v=$(echo "0 1 2 3 0 1 2 3 1" | cut -d' ' -f"$i")
        enter_then "phq9_item$i" "$v"
    done
    printf 'dump %s/phq9_difficulty\nkey enter\ndump %s/after_difficulty\n' "$D" "$D" # optional: skipped
    for i in 1 2 3 4 5 6 7; do enter_then "gad7_item$i" 0; done
    for i in 1 2 3 4; do enter_then "asq_item$i" 1; done
    # the review labels every answer: the concerns (the 9th answer) shown whole once highlighted
    printf 'key down\nkey down\nkey down\nkey down\nkey down\nkey down\nkey down\nkey down\n'
    printf 'dump %s/review_a\nkey ctrl-s\ndump %s/saved_a\nkey enter\nkey q\ny\n' "$D" "$D"
} >"$tmp/a.script"
tui a "$tmp/a.script" 120 36
stayed intake_gender "Intake form" 4 "Press 1-5 to answer"
stayed intake_language "Intake form" 6 "Press 1-2 to answer"
stayed intake_channel "Intake form" 8 "Press 1-4 to answer"
stayed intake_concerns "Intake form" 9 "Press 1-9, or Up/Down then Space, to tick at least one; then Enter"
stayed intake_consent "Intake form" 11 "Press 1-2 to answer"
for i in 1 2 3 4 5 6 7 8 9; do stayed "phq9_item$i" "PHQ-9" "$i" "Press 0-3 to answer"; done
for i in 1 2 3 4 5 6 7; do stayed "gad7_item$i" "GAD-7" "$i" "Press 0-3 to answer"; done
for i in 1 2 3 4; do stayed "asq_item$i" "ASQ" "$i" "Press 1-2 to answer, r if the client refuses"; done
n=$(grep -c '\[x\]' "$D/concerns_all")
[ "$n" -eq 12 ] && shows "$D/concerns_all" "Other" && ok "concerns: ticked by digit and by the arrows and Space ($n shown ticked)" \
    || bad "concerns ticked" "$D/concerns_all"
expect "Enter on the optional counselor preference goes on (to the consent)" "$D/optional_gender_pref" "Question 11 of 11"
expect "the scored scale shows its scores as its keys (0 beside Not at all)" "$D/phq9_1" " 0  Not at all"
expect "...and the ASQ counts from 1 (1 No)" "$D/asq_item1" " 1  No"
expect "the PHQ-9 difficulty (not scored) counts from 1" "$D/phq9_difficulty" " 1  Not difficult at all"
expect "Enter on the optional PHQ-9 difficulty goes on to the GAD-7" "$D/after_difficulty" "GAD-7"
expect "the live panel: the PHQ-9 copied from paper scores 13" "$D/asq_item1" "phq9  13 "
sed 's/[│┌└].*//' "$D/review_a" | tr -d ' \n' >"$tmp/review_a.flat" # the review's own column, wrapped lines joined
expect "the review lists all twelve concerns, 10-12 (substance, self_harm, other) too" "$tmp/review_a.flat" \
    "Emotional(lowmood,anxiety,stress),Relationships.*Alcoholordruguse,Self-harmorthoughtsofsuicide,Other"
expect "saved" "$D/saved_a" "Risk level"
cli "$tmp/a.ini" "$tmp/a.db" "$P\n" --user admin export --format json --out "$tmp/a.jsonl" >/dev/null 2>&1
tr -d ' \n' <"$tmp/a.jsonl" >"$tmp/a.flat"
# the export gives the answers as stored and the concerns by category
for want in '"phq9":["0","1","2","3","0","1","2","3","1",null]' '"gad7":["0","0","0","0","0","0","0"]' \
    '"asq":["no","no","no","no",null]' '"phq9":{"total":13,' '"channel":"referral"'; do
    if grep -qF "$want" "$tmp/a.flat"; then ok "the saved intake holds $want"; else bad "saved intake: $want" "$tmp/a.jsonl"; fi
done

# ---- the other forms: PHQ-2, GAD-2, K6 (0-4), ASQ with question 5; a draft left on question 5 ----
{
    login
    printf 'key n\nkey enter\ntype 1\n'
    printf 'type Short Forms\nkey enter\nkey enter\ntype 1990-01-01\nkey enter\ntype 1\nkey enter\ntype 1\nkey enter\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\n'
    # negative screens (2 each): a positive PHQ-2 or GAD-2 would continue into the PHQ-9 or GAD-7
    # (config.ini [intake] ask.phq9, ask.gad7; tests/cli/hotline.sh holds that)
    enter_then phq2_item1 2
    enter_then phq2_item2 0
    enter_then gad2_item1 0
    enter_then gad2_item2 2
    for i in 1 2 3 4 5 6; do
        v=$(echo "4 3 2 1 0 4" | cut -d' ' -f"$i")
        enter_then "k6_item$i" "$v"
    done
    printf 'dump %s/k6_done\n' "$D"
    enter_then b_asq_item1 2 # yes: question 5 follows
    for i in 2 3 4; do enter_then "b_asq_item$i" 1; done
    enter_then asq_item5 # left here: the program ends, the draft keeps question 5 unanswered
} >"$tmp/b.script"
tui b "$tmp/b.script" 120 36
stayed phq2_item1 "PHQ-2" 1 "Press 0-3 to answer"
stayed phq2_item2 "PHQ-2" 2 "Press 0-3 to answer"
stayed gad2_item1 "GAD-2" 1 "Press 0-3 to answer"
stayed gad2_item2 "GAD-2" 2 "Press 0-3 to answer"
for i in 1 2 3 4 5 6; do stayed "k6_item$i" "K6" "$i" "Press 0-4 to answer"; done
for i in 1 2 3 4; do stayed "b_asq_item$i" "ASQ" "$i" "Press 1-2 to answer, r if the client refuses"; done
stayed asq_item5 "ASQ" 5 "Press 1-2 to answer, r if the client refuses"
expect "the K6 typed 4 3 2 1 0 4 scores 14" "$D/k6_done" "k6    14 "
expect "...PHQ-2 2 0 scores 2" "$D/k6_done" "phq2  2 "
expect "...GAD-2 0 2 scores 2" "$D/k6_done" "gad2  2 "
{
    login
    # interrupted with question 5 unanswered after a positive: acuity unknown, acute (red) until it is
    # answered; question 5 is asked first (the red steps wait); Enter on it (the caller has gone) shows them
    printf 'dump %s/resumed_q5\nkey enter\ndump %s/resumed_q5_steps\n' "$D" "$D"
} >"$tmp/b2.script"
tui b "$tmp/b2.script" 120 36
expect "resumed with question 5 unanswered: asked first, saying why" "$D/resumed_q5" "Question 5 was not asked before the intake stopped"
expect "...Enter on it (the caller has gone): the red safety steps" "$D/resumed_q5_steps" "RED: SAFETY STEPS NOW"
if shows "$D/resumed_q5" "Question 5 of" && ! marked "$D/resumed_q5" && shows "$D/resumed_q5" "RED"; then
    ok "the draft left after Enter on ASQ question 5 resumes there, unanswered"
else
    bad "draft resumed at question 5, unanswered" "$D/resumed_q5"
fi

# ---- 80x24: the long list scrolls so the highlighted option is in sight; keys that pick nothing ----
{
    login
    printf 'key n\nkey enter\ntype 1\n'
    printf 'type Small Screen\nkey enter\nkey enter\ntype 1990-01-01\nkey enter\n'
    printf 'type 0\ndump %s/zero_on_list\n' "$D"  # 0 picks nothing on a list counted from 1
    printf 'key space\ndump %s/space_unhighlighted\n' "$D" # nothing highlighted: Space picks nothing
    printf 'key r\ndump %s/r_not_refusable\n' "$D"        # the gender list has no refusal
    printf 'key down\nkey down\nkey space\ndump %s/space_second\n' "$D"
} >"$tmp/c.script"
tui c "$tmp/c.script" 80 24
stayed zero_on_list "Intake form" 4 "Press 1-5 to answer"
stayed space_unhighlighted "Intake form" 4 "Press 1-5 to answer"
stayed r_not_refusable "Intake form" 4 "Press 1-5 to answer"
expect "Down Down Space chooses the 2nd option and moves on" "$D/space_second" "Question 5 of"
{
    login
    printf 'key q\ny\n' # the intake of the run before is left as a draft: quit, then a new desk run
} >"$tmp/d0.script"
tui c "$tmp/d0.script" 80 24
{
    login
    # the draft left before resumes at login: Esc back to home, and n twice (one n only names the unfinished one)
    printf 'key esc\nkey esc\nkey esc\nkey esc\nkey esc\nkey esc\nkey n\nkey n\nkey enter\ntype 1\n'
    printf 'type Long List\nkey enter\nkey enter\ntype 1990-01-01\nkey enter\ntype 1\nkey enter\ntype 1\nkey enter\nkey enter\ntype 1\n'
    i=0
    while [ $i -lt 12 ]; do printf 'key down\n'; i=$((i + 1)); done # the first Down highlights the first
    printf 'dump %s/scrolled\nkey space\ndump %s/ticked_other\n' "$D" "$D"
} >"$tmp/d.script"
tui c "$tmp/d.script" 80 24
expect "80x24: twelve Downs bring the 12th concern (Other) into sight" "$D/scrolled" "Other"
if grep -q '\[x\] *Other' "$D/ticked_other"; then ok "...and Space ticks it"; else bad "Space ticks Other" "$D/ticked_other"; fi
expect "...with the help line under the list" "$D/ticked_other" "Up/Down, Space: tick/untick"

# the staff interface in Chinese says what to press in Chinese
{
    printf 'key f2\n'
    login
    printf 'key n\nkey enter\ntype 1\ntype Zh Staff\nkey enter\nkey enter\ntype 1990-01-01\nkey enter\n'
    enter_then zh_gender
} >"$tmp/zh.script"
tui a "$tmp/zh.script" 80 24
expect "Chinese staff interface: Enter on an unanswered question says what to press" "$D/zh_gender" "请按 1-5 作答"
if marked "$D/zh_gender"; then bad "...and records nothing (Chinese)" "$D/zh_gender"; else ok "...and records nothing (Chinese)"; fi

finish
