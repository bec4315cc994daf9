/* Integrity check, online backup, the change counter desks poll, and the WAL checkpoint. */
#include "sqlite_backend.h"

store_status sq_integrity_check(store *s, char *msg, size_t size) {
    msg[0] = '\0';
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL);
    bool ok = false;
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(msg, size, "%s", t ? (const char *)t : "(no answer)");
        ok = t && strcmp((const char *)t, "ok") == 0;
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_ERROR;
    }
    int frc = sqlite3_finalize(st);
    if (rc == SQLITE_OK) rc = frc;
    if (rc != SQLITE_OK) {
        store_status x = sq_fail_rc(s, rc, "check the database");
        snprintf(msg, size, "%s", s->err);
        return x;
    }
    if (!ok) return sq_fail(s, ST_CORRUPT, "Database %s is damaged: %s", s->path, msg);

    /* the references too: a row naming a staff member or client that is not there */
    st = NULL;
    rc = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *tab = sqlite3_column_text(st, 0), *parent = sqlite3_column_text(st, 2);
        snprintf(msg, size, "table %s, rowid %" PRId64 ": refers to a missing row of %s",
                 tab ? (const char *)tab : "?", (int64_t)sqlite3_column_int64(st, 1),
                 parent ? (const char *)parent : "?");
        ok = false;
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    frc = sqlite3_finalize(st);
    if (rc == SQLITE_OK) rc = frc;
    if (rc != SQLITE_OK) {
        store_status x = sq_fail_rc(s, rc, "check the references of the database");
        snprintf(msg, size, "%s", s->err);
        return x;
    }
    if (!ok) return sq_fail(s, ST_CORRUPT, "Database %s is damaged: %s", s->path, msg);
    /* the schema as triage created it (also checked at open): a trigger planted since is named */
    if (!sq_schema_as_created(s->db, s->version, msg, size))
        return sq_fail(s, ST_CORRUPT, "Database %s was altered outside triage: %s", s->path, msg);
    snprintf(msg, size, "ok");
    return ST_OK;
}

static void remove_partial(const char *dest) {
    static const char *const sfx[] = {"", "-journal", "-wal", "-shm"};
    char p[PATH_MAX + 16];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", dest, sfx[i]);
        if (unlink(p) != 0 && errno != ENOENT) {
            /* nothing more can be done; the message of the backup failure says what went wrong */
        }
    }
}

