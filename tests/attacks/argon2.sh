#!/bin/sh
# Attack: someone with write access to the file plants Argon2 parameters of 4 GiB and 16 passes in a staff
# member's wrap, so that every login allocates 4 GiB (and a desk machine swaps or dies). Parameters outside
# the presets triage writes must be refused before any derivation or allocation, with a message naming the
# tampering, quickly, and without counting a failed login.
# Without the bound (vault.c MEM_MAX 4 GiB, OPS_MAX 16, as before issue 12) the login tries to allocate 4 GiB:
# under the address-space limit set here it fails as a wrong passphrase, and these checks fail.
# Usage: tests/attacks/argon2.sh ./triage   Last line: `N passed, N failed`.
T=${1:-./triage}
. "$(dirname "$0")/lib.inc"
need_sqlite3

centre
sql "UPDATE staff SET kdf_mem = 4294967296, kdf_ops = 16 WHERE name = 'alice';"
start=$(date +%s)
# 3 GiB of address space: a program that tries to allocate 4 GiB fails instead of swapping the machine
(ulimit -v 3000000 2>/dev/null; tri alice "$ALICE\n" client find "Nobody"; echo "$rc" >"$tmp/rc"; cp "$tmp/err" "$tmp/err2")
rc=$(cat "$tmp/rc") err=$(cat "$tmp/err2") out=
took=$(( $(date +%s) - start ))
check "the login is refused" [ "$rc" -ne 0 ]
check "...as tampering, naming the parameter" has_err "altered in the file (key derivation opslimit 16"
check "...within 2 seconds (no 4 GiB derivation)" [ "$took" -le 2 ]
check "not counted as a failed login" [ "$(sql "SELECT failed_logins FROM staff WHERE name = 'alice'")" -eq 0 ]
check "audited as tamper_detected" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'tamper_detected'")" -ge 1 ]
sql "UPDATE staff SET kdf_ops = 4 WHERE name = 'alice';"
tri alice "$ALICE\n" client find "Nobody"
check "4 GiB alone (4 passes) is refused as well, naming memlimit" has_err "memlimit 4294967296"

# (outside attacker, round 3, item 4) parameters WITHIN the bounds, but not the ones the signed trail recorded for
# the member (a signed staff_kdf entry at each enrolment, reset and change): before, the right passphrase was
# refused as "wrong passphrase" and counted towards the lock; now named as tampering
DB="$tmp/inbounds.db"
centre
ops=$(sql "SELECT kdf_ops FROM staff WHERE name = 'alice'")
check "set up: the trail recorded alice's parameters" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'staff_kdf' AND object_id = (SELECT id FROM staff WHERE name = 'alice') AND detail LIKE '% ops:$ops %'")" -eq 1 ]
sql "UPDATE staff SET kdf_ops = $((ops + 1)) WHERE name = 'alice';"
tri alice "$ALICE\n" client find "Nobody"
check "in-bounds parameters changed: the login is refused" [ "$rc" -ne 0 ]
check "...named as tampering against the signed trail, not as a wrong passphrase" has_err "key of .alice. was altered in the file (the staff table has .* ops:$((ops + 1)) .*, the signed audit entry [0-9]* recorded .* ops:$ops "
check "...not counted as a failed login" [ "$(sql "SELECT failed_logins FROM staff WHERE name = 'alice'")" -eq 0 ]
tri admin "$ADMIN\n" verify
check "verify names the staff row against the trail" has_err "key derivation parameters of .alice. in the staff table .* are not the ones audit entry"
sql "UPDATE staff SET kdf_ops = $ops WHERE name = 'alice';"
sql "UPDATE staff SET kdf_salt = randomblob(16) WHERE name = 'alice';"
tri alice "$ALICE\n" client find "Nobody"
check "the salt changed: named as well" has_err "key of .alice. was altered in the file (the staff table has .* salt:"

# (issue 12, session 6) parameters planted within the bounds but DEARER than the desk's own (1 GiB, 4 passes: the
# most the bounds allow, ~15 s of a desk machine) are compared with the signed trail BEFORE deriving: refused at once,
# naming the account, without paying for them. Measured by the login's peak resident memory (the attacker program's
# peak-rss: getrusage of the child), not by the wall clock: a derivation at 1 GiB takes 1 GiB.
# Without the early comparison (session.c kdf_dearer/kdf_not_the_trails before vault_unlock) the login derives at
# 1 GiB, then names the tampering: the memory check fails.
A="$(pwd)/build/release/tests/attacks/attacker"
[ -x "$A" ] || { bad "$A is missing (make test builds it)"; finish; }
DB="$tmp/dearer.db"
centre
sql "UPDATE staff SET kdf_mem = 1073741824, kdf_ops = 4 WHERE name = 'bob';"
printf '%s\n' "$BOB" >"$tmp/pass"
"$A" peak-rss "$tmp/rss" "$T" --config "$tmp/config.ini" --db "$DB" --user bob --passphrase-fd 3 client find "Nobody" \
    3<"$tmp/pass" >"$tmp/out" 2>"$tmp/err"
rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
rss=$(cat "$tmp/rss" 2>/dev/null || echo 0)
check "dearer in-bounds parameters: the login is refused" [ "$rc" -ne 0 ]
check "...as tampering, naming the account and the trail's entry" has_err "key of .bob. was altered in the file (the staff table has .* mem:1073741824 .*, the signed audit entry [0-9]* recorded"
small_rss() { [ "$rss" -gt 0 ] && [ "$rss" -lt 65536 ]; }
check "...before deriving: peak memory under 64 MiB, not the planted 1 GiB (was ${rss} KiB)" small_rss
check "...not counted as a failed login" [ "$(sql "SELECT failed_logins FROM staff WHERE name = 'bob'")" -eq 0 ]

# a legitimate change of parameters still logs in: a supervisor whose desk derives at the moderate cost (256 MiB,
# 3 passes) resets bob's passphrase (a new signed staff_kdf entry); bob's desk (interactive) finds the wrap dearer
# than its own, compares it with the trail (it matches), derives and logs in
test_config "$tmp/moderate.ini" -e 's/^kdf_cost = interactive/kdf_cost = moderate/'
check "set up: the second desk's config is moderate" grep -q '^kdf_cost = moderate' "$tmp/moderate.ini"
printf '%b' "$ADMIN\nbob-new-passphrase-9\n" >"$tmp/pass"
"$T" --config "$tmp/moderate.ini" --db "$DB" --user admin --passphrase-fd 3 user passwd bob 3<"$tmp/pass" >"$tmp/out" 2>"$tmp/err"
rc=$? err=$(cat "$tmp/err")
check "set up: the reset at the moderate cost" [ "$rc" -eq 0 ]
check "set up: bob's wrap is moderate (dearer than the interactive desk)" [ "$(sql "SELECT kdf_ops FROM staff WHERE name = 'bob'")" -eq 3 ]
tri bob "bob-new-passphrase-9\n" client find "Nobody"
check "the legitimate dearer wrap logs in at the interactive desk" [ "$rc" -eq 0 ]
tri bob "bob-new-passphrase-9\nbob-newer-passphrase-1\n" user passwd
check "bob changes his own passphrase (re-wrapped at the desk's cost)" [ "$rc" -eq 0 ]
tri bob "bob-newer-passphrase-1\n" client find "Nobody"
check "...and logs in with it" [ "$rc" -eq 0 ]
tri admin "$ADMIN\n" verify
check "verify: sound after the legitimate changes" [ "$rc" -eq 0 ]
finish
