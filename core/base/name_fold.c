#include "name_fold.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "wipe_alloc.h"

/* Appends code point uc to out (size bytes, *o used), whole or not at all. */
static void put(ucs4_t uc, char *out, size_t size, size_t *o) {
    uint8_t enc[6];
    int n = u8_uctomb(enc, uc, sizeof enc);
    if (n <= 0 || *o + (size_t)n + 1 > size) return;
    memcpy(out + *o, enc, (size_t)n);
    *o += (size_t)n;
}

/* Latin letters that Unicode does not decompose into a base letter and a mark (a stroke, a ligature), as the letters
 * a hurried hand types for them: Đặng Văn Đức as dang van duc, Łukasz as lukasz, Søren Ødegård as soren odegard
 * (thirty-first receptionist: none was found, and a RED Đặng Văn Đức got a second record). Lower case: after the
 * case fold. */
static const char *latin_plain(ucs4_t uc) {
    switch (uc) {
    case 0x00F0: return "d";  /* ð */
    case 0x0111: return "d";  /* đ */
    case 0x0142: return "l";  /* ł */
    case 0x00F8: return "o";  /* ø */
    case 0x0127: return "h";  /* ħ */
    case 0x0167: return "t";  /* ŧ */
    case 0x0131: return "i";  /* ı */
    case 0x00E6: return "ae"; /* æ */
    case 0x0153: return "oe"; /* œ */
    case 0x00FE: return "th"; /* þ */
    case 0x0180: return "b";  /* ƀ */
    case 0x01B6: return "z";  /* ƶ */
    default: return NULL;
    }
}

static bool is_apostrophe(ucs4_t uc) { return uc == '\'' || uc == '`' || uc == 0x2019 || uc == 0x2018 || uc == 0x02BC; }
static bool is_hyphen(ucs4_t uc) { return uc == '-' || (uc >= 0x2010 && uc <= 0x2015) || uc == 0x2212 || uc == 0xFE63; }
/* Latin (with its IPA and spacing modifiers), Greek and Cyrillic: their combining accents are taken off */
static bool accents_fold(ucs4_t base) { return base < 0x0530; }

/* ASCII text (most names, every phone number and date) without the library: the same rules, quicker (a search folds
 * every candidate's name). Also the fold of text that is not valid UTF-8: its other bytes as they are. strict: the
 * apostrophes and hyphens kept. */
static void ascii_fold(const char *in, char *out, size_t size, bool strict) {
    size_t o = 0;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 1 < size; p++) {
        if (!strict && (*p == '\'' || *p == '`')) continue;
        if (isspace(*p) || (!strict && *p == '-')) {
            space = o > 0;
            continue;
        }
        if (space && o + 2 < size) out[o++] = ' ';
        space = false;
        out[o++] = (char)tolower(*p);
    }
    out[o] = '\0';
}

static bool is_ascii(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x80) return false;
    return true;
}

static void fold(const char *in, char *out, size_t size, bool strict) {
    if (!size) return;
    out[0] = '\0';
    in = in ? in : "";
    size_t n = strlen(in);
    if (is_ascii(in) || u8_check((const uint8_t *)in, n)) {
        ascii_fold(in, out, size, strict);
        return;
    }
    size_t len = 0;
    uint8_t *f = u8_casefold((const uint8_t *)in, n, NULL, strict ? UNINORM_NFKC : UNINORM_NFKD, NULL, &len);
    if (!f) {
        ascii_fold(in, out, size, strict);
        return;
    }
    size_t o = 0;
    bool space = false;
    ucs4_t base = 0;
    for (size_t i = 0; i < len;) {
        ucs4_t uc;
        int step = u8_mbtouc(&uc, f + i, len - i);
        i += (size_t)(step > 0 ? step : 1);
        if (!strict && uc_is_general_category(uc, UC_CATEGORY_Mn) && accents_fold(base)) continue; /* an accent */
        if (!strict && is_apostrophe(uc)) continue;
        if ((!strict && is_hyphen(uc)) || uc_is_space(uc) || uc == 0x3000) {
            space = o > 0;
            base = 0;
            continue;
        }
        if (space && o + 2 < size) out[o++] = ' ';
        space = false;
        base = uc;
        const char *plain = strict ? NULL : latin_plain(uc);
        for (const char *c = plain; c && *c; c++) put((ucs4_t)(unsigned char)*c, out, size, &o);
        if (!plain) put(uc, out, size, &o);
    }
    out[o] = '\0';
    wipe_free(f); /* the folded name is the client's: wiped, its whole block, before it goes back to the heap */
}

void name_fold(const char *in, char *out, size_t size) { fold(in, out, size, false); }
void name_fold_strict(const char *in, char *out, size_t size) { fold(in, out, size, true); }
