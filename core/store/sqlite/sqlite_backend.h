/* The SQLite backend of the record store (store.h; shared/SECURITY.md, "Durability").
 *
 * Opening never changes a byte of a file that is not a triage database, is newer, or is damaged: its header
 * is read first (through SQLite's VFS, creating nothing next to the file), then a read-only connection
 * checks the schema version and that the schema is readable, and only a file that passed is reopened
 * read-write. Then WAL, synchronous=FULL, foreign keys, busy timeout, temp_store=MEMORY, secure_delete,
 * and the forward migrations in one BEGIN IMMEDIATE transaction.
 *
 * Every statement is a constant string, prepared once per store and cached (SQLITE_PREPARE_PERSISTENT);
 * every value is bound. The one exception is the restore's copy of each table (sqlite_restore.c): a table or
 * column name cannot be bound, so those come from the live schema (checked at open) and are quoted. Writes refuse to run outside begin()/commit().
 *
 * Test hook (documented in network_fs_of): TRIAGE_TEST_FSTYPE=<number> makes open treat the database as
 * also being on a filesystem of that type. It can only make open refuse, never accept a network one.
 *
 * This header is the backend's own: the connection (struct store), the statement ids and the helpers its
 * files (sqlite_*.c, one job each) share. Nothing above the seam includes it; they see store.h only. */
#ifndef TRIAGE_SQLITE_BACKEND_H
#define TRIAGE_SQLITE_BACKEND_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "error.h"
#include "sqlite_file.h"
#include "store.h"
#include "util.h"

#define APP_ID 0x54524947 /* "TRIG" */
#define MIN_SQLITE 3037000 /* STRICT tables */
#define LOCK_RETRIES 3     /* extra attempts after busy_timeout ran out */
#define RETRY_SLEEP_MS 50
#define SEALED_BATCH 64
#define AUDIT_BATCH 256
#define SCHEMA_VERSION sq_schema_versions /* the newest schema version: one per migration */
#define STAFF_COLS                                                                                        \
    "id, name, role, public_key, wrapped_secret, kdf_alg, kdf_ops, kdf_mem, kdf_salt, sealed_data_key, " \
    "locked, failed_logins, last_failed_at, created_at"
#define COUNSELOR_COLS                                                                                    \
    "id, code, name, gender, languages, orientations, high_risk, available, capacity, caseload, weights, " \
    "updated_at"
#define CLIENT_COLS "id, created_at, created_by, name_ct, phone_ct, birth_ct"
#define INTAKE_COLS "id, client_id, created_at, created_by, level, suggested, chosen, body_ct, notes_ct, mac"
#define DRAFT_COLS "id, staff_id, updated_at, body_ct"
#define AUDIT_COLS "seq, at, staff_id, action, object_id, detail, hash, mac, sig"
/* the entry before one of the audit's rows (its hash and signature), and the newest signed one its writer wrote
 * before it, read from the table's end back, never through an index (audit_link) */
#define AUDIT_PREV_COLS                                                                                                \
    "(SELECT p.hash FROM audit AS p WHERE p.seq = audit.seq - 1), (SELECT p.sig FROM audit AS p WHERE p.seq = audit.seq - 1), " \
    "(SELECT o.hash FROM audit AS o NOT INDEXED WHERE o.staff_id = audit.staff_id AND o.sig IS NOT NULL AND "          \
    "o.seq < audit.seq ORDER BY o.seq DESC LIMIT 1)"
#define QUEUE_COLS                                                                                        \
    "id, client_id, intake_id, level, state, outcome, pending_level, counselor, created_at, level_since, " \
    "deadline, updated_at, overdue, match_by_hand, escalations, declines_in_row, contact_attempts, mac, mac_state"
#define EVENT_COLS "id, item_id, at, staff_id, action, from_state, to_state, level_before, level_after, reason_ct, counselor"
#define FACTS_COLS                                                                                          \
    "id, client_key, created_at, level, channel, concerns, age_band, counselor, deadline, confirmed_at, "   \
    "confirmed_level, first_contact_at, suggestions, declines, overdue, first_session_day, "                \
    "first_session_attended, sessions_attended, last_session_day, closed_reason, closed_at"
