#!/bin/sh
# Store faults (issue 8), through the real program: a missing directory, a read-only database file and
# directory, a database locked by another program (the sqlite3 shell in BEGIN EXCLUSIVE) for longer than
# busy_timeout, the database file replaced (mv) or overwritten (cp) while a desk has it open, on disk and on
# tmpfs, and a full disk (a small tmpfs; skipped,
# and said so, where mount is not allowed). Each gives a clear message naming the file, and nothing is lost:
# the write is refused whole, and works once the fault is gone.
# Usage: tests/faults/store_faults.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
BIN=$(pwd)/build/release/tests/faults
make_tmp sfault '[ -n "$mnt" ] && umount "$mnt" 2>/dev/null'
chmod 755 "$tmp" # the read-only cases run as nobody, who must reach the files
# ...and the program and forms: a checkout in root's home (mode 0700, as on Debian) is closed to nobody, so
# nobody gets copies here, in a directory it can read, wherever the checkout is
mkdir -p "$tmp/share"
cp "$T" "$tmp/share/triage"
cp -R forms "$tmp/share/forms"
chmod -R a+rX "$tmp/share"
mnt=""
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW
mkdir -p "$HOME"
# a short busy timeout, so that "locked for longer than busy_timeout" takes a fraction of a second
sed -e 's/^kdf_cost = moderate/kdf_cost = interactive/' -e 's/^busy_timeout_ms = 5000/busy_timeout_ms = 300/' \
    -e "s#^forms_dir =\$#forms_dir = $tmp/share/forms#" config.ini >"$tmp/config.ini"
chmod 644 "$tmp/config.ini"
A=admin-passphrase-1 R=desk-passphrase-12
skip() { echo "skip $1"; }
# tri DB PASSLINES ARGS...: sets rc, out, err
tri() {
    db=$1 p=$2
    shift 2
    printf '%b' "$p" >"$tmp/pass"
    chmod 644 "$tmp/pass"
    $AS "$T" --config "$tmp/config.ini" --db "$db" --passphrase-fd 3 "$@" 3<"$tmp/pass" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}
AS=""
setup() { # db: a database with a supervisor and a reception desk
    tri "$1" "$A\n" --user admin init && tri "$1" "$A\n$R\n" --user admin user add desk --role reception
}
# taken on purpose, as a refusal's message says: DB-mark and this account's record of the trail it names
accept_on_purpose() {
    seen=$(printf '%s\n' "$err" | sed -n 's/.* \([^ ]*\) (this account.s record of it).*/\1/p' | head -n 1)
    rm -f "$1-mark" ${seen:+"$seen"}
}
intake_json() { printf '{"client":{"name":"%s"},"answers":{"phq9":[1,1,1,1,1,1,1,1,0]}}' "$1" >"$tmp/in.json"; chmod 644 "$tmp/in.json"; }

# missing directory
tri "$tmp/no/such/dir/t.db" "$A\n" --user admin init
check "missing directory: refused" [ "$rc" -eq 1 ]
check "...naming the directory and the file" has_err "directory $tmp/no/such/dir for the database $tmp/no/such/dir/t.db does not exist"
check "...and nothing is created" [ ! -e "$tmp/no" ]

# read-only file and directory (as nobody: root writes whatever the modes say)
mkdir -p "$tmp/ro"
chmod 777 "$tmp/ro"
setup "$tmp/ro/t.db"
chown -R nobody "$tmp/ro" 2>/dev/null
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    AS="setpriv --reuid=nobody --regid=nogroup --clear-groups" T_CHECKOUT=$T T=$tmp/share/triage
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$AS" ]; then
    intake_json "Read Only Person"
    chmod 444 "$tmp/ro/t.db"
    tri "$tmp/ro/t.db" "$R\n" --user desk intake new "$tmp/in.json"
    check "read-only database file: refused" [ "$rc" -eq 1 ]
    check "...with a message naming the file" has_err "$tmp/ro/t.db is read-only"
    check "...leaving no read-only -wal or -shm behind (they kept it unwritable once fixed)" [ ! -e "$tmp/ro/t.db-shm" ]
    chmod 644 "$tmp/ro/t.db"
    chmod 555 "$tmp/ro"
    tri "$tmp/ro/t.db" "$R\n" --user desk intake new "$tmp/in.json"
    check "read-only directory: refused" [ "$rc" -eq 1 ]
    check "...saying SQLite must create -wal and -shm there" has_err "directory $tmp/ro is read-only.*$tmp/ro/t.db-wal"
    chmod 777 "$tmp/ro"
    tri "$tmp/ro/t.db" "$R\n" --user desk intake new "$tmp/in.json"
    check "writable again: the same intake saves" has_out '"level"'
    tri "$tmp/ro/t.db" "$R\n" --user desk client find "Read Only Person"
    check "...exactly once (the refused attempts wrote nothing)" [ "$(printf '%s\n' "$out" | grep -c 'Read Only Person')" -eq 1 ]
    # a backup on read-only media (here a directory nobody may not write): restored, and nothing written beside
    # it (it once was refused with "(not an error)", and -wal and -shm were made next to a writable one)
    mkdir -p "$tmp/rom"
    chown nobody "$tmp/rom" 2>/dev/null
    tri "$tmp/ro/t.db" "$A\n" --user admin backup "$tmp/rom/b.db"
    chmod 555 "$tmp/rom"
    tri "$tmp/ro/t.db" "$A\n" --user admin restore "$tmp/rom/b.db"
    check "a backup in a read-only directory: restored" has_out "^restored from $tmp/rom/b.db"
    check "...writing nothing beside it" [ "$(ls "$tmp/rom")" = "b.db" ]
    chmod 755 "$tmp/rom"
