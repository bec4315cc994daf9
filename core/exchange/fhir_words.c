#include "fhir_words.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* An ASCII character read as a blank: white space, and every punctuation mark but the apostrophe: the marks that
 * join words in names and ids ("nimh-asq", "self_harm", "Q/asq.v2", a form-encoded "self+harm") and any other put
 * between words ("self~harm", "self(harm)", "self\\harm": thirty-fifth outside integrator) */
static bool ascii_blank(unsigned c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return true;
    return c < 0x80 && ispunct((int)c) && c != '\'';
}

/* Punctuation that ends a phrase when a blank or the end follows it ("Psychosis: no. Harm to self": the "no" is not
 * the next phrase's): an ignored phrase never runs across it (thirty-fourth outside integrator: "-no harm to self"
 * blanked a stated risk out of that sentence) */
static bool phrase_mark(const unsigned char *u) {
    if (!(*u == '.' || *u == ':' || *u == ',' || *u == ';' || *u == '!' || *u == '?')) return false;
    return !u[1] || u[1] == ' ' || u[1] == '\t' || u[1] == '\n' || u[1] == '\r';
}

/* The bytes at u (s bytes long, u[0..2] readable as c0 c1 c2) read as nothing: marks of no width, joiners, variation
 * selectors, combining marks (U+0300-U+036F: "Self-h\u034farm", "Sui\u2062cidal": thirty-fourth outside integrator) */
static bool dropped(unsigned c0, unsigned c1, unsigned c2, unsigned c3, size_t *skip) {
    if (c0 == 0xC2 && c1 == 0xAD) return *skip = 2, true;                                   /* soft hyphen */
    if ((c0 == 0xCC && c1 >= 0x80) || (c0 == 0xCD && c1 >= 0x80 && c1 <= 0xAF)) return *skip = 2, true; /* combining */
    if (c0 == 0xE2 && c1 == 0x80 && c2 >= 0x8B && c2 <= 0x8F) return *skip = 3, true;      /* zero-width, marks */
    if (c0 == 0xE2 && c1 == 0x81 && c2 >= 0xA0 && c2 <= 0xA4) return *skip = 3, true;      /* joiner, invisible ops */
    if (c0 == 0xE1 && c1 == 0xA0 && c2 == 0x8E) return *skip = 3, true;                    /* Mongolian separator */
    if (c0 == 0xEF && c1 == 0xB8 && c2 >= 0x80 && c2 <= 0x8F) return *skip = 3, true;      /* variation selectors */
    if (c0 == 0xEF && c1 == 0xBB && c2 == 0xBF) return *skip = 3, true;                    /* byte-order mark */
    if (c0 == 0xE3 && c1 == 0x85 && c2 == 0xA4) return *skip = 3, true;                    /* Hangul filler */
    if (c0 == 0xEF && c1 == 0xBE && c2 == 0xA0) return *skip = 3, true;                    /* half-width filler */
    if (c0 == 0xF3 && c1 == 0xA0 && (c2 == 0x80 || c2 == 0x81) && c3 >= 0x80 && c3 <= 0xBF)
        return *skip = 4, true; /* tag characters (c3 read only past a non-zero c2: never past the text's end) */
    return false;
}

/* The bytes at u read as a blank (*skip bytes) */
static bool unicode_blank(unsigned c0, unsigned c1, unsigned c2, size_t *skip) {
    if (c0 == 0xC2 && (c1 == 0xA0 || c1 == 0xB7)) return *skip = 2, true;                  /* no-break space, 自·杀 */
    if (c0 == 0xE2 && c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x95) || c2 == 0xA2 || c2 == 0xA7 || c2 == 0xAF))
        return *skip = 3, true; /* spaces, hyphens and dashes, bullet, hyphenation point (自‧殺), narrow no-break */
    if (c0 == 0xE2 && c1 == 0x88 && c2 == 0x92) return *skip = 3, true;                    /* minus sign */
    if (c0 == 0xE3 && c1 == 0x80 && c2 >= 0x80 && c2 <= 0x82) return *skip = 3, true;     /* ideographic space, 、 。 */
    if (c0 == 0xE3 && c1 == 0x83 && c2 == 0xBB) return *skip = 3, true;                    /* katakana middle dot */
    if (c0 == 0xEF && c1 == 0xBD && c2 == 0xA5) return *skip = 3, true;                    /* half-width middle dot */
    if (c0 == 0xE1 && c1 == 0x9A && c2 == 0x80) return *skip = 3, true;                    /* Ogham space */
    if (c0 == 0xE2 && c1 == 0xA0 && c2 == 0x80) return *skip = 3, true;                    /* braille blank */
    return false;
}

