#!/bin/sh
# make bench (called by bench_queue on its 1,000,000-intake database with 10,000 open items): the front desk
# on a big database.
#   1. opening the queue screen: the time from the key `e` on the home screen to the refreshed queue screen
#      (counts, one page read through the urgency index, each shown row's initials and reason opened, the
#      history of the selected item, the audit entry of the view), headless through the keyboard's input
#      path with TRIAGE_TIMING; baseline in the same run: a key the home screen ignores (a redraw alone).
#   2. the CPU an idle open queue screen costs in a real terminal (tmux): utime + stime of the process over
#      IDLE_SECONDS (default 30) while it polls data_version and ticks once a second; baseline in the same
#      run: the same program idle on its login screen (no database polling). And its resident memory.
# Usage: tests/bench/bench_desk.sh DB PASSPHRASE USER
set -eu
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
. tests/bench/rows.sh
DB=$1 PASS=$2 USER_NAME=$3
T="$(pwd)/triage"
make_tmp bench-desk 'tmux kill-server 2>/dev/null || true'
export TMUX_TMPDIR="$tmp"
export TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
runs=${TRIAGE_BENCH_DESK_RUNS:-40}
# TRIAGE_BENCH_KEEP_DB=FILE keeps a copy of the database for profiling by hand
if [ -n "${TRIAGE_BENCH_KEEP_DB:-}" ]; then sqlite3 "$DB" "VACUUM INTO '$TRIAGE_BENCH_KEEP_DB'"; fi
idle=${IDLE_SECONDS:-30}
{
    printf 'type %s\nkey enter\n' "$PASS"
    i=0
    while [ $i -lt "$runs" ]; do printf 'key z\nkey e\nkey esc\n'; i=$((i + 1)); done
} >"$tmp/script"
TRIAGE_SCRIPT="$tmp/script" TRIAGE_TIMING="$tmp/timing" LINES=36 COLUMNS=120 \
    "$T" --config config.ini --db "$DB" --user "$USER_NAME" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
# screen 1 is the home screen: its keys alternate z (the baseline) and e (open the queue screen)
awk '$1 == "key" && $2 == 1 { n++; if (n % 2) print $3 / 1e6 > "'"$tmp/base"'"; else print $3 / 1e6 > "'"$tmp/open"'" }' "$tmp/timing"
stat() { sort -n "$1" | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]; printf "%.2f %.2f %d", m, p, NR }'; }
set -- $(stat "$tmp/base"); bm=$1 bp=$2
set -- $(stat "$tmp/open"); om=$1 op=$2 on=$3

# idle CPU in a real terminal
tick=$(getconf CLK_TCK)
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
idle_cpu() { # session-name -> percent of one core over $idle seconds
    pid=$(tmux display-message -p -t "$1" '#{pane_pid}')
    child=$(pgrep -P "$pid" -f triage | head -1)
    [ -n "$child" ] || child=$pid
    c0=$(cpu_of "$child")
    sleep "$idle"
    c1=$(cpu_of "$child")
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$child/status")
    awk "BEGIN { printf \"%.3f %d\", ($c1 - $c0) * 100 / $tick / $idle, $rss }"
}
wait_for() { n=0; while [ $n -lt 300 ]; do tmux capture-pane -p -t "$1" | grep -q -- "$2" && return 0; sleep 0.1; n=$((n + 1)); done; return 1; }
tmux new-session -d -s login -x 120 -y 36 "'$T' --config config.ini --db '$DB' --user $USER_NAME"
wait_for login "Passphrase" || { echo "bench_desk: the login screen did not appear"; exit 1; }
set -- $(idle_cpu login); lcpu=$1 lrss=$2
tmux kill-session -t login
tmux new-session -d -s queue -x 120 -y 36 "'$T' --config config.ini --db '$DB' --user $USER_NAME"
wait_for queue "Passphrase" || exit 1
tmux send-keys -t queue "$PASS" Enter
wait_for queue "Escalation queues" || { echo "bench_desk: no front desk"; exit 1; }
tmux send-keys -t queue e
wait_for queue "Main reason" || { echo "bench_desk: no queue screen"; exit 1; }
sleep 2
set -- $(idle_cpu queue); qcpu=$1 qrss=$2
tmux kill-session -t queue

echo "triage bench_desk: the front desk on the same database, ./triage headless (120x36) and in tmux"
echo
echo "| measure                                                   | median ms | p99 ms | ratio to baseline |"
echo "|-----------------------------------------------------------|-----------|--------|-------------------|"
printf '| baseline: a key the home screen ignores (redraw)          | %9s | %6s | 1.00              |\n' "$bm" "$bp"
printf '| open the queue screen, key e to the screen (%3d runs)     | %9s | %6s | %-17s |\n' "$on" "$om" "$op" \
    "$(awk "BEGIN{printf \"%.1f\", $om / ($bm > 0 ? $bm : 0.001)}")"
echo
echo "| idle for ${idle} s in tmux                                       | CPU % of one core | RSS KiB |"
echo "|-----------------------------------------------------------|-------------------|---------|"
printf '| baseline: the login screen (no database polling)          | %17s | %7s |\n' "$lcpu" "$lrss"
printf '| the queue screen open (data_version + tick once a second) | %17s | %7s |\n' "$qcpu" "$qrss"
echo
size="$(sqlite3 "$DB" "SELECT count(*) FROM queue_items WHERE state <> 'closed'") open among $(sqlite3 "$DB" "SELECT count(*) FROM intakes") intakes"
bench_row bench_desk "front desk: open the queue screen (key e to screen)" "$size" "$om" "$op" ms "a key the home screen ignores" "$bm" "< 20 ms" "$(awk "BEGIN{print ($om < 20) ? 1 : 0}")"
bench_row bench_desk "front desk: idle open queue screen, CPU over ${idle} s" "$size" "$qcpu" "$qcpu" "% of a core" "idle login screen" "$lcpu" "< 1%" "$(awk "BEGIN{print ($qcpu < 1) ? 1 : 0}")"
bench_row bench_desk "front desk: steady RSS, queue screen open (after the Argon2 login)" "$size" "$qrss" "$qrss" KiB "idle login screen" "$lrss" "< 16384 KiB" "$(awk "BEGIN{print ($qrss < 16384) ? 1 : 0}")"
awk "BEGIN { exit !($om < 20) }" && echo "target: open the queue screen under 20 ms: met" || echo "target: open the queue screen under 20 ms: NOT MET"
awk "BEGIN { exit !($qcpu < 1) }" && echo "target: idle queue screen under 1% of one core: met" || echo "target: idle queue screen under 1% of one core: NOT MET"
awk "BEGIN { exit !($qrss < 16384) }" && echo "target: steady RSS under 16 MiB: met" || echo "target: steady RSS under 16 MiB: NOT MET ($qrss KiB)"
