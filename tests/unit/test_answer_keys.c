/* Which digit answers which option (core/clinical/answer_keys.h), on every shipped form: the number drawn beside
 * an option is exactly the key that picks it; a scored item is keyed by its score (a PHQ-9 copied from
 * paper digit for digit), every other list from 1; no two options share a key; an option no digit
 * reaches (the 10th to 12th presenting concerns) is left to the arrows and Space; the choice follows the
 * form's data (total = sum, score = no), never its id. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer_keys.h"
#include "form.h"

static formset fs;

static int setup(void **state) {
    (void)state;
    diag d = {0};
    bool ok = formset_load(&fs, "forms", &d);
    if (!ok || d.n) diag_print(&d, stderr);
    int n = d.n;
    diag_free(&d);
    return ok && n == 0 && fs.n >= 7 ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    formset_free(&fs);
    return 0;
}

static const form *shipped(const char *id) {
    const form *f = formset_find(&fs, id);
    if (!f) fail_msg("forms/%s.ini is not loaded", id);
    return f;
}

static int item_of(const form *f, const char *id) {
    int i = form_item_index(f, id);
    if (i < 0) fail_msg("%s has no item %s", f->id, id);
    return i;
}

/* Every option of every choice list of every shipped form: its key picks it back, no two options share
 * a key, and every digit picks either nothing or the option it is printed beside. */
static void every_key_picks_the_option_it_is_printed_beside(void **state) {
    (void)state;
    int lists = 0;
    for (int k = 0; k < fs.n; k++) {
        const form *f = fs.v[k];
        for (int i = 0; i < f->n_items; i++) {
            const scale *s = form_item_scale(f, i);
            if (!s) continue;
            lists++;
            bool used[10] = {false};
            for (int c = 0; c < s->n; c++) {
                int key = answer_key_for_choice(f, i, c);
                if (key < 0) {
                    /* only a list longer than nine leaves options to the arrows */
                    if (s->n <= 9) fail_msg("%s.%s option %d has no key", f->id, f->items[i].id, c + 1);
                    continue;
                }
                assert_in_range(key, 0, 9);
                if (used[key]) fail_msg("%s.%s: two options on key %d", f->id, f->items[i].id, key);
                used[key] = true;
                assert_int_equal(answer_choice_for_key(f, i, key), c);
            }
            for (int d = 0; d <= 9; d++) {
                int c = answer_choice_for_key(f, i, d);
                if (c >= 0) assert_int_equal(answer_key_for_choice(f, i, c), d);
                else assert_false(used[d]);
            }
        }
    }
    assert_true(lists >= 30); /* the shipped forms were really walked */
}

/* A scored scale is keyed by the score printed beside each option: 0 is "Not at all". */
static void scored_items_are_keyed_by_their_score(void **state) {
    (void)state;
    static const struct {
        const char *form;
        int items, max;
    } scored[] = {{"phq9", 9, 3}, {"gad7", 7, 3}, {"phq2", 2, 3}, {"gad2", 2, 3}, {"k6", 6, 4}};
    for (size_t k = 0; k < sizeof scored / sizeof scored[0]; k++) {
        const form *f = shipped(scored[k].form);
        for (int i = 0; i < scored[k].items; i++) {
            char id[16];
            snprintf(id, sizeof id, "item%d", i + 1);
            int it = item_of(f, id);
            const scale *s = form_item_scale(f, it);
            assert_true(answer_keys_by_value(f, it));
            for (int c = 0; c < s->n; c++) assert_int_equal(answer_key_for_choice(f, it, c), s->choices[c].value);
            assert_int_equal(s->choices[answer_choice_for_key(f, it, 0)].value, 0);
            assert_int_equal(s->choices[answer_choice_for_key(f, it, scored[k].max)].value, scored[k].max);
            assert_int_equal(answer_choice_for_key(f, it, scored[k].max + 1), -1);
            int lo, hi;
            bool every;
            assert_true(answer_key_range(f, it, &lo, &hi, &every));
            assert_int_equal(lo, 0);
            assert_int_equal(hi, scored[k].max);
            assert_true(every);
        }
    }
}

/* A PHQ-9 copied from paper digit for digit: the keys 0 1 2 3 0 1 2 3 1 record those very scores. */
static void phq9_copied_from_paper_digit_for_digit(void **state) {
    (void)state;
    const form *f = shipped("phq9");
    static const int paper[9] = {0, 1, 2, 3, 0, 1, 2, 3, 1};
    int total = 0;
    for (int i = 0; i < 9; i++) {
        char id[16];
        snprintf(id, sizeof id, "item%d", i + 1);
        int it = item_of(f, id);
        int c = answer_choice_for_key(f, it, paper[i]);
        assert_true(c >= 0);
        total += form_item_scale(f, it)->choices[c].value;
    }
    assert_int_equal(total, 13);
}

