/* The record store's seam: one table of operations (store_ops) that every backend fills (today SQLite,
 * store/sqlite; a PostgreSQL backend for centres with many sites is next) and that passes one conformance
 * suite unchanged (tests/unit/test_store.c, run through store_checked). The core opens a database by URL
 * through store_checked, which checks every call's arguments and picks the backend; nothing above this
 * header knows which backend it has.
 *
 * What every backend must hold:
 *  - it never sees a key or a plaintext: sealed fields arrive and leave as opaque blobs; only what the queues
 *    and reports need is in clear;
 *  - every write runs inside begin()/commit(), and writers are serialised: a transaction that began has the
 *    write lock until it ends, others wait up to the wait given at open and then get ST_BUSY;
 *  - a value is never built into a query's text: every value is bound;
 *  - a refused or failed call changes nothing and names the database and what could not be done. */
#ifndef TRIAGE_STORE_H
#define TRIAGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ids.h"
#include "roles.h"
#include "vault.h"

#define STORE_ID_LEN ID_TEXT_LEN /* a UUID as text, with its NUL */
#define STORE_MAC_STATE_MAX 512 /* a queue row's canonical encoding (core/records/rowmac.c) fits in this */

typedef enum {
    ST_OK = 0,
    ST_NOTFOUND,   /* no such row */
    ST_EXISTS,     /* unique key taken (e.g. a staff name) */
    ST_BUSY,       /* another writer held the database for longer than the wait given at open */
    ST_FULL,       /* disk or database full: nothing was written */
    ST_READONLY,   /* the file or its directory cannot be written */
    ST_CORRUPT,    /* not a database, or a damaged one: left untouched */
    ST_NOT_TRIAGE, /* a database of some other program: left untouched */
    ST_TOO_NEW,    /* written by a newer triage: left untouched */
    ST_UNSAFE_LOCATION, /* a location the backend cannot keep safe (for SQLite a network filesystem): refused */
    ST_IO,         /* any other failure of the backend or the system under it */
    ST_INVALID     /* a degenerate call (NULL, empty id, unknown column): refused, nothing done */
} store_status;

const char *store_status_name(store_status s);
/* The kind of error a failed store call is to the code above it: busy or taken is a conflict with
 * another desk, the rest is the store failing (never bad input: the exit codes depend on it). */
error_kind store_error_kind(store_status s);

typedef struct {
    unsigned char *p; /* malloc'd, or NULL */
    size_t n;
} blob;

void blob_free(blob *b);


typedef struct {
    char id[STORE_ID_LEN];
    char name[65]; /* login name, in clear (it must be found before any key is open) */
    staff_role role;
    vault_staff_keys keys;
    bool locked;
    int failed_logins;
    int64_t last_failed_at;
    int64_t created_at;
} staff_rec;

/* Counselors are staff of the centre, not clients: stored in clear. */
typedef struct {
    char id[STORE_ID_LEN];
    char code[65]; /* the roster's own id (e.g. c01), unique */
    char name[129];
    char gender[33];
    char languages[129];    /* space-separated codes */
    char orientations[257]; /* space-separated */
    bool high_risk, available;
    int capacity, caseload;
    char weights[1024]; /* DIMENSION:WEIGHT pairs */
    int64_t updated_at;
} counselor_rec;

typedef struct {
    char id[STORE_ID_LEN];
    int64_t created_at;
    char created_by[STORE_ID_LEN];
    blob name_ct, phone_ct, birth_ct; /* sealed; phone and birth may be empty (n == 0) */
    /* the client's own key sealed under the data key (schema 11, issue 13: core/records/client_keys.h); empty
     * (n == 0) only in a database whose upgrade has not re-sealed this client yet */
    blob key_ct;
} client_rec;

