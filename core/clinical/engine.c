#include "engine.h"

#include <stdio.h>
#include <string.h>

/* A rule's `steps` names a [safety] step set (e.g. bssa for the ASQ non-acute positive); an unknown name is an
 * error on the rule's line, never a set silently not shown. */
static bool bind_rule_steps(ruleset *rs, const config *c, diag *d) {
    int before = d->errors;
    for (int i = 0; i < rs->n; i++) {
        risk_rule *r = &rs->v[i];
        if (!r->steps) continue;
        r->steps_set = safety_set_index(&c->safety, r->steps);
        if (r->steps_set < 0) {
            char key[300];
            snprintf(key, sizeof key, "risk.rule.%s.steps", r->name);
            diag_add(d, c->ini.name, ini_line(&c->ini, "risk", key + 5), key, false,
                     "`%s` is not a step set of [safety] (write %s.title.en, %s.in_person.en, %s.remote.en, ...)",
                     r->steps, r->steps, r->steps, r->steps);
        }
    }
    return d->errors == before;
}

/* [safety] channel_from names a choice item, and remote_channels are codes of its scale: a misspelt code would
 * otherwise give a caller the in-person steps. A form not loaded at all leaves the channel unknown (both lists
 * are shown), said as a warning. */
static bool check_safety_channel(const config *c, const formset *fs, diag *d) {
    const safety_config *sc = &c->safety;
    int before = d->errors;
    const char *file = c->ini.name;
    int line = ini_line(&c->ini, "safety", "channel_from");
    char form_id[128];
    snprintf(form_id, sizeof form_id, "%s", sc->channel_from ? sc->channel_from : "");
    char *dot = strchr(form_id, '.');
    if (dot) *dot = '\0';
    int f = dot ? formset_index(fs, form_id) : -1;
    if (!dot || !*sc->channel_from) {
        diag_add(d, file, line, "safety.channel_from", false, "`%s` should be FORM.ITEM (e.g. intake.channel)",
                 sc->channel_from ? sc->channel_from : "");
        return false;
    }
    if (f < 0) {
        diag_add(d, file, line, "safety.channel_from", true,
                 "form `%s` is not loaded: the channel is never known, both lists of safety steps are shown", form_id);
        return true;
    }
    int item = form_item_index(fs->v[f], dot + 1);
    const scale *s = item >= 0 ? form_item_scale(fs->v[f], item) : NULL;
    if (!s || fs->v[f]->items[item].type != ITEM_CHOICE) {
        diag_add(d, file, line, "safety.channel_from", false, "`%s` is not a choice item", sc->channel_from);
        return false;
    }
    for (int i = 0; i < sc->remote.n; i++)
        if (scale_code_index(s, sc->remote.v[i]) < 0)
            diag_add(d, file, ini_line(&c->ini, "safety", "remote_channels"), "safety.remote_channels", false,
                     "`%s` is not a code of %s", sc->remote.v[i], sc->channel_from);
    return d->errors == before;
}

bool engine_load(engine *e, const char *config_path, const char *forms_dir, bool with_roster, diag *d) {
    memset(e, 0, sizeof *e);
    if (!config_load(&e->cfg, config_path, d)) goto fail;
    if (!formset_load(&e->forms, forms_dir ? forms_dir : e->cfg.forms_dir, d)) goto fail;
    if (e->forms.n > TRIAGE_MAX_FORMS) {
        diag_add(d, e->forms.dir, 0, NULL, false, "more than %d forms", TRIAGE_MAX_FORMS);
        goto fail;
    }
    if (!ruleset_load(&e->rules, &e->cfg.ini, &e->forms, d)) goto fail;
    if (!bind_rule_steps(&e->rules, &e->cfg, d)) goto fail;
    if (!check_safety_channel(&e->cfg, &e->forms, d)) goto fail;
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