else
    skip "read-only cases: running as root without setpriv"
fi
AS="" T=${T_CHECKOUT:-$T}

# locked by another program for longer than busy_timeout (300 ms here)
setup "$tmp/lock.db"
intake_json "Locked Out Person"
mkfifo "$tmp/sqlin"
sqlite3 "$tmp/lock.db" <"$tmp/sqlin" >/dev/null 2>&1 &
sqlpid=$!
exec 7>"$tmp/sqlin"
printf 'BEGIN EXCLUSIVE;\nSELECT count(*) FROM staff;\n' >&7
sleep 0.3
tri "$tmp/lock.db" "$R\n" --user desk intake new "$tmp/in.json"
check "locked by another program: refused after the busy timeout" [ "$rc" -eq 1 ]
check "...saying so and naming the file" has_err "$tmp/lock.db.*locked by another"
printf 'COMMIT;\n.quit\n' >&7
exec 7>&-
wait $sqlpid
tri "$tmp/lock.db" "$R\n" --user desk intake new "$tmp/in.json"
check "lock released: the same intake saves" has_out '"level"'
tri "$tmp/lock.db" "$R\n" --user desk client find "Locked Out Person"
check "...exactly once" [ "$(printf '%s\n' "$out" | grep -c 'Locked Out Person')" -eq 1 ]

# A desk that did not close, as the sqlite3 shell killed after a write is one: its log (DB-wal) left beside DB.
killed_shell_leaves_log() { # DB
    rm -f "$tmp/sq"
    mkfifo "$tmp/sq"
    sqlite3 "$1" <"$tmp/sq" >/dev/null 2>&1 &
    spid=$!
    exec 7>"$tmp/sq"
    echo "UPDATE staff SET failed_logins = failed_logins + 1;" >&7
    n=0
    until [ "$(stat -c %s "$1-wal" 2>/dev/null || echo 0)" -gt 32 ] || [ $n -ge 100 ]; do sleep 0.05; n=$((n + 1)); done
    kill -9 $spid 2>/dev/null
    wait $spid 2>/dev/null
    exec 7>&-
}
# A desk writing (the tests' writer program) on DB, an intake after another: started, and let run until it
# has acknowledged N intakes (or failed, or 30 s passed). Its pid in $wpid; fd 8 feeds it.
desk_writing() { # DB N
    rm -f "$tmp/win" "$tmp/acks"
    mkfifo "$tmp/win"
    : >"$tmp/acks"
    "$BIN/writer" once "$tmp/config.ini" "$1" desk <"$tmp/win" >"$tmp/acks" 2>&1 &
    wpid=$!
    exec 8>"$tmp/win"
    printf '%s\n' "$R" >&8
    n=0
    until [ "$(grep -c '^ack intake' "$tmp/acks")" -ge "$2" ] || grep -q '^error' "$tmp/acks" || [ $n -ge 600 ]; do
        sleep 0.05
        n=$((n + 1))
    done
}
# The writing desk stopped between two of its writes (no checkpoint running), for a change made there; `go` on fd 8
# lets it go on.
desk_paused() {
    kill -USR1 $wpid 2>/dev/null
    n=0
    until grep -q '^paused' "$tmp/acks" || grep -q '^error' "$tmp/acks" || [ $n -ge 600 ]; do
        sleep 0.05
        n=$((n + 1))
    done
}
# The writing desk, given 20 seconds to notice and stop by itself (a desk that does not notice writes on for
# ever: then it is stopped, and the check on $wrc fails): its status in $wrc and $rc, its last words in $err.
desk_stopped() {
    n=0
    while kill -0 $wpid 2>/dev/null && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
    kill $wpid 2>/dev/null
    wait $wpid
    wrc=$?
    exec 8>&-
    rc=$wrc out="" err=$(tail -n 1 "$tmp/acks")
}
# The intakes the desk acknowledged that FILE does not hold, in $lost (empty: none lost).
acked_missing_from() { # FILE
    lost=""
    for id in $(sed -n 's/^ack intake \([^ ]*\) .*/\1/p' "$tmp/acks"); do
        [ "$(sqlite3 "$1" "SELECT count(*) FROM intakes WHERE id = '$id'")" = 1 ] || lost="$lost $id"
    done
}

