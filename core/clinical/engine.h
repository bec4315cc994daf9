/* Everything the clinical core needs, loaded and checked together: configuration, forms, risk rules,
 * matching weights and (when wanted) the counselor roster. Any error leaves nothing loaded. */
#ifndef TRIAGE_ENGINE_H
#define TRIAGE_ENGINE_H

#include "config.h"
#include "form.h"
#include "intake_plan.h"
#include "match.h"
#include "queue_policy.h"
#include "risk.h"

typedef struct {
    config cfg;
    formset forms;
    ruleset rules;
    need_model needs;
    roster roster;
    bool has_roster;
    queue_policy queue;
    intake_plan plan;
} engine;

/* config_path: from --config, or NULL for the usual lookup. forms_dir: overrides the configured one
 * (NULL: use the configuration). */
bool engine_load(engine *e, const char *config_path, const char *forms_dir, bool with_roster, diag *d);
void engine_free(engine *e);

#endif
