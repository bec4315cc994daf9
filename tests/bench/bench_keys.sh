#!/bin/sh
# make bench: the key budget (issue 14). Scripted walks through the front desk, headless through the keyboard's
# own input path (TRIAGE_SCRIPT); the script driver counts every key and every typed character it hands on
# (tui/input.c, `mark LABEL` lines, TRIAGE_KEYCOUNT), and a screen dump after each stretch checks that the
# walk is where it should be (a count of a walk that went astray is reported as such, never as a result).
# Budgets: a PHQ-9 in 9 keys + 1 for the optional item; a GAD-7 in 7; the ASQ in 4 (negative) or 5
# (positive); a returning client's full intake (find by phone, confirm identity, the forms, save) in at most
# the form answers + the characters typed into the search + 10; an anonymous hotline quick screen that stays
# negative in at most 12 keys from home to saved.
# A row over its budget prints FAIL and is marked not met (**NO**) in make bench's summary, as every bench's
# target is. A walk that went astray (the screens changed under the script) is marked ASTRAY, not met, and
# named at the end: its count is not a result, and the walk must follow the screens again.
# Usage: tests/bench/bench_keys.sh [./triage]
set -u
cd "$(dirname "$0")/../.."
. tests/bench/rows.sh
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/triage-bench-keys.XXXXXX")
trap '[ -n "${KEYS_KEEP:-}" ] && echo "kept: $tmp" || rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset TRIAGE_CONFIG NO_COLOR TRIAGE_NOW TRIAGE_SCRIPT
mkdir -p "$HOME"
sed -e 's/^kdf_cost = moderate/kdf_cost = interactive/' -e "s#^forms_dir =\$#forms_dir = $(pwd)/forms#" config.ini >"$tmp/config.ini"
DB="$tmp/k.db"
P=admin-passphrase-1 R=desk-passphrase-12
cli() { printf '%b' "$1" >"$tmp/p"; shift; "$T" --config "$tmp/config.ini" --db "$DB" --passphrase-fd 3 "$@" 3<"$tmp/p"; }
cli "$P\n" --user admin init >/dev/null
cli "$P\n" --user admin roster import assets/counselors.sample.ini >/dev/null
# the returning client: saved once before, found by phone
PHONE=13911112222
printf '{"client":{"name":"Wang Fang","phone":"%s"},"language":"zh","concerns":["emotional"],"answers":{"phq9":[1,1,1,1,1,1,1,1,0,"not_difficult"],"gad7":[0,0,0,0,0,0,0],"asq":["no","no","no","no"]}}\n' "$PHONE" >"$tmp/first.json"
cli "$P\n$R\n" --user admin user add desk0 --role reception >/dev/null
cli "$R\n" --user desk0 intake new - <"$tmp/first.json" >/dev/null || { echo "bench_keys: the returning client could not be saved" >&2; exit 1; }
users=0
new_user() { users=$((users + 1)); U="desk$users"; cli "$P\n$R\n" --user admin user add "$U" --role reception >/dev/null; }
run() { # script
    : >"$tmp/counts"
    TRIAGE_SCRIPT="$1" TRIAGE_KEYCOUNT="$tmp/counts" LINES=36 COLUMNS=120 timeout 60 "$T" --config "$tmp/config.ini" --db "$DB" >/dev/null 2>&1
}
login() { printf 'type %s\nkey enter\ntype %s\nkey enter\nmark login\n' "$U" "$R"; }
count() { awk -F '\t' -v l="$1" '$1 == l { n += $2 } END { print n + 0 }' "$tmp/counts"; }
count_prefix() { awk -F '\t' -v p="$1" 'index($1, p) == 1 { n += $2 } END { print n + 0 }' "$tmp/counts"; }
failed=0
astray=""
at() { # dump pattern what: the walk is where it should be
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    astray="$astray; $3 (the screen did not show: $2)"
    return 1
}
echo "triage bench (key budget): key presses counted by the script driver, headless, 120x36"
echo
echo "| walk                                                       | keys | budget | met  |"
echo "|------------------------------------------------------------|------|--------|------|"
row() { # what keys budget ok(1|0) data
    met=yes
    [ "$4" -eq 1 ] || { met=FAIL; failed=$((failed + 1)); }
    [ "$walk_ok" -eq 1 ] || met=ASTRAY
    printf '| %-58s | %4s | %6s | %-4s |\n' "$1" "$2" "$3" "$met"
    bench_row bench_keys "$1" "$5" "$2" "$2" keys "budget" "$3" "<= $3 keys" "$4"
}
D=$tmp/dump
mkdir -p "$D"

