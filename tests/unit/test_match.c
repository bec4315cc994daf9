/* Counselor matching: the need vector (config.ini [matching] weights), every hard filter and its counter,
 * cosine ranking checked against a cosine computed here, tie-breakers, explanations, roster errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer_set.h"
#include "config.h"
#include "diag.h"
#include "form.h"
#include "match.h"
#include "risk.h"

#define FIX "tests/fixtures/roster/"
#define SAMPLE "assets/counselors.sample.ini"
#define EPS 1e-5

static formset fs;
static config cfg;
static need_model m;
static roster sample;
static answer_set A;

/* ---- helpers ---- */

static int dim(const char *id) {
    for (int i = 0; i < m.n_dims; i++)
        if (strcmp(m.dims[i], id) == 0) return i;
    fail_msg("no dimension %s", id);
    return -1;
}

static uint32_t concern(const char *code) {
    const scale *s = form_item_scale(fs.v[m.concern_form], m.concern_item);
    assert_non_null(s);
    int c = scale_code_index(s, code);
    if (c < 0) fail_msg("no concern %s", code);
    return 1u << c;
}

/* Raw weights as DIMENSION:WEIGHT pairs into a full vector. */
static void vec(double *out, const char *const *names, const double *vals, int n) {
    for (int i = 0; i < MATCH_MAX_DIMS; i++) out[i] = 0;
    for (int i = 0; i < n; i++) out[dim(names[i])] = vals[i];
}

static double cosine(const double *a, const double *b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < m.n_dims; i++) {
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
    }
    return na > 0 && nb > 0 ? dot / (sqrt(na) * sqrt(nb)) : 0;
}

static void load_roster(const char *path, roster *r) {
    diag d = {0};
    bool ok = roster_load(r, path, &m, &d);
    if (!ok || d.n) diag_print(&d, stderr);
    assert_true(ok);
    assert_int_equal(d.n, 0);
    diag_free(&d);
}

static const char *top_id(const roster *r, const match_result *res, int k) {
    assert_true(k < res->n);
    return r->v[res->top[k].counselor].id;
}

static bool in_top(const roster *r, const match_result *res, const char *id) {
    for (int k = 0; k < res->n; k++)
        if (strcmp(r->v[res->top[k].counselor].id, id) == 0) return true;
    return false;
}

static int counselor_index(const roster *r, const char *id) {
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->v[i].id, id) == 0) return i;
    fail_msg("no counselor %s", id);
    return -1;
}

static void rank(const roster *r, risk_level level, const char *language, const char *gender, uint32_t concerns,
                 match_result *out) {
    match_request req = {language, gender, concerns};
    memset(out, 0xA5, sizeof *out);
    match_rank(&m, r, &A, level, &req, out);
    assert_true(out->n >= 0 && out->n <= MATCH_TOP);
    assert_true(out->n <= out->considered);
    assert_int_equal(out->considered + out->excluded_unavailable + out->excluded_capacity + out->excluded_language +
                         out->excluded_risk + out->excluded_gender,
                     r->n);
    for (int k = 1; k < out->n; k++) assert_true(out->top[k - 1].score >= out->top[k].score);
}

static void expect_excluded(const match_result *res, int considered, int unavailable, int capacity, int language,
                            int risk, int gender) {
    assert_int_equal(res->considered, considered);
    assert_int_equal(res->excluded_unavailable, unavailable);
    assert_int_equal(res->excluded_capacity, capacity);
    assert_int_equal(res->excluded_language, language);
    assert_int_equal(res->excluded_risk, risk);
    assert_int_equal(res->excluded_gender, gender);
}

static void expect_entry(const diag *d, const char *path, const char *key, const char *line_prefix,
                         const char *msg_part) {
    const diag_entry *e = find_diag(d, key);
    if (!e) {
        diag_print(d, stderr);
        fail_msg("no diagnostic for %s", key);
    }
    assert_false(e->warning);
    assert_string_equal(e->file, path);
    assert_int_equal(e->line, fixture_line(path, line_prefix));
    if (!strstr(e->msg, msg_part)) fail_msg("message `%s` lacks `%s`", e->msg, msg_part);
}

