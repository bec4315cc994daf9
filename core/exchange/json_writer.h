/* JSON written straight into an export's pending output (a csv_buf, wiped as it grows and as it is
 * flushed), without building a jansson tree first: the export's Bundle and JSON lines are written this way,
 * an object or array at a time. What it writes is byte for byte what jansson's json_dump_callback writes
 * with JSON_COMPACT | JSON_PRESERVE_ORDER for the same values in the same order (tests/unit/test_json_writer.c
 * compares them): strings escaped as RFC 8259 asks and jansson does (\" \\ \b \f \n \r \t, other control
 * characters as \u00XX, everything else as it is, '/' and non-ASCII included), integers as %lld.
 *
 * A string that is not valid UTF-8 cannot be written as JSON: each invalid byte becomes U+FFFD (jansson would
 * refuse the whole string). A NULL string given to jw_member_string leaves the member out, as
 * json_object_set_new(o, key, json_string(NULL)) does. Nesting deeper than JW_MAX_DEPTH is a programming
 * error: the writer stops writing separators correctly past it, so the export's structures stay shallow. */
#ifndef TRIAGE_JSON_WRITER_H
#define TRIAGE_JSON_WRITER_H

#include <jansson.h>
#include <stdbool.h>

#include "csv.h"

#define JW_MAX_DEPTH 32

typedef struct {
    csv_buf *out;
    int depth;
    bool after_key;              /* a key was written: its value comes next, with no comma */
    bool has_items[JW_MAX_DEPTH + 1]; /* the open object or array at each depth has a member already */
} json_writer;

void jw_init(json_writer *w, csv_buf *out);

void jw_object(json_writer *w);
void jw_object_end(json_writer *w);
void jw_array(json_writer *w);
void jw_array_end(json_writer *w);
/* A member's key; its value is the next thing written. */
void jw_key(json_writer *w, const char *key);

void jw_string(json_writer *w, const char *s); /* NULL: null */
void jw_int(json_writer *w, long long v);
void jw_bool(json_writer *w, bool v);
void jw_null(json_writer *w);
/* A jansson value as it is (a part of a stored body), compact and in its own order; flags are added to
 * JSON_COMPACT | JSON_PRESERVE_ORDER (e.g. JSON_REAL_PRECISION(6)). NULL writes nothing. */
void jw_value(json_writer *w, const json_t *v, size_t flags);

/* A value already written as JSON text (by this writer, kept to be written again). */
void jw_raw(json_writer *w, const char *json_text);

/* key and value in one call; jw_member_string leaves the member out when s is NULL. */
void jw_member_string(json_writer *w, const char *key, const char *s);
void jw_member_int(json_writer *w, const char *key, long long v);
/* key: [{k1: v1, k2: v2}], a list of one object of two strings (FHIR's extension, identifier and telecom
 * take this shape); a NULL value leaves its member out, as jw_member_string does. */
void jw_member_one_pair(json_writer *w, const char *key, const char *k1, const char *v1, const char *k2, const char *v2);

/* Appends s as a JSON string (quotes and escapes) to b: what jw_string writes. */
void json_write_string(csv_buf *b, const char *s);

#endif