typedef struct {
    char id[STORE_ID_LEN];
    char client_id[STORE_ID_LEN];
    int64_t created_at;
    char created_by[STORE_ID_LEN];
    char level[8];                    /* red, orange, yellow, green: in clear for the queues */
    char suggested[STORE_ID_LEN];     /* counselor id or "" */
    char chosen[STORE_ID_LEN];        /* counselor id or "" */
    blob body_ct;                     /* sealed JSON: answers, scores, reasons, matches */
    blob notes_ct;                    /* sealed free text, may be empty */
    unsigned char mac[VAULT_MAC_BYTES]; /* row MAC over the clear columns (core/records/rowmac.h, schema 5) */
    bool has_mac;                       /* false: NULL in the file */
} intake_rec;

typedef struct {
    char id[STORE_ID_LEN];
    char staff_id[STORE_ID_LEN];
    int64_t updated_at;
    blob body_ct; /* sealed JSON of the unfinished intake */
} draft_rec;

typedef struct {
    int64_t seq; /* 1, 2, 3, ... assigned by audit_append */
    int64_t at;
    char staff_id[STORE_ID_LEN]; /* "" when no one is logged in (e.g. a failed login of an unknown name) */
    char action[33];
    char object_id[65];
    char detail[257]; /* never personal data */
    unsigned char hash[VAULT_MAC_BYTES];
    unsigned char mac[VAULT_MAC_BYTES];
    bool has_mac; /* the keyed MAC of entries written before schema 6 (legacy; new entries have none) */
    unsigned char sig[VAULT_SIG_BYTES]; /* schema 6: the writer's Ed25519 signature (core/audit.h) */
    bool has_sig; /* false for entries written without a login (and legacy ones) */
} audit_rec;

/* What an entry's hash follows from: the entry before it, its hash and (from schema 14 on the hash covers them too,
 * core/records/audit.h) its signature and the hash of the newest signed entry the same writer wrote before it; all
 * zeros, no signature and no such entry before the first. */
typedef struct {
    unsigned char hash[VAULT_MAC_BYTES];
    unsigned char sig[VAULT_SIG_BYTES];
    bool has_sig;
    unsigned char own_hash[VAULT_MAC_BYTES];
    bool has_own;
} audit_link;

/* An escalation-queue item (core/queue/queue_policy.h gives the meaning); all in clear: the queues need it. */
typedef struct {
    char id[STORE_ID_LEN];
    char client_id[STORE_ID_LEN];
    char intake_id[STORE_ID_LEN];
    char level[8];         /* red, orange, yellow, green */
    char state[16];        /* open, acknowledged, confirmed, assigned, contacted, closed */
    char outcome[16];      /* none, first_session, declined, referred, unreachable, duplicate */
    char pending_level[8]; /* a lower level awaiting a clinician, or "" */
    char counselor[65];    /* counselor code, or "" */
    int64_t created_at, level_since, deadline, updated_at;
    bool overdue, match_by_hand;
    int escalations, declines_in_row, contact_attempts;
    /* Row MAC (core/records/rowmac.h, schema 5) over the row as a key holder last wrote it. When a tick without a
     * key has raised the item since, mac_state holds that earlier row's encoding (which the MAC covers), so
     * the raise can be checked against it; otherwise mac_state_n is 0 and the MAC covers the row itself. */
    unsigned char mac[VAULT_MAC_BYTES];
    bool has_mac;
    unsigned char mac_state[STORE_MAC_STATE_MAX];
    size_t mac_state_n;
} queue_rec;

/* One step in an item's history: who did what, when, and why (the reason is sealed: it may be clinical). */
typedef struct {
    char id[STORE_ID_LEN];
    char item_id[STORE_ID_LEN];
    int64_t at;
    char staff_id[STORE_ID_LEN]; /* "" for the system (overdue escalation) */
    char action[16];
    char from_state[16], to_state[16];
    char level_before[8], level_after[8];
    blob reason_ct; /* sealed, may be empty */
    char counselor[65]; /* an assignment: the counselor assigned (its code); "" for the other steps, and for those
                         * written before schema 13 */
} queue_event_rec;

void queue_event_rec_free(queue_event_rec *r);

/* The open items at a glance: counts by level (green, yellow, orange, red), overdue, and those a person must
 * match by hand (match_by_hand, and no counselor assigned now: one a person assigned is matched, and comes back
 * when the client declines that one too). */
