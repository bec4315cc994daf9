/* Scoring: a pure function of (form, answers). No allocation, so it can run on every key press.
 * Missing items are handled as the instrument's scoring says (the form's missing_items, with its source):
 * up to that many missing are each replaced by the mean of the answered items (prorated, rounded half up);
 * more makes the form incomplete (no valid total, no band), never a sum of what is there. Items the
 * interview has not reached yet are not missing: the total is then provisional, a lower bound that more
 * answers can only raise. */
#ifndef TRIAGE_SCORE_H
#define TRIAGE_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "form.h"

/* ANS_NOT_ASKED: an item the interview has not reached yet (the live wizard). It is not answered, but a
 * safety item not yet asked is not counted as positive until the interview passes it; once passed
 * without an answer it is ANS_UNANSWERED and counts as positive. */
typedef enum { ANS_UNANSWERED = 0, ANS_VALUE, ANS_REFUSED, ANS_NOT_ASKED } answer_state;

/* One answer: for scale/choice items the choice's value, for number items the number, for multi items a
 * bit mask of choice indexes. Text and dates are kept by the caller (the record store). */
typedef struct {
    uint8_t state;
    int32_t value;
} answer;

typedef enum { FLAG_VALUE, FLAG_REFUSED, FLAG_UNANSWERED } flag_cause;

typedef struct {
    int item;
    flag_cause cause;
} score_flag;

typedef struct {
    const form *f;
    bool visible[FORM_MAX_ITEMS]; /* skip logic applied */
    int n_visible, n_answered;    /* over visible items; a refusal counts as answered */
    bool complete;                /* every visible required item answered or refused */
    int first_missing;            /* first visible required item without an answer, or -1 */
    bool has_total;
    int total;                    /* the total: exact, prorated, or (provisional) a lower bound */
    int raw_total;                /* the sum of the answered scored items */
    int n_scored, n_scored_answered; /* visible scored items, and those answered with a value */
    int n_missing;                /* visible scored items passed without a value (unanswered or refused) */
    bool provisional;             /* some scored item is not asked yet: total is a lower bound */
    bool prorated;                /* 1..missing_items missing, each replaced by the mean of the answered */
    bool incomplete;              /* more missing than the form's scoring allows: no valid total, no band */
    int band;                     /* index into f->bands, or -1 */
    score_flag flags[FORM_MAX_ITEMS];
    int n_flags;
} score_result;

void score_form(const form *f, const answer *answers, score_result *r);

/* The value an expression sees for item i, with skip logic and the safety rule applied: an unanswered or
 * refused safety item counts as its most severe value. */
expr_value score_item_value(const form *f, const answer *answers, const bool *visible, int i);

/* Parses one answer given as text (a scale code, `refused`, a number) for item i. On failure writes a
 * message naming the item and the allowed answers, and returns false. */
bool answer_parse(const form *f, int item, const char *text, answer *out, error *err);
/* True when a is an answer item i can have: a value of its scale (a set of its choices for a multi item),
 * a number in its range, 0 for text and date items (their text is kept apart), a refusal only where the
 * scale allows one. Answers read back from storage are checked with it: scoring trusts its input. */
bool answer_valid(const form *f, int item, answer a);
/* Describes the allowed answers of item i, e.g. "0, 1, 2, 3" or "yes, no, refused". */
void answer_choices(const form *f, int item, char *buf, size_t size);
/* Writes the answer as its code ("yes", "2", "refused", "unanswered"). */
void answer_format(const form *f, int item, answer a, char *buf, size_t size);

const char *flag_cause_name(flag_cause c);

#endif
