/* One client's answers across every form of a set, with each form's score kept current. This is what
 * the risk rules and the matcher read; the intake wizard updates it on every key press. */
#ifndef TRIAGE_ANSWER_SET_H
#define TRIAGE_ANSWER_SET_H

#include "form.h"
#include "score.h"

#define TRIAGE_MAX_FORMS 32

typedef struct {
    const formset *fs;
    bool given[TRIAGE_MAX_FORMS]; /* the form is part of this assessment (started or finished) */
    answer answers[TRIAGE_MAX_FORMS][FORM_MAX_ITEMS];
    score_result scores[TRIAGE_MAX_FORMS];
} answer_set;

void answer_set_init(answer_set *a, const formset *fs);
/* Marks form f as given and rescores it; call after changing a->answers[f]. */
void answer_set_rescore(answer_set *a, int f);
/* Gives one answer and rescores that form. */
void answer_set_give(answer_set *a, int f, int item, answer ans);

#endif
