/* What another system's record states of a client's risk beside the screens of an imported file: a RiskAssessment's
 * prediction[].qualitativeRisk, an active Condition's code, read by config.ini's [import] lists (CODE:LEVEL,
 * SYSTEM|CODE:LEVEL). The import saves that client's intake at least at the level stated (intake_subject.stated). */
#ifndef TRIAGE_FHIR_STATED_H
#define TRIAGE_FHIR_STATED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "levels.h"

/* The least level coding (system, code) calls for by an [import] list (with_system: SYSTEM|CODE:LEVEL tokens, else
 * CODE:LEVEL); LEVEL_GREEN when it names none */
risk_level fhir_listed_level(const char *list, bool with_system, const char *system, const char *code);
/* Whether a CodeableConcept holds a Coding of one of the codes (NULL-terminated; any system) */
bool fhir_concept_says(json_t *concept, const char *const *codes);
/* Whether Condition r states nothing now: its clinicalStatus ended (inactive, resolved, remission, in HL7's codes,
 * none saying it goes on) or its verificationStatus refuted or entered-in-error */
bool fhir_condition_ended(json_t *r);
/* The first prediction of RiskAssessment r (not entered-in-error or cancelled) whose qualitativeRisk triage does not
 * read (no Coding of triage's levels or of [import] risk_assessment: a probability only, words only, a code of another
 * list), or -1 when it reads them all (or r is no RiskAssessment). Such a prediction is a risk not known: the import
 * refuses the file (twenty-ninth outside integrator: "High" in words, or 0.9 of suicide, were passed over: green). */
int fhir_unread_prediction(const engine *e, json_t *r, bool *outcome_unknown);
/* fhir_unread_prediction's answer for a RiskAssessment with no prediction at all (its result not given). Predictions of
 * another thing (an outcome [import] other_outcomes names: a fall, a heart attack) are passed over by both. A
 * prediction whose outcome is neither that nor suicide or self-harm ("Plan to take her own life" in words no list
 * holds) and that states a risk above negligible, or none triage reads, is returned too, with *outcome_unknown set
 * (may be NULL): triage cannot tell it from a risk of suicide (thirty-second outside integrator: saved green). */
#define FHIR_NO_PREDICTION (-2)
/* The level resource r states of its subject (a RiskAssessment not entered-in-error or cancelled; a Condition not
 * ended or refuted), and what says it into because; LEVEL_GREEN when none */
risk_level fhir_stated_level(const engine *e, json_t *r, char *because, size_t size);

#endif
