#include "risk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { R_ITEM = 1, R_TOTAL, R_BAND, R_ANSWERED, R_FLAG, R_ANY_INCOMPLETE };

/* ---- binding rule names to forms ---- */

typedef struct {
    const formset *fs;
    uint32_t forms; /* the forms the rule reads, one bit each */
} bind_ctx;

/* What bind_ref and bind_item tell their caller: an error, the leaf bound whole, or go on to its literal. */
typedef enum { BIND_FAILED, BIND_DONE, BIND_LITERAL } bind_step;

/* FORM.ITEM: an item that can be compared; a multi-choice item is tested only with `has CODE`. */
static bind_step bind_item(expr *leaf, const form *f, const char *what, const scale **sc, error *e) {
    int i = form_item_index(f, what);
    if (i < 0) {
        error_set(e, ERR_INPUT, "form `%s` has no item `%s`", f->id, what);
        return BIND_FAILED;
    }
    if (f->items[i].type == ITEM_TEXT || f->items[i].type == ITEM_DATE) {
        error_set(e, ERR_INPUT, "`%s` is a %s item and cannot be compared", leaf->ref_text, item_type_name(f->items[i].type));
        return BIND_FAILED;
    }
    leaf->ref.kind = R_ITEM;
    leaf->ref.index = i;
    *sc = form_item_scale(f, i);
    bool multi = f->items[i].type == ITEM_MULTI;
    if (leaf->kind == EX_CMP && !leaf->lit_unanswered && (leaf->op == OP_HAS) != multi) {
        error_set(e, ERR_INPUT, multi ? "`%s` is a multi-choice item: test it with `has CODE`"
                              : "`has` tests a multi-choice item, and `%s` is not one", leaf->ref_text);
        return BIND_FAILED;
    }
    if (leaf->kind == EX_TRUTH && multi) {
        error_set(e, ERR_INPUT, "`%s` is a multi-choice item: test it with `has CODE`", leaf->ref_text);
        return BIND_FAILED;
    }
    if (leaf->kind == EX_CMP && multi && !leaf->lit_unanswered) {
        leaf->lit_value = *sc ? scale_code_index(*sc, leaf->lit_text) : -1;
        if (leaf->lit_value < 0) error_set(e, ERR_INPUT, "`%s` is not a code of `%s`", leaf->lit_text, leaf->ref_text);
        return leaf->lit_value >= 0 ? BIND_DONE : BIND_FAILED;
    }
    return BIND_LITERAL;
}

/* FORM.WHAT: what the leaf reads of form f (total, band, answered, incomplete, flag.NAME or an item). */
static bind_step bind_ref(expr *leaf, const form *f, const char *what, const scale **sc, error *e) {
    if (strcmp(what, "total") == 0) {
        if (!f->has_total) {
            error_set(e, ERR_INPUT, "form `%s` has no total", f->id);
            return BIND_FAILED;
        }
        leaf->ref.kind = R_TOTAL;
    } else if (strcmp(what, "band") == 0) {
        if (f->n_bands == 0) {
            error_set(e, ERR_INPUT, "form `%s` has no bands", f->id);
            return BIND_FAILED;
        }
        leaf->ref.kind = R_BAND;
    } else if (strcmp(what, "answered") == 0) {
        leaf->ref.kind = R_ANSWERED;
    } else if (strcmp(what, "incomplete") == 0 && form_item_index(f, what) < 0) {
        if (!f->has_total) {
            error_set(e, ERR_INPUT, "form `%s` has no total, so it cannot be incomplete", f->id);
            return BIND_FAILED;
        }
        leaf->ref.kind = R_ANY_INCOMPLETE;
        leaf->ref.index = 1; /* this form only */
        if (leaf->kind != EX_TRUTH) {
            error_set(e, ERR_INPUT, "`%s` is a condition on its own, not compared", leaf->ref_text);
            return BIND_FAILED;
        }
        return BIND_DONE;
    } else if (strncmp(what, "flag.", 5) == 0) {
        leaf->ref.kind = R_FLAG;
        leaf->ref.index = -1;
        for (int i = 0; i < f->n_items; i++)
            if (f->items[i].flag && strcmp(f->items[i].flag, what + 5) == 0) leaf->ref.index = i;
        if (leaf->ref.index < 0) {
            error_set(e, ERR_INPUT, "form `%s` has no safety flag `%s`", f->id, what + 5);
            return BIND_FAILED;
        }
    } else
        return bind_item(leaf, f, what, sc, e);
    return BIND_LITERAL;
}

