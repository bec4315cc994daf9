/* Unit tests of scoring (core/clinical/score.h, score_answers in core/clinical/assess.h) on the real forms in forms/.
 * Every scored instrument is checked over all of its answer combinations against an independent
 * computation written here from shared/CLINICAL.md (plain sums, the published bands, the NIMH ASQ logic). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "form.h"
#include "score.h"

/* ---- the forms, loaded once ---- */

enum { F_PHQ9, F_GAD7, F_ASQ, F_PHQ2, F_GAD2, F_K6, F_INTAKE, N_FORMS };
static const char *const form_ids[N_FORMS] = {"phq9", "gad7", "asq", "phq2", "gad2", "k6", "intake"};
static form *forms[N_FORMS];

static int setup_forms(void **state) {
    (void)state;
    for (int i = 0; i < N_FORMS; i++) {
        char path[64];
        snprintf(path, sizeof path, "forms/%s.ini", form_ids[i]);
        diag d = {0};
        forms[i] = form_load(path, &d);
        if (!forms[i] || d.n) {
            char buf[1024];
            for (int k = 0; k < d.n; k++) {
                diag_format(&d, k, buf, sizeof buf);
                print_error("%s\n", buf);
            }
            diag_free(&d);
            return -1;
        }
        diag_free(&d);
    }
    return 0;
}

static int teardown_forms(void **state) {
    (void)state;
    for (int i = 0; i < N_FORMS; i++) {
        form_free(forms[i]);
        forms[i] = NULL;
    }
    return 0;
}

#define PHQ9 (forms[F_PHQ9])
#define GAD7 (forms[F_GAD7])
#define ASQ (forms[F_ASQ])
#define PHQ2 (forms[F_PHQ2])
#define GAD2 (forms[F_GAD2])
#define K6 (forms[F_K6])
#define INTAKE (forms[F_INTAKE])

static answer val(int v) { return (answer){ANS_VALUE, v}; }
static const answer REF = {ANS_REFUSED, 0};
static const answer NONE = {ANS_UNANSWERED, 0};

/* ---- independent reference: the bands of CLINICAL.md ---- */

typedef struct {
    int lo, hi;
    const char *id;
    bool positive;
} ref_band;

static const ref_band phq9_bands[] = {{0, 4, "minimal", false},   {5, 9, "mild", false},
                                      {10, 14, "moderate", false}, {15, 19, "moderately_severe", false},
                                      {20, 27, "severe", false},   {0, -1, NULL, false}};
static const ref_band gad7_bands[] = {{0, 4, "minimal", false},  {5, 9, "mild", false}, {10, 14, "moderate", false},
                                      {15, 21, "severe", false}, {0, -1, NULL, false}};
static const ref_band screen2_bands[] = {{0, 2, "negative", false}, {3, 6, "positive", true}, {0, -1, NULL, false}};
static const ref_band k6_bands[] = {{0, 4, "low", false}, {5, 12, "moderate", false}, {13, 24, "serious", true},
                                    {0, -1, NULL, false}};

static const ref_band *ref_band_of(const ref_band *bands, int total) {
    for (const ref_band *b = bands; b->id; b++)
        if (total >= b->lo && total <= b->hi) return b;
    return NULL;
}

static const char *band_id(const form *f, const score_result *r) { return r->band >= 0 ? f->bands[r->band].id : "(none)"; }

/* The band table in the file is the one of CLINICAL.md. */
static void check_band_table(const form *f, const ref_band *bands, int max_total) {
    int n = 0;
    for (const ref_band *b = bands; b->id; b++, n++) {
        assert_true(n < f->n_bands);
        assert_string_equal(f->bands[n].id, b->id);
        assert_int_equal(f->bands[n].min, b->lo);
        assert_int_equal(f->bands[n].max, b->hi);
        assert_int_equal(f->bands[n].positive, b->positive);
        assert_null(f->bands[n].when);
    }
    assert_int_equal(f->n_bands, n);
    assert_int_equal(f->max_total, max_total);
    assert_true(f->has_total);
    assert_false(f->rule_bands);
}

static void test_band_tables_match_clinical(void **state) {
    (void)state;
    check_band_table(PHQ9, phq9_bands, 27);
    check_band_table(GAD7, gad7_bands, 21);
    check_band_table(PHQ2, screen2_bands, 6);
    check_band_table(GAD2, screen2_bands, 6);
    check_band_table(K6, k6_bands, 24);
}

/* ---- exhaustive sum-scored forms with no skip logic ---- */

/* Every combination of n items over values 0..top: total, band, completeness, no flags. */
static void exhaustive_plain(const form *f, int n, int top, const ref_band *bands) {
    assert_int_equal(f->n_items, n);
    long combos = 1;
    for (int i = 0; i < n; i++) combos *= top + 1;
    answer a[FORM_MAX_ITEMS];
    long checked = 0;
    for (long c = 0; c < combos; c++) {
        memset(a, 0, sizeof a);
        long x = c;
        int sum = 0;
        for (int i = 0; i < n; i++) {
            int v = (int)(x % (top + 1));
            x /= top + 1;
            a[i] = val(v);
            sum += v;
        }
        const ref_band *want = ref_band_of(bands, sum);
        assert_non_null(want);
        score_result r;
        score_form(f, a, &r);
        if (r.total != sum || r.band < 0 || strcmp(f->bands[r.band].id, want->id) != 0 ||
            f->bands[r.band].positive != want->positive || !r.complete || r.provisional || r.n_flags != 0 ||
            r.n_answered != n || r.n_visible != n || r.first_missing != -1 || !r.has_total || r.f != f)
            fail_msg("%s combination %ld: total %d (want %d), band %s (want %s), complete %d, provisional %d, "
                     "flags %d, answered %d/%d, first_missing %d",
                     f->id, c, r.total, sum, band_id(f, &r), want->id, r.complete, r.provisional, r.n_flags,
                     r.n_answered, r.n_visible, r.first_missing);
        checked++;
    }
    assert_int_equal(checked, combos);
}

