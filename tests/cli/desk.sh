#!/bin/sh
# The front desk for real people (issue 14): each walk below is a stumble of the receptionist's tryout,
# driven headless through the keyboard's own input path (TRIAGE_SCRIPT) and read from screen dumps.
# Every walk failed on the code before its fix.
# Usage: tests/cli/desk.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp desk
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset TRIAGE_CONFIG NO_COLOR TRIAGE_NOW
mkdir -p "$HOME"
test_config "$tmp/config.ini"
DB="$tmp/t.db"
P=admin-passphrase-1 R=desk-passphrase-12
fail_show=show_file # a failure shows the screen dump it looked in
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
absent() { # name dumpfile pattern-that-must-show pattern-that-must-not
    if shows "$2" "$3" && ! shows "$2" "$4"; then ok "$1"; else bad "$1 (shows: $3, not: $4)" "$2"; fi
}
D=$tmp/dump
mkdir -p "$D"
login() { printf 'type desk\nkey enter\ntype %s\nkey enter\n' "$R"; }
# a new client's intake up to PHQ-9 question 3: name, age, (birth skipped), gender, phone, language, (occupation
# skipped), channel CHANNEL (1 walk-in, 2 phone), concern 1, no preference, consent
intake_to_phq9() { # name channel
    printf 'key n\nkey enter\ntype 1\ntype %s\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\ntype 13800138000\nkey enter\n' "$1"
    printf 'type 1\nkey enter\ntype %s\ntype 1\nkey enter\nkey enter\ntype 2\ntype 1\ntype 0\n' "$2"
}

# ---- whose intake: the header names the client and the channel on every question; q leaves keeping the draft
# where it stopped; home's r names whose and returns to that very question; the next login says whose
{
    login
    intake_to_phq9 "Wang Fang" 1
    printf 'dump %s/whose_q\nkey q\ndump %s/whose_home\nkey r\ndump %s/whose_r\n' "$D" "$D" "$D"
} >"$tmp/whose.script"
tui "$tmp/whose.script" 100 30
expect "whose: the question's header names the client" "$D/whose_q" "Intake: Wang Fang"
expect "whose: ...and the channel" "$D/whose_q" "Wang Fang · Walk-in"
expect "whose: q leaves the intake for home in one key" "$D/whose_home" "Front desk"
expect "whose: home's resume line names the client and where it stopped" "$D/whose_home" "Resume the unfinished intake: Wang Fang.*Question 3 of"
if shows "$D/whose_home" "Front desk" && shows "$D/whose_r" "Question 3 of"; then
    ok "whose: q then r returns to the question where the worker stopped"
else
    bad "whose: q then r returns to the question where the worker stopped" "$D/whose_r"
fi
printf '%s' "$(login)" >"$tmp/relogin.script"
printf '\ndump %s/whose_login\n' "$D" >>"$tmp/relogin.script"
# ...and Down then Space there is held as the highlighted option's digit would be (tenth receptionist: the first
# Down lands on the lowest option and Space recorded "Not at all" at once after a resume); Esc clears it
printf 'key down\nkey space\ndump %s/resume_space\nkey esc\ndump %s/resume_space_esc\n' "$D" "$D" >>"$tmp/relogin.script"
tui "$tmp/relogin.script" 100 30
expect "whose: at login the resumed intake is named" "$D/whose_login" "Unfinished intake resumed: Wang Fang"
expect "whose: ...and continues where it stopped (held before too)" "$D/whose_login" "Question 3 of"
expect "resume: Down then Space holds the highlighted option, saying Enter records it" "$D/resume_space" "0 = Not at all: Enter records it"
expect "resume: ...nothing recorded, still at the same question" "$D/resume_space" "Question 3 of"
absent "resume: Esc clears what Space held" "$D/resume_space_esc" "Question 3 of" "Enter records it"

# ...and at 80x24 home's resume line is wrapped, never cut ("(PHQ-9, Questi": twelfth tryout)
printf '%s' "$(login)" >"$tmp/home80.script"
printf '\nkey q\ndump %s/whose_home80\n' "$D" >>"$tmp/home80.script"
tui "$tmp/home80.script" 80 24
expect "whose: at 80x24 home's resume line is whole, wrapped (where it stopped included)" "$D/whose_home80" "^ *of 9, then 1 optional)"

# ---- a walk-in before the name is typed is headed "no name yet", not "anonymous caller" (twelfth tryout)
{
    login
    printf 'key f3\nkey n\nkey n\nkey enter\ntype 1\ndump %s/noname\nkey esc\nkey esc\nkey esc\n' "$D"
} >"$tmp/noname.script"
tui "$tmp/noname.script" 100 30
absent "walk-in: before the name the header says no name yet, not anonymous caller" "$D/noname" "Intake: no name yet" "anonymous caller"

# ---- with a draft open, n asks first and n again starts another, also after the clock ticked (the second n
# was forgotten at the first tick, about a second later: the receptionist's tryout of this session)
{
    login
    printf 'key q\nkey n\ntick\ntick\nkey n\ndump %s/n_again\nkey esc\n' "$D"
} >"$tmp/nagain.script"
tui "$tmp/nagain.script" 100 30
expect "new intake: n again starts another after the clock ticked" "$D/n_again" "Find the client"

# ---- a draft can be discarded, with a question first, and the audit says so; F4 logs out
{
    login
    printf 'key q\nkey x\ndump %s/discard_ask\nkey n\ndump %s/discard_kept\nkey x\ntype y\ndump %s/discarded\n' "$D" "$D" "$D"
    printf 'key f4\ndump %s/logged_out\n' "$D"
    # the next person types a name, Tab and a passphrase: each lands in its own box (the tryout's passphrase
    # went into the name box, shown in clear, when the old name stayed with the cursor in the passphrase box)
    printf 'type desk\nkey tab\ntype %s\ndump %s/relogin_typed\n' "$R" "$D"
} >"$tmp/discard.script"
tui "$tmp/discard.script" 100 30
expect "discard: x asks first, naming whose" "$D/discard_ask" "Discard the unfinished intake of Wang Fang"
expect "discard: any other key keeps it" "$D/discard_kept" "Resume the unfinished intake: Wang Fang"
if shows "$D/discard_ask" "Discard the unfinished" && ! shows "$D/discarded" "Resume the unfinished intake"; then
    ok "discard: y discards it"
else
    bad "discard: y discards it" "$D/discarded"
fi
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'draft_discarded' AND detail <> 'empty'")" = 1 ]; then
    ok "discard: the audit log records it"
else
    bad "discard: the audit log records it"
fi
expect "logout: F4 ends the session on any screen" "$D/logged_out" "Log in"
if shows "$D/relogin_typed" "desk" && ! shows "$D/relogin_typed" "$R"; then
    ok "logout: the next login starts at an empty name; the passphrase is never shown"
else
    bad "logout: the next login starts at an empty name; the passphrase is never shown" "$D/relogin_typed"
fi

# ---- the review: one labelled section per form, each answer in words with its score, the totals and the
# level; Up/Down then e goes back to any answer, and once it is changed the interview returns to the review
{
    login
    intake_to_phq9 "Li Review" 1
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\nkey enter\n' # PHQ-9 3-9, the difficulty skipped
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\n' # GAD-7, ASQ no
    printf 'dump %s/review\nkey enter\ndump %s/review_enter\n' "$D" "$D"
    for _ in $(seq 11); do echo "key down"; done
    printf 'dump %s/review_sel\nkey e\ndump %s/review_jump\ntype 3\ndump %s/review_back\n' "$D" "$D" "$D"
    # the safety rule holds on the way back: ASQ question 1 changed to yes makes question 5 owed, and the
    # interview stops there instead of returning to the review
    for _ in $(seq 17); do echo "key down"; done
    printf 'key e\ntype 2\ndump %s/review_q5\ntype 1\nkey enter\nkey ctrl-s\nkey enter\n' "$D"
} >"$tmp/review.script"
tui "$tmp/review.script" 120 36
expect "review: a section per form with its total and band" "$D/review" "PHQ-9   total 1  Minimal"
expect "review: each answer labelled, in words, with its score" "$D/review" "Feeling down.* Not at all (0)"
expect "review: the intake form's answers in words" "$D/review" "How did you contact us? *Walk-in"
expect "review: the level" "$D/review" "Risk level: GREEN"
expect "review: the save key is shown, and it is not Enter" "$D/review" "Ctrl-S: save   "
absent "review: Enter does not save (it says which key does)" "$D/review_enter" "Enter does not save: Ctrl-S saves" "Intake saved"
expect "review: Up/Down highlights an answer (scrolling with a more mark)" "$D/review_sel" "more"
expect "review: e goes back to that answer" "$D/review_jump" "PHQ-9   Question 1 of"
expect "review: once changed, back to the review" "$D/review_back" "Review, then save"
expect "review: ...rescored" "$D/review_back" "PHQ-9   total 3"
expect "review: an answer changed to ASQ yes stops at question 5, now owed (never back to the review past it)" \
    "$D/review_q5" "ASQ   Question 5 of 5"

# ---- q in a text field is text (q leaves only where nothing is typed): a lone q is not taken as the answer by
# one Enter; the hint names F3 for leaving
{
    login
    printf 'key n\nkey enter\ntype 1\ntype q\nkey enter\ndump %s/q_text\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/qtext.script"
tui "$tmp/qtext.script" 100 30
expect "q in a text field: a lone q and Enter stay on the question" "$D/q_text" "Intake form   Question 1 of"
expect "q in a text field: ...saying q is text there and F3 leaves" "$D/q_text" "q was typed as the answer: here q is text. F3 leaves"
expect "q in a text field: the hint names F3 for leaving" "$D/q_text" "skip if optional)  F3: leave"

# ---- the 80x24 help names the keys for leaving first (F3 leave the intake, F4 log out, x discard), whatever is cut
{
    login
    printf 'key ?\ndump %s/help80_home\nkey esc\n' "$D"
    printf 'key n\nkey enter\ntype 1\ntype Hal Help\nkey enter\ntype 30\nkey enter\nkey enter\nkey ?\ndump %s/help80_q\nkey esc\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/help80.script"
tui "$tmp/help80.script" 80 24
expect "help 80x24: home names F4 (log out)" "$D/help80_home" "F4  *log out"
expect "help 80x24: home names x (discard)" "$D/help80_home" "x  *discard the unfinished"
expect "help 80x24: a question names F3 (leave the intake)" "$D/help80_q" "F3  *leave the intake"
expect "help 80x24: ...and F4" "$D/help80_q" "F4  *log out"

# ---- the 80x24 help scrolls: it says there is more when cut, PgDn/Down/j bring the rest, PgUp/Up/k go back
{
    login
    printf 'key ?\ndump %s/helps_top\nkey pgdn\ndump %s/helps_down\nkey k\ndump %s/helps_k\nkey pgup\nkey j\ndump %s/helps_j\nkey esc\n' "$D" "$D" "$D" "$D"
} >"$tmp/helpscroll.script"
tui "$tmp/helpscroll.script" 80 24
expect "help 80x24: says there is more below when cut" "$D/helps_top" "more below"
absent "help 80x24: ...the last keys not shown yet" "$D/helps_top" "more below" "Ctrl-L"
if shows "$D/helps_down" "Ctrl-L" && shows "$D/helps_down" "more above"; then ok "help 80x24: PgDn scrolls to the last keys, saying there is more above"
else bad "help 80x24: PgDn scrolls to the last keys, saying there is more above" "$D/helps_down"; fi
if shows "$D/helps_k" "Keys" && ! shows "$D/helps_k" "Ctrl-L"; then ok "help 80x24: k scrolls back one"
else bad "help 80x24: k scrolls back one" "$D/helps_k"; fi
absent "help 80x24: PgUp to the top, then j scrolls one down (its first key gone)" "$D/helps_j" "Keys" "^ *│ Esc  "

# ---- 80x24: the first question of a form shows every answer, its top one (3 Nearly every day) too
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Tia Top\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\nkey enter\n'
    printf 'type 1\nkey enter\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\ndump %s/first80\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/first80.script"
tui "$tmp/first80.script" 80 24
expect "80x24: PHQ-9 question 1 (with its instructions)" "$D/first80" "PHQ-9   Question 1 of"
expect "80x24: ...shows its top answer" "$D/first80" "3  Nearly every day"

# ---- Chinese: the safety steps never break inside a number ("110" was split over two lines), at any width. The
# phone steps here are a run of Chinese with numbers and no spaces, so that some width puts a line's end inside one
sed 's/^red\.remote\.zh = .*/red.remote.zh = "请同事拨打110报警或120急救，请同事拨打110报警或120急救，请同事拨打110报警或120急救，请同事拨打110报警或120急救，请同事拨打110报警或120急救，请同事拨打110报警或120急救。"/' \
    "$tmp/config.ini" >"$tmp/zh110.ini"
{
    printf 'key f2\n'
    login
    intake_to_phq9 "Zhou Steps" 2
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\nkey enter\n' # PHQ-9 3-9, the difficulty skipped
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 2\ntype 1\ntype 1\ntype 1\ntype 2\n' # GAD-7; ASQ acute
    for c in $(seq 80 118); do printf 'resize %s 30\ndump %s/zh_steps_%s\n' "$c" "$D" "$c"; done
    printf 'key enter\nkey f3\nkey x\ntype discard\nkey enter\n'
} >"$tmp/zhsteps.script"
TRIAGE_SCRIPT="$tmp/zhsteps.script" LINES=30 COLUMNS=100 timeout 60 "$T" --config "$tmp/zh110.ini" --db "$DB" >"$tmp/tui.out" 2>&1
split=""
for c in $(seq 80 118); do
    f="$D/zh_steps_$c"
    [ "$(grep -o '110' "$f" | wc -l)" -eq 6 ] && [ "$(grep -o '120' "$f" | wc -l)" -eq 6 ] || split="$split $c"
done
if [ -z "$split" ] && [ -f "$D/zh_steps_80" ]; then ok "zh safety steps: every 110 and 120 whole at every width from 80 to 118"
else bad "zh safety steps: a number broken over two lines at widths:$split" "$D/zh_steps_$(echo $split | cut -d' ' -f1)"; fi

# ---- a phone number must be one (the form's `format = phone`): a name typed into it is refused, naming the field
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Phil Phone\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\ntype call me\nkey enter\ndump %s/phone_bad\n' "$D"
    printf 'key f3\nkey x\ntype y\n'
} >"$tmp/phone.script"
tui "$tmp/phone.script" 100 30
expect "phone: a phone that is no number is refused, naming the question" "$D/phone_bad" "What phone number can we reach you on.*: a phone number"
expect "phone: ...saying what it takes" "$D/phone_bad" "digits, spaces, + - ( ) only, 6 to"

# ---- a new client's language question is asked with nothing chosen (the language before the forms is the one the
# questions are read in; nothing is recorded by default)
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Lu Lang\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\nkey enter\ndump %s/lang_q\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/lang.script"
tui "$tmp/lang.script" 100 30
if shows "$D/lang_q" "Which language would you like" && ! grep -Eq '^ {2,3}>  [0-9]  ' "$D/lang_q"; then
    ok "language: a new client's language question has nothing chosen"
else
    bad "language: a new client's language question has nothing chosen" "$D/lang_q"
fi

# ---- a refused consent is said when it is answered (the core's rule), not first at the save
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Connie Consent\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\ntype 13800138001\nkey enter\n'
    printf 'type 1\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 1\ndump %s/consent_no\ntype 0\ndump %s/consent_still\nkey f3\nkey x\ntype y\n' "$D" "$D"
} >"$tmp/consent.script"
tui "$tmp/consent.script" 100 30
expect "consent: a refusal is said at once, on the next question" "$D/consent_no" "Consent refused: the record cannot be saved"
expect "consent: ...the interview goes on to the PHQ-9" "$D/consent_no" "PHQ-9   Question 1 of"
expect "consent: ...and it stays said while it holds" "$D/consent_still" "Consent refused"

