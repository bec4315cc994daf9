#!/bin/sh
# `triage import fhir`: the outside integrator's findings of issue 15 (session 4), each a file that real
# systems send and that an import once got wrong. The fixtures in tests/fixtures/fhir/import/ are constructed
# for these tests (shaped as the HL7 US Core PHQ-9 example and LHC-Forms send them; see that folder's README).
# Usage: tests/cli/fhir_import.sh ./triage-test   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage-test}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
FX="$(cd "$(dirname "$0")/../fixtures/fhir/import" && pwd)"
make_tmp fhirimp
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG
mkdir -p "$HOME"
# export_k 1: these few intakes are each of a rare kind (the withholding is tested by tests/attacks/relink.sh)
test_config "$tmp/config.ini" -e 's/^export_k = 5/export_k = 1/'
export TRIAGE_NOW=2026-03-02T09:00:00Z
P=admin-passphrase-1 R=desk-passphrase-12
fresh() { # a new empty database in $DB
    DB="$tmp/$1.db"
    tri admin "$P\n" init
    tri admin "$P\n$R\n" user add desk --role reception
}
# the levels of the queue's items, sorted, one line ("green orange ")
levels() { tri desk "$R\n" queue --json; printf '%s' "$out" | grep -o '"level":"[a-z]*"' | sed 's/"level":"//; s/"//' | sort | tr '\n' ' '; }
import() { tri desk "$R\n" import fhir "$@"; }

# 1. SAFETY: a response imported before whose content changed (status amended, item 9 now "nearly every
# day") was dropped as "already imported" and the client stayed green. Same identifier and same answers:
# already imported; other answers: a new intake that amends the earlier one, said and audited.
fresh amend
import "$FX/phq9-original.json"
check "the original PHQ-9 (item 9 not at all) imports" has_out "imported 1 response as 1 intake"
first=$(levels)
import "$FX/phq9-original.json"
check "...the same file again: already imported" sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q '1 response was already imported'"
earlier=$(printf '%s' "$out" | sed -n 's/.*(intake \([^)]*\)).*/\1/p')
import "$FX/phq9-amended.json"
rc_amend=$rc out_amend=$out
check "the amended PHQ-9 (same identifier, item 9 nearly every day) is imported as a new intake" \
    sh -c "[ $rc_amend -eq 0 ] && printf '%s' '$out_amend' | grep -q 'imported 1 response as 1 intake'"
check "...said to amend the earlier intake" has_out "amends intake $earlier"
lv=$(levels)
check "...the queue holds orange ($lv)" sh -c "printf '%s' '$lv' | grep -q orange"
check "...and audited naming the earlier intake" \
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'import_amends' AND detail LIKE '%$earlier%'")" = 1 ]
import "$FX/phq9-amended.json"
check "...the amended file again: already imported" sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q '1 response was already imported'"
import "$FX/phq9-original.json"
check "...the original replayed after its amendment: already imported (not a duplicate labelled an amendment)" \
    sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q '1 response was already imported' && ! printf '%s' '$out' | grep -q amends"
lv=$(levels)
check "...and the queue stays orange: never lowered by an import ($lv)" [ "$lv" = "orange " ]
# twenty-sixth integrator: the same response (identifier and answers) authored three months later is a new screen,
# not a replay (the tryout: three months later): it was dropped as "already imported", and a client screening positive again went into no queue
sed 's/"authored":"2026-03-01T10:00:00Z"/"authored":"2026-03-02T08:00:00Z"/' "$FX/phq9-amended.json" >"$tmp/rescreen.json"
import "$tmp/rescreen.json"
check "the same identifier and answers authored a day later: imported as a new intake, not dropped" \
    sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q 'imported 1 response as 1 intake' && ! printf '%s' '$out' | grep -q 'already imported'"
import "$tmp/rescreen.json"
check "...and that file again: already imported" sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q '1 response was already imported'"
# ...and the same identifier and answers for another Patient was dropped as "already imported" too: that person's
# positive screen went into no queue. Refused naming both, with its SAFETY line
sed -e 's/"given":\["Lan"\],"family":"Amend"/"given":["Other"],"family":"Human"/' -e 's/"given": *\[ *"Lan" *\], *"family": *"Amend"/"given":["Other"],"family":"Human"/' \
    -e 's/1990-04-02/1975-09-09/' "$FX/phq9-amended.json" >"$tmp/other-person.json"
import "$tmp/other-person.json"
refused_not_dropped() { [ "$rc" -eq 2 ] && ! printf '%s%s' "$out" "$err" | grep -q 'already imported'; }
check "the same identifier and answers for another Patient: refused, not dropped as already imported" refused_not_dropped
check "...naming the earlier intake and the other person" has_err "identifier and answers of a response imported before as intake .* another person's here (name \`Other Human\`"
check "...with its SAFETY line" has_err "SAFETY: .*item9 is answered .3., a positive safety item"
# twenty-sixth integrator: a file that cannot be read, whose names are JSON escapes (Questionnaire\u0052esponse,
# 44260\u002d8), was refused with no SAFETY line
sed -e 's/QuestionnaireResponse/Questionnaire\\u0052esponse/g' -e 's/44260-8/44260\\u002d8/g' "$FX/phq9-amended.json" >"$tmp/escaped.json"
printf ' x' >>"$tmp/escaped.json"
import "$tmp/escaped.json"
check "an unreadable file naming item 9 in JSON escapes: refused with its SAFETY line" has_err "SAFETY: the file names 44260-8"


# 2. Contradictory answers to one LOINC question in one file (PHQ-2 and PHQ-9 both with 44250-9; GAD-2 and
# GAD-7 both with 68509-9): refused naming both entries and the code, nothing imported.
fresh contra
import "$FX/phq2-phq9-contradict.json"
check "PHQ-2 and PHQ-9 answering 44250-9 differently: refused (exit 2)" [ "$rc" -eq 2 ]
check "...naming both entries and the code" sh -c "printf '%s' '$err' | grep -q 'entry\[1\].*entry\[2\].*44250-9\|entry\[2\].*entry\[1\].*44250-9\|44250-9.*entry\[1\].*entry\[2\]'"
check "...nothing imported" has_err "nothing was imported"
import "$FX/gad2-gad7-contradict.json"
check "GAD-2 and GAD-7 answering 68509-9 differently: refused naming the code" sh -c "[ $rc -eq 2 ] && printf '%s' '$err' | grep -q '68509-9'"
lv=$(levels)
check "...and the queue is empty" [ -z "$lv" ]

# 3. triage's own export of a client with two intakes re-imports whole (each intake once; a re-run: already)
fresh two
printf '{"client":{"name":"Twice Seen","phone":"13800009004"},"answers":{"phq9":[1,1,0,0,0,0,0,0,0,"somewhat"]}}' >"$tmp/i1.json"
tri desk "$R\n" intake new "$tmp/i1.json"
cid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
export TRIAGE_NOW=2026-03-09T09:00:00Z
printf '{"resourceType":"QuestionnaireResponse","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-09T08:00:00Z","item":[{"linkId":"44250-9","answer":[{"valueInteger":2}]},{"linkId":"44255-8","answer":[{"valueInteger":2}]},{"linkId":"44259-0","answer":[{"valueInteger":0}]},{"linkId":"44254-1","answer":[{"valueInteger":0}]},{"linkId":"44251-7","answer":[{"valueInteger":0}]},{"linkId":"44258-2","answer":[{"valueInteger":0}]},{"linkId":"44252-5","answer":[{"valueInteger":0}]},{"linkId":"44253-3","answer":[{"valueInteger":0}]},{"linkId":"44260-8","answer":[{"valueInteger":0}]},{"linkId":"69722-7","answer":[{"valueInteger":1}]}]}' >"$tmp/second.json"
import "$tmp/second.json" --client "$cid"
check "set up: a second intake for the same client" has_out "imported 1 response as 1 intake (0 clients new, 1 found)"
tri admin "$P\n" export --format fhir --out "$tmp/two.json"
check "set up: exported" [ "$rc" -eq 0 ]
fresh two-back
import "$tmp/two.json"
check "the export of a client with two intakes imports into an empty database: 2 intakes, 1 client" \
    sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q 'imported 2 responses as 2 intakes (1 client new, 0 found)'"
import "$tmp/two.json"
check "...a re-run: both already imported" sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q '2 responses were already imported'"

# 5. SAFETY: a client's two intakes of one day with no questionnaire in common (the intake form and a PHQ-9
# at the desk, a GAD-7 from the pre-screen that afternoon): the export, identifiable or de-identified (which
# writes only the day), re-imports as two intakes. It was merged into one: an intake, and its level, lost.
export TRIAGE_NOW=2026-03-10T09:00:00Z
fresh sameday
printf '{"client":{"name":"Same Day","phone":"13800009006"},"concerns":["sleep"],"record":{"channel":"phone"},"answers":{"phq9":[1,1,0,0,0,0,0,0,0,"somewhat"]}}' >"$tmp/s1.json"
tri desk "$R\n" intake new "$tmp/s1.json"
scid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
export TRIAGE_NOW=2026-03-10T15:00:00Z
gad=""
for l in 69725-0 68509-9 69733-4 69734-2 69735-9 69689-8 69736-7; do gad="$gad{\"linkId\":\"$l\",\"answer\":[{\"valueInteger\":1}]},"; done
printf '{"resourceType":"QuestionnaireResponse","questionnaire":"http://loinc.org/q/69737-5","status":"completed","authored":"2026-03-10T14:00:00Z","identifier":{"system":"http://prescreen.example.org/responses","value":"r-2002"},"item":[%s]}' "${gad%,}" >"$tmp/s2.json"
import "$tmp/s2.json" --client "$scid"
check "set up: a second intake the same day (a GAD-7)" has_out "imported 1 response as 1 intake"
tri admin "$P\n" export --format fhir --out "$tmp/sameday.json"
tri admin "$P\n" export --format fhir --deidentify --out "$tmp/sameday-deid.json"
check "set up: exported, identifiable and de-identified" [ "$rc" -eq 0 ]
fresh sameday-back
import "$tmp/sameday.json"
check "the export of a client's two intakes of one day imports as 2 intakes" has_out "imported 3 responses as 2 intakes (1 client new, 0 found)"
fresh sameday-deid
# (session 6: a de-identified file goes to a pseudonymous client, never a real one named by --client)
import "$tmp/sameday-deid.json"
check "...the de-identified export (only the day) as 2 intakes too" has_out "imported 3 responses as 2 intakes (1 client new"

# 6. An amendment goes to the client of the intake it amends: with a --client that names another client it
# was filed in that client's record (the amended intake, and its level, left uncorrected); now refused,
# naming the entry, the intake and both clients. With --client of the right client it is taken.
fresh amendto
import "$FX/phq9-original.json"
tri desk "$R\n" queue --json
acid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
printf '{"client":{"name":"Someone Else","phone":"13800009007"},"answers":{"gad2":[0,0]}}' >"$tmp/other.json"
tri desk "$R\n" intake new "$tmp/other.json"
ocid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
import "$FX/phq9-amended.json" --client "$ocid" --accept-patient-mismatch
check "an amendment imported with --client of another client: refused (exit 2)" [ "$rc" -eq 2 ]
check "...naming the client of the amended intake and the one given" \
    sh -c "printf '%s' '$err' | grep -q 'qr-r1001 amends intake .* of client $acid, not of client $ocid (--client)'"
import "$FX/phq9-amended.json" --client "$acid"
check "...with --client of that intake's client: imported, amending it" \
    sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q 'amends intake'"

# 7. A Patient contained in the response (contained[], subject "#p", as a form filler may send the person with
# the screen) was not found ("no Patient with a name"): read; the PHQ-2 and GAD-2 that contain the same Patient
# are one intake of one client, and a second file with that Patient finds the client.
fresh contained
import "$FX/contained-patient.json"
check "responses whose subject is a contained Patient (#p) import: 1 intake, 1 client new" \
    has_out "imported 2 responses as 1 intake (1 client new, 0 found)"
sed 's/qr-c-/qr-d-/; s/2026-03-01T10/2026-03-02T08/' "$FX/contained-patient.json" >"$tmp/contained2.json"
import "$tmp/contained2.json"
check "...another file with the same contained Patient finds that client" has_out "(0 clients new, 1 found)"

# 8. A partial authored date (YYYY-MM, YYYY-MM-DD: FHIR allows them) was exported as midnight UTC, a precision
# never given ("2024-03" became "2024-03-01T00:00:00Z"): the export writes it back as given.
fresh partial
printf '{"client":{"name":"Part Dated"},"answers":{"gad2":[0,0]}}' >"$tmp/pd.json"
tri desk "$R\n" intake new "$tmp/pd.json"
pcid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
for d in 2024-03 2024-05-06 2023; do
    sed "s/\"authored\":\"2026-03-09T08:00:00Z\"/\"authored\":\"$d\"/" "$tmp/second.json" >"$tmp/partial-$d.json"
    import "$tmp/partial-$d.json" --client "$pcid"
done
tri admin "$P\n" export --format fhir --out "$tmp/partial.json"
check "responses authored 2024-03 and 2024-05-06 are exported with that precision (authored, effective)" \
    sh -c "grep -c '\"authored\":\"2024-03\"' '$tmp/partial.json' | grep -qx 1 &&
           grep -q '\"effectiveDateTime\":\"2024-03\"' '$tmp/partial.json' &&
           grep -q '\"authored\":\"2024-05-06\"' '$tmp/partial.json' && ! grep -q '2024-03-01T00:00:00Z' '$tmp/partial.json'"
# de-identified, the month was written as a shifted full day, a precision nobody gave (seventh outside
# integrator): a month stays a month (shifted), a day a day
tri admin "$P\n" export --format fhir --deidentify --out "$tmp/partial-d.json"
check "...de-identified: the month-only response stays a month (authored, effective), the day one a day" \
    sh -c "grep -o '\"authored\":\"[0-9-]*\"' '$tmp/partial-d.json' | grep -cx '\"authored\":\"20[0-9][0-9]-[0-9][0-9]\"' | grep -qx 1 &&
           grep -q '\"effectiveDateTime\":\"20[0-9][0-9]-[0-9][0-9]\"' '$tmp/partial-d.json' &&
           grep -o '\"authored\":\"[0-9-]*\"' '$tmp/partial-d.json' | grep -cx '\"authored\":\"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]\"' | grep -qx 2 &&
           grep -Eq '\"authored\":\"(2023-(09|1[0-2])|2024-0[1-3])\"' '$tmp/partial-d.json'"
# ninth outside integrator: moved from the 1st, a month always landed in an earlier month and a year always in the
# year before (the true one back exactly): moved from the period's middle, a year stays its year, a month moves
# 0 to 6 months
check "...the year-only response stays its year (2023), the month one within six months before it" \
    sh -c "grep -q '\"authored\":\"2023\"' '$tmp/partial-d.json' && ! grep -q '\"authored\":\"2022\"' '$tmp/partial-d.json'"
# ...and so in the de-identified CSV and JSON lines (eighth outside integrator: a day there narrowed the client's
# secret shift to six candidates, the days from a 1st)
tri admin "$P\n" export --format csv --deidentify --out "$tmp/partial-d.csv"
tri admin "$P\n" export --format json --deidentify --out "$tmp/partial-d.jsonl"
check "...de-identified CSV and JSON lines: created_at of the month-only one a month, the others days" \
    sh -c "[ \$(cut -d, -f3 '$tmp/partial-d.csv' | grep -cx '20[0-9][0-9]-[0-9][0-9]') -eq 1 ] &&
           [ \$(cut -d, -f3 '$tmp/partial-d.csv' | grep -cx '20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]') -eq 2 ] &&
           [ \$(grep -c '\"created_at\":\"20[0-9][0-9]-[0-9][0-9]\"' '$tmp/partial-d.jsonl') -eq 1 ] &&
           [ \$(cut -d, -f3 '$tmp/partial-d.csv' | grep -cx '2023') -eq 1 ] && grep -q '\"created_at\":\"2023\"' '$tmp/partial-d.jsonl'"

# 4. An answer to an item enableWhen switches off (ASQ item 5 yes, items 1-4 no): refused as bad input
# (exit 2), naming the entry and linkId, what the operator must do, and that nothing was imported.
fresh asq5
import "$FX/asq-q5-switched-off.json"
check "ASQ item 5 yes with items 1-4 no: refused with exit 2" [ "$rc" -eq 2 ]
# ninth outside integrator: its acute risk was said only inside its problem line; a SAFETY line first, as for any
check "...a SAFETY line first, for the answer that may mean acute risk" sh -c "printf '%s' \"\$1\" | head -1 | grep -q 'SAFETY: .*asq.item5 is answered .*may mean acute risk'" _ "$err"
# tenth outside integrator: "refused" there too (not known counts as positive)
sed 's/"linkId":"item5","answer":\[{"valueCoding":{"system":"urn:triage:answers:asq","code":"yes"}}\]/"linkId":"item5","answer":[{"valueCoding":{"system":"urn:triage:answers:asq","code":"refused"}}]/' \
    "$FX/asq-q5-switched-off.json" >"$tmp/asq-q5-refused.json"
import "$tmp/asq-q5-refused.json"
check "...question 5 refused after four no: refused, a SAFETY line first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -1 | grep -q 'SAFETY: .*asq.item5'" _ "$err"
check "...naming the entry and the linkId" sh -c "printf '%s' '$err' | grep -q 'entry\[1\] QuestionnaireResponse qr-asq5.*linkId \`item5\`'"
check "...saying the client may be at acute risk and to assess in person" has_err "acute risk - assess in person"
check "...and that nothing was imported" has_err "nothing was imported"
# the PHQ-9 difficulty item (69722-7) answered although every problem item is 0 (LOINC answers as valueInteger)
zeros=""
for l in 44250-9 44255-8 44259-0 44254-1 44251-7 44258-2 44252-5 44253-3 44260-8; do zeros="$zeros{\"linkId\":\"$l\",\"answer\":[{\"valueInteger\":0}]},"; done
printf '{"resourceType":"QuestionnaireResponse","id":"qr-diff","questionnaire":"http://loinc.org/q/44249-1","status":"completed","item":[%s{"linkId":"69722-7","answer":[{"valueInteger":2}]}]}' "$zeros" >"$tmp/diff.json"
printf '{"client":{"name":"Diff Icult"},"answers":{"gad2":[0,0]}}' >"$tmp/c.json"
tri desk "$R\n" intake new "$tmp/c.json"
dcid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
risky_before=$(levels | tr ' ' '\n' | grep -c 'orange\|red')
import "$tmp/diff.json" --client "$dcid"
rc_diff=$rc out_diff=$out
# (refused until the sixth outside integrator: LOINC's and US Core's PHQ-9 forms ask 69722-7 always, so their
# all-zero screens were refused; the difficulty is neither scored nor a safety item, and is passed over now)
check "the PHQ-9 difficulty item answered with items 1-9 all 0: imported, the difficulty passed over" \
    sh -c "[ $rc_diff -eq 0 ] && printf '%s' '$out_diff' | grep -q 'imported 1 response as 1 intake'"
check "...no risk claimed for it" [ "$(levels | tr ' ' '\n' | grep -c 'orange\|red')" = "$risky_before" ]

# ---- session 5: the fifth outside integrator's findings ----
export TRIAGE_NOW=2026-03-10T15:00:00Z
# a PHQ-9 response entry: $1 its id, $2 its subject reference, $3 its authored, $4 item 9's answer (0-3)
phq9_entry() {
    items=""
    for l in 44250-9 44255-8 44259-0 44254-1 44251-7 44258-2 44252-5 44253-3; do items="$items{\"linkId\":\"$l\",\"answer\":[{\"valueInteger\":0}]},"; done
    printf '{"fullUrl":"urn:uuid:%s","resource":{"resourceType":"QuestionnaireResponse","id":"%s","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"%s","subject":{"reference":"%s"},"item":[%s{"linkId":"44260-8","answer":[{"valueInteger":%s}]}]}}' \
        "$1" "$1" "$3" "$2" "$items" "$4"
}

