#include "intake_finish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"

void intake_answers_final(const engine *e, assess_input *in) {
    for (int f = 0; f < e->forms.n && f < TRIAGE_MAX_FORMS; f++) {
        if (!in->a.given[f]) continue;
        for (int i = 0; i < FORM_MAX_ITEMS; i++)
            if (in->a.answers[f][i].state == ANS_NOT_ASKED) in->a.answers[f][i] = (answer){ANS_UNANSWERED, 0};
        assessment_rescore(&in->a, f);
    }
}

static json_t *input_json(const engine *e, const assess_input *in) {
    json_t *input = json_object();
    json_object_set_new(input, "language", json_string(in->language));
    const need_model *m = &e->needs;
    if (m->concern_form >= 0) {
        const scale *cs = form_item_scale(e->forms.v[m->concern_form], m->concern_item);
        json_t *concerns = json_array();
        for (int c = 0; cs && c < cs->n; c++)
            if (in->concerns & (1u << c)) json_array_append_new(concerns, json_string(cs->choices[c].code));
        json_object_set_new(input, "concerns", concerns);
    }
    if (in->counselor_gender[0]) {
        json_t *prefs = json_object();
        json_object_set_new(prefs, "counselor_gender", json_string(in->counselor_gender));
        json_object_set_new(input, "preferences", prefs);
    }
    json_t *answers = json_object();
    for (int f = 0; f < e->forms.n && f < TRIAGE_MAX_FORMS; f++) {
        const form *fm = e->forms.v[f];
        if (!in->a.given[f] || fm->kind != FORM_SCORED) continue;
        json_t *arr = json_array();
        for (int i = 0; i < fm->n_items; i++) {
            const answer *a = &in->a.answers[f][i];
            char code[64];
            /* an answer to an item that skip logic hid again (an earlier answer changed) is not kept */
            if (in->a.scores[f].visible[i] && (a->state == ANS_VALUE || a->state == ANS_REFUSED)) {
                answer_format(fm, i, *a, code, sizeof code);
                json_array_append_new(arr, json_string(code));
            } else {
                json_array_append_new(arr, json_null());
            }
        }
        json_object_set_new(answers, fm->id, arr);
    }
    json_object_set_new(input, "answers", answers);
    return input;
}

json_t *intake_body_build(const engine *e, const assess_input *in, json_t *record, lang ui) {
    json_t *body = json_object();
    json_object_set_new(body, "input", input_json(e, in));
    json_object_set_new(body, "record", record ? json_deep_copy(record) : json_object());
    json_object_set_new(body, "assessment", assess_run(e, in, ui));
    return body;
}

/* A level shown during the interview with its safety steps acknowledged is not lowered by answers changed
 * afterwards: only a clinician lowers a level, with a written reason (the queue's confirm). The saved level is
 * raised to it with a reason that says so ([intake] kept_level.reason.LANG). */
static void keep_level(const engine *e, json_t *result, risk_level kept, lang l) {
    char because[96];
    snprintf(because, sizeof because, "shown during the interview = %s, answers now = %s", risk_level_name(kept),
             json_string_value(json_object_get(result, "level")) ?: "?");
    assess_raise(e, result, kept, "kept_level", because, l);
}

bool intake_finish(session *s, const engine *e, assess_input *in, const intake_subject *who, intake_saved *out,
                   char *err, size_t errsize) {
    memset(out, 0, sizeof *out);
    intake_answers_final(e, in);
    json_t *body = intake_body_build(e, in, who->record, who->reasons_lang);
    json_t *result = json_object_get(body, "assessment");
    keep_level(e, result, who->kept, who->reasons_lang);
    char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6));
    const char *level = json_string_value(json_object_get(result, "level"));
    const char *suggested = json_string_value(json_object_get(json_array_get(json_object_get(result, "matches"), 0), "id"));
    bool existing = who->client_id && who->client_id[0];
    client_new nc = {who->name, who->phone, who->birth};
    intake_input ii = {existing ? who->client_id : NULL, level, suggested, NULL, text, who->notes};
    bool ok = text != NULL;
    if (!ok) snprintf(err, errsize, "out of memory");
    ok = ok && intake_save_with_client(s, existing ? NULL : &nc, &ii, &e->queue, out->client_id, out->intake_id, err,
                                       errsize);
    if (ok) {
        risk_level_parse(level, &out->level);
        out->assessment = json_incref(result);
    }
    if (text) {
        secret_wipe(text, strlen(text));
        free(text);
    }
    json_decref(body);
    return ok;
}
