/* The store's restore (store.h): a backup's whole content written into the live database as one write
 * transaction, under the write lock from before the caller's first read of the live content to the commit.
 * Part of the SQLite backend (sqlite_backend.h).
 *
 * The backup file is only read: it is opened read-only and immutable (a URI with mode=ro&immutable=1), so
 * SQLite writes nothing beside it (no -wal, no -shm) and a backup on read-only media can be restored. Its
 * pages go through the backup API into a private in-memory database attached to this connection
 * (temp_store=MEMORY); then, inside one BEGIN IMMEDIATE transaction: the caller's `before` step reads what
 * must be carried forward from the live content, every table of the live schema is emptied and filled
 * again from the private copy, the caller's `after` step writes what is carried forward, and it commits.
 * No other desk can commit between `before` and the commit, and every desk that stays open reads either
 * the old content or the restored one at its next read, never a mix; the schema does not change (only
 * rows move), so their prepared statements stay valid and none of them takes the file for a replaced one. */
#include "sqlite_backend.h"

#define RESTORE_SCHEMA "restore_src"

/* "file:" URI of a path, every byte outside the unreserved set percent-encoded (RFC 3986), with
 * mode=ro&immutable=1: read without a lock, a -wal or a -shm, so nothing is created next to it. */
static bool immutable_uri(const char *path, char *out, size_t size) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    const char *head = "file:";
    for (const char *p = head; *p; p++) {
        if (n + 1 >= size) return false;
        out[n++] = *p;
    }
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '/' ||
                     *p == '-' || *p == '_' || *p == '.' || *p == '~';
        if (n + (plain ? 1 : 3) >= size) return false;
        if (plain) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    int w = snprintf(out + n, size - n, "?mode=ro&immutable=1");
    return w > 0 && (size_t)w < size - n;
}

/* Why rc failed: the connection's message when it still holds that error, else the code's own words (a
 * statement finalized since, or a DETACH, resets the message to "not an error"). */
static const char *failure_words(sqlite3 *db, int rc) {
    return db && sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
}

/* src, opened read-only and immutable: a triage database of this connection's schema version that passes the
 * integrity check. Returns the SQLite handle, or NULL with the store's error set (*st says which kind). */