# 9. SAFETY (wrong person): --client with a file of many Patients (a de-identified export: nameless Patients,
# nothing to tell them from the client by) filed every intake under that one client. Refused, naming them.
fresh many
printf '{"client":{"name":"One Person"},"answers":{"gad2":[0,0]}}' >"$tmp/op.json"
tri desk "$R\n" intake new "$tmp/op.json"
mcid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
printf '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:pa","resource":{"resourceType":"Patient","id":"pa"}},{"fullUrl":"urn:uuid:pb","resource":{"resourceType":"Patient","id":"pb"}},%s,%s]}' \
    "$(phq9_entry qa urn:uuid:pa 2026-03-09T08:00:00Z 0)" "$(phq9_entry qb urn:uuid:pb 2026-03-09T09:00:00Z 2)" >"$tmp/many.json"
import "$tmp/many.json" --client "$mcid"
check "--client with a file of 2 nameless Patients: refused (exit 2)" [ "$rc" -eq 2 ]
check "...naming both Patients' entries" has_err '2 different Patients (entry\[0\] Patient pa, entry\[1\] Patient pb'
check "...nothing imported" sh -c "[ \"\$(sqlite3 '$DB' 'SELECT count(*) FROM intakes')\" = 1 ]"
import "$tmp/many.json" --client "$mcid" --accept-patient-mismatch
check "...refused with --accept-patient-mismatch too (it says one Patient is the client, not many)" [ "$rc" -eq 2 ]

# 10. An item-9 Observation (44260-8) derived from the response that contradicts it (the response "not at all",
# the Observation LA6571-9 "nearly every day") was ignored: refused naming both entries, as totals are.
fresh obs9
obs9() { # $1 the LOINC answer code the Observation states
    printf '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:p9","resource":{"resourceType":"Patient","id":"p9","name":[{"family":"Contra","given":["Nine"]}],"birthDate":"1985-01-01"}},%s,{"fullUrl":"urn:uuid:o9","resource":{"resourceType":"Observation","id":"o9","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44260-8"}]},"subject":{"reference":"urn:uuid:p9"},"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"%s"}]},"derivedFrom":[{"reference":"urn:uuid:q9"}]}}]}' \
        "$(phq9_entry q9 urn:uuid:p9 2026-03-09T08:00:00Z 0)" "$1"
}
obs9 LA6571-9 >"$tmp/obs9-contra.json"
import "$tmp/obs9-contra.json"
check "an item-9 Observation (nearly every day) contradicting the response (not at all): refused (exit 2)" [ "$rc" -eq 2 ]
check "...naming both entries and 44260-8" sh -c "printf '%s' '$err' | grep -q 'entry\[1\] QuestionnaireResponse q9 (phq9.item9 = 0) and entry\[2\] Observation o9 (3).*LOINC 44260-8'"
lv=$(levels)
check "...nothing imported ($lv)" [ -z "$lv" ]
obs9 LA6568-5 >"$tmp/obs9-same.json"
import "$tmp/obs9-same.json"
check "...an item-9 Observation that agrees (not at all) imports" has_out "imported 1 response as 1 intake"

# 11. An export holding an amended response (both versions carry one identifier) imported twice made new
# intakes the second time (only the newest version's intake was remembered); the export says which amends.
fresh amendx
import "$FX/phq9-original.json"
import "$FX/phq9-amended.json"
tri admin "$P\n" export --format fhir --out "$tmp/amendx.json"
check "the export writes the amending response with status amended (once) and the original completed" \
    sh -c "[ \$(grep -o '\"status\":\"amended\"' '$tmp/amendx.json' | wc -l) -eq 1 ] && grep -q '\"status\":\"completed\"' '$tmp/amendx.json'"
fresh amendx-back
import "$tmp/amendx.json"
check "...it imports into an empty database as 2 intakes" has_out "imported 2 responses as 2 intakes"
import "$tmp/amendx.json"
check "...imported again: both already imported, no new intake" \
    sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q 'imported 0 responses as 0 intakes' && printf '%s' '$out' | grep -q '2 responses were already imported'"

# 12. A de-identified export of recent data could not be imported back: its date shift moved days into the
# future. It moves them 1 to 182 days earlier only (eight clients: a shift either way would put one ahead).
fresh shift
for k in 1 2 3 4 5 6 7 8; do
    printf '{"client":{"name":"Shift Client%s"},"answers":{"gad2":[0,0]}}' "$k" >"$tmp/sh.json"
    tri desk "$R\n" intake new "$tmp/sh.json"
done
tri admin "$P\n" export --format fhir --deidentify --out "$tmp/shift.json"
grep -o '"authored":"[0-9-]*"' "$tmp/shift.json" | sed 's/.*:"//; s/"//' | sort -u >"$tmp/shift-days"
check "a de-identified export of 8 intakes of today: every authored day is 1 to 182 days before today" \
    sh -c '[ $(wc -l <"$1") -ge 1 ] && now=$(date -u -d 2026-03-10 +%s) && for d in $(cat "$1"); do s=$(date -u -d "$d" +%s); [ $s -lt $now ] && [ $((now - s)) -le $((182 * 86400)) ] || exit 1; done' x "$tmp/shift-days"

# 13. One Patient's responses authored on different days (a PHQ-9 of 2022, a GAD-7 of 2024; "2025-03" and
# "2025-03-04T10:00:00Z") became one intake, and the export gave the earlier the later one's authored.
fresh mixdates
gad7_entry() { # $1 id, $2 subject, $3 authored
    items=""
    for l in 69725-0 68509-9 69733-4 69734-2 69735-9 69689-8 69736-7; do items="$items{\"linkId\":\"$l\",\"answer\":[{\"valueInteger\":1}]},"; done
    printf '{"fullUrl":"urn:uuid:%s","resource":{"resourceType":"QuestionnaireResponse","id":"%s","questionnaire":"http://loinc.org/q/69737-5","status":"completed","authored":"%s","subject":{"reference":"%s"},"item":[%s]}}' \
        "$1" "$1" "$3" "$2" "${items%,}"
}
mix() { # $1 the PHQ-9's authored, $2 the GAD-7's
    printf '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:pm","resource":{"resourceType":"Patient","id":"pm","name":[{"family":"Mix","given":["Max"]}],"birthDate":"1990-04-02"}},%s,%s]}' \
        "$(phq9_entry qm urn:uuid:pm "$1" 0)" "$(gad7_entry gm urn:uuid:pm "$2")"
}
mix 2022-11-29T20:50:32Z 2024-05-06T10:00:00Z >"$tmp/mix1.json"
import "$tmp/mix1.json"
check "a PHQ-9 of 2022 and a GAD-7 of 2024 of one Patient: 2 intakes" has_out "imported 2 responses as 2 intakes (1 client new"
tri admin "$P\n" export --format fhir --out "$tmp/mix1-out.json"
check "...exported each with its own authored" \
    sh -c "grep -q '\"authored\":\"2022-11-29T20:50:32Z\"' '$tmp/mix1-out.json' && grep -q '\"authored\":\"2024-05-06T10:00:00Z\"' '$tmp/mix1-out.json'"
mix 2025-03 2025-03-04T10:00:00Z | sed 's/"qm"/"qm2"/; s/"gm"/"gm2"/' >"$tmp/mix2.json"
import "$tmp/mix2.json"
check "...a PHQ-9 authored 2025-03 and a GAD-7 2025-03-04T10:00:00Z: 2 intakes" has_out "imported 2 responses as 2 intakes"

# 14. A display item (linkId /instructions with text, no answer) refused the whole response: skipped now.
fresh display
phq9_entry qd urn:uuid:pd 2026-03-09T08:00:00Z 0 | sed 's|"item":\[|"item":[{"linkId":"/instructions","text":"Over the last 2 weeks..."},|' >"$tmp/d-entry"
printf '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:pd","resource":{"resourceType":"Patient","id":"pd","name":[{"family":"Display","given":["Item"]}],"birthDate":"1985-01-01"}},%s]}' "$(cat "$tmp/d-entry")" >"$tmp/display.json"
import "$tmp/display.json"
check "a response with an unanswered display item (/instructions) imports" has_out "imported 1 response as 1 intake"

# 15. (session 6) A response sent in-progress (a pre-screen's partial screen: PHQ-9 items 1-8, item 9 not yet
# reached) was exported back as completed. It is imported as the partial screen it is (item 9 unanswered counts
# as positive: never green), said so, and exported in-progress with a preliminary total.
fresh inprogress
items=""
for l in 44250-9 44255-8 44259-0 44254-1 44251-7 44258-2 44252-5 44253-3; do items="$items{\"linkId\":\"$l\",\"answer\":[{\"valueInteger\":0}]},"; done
printf '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:pp","resource":{"resourceType":"Patient","id":"pp","name":[{"family":"Partial","given":["Pia"]}],"birthDate":"1991-02-03"}},{"fullUrl":"urn:uuid:qp","resource":{"resourceType":"QuestionnaireResponse","id":"qp","questionnaire":"http://loinc.org/q/44249-1","status":"in-progress","authored":"2026-03-09T08:00:00Z","subject":{"reference":"urn:uuid:pp"},"item":[%s]}}]}' "${items%,}" >"$tmp/partial.json"
import "$tmp/partial.json"
check "an in-progress PHQ-9 without item 9 imports" has_out "imported 1 response as 1 intake"
check "...said to be partial" has_out "1 response was sent in-progress (partial)"
lv=$(levels)
check "...item 9 not reached counts as positive: not green ($lv)" sh -c "[ -n '$lv' ] && ! printf '%s' '$lv' | grep -q green"
tri admin "$P\n" export --format fhir --out "$tmp/partial-out.json"
check "...exported with status in-progress, not completed" \
    sh -c "grep -q '\"status\":\"in-progress\",\"subject\"' '$tmp/partial-out.json' && ! grep -q '\"status\":\"completed\"' '$tmp/partial-out.json'"
check "...its total Observation preliminary, not final" \
    sh -c "grep -q '\"status\":\"preliminary\"' '$tmp/partial-out.json' && ! grep -q '\"status\":\"final\"' '$tmp/partial-out.json'"
if [ -f "$(dirname "$0")/../fhir-validate/node_modules/.installed" ]; then
    check "...a valid FHIR R4 Bundle, every reference resolved (independent validator)" \
        node "$(dirname "$0")/../fhir-validate/validate.js" "$tmp/partial-out.json"
fi
fresh inprogress-back
import "$tmp/partial-out.json"
tri admin "$P\n" export --format fhir --out "$tmp/partial-again.json"
check "...imported into an empty database and exported again: still in-progress" \
    grep -q '"status":"in-progress","subject"' "$tmp/partial-again.json"
# a status R4 does not have is refused, naming it (it was taken as completed)
sed 's/"in-progress"/"final"/' "$tmp/partial.json" >"$tmp/final.json"
fresh badstatus
import "$tmp/final.json"
check "status final (no QuestionnaireResponse status) is refused naming it" \
    sh -c "[ $rc -eq 2 ] && printf '%s' '$err' | grep -q 'entry\[1\] QuestionnaireResponse qp: status .final. is not a QuestionnaireResponse status'"
lv=$(levels)
check "...and no intake is made" [ -z "$lv" ]
# a response imported before and now sent entered-in-error: refused, naming the intake it became (which stays)
fresh voided
import "$FX/phq9-original.json"
import "$FX/phq9-original.json"
was=$(printf '%s' "$out" | sed -n 's/.*(intake \([^)]*\)).*/\1/p')
sed 's/"status":"completed"/"status":"entered-in-error"/' "$FX/phq9-original.json" >"$tmp/voided.json"
import "$tmp/voided.json"
check "a response imported before, now entered-in-error: refused naming the intake it became ($was)" \
    sh -c "[ $rc -eq 2 ] && [ -n '$was' ] && printf '%s' '$err' | grep -q 'entered-in-error., but it was imported before as intake $was'"
lv=$(levels)
check "...the intake and its queue item stay ($lv)" [ "$lv" = "green " ]

# 16. (session 6) "already imported" named one intake when many responses were: each is named now, with its
# entry, its id and its intake.
fresh again-many
many_entries=""
for k in 1 2 3; do
    many_entries="$many_entries{\"fullUrl\":\"urn:uuid:pa$k\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"pa$k\",\"name\":[{\"family\":\"Again$k\",\"given\":[\"Ann\"]}],\"birthDate\":\"1980-01-0$k\"}},$(phq9_entry qa$k urn:uuid:pa$k 2026-03-09T08:00:00Z 0),"
done
printf '{"resourceType":"Bundle","type":"collection","entry":[%s]}' "${many_entries%,}" >"$tmp/many.json"
sed 's/"id":"qa\([0-9]\)"/"id":"qa\1","identifier":{"system":"http:\/\/prescreen.example.org\/responses","value":"m-\1"}/g' "$tmp/many.json" >"$tmp/many-id.json"
import "$tmp/many-id.json"
check "set up: three responses of three Patients" has_out "imported 3 responses as 3 intakes (3 clients new"
import "$tmp/many-id.json"
check "...imported again: the count said" has_out "3 responses were already imported, not saved again"
named=$(printf '%s\n' "$out" | grep -c 'entry\[[135]\] QuestionnaireResponse qa[123] (intake [0-9a-f-]*)')
distinct=$(printf '%s\n' "$out" | sed -n 's/.*(intake \([^)]*\)).*/\1/p' | sort -u | wc -l)
check "...each named with its entry, id and intake ($named named, $distinct intakes)" sh -c "[ '$named' = 3 ] && [ '$distinct' = 3 ]"


# Session 6 (issue 15, the sixth outside integrator; fixtures from the tester's sandbox in/, see
# tests/fixtures/fhir/import/README).
# 1. SAFETY/record: a father's and a son's PHQ-9 (same name, same phone, birthDates 1960 and 1995) went into
# one record. Another birth date is another person: a new client, and a line naming the namesake.
export TRIAGE_NOW=2026-12-05T09:00:00Z
fresh namesake
import "$FX/namesake-father.json"
check "set up: the father's PHQ-9 makes a client" has_out "(1 client new, 0 found)"
import "$FX/namesake-son.json"
check "the son's PHQ-9 (same name and phone, another birthDate) makes a new client" has_out "(1 client new, 0 found)"
check "...and names the client with the same name and phone" has_out "has the same name and phone but another birth date"
import "$FX/namesake-son.json"
check "...the son's file again finds the son, not the father" \
    sh -c "printf '%s' \"\$1\" | grep -Eq '1 response was already imported|0 clients new, 1 found'" _ "$out"

# 2. SAFETY: item 9 coded LA6568-5 (not at all, 0) with an ordinalValue of 3 was read as 0 (green); a Coding
# with no system whose display words another answer on a safety item: which one the client gave is not known.
fresh ordinal
import "$FX/item9-ordinal-disagree.json"
check "item 9 whose code says 0 and ordinalValue 3 is refused naming entry and linkId" \
    sh -c "[ $rc -ne 0 ] && printf '%s' \"\$1\" | grep -q 'entry\[1\].*linkId .*44260-8.*ordinalValue (or itemWeight) says 3'" _ "$err"
import "$FX/item9-nosystem-display.json"
check "item 9 with no system, code 0 and display 'Nearly every day' is refused" \
    sh -c "[ $rc -ne 0 ] && printf '%s' \"\$1\" | grep -q '44260-8.*no system.*Nearly every day'" _ "$err"
check "...nothing was queued" sh -c "[ -z \"\$(printf '%s' \"\$1\")\" ]" _ "$(levels)"


# 3. A total Observation (44261-6) disagreeing with the answers was taken whenever the response stated its own
# total item too (the item was the only one checked): every stated total must agree.
fresh totals
for f in total-obs-wrong-item-right uscore-total-obs-wrong-int uscore-total-obs-wrong; do
    import "$FX/$f.json"
    check "$f: the item total agrees, the Observation's does not: refused" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -Eq 'stated total [0-9]* ?\(its Observation\) (disagrees|is a)'" _ "$err"
done


# 5. The Patient's current name, never use=old: the US Core patient-example made "Amy V. Shaw" (her old name)
# instead of "Amy V. Baxter".
fresh names
import "$FX/uscore-phq9-bundle.json"
check "set up: the US Core PHQ-9 bundle imports" has_out "imported 1 response"
tri desk "$R\n" client find "Amy V. Baxter"
check "...for a client named by the usual name, Amy V. Baxter" has_out "Amy V. Baxter"
import "$FX/name-old-and-official.json"
tri desk "$R\n" client find "Kim Newname"
check "a Patient with an old and an official name: the official one" has_out "Kim Newname"


# 4. A de-identified export of several clients could not be imported back ("give --client"): it says it is
# pseudonymized (meta.security PSEUDED) and comes in as pseudonymous clients named by the Patient's pseudonym,
# in any database; --client with it is refused (shifted dates never go into a real client's record).
fresh deid
import "$FX/namesake-father.json"
import "$FX/namesake-son.json"
tri admin "$P\n" export --format fhir --deidentify --from 2026-11-01 --to 2026-12-06 --out "$tmp/deid.json"
check "set up: a de-identified export of two clients" grep -q '"code":"PSEUDED"' "$tmp/deid.json"
# imported back into the database it came from, every intake was there twice (under its real client and as a
# pseudonymous one) and nothing said so (seventh outside integrator): refused, saying why and what to do
import "$tmp/deid.json"
check "...into the database it came from: refused, naming why and --accept-own-export" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'of this file came from this very database' && printf '%s' \"\$1\" | grep -q -- '--accept-own-export'" _ "$err"
before=$(levels)
check "...nothing imported" sh -c "[ '$before' = 'green green ' ] || [ \$(printf '%s' '$before' | wc -w) -eq 2 ]"
import --accept-own-export "$tmp/deid.json"
check "...with --accept-own-export (before the file or after): added as two pseudonymous clients" has_out "imported 2 responses as 2 intakes (2 clients new, 0 found)"
import "$tmp/deid.json" --accept-patient-mismatch
check "...--accept-patient-mismatch without --client: the usage" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q '^usage:.*--accept-own-export'" _ "$err"
# eighth outside integrator: after a rekey (new pseudonyms), or through another triage database (imported there
# and exported de-identified again), the same intakes came back doubled. The tag is the database's for its life,
# and each response carries the database it came from, kept by the import that passed it on.
own_db=$DB
tri admin "$P\n" rekey
check "set up: the database rekeyed" [ "$rc" -eq 0 ]
fresh deid-again
import "$tmp/deid.json"
DB=$own_db
import "$tmp/deid.json"
check "...after a rekey: still refused as this database's own" has_err "came from this very database"
DB=$tmp/deid-again.db
tri admin "$P\n" export --format fhir --deidentify --out "$tmp/deid-relayed.json"
check "set up: another database's de-identified export of those intakes" grep -q '"code":"PSEUDED"' "$tmp/deid-relayed.json"
DB=$own_db
import "$tmp/deid-relayed.json"
# (a SAFETY line for an own screen says what to check: its answers are not known to be the ones held here,
# eleventh outside integrator: an item 9 changed in an own export, identifiers stripped, went unsaid)
check "...back through another database: refused, naming the entry; any SAFETY line says it is this database's own" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'entry\[[0-9]*\]: 2 of the 2 responses .*came from this very database' && ! printf '%s' \"\$1\" | grep SAFETY | grep -vq 'a screen of this database.s own: check that its intake here holds this answer'" _ "$err"
# ninth outside integrator: a database holding imported intakes took its own de-identified export of them straight
# back (the responses keep the tag of where they came from; the Bundle's is this database's), and an identifiable
# export of a second database holding this one's de-identified intakes brought them back too
DB=$tmp/deid-again.db
import "$tmp/deid-relayed.json"
check "...a database's own de-identified export of intakes it imported: refused there too" has_err "2 of the 2 responses .*came from this very database"
tri admin "$P\n" export --format fhir --out "$tmp/again-id.json"
DB=$own_db
import "$tmp/again-id.json"
check "...an identifiable export of the other database holding them: refused" has_err "2 of the 2 responses .*came from this very database"
# tenth outside integrator: a hub's intakes came back to it through a second database (A to B, B to C, C back to B):
# each database a response passes through is named on it, so B is known there
fresh deid-c
import "$tmp/deid-relayed.json"
check "set up: a third database takes the second's de-identified export" has_out "imported 2 responses"
tri admin "$P\n" export --format fhir --deidentify --out "$tmp/deid-c.json"
DB=$tmp/deid-again.db
import "$tmp/deid-c.json"
check "...its export back into the second: refused, the second named on the way" has_err "2 of the 2 responses .*came from this very database"
DB=$own_db
import "$tmp/deid-c.json"
check "...and into the first" has_err "2 of the 2 responses .*came from this very database"
# ...and screens imported before get no SAFETY line when a file is refused for another (tenth outside integrator:
# "NOT imported ... see to the client now" for clients in the queue already)
import "$FX/phq9-amended.json"
tri admin "$P\n" export --format fhir --out "$tmp/own-id.json"
awk '{ lines[NR] = $0 } END { for (i = 1; i < NR; i++) print lines[i]; print ",{\"fullUrl\":\"urn:uuid:0b1e0c2a-7d3f-4e6a-9b8c-0d1e2f3a4b5d\",\"resource\":{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":\"http://loinc.org/q/44249-1\",\"status\":\"completed\",\"item\":[{\"linkId\":\"44250-9\",\"answer\":[{\"valueCoding\":{\"system\":\"http://loinc.org\",\"code\":\"LA9999-9\"}}]}]}}"; print lines[NR] }' "$tmp/own-id.json" >"$tmp/own-id-bad.json"
import "$tmp/own-id-bad.json"
# (the new screen itself, a PHQ-9 without item 9, has its own: a suicide item not answered counts as positive)
check "...an own export with one bad new screen: refused, no plain SAFETY line for the screens imported before" \
    sh -c "[ $rc -eq 2 ] && ! printf '%s' \"\$1\" | grep SAFETY | grep -v 'a screen of this database.s own' | grep -vq 'QuestionnaireResponse (no id): phq9.item9 is not answered' && printf '%s' \"\$1\" | grep -q 'LA9999-9'" _ "$err"