/* The literal the leaf compares with, once it knows what it reads: unanswered (items only), refused (a
 * refusable scale), a number (not a band), a band id, or a code of the item's scale. */
static bool bind_literal(expr *leaf, const form *f, const scale *sc, error *e) {
    if (leaf->kind == EX_TRUTH) return true;
    if (leaf->lit_unanswered) {
        if (leaf->ref.kind == R_ITEM) return true;
        error_set(e, ERR_INPUT, "only an item can be `unanswered`, not `%s`", leaf->ref_text);
        return false;
    }
    if (leaf->op == OP_HAS) {
        error_set(e, ERR_INPUT, "`has` tests a multi-choice item, and `%s` is not one", leaf->ref_text);
        return false;
    }
    if (leaf->lit_refused) {
        if (leaf->ref.kind == R_ITEM && sc && sc->refusable) return true;
        error_set(e, ERR_INPUT, "`%s` cannot be refused", leaf->ref_text);
        return false;
    }
    if (leaf->lit_is_num) {
        if (leaf->ref.kind == R_BAND) {
            error_set(e, ERR_INPUT, "compare `%s` with a band id, not a number", leaf->ref_text);
            return false;
        }
        leaf->lit_value = (int)leaf->lit_num;
        return true;
    }
    if (leaf->ref.kind == R_BAND) {
        int b = form_band_index(f, leaf->lit_text);
        if (b < 0) {
            error_set(e, ERR_INPUT, "`%s` is not a band of %s", leaf->lit_text, f->id);
            return false;
        }
        leaf->lit_value = b;
        return true;
    }
    int c = sc ? scale_code_index(sc, leaf->lit_text) : -1;
    if (c < 0) {
        error_set(e, ERR_INPUT, "`%s` is not a code of `%s`", leaf->lit_text, leaf->ref_text);
        return false;
    }
    leaf->lit_value = sc->choices[c].value;
    return true;
}

static bool bind_rule_leaf(void *vctx, expr *leaf, error *e) {
    bind_ctx *ctx = vctx;
    const formset *fs = ctx->fs;
    char text[128];
    snprintf(text, sizeof text, "%s", leaf->ref_text);
    char *dot = strchr(text, '.');
    if (!dot) {
        error_set(e, ERR_INPUT, "`%s` should be FORM.total, FORM.band, FORM.answered, FORM.incomplete, FORM.ITEM, FORM.flag.NAME or any.incomplete", text);
        return false;
    }
    *dot = '\0';
    const char *what = dot + 1;
    /* any.incomplete: some questionnaire given has no valid total (more items missing than it allows) */
    if (strcmp(text, "any") == 0 && strcmp(what, "incomplete") == 0 && formset_index(fs, "any") < 0) {
        leaf->ref = (expr_ref){R_ANY_INCOMPLETE, 0, 0};
        if (leaf->kind == EX_TRUTH) return true;
        error_set(e, ERR_INPUT, "`any.incomplete` is a condition on its own, not compared");
        return false;
    }
    int fi = formset_index(fs, text);
    if (fi < 0) {
        error_set(e, ERR_INPUT, "`%s` is not a loaded form", text);
        return false;
    }
    const form *f = fs->v[fi];
    leaf->ref.form = fi;
    if (fi < 32) ctx->forms |= 1u << fi;
    const scale *sc = NULL;
    bind_step step = bind_ref(leaf, f, what, &sc, e);
    return step == BIND_LITERAL ? bind_literal(leaf, f, sc, e) : step == BIND_DONE;
}

/* ---- evaluation ---- */

