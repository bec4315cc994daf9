/* What an intake asks: the configured forms in order ([intake] forms), and forms added during the
 * interview when a condition holds ([intake] ask.FORM, e.g. the ASQ when the client reports thoughts of
 * self-harm). Checked at load, so that no way in can run an intake that never screens for suicide risk:
 * every form named exists, and at least one configured form has a safety item. */
#ifndef TRIAGE_INTAKE_PLAN_H
#define TRIAGE_INTAKE_PLAN_H

#include "answer_set.h"
#include "config.h"
#include "expr.h"

#define INTAKE_MAX_FORMS 8

typedef struct {
    int form;        /* index into the formset */
    expr *when;      /* bound like a risk rule's condition */
    char *when_text;
} intake_ask;

typedef struct {
    int forms[INTAKE_MAX_FORMS]; /* the configured forms, in the order asked */
    int n;
    intake_ask ask[INTAKE_MAX_FORMS];
    int n_ask;
} intake_plan;

/* Reads [intake] forms and ask.FORM; false, with diagnostics naming the line, when a form is unknown, the
 * list is empty or too long, a condition does not parse, or no configured form screens for suicide risk. */
bool intake_plan_load(intake_plan *p, const config *c, const formset *fs, diag *d);
void intake_plan_free(intake_plan *p);

/* The first form of the plan's additions whose condition holds for these answers and that is not among
 * the n forms already asked, or -1. */
int intake_plan_addition(const intake_plan *p, const answer_set *a, const int *asked, int n);

#endif
