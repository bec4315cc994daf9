/* Risk rules: the default levels of shared/CLINICAL.md as written in config.ini, every operator and
 * reference kind of the rule language, refusal of malformed rules (with their line) and of rule sets
 * that would leave a positive safety item green. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer_set.h"
#include "config.h"
#include "diag.h"
#include "form.h"
#include "risk.h"

#define FIX "tests/fixtures/config/"

enum { SKIP = -1, REF = -2, LATER = -3 }; /* pseudo-values for answers(): unanswered, refused, not asked yet */

static formset fs;
static config cfg;
static ruleset rules; /* the default rules of config.ini */
static answer_set A;  /* large: static, reset by answer_set_init in every test */

/* ---- helpers ---- */

static int form_idx(const char *id) {
    int f = formset_index(&fs, id);
    assert_true(f >= 0);
    return f;
}

/* Gives the first n items of a form: a value, SKIP (passed unanswered), REF (refused) or LATER (the interview has
 * not reached it yet). The form counts as given. */
static void answers(const char *form_id, const int *vals, int n) {
    int f = form_idx(form_id);
    assert_true(n <= fs.v[f]->n_items);
    for (int i = 0; i < n; i++) {
        answer ans = {ANS_VALUE, vals[i]};
        if (vals[i] == SKIP) ans = (answer){ANS_UNANSWERED, 0};
        if (vals[i] == REF) ans = (answer){ANS_REFUSED, 0};
        if (vals[i] == LATER) ans = (answer){ANS_NOT_ASKED, 0};
        answer_set_give(&A, f, i, ans);
    }
}

/* Spreads total over n items of 0..max, first items first. */
static void spread(int *vals, int n, int total, int max) {
    for (int i = 0; i < n; i++) {
        vals[i] = total > max ? max : total;
        total -= vals[i];
    }
    assert_int_equal(total, 0);
}

/* PHQ-9: items 1-8 summing to total18, item 9 given separately (a value, SKIP or REF). */
static void phq9(int total18, int item9) {
    int v[9];
    spread(v, 8, total18, 3);
    v[8] = item9;
    answers("phq9", v, 9);
}

static void gad7(int total) {
    int v[7];
    spread(v, 7, total, 3);
    answers("gad7", v, 7);
}

/* ASQ codes: no = 0, yes = 1. */
static void asq(int i1, int i2, int i3, int i4, int i5) {
    int v[5] = {i1, i2, i3, i4, i5};
    answers("asq", v, 5);
}

static const risk_reason *fired(const ruleset *rs, const risk_result *r, const char *name) {
    for (int i = 0; i < r->n_fired; i++)
        if (strcmp(rs->v[r->fired[i].rule].name, name) == 0) return &r->fired[i];
    return NULL;
}

static const char *fired_name(const ruleset *rs, const risk_result *r, int i) {
    assert_true(i < r->n_fired);
    return rs->v[r->fired[i].rule].name;
}

static void assert_ordered_by_level(const ruleset *rs, const risk_result *r) {
    for (int i = 1; i < r->n_fired; i++)
        assert_true(rs->v[r->fired[i - 1].rule].level >= rs->v[r->fired[i].rule].level);
    if (r->n_fired > 0) assert_int_equal(r->level, rs->v[r->fired[0].rule].level);
}

static void evaluate(const ruleset *rs, risk_result *r) {
    memset(r, 0xA5, sizeof *r); /* catch fields left unset */
    risk_evaluate(rs, &A, r);
    assert_ordered_by_level(rs, r);
}

static bool any_diag_mentions(const diag *d, const char *a, const char *b) {
    for (int i = 0; i < d->n; i++)
        if (strstr(d->v[i].msg, a) && (!b || strstr(d->v[i].msg, b))) return true;
    return false;
}

/* Loads the rules of a fixture config against the repository's forms. */
static bool load_fixture(const char *path, ruleset *rs, diag *d) {
    config c;
    bool ok = config_load(&c, path, d);
    if (!ok) {
        config_free(&c);
        fail_msg("fixture %s does not load as a config", path);
    }
    ok = ruleset_load(rs, &c.ini, &fs, d);
    config_free(&c);
    return ok;
}