# ---- 80x24 review: the highlighted answer's question is shown whole (the list cuts labels to a column), and Down
# goes on past the last answer to the level and every reason, wrapped
{
    login
    intake_to_phq9 "Rae Review" 1
    printf 'type 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 1\nkey enter\n' # PHQ-9 3-9 (item 9: 1), difficulty skipped
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\n' # GAD-7, ASQ no
    printf 'dump %s/review80\n' "$D"
    for _ in $(seq 40); do echo "key down"; done
    printf 'dump %s/review80_end\nkey f3\nkey x\ntype discard\nkey enter\n' "$D"
} >"$tmp/review80.script"
tui "$tmp/review80.script" 80 24
expect "review 80x24: the list cuts a long label" "$D/review80" "What name would you like us t…"
expect "review 80x24: ...the highlighted answer's question is shown whole" "$D/review80" "^  What name would you like us to call you?"
expect "review 80x24: Down reaches the reasons" "$D/review80_end" "ORANGE: PHQ-9 item 9 positive"
expect "review 80x24: ...wrapped whole, in the review (not only the panel)" "$D/review80_end" "^      dead or of self-harm); unanswered"

# ---- the live panel at 80x24: the level and its first reason always in sight, every line wrapped (not cut
# mid-word), a "more" mark when the rest does not fit, and PgDn brings the rest (the counselors)
{
    login
    intake_to_phq9 "Pan Panel" 1
    printf 'type 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 1\n' # PHQ-9 3-9: item 9 several days
    printf 'dump %s/panel80\nkey pgdn\nkey pgdn\nkey pgdn\ndump %s/panel80_down\nkey q\n' "$D" "$D"
    # an ORANGE draft sits in no queue: home lists it with its level; x names the level, and one stray y keeps it
    printf 'dump %s/risky_home\nkey x\ndump %s/risky_ask\ntype y\nkey enter\ndump %s/risky_y\n' "$D" "$D" "$D"
} >"$tmp/panel.script"
tui "$tmp/panel.script" 80 24
expect "draft at risk: home lists the unsaved ORANGE draft with its level" "$D/risky_home" "ORANGE *P.P. *by desk"
expect "draft at risk: ...and its resume line names the level" "$D/risky_home" "Resume the unfinished intake: ORANGE Pan Panel"
expect "draft at risk: the discard question names the level" "$D/risky_ask" "Risk level: ORANGE"
if shows "$D/risky_y" "Kept: the unfinished intake was not discarded" && shows "$D/risky_y" "Resume the unfinished intake: ORANGE Pan Panel"; then
    ok "draft at risk: a stray y (and Enter) does not discard it"
else
    bad "draft at risk: a stray y (and Enter) does not discard it" "$D/risky_y"
fi
# another worker (the supervisor) sees it on home too: not invisible once its worker has gone
printf 'type admin\nkey enter\ntype %s\nkey enter\ndump %s/risky_other\n' "$P" "$D" >"$tmp/other.script"
tui "$tmp/other.script" 80 24
expect "draft at risk: another worker's home lists it" "$D/risky_other" "ORANGE *P.P. *by desk"
{
    login
    printf 'key q\nkey x\ntype discard\ndump %s/risky_typed\nkey enter\ndump %s/risky_gone\n' "$D" "$D"
} >"$tmp/risky.script"
tui "$tmp/risky.script" 80 24
expect "draft at risk: the word is typed to discard it" "$D/risky_typed" "> discard"
absent "draft at risk: ...then Enter discards it, and the list is empty" "$D/risky_gone" "discarded" "P.P."
# two ORANGE drafts were discarded so far: the 80x24 review's (by its word) and this one
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'draft_discarded' AND detail = 'orange'")" = 2 ]; then
    ok "draft at risk: the discard is audited"
else
    bad "draft at risk: the discard is audited"
fi
expect "panel 80x24: the level" "$D/panel80" "Risk level: ORANGE"
expect "panel 80x24: the first reason's rule" "$D/panel80" "ORANGE: phq9.item9 = 1"
expect "panel 80x24: ...and its text whole, wrapped (its last words)" "$D/panel80" "self-harm)"
expect "panel 80x24: a mark says there is more" "$D/panel80" "v PgDn"
expect "panel 80x24: PgDn shows the rest, the counselors" "$D/panel80_down" "Li Jing"
expect "panel 80x24: ...with the level still in sight" "$D/panel80_down" "Risk level: ORANGE"

