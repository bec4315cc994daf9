/* The database file's guard during a checkpoint: see sqlite_guard.h. A VFS shim in SQLite's documented way
 * (https://www.sqlite.org/vfs.html, https://www.sqlite.org/c3ref/io_methods.html): each file is the shim's
 * header followed by the default VFS's own file, and every method is passed on to it. */
#include "sqlite_guard.h"

#include <stddef.h>
#include <string.h>

#define HDR 100

typedef struct {
    sqlite3_file base; /* pMethods: guard_io */
    sqlite3_file *real;
    bool main_db, armed, tripped;
    sqlite3_int64 size; /* the least size the file must have */
    unsigned char header[HDR];
} guard_file;

/* the default VFS's file follows the header, aligned as any of SQLite's */
#define REAL_AT ((sizeof(guard_file) + 15) & ~(size_t)15)

static sqlite3_vfs guard_vfs;
static sqlite3_vfs *base_vfs;
static bool tripped_since; /* for dbguard_take_trip */

static sqlite3_file *real_of(sqlite3_file *f) { return ((guard_file *)f)->real; }

/* The file as the guard expects it: no smaller, the same header. A size that cannot be read is no verdict. */
static bool as_expected(guard_file *g) {
    sqlite3_int64 sz = 0;
    if (g->real->pMethods->xFileSize(g->real, &sz) != SQLITE_OK) return true;
    if (sz < g->size) return false;
    unsigned char h[HDR];
    if (g->size < HDR) return true; /* a file too new to have a header yet */
    return g->real->pMethods->xRead(g->real, h, HDR, 0) == SQLITE_OK && memcmp(h, g->header, HDR) == 0;
}

static bool refused(guard_file *g) {
    if (!g->main_db || !g->armed) return false;
    if (!g->tripped && !as_expected(g)) g->tripped = tripped_since = true;
    return g->tripped;
}

static int g_close(sqlite3_file *f) { return real_of(f)->pMethods->xClose(real_of(f)); }
static int g_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 at) {
    return real_of(f)->pMethods->xRead(real_of(f), buf, n, at);
}

static int g_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 at) {
    guard_file *g = (guard_file *)f;
    if (refused(g)) return SQLITE_IOERR_WRITE;
    int rc = g->real->pMethods->xWrite(g->real, buf, n, at);
    if (rc == SQLITE_OK && g->main_db && g->armed) { /* the connection's own write: now expected */
        if (at == 0 && n >= HDR) memcpy(g->header, buf, HDR);
        if (at + n > g->size) g->size = at + n;
    }
    return rc;
}

static int g_truncate(sqlite3_file *f, sqlite3_int64 size) {
    guard_file *g = (guard_file *)f;
    if (refused(g)) return SQLITE_IOERR_TRUNCATE;
    int rc = g->real->pMethods->xTruncate(g->real, size);
    if (rc == SQLITE_OK && g->main_db && g->armed) g->size = size;
    return rc;
}

