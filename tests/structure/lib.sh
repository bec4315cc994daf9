#!/bin/sh
# The shell suites' own scaffolding (tests/lib.sh) must not report success it did not earn:
#   - a suite interrupted (TERM, as run-suites' timeout sends, or INT) stops and exits non-zero, instead of
#     running on without its temporary directory and ending "0 failed";
#   - a suite that ran no check fails ("no check ran").
# Usage: sh tests/structure/lib.sh [./triage]   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
make_tmp libcheck

# a suite that is sent TERM halfway: it must not print its summary or exit 0
cat >"$tmp/killed.sh" <<EOF2
. "$here/tests/lib.sh"
make_tmp killed
echo "\$tmp" >"$tmp/dir"
ok
kill -TERM \$\$
ok
echo "ran on after TERM"
finish
EOF2
sh "$tmp/killed.sh" >"$tmp/killed.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then ok; else bad "a suite sent TERM exited 0"; show_file "$tmp/killed.out"; fi
if grep -q "ran on after TERM\|passed, 0 failed" "$tmp/killed.out"; then bad "a suite sent TERM ran on"; show_file "$tmp/killed.out"
else ok; fi
if [ -d "$(cat "$tmp/dir")" ]; then bad "a suite sent TERM left its directory"; else ok; fi

# a suite that checked nothing
printf '. "%s/tests/lib.sh"\nfinish\n' "$here" >"$tmp/empty.sh"
sh "$tmp/empty.sh" >"$tmp/empty.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q "no check ran" "$tmp/empty.out"; then ok
else bad "a suite with no check passed (rc $rc)"; show_file "$tmp/empty.out"; fi
finish
