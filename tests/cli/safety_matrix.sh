#!/bin/sh
# The safety matrix (issue 11): no way of entering an answer may under-triage a client at risk.
# For every safety item of every shipped form (forms/*.ini with `safety = yes`: PHQ-9 item 9, ASQ items
# 1-4) and the intake's presenting concern `self_harm`, each way of entering it (positive, refused,
# unanswered), through every way in, the SAVED level (read back from the queue and from the export, not
# from what the command printed) is at least the level in the table. Written from the specification
# (shared/CLINICAL.md, issue 11), not from the code.
# Usage: tests/cli/safety_matrix.sh ./triage   Last line: `N passed, N failed`.
#   MATRIX_WAYS=ANF runs only those ways in; MATRIX_KEEP=1 keeps the screen dumps (the path is printed).
#
# Ways in (column `ways`, one letter each):
#   A  `triage assess -`: nothing stored; the printed level
#   N  `triage intake new -`: JSON on stdin
#   F  `triage import fhir`: a Bundle with a Patient and QuestionnaireResponses (intake concerns as a
#      response to urn:triage:questionnaire:intake, linkId `concerns`, valueCoding code self_harm)
#   W  the front desk driven by TRIAGE_SCRIPT (the keyboard's own input path)
#   K  a draft resumed after kill -9, in a real terminal (tmux): only the four representative rows marked
#      K (a positive kept across the kill; an unanswered safety item and an unanswered question 5 still
#      asked after it; the self-harm concern kept), because each costs a new login, two program starts
#      and waiting on a real terminal (the full cross would take minutes)
#   H  the hotline's quick path (issue 14; home h: an anonymous phone caller, PHQ-2, GAD-2, ASQ) through
#      TRIAGE_SCRIPT: the ASQ rows as W asks them; the PHQ-9 rows by a positive PHQ-2 (1, 2) that continues
#      into the PHQ-9 at its item 3 (items 1-2 carried over), item 9 entered as the row says
#   W is not run for the two rows whose question 5 keys another row already covers (marked ANF).
#
# What each `how` means per way:
#   positive    A/N/F: the item answered positive (PHQ-9 item 9 = 1, the lowest positive; ASQ yes);
#               W/K: the key of that answer (PHQ-9: the score's digit, 1; ASQ: 2 = Yes)
#   refused     A/N/F: the answer "refused"; W/K: `r`. PHQ-9's 0-3 scale offers no refusal: there the
#               expectation `orange|rej` also accepts the input refused with exit 2 naming phq9.item9 and
#               nothing saved (A/N/F), and in the wizard `r` must record nothing and stay on item 9
#               (should forms/phq9.ini ever make that scale refusable: `r` moves on, at least orange).
#   unanswered  A/N: null; F: the item left out of the response; W: Enter on the unanswered item must
#               record nothing and stay on it (then it is answered positive, so that the intake can be
#               saved); K: the program was killed on that item, and on resume the item is still asked.
#   self_harm   the presenting concern self_harm ticked, everything else negative. W/K tick it with Space
#               after Down x11 (12 options: digits reach only nine; the first Down lands on option 1). self_harm_noasq: the centre's intake
#               asks no ASQ (forms = intake phq9); ticking self_harm must bring the ASQ in.
# q5 (ASQ question 5, asked after any yes, refusal or unknown on 1-4): no, yes, refused, or missing
#   (A/N: an array of four answers; F: item5 left out; W: Enter and Ctrl-S on question 5 must neither
#   answer it nor reach the review, then it is answered yes; K: killed on question 5, asked again on resume).
# expect: the lowest level allowed (orange = orange or red; red = red).
# Everything not named in a row is negative: PHQ-9 0 0 0 0 0 0 0 0 0, GAD-7 all 0, ASQ no no no no,
# concerns: emotional. The wizard's keys follow issue 11's scheme: a scored item (PHQ-9, GAD-7) by the
# digit of its score (0-3), other choice items by their position from 1 (ASQ: 1 No, 2 Yes), `r` refuses,
# multi-choice lists Down/Up and Space, Enter moves on.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac

