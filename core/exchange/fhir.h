/* How triage's forms appear in FHIR R4 (shared by the export, the import and `forms export --fhir`).
 *
 * A form is triage's own Questionnaire, FHIR_QUESTIONNAIRE_BASE + its id (http://triage.example/fhir/
 * Questionnaire/phq9), version the form file's version: triage's form is not LOINC's Questionnaire (its
 * wording, Chinese texts and skip logic are triage's), so it does not claim LOINC's canonical; its LOINC panel
 * code (`loinc` in its forms/ file) is the Questionnaire's `code`. A response names it url|version. An item's linkId is its LOINC code when it has one, else its id. An answer is
 * a LOINC answer Coding (`loinc` of the scale or `answer_loinc` of the item) where LOINC has one, else a
 * Coding in the local system urn:triage:answers:FORM with the scale's code (ASQ, the intake, a refusal). A
 * total is an Observation coded with the form's `total_loinc`, else urn:triage:totals|FORM.
 *
 * What the import accepts is wider, because real systems send it: any canonical whose last path segment is
 * the panel code (with or without a version), a form's `fhir_aliases`, else the form whose items the
 * linkIds name; linkIds with or without a leading "/" (or an item's `fhir_links`); LOINC or local answer
 * codes, valueInteger, an integral valueDecimal, or the ordinalValue extension. A Coding is matched by its
 * system and code only, and only in LOINC's system or triage's own (a Coding without a system is read as
 * either): a Coding with only a display, or a code of another system, is refused naming the linkId and the
 * Coding (a display is wording, not a code). */
#ifndef TRIAGE_FHIR_H
#define TRIAGE_FHIR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "form.h"

#define FHIR_LOINC "http://loinc.org"
#define FHIR_QUESTIONNAIRE_BASE "http://triage.example/fhir/Questionnaire/" /* + form id: triage's canonical */
#define FHIR_LOINC_QUESTIONNAIRE_BASE "http://loinc.org/q/" /* + panel code: LOINC's canonical of its form */
#define FHIR_ANSWERS "urn:triage:answers:"
#define FHIR_TOTALS "urn:triage:totals"
#define FHIR_BANDS "urn:triage:bands:"            /* + form id: a total's band, as its interpretation */
/* triage's own extensions: R4 wants Extension.url an absolute URL naming a StructureDefinition, so they are
 * under triage's canonical base (local definitions, not published) */
#define FHIR_STRUCTURE_BASE "http://triage.example/fhir/StructureDefinition/"
#define FHIR_PRORATED FHIR_STRUCTURE_BASE "prorated" /* a total with missing items replaced by the mean */
#define FHIR_AGE_BAND FHIR_STRUCTURE_BASE "age-band" /* a de-identified Patient's age band (valueString) */
/* a response's intake (valueString: the intake id, de-identified its pseudonym): which responses of a Patient
 * were one intake, whatever their identifiers (an imported response keeps its own) and however coarse their
 * authored (a de-identified export writes the day) */
#define FHIR_INTAKE_EXT FHIR_STRUCTURE_BASE "intake"
#define FHIR_TASKS "urn:triage:tasks"             /* a queue item's Task.code: escalation-LEVEL */
#define FHIR_RULES "urn:triage:rules"             /* Task.reasonCode: the risk rule that set the level */
#define FHIR_LEVELS "urn:triage:levels"           /* RiskAssessment's qualitativeRisk: red, orange, yellow, green */
#define FHIR_ASSESSMENTS "urn:triage:assessments" /* RiskAssessment.code: "level", the level triage's rules gave */
#define FHIR_TASK_INPUTS "urn:triage:task-inputs" /* Task.input.type: "screen", a response of the intake */
#define FHIR_RESPONSE_IDS "urn:triage:responses" /* a response's identifier: INTAKE/FORM (round trips) */
#define FHIR_CLIENT_IDS "urn:triage:clients"       /* a Patient's identifier: triage's client id */
#define FHIR_PSEUDONYMS "urn:triage:pseudonyms"   /* a de-identified Patient's identifier: its client's pseudonym */
/* a de-identified Bundle's meta.security: pseudonymized (the import makes pseudonymous clients of it, never
 * files it in a real client's record: its dates are shifted) */
#define FHIR_SECURITY_SYSTEM "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
#define FHIR_PSEUDED "PSEUDED"
/* a Bundle's meta.extension, and a response's extension: which database it came from (provenance.h), so a
 * de-identified export is never imported back into that database */
#define FHIR_SOURCE_DATABASE FHIR_STRUCTURE_BASE "source-database"
#define FHIR_COUNSELORS "urn:triage:counselors"   /* a Task.owner's identifier: the counselor's code */
#define FHIR_QUEUE_STEPS "urn:triage:queue-steps" /* a queue item's step, its Task.businessStatus */
#define FHIR_ORDINAL "http://hl7.org/fhir/StructureDefinition/ordinalValue"
#define FHIR_ITEM_WEIGHT "http://hl7.org/fhir/StructureDefinition/itemWeight"

