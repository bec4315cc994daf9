#include "intake_body.h"

#include <string.h>

void intake_form_answers_final(answer_set *a, int f) {
    for (int i = 0; i < FORM_MAX_ITEMS; i++)
        if (a->answers[f][i].state == ANS_NOT_ASKED) a->answers[f][i] = (answer){ANS_UNANSWERED, 0};
    answer_set_rescore(a, f);
}

void intake_answers_final(const engine *e, assess_input *in) {
    for (int f = 0; f < e->forms.n && f < TRIAGE_MAX_FORMS; f++)
        if (in->a.given[f]) intake_form_answers_final(&in->a, f);
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

/* Whether code is one of the codes listed in "one of a, b, c" (whole words: "male" is not in "female"). */
static bool code_listed(const char *list, const char *code) {
    size_t n = strlen(code);
    for (const char *p = strstr(list, code); p; p = strstr(p + 1, code))
        if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0')) return true;
    return false;
}

const form_item *intake_kept_text_item(const engine *e, const char *key) {
    for (int f = 0; f < e->forms.n; f++) {
        const form *fm = e->forms.v[f];
        int i = fm->kind == FORM_RECORD ? form_item_index(fm, key) : -1;
        const form_item *it = i >= 0 ? &fm->items[i] : NULL;
        if (it && it->type == ITEM_TEXT && !it->phone && strcmp(key, "preferred_name") != 0) return it;
    }
    return NULL;
}

/* A kept text as a file gives it: a string of one line, within the item's length in characters (as the wizard). */
static bool kept_text_fits(const form_item *it, json_t *v, error *err, const char *key) {
    const char *s = json_string_value(v);
    size_t chars = 0;
    bool one_line = true;
    for (const unsigned char *p = (const unsigned char *)s; s && *p; p++) {
        chars += (*p & 0xC0) != 0x80;
        one_line = one_line && *p >= 0x20 && *p != 0x7F;
    }
    if (s && one_line && chars <= (size_t)it->maxlen) return true;
    error_set(err, ERR_INPUT, "record.%s: a line of text of at most %d characters: nothing was saved", key, it->maxlen);
    return false;
}

bool intake_record_check(const engine *e, json_t *record, error *err) {
    const char *key;
    json_t *v;
    json_object_foreach(record, key, v) {
        const form_item *kept = intake_kept_text_item(e, key);
        if (kept) {
            if (!kept_text_fits(kept, v, err, key)) return false;
            continue;
        }
        /* the item of that id in any record form (the intake form's channel, the hotline caller form's): a value any
         * of them takes is taken */
        bool item = false, fits = false;
        char codes[400] = "";
        for (int f = 0; f < e->forms.n && !fits; f++) {
            const form *fm = e->forms.v[f];
            int i = fm->kind == FORM_RECORD ? form_item_index(fm, key) : -1;
            const form_item *it = i >= 0 ? &fm->items[i] : NULL;
            if (!it || (it->type != ITEM_CHOICE && it->type != ITEM_NUMBER)) continue;
            item = true;
            const scale *sc = form_item_scale(fm, i);
            if (it->type == ITEM_NUMBER) {
                fits = json_is_integer(v) && json_integer_value(v) >= it->min && json_integer_value(v) <= it->max;
                if (!fits) snprintf(codes, sizeof codes, "a whole number from %ld to %ld", (long)it->min, (long)it->max);
                continue;
            }
            const char *code = json_string_value(v);
            fits = code && sc && scale_code_index(sc, code) >= 0;
            for (int c = 0; !fits && sc && c < sc->n; c++) {
                if (code_listed(codes, sc->choices[c].code)) continue; /* listed by another record form already */
                size_t n = strlen(codes);
                snprintf(codes + n, sizeof codes - n, "%s%s", n ? ", " : "one of ", sc->choices[c].code);
            }
        }
        if (!item) {
            /* a text or date item (a name, a phone, a call-back number, a birth date) is the client's, sealed with the
             * client record, never in the intake's record (fifteenth outside integrator: record.callback was refused
             * as no item at all) */
            const form_item *text = NULL;
            for (int f = 0; f < e->forms.n && !text; f++) {
                const form *fm = e->forms.v[f];
                int i = fm->kind == FORM_RECORD ? form_item_index(fm, key) : -1;
                if (i >= 0 && (fm->items[i].type == ITEM_TEXT || fm->items[i].type == ITEM_DATE)) text = &fm->items[i];
            }
            const char *client_field = !text                        ? NULL
                                       : text->type == ITEM_DATE       ? "birth_date"
                                       : text->phone                   ? "phone"
                                       : !strcmp(key, "preferred_name") ? "name"
                                                                       : NULL;
            if (client_field)
                error_set(err, ERR_INPUT, "record.%s: the client's, which the record does not keep: give it as "
                                          "client.%s (sealed with the client): nothing was saved",
                          key, client_field);
            else
                error_set(err, ERR_INPUT, "record.%s: not a choice or number item of a record form (the intake form's "
                                          "channel, age, gender, consent...): nothing was saved", key);
            return false;
        }
        if (!fits) {
            error_set(err, ERR_INPUT, "record.%s: %s%s: nothing was saved", key, codes,
                      !strncmp(codes, "one of", 6) ? " (a code, as a string)" : "");
            return false;
        }
    }
    return true;
}

json_t *intake_body_build(const engine *e, const assess_input *in, json_t *record, lang ui) {
    json_t *body = json_object();
    json_object_set_new(body, "input", input_json(e, in));
    /* the kept texts apart from the choices and numbers, which the report facts and the exports read by item */
    json_t *choices = json_object(), *texts = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(record, key, v) {
        bool text = intake_kept_text_item(e, key) != NULL;
        if (!text || (json_is_string(v) && *json_string_value(v))) json_object_set(text ? texts : choices, key, v);
    }
    json_object_set_new(body, "record", choices);
    if (json_object_size(texts)) json_object_set(body, "texts", texts);
    json_decref(texts);
    json_object_set_new(body, "assessment", assess_run_for(e, in, record, ui)); /* the record's channel too */
    return body;
}

/* ---- reading a stored body ---- */

json_t *intake_body_input(const json_t *body) { return json_object_get(body, "input"); }
json_t *intake_body_record(const json_t *body) { return json_object_get(body, "record"); }
json_t *intake_body_texts(const json_t *body) { return json_object_get(body, "texts"); }
json_t *intake_body_assessment(const json_t *body) { return json_object_get(body, "assessment"); }

json_t *intake_body_answers(const json_t *body, const char *form_id) {
    return json_object_get(json_object_get(intake_body_input(body), "answers"), form_id);
}

json_t *intake_body_scores(const json_t *body, const char *form_id) {
    return json_object_get(json_object_get(intake_body_assessment(body), "scores"), form_id);
}

json_t *intake_body_concerns(const json_t *body) { return json_object_get(intake_body_input(body), "concerns"); }

const char *intake_body_level(const json_t *body) {
    return json_string_value(json_object_get(intake_body_assessment(body), "level"));
}