# ...and a new screen added to this database's own export is no export's (it has no tag of its own): named with its
# SAFETY line, never "here already" (ninth outside integrator: "1 of the 1 responses came from this very database")
purl=$(grep -o '"fullUrl":"urn:uuid:[^"]*","resource":{"resourceType":"Patient"' "$tmp/deid.json" | head -1 | sed 's/"fullUrl":"//; s/",.*//')
items=""
for l in 44250-9 44255-8 44259-0 44254-1 44251-7 44258-2 44252-5 44253-3; do items="$items{\"linkId\":\"$l\",\"answer\":[{\"valueInteger\":0}]},"; done
items="$items{\"linkId\":\"44260-8\",\"answer\":[{\"valueCoding\":{\"system\":\"http://loinc.org\",\"code\":\"LA6571-9\"}}]}"
qr=$(printf ',{"fullUrl":"urn:uuid:5b1e0c2a-7d3f-4e6a-9b8c-0d1e2f3a4b5c","resource":{"resourceType":"QuestionnaireResponse","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-11-20T10:00:00Z","subject":{"reference":"%s"},"item":[%s]}}' "$purl" "$items")
awk -v add="$qr" '{ lines[NR] = $0 } END { for (i = 1; i < NR; i++) print lines[i]; print add; print lines[NR] }' "$tmp/deid.json" >"$tmp/deid-plus.json"
import "$tmp/deid-plus.json"
check "...a new screen at risk added to the own export: its SAFETY line first, the own ones counted apart" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -1 | grep -q 'SAFETY: .*phq9.item9' && printf '%s' \"\$1\" | grep -q '2 of the 3 responses .*came from this very database'" _ "$err"
fresh deid-into
import "$tmp/deid.json"
check "...imports into another database as two pseudonymous clients" has_out "imported 2 responses as 2 intakes (2 clients new, 0 found)"
pseudo=$(grep -o '"system":"urn:triage:pseudonyms","value":"[^"]*"' "$tmp/deid.json" | head -1 | sed 's/.*"value":"//; s/"$//')
tri desk "$R\n" client find "$pseudo"
check "...a client named by its pseudonym, with no phone or birth date" has_out "Pseudonym $pseudo"
import "$tmp/deid.json"
check "...imported again: already imported" has_out "2 responses were already imported"
tri admin "$P\n" client add "Wei Zhang" --phone 555-0100 2>/dev/null
id=$(tri desk "$R\n" client find "Wei Zhang" --json; printf '%s' "$out" | grep -o '"id":"[^"]*"' | head -1 | sed 's/"id":"//; s/"//')
import "$tmp/deid.json" --client "${id:-none}"
check "...with --client: refused (a de-identified file never goes into a client's record)" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'de-identified (PSEUDED) file'" _ "$err"


# 6. An in-progress response completed later (same identifier) was exported `amended`: amended says it was
# complete before; a partial screen finished later is `completed`.
fresh finish
import "$FX/prescreen-partial.json"
import "$FX/prescreen-completed.json"
check "set up: the partial screen, then its completion (a new intake amending it)" has_out "imported before with other answers"
tri admin "$P\n" export --format fhir --from 2026-12-01 --to 2026-12-06 --out "$tmp/finish.json"
statuses=$(grep '"resourceType":"QuestionnaireResponse"' "$tmp/finish.json" | grep -o '"status":"[a-z-]*"' | sed 's/"status":"//; s/"//' | sort | tr '\n' ' ')
check "...exported in-progress and completed, never amended ($statuses)" sh -c "[ '$statuses' = 'completed in-progress ' ]"


# 6. The Task disappeared from the export once a counselor was assigned (its deadline is 0 then) while the
# item was still in the queue (green's step, contacted, done: deadline 0): exported in-progress, with its owner.
fresh owner
tri admin "$P\n" roster import "$(dirname "$0")/../../assets/counselors.sample.ini"
import "$FX/namesake-father.json"
tri desk "$R\n" queue --json
qid=$(printf '%s' "$out" | grep -o '"id":"[^"]*"' | head -1 | sed 's/"id":"//; s/"//')
tri desk "$R\n" queue assign "${qid:-none}" c01
tri desk "$R\n" queue contact "${qid:-none}" reached
check "set up: a counselor assigned and the client reached (no step due: deadline 0), the item still queued" [ "$rc" -eq 0 ]
tri admin "$P\n" export --format fhir --from 2026-12-01 --to 2026-12-06 --out "$tmp/owner.json"
check "...the export still holds its Task, in-progress, owned by c01" \
    sh -c "grep '\"resourceType\":\"Task\"' '$tmp/owner.json' | grep '\"status\":\"in-progress\"' | grep -q '\"value\":\"c01\"'"


# 7. SAFETY, sixth outside integrator: a relative subject reference (Patient/1) took the first Patient/1 of the file,
# whatever server it came from (R4 bundle.html#references: it is read against the response's fullUrl base), so an
# orange screen was filed under another person's name and call-back number; two Patients it could mean, or two
# resources under one fullUrl (bdl-7), were read as the first, silently.
fresh refs
import "$FX/relative-ref-two-servers.json"
check "a relative subject from a.example.org is a.example.org's Patient/1" has_out "imported 1 response as 1 intake"
tri desk "$R\n" client find Alice
check "...filed under Alice Correct (the response's server)" has_out "Alice Correct"
tri desk "$R\n" client find Bob
check "...never under Bob Wrong (b.example.org's Patient/1, first in the file)" has_out "no client found"
fresh ambiguous
import "$FX/two-patients-same-id.json"
check "two Patients with the id the subject names: refused as ambiguous" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'names 2 Patients of this file'" _ "$err"
check "...nothing imported" sh -c "[ -z '$(levels)' ]"
import "$FX/duplicate-fullurl.json"
check "two resources under one fullUrl (bdl-7): refused, naming both entries" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'entry\[0\] and entry\[1\] have the same fullUrl'" _ "$err"
check "...its item 9 'nearly every day' named first all the same (thirteenth outside integrator: refused unread)" \
    sh -c "printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*phq9.item9 is answered .3., a positive safety item'" _ "$err"
import "$FX/relative-ref-other-base.json"
check "a relative subject whose only Patient is at another base: no Patient (refused, --client named)" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'no Patient with a name in this file'" _ "$err"
check "...nothing imported" sh -c "[ -z '$(levels)' ]"


# 8. SAFETY, sixth outside integrator: items nested under an answer (answer.item) were passed over, so an item 9
# "nearly every day" nested under item 1 left the screen green beside a top-level "not at all"; an answer with two
# value[x] (valueCoding "not at all" and valueInteger 3) was read by its Coding, green.
fresh nested
import "$FX/item9-nested-contradicts.json"
check "item 9 answered at the top and again under item 1's answer: refused as answered twice" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'is answered twice'" _ "$err"
import "$FX/item9-two-values.json"
check "item 9 with two value[x] in one answer: refused" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'one answer with 2 values'" _ "$err"
check "...nothing imported" sh -c "[ -z '$(levels)' ]"
# seventh outside integrator: a refusal whose safety item is not known (two answers, the item twice with the positive
# second, a code triage does not read) named no SAFETY line: an answer not known counts as positive, named first
check "...and, item 9 not known, a SAFETY line first" sh -c "printf '%s' \"\$1\" | head -1 | grep -q 'SAFETY: .*phq9.item9 .*not known, which counts as positive'" _ "$err"
for fx in item9-twice-negative-first item9-two-answers asq-item1-loinc-yes item9-ordinal-disagree; do
    import "$FX/$fx.json"
    check "$fx: refused, a SAFETY line first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -1 | grep -q 'SAFETY: .*\(phq9.item9\|asq.item1\)'" _ "$err"
    # eighth outside integrator: the ASQ's answers were listed as no, yes, where refused is taken too
    [ "$fx" = asq-item1-loinc-yes ] &&
        check "...the answers it takes listed, refused with them" sh -c "printf '%s' \"\$1\" | grep -q 'expected one of no, yes, refused)'" _ "$err"
done
check "...nothing imported" sh -c "[ -z '$(levels)' ]"
import "$FX/item9-nested-only.json"
check "item 9 \"nearly every day\" only under another item's answer: read, orange" sh -c "[ '$(levels)' = 'orange ' ]"


# 9. SAFETY, sixth outside integrator: a refused file hid a screen at risk behind another entry's problem (a batch's
# second client, item 9 "nearly every day", was not mentioned); a partial PHQ-9 whose total is LHC-Forms' own (the sum
# of the answered items) was refused with its positive item 9; LHC-Forms' "/PANEL/ITEM" linkIds were not PHQ-9's.
fresh risky
import "$FX/batch-refused-and-risky.json"
check "a refused file names first the screen in it with a positive safety item" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -1 | grep -q 'SAFETY: entry\[3\].*phq9.item9 is answered .3.*NOT imported'" _ "$err"
check "...nothing imported" sh -c "[ -z '$(levels)' ]"
import "$FX/lhc-partial-rawsum.json"
check "a PHQ-9 with item 5 missing whose stated total is the sum of its answers (17): imported, orange" \
    sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'orange ' ]"
import "$FX/allzero-with-difficulty.json"
check "an all-zero PHQ-9 with its difficulty question answered (LOINC's form asks it always): imported, green" \
    sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'green orange ' ]"
fresh lhcpath
import "$FX/lhc-path-linkids.json"
check "LHC-Forms linkIds /44249-1/ITEM are PHQ-9's items: imported, item 9 orange" \
    sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'orange ' ]"


# 10. Sixth outside integrator: a server's search result (searchset, RESTful fullUrls, no identifier, no meta.source)
# imported twice made every response twice: its fullUrl is its identity.
fresh searchset
import "$FX/searchset-fullurl.json"
check "a searchset with RESTful fullUrls imports" has_out "imported 1 response as 1 intake"
import "$FX/searchset-fullurl.json"
check "...the same search again: already imported, nothing new" has_out "1 response was already imported"


# 11. Eleventh outside attacker: the import's own match took a client found by one word of the name with the same
# phone: a Patient named only "Amend", with Lan Amend's number and birth date, was filed as Lan Amend.
fresh oneword
import "$FX/phq9-original.json"
import "$FX/one-word-name.json"
check "a Patient named by one word of a client's name, same phone and birth date: a new client, not hers" \
    has_out "1 client new, 0 found"


# 12. SAFETY, sixth outside integrator: the US Core bundle's item 9 Observation changed to "nearly every day" (LA6571-9)
# and linked to the response only through the panel Observation's hasMember: the contradiction went unchecked.
fresh hasmember
import "$FX/uscore-obs-item9-hasmember.json"
check "an item Observation reached through the panel's hasMember that contradicts the response: refused" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'answer the same question, LOINC 44260-8, differently'" _ "$err"
check "...item 9 not known: named first, SAFETY (thirteenth outside integrator: nothing said of the risk)" \
    sh -c "printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*phq9.item9 is answered .not readable (below)., a safety item not known'" _ "$err"


# 13. SAFETY, twelfth outside attacker: two servers' responses, each with subject "Patient/1" (its own server's): the
# responses were grouped by the reference's text, so the second server's orange PHQ-9 went to the first's Patient.
fresh twoservers
import "$FX/two-servers-two-responses.json"
check "two servers' Patient/1, one response each: two clients" has_out "2 clients new"
tri desk "$R\n" client find "Bob Other"
check "...the orange screen's client is its own server's Patient (Bob Other)" has_out "Bob Other"

# eighth outside integrator: a GAD-7 whose every item, 68509-9 too, carries the common list's LA6570-1 "More than
# half the days" (senders that use one answer list for all seven items) was refused whole; LOINC's panel has
# LA18938-3 "More days than not" there. The same place on the same scale: taken as 2 (forms/gad7.ini
# answer_loinc_also), never written.
fresh gad7-common
items=""
for l in 69725-0 68509-9 69733-4 69734-2 69735-9 69689-8 69736-7; do
    items="$items{\"linkId\":\"$l\",\"answer\":[{\"valueCoding\":{\"system\":\"http://loinc.org\",\"code\":\"LA6570-1\"}}]},"
done
printf '{"resourceType":"QuestionnaireResponse","questionnaire":"http://loinc.org/q/69737-5","status":"completed","authored":"2026-03-10T14:00:00Z","subject":{"display":"x"},"item":[%s]}' "${items%,}" >"$tmp/gad7-common.json"
printf '{"client":{"name":"Gad Common","phone":"13800009177"},"answers":{"gad2":[0,0]}}' >"$tmp/gc.json"
tri desk "$R\n" intake new "$tmp/gc.json"
gcid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
import "$tmp/gad7-common.json" --client "$gcid"
check "GAD-7 with LA6570-1 on 68509-9: imported" has_out "imported 1 response as 1 intake"
tri admin "$P\n" export --format fhir --out "$tmp/gad7-common-out.json"
check "...68509-9 read as 2 (total 14), written back as LOINC's LA18938-3" \
    sh -c "grep -q '\"code\":\"70274-6\".*\"valueInteger\":14' '$tmp/gad7-common-out.json' && grep -q '\"linkId\":\"68509-9\",\"text\":[^]]*LA18938-3' '$tmp/gad7-common-out.json'"

# ...and a code it does not take names every code it does, LA6570-1 too (ninth outside integrator: left out)
sed 's/LA6570-1/LA9999-9/g' "$tmp/gad7-common.json" >"$tmp/gad7-bad.json"
import "$tmp/gad7-bad.json" --client "$gcid"
check "...a code it does not take: refused, listing LA18938-3 or LA6570-1 for 2" has_err "LA18938-3 or LA6570-1 (2)"

# twelfth outside integrator: (1) another questionnaire's canonical whose linkIds are triage's own ids (an AUDIT-C,
# item1 to item4 answered 0) was read as a negative ASQ and saved green; (2) a suicide item not answered in a file
# refused for another problem gave no SAFETY line (alone, the same screen is saved orange); (3) a document Bundle
# holding item 9 "nearly every day" was refused for its type alone; (4) PHQ-9 Observations alone (US Core's shape:
# its 44260-8 item Observation, tests/fixtures/fhir/import/uscore-phq9-bundle.json) with item 9 "nearly every day"
# were refused as "no QuestionnaireResponse", without a word of it.
fresh int12
pt='{"resource":{"resourceType":"Patient","id":"p1","name":[{"family":"Alpha","given":["Ann"]}]},"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000001"}'
subj='"subject":{"reference":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000001"}'
items=""; for n in 1 2 3 4; do items="$items{\"linkId\":\"item$n\",\"answer\":[{\"valueInteger\":0}]},"; done
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://example.org/Questionnaire/audit-c","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s]}}]}' \
    "$pt" "$subj" "${items%,}" >"$tmp/auditc.json"
import "$tmp/auditc.json"
check "another questionnaire's canonical with ids item1-4: not read as an ASQ, refused naming it" \
    sh -c "[ $rc -ne 0 ] && printf '%s' \"\$1\" | grep -q 'audit-c. is not a questionnaire triage scores'" _ "$err"
check "...nothing imported (no green client)" sh -c "[ -z '$(levels)' ]"
phq8=""; for l in 44250-9 44255-8 44259-0 44254-1 44251-7 44258-2 44252-5 44253-3; do
    phq8="$phq8{\"linkId\":\"$l\",\"answer\":[{\"valueCoding\":{\"system\":\"http://loinc.org\",\"code\":\"LA6568-5\"}}]},"; done
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s{"linkId":"bogus","answer":[{"valueInteger":1}]}]}}]}' \
    "$pt" "$subj" "$phq8" >"$tmp/no-item9.json"
import "$tmp/no-item9.json"
check "PHQ-9 without item 9, refused for another item: SAFETY first, item 9 not answered counts as positive" \
    sh -c "printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[1\] QuestionnaireResponse r1: phq9.item9 is not answered, a safety item not known, which counts as positive'" _ "$err"
item9='{"linkId":"44260-8","answer":[{"valueCoding":{"system":"http://loinc.org","code":"LA6571-9"}}]}'
printf '{"resourceType":"Bundle","type":"document","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}}]}' \
    "$pt" "$subj" "$phq8" "$item9" >"$tmp/document.json"
