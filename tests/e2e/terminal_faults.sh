#!/bin/sh
# Terminal faults in a real terminal (tmux), issue 8: bytes that are not UTF-8 (invalid, truncated, lone
# continuation bytes, overlong forms, surrogates, past U+10FFFF, 5-byte forms), C1 controls, C0 control
# characters other than the bound ones, DEL, and escape sequences no terminfo names (a CSI fragment, a
# cursor move, OSC titles ended by BEL and by ST, a DCS, bracketed paste markers) typed into every text
# field: login name and passphrase, the client search (new intake and `f`), the intake's name, age and
# phone, the summary's decline reason, the queue's filter, lowering reason and decline reason, the roster
# editor (code, name) and the staff editor (login, role, both passphrases). After each: still running, the
# same screen, nothing garbled (no U+FFFD, no sequence shown as text, the pane's title untouched), the
# field holds what a person typed with the bad bytes dropped; what is saved is that text (read back through
# the CLI: client find, roster list, logging in with the passphrase; the reasons in the queue's history).
# At the end the program exits 0 and the terminal is back in cooked mode.
# Also the same bytes through TRIAGE_SCRIPT `type` lines (headless).
# Usage: tests/e2e/terminal_faults.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp tfault 'tmux kill-server 2>/dev/null'
S="triage-tfault-$$"
export TMUX_TMPDIR="$tmp"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW TRIAGE_SCRIPT NO_COLOR
mkdir -p "$HOME"
test_config "$tmp/config.ini"
DB="$tmp/t.db"
A=admin-passphrase-1 C=clin-passphrase-12
fail_show=show_pane
step() { if wait_for "$2"; then ok "$1"; else bad "$1 (waiting for: $2)"; fi; }
need() { # step, and the part stops here when it fails (what follows needs that screen)
    if wait_for "$2"; then ok "$1"; return 0; fi
    bad "$1 (waiting for: $2)"
    echo "     (the rest of this part is not run)"
    return 1
}
keys() { tmux send-keys -t "$S" "$@"; }
tmux_keeper
# after the program the shell says how it ended and the tty's mode
tmux_after="echo EXITED \$?; stty -a | tr ' ;' '\n\n' | grep -x -e icanon -e echo | tr '\n' ' '; echo"
start() { # user: a fresh session
    tmux_open "$S" 120 32 "" "$1"
    tmux select-pane -t "$S" -T triage-pane
    wait_for "Passphrase" 10 || bad "start $1: the login"
}