typedef struct {
    int open[4], overdue[4];
    int by_hand, total;
    int red_waiting;      /* red items no person has acknowledged yet (state open) */
    int64_t red_newest;   /* the latest level_since among red items: a new red item moves it on */
} queue_counts_rec;

/* Which open items a queue page shows; empty or false fields do not filter. */
typedef struct {
    const char *level;     /* "red", ..., or NULL/"" for every level */
    bool overdue_only;
    bool by_hand_only;     /* "match by hand": declined three suggestions in a row, no counselor assigned now
                            * (state neither assigned nor contacted) */
    const char *id_prefix; /* hex digits and '-' only: the item's or the client's id starts with it */
} queue_filter;

/* The sealed fields by logical name, a record kind and a field: clients.name, clients.phone, clients.birth,
 * clients.key (the client's own key, under the data key: schema 11), intakes.body, intakes.notes, drafts.body,
 * queue_events.reason. These names are part of each sealed value's
 * associated data (vault_seal binds a value to its record, field and row id), so they are fixed for ever,
 * whatever a backend calls its own tables; each backend maps them to its storage. */
#define STORE_SEALED_FIELDS 8

/* Called for every sealed value of the database; return non-zero to stop. */
typedef int (*sealed_cb)(void *ctx, const char *record, const char *field, const char *row_id,
                         const unsigned char *ct, size_t n);
typedef int (*audit_cb)(void *ctx, const audit_rec *rec);

/* The caller's steps inside a restore's one write transaction (store_ops.restore): each returns false with
 * why in err to abandon the restore. */
typedef struct {
    bool (*before)(void *ctx, error *err); /* on the live content, under the write lock */
    bool (*after)(void *ctx, error *err);  /* on the restored content, before the commit */
    void *ctx;
    bool live_damaged; /* set by the store: the live file was damaged and the backup's pages were written over it */
    /* set by the caller for a scratch database only: a backup of an older schema version is then copied in
     * whole, page by page, as it is (nothing of the steps runs), and older_version says from which version;
     * the caller opens the scratch again, which upgrades it as any open does (issue 16, s6) */
    bool older_ok;
    int64_t older_version; /* set by the store: the backup's schema version when it was older, else 0 */
} restore_steps;

/* De-identified facts of one intake, for the outcome KPIs (schema 3). Only categories and times: no name,
 * phone, birth date, answer, score or free text. Written with the intake, updated by its queue steps and
 * recorded sessions, and kept when the client is erased (then re-keyed to fresh random ids, so nothing
 * links them back to the audit trail or an old backup). See core/records/facts.h. */
typedef struct {
    char id[STORE_ID_LEN];         /* the intake id (a fresh random id once the client is erased) */
    char client_key[STORE_ID_LEN]; /* the client id (likewise) */
    int64_t created_at;
    char level[8];                 /* the level triage gave */
    char channel[17];              /* walk_in, phone, online, referral, or "" */
    char concerns[129];            /* concern codes, space separated */
    char age_band[17];             /* a band of [reports] age_bands, or "" */
    char counselor[65];            /* the suggested, later the assigned, counselor code, or "" */
    int64_t deadline;              /* the first deadline of its queue step, 0 for none */
    int64_t confirmed_at;          /* the first confirmation by a clinician, 0 for none */
    char confirmed_level[8];       /* the level confirmed, "" until then */
    int64_t first_contact_at;      /* the first contact attempt, 0 for none */
    int suggestions, declines;     /* counselors suggested, and declined by the client */
    bool overdue;                  /* its queue item went overdue at least once */
    int64_t first_session_day;     /* days since 1970-01-01 of the first session, -1 for none */
    int first_session_attended;    /* -1 not recorded, 0 missed, 1 attended */
    int sessions_attended;
    int64_t last_session_day;      /* of the last attended session, -1 for none */
    char closed_reason[16];        /* the queue outcome once closed, else "" */
    int64_t closed_at;
    /* row MAC (core/records/rowmac.h, schema 5) over the ids, the time, the level and the confirmed level: what a
     * report's levels come from; the operational counts a keyless tick updates are not covered */
    unsigned char mac[VAULT_MAC_BYTES];
    bool has_mac;
} facts_rec;

