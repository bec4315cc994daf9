/* The export's reader of the intake bodies it opens: the same jansson values json_loadb gives, built in one
 * pass over the text. Why: jansson's parser reads a byte at a time through a stream and was 40% of a CSV export
 * (about 15 us a body of 700 bytes, of which building the values is 5); bodies are JSON that json_dumps
 * wrote, so a reader of plain JSON sees nearly all of them through.
 *
 * Anything it does not take for certain (a \u escape, a byte jansson refuses, a number out of range, nesting
 * deeper than JR_MAX_DEPTH, any malformed text) is left to json_loadb with flags 0, so what comes back is
 * always what json_loadb(text, n, 0) gives: equal values, the members of an object in the same order, a
 * repeated key's last value at its first place. The values are allocated by jansson (its wiping allocator,
 * core/base/wipe_alloc.h); an escaped string is unescaped in a buffer wiped after. */
#ifndef TRIAGE_JSON_READER_H
#define TRIAGE_JSON_READER_H

#include <jansson.h>
#include <stddef.h>

#define JR_MAX_DEPTH 64

/* The object or array text[0..n) holds, as json_loadb(text, n, 0, ...) reads it; NULL where that does. */
json_t *jr_loadb(const char *text, size_t n);

/* The reader alone: NULL for whatever it leaves to jansson (for the tests: they compare the two). */
json_t *jr_read_plain(const char *text, size_t n);

#endif
