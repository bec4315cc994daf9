#!/bin/sh
# The shape of the code, checked from its #include lines:
#   - every core file includes only headers of its own folder or of a lower layer (core/LAYERS);
#   - core includes nothing of tui/, nor curses; tui includes neither SQLite nor libsodium;
#   - no two headers include each other, directly or round a circle;
#   - every quoted include names a header that exists, once.
# Usage: sh tests/structure/layers.sh [ROOT]  (ROOT: a checkout, default this one; the negative test points
# it at a copy with a deliberate upward include).
set -u
. "$(dirname "$0")/../lib.sh"
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
[ "${1:-}" = "./triage" ] && root=$(cd "$(dirname "$0")/../.." && pwd) # run-suites passes the binary
cd "$root" || exit 2

layers=core/LAYERS
[ -f "$layers" ] || { bad "$layers is missing"; finish; }
headers=$(find core tui -name '*.h' | sort)
# every header name is one file (headers are named by file name alone: -I for each folder)
dups=$(for h in $headers; do basename "$h"; done | sort | uniq -d)
if [ -z "$dups" ]; then ok; else bad "header names used twice: $dups"; fi

# every source name is one file too: the core library is an ar archive, which keeps members by file name
cdups=$(find core -name '*.c' -exec basename {} \; | sort | uniq -d)
if [ -z "$cdups" ]; then ok; else bad "core source names used twice (ar would keep one): $cdups"; fi

# Every core file's includes, checked in one awk pass (a shell loop with an awk per include took most of a
# minute of `make test`). Its input: the layers, the headers, the system headers that exist among the
# <...> names core uses, every include line of core as "file kind name" (kind q: quoted, a: <...>), and the list of core files.
make_tmp layers
core_files=$(find core -name '*.[ch]' | sort)
echo "$core_files" >"$tmp/files"
echo "$headers" >"$tmp/headers"
for f in $core_files; do
    sed -n -e 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/q \1/p' \
        -e 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/a \1/p' "$f" | sed "s|^|$f |"
done >"$tmp/includes"
awk '$2 == "a" { print $3 }' "$tmp/includes" | sort -u | while read -r inc; do
    [ -e "/usr/include/$inc" ] && echo "$inc"
