/* What this account last saw of a database's audit trail, kept where a copy of the data directory does not
 * reach (issue 16, s6): a second record of the trail's head, beside DB-mark's.
 *
 * Why: DB-mark (sqlite_filemark.c) lives beside the file, so a file-level backup of the data directory put
 * back with `cp -a` brings back the file and its DB-mark together, and the two agree: the older copy (an
 * erased client in it again) opened without a word. Nothing of the pair can tell: an inode change time
 * moves for a chmod or a move to a new disk as well, which would refuse sound files. What can tell is a
 * record the copy does not carry. Each account that runs triage keeps one per database path in its state
 * directory ($XDG_STATE_HOME/triage/seen, else ~/.local/state/triage/seen; one file per path, named by a
 * hash of the real path, which it also holds): the trail's first entry (which database), its
 * restore_generation and its head (last seq and hash). It only moves forward: a desk with an older view
 * never sets it back.
 *
 * The open refuses a file at that path whose trail is the same database's (same first entry) and either
 * has a lower restore_generation (a copy from before a `triage restore`) or, at the same generation, has
 * no entry at the recorded head or another one there (a copy from before the head). A higher generation
 * is a `triage restore` run since (it rewrites the trail and re-applies erasures): accepted when the trail holds
 * the `restore` entry that counted it up (trail_restored_to). No false alarm
 * for a chmod, a move of the directory (another path: no record; the same path on a new disk: the same
 * trail) or a newer file; another database at the path (set up anew) is not judged. It protects as far as
 * the account that opens the file is one that saw the newer trail (a centre whose desks run under several
 * accounts is protected for each account that saw it); an account with no state directory, or one it
 * cannot write, keeps no record and the check says nothing. Part of the SQLite backend (sqlite_backend.h). */
#include "sqlite_backend.h"

#include <sys/file.h>

#define SEEN_MAGIC "triage-trail-seen-1"

typedef struct {
    char magic[20];
    uint32_t pad;
    char path[PATH_MAX];
    unsigned char first[32]; /* the hash of the trail's first entry: which database */
    int64_t generation;      /* meta restore_generation */
    int64_t head_seq;
    unsigned char head_hash[32];
} seen_record;

/* The directory for the records, made if missing (mode 0700); false when this account has none. */
static bool seen_dir(char *out, size_t size, bool make) {
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/') n = snprintf(out, size, "%s/triage", xdg);
    else if (home && home[0] == '/') n = snprintf(out, size, "%s/.local/state/triage", home);
    else return false;
    if (n <= 0 || (size_t)n >= size) return false;
    if (!make) return true;
    /* each level made in turn: ~/.local/state may not exist yet */
    for (char *p = out + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(out, 0700) != 0 && errno != EEXIST) return false;
        *p = '/';
    }
    if (mkdir(out, 0700) != 0 && errno != EEXIST) return false;
    if (strlen(out) + 6 >= size) return false;
    strcat(out, "/seen");
    return mkdir(out, 0700) == 0 || errno == EEXIST;
}

/* The record's file for the database at db (its real path), and that real path. Named by a 64-bit FNV-1a
 * hash of the path (a name, not a protection: the path inside is compared too). */
static bool seen_path(const char *db, bool make, char *file, size_t fsize, char real[PATH_MAX]) {
    if (!realpath(db, real)) return false;
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)real; *p; p++) h = (h ^ *p) * 1099511628211ull;
    char dir[PATH_MAX];
    if (!seen_dir(dir, sizeof dir, make)) return false;
    if (!make && strlen(dir) + 6 < sizeof dir) strcat(dir, "/seen");
    int n = snprintf(file, fsize, "%s/%016" PRIx64, dir, h);
    return n > 0 && (size_t)n < fsize;
}

/* The trail's first entry (seq 1), its restore_generation and its head, as conn sees them; false if it has none.
 * Rows below seq 1 are not the trail's (triage numbers from 1): a row with seq 0, added with the CHECK constraints
 * ignored, once became the "first entry", so the older copy counted as another database and was not judged
 * (ninth outside attacker). *headless: entries there, but none at seq 1 (not a trail triage wrote). */
