#!/bin/sh
# `triage restore` while two desks are open (real terminals, tmux) and a third keeps writing (issue 16):
# afterwards `verify` is sound, both desks learn of it at their next poll without being touched and go to
# the login (a session left open through a restore writes nothing more), logged in again they show the
# restored state and a desk still writes (a restore is not a replaced file), nothing written after the restore is
# lost, and a client erased since the backup stays erased. A backup that does not verify, or is not a
# triage database, is refused and changes nothing.
# Usage: tests/e2e/restore.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
wpid=""
make_tmp restore '[ -n "$wpid" ] && kill "$wpid" 2>/dev/null; tmux kill-server 2>/dev/null'
export TMUX_TMPDIR="$tmp"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW TRIAGE_SCRIPT NO_COLOR
mkdir -p "$HOME"
test_config "$tmp/config.ini"
DB="$tmp/d.db"
A=admin-passphrase-1 R=desk-passphrase-12 C=clin-passphrase-12
cli() { # PASSLINES ARGS...: this suite's own: the passphrase file is per call, so that the writer loop and the test never share it
    pf=$(mktemp "$tmp/p.XXXXXX")
    printf '%b' "$1" >"$pf"
    shift
    "$T" --config "$tmp/config.ini" --db "$DB" --passphrase-fd 3 "$@" 3<"$pf"
    r=$?
    rm -f "$pf"
    return $r
}
intake() { # NAME LEVEL: an intake from the example of that level, for the client NAME
    sed "s/^{/{\"client\":{\"name\":\"$1\"},/" "assets/examples/$2.json" | cli "$R\n" --user desk intake new -
}
# a failure names a desk (a tmux session) when what that desk's screen held then tells why
show_desk() { [ -z "${1:-}" ] || show_pane "$1"; }
fail_show=show_desk
step() { # name session pattern [seconds]
    if wait_in "$2" "$3" "${4:-10}"; then ok "$1"; else bad "$1 (waiting for: $3)" "$2"; fi
}
found() { cli "$A\n" --user admin client find "$1" 2>/dev/null | grep -c "$1"; }
# after tmux kill-session, until the desks on database $1 have exited (up to 10 s): a desk still closing holds the
# emptied log that tells an open the file was replaced (check-fresh on tmpfs: verify ran before the desks had gone)
desks_gone() {
    n=0
    while pgrep -f -- "--db $1 --user" >/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
}

cli "$A\n" --user admin init >/dev/null
cli "$A\n$R\n" --user admin user add desk --role reception >/dev/null
cli "$A\n$C\n" --user admin user add clin --role clinician >/dev/null
cli "$A\n" --user admin roster import assets/counselors.sample.ini >/dev/null
intake "Kept Red One" red >/dev/null
intake "Kept Red Two" red >/dev/null
intake "Erased Later" yellow >"$tmp/erased.json"
cli "$A\n" --user admin backup "$tmp/backup.db" >/dev/null
# after the backup: a third red intake (gone once restored), and an erasure (which must stay done)
intake "After Backup" red >/dev/null
erased_id=$(sed -n 's/.*"client_id" *: *"\([^"]*\)".*/\1/p' "$tmp/erased.json" | head -n 1)
if [ -n "$erased_id" ] && cli "$A\n" --user admin client erase "$erased_id" >/dev/null 2>&1; then
    ok "a client erased after the backup"
else
    bad "a client erased after the backup (id '$erased_id')"
fi

# two desks on the queue screen
tmux_keeper
desk() { tmux_open "$1" 110 32 "" --user "$2"; } # session user
desk A desk
desk B clin
step "desk A: login" A "Passphrase"
step "desk B: login" B "Passphrase"
tmux send-keys -t A "$R" Enter
tmux send-keys -t B "$C" Enter
step "desk A: the front desk" A "desk (reception)"
step "desk B: the front desk" B "clin (clinician)"
tmux send-keys -t A e
tmux send-keys -t B e
step "desk A: three red before the restore" A "\[1 Red 3\]"
step "desk B: three red before the restore" B "\[1 Red 3\]"