# The database replaced while a desk has it open and writes (a backup put back with mv or cp over the path,
# the wrong way to restore): the desk's next write is refused naming the file, and the file now at the path
# verifies sound: the desk's WAL, which belongs to the old file, is never applied to it. On disk and on
# tmpfs (where the first version of this test found the file damaged; on disk it had passed only because the
# copy put back matched the WAL's frames), whatever filesystem TMPDIR is on.
replaced_under_desk() { # DIR OP(mv|cp) WHERE [PAUSED]
    dir=$1 op=$2 where=$3
    db="$dir/rep-$op.db"
    setup "$db"
    tri "$db" "$A\n" --user admin backup "$dir/other-$op.db"
    # past the first automatic checkpoint (1000 frames), so that the WAL's frames no longer match the copy
    desk_writing "$db" 40
    # while it writes, or (PAUSED) between two of its writes, no checkpoint running: a copy made in the middle of
    # a checkpoint (CI saw it once: the desk took the copy for its checkpoint's own writes and damaged it) is
    # stopped by the guard on the checkpoint's writes (sqlite_guard.h), one made between two writes is found by
    # the check before the next
    if [ -n "${4:-}" ]; then
        desk_paused
        check "$op over the path under a writing desk, $where: the desk stopped between two writes for it" \
            grep -q '^paused' "$tmp/acks"
    fi
    if [ "$op" = mv ]; then mv "$dir/other-$op.db" "$db"; else cp "$dir/other-$op.db" "$db"; fi
    [ -z "${4:-}" ] || printf 'go\n' >&8
    desk_stopped
    check "$op over the path under a writing desk, $where: the desk's next write is refused" [ "$wrc" -eq 1 ]
    check "...with a message naming the file" has_err "Database $db: the file .*$([ "$op" = mv ] && echo replaced || echo overwritten)"
    if [ "$op" = cp ]; then
        # the log's commits belonged to the content overwritten: said lost (fifth restore tryout: a committed intake
        # was lost and no message said so)
        check "...saying the commits still in its log are lost" has_err "are lost"
    fi
    if [ "$op" = mv ]; then
        # the old file had no name left (mv deleted it): saved through the desk's handle beside the path with
        # its log's commits, and said so (fourth restore tryout: a committed red intake was lost)
        saved=$(ls "$db".replaced-* 2>/dev/null | head -n 1)
        check "...the old file, deleted by the mv, saved beside the path and said so" has_err "it was saved, with this desk's work, as $db.replaced-[0-9]*-[0-9]*. To get that work back, quit every desk, then put it back: .mv $db $db.moved-in. and .mv $db.replaced-[0-9-]* $db."
        check "...mode 0600" [ "$(stat -c %a "${saved:-$tmp/none}" 2>/dev/null)" = 600 ]
        if command -v sqlite3 >/dev/null && [ -n "$saved" ]; then
            acked_missing_from "$saved"
            rc=0 out="" err="acknowledged $(grep -c '^ack intake' "$tmp/acks"), missing from the saved file:${lost:- none}"
            check "...holding every intake the desk acknowledged" [ -z "$lost" ]
        fi
        rm -f "$db".replaced-*
    fi
    tri "$db" "$A\n" --user admin verify
    # the file put there is another database (its trail is not the one DB-mark recorded: tryout 4)
    check "...and the file now at the path is refused as not the one triage last wrote" has_err "$db is not the file triage last wrote there: its audit trail"
    accept_on_purpose "$db" # taken on purpose, as that message says
    tri "$db" "$A\n" --user admin verify
    check "...and, its records removed, it verifies sound (the desk's log never applied to it)" has_out "^sound"
    rm -f "$db" "$db-wal" "$db-shm" "$db-mark" "$dir/other-$op.db"
}
if [ -x "$BIN/writer" ]; then
    mkdir -p "$tmp/disk"
    tmpfs=""
    if mount -t tmpfs -o size=64m tmpfs "$tmp/disk" 2>/dev/null; then # TMPDIR is on disk: mount a tmpfs
        tmpfs="$tmp/disk" mnt="$tmp/disk"
    elif [ "$(stat -f -c %T "$tmp")" = tmpfs ]; then
        tmpfs="$tmp"
    fi
    # on disk: the checkout's build directory, unless TMPDIR is already on disk
    if [ "$(stat -f -c %T "$tmp")" = tmpfs ]; then
        disk=$(mktemp -d "$(pwd)/build/triage-sfault-disk.XXXXXX")
    else
        disk="$tmp"
    fi
    chmod 755 "$disk"
    if [ "$(stat -f -c %T "$disk")" = tmpfs ]; then bad "a directory on disk ($disk is on tmpfs)"; fi
    for op in mv cp; do replaced_under_desk "$disk" $op "on disk"; done
    if [ -n "$tmpfs" ]; then
        for op in mv cp; do replaced_under_desk "$tmpfs" $op "on tmpfs"; done
        replaced_under_desk "$tmpfs" cp "on tmpfs, between two writes" paused
    else
        skip "replaced on tmpfs: no tmpfs here (mount -t tmpfs not allowed, TMPDIR not on tmpfs)"
    fi
    # moved aside (mv DB DB.aside) under a writing desk (third restore tryout): the desk stops, and every intake
    # it acknowledged is in the file moved aside: the commits still in its log are written into that file
    # before the log is emptied (they were lost, zeroed with the log's header, while the message said "set aside")
    moved_aside() { # DIR WHERE
        db="$1/aside.db"
        setup "$db"
        desk_writing "$db" 30
        mv "$db" "$db.aside"
        desk_stopped
        check "moved aside under a writing desk, $2: the desk's next write is refused" [ "$wrc" -eq 1 ]
        check "...saying its log was written into the old file (not only 'set aside')" has_err "Its log was first written into the old file"
        acked_missing_from "$db.aside"
        rc=0 out="" err="acknowledged $(grep -c '^ack intake' "$tmp/acks"), missing from the moved file:${lost:- none}"
        check "...and every intake it acknowledged is in the file moved aside" [ -z "$lost" ]
        rm -f "$db" "$db-wal" "$db-shm" "$db.aside" "$db-mark"
    }
    if command -v sqlite3 >/dev/null; then
        moved_aside "$disk" "on disk"
        [ -n "$tmpfs" ] && moved_aside "$tmpfs" "on tmpfs"
    fi
    [ "$disk" != "$tmp" ] && rm -rf "$disk"
    [ -n "$mnt" ] && umount "$mnt" && mnt=""
    # rm DB-wal under a writing desk (restore tryout 18: the desk went on writing, silently, into a log nobody else
    # could see; killed, its commits were lost and the file was refused as an older copy): it stops, saying so, and
    # writes the commits of its log into the file first, which then verifies sound holding every intake it
    # acknowledged
    db="$tmp/walrm.db" # ($disk, a directory under build/ when TMPDIR is tmpfs, is gone by now: check-fresh)
    setup "$db"
    desk_writing "$db" 5
    rm -f "$db-wal"
    desk_stopped
    check "rm of the log under a writing desk: the desk's next write is refused" [ "$wrc" -eq 1 ]
    check "...saying its write-ahead log was deleted, and that none of its commits is lost" \
        has_err "Database $db: the file had its write-ahead log (the -wal file beside it) deleted.*none is lost"
    tri "$db" "$A\n" --user admin verify
    check "...and the file verifies sound" has_out "^sound"
    acked_missing_from "$db"
    rc=0 out="" err="acknowledged $(grep -c '^ack intake' "$tmp/acks"), missing:${lost:- none}"
    check "...holding every intake the desk acknowledged" [ -z "$lost" ]
    rm -f "$db" "$db-wal" "$db-shm" "$db-mark"

    # `touch` on the file under a writing desk (no byte changed: a backup tool setting times does the same): the
    # desk goes on. Taken for a copy over the path, the desk emptied its log, its acknowledged commits were lost and
    # every desk refused the file (attacker round 14). Then the desk killed, touched again: the next open accepts it.
    if command -v sqlite3 >/dev/null; then
        db="$tmp/touched.db"
        setup "$db"
        desk_writing "$db" 5
        touch -d '+1 hour' "$db"
        before=$(grep -c '^ack intake' "$tmp/acks")
        n=0
        until [ "$(grep -c '^ack intake' "$tmp/acks")" -ge $((before + 5)) ] || grep -q '^error' "$tmp/acks" || [ $n -ge 300 ]; do
            sleep 0.05
            n=$((n + 1))
        done
        rc=0 out="" err=$(tail -n 1 "$tmp/acks")
        check "touch under a writing desk: the desk writes on" [ "$(grep -c '^ack intake' "$tmp/acks")" -ge $((before + 5)) ]
        check "...no error" sh -c '! grep -q "^error" "$1"' x "$tmp/acks"
        kill -9 $wpid 2>/dev/null
        wait $wpid 2>/dev/null
        exec 8>&-
        touch -d '+2 hours' "$db"
        tri "$db" "$A\n" --user admin verify
        check "...killed, touched again: the next open accepts the file, sound" has_out "^sound"
        acked_missing_from "$db"
        rc=0 out="" err="missing:${lost:- none}"
        check "...every intake the desk acknowledged is there" [ -z "$lost" ]
        rm -f "$db" "$db-wal" "$db-shm" "$db-mark"
    fi
