#include "assessment.h"

#include <string.h>

void assessment_init(assessment *a, const formset *fs) {
    memset(a->given, 0, sizeof a->given);
    a->fs = fs;
}

void assessment_rescore(assessment *a, int f) {
    if (f < 0 || f >= a->fs->n || f >= TRIAGE_MAX_FORMS) return;
    a->given[f] = true;
    score_form(a->fs->v[f], a->answers[f], &a->scores[f]);
}

void assessment_answer(assessment *a, int f, int item, answer ans) {
    if (f < 0 || f >= a->fs->n || f >= TRIAGE_MAX_FORMS || item < 0 || item >= a->fs->v[f]->n_items) return;
    if (!a->given[f]) memset(a->answers[f], 0, sizeof a->answers[f]);
    a->answers[f][item] = ans;
    assessment_rescore(a, f);
}
