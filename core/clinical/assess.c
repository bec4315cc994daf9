#include "assess.h"

#include <stdio.h>
#include <string.h>
#include "util.h"

json_t *score_result_json(const form *f, const score_result *r) {
    json_t *o = json_object();
    json_object_set_new(o, "total", r->has_total && !r->incomplete ? json_integer(r->total) : json_null());
    json_object_set_new(o, "band", r->band >= 0 ? json_string(f->bands[r->band].id) : json_null());
    if (r->has_total) {
        /* how missing items were handled, as the form's scoring says (score.h) */
        json_object_set_new(o, "prorated", json_boolean(r->prorated));
        json_object_set_new(o, "incomplete", json_boolean(r->incomplete));
        json_object_set_new(o, "missing", json_integer(r->n_missing));
        if (r->prorated) json_object_set_new(o, "sum_answered", json_integer(r->raw_total));
    }
    json_object_set_new(o, "answered", json_integer(r->n_answered));
    json_object_set_new(o, "asked", json_integer(r->n_visible));
    json_object_set_new(o, "complete", json_boolean(r->complete));
    json_object_set_new(o, "provisional", json_boolean(r->provisional || !r->complete));
    json_object_set_new(o, "positive", json_boolean(r->band >= 0 && f->bands[r->band].positive));
    json_t *flags = json_array();
    for (int i = 0; i < r->n_flags; i++) {
        json_t *fl = json_object();
        json_object_set_new(fl, "flag", json_string(f->items[r->flags[i].item].flag));
        json_object_set_new(fl, "item", json_string(f->items[r->flags[i].item].id));
        json_object_set_new(fl, "because", json_string(flag_cause_name(r->flags[i].cause)));
        json_array_append_new(flags, fl);
    }
    json_object_set_new(o, "flags", flags);
    return o;
}

/* Describes why item i is not asked, for messages. */
static void not_asked(const form *f, int i, char *buf, size_t size) {
    snprintf(buf, size, "%s.%s is not asked here (it is asked only when %s)", f->id, f->items[i].id,
             f->items[i].show_if_text ? f->items[i].show_if_text : "?");
}

json_t *score_answers(const form *f, const char *const *texts, int n, error *err) {
    if (f->kind != FORM_SCORED) {
        error_set(err, ERR_INPUT, "%s is a record form, not a scored instrument", f->id);
        return NULL;
    }
    answer ans[FORM_MAX_ITEMS] = {{0}};
    score_result r;
    int pos = 0, first_hidden = -1;
    for (int i = 0; i < f->n_items; i++) {
        score_form(f, ans, &r);
        if (!r.visible[i]) {
            if (first_hidden < 0) first_hidden = i;
            continue;
        }
        if (pos < n) {
            if (!answer_parse(f, i, texts[pos], &ans[i], err)) return NULL;
            pos++;
        } else if (f->items[i].required) {
            error_set(err, ERR_INPUT, "%s.%s: no answer given (got %d answer%s)", f->id, f->items[i].id, n,
                     n == 1 ? "" : "s");
            return NULL;
        }
    }
    if (pos < n) {
        if (first_hidden >= 0) {
            char why[512];
            not_asked(f, first_hidden, why, sizeof why);
            error_set(err, ERR_INPUT, "too many answers: %s takes %d here, got %d; %s", f->id, pos, n, why);
        } else {
            error_set(err, ERR_INPUT, "too many answers: %s has %d items, got %d", f->id, f->n_items, n);
        }
        return NULL;
    }
    score_form(f, ans, &r);
    json_t *o = json_object();
    json_object_set_new(o, "form", json_string(f->id));
    json_t *full = score_result_json(f, &r);
    json_object_set(o, "total", json_object_get(full, "total"));
    json_object_set(o, "band", json_object_get(full, "band"));
    json_t *flags = json_array();
    for (int i = 0; i < r.n_flags; i++) json_array_append_new(flags, json_string(f->items[r.flags[i].item].flag));
    json_object_set_new(o, "flags", flags);
    json_decref(full);
    return o;
}

static bool fail(error *err, const char *field, const char *msg) {
    error_set(err, ERR_INPUT, "%s: %s", field, msg);
    return false;
}