else
    bad "$BIN/writer is built"
fi

# A copy put over the path with no desk open, the log (-wal) of a desk killed earlier still beside it (here
# the sqlite3 shell, killed after a write): SQLite applies the old file's log to the new one, and the login
# that follows must not only say "the staff record was altered": it names the replacement and `triage
# restore` (issue 16, an outside tryout)
setup "$tmp/nodesk.db"
setup "$tmp/nodesk-other.db"
if command -v sqlite3 >/dev/null; then
    killed_shell_leaves_log "$tmp/nodesk.db"
    cp "$tmp/nodesk-other.db" "$tmp/nodesk.db"
    cp "$tmp/nodesk.db" "$tmp/nodesk-copied.db"
    tri "$tmp/nodesk.db" "$A\n" --user admin verify
    check "cp over the path with no desk open, a killed desk's log beside it: refused" [ "$rc" -ne 0 ]
    # refused at open, before SQLite reads the log (issue 16 round 3): the file's mark (DB-mark) says the
    # file is not the one triage last wrote there
    check "...at open, naming the file, its log and triage restore" has_err "$tmp/nodesk.db is not the file triage last wrote there (it was overwritten since), and the write-ahead log $tmp/nodesk.db-wal.*triage restore"
    check "...and the copied file is left exactly as it was put there (the old log not applied)" cmp -s "$tmp/nodesk.db" "$tmp/nodesk-copied.db"
    mv "$tmp/nodesk.db-wal" "$tmp/nodesk.db-wal.old"
    rm -f "$tmp/nodesk.db-shm"
    tri "$tmp/nodesk.db" "$A\n" --user admin verify
    # ...then it is another database's trail than the one DB-mark recorded (tryout 4): refused until the
    # record is removed on purpose, as that message says
    check "...with the old log moved away, the other database's trail is refused" has_err "$tmp/nodesk.db is not the file triage last wrote there: its audit trail has another entry"
    rm -f "$tmp/nodesk.db-mark"
    tri "$tmp/nodesk.db" "$A\n" --user admin verify
    check "...and with its record removed, as the message says, it opens and verifies sound" has_out "^sound"
    # cp -a of the file with its record (a file-level backup of the data directory put back: times, size,
    # header and the record all as they were) while a killed desk's log lies beside it (third restore tryout):
    # refused at open, the file left as it was put there. The record holds what cp -a cannot carry (the inode
    # change time, the log's generation)
    setup "$tmp/cpa.db"
    mkdir -p "$tmp/cpa-backup"
    cp -a "$tmp/cpa.db" "$tmp/cpa.db-mark" "$tmp/cpa-backup/"
    intake_json "After The File Backup"
    tri "$tmp/cpa.db" "$R\n" --user desk intake new "$tmp/in.json"
    killed_shell_leaves_log "$tmp/cpa.db"
    sleep 0.05 # the copy's inode change time differs from the record's even on a coarse clock
    cp -a "$tmp/cpa-backup/cpa.db" "$tmp/cpa-backup/cpa.db-mark" "$tmp/"
    cp -a "$tmp/cpa.db" "$tmp/cpa-copied.db"
    tri "$tmp/cpa.db" "$A\n" --user admin verify
    check "cp -a of the file and its record over the path, a killed desk's log beside it: refused" [ "$rc" -ne 0 ]
    check "...at open, naming the file, the copy that kept its times and its log" has_err "$tmp/cpa.db was put back with its old times, size and header.*$tmp/cpa.db-wal.*triage restore"
    check "...and the copied file is left exactly as it was put there" cmp -s "$tmp/cpa.db" "$tmp/cpa-copied.db"
    # the same file with only its mode changed (chmod), the log of a desk killed while writing beside it: no
    # false alarm (the record knows the log's generation)
    setup "$tmp/chmod.db"
    rm -f "$tmp/win" "$tmp/acks"
    mkfifo "$tmp/win"
    : >"$tmp/acks"
    "$BIN/writer" once "$tmp/config.ini" "$tmp/chmod.db" desk <"$tmp/win" >"$tmp/acks" 2>&1 &
    wpid=$!
    exec 8>"$tmp/win"
    printf '%s\n' "$R" >&8
    n=0
    until [ "$(grep -c '^ack intake' "$tmp/acks")" -ge 3 ] || grep -q '^error' "$tmp/acks" || [ $n -ge 600 ]; do sleep 0.05; n=$((n + 1)); done
    kill -9 $wpid 2>/dev/null
    wait $wpid 2>/dev/null
    exec 8>&-
    chmod 600 "$tmp/chmod.db"
    check "a killed desk's log beside its own file after a chmod: the file opens" [ "$rc" -eq 0 ]
    # a killed desk's log beside its own file (no copy) is no replacement: it opens, its last write kept
    setup "$tmp/killed.db"
    rm -f "$tmp/sq"
    mkfifo "$tmp/sq"
    sqlite3 "$tmp/killed.db" <"$tmp/sq" >/dev/null 2>&1 &
    spid=$!
    exec 7>"$tmp/sq"
    echo "UPDATE staff SET failed_logins = 3 WHERE name = 'desk';" >&7
    n=0
    until [ "$(stat -c %s "$tmp/killed.db-wal" 2>/dev/null || echo 0)" -gt 32 ] || [ $n -ge 100 ]; do sleep 0.05; n=$((n + 1)); done
    kill -9 $spid 2>/dev/null
    wait $spid 2>/dev/null
    exec 7>&-
    tri "$tmp/killed.db" "$A\n" --user admin user list
    check "a killed desk's log beside its own file: the file opens (no false alarm)" [ "$rc" -eq 0 ]
    check "...with the killed desk's last commit" [ "$(sqlite3 "$tmp/killed.db" "SELECT failed_logins FROM staff WHERE name = 'desk'")" = 3 ]
