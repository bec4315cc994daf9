#!/bin/sh
# The layer rule checked on the built objects, where an include check cannot see: a core file that declares
# another layer's function itself (a prototype typed in place of the #include) or includes a header with
# <...> still links to it, and the linker's record of that is in nm. For every object of core/ (release
# build), each symbol it uses that the project defines must be defined in its own folder or a lower layer
# (core/LAYERS), never in a peer, a higher layer or tui/.
# Usage: sh tests/structure/symbols.sh [BUILD]  (BUILD: default build/release; run after `make triage`.
# The self-test points it at a copy with one more object that calls up a layer.)
set -u
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-}
[ "$build" = "./triage" ] && build="" # run-suites passes the binary
build=${build:-$here/build/release}
layers=$here/core/LAYERS
command -v nm >/dev/null 2>&1 || { bad "nm is missing (binutils; make deps installs it)"; finish; }
[ -d "$build/core" ] || { bad "$build/core has no objects: build first (make triage)"; finish; }

make_tmp symbols
# One nm per kind over every object (nm -A names the object on each line), then one awk pass: a shell loop
# per symbol took over a minute of `make test`.
objs=$(cd "$build" && find core tui -name '*.o' 2>/dev/null | sort)
[ -n "$objs" ] || { bad "no objects found in $build"; finish; }
(cd "$build" && nm -A -g --defined-only $objs 2>/dev/null) >"$tmp/defs"
(cd "$build" && nm -A -u $objs 2>/dev/null) >"$tmp/uses"
[ -s "$tmp/defs" ] || { bad "no symbols read from $build"; finish; }
# Prints "ok" for each object that keeps both rules, else one "bad MESSAGE" per use that breaks one:
#   - for every object of core/, each symbol it uses that the project defines must be defined in its own
#     folder or a lower layer (core/LAYERS), never in a peer, a higher layer or tui/;
#   - two doors that must stay narrow, on every object of core/ and tui/ (a declaration typed by hand passes
#     the include checks): an intake is written only by the intake use case (intake_save* used by
#     intake_finish.o alone); the SQLite backend is private to core/store/sqlite (its sq_* functions, the
#     store_sqlite table and SQLite's own API are used by no object outside it; store.o registers the table).
echo "$objs" >"$tmp/objects"
awk '
    function folder(o) { split(o, p, "/"); return p[1] == "core" ? p[2] : "tui" }
    function obj(line) { sub(/:.*/, "", line); return line }
    FILENAME == ARGV[1] { if (!/^#/ && NF) { r++; for (i = 1; i <= NF; i++) rank[$i] = r }; next }
    FILENAME == ARGV[2] { if (NF == 3) { def[$3] = folder(obj($0)); if (split(obj($0), q, "/") == 4 && q[1] == "core" && q[2] == "store") backend[$3] = q[3] }; next }
    FILENAME == ARGV[3] { used[obj($0)] = used[obj($0)] " " $NF; next }
    { # one object of ARGV[4]: its layer check (core/ only), then its doors check
        o = $0; dir = folder(o); layer_ok = 1; doors_ok = 1
        m = split(used[o], syms, " ")
        for (j = 1; j <= m; j++) {
            sym = syms[j]
            if (o ~ /^core\// && (sym in def) && def[sym] != dir) {
                f = def[sym]
                if (f == "tui") { print "bad " o " (" dir ") uses " sym ", which tui/ defines"; layer_ok = 0 }
                else if (!(dir in rank) || !(f in rank) || rank[f] >= rank[dir]) {
                    print "bad " o " (" dir ") uses " sym ", defined in core/" f ": a layer may use only lower layers (core/LAYERS)"
                    layer_ok = 0
                }
            }
            if (sym ~ /^intake_save/ && o != "core/records/intake_finish.o") {
                print "bad " o " uses " sym ": an intake is saved only through intake_finish (core/records/intake_store.h)"
                doors_ok = 0
            }
            # the door for a record given whole (intake_finish, intake_finish_given_at) never refuses for
            # unacknowledged safety steps (nobody is interviewed): only `intake new` and FHIR import use it; an
            # interview goes through intake_finish_interview, which does refuse
            if (sym ~ /^intake_finish(_given_at)?$/ && o != "core/records/intake_finish.o" &&
                o != "tui/cmd_store.o" && o != "core/exchange/fhir_import.o") {
                print "bad " o " uses " sym ": the door for a record given whole is for intake new and FHIR import only (an interview goes through intake_finish_interview)"
                doors_ok = 0
            }
            # every backend (core/store/<name>/) is private: what one defines is used in its folder, and by
            # store.o, whose registry names its table
            if ((sym in backend) && index(o, "core/store/" backend[sym] "/") != 1 && o != "core/store/store.o") {
                print "bad " o " uses " sym ": the " backend[sym] " backend is private to core/store/" backend[sym] " (go through the store'"'"'s table)"
                doors_ok = 0
            }
            if (o !~ /^core\/store\/sqlite\// && sym ~ /^(sq_|sqlite3_|store_sqlite$)/ &&
                !(o == "core/store/store.o" && sym == "store_sqlite")) {
                print "bad " o " uses " sym ": the SQLite backend is private to core/store/sqlite (go through the store'"'"'s table)"
                doors_ok = 0
            }
        }
        if (o ~ /^core\// && layer_ok) print "ok"
        if (doors_ok) print "ok"
    }' "$layers" "$tmp/defs" "$tmp/uses" "$tmp/objects" >"$tmp/verdicts"
while read -r verdict msg; do
    case $verdict in ok) ok ;; bad) bad "$msg" ;; esac