# ---- the questionnaires, one stretch each, inside a new client's intake ----
new_user
{
    login
    printf 'key n\nkey enter\ntype 1\n'                                      # new client, English
    printf 'type Li Na\nkey enter\nkey enter\nkey enter\ntype 2\nkey enter\nkey enter\ntype 1\nkey enter\nkey enter\ntype 1\n'
    printf 'key down\nkey  \nkey enter\nkey enter\ntype 2\n'                # concerns: emotional; consent
    echo "dump $D/phq9_start"
    echo "mark intake"
    echo "type 1111111101"                                                   # PHQ-9 items 1-9 (item 9: 0) and difficulty
    echo "mark phq9"
    echo "dump $D/gad7_start"
    echo "type 0000000"
    echo "mark gad7"
    echo "dump $D/asq_start"
    echo "type 1111"
    echo "mark asq_negative"
    echo "dump $D/review"
} >"$tmp/forms.script"
run "$tmp/forms.script"
phq9=$(count phq9) gad7=$(count gad7) asqn=$(count asq_negative)
ok=1; at "$D/phq9_start" "PHQ-9.*Question 1 of" "PHQ-9 walk" || ok=0; at "$D/gad7_start" "GAD-7.*Question 1 of" "PHQ-9 walk" || ok=0
walk_ok=$ok; row "PHQ-9: 9 answers + the optional difficulty" "$phq9" 10 "$([ $ok -eq 1 ] && [ "$phq9" -le 10 ] && echo 1 || echo 0)" "9+1 items"
ok=1; at "$D/asq_start" "Ask Suicide-Screening\|ASQ.*Question 1 of" "GAD-7 walk" || ok=0
walk_ok=$ok; row "GAD-7: 7 answers" "$gad7" 7 "$([ $ok -eq 1 ] && [ "$gad7" -le 7 ] && echo 1 || echo 0)" "7 items"
ok=1; at "$D/review" "Review" "ASQ negative walk" || ok=0
walk_ok=$ok; row "ASQ negative: 4 answers to the review" "$asqn" 4 "$([ $ok -eq 1 ] && [ "$asqn" -le 4 ] && echo 1 || echo 0)" "4 items"

# ASQ positive (non-acute): question 5 asked; its answers, then the BSSA steps acknowledged (one deliberate key,
# reported apart: a safety step is never skipped to save a key)
new_user
{
    login
    printf 'key n\nkey enter\ntype 1\n'
    printf 'type Zhao Lei\nkey enter\nkey enter\nkey enter\ntype 2\nkey enter\nkey enter\ntype 1\nkey enter\nkey enter\ntype 1\n'
    printf 'key down\nkey  \nkey enter\nkey enter\ntype 2\n'
    echo "type 000000000"
    echo "type 0000000"
    echo "mark before_asq"
    echo "dump $D/asqp_start"
    echo "type 21111"
    echo "mark asq_positive"
    echo "dump $D/asqp_steps"
    echo "key enter"
    echo "mark asq_ack"
    echo "dump $D/asqp_review"
} >"$tmp/asqp.script"
run "$tmp/asqp.script"
asqp=$(count asq_positive) ack=$(count asq_ack)
ok=1; at "$D/asqp_start" "ASQ\|Ask Suicide" "ASQ positive walk" || ok=0; at "$D/asqp_steps" "BRIEF SUICIDE SAFETY" "ASQ positive walk" || ok=0
at "$D/asqp_review" "Review" "ASQ positive walk" || ok=0
walk_ok=$ok; row "ASQ positive: 5 answers (then $ack to acknowledge the BSSA)" "$asqp" 5 "$([ $ok -eq 1 ] && [ "$asqp" -le 5 ] && echo 1 || echo 0)" "4+1 items"