else
    skip "cp over the path with no desk open: no sqlite3 shell here"
fi

# A backup copied (plain cp) over the path while no desk has it open and no log lies beside it (fourth
# restore tryout: an erased client came back and verify said sound): the trail ends before the head DB-mark
# recorded at the last close, so the open refuses it, naming both heads, triage restore and the record
setup "$tmp/older.db"
cp "$tmp/older.db" "$tmp/older-backup.db"
intake_json "After The Plain Backup"
tri "$tmp/older.db" "$R\n" --user desk intake new "$tmp/in.json"
check "an intake after the backup is saved" [ "$rc" -eq 0 ]
tri "$tmp/older.db" "$A\n" --user admin verify
check "...and the file (a newer trail than its backup) verifies sound (no false alarm)" has_out "^sound"
[ -e "$tmp/older.db-wal" ] && [ -s "$tmp/older.db-wal" ] && echo "note: a log is left beside older.db"
cp "$tmp/older-backup.db" "$tmp/older.db"
cp "$tmp/older.db" "$tmp/older-copied.db"
tri "$tmp/older.db" "$A\n" --user admin verify
check "an older copy put over the path with no log beside it: refused" [ "$rc" -ne 0 ]
check "...naming the file, both heads, triage restore and the record to remove on purpose" has_err "$tmp/older.db is not the file triage last wrote there: its audit trail ends before that (its head: entry [0-9]*, hash [0-9a-f]*\.\.\.), but when triage last wrote it the trail reached entry [0-9]*.*triage restore.*remove $tmp/older.db-mark"
check "...and the copy is left exactly as it was put there" cmp -s "$tmp/older.db" "$tmp/older-copied.db"
tri "$tmp/older.db" "$A\n" --user admin user list
check "...and any other command is refused too" [ "$rc" -ne 0 ]
# taken on purpose: the records removed, as the message says (DB-mark and this account's record of the trail)
seen=$(printf '%s\n' "$err" | sed -n 's/.* and \([^ ]*\) (this account.s record of it).*/\1/p' | head -1)
check "...naming this account's record of the trail too, outside the data directory" [ -n "$seen" ] && [ -f "$seen" ]
rm -f "$tmp/older.db-mark" "$seen"
tri "$tmp/older.db" "$A\n" --user admin verify
check "...with its records removed on purpose, it opens and verifies sound" has_out "^sound"