static int setup(void **state) {
    (void)state;
    diag d = {0};
    if (!config_load(&cfg, "config.ini", &d) || !formset_load(&fs, "forms", &d) ||
        !ruleset_load(&rules, &cfg.ini, &fs, &d)) {
        diag_print(&d, stderr);
        diag_free(&d);
        return -1;
    }
    int n = d.n;
    diag_free(&d);
    return n == 0 ? 0 : -1; /* the default rules load without any diagnostic */
}

static int teardown(void **state) {
    (void)state;
    ruleset_free(&rules);
    formset_free(&fs);
    config_free(&cfg);
    return 0;
}

static int reset(void **state) {
    (void)state;
    answer_set_init(&A, &fs);
    return 0;
}

/* ---- default rules (config.ini) give the CLINICAL.md levels ---- */

static void test_default_rules_loaded(void **state) {
    (void)state;
    assert_int_equal(rules.n, 12);
    static const char *const names[] = {"asq_acute",     "asq_q5_unknown", "asq_positive",  "phq9_item9",
                                        "self_harm_concern", "phq9_severe", "phq9_moderate", "gad7_moderate",
                                        "incomplete",    "phq2_positive",  "gad2_positive", "k6_serious"};
    static const risk_level levels[] = {LEVEL_RED,    LEVEL_RED,    LEVEL_ORANGE, LEVEL_ORANGE,
                                        LEVEL_ORANGE, LEVEL_ORANGE, LEVEL_YELLOW, LEVEL_YELLOW,
                                        LEVEL_YELLOW, LEVEL_YELLOW, LEVEL_YELLOW, LEVEL_YELLOW};
    for (int i = 0; i < 12; i++) {
        assert_string_equal(rules.v[i].name, names[i]);
        assert_int_equal(rules.v[i].level, levels[i]);
        assert_non_null(rules.v[i].reason[LANG_EN]);
        assert_non_null(rules.v[i].reason[LANG_ZH]);
    }
    assert_string_equal(rules.v[3].when_text, "phq9.item9 >= 1");
    assert_string_equal(rules.v[4].when_text, "intake.concerns has self_harm");
}

static void test_level_names(void **state) {
    (void)state;
    assert_string_equal(risk_level_name(LEVEL_GREEN), "green");
    assert_string_equal(risk_level_name(LEVEL_RED), "red");
    risk_level l = LEVEL_GREEN;
    assert_true(risk_level_parse("orange", &l));
    assert_int_equal(l, LEVEL_ORANGE);
    assert_false(risk_level_parse("purple", &l));
    assert_false(risk_level_parse("Orange", &l));
    assert_int_equal(l, LEVEL_ORANGE);
}

static void test_nothing_given_green(void **state) {
    (void)state;
    risk_result r;
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_GREEN);
    assert_int_equal(r.n_fired, 0);
}

static void test_asq_acute_red(void **state) {
    (void)state;
    risk_result r;
    asq(1, 0, 0, 0, 1);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_RED);
    assert_int_equal(r.n_fired, 1);
    assert_string_equal(fired_name(&rules, &r, 0), "asq_acute");
    assert_string_equal(r.fired[0].because, "asq.band = acute_positive");
}

static void test_asq_item5_refused_red(void **state) {
    (void)state;
    risk_result r;
    asq(0, 1, 0, 0, REF);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_RED);
    assert_non_null(fired(&rules, &r, "asq_acute"));
}

static void test_asq_non_acute_orange(void **state) {
    (void)state;
    risk_result r;
    asq(0, 0, 1, 0, 0);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    assert_int_equal(r.n_fired, 1);
    assert_string_equal(fired_name(&rules, &r, 0), "asq_positive");
    assert_string_equal(r.fired[0].because, "asq.band = non_acute_positive");

    /* item 5 not asked yet (the live interview): non-acute for now, question 5 comes next */
    answer_set_init(&A, &fs);
    asq(1, 0, 0, 0, LATER);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    assert_string_equal(fired_name(&rules, &r, 0), "asq_positive");

    /* item 5 not answered after a positive (skipped, interrupted, imported without it): acute, with the reason
     * that names it. NIMH never reads an unknown answer to 5 as "no". */
    answer_set_init(&A, &fs);
    asq(1, 0, 0, 0, SKIP);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_RED);
    const risk_reason *q5 = fired(&rules, &r, "asq_q5_unknown");
    assert_non_null(q5);
    assert_non_null(strstr(q5->because, "asq.item5 = unanswered"));
    assert_non_null(strstr(rules.v[1].reason[LANG_EN], "question 5 not answered"));
    assert_null(fired(&rules, &r, "asq_positive"));
}

