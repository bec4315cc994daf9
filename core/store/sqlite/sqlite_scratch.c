/* A scratch database beside the live one, and removing a database whole: the files SQLite keeps of one
 * (the database, its write-ahead log, its shared-memory index, a rollback journal) are this backend's
 * business, so the layers above ask for a scratch URL and drop it rather than build names and unlink. */
#include "sqlite_backend.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Beside the live file: the same directory, so the same filesystem and the same privacy (the directory
 * is the owner's); a random suffix, so two restores never share one. */
store_status sq_scratch_location(store *s, char *location, size_t size) {
    unsigned r = 0;
    sqlite3_randomness(sizeof r, &r);
    int n = snprintf(location, size, "%s.scratch-%08x", s->path, r);
    return n > 0 && (size_t)n < size ? ST_OK : ST_INVALID;
}

store_status sq_drop(const char *location, error *err) {
    static const char *const side[] = {"-wal", "-shm", "-journal", ""}; /* the database last */
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