store_status sq_backup(store *s, const char *dest, error *err) {
    error_clear(err);
    if (!s) return sq_put_err(err, ST_INVALID, "No database is open.");
    if (!dest || !dest[0] || strlen(dest) >= PATH_MAX)
        return sq_put_err(err, sq_invalid(s, "back up", "no destination file was given"), "%s", s->err);
    if (!sqlite3_get_autocommit(s->db))
        return sq_put_err(err,
                       sq_invalid(s, "back up", "a transaction is open (the copy would hold its unfinished changes)"),
                       "%s", s->err);

    /* the copy holds every sealed value and the key wraps: only its owner may read it */
    int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        int e = errno;
        store_status x = e == EEXIST                                 ? ST_EXISTS
                         : (e == EACCES || e == EPERM || e == EROFS) ? ST_READONLY
                         : (e == ENOSPC || e == EDQUOT)              ? ST_FULL
                                                                     : ST_IO;
        sq_fail(s, x, "Backup of %s: cannot create %s (%s)%s.", s->path, dest, strerror(e),
             e == EEXIST ? "; a backup never overwrites a file" : "");
        return sq_put_err(err, x, "%s", s->err);
    }
    bool fd_ok = fchmod(fd, 0600) == 0;
    if (close(fd) != 0) fd_ok = false;
    if (!fd_ok) {
        remove_partial(dest);
        sq_fail(s, ST_IO, "Backup of %s: cannot set up %s (%s).", s->path, dest, strerror(errno));
        return sq_put_err(err, ST_IO, "%s", s->err);
    }

    sqlite3 *d = NULL;
    int rc = sqlite3_open_v2(dest, &d, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_extended_result_codes(d, 1);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(d, s->busy_ms);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(d, "main", s->db, "main");
        if (!b) {
            rc = sqlite3_errcode(d);
        } else {
            /* all pages in one step: one read transaction on the source, which in WAL mode other desks'
             * writes do not block and do not force to restart; retried while the source is locked */
            int tries = s->busy_ms / RETRY_SLEEP_MS + LOCK_RETRIES;
            for (int attempt = 0;; attempt++) {
                rc = sqlite3_backup_step(b, -1);
                if (rc == SQLITE_DONE || !sq_is_busy(rc) || attempt >= tries) break;
                (void)sqlite3_sleep(RETRY_SLEEP_MS);
            }
            int frc = sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? frc : rc;
        }
    }
    char check[64] = "";
    if (rc == SQLITE_OK) rc = sq_query_text(d, "PRAGMA quick_check", check, sizeof check);
    char why[256];
    snprintf(why, sizeof why, "%s", d ? sqlite3_errmsg(d) : sqlite3_errstr(rc));
    int crc = sqlite3_close(d);
    if (rc == SQLITE_OK && crc != SQLITE_OK) {
        rc = crc;
        snprintf(why, sizeof why, "%s", sqlite3_errstr(crc));
    }
    if (rc == SQLITE_OK && strcmp(check, "ok") != 0) {
        remove_partial(dest);
        sq_fail(s, ST_CORRUPT, "Backup of %s: the copy %s failed its check (%s); it was removed.", s->path, dest, check);
        return sq_put_err(err, ST_CORRUPT, "%s", s->err);
    }
    if (rc != SQLITE_OK) {
        remove_partial(dest);
        store_status x = sq_status_of(rc);
        if (x == ST_EXISTS || x == ST_NOTFOUND || x == ST_INVALID) x = ST_IO;
        sq_fail(s, x, "Backup of %s to %s failed: %s (%s); the partial copy was removed.", s->path, dest, sq_reason_of(rc),
             why);
        return sq_put_err(err, x, "%s", s->err);
    }

    /* the new directory entry too must survive a power cut */
    char ddir[PATH_MAX];
    sq_dir_of(dest, ddir, sizeof ddir);
    int dfd = open(ddir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool synced = dfd >= 0 && fsync(dfd) == 0;
    if (dfd >= 0 && close(dfd) != 0) synced = false;
    if (!synced) {
        sq_fail(s, ST_IO, "Backup of %s: %s was written but its directory could not be synced (%s).", s->path, dest,
             strerror(errno));
        return sq_put_err(err, ST_IO, "%s", s->err);
    }
    return ST_OK;
}

store_status sq_change_counter(store *s, int64_t *v) {
    /* every desk polls here: a replaced file is found within a poll, and its WAL discarded at once */
    if (!sq_file_still_ours(s)) return sq_fail_replaced(s, "this desk writes nothing more");
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_DATA_VERSION, &st);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sq_stmt_done(st);
    /* another desk committed: the trail this desk now sees is recorded for its account, so that a put-back copy
     * from before that commit is refused at this desk's next write (a desk open across a demotion by another
     * account's desk still took the older copy put back under it: tenth outside attacker). Forward only, along the
     * trail it holds (sq_seen_record). */
    if (rc == SQLITE_OK && (!s->seen_version_known || *v != s->seen_version) && s->file == DBFILE_SAME &&
        sqlite3_get_autocommit(s->db)) { /* never what an open transaction of its own may still roll back */
        s->seen_version = *v;
        s->seen_version_known = true;
        sq_seen_record(s->path, s->db, false);
    }
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "read the data version");
}

int64_t sq_local_changes(store *s) { return s && s->db ? (int64_t)sqlite3_total_changes64(s->db) : 0; }
