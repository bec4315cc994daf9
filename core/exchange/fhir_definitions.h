/* The definitions a FHIR file gives its own responses (SDC): a response to a Questionnaire sent in the same file
 * (contained, "#id", or an entry named by its url or Questionnaire/id) whose items carry LOINC codes, or items whose
 * `definition` names a LOINC item or an item of one of triage's forms. EHRs send their own linkIds ("q9") and say
 * what each is only there; twenty-first outside integrator: a PHQ-9 item 9 "nearly every day" so defined was refused
 * as "not a questionnaire triage scores" with no SAFETY line. */
#ifndef TRIAGE_FHIR_DEFINITIONS_H
#define TRIAGE_FHIR_DEFINITIONS_H

#include <jansson.h>

#include "form.h"

/* For each QuestionnaireResponse among the n resources whose canonical names no form of fs: a Questionnaire of the
 * file it names that is one of fs's forms gives the response that form's canonical; else each linkId the
 * Questionnaire codes with LOINC, or an item's `definition` names, is rewritten to that code (or to the form's item
 * id, with the form's canonical), in place, so that the response is read as any response coded by LOINC. A file that
 * defines nothing is left as it is. */
void fhir_definitions_apply(const formset *fs, json_t *const *resources, int n);

/* Keys put on a response's item for its reader: the meanings the file gives it when they disagree (the item is
 * refused, read as the safety item when one of them is one), and a safety item's code some Questionnaire of the
 * file gives its linkId when nothing else says what it is (for the SAFETY line of a response that is refused). */
#define FHIR_CONFLICT_KEY "_triage_definitions_disagree"
#define FHIR_SAFETY_HINT_KEY "_triage_safety_item_named"

#endif