done <"$tmp/verdicts"

# The check itself can fail: a copy of the objects with one more in base/ that calls session_login (records),
# declared by hand rather than included, must be refused, naming it.
if [ -z "${SYMBOLS_SELFTEST:-}" ]; then
    mkdir -p "$tmp/build"
    (cd "$build" && find core tui -name '*.o' | tar cf - -T - | tar xf - -C "$tmp/build")
    printf 'int session_login(void);\nint reach_up(void);\nint reach_up(void) { return session_login(); }\n' >"$tmp/up.c"
    ${CC:-cc} -c "$tmp/up.c" -o "$tmp/build/core/base/reach_up.o"
    printf 'int intake_save_given_at(void);\nint save_around(void);\nint save_around(void) { return intake_save_given_at(); }\n' >"$tmp/around.c"
    ${CC:-cc} -c "$tmp/around.c" -o "$tmp/build/tui/save_around.o"
    printf 'int sqlite3_exec(void);\nint peek_sql(void);\nint peek_sql(void) { return sqlite3_exec(); }\n' >"$tmp/peek.c"
    ${CC:-cc} -c "$tmp/peek.c" -o "$tmp/build/core/records/peek_sql.o"
    printf 'int intake_finish(void);\nint finish_around(void);\nint finish_around(void) { return intake_finish(); }\n' >"$tmp/finish.c"
    ${CC:-cc} -c "$tmp/finish.c" -o "$tmp/build/tui/finish_around.o"
    mkdir -p "$tmp/build/core/store/pgx"
    printf 'int pgx_connect(void);\nint pgx_connect(void) { return 1; }\n' >"$tmp/pgx.c"
    ${CC:-cc} -c "$tmp/pgx.c" -o "$tmp/build/core/store/pgx/pgx_conn.o"
    printf 'int pgx_connect(void);\nint peek_pg(void);\nint peek_pg(void) { return pgx_connect(); }\n' >"$tmp/peekpg.c"
    ${CC:-cc} -c "$tmp/peekpg.c" -o "$tmp/build/core/store/peek_pg.o"
    out=$(SYMBOLS_SELFTEST=1 sh "$0" "$tmp/build" 2>&1)
    if echo "$out" | grep -q 'core/base/reach_up.o (base) uses session_login, defined in core/records'; then ok
    else bad "a hand-declared call up a layer in a copy was not refused: $(echo "$out" | grep FAIL | head -3)"; fi
    if echo "$out" | grep -q 'tui/save_around.o uses intake_save_given_at: an intake is saved only through'; then ok
    else bad "an intake saved around the use case in a copy was not refused: $(echo "$out" | grep FAIL | head -3)"; fi
    if echo "$out" | grep -q 'core/records/peek_sql.o uses sqlite3_exec: the SQLite backend is private'; then ok
    else bad "SQLite used above the seam in a copy was not refused: $(echo "$out" | grep FAIL | head -3)"; fi
    if echo "$out" | grep -q 'core/store/peek_pg.o uses pgx_connect: the pgx backend is private'; then ok
    else bad "a backend's own function used outside its folder in a copy was not refused: $(echo "$out" | grep FAIL | head -3)"; fi
    if echo "$out" | grep -q 'core/store/pgx/pgx_conn.o'; then bad "a backend's own object was refused: $(echo "$out" | grep pgx_conn | head -3)"; else ok; fi
    if echo "$out" | grep -q 'tui/finish_around.o uses intake_finish: the door for a record given whole'; then ok
    else bad "the whole-record door used by another screen in a copy was not refused: $(echo "$out" | grep FAIL | head -3)"; fi
fi

finish
