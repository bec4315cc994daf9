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
# folder -> rank, from the file's non-comment lines
ranks=$(awk '!/^#/ && NF { r++; for (i = 1; i <= NF; i++) print $i, r }' "$layers")
rank_of() { echo "$ranks" | awk -v f="$1" '$1 == f { print $2 }'; }
# the layer folder of a core path: core/store/sqlite/x.c -> store
folder_of() { echo "$1" | cut -d/ -f2; }

headers=$(find core tui -name '*.h' | sort)
# every header name is one file (headers are named by file name alone: -I for each folder)
dups=$(for h in $headers; do basename "$h"; done | sort | uniq -d)
if [ -z "$dups" ]; then ok; else bad "header names used twice: $dups"; fi

# every source name is one file too: the core library is an ar archive, which keeps members by file name
cdups=$(find core -name '*.c' -exec basename {} \; | sort | uniq -d)
if [ -z "$cdups" ]; then ok; else bad "core source names used twice (ar would keep one): $cdups"; fi

where() { echo "$headers" | awk -v n="$1" '{ k = $0; sub(/.*\//, "", k) } k == n { print; exit }'; }

for f in $(find core -name '*.[ch]' | sort); do
    dir=$(folder_of "$f")
    r=$(rank_of "$dir")
    if [ -z "$r" ]; then bad "$f: folder core/$dir is not in $layers"; continue; fi
    file_ok=1
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        h=$(where "$(basename "$inc")")
        case "$inc" in */*) bad "$f: includes \"$inc\" by a path (name the header alone)"; file_ok=0; continue ;; esac
        if [ -z "$h" ]; then bad "$f: includes \"$inc\", which is no header of core/ or tui/"; file_ok=0; continue; fi
        case "$h" in tui/*) bad "$f: core includes the front end's $h"; file_ok=0; continue ;; esac
        hd=$(folder_of "$h")
        [ "$hd" = "$dir" ] && continue
        hr=$(rank_of "$hd")
        if [ "$hr" -ge "$r" ]; then
            bad "$f ($dir) includes $h ($hd): a layer may include only lower layers (core/LAYERS)"
            file_ok=0
        fi
    done
    if grep -Eq '#[[:space:]]*include[[:space:]]*<n?curses' "$f"; then bad "$f: core includes curses"; file_ok=0; fi
    # libsodium is the vault's (and sealed memory's): every other core file asks them
    case $f in core/store/vault.c | core/store/secret.c | core/base/wipe_alloc.c) ;; *)
        if grep -Eq '#[[:space:]]*include[[:space:]]*<sodium' "$f"; then
            bad "$f: uses libsodium outside the vault (core/store/vault.c, secret.c; wipe_alloc.c wipes)"
            file_ok=0
        fi ;;
    esac
    # a project header named with <...> would pass by the checks above: it must be quoted
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f"); do
        if [ -n "$(where "$(basename "$inc")")" ] && [ ! -e "/usr/include/$inc" ]; then
            bad "$f: includes the project's header <$inc> with angle brackets (quote it, so the layer check sees it)"
            file_ok=0
        fi
    done
    [ "$file_ok" -eq 1 ] && ok
done

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
    make_tmp layers
    cp -r core tui "$tmp/"
    sed -i '0,/^#include "util.h"$/s//#include "util.h"\n#include "session.h"/' "$tmp/core/base/csv.c"
    printf '\n#include "bands.h"\n' >> "$tmp/core/base/util.h"
    printf '\n#include "util.h"\n' >> "$tmp/core/base/bands.h"
    printf '\n#include <records.h>\n' >> "$tmp/core/base/ids.c"
    printf '\n#include <sodium.h>\n' >> "$tmp/core/exchange/export.c"
    printf '\nstatic int peek(database *db) { return db->ops->client_count(db->st, 0); }\n' >> "$tmp/tui/cmd_store.c"
    printf '\n#include "intake_store.h"\n' >> "$tmp/tui/cmd_store.c"
    sed -i 's/^    ACT_COUNT$/    ACT_NOBODY_CHECKS,\n    ACT_COUNT/' "$tmp/core/base/roles.h"
    out=$(LAYERS_SELFTEST=1 sh "$0" "$tmp" 2>&1)
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
