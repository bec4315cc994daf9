/* `triage assess`: JSON in, risk level, reasons, scores and matches out; every kind of bad input is
 * refused with a message naming the field. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "assess_salvage.h"
#include "config.h"
#include "engine.h"

static engine e;
static assess_input in; /* large: static */
static error err = {0};

static int setup(void **state) {
    (void)state;
    config_set_program_dir("."); /* forms/ and assets/ beside the tests, as for the binary in the tree */
    diag d = {0};
    bool ok = engine_load(&e, "config.ini", NULL, true, &d);
    if (!ok || d.n) diag_print(&d, stderr);
    int n = d.n;
    diag_free(&d);
    return ok && n == 0 && e.has_roster ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    engine_free(&e);
    config_set_program_dir(NULL);
    return 0;
}

/* ---- helpers ---- */

static bool parse(const char *json) {
    err.msg[0] = '\0';
    return assess_parse(&e, json, strlen(json), &in, &err);
}

/* Parses and runs; the caller frees the result. */
static json_t *run(const char *json, lang ui) {
    if (!parse(json)) fail_msg("assess_parse failed: %s", err.msg);
    json_t *o = assess_run(&e, &in, ui);
    assert_non_null(o);
    return o;
}

static json_t *run_example(const char *name) {
    char path[256];
    snprintf(path, sizeof path, "assets/examples/%s.json", name);
    size_t len;
    char *text = read_all(path, &len);
    err.msg[0] = '\0';
    bool ok = assess_parse(&e, text, len, &in, &err);
    free(text);
    if (!ok) fail_msg("%s: %s", path, err.msg);
    return assess_run(&e, &in, LANG_EN);
}

/* The input is refused; the message starts with the field and contains part. */
static void expect_error(const char *json, const char *field, const char *part) {
    bool ok = parse(json);
    if (ok) fail_msg("accepted: %s", json);
    size_t fl = strlen(field);
    if (strncmp(err.msg, field, fl) != 0 || err.msg[fl] != ':') fail_msg("message `%s` does not start with `%s:`", err.msg, field);
    if (part && !strstr(err.msg, part)) fail_msg("message `%s` lacks `%s`", err.msg, part);
}

static const char *str(const json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v)) fail_msg("%s is not a string", key);
    return json_string_value(v);
}

static json_int_t integer(const json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) fail_msg("%s is not an integer", key);
    return json_integer_value(v);
}

static const char *reason_rule(const json_t *o, size_t i) {
    json_t *reasons = json_object_get(o, "reasons");
    assert_true(json_is_array(reasons));
    assert_true(i < json_array_size(reasons));
    return str(json_array_get(reasons, i), "rule");
}

/* ---- the examples ---- */

static void test_example_orange(void **state) {
    (void)state;
    json_t *o = run_example("orange");
    assert_string_equal(str(o, "level"), "orange");
    /* PHQ-9 15 with item 9 = 1: item 9 (orange), then moderate (yellow) */
    assert_int_equal(json_array_size(json_object_get(o, "reasons")), 2);
    assert_string_equal(reason_rule(o, 0), "phq9_item9");
    assert_string_equal(reason_rule(o, 1), "phq9_moderate");
    json_t *scores = json_object_get(o, "scores");
    assert_int_equal(integer(json_object_get(scores, "phq9"), "total"), 15);
    assert_int_equal(integer(json_object_get(scores, "gad7"), "total"), 8);
    assert_string_equal(str(json_object_get(scores, "asq"), "band"), "negative");
    json_decref(o);
}

static void test_example_red(void **state) {
    (void)state;
    json_t *o = run_example("red");
    assert_string_equal(str(o, "level"), "red");
    assert_string_equal(reason_rule(o, 0), "asq_acute");
    json_t *r0 = json_array_get(json_object_get(o, "reasons"), 0);
    assert_string_equal(str(r0, "level"), "red");
    assert_string_equal(str(r0, "because"), "asq.band = acute_positive");
    assert_non_null(strstr(str(r0, "text"), "ASQ acute positive"));
    /* PHQ-9 21 with item 9 = 2 also fires its three rules, and the self-harm concern its own */
    assert_int_equal(json_array_size(json_object_get(o, "reasons")), 5);
    assert_string_equal(reason_rule(o, 1), "phq9_item9");
    assert_string_equal(reason_rule(o, 2), "self_harm_concern");
    assert_string_equal(reason_rule(o, 3), "phq9_severe");
    assert_string_equal(reason_rule(o, 4), "phq9_moderate");
    json_decref(o);
}

