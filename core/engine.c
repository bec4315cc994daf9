#include "engine.h"

#include <string.h>

bool engine_load(engine *e, const char *config_path, const char *forms_dir, bool with_roster, diag *d) {
    memset(e, 0, sizeof *e);
    if (!config_load(&e->cfg, config_path, d)) goto fail;
    if (!formset_load(&e->forms, forms_dir ? forms_dir : e->cfg.forms_dir, d)) goto fail;
    if (e->forms.n > TRIAGE_MAX_FORMS) {
        diag_add(d, e->forms.dir, 0, NULL, false, "more than %d forms", TRIAGE_MAX_FORMS);
        goto fail;
    }
    if (!ruleset_load(&e->rules, &e->cfg.ini, &e->forms, d)) goto fail;
    if (!need_model_load(&e->needs, &e->cfg.ini, &e->forms, d)) goto fail;
    if (!queue_policy_load(&e->queue, &e->cfg.ini, d)) goto fail;
    if (!intake_plan_load(&e->plan, &e->cfg, &e->forms, d)) goto fail;
    if (with_roster) {
        if (!roster_load(&e->roster, e->cfg.roster_file, &e->needs, d)) goto fail;
        e->has_roster = true;
    }
    return true;
fail:
    engine_free(e);
    return false;
}

void engine_free(engine *e) {
    if (e->has_roster) roster_free(&e->roster);
    intake_plan_free(&e->plan);
    need_model_free(&e->needs);
    ruleset_free(&e->rules);
    formset_free(&e->forms);
    config_free(&e->cfg);
    memset(e, 0, sizeof *e);
}
