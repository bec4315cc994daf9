/* Opening a database (see sqlite_backend.h): header first, then a read-only check, then read-write with
 * WAL, synchronous=FULL, foreign keys, secure_delete and the forward migrations. */
#include "sqlite_backend.h"
#include "sqlite_guard.h"

/* The name of the network filesystem of type f_type, or NULL for a local one. WAL keeps its index in
 * shared memory, which processes on different hosts do not share: SQLite over these corrupts databases.
 * Test hook: TRIAGE_TEST_FSTYPE=<number> (e.g. 0x6969) is checked as well as the real type, so a test can
 * exercise the refusal on a local disk; it can only add a refusal, never lift one. */
static const char *network_fs_of(unsigned long f_type) {
    static const struct {
        uint32_t magic;
        const char *name;
    } nets[] = {
        {0x6969, "NFS"},        {0x517B, "SMB"},           {0xFF534D42, "CIFS"},
        {0xFE534D42, "SMB2"},   {0x65735546, "FUSE (e.g. sshfs)"}, {0x01021997, "9P"},
        {0x00C36400, "Ceph"},   {0x5346414F, "AFS"},       {0x6B414653, "kAFS"},
        {0x73757245, "Coda"},   {0x564C, "NCP"},           {0x0BD00BD0, "Lustre"},
    };
    uint32_t types[2] = {(uint32_t)f_type, 0};
    int ntypes = 1;
    const char *hook = getenv("TRIAGE_TEST_FSTYPE");
    if (hook && *hook) {
        char *end = NULL;
        errno = 0;
        unsigned long v = strtoul(hook, &end, 0);
        if (errno == 0 && end && *end == '\0') types[ntypes++] = (uint32_t)v;
    }
    for (int t = 0; t < ntypes; t++)
        for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++)
            if (types[t] == nets[i].magic) return nets[i].name;
    return NULL;
}

void sq_dir_of(const char *path, char *dir, size_t size) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

int sq_read_header(const char *path, unsigned char hdr[DB_HEADER_BYTES], bool *short_file) {
    memset(hdr, 0, DB_HEADER_BYTES);
    *short_file = false;
    sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
    if (!vfs) return SQLITE_ERROR;
    /* room for the double NUL xOpen may look past the name for URI parameters */
    char *full = xcalloc((size_t)vfs->mxPathname + 8, 1);
    int rc = vfs->xFullPathname(vfs, path, vfs->mxPathname + 1, full);
    if (rc == SQLITE_OK) {
        sqlite3_file *f = xcalloc(1, (size_t)vfs->szOsFile);
        int outflags = 0;
        rc = vfs->xOpen(vfs, full, f, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &outflags);
        if (rc == SQLITE_OK) {
            rc = f->pMethods->xRead(f, hdr, DB_HEADER_BYTES, 0);
            if (rc == SQLITE_IOERR_SHORT_READ) {
                *short_file = true;
                rc = SQLITE_OK;
            }
            int crc = f->pMethods->xClose(f);
            if (rc == SQLITE_OK) rc = crc;
        }
        free(f);
    }
    free(full);
    return rc;
}

/* The refusal for an SQLite failure while checking a file that is not open for writing yet. */
static store_status refuse_rc(sqlite3 *db, int rc, const char *path, const char *dir, error *err) {
    const char *why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    rc = sq_full_if_no_space(db, rc);
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return sq_put_err(err, ST_FULL,
                       "%s cannot be opened: the disk holding %s is full (SQLite needs room for %s-wal and %s-shm; "
                       "%s). Free some space and try again.",
                       path, dir, path, path, why);
    case SQLITE_NOTADB:
        return sq_put_err(err, ST_CORRUPT, "%s is not a database (%s); it was left untouched.", path, why);
    case SQLITE_CORRUPT:
        return sq_put_err(err, ST_CORRUPT, "%s is damaged (%s); it was left untouched.", path, why);
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return sq_put_err(err, ST_READONLY,
                       "%s cannot be opened: its directory %s is read-only, and SQLite needs to create %s-wal and "
                       "%s-shm there (%s).",
                       path, dir, path, path, why);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return sq_put_err(err, ST_BUSY, "%s is locked by another program (%s).", path, why);
    default: return sq_put_err(err, ST_IO, "%s cannot be read (%s).", path, why);
    }
}

