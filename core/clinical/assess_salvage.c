/* Reading what a refused intake file's answers say of risk (assess_salvage.h). Seventeenth and eighteenth outside
 * integrators: a GAD-7 of eight answers, or a PHQ-9 item 1 of 7, beside a PHQ-9 whose item 9 was "nearly every day"
 * refused the file and said nothing of the risk. */
#include "assess_salvage.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levels.h"

static bool form_answers_parse(const engine *e, const char *form_id, json_t *answers, assess_input *in) {
    json_t *one = json_pack("{s:{s:O}}", "answers", form_id, answers);
    error quiet = {0};
    bool ok = one && assess_parse_value(e, one, NULL, in, &quiet);
    json_decref(one);
    return ok;
}

/* A form's answers with each one that is not an answer of its item as unanswered (null), and answers past the form's
 * items left out; NULL when even so they do not parse. */
static json_t *form_answers_mended(const engine *e, const char *form_id, json_t *answers, assess_input *in) {
    if (form_answers_parse(e, form_id, answers, in)) return json_incref(answers);
    if (!json_is_array(answers)) return NULL;
    json_t *mended = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(answers, i, a) {
        json_t *alone = json_array(); /* this answer at its place, the others unanswered */
        for (size_t k = 0; k < i; k++) json_array_append_new(alone, json_null());
        json_array_append(alone, a);
        json_array_append_new(mended, form_answers_parse(e, form_id, alone, in) ? json_incref(a) : json_null());
        json_decref(alone);
    }
    while (json_array_size(mended) > 0 && !form_answers_parse(e, form_id, mended, in))
        json_array_remove(mended, json_array_size(mended) - 1);
    if (json_array_size(mended) > 0) return mended;
    json_decref(mended);
    return NULL;
}

static bool is_known(const char *key, const char *const *known) {
    for (const char *const *x = known; x && *x; x++)
        if (!strcmp(key, *x)) return true;
    return !strcmp(key, "language") || !strcmp(key, "concerns") || !strcmp(key, "preferences");
}

bool assess_salvage(const engine *e, json_t *root, const char *const *known, assess_input *in) {
    json_t *good = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (is_known(key, known) || !json_is_object(v)) continue; /* a field of its own, not the answers misspelt */
        const char *form_id;
        json_t *answers;
        json_object_foreach(v, form_id, answers) {
            json_t *mended = json_object_get(good, form_id) ? NULL : form_answers_mended(e, form_id, answers, in);
            if (mended) json_object_set_new(good, form_id, mended);
        }
    }
    error quiet = {0};
    json_t *all = json_pack("{s:O, s:O?}", "answers", good, "concerns", json_object_get(root, "concerns"));
    json_t *answers_only = json_pack("{s:O}", "answers", good);
    bool ok = json_object_size(good) > 0 && ((all && assess_parse_value(e, all, NULL, in, &quiet)) ||
                                             (answers_only && assess_parse_value(e, answers_only, NULL, in, &quiet)));
    json_decref(all);
    json_decref(answers_only);
    json_decref(good);
    return ok;
}

static const char *str_at(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

char *assess_safety_warning(const engine *e, const assess_input *in) {
    json_t *r = assess_run(e, in, e->cfg.ui_lang);
    const char *level = str_at(r, "level");
    risk_level l;
    char *out = NULL;
    if (level && risk_level_parse(level, &l) && l >= LEVEL_ORANGE) {
        const char *why = str_at(json_array_get(json_object_get(r, "reasons"), 0), "text");
        char upper[16];
        size_t i = 0;
        for (; level[i] && i + 1 < sizeof upper; i++) upper[i] = (char)toupper((unsigned char)level[i]);
        upper[i] = '\0';
#define SAFETY_WARNING "SAFETY: these answers put the client at %s%s%s Nothing was saved (below): see to the client " \
                       "now, then correct the file."
        int n = snprintf(NULL, 0, SAFETY_WARNING, upper, why ? ": " : ".", why ? why : "");
        out = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (out) snprintf(out, (size_t)n + 1, SAFETY_WARNING, upper, why ? ": " : ".", why ? why : "");
#undef SAFETY_WARNING
    }
    json_decref(r);
    return out;
}
