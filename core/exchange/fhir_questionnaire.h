/* triage's forms as FHIR R4 Questionnaires (SDC), for `triage forms export --fhir DIR`: an online pre-screen
 * built on a FHIR form renderer (LHC-Forms and the like) can show triage's own forms and send back responses
 * that `triage import fhir` reads without a mapping.
 *
 * Each form becomes a Questionnaire whose url is the canonical the export and import use (core/fhir.h), its
 * items carrying their LOINC codes and linkIds, every choice an answerOption with its code (LOINC where it has
 * one) and ordinalValue (the value triage scores), skip logic (`show_if`) as enableWhen where FHIR can say it
 * (a comparison, or comparisons joined by one of and/or: ASQ question 5, the PHQ-9 difficulty item), the total
 * as a read-only item with an SDC calculatedExpression (the sum of the scored answers' ordinals, given only when
 * every scored item is answered: triage recomputes it, and prorates, on import), and every text in English
 * with its Chinese as the FHIR translation extension. */
#ifndef TRIAGE_FHIR_QUESTIONNAIRE_H
#define TRIAGE_FHIR_QUESTIONNAIRE_H

#include <jansson.h>

#include "error.h"
#include "form.h"

#define FHIR_TRANSLATION "http://hl7.org/fhir/StructureDefinition/translation"
#define FHIR_CALCULATED "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"

/* The Questionnaire of one form (the caller json_decref's it). */
json_t *fhir_questionnaire(const form *f);

/* Writes DIR/ID.json for every form (DIR is made when missing; an existing file is not overwritten). *written:
 * how many. False with why. */
bool fhir_questionnaires_write(const formset *fs, const char *dir, int *written, error *err);

#endif
