#!/bin/sh
# Long commands show their progress on a terminal and stay quiet in a pipe or a file (issue 14): verify,
# rekey, export, import, backup and retention apply, each run once with stderr a terminal (script(1) gives
# it a pseudo-terminal) and once with stderr a file. On the terminal: a count with the total and the share,
# an estimate of the time left while it runs, and the line ended before the command's own result. In the
# file: no progress at all, only what the command always says.
# Usage: tests/cli/progress.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp progress
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset TRIAGE_CONFIG NO_COLOR TRIAGE_NOW TRIAGE_SCRIPT
mkdir -p "$HOME"
test_config "$tmp/config.ini" -e 's/^draft_days = .*/draft_days = 1/'
DB="$tmp/p.db"
P=admin-passphrase-1 R=desk-passphrase-12
fail_show=show_file show_lines=20 # a failure shows what the terminal or the file held
command -v script >/dev/null 2>&1 || { bad "script(1) is missing (util-linux)"; finish; }
cli "$P\n" --user admin init >/dev/null
cli "$P\n$R\n" --user admin user add desk --role reception >/dev/null
n=0
while [ $n -lt 12 ]; do
    n=$((n + 1))
    printf '{"client":{"name":"Progress Client %d","phone":"1390000%04d"},"language":"en","answers":{"phq9":[0,0,0,0,0,0,0,0,0],"gad7":[0,0,0,0,0,0,0],"asq":["no","no","no","no"]}}\n' $n $n |
        cli "$R\n" --user desk intake new - >/dev/null || bad "intake new $n"
done
printf '%s\n' "$P" >"$tmp/pass"

# on_tty NAME ARGS...: the command with stderr (and stdout) a terminal; what the terminal showed in $tmp/tty
on_tty() {
    name=$1
    shift
    cmd="'$T' --config '$tmp/config.ini' --db '$DB' --user admin --passphrase-fd 3 $* 3<'$tmp/pass'"
    script -qec "$cmd" /dev/null >"$tmp/tty" 2>&1
    tr '\r' '\n' <"$tmp/tty" >"$tmp/tty.lines"
}
# in_file ARGS...: the same with stderr a file ($tmp/err) and stdout a pipe
in_file() {
    "$T" --config "$tmp/config.ini" --db "$DB" --user admin --passphrase-fd 3 "$@" 3<"$tmp/pass" 2>"$tmp/err" | cat >"$tmp/out"
}
shows() { # label pattern
    if grep -q -- "$2" "$tmp/tty.lines"; then ok "$1"; else bad "$1 (looked for: $2)" "$tmp/tty.lines"; fi
}
quiet() { # label
    if grep -q "of [0-9]* \|left\|%)" "$tmp/err" "$tmp/out"; then bad "$1: quiet when stderr is a file" "$tmp/err"
    else ok "$1: quiet when stderr is a file and stdout a pipe"; fi
}

on_tty verify verify
shows "verify on a terminal: the count of sealed fields with the total and the share" "verify: [0-9]* of [0-9]* sealed fields opened ([0-9]*%)"
shows "verify on a terminal: an estimate of the time left while it runs" "verify: 1 of [0-9]* sealed fields opened (.*left"
shows "verify on a terminal: the last count is the whole" "verify: \([0-9]*\) of \1 sealed fields opened (100%)"
shows "verify on a terminal: its result on a line of its own" "^sound: "
in_file verify
quiet verify
grep -q "^sound:" "$tmp/out" && ok "verify in a pipe still prints its result" || bad "verify in a pipe still prints its result" "$tmp/out"

on_tty export export --format csv --out "$tmp/x1.csv"
shows "export on a terminal: the count of intakes" "export: [0-9]* of 12 intakes exported"
in_file export --format csv --out "$tmp/x2.csv"
quiet export

printf '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:pt-1","resource":{"resourceType":"Patient","id":"pt-1","name":[{"text":"Imported One"}]}},{"fullUrl":"urn:uuid:qr-1","resource":{"resourceType":"QuestionnaireResponse","id":"qr-1","questionnaire":"urn:triage:questionnaire:asq|1.0","status":"completed","subject":{"reference":"urn:uuid:pt-1"},"item":[{"linkId":"item1","answer":[{"valueCoding":{"code":"no"}}]},{"linkId":"item2","answer":[{"valueCoding":{"code":"no"}}]},{"linkId":"item3","answer":[{"valueCoding":{"code":"no"}}]},{"linkId":"item4","answer":[{"valueCoding":{"code":"no"}}]}]}}]}\n' >"$tmp/b.json"
sed 's/pt-1/pt-2/g; s/qr-1/qr-2/g; s/Imported One/Imported Two/' "$tmp/b.json" >"$tmp/b2.json"
on_tty import import fhir "$tmp/b.json"
shows "import on a terminal: the count of clients' intakes saved" "import: 1 of 1 clients' intakes saved (100%)"
in_file import fhir "$tmp/b2.json"
quiet import

on_tty backup backup "$tmp/copy1.db"
shows "backup on a terminal: says the copy is done" "backup: 1 of 1 database copied (100%)"
in_file backup "$tmp/copy2.db"
quiet backup

on_tty rekey rekey
shows "rekey on a terminal: the fields re-sealed, counted" "rekey: [0-9]* of [0-9]* sealed fields re-sealed"
shows "rekey on a terminal: then the fields written, counted" "rekey: \([0-9]*\) of \1 sealed fields written (100%)"
in_file rekey
quiet rekey

# retention: two drafts left a day ago by two desks are due (draft_days = 1)
for u in d1 d2; do
    cli "$P\n$R\n" --user admin user add $u --role reception >/dev/null
    printf 'type %s\nkey enter\ntype %s\nkey enter\nkey n\nkey enter\ntype 1\ntype Draft\n' $u "$R" >"$tmp/draft.script"
    TRIAGE_NOW=$(($(date +%s) - 3 * 86400)) TRIAGE_SCRIPT="$tmp/draft.script" LINES=30 COLUMNS=100 timeout 30 \
        "$T" --config "$tmp/config.ini" --db "$DB" >/dev/null 2>&1
done
due=$(cli "$P\n" --user admin retention 2>/dev/null)
case $due in *"due for erasure: 2 unfinished"*) ok "two old drafts are due for erasure" ;; *) bad "two old drafts are due for erasure: $due" ;; esac
on_tty retention retention apply
shows "retention apply on a terminal: the drafts erased, counted" "retention apply: 2 of 2 old drafts erased (100%)"
in_file retention apply
quiet "retention apply"

finish