MATRIX=$(cat <<'TABLE'
# form   item      how              q5       expect      ways
phq9     item9     positive         -        orange      ANFWKH
phq9     item9     refused          -        orange|rej  ANFWH
phq9     item9     unanswered       -        orange      ANFWKH
asq      item1     positive         no       orange      ANFWH
asq      item1     positive         yes      red         ANFWH
asq      item1     positive         refused  red         ANFWH
asq      item1     positive         missing  red         ANFWH
asq      item1     refused          no       orange      ANFWH
asq      item1     refused          missing  red         ANFWH
asq      item1     unanswered       no       orange      ANFWH
asq      item1     unanswered       missing  red         ANFWH
asq      item2     positive         no       orange      ANFWH
asq      item2     positive         yes      red         ANFWH
asq      item2     positive         missing  red         ANFWH
asq      item2     refused          no       orange      ANFWH
asq      item2     refused          missing  red         ANFWKH
asq      item2     unanswered       no       orange      ANFWH
asq      item2     unanswered       yes      red         ANFWH
asq      item2     unanswered       missing  red         ANFWH
asq      item3     positive         no       orange      ANFWH
asq      item3     positive         missing  red         ANFWH
asq      item3     refused          no       orange      ANFWH
asq      item3     refused          yes      red         ANF
asq      item3     refused          missing  red         ANFWH
asq      item3     unanswered       no       orange      ANFWH
asq      item3     unanswered       missing  red         ANFWH
asq      item4     positive         no       orange      ANFWH
asq      item4     positive         refused  red         ANFWH
asq      item4     positive         missing  red         ANFWH
asq      item4     refused          no       orange      ANFWH
asq      item4     refused          refused  red         ANF
asq      item4     refused          missing  red         ANFWH
asq      item4     unanswered       no       orange      ANFWH
asq      item4     unanswered       missing  red         ANFWH
intake   concerns  self_harm        -        orange      ANFWK
intake   concerns  self_harm_noasq  -        orange      W
TABLE
)

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/triage-matrix.XXXXXX")
# with $TMUX set (run from inside tmux) tmux would talk to that server: unset, our own server is in $tmp
unset TMUX TMUX_PANE
export TMUX_TMPDIR="$tmp"
# the tmux server lives in $tmp (its socket): killing it ends only this suite's terminals
cleanup() {
    tmux kill-server 2>/dev/null
    if [ -n "${MATRIX_KEEP:-}" ]; then echo "kept: $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
export TERM=xterm-256color
unset TRIAGE_CONFIG TRIAGE_NOW TRIAGE_SCRIPT NO_COLOR
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
test_config "$tmp/config.ini"
# the centre that asks no ASQ (still a suicide screen: PHQ-9 item 9), for self_harm_noasq
sed 's/^forms = .*/forms = intake phq9/' "$tmp/config.ini" >"$tmp/noasq.ini"
DB="$tmp/m.db"
P=admin-passphrase-1 R=desk-passphrase-12
D="$tmp/dump"
mkdir -p "$D"

bad() { # name [file to show]
    fail=$((fail + 1))
    echo "FAIL $1"
    [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/     /' "$2" | grep -v '^ *$' | head -30
    return 0
}
cli() { # passlines args...
    printf '%b' "$1" >"$tmp/p"
    shift
    "$T" --config "$tmp/config.ini" --db "$DB" --passphrase-fd 3 "$@" 3<"$tmp/p"
}
rank() { case $1 in red) echo 3 ;; orange) echo 2 ;; yellow) echo 1 ;; green) echo 0 ;; *) echo -1 ;; esac; }
at_least() { [ "$(rank "$1")" -ge "$(rank "$2")" ]; } # level minimum

cli "$P\n" --user admin init >/dev/null || { echo "init failed"; echo "0 passed, 1 failed"; exit 1; }
cli "$P\n" --user admin roster import assets/counselors.sample.ini >/dev/null
cli "$P\n$R\n" --user admin user add desk --role reception >/dev/null

# ---- reading the saved level back ----
# client ids of the open queue items, and one client's level, from `triage queue --json` (no login)
queue_json() { "$T" --config "$tmp/config.ini" --db "$DB" queue --json 2>/dev/null | tr '{' '\n'; }
queue_clients() { queue_json | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p' | sort; }
queue_level() { queue_json | grep "\"client_id\":\"$1\"" | sed -n 's/.*"level":"\([a-z]*\)".*/\1/p' | head -1; }
# the client a step saved: the one new in the queue since the snapshot $tmp/before
snapshot() { queue_clients >"$tmp/before"; }
new_client() { queue_clients | comm -13 "$tmp/before" - | head -1; }
# every saved cell, checked again against the export at the end: "client expect label"
: >"$tmp/saved"

# check_saved LABEL EXPECT CLIENT [dump]: the level in the queue is at least EXPECT
check_saved() {
    if [ -z "$3" ]; then
        bad "$1: nothing was saved (no new queue item)" "${4:-}"
        return
    fi
    lv=$(queue_level "$3")
    if at_least "$lv" "${2%%|*}"; then ok "$1: saved $lv"; else bad "$1: saved ${lv:-no level}, expected at least ${2%%|*}" "${4:-}"; fi
    echo "$3 ${2%%|*} $1" >>"$tmp/saved"
}

# ---- the answers of a row, as assess JSON ----
row_json() { # form item how q5 -> the "concerns" and "answers" members
    f=$1 i=$2 h=$3 q=$4
    case $h in positive) v9=1 va='"yes"' ;; refused) v9='"refused"' va='"refused"' ;; *) v9=null va=null ;; esac
    concerns='["emotional"]'
    phq='[0,0,0,0,0,0,0,0,0]'
    asq='["no","no","no","no"]'
    case $f in
    phq9)
        phq="[0,0,0,0,0,0,0,0,$v9]"
        [ "$h" = positive ] && phq="[0,0,0,0,0,0,0,0,1,\"not_difficult\"]"
        ;;
    asq)
        asq="["
        for n in 1 2 3 4; do
            [ "$n" -gt 1 ] && asq="$asq,"
            if [ "item$n" = "$i" ]; then asq="$asq$va"; else asq="$asq\"no\""; fi
        done
        case $q in no | yes | refused) asq="$asq,\"$q\"" ;; esac
        asq="$asq]"
        ;;
    intake) concerns='["self_harm"]' ;;
    esac
    printf '"concerns":%s,"answers":{"phq9":%s,"gad7":[0,0,0,0,0,0,0],"asq":%s}' "$concerns" "$phq" "$asq"
}

