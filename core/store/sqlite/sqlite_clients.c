/* Counselors, clients, the blind index that finds them, and intakes. */
#include "sqlite_backend.h"

store_status sq_counselor_upsert(store *s, const counselor_rec *r) {
    const char *what = "save a counselor";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_COUNSELOR_UPSERT, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_text(st, 2, r->code, rc);
    rc = sq_b_text(st, 3, r->name, rc);
    rc = sq_b_text(st, 4, r->gender, rc);
    rc = sq_b_text(st, 5, r->languages, rc);
    rc = sq_b_text(st, 6, r->orientations, rc);
    rc = sq_b_int(st, 7, r->high_risk ? 1 : 0, rc);
    rc = sq_b_int(st, 8, r->available ? 1 : 0, rc);
    rc = sq_b_int(st, 9, r->capacity, rc);
    rc = sq_b_int(st, 10, r->caseload, rc);
    rc = sq_b_text(st, 11, r->weights, rc);
    rc = sq_b_int(st, 12, r->updated_at, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "save the counselor %s", r->id);
}

store_status sq_counselor_list(store *s, counselor_rec **out, int *n) {
    return sq_list_rows(s, S_COUNSELOR_LIST, NULL, sizeof **out, sq_rd_counselor_row, NULL, (void **)out, n,
                     "list the counselors");
}

/* The client's own key, sealed (schema 11), in its row beside the client's. */
static int put_key(store *s, const client_rec *r) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_SET_CLIENT_KEY, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_blob(st, 2, r->key_ct.p, r->key_ct.n, rc);
    return sq_run_write(s, st, rc, NULL);
}

store_status sq_client_insert(store *s, const client_rec *r) {
    const char *what = "add a client";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_CLIENT_INSERT, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_int(st, 2, r->created_at, rc);
    rc = sq_b_text(st, 3, r->created_by, rc);
    rc = sq_b_blob(st, 4, r->name_ct.p, r->name_ct.n, rc);
    rc = sq_b_blob_or_null(st, 5, r->phone_ct.p, r->phone_ct.n, rc);
    rc = sq_b_blob_or_null(st, 6, r->birth_ct.p, r->birth_ct.n, rc);
    rc = sq_run_write(s, st, rc, NULL);
    if (rc == SQLITE_OK && r->key_ct.n) rc = put_key(s, r);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "add the client %s", r->id);
}

/* The sealed fields and the sealed key only: id, created_at and created_by are the record's provenance. */
store_status sq_client_update(store *s, const client_rec *r) {
    const char *what = "update a client";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = sq_stmt(s, S_CLIENT_UPDATE, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_blob(st, 2, r->name_ct.p, r->name_ct.n, rc);
    rc = sq_b_blob_or_null(st, 3, r->phone_ct.p, r->phone_ct.n, rc);
    rc = sq_b_blob_or_null(st, 4, r->birth_ct.p, r->birth_ct.n, rc);
    rc = sq_run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "update the client %s", r->id);
    if (changes == 0) return sq_fail(s, ST_NOTFOUND, "Database %s: no client %s.", s->path, r->id);
    if (r->key_ct.n && (rc = put_key(s, r)) != SQLITE_OK) return sq_fail_rc(s, rc, "update the client %s", r->id);
    return ST_OK;
}

store_status sq_client_get(store *s, const char *id, client_rec *out) {
    return sq_one_row(s, S_CLIENT_GET, id, sq_rd_client_one, out, "client");
}

store_status sq_client_count(store *s, int64_t *n) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_CLIENT_COUNT, &st);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sq_stmt_done(st);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "count the clients");
}

store_status sq_bidx_add(store *s, uint32_t value, const char *client_id) {
    const char *what = "add a search entry";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_BIDX_ADD, &st);
    rc = sq_b_int(st, 1, (int64_t)value, rc);
    rc = sq_b_text(st, 2, client_id, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "add a search entry for the client %s", client_id);
}

store_status sq_bidx_clear(store *s, const char *client_id) {
    const char *what = "clear the search entries";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_BIDX_CLEAR, &st);
    rc = sq_b_text(st, 1, client_id, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "clear the search entries of the client %s", client_id);
}

/* Lists of ids (one text column): the row readers of collect_rows. */
store_status sq_rd_id_column(store *s, sqlite3_stmt *st, void *o, const char *table, const char *col) {
    reader r = {st, table, NULL, NULL, 0};
    sq_rd_text(&r, 0, col, o, STORE_ID_LEN, false);
    return sq_rd_end(s, &r);
}

static store_status rd_bidx_id(store *s, sqlite3_stmt *st, void *o) { return sq_rd_id_column(s, st, o, "blind_index", "client_id"); }

store_status sq_rd_clients_id(store *s, sqlite3_stmt *st, void *o) { return sq_rd_id_column(s, st, o, "clients", "id"); }

store_status sq_bidx_find(store *s, uint32_t value, char (**ids)[STORE_ID_LEN], int *n) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_BIDX_FIND, &st);
    rc = sq_b_int(st, 1, (int64_t)value, rc);
    return sq_collect_rows(s, st, rc, sizeof **ids, rd_bidx_id, NULL, (void **)ids, n, "search the clients");
}

store_status sq_intake_insert(store *s, const intake_rec *r) {
    const char *what = "add an intake";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_INTAKE_INSERT, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_text(st, 2, r->client_id, rc);
    rc = sq_b_int(st, 3, r->created_at, rc);
    rc = sq_b_text(st, 4, r->created_by, rc);
    rc = sq_b_text(st, 5, r->level, rc);
    rc = sq_b_text_or_null(st, 6, r->suggested, rc);
    rc = sq_b_text_or_null(st, 7, r->chosen, rc);
    rc = sq_b_blob(st, 8, r->body_ct.p, r->body_ct.n, rc);
    rc = sq_b_blob_or_null(st, 9, r->notes_ct.p, r->notes_ct.n, rc);
    rc = sq_b_blob_or_null(st, 10, r->mac, r->has_mac ? VAULT_MAC_BYTES : 0, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "add the intake %s", r->id);
}

store_status sq_intake_get(store *s, const char *id, intake_rec *out) {
    return sq_one_row(s, S_INTAKE_GET, id, sq_rd_intake_one, out, "intake");
}

typedef struct {
    intake_rec *intake;
    blob *key_ct;
} keyed_out;

/* The intake as sq_read_intake checks it, then the key beside it (a damaged one refuses the read too). */
static store_status rd_intake_keyed(store *s, sqlite3_stmt *st, void *o) {
    keyed_out *k = o;
    store_status x = sq_read_intake(s, st, k->intake);
    if (x != ST_OK) return x;
    reader r = {st, "client_keys", k->intake->client_id, NULL, 0};
    sq_rd_blob(&r, 10, "key_ct", k->key_ct, true);
    x = sq_rd_end(s, &r);
    if (x != ST_OK) intake_rec_free(k->intake);
    return x;
}

store_status sq_intake_get_keyed(store *s, const char *id, intake_rec *out, blob *key_ct) {
    keyed_out k = {out, key_ct};
    key_ct->p = NULL;
    key_ct->n = 0;
    return sq_one_row(s, S_INTAKE_GET_KEYED, id, rd_intake_keyed, &k, "intake");
}

static void drop_intake(void *r) { intake_rec_free(r); }

store_status sq_intake_list_for_client(store *s, const char *client_id, intake_rec **out, int *n) {
    return sq_list_rows(s, S_INTAKE_LIST, client_id, sizeof **out, sq_rd_intake_one, drop_intake, (void **)out, n,
                     "list the intakes of a client");
}
