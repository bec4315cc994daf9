#!/bin/sh
# Command-line suite: runs the real binary as scripts and cron jobs will, and checks output, exit
# status and messages. Usage: tests/cli/cli.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp cli
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG TRIAGE_NOW
mkdir -p "$HOME" "$XDG_CONFIG_HOME"

# run CMD...: sets $out, $err, $rc
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; out=$(cat "$tmp/out"); err=$(cat "$tmp/err"); }
expect_out() { # name expected-stdout expected-rc
    if [ "$out" = "$2" ] && [ "$rc" -eq "$3" ]; then ok "$1"; else bad "$1" "rc=$rc out=$out err=$err"; fi
}
expect_err() { # name pattern expected-rc
    if [ "$rc" -eq "$3" ] && printf '%s' "$err" | grep -q -- "$2"; then ok "$1"; else bad "$1" "rc=$rc err=$err"; fi
}

# ---- help, version, man page ----
run "$T" --help
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q 'score FORM ANSWER' && ok "--help" || bad "--help" "$out"
run "$T" --version
expect_out "--version" "triage 0.1.0" 0
"$T" --help | sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z]*\)\{0,1\}\) .*/\1/p' >"$tmp/cmds"
missing="" n=0
while read -r c; do
    n=$((n + 1))
    grep -qF "\\fB$c\\fR" assets/triage.1 || missing="$missing [$c]"
done <"$tmp/cmds"
[ "$n" -ge 5 ] && [ -z "$missing" ] && ok "man page lists all $n subcommands of --help" \
    || bad "man page lists every subcommand" "missing:$missing (found $n)"