#define OSESSION_COLS "id, facts_id, client_key, day, attended, counselor, recorded_at, recorded_by, intake_at"
/* The first DB_HEADER_BYTES bytes of a file, through SQLite's own VFS: a plain open()/close() of a database
 * would drop the POSIX locks another connection of this process holds on it. No lock is taken, nothing is
 * created next to the file (no -wal, -shm or journal), nothing is written. A file shorter than the header
 * reads as zeros past its end (*short_file set). */
#define DB_HEADER_BYTES 100
int sq_read_header(const char *path, unsigned char hdr[DB_HEADER_BYTES], bool *short_file);
#define INTAKE_PAGE 256

/* Schema v1 stores the key material with these exact lengths (CHECK constraints and reads). A change of
 * vault.h sizes needs a migration, not an edit of the v1 script. */
_Static_assert(VAULT_PK_BYTES == 32, "schema v1: staff.public_key is 32 bytes");

_Static_assert(VAULT_WRAPPED_BYTES == 72, "schema v1: staff.wrapped_secret is 72 bytes");

_Static_assert(VAULT_SALT_BYTES == 16, "schema v1: staff.kdf_salt is 16 bytes");

_Static_assert(VAULT_SEALED_KEY_BYTES == 80, "schema v1: staff.sealed_data_key is 80 bytes");

_Static_assert(VAULT_MAC_BYTES == 32, "schema v1: audit.hash and audit.mac are 32 bytes");

_Static_assert(VAULT_CLIENT_KEY_SEALED == 73, "schema v11: client_keys.key_ct is 73 bytes");

_Static_assert(VAULT_SIG_BYTES == 64, "schema v6: audit.sig is 64 bytes");

_Static_assert(STORE_ID_LEN == 37, "a UUID as text and its NUL");

typedef struct {
    const char *sql;         /* the script taking the schema from version index to index + 1 */
    const char *set_version; /* PRAGMA user_version = index + 1 (pragmas take no bound values) */
    const char *done;        /* NULL, or a query that gives 1 when the script's work is there already: a statement
                              * SQLite cannot make idempotent (ALTER TABLE ... ADD COLUMN) is then passed over, so
                              * that a version set back in the file runs the migrations again without harm */
} migration;

