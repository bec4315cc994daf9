/* Helpers shared by the unit suites (linked into each test binary). They fail the running cmocka test
 * on any surprise, so callers need no error handling. */
#ifndef TRIAGE_TEST_SUPPORT_H
#define TRIAGE_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* The whole file, NUL-terminated; *len is its size. Free with free(). */
char *read_all(const char *path, size_t *len);
/* 1-based number of the first line of path that starts with prefix; fails the test when there is none. */
int fixture_line(const char *path, const char *prefix);
/* The first diagnostic whose key is key, or NULL. */
const diag_entry *find_diag(const diag *d, const char *key);
/* One number read by SQL (its first row's first column) on a read-only connection of its own. */
int64_t raw_int(const char *path, const char *sql);

#endif