/* A letter written another way read as its ASCII letter (*skip bytes): Latin-1's accented letters (Dutch "Suïcide",
 * precomposed: thirty-fifth outside integrator), circled letters, and the mathematical alphanumerics (bold, italic,
 * script...: "𝐬𝐮𝐢𝐜𝐢𝐝𝐞") */
static char folded_letter(const unsigned char *u, size_t *skip) {
    unsigned c0 = u[0], c1 = c0 ? u[1] : 0, c2 = c1 ? u[2] : 0, c3 = c2 ? u[3] : 0;
    if (c0 == 0xC3 && c1 >= 0x80 && c1 <= 0xBF) {
        /* U+00C0..U+00FF, by their last byte's low six bits, 0 where the letter has no one ASCII letter (ß, æ, þ) */
        static const char latin1[] = "aaaaaaaceeeeiiii" "dnooooo\0ouuuuy\0\0" "aaaaaaaceeeeiiii" "dnooooo\0ouuuuy\0y";
        char a = latin1[c1 - 0x80];
        if (a) return *skip = 2, a;
        return 0;
    }
    if (c0 == 0xE2 && c1 == 0x92 && c2 >= 0xB6) return *skip = 3, (char)('a' + (c2 - 0xB6));        /* Ⓐ..Ⓙ */
    if (c0 == 0xE2 && c1 == 0x93 && c2 <= 0x8F) return *skip = 3, (char)('a' + (c2 - 0x80 + 10));   /* Ⓚ..Ⓩ */
    if (c0 == 0xE2 && c1 == 0x93 && c2 >= 0x90 && c2 <= 0xA9) return *skip = 3, (char)('a' + (c2 - 0x90)); /* ⓐ..ⓩ */
    if (c0 == 0xF0 && c1 == 0x9D && (c2 >= 0x90 && c2 <= 0x9A) && c3 >= 0x80 && c3 <= 0xBF) {
        unsigned cp = ((c1 & 0x3F) << 12) | ((c2 & 0x3F) << 6) | (c3 & 0x3F); /* within U+1D400..U+1D6BF */
        if (cp >= 0x1D400 && cp <= 0x1D6A3) { /* 13 alphabets of 52 letters, capitals then small */
            unsigned k = (cp - 0x1D400) % 52;
            return *skip = 4, (char)('a' + (k % 26));
        }
    }
    return 0;
}

/* An apostrophe of another kind: ’ ‘ ′ ´ ʼ ` (thirty-fourth outside integrator: "isn´t worth living") */
static bool apostrophe(unsigned c0, unsigned c1, unsigned c2, size_t *skip) {
    if (c0 == '`') return *skip = 1, true;
    if ((c0 == 0xC2 && c1 == 0xB4) || (c0 == 0xCA && c1 == 0xBC)) return *skip = 2, true;
    if (c0 == 0xE2 && c1 == 0x80 && (c2 == 0x98 || c2 == 0x99 || c2 == 0xB2)) return *skip = 3, true;
    return false;
}

/* Whether the bytes from u on, past blanks, begin a CJK character (a lead byte of U+3000..U+9FFF) */
static bool cjk_next(const unsigned char *u) {
    for (;;) {
        unsigned c0 = u[0], c1 = c0 ? u[1] : 0, c2 = c1 ? u[2] : 0;
        size_t skip = 1;
        if (c0 && c0 < 0x80 && ascii_blank(c0)) u++;
        else if (c0 == '%' && c1 == '2' && c2 == '0') u += 3;
        else if (c0 >= 0x80 && (unicode_blank(c0, c1, c2, &skip) || dropped(c0, c1, c2, c2 ? u[3] : 0, &skip))) u += skip;
        else return c0 >= 0xE3 && c0 <= 0xE9;
    }
}