/* The forms given whose total is not valid (too many items missing); one form when only is set. */
static int incomplete_forms(const answer_set *a, const expr_ref *ref, char *names, size_t size) {
    int n = 0;
    if (names && size) names[0] = '\0';
    for (int f = 0; f < a->fs->n && f < TRIAGE_MAX_FORMS; f++) {
        if (!a->given[f] || !a->scores[f].incomplete || (ref->index == 1 && f != ref->form)) continue;
        if (names) {
            size_t used = strlen(names);
            snprintf(names + used, size - used, "%s%s", n ? ", " : "", a->fs->v[f]->id);
        }
        n++;
    }
    return n;
}

static expr_value rule_lookup(const void *ctx, const expr_ref *ref) {
    const answer_set *a = ctx;
    expr_value unknown = {false, false, 0, false};
    if (ref->kind == R_ANY_INCOMPLETE) return (expr_value){true, false, incomplete_forms(a, ref, NULL, 0), false};
    if (!a->given[ref->form]) return unknown;
    const score_result *r = &a->scores[ref->form];
    switch (ref->kind) {
    case R_ITEM: return score_item_value(a->fs->v[ref->form], a->answers[ref->form], r->visible, ref->index);
    case R_TOTAL: return r->incomplete ? unknown : (expr_value){true, false, r->total, false};
    case R_BAND: return r->band >= 0 ? (expr_value){true, false, r->band, false} : unknown;
    case R_ANSWERED: return (expr_value){true, false, r->n_answered, false};
    case R_FLAG:
        for (int i = 0; i < r->n_flags; i++)
            if (r->flags[i].item == ref->index) return (expr_value){true, false, 1, false};
        return (expr_value){true, false, 0, false};
    }
    return unknown;
}

static void rule_describe(const void *ctx, const expr_ref *ref, expr_value v, char *buf, size_t size) {
    const answer_set *a = ctx;
    if (ref->kind == R_ANY_INCOMPLETE) {
        char names[256];
        incomplete_forms(a, ref, names, sizeof names);
        snprintf(buf, size, "%s (too many items missing for a valid total)", v.v ? names : "none");
        return;
    }
    const form *f = a->fs->v[ref->form];
    const score_result *r = &a->scores[ref->form];
    char extra[96] = "";
    if (r->prorated)
        snprintf(extra, sizeof extra, " (prorated: %d missing replaced by the mean of %d answered)", r->n_missing,
                 r->n_scored_answered);
    else if (r->provisional)
        snprintf(extra, sizeof extra, " (provisional, %d/%d answered)", r->n_answered, r->n_visible);
    else if (!r->complete)
        snprintf(extra, sizeof extra, " (%d/%d answered)", r->n_answered, r->n_visible);
    switch (ref->kind) {
    case R_ITEM: {
        answer ans = a->answers[ref->form][ref->index];
        answer_format(f, ref->index, ans, buf, size);
        if (f->items[ref->index].safety && ans.state != ANS_VALUE) {
            size_t n = strlen(buf);
            snprintf(buf + n, size - n, ", counts as positive");
        }
        return;
    }
    case R_TOTAL: snprintf(buf, size, "%d%s", v.v, extra); return;
    case R_BAND: snprintf(buf, size, "%s%s", v.known ? f->bands[v.v].id : "none", extra); return;
    case R_FLAG: snprintf(buf, size, "%s", v.v ? "yes" : "no"); return;
    default: snprintf(buf, size, "%d", v.v);
    }
}

expr *risk_condition_load(const char *text, const formset *fs, error *err) {
    expr *x = expr_parse(text ? text : "", err);
    bind_ctx ctx = {fs, 0};
    if (x && !expr_bind(x, bind_rule_leaf, &ctx, err)) {
        expr_free(x);
        x = NULL;
    }
    return x;
}

bool risk_condition_holds(const expr *x, const answer_set *a) {
    expr_env env = {rule_lookup, rule_describe, a};
    return x && expr_eval(x, &env);
}

void risk_evaluate(const ruleset *rs, const answer_set *a, risk_result *out) {
    expr_env env = {rule_lookup, rule_describe, a};
    out->level = LEVEL_GREEN;
    out->n_fired = 0;
    for (int lvl = LEVEL_RED; lvl > LEVEL_GREEN; lvl--)
        for (int i = 0; i < rs->n && out->n_fired < RISK_MAX_RULES; i++) {
            const risk_rule *rule = &rs->v[i];
            if ((int)rule->level != lvl || !expr_eval(rule->when, &env)) continue;
            if (out->level < rule->level) out->level = rule->level;
            risk_reason *rr = &out->fired[out->n_fired++];
            rr->rule = i;
            expr_explain(rule->when, &env, rr->because, sizeof rr->because);
        }
}