/* An existing, non-empty file, before anything may write to it: an SQLite database, triage's, not newer,
 * with a readable schema. */
static store_status check_existing(const char *path, const char *dir, int busy_ms, int mark_fd, error *err) {
    /* 1. The header alone: magic and application_id. These bytes never change once written (triage sets
     * its application_id before switching to WAL), so the file's own header is authoritative even while
     * another desk checkpoints, or after a checkpoint cut short by a crash or a full disk. A file of another
     * program is refused here without ever being opened as a database. */
    static const unsigned char magic[16] = "SQLite format 3";
    unsigned char hdr[DB_HEADER_BYTES];
    bool short_file = false;
    int rc = sq_read_header(path, hdr, &short_file);
    if (rc != SQLITE_OK) return refuse_rc(NULL, rc, path, dir, err);
    if (memcmp(hdr, magic, sizeof magic) != 0)
        return sq_put_err(err, ST_CORRUPT,
                       "%s is not a database (it does not start with the SQLite header); it was left untouched.", path);
    if (short_file)
        return sq_put_err(err, ST_CORRUPT, "%s is damaged (shorter than the SQLite header); it was left untouched.",
                       path);
    uint32_t app = (uint32_t)hdr[68] << 24 | (uint32_t)hdr[69] << 16 | (uint32_t)hdr[70] << 8 | hdr[71];
    if (app != APP_ID)
        return sq_put_err(err, ST_NOT_TRIAGE,
                       "%s is not a triage database (application_id 0x%08" PRIX32 ", expected 0x%08X); it was left "
                       "untouched.",
                       path, app, (unsigned)APP_ID);

    /* 2. A normal read-only connection: sees what is committed in the WAL, and parses the schema. */
    sqlite3 *db = NULL;
    store_status st = ST_OK;
    rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_extended_result_codes(db, 1);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(db, busy_ms);
    int64_t objects = 0, ver = 0;
    if (rc == SQLITE_OK) rc = sq_query_int(db, "SELECT count(*) FROM sqlite_schema", &objects);
    if (rc == SQLITE_OK) rc = sq_query_int(db, "PRAGMA user_version", &ver);
    if (rc != SQLITE_OK)
        st = refuse_rc(db, rc, path, dir, err);
    else if (ver > SCHEMA_VERSION)
        st = sq_put_err(err, ST_TOO_NEW,
                     "%s was written by a newer triage (schema version %" PRId64
                     "; this program knows versions up to %d); it was left untouched. Install the newer triage.",
                     path, ver, SCHEMA_VERSION);
    else if (ver < 0)
        st = sq_put_err(err, ST_CORRUPT, "%s has an invalid schema version (%" PRId64 "); it was left untouched.",
                     path, ver);
    char why[400];
    if (st == ST_OK && (ver > 0 || objects > 0) && !sq_schema_as_created(db, ver, why, sizeof why))
        st = sq_put_err(err, ST_CORRUPT,
                        "%s was altered outside triage: %s. It was left untouched and is refused; restore a backup.",
                        path, why);
    /* 3. An older copy put over the path with no log beside it (cp of a backup while no desk had it open):
     * its audit trail ends before the head DB-mark recorded (issue 16, tryout 4) */
    if (st == ST_OK && objects > 0) st = sq_mark_check_trail(mark_fd, path, db, err);
    /* 4. ...and one put back together with its DB-mark (cp -a of the data directory, s6): what this account
     * last saw of the trail at this path, kept where such a copy does not reach (sqlite_seen.c) */
    if (st == ST_OK && objects > 0) st = sq_seen_check(path, db, err);
    (void)sqlite3_close_v2(db);
    return st;
}

/* The forward migrations, from the current version to SCHEMA_VERSION, in one BEGIN IMMEDIATE transaction
 * with user_version and application_id. Other desks opening at the same moment wait, then find nothing to do. */