# ---- the answers of a row, as a FHIR R4 Bundle ----
PHQ9_LINKS="44250-9 44255-8 44259-0 44254-1 44251-7 44258-2 44252-5 44253-3 44260-8"
fhir_answer() { # system code
    printf '{"linkId":"%s","answer":[{"valueCoding":{"system":"urn:triage:answers:%s","code":"%s"}}]}' "$1" "$2" "$3"
}
fhir_qr() { # id questionnaire items-json
    printf '{"fullUrl":"urn:uuid:%s","resource":{"resourceType":"QuestionnaireResponse","id":"%s","questionnaire":"%s","status":"completed","subject":{"reference":"urn:uuid:pt-%s"},"authored":"2026-12-01T10:00:00Z","item":[%s]}}' \
        "$1" "$1" "$2" "$cellno" "$3"
}
row_fhir() { # form item how q5 name phone -> the Bundle entries of one client (Patient, responses)
    f=$1 i=$2 h=$3 q=$4
    case $h in positive) c9=1 ca=yes ;; refused) c9=refused ca=refused ;; *) c9="" ca="" ;; esac
    items="" n=0
    for l in $PHQ9_LINKS; do
        n=$((n + 1))
        c=0
        if [ "$f" = phq9 ] && [ $n -eq 9 ]; then c=$c9; fi
        [ -z "$c" ] && continue
        items="$items${items:+,}$(fhir_answer "$l" phq9 "$c")"
    done
    [ "$f" = phq9 ] && [ "$h" = positive ] && items="$items,$(fhir_answer 69722-7 phq9 not_difficult)"
    phq=$(fhir_qr "qr-$cellno-phq9" "http://loinc.org/q/44249-1|1.0" "$items")
    items=""
    for n in 1 2 3 4; do
        c=no
        [ "$f" = asq ] && [ "item$n" = "$i" ] && c=$ca
        [ -z "$c" ] && continue
        items="$items${items:+,}$(fhir_answer "item$n" asq "$c")"
    done
    case $q in no | yes | refused) items="$items,$(fhir_answer item5 asq "$q")" ;; esac
    asq=$(fhir_qr "qr-$cellno-asq" "urn:triage:questionnaire:asq|1.0" "$items")
    # the intake's concerns only where the row is about them (the other rows need no intake response)
    intake=""
    [ "$f" = intake ] && intake="$(fhir_qr "qr-$cellno-intake" "urn:triage:questionnaire:intake|1.0" \
        "$(fhir_answer concerns intake self_harm)"),"
    printf '{"fullUrl":"urn:uuid:pt-%s","resource":{"resourceType":"Patient","id":"pt-%s","name":[{"text":"%s"}],"telecom":[{"system":"phone","value":"%s"}]}},%s%s,%s' \
        "$cellno" "$cellno" "$5" "$6" "$intake" "$phq" "$asq"
}

# ---- A, N, F ----
way_assess() { # label expect form item how q5
    printf '{"language":"en",%s}\n' "$(row_json "$3" "$4" "$5" "$6")" >"$tmp/in.json"
    "$T" --config "$tmp/config.ini" assess - <"$tmp/in.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    lv=$(sed -n 's/^{"level":"\([a-z]*\)".*/\1/p' "$tmp/out")
    if [ "$2" = "orange|rej" ] && [ "$rc" -eq 2 ] && grep -q 'phq9.item9' "$tmp/err"; then
        ok "$1: refused as input, naming phq9.item9"
    elif [ "$rc" -eq 0 ] && at_least "$lv" "${2%%|*}"; then
        ok "$1: $lv"
    else
        bad "$1: rc=$rc level=${lv:-none}, expected at least ${2%%|*}: $(head -c 300 "$tmp/err")"
    fi
    q5_reason "$1" "$6"
}
# issue 11: question 5 unknown after a positive is red "with the reason `question 5 not answered`"
q5_reason() { # label q5
    [ "$2" = missing ] || return 0
    if grep -qi 'question 5 not answered' "$tmp/out"; then ok "$1: the reason says question 5 not answered"
    else bad "$1: the reason says question 5 not answered: $(head -c 300 "$tmp/out")"; fi
}
way_new() { # label expect form item how q5
    printf '{"client":{"name":"Matrix N%s","phone":"139%08d"},"language":"en",%s}\n' "$cellno" "$cellno" \
        "$(row_json "$3" "$4" "$5" "$6")" >"$tmp/in.json"
    snapshot
    cli "$R\n" --user desk intake new - <"$tmp/in.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$2" = "orange|rej" ] && [ "$rc" -eq 2 ] && grep -q 'phq9.item9' "$tmp/err" && [ -z "$(new_client)" ]; then
        ok "$1: refused as input, naming phq9.item9, nothing saved"
        return
    fi
    [ "$rc" -eq 0 ] || { bad "$1: rc=$rc $(head -c 300 "$tmp/err")"; return; }
    check_saved "$1" "$2" "$(new_client)"
    q5_reason "$1" "$6"
}
bundle() { printf '{"resourceType":"Bundle","type":"collection","entry":[%s]}\n' "$1"; }
# The rows expected to import are imported together, one Patient each, in one Bundle after the table
# (a login per row is the slow part of this suite); a row that may be refused (orange|rej) and the
# intake's concerns go one Bundle each, so that a refusal there cannot hide the others.
: >"$tmp/fbatch"
: >"$tmp/fcells"
way_fhir() { # label expect form item how q5
    entries=$(row_fhir "$3" "$4" "$5" "$6" "Matrix F$cellno" "$(printf '137%08d' "$cellno")")
    if [ "$2" != "orange|rej" ] && [ "$3" != intake ]; then
        printf '%s%s' "$([ -s "$tmp/fbatch" ] && echo ,)" "$entries" >>"$tmp/fbatch"
        echo "$cellno $2 $1" >>"$tmp/fcells"
        return
    fi
    bundle "$entries" >"$tmp/in.json"
    snapshot
    cli "$R\n" --user desk import fhir "$tmp/in.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$2" = "orange|rej" ] && [ "$rc" -eq 2 ] && grep -q 'phq9.item9' "$tmp/err" && [ -z "$(new_client)" ]; then
        ok "$1: refused as input, naming phq9.item9, nothing saved"
        return
    fi
    [ "$rc" -eq 0 ] || { bad "$1: rc=$rc $(head -c 400 "$tmp/err")"; return; }
    check_saved "$1" "$2" "$(new_client)"
}
# the batched rows: imported at once, each client found by its name in an export
fhir_batch() {
    [ -s "$tmp/fcells" ] || return
    bundle "$(cat "$tmp/fbatch")" >"$tmp/in.json"
    cli "$R\n" --user desk import fhir "$tmp/in.json" >"$tmp/out" 2>"$tmp/ferr"
    frc=$?
    cli "$P\n" --user admin export --format csv --out "$tmp/f.csv" >/dev/null 2>&1
    while read -r no exp label; do
        if [ "$frc" -ne 0 ]; then
            bad "$label: the import was refused (rc=$frc): $(grep -- "-$no-\|^[^e]" "$tmp/ferr" | head -c 400)"
            continue
        fi
        client=$(awk -F, -v n="Matrix F$no" '$4 == n { print $2 }' "$tmp/f.csv" | head -1)
        check_saved "$label" "$exp" "$client"
    done <"$tmp/fcells"
}