import "$tmp/document.json"
check "a document Bundle holding item 9 'nearly every day': refused for its type, SAFETY first" \
    sh -c "printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*phq9.item9 is answered .3., a positive safety item' && printf '%s' \"\$1\" | grep -q 'Bundle.type .document.'" _ "$err"
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"fullUrl":"http://example.org/fhir/Observation/PHQ9-item-example-44260-8","resource":{"resourceType":"Observation","id":"PHQ9-item-example-44260-8","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"survey"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"44260-8"}]},%s,"effectiveDateTime":"2026-03-10T14:00:00Z","valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6571-9","display":"Nearly every day"}]}}}]}' \
    "$pt" "$subj" >"$tmp/obs-only.json"
import "$tmp/obs-only.json"
check "PHQ-9 item 9 as an Observation alone, 'nearly every day': SAFETY first, then no QuestionnaireResponse" \
    sh -c "printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[1\] Observation PHQ9-item-example-44260-8: phq9.item9 (44260-8) is answered .3., a positive safety item' && printf '%s' \"\$1\" | grep -q 'no QuestionnaireResponse in the file'" _ "$err"
sed 's/LA6571-9/LA6568-5/; s/Nearly every day/Not at all/' "$tmp/obs-only.json" >"$tmp/obs-only-no.json"
import "$tmp/obs-only-no.json"
check "...'not at all': no SAFETY line" sh -c "! printf '%s' \"\$1\" | grep -q SAFETY" _ "$err"

# thirteenth outside integrator: (1) eight screens at risk in one refused file, five named and nothing said of the
# rest; (2) a negative PHQ-9 beside an Observation of item 9 "nearly every day" that belongs to no response was saved
# green; (3) an AUDIT-C with no canonical, item1-4, read as an ASQ (green, or a false red)
fresh int13
phq9_pos() { # n: a collection entry pair (Patient, PHQ-9 item 9 = 3) for patient n
    printf '{"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-0000000001%02d","resource":{"resourceType":"Patient","name":[{"family":"Many","given":["P%s"]}]}},' "$1" "$1"
    printf '{"resource":{"resourceType":"QuestionnaireResponse","id":"q%s","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z","subject":{"reference":"urn:uuid:0b1e2c3d-0000-4000-8000-0000000001%02d"},"item":[%s%s]}},' "$1" "$1" "$phq8" "$item9"
}
entries=""; for k in $(seq 1 20); do entries="$entries$(phq9_pos $k)"; done
printf '{"resourceType":"Bundle","type":"document","entry":[%s]}' "${entries%,}" >"$tmp/many.json"
import "$tmp/many.json"
named=$(printf '%s\n' "$err" | grep -c 'SAFETY: entry.*phq9.item9 is answered')
check "twenty screens at risk in a refused file: those the message holds named, then how many more ($named named)" \
    sh -c "[ $named -lt 20 ] && printf '%s' \"\$1\" | grep -q 'SAFETY: $((20 - named)) more screen(s) or Observation(s) of this file hold a suicide item'" _ "$err"
zero9='{"linkId":"44260-8","answer":[{"valueCoding":{"system":"http://loinc.org","code":"LA6568-5"}}]}'
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}},{"resource":{"resourceType":"Observation","id":"o9","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44260-8"}]},%s,"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6571-9"}]}}}]}' \
    "$pt" "$subj" "$phq8" "$zero9" "$subj" >"$tmp/orphan.json"
import "$tmp/orphan.json"
check "a negative PHQ-9 beside an item 9 Observation of no response, 'nearly every day': refused, SAFETY first" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[2\] Observation o9: phq9.item9 (44260-8) is answered .3.' && printf '%s' \"\$1\" | grep -q 'belongs to no response of this file'" _ "$err"
check "...nothing imported (no green client)" sh -c "[ -z '$(levels)' ]"
sed 's/"code":"LA6571-9"/"code":"LA6568-5"/' "$tmp/orphan.json" >"$tmp/orphan-no.json"
import "$tmp/orphan-no.json"
check "...the same Observation 'not at all': imported, no SAFETY line" has_out "imported 1 response"
items=""; for n in 1 2 3 4; do items="$items{\"linkId\":\"item$n\",\"answer\":[{\"valueInteger\":1}]},"; done
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s]}}]}' \
    "$pt" "$subj" "${items%,}" >"$tmp/nocanon.json"
import "$tmp/nocanon.json"
check "no canonical, linkIds item1-4 (an AUDIT-C's): no instrument of triage's, refused (not a false red ASQ)" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | grep -q 'is not a questionnaire triage scores'" _ "$err"

# fourteenth outside integrator: (1) an item 9 Observation derived from a GAD-7 (no item 9 there) was dropped and the
# client saved green; (2) an Observation with two answer Codings was read by its first; (3) the nine PHQ-9 items and one
# more, no canonical, item 9 "nearly every day": refused with nothing said of the risk
fresh int14
gad7=""; for l in 69725-0 68509-9 69733-4 69734-2 69735-9 69689-8 69736-7; do
    gad7="$gad7{\"linkId\":\"$l\",\"answer\":[{\"valueCoding\":{\"system\":\"http://loinc.org\",\"code\":\"LA6568-5\"}}]},"; done
obs() { # id derivedFrom-reference codings
    printf '{"resource":{"resourceType":"Observation","id":"%s","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44260-8"}]},%s,"derivedFrom":[{"reference":"%s"}],"valueCodeableConcept":{"coding":[%s]}}}' "$1" "$subj" "$2" "$3"
}
la() { printf '{"system":"http://loinc.org","code":"%s"}' "$1"; }
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000201","resource":{"resourceType":"QuestionnaireResponse","questionnaire":"http://loinc.org/q/69737-5","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s]}},%s]}' \
    "$pt" "$subj" "${gad7%,}" "$(obs o9 urn:uuid:0b1e2c3d-0000-4000-8000-000000000201 "$(la LA6571-9)")" >"$tmp/gad7-obs9.json"
import "$tmp/gad7-obs9.json"
check "an item 9 Observation derived from a GAD-7 (which asks no item 9), 'nearly every day': refused, SAFETY first" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[2\] Observation o9: phq9.item9 (44260-8) is answered .3.'" _ "$err"
check "...nothing imported (no green client)" sh -c "[ -z '$(levels)' ]"
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000202","resource":{"resourceType":"QuestionnaireResponse","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}},%s]}' \
    "$pt" "$subj" "$phq8" "$zero9" "$(obs o9 urn:uuid:0b1e2c3d-0000-4000-8000-000000000202 "$(la LA6568-5),$(la LA6571-9)")" >"$tmp/two-codings.json"
import "$tmp/two-codings.json"
check "an item 9 Observation with two Codings, 'not at all' then 'nearly every day': not known, SAFETY first" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*phq9.item9 is answered .not readable (below)., a safety item not known'" _ "$err"
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s,{"linkId":"extra","answer":[{"valueInteger":1}]}]}}]}' \
    "$pt" "$subj" "$phq8" "$item9" >"$tmp/extra-item.json"
import "$tmp/extra-item.json"
check "no canonical, the PHQ-9 items and one more, item 9 'nearly every day': refused, its SAFETY line first" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[1\] QuestionnaireResponse r1: 44260-8 (phq9.item9, in a questionnaire triage does not score) is answered .3.'" _ "$err"
sed 's/"LA6571-9"/"LA6568-5"/' "$tmp/extra-item.json" >"$tmp/extra-item-no.json"
import "$tmp/extra-item-no.json"
check "...item 9 'not at all': refused, no SAFETY line" sh -c "[ $rc -eq 2 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$err"

# fifteenth outside integrator: an item 9 Observation coded [44250-9, 44260-8] was read as item 1, and one coded
# 44260-8 with no system was not read: item 9 "nearly every day" beside a negative PHQ-9, saved green
fresh int15
obs_code() { # coding-array
    printf '{"resource":{"resourceType":"Observation","id":"o9","status":"final","code":{"coding":[%s]},%s,"valueInteger":3}}' "$1" "$subj"
}
for codes in '{"system":"http://loinc.org","code":"44250-9"},{"system":"http://loinc.org","code":"44260-8"}' '{"code":"44260-8"}'; do
    printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}},%s]}' \
        "$pt" "$subj" "$phq8" "$zero9" "$(obs_code "$codes")" >"$tmp/obs-code.json"
    import "$tmp/obs-code.json"
    check "an item 9 Observation coded [$codes], 3, beside a negative PHQ-9: refused, SAFETY first" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[2\] Observation o9: phq9.item9 (44260-8) is answered .3.'" _ "$err"
done

# the rest of the fifteenth outside integrator's shapes, each beside a negative PHQ-9 (saved green before): item 9 given
# only as a panel Observation's component; an Observation code with blanks around it, or LOINC's system spelt with a
# trailing "/", https or LOINC's OID; an Observation code whose ordinalValue says another value
fresh int15b
for codes in '{"system":"http://loinc.org/","code":"44260-8"}' '{"system":"urn:oid:2.16.840.1.113883.6.1","code":"44260-8"}' '{"system":"http://loinc.org","code":" 44260-8 "}'; do
    printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}},%s]}' \
        "$pt" "$subj" "$phq8" "$zero9" "$(obs_code "$codes")" >"$tmp/obs-code.json"
    import "$tmp/obs-code.json"
    check "an item 9 Observation coded [$codes], 3, beside a negative PHQ-9: refused, SAFETY first" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[2\] Observation o9: phq9.item9 (44260-8) is answered .3.'" _ "$err"
done
panel() { # derivedFrom-or-empty item9-value: a PHQ-9 panel Observation with its items as components
    comps=""; for l in 44250-9 44255-8 44259-0 44254-1 44251-7 44258-2 44252-5 44253-3; do
        comps="$comps{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"$l\"}]},\"valueInteger\":0},"; done
    printf '{"resource":{"resourceType":"Observation","id":"panel","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44249-1"}]},%s%s"component":[%s{"code":{"coding":[{"system":"http://loinc.org","code":"44260-8"}]},"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"%s"}]}}]}}' \
        "$subj" "$1" "$comps" "$2"
}
for derived in ',"derivedFrom":[{"reference":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000301"}],' ','; do
    printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000301","resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}},%s]}' \
        "$pt" "$subj" "$phq8" "$zero9" "$(panel "$derived" LA6571-9)" >"$tmp/panel.json"
    import "$tmp/panel.json"
    check "a PHQ-9 panel Observation ($derived) whose component item 9 is 'nearly every day', beside a negative PHQ-9: refused, SAFETY first naming the component" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*phq9.item9.*\(not readable\|.3.\)' && printf '%s' \"\$1\" | grep -q 'entry\[2\] Observation panel component\[8\]'" _ "$err"
    check "...nothing imported (no green client)" sh -c "[ -z '$(levels)' ]"
done
sed 's/"code":"LA6571-9"/"code":"LA6568-5"/' "$tmp/panel.json" >"$tmp/panel-no.json"
import "$tmp/panel-no.json"
check "...its component item 9 'not at all': no SAFETY line" sh -c "! printf '%s' \"\$1\" | grep -q SAFETY" _ "$err"
ordinal='{"system":"http://loinc.org","code":"LA6568-5","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/ordinalValue","valueDecimal":3}]}'
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000302","resource":{"resourceType":"QuestionnaireResponse","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}},%s]}' \
    "$pt" "$subj" "$phq8" "$zero9" "$(obs o9 urn:uuid:0b1e2c3d-0000-4000-8000-000000000302 "$ordinal")" >"$tmp/obs-ordinal.json"
import "$tmp/obs-ordinal.json"
check "an item 9 Observation coded 'not at all' whose ordinalValue says 3: not known, SAFETY first" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*phq9.item9 is answered .not readable (below)., a safety item not known'" _ "$err"

# ...and files that are no Bundle of screens: one Observation, a Bundle inside the Bundle, a Parameters wrapper. Each
# is refused, and a positive item 9 in it is said first
fresh int15c
printf '{"resourceType":"Observation","id":"lone","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44260-8"}]},"valueInteger":3}' >"$tmp/lone.json"
import "$tmp/lone.json"
check "one Observation of item 9, 3, as the whole file: refused, SAFETY first" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: Observation lone: phq9.item9 (44260-8) is answered .3.' && printf '%s' \"\$1\" | grep -q 'resourceType .Observation.: expected a Bundle or a QuestionnaireResponse'" _ "$err"
inner=$(printf '{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}}' "$subj" "$phq8" "$item9")
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"Bundle","type":"collection","entry":[%s]}}]}' "$pt" "$inner" >"$tmp/nested.json"
import "$tmp/nested.json"
check "a PHQ-9 with item 9 'nearly every day' inside a Bundle inside the Bundle: refused, SAFETY first, the nesting named" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[1\] QuestionnaireResponse r1: phq9.item9 is answered .3.' && printf '%s' \"\$1\" | grep -q 'entry\[1\] is a Bundle inside the file.s Bundle'" _ "$err"
check "...nothing imported" sh -c "[ -z '$(levels)' ]"
printf '{"resourceType":"Parameters","parameter":[{"name":"response","resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z","item":[%s%s]}}]}' "$phq8" "$item9" >"$tmp/params.json"
import "$tmp/params.json"
check "the same PHQ-9 in a Parameters wrapper: refused, SAFETY first" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: QuestionnaireResponse r1: phq9.item9 is answered .3.' && printf '%s' \"\$1\" | grep -q 'resourceType .Parameters.'" _ "$err"

# a refusal with more problems than its message holds lists whole lines and says how many are not listed (it was cut
# mid-line at 4 KB, without a count)
entries=""; for k in $(seq 1 60); do
    entries="$entries{\"resource\":{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"bad$k\",\"questionnaire\":\"http://loinc.org/q/44249-1\",\"status\":\"completed\",$subj,\"item\":[{\"linkId\":\"44250-9\",\"answer\":[{\"valueInteger\":7}]}]}},"; done
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,%s]}' "$pt" "${entries%,}" >"$tmp/many-bad.json"
import "$tmp/many-bad.json"
last=$(printf '%s\n' "$err" | tail -n 1)
check "sixty bad responses: the last line counts the problems and those not listed ($last)" \
    sh -c "printf '%s' \"\$1\" | grep -q '^[0-9][0-9]* problems: nothing was imported ([0-9][0-9]* not listed: the message is full'" _ "$last"
check "...every problem line listed is whole (each ends as this one does, 'refused)')" \
    sh -c "printf '%s\n' \"\$1\" | grep -q '^entry' && ! printf '%s\n' \"\$1\" | grep '^entry' | grep -vq 'refused)$'" _ "$err"

# sixteenth outside integrator, each beside a negative PHQ-9 (item 9 "not at all"), each saved green before: resources
# under `contained`; an ordinalValue as valueInteger, or two that disagree; an Observation with two values, or a value
# and a dataAbsentReason; LOINC's system spelt another way; a code with a no-break or zero-width space; a coding
# written as an object, an entry without `resource`, a resourceType misspelt
fresh int16
q_neg() { # [extra fields of the response]
    printf '{"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000401","resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,%s"item":[%s%s]}}' "$subj" "${1:-}" "$phq8" "$zero9"
}
bundle() { printf '{"resourceType":"Bundle","type":"collection","entry":[%s,%s]}' "$pt" "$1"; }
refused_safety() { # name file
    import "$2"
    check "$1: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*\(44260-8\|item9\)'" _ "$err"
}
code9='{"coding":[{"system":"http://loinc.org","code":"44260-8"}]}'
o9() { # value-fields [code-fields]
    printf '{"resource":{"resourceType":"Observation","id":"o9","status":"final","code":%s,%s,"derivedFrom":[{"reference":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000401"}],%s}}' \
        "${2:-$code9}" "$subj" "$1"
}
c9='{"resourceType":"Observation","id":"c9","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44260-8"}]},"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6571-9"}]}}'
bundle "$(q_neg "\"contained\":[$c9],")" >"$tmp/i16-contained.json"
refused_safety "an item 9 Observation 'nearly every day' contained in the negative PHQ-9" "$tmp/i16-contained.json"
check "...nothing imported" sh -c "[ -z '$(levels)' ]"
gad7c=""; for l in 69725-0 68509-9 69733-4 69734-2 69735-9 69689-8 69736-7; do
    gad7c="$gad7c{\"linkId\":\"$l\",\"answer\":[{\"valueCoding\":{\"system\":\"http://loinc.org\",\"code\":\"LA6568-5\"}}]},"; done
posq=$(printf '{"resourceType":"QuestionnaireResponse","id":"inner","questionnaire":"http://loinc.org/q/44249-1","status":"completed","item":[%s%s]}' "$phq8" "$item9")
bundle "$(printf '{"resource":{"resourceType":"QuestionnaireResponse","id":"g7","questionnaire":"http://loinc.org/q/69737-5","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"contained":[%s],"item":[%s]}}' "$subj" "$posq" "${gad7c%,}")" >"$tmp/i16-contained-qr.json"
refused_safety "a positive PHQ-9 contained in a GAD-7" "$tmp/i16-contained-qr.json"
check "...the screen inside another resource named" has_err "contains a QuestionnaireResponse"
ordint='{"linkId":"44260-8","answer":[{"valueCoding":{"system":"http://loinc.org","code":"LA6568-5","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/ordinalValue","valueInteger":3}]}}]}'
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}}]}' \
    "$pt" "$subj" "$phq8" "$ordint" >"$tmp/i16-ordint.json"
refused_safety "item 9 'not at all' with an ordinalValue given as valueInteger 3" "$tmp/i16-ordint.json"
two_ords='"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/ordinalValue","valueDecimal":0},{"url":"http://hl7.org/fhir/StructureDefinition/ordinalValue","valueDecimal":3}]}]}'
la0='"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5"}]}'
for v in "$two_ords" "$la0,\"valueQuantity\":{\"value\":3}" "$la0,\"valueString\":\"Nearly every day\"" \
    '"valueInteger":0,"dataAbsentReason":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/data-absent-reason","code":"asked-declined"}]}'; do
    bundle "$(q_neg),$(o9 "$v")" >"$tmp/i16-obs.json"
    refused_safety "an item 9 Observation derived from it saying two things ($(printf '%s' "$v" | cut -c1-60)...)" "$tmp/i16-obs.json"
done
for sys in http://www.loinc.org HTTP://LOINC.ORG 2.16.840.1.113883.6.1 loinc.org; do
    bundle "$(q_neg),$(o9 '"valueInteger":3' "{\"coding\":[{\"system\":\"$sys\",\"code\":\"44260-8\"}]}")" >"$tmp/i16-sys.json"
    refused_safety "an item 9 Observation, 3, system $sys" "$tmp/i16-sys.json"
done
for code in '\u00a044260-8' '\u200b44260-8' '44260-8\ufeff'; do
    bundle "$(q_neg),$(o9 '"valueInteger":3' "{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"$code\"}]}")" >"$tmp/i16-blank.json"
    refused_safety "an item 9 Observation, 3, code $code" "$tmp/i16-blank.json"
done
bundle "$(q_neg),$(o9 '"valueInteger":3' '{"coding":{"system":"http://loinc.org","code":"44260-8"}}')" >"$tmp/i16-object.json"
refused_safety "an item 9 Observation, 3, its coding an object, not an array" "$tmp/i16-object.json"
check "...named as a shape triage does not read" has_err "names 44260-8 (phq9.item9) in a shape triage does not read"
bundle "$(q_neg),$(o9 '"valueInteger":3' | sed 's/^{"resource":\(.*\)}$/\1/')" >"$tmp/i16-flat.json"
refused_safety "an item 9 Observation, 3, written into the entry without 'resource'" "$tmp/i16-flat.json"
check "...the entry without a resource named" has_err "entry\[2\]: no resource"
bundle "$(q_neg),$(o9 '"valueInteger":3' | sed 's/"resourceType":"Observation"/"resourceType":"observation"/')" >"$tmp/i16-rt.json"
refused_safety "an item 9 Observation, 3, resourceType 'observation'" "$tmp/i16-rt.json"
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
bundle "$(q_neg),$(o9 '"valueQuantity":{"value":0}')" >"$tmp/i16-q0.json"
import "$tmp/i16-q0.json"
check "an item 9 Observation valueQuantity 0 agreeing with the response: imported, no SAFETY line (it was 'not readable')" \
    sh -c "[ $rc -eq 0 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$err"
fresh int16b
bundle "$(q_neg),{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"v9\",\"status\":\"entered-in-error\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"44260-8\"}]},$subj,\"valueInteger\":3}}" >"$tmp/i16-voided.json"
refused_safety "a voided (entered-in-error) item 9 Observation of no response, 3" "$tmp/i16-voided.json"
check "...the message says it is voided, and what to do" has_err "status entered-in-error: if it was voided rightly, take it out of the file"

# seventeenth outside integrator, each beside the negative PHQ-9, each saved green (or refused without a word) before:
# a Quantity with a comparator; a data-absent-reason extension beside a value; `contained` written as an object, a
# contained resourceType misspelt, a coding as a string, an entry as a string; a code with an en dash, a minus sign or
# full-width digits; an ordinalValue under https or DSTU2's url; a GAD-7 carrying item 9
fresh int17
for v in '"valueQuantity":{"value":0,"comparator":">"}' '"valueInteger":0,"_valueInteger":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"asked-declined"}]}' \
    '"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5"}],"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"asked-declined"}]}' \
    '"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5","extension":[{"url":"https://hl7.org/fhir/StructureDefinition/ordinalValue","valueDecimal":3}]}]}' \
    '"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/iso21090-CO-value","valueDecimal":3}]}]}'; do
    bundle "$(q_neg),$(o9 "$v")" >"$tmp/i17-obs.json"
    refused_safety "an item 9 Observation derived from it: $(printf '%s' "$v" | cut -c1-70)..." "$tmp/i17-obs.json"
