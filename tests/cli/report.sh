#!/bin/sh
# Outcomes, reports, export and import, erasure and retention through the command line: KPIs on intakes whose
# outcomes are known, the validation report (confusion matrix, PPV and sensitivity), the k floor, roles, CSV quoting, exports of mode 0600 that never overwrite, the FHIR
# export read back by the import with the same scores, import refusals that name the item, and erasure that
# leaves no trace of a client in the database files.
# Usage: tests/cli/report.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
case $T in /*) ;; *) T="$(pwd)/$T" ;; esac
make_tmp report
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" TZ=UTC LC_ALL=C.UTF-8
unset TRIAGE_CONFIG
mkdir -p "$HOME"
# (export_k 1: these few intakes are each of a rare kind; a de-identified export would withhold them all. The
# withholding is tested by tests/attacks/relink.sh)
test_config "$tmp/config.ini" -e 's/^k_floor = 5/k_floor = 2/' -e 's/^export_k = 5/export_k = 1/'
DB="$tmp/r.db"
export TRIAGE_NOW=2026-03-02T09:00:00Z

P=admin-passphrase-1 R=desk-passphrase-12 C=clin-passphrase-12

tri admin "$P\n" init
tri admin "$P\n$R\n" user add desk --role reception
tri admin "$P\n$C\n" user add clin --role clinician
tri admin "$P\n" roster import assets/counselors.sample.ini
check "set up: staff and roster" has_out "imported 10"

# intake NAME CHANNEL AGE CONCERNS ANSWERS -> client id in $cid, item in $iid
intake() {
    printf '{"client":{"name":"%s","phone":"13800000%s"},"record":{"channel":"%s","age":%s},"concerns":%s,"answers":%s}' \
        "$1" "$2" "$3" "$4" "$5" "$6" >"$tmp/in.json"
    tri desk "$R\n" intake new "$tmp/in.json"
    cid=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
    nol queue --json
    iid=$(printf '%s' "$out" | tr '{' '\n' | grep "\"client_id\":\"$cid\"" | sed -n 's/^"id":"\([^"]*\)".*/\1/p')
}
Y='{"phq9":[2,2,1,1,1,1,1,1,0,"somewhat"]}'
G='{"phq9":[0,0,0,1,0,0,0,0,0,"somewhat"]}'
# four yellow clients by phone (two confirmed yellow, one lowered to green), two green walk-ins
intake "Yi Yellow" 101 phone 22 '["emotional"]' "$Y"; c1=$cid i1=$iid
intake "Er Yellow" 102 phone 30 '["emotional","relationship"]' "$Y"; c2=$cid i2=$iid
intake "San Yellow" 103 phone 40 '["career"]' "$Y"; c3=$cid i3=$iid
intake "Si Green" 104 walk_in 23 '["emotional"]' "$G"; c4=$cid i4=$iid
intake "Wu Green" 105 walk_in 70 '["relationship"]' "$G"; c5=$cid i5=$iid
check "five intakes saved and queued" [ -n "$i5" ]
export TRIAGE_NOW=2026-03-02T12:00:00Z
tri clin "$C\n" queue confirm "$i1"
tri clin "$C\n" queue confirm "$i2"
tri desk "$R\n" queue assign "$i1" c01
tri desk "$R\n" queue assign "$i2" c01
tri clin "$C\n" queue confirm "$i3" green --reason "reviewed: lower"
check "confirmations made" has_out "green"
tri desk "$R\n" queue contact "$i1" reached
# a call to the second client that did not get through is no contact: its first contact stays at 15:00 (a missed call
# counted as the client contacted, and stopped green's clock: fortieth receptionist)
tri desk "$R\n" queue contact "$i2" not-reached
check "a missed call is logged as an attempt, the item still assigned" has_out "assigned"
export TRIAGE_NOW=2026-03-02T15:00:00Z
tri desk "$R\n" queue contact "$i2" reached
tri desk "$R\n" queue decline "$i4" --reason "prefers a woman"
export TRIAGE_NOW=2026-03-20T09:00:00Z
tri desk "$R\n" outcome session "$c1" --date 2026-03-05 --attended yes
check "reception may not record outcomes" [ "$rc" -eq 2 ]
for d in 2026-03-05 2026-03-12 2026-03-19; do tri clin "$C\n" outcome session "$c1" --date $d --attended yes; done
check "a clinician records sessions" has_out "attended recorded"
tri clin "$C\n" outcome session "$i2" --date 2026-03-06 --attended yes
check "...by queue item too" has_out "recorded"
tri clin "$C\n" outcome session "$c3" --date 2026-03-06 --attended no
tri clin "$C\n" outcome session "$c1" --date 2026-13-05 --attended yes
check "a bad date is refused" [ "$rc" -eq 2 ]
tri clin "$C\n" outcome show "$c1" --json
check "outcome show: first session, three attended, active" has_out '"first_session":"attended","first_session_date":"2026-03-05","sessions_attended":3,"last_session_date":"2026-03-19","closed":null,"stage":"active"'

