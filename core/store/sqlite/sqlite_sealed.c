/* Every sealed value of the database, walked and rewritten in batches (a key rotation re-seals them). */
#include "sqlite_backend.h"

static const sealed_table sealed_tables[] = {
    /* a client's key first: a walk that opens the client's values meets the key that opens them before them */
    {"clients", S_SEALED_CLIENTS, 4, {"key", "name", "phone", "birth"}},
    {"intakes", S_SEALED_INTAKES, 2, {"body", "notes", NULL, NULL}},
    {"drafts", S_SEALED_DRAFTS, 1, {"body", NULL, NULL, NULL}},
    {"queue_events", S_SEALED_EVENTS, 1, {"reason", NULL, NULL, NULL}},
};

static void sealed_rows_free(sealed_row *rows, int n) {
    for (int i = 0; i < n; i++)
        for (int c = 0; c < 4; c++) blob_free(&rows[i].ct[c]);
}

/* Table by table, row by row, in pages copied out before the callback runs: the callback may call
 * update_sealed (re-sealing every value in one transaction) and still sees every value exactly once. */
store_status sq_each_sealed(store *s, sealed_cb cb, void *ctx) {
    sealed_row *rows = xcalloc(SEALED_BATCH, sizeof *rows);
    store_status result = ST_OK;
    bool stop = false;
    for (size_t t = 0; t < sizeof sealed_tables / sizeof sealed_tables[0] && !stop && result == ST_OK; t++) {
        const sealed_table *tb = &sealed_tables[t];
        int64_t after = 0;
        for (;;) {
            sqlite3_stmt *st = NULL;
            int k = 0;
            int rc = sq_stmt(s, tb->page, &st);
            rc = sq_b_int(st, 1, after, rc);
            rc = sq_b_int(st, 2, SEALED_BATCH, rc);
            while (rc == SQLITE_OK && k < SEALED_BATCH && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                reader r = {st, tb->table, NULL, NULL, 0};
                sealed_row *row = &rows[k];
                memset(row, 0, sizeof *row);
                row->rowid = sqlite3_column_int64(st, 0);
                sq_rd_text(&r, 1, "id", row->id, sizeof row->id, false);
                r.row = row->id;
                for (int c = 0; c < tb->ncols; c++) sq_rd_blob(&r, 2 + c, tb->cols[c], &row->ct[c], true);
                k++;
                if (r.bad) {
                    result = sq_rd_end(s, &r);
                    break;
                }
                rc = SQLITE_OK;
            }
            sq_stmt_done(st);
            if (result == ST_OK && rc != SQLITE_OK && rc != SQLITE_DONE)
                result = sq_fail_rc(s, rc, "read the sealed values of %s", tb->table);
            for (int i = 0; i < k && result == ST_OK && !stop; i++)
                for (int c = 0; c < tb->ncols && !stop; c++)
                    if (rows[i].ct[c].n > 0)
                        stop = cb(ctx, tb->table, tb->cols[c], rows[i].id, rows[i].ct[c].p, rows[i].ct[c].n) != 0;
            if (k > 0) after = rows[k - 1].rowid;
            sealed_rows_free(rows, k);
            if (result != ST_OK || stop || k < SEALED_BATCH) break;
        }
    }
    free(rows);
    return result;
}

store_status sq_update_sealed(store *s, const char *table, const char *column, const char *row_id,
                                     const unsigned char *ct, size_t n) {
    const char *what = "replace a sealed value";
    int found = -1;
    for (size_t i = 0; i < sizeof sealed_columns / sizeof sealed_columns[0]; i++)
        if (strcmp(table, sealed_columns[i].table) == 0 && strcmp(column, sealed_columns[i].column) == 0)
            found = (int)i;
    if (found < 0) return sq_invalid(s, what, "that is not a sealed column");
    if (n == 0 && !sealed_columns[found].optional)
        return sq_invalid(s, what, "%s.%s cannot be empty", sealed_columns[found].table, sealed_columns[found].column);
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = sq_stmt(s, sealed_columns[found].set, &st);
    rc = sq_b_text(st, 1, row_id, rc);
    rc = sq_b_blob_or_null(st, 2, ct, n, rc);
    rc = sq_run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK)
        return sq_fail_rc(s, rc, "replace %s.%s of the row %s", sealed_columns[found].table, sealed_columns[found].column,
                       row_id);
    if (changes == 0)
        return sq_fail(s, ST_NOTFOUND, "Database %s: no row %s in %s.", s->path, row_id, sealed_columns[found].table);
    return ST_OK;
}