static void give_total(const char *form_id, int total) {
    int f = formset_index(&fs, form_id);
    assert_true(f >= 0);
    const form *fo = fs.v[f];
    for (int i = 0; i < fo->n_items; i++) {
        if (!fo->items[i].score) continue;
        const scale *s = form_item_scale(fo, i);
        int v = total > s->max_value ? s->max_value : total;
        total -= v;
        answer_set_give(&A, f, i, (answer){ANS_VALUE, v});
    }
    assert_int_equal(total, 0);
}

static int setup(void **state) {
    (void)state;
    diag d = {0};
    bool ok = config_load(&cfg, "config.ini", &d) && formset_load(&fs, "forms", &d) &&
              need_model_load(&m, &cfg.ini, &fs, &d) && roster_load(&sample, SAMPLE, &m, &d);
    if (!ok || d.n) diag_print(&d, stderr);
    int n = d.n;
    diag_free(&d);
    return ok && n == 0 ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    roster_free(&sample);
    need_model_free(&m);
    formset_free(&fs);
    config_free(&cfg);
    return 0;
}

static int reset(void **state) {
    (void)state;
    answer_set_init(&A, &fs);
    return 0;
}

/* ---- need model and need vector ---- */

static void test_need_model_loaded(void **state) {
    (void)state;
    assert_int_equal(m.n_dims, 12);
    assert_string_equal(m.dims[0], "depression");
    assert_string_equal(m.dims[11], "crisis");
    assert_string_equal(m.label[dim("crisis")][LANG_EN], "crisis and suicide risk");
    assert_string_equal(m.label[dim("depression")][LANG_ZH], "抑郁");
    assert_int_equal(m.concern_form, formset_index(&fs, "intake"));
    assert_int_equal(m.concern_item, form_item_index(fs.v[m.concern_form], "concerns"));
}

static void expect_need(const float *got, const double *want) {
    for (int i = 0; i < m.n_dims; i++)
        if (fabs((double)got[i] - want[i]) > EPS)
            fail_msg("need[%s] = %f, expected %f", m.dims[i], (double)got[i], want[i]);
    for (int i = m.n_dims; i < MATCH_MAX_DIMS; i++) assert_true(got[i] == 0);
}

static void test_need_concerns_add(void **state) {
    (void)state;
    float need[MATCH_MAX_DIMS];
    double want[MATCH_MAX_DIMS];
    /* emotional: depression 0.6 anxiety 0.6; perinatal: perinatal 1.0 depression 0.3 */
    need_vector(&m, &A, LEVEL_GREEN, concern("emotional") | concern("perinatal"), need);
    vec(want, (const char *const[]){"depression", "anxiety", "perinatal"}, (const double[]){0.9, 0.6, 1.0}, 3);
    expect_need(need, want);

    /* self_harm: crisis 1.0 depression 0.3; other: nothing */
    need_vector(&m, &A, LEVEL_GREEN, concern("self_harm") | concern("other"), need);
    vec(want, (const char *const[]){"crisis", "depression"}, (const double[]){1.0, 0.3}, 2);
    expect_need(need, want);

    need_vector(&m, NULL, LEVEL_GREEN, 0, need);
    vec(want, NULL, NULL, 0);
    expect_need(need, want);
}

static void test_need_scores_scale(void **state) {
    (void)state;
    float need[MATCH_MAX_DIMS];
    double want[MATCH_MAX_DIMS];
    give_total("phq9", 27);
    need_vector(&m, &A, LEVEL_GREEN, 0, need);
    vec(want, (const char *const[]){"depression"}, (const double[]){1.0}, 1);
    expect_need(need, want);

    answer_set_init(&A, &fs);
    give_total("phq9", 0);
    need_vector(&m, &A, LEVEL_GREEN, 0, need);
    vec(want, NULL, NULL, 0);
    expect_need(need, want);

    answer_set_init(&A, &fs);
    give_total("phq9", 9);
    give_total("gad7", 14);
    give_total("k6", 12); /* k6: depression 0.5 anxiety 0.5, of 24 */
    need_vector(&m, &A, LEVEL_GREEN, 0, need);
    vec(want, (const char *const[]){"depression", "anxiety"},
        (const double[]){9.0 / 27.0 + 0.5 * 12.0 / 24.0, 14.0 / 21.0 + 0.5 * 12.0 / 24.0}, 2);
    expect_need(need, want);
}