static sqlite3 *open_restore_source(store *s, const char *src, bool older_ok, int64_t *older, store_status *st) {
    sqlite3 *from = NULL;
    char uri[3 * PATH_MAX + 64];
    if (!immutable_uri(src, uri, sizeof uri)) {
        *st = sq_invalid(s, "restore", "the backup's path is too long");
        return NULL;
    }
    int rc = sqlite3_open_v2(uri, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_extended_result_codes(from, 1);
    int64_t app = 0, ver = 0, objects = 0;
    if (rc == SQLITE_OK) rc = sq_read_ids(from, true, &app, &ver, &objects);
    char check[256] = "";
    /* an older version is read as it is only into a scratch database, whose next open upgrades it */
    bool take_older = older_ok && ver >= 1 && ver < s->version;
    if (rc == SQLITE_OK && app == APP_ID && (ver == s->version || take_older))
        rc = sq_query_text(from, "PRAGMA integrity_check", check, sizeof check);
    if (rc != SQLITE_OK) {
        *st = ST_CORRUPT;
        /* errno first: an unreadable file says why (permission, missing) rather than SQLite's generic words */
        int e = from ? sqlite3_system_errno(from) : 0;
        sq_fail(s, *st, "%s is not a database that can be read (%s%s%s); nothing was restored.", src,
                failure_words(from, rc), e ? ": " : "", e ? strerror(e) : "");
    } else if (app != APP_ID) {
        *st = ST_NOT_TRIAGE;
        sq_fail(s, *st, "%s is not a triage database (application_id 0x%08" PRIX32 "); nothing was restored.", src,
                (uint32_t)app);
    } else if (take_older && strcmp(check, "ok") == 0) {
        if (older) *older = ver;
        return from;
    } else if (ver < s->version && !take_older) {
        /* made before a schema upgrade (fourth tryout: refused with no way forward): the working procedure.
         * Opening a copy with this triage upgrades it; the backup itself is never written. */
        *st = ST_INVALID;
        sq_fail(s, *st,
                "%s has schema version %" PRId64 " (an older triage) and this triage uses %d; nothing was restored. "
                "To restore it: copy it (cp %s COPY), upgrade the copy by opening it with this triage (`triage "
                "verify --db COPY`), then `triage restore COPY`.",
                src, ver, s->version, src);
    } else if (ver != s->version && !take_older) {
        *st = ver > s->version ? ST_TOO_NEW : ST_INVALID;
        sq_fail(s, *st,
                "%s has schema version %" PRId64 " and this triage uses %d: restore only a backup of the same "
                "version%s; nothing was restored.",
                src, ver, s->version, ver > s->version ? " (this one was made by a newer triage)" : "");
    } else if (strcmp(check, "ok") != 0) {
        *st = ST_CORRUPT;
        sq_fail(s, *st, "%s fails the integrity check (%s); nothing was restored.", src, check);
    } else {
        return from;
    }
    (void)sqlite3_close(from);
    return NULL;
}

/* Every page of `from` into the private schema RESTORE_SCHEMA of this connection (in memory). */
static int load_private_copy(store *s, sqlite3 *from) {
    int rc = sqlite3_exec(s->db, "ATTACH '' AS " RESTORE_SCHEMA, NULL, NULL, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_backup *b = sqlite3_backup_init(s->db, RESTORE_SCHEMA, from, "main");
    if (!b) return sqlite3_errcode(s->db);
    rc = sqlite3_backup_step(b, -1);
    int frc = sqlite3_backup_finish(b);
    return rc == SQLITE_DONE ? frc : rc;
}

/* The columns a row is written with (generated columns are computed again, never written), quoted and
 * separated by commas, as a string to sqlite3_free; NULL on failure (*rc says why). */
static char *stored_columns(sqlite3 *db, const char *table, int *rc) {
    sqlite3_stmt *q = NULL;
    char *cols = NULL;
    *rc = sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_xinfo(?1, 'main') WHERE hidden = 0 ORDER BY cid", -1,
                             &q, NULL);
    if (*rc == SQLITE_OK) *rc = sqlite3_bind_text(q, 1, table, -1, SQLITE_TRANSIENT);
    while (*rc == SQLITE_OK && (*rc = sqlite3_step(q)) == SQLITE_ROW) {
        char *more = sqlite3_mprintf("%z%s\"%w\"", cols, cols ? ", " : "", (const char *)sqlite3_column_text(q, 0));
        if (!more) {
            *rc = SQLITE_NOMEM;
            cols = NULL; /* %z freed it */
            break;
        }
        cols = more;
        *rc = SQLITE_OK;
    }
    if (*rc == SQLITE_DONE) *rc = cols ? SQLITE_OK : SQLITE_CORRUPT;
    sqlite3_finalize(q);
    if (*rc != SQLITE_OK) {
        sqlite3_free(cols);
        return NULL;
    }
    return cols;
}

/* One table emptied (pass 0) or filled from the private copy, column by column by name (pass 1). Every
 * table is emptied before any is filled: a delete's ON DELETE CASCADE would otherwise remove rows already
 * copied into another table. The table names come from the live schema, which open checked against what
 * triage creates, and are quoted (%w): the only statements of the backend not prepared from a constant
 * string, because a table or column name cannot be a bound value. */
static int copy_table(sqlite3 *db, const char *table, int pass) {
    int rc = SQLITE_OK;
    char *sql = NULL;
    if (pass == 0) {
        sql = sqlite3_mprintf("DELETE FROM main.\"%w\"", table);
    } else {
        char *cols = stored_columns(db, table, &rc);
        if (!cols) return rc;
        sql = sqlite3_mprintf("INSERT INTO main.\"%w\"(%s) SELECT %s FROM " RESTORE_SCHEMA ".\"%w\"", table, cols, cols,
                              table);
        sqlite3_free(cols);
    }
    if (!sql) return SQLITE_NOMEM;
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    return rc;
}

/* Every table of the live schema (the ANALYZE tables and SQLite's own aside). Triggers are off meanwhile
 * (the audit trail's append-only triggers would refuse the DELETE: the rows that replace it are the backup's
 * own trail, checked by the caller), and foreign keys are checked at the commit (rows go in table by table). */
static int copy_tables(store *s) {
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                                "ORDER BY name",
                                -1, &q, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(s->db, "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL);
    int on = 1;
    if (rc == SQLITE_OK) rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &on);
    char (*names)[128] = NULL;
    int n = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        void *more = t && strlen(t) < 128 ? realloc(names, (size_t)(n + 1) * sizeof *names) : NULL;
        if (!more) {
            rc = SQLITE_NOMEM;
            break;
        }
        names = more;
        snprintf(names[n++], sizeof names[0], "%s", t);
        rc = SQLITE_OK;
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_finalize(q); /* before the writes: no read of the schema stays open */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; rc == SQLITE_OK && i < n; i++) rc = copy_table(s->db, names[i], pass);
    free(names);
    (void)sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, &on);
    return rc;
}