static void test_example_green(void **state) {
    (void)state;
    json_t *o = run_example("green");
    assert_string_equal(str(o, "level"), "green");
    assert_int_equal(json_array_size(json_object_get(o, "reasons")), 0);
    /* zh, female, career and study: Zhang Hui (career 1.0, study 0.8) first */
    json_t *matches = json_object_get(o, "matches");
    assert_true(json_array_size(matches) >= 1);
    json_t *m0 = json_array_get(matches, 0);
    assert_string_equal(str(m0, "id"), "c05");
    json_t *why = json_object_get(m0, "why");
    assert_true(json_array_size(why) >= 2);
    assert_string_equal(str(json_array_get(why, 0), "dimension"), "career");
    assert_string_equal(str(json_array_get(why, 1), "dimension"), "study");
    for (size_t i = 0; i < json_array_size(matches); i++) {
        const char *id = str(json_array_get(matches, i), "id");
        assert_true(strcmp(id, "c01") == 0 || strcmp(id, "c05") == 0 || strcmp(id, "c07") == 0); /* zh women */
    }
    json_decref(o);
}

/* ---- the output object ---- */

static void test_output_shape(void **state) {
    (void)state;
    json_t *o = run_example("red");
    assert_true(json_is_object(o));
    static const char *const keys[] = {"level", "reasons", "scores", "matches", "matching"};
    for (int i = 0; i < 5; i++)
        if (!json_object_get(o, keys[i])) fail_msg("no key %s", keys[i]);
    assert_int_equal(json_object_size(o), 5);
    assert_true(json_is_string(json_object_get(o, "level")));
    assert_true(json_is_array(json_object_get(o, "reasons")));
    assert_true(json_is_object(json_object_get(o, "scores")));
    assert_true(json_is_object(json_object_get(o, "matching")));

    json_t *scores = json_object_get(o, "scores");
    assert_int_equal(json_object_size(scores), 2); /* only the forms given */
    json_t *phq9 = json_object_get(scores, "phq9");
    assert_int_equal(integer(phq9, "total"), 21);
    assert_string_equal(str(phq9, "band"), "severe");
    assert_true(json_is_true(json_object_get(phq9, "complete")));
    assert_true(json_is_false(json_object_get(phq9, "provisional")));
    assert_true(json_is_null(json_object_get(json_object_get(scores, "asq"), "total")));

    json_t *matches = json_object_get(o, "matches");
    assert_true(json_is_array(matches));
    assert_int_equal(json_array_size(matches), 3);
    double prev = 2;
    for (size_t i = 0; i < 3; i++) {
        json_t *m = json_array_get(matches, i);
        assert_true(strlen(str(m, "id")) > 0);
        assert_true(strlen(str(m, "name")) > 0);
        json_t *score = json_object_get(m, "score");
        assert_true(json_is_real(score));
        double s = json_real_value(score);
        assert_true(s > 0 && s <= 1.0);
        assert_true(s <= prev);
        prev = s;
        json_t *why = json_object_get(m, "why");
        assert_true(json_is_array(why));
        assert_true(json_array_size(why) >= 1 && json_array_size(why) <= 3);
        json_t *w0 = json_array_get(why, 0);
        assert_true(strlen(str(w0, "dimension")) > 0);
        assert_true(strlen(str(w0, "label")) > 0);
        assert_true(json_is_real(json_object_get(w0, "share")));
    }
    /* red, en: c08 away, c06 full, c02 c05 c10 no English, c09 not high-risk; c01 c03 c04 c07 remain */
    json_t *info = json_object_get(o, "matching");
    assert_int_equal(integer(info, "considered"), 4);
    json_t *ex = json_object_get(info, "excluded");
    assert_int_equal(integer(ex, "unavailable"), 1);
    assert_int_equal(integer(ex, "capacity"), 1);
    assert_int_equal(integer(ex, "language"), 3);
    assert_int_equal(integer(ex, "risk"), 1);
    assert_int_equal(integer(ex, "gender"), 0);
    json_t *need = json_object_get(info, "need");
    assert_true(json_is_object(need));
    /* crisis: self_harm 1.0 + red 1.5 */
    assert_true(json_is_real(json_object_get(need, "crisis")));
    assert_true(json_real_value(json_object_get(need, "crisis")) > 2.49 &&
                json_real_value(json_object_get(need, "crisis")) < 2.51);
    json_decref(o);
}