static void test_need_levels(void **state) {
    (void)state;
    float need[MATCH_MAX_DIMS];
    double want[MATCH_MAX_DIMS];
    need_vector(&m, &A, LEVEL_RED, 0, need);
    vec(want, (const char *const[]){"crisis"}, (const double[]){1.5}, 1);
    expect_need(need, want);
    need_vector(&m, &A, LEVEL_ORANGE, 0, need);
    vec(want, (const char *const[]){"crisis"}, (const double[]){1.0}, 1);
    expect_need(need, want);
    need_vector(&m, &A, LEVEL_YELLOW, 0, need);
    vec(want, NULL, NULL, 0);
    expect_need(need, want);

    /* everything adds: self_harm + red + PHQ-9 27 */
    give_total("phq9", 27);
    need_vector(&m, &A, LEVEL_RED, concern("self_harm"), need);
    vec(want, (const char *const[]){"crisis", "depression"}, (const double[]){2.5, 1.3}, 2);
    expect_need(need, want);
}

/* ---- roster ---- */

static void test_sample_roster_loaded(void **state) {
    (void)state;
    assert_int_equal(sample.n, 10);
    int c1 = counselor_index(&sample, "c01");
    assert_string_equal(sample.v[c1].name, "李静 Li Jing");
    assert_true(sample.v[c1].high_risk);
    assert_true(sample.v[c1].available);
    assert_int_equal(sample.v[c1].capacity, 20);
    assert_int_equal(sample.v[c1].caseload, 14);
    assert_false(sample.v[counselor_index(&sample, "c08")].available);
    assert_false(sample.v[counselor_index(&sample, "c02")].high_risk);
    assert_int_equal(sample.n_languages, 3); /* zh en yue */
    for (int i = 0; i < sample.n; i++) {
        double n2 = 0;
        for (int k = 0; k < m.n_dims; k++) n2 += (double)sample.v[i].w[k] * sample.v[i].w[k];
        assert_true(fabs(n2 - 1.0) < EPS); /* specialty vectors are unit length */
    }
    /* c01: depression:0.9 anxiety:0.8 crisis:0.9 sleep:0.4 */
    double norm = sqrt(0.81 + 0.64 + 0.81 + 0.16);
    assert_true(fabs((double)sample.v[c1].w[dim("crisis")] - 0.9 / norm) < EPS);
    assert_true(sample.v[c1].w[dim("family")] == 0);
}

/* A roster loaded by one test, freed by its teardown even when the test fails. */
static roster loc;

static int free_loc(void **state) {
    (void)state;
    roster_free(&loc);
    return 0;
}

/* ---- hard filters ---- */

static roster flt;

static int setup_filters(void **state) {
    reset(state);
    load_roster(FIX "filters.ini", &flt);
    return 0;
}

static int teardown_filters(void **state) {
    (void)state;
    roster_free(&flt);
    return 0;
}

static void test_filter_unavailable_capacity_language(void **state) {
    (void)state;
    match_result res;
    rank(&flt, LEVEL_YELLOW, "zh", NULL, 0, &res);
    /* away: unavailable; full (5/5) and over (7/5): capacity; en_only: language */
    expect_excluded(&res, 4, 1, 2, 1, 0, 0);
    assert_false(in_top(&flt, &res, "away"));
    assert_false(in_top(&flt, &res, "full"));
    assert_false(in_top(&flt, &res, "over"));
    assert_false(in_top(&flt, &res, "en_only"));
    assert_int_equal(res.n, 3);
}

