#include "json_reader.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wipe_alloc.h"

typedef struct {
    const unsigned char *p, *end;
    int depth;
} reader;

static json_t *read_value(reader *r);

static void skip_space(reader *r) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) r->p++;
}

/* The string whose opening quote r is on: *s and *len its text; when it has escapes, *s is *owned, a buffer
 * for wipe_free. False for what is left to jansson (\u, a control byte, bytes that are not UTF-8). */
static bool read_string(reader *r, const char **s, size_t *len, char **owned) {
    const unsigned char *start = ++r->p, *p = start;
    bool escaped = false;
    *owned = NULL;
    for (;;) {
        if (p >= r->end) return false;
        unsigned char c = *p;
        if (c == '"') break;
        if (c == '\\') {
            if (p + 1 >= r->end || !strchr("\"\\/bfnrt", p[1]) || !p[1]) return false;
            escaped = true;
            p += 2;
        } else if (c < 0x20) {
            return false;
        } else if (c < 0x80) {
            p++;
        } else {
            size_t k = utf8_sequence_length(p, (size_t)(r->end - p));
            if (!k) return false;
            p += k;
        }
    }
    r->p = p + 1;
    *len = (size_t)(p - start);
    *s = (const char *)start;
    if (!escaped) return true;
    /* the opened body's text: unescaped into a block the wiping allocator frees */
    char *out = wipe_malloc(*len + 1);
    if (!out) return false;
    size_t n = 0;
    for (const unsigned char *q = start; q < p; q++) {
        if (*q != '\\') {
            out[n++] = (char)*q;
            continue;
        }
        switch (*++q) {
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        default: out[n++] = (char)*q; /* " \ / */
        }
    }
    *s = *owned = out;
    *len = n;
    return true;
}

static locale_t c_locale;
static pthread_once_t c_once = PTHREAD_ONCE_INIT;
static void c_locale_make(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

/* A number as jansson's lexer takes it: an integer (no fraction, no exponent) within json_int_t, else a real
 * that does not overflow, read in the C locale whatever the program's (jansson converts to it likewise). */
static json_t *read_number(reader *r) {
    const unsigned char *p = r->p, *start = p;
    bool real = false;
    if (p < r->end && *p == '-') p++;
    if (p < r->end && *p == '0') p++;
    else if (p < r->end && *p >= '1' && *p <= '9')
        while (p < r->end && *p >= '0' && *p <= '9') p++;
    else return NULL;
    if (p < r->end && *p == '.') {
        real = true;
        if (++p >= r->end || *p < '0' || *p > '9') return NULL;
        while (p < r->end && *p >= '0' && *p <= '9') p++;
    }
    if (p < r->end && (*p == 'e' || *p == 'E')) {
        real = true;
        if (++p < r->end && (*p == '+' || *p == '-')) p++;
        if (p >= r->end || *p < '0' || *p > '9') return NULL;
        while (p < r->end && *p >= '0' && *p <= '9') p++;
    }
    char t[64];
    size_t n = (size_t)(p - start);
    if (n >= sizeof t) return NULL;
    memcpy(t, start, n);
    t[n] = '\0';
    r->p = p;
    errno = 0;
    if (!real) {
        long long v = strtoll(t, NULL, 10);
        return errno == ERANGE ? NULL : json_integer(v);
    }
    pthread_once(&c_once, c_locale_make);
    if (!c_locale) return NULL;
    errno = 0;
    double d = strtod_l(t, NULL, c_locale);
    if ((d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE) return NULL;
    return json_real(d);
}

static bool word(reader *r, const char *w, size_t n) {
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0) return false;
    r->p += n;
    return true;
}

static json_t *read_object(reader *r) {
    json_t *o = json_object();
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        return o;
    }
    while (o) {
        const char *key;
        size_t klen;
        char *owned;
        if (r->p >= r->end || *r->p != '"' || !read_string(r, &key, &klen, &owned)) break;
        skip_space(r);
        json_t *v = NULL;
        if (r->p < r->end && *r->p == ':') {
            r->p++;
            skip_space(r);
            v = read_value(r);
        }
        /* as jansson's parser: a repeated key's value replaces the first, at its place */
        bool set = v && json_object_setn_new_nocheck(o, key, klen, v) == 0;
        wipe_free(owned);
        if (!set) break;
        skip_space(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            skip_space(r);
            continue;
        }
        if (r->p < r->end && *r->p == '}') {
            r->p++;
            return o;
        }
        break;
    }
    json_decref(o);
    return NULL;
}

static json_t *read_array(reader *r) {
    json_t *a = json_array();
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
        return a;
    }
    while (a) {
        json_t *v = read_value(r);
        if (!v || json_array_append_new(a, v) != 0) break;
        skip_space(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            skip_space(r);
            continue;
        }
        if (r->p < r->end && *r->p == ']') {
            r->p++;
            return a;
        }
        break;
    }
    json_decref(a);
    return NULL;
}

static json_t *read_value(reader *r) {
    if (r->p >= r->end) return NULL;
    json_t *v = NULL;
    switch (*r->p) {
    case '{':
    case '[':
        if (++r->depth > JR_MAX_DEPTH) return NULL;
        v = *r->p == '{' ? read_object(r) : read_array(r);
        r->depth--;
        return v;
    case '"': {
        const char *s;
        size_t n;
        char *owned;
        if (!read_string(r, &s, &n, &owned)) return NULL;
        v = json_stringn_nocheck(s, n);
        wipe_free(owned);
        return v;
    }
    case 't': return word(r, "true", 4) ? json_true() : NULL;
    case 'f': return word(r, "false", 5) ? json_false() : NULL;
    case 'n': return word(r, "null", 4) ? json_null() : NULL;
    default: return read_number(r);
    }
}

json_t *jr_read_plain(const char *text, size_t n) {
    if (!text) return NULL;
    reader r = {(const unsigned char *)text, (const unsigned char *)text + n, 0};
    skip_space(&r);
    /* what json_loadb takes without JSON_DECODE_ANY: an object or an array, then nothing but white space */
    if (r.p >= r.end || (*r.p != '{' && *r.p != '[')) return NULL;
    json_t *v = read_value(&r);
    skip_space(&r);
    if (v && r.p != r.end) {
        json_decref(v);
        v = NULL;
    }
    return v;
}

json_t *jr_loadb(const char *text, size_t n) {
    json_t *v = jr_read_plain(text, n);
    if (!v && text) {
        json_error_t je;
        v = json_loadb(text, n, 0, &je);
    }
    return v;
}
