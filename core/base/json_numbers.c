#include "json_numbers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length of the JSON number at p (RFC 8259's grammar, at most end - p bytes), 0 when none starts there. */
static size_t number_len(const char *p, const char *end) {
    const char *q = p;
    if (q < end && *q == '-') q++;
    if (q >= end || *q < '0' || *q > '9') return 0;
    while (q < end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' || *q == '+' || *q == '-')) q++;
    return (size_t)(q - p);
}

bool json_number_underflows(const char *text, size_t len, int *line, int *column, char *token, size_t size) {
    const char *p = text, *end = text + len, *line_start = text;
    int ln = 1;
    bool in_string = false;
    while (p < end) {
        char c = *p;
        if (c == '\n') {
            ln++;
            line_start = p + 1;
            p++;
            continue;
        }
        if (in_string) {
            if (c == '\\' && p + 1 < end) p++; /* an escaped quote does not end the string */
            else if (c == '"') in_string = false;
            p++;
            continue;
        }
        if (c == '"') {
            in_string = true;
            p++;
            continue;
        }
        size_t n = number_len(p, end);
        if (!n) {
            p++;
            continue;
        }
        /* a mantissa with a digit other than 0 that reads as 0 underflowed */
        bool nonzero = false;
        for (size_t i = 0; i < n && p[i] != 'e' && p[i] != 'E'; i++) nonzero |= p[i] >= '1' && p[i] <= '9';
        if (nonzero) {
            char *whole = malloc(n + 1); /* the whole token: a head cut from a long fraction could read 0 */
            if (!whole) return false;
            memcpy(whole, p, n);
            whole[n] = '\0';
            bool zero = strtod(whole, NULL) == 0.0;
            if (zero) {
                *line = ln;
                *column = (int)(p - line_start) + 1;
                snprintf(token, size, "%.*s%s", (int)(n < 40 ? n : 40), whole, n > 40 ? "..." : "");
            }
            free(whole);
            if (zero) return true;
        }
        p += n;
    }
    return false;
}
