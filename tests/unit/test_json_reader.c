/* Unit tests of the export's body reader (core/exchange/json_reader.h): whatever it reads, json_loadb (flags 0)
 * reads the same values, with the members in the same order and integers and reals apart, and what it leaves
 * to jansson (\u escapes, bytes jansson refuses, numbers out of range, malformed text) jr_loadb still gives as
 * jansson does. Hand-written cases, jansson's own texts of random values, and random damage to them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"

#define DUMP (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17))

/* The reader's value and jansson's for text[0..n): the same, or the reader declines (then jr_loadb is
 * jansson's). Returns whether the reader took it. */
static bool same_as_jansson(const char *text, size_t n) {
    json_error_t je;
    json_t *want = json_loadb(text, n, 0, &je), *got = jr_read_plain(text, n), *via = jr_loadb(text, n);
    bool took = got != NULL;
    if (got) {
        if (!want) fail_msg("the reader took what jansson refuses: %.*s (%s)", (int)n, text, je.text);
        char *a = json_dumps(got, DUMP), *b = json_dumps(want, DUMP);
        if (!json_equal(got, want) || strcmp(a, b) != 0) fail_msg("read %s, jansson reads %s", a, b);
        free(a);
        free(b);
    }
    if ((via == NULL) != (want == NULL) || (via && !json_equal(via, want)))
        fail_msg("jr_loadb differs from jansson on %.*s", (int)n, text);
    json_decref(want);
    json_decref(got);
    json_decref(via);
    return took;
}

static bool same(const char *text) { return same_as_jansson(text, strlen(text)); }

static void plain_json_read_as_jansson(void **state) {
    (void)state;
    static const char *const taken[] = {
        "{}", "[]", " { } ", "\t[\r\n]\n", "{\"a\":1}", "[1,-2,0,-0,3.5,-0.25,1e3,1E-3,2.5e+10,9223372036854775807]",
        "[-9223372036854775808]", "{\"a\":true,\"b\":false,\"c\":null,\"d\":\"x\"}", "[[[[]]],{\"a\":{\"b\":[{}]}}]",
        "{\"q\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}", "{\"k\\n\":\"v\"}", "{\"zh\":\"\xe4\xb8\xad\xe6\x96\x87\","
        "\"emoji\":\"\xf0\x9f\x98\x80\",\"ls\":\"\xe2\x80\xa8\"}", "{\"b\":1,\"a\":2,\"b\":3}", "{\"\":\"\"}",
        "[1.7976931348623157e308,4.9e-324,1e-400,0.1,123456789.123456789]", "[\"\x7f\"]",
        "{\"input\":{\"concerns\":[\"emotional\"],\"answers\":{\"phq9\":[1,1,1,1,1,1,1,1,0,\"somewhat\"]}},"
        "\"assessment\":{\"level\":\"green\",\"reasons\":[],\"scores\":{},\"matches\":[{\"score\":0.875}],\"matching\":{}}}"};
    for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
        if (!same(taken[i])) fail_msg("the reader left to jansson: %s", taken[i]);
    /* left to jansson, whatever jansson then makes of them */
    static const char *const declined[] = {
        "", " ", "1", "\"s\"", "null", "{", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[+1]",
        "{\"a\"}", "{a:1}", "[tru]", "[truex]", "[nul]", "[1 2]", "{} x", "{}}", "[\"\\u00e9\"]", "[\"\\u0000\"]",
        "{\"\\u0041\":1}", "[\"\\x\"]", "[\"a\tb\"]", "[\"\xc0\xaf\"]", "[\"\xed\xa0\x80\"]", "[\"\xf5\x80\x80\x80\"]",
        "[\"\xe4\xb8\"]", "[\"abc", "[9223372036854775808]", "[-9223372036854775809]", "[1e400]", "[-1e400]",
        "\xef\xbb\xbf{}", "[\xe4\xb8\xad]", "[NaN]", "[Infinity]"};
    for (size_t i = 0; i < sizeof declined / sizeof *declined; i++)
        if (same(declined[i])) fail_msg("the reader took: %s", declined[i]);
    char deep[2 * (JR_MAX_DEPTH + 1) + 1];
    memset(deep, '[', JR_MAX_DEPTH + 1);
    memset(deep + JR_MAX_DEPTH + 1, ']', JR_MAX_DEPTH + 1);
    deep[sizeof deep - 1] = '\0';
    if (same(deep)) fail_msg("the reader took nesting deeper than %d", JR_MAX_DEPTH);
    deep[JR_MAX_DEPTH] = ' ', deep[JR_MAX_DEPTH + 1] = ' ';
    if (!same(deep)) fail_msg("the reader left %d levels to jansson", JR_MAX_DEPTH);
    /* a NUL inside the text: jansson refuses it, in a string or out */
    assert_false(same_as_jansson("[\"a\0b\"]", 7));
    assert_false(same_as_jansson("[1]\0", 4));
}