static void test_gad7_all_combinations(void **state) {
    (void)state;
    exhaustive_plain(GAD7, 7, 3, gad7_bands);
}

static void test_phq2_all_combinations(void **state) {
    (void)state;
    exhaustive_plain(PHQ2, 2, 3, screen2_bands);
}

static void test_gad2_all_combinations(void **state) {
    (void)state;
    exhaustive_plain(GAD2, 2, 3, screen2_bands);
}

static void test_k6_all_combinations(void **state) {
    (void)state;
    exhaustive_plain(K6, 6, 4, k6_bands);
}

/* ---- PHQ-9: all 4^9 combinations, with the difficulty item and the item 9 flag ---- */

static void test_phq9_all_combinations(void **state) {
    (void)state;
    const form *f = PHQ9;
    assert_int_equal(f->n_items, 10);
    assert_string_equal(f->items[8].id, "item9");
    assert_string_equal(f->items[9].id, "difficulty");
    assert_string_equal(f->items[8].flag, "self_harm_thoughts");
    answer a[FORM_MAX_ITEMS];
    long checked = 0;
    for (long c = 0; c < 262144; c++) {
        memset(a, 0, sizeof a);
        long x = c;
        int sum = 0, v9 = 0;
        bool any = false;
        for (int i = 0; i < 9; i++) {
            int v = (int)(x % 4);
            x /= 4;
            a[i] = val(v);
            sum += v;
            any = any || v > 0;
            if (i == 8) v9 = v;
        }
        /* every other combination also answers the difficulty item (whether asked or not) */
        bool diff_given = c % 2 == 1;
        if (diff_given) a[9] = val((int)(c / 2 % 4));
        const ref_band *want = ref_band_of(phq9_bands, sum);
        int want_flags = v9 >= 1 ? 1 : 0;
        int want_visible = 9 + (any ? 1 : 0);
        int want_answered = 9 + (any && diff_given ? 1 : 0);
        score_result r;
        score_form(f, a, &r);
        bool flags_ok = r.n_flags == want_flags &&
                        (want_flags == 0 || (r.flags[0].item == 8 && r.flags[0].cause == FLAG_VALUE));
        if (r.total != sum || r.band < 0 || strcmp(f->bands[r.band].id, want->id) != 0 || !r.complete ||
            r.provisional || !flags_ok || r.visible[9] != any || r.n_visible != want_visible ||
            r.n_answered != want_answered || r.first_missing != -1)
            fail_msg("phq9 combination %ld (item9 %d, difficulty %s): total %d (want %d), band %s (want %s), "
                     "complete %d, provisional %d, flags %d (want %d), difficulty visible %d (want %d), "
                     "answered %d/%d (want %d/%d)",
                     c, v9, diff_given ? "given" : "not given", r.total, sum, band_id(f, &r), want->id, r.complete,
                     r.provisional, r.n_flags, want_flags, r.visible[9], any, r.n_answered, r.n_visible,
                     want_answered, want_visible);
        for (int i = 0; i < 9; i++)
            if (!r.visible[i]) fail_msg("phq9 combination %ld: item %d hidden", c, i + 1);
        checked++;
    }
    assert_int_equal(checked, 262144);
}

static void test_phq9_difficulty_item(void **state) {
    (void)state;
    const form *f = PHQ9;
    const form_item *d = &f->items[9];
    assert_false(d->score);
    assert_false(d->required);
    assert_false(d->safety);
    assert_non_null(d->show_if);
    answer a[FORM_MAX_ITEMS] = {{0}};
    score_result r;
    /* all zero: not asked, complete */
    for (int i = 0; i < 9; i++) a[i] = val(0);
    score_form(f, a, &r);
    assert_false(r.visible[9]);
    assert_int_equal(r.n_visible, 9);
    assert_true(r.complete);
    /* one item above zero: asked, optional, not scored */
    for (int i = 0; i < 9; i++) {
        for (int k = 0; k < 9; k++) a[k] = val(k == i ? 1 : 0);
        a[9] = NONE;
        score_form(f, a, &r);
        assert_true(r.visible[9]);
        assert_int_equal(r.n_visible, 10);
        assert_int_equal(r.n_answered, 9);
        assert_true(r.complete);
        assert_int_equal(r.first_missing, -1);
        assert_int_equal(r.total, 1);
        a[9] = val(3); /* extremely difficult: still not in the total */
        score_form(f, a, &r);
        assert_int_equal(r.total, 1);
        assert_int_equal(r.n_answered, 10);
        assert_string_equal(band_id(f, &r), "minimal");
    }
    /* a hidden difficulty answer does not count as answered and does not change the total */
    for (int i = 0; i < 9; i++) a[i] = val(0);
    a[9] = val(2);
    score_form(f, a, &r);
    assert_false(r.visible[9]);
    assert_int_equal(r.n_answered, 9);
    assert_int_equal(r.total, 0);
}

/* ---- band edges ---- */

/* Answers giving exactly total t over n items of max value top (highest items first). */
static void answers_for_total(answer *a, int n, int top, int t) {
    memset(a, 0, sizeof(answer) * FORM_MAX_ITEMS);
    for (int i = 0; i < n; i++) {
        int v = t > top ? top : t;
        a[i] = val(v);
        t -= v;
    }
    assert_int_equal(t, 0);
}

static void check_edges(const form *f, int n, int top, const int *totals, const char *const *bands, int count) {
    for (int k = 0; k < count; k++) {
        answer a[FORM_MAX_ITEMS];
        answers_for_total(a, n, top, totals[k]);
        score_result r;
        score_form(f, a, &r);
        assert_int_equal(r.total, totals[k]);
        if (strcmp(band_id(f, &r), bands[k]) != 0)
            fail_msg("%s total %d: band %s, expected %s", f->id, totals[k], band_id(f, &r), bands[k]);
    }
}

