#!/bin/sh
# Golden screen dumps (as tig's tests do): every screen of the front desk at 80x24 and 120x36, in English and
# Chinese, with a fixed clock (TRIAGE_NOW) and a fixed database made here, compared whole with the files in
# tests/golden/ (diff, never grep): a change to a screen shows as a diff in review.
# Regenerate them after a deliberate change with `make golden` (sh tests/cli/golden.sh ./triage --update).
# Ids are random (UUIDs): their 8- and 6-hex-digit forms are masked as xxxxxxxx before comparing.
# Usage: tests/cli/golden.sh ./triage [--update]   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
update=${2:-}
G=$(pwd)/tests/golden
make_tmp golden
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
export TRIAGE_NOW=2026-12-01T09:00:00Z
unset TRIAGE_CONFIG NO_COLOR
mkdir -p "$HOME"
test_config "$tmp/config.ini" -e 's/^demo = no/demo = yes/'
fail_show=show_file show_lines=60 # a failure shows the diff
P=golden-passphrase
# cli ARGS...: this suite's own (not lib.sh's): one passphrase, given twice, on the fixed database
cli() { printf '%s\n%s\n' "$P" "$P" >"$tmp/p"; "$T" --config "$tmp/config.ini" --db "$tmp/base.db" --passphrase-fd 3 "$@" 3<"$tmp/p"; }
# the fixed database: a supervisor, the sample roster, one client at each of red, orange and green
cli --user admin init >/dev/null
cli --user admin roster import assets/counselors.sample.ini >/dev/null
for f in red orange green; do
    sed "s/^{/{\"client\":{\"name\":\"Demo Client $f\",\"phone\":\"1380000000$(printf %s $f | wc -c)\"},/" \
        "assets/examples/$f.json" >"$tmp/$f.json"
    cli --user admin intake new "$tmp/$f.json" >/dev/null
done

# one walk through every screen; LANG_KEYS switch the staff language on the login screen
walk() { # dumpdir langkeys
    d=$1
    printf '%b' "$2"
    printf 'dump %s/01-login\ntype admin\nkey enter\ntype %s\nkey enter\ndump %s/02-home\n' "$d" "$P" "$d"
    printf 'key ?\ndump %s/03-help\nkey esc\n' "$d"
    printf 'key n\ntype Demo Client\nkey enter\ndump %s/04-find\nkey n\ndump %s/05-language\ntype 1\n' "$d" "$d"
    printf 'dump %s/06-question\ntype Golden Walk\nkey enter\n' "$d"
    printf 'type 34\nkey enter\nkey enter\ntype 1\nkey enter\ntype 13900000000\nkey enter\ntype 1\nkey enter\ntype 2\n'
    printf 'type 1\nkey enter\nkey enter\ntype 2\n'  # channel phone, concern 1, no preference, consent
    printf 'type 1\ntype 1\ntype 1\ntype 1\ntype 1\ntype 1\ntype 1\ntype 1\ntype 1\ndump %s/07-panel\ntype 2\n' "$d"
    printf 'type 1\ntype 1\ntype 1\ntype 1\ntype 1\ntype 1\ntype 1\n'
    printf 'type 2\ntype 1\ntype 1\ntype 1\ntype 2\ndump %s/08-safety\nkey enter\ndump %s/09-review\n' "$d" "$d"
    printf 'key ctrl-s\ndump %s/10-summary\nkey enter\n' "$d"
    printf 'key e\ndump %s/11-queue\nkey enter\ndump %s/12-record\nkey esc\nkey esc\n' "$d" "$d"
    printf 'key c\ndump %s/13-roster\nkey esc\nkey s\ndump %s/14-staff\nkey esc\n' "$d" "$d"
    printf 'key k\ndump %s/15-report-form\nkey enter\ndump %s/16-report\nkey esc\n' "$d" "$d"
    printf 'key f4\ndump %s/17-logged-out\n' "$d"
}

for size in 80x24 120x36; do
    cols=${size%x*} rows=${size#*x}
    for lang in en zh; do
        name=$size-$lang
        mkdir -p "$tmp/$name"
        cp "$tmp/base.db" "$tmp/$name.db"
        keys=""
        [ "$lang" = zh ] && keys='key f2\n'
        walk "$tmp/$name" "$keys" >"$tmp/$name.script"
        # ten minutes after the database was made: no two items tie in the queue's order (ties go by random id)
        TRIAGE_NOW=2026-12-01T09:10:00Z TRIAGE_SCRIPT="$tmp/$name.script" LINES=$rows COLUMNS=$cols timeout 120 "$T" --config "$tmp/config.ini" \
            --db "$tmp/$name.db" >"$tmp/$name.out" 2>&1
        for f in "$tmp/$name"/*; do
            sed -E -i 's/\b[0-9a-f]{8}\b/xxxxxxxx/g; s/(caller|来电者) [0-9a-f]{6}\b/\1 xxxxxx/g' "$f"
        done
        if [ "$update" = --update ]; then
            mkdir -p "$G/$name"
            rm -f "$G/$name"/*
            cp "$tmp/$name"/* "$G/$name/"
            ok "$name: written to tests/golden/$name"
            continue
        fi
        for f in "$tmp/$name"/*; do
            want="$G/$name/$(basename "$f")"
            if [ -f "$want" ] && diff -u "$want" "$f" >"$tmp/diff" 2>&1; then
                ok "$name $(basename "$f")"
            else
                bad "$name $(basename "$f") differs from tests/golden (make golden regenerates)" "$tmp/diff"
            fi
        done
        n_want=$(ls "$G/$name" 2>/dev/null | wc -l) n_got=$(ls "$tmp/$name" | wc -l)
        [ "$n_want" -eq "$n_got" ] && ok "$name: every screen dumped ($n_got)" || bad "$name: $n_got dumps, $n_want golden"
    done
done
# the README opens with the wizard as a golden dump: it must be that dump, whole
if [ "$update" != --update ]; then
    sed -n '/^What a receptionist sees/,/^## Set up/p' README.md | sed '1,/^```$/d' | sed '/^```$/,$d' >"$tmp/readme"
    if diff -u "$G/80x24-en/07-panel" "$tmp/readme" >"$tmp/diff"; then ok "README's screen is the golden dump"
    else bad "README's screen is not tests/golden/80x24-en/07-panel (copy it after make golden)" "$tmp/diff"; fi
    # no line at 80x24 is cut inside a word or a key hint (sixth tryout: a keys line ended "Esc:", the Chinese one
    # split 上一题, the queue's next step ended "(c, with"): hints break between hints, sentences wrap
    cut=$(cat "$tmp"/80x24-*/* | sed 's/[[:space:]]*$//' | grep -E '(Esc|Enter|F3|F4|Ctrl-S)[:：]$|上$|一$' | head -3)
    [ -z "$cut" ] && ok "80x24: no line ends in a cut key hint" || bad "80x24: a line ends in a cut key hint: $cut"
    if grep -A2 'Next: acknowledge' "$tmp/80x24-en/11-queue" | tr '\n' ' ' | grep -q 'emergency services (x)\.'; then
        ok "80x24: the queue's next step is whole (wrapped, not cut)"
    else bad "80x24: the queue's next step is cut" "$tmp/80x24-en/11-queue"; fi
fi
finish
