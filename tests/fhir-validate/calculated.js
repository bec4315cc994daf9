#!/usr/bin/env node
// Evaluates every SDC calculatedExpression of the Questionnaires given with fhirpath.js 3.13 (pinned: an
// R4-era FHIRPath engine as form renderers such as LHC-Forms embedded it; weight()/ordinal() came only in
// 3.14.0, 2024-07, so an expression using them fails here with "Not implemented: ordinal"), on responses
// built from each Questionnaire's own answerOptions, and checks the result against the sum of the chosen
// options' ordinalValue: every scored item answered (lowest, highest and mixed choices) gives that sum; one
// item unanswered, or answered with an option without an ordinalValue (triage's `refused`), gives no total.
// The scored items are the items whose linkIds the expression names. Usage: node calculated.js Q.json...
// A Questionnaire without a total passes. Prints `ok FILE` or `FAIL FILE: why` per file; exits 1 when any failed.
'use strict';
const fs = require('fs');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

const CALC = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression';
const ORDINAL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

function items(list, out) {
  for (const it of list || []) { out.push(it); items(it.item, out); }
  return out;
}
const ordinal = (opt) => ((opt.extension || []).find((x) => x.url === ORDINAL) || {}).valueDecimal;

function evaluate(q, expr, answers) {
  const qr = { resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: q.url,
    item: Object.entries(answers).map(([linkId, coding]) => ({ linkId, answer: [{ valueCoding: coding }] })) };
  return fhirpath.evaluate(qr, expr, { resource: qr, questionnaire: q }, r4);
}

function check(file) {
  const q = JSON.parse(fs.readFileSync(file, 'utf8'));
  const all = items(q.item, []);
  const problems = [];
  let n = 0;
  for (const total of all) {
    const x = (total.extension || []).find((e) => e.url === CALC);
    if (!x) continue;
    n++;
    const expr = x.valueExpression.expression;
    const quoted = new Set([...expr.matchAll(/'([^']+)'/g)].map((m) => m[1]));
    const scored = all.filter((it) => it !== total && quoted.has(it.linkId));
    if (!scored.length) { problems.push(`${total.linkId}: reads no item`); continue; }
    const options = scored.map((it) => (it.answerOption || []).filter((o) => ordinal(o) !== undefined));
    const pick = (how) => { const a = {}; let sum = 0;
      scored.forEach((it, k) => { const o = options[k][how(k, options[k].length)]; a[it.linkId] = o.valueCoding; sum += ordinal(o); });
      return [a, sum]; };
    for (const [name, how] of [['lowest', () => 0], ['highest', (k, len) => len - 1], ['mixed', (k, len) => k % len]]) {
      const [a, sum] = pick(how);
      let got;
      try { got = evaluate(q, expr, a); } catch (e) { problems.push(`${total.linkId}: ${e.message}`); break; }
      if (got.length !== 1 || got[0] !== sum) problems.push(`${total.linkId}: ${name} answers give ${JSON.stringify(got)}, expected ${sum}`);
    }
    const [a] = pick(() => 0);
    const first = scored[0];
    delete a[first.linkId];
    let got = evaluate(q, expr, a);
    if (got.length) problems.push(`${total.linkId}: ${first.linkId} unanswered gives ${JSON.stringify(got)}, expected no total`);
    const unscored = (first.answerOption || []).find((o) => ordinal(o) === undefined);
    if (unscored) {
      a[first.linkId] = unscored.valueCoding;
      got = evaluate(q, expr, a);
      if (got.length) problems.push(`${total.linkId}: ${first.linkId} answered \`${unscored.valueCoding.code}\` gives ${JSON.stringify(got)}, expected no total`);
    }
  }
  return problems;
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  let problems;
  try { problems = check(file); } catch (e) { problems = [e.message]; }
  if (problems.length) { failed++; console.log(`FAIL ${file}: ${problems.join('; ')}`); } else console.log(`ok ${file}`);
}
process.exit(failed ? 1 : 0);
