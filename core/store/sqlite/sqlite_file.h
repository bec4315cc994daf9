/* Is the database file at a path still the file this process opened, written only by SQLite? (issue 16)
 *
 * SQLite names its -wal and -shm files after the path, not the file. A database moved (mv) or copied (cp)
 * over the path while desks have it open leaves them working on the old file through the same -wal and
 * -shm that the next program to open the path will use: their frames, applied to another file, damage it
 * (on tmpfs as on disk; a test passed on disk only because the restored copy matched the frames). So a
 * connection marks the file when it opens it and checks the mark before each write and at each poll:
 *   - moved or removed: the path names another inode (st_dev/st_ino), or nothing;
 *   - overwritten in place: the file's size or 100-byte header changed although no
 *     checkpoint ran (only a checkpoint writes the database file itself in WAL mode; each one moves the
 *     checkpoint counters of the -shm or the -wal header, see https://www.sqlite.org/walformat.html). The
 *     header counts because timestamps are coarse (a few ms): a copy right after a checkpoint can keep them,
 *     and the times alone say nothing (touch moves them);
 *   - its WAL discarded by another desk that found one of the above (the -wal header no longer matches the
 *     -shm's): the file was replaced, though this desk saw nothing change.
 * A desk that finds any of them stops writing and discards the WAL's frames (dbfile_discard_wal), so that
 * they are never applied to the file now at the path, which is left as it was put there.
 * Part of the SQLite backend (it reads the -shm through SQLite's own mapping and locks: a program must never
 * open and close the -shm itself, which would drop the process's POSIX locks on it).
 * Known gaps: a copy of the same size and header as the file (made from it since the last checkpoint that wrote
 * page 1) is taken for the file; an overwrite in the middle of a checkpoint, which these checks before and after
 * cannot tell from the checkpoint's own writes, is stopped by the guard on each of its writes (sqlite_guard.h);
 * one just
 * after another program restarted the WAL is seen by that program's next check, not by this one's. */
#ifndef TRIAGE_SQLITE_FILE_H
#define TRIAGE_SQLITE_FILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <sqlite3.h>

typedef enum {
    DBFILE_SAME = 0,    /* the same file, written only by SQLite since the last check */
    DBFILE_GONE,        /* nothing at the path any more */
    DBFILE_MOVED,       /* another file at the path (moved or copied there as a new file) */
    DBFILE_OVERWRITTEN, /* the same inode, written by another program (cp over the path) */
    DBFILE_DISCARDED,   /* the WAL was discarded by another desk that found the file replaced */
    DBFILE_DISCARDED_OVERWRITTEN, /* ...that found it overwritten in place (cp): its log's commits are lost */
    DBFILE_LOG_GONE /* its -wal deleted or replaced under the connection (rm DB-wal): the connection went on writing
                     * into a log no other program could see (restore tryout 18) */
} dbfile_verdict;

/* What the -shm says about checkpoints: the WAL's generation (salt-1 counts restarts up by one; salt-2 is
 * random per restart) and how many of its frames were copied into the database file. */
typedef struct {
    uint32_t salt1, salt2, backfill, backfill_attempted;
} dbfile_ckpt;

typedef struct {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    unsigned char header[100]; /* the database header: a backup's differs (its change counter at least) */
    dbfile_ckpt ckpt;
    bool taken;
    dev_t wal_dev; /* the -wal at the path when the connection first found it open (wal_known) */
    ino_t wal_ino;
    bool wal_known;
    /* Asked, when set, before a changed file is taken for a checkpoint's write: whether the file at path, as it
     * is now, is the one the last checkpoint left (the store keeps that in DB-mark, written under the lock
     * every checkpoint holds). A checkpoint somewhere in between does not prove the change was its write: a
     * copy made between this connection's checkpoint and the next commit, which restarts the log, looked like
     * one (CI, store_faults: the desk took the copy for its own and damaged it). False: overwritten. */
    bool (*explained)(void *ctx, const char *path);
    void *explained_ctx;
} dbfile_mark;

/* Records what the file at path, opened by db, is now. Call it after opening (once SQLite has read the file,
 * so that its -wal and -shm are open) and after each checkpoint this connection ran. False if the path cannot
 * be examined or a checkpoint is running (take it again later), and, once a mark is taken, when the path names
 * another file now (the mark keeps the file opened; the next check says moved). */
bool dbfile_mark_take(sqlite3 *db, const char *path, dbfile_mark *m);

/* Compares the file at path with the mark. A change that a checkpoint explains updates the mark. A check that
 * cannot decide (a checkpoint is running, the -shm is being written) says DBFILE_SAME and leaves the mark, so
 * that the next check decides. */
dbfile_verdict dbfile_check(sqlite3 *db, const char *path, dbfile_mark *m);

/* Whether the log db has open is still the one the wal-index (-shm) describes: no other program has started a
 * log of its own since (its salts are the -shm's). */
bool dbfile_log_current(sqlite3 *db);

/* Makes the -wal that db has open unusable (its header zeroed), if it still is the -wal its -shm describes:
 * SQLite then finds no valid WAL and applies none of its frames to the file now at the path; other desks
 * find it discarded. */
/* overwritten: the file was overwritten in place (cp over the path), said in the discarded header (its version
 * field) so that the other desks say what happened truly (fifth tryout: they said the log went into the old
 * file "moved away"). */
void dbfile_discard_wal(sqlite3 *db, bool overwritten);

/* The frames of the -wal that db has open not yet written into the database file (committed since the last
 * checkpoint); -1 when not known. */
int dbfile_wal_unwritten(sqlite3 *db);

/* The salts of the -wal that db has open (its generation); false when it has no valid header yet. */
bool dbfile_wal_salts(sqlite3 *db, unsigned char out[8]);

/* What happened, in words for a message: "was removed", "was replaced by another file", ... */
const char *dbfile_verdict_text(dbfile_verdict v);

#endif
