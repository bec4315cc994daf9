#!/bin/sh
# Attacks on roles and locks by someone with write access to the file:
#   - a reception login raised to supervisor in the staff table, used to export identifiable records, the
#     row then put back: verify names the export as done by a reception (the trail keeps roles), and while
#     the row is raised verify names the edited row. Not prevented at login (see README: the staff table is
#     not yet signed by a supervisor key that each member pins): detected.
#   - a lock cleared in the file after a rekey: the locked account was left out of the rekey, so its
#     envelope holds the old key, and the login is refused as not matching the database.
#   - `user remove`: the lock cleared in the file gives nothing back either (the key material is destroyed);
#     verify says sound for the removal as left, and names the old keys put back from a copy or the lock
#     cleared (the removal's entry keeps the public key it left in the row).
# Without the protections (role checks in verify's walk, locked accounts sealed the new key by rekey) the
# checks marked so fail.
# Usage: tests/attacks/roles.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3

centre
printf '{"client":{"name":"Some Client","phone":"555 0100"},"language":"en","answers":{"phq9":[1,1,1,1,0,0,0,0,0]}}' >"$tmp/in.json"
tri alice "$ALICE\n" intake new "$tmp/in.json"
check "set up: an intake" [ "$rc" -eq 0 ]

# 1. a role raised and not (yet) used: the staff row itself is named
sql "UPDATE staff SET role = 'supervisor' WHERE name = 'bob';"
tri admin "$ADMIN\n" verify
check "bob raised in the file: verify names the staff row" has_err "staff \`bob\` is a supervisor in the staff table, but the audit trail made them a clinician"
sql "UPDATE staff SET role = 'clinician' WHERE name = 'bob';"
tri admin "$ADMIN\n" verify
check "...put back: sound" has_out "^sound"

# ...raised, used to export identifiable records, put back
sql "UPDATE staff SET role = 'supervisor' WHERE name = 'alice';"
tri alice "$ALICE\n" export --format csv --out "$tmp/out.csv"
raised_rc=$rc
tri admin "$ADMIN\n" verify
check "while raised: verify fails naming alice's export (the first sign of it in the trail)" has_err "alice did export, which needs a supervisor"
sql "UPDATE staff SET role = 'reception' WHERE name = 'alice';"
tri admin "$ADMIN\n" verify
check "row put back: verify still fails" [ "$rc" -ne 0 ]
if [ "$raised_rc" -eq 0 ]; then
    check "row put back: verify still names the export done by a reception" has_err "did export, which needs a supervisor, but the trail made them a reception"
else
    check "the raised role was refused outright" [ "$raised_rc" -ne 0 ]
fi

# ...and while the trail has that problem, no key is handed out: a lock (a rotation) is refused (issue 12, round 6)
tri admin "$ADMIN\n" user lock bob
check "trail with a problem: a supervisor's lock is refused, naming it" has_err "the signed audit trail has a problem (audit entry"

# 2. lock cleared after a rekey (a centre of its own: the one above has a trail with a problem)
DB="$tmp/two.db"
centre
tri alice "$ALICE\n" intake new "$tmp/in.json"
tri admin "$ADMIN\n" user lock bob
check "bob locked" has_out "bob locked"
tri admin "$ADMIN\n" rekey
check "rekey" has_out "data key rotated"
sql "UPDATE staff SET locked = 0, failed_logins = 0 WHERE name = 'bob';"
tri bob "$BOB\n" client find "Some Client"
check "lock cleared in the file: bob's login is refused" [ "$rc" -ne 0 ]
check "...the trail's lock named (and the rekey left him out: sig_flip.sh)" has_err "\`bob\` is locked in the signed audit trail"
check "...and nothing of the client was shown" sh -c '! grep -q "Some Client" "$1"' x "$tmp/out"
tri admin "$ADMIN\n" user unlock bob
tri bob "$BOB\n" client find "Some Client"
check "a supervisor's unlock gives the current key back" has_out "Some Client"

# 3. a removed account, its old keys put back or its lock cleared in the file (a centre of its own: verify names
#    the first problem it meets)
DB="$tmp/removal.db"
centre
tri alice "$ALICE\n" intake new "$tmp/in.json"
check "set up: a second centre with an intake" [ "$rc" -eq 0 ]
before=$(sql "SELECT hex(public_key) || ',' || hex(wrapped_secret) || ',' || hex(sealed_data_key) FROM staff WHERE name = 'bob';")
tri admin "$ADMIN\n" user remove bob
check "user remove" has_out "bob removed"
tri admin "$ADMIN\n" verify
check "a removal as it was left: verify says sound (the row stays, locked, its keys random)" has_out "^sound"
left=$(sql "SELECT hex(public_key) || ',' || hex(wrapped_secret) || ',' || hex(sealed_data_key) FROM staff WHERE name = 'bob';")
IFS=, read -r pk ws sk <<EOF2
$before
EOF2
sql "UPDATE staff SET public_key = X'$pk', wrapped_secret = X'$ws', sealed_data_key = X'$sk' WHERE name = 'bob';"
tri admin "$ADMIN\n" verify
check "the removed member's old keys put back from a copy (still locked): verify names it" has_err "bob. was removed (audit entry [0-9]*) but their row holds other keys than the removal left"
IFS=, read -r pk ws sk <<EOF2
$left
EOF2
sql "UPDATE staff SET public_key = X'$pk', wrapped_secret = X'$ws', sealed_data_key = X'$sk' WHERE name = 'bob';"
sql "UPDATE staff SET locked = 0, failed_logins = 0 WHERE name = 'bob';"
tri bob "$BOB\n" client find "Some Client"
check "removed, lock cleared in the file: nothing opens" [ "$rc" -ne 0 ]
check "...and nothing of the client was shown" sh -c '! grep -q "Some Client" "$1"' x "$tmp/out"
tri admin "$ADMIN\n" verify
check "...and verify names the lock cleared on a removed member" has_err "bob. was removed (audit entry [0-9]*) but is unlocked in the staff table"
finish