static bool parse_answers(const engine *e, json_t *answers, assess_input *in, error *err) {
    const char *fid;
    json_t *arr;
    char field[160];
    error msg = {0};
    json_object_foreach(answers, fid, arr) {
        snprintf(field, sizeof field, "answers.%.60s", fid);
        int fi = formset_index(&e->forms, fid);
        if (fi < 0) return fail(err, field, "not a loaded form");
        const form *f = e->forms.v[fi];
        if (f->kind != FORM_SCORED) return fail(err, field, "a record form is not scored here; give concerns and preferences instead");
        if (!json_is_array(arr)) return fail(err, field, "must be an array of answers in item order");
        if ((int)json_array_size(arr) > f->n_items) {
            error_set(&msg, ERR_INPUT, "%zu answers, but the form has %d items", json_array_size(arr), f->n_items);
            return fail(err, field, msg.msg);
        }
        answer *ans = in->a.answers[fi];
        memset(ans, 0, sizeof in->a.answers[fi]);
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v) {
            snprintf(field, sizeof field, "answers.%.60s[%zu]", fid, i);
            const scale *s = form_item_scale(f, (int)i);
            if (json_is_null(v)) continue;
            if (json_is_integer(v)) {
                json_int_t x = json_integer_value(v);
                if (!s || x < s->min_value || x > s->max_value || scale_value_index(s, (int)x) < 0) {
                    char allowed[256];
                    answer_choices(f, (int)i, allowed, sizeof allowed);
                    error_set(&msg, ERR_INPUT, "%s.%s: %lld is out of range (expected %s)", f->id, f->items[i].id,
                             (long long)x, allowed);
                    return fail(err, field, msg.msg);
                }
                ans[i] = (answer){ANS_VALUE, (int32_t)x};
            } else if (json_is_string(v)) {
                if (!answer_parse(f, (int)i, json_string_value(v), &ans[i], &msg))
                    return fail(err, field, msg.msg);
            } else {
                return fail(err, field, "must be a number, a code string, \"refused\" or null");
            }
        }
        answer_set_rescore(&in->a, fi);
        for (int k = 0; k < f->n_items; k++)
            if (!in->a.scores[fi].visible[k] && ans[k].state != ANS_UNANSWERED) {
                snprintf(field, sizeof field, "answers.%.60s[%d]", fid, k);
                not_asked(f, k, msg.msg, sizeof msg.msg);
                return fail(err, field, msg.msg);
            }
    }
    return true;
}

static bool short_code(json_t *v, char *out, size_t size) {
    if (!json_is_string(v)) return false;
    const char *s = json_string_value(v);
    if (strlen(s) >= size || !is_ident(s)) return false;
    snprintf(out, size, "%s", s);
    return true;
}

json_t *assess_load_json(const char *text, size_t len, error *err) {
    if (len > ASSESS_MAX_INPUT) {
        fail(err, "input", "larger than 1 MiB");
        return NULL;
    }
    json_error_t je;
    /* a byte-order mark before the JSON, as Windows tools write one (RFC 8259 lets a reader ignore it; twenty-first
     * outside integrator: such a file was "not valid JSON" at line 1, column 1) */
    size_t bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    json_t *root = json_loadb(text + bom, len - bom, JSON_REJECT_DUPLICATES, &je);
    if (!root) error_set(err, ERR_INPUT, "input:%d:%d: not valid JSON: %s", je.line, je.column, je.text);
    return root;
}

bool assess_parse(const engine *e, const char *text, size_t len, assess_input *in, error *err) {
    json_t *root = assess_load_json(text, len, err);
    if (!root) {
        memset(in, 0, sizeof *in);
        return false;
    }
    bool ok = assess_parse_value(e, root, NULL, in, err);
    json_decref(root);
    return ok;
}

