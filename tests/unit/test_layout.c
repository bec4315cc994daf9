/* The front desk's layout at the sizes the issue names: 80x24 (the minimum), 60x20 (too small), 200x60. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../tui/layout.h"

static void inside(rect r, int rows, int cols) {
    assert_true(r.y >= 0 && r.x >= 0 && r.h > 0 && r.w > 0);
    assert_true(r.y + r.h <= rows && r.x + r.w <= cols);
}

static void no_overlap(rect a, rect b) {
    bool apart = a.y + a.h <= b.y || b.y + b.h <= a.y || a.x + a.w <= b.x || b.x + b.w <= a.x;
    assert_true(apart);
}

static void test_minimum_80x24(void **state) {
    (void)state;
    layout l = layout_for(24, 80);
    assert_false(l.too_small);
    inside(l.header, 24, 80);
    inside(l.footer, 24, 80);
    inside(l.question, 24, 80);
    inside(l.panel, 24, 80);
    no_overlap(l.question, l.panel);
    no_overlap(l.header, l.body);
    /* narrow: the panel sits below the question, both full width */
    assert_int_equal(l.question.w, 80);
    assert_int_equal(l.panel.w, 80);
    assert_true(l.panel.y >= l.question.y + l.question.h);
    assert_true(l.question.h >= 10); /* room for a question and four answers */
    assert_true(l.panel.h >= 8);     /* level, reasons, counselors */
    assert_int_equal(l.footer.y, 23);
}

static void test_too_small_60x20(void **state) {
    (void)state;
    assert_true(layout_for(20, 60).too_small);
    assert_true(layout_for(24, 79).too_small);
    assert_true(layout_for(23, 80).too_small);
}

static void test_large_200x60(void **state) {
    (void)state;
    layout l = layout_for(60, 200);
    assert_false(l.too_small);
    inside(l.question, 60, 200);
    inside(l.panel, 60, 200);
    no_overlap(l.question, l.panel);
    /* wide: side by side, using the whole body height and width */
    assert_int_equal(l.question.y, l.panel.y);
    assert_int_equal(l.question.w + l.panel.w, 200);
    assert_int_equal(l.question.h, 58);
    assert_true(l.question.w > l.panel.w);
}

static void test_side_panel_threshold(void **state) {
    (void)state;
    layout narrow = layout_for(30, UI_SIDE_PANEL_COLS - 1), wide = layout_for(30, UI_SIDE_PANEL_COLS);
    assert_true(narrow.panel.y > narrow.question.y);
    assert_int_equal(wide.panel.y, wide.question.y);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimum_80x24),
        cmocka_unit_test(test_too_small_60x20),
        cmocka_unit_test(test_large_200x60),
        cmocka_unit_test(test_side_panel_threshold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
