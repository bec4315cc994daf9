/* A scratch database beside the live one, and removing a database whole: the files SQLite keeps of one
 * (the database, its write-ahead log, its shared-memory index, a rollback journal) are this backend's
 * business, so the layers above ask for a scratch URL and drop it rather than build names and unlink. */
#include "sqlite_backend.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SCRATCH_INFIX ".scratch-"
#define SCRATCH_MAX_AGE (24 * 3600)

/* Beside the live file: the same directory, so the same filesystem and the same privacy (the directory
 * is the owner's); the maker's process id (so that a sweep knows a leftover whose maker is gone) and a
 * random suffix, so two restores never share one. */
store_status sq_scratch_location(store *s, char *location, size_t size) {
    unsigned r = 0;
    sqlite3_randomness(sizeof r, &r);
    int n = snprintf(location, size, "%s" SCRATCH_INFIX "%ld-%08x", s->path, (long)getpid(), r);
    return n > 0 && (size_t)n < size ? ST_OK : ST_INVALID;
}

/* A scratch left behind: its maker (named in it) is no longer running on this machine, or it is older than a
 * day (made elsewhere, or named before the maker was). A restore in progress, here or on another machine
 * sharing the directory, keeps its scratch. */
static bool scratch_stale(const char *name_tail, const struct stat *st) {
    char *end = NULL;
    errno = 0;
    long pid = strtol(name_tail, &end, 10);
    if (errno == 0 && end && *end == '-' && pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) return true;
    return time(NULL) - st->st_mtime > SCRATCH_MAX_AGE;
}

store_status sq_scratch_sweep(store *s, int *removed, error *err) {
    *removed = 0;
    char dir[PATH_MAX], prefix[PATH_MAX];
    const char *slash = strrchr(s->path, '/');
    size_t dl = slash ? (size_t)(slash - s->path) : 0;
    if (dl >= sizeof dir) return ST_INVALID;
    memcpy(dir, slash ? s->path : ".", slash ? (dl ? dl : 1) : 1);
    dir[slash ? (dl ? dl : 1) : 1] = '\0';
    if ((size_t)snprintf(prefix, sizeof prefix, "%s" SCRATCH_INFIX, slash ? slash + 1 : s->path) >= sizeof prefix)
        return ST_INVALID;
    DIR *d = opendir(dir);
    if (!d) return ST_OK; /* nothing to sweep where nothing can be listed */
    size_t pl = strlen(prefix);
    store_status x = ST_OK;
    for (struct dirent *e; x == ST_OK && (e = readdir(d));) {
        if (strncmp(e->d_name, prefix, pl) != 0) continue;
        size_t nl = strlen(e->d_name);
        bool side = (nl > 4 && (!strcmp(e->d_name + nl - 4, "-wal") || !strcmp(e->d_name + nl - 4, "-shm"))) ||
                    (nl > 5 && !strcmp(e->d_name + nl - 5, "-mark")) ||
                    (nl > 8 && !strcmp(e->d_name + nl - 8, "-journal"));
        if (side) continue; /* dropped with their database */
        char full[PATH_MAX];
        struct stat st;
        if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, e->d_name) >= sizeof full) continue;
        if (lstat(full, &st) != 0 || !S_ISREG(st.st_mode) || !scratch_stale(e->d_name + pl, &st)) continue;
        x = sq_drop(full, err);
        if (x == ST_OK) (*removed)++;
    }
    closedir(d);
    return x;
}

/* The live file itself (same device and inode: a symlink or a hard link too), or a backup with a -wal of
 * its own that is not empty (read immutable, its log would be left out): refused before anything is read. */
store_status sq_backup_source_check(store *s, const char *src, error *err) {
    struct stat a, b;
    if (stat(src, &a) == 0 && stat(s->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
        error_set(err, ERR_STORE, "%s is the database %s itself: a restore needs a backup made with `triage backup`; "
                 "nothing was restored", src, s->path);
        return ST_INVALID;
    }
    char wal[PATH_MAX];
    if ((size_t)snprintf(wal, sizeof wal, "%s-wal", src) >= sizeof wal) return ST_INVALID;
    if (stat(wal, &a) == 0 && a.st_size > 0) {
        error_set(err, ERR_STORE, "%s has a write-ahead log beside it (%s, %lld bytes): it is a copy of a database in "
                 "use, whose last commits are in that log and would be left out; make backups with `triage "
                 "backup`; nothing was restored", src, wal, (long long)a.st_size);
        return ST_INVALID;
    }
    return ST_OK;
}

/* SQLite applies the -wal beside a file to whatever file is at the path when it opens: a log left by a desk
 * that did not close brings the old file's pages (its staff rows among them) into a copy put over the path. */
store_status sq_leftovers_hint(store *s, char *words, size_t size) {
    snprintf(words, size, "the log of the old file, %s-wal", s->path);
    return ST_OK;
}

store_status sq_drop(const char *location, error *err) {
    sq_seen_forget(location); /* this account's record of the scratch's trail (sqlite_seen.c): it names the path */
    static const char *const side[] = {"-wal", "-shm", "-journal", "-mark", ""}; /* the database last */
    for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
        char p[PATH_MAX];
        if ((size_t)snprintf(p, sizeof p, "%s%s", location, side[i]) >= sizeof p) return ST_INVALID;
        if (unlink(p) != 0 && errno != ENOENT) {
            error_set(err, ERR_STORE, "%s: cannot remove: %s", p, strerror(errno));
            return ST_IO;
        }
    }
    return ST_OK;
}
