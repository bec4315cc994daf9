/* Unit tests of form loading and checking: the shipped forms load cleanly, and every class of error in a
 * form file is reported as `file:line: section.key: message` with nothing loaded.
 * Fixtures live in tests/fixtures/forms/: valid/ holds two good forms (minimal.ini is the base every
 * broken/ fixture differs from by one change), broken/ one file per error class, empty/ no *.ini file,
 * mixed/ one good and one bad form. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "form.h"

#define FIX "tests/fixtures/forms/"
#define BROKEN FIX "broken/"

static void print_diags(const diag *d) {
    char buf[2048];
    for (int i = 0; i < d->n; i++) {
        diag_format(d, i, buf, sizeof buf);
        print_message("    diag %d: %s\n", i, buf);
    }
}

/* Index of the entry with this file, line, key (NULL: no key) and a message containing msg, or -1. */
static int find_diag(const diag *d, const char *file, int line, const char *key, const char *msg) {
    for (int i = 0; i < d->n; i++) {
        const diag_entry *e = &d->v[i];
        if (strcmp(e->file, file) != 0 || e->line != line) continue;
        if (key ? (!e->key || strcmp(e->key, key) != 0) : e->key != NULL) continue;
        if (!strstr(e->msg, msg)) continue;
        return i;
    }
    return -1;
}

/* Loads path, expects NULL and a diagnostic (file = path, line, key, message substring). expect_n > 0: the
 * exact number of diagnostics; 0: any number. */
static void expect_broken(const char *path, int line, const char *key, const char *msg, int expect_n) {
    diag d = {0};
    form *f = form_load(path, &d);
    if (f) {
        form_free(f);
        diag_free(&d);
        fail_msg("%s loaded, but it has an error (%s: %s)", path, key ? key : "", msg);
    }
    int i = find_diag(&d, path, line, key, msg);
    if (i < 0 || (expect_n > 0 && d.n != expect_n)) {
        print_message("  %s: expected %d diagnostic(s) incl. line %d, key %s, message containing \"%s\"; got:\n",
                      path, expect_n, line, key ? key : "(none)", msg);
        print_diags(&d);
        diag_free(&d);
        fail_msg("diagnostic not as expected for %s", path);
    }
    assert_false(d.v[i].warning);
    assert_true(d.errors >= 1);
    diag_free(&d);
}

/* ---- the shipped forms ---- */

static void test_shipped_forms_load_clean(void **state) {
    (void)state;
    diag d = {0};
    formset fs;
    bool ok = formset_load(&fs, "forms", &d);
    if (d.n) print_diags(&d);
    assert_true(ok);
    assert_int_equal(d.n, 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(fs.n, 8);
    /* sorted by file name */
    static const char *const ids[] = {"asq", "caller", "gad2", "gad7", "intake", "k6", "phq2", "phq9"};
    for (int i = 0; i < 8; i++) {
        assert_string_equal(fs.v[i]->id, ids[i]);
        assert_int_equal(formset_index(&fs, ids[i]), i);
        assert_ptr_equal(formset_find(&fs, ids[i]), fs.v[i]);
    }
    assert_null(formset_find(&fs, "cssrs"));
    assert_int_equal(formset_index(&fs, "phq"), -1);
    assert_string_equal(fs.dir, "forms");
    /* a few facts that must hold for the loaded data */
    const form *phq9 = formset_find(&fs, "phq9");
    assert_int_equal(phq9->n_items, 10);
    assert_true(phq9->has_total);
    assert_false(phq9->rule_bands);
    assert_int_equal(phq9->max_total, 27);
    assert_int_equal(phq9->kind, FORM_SCORED);
    const form *asq = formset_find(&fs, "asq");
    assert_false(asq->has_total);
    assert_true(asq->rule_bands);
    assert_int_equal(asq->n_bands, 3);
    const form *intake = formset_find(&fs, "intake");
    assert_int_equal(intake->kind, FORM_RECORD);
    assert_int_equal(intake->n_bands, 0);
    formset_free(&fs);
    assert_int_equal(fs.n, 0);
    assert_null(fs.v);
    diag_free(&d);
}

static void test_each_shipped_form_loads_alone(void **state) {
    (void)state;
    static const char *const ids[] = {"phq9", "gad7", "asq", "phq2", "gad2", "k6", "intake"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "forms/%s.ini", ids[i]);
        diag d = {0};
        form *f = form_load(path, &d);
        if (!f) print_diags(&d);
        assert_non_null(f);
        assert_int_equal(d.n, 0);
        assert_string_equal(f->id, ids[i]);
        assert_string_equal(f->path, path);
        assert_non_null(f->title[LANG_EN]);
        assert_non_null(f->title[LANG_ZH]);
        for (int k = 0; k < f->n_items; k++) {
            assert_non_null(f->items[k].text[LANG_EN]);
            assert_non_null(f->items[k].text[LANG_ZH]);
        }
        form_free(f);
        diag_free(&d);
    }
}