tri desk "$R\n" report
check "reception may not see reports" [ "$rc" -eq 2 ]
tri clin "$C\n" report --from 2026-03-01 --to 2026-03-31 --json
printf '%s' "$out" >"$tmp/report.json"
row() { printf '%s' "$out" | tr '{' '\n' | grep "\"group\":\"$1\",\"value\":\"$2\""; }
all=$(row all all)
check "all: 5 intakes" sh -c "printf '%s' '$all' | grep -q '\"intakes\":5,'"
check "identification accuracy 2 of 3 confirmed" sh -c "printf '%s' '$all' | grep -q '\"identification_accuracy\":0.6667'"
check "first-session completion 2 of 5" sh -c "printf '%s' '$all' | grep -q '\"first_session_rate\":0.4,'"
check "retention 1 of 2 (3 sessions within 90 days)" sh -c "printf '%s' '$all' | grep -q '\"retention_rate\":0.5,'"
check "median time to contact 4.5 hours (3 h and 6 h)" sh -c "printf '%s' '$all' | grep -q '\"median_hours_to_contact\":4.5,'"
check "decline rate 1 of 6 suggestions" sh -c "printf '%s' '$all' | grep -q '\"decline_rate\":0.1667'"
check "phone channel: 3 intakes" sh -c "printf '%s' '$(row channel phone)' | grep -q '\"intakes\":3,'"
check "emotional concern: 3 intakes, 60%" sh -c "printf '%s' '$(row concern emotional)' | grep -q '\"intakes\":3,.*\"share_of_intakes\":0.6,'"
check "career (one client) is under the floor of 2: <2, no figures" sh -c "printf '%s' '$(row concern career)' | grep -q '\"suppressed\":true,\"intakes\":\"<2\",\"identification_accuracy\":null'"
check "age bands: two 18-24" sh -c "printf '%s' '$(row age_band 18-24)' | grep -q '\"intakes\":2,'"
check "no report row holds a name" sh -c "! grep -q 'Yellow\|Green' '$tmp/report.json'"
tri clin "$C\n" report --from 2026-03-01 --to 2026-03-31
check "text report with bars" has_out "emotional .* 60.0% ########################"
tri clin "$C\n" report --from 2026-03-01 --to 2026-03-31 --csv
check "csv report: header and the floor" sh -c "printf '%s' '$out' | head -1 | grep -q '^group,value,intakes,identification_accuracy' && printf '%s' '$out' | grep -q '^concern,career,<2,,'"
tri clin "$C\n" report --from 2026-04-01 --to 2026-04-30 --json
check "an empty range: everything under the floor" has_out '"group":"all","value":"all","suppressed":true'
tri clin "$C\n" report --from 2026-03-31 --to 2026-03-01
check "--to before --from: bad input" [ "$rc" -eq 2 ]