static store_status migrate(store *s, int64_t ver) {
    if (ver == SCHEMA_VERSION) {
        s->version = (int)ver;
        return ST_OK;
    }
    int rc = sq_begin_raw(s->db);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "start the schema upgrade");
    rc = sq_query_int(s->db, "PRAGMA user_version", &ver);
    if (rc != SQLITE_OK) {
        store_status x = sq_fail_rc(s, rc, "read the schema version");
        sq_do_rollback(s);
        return x;
    }
    if (ver == SCHEMA_VERSION) { /* another desk upgraded it meanwhile */
        sq_do_rollback(s);
        s->version = (int)ver;
        return ST_OK;
    }
    if (ver > SCHEMA_VERSION || ver < 0) {
        sq_do_rollback(s);
        return sq_fail(s, ST_TOO_NEW,
                    "%s was written by a newer triage (schema version %" PRId64
                    "; this program knows versions up to %d).",
                    s->path, ver, SCHEMA_VERSION);
    }
    for (int v = (int)ver; v < SCHEMA_VERSION && rc == SQLITE_OK; v++) {
        int64_t done = 0;
        if (sq_migrations[v].done) rc = sq_query_int(s->db, sq_migrations[v].done, &done);
        if (rc == SQLITE_OK && done != 1) rc = sq_exec_script(s->db, sq_migrations[v].sql);
        if (rc == SQLITE_OK) rc = sq_exec_script(s->db, sq_migrations[v].set_version);
        if (rc != SQLITE_OK) {
            store_status x = sq_fail_rc(s, rc, "upgrade the schema to version %d", v + 1);
            sq_do_rollback(s);
            return x;
        }
    }
    int64_t now = 0;
    rc = sq_exec_script(s->db, "PRAGMA application_id = 1414678855"); /* 0x54524947 */
    if (rc == SQLITE_OK) rc = sq_query_int(s->db, "PRAGMA user_version", &now);
    if (rc == SQLITE_OK && now != SCHEMA_VERSION) {
        sq_do_rollback(s);
        return sq_fail(s, ST_IO, "Database %s: the upgrade ended at schema version %" PRId64 " instead of %d.", s->path, now,
                    SCHEMA_VERSION);
    }
    if (rc == SQLITE_OK) rc = sq_commit_raw(s->db);
    if (rc != SQLITE_OK) {
        store_status x = sq_fail_rc(s, rc, "upgrade the schema to version %d", SCHEMA_VERSION);
        sq_do_rollback(s);
        return x;
    }
    s->version = SCHEMA_VERSION;
    return ST_OK;
}