/* ---- the valid fixtures (the base of the broken ones) ---- */

static void test_valid_fixtures_load(void **state) {
    (void)state;
    diag d = {0};
    form *f = form_load(FIX "valid/minimal.ini", &d);
    if (!f) print_diags(&d);
    assert_non_null(f);
    assert_int_equal(d.n, 0);
    assert_string_equal(f->id, "minimal");
    assert_int_equal(f->n_items, 2);
    assert_int_equal(f->n_bands, 2);
    assert_int_equal(f->max_total, 6);
    assert_int_equal(f->bands[1].min, 3);
    assert_int_equal(f->bands[1].max, 6);
    assert_true(f->bands[1].positive);
    assert_true(f->items[1].safety);
    assert_string_equal(f->items[1].flag, "item2"); /* default flag name: the item id */
    form_free(f);

    f = form_load(FIX "valid/rules.ini", &d);
    if (!f) print_diags(&d);
    assert_non_null(f);
    assert_int_equal(d.n, 0);
    assert_true(f->rule_bands);
    assert_false(f->has_total);
    assert_null(f->bands[0].when);
    assert_non_null(f->bands[1].when);
    assert_false(f->items[0].score);
    form_free(f);

    formset fs;
    assert_true(formset_load(&fs, FIX "valid", &d));
    assert_int_equal(d.n, 0);
    assert_int_equal(fs.n, 2);
    assert_string_equal(fs.v[0]->id, "minimal");
    assert_string_equal(fs.v[1]->id, "rules");
    formset_free(&fs);
    diag_free(&d);
}

/* ---- one error class per fixture ---- */

static void test_unknown_key(void **state) {
    (void)state;
    expect_broken(BROKEN "unknown_key.ini", 5, "form.colour", "unknown key", 1);
}

static void test_unknown_section(void **state) {
    (void)state;
    expect_broken(BROKEN "unknown_section.ini", 55, "extra", "unknown section", 1);
}

static void test_missing_language(void **state) {
    (void)state;
    /* the key is absent, so the line is that of its section header */
    expect_broken(BROKEN "missing_zh.ini", 2, "form.title.zh", "missing text for language zh", 1);
}

static void test_duplicate_item_in_list(void **state) {
    (void)state;
    expect_broken(BROKEN "dup_item.ini", 14, "form.items", "duplicate item `item1`", 1);
}

static void test_duplicate_key(void **state) {
    (void)state;
    expect_broken(BROKEN "dup_key.ini", 33, "item.item1.text.en", "duplicate key (first at line 30)", 1);
}

static void test_duplicate_section(void **state) {
    (void)state;
    expect_broken(BROKEN "dup_section.ini", 55, "band.low", "duplicate section (first at line 41)", 1);
}

static void test_band_gap(void **state) {
    (void)state;
    expect_broken(BROKEN "band_gap.ini", 48, "band.high.min", "gap: no band covers totals from 3", 1);
}

static void test_band_overlap(void **state) {
    (void)state;
    expect_broken(BROKEN "band_overlap.ini", 48, "band.high.min", "overlaps the band before it (expected 3)", 1);
}

static void test_band_beyond_max_total(void **state) {
    (void)state;
    expect_broken(BROKEN "band_beyond.ini", 49, "band.high.max", "beyond the highest possible total, 6", 1);
}

static void test_show_if_missing_item(void **state) {
    (void)state;
    expect_broken(BROKEN "show_if_missing.ini", 40, "item.item2.show_if",
                  "refers to `nosuch`, which is not an item of this form", 1);
}