# a third desk keeps writing (green intakes, one process each) through the restore
(
    i=0
    while [ ! -e "$tmp/stop" ]; do
        i=$((i + 1))
        if intake "Writer $i" green >/dev/null 2>>"$tmp/writer.err"; then echo "Writer $i" >>"$tmp/written"; fi
    done
) &
wpid=$!
n=0
until [ -s "$tmp/written" ] || [ $n -ge 300 ]; do sleep 0.1; n=$((n + 1)); done
# the red intake saved after the backup would leave its queue: refused, naming it, audited, nothing changed
cli "$A\n" --user admin restore "$tmp/backup.db" >"$tmp/refused.out" 2>&1
r0=$?
[ $r0 -ne 0 ] && grep -q "lower or drop 1 open queue item(s).* red).*--accept-loss" "$tmp/refused.out" &&
    ok "a restore that would drop a red item saved after the backup: refused, naming it" ||
    bad "a restore dropping a red item: exit $r0: $(cat "$tmp/refused.out")"
# (the third desk keeps writing meanwhile: the refusal is looked for among the entries, not as the last)
sqlite3 "$DB" "SELECT detail FROM audit WHERE action = 'restore_refused'" 2>/dev/null | grep -q "1 open queue item" &&
    ok "...audited" || bad "...audited: $(sqlite3 "$DB" "SELECT action FROM audit ORDER BY seq DESC LIMIT 3" 2>&1)"
cli "$A\n" --user admin restore "$tmp/backup.db" --accept-loss "the test accepts it" >"$tmp/restore.out" 2>&1
rrc=$?
if [ $rrc -eq 0 ] && grep -q "^restored from" "$tmp/restore.out"; then
    ok "restore while two desks are open and a third writes: done"
else
    bad "restore: exit $rrc: $(cat "$tmp/restore.out")"
fi
# the write in flight when the restore ended may have committed before it; every one after must stay
n0=$(wc -l <"$tmp/written")
n=0
until [ "$(wc -l <"$tmp/written")" -ge $((n0 + 4)) ] || [ $n -ge 600 ]; do sleep 0.1; n=$((n + 1)); done
touch "$tmp/stop"
wait "$wpid"
wpid=""
after=$(sed -n "$((n0 + 2)),\$p" "$tmp/written")
lost=""
for w in $(echo "$after" | sed 's/Writer //'); do [ "$(found "Writer $w")" -ge 1 ] || lost="$lost $w"; done
if [ -n "$after" ] && [ -z "$lost" ]; then
    ok "every intake written after the restore is there ($(echo "$after" | wc -l) of them)"
else
    bad "intakes written after the restore: lost:${lost:- none}; written after: $(echo "$after" | wc -l); errors: $(tail -n 3 "$tmp/writer.err")"
fi

# both desks learn of it at their next poll, nobody touching them: a session left open through a restore
# writes nothing more (its key or role may not be the restored trail's), so each goes to the login, saying why
step "desk A: says the database was restored under it, log in again" A "restored from a backup while this desk was open: log in again" 5
step "desk B: says the database was restored under it, log in again" B "restored from a backup while this desk was open: log in again" 5
tmux capture-pane -p -t A | grep -q "Passphrase" && ok "desk A: at the login" || bad "desk A: at the login" A
tmux send-keys -t A "$R" Enter
tmux send-keys -t B "$C" Enter
step "desk A: logged in again" A "desk (reception)"
step "desk B: logged in again" B "clin (clinician)"
tmux send-keys -t A e
tmux send-keys -t B e
if wait_in A "\[1 Red 2\]" 5; then ok "desk A: the restored state (two red)"; else bad "desk A: the restored state" A; fi
if wait_in B "\[1 Red 2\]" 5; then ok "desk B: the restored state (two red)"; else bad "desk B: the restored state" B; fi
# a restore is not a replaced file: logged in again, the desks go on writing
paced B c Enter
step "desk B: confirming a restored red item asks for the evaluation's outcome" B "Evaluation outcome"
tmux send-keys -t B -l "evaluated in person: safety plan made"
tmux send-keys -t B Enter
step "desk B: writes after the restore (confirmed)" B "Done: level confirmed (clin"
if wait_in A "RED *confirmed" 5; then ok "desk A: B's confirmation after the restore"; else bad "desk A: B's confirmation after the restore" A; fi
tmux send-keys -t A q q y
tmux send-keys -t B q q y
step "desk A quits cleanly" A "EXITED 0"
step "desk B quits cleanly" B "EXITED 0"