static int64_t now_ms(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* application_id, user_version and the number of schema objects; in a read transaction of its own when
 * own_txn (otherwise inside the caller's). */
int sq_read_ids(sqlite3 *db, bool own_txn, int64_t *app, int64_t *ver, int64_t *objects) {
    int rc = own_txn ? sq_exec_script(db, "BEGIN") : SQLITE_OK;
    if (rc != SQLITE_OK) return rc;
    rc = sq_query_int(db, "PRAGMA application_id", app);
    if (rc == SQLITE_OK) rc = sq_query_int(db, "PRAGMA user_version", ver);
    if (rc == SQLITE_OK) rc = sq_query_int(db, "SELECT count(*) FROM sqlite_schema", objects);
    if (own_txn) {
        int erc = sq_exec_script(db, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK");
        if (rc == SQLITE_OK) rc = erc;
    }
    return rc;
}

/* Waiting for another desk's lock, for at most busy_ms in all. SQLite's own busy_timeout handler sleeps ever
 * longer, up to 100 ms at a time: with eight desks saving at once the lock was mostly free while every
 * waiter slept (tests/faults/load.sh measured eight desks saving 5x fewer intakes per second than one,
 * p99 330 ms). Short sleeps with jitter hand the lock on as soon as it is free (then: 2x the throughput,
 * p99 60 ms). */
static int busy_wait(void *ctx, int count) {
    store *s = ctx;
    int64_t now = now_ms();
    if (count == 0) s->busy_since = now;
    if (now - s->busy_since >= s->busy_ms) return 0; /* SQLITE_BUSY to the caller, as busy_timeout does */
    s->jitter = s->jitter * 1103515245u + 12345u;
    struct timespec ts = {0, (long)(200 + (s->jitter >> 16) % 800) * 1000}; /* 0.2 to 1 ms */
    (void)nanosleep(&ts, NULL); /* an interrupted sleep only retries sooner */
    return 1;
}

/* The read-write connection on a file that passed check_existing (or is new and empty). */
static store_status connect_rw(store *s) {
    /* a store is used by one thread only: no mutex around every call (a report makes millions of them) */
    /* through the guard's VFS: a checkpoint's writes stop if the file is overwritten under them (sqlite_guard.h) */
    int rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, dbguard_vfs());
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "open the database for writing");
    if (sqlite3_db_readonly(s->db, "main") == 1)
        return sq_fail(s, ST_READONLY, "Database %s is read-only; triage needs to write to it.", s->path);
    rc = sqlite3_extended_result_codes(s->db, 1);
    s->jitter = (uint32_t)getpid();
    if (rc == SQLITE_OK) rc = sqlite3_busy_handler(s->db, busy_wait, s);
    /* defensive: no writable_schema, no shadow-table writes; the schema is not trusted to call functions */
    if (rc == SQLITE_OK) rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "configure the connection");

    /* The same checks through this connection, before anything is written: the file may have been
     * replaced since. Read in one transaction, so that another desk creating the database at this instant
     * is seen either before or after, never half-way. */
    int64_t app = 0, ver = 0, objects = 0;
    rc = sq_read_ids(s->db, true, &app, &ver, &objects);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "read the database header");
    if (app != APP_ID) {
        if (app != 0 || ver != 0 || objects != 0)
            return sq_fail(s, ST_NOT_TRIAGE,
                        "%s is not a triage database (application_id 0x%08" PRIX32 "); it was left untouched.",
                        s->path, (uint32_t)app);
        /* A new, empty file: claimed first (rollback journal, atomic), so that a crash at any later point
         * leaves a file that is recognisably triage's and is simply upgraded on the next open. Under the
         * write lock, looking again: another desk may have claimed it meanwhile. */
        rc = sq_begin_raw(s->db);
        if (rc == SQLITE_OK) rc = sq_read_ids(s->db, false, &app, &ver, &objects);
        bool foreign = rc == SQLITE_OK && app != APP_ID && (app != 0 || ver != 0 || objects != 0);
        if (rc == SQLITE_OK && !foreign && app != APP_ID)
            rc = sq_exec_script(s->db, "PRAGMA application_id = 1414678855"); /* 0x54524947 */
        if (rc == SQLITE_OK && !foreign) rc = sq_commit_raw(s->db);
        if (rc != SQLITE_OK) {
            store_status x = sq_fail_rc(s, rc, "claim the new database");
            sq_do_rollback(s);
            return x;
        }
        if (foreign) {
            sq_do_rollback(s);
            return sq_fail(s, ST_NOT_TRIAGE,
                        "%s is not a triage database (application_id 0x%08" PRIX32 "); it was left untouched.",
                        s->path, (uint32_t)app);
        }
    }
    if (ver > SCHEMA_VERSION || ver < 0)
        return sq_fail(s, ST_TOO_NEW,
                    "%s was written by a newer triage (schema version %" PRId64
                    "; this program knows versions up to %d); it was left untouched.",
                    s->path, ver, SCHEMA_VERSION);

    /* Switching to WAL needs the file to itself for an instant. While desks start together on a new file
     * SQLite may answer "busy" at once (to avoid a deadlock) instead of waiting: try again until the busy
     * timeout has passed. Once the file is in WAL mode this is a no-op. */
    char mode[16] = "";
    int64_t deadline = now_ms() + s->busy_ms + LOCK_RETRIES * RETRY_SLEEP_MS;
    for (;;) {
        rc = sq_query_text(s->db, "PRAGMA journal_mode = WAL", mode, sizeof mode);
        if (!sq_is_busy(rc) || now_ms() >= deadline) break;
        (void)sqlite3_sleep(RETRY_SLEEP_MS); /* returns the time slept */
    }
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "switch to WAL mode");
    if (strcmp(mode, "wal") != 0)
        return sq_fail(s, ST_IO, "Database %s: could not switch to WAL mode (the journal mode stayed %s).", s->path, mode);
    rc = sq_exec_script(s->db, "PRAGMA synchronous = FULL;"
                            "PRAGMA foreign_keys = ON;"
                            "PRAGMA temp_store = MEMORY;"
                            "PRAGMA secure_delete = ON;"
                            "PRAGMA cell_size_check = ON;");
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "configure the database");
    int64_t fk = 0;
    rc = sq_query_int(s->db, "PRAGMA foreign_keys", &fk);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "check foreign keys");
    if (fk != 1) return sq_fail(s, ST_IO, "Database %s: this SQLite cannot enforce foreign keys.", s->path);
    /* the file as opened (its -wal and -shm are open now; while another desk checkpoints, the first check
     * takes the mark); checkpoints only while it stays this file */
    s->mark.explained = sq_mark_explains;
    (void)dbfile_mark_take(s->db, s->path, &s->mark);
    if (!sq_file_still_ours(s)) return sq_fail_replaced(s, "it was not opened");
    (void)sqlite3_wal_hook(s->db, sq_checkpoint_if_ours, s);
    return migrate(s, ver);
}