# ---- a returning client's full intake: find by phone, confirm identity, the forms, save ----
# answers: one key per question of this visit (PHQ-9 10, GAD-7 7, ASQ 4, and the intake's channel, one
# concern ticked, consent: 3); search: the phone's digits; everything else is overhead, at most 10.
new_user
{
    login
    echo "key n"
    echo "mark other:open_find"
    echo "type $PHONE"
    echo "mark search"
    echo "key enter"
    echo "dump $D/ret_found"
    echo "type 1"
    echo "mark other:confirm_identity"
    echo "dump $D/ret_after_pick"
    # the identity (name, phone) comes from the record, and the language the questions are read in from the
    # client's last intake: none of them asked again; this visit's age and birth date may be skipped
    echo "dump $D/ret_first"
    printf 'key enter\nkey enter\n'
    echo "mark other:skip_age_birth"
    echo "type 1"
    echo "mark answers:gender"
    # the digit after the skipped birth date waits for Enter (the phone guard: a date typed after its skipped
    # field once answered the gender question)
    echo "key enter"
    echo "mark other:confirm_after_skipped_date"
    echo "key enter"
    echo "mark other:skip_occupation"
    echo "type 1"
    echo "mark answers:channel"
    echo "type 1"
    echo "mark answers:concern"
    echo "key enter"
    echo "key enter"
    echo "mark other:leave_concerns_skip_gender"
    echo "type 2"
    echo "mark answers:consent"
    echo "dump $D/ret_phq9"
    echo "type 1111111101"
    echo "type 0000000"
    echo "type 1111"
    echo "mark answers:forms"
    echo "dump $D/ret_review"
    echo "key ctrl-s"
    echo "mark other:save"
    echo "dump $D/ret_saved"
} >"$tmp/ret.script"
run "$tmp/ret.script"
answers=$(count_prefix answers:) search=$(count search) other=$(count_prefix other:)
total=$((answers + search + other)) budget=$((answers + search + 10))
ok=1; at "$D/ret_found" "Wang Fang" "returning client walk" || ok=0; at "$D/ret_phq9" "PHQ-9.*Question 1 of" "returning client walk" || ok=0
at "$D/ret_first" "Intake: Wang Fang.*Question 2 of\|Intake: Wang Fang" "returning client walk" || ok=0
at "$D/ret_review" "Review" "returning client walk" || ok=0
at "$D/ret_saved" "Saved\|已保存" "returning client walk" || ok=0
walk_ok=$ok; row "returning client: find by phone, forms, save" "$total" "$budget" "$([ $ok -eq 1 ] && [ "$total" -le "$budget" ] && echo 1 || echo 0)" "$answers answers, $search search"
echo
echo "  returning client: $answers answers + $search search characters + $other other keys (at most 10):"
awk -F '\t' 'index($1, "other:") == 1 && $2 > 0 { printf "    %-32s %3d\n", substr($1, 7), $2 }' "$tmp/counts"

# ---- an anonymous hotline call that stays negative: home to saved ----
new_user
{
    login
    echo "dump $D/hot_home"
    echo "key h"
    echo "type 1"
    echo "key f5" # the caller gives no call-back number: said by its key, the digit after it answers at once
    echo "type 0"
    echo "type 0"
    echo "type 00"
    echo "type 1111"
    echo "key ctrl-s"
    echo "mark hotline"
    echo "dump $D/hot_saved"
} >"$tmp/hot.script"
run "$tmp/hot.script"
hot=$(count hotline)
ok=1; at "$D/hot_home" "Hotline call" "hotline walk" || ok=0; at "$D/hot_saved" "Caller id" "hotline walk" || ok=0
echo
walk_ok=$ok; row "hotline: anonymous negative quick screen, home to saved" "$hot" 12 "$([ $ok -eq 1 ] && [ "$hot" -le 12 ] && echo 1 || echo 0)" "PHQ-2, GAD-2, ASQ"

[ -z "$astray" ] || echo "walks that went astray (their counts are not results)${astray}"
echo
if [ "$failed" -eq 0 ]; then echo "key budget: every walk within its budget"; else echo "key budget: $failed not met (over budget or astray)"; fi
