/* A scratch database beside the live one, and removing a database whole: the files SQLite keeps of one
 * (the database, its write-ahead log, its shared-memory index, a rollback journal) are this backend's
 * business, so the layers above ask for a scratch URL and drop it rather than build names and unlink. */
#include "sqlite_backend.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Beside the live file: the same directory, so the same filesystem and the same privacy (the directory
 * is the owner's); a random suffix, so two restores never share one. */
store_status sq_scratch_location(store *s, char *location, size_t size) {
    unsigned r = 0;
    sqlite3_randomness(sizeof r, &r);
    int n = snprintf(location, size, "%s.scratch-%08x", s->path, r);
    return n > 0 && (size_t)n < size ? ST_OK : ST_INVALID;
}

/* The live file itself (same device and inode: a symlink or a hard link too), or a backup with a -wal of
 * its own that is not empty (read immutable, its log would be left out): refused before anything is read. */
store_status sq_backup_source_check(store *s, const char *src, char *err, size_t errsize) {
    struct stat a, b;
    if (stat(src, &a) == 0 && stat(s->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
        snprintf(err, errsize, "%s is the database %s itself: a restore needs a backup made with `triage backup`; "
                 "nothing was restored", src, s->path);
        return ST_INVALID;
    }
    char wal[PATH_MAX];
    if ((size_t)snprintf(wal, sizeof wal, "%s-wal", src) >= sizeof wal) return ST_INVALID;
    if (stat(wal, &a) == 0 && a.st_size > 0) {
        snprintf(err, errsize, "%s has a write-ahead log beside it (%s, %lld bytes): it is a copy of a database in "
                 "use, whose last commits are in that log and would be left out; make backups with `triage "
                 "backup`; nothing was restored", src, wal, (long long)a.st_size);
        return ST_INVALID;
    }
    return ST_OK;
}

store_status sq_drop(const char *location, char *err, size_t errsize) {
    static const char *const side[] = {"-wal", "-shm", "-journal", ""}; /* the database last */
    for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
        char p[PATH_MAX];
        if ((size_t)snprintf(p, sizeof p, "%s%s", location, side[i]) >= sizeof p) return ST_INVALID;
        if (unlink(p) != 0 && errno != ENOENT) {
            snprintf(err, errsize, "%s: cannot remove: %s", p, strerror(errno));
            return ST_IO;
        }
    }
    return ST_OK;
}
