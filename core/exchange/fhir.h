/* How triage's forms appear in FHIR R4 (shared by export and import): a form is the Questionnaire
 * http://loinc.org/q/PANEL when it has a LOINC panel code (the `loinc` key of its forms/ file), else
 * urn:triage:questionnaire:ID; an item's linkId is its LOINC code when it has one, else its id; an answer is
 * a Coding in the system urn:triage:answers:FORM with the scale's code; a total is an Observation coded with
 * the form's `total_loinc`, else urn:triage:totals|FORM. ASQ has no LOINC code and uses the local systems. */
#ifndef TRIAGE_FHIR_H
#define TRIAGE_FHIR_H

#include <stddef.h>

#include "form.h"

#define FHIR_LOINC "http://loinc.org"
#define FHIR_ANSWERS "urn:triage:answers:"
#define FHIR_TOTALS "urn:triage:totals"

void fhir_questionnaire_url(const form *f, char *out, size_t size);
/* The form a Questionnaire canonical names (a version after '|' is ignored), or NULL. */
const form *fhir_form_of(const formset *fs, const char *url);
const char *fhir_link_id(const form *f, int item);
/* The item a linkId names (LOINC code or item id, with or without a leading '/'), or -1. */
int fhir_item_of(const form *f, const char *link_id);
/* The system and code of a form's total Observation. */
void fhir_total_code(const form *f, const char **system, const char **code);

#endif