static int g_sync(sqlite3_file *f, int flags) { return real_of(f)->pMethods->xSync(real_of(f), flags); }
static int g_file_size(sqlite3_file *f, sqlite3_int64 *size) {
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
static int g_lock(sqlite3_file *f, int lock) { return real_of(f)->pMethods->xLock(real_of(f), lock); }
static int g_unlock(sqlite3_file *f, int lock) { return real_of(f)->pMethods->xUnlock(real_of(f), lock); }
static int g_check_reserved(sqlite3_file *f, int *out) {
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
static int g_file_control(sqlite3_file *f, int op, void *arg) {
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
static int g_sector_size(sqlite3_file *f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
static int g_device(sqlite3_file *f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }

/* the shared-memory and memory-map methods, where the default VFS has them (version 2 and 3) */
static int g_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **p) {
    const sqlite3_io_methods *m = real_of(f)->pMethods;
    return m->iVersion >= 2 && m->xShmMap ? m->xShmMap(real_of(f), region, size, extend, p) : SQLITE_IOERR_SHMMAP;
}
static int g_shm_lock(sqlite3_file *f, int offset, int n, int flags) {
    const sqlite3_io_methods *m = real_of(f)->pMethods;
    return m->iVersion >= 2 && m->xShmLock ? m->xShmLock(real_of(f), offset, n, flags) : SQLITE_IOERR_SHMLOCK;
}
static void g_shm_barrier(sqlite3_file *f) {
    const sqlite3_io_methods *m = real_of(f)->pMethods;
    if (m->iVersion >= 2 && m->xShmBarrier) m->xShmBarrier(real_of(f));
}
static int g_shm_unmap(sqlite3_file *f, int del) {
    const sqlite3_io_methods *m = real_of(f)->pMethods;
    return m->iVersion >= 2 && m->xShmUnmap ? m->xShmUnmap(real_of(f), del) : SQLITE_OK;
}
static int g_fetch(sqlite3_file *f, sqlite3_int64 at, int n, void **p) {
    const sqlite3_io_methods *m = real_of(f)->pMethods;
    if (m->iVersion >= 3 && m->xFetch) return m->xFetch(real_of(f), at, n, p);
    *p = NULL; /* SQLite then reads the page with xRead */
    return SQLITE_OK;
}
static int g_unfetch(sqlite3_file *f, sqlite3_int64 at, void *p) {
    const sqlite3_io_methods *m = real_of(f)->pMethods;
    return m->iVersion >= 3 && m->xUnfetch ? m->xUnfetch(real_of(f), at, p) : SQLITE_OK;
}

static const sqlite3_io_methods guard_io = {
    3,           g_close,   g_read,         g_write,    g_truncate,    g_sync,       g_file_size,
    g_lock,      g_unlock,  g_check_reserved, g_file_control, g_sector_size, g_device, g_shm_map,
    g_shm_lock,  g_shm_barrier, g_shm_unmap, g_fetch,  g_unfetch,
};

static int g_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out) {
    (void)vfs;
    guard_file *g = (guard_file *)f;
    memset(g, 0, sizeof *g);
    g->real = (sqlite3_file *)((unsigned char *)f + REAL_AT);
    g->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    int rc = base_vfs->xOpen(base_vfs, name, g->real, flags, out);
    /* SQLite calls xClose whenever pMethods is set, even after a failed open: only when the real file has one */
    f->pMethods = g->real->pMethods ? &guard_io : NULL;
    return rc;
}

const char *dbguard_vfs(void) {
    if (base_vfs) return guard_vfs.zName;
    sqlite3_vfs *b = sqlite3_vfs_find(NULL);
    if (!b) return NULL;
    guard_vfs = *b; /* every other method is the default VFS's own: they take the vfs only for pAppData */
    guard_vfs.szOsFile = (int)REAL_AT + b->szOsFile;
    guard_vfs.zName = "triage-guard";
    guard_vfs.xOpen = g_open;
    guard_vfs.pNext = NULL;
    if (sqlite3_vfs_register(&guard_vfs, 0) != SQLITE_OK) return NULL;
    base_vfs = b;
    return guard_vfs.zName;
}

static guard_file *guard_of(sqlite3 *db) {
    sqlite3_file *f = NULL;
    /* by its close method: a VFS stacked over this one (a test's) may copy the methods and change another */
    if (!db || sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods || f->pMethods->xClose != g_close)
        return NULL;
    return (guard_file *)f;
}

dbguard_arming dbguard_arm(sqlite3 *db, sqlite3_int64 size, const unsigned char header[100]) {
    guard_file *g = guard_of(db);
    if (!g || !g->main_db) return DBGUARD_NONE;
    g->size = size;
    memcpy(g->header, header, HDR);
    g->tripped = false;
    /* differing already is no refusal: what was expected may be stale (a checkpoint by a program that is not
     * triage); the caller's check decides */
    if (!as_expected(g)) return DBGUARD_DIFFERS;
    g->armed = true;
    return DBGUARD_ARMED;
}

bool dbguard_disarm(sqlite3 *db) {
    guard_file *g = guard_of(db);
    if (!g) return false;
    bool t = g->tripped;
    g->armed = g->tripped = false;
    return t;
}

bool dbguard_take_trip(void) {
    bool t = tripped_since;
    tripped_since = false;
    return t;
}
