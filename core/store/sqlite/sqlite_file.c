/* Is the database file at a path still the file this connection opened, written only by SQLite?
 * See sqlite_file.h. The -shm layout and the -wal header are SQLite's documented formats
 * (https://www.sqlite.org/walformat.html, https://www.sqlite.org/fileformat2.html#walformat). */
#include "sqlite_file.h"

#include "sqlite_backend.h"
#include "sqlite_guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>

/* -shm: two copies of the wal-index header (48 bytes each), then the checkpoint info */
enum {
    SHM_HDR = 48,
    SHM_ISINIT = 12,          /* u8: the header is valid */
    SHM_MXFRAME = 16,         /* u32, native order: frames committed in the -wal */
    SHM_SALT = 32,            /* 8 bytes: the salts, as in the -wal header */
    SHM_BACKFILL = 96,        /* u32: frames copied into the database file */
    SHM_BACKFILL_TRIED = 128, /* u32: set before a checkpoint starts writing the database file */
    SHM_CKPT_LOCK = 1,        /* the checkpointer's lock (xShmLock slot) */
    WAL_HDR = 32,             /* -wal header: magic, version, page size, checkpoint sequence, salts, checksum */
    WAL_SALT = 16,
    WAL_HOW = 4 /* a discarded header's version field: why it was discarded (dbfile_discard_wal) */
};
static const unsigned char WAL_HOW_CP[4] = {'c', 'p', 'o', 'v'};

static sqlite3_file *file_of(sqlite3 *db, int op) {
    sqlite3_file *f = NULL;
    if (!db || sqlite3_file_control(db, "main", op, &f) != SQLITE_OK) return NULL;
    return f && f->pMethods ? f : NULL;
}

/* The connection's own mapping of the -shm (never a new open of it: closing that would drop the locks the
 * process holds on it). NULL when the connection has no -shm open (not in WAL mode, or nothing read yet). */
static const volatile unsigned char *shm_of(sqlite3_file *f) {
    if (!f || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap) return NULL;
    volatile void *p = NULL;
    if (f->pMethods->xShmMap(f, 0, 32768, 0, &p) != SQLITE_OK) return NULL;
    return (const volatile unsigned char *)p;
}

static uint32_t shm_u32(const volatile unsigned char *shm, int at) {
    uint32_t v;
    unsigned char b[4];
    for (int i = 0; i < 4; i++) b[i] = shm[at + i];
    memcpy(&v, b, sizeof v); /* the -shm is in the machine's own byte order */
    return v;
}

static void shm_copy(const volatile unsigned char *shm, int at, unsigned char *out, int n) {
    for (int i = 0; i < n; i++) out[i] = shm[at + i];
}

/* The -wal header as the connection's own -wal file holds it now; zeros if it is empty or unreadable. */
static void wal_header(sqlite3 *db, unsigned char out[WAL_HDR]) {
    memset(out, 0, WAL_HDR);
    sqlite3_file *w = file_of(db, SQLITE_FCNTL_JOURNAL_POINTER);
    if (w && w->pMethods->xRead(w, out, WAL_HDR, 0) != SQLITE_OK) memset(out, 0, WAL_HDR);
}

static bool wal_magic_ok(const unsigned char h[WAL_HDR]) {
    return h[0] == 0x37 && h[1] == 0x7f && h[2] == 0x06 && (h[3] == 0x82 || h[3] == 0x83);
}

/* Frames are committed (the -shm says so) but the -wal's header is not the one they were written under:
 * another desk discarded the WAL. Undecided (false) while the -shm header is being rewritten. */
static bool wal_discarded(sqlite3 *db, const volatile unsigned char *shm) {
    unsigned char a[SHM_HDR], b[SHM_HDR], again[SHM_HDR], w[WAL_HDR];
    shm_copy(shm, 0, a, SHM_HDR);
    shm_copy(shm, SHM_HDR, b, SHM_HDR);
    if (memcmp(a, b, SHM_HDR) != 0 || !a[SHM_ISINIT] || shm_u32(shm, SHM_MXFRAME) == 0) return false;
    wal_header(db, w);
    /* a writer restarting the WAL writes the -shm header first: read it again, and decide only if unchanged */
    shm_copy(shm, 0, again, SHM_HDR);
    if (memcmp(a, again, SHM_HDR) != 0) return false;
    return !wal_magic_ok(w) || memcmp(w + WAL_SALT, a + SHM_SALT, 8) != 0;
}

