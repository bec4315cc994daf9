/* Every intake of a range with its client and its report facts, read in one step each (store.h:
 * intake_each_joined). Why: an export read the client and the facts of each intake with a lookup apiece, a
 * quarter of its time (bench_report). Part of the SQLite backend. */
#include "sqlite_backend.h"

enum { AT_INTAKE = 1, AT_CLIENT = 11, AT_FACTS = 18 }; /* S_INTAKE_PAGE_JOINED's columns */

static void joined_free(intake_joined *j) {
    intake_rec_free(&j->intake);
    if (j->has_client) client_rec_free(&j->client);
    memset(j, 0, sizeof *j);
}

/* One row: the intake (its damage refuses the read, as intake_each_between does), its client and facts when the
 * join found them (their damage too). */
static store_status read_joined(store *s, sqlite3_stmt *st, intake_joined *j) {
    memset(j, 0, sizeof *j);
    store_status x = sq_read_intake_at(s, st, AT_INTAKE, &j->intake);
    if (x != ST_OK) return x;
    if (sqlite3_column_type(st, AT_CLIENT) != SQLITE_NULL) {
        x = sq_read_client_at(s, st, AT_CLIENT, &j->client);
        if (x != ST_OK) {
            intake_rec_free(&j->intake);
            return x;
        }
        j->has_client = true;
    }
    if (sqlite3_column_type(st, AT_FACTS) != SQLITE_NULL) {
        x = sq_read_facts_at(s, st, AT_FACTS, &j->facts);
        if (x != ST_OK) {
            joined_free(j);
            return x;
        }
        j->has_facts = true;
    }
    return ST_OK;
}

/* Pages by (created_at, rowid), each copied out before the callbacks run (as sq_intake_each_between). */
store_status sq_intake_each_joined(store *s, int64_t from, int64_t to, intake_joined_cb cb, void *ctx) {
    intake_joined *page = xcalloc(INTAKE_PAGE, sizeof *page);
    int64_t after_at = INT64_MIN, after_row = 0;
    store_status result = ST_OK;
    bool stop = false;
    while (!stop && result == ST_OK) {
        sqlite3_stmt *st = NULL;
        int k = 0, rc = sq_stmt(s, S_INTAKE_PAGE_JOINED, &st);
        rc = sq_b_int(st, 1, from, rc);
        rc = sq_b_int(st, 2, to, rc);
        rc = sq_b_int(st, 3, after_at, rc);
        rc = sq_b_int(st, 4, after_row, rc);
        rc = sq_b_int(st, 5, INTAKE_PAGE, rc);
        while (rc == SQLITE_OK && k < INTAKE_PAGE && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t rowid = sqlite3_column_int64(st, 0);
            result = read_joined(s, st, &page[k]);
            if (result != ST_OK) break;
            after_at = page[k].intake.created_at;
            after_row = rowid;
            k++;
            rc = SQLITE_OK;
        }
        sq_stmt_done(st);
        if (result == ST_OK && rc != SQLITE_OK && rc != SQLITE_DONE) result = sq_fail_rc(s, rc, "read the intakes");
        for (int i = 0; i < k && result == ST_OK && !stop; i++) stop = cb(ctx, &page[i]) != 0;
        for (int i = 0; i < k; i++) joined_free(&page[i]);
        if (k < INTAKE_PAGE) break;
    }
    free(page);
    return result;
}