# the validation report: triage's level against the level a clinician confirmed. Known by construction above:
# three yellow confirmed (two yellow, one lowered to green), two green never confirmed (left out); k = 2.
tri desk "$R\n" report --validation
check "validation: reception may not see it" [ "$rc" -eq 2 ]
tri clin "$C\n" report --validation --from 2026-03-01 --to 2026-03-31
check "validation: 3 confirmed, the 2 unconfirmed left out and counted" has_out "^3 intakes confirmed by a clinician; 2 not confirmed, left out"
check "validation: the yellow row, the single lowered one under the floor" has_out "^yellow  *0  *0  *2  *<2  *3   0$"
check "validation: the green row, both left out" has_out "^green  *0  *0  *0  *0  *0   2$"
check "validation: PPV of yellow 2 of 3 with its Wilson interval (0.2077-0.9385)" has_out "^yellow  *67% (2/3, 95% CI 21-94%)  *100% (2/2, 95% CI 34-100%)"
check "validation: no share from a group under the floor (green: 0 of 1)" has_out "^green  *n/a (0/0)  *- (0/<2)"
check "validation: nothing confirmed red or orange, no division by zero" has_out "sensitivity n/a (0/0): of those a clinician confirmed red or orange"
tri clin "$C\n" report --validation --from 2026-03-01 --to 2026-03-31 --json
check "validation JSON: the matrix row and the unconfirmed" sh -c "printf '%s' '$out' | grep -q '\"not_confirmed\":2,.*\"yellow\":{\"red\":0,\"orange\":0,\"yellow\":2,\"green\":\"<2\",\"total\":3,\"not_confirmed\":0}'"
check "validation JSON: PPV of yellow" has_out '"level":"yellow","ppv":{"x":2,"n":3,"value":0.6667,"ci_low":0.2077,"ci_high":0.9385}'
tri clin "$C\n" report --validation --from 2026-03-01 --to 2026-03-31 --csv
check "validation CSV: header, a cell under the floor, a PPV" sh -c "printf '%s' '$out' | head -1 | grep -q '^measure,triage_level,confirmed_level,count,n,value,ci_low,ci_high' && printf '%s' '$out' | grep -q '^cell,yellow,green,<2,' && printf '%s' '$out' | grep -q '^ppv,yellow,yellow,2,3,0.6667,0.2077,0.9385'"
tri clin "$C\n" report --validation --from 2026-04-01 --to 2026-04-30
check "validation of an empty range: zeros" has_out "^0 intakes confirmed by a clinician; 0 not confirmed"
check "...and n/a, never a division by zero" sh -c "grep -q '^red  *n/a (0/0)  *n/a (0/0)' '$tmp/out' && ! grep -q 'nan%\|inf%' '$tmp/out'"

