#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wipe_alloc.h"

void csv_init(csv_buf *b) {
    memset(b, 0, sizeof *b);
    b->cap = 256;
    b->p = xcalloc(b->cap, 1);
}

/* An export's rows (names and answers in an identified one) are wiped when the buffer goes or grows. */
void csv_free(csv_buf *b) {
    wipe_free(b->p);
    memset(b, 0, sizeof *b);
}

static void put(csv_buf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap) b->cap *= 2;
        char *bigger = xcalloc(b->cap, 1); /* not realloc: it would free the old rows unwiped */
        memcpy(bigger, b->p, b->n);
        wipe_free(b->p);
        b->p = bigger;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void csv_raw(csv_buf *b, const char *text) { put(b, text, strlen(text)); }

void csv_raw_n(csv_buf *b, const char *p, size_t n) { put(b, p, n); }

void csv_field(csv_buf *b, const char *text) {
    if (b->fields++) put(b, ",", 1);
    if (!text) return;
    if (!strpbrk(text, ",\"\r\n")) {
        put(b, text, strlen(text));
        return;
    }
    put(b, "\"", 1);
    for (const char *c = text; *c; c++) {
        if (*c == '"') put(b, "\"", 1);
        put(b, c, 1);
    }
    put(b, "\"", 1);
}

void csv_field_int(csv_buf *b, long long v) {
    char t[32];
    snprintf(t, sizeof t, "%lld", v);
    csv_field(b, t);
}

void csv_end_row(csv_buf *b) {
    put(b, "\r\n", 2);
    b->fields = 0;
}

char *csv_take(csv_buf *b) {
    char *p = b->p;
    memset(b, 0, sizeof *b);
    return p;
}