enum sid {
    S_BEGIN,
    S_READ_BEGIN,
    S_READ_SNAPSHOT,
    S_COMMIT,
    S_ROLLBACK,
    S_META_GET,
    S_META_SET,
    S_META_ANY,
    S_STAFF_INSERT,
    S_STAFF_UPDATE,
    S_STAFF_BY_NAME,
    S_STAFF_BY_ID,
    S_STAFF_LIST,
    S_COUNSELOR_UPSERT,
    S_COUNSELOR_LIST,
    S_CLIENT_INSERT,
    S_CLIENT_UPDATE,
    S_CLIENT_GET,
    S_CLIENT_COUNT,
    S_BIDX_ADD,
    S_BIDX_CLEAR,
    S_BIDX_FIND,
    S_INTAKE_INSERT,
    S_INTAKE_GET,
    S_INTAKE_LIST,
    S_DRAFT_PUT,
    S_DRAFT_FOR_STAFF,
    S_DRAFT_DELETE,
    S_AUDIT_APPEND,
    S_AUDIT_LAST,
    S_AUDIT_FIRST_OF,
    S_AUDIT_LAST_OF,
    S_AUDIT_LAST_SIGNED_BY,
    S_AUDIT_PAGE,
    S_AUDIT_SET_MAC,
    S_SEALED_CLIENTS,
    S_SEALED_INTAKES,
    S_SEALED_DRAFTS,
    S_SET_CLIENT_NAME,
    S_SET_CLIENT_PHONE,
    S_SET_CLIENT_BIRTH,
    S_SET_CLIENT_KEY,
    S_ERASE_OVERWRITE_KEY,
    S_ERASE_KEY,
    S_SET_INTAKE_BODY,
    S_SET_INTAKE_NOTES,
    S_SET_DRAFT_BODY,
    S_DATA_VERSION,
    S_QUEUE_PUT,
    S_QUEUE_GET,
    S_QUEUE_FOR_CLIENT,
    S_QUEUE_ALL_FOR_CLIENT,
    S_QUEUE_LIST_OPEN,
    S_EVENT_ADD,
    S_EVENT_LIST,
    S_SEALED_EVENTS,
    S_QUEUE_FIRST,
    S_QUEUE_DUE,
    S_SET_EVENT_REASON,
    S_QUEUE_COUNTS,
    S_QUEUE_PAGE,
    S_QUEUE_ASSIGNED,
    S_QUEUE_BY_HAND,
    S_QUEUE_RED,
    S_FACTS_PUT,
    S_FACTS_GET,
    S_FACTS_FOR_CLIENT,
    S_FACTS_SCAN,
    S_FACTS_REKEY,
    S_FACTS_REKEY_SESSIONS,
    S_OSESSION_ADD,
    S_OSESSION_LIST,
    S_INTAKE_PAGE,
    S_INTAKE_PAGE_JOINED,
    S_INTAKE_PAGE_CLEAR,
    S_INTAKE_GET_KEYED,
    S_ERASE_OVERWRITE_CLIENT,
    S_ERASE_OVERWRITE_INTAKES,
    S_ERASE_OVERWRITE_REASONS,
    S_ERASE_EVENTS,
    S_ERASE_ITEMS,
    S_ERASE_INTAKES,
    S_ERASE_CLIENT,
    S_DRAFTS_BEFORE,
    S_CLIENTS_CLOSED_BEFORE,
    S_DRAFT_OVERWRITE,
    S_FACTS_SESSIONS,
    S_ROW_IDS_QUEUE,
    S_ROW_IDS_INTAKES,
    S_ROW_IDS_FACTS,
    S_ROW_IDS_CLIENTS,
    S_ROW_MAC_QUEUE,
    S_ROW_MAC_INTAKES,
    S_ROW_MAC_FACTS,
    S_COUNT
};

/* The sealed columns: each_sealed walks them, update_sealed accepts exactly these names. */
typedef struct {
    const char *table;
    enum sid page; /* rowid, id, then the sealed columns in this order */
    int ncols;
    const char *cols[4];
} sealed_table;

static const struct {
    const char *table, *column;
    enum sid set;
    bool optional; /* may be emptied (stored as NULL) */
} sealed_columns[] = {
    {"clients", "name", S_SET_CLIENT_NAME, false},  {"clients", "phone", S_SET_CLIENT_PHONE, true},
    {"clients", "birth", S_SET_CLIENT_BIRTH, true}, {"clients", "key", S_SET_CLIENT_KEY, false},
    {"intakes", "body", S_SET_INTAKE_BODY, false},
    {"intakes", "notes", S_SET_INTAKE_NOTES, true}, {"drafts", "body", S_SET_DRAFT_BODY, false},
    {"queue_events", "reason", S_SET_EVENT_REASON, true},
};

struct store {
    sqlite3 *db;
    char *path;
    int version;
    int busy_ms;
    sqlite3_stmt *st[S_COUNT];
    char err[PATH_MAX + 512];
    int64_t busy_since; /* when the current wait for another desk's lock began (busy_wait) */
    uint32_t jitter;
    /* the file this connection opened, and what became of it (sqlite_file.h): once it is anything but
     * DBFILE_SAME this connection writes nothing more, and its WAL's frames were discarded */
    dbfile_mark mark;
    dbfile_verdict file;
    bool file_handled;
    /* the old file's log when the file was moved away: frames written into it first (wal_kept), frames that
     * could not be (wal_lost: another desk was reading them), or -1 when the file was overwritten in place */
    int wal_kept, wal_lost;
    /* the old file saved beside the path through this connection's handle when it had no name left (a file
     * moved over it: mv deleted it), or "" (fourth restore tryout) */
    char saved_as[PATH_MAX + 40];
    /* the log's generation (its header's salts) last recorded in DB-mark by this connection */
    unsigned char wal_salts[8];
    bool wal_salts_recorded;
    bool reading; /* inside read_begin .. read_end: a read transaction, where every write is refused */
    int64_t seen_version; /* the data_version at which this desk last recorded the trail it saw (sqlite_seen.c) */
    bool seen_version_known;
};