# ---- counselors before any answer that says what is needed: no "0.00" beside each name (every similarity is
# 0 then), the list says it is by free places
{
    login
    printf 'key n\nkey enter\ntype 1\ndump %s/match_empty\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/matchempty.script"
tui "$tmp/matchempty.script" 120 36
absent "counselors: before any answer that matters, no score but a word why" "$D/match_empty" "No answers yet that say what is needed" "0\.00"
# ...and once answers say what is needed the counselors are ranked again at once, each with its similarity (the
# ranking of the empty intake, 0.00 beside each name, stayed until the save)
{
    login
    intake_to_phq9 "Mia Match" 1
    printf 'type 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 1\ndump %s/match_ranked\nkey f3\nkey x\ntype discard\nkey enter\n' "$D"
} >"$tmp/matchranked.script"
tui "$tmp/matchranked.script" 120 36
absent "counselors: ranked again as answers come, with a similarity above 0" "$D/match_ranked" "0\.[1-9][0-9] [^ ].*: depression" "No answers yet that say"

# ---- optional questions announced; a form's score only once one of its questions was asked
expect "optional: the PHQ-9 announces its optional question from the start" "$D/panel80" "Question 10 of 10  · optional"
{
    login
    intake_to_phq9 "Opal Optional" 1
    printf 'dump %s/opt_phq9\n' "$D"
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\nkey enter\ndump %s/opt_gad7\nkey q\nkey x\ntype y\n' "$D"
} >"$tmp/opt.script"
tui "$tmp/opt.script" 120 36
expect "optional: PHQ-9 question 3 says one optional follows" "$D/opt_phq9" "Question 3 of 9, then 1 optional"
if shows "$D/opt_gad7" "gad7  " || shows "$D/opt_gad7" "asq  "; then
    bad "score: no GAD-7 or ASQ score before one of their questions was asked" "$D/opt_gad7"
else
    ok "score: no GAD-7 or ASQ score before one of their questions was asked"
fi
expect "score: ...the PHQ-9's is shown (held before too)" "$D/opt_gad7" "phq9  1 "

# ---- messages: in words with the field's label beside the field (not "intake.age: ..."); a required field
# left empty says so; a message of one screen is gone on the next (denied on the queue, then home)
{
    login
    printf 'key n\nkey enter\ntype 1\nkey enter\ndump %s/msg_empty\ntype Mo Message\nkey enter\ntype 300\nkey enter\ndump %s/msg_age\n' "$D" "$D"
    printf 'key f3\nkey x\ntype y\nkey e\nkey c\ndump %s/msg_denied\nkey right\ndump %s/msg_tab\nkey esc\ndump %s/msg_home\n' "$D" "$D" "$D"
} >"$tmp/msg.script"
tui "$tmp/msg.script" 100 30
expect "message: a required field left empty says an answer is needed" "$D/msg_empty" "an answer is needed"
expect "message: a bad age names the question and what it takes" "$D/msg_age" "How old are you?.*a whole number from 0 to 120"
absent "message: ...never the internal id" "$D/msg_age" "How old are you" "intake.age"
expect "message: denied on the queue" "$D/msg_denied" "denied"
expect "message: ...naming the role in good English" "$D/msg_denied" "denied: a receptionist may not confirm risk levels"
absent "message: ...gone once home" "$D/msg_home" "Front desk" "denied"
absent "message: ...gone on another tab of the queue (nineteenth tryout)" "$D/msg_tab" "Waiting" "denied"

# ---- the summary: the deadline as a clock time with the time left, the step due and who takes it; a lower
# repeat visit says the queue keeps the client's higher level, and why
sed 's/^{/{"client":{"name":"Kay Kept","phone":"13700000001"},/' assets/examples/orange.json >"$tmp/kept.json"
cli "$R\n" --user desk intake new "$tmp/kept.json" >/dev/null 2>&1
{
    login
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\ndump %s/returning_first\n' "$D" # found: this client
    # her name, phone and language come from the record and her last intake: not asked again
    printf 'key enter\nkey enter\ntype 1\nkey enter\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\n' # PHQ-9 all 0 (no difficulty)
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\nkey ctrl-s\ndump %s/kept_summary\nkey enter\n' "$D"
} >"$tmp/kept.script"
tui "$tmp/kept.script" 100 30
expect "returning: the first question asked is not her name (from the record)" "$D/returning_first" "Intake form   Question 2 of"
expect "returning: ...which heads the intake" "$D/returning_first" "Intake: Kay Kept"
# twenty-fourth tryout: a client in the RED queue showed GREEN, nothing said, all through a new intake
expect "returning: her open ORANGE item is said under the header" "$D/returning_first" "In the queue now at ORANGE. This intake's answers are scored on their own"
# twenty-fifth tryout: cut at the width before it said what a save does ("the queue keeps the h")
expect "...said whole, wrapped" "$D/returning_first" "higher level\.$"
# issue 14: her language was asked again in every intake; it is her last intake's, said, and Esc on the first question
# goes back to the language screen to choose another (no language screen came before the first question)
expect "returning: the questions in her language on record, said with the way to change it" "$D/returning_first" "Questions in Chinese, the client's language"
{
    login
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\nkey esc\ndump %s/returning_lang\ntype 1\ndump %s/returning_en\nkey f3\nkey x\ntype y\n' "$D" "$D"
} >"$tmp/keptlang.script"
tui "$tmp/keptlang.script" 100 30
expect "returning: Esc on the first question goes back to the language screen" "$D/returning_lang" "The client's language"
expect "...where 1 reads the questions in English" "$D/returning_en" "How old are you"
# twenty-third tryout: the language chosen there to read the questions in was recorded as her answer to the language
# question, over the Chinese she gave: the reading language is no answer, her own stays
{
    login
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\nkey esc\ntype 1\n'
    printf 'key enter\nkey enter\ntype 1\nkey enter\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\ndump %s/returning_en_review\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/keptlang2.script"
tui "$tmp/keptlang2.script" 100 40
expect "returning, questions read in English: the review keeps her own language, Chinese" "$D/returning_en_review" "Which language would you like.*Simplified Chinese"
absent "...not the reading language" "$D/returning_en_review" "Which language would you like" "Which language would you like.*English"

# twenty-third tryout: picking a returning client and leaving at once kept a draft under her name with nothing answered
# (what the record gave is no answer), and so did Esc back past the language screen, and a searched name emptied
cli "$P\n$R\n" --user admin user add deske --role reception >/dev/null 2>&1
{
    printf 'type deske\nkey enter\ntype %s\nkey enter\n' "$R"
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\nkey f3\ndump %s/pick_left\n' "$D"
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\nkey esc\nkey esc\nkey esc\nkey esc\ndump %s/pick_esc\n' "$D"
    printf 'key n\ntype Zoe Zero\nkey enter\nkey n\ntype 1\nkey backspace\nkey backspace\nkey esc\ndump %s/carried_left\n' "$D"
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\ntype 44\nkey enter\nkey f3\ndump %s/pick_answered\nkey x\ntype y\n' "$D"
} >"$tmp/empty.script"
tui "$tmp/empty.script" 100 30
expect "returning client picked and left at once: nothing was answered, no draft" "$D/pick_left" "Nothing was answered: no draft kept"
absent "...none to resume" "$D/pick_left" "Front desk" "Resume the unfinished intake"
absent "...nor after Esc back past the language screen" "$D/pick_esc" "Front desk" "Resume the unfinished intake"
absent "...nor a searched name carried in and left" "$D/carried_left" "Front desk" "Resume the unfinished intake"
expect "...but one answer given keeps it" "$D/pick_answered" "Resume the unfinished intake: Kay Kept"

# twenty-third tryout: a second intake begun for a client with one unfinished already, nothing said: two drafts
cli "$P\n$R\n" --user admin user add deskf --role reception >/dev/null 2>&1
{
    printf 'type deskf\nkey enter\ntype %s\nkey enter\n' "$R"
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\ndump %s/first_pick\nkey f3\n' "$D"
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\ntype 44\nkey enter\nkey f3\n'
    printf 'key n\nkey n\ntype Kay Kept\nkey enter\ntype 1\ndump %s/second_intake\nkey f3\n' "$D"
} >"$tmp/second.script"
tui "$tmp/second.script" 100 30
expect "a second intake of a client with one unfinished: said, with the way to the first" "$D/second_intake" "Kay Kept has an unfinished intake already"
absent "...never the intake just begun (every returning client was 'unfinished already': tryout 24)" "$D/first_pick" "Questions in" "has an unfinished intake already"

# twenty-fourth tryout: a returning client picked, nothing answered, and the desk quit (Ctrl-C twice ends as the
# script's end does): a draft was kept, which the next login opened
cli "$P\n$R\n" --user admin user add deskg --role reception >/dev/null 2>&1
printf 'type deskg\nkey enter\ntype %s\nkey enter\nkey n\ntype Kay Kept\nkey enter\ntype 1\n' "$R" >"$tmp/quitpick.script"
tui "$tmp/quitpick.script" 100 30
printf 'type deskg\nkey enter\ntype %s\nkey enter\ndump %s/quitpick_login\n' "$R" "$D" >"$tmp/quitpick2.script"
tui "$tmp/quitpick2.script" 100 30
absent "a returning client picked and the desk quit with nothing answered: nothing resumes at the next login" "$D/quitpick_login" "Front desk" "Resume the unfinished intake"

# ...but a name typed and not entered is kept over a quit, nothing else answered (tryout 21's text not entered; the
# rule above dropped it for a moment)
cli "$P\n$R\n" --user admin user add deskh --role reception >/dev/null 2>&1
printf 'type deskh\nkey enter\ntype %s\nkey enter\nkey n\nkey enter\ntype 1\ntype Hana Half\n' "$R" >"$tmp/typedquit.script"
tui "$tmp/typedquit.script" 100 30
printf 'type deskh\nkey enter\ntype %s\nkey enter\ndump %s/typedquit_login\n' "$R" "$D" >"$tmp/typedquit2.script"
tui "$tmp/typedquit2.script" 100 30
expect "a name typed, not entered, and the desk quit: back in the field at the next login" "$D/typedquit_login" "> Hana Half"

# ---- a returning client whose birth date is on record: her age skipped with Enter, the known birth date passed over,
# a 1 then recorded gender at once (eleventh tryout: passing over the known field disarmed the guard); held now
sed 's/^{/{"client":{"name":"Bea Born","phone":"13700000002","birth_date":"1990-02-03"},/' assets/examples/orange.json >"$tmp/born.json"
cli "$R\n" --user desk intake new "$tmp/born.json" >/dev/null 2>&1
{
    login
    printf 'key n\ntype 13700000002\nkey enter\ntype 1\nkey enter\ntype 1\ndump %s/born_gender\nkey esc\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/born.script"
tui "$tmp/born.script" 100 30
expect "returning, birth date known: after the skipped age a digit at gender is held, not recorded" "$D/born_gender" "1 = .*Enter records it"
# twenty-first tryout: an age that disagrees with her recorded birth date was told to correct the date "at its
# question", which a returning client is never asked; the advice names the review
{
    login
    printf 'key n\ntype 13700000002\nkey enter\ntype 1\ntype 20\nkey enter\ndump %s/born_age\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/bornage.script"
tui "$tmp/bornage.script" 100 30
tr -s ' \n' '  ' <"$D/born_age" >"$D/born_age_joined"
expect "returning: an age against the recorded birth date sends the worker to the review, where the date is" \
    "$D/born_age_joined" "fix the recorded birth date on the review (e)\."

# ---- sixteenth tryout: 1997-02-30 was refused with "the date format is YYYY-MM-DD" (the format was right)
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Dee Date\nkey enter\ntype 34\nkey enter\ntype 1997-02-30\nkey enter\n'
    printf 'dump %s/bad_date\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/baddate.script"
tui "$tmp/baddate.script" 100 30
expect "a date that does not exist: said so, not its format" "$D/bad_date" "a date that exists, as YYYY-MM-DD, not after today"
# twenty-second tryout: the field's name was cut inside its bracket ("What is your date of birth? (YYYY-MM-DD…:")
tr -s ' \n' '  ' <"$D/bad_date" >"$D/bad_date_joined"
expect "...naming the question without its bracketed note, never cut inside it" "$D/bad_date_joined" \
    "What is your date of birth?: a date that exists"

# ---- sixteenth tryout: an age of 30 and a birth in 1950 were both taken; the second is refused, with both numbers
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Ada Age\nkey enter\ntype 30\nkey enter\ntype 1950-01-01\nkey enter\n'
    printf 'dump %s/age_birth\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/agebirth.script"
tui "$tmp/agebirth.script" 100 30
tr -s ' \n' '  ' <"$D/age_birth" >"$D/age_birth_joined" # the message wraps
expect "an age and a date of birth that disagree: refused, with both ages" "$D/age_birth_joined" \
    "The date of birth gives age [0-9]*, but the age given is 30: correct the date of birth, or the age (Esc goes back to it)"
expect "...still at the date of birth" "$D/age_birth" "What is your date of birth"
# twentieth tryout: following the advice (back to the age, corrected) lost the date typed; it is there again
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Ada Age\nkey enter\ntype 30\nkey enter\ntype 1950-01-01\nkey enter\n'
    printf 'key esc\nkey backspace\nkey backspace\nkey enter\ndump %s/age_fixed\nkey enter\ndump %s/age_fixed_on\n' "$D" "$D"
    printf 'key f3\nkey x\ntype y\n'
} >"$tmp/agefix.script"
tui "$tmp/agefix.script" 100 30
expect "back to the age, emptied: the date of birth refused before is there again" "$D/age_fixed" "> 1950-01-01"
absent "...and Enter takes it (the next question)" "$D/age_fixed_on" "Question 4 of" "What is your date of birth"

# ---- twenty-second tryout: a search that found twelve showed nine and said nothing of the rest; a returning client
# among them looked new (a duplicate record in the making). The rest are counted, with what to do
for n in 1 2 3 4 5 6 7 8 9 10 11; do
    sed "s/^{/{\"client\":{\"name\":\"Tenfold Client$n\",\"phone\":\"1370000$((1000 + n))\"},/" assets/examples/orange.json >"$tmp/ten.json"
    cli "$R\n" --user desk intake new "$tmp/ten.json" >/dev/null 2>&1
done
{ login; printf 'key n\ntype Tenfold\nkey enter\ndump %s/found_more\nkey esc\nkey esc\n' "$D"; } >"$tmp/foundmore.script"
tui "$tmp/foundmore.script" 100 30
tr -s ' \n' '  ' <"$D/found_more" >"$D/found_more_joined"
expect "a search finding eleven: nine listed, the other two counted, with what to do" "$D/found_more_joined" \
    "\.\.\. and 2 more not shown: add to the search (the whole name, or the phone) before making a new client"

# ---- twenty-second tryout: Esc dropped what a field held and was not entered; it is there again on the way back
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Eli Esc\nkey enter\ntype 4\nkey esc\nkey enter\ndump %s/esc_kept\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/esckept.script"
tui "$tmp/esckept.script" 100 30
expect "Esc from a field with text not entered, then back: the text is in the field" "$D/esc_kept" "^  > 4 *$"

# ---- twentieth tryout: full-width digits (a Chinese input method's) were refused without a word of why: a digit key
# answers as its digit, and a typed age is read as the number
{
    login
    printf 'key h\ntype １\nkey enter\ndump %s/fw_channel\ntype ０\nkey enter\ndump %s/fw_answered\nkey f3\nkey x\ntype y\n' "$D" "$D"
    printf 'key n\nkey enter\ntype 1\ntype Wu Wide\nkey enter\ntype ３０\nkey enter\ndump %s/fw_age\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/fullwidth.script"
tui "$tmp/fullwidth.script" 100 30
expect "a full-width 1 answers the channel (the hotline quick screen begins)" "$D/fw_channel" "PHQ-2   Question 1 of 2"
expect "a full-width 0 answers the question as 0" "$D/fw_answered" "Question 2 of 2"
absent "a full-width age is taken as the number" "$D/fw_age" "What is your date of birth" "whole number"

# ---- a new client: the name just searched for is carried into the form (shown; the first key typed replaces it)
{
    login
    printf 'key n\ntype Nina Nobody\nkey enter\nkey n\ntype 1\ndump %s/carried\nkey f3\nkey x\ntype y\n' "$D"
    printf 'key n\ntype Olga Only\nkey enter\nkey enter\ntype 1\ndump %s/carried_enter\nkey f3\nkey x\ntype y\n' "$D"
    printf 'key n\ntype Nina Nobody\nkey enter\nkey n\ntype 1\ntype Nora Newname\ndump %s/carried_over\nkey f3\nkey x\ntype y\n' "$D"
    printf 'key n\ntype 13600000009\nkey enter\nkey n\ntype 1\ntype Pat Phone\nkey enter\nkey enter\nkey enter\ntype 1\nkey enter\ndump %s/carried_phone\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/carry.script"
tui "$tmp/carry.script" 100 30
expect "search: the name searched for is in the new client's form" "$D/carried" "> Nina Nobody"
if shows "$D/carried_enter" "Intake form   Question 1 of" && shows "$D/carried_enter" "> Olga Only"; then
    ok "search: nobody found, Enter also starts the new client with the name carried"
else
    bad "search: nobody found, Enter also starts the new client with the name carried" "$D/carried_enter"
fi
expect "search: a phone searched for is in the phone question" "$D/carried_phone" "> 13600000009"
# twenty-second tryout: typed over, the header named the client by the search until Enter
expect "search: the carried name typed over, the header names the client as typed" "$D/carried_over" "Intake: Nora Newname"
absent "...not by the search" "$D/carried_over" "> Nora Newname" "Intake: Nina Nobody"
# a slow typist (a real terminal): the clock ticks between the keys, once a second. The tick reached the question as
# a key pressed and took the carried name away about a second after it showed (the scripted walk above types
# faster than the clock; the receptionist saw an empty name field)
{
    login
    printf 'key n\ntick\ntype Sal Slow\ntick\nkey enter\ntick\nkey n\ntick\ntype 1\ntick\ntick\ndump %s/carried_slow\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/carryslow.script"
tui "$tmp/carryslow.script" 100 30
expect "search: a slow typist (the clock ticking between keys) still finds the name carried" "$D/carried_slow" "> Sal Slow"

expect "summary: the deadline as a clock time and the time left" "$D/kept_summary" "Deadline: 2026-12-0[5-9] [0-9][0-9]:[0-9][0-9] ([0-9].* left"
expect "summary: the step due and who takes it" "$D/kept_summary" "Due by then: .*by a clinician or supervisor\\|Due by then: .*by anyone at the desk"
expect "summary: a lower visit says the queue keeps the higher level" "$D/kept_summary" "This intake's answers give GREEN; the queue keeps ORANGE"

# ---- the occupation is kept: asked at the intake, it is on the client's record under its label (it was asked and
# kept nowhere: found reading the code, sixteenth session)
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Olga Occupa\nkey enter\ntype 41\nkey enter\nkey enter\ntype 1\nkey enter\n'
    printf 'type 13800138055\nkey enter\ntype 1\ntype night-shift nurse\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\nkey ctrl-s\ndump %s/occupation_saved\nkey enter\n' "$D"
    printf 'key f\ntype Olga Occupa\nkey enter\nkey enter\ndump %s/occupation_record\n' "$D"
} >"$tmp/occupation.script"
tui "$tmp/occupation.script" 100 30
expect "occupation: the intake is saved" "$D/occupation_saved" "Saved"
expect "occupation: the record shows it under its label" "$D/occupation_record" "Occupation: night-shift nurse"

# ---- help wrapped, never cut; the queue's column says what it counts; counselors by name; the assign list
# aligned in screen columns with Chinese names; the trajectory tells two visits on one day apart
sed 's/^{/{"client":{"name":"Gina Green","phone":"13700000002"},/' assets/examples/green.json >"$tmp/green.json"
cli "$R\n" --user desk intake new "$tmp/green.json" >/dev/null 2>&1 # a green item to assign
{
    login
    printf 'key ?\ndump %s/help\nkey esc\n' "$D"
    printf 'key e\nkey 4\ndump %s/queue\nkey g\ndump %s/assign\nkey enter\ndump %s/assign_enter\ntype 2\ndump %s/assign_digit\nkey enter\ndump %s/assigned\nkey esc\n' "$D" "$D" "$D" "$D" "$D"
    printf 'key f\ntype Kay Kept\nkey enter\ntype 1\ndump %s/record\nkey esc\n' "$D"
} >"$tmp/lists.script"
tui "$tmp/lists.script" 100 40
expect "help: a long line wraps (its end on the next line), not cut" "$D/help" "│  *[a-z ;]*shown)  *│"
expect "queue: the column counts the waiting, not the client's age" "$D/queue" "Waiting"
absent "queue: ...no column named Age" "$D/queue" "Waiting" " Age "
expect "queue: the assigned counselor by name, not code" "$D/assigned" "counselor 王伟 Wang Wei"
# thirty-fifth receptionist: one wrong digit assigned at once a counselor who speaks none of the client's languages,
# which reception cannot undo: a digit picks the row, Enter assigns it; the intake's suggestion is marked
absent "assign: a digit picks the row and assigns nobody yet" "$D/assign_digit" "Enter assigns the counselor highlighted" "Done: counselor assigned"
expect "assign: the intake's suggestion is marked in the list" "$D/assign" "<- suggested for this client"
# thirty-second receptionist: the list opened with its first row chosen, and an Enter assigned the counselor the client
# had just declined: nothing is chosen until a digit or Up/Down
expect "assign: Enter before any counselor is chosen assigns nobody, and says how to pick" "$D/assign_enter" "Pick a counselor: the digit of the row"
# thirtieth receptionist: the history's row said "assign" and not whom (a column of schema 13)
expect "queue: the history's assign row names the counselor" "$D/assigned" "assign .*王伟 Wang Wei (c[0-9]*)"
widths=$(grep '^  [1-9]  ' "$D/assign" | sed 's/ \(zh\|en\) .*//' | while IFS= read -r l; do printf '%s' "$l" | wc -L; done | sort -u)
if [ -n "$widths" ] && [ "$(echo "$widths" | wc -l)" -eq 1 ]; then
    ok "assign: the languages column starts at one screen column for Chinese and Latin names"
else
    bad "assign: the columns are aligned in screen columns (prefix widths: $(echo $widths))" "$D/assign"
fi
# ---- the search results: a letter typed there goes on with the search (it never opens a record), Enter opens
# the highlighted record (the first, or the one Up/Down moved to)
{
    login
    printf 'key f\ntype Kay\nkey enter\ntype x\ndump %s/find_letter\n' "$D"
    printf 'key backspace\nkey enter\nkey enter\ndump %s/find_enter\n' "$D"
} >"$tmp/findkeys.script"
tui "$tmp/findkeys.script" 100 30
absent "search results: a letter goes on with the search text" "$D/find_letter" "> Kayx" "Name: Kay Kept"
expect "search results: Enter opens the highlighted record" "$D/find_enter" "Name: Kay Kept"
# thirty-second receptionist: Esc from a record went to the front desk, and the next name typed ran its keys (e the
# queues, a acknowledge): back one step, to an empty search, where the name is typed
{
    login
    printf 'key f\ntype Kay\nkey enter\nkey enter\nkey esc\ntype ethan\ndump %s/record_back\n' "$D"
} >"$tmp/recback.script"
tui "$tmp/recback.script" 100 30
absent "Esc from a record found by f: back to the search, the next name typed into it" "$D/record_back" "> ethan" "Client Id"
# thirtieth receptionist: a capital N typed on an intake's results (the worker going on with "Nguyen") started a new
# client; a capital goes on with the search, n still starts a new client
{
    login
    printf 'key n\ntype Kay\nkey enter\ndump %s/intake_results\ntype N\ndump %s/intake_capital\n' "$D" "$D"
} >"$tmp/findcap.script"
tui "$tmp/findcap.script" 100 30
expect "set up: an intake's search lists Kay Kept" "$D/intake_results" "Kay Kept"
expect "an intake's results: a capital N goes on with the search text" "$D/intake_capital" "> KayN"
# thirty-first receptionist: a phone typed onto the results in one go picked the row of its first digit and put the
# rest into that client's age; "nguyen" typed so started a new client with its n
{
    login
    printf 'key n\ntype Kay\nkey enter\nburst 13700000001\ndump %s/results_phone\nkey enter\ndump %s/results_phone_found\n' "$D" "$D"
    printf 'key esc\nkey esc\nkey esc\nkey n\ntype Kay\nkey enter\nburst nguyen\ndump %s/results_word\n' "$D"
} >"$tmp/findburst.script"
tui "$tmp/findburst.script" 100 30
absent "an intake's results: a phone typed in one go is a new search by it, no row picked" "$D/results_phone" "> 13700000001" "Intake:"
expect "...Enter finds the client by it" "$D/results_phone_found" "Kay Kept"
absent "an intake's results: 'nguyen' typed in one go goes on with the search, no new client" "$D/results_word" "> Kaynguyen" "The client's language"
# seventeenth tryout: after "No client found." Backspace did nothing (letters still added to the search)
{
    login
    printf 'key f\ntype abc\nkey enter\ndump %s/none_found\nkey backspace\nkey backspace\ndump %s/none_mended\n' "$D" "$D"
} >"$tmp/findnone.script"
tui "$tmp/findnone.script" 100 30
expect "set up: no client found for abc" "$D/none_found" "No client found"
expect "...Backspace mends the search" "$D/none_mended" "> a *$"
expect "record: each visit of the trajectory with its date and time" "$D/record" "  20[0-9-]* [0-9][0-9]:[0-9][0-9]  [#.][#.]*"

# ---- one rule for q and Esc (from the key table): back one step on every screen (a prompt, a list, a screen);
# home has nothing behind it (Esc says q quits and F4 logs out). The queue's q went home from the assign list,
# the search's q was typed into the search, the summary ignored both (tryout)
{
    login
    printf 'key esc\ndump %s/qe_home\n' "$D"
    for k in q esc; do
        printf 'key e\nkey %s\ndump %s/qe_queue_%s\n' "$k" "$D" "$k"
        printf 'key e\nkey 4\nkey enter\nkey %s\ndump %s/qe_record_%s\nkey esc\n' "$k" "$D" "$k"
        printf 'key e\nkey 4\nkey down\nkey g\nkey %s\ndump %s/qe_assign_%s\nkey esc\n' "$k" "$D" "$k"
        printf 'key f\ntype Kay Kept\nkey enter\nkey %s\ndump %s/qe_search_%s\nkey esc\n' "$k" "$D" "$k"
        printf 'key ?\nkey %s\ndump %s/qe_help_%s\n' "$k" "$D" "$k"
    done
} >"$tmp/qesc.script"
tui "$tmp/qesc.script" 100 30
{
    printf 'type admin\nkey enter\ntype %s\nkey enter\n' "$P"
    for k in q esc; do printf 'key k\nkey enter\ndump %s/qe_report_run_%s\nkey %s\ndump %s/qe_report_%s\n' "$D" "$k" "$k" "$D" "$k"; done
} >"$tmp/qesc_admin.script"
tui "$tmp/qesc_admin.script" 100 30
expect "q/Esc: Esc on home says how to leave it" "$D/qe_home" "This is the front desk: q quits, F4 logs out"
for k in q esc; do
    expect "q/Esc: $k on the queue goes back to home" "$D/qe_queue_$k" "Front desk"
    absent "q/Esc: $k on a record goes back to the queue it was opened from" "$D/qe_record_$k" "Waiting" "Name: "
    absent "q/Esc: $k on the assign list closes it, on the queue" "$D/qe_assign_$k" "Waiting" "Assign a counselor"
    absent "q/Esc: $k on the search results goes back to the search text" "$D/qe_search_$k" "> Kay Kept *$" "1  [A-Z ]*Kay Kept"
    absent "q/Esc: $k closes the help" "$D/qe_help_$k" "Front desk" "Any key closes\\|q / Esc: close"
    if shows "$D/qe_report_run_$k" "Reports" && shows "$D/qe_report_$k" "Front desk"; then ok "q/Esc: $k on a report goes back to home"
    else bad "q/Esc: $k on a report goes back to home" "$D/qe_report_$k"; fi
done
expect "q/Esc: the help says q is Esc, back one screen" "$D/help" "as Esc, back one screen"

# ---- Chinese: the top bar's role, the queue's states and time left are in the staff language
{
    printf 'key f2\n'
    login
    printf 'dump %s/zh_home\nkey e\nkey 2\ndump %s/zh_queue\nkey c\ndump %s/zh_denied\n' "$D" "$D" "$D"
} >"$tmp/zhq.script"
tui "$tmp/zhq.script" 120 30
absent "zh: the top bar names the role in Chinese" "$D/zh_home" "desk (前台)" "(reception)"
expect "zh: the queue's time left in Chinese" "$D/zh_queue" "剩 [0-9]*时[0-9]*分"
absent "zh: ...not \"left\"" "$D/zh_queue" "剩 [0-9]*时[0-9]*分" " left"
expect "zh: a refusal of the core in Chinese, naming the role" "$D/zh_denied" "拒绝：前台无权确认风险等级"
expect "zh: the queue's state in Chinese" "$D/zh_queue" "待处理\|已确认收到\|等级已确认\|已分配\|已联系"

# ---- Chinese: a saved reason is shown in the staff language from the rule data (it was saved in English, by the
# CLI, and a Chinese desk read it so in the queue and the record); the record's intake level in words too
{
    printf 'key f2\n'
    login
    printf 'key e\nkey 2\ndump %s/zh_reason_queue\nkey esc\n' "$D"
    printf 'key f\ntype Kay Kept\nkey enter\nkey enter\ndump %s/zh_reason_record\n' "$D"
} >"$tmp/zhreason.script"
tui "$tmp/zhreason.script" 120 30
absent "zh: the queue's main reason in Chinese, from the rule data" "$D/zh_reason_queue" "PHQ-9 第 9 题阳性" "positive\\|thoughts of"
absent "zh: the record's reasons in Chinese" "$D/zh_reason_record" "PHQ-9 第 9 题阳性" "positive\\|thoughts of\\|moderate or worse\\|severe"
absent "zh: the record's intake level in Chinese" "$D/zh_reason_record" "  橙色  " "  orange  "

# ---- 80x24: no line cut inside a word: the queue's main reason ends after a word with a mark, the queue's keys
# wrap to a second line (they lost "record ? keys"), the record's reasons wrap under their first word
{
    login
    printf 'key e\nkey 2\ndump %s/cut_queue\nkey enter\ndump %s/cut_record\n' "$D" "$D"
} >"$tmp/cut.script"
tui "$tmp/cut.script" 80 24
expect "80x24 queue: the main reason is cut after a word, with a mark" "$D/cut_queue" "  PHQ-9 item 9… *$"
expect "80x24 queue: the keys' line wraps, its last keys kept" "$D/cut_queue" "^ record ? keys"
# (the first orange item is Li Review's, whose reason is the ASQ's non-acute positive)
expect "80x24 record: a reason wraps under its first word (never cut mid-word)" "$D/cut_record" "^          client leaves\.$"

# ---- an anonymous caller is shown by one id in the queue (the caller id), not initials, a record id and an item id
{
    login
    printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\ntype 0\ntype 00\ntype 1111\nkey ctrl-s\ndump %s/anon_saved\nkey enter\nkey e\nkey 4\ndump %s/anon_queue\n' "$D" "$D"
} >"$tmp/anon.script"
tui "$tmp/anon.script" 100 30
cid=$(grep -o '[A-HJ-NP-Z][A-HJ-NP-Z][A-HJ-NP-Z][0-9][0-9][0-9][0-9]' "$D/anon_saved" | head -1)
row=$(grep "^ *$cid " "$D/anon_queue" 2>/dev/null)
if [ -n "$cid" ] && [ -n "$row" ] && ! echo "$row" | grep -q '[0-9a-f]\{8\}'; then
    ok "queue: an anonymous caller's row shows the caller id alone ($cid)"
else
    bad "queue: an anonymous caller's row shows the caller id alone (caller id '$cid', row '$row')" "$D/anon_queue"
fi
absent "queue: ...and the detail line names no item id" "$D/anon_queue" "contact attempts 0" "Item [0-9a-f]"
# the queue's filter finds the caller by the start of the id, as read off the screen or typed in lower case
# (the blind index knows whole words only: "KMT" of KMT4821 found nothing; tryout)
start3=$(printf '%s' "$cid" | cut -c1-3)
start5=$(printf '%s' "$cid" | cut -c1-5 | tr 'A-Z' 'a-z')
{
    login
    printf 'key e\nkey /\ntype %s\nkey enter\ndump %s/anon_filter3\nkey esc\n' "$start3" "$D"
    printf 'key /\ntype %s\nkey enter\ndump %s/anon_filter5\n' "$start5" "$D"
} >"$tmp/anonfilter.script"
tui "$tmp/anonfilter.script" 100 30
if [ -n "$cid" ] && grep -q "^ *$cid " "$D/anon_filter3"; then ok "queue filter: the start of a caller id ($start3) finds the caller"
else bad "queue filter: the start of a caller id ($start3) finds the caller $cid" "$D/anon_filter3"; fi
if [ -n "$cid" ] && grep -q "^ *$cid " "$D/anon_filter5"; then ok "queue filter: ...typed in lower case ($start5) too"
else bad "queue filter: ...typed in lower case ($start5) too" "$D/anon_filter5"; fi

# ---- advice goes stale: "Ask the ASQ." (the self-harm concern's advice, [risk] data) shows until the ASQ is begun
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Ada Advice\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\ntype 13800138002\nkey enter\n'
    printf 'type 1\nkey enter\ntype 1\n'
    for _ in $(seq 11); do echo "key down"; done # the concern "self-harm" (no digit past 9)
    printf 'key space\nkey enter\nkey enter\ntype 2\ndump %s/advice_before\n' "$D"
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\n' # PHQ-9
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ndump %s/advice_after\nkey f3\nkey x\ntype discard\nkey enter\n' "$D"
} >"$tmp/advice.script"
tui "$tmp/advice.script" 120 36
expect "advice: the self-harm concern says to ask the ASQ before it is asked" "$D/advice_before" "Ask the ASQ"
if shows "$D/advice_after" "ASQ   Question 2 of" && shows "$D/advice_after" "suicide-risk screen" && ! shows "$D/advice_after" "Ask the ASQ"; then
    ok "advice: ...and no longer once the ASQ is begun (the reason stays)"
else
    bad "advice: ...and no longer once the ASQ is begun (the reason stays)" "$D/advice_after"
fi

# ---- the burst guard: a phone number typed at once after Enter skipped the optional phone field was taken as the
# answers to the next questions (digits answer choice questions); a paste at PHQ-9 question 8 reached item 9.
# `burst` types its characters 5 ms apart after the first (other script keys come a second apart, a person's pace):
# its first key answers, the second shows it was a burst and that answer is undone
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Bo Burst\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\n'
    printf 'key enter\nburst 13912345678\ndump %s/burst_phone\n' "$D" # Enter at the phone field, then the number
    printf 'key esc\ndump %s/burst_esc\n' "$D"                            # Esc clears what was held
    printf 'type 1\nkey enter\ndump %s/burst_after\n' "$D"              # a digit shown, Enter records it
    printf 'key enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\n'   # occupation, channel, concern, consent
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\nburst 1111\ndump %s/burst_phq9\n' "$D"
    printf 'type 1\ndump %s/burst_still\n' "$D"                          # an answer key a second later: still held
    printf 'key f3\nkey x\ntype y\n'
} >"$tmp/burst.script"
tui "$tmp/burst.script" 120 36
expect "burst: the number typed at once after Enter skipped the phone field is held on the language question" "$D/burst_phone" "Intake form   Question 6 of"
expect "burst: ...saying nothing was recorded" "$D/burst_phone" "Held, nothing recorded: 13912345678"
absent "burst: ...and the language is not answered" "$D/burst_phone" "Question 6 of" "Language *English\|Chinese (1)"
absent "burst: Esc clears what was held, on the same question" "$D/burst_esc" "Intake form   Question 6 of" "Held, nothing recorded"
expect "burst: a digit and Enter answer the question" "$D/burst_after" "Intake form   Question 7 of"
expect "burst: a paste at PHQ-9 question 8 stops there (its first key's answer undone)" "$D/burst_phq9" "PHQ-9   Question 8 of"
absent "burst: ...PHQ-9 item 9 is not answered by it" "$D/burst_phq9" "Question 8 of" "item 9 positive"
expect "burst: an answer key after a pause is not taken until Enter (answers never land one question early)" "$D/burst_still" "PHQ-9   Question 8 of"
expect "burst: ...and says to press Enter" "$D/burst_still" "press Enter to take answers again"

# ---- a draft left at ASQ question 5 after a yes (question 5 not answered): acute, red, on every path. Home's resume
# line and r (the interview still in memory) said ORANGE while the at-risk list and the next login (the stored
# draft) said RED (tryout)
{
    login
    intake_to_phq9 "Qiu Five" 1
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\nkey enter\n' # PHQ-9 3-9, the difficulty skipped
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 2\ntype 1\ntype 1\ntype 1\n' # GAD-7; ASQ yes no no no
    printf 'dump %s/q5_live\nkey f3\ndump %s/q5_home\nkey r\ndump %s/q5_resumed\n' "$D" "$D" "$D"
} >"$tmp/q5.script"
tui "$tmp/q5.script" 120 36
expect "ASQ q5 left: on screen it is being asked" "$D/q5_live" "ASQ   Question 5 of 5"
expect "ASQ q5 left: home's resume line says RED" "$D/q5_home" "Resume the unfinished intake: RED Qiu Five"
expect "ASQ q5 left: the at-risk list says RED, and why" "$D/q5_home" "RED · ASQ q5 not asked *Q.F. *by desk"
# resumed, question 5 is asked first (asking it resolves the unknown): red until answered, the red steps wait; the
# resume is kept in the draft, so the next login (left again) shows the red steps at once
expect "ASQ q5 left: r from home resumes it red, at question 5 with why" "$D/q5_resumed" "Question 5 was not asked before the intake stopped"
absent "ASQ q5 left: ...the red steps wait while it is asked" "$D/q5_resumed" "Risk level: RED" "RED: SAFETY STEPS NOW"
printf '%s' "$(login)" >"$tmp/q5login.script"
printf '\ndump %s/q5_login\nkey enter\ndump %s/q5_login_q\nkey f3\nkey x\ntype discard\nkey enter\n' "$D" "$D" >>"$tmp/q5login.script"
tui "$tmp/q5login.script" 120 36
expect "ASQ q5 left: the next login resumes it red as well" "$D/q5_login" "RED: SAFETY STEPS NOW"
expect "ASQ q5 left: ...at question 5, with the reason" "$D/q5_login_q" "question 5 not answered"

# ---- the summary after saving an ASQ non-acute positive (orange) says both: the BSSA is due NOW, before the client
# leaves, and the orange queue's deadline as a clock time with who must act (it gave only the 24 hours). 80x24,
# English and Chinese
for lng in en zh; do
    {
        [ $lng = zh ] && printf 'key f2\n'
        login
        intake_to_phq9 "Olu Orange $lng" 1 | sed "s/13800138000/1390000$([ $lng = en ] && echo 1111 || echo 2222)/"
        printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\nkey enter\n' # PHQ-9 3-9, the difficulty skipped
        printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 2\ntype 1\ntype 1\ntype 1\ntype 1\n' # ASQ yes, q5 no
        printf 'key enter\nkey ctrl-s\ndump %s/bssa_%s\nkey enter\n' "$D" "$lng"
    } >"$tmp/bssa.script"
    tui "$tmp/bssa.script" 80 24
done
expect "orange summary: the BSSA is due NOW, before the client leaves" "$D/bssa_en" "Due NOW, before the client leaves"
expect "orange summary: ...by a clinician (BSSA)" "$D/bssa_en" "brief"
expect "orange summary: then the orange queue, a later step" "$D/bssa_en" "Then, in the ORANGE queue (a later step):"
# (the summary is drawn in the second of the save or the next: 24 hours left, or 23h 59m)
expect "orange summary: ...its deadline as a clock time" "$D/bssa_en" "Deadline: 20[0-9-]* [0-9][0-9]:[0-9][0-9] (\(1d 00h\|23h 59m\) left"
expect "orange summary: ...and who must act" "$D/bssa_en" "confirm the level, by a clinician or supervisor"
expect "orange summary (zh): the BSSA is due now" "$D/bssa_zh" "现在就要做，来访者离开"
expect "orange summary (zh): then the orange queue" "$D/bssa_zh" "随后，在 橙色 队列中"
expect "orange summary (zh): ...its deadline as a clock time" "$D/bssa_zh" "20[0-9-]* [0-9][0-9]:[0-9][0-9]"

# ---- Esc out of a new intake: with nothing answered no draft is kept (an empty one, with no name, opened by itself
# at the next login: tryout); with answers it is kept and named, and the login says whose it resumes
drafts() { sqlite3 "$DB" "SELECT count(*) FROM drafts"; }
d0=$(drafts)
{
    login
    printf 'key n\nkey enter\ntype 1\ndump %s/esc_q1\nkey esc\ndump %s/esc_home\n' "$D" "$D"
} >"$tmp/escempty.script"
tui "$tmp/escempty.script" 100 30
expect "Esc at an empty intake's first question: home" "$D/esc_home" "Front desk"
absent "...no draft kept, and it says so" "$D/esc_home" "Nothing was answered: no draft kept" "Resume the unfinished intake"
if [ "$(drafts)" = "$d0" ]; then ok "...and none in the database"; else bad "...and none in the database ($(drafts), was $d0)"; fi
printf '%s' "$(login)" >"$tmp/escrelogin.script"
printf '\ndump %s/esc_relogin\n' "$D" >>"$tmp/escrelogin.script"
tui "$tmp/escrelogin.script" 100 30
absent "...the next login opens nothing" "$D/esc_relogin" "Front desk" "Unfinished intake resumed"
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Pat Partial\nkey enter\ntype 40\nkey enter\nkey esc\nkey esc\nkey esc\ndump %s/esc_partial\n' "$D"
} >"$tmp/escpartial.script"
tui "$tmp/escpartial.script" 100 30
expect "Esc out of an intake with answers: kept, saying so" "$D/esc_partial" "Kept as a draft, where it stopped: Pat Partial"
expect "...home's resume names it" "$D/esc_partial" "Resume the unfinished intake: Pat Partial"
printf '%s' "$(login)" >"$tmp/escrelogin2.script"
printf '\ndump %s/esc_relogin2\nkey f3\nkey x\ntype y\n' "$D" >>"$tmp/escrelogin2.script"
tui "$tmp/escrelogin2.script" 100 30
expect "...the next login resumes it saying whose" "$D/esc_relogin2" "Unfinished intake resumed: Pat Partial"

# ---- a second draft hid the first: home lists every unfinished intake of this worker (whose, when, where it
# stopped) and r, then a number, resumes the one picked
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Ann First\nkey enter\ntype 41\nkey enter\nkey f3\nadvance 60\n'
    printf 'key n\nkey n\nkey enter\ntype 1\ntype Bea Second\nkey enter\nkey f3\ndump %s/two_home\n' "$D"
    printf 'key r\ndump %s/two_pick\ntype 2\ndump %s/two_resumed\n' "$D" "$D"
    printf 'advance 60\nkey f3\nkey r\ntype 2\ndump %s/two_resumed_b\n' "$D" # Ann, left again, is now the newest
    printf 'key f3\nkey x\ntype 1\ntype y\nkey r\nkey f3\nkey x\ntype y\ndump %s/two_gone\n' "$D" # x, then which one
} >"$tmp/two.script"
tui "$tmp/two.script" 100 30
expect "two drafts: home lists them" "$D/two_home" "Your unfinished intakes (r, then its number):"
expect "two drafts: ...the newest first, with its level and where it stopped" "$D/two_home" "1  [A-Z]* Bea Second · [0-9-]* [0-9:]* · Intake form, Question 2 of"
expect "two drafts: ...and the first one too" "$D/two_home" "2  [A-Z]* Ann First · [0-9-]* [0-9:]* · Intake form, Question 3 of"
expect "two drafts: r asks which" "$D/two_pick" "Which one? Press its number"
expect "two drafts: 2 resumes the first one, where it stopped" "$D/two_resumed" "Intake: Ann First"
expect "two drafts: ...at its question" "$D/two_resumed" "Question 3 of"
expect "two drafts: r 2 then resumes the other (newest first)" "$D/two_resumed_b" "Intake: Bea Second"
absent "two drafts: both discarded, the list goes" "$D/two_gone" "Front desk" "Your unfinished intakes"

# ---- DEMO DATA whenever the database is a demo, however it is opened (here with the default configuration)
sed 's/^demo = no/demo = yes/' "$tmp/config.ini" >"$tmp/demo.ini"
printf 'demo-passphrase\n' >"$tmp/p"
"$T" --config "$tmp/demo.ini" --db "$tmp/demo.db" --user demo --passphrase-fd 3 init 3<"$tmp/p" >/dev/null
printf 'dump %s/demo_login\n' "$D" >"$tmp/demo.script"
TRIAGE_SCRIPT="$tmp/demo.script" LINES=30 COLUMNS=100 timeout 60 "$T" --config "$tmp/config.ini" --db "$tmp/demo.db" >/dev/null 2>&1
expect "demo: a demo database opened with --db and the default configuration says DEMO DATA" "$D/demo_login" "DEMO DATA"
# ...in the staff language once F2 switches it, whole at 80x24 (an English line ran off the Chinese login)
printf 'key f2\ndump %s/demo_login_zh\n' "$D" >"$tmp/demozh.script"
TRIAGE_SCRIPT="$tmp/demozh.script" LINES=24 COLUMNS=80 timeout 60 "$T" --config "$tmp/config.ini" --db "$tmp/demo.db" >/dev/null 2>&1
absent "demo: the login's demo line in Chinese after F2, whole at 80x24" "$D/demo_login_zh" "演示数据：用户 demo.*口令 demo-passphrase" "DEMO DATA: users"

# ---- the phone guard (issue 14): Enter skipped the call-back field and a number made only of digits that are valid
# answers, typed at a person's pace, answered the PHQ-2, GAD-2 and ASQ 1-2 silently (fifth tryout). After a skipped
# phone, number or date field a digit on the next choice question is held until Enter: the number is held, nothing
# recorded, and Enter puts it into the call-back field. The same in the intake form after the skipped phone field
{
    login
    printf 'key h\ntype 1\nkey enter\ntype 02121121211\ndump %s/phone_hot\n' "$D"
    printf 'key enter\ndump %s/phone_hot_moved\nkey enter\ntype 0\ndump %s/phone_hot_after\n' "$D" "$D"
    printf 'key f3\nkey x\ntype y\n'
    printf 'key n\nkey enter\ntype 1\ntype Pat Phone\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\n'
    printf 'key enter\ntype 13800138000\ndump %s/phone_intake\nkey enter\ndump %s/phone_intake_moved\nkey f3\nkey x\ntype y\n' "$D" "$D"
} >"$tmp/phone.script"
tui "$tmp/phone.script" 120 36
expect "phone guard: a number of answer digits after the skipped call-back field stays at PHQ-2 question 1" "$D/phone_hot" "PHQ-2   Question 1 of 2"
expect "phone guard: ...held, saying nothing was recorded" "$D/phone_hot" "Held, nothing recorded: 02121121211"
absent "phone guard: ...the GAD-2 not reached" "$D/phone_hot" "PHQ-2   Question 1 of 2" "GAD-2"
expect "phone guard: Enter puts the number into the call-back field" "$D/phone_hot_moved" "> 02121121211"
expect "phone guard: ...and Enter there goes on, a digit then answering at once" "$D/phone_hot_after" "PHQ-2   Question 2 of 2"
expect "phone guard: in the intake form the number is held on the language question" "$D/phone_intake" "Intake form   Question 6 of"
absent "phone guard: ...with the language unanswered and the occupation empty" "$D/phone_intake" "Held, nothing recorded: 13800138000" "> 3800138000\|Language *English"
expect "phone guard: ...and Enter puts it into the phone field" "$D/phone_intake_moved" "> 13800138000"

# ---- two drafts: after one of them is discarded home still says whose the other is and where it stopped (it showed
# nothing, though r worked); and x asks which one, as r does, and discards the one picked (it took the newest)
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Cy Keep\nkey enter\ntype 41\nkey enter\nkey f3\nadvance 60\n'
    printf 'key n\nkey n\nkey enter\ntype 1\ntype Di Drop\nkey enter\nkey f3\nadvance 60\n'
    printf 'key x\ndump %s/x_pick\ntype 2\ndump %s/x_ask\ntype y\ndump %s/x_after\n' "$D" "$D" "$D"
    printf 'key r\ndump %s/x_resumed\nkey f3\nkey x\ntype y\n' "$D"
} >"$tmp/xpick.script"
tui "$tmp/xpick.script" 100 30
expect "x with two drafts asks which one" "$D/x_pick" "Discard which one? Press its number"
expect "x 2 asks about the one listed second (the older), by name" "$D/x_ask" "Discard the unfinished intake of Cy Keep"
absent "after discarding one of two, home's resume line names the other" "$D/x_after" "Resume the unfinished intake: Di Drop" "Cy Keep"
expect "...and r resumes it" "$D/x_resumed" "Intake: Di Drop"