/* sq_open under the lock of DB-mark (mark_fd, -1 for none). */
static store_status open_locked(const char *path, bool create, int busy_timeout_ms, store **out, int mark_fd,
                                error *err) {
    error_clear(err);
    if (out) *out = NULL;
    if (!out || !path || !path[0]) return sq_put_err(err, ST_INVALID, "No database file was given.");
    if (strlen(path) >= PATH_MAX) return sq_put_err(err, ST_INVALID, "The database path is too long.");
    if (busy_timeout_ms < 0)
        return sq_put_err(err, ST_INVALID, "%s: the busy timeout cannot be negative.", path);
    if (sqlite3_libversion_number() < MIN_SQLITE)
        return sq_put_err(err, ST_IO, "%s: triage needs SQLite 3.37 or newer; this is SQLite %s.", path,
                       sqlite3_libversion());

    char dir[PATH_MAX];
    sq_dir_of(path, dir, sizeof dir);
    struct stat dst;
    if (stat(dir, &dst) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return sq_put_err(err, ST_IO, "The directory %s for the database %s does not exist.", dir, path);
        return sq_put_err(err, ST_IO, "The directory %s for the database %s cannot be reached (%s).", dir, path,
                       strerror(errno));
    }
    if (!S_ISDIR(dst.st_mode))
        return sq_put_err(err, ST_IO, "%s (for the database %s) is not a directory.", dir, path);
    struct statfs fs;
    if (statfs(dir, &fs) != 0)
        return sq_put_err(err, ST_IO, "Cannot tell which filesystem %s is on (%s).", dir, strerror(errno));
    const char *net = network_fs_of((unsigned long)fs.f_type);
    if (net)
        return sq_put_err(err, ST_UNSAFE_LOCATION,
                       "%s is on a network filesystem (%s): SQLite in WAL mode needs every desk on the same machine "
                       "and a local disk. Move the database to a local disk.",
                       path, net);

    struct stat fst;
    bool created = false;
    for (int pass = 0;; pass++) {
        if (stat(path, &fst) == 0) break;
        if (errno != ENOENT)
            return sq_put_err(err, ST_IO, "%s cannot be reached (%s).", path, strerror(errno));
        if (!create) return sq_put_err(err, ST_NOTFOUND, "%s does not exist.", path);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            if (errno == EEXIST && pass == 0) continue; /* another desk created it this instant */
            if (errno == EACCES || errno == EPERM || errno == EROFS)
                return sq_put_err(err, ST_READONLY, "Cannot create %s: the directory %s is read-only (%s).", path,
                               dir, strerror(errno));
            if (errno == ENOSPC || errno == EDQUOT)
                return sq_put_err(err, ST_FULL, "Cannot create %s: the disk is full.", path);
            return sq_put_err(err, ST_IO, "Cannot create %s (%s).", path, strerror(errno));
        }
        if (close(fd) != 0) return sq_put_err(err, ST_IO, "Cannot create %s (%s).", path, strerror(errno));
        created = true;
        memset(&fst, 0, sizeof fst);
        fst.st_mode = S_IFREG;
        break;
    }
    if (!S_ISREG(fst.st_mode)) return sq_put_err(err, ST_IO, "%s is not a regular file.", path);
    if (!created) {
        /* a symbolic link may lead elsewhere */
        if (statfs(path, &fs) != 0)
            return sq_put_err(err, ST_IO, "Cannot tell which filesystem %s is on (%s).", path, strerror(errno));
        net = network_fs_of((unsigned long)fs.f_type);
        if (net)
            return sq_put_err(err, ST_UNSAFE_LOCATION,
                           "%s is on a network filesystem (%s): SQLite in WAL mode needs a local disk. Move the "
                           "database to a local disk.",
                           path, net);
        /* before check_existing: its read-only connection would create -wal and -shm with the file's own
         * (read-only) mode, and that -shm kept the database unwritable after the file was made writable */
        if (eaccess(path, R_OK | W_OK) != 0)
            return sq_put_err(err, ST_READONLY, "%s is read-only (%s); triage needs to write to it.", path,
                           strerror(errno));
        if (fst.st_size > 0) {
            /* before anything reads the -wal: a killed program's log beside a file copied over the path */
            store_status st = sq_mark_check(mark_fd, path, err);
            if (st != ST_OK) return st;
            st = check_existing(path, dir, busy_timeout_ms, mark_fd, err);
            if (st != ST_OK) return st;
        }
    }
    if (eaccess(path, R_OK | W_OK) != 0)
        return sq_put_err(err, ST_READONLY, "%s is read-only (%s); triage needs to write to it.", path,
                       strerror(errno));
    if (eaccess(dir, W_OK | X_OK) != 0)
        return sq_put_err(err, ST_READONLY,
                       "The directory %s is read-only (%s); SQLite needs to create %s-wal and %s-shm next to the "
                       "database.",
                       dir, strerror(errno), path, path);

    /* -wal and -shm left read-only (e.g. by another program) make every write fail: say which file */
    static const char *const side[] = {"-wal", "-shm"};
    for (int i = 0; i < 2; i++) {
        char p[PATH_MAX + 8];
        snprintf(p, sizeof p, "%s%s", path, side[i]);
        if (eaccess(p, F_OK) == 0 && eaccess(p, R_OK | W_OK) != 0)
            return sq_put_err(err, ST_READONLY, "%s is read-only (%s); triage needs to write to it.", p,
                           strerror(errno));
    }

    store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->busy_ms = busy_timeout_ms;
    store_status st = connect_rw(s);
    if (st != ST_OK) {
        sq_put_err(err, st, "%s", s->err);
        sq_close(s);
        return st;
    }
    snprintf(s->err, sizeof s->err, "Database %s: no error.", s->path);
    *out = s;
    return ST_OK;
}