typedef struct {
    sqlite3_stmt *st;
    const char *table;
    const char *row; /* the row's id once read */
    const char *bad; /* the first damaged column, or NULL */
    int base;        /* column i of the record is the statement's column base + i (a joined row: 0 otherwise) */
} reader;

/* Reads every row of statement sid (bound to key when key is not NULL) into a malloc'd array of elem-size
 * records with read(); on failure frees what was read (with drop(), when records own memory). */
typedef store_status (*row_reader)(store *s, sqlite3_stmt *st, void *out);

typedef void (*row_drop)(void *rec);

/* The parameter of a list statement: none, a text key, or an integer. */
typedef struct {
    const char *text;
    bool has_int;
    int64_t integer;
} list_param;

typedef struct {
    int64_t rowid;
    char id[STORE_ID_LEN];
    blob ct[4];
} sealed_row;

/* The episodes retained (retain_n attended sessions within retain_days of the first), in the facts' order
 * (created_at, id), so the scan meets them by a merge: no lookup per row. */
typedef struct {
    int64_t at;
    char id[STORE_ID_LEN];
} retained_key;

typedef struct {
    retained_key *v;
    size_t n, cap, next; /* next: the merge's position */
} retained_list;

/* ---- shared by the backend's files ---- */

extern const migration sq_migrations[];
extern const int sq_schema_versions;
/* False, with the first difference named in msg, when db's schema (tables, indexes, triggers, views) is not
 * exactly what the migrations up to version ver create (sqlite_schema.c). */
bool sq_schema_as_created(sqlite3 *db, int64_t ver, char *msg, size_t size);
extern const char *const sq_sql_text[S_COUNT];

__attribute__((format(printf, 3, 4))) store_status sq_put_err(error *err, store_status st,
                                                                  const char *fmt, ...);