[ "$(found "After Backup")" -eq 0 ] && ok "the intake made after the backup is gone (the backup's state)" ||
    bad "the intake made after the backup is gone"
[ "$(found "Kept Red One")" -ge 1 ] && ok "the backup's clients are there" || bad "the backup's clients are there"
[ "$(found "Erased Later")" -eq 0 ] && ok "the client erased after the backup stays erased" ||
    bad "the client erased after the backup stays erased"
# nothing lost silently: the live trail's entries the backup lacks are kept as restored_over entries (the
# intake made after the backup, the erasure), and every intake that reported success before the restore
# took the lock and is not in the database now is counted in the restore's output (After Backup and the
# third desk's writes that committed before it): written - found = gone - 1
over=$(sqlite3 "$DB" "SELECT detail FROM audit WHERE action = 'restored_over'" 2>/dev/null)
printf '%s\n' "$over" | grep -q ": intake_create: red" && printf '%s\n' "$over" | grep -q "client_erase" &&
    ok "the live trail after the backup kept: restored_over entries for the intake and the erasure" ||
    bad "the live trail after the backup kept: $(printf '%s' "$over" | head -c 600)"
gone=$(sed -n 's/.*; \([0-9]*\) intake(s) saved after the backup are no longer.*/\1/p' "$tmp/restore.out")
missing=0
for w in $(sed 's/Writer //' "$tmp/written"); do [ "$(found "Writer $w")" -ge 1 ] || missing=$((missing + 1)); done
# (one more at most: the third desk's write in flight when the restore took the lock may have committed before it,
# and so be counted gone, while its command then failed on the restored file and never logged it as written: seen
# three times in fourteen runs this session, once in a fresh root with nothing else running)
[ -n "$gone" ] && [ "$gone" -ge $((missing + 1)) ] && [ "$gone" -le $((missing + 2)) ] &&
    ok "every intake saved before the restore and now gone is counted in its output ($gone: After Backup and $missing)" ||
    bad "intakes gone: the restore says '${gone}', After Backup + $missing writer intakes missing: $(cat "$tmp/restore.out")"
sqlite3 "$DB" "SELECT detail FROM audit WHERE action = 'restore'" 2>/dev/null | grep -q "intakes saved after the backup removed" &&
    ok "...and in its audit entry" || bad "...and in its audit entry"
cli "$A\n" --user admin verify >"$tmp/verify.out" 2>&1
grep -q "^sound" "$tmp/verify.out" && ok "verify after the restore: sound" || bad "verify after the restore: $(cat "$tmp/verify.out")"
sqlite3 "$DB" "SELECT action FROM audit ORDER BY seq" 2>/dev/null | grep -q '^restore$' && ok "the restore is audited" ||
    bad "the restore is audited"

# refused: a file that is not a triage database, a damaged backup; nothing changes
printf 'not a database at all, just text\n' >"$tmp/junk.db"
before=$(sqlite3 "$DB" "SELECT count(*) FROM intakes")
cli "$A\n" --user admin restore "$tmp/junk.db" >"$tmp/r2.out" 2>&1
r2=$?
[ $r2 -ne 0 ] && grep -q "junk.db" "$tmp/r2.out" && ! grep -q "not an error" "$tmp/r2.out" &&
    ok "a file that is not a database: refused, naming it and why" ||
    bad "a file that is not a database: exit $r2: $(cat "$tmp/r2.out")"
