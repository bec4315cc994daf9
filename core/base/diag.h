/* Diagnostics: problems found while reading a file, each as `file:line: key: what is wrong`. */
#ifndef TRIAGE_DIAG_H
#define TRIAGE_DIAG_H

#include <stdbool.h>
#include <stdio.h>

typedef struct {
    char *file;
    int line; /* 0 when the problem has no single line (e.g. a missing key) */
    char *key; /* section.key, or NULL */
    char *msg;
    bool warning;
} diag_entry;

typedef struct {
    diag_entry *v;
    int n;
    int errors;
} diag;

void diag_add(diag *d, const char *file, int line, const char *key, bool warning, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Formats entry i into buf as `file:line: key: msg` (warnings say so). */
void diag_format(const diag *d, int i, char *buf, size_t size);
void diag_print(const diag *d, FILE *f);
void diag_free(diag *d);

#endif
