/* Unit tests of the export's JSON writer (core/exchange/json_writer.h): what it writes is byte for byte what
 * jansson writes (JSON_COMPACT | JSON_PRESERVE_ORDER) for the same values, the strings of every byte below
 * 0x80, Chinese, emoji and U+2028 included, and structures of every kind; a string that is not UTF-8 still
 * gives valid JSON (U+FFFD for each bad byte). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "wipe_alloc.h"

/* jansson's text of one string value */
static char *jansson_string(const char *s) {
    json_t *v = json_string(s);
    assert_non_null(v);
    char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    json_decref(v);
    return t;
}

static void assert_string_as_jansson(const char *s) {
    csv_buf b;
    csv_init(&b);
    json_write_string(&b, s);
    char *want = jansson_string(s);
    if (strcmp(b.p, want) != 0) fail_msg("string written as %s, jansson writes %s", b.p, want);
    free(want);
    csv_free(&b);
}

static void strings_as_jansson_writes_them(void **state) {
    (void)state;
    char one[2] = {0, 0};
    for (int c = 1; c < 0x80; c++) { /* every ASCII byte on its own: the escapes and what is left as it is */
        one[0] = (char)c;
        assert_string_as_jansson(one);
    }
    char all[0x80];
    for (int c = 1; c < 0x80; c++) all[c - 1] = (char)c;
    all[0x7f] = '\0';
    assert_string_as_jansson(all);
    static const char *const texts[] = {"", "plain", "王, \"小明\"\n二行", "Back\\slash\tTab", "a/b </script>",
                                        "é ünï", "😀 emoji", "line\xe2\x80\xa8sep", "\x7f del", "\r\n\b\f",
                                        "ends with a quote\"", "\\", "urn:uuid:0e6f1c1a-0000-4000-8000-000000000000"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) assert_string_as_jansson(texts[i]);
}

/* Random strings made of pieces of every kind, against jansson. */
static void random_strings_as_jansson(void **state) {
    (void)state;
    static const char *const pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f", "\x7f", "é",
                                         "中", "文", "😀", "\xe2\x80\xa8", "{", "}", ",", ":", "0"};
    const size_t np = sizeof pieces / sizeof pieces[0];
    unsigned seed = 12345;
    char s[256];
    for (int round = 0; round < 3000; round++) {
        size_t n = 0;
        int len = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
        for (int k = 0; k < len; k++) {
            const char *p = pieces[((seed = seed * 1103515245u + 12345u) >> 16) % np];
            size_t pl = strlen(p);
            if (n + pl >= sizeof s) break;
            memcpy(s + n, p, pl);
            n += pl;
        }
        s[n] = '\0';
        assert_string_as_jansson(s);
    }
}

