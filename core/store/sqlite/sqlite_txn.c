/* Transactions (BEGIN IMMEDIATE: one writer at a time, others wait up to the busy timeout) and the meta
 * table of named values. */
#include "sqlite_backend.h"

static store_status begin_write(store *s, bool seen_check);

store_status sq_begin(store *s) { return begin_write(s, true); }

/* A restore writing the backup's pages over a damaged live file, before its own step counts the restore
 * generation up: the trail there is the backup's, behind what this account saw, on purpose. */
store_status sq_begin_restoring(store *s) { return begin_write(s, false); }

static store_status begin_write(store *s, bool seen_check) {
    if (!sqlite3_get_autocommit(s->db))
        return sq_invalid(s, "start a transaction", "a transaction is already open");
    /* A file moved or deleted under an open desk (e.g. a backup restored with mv over the path): this
     * connection would go on committing into the old, unlinked file, and its WAL (still at PATH-wal) would
     * later be applied to the new file, damaging it. Refuse to write; a new start opens the new file.
     * (tests/faults/store_faults.sh: "replaced while open".) */
    int moved = 0;
    if (s->file == DBFILE_SAME && sqlite3_file_control(s->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK &&
        moved)
        s->file = DBFILE_MOVED;
    /* ...and a file copied over the path (same inode, new content) or found replaced by another desk, the
     * same on tmpfs as on disk (sqlite_file.h) */
    if (!sq_file_still_ours(s)) return sq_fail_replaced(s, "a write was refused");
    /* ...and a trail cut behind what this account last saw of it (sqlite_seen.c), checked again at each write and
     * not only at open: a desk left open while someone with the file deleted entries from the end (a demotion) and
     * re-signed the head with their own key went on sealing notes to his kept key (eighth outside attacker) */
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_BEGIN, &st);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "start a transaction");
    for (int attempt = 0; attempt <= LOCK_RETRIES; attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS * attempt); /* returns the time slept */
        rc = sq_step_done(s, st, NULL);
        if (rc == SQLITE_OK) break;
        if (!sq_is_busy(rc)) break;
    }
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "start a transaction");
    /* checked under the write lock, on what this transaction reads: checked before it, a forged trail committed by
     * someone holding the lock at that moment was what the rotation then read, and handed the new clinical key to
     * a demoted clinician (tenth outside attacker) */
    error seen = {0};
    if (seen_check && sq_seen_check(s->path, s->db, &seen) != ST_OK) {
        sq_do_rollback(s);
        return sq_fail(s, ST_CORRUPT, "%s", seen.msg);
    }
    return ST_OK;
}

store_status sq_commit(store *s) {
    if (sqlite3_get_autocommit(s->db)) return sq_invalid(s, "commit", "no transaction is open");
    if (s->reading) return sq_invalid(s, "commit", "a read transaction is open: read_end ends it");
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_COMMIT, &st);
    for (int attempt = 0; st && attempt <= LOCK_RETRIES; attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS * attempt);
        rc = sq_step_done(s, st, NULL);
        if (rc == SQLITE_OK) return ST_OK;
        if (!sq_is_busy(rc)) break;
    }
    /* a commit that failed leaves no transaction open: everything is rolled back */
    char detail[256];
    snprintf(detail, sizeof detail, "%s", sqlite3_errmsg(s->db));
    rc = sq_full_if_no_space(s->db, rc);
    sq_do_rollback(s);
    sq_fail(s, ST_IO, "Database %s: could not commit the transaction: %s (%s); it was rolled back, nothing was written.",
         s->path, sq_reason_of(rc), detail);
    return sq_status_of(rc);
}

void sq_rollback(store *s) {
    if (s && s->db) sq_do_rollback(s);
}

/* A deferred transaction takes its snapshot at its first read: one read at once, so the snapshot is the
 * moment read_begin returned. No write lock is taken, so no retries are needed (a reader never waits for a
 * writer in WAL mode). */
store_status sq_read_begin(store *s) {
    if (!sqlite3_get_autocommit(s->db))
        return sq_invalid(s, "start a read transaction", "a transaction is already open");
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_READ_BEGIN, &st);
    if (rc == SQLITE_OK) rc = sq_step_done(s, st, NULL);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "start a read transaction");
    st = NULL;
    rc = sq_stmt(s, S_READ_SNAPSHOT, &st);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (st) sq_stmt_done(st);
    if (rc != SQLITE_ROW) {
        store_status x = sq_fail_rc(s, rc, "start a read transaction");
        sq_do_rollback(s);
        return x;
    }
    s->reading = true;
    return ST_OK;
}

bool sq_in_transaction(const store *s) { return s && s->db && !sqlite3_get_autocommit(s->db); }

/* Ends the read by a rollback: nothing can have been written inside it, and a rollback never fails to end it. */
store_status sq_read_end(store *s) {
    if (!s->reading) return sq_invalid(s, "end a read transaction", "no read transaction is open");
    sq_do_rollback(s);
    return ST_OK;
}

store_status sq_meta_get(store *s, const char *key, blob *out) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_META_GET, &st);
    rc = sq_b_text(st, 1, key, rc);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        reader r = {st, "meta", key, NULL, 0};
        sq_rd_blob(&r, 0, "value", out, false);
        sq_stmt_done(st);
        store_status x = sq_rd_end(s, &r);
        if (x != ST_OK) blob_free(out);
        return x;
    }
    sq_stmt_done(st);
    if (rc == SQLITE_DONE) return sq_fail(s, ST_NOTFOUND, "Database %s: no setting named %s.", s->path, key);
    return sq_fail_rc(s, rc, "read a setting");
}

store_status sq_meta_any(store *s, const char *prefix, bool *any) {
    *any = false;
    char upto[256];
    size_t n = strlen(prefix);
    if (n == 0 || n >= sizeof upto || (unsigned char)prefix[n - 1] == 0xff)
        return sq_invalid(s, "look for settings", "no prefix, or one this lookup cannot bound");
    memcpy(upto, prefix, n + 1);
    upto[n - 1] = (char)((unsigned char)upto[n - 1] + 1);
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_META_ANY, &st);
    rc = sq_b_text(st, 1, prefix, rc);
    rc = sq_b_text(st, 2, upto, rc);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    sq_stmt_done(st);
    if (rc == SQLITE_ROW) *any = true;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ST_OK : sq_fail_rc(s, rc, "look for settings");
}

store_status sq_meta_set(store *s, const char *key, const void *value, size_t n) {
    const char *what = "save a setting";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_META_SET, &st);
    rc = sq_b_text(st, 1, key, rc);
    rc = sq_b_blob(st, 2, value, n, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "%s", what);
}
