/* The JSON faces of the clinical core: `triage score` and `triage assess`. JSON is built with jansson
 * only, never by string concatenation. Nothing here is stored. */
#ifndef TRIAGE_ASSESS_H
#define TRIAGE_ASSESS_H

#include <jansson.h>

#include "error.h"
#include "engine.h"

/* Largest assess input accepted: far above any real intake, small enough to refuse a flood. */
#define ASSESS_MAX_INPUT (1u << 20)

typedef struct {
    answer_set a;
    char language[16];
    char counselor_gender[32];
    uint32_t concerns;
} assess_input;

/* Parses the assess JSON. On bad input returns false and writes a message naming the field
 * (e.g. `answers.phq9[8]: ...`). */
bool assess_parse(const engine *e, const char *text, size_t len, assess_input *in, error *err);
/* Parses JSON text (at most ASSESS_MAX_INPUT bytes); NULL with `input:LINE:COLUMN: why` on failure. */
json_t *assess_load_json(const char *text, size_t len, error *err);
/* As assess_parse, from a parsed object; extra_fields (NULL-terminated, may be NULL) are top-level keys
 * the caller handles itself (e.g. "client" for `triage intake new`). */
bool assess_parse_value(const engine *e, json_t *root, const char *const *extra_fields, assess_input *in, error *err);
/* Raises result's level to floor (when below) with a reason of its own, first: rule, the text of
 * [intake] RULE.reason.LANG, and because. */
void assess_raise(const engine *e, json_t *result, risk_level floor, const char *rule, const char *because, lang l);

/* A stored reason's text in language l, from the rule data now ([risk] rule.NAME.reason.LANG, or [intake]
 * NAME.reason.LANG for the raised ones: kept_level, unscreened); NULL when the rule is not configured. A saved
 * intake keeps the text in the language it was saved in, so a Chinese desk read English reasons. remote: the
 * caller's wording, for an intake whose assessment says "remote" (a phone or online intake). */
const char *assess_reason_text(const engine *e, const char *rule, bool remote, lang l);

/* Runs risk and matching and builds the output object (reasons in ui language). An assessment that gives no
 * suicide-risk screen at all is at least orange (rule `unscreened`). */
json_t *assess_run(const engine *e, const assess_input *in, lang ui);
/* The same, the channel also from a record object when the answers give none (`intake new` and an import carry it
 * there: a phone intake saved so read "before the client leaves", the wizard's "before the call ends"). */
json_t *assess_run_for(const engine *e, const assess_input *in, json_t *record, lang ui);
/* The channel from the configured channel items ([safety] channel_from) as answered in `in`: which list of safety
 * steps and which wording of a reason apply (unknown: the in-person wording). */
safety_channel assess_channel(const engine *e, const answer_set *a);

/* Scores one complete form from answer texts (codes), as `triage score` does. On bad input returns NULL
 * and writes a message naming the item. */
json_t *score_answers(const form *f, const char *const *texts, int n, error *err);

/* {"total":..,"band":..,"answered":..,"asked":..,"complete":..,"provisional":..,"positive":..,"flags":[..]} */
json_t *score_result_json(const form *f, const score_result *r);

#endif
