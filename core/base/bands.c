#include "bands.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

/* One band: LOW-HIGH or LOW- (open). */
static bool band_parse(const char *tok, long *lo, long *hi) {
    const char *dash = strchr(tok, '-');
    if (!dash || dash == tok) return false;
    char a[16], b[16];
    size_t na = (size_t)(dash - tok), nb = strlen(dash + 1);
    if (na >= sizeof a || nb >= sizeof b) return false;
    memcpy(a, tok, na);
    a[na] = '\0';
    memcpy(b, dash + 1, nb + 1);
    if (!parse_int(a, 0, 150, lo)) return false;
    if (!*b) {
        *hi = -1;
        return true;
    }
    return parse_int(b, 0, 150, hi) && *hi >= *lo;
}

bool age_bands_valid(const char *bands, char *why, size_t whysize) {
    strlist l = strlist_split(bands ? bands : "");
    bool ok = l.n > 0;
    if (!ok) snprintf(why, whysize, "no age band given (e.g. 0-17 18-24 25-34 35-44 45-64 65-)");
    long next = -1;
    for (int i = 0; ok && i < l.n; i++) {
        long lo, hi;
        if (strlen(l.v[i]) > 15 || !band_parse(l.v[i], &lo, &hi)) {
            snprintf(why, whysize, "`%.20s` is not a band LOW-HIGH (years, 0 to 150) or LOW-", l.v[i]);
            ok = false;
        } else if (next >= 0 && lo != next) {
            snprintf(why, whysize, "`%.20s` does not start where the band before it ends (at %ld)", l.v[i], next);
            ok = false;
        } else if (hi < 0 && i != l.n - 1) {
            snprintf(why, whysize, "`%.20s` is open-ended but is not the last band", l.v[i]);
            ok = false;
        } else {
            next = hi + 1;
        }
    }
    strlist_free(&l);
    return ok;
}

void age_band_of(const char *bands, int age, char *out, size_t size) {
    out[0] = '\0';
    if (age < 0) return;
    strlist l = strlist_split(bands ? bands : "");
    for (int i = 0; i < l.n; i++) {
        long lo, hi;
        if (band_parse(l.v[i], &lo, &hi) && age >= lo && (hi < 0 || age <= hi)) {
            snprintf(out, size, "%s", l.v[i]);
            break;
        }
    }
    strlist_free(&l);
}

bool facts_token_ok(const char *s, size_t max) {
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max) return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
            return false;
    return true;
}

bool concern_groups_valid(const char *groups, char *why, size_t whysize) {
    strlist l = strlist_split(groups ? groups : "");
    bool ok = true;
    for (int i = 0; ok && i < l.n; i++) {
        const char *colon = strchr(l.v[i], ':');
        char code[40];
        size_t n = colon ? (size_t)(colon - l.v[i]) : 0;
        if (!colon || n == 0 || n >= sizeof code || !facts_token_ok(colon + 1, 32)) {
            snprintf(why, whysize, "`%.40s` is not CODE:CATEGORY (e.g. family:relationship)", l.v[i]);
            ok = false;
            break;
        }
        memcpy(code, l.v[i], n);
        code[n] = '\0';
        if (!facts_token_ok(code, 32)) {
            snprintf(why, whysize, "`%.40s`: the concern code is not a plain word", l.v[i]);
            ok = false;
        }
    }
    strlist_free(&l);
    return ok;
}
