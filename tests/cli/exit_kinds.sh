#!/bin/sh
# The command line's exit status follows the kind of the error (cli_exit_for in tui/cli.h), never its text:
# denied by the role, bad input and naming nothing exit 2; a conflict (another desk moved it first), tampering
# found and the store or the disk failing exit 1. Each check names the kind it provokes and the message it
# must still print unchanged.
# Usage: tests/cli/exit_kinds.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp exitkinds
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW
mkdir -p "$HOME"
test_config "$tmp/config.ini"
DB="$tmp/k.db"
P=admin-passphrase-1 R=desk-passphrase-12 C=clin-passphrase-12

# want NAME STATUS PATTERN: the last command exited STATUS and said PATTERN on stderr
want() {
    if [ "$rc" -eq "$2" ] && has_err "$3"; then ok "$1"; else bad "$1" "rc=$rc (want $2) out=$out err=$err"; fi
}

tri admin "$P\n" init
tri admin "$P\n$R\n" user add desk --role reception
tri admin "$P\n$C\n" user add clin --role clinician
check "set up: staff" [ "$rc" -eq 0 ]
printf '{"client":{"name":"Kind Client","phone":"13800000999"},"record":{"channel":"phone","age":30},"concerns":["emotional"],"answers":{"phq9":[0,0,0,1,0,0,0,0,0,"somewhat"]}}' >"$tmp/in.json"
tri desk "$R\n" intake new "$tmp/in.json"
cid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
check "set up: an intake saved" [ -n "$cid" ]

# ERR_DENIED -> 2
tri desk "$R\n" verify
want "denied (reception may not verify): exit 2" 2 "^triage: denied: a receptionist may not"
tri desk "$R\n" client erase "$cid"
want "denied (reception may not erase): exit 2" 2 "^triage: denied:"
# ERR_NOT_FOUND -> 2
tri admin "$P\n" client erase 0123456789abcdef0123456789abcdef
want "not found (no such client to erase): exit 2" 2 "^triage: no client"
# ERR_INPUT -> 2
tri clin "$C\n" outcome session "$cid" --date 2026-01-05 --attended yes --counselor 'not a code!'
want "bad input (--counselor): exit 2" 2 "^triage: --counselor: \`not a code!\` is not a counselor code"
tri clin "$C\n" client find ""
want "bad input (an empty query): exit 2" 2 "^triage: query: required"
# ERR_TAMPERED -> 1
tri admin "$P\n" verify --checkpoint "1:0000000000000000000000000000000000000000000000000000000000000000"
want "tampered (the trail differs from a checkpoint): exit 1" 1 "differs from the checkpoint"
# ERR_STORE -> 1
tri admin "$P\n" backup "$tmp/no/such/dir/b.db"
want "store (a backup that cannot be written): exit 1" 1 "b.db"
# ERR_CONFLICT -> 1: the second of two desks acknowledging one item lost a race (not a denial: its role may)
nol queue --json
qid=$(printf '%s' "$out" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
tri desk "$R\n" queue ack "$qid"
tri clin "$C\n" queue ack "$qid"
want "conflict (an item another desk acknowledged a moment before): exit 1" 1 "^triage: cannot acknowledge: the item is already acknowledged"
finish
