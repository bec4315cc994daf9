/* The database file as triage last wrote it, kept beside it (DB-mark), so that a file copied over the path
 * while a killed program's write-ahead log lies beside it is refused at open (issue 16, round 3).
 *
 * Why: SQLite binds a -wal to nothing of the database file but the page size
 * (https://www.sqlite.org/walformat.html: the frames carry the WAL header's salts and a checksum chain, not
 * the database's). A -wal left by a killed desk is replayed at the next open into whatever file is at the
 * path, and copied into it at the next checkpoint: a backup copied (cp) or moved over the path then becomes
 * a damaged database that every login accepts. In WAL mode only a checkpoint writes the database file
 * itself, and every checkpoint of a triage connection runs here (the WAL hook, the purge, the close). So
 * after each one the file's identity is recorded: device, inode, size, modification time and its 100-byte
 * header (its change counter moves with each checkpoint). At open, before SQLite reads the -wal, a -wal with
 * committed frames of its current generation beside a file that is not the one recorded is refused, naming
 * both, and nothing is read or written.
 *
 * The record is written under an exclusive flock(2) of DB-mark, and the open's check holds it too, so a
 * desk opening while another checkpoints never sees a half-way state. A checkpoint marks the record
 * "unsettled" before it starts: a program killed in the middle of one leaves it so, and the next open
 * cannot tell that checkpoint's write from a copy; it accepts the file, as SQLite's recovery expects.
 * Likewise a database with no record yet (made by an older triage), and a checkpoint run by another
 * program (the sqlite3 shell closing last while desks have it open) makes the record stale: the next open
 * with a hot -wal refuses a file that is sound; moving the -wal aside opens it (its last commits lost).
 * flock and SQLite's POSIX locks are separate locks on Linux, and DB-mark is a file SQLite never opens, so
 * closing it drops none of SQLite's locks. Part of the SQLite backend (sqlite_backend.h). */
#include "sqlite_backend.h"

#include <sys/file.h>

#define MARK_SUFFIX "-mark"
/* version 2 adds the inode change time and the log's generation (a record of version 1 counts as none) */
#define MARK_MAGIC "triage-file-mark-2"

typedef struct {
    char magic[20];
    uint32_t settled; /* 0 while a checkpoint runs */
    uint64_t dev, ino;
    int64_t size, mtime_s, mtime_ns;
    unsigned char header[DB_HEADER_BYTES];
    /* what a copy that keeps times (cp -a, a file-level backup of the data directory put back) cannot carry:
     * the inode change time, set by the kernel at every write, chmod or utimes and never by a program; and
     * the salts of the -wal's header when the record was made (its generation: a restart draws new ones) */
    int64_t ctime_s, ctime_ns;
    uint32_t wal_known; /* 1 when wal_salts hold the -wal's salts at the record */
    unsigned char wal_salts[8];
    /* the audit trail's head (last seq and its hash) as the recording connection saw it (issue 16, tryout 4):
     * a backup copied over the path while no log lies beside it ends its trail before it. Added at the end
     * of version 2: a shorter record (an older triage) reads as none here, and an older triage reads this
     * one's first part as before. The head may lag behind the trail (it is only taken at a record): that
     * only makes the check weaker, never wrong, since the trail only grows. */
    uint32_t head_known;
    uint32_t pad;
    int64_t head_seq;
    unsigned char head_hash[32];
} mark_record;

static bool mark_path(const char *db, char *out, size_t size) {
    int n = snprintf(out, size, "%s" MARK_SUFFIX, db);
    return n > 0 && (size_t)n < size;
}

/* The lock this process holds now, and how many times it was taken: a commit inside an open (the schema
 * upgrade) may checkpoint, and a failed open closes its connection, while the open holds the lock; flock
 * locks of two descriptors of one file exclude each other even in one process. One store is used by one
 * thread (sqlite_open.c), so one slot is enough. */
