#include "fhir_words.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* text as it is matched (see the header), into a new string */
static char *normalised(const char *t) {
    size_t n = strlen(t);
    char *out = xcalloc(2 * n + 1, 1), *o = out; /* a camelCase edge adds a blank after at least two characters */
    const unsigned char *u = (const unsigned char *)t;
    bool space = true; /* at the start: a blank is dropped */
    bool lower_before = false; /* the last character an ASCII lower-case letter */
    while (*u) {
        unsigned c0 = u[0], c1 = c0 ? u[1] : 0, c2 = c1 ? u[2] : 0;
        char ascii = 0;
        size_t skip = 1;
        bool blank = false, drop = false;
        if (c0 < 0x80) {
            /* punctuation that joins words in names and ids ("nimh-asq", "self_harm", "Q/asq.v2", a form-encoded
             * "self+harm") is a blank too */
            if (c0 == ' ' || c0 == '\t' || c0 == '\n' || c0 == '\r' || c0 == '\f' || c0 == '\v' || c0 == '-' ||
                c0 == '_' || c0 == '/' || c0 == '.' || c0 == ':' || c0 == '+')
                blank = true;
            else ascii = (char)tolower((int)c0);
        } else if (c0 == 0xC2 && c1 == 0xA0) blank = true, skip = 2;           /* no-break space */
        else if (c0 == 0xC2 && c1 == 0xAD) drop = true, skip = 2;              /* soft hyphen */
        else if (c0 == 0xC2 && c1 == 0xB7) blank = true, skip = 2;             /* middle dot (自·杀) */
        else if (c0 == 0xE2 && c1 == 0x80 && c2 == 0xA2) blank = true, skip = 3; /* bullet */
        else if (c0 == 0xE3 && c1 == 0x83 && c2 == 0xBB) blank = true, skip = 3; /* katakana middle dot */
        else if (c0 == 0xE2 && c1 == 0x80 && c2 >= 0x80 && c2 <= 0x8A) blank = true, skip = 3; /* en/em... spaces */
        else if (c0 == 0xE2 && c1 == 0x80 && c2 >= 0x8B && c2 <= 0x8F) drop = true, skip = 3;  /* zero-width, marks */
        else if (c0 == 0xE2 && c1 == 0x80 && c2 >= 0x90 && c2 <= 0x95) blank = true, skip = 3;  /* hyphens, dashes */
        else if (c0 == 0xE2 && c1 == 0x80 && (c2 == 0x98 || c2 == 0x99)) ascii = '\'', skip = 3;
        else if (c0 == 0xE2 && c1 == 0x80 && c2 == 0xAF) blank = true, skip = 3;               /* narrow no-break */
        else if (c0 == 0xE2 && c1 == 0x81 && c2 == 0xA0) drop = true, skip = 3;                /* word joiner */
        else if (c0 == 0xE3 && c1 == 0x80 && c2 == 0x80) blank = true, skip = 3;               /* ideographic space */
        else if (c0 == 0xEF && c1 == 0xBB && c2 == 0xBF) drop = true, skip = 3;                /* byte-order mark */
        else if (c0 == 0xEF && (c1 == 0xBC || c1 == 0xBD) && c2 >= 0x80 && c2 <= 0xBF) {        /* full-width */
            unsigned cp = ((c0 & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
            if (cp >= 0xFF01 && cp <= 0xFF5E) ascii = (char)tolower((int)(cp - 0xFF01 + 0x21)), skip = 3;
        }
        if (drop) {
            u += skip;
            continue;
        }
        if (blank) {
            /* between two CJK characters (a lead byte of U+3000..U+9FFF on both sides) a blank is no word's edge */
            const unsigned char *next = u + skip;
            while (*next == ' ' || *next == '\t') next++;
            bool cjk_gap = o > out && o - out >= 3 && (unsigned char)o[-3] >= 0xE3 && (unsigned char)o[-3] <= 0xE9 &&
                           *next >= 0xE3 && *next <= 0xE9;
            if (!space && !cjk_gap) *o++ = ' ';
            space = !cjk_gap || space;
            lower_before = false;
            u += skip;
            continue;
        }
        /* camelCase: a capital after a lower-case letter begins a word */
        bool capital = c0 >= 'A' && c0 <= 'Z';
        if (capital && lower_before) *o++ = ' ';
        lower_before = c0 >= 'a' && c0 <= 'z';
        space = false;
        if (ascii) {
            *o++ = ascii;
            u += skip;
        } else {
            *o++ = (char)*u++; /* another character's bytes, as they are */
        }
    }
    if (o > out && o[-1] == ' ') o--;
    *o = '\0';
    return out;
}

static bool word_char(char c) { return isalnum((unsigned char)c) != 0; }

static bool holds(const char *text, const char *word, bool prefix) {
    size_t n = strlen(word);
    if (!n) return false;
    for (const char *at = strstr(text, word); at; at = strstr(at + 1, word)) {
        if (word_char(word[0]) && at > text && word_char(at[-1])) continue;
        if (!prefix && word_char(word[n - 1]) && word_char(at[n])) continue;
        return true;
    }
    return false;
}

/* Whether a phrase that ends in a letter or digit ends a phrase of the text at after: the text's end, punctuation, or
 * "or", "and", "nor" next ("not a danger to self or others"; "not a danger to self harm" is not that phrase) */
static bool phrase_ends(const char *after) {
    if (!*after) return true;
    if (*after != ' ') return !isalnum((unsigned char)*after);
    const char *w = after + 1;
    static const char *const joins[] = {"or", "and", "nor", NULL};
    for (int i = 0; joins[i]; i++) {
        size_t n = strlen(joins[i]);
        if (!strncmp(w, joins[i], n) && !isalnum((unsigned char)w[n])) return true;
    }
    return !isalnum((unsigned char)*w) && (unsigned char)*w < 0x80;
}

/* Blanks out of t every occurrence of the phrases words lists with a leading "-" (see the header). */
static void mask_not_words(char *t, const char *words) {
    for (const char *w = words; *w;) {
        while (*w == ' ' || *w == '|') w++;
        const char *end = strchr(w, '|');
        size_t n = end ? (size_t)(end - w) : strlen(w);
        while (n && w[n - 1] == ' ') n--;
        if (n > 1 && w[0] == '-') {
            char *listed = xcalloc(n, 1);
            memcpy(listed, w + 1, n - 1);
            char *phrase = normalised(listed);
            size_t pl = strlen(phrase);
            bool edged = pl && isalnum((unsigned char)phrase[pl - 1]); /* English: whole at both ends */
            for (char *at = pl ? strstr(t, phrase) : NULL; at; at = strstr(at + 1, phrase)) {
                if (edged && ((at > t && isalnum((unsigned char)at[-1])) || !phrase_ends(at + pl))) continue;
                memset(at, ' ', pl);
            }
            free(phrase);
            free(listed);
        }
        w += end ? (size_t)(end - w) : strlen(w);
    }
}

bool fhir_words_match(const char *text, const char *words, char *found, size_t size) {
    if (!text || !words || !*text) return false;
    char *t = normalised(text);
    mask_not_words(t, words);
    bool hit = false;
    for (const char *w = words; *w && !hit;) {
        while (*w == ' ' || *w == '|') w++;
        const char *end = strchr(w, '|');
        size_t n = end ? (size_t)(end - w) : strlen(w);
        while (n && w[n - 1] == ' ') n--;
        if (n && w[0] != '-') {
            char *listed = xcalloc(n + 1, 1);
            memcpy(listed, w, n);
            listed[n] = '\0';
            bool prefix = listed[n - 1] == '*';
            if (prefix) listed[n - 1] = '\0';
            char *word = normalised(listed);
            hit = holds(t, word, prefix);
            if (hit && size) snprintf(found, size, "%.*s", (int)n, w);
            free(word);
            free(listed);
        }
        w += end ? (size_t)(end - w) : strlen(w);
    }
    free(t);
    return hit;
}