/* Reals read in the C locale whatever the program's (a desk's locale may write 0,5). */
static void reals_whatever_the_locale(void **state) {
    (void)state;
    const char *was = setlocale(LC_NUMERIC, NULL);
    char saved[64];
    snprintf(saved, sizeof saved, "%s", was ? was : "C");
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
        assert_true(same("[0.5,1.25e2,-3.75]"));
    setlocale(LC_NUMERIC, saved);
}

static uint64_t rng = 0x243f6a8885a308d3u;
static unsigned rnd(unsigned n) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void random_string(char *s, size_t size) {
    static const char *const parts[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f", "\x7f", "é",
                                        "中", "😀", "\xe2\x80\xa8", "phq9", "0", "{", "]", ","};
    size_t n = 0, k = rnd(12);
    s[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        const char *p = parts[rnd(sizeof parts / sizeof *parts)];
        if (n + strlen(p) + 1 >= size) break;
        strcpy(s + n, p);
        n += strlen(p);
    }
}

static json_t *random_value(int depth) {
    char s[64];
    switch (depth > 4 ? rnd(6) : rnd(8)) {
    case 0: return json_integer((json_int_t)((int64_t)rng >> rnd(64)));
    case 1: return json_real((double)(int64_t)(rng >> 11) / (double)(1 + rnd(100000)) * (rnd(2) ? 1e-9 : 1e9));
    case 2: random_string(s, sizeof s); return json_string(s);
    case 3: return json_true();
    case 4: return json_false();
    case 5: return json_null();
    case 6: {
        json_t *a = json_array();
        for (unsigned i = rnd(5); i > 0; i--) json_array_append_new(a, random_value(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (unsigned i = rnd(5); i > 0; i--) {
            random_string(s, sizeof s);
            json_object_set_new(o, s, random_value(depth + 1));
        }
        return o;
    }
    }
}

/* jansson's texts of random values (compact, indented, ASCII-escaped), each then damaged at random. */
static void random_texts_as_jansson(void **state) {
    (void)state;
    static const size_t flags[] = {JSON_COMPACT, JSON_INDENT(2), JSON_ENSURE_ASCII | JSON_COMPACT,
                                   JSON_COMPACT | JSON_REAL_PRECISION(6)};
    int taken = 0, damaged_taken = 0;
    for (int i = 0; i < 3000; i++) {
        json_t *v = rnd(2) ? json_object() : json_array();
        for (unsigned k = rnd(6); k > 0; k--) {
            json_t *e = random_value(1);
            if (json_is_object(v)) {
                char key[64];
                random_string(key, sizeof key);
                json_object_set_new(v, key, e);
            } else {
                json_array_append_new(v, e);
            }
        }
        char *text = json_dumps(v, flags[rnd(4)] | JSON_PRESERVE_ORDER);
        json_decref(v);
        assert_non_null(text);
        taken += same(text);
        size_t n = strlen(text);
        for (int d = 0; d < 8 && n; d++) {
            char *bad = malloc(n + 1);
            memcpy(bad, text, n + 1);
            static const char junk[] = "{}[]\",:\\-.0123456789eEtrufalsn \x01\x80\xc3";
            for (unsigned k = 1 + rnd(3); k > 0; k--) bad[rnd((unsigned)n)] = junk[rnd(sizeof junk - 1)];
            damaged_taken += same_as_jansson(bad, rnd(4) ? n : rnd((unsigned)n + 1));
            free(bad);
        }
        free(text);
    }
    /* the reader's point is to take nearly every body: these texts hold \u escapes (control bytes, ASCII-escaped
     * ones) more often than bodies, yet it takes about half of them, and some hundreds of the damaged ones */
    assert_true(taken > 1000);
    assert_true(damaged_taken > 100);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_json_read_as_jansson),
        cmocka_unit_test(reals_whatever_the_locale),
        cmocka_unit_test(random_texts_as_jansson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
