/* A guard on the database file while this connection checkpoints (issue 16: "the file at the path is never
 * damaged by a desk that had the old one open").
 *
 * In WAL mode only a checkpoint writes the database file itself, page by page. A backup copied over the path
 * (cp: the same inode, truncated, then written) while a checkpoint runs was taken for that checkpoint's own
 * writes, and the checkpoint went on writing the old file's pages into the copy: a damaged database (CI saw it
 * once in store_faults). The connection's checks can only look before and after; this looks at every write.
 *
 * The connection opens its database through a VFS of its own over the default one ("triage-guard"; every
 * call passes through unchanged). Armed, with the size and 100-byte header the file had when the connection
 * last found it to be its own (dbfile_check), the guard reads the file's size and header through the
 * connection's own handle before each write or truncation of the database file, and refuses the write
 * (SQLITE_IOERR_WRITE, the checkpoint stops, its frames stay in the log) once the file is smaller than that or
 * has another header; the connection's own writes update what is expected. A copy cannot slip past it but by
 * landing whole between one look and the write that follows (microseconds), or by having the very size and
 * header of the file (sqlite_file.h's known gap). Arm it only under the lock every triage checkpoint takes
 * (DB-mark's): no other triage desk writes the file then, so a refusal is never another desk's checkpoint.
 * Part of the SQLite backend. */
#ifndef TRIAGE_SQLITE_GUARD_H
#define TRIAGE_SQLITE_GUARD_H

#include <stdbool.h>

#include <sqlite3.h>

/* The guard's VFS name, registered on first use (not as the default); NULL if it could not be. */
const char *dbguard_vfs(void);

typedef enum {
    DBGUARD_ARMED,   /* armed: the file is as expected */
    DBGUARD_NONE,    /* db's file is not opened through the guard: nothing armed */
    DBGUARD_DIFFERS  /* the file is not as expected already: nothing armed; do not write it (the caller's next
                      * check of the file decides what it is) */
} dbguard_arming;

/* Arms the guard of db's database file, expecting size bytes (at least) and this header. */
dbguard_arming dbguard_arm(sqlite3 *db, sqlite3_int64 size, const unsigned char header[100]);

/* Disarms it; true when it refused a write since it was armed (the file was overwritten under it). */
bool dbguard_disarm(sqlite3 *db);

/* Whether any guard refused a write since the last call (a connection being closed cannot be asked). */
bool dbguard_take_trip(void);

#endif