/* ---- loading ---- */

static const char *const rule_fields[] = {"level", "when", "reason.en", "reason.zh", "steps", "advice.en", "advice.zh", "advice_until",
                                          "reason.remote.en", "reason.remote.zh"};
enum { F_LEVEL, F_WHEN, F_REASON_EN, F_REASON_ZH, F_STEPS, F_ADVICE_EN, F_ADVICE_ZH, F_ADVICE_UNTIL, F_REMOTE_EN, F_REMOTE_ZH, F_COUNT };

static int rule_index(ruleset *rs, const char *name) {
    for (int i = 0; i < rs->n; i++)
        if (strcmp(rs->v[i].name, name) == 0) return i;
    return -1;
}

/* The most choices any single-choice item of f has: the uniform probes below run over them. */
static int widest_scale(const form *f) {
    int n = 1;
    for (int i = 0; i < f->n_items; i++) {
        const scale *s = form_item_scale(f, i);
        if (s && f->items[i].type != ITEM_MULTI && s->n > n) n = s->n;
    }
    return n;
}

/* Every single-choice item of form fi at its u-th choice (its last when it has fewer), nothing else given. */
static void probe_uniform(answer_set *a, const formset *fs, int fi, int u) {
    const form *f = fs->v[fi];
    answer_set_init(a, fs);
    memset(a->answers[fi], 0, sizeof a->answers[fi]);
    for (int i = 0; i < f->n_items; i++) {
        const scale *s = form_item_scale(f, i);
        if (s && f->items[i].type != ITEM_MULTI)
            a->answers[fi][i] = (answer){ANS_VALUE, s->choices[u < s->n ? u : s->n - 1].value};
    }
}

/* All of form fi at its lowest value (choice and scale items), nothing else given. */
static void probe_lowest(answer_set *a, const formset *fs, int fi) {
    const form *f = fs->v[fi];
    answer_set_init(a, fs);
    memset(a->answers[fi], 0, sizeof a->answers[fi]);
    for (int i = 0; i < f->n_items; i++) {
        const scale *s = form_item_scale(f, i);
        if (s && f->items[i].type != ITEM_MULTI) a->answers[fi][i] = (answer){ANS_VALUE, s->min_value};
    }
}

static void check_multi_coverage(const ruleset *rs, const ini_file *ini, diag *d, answer_set *a) {
    const formset *fs = rs->fs;
    for (int fi = 0; fi < fs->n && fi < TRIAGE_MAX_FORMS; fi++) {
        const form *f = fs->v[fi];
        for (int si = 0; si < f->n_items; si++) {
            const scale *s = form_item_scale(f, si);
            for (int c = 0; s && c < s->n; c++) {
                if (!(f->items[si].safety_codes & (1u << c))) continue;
                /* alone, with each other code ticked too, and with every other form given at its lowest (an ASQ
                 * all no): "at least orange, whatever the questionnaires say" */
                risk_result r = {.level = LEVEL_RED};
                for (int with = -2; with < s->n && r.level >= LEVEL_ORANGE; with++) {
                    probe_lowest(a, fs, fi);
                    if (with == -1)
                        for (int g = 0; g < fs->n && g < TRIAGE_MAX_FORMS; g++) {
                            if (g == fi || fs->v[g]->kind != FORM_SCORED) continue;
                            for (int i = 0; i < fs->v[g]->n_items; i++) {
                                const scale *gs = form_item_scale(fs->v[g], i);
                                if (gs) a->answers[g][i] = (answer){ANS_VALUE, gs->min_value};
                            }
                            answer_set_rescore(a, g);
                        }
                    uint32_t mask = 1u << c;
                    if (with >= 0) mask |= 1u << with;
                    a->answers[fi][si] = (answer){ANS_VALUE, (int32_t)mask};
                    answer_set_rescore(a, fi);
                    risk_evaluate(rs, a, &r);
                }
                if (r.level < LEVEL_ORANGE)
                    diag_add(d, ini->name, ini_line(ini, "risk", NULL), "risk", false,
                             "unsafe rules: %s.%s with `%s` ticked (all else lowest) would be %s, not at least "
                             "orange; add a rule such as `%s.%s has %s`",
                             f->id, f->items[si].id, s->choices[c].code, risk_level_name(r.level), f->id,
                             f->items[si].id, s->choices[c].code);
            }
        }
    }
}