static void test_filter_capacity_boundary(void **state) {
    (void)state;
    match_result res;
    /* orange, female, zh: only ok_zh (8 free) and almost (5/4: one place left) pass */
    rank(&flt, LEVEL_ORANGE, "zh", "female", 0, &res);
    expect_excluded(&res, 2, 1, 2, 1, 1, 1);
    assert_int_equal(res.n, 2);
    assert_true(in_top(&flt, &res, "ok_zh"));
    assert_true(in_top(&flt, &res, "almost"));
}

static void test_filter_language(void **state) {
    (void)state;
    match_result res;
    rank(&flt, LEVEL_YELLOW, "en", NULL, 0, &res);
    expect_excluded(&res, 1, 1, 2, 4, 0, 0);
    assert_int_equal(res.n, 1);
    assert_string_equal(top_id(&flt, &res, 0), "en_only");

    rank(&flt, LEVEL_YELLOW, "fr", NULL, 0, &res); /* nobody speaks it */
    expect_excluded(&res, 0, 1, 2, 5, 0, 0);
    assert_int_equal(res.n, 0);
}

static void test_filter_high_risk(void **state) {
    (void)state;
    match_result res;
    rank(&flt, LEVEL_YELLOW, "zh", "female", 0, &res);
    expect_excluded(&res, 3, 1, 2, 1, 0, 1);
    assert_true(in_top(&flt, &res, "low_risk")); /* yellow: no competence needed */

    rank(&flt, LEVEL_ORANGE, "zh", NULL, 0, &res);
    expect_excluded(&res, 3, 1, 2, 1, 1, 0);
    assert_false(in_top(&flt, &res, "low_risk"));

    rank(&flt, LEVEL_RED, "zh", NULL, 0, &res);
    expect_excluded(&res, 3, 1, 2, 1, 1, 0);
    assert_false(in_top(&flt, &res, "low_risk"));

    rank(&flt, LEVEL_GREEN, "zh", NULL, 0, &res);
    expect_excluded(&res, 4, 1, 2, 1, 0, 0);
}

static void test_filter_gender(void **state) {
    (void)state;
    match_result res;
    rank(&flt, LEVEL_YELLOW, "zh", "male", 0, &res);
    expect_excluded(&res, 1, 1, 2, 1, 0, 3);
    assert_int_equal(res.n, 1);
    assert_string_equal(top_id(&flt, &res, 0), "male_zh");

    rank(&flt, LEVEL_YELLOW, "zh", "female", 0, &res);
    expect_excluded(&res, 3, 1, 2, 1, 0, 1);
    assert_false(in_top(&flt, &res, "male_zh"));

    rank(&flt, LEVEL_YELLOW, "zh", "nonbinary", 0, &res); /* no such counselor: nobody passes */
    expect_excluded(&res, 0, 1, 2, 1, 0, 4);
    assert_int_equal(res.n, 0);
}

static void test_filter_gender_no_preference(void **state) {
    (void)state;
    match_result res;
    static const char *const none[] = {NULL, "any", ""};
    for (int i = 0; i < 3; i++) {
        rank(&flt, LEVEL_YELLOW, "zh", none[i], 0, &res);
        expect_excluded(&res, 4, 1, 2, 1, 0, 0);
    }
}

static void test_filter_sample_roster(void **state) {
    (void)state;
    match_result res;
    /* orange, zh: c08 away, c06 full, c03 c09 en only, c02 c05 not high-risk */
    rank(&sample, LEVEL_ORANGE, "zh", NULL, 0, &res);
    expect_excluded(&res, 4, 1, 1, 2, 2, 0);
    assert_int_equal(res.n, 3);
    /* need = crisis only: the score is each counselor's normalised crisis weight */
    assert_string_equal(top_id(&sample, &res, 0), "c01");
    assert_string_equal(top_id(&sample, &res, 1), "c10");
    assert_string_equal(top_id(&sample, &res, 2), "c04");
    assert_true(fabs((double)res.top[0].score - 0.9 / sqrt(0.81 + 0.64 + 0.81 + 0.16)) < EPS);
    assert_true(fabs((double)res.top[1].score - 0.7 / sqrt(0.81 + 0.49 + 0.36 + 0.49)) < EPS);
    assert_true(fabs((double)res.top[2].score - 0.5 / sqrt(1.0 + 0.49 + 0.36 + 0.25)) < EPS);
}

