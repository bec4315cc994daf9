#include "safety_ack.h"

#include "records.h"
#include "secret.h"

bool intake_safety_acknowledge(session *s, wizard *w, error *err) {
    if (!wizard_needs_safety_steps(w)) return true;
    char what[160];
    wizard_safety_describe(w, what, sizeof what); /* which set, for which channel: before it is done */
    wizard_safety_acknowledged(w);
    char *body = wizard_to_json(w);
    if (!body) {
        error_set(err, ERR_INTERNAL, "out of memory: the draft with the acknowledged steps was not saved");
        return false;
    }
    bool ok = draft_save_tagged(s, w->draft_id, body, w->draft_tag, &w->draft_tagged, "safety_steps_acknowledged", what,
                                err);
    secret_free(body); /* the answers in clear (json_dumps's text) */
    return ok;
}