/* The answers of form fi for combination k: each item one of its choices, a refusal or no answer. */
static void combination(const form *f, long k, answer *out) {
    for (int i = 0; i < f->n_items; i++) {
        const scale *s = form_item_scale(f, i);
        int n = s ? s->n + (s->refusable ? 1 : 0) + 1 : 1;
        int v = (int)(k % n);
        k /= n;
        if (!s || v == n - 1) out[i] = (answer){ANS_UNANSWERED, 0};
        else if (v == s->n) out[i] = (answer){ANS_REFUSED, 0};
        else out[i] = (answer){ANS_VALUE, s->choices[v].value};
    }
}

static long combinations(const form *f) {
    long n = 1;
    for (int i = 0; i < f->n_items && n <= 100000; i++) {
        const scale *s = form_item_scale(f, i);
        n *= s ? s->n + (s->refusable ? 1 : 0) + 1 : 1;
    }
    return n;
}

/* A band that declares the least level it needs (forms' min_level, from shared/CLINICAL.md) must get it for
 * every answers that land in it: for a form chosen by conditions (the ASQ), every combination of answers;
 * for a total, every total of the band, reached with the high answers first and last. */
static void check_band_coverage(const ruleset *rs, const ini_file *ini, diag *d, answer_set *a) {
    const formset *fs = rs->fs;
    for (int fi = 0; fi < fs->n && fi < TRIAGE_MAX_FORMS; fi++) {
        const form *f = fs->v[fi];
        bool any = false;
        for (int b = 0; b < f->n_bands; b++) any = any || f->bands[b].min_level > 0;
        if (!any || f->kind != FORM_SCORED) continue;
        long n = f->rule_bands ? combinations(f) : 0;
        if (n > 100000) continue; /* too many to try at load */
        bool reported[FORM_MAX_BANDS] = {false};
        for (long k = 0; f->rule_bands && k < n; k++) {
            answer_set_init(a, fs);
            combination(f, k, a->answers[fi]);
            answer_set_rescore(a, fi);
            int b = a->scores[fi].band;
            if (b < 0 || f->bands[b].min_level <= 0 || reported[b]) continue;
            risk_result r;
            risk_evaluate(rs, a, &r);
            if ((int)r.level >= f->bands[b].min_level) continue;
            reported[b] = true;
            diag_add(d, ini->name, ini_line(ini, "risk", NULL), "risk", false,
                     "unsafe rules: %s band %s (answers %ld of %ld tried) would be %s, not at least %s as the form "
                     "requires; add a rule such as `%s.band == %s`",
                     f->id, f->bands[b].id, k + 1, n, risk_level_name(r.level),
                     risk_level_name((risk_level)f->bands[b].min_level), f->id, f->bands[b].id);
        }
        for (int b = 0; !f->rule_bands && b < f->n_bands; b++) {
            if (f->bands[b].min_level <= 0) continue;
            for (int t = f->bands[b].min; t <= f->bands[b].max && !reported[b]; t++)
                for (int from_end = 0; from_end < 2 && !reported[b]; from_end++) {
                    answer_set_init(a, fs);
                    int left = t;
                    for (int j = 0; j < f->n_items; j++) {
                        int i = from_end ? f->n_items - 1 - j : j;
                        const scale *s = form_item_scale(f, i);
                        if (!s) continue;
                        int v = f->items[i].score ? (left > s->max_value ? s->max_value : left) : s->min_value;
                        if (scale_value_index(s, v) < 0) v = s->min_value;
                        if (f->items[i].score) left -= v;
                        a->answers[fi][i] = (answer){ANS_VALUE, v};
                    }
                    answer_set_rescore(a, fi);
                    if (left != 0 || a->scores[fi].band != b) continue;
                    risk_result r;
                    risk_evaluate(rs, a, &r);
                    if ((int)r.level >= f->bands[b].min_level) continue;
                    reported[b] = true;
                    diag_add(d, ini->name, ini_line(ini, "risk", NULL), "risk", false,
                             "unsafe rules: %s total %d (band %s) would be %s, not at least %s as the form requires; "
                             "add a rule such as `%s.total >= %d`",
                             f->id, t, f->bands[b].id, risk_level_name(r.level),
                             risk_level_name((risk_level)f->bands[b].min_level), f->id, f->bands[b].min);
                }
        }
    }
}