/* ---- ranking ---- */

static void test_rank_cosine_sample(void **state) {
    (void)state;
    match_result res;
    rank(&sample, LEVEL_YELLOW, "en", NULL, concern("emotional"), &res);
    expect_excluded(&res, 5, 1, 1, 3, 0, 0);
    assert_int_equal(res.n, 3);
    double need[MATCH_MAX_DIMS], c04[MATCH_MAX_DIMS], c01[MATCH_MAX_DIMS], c07[MATCH_MAX_DIMS];
    vec(need, (const char *const[]){"depression", "anxiety"}, (const double[]){0.6, 0.6}, 2);
    vec(c04, (const char *const[]){"anxiety", "sleep", "depression", "crisis"}, (const double[]){1.0, 0.7, 0.6, 0.5}, 4);
    vec(c01, (const char *const[]){"depression", "anxiety", "crisis", "sleep"}, (const double[]){0.9, 0.8, 0.9, 0.4}, 4);
    vec(c07, (const char *const[]){"perinatal", "depression", "relationship", "crisis"},
        (const double[]){1.0, 0.7, 0.5, 0.4}, 4);
    assert_string_equal(top_id(&sample, &res, 0), "c04");
    assert_string_equal(top_id(&sample, &res, 1), "c01");
    assert_string_equal(top_id(&sample, &res, 2), "c07");
    assert_true(fabs((double)res.top[0].score - cosine(need, c04)) < EPS);
    assert_true(fabs((double)res.top[1].score - cosine(need, c01)) < EPS);
    assert_true(fabs((double)res.top[2].score - cosine(need, c07)) < EPS);
    assert_false(res.need_empty);
    assert_true(fabs((double)res.need[dim("depression")] - 0.6) < EPS);
}

static void test_rank_cosine_fixture_and_why(void **state) {
    (void)state;
    load_roster(FIX "cosine.ini", &loc);
    match_result res;
    rank(&loc, LEVEL_YELLOW, "en", NULL, concern("emotional") | concern("sleep") | concern("trauma"), &res);
    expect_excluded(&res, 3, 0, 0, 0, 0, 0);
    assert_int_equal(res.n, 3);
    double need[MATCH_MAX_DIMS], mixed[MATCH_MAX_DIMS], dep[MATCH_MAX_DIMS];
    vec(need, (const char *const[]){"depression", "anxiety", "sleep", "trauma"}, (const double[]){0.6, 0.6, 1.0, 1.0}, 4);
    vec(mixed, (const char *const[]){"depression", "anxiety", "sleep", "trauma"}, (const double[]){1, 2, 3, 4}, 4);
    vec(dep, (const char *const[]){"depression"}, (const double[]){2}, 1);
    /* the highest score wins over the most free capacity (k_none has 30 free, score 0) */
    assert_string_equal(top_id(&loc, &res, 0), "k_mixed");
    assert_string_equal(top_id(&loc, &res, 1), "k_dep");
    assert_string_equal(top_id(&loc, &res, 2), "k_none");
    assert_true(fabs((double)res.top[0].score - cosine(need, mixed)) < EPS);
    assert_true(fabs((double)res.top[1].score - cosine(need, dep)) < EPS);
    assert_true(fabs((double)res.top[0].score - 8.8 / (sqrt(2.72) * sqrt(30.0))) < EPS);
    assert_true(res.top[2].score == 0);

    /* why: contributions need_i * w_i are depression .6, anxiety 1.2, sleep 3, trauma 4 (of 8.8) */
    const match *mt = &res.top[0];
    assert_int_equal(mt->n_why, 3);
    assert_int_equal(mt->why[0], dim("trauma"));
    assert_int_equal(mt->why[1], dim("sleep"));
    assert_int_equal(mt->why[2], dim("anxiety"));
    assert_true(fabs((double)mt->why_share[0] - 4.0 / 8.8) < EPS);
    assert_true(fabs((double)mt->why_share[1] - 3.0 / 8.8) < EPS);
    assert_true(fabs((double)mt->why_share[2] - 1.2 / 8.8) < EPS);
    mt = &res.top[1];
    assert_int_equal(mt->n_why, 1);
    assert_int_equal(mt->why[0], dim("depression"));
    assert_true(fabs((double)mt->why_share[0] - 1.0) < EPS);
    assert_int_equal(res.top[2].n_why, 0);
}

