#include "json_writer.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

void jw_init(json_writer *w, csv_buf *out) {
    memset(w, 0, sizeof *w);
    w->out = out;
}

/* The comma before a value or key, unless it is the first of its object or array or follows its key. */
static void separate(json_writer *w) {
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth <= 0 || w->depth > JW_MAX_DEPTH) return;
    if (w->has_items[w->depth]) csv_raw_n(w->out, ",", 1);
    w->has_items[w->depth] = true;
}

static void open_one(json_writer *w, const char *bracket) {
    separate(w);
    csv_raw_n(w->out, bracket, 1);
    w->depth++;
    if (w->depth <= JW_MAX_DEPTH) w->has_items[w->depth] = false;
}

static void close_one(json_writer *w, const char *bracket) {
    csv_raw_n(w->out, bracket, 1);
    if (w->depth > 0) w->depth--;
}

void jw_object(json_writer *w) { open_one(w, "{"); }
void jw_object_end(json_writer *w) { close_one(w, "}"); }
void jw_array(json_writer *w) { open_one(w, "["); }
void jw_array_end(json_writer *w) { close_one(w, "]"); }

void jw_key(json_writer *w, const char *key) {
    separate(w);
    json_write_string(w->out, key);
    csv_raw_n(w->out, ":", 1);
    w->after_key = true;
}

/* What a byte below 0x20, a quote or a backslash is written as. */
static void put_escape(csv_buf *b, unsigned char c) {
    char seq[8];
    switch (c) {
    case '\\': csv_raw_n(b, "\\\\", 2); return;
    case '"': csv_raw_n(b, "\\\"", 2); return;
    case '\b': csv_raw_n(b, "\\b", 2); return;
    case '\f': csv_raw_n(b, "\\f", 2); return;
    case '\n': csv_raw_n(b, "\\n", 2); return;
    case '\r': csv_raw_n(b, "\\r", 2); return;
    case '\t': csv_raw_n(b, "\\t", 2); return;
    default:
        snprintf(seq, sizeof seq, "\\u%04X", (unsigned)c);
        csv_raw_n(b, seq, 6);
    }
}

/* 1 for the bytes written as they are: ASCII but the controls, the quote and the backslash (a table: a FHIR
 * export writes some 7 KB of strings an intake, and this loop was a tenth of it) */
#define PLAIN16(a) a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a
static const unsigned char plain_byte[256] = {
    PLAIN16(0), PLAIN16(0),                                    /* 0x00-0x1f: controls */
    1, 1, 0 /* " */, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,    /* 0x20-0x2f */
    PLAIN16(1), PLAIN16(1),                                    /* 0x30-0x4f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* \\ */, 1, 1, 1,   /* 0x50-0x5f */
    PLAIN16(1), PLAIN16(1),                                    /* 0x60-0x7f */
    PLAIN16(0), PLAIN16(0), PLAIN16(0), PLAIN16(0), PLAIN16(0), PLAIN16(0), PLAIN16(0), PLAIN16(0)}; /* UTF-8 */
_Static_assert(sizeof plain_byte == 256, "one entry a byte");
#undef PLAIN16

void json_write_string(csv_buf *b, const char *s) {
    const unsigned char *p = (const unsigned char *)s, *run = p;
    size_t left = strlen(s);
    csv_raw_n(b, "\"", 1);
    while (left) {
        unsigned char c = *p;
        if (plain_byte[c]) { /* the common case: copied in runs */
            p++, left--;
            continue;
        }
        size_t len = c >= 0x80 ? utf8_sequence_length(p, left) : 0;
        if (len) {
            p += len, left -= len;
            continue;
        }
        csv_raw_n(b, (const char *)run, (size_t)(p - run));
        if (c >= 0x80) csv_raw_n(b, "\xef\xbf\xbd", 3); /* not UTF-8: U+FFFD */
        else put_escape(b, c);
        p++, left--;
        run = p;
    }
    csv_raw_n(b, (const char *)run, (size_t)(p - run));
    csv_raw_n(b, "\"", 1);
}

void jw_string(json_writer *w, const char *s) {
    separate(w);
    if (s) json_write_string(w->out, s);
    else csv_raw_n(w->out, "null", 4);
}

void jw_int(json_writer *w, long long v) {
    char t[32];
    int n = snprintf(t, sizeof t, "%lld", v);
    separate(w);
    csv_raw_n(w->out, t, (size_t)n);
}

void jw_bool(json_writer *w, bool v) {
    separate(w);
    csv_raw_n(w->out, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(json_writer *w) {
    separate(w);
    csv_raw_n(w->out, "null", 4);
}

static int to_buf(const char *buffer, size_t size, void *data) {
    csv_raw_n(data, buffer, size);
    return 0;
}

void jw_value(json_writer *w, const json_t *v, size_t flags) {
    if (!v) return;
    separate(w);
    json_dump_callback(v, to_buf, w->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | flags);
}

void jw_raw(json_writer *w, const char *json_text) {
    separate(w);
    csv_raw(w->out, json_text);
}

void jw_member_string(json_writer *w, const char *key, const char *s) {
    if (!s) return;
    jw_key(w, key);
    jw_string(w, s);
}

void jw_member_int(json_writer *w, const char *key, long long v) {
    jw_key(w, key);
    jw_int(w, v);
}

void jw_member_one_pair(json_writer *w, const char *key, const char *k1, const char *v1, const char *k2, const char *v2) {
    jw_key(w, key);
    jw_array(w);
    jw_object(w);
    jw_member_string(w, k1, v1);
    jw_member_string(w, k2, v2);
    jw_object_end(w);
    jw_array_end(w);
}