static void check_incomplete_coverage(const ruleset *rs, const ini_file *ini, diag *d, answer_set *a) {
    const formset *fs = rs->fs;
    for (int fi = 0; fi < fs->n && fi < TRIAGE_MAX_FORMS; fi++) {
        const form *f = fs->v[fi];
        if (!f->has_total) continue;
        /* every scored item passed without an answer; safety items at their lowest, so only the gap counts */
        probe_lowest(a, fs, fi);
        for (int i = 0; i < f->n_items; i++)
            if (f->items[i].score && !f->items[i].safety) a->answers[fi][i] = (answer){ANS_UNANSWERED, 0};
        answer_set_rescore(a, fi);
        if (!a->scores[fi].incomplete) continue;
        risk_result r;
        risk_evaluate(rs, a, &r);
        if (r.level < LEVEL_YELLOW)
            diag_add(d, ini->name, ini_line(ini, "risk", NULL), "risk", false,
                     "unsafe rules: %s without a valid total (items missing) would be green; add a rule such as "
                     "`any.incomplete` at yellow or above",
                     f->id);
    }
}

/* Every safety item answered positive on its own (all else at its lowest value) must be at least orange:
 * each positive value of its scale, a refusal and no answer at all; so must each safety code of a multi item
 * ticked on its own (the client's own report of self-harm). A form with a total left without a valid one
 * (too many items missing) must be at least yellow, so that a clinician reviews it. */
static void check_safety_coverage(const ruleset *rs, const ini_file *ini, diag *d) {
    static answer_set a; /* large; only used at load */
    const formset *fs = rs->fs;
    for (int fi = 0; fi < fs->n && fi < TRIAGE_MAX_FORMS; fi++) {
        const form *f = fs->v[fi];
        for (int si = 0; si < f->n_items; si++) {
            const form_item *it = &f->items[si];
            const scale *ss = form_item_scale(f, si);
            if (!it->safety || !ss) continue;
            /* variants: one per scale choice (positive ones only), then refused, then unanswered; each with
             * every other item at its u-th choice (a rule such as `item9 >= 1 and not item1 >= 1` fails one) */
            bool reported = false;
            for (int probe_u = 0; probe_u < widest_scale(f) && !reported; probe_u++)
            for (int variant = 0; variant < ss->n + 2; variant++) {
                answer probe;
                if (variant < ss->n) {
                    if (ss->choices[variant].value < it->safety_min) continue;
                    probe = (answer){ANS_VALUE, ss->choices[variant].value};
                } else {
                    probe = (answer){variant == ss->n ? ANS_REFUSED : ANS_UNANSWERED, 0};
                }
                probe_uniform(&a, fs, fi, probe_u);
                a.answers[fi][si] = probe;
                answer_set_rescore(&a, fi);
                risk_result r;
                risk_evaluate(rs, &a, &r);
                if (r.level < LEVEL_ORANGE) {
                    char key[256], how[64];
                    snprintf(key, sizeof key, "%s.%s", f->id, it->id);
                    if (probe.state == ANS_VALUE) snprintf(how, sizeof how, "answered %d", probe.value);
                    else snprintf(how, sizeof how, "%s", probe.state == ANS_REFUSED ? "refused" : "unanswered");
                    diag_add(d, ini->name, ini_line(ini, "risk", NULL), "risk", false,
                             "unsafe rules: safety item %s %s (all else %s) would be %s, not at least orange; "
                             "add a rule that raises it (e.g. `%s >= %d`)",
                             key, how, probe_u ? "at a higher answer" : "lowest", risk_level_name(r.level), key,
                             it->safety_min);
                    reported = true;
                    break;
                }
            }
        }
    }
    check_multi_coverage(rs, ini, d, &a);
    check_incomplete_coverage(rs, ini, d, &a);
    check_band_coverage(rs, ini, d, &a);
}

