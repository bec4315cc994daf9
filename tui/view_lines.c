/* Screens of text lines built once and scrolled (the client record, the reports): adding a formatted line,
 * and freeing them all (wiped first where they held names, notes or reasons). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "util.h"
#include "ui.h"

void view_add(view_line **lines, int *n, int attr, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    *lines = xrealloc(*lines, (size_t)(*n + 1) * sizeof **lines);
    (*lines)[*n].text = xstrdup(buf);
    (*lines)[*n].attr = attr;
    (*n)++;
    secret_wipe(buf, sizeof buf);
}

void view_clear(view_line **lines, int *n) {
    for (int i = 0; i < *n; i++) {
        secret_wipe((*lines)[i].text, strlen((*lines)[i].text));
        free((*lines)[i].text);
    }
    free(*lines);
    *lines = NULL;
    *n = 0;
}