bool assess_parse_value(const engine *e, json_t *root, const char *const *extra_fields, assess_input *in, error *err) {
    memset(in, 0, sizeof *in);
    answer_set_init(&in->a, &e->forms);
    snprintf(in->language, sizeof in->language, "en");
    bool ok = false;
    const char *key;
    json_t *v;
    if (!json_is_object(root)) {
        fail(err, "input", "must be a JSON object");
        goto done;
    }
    json_object_foreach(root, key, v) {
        bool extra = false;
        for (const char *const *x = extra_fields; x && *x && !extra; x++) extra = strcmp(key, *x) == 0;
        if (!extra && strcmp(key, "language") && strcmp(key, "concerns") && strcmp(key, "preferences") &&
            strcmp(key, "answers")) {
            /* every field this way in takes, the caller's own too (`intake new`: client, notes, record): integrator
             * 15 was told only the four of `assess` */
            char field[80], expected[200] = "unknown field (expected language, concerns, preferences, answers";
            for (const char *const *x = extra_fields; x && *x; x++) {
                size_t used = strlen(expected);
                snprintf(expected + used, sizeof expected - used, ", %s", *x);
            }
            size_t used = strlen(expected);
            snprintf(expected + used, sizeof expected - used, "; the names are lower-case)");
            snprintf(field, sizeof field, "%.60s", key);
            fail(err, field, expected);
            goto done;
        }
    }
    if ((v = json_object_get(root, "language")) && !short_code(v, in->language, sizeof in->language)) {
        fail(err, "language", "must be a language code such as \"en\" or \"zh\"");
        goto done;
    }
    if ((v = json_object_get(root, "concerns"))) {
        const form *cf = e->needs.concern_form >= 0 ? e->forms.v[e->needs.concern_form] : NULL;
        const scale *cs = cf ? form_item_scale(cf, e->needs.concern_item) : NULL;
        if (!json_is_array(v) || !cs) {
            fail(err, "concerns", "must be an array of concern codes");
            goto done;
        }
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) {
            int ci = json_is_string(c) ? scale_code_index(cs, json_string_value(c)) : -1;
            if (ci < 0) {
                char field[40], msg[512], allowed[400];
                snprintf(field, sizeof field, "concerns[%zu]", i);
                answer_choices(cf, e->needs.concern_item, allowed, sizeof allowed);
                snprintf(msg, sizeof msg, "not a concern code (expected one of %s)", allowed);
                fail(err, field, msg);
                goto done;
            }
            in->concerns |= 1u << ci;
        }
        /* the concerns are the intake form's answer too, so that the rules see them (intake.concerns has
         * self_harm) by every way in, as the wizard's do */
        if (in->concerns) {
            int cfi = e->needs.concern_form;
            in->a.given[cfi] = true;
            in->a.answers[cfi][e->needs.concern_item] = (answer){ANS_VALUE, (int32_t)in->concerns};
            answer_set_rescore(&in->a, cfi);
        }
    }
    if ((v = json_object_get(root, "preferences"))) {
        if (!json_is_object(v)) {
            fail(err, "preferences", "must be an object");
            goto done;
        }
        json_t *p;
        json_object_foreach(v, key, p) {
            char field[100];
            snprintf(field, sizeof field, "preferences.%.60s", key);
            if (strcmp(key, "counselor_gender") != 0) {
                fail(err, field, "unknown preference (expected counselor_gender)");
                goto done;
            }
            if (!json_is_null(p) && !short_code(p, in->counselor_gender, sizeof in->counselor_gender)) {
                fail(err, field, "must be a code such as \"female\", \"male\" or \"any\"");
                goto done;
            }
        }
    }
    if ((v = json_object_get(root, "answers"))) {
        if (!json_is_object(v)) {
            fail(err, "answers", "must be an object of FORM: [answers]");
            goto done;
        }
        if (!parse_answers(e, v, in, err)) goto done;
    }
    ok = true;
done:
    return ok;
}

const char *assess_reason_text(const engine *e, const char *rule, bool remote, lang l) {
    if (!rule || !*rule) return NULL;
    for (int i = 0; i < e->rules.n; i++)
        if (strcmp(e->rules.v[i].name, rule) == 0) return risk_rule_reason(&e->rules.v[i], remote, l);
    char key[96];
    snprintf(key, sizeof key, "%s.reason.%s", rule, lang_code(l));
    const char *text = ini_get(&e->cfg.ini, "intake", key);
    return text && *text ? text : NULL;
}