static void test_band_edges(void **state) {
    (void)state;
    static const int phq9_t[] = {0, 4, 5, 9, 10, 14, 15, 19, 20, 27};
    static const char *const phq9_b[] = {"minimal", "minimal", "mild", "mild", "moderate", "moderate",
                                         "moderately_severe", "moderately_severe", "severe", "severe"};
    check_edges(PHQ9, 9, 3, phq9_t, phq9_b, 10);
    static const int gad7_t[] = {0, 4, 5, 9, 10, 14, 15, 21};
    static const char *const gad7_b[] = {"minimal", "minimal", "mild", "mild", "moderate", "moderate", "severe",
                                         "severe"};
    check_edges(GAD7, 7, 3, gad7_t, gad7_b, 8);
    static const int s2_t[] = {0, 2, 3, 6};
    static const char *const s2_b[] = {"negative", "negative", "positive", "positive"};
    check_edges(PHQ2, 2, 3, s2_t, s2_b, 4);
    check_edges(GAD2, 2, 3, s2_t, s2_b, 4);
    static const int k6_t[] = {0, 4, 5, 12, 13, 24};
    static const char *const k6_b[] = {"low", "low", "moderate", "moderate", "serious", "serious"};
    check_edges(K6, 6, 4, k6_t, k6_b, 6);
    /* positive screens */
    answer a[FORM_MAX_ITEMS];
    score_result r;
    answers_for_total(a, 2, 3, 3);
    score_form(PHQ2, a, &r);
    assert_true(PHQ2->bands[r.band].positive);
    answers_for_total(a, 2, 3, 2);
    score_form(GAD2, a, &r);
    assert_false(GAD2->bands[r.band].positive);
    answers_for_total(a, 6, 4, 13);
    score_form(K6, a, &r);
    assert_true(K6->bands[r.band].positive);
    answers_for_total(a, 6, 4, 12);
    score_form(K6, a, &r);
    assert_false(K6->bands[r.band].positive);
}

/* ---- incomplete forms ---- */

static void test_incomplete_phq9(void **state) {
    (void)state;
    const form *f = PHQ9;
    answer a[FORM_MAX_ITEMS] = {{0}};
    score_result r;
    assert_int_equal(f->missing_items, 2);
    assert_non_null(f->missing_source);

    /* nothing answered (every item passed): no valid total, never a sum of what is there */
    score_form(f, a, &r);
    assert_int_equal(r.n_answered, 0);
    assert_int_equal(r.n_visible, 10);
    assert_true(r.visible[9]); /* item 9 (safety) counts as its worst value for skip logic */
    assert_false(r.complete);
    assert_true(r.incomplete);
    assert_false(r.prorated);
    assert_int_equal(r.band, -1);
    assert_int_equal(r.first_missing, 0);
    assert_int_equal(r.n_flags, 1);
    assert_int_equal(r.flags[0].item, 8);
    assert_int_equal(r.flags[0].cause, FLAG_UNANSWERED);

    /* items 1-4 answered 2, the rest not asked yet (the live interview): a provisional lower bound */
    for (int i = 0; i < 9; i++) a[i] = i < 4 ? val(2) : (answer){ANS_NOT_ASKED, 0};
    score_form(f, a, &r);
    assert_int_equal(r.n_answered, 4);
    assert_int_equal(r.total, 8);
    assert_string_equal(band_id(f, &r), "mild");
    assert_true(r.provisional);
    assert_false(r.incomplete);
    assert_false(r.prorated);
    assert_false(r.complete);
    assert_int_equal(r.first_missing, 4);

    /* the same items passed without an answer: five missing, more than two: incomplete, no band */
    for (int i = 4; i < 9; i++) a[i] = NONE;
    score_form(f, a, &r);
    assert_true(r.incomplete);
    assert_int_equal(r.n_missing, 5);
    assert_int_equal(r.band, -1);

    /* all but item 5: one missing, replaced by the mean (24 over 8 answered: 27) */
    for (int i = 0; i < 9; i++) a[i] = val(i == 4 ? 0 : 3);
    a[4] = NONE;
    score_form(f, a, &r);
    assert_int_equal(r.n_answered, 8);
    assert_int_equal(r.raw_total, 24);
    assert_int_equal(r.total, 27);
    assert_true(r.prorated);
    assert_false(r.incomplete);
    assert_string_equal(band_id(f, &r), "severe");
    assert_int_equal(r.first_missing, 4);
    assert_false(r.complete);
    assert_int_equal(r.n_flags, 1);
    assert_int_equal(r.flags[0].cause, FLAG_VALUE);

    /* items 1-8 zero, item 9 unanswered: prorated 0, and item 9 still flagged (counts as positive) */
    for (int i = 0; i < 8; i++) a[i] = val(0);
    a[8] = NONE;
    a[9] = NONE;
    score_form(f, a, &r);
    assert_true(r.visible[9]);
    assert_int_equal(r.n_visible, 10);
    assert_int_equal(r.n_answered, 8);
    assert_int_equal(r.first_missing, 8);
    assert_false(r.complete);
    assert_true(r.prorated);
    assert_int_equal(r.total, 0);
    assert_int_equal(r.n_flags, 1);

    /* complete once item 9 is answered; the optional difficulty item may stay empty */
    a[8] = val(0);
    score_form(f, a, &r);
    assert_true(r.complete);
    assert_false(r.provisional);
    assert_false(r.prorated);
    assert_int_equal(r.first_missing, -1);
    assert_int_equal(r.n_flags, 0);

    /* a refused scored item: answered for completeness, missing for the total (prorated) */
    a[2] = REF;
    score_form(f, a, &r);
    assert_true(r.complete);
    assert_true(r.prorated);
    assert_int_equal(r.n_missing, 1);
    assert_int_equal(r.n_answered, 9);
    assert_int_equal(r.total, 0);
}