static bool ascii_letter(unsigned c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Whether the output so far ends in a token of one letter, or of letters joined so (o: the next byte to write) */
static bool single_letter_before(const char *out, const char *o, bool joined) {
    if (o == out || !ascii_letter((unsigned char)o[-1])) return false;
    return joined || o - 1 == out || !isalnum((unsigned char)o[-2]);
}

/* text as it is matched (see the header), into a new string; *marks (when not NULL): a new array as long, 1 where a
 * blank stands for punctuation that ends a phrase (phrase_mark) */
static char *normalised_marked(const char *t, char **marks) {
    size_t n = strlen(t);
    char *out = xcalloc(2 * n + 1, 1), *o = out; /* a camelCase edge adds a blank after at least two characters */
    char *mk = xcalloc(2 * n + 1, 1);
    const unsigned char *u = (const unsigned char *)t;
    bool space = true; /* at the start: a blank is dropped */
    bool lower_before = false; /* the last character an ASCII lower-case letter */
    bool joined = false;       /* the token so far is single letters joined by dots or slashes (O.D., D.S.H.) */
    while (*u) {
        unsigned c0 = u[0], c1 = c0 ? u[1] : 0, c2 = c1 ? u[2] : 0;
        char ascii = 0;
        size_t skip = 1;
        bool blank = false, mark = false;
        if (c0 >= 0x80 && dropped(c0, c1, c2, c2 ? u[3] : 0, &skip)) {
            u += skip;
            continue;
        }
        /* an abbreviation's dots or slashes between single letters join them ("O.D.", "D.S.H.", "o/d", "N.S.S.I.":
         * thirty-sixth outside integrator; every punctuation mark is a blank, which split them) */
        if ((c0 == '.' || c0 == '/') && ascii_letter(c1) && !ascii_letter(c2) && !isdigit((int)c2) &&
            single_letter_before(out, o, joined)) {
            joined = true;
            u++;
            continue;
        }
        /* a word broken at a line's end with a hyphen ("sui-\ncidal", from a PDF or OCR) is one word */
        if (c0 == '-' && o > out && ascii_letter((unsigned char)o[-1]) &&
            ((c1 == '\n' && ascii_letter(c2)) || (c1 == '\r' && c2 == '\n' && ascii_letter(u[3])))) {
            u += c1 == '\n' ? 2 : 3;
            continue;
        }
        /* an apostrophe inside a word (one's, isn't, OD'd) is the word's; elsewhere it is a quotation mark, a blank
         * ("wants to end 'her life'") */
        size_t ap = 1;
        if ((c0 == '\'' || apostrophe(c0, c1, c2, &ap)) &&
            !(o > out && isalnum((unsigned char)o[-1]) && ascii_letter(u[ap]))) {
            skip = ap;
            blank = true;
        }
        char letter = c0 >= 0x80 && !blank ? folded_letter(u, &skip) : 0;
        if (blank) {
        } else if (letter) ascii = letter;
        else if (apostrophe(c0, c1, c2, &skip)) ascii = '\'';
        else if (c0 == '%' && c1 == '2' && c2 == '0') blank = true, skip = 3; /* "Self%20harm": a URL's blank */
        else if (c0 < 0x80) {
            mark = phrase_mark(u);
            if (ascii_blank(c0)) blank = true;
            else ascii = (char)tolower((int)c0);
        } else if (unicode_blank(c0, c1, c2, &skip)) blank = true;
        else if (c0 == 0xEF && (c1 == 0xBC || c1 == 0xBD) && c2 >= 0x80 && c2 <= 0xBF) {        /* full-width */
            unsigned cp = ((c0 & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                unsigned a = cp - 0xFF01 + 0x21;
                skip = 3;
                /* a full-width hyphen or full stop is a blank as its ASCII one is (Self－harm, 自．杀) */
                if (ascii_blank(a)) blank = true;
                else ascii = (char)tolower((int)a);
            }
        }
        if (blank || mark) {
            /* between two CJK characters (a lead byte of U+3000..U+9FFF on both sides) a blank is no word's edge:
             * past any blanks (自\r\n杀, 自 - 杀) */
            bool cjk_gap = o > out && o - out >= 3 && (unsigned char)o[-3] >= 0xE3 && (unsigned char)o[-3] <= 0xE9 &&
                           cjk_next(u + skip);
            if (!space && !cjk_gap) {
                mk[o - out] = mark;
                *o++ = ' ';
            } else if (mark && o > out && o[-1] == ' ') {
                mk[o - 1 - out] = 1;
            }
            /* the blank dropped between two Chinese characters is still an edge an ignored phrase does not cross:
             * "跳楼\n机构" is not 跳楼机, a drop tower (thirty-fifth outside integrator) */
            if (cjk_gap) mk[o - out] = 2;
            joined = false;
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
    if (marks) *marks = mk;
    else free(mk);
    return out;
}

static char *normalised(const char *t) { return normalised_marked(t, NULL); }

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
 * "or", "and", "nor" next ("not a danger to self or others"; "not a danger to self harm" is not that phrase); a blank
 * that stands for punctuation ending a phrase (mark) ends it too ("not a danger to self, not a danger to others") */
static bool phrase_ends(const char *after, bool mark) {
    if (!*after || mark) return true;
    if (*after != ' ') return !isalnum((unsigned char)*after);
    const char *w = after + 1;
    static const char *const joins[] = {"or", "and", "nor", NULL};
    for (int i = 0; joins[i]; i++) {
        size_t n = strlen(joins[i]);
        if (!strncmp(w, joins[i], n) && !isalnum((unsigned char)w[n])) return true;
    }
    return !isalnum((unsigned char)*w) && (unsigned char)*w < 0x80;
}

/* Whether a phrase of pl bytes at these marks runs across the end of one (a marked blank in it, or a dropped blank
 * between Chinese characters after its first byte) */
static bool crosses_edge(const char *marks, size_t pl) {
    for (size_t i = 0; i < pl; i++)
        if (marks[i] == 1 || (marks[i] == 2 && i > 0)) return true;
    return false;
}

/* Blanks out of t every occurrence of the phrases words lists with a leading "-" (see the header); never one that runs
 * across a blank marked as the end of a phrase (marks, as long as t) */
static void mask_not_words(char *t, const char *marks, const char *words) {
    for (const char *w = words; *w;) {
        while (*w == ' ' || *w == '|') w++;
        const char *end = strchr(w, '|');
        size_t n = end ? (size_t)(end - w) : strlen(w);
        while (n && w[n - 1] == ' ') n--;
        if (n > 1 && w[0] == '-') {
            char *listed = xcalloc(n, 1);
            memcpy(listed, w + 1, n - 1);
            /* "-hanging onto*": the phrase whatever follows it ("hanging onto rails") */
            bool open_end = n > 2 && listed[n - 2] == '*';
            if (open_end) listed[n - 2] = '\0';
            char *phrase = normalised(listed);
            size_t pl = strlen(phrase);
            bool english = pl && isalnum((unsigned char)phrase[pl - 1]); /* whole at its start, and at its end... */
            bool edged = english && !open_end;                            /* ...unless it is open there */
            for (char *at = pl ? strstr(t, phrase) : NULL; at; at = strstr(at + 1, phrase)) {
                if (english && at > t && isalnum((unsigned char)at[-1])) continue;
                if (edged && !phrase_ends(at + pl, marks[at + pl - t])) continue;
                if (crosses_edge(marks + (at - t), pl)) continue; /* "no. harm to self" is not "no harm to self" */
                memset(at, ' ', pl);
            }
            free(phrase);
            free(listed);
        }
        w += end ? (size_t)(end - w) : strlen(w);
    }
}

/* Writes code point cp as UTF-8 at o; the bytes written (none for a code point that is none) */
static size_t utf8_put(unsigned long cp, char *o) {
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    if (cp < 0x80) return o[0] = (char)cp, 1;
    if (cp < 0x800) return o[0] = (char)(0xC0 | (cp >> 6)), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
    if (cp < 0x10000)
        return o[0] = (char)(0xE0 | (cp >> 12)), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
               o[2] = (char)(0x80 | (cp & 0x3F)), 3;
    return o[0] = (char)(0xF0 | (cp >> 18)), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
           o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F)), 4;
}

/* text with HTML's character references read ("Self&#8209;harm", "Self&nbsp;harm", "自&#26432;": thirty-fifth outside
 * integrator; narrative and notes carry XHTML), into a new string */
static char *entities_read(const char *text) {
    static const char *const named[][2] = {{"nbsp", " "}, {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""},
                                           {"apos", "'"}, {"shy", ""}, {"ndash", "-"}, {"mdash", "-"}, {"hyphen", "-"},
                                           {"minus", "-"}, {"rsquo", "'"}, {"lsquo", "'"}};
    size_t n = strlen(text);
    char *out = xcalloc(n + 1, 1), *o = out;
    for (const char *p = text; *p;) {
        if (*p == '&') {
            const char *semi = NULL; /* within a reference's length: a text of many "&" is read once, not again each */
            for (int k = 1; k <= 10 && p[k] && !semi; k++)
                if (p[k] == ';') semi = p + k;
            if (semi && semi - p >= 2) {
                size_t len = (size_t)(semi - p - 1);
                char name[12];
                memcpy(name, p + 1, len);
                name[len] = '\0';
                size_t put = 0;
                bool read = false;
                if (name[0] == '#') {
                    char *end;
                    bool hex = name[1] == 'x' || name[1] == 'X';
                    unsigned long cp = strtoul(name + (hex ? 2 : 1), &end, hex ? 16 : 10);
                    if (*end == '\0' && end != name + (hex ? 2 : 1) && (put = utf8_put(cp, o)) > 0) read = true;
                } else {
                    for (size_t i = 0; i < sizeof named / sizeof named[0] && !read; i++)
                        if (!strcmp(name, named[i][0])) {
                            put = strlen(named[i][1]);
                            memcpy(o, named[i][1], put);
                            read = true;
                        }
                }
                if (read && put <= len + 2) { /* never longer than the reference: out holds n bytes */
                    o += put;
                    p = semi + 1;
                    continue;
                }
            }
        }
        *o++ = *p++;
    }
    *o = '\0';
    return out;
}

bool fhir_words_match(const char *text, const char *words, char *found, size_t size) {
    if (!text || !words || !*text) return false;
    char *marks = NULL;
    char *read = entities_read(text);
    char *t = normalised_marked(read, &marks);
    free(read);
    mask_not_words(t, marks, words);
    free(marks);
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
