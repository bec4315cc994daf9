#include "answer_set.h"

#include <string.h>

void answer_set_init(answer_set *a, const formset *fs) {
    memset(a->given, 0, sizeof a->given);
    a->fs = fs;
}

void answer_set_rescore(answer_set *a, int f) {
    if (f < 0 || f >= a->fs->n || f >= TRIAGE_MAX_FORMS) return;
    a->given[f] = true;
    score_form(a->fs->v[f], a->answers[f], &a->scores[f]);
}

void answer_set_give(answer_set *a, int f, int item, answer ans) {
    if (f < 0 || f >= a->fs->n || f >= TRIAGE_MAX_FORMS || item < 0 || item >= a->fs->v[f]->n_items) return;
    if (!a->given[f]) memset(a->answers[f], 0, sizeof a->answers[f]);
    a->answers[f][item] = ans;
    answer_set_rescore(a, f);
}