/* The checkpoint counters. Under the checkpointer's lock, so that no checkpoint is half-way through writing
 * the database file while the caller also looks at the file: false (undecided) if a checkpoint runs. */
typedef struct {
    struct stat st;
    int stat_errno;
    unsigned char header[100];
    dbfile_ckpt ckpt;
    bool discarded;
    bool discarded_overwritten; /* the desk that discarded it said: overwritten in place */
} file_state;

static bool read_state(sqlite3 *db, const char *path, file_state *fs) {
    memset(fs, 0, sizeof *fs);
    sqlite3_file *f = file_of(db, SQLITE_FCNTL_FILE_POINTER);
    const volatile unsigned char *shm = shm_of(f);
    bool locked = false;
    if (shm) {
        if (f->pMethods->xShmLock(f, SHM_CKPT_LOCK, 1, SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE) != SQLITE_OK)
            return false; /* a checkpoint is running */
        locked = true;
    }
    if (stat(path, &fs->st) != 0) fs->stat_errno = errno ? errno : ENOENT;
    /* through the connection's own handle: the file it has open (for a file moved away, the old one) */
    if (f && f->pMethods->xRead(f, fs->header, sizeof fs->header, 0) != SQLITE_OK)
        memset(fs->header, 0, sizeof fs->header);
    if (shm) {
        unsigned char a[SHM_HDR], b[SHM_HDR];
        shm_copy(shm, 0, a, SHM_HDR);
        shm_copy(shm, SHM_HDR, b, SHM_HDR);
        if (memcmp(a, b, SHM_HDR) != 0) { /* a writer is updating the header: undecided */
            (void)f->pMethods->xShmLock(f, SHM_CKPT_LOCK, 1, SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE);
            return false;
        }
        fs->ckpt.salt1 = (uint32_t)a[SHM_SALT] << 24 | (uint32_t)a[SHM_SALT + 1] << 16 | (uint32_t)a[SHM_SALT + 2] << 8 |
                         (uint32_t)a[SHM_SALT + 3]; /* big-endian, as in the -wal header */
        memcpy(&fs->ckpt.salt2, a + SHM_SALT + 4, 4);
        fs->ckpt.backfill = shm_u32(shm, SHM_BACKFILL);
        fs->ckpt.backfill_attempted = shm_u32(shm, SHM_BACKFILL_TRIED);
        fs->discarded = wal_discarded(db, shm);
        if (fs->discarded) {
            unsigned char w[WAL_HDR];
            wal_header(db, w);
            fs->discarded_overwritten = memcmp(w + WAL_HOW, WAL_HOW_CP, 4) == 0;
        }
    }
    if (locked) (void)f->pMethods->xShmLock(f, SHM_CKPT_LOCK, 1, SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE);
    return true;
}

static void mark_from(dbfile_mark *m, const file_state *fs) {
    m->dev = fs->st.st_dev;
    m->ino = fs->st.st_ino;
    m->size = fs->st.st_size;
    m->mtime = fs->st.st_mtim;
    memcpy(m->header, fs->header, sizeof m->header);
    m->ckpt = fs->ckpt;
    m->taken = true;
}

bool dbfile_mark_take(sqlite3 *db, const char *path, dbfile_mark *m) {
    file_state fs;
    if (!m || !path || !read_state(db, path, &fs) || fs.stat_errno) return false;
    /* once taken, the identity is the file this connection opened, for good: a file moved over the path between
     * this connection's checkpoint and this take was adopted as its own, and the old file, looked for by that
     * identity among the open files, was not saved (its last commits lost: store_faults, one run in three) */
    if (m->taken && (fs.st.st_dev != m->dev || fs.st.st_ino != m->ino)) return false;
    mark_from(m, &fs);
    return true;
}