static void test_show_if_later_item(void **state) {
    (void)state;
    expect_broken(BROKEN "show_if_later.ini", 33, "item.item1.show_if",
                  "refers to `item2`, which is not asked before this item", 1);
}

static void test_safety_min_out_of_range(void **state) {
    (void)state;
    expect_broken(BROKEN "safety_min_range.ini", 39, "item.item2.safety_min",
                  "must be above the scale's lowest value and at most its highest", 1);
}

static void test_number_not_a_number(void **state) {
    (void)state;
    expect_broken(BROKEN "band_not_number.ini", 42, "band.low.min", "`abc` is not a whole number", 1);
}

static void test_also_other_choice(void **state) {
    (void)state;
    /* an alternate answer code that is another choice's would read one answer as another */
    expect_broken(BROKEN "also_other_choice.ini", 34, "item.item1.answer_loinc_also",
                  "`LA6570-1` is the code of another choice (2)", 1);
}

static void test_unknown_scale(void **state) {
    (void)state;
    expect_broken(BROKEN "unknown_scale.ini", 32, "item.item1.scale", "no [scale.nosuch] in this file", 1);
}

static void test_id_not_file_name(void **state) {
    (void)state;
    expect_broken(BROKEN "id_mismatch.ini", 3, "form.id", "`other` differs from the file name `id_mismatch.ini`", 1);
}

static void test_invalid_utf8(void **state) {
    (void)state;
    expect_broken(BROKEN "bad_utf8.ini", 7, NULL, "line is not valid UTF-8 text", 1);
}

static void test_line_too_long(void **state) {
    (void)state;
    /* iniparser may add its own report of the same line; ours must be there */
    expect_broken(BROKEN "long_line.ini", 10, NULL, "line is longer than 1023 bytes", 0);
}

static void test_line_without_equals(void **state) {
    (void)state;
    expect_broken(BROKEN "no_equals.ini", 5, NULL, "expected `key = value` or `[section]`", 0);
}

static void test_rule_bands_two_defaults(void **state) {
    (void)state;
    expect_broken(BROKEN "two_defaults.ini", 16, "form.bands",
                  "exactly one band must have no `when` (the default), found several", 1);
}

static void test_missing_form_section(void **state) {
    (void)state;
    expect_broken(BROKEN "no_form.ini", 0, "form", "missing [form] section", 1);
}

static void test_missing_file(void **state) {
    (void)state;
    const char *path = FIX "does_not_exist.ini";
    diag d = {0};
    assert_null(form_load(path, &d));
    assert_int_equal(d.n, 1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[0].file, path);
    assert_int_equal(d.v[0].line, 0);
    assert_null(d.v[0].key);
    assert_non_null(strstr(d.v[0].msg, "cannot be read"));
    char buf[512];
    diag_format(&d, 0, buf, sizeof buf);
    assert_string_equal(buf, "tests/fixtures/forms/does_not_exist.ini: cannot be read: No such file or directory");
    diag_free(&d);
}

/* Every broken fixture fails inside a directory too (formset_load stops at nothing, loads nothing). */
static void test_broken_directory_loads_nothing(void **state) {
    (void)state;
    diag d = {0};
    formset fs;
    assert_false(formset_load(&fs, FIX "broken", &d));
    assert_int_equal(fs.n, 0);
    assert_null(fs.v);
    /* 21 files, each with at least one error */
    assert_true(d.errors >= 21);
    static const char *const names[] = {"also_other_choice", "bad_utf8", "band_beyond", "band_gap", "band_not_number", "band_overlap",
        "dup_item", "dup_key", "dup_section", "id_mismatch", "long_line", "missing_zh", "no_equals", "no_form",
        "safety_min_range", "show_if_later", "show_if_missing", "two_defaults", "unknown_key", "unknown_scale",
        "unknown_section"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, FIX "broken/%s.ini", names[k]);
        bool seen = false;
        for (int i = 0; i < d.n && !seen; i++) seen = strcmp(d.v[i].file, path) == 0;
        if (!seen) fail_msg("no diagnostic for %s", path);
    }
    diag_free(&d);
}