/* The issue's own case: 19 over 8 items is 21 (19 x 9/8 = 21.4, severe), not 19 (moderately severe). */
static void test_prorated_phq9_rounding(void **state) {
    (void)state;
    answer a[FORM_MAX_ITEMS] = {{0}};
    score_result r;
    int v[9] = {3, 3, 3, 3, 3, 2, 2, 0, 0};
    for (int i = 0; i < 9; i++) a[i] = val(v[i]);
    a[7] = NONE; /* item 8 missing: 19 over the 8 answered */
    a[8] = val(0);
    score_form(PHQ9, a, &r);
    assert_int_equal(r.raw_total, 19);
    assert_int_equal(r.total, 21);
    assert_string_equal(band_id(PHQ9, &r), "severe");
    /* two missing: 16 x 9/7 = 20.57 -> 21 (half up); three missing: incomplete */
    a[6] = NONE;
    score_form(PHQ9, a, &r);
    assert_int_equal(r.raw_total, 17);
    assert_int_equal(r.total, 22); /* 17 x 9 / 7 = 21.86 */
    a[5] = NONE;
    score_form(PHQ9, a, &r);
    assert_true(r.incomplete);
    /* half up: 1 x 9 / 2 = 4.5 -> 5 needs 7 missing: beyond the rule; check with GAD-7 (7 items, 1 may miss):
     * 3 over 6 answered x 7/6 = 3.5 -> 4 */
    answer g[FORM_MAX_ITEMS] = {{0}};
    int gv[7] = {1, 1, 1, 0, 0, 0, 0};
    for (int i = 0; i < 7; i++) g[i] = val(gv[i]);
    g[6] = NONE;
    score_form(GAD7, g, &r);
    assert_int_equal(r.raw_total, 3);
    assert_int_equal(r.total, 4);
    assert_true(r.prorated);
}

static void test_incomplete_gad7_and_k6(void **state) {
    (void)state;
    answer a[FORM_MAX_ITEMS] = {{0}};
    score_result r;
    a[0] = val(3);
    a[6] = val(2);
    score_form(GAD7, a, &r);
    assert_int_equal(r.n_answered, 2);
    assert_int_equal(r.n_visible, 7);
    assert_true(r.incomplete); /* five missing; GAD-7 allows one */
    assert_int_equal(r.band, -1);
    assert_false(r.complete);
    assert_int_equal(r.first_missing, 1);
    assert_int_equal(r.n_flags, 0);
    /* one missing: prorated */
    for (int i = 0; i < 6; i++) a[i] = val(2);
    a[6] = NONE;
    score_form(GAD7, a, &r);
    assert_true(r.prorated);
    assert_int_equal(r.total, 14);
    /* K6 allows none missing: five answered at 4 is incomplete, not 20 "serious" */
    memset(a, 0, sizeof a);
    for (int i = 0; i < 5; i++) a[i] = val(4);
    score_form(K6, a, &r);
    assert_true(r.incomplete);
    assert_int_equal(r.band, -1);
    assert_int_equal(r.raw_total, 20);
    assert_int_equal(r.first_missing, 5);
    assert_int_equal(r.n_answered, 5);
    /* while the interview has not reached item 6, the 20 is a provisional lower bound */
    a[5] = (answer){ANS_NOT_ASKED, 0};
    score_form(K6, a, &r);
    assert_false(r.incomplete);
    assert_true(r.provisional);
    assert_string_equal(band_id(K6, &r), "serious");
}

/* ---- safety: PHQ-9 item 9 ---- */

static void test_phq9_item9_safety(void **state) {
    (void)state;
    const form *f = PHQ9;
    assert_true(f->items[8].safety);
    assert_int_equal(f->items[8].safety_min, 1);
    answer a[FORM_MAX_ITEMS] = {{0}};
    score_result r;
    for (int i = 0; i < 8; i++) a[i] = val(0);

    a[8] = NONE;
    score_form(f, a, &r);
    assert_int_equal(r.n_flags, 1);
    assert_int_equal(r.flags[0].item, 8);
    assert_int_equal(r.flags[0].cause, FLAG_UNANSWERED);
    assert_string_equal(flag_cause_name(r.flags[0].cause), "unanswered");

    a[8] = val(0);
    score_form(f, a, &r);
    assert_int_equal(r.n_flags, 0);

    for (int v = 1; v <= 3; v++) {
        a[8] = val(v);
        score_form(f, a, &r);
        assert_int_equal(r.n_flags, 1);
        assert_int_equal(r.flags[0].item, 8);
        assert_int_equal(r.flags[0].cause, FLAG_VALUE);
        assert_int_equal(r.total, v);
    }

    /* a refusal is an answer of the PHQ-9 (a client may decline an item): missing for the total, positive for
     * item 9 */
    answer out = {0};
    error err = {0};
    assert_true(answer_parse(f, 8, "refused", &out, &err));
    assert_int_equal(out.state, ANS_REFUSED);

    /* a refusal reaching the scorer anyway is still flagged, never counted as zero */
    a[8] = REF;
    score_form(f, a, &r);
    assert_int_equal(r.n_flags, 1);
    assert_int_equal(r.flags[0].cause, FLAG_REFUSED);
    assert_true(r.prorated); /* missing for the total, positive for safety */

    /* as an expression value: unanswered and refused are the worst value */
    bool visible[FORM_MAX_ITEMS];
    for (int i = 0; i < FORM_MAX_ITEMS; i++) visible[i] = true;
    a[8] = NONE;
    expr_value v = score_item_value(f, a, visible, 8);
    assert_true(v.known);
    assert_false(v.refused);
    assert_int_equal(v.v, 3);
    a[8] = REF;
    v = score_item_value(f, a, visible, 8);
    assert_true(v.known);
    assert_true(v.refused);
    assert_int_equal(v.v, 3);
    a[8] = val(1);
    v = score_item_value(f, a, visible, 8);
    assert_true(v.known);
    assert_int_equal(v.v, 1);
    /* an ordinary unanswered item is unknown; a hidden item is unknown whatever its answer */
    a[0] = NONE;
    v = score_item_value(f, a, visible, 0);
    assert_false(v.known);
    visible[8] = false;
    v = score_item_value(f, a, visible, 8);
    assert_false(v.known);
}

/* ---- ASQ ---- */