cp "$tmp/backup.db" "$tmp/tampered.db"
sqlite3 "$tmp/tampered.db" "UPDATE queue_items SET level = 'green' WHERE level = 'red'"
cli "$A\n" --user admin restore "$tmp/tampered.db" >"$tmp/r3.out" 2>&1
r3=$?
[ $r3 -ne 0 ] && grep -q "does not verify" "$tmp/r3.out" && ok "a backup that does not verify: refused, saying so" ||
    bad "a backup that does not verify: exit $r3: $(cat "$tmp/r3.out")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM intakes")" = "$before" ] && ok "...and the database is unchanged" ||
    bad "...and the database is unchanged"
[ "$(cli "$R\n" --user desk restore "$tmp/backup.db" >/dev/null 2>&1; echo $?)" -ne 0 ] &&
    ok "reception may not restore" || bad "reception may not restore"
ls "$tmp" | grep -q 'restore-' && bad "no private copy left behind: $(ls "$tmp")" || ok "no private copy left behind"

# A desk at 80 columns in an intake when the file is copied over the path (the wrong way to restore): F3
# cannot keep the draft and says so, the answers stay on screen, and the refusal is shown whole (wrapped,
# not cut at the terminal's width)
tmux_open C 80 24 "" --user desk
step "desk C (80 columns): login" C "Passphrase"
tmux send-keys -t C "$R" Enter
step "desk C: the front desk" C "desk (reception)"
tmux send-keys -t C n Enter 1
step "desk C: a new intake" C "What name would you like us to call you"
tmux send-keys -t C "Grace Hopper" Enter 40 Enter
step "desk C: two answers in" C "Question 3 of"
cp "$tmp/backup.db" "$DB"
sleep 1.5
tmux send-keys -t C F3
step "desk C: F3 says the draft could not be saved (not 'kept as a draft')" C "could NOT be saved"
flat=$(tmux capture-pane -p -t C | tr -s ' \n' '  ')
case $flat in *"only with \`triage restore\`"*) ok "...the refusal whole at 80 columns, to its last words" ;;
*) bad "...the refusal whole at 80 columns" C ;; esac
# the question itself, not the front desk's "Resume the unfinished intake: ..., Question 3 of"
case $flat in *"Front desk"*) bad "...and the answers are still on screen (it went to the front desk)" C ;;
*"Question 3 of"*) ok "...and the answers are still on screen" ;; *) bad "...and the answers are still on screen" C ;; esac
tmux kill-session -t C

# A live database that fails its integrity check (second outside restore tryout, finding 2): restore repairs
# it. Damage in the intakes only: the checks read what they need and the restore goes in, counting the three
# intakes saved after the backup as gone. Damage in the queues: refused, naming the live file as damaged
# (not the private copy), until --accept-loss "REASON"; then restored, what was lost unread said and audited.
damage() { # TABLE: bytes written over the first pages of TABLE (no desk open, the WAL checkpointed)
    sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    for pg in $(sqlite3 "$DB" "SELECT pageno FROM dbstat WHERE name = '$1' LIMIT 3"); do
        printf 'DAMAGED-PAGE-%.0s' $(seq 1 60) | dd of="$DB" bs=1 seek=$(((pg - 1) * 4096 + 8)) conv=notrunc 2>/dev/null
    done
}
damaged_db() { # NAME TABLE LEVEL: a database, its backup, three intakes of LEVEL after it, then TABLE damaged
    DB="$tmp/$1.db"
    cli "$A\n" --user admin init >/dev/null
    cli "$A\n$R\n" --user admin user add desk --role reception >/dev/null
    intake "Before Damage" green >/dev/null
    cli "$A\n" --user admin backup "$tmp/$1-backup.db" >/dev/null
    for i in 1 2 3; do intake "After Backup $i" "$3" >/dev/null; done
    damage "$2"
    cli "$A\n" --user admin verify >"$tmp/dv.out" 2>&1
    grep -q "integrity check failed" "$tmp/dv.out" && ok "$1: the live database is damaged (verify says so)" ||
        bad "$1: the live database is damaged: $(head -c 300 "$tmp/dv.out")"
}
damaged_db dmg-intakes intakes yellow
cli "$A\n" --user admin restore "$tmp/dmg-intakes-backup.db" >"$tmp/d1.out" 2>&1
d1=$?
[ $d1 -eq 0 ] && grep -q "; 3 intake(s) saved after the backup are no longer in the database" "$tmp/d1.out" &&
    ok "a restore over a damaged live file: done, the three intakes saved after the backup counted as gone" ||
    bad "a restore over a damaged live file: exit $d1: $(cat "$tmp/d1.out")"
