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

ranks=$(awk '!/^#/ && NF { r++; for (i = 1; i <= NF; i++) print $i, r }' "$layers")
rank_of() { echo "$ranks" | awk -v f="$1" '$1 == f { print $2 }'; }
make_tmp symbols
# "symbol folder" for every global definition of core/ and tui/ (folder: the layer, or "tui")
(cd "$build" && find core tui -name '*.o' 2>/dev/null | sort | while read -r o; do
    case $o in core/*) f=$(echo "$o" | cut -d/ -f2) ;; *) f=tui ;; esac
    nm -g --defined-only "$o" 2>/dev/null | awk -v f="$f" 'NF == 3 { print $3, f }'
done) >"$tmp/defs"
[ -s "$tmp/defs" ] || { bad "no symbols read from $build"; finish; }

for o in $(cd "$build" && find core -name '*.o' | sort); do
    dir=$(echo "$o" | cut -d/ -f2)
    r=$(rank_of "$dir")
    # each symbol used here that the project defines, as "symbol folder-of-its-definition"
    nm -u "$build/$o" 2>/dev/null | awk 'FNR == NR { d[$1] = $2; next } ($NF in d) { print $NF, d[$NF] }' \
        "$tmp/defs" - >"$tmp/uses"
    file_ok=1
    while read -r sym f; do
        [ "$f" = "$dir" ] && continue
        if [ "$f" = tui ]; then bad "$o ($dir) uses $sym, which tui/ defines"; file_ok=0; continue; fi
        fr=$(rank_of "$f")
        if [ -z "$r" ] || [ -z "$fr" ] || [ "$fr" -ge "$r" ]; then
            bad "$o ($dir) uses $sym, defined in core/$f: a layer may use only lower layers (core/LAYERS)"
            file_ok=0
        fi
    done <"$tmp/uses"
    [ "$file_ok" -eq 1 ] && ok
done

# Two doors that must stay narrow, checked on every object of core/ and tui/ (a declaration typed by hand
# passes the include checks):
#   - an intake is written only by the intake use case: intake_save* are used by intake_finish.o alone;
#   - the SQLite backend is private to core/store/sqlite: its sq_* functions, the store_sqlite table and
#     SQLite's own API are used by no object outside it (store.o registers the table by URL).
for o in $(cd "$build" && find core tui -name '*.o' | sort); do
    used=$(nm -u "$build/$o" 2>/dev/null | awk '{ print $NF }')
    file_ok=1
    for sym in $(echo "$used" | grep -E '^intake_save'); do
        case $o in core/records/intake_finish.o) ;; *)
            bad "$o uses $sym: an intake is saved only through intake_finish (core/records/intake_store.h)"; file_ok=0 ;;
        esac
    done
    case $o in core/store/sqlite/*) ;; *)
        for sym in $(echo "$used" | grep -E '^(sq_|sqlite3_|store_sqlite$)'); do
            [ "$o" = core/store/store.o ] && [ "$sym" = store_sqlite ] && continue
            bad "$o uses $sym: the SQLite backend is private to core/store/sqlite (go through the store's table)"
            file_ok=0
        done ;;
    esac
    [ "$file_ok" -eq 1 ] && ok
done

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
    out=$(SYMBOLS_SELFTEST=1 sh "$0" "$tmp/build" 2>&1)
    if echo "$out" | grep -q 'core/base/reach_up.o (base) uses session_login, defined in core/records'; then ok
    else bad "a hand-declared call up a layer in a copy was not refused: $(echo "$out" | grep FAIL | head -3)"; fi
    if echo "$out" | grep -q 'tui/save_around.o uses intake_save_given_at: an intake is saved only through'; then ok
    else bad "an intake saved around the use case in a copy was not refused: $(echo "$out" | grep FAIL | head -3)"; fi
    if echo "$out" | grep -q 'core/records/peek_sql.o uses sqlite3_exec: the SQLite backend is private'; then ok
    else bad "SQLite used above the seam in a copy was not refused: $(echo "$out" | grep FAIL | head -3)"; fi
fi

finish