done
dar9='{"linkId":"44260-8","answer":[{"valueCoding":{"system":"http://loinc.org","code":"LA6568-5"},"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"asked-declined"}]}]}'
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}}]}' \
    "$pt" "$subj" "$phq8" "$dar9" >"$tmp/i17-dar.json"
refused_safety "item 9 'not at all' with a data-absent-reason extension beside it (asked-declined)" "$tmp/i17-dar.json"
q9='{"linkId":"44260-8","answer":[{"valueQuantity":{"value":0,"comparator":">"}}]}'
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}}]}' \
    "$pt" "$subj" "$phq8" "$q9" >"$tmp/i17-gt.json"
refused_safety "item 9 answered valueQuantity '>0'" "$tmp/i17-gt.json"
c9int='{"resourceType":"Observation","id":"c9","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44260-8"}]},"valueInteger":3}'
bundle "$(q_neg "\"contained\":$c9int,")" >"$tmp/i17-cobj.json"
refused_safety "an item 9 Observation, 3, under a 'contained' written as an object" "$tmp/i17-cobj.json"
bundle "$(q_neg "\"contained\":[$(printf '%s' "$c9int" | sed 's/"Observation"/"Obervation"/')],")" >"$tmp/i17-cmis.json"
refused_safety "a contained 'Obervation' of item 9, 3" "$tmp/i17-cmis.json"
bundle "$(q_neg),$(o9 '"valueInteger":3' '{"coding":"44260-8"}')" >"$tmp/i17-cstr.json"
refused_safety "an item 9 Observation, 3, its coding a string" "$tmp/i17-cstr.json"
bundle "$(q_neg),$(printf '%s' "$c9int" | sed 's/"/\\"/g; s/^/"/; s/$/"/')" >"$tmp/i17-estr.json"
refused_safety "an entry that is a string holding an item 9 Observation, 3" "$tmp/i17-estr.json"
for code in '44260\u20138' '44260\u22128' '\uff14\uff14\uff12\uff16\uff10-\uff18'; do
    bundle "$(q_neg),$(o9 '"valueInteger":3' "{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"$code\"}]}")" >"$tmp/i17-dash.json"
    refused_safety "an item 9 Observation, 3, code $code" "$tmp/i17-dash.json"
done
gad7p=""; for l in 69725-0 68509-9 69733-4 69734-2 69735-9 69689-8 69736-7; do
    gad7p="$gad7p{\"linkId\":\"$l\",\"answer\":[{\"valueCoding\":{\"system\":\"http://loinc.org\",\"code\":\"LA6568-5\"}}]},"; done
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"g7","questionnaire":"http://loinc.org/q/69737-5","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}}]}' \
    "$pt" "$subj" "$gad7p" "$item9" >"$tmp/i17-gad9.json"
import "$tmp/i17-gad9.json"
check "a GAD-7 carrying item 9 (44260-8) 'nearly every day': refused, SAFETY first naming it not an item of gad7" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[1\] QuestionnaireResponse g7: 44260-8 (phq9.item9, not an item of gad7) is answered .3.'" _ "$err"
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"

# eighteenth outside integrator: (false alarm) the US Core Bundle with the IG's narrative naming its item 9 Observation
# was refused as an item 9 not known; and, beside the negative PHQ-9, saved green: a modifierExtension; the
# data-absent-reason on the component, on the Observation, or under a versioned url; an ordinalValue under STU3's url,
# www., a version, or on the response's item; a soft hyphen or Arabic-Indic digits in the code
fresh int18
python3 - "$FX/uscore-phq9-bundle.json" "$tmp/i18-narr.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
for e in b["entry"]:
    r = e["resource"]
    if r["resourceType"] == "Observation":
        r["text"] = {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"Observation-PHQ9-item-example-44260-8.html\">Observation PHQ9-item-example-44260-8</a> (44260-8)</div>"}
        for m in r.get("hasMember", []): m["display"] = "PHQ-9 item 9 (LOINC 44260-8)"
json.dump(b, open(sys.argv[2], "w"))
PY
import "$tmp/i18-narr.json"
check "US Core's PHQ-9 Bundle with narratives and displays naming 44260-8: imported, no SAFETY line (a false alarm)" \
    sh -c "[ $rc -eq 0 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$err"
fresh int18b
for v in '"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5"}]},"modifierExtension":[{"url":"http://example.org/not-asked","valueBoolean":true}]' \
    '"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5"}]},"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"asked-declined"}]' \
    '"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5"}],"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason|4.0.1","valueCode":"asked-declined"}]}' \
    '"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/questionnaire-ordinalValue","valueDecimal":3}]}]}' \
    '"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5","extension":[{"url":"http://www.hl7.org/fhir/StructureDefinition/ordinalValue/","valueDecimal":3}]}]}'; do
    bundle "$(q_neg),$(o9 "$v")" >"$tmp/i18-obs.json"
    refused_safety "an item 9 Observation derived from it: $(printf '%s' "$v" | cut -c60-140)..." "$tmp/i18-obs.json"
done
for answer9 in '{"linkId":"44260-8","answer":[{"valueCoding":{"system":"http://loinc.org","code":"LA6568-5"},"modifierExtension":[{"url":"http://example.org/x","valueBoolean":true}]}]}' \
    '{"linkId":"44260-8","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/ordinalValue","valueDecimal":3}],"answer":[{"valueCoding":{"system":"http://loinc.org","code":"LA6568-5"}}]}'; do
    printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s%s]}}]}' \
        "$pt" "$subj" "$phq8" "$answer9" >"$tmp/i18-qr.json"
    refused_safety "item 9 'not at all' beside $(printf '%s' "$answer9" | cut -c20-80)..." "$tmp/i18-qr.json"
done
for code in '44260\u00ad8' '\u0664\u0664\u0662\u0666\u0660-\u0668'; do
    bundle "$(q_neg),$(o9 '"valueInteger":3' "{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"$code\"}]}")" >"$tmp/i18-code.json"
    refused_safety "an item 9 Observation, 3, code $code" "$tmp/i18-code.json"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"

# nineteenth outside integrator, beside the negative PHQ-9, saved green: a modifierExtension on the panel whose
# component states item 9, or on the response's Bundle entry; implicitRules on the item 9 Observation; superscript
# digits in its code; R5's cross-version itemWeight 3 on "not at all"
fresh int19
comp_la0='{"code":{"coding":[{"system":"http://loinc.org","code":"44260-8"}]},"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5"}]}}'
bundle "$(q_neg),{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"panel\",\"status\":\"final\",\"modifierExtension\":[{\"url\":\"http://example.org/x\",\"valueBoolean\":true}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"44249-1\"}]},$subj,\"derivedFrom\":[{\"reference\":\"urn:uuid:0b1e2c3d-0000-4000-8000-000000000401\"}],\"component\":[$comp_la0]}}" >"$tmp/i19-panel.json"
refused_safety "a panel with a modifierExtension, its component item 9 'not at all'" "$tmp/i19-panel.json"
bundle "$(q_neg | sed 's/^{/{"modifierExtension":[{"url":"http:\/\/example.org\/x","valueBoolean":true}],/'),$(o9 '"valueInteger":0')" >"$tmp/i19-entry.json"
import "$tmp/i19-entry.json"
check "a response's entry with a modifierExtension: refused naming it" has_err "a modifierExtension triage does not know"
bundle "$(q_neg),$(o9 '"implicitRules":"http://example.org/rules","valueInteger":0')" >"$tmp/i19-rules.json"
refused_safety "an item 9 Observation 0 with implicitRules" "$tmp/i19-rules.json"
bundle "$(q_neg),$(o9 '"valueInteger":3' '{"coding":[{"system":"http://loinc.org","code":"\u2074\u2074\u00b2\u2076\u2070-\u2078"}]}')" >"$tmp/i19-sup.json"
refused_safety "an item 9 Observation, 3, its code in superscript digits" "$tmp/i19-sup.json"
bundle "$(q_neg),$(o9 '"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA6568-5","extension":[{"url":"http://hl7.org/fhir/5.0/StructureDefinition/extension-Coding.itemWeight","valueDecimal":3}]}]}')" >"$tmp/i19-xver.json"
refused_safety "an item 9 Observation 'not at all' with R5's cross-version itemWeight 3" "$tmp/i19-xver.json"
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"

# twentieth outside integrator: a modifierExtension on the response's Bundle entry refused the file without a SAFETY
# line; implicitRules on the response was ignored (green); dingbat and double-circled digits in the code (green)
fresh int20
bundle "$(q_neg | sed 's/^{/{"modifierExtension":[{"url":"http:\/\/example.org\/x","valueBoolean":true}],/')" >"$tmp/i20-entry.json"
refused_safety "a response's entry with a modifierExtension" "$tmp/i20-entry.json"
bundle "$(q_neg '"implicitRules":"http://example.org/rules",')" >"$tmp/i20-rules.json"
refused_safety "a response with implicitRules" "$tmp/i20-rules.json"
bundle "$(q_neg),$(o9 '"valueInteger":3' '{"coding":[{"system":"http://loinc.org","code":"\u2783\u2783\u2781\u2785\u24ff-\u2787"}]}')" >"$tmp/i20-dingbat.json"
refused_safety "an item 9 Observation, 3, its code in dingbat circled digits" "$tmp/i20-dingbat.json"
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"

# twenty-first outside integrator: a PHQ-9 answered under an EHR's own linkIds (q1..q9) that a Questionnaire of the
# file codes with LOINC (an entry named by its url, contained as "#id", or contained with no canonical), or whose
# items' definition names LOINC's item; an ASQ under a contained copy of triage's own Questionnaire, its https
# canonical, or no canonical with triage's answer codes: each was refused as "not a questionnaire triage scores",
# item 9 "nearly every day" or a positive ASQ with no SAFETY line. Now read as the form they are.
fresh int21
qitems=""; ritems=""; k=0
for l in 44250-9 44255-8 44259-0 44254-1 44251-7 44258-2 44252-5 44253-3 44260-8; do
    k=$((k + 1)); a=LA6568-5; [ $k -eq 9 ] && a=LA6571-9
    qitems="$qitems{\"linkId\":\"q$k\",\"type\":\"choice\",\"code\":[{\"system\":\"http://loinc.org\",\"code\":\"$l\"}]},"
    ritems="$ritems{\"linkId\":\"q$k\",\"answer\":[{\"valueCoding\":{\"system\":\"http://loinc.org\",\"code\":\"$a\"}}]},"
    ditems="${ditems:-}{\"linkId\":\"q$k\",\"definition\":\"http://loinc.org/q/44249-1#$l\",\"answer\":[{\"valueCoding\":{\"system\":\"http://loinc.org\",\"code\":\"$a\"}}]},"
done
ehrq="{\"resourceType\":\"Questionnaire\",\"id\":\"phqdef\",\"url\":\"http://ehr.example.org/fhir/Questionnaire/phq9\",\"status\":\"active\",\"item\":[${qitems%,}]}"
ehr_qr() { # canonical-field contained-field items
    printf '{"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000421","resource":{"resourceType":"QuestionnaireResponse","id":"r21",%s"status":"completed","authored":"2026-03-10T14:00:00Z",%s,%s"item":[%s]}}' "$1" "$subj" "$2" "$3"
}
ehr_orange() { # name file
    import "$2"
    check "$1: imported at orange" sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'orange ' ]"
    n21=$((n21 + 1)); fresh "int21-$n21"
}
n21=0
bundle "{\"resource\":$ehrq},$(ehr_qr '"questionnaire":"http://ehr.example.org/fhir/Questionnaire/phq9",' '' "${ritems%,}")" >"$tmp/i21-entry.json"
ehr_orange "an EHR's PHQ-9 (q1..q9) under its Questionnaire, an entry of the file" "$tmp/i21-entry.json"
bundle "$(ehr_qr '"questionnaire":"#phqdef",' "\"contained\":[$ehrq]," "${ritems%,}")" >"$tmp/i21-contained.json"
ehr_orange "...its Questionnaire contained, named #phqdef" "$tmp/i21-contained.json"
bundle "$(ehr_qr '' "\"contained\":[$ehrq]," "${ritems%,}")" >"$tmp/i21-noref.json"
ehr_orange "...its Questionnaire contained, no canonical" "$tmp/i21-noref.json"
bundle "$(ehr_qr '"questionnaire":"http://ehr.example.org/fhir/Questionnaire/phq9",' '' "${ditems%,}")" >"$tmp/i21-def.json"
ehr_orange "...each item's definition naming LOINC's item, another canonical" "$tmp/i21-def.json"
# the controls: the same EHR response with no Questionnaire and no definition is still refused, SAFETY first (its
# linkIds say nothing), and item 9 "not at all" under its Questionnaire is green
bundle "$(ehr_qr '"questionnaire":"http://ehr.example.org/fhir/Questionnaire/phq9",' '' "${ritems%,}")" >"$tmp/i21-none.json"
import "$tmp/i21-none.json"
check "...with no Questionnaire nor definition: still refused (q1..q9 name nothing)" sh -c "[ $rc -eq 2 ] && [ -z '$(levels)' ]"
bundle "{\"resource\":$ehrq},$(ehr_qr '"questionnaire":"http://ehr.example.org/fhir/Questionnaire/phq9",' '' "$(printf '%s' "${ritems%,}" | sed 's/LA6571-9/LA6568-5/')")" >"$tmp/i21-neg.json"
import "$tmp/i21-neg.json"
check "...item 9 'not at all' under its Questionnaire: green" sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'green ' ]"
fresh int21-asq
tri admin "$P\n" forms export --fhir "$tmp/qs" >/dev/null 2>&1
asqq=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['id']='asqdef'; print(json.dumps(d))" "$tmp/qs/asq.json")
asq_items=""; k=0
for a in yes no no no no; do k=$((k + 1))
    asq_items="$asq_items{\"linkId\":\"item$k\",\"answer\":[{\"valueCoding\":{\"system\":\"urn:triage:answers:asq\",\"code\":\"$a\"}}]},"
done
bundle "$(ehr_qr '"questionnaire":"#asqdef",' "\"contained\":[$asqq]," "${asq_items%,}")" >"$tmp/i21-asq-contained.json"
ehr_orange "an ASQ (item 1 yes) under a contained copy of triage's own Questionnaire" "$tmp/i21-asq-contained.json"
canon=$(grep -o '"url": *"[^"]*"' "$tmp/qs/asq.json" | head -n 1 | sed 's/.*"\(http[^"]*\)"/\1/')
bundle "$(ehr_qr "\"questionnaire\":\"$(printf '%s' "$canon" | sed 's/^http:/https:/')|1.0\"," '' "${asq_items%,}")" >"$tmp/i21-asq-https.json"
ehr_orange "...under its canonical spelt https, with a version" "$tmp/i21-asq-https.json"
bundle "$(ehr_qr '' '' "${asq_items%,}")" >"$tmp/i21-asq-local.json"
ehr_orange "...with no canonical, every answer in triage's own ASQ codes" "$tmp/i21-asq-local.json"
# a byte-order mark before the JSON (a Windows tool's): read, not "not valid JSON"; item 9 "nearly every day"
# nested past the parser's depth, a trailing comma, or the file in UTF-16: refused, SAFETY first; a file larger than
# the import takes that names 44260-8: the same
bundle "$(q_neg)" | sed 's/LA6568-5"}}]}]}}/LA6571-9"}}]}]}}/' >"$tmp/i21-pos.json"
printf '\357\273\277' | cat - "$tmp/i21-pos.json" >"$tmp/i21-bom.json"
ehr_orange "a file with a byte-order mark, item 9 'nearly every day'" "$tmp/i21-bom.json"
python3 -c "
import json,sys
sys.setrecursionlimit(100000)
d=json.load(open(sys.argv[1])); qr=d['entry'][1]['resource']; it=qr['item']
inner={'linkId':'44260-8','answer':[{'valueCoding':{'system':'http://loinc.org','code':'LA6571-9'}}]}
for k in range(3000): inner={'linkId':'g%d'%k,'item':[inner]}
qr['item']=it[:8]+[inner]
open(sys.argv[2],'w').write(json.dumps(d))
open(sys.argv[3],'w',encoding='utf-16').write(open(sys.argv[1]).read())
" "$tmp/i21-pos.json" "$tmp/i21-deep.json" "$tmp/i21-utf16.json"
sed 's/\]}}\]}$/]}},]}/' "$tmp/i21-pos.json" >"$tmp/i21-comma.json"
for f in deep comma utf16; do
    import "$tmp/i21-$f.json"
    check "item 9 'nearly every day' in a file that cannot be read ($f): SAFETY first, then why" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: the file names 44260-8 (phq9.item9)' && printf '%s' \"\$1\" | grep -q 'not valid JSON'" _ "$err"
done
{ cat "$tmp/i21-pos.json"; head -c 4200000 /dev/zero | tr '\0' ' '; } >"$tmp/i21-big.json"
import "$tmp/i21-big.json"
check "...in a file larger than the import takes: SAFETY first, then 'larger than'" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q '^SAFETY: the file names 44260-8' && printf '%s' \"\$1\" | grep -q 'larger than'" _ "$err"
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
# a Patient's name longer than a client's may be was refused as "query: longer than 400 bytes", naming nothing; given
# names past 200 bytes were cut silently
long=$(printf 'x%.0s' $(seq 401))
printf '%s' "$(bundle "$(q_neg)")" | sed "s/\"family\":\"Alpha\"/\"family\":\"$long\"/" >"$tmp/i21-long.json"
import "$tmp/i21-long.json"
check "a Patient's name of 401 bytes: refused naming the Patient's name and the limit" has_err "its Patient's name is longer than 400 bytes"

# twenty-second outside integrator: the file's own definitions turned against it. Two Questionnaires of one url that
# disagree (the first in the file was taken), a linkId "44260-8" its Questionnaire codes 44250-9, an item whose code
# and definition disagree, codes swapped between q1 and q9 (out of the instrument's order): each imported item 9
# "nearly every day" green; a group coded 44260-8 around an uncoded question, q9 left uncoded beside eight coded
# items, a file cut off before its end: refused with no SAFETY line. Now each is refused, SAFETY first; a pinned
# version takes its Questionnaire, and two that agree read as one.
fresh int22
python3 - "$tmp" <<'PY'
import json, sys, copy
out = sys.argv[1]
codes = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
pt = {"fullUrl": "urn:uuid:0b1e2c3d-0000-4000-8000-000000000001",
      "resource": {"resourceType": "Patient", "id": "p1", "name": [{"family": "Alpha", "given": ["Ann"]}]}}
def q(qid, url, code_of, version=None, extra=None):
    r = {"resourceType": "Questionnaire", "id": qid, "status": "active", "url": url,
         "item": [{"linkId": "q%d" % (k + 1), "type": "choice",
                   "code": [{"system": "http://loinc.org", "code": code_of[k]}]} for k in range(9) if code_of[k]]}
    if version: r["version"] = version
    if extra: extra(r)
    return r
def qr(canon, nine="LA6571-9", contained=None, link9="q9"):
    items = [{"linkId": "q%d" % (k + 1), "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6568-5"}}]}
             for k in range(8)]
    items.append({"linkId": link9, "answer": [{"valueCoding": {"system": "http://loinc.org", "code": nine}}]})
    r = {"resourceType": "QuestionnaireResponse", "id": "r22", "status": "completed", "authored": "2026-03-10T14:00:00Z",
         "subject": {"reference": pt["fullUrl"]}, "item": items}
    if canon: r["questionnaire"] = canon
    if contained: r["contained"] = contained
    return r