/* Opens under the lock of the file's mark (sqlite_filemark.c): no desk checkpoints between the check of a
 * -wal left beside the file and the record of the file as this open leaves it. */
store_status sq_open(const char *path, bool create, int busy_timeout_ms, store **out, error *err) {
    bool named = path && path[0] && strlen(path) < PATH_MAX;
    int fd = named ? sq_mark_lock(path, false) : -1;
    store_status st = open_locked(path, create, busy_timeout_ms, out, fd, err);
    if (st == ST_OK) {
        if (fd < 0) fd = sq_mark_lock(path, true);
        sq_mark_record(fd, path, (*out)->db);
    }
    sq_mark_unlock(fd);
    return st;
}

void sq_close(store *s) {
    if (!s) return;
    if (s->db) {
        sq_do_rollback(s);
        /* closing checkpoints the WAL into the file at the path: only if it still is this connection's */
        if (s->mark.taken) (void)sq_file_still_ours(s);
        /* finalize returns the code of the statement's last step, already handled */
        for (int i = 0; i < S_COUNT; i++)
            if (s->st[i]) (void)sqlite3_finalize(s->st[i]);
        /* every statement is finalized, so this closes now (v2 would only defer it otherwise); the last
         * connection checkpoints as it closes: the file's mark is taken again after it */
        int fd = sq_mark_lock(s->path, false);
        /* the log written into the file under the guard first (sqlite_guard.h): the close's own checkpoint, if
         * this is the last connection, then finds nothing left to write */
        bool ours = s->file == DBFILE_SAME;
        if (ours && s->mark.taken && sq_guard_begin(s)) {
            sq_mark_unsettle(fd);
            (void)sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
            ours = sq_guard_end(s);
            if (!ours) sq_mark_resettle(fd);
        } else if (ours && s->mark.taken) {
            /* not as the check found it a moment ago (a copy over the path now?): no checkpoint, and the record
             * left as it was, so that the next open with this log beside another file refuses it */
            (void)sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
            ours = false;
        } else {
            sq_mark_unsettle(fd);
        }
        /* the trail's head read before the close (the record describes the file as the close leaves it) */
        mark_head head;
        bool known = sq_mark_head_take(s->db, &head);
        if (ours && fd >= 0) sq_seen_record(s->path, s->db, false);
        (void)sqlite3_close_v2(s->db);
        if (ours) sq_mark_record_head(fd, s->path, known ? &head : NULL);
        sq_mark_unlock(fd);
    }
    free(s->path);
    free(s);
}

const char *sq_errmsg(const store *s) { return s ? s->err : "No database is open."; }

int sq_schema_version(const store *s) { return s ? s->version : -1; }