typedef enum { Q_NO, Q_YES, Q_REFUSED, Q_UNANSWERED } asq_answer;
static const char *const asq_names[] = {"no", "yes", "refused", "unanswered"};

static answer asq_to_answer(asq_answer q) {
    switch (q) {
    case Q_NO: return val(0);
    case Q_YES: return val(1);
    case Q_REFUSED: return REF;
    default: return NONE;
    }
}

/* The NIMH decision from CLINICAL.md and the header of forms/asq.ini, written out independently. */
typedef struct {
    const char *band;
    bool positive, item5_asked, complete;
    int n_visible, n_answered, first_missing, n_flags;
    flag_cause causes[4];
    int flag_items[4];
} asq_expect;

static asq_expect asq_reference(const asq_answer q[5]) {
    asq_expect e = {0};
    bool screen_positive = false;
    for (int i = 0; i < 4; i++) screen_positive = screen_positive || q[i] != Q_NO; /* yes, refusal or no answer */
    e.item5_asked = screen_positive;
    if (!screen_positive) e.band = "negative";
    /* NIMH never reads an unknown answer to 5 as "no": yes, a refusal or no answer at all is acute */
    else if (q[4] == Q_YES || q[4] == Q_REFUSED || q[4] == Q_UNANSWERED) e.band = "acute_positive";
    else e.band = "non_acute_positive"; /* only an explicit no to item 5 */
    e.positive = screen_positive;
    e.n_visible = 4 + (e.item5_asked ? 1 : 0);
    e.first_missing = -1;
    e.complete = true;
    for (int i = 0; i < 5; i++) {
        if (i == 4 && !e.item5_asked) break;
        if (q[i] != Q_UNANSWERED) e.n_answered++;
        else {
            e.complete = false;
            if (e.first_missing < 0) e.first_missing = i;
        }
    }
    for (int i = 0; i < 4; i++) {
        if (q[i] == Q_NO) continue;
        e.flag_items[e.n_flags] = i;
        e.causes[e.n_flags++] = q[i] == Q_YES ? FLAG_VALUE : q[i] == Q_REFUSED ? FLAG_REFUSED : FLAG_UNANSWERED;
    }
    return e;
}

static void asq_check(const asq_answer q[5]) {
    answer a[FORM_MAX_ITEMS] = {{0}};
    for (int i = 0; i < 5; i++) a[i] = asq_to_answer(q[i]);
    asq_expect e = asq_reference(q);
    score_result r;
    score_form(ASQ, a, &r);
    char desc[128];
    snprintf(desc, sizeof desc, "asq %s %s %s %s / item5 %s", asq_names[q[0]], asq_names[q[1]], asq_names[q[2]],
             asq_names[q[3]], asq_names[q[4]]);
    if (strcmp(band_id(ASQ, &r), e.band) != 0) fail_msg("%s: band %s, expected %s", desc, band_id(ASQ, &r), e.band);
    if (ASQ->bands[r.band].positive != e.positive) fail_msg("%s: positive %d", desc, ASQ->bands[r.band].positive);
    if (r.visible[4] != e.item5_asked) fail_msg("%s: item5 visible %d", desc, r.visible[4]);
    if (r.n_visible != e.n_visible || r.n_answered != e.n_answered)
        fail_msg("%s: answered %d/%d, expected %d/%d", desc, r.n_answered, r.n_visible, e.n_answered, e.n_visible);
    if (r.complete != e.complete || r.first_missing != e.first_missing)
        fail_msg("%s: complete %d first_missing %d, expected %d %d", desc, r.complete, r.first_missing, e.complete,
                 e.first_missing);
    if (r.has_total || r.total != 0 || r.provisional) fail_msg("%s: the ASQ has no total", desc);
    if (r.n_flags != e.n_flags) fail_msg("%s: %d flags, expected %d", desc, r.n_flags, e.n_flags);
    for (int k = 0; k < e.n_flags; k++)
        if (r.flags[k].item != e.flag_items[k] || r.flags[k].cause != e.causes[k])
            fail_msg("%s: flag %d is item %d cause %s, expected item %d cause %s", desc, k, r.flags[k].item + 1,
                     flag_cause_name(r.flags[k].cause), e.flag_items[k] + 1, flag_cause_name(e.causes[k]));
}

static void test_asq_all_combinations(void **state) {
    (void)state;
    assert_int_equal(ASQ->n_items, 5);
    assert_true(ASQ->rule_bands);
    int checked = 0;
    /* items 1-4 in {no, yes, refused, unanswered} (3^4 answered combinations plus the unanswered ones),
     * item 5 in {no, yes, refused, unanswered} */
    for (int c = 0; c < 256 * 4; c++) {
        asq_answer q[5];
        int x = c;
        for (int i = 0; i < 5; i++) {
            q[i] = (asq_answer)(x % 4);
            x /= 4;
        }
        asq_check(q);
        checked++;
    }
    assert_int_equal(checked, 1024);
}