# ---- at 80x24 the review's last reason is reached: Down to the end shows it whole, its wrapped line too (the rule
# that kept a form's heading above took a reason's wrapped line for one and scrolled the end out of reach)
{
    login
    intake_to_phq9 "Rey View" 1 | sed 's/13800138000/13900005555/'
    printf 'type 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 1\ntype 2\n'                 # PHQ-9 3-9, difficulty
    printf 'type 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 3\ntype 1\ntype 1\ntype 1\ntype 1\n' # GAD-7; ASQ no (1)
    printf 'key enter\ndump %s/review_top\n' "$D"
    i=0
    while [ $i -lt 45 ]; do printf "key down\n"; i=$((i + 1)); done
    printf 'dump %s/review_end\nkey ctrl-s\nkey enter\n' "$D"
} >"$tmp/review.script"
tui "$tmp/review.script" 80 24
expect "review at 80x24: it opens at the top" "$D/review_top" "Review, then save"
if shows "$D/review_end" "YELLOW: GAD-7 total 10 or more" && ! shows "$D/review_end" "v more" &&
    grep -A1 "YELLOW: GAD-7 total 10 or more" "$D/review_end" | tail -1 | grep -q "symptoms\."; then
    ok "review at 80x24: Down reaches the last reason, whole, with no more below"