static void test_asq_refusal_positive(void **state) {
    (void)state;
    risk_result r;
    asq(0, 0, 0, REF, 0);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    assert_non_null(fired(&rules, &r, "asq_positive"));
    /* a refusal of 1-4 with 5 never answered: acute */
    asq(0, 0, 0, REF, SKIP);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_RED);
    assert_non_null(fired(&rules, &r, "asq_q5_unknown"));
}

static void test_asq_negative_green(void **state) {
    (void)state;
    risk_result r;
    asq(0, 0, 0, 0, SKIP);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_GREEN);
    assert_int_equal(r.n_fired, 0);
}

static void test_phq9_item9_positive_orange(void **state) {
    (void)state;
    risk_result r;
    phq9(0, 1);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    assert_int_equal(r.n_fired, 1);
    assert_string_equal(fired_name(&rules, &r, 0), "phq9_item9");
    assert_string_equal(r.fired[0].because, "phq9.item9 = 1");
}

static void test_phq9_item9_zero_green(void **state) {
    (void)state;
    risk_result r;
    phq9(5, 0);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_GREEN);
    assert_int_equal(r.n_fired, 0);
}

static void test_phq9_item9_unanswered_orange(void **state) {
    (void)state;
    risk_result r;
    phq9(8, SKIP); /* items 1-8 answered, item 9 not */
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    const risk_reason *rr = fired(&rules, &r, "phq9_item9");
    assert_non_null(rr);
    assert_non_null(strstr(rr->because, "phq9.item9 = unanswered"));
    assert_non_null(strstr(rr->because, "counts as positive"));
}

static void test_phq9_item9_refused_orange(void **state) {
    (void)state;
    risk_result r;
    phq9(0, REF);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    const risk_reason *rr = fired(&rules, &r, "phq9_item9");
    assert_non_null(rr);
    assert_string_equal(rr->because, "phq9.item9 = refused, counts as positive");
}

static void test_phq9_total_20_orange(void **state) {
    (void)state;
    risk_result r;
    phq9(20, 0);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    assert_int_equal(r.n_fired, 2);
    assert_string_equal(fired_name(&rules, &r, 0), "phq9_severe");
    assert_string_equal(fired_name(&rules, &r, 1), "phq9_moderate");
    assert_string_equal(r.fired[0].because, "phq9.total = 20");
    assert_null(fired(&rules, &r, "phq9_item9"));
}

static void test_phq9_moderate_yellow(void **state) {
    (void)state;
    static const int yellow[] = {10, 14, 15, 19};
    for (size_t k = 0; k < sizeof yellow / sizeof yellow[0]; k++) {
        risk_result r;
        answer_set_init(&A, &fs);
        phq9(yellow[k], 0);
        evaluate(&rules, &r);
        assert_int_equal(r.level, LEVEL_YELLOW);
        assert_int_equal(r.n_fired, 1);
        assert_string_equal(fired_name(&rules, &r, 0), "phq9_moderate");
        char want[64];
        snprintf(want, sizeof want, "phq9.total = %d", yellow[k]);
        assert_string_equal(r.fired[0].because, want);
    }
}

static void test_phq9_9_green(void **state) {
    (void)state;
    risk_result r;
    phq9(9, 0);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_GREEN);
    assert_int_equal(r.n_fired, 0);
}

static void test_gad7_levels(void **state) {
    (void)state;
    risk_result r;
    gad7(10);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_YELLOW);
    assert_int_equal(r.n_fired, 1);
    assert_string_equal(fired_name(&rules, &r, 0), "gad7_moderate");
    assert_string_equal(r.fired[0].because, "gad7.total = 10");

    answer_set_init(&A, &fs);
    gad7(21);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_YELLOW);
    assert_string_equal(r.fired[0].because, "gad7.total = 21");

    answer_set_init(&A, &fs);
    gad7(9);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_GREEN);
    assert_int_equal(r.n_fired, 0);
}