# ---- W: the front desk through TRIAGE_SCRIPT ----
# Each intake is done by a reception login of its own while the one before left a draft behind (a draft
# is resumed at the next login and would swallow the keys of the next cell).
users=0
new_desk_user() {
    users=$((users + 1))
    U="desk$users"
    cli "$P\n$R\n" --user admin user add "$U" --role reception >/dev/null 2>&1
}
new_desk_user
Q_PHQ9_9="better off dead"
# whether the form offers a refusal on PHQ-9 item 9's scale (the published 0-3 scale has none)
PHQ9_REFUSABLE=no
sed -n '/^\[scale.freq4\]/,/^\[/p' forms/phq9.ini | grep -q '^refusable *= *yes' && PHQ9_REFUSABLE=yes
Q_ASQ1="wished you were dead"
Q_ASQ2="you or your family"
Q_ASQ3="thoughts about killing yourself"
Q_ASQ4="tried to kill yourself"
Q_ASQ5="killing yourself right now"
asq_text() { eval "echo \"\$Q_ASQ$1\""; }

# the script lines of the intake up to the PHQ-9 (or what follows the concerns), with concern CODE ticked
script_intake() { # name concern dumpprefix
    cat <<SCRIPT
type $U
key enter
type $R
key enter
key n
key enter
type 1
type $1
key enter
key enter
key enter
type 1
key enter
key enter
type 1
key enter
key enter
type 1
SCRIPT
    # nothing is highlighted until an arrow moves: the first Down lands on option 1, the 11th on self_harm
    if [ "$2" = self_harm ]; then for _ in 1 2 3 4 5 6 7 8 9 10 11; do echo "key down"; done
    else echo "key down"; fi
    # Space ticks the highlighted option (`key ` followed by a space is the space bar)
    echo "key  "
    echo "dump $3.concerns"
    echo "key enter"
    echo "type 1"
    echo "type 2"
}
# "stays on the question": the dump still shows it, and not the next one
expect_stays() { # label dump question-number pattern
    if grep -q "Question $3 of" "$2" && grep -q -- "$4" "$2"; then ok "$1"; else bad "$1" "$2"; fi
}

way_wizard() { # label expect form item how q5 rowid
    label=$1 expect=$2 f=$3 i=$4 h=$5 q=$6 id=$7
    if [ "$h" = self_harm_noasq ]; then way_wizard_noasq "$@"; return; fi
    cfg="$tmp/config.ini"
    concern=emotional
    [ "$f" = intake ] && concern=self_harm
    s="$tmp/w.script" pre="$D/$id"
    rm -f "$pre".*
    {
        script_intake "Matrix W$cellno" "$concern" "$pre"
        # PHQ-9: scores by their digit
        if [ "$f" = phq9 ]; then
            echo "type 00000000"
            case $h in
            positive) echo "type 1" ;;
            refused)
                # no refusal on the scale: r does nothing, item 9 is then answered 1; else r answers it
                if [ "$PHQ9_REFUSABLE" = yes ]; then printf 'key r\ndump %s.stay\n' "$pre"
                else printf 'key r\ndump %s.stay\ntype 1\n' "$pre"; fi
                ;;
            unanswered) printf 'key enter\ndump %s.stay\ntype 1\n' "$pre" ;;
            esac
            echo "type 1" # difficulty: Not difficult at all (position 1)
        else
            echo "type 000000000"
        fi
        echo "type 0000000" # GAD-7
        # ASQ: 1 No, 2 Yes, r refused; after each answer an Enter, which on an unanswered question must do
        # nothing and otherwise acknowledges safety steps shown in between
        for n in 1 2 3 4; do
            if [ "$f" = asq ] && [ "item$n" = "$i" ]; then
                case $h in
                positive) echo "type 2" ;;
                refused) echo "key r" ;;
                unanswered) printf 'key enter\ndump %s.stay\ntype 2\n' "$pre" ;;
                esac
            else
                echo "type 1"
            fi
            # (not after the last question of an all-negative ASQ: there it would save at the review)
            [ "$n" -lt 4 ] || [ "$f" = asq ] && echo "key enter"
        done
        if [ "$f" = asq ]; then
            case $q in
            no) echo "type 1" ;;
            yes) echo "type 2" ;;
            refused) echo "key r" ;;
            missing) printf 'dump %s.q5\nkey ctrl-s\ndump %s.q5save\ntype 2\n' "$pre" "$pre" ;;
            esac
        fi
        # safety steps (acknowledged by Enter) then the review, or the review at once (Enter saves there);
        # Ctrl-S saves at the review and does nothing on the summary
        echo "key enter"
        echo "dump $pre.end"
        echo "key ctrl-s"
        echo "dump $pre.end2"
    } >"$s"
    snapshot
    TRIAGE_SCRIPT="$s" LINES=40 COLUMNS=100 timeout 60 "$T" --config "$cfg" --db "$DB" >"$tmp/tui.out" 2>&1
    # the checks along the way
    if [ "$f" = intake ]; then
        if grep -q '\[x\] .*Self-harm' "$pre.concerns"; then ok "$label: self_harm (11th of 12) ticked with Down and Space"
        else bad "$label: self_harm (11th of 12) ticked with Down and Space" "$pre.concerns"; fi
    fi
    case $f.$h in
    phq9.refused)
        if [ "$PHQ9_REFUSABLE" = yes ]; then
            if grep -q "Question 9 of" "$pre.stay"; then bad "$label: r refuses PHQ-9 item 9 and moves on" "$pre.stay"
            else ok "$label: r refuses PHQ-9 item 9 and moves on"; fi
        else
            expect_stays "$label: r on PHQ-9 item 9 (no refusal on its scale) records nothing, stays" "$pre.stay" 9 "$Q_PHQ9_9"
        fi
        ;;
    phq9.unanswered) expect_stays "$label: Enter on unanswered PHQ-9 item 9 records nothing, stays" "$pre.stay" 9 "$Q_PHQ9_9" ;;
    asq.unanswered)
        n=${i#item}
        expect_stays "$label: Enter on unanswered ASQ question $n records nothing, stays" "$pre.stay" "$n" "$(asq_text "$n")"
        ;;
    esac
    if [ "$q" = missing ] && [ "$f" = asq ]; then
        expect_stays "$label: question 5 is asked after the positive; Enter does not pass it" "$pre.q5" 5 "$Q_ASQ5"
        expect_stays "$label: Ctrl-S with question 5 unanswered does not reach the review" "$pre.q5save" 5 "$Q_ASQ5"
    fi
    c=$(new_client)
    cat "$pre.end" "$pre.end2" >"$pre.ends" 2>/dev/null
    check_saved "$label" "$expect" "$c" "$pre.ends"
    [ -n "$c" ] || new_desk_user
}