# cp -a of an older file together with its DB-mark, no log beside (s6): the pair agrees with itself, so DB-mark
# cannot tell; the account's own record of the trail it saw at this path (sqlite_seen.c, under
# XDG_STATE_HOME or ~/.local/state, which a copy of the data directory does not reach) does
setup "$tmp/pair.db"
mkdir -p "$tmp/pair-backup"
cp -a "$tmp/pair.db" "$tmp/pair.db-mark" "$tmp/pair-backup/"
intake_json "After The Pair Backup"
tri "$tmp/pair.db" "$R\n" --user desk intake new "$tmp/in.json"
tri "$tmp/pair.db" "$A\n" --user admin verify
check "cp -a pair: the newer file verifies sound first (no false alarm)" has_out "^sound"
[ ! -s "$tmp/pair.db-wal" ] || echo "note: a log is left beside pair.db"
cp -a "$tmp/pair-backup/pair.db" "$tmp/pair-backup/pair.db-mark" "$tmp/"
cp -a "$tmp/pair.db" "$tmp/pair-copied.db"
tri "$tmp/pair.db" "$A\n" --user admin verify
check "an older file put back with its DB-mark (cp -a of both), no log beside: refused" [ "$rc" -ne 0 ]
check "...naming the file, both heads, triage restore and the two records to remove on purpose" has_err "$tmp/pair.db is older than the database this account last opened at that path: its audit trail ends before what this account saw (its head: entry [0-9]*, hash [0-9a-f]*\.\.\., restore generation 0), but this account last saw its trail reach entry [0-9]*.*triage restore.*remove $tmp/state/triage/seen/[0-9a-f]* (this account's record of it) and $tmp/pair.db-mark"
check "...and the copy is left exactly as it was put there" cmp -s "$tmp/pair.db" "$tmp/pair-copied.db"
# the same older copy with its restore generation raised by hand (ninth outside attacker: a higher generation
# passed it off as a `triage restore` run since): a restore counts only with the restore entry that says it
sqlite3 "$tmp/pair.db" "INSERT OR REPLACE INTO meta(key, value) VALUES ('restore_generation', CAST('7' AS BLOB))" 2>/dev/null ||
    sqlite3 "$tmp/pair.db" "UPDATE meta SET value = '7' WHERE key = 'restore_generation'"
