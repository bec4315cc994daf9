#!/bin/sh
# One worker's intake open at two desks (issue 14, the receptionist's ninth tryout): the second desk resumed it with
# a warning that went with the next key, and after the first desk saved it, the second stayed on the intake
# (its saves refused) with only F4 out. Now the warning stays in the intake's header while it is open there, and
# leaving an intake whose draft went at another desk asks: k keeps this desk's answers as a new draft (audited),
# y leaves without them, any other key stays.
# Desk B reads its script from a FIFO, so that desk A can act between B's keys; A's scripts run to the end.
# Usage: tests/cli/two_desks.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp two_desks 'exec 4>&- 2>/dev/null; [ -n "${bpid:-}" ] && kill "$bpid" 2>/dev/null'
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset TRIAGE_CONFIG NO_COLOR TRIAGE_NOW TRIAGE_SCRIPT
mkdir -p "$HOME"
test_config "$tmp/config.ini"
DB="$tmp/t.db"
P=admin-passphrase-1 R=desk-passphrase-12
cli "$P\n" --user admin init >/dev/null
cli "$P\n$R\n" --user admin user add desk --role reception >/dev/null
cli "$P\n" --user admin roster import assets/counselors.sample.ini >/dev/null
D=$tmp/dump
mkdir -p "$D"
show_dump() { [ -z "${1:-}" ] || sed 's/^/     /' "$1" 2>/dev/null | grep -v '^ *$' | head -n "$show_lines"; }
fail_show=show_dump
expect() { # name dump pattern
    if grep -q -- "$3" "$2" 2>/dev/null; then ok "$1"; else bad "$1 (looked for: $3)" "$2"; fi
}
absent() { # name dump pattern
    if [ -f "$2" ] && ! grep -q -- "$3" "$2"; then ok "$1"; else bad "$1 (should not show: $3)" "$2"; fi
}
login() { printf 'type desk\nkey enter\ntype %s\nkey enter\n' "$R"; }
desk_a() { # script
    TRIAGE_SCRIPT="$1" LINES=30 COLUMNS=100 timeout 60 "$T" --config "$tmp/config.ini" --db "$DB" >"$tmp/a.out" 2>&1
}
# desk B: a line at a time; `dumped NAME` waits until B has written that dump (B acts only on its script's lines)
to_b() { printf '%s\n' "$@" >&4; }
dumped() { # name
    i=0
    while [ ! -s "$D/$1" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    [ -s "$D/$1" ]
}
audit_count() { sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = '$1'"; }

# desk A starts a hotline call and leaves it (F3): the draft is kept, saved a moment ago
{ login; printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\nkey f3\n'; } >"$tmp/a1.script"
desk_a "$tmp/a1.script"

mkfifo "$tmp/b.fifo"
TRIAGE_SCRIPT="$tmp/b.fifo" LINES=30 COLUMNS=100 timeout 120 "$T" --config "$tmp/config.ini" --db "$DB" >"$tmp/b.out" 2>&1 &
bpid=$!
exec 4>"$tmp/b.fifo"
to_b "type desk" "key enter" "type $R" "key enter" "dump $D/b_resumed" "key down" "dump $D/b_key"
dumped b_key
expect "desk B: the login resumes the draft, warning that it may be open at another desk" "$D/b_resumed" "may be open there"
expect "desk B: after a key the warning stays, in the intake's header" "$D/b_key" "May also be open at another desk"

# desk A resumes it too and saves it
{ login; printf 'type 0\nkey enter\ntype 00\ntype 1111\nkey ctrl-s\ndump %s/a_saved\n' "$D"; } >"$tmp/a2.script"
desk_a "$tmp/a2.script"
expect "desk A: saved" "$D/a_saved" "Saved"

# desk B leaves the intake (q): its draft went at desk A; asked what to keep, not stuck on the intake
to_b "key esc" "key q" "dump $D/b_ask" "key n" "dump $D/b_stay"
dumped b_stay
expect "desk B: q asks, saying the draft went at another desk" "$D/b_ask" "no longer in the database"
expect "desk B: ...offering to keep this desk's answers as a new draft" "$D/b_ask" "k: keep this desk's answers as a new draft"
expect "desk B: any other key stays with the intake, the header saying why nothing is saved" "$D/b_stay" "Saved, discarded or erased at another desk: nothing here is saved"
to_b "key q" "type k" "dump $D/b_kept"
dumped b_kept
expect "desk B: k keeps them as a new draft and goes to the front desk" "$D/b_kept" "Kept as a new draft"
expect "desk B: ...which the front desk offers to resume" "$D/b_kept" "Resume the unfinished intake"
if [ "$(audit_count draft_copy_kept)" = 1 ]; then ok "desk B: the copy is audited"; else bad "desk B: the copy is audited"; fi
# the copy is an ordinary draft: discarded from home (x, y), audited
to_b "key x" "type y" "dump $D/b_discarded" "key q" "type y"
dumped b_discarded
absent "desk B: the copy is discarded like any draft" "$D/b_discarded" "Resume the unfinished intake"
exec 4>&-
wait "$bpid" 2>/dev/null
bpid=

# the other way out: y leaves without this desk's answers (nothing new kept, nothing audited)
{ login; printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\nkey f3\n'; } >"$tmp/a3.script"
desk_a "$tmp/a3.script"
TRIAGE_SCRIPT="$tmp/b.fifo" LINES=30 COLUMNS=100 timeout 120 "$T" --config "$tmp/config.ini" --db "$DB" >"$tmp/b.out" 2>&1 &
bpid=$!
exec 4>"$tmp/b.fifo"
to_b "type desk" "key enter" "type $R" "key enter" "dump $D/b2_resumed"
dumped b2_resumed
{ login; printf 'type 0\nkey enter\ntype 00\ntype 1111\nkey ctrl-s\ndump %s/a2_saved\n' "$D"; } >"$tmp/a4.script"
desk_a "$tmp/a4.script"
expect "desk A: saved again" "$D/a2_saved" "Saved"
# at the review desk B's save is refused (the draft went), and q then asks
to_b "type 0" "key enter" "type 00" "type 1111" "key ctrl-s" "dump $D/b2_refused" "key q" "type y" "dump $D/b2_left"
dumped b2_left
expect "desk B: its save is refused, saying why" "$D/b2_refused" "no longer in the database"
expect "desk B: y leaves without its answers" "$D/b2_left" "Closed without this desk's answers"
absent "desk B: ...keeping no draft" "$D/b2_left" "Resume the unfinished intake"
to_b "key q"
exec 4>&-
wait "$bpid" 2>/dev/null
bpid=
if [ "$(audit_count draft_copy_kept)" = 1 ]; then ok "y keeps and audits no copy"; else bad "y keeps and audits no copy"; fi
finish