/* Lists that are not scored count from 1, as shown: ASQ 1 No 2 Yes (no total), the PHQ-9 difficulty
 * (score = no), the intake's choices; 0 picks nothing there. */
static void other_lists_count_from_one(void **state) {
    (void)state;
    const form *asq = shipped("asq");
    for (int i = 0; i < asq->n_items; i++) {
        const scale *s = form_item_scale(asq, i);
        if (!s) continue;
        assert_false(answer_keys_by_value(asq, i));
        assert_string_equal(s->choices[answer_choice_for_key(asq, i, 1)].code, "no");
        assert_string_equal(s->choices[answer_choice_for_key(asq, i, 2)].code, "yes");
        assert_int_equal(answer_choice_for_key(asq, i, 0), -1);
    }
    const form *phq9 = shipped("phq9");
    int diff = item_of(phq9, "difficulty");
    assert_false(answer_keys_by_value(phq9, diff));
    assert_string_equal(form_item_scale(phq9, diff)->choices[answer_choice_for_key(phq9, diff, 1)].code, "not_difficult");
    assert_int_equal(answer_choice_for_key(phq9, diff, 0), -1);
    const form *intake = shipped("intake");
    int consent = item_of(intake, "consent");
    assert_string_equal(form_item_scale(intake, consent)->choices[answer_choice_for_key(intake, consent, 2)].code, "yes");
    assert_int_equal(answer_choice_for_key(intake, consent, 0), -1);
}

/* The 12 presenting concerns: 1-9 by digit; substance, self_harm and other by the arrows and Space. */
static void long_list_leaves_the_tenth_on_to_the_arrows(void **state) {
    (void)state;
    const form *f = shipped("intake");
    int it = item_of(f, "concerns");
    const scale *s = form_item_scale(f, it);
    assert_int_equal(s->n, 12);
    for (int c = 0; c < 9; c++) assert_int_equal(answer_key_for_choice(f, it, c), c + 1);
    static const char *const beyond[] = {"substance", "self_harm", "other"};
    for (int k = 0; k < 3; k++) {
        int c = scale_code_index(s, beyond[k]);
        assert_true(c >= 9);
        assert_int_equal(answer_key_for_choice(f, it, c), -1);
    }
    int lo, hi;
    bool every;
    assert_true(answer_key_range(f, it, &lo, &hi, &every));
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 9);
    assert_false(every); /* the help then names the arrows and Space */
}

/* Decided from the data: the PHQ-2's own file with its second item marked `score = no` keys that item
 * from 1, the first still by its score; the form id is the same. */
static void decided_from_the_data_not_the_form_id(void **state) {
    (void)state;
    size_t len;
    char *text = read_all("forms/phq2.ini", &len);
    const char *item2 = strstr(text, "[item.item2]\n");
    const char *band = strstr(text, "[band.positive]");
    assert_non_null(item2);
    assert_non_null(band);
    char buf[16384];
    /* item2 out of the total, so the positive band ends at the highest total left (3) */
    int n = snprintf(buf, sizeof buf, "%.*sscore = no\n%.*s[band.positive]\nmin = 3\nmax = 3\nlabel.en = \"p\"\n"
                     "label.zh = \"p\"\npositive = yes\n",
                     (int)(item2 - text + 13), text, (int)(band - item2 - 13), item2 + 13);
    free(text);
    assert_true(n > 0 && (size_t)n < sizeof buf);
    diag d = {0};
    form *f = form_load_buffer(buf, (size_t)n, "phq2.ini", &d);
    if (!f) diag_print(&d, stderr);
    assert_non_null(f);
    assert_true(answer_keys_by_value(f, 0));
    assert_int_equal(answer_key_for_choice(f, 0, 0), 0);
    assert_false(answer_keys_by_value(f, 1));
    assert_int_equal(answer_key_for_choice(f, 1, 0), 1);
    assert_int_equal(answer_choice_for_key(f, 1, 0), -1);
    form_free(f);
    diag_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_key_picks_the_option_it_is_printed_beside),
        cmocka_unit_test(scored_items_are_keyed_by_their_score),
        cmocka_unit_test(phq9_copied_from_paper_digit_for_digit),
        cmocka_unit_test(other_lists_count_from_one),
        cmocka_unit_test(long_list_leaves_the_tenth_on_to_the_arrows),
        cmocka_unit_test(decided_from_the_data_not_the_form_id),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