static void test_phq9_22_item9_2_all_listed(void **state) {
    (void)state;
    risk_result r;
    phq9(20, 2); /* total 22 */
    assert_int_equal(A.scores[form_idx("phq9")].total, 22);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    assert_int_equal(r.n_fired, 3);
    /* orange rules in file order, then the yellow one */
    assert_string_equal(fired_name(&rules, &r, 0), "phq9_item9");
    assert_string_equal(fired_name(&rules, &r, 1), "phq9_severe");
    assert_string_equal(fired_name(&rules, &r, 2), "phq9_moderate");
    assert_string_equal(r.fired[0].because, "phq9.item9 = 2");
    assert_string_equal(r.fired[1].because, "phq9.total = 22");
    assert_string_equal(r.fired[2].because, "phq9.total = 22");
}

static void test_highest_level_wins(void **state) {
    (void)state;
    risk_result r;
    gad7(12);
    phq9(12, 0);
    asq(1, 1, 0, 0, 1);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_RED);
    assert_int_equal(r.n_fired, 3);
    assert_string_equal(fired_name(&rules, &r, 0), "asq_acute");
    assert_string_equal(fired_name(&rules, &r, 1), "phq9_moderate");
    assert_string_equal(fired_name(&rules, &r, 2), "gad7_moderate");
    assert_string_equal(r.fired[1].because, "phq9.total = 12");
    assert_string_equal(r.fired[2].because, "gad7.total = 12");
}

/* The rule order in the file must not matter for the level: a yellow rule listed before an orange one. */
static void test_yellow_and_orange_together(void **state) {
    (void)state;
    risk_result r;
    gad7(15);
    phq9(0, 3);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    assert_int_equal(r.n_fired, 2);
    assert_string_equal(fired_name(&rules, &r, 0), "phq9_item9");
    assert_string_equal(fired_name(&rules, &r, 1), "gad7_moderate");
}

static void test_incomplete_never_lowers(void **state) {
    (void)state;
    risk_result r;
    int v[9] = {3, 3, 3, 3, LATER, LATER, LATER, LATER, LATER};
    answers("phq9", v, 9); /* items 5-9 not asked yet: total 12, provisional */
    int f = form_idx("phq9");
    assert_int_equal(A.scores[f].total, 12);
    assert_true(A.scores[f].provisional);
    evaluate(&rules, &r);
    assert_true(r.level >= LEVEL_YELLOW);
    const risk_reason *rr = fired(&rules, &r, "phq9_moderate");
    assert_non_null(rr);
    assert_non_null(strstr(rr->because, "phq9.total = 12"));
    assert_non_null(strstr(rr->because, "provisional"));
    /* item 9 not reached yet is not counted; once passed without an answer it counts as positive: orange, and
     * with five items missing the PHQ-9 is incomplete (no valid total): yellow for that, never green */
    assert_int_equal(r.level, LEVEL_YELLOW);
    for (int i = 4; i < 9; i++) v[i] = SKIP;
    answers("phq9", v, 9);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    assert_non_null(fired(&rules, &r, "phq9_item9"));
    assert_true(A.scores[f].incomplete);
    assert_null(fired(&rules, &r, "phq9_moderate"));
    const risk_reason *inc = fired(&rules, &r, "incomplete");
    assert_non_null(inc);
    assert_non_null(strstr(inc->because, "phq9"));
}

/* The case: 19 over 8 answered items is 21 by the published scoring (severe, orange), never 19. */
static void test_prorated_total_drives_rules(void **state) {
    (void)state;
    risk_result r;
    int v[9] = {3, 3, 3, 3, 3, 2, 2, SKIP, 0};
    answers("phq9", v, 9);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    const risk_reason *sev = fired(&rules, &r, "phq9_severe");
    assert_non_null(sev);
    assert_non_null(strstr(sev->because, "phq9.total = 21 (prorated"));
}