static struct {
    char path[PATH_MAX + 8];
    int fd, depth;
} held = {"", -1, 0};

int sq_mark_lock(const char *db, bool create) {
    char p[PATH_MAX + 8];
    if (!mark_path(db, p, sizeof p)) return -1;
    if (held.depth > 0 && strcmp(held.path, p) == 0) {
        held.depth++;
        return held.fd;
    }
    int fd = open(p, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0), 0600);
    if (fd < 0) return -1; /* best effort: a directory triage cannot write is refused by the open anyway */
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            (void)close(fd);
            return -1;
        }
    }
    if (held.depth == 0) {
        snprintf(held.path, sizeof held.path, "%s", p);
        held.fd = fd;
        held.depth = 1;
    }
    return fd;
}

void sq_mark_unlock(int fd) {
    if (fd < 0) return;
    if (held.depth > 0 && fd == held.fd && --held.depth > 0) return;
    if (fd == held.fd) held.fd = -1;
    (void)close(fd); /* drops the flock */
}

/* The salts of db-wal's header (its generation), when it has a valid header. Read with a plain open: SQLite
 * takes no lock on the -wal file itself, so closing it drops none of this process's locks. */
static bool wal_salts(const char *db, unsigned char salts[8]) {
    char p[PATH_MAX + 8];
    if (snprintf(p, sizeof p, "%s-wal", db) >= (int)sizeof p) return false;
    int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    unsigned char h[32];
    bool ok = pread(fd, h, sizeof h, 0) == (ssize_t)sizeof h && h[0] == 0x37 && h[1] == 0x7f && h[2] == 0x06 &&
              (h[3] == 0x82 || h[3] == 0x83);
    if (ok) memcpy(salts, h + 16, 8);
    (void)close(fd);
    return ok;
}

/* The last entry of the audit trail as conn sees it (with its log); false if none or unreadable. */
static bool audit_head(sqlite3 *conn, int64_t *seq, unsigned char hash[32]) {
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (conn && sqlite3_prepare_v2(conn, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1, &st, NULL) ==
                    SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32) {
        *seq = sqlite3_column_int64(st, 0);
        memcpy(hash, sqlite3_column_blob(st, 1), 32);
        ok = true;
    }
    (void)sqlite3_finalize(st);
    return ok;
}

/* The file at db as it is now; false if it cannot be examined. */
static bool mark_now(const char *db, mark_record *m) {
    memset(m, 0, sizeof *m);
    struct stat st;
    bool short_file = false;
    if (stat(db, &st) != 0 || sq_read_header(db, m->header, &short_file) != SQLITE_OK) return false;
    memcpy(m->magic, MARK_MAGIC, sizeof MARK_MAGIC);
    m->settled = 1;
    m->dev = (uint64_t)st.st_dev;
    m->ino = (uint64_t)st.st_ino;
    m->size = (int64_t)st.st_size;
    m->mtime_s = (int64_t)st.st_mtim.tv_sec;
    m->mtime_ns = (int64_t)st.st_mtim.tv_nsec;
    m->ctime_s = (int64_t)st.st_ctim.tv_sec;
    m->ctime_ns = (int64_t)st.st_ctim.tv_nsec;
    m->wal_known = wal_salts(db, m->wal_salts) ? 1 : 0;
    return true;
}

static void mark_write(int fd, const mark_record *m) {
    if (fd < 0) return;
    /* one write of a fixed size at the start: a torn record (a crash in the middle) reads back unsettled or
     * without its magic, and counts as none; a failed write leaves the old record, which the next open
     * with a hot -wal may then refuse (said in its message: move the -wal away) */
    if (pwrite(fd, m, sizeof *m, 0) != (ssize_t)sizeof *m) return;
}

bool sq_mark_head_take(sqlite3 *conn, mark_head *h) { return audit_head(conn, &h->seq, h->hash); }