else
    bad "review at 80x24: Down reaches the last reason, whole, with no more below" "$D/review_end"
fi

# ---- the at-risk list names an anonymous caller by the caller id (the one to call back by and search for), not by
# "A.C." and the draft's id
{
    login
    printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\ntype 0\ntype 0\ntype 0\ntype 2\ntype 1\ntype 1\ntype 1\ndump %s/anon_risk_q\n' "$D"
    printf 'key f3\ndump %s/anon_risk_home\nkey x\ntype discard\nkey enter\n' "$D"
} >"$tmp/anonrisk.script"
tui "$tmp/anonrisk.script" 100 30
cid=$(grep -o 'Anonymous caller [A-HJ-NP-Z][A-HJ-NP-Z][A-HJ-NP-Z][0-9][0-9][0-9][0-9]' "$D/anon_risk_q" | head -1 | cut -d' ' -f3)
row=$(grep "^ *RED · ASQ q5 not asked  *$cid  *by desk" "$D/anon_risk_home" 2>/dev/null)
if [ -n "$cid" ] && [ -n "$row" ] && ! echo "$row" | grep -q '[0-9a-f]\{8\}'; then
    ok "at-risk list: an anonymous caller's row names the caller id ($cid), not a draft id"
else
    bad "at-risk list: an anonymous caller's row names the caller id (caller id '$cid', row '$row')" "$D/anon_risk_home"