static void test_why_sample_descending(void **state) {
    (void)state;
    match_result res;
    /* emotional + sleep: need depression .6 anxiety .6 sleep 1 */
    rank(&sample, LEVEL_YELLOW, "en", NULL, concern("emotional") | concern("sleep"), &res);
    int k04 = -1;
    for (int k = 0; k < res.n; k++)
        if (strcmp(top_id(&sample, &res, k), "c04") == 0) k04 = k;
    assert_true(k04 >= 0);
    const match *mt = &res.top[k04];
    /* c04 anxiety 1.0 sleep 0.7 depression 0.6: products .6, .7, .36 */
    assert_int_equal(mt->n_why, 3);
    assert_int_equal(mt->why[0], dim("sleep"));
    assert_int_equal(mt->why[1], dim("anxiety"));
    assert_int_equal(mt->why[2], dim("depression"));
    assert_true(mt->why_share[0] > mt->why_share[1] && mt->why_share[1] > mt->why_share[2]);
    assert_true(fabs((double)(mt->why_share[0] + mt->why_share[1] + mt->why_share[2]) - 1.0) < EPS);
    assert_true(fabs((double)mt->why_share[0] - 0.7 / 1.66) < EPS);
}

static void test_rank_ties(void **state) {
    (void)state;
    load_roster(FIX "ties.ini", &loc);
    match_result res;
    rank(&loc, LEVEL_YELLOW, "en", NULL, concern("emotional"), &res);
    expect_excluded(&res, 5, 0, 0, 0, 0, 0);
    assert_int_equal(res.n, 3); /* at most 3 */
    assert_true(res.top[0].score == res.top[1].score && res.top[1].score == res.top[2].score);
    assert_true(fabs((double)res.top[0].score - 1.0) < EPS);
    /* Carol has 8 free; then 5 free each: Bea < Bob < alice in strcmp order; Dan (1 free) last */
    assert_string_equal(loc.v[res.top[0].counselor].name, "Carol");
    assert_string_equal(loc.v[res.top[1].counselor].name, "Bea");
    assert_string_equal(loc.v[res.top[2].counselor].name, "Bob");
}

/* Proportional specialty vectors have the same cosine with any need: a tie, decided by free capacity. */
static void test_rank_ties_scaled_weights(void **state) {
    (void)state;
    load_roster(FIX "ties_scaled.ini", &loc);
    static const char *const concerns[] = {"emotional", "sleep", "self_harm"};
    for (int i = 0; i < 3; i++) {
        match_result res;
        rank(&loc, LEVEL_YELLOW, "en", NULL, concern(concerns[i]), &res);
        assert_int_equal(res.n, 2);
        double need[MATCH_MAX_DIMS], w[MATCH_MAX_DIMS];
        for (int k = 0; k < MATCH_MAX_DIMS; k++) need[k] = res.need[k];
        vec(w, (const char *const[]){"depression", "anxiety"}, (const double[]){0.3, 0.7}, 2);
        double want = cosine(need, w);
        assert_true(fabs((double)res.top[0].score - want) < EPS);
        assert_true(fabs((double)res.top[1].score - want) < EPS);
        if (strcmp(loc.v[res.top[0].counselor].name, "Amy") != 0)
            fail_msg("concern %s: %s (score %.9g, %d free) ranked before Amy (score %.9g, 10 free)", concerns[i],
                     loc.v[res.top[0].counselor].name, (double)res.top[0].score,
                     loc.v[res.top[0].counselor].capacity - loc.v[res.top[0].counselor].caseload,
                     (double)res.top[1].score);
    }
}