# export: CSV quoting with commas, quotes, newlines and Chinese
printf '{"client":{"name":"王, \\"小明\\"\\n二行","phone":"139"},"answers":%s}' "$G" >"$tmp/q.json"
tri desk "$R\n" intake new "$tmp/q.json"
cq=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
tri clin "$C\n" export --format csv --out "$tmp/x.csv"
check "export is a supervisor's" [ "$rc" -eq 2 ]
tri admin "$P\n" export --format csv --bom --out "$tmp/x.csv"
check "csv export" has_out "exported 6 intakes"
check "the file has mode 0600" [ "$(stat -c %a "$tmp/x.csv")" = 600 ]
check "a UTF-8 byte-order mark first (--bom)" [ "$(head -c 3 "$tmp/x.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
check "a field with a comma, quotes and a newline is quoted, quotes doubled" grep -q '"王, ""小明""' "$tmp/x.csv"
check "...and keeps its newline inside the field" grep -q '^二行",139,' "$tmp/x.csv"
check "rows end with CRLF" sh -c "head -1 '$tmp/x.csv' | od -c | grep -q '\\\\r  \\\\n'"
tri admin "$P\n" export --format csv --out "$tmp/x.csv"
check "an existing file is never overwritten" sh -c "[ $rc -eq 1 ] && printf '%s' '$err' | grep -q 'already exists'"
# the CSV's data dictionary: one row per column of the export, with its meaning, codes and units
tri admin "$P\n" export --format csv --deidentify --dictionary "$tmp/dict.csv" --out "$tmp/xd.csv"
check "csv --dictionary writes the data dictionary" has_out "its data dictionary: $tmp/dict.csv"
dict_covers() { [ "$(head -1 "$1" | tr -d '\r' | tr ',' '\n')" = "$(sed 1d "$2" | cut -d, -f1 | tr -d '\r')" ]; }
check "...a row for every column of the export, in order" dict_covers "$tmp/xd.csv" "$tmp/dict.csv"
# (LOINC's own display where it words an answer otherwise: twelfth outside integrator)
check "...with each answer's code, label and LOINC code (and LOINC's display), the bands, the units and the prorating rule" \
    sh -c "grep -q '^phq9.item1,.*0=Not at all (LOINC LA6568-5)' '$tmp/dict.csv' && grep -q '^gad7.item2,.*2=More than half the days (LOINC LA18938-3 \"\"More days than not\"\")' '$tmp/dict.csv' && grep -q '^phq9.total,.*{score},44261-6' '$tmp/dict.csv' && grep -q '^phq9.band,.*moderate=Moderate (total 10-14)' '$tmp/dict.csv' && grep -q '^phq9.scoring,.*prorated=up to 2 missing' '$tmp/dict.csv'"
# issue 15: the identifiable CSV carries the concern codes (its concerns column has only the categories, where
# self_harm counts as other), and its dictionary says so
tri admin "$P\n" export --format csv --dictionary "$tmp/dicti.csv" --out "$tmp/xi.csv"
check "identifiable csv: a row for every column in its dictionary, concern_codes last" \
    sh -c "dict_covers() { [ \"\$(head -1 \"\$1\" | tr -d '\\r' | tr ',' '\\n')\" = \"\$(sed 1d \"\$2\" | cut -d, -f1 | tr -d '\\r')\" ]; }; dict_covers '$tmp/xi.csv' '$tmp/dicti.csv' && head -1 '$tmp/xi.csv' | tr -d '\\r' | grep -q ',concern_codes\$'"
check "...the codes of each intake (emotional relationship), and self_harm in the dictionary" \
    sh -c "grep -q ',emotional relationship.\$' '$tmp/xi.csv' && grep -q '^concern_codes,.*self_harm=Self-harm or thoughts of suicide' '$tmp/dicti.csv' && ! grep -q concern_codes '$tmp/xd.csv'"
tri admin "$P\n" export --format json --dictionary "$tmp/dict2.csv" --out "$tmp/x.jsonl"
check "...only with the CSV" sh -c "[ $rc -eq 2 ] && [ ! -e '$tmp/dict2.csv' ]"
tri admin "$P\n" export --format json --deidentify --out "$tmp/d.jsonl"
check "de-identified JSON lines" has_out "de-identified"
check "...without names, phones or birth dates" sh -c "! grep -q 'Yellow\|小明\|13800000\|\"name\"\|\"phone\":\|birth' '$tmp/d.jsonl'"
check "...with age bands and pseudonyms instead of ids" sh -c "grep -q '\"age_band\":\"18-24\"' '$tmp/d.jsonl' && ! grep -q '$c1' '$tmp/d.jsonl'"
tri admin "$P\n" export --format json --deidentify --out "$tmp/d2.jsonl"
check "pseudonyms are stable from one export to the next" cmp -s "$tmp/d.jsonl" "$tmp/d2.jsonl"
tri admin "$P\n" export --format fhir --from 2026-03-01 --to 2026-03-02 --out "$tmp/b.json"
check "FHIR export" has_out "exported 5 intakes"
# the canonical as LOINC publishes it, no version (issue 15; twelfth outside integrator: triage's own canonical left the
# EHR no LOINC panel on the response); a form without a LOINC panel (the ASQ, the intake form) keeps triage's own
check "a Bundle with LOINC-coded PHQ-9 responses naming LOINC's canonical, no version" sh -c "grep -q '\"questionnaire\":\"http://loinc.org/q/44249-1\",' '$tmp/b.json' && grep -q '\"linkId\":\"44250-9\"' '$tmp/b.json' && ! grep -q 'loinc.org/q/44249-1|' '$tmp/b.json' && ! grep -q 'Questionnaire/phq9' '$tmp/b.json'"
check "an Observation per total (LOINC 44261-6)" grep -q '"code":"44261-6"' "$tmp/b.json"
check "...coded with LOINC's name of the total" grep -q '"code":"44261-6","display":"Patient Health Questionnaire 9 item (PHQ-9) total score \[Reported\]"' "$tmp/b.json"
check "a Task per open escalation with its deadline" sh -c "grep -q '\"resourceType\":\"Task\"' '$tmp/b.json' && grep -q '\"end\":\"2026-0' '$tmp/b.json'"
# the level triage gave stays in the Bundle when a clinician lowers the queue's (seventh outside integrator: the
# Task said "green: confirmed" and nothing said triage gave yellow; the CSV keeps both)
check "a RiskAssessment per intake with the level triage gave (qualitativeRisk urn:triage:levels)" sh -c "[ \$(grep -c '\"resourceType\":\"RiskAssessment\"' '$tmp/b.json') -eq 5 ] && [ \$(grep '\"resourceType\":\"RiskAssessment\"' '$tmp/b.json' | grep -c '\"qualitativeRisk\":{\"coding\":\[{\"system\":\"urn:triage:levels\",\"code\":\"yellow\"') -eq 3 ]"
check "...the lowered one says so: yellow kept, a note names the queue's green and the lowering" sh -c "grep '\"resourceType\":\"RiskAssessment\"' '$tmp/b.json' | grep '\"code\":\"yellow\"' | grep -q 'The queue holds this intake at green: a clinician lowered it from yellow'"
check "...and its Task says triage gave yellow, with the RiskAssessment as its reasonReference" sh -c "grep '\"resourceType\":\"Task\"' '$tmp/b.json' | grep 'escalation-green' | grep '\"reasonReference\"' | grep -q 'triage green: confirmed (triage gave yellow; lowered by a clinician)'"
check "...a Task not lowered says nothing of it" sh -c "[ \$(grep '\"resourceType\":\"Task\"' '$tmp/b.json' | grep -c 'lowered') -eq 1 ]"

# an independent FHIR R4 check (tests/fhir-validate, installed by `make test`): the official R4 JSON schema and
# every reference resolving inside its Bundle; a Bundle with a dangling reference must fail it
tri admin "$P\n" export --format fhir --deidentify --from 2026-03-01 --to 2026-03-02 --out "$tmp/bd.json"
# nothing in the range (a day with no intake; de-identified, every intake withheld): a Bundle without "entry", not
# "entry":[] (FHIR JSON has no empty arrays; the validator below checks)
tri admin "$P\n" export --format fhir --from 2020-01-01 --to 2020-01-02 --out "$tmp/none.json"
check "an export of a range with no intake: a Bundle with no entry array" sh -c "[ $rc -eq 0 ] && grep -q '\"resourceType\":\"Bundle\"' '$tmp/none.json' && ! grep -q '\"entry\"' '$tmp/none.json'"
tri admin "$P\n" export --format fhir --deidentify --from 2020-01-01 --to 2020-01-02 --out "$tmp/none-d.json"
sed 's/"type":"collection"/"type":"collection","entry":[]/' "$tmp/none.json" >"$tmp/emptyarray.json"
sed '0,/"derivedFrom":\[{"reference":"urn:uuid:[0-9a-f]/s//"derivedFrom":[{"reference":"urn:uuid:x/' "$tmp/b.json" >"$tmp/dangling.json"
sed '0,/"status":"final"/s//"status":"done"/' "$tmp/b.json" >"$tmp/badstatus.json"
if [ -f tests/fhir-validate/node_modules/.installed ]; then
    check "the FHIR exports are valid FHIR R4 with every reference resolved (independent validator)" \
        node tests/fhir-validate/validate.js "$tmp/b.json" "$tmp/bd.json" "$tmp/none.json" "$tmp/none-d.json"
    check "...and the validator fails a dangling reference, a status R4 has not and an empty array" \
        sh -c "node tests/fhir-validate/validate.js '$tmp/dangling.json' '$tmp/badstatus.json' '$tmp/emptyarray.json' | grep -c '^FAIL' | grep -qx 3"
else
    check "the FHIR validator is installed (make fhir-validator)" false
fi
# triage's forms as FHIR Questionnaires for an online pre-screen
tri admin "$P\n" forms export --fhir "$tmp/q"
check "forms export --fhir writes a Questionnaire per form" sh -c "[ $rc -eq 0 ] && [ -f '$tmp/q/phq9.json' ] && [ -f '$tmp/q/asq.json' ]"
check "...with LOINC answers and their ordinal values, triage's canonical and version with LOINC's panel as its code, and the Chinese" \
    sh -c "grep -q '\"url\": \"http://triage.example/fhir/Questionnaire/phq9\"' '$tmp/q/phq9.json' && grep -q '\"version\"' '$tmp/q/phq9.json' && grep -q '\"code\": \"44249-1\"' '$tmp/q/phq9.json' && ! grep -q 'loinc.org/q/' '$tmp/q/phq9.json' && grep -q 'LA6570-1' '$tmp/q/phq9.json' && grep -q 'ordinalValue' '$tmp/q/phq9.json' && grep -q '\"zh-CN\"' '$tmp/q/phq9.json'"
check "...ASQ question 5 behind an enableWhen, the PHQ-9 total as a calculatedExpression" \
    sh -c "grep -q enableWhen '$tmp/q/asq.json' && grep -q calculatedExpression '$tmp/q/phq9.json'"
# the codes' displays are LOINC's names (forms/: loinc_display), not triage's titles or wording
check "...whose codes carry LOINC's displays, not triage's titles (44249-1, 69737-5, 44261-6, 44250-9)" \
    sh -c "grep -q '\"display\": \"PHQ-9 quick depression assessment panel\"' '$tmp/q/phq9.json' &&
           grep -q '\"display\": \"Generalized anxiety disorder 7 item (GAD-7)\"' '$tmp/q/gad7.json' &&
           grep -q '\"display\": \"Patient Health Questionnaire 9 item (PHQ-9) total score \[Reported\]\"' '$tmp/q/phq9.json' &&
           grep -q '\"display\": \"Little interest or pleasure in doing things\"' '$tmp/q/phq9.json' &&
           ! grep -q '\"display\": \"Patient Health Questionnaire-9 (PHQ-9)\"' '$tmp/q/phq9.json'"
# the GAD-2 has no LOINC panel or total (forms/gad2.ini says why): its Questionnaire claims none, never the
# PHQ-4's (69724-3, total 70272-0), and its items carry their LOINC codes with LOINC's names
check "...the GAD-2's without a panel code (none exists; never the PHQ-4's 69724-3 or 70272-0), its items with theirs" \
    sh -c "[ -f '$tmp/q/gad2.json' ] && ! grep -q '69724-3\|70272-0' '$tmp/q/gad2.json' && ! grep -q 'http://loinc.org/q/' '$tmp/q/gad2.json' &&
           [ \"\$(grep -c '\"code\": \"69725-0\"\|\"code\": \"68509-9\"' '$tmp/q/gad2.json')\" -ge 2 ] &&
           grep -q '\"display\": \"Feeling nervous, anxious or on edge\"' '$tmp/q/gad2.json' &&
           ! grep -q '^  \"code\"' '$tmp/q/gad2.json' && grep -q '^  \"code\"' '$tmp/q/gad7.json'"
if [ -f tests/fhir-validate/node_modules/.installed ]; then
    check "...each a valid FHIR R4 Questionnaire (independent validator)" node tests/fhir-validate/validate.js "$tmp"/q/*.json
    # the total as an R4-era renderer computes it: fhirpath.js 3.13 has no ordinal(), which the expression used
    check "...whose totals' calculatedExpression fhirpath.js 3.13 evaluates to the sum of the chosen options' ordinalValue" \
        node tests/fhir-validate/calculated.js "$tmp"/q/*.json
fi
tri admin "$P\n" forms export --fhir "$tmp/q"
check "...and never overwrites one" sh -c "[ $rc -ne 0 ] && printf '%s' '$err' | grep -q 'never overwritten'"

# FHIR round trip into a second database: same scores
DB2=$DB DB="$tmp/r2.db"
tri admin "$P\n" init
tri admin "$P\n$R\n" user add desk --role reception
tri desk "$R\n" import fhir "$tmp/b.json"
check "the FHIR export imports: 10 responses (the intake form and the PHQ-9 of each), 5 intakes, 5 new clients" has_out "imported 10 responses as 5 intakes (5 clients new, 0 found)"
tri admin "$P\n" export --format csv --out "$tmp/y.csv"
DB=$DB2
cols() { cut -d, -f7,13- "$1" | sed 1d | sort; }
tri admin "$P\n" export --format csv --from 2026-03-01 --to 2026-03-02 --out "$tmp/x2.csv"
check "...with the same levels, totals, bands and answers" sh -c "[ \"\$(cut -d, -f7,13- '$tmp/x2.csv' | sed 1d | sort)\" = \"\$(cut -d, -f7,13- '$tmp/y.csv' | sed 1d | sort)\" ]"
DB="$tmp/r2.db"
tri desk "$R\n" import fhir "$tmp/b.json"
check "importing the same file again saves nothing: every response is recognised by its identifier" \
    sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q 'imported 0 responses as 0 intakes' && printf '%s' '$out' | grep -q '10 responses were already imported, not saved again'"
# ...and the round trip back: the second database's export names the responses as the first wrote them
tri admin "$P\n" export --format fhir --out "$tmp/back.json"
DB=$DB2
tri desk "$R\n" import fhir "$tmp/back.json"
check "...and the second database's export, imported into the first, is recognised there too (idempotent round trip)" \
    has_out "10 responses were already imported, not saved again"

# --client with a file whose Patient is someone else: refused naming both, unless --accept-patient-mismatch
GADQR='{"linkId":"69725-0","answer":[{"valueInteger":1}]},{"linkId":"68509-9","answer":[{"valueInteger":1}]},{"linkId":"69733-4","answer":[{"valueInteger":1}]},{"linkId":"69734-2","answer":[{"valueInteger":0}]},{"linkId":"69735-9","answer":[{"valueInteger":0}]},{"linkId":"69689-8","answer":[{"valueInteger":0}]},{"linkId":"69736-7","answer":[{"valueInteger":0}]}'
printf '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","name":[{"text":"Someone Else"}]}},{"fullUrl":"urn:uuid:q1","resource":{"resourceType":"QuestionnaireResponse","id":"q1","status":"completed","questionnaire":"http://loinc.org/q/69737-5","subject":{"reference":"urn:uuid:p1"},"item":[%s]}}]}' "$GADQR" >"$tmp/other.json"
tri desk "$R\n" import fhir "$tmp/other.json" --client "$c1"
rc_other=$rc
check "import --client with another person's Patient is refused naming both" \
    has_err "its Patient is not client $c1 (name \`Someone Else\`, the client's \`Yi Yellow\`)"
check "...with exit 2" [ "$rc_other" -eq 2 ]
check "...the override named" has_err "accept-patient-mismatch"
tri desk "$R\n" import fhir "$tmp/other.json" --client "$c1" --accept-patient-mismatch
check "...and taken for that client with --accept-patient-mismatch" has_out "imported 1 response as 1 intake (0 clients new, 1 found)"

# issue 15, safety: a client orange only by the self_harm presenting concern (PHQ-9 negative) stays orange
# through export --format fhir and an import into an empty database (the intake form's response goes with it)
DBK=$DB DB="$tmp/s1.db"
tri admin "$P\n" init
tri admin "$P\n$R\n" user add desk --role reception
printf '{"client":{"name":"Self Harm","phone":"13800000201"},"record":{"channel":"phone","age":30},"concerns":["self_harm"],"answers":{"phq9":[0,0,0,1,0,0,0,0,0,"not_difficult"]}}' >"$tmp/sh.json"
tri desk "$R\n" intake new "$tmp/sh.json"
check "self_harm concern with a negative PHQ-9: orange" sh -c "[ $rc -eq 0 ] && printf '%s' '$out' | grep -q '\"level\":\"orange\"'"
tri admin "$P\n" export --format fhir --out "$tmp/sh-b.json"
check "...its export carries the intake form's response with the concern, and the Task's reason" \
    sh -c "grep -q '\"questionnaire\":\"http://triage.example/fhir/Questionnaire/intake|' '$tmp/sh-b.json' && grep -q '\"code\":\"self_harm\"' '$tmp/sh-b.json' && grep -q 'urn:triage:rules\",\"code\":\"self_harm_concern\"' '$tmp/sh-b.json'"
DB="$tmp/s2.db"
tri admin "$P\n" init
tri admin "$P\n$R\n" user add desk --role reception
tri desk "$R\n" import fhir "$tmp/sh-b.json"
check "...imported into an empty database" has_out "imported 2 responses as 1 intake (1 client new, 0 found)"
nol queue --json
check "...it is orange there too" sh -c "printf '%s' '$out' | grep -q '\"level\":\"orange\"' && ! printf '%s' '$out' | grep -q '\"level\":\"green\"'"
DB=$DBK

# import refusals name the item
python_free_edit() { sed "$1" "$tmp/b.json" >"$tmp/bad.json"; tri desk "$R\n" import fhir "$tmp/bad.json"; }
python_free_edit '0,/"code":"LA6570-1"/s//"code":"LA0000-0"/'
check "a wrong answer code is refused naming the linkId" sh -c "[ $rc -eq 2 ] && printf '%s' '$err' | grep -q 'linkId \`44[0-9-]*\`.*phq9.item'"
check "...and nothing is imported" has_err "nothing was imported\|QuestionnaireResponse"
python_free_edit '0,/"valueInteger":\([0-9]*\),"interpretation"/s//"valueInteger":99,"interpretation"/'
check "a wrong total is refused naming the response" sh -c "[ $rc -eq 2 ] && printf '%s' '$err' | grep -q 'stated total 99 (its Observation) disagrees'"
python_free_edit '0,/"linkId":"44250-9"/s//"linkId":"44250-X"/'
check "an unknown linkId is refused" has_err 'linkId `44250-X` is not an item of phq9'
printf '{"resourceType": "Bundle", "entry": [' >"$tmp/bad.json"
tri desk "$R\n" import fhir "$tmp/bad.json"
check "malformed JSON is refused with line and column" sh -c "[ $rc -eq 2 ] && printf '%s' '$err' | grep -q 'not valid JSON: line 1, column'"

# erasure: no trace of a sentinel left in the files
printf '{"client":{"name":"SENTINELNAME Qq","phone":"13955550000","birth_date":"1990-01-02"},"notes":"SENTINELNOTE","answers":%s}' "$Y" >"$tmp/s.json"
tri desk "$R\n" intake new "$tmp/s.json"
cs=$(printf '%s' "$out" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
tri clin "$C\n" report --from 2026-03-20 --to 2026-03-20 --json
before=$(printf '%s' "$out" | tr '{' '\n' | grep '"group":"all"')
tri clin "$C\n" client erase "$cs"
check "erasure is a supervisor's" [ "$rc" -eq 2 ]
tri admin "$P\n" client erase "$cs"
check "a supervisor erases the client" has_out "erased client $cs"
tri admin "$P\n" client find SENTINELNAME
check "the client is no longer found" has_out "no client found"
check "no trace of the name or the note in the database or its WAL" sh -c "! cat '$DB' '$DB-wal' 2>/dev/null | grep -a -q 'SENTINEL'"
tri clin "$C\n" report --from 2026-03-20 --to 2026-03-20 --json
after=$(printf '%s' "$out" | tr '{' '\n' | grep '"group":"all"')
check "the KPIs still count the erased intake" [ "$before" = "$after" ]
tri admin "$P\n" verify
check "verify is sound after erasure" has_out "^sound"
tri admin "$P\n" client erase "$cs"
check "erasing again: no such client" [ "$rc" -eq 2 ]

# retention
nol retention
check "retention: nothing due yet" has_out "due for erasure: 0 unfinished intakes older than 30 days, 0 closed records"
tri clin "$C\n" queue confirm "$i5"
tri clin "$C\n" queue close "$i5" referred
check "an item closed (referred)" has_out "closed"
export TRIAGE_NOW=2033-06-01T00:00:00Z
nol retention
check "seven years after closing: one closed record due" has_out "1 closed record older than 7 years"
tri clin "$C\n" retention apply
check "retention apply is a supervisor's" [ "$rc" -eq 2 ]
tri admin "$P\n" retention apply
check "retention apply erases it" has_out "erased 0 unfinished intakes and 1 closed record"
nol retention
check "nothing due afterwards" has_out "0 closed records"

# eighth outside integrator: the lowering went out of the Bundle with the Task once the item closed, and a level
# raised since read as the level triage gave
tri clin "$C\n" queue close "$i3" referred
check "set up: the lowered item closed" has_out "closed"
tri desk "$R\n" queue raise "$i4" yellow --reason "sounded worse on the phone"
check "set up: a green item raised to yellow" has_out "yellow"
# tenth outside integrator: raised from a level a rule set, the rule stood as the raised Task's reason
tri desk "$R\n" queue raise "$i1" red --reason "worse on the phone"
check "set up: an item triage gave orange (unscreened) raised to red" has_out "red"
tri admin "$P\n" export --format fhir --out "$tmp/closed.json"
check "a closed lowered item: its RiskAssessment still says the clinician confirmed it lower, with a reason" \
    sh -c "grep '\"resourceType\":\"RiskAssessment\"' '$tmp/closed.json' | grep '\"code\":\"yellow\"' | grep -q 'A clinician confirmed this intake at green, lower than the yellow triage gave'"
check "a raised item's Task says the level triage gave and that it was raised since" \
    grep -q 'triage yellow: open (triage gave green; raised since)' "$tmp/closed.json"
check "...with the raise as its reasonCode, no rule having set green (ninth outside integrator: none)" \
    sh -c "grep 'triage gave green; raised since' '$tmp/closed.json' | grep -q '\"reasonCode\":{\"coding\":\[{\"system\":\"urn:triage:rules\",\"code\":\"raised\"'"
check "...raised from a level a rule set: the raise is the reason too, not that rule" \
    sh -c "grep 'triage red: open (triage gave orange; raised since)' '$tmp/closed.json' | grep -q '\"reasonCode\":{\"coding\":\[{\"system\":\"urn:triage:rules\",\"code\":\"raised\".*Raised to red since triage gave orange'"
if [ -f tests/fhir-validate/node_modules/.installed ]; then
    check "...a valid FHIR R4 Bundle (independent validator)" node tests/fhir-validate/validate.js "$tmp/closed.json"
fi

finish