static void test_output_ui_language(void **state) {
    (void)state;
    json_t *o = run("{\"answers\": {\"gad7\": [3, 3, 3, 1, 0, 0, 0], \"asq\": [\"no\", \"no\", \"no\", \"no\"]}}", LANG_ZH);
    assert_string_equal(str(o, "level"), "yellow");
    json_t *r0 = json_array_get(json_object_get(o, "reasons"), 0);
    assert_string_equal(str(r0, "rule"), "gad7_moderate");
    assert_string_equal(str(r0, "text"), "GAD-7 总分 10 分及以上：中度及以上焦虑症状。");
    assert_string_equal(str(r0, "because"), "gad7.total = 10");
    json_decref(o);
}

/* Nothing given at all: no suicide-risk screen was done, and its unanswered safety questions count as positive
 * (orange, rule unscreened), never a silent green (found by the clinician's tryout). */
static void test_empty_input_green(void **state) {
    (void)state;
    json_t *o = run("{}", LANG_EN);
    assert_string_equal(str(o, "level"), "orange");
    assert_int_equal(json_array_size(json_object_get(o, "reasons")), 1);
    assert_string_equal(str(json_array_get(json_object_get(o, "reasons"), 0), "rule"), "unscreened");
    assert_non_null(strstr(str(json_array_get(json_object_get(o, "reasons"), 0), "text"), "No suicide-risk screen"));
    assert_int_equal(json_object_size(json_object_get(o, "scores")), 0);
    assert_string_equal(in.language, "en"); /* the default */
    /* no needs: ranked by free capacity, with a note */
    json_t *info = json_object_get(o, "matching");
    assert_non_null(strstr(str(info, "note"), "free capacity"));
    json_decref(o);
}

static void test_null_safety_answer_counts(void **state) {
    (void)state;
    json_t *o = run("{\"answers\": {\"phq9\": [0, 0, 0, 0, 0, 0, 0, 0, null]}}", LANG_EN);
    assert_string_equal(str(o, "level"), "orange");
    json_t *r0 = json_array_get(json_object_get(o, "reasons"), 0);
    assert_string_equal(str(r0, "rule"), "phq9_item9");
    assert_non_null(strstr(str(r0, "because"), "counts as positive"));
    json_decref(o);
}

static void test_codes_and_refused_accepted(void **state) {
    (void)state;
    json_t *o = run("{\"language\": \"zh\", \"concerns\": [\"self_harm\"], \"preferences\": {\"counselor_gender\": null},"
                    " \"answers\": {\"asq\": [\"refused\", \"no\", \"no\", \"no\", \"no\"]}}",
                    LANG_EN);
    assert_string_equal(str(o, "level"), "orange");
    assert_string_equal(in.language, "zh");
    assert_int_equal(in.counselor_gender[0], '\0');
    assert_true(in.concerns != 0);
    json_decref(o);
}

/* ---- bad input ---- */

static void test_err_not_json(void **state) {
    (void)state;
    assert_false(parse("{\n  \"language\": \"en\",\n  oops\n}"));
    int line = 0, col = 0;
    if (sscanf(err.msg, "input:%d:%d:", &line, &col) != 2) fail_msg("no line:column in `%s`", err.msg);
    assert_int_equal(line, 3);
    assert_true(col > 0);
    assert_non_null(strstr(err.msg, "not valid JSON"));
}

