/* The stored intake body, built here and read through here only:
 *   {"input": the answers as `triage assess` reads them (language, concerns, preferences, answers by form),
 *    "record": the record form's choice and number answers (channel, age),
 *    "texts": the record form's text answers that are not the client's identity (occupation), absent when none,
 *    "assessment": the result of assess_run (level, reasons, scores, matches)}.
 * It is sealed whole by the store; the report facts, the record view and the exports read it back. */
#ifndef TRIAGE_INTAKE_BODY_H
#define TRIAGE_INTAKE_BODY_H

#include <jansson.h>

#include "assess.h"

/* Counts every item not reached as passed without an answer, then rescores: after this, what the rules see
 * is what will be saved. */
void intake_answers_final(const engine *e, assess_input *in);
/* The same for one form f of a: its items not reached yet counted as unanswered, and it rescored. */
void intake_form_answers_final(answer_set *a, int f);

/* A text item of a record form that the intake keeps (in the body's "texts"): not the client's identity, which is
 * sealed with the client (a name, a phone or call-back number, a birth date). NULL when key is no such item. The
 * wizard asked the occupation and kept it nowhere (found reading the code, sixteenth session). */
const form_item *intake_kept_text_item(const engine *e, const char *key);

/* A record object as a file gives it (`intake new`'s "record"): every key a choice or number item of a record form
 * (the intake form's channel, age...), a choice by one of its codes, a number a whole one in range, a kept text item
 * (above) a line of text within its length; false with a
 * message naming the field (twenty-ninth receptionist and thirteenth integrator: "Phone", 1 and "telephone"
 * were stored as channels, worded a caller's reasons for the room, and broke the FHIR round trip). */
bool intake_record_check(const engine *e, json_t *record, error *err);

/* The stored body: {"input": the answers as `triage assess` reads them, "record": ..., "assessment": ...}.
 * The assessment is computed here from in (reasons in language ui). */
json_t *intake_body_build(const engine *e, const assess_input *in, json_t *record, lang ui);

/* Parts of a stored body (NULL when absent; borrowed, not owned). */
json_t *intake_body_input(const json_t *body);
json_t *intake_body_record(const json_t *body);
json_t *intake_body_texts(const json_t *body); /* the kept text answers by item id */
json_t *intake_body_assessment(const json_t *body);
json_t *intake_body_answers(const json_t *body, const char *form_id); /* the form's answers, one per item */
json_t *intake_body_scores(const json_t *body, const char *form_id);  /* the form's score object */
json_t *intake_body_concerns(const json_t *body);                     /* input.concerns: an array of codes */
const char *intake_body_level(const json_t *body);                    /* the sealed level, or NULL */

#endif