void assess_raise(const engine *e, json_t *result, risk_level floor, const char *rule, const char *because, lang l) {
    risk_level level = LEVEL_GREEN;
    risk_level_parse(json_string_value(json_object_get(result, "level")), &level);
    if (floor <= level) return;
    char key[64];
    snprintf(key, sizeof key, "%s.reason.%s", rule, lang_code(l));
    const char *text = ini_get(&e->cfg.ini, "intake", key);
    json_t *r = json_object();
    json_object_set_new(r, "rule", json_string(rule));
    json_object_set_new(r, "level", json_string(risk_level_name(floor)));
    json_object_set_new(r, "text", json_string(text && *text ? text : rule));
    json_object_set_new(r, "because", json_string(because));
    json_t *reasons = json_object_get(result, "reasons");
    if (json_is_array(reasons)) json_array_insert_new(reasons, 0, r);
    else json_decref(r);
    json_object_set_new(result, "level", json_string(risk_level_name(floor)));
}

/* An assessment that gives no suicide-risk screen at all (no form with a safety item: an `intake new` or an
 * import with only a GAD-7) has every safety question of the centre's screen unanswered, which counts as
 * positive: at least orange, saying no screen was done ([intake] unscreened.reason). The wizard never gets
 * here without one: the centre's intake must ask one (intake_plan.h). */
static void unscreened(const engine *e, const assess_input *in, json_t *result, lang l) {
    for (int f = 0; f < e->forms.n && f < TRIAGE_MAX_FORMS; f++) {
        if (!in->a.given[f]) continue;
        for (int i = 0; i < e->forms.v[f]->n_items; i++)
            if (e->forms.v[f]->items[i].safety) return;
    }
    assess_raise(e, result, LEVEL_ORANGE, "unscreened", "no form with a safety item (ASQ, PHQ-9) was given", l);
}

safety_channel assess_channel(const engine *e, const answer_set *a) {
    const safety_config *sc = &e->cfg.safety;
    strlist from = strlist_split(sc->channel_from ? sc->channel_from : "");
    safety_channel ch = SAFETY_CHANNEL_UNKNOWN;
    for (int k = 0; k < from.n && ch == SAFETY_CHANNEL_UNKNOWN; k++) {
        char *dot = strchr(from.v[k], '.');
        if (!dot) continue;
        *dot = '\0';
        int f = formset_index(&e->forms, from.v[k]);
        int item = f >= 0 ? form_item_index(e->forms.v[f], dot + 1) : -1;
        const scale *s = item >= 0 ? form_item_scale(e->forms.v[f], item) : NULL;
        if (!s || !a->given[f] || a->answers[f][item].state != ANS_VALUE) continue;
        int c = scale_value_index(s, a->answers[f][item].value);
        if (c >= 0) ch = safety_channel_of(sc, s->choices[c].code);
    }
    strlist_free(&from);
    return ch;
}

/* The channel a record object's channel items give ({"channel":"phone"}: `intake new`'s record, the intake form's
 * response of an import), for the same [safety] channel_from items. */
static safety_channel record_channel(const engine *e, json_t *record) {
    const safety_config *sc = &e->cfg.safety;
    strlist from = strlist_split(sc->channel_from ? sc->channel_from : "");
    safety_channel ch = SAFETY_CHANNEL_UNKNOWN;
    for (int k = 0; k < from.n && ch == SAFETY_CHANNEL_UNKNOWN && json_is_object(record); k++) {
        const char *dot = strchr(from.v[k], '.');
        const char *code = dot ? json_string_value(json_object_get(record, dot + 1)) : NULL;
        if (code) ch = safety_channel_of(sc, code);
    }
    strlist_free(&from);
    return ch;
}

json_t *assess_run(const engine *e, const assess_input *in, lang ui) { return assess_run_for(e, in, NULL, ui); }