def bundle(name, *res):
    b = {"resourceType": "Bundle", "type": "collection",
         "entry": [pt] + [{"fullUrl": "urn:uuid:0b1e2c3d-0000-4000-8000-%012d" % (100 + k), "resource": r}
                          for k, r in enumerate(res)]}
    open("%s/i22-%s.json" % (out, name), "w").write(json.dumps(b))
url = "http://ehr.example.org/fhir/Questionnaire/phq"
swapped = [codes[8]] + codes[1:8] + [codes[0]]
bundle("two-urls", q("a", url, swapped), q("b", url, codes), qr(url))
bundle("two-urls-pinned", q("a", url, swapped, "1"), q("b", url, codes, "2"), qr(url + "|2"))
bundle("two-agree", q("a", url, codes), q("b", url, codes), qr(url))
bundle("collide", q("a", url, codes, extra=lambda r: r["item"].append(
    {"linkId": "44260-8", "type": "choice", "code": [{"system": "http://loinc.org", "code": "44250-9"}]})),
    qr(url, link9="44260-8"))
bundle("code-vs-def", q("a", url, codes, extra=lambda r: r["item"][8].update(
    {"code": [{"system": "http://loinc.org", "code": "44250-9"}], "definition": "http://loinc.org/q/44249-1#44260-8"})),
    qr(url))
bundle("swapped", q("a", url, swapped), qr(url))
bundle("group", q("a", url, codes[:8] + [None], extra=lambda r: r["item"].append(
    {"linkId": "g9", "type": "group", "code": [{"system": "http://loinc.org", "code": "44260-8"}],
     "item": [{"linkId": "q9", "type": "choice"}]})), qr(url))
bundle("uncoded", q("a", url, codes[:8] + [None]), qr(url))
neg = qr(url, nine="LA6568-5")
bundle("two-urls-neg", q("a", url, codes[:8] + [None]), q("b", url, codes), neg)
PY
for f in two-urls collide code-vs-def swapped group uncoded; do
    refused_safety "item 9 'nearly every day' under the file's own definitions ($f)" "$tmp/i22-$f.json"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
for f in two-urls-pinned two-agree; do
    import "$tmp/i22-$f.json"
    check "...the same under two Questionnaires of one url ($f): read, orange" sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'orange ' ]"
    fresh "int22-$f"
done
import "$tmp/i22-two-urls-neg.json"
check "...item 9 'not at all' under two of one url, one without q9: green" sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'green ' ]"
fresh int22-cut
head -c $(($(wc -c <"$tmp/i22-uncoded.json") - 40)) "$tmp/i22-uncoded.json" >"$tmp/i22-cut.json"
import "$tmp/i22-cut.json"
check "a screen cut off before its end: SAFETY first (its answers not known)" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: the file holds a QuestionnaireResponse and cannot be read'" _ "$err"

# eighteenth outside integrator (open until now): a DocumentReference whose base64 attachment is a positive PHQ-9,
# beside a negative one, was saved green: an attachment naming 44260-8 is not read, so the file is refused SAFETY first
fresh int18doc
b64=$(printf '{"resourceType":"QuestionnaireResponse","item":[{"linkId":"44260-8","answer":[{"valueCoding":{"code":"LA6571-9"}}]}]}' | base64 -w 0)
bundle "$(q_neg),{\"resource\":{\"resourceType\":\"DocumentReference\",\"id\":\"doc1\",\"status\":\"current\",$subj,\"content\":[{\"attachment\":{\"contentType\":\"application/fhir+json\",\"data\":\"$b64\"}}]}}" >"$tmp/i18-doc.json"
refused_safety "a DocumentReference whose attachment is a positive PHQ-9, beside a negative one" "$tmp/i18-doc.json"
check "...the attachment named as not read" has_err "an attachment (base64 data) names 44260-8"
b64n=$(printf 'a referral letter, no screen in it' | base64 -w 0)
bundle "$(q_neg),{\"resource\":{\"resourceType\":\"DocumentReference\",\"id\":\"doc2\",\"status\":\"current\",$subj,\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"$b64n\"}}]}}" >"$tmp/i18-doc-neg.json"
import "$tmp/i18-doc-neg.json"
check "...a letter attached that names no safety item: the negative PHQ-9 imported, green" sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'green ' ]"

# twenty-third outside integrator: an acute ASQ (no LOINC code to find it by) attached as base64 to a DocumentReference
# or a Binary, under "QuestionnaireResponce" or a lower-case resourceType, or written as a string, beside a negative
# PHQ-9, was saved green: a screen triage cannot read is refused, SAFETY first
fresh int23
asq_acute='{"resourceType":"QuestionnaireResponse","questionnaire":"http://triage.example/fhir/Questionnaire/asq","status":"completed","item":[{"linkId":"item1","answer":[{"valueCoding":{"system":"urn:triage:answers:asq","code":"yes"}}]},{"linkId":"item5","answer":[{"valueCoding":{"system":"urn:triage:answers:asq","code":"yes"}}]}]}'
b64a=$(printf '%s' "$asq_acute" | base64 -w 0)
bundle "$(q_neg),{\"resource\":{\"resourceType\":\"DocumentReference\",\"id\":\"doc3\",\"status\":\"current\",$subj,\"content\":[{\"attachment\":{\"contentType\":\"application/fhir+json\",\"data\":\"$b64a\"}}]}}" >"$tmp/i23-doc.json"
bundle "$(q_neg),{\"resource\":{\"resourceType\":\"Binary\",\"id\":\"bin1\",\"contentType\":\"application/fhir+json\",\"data\":\"$b64a\"}}" >"$tmp/i23-bin.json"
bundle "$(q_neg),{\"resource\":$(printf '%s' "$asq_acute" | sed 's/"QuestionnaireResponse"/"QuestionnaireResponce"/')}" >"$tmp/i23-misspelt.json"
bundle "$(q_neg),{\"resource\":$(printf '%s' "$asq_acute" | sed 's/"QuestionnaireResponse"/"questionnaireresponse"/')}" >"$tmp/i23-lower.json"
bundle "$(q_neg),{\"resource\":$(printf '%s' "$asq_acute" | sed 's/"/\\"/g; s/^/"/; s/$/"/')}" >"$tmp/i23-string.json"
for f in doc bin misspelt lower string; do
    import "$tmp/i23-$f.json"
    check "an acute ASQ beside a negative PHQ-9 ($f): refused, SAFETY first" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*\(holds a screen triage cannot read\|asq\)'" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"

# twenty-fourth outside integrator: an acute ASQ sent as Observations coded by triage's ASQ ids, inside a Parameters'
# valueString or valueAttachment, or as an entry with no resourceType, beside a negative PHQ-9, was saved green; and
# a letter or a PDF's metadata with the word QuestionnaireResponse, or a blank Questionnaire attached, refused a
# valid negative file. Now the first are refused SAFETY first, the second imported
fresh int24
obs_asq() { # item value
    printf '{"resource":{"resourceType":"Observation","id":"a%s","status":"final",%s,"code":{"coding":[{"system":"urn:triage:questionnaire:asq","code":"%s"}]},"valueCodeableConcept":{"coding":[{"system":"urn:triage:answers:asq","code":"%s"}]}}}' "$1" "$subj" "$1" "$2"
}
bundle "$(q_neg),$(obs_asq item1 yes),$(obs_asq item5 yes)" >"$tmp/i24-obs.json"
esc=$(printf '%s' "$asq_acute" | sed 's/"/\\"/g')
printf '{"resourceType":"Parameters","parameter":[{"name":"screen","valueString":"%s"}]}' "$esc" >"$tmp/i24-params.json"
bundle "$(q_neg),{\"resource\":$(printf '%s' "$asq_acute" | sed 's/"resourceType":"QuestionnaireResponse",//')}" >"$tmp/i24-nort.json"
for f in obs params nort; do
    import "$tmp/i24-$f.json"
    check "an acute ASQ beside a negative PHQ-9 ($f): refused, SAFETY first" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
doc() { # content-type text
    printf '{"resource":{"resourceType":"DocumentReference","id":"d%s","status":"current",%s,"content":[{"attachment":{"contentType":"%s","data":"%s"}}]}}' \
        "$(printf '%s' "$1" | tr -dc a-z)" "$subj" "$1" "$(printf '%s' "$2" | base64 -w 0)"
}
qblank=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d))" "$FX/../lforms-phq9-questionnaire.json")
bundle "$(q_neg),$(doc text/plain 'Referral: the EHR QuestionnaireResponse renderer printed this letter.'),$(doc application/pdf '%PDF-1.4 /Producer (EHR QuestionnaireResponse renderer)'),$(doc application/fhir+json "$qblank")" >"$tmp/i24-docs-neg.json"
import "$tmp/i24-docs-neg.json"
check "a negative PHQ-9 with a letter and a PDF naming QuestionnaireResponse and a blank PHQ-9 Questionnaire attached: imported, green" \
    sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'green ' ]"

# twenty-fifth outside integrator: ASQ Observations coded as triage's own export codes them (urn:triage:questionnaire,
# asq/item1), or an ASQ band (urn:triage:bands:asq), beside a negative PHQ-9, saved green; a Provenance, a Task or a
# CodeSystem naming the ASQ beside negative screens refused a valid file (they hold no answers)
fresh int25
obs_exp() { # item value
    printf '{"resource":{"resourceType":"Observation","id":"e%s","status":"final",%s,"code":{"coding":[{"system":"urn:triage:questionnaire","code":"asq/%s"}]},"valueBoolean":%s}}' "$1" "$subj" "$1" "$2"
}
bundle "$(q_neg),$(obs_exp item1 true),$(obs_exp item5 true)" >"$tmp/i25-obs.json"
bundle "$(q_neg),{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"band\",\"status\":\"final\",$subj,\"code\":{\"text\":\"ASQ screening result\"},\"valueCodeableConcept\":{\"coding\":[{\"system\":\"urn:triage:bands:asq\",\"code\":\"acute_positive\"}]}}}" >"$tmp/i25-band.json"
for f in obs band; do
    import "$tmp/i25-$f.json"
    check "an acute ASQ as triage's export codes it, beside a negative PHQ-9 ($f): refused, SAFETY first" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*names asq'" _ "$err"
done
check "...nothing imported" sh -c "[ -z '$(levels)' ]"
bundle "$(q_neg),{\"resource\":{\"resourceType\":\"Provenance\",\"id\":\"pv\",\"recorded\":\"2026-03-10T14:00:00Z\",\"target\":[{\"reference\":\"urn:uuid:0b1e2c3d-0000-4000-8000-000000000401\"}],\"entity\":[{\"role\":\"source\",\"what\":{\"display\":\"http://triage.example/fhir/Questionnaire/asq\"}}],\"agent\":[{\"who\":{\"display\":\"EHR\"}}]}},{\"resource\":{\"resourceType\":\"CodeSystem\",\"id\":\"cs\",\"url\":\"urn:triage:answers:asq\",\"status\":\"active\",\"content\":\"complete\"}}" >"$tmp/i25-names.json"
import "$tmp/i25-names.json"
check "a Provenance and a CodeSystem naming the ASQ beside a negative PHQ-9: imported, green" sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'green ' ]"

# twenty-sixth outside integrator: a positive screen hidden in a part the reader takes but reads no answers in, and
# attachments triage could not open (gzip, UTF-16, base64 twice, a data: URL), each beside a negative PHQ-9, were saved
# green. Each is refused now, SAFETY first, naming where
fresh int26
esc26=$(printf '%s' "$asq_acute" | sed 's/"/\\"/g')
b64_26=$(printf '%s' "$asq_acute" | base64 -w 0)
ext26="\"extension\":[{\"url\":\"http://example.org/note\",\"valueString\":\"$esc26\"}]"
bundle26() { # bundle-fields entry-fields-of-the-response
    printf '{"resourceType":"Bundle","type":"collection",%s"entry":[%s,{%s%s]}' "$1" "$pt" "$2" "$(q_neg | cut -c2-)"
}
bundle "$(q_neg "$ext26,")" >"$tmp/i26-qr-ext.json"
bundle26 "\"meta\":{\"extension\":[{\"url\":\"http://example.org/x\",\"valueString\":\"$esc26\"}]}," "" >"$tmp/i26-meta.json"
bundle26 "\"signature\":{\"type\":[{\"system\":\"urn:iso-astm:E1762-95:2013\",\"code\":\"1.2.840.10065.1.12.1.1\"}],\"when\":\"2026-03-10T14:00:00Z\",\"who\":{\"display\":\"EHR\"},\"data\":\"$b64_26\"}," "" >"$tmp/i26-sig.json"
bundle26 "" "\"search\":{\"mode\":\"match\",\"extension\":[{\"url\":\"http://example.org/x\",\"valueString\":\"$esc26\"}]}," >"$tmp/i26-search.json"
bundle26 "" "\"response\":{\"status\":\"201 Created\",\"outcome\":$asq_acute}," >"$tmp/i26-outcome.json"
for f in qr-ext meta sig search outcome; do
    import "$tmp/i26-$f.json"
    check "an acute ASQ hidden in the file's $f, beside a negative PHQ-9: refused, SAFETY first" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*holds a screen triage cannot read'" _ "$err"
done
check "...the place named (signature.data)" \
    sh -c "printf '%s' \"\$1\" | grep -q 'signature.data holds a QuestionnaireResponse'" _ "$(import "$tmp/i26-sig.json"; printf '%s' "$err")"
import "$tmp/i26-qr-ext.json"
check "...a response's extension named as such" has_err "QuestionnaireResponse r1: extension\[0\].valueString holds a QuestionnaireResponse, written as a string"
obs9pos="{\"resourceType\":\"Observation\",\"id\":\"x9\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"44260-8\"}]},\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LA6571-9\"}]}}"
bundle26 "" "\"response\":{\"status\":\"201 Created\",\"outcome\":$obs9pos}," >"$tmp/i26-outcome9.json"
import "$tmp/i26-outcome9.json"
check "an item 9 Observation set as an entry's response.outcome: refused, SAFETY first, naming it" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[1\].response.outcome holds a screen'" _ "$err"
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
att26() { # content-type base64-data
    printf '{"resource":{"resourceType":"DocumentReference","id":"att","status":"current",%s,"content":[{"attachment":{"contentType":"%s","data":"%s"}}]}}' "$subj" "$1" "$2"
}
bundle "$(q_neg),$(att26 application/fhir+json "$(printf '%s' "$asq_acute" | gzip -c | base64 -w 0)")" >"$tmp/i26-gzip.json"
bundle "$(q_neg),$(att26 application/fhir+json "$(printf '%s' "$asq_acute" | iconv -f UTF-8 -t UTF-16 | base64 -w 0)")" >"$tmp/i26-utf16.json"
bundle "$(q_neg),$(att26 application/fhir+json "$(printf '%s' "$asq_acute" | base64 -w 0 | base64 -w 0)")" >"$tmp/i26-twice.json"
bundle "$(q_neg),{\"resource\":{\"resourceType\":\"DocumentReference\",\"id\":\"url\",\"status\":\"current\",$subj,\"content\":[{\"attachment\":{\"contentType\":\"application/fhir+json\",\"url\":\"data:application/fhir+json;base64,$b64_26\"}}]}}" >"$tmp/i26-dataurl.json"
for f in gzip utf16 twice dataurl; do
    import "$tmp/i26-$f.json"
    check "an acute ASQ attached ($f) beside a negative PHQ-9: refused, SAFETY first" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[2\] DocumentReference '" _ "$err"
done
import "$tmp/i26-gzip.json"
check "...the gzip attachment named as one triage cannot open" has_err "content\[0\].attachment.data: an attachment triage cannot open (gzip-compressed)"
import "$tmp/i26-twice.json"
check "...base64 twice is opened: the screen in it named" has_err "attachment.data holds a QuestionnaireResponse, in an attachment"
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
fresh int26docs
bundle "$(q_neg),$(att26 text/plain "$(printf 'Referral letter: no concerns.' | base64 -w 0)"),$(att26 image/png "$(printf '\211PNG\r\n\032\n\0\0\0\rIHDR' | base64 -w 0)"),$(att26 application/pdf "$(printf '%%PDF-1.4\n\0\0binary' | base64 -w 0)")" >"$tmp/i26-docs-neg.json"
import "$tmp/i26-docs-neg.json"
check "a negative PHQ-9 with a letter, an image and a PDF attached: imported, green (a document for a person is no screen)" \
    sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'green ' ]"

# twenty-sixth: another system's ASQ (its own canonical, valueBoolean answers) was refused without a SAFETY line; a
# PHQ-9 without item 9 was saved orange without a word of why
fasq() { # canonical item-text value
    printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"f1","questionnaire":"%s","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[{"linkId":"1","text":"%s","answer":[{"valueBoolean":%s}]}]}}]}' "$pt" "$1" "$subj" "$2" "$3"
}
fasq http://example.org/fhir/Questionnaire/nimh-asq "Question one" true >"$tmp/i26-fasq.json"
fasq http://example.org/fhir/Questionnaire/intake-2 "In the past few weeks, have you wished you were dead?" false >"$tmp/i26-fasq-text.json"
fasq http://example.org/fhir/Questionnaire/zh "您是否有过自杀的念头？" false >"$tmp/i26-fasq-zh.json"
for f in fasq fasq-text fasq-zh; do
    import "$tmp/i26-$f.json"
    check "another system's suicide screen ($f): refused, SAFETY first (its answers not read count as positive)" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[1\] QuestionnaireResponse f1: a screen triage does not score asks about suicide'" _ "$err"
done
fasq http://example.org/fhir/Questionnaire/audit-c "How often do you have a drink containing alcohol?" false >"$tmp/i26-auditc.json"
import "$tmp/i26-auditc.json"
check "...another questionnaire (an AUDIT-C): refused as not scored, no SAFETY line" \
    sh -c "[ $rc -eq 2 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$err"
fresh int26b
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"r1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[%s]}}]}' \
    "$pt" "$subj" "${phq8%,}" >"$tmp/i26-phq8.json"
import "$tmp/i26-phq8.json"
check "a PHQ-9 without item 9 imports orange, and the output says so and why" \
    sh -c "[ $rc -eq 0 ] && printf '%s' \"\$1\" | grep -q '^intake .*: ORANGE: PHQ-9 item 9 .*unanswered or refused counts as positive'" _ "$out"
import "$tmp/i24-docs-neg.json"
check "...a green import names no level line" sh -c "[ $rc -eq 0 ] && printf '%s' \"\$1\" | grep -q '^imported 1 response' && ! printf '%s' \"\$1\" | grep -q '^intake '" _ "$out"

