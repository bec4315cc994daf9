#include "score.h"

#include <stdio.h>
#include <string.h>

static const expr_value unknown = {false, false, 0, false};

expr_value score_item_value(const form *f, const answer *a, const bool *visible, int i) {
    const form_item *it = &f->items[i];
    if (!visible[i]) return unknown;
    int worst = it->scale >= 0 ? f->scales[it->scale].max_value : 0;
    switch (a[i].state) {
    case ANS_VALUE: return (expr_value){true, false, a[i].value, false};
    case ANS_REFUSED: return it->safety ? (expr_value){true, true, worst, false} : (expr_value){false, true, 0, false};
    case ANS_NOT_ASKED: return unknown;
    default: return it->safety ? (expr_value){true, false, worst, true} : (expr_value){false, false, 0, true};
    }
}

typedef struct {
    const form *f;
    const answer *a;
    const bool *visible;
} item_env_ctx;

static expr_value item_lookup(const void *vctx, const expr_ref *ref) {
    const item_env_ctx *c = vctx;
    return score_item_value(c->f, c->a, c->visible, ref->index);
}

static void item_describe(const void *vctx, const expr_ref *ref, expr_value v, char *buf, size_t size) {
    const item_env_ctx *c = vctx;
    answer_format(c->f, ref->index, c->a[ref->index], buf, size);
    (void)v;
}

void score_form(const form *f, const answer *a, score_result *r) {
    memset(r, 0, sizeof *r);
    r->f = f;
    r->band = -1;
    r->first_missing = -1;
    r->has_total = f->has_total;
    item_env_ctx ctx = {f, a, r->visible};
    expr_env env = {item_lookup, item_describe, &ctx};
    r->complete = true;
    for (int i = 0; i < f->n_items; i++) {
        const form_item *it = &f->items[i];
        /* show_if refers only to earlier items, whose visibility is already known */
        r->visible[i] = !it->show_if || expr_eval(it->show_if, &env);
        if (!r->visible[i]) continue;
        r->n_visible++;
        bool answered = a[i].state == ANS_VALUE || a[i].state == ANS_REFUSED;
        if (answered) r->n_answered++;
        else if (it->required) {
            r->complete = false;
            if (r->first_missing < 0) r->first_missing = i;
        }
        if (it->score && f->has_total) {
            r->n_scored++;
            if (a[i].state == ANS_VALUE) {
                r->raw_total += a[i].value;
                r->n_scored_answered++;
            } else if (a[i].state == ANS_NOT_ASKED) {
                r->provisional = true;
            } else {
                r->n_missing++;
            }
        }
        if (it->safety_codes && a[i].state == ANS_VALUE && ((uint32_t)a[i].value & it->safety_codes))
            r->flags[r->n_flags++] = (score_flag){i, FLAG_VALUE};
        if (it->safety) {
            if (a[i].state == ANS_VALUE && a[i].value >= it->safety_min)
                r->flags[r->n_flags++] = (score_flag){i, FLAG_VALUE};
            else if (a[i].state == ANS_REFUSED)
                r->flags[r->n_flags++] = (score_flag){i, FLAG_REFUSED};
            else if (a[i].state == ANS_UNANSWERED)
                r->flags[r->n_flags++] = (score_flag){i, FLAG_UNANSWERED};
        }
    }
    r->total = r->raw_total;
    if (f->has_total && r->n_missing > 0) {
        if (r->n_missing > f->missing_items || r->n_scored_answered == 0) {
            r->incomplete = true;
        } else if (!r->provisional) {
            /* mean replacement: raw * scored / answered, rounded half up, in integers */
            long num = 2L * r->raw_total * r->n_scored + r->n_scored_answered, den = 2L * r->n_scored_answered;
            r->total = (int)(num / den);
            r->prorated = true;
        }
    }
    if (f->kind != FORM_SCORED || f->n_bands == 0 || r->incomplete) return;
    if (f->rule_bands) {
        for (int b = f->n_bands - 1; b >= 0; b--)
            if (!f->bands[b].when || expr_eval(f->bands[b].when, &env)) {
                r->band = b;
                break;
            }
    } else {
        for (int b = 0; b < f->n_bands; b++)
            if (r->total >= f->bands[b].min && r->total <= f->bands[b].max) {
                r->band = b;
                break;
            }
    }
}

