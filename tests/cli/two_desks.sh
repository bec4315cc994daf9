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
desk_b_start() { # desk B opened on the FIFO (written through fd 4)
    TRIAGE_SCRIPT="$tmp/b.fifo" LINES=30 COLUMNS=100 timeout 120 "$T" --config "$tmp/config.ini" --db "$DB" >"$tmp/b.out" 2>&1 5>&- &
    bpid=$!
    exec 4>"$tmp/b.fifo"
}
desk_b_end() { # its script ends: desk B quits
    exec 4>&-
    wait "$bpid" 2>/dev/null
    bpid=
}
# desk O: another desk kept open on its own FIFO (fd 5) while others log in and out
desk_o_start() {
    TRIAGE_SCRIPT="$tmp/o.fifo" LINES=30 COLUMNS=100 timeout 120 "$T" --config "$tmp/config.ini" --db "$DB" >"$tmp/o.out" 2>&1 4>&- &
    opid=$!
    exec 5>"$tmp/o.fifo"
}
to_o() { printf '%s\n' "$@" >&5; }
desk_o_end() { # its script ends: desk O quits
    exec 5>&-
    wait "$opid" 2>/dev/null
    opid=
}

# desk A starts a hotline call and keeps it open on its screen: the draft is saved, a moment ago
mkfifo "$tmp/b.fifo" "$tmp/o.fifo"
desk_o_start
to_o "type desk" "key enter" "type $R" "key enter" "key h" "type 1" "key enter" "type 0" "key enter" "dump $D/o_home"
dumped o_home
desk_b_start
to_b "type desk" "key enter" "type $R" "key enter" "dump $D/b_resumed" "tick" "tick" "key down" "dump $D/b_key"
dumped b_key
expect "desk B: the login resumes the draft, warning that it may be open at another desk" "$D/b_resumed" "may be open there"
expect "desk B: after the heartbeat's save and a key the warning stays, in the intake's header" "$D/b_key" "May also be open at another desk"
# desk A quits now: desk B took the intake up with all of A's answers saved, so A keeps no copy of them (a quit there
# made a second draft of the same call)
desk_o_end
if [ "$(audit_count draft_copy_kept)" = 0 ]; then ok "desk A quits after B took its intake up: no copy kept"; else bad "desk A quits after B took its intake up: no copy kept"; fi

# desk A resumes it too and saves it
{ login; printf 'type 0\nkey enter\ntype 00\ntype 1111\nkey ctrl-s\ndump %s/a_saved\n' "$D"; } >"$tmp/a2.script"
desk_a "$tmp/a2.script"
expect "desk A: saved" "$D/a_saved" "Saved"

# desk B leaves the intake (q): its draft went at desk A; asked what to keep, not stuck on the intake
to_b "key esc" "resize 80 24" "key q" "dump $D/b_ask" "key n" "resize 100 30" "dump $D/b_stay"
dumped b_stay
# thirteenth tryout: at 80x24 the question covered the live panel's top lines (its title and level)
if grep -q "k: keep them" "$D/b_ask" && grep -q "Live assessment" "$D/b_ask" && grep -q "Risk level" "$D/b_ask"; then
    ok "desk B 80x24: the question leaves the live panel's title and level in sight"
else
    bad "desk B 80x24: the question leaves the live panel's title and level in sight" "$D/b_ask"
fi
expect "desk B: q asks, saying the draft went at another desk" "$D/b_ask" "was saved, changed, discarded or erased at"
expect "desk B: ...offering to keep this desk's answers as a new draft" "$D/b_ask" "k: keep them as a new draft"
expect "desk B: any other key stays with the intake, the header saying why nothing is saved" "$D/b_stay" "Saved or changed at another desk: not saved here"
to_b "key q" "type k" "dump $D/b_kept"
dumped b_kept
expect "desk B: k keeps them as a new draft and goes to the front desk" "$D/b_kept" "Kept as a new draft"
expect "desk B: ...which the front desk offers to resume" "$D/b_kept" "Resume the unfinished intake"
if [ "$(audit_count draft_copy_kept)" = 1 ]; then ok "desk B: the copy is audited"; else bad "desk B: the copy is audited"; fi
# the copy is an ordinary draft: discarded from home (x, y), audited
to_b "key x" "type y" "dump $D/b_discarded" "key q" "type y"
dumped b_discarded
absent "desk B: the copy is discarded like any draft" "$D/b_discarded" "Resume the unfinished intake"
desk_b_end