static void test_err_top_level_array(void **state) {
    (void)state;
    expect_error("[{\"language\": \"en\"}]", "input", "must be a JSON object");
}

static void test_err_unknown_field(void **state) {
    (void)state;
    expect_error("{\"answers\": {}, \"colour\": \"red\"}", "colour", "unknown field");
}

static void test_err_duplicate_key(void **state) {
    (void)state;
    assert_false(parse("{\"language\": \"en\", \"language\": \"zh\"}"));
    assert_non_null(strstr(err.msg, "input:1:"));
}

static void test_err_unknown_form(void **state) {
    (void)state;
    expect_error("{\"answers\": {\"bdi\": [1, 2]}}", "answers.bdi", "not a loaded form");
    expect_error("{\"answers\": {\"intake\": []}}", "answers.intake", "record form");
    expect_error("{\"answers\": {\"phq9\": 3}}", "answers.phq9", "must be an array");
    expect_error("{\"answers\": [1]}", "answers", "must be an object");
}

static void test_err_too_many_answers(void **state) {
    (void)state;
    expect_error("{\"answers\": {\"phq9\": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}}", "answers.phq9",
                 "11 answers, but the form has 10 items");
}

static void test_err_out_of_range(void **state) {
    (void)state;
    expect_error("{\"answers\": {\"phq9\": [0, 0, 4]}}", "answers.phq9[2]", "phq9.item3: 4 is out of range");
    assert_non_null(strstr(err.msg, "0, 1, 2, 3"));
    expect_error("{\"answers\": {\"phq9\": [-1]}}", "answers.phq9[0]", "phq9.item1");
    expect_error("{\"answers\": {\"gad7\": [0, 0, 0, 0, 0, 0, 99]}}", "answers.gad7[6]", "gad7.item7");
}

static void test_err_bad_code(void **state) {
    (void)state;
    expect_error("{\"answers\": {\"asq\": [\"maybe\"]}}", "answers.asq[0]", "asq.item1: `maybe` is not an answer");
    assert_non_null(strstr(err.msg, "no, yes, refused"));
    /* K6 items cannot be refused (the PHQ-9's, PHQ-2's, GAD-7's and GAD-2's can: a client may decline an item) */
    expect_error("{\"answers\": {\"k6\": [\"refused\"]}}", "answers.k6[0]", "k6.item1");
    expect_error("{\"answers\": {\"phq9\": [true]}}", "answers.phq9[0]", "must be a number");
}

static void test_err_item5_not_asked(void **state) {
    (void)state;
    expect_error("{\"answers\": {\"asq\": [\"no\", \"no\", \"no\", \"no\", \"yes\"]}}", "answers.asq[4]", "item5");
    assert_non_null(strstr(err.msg, "not asked"));
    /* PHQ-9's difficulty item is asked only once a problem is checked */
    expect_error("{\"answers\": {\"phq9\": [0, 0, 0, 0, 0, 0, 0, 0, 0, \"somewhat\"]}}", "answers.phq9[9]",
                 "phq9.difficulty is not asked");
    /* the same answer after a yes is fine */
    assert_true(parse("{\"answers\": {\"asq\": [\"no\", \"yes\", \"no\", \"no\", \"yes\"]}}"));
}

static void test_err_unknown_concern(void **state) {
    (void)state;
    expect_error("{\"concerns\": [\"emotional\", \"astrology\"]}", "concerns[1]", "not a concern code");
    assert_non_null(strstr(err.msg, "emotional"));
    expect_error("{\"concerns\": [3]}", "concerns[0]", "not a concern code");
    expect_error("{\"concerns\": \"emotional\"}", "concerns", "must be an array");
}

static void test_err_preferences(void **state) {
    (void)state;
    expect_error("{\"preferences\": {\"counselor_age\": \"40\"}}", "preferences.counselor_age", "unknown preference");
    expect_error("{\"preferences\": {\"counselor_gender\": \"Fe male\"}}", "preferences.counselor_gender",
                 "must be a code");
    expect_error("{\"preferences\": [\"female\"]}", "preferences", "must be an object");
}

