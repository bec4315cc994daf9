/* The triage database as the rest of the core sees it: one open store (behind store_ops) plus the
 * settings that govern keys and logins. Sessions, clients, intakes, drafts, audit and maintenance are
 * built on this; none of them writes SQL. */
#ifndef TRIAGE_DB_H
#define TRIAGE_DB_H

#include <stdbool.h>

#include "error.h"
#include "config.h"
#include "queue_policy.h"
#include "store.h"
#include "vault.h"

typedef struct {
    int busy_timeout_ms;
    vault_cost kdf_cost;
    int lock_after;
    int blind_index_k; /* [security] blind_index_k: every blind-index value shared by at least this many clients */
    char age_bands[128]; /* [reports] age_bands: the band kept in an intake's report facts; "" = the default */
    char concern_groups[512]; /* [reports] concern_groups: the concern categories kept; "" = the default */
} db_settings;

typedef struct {
    const store_ops *ops;
    store *st;
    char url_secret[4096]; /* as given, a password in it and all: never printed (messages use name) */
    char name[4096]; /* the database as messages name it: its URL with any password hidden (store_url_redacted) */
    db_settings set;
    /* Row MACs (core/records/rowmac.h): the data key a logged-in session lends for checking them on every read (NULL
     * with no login, e.g. `queue tick` from cron: rows are then read unchecked), and the queue policy a
     * keyless tick's raise is checked against (NULL: the built-in defaults). */
    const vault *row_key;
    const queue_policy *row_policy;
    /* Inside db_batch_begin .. db_batch_end: the writes join one transaction (see there). */
    bool batch, batch_doomed;
    /* Inside db_read_begin .. db_read_end nothing is written, so whether any client is erased holds for the whole
     * read: -1 not asked yet, else 0 or 1 (client_erased asks once instead of once per client and queue item). */
    bool reading;
    int erased_any;
} database;

void db_settings_from_config(const config *c, db_settings *out);
/* Opens (or, with create, makes) the database at path (a path or a URL). On failure err names the database
 * (never a password in its URL) and the reason. */
bool db_open(database *db, const char *path, bool create, const db_settings *set, error *err);
void db_close(database *db);

/* A write transaction; on failure err says why (busy, disk full, ...), naming the file. */
bool db_begin(database *db, error *err);
bool db_commit(database *db, error *err);
void db_rollback(database *db);
/* A read transaction (store_ops.read_begin): the reads up to db_read_end see one snapshot, and no write may
 * run inside it (an export reads its whole range in one, then audits after it). */
bool db_read_begin(database *db, error *err);
void db_read_end(database *db);
/* Several writes saved as one, each written as usual (db_begin .. db_commit): between these two every
 * db_begin and db_commit joins the one transaction and a db_rollback dooms it, so a file of many intakes
 * (`import fhir`) is saved whole or not at all. db_batch_end commits when commit is true and nothing was
 * rolled back, else rolls back; false with why when nothing was saved. */
bool db_batch_begin(database *db, error *err);
bool db_batch_end(database *db, bool commit, error *err);
/* What tells a desk that the database changed: another connection's commits move *version (SQLite's
 * change_counter), this connection's own move *local. False when the database cannot be read. */
bool db_change_marks(database *db, int64_t *version, int64_t *local);

/* A demonstration database: marked at init when [triage] demo = yes; every desk opening it shows DEMO DATA. */
bool db_mark_demo(database *db, error *err);
bool db_is_demo(database *db);

/* Formats the store's last error for status st into err. */
void db_error(database *db, store_status st, const char *what, error *err);

#endif
