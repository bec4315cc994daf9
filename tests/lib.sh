# The scaffolding every shell suite shares (sourced, not run). A suite under tests/<kind>/ starts with
#     . "$(dirname "$0")/../lib.sh"
# which works from any working directory (the path is the suite's own), and ends with `finish`.
# What it gives:
#   ok NAME / bad NAME [DETAIL]   count a pass or a failure; `FAIL NAME` starts a line, which is what
#                                 run-suites.sh shows the lines under. DETAIL is shown by $fail_show:
#                                 show_text (default: DETAIL is text), show_file (DETAIL is a file: its first
#                                 $show_lines lines), show_pane (the tmux pane of session DETAIL, or $S:
#                                 what the screen held at the failure), or a function of the suite's own.
#   finish                        prints `N passed, N failed` and exits 0 only when nothing failed.
#   make_tmp NAME [COMMAND]       $tmp, a new directory triage-NAME.XXXXXX, removed on exit (kept when KEEP
#                                 is set, for a look after a failure); COMMAND (stop tmux, unmount) runs first.
#   test_config FILE [SED-ARGS]   FILE: the shipped config.ini with a fast key derivation (kdf_cost) and the
#                                 forms of this checkout, plus the suite's own `-e 's/.../.../'` edits.
#   cli PASSLINES ARGS...         runs $T on $tmp/config.ini and $DB, passphrases (one per line) on fd 3.
#   tri USER PASSLINES ARGS...    the same as USER, keeping the outcome in $rc, $out and $err;
#   nol ARGS...                   the same with no login; check NAME COMMAND... counts COMMAND's outcome
#                                 (showing rc, out and err on a failure); has_out / has_err PATTERN.
lib_root=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
fail_show=show_text
show_lines=40

ok() {
    pass=$((pass + 1))
    [ $# -eq 0 ] || echo "ok   $1"
}
bad() { # name [detail]
    fail=$((fail + 1))
    echo "FAIL $1"
    shift
    "$fail_show" "$@"
    return 0
}
show_text() { [ -z "${1:-}" ] || echo "     $1"; }
show_file() { [ -z "${1:-}" ] || sed 's/^/     /' "$1" 2>/dev/null | head -n "$show_lines"; }
show_pane() { tmux capture-pane -p -t "${1:-${S:-}}" 2>/dev/null | sed 's/^/     /' | head -n "$show_lines"; }

finish() {
    # a suite that checked nothing proves nothing: it fails (a skipped setup, a loop that never ran)
    [ "$pass" -gt 0 ] || [ "$fail" -gt 0 ] || { echo "FAIL no check ran"; fail=1; }
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ] && exit 0
    exit 1
}

make_tmp() { # name [command run before the directory goes]
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/triage-$1.XXXXXX")
    lib_at_exit=${2:-}
    # cleanup on the way out only: a suite interrupted (INT, TERM: a timeout) stops there and fails, instead
    # of running on without its directory and ending "0 failed"
    trap lib_cleanup EXIT
    trap 'exit 130' INT TERM
    # the program's per-account state (the record of the trail seen at each database path, sqlite_seen.c) in
    # the suite's own directory, never the account's
    export XDG_STATE_HOME="$tmp/state"
}
lib_cleanup() {
    [ -z "$lib_at_exit" ] || eval "$lib_at_exit"
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}

# paced TARGET KEY...: tmux keys one at a time, half a second apart and from the keys sent before and after the
# call, as a person presses them: the wizard's burst guard ([intake] burst_ms) holds an answer key that comes
# faster after the last answer than anyone chooses (and a character typed right behind an answer key).
paced() {
    lib_target=$1
    shift
    for lib_key in "$@"; do
        sleep 0.5
        tmux send-keys -t "$lib_target" "$lib_key"
    done
    sleep 0.5
}

# ---- a real terminal (tmux), shared by the walks: $S names the session, $T the program, $tmp/config.ini and
# $DB its configuration and database ----
wait_for() { wait_in "$S" "$@"; } # pattern [seconds]: true once the pane of $S shows it (bounded: 10 s unless told)
wait_in() { # session pattern [seconds]: the same for a named session (suites with several desks)
    lib_n=0 lib_limit=$(( ${3:-10} * 10 ))
    while [ $lib_n -lt $lib_limit ]; do
        tmux capture-pane -p -t "$1" 2>/dev/null | grep -q -- "$2" && return 0
        sleep 0.1
        lib_n=$((lib_n + 1))
    done
    return 1
}
pane() { tmux capture-pane -p -t "$S" 2>/dev/null; }
# One idle session keeps the tmux server alive between tests: killing the last session makes the server
# exit, and a new session started while it is still going away can be lost (seen once under CI load).
tmux_keeper() { tmux new-session -d -s keeper -x 20 -y 5 "sleep 100000"; }
tmux_start() { tmux_open "$S" "$1" "$2" "${3:-}" --user desk; } # columns rows [TERM]: $S, the desk as `desk`
# tmux_open SESSION COLUMNS ROWS TERM ARGS...: a fresh session running $T on ${tmux_config:-$tmp/config.ini}
# and $DB with ARGS (TERM empty: xterm-256color; -: the one tmux gives); after the program the shell runs
# ${tmux_after:-echo EXITED $?} and stays ${tmux_hold:-30} s, so the last screen can be read. Returns once
# tmux has the session (bounded).
tmux_open() {
    lib_s=$1 lib_x=$2 lib_y=$3 lib_term="TERM=${4:-xterm-256color} "
    [ "${4:-}" = - ] && lib_term=""
    shift 4
    tmux kill-session -t "$lib_s" 2>/dev/null
    tmux new-session -d -s "$lib_s" -x "$lib_x" -y "$lib_y" \
        "$lib_term'$T' --config '${tmux_config:-$tmp/config.ini}' --db '$DB' $*; ${tmux_after:-echo EXITED \$?}; sleep ${tmux_hold:-30}"
    lib_n=0
    until tmux has-session -t "$lib_s" 2>/dev/null || [ $lib_n -ge 50 ]; do sleep 0.1; lib_n=$((lib_n + 1)); done
}

test_config() { # file [sed arguments]
    lib_ini=$1
    shift
    sed -e 's/^kdf_cost = moderate/kdf_cost = interactive/' -e "s#^forms_dir =\$#forms_dir = $lib_root/forms#" \
        "$@" "$lib_root/config.ini" >"$lib_ini"
}

cli() { # passlines args...
    printf '%b' "$1" >"$tmp/p"
    shift
    "$T" --config "$tmp/config.ini" --db "$DB" --passphrase-fd 3 "$@" 3<"$tmp/p"
}
tri() { # user passlines args...: sets rc, out, err
    u=$1 p=$2
    shift 2
    printf '%b' "$p" >"$tmp/pass"
    "$T" --config "$tmp/config.ini" --db "$DB" --user "$u" --passphrase-fd 3 "$@" 3<"$tmp/pass" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}
nol() { "$T" --config "$tmp/config.ini" --db "$DB" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; out=$(cat "$tmp/out"); err=$(cat "$tmp/err"); }
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name" "rc=$rc out=$out err=$err"; fi; }
has_out() { printf '%s' "$out" | grep -q -- "$1"; }
has_err() { printf '%s' "$err" | grep -q -- "$1"; }