/* The live file's own pages replaced by the backup's, through the backup API: for a live database too damaged
 * for its rows to be deleted (a DELETE walks the damaged b-trees and stops at the damage), the pages are
 * written whatever they held. Its own write transaction (the backup API refuses a destination with one
 * open): the caller's `before` step ran in the transaction rolled back just before, and `after` runs in the
 * next; a desk may commit between the two, on the restored content. The page size is the same (both are
 * triage's), the file stays the same file and in WAL mode. */
static int overwrite_pages(store *s, const char *src) {
    store_status x = ST_OK;
    sqlite3 *from = open_restore_source(s, src, false, NULL, &x);
    if (!from) return SQLITE_CANTOPEN;
    sqlite3_backup *b = sqlite3_backup_init(s->db, "main", from, "main");
    int rc = b ? SQLITE_OK : sqlite3_errcode(s->db);
    for (int attempt = 0; b && attempt <= LOCK_RETRIES; attempt++) {
        rc = sqlite3_backup_step(b, -1);
        if (!sq_is_busy(rc)) break;
        (void)sqlite3_sleep(RETRY_SLEEP_MS);
    }
    int frc = b ? sqlite3_backup_finish(b) : SQLITE_OK;
    (void)sqlite3_close(from);
    return rc == SQLITE_DONE ? frc : rc;
}

/* Whether the copy failed because the live file is damaged: SQLite said so, or its quick check does (a
 * damaged table fails in other ways too: a DELETE that stops half-way leaves rows whose foreign keys fail). */
static bool live_damaged(store *s, int rc) {
    if ((rc & 0xff) == SQLITE_CORRUPT) return true;
    if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_NOMEM || sq_is_busy(rc)) return false;
    char check[64] = "";
    int qrc = sq_query_text(s->db, "PRAGMA main.quick_check(1)", check, sizeof check);
    return qrc != SQLITE_OK || strcmp(check, "ok") != 0;
}

/* A step of the caller's that failed: its words are the error, nothing was restored. */
static store_status step_failed(store *s, const char *err) {
    sq_do_rollback(s);
    return sq_fail(s, ST_IO, "Database %s: %s; nothing was restored.", s->path, err && err[0] ? err : "a step failed");
}

/* A backup of an older schema, into a scratch database (steps->older_ok): every page as it is, through the
 * backup API (the scratch is private: no desk reads it). The table copy cannot take it (its columns are an
 * older schema's); the caller opens the scratch again, and that open upgrades it as any open does. */
static store_status copy_older(store *s, sqlite3 *from, const char *src, int64_t older, restore_steps *steps,
                               error *err) {
    sqlite3_backup *b = sqlite3_backup_init(s->db, "main", from, "main");
    int rc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(s->db);
    int frc = b ? sqlite3_backup_finish(b) : SQLITE_OK;
    rc = rc == SQLITE_DONE ? frc : rc;
    char why[256];
    snprintf(why, sizeof why, "%s", failure_words(s->db, rc));
    (void)sqlite3_close(from);
    if (rc != SQLITE_OK) {
        rc = sq_full_if_no_space(s->db, rc);
        store_status x = sq_status_of(rc);
        sq_fail(s, x, "Database %s: copying %s (schema version %" PRId64 ") failed: %s (%s); nothing was restored.",
                s->path, src, older, sq_reason_of(rc), why);
        return sq_put_err(err, x, "%s", s->err);
    }
    steps->older_version = older;
    return ST_OK;
}