# The centre whose intake asks no ASQ (forms = intake phq9): ticking self_harm must bring the ASQ in,
# wherever the wizard puts it (at once after the intake form, or after the configured forms). Run in
# steps, each a login that resumes the draft, so that the keys can follow what the screen shows.
w_run() { # script: runs the front desk on the noasq configuration
    TRIAGE_SCRIPT="$1" LINES=40 COLUMNS=100 timeout 60 "$T" --config "$tmp/noasq.ini" --db "$DB" >"$tmp/tui.out" 2>&1
}
w_login() { printf 'type %s\nkey enter\ntype %s\nkey enter\n' "$U" "$R"; }
asq_all_no() { printf 'type 1\nkey enter\ntype 1\nkey enter\ntype 1\nkey enter\ntype 1\n'; }
way_wizard_noasq() { # label expect ...
    label=$1 expect=$2 pre="$D/noasq"
    snapshot
    { script_intake "Matrix W$cellno" self_harm "$pre"; echo "dump $pre.p1"; } >"$tmp/w1.script"
    w_run "$tmp/w1.script"
    if grep -q '\[x\] .*Self-harm' "$pre.concerns"; then ok "$label: self_harm (11th of 12) ticked with Down and Space"
    else bad "$label: self_harm (11th of 12) ticked with Down and Space" "$pre.concerns"; fi
    # back in: the draft continues by itself, or with r from home
    { w_login; echo "dump $pre.p2"; } >"$tmp/w2.script"
    w_run "$tmp/w2.script"
    resume=""
    grep -q "Question [0-9]* of" "$pre.p2" || resume="key r"
    asked=no
    if grep -q "$Q_ASQ1" "$pre.p1"; then # the ASQ first, then the PHQ-9
        asked=yes
        { w_login; echo "$resume"; asq_all_no; echo "type 000000000"; } >"$tmp/w3.script"
    else # the PHQ-9, then (it must be) the ASQ; after the resume its first digit waits for Enter
        { w_login; echo "$resume"; echo "type 0"; echo "key enter"; echo "type 00000000"; echo "dump $pre.asq"; asq_all_no; } >"$tmp/w3.script"
    fi
    printf 'key enter\ndump %s.end\nkey ctrl-s\ndump %s.end2\n' "$pre" "$pre" >>"$tmp/w3.script"
    w_run "$tmp/w3.script"
    [ $asked = no ] && grep -q "$Q_ASQ1" "$pre.asq" 2>/dev/null && asked=yes
    if [ $asked = yes ]; then ok "$label: the ASQ is asked though the intake has none"
    else bad "$label: the ASQ is asked though the intake has none" "$pre.asq"; fi
    c=$(new_client)
    cat "$pre.end" "$pre.end2" >"$pre.ends" 2>/dev/null
    check_saved "$label" "$expect" "$c" "$pre.ends"
    [ -n "$c" ] || new_desk_user
}

