#!/bin/sh
# Two desks at once in real terminals (tmux), one database: desk A saves a red intake, desk B's open queue
# shows it within 2 seconds with the banner and the bell, nobody touching B's keyboard; B confirms it and
# A's queue shows the change within 2 seconds. Both quit cleanly.
# Usage: tests/e2e/desks.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp desks 'tmux kill-server 2>/dev/null'
export TMUX_TMPDIR="$tmp"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW TRIAGE_SCRIPT NO_COLOR
mkdir -p "$HOME"
test_config "$tmp/config.ini"
DB="$tmp/d.db"
R=desk-passphrase-12 C=clin-passphrase-12
cli "admin-passphrase-1\n" --user admin init >/dev/null
cli "admin-passphrase-1\n$R\n" --user admin user add desk --role reception >/dev/null
cli "admin-passphrase-1\n$C\n" --user admin user add clin --role clinician >/dev/null
cli "admin-passphrase-1\n" --user admin roster import assets/counselors.sample.ini >/dev/null
fail_show=show_pane
step() { # name session pattern [seconds]
    if wait_in "$2" "$3" "${4:-10}"; then ok "$1"; else bad "$1 (waiting for: $3)" "$2"; fi
}
tmux_keeper
tmux set-option -g monitor-bell on 2>/dev/null
desk() { tmux_open "$1" 110 32 "" --user "$2"; } # session user
desk A desk
desk B clin
step "desk A: login" A "Passphrase"
step "desk B: login" B "Passphrase"
tmux send-keys -t A "$R" Enter
tmux send-keys -t B "$C" Enter
step "desk A: the front desk" A "desk (reception)"
step "desk B: the front desk" B "clin (clinician)"
tmux send-keys -t B e
step "desk B: the queue screen, nothing red" B "\[1 Red 0\]"
# desk A takes an intake that ends red (ASQ question 5 yes)
tmux send-keys -t A n Enter 2
step "desk A: the intake" A "您希望我们怎样称呼您"
paced A "Two Desks" Enter 35 Enter Enter 1 Enter 13911112222 Enter 2 Enter 1 1 Enter 1 2
step "desk A: the PHQ-9" A "PHQ-9"
paced A 1 1 1 1 1 1 1 1 1 2 # nine items typed as their scores (1 each) and the difficulty question (2nd option)
step "desk A: the GAD-7" A "GAD-7"
paced A 0 0 0 0 0 0 0
step "desk A: the ASQ" A "ASQ"
paced A 2 1 1 1 2
step "desk A: red, the safety steps" A "RED: SAFETY STEPS NOW"
tmux send-keys -t A Enter
step "desk A: the review" A "Two Desks"
tmux send-keys -t A C-s
step "desk A: saved" A "m left"
# from here on nobody touches desk B
if wait_in B "\[1 Red 1\]" 2; then ok "desk B: the red item within 2 seconds"; else bad "desk B: the red item within 2 seconds" B; fi
if wait_in B "RED ALERT" 2; then ok "desk B: the banner within 2 seconds"; else bad "desk B: the banner" B; fi
step "desk B: the row (initials only)" B "T.D. "
if [ "$(tmux display-message -p -t B '#{window_bell_flag}')" = 1 ]; then ok "desk B: the terminal bell rang"; else bad "desk B: the bell" B; fi
tmux send-keys -t A Enter e
step "desk A: its own queue with the red item" A "RED *open"
paced B c Enter
step "desk B: confirming red asks for the evaluation's outcome" B "Evaluation outcome"
tmux send-keys -t B -l "evaluated in person: safety plan made"
tmux send-keys -t B Enter
step "desk B: confirmed" B "Done: level confirmed (clin"
if wait_in A "RED *confirmed" 2; then ok "desk A: B's confirmation within 2 seconds"; else bad "desk A: B's confirmation within 2 seconds" A; fi
if wait_in A "clin *confirm" 2; then ok "desk A: the history says who"; else bad "desk A: the history" A; fi
tmux send-keys -t A q q y
tmux send-keys -t B q q y
step "desk A quits cleanly" A "EXITED 0"
step "desk B quits cleanly" B "EXITED 0"
finish