done >"$tmp/system"
awk -v layers="$layers" '
    function base(p) { sub(/.*\//, "", p); return p }
    function folder(p) { split(p, x, "/"); return x[2] }
    function fail(m) { print "bad " m; good = 0 }
    FILENAME == ARGV[1] { if (!/^#/ && NF) { r++; for (i = 1; i <= NF; i++) rank[$i] = r }; next }
    FILENAME == ARGV[2] { if (!(base($0) in hdr)) hdr[base($0)] = $0; next }
    FILENAME == ARGV[3] { sys[$0] = 1; next }
    FILENAME == ARGV[4] { n[$1]++; kind[$1, n[$1]] = $2; name[$1, n[$1]] = $3; next }
    { # one core file of ARGV[5]
        f = $0; dir = folder(f); good = 1
        if (!(dir in rank)) { print "bad " f ": folder core/" dir " is not in " layers; next }
        for (i = 1; i <= n[f]; i++) {
            inc = name[f, i]
            if (kind[f, i] == "q") {
                if (inc ~ /\//) { fail(f ": includes \"" inc "\" by a path (name the header alone)"); continue }
                if (!(inc in hdr)) { fail(f ": includes \"" inc "\", which is no header of core/ or tui/"); continue }
                h = hdr[inc]
                if (h ~ /^tui\//) { fail(f ": core includes the front end'"'"'s " h); continue }
                hd = folder(h)
                if (hd != dir && rank[hd] >= rank[dir])
                    fail(f " (" dir ") includes " h " (" hd "): a layer may include only lower layers (core/LAYERS)")
            } else {
                if (inc ~ /^n?curses/) fail(f ": core includes curses")
                # libsodium is the vault'"'"'s (and sealed memory'"'"'s): every other core file asks them
                if (inc ~ /^sodium/ && f != "core/store/vault.c" && f != "core/store/secret.c" && f != "core/base/wipe_alloc.c")
                    fail(f ": uses libsodium outside the vault (core/store/vault.c, secret.c; wipe_alloc.c wipes)")
                # a project header named with <...> would pass by the checks above: it must be quoted
                if ((base(inc) in hdr) && !(inc in sys))
                    fail(f ": includes the project'"'"'s header <" inc "> with angle brackets (quote it, so the layer check sees it)")
            }
        }
        if (good) print "ok"
    }' "$layers" "$tmp/headers" "$tmp/system" "$tmp/includes" "$tmp/files" >"$tmp/verdicts"
while read -r verdict msg; do
    case $verdict in ok) ok ;; bad) bad "$msg" ;; esac
done <"$tmp/verdicts"

for f in $(find tui -name '*.[ch]' | sort); do
    if grep -Eq '#[[:space:]]*include[[:space:]]*<(sqlite3|sodium)' "$f"; then bad "$f: the front end includes SQLite or libsodium"
    # the store's operations are core's to call (records/): the front end asks core
    # what a role may do is the permission table's (base/roles: role_may), never a screen's own comparison
    elif grep -Eq 'role[[:space:]]*[!=<>]=?[[:space:]]*ROLE_' "$f"; then bad "$f: the front end decides by role itself: $(grep -En 'role[[:space:]]*[!=<>]=?[[:space:]]*ROLE_' "$f" | head -1)"
    elif grep -Eq 'db(\.|->)ops->' "$f"; then bad "$f: the front end calls a store operation itself: $(grep -En 'db(\.|->)ops->' "$f" | head -1)"
    else ok; fi
done

# one way to write an intake: only the intake use case (and records.c, which implements the step) includes the
# storage step's header, so no screen, command or import can save an intake the assessment has not seen
for f in $(grep -rl '#[[:space:]]*include[[:space:]]*"intake_store.h"' core tui 2>/dev/null | sort); do
    case $f in core/records/intake_finish.c | core/records/records.c) ok ;;
    *) bad "$f: includes intake_store.h (an intake is saved only through intake_finish.h)" ;; esac
done

# a key the key table names is named on screen from it ({choose} is Enter): no string of the staff interface
# (tui/i18n.c, comments and the key names' own translations aside) spells Enter by hand
spelled=$(grep -n 'Enter' tui/i18n.c 2>/dev/null | grep -v '^[0-9]*:[[:space:]]*\(/\*\|\*\)' | grep -v '"key:')
if [ -z "$spelled" ]; then ok; else bad "tui/i18n.c names the Enter key by hand (use {choose}): $spelled"; fi

# every row of the permission table is read by some rule: a row nothing checks would let the table say one
# thing while the code does another (ACT_LEVEL_LOWER was such a row: lowering was gated by confirming alone)
for act in $(sed -n 's/^[[:space:]]*\(ACT_[A-Z_]*\),.*/\1/p' core/base/roles.h | grep -v '^ACT_COUNT$'); do
    if grep -rlw "$act" core tui --include='*.c' | grep -qv '^core/base/roles.c$'; then ok
    else bad "the permission table's $act is read by no rule (core/base/roles.h)"; fi
done

# header cycles: tsort reports a loop in the graph "includer included" over headers
edges=$(for h in $headers; do
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$h"); do
        echo "$(basename "$h") $(basename "$inc")"
    done
    echo "$(basename "$h") $(basename "$h")"
done)
loop=$(echo "$edges" | tsort 2>&1 >/dev/null | grep -v '^tsort: -: input contains a loop:$' | sed 's/^tsort: //' | tr '\n' ' ')
if echo "$edges" | tsort >/dev/null 2>&1; then ok; else bad "headers include each other in a circle: $loop"; fi

# The check itself can fail: a copy with one deliberate upward include (base reaching up to records) and
# one header circle must be refused, naming them.
if [ -z "${LAYERS_SELFTEST:-}" ]; then
    mkdir -p "$tmp/copy"
    cp -r core tui "$tmp/copy/"
    sed -i '0,/^#include "util.h"$/s//#include "util.h"\n#include "session.h"/' "$tmp/copy/core/base/csv.c"
    printf '\n#include "bands.h"\n' >> "$tmp/copy/core/base/util.h"
    printf '\n#include "util.h"\n' >> "$tmp/copy/core/base/bands.h"
    printf '\n#include <records.h>\n' >> "$tmp/copy/core/base/ids.c"
    printf '\n#include <sodium.h>\n' >> "$tmp/copy/core/exchange/export.c"
    printf '\nstatic int peek(database *db) { return db->ops->client_count(db->st, 0); }\n' >> "$tmp/copy/tui/cmd_store.c"
    printf '\n#include "intake_store.h"\n' >> "$tmp/copy/tui/cmd_store.c"
    sed -i 's/^    ACT_COUNT$/    ACT_NOBODY_CHECKS,\n    ACT_COUNT/' "$tmp/copy/core/base/roles.h"
    out=$(LAYERS_SELFTEST=1 sh "$0" "$tmp/copy" 2>&1)
    if echo "$out" | grep -q 'core/base/csv.c (base) includes core/records/session.h (records)'; then ok
    else bad "an upward include in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'headers include each other in a circle:.*bands.h'; then ok
    else bad "a header circle in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'core/base/ids.c: includes the project.s header <records.h> with angle brackets'; then ok
    else bad "a project header included with <...> in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'core/exchange/export.c: uses libsodium outside the vault'; then ok
    else bad "libsodium used outside the vault in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'tui/cmd_store.c: the front end calls a store operation itself'; then ok
    else bad "a store operation called from the front end in a copy was not refused: $out"; fi
    if echo "$out" | grep -q "the permission table's ACT_NOBODY_CHECKS is read by no rule"; then ok
    else bad "a permission no rule reads in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'tui/cmd_store.c: includes intake_store.h'; then ok
    else bad "an intake saved around the use case in a copy was not refused: $out"; fi
fi

finish