rm -f "$tmp/pair.db-mark"
tri "$tmp/pair.db" "$A\n" --user admin verify
check "an older copy whose restore generation was raised by hand: refused" [ "$rc" -ne 0 ]
check "...saying the restore entry a triage restore writes is missing" has_err "its restore generation was raised without the .restore. entry a triage restore writes"
# ... and with a row of seq 0 added under it (CHECK constraints ignored): it became the trail's "first entry", so
# the copy counted as another database and was not judged (ninth outside attacker)
cp "$tmp/pair-copied.db" "$tmp/pair.db"
rm -f "$tmp/pair.db-wal" "$tmp/pair.db-shm"
sqlite3 "$tmp/pair.db" "PRAGMA ignore_check_constraints = ON; INSERT INTO audit(seq, at, staff_id, action, object_id, detail, hash) VALUES (0, 0, NULL, 'init', 'x', 'x', randomblob(32))"
tri "$tmp/pair.db" "$A\n" --user admin verify
check "an older copy with an audit row of seq 0 added: still refused as older" has_err "$tmp/pair.db is older than the database this account last opened at that path: its audit trail ends before"
# ... and with its first entry renumbered away (no seq 1 left): not taken for another database either
cp "$tmp/pair-copied.db" "$tmp/pair.db"
rm -f "$tmp/pair.db-wal" "$tmp/pair.db-shm"
trigger=$(sqlite3 "$tmp/pair.db" "SELECT sql FROM sqlite_master WHERE name = 'audit_no_update'")
sqlite3 "$tmp/pair.db" "PRAGMA ignore_check_constraints = ON; DROP TRIGGER audit_no_update; UPDATE audit SET seq = -1 WHERE seq = 1; $trigger;"
tri "$tmp/pair.db" "$A\n" --user admin verify
check "an older copy whose first audit entry was renumbered: refused, saying so" has_err "its audit trail has no first entry (seq 1)"
cp "$tmp/pair-copied.db" "$tmp/pair.db"
rm -f "$tmp/pair.db-wal" "$tmp/pair.db-shm"
cp -a "$tmp/pair-backup/pair.db-mark" "$tmp/"
# no false alarms: a chmod, and the directory copied away and back by an administrator (a new disk: a new
# inode and inode change time, the same trail)
mkdir -p "$tmp/disk2"
setup "$tmp/disk2/moved.db"
tri "$tmp/disk2/moved.db" "$R\n" --user desk intake new "$tmp/in.json"
chmod 640 "$tmp/disk2/moved.db"
tri "$tmp/disk2/moved.db" "$A\n" --user admin verify
check "...no false alarm: the file after a chmod verifies sound" has_out "^sound"
cp -a "$tmp/disk2" "$tmp/disk2.away"
rm -rf "$tmp/disk2"
cp -a "$tmp/disk2.away" "$tmp/disk2"
tri "$tmp/disk2/moved.db" "$A\n" --user admin verify
check "...no false alarm: the data directory copied away and back (new inode, same trail) verifies sound" has_out "^sound"
# the old pair taken as it is on purpose, as the message says
tri "$tmp/pair.db" "$A\n" --user admin verify
seen=$(printf '%s\n' "$err" | sed -n 's/.*remove \([^ ]*\) (this account.s record of it).*/\1/p' | head -1)
rm -f "$tmp/pair.db-mark" "$seen"
tri "$tmp/pair.db" "$A\n" --user admin verify
check "...taken on purpose (both records removed, as the message says): it opens and verifies sound" has_out "^sound"
# triage restore rewrites the record: the restored (shorter) trail is not taken for an older copy after
setup "$tmp/rest.db"
cp "$tmp/rest.db" "$tmp/rest-backup.db"
tri "$tmp/rest.db" "$R\n" --user desk intake new "$tmp/in.json"
tri "$tmp/rest.db" "$A\n" --user admin restore "$tmp/rest-backup.db"
check "triage restore of an older backup works" [ "$rc" -eq 0 ]
tri "$tmp/rest.db" "$A\n" --user admin verify
check "...and the restored file opens after it and verifies sound (its record rewritten)" has_out "^sound"
# a restore run by another account (its own state directory): this account's record still holds the longer
# trail it saw before, but the restore generation moved, so the restored (shorter) trail is no false alarm
cp "$tmp/rest.db" "$tmp/rest-backup2.db"
tri "$tmp/rest.db" "$R\n" --user desk intake new "$tmp/in.json"
tri "$tmp/rest.db" "$A\n" --user admin verify
AS="env XDG_STATE_HOME=$tmp/state-other"
tri "$tmp/rest.db" "$A\n" --user admin restore "$tmp/rest-backup2.db"
AS=""
check "a restore run by another account works" [ "$rc" -eq 0 ]
tri "$tmp/rest.db" "$A\n" --user admin verify
check "...and this account, which saw the longer trail before, opens the restored file (a later restore generation)" has_out "^sound"
# the backup named is a named pipe (tryout 4: the restore hung for ever) or missing (exit 1 while the README
# says 2, and not audited): refused before anything opens it, exit 2, audited as restore_refused
rm -f "$tmp/fifo.db"
mkfifo "$tmp/fifo.db"
AS="timeout 20"
tri "$tmp/rest.db" "$A\n" --user admin restore "$tmp/fifo.db"
AS=""
check "a named pipe given as the backup: refused at once, exit 2 (no hang)" [ "$rc" -eq 2 ]
check "...saying it is not a regular file" has_err "$tmp/fifo.db is not a regular file (a named pipe)"
tri "$tmp/rest.db" "$A\n" --user admin restore "$tmp/no-such-backup.db"
check "a missing backup: exit 2, as the README's table says for a missing thing" [ "$rc" -eq 2 ]
check "...naming it" has_err "$tmp/no-such-backup.db cannot be read: No such file"
if command -v sqlite3 >/dev/null; then
    # a backup whose private copy cannot be upgraded (a current file labelled version 1 with the sqlite3 shell:
    # its schema is not version 1's, so the open of the copy refuses it as altered): refused, saying why, and the
    # live database is not touched (s6: restore upgrades an older backup's private copy itself)
    tri "$tmp/rest.db" "$A\n" --user admin backup "$tmp/oldschema.db"
    v=$(sqlite3 "$tmp/oldschema.db" "PRAGMA user_version")
    sqlite3 "$tmp/oldschema.db" "PRAGMA user_version = 1"
    live_state() { sqlite3 "$tmp/rest.db" "SELECT (SELECT count(*) FROM intakes) || '/' || (SELECT count(*) FROM clients) || '/' || (SELECT count(*) FROM audit WHERE action NOT IN ('login', 'restore_refused')) || '/' || coalesce((SELECT CAST(value AS TEXT) FROM meta WHERE key = 'restore_generation'), 0)"; }
    before=$(live_state)
    tri "$tmp/rest.db" "$A\n" --user admin restore "$tmp/oldschema.db"
    check "a backup of an older schema whose copy cannot be upgraded: refused, saying so" has_err "the backup $tmp/oldschema.db has schema version 1 (an older triage) and its private copy could not be upgraded.*nothing was restored (the live database was not touched)"
    check "...and the live database is not touched" [ "$(live_state)" = "$before" ]
    # a real backup made by an older triage (schema 9, tests/fixtures/records/main_v9_clients.sql: 30 clients
    # under the data key, admin with the same passphrase as here), the live database upgraded since by a
    # login and written to: restore upgrades a private copy of the backup with the code an open and a login
    # run (schema migrations, then per-client keys), checks it, restores it, and audits the version it came from
    rm -f "$tmp/v9.db" "$tmp/v9.db-wal" "$tmp/v9.db-shm"
    { cat tests/fixtures/records/main_v9_clients.sql
      echo "PRAGMA application_id = 1414678855; PRAGMA user_version = 9; PRAGMA journal_mode = WAL;"; } | sqlite3 "$tmp/v9.db" >/dev/null
    cp "$tmp/v9.db" "$tmp/v9-backup.db"
    cp "$tmp/v9-backup.db" "$tmp/v9-backup.orig"
    tri "$tmp/v9.db" "alice-passphrase-1\n" --user alice intake new "$tmp/in.json"
    check "schema 9 fixture: the live database upgraded by a login, an intake saved" [ "$rc" -eq 0 ] && [ "$(sqlite3 "$tmp/v9.db" "PRAGMA user_version")" -gt 9 ]
    tri "$tmp/v9.db" "$A\n" --user admin restore "$tmp/v9-backup.db"
    check "a backup of schema 9 (an older triage): restored, its private copy upgraded first" [ "$rc" -eq 0 ]
    check "...said in the output" has_out "the backup had schema version 9 (an older triage): a private copy of it was upgraded first"
    check "...the intake saved after the backup counted as gone" has_out "1 intake(s) saved after the backup are no longer"
    check "...audited: the restore entry says the backup was upgraded from schema 9" [ "$(sqlite3 "$tmp/v9.db" "SELECT count(*) FROM audit WHERE action = 'restore' AND detail LIKE '%(restore 1; upgraded from schema 9)%'")" -eq 1 ]
    check "...the live database at this triage's schema, every client keyed (the login's upgrade ran on the copy)" [ "$(sqlite3 "$tmp/v9.db" "PRAGMA user_version")" = "$v" ] && [ "$(sqlite3 "$tmp/v9.db" "SELECT count(*) FROM client_keys")" -eq 30 ]
    check "...the backup file itself unchanged" cmp -s "$tmp/v9-backup.db" "$tmp/v9-backup.orig"
    tri "$tmp/v9.db" "$A\n" --user admin verify
    check "...and the restored database verifies sound" has_out "^sound"
    tri "$tmp/v9.db" "alice-passphrase-1\n" --user alice client find "Upgrade Client07 Zorblax"
    check "...and a client of the backup is found and opens" has_out "Upgrade Client07 Zorblax"
    check "...and the refusals are audited as restore_refused" [ "$(sqlite3 "$tmp/rest.db" "SELECT count(*) FROM audit WHERE action = 'restore_refused' AND (detail LIKE '%fifo.db%' OR detail LIKE '%no-such-backup.db%' OR detail LIKE '%oldschema.db%')")" -eq 3 ]