bool ruleset_load(ruleset *rs, const ini_file *ini, const formset *fs, diag *d) {
    *rs = (ruleset){0};
    rs->fs = fs;
    int before = d->errors;
    if (!ini_has_section(ini, "risk")) {
        diag_add(d, ini->name, 0, "risk", false, "missing [risk] section: triage never runs without its rules");
        return false;
    }
    strlist keys = ini_keys(ini, "risk");
    /* first pass: names, in file order */
    for (int k = 0; k < keys.n; k++) {
        const char *key = keys.v[k];
        char dotted[512];
        snprintf(dotted, sizeof dotted, "risk.%s", key);
        int line = ini_line(ini, "risk", key);
        int field = -1;
        size_t name_len = 0;
        if (strncmp(key, "rule.", 5) == 0)
            for (int fld = 0; fld < F_COUNT; fld++) {
                size_t kl = strlen(key), fl = strlen(rule_fields[fld]);
                if (kl > 5 + fl + 1 && key[kl - fl - 1] == '.' && strcmp(key + kl - fl, rule_fields[fld]) == 0) {
                    /* "reason.en" also ends in ".en"; prefer the longest field that matches */
                    if (field < 0 || fl > strlen(rule_fields[field])) {
                        field = fld;
                        name_len = kl - fl - 1 - 5;
                    }
                }
            }
        if (field < 0) {
            diag_add(d, ini->name, line, dotted, false,
                     "unknown key (rules are rule.NAME.level, .when, .reason.en, .reason.zh, and optional .steps, "
                     ".advice.en, .advice.zh, .advice_until)");
            continue;
        }
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)name_len, key + 5);
        if (!is_ident(name)) {
            diag_add(d, ini->name, line, dotted, false, "`%s` is not a valid rule name ([a-z0-9_])", name);
            continue;
        }
        int ri = rule_index(rs, name);
        if (ri < 0) {
            if (rs->n == RISK_MAX_RULES) {
                diag_add(d, ini->name, line, dotted, false, "more than %d rules", RISK_MAX_RULES);
                continue;
            }
            rs->v = xrealloc(rs->v, sizeof *rs->v * (size_t)(rs->n + 1));
            rs->v[rs->n] = (risk_rule){.name = xstrdup(name), .line = line, .steps_set = -1, .advice_until = -1};
            ri = rs->n++;
        }
        risk_rule *r = &rs->v[ri];
        const char *value = ini_get(ini, "risk", key);
        if (!value || !*value) {
            diag_add(d, ini->name, line, dotted, false, "empty value");
            continue;
        }
        switch (field) {
        case F_LEVEL:
            if (!risk_level_parse(value, &r->level) || r->level == LEVEL_GREEN)
                diag_add(d, ini->name, line, dotted, false, "`%s` is not red, orange or yellow", value);
            break;
        case F_WHEN: {
            error e = {0};
            r->when_text = xstrdup(value);
            r->when = expr_parse(value, &e);
            bind_ctx ctx = {fs, 0};
            if (r->when && !expr_bind(r->when, bind_rule_leaf, &ctx, &e)) {
                expr_free(r->when);
                r->when = NULL;
            }
            if (!r->when) diag_add(d, ini->name, line, dotted, false, "%s", e.msg);
            r->forms = ctx.forms;
            break;
        }
        case F_REASON_EN: r->reason[LANG_EN] = xstrdup(value); break;
        case F_REASON_ZH: r->reason[LANG_ZH] = xstrdup(value); break;
        case F_REMOTE_EN: r->reason_remote[LANG_EN] = xstrdup(value); break;
        case F_REMOTE_ZH: r->reason_remote[LANG_ZH] = xstrdup(value); break;
        case F_ADVICE_EN: r->advice[LANG_EN] = xstrdup(value); break;
        case F_ADVICE_ZH: r->advice[LANG_ZH] = xstrdup(value); break;
        case F_ADVICE_UNTIL: { /* FORM (until it is begun) or FORM complete (until it is answered) */
            char form_id[64];
            const char *space = strchr(value, ' ');
            size_t len = space ? (size_t)(space - value) : strlen(value);
            snprintf(form_id, sizeof form_id, "%.*s", (int)(len < sizeof form_id ? len : sizeof form_id - 1), value);
            r->advice_until_complete = space && strcmp(space + 1, "complete") == 0;
            r->advice_until = formset_index(fs, form_id);
            if (r->advice_until < 0 || (space && !r->advice_until_complete))
                diag_add(d, ini->name, line, dotted, false, "`%s` is not FORM or FORM complete", value);
            break;
        }
        case F_STEPS:
            /* which set is checked against [safety] by engine_load (risk rules do not read the config) */
            if (!is_ident(value)) diag_add(d, ini->name, line, dotted, false, "`%s` is not a step set name", value);
            else r->steps = xstrdup(value);
            break;
        }
    }
    strlist_free(&keys);
    /* every rule complete */
    for (int i = 0; i < rs->n; i++) {
        risk_rule *r = &rs->v[i];
        char k[300];
        const char *missing[F_COUNT] = {NULL};
        int nm = 0;
        if (!ini_get(ini, "risk", (snprintf(k, sizeof k, "rule.%s.level", r->name), k))) missing[nm++] = "level";
        if (!r->when_text) missing[nm++] = "when";
        if (!r->reason[LANG_EN]) missing[nm++] = "reason.en";
        if (!r->reason[LANG_ZH]) missing[nm++] = "reason.zh";
        if ((r->advice[LANG_EN] != NULL) != (r->advice[LANG_ZH] != NULL) || (r->advice_until >= 0 && !r->advice[LANG_EN])) {
            snprintf(k, sizeof k, "risk.rule.%s.advice", r->name);
            diag_add(d, ini->name, r->line, k, false, "advice needs .advice.en and .advice.zh (and .advice_until names a form)");
        }
        for (int m = 0; m < nm; m++) {
            snprintf(k, sizeof k, "risk.rule.%s.%s", r->name, missing[m]);
            diag_add(d, ini->name, r->line, k, false, "missing (every rule needs level, when, reason.en, reason.zh)");
        }
    }
    if (rs->n == 0) diag_add(d, ini->name, ini_line(ini, "risk", NULL), "risk", false, "no rules");
    if (d->errors == before) check_safety_coverage(rs, ini, d);
    if (d->errors > before) {
        ruleset_free(rs);
        return false;
    }
    return true;
}