# twenty-seventh outside integrator: each beside a negative PHQ-9, saved green or refused without a SAFETY line
fresh int27
ent27() { printf '{"resource":%s}' "$1"; }
for case in \
    'obs-text|{"resourceType":"Observation","id":"x1","status":"final","code":{"text":"Ask Suicide-Screening Questions item 1: wished you were dead"},'"$subj"',"valueBoolean":true}' \
    'obs-snomed|{"resourceType":"Observation","id":"x2","status":"final","code":{"coding":[{"system":"http://snomed.info/sct","code":"6471006"}]},'"$subj"',"valueBoolean":true}' \
    'flag|{"resourceType":"Flag","id":"x3","status":"active","code":{"text":"High suicide risk - do not leave alone"},'"$subj"'}' \
    'nocontenttype-gzip|{"resourceType":"DocumentReference","id":"x4","status":"current",'"$subj"',"content":[{"attachment":{"data":"'"$(printf '%s' "$asq_acute" | gzip -c | base64 -w 0)"'"}}]}' \
    'textplain-binary|{"resourceType":"DocumentReference","id":"x5","status":"current",'"$subj"',"content":[{"attachment":{"contentType":"text/plain","data":"'"$(printf '\201\202\203\204\205\206\207\210\211\212' | base64 -w 0)"'"}}]}' \
    'url-json|{"resourceType":"DocumentReference","id":"x6","status":"current",'"$subj"',"content":[{"attachment":{"contentType":"application/fhir+json","url":"https://prescreen.example.org/QuestionnaireResponse/77"}}]}'; do
    name=${case%%|*}
    bundle "$(q_neg),$(ent27 "${case#*|}")" >"$tmp/i27-$name.json"
    import "$tmp/i27-$name.json"
    check "$name beside a negative PHQ-9: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[2\] '" _ "$err"
done
printf '{"resourceType":"Bundle","type":"collection","signature":{"type":[{"system":"urn:iso-astm:E1762-95:2013","code":"1.2.840.10065.1.12.1.1"}],"when":"2026-03-10T14:00:00Z","who":{"display":"EHR"},"data":"%s"},"entry":[%s,%s]}' \
    "$(printf '%s' "$asq_acute" | gzip -c | base64 -w 0)" "$pt" "$(q_neg)" >"$tmp/i27-sig-gzip.json"
import "$tmp/i27-sig-gzip.json"
check "a gzip signature.data beside a negative PHQ-9: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*signature.data: an attachment triage cannot open (gzip'" _ "$err"
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
# another system's suicide screen whose wording is in its Questionnaire, a group, Traditional Chinese, no-break or
# full-width letters; and a word inside another ("tasq-sleep") is no ASQ
fq() { # canonical group-text item-text [extra entry]
    printf '{"resourceType":"Bundle","type":"collection","entry":[%s%s,{"resource":{"resourceType":"QuestionnaireResponse","id":"f1","questionnaire":"%s","status":"completed","authored":"2026-03-10T14:00:00Z",%s,"item":[{"linkId":"g","text":"%s","item":[{"linkId":"q1","text":"%s","answer":[{"valueBoolean":true}]}]}]}}]}' "$pt" "${4:-}" "$1" "$subj" "$2" "$3"
}
fq http://hospital.example/Questionnaire/screen-7 "Part 1" "Question 1" ',{"resource":{"resourceType":"Questionnaire","url":"http://hospital.example/Questionnaire/screen-7","status":"active","item":[{"linkId":"q1","type":"boolean","text":"Have you ever tried to kill yourself?"}]}}' >"$tmp/i27-fq-q.json"
fq http://hospital.example/Questionnaire/screen-7 "Suicide risk" "Question 1" >"$tmp/i27-fq-group.json"
fq http://hospital.example/Questionnaire/screen-7 "Part 1" "您最近是否有自殺的想法？" >"$tmp/i27-fq-trad.json"
fq http://hospital.example/Questionnaire/screen-7 "Part 1" "have you wished you were dead?" >"$tmp/i27-fq-nbsp.json"
fq http://hospital.example/Questionnaire/screen-7 "Part 1" "ＳＵＩＣＩＤＡＬ thoughts" >"$tmp/i27-fq-wide.json"
for f in q group trad nbsp wide; do
    import "$tmp/i27-fq-$f.json"
    check "another system's suicide screen ($f): refused, SAFETY first" \
        sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: .*a screen triage does not score asks about suicide'" _ "$err"
done
for c in tasq-sleep basque-intake; do
    fq "http://hospital.example/Questionnaire/$c" "Part 1" "Do you sleep well?" >"$tmp/i27-fp.json"
    import "$tmp/i27-fp.json"
    check "a questionnaire named $c is no ASQ: refused as not scored, without a SAFETY line" \
        sh -c "[ $rc -eq 2 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$err"
done
# a RiskAssessment or an active Condition stating risk beside negative screens: the intake is saved at that level,
# saying why; a resolved Condition states nothing
fresh int27b
ra() { printf '{"resource":{"resourceType":"RiskAssessment","id":"ra1","status":"final",%s,"prediction":[{"outcome":{"text":"Suicide"},"qualitativeRisk":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/risk-probability","code":"%s"}]}}]}}' "$subj" "$1"; }
bundle "$(q_neg),$(ra high)" >"$tmp/i27-ra.json"
import "$tmp/i27-ra.json"
check "a RiskAssessment stating high risk beside a negative PHQ-9: imported RED, saying why" \
    sh -c "[ $rc -eq 0 ] && printf '%s' \"\$1\" | grep -q '^intake .*: RED: Another system.s record sent with these screens states this risk'" _ "$out"
check "...the queue holds red" [ "$(levels)" = "red " ]
fresh int27c
cond() { printf '{"resource":{"resourceType":"Condition","id":"c1","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"%s"}]},%s,"code":{"coding":[{"system":"http://snomed.info/sct","code":"6471006","display":"Suicidal thoughts"}]}}}' "$1" "$subj"; }
bundle "$(q_neg),$(cond active)" >"$tmp/i27-cond.json"
import "$tmp/i27-cond.json"
check "an active Condition 'suicidal thoughts' beside a negative PHQ-9: imported ORANGE" \
    sh -c "[ $rc -eq 0 ] && printf '%s' \"\$1\" | grep -q '^intake .*: ORANGE: Another system'" _ "$out"
fresh int27d
bundle "$(q_neg),$(cond resolved)" >"$tmp/i27-cond-old.json"
import "$tmp/i27-cond-old.json"
check "...a resolved one states nothing: imported green" sh -c "[ $rc -eq 0 ] && [ '$(levels)' = 'green ' ]"
printf '{"resourceType":"Bundle","type":"collection","entry":[%s,{"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-0000000009ff","resource":{"resourceType":"Patient","id":"p2","name":[{"family":"Beta","given":["Bo"]}]}},%s,{"resource":{"resourceType":"RiskAssessment","id":"ra2","status":"final","subject":{"reference":"urn:uuid:0b1e2c3d-0000-4000-8000-0000000009ff"},"prediction":[{"qualitativeRisk":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/risk-probability","code":"high"}]}}]}}]}' \
    "$pt" "$(q_neg)" >"$tmp/i27-ra-other.json"
import "$tmp/i27-ra-other.json"
check "a RiskAssessment of high risk for a Patient no screen is for: refused, SAFETY first" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[3\] RiskAssessment ra2: .*red risk for a person no screen of the file is for'" _ "$err"

# twenty-eighth outside integrator: each beside a negative PHQ-9
fresh int28
for case in \
    'total27|{"resourceType":"Observation","id":"t27","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44261-6"}]},'"$subj"',"valueInteger":27}' \
    'pdf-then-json|{"resourceType":"DocumentReference","id":"pj","status":"current",'"$subj"',"content":[{"attachment":{"contentType":"application/pdf","data":"'"$(printf '%%PDF-1.4\n%s' "$asq_acute" | base64 -w 0)"'"}}]}' \
    'url-no-type|{"resourceType":"DocumentReference","id":"ur","status":"current",'"$subj"',"content":[{"attachment":{"url":"https://ehr.example/fhir/QuestionnaireResponse/5"}}]}' \
    'encounter|{"resourceType":"Encounter","id":"en","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"EMER"},'"$subj"',"reasonCode":[{"coding":[{"system":"urn:oid:2.16.840.1.113883.6.96","code":"82313006"}]}]}' \
    'interpretation|{"resourceType":"Observation","id":"in","status":"final","code":{"text":"Screen"},'"$subj"',"valueBoolean":true,"interpretation":[{"text":"Positive suicide screen"}]}'; do
    name=${case%%|*}
    bundle "$(q_neg),$(ent27 "${case#*|}")" >"$tmp/i28-$name.json"
    import "$tmp/i28-$name.json"
    check "$name beside a negative PHQ-9: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[2\] '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
fq http://h.example/Q/ASQ-3 "Ages and Stages" "Does your child walk?" >"$tmp/i28-asq3.json"
import "$tmp/i28-asq3.json"
check "the Ages and Stages Questionnaire (ASQ-3) is no suicide screen: refused as not scored, without a SAFETY line" \
    sh -c "[ $rc -eq 2 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$err"
fq http://h.example/Q/screen1 "Part 1" "Thoughts of self-harm in the past week?" >"$tmp/i28-selfharm.json"
import "$tmp/i28-selfharm.json"
check "...a screen asking about self-harm: SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'asks about suicide'" _ "$err"
# stated levels, coded as real systems send them
stated() { # name expected-level resource
    fresh "i28s$1"
    bundle "$(q_neg),$(ent27 "$3")" >"$tmp/i28-s$1.json"
    import "$tmp/i28-s$1.json"
    check "stated risk ($1): imported at $2" sh -c "[ $rc -eq 0 ] && [ '$(levels)' = '$2 ' ]"
}
stated ra-caps red '{"resourceType":"RiskAssessment","id":"ra","status":"final",'"$subj"',"prediction":[{"qualitativeRisk":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/risk-probability","code":"HIGH"}]}}]}'
stated own-caps red '{"resourceType":"RiskAssessment","id":"ra","status":"final",'"$subj"',"prediction":[{"qualitativeRisk":{"coding":[{"system":"urn:triage:levels","code":"RED"}]}}]}'
stated snomed-oid red '{"resourceType":"Condition","id":"c","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},'"$subj"',"code":{"coding":[{"system":"urn:oid:2.16.840.1.113883.6.96","code":"82313006"}]}}'
stated icd-nodot orange '{"resourceType":"Condition","id":"c",'"$subj"',"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"r45851"}]}}'
stated icd-x78 red '{"resourceType":"Condition","id":"c",'"$subj"',"code":{"coding":[{"system":"https://hl7.org/fhir/sid/icd-10-cm","code":"X78.0XXA"}]}}'
stated both-statuses red '{"resourceType":"Condition","id":"c","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"},{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},'"$subj"',"code":{"coding":[{"system":"http://snomed.info/sct","code":"82313006"}]}}'
fresh i28text
bundle "$(q_neg),$(ent27 '{"resourceType":"RiskAssessment","id":"ra","status":"final",'"$subj"',"prediction":[{"qualitativeRisk":{"text":"High risk of suicide"}}]}')" >"$tmp/i28-ra-text.json"
import "$tmp/i28-ra-text.json"
check "a RiskAssessment stating its risk in words only: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: entry\[2\] RiskAssessment ra'" _ "$err"
# a RiskAssessment whose basis names one response raises that intake only; another server's Patient/7 is another person
fresh i28basis
q_day() { # id day item9-code
    printf '{"fullUrl":"urn:uuid:0b1e2c3d-0000-4000-8000-00000000050%s","resource":{"resourceType":"QuestionnaireResponse","id":"d%s","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-0%sT14:00:00Z",%s,"item":[%s{"linkId":"44260-8","answer":[{"valueCoding":{"system":"http://loinc.org","code":"LA6568-5"}}]}]}}' "$1" "$1" "$2" "$subj" "$phq8"
}
bundle "$(q_day 1 3),$(q_day 2 4),$(ent27 '{"resourceType":"RiskAssessment","id":"ra","status":"final",'"$subj"',"basis":[{"reference":"urn:uuid:0b1e2c3d-0000-4000-8000-000000000501"}],"prediction":[{"qualitativeRisk":{"coding":[{"system":"urn:triage:levels","code":"orange"}]}}]}')" >"$tmp/i28-basis.json"
import "$tmp/i28-basis.json"
check "a RiskAssessment whose basis names the first of two intakes: that one orange, the other green" \
    sh -c "[ $rc -eq 0 ] && printf '%s' \"\$1\" | grep -q '^imported 2 responses as 2 intakes' && [ \$(printf '%s\n' \"\$1\" | grep -c '^intake .*: ORANGE') -eq 1 ]" _ "$out"
fresh i28server
printf '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"http://ehr.example/fhir/Patient/7","resource":{"resourceType":"Patient","id":"7","name":[{"family":"Alpha","given":["Ann"]}]}},{"fullUrl":"http://ehr.example/fhir/QuestionnaireResponse/1","resource":{"resourceType":"QuestionnaireResponse","id":"1","questionnaire":"http://loinc.org/q/44249-1","status":"completed","authored":"2026-03-10T14:00:00Z","subject":{"reference":"Patient/7"},"item":[%s%s]}},{"fullUrl":"http://other.example/fhir/RiskAssessment/2","resource":{"resourceType":"RiskAssessment","id":"2","status":"final","subject":{"reference":"Patient/7"},"prediction":[{"qualitativeRisk":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/risk-probability","code":"high"}]}}]}}]}' \
    "$phq8" "$zero9" >"$tmp/i28-server.json"
import "$tmp/i28-server.json"
check "another server's Patient/7 stated at high risk: not this client, refused, SAFETY first" \
    sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'no screen of the file is for'" _ "$err"

# ...a response imported before beside a new one of the same Patient: the RiskAssessment (no basis) still raises the new
# one (the first response found being the earlier one, it was passed over: the last read before the stop)
fresh i28earlier
first_day=$(q_day 1 3 | sed 's/"resourceType":"QuestionnaireResponse",/"resourceType":"QuestionnaireResponse","identifier":{"system":"http:\/\/x.example\/ids","value":"r-d1"},/')
bundle "$first_day" >"$tmp/i28-earlier-a.json"
import "$tmp/i28-earlier-a.json"
bundle "$first_day,$(q_day 2 4),$(ent27 '{"resourceType":"RiskAssessment","id":"ra","status":"final",'"$subj"',"prediction":[{"qualitativeRisk":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/risk-probability","code":"high"}]}}]}')" >"$tmp/i28-earlier-b.json"
import "$tmp/i28-earlier-b.json"
check "a RiskAssessment beside a response imported before and a new one: the new intake is raised RED" \
    sh -c "[ $rc -eq 0 ] && printf '%s' \"\$1\" | grep -q '1 response was already imported' && printf '%s' \"\$1\" | grep -q '^intake .*: RED: Another system'" _ "$out"


# twenty-ninth outside integrator (files kept in fixtures/fhir/round29, each beside a negative PHQ-9 of the same Patient):
# each of these was saved green, or dropped a client, or refused without its SAFETY line
R29="$(cd "$(dirname "$0")/../fixtures/fhir/round29" && pwd)"
fresh r29
for f in ra_basis_other ra_basis_named_subject_elsewhere obs_component_value procedure_reason medreq_reason enc_type \
    enc_hospitalization_admitsource careplan_cat episodeofcare claim_dx goal obs_category obs_bodysite_method \
    c_evidence_only c_stage obs_interp_H ra_prob_only_snomed ra_qual_text_only_high ra_method_text ra_condition_ref \
    tot_with_other_patient_phq9 tot_component tot_with_gad7resp u2_0 u2_2 u2_4 u2_5 u2_7 u2_9 u2_11 u2_12 url6 url8 \
    w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15; do
    import "$R29/$f.json"
    check "round 29 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
import "$R29/ra_basis_other.json"
check "a RiskAssessment whose subject is not the person of its basis: said so" has_err "its subject .* is not the person of the screens its basis names"
import "$R29/ra_prob_only_snomed.json"
check "a RiskAssessment of a probability only: its prediction not read, said so" has_err "prediction\[0\] states a risk triage cannot read"
import "$R29/tot_with_other_patient_phq9.json"
check "a PHQ-9 total of one client derived from another client's PHQ-9: a total with no answers" has_err "a total of phq9 with no answers"
imported_at() { # round folder file expected-levels: the file alone in a fresh store, imported at that level
    fresh "r$1$3"
    import "$2/$3.json"
    check "round $1 $3: imported at $4" sh -c "[ $rc -eq 0 ] && [ '$(levels)' = '$4 ' ]"
}
imported_at 29 "$R29" c_cm_T39012A red           # ICD-10-CM T36-T65 with 6th character 2: poisoning, intentional self-harm
imported_at 29 "$R29" cond_T42_nodisplay red
imported_at 29 "$R29" c_cm_R45.88 orange         # nonsuicidal self-harm
imported_at 29 "$R29" c_cm_Z9151 yellow          # personal history of suicidal behaviour
imported_at 29 "$R29" c_snomed_225444004 orange  # at risk for suicide
imported_at 29 "$R29" c_snomed_44301001 red      # suicide
imported_at 29 "$R29" c_clin_resolved_nosys orange   # "resolved" of no system ends nothing
imported_at 29 "$R29" c_clin_RESOLVED_hl7 orange     # nor "RESOLVED" (FHIR codes are exact)
imported_at 29 "$R29" c_refuted_othersys red         # "refuted" of a local system refutes nothing
imported_at 29 "$R29" c_refuted_upper red
imported_at 29 "$R29" enc_diag_cond_contained orange # a contained Condition stating a level raises it, not refused for it
fresh r29held
for f in famhx u2_13 u2_14 u2_1; do # u2_1: a Binary served as image/png, as US Core serves documents (thirtieth)
    import "$R29/$f.json"
    check "round 29 $f: a family history, a document by URL: imported" sh -c "[ $rc -eq 0 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$out$err"
done
import "$R29/asq3.json"
check "round 29 asq3: the Ages and Stages Questionnaire: refused as not scored, no SAFETY line" \
    sh -c "[ $rc -eq 2 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$err"
fresh r29many
import "$R29/many.json"
check "twenty intakes, seventeen above green: the sixteen listed are the highest, orange first" \
    sh -c "[ $rc -eq 0 ] && [ \$(printf '%s\n' \"\$1\" | grep -c '^intake .*: ORANGE') -eq 13 ] && [ \$(printf '%s\n' \"\$1\" | grep -c '^intake .*: YELLOW') -eq 3 ] && ! printf '%s\n' \"\$1\" | grep -A99 ': YELLOW' | grep -q ': ORANGE'" _ "$out"
check "...and the one not listed is counted with its level" has_out "and 1 more intake above green, not listed (YELLOW): see the queue"


# thirtieth outside integrator (files in fixtures/fhir/round30, each beside the same negative PHQ-9): saved green, or a
# valid file refused
R30="$(cd "$(dirname "$0")/../fixtures/fhir/round30" && pwd)"
fresh r30
for f in o_derived_6471006 o_derived_6471006_other_person o_derived_condition_code_value o_derived_value_code \
    o_derived_words q_ext_coding q_ext_words q_item_ext_code q_meta_tag_words p_episode_type_text p_medreq_reason_text \
    p_procedure_text_only ra_noprediction_codeonly ra_noprediction_method_text u_communication u_pct_letters \
    u_pct_letters2 u_task; do
    import "$R30/$f.json"
    check "round 30 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
import "$R30/ra_noprediction_codeonly.json"
check "a RiskAssessment with no prediction: said so" has_err "no prediction states a risk triage cannot read"
for f in c_T5192XA c_T5802XA c_T6392XA c_T6592XA c_icd9_E9500 c_T402X2A; do imported_at 30 "$R30" $f red; done # self-harm poisonings
for f in c_icd11_MB26A c_icd9_V6284 c_snomed_edition_uri c_snomed_sysname; do imported_at 30 "$R30" $f orange; done
for f in c_Y870_cm c_Z915_cm; do imported_at 30 "$R30" $f yellow; done # histories
for f in c_T402X1A ra_fall_high; do imported_at 30 "$R30" $f green; done # accidental poisoning; a fall's "high" is no suicide risk
fresh r30held
for f in doc_binary_pdf_abs doc_binary_pdf_rel doc_condition_path doc_html_binary doc_media_path pat_mgmt_org \
    ra_cardiac_prob w_cn_budonghuo w_cn_nianqing w_cn_sixiang w_medication_overdose w_naloxone_overdose_edu \
    w_org_overdose_site w_ref_display_location; do
    import "$R30/$f.json"
    check "round 30 $f: a valid file (a document, an organisation's name, a heart's risk, words that are no risk): imported" \
        sh -c "[ $rc -eq 0 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$out$err"
done

# thirty-first outside integrator (files in fixtures/fhir/round31, each beside the same negative PHQ-9): saved green, or
# refused without its SAFETY line, or a valid file refused
R31="$(cd "$(dirname "$0")/../fixtures/fhir/round31" && pwd)"
fresh r31
for f in cond_local_display_selfpoison cond_text_cn_qingsheng_qingxiang cond_text_cn_tiaolou cond_text_cn_xunduanjian \
    cond_text_cn_zijin cond_text_cn_ziwoshanghai cond_text_harm_to_self cond_text_intentional_drug_od \
    cond_text_parasuicide cond_text_risk_to_self cond_text_self_directed_violence cond_text_selfpoison \
    o_loinc_display_suicidal_derived o_loinc_text_suicidal_derived q_unknown_answer_icd; do
    import "$R31/$f.json"
    check "round 31 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
