#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util.h"

void diag_add(diag *d, const char *file, int line, const char *key, bool warning, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    d->v = xrealloc(d->v, sizeof *d->v * (size_t)(d->n + 1));
    d->v[d->n] = (diag_entry){xstrdup(file ? file : "?"), line, key ? xstrdup(key) : NULL, xstrdup(msg), warning};
    d->n++;
    if (!warning) d->errors++;
}

void diag_format(const diag *d, int i, char *buf, size_t size) {
    const diag_entry *e = &d->v[i];
    char where[64] = "";
    if (e->line > 0) snprintf(where, sizeof where, ":%d", e->line);
    snprintf(buf, size, "%s%s: %s%s%s%s", e->file, where, e->key ? e->key : "", e->key ? ": " : "",
             e->warning ? "warning: " : "", e->msg);
}

void diag_print(const diag *d, FILE *f) {
    char buf[2048];
    for (int i = 0; i < d->n; i++) {
        diag_format(d, i, buf, sizeof buf);
        fprintf(f, "%s\n", buf);
    }
}

void diag_free(diag *d) {
    for (int i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].key);
        free(d->v[i].msg);
    }
    free(d->v);
    *d = (diag){0};
}