# ---- H: the hotline's quick path through TRIAGE_SCRIPT ----
way_hotline() { # label expect form item how q5 rowid
    label=$1 expect=$2 f=$3 i=$4 h=$5 q=$6 id=$7
    s="$tmp/h.script" pre="$D/h-$id"
    rm -f "$pre".*
    {
        printf 'type %s\nkey enter\ntype %s\nkey enter\n' "$U" "$R"
        echo "key h"
        echo "type 1"    # phone
        echo "key enter" # no call-back number: anonymous
        if [ "$f" = phq9 ]; then
            # PHQ-2 positive (3): the PHQ-9 follows at its item 3 (the first answer after the skipped call-back
            # field waits for Enter: the phone guard)
            printf 'type 1\nkey enter\ntype 2\n'
            echo "dump $pre.phq9"
            echo "type 000000"
            case $h in
            positive) echo "type 1" ;;
            refused)
                if [ "$PHQ9_REFUSABLE" = yes ]; then printf 'key r\ndump %s.stay\n' "$pre"
                else printf 'key r\ndump %s.stay\ntype 1\n' "$pre"; fi
                ;;
            unanswered) printf 'key enter\ndump %s.stay\ntype 1\n' "$pre" ;;
            esac
            echo "type 1" # difficulty (items 1-2 are not 0: always asked)
        else
            printf 'type 0\nkey enter\ntype 0\n'
        fi
        echo "type 00" # GAD-2
        for n in 1 2 3 4; do
            if [ "$f" = asq ] && [ "item$n" = "$i" ]; then
                case $h in
                positive) echo "type 2" ;;
                refused) echo "key r" ;;
                unanswered) printf 'key enter\ndump %s.stay\ntype 2\n' "$pre" ;;
                esac
            else
                echo "type 1"
            fi
            [ "$n" -lt 4 ] || [ "$f" = asq ] && echo "key enter"
        done
        if [ "$f" = asq ]; then
            case $q in
            no) echo "type 1" ;;
            yes) echo "type 2" ;;
            refused) echo "key r" ;;
            missing) printf 'dump %s.q5\nkey ctrl-s\ndump %s.q5save\ntype 2\n' "$pre" "$pre" ;;
            esac
        fi
        echo "key enter"
        echo "key f5"    # an anonymous caller at orange or red is asked for the call-back number: none given
        echo "dump $pre.end"
        echo "key ctrl-s"
        echo "dump $pre.end2"
    } >"$s"
    snapshot
    TRIAGE_SCRIPT="$s" LINES=40 COLUMNS=100 timeout 60 "$T" --config "$tmp/config.ini" --db "$DB" >"$tmp/tui.out" 2>&1
    if [ "$f" = phq9 ]; then
        expect_stays "$label: the positive PHQ-2 continues into the PHQ-9 at item 3" "$pre.phq9" 3 "PHQ-9"
        case $h in
        refused)
            if [ "$PHQ9_REFUSABLE" = yes ]; then
                if grep -q "Question 9 of" "$pre.stay"; then bad "$label: r refuses PHQ-9 item 9 and moves on" "$pre.stay"
                else ok "$label: r refuses PHQ-9 item 9 and moves on"; fi
            else
                expect_stays "$label: r on PHQ-9 item 9 records nothing, stays" "$pre.stay" 9 "$Q_PHQ9_9"
            fi
            ;;
        unanswered) expect_stays "$label: Enter on unanswered PHQ-9 item 9 records nothing, stays" "$pre.stay" 9 "$Q_PHQ9_9" ;;
        esac
    fi
    if [ "$f.$h" = asq.unanswered ]; then
        n=${i#item}
        expect_stays "$label: Enter on unanswered ASQ question $n records nothing, stays" "$pre.stay" "$n" "$(asq_text "$n")"
    fi
    if [ "$q" = missing ] && [ "$f" = asq ]; then
        expect_stays "$label: question 5 is asked after the positive; Enter does not pass it" "$pre.q5" 5 "$Q_ASQ5"
        expect_stays "$label: Ctrl-S with question 5 unanswered does not reach the review" "$pre.q5save" 5 "$Q_ASQ5"
    fi
    c=$(new_client)
    cat "$pre.end" "$pre.end2" >"$pre.ends" 2>/dev/null
    check_saved "$label" "$expect" "$c" "$pre.ends"
    # a caller at red or orange by phone sees the phone steps, never the in-person list alone
    if grep -q "SAFETY STEPS\|SAFETY ASSESSMENT" "$pre.ends" && grep -q "Do not leave the client alone; stay" "$pre.ends"; then
        bad "$label: the caller was shown the in-person steps" "$pre.ends"
    fi
    [ -n "$c" ] || new_desk_user
}