fi

# a full disk: a small tmpfs (8 MB: room for the WAL of the writing desk once the filler is gone)
mkdir -p "$tmp/small"
if mount -t tmpfs -o size=8m tmpfs "$tmp/small" 2>/dev/null; then
    mnt="$tmp/small"
    setup "$mnt/t.db"
    intake_json "Full Disk Person"
    dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
    tri "$mnt/t.db" "$R\n" --user desk intake new "$tmp/in.json"
    check "disk full: saving is refused" [ "$rc" -eq 1 ]
    check "...saying the disk is full and naming the file" has_err "$mnt/t.db.*the disk.*is full"
    rm -f "$mnt/filler"
    tri "$mnt/t.db" "$R\n" --user desk intake new "$tmp/in.json"
    check "space freed: the same intake saves" has_out '"level"'
    tri "$mnt/t.db" "$R\n" --user desk client find "Full Disk Person"
    check "...exactly once" [ "$(printf '%s\n' "$out" | grep -c 'Full Disk Person')" -eq 1 ]
    # the disk fills while a desk is writing: the failing write says so, nothing acknowledged is lost
    if [ -x "$BIN/writer" ]; then
        (printf '%s\n' "$R"; sleep 20) | "$BIN/writer" once "$tmp/config.ini" "$mnt/t.db" desk >"$tmp/acks" 2>&1 &
        n=0
        until grep -q '^ack intake' "$tmp/acks" || [ $n -ge 100 ]; do sleep 0.05; n=$((n + 1)); done
        dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
        n=0
        until grep -q '^error' "$tmp/acks" || [ $n -ge 200 ]; do sleep 0.05; n=$((n + 1)); done
        rc=0 out="" err=$(grep '^error' "$tmp/acks")
        check "the disk fills under a writing desk: the write fails saying the disk is full" has_err "$mnt/t.db.*disk is full"
        rm -f "$mnt/filler"
        last=$(grep '^ack intake' "$tmp/acks" | tail -n 1 | cut -d' ' -f3)
        tri "$mnt/t.db" "$A\n" --user admin verify
        check "space freed: the database verifies" has_out "^sound"
        tri "$mnt/t.db" "$A\n" --user admin intake show "$last"
        if [ "$rc" -eq 2 ]; then # no such subcommand: the store's own check instead
            n_ack=$(grep -c '^ack intake' "$tmp/acks")
            n_db=$(sqlite3 "$mnt/t.db" "SELECT count(*) FROM intakes WHERE body_ct IS NOT NULL")
            rc=0 out="" err="acknowledged $n_ack, stored $n_db"
            check "every intake acknowledged before the disk filled is stored" [ "$n_db" -ge "$n_ack" ]
        else
            check "the last intake acknowledged before the disk filled is stored" [ "$rc" -eq 0 ]
        fi
    fi
else
    skip "disk full: mount -t tmpfs is not allowed here (needs root with CAP_SYS_ADMIN)"
fi

finish
