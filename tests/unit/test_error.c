/* Unit tests of the error type (core/base/error.h): kind and message set together, truncation, prefixing,
 * clearing, copying, and a NULL error that is ignored. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "error.h"

static void zero_is_no_error(void **state) {
    (void)state;
    error e = {0};
    assert_int_equal(e.kind, ERR_NONE);
    assert_false(error_failed(&e));
    assert_string_equal(e.msg, "");
}

static void set_gives_kind_and_formatted_text(void **state) {
    (void)state;
    error e = {0};
    error_set(&e, ERR_DENIED, "denied: a %s may not %s", "volunteer", "erase");
    assert_int_equal(e.kind, ERR_DENIED);
    assert_true(error_failed(&e));
    assert_string_equal(e.msg, "denied: a volunteer may not erase");
    error_set(&e, ERR_NOT_FOUND, "no client %d", 7);
    assert_int_equal(e.kind, ERR_NOT_FOUND);
    assert_string_equal(e.msg, "no client 7");
}

static void long_text_is_cut_to_fit(void **state) {
    (void)state;
    static char big[ERROR_MSG_SIZE * 2];
    memset(big, 'x', sizeof big - 1);
    error e = {0};
    error_set(&e, ERR_INPUT, "%s", big);
    assert_int_equal(strlen(e.msg), ERROR_MSG_SIZE - 1);
}

static void prefix_keeps_kind_and_message(void **state) {
    (void)state;
    error e = {0};
    error_set(&e, ERR_STORE, "cannot read staff");
    error_prefix(&e, "%s: ", "/tmp/x.db");
    assert_int_equal(e.kind, ERR_STORE);
    assert_string_equal(e.msg, "/tmp/x.db: cannot read staff");
}

static void prefix_cuts_the_tail_when_full(void **state) {
    (void)state;
    static char big[ERROR_MSG_SIZE];
    memset(big, 'm', sizeof big - 1);
    error e = {0};
    error_set(&e, ERR_INPUT, "%s", big);
    error_prefix(&e, "head: ");
    assert_int_equal(strlen(e.msg), ERROR_MSG_SIZE - 1);
    assert_memory_equal(e.msg, "head: mmm", 9);
}

static void set_kind_clear_and_copy(void **state) {
    (void)state;
    error a = {0}, b = {0};
    error_set(&a, ERR_INPUT, "no intake %s", "abc");
    error_set_kind(&a, ERR_NOT_FOUND);
    assert_int_equal(a.kind, ERR_NOT_FOUND);
    assert_string_equal(a.msg, "no intake abc");
    error_copy(&b, &a);
    assert_int_equal(b.kind, ERR_NOT_FOUND);
    assert_string_equal(b.msg, "no intake abc");
    error_clear(&a);
    assert_false(error_failed(&a));
    assert_string_equal(a.msg, "");
}

static void null_error_is_ignored(void **state) {
    (void)state;
    error_set(NULL, ERR_STORE, "nobody reads this %d", 1);
    error_prefix(NULL, "x");
    error_clear(NULL);
    error_set_kind(NULL, ERR_IO);
    assert_false(error_failed(NULL));
}

static void every_kind_has_a_name(void **state) {
    (void)state;
    for (int k = 0; k < ERR_KIND_COUNT; k++) {
        assert_non_null(error_kind_name((error_kind)k));
        assert_string_not_equal(error_kind_name((error_kind)k), "unknown");
    }
    assert_string_equal(error_kind_name(ERR_DENIED), "denied");
    assert_string_equal(error_kind_name(ERR_KIND_COUNT), "unknown");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zero_is_no_error),
        cmocka_unit_test(set_gives_kind_and_formatted_text),
        cmocka_unit_test(long_text_is_cut_to_fit),
        cmocka_unit_test(prefix_keeps_kind_and_message),
        cmocka_unit_test(prefix_cuts_the_tail_when_full),
        cmocka_unit_test(set_kind_clear_and_copy),
        cmocka_unit_test(null_error_is_ignored),
        cmocka_unit_test(every_kind_has_a_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
