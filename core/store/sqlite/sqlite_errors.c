/* SQLite result codes as store statuses and as messages that name the file and what failed. */
#include "sqlite_backend.h"

__attribute__((format(printf, 3, 4))) store_status sq_put_err(error *err, store_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, store_error_kind(st), fmt, ap);
    va_end(ap);
    return st;
}

__attribute__((format(printf, 3, 4))) store_status sq_fail(store *s, store_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return st;
}

store_status sq_status_of(int rc) {
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return ST_OK;
    case SQLITE_FULL: return ST_FULL;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ST_BUSY;
    case SQLITE_READONLY:
    case SQLITE_PERM: return ST_READONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return ST_CORRUPT;
    case SQLITE_CONSTRAINT:
        switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY: return ST_EXISTS;
        case SQLITE_CONSTRAINT_FOREIGNKEY: return ST_NOTFOUND; /* the row it refers to does not exist */
        case SQLITE_CONSTRAINT_CHECK:
        case SQLITE_CONSTRAINT_NOTNULL:
        case SQLITE_CONSTRAINT_DATATYPE:
        case SQLITE_CONSTRAINT_TRIGGER: return ST_INVALID; /* a value the schema refuses; nothing written */
        default: return ST_IO;
        }
    default: return ST_IO;
    }
}

const char *sq_reason_of(int rc) {
    switch (rc & 0xff) {
    case SQLITE_FULL: return "the disk is full";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "the database is locked by another desk for longer than the busy timeout";
    case SQLITE_READONLY:
    case SQLITE_PERM: return "the database file or its directory is read-only";
    case SQLITE_CORRUPT: return "the database file is damaged";
    case SQLITE_NOTADB: return "the file is not a database";
    case SQLITE_CONSTRAINT:
        switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY: return "a record with that key already exists";
        case SQLITE_CONSTRAINT_FOREIGNKEY: return "a record it refers to does not exist";
        default: return "a value was refused by the schema";
        }
    case SQLITE_IOERR: return "reading or writing the file failed";
    case SQLITE_NOMEM: return "out of memory";
    default: return "SQLite failed";
    }
}

/* A write that failed with ENOSPC is reported by SQLite as SQLITE_FULL, but running out of room for the
 * shared-memory file (opening in WAL mode on a full disk) comes back as an I/O error: the errno says it was
 * the disk being full, which is what a person must be told. */
int sq_full_if_no_space(sqlite3 *db, int rc) {
    if (db && (rc & 0xff) == SQLITE_IOERR) {
        int e = sqlite3_system_errno(db);
        if (e == ENOSPC || e == EDQUOT) return SQLITE_FULL;
    }
    return rc;
}

bool sq_is_busy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }

/* Kinds of failure after which SQLite may already have rolled the transaction back, or left it in a state
 * that must not be committed: the transaction is ended so that "nothing was written" holds. */
static bool ends_transaction(int rc) {
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return true;
    default: return false;
    }
}

void sq_do_rollback(store *s) {
    s->reading = false;
    if (sqlite3_get_autocommit(s->db)) return;
    sqlite3_stmt *st = s->st[S_ROLLBACK];
    int rc = SQLITE_OK;
    if (!st) {
        rc = sqlite3_prepare_v3(s->db, sq_sql_text[S_ROLLBACK], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc == SQLITE_OK) s->st[S_ROLLBACK] = st;
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        sq_stmt_done(st);
    }
    /* a rollback that fails leaves nothing better to do: SQLite rolls back a hot journal or ignores an
     * uncommitted WAL tail the next time the database is opened */
    (void)rc;
}

/* Sets the message for an SQLite failure: "Database PATH: could not WHAT: REASON (SQLite's words)." */
__attribute__((format(printf, 3, 4))) store_status sq_fail_rc(store *s, int rc, const char *what, ...) {
    char w[256];
    va_list ap;
    va_start(ap, what);
    vsnprintf(w, sizeof w, what, ap);
    va_end(ap);
    rc = sq_full_if_no_space(s->db, rc);
    char detail[256];
    snprintf(detail, sizeof detail, "%s", s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    bool rolled = false;
    if (s->db && ends_transaction(rc) && !sqlite3_get_autocommit(s->db)) {
        sq_do_rollback(s);
        rolled = true;
    }
    sq_fail(s, ST_IO, "Database %s: could not %s: %s (%s)%s.", s->path, w, sq_reason_of(rc), detail,
         rolled ? "; the transaction was rolled back, nothing was written" : "");
    return sq_status_of(rc);
}