/* One counseling session recorded as an outcome (schema 3): in clear, no clinical content. */
typedef struct {
    char id[STORE_ID_LEN];
    char facts_id[STORE_ID_LEN];   /* the intake (episode) it follows */
    char client_key[STORE_ID_LEN];
    int64_t day;                   /* days since 1970-01-01 */
    bool attended;
    char counselor[65];
    int64_t recorded_at;
    char recorded_by[STORE_ID_LEN];
    int64_t intake_at;             /* the episode's created_at: a report selects sessions by it */
} outcome_session_rec;

/* What a report reads of one facts row: the comparisons are made by the store (SQLite evaluates them while
 * it reads), so a million rows cost a few calls each. Strings are valid during the callback only. */
enum {
    FB_CONFIRMED = 1,       /* confirmed by a clinician */
    FB_CONFIRMED_SAME = 2,  /* ... at the level triage gave */
    FB_WITH_DEADLINE = 4,   /* confirmed, and the item had a deadline */
    FB_IN_TIME = 8,         /* ... confirmed by it */
    FB_OVERDUE = 16,
    FB_FIRST_ATTENDED = 32, /* the first session was attended */
    FB_RETAINED = 64        /* N or more attended sessions within D days of the first */
};
typedef struct {
    const char *id; /* NULL unless the store needed it (the report does not) */
    const char *level, *channel, *concerns, *age_band, *counselor;
    const char *confirmed_level; /* the level a clinician confirmed, "" when not confirmed (the validation report) */
    int64_t created_at;
    unsigned flags;
    int64_t contact_delay; /* seconds from intake to the first contact, -1 for none */
    int suggestions, declines, sessions_attended;
    int64_t last_session_day;
} facts_brief;
typedef int (*facts_cb)(void *ctx, const facts_brief *r);
/* Called for each intake of an export (sealed fields as stored). */
typedef int (*intake_cb)(void *ctx, const intake_rec *r);
/* One intake with its client's row and its report facts, read together (intake_each_joined). */
typedef struct {
    intake_rec intake;
    bool has_client; /* false when the client's row is gone */
    client_rec client;
    bool has_facts; /* false when the intake has no facts row */
    facts_rec facts;
} intake_joined;
typedef int (*intake_joined_cb)(void *ctx, const intake_joined *r);
/* One intake's clear columns with its report facts, read together (intake_clear_each): its sealed body and notes
 * are neither read nor copied. */
typedef struct {
    char id[STORE_ID_LEN];
    char client_id[STORE_ID_LEN];
    int64_t created_at;
    char level[8];                /* red, orange, yellow, green */
    char suggested[STORE_ID_LEN]; /* counselor id or "" */
    bool has_facts;               /* false when the intake has no facts row */
    facts_rec facts;
} intake_clear;
typedef int (*intake_clear_cb)(void *ctx, const intake_clear *r);

typedef struct store store;

