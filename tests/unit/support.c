#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "wipe_alloc.h"

/* Test setup for every suite: jansson wipes what it frees, as in the program (core/base/wipe_alloc.h). */
__attribute__((constructor)) static void support_setup(void) { wipe_alloc_install(); }

char *read_all(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            buf = realloc(buf, (cap *= 2) + 1);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

int fixture_line(const char *path, const char *prefix) {
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char buf[2048];
    int n = 0, found = 0;
    while (!found && fgets(buf, sizeof buf, fp)) {
        n++;
        if (strncmp(buf, prefix, strlen(prefix)) == 0) found = n;
    }
    fclose(fp);
    assert_true(found > 0);
    return found;
}

const diag_entry *find_diag(const diag *d, const char *key) {
    for (int i = 0; i < d->n; i++)
        if (d->v[i].key && strcmp(d->v[i].key, key) == 0) return &d->v[i];
    return NULL;
}

int64_t raw_int(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return v;
}
