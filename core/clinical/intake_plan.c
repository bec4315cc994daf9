#include "intake_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "risk.h"

static bool has_safety_item(const form *f) {
    for (int i = 0; i < f->n_items; i++)
        if (f->items[i].safety) return true;
    return false;
}

/* One list of forms ([intake] forms, or hotline_forms): each loaded, none twice, one a suicide-risk screen. */
static bool load_forms(int *forms, int *n, const char *key, const char *list, const config *c, const formset *fs,
                       diag *d) {
    const char *file = c->ini.name;
    int line = ini_line(&c->ini, "intake", key);
    char field[64];
    snprintf(field, sizeof field, "intake.%s", key);
    strlist ids = strlist_split(list);
    bool ok = true, screens = false;
    if (ids.n == 0 || ids.n > INTAKE_MAX_FORMS) {
        diag_add(d, file, line, field, false, "an intake asks 1 to %d forms, not %d", INTAKE_MAX_FORMS, ids.n);
        ok = false;
    }
    for (int i = 0; ok && i < ids.n; i++) {
        int fi = formset_index(fs, ids.v[i]);
        if (fi < 0) {
            diag_add(d, file, line, field, false, "`%s` is not a loaded form (forms/%s.ini)", ids.v[i], ids.v[i]);
            ok = false;
            continue;
        }
        for (int j = 0; j < *n; j++)
            if (forms[j] == fi) {
                diag_add(d, file, line, field, false, "`%s` is listed twice", ids.v[i]);
                ok = false;
            }
        forms[(*n)++] = fi;
        screens = screens || has_safety_item(fs->v[fi]);
    }
    if (ok && !screens)
        diag_add(d, file, line, field, false,
                 "the intake asks no suicide-risk screen (none of `%s` has a safety item): add one, e.g. asq or "
                 "phq9, so that no client at risk can leave unscreened",
                 list);
    strlist_free(&ids);
    return ok && screens;
}

static bool load_additions(intake_plan *p, const config *c, const formset *fs, diag *d) {
    const char *file = c->ini.name;
    bool ok = true;
    strlist keys = ini_keys(&c->ini, "intake");
    for (int k = 0; k < keys.n; k++) {
        if (strncmp(keys.v[k], "ask.", 4) != 0) continue;
        char field[160];
        error e = {0};
        snprintf(field, sizeof field, "intake.%.100s", keys.v[k]);
        int line = ini_line(&c->ini, "intake", keys.v[k]);
        int fi = formset_index(fs, keys.v[k] + 4);
        const char *text = ini_get(&c->ini, "intake", keys.v[k]);
        expr *x = NULL;
        if (fi < 0) error_set(&e, ERR_INPUT, "`%s` is not a loaded form", keys.v[k] + 4);
        else if (p->n_ask == INTAKE_MAX_FORMS) error_set(&e, ERR_INPUT, "more than %d additions", INTAKE_MAX_FORMS);
        else if (fs->v[fi]->kind != FORM_SCORED) error_set(&e, ERR_INPUT, "only a scored form can be added");
        else x = risk_condition_load(text, fs, &e);
        if (!x) {
            diag_add(d, file, line, field, false, "%s", e.msg);
            ok = false;
            continue;
        }
        p->ask[p->n_ask++] = (intake_ask){fi, x, xstrdup(text)};
    }
    strlist_free(&keys);
    return ok;
}

bool intake_plan_load(intake_plan *p, const config *c, const formset *fs, diag *d) {
    memset(p, 0, sizeof *p);
    bool ok = load_forms(p->forms, &p->n, "forms", c->intake_forms, c, fs, d);
    /* the hotline's quick path is an intake too: the same checks, when the centre has one */
    if (c->intake_hotline_forms && *c->intake_hotline_forms)
        ok = load_forms(p->hotline, &p->n_hotline, "hotline_forms", c->intake_hotline_forms, c, fs, d) && ok;
    ok = load_additions(p, c, fs, d) && ok;
    if (!ok) intake_plan_free(p);
    return ok;
}

void intake_plan_free(intake_plan *p) {
    for (int i = 0; i < p->n_ask; i++) {
        expr_free(p->ask[i].when);
        free(p->ask[i].when_text);
    }
    memset(p, 0, sizeof *p);
}

int intake_plan_addition(const intake_plan *p, const answer_set *a, const int *asked, int n) {
    for (int i = 0; i < p->n_ask; i++) {
        bool present = false;
        for (int j = 0; j < n && !present; j++) present = asked[j] == p->ask[i].form;
        if (!present && risk_condition_holds(p->ask[i].when, a)) return p->ask[i].form;
    }
    return -1;
}