# ---- K: a draft resumed after kill -9, in a real terminal ----
S="matrix-$$"
pane() { tmux capture-pane -p -t "$S" >"$tmp/pane" 2>/dev/null; echo "$tmp/pane"; }
keys() { tmux send-keys -t "$S" "$@"; }
start_desk() { # user
    tmux_hold=60 tmux_open "$S" 100 40 - --user "$1"
    wait_for "Passphrase" 10 && keys "$R" Enter
}
# the cell fails at its first step that does not show what it should
kstep() { # label pattern [seconds]
    wait_for "$2" "${3:-5}" && return 0
    bad "$1 (waiting for: $2)" "$(pane)"
    return 1
}
kill_desk() { # user: SIGKILL the front desk of this user (the only process with this --db and --user)
    pid=$(pgrep -f -- "--db $DB --user $1" | head -1)
    [ -n "$pid" ] && kill -9 "$pid"
    wait_for "EXITED 137" 5
}
# after login the draft continues (by itself, or with r from home)
resume_desk() { # label user
    start_desk "$2"
    # r only from home: on a resumed question r is "refused" (a blind r once refused the owed ASQ question 5)
    wait_for "Unfinished intake resumed\|not asked before the intake stopped\|SAFETY STEPS" 4 && return
    wait_for "Resume the unfinished intake\|Resume one of them" 2 && keys r
}
k_intake() { # name concern: from login to the PHQ-9
    paced "$S" n
    wait_for "Find the client" 5 && paced "$S" Enter && wait_for "简体中文" 5 && paced "$S" 1
    wait_for "Question 1 of" 5 || return 1
    paced "$S" "$1" Enter Enter Enter 1 Enter Enter 1 Enter Enter 1 # after a skipped phone or date, a digit waits for Enter
    wait_for "Choose all that apply" 5 || return 1
    if [ "$2" = self_harm ]; then keys Down Down Down Down Down Down Down Down Down Down Down; else keys Down; fi
    paced "$S" Space
    sleep 0.2
    paced "$S" Enter
}
k_finish() { # label expect: acknowledge, save, read back
    # safety steps shown: Enter acknowledges them; the review: Ctrl-S saves; the summary shows the
    # queue deadline ("14m left")
    for _ in 1 2 3 4; do
        wait_for "Review, then save\|[0-9][smhd] left" 2
        tmux capture-pane -p -t "$S" >"$tmp/pane"
        if grep -q "[0-9][smhd] left" "$tmp/pane"; then break; fi
        if grep -q "Review, then save" "$tmp/pane"; then keys C-s; else keys Enter; fi
    done
    check_saved "$1" "$2" "$(new_client)" "$(pane)"
}
way_kill() { # label expect form item how q5
    label=$1 expect=$2 f=$3 i=$4 h=$5
    new_desk_user
    snapshot
    start_desk "$U"
    kstep "$label: logged in" "(reception)" || return
    concern=emotional
    [ "$f" = intake ] && concern=self_harm
    k_intake "Matrix K$cellno" "$concern" || { bad "$label: the intake form" "$(pane)"; return; }
    case $f.$i.$h in
    intake.concerns.self_harm)
        kstep "$label: self_harm ticked, on to the next question" "particular gender" || return
        kill_desk "$U"
        resume_desk "$label" "$U"
        kstep "$label: resumed after kill -9 at the question after the concerns" "particular gender" || return
        # after a resume the first digit waits for Enter (eighth tryout: a key meant for home answered q5)
        paced "$S" 1 Enter 2
        kstep "$label: into the PHQ-9" "PHQ-9" || return
        paced "$S" 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        ;;
    phq9.item9.positive)
        paced "$S" 1 2
        kstep "$label: into the PHQ-9" "PHQ-9" || return
        paced "$S" 0 0 0 0 0 0 0 0 1
        kstep "$label: item 9 answered 1, on to the difficulty question" "how difficult" || return
        kill_desk "$U"
        resume_desk "$label" "$U"
        kstep "$label: resumed after kill -9 at the difficulty question" "how difficult" || return
        kstep "$label: ...still orange after the resume" "Risk level: ORANGE" 2 || return
        paced "$S" 1 Enter 0 0 0 0 0 0 0
        ;;
    phq9.item9.unanswered)
        paced "$S" 1 2
        kstep "$label: into the PHQ-9" "PHQ-9" || return
        paced "$S" 0 0 0 0 0 0 0 0
        kstep "$label: on PHQ-9 item 9" "$Q_PHQ9_9" || return
        kill_desk "$U"
        resume_desk "$label" "$U"
        kstep "$label: resumed after kill -9: item 9 is still asked" "$Q_PHQ9_9" || return
        paced "$S" Enter
        sleep 0.3
        expect_stays "$label: Enter on the resumed unanswered item 9 records nothing" "$(pane)" 9 "$Q_PHQ9_9"
        paced "$S" 1
        sleep 0.3
        expect_stays "$label: a digit on the resumed item 9 is held, nothing recorded" "$(pane)" 9 "1 = Several days"
        paced "$S" Enter 1 0 0 0 0 0 0 0
        ;;
    asq.item2.refused)
        paced "$S" 1 2
        kstep "$label: into the PHQ-9" "PHQ-9" || return
        paced "$S" 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        kstep "$label: into the ASQ" "$Q_ASQ1" || return
        paced "$S" 1 Enter r Enter 1 Enter 1 Enter
        kstep "$label: question 5 asked after a refusal" "$Q_ASQ5" || return
        kill_desk "$U"
        resume_desk "$label" "$U"
        # interrupted with question 5 unanswered after a positive: acuity unknown, acute (RED) at once; the
        # question that decides it is asked first, once (the ASQ's own order: the client is still there)
        kstep "$label: resumed after kill -9: question 5 is asked first" "not asked before the intake stopped" || return
        kstep "$label: ...on question 5 itself" "$Q_ASQ5" 1 || return
        if wait_for "Risk level: RED" 2; then ok "$label: the resumed draft with question 5 unanswered is red"
        else bad "$label: the resumed draft with question 5 unanswered is red" "$(pane)"; fi
        if wait_for "[Qq]uestion 5 not answered" 1; then ok "$label: ...with the reason question 5 not answered"
        else bad "$label: ...with the reason question 5 not answered" "$(pane)"; fi
        # killed again while it is asked first: never offered twice, the red steps come at once
        kill_desk "$U"
        resume_desk "$label" "$U"
        if wait_for "RED: SAFETY STEPS" 3; then ok "$label: killed again on the owed question 5: the red steps at once"
        else bad "$label: killed again on the owed question 5: the red steps at once" "$(pane)"; fi
        paced "$S" Enter
        kstep "$label: ...acknowledged, question 5 is still asked" "$Q_ASQ5" || return
        if wait_for "Risk level: RED" 2; then ok "$label: ...still red"
        else bad "$label: ...still red" "$(pane)"; fi
        paced "$S" Enter C-s
        sleep 0.3
        expect_stays "$label: Enter and Ctrl-S on the resumed unanswered question 5 do not pass it" "$(pane)" 5 "$Q_ASQ5"
        paced "$S" 2 Enter
        ;;
    *)
        bad "$label: no kill -9 script for this row"
        return
        ;;
    esac
    if [ "$f" != asq ]; then
        kstep "$label: into the ASQ" "$Q_ASQ1" || return
        paced "$S" 1 Enter 1 Enter 1 Enter 1
    fi
    k_finish "$label" "$expect"
    tmux kill-session -t "$S" 2>/dev/null
}

# ---- the matrix ----
if command -v tmux >/dev/null 2>&1; then
    tmux_keeper # one idle session keeps the server up between cells
    have_tmux=yes
else
    have_tmux=no