fi

# ---- the channel decides the advice: a phone caller's ASQ non-acute positive says "before the call ends", never the
# in-room "before the client leaves" / "waits where staff can see them" ([safety] bssa.title_remote, due_remote)
{
    login
    printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\ntype 0\ntype 0\ntype 0\ntype 2\ntype 1\ntype 1\ntype 1\ntype 1\n'
    # the BSSA acknowledged; the call-back number owed at orange: none given (F5)
    printf 'dump %s/call_bssa\nkey enter\nkey f5\nkey ctrl-s\ndump %s/call_summary\nkey enter\n' "$D" "$D"
} >"$tmp/callbssa.script"
tui "$tmp/callbssa.script" 120 36
absent "phone caller: the BSSA steps' title says before the call ends" "$D/call_bssa" "BEFORE THE CALL ENDS" "BEFORE THE CLIENT LEAVES"
absent "phone caller: the summary says the BSSA is due before the call ends, no in-room advice" "$D/call_summary" \
    "Due NOW, before the call ends" "Due NOW, before the client leaves\|where staff can see them"

# ---- ? over the carried name asks for help and keeps the name (it replaced the name with "?")
{
    login
    printf 'key n\ntype Quin Query\nkey enter\nkey n\ntype 1\ntype ?\ndump %s/carried_help\nkey esc\ndump %s/carried_kept\n' "$D" "$D"
    printf 'key f3\nkey x\ntype y\n'
} >"$tmp/carriedhelp.script"
tui "$tmp/carriedhelp.script" 100 30
expect "carried name: ? opens the help" "$D/carried_help" "Esc or q closes this help"
absent "carried name: ...and the name is still there after it" "$D/carried_kept" "> Quin Query" "> ?"

# ---- the review of the next intake opens at its top, not at the row of the last one (its cursor carried over from
# the previous intake: fifth tryout), and its heading says whose intake it is, as every question's does (80x24)
{
    login
    intake_to_phq9 "Ray Carry" 1 | sed 's/13800138000/13900006661/'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\nkey enter\n' # PHQ-9 3-9, the difficulty skipped
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\n' # GAD-7, ASQ no
    for _ in $(seq 40); do echo "key down"; done
    printf 'dump %s/carry_first_end\nkey ctrl-s\nkey enter\n' "$D"
    intake_to_phq9 "Sue Second" 1 | sed 's/13800138000/13900006662/'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\nkey enter\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\n'
    printf 'dump %s/carry_second\n' "$D"
    for _ in $(seq 40); do echo "key down"; done
    printf 'dump %s/carry_second_end\nkey ctrl-s\nkey enter\n' "$D"
} >"$tmp/reviewcarry.script"
tui "$tmp/reviewcarry.script" 80 24
expect "review cursor: the first intake's review was scrolled to its end" "$D/carry_first_end" "GREEN"
if shows "$D/carry_second" "Review, then save" && shows "$D/carry_second" "^  What name would you like us to call you?"; then
    ok "review cursor: the next intake's review opens at its top (its first answer highlighted)"
else
    bad "review cursor: the next intake's review opens at its top (its first answer highlighted)" "$D/carry_second"
fi
expect "review heading: the review says whose intake it is, with the channel" "$D/carry_second" "Intake: Sue Second · Walk-in"
expect "review heading: ...and its reasons stay reachable at 80x24" "$D/carry_second_end" "Risk level: GREEN"

# ---- Esc while something is held after a skipped field: the first Esc clears it, the next goes back one question
# (leaving keys are never held; the first Esc only cleared a message: fifth tryout)
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Ed Esc\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\n'
    printf 'key enter\nburst 13912345678\ndump %s/esc_burst\nkey esc\nkey esc\ndump %s/esc_burst_back\nkey f3\nkey x\ntype y\n' "$D" "$D"
} >"$tmp/escburst.script"
tui "$tmp/escburst.script" 100 30
expect "held then Esc: the number held at the language question" "$D/esc_burst" "Held, nothing recorded"
expect "held then Esc: ...Esc clears it and the next Esc goes back to the phone question" "$D/esc_burst_back" "Intake form   Question 5 of"

# ---- home at 80x24 with five drafts of this worker and a RED unsaved draft of another: the at-risk list comes
# before the worker's own list, which is shortened ("and N more: r to choose") so that the at-risk row and the key
# line fit (the at-risk list and the keys were pushed off the bottom: fifth tryout); the discard prompt's rows are
# cleared first (the home's text showed beside it: "y:    of", a stray "(" at the right edge)
{
    printf 'type admin\nkey enter\ntype %s\nkey enter\n' "$P"
    printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\ntype 0\ntype 0\ntype 0\ntype 2\ntype 1\ntype 1\ntype 1\nkey f3\nkey f4\n' # ASQ q5 owed: RED
} >"$tmp/fivered.script"
tui "$tmp/fivered.script" 80 24
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Ann Five\nkey enter\nkey f3\nadvance 60\n'
    for nm in Bea Cy Di Eve; do printf 'key n\nkey n\nkey enter\ntype 1\ntype %s Five\nkey enter\nkey f3\nadvance 60\n' "$nm"; done
    printf 'dump %s/five_home\nkey x\ntype 1\ndump %s/five_x1\nkey esc\nkey h\ndump %s/five_h\n' "$D" "$D" "$D"
} >"$tmp/five.script"
tui "$tmp/five.script" 80 24
expect "home 80x24, five drafts: another worker's RED unsaved draft is listed" "$D/five_home" "RED.* [A-Z][A-Z][A-Z][0-9][0-9][0-9][0-9] *by admin"
expect "home 80x24, five drafts: ...the worker's own list is shortened, saying how to see the rest" "$D/five_home" "and [0-9]* more: r to choose"
expect "home 80x24, five drafts: ...and the key line fits" "$D/five_home" "?  Help *F4  Log out"
absent "home, several drafts: the resume line says r then a number (r asks which)" "$D/five_home" \
    "r  Resume one of them: r, then its number" "Resume the unfinished intake"
expect "home, a draft open: after h the notice says h again starts the call (it said n)" "$D/five_h" "h again starts the call"
box=$(awk '/Discard the unfinished intake of/ { on = 1 } on { print } /keep it/ { exit }' "$D/five_x1")
if [ -n "$box" ] && ! echo "$box" | grep -qv '^     [^ ]' && ! echo "$box" | grep -Eq '.{77,}'; then
    ok "discard prompt 80x24: its rows hold nothing but the question (cleared first)"
else
    bad "discard prompt 80x24: its rows hold nothing but the question (cleared first)" "$D/five_x1"
fi


# ---- thirteenth tryout, at 80x24 as a supervisor: n with drafts stored and none open went straight to the search
# (with one open it asked), so "n n" typed its second n into the search; the resume line's second line began under
# its key; the roster and staff keys were pushed off under a list of drafts
{
    printf 'type admin\nkey enter\ntype %s\nkey enter\n' "$P" # the RED hotline draft above resumes at login
    printf 'key f3\ndump %s/sup_red_home\nadvance 60\nkey n\nkey n\nkey enter\ntype 1\ntype Sup Second\nkey enter\nkey f3\n' "$D"
    # a minute apart: the list puts the RED draft first (1), then the newest, Sup Third (2, x's pick)
    printf 'advance 60\nkey n\nkey n\nkey enter\ntype 1\ntype Sup Third\nkey enter\nkey f3\nkey x\ntype 2\ndump %s/sup_x\ntype y\n' "$D"
    printf 'dump %s/sup_home\nkey n\ndump %s/sup_n1\nkey n\ndump %s/sup_n2\nkey esc\nkey h\nkey h\n' "$D" "$D" "$D"
    printf 'type 1\nkey enter\ntype 0\nkey enter\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\ndump %s/sup_review\n' "$D"
} >"$tmp/sup.script"
tui "$tmp/sup.script" 80 24
if awk '/r  Resume the unfinished intake:/ { getline; exit !/^       [^ ]/ }' "$D/sup_red_home"; then
    ok "home 80x24: the resume line's second line starts under its text, not under its key"
else
    bad "home 80x24: the resume line's second line starts under its text, not under its key" "$D/sup_red_home"
fi
expect "home 80x24, two drafts listed: the roster key stays in sight" "$D/sup_home" "c  Counselor roster"
expect "home 80x24, two drafts listed: ...and the staff key" "$D/sup_home" "s  Staff"
expect "home 80x24: x then 2 asks about the newest draft after the RED one" "$D/sup_x" "Discard the unfinished intake of Sup Third"
expect "home 80x24, two drafts listed: ...and the drafts, the RED one first" "$D/sup_home" "1  RED Anonymous caller"
expect "home 80x24, two drafts listed: ...then the other" "$D/sup_home" "2  GREEN Sup Second"
expect "n with two drafts stored and none open asks first, naming how many and the highest level" "$D/sup_n1" \
    "Unfinished intakes: 2, highest RED"
expect "...and a second n starts another" "$D/sup_n2" "Find the client"
# the review at 80x24 showed three to five answers at a time: the panel below gives it three rows
expect "review 80x24: the quick screen's answers down to the GAD-2 show at once" "$D/sup_review" "Feeling nervous, anxious"
expect "review 80x24: ...the panel keeps its level" "$D/sup_review" "Risk level: GREEN"
# ---- the summary's decline names whom the client declines; the next suggestion is the next counselor, never the one
# declined; three in a row send the client to a person, and with nobody left there is nothing to decline (tryout 19:
# declines named nobody, and one suggestion declined three times made three)
cli "$P\n$R\n" --user admin user add deskd --role reception >/dev/null 2>&1 # a worker with no draft to resume
{
    printf 'type deskd\nkey enter\ntype %s\nkey enter\n' "$R"
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\n'
    printf 'key enter\nkey enter\ntype 1\nkey enter\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\nkey ctrl-s\ndump %s/dec_summary\n' "$D"
    # forty-second receptionist: "dai" then Enter typed on the summary recorded a decline of a RED client with "ai" as
    # its reason; "Dai" the same. A capital is typing; d asks first, and a letter puts the question away
    printf 'type Dai\ndump %s/dec_typed_capital\nkey enter\ndump %s/dec_typed_ended\n' "$D" "$D"
    printf 'key d\ntype ai\ndump %s/dec_typed_lower\nkey enter\n' "$D"
    # forty-third receptionist: "Ahmed" and Enter typed at once, twice, reached the reason with the first d and Enter
    # and recorded "Ahmed" as the reason: the word's d is typing, and the question's Enter counts after a pause only
    printf 'burst Ahmed\nsoon enter\nburst Ahmed\nsoon enter\ndump %s/dec_ahmed\n' "$D"
    printf 'burst david\nsoon enter\ndump %s/dec_david\n' "$D"
    printf 'key d\ndump %s/dec_q1\nkey enter\ndump %s/dec_ask1\ntype too far away\nkey enter\ndump %s/dec_after1\n' "$D" "$D" "$D"
    printf 'key d\nkey enter\ndump %s/dec_ask2\ntype evening only\nkey enter\nkey d\nkey enter\ntype wants a man\nkey enter\ndump %s/dec_after3\nkey d\ndump %s/dec_none\nkey enter\n' "$D" "$D" "$D"
} >"$tmp/decline.script"
tui "$tmp/decline.script" 100 30
first=$(sed -n 's/.*Suggested counselor: \(.*[^ ]\) *$/\1/p' "$D/dec_summary" | head -1)
second=$(sed -n 's/.*Suggested counselor: \(.*[^ ]\) *$/\1/p' "$D/dec_after1" | head -1)
expect "summary decline: it names whom the client declines, the suggestion ($first)" "$D/dec_ask1" "The client declines: $first"
expect "summary: a capital typed is typing, no decline asked" "$D/dec_typed_capital" "Typing here does nothing: this is the intake's summary"
expect "summary: ...its Enter ends the typing, nothing done" "$D/dec_typed_ended" "The typing ended: nothing was done"
absent "summary: 'd' then 'ai': the question put away, no reason asked" "$D/dec_typed_lower" "Suggested counselor" "Why did the client decline"
absent "summary: 'Ahmed' Enter twice at once: no reason asked" "$D/dec_ahmed" "Suggested counselor" "Why did the client decline"
absent "summary: 'david' Enter at once: no reason asked" "$D/dec_david" "Suggested counselor" "Why did the client decline"
absent "...nothing recorded by any of them" "$D/dec_david" "Suggested counselor" "Recorded: the client declined"
expect "summary: d asks first, naming the counselor" "$D/dec_q1" "Record that the client declined $first? Enter: yes"
if [ -n "$first" ] && [ -n "$second" ] && [ "$first" != "$second" ]; then
    ok "...recorded, the next suggestion is another counselor ($second)"