# ...and it says the live file was damaged (third restore tryout: nothing said it)
grep -q "the live database was damaged" "$tmp/d1.out" && ok "...saying the live database was damaged" ||
    bad "...saying the live database was damaged: $(cat "$tmp/d1.out")"
cli "$A\n" --user admin verify >"$tmp/dv.out" 2>&1
grep -q "^sound" "$tmp/dv.out" && ok "...and the database verifies sound" || bad "...verify: $(head -c 300 "$tmp/dv.out")"
damaged_db dmg-queue queue_items red
cli "$A\n" --user admin restore "$tmp/dmg-queue-backup.db" >"$tmp/d2.out" 2>&1
d2=$?
[ $d2 -ne 0 ] && grep -q "the live database $DB is damaged: its open queue items cannot be read.*--accept-loss" "$tmp/d2.out" &&
    ! grep -q "scratch" "$tmp/d2.out" &&
    ok "queues unreadable in the live file: refused, naming the live file as damaged (not the private copy)" ||
    bad "queues unreadable: exit $d2: $(cat "$tmp/d2.out")"
cli "$A\n" --user admin restore "$tmp/dmg-queue-backup.db" --accept-loss "the file was damaged" >"$tmp/d3.out" 2>&1
d3=$?
[ $d3 -eq 0 ] && grep -q "the live database was damaged: its open queue items could not be read" "$tmp/d3.out" &&
    ok "...with --accept-loss: restored, saying what could not be read" || bad "...with --accept-loss: exit $d3: $(cat "$tmp/d3.out")"
sqlite3 "$DB" "SELECT detail FROM audit WHERE action = 'restore_accept_loss'" | grep -q "damaged.*reason: the file was damaged" &&
    ok "...audited with the reason" || bad "...audited with the reason"
cli "$A\n" --user admin verify >"$tmp/dv.out" 2>&1
grep -q "^sound" "$tmp/dv.out" && ok "...and the database verifies sound" || bad "...verify: $(head -c 300 "$tmp/dv.out")"

# A desk in an intake when a restore removes its draft (third restore tryout): the restore counts the draft lost,
# and the desk, sent to the login, says the database was restored and that the restore removed the draft of the
# intake it had on screen (it said only "the draft could NOT be saved")
DB="$tmp/draft.db"
cli "$A\n" --user admin init >/dev/null
cli "$A\n$R\n" --user admin user add desk --role reception >/dev/null
cli "$A\n" --user admin backup "$tmp/draft-backup.db" >/dev/null
tmux_open D 110 32 "" --user desk
step "desk D: login" D "Passphrase"
tmux send-keys -t D "$R" Enter
step "desk D: the front desk" D "desk (reception)"
paced D n Enter 1
step "desk D: a new intake" D "What name would you like us to call you"
tmux send-keys -t D -l "Grace Hopper"
paced D Enter 4 0 Enter
step "desk D: two answers in (its draft saved)" D "Question 3 of"
cli "$A\n" --user admin restore "$tmp/draft-backup.db" >"$tmp/dr.out" 2>&1
drc=$?
[ $drc -eq 0 ] && grep -q "^1 unfinished intake(s) (drafts) saved or changed after the backup removed" "$tmp/dr.out" &&
    ok "a restore removing a draft saved after the backup counts it" || bad "a restore removing a draft: exit $drc: $(cat "$tmp/dr.out")"