static void test_asq_branches(void **state) {
    (void)state;
    answer a[FORM_MAX_ITEMS] = {{0}};
    score_result r;
    /* all no: negative, item 5 not asked (even if an answer is present) */
    for (int i = 0; i < 4; i++) a[i] = val(0);
    a[4] = val(1);
    score_form(ASQ, a, &r);
    assert_string_equal(band_id(ASQ, &r), "negative");
    assert_false(ASQ->bands[r.band].positive);
    assert_false(r.visible[4]);
    assert_true(r.complete);
    assert_int_equal(r.n_flags, 0);
    assert_int_equal(r.n_visible, 4);

    /* any single yes with item 5 no: non-acute; item 5 yes: acute; refused: acute; unanswered: acute (NIMH
     * never reads an unknown 5 as no); not asked yet (the live interview before question 5): non-acute */
    for (int y = 0; y < 4; y++) {
        for (int i = 0; i < 4; i++) a[i] = val(i == y ? 1 : 0);
        a[4] = val(0);
        score_form(ASQ, a, &r);
        assert_true(r.visible[4]);
        assert_string_equal(band_id(ASQ, &r), "non_acute_positive");
        assert_true(ASQ->bands[r.band].positive);
        assert_int_equal(r.n_flags, 1);
        assert_int_equal(r.flags[0].item, y);
        assert_int_equal(r.flags[0].cause, FLAG_VALUE);
        a[4] = val(1);
        score_form(ASQ, a, &r);
        assert_string_equal(band_id(ASQ, &r), "acute_positive");
        a[4] = REF;
        score_form(ASQ, a, &r);
        assert_string_equal(band_id(ASQ, &r), "acute_positive");
        a[4] = NONE;
        score_form(ASQ, a, &r);
        assert_string_equal(band_id(ASQ, &r), "acute_positive");
        assert_false(r.complete);
        assert_int_equal(r.first_missing, 4);
        a[4] = (answer){ANS_NOT_ASKED, 0};
        score_form(ASQ, a, &r);
        assert_string_equal(band_id(ASQ, &r), "non_acute_positive");
        assert_int_equal(r.first_missing, 4);
    }

    /* a refusal of any of 1-4 is a positive screen, flagged as refused */
    for (int y = 0; y < 4; y++) {
        for (int i = 0; i < 4; i++) a[i] = i == y ? REF : val(0);
        a[4] = val(0);
        score_form(ASQ, a, &r);
        assert_true(r.visible[4]);
        assert_string_equal(band_id(ASQ, &r), "non_acute_positive");
        assert_int_equal(r.n_flags, 1);
        assert_int_equal(r.flags[0].item, y);
        assert_int_equal(r.flags[0].cause, FLAG_REFUSED);
        assert_true(r.complete);
    }

    /* an unanswered item among 1-4 counts as positive and makes item 5 visible */
    for (int y = 0; y < 4; y++) {
        for (int i = 0; i < 4; i++) a[i] = i == y ? NONE : val(0);
        a[4] = NONE;
        score_form(ASQ, a, &r);
        assert_true(r.visible[4]);
        assert_string_equal(band_id(ASQ, &r), "acute_positive"); /* question 5 unknown too */
        assert_int_equal(r.n_flags, 1);
        assert_int_equal(r.flags[0].item, y);
        assert_int_equal(r.flags[0].cause, FLAG_UNANSWERED);
        assert_false(r.complete);
        assert_int_equal(r.first_missing, y);
        a[4] = val(1);
        score_form(ASQ, a, &r);
        assert_string_equal(band_id(ASQ, &r), "acute_positive");
    }

    /* nothing answered at all: positive, and with question 5 unknown, acute; never negative */
    memset(a, 0, sizeof a);
    score_form(ASQ, a, &r);
    assert_string_equal(band_id(ASQ, &r), "acute_positive");
    assert_int_equal(r.n_flags, 4);
    assert_int_equal(r.n_answered, 0);
    assert_int_equal(r.n_visible, 5);
}

/* ---- answer_parse ---- */