store_status sq_restore(store *s, const char *src, restore_steps *steps, error *err) {
    error_clear(err);
    if (!s) return sq_put_err(err, ST_INVALID, "No database is open.");
    if (!src || !src[0] || strlen(src) >= PATH_MAX)
        return sq_put_err(err, sq_invalid(s, "restore", "no backup file was given"), "%s", s->err);
    if (!sqlite3_get_autocommit(s->db))
        return sq_put_err(err, sq_invalid(s, "restore", "a transaction is open"), "%s", s->err);
    if (!sq_file_still_ours(s))
        return sq_put_err(err, sq_fail_replaced(s, "nothing was restored"), "%s", s->err);
    store_status x = ST_OK;
    int64_t older = 0;
    sqlite3 *from = open_restore_source(s, src, steps && steps->older_ok, &older, &x);
    if (!from) return sq_put_err(err, x, "%s", s->err);
    if (older) return copy_older(s, from, src, older, steps, err);
    int rc = load_private_copy(s, from);
    char why[256];
    snprintf(why, sizeof why, "%s", failure_words(s->db, rc));
    (void)sqlite3_close(from);
    if (rc != SQLITE_OK) {
        (void)sqlite3_exec(s->db, "DETACH " RESTORE_SCHEMA, NULL, NULL, NULL);
        rc = sq_full_if_no_space(s->db, rc);
        x = sq_status_of(rc);
        sq_fail(s, x, "Database %s: reading %s failed: %s (%s); nothing was restored.", s->path, src, sq_reason_of(rc),
                why);
        return sq_put_err(err, x, "%s", s->err);
    }
    /* the write lock from here to the commit: the caller's read of the live content and the copy are one */
    x = sq_begin(s);
    error step_err = {0};
    if (x == ST_OK && steps && steps->before && !steps->before(steps->ctx, &step_err))
        x = step_failed(s, step_err.msg);
    if (x == ST_OK && (rc = copy_tables(s)) != SQLITE_OK) {
        snprintf(why, sizeof why, "%s", failure_words(s->db, rc));
        sq_do_rollback(s);
        if (live_damaged(s, rc)) {
            /* the live file is what is damaged (the backup passed its integrity check): its pages replaced */
            (void)sqlite3_exec(s->db, "DETACH " RESTORE_SCHEMA, NULL, NULL, NULL);
            rc = overwrite_pages(s, src);
            if (rc == SQLITE_OK && steps) steps->live_damaged = true; /* the caller says so (tryout 3) */
            if (rc == SQLITE_OK) x = sq_begin_restoring(s);
            else snprintf(why, sizeof why, "%s", failure_words(s->db, rc));
        }
        if (rc != SQLITE_OK) {
            rc = sq_full_if_no_space(s->db, rc);
            x = sq_status_of(rc);
            /* the live file named as such: the private copy being restored is not what failed */
            sq_fail(s, x, "Database %s: writing the backup over it failed: %s (%s); nothing was restored.", s->path,
                    sq_reason_of(rc), why);
        }
    }
    if (x == ST_OK && steps && steps->after && !steps->after(steps->ctx, &step_err))
        x = step_failed(s, step_err.msg);
    if (x == ST_OK) x = sq_commit(s);
    (void)sqlite3_exec(s->db, "DETACH " RESTORE_SCHEMA, NULL, NULL, NULL);
    if (x == ST_OK) {
        /* the trail is now the backup's (shorter): DB-mark's head rewritten at once, or the next open would
         * take the restored file for an older copy put over the path */
        int fd = sq_mark_lock(s->path, true);
        sq_mark_record(fd, s->path, s->db);
        sq_mark_unlock(fd);
    }
    return x == ST_OK ? ST_OK : sq_put_err(err, x, "%s", s->err);
}
