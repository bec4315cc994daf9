/* Staff accounts: their keys, role, lock state and failed logins. */
#include "sqlite_backend.h"

/* ?1 to ?13: everything but created_at */
static int bind_staff(sqlite3_stmt *st, const staff_rec *r, int rc) {
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_text(st, 2, r->name, rc);
    rc = sq_b_text(st, 3, staff_role_name(r->role), rc);
    rc = sq_b_blob(st, 4, r->keys.public_key, sizeof r->keys.public_key, rc);
    rc = sq_b_blob(st, 5, r->keys.wrapped_secret, sizeof r->keys.wrapped_secret, rc);
    rc = sq_b_int(st, 6, r->keys.kdf.alg, rc);
    rc = sq_b_int(st, 7, (int64_t)r->keys.kdf.opslimit, rc);
    rc = sq_b_int(st, 8, (int64_t)r->keys.kdf.memlimit, rc);
    rc = sq_b_blob(st, 9, r->keys.kdf.salt, sizeof r->keys.kdf.salt, rc);
    rc = sq_b_blob(st, 10, r->keys.sealed_data_key, sizeof r->keys.sealed_data_key, rc);
    rc = sq_b_int(st, 11, r->locked ? 1 : 0, rc);
    rc = sq_b_int(st, 12, r->failed_logins, rc);
    rc = sq_b_int(st, 13, r->last_failed_at, rc);
    return rc;
}

store_status sq_staff_insert(store *s, const staff_rec *r) {
    const char *what = "add a staff member";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_STAFF_INSERT, &st);
    rc = bind_staff(st, r, rc);
    rc = sq_b_int(st, 14, r->created_at, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "add the staff member %s", r->id);
}

store_status sq_staff_update(store *s, const staff_rec *r) {
    const char *what = "update a staff member";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = sq_stmt(s, S_STAFF_UPDATE, &st);
    rc = bind_staff(st, r, rc);
    rc = sq_run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "update the staff member %s", r->id);
    if (changes == 0) return sq_fail(s, ST_NOTFOUND, "Database %s: no staff member %s.", s->path, r->id);
    return ST_OK;
}

/* The one row of statement sid for key, read with read(); ST_NOTFOUND names what was missing. */
store_status sq_one_row(store *s, enum sid sid, const char *key, store_status (*read)(store *, sqlite3_stmt *, void *),
                            void *out, const char *what) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, sid, &st);
    rc = sq_b_text(st, 1, key, rc);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_status x = read(s, st, out);
        sq_stmt_done(st);
        return x;
    }
    sq_stmt_done(st);
    if (rc == SQLITE_DONE) return sq_fail(s, ST_NOTFOUND, "Database %s: no %s %s.", s->path, what, key);
    return sq_fail_rc(s, rc, "read the %s %s", what, key);
}

static store_status rd_staff_one(store *s, sqlite3_stmt *st, void *o) { return sq_read_staff(s, st, o); }

store_status sq_rd_client_one(store *s, sqlite3_stmt *st, void *o) { return sq_read_client(s, st, o); }

store_status sq_rd_intake_one(store *s, sqlite3_stmt *st, void *o) { return sq_read_intake(s, st, o); }

store_status sq_rd_draft_one(store *s, sqlite3_stmt *st, void *o) { return sq_read_draft(s, st, o); }

static store_status staff_one(store *s, enum sid id, const char *key, staff_rec *out, const char *what) {
    return sq_one_row(s, id, key, rd_staff_one, out, what);
}

store_status sq_staff_by_name(store *s, const char *name, staff_rec *out) {
    return staff_one(s, S_STAFF_BY_NAME, name, out, "staff member named");
}

store_status sq_staff_by_id(store *s, const char *id, staff_rec *out) {
    return staff_one(s, S_STAFF_BY_ID, id, out, "staff member");
}

/* Grows a result array by one element (zeroed); aborts on out-of-memory like every x* helper. */
static void *grow(void *v, int *cap, int n, size_t elem) {
    if (n < *cap) return v;
    *cap = *cap ? *cap * 2 : 8;
    v = xrealloc(v, (size_t)*cap * elem);
    memset((char *)v + (size_t)n * elem, 0, (size_t)(*cap - n) * elem);
    return v;
}

store_status sq_list_rows_by(store *s, enum sid sid, list_param p, size_t elem, row_reader read, row_drop drop,
                                 void **out, int *n, const char *what) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, sid, &st);
    if (p.text) rc = sq_b_text(st, 1, p.text, rc);
    else if (p.has_int) rc = sq_b_int(st, 1, p.integer, rc);
    return sq_collect_rows(s, st, rc, elem, read, drop, out, n, what);
}

/* Steps a prepared, bound statement (rc: the binding's result) and reads every row into a malloc'd array
 * of elem-size records; resets the statement. */
store_status sq_collect_rows(store *s, sqlite3_stmt *st, int rc, size_t elem, row_reader read, row_drop drop,
                                 void **out, int *n, const char *what) {
    char *v = NULL;
    int cnt = 0, cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        v = grow(v, &cap, cnt, elem);
        store_status x = read(s, st, v + (size_t)cnt * elem);
        if (x != ST_OK) {
            sq_stmt_done(st);
            for (int i = 0; drop && i < cnt; i++) drop(v + (size_t)i * elem);
            free(v);
            return x;
        }
        cnt++;
        rc = SQLITE_OK;
    }
    sq_stmt_done(st);
    if (rc != SQLITE_DONE) {
        for (int i = 0; drop && i < cnt; i++) drop(v + (size_t)i * elem);
        free(v);
        return sq_fail_rc(s, rc, "%s", what);
    }
    if (cnt == 0) {
        free(v);
        v = NULL;
    }
    *out = v;
    *n = cnt;
    return ST_OK;
}

store_status sq_list_rows(store *s, enum sid sid, const char *key, size_t elem, row_reader read, row_drop drop,
                              void **out, int *n, const char *what) {
    return sq_list_rows_by(s, sid, (list_param){key, false, 0}, elem, read, drop, out, n, what);
}

store_status sq_rd_counselor_row(store *s, sqlite3_stmt *st, void *o) { return sq_read_counselor(s, st, o); }

store_status sq_staff_list(store *s, staff_rec **out, int *n) {
    return sq_list_rows(s, S_STAFF_LIST, NULL, sizeof **out, rd_staff_one, NULL, (void **)out, n, "list the staff");
}