/* Whether a checkpoint wrote the database file between the two readings of the -shm: in one generation of
 * the WAL its backfill counters move. A restart (the first commit after a complete checkpoint) begins a new
 * generation at zero, and a restart alone cannot be told from a checkpoint followed by a restart: it is
 * taken for a checkpoint. That is the known gap: a copy made over the path just after another program
 * restarted the WAL is not seen by this check; the program that restarted it sees it at its next check
 * (each connection checks after each of its own commits, so its own restarts are never the gap). */
static bool checkpoint_between(const dbfile_ckpt *m, const dbfile_ckpt *c) {
    if (c->salt1 == m->salt1 && c->salt2 == m->salt2)
        return c->backfill != m->backfill || c->backfill_attempted != m->backfill_attempted;
    return true;
}

dbfile_verdict dbfile_check(sqlite3 *db, const char *path, dbfile_mark *m) {
    if (!m || !path) return DBFILE_SAME;
    file_state fs;
    if (!read_state(db, path, &fs)) return DBFILE_SAME; /* a checkpoint runs: the next check decides */
    if (fs.stat_errno == ENOENT || fs.stat_errno == ENOTDIR) return DBFILE_GONE;
    if (fs.stat_errno) return DBFILE_SAME; /* cannot look (e.g. a directory made unreadable): not a verdict */
    /* the log at the path: while this connection is open nothing but a person removes or replaces it (SQLite
     * deletes it only at the last connection's close) */
    char wp[PATH_MAX + 8];
    struct stat ws;
    if (snprintf(wp, sizeof wp, "%s-wal", path) < (int)sizeof wp && fs.ckpt.salt1 | fs.ckpt.salt2) {
        if (stat(wp, &ws) != 0) {
            if (errno == ENOENT && m->wal_known) return DBFILE_LOG_GONE;
        } else if (!m->wal_known) {
            m->wal_dev = ws.st_dev, m->wal_ino = ws.st_ino, m->wal_known = true;
        } else if (ws.st_dev != m->wal_dev || ws.st_ino != m->wal_ino) {
            return DBFILE_LOG_GONE;
        }
    }
    dbfile_verdict discarded = fs.discarded_overwritten ? DBFILE_DISCARDED_OVERWRITTEN : DBFILE_DISCARDED;
    if (!m->taken) {
        mark_from(m, &fs);
        return fs.discarded ? discarded : DBFILE_SAME;
    }
    if (fs.st.st_dev != m->dev || fs.st.st_ino != m->ino) return DBFILE_MOVED;
    if (fs.discarded) return discarded;
    /* the size and header, not the times: `touch` or a backup tool setting times is no copy (taken for one, the log
     * was emptied and its commits lost, and the centre stopped: attacker round 14). A copy of this very file's size
     * and header (one made since the last checkpoint that wrote page 1) is taken for it too (sqlite_file.h). */
    bool content_same = fs.st.st_size == m->size && memcmp(fs.header, m->header, sizeof m->header) == 0;
    if (!content_same && !checkpoint_between(&m->ckpt, &fs.ckpt)) return DBFILE_OVERWRITTEN;
    if (!content_same && m->explained && !m->explained(m->explained_ctx, path)) return DBFILE_OVERWRITTEN;
    mark_from(m, &fs); /* unchanged, or written by a checkpoint */
    return DBFILE_SAME;
}

int dbfile_wal_unwritten(sqlite3 *db) {
    const volatile unsigned char *shm = shm_of(file_of(db, SQLITE_FCNTL_FILE_POINTER));
    if (!shm) return -1;
    uint32_t frames = shm_u32(shm, SHM_MXFRAME), backfill = shm_u32(shm, SHM_BACKFILL);
    return frames > backfill ? (int)(frames - backfill) : 0;
}

bool dbfile_log_current(sqlite3 *db) {
    const volatile unsigned char *shm = shm_of(file_of(db, SQLITE_FCNTL_FILE_POINTER));
    unsigned char h[WAL_HDR], salt[8];
    if (!shm) return false;
    wal_header(db, h);
    shm_copy(shm, SHM_SALT, salt, sizeof salt);
    return wal_magic_ok(h) && memcmp(h + WAL_SALT, salt, sizeof salt) == 0;
}