const char *risk_rule_reason(const risk_rule *r, bool remote, lang l) {
    return remote && r->reason_remote[l] ? r->reason_remote[l] : r->reason[l];
}

void ruleset_free(ruleset *rs) {
    for (int i = 0; i < rs->n; i++) {
        free(rs->v[i].name);
        expr_free(rs->v[i].when);
        free(rs->v[i].when_text);
        free(rs->v[i].steps);
        for (int l = 0; l < LANG_COUNT; l++) free(rs->v[i].reason[l]);
        for (int l = 0; l < LANG_COUNT; l++) free(rs->v[i].reason_remote[l]);
        for (int l = 0; l < LANG_COUNT; l++) free(rs->v[i].advice[l]);
    }
    free(rs->v);
    *rs = (ruleset){0};
}

const char *risk_rule_advice(const risk_rule *r, const answer_set *a, lang l) {
    if (!r->advice[l]) return NULL;
    /* advice to ask a form is stale once one of its questions was asked; advice to complete it, once every
     * required question is answered (the PHQ-2's "complete the PHQ-9" stayed after the PHQ-9 was done: tryout) */
    int f = r->advice_until;
    if (f >= 0 && a && f < TRIAGE_MAX_FORMS && a->fs && f < a->fs->n && r->advice_until_complete)
        return a->given[f] && a->scores[f].complete ? NULL : r->advice[l];
    if (f >= 0 && a && f < TRIAGE_MAX_FORMS && a->fs && f < a->fs->n)
        for (int i = 0; i < a->fs->v[f]->n_items && i < FORM_MAX_ITEMS; i++)
            if (a->answers[f][i].state == ANS_VALUE || a->answers[f][i].state == ANS_REFUSED) return NULL;
    return r->advice[l];
}