/* The client's own report of self-harm (a presenting concern) is a positive screen whatever else says. */
static void test_self_harm_concern_orange(void **state) {
    (void)state;
    risk_result r;
    int intake = form_idx("intake");
    const form *fi = fs.v[intake];
    int ci = form_item_index(fi, "concerns");
    const scale *cs = form_item_scale(fi, ci);
    phq9(0, 0);
    asq(0, 0, 0, 0, SKIP);
    answer_set_give(&A, intake, ci, (answer){ANS_VALUE, (int32_t)(1u << scale_code_index(cs, "self_harm"))});
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_ORANGE);
    assert_non_null(fired(&rules, &r, "self_harm_concern"));
    /* any other concern alone: green */
    answer_set_give(&A, intake, ci, (answer){ANS_VALUE, (int32_t)(1u << scale_code_index(cs, "grief"))});
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_GREEN);
}

static void test_provisional_because_text(void **state) {
    (void)state;
    risk_result r;
    int v[9] = {3, 3, 3, 3, LATER, LATER, LATER, LATER, 0};
    answers("phq9", v, 9);
    evaluate(&rules, &r);
    assert_int_equal(r.level, LEVEL_YELLOW);
    assert_int_equal(r.n_fired, 1);
    assert_string_equal(fired_name(&rules, &r, 0), "phq9_moderate");
    /* 10 items asked (the difficulty item is shown once a problem is checked), 5 answered */
    assert_string_equal(r.fired[0].because, "phq9.total = 12 (provisional, 5/10 answered)");
}

/* ---- every operator and reference kind (tests/fixtures/config/ops.ini) ---- */

static ruleset ops;

static int setup_ops(void **state) {
    reset(state);
    diag d = {0};
    bool ok = load_fixture(FIX "ops.ini", &ops, &d);
    if (!ok || d.n) diag_print(&d, stderr);
    int n = d.n;
    diag_free(&d);
    return ok && n == 0 ? 0 : -1;
}

static int teardown_ops(void **state) {
    (void)state;
    ruleset_free(&ops);
    return 0;
}

static void expect_fires(const risk_result *r, const char *rule, bool want, int total) {
    bool got = fired(&ops, r, rule) != NULL;
    if (got != want) fail_msg("gad7.total = %d: rule %s %s but should%s", total, rule, got ? "fired" : "did not fire",
                              want ? "" : " not");
}

static void test_ops_comparisons(void **state) {
    (void)state;
    static const int totals[] = {0, 4, 5, 6, 7, 8, 14, 15, 16, 21};
    for (size_t k = 0; k < sizeof totals / sizeof totals[0]; k++) {
        int t = totals[k];
        risk_result r;
        answer_set_init(&A, &fs);
        gad7(t);
        evaluate(&ops, &r);
        expect_fires(&r, "op_eq", t == 7, t);
        expect_fires(&r, "op_ne", t != 7, t);
        expect_fires(&r, "op_lt", t < 5, t);
        expect_fires(&r, "op_le", t <= 5, t);
        expect_fires(&r, "op_gt", t > 15, t);
        expect_fires(&r, "op_ge", t >= 15, t);
        expect_fires(&r, "band_mild", t >= 5 && t <= 9, t);
        expect_fires(&r, "band_not_minimal", t >= 5, t);
        assert_int_equal(r.level, LEVEL_YELLOW); /* op_ne or op_eq always fires once gad7 is given */
    }
}

static void test_ops_because(void **state) {
    (void)state;
    risk_result r;
    gad7(7);
    evaluate(&ops, &r);
    const risk_reason *rr = fired(&ops, &r, "op_eq");
    assert_non_null(rr);
    assert_string_equal(rr->because, "gad7.total = 7");
    rr = fired(&ops, &r, "band_mild");
    assert_non_null(rr);
    assert_string_equal(rr->because, "gad7.band = mild");
}

static void test_ops_unknown_never_fires(void **state) {
    (void)state;
    risk_result r;
    phq9(0, 0); /* gad7, k6 and asq not given: every comparison on them is false, even != */
    evaluate(&ops, &r);
    assert_int_equal(r.level, LEVEL_GREEN);
    assert_int_equal(r.n_fired, 0);
}