void dbfile_discard_wal(sqlite3 *db, bool overwritten) {
    sqlite3_file *f = file_of(db, SQLITE_FCNTL_FILE_POINTER);
    sqlite3_file *w = file_of(db, SQLITE_FCNTL_JOURNAL_POINTER);
    const volatile unsigned char *shm = shm_of(f);
    if (!w || !shm) return;
    unsigned char h[WAL_HDR], salt[8];
    wal_header(db, h);
    shm_copy(shm, SHM_SALT, salt, sizeof salt);
    /* only the WAL this connection's -shm describes: a WAL written since for the new file is left alone */
    if (!wal_magic_ok(h) || memcmp(h + WAL_SALT, salt, sizeof salt) != 0) return;
    unsigned char gone[WAL_HDR] = {0}; /* no magic: SQLite takes the log for empty */
    if (overwritten) memcpy(gone + WAL_HOW, WAL_HOW_CP, sizeof WAL_HOW_CP);
    if (w->pMethods->xWrite(w, gone, WAL_HDR, 0) == SQLITE_OK) (void)w->pMethods->xSync(w, SQLITE_SYNC_FULL);
}

bool dbfile_wal_salts(sqlite3 *db, unsigned char out[8]) {
    unsigned char h[WAL_HDR];
    wal_header(db, h);
    if (!wal_magic_ok(h)) return false;
    memcpy(out, h + WAL_SALT, 8);
    return true;
}

const char *dbfile_verdict_text(dbfile_verdict v) {
    switch (v) {
    case DBFILE_SAME: return "is the file triage opened";
    case DBFILE_GONE: return "was removed while triage had it open";
    case DBFILE_MOVED: return "was replaced by another file (moved or copied over the path) while triage had it open";
    case DBFILE_OVERWRITTEN:
        return "was overwritten in place by another program (copied over the path) while triage had it open";
    case DBFILE_DISCARDED:
        return "was replaced while a desk had it open (that desk found it and stopped; it wrote the old file's log "
               "into the old file when that was moved away, and emptied the log so that it cannot damage the file "
               "now at the path)";
    case DBFILE_LOG_GONE:
        return "had its write-ahead log (the -wal file beside it) deleted or replaced by another program while triage "
               "had it open";
    case DBFILE_DISCARDED_OVERWRITTEN:
        return "was overwritten in place by another program (copied over the path) while a desk had it open (that "
               "desk found it and stopped; the commits still in the log, not yet written into the file, belonged to "
               "the content overwritten and were lost with it: the log was emptied so that it cannot damage the file "
               "now at the path)";
    }
    return "changed";
}

/* ---- the connection's side (struct store, sqlite_backend.h) ---- */

/* Whether the file at the path is still the one this connection opened, written by SQLite alone. The first
 * time it is not, the WAL's frames are discarded (they belong to the old file and would damage the one now
 * at the path) and closing will not checkpoint; from then on this connection refuses every write. */
/* The log's committed frames written into the file this connection has open, before the log is discarded:
 * when the file was moved away (mv aside) or removed, that old file is the one the log belongs to, and its
 * last commits (a red intake saved a moment before) are only in the log (third restore tryout: they were
 * lost while the message said the log was set aside). The connection's own handle is the old file's inode,
 * never the path, so nothing reaches the file now at the path. Under the lock of DB-mark, so that no desk
 * opens the path (and reads this log) in the middle; nothing is recorded in it (it describes the file at
 * the path). Passive: frames a reader of another desk still needs are not copied (counted as lost). */
/* How many names the file this connection has open still has (0: a file moved over the path deleted it), or
 * -1 when not known. SQLite does not give its descriptor: the one of this process with the file's identity. */
static int old_file_links(const store *s) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    int links = -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && links < 0) {
        struct stat st;
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        if (fstat(atoi(e->d_name), &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == s->mark.dev &&
            st.st_ino == s->mark.ino)
            links = (int)st.st_nlink;
    }
    (void)closedir(d);
    return links;
}