# the other way out: y leaves without this desk's answers (nothing new kept, nothing audited)
{ login; printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\nkey f3\n'; } >"$tmp/a3.script"
desk_a "$tmp/a3.script"
desk_b_start
to_b "type desk" "key enter" "type $R" "key enter" "dump $D/b2_resumed"
dumped b2_resumed
{ login; printf 'type 0\nkey enter\ntype 00\ntype 1111\nkey ctrl-s\ndump %s/a2_saved\n' "$D"; } >"$tmp/a4.script"
desk_a "$tmp/a4.script"
expect "desk A: saved again" "$D/a2_saved" "Saved"
# at the review desk B's save is refused (the draft went), and q then asks
to_b "type 0" "key enter" "type 00" "type 1111" "key ctrl-s" "dump $D/b2_refused" "key q" "type y" "dump $D/b2_left"
dumped b2_left
expect "desk B: its save is refused, saying why" "$D/b2_refused" "Nothing saved: this intake was saved, changed or discarded at another desk"
expect "desk B: y leaves without its answers" "$D/b2_left" "Closed without this desk's answers"
absent "desk B: ...keeping no draft" "$D/b2_left" "Resume the unfinished intake"
to_b "key q"
desk_b_end
if [ "$(audit_count draft_copy_kept)" = 1 ]; then ok "y keeps and audits no copy"; else bad "y keeps and audits no copy"; fi

# ---- eleventh tryout: both desks open on one draft; desk A saves it GREEN while desk B's answers reach RED. B's
# saves no longer write over A's (each desk saves over only the draft as it left it); B is told, its red answers
# are not left with one key, F4 keeps them as a new draft, and that copy saved makes no second caller
{ login; printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\nkey f3\n'; } >"$tmp/a5.script"
desk_a "$tmp/a5.script"
desk_b_start
to_b "type desk" "key enter" "type $R" "key enter" "dump $D/b3_resumed"
dumped b3_resumed
{ login; printf 'type 0\nkey enter\ntype 00\ntype 1111\nkey ctrl-s\ndump %s/a3_saved\n' "$D"; } >"$tmp/a6.script"
desk_a "$tmp/a6.script"
expect "desk A: saved GREEN" "$D/a3_saved" "Risk level: GREEN"
caller=$(grep "Caller id" "$D/a3_saved" | grep -o '[A-Z][A-Z][A-Z][0-9][0-9][0-9][0-9]' | head -1)
to_b "type 0" "key enter" "dump $D/b3_first" "type 00" "type 2" "type 1" "type 1" "type 1" "resize 80 24" "type 2" "dump $D/b3_red_steps" "key enter" "resize 100 30" "dump $D/b3_red"
dumped b3_red
expect "desk B: its first answer's save is refused, saying the other desk saved it" "$D/b3_first" "Saved or changed at another desk: not saved here"
expect "desk B: ...its answers still give RED (the red steps)" "$D/b3_red_steps" "RED"
expect "desk B: ...the refusal over the steps takes one line: their acknowledgement stays in sight at 80x24" "$D/b3_red_steps" "Enter: I have read these steps"
to_b "key f3" "dump $D/b3_ask" "type y" "dump $D/b3_y" # (F3: at the owed call-back field q is a letter)
dumped b3_y
expect "desk B: leaving asks, naming the level of this desk's answers" "$D/b3_ask" "This desk's answers give RED"
absent "desk B: ...and at RED does not offer to leave them" "$D/b3_ask" "y: leave without them"
expect "desk B: y does not leave red answers behind: still on the intake" "$D/b3_y" "Saved or changed at another desk"
copies=$(audit_count draft_copy_kept)
to_b "key f4" "dump $D/b3_f4"
dumped b3_f4
expect "desk B: F4 keeps this desk's answers as a new draft instead of dropping them" "$D/b3_f4" "Kept as a new draft"
if [ "$(audit_count draft_copy_kept)" = $((copies + 1)) ]; then ok "desk B: ...audited"; else bad "desk B: ...audited"; fi
# the copy taken up again and saved: the same caller, not a second one
to_b "type desk" "key enter" "type $R" "key enter" "dump $D/b4_resumed" "key f5" "key ctrl-s" "dump $D/b4_saved"
dumped b4_saved
expect "desk B: the copy resumes at the next login, RED" "$D/b4_resumed" "RED"
expect "desk B: the copy is saved" "$D/b4_saved" "Saved"
n=$("$T" --config "$tmp/config.ini" --db "$DB" queue --json 2>/dev/null | tr '{' '\n' | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p' | sort -u | wc -l)
if [ -n "$caller" ] && printf '%s\n' "$R" | "$T" --config "$tmp/config.ini" --db "$DB" --user desk --passphrase-fd 0 client find "$caller" 2>/dev/null | grep -c "Anonymous caller $caller" | grep -qx 1; then
    ok "one caller id is one client: the copy's intake joins the caller A saved ($caller)"
else
    bad "one caller id is one client: the copy's intake joins the caller A saved ($caller)" "$D/b4_saved"
fi
to_b "key enter" "key q"
desk_b_end

# ---- twelfth tryout: desk B leaves an intake for home (kept in memory), desk A's login takes it up (a resume saves at
# once), and B's r took up its copy in memory with no warning (its next answer then refused). B now takes up the
# stored draft, warned; and A, whose own save was the last one it knew of, is warned the same way when it takes up
# a draft B saved since
{ login; printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\nkey f3\n'; } >"$tmp/a7.script"
desk_a "$tmp/a7.script"
desk_b_start
to_b "type desk" "key enter" "type $R" "key enter" "key f3" "dump $D/b5_home"
dumped b5_home
desk_o_start # desk A stays open on it (a desk that quit has it open nowhere: no warning then, tests/cli/hotline.sh)
to_o "type desk" "key enter" "type $R" "key enter" "dump $D/a5_resumed"
dumped a5_resumed
to_b "key r" "dump $D/b5_r"
dumped b5_r
expect "desk B: r after another desk took the intake up warns that it may be open there" "$D/b5_r" "May also be open at another desk"
desk_o_end
to_b "type 0" "key enter" "dump $D/b5_answered"
dumped b5_answered
absent "desk B: ...and its next answer is saved (the stored draft was taken up, not the copy in memory)" "$D/b5_answered" "not saved here"
to_b "key f3" "key q" "type y"
desk_b_end
# ---- fourteenth tryout: desk B left an intake for home, desk A took it up, and every r and x at desk B was then
# refused ("finish it at one desk"), F4 the only way on. Now r asks what to keep of the intake in memory first.
# A worker of its own (no draft of the sections above): "Yan Two" first, then a hotline call, the newest, which
# each login takes up
cli "$P\n$R\n" --user admin user add desk9 --role reception >/dev/null
login9() { printf 'type desk9\nkey enter\ntype %s\nkey enter\n' "$R"; }
{ login9; printf 'key n\nkey enter\ntype 1\ntype Yan Two\nkey enter\nkey f3\nadvance 60\n'; printf 'key h\nkey h\ntype 1\nkey enter\ntype 0\nkey enter\nkey f3\n'; } >"$tmp/a9.script"
desk_a "$tmp/a9.script"
desk_b_start
to_b "type desk9" "key enter" "type $R" "key enter" "key f3" "dump $D/b6_home"
dumped b6_home
{ login9; printf 'dump %s/a9_resumed\n' "$D"; } >"$tmp/a10.script"
desk_a "$tmp/a10.script"
drafts9() { sqlite3 "$DB" "SELECT count(*) FROM drafts WHERE staff_id = (SELECT id FROM staff WHERE name = 'desk9')"; }
before9=$(drafts9)
to_b "key r" "type 2" "dump $D/b6_r2"
dumped b6_r2
# everything desk B held was saved before desk A took it up (fifteenth tryout: each k made a duplicate draft)
absent "desk B: r then a number, its copy in memory taken up at desk A with nothing unsaved: no refusal" "$D/b6_r2" \
    "Nothing saved: this intake was saved, changed or discarded"
absent "desk B: ...and no question (nothing of it to keep)" "$D/b6_r2" "k: keep them as a new draft"
expect "desk B: ...the draft picked is taken up" "$D/b6_r2" "Intake: "
if [ "$(drafts9)" = "$before9" ]; then ok "desk B: ...and no copy made"; else bad "desk B: ...and no copy made ($(drafts9), was $before9)"; fi
to_b "key f3" "key q" "type y"
desk_b_end
# ---- fourteenth tryout: Ctrl-C at a desk whose intake had gone at another desk quit at once and dropped its answers
# (item 9 among them). Ctrl-C now ends the desk as q would: this desk's answers are kept as a new draft
cli "$P\n$R\n" --user admin user add desk10 --role reception >/dev/null
login10() { printf 'type desk10\nkey enter\ntype %s\nkey enter\n' "$R"; }
{ login10; printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\nkey f3\n'; } >"$tmp/a11.script"
desk_a "$tmp/a11.script"
desk_b_start
to_b "type desk10" "key enter" "type $R" "key enter" "dump $D/b7_resumed"
dumped b7_resumed
{ login10; printf 'type 0\nkey enter\nkey f3\n'; } >"$tmp/a12.script"
desk_a "$tmp/a12.script"
to_b "type 0" "key enter" "type 1" "dump $D/b7_answered"
dumped b7_answered
kept_before=$(audit_count draft_copy_kept)
# twentieth tryout: Ctrl-C over an open intake left without a word; it now asks the quit question first, and a
# second Ctrl-C leaves as the first one did. Both go straight to triage: timeout(1) passes a signal on to its
# process group a moment late, and ignores a second one
bchild=$(pgrep -P "$bpid" | head -1)
to_b "resize 80 24" "dump $D/b7_small"
dumped b7_small
kill -INT "$bchild"
to_b "dump $D/b7_ctrl_c"
dumped b7_ctrl_c
expect "desk B: Ctrl-C over an open intake asks first, saying whose intake is kept" "$D/b7_ctrl_c" "Quit? The unfinished intake of Anonymous caller"
# twenty-first tryout: drawn in the middle of the question, it hid answers (ASQ question 5's at 80x24); at the foot
# of the question, over its keys, every answer stays in sight
for opt in "0  Not at all" "1  Several days" "2  More than half the days" "3  Nearly every day" "r  refused" "Risk level: GREEN" "Live assessment" "No rule fired (so far)"; do
    expect "desk B 80x24: ...\"$opt\" still in sight" "$D/b7_ctrl_c" "$opt"
done
kill -INT "$bchild"
wait "$bpid" 2>/dev/null
b_rc=$?
bpid=
exec 4>&-
if [ "$(audit_count draft_copy_kept)" -eq $((kept_before + 1)) ]; then ok "desk B: Ctrl-C again keeps this desk's answers as a new draft"
else bad "desk B: Ctrl-C keeps this desk's answers as a new draft ($(audit_count draft_copy_kept), was $kept_before)" "$D/b7_answered"; fi
if [ "$b_rc" -eq 130 ]; then ok "...and the desk ends as Ctrl-C ends a program (exit 130)"; else bad "...and the desk ends as Ctrl-C ends a program (exit $b_rc)"; fi
# ---- fifteenth tryout: desk B, holding an ORANGE copy of a call that desk A since took to RED, was asked "Discard ...
# Risk level: ORANGE ... question 2", and the stored RED draft was erased. The copy is set aside (nothing of it was
# unsaved), the question is about the draft as stored, and the core discards only the draft as the desk was shown it
cli "$P\n$R\n" --user admin user add desk11 --role reception >/dev/null
login11() { printf 'type desk11\nkey enter\ntype %s\nkey enter\n' "$R"; }
{ login11; printf 'key h\ntype 1\nkey enter\ntype 0\nkey enter\ntype 0\ntype 0\ntype 0\ntype r\nkey q\n'; } >"$tmp/a13.script"
desk_a "$tmp/a13.script"
desk_b_start
to_b "type desk11" "key enter" "type $R" "key enter" "key f3" "dump $D/b8_home"
dumped b8_home
{ login11; printf 'type 2\nkey enter\ntype 2\ntype 1\ntype 2\ndump %s/a13_red\nkey enter\nkey f3\n' "$D"; } >"$tmp/a14.script"
desk_a "$tmp/a14.script"
expect "set up: desk A took the call to RED" "$D/a13_red" "RED: SAFETY STEPS NOW"
to_b "key x" "dump $D/b8_x"
dumped b8_x
expect "desk B: x asks about the draft as stored: RED" "$D/b8_x" "Risk level: RED"
absent "desk B: ...not its own ORANGE copy" "$D/b8_x" "Risk level: ORANGE"
to_b "key esc" "key q" "type y"
desk_b_end
# ---- sixteenth tryout: desk B discarded, with one y and no warning, a YELLOW draft desk A had opened seconds before
# (desk A kept its answers all the same). A draft saved moments ago at another desk may be open there: the question
# says so.
cli "$P\n$R\n" --user admin user add desk12 --role reception >/dev/null
login12() { printf 'type desk12\nkey enter\ntype %s\nkey enter\n' "$R"; }
desk_b_start                                              # desk B at home first, nothing to resume
to_b "type desk12" "key enter" "type $R" "key enter" "dump $D/c_home"
dumped c_home
desk_o_start                                              # desk A: a draft saved just now, A still open
to_o "type desk12" "key enter" "type $R" "key enter" "key h" "type 1" "key enter" "type 2" "key enter" "type 0" "key enter" "dump $D/o15"
dumped o15
to_b "key ctrl-l" "key x" "dump $D/c_x"      # Ctrl-L: the list read again (a script desk waits on its FIFO, not polling)
dumped c_x
to_b "key n"
# desk A quits: its last save says it left, so the draft is open nowhere (twenty-second tryout: a quit and a login
# straight back warned of a desk that was gone)
desk_o_end
to_b "key ctrl-l" "key x" "dump $D/c_x2"
dumped c_x2
to_b "key n" "key q"
desk_b_end
expect "x on a draft saved moments ago at another desk: says it may be open there" "$D/c_x" "saved less than two minutes ago at another desk"
expect "...once that desk quit, x asks again" "$D/c_x2" "Discard the unfinished intake"
absent "...without saying it may be open there" "$D/c_x2" "saved less than two minutes ago at another desk"
# ---- twenty-third tryout: desk B's intake taken up at desk A; B's q asked what to keep (its save refused as the draft
# went), B stayed, then quit: a second, identical copy was kept, though B had answered nothing A's copy lacks
cli "$P\n$R\n" --user admin user add desk13 --role reception >/dev/null
{ printf 'type desk13\nkey enter\ntype %s\nkey enter\n' "$R"; printf 'key h\ntype 1\nkey enter\ntype 2\nkey enter\ntype 0\nkey f3\n'; } >"$tmp/a16.script"
desk_a "$tmp/a16.script"                                 # a draft of desk13's, left
desk_b_start
to_b "type desk13" "key enter" "type $R" "key enter" "dump $D/d_b_resumed" # desk B takes it up
dumped d_b_resumed
desk_o_start
to_o "type desk13" "key enter" "type $R" "key enter" "dump $D/d_o_resumed" # desk A takes it up in turn
dumped d_o_resumed
copies=$(audit_count draft_copy_kept)
to_b "key f3" "dump $D/d_b_ask" "type z" "dump $D/d_b_stay"
dumped d_b_stay
desk_b_end                                              # desk B quits
expect "desk B: leaving asks what to keep (the draft went at desk A)" "$D/d_b_ask" "k: keep them as a new draft"
if [ "$(audit_count draft_copy_kept)" = "$copies" ]; then ok "desk B quits with nothing unsaved: no second copy"; else bad "desk B quits with nothing unsaved: no second copy ($(audit_count draft_copy_kept), was $copies)"; fi
to_o "key q" "type y"
desk_o_end
# ---- twenty-third tryout: desk A left its intake for the front desk (F3): open nowhere, yet desk B's login was told it
# may be open at another desk. It is not now; and desk A, taking it up again after B did, is told B may have it open.
cli "$P\n$R\n" --user admin user add desk14 --role reception >/dev/null
desk_o_start
to_o "type desk14" "key enter" "type $R" "key enter" "key h" "type 1" "key enter" "type 2" "key enter" "key f3" "dump $D/e_o_home"
dumped e_o_home
desk_b_start
to_b "type desk14" "key enter" "type $R" "key enter" "dump $D/e_b_resumed"
dumped e_b_resumed
to_o "key r" "dump $D/e_o_r"
dumped e_o_r
to_b "key f3" "key q" "type y"
desk_b_end
to_o "key q" "type y"
desk_o_end
expect "desk B: a draft left for the front desk at desk A resumes" "$D/e_b_resumed" "Unfinished intake resumed"
absent "...without a warning that it may be open there (A left it)" "$D/e_b_resumed" "may be open there"
expect "desk A: r after desk B took it up warns that it may be open at B" "$D/e_o_r" "May also be open at another desk"
finish