void sq_mark_record_head(int fd, const char *db, const mark_head *head) {
    mark_record m;
    if (fd < 0 || !mark_now(db, &m)) return;
    if (head) {
        m.head_known = 1;
        m.head_seq = head->seq;
        memcpy(m.head_hash, head->hash, sizeof m.head_hash);
    }
    mark_write(fd, &m);
}

void sq_mark_record(int fd, const char *db, sqlite3 *conn) {
    mark_head h;
    sq_mark_record_head(fd, db, sq_mark_head_take(conn, &h) ? &h : NULL);
    if (fd >= 0) sq_seen_record(db, conn, false); /* and outside the data directory (sqlite_seen.c) */
}

static const char *hex8(const unsigned char *h, char out[17]) {
    for (int i = 0; i < 8; i++) snprintf(out + 2 * i, 3, "%02x", h[i]);
    return out;
}

store_status sq_mark_check_trail(int fd, const char *db, sqlite3 *conn, error *err) {
    mark_record was;
    if (fd < 0 || pread(fd, &was, sizeof was, 0) != (ssize_t)sizeof was ||
        memcmp(was.magic, MARK_MAGIC, sizeof MARK_MAGIC) || !was.head_known)
        return ST_OK; /* no record of a head (an older triage, a new file): nothing to judge by */
    int64_t now_seq = 0;
    unsigned char now_last[32] = {0}, at_seq[32];
    bool has_head = audit_head(conn, &now_seq, now_last);
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(conn, "SELECT hash FROM audit WHERE seq = ?", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_int64(st, 1, was.head_seq) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_bytes(st, 0) == 32) {
        memcpy(at_seq, sqlite3_column_blob(st, 0), 32);
        found = true;
    }
    (void)sqlite3_finalize(st);
    if (found && memcmp(at_seq, was.head_hash, 32) == 0) return ST_OK; /* the same trail, maybe longer */
    char a[17], b[17], seen[PATH_MAX + 64] = "", also[PATH_MAX + 128] = "";
    /* both records to remove on purpose, in one message: the second (sqlite_seen.c) would refuse it next */
    if (sq_seen_file(db, seen, sizeof seen)) snprintf(also, sizeof also, " and %s (this account's record of it)", seen);
    return sq_put_err(err, ST_CORRUPT,
                      "%s is not the file triage last wrote there: its audit trail %s (its head: entry %" PRId64
                      ", hash %s...), but when triage last wrote it the trail reached entry %" PRId64
                      " with hash %s.... An older copy (a backup copied over the path) or another database was put "
                      "there: erasures and records made since are not in it. Nothing was read or changed. Restore "
                      "backups only with `triage restore`, which re-applies erasures. To use the file now at the path "
                      "as it is on purpose, remove %s-mark%s and start triage again.",
                      db, found ? "has another entry at that place" : "ends before that", has_head ? now_seq : 0,
                      has_head ? hex8(now_last, a) : "none", was.head_seq, hex8(was.head_hash, b), db, also);
}

bool sq_mark_explains(void *ctx, const char *db) {
    (void)ctx;
    int fd = sq_mark_lock(db, false);
    if (fd < 0) return true; /* no record: nothing to judge by */
    mark_record was, now;
    bool same = true;
    if (pread(fd, &was, sizeof was, 0) == (ssize_t)sizeof was && !memcmp(was.magic, MARK_MAGIC, sizeof MARK_MAGIC) &&
        was.settled && mark_now(db, &now))
        same = was.dev == now.dev && was.ino == now.ino && was.size == now.size &&
               memcmp(was.header, now.header, sizeof was.header) == 0;
    sq_mark_unlock(fd);
    return same;
}

/* The record's settled flag alone changed (a checkpoint begins, or one the guard stopped wrote nothing). */
static void mark_settled(int fd, uint32_t settled) {
    mark_record m;
    if (fd < 0 || pread(fd, &m, sizeof m, 0) != (ssize_t)sizeof m || memcmp(m.magic, MARK_MAGIC, sizeof MARK_MAGIC))
        return;
    m.settled = settled;
    mark_write(fd, &m);
}

