/* Risk rules: data from config.ini [risk], each a level, a condition and a reason in both languages.
 * The result is the highest level whose rules fire, with every rule that fired and the values that made
 * it fire. */
#ifndef TRIAGE_RISK_H
#define TRIAGE_RISK_H

#include "error.h"
#include "answer_set.h"
#include "diag.h"
#include "expr.h"
#include "ini.h"
#include "levels.h"

#define RISK_MAX_RULES 64

typedef struct {
    char *name;
    risk_level level;
    expr *when;
    char *when_text;
    char *reason[LANG_COUNT];
    char *reason_remote[LANG_COUNT]; /* optional rule.NAME.reason.remote.LANG: the reason for a caller (phone, online):
                                      * "before the client leaves" does not fit a call (fifth tryout), or NULL */
    char *advice[LANG_COUNT]; /* optional rule.NAME.advice.LANG: what to do next ("Ask the ASQ."), or NULL */
    int advice_until;         /* optional rule.NAME.advice_until = FORM: the advice holds until that form is
                               * begun (a form index), or -1: always */
    bool advice_until_complete; /* "FORM complete": until every required question of it is answered instead */
    char *steps;   /* optional rule.NAME.steps: the safety step set it needs shown and acknowledged, or NULL */
    uint32_t forms; /* the forms its condition reads, one bit per form index (a step set waits until the
                       interview has left them: the ASQ's outcome is known only after its last question) */
    int steps_set; /* its index in the configuration's [safety] sets (bound by engine_load), or -1 */
    int line;
} risk_rule;

typedef struct {
    risk_rule *v;
    int n;
    const formset *fs;
} ruleset;

typedef struct {
    int rule;
    char because[256]; /* e.g. "phq9.item9 = 2" or "phq9.total = 12 (provisional, 7/9 answered)" */
} risk_reason;

typedef struct {
    risk_level level;
    risk_reason fired[RISK_MAX_RULES];
    int n_fired;
} risk_result;


/* Reads the rules of [risk] and binds them to the forms. Refuses (false, with diagnostics naming the
 * line) a malformed rule, and a rule set that would leave any positive safety item green. */
bool ruleset_load(ruleset *rs, const ini_file *ini, const formset *fs, diag *d);
void ruleset_free(ruleset *rs);

/* A condition in the rules' language (FORM.ITEM, FORM.total, intake.concerns has CODE, ...) outside a rule,
 * e.g. [intake] ask.FORM: parsed and bound to the forms; NULL with why on failure. */
expr *risk_condition_load(const char *text, const formset *fs, error *err);
bool risk_condition_holds(const expr *x, const answer_set *a);

/* A fired rule's advice in language l while it still holds (NULL: none, or its form was begun). */
const char *risk_rule_advice(const risk_rule *r, const answer_set *a, lang l);
/* Evaluates every rule; the fired list is ordered by level (highest first), then file order. */
void risk_evaluate(const ruleset *rs, const answer_set *a, risk_result *out);

/* A fired rule's reason in language l: the caller's wording (reason.remote) when the client is remote and the
 * rule has one, else its reason. */
const char *risk_rule_reason(const risk_rule *r, bool remote, lang l);

#endif