static void test_no_form_files(void **state) {
    (void)state;
    /* a directory with files, none of them *.ini */
    diag d = {0};
    formset fs;
    assert_false(formset_load(&fs, FIX "empty", &d));
    assert_int_equal(fs.n, 0);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, FIX "empty");
    assert_non_null(strstr(d.v[0].msg, "no form files"));
    diag_free(&d);

    /* a really empty directory */
    const char *tmp = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/triage-test-forms.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    bool ok = formset_load(&fs, dir, &d);
    rmdir(dir);
    assert_false(ok);
    assert_int_equal(fs.n, 0);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, dir);
    assert_non_null(strstr(d.v[0].msg, "no form files"));
    diag_free(&d);
}

static void test_missing_directory(void **state) {
    (void)state;
    diag d = {0};
    formset fs;
    assert_false(formset_load(&fs, FIX "no_such_dir", &d));
    assert_int_equal(fs.n, 0);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, FIX "no_such_dir");
    assert_non_null(strstr(d.v[0].msg, "cannot open the forms directory"));
    diag_free(&d);
}

static void test_one_bad_file_loads_nothing(void **state) {
    (void)state;
    diag d = {0};
    formset fs;
    assert_false(formset_load(&fs, FIX "mixed", &d));
    assert_int_equal(fs.n, 0);
    assert_null(fs.v);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, FIX "mixed/bad.ini");
    assert_int_equal(d.v[0].line, 5);
    assert_string_equal(d.v[0].key, "form.colour");
    /* the good file on its own is fine */
    form *f = form_load(FIX "mixed/good.ini", &d);
    assert_non_null(f);
    assert_int_equal(d.n, 1);
    form_free(f);
    diag_free(&d);
}

/* ---- diag_format ---- */

static void test_diag_format_exact(void **state) {
    (void)state;
    diag d = {0};
    assert_null(form_load(BROKEN "unknown_key.ini", &d));
    assert_int_equal(d.n, 1);
    char buf[512];
    diag_format(&d, 0, buf, sizeof buf);
    assert_string_equal(buf, "tests/fixtures/forms/broken/unknown_key.ini:5: form.colour: unknown key");
    diag_free(&d);

    /* no key: `file:line: message` */
    assert_null(form_load(BROKEN "bad_utf8.ini", &d));
    int i = find_diag(&d, BROKEN "bad_utf8.ini", 7, NULL, "UTF-8");
    assert_true(i >= 0);
    diag_format(&d, i, buf, sizeof buf);
    assert_string_equal(buf, "tests/fixtures/forms/broken/bad_utf8.ini:7: line is not valid UTF-8 text");
    diag_free(&d);

    /* a warning says so; a small buffer is truncated, never overrun */
    diag_add(&d, "x.ini", 3, "form.id", true, "looks %s", "odd");
    assert_int_equal(d.errors, 0);
    diag_format(&d, 0, buf, sizeof buf);
    assert_string_equal(buf, "x.ini:3: form.id: warning: looks odd");
    char small[8];
    memset(small, 'Z', sizeof small);
    diag_format(&d, 0, small, 6);
    assert_string_equal(small, "x.ini");
    assert_int_equal(small[6], 'Z');
    diag_free(&d);
    assert_int_equal(d.n, 0);
    assert_null(d.v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_forms_load_clean),
        cmocka_unit_test(test_each_shipped_form_loads_alone),
        cmocka_unit_test(test_valid_fixtures_load),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_unknown_section),
        cmocka_unit_test(test_missing_language),
        cmocka_unit_test(test_duplicate_item_in_list),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_duplicate_section),
        cmocka_unit_test(test_band_gap),
        cmocka_unit_test(test_band_overlap),
        cmocka_unit_test(test_band_beyond_max_total),
        cmocka_unit_test(test_show_if_missing_item),
        cmocka_unit_test(test_show_if_later_item),
        cmocka_unit_test(test_safety_min_out_of_range),
        cmocka_unit_test(test_number_not_a_number),
        cmocka_unit_test(test_unknown_scale),
        cmocka_unit_test(test_also_other_choice),
        cmocka_unit_test(test_id_not_file_name),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_line_too_long),
        cmocka_unit_test(test_line_without_equals),
        cmocka_unit_test(test_rule_bands_two_defaults),
        cmocka_unit_test(test_missing_form_section),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_broken_directory_loads_nothing),
        cmocka_unit_test(test_no_form_files),
        cmocka_unit_test(test_missing_directory),
        cmocka_unit_test(test_one_bad_file_loads_nothing),
        cmocka_unit_test(test_diag_format_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