/* The same document written by the writer and built as a jansson tree, then dumped: the same bytes. */
static void structures_as_jansson_writes_them(void **state) {
    (void)state;
    csv_buf b;
    csv_init(&b);
    json_writer w;
    jw_init(&w, &b);
    jw_object(&w);
    jw_member_string(&w, "resourceType", "Observation");
    jw_member_string(&w, "absent", NULL); /* left out, as json_string(NULL) is */
    jw_key(&w, "empty_object");
    jw_object(&w);
    jw_object_end(&w);
    jw_key(&w, "empty_array");
    jw_array(&w);
    jw_array_end(&w);
    jw_key(&w, "list");
    jw_array(&w);
    jw_int(&w, 0);
    jw_int(&w, -7);
    jw_int(&w, LLONG_MAX);
    jw_int(&w, LLONG_MIN);
    jw_bool(&w, true);
    jw_bool(&w, false);
    jw_null(&w);
    jw_string(&w, NULL);
    jw_string(&w, "x\"y");
    jw_object(&w);
    jw_member_int(&w, "n", 3);
    jw_key(&w, "deep");
    jw_array(&w);
    jw_array(&w);
    jw_object(&w);
    jw_object_end(&w);
    jw_array_end(&w);
    jw_array_end(&w);
    jw_object_end(&w);
    jw_array_end(&w);
    json_t *stored = json_loads("{\"b\":[1,2.5,\"z\"],\"a\":{\"y\":null,\"x\":true}}", 0, NULL);
    jw_key(&w, "stored");
    jw_value(&w, stored, 0);
    jw_member_string(&w, "last", "end");
    jw_object_end(&w);
    assert_int_equal(w.depth, 0);

    json_t *o = json_object(), *list = json_array(), *inner = json_object(), *deep = json_array(), *d2 = json_array();
    json_object_set_new(o, "resourceType", json_string("Observation"));
    json_object_set_new(o, "absent", json_string(NULL));
    json_object_set_new(o, "empty_object", json_object());
    json_object_set_new(o, "empty_array", json_array());
    json_array_append_new(list, json_integer(0));
    json_array_append_new(list, json_integer(-7));
    json_array_append_new(list, json_integer(LLONG_MAX));
    json_array_append_new(list, json_integer(LLONG_MIN));
    json_array_append_new(list, json_true());
    json_array_append_new(list, json_false());
    json_array_append_new(list, json_null());
    json_array_append_new(list, json_null());
    json_array_append_new(list, json_string("x\"y"));
    json_object_set_new(inner, "n", json_integer(3));
    json_array_append_new(d2, json_object());
    json_array_append_new(deep, d2);
    json_object_set_new(inner, "deep", deep);
    json_array_append_new(list, inner);
    json_object_set_new(o, "list", list);
    json_object_set(o, "stored", stored);
    json_object_set_new(o, "last", json_string("end"));
    char *want = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(b.p, want);
    free(want);
    json_decref(o);
    json_decref(stored);
    csv_free(&b);
}

/* A list of one object of two strings, as FHIR's extension and identifier: what jansson writes for the same
 * list, and a NULL value left out as json_string(NULL) is. */
static void one_pair_as_jansson_writes_it(void **state) {
    (void)state;
    csv_buf b;
    csv_init(&b);
    json_writer w;
    jw_init(&w, &b);
    jw_object(&w);
    jw_member_one_pair(&w, "identifier", "system", "urn:x", "value", "a\"b");
    jw_member_one_pair(&w, "extension", "url", "u", "valueString", NULL);
    jw_object_end(&w);
    assert_int_equal(w.depth, 0);
    json_t *o = json_object(), *l1 = json_array(), *p1 = json_object(), *l2 = json_array(), *p2 = json_object();
    json_object_set_new(p1, "system", json_string("urn:x"));
    json_object_set_new(p1, "value", json_string("a\"b"));
    json_array_append_new(l1, p1);
    json_object_set_new(o, "identifier", l1);
    json_object_set_new(p2, "url", json_string("u"));
    json_object_set_new(p2, "valueString", json_string(NULL));
    json_array_append_new(l2, p2);
    json_object_set_new(o, "extension", l2);
    char *want = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(b.p, want);
    free(want);
    json_decref(o);
    csv_free(&b);
}

/* Bytes that are not UTF-8 (a stray continuation byte, an overlong '/', a surrogate, a cut sequence, a byte
 * jansson never accepts): U+FFFD for each, and the text is valid JSON that reads back. */
static void invalid_utf8_still_gives_valid_json(void **state) {
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {{"a\xff" "b", "\"a\xef\xbf\xbd" "b\""},
                 {"\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\""},
                 {"\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
                 {"end \xe4\xb8", "\"end \xef\xbf\xbd\xef\xbf\xbd\""},
                 {"\x80 ok 中", "\"\xef\xbf\xbd ok 中\""},
                 {"\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        csv_buf b;
        csv_init(&b);
        json_write_string(&b, cases[i].in);
        assert_string_equal(b.p, cases[i].out);
        json_t *back = json_loads(b.p, JSON_DECODE_ANY, NULL);
        assert_non_null(back);
        json_decref(back);
        csv_free(&b);
    }
}

int main(void) {
    wipe_alloc_install();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_as_jansson_writes_them),
        cmocka_unit_test(random_strings_as_jansson),
        cmocka_unit_test(structures_as_jansson_writes_them),
        cmocka_unit_test(one_pair_as_jansson_writes_it),
        cmocka_unit_test(invalid_utf8_still_gives_valid_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
