/* Unit tests of the underflow check (core/base/json_numbers.h): a number whose digits are not all zero but which a
 * double holds as 0 is found, with its line and column; numbers in strings, zeros written any way, and numbers a
 * double holds (subnormal ones too) are not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "json_numbers.h"

static void finds(const char *text, int want_line, int want_column, const char *want_token) {
    int line = 0, column = 0;
    char token[48] = "";
    if (!json_number_underflows(text, strlen(text), &line, &column, token, sizeof token))
        fail_msg("no underflow found in %s", text);
    if (line != want_line || column != want_column || strcmp(token, want_token) != 0)
        fail_msg("%s: found '%s' at %d:%d, expected '%s' at %d:%d", text, token, line, column, want_token, want_line,
                 want_column);
}

static void none(const char *text) {
    int line = 0, column = 0;
    char token[48] = "";
    if (json_number_underflows(text, strlen(text), &line, &column, token, sizeof token))
        fail_msg("%s: '%s' at %d:%d taken for an underflow", text, token, line, column);
}

static void too_small_numbers_are_found(void **state) {
    (void)state;
    finds("{\"valueDecimal\":1e-400}", 1, 17, "1e-400");
    finds("[0, -2.5E-999]", 1, 5, "-2.5E-999");
    finds("{\n  \"a\": [1,\n    1e-330]\n}", 3, 5, "1e-330");
    char long_zero[400]; /* 0.000...0001e-300: its digits say not zero, a double says 0 */
    snprintf(long_zero, sizeof long_zero, "[0.%0200d1e-300]", 0);
    finds(long_zero, 1, 2, "0.00000000000000000000000000000000000000...");
}

static void others_are_not(void **state) {
    (void)state;
    none("{\"a\": 0, \"b\": 0.0, \"c\": -0, \"d\": 0e-400, \"e\": 0.000e+5}");
    none("{\"a\": 1e-320}");              /* subnormal: not 0, read as what it is */
    none("{\"a\": 1e400}");               /* too large: jansson refuses it itself */
    none("{\"text\": \"1e-400\"}");       /* in a string */
    none("{\"text\": \"say \\\"1e-400\\\"\", \"n\": 3}"); /* escaped quotes do not end the string */
    none("{\"a\": 0.0000000000000000000000000000001}");
    char long_fraction[400]; /* 0.000...0001: 1e-201, held */
    snprintf(long_fraction, sizeof long_fraction, "[0.%0200d1]", 0);
    none(long_fraction);
    none("");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(too_small_numbers_are_found),
        cmocka_unit_test(others_are_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