else
    bad "...recorded, the next suggestion is another counselor (was '$first', now '$second')" "$D/dec_after1"
fi
expect "...three in a row: the client goes to a person" "$D/dec_after3" "Three declines in a row"
expect "...and with every suggestion declined, none is offered" "$D/dec_after3" "none left"
expect "...nor anybody to decline" "$D/dec_none" "Nothing to decline"
absent "...the second prompt without the first decline's 'Recorded' under it (tryout 24)" "$D/dec_ask2" "Why did the client decline" "Recorded: the client declined"
absent "...and d no longer offered once nobody is left" "$D/dec_after3" "Suggested counselor" "d: the client declined"
n=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'queue_declined'")
rowd=$(sqlite3 "$DB" "SELECT detail FROM audit WHERE action = 'queue_declined' ORDER BY seq DESC LIMIT 1")
if [ "$n" -ge 3 ] && [ "$(printf '%s\n' $rowd | sort -u | wc -l)" -eq 3 ]; then ok "...the signed trail names three counselors in the row ($rowd)"; else bad "...the signed trail names three counselors in the row ($n entries, '$rowd')"; fi

# ---- twenty-fifth tryout: a hotline draft with one answer vanished when it was taken up, discarded as "empty": what
# the record had filled in of the last intake on screen (a returning client's name and phone) was still marked as
# known, and hid its answer. A returning client's intake kept, a hotline call with its channel answered kept, the
# returning one taken up and left, then the call taken up: it must open, its answer there.
cli "$P\n$R\n" --user admin user add deskst --role reception >/dev/null 2>&1
{
    printf 'type deskst\nkey enter\ntype %s\nkey enter\n' "$R"
    printf 'key n\ntype Kay Kept\nkey enter\ntype 1\ntype 34\nkey enter\nkey f3\nadvance 120\n' # returning: name, phone from the record
    printf 'key h\nkey h\ntype 1\nkey f3\nadvance 120\ndump %s/stale_home\n' "$D"         # a call: its channel answered, kept
    # Kay taken up (her identity known: the call is the newest), one more question passed (saved: she is the newest)
    printf 'key r\ntype 2\ndump %s/stale_kay\nadvance 120\nkey enter\nkey f3\nadvance 120\n' "$D"
    printf 'dump %s/stale_home2\nkey r\ntype 2\ndump %s/stale_call\n' "$D" "$D"  # the call taken up
} >"$tmp/stale1.script"
# (a fixed clock that the script's advance moves: the drafts' order in the list is then known)
TRIAGE_NOW=2026-12-06T10:00:00Z tui "$tmp/stale1.script" 100 30
expect "stale known: set up, the call kept with its channel answered" "$D/stale_home" "Anonymous caller .*Hotline call, Question 2 of 2"
expect "...Kay taken up first" "$D/stale_kay" "Intake: Kay Kept"
expect "...then the call taken up opens, its answer there" "$D/stale_call" "Intake: Anonymous caller [A-Z0-9]* · Phone"
absent "...never forgotten as empty" "$D/stale_call" "triage" "Nothing was answered: no draft kept"

# ---- twenty-sixth tryout: a draft taken up at a question already answered showed an empty field, and the Enter
# that followed took the answer away (a new client's name became "no name yet"). A name and an age entered, Esc back
# to the name and home, another intake begun and left, then the first taken up from home's list.
cli "$P\n$R\n" --user admin user add deskan --role reception >/dev/null 2>&1
{
    printf 'type deskan\nkey enter\ntype %s\nkey enter\n' "$R"
    printf 'key n\nkey enter\ntype 1\ntype Chen Lihua\nkey enter\ntype 50\nkey enter\nkey esc\nkey esc\nkey esc\n'
    printf 'key n\nkey n\nkey enter\ntype 1\nadvance 120\ntype Other One\nkey enter\nkey f3\nadvance 120\n'
    printf 'key r\ntype 2\ndump %s/answered_resumed\nkey enter\ndump %s/answered_enter\n' "$D" "$D"
} >"$tmp/answered.script"
TRIAGE_NOW=2026-12-06T10:00:00Z tui "$tmp/answered.script" 100 30
expect "answered, taken up: the field shows its answer" "$D/answered_resumed" "^ *> Chen Lihua"
expect "...and Enter keeps it, on to the next" "$D/answered_enter" "Intake: Chen Lihua .*form 1 of 4"
expect "...the age there too" "$D/answered_enter" "^ *> 50"

# ---- twenty-seventh tryout: after a resume, a digit waits for Enter, and an Enter right behind it (r 1 0 Enter, 120
# ms apart) recorded it: PHQ-9 item 9's 2 became 0, ORANGE fell. The Enter that records a held digit must not come
# right behind it: held as a burst, the digit dropped, the worker picks again.
cli "$P\n$R\n" --user admin user add deskrb --role reception >/dev/null 2>&1
{
    printf 'type deskrb\nkey enter\ntype %s\nkey enter\n' "$R"
    printf 'key n\nkey enter\ntype 1\ntype Rae Burst\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\ntype 13800138000\nkey enter\n'
    printf 'type 1\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\ntype 1\ntype 0\n'
    for _ in 1 2 3 4 5 6; do printf 'type 0\n'; done
    printf 'type 2\nkey esc\ndump %s/rb_before\nkey f3\nkey r\nsoon 0\nsoon enter\ndump %s/rb_fast\n' "$D" "$D"
    printf 'key enter\nkey enter\ndump %s/rb_after\n' "$D"
} >"$tmp/resumeburst.script"
tui "$tmp/resumeburst.script" 120 36
expect "resume burst: set up, PHQ-9 item 9 answered 2, ORANGE" "$D/rb_before" "Risk level: ORANGE"
expect "...taken up, 0 and Enter right behind it: held, said so" "$D/rb_fast" "Keys arrived too fast: no answer taken"
expect "...still ORANGE, on question 9" "$D/rb_fast" "Risk level: ORANGE"
expect "...Enter after a pause, then Enter: on to question 10, item 9 still 2 (ORANGE)" "$D/rb_after" "Risk level: ORANGE"
absent "...never YELLOW or GREEN" "$D/rb_after" "Risk level" "Risk level: \(YELLOW\|GREEN\)"

# ---- twenty-seventh and twenty-eighth tryouts: a returning client's phone changed on the review was silently not
# stored, and one cleared kept the record's without a word: changed, the record takes it and the summary says so;
# cleared, the summary says the record keeps its number
DB="$tmp/pia.db" # a database of its own: no draft of the walks above resumes at the login
cli "$P\n" --user admin init >/dev/null
cli "$P\n$R\n" --user admin user add desk --role reception >/dev/null
cli "$P\n" --user admin roster import assets/counselors.sample.ini >/dev/null
sed 's/^{/{"client":{"name":"Pia Phone","phone":"13700000077"},/' assets/examples/green.json >"$tmp/pia.json"
cli "$R\n" --user desk intake new "$tmp/pia.json" >/dev/null 2>&1
pia_review() { # keys after the forms, on the review
    login
    printf 'key n\ntype Pia Phone\nkey enter\ntype 1\n'
    printf 'key enter\nkey enter\ntype 1\nkey enter\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\n'
    printf 'dump %s/pia_review\nkey down\nkey down\nkey down\nkey down\nkey e\ndump %s/pia_phone\n' "$D" "$D"
    printf 'key backspace\n%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14
    printf '%b' "$1"
    printf 'key enter\nkey ctrl-s\ndump %s/%s\nkey enter\n' "$D" "$2"
}
pia_review 'type 13700000078\n' pia_changed >"$tmp/pia1.script"
tui "$tmp/pia1.script" 100 40
expect "returning: the phone question opened from the review, the record's number in it" "$D/pia_phone" "> 13700000077"
expect "returning: a phone changed on the review: the summary says the record takes it" "$D/pia_changed" "Phone on the record changed to: 13700000078"
cli "$R\n" --user desk client find 13700000078 >"$tmp/pia.out" 2>&1
expect "...and the record is found by the new number" "$tmp/pia.out" "Pia Phone"
pia_review '' pia_cleared >"$tmp/pia2.script"
tui "$tmp/pia2.script" 100 40
expect "returning: a phone cleared on the review: the summary says the record keeps its number" "$D/pia_cleared" "the record keeps its phone.*13700000078"

# ---- twenty-ninth tryout: a name filter of 24 namesakes drew 16 rows, a RED Li Meiling among the 8 never shown and
# Down moved the selection off the screen; the search list put a RED Li Mei 13th: the most urgent first, the rows
# say which show, and the list scrolls with the selection
DB="$tmp/names.db"
cli "$P\n" --user admin init >/dev/null
cli "$P\n$R\n" --user admin user add desk --role reception >/dev/null
for k in $(seq 10 29); do
    printf '{"client":{"name":"Li Mei","phone":"137000010%s"},"answers":{"asq":["no","no","no","no"]}}' "$k" >"$tmp/lm.json"
    cli "$R\n" --user desk intake new "$tmp/lm.json" >/dev/null 2>&1
done
printf '{"client":{"name":"Li Meiling","phone":"13700001099"},"answers":{"asq":["yes","yes","yes","yes","yes"]}}' >"$tmp/lm.json"
cli "$R\n" --user desk intake new "$tmp/lm.json" >/dev/null 2>&1
{
    login
    printf 'key e\nkey /\ntype Li Mei\nkey enter\ndump %s/names_filter\n' "$D"
    printf 'key down\n%.0s' $(seq 1 20)
    printf 'dump %s/names_bottom\nkey esc\nkey esc\nkey n\ntype Li Mei\nkey enter\ndump %s/names_find\nkey esc\nkey esc\n' "$D" "$D"
} >"$tmp/names.script"
tui "$tmp/names.script" 100 30
expect "21 namesakes filtered: the RED one first" "$D/names_filter" "^ *L\.M\. *[0-9a-f]* *RED"
expect "...the rows shown said, and that Down shows more" "$D/names_filter" "Filter \"Li Mei\": 21   1-[0-9]* / 21  (.*: more)"
expect "...Down to the last: the list scrolls to it" "$D/names_bottom" "Filter \"Li Mei\": 21   [0-9]*-21 / 21"
expect "the search: the RED Li Meiling first, its level before the name" "$D/names_find" "1  RED *Li Meiling"
# thirty-first receptionist: a filter of hex digits and hyphens (a phone, "abed") was read as an item id only: "Nothing
# in this queue" over the RED client with that phone
printf '{"client":{"name":"Abed Fadel","phone":"555-0204"},"answers":{"asq":["yes","no","no","no","no"]}}' >"$tmp/ab.json"
cli "$R\n" --user desk intake new "$tmp/ab.json" >/dev/null 2>&1
{
    login
    printf 'key e\nkey /\ntype 555-0204\nkey enter\ndump %s/filter_phone\nkey esc\n' "$D"
    printf 'key /\ntype abed\nkey enter\ndump %s/filter_abed\nkey esc\n' "$D"
} >"$tmp/hexfilter.script"
tui "$tmp/hexfilter.script" 100 30
expect "the queue filtered by a phone of digits and a hyphen: the client's item" "$D/filter_phone" "Filter \"555-0204\": 1"
expect "...by a name of hex letters, 'abed': the client's item" "$D/filter_abed" "Filter \"abed\": 1"
# thirty-second receptionist: a filter left on the queues at a logout was there at the next login, "0" over the RED
# tab, naming the client searched for
{
    login
    printf 'key e\nkey /\ntype Li Mei\nkey enter\nkey f4\n' "$D"
    login
    printf 'key e\ndump %s/filter_after_logout\n' "$D"
} >"$tmp/filterlogout.script"
tui "$tmp/filterlogout.script" 100 30
absent "after a logout and a login the queues show no filter left by the last worker" "$D/filter_after_logout" "RED" "Filter"
# thirty-second receptionist: a name typed onto the front desk, "ethan", opened the queues with e and acknowledged the
# top overdue RED item with a, unseen: a step key right behind another key is held, and said; a deliberate one acts
{
    login
    printf 'burst ea\ndump %s/queue_burst\nkey a\nkey enter\ndump %s/queue_deliberate\n' "$D" "$D"
} >"$tmp/queueburst.script"
tui "$tmp/queueburst.script" 100 30
expect "the queues: a typed 'ea' acknowledges nothing, and says why" "$D/queue_burst" "Keys arrived too fast: nothing was done to this item"
absent "...no step taken" "$D/queue_burst" "Keys arrived too fast" "Done: acknowledged"
expect "...the same key a moment later acknowledges" "$D/queue_deliberate" "Done: acknowledged"
# every queue step taken so far, and a walk that must take none of them
steps() { sqlite3 "$DB" "SELECT count(*) FROM queue_events WHERE action IN ('ack', 'decline', 'contact', 'confirm', 'raise', 'close', 'assign')"; }
took_no_step() { # name script
    steps_before=$(steps)
    tui "$2" 100 30
    steps_after=$(steps)
    if [ "$steps_before" = "$steps_after" ]; then ok "$1"; else bad "$1 ($steps_before, then $steps_after)"; fi
}
new_clients() { # example phone name...: a client of assets/examples/EXAMPLE.json each, saved by reception, unseen
    ex=$1 ph=$2
    shift 2
    for who in "$@"; do
        sed "s/^{/{\"client\":{\"name\":\"$who\",\"phone\":\"$ph\"},/" "assets/examples/$ex.json" >"$tmp/nc.json"
        cli "$R\n" --user desk intake new "$tmp/nc.json" >/dev/null 2>&1
    done
}
# thirty-third receptionist: after a pause, "alice" acknowledged with its a, and "david" opened the decline with its d
# and recorded "avid" as the reason: a step key with more keys right behind it is the start of a word, held
{
    login
    printf 'key e\nkey /\ntype Rita Burst\nkey enter\nburst alice\ndump %s/queue_word_a\nburst david\ndump %s/queue_word_d\n' "$D" "$D"
} >"$tmp/queueword.script"
printf '{"client":{"name":"Rita Burst","phone":"13700002222"},"answers":{"asq":["yes","yes","yes","yes","yes"]}}' >"$tmp/rb.json"
cli "$R\n" --user desk intake new "$tmp/rb.json" >/dev/null 2>&1
took_no_step "the queues: 'alice' and 'david' typed after a pause take no step" "$tmp/queueword.script"
absent "the queues: 'alice' typed after a pause acknowledges nothing" "$D/queue_word_a" "Keys arrived too fast\|Typing here does nothing" "Done: acknowledged"
absent "...'david' opens no decline prompt" "$D/queue_word_d" "Keys arrived too fast\|Typing here does nothing" "Why did the client decline"

