#!/bin/sh
# The disk fills under the front desk in the middle of an intake (issue 8), in a real terminal (tmux), with
# the database on a small tmpfs (skipped, and said so, where mount is not allowed): the answers typed while
# the disk is full (their draft autosave fails) say so and the program carries on; Ctrl-S on the review
# says the disk is full, the review and every answer stay; once space is free the next autosave works, a
# hang-up and a restart resume the intake (the draft survived the failed save), and Ctrl-S saves it:
# the summary, `triage verify` sound, the client stored once.
# Usage: tests/faults/tui_disk_full.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp tdisk unmount_scratch
S="triage-tdisk-$$"
mnt=""
export TMUX_TMPDIR="$tmp"
unmount_scratch() {
    tmux kill-server 2>/dev/null
    n=0 # the desk may still be closing the database: the unmount waits for it (bounded)
    while [ -n "$mnt" ] && ! umount "$mnt" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
}
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW TRIAGE_SCRIPT NO_COLOR
mkdir -p "$HOME"
test_config "$tmp/config.ini"
A=admin-passphrase-1 R=desk-passphrase-12
fail_show=show_pane show_lines=34
need() { # a step the rest depends on: the test stops when it fails
    if wait_for "$2" "${3:-10}"; then ok "$1"; return 0; fi
    bad "$1 (waiting for: $2)"
    finish
}
step() { if wait_for "$2" "${3:-10}"; then ok "$1"; else bad "$1 (waiting for: $2)"; fi; }
keys() { tmux send-keys -t "$S" "$@"; }
fill() { dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null; }

mkdir -p "$tmp/small"
if ! mount -t tmpfs -o size=8m tmpfs "$tmp/small" 2>/dev/null; then
    echo "skip disk full in the front desk: mount -t tmpfs is not allowed here (needs root with CAP_SYS_ADMIN)"
    finish
fi
mnt="$tmp/small"
DB="$mnt/t.db"
cli "$A\n" --user admin init >/dev/null
cli "$A\n$R\n" --user admin user add desk --role reception >/dev/null
tmux_keeper
start() { tmux_start 120 32; }

start
need "login" "Passphrase"
keys "$R" Enter
need "home" "desk (reception)"
keys n Enter 1
need "a new intake" "What name would you like us to call you"
keys "Disk Full Person" Enter 40 Enter
need "two answers in" "Question 3 of"
fill
# keys at a person's pace (paced): the burst guard holds answer keys that come faster than a person chooses
paced "$S" Enter 1 Enter # the birth date skipped: the gender's digit waits for Enter (the phone guard)
need "the disk is full: an answer still moves on" "Question 5 of"
step "...and its autosave failing says the disk is full" "disk is full"
paced "$S" 13911112222 Enter 1 Enter 1 1 Enter 1 2 # phone, language, occupation, channel, concerns, preference, consent
need "answers go on while the disk is full: the PHQ-9" "PHQ-9"
paced "$S" 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 1 1 # PHQ-9 and GAD-7 typed as their scores (0; no difficulty question then), ASQ: no
need "the review" "Review, then save"
keys C-s
step "Ctrl-S on a full disk: a clear message that the disk is full" "nothing was saved: the disk is full\|disk is full"
step "...naming the database file" "$DB"
step "...the review stays" "Review, then save"
step "...with every answer" "Disk Full Person"
rm -f "$mnt/filler"
keys Escape
need "space is free: Esc goes back a question" "ASQ"
keys Enter
need "...and on to the review again (two autosaves)" "Review, then save"
if pane | grep -q "disk is full"; then bad "the autosave works once space is free (no full-disk message)"; else ok "the autosave works once space is free"; fi
pid=$(pgrep -f -- "--db $DB --user desk" | head -1)
[ -n "$pid" ] && kill -HUP "$pid"
need "a hang-up ends it" "EXITED 129"
start
need "restarted" "Passphrase"
keys "$R" Enter
need "the intake resumes after the failed save and the hang-up" "Unfinished intake resumed"
step "...on the review with every answer" "Disk Full Person"
keys C-s
need "Ctrl-S: saved, the summary" "Saved"
step "...with its deadline" "left"
keys Enter q
need "quit" "EXITED 0"
cli "$A\n" --user admin verify >"$tmp/verify" 2>&1
if grep -q '^sound' "$tmp/verify"; then ok "triage verify: sound"; else bad "triage verify: $(cat "$tmp/verify")"; fi
cli "$A\n" --user admin client find "Disk Full Person" >"$tmp/found" 2>&1
if [ "$(grep -c 'Disk Full Person' "$tmp/found")" -eq 1 ]; then ok "the client is stored once"; else bad "the client stored once: $(cat "$tmp/found")"; fi
n=$(sqlite3 "$DB" "SELECT count(*) FROM intakes" 2>&1)
if [ "$n" = 1 ]; then ok "one intake in the database"; else bad "one intake in the database: $n"; fi
n=$(sqlite3 "$DB" "SELECT count(*) FROM drafts" 2>&1)
if [ "$n" = 0 ]; then ok "the draft is gone once the intake is saved"; else bad "drafts left: $n"; fi
finish