__attribute__((format(printf, 3, 4))) store_status sq_fail(store *s, store_status st, const char *fmt, ...);
store_status sq_status_of(int rc);
const char *sq_reason_of(int rc);
int sq_full_if_no_space(sqlite3 *db, int rc);
bool sq_is_busy(int rc);
void sq_do_rollback(store *s);
__attribute__((format(printf, 3, 4))) store_status sq_fail_rc(store *s, int rc, const char *what, ...);
int sq_stmt(store *s, enum sid id, sqlite3_stmt **out);
void sq_stmt_done(sqlite3_stmt *st);
int sq_b_text(sqlite3_stmt *st, int i, const char *v, int rc);
int sq_b_text_or_null(sqlite3_stmt *st, int i, const char *v, int rc);
int sq_b_int(sqlite3_stmt *st, int i, int64_t v, int rc);
int sq_b_blob(sqlite3_stmt *st, int i, const void *p, size_t n, int rc);
int sq_b_blob_or_null(sqlite3_stmt *st, int i, const void *p, size_t n, int rc);
int sq_step_done(store *s, sqlite3_stmt *st, int *changes);
int sq_run_write(store *s, sqlite3_stmt *st, int rc, int *changes);
int sq_exec_script(sqlite3 *db, const char *sql);
int sq_query_int(sqlite3 *db, const char *sql, int64_t *out);
int sq_query_text(sqlite3 *db, const char *sql, char *buf, size_t size);
int sq_begin_raw(sqlite3 *db);
int sq_commit_raw(sqlite3 *db);
void sq_rd_bad(reader *r, const char *col);
void sq_rd_text(reader *r, int i, const char *col, char *buf, size_t size, bool nullable);
int64_t sq_rd_int(reader *r, int i, const char *col, int64_t lo, int64_t hi);
void sq_rd_mac(reader *r, int i, unsigned char dst[VAULT_MAC_BYTES], bool *has);
void sq_rd_blob(reader *r, int i, const char *col, blob *out, bool nullable);
store_status sq_rd_end(store *s, const reader *r);
store_status sq_read_staff(store *s, sqlite3_stmt *st, staff_rec *o);
store_status sq_read_counselor(store *s, sqlite3_stmt *st, counselor_rec *o);
store_status sq_read_client(store *s, sqlite3_stmt *st, client_rec *o);
store_status sq_read_intake(store *s, sqlite3_stmt *st, intake_rec *o);
/* The same, from column base on (a page's or a joined row: sqlite_intake_pages.c) */
store_status sq_read_client_at(store *s, sqlite3_stmt *st, int base, client_rec *o);
store_status sq_read_intake_at(store *s, sqlite3_stmt *st, int base, intake_rec *o);
store_status sq_read_facts_at(store *s, sqlite3_stmt *st, int base, facts_rec *o);
store_status sq_intake_each_joined(store *s, int64_t from, int64_t to, intake_joined_cb cb, void *ctx);
store_status sq_intake_clear_each(store *s, int64_t from, int64_t to, intake_clear_cb cb, void *ctx);
store_status sq_read_draft(store *s, sqlite3_stmt *st, draft_rec *o);
store_status sq_read_audit(store *s, sqlite3_stmt *st, audit_rec *o);
__attribute__((format(printf, 3, 4))) store_status sq_invalid(store *s, const char *what, const char *why, ...);
store_status sq_need_txn(store *s, const char *what);
void sq_dir_of(const char *path, char *dir, size_t size);
store_status sq_open(const char *path, bool create, int busy_timeout_ms, store **out, error *err);
void sq_close(store *s);
const char *sq_errmsg(const store *s);
int sq_schema_version(const store *s);
store_status sq_begin(store *s);
store_status sq_begin_restoring(store *s); /* the same without the seen-record check (sqlite_txn.c) */
store_status sq_commit(store *s);
void sq_rollback(store *s);
store_status sq_read_begin(store *s);
store_status sq_read_end(store *s);
bool sq_in_transaction(const store *s);
store_status sq_meta_get(store *s, const char *key, blob *out);
store_status sq_meta_set(store *s, const char *key, const void *value, size_t n);
store_status sq_meta_any(store *s, const char *prefix, bool *any);
store_status sq_staff_insert(store *s, const staff_rec *r);
store_status sq_staff_update(store *s, const staff_rec *r);
store_status sq_one_row(store *s, enum sid sid, const char *key, store_status (*read)(store *, sqlite3_stmt *, void *),
                            void *out, const char *what);
store_status sq_rd_client_one(store *s, sqlite3_stmt *st, void *o);
store_status sq_rd_intake_one(store *s, sqlite3_stmt *st, void *o);
store_status sq_rd_draft_one(store *s, sqlite3_stmt *st, void *o);
store_status sq_staff_by_name(store *s, const char *name, staff_rec *out);
store_status sq_staff_by_id(store *s, const char *id, staff_rec *out);
store_status sq_list_rows_by(store *s, enum sid sid, list_param p, size_t elem, row_reader read, row_drop drop,
                                 void **out, int *n, const char *what);
store_status sq_collect_rows(store *s, sqlite3_stmt *st, int rc, size_t elem, row_reader read, row_drop drop,
                                 void **out, int *n, const char *what);
store_status sq_list_rows(store *s, enum sid sid, const char *key, size_t elem, row_reader read, row_drop drop,
                              void **out, int *n, const char *what);
