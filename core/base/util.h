/* Small string and list helpers shared by the core. */
#ifndef TRIAGE_UTIL_H
#define TRIAGE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Languages every text exists in. The order is the order of the `.en` / `.zh` suffixes. */
typedef enum { LANG_EN = 0, LANG_ZH = 1, LANG_COUNT } lang;

const char *lang_code(lang l);
/* Returns true and sets *out when code is "en" or "zh". */
bool lang_parse(const char *code, lang *out);

/* strdup that aborts on out-of-memory: the program cannot carry on without memory anyway,
 * and this keeps every caller free of half-handled allocation failures. */
char *xstrdup(const char *s);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);

/* A list of words split on spaces and commas. */
typedef struct {
    char **v;
    int n;
} strlist;

strlist strlist_split(const char *s);
void strlist_free(strlist *l);
int strlist_find(const strlist *l, const char *s);

/* True when s is a non-empty identifier of [a-z0-9_] starting with a letter. */
bool is_ident(const char *s);
/* Parses a whole base-10 integer in [lo, hi]; false on anything else. */
bool parse_int(const char *s, long lo, long hi, long *out);
/* Parses a finite decimal number. */
bool parse_double(const char *s, double *out);
/* The length of the valid UTF-8 sequence of two to four bytes at p (at most n bytes), or 0 when it is not one:
 * no overlong forms, no surrogates, nothing past U+10FFFF (what jansson accepts). */
size_t utf8_sequence_length(const unsigned char *p, size_t n);
/* True when the bytes are valid UTF-8 with no control characters other than those allowed. */
bool utf8_valid(const char *s, size_t len);

/* The full-width forms a Chinese input method types (０-９, ＋, －, （, ）, ／, ．, the ideographic space) as the ASCII
 * they stand for, everything else as it is: a phone number, a number or a date typed so is the same answer. */
void fullwidth_to_ascii(const char *in, char *out, size_t size);

/* Copies text for a message: valid printable UTF-8 as is, every other byte as \xNN, cut at max_chars
 * characters with "..." so that hostile input can neither break a terminal nor flood it. */
void text_for_display(const char *in, size_t max_chars, char *out, size_t size);

/* Lower-case hex of n bytes into out (2n + 1 bytes); and back: hexlen must be exactly 2n. */
void hex_encode(const unsigned char *b, size_t n, char *out);
bool hex_decode(const char *hex, size_t hexlen, unsigned char *out, size_t n);

/* A written reason: something other than spaces (NULL and "   " are not). */
bool text_has_words(const char *s);

#endif
