#!/bin/sh
# The front desk in a real terminal (tmux), where keys arrive as fast as a person or a paste sends them: the
# walks of the receptionist's tryouts that depend on real key timing. Each failed before its fix.
# Usage: tests/e2e/desk.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp e2edesk 'tmux kill-server 2>/dev/null'
S="triage-desk-$$"
export TMUX_TMPDIR="$tmp"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW TRIAGE_SCRIPT NO_COLOR
mkdir -p "$HOME"
test_config "$tmp/config.ini"
DB="$tmp/e.db"
R=desk-passphrase-12
fail_show=show_pane
cli "admin-passphrase-1\n" --user admin init >/dev/null
cli "admin-passphrase-1\n$R\n" --user admin user add desk --role reception >/dev/null
cli "admin-passphrase-1\n" --user admin roster import assets/counselors.sample.ini >/dev/null

tmux_keeper
start() { tmux_start 120 36; }
keys() { tmux send-keys -t "$S" "$@"; }
step() { # name pattern
    if wait_for "$2"; then ok "$1"; else bad "$1 (waiting for: $2)"; fi
}
lacks() { # name pattern-that-must-show pattern-that-must-not
    if wait_for "$2" && ! pane | grep -q -- "$3"; then ok "$1"; else bad "$1 (shows: $2, not: $3)"; fi
}

start
step "login" "Passphrase"
keys "$R" Enter
step "the front desk" "desk (reception)"

# ---- the burst guard (tryout): Enter skipped the optional phone field and the phone number typed at once went on
# as the answers to the next six questions (digits answer choice questions). Here Enter and the number arrive in
# one go, as from a fast hand or a paste: nothing is recorded, and the wizard says so
paced "$S" n Enter 1
step "a new intake" "What name would you like us to call you"
keys "Tia Burst" Enter
step "the name in" "Question 2 of"
paced "$S" 34 Enter Enter 1
step "at the phone field" "What phone number can we reach you on"
keys Enter 13912345678
step "Enter and a number at once: it stops on the language question" "Question 6 of"
step "...saying nothing was recorded" "Keys arrived too fast: nothing recorded"
sleep 1
lacks "...the questions after it are still unanswered (the channel not reached)" "Question 6 of" "How did you contact us"
# a deliberate key after the pause answers; the interview goes on at a person's pace to PHQ-9 question 8
paced "$S" 1
step "an answer key after the pause is not taken: the burst waits for Enter" "press Enter to go on"
lacks "...the language still unanswered" "Question 6 of" "Question 7 of"
paced "$S" Enter 1 Enter 1 1 Enter Enter 2
step "a deliberate key answers, and the interview goes on" "PHQ-9"
paced "$S" 0 0 0 0 0 0 0
step "PHQ-9 question 8" "PHQ-9   Question 8 of"
keys 1 1 1 1 # a run of digits at once
step "a run of digits at PHQ-9 question 8 stops there" "Keys arrived too fast"
sleep 1
lacks "...PHQ-9 item 9 is not answered by it" "PHQ-9   Question 8 of" "item 9 positive"
lacks "...and the level is still green" "PHQ-9   Question 8 of" "Risk level: ORANGE"
keys F3
step "F3 leaves the intake" "Front desk"
keys x
step "x asks to discard" "Discard the unfinished"
keys y
keys q
step "quit" "EXITED 0"
tmux kill-session -t "$S"

# ---- the phone guard (fifth tryout): Enter skipped the call-back field and the number typed at 0.35 s a digit (too
# slow for the burst guard) answered the PHQ-2 with its 1 and 3; its 9 now takes those answers back and holds
start
step "login again" "Passphrase"
keys "$R" Enter
step "the front desk again" "desk (reception)"
paced "$S" h 1 Enter
step "a hotline call at PHQ-2 question 1 (the call-back field skipped)" "PHQ-2   Question 1 of 2"
for digit in 1 3 9 1 2 3 4 5 6 7 8; do
    sleep 0.35
    keys "$digit"
done
step "a number typed at a person's pace after the skipped call-back field: taken back" "That looks like a phone number"
sleep 1
lacks "...back at PHQ-2 question 1, the PHQ-9 its answers added gone" "PHQ-2   Question 1 of 2" "PHQ-9"
paced "$S" Enter 0
step "Enter, then a deliberate key answers question 1" "PHQ-2   Question 2 of 2"
keys F3
step "F3 leaves the call" "Front desk"
paced "$S" x y q
step "quit again" "EXITED 0"
tmux kill-session -t "$S"

finish
