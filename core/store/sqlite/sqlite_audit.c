/* Drafts of unfinished intakes, and the append-only audit log read in pages. */
#include "sqlite_backend.h"

store_status sq_draft_put(store *s, const draft_rec *r) {
    const char *what = "save a draft";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_DRAFT_PUT, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_text(st, 2, r->staff_id, rc);
    rc = sq_b_int(st, 3, r->updated_at, rc);
    rc = sq_b_blob(st, 4, r->body_ct.p, r->body_ct.n, rc);
    int changes = 0;
    rc = sq_run_write(s, st, rc, &changes);
    if (rc == SQLITE_OK && changes == 0)
        return sq_fail(s, ST_EXISTS, "Database %s: the draft %s belongs to another worker.", s->path, r->id);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "save the draft %s", r->id);
}

store_status sq_draft_for_staff(store *s, const char *staff_id, draft_rec *out) {
    return sq_one_row(s, S_DRAFT_FOR_STAFF, staff_id, sq_rd_draft_one, out, "draft of the staff member");
}

store_status sq_draft_delete(store *s, const char *id) {
    const char *what = "delete a draft";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = sq_stmt(s, S_DRAFT_DELETE, &st);
    rc = sq_b_text(st, 1, id, rc);
    rc = sq_run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "delete the draft %s", id);
    if (changes == 0) return sq_fail(s, ST_NOTFOUND, "Database %s: no draft %s.", s->path, id);
    return ST_OK;
}

store_status sq_audit_append(store *s, audit_rec *r) {
    const char *what = "append to the audit log";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_AUDIT_APPEND, &st);
    rc = sq_b_int(st, 1, r->at, rc);
    rc = sq_b_text_or_null(st, 2, r->staff_id, rc);
    rc = sq_b_text(st, 3, r->action, rc);
    rc = sq_b_text(st, 4, r->object_id, rc);
    rc = sq_b_text(st, 5, r->detail, rc);
    rc = sq_b_blob(st, 6, r->hash, sizeof r->hash, rc);
    if (r->has_mac)
        rc = sq_b_blob(st, 7, r->mac, sizeof r->mac, rc);
    else if (rc == SQLITE_OK)
        rc = sqlite3_bind_null(st, 7);
    if (r->has_sig)
        rc = sq_b_blob(st, 8, r->sig, sizeof r->sig, rc);
    else if (rc == SQLITE_OK)
        rc = sqlite3_bind_null(st, 8);
    rc = sq_run_write(s, st, rc, NULL);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "%s", what);
    r->seq = sqlite3_last_insert_rowid(s->db); /* seq is the rowid */
    return ST_OK;
}

/* One entry from a prepared (and bound) statement: ST_NOTFOUND, saying `none`, when it gives no row. With prev,
 * the statement's columns 9 and 10 are the hash and signature of the entry before it (NULL before the first: zeros,
 * and NULL for an unsigned one), and 11 the hash of its writer's newest signed entry before it (NULL: none). */
static store_status one_entry(store *s, sqlite3_stmt *st, int rc, audit_rec *out, audit_link *prev, const char *none) {
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_status x = sq_read_audit(s, st, out);
        if (x == ST_OK && prev) {
            memset(prev, 0, sizeof *prev);
            bool has_hash = sqlite3_column_type(st, 9) != SQLITE_NULL, has_sig = sqlite3_column_type(st, 10) != SQLITE_NULL,
                 has_own = sqlite3_column_type(st, 11) != SQLITE_NULL;
            if ((has_hash && sqlite3_column_bytes(st, 9) != VAULT_MAC_BYTES) ||
                (has_sig && sqlite3_column_bytes(st, 10) != VAULT_SIG_BYTES) ||
                (has_own && sqlite3_column_bytes(st, 11) != VAULT_MAC_BYTES))
                x = sq_fail(s, ST_CORRUPT, "Database %s: audit entry %lld: the entry before it has no valid hash or "
                            "signature.", s->path, (long long)out->seq);
            if (x == ST_OK && has_hash) memcpy(prev->hash, sqlite3_column_blob(st, 9), VAULT_MAC_BYTES);
            if (x == ST_OK && has_sig) memcpy(prev->sig, sqlite3_column_blob(st, 10), VAULT_SIG_BYTES);
            prev->has_sig = x == ST_OK && has_sig;
            if (x == ST_OK && has_own) memcpy(prev->own_hash, sqlite3_column_blob(st, 11), VAULT_MAC_BYTES);
            prev->has_own = x == ST_OK && has_own;
        }
        sq_stmt_done(st);
        return x;
    }
    sq_stmt_done(st);
    if (rc == SQLITE_DONE) return sq_fail(s, ST_NOTFOUND, "Database %s: %s.", s->path, none);
    return sq_fail_rc(s, rc, "read the audit log");
}

