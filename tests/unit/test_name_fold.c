/* Unit tests of the name fold a search compares names by (core/base/name_fold.h): case in every script, accents of
 * Latin, Greek and Cyrillic letters, full-width forms, apostrophes, hyphens and spaces; a mark of another script
 * kept; invalid UTF-8 folded as ASCII; the output never cut inside a character. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "name_fold.h"

static void folded_is(const char *in, const char *want) {
    char out[256];
    name_fold(in, out, sizeof out);
    if (strcmp(out, want) != 0) fail_msg("name_fold(\"%s\") = \"%s\", expected \"%s\"", in, out, want);
}

static void case_and_accents_of_latin_greek_cyrillic(void **state) {
    (void)state;
    folded_is("Zoë Brontë", "zoe bronte");
    folded_is("ZOË", "zoe");
    folded_is("ÉLODIE Durand", "elodie durand");
    folded_is("Müller", "muller");
    folded_is("Łukasz Żółć", "lukasz zolc");
    folded_is("Đặng Văn Đức", "dang van duc"); /* letters with a stroke: Unicode does not decompose them */
    folded_is("Søren Ødegård", "soren odegard");
    folded_is("Æsa Þórsdóttir", "aesa thorsdottir");
    folded_is("Straße", "strasse");
    folded_is("ΆΝΝΑ", "αννα");
    folded_is("Йосиф", "иосиф");
    folded_is("Nguyễn Thị Ánh", "nguyen thi anh");
}

static void apostrophes_hyphens_and_spaces(void **state) {
    (void)state;
    folded_is("O'Brien", "obrien");
    folded_is("O\u2019Brien", "obrien");
    folded_is("Anna-Lena  Meyer", "anna lena meyer");
    folded_is("  Li\tMei  ", "li mei");
    folded_is("\u674e\u3000\u6885", "\u674e \u6885"); /* the ideographic space */
    folded_is("Jean\u2010Luc", "jean luc");          /* the Unicode hyphen */
}

static void full_width_forms_and_other_scripts(void **state) {
    (void)state;
    folded_is("\uff2c\uff49 \uff2d\uff45\uff49", "li mei"); /* Ｌｉ Ｍｅｉ */
    folded_is("\u738b\u82b3", "\u738b\u82b3");             /* 王芳, as it is */
    folded_is("\u0939\u093f\u0902\u0926\u0940", "\u0939\u093f\u0902\u0926\u0940"); /* हिंदी: its signs are letters' */
}

/* one person's name as two records must spell it: accents, apostrophes and hyphens count, case and blanks do not */
static void strict_fold_keeps_what_tells_names_apart(void **state) {
    (void)state;
    char a[64], b[64];
    name_fold_strict("Nguyễn Thị Ánh", a, sizeof a);
    name_fold_strict("Nguyễn Thị Anh", b, sizeof b);
    assert_string_not_equal(a, b);
    name_fold_strict("NGUYỄN  thị ÁNH", b, sizeof b);
    assert_string_equal(a, b);
    name_fold_strict("O'Brien", a, sizeof a);
    name_fold_strict("OBrien", b, sizeof b);
    assert_string_not_equal(a, b);
    name_fold_strict("Anna-Lena", a, sizeof a);
    assert_string_equal(a, "anna-lena");
    name_fold_strict("\uff2c\uff49\u3000Mei", a, sizeof a); /* full-width and the ideographic space: the same */
    assert_string_equal(a, "li mei");
}

static void invalid_utf8_is_folded_as_ascii(void **state) {
    (void)state;
    folded_is("AB\xff Cd", "ab\xff cd");
    folded_is("", "");
    char out[8];
    name_fold(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

static void never_cut_inside_a_character(void **state) {
    (void)state;
    char out[6];
    name_fold("ab\u738b\u82b3", out, sizeof out); /* room for "ab" and one 3-byte character */
    assert_string_equal(out, "ab\u738b");
    char one[1];
    name_fold("abc", one, sizeof one);
    assert_string_equal(one, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(case_and_accents_of_latin_greek_cyrillic),
        cmocka_unit_test(apostrophes_hyphens_and_spaces),
        cmocka_unit_test(full_width_forms_and_other_scripts),
        cmocka_unit_test(strict_fold_keeps_what_tells_names_apart),
        cmocka_unit_test(invalid_utf8_is_folded_as_ascii),
        cmocka_unit_test(never_cut_inside_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