static bool trail_now(sqlite3 *conn, seen_record *r, bool *headless) {
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (headless) *headless = false;
    if (sqlite3_prepare_v2(conn,
                           "SELECT (SELECT hash FROM audit WHERE seq = 1), "
                           "(SELECT seq FROM audit WHERE seq >= 1 ORDER BY seq DESC LIMIT 1), "
                           "(SELECT hash FROM audit WHERE seq >= 1 ORDER BY seq DESC LIMIT 1), "
                           "coalesce((SELECT CAST(CAST(value AS TEXT) AS INTEGER) FROM meta "
                           "WHERE key = 'restore_generation'), 0), "
                           "(SELECT count(*) FROM (SELECT 1 FROM audit LIMIT 1))",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        ok = sqlite3_column_bytes(st, 0) == 32 && sqlite3_column_bytes(st, 2) == 32;
        if (headless) *headless = !ok && sqlite3_column_int(st, 4) > 0;
    }
    if (ok) {
        memcpy(r->first, sqlite3_column_blob(st, 0), 32);
        r->head_seq = sqlite3_column_int64(st, 1);
        memcpy(r->head_hash, sqlite3_column_blob(st, 2), 32);
        r->generation = sqlite3_column_int64(st, 3);
    }
    (void)sqlite3_finalize(st);
    return ok;
}

/* Whether the record at fd is this path's; read into r. */
static bool seen_read(int fd, const char *real, seen_record *r) {
    return pread(fd, r, sizeof *r, 0) == (ssize_t)sizeof *r && memcmp(r->magic, SEEN_MAGIC, sizeof SEEN_MAGIC) == 0 &&
           strncmp(r->path, real, sizeof r->path) == 0;
}

static bool trail_has(sqlite3 *conn, int64_t seq, const unsigned char hash[32]);
static bool trail_restored_to(sqlite3 *conn, int64_t generation);

void sq_seen_record(const char *db, sqlite3 *conn, bool force) {
    seen_record now;
    memset(&now, 0, sizeof now);
    char file[PATH_MAX + 64], real[PATH_MAX];
    if (!conn || !trail_now(conn, &now, NULL) || !seen_path(db, true, file, sizeof file, real)) return;
    memcpy(now.magic, SEEN_MAGIC, sizeof SEEN_MAGIC);
    snprintf(now.path, sizeof now.path, "%s", real);
    int fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return; /* best effort: no record, no check */
    while (flock(fd, LOCK_EX) != 0 && errno == EINTR) {
    }
    seen_record was;
    /* only forward: a desk whose view lags (an older head, the generation before a restore) keeps the record; and
     * only along the trail it holds: a longer trail that no longer holds the recorded head (a cut padded past it)
     * or a higher generation without its restore entry is no step forward (tenth outside attacker: the desk's close
     * moved the record onto a forged trail, and its own verify then said sound) */
    bool newer = force || !seen_read(fd, real, &was) || memcmp(was.first, now.first, 32) != 0 ||
                 (now.generation > was.generation && trail_restored_to(conn, now.generation)) ||
                 (now.generation == was.generation && now.head_seq > was.head_seq &&
                  trail_has(conn, was.head_seq, was.head_hash));
    /* a torn or failed write leaves a record that reads as none, or the old one: the check then says less */
    if (newer && pwrite(fd, &now, sizeof now, 0) != (ssize_t)sizeof now) now.head_seq = 0;
    (void)close(fd);
}

static const char *hex8(const unsigned char *h, char out[17]) {
    for (int i = 0; i < 8; i++) snprintf(out + 2 * i, 3, "%02x", h[i]);
    return out;
}

/* Whether conn's trail holds the entry seq with that hash. */
static bool trail_has(sqlite3 *conn, int64_t seq, const unsigned char hash[32]) {
    sqlite3_stmt *st = NULL;
    bool found = sqlite3_prepare_v2(conn, "SELECT hash FROM audit WHERE seq = ?", -1, &st, NULL) == SQLITE_OK &&
                 sqlite3_bind_int64(st, 1, seq) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
                 sqlite3_column_bytes(st, 0) == 32 && memcmp(sqlite3_column_blob(st, 0), hash, 32) == 0;
    (void)sqlite3_finalize(st);
    return found;
}

/* Whether conn's trail holds the `restore` entry that counted restore_generation up to generation: a triage restore
 * writes it in the transaction that counts it up ("content replaced by a verified backup (restore N; ..." or
 * "(restore N)"), signed by the restoring supervisor, which the login's facts walk and verify check. A generation
 * raised by hand in an older copy has none, and once passed that copy off as restored (ninth outside attacker). */
static bool trail_restored_to(sqlite3 *conn, int64_t generation) {
    char closed[64], more[64];
    snprintf(closed, sizeof closed, "%%(restore %" PRId64 ")%%", generation);
    snprintf(more, sizeof more, "%%(restore %" PRId64 ";%%", generation);
    sqlite3_stmt *st = NULL;
    bool found = sqlite3_prepare_v2(conn,
                                    "SELECT 1 FROM audit WHERE seq >= 1 AND action = 'restore' AND sig IS NOT NULL "
                                    "AND (SELECT role FROM staff WHERE staff.id = audit.staff_id) = 'supervisor' "
                                    "AND (detail LIKE ?1 ESCAPE '\\' OR detail LIKE ?2 ESCAPE '\\') LIMIT 1",
                                    -1, &st, NULL) == SQLITE_OK &&
                 sqlite3_bind_text(st, 1, closed, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
                 sqlite3_bind_text(st, 2, more, -1, SQLITE_TRANSIENT) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
    (void)sqlite3_finalize(st);
    return found;
}

store_status sq_seen_check(const char *db, sqlite3 *conn, error *err) {
    char file[PATH_MAX + 64], real[PATH_MAX];
    seen_record was, now;
    memset(&now, 0, sizeof now);
    if (!seen_path(db, false, file, sizeof file, real)) return ST_OK;
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return ST_OK; /* this account never opened a database at this path */
    /* shared, against a desk of this account writing the record at that moment: a torn read mixed two heads and
     * refused a sound file (faults/load: 114 of 1,156 writes, once the check ran before every write) */
    while (flock(fd, LOCK_SH) != 0 && errno == EINTR) {
    }
    bool have = seen_read(fd, real, &was);
    (void)close(fd);
    if (!have) return ST_OK;
    bool headless = false;
    if (!trail_now(conn, &now, &headless)) {
        if (!headless) return ST_OK; /* no trail yet (a database being set up anew at the path) */
        return sq_put_err(err, ST_CORRUPT,
                          "%s: its audit trail has no first entry (seq 1), while this account last saw a trail "
                          "there that had one: entries were removed or renumbered. Nothing was read or changed. "
                          "Run `triage verify`; restore a backup only with `triage restore`.",
                          db);
    }
    if (memcmp(was.first, now.first, 32) != 0) return ST_OK; /* another database set up at the path */
    /* restored with `triage restore` since: its restore entry must be there, not only the counter */
    if (now.generation > was.generation && trail_restored_to(conn, now.generation)) return ST_OK;
    if (now.generation == was.generation && trail_has(conn, was.head_seq, was.head_hash)) return ST_OK;
    char a[17], b[17];
    return sq_put_err(err, ST_CORRUPT,
                      "%s is older than the database this account last opened at that path: %s (its head: entry "
                      "%" PRId64 ", hash %s..., restore generation %" PRId64 "), but this account last saw its trail "
                      "reach entry %" PRId64 " (hash %s..., restore generation %" PRId64 "). An older copy was put "
                      "there (with its DB-mark, as a copy of the data directory does): erasures and records made "
                      "since are not in it. Nothing was read or changed. Restore backups only with `triage restore`, "
                      "which re-applies erasures. To use the file now at the path as it is on purpose, remove %s "
                      "(this account's record of it) and %s-mark, and start triage again.",
                      db,
                      now.generation < was.generation   ? "it comes from before a `triage restore` run since"
                      : now.generation > was.generation ? "its restore generation was raised without the `restore` "
                                                          "entry a triage restore writes"
                                                        : "its audit trail ends before what this account saw",
                      now.head_seq, hex8(now.head_hash, a), now.generation, was.head_seq, hex8(was.head_hash, b),
                      was.generation, file, db);
}

bool sq_seen_file(const char *db, char *out, size_t size) {
    char real[PATH_MAX];
    return seen_path(db, false, out, size, real) && access(out, F_OK) == 0;
}

void sq_seen_forget(const char *db) {
    char file[PATH_MAX + 64], real[PATH_MAX];
    if (seen_path(db, false, file, sizeof file, real)) (void)unlink(file);
}