void answer_choices(const form *f, int item, char *buf, size_t size) {
    const form_item *it = &f->items[item];
    const scale *s = form_item_scale(f, item);
    buf[0] = '\0';
    if (it->type == ITEM_NUMBER) {
        snprintf(buf, size, "a whole number from %ld to %ld", it->min, it->max);
        return;
    }
    if (!s) {
        snprintf(buf, size, "%s", it->type == ITEM_DATE ? "a date YYYY-MM-DD" : "text");
        return;
    }
    size_t used = 0;
    for (int c = 0; c < s->n && used < size; c++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", c ? ", " : "", s->choices[c].code);
    if (s->refusable && used < size) snprintf(buf + used, size - used, ", refused");
}

bool answer_parse(const form *f, int item, const char *text, answer *out, error *err) {
    const form_item *it = &f->items[item];
    const scale *s = form_item_scale(f, item);
    char allowed[512];
    answer_choices(f, item, allowed, sizeof allowed);
    if (s && it->type != ITEM_MULTI) {
        if (strcmp(text, "refused") == 0 && s->refusable) {
            *out = (answer){ANS_REFUSED, 0};
            return true;
        }
        int c = scale_code_index(s, text);
        if (c >= 0) {
            *out = (answer){ANS_VALUE, s->choices[c].value};
            return true;
        }
    } else if (it->type == ITEM_NUMBER) {
        long v;
        if (parse_int(text, it->min, it->max, &v)) {
            *out = (answer){ANS_VALUE, (int32_t)v};
            return true;
        }
    } else {
        error_set(err, ERR_INPUT, "%s.%s: a %s item cannot be given as a single answer here", f->id, it->id,
                 item_type_name(it->type));
        return false;
    }
    char shown[256];
    text_for_display(text, 40, shown, sizeof shown);
    error_set(err, ERR_INPUT, "%s.%s: `%s` is not an answer to this item (expected %s)", f->id, it->id, shown, allowed);
    return false;
}

bool answer_valid(const form *f, int item, answer a) {
    const form_item *it = &f->items[item];
    const scale *s = form_item_scale(f, item);
    switch (a.state) {
    case ANS_UNANSWERED:
    case ANS_NOT_ASKED: return true;
    case ANS_REFUSED: return s && s->refusable;
    case ANS_VALUE: break;
    default: return false;
    }
    if (it->type == ITEM_MULTI) { /* a bit mask over the choices */
        if (!s) return false;
        uint32_t all = s->n >= 32 ? UINT32_MAX : (UINT32_C(1) << s->n) - 1u;
        return ((uint32_t)a.value & ~all) == 0;
    }
    if (s) return scale_value_index(s, a.value) >= 0;
    if (it->type == ITEM_NUMBER) return a.value >= it->min && a.value <= it->max;
    return a.value == 0;
}

void answer_format(const form *f, int item, answer a, char *buf, size_t size) {
    const scale *s = form_item_scale(f, item);
    if (a.state == ANS_REFUSED) snprintf(buf, size, "refused");
    else if (a.state == ANS_NOT_ASKED) snprintf(buf, size, "not asked yet");
    else if (a.state != ANS_VALUE) snprintf(buf, size, "unanswered");
    else if (s && f->items[item].type != ITEM_MULTI) {
        int c = scale_value_index(s, a.value);
        snprintf(buf, size, "%s", c >= 0 ? s->choices[c].code : "?");
    } else if (s) { /* a multi answer: the codes ticked, joined by + */
        size_t used = 0;
        buf[0] = '\0';
        for (int c = 0; c < s->n && used + 1 < size; c++)
            if ((uint32_t)a.value & (1u << c))
                used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "+" : "", s->choices[c].code);
        if (!used) snprintf(buf, size, "none");
    } else snprintf(buf, size, "%d", a.value);
}

const char *flag_cause_name(flag_cause c) {
    switch (c) {
    case FLAG_VALUE: return "answered";
    case FLAG_REFUSED: return "refused";
    default: return "unanswered";
    }
}
