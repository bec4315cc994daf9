# Shared by the attack scripts (tests/attacks/*.sh): each plays the attacker of the threat model in the
# README (the source, a staff login of the lowest role with a shell, or write access to the database file
# between sessions) and checks the result triage must now give. Sourced with T set to the binary.
# Each script ends with `N passed, N failed`.
set -u
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/triage-attack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW TRIAGE_SCRIPT
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
# fast key derivation for the test; everything else as shipped
sed -e 's/^kdf_cost = moderate/kdf_cost = interactive/' -e "s#^forms_dir =\$#forms_dir = $(pwd)/forms#" \
    config.ini >"$tmp/config.ini"
DB="$tmp/centre.db"
ADMIN=admin-passphrase-1
ALICE=alice-passphrase-1
BOB=bob-passphrase-123

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "     $2"; }
# tri USER PASSLINES ARGS...: runs triage as USER with passphrases (one per line) on fd 3
tri() {
    u=$1 p=$2
    shift 2
    printf '%b' "$p" >"$tmp/pass"
    "$T" --config "$tmp/config.ini" --db "$DB" --user "$u" --passphrase-fd 3 "$@" 3<"$tmp/pass" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}
# bare ARGS...: runs triage with no login (e.g. queue tick from cron, audit checkpoint)
bare() {
    "$T" --config "$tmp/config.ini" --db "$DB" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}
check() { # name condition-command...
    name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name" "rc=$rc out=$(echo "$out" | head -c 600) err=$(echo "$err" | head -c 600)"; fi
}
has_out() { printf '%s' "$out" | grep -q -- "$1"; }
has_err() { printf '%s' "$err" | grep -q -- "$1"; }
# sql STATEMENTS: the attacker's edit of the file between sessions (the WAL folded in first)
sql() { sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null && sqlite3 "$DB" "$1"; }
need_sqlite3() {
    command -v sqlite3 >/dev/null 2>&1 && return 0
    bad "sqlite3 command-line tool missing (make deps installs it)"
    echo "$pass passed, $fail failed"
    exit 1
}
# a centre: a supervisor (admin), a receptionist (alice), a clinician (bob), and one intake
centre() {
    tri admin "$ADMIN\n" init || { bad "init" "$err"; return 1; }
    tri admin "$ADMIN\n$ALICE\n" user add alice --role reception
    tri admin "$ADMIN\n$BOB\n" user add bob --role clinician
    tri admin "$ADMIN\n" roster import assets/counselors.sample.ini
}
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