static void test_ops_answered(void **state) {
    (void)state;
    risk_result r;
    int v[6] = {1, 1, SKIP, SKIP, SKIP, SKIP};
    answers("k6", v, 6);
    evaluate(&ops, &r);
    assert_null(fired(&ops, &r, "answered3"));
    v[2] = 0;
    answer_set_init(&A, &fs);
    answers("k6", v, 6);
    evaluate(&ops, &r);
    const risk_reason *rr = fired(&ops, &r, "answered3");
    assert_non_null(rr);
    assert_string_equal(rr->because, "k6.answered = 3");
}

static void test_ops_flag(void **state) {
    (void)state;
    risk_result r;
    phq9(3, 0);
    evaluate(&ops, &r);
    assert_null(fired(&ops, &r, "flag_item9"));

    answer_set_init(&A, &fs);
    phq9(3, 2);
    evaluate(&ops, &r);
    const risk_reason *rr = fired(&ops, &r, "flag_item9");
    assert_non_null(rr);
    assert_string_equal(rr->because, "phq9.flag.self_harm_thoughts = yes");

    answer_set_init(&A, &fs);
    phq9(3, SKIP); /* an unanswered safety item raises its flag */
    evaluate(&ops, &r);
    assert_non_null(fired(&ops, &r, "flag_item9"));

    answer_set_init(&A, &fs);
    asq(0, 1, 0, 0, 0);
    evaluate(&ops, &r);
    assert_non_null(fired(&ops, &r, "flag_asq2_eq"));
    answer_set_init(&A, &fs);
    asq(1, 0, 0, 0, 0);
    evaluate(&ops, &r);
    assert_null(fired(&ops, &r, "flag_asq2_eq"));
    answer_set_init(&A, &fs);
    asq(0, REF, 0, 0, 0);
    evaluate(&ops, &r);
    assert_non_null(fired(&ops, &r, "flag_asq2_eq"));
}

static void test_ops_refused(void **state) {
    (void)state;
    risk_result r;
    asq(REF, 0, 0, 0, 0);
    evaluate(&ops, &r);
    const risk_reason *rr = fired(&ops, &r, "refused1");
    assert_non_null(rr);
    assert_string_equal(rr->because, "asq.item1 = refused, counts as positive");
    assert_null(fired(&ops, &r, "not_refused1"));
    assert_int_equal(r.level, LEVEL_ORANGE); /* the refusal is also a positive screen */

    answer_set_init(&A, &fs);
    asq(1, 0, 0, 0, 0);
    evaluate(&ops, &r);
    assert_null(fired(&ops, &r, "refused1"));
    assert_non_null(fired(&ops, &r, "not_refused1"));

    answer_set_init(&A, &fs);
    asq(0, 0, 0, 0, SKIP);
    evaluate(&ops, &r);
    assert_null(fired(&ops, &r, "refused1"));
    assert_non_null(fired(&ops, &r, "not_refused1"));
}

static void test_ops_codes_and_not(void **state) {
    (void)state;
    risk_result r;
    asq(0, 0, 1, 0, 0);
    evaluate(&ops, &r);
    assert_non_null(fired(&ops, &r, "code_yes"));

    answer_set_init(&A, &fs);
    asq(0, 0, 1, 1, 0);
    evaluate(&ops, &r);
    assert_null(fired(&ops, &r, "code_yes"));

    answer_set_init(&A, &fs);
    asq(0, 0, 1, SKIP, 0); /* unanswered item 4 counts as yes */
    evaluate(&ops, &r);
    assert_null(fired(&ops, &r, "code_yes"));
}

/* ---- malformed rules are refused, naming the key and its line ---- */

static void expect_refused(const char *path, const char *key, const char *line_prefix, const char *msg_part) {
    ruleset rs;
    diag d = {0};
    answer_set_init(&A, &fs);
    bool ok = load_fixture(path, &rs, &d);
    if (ok) ruleset_free(&rs);
    assert_false(ok);
    assert_int_equal(rs.n, 0);
    assert_null(rs.v);
    if (d.errors != 1) diag_print(&d, stderr);
    assert_int_equal(d.errors, 1);
    const diag_entry *e = find_diag(&d, key);
    if (!e) diag_print(&d, stderr);
    assert_non_null(e);
    assert_false(e->warning);
    assert_string_equal(e->file, path);
    assert_int_equal(e->line, fixture_line(path, line_prefix));
    if (!strstr(e->msg, msg_part)) fail_msg("message `%s` lacks `%s`", e->msg, msg_part);
    diag_free(&d);
}