static void test_rank_need_empty_by_capacity(void **state) {
    (void)state;
    load_roster(FIX "ties.ini", &loc);
    match_result res;
    rank(&loc, LEVEL_GREEN, "en", NULL, 0, &res);
    assert_true(res.need_empty);
    for (int i = 0; i < m.n_dims; i++) assert_true(res.need[i] == 0);
    assert_int_equal(res.n, 3);
    assert_string_equal(loc.v[res.top[0].counselor].name, "Carol");
    assert_string_equal(loc.v[res.top[1].counselor].name, "Bea");
    assert_string_equal(loc.v[res.top[2].counselor].name, "Bob");
    for (int k = 0; k < 3; k++) {
        assert_true(res.top[k].score == 0);
        assert_int_equal(res.top[k].n_why, 0);
    }

    /* sample roster, zh, green: free capacity c10 12, c05 10, c02 9, c07 7, c01 6 */
    rank(&sample, LEVEL_GREEN, "zh", "any", 0, &res);
    assert_true(res.need_empty);
    expect_excluded(&res, 6, 1, 1, 2, 0, 0);
    assert_string_equal(top_id(&sample, &res, 0), "c10");
    assert_string_equal(top_id(&sample, &res, 1), "c05");
    assert_string_equal(top_id(&sample, &res, 2), "c02");
}

static void test_need_empty_cases(void **state) {
    (void)state;
    match_result res;
    give_total("phq9", 0); /* a zero total adds nothing */
    rank(&sample, LEVEL_YELLOW, "zh", NULL, concern("other"), &res);
    assert_true(res.need_empty);
    give_total("phq9", 1);
    rank(&sample, LEVEL_YELLOW, "zh", NULL, 0, &res);
    assert_false(res.need_empty);
    answer_set_init(&A, &fs);
    rank(&sample, LEVEL_ORANGE, "zh", NULL, 0, &res); /* orange adds crisis */
    assert_false(res.need_empty);
}

/* ---- roster errors ---- */

static void load_bad_roster(const char *path, diag *d) {
    roster r;
    bool ok = roster_load(&r, path, &m, d);
    if (ok) roster_free(&r);
    assert_false(ok);
    assert_int_equal(r.n, 0);
    assert_null(r.v);
}

static void test_roster_missing_weights(void **state) {
    (void)state;
    diag d = {0};
    const char *path = FIX "err_missing_weights.ini";
    load_bad_roster(path, &d);
    assert_int_equal(d.errors, 1);
    expect_entry(&d, path, "counselor.noweights.weights", "[counselor.noweights]", "missing");
    diag_free(&d);
}

static void test_roster_unknown_dimension(void **state) {
    (void)state;
    diag d = {0};
    const char *path = FIX "err_unknown_dimension.ini";
    load_bad_roster(path, &d);
    assert_int_equal(d.errors, 1);
    expect_entry(&d, path, "counselor.stars.weights", "weights =", "`astrology` is not a dimension");
    diag_free(&d);
}

static void test_roster_bad_capacity(void **state) {
    (void)state;
    diag d = {0};
    const char *path = FIX "err_bad_capacity.ini";
    load_bad_roster(path, &d);
    assert_int_equal(d.errors, 2);
    expect_entry(&d, path, "counselor.many.capacity", "capacity = many", "whole number");
    expect_entry(&d, path, "counselor.negative.capacity", "capacity = -3", "whole number");
    diag_free(&d);
}

static void test_roster_unknown_key(void **state) {
    (void)state;
    diag d = {0};
    const char *path = FIX "err_unknown_key.ini";
    load_bad_roster(path, &d);
    assert_int_equal(d.errors, 1);
    expect_entry(&d, path, "counselor.colourful.colour", "colour = blue", "unknown key");
    diag_free(&d);
}