# The inputs: a marker letter, the bytes (hex), and what a person expects in the field from them.
# Ctrl-C, Ctrl-Z and Ctrl-\ (signals), Tab, Enter (Ctrl-J, Ctrl-M), Esc, Ctrl-S, Ctrl-L and Ctrl-H
# (Backspace) are bound keys and are left out of the C0 set; DEL is Backspace, so it follows an X.
cat >"$tmp/inputs" <<'EOF'
a ff fe| invalid bytes
b c3 28|( an invalid pair: the lead byte goes, the ( stays
c e2 82| truncated
d 80 bf 9b| lone continuation bytes (9b: an 8-bit CSI)
e c0 af| overlong /
f e0 80 af| overlong / in three bytes
g ed a0 80| a surrogate
h f4 90 80 80| past U+10FFFF
i f8 88 80 80 80| a 5-byte form
j c2 9b c2 85| C1 controls written in UTF-8
k 00 01 02 04 05 06 07 0b 0e 0f 10 11 12 14 15 16 17 18 19 1d 1e 1f| C0 controls
l 58 7f| DEL after an X
m 1b 5b| a CSI fragment
n 1b 5b 39 39 39 3b 39 39 39 48| a cursor move
o 1b 5d 30 3b 74 69 74 6c 65 07| an OSC title ended by BEL
p 1b 5d 32 3b 78 78 1b 5c| an OSC title ended by ST
q 1b 5b 32 30 30 7e 50 1b 5b 32 30 31 7e|P bracketed paste markers around P
r 1b 50 71 1b 5c| a DCS
EOF
n_inputs=$(wc -l <"$tmp/inputs")
# garble PREFIX SUFFIX [markers]: types PREFIX, every input after its marker letter, SUFFIX; sets EXP to
# what the field should hold. With markers 0 (fields of digits or a login name) the inputs that leave text
# are left out and Ctrl-A (ignored in a field) parts the rest, so that no two inputs join into a character.
garble() {
    keys -l "$1"
    EXP=$1
    while IFS='|' read -r head want; do
        m=${head%% *} hex=${head#* }
        want=${want%% *}
        if [ "${3:-1}" = 1 ]; then
            keys -l "$m"
            EXP="$EXP$m$want"
        else
            [ -n "$want" ] && continue
            keys C-a
        fi
        # shellcheck disable=SC2086
        keys -H $hex
        [ "$hex" = "1b 5b" ] && sleep 0.1 # a CSI cut short: what follows later is not its end
    done <"$tmp/inputs"
    keys -l "$2"
    EXP="$EXP$2"
}
# clean NAME: the program runs, nothing garbled is on the screen, the title is untouched
clean() {
    sleep 0.2
    p=$(pane)
    if printf '%s' "$p" | grep -q "EXITED"; then bad "$1: the program is still running"; return; fi
    if printf '%s' "$p" | grep -q -e '�' -e '\[999' -e '200~' -e '201~' -e 'title' -e '2;xx'; then
        bad "$1: nothing garbled on the screen"
        return
    fi
    if [ "$(tmux display-message -p -t "$S" '#{pane_title}')" != triage-pane ]; then bad "$1: the pane title is untouched"; return; fi
    ok "$1: still running, nothing garbled"
}
shows() { # name fixed-text [regex before it]: the screen shows the text exactly (after the regex)
    if wait_for "${3:-}$(printf '%s' "$2" | sed 's/[][\\.*^$]/\\&/g')" 3; then ok "$1"; else bad "$1 (expected: $2)"; fi
}
valid_utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }
clear_field() { i=0; while [ $i -lt 40 ]; do keys BSpace; i=$((i + 1)); done; }

# the expected passphrase of the desk: what typing every input after its marker leaves
garble_exp() { EXP=$1; while IFS='|' read -r head want; do want=${want%% *}; EXP="$EXP${head%% *}$want"; done <"$tmp/inputs"; EXP="$EXP$2"; }
garble_exp "" "Z"
PW=$EXP
cli "$A\n" --user admin init >/dev/null
cli "$A\n$PW\n" --user admin user add desk --role reception >/dev/null
cli "$A\n$C\n" --user admin user add clin --role clinician >/dev/null
cli "$A\n" --user admin roster import assets/counselors.sample.ini >/dev/null

# ---- login: the name field and the passphrase field ----
part_desk() {
    start ""
    garble "" "Z"
    clean "login name: $n_inputs inputs"
    shows "login name: the bad bytes dropped, the text kept" "$EXP"
    clear_field
    garble "de" "sk" 0
    shows "login name: typed again with the inputs between, it reads desk" "User name        desk "
    keys Enter
    garble "" "Z"
    clean "passphrase: $n_inputs inputs"
    keys Enter
    need "passphrase: it equals the text typed without the bad bytes (the login works)" "desk (reception)" || return

    # ---- the client search: new intake, and f (find a record) ----
    keys f
    need "f: find a record" "Open a client's record" || return
    garble "" "Z"
    clean "f search: $n_inputs inputs"
    shows "f search: the query" "> $EXP"
    keys Escape
    need "Esc: home again" "desk (reception)" || return
    keys n
    need "n: find the client first" "Find the client" || return
    garble "" "Z"
    clean "new intake search: $n_inputs inputs"
    shows "new intake search: the query" "> $EXP"
    keys Enter
    need "the search runs (nobody found)" "No client found" || return
    keys n
    need "n: a new client" "English" || return
    keys 1
    need "the intake" "What name would you like us to call you" || return
    NAME_EXP=""
    garble "" "Z"
    NAME_EXP=$EXP
    clean "intake name: $n_inputs inputs"
    shows "intake name: the answer" "> $EXP"
    keys Enter
    need "intake name: accepted" "Question 2 of" || return
    garble "4" "2" 0
    clean "intake age: $n_inputs inputs"
    shows "intake age: the digits only" "> 42 "
    keys Enter
    need "intake age: accepted as a number" "Question 3 of" || return
    paced "$S" Enter 1 Enter # the birth date skipped: the gender's digit waits for Enter (the phone guard)
    garble "139" "12345678" 0
    clean "intake phone: $n_inputs inputs"
    shows "intake phone: the digits only" "> 13912345678 "
    paced "$S" Enter 2 Enter 1 1 Enter 1 2
    need "the PHQ-9" "PHQ-9" || return
    paced "$S" 0 0 0 0 0 0 0 0 1 2 # PHQ-9 typed as its scores (item 9: 1), the difficulty (2nd option)
    need "the GAD-7" "GAD-7" || return
    paced "$S" 0 0 0 0 0 0 0 # GAD-7: scores 0
    need "the ASQ" "ASQ" || return
    paced "$S" 1 1 1 1 # no, four times
    need "the review" "Review, then save" || return
    keys C-s
    need "saved" "Saved" || return
    keys d
    need "d: asked first" "Record that the client declined" || return
    sleep 1 # a person's pause: an Enter right behind the d is a word's (forty-third receptionist)
    keys Enter
    need "d: why did the client decline" "Why did the client decline" || return
    garble "" "Z"
    DECL_EXP=$EXP
    clean "summary decline reason: $n_inputs inputs"
    shows "summary decline reason: the text" "> $EXP"
    keys Enter
    need "the decline is recorded" "Recorded: the client declined" || return
    keys Enter q y
    need "desk: quit exits 0" "EXITED 0" || return
    need "...and the terminal is back in cooked mode (icanon, echo)" "^icanon echo" || return
    cli "$A\n" --user admin client find 13912345678 --json >"$tmp/found.json" 2>&1
    if valid_utf8 "$tmp/found.json"; then ok "stored client: valid UTF-8"; else bad "stored client: valid UTF-8"; fi
    if grep -qF "\"name\":\"$NAME_EXP\"" "$tmp/found.json" || grep -qF "\"name\": \"$NAME_EXP\"" "$tmp/found.json"; then
        ok "stored name: what was typed, bad bytes dropped ($NAME_EXP)"
    else
        bad "stored name: expected $NAME_EXP, found $(cat "$tmp/found.json")"
    fi
    if grep -q '13912345678' "$tmp/found.json"; then ok "stored phone: 13912345678 (found by it)"; else bad "stored phone"; fi
}

# ---- the queue: the filter, a lowering reason and a decline reason (a clinician) ----
part_queue() {
    start "--user clin"
    keys "$C" Enter
    need "clin: home" "clin (clinician)" || return
    keys e
    need "the queues" "Main reason" || return
    keys /
    need "/: the filter prompt" "Filter (a name" || return
    garble "" "Z"
    clean "queue filter: $n_inputs inputs"
    shows "queue filter: the text" "$EXP"_
    keys Escape
    keys 2
    need "the orange tab with the intake" "\[2 Orange 1\]" || return
    paced "$S" c 4
    need "c 4: lowering asks for a reason" "Reason (needed to lower" || return
    garble "" "Z"
    LOW_EXP=$EXP
    clean "queue lowering reason: $n_inputs inputs"
    shows "queue lowering reason: the text" "$EXP"_
    keys Enter
    need "lowered" "Done: level lowered ORANGE->GREEN (clin" || return
    keys 4
    shows "the history holds the reason as typed, bad bytes dropped" "orange->green: $LOW_EXP" "clin *confirm .*"
    paced "$S" d Enter # a step key at a person's pace, then Enter takes it (the queues ask each step again)
    need "d: the decline prompt" "Why did the client decline" || return
    garble "" "Z"
    clean "queue decline reason: $n_inputs inputs"
    shows "queue decline reason: the text" "$EXP"_
    keys Enter
    need "declined" "Done: decline recorded (clin" || return
    shows "the history holds the queue's decline reason" ": $EXP" "clin *declined* .*"
    shows "...and the summary's decline reason, stored as typed" ": $DECL_EXP" "desk *declined* .*"
    keys q q y
    need "clin: quit exits 0" "EXITED 0" || return
}

# ---- the roster and staff editors (a supervisor) ----
part_admin() {
    start "--user admin"
    keys "$A" Enter
    need "admin: home" "admin (supervisor)" || return
    keys c
    need "the roster" "Code   Name" || return
    keys n
    garble "c9" "8" 0
    clean "roster code: $n_inputs inputs"
    keys Tab
    garble "" "Z"
    ROS_EXP=$EXP
    clean "roster name: $n_inputs inputs"
    shows "roster name: the text" "$EXP"
    keys Tab female Tab en Tab cbt Tab Tab Tab Tab anxiety:0.9 C-s
    need "the counselor is saved" "Saved counselor c98" || return
    keys Escape s
    need "the staff list" "desk *reception" || return
    keys n
    garble "nd" "sk" 0
    clean "staff login: $n_inputs inputs"
    keys Tab
    clear_field
    garble "recep" "tion" 0
    clean "staff role: $n_inputs inputs"
    keys Tab
    garble "" "Z"
    clean "staff passphrase: $n_inputs inputs"
    keys Tab
    garble "" "Z"
    clean "staff passphrase again: $n_inputs inputs"
    keys C-s
    need "the member is added" "ndsk: added" || return
    keys q q y
    need "admin: quit exits 0" "EXITED 0" || return
    need "...and the terminal is back in cooked mode" "^icanon echo" || return
    cli "$A\n" --user admin roster list >"$tmp/roster" 2>&1
    if valid_utf8 "$tmp/roster" && grep -qF "$ROS_EXP" "$tmp/roster"; then ok "stored counselor name: valid UTF-8, as typed ($ROS_EXP)"; else bad "stored counselor name: $(grep c98 "$tmp/roster")"; fi
    if cli "$PW\n" --user ndsk client find nobody >/dev/null 2>&1; then
        ok "the new member logs in with the passphrase as typed, bad bytes dropped"
    else
        bad "the new member logs in with the passphrase as typed"
    fi
    n=$(sqlite3 "$DB" "SELECT count(*) FROM staff WHERE name = 'ndsk' AND role = 'reception'" 2>&1)
    if [ "$n" = 1 ]; then ok "stored login and role: ndsk, reception"; else bad "stored login and role: $n"; fi
}

# ---- the same bytes through TRIAGE_SCRIPT type lines (headless) ----
# unhex: hex pairs on stdin to the bytes they name, with the shell's printf alone (xxd is not on a fresh
# machine and no package the project installs brings it)
unhex() { for h in $(cat); do printf "\\$(printf '%03o' "0x$h")"; done; }
part_script() {
    # script.c decodes a type line with mbstowcs-like rules but drops only the invalid bytes (as the terminal
    # does); control characters reach edit_field as characters and are refused there
    while IFS='|' read -r head want; do
        hex=${head#* }
        printf 'type %s' "${head%% *}"
        printf '%s' "$hex" | sed 's/ *\<00\>//g' | unhex # a line cannot hold NUL
        printf '\n'
    done <"$tmp/inputs" >"$tmp/garble.type"
    {
        printf 'type %s\nkey enter\n' "$C"
        echo "key f"
        cat "$tmp/garble.type"
        echo "type Z"
        echo "dump $tmp/script_find"
        echo "key esc"
        echo "key q"
    } >"$tmp/s.script"
    TRIAGE_SCRIPT="$tmp/s.script" "$T" --config "$tmp/config.ini" --db "$DB" --user clin >/dev/null 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then ok "script: the program ends cleanly"; else bad "script: exit $rc"; fi
    # the script types the bytes themselves: no DEL after X is Backspace here (a type line is text), so the X
    # and the text of escape sequences stay; only what is not UTF-8 or is a control character goes
    want='ab(cdefghijklXm[n[999;999Ho]0;titlep]2;xx\q[200~P[201~rPq\Z'
    if valid_utf8 "$tmp/script_find" && grep -qF "> $want" "$tmp/script_find"; then
        ok "script: invalid bytes and control characters dropped, the rest typed"
    else
        bad "script: expected > $want"; sed 's/^/     /' "$tmp/script_find" | head -12
    fi
}

part_desk
part_queue
part_admin
part_script

finish