void sq_mark_unsettle(int fd) { mark_settled(fd, 0); }

void sq_mark_resettle(int fd) { mark_settled(fd, 1); }

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether db-wal holds at least one frame of its current generation (a frame whose salts are the header's):
 * SQLite would replay it into the file at the path. Read with a plain open: SQLite takes no lock on the -wal
 * file itself, so closing it drops none of this process's locks. */
static bool wal_hot(const char *db) {
    char p[PATH_MAX + 8];
    if (snprintf(p, sizeof p, "%s-wal", db) >= (int)sizeof p) return false;
    int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    unsigned char h[32 + 24];
    bool hot = pread(fd, h, sizeof h, 0) == (ssize_t)sizeof h && h[0] == 0x37 && h[1] == 0x7f && h[2] == 0x06 &&
               (h[3] == 0x82 || h[3] == 0x83) && memcmp(h + 16, h + 32 + 8, 8) == 0 && be32(h + 32) != 0;
    (void)close(fd);
    return hot;
}

store_status sq_mark_check(int fd, const char *db, error *err) {
    mark_record was, now;
    if (fd < 0 || !wal_hot(db)) return ST_OK;
    if (pread(fd, &was, sizeof was, 0) != (ssize_t)sizeof was || memcmp(was.magic, MARK_MAGIC, sizeof MARK_MAGIC) ||
        !was.settled)
        return ST_OK; /* no record, or a checkpoint cut short: nothing to judge by (see above) */
    if (!mark_now(db, &now)) return ST_OK; /* the open that follows says what is wrong with it */
    bool same_content = was.dev == now.dev && was.ino == now.ino && was.size == now.size &&
                        memcmp(was.header, now.header, sizeof was.header) == 0;
    bool same = same_content && was.mtime_s == now.mtime_s && was.mtime_ns == now.mtime_ns;
    if (same && was.ctime_s == now.ctime_s && was.ctime_ns == now.ctime_ns) return ST_OK;
    /* the same size and header but new times: the file was written or had its times set since (cp -a of a
     * file-level backup puts back the file as it was, with its own old record), or only its times or mode moved
     * (touch, chmod: a touch was refused as "overwritten", attacker round 14); the log then tells: the generation
     * the record saw is this file's own */
    unsigned char salts[8];
    if (same_content && was.wal_known && wal_salts(db, salts) && memcmp(salts, was.wal_salts, sizeof salts) == 0)
        return ST_OK;
    if (same)
        return sq_put_err(err, ST_CORRUPT,
                          "%s was put back with its old times, size and header (copied over the path by a program "
                          "that keeps them, such as cp -a of a file-level backup, together with its record %s-mark): "
                          "its inode change time moved although no checkpoint ran, and the write-ahead log %s-wal "
                          "beside it is not of the generation the record saw (it was left by a program that was "
                          "killed, after the file was copied). SQLite would apply that log to this file and damage "
                          "it. Nothing was read or changed. Restore backups only with `triage restore`; to use the "
                          "file now at the path, move %s-wal and %s-shm away first (the last commits of the replaced "
                          "file are lost with them).",
                          db, db, db, db, db);
    return sq_put_err(err, ST_CORRUPT,
                      "%s is not the file triage last wrote there (it was %s since), and the write-ahead log %s-wal "
                      "beside it belongs to the file it replaced (left by a program that was killed): SQLite would "
                      "apply that log to this file and damage it. Nothing was read or changed. Restore backups only "
                      "with `triage restore`; to use the file now at the path, move %s-wal and %s-shm away first "
                      "(the last commits of the replaced file are lost with them).",
                      db, was.ino != now.ino || was.dev != now.dev ? "replaced by another file" : "overwritten", db,
                      db, db);
}
