#!/bin/sh
# The shape of the code, checked from what the compiler reads (its dependency lists, .d), not from the text
# of #include lines (an include through a macro, or with a comment inside the line, passed such a reading):
#   - every core file depends only on headers of its own folder or of a lower layer (core/LAYERS);
#   - core includes nothing of tui/, nor curses; tui includes neither SQLite nor libsodium;
#   - no two headers include each other, directly or round a circle;
#   - every include names a header that exists, once;
#   - nothing above core/store/sqlite speaks SQLite (sqlite3_, -wal, WAL, PRAGMA), and nothing in core
#     compares roles by hand (the permission table decides).
# Usage: sh tests/structure/layers.sh [ROOT]  (ROOT: a checkout, default this one; the negative test points
# it at a copy with a deliberate upward include). LAYERS_DEPS: where the build's .d files are (default
# ROOT/build/release); a source without a current one is read by the compiler here.
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

# Which project headers each file depends on, as the compiler reads it (its dependency files, .d): an include
# written through a macro, or with a comment inside the line, counts, and one under #if 0 or in a comment does
# not. For the sources, the .d files the build writes beside the objects (-MMD -MP, in $LAYERS_DEPS, default
# build/release); one missing, or older than its source or a header it lists, is made again here with the
# compiler and the same include folders. For the headers (the build compiles none alone), every one is given to
# the compiler here, once. The lists are transitive: a file depends on what its headers include too.
make_tmp layers
deps_dir=${LAYERS_DEPS:-$root/build/release}
cc_deps() { # FILE... -> "FILE DEP" lines, project headers only (-MM), a missing header as its bare name (-MG)
    [ $# -gt 0 ] || return 0
    # shellcheck disable=SC2046
    ${CC:-cc} -MM -MG -std=c11 -D_GNU_SOURCE $(find core -type d | sort | sed 's/^/-I/') -Itui "$@" 2>"$tmp/cc.err" |
        rule_pairs
    [ ! -s "$tmp/cc.err" ] || echo "the compiler could not read the includes: $(head -3 "$tmp/cc.err" | tr '\n' ' ')" >>"$tmp/cc.failed"
}
rule_pairs() { # make rules "target: src dep dep \" -> "src dep" lines (the -MP rules "dep:" hold no source)
    awk '{ line = line $0 } /\\$/ { sub(/\\$/, "", line); next }
         { n = split(line, w, /[ \t]+/); src = ""
           for (i = 1; i <= n; i++) { if (w[i] == "" || w[i] ~ /:$/) continue
               if (src == "") src = w[i]; else print src, w[i] }
           line = "" }'
}
# the build's lists, read in one pass ("src dep", the .d beside each), then any one no longer current
find core tui -name '*.c' | sort >"$tmp/sources"
while read -r f; do
    d=$deps_dir/${f%.c}.d
    [ -f "$d" ] && echo "$d"
done <"$tmp/sources" >"$tmp/dfiles"
xargs cat <"$tmp/dfiles" 2>/dev/null | rule_pairs | awk '$1 ~ /\.c$/' >"$tmp/built"
stale=$(
    while read -r src h; do
        d=$deps_dir/${src%.c}.d
        if [ ! -e "$h" ] || [ "$h" -nt "$d" ] || [ "$src" -nt "$d" ]; then echo "$src"; fi
    done <"$tmp/built"
    awk 'FILENAME == ARGV[1] { have[$1] = 1; next } !($1 in have)' "$tmp/built" "$tmp/sources"
)
stale=$(echo "$stale" | sort -u | tr '\n' ' ')
{
    awk -v stale=" $stale " 'index(stale, " " $1 " ") == 0' "$tmp/built"
    # shellcheck disable=SC2086
    cc_deps $stale
    # shellcheck disable=SC2046
    cc_deps -x c-header $(find core tui -name '*.h' | sort)
} | awk '$1 != $2' | sort -u >"$tmp/deps"
n_stale=$(echo "$stale" | wc -w | tr -d ' ')
[ "$n_stale" -eq 0 ] || echo "     (the includes of $n_stale source(s) read afresh by the compiler: no current .d under $deps_dir)"

# Every core file's dependencies, checked in one awk pass: the layers, the headers, and "file dep" pairs.
core_files=$(find core -name '*.[ch]' | sort)
echo "$core_files" >"$tmp/files"
echo "$headers" >"$tmp/headers"
awk -v layers="$layers" '
    function folder(p) { split(p, x, "/"); return x[2] }
    function fail(m) { print "bad " m; good = 0 }
    FILENAME == ARGV[1] { if (!/^#/ && NF) { r++; for (i = 1; i <= NF; i++) rank[$i] = r }; next }
    FILENAME == ARGV[2] { n[$1]++; dep[$1, n[$1]] = $2; next }
    { # one core file of ARGV[3]
        f = $0; dir = folder(f); good = 1
        if (!(dir in rank)) { print "bad " f ": folder core/" dir " is not in " layers; next }
        for (i = 1; i <= n[f]; i++) {
            h = dep[f, i]
            if (h !~ /\//) { fail(f ": includes \"" h "\", which is no header of core/ or tui/"); continue }
            if (h ~ /^tui\//) { fail(f ": core includes the front end'"'"'s " h); continue }
            if (h !~ /^core\//) continue # a system header found by -I (none today)
            hd = folder(h)
            if (hd != dir && rank[hd] >= rank[dir])
                fail(f " (" dir ") includes " h " (" hd "): a layer may include only lower layers (core/LAYERS)")
        }
        if (good) print "ok"
    }' "$layers" "$tmp/deps" "$tmp/files" >"$tmp/verdicts"

# how an include is spelled (the compiler accepts both; the rules above read its dependencies): a header by
# name alone, a project header in quotes, and libsodium and curses, which -MM leaves out, only where allowed
for f in $core_files; do
    sed -n -e 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/q \1/p' \
        -e 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/a \1/p' "$f" | sed "s|^|$f |"
done >"$tmp/includes"
awk '$2 == "a" { print $3 }' "$tmp/includes" | sort -u | while read -r inc; do
    [ -e "/usr/include/$inc" ] && echo "$inc"
done >"$tmp/system"
awk '
    function base(p) { sub(/.*\//, "", p); return p }
    FILENAME == ARGV[1] { hdr[base($0)] = 1; next }
    FILENAME == ARGV[2] { sys[$0] = 1; next }
    {
        f = $1; inc = $3
        if ($2 == "q") {
            if (inc ~ /\//) print "bad " f ": includes \"" inc "\" by a path (name the header alone)"
        } else {
            if (inc ~ /^n?curses/) print "bad " f ": core includes curses"
            # libsodium is the vault'"'"'s (and sealed memory'"'"'s): every other core file asks them
            if (inc ~ /^sodium/ && f != "core/store/vault.c" && f != "core/store/secret.c" && f != "core/base/wipe_alloc.c")
                print "bad " f ": uses libsodium outside the vault (core/store/vault.c, secret.c; wipe_alloc.c wipes)"
            # a project header named with <...>: quote it (the compiler finds it either way, through -I)
            if ((base(inc) in hdr) && !(inc in sys))
                print "bad " f ": includes the project'"'"'s header <" inc "> with angle brackets (quote it)"
        }
    }' "$tmp/headers" "$tmp/system" "$tmp/includes" >>"$tmp/verdicts"
[ ! -s "$tmp/cc.failed" ] || bad "$(cat "$tmp/cc.failed")"
while read -r verdict msg; do
    case $verdict in ok) ok ;; bad) bad "$msg" ;; esac
done <"$tmp/verdicts"

for f in $(find tui -name '*.[ch]' | sort); do
    if grep -Eq '#[[:space:]]*include[[:space:]]*<(sqlite3|sodium)' "$f"; then bad "$f: the front end includes SQLite or libsodium"
    # the store's operations are core's to call (records/): the front end asks core
    # what a role may do is the permission table's (base/roles: role_may), never a screen's own comparison
    elif grep -Eq 'role[[:space:]]*[!=<>]=?[[:space:]]*ROLE_|case[[:space:]]+ROLE_' "$f"; then bad "$f: the front end decides by role itself: $(grep -En 'role[[:space:]]*[!=<>]=?[[:space:]]*ROLE_|case[[:space:]]+ROLE_' "$f" | head -1)"
    # an include through a macro: the line above reads only spelled names (<sqlite3.h> hidden in a macro)
    elif grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*[A-Za-z_]' "$f"; then bad "$f: the front end includes through a macro (name the header): $(grep -En '^[[:space:]]*#[[:space:]]*include[[:space:]]*[A-Za-z_]' "$f" | head -1)"
    elif grep -Eq 'db(\.|->)ops->' "$f"; then bad "$f: the front end calls a store operation itself: $(grep -En 'db(\.|->)ops->' "$f" | head -1)"
    else ok; fi
done

# one way to write an intake: only the intake use case (and records.c, which implements the step) includes the
# storage step's header, so no screen, command or import can save an intake the assessment has not seen
for f in $(awk '$2 ~ /(^|\/)intake_store\.h$/ && $1 ~ /\.c$/ { print $1 }' "$tmp/deps" | sort -u); do
    case $f in core/records/intake_finish.c | core/records/records.c) ok ;;
    *) bad "$f: includes intake_store.h (an intake is saved only through intake_finish.h)" ;; esac
done

# and under the use case one store call writes an intake: ops->intake_insert, only in records.c's step (the
# rest of core could otherwise insert a row no assessment, facts or queue item came with)
for f in $(grep -rlE 'ops->intake_insert\b' core tui --include='*.c' 2>/dev/null | grep -v '^core/store/' | sort); do
    case $f in core/records/records.c) ok ;;
    *) bad "$f: calls ops->intake_insert (an intake is written only by records.c's step, through intake_finish.h)" ;; esac
done

# a key the key table names is named on screen from it ({choose} is Enter, {back} Esc, {page_down} PgDn): no
# string of the staff interface (tui/i18n.c, comments and the key names' own translations aside) spells a key
# name of the table by hand (its names of two letters or more: Enter, Esc, PgDn, Ctrl-S, F1, Up...)
names=$(sed -n 's/^[[:space:]]*{UA_[A-Z_]*, "\([^"]*\)".*/\1/p' tui/keys.c | tr ' ' '\n' | grep -E '^[A-Z][A-Za-z0-9-]+$' |
        sort -u | tr '\n' '|' | sed 's/|$//')
if [ -z "$names" ]; then bad "no key names read from the key table (tui/keys.c)"
else
    spelled=$(grep -nE "\\b($names)\\b" tui/i18n.c 2>/dev/null | grep -v '^[0-9]*:[[:space:]]*\(/\*\|\*\)' | grep -v '"key:')
    if [ -z "$spelled" ]; then ok; else bad "tui/i18n.c names a key of the key table by hand (use {choose}, {back}, ...): $spelled"; fi
fi

# every row of the permission table is read by some rule: a row nothing checks would let the table say one
# thing while the code does another (ACT_LEVEL_LOWER was such a row: lowering was gated by confirming alone)
for act in $(sed -n 's/^[[:space:]]*\(ACT_[A-Z_]*\),.*/\1/p' core/base/roles.h | grep -v '^ACT_COUNT$'); do
    if grep -rlw "$act" core tui --include='*.c' | grep -qv '^core/base/roles.c$'; then ok
    else bad "the permission table's $act is read by no rule (core/base/roles.h)"; fi
done

# header circles: two headers each of which the compiler reads while reading the other (their lists are
# transitive, so a circle of any length puts every header of it in every other's list)
loop=$(awk '$1 ~ /\.h$/ && $2 ~ /\.h$/ { seen[$1 " " $2] = 1 }
            END { for (k in seen) { split(k, p, " "); if (p[1] < p[2] && ((p[2] " " p[1]) in seen)) print p[1], p[2] } }' \
           "$tmp/deps" | sort | tr '\n' ' ')
if [ -z "$loop" ]; then ok; else bad "headers include each other in a circle: $loop"; fi

# the store seam: nothing above the SQLite backend speaks of SQLite's own mechanics (its C API, its log file,
# its pragmas), in code, messages or comments: a second backend must fit under the same words (store.h)
# (every backend's folder, core/store/<name>/, is below the seam: a PostgreSQL backend may speak of its WAL)
sq=$(grep -rnE 'sqlite3_|-wal\b|\bWAL\b|PRAGMA' core tui --include='*.[ch]' 2>/dev/null | grep -vE '^core/store/[^/]+/' | head -3)
if [ -z "$sq" ]; then ok; else bad "SQLite words above the store seam (only a backend's folder core/store/<name>/ may use them): $sq"; fi

# a backend is private: a header under core/store/<name>/ is read (as the compiler reads it, through a macro
# too) only by that folder's files, and by store.c, whose registry names each backend's table
priv=$(awk '$2 ~ /^core\/store\/[^\/]+\/[^\/]+\.h$/ {
                own = $2; sub(/[^\/]+$/, "", own)
                if (index($1, own) != 1 && $1 != "core/store/store.c") print $1 ": includes " $2
            }' "$tmp/deps" | sort -u | head -3 | tr '\n' ' ')
if [ -z "$priv" ]; then ok; else bad "a backend's own header read outside its folder (only core/store/<name>/ and store.c's registry): $priv"; fi

# what a role may do is the permission table's (base/roles: role_may, role_least), in core as on screen: a
# comparison with a ROLE_ value would leave a role added later out of the rule
cmp='role[])]*[[:space:]]*(==|!=|<=|>=|<|>)[[:space:]]*ROLE_|ROLE_[A-Z]+[[:space:]]*(==|!=|<=|>=|<|>)|case[[:space:]]+ROLE_'
# sorted: grep -r reads directories in the filesystem's order (a fresh machine's tmpfs named another file first)
rc=$(grep -rnE "$cmp" core --include='*.c' 2>/dev/null | grep -v '^core/base/roles.c:' | sort | head -3)
if [ -z "$rc" ]; then ok; else bad "core decides by comparing roles (use role_may / role_least, core/base/roles.h): $rc"; fi

# The check itself can fail: a copy with one deliberate upward include (base reaching up to records) and
# one header circle must be refused, naming them.
if [ -z "${LAYERS_SELFTEST:-}" ]; then
    mkdir -p "$tmp/copy"
    # mtimes kept: the build's .d files stay current for every file the copy leaves as it is
    cp -rp core tui "$tmp/copy/"
    sed -i '0,/^#include "util.h"$/s//#include "util.h"\n#include "session.h"/' "$tmp/copy/core/base/csv.c"
    # the includes a reading of #include lines passed: through a macro, and with a comment inside the line
    printf '\n#define UPWARD "audit.h"\n#include UPWARD\n' >> "$tmp/copy/core/base/clock.c"
    printf '\n#include /* why */ "queue_items.h"\n' >> "$tmp/copy/core/base/diag.c"
    printf '#ifndef CIRCLE_A_H\n#define CIRCLE_A_H\n#include "circle_b.h"\n#endif\n' > "$tmp/copy/core/base/circle_a.h"
    printf '#ifndef CIRCLE_B_H\n#define CIRCLE_B_H\n#include "circle_a.h"\n#endif\n' > "$tmp/copy/core/base/circle_b.h"
    printf '\n/* then checkpoint the WAL */\n' >> "$tmp/copy/core/records/erasure.c"
    printf '\nstatic bool boss(staff_role role) { return role == ROLE_SUPERVISOR; }\n' >> "$tmp/copy/core/records/erasure.c"
    printf '\n#include <records.h>\n' >> "$tmp/copy/core/base/ids.c"
    printf '\n#include <sodium.h>\n' >> "$tmp/copy/core/exchange/export.c"
    printf '\nstatic int peek(database *db) { return db->ops->client_count(db->st, 0); }\n' >> "$tmp/copy/tui/cmd_store.c"
    printf '\n#include "intake_store.h"\n' >> "$tmp/copy/tui/cmd_store.c"
    printf '\nstatic int put(database *db, const intake_rec *r) { return db->ops->intake_insert(db->st, r); }\n' >> "$tmp/copy/core/records/queue_items.c"
    # a backend's own words and headers in its own folder are its business; read outside it they are not
    mkdir -p "$tmp/copy/core/store/pgx"
    printf '#ifndef PGX_CONN_H\n#define PGX_CONN_H\nint pgx_connect(void);\n#endif\n' > "$tmp/copy/core/store/pgx/pgx_conn.h"
    printf '#include "pgx_conn.h"\n/* the server keeps its WAL */\nint pgx_connect(void) { return 1; }\n' > "$tmp/copy/core/store/pgx/pgx_conn.c"
    printf '\n#define BACKEND "sqlite_backend.h"\n#include BACKEND\n' >> "$tmp/copy/tui/cmd_report.c"
    printf '\n#include "pgx_conn.h"\n' >> "$tmp/copy/core/records/drafts_at_risk.c"
    printf '\nstatic int kind(staff_role role) { switch (role) { case ROLE_SUPERVISOR: return 1; default: return 0; } }\n' >> "$tmp/copy/core/records/queue_items.c"
    sed -i 's/^    ACT_COUNT$/    ACT_NOBODY_CHECKS,\n    ACT_COUNT/' "$tmp/copy/core/base/roles.h"
    touch -r core/base/roles.h "$tmp/copy/core/base/roles.h"
    sed -i 's/"help_title", "/"help_title", "PgDn /' "$tmp/copy/tui/i18n.c" # no include changed: every .d stays current
    out=$(LAYERS_SELFTEST=1 LAYERS_DEPS="$deps_dir" sh "$0" "$tmp/copy" 2>&1)
    if echo "$out" | grep -q 'core/base/csv.c (base) includes core/records/session.h (records)'; then ok
    else bad "an upward include in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'core/base/clock.c (base) includes core/records/audit.h (records)'; then ok
    else bad "an upward include through a macro in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'core/base/diag.c (base) includes core/records/queue_items.h (records)'; then ok
    else bad "an upward include with a comment in its line in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'SQLite words above the store seam.*core/records/erasure.c.*WAL'; then ok
    else bad "SQLite words above the seam in a copy were not refused: $out"; fi
    if echo "$out" | grep -q '^core/store/pgx/pgx_conn.c:[0-9]*:.*WAL'; then bad "a backend's own folder was held to the SQLite-words rule: $out"; else ok; fi
    if echo "$out" | grep -q "a backend's own header read outside its folder.*tui/cmd_report.c: includes core/store/sqlite/sqlite_backend.h"; then ok
    else bad "a backend's header included through a macro from the front end in a copy was not refused: $out"; fi
    if echo "$out" | grep -q "a backend's own header read outside its folder.*core/records/drafts_at_risk.c: includes core/store/pgx/pgx_conn.h"; then ok
    else bad "a backend's header included from records in a copy was not refused: $out"; fi
    if echo "$out" | grep -q "a backend's own header read outside its folder.*core/store/pgx/pgx_conn.c"; then bad "a backend's header read in its own folder was refused: $out"; else ok; fi
    if echo "$out" | grep -q 'tui/cmd_report.c: the front end includes through a macro'; then ok
    else bad "a macro include in the front end in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'core/records/queue_items.c:[0-9]*:.*case ROLE_'; then ok
    else bad "a switch on roles (case ROLE_) in core in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'core decides by comparing roles' && echo "$out" | grep -q 'core/records/erasure.c:[0-9]*:.*role == ROLE_'; then ok
    else bad "a role comparison in core in a copy was not refused: $out"; fi
    if echo "$out" | grep -q 'tui/i18n.c names a key of the key table by hand.*PgDn'; then ok
    else bad "a key name spelled by hand in a copy of i18n.c was not refused: $out"; fi
    if echo "$out" | grep -q 'headers include each other in a circle:.*circle_a.h'; then ok
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
    if echo "$out" | grep -q 'core/records/queue_items.c: calls ops->intake_insert'; then ok
    else bad "an intake inserted outside records.c in a copy was not refused: $out"; fi
fi

finish