/* Whether the file at path holds exactly the old file's size bytes (read through the connection's handle). */
static bool same_content(sqlite3_file *f, sqlite3_int64 size, const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    struct stat st;
    bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == size;
    static unsigned char a[65536], b[65536];
    for (sqlite3_int64 at = 0; same && at < size; at += (sqlite3_int64)sizeof a) {
        int n = size - at < (sqlite3_int64)sizeof a ? (int)(size - at) : (int)sizeof a;
        same = f->pMethods->xRead(f, a, n, at) == SQLITE_OK && pread(fd, b, (size_t)n, (off_t)at) == (ssize_t)n &&
               memcmp(a, b, (size_t)n) == 0;
    }
    (void)close(fd);
    return same;
}

/* A copy of the old file another desk already saved (DB.replaced-* beside the path, the same bytes): named
 * rather than copied again (fifth restore tryout: the second desk saved a second copy of the personal data,
 * or, in the same second, none, and its message named no file). True with its name in s->saved_as. */
static bool saved_already(store *s, sqlite3_file *f, sqlite3_int64 size) {
    char dir[PATH_MAX], prefix[PATH_MAX + 16];
    sq_dir_of(s->path, dir, sizeof dir);
    const char *base = strrchr(s->path, '/');
    base = base ? base + 1 : s->path;
    int pl = snprintf(prefix, sizeof prefix, "%s.replaced-", base);
    DIR *d = opendir(dir);
    if (!d || pl <= 0 || pl >= (int)sizeof prefix) {
        if (d) (void)closedir(d);
        return false;
    }
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        char p[sizeof s->saved_as];
        if (strncmp(e->d_name, prefix, (size_t)pl) != 0) continue;
        if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p) continue;
        if ((found = same_content(f, size, p))) snprintf(s->saved_as, sizeof s->saved_as, "%s", p);
    }
    (void)closedir(d);
    return found;
}

/* The old file, read through the connection's handle, into a new file beside the path (DB.replaced-
 * YYYYMMDD-HHMMSS, mode 0600, fsynced): when nothing else names it, it vanishes with the last desk's handle,
 * and with it the commits just written into it (fourth tryout: a red intake lost while the message said the
 * work was kept). False (and nothing left) when it cannot be saved. */
static bool save_old_file(store *s) {
    sqlite3_file *f = file_of(s->db, SQLITE_FCNTL_FILE_POINTER);
    sqlite3_int64 size = 0;
    if (!f || f->pMethods->xFileSize(f, &size) != SQLITE_OK) return false;
    if (saved_already(s, f, size)) return true;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", gmtime_r(&now, &tm));
    char p[sizeof s->saved_as];
    int fd = -1;
    /* another desk's different copy made in the same second keeps its name: this one takes the next */
    for (int n = 1; fd < 0 && n < 10; n++) {
        int w = n == 1 ? snprintf(p, sizeof p, "%s.replaced-%s", s->path, stamp)
                       : snprintf(p, sizeof p, "%s.replaced-%s-%d", s->path, stamp, n);
        if (w < 0 || w >= (int)sizeof p) return false;
        fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0 && errno != EEXIST) return false;
    }
    if (fd < 0) return false;
    static unsigned char buf[65536];
    bool ok = true;
    for (sqlite3_int64 at = 0; ok && at < size; at += (sqlite3_int64)sizeof buf) {
        int n = size - at < (sqlite3_int64)sizeof buf ? (int)(size - at) : (int)sizeof buf;
        ok = f->pMethods->xRead(f, buf, n, at) == SQLITE_OK && pwrite(fd, buf, (size_t)n, (off_t)at) == (ssize_t)n;
    }
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        (void)unlink(p);
        return false;
    }
    char dir[PATH_MAX];
    sq_dir_of(s->path, dir, sizeof dir);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd); /* the new name survives a crash too */
        (void)close(dfd);
    }
    snprintf(s->saved_as, sizeof s->saved_as, "%s", p);
    return true;
}