typedef struct store_ops {
    const char *name;
    /* Opens the database at location (a backend's address: for SQLite a file path; through store_checked a
     * URL) and creates it when create is set and it does not exist. A database that is not triage's, is
     * newer, damaged or somewhere the backend cannot keep safe is refused and never modified; err says which,
     * naming it. wait_ms: how long a writer waits for another before ST_BUSY. */
    store_status (*open)(const char *location, bool create, int wait_ms, store **out, error *err);
    void (*close)(store *s);
    /* The last error, in words, naming the database. */
    const char *(*errmsg)(const store *s);
    int (*schema_version)(const store *s);

    store_status (*begin)(store *s); /* a write transaction: holds the write lock from here to its end */
    store_status (*commit)(store *s);
    void (*rollback)(store *s);
    /* A read transaction: every read from here to read_end sees one snapshot of the database (what was
     * committed when it began; other connections' later commits are not seen), and reads between them do not
     * lock and unlock per statement. For SQLite a deferred transaction whose snapshot is taken at once; for
     * PostgreSQL it would be BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY. Writers on other connections
     * are not held up. Inside it every write, begin and commit is refused (ST_INVALID, nothing done);
     * read_begin is refused inside any transaction, read_end without a read open. rollback also ends it. */
    store_status (*read_begin)(store *s);
    store_status (*read_end)(store *s);
    /* Whether a transaction (a write, or a read from read_begin) is open on this connection: reads that must
     * see one snapshot open a read transaction only when none is. */
    bool (*in_transaction)(const store *s);

    store_status (*meta_get)(store *s, const char *key, blob *out);
    store_status (*meta_set)(store *s, const char *key, const void *value, size_t n);
    /* Whether some setting's key starts with prefix (one lookup where a reader would otherwise ask for each key) */
    store_status (*meta_any)(store *s, const char *prefix, bool *any);

    store_status (*staff_insert)(store *s, const staff_rec *r);
    store_status (*staff_update)(store *s, const staff_rec *r); /* by id: everything but id and created_at */
    store_status (*staff_by_name)(store *s, const char *name, staff_rec *out);
    store_status (*staff_by_id)(store *s, const char *id, staff_rec *out);
    store_status (*staff_list)(store *s, staff_rec **out, int *n); /* by name; free() the array */

    store_status (*counselor_upsert)(store *s, const counselor_rec *r); /* by code */
    store_status (*counselor_list)(store *s, counselor_rec **out, int *n); /* by code; free() */

    store_status (*client_insert)(store *s, const client_rec *r);
    store_status (*client_update)(store *s, const client_rec *r);
    store_status (*client_get)(store *s, const char *id, client_rec *out);
    store_status (*client_count)(store *s, int64_t *n);

    /* Blind-index entries: several per client (name, each name token, phone). */
    store_status (*bidx_add)(store *s, uint32_t value, const char *client_id);
    store_status (*bidx_clear)(store *s, const char *client_id);
    store_status (*bidx_find)(store *s, uint32_t value, char (**ids)[STORE_ID_LEN], int *n); /* free() */

    store_status (*intake_insert)(store *s, const intake_rec *r);
    store_status (*intake_get)(store *s, const char *id, intake_rec *out);
    /* the same intake with its client's sealed key (client_keys.key_ct, as client_get gives it; empty when the
     * client has none): what opening its body needs, in one read where an intake_get and a client_get were
     * two (a de-identified export reads each intake so, in the order of its pseudonym); free key_ct with
     * blob_free */
    store_status (*intake_get_keyed)(store *s, const char *id, intake_rec *out, blob *key_ct);
    /* every intake of a client, oldest first; free each with intake_rec_free and the array with free() */
    store_status (*intake_list_for_client)(store *s, const char *client_id, intake_rec **out, int *n);

    store_status (*draft_put)(store *s, const draft_rec *r); /* insert or replace by id */
    store_status (*draft_for_staff)(store *s, const char *staff_id, draft_rec *out); /* the newest */
    store_status (*draft_delete)(store *s, const char *id);

    store_status (*audit_append)(store *s, audit_rec *r); /* sets r->seq */
    store_status (*audit_last)(store *s, audit_rec *out);
    /* the first (newest: the last) entry of that action naming the object (the intake_create entry of an intake,
     * whose writer is its author; a queue item's last step), from an index by object (schema 12), and the link
     * from the entry before it (zeros before the first), so that the caller can check it alone: ST_NOTFOUND when
     * there is none */
    store_status (*audit_by_object)(store *s, const char *object_id, const char *action, bool newest, audit_rec *out,
                                    audit_link *prev);
    /* the newest signed entry a staff member wrote, and the link from the entry before it (as audit_by_object), read
     * from the entries themselves and never from an index the file could make lie: ST_NOTFOUND when none. A desk
     * checks its writer's own previous entry before signing over the trail again (core/records/audit.c) */
    store_status (*audit_last_signed_by)(store *s, const char *staff_id, audit_rec *out, audit_link *prev);
    store_status (*audit_each)(store *s, audit_cb cb, void *ctx); /* in seq order */
    store_status (*audit_each_from)(store *s, int64_t after_seq, audit_cb cb, void *ctx); /* entries after a seq */
    store_status (*audit_set_mac)(store *s, int64_t seq, const unsigned char mac[VAULT_MAC_BYTES]);

    /* Escalation queues (schema 2). */
    store_status (*queue_put)(store *s, const queue_rec *r); /* insert or replace by id */
    store_status (*queue_get)(store *s, const char *id, queue_rec *out);
    store_status (*queue_open_for_client)(store *s, const char *client_id, queue_rec *out); /* not closed */
    /* every item of a client, closed ones too, oldest first (schema 11's re-sealing under the client key); free() */
    store_status (*queue_all_for_client)(store *s, const char *client_id, queue_rec **out, int *n);
    store_status (*queue_list_open)(store *s, queue_rec **out, int *n); /* every item not closed; free() */
    /* the first `limit` open items in urgency order: overdue first, then level (red first), then the earliest
     * deadline (none last), then the oldest; free() */
    store_status (*queue_first)(store *s, int limit, queue_rec **out, int *n);
    /* the open items whose deadline has come (0 < deadline <= now); free() */
    store_status (*queue_due)(store *s, int64_t now, queue_rec **out, int *n);
    /* counts of the open items (cheap: a desk asks once a second) */
    store_status (*queue_counts)(store *s, queue_counts_rec *out);
    /* one page of the open items matching f, in queue_first's urgency order; free() */
    store_status (*queue_page)(store *s, const queue_filter *f, int offset, int limit, queue_rec **out, int *n);
    /* open items assigned to a counselor (their live caseload) */
    store_status (*queue_count_assigned)(store *s, const char *counselor, int64_t *n);
    store_status (*queue_event_add)(store *s, const queue_event_rec *r);
    /* an item's history, oldest first; free each with queue_event_rec_free and the array with free() */
    store_status (*queue_events)(store *s, const char *item_id, queue_event_rec **out, int *n);

    /* Every sealed value (the STORE_SEALED_FIELDS above), and replacing one by its logical name. */
    store_status (*each_sealed)(store *s, sealed_cb cb, void *ctx);
    store_status (*update_sealed)(store *s, const char *record, const char *field, const char *row_id,
                                  const unsigned char *ct, size_t n);

    /* The backend's own check of its structures (every page, index and constraint it can check);
     * ST_CORRUPT with the first problem in msg. */
    store_status (*integrity_check)(store *s, char *msg, size_t size);
    /* An online backup: a consistent copy of one moment while other desks keep writing, written to dest
     * (which must not exist) readable by its owner only, and checked before it is called done. */
    store_status (*backup)(store *s, const char *dest, error *err);
    /* Replaces the database's whole content with that of the database file src, as one write transaction
     * under the write lock: steps->before (if given) runs first inside it on the live content (to read what
     * must be carried forward), then src's content replaces the live one, then steps->after runs inside it
     * on the restored content (to write what is carried forward); no other connection can commit between
     * `before` and the commit, and the restore commits only if both steps return true (else nothing changes
     * and the step's words are the error). Every connection, this one and other desks' that stay open, then
     * reads either the old content or the restored one at its next read, never a mix, and the file they
     * opened stays the database. src is only read (nothing is written beside it: a backup on read-only media
     * restores); it must be a triage database of this schema version that passes the integrity check
     * (otherwise ST_NOT_TRIAGE, ST_TOO_NEW, ST_INVALID or ST_CORRUPT, naming src, and nothing changes).
     * Refused while a transaction is open, and once the file at the path was replaced under this
     * connection. steps may be NULL. */
    store_status (*restore)(store *s, const char *src, restore_steps *steps, error *err);
    /* A private scratch database beside this one (as private as it, on the same storage, used by no other
     * program), for checking a backup before it goes in: its URL in url, which names this backend. The
     * caller opens it (creating it), closes it, and drops it. restore takes it as src. */
    store_status (*scratch_url)(store *s, char *url, size_t size);
    /* Whether the file src may be read as a backup of this database: ST_INVALID, with words naming it, when
     * src is this database's own file (the same one, through any link: restoring it would discard the work
     * in its log), or when src is a copy of a database in use whose last commits are still kept outside
     * the copy (read without them, they would be missed). */
    store_status (*backup_source_check)(store *s, const char *src, error *err);
    /* Words for a person (into words, NUL-terminated, cut to size) naming what this backend keeps of a
     * database outside the database itself, left behind by a desk that did not close, that would carry an
     * older database's rows into a file put over the same location (a file backend's log beside the file);
     * empty when the backend keeps nothing such. Used to say what to look for when the data key does not
     * match the database. Reads nothing of the rows. */
    store_status (*leftovers_hint)(store *s, char *words, size_t size);
    /* Drops the scratch databases of this database that a killed or crashed program left behind (they may
     * hold erased clients' rows); one a live program may still be using is left. *removed: how many. */
    store_status (*scratch_sweep)(store *s, int *removed, error *err);
    /* Removes the database at url with everything the backend keeps of it; one that does not exist is no
     * error. Only for a scratch database nobody has open. */
    store_status (*drop)(const char *url, error *err);
    /* A change counter desks poll: it moves whenever another connection commits. */
    store_status (*change_counter)(store *s, int64_t *v);
    /* Rows this connection has changed since it opened (its own commits do not move the change counter). */
    int64_t (*local_changes)(store *s);

    /* Outcomes, reports, export and erasure (schema 3). */
    store_status (*facts_put)(store *s, const facts_rec *r); /* insert or replace by id */
    store_status (*facts_get)(store *s, const char *id, facts_rec *out);
    /* every facts row of a client, oldest first; free() */
    store_status (*facts_for_client)(store *s, const char *client_key, facts_rec **out, int *n);
    /* every row with from <= created_at < to, in no particular order, with its retention flag
     * (retain_n or more attended sessions within retain_days of the first); stops when cb returns non-zero */
    store_status (*facts_scan)(store *s, int64_t from, int64_t to, int retain_n, int retain_days, facts_cb cb, void *ctx);
    /* gives a facts row (and its sessions) new ids; the sessions' intake_at and recorded_at become the row's
     * created_at as it stands (erasure coarsens it first: the sessions must not keep a finer time) */
    store_status (*facts_rekey)(store *s, const char *old_id, const char *new_id, const char *new_client_key);
    store_status (*outcome_session_add)(store *s, const outcome_session_rec *r);
    /* the sessions of one episode, by day; free() */
    store_status (*outcome_sessions)(store *s, const char *facts_id, outcome_session_rec **out, int *n);
    /* every intake with from <= created_at < to, oldest first, in pages (cb may not write) */
    store_status (*intake_each_between)(store *s, int64_t from, int64_t to, intake_cb cb, void *ctx);
    /* the same intakes in the same order, each with its client and facts read in the same step (an export read
     * them one by one: two lookups per intake, a quarter of its time) */
    store_status (*intake_each_joined)(store *s, int64_t from, int64_t to, intake_joined_cb cb, void *ctx);
    /* the same intakes in the same order, each with its facts (as facts_get reads them) but only its clear
     * columns: a de-identified export reads every intake of the database for its k-anonymity (core/exchange/
     * export.c), and copied every body and looked up every client to use none of them */
    store_status (*intake_clear_each)(store *s, int64_t from, int64_t to, intake_clear_cb cb, void *ctx);
    /* Erasure: every row of the client (the client, its blind-index entries, intakes, queue items and their
     * history) is removed and none of its sealed values can be recovered from the store's files afterwards
     * (overwritten before removal, and removed space cleared), once purge_old_versions has completed.
     * Inside a transaction. */
    store_status (*client_erase)(store *s, const char *client_id);
    /* drafts last saved before cutoff (every draft: INT64_MAX); free each with draft_rec_free, then free() */
    store_status (*drafts_before)(store *s, int64_t cutoff, draft_rec **out, int *n);
    /* clients with queue items, all closed before cutoff, and no intake since; free() */
    store_status (*clients_closed_before)(store *s, int64_t cutoff, char (**ids)[STORE_ID_LEN], int *n);
    /* Purges old versions of rows from everything the backend keeps (its files, logs and free space), so
     * erased values leave no recoverable copy; *complete false when another desk's open read still holds
     * some, to be purged later by the backend itself. Called after each erasure has committed. */
    store_status (*purge_old_versions)(store *s, bool *complete);
    /* removes a draft, its sealed body unrecoverable as with client_erase */
    store_status (*draft_erase)(store *s, const char *id);

    /* Row MACs (schema 5; the MACs are computed in core/records/rowmac.c, the store keeps a blob per row). The ids
     * of every row of a record kind ("queue_items", "intakes" or "intake_facts": logical names, bound into
     * the MAC), or only of those without a MAC
     * (missing_only); free(). Also "clients" (schema 11): every client, or only those without a key of their
     * own yet (missing_only: the upgrade's re-sealing resumes from them); row_mac_set does not take it. */
    store_status (*row_ids)(store *s, const char *table, bool missing_only, char (**ids)[STORE_ID_LEN], int *n);
    /* Sets one row's MAC; for a queue item it also empties mac_state (the MAC covers the row itself again). */
    store_status (*row_mac_set)(store *s, const char *table, const char *id, const unsigned char mac[VAULT_MAC_BYTES]);
} store_ops;