static void test_err_language(void **state) {
    (void)state;
    expect_error("{\"language\": \"English!\"}", "language", "language code");
    expect_error("{\"language\": 5}", "language", "language code");
    expect_error("{\"language\": \"averyveryverylonglanguage\"}", "language", "language code");
}

static void test_err_too_large(void **state) {
    (void)state;
    size_t n = ASSESS_MAX_INPUT + 1;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    assert_false(assess_parse(&e, big, n, &in, &err));
    assert_non_null(strstr(err.msg, "input"));
    assert_non_null(strstr(err.msg, "1 MiB"));
    /* exactly the limit is accepted */
    big[n - 2] = '}';
    big[n - 1] = '\0';
    bool ok = assess_parse(&e, big, n - 1, &in, &err);
    free(big);
    if (!ok) fail_msg("input of exactly ASSESS_MAX_INPUT bytes refused: %s", err.msg);
}

/* ---- a refused file's answers, read for its SAFETY line (assess_salvage) ---- */

static char *salvage_warning(const char *json) {
    json_error_t je;
    json_t *root = json_loads(json, 0, &je);
    assert_non_null(root);
    static const char *const known[] = {"client", "notes", "record", NULL};
    char *line = assess_salvage(&e, root, known, &in) ? assess_safety_warning(&e, &in) : NULL;
    json_decref(root);
    return line;
}

/* An item 1 out of range beside item 9 "nearly every day": item 1 is read as unanswered, item 9 still counts. */
static void test_salvage_bad_item_keeps_item9(void **state) {
    (void)state;
    char *line = salvage_warning("{\"answers\":{\"phq9\":[7,0,0,0,0,0,0,0,3]}}");
    assert_non_null(line);
    if (!strstr(line, "SAFETY: these answers put the client at ORANGE")) fail_msg("%s", line);
    free(line);
}

/* A GAD-7 of eight answers beside that PHQ-9, under a misspelt "anwsers": still read. */
static void test_salvage_misspelt_and_long_form(void **state) {
    (void)state;
    char *line = salvage_warning("{\"anwsers\":{\"gad7\":[0,0,0,0,0,0,0,0],\"phq9\":[0,0,0,0,0,0,0,0,3]},"
                                 "\"client\":{\"name\":\"A\"}}");
    assert_non_null(line);
    if (!strstr(line, "at ORANGE")) fail_msg("%s", line);
    free(line);
}

/* Answers that put no one at orange or red give no warning; a field of the caller's own is not read as answers. */
static void test_salvage_quiet_when_low(void **state) {
    (void)state;
    assert_null(salvage_warning("{\"answers\":{\"phq9\":[0,0,0,0,0,0,0,0,0],\"asq\":[\"no\",\"no\",\"no\",\"no\"]}}"));
    assert_null(salvage_warning("{\"record\":{\"phq9\":[0,0,0,0,0,0,0,0,3]}}"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_orange),
        cmocka_unit_test(test_example_red),
        cmocka_unit_test(test_example_green),
        cmocka_unit_test(test_output_shape),
        cmocka_unit_test(test_output_ui_language),
        cmocka_unit_test(test_empty_input_green),
        cmocka_unit_test(test_null_safety_answer_counts),
        cmocka_unit_test(test_codes_and_refused_accepted),
        cmocka_unit_test(test_err_not_json),
        cmocka_unit_test(test_err_top_level_array),
        cmocka_unit_test(test_err_unknown_field),
        cmocka_unit_test(test_err_duplicate_key),
        cmocka_unit_test(test_err_unknown_form),
        cmocka_unit_test(test_err_too_many_answers),
        cmocka_unit_test(test_err_out_of_range),
        cmocka_unit_test(test_err_bad_code),
        cmocka_unit_test(test_err_item5_not_asked),
        cmocka_unit_test(test_err_unknown_concern),
        cmocka_unit_test(test_err_preferences),
        cmocka_unit_test(test_err_language),
        cmocka_unit_test(test_err_too_large),
        cmocka_unit_test(test_salvage_bad_item_keeps_item9),
        cmocka_unit_test(test_salvage_misspelt_and_long_form),
        cmocka_unit_test(test_salvage_quiet_when_low),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
