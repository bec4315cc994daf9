/* The store's restore (store.h): a backup's whole content written into the live database through the
 * SQLite backup API, as one write under the write lock. Part of the SQLite backend (sqlite_backend.h). */
#include "sqlite_backend.h"

/* src, opened read-only: a triage database of this connection's schema version that passes the integrity
 * check. Returns the SQLite handle, or NULL with the store's error set (*st says which kind). */
static sqlite3 *open_restore_source(store *s, const char *src, store_status *st) {
    sqlite3 *from = NULL;
    int rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_extended_result_codes(from, 1);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(from, s->busy_ms);
    int64_t app = 0, ver = 0, objects = 0;
    if (rc == SQLITE_OK) rc = sq_read_ids(from, true, &app, &ver, &objects);
    char check[256] = "";
    if (rc == SQLITE_OK && app == APP_ID && ver == s->version)
        rc = sq_query_text(from, "PRAGMA integrity_check", check, sizeof check);
    if (rc != SQLITE_OK) {
        *st = ST_CORRUPT;
        sq_fail(s, *st, "%s is not a database that can be read (%s); nothing was restored.", src,
                from ? sqlite3_errmsg(from) : sqlite3_errstr(rc));
    } else if (app != APP_ID) {
        *st = ST_NOT_TRIAGE;
        sq_fail(s, *st, "%s is not a triage database (application_id 0x%08" PRIX32 "); nothing was restored.", src,
                (uint32_t)app);
    } else if (ver != s->version) {
        *st = ver > s->version ? ST_TOO_NEW : ST_INVALID;
        sq_fail(s, *st,
                "%s has schema version %" PRId64 " and %s has %d: restore only a backup of the same version; "
                "nothing was restored.",
                src, ver, s->path, s->version);
    } else if (strcmp(check, "ok") != 0) {
        *st = ST_CORRUPT;
        sq_fail(s, *st, "%s fails the integrity check (%s); nothing was restored.", src, check);
    } else {
        return from;
    }
    (void)sqlite3_close(from);
    return NULL;
}

store_status sq_restore(store *s, const char *src, char *err, size_t errsize) {
    if (err && errsize) err[0] = '\0';
    if (!s) return sq_put_err(err, errsize, ST_INVALID, "No database is open.");
    if (!src || !src[0] || strlen(src) >= PATH_MAX)
        return sq_put_err(err, errsize, sq_invalid(s, "restore", "no backup file was given"), "%s", s->err);
    if (!sqlite3_get_autocommit(s->db))
        return sq_put_err(err, errsize, sq_invalid(s, "restore", "a transaction is open"), "%s", s->err);
    if (!sq_file_still_ours(s))
        return sq_put_err(err, errsize, sq_fail_replaced(s, "nothing was restored"), "%s", s->err);
    store_status x = ST_OK;
    sqlite3 *from = open_restore_source(s, src, &x);
    if (!from) return sq_put_err(err, errsize, x, "%s", s->err);
    /* Every page of src into this database in one step: one write transaction through this connection's WAL
     * under the write lock (the backup API, this database as its destination). Other desks wait for the lock
     * like for any write and read either the old content or src's at their next read, never a mix; the file
     * stays the same file, so nothing of theirs is invalidated and none of them takes it for a replaced one. */
    int rc = SQLITE_OK;
    sqlite3_backup *b = sqlite3_backup_init(s->db, "main", from, "main");
    if (!b) {
        rc = sqlite3_errcode(s->db);
    } else {
        int tries = s->busy_ms / RETRY_SLEEP_MS + LOCK_RETRIES;
        for (int attempt = 0;; attempt++) {
            rc = sqlite3_backup_step(b, -1);
            if (rc == SQLITE_DONE || !sq_is_busy(rc) || attempt >= tries) break;
            (void)sqlite3_sleep(RETRY_SLEEP_MS);
        }
        int frc = sqlite3_backup_finish(b);
        rc = rc == SQLITE_DONE ? frc : rc;
    }
    char why[256];
    snprintf(why, sizeof why, "%s", sqlite3_errmsg(s->db));
    (void)sqlite3_close(from);
    if (rc != SQLITE_OK) {
        rc = sq_full_if_no_space(s->db, rc);
        x = sq_status_of(rc);
        sq_fail(s, x, "Database %s: restoring %s failed: %s (%s); nothing was restored.", s->path, src,
                sq_reason_of(rc), why);
        return sq_put_err(err, errsize, x, "%s", s->err);
    }
    return ST_OK;
}
