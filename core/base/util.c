#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const lang_codes[LANG_COUNT] = {"en", "zh"};

const char *lang_code(lang l) { return (unsigned)l < LANG_COUNT ? lang_codes[l] : "?"; }

bool lang_parse(const char *code, lang *out) {
    for (int i = 0; i < LANG_COUNT; i++)
        if (code && strcmp(code, lang_codes[i]) == 0) {
            *out = (lang)i;
            return true;
        }
    return false;
}

static void out_of_memory(void) {
    fputs("triage: out of memory\n", stderr);
    abort();
}

char *xstrdup(const char *s) {
    char *d = strdup(s ? s : "");
    if (!d) out_of_memory();
    return d;
}

void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t size) {
    void *q = realloc(p, size ? size : 1);
    if (!q) out_of_memory();
    return q;
}

strlist strlist_split(const char *s) {
    strlist l = {0};
    const char *p = s ? s : "";
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t') p++;
        const char *start = p;
        while (*p && *p != ' ' && *p != ',' && *p != '\t') p++;
        if (p > start) {
            l.v = xrealloc(l.v, sizeof(char *) * (size_t)(l.n + 1));
            l.v[l.n] = xcalloc((size_t)(p - start) + 1, 1);
            memcpy(l.v[l.n], start, (size_t)(p - start));
            l.n++;
        }
    }
    return l;
}

void strlist_free(strlist *l) {
    for (int i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int strlist_find(const strlist *l, const char *s) {
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return i;
    return -1;
}

bool is_ident(const char *s) {
    if (!s || !(*s >= 'a' && *s <= 'z')) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

bool parse_int(const char *s, long lo, long hi, long *out) {
    if (!s || !*s || isspace((unsigned char)*s)) return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

bool parse_double(const char *s, double *out) {
    if (!s || !*s || isspace((unsigned char)*s)) return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v)) return false;
    *out = v;
    return true;
}

void fullwidth_to_ascii(const char *in, char *out, size_t size) {
    size_t o = 0;
    if (!size) return;
    for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && o + 1 < size;) {
        /* U+FF01..U+FF5E is EF BC 81..BF and EF BD 80..9E; U+3000 is E3 80 80 */
        unsigned cp = p[0] == 0xef && (p[1] == 0xbc || p[1] == 0xbd) && (p[2] & 0xc0) == 0x80
                          ? 0xff00u | (unsigned)(p[1] & 0x03) << 6 | (p[2] & 0x3f)
                          : 0;
        if (cp >= 0xff10 && cp <= 0xff19) out[o++] = (char)('0' + (cp - 0xff10));
        else if (cp && cp - 0xff00 + 0x20 < 0x80 && strchr("+-()/.", (int)(cp - 0xff00 + 0x20))) out[o++] = (char)(cp - 0xff00 + 0x20);
        else if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) out[o++] = ' ';
        else {
            size_t n = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;
            if (o + n >= size) break; /* never half a character */
            for (size_t i = 0; i < n && *p; i++) out[o++] = (char)*p++;
            continue;
        }
        p += 3;
    }
    out[o] = '\0';
}

size_t utf8_sequence_length(const unsigned char *p, size_t n) {
    unsigned c = p[0], cp;
    size_t len;
    if (c >= 0xc2 && c <= 0xdf) len = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef) len = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4) len = 4, cp = c & 0x07;
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

bool utf8_valid(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) return false;
            i++;
            continue;
        }
        size_t n = utf8_sequence_length(s + i, len - i);
        if (!n) return false;
        i += n;
    }
    return true;
}

void text_for_display(const char *in, size_t max_chars, char *out, size_t size) {
    if (!size) return;
    size_t o = 0, chars = 0;
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    while (*s && o + 8 < size) {
        if (chars == max_chars) {
            snprintf(out + o, size - o, "...");
            return;
        }
        size_t n = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 0;
        size_t avail = strnlen((const char *)s, 4);
        if (n && n <= avail && utf8_valid((const char *)s, n) && !(n == 1 && (*s == '\t' || *s == '\n'))) {
            memcpy(out + o, s, n);
            o += n;
            s += n;
        } else {
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", *s);
            s++;
        }
        chars++;
    }
    out[o] = '\0';
}

void hex_encode(const unsigned char *b, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

bool hex_decode(const char *hex, size_t hexlen, unsigned char *out, size_t n) {
    if (hexlen != 2 * n) return false;
    for (size_t i = 0; i < n; i++) {
        int v = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + (size_t)k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) return false;
            v = v * 16 + d;
        }
        out[i] = (unsigned char)v;
    }
    return true;
}

bool text_has_words(const char *s) {
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s)) return true;
    return false;
}
