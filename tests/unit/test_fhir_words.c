/* Unit tests of the words an import reads another system's text by (core/exchange/fhir_words.h): how a reader would
 * read them, and text that is not sound: a character cut at the text's end is never read past (each text sits in a
 * buffer of its exact length, so ASan names a read of one byte more), and a text of many "&" is read once, not again
 * at each (a guard alarm ends the run if it is not). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fhir_words.h"

/* text copied into a heap buffer of exactly its length and its NUL: a read past the NUL is a sanitizer error */
static bool exact_match(const char *text, size_t len, const char *words, char *found, size_t size) {
    char *t = malloc(len + 1);
    assert_non_null(t);
    memcpy(t, text, len);
    t[len] = '\0';
    bool hit = fhir_words_match(t, words, found, size);
    free(t);
    return hit;
}

static void matches(const char *text, const char *words, const char *want) {
    char found[64] = "";
    if (!exact_match(text, strlen(text), words, found, sizeof found))
        fail_msg("\"%s\" does not match \"%s\" (expected \"%s\")", text, words, want);
    if (strcmp(found, want) != 0) fail_msg("\"%s\" found \"%s\", expected \"%s\"", text, found, want);
}

static void misses(const char *text, const char *words) {
    char found[64] = "";
    if (exact_match(text, strlen(text), words, found, sizeof found))
        fail_msg("\"%s\" matched \"%s\" of \"%s\"", text, found, words);
}

static void read_as_a_reader_would(void **state) {
    (void)state;
    matches("Self-harm in the past year", "self harm", "self harm");
    matches("SELF\xC2\xA0HARM", "self harm", "self harm");        /* no-break space */
    matches("Self&#8209;harm", "self harm", "self harm");         /* an HTML reference */
    matches("Self&nbsp;harm", "self harm", "self harm");
    matches("hasSuicidalThoughts", "suicidal thoughts", "suicidal thoughts");
    matches("suicidality", "suicid*", "suicid*");
    matches("\xE8\x87\xAA \xE6\x9D\x80", "\xE8\x87\xAA\xE6\x9D\x80", "\xE8\x87\xAA\xE6\x9D\x80"); /* 自 杀 is 自杀 */
    misses("basque", "asq");
    misses("self care plan", "self harm");
}

static void a_phrase_that_is_not_one_is_blanked(void **state) {
    (void)state;
    /* 独自伤心 (crying alone) holds 自伤 (self-harm) */
    const char *words = "\xE8\x87\xAA\xE4\xBC\xA4|-\xE7\x8B\xAC\xE8\x87\xAA\xE4\xBC\xA4\xE5\xBF\x83";
    misses("\xE6\x88\x91\xE7\x8B\xAC\xE8\x87\xAA\xE4\xBC\xA4\xE5\xBF\x83", words);
    matches("\xE6\x9C\x89\xE8\x87\xAA\xE4\xBC\xA4", words, "\xE8\x87\xAA\xE4\xBC\xA4");
}

/* Every prefix of a text ending in a multi-byte character, cut at each byte: a tag character (4 bytes), a combining
 * mark, a zero-width joiner, a Latin-1 letter, a CJK character, an HTML reference. None is read past its end. */
static void a_character_cut_at_the_end_is_not_read_past(void **state) {
    (void)state;
    static const char *const tails[] = {
        "\xF3\xA0\x80\x81",      /* U+E0001 language tag */
        "\xF3\xA0\x81\xBF",      /* U+E007F cancel tag */
        "\xCD\x8F",              /* combining grapheme joiner */
        "\xE2\x80\x8D",          /* zero-width joiner */
        "\xC3\xAF",              /* ï */
        "\xE6\x9D\x80",          /* 杀 */
        "\xF0\x9D\x90\xAC",      /* mathematical bold s */
        "&#8209;", "&nbsp;",
    };
    char buf[64];
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        int n = snprintf(buf, sizeof buf, "self harm %s", tails[i]);
        assert_true(n > 0 && (size_t)n < sizeof buf);
        for (size_t len = 10; len <= (size_t)n; len++) {
            char found[32] = "";
            if (!exact_match(buf, len, "self harm|suicid*", found, sizeof found))
                fail_msg("tail %zu cut at %zu bytes: \"self harm\" not found", i, len);
        }
        for (size_t len = 0; len <= (size_t)n; len++) { /* the cut character alone, at the start */
            char found[32] = "";
            (void)exact_match(tails[i], len < strlen(tails[i]) ? len : strlen(tails[i]), "self harm", found, sizeof found);
        }
    }
}

/* Four megabytes of "&" and then the word: read in one pass (quadratic reading took minutes; alarm ends the run) */
static void a_text_of_many_ampersands_is_read_once(void **state) {
    (void)state;
    const size_t n = 4u << 20;
    char *t = malloc(n + 16);
    assert_non_null(t);
    memset(t, '&', n);
    strcpy(t + n, " suicidal");
    char found[32] = "";
    alarm(120); /* a guard against a hang, not a time limit: one pass takes well under a second under ASan */
    bool hit = fhir_words_match(t, "suicid*", found, sizeof found);
    alarm(0);
    free(t);
    assert_true(hit);
    assert_string_equal(found, "suicid*");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(read_as_a_reader_would),
        cmocka_unit_test(a_phrase_that_is_not_one_is_blanked),
        cmocka_unit_test(a_character_cut_at_the_end_is_not_read_past),
        cmocka_unit_test(a_text_of_many_ampersands_is_read_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