# every command's --help prints its help whatever the database's state (restore tryout: `restore --help`
# with the database's directory missing printed only that error)
missing=""
for c in $(cut -d' ' -f1 "$tmp/cmds" | sort -u); do
    run "$T" --db "$tmp/no/such/dir/t.db" "$c" --help
    [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q "^  $c " && [ -z "$err" ] || missing="$missing [$c: rc=$rc $err]"
done
[ -z "$missing" ] && ok "COMMAND --help prints the command's help, the database's directory missing" ||
    bad "COMMAND --help with no database" "$missing"
run "$T" --db "$tmp/no/such/dir/t.db" restore --help
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q -- '--accept-loss "REASON"' && ok "...restore --help names --accept-loss" ||
    bad "restore --help" "rc=$rc out=$out err=$err"
"$T" --keys >"$tmp/keys"
missing=""
while IFS="$(printf '\t')" read -r k h; do
    grep -qF "\\fB$k\\fR" assets/triage.1 && grep -qF "$h" assets/triage.1 || missing="$missing [$k]"
done <"$tmp/keys"
[ -s "$tmp/keys" ] && [ -z "$missing" ] && ok "man page KEYS equals the key table (triage --keys)" || bad "man page keys" "missing:$missing"
run "$T" frobnicate
expect_err "unknown command exits 2" "unknown command" 2
run "$T" --frob
expect_err "unknown option exits 2" "unknown option" 2
run "$T"
[ "$rc" -ne 0 ] && printf '%s' "$err" | grep -q "triage init\|needs a terminal\|does not exist" && ok "no command: the front desk, which says what it needs" || bad "no command" "rc=$rc $err"

# ---- score ----
run "$T" score phq9 1 1 1 1 1 1 1 1 0
expect_out "score phq9 moderate, no flags" '{"form":"phq9","total":8,"band":"mild","flags":[]}' 0
run "$T" score phq9 3 3 3 3 3 3 3 3 3 extremely
expect_out "score phq9 severe with item 9 flag and difficulty" '{"form":"phq9","total":27,"band":"severe","flags":["self_harm_thoughts"]}' 0
run "$T" score gad7 2 2 2 2 2 2 3
expect_out "score gad7 severe" '{"form":"gad7","total":15,"band":"severe","flags":[]}' 0
run "$T" score asq no no no no
expect_out "score asq negative" '{"form":"asq","total":null,"band":"negative","flags":[]}' 0
run "$T" score asq no refused no no no
expect_out "score asq refusal is positive" '{"form":"asq","total":null,"band":"non_acute_positive","flags":["asq_item2"]}' 0
run "$T" score asq no no yes no yes
expect_out "score asq acute" '{"form":"asq","total":null,"band":"acute_positive","flags":["asq_item3"]}' 0
run "$T" score asq no no no no yes
expect_err "score asq item5 not asked after four no" "asq.item5 is not asked" 2
run "$T" score phq9 1 2 3
expect_err "score wrong count names the item" "phq9.item4: no answer given" 2
run "$T" score phq9 1 1 1 1 1 1 1 1 4
expect_err "score out of range names the item" "phq9.item9: .4. is not an answer" 2
run "$T" score k6 1 1 1 1 1 refused
expect_err "score refusal where not allowed" "k6.item6" 2
run "$T" score phq9 1 1 1 1 1 1 1 1 refused
printf '%s' "$out" | grep -q '"total":9' && printf '%s' "$out" | grep -q 'self_harm_thoughts' \
    && ok "score: PHQ-9 item 9 refused is prorated out of the total and flagged" || bad "score refused item 9" "$out $err"
run "$T" score nosuch 1
expect_err "score unknown form" "unknown form .nosuch." 2
run "$T" score intake x
expect_err "score a record form" "record form" 2
run "$T" score phq2 "$(printf '\377\376')" 1
expect_err "score non-UTF-8 answer is refused, shown escaped" "phq2.item1: .\\\\xff\\\\xfe. is not an answer" 2

# ---- assess ----
for lvl in orange red green; do
    run "$T" assess assets/examples/$lvl.json
    printf '%s' "$out" | grep -q "^{\"level\":\"$lvl\"" && [ "$rc" -eq 0 ] && ok "assess example $lvl" || bad "assess $lvl" "$out $err"
done
run sh -c "echo '{\"answers\":{\"phq9\":[0,0,0,0,0,0,0,0,2]}}' | '$T' assess -"
printf '%s' "$out" | grep -q '"level":"orange"' && printf '%s' "$out" | grep -q 'phq9.item9 = 2' \
    && ok "assess from stdin with reason values" || bad "assess stdin" "$out $err"
run sh -c "echo '{\"answers\":{\"phq9\":[0,0,0,0' | '$T' assess -"
expect_err "assess bad JSON names line and column" "<stdin>: input:2:0: not valid JSON" 2
run sh -c "echo '{\"answers\":{\"gad7\":[0,0,9]}}' | '$T' assess -"
expect_err "assess out of range names the field" "answers.gad7\[2\]: gad7.item3" 2
run "$T" assess "$tmp/nonexistent.json"
expect_err "assess missing file" "nonexistent.json: cannot be read" 2
head -c 1100000 /dev/zero | tr '\0' ' ' >"$tmp/huge.json"
run "$T" assess "$tmp/huge.json"
expect_err "assess refuses input over 1 MiB" "larger than 1 MiB" 2

# ---- forms check ----
run "$T" forms check
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q '8 forms, no problems' && ok "forms check (shipped forms)" || bad "forms check" "$out $err"
mkdir -p "$tmp/forms"
cp forms/gad2.ini "$tmp/forms/"
sed -e 's/^min = 3$/min = 4/' forms/phq2.ini >"$tmp/forms/phq2.ini"
line=$(grep -n '^min = 4$' "$tmp/forms/phq2.ini" | cut -d: -f1)
run "$T" forms check "$tmp/forms"
[ "$rc" -eq 2 ] && printf '%s' "$out" | grep -q "phq2.ini:$line: band.positive.min: gap" \
    && ok "forms check reports file:line: section.key: band gap" || bad "forms check band gap" "$out $err"
printf '[form]\nid = x\n' >"$tmp/forms/broken.ini"
run "$T" forms check "$tmp/forms"
[ "$rc" -eq 2 ] && printf '%s' "$out" | grep -q "broken.ini.*form.id: .x. differs from the file name" \
    && ok "forms check names a malformed file" || bad "forms check malformed" "$out"
run "$T" forms list
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q '^asq .*unvalidated' && ok "forms list" || bad "forms list" "$out $err"

# ---- configuration lookup and refusal to start ----
run "$T" config check
printf '%s' "$out" | grep -q 'configuration: built-in defaults' && ok "no config file: built-in defaults" || bad "builtin" "$out $err"
mkdir -p "$XDG_CONFIG_HOME/triage"
sed 's/^ui_language = en/ui_language = zh/' config.ini >"$XDG_CONFIG_HOME/triage/config.ini"
sed -i "s#^forms_dir =\$#forms_dir = $(pwd)/forms#; s#^roster_file =\$#roster_file = $(pwd)/assets/counselors.sample.ini#" "$XDG_CONFIG_HOME/triage/config.ini"
run "$T" config check
printf '%s' "$out" | grep -q "configuration: $XDG_CONFIG_HOME/triage/config.ini" && printf '%s' "$out" | grep -q 'ui language:   zh' \
    && ok "XDG config is used" || bad "xdg" "$out $err"
cp "$XDG_CONFIG_HOME/triage/config.ini" "$tmp/env.ini"
sed -i 's/^ui_language = zh/ui_language = en/' "$tmp/env.ini"
TRIAGE_CONFIG="$tmp/env.ini" run "$T" config check
printf '%s' "$out" | grep -q "configuration: $tmp/env.ini" && ok "TRIAGE_CONFIG beats XDG" || bad "env" "$out $err"
TRIAGE_CONFIG="$tmp/env.ini" run "$T" --config config.ini config check
printf '%s' "$out" | grep -q "configuration: config.ini" && ok "--config beats TRIAGE_CONFIG" || bad "--config" "$out $err"
run "$T" --config "$tmp/none.ini" config check
expect_err "--config missing file: clear error, no fallback" "none.ini: cannot be read" 2
rm -rf "$XDG_CONFIG_HOME/triage"
grep -v '^rule.phq9_item9' config.ini >"$tmp/unsafe.ini"
run "$T" --config "$tmp/unsafe.ini" score phq9 0 0 0 0 0 0 0 0 0
expect_err "rules that leave PHQ-9 item 9 green are refused" "phq9.item9 answered 1 .* would be green" 2
sed 's/^forms = intake phq9 gad7 asq$/forms = intake phq2 gad2/' config.ini >"$tmp/noscreen.ini"
line=$(grep -n '^forms = intake phq2 gad2' "$tmp/noscreen.ini" | cut -d: -f1)
run "$T" --config "$tmp/noscreen.ini" config check
expect_err "an intake that asks no suicide-risk screen is refused, line named" \
    "noscreen.ini:$line: intake.forms: the intake asks no suicide-risk screen" 2
# the hotline's quick path is an intake too: the same checks (issue 14)
sed 's/^hotline_forms = .*/hotline_forms = caller phq2 gad2/' config.ini >"$tmp/hotnoscreen.ini"
line=$(grep -n '^hotline_forms' "$tmp/hotnoscreen.ini" | cut -d: -f1)
run "$T" --config "$tmp/hotnoscreen.ini" config check
expect_err "a hotline path that asks no suicide-risk screen is refused, line named" \
    "hotnoscreen.ini:$line: intake.hotline_forms: the intake asks no suicide-risk screen" 2
sed 's/^hotline_forms = .*/hotline_forms = caller phq2 gad2 asq callr/' config.ini >"$tmp/hotunknown.ini"
run "$T" --config "$tmp/hotunknown.ini" config check
expect_err "a hotline form that is not loaded is refused, named" "intake.hotline_forms: .callr. is not a loaded form" 2
sed 's/^remote_channels = .*/remote_channels = phone onlien/' config.ini >"$tmp/remote.ini"
run "$T" --config "$tmp/remote.ini" config check
expect_err "a remote channel that no channel item has is refused" "safety.remote_channels: .onlien. is not a code of intake.channel caller.channel" 2
# weakened rule sets found by the clinician's outside tryout: each once loaded "every safety item covered" and
# under-triaged; each is refused now, naming what it would leave too low
weak() { # label sed-program expected
    sed -e "$2" config.ini >"$tmp/weak.ini"
    run "$T" --config "$tmp/weak.ini" config check
    expect_err "weakened rules refused: $1" "$3" 2
}
weak "no asq_acute rule (an acute ASQ green)" '/^rule.asq_acute\./d' "would be green, not at least orange"
weak "asq_acute only for 5 yes, no q5_unknown" \
    's/^rule.asq_acute.when = .*/rule.asq_acute.when = asq.band == acute_positive and asq.item5 == yes/; /^rule.asq_q5_unknown\./d' \
    "asq band acute_positive .* would be green, not at least red"
weak "acute folded into the orange rule" \
    '/^rule.asq_acute\./d; /^rule.asq_q5_unknown\./d; s/^rule.asq_positive.when = .*/rule.asq_positive.when = asq.band == non_acute_positive or asq.band == acute_positive/' \
    "asq band acute_positive .* would be orange, not at least red"
weak "no phq9_severe rule (21 yellow)" '/^rule.phq9_severe\./d' "phq9 total 20 (band severe) would be yellow, not at least orange"
weak "no moderate rules (PHQ-9 18 green)" '/^rule.phq9_moderate\./d; /^rule.gad7_moderate\./d' "would be green, not at least yellow"
weak "item 9 rule excused by item 1" \
    's/^rule.phq9_item9.when = .*/rule.phq9_item9.when = phq9.item9 >= 1 and not (phq9.item1 >= 1)/' \
    "safety item phq9.item9 answered 1 (all else at a higher answer) would be green"
weak "self-harm excused by another concern" \
    's/^rule.self_harm_concern.when = .*/rule.self_harm_concern.when = intake.concerns has self_harm and not (intake.concerns has grief)/' \
    "intake.concerns with .self_harm. ticked"
weak "self-harm excused by a negative ASQ" \
    's/^rule.self_harm_concern.when = .*/rule.self_harm_concern.when = intake.concerns has self_harm and not (asq.band == negative)/' \
    "intake.concerns with .self_harm. ticked"
sed 's/^rule.gad7_moderate.when = gad7.total >= 10$/rule.gad7_moderate.when = gad7.totl >= 10/' config.ini >"$tmp/badrule.ini"
line=$(grep -n 'gad7.totl' "$tmp/badrule.ini" | cut -d: -f1)
run "$T" --config "$tmp/badrule.ini" score gad7 0 0 0 0 0 0 0
expect_err "malformed rule: line named, refuses to start" "badrule.ini:$line: risk.rule.gad7_moderate.when: form .gad7. has no item .totl." 2
printf '%s' "$err" | grep -q 'refusing to start' && ok "says it refuses to start" || bad "refusing" "$err"
printf '[triage]\nui_language = en\n[risk\n' >"$tmp/syntax.ini"
run "$T" --config "$tmp/syntax.ini" config check
expect_err "config syntax error names the line" "syntax.ini:3: section header without a closing" 2
run env TRIAGE_NOW=yesterday "$T" config check
expect_err "bad TRIAGE_NOW is refused" "TRIAGE_NOW=yesterday" 2

# ---- install (relocatable: PREFIX/bin beside PREFIX/share/triage) ----
if make -s install DESTDIR="$tmp/stage" PREFIX=/opt/triage >"$tmp/install.log" 2>&1; then
    run env -u XDG_CONFIG_HOME "$tmp/stage/opt/triage/bin/triage" config check
    printf '%s' "$out" | grep -q "forms: *$tmp/stage/opt/triage/bin/../share/triage/forms (8 forms)" \
        && [ -f "$tmp/stage/opt/triage/share/man/man1/triage.1" ] && [ -f "$tmp/stage/opt/triage/share/triage/config.ini" ] \
        && ok "make install DESTDIR PREFIX: binary, forms, man page, config" || bad "install" "$out $err"
else
    bad "make install" "$(cat "$tmp/install.log")"
fi

finish