store_status sq_rd_counselor_row(store *s, sqlite3_stmt *st, void *o);
store_status sq_staff_list(store *s, staff_rec **out, int *n);
store_status sq_counselor_upsert(store *s, const counselor_rec *r);
store_status sq_counselor_list(store *s, counselor_rec **out, int *n);
store_status sq_client_insert(store *s, const client_rec *r);
store_status sq_client_update(store *s, const client_rec *r);
store_status sq_client_get(store *s, const char *id, client_rec *out);
store_status sq_client_count(store *s, int64_t *n);
store_status sq_bidx_add(store *s, uint32_t value, const char *client_id);
store_status sq_bidx_clear(store *s, const char *client_id);
store_status sq_rd_id_column(store *s, sqlite3_stmt *st, void *o, const char *table, const char *col);
store_status sq_rd_clients_id(store *s, sqlite3_stmt *st, void *o);
store_status sq_bidx_find(store *s, uint32_t value, char (**ids)[STORE_ID_LEN], int *n);
store_status sq_intake_insert(store *s, const intake_rec *r);
store_status sq_intake_get(store *s, const char *id, intake_rec *out);
store_status sq_intake_get_keyed(store *s, const char *id, intake_rec *out, blob *key_ct);
store_status sq_intake_list_for_client(store *s, const char *client_id, intake_rec **out, int *n);
store_status sq_queue_put(store *s, const queue_rec *r);
store_status sq_queue_get(store *s, const char *id, queue_rec *out);
store_status sq_queue_open_for_client(store *s, const char *client_id, queue_rec *out);
store_status sq_queue_first(store *s, int limit, queue_rec **out, int *n);
store_status sq_queue_due(store *s, int64_t now, queue_rec **out, int *n);
store_status sq_queue_counts(store *s, queue_counts_rec *out);
store_status sq_queue_page(store *s, const queue_filter *f, int offset, int limit, queue_rec **out, int *n);
store_status sq_queue_count_assigned(store *s, const char *counselor, int64_t *n);
store_status sq_queue_list_open(store *s, queue_rec **out, int *n);
store_status sq_queue_event_add(store *s, const queue_event_rec *r);
store_status sq_queue_events(store *s, const char *item_id, queue_event_rec **out, int *n);
store_status sq_draft_put(store *s, const draft_rec *r);
store_status sq_draft_for_staff(store *s, const char *staff_id, draft_rec *out);
store_status sq_draft_delete(store *s, const char *id);
store_status sq_audit_append(store *s, audit_rec *r);
store_status sq_audit_last(store *s, audit_rec *out);
store_status sq_audit_by_object(store *s, const char *object_id, const char *action, bool newest, audit_rec *out,
                                audit_link *prev);
store_status sq_audit_last_signed_by(store *s, const char *staff_id, audit_rec *out, audit_link *prev);
store_status sq_audit_each(store *s, audit_cb cb, void *ctx);
store_status sq_audit_each_from(store *s, int64_t after, audit_cb cb, void *ctx);
store_status sq_audit_set_mac(store *s, int64_t seq, const unsigned char mac[VAULT_MAC_BYTES]);
store_status sq_each_sealed(store *s, sealed_cb cb, void *ctx);
store_status sq_queue_all_for_client(store *s, const char *client_id, queue_rec **out, int *n);
store_status sq_update_sealed(store *s, const char *table, const char *column, const char *row_id,
                                     const unsigned char *ct, size_t n);
store_status sq_integrity_check(store *s, char *msg, size_t size);
store_status sq_backup(store *s, const char *dest, error *err);
store_status sq_restore(store *s, const char *src, restore_steps *steps, error *err);
/* the scratch database's location (a file beside this one) and the removal of a database with its -wal,
 * -shm and -journal files (sqlite_scratch.c) */
store_status sq_scratch_location(store *s, char *location, size_t size);
store_status sq_drop(const char *location, error *err);
store_status sq_backup_source_check(store *s, const char *src, error *err);
store_status sq_leftovers_hint(store *s, char *words, size_t size);
store_status sq_scratch_sweep(store *s, int *removed, error *err);
int sq_read_ids(sqlite3 *db, bool own_txn, int64_t *app, int64_t *ver, int64_t *objects);
/* the file at the path (sqlite_file.c) */
bool sq_file_still_ours(store *s);
store_status sq_fail_replaced(store *s, const char *what);
int sq_checkpoint_if_ours(void *ctx, sqlite3 *db, const char *name, int frames);
/* Around each checkpoint of this connection, under the lock of DB-mark (sqlite_guard.h): the file checked, then
 * the guard armed with what the check found; false: do not checkpoint (the file is not this connection's, or not
 * as the check found it a moment ago: the next check decides). The end disarms it; false when the guard refused a
 * write (the file was overwritten in place under the checkpoint: so recorded and handled, the log emptied). */