static void test_bad_unknown_form(void **state) {
    (void)state;
    expect_refused(FIX "bad_form.ini", "risk.rule.bad.when", "rule.bad.when", "`bdi` is not a loaded form");
}

static void test_bad_unknown_item(void **state) {
    (void)state;
    expect_refused(FIX "bad_item.ini", "risk.rule.bad.when", "rule.bad.when", "form `phq9` has no item `item10`");
}

static void test_bad_unknown_band(void **state) {
    (void)state;
    expect_refused(FIX "bad_band.ini", "risk.rule.bad.when", "rule.bad.when", "`extreme` is not a band of phq9");
}

static void test_bad_level_purple(void **state) {
    (void)state;
    expect_refused(FIX "bad_level_purple.ini", "risk.rule.bad.level", "rule.bad.level",
                   "`purple` is not red, orange or yellow");
}

static void test_bad_level_green(void **state) {
    (void)state;
    expect_refused(FIX "bad_level_green.ini", "risk.rule.bad.level", "rule.bad.level",
                   "`green` is not red, orange or yellow");
}

static void test_bad_missing_reason_zh(void **state) {
    (void)state;
    /* a missing key has no line of its own: the rule's first line */
    expect_refused(FIX "bad_missing_zh.ini", "risk.rule.bad.reason.zh", "rule.bad.level", "missing");
}

static void test_bad_unknown_key(void **state) {
    (void)state;
    expect_refused(FIX "bad_unknown_key.ini", "risk.rule.x.colour", "rule.x.colour", "unknown key");
}

static void test_bad_syntax(void **state) {
    (void)state;
    expect_refused(FIX "bad_syntax.ini", "risk.rule.bad.when", "rule.bad.when", "expected `)`");
}

static void test_bad_refused_not_refusable(void **state) {
    (void)state;
    expect_refused(FIX "bad_refused.ini", "risk.rule.bad.when", "rule.bad.when", "`phq2.item1` cannot be refused");
}

/* ---- safety refusal ---- */

/* Each of the new load checks refuses a rule set that would under-triage, naming what is missing. */
static void expect_unsafe(const char *fixture, const char *a, const char *b) {
    ruleset rs;
    diag d = {0};
    char path[256];
    snprintf(path, sizeof path, FIX "%s", fixture);
    bool ok = load_fixture(path, &rs, &d);
    if (ok) ruleset_free(&rs);
    assert_false(ok);
    if (!any_diag_mentions(&d, a, b)) {
        diag_print(&d, stderr);
        diag_free(&d);
        fail_msg("%s: no diagnostic mentions `%s` and `%s`", fixture, a, b ? b : "");
    }
    diag_free(&d);
}

static void test_unsafe_new_checks(void **state) {
    (void)state;
    expect_unsafe("unsafe_no_self_harm.ini", "intake.concerns with `self_harm` ticked", "not at least orange");
    expect_unsafe("unsafe_no_incomplete.ini", "phq9 without a valid total", "any.incomplete");
    expect_unsafe("unsafe_item9_yellow.ini", "phq9.item9 answered 1", "would be yellow, not at least orange");
}

static void test_unsafe_without_item9_rule(void **state) {
    (void)state;
    ruleset rs;
    diag d = {0};
    const char *path = FIX "unsafe_no_item9.ini";
    bool ok = load_fixture(path, &rs, &d);
    if (ok) ruleset_free(&rs);
    assert_false(ok);
    assert_true(d.errors >= 1);
    assert_true(any_diag_mentions(&d, "phq9.item9", "green"));
    assert_false(any_diag_mentions(&d, "asq.item", NULL)); /* the ASQ rules are there */
    const diag_entry *e = find_diag(&d, "risk");
    assert_non_null(e);
    assert_int_equal(e->line, fixture_line(path, "[risk]"));
    diag_free(&d);
}

static void test_unsafe_without_asq_rules(void **state) {
    (void)state;
    ruleset rs;
    diag d = {0};
    bool ok = load_fixture(FIX "unsafe_no_asq.ini", &rs, &d);
    if (ok) ruleset_free(&rs);
    assert_false(ok);
    assert_true(any_diag_mentions(&d, "asq.item1", "green"));
    assert_false(any_diag_mentions(&d, "phq9.item9", NULL));
    diag_free(&d);
}