json_t *assess_run_for(const engine *e, const assess_input *in, json_t *record, lang ui) {
    risk_result rr;
    risk_evaluate(&e->rules, &in->a, &rr);
    safety_channel ch = assess_channel(e, &in->a);
    if (ch == SAFETY_CHANNEL_UNKNOWN) ch = record_channel(e, record);
    bool remote = ch == SAFETY_CHANNEL_REMOTE;
    json_t *o = json_object();
    json_object_set_new(o, "level", json_string(risk_level_name(rr.level)));
    json_t *reasons = json_array();
    for (int i = 0; i < rr.n_fired; i++) {
        const risk_rule *rule = &e->rules.v[rr.fired[i].rule];
        json_t *r = json_object();
        json_object_set_new(r, "rule", json_string(rule->name));
        json_object_set_new(r, "level", json_string(risk_level_name(rule->level)));
        json_object_set_new(r, "text", json_string(risk_rule_reason(rule, remote, ui)));
        json_object_set_new(r, "because", json_string(rr.fired[i].because));
        json_array_append_new(reasons, r);
    }
    json_object_set_new(o, "reasons", reasons);
    /* the reasons in a caller's wording: a record read later words them so again ("do not leave the client alone" on
     * a phone caller's record: receptionist 27) */
    if (remote) json_object_set_new(o, "remote", json_true());
    unscreened(e, in, o, ui);
    json_t *scores = json_object();
    for (int f = 0; f < e->forms.n; f++)
        if (in->a.given[f] && e->forms.v[f]->kind == FORM_SCORED) /* a record form (intake) has no score */
            json_object_set_new(scores, e->forms.v[f]->id, score_result_json(e->forms.v[f], &in->a.scores[f]));
    json_object_set_new(o, "scores", scores);
    json_t *matches = json_array();
    json_t *info = json_object();
    if (e->has_roster) {
        match_result mr;
        match_request req = {in->language, in->counselor_gender[0] ? in->counselor_gender : NULL, in->concerns};
        match_rank(&e->needs, &e->roster, &in->a, rr.level, &req, &mr);
        for (int k = 0; k < mr.n; k++) {
            const match *m = &mr.top[k];
            const counselor *c = &e->roster.v[m->counselor];
            json_t *j = json_object();
            json_object_set_new(j, "id", json_string(c->id));
            json_object_set_new(j, "name", json_string(c->name));
            json_object_set_new(j, "score", json_real((double)((int)(m->score * 1000 + 0.5f)) / 1000.0));
            json_object_set_new(j, "free", json_integer(c->capacity - c->caseload));
            json_object_set_new(j, "orientations", json_string(c->orientations));
            json_t *why = json_array();
            for (int w = 0; w < m->n_why; w++) {
                json_t *wj = json_object();
                json_object_set_new(wj, "dimension", json_string(e->needs.dims[m->why[w]]));
                json_object_set_new(wj, "label", json_string(e->needs.label[m->why[w]][ui]));
                json_object_set_new(wj, "share", json_real((double)((int)(m->why_share[w] * 100 + 0.5f)) / 100.0));
                json_array_append_new(why, wj);
            }
            json_object_set_new(j, "why", why);
            json_array_append_new(matches, j);
        }
        json_object_set_new(info, "considered", json_integer(mr.considered));
        json_t *ex = json_object();
        json_object_set_new(ex, "unavailable", json_integer(mr.excluded_unavailable));
        json_object_set_new(ex, "capacity", json_integer(mr.excluded_capacity));
        json_object_set_new(ex, "language", json_integer(mr.excluded_language));
        json_object_set_new(ex, "risk", json_integer(mr.excluded_risk));
        json_object_set_new(ex, "gender", json_integer(mr.excluded_gender));
        json_object_set_new(info, "excluded", ex);
        json_t *need = json_object();
        for (int d = 0; d < e->needs.n_dims; d++)
            if (mr.need[d] > 0)
                json_object_set_new(need, e->needs.dims[d], json_real((double)((int)(mr.need[d] * 1000 + 0.5f)) / 1000.0));
        json_object_set_new(info, "need", need);
        if (mr.n == 0)
            json_object_set_new(info, "note", json_string("no counselor passes the filters: a person must match this client by hand"));
        else if (mr.need_empty)
            json_object_set_new(info, "note", json_string("no needs recorded yet: ranked by free capacity"));
    }
    json_object_set_new(o, "matches", matches);
    json_object_set_new(o, "matching", info);
    return o;
}