for f in ra_text_cn_qingsheng_qingxiang ra_text_cn_tiaolou ra_text_cn_xunduanjian ra_text_cn_zijin \
    ra_text_cn_ziwoshanghai ra_text_harm_to_self ra_text_intentional_drug_od ra_text_parasuicide ra_text_risk_to_self \
    ra_text_self_directed_violence ra_text_selfpoison ra_snomed_248062006 ra_icd11_MB23S; do
    imported_at 31 "$R31" $f red # a RiskAssessment's "high" of self-harm in other words or codes
done
for f in c_icd11_MB23R c_icd11_MB23S c_icd11_PB80 c_icd9_oid_E9502 c_cm_wwwhl7; do imported_at 31 "$R31" $f red; done
for f in c_icd11_versioned c_icd11_MB23E c_sct_248062006; do imported_at 31 "$R31" $f orange; done
imported_at 31 "$R31" c_who_Y870 yellow
for f in c_icd9_V628 c_cm_T402X1A org_type_cn; do imported_at 31 "$R31" $f green; done # near misses; a crisis line's type
imported_at 31 "$R31" c_icd9_E959 yellow # late effects of self-inflicted injury: a history, as Y87.0 (thirty-fifth)

# thirty-second outside integrator (files in fixtures/fhir/round32, each beside the same negative PHQ-9, or the US Core
# bundle): a stated risk of suicide in words no list held saved green, or a screen refused without its SAFETY line, or
# a valid file refused
R32="$(cd "$(dirname "$0")/../fixtures/fhir/round32" && pwd)"
fresh r32
for f in appt_reason_text_killherself condtext_cn_henxiang_mother cond_cn_buxianghuo cond_cn_fudu cond_cn_fuyaoguoliang cond_cn_gemai \
    cond_cn_huobuxiaqu cond_cn_liaojieshengming cond_cn_qingsheng cond_cn_qingsheng_t cond_cn_shangdiao \
    cond_cn_shangziji_t cond_cn_shaotan cond_cn_shaotan_t cond_cn_space cond_cn_tunyao cond_cn_xiangbukai_tiaohe \
    cond_cn_yanshi cond_cn_zhiqiang cond_cn_zi_yi cond_cn_zi_yi_t cond_cn_zihai cond_cn_ziwoliaoduan \
    cond_cn_ziwoliaoduan_t cond_en_cutting_herself cond_en_death_wish cond_en_hang_himself cond_en_harm_themselves \
    cond_en_hurt_herself cond_en_kill_herself cond_en_killed_himself cond_en_life_not_worth cond_en_od_intent \
    cond_en_self_destructive cond_en_self_immolation cond_en_take_her_own_life cond_en_wants_to_die \
    cond_en_wishing_dead fq_camel_hasSuicidal fq_camel_thoughtsOfSelfHarm fq_camel_wantsToDie fq_cn_huozhe_meiyisi \
    fq_cn_jieshu_shengming fq_cn_qingsheng_alone fq_cn_siliao_suanle fq_ghq_life_not_worth fq_ghq_make_away \
    fq_ghq_wishing_dead fq_no_reason_to_live fq_sleep_not_wake fq_taking_your_life fq_tw_qingsheng ra_en_SI \
     ra_en_selfneglect; do
    import "$R32/$f.json"
    check "round 32 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
import "$R32/ra_en_selfneglect.json"
check "a high risk of an outcome triage cannot tell from suicide: said so" \
    has_err "which triage cannot tell from a risk of suicide"
for f in ra_en_jump ra_en_hanging code_gm_R458_cm code_gm_X849 code_icd10_ca ra_cn_buxianghuo ra_cn_fudu ra_cn_fuyaoguoliang ra_cn_gemai \
    ra_cn_huobuxiaqu ra_cn_liaojieshengming ra_cn_qingsheng ra_cn_qingsheng_fengxian ra_cn_qingsheng_fengxian_t \
    ra_cn_qingsheng_t ra_cn_shangdiao ra_cn_shangziji_t ra_cn_shaotan ra_cn_shaotan_t ra_cn_space ra_cn_tunyao \
    ra_cn_xiangbukai_tiaohe ra_cn_yanshi ra_cn_zhiqiang ra_cn_zi_yi ra_cn_zi_yi_t ra_cn_zihai ra_cn_ziwoliaoduan \
    ra_cn_ziwoliaoduan_t ra_en_cutting_herself ra_en_death_wish ra_en_hang_himself ra_en_harm_themselves \
    ra_en_harming_herself ra_en_hurt_herself ra_en_kill_herself ra_en_killed_himself ra_en_life_not_worth \
    ra_en_od_intent ra_en_self_destructive ra_en_self_immolation ra_en_take_her_own_life ra_en_taking_own_life \
    ra_en_wants_to_die ra_en_wishing_dead; do
    imported_at 32 "$R32" $f red # a stated risk in other words; ICD-10-GM and ICD-10-CA's chapter XX
done
for f in uscore_item9obs_epic_flowsheet_coding uscore_item9obs_snomed_6471006_negative; do
    imported_at 32 "$R32" $f yellow # the item 9 Observation's other Codings are item 9's: the response gives its answer
done
fresh r32held
for f in condtext_cn_duzijinli_anxiety condtext_cn_duzishangxin condtext_cn_duzishangxin_t condtext_cn_gezijinli \
     condtext_cn_zijin_li condtext_en_no_danger goal_cn_gezijinli goal_cn_gezijinli_t \
    goal_cn_tiaoloujia goal_cn_zishang_ziai goal_en_no_danger goaldisp_cn_gezijinli goaldisp_cn_gezijinli_t \
    goaldisp_cn_tiaoloujia goaldisp_cn_zishang_ziai goaldisp_en_no_danger obstext_cn_duzishangxin; do
    import "$R32/$f.json"
    check "round 32 $f: words that hold a listed phrase and are not it, or a negative finding: imported" \
        sh -c "[ $rc -eq 0 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$out$err"
done

# thirty-third outside integrator (files in fixtures/fhir/round33, each beside the same negative PHQ-9): a phrase
# ignored that hid a risk (青少年轻生, "not a danger to self-harm"), a self-harm outcome read as a fall by a word of
# other_outcomes, a suicide code beside a LOINC code of the forms, English methods, national ICD-10 editions: saved
# green; ordinary text and other risks refused
R33="$(cd "$(dirname "$0")/../fixtures/fhir/round33" && pwd)"
fresh r33
for f in cond_en_dsh cond_en_hanging cond_en_jumped cond_en_ligature cond_en_norisk_selfharm cond_en_notdanger_selfharm \
    cond_en_od_intentional cond_en_wrist cond_henxiang_siqu cond_laonian_qingsheng cond_qingnian_qingsheng_xingwei \
    cond_qingshaonian_qingsheng flag_en_dsh flag_en_hanging flag_en_jumped flag_en_ligature flag_en_norisk_selfharm \
    flag_en_notdanger_selfharm flag_en_od_intentional flag_en_wrist flag_henxiang_siqu flag_laonian_qingsheng \
    flag_qingnian_qingsheng_xingwei flag_qingshaonian_qingsheng obs_item9_value_plus_SA obs_total_cat_plus_SA \
    obs_total_code_plus_SA obs_total_interp_plus_SA obs_total_note_component qr_ext_cc_plus_SA \
    qr_item9_ext_cc_plus_SA ra_fall_height_intentional ra_intentional_fall ra_poisoning_kidney sep_cond_dot; do
    import "$R33/$f.json"
    check "round 33 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
for f in cond_icd_am cond_icd_de cond_icd_nl cond_icd_uk ra_cardiac_arrest_hanging ra_cn_qingshaonian_qingsheng \
    ra_cn_qingshaonian_qingsheng_fall ra_cut_wrists ra_jump_fracture ra_renal_after_od; do
    imported_at 33 "$R33" $f red
done
fresh r33held
for f in fr_cond_cn_laizi_haichong fr_cond_cn_laizi_shangkou fr_cond_cn_mashang_diaoxiao fr_cond_cn_qinzi_jinli \
    fr_cond_cn_tunyao_kunnan ra_cn_shuairuo ra_cn_xinguan ra_cn_yalixingsunshang ra_cn_zairuyuan ra_cn_zhuanchuang \
    ra_covid ra_hl7_prognosis_left_arm ra_violence_others ra_vte; do
    import "$R33/$f.json"
    check "round 33 $f: ordinary text, or a risk of another thing: imported" \
        sh -c "[ $rc -eq 0 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$out$err"
done


# thirty-fourth round (files in fixtures/fhir/round34, each beside the same negative PHQ-9): the thirty-third
# integrator's leftovers, then the thirty-fourth integrator's files
R34="$(cd "$(dirname "$0")/../fixtures/fhir/round34" && pwd)"
fresh r34
for f in c_cn_buxiang_zaihuo c_cn_fuyao_guoliang c_cn_ge_shouwan c_cn_he_nongyao c_cn_jieshu_ziji_shengming c_cn_qiusi \
    c_cn_shanghai_zishen c_cn_woqui c_cn_xiangsi_niantou c_cn_yisi_lezhi c_cn_ziwo_liaojie \
    c_drug_od_intentional c_end_her_life c_front_train c_harm_self c_hurt_self c_jumping_from c_kill_oneself \
    c_kill_self c_od_intentionally c_one_s_own_life c_selfcutting c_selfstrang c_tw_jieshu_ziji_shengming \
    c_wish_be_dead cond_en_self_plus_harm n_acute_apos n_cgj n_cn_crlf n_cn_fw_period n_cn_space_dash \
    n_fullwidth_hyphen n_invisible_times n_minus_sign n_negation_leak n_pct20 n_risk_no_leak n_tw_hyph_point \
    ra_aggr_self ra_autoaggression \
    ra_cn_youyi_diedao ra_cn_zhuilou_guzhe ra_fall_jumped ra_fall_purposeful ra_fall_undetermined \
    ra_harm_others_self ra_infection_wristcutting ra_kidney_overdose \
    ra_violence_others_self; do
    import "$R34/$f.json"
    check "round 34 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
imported_at 34 "$R34" c_icd10cm_R45851_nodisp orange
for f in ra_bleeding_selfcutting ra_cn_fuyaoguoliang_shen ra_cn_heinongyao_shen ra_fracture_jumping_from \
    ra_stroke_selfstrang; do
    imported_at 34 "$R34" $f red # a self-harm outcome beside a word of other things: read as self-harm now
done
import "$R34/ra_aggr_self.json"
check "a high risk of an outcome triage cannot tell from suicide, holding a word of other things: said so, naming it" \
    has_err "states a risk of \`Aggression towards self\`, which triage cannot tell from a risk of suicide"
for f in c_sct_82313006_nodisp sys_icd10gm_oid sys_icd11_icd11mms sys_no_icd10_oid sys_who_icd10_release; do
    imported_at 34 "$R34" $f red # the code alone; Norway's ICD-10 OID, ICD-10-GM's, ICD-11 without "release", WHO's
done
fresh r34held
for f in f_cn_canji f_cn_diaoping f_cn_jianqing_shengzhang f_cn_jiaoqing_shenghuo f_cn_shanghan f_cn_shaotan_quniu \
    f_cn_tiaolouji f_cn_tunyaopian f_hanging_cast f_hanging_pannus f_selfesteem f_trampoline; do
    import "$R34/$f.json"
    check "round 34 $f: ordinary clinical text that holds a listed phrase: imported" \
        sh -c "[ $rc -eq 0 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$out$err"
done


# thirty-fifth outside integrator (files in fixtures/fhir/round35, each beside the same negative PHQ-9): a blank or a
# line break between Chinese characters that joined a risk word to an ignored phrase (跳楼\n机构 read as 跳楼机), words
# and disguises no list or rule read (slit wrists, "OD on", unalive, Suïcide, Suizid, &#8209;, math letters, self~harm),
# a self-harm outcome read as another thing, LOINC 93267-3 with no display, systems (snomed.info/id, France's CIM-10,
# ICD-9-CM E959); ordinary RiskAssessments refused for self-care, intent-to-treat, "stage undetermined"
R35="$(cd "$(dirname "$0")/../fixtures/fhir/round35" && pwd)"
fresh r35
for f in c_attempted_od c_cutarms c_drown c_gas c_html c_html2 c_ingest c_kms c_leap c_od c_sh c_shot c_slit c_slit2 \
    c_unalive cn_shangdiao_crlf cn_tiaolou_newline cn_tiaolou_period_control cn_tiaolou_space cssrs_local_all_yes \
    de_selbstverletzend de_suizidgedanken n_backslash n_braille n_circ n_entity_cn n_hangul n_math n_ogham n_paren \
    n_star n_tag n_tilde nl_suicide_combining_control nl_suicide_precomposed no_selvmordstanker \
    obs_93267_display_control obs_93267_nodisplay\
    ra_aggr_inward ra_cardiac_tca ra_cn_tunfu ra_fall_leapt ra_heart_co ra_kidney_antifreeze ra_readmit_od; do
    import "$R35/$f.json"
    check "round 35 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
for f in sys_cim10_fr_X84 sys_snomed_info_id ra_bleeding_slit ra_fracture_leap; do imported_at 35 "$R35" $f red; done
imported_at 35 "$R35" sys_icd9_E959 yellow # late effects of self-inflicted injury, as Y87.0
fresh r35held
for f in false_ra_cancer_undet false_ra_cardiac_intent false_ra_fall_stairs_hang false_ra_pressure_self false_ra_selfcare; do
    import "$R35/$f.json"
    check "round 35 $f: a risk of another thing (self-care, intent-to-treat, hanging onto rails): imported" \
        sh -c "[ $rc -eq 0 ] && ! printf '%s' \"\$1\" | grep -q SAFETY" _ "$out$err"
done


# thirty-sixth outside integrator (files in fixtures/fhir/round36, each beside the same negative PHQ-9): "intentional
# ingestion", OD written O.D., o/d, ODs, OD'd, over-dose; D.S.H., N.S.S.I. (every punctuation mark a blank had split
# an abbreviation's letters); a phrase with a quotation mark inside ("end 'her life'"); "sui-\ncidal"; "sucidal";
# 自、杀: saved green, or refused without its SAFETY line
R36="$(cd "$(dirname "$0")/../fixtures/fhir/round36" && pwd)"
fresh r36
for f in 01a_cond_intentional_ingestion 01b_cond_deliberate_ingestion_bleach 01c_flag_intentional_ingestion \
    02a_cond_intentional_O_D 02b_cond_attempted_OD 02c_cond_ODd_on_pills 02d_cond_O_D__on_paracetamol \
    02e_cond_hx_intentional_ODs 02f_cond_intentional_over_dose 02g_cond_took_an_over_dose 02h_cond_hx_of_O_slash_D \
    03b_ra_high_readmission_after_O_D 03c_ra_high_readmission_after_ODs 03d_ra_high_readmission_after_o_slash_d \
    04a_cond_end_quoted_her_life 04b_cond_took_an_quoted_overdose 05a_cond_D_S_H 05b_cond_N_S_S_I 05c_cond_K_M_S \
    05d_cond_C_S_S_R_S__positive 06a_cond_sui_hyphen_newline_cidal 06b_cond_sucidal_misspelt \
    07_foreign_qr_previous_O_D__yes_no_safety_line 10_cond_zi_enumcomma_sha ctl_cond_OD_on_paracetamol_refused \
    ctl_cond_deliberate_overdose_refused ctl_cond_wants_to_quoted_end_her_life_refused \
    ctl_ra_readmission_after_OD_refused; do
    import "$R36/$f.json"
    check "round 36 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
imported_at 36 "$R36" 03a_ra_high_fall_after_O_D red # "Fall after O.D. on sleeping tablets": OD on, read as self-harm

# round 37, from the thirty-sixth outside integrator's open findings (fixtures/fhir/round37): LOINC's C-SSRS named by
# its codes only; item 9's display saying another answer than its code or ordinalValue; a number too small for a
# double read as 0; ICD-11's foundation URL
R37="$(cd "$(dirname "$0")/../fixtures/fhir/round37" && pwd)"
fresh r37
for f in 01a_qr_cssrs_loinc_panel_all_yes 01b_qr_cssrs_loinc_panel_versioned 01c_qr_cssrs_items_only_local_canonical \
    01d_qr_cssrs_items_only_no_canonical 01e_qr_uscore_bh_cssrs_example_shape 02a_phq9_item9_local_several_days_ordinal_0 \
    02b_phq9_item9_local_nearly_every_day_ordinal_0 02c_phq9_item9_local_unknown_display_ordinal_0 \
    02d_phq9_item9_loinc_code_0_display_several_days 03a_phq9_item9_decimal_underflow 03b_phq9_item9_decimal_tiny \
    03c_phq9_item9_decimal_overflow 03d_phq9_item9_ordinal_underflow 04a_cond_icd11_entity_url; do
    import "$R37/$f.json"
    check "round 37 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
import "$R37/02a_phq9_item9_local_several_days_ordinal_0.json"
check "round 37 02a: the refusal names the display and the answer it words" has_err "display \`Several days\` words another answer (1)"
import "$R37/03a_phq9_item9_decimal_underflow.json"
check "round 37 03a: the refusal names the number and where it is" has_err "line 1, column 1428: real number underflow near '1e-400'"
imported_at 37 "$R37" ctl_phq9_item9_decimal_1_0 orange
imported_at 37 "$R37" ctl_phq9_item9_local_several_days_ordinal_1 orange
imported_at 37 "$R37" ctl_phq9_item9_local_not_at_all_ordinal_0 green
imported_at 37 "$R37" ctl_phq9_item9_local_no_display_ordinal_0 green

# round 38, the thirty-seventh outside integrator (fixtures/fhir/round38): an ordinalValue on the Coding made an unknown
# code count as known; displays compared exactly; a suicide screen named by its Questionnaire's item codes, a listed
# condition code or an extra item
R38="$(cd "$(dirname "$0")/../fixtures/fhir/round38" && pwd)"
fresh r38
for f in a1_local_ordcoding_plusieurs a12_local_ordcoding_yes a2_local_ordcoding_several_dot \
    a10_local_ordcoding_nearly_every_day_typo b1_asq_ehr_code_ja_ord0_coding b2_asq_ehr_code_yes_dot_ord0_coding \
    b6_asq_ehr_code_yes_ord0_coding a4_loinc0_disp_several_dot a5_loinc0_disp_1_several a6_loinc0_disp_nbsp \
    a7_loinc0_disp_2spaces a11_loinc0_disp_morethanhalf a3_local_ordanswer_several_dot d8_entry_q_code_cssrs \
    d6_contained_q_definition_cssrs d5_contained_q_loinc_93267 d2_contained_q_snomed_suicidal_thoughts \
    d3_contained_q_icd_R45851 e1_phq9_plus_extra_cssrs_item d1_columbia_canonical_bool c3_local_ordanswer_para_nada; do
    import "$R38/$f.json"
    check "round 38 $f: refused, SAFETY first" sh -c "[ $rc -eq 2 ] && printf '%s' \"\$1\" | head -n 1 | grep -q 'SAFETY: '" _ "$err"
done
check "...nothing imported by any of them" sh -c "[ -z '$(levels)' ]"
imported_at 38 "$R38" b0_asq_all_no_control green
imported_at 38 "$R38" c1_local_ordanswer_not_at_all_dot green      # "Not at all." (refused before)
imported_at 38 "$R38" c2_local_ordanswer_0_dash_not_at_all green   # "0 - Not at all"
imported_at 38 "$R38" c5_local_ordanswer_not_at_all_nbsp green     # a no-break space
imported_at 38 "$R38" c4_local_ordanswer_several_days_1 orange     # "Several days (1)", ordinal 1

finish