fi
cellno=0
printf '%s\n' "$MATRIX" >"$tmp/matrix"
# the table on descriptor 4, so that nothing run for a cell can read it
while read -r form item how q5 expect ways <&4; do
    case $form in '#'* | '') continue ;; esac
    row="$form.$item $how"
    [ "$q5" != - ] && row="$row, q5 $q5"
    rowid=$(echo "$form-$item-$how-$q5" | tr -c 'a-z0-9\n-' '_')
    for w in A N F W H K; do
        case $ways in *$w*) ;; *) continue ;; esac
        case ${MATRIX_WAYS:-ANFWHK} in *$w*) ;; *) continue ;; esac
        cellno=$((cellno + 1))
        case $w in
        A) way_assess "assess  | $row" "$expect" "$form" "$item" "$how" "$q5" ;;
        N) way_new "intake new | $row" "$expect" "$form" "$item" "$how" "$q5" ;;
        F) way_fhir "import fhir | $row" "$expect" "$form" "$item" "$how" "$q5" ;;
        W) way_wizard "wizard  | $row" "$expect" "$form" "$item" "$how" "$q5" "$rowid" ;;
        H) way_hotline "hotline | $row" "$expect" "$form" "$item" "$how" "$q5" "$rowid" ;;
        K) if [ "$have_tmux" = yes ]; then way_kill "kill -9 | $row" "$expect" "$form" "$item" "$how" "$q5"
           else bad "kill -9 | $row: tmux is missing (make deps installs it)"; fi ;;
        esac
    done
done 4<"$tmp/matrix"

fhir_batch

# ---- every saved cell again, from the export (the level a clinician's report and a FHIR consumer see) ----
cli "$P\n" --user admin export --format csv --out "$tmp/x.csv" >/dev/null 2>"$tmp/err"
if [ -s "$tmp/x.csv" ]; then
    lc=$(head -1 "$tmp/x.csv" | tr ',' '\n' | grep -n '^level$' | cut -d: -f1)
    cc=$(head -1 "$tmp/x.csv" | tr ',' '\n' | grep -n '^client$' | cut -d: -f1)
    while read -r client exp label; do
        lv=$(awk -F, -v c="$cc" -v l="$lc" -v id="$client" '$c == id { v = $l } END { print v }' "$tmp/x.csv")
        if at_least "$lv" "$exp"; then ok "$label: exported $lv"; else bad "$label: exported ${lv:-nothing}, expected at least $exp"; fi
    done <"$tmp/saved"
else
    bad "export of the saved cells: $(cat "$tmp/err")"
fi

# ---- found by the clinician's outside tryout: answers that an import must not drop ----
# A second response to the same questionnaire for the same client (an acute ASQ, then one all "no") once
# replaced the first and saved green; an item with several answers kept only the first. Both are refused,
# naming the response, and nothing is saved.
fhir_refused() { # label bundle-entries expected-message
    printf '{"resourceType":"Bundle","type":"collection","entry":[%s]}' "$2" >"$tmp/dup.json"
    before=$(cli "$R\n" --user desk queue --json 2>/dev/null | grep -o '"id"' | wc -l)
    cli "$R\n" --user desk import fhir "$tmp/dup.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    after=$(cli "$R\n" --user desk queue --json 2>/dev/null | grep -o '"id"' | wc -l)
    if [ "$rc" -eq 2 ] && grep -q -- "$3" "$tmp/err" && [ "$before" = "$after" ]; then ok "$1"
    else bad "$1 (rc=$rc, items $before -> $after): $(head -c 300 "$tmp/err")"; fi
}
cellno=dup1
pt='{"fullUrl":"urn:uuid:pt-dup1","resource":{"resourceType":"Patient","id":"pt-dup1","name":[{"text":"Dup One"}]}}'
acute=$(fhir_qr qr-dup1-a "urn:triage:questionnaire:asq|1.0" "$(fhir_answer item1 asq yes),$(fhir_answer item2 asq no),$(fhir_answer item3 asq no),$(fhir_answer item4 asq no),$(fhir_answer item5 asq yes)")
neg=$(fhir_qr qr-dup1-b "urn:triage:questionnaire:asq|1.0" "$(fhir_answer item1 asq no),$(fhir_answer item2 asq no),$(fhir_answer item3 asq no),$(fhir_answer item4 asq no)")
fhir_refused "import fhir | two ASQ responses for one client (acute, then all no): refused, nothing saved" \
    "$pt,$acute,$neg" "a second response to asq for the same client"
two='{"linkId":"item1","answer":[{"valueCoding":{"code":"no"}},{"valueCoding":{"code":"yes"}}]}'
multi=$(fhir_qr qr-dup1-c "urn:triage:questionnaire:asq|1.0" "$two,$(fhir_answer item2 asq no),$(fhir_answer item3 asq no),$(fhir_answer item4 asq no)")
fhir_refused "import fhir | an ASQ item with two answers (no, yes): refused, nothing saved" \
    "$pt,$multi" "has 2 answers; a single-choice item takes one"

# ---- a reason's wording follows the channel whichever way in: `intake new` carries it in "record" (twelfth outside
# integrator's round: a phone intake saved so read "before the client leaves", the wizard's "before the call ends")
printf '{"client":{"name":"Phone Way","phone":"13800000555"},"record":{"channel":"phone","age":30},"answers":{"asq":["yes","no","no","no","no"]}}' >"$tmp/phone-way.json"
cli "$R\n" --user desk intake new "$tmp/phone-way.json" >"$tmp/out" 2>&1
if grep -q 'before the call ends' "$tmp/out" && ! grep -q 'before the client leaves' "$tmp/out"; then
    ok "intake new | record.channel phone, ASQ non-acute positive: the caller's wording"
else bad "intake new | record.channel phone: the in-room wording" "$tmp/out"; fi
sed 's/"phone","age"/"walk_in","age"/; s/Phone Way/Walk Way/; s/0555/0556/' "$tmp/phone-way.json" >"$tmp/walk-way.json"
cli "$R\n" --user desk intake new "$tmp/walk-way.json" >"$tmp/out" 2>&1
if grep -q 'before the client leaves' "$tmp/out"; then ok "intake new | record.channel walk_in: the room's wording"
else bad "intake new | record.channel walk_in: not the room's wording" "$tmp/out"; fi

finish