step "desk D: sent to the login" D "Passphrase" 5
flat=$(tmux capture-pane -p -t D | tr -s ' \n' '  ')
case $flat in *"restored from a backup while this desk was open"*"The intake that was on screen"*"G.H."*"the restore removed its draft"*)
    ok "...saying the database was restored and that the restore removed the draft of its intake" ;;
*) bad "...saying the database was restored and what became of its draft" D ;; esac
case $flat in *"could NOT be saved as a draft"*) bad "...not as a draft that failed to save" D ;; *) ok "...not as a draft that failed to save" ;; esac
tmux kill-session -t D

# A backup moved over the path under two open desks (fifth restore tryout): the old file, deleted by the mv, is
# saved once and both desks name that same file (the second saved a copy of its own, or none in the same second);
# the message is whole at 80 columns, its last words (what to do) on screen, still after a key (it was cut, then
# one line at the terminal's width); and the steps it gives bring the desks' work back (its advice, `triage
# restore` the saved file, was refused at the open)
DB="$tmp/mv.db"
cli "$A\n" --user admin init >/dev/null
cli "$A\n$R\n" --user admin user add desk --role reception >/dev/null
cli "$A\n$C\n" --user admin user add clin --role clinician >/dev/null
intake "Moved Before" red >/dev/null
cli "$A\n" --user admin backup "$tmp/mv-backup.db" >/dev/null
tmux new-session -d -s M1 -x 80 -y 30 "TERM=xterm-256color '$T' --config '$tmp/config.ini' --db '$DB' --user desk; echo EXITED \$?; sleep 30"
tmux new-session -d -s M2 -x 80 -y 30 "TERM=xterm-256color '$T' --config '$tmp/config.ini' --db '$DB' --user clin; echo EXITED \$?; sleep 30"
step "desk M1: login" M1 "Passphrase"
step "desk M2: login" M2 "Passphrase"
tmux send-keys -t M1 "$R" Enter
tmux send-keys -t M2 "$C" Enter
step "desk M1: the front desk" M1 "desk (reception)"
step "desk M2: the front desk" M2 "clin (clinician)"
intake "Moved After" red >/dev/null # committed while both desks have the file open: in its log
cp "$tmp/mv-backup.db" "$tmp/mv-over.db"
mv "$tmp/mv-over.db" "$DB"
step "desk M1: the whole message, to its last words" M1 "delete every copy not in use" 50
step "desk M2: the whole message, to its last words" M2 "delete every copy not in use" 50
n=$(ls "$DB".replaced-* 2>/dev/null | wc -l)
saved=$(ls "$DB".replaced-* 2>/dev/null | head -n 1)
[ "$n" -eq 1 ] && ok "...the old file saved once" || bad "...the old file saved once: $n copies: $(ls "$DB".replaced-* 2>&1)"
for d in M1 M2; do
    flat=$(tmux capture-pane -p -t $d | tr -s ' \n' '  ')
    case $flat in *"as $saved. To get that work back, quit every desk"*) ok "desk $d: names the saved file" ;;
    *) bad "desk $d: names the saved file ($saved)" $d ;; esac
done
paced M1 e
sleep 1.5
tmux capture-pane -p -t M1 | grep -q "delete every copy not in use" && ok "desk M1: still whole after a key" ||
    bad "desk M1: still whole after a key" M1
tmux kill-session -t M1
tmux kill-session -t M2
desks_gone "$DB"
# the steps the message gives, as given
mv "$DB" "$DB.moved-in" && mv "$saved" "$DB"
cli "$A\n" --user admin verify >"$tmp/mv.out" 2>&1
grep -q "^sound" "$tmp/mv.out" && ok "the message's steps: the saved file put back verifies sound" ||
    bad "the message's steps: verify: $(head -c 400 "$tmp/mv.out")"
