#!/bin/sh
# End to end in a real terminal (tmux): what a person sees. Login, an intake with a Chinese name, the panel
# turning orange, a resize in the middle of the wizard, kill -9 mid-intake, then login again: the intake
# continues with every answer kept; the terminal is restored when the program quits.
# Usage: tests/e2e/tmux.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp e2e 'tmux kill-server 2>/dev/null'
S="triage-e2e-$$"
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

# waits (polling, bounded) until the screen shows a pattern
tmux_keeper
start() { tmux_start 100 30 "${1:-xterm-256color}"; } # [TERM]
keys() { tmux send-keys -t "$S" "$@"; }
step() { # name pattern
    if wait_for "$2"; then ok "$1"; else bad "$1 (waiting for: $2)"; fi
}

start
step "the login screen appears in a real terminal" "Passphrase"
keys "$R" Enter
step "logged in: the front desk" "desk (reception)"
keys n
step "new intake: find the client first" "Find the client"
keys Enter
step "choose the client's language" "简体中文"
keys 2
step "the intake in Chinese" "您希望我们怎样称呼您"
keys "王小红" Enter
step "the Chinese name was accepted" "Question 2 of"
paced "$S" 35 Enter Enter 1 Enter 13911112222 Enter 2 Enter 1 1 Enter 1 2
step "into the PHQ-9" "PHQ-9"
tmux resize-window -t "$S" -x 70 -y 20
step "resized below the minimum: the enlarge message" "enlarge the terminal"
tmux resize-window -t "$S" -x 120 -y 32
step "resized back: the wizard reflows" "Live assessment"
paced "$S" 1 1 1 1 1 1 1 1 1 # PHQ-9 typed as its scores: several days (1) each
step "orange right after PHQ-9 item 9 is answered several days" "Risk level: ORANGE"
# kill -9 in the middle of the intake
pid=$(pgrep -f -- "--db $DB --user desk" | head -1)
[ -n "$pid" ] && kill -9 "$pid"
step "killed with SIGKILL" "EXITED 137"
tmux kill-session -t "$S"
start
step "restarted" "Passphrase"
keys "$R" Enter
step "after login the intake continues where it stopped" "Unfinished intake resumed"
step "...at the question after the last answer" "PHQ-9"
step "...with the risk level it had" "Risk level: ORANGE"
paced "$S" 2
step "after the resume the first digit is held, nothing recorded (a key meant for home never answers)" "^ *2 = "
paced "$S" Enter
step "into the GAD-7" "GAD-7"
paced "$S" 0 0 0 0 0 0 0 # GAD-7: not at all (0) each
step "into the ASQ" "ASQ"
paced "$S" 2 1 1 1
step "ASQ question 5 after a yes" "您现在有想要自杀的念头吗"
paced "$S" 2
step "red after question 5 yes: the safety steps cover the screen" "RED: SAFETY STEPS NOW"
keys Enter
step "acknowledged: the review, with every answer kept across the kill" "王小红"
tmux send-keys -t "$S" C-s
step "saved: the summary with the queue deadline" "m left"
keys Enter
step "the front desk shows the red item" "RED ALERT"
keys q
step "q with a RED client waiting asks first" "RED clients waiting for a person: 1"
keys y
step "quit: the process exits cleanly" "EXITED 0"
tmux kill-session -t "$S"
# the terminal closed under it (SIGHUP) in the middle of an intake: nothing entered is lost
start
step "again: login" "Passphrase"
keys "$R" Enter
step "home" "desk (reception)"
keys n Enter 1
step "a new intake" "What name would you like us to call you"
keys "Grace Hopper" Enter 40 Enter
step "two answers in" "Question 3 of"
pid=$(pgrep -f -- "--db $DB --user desk" | head -1)
[ -n "$pid" ] && kill -HUP "$pid"
step "SIGHUP ends it (the terminal is restored by the handler)" "EXITED 129"
tmux kill-session -t "$S"
start
step "restarted after the hang-up" "Passphrase"
keys "$R" Enter
step "the intake continues after the hang-up" "Question 3 of"
keys Escape Escape
step "...with the answers typed before it" "Grace Hopper"
step "...back at its first question (both Esc taken)" "Question 1 of"
# Ctrl-C over an open intake asks first (it left without a word: twentieth tryout); n stays; Ctrl-C twice leaves.
# Sent with kill as the terminal sends it: a typed C-c also ended the `-c` shell tmux runs the desk in (a login
# shell waits it out). The newest match: the desk, not that shell
pid=$(pgrep -n -f -- "--db $DB --user desk")
kill -INT "$pid"
step "Ctrl-C over an open intake asks the quit question" "is kept as a draft"
keys n
n=0
while pane | grep -q "is kept as a draft" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
if pane | grep -q "is kept as a draft"; then bad "n answers the question"; else ok "n answers the question"; fi
step "...on the intake, its answers in sight" "Grace Hopper"
kill -INT "$pid"
step "Ctrl-C again: asked again" "is kept as a draft"
kill -INT "$pid"
step "...and a second Ctrl-C leaves as Ctrl-C ends a program" "EXITED 130"
tmux kill-session -t "$S"
# on a screen too small to show the question (it came up unseen, shown once enlarged: twenty-first tryout), Ctrl-C
# leaves at once, the intake kept
start
step "small: login" "Passphrase"
keys "$R" Enter
step "small: the intake resumed" "Grace Hopper"
tmux resize-window -t "$S" -x 40 -y 10
step "small: the enlarge message" "enlarge the terminal"
kill -INT "$(pgrep -n -f -- "--db $DB --user desk")"
step "small: Ctrl-C leaves at once (nothing asked where nothing can be read)" "EXITED 130"
tmux kill-session -t "$S"
# a slow typist in a real terminal: the name searched for is still in the new client's name field after the
# clock ticked (a tick took it away about a second after it showed; the scripted walks type faster)
start
step "slow: login" "Passphrase"
keys "$R" Enter
step "slow: logged in" "desk (reception)"
keys F3 # the hang-up's intake resumed at login: left, kept as a draft
step "slow: home" "Front desk"
keys n
wait_for "Find the client" 3 || keys n # with a draft open, n asks first and n again starts another
step "slow: find the client" "Find the client"
for c in S a l; do keys "$c"; sleep 1.2; done
keys Enter
step "slow: nobody found" "No client found"
sleep 1.2
keys n
step "slow: the client's language" "简体中文"
sleep 1.2
keys 1
step "slow: the name question" "What name would you like us to call you"
sleep 2.5 # two ticks or more
if tmux capture-pane -p -t "$S" | grep -q "> Sal"; then ok "slow: the name searched for is still carried after the clock ticked"
else bad "slow: the name searched for is still carried after the clock ticked"; fi
keys F3
tmux kill-session -t "$S"
# a terminal curses cannot drive gets a clear message, not a broken screen
start dumb
step "TERM=dumb: a clear message" "cannot move the cursor"
tmux kill-session -t "$S"
# monochrome and other terminal types still work
for term in vt100 linux screen; do
    start "$term"
    if wait_for "Passphrase" 10; then ok "TERM=$term draws the login"; else bad "TERM=$term"; fi
    keys Escape
    wait_for "EXITED 0" 10 || bad "TERM=$term exits cleanly on Esc"
    tmux kill-session -t "$S"
done

finish