static void keep_log_in_old_file(store *s) {
    int frames = 0, copied = 0;
    int fd = sq_mark_lock(s->path, false);
    if (sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_PASSIVE, &frames, &copied) != SQLITE_OK) {
        frames = -1; /* not known: said as lost rather than kept */
        copied = 0;
    }
    /* moved over (no name left): the old file, now with its log's commits, saved before it vanishes */
    if (s->mark.taken && old_file_links(s) == 0) (void)save_old_file(s);
    dbfile_discard_wal(s->db, false);
    sq_mark_unlock(fd);
    s->wal_kept = copied > 0 ? copied : 0;
    s->wal_lost = frames < 0 ? -1 : frames > copied ? frames - copied : 0;
}

bool sq_file_still_ours(store *s) {
    if (s->file == DBFILE_SAME) s->file = dbfile_check(s->db, s->path, &s->mark);
    if (s->file == DBFILE_SAME) return true;
    if (!s->file_handled) {
        /* an old file moved away keeps its log's commits; one overwritten in place (cp over the path) is gone,
         * and so are they: its log is only discarded */
        if (s->file == DBFILE_OVERWRITTEN) {
            /* the commits not yet in the file are lost with the content overwritten: counted, to be said */
            s->wal_kept = -1;
            s->wal_lost = dbfile_wal_unwritten(s->db);
        }
        /* its log deleted under it: the file is still the one at the path, and while no other program has begun
         * a log of its own the commits in this one are written into it (the file then holds every commit, and is
         * recorded as triage left it); else they are lost (written now, they would damage the others' work) */
        if (s->file == DBFILE_LOG_GONE) {
            s->wal_kept = -1;
            s->wal_lost = dbfile_wal_unwritten(s->db);
            if (dbfile_log_current(s->db)) {
                keep_log_in_old_file(s);
                int fd = sq_mark_lock(s->path, false);
                if (s->wal_lost == 0) sq_mark_record(fd, s->path, s->db);
                sq_mark_unlock(fd);
            }
        }
        if (s->file == DBFILE_MOVED || s->file == DBFILE_GONE) keep_log_in_old_file(s);
        else if (s->file == DBFILE_OVERWRITTEN) dbfile_discard_wal(s->db, true); /* else another desk did */
        (void)sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
        s->file_handled = true;
    }
    return false;
}

bool sq_guard_begin(store *s) {
    if (!sq_file_still_ours(s)) return false;
    return dbguard_arm(s->db, (sqlite3_int64)s->mark.size, s->mark.header) != DBGUARD_DIFFERS;
}

bool sq_guard_end(store *s) {
    if (!dbguard_disarm(s->db)) return true;
    s->file = DBFILE_OVERWRITTEN;
    (void)sq_file_still_ours(s); /* its log's commits counted as lost, the log emptied, no checkpoint at close */
    return false;
}