# thirty-fifth receptionist: "Zhao Dan" typed onto the queue list at 0.4 s a key (a search box thought to have the keys)
# acknowledged a RED client with its a and recorded a decline with "Dan": a letter the list has no use for is typing,
# said so, and step keys take no step until the typing stops (here at a person's pace, 1 s a key); moving the selection
# is looking, after which a step key acts
{
    login
    printf 'key e\ntype Zhao Dan\ndump %s/queue_typed\nkey enter\nkey esc\nkey q\nkey q\n' "$D"
} >"$tmp/queuetyped.script"
took_no_step "the queues: 'Zhao Dan' typed at a person's pace, then Enter, takes no step" "$tmp/queuetyped.script"
absent "...and says typing does nothing there" "$D/queue_typed" "Typing here does nothing" "Why did the client decline"
{
    login
    printf 'key e\ntype Zhao\nkey down\nkey up\nkey a\nkey enter\ndump %s/queue_after_typed\n' "$D"
} >"$tmp/queuelook.script"
tui "$tmp/queuelook.script" 100 30
expect "...after a look (the selection moved), a acknowledges" "$D/queue_after_typed" "Done: acknowledged"

# forty-first receptionist: "Mari", four seconds of thought, "a" and Enter acknowledged a RED client (the hold had run
# out during the pause, and the Enter ending the name took the step); "Ada" with ten seconds before its last a, the
# same. A word typed onto the list goes on until a key that is no character ends it: its Enter does nothing
new_clients red 13700004444 "Mari Pause" # a RED client nobody has acknowledged, at the top of the list
{
    login
    printf 'key e
type Mari
pause 4
key a
dump %s/queue_pause_a
key enter
dump %s/queue_pause_enter
' "$D" "$D"
    printf 'type Ad
pause 10
key a
key enter
key q
key q
'
} >"$tmp/queuepause.script"
took_no_step "the queues: 'Mari', a pause, 'a' Enter, and 'Ad', a pause, 'a' Enter take no step" "$tmp/queuepause.script"
expect "...the a after the pause is typing" "$D/queue_pause_a" "Typing here does nothing"
absent "...no acknowledgement asked" "$D/queue_pause_a" "Typing here does nothing" "Acknowledge .*Enter: yes"
expect "...and the Enter that ends the name says the typing ended" "$D/queue_pause_enter" "The typing ended: nothing was done"
{
    login
    printf 'key e
type Mari
key enter
key a
key enter
dump %s/queue_word_then_ack
key q
key q
' "$D"
} >"$tmp/queueended.script"
new_clients red 13700004445 "Ada Ended"
tui "$tmp/queueended.script" 100 30
expect "...after the word's Enter, a and Enter acknowledge (a step asked for on purpose)" "$D/queue_word_then_ack" "Done: acknowledged"

# thirty-fifth receptionist: x on a RED item showed reception the whole outcome menu, and "denied" only after a choice
{
    login
    printf 'key e\nkey x\ndump %s/queue_x_reception\nkey q\nkey q\n' "$D"
} >"$tmp/queuex.script"
tui "$tmp/queuex.script" 100 30
absent "x as reception: refused at once, saying a receptionist may not close" "$D/queue_x_reception" "may not close" "Close with the outcome"

# thirty-sixth receptionist: words made of the queue's step letters, typed at any pace, took steps: "eada" from the
# front desk acknowledged a RED client, "dai xu" then Enter recorded a decline, "cat" logged a contact, and a
# supervisor's "cai" then Enter confirmed an ORANGE level. No step is taken by one key now: each is asked again,
# naming the client, and a letter puts the question away
new_clients red 13700003333 "Wendy Words" "Wes Words" # two RED clients nobody has acknowledged, and an ORANGE one
new_clients orange 13700003334 "Olga Words"
{
    login
    printf 'type eada\ndump %s/words_eada\nkey esc\nkey esc\n' "$D"
    printf 'key e\ntype dai xu\nkey enter\nkey esc\nkey esc\nkey esc\n'
    printf 'key e\ntype cat\nkey esc\nkey esc\n'
    printf 'key e\ntype xu1\nkey enter\ndump %s/words_xu1\nkey esc\nkey esc\nkey esc\nkey f4\n' "$D"
    printf 'type admin\nkey enter\ntype %s\nkey enter\nkey e\ntype cai\nkey enter\nkey esc\nkey esc\nkey esc\nkey f4\n' "$P"
} >"$tmp/words.script"
took_no_step "the queues: 'eada', 'dai xu' Enter, 'cat', 'xu1' Enter and a supervisor's 'cai' Enter take no step" "$tmp/words.script"
expect "...'eada': the question put away, said so" "$D/words_eada" "Put away: letters are no answer there\\|Typing here does nothing"
absent "...'xu1' Enter: no raise prompt left open" "$D/words_xu1" "triage" "Why raise it"
{
    login
    printf 'key e\nkey a\ndump %s/step_asked\nkey enter\ndump %s/step_taken\nkey q\nkey q\n' "$D" "$D"
} >"$tmp/stepask.script"
tui "$tmp/stepask.script" 100 30
expect "a: asked again, naming the client and the level" "$D/step_asked" "Acknowledge [A-Z.]* [0-9a-f]* (RED)? Enter: yes"
expect "...Enter: acknowledged" "$D/step_taken" "Done: acknowledged"

# thirty-seventh receptionist: a step key refused at once (reception's c and x, t with no counselor, a on an item
# acknowledged) asked nothing and held nothing, so "ca", "xa", "ta" then Enter acknowledged, and "Tad" Enter "Smith"
# Enter recorded a decline with "Smith" as its reason; and the clock's tick put every question away after a second
new_clients red 13700003335 "Cara Words" "Tad Words"
{
    login
    printf 'key e\ntype ca\nkey enter\nkey esc\nkey esc\nkey e\ntype xa\nkey enter\nkey esc\nkey esc\n'
    printf 'key e\ntype ta\nkey enter\nkey esc\nkey esc\nkey e\ntype Tad\nkey enter\ntype Smith\nkey enter\nkey esc\nkey esc\nkey f4\n'
} >"$tmp/refusedwords.script"
took_no_step "the queues: 'ca', 'xa', 'ta' then Enter, and 'Tad' Enter 'Smith' Enter, take no step" "$tmp/refusedwords.script"
# forty-fourth receptionist: after a refused t, a deliberate a five seconds later was held as typing for a minute, and
# said "Typing here does nothing": the acknowledgement of a RED client waited for an Enter or an arrow nobody asked for
{
    login
    printf 'key e
key t
pause 5
key a
dump %s/step_after_refused
key esc
key f4
' "$D"
} >"$tmp/afterrefused.script"
tui "$tmp/afterrefused.script" 100 30
expect "a refused t, then a after a pause: the acknowledgement is asked" "$D/step_after_refused" "Acknowledge .*Enter: yes"
{
    login
    printf 'key e\nkey a\ntick\ntick\ntick\ndump %s/step_ticked\nkey enter\ndump %s/step_after_ticks\nkey f4\n' "$D" "$D"
} >"$tmp/ticks.script"
tui "$tmp/ticks.script" 100 30
expect "a: the question stays while the clock ticks" "$D/step_ticked" "Acknowledge .*Enter: yes"
expect "...and Enter three seconds later takes it" "$D/step_after_ticks" "Done: acknowledged"

# thirty-eighth receptionist: a held step key did not restart the hold, so a word whose last letters were step letters
# ("eada", "Zhao Ada", "Zhao Tac" at 0.9 s a key) let it run out under them and the Enter took the step. Here each key
# comes 0.9 s after the one before (the hold is 2.1 s): a script's `soon` key comes 0.15 s after the last, so a
# `type` key (1 s) stands in, and the hold must outlast it from every held key
new_clients red 13700003336 "Eva Words" "Ed Words"
{
    login
    printf 'key e\ntype Zhao Ada\nkey enter\nkey esc\nkey esc\nkey e\ntype eadada\nkey enter\nkey esc\nkey esc\nkey f4\n'
} >"$tmp/rearm.script"
took_no_step "the queues: 'Zhao Ada' and 'eadada' then Enter (each held key holding what follows) take no step" "$tmp/rearm.script"

# thirty-eighth and thirty-ninth receptionists: a capital letter was a step key ("Ada" typed onto the list opened the
# acknowledgement with its A, "Dai" the decline with its D), and Home left the selection where it was (a deliberate
# step then went to the row left selected). A capital is typing; Home selects the first row, End the last
new_clients red 13700003337 "Ada Capital" "Dai Capital"
{
    login
    printf 'key e\ntype A\nkey enter\nkey esc\nkey esc\nkey e\ntype D\nkey enter\ntype Smith\nkey enter\nkey esc\nkey esc\n'
    # fortieth receptionist: a capital turned into typing held nothing, so "Ta" Enter acknowledged a RED client and
    # "Ad" Enter "Ada" Enter recorded a decline with "Ada" as its reason
    printf 'key e\ntype Ta\nkey enter\nkey esc\nkey esc\nkey e\ntype Ad\nkey enter\ntype Ada\nkey enter\nkey esc\nkey esc\nkey f4\n'
} >"$tmp/capitals.script"
took_no_step "the queues: a capital A or D, then Enter, and 'Ta' Enter, 'Ad' Enter 'Ada' Enter, take no step" "$tmp/capitals.script"
{
    login
    printf 'key e\nkey a\ndump %s/step_top\nkey esc\nkey down\nkey down\nkey a\ndump %s/step_down\nkey esc\n' "$D" "$D"
    printf 'key end\nkey home\nkey a\ndump %s/step_home\nkey esc\nkey end\nkey a\ndump %s/step_end\nkey esc\nkey f4\n' "$D" "$D"
} >"$tmp/homekey.script"
took_no_step "the queues: Home, End and the questions they lead to, put away, take no step" "$tmp/homekey.script"
asked() { grep -o 'Acknowledge [^?]*?' "$1" 2>/dev/null | head -n 1; }
top=$(asked "$D/step_top") down=$(asked "$D/step_down") home=$(asked "$D/step_home") end=$(asked "$D/step_end")
rc=0 out="top=[$top] down=[$down] home=[$home] end=[$end]" err=""
home_is_top() { [ -n "$top" ] && [ "$home" = "$top" ] && [ -n "$down" ] && [ "$down" != "$top" ]; }
end_is_other() { [ "$end" != "$top" ]; } # the last row may be past acknowledging: then no question
check "the queues: Home selects the first row again (its question names the top row's client)" home_is_top
check "...and End another, the last" end_is_other

# ---- forty-sixth receptionist: the phone warning was not on the review, where the intake is saved; and at 80x24 its
# three lines pushed PHQ-9 item 9's last option ("3 Nearly every day") below the screen
sed 's/^{/{"client":{"name":"Qian Holder","phone":"139 0000 4646"},/' assets/examples/red.json |
    cli "$R\n" --user desk intake new - >/dev/null
{
    login
    printf 'key n\nkey enter\ntype 1\ntype Qian Newcomer\nkey enter\ntype 34\nkey enter\nkey enter\ntype 1\nkey enter\n'
    printf 'type 13900004646\nkey enter\ntype 1\nkey enter\ntype 1\ntype 1\nkey enter\nkey enter\ntype 2\ntype 1\ntype 0\n'
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\n' # PHQ-9 3-7
    printf 'type 0\ndump %s/dup_item9\ntype 0\nkey enter\n' "$D" # item 8, then item 9 shown
    printf 'type 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 0\ntype 1\ntype 1\ntype 1\ntype 1\n' # GAD-7, ASQ no
    printf 'dump %s/dup_review\nkey q\nkey x\nkey y\n' "$D"
} >"$tmp/dup.script"
tui "$tmp/dup.script" 80 24
expect "phone warning: PHQ-9 item 9 at 80x24 shows its last option beside it" "$D/dup_item9" "3  Nearly every day"
expect "...and the warning, on one line" "$D/dup_item9" "on record for Qian Holder"
# forty-seventh receptionist: that one line was the long warning cut mid-sentence at 80 columns, its advice lost
expect "...whole at 80 columns: the holder, the level, the question and the key" "$D/dup_item9" \
    "Phone on record for Qian Holder (RED): same person? F3, find by phone\."
expect "phone warning: on the review too, where the intake is saved" "$D/dup_review" "on record for Qian Holder"

finish