/* Every positive answer of a safety item must raise the level, not only its lowest positive value:
 * here item 9 answered 2 (all else 0) is green under the fixture's rules. */
static void test_unsafe_gap_in_positive_values(void **state) {
    (void)state;
    ruleset rs;
    diag d = {0};
    bool ok = load_fixture(FIX "unsafe_item9_gap.ini", &rs, &d);
    if (ok) {
        risk_result r;
        answer_set_init(&A, &fs);
        phq9(0, 2);
        risk_evaluate(&rs, &A, &r);
        ruleset_free(&rs);
        diag_free(&d);
        fail_msg("rules loaded although phq9.item9 = 2 alone is %s", risk_level_name(r.level));
    }
    assert_true(any_diag_mentions(&d, "phq9.item9", "green"));
    diag_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_default_rules_loaded, reset),
        cmocka_unit_test_setup(test_level_names, reset),
        cmocka_unit_test_setup(test_nothing_given_green, reset),
        cmocka_unit_test_setup(test_asq_acute_red, reset),
        cmocka_unit_test_setup(test_asq_item5_refused_red, reset),
        cmocka_unit_test_setup(test_asq_non_acute_orange, reset),
        cmocka_unit_test_setup(test_asq_refusal_positive, reset),
        cmocka_unit_test_setup(test_asq_negative_green, reset),
        cmocka_unit_test_setup(test_phq9_item9_positive_orange, reset),
        cmocka_unit_test_setup(test_phq9_item9_zero_green, reset),
        cmocka_unit_test_setup(test_phq9_item9_unanswered_orange, reset),
        cmocka_unit_test_setup(test_phq9_item9_refused_orange, reset),
        cmocka_unit_test_setup(test_phq9_total_20_orange, reset),
        cmocka_unit_test_setup(test_phq9_moderate_yellow, reset),
        cmocka_unit_test_setup(test_phq9_9_green, reset),
        cmocka_unit_test_setup(test_gad7_levels, reset),
        cmocka_unit_test_setup(test_phq9_22_item9_2_all_listed, reset),
        cmocka_unit_test_setup(test_highest_level_wins, reset),
        cmocka_unit_test_setup(test_yellow_and_orange_together, reset),
        cmocka_unit_test_setup(test_incomplete_never_lowers, reset),
        cmocka_unit_test_setup(test_prorated_total_drives_rules, reset),
        cmocka_unit_test_setup(test_self_harm_concern_orange, reset),
        cmocka_unit_test_setup(test_provisional_because_text, reset),
        cmocka_unit_test_setup_teardown(test_ops_comparisons, setup_ops, teardown_ops),
        cmocka_unit_test_setup_teardown(test_ops_because, setup_ops, teardown_ops),
        cmocka_unit_test_setup_teardown(test_ops_unknown_never_fires, setup_ops, teardown_ops),
        cmocka_unit_test_setup_teardown(test_ops_answered, setup_ops, teardown_ops),
        cmocka_unit_test_setup_teardown(test_ops_flag, setup_ops, teardown_ops),
        cmocka_unit_test_setup_teardown(test_ops_refused, setup_ops, teardown_ops),
        cmocka_unit_test_setup_teardown(test_ops_codes_and_not, setup_ops, teardown_ops),
        cmocka_unit_test(test_bad_unknown_form),
        cmocka_unit_test(test_bad_unknown_item),
        cmocka_unit_test(test_bad_unknown_band),
        cmocka_unit_test(test_bad_level_purple),
        cmocka_unit_test(test_bad_level_green),
        cmocka_unit_test(test_bad_missing_reason_zh),
        cmocka_unit_test(test_bad_unknown_key),
        cmocka_unit_test(test_bad_syntax),
        cmocka_unit_test(test_unsafe_new_checks),
        cmocka_unit_test(test_unsafe_without_item9_rule),
        cmocka_unit_test(test_bad_refused_not_refusable),
        cmocka_unit_test(test_unsafe_without_asq_rules),
        cmocka_unit_test(test_unsafe_gap_in_positive_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