bool sq_guard_begin(store *s);
bool sq_guard_end(store *s);
/* the file as triage last wrote it, kept beside it in DB-mark (sqlite_filemark.c): every checkpoint of a
 * triage connection runs between sq_mark_lock and sq_mark_unlock, sq_mark_unsettle before it and
 * sq_mark_record after it; the open checks it (sq_mark_check) before SQLite reads a -wal. A descriptor
 * of -1 (no DB-mark, or it cannot be made) makes each of them do nothing. */
int sq_mark_lock(const char *db, bool create);
void sq_mark_unlock(int fd);
void sq_mark_unsettle(int fd);
typedef struct {
    int64_t seq;
    unsigned char hash[32];
} mark_head; /* the audit trail's last entry */
bool sq_mark_head_take(sqlite3 *conn, mark_head *h);
void sq_mark_record_head(int fd, const char *db, const mark_head *head); /* head NULL: none recorded */
void sq_mark_record(int fd, const char *db, sqlite3 *conn); /* conn: whose audit trail's head is recorded (or NULL) */
/* An open file whose audit trail ends before the head recorded in DB-mark (or differs there) is an older copy
 * put over the path: refused, naming both heads (issue 16, tryout 4). */
store_status sq_mark_check_trail(int fd, const char *db, sqlite3 *conn, error *err);
store_status sq_mark_check(int fd, const char *db, error *err);
/* Whether the file at db is, by identity, size and header, the one the last triage checkpoint recorded (taken
 * under the lock, so that no checkpoint is half-way); true when there is no settled record to judge by. The
 * connection's check asks it before it takes a changed file for a checkpoint's write (dbfile_mark.explained). */
bool sq_mark_explains(void *ctx, const char *db);
/* The record settled again as it was before sq_mark_unsettle: a checkpoint the guard stopped (the file overwritten
 * under it) wrote nothing of its own, and the record must go on describing the file as triage left it, so that the
 * other desks' checks and the next open find the copy (left unsettled, it explained any file: restore tryout 18). */
void sq_mark_resettle(int fd);
/* this account's record of the trail it last saw at a path, kept outside the data directory (sqlite_seen.c):
 * recorded with DB-mark (only forward, unless force), checked at open; a copy of the file with its DB-mark
 * (cp -a of the data directory) does not bring it back */
void sq_seen_record(const char *db, sqlite3 *conn, bool force);
store_status sq_seen_check(const char *db, sqlite3 *conn, error *err);
void sq_seen_forget(const char *db);
bool sq_seen_file(const char *db, char *out, size_t size); /* the record's file, when there is one */
store_status sq_change_counter(store *s, int64_t *v);
int64_t sq_local_changes(store *s);
store_status sq_facts_put(store *s, const facts_rec *r);
store_status sq_facts_get(store *s, const char *id, facts_rec *out);
store_status sq_facts_for_client(store *s, const char *client_key, facts_rec **out, int *n);
store_status sq_facts_scan(store *s, int64_t from, int64_t to, int retain_n, int retain_days, facts_cb cb,
                                  void *ctx);
store_status sq_facts_rekey(store *s, const char *old_id, const char *new_id, const char *new_client_key);
store_status sq_outcome_session_add(store *s, const outcome_session_rec *r);
store_status sq_outcome_sessions(store *s, const char *facts_id, outcome_session_rec **out, int *n);
store_status sq_intake_each_between(store *s, int64_t from, int64_t to, intake_cb cb, void *ctx);
store_status sq_client_erase(store *s, const char *client_id);
store_status sq_drafts_before(store *s, int64_t cutoff, draft_rec **out, int *n);
store_status sq_clients_closed_before(store *s, int64_t cutoff, char (**ids)[STORE_ID_LEN], int *n);
store_status sq_checkpoint(store *s, bool *complete);
store_status sq_draft_erase(store *s, const char *id);
store_status sq_row_ids(store *s, const char *table, bool missing_only, char (**ids)[STORE_ID_LEN], int *n);
store_status sq_row_mac_set(store *s, const char *table, const char *id, const unsigned char mac[VAULT_MAC_BYTES]);

#endif