static void test_answer_parse(void **state) {
    (void)state;
    answer out;
    error err = {0};
    /* PHQ-9 items: codes 0..3 */
    for (int item = 0; item < 9; item++)
        for (int v = 0; v <= 3; v++) {
            char code[16];
            snprintf(code, sizeof code, "%d", v);
            out = NONE;
            assert_true(answer_parse(PHQ9, item, code, &out, &err));
            assert_int_equal(out.state, ANS_VALUE);
            assert_int_equal(out.value, v);
        }
    static const char *const bad[] = {"4", "-1", "", "abc", "REFUSED", "00", "+1", " 1", "1 ", "3.0", "yes"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err.msg[0] = '\0';
        if (answer_parse(PHQ9, 8, bad[i], &out, &err)) fail_msg("phq9.item9 accepted `%s`", bad[i]);
        if (!strstr(err.msg, "phq9.item9")) fail_msg("message for `%s` does not name phq9.item9: %s", bad[i], err.msg);
    }
    assert_false(answer_parse(PHQ9, 8, "4", &out, &err));
    assert_string_equal(err.msg, "phq9.item9: `4` is not an answer to this item (expected 0, 1, 2, 3, refused)");
    assert_false(answer_parse(PHQ9, 0, "9", &out, &err));
    assert_non_null(strstr(err.msg, "phq9.item1"));

    /* the difficulty item uses symbolic codes */
    assert_true(answer_parse(PHQ9, 9, "not_difficult", &out, &err));
    assert_int_equal(out.value, 0);
    assert_true(answer_parse(PHQ9, 9, "extremely", &out, &err));
    assert_int_equal(out.value, 3);
    assert_false(answer_parse(PHQ9, 9, "2", &out, &err));
    assert_non_null(strstr(err.msg, "phq9.difficulty"));
    assert_non_null(strstr(err.msg, "not_difficult, somewhat, very, extremely"));

    /* K6: 0..4 */
    assert_true(answer_parse(K6, 5, "4", &out, &err));
    assert_int_equal(out.value, 4);
    assert_false(answer_parse(K6, 5, "5", &out, &err));
    assert_non_null(strstr(err.msg, "k6.item6"));

    /* ASQ: no / yes / refused */
    assert_true(answer_parse(ASQ, 0, "yes", &out, &err));
    assert_int_equal(out.state, ANS_VALUE);
    assert_int_equal(out.value, 1);
    assert_true(answer_parse(ASQ, 3, "no", &out, &err));
    assert_int_equal(out.state, ANS_VALUE);
    assert_int_equal(out.value, 0);
    for (int i = 0; i < 5; i++) {
        out = NONE;
        assert_true(answer_parse(ASQ, i, "refused", &out, &err));
        assert_int_equal(out.state, ANS_REFUSED);
    }
    assert_false(answer_parse(ASQ, 4, "maybe", &out, &err));
    assert_string_equal(err.msg, "asq.item5: `maybe` is not an answer to this item (expected no, yes, refused)");
    assert_false(answer_parse(ASQ, 0, "1", &out, &err));
    assert_non_null(strstr(err.msg, "asq.item1"));
    assert_false(answer_parse(ASQ, 0, "Yes", &out, &err));

    /* a long answer is shown shortened */
    char longtext[300];
    memset(longtext, 'x', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    assert_false(answer_parse(ASQ, 0, longtext, &out, &err));
    assert_non_null(strstr(err.msg, "asq.item1"));
    assert_non_null(strstr(err.msg, "..."));
    assert_true(strlen(err.msg) < 200);

    /* answer_choices and answer_format */
    char buf[128];
    answer_choices(ASQ, 2, buf, sizeof buf);
    assert_string_equal(buf, "no, yes, refused");
    answer_choices(PHQ9, 0, buf, sizeof buf);
    assert_string_equal(buf, "0, 1, 2, 3, refused");
    answer_format(ASQ, 0, val(1), buf, sizeof buf);
    assert_string_equal(buf, "yes");
    answer_format(ASQ, 0, REF, buf, sizeof buf);
    assert_string_equal(buf, "refused");
    answer_format(PHQ9, 9, val(2), buf, sizeof buf);
    assert_string_equal(buf, "very");
    answer_format(PHQ9, 0, NONE, buf, sizeof buf);
    assert_string_equal(buf, "unanswered");
}

/* ---- score_answers ---- */

static json_t *score_texts(const form *f, const char *const *texts, int n, error *err) {
    error_clear(err);
    return score_answers(f, texts, n, err);
}

static void check_flags(json_t *o, const char *const *want, size_t n) {
    json_t *flags = json_object_get(o, "flags");
    assert_true(json_is_array(flags));
    assert_int_equal(json_array_size(flags), n);
    for (size_t i = 0; i < n; i++) assert_string_equal(json_string_value(json_array_get(flags, i)), want[i]);
}

static void test_score_answers_phq9(void **state) {
    (void)state;
    error err = {0};
    static const char *const t1[] = {"1", "0", "2", "0", "3", "0", "1", "0", "1"};
    json_t *o = score_texts(PHQ9, t1, 9, &err);
    if (!o) fail_msg("phq9 not scored: %s", err.msg);
    assert_true(json_is_object(o));
    assert_int_equal(json_object_size(o), 4);
    assert_string_equal(json_string_value(json_object_get(o, "form")), "phq9");
    assert_true(json_is_integer(json_object_get(o, "total")));
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 8);
    assert_string_equal(json_string_value(json_object_get(o, "band")), "mild");
    static const char *const f1[] = {"self_harm_thoughts"};
    check_flags(o, f1, 1);
    json_decref(o);

    /* exact JSON text */
    static const char *const t2[] = {"3", "3", "3", "3", "3", "3", "3", "3", "0"};
    o = score_texts(PHQ9, t2, 9, &err);
    assert_non_null(o);
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(s, "{\"band\":\"severe\",\"flags\":[],\"form\":\"phq9\",\"total\":24}");
    free(s);
    json_decref(o);

    /* all zero: minimal, no flag; a tenth answer is then one too many (difficulty is not asked) */
    static const char *const t3[] = {"0", "0", "0", "0", "0", "0", "0", "0", "0", "somewhat"};
    o = score_texts(PHQ9, t3, 9, &err);
    assert_non_null(o);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 0);
    assert_string_equal(json_string_value(json_object_get(o, "band")), "minimal");
    check_flags(o, NULL, 0);
    json_decref(o);
    assert_null(score_texts(PHQ9, t3, 10, &err));
    assert_non_null(strstr(err.msg, "too many answers"));
    assert_non_null(strstr(err.msg, "difficulty"));

    /* difficulty given when asked: accepted, not in the total */
    static const char *const t4[] = {"0", "1", "0", "0", "0", "0", "0", "0", "0", "extremely"};
    o = score_texts(PHQ9, t4, 10, &err);
    if (!o) fail_msg("phq9 with difficulty not scored: %s", err.msg);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 1);
    json_decref(o);

    /* too few: the message names the first missing item */
    assert_null(score_texts(PHQ9, t1, 8, &err));
    assert_non_null(strstr(err.msg, "phq9.item9"));
    assert_non_null(strstr(err.msg, "no answer given"));
    assert_null(score_texts(PHQ9, t1, 0, &err));
    assert_non_null(strstr(err.msg, "phq9.item1"));
    /* eleven answers */
    static const char *const t5[] = {"1", "1", "1", "1", "1", "1", "1", "1", "1", "very", "very"};
    assert_null(score_texts(PHQ9, t5, 11, &err));
    assert_non_null(strstr(err.msg, "too many answers"));

    /* an unknown code */
    static const char *const t6[] = {"1", "0", "x", "0", "3", "0", "1", "0", "1"};
    assert_null(score_texts(PHQ9, t6, 9, &err));
    assert_non_null(strstr(err.msg, "phq9.item3"));
    assert_non_null(strstr(err.msg, "`x`"));
    /* item 9 refused: a valid answer, missing for the total (8 answered: 7 x 9/8 = 8, prorated), flagged */
    static const char *const t7[] = {"1", "0", "2", "0", "3", "0", "1", "0", "refused"};
    json_t *o7 = score_texts(PHQ9, t7, 9, &err);
    assert_non_null(o7);
    assert_int_equal(json_integer_value(json_object_get(o7, "total")), 8);
    assert_int_equal(json_array_size(json_object_get(o7, "flags")), 1);
    json_decref(o7);
}