[ "$(found "Moved After")" -ge 1 ] && ok "...and holds the intake saved under the desks" || bad "...and holds the intake saved under the desks"
cli "$A\n" --user admin restore "$DB.moved-in" --accept-loss "the test restores the file moved over the path" >"$tmp/mv.out" 2>&1 &&
    ok "...and the file that was moved over the path then restores with triage restore" ||
    bad "...and the file moved over the path restores: $(head -c 400 "$tmp/mv.out")"

# The same with cp over the path (fifth restore tryout): the log's commits belonged to the content overwritten and
# are lost; the desk that found it says so, and the other desk, which finds the log emptied, says the same, not
# that the log went into an old file "moved away"
DB="$tmp/cp.db"
cli "$A\n" --user admin init >/dev/null
cli "$A\n$R\n" --user admin user add desk --role reception >/dev/null
cli "$A\n$C\n" --user admin user add clin --role clinician >/dev/null
cli "$A\n" --user admin backup "$tmp/cp-backup.db" >/dev/null
tmux new-session -d -s C1 -x 80 -y 30 "TERM=xterm-256color '$T' --config '$tmp/config.ini' --db '$DB' --user desk; echo EXITED \$?; sleep 30"
tmux new-session -d -s C2 -x 80 -y 30 "TERM=xterm-256color '$T' --config '$tmp/config.ini' --db '$DB' --user clin; echo EXITED \$?; sleep 30"
step "desk C1: login" C1 "Passphrase"
step "desk C2: login" C2 "Passphrase"
tmux send-keys -t C1 "$R" Enter
tmux send-keys -t C2 "$C" Enter
step "desk C1: the front desk" C1 "desk (reception)"
step "desk C2: the front desk" C2 "clin (clinician)"
intake "Copied After" red >/dev/null # committed in the log only
cp "$tmp/cp-backup.db" "$DB"
step "desk C1: cp over the path under two desks: said" C1 "overwritten in place" 50
step "desk C2: cp over the path under two desks: said" C2 "overwritten in place" 50
for d in C1 C2; do
    flat=$(tmux capture-pane -p -t $d | tr -s ' \n' '  ')
    case $flat in *"moved away"*) bad "desk $d: not 'moved away' for a cp" $d ;; *) ok "desk $d: not 'moved away' for a cp" ;; esac
    case $flat in *"lost"*) ok "desk $d: says the log's commits are lost" ;; *) bad "desk $d: says the log's commits are lost" $d ;; esac
done
tmux kill-session -t C1
tmux kill-session -t C2

# A desk idle-locked through a restore is told so when it unlocks (the notice had no test): the lock after one
# idle minute (the shortest the configuration allows, so this waits a minute), a restore meanwhile, then the
# login says the database was restored while the desk was locked
DB="$tmp/idle.db"
cli "$A\n" --user admin init >/dev/null
cli "$A\n$R\n" --user admin user add desk --role reception >/dev/null
intake "Idle Before" green >/dev/null
cli "$A\n" --user admin backup "$tmp/idle-backup.db" >/dev/null
intake "Idle After" green >/dev/null
sed 's/^idle_lock_minutes = .*/idle_lock_minutes = 1/' "$tmp/config.ini" >"$tmp/idle.ini"
tmux_config="$tmp/idle.ini"
tmux_open I 110 32 "" --user desk
tmux_config=
step "idle desk: login" I "Passphrase"
tmux send-keys -t I "$R" Enter
step "idle desk: the front desk" I "desk (reception)"
step "idle desk: locked after a minute idle" I "Locked after inactivity" 90
cli "$A\n" --user admin restore "$tmp/idle-backup.db" >"$tmp/idle.out" 2>&1 && ok "restored while the desk is locked" ||
    bad "restored while the desk is locked: $(cat "$tmp/idle.out")"
sleep 1.5
tmux send-keys -t I "$R" Enter
step "idle desk: unlocked, it says the database was restored while it was locked" I "restored from a backup while this desk was locked" 5
tmux send-keys -t I q q
tmux kill-session -t I

finish