extern const store_ops store_sqlite;

/* What the core opens a database through: store_checked.open(URL, ...) picks the backend by the URL
 * (store_backend_for) and checks every call's arguments before the backend sees it. */
extern const store_ops store_checked;

/* The backend a database URL names, and the address it is given (*location): "sqlite:PATH",
 * "sqlite://PATH" or a plain path are SQLite; any other scheme (for example "postgresql://") is refused with
 * err naming the URL and the backends this build has. */
const store_ops *store_backend_for(const char *url, const char **location, error *err);
/* The database URL as a message may show it: a password in it - the userinfo's (postgresql://ann:PW@host/db)
 * or a password=... parameter (?password=PW, or a key/value connection string) - becomes "***"; the rest is
 * as given (truncated to size). Every message that names a database goes through this, so that no screen,
 * log or terminal scrollback carries a server's password. */
void store_url_redacted(const char *url, char *out, size_t size);
/* True when value names a database by URL (a backend's scheme such as "sqlite:", or any "scheme://"), not
 * by a path: a configuration file's relative path is taken from its directory, a URL is kept as it is. */
bool store_is_url(const char *value);
/* The file on this machine that holds the database at url (its directories may need making), or NULL for a
 * backend whose database is not a local file (a server) or a url no backend takes. */
const char *store_local_file(const char *url);