static void test_roster_unknown_section(void **state) {
    (void)state;
    diag d = {0};
    const char *path = FIX "err_unknown_section.ini";
    load_bad_roster(path, &d);
    assert_int_equal(d.errors, 1);
    expect_entry(&d, path, "therapist.other", "[therapist.other]", "unknown section");
    diag_free(&d);
}

static void test_roster_missing_file(void **state) {
    (void)state;
    diag d = {0};
    const char *path = FIX "does-not-exist.ini";
    load_bad_roster(path, &d);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[0].file, path);
    diag_free(&d);
}

static void test_parse_weights(void **state) {
    (void)state;
    float w[MATCH_MAX_DIMS];
    error err = {0};
    assert_true(parse_weights("grief:0.5 crisis:2", &m, w, &err));
    assert_true(fabs((double)w[dim("grief")] - 0.5) < EPS);
    assert_true(fabs((double)w[dim("crisis")] - 2.0) < EPS);
    assert_true(w[dim("depression")] == 0);
    assert_false(parse_weights("grief", &m, w, &err));
    assert_non_null(strstr(err.msg, "DIMENSION:WEIGHT"));
    assert_false(parse_weights("grief:-1", &m, w, &err));
    assert_non_null(strstr(err.msg, "grief"));
    assert_false(parse_weights("grief:1 grief:2", &m, w, &err));
    assert_non_null(strstr(err.msg, "twice"));
}

/* A dimension given twice is refused even when its first weight is 0. */
static void test_parse_weights_duplicate_after_zero(void **state) {
    (void)state;
    float w[MATCH_MAX_DIMS];
    error err = {0};
    bool ok = parse_weights("grief:0 grief:1", &m, w, &err);
    if (ok) fail_msg("`grief:0 grief:1` accepted (grief = %g)", (double)w[dim("grief")]);
    assert_non_null(strstr(err.msg, "twice"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_need_model_loaded, reset),
        cmocka_unit_test_setup(test_need_concerns_add, reset),
        cmocka_unit_test_setup(test_need_scores_scale, reset),
        cmocka_unit_test_setup(test_need_levels, reset),
        cmocka_unit_test_setup(test_sample_roster_loaded, reset),
        cmocka_unit_test_setup_teardown(test_filter_unavailable_capacity_language, setup_filters, teardown_filters),
        cmocka_unit_test_setup_teardown(test_filter_capacity_boundary, setup_filters, teardown_filters),
        cmocka_unit_test_setup_teardown(test_filter_language, setup_filters, teardown_filters),
        cmocka_unit_test_setup_teardown(test_filter_high_risk, setup_filters, teardown_filters),
        cmocka_unit_test_setup_teardown(test_filter_gender, setup_filters, teardown_filters),
        cmocka_unit_test_setup_teardown(test_filter_gender_no_preference, setup_filters, teardown_filters),
        cmocka_unit_test_setup(test_filter_sample_roster, reset),
        cmocka_unit_test_setup(test_rank_cosine_sample, reset),
        cmocka_unit_test_setup_teardown(test_rank_cosine_fixture_and_why, reset, free_loc),
        cmocka_unit_test_setup(test_why_sample_descending, reset),
        cmocka_unit_test_setup_teardown(test_rank_ties, reset, free_loc),
        cmocka_unit_test_setup_teardown(test_rank_ties_scaled_weights, reset, free_loc),
        cmocka_unit_test_setup_teardown(test_rank_need_empty_by_capacity, reset, free_loc),
        cmocka_unit_test_setup(test_need_empty_cases, reset),
        cmocka_unit_test(test_roster_missing_weights),
        cmocka_unit_test(test_roster_unknown_dimension),
        cmocka_unit_test(test_roster_bad_capacity),
        cmocka_unit_test(test_roster_unknown_key),
        cmocka_unit_test(test_roster_unknown_section),
        cmocka_unit_test(test_roster_missing_file),
        cmocka_unit_test(test_parse_weights),
        cmocka_unit_test(test_parse_weights_duplicate_after_zero),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