/* The form's Questionnaire.url (no version), and the canonical a response names it by (url|version). */
void fhir_questionnaire_url(const form *f, char *out, size_t size);
void fhir_questionnaire_canonical(const form *f, char *out, size_t size);
/* The canonical an exported response names: LOINC's panel as LOINC publishes it (http://loinc.org/q/PANEL, no version)
 * for a form with a LOINC panel and a LOINC code on every item (the response's linkIds are then LOINC's); triage's
 * own canonical otherwise (ASQ, the intake form). */
void fhir_response_questionnaire(const form *f, char *out, size_t size);
/* The form a Questionnaire canonical names, with or without a version: triage's own, an earlier export's
 * urn:triage:questionnaire:ID, a fhir_alias, or any canonical ending in the form's LOINC panel (LOINC's
 * http://loinc.org/q/PANEL and the like); NULL when none. */
const form *fhir_form_of(const formset *fs, const char *url);
/* The form whose items the linkIds of a QuestionnaireResponse's items (and groups) name: every linkId that is
 * not a total must be an item of it (loinc_only: by the item's LOINC code, which means the same anywhere, never by
 * triage's own ids such as item1, which another questionnaire uses too); of several such forms the smallest (a
 * PHQ-2 is also inside a PHQ-9). NULL when none. */
const form *fhir_form_by_items(const formset *fs, json_t *items, bool loinc_only);
const char *fhir_link_id(const form *f, int item);
/* Whether a Coding's system is LOINC's: http://loinc.org as R4 names it, and the spellings real systems send for it
 * (any case, https, www., a trailing "/", no scheme; LOINC's OID 2.16.840.1.113883.6.1 with or without urn:oid:).
 * NULL is no system (false). */
bool fhir_loinc_system(const char *system);
/* A file's codes, systems, linkIds and urls with the blanks around them taken off, in place (any depth): spaces,
 * no-break spaces, zero-width spaces and byte-order marks. R4's code type has none, and " 44260-8" read as no item
 * would leave an item 9 "nearly every day" unseen (fifteenth and sixteenth outside integrators). */
void fhir_trim_codes(json_t *root);
/* The item a linkId names (LOINC code, item id or one of its fhir_links, with or without a leading '/'), or -1. */
int fhir_item_of(const form *f, const char *link_id);
/* Whether a linkId names the form's stated total ("total", the total's LOINC code or a fhir_total_links). */
bool fhir_is_total_link(const form *f, const char *link_id);
/* The system and code of a form's total Observation. */
void fhir_total_code(const form *f, const char **system, const char **code);

/* How choice c of item i is coded: LOINC where it has a code, else the local system (system holds room for
 * the local name). */
/* A Coding {system, code, display}; display may be NULL. */
json_t *fhir_coding(const char *system, const char *code, const char *display);
void fhir_answer_coding(const form *f, int item, int c, char *system, size_t size, const char **code);
/* The choice of item i one FHIR answer (an element of QuestionnaireResponse.item.answer) gives, or -1; *refused
 * is set for the local code "refused". */
int fhir_answer_choice(const form *f, int item, json_t *answer, bool *refused);

/* What the ordinalValue (or itemWeight) extensions of an element state: none, one value (every such extension the
 * same number, valueDecimal or valueInteger), or nothing readable (one whose value is no number, or two that
 * disagree: 0 and 3 on one Coding is no answer, and reading the first would hide a positive item 9). */
typedef enum { FHIR_ORD_NONE, FHIR_ORD_VALUE, FHIR_ORD_UNREADABLE } fhir_ordinal;
/* Whether v (an answer, a value, at any depth but its nested items) carries HL7's data-absent-reason extension: a
 * value beside it is not the client's answer ("asked-declined" beside "not at all"), so it is not readable. */
bool fhir_says_absent(json_t *v);
/* Whether v (at any depth but its nested items) carries a modifierExtension: R4 says an element with a modifier
 * extension the reader does not know must not be read as if it had none (one that says "entered in error" or "not
 * asked" beside "not at all"); triage knows none, so such an answer is not readable. */
bool fhir_has_modifier(json_t *v);
fhir_ordinal fhir_ordinal_of(json_t *element, double *out);
/* The same for an answer, on its Coding and on the answer itself together. The import refuses an answer whose
 * code and stated value disagree, or whose stated value is not readable. */
fhir_ordinal fhir_answer_ordinal(json_t *answer, double *out);
/* Whether the display of an answer's Coding (when it has one) words choice c of item i: its coded display, its
 * code or a label in any language, case and blanks aside. A Coding without a system is known only by its code;
 * on a safety item a display naming something else makes the answer ambiguous (the import refuses it). */
bool fhir_display_fits(const form *f, int item, int c, json_t *answer);
/* The choice of the item's scale the answer Coding's display words (as fhir_display_fits reads it), or -1: none, or no
 * display. */
int fhir_display_choice(const form *f, int item, json_t *answer);
/* Whether the answer Coding's code (with its system) is a code of the item's scale: its choice was read from the code,
 * not from an ordinalValue beside a code triage does not know. */
bool fhir_code_known(const form *f, int item, json_t *answer);

/* A FHIR dateTime (YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss[.fraction] with Z or +hh:mm) as UTC
 * seconds (a partial date: its first day, midnight UTC). False when it is none. */
bool fhir_datetime_parse(const char *text, int64_t *out);

#endif