/* How many operations of the table have been called through store_checked in this process (the
 * conformance suite's coverage); up to max names of those never called go to missing; *total: how many
 * there are. */
int store_ops_called(const char **missing, int max, int *total);
/* How many operations of a backend's table are unset (NULL: a designated initializer left one out, which the
 * compiler does not warn of); *unset_slot: the first, for store_op_name. The conformance suite checks every
 * backend this build has. */
int store_ops_unset(const store_ops *ops, int *unset_slot);
/* The i-th backend this build registers (by URL scheme), NULL past the last: for the check that each sets
 * every operation. */
const store_ops *store_backend_at(size_t i);
/* The URL scheme the registry gives a backend ("sqlite:"), or NULL for a table it does not register: a
 * backend's name is for messages, its scheme is what a URL naming one of its databases starts with. */
const char *store_backend_scheme(const store_ops *ops);
const char *store_op_name(int slot);

/* The checks every backend can rely on having been made (store_checked.c). */
bool store_id_ok(const char *id);                        /* 1..36 printable ASCII, no space */
bool store_field_ok(const char *buf, size_t size);       /* NUL-terminated inside its array */
bool store_opt_id_ok(const char *buf, size_t size);      /* "" or an id */
bool store_blob_ok(const blob *b, bool required);
bool store_level_ok(const char *level);                  /* red, orange, yellow or green */

void client_rec_free(client_rec *r);
void intake_rec_free(intake_rec *r);
void draft_rec_free(draft_rec *r);

#endif