store_status sq_audit_last(store *s, audit_rec *out) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_AUDIT_LAST, &st);
    return one_entry(s, st, rc, out, NULL, "the audit log is empty");
}

store_status sq_audit_by_object(store *s, const char *object_id, const char *action, bool newest, audit_rec *out,
                                audit_link *prev) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, newest ? S_AUDIT_LAST_OF : S_AUDIT_FIRST_OF, &st);
    rc = sq_b_text(st, 1, object_id, rc);
    rc = sq_b_text(st, 2, action, rc);
    store_status x = one_entry(s, st, rc, out, prev, "no such entry for the object");
    /* the index is a second copy of the rows, which the file can make lie (rebuilt over other columns, its text put
     * back): the row it gave must be what was asked for */
    if (x == ST_OK && (strcmp(out->object_id, object_id) != 0 || strcmp(out->action, action) != 0))
        x = sq_fail(s, ST_CORRUPT, "Database %s: the index of the audit trail by object gave entry %lld, which is not "
                    "a %s entry of %s: the file was changed (run `triage verify`).", s->path, (long long)out->seq,
                    action, object_id);
    return x;
}

store_status sq_audit_last_signed_by(store *s, const char *staff_id, audit_rec *out, audit_link *prev) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_AUDIT_LAST_SIGNED_BY, &st);
    rc = sq_b_text(st, 1, staff_id, rc);
    return one_entry(s, st, rc, out, prev, "no signed entry by that staff member");
}

store_status sq_audit_each(store *s, audit_cb cb, void *ctx) { return sq_audit_each_from(s, 0, cb, ctx); }

/* In pages: the statement is reset before the callback runs, so the callback may use the store (e.g. set
 * the MAC of the entry it is given). */
store_status sq_audit_each_from(store *s, int64_t after, audit_cb cb, void *ctx) {
    audit_rec *page = xcalloc(AUDIT_BATCH, sizeof *page);
    store_status result = ST_OK;
    for (;;) {
        sqlite3_stmt *st = NULL;
        int k = 0;
        int rc = sq_stmt(s, S_AUDIT_PAGE, &st);
        rc = sq_b_int(st, 1, after, rc);
        rc = sq_b_int(st, 2, AUDIT_BATCH, rc);
        while (rc == SQLITE_OK && k < AUDIT_BATCH && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            store_status x = sq_read_audit(s, st, &page[k]);
            if (x != ST_OK) {
                result = x;
                break;
            }
            k++;
            rc = SQLITE_OK;
        }
        sq_stmt_done(st);
        if (result != ST_OK) break;
        if (rc != SQLITE_OK && rc != SQLITE_DONE) {
            result = sq_fail_rc(s, rc, "read the audit log");
            break;
        }
        bool stop = false;
        for (int i = 0; i < k && !stop; i++) stop = cb(ctx, &page[i]) != 0;
        if (stop || k < AUDIT_BATCH) break;
        after = page[k - 1].seq;
    }
    free(page);
    return result;
}

store_status sq_audit_set_mac(store *s, int64_t seq, const unsigned char mac[VAULT_MAC_BYTES]) {
    const char *what = "seal an audit entry";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = sq_stmt(s, S_AUDIT_SET_MAC, &st);
    rc = sq_b_int(st, 1, seq, rc);
    rc = sq_b_blob(st, 2, mac, VAULT_MAC_BYTES, rc);
    rc = sq_run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "seal the audit entry %" PRId64, seq);
    if (changes == 0) return sq_fail(s, ST_NOTFOUND, "Database %s: no audit entry %" PRId64 ".", s->path, seq);
    return ST_OK;
}