/* The message for a connection whose file was replaced (kept as the store's error). */
store_status sq_fail_replaced(store *s, const char *what) {
    /* what became of this desk's log, said as it is (it was "set aside" while it was zeroed: tryout); short, the
     * whole message must fit a desk's message lines. A file overwritten in place took its log's commits with it,
     * as the verdict says. */
    char log[320] = "";
    if (s->file == DBFILE_LOG_GONE && s->wal_kept >= 0 && s->wal_lost == 0)
        snprintf(log, sizeof log, " The commits in its log were first written into the file (%d page(s)): none is "
                 "lost.", s->wal_kept);
    else if (s->file == DBFILE_LOG_GONE && s->wal_lost != 0)
        snprintf(log, sizeof log, " The commits in its log not yet in the file (%d page(s); the last intakes and "
                 "changes saved at this desk) could not be written into it and are lost: check them and make them again.",
                 s->wal_lost);
    else if (s->wal_kept >= 0 && (s->file == DBFILE_MOVED || s->file == DBFILE_GONE)) {
        if (s->wal_lost < 0)
            snprintf(log, sizeof log, " Its log could not be written into the old file; it was emptied, its last "
                     "commits lost.");
        else if (s->wal_lost)
            snprintf(log, sizeof log, " Its log was first written into the old file (%d page(s); %d lost: another "
                     "desk was reading them), then emptied.", s->wal_kept, s->wal_lost);
        else
            snprintf(log, sizeof log, " Its log was first written into the old file (%d page(s)), then emptied.",
                     s->wal_kept);
    }
    /* cp over the path (fifth tryout: a committed intake lost, and no message said so, as README promised) */
    if (s->file == DBFILE_OVERWRITTEN && s->wal_lost > 0)
        snprintf(log, sizeof log, " Its log held %d page(s) of commits not yet written into the file (the last "
                 "intakes and changes saved): they belonged to the content overwritten and are lost; make them again.",
                 s->wal_lost);
    else if (s->file == DBFILE_OVERWRITTEN && s->wal_lost == 0)
        snprintf(log, sizeof log, " Its log held no commit not yet in the file: the commits made since the copy put "
                 "there was made are lost with the content overwritten.");
    else if (s->file == DBFILE_OVERWRITTEN)
        snprintf(log, sizeof log, " The commits still in its log, if any (the last intakes and changes saved), "
                 "belonged to the content overwritten and are lost; check them and make them again.");
    char saved[6 * PATH_MAX + 700] = ""; /* the path six times, the saved name twice */
    /* the steps that work (fifth tryout: `triage restore` of the saved file was refused at the open, the file at
     * the path being the older one moved over it); the saved copy holds personal data, erased clients' too */
    if (s->saved_as[0])
        snprintf(saved, sizeof saved, " The old file had no name left (a file was moved over it): it was saved, with "
                 "this desk's work, as %s. To get that work back, quit every desk, then put it back: `mv %s %s.moved-in` "
                 "and `mv %s %s`; to restore the file that was moved over the path, run `triage restore %s.moved-in` "
                 "after. The saved file holds personal data (erased clients' too): once recovered, delete every copy "
                 "not in use.", s->saved_as, s->path, s->path, s->saved_as, s->path, s->path);
    /* the saved file's steps come last when there is one: they are what to do */
    return sq_fail(s, ST_IO, "Database %s: the file %s; it was left as it is now and nothing was written (%s).%s%s",
                   s->path, dbfile_verdict_text(s->file), what, log,
                   saved[0] ? saved
                            : " Quit every desk on it and start triage again to use the file now at that path; "
                              "restore backups only with `triage restore`.");
}

/* Runs after every commit in place of SQLite's automatic checkpoint, which would copy the WAL into whatever
 * file is at the path now: the same 1000-frame threshold, but only while the file is still this one. */
int sq_checkpoint_if_ours(void *ctx, sqlite3 *db, const char *name, int frames) {
    store *s = ctx;
    /* checked after every commit, which also moves the mark past a WAL restart this commit made */
    if (!sq_file_still_ours(s)) return SQLITE_OK;
    /* a new generation of the log (a restart): recorded in DB-mark, so that the open's check knows this log
     * is the file's own even when the file's inode change time moved (a chmod), and a copy put back with
     * its old record (cp -a) is not taken for it */
    unsigned char salts[8];
    if (dbfile_wal_salts(db, salts) && (!s->wal_salts_recorded || memcmp(salts, s->wal_salts, sizeof salts) != 0)) {
        int mfd = sq_mark_lock(s->path, true);
        sq_mark_record(mfd, s->path, db);
        sq_mark_unlock(mfd);
        memcpy(s->wal_salts, salts, sizeof salts);
        s->wal_salts_recorded = true;
    }
    if (frames < 1000) return SQLITE_OK;
    int fd = sq_mark_lock(s->path, true);
    if (!sq_guard_begin(s)) {
        sq_mark_unlock(fd);
        return SQLITE_OK;
    }
    sq_mark_unsettle(fd);
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL); /* busy: next commit */
    if (sq_guard_end(s)) {
        (void)dbfile_mark_take(db, s->path, &s->mark); /* this connection's own write of the file */
        sq_mark_record(fd, s->path, db);
    } else {
        sq_mark_resettle(fd);
    }
    sq_mark_unlock(fd);
    return SQLITE_OK;
}