static void test_score_answers_asq(void **state) {
    (void)state;
    error err = {0};
    static const char *const neg[] = {"no", "no", "no", "no", "no"};
    /* all no: item 5 is not asked, so five answers are one too many */
    assert_null(score_texts(ASQ, neg, 5, &err));
    assert_non_null(strstr(err.msg, "item5"));
    json_t *o = score_texts(ASQ, neg, 4, &err);
    if (!o) fail_msg("asq negative not scored: %s", err.msg);
    assert_string_equal(json_string_value(json_object_get(o, "form")), "asq");
    assert_true(json_is_null(json_object_get(o, "total")));
    assert_string_equal(json_string_value(json_object_get(o, "band")), "negative");
    check_flags(o, NULL, 0);
    json_decref(o);

    static const char *const non_acute[] = {"yes", "no", "no", "no", "no"};
    o = score_texts(ASQ, non_acute, 5, &err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "band")), "non_acute_positive");
    static const char *const fl1[] = {"asq_item1"};
    check_flags(o, fl1, 1);
    json_decref(o);
    /* a yes needs item 5 */
    assert_null(score_texts(ASQ, non_acute, 4, &err));
    assert_non_null(strstr(err.msg, "asq.item5"));

    static const char *const acute[] = {"no", "refused", "no", "yes", "yes"};
    o = score_texts(ASQ, acute, 5, &err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "band")), "acute_positive");
    static const char *const fl24[] = {"asq_item2", "asq_item4"};
    check_flags(o, fl24, 2);
    json_decref(o);

    static const char *const refused5[] = {"no", "no", "yes", "no", "refused"};
    o = score_texts(ASQ, refused5, 5, &err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "band")), "acute_positive");
    json_decref(o);

    static const char *const bad[] = {"no", "perhaps", "no", "no"};
    assert_null(score_texts(ASQ, bad, 4, &err));
    assert_non_null(strstr(err.msg, "asq.item2"));

    /* a record form cannot be scored */
    static const char *const one[] = {"Ann"};
    assert_null(score_texts(INTAKE, one, 1, &err));
    assert_non_null(strstr(err.msg, "intake"));
}

static void test_score_answers_matches_score_form(void **state) {
    (void)state;
    /* every PHQ-2, GAD-2 combination via text gives the same as the reference */
    const form *fs[] = {PHQ2, GAD2};
    error err = {0};
    for (int k = 0; k < 2; k++)
        for (int c = 0; c < 16; c++) {
            char t0[16], t1[16];
            snprintf(t0, sizeof t0, "%d", c % 4);
            snprintf(t1, sizeof t1, "%d", c / 4);
            const char *texts[] = {t0, t1};
            json_t *o = score_texts(fs[k], texts, 2, &err);
            assert_non_null(o);
            int sum = c % 4 + c / 4;
            assert_int_equal(json_integer_value(json_object_get(o, "total")), sum);
            assert_string_equal(json_string_value(json_object_get(o, "band")), sum >= 3 ? "positive" : "negative");
            json_decref(o);
        }
}

static void test_score_result_json(void **state) {
    (void)state;
    answer a[FORM_MAX_ITEMS] = {{0}};
    a[0] = val(2);
    a[1] = val(3);
    for (int i = 2; i < 8; i++) a[i] = (answer){ANS_NOT_ASKED, 0}; /* the interview has not reached them */
    score_result r;
    score_form(PHQ9, a, &r);
    json_t *o = score_result_json(PHQ9, &r);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 5);
    assert_string_equal(json_string_value(json_object_get(o, "band")), "mild");
    assert_true(json_is_false(json_object_get(o, "prorated")));
    assert_true(json_is_false(json_object_get(o, "incomplete")));
    assert_int_equal(json_integer_value(json_object_get(o, "answered")), 2);
    assert_int_equal(json_integer_value(json_object_get(o, "asked")), 10);
    assert_true(json_is_false(json_object_get(o, "complete")));
    assert_true(json_is_true(json_object_get(o, "provisional")));
    assert_true(json_is_false(json_object_get(o, "positive")));
    json_t *flags = json_object_get(o, "flags");
    assert_int_equal(json_array_size(flags), 1);
    json_t *fl = json_array_get(flags, 0);
    assert_string_equal(json_string_value(json_object_get(fl, "flag")), "self_harm_thoughts");
    assert_string_equal(json_string_value(json_object_get(fl, "item")), "item9");
    assert_string_equal(json_string_value(json_object_get(fl, "because")), "unanswered");
    json_decref(o);

    /* a prorated total says so, with the sum it came from; an incomplete one has no total and no band */
    for (int i = 0; i < 9; i++) a[i] = val(2);
    a[3] = NONE;
    score_form(PHQ9, a, &r);
    o = score_result_json(PHQ9, &r);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 18);
    assert_true(json_is_true(json_object_get(o, "prorated")));
    assert_int_equal(json_integer_value(json_object_get(o, "sum_answered")), 16);
    assert_int_equal(json_integer_value(json_object_get(o, "missing")), 1);
    json_decref(o);
    a[4] = NONE;
    a[5] = NONE;
    score_form(PHQ9, a, &r);
    o = score_result_json(PHQ9, &r);
    assert_true(json_is_null(json_object_get(o, "total")));
    assert_true(json_is_null(json_object_get(o, "band")));
    assert_true(json_is_true(json_object_get(o, "incomplete")));
    json_decref(o);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_band_tables_match_clinical),
        cmocka_unit_test(test_phq9_all_combinations),
        cmocka_unit_test(test_phq9_difficulty_item),
        cmocka_unit_test(test_gad7_all_combinations),
        cmocka_unit_test(test_phq2_all_combinations),
        cmocka_unit_test(test_gad2_all_combinations),
        cmocka_unit_test(test_k6_all_combinations),
        cmocka_unit_test(test_band_edges),
        cmocka_unit_test(test_incomplete_phq9),
        cmocka_unit_test(test_prorated_phq9_rounding),
        cmocka_unit_test(test_incomplete_gad7_and_k6),
        cmocka_unit_test(test_phq9_item9_safety),
        cmocka_unit_test(test_asq_all_combinations),
        cmocka_unit_test(test_asq_branches),
        cmocka_unit_test(test_answer_parse),
        cmocka_unit_test(test_score_answers_phq9),
        cmocka_unit_test(test_score_answers_asq),
        cmocka_unit_test(test_score_answers_matches_score_form),
        cmocka_unit_test(test_score_result_json),
    };
    return cmocka_run_group_tests(tests, setup_forms, teardown_forms);
}
