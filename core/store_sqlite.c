/* The SQLite backend of the record store (store.h; shared/SECURITY.md, "Durability").
 *
 * Opening never changes a byte of a file that is not a triage database, is newer, or is damaged: its header
 * is read first (through SQLite's VFS, creating nothing next to the file), then a read-only connection
 * checks the schema version and that the schema is readable, and only a file that passed is reopened
 * read-write. Then WAL, synchronous=FULL, foreign keys, busy timeout, temp_store=MEMORY, secure_delete,
 * and the forward migrations in one BEGIN IMMEDIATE transaction.
 *
 * Every statement is a constant string, prepared once per store and cached (SQLITE_PREPARE_PERSISTENT);
 * every value is bound. Writes refuse to run outside begin()/commit().
 *
 * Test hook (documented in network_fs_of): TRIAGE_TEST_FSTYPE=<number> makes open treat the database as
 * also being on a filesystem of that type. It can only make open refuse, never accept a network one. */
#include "store.h"
#include "store_sqlite_file.h"

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

#include "util.h"

/* Schema v1 stores the key material with these exact lengths (CHECK constraints and reads). A change of
 * vault.h sizes needs a migration, not an edit of the v1 script. */
_Static_assert(VAULT_PK_BYTES == 32, "schema v1: staff.public_key is 32 bytes");
_Static_assert(VAULT_WRAPPED_BYTES == 72, "schema v1: staff.wrapped_secret is 72 bytes");
_Static_assert(VAULT_SALT_BYTES == 16, "schema v1: staff.kdf_salt is 16 bytes");
_Static_assert(VAULT_SEALED_KEY_BYTES == 80, "schema v1: staff.sealed_data_key is 80 bytes");
_Static_assert(VAULT_MAC_BYTES == 32, "schema v1: audit.hash and audit.mac are 32 bytes");
_Static_assert(STORE_ID_LEN == 37, "a UUID as text and its NUL");

#define APP_ID 0x54524947 /* "TRIG" */
#define MIN_SQLITE 3037000 /* STRICT tables */
#define LOCK_RETRIES 3     /* extra attempts after busy_timeout ran out */
#define RETRY_SLEEP_MS 50
#define SEALED_BATCH 64
#define AUDIT_BATCH 256

/* ---- schema ---- */

typedef struct {
    const char *sql;         /* the script taking the schema from version index to index + 1 */
    const char *set_version; /* PRAGMA user_version = index + 1 (pragmas take no bound values) */
} migration;

static const migration migrations[] = {
    {/* v1 */
     "CREATE TABLE meta(\n"
     "  key TEXT PRIMARY KEY NOT NULL CHECK (length(key) > 0),\n"
     "  value BLOB NOT NULL\n"
     ") STRICT;\n"
     "CREATE TABLE staff(\n"
     "  id TEXT PRIMARY KEY NOT NULL,\n"
     "  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),\n"
     "  role TEXT NOT NULL CHECK (role IN ('reception', 'clinician', 'supervisor')),\n"
     "  public_key BLOB NOT NULL CHECK (length(public_key) = 32),\n"
     "  wrapped_secret BLOB NOT NULL CHECK (length(wrapped_secret) = 72),\n"
     "  kdf_alg INTEGER NOT NULL,\n"
     "  kdf_ops INTEGER NOT NULL CHECK (kdf_ops >= 0),\n"
     "  kdf_mem INTEGER NOT NULL CHECK (kdf_mem >= 0),\n"
     "  kdf_salt BLOB NOT NULL CHECK (length(kdf_salt) = 16),\n"
     "  sealed_data_key BLOB NOT NULL CHECK (length(sealed_data_key) = 80),\n"
     "  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),\n"
     "  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),\n"
     "  last_failed_at INTEGER NOT NULL DEFAULT 0,\n"
     "  created_at INTEGER NOT NULL\n"
     ") STRICT;\n"
     "CREATE TABLE counselors(\n"
     "  id TEXT PRIMARY KEY NOT NULL,\n"
     "  code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),\n"
     "  name TEXT NOT NULL,\n"
     "  gender TEXT NOT NULL,\n"
     "  languages TEXT NOT NULL,\n"
     "  orientations TEXT NOT NULL,\n"
     "  high_risk INTEGER NOT NULL CHECK (high_risk IN (0, 1)),\n"
     "  available INTEGER NOT NULL CHECK (available IN (0, 1)),\n"
     "  capacity INTEGER NOT NULL CHECK (capacity >= 0),\n"
     "  caseload INTEGER NOT NULL CHECK (caseload >= 0),\n"
     "  weights TEXT NOT NULL,\n"
     "  updated_at INTEGER NOT NULL\n"
     ") STRICT;\n"
     "CREATE TABLE clients(\n"
     "  id TEXT PRIMARY KEY NOT NULL,\n"
     "  created_at INTEGER NOT NULL,\n"
     "  created_by TEXT NOT NULL REFERENCES staff(id),\n"
     "  name_ct BLOB NOT NULL CHECK (length(name_ct) > 0),\n"
     "  phone_ct BLOB CHECK (phone_ct IS NULL OR length(phone_ct) > 0),\n"
     "  birth_ct BLOB CHECK (birth_ct IS NULL OR length(birth_ct) > 0)\n"
     ") STRICT;\n"
     /* the primary key (value, client_id) is the index on value; one entry per pair */
     "CREATE TABLE blind_index(\n"
     "  value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 4294967295),\n"
     "  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,\n"
     "  PRIMARY KEY (value, client_id)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "CREATE INDEX blind_index_client ON blind_index(client_id);\n"
     /* level is in clear for the queues only: deliberately not indexed */
     "CREATE TABLE intakes(\n"
     "  id TEXT PRIMARY KEY NOT NULL,\n"
     "  client_id TEXT NOT NULL REFERENCES clients(id),\n"
     "  created_at INTEGER NOT NULL,\n"
     "  created_by TEXT NOT NULL REFERENCES staff(id),\n"
     "  level TEXT NOT NULL CHECK (level IN ('red', 'orange', 'yellow', 'green')),\n"
     "  suggested TEXT,\n" /* counselor id; NULL when none */
     "  chosen TEXT,\n"
     "  body_ct BLOB NOT NULL CHECK (length(body_ct) > 0),\n"
     "  notes_ct BLOB CHECK (notes_ct IS NULL OR length(notes_ct) > 0)\n"
     ") STRICT;\n"
     "CREATE INDEX intakes_client ON intakes(client_id, created_at);\n"
     "CREATE TABLE drafts(\n"
     "  id TEXT PRIMARY KEY NOT NULL,\n"
     "  staff_id TEXT NOT NULL REFERENCES staff(id),\n"
     "  updated_at INTEGER NOT NULL,\n"
     "  body_ct BLOB NOT NULL CHECK (length(body_ct) > 0)\n"
     ") STRICT;\n"
     "CREATE INDEX drafts_staff ON drafts(staff_id, updated_at);\n"
     /* append-only: no foreign key (an entry outlives anything it names; staff_id is NULL when no one
      * is logged in); only mac may be set later */
     "CREATE TABLE audit(\n"
     "  seq INTEGER PRIMARY KEY CHECK (seq > 0),\n"
     "  at INTEGER NOT NULL,\n"
     "  staff_id TEXT,\n"
     "  action TEXT NOT NULL CHECK (length(action) > 0),\n"
     "  object_id TEXT NOT NULL,\n"
     "  detail TEXT NOT NULL,\n"
     "  hash BLOB NOT NULL CHECK (length(hash) = 32),\n"
     "  mac BLOB CHECK (mac IS NULL OR length(mac) = 32)\n"
     ") STRICT;\n"
     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
     "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END;\n"
     "CREATE TRIGGER audit_no_update BEFORE UPDATE OF seq, at, staff_id, action, object_id, detail, hash"
     " ON audit\n"
     "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;\n",
     "PRAGMA user_version = 1"},
    /* 2: escalation queues. An item is in clear (ids, level, state, times, counselor code: what the queues
     * need); the reason of each step is sealed. Open items are found through a partial index on the
     * state, which is queue metadata, not a clinical value; the level is not indexed. */
    {"CREATE TABLE queue_items(\n"
     "  id TEXT PRIMARY KEY NOT NULL,\n"
     "  client_id TEXT NOT NULL REFERENCES clients(id),\n"
     "  intake_id TEXT NOT NULL REFERENCES intakes(id),\n"
     "  level TEXT NOT NULL CHECK (level IN ('red', 'orange', 'yellow', 'green')),\n"
     "  state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'confirmed', 'assigned', 'contacted', 'closed')),\n"
     "  outcome TEXT NOT NULL CHECK (outcome IN ('none', 'first_session', 'declined', 'referred', 'unreachable', "
     "'duplicate')),\n"
     "  pending_level TEXT CHECK (pending_level IS NULL OR pending_level IN ('red', 'orange', 'yellow', 'green')),\n"
     "  counselor TEXT,\n"
     "  created_at INTEGER NOT NULL,\n"
     "  level_since INTEGER NOT NULL,\n"
     "  deadline INTEGER NOT NULL,\n"
     "  updated_at INTEGER NOT NULL,\n"
     "  overdue INTEGER NOT NULL CHECK (overdue IN (0, 1)),\n"
     "  match_by_hand INTEGER NOT NULL CHECK (match_by_hand IN (0, 1)),\n"
     "  escalations INTEGER NOT NULL CHECK (escalations >= 0),\n"
     "  declines_in_row INTEGER NOT NULL CHECK (declines_in_row >= 0),\n"
     "  contact_attempts INTEGER NOT NULL CHECK (contact_attempts >= 0)\n"
     ") STRICT;\n"
     "CREATE INDEX queue_open ON queue_items(state) WHERE state <> 'closed';\n"
     /* the first page of the queues in their urgency order, and the items falling due (tick): both read
      * a handful of index entries instead of every open item */
     "CREATE INDEX queue_urgency ON queue_items(overdue DESC, (CASE level WHEN 'red' THEN 3 WHEN 'orange' THEN 2 "
     "WHEN 'yellow' THEN 1 ELSE 0 END) DESC, deadline = 0, deadline, created_at, id) WHERE state <> 'closed';\n"
     "CREATE INDEX queue_due ON queue_items(deadline) WHERE state <> 'closed' AND deadline > 0;\n"
     "CREATE INDEX queue_client ON queue_items(client_id) WHERE state <> 'closed';\n"
     "CREATE TABLE queue_events(\n"
     "  id TEXT PRIMARY KEY NOT NULL,\n"
     "  item_id TEXT NOT NULL REFERENCES queue_items(id),\n"
     "  at INTEGER NOT NULL,\n"
     "  staff_id TEXT,\n"
     "  action TEXT NOT NULL CHECK (length(action) > 0),\n"
     "  from_state TEXT NOT NULL,\n"
     "  to_state TEXT NOT NULL,\n"
     "  level_before TEXT NOT NULL,\n"
     "  level_after TEXT NOT NULL,\n"
     "  reason_ct BLOB CHECK (reason_ct IS NULL OR length(reason_ct) > 0)\n"
     ") STRICT;\n"
     "CREATE INDEX queue_events_item ON queue_events(item_id, at);\n",
     "PRAGMA user_version = 2"},
    /* 3: outcomes and reports. The KPIs over a million intakes must not open a million sealed bodies, so each
     * intake gets a row of de-identified facts (core/facts.h): times, the level, the channel, concern codes, an
     * age band and counselor codes; no name, phone, birth date, answer, score or free text. They are kept when
     * a client is erased (re-keyed to fresh random ids) so that the centre's counts stay true. Sessions
     * recorded as outcomes are in clear likewise (a day, attended or not, a counselor code). The facts are
     * stored in time order (the primary key starts with created_at), so a report's date range is one
     * contiguous read; no clinical value is indexed. queue_items_client finds every item of a
     * client, closed ones too (erasure and retention). */
    {"CREATE TABLE intake_facts(\n"
     "  id TEXT NOT NULL UNIQUE,\n"
     "  client_key TEXT NOT NULL,\n"
     "  created_at INTEGER NOT NULL,\n"
     "  level TEXT NOT NULL CHECK (level IN ('red', 'orange', 'yellow', 'green')),\n"
     "  channel TEXT NOT NULL,\n"
     "  concerns TEXT NOT NULL,\n"
     "  age_band TEXT NOT NULL,\n"
     "  counselor TEXT NOT NULL,\n"
     "  deadline INTEGER NOT NULL,\n"
     "  confirmed_at INTEGER NOT NULL,\n"
     "  confirmed_level TEXT NOT NULL CHECK (confirmed_level IN ('', 'red', 'orange', 'yellow', 'green')),\n"
     "  first_contact_at INTEGER NOT NULL,\n"
     "  suggestions INTEGER NOT NULL CHECK (suggestions >= 0),\n"
     "  declines INTEGER NOT NULL CHECK (declines >= 0),\n"
     "  overdue INTEGER NOT NULL CHECK (overdue IN (0, 1)),\n"
     "  first_session_day INTEGER NOT NULL,\n"
     "  first_session_attended INTEGER NOT NULL CHECK (first_session_attended IN (-1, 0, 1)),\n"
     "  sessions_attended INTEGER NOT NULL CHECK (sessions_attended >= 0),\n"
     "  last_session_day INTEGER NOT NULL,\n"
     "  closed_reason TEXT NOT NULL,\n"
     "  closed_at INTEGER NOT NULL,\n"
     /* what a report reads, worked out once when a row is written rather than a million times per report
      * (bits as store.h FB_*; the seconds to the first contact, -1 for none) */
     "  kpi_flags INTEGER GENERATED ALWAYS AS ((confirmed_at > 0) | ((confirmed_at > 0 AND confirmed_level = level) << 1) "
     "| ((confirmed_at > 0 AND deadline > 0) << 2) | ((confirmed_at > 0 AND deadline > 0 AND confirmed_at <= deadline) << 3) "
     "| (overdue << 4) | ((first_session_attended = 1) << 5)) STORED,\n"
     "  contact_delay INTEGER GENERATED ALWAYS AS (CASE WHEN first_contact_at > 0 THEN max(first_contact_at - created_at, 0) "
     "ELSE -1 END) STORED,\n"
     "  PRIMARY KEY (created_at, id)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "CREATE INDEX intake_facts_client ON intake_facts(client_key, created_at);\n"
     "CREATE TABLE outcome_sessions(\n"
     "  id TEXT PRIMARY KEY NOT NULL,\n"
     "  facts_id TEXT NOT NULL,\n"
     "  client_key TEXT NOT NULL,\n"
     "  day INTEGER NOT NULL,\n"
     "  attended INTEGER NOT NULL CHECK (attended IN (0, 1)),\n"
     "  counselor TEXT NOT NULL,\n"
     "  recorded_at INTEGER NOT NULL,\n"
     "  recorded_by TEXT NOT NULL,\n"
     "  intake_at INTEGER NOT NULL\n"
     ") STRICT;\n"
     "CREATE INDEX outcome_sessions_facts ON outcome_sessions(facts_id, day);\n"
     /* covering, in the facts' own order (created_at, id): a report reads the sessions of its range beside
      * the facts, a merge of two sorted reads with no lookup */
     "CREATE INDEX outcome_sessions_time ON outcome_sessions(intake_at, facts_id, day, attended);\n"
     "CREATE INDEX queue_items_client ON queue_items(client_id);\n"
     "CREATE INDEX intakes_time ON intakes(created_at);\n",
     "PRAGMA user_version = 3"},
    /* 4: the items to be matched by hand (three declines in a row), counted by every desk after every change:
     * a partial index holding only them, so the count reads a handful of entries, not every open row */
    {"CREATE INDEX queue_by_hand ON queue_items(match_by_hand) WHERE state <> 'closed' AND match_by_hand = 1;\n",
     "PRAGMA user_version = 4"},
    /* 5: row MACs (core/rowmac.h). The clear columns the queues act on are bound to the data key by a keyed MAC
     * per row, computed above the store; the store keeps the blob. A queue item also keeps, after a tick
     * without a key raised it, the encoding of the row its MAC covers (mac_state). Rows written before this
     * version get their MACs at the first login after the upgrade (meta rowmac). */
    {"ALTER TABLE queue_items ADD COLUMN mac BLOB CHECK (mac IS NULL OR length(mac) = 32);\n"
     "ALTER TABLE queue_items ADD COLUMN mac_state BLOB CHECK (mac_state IS NULL OR length(mac_state) BETWEEN 1 AND 512);\n"
     "ALTER TABLE intakes ADD COLUMN mac BLOB CHECK (mac IS NULL OR length(mac) = 32);\n"
     "ALTER TABLE intake_facts ADD COLUMN mac BLOB CHECK (mac IS NULL OR length(mac) = 32);\n",
     "PRAGMA user_version = 5"},
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* ---- statements ---- */

enum sid {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_META_GET,
    S_META_SET,
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
    S_AUDIT_PAGE,
    S_AUDIT_SET_MAC,
    S_SEALED_CLIENTS,
    S_SEALED_INTAKES,
    S_SEALED_DRAFTS,
    S_SET_CLIENT_NAME,
    S_SET_CLIENT_PHONE,
    S_SET_CLIENT_BIRTH,
    S_SET_INTAKE_BODY,
    S_SET_INTAKE_NOTES,
    S_SET_DRAFT_BODY,
    S_DATA_VERSION,
    S_QUEUE_PUT,
    S_QUEUE_GET,
    S_QUEUE_FOR_CLIENT,
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
    S_ROW_MAC_QUEUE,
    S_ROW_MAC_INTAKES,
    S_ROW_MAC_FACTS,
    S_COUNT
};

#define STAFF_COLS                                                                                        \
    "id, name, role, public_key, wrapped_secret, kdf_alg, kdf_ops, kdf_mem, kdf_salt, sealed_data_key, " \
    "locked, failed_logins, last_failed_at, created_at"
#define COUNSELOR_COLS                                                                                    \
    "id, code, name, gender, languages, orientations, high_risk, available, capacity, caseload, weights, " \
    "updated_at"
#define CLIENT_COLS "id, created_at, created_by, name_ct, phone_ct, birth_ct"
#define INTAKE_COLS "id, client_id, created_at, created_by, level, suggested, chosen, body_ct, notes_ct, mac"
#define DRAFT_COLS "id, staff_id, updated_at, body_ct"
#define AUDIT_COLS "seq, at, staff_id, action, object_id, detail, hash, mac"
#define QUEUE_COLS                                                                                        \
    "id, client_id, intake_id, level, state, outcome, pending_level, counselor, created_at, level_since, " \
    "deadline, updated_at, overdue, match_by_hand, escalations, declines_in_row, contact_attempts, mac, mac_state"
#define EVENT_COLS "id, item_id, at, staff_id, action, from_state, to_state, level_before, level_after, reason_ct"
#define FACTS_COLS                                                                                          \
    "id, client_key, created_at, level, channel, concerns, age_band, counselor, deadline, confirmed_at, "   \
    "confirmed_level, first_contact_at, suggestions, declines, overdue, first_session_day, "                \
    "first_session_attended, sessions_attended, last_session_day, closed_reason, closed_at"
#define OSESSION_COLS "id, facts_id, client_key, day, attended, counselor, recorded_at, recorded_by, intake_at"

static const char *const sql_text[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [S_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [S_STAFF_INSERT] = "INSERT INTO staff(" STAFF_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [S_STAFF_UPDATE] = "UPDATE staff SET name = ?2, role = ?3, public_key = ?4, wrapped_secret = ?5, kdf_alg = ?6, "
                       "kdf_ops = ?7, kdf_mem = ?8, kdf_salt = ?9, sealed_data_key = ?10, locked = ?11, "
                       "failed_logins = ?12, last_failed_at = ?13 WHERE id = ?1",
    [S_STAFF_BY_NAME] = "SELECT " STAFF_COLS " FROM staff WHERE name = ?1",
    [S_STAFF_BY_ID] = "SELECT " STAFF_COLS " FROM staff WHERE id = ?1",
    [S_STAFF_LIST] = "SELECT " STAFF_COLS " FROM staff ORDER BY name",
    [S_COUNSELOR_UPSERT] = "INSERT INTO counselors(" COUNSELOR_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                           "?11, ?12) ON CONFLICT(code) DO UPDATE SET name = excluded.name, gender = excluded.gender, "
                           "languages = excluded.languages, orientations = excluded.orientations, "
                           "high_risk = excluded.high_risk, available = excluded.available, "
                           "capacity = excluded.capacity, caseload = excluded.caseload, weights = excluded.weights, "
                           "updated_at = excluded.updated_at",
    [S_COUNSELOR_LIST] = "SELECT " COUNSELOR_COLS " FROM counselors ORDER BY code",
    [S_CLIENT_INSERT] = "INSERT INTO clients(" CLIENT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_CLIENT_UPDATE] = "UPDATE clients SET name_ct = ?2, phone_ct = ?3, birth_ct = ?4 WHERE id = ?1",
    [S_CLIENT_GET] = "SELECT " CLIENT_COLS " FROM clients WHERE id = ?1",
    [S_CLIENT_COUNT] = "SELECT count(*) FROM clients",
    [S_BIDX_ADD] = "INSERT INTO blind_index(value, client_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    [S_BIDX_CLEAR] = "DELETE FROM blind_index WHERE client_id = ?1",
    [S_BIDX_FIND] = "SELECT client_id FROM blind_index WHERE value = ?1 ORDER BY client_id",
    [S_INTAKE_INSERT] = "INSERT INTO intakes(" INTAKE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [S_INTAKE_GET] = "SELECT " INTAKE_COLS " FROM intakes WHERE id = ?1",
    [S_INTAKE_LIST] = "SELECT " INTAKE_COLS " FROM intakes WHERE client_id = ?1 ORDER BY created_at, rowid",
    /* a draft stays its author's: saving over someone else's changes nothing (and is reported) */
    [S_DRAFT_PUT] = "INSERT INTO drafts(" DRAFT_COLS ") VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
                    "updated_at = excluded.updated_at, body_ct = excluded.body_ct WHERE drafts.staff_id = excluded.staff_id",
    [S_DRAFT_FOR_STAFF] = "SELECT " DRAFT_COLS " FROM drafts WHERE staff_id = ?1 ORDER BY updated_at DESC, rowid DESC "
                          "LIMIT 1",
    [S_DRAFT_DELETE] = "DELETE FROM drafts WHERE id = ?1",
    [S_AUDIT_APPEND] = "INSERT INTO audit(" AUDIT_COLS ") SELECT coalesce(max(seq), 0) + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7 "
                       "FROM audit",
    [S_AUDIT_LAST] = "SELECT " AUDIT_COLS " FROM audit ORDER BY seq DESC LIMIT 1",
    [S_AUDIT_PAGE] = "SELECT " AUDIT_COLS " FROM audit WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    [S_AUDIT_SET_MAC] = "UPDATE audit SET mac = ?2 WHERE seq = ?1",
    [S_SEALED_CLIENTS] = "SELECT rowid, id, name_ct, phone_ct, birth_ct FROM clients WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
    [S_SEALED_INTAKES] = "SELECT rowid, id, body_ct, notes_ct FROM intakes WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
    [S_SEALED_DRAFTS] = "SELECT rowid, id, body_ct FROM drafts WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
    [S_SET_CLIENT_NAME] = "UPDATE clients SET name_ct = ?2 WHERE id = ?1",
    [S_SET_CLIENT_PHONE] = "UPDATE clients SET phone_ct = ?2 WHERE id = ?1",
    [S_SET_CLIENT_BIRTH] = "UPDATE clients SET birth_ct = ?2 WHERE id = ?1",
    [S_SET_INTAKE_BODY] = "UPDATE intakes SET body_ct = ?2 WHERE id = ?1",
    [S_SET_INTAKE_NOTES] = "UPDATE intakes SET notes_ct = ?2 WHERE id = ?1",
    [S_SET_DRAFT_BODY] = "UPDATE drafts SET body_ct = ?2 WHERE id = ?1",
    [S_DATA_VERSION] = "PRAGMA data_version",
    [S_QUEUE_PUT] = "INSERT OR REPLACE INTO queue_items(" QUEUE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                    "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    [S_QUEUE_GET] = "SELECT " QUEUE_COLS " FROM queue_items WHERE id = ?1",
    [S_QUEUE_FOR_CLIENT] = "SELECT " QUEUE_COLS " FROM queue_items WHERE client_id = ?1 AND state <> 'closed' "
                           "ORDER BY created_at DESC LIMIT 1",
    [S_QUEUE_LIST_OPEN] = "SELECT " QUEUE_COLS " FROM queue_items WHERE state <> 'closed'",
    /* the ORDER BY repeats queue_urgency's expressions exactly, so SQLite walks that index */
    [S_QUEUE_FIRST] = "SELECT " QUEUE_COLS " FROM queue_items WHERE state <> 'closed' ORDER BY overdue DESC, (CASE level "
                      "WHEN 'red' THEN 3 WHEN 'orange' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END) DESC, deadline = 0, "
                      "deadline, created_at, id LIMIT ?1",
    [S_QUEUE_DUE] = "SELECT " QUEUE_COLS " FROM queue_items WHERE state <> 'closed' AND deadline > 0 AND deadline <= ?1",
    [S_EVENT_ADD] = "INSERT INTO queue_events(" EVENT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [S_EVENT_LIST] = "SELECT " EVENT_COLS " FROM queue_events WHERE item_id = ?1 ORDER BY at, rowid",
    [S_SEALED_EVENTS] = "SELECT rowid, id, reason_ct FROM queue_events WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
    [S_SET_EVENT_REASON] = "UPDATE queue_events SET reason_ct = ?2 WHERE id = ?1",
    /* grouped by queue_urgency's own leading expressions: SQLite answers it from that index alone, in order
     * (no table rows, no sort), so a desk recounting after every change elsewhere stays cheap */
    [S_QUEUE_COUNTS] = "SELECT overdue, (CASE level WHEN 'red' THEN 3 WHEN 'orange' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 "
                       "END), count(*) FROM queue_items WHERE state <> 'closed' GROUP BY 1, 2",
    /* the same order as S_QUEUE_FIRST (queue_urgency's expressions), so the page is read off that index and
     * stops after offset + limit entries; the filters are checked on the way */
    [S_QUEUE_PAGE] = "SELECT " QUEUE_COLS " FROM queue_items WHERE state <> 'closed' AND (?1 = '' OR level = ?1) "
                     "AND (?2 = 0 OR overdue = 1) AND (?3 = 0 OR match_by_hand = 1) AND (?4 = '' OR "
                     "substr(id, 1, length(?4)) = ?4 OR substr(client_id, 1, length(?4)) = ?4) ORDER BY overdue DESC, "
                     "(CASE level WHEN 'red' THEN 3 WHEN 'orange' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END) DESC, "
                     "deadline = 0, deadline, created_at, id LIMIT ?6 OFFSET ?5",
    [S_QUEUE_ASSIGNED] = "SELECT count(*) FROM queue_items WHERE state <> 'closed' AND counselor = ?1",
    [S_QUEUE_BY_HAND] = "SELECT count(*) FROM queue_items WHERE state <> 'closed' AND match_by_hand = 1",
    /* the red rows only, found through queue_urgency's two leading columns (the planner would otherwise walk
     * every open row) */
    [S_QUEUE_RED] = "SELECT count(*), coalesce(sum(state = 'open'), 0), coalesce(max(level_since), 0) FROM queue_items "
                    "INDEXED BY queue_urgency WHERE state <> 'closed' AND overdue IN (0, 1) AND (CASE level WHEN 'red' "
                    "THEN 3 WHEN 'orange' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END) = 3",
    [S_FACTS_PUT] = "INSERT OR REPLACE INTO intake_facts(" FACTS_COLS ", mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
    [S_FACTS_GET] = "SELECT " FACTS_COLS ", 0, mac FROM intake_facts WHERE id = ?1",
    [S_FACTS_FOR_CLIENT] = "SELECT " FACTS_COLS ", 0, mac FROM intake_facts WHERE client_key = ?1 ORDER BY created_at, id",
    /* one contiguous read: the table is stored in created_at order */
    /* in primary-key order (created_at, id), which the retained episodes' merge relies on */
    [S_FACTS_SCAN] = "SELECT id, level, channel, concerns, age_band, counselor, created_at, kpi_flags, contact_delay, "
                     "suggestions, declines, sessions_attended, last_session_day, confirmed_level FROM intake_facts WHERE "
                     "created_at >= ?1 "
                     "AND created_at < ?2 ORDER BY created_at, id",
    [S_FACTS_REKEY] = "UPDATE intake_facts SET id = ?2, client_key = ?3 WHERE id = ?1",
    [S_FACTS_REKEY_SESSIONS] = "UPDATE outcome_sessions SET facts_id = ?2, client_key = ?3, recorded_by = '' WHERE "
                               "facts_id = ?1",
    [S_OSESSION_ADD] = "INSERT INTO outcome_sessions(" OSESSION_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_OSESSION_LIST] = "SELECT " OSESSION_COLS " FROM outcome_sessions WHERE facts_id = ?1 ORDER BY day, rowid",
    [S_INTAKE_PAGE] = "SELECT rowid, " INTAKE_COLS " FROM intakes WHERE created_at >= ?1 AND created_at < ?2 AND "
                      "(created_at > ?3 OR (created_at = ?3 AND rowid > ?4)) ORDER BY created_at, rowid LIMIT ?5",
    [S_ERASE_OVERWRITE_CLIENT] = "UPDATE clients SET name_ct = randomblob(length(name_ct)), phone_ct = CASE WHEN phone_ct "
                                 "IS NULL THEN NULL ELSE randomblob(length(phone_ct)) END, birth_ct = CASE WHEN birth_ct "
                                 "IS NULL THEN NULL ELSE randomblob(length(birth_ct)) END WHERE id = ?1",
    [S_ERASE_OVERWRITE_INTAKES] = "UPDATE intakes SET body_ct = randomblob(length(body_ct)), notes_ct = CASE WHEN notes_ct "
                                  "IS NULL THEN NULL ELSE randomblob(length(notes_ct)) END WHERE client_id = ?1",
    [S_ERASE_OVERWRITE_REASONS] = "UPDATE queue_events SET reason_ct = randomblob(length(reason_ct)) WHERE reason_ct IS "
                                  "NOT NULL AND item_id IN (SELECT id FROM queue_items WHERE client_id = ?1)",
    [S_ERASE_EVENTS] = "DELETE FROM queue_events WHERE item_id IN (SELECT id FROM queue_items WHERE client_id = ?1)",
    [S_ERASE_ITEMS] = "DELETE FROM queue_items WHERE client_id = ?1",
    [S_ERASE_INTAKES] = "DELETE FROM intakes WHERE client_id = ?1",
    [S_ERASE_CLIENT] = "DELETE FROM clients WHERE id = ?1",
    [S_DRAFTS_BEFORE] = "SELECT " DRAFT_COLS " FROM drafts WHERE updated_at < ?1 ORDER BY updated_at, rowid",
    [S_CLIENTS_CLOSED_BEFORE] = "SELECT c.id FROM clients AS c WHERE EXISTS (SELECT 1 FROM queue_items AS q WHERE "
                                "q.client_id = c.id) AND NOT EXISTS (SELECT 1 FROM queue_items AS q WHERE q.client_id = "
                                "c.id AND (q.state <> 'closed' OR q.updated_at >= ?1)) AND NOT EXISTS (SELECT 1 FROM "
                                "intakes AS i WHERE i.client_id = c.id AND i.created_at >= ?1) ORDER BY c.id",
    [S_DRAFT_OVERWRITE] = "UPDATE drafts SET body_ct = randomblob(length(body_ct)) WHERE id = ?1",
    /* the attended sessions of the range's episodes, in episode then day order, from the covering index */
    [S_FACTS_SESSIONS] = "SELECT intake_at, facts_id, day FROM outcome_sessions INDEXED BY outcome_sessions_time WHERE "
                         "intake_at >= ?1 AND intake_at < ?2 AND attended = 1 ORDER BY intake_at, facts_id, day",
    /* ?1 = 1: only the rows without a MAC */
    [S_ROW_IDS_QUEUE] = "SELECT id FROM queue_items WHERE ?1 = 0 OR mac IS NULL ORDER BY id",
    [S_ROW_IDS_INTAKES] = "SELECT id FROM intakes WHERE ?1 = 0 OR mac IS NULL ORDER BY id",
    [S_ROW_IDS_FACTS] = "SELECT id FROM intake_facts WHERE ?1 = 0 OR mac IS NULL ORDER BY id",
    [S_ROW_MAC_QUEUE] = "UPDATE queue_items SET mac = ?2, mac_state = NULL WHERE id = ?1",
    [S_ROW_MAC_INTAKES] = "UPDATE intakes SET mac = ?2 WHERE id = ?1",
    [S_ROW_MAC_FACTS] = "UPDATE intake_facts SET mac = ?2 WHERE id = ?1",
};

/* The sealed columns: each_sealed walks them, update_sealed accepts exactly these names. */
typedef struct {
    const char *table;
    enum sid page; /* rowid, id, then the sealed columns in this order */
    int ncols;
    const char *cols[3];
} sealed_table;

static const sealed_table sealed_tables[] = {
    {"clients", S_SEALED_CLIENTS, 3, {"name", "phone", "birth"}},
    {"intakes", S_SEALED_INTAKES, 2, {"body", "notes"}},
    {"drafts", S_SEALED_DRAFTS, 1, {"body", NULL, NULL}},
    {"queue_events", S_SEALED_EVENTS, 1, {"reason", NULL, NULL}},
};

static const struct {
    const char *table, *column;
    enum sid set;
    bool optional; /* may be emptied (stored as NULL) */
} sealed_columns[] = {
    {"clients", "name", S_SET_CLIENT_NAME, false},  {"clients", "phone", S_SET_CLIENT_PHONE, true},
    {"clients", "birth", S_SET_CLIENT_BIRTH, true}, {"intakes", "body", S_SET_INTAKE_BODY, false},
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
    /* the file this connection opened, and what became of it (store_sqlite_file.h): once it is anything but
     * DBFILE_SAME this connection writes nothing more, and its WAL's frames were discarded */
    dbfile_mark mark;
    dbfile_verdict file;
    bool file_handled;
};

/* ---- errors ---- */

__attribute__((format(printf, 4, 5))) static store_status put_err(char *err, size_t size, store_status st,
                                                                  const char *fmt, ...) {
    if (err && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, size, fmt, ap);
        va_end(ap);
    }
    return st;
}

__attribute__((format(printf, 3, 4))) static store_status fail(store *s, store_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return st;
}

static store_status status_of(int rc) {
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return ST_OK;
    case SQLITE_FULL: return ST_FULL;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ST_BUSY;
    case SQLITE_READONLY:
    case SQLITE_PERM: return ST_READONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return ST_CORRUPT;
    case SQLITE_CONSTRAINT:
        switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY: return ST_EXISTS;
        case SQLITE_CONSTRAINT_FOREIGNKEY: return ST_NOTFOUND; /* the row it refers to does not exist */
        case SQLITE_CONSTRAINT_CHECK:
        case SQLITE_CONSTRAINT_NOTNULL:
        case SQLITE_CONSTRAINT_DATATYPE:
        case SQLITE_CONSTRAINT_TRIGGER: return ST_INVALID; /* a value the schema refuses; nothing written */
        default: return ST_IO;
        }
    default: return ST_IO;
    }
}

static const char *reason_of(int rc) {
    switch (rc & 0xff) {
    case SQLITE_FULL: return "the disk is full";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "the database is locked by another desk for longer than the busy timeout";
    case SQLITE_READONLY:
    case SQLITE_PERM: return "the database file or its directory is read-only";
    case SQLITE_CORRUPT: return "the database file is damaged";
    case SQLITE_NOTADB: return "the file is not a database";
    case SQLITE_CONSTRAINT:
        switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY: return "a record with that key already exists";
        case SQLITE_CONSTRAINT_FOREIGNKEY: return "a record it refers to does not exist";
        default: return "a value was refused by the schema";
        }
    case SQLITE_IOERR: return "reading or writing the file failed";
    case SQLITE_NOMEM: return "out of memory";
    default: return "SQLite failed";
    }
}

/* A write that failed with ENOSPC is reported by SQLite as SQLITE_FULL, but running out of room for the
 * shared-memory file (opening in WAL mode on a full disk) comes back as an I/O error: the errno says it was
 * the disk being full, which is what a person must be told. */
static int full_if_no_space(sqlite3 *db, int rc) {
    if (db && (rc & 0xff) == SQLITE_IOERR) {
        int e = sqlite3_system_errno(db);
        if (e == ENOSPC || e == EDQUOT) return SQLITE_FULL;
    }
    return rc;
}

static bool is_busy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }

/* ---- the file at the path (store_sqlite_file.h) ---- */

/* Whether the file at the path is still the one this connection opened, written by SQLite alone. The first
 * time it is not, the WAL's frames are discarded (they belong to the old file and would damage the one now
 * at the path) and closing will not checkpoint; from then on this connection refuses every write. */
static bool file_still_ours(store *s) {
    if (s->file == DBFILE_SAME) s->file = dbfile_check(s->db, s->path, &s->mark);
    if (s->file == DBFILE_SAME) return true;
    if (!s->file_handled) {
        if (s->file != DBFILE_DISCARDED) dbfile_discard_wal(s->db); /* else another desk did */
        (void)sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
        s->file_handled = true;
    }
    return false;
}

/* The message for a connection whose file was replaced (fail() keeps it as the store's error). */
static store_status fail_replaced(store *s, const char *what) {
    return fail(s, ST_IO,
                "Database %s: the file %s; it was left as it is now and nothing was written (%s). Quit every "
                "desk on it and start triage again to use the file now at that path; restore backups only with "
                "`triage restore`.",
                s->path, dbfile_verdict_text(s->file), what);
}

/* Runs after every commit in place of SQLite's automatic checkpoint, which would copy the WAL into whatever
 * file is at the path now: the same 1000-frame threshold, but only while the file is still this one. */
static int checkpoint_if_ours(void *ctx, sqlite3 *db, const char *name, int frames) {
    store *s = ctx;
    if (frames < 1000) return SQLITE_OK;
    if (!file_still_ours(s)) return SQLITE_OK;
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL); /* busy: next commit */
    (void)dbfile_mark_take(db, s->path, &s->mark); /* this connection's own write of the file */
    return SQLITE_OK;
}

/* Kinds of failure after which SQLite may already have rolled the transaction back, or left it in a state
 * that must not be committed: the transaction is ended so that "nothing was written" holds. */
static bool ends_transaction(int rc) {
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return true;
    default: return false;
    }
}

static void stmt_done(sqlite3_stmt *st);

static void do_rollback(store *s) {
    if (sqlite3_get_autocommit(s->db)) return;
    sqlite3_stmt *st = s->st[S_ROLLBACK];
    int rc = SQLITE_OK;
    if (!st) {
        rc = sqlite3_prepare_v3(s->db, sql_text[S_ROLLBACK], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc == SQLITE_OK) s->st[S_ROLLBACK] = st;
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        stmt_done(st);
    }
    /* a rollback that fails leaves nothing better to do: SQLite rolls back a hot journal or ignores an
     * uncommitted WAL tail the next time the database is opened */
    (void)rc;
}

/* Sets the message for an SQLite failure: "Database PATH: could not WHAT: REASON (SQLite's words)." */
__attribute__((format(printf, 3, 4))) static store_status fail_rc(store *s, int rc, const char *what, ...) {
    char w[256];
    va_list ap;
    va_start(ap, what);
    vsnprintf(w, sizeof w, what, ap);
    va_end(ap);
    rc = full_if_no_space(s->db, rc);
    char detail[256];
    snprintf(detail, sizeof detail, "%s", s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    bool rolled = false;
    if (s->db && ends_transaction(rc) && !sqlite3_get_autocommit(s->db)) {
        do_rollback(s);
        rolled = true;
    }
    fail(s, ST_IO, "Database %s: could not %s: %s (%s)%s.", s->path, w, reason_of(rc), detail,
         rolled ? "; the transaction was rolled back, nothing was written" : "");
    return status_of(rc);
}

/* ---- statements: prepare once, bind, step, reset ---- */

static int stmt(store *s, enum sid id, sqlite3_stmt **out) {
    *out = NULL;
    if (!s->st[id]) {
        int rc = sqlite3_prepare_v3(s->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT, &s->st[id], NULL);
        if (rc != SQLITE_OK) {
            s->st[id] = NULL;
            return rc;
        }
    }
    *out = s->st[id];
    return SQLITE_OK;
}

/* Makes a cached statement ready for its next use. sqlite3_reset only repeats the code of the last step,
 * already handled by the caller, and sqlite3_clear_bindings always succeeds. */
static void stmt_done(sqlite3_stmt *st) {
    if (!st) return;
    (void)sqlite3_reset(st);
    (void)sqlite3_clear_bindings(st);
}

/* Binding helpers: each passes on an earlier failure untouched, so a chain reports the first one. */
static int b_text(sqlite3_stmt *st, int i, const char *v, int rc) {
    return rc != SQLITE_OK ? rc : sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static int b_text_or_null(sqlite3_stmt *st, int i, const char *v, int rc) {
    if (rc != SQLITE_OK) return rc;
    return v[0] ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static int b_int(sqlite3_stmt *st, int i, int64_t v, int rc) {
    return rc != SQLITE_OK ? rc : sqlite3_bind_int64(st, i, v);
}

/* A blob, zero-length included (stored as an empty blob, not NULL). */
static int b_blob(sqlite3_stmt *st, int i, const void *p, size_t n, int rc) {
    if (rc != SQLITE_OK) return rc;
    if (n == 0) return sqlite3_bind_zeroblob(st, i, 0);
    return sqlite3_bind_blob64(st, i, p, (sqlite3_uint64)n, SQLITE_STATIC);
}

/* An optional sealed value: empty is NULL. */
static int b_blob_or_null(sqlite3_stmt *st, int i, const void *p, size_t n, int rc) {
    if (rc != SQLITE_OK) return rc;
    if (n == 0) return sqlite3_bind_null(st, i);
    return sqlite3_bind_blob64(st, i, p, (sqlite3_uint64)n, SQLITE_STATIC);
}

/* Steps a statement that returns no rows; *changes gets the number of rows it changed. */
static int step_done(store *s, sqlite3_stmt *st, int *changes) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
        if (changes) *changes = sqlite3_changes(s->db);
    } else if (rc == SQLITE_ROW) {
        rc = SQLITE_MISUSE;
    }
    stmt_done(st);
    return rc;
}

/* Runs a bound write statement; after a binding failure (rc) only makes it ready for its next use. */
static int run_write(store *s, sqlite3_stmt *st, int rc, int *changes) {
    if (rc != SQLITE_OK) {
        stmt_done(st);
        return rc;
    }
    return step_done(s, st, changes);
}

/* Runs a constant script of one or more statements (migrations, pragmas), each prepared in turn. */
static int exec_script(sqlite3 *db, const char *sql) {
    const char *tail = sql;
    while (tail && *tail) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db, tail, -1, &st, &tail);
        if (rc != SQLITE_OK) return rc;
        if (!st) continue; /* only white space or a comment was left */
        do rc = sqlite3_step(st);
        while (rc == SQLITE_ROW);
        int frc = sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return rc;
        if (frc != SQLITE_OK) return frc;
    }
    return SQLITE_OK;
}

/* The first column of the first row of a constant query. */
static int query_int(sqlite3 *db, const char *sql, int64_t *out) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_ERROR;
    }
    int frc = sqlite3_finalize(st);
    return rc != SQLITE_OK ? rc : frc;
}

static int query_text(sqlite3 *db, const char *sql, char *buf, size_t size) {
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, size, "%s", t ? (const char *)t : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_ERROR;
    }
    int frc = sqlite3_finalize(st);
    return rc != SQLITE_OK ? rc : frc;
}

/* BEGIN IMMEDIATE on a raw connection, retried when busy_timeout ran out. */
static int begin_raw(sqlite3 *db) {
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt <= LOCK_RETRIES; attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS * attempt); /* returns the time slept */
        rc = exec_script(db, "BEGIN IMMEDIATE");
        if (!is_busy(rc)) break;
    }
    return rc;
}

static int commit_raw(sqlite3 *db) {
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt <= LOCK_RETRIES; attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS * attempt);
        rc = exec_script(db, "COMMIT");
        if (!is_busy(rc)) break;
    }
    return rc;
}

/* ---- reading rows ---- */

typedef struct {
    sqlite3_stmt *st;
    const char *table;
    const char *row; /* the row's id once read */
    const char *bad; /* the first damaged column, or NULL */
} reader;

static void rd_bad(reader *r, const char *col) {
    if (!r->bad) r->bad = col;
}

static void rd_text(reader *r, int i, const char *col, char *buf, size_t size, bool nullable) {
    buf[0] = '\0';
    int t = sqlite3_column_type(r->st, i);
    if (t == SQLITE_NULL) {
        if (!nullable) rd_bad(r, col);
        return;
    }
    if (t != SQLITE_TEXT) {
        rd_bad(r, col);
        return;
    }
    const unsigned char *p = sqlite3_column_text(r->st, i);
    int n = sqlite3_column_bytes(r->st, i);
    if (!p || n < 0 || (size_t)n >= size || memchr(p, '\0', (size_t)n)) {
        rd_bad(r, col);
        return;
    }
    memcpy(buf, p, (size_t)n);
    buf[n] = '\0';
}

static int64_t rd_int(reader *r, int i, const char *col, int64_t lo, int64_t hi) {
    if (sqlite3_column_type(r->st, i) != SQLITE_INTEGER) {
        rd_bad(r, col);
        return 0;
    }
    int64_t v = sqlite3_column_int64(r->st, i);
    if (v < lo || v > hi) {
        rd_bad(r, col);
        return 0;
    }
    return v;
}

/* A blob that must have exactly n bytes (key material, hashes). */
static void rd_fixed(reader *r, int i, const char *col, unsigned char *dst, size_t n) {
    memset(dst, 0, n);
    if (sqlite3_column_type(r->st, i) != SQLITE_BLOB) {
        rd_bad(r, col);
        return;
    }
    const void *p = sqlite3_column_blob(r->st, i);
    int len = sqlite3_column_bytes(r->st, i);
    if (!p || len < 0 || (size_t)len != n) {
        rd_bad(r, col);
        return;
    }
    memcpy(dst, p, n);
}

/* A row MAC: NULL or anything but 32 bytes reads as "no MAC" (core/rowmac.c then decides: after the upgrade
 * a row without its MAC is tampering), so a damaged MAC never hides the row itself. */
static void rd_mac(reader *r, int i, unsigned char dst[VAULT_MAC_BYTES], bool *has) {
    memset(dst, 0, VAULT_MAC_BYTES);
    *has = false;
    const void *p = sqlite3_column_type(r->st, i) == SQLITE_BLOB ? sqlite3_column_blob(r->st, i) : NULL;
    if (!p || sqlite3_column_bytes(r->st, i) != VAULT_MAC_BYTES) return;
    memcpy(dst, p, VAULT_MAC_BYTES);
    *has = true;
}

/* A sealed value: copied into malloc'd memory; NULL (allowed when nullable) and empty give {NULL, 0}. */
static void rd_blob(reader *r, int i, const char *col, blob *out, bool nullable) {
    out->p = NULL;
    out->n = 0;
    int t = sqlite3_column_type(r->st, i);
    if (t == SQLITE_NULL) {
        if (!nullable) rd_bad(r, col);
        return;
    }
    if (t != SQLITE_BLOB) {
        rd_bad(r, col);
        return;
    }
    const void *p = sqlite3_column_blob(r->st, i);
    int len = sqlite3_column_bytes(r->st, i);
    if (len < 0 || (len > 0 && !p)) {
        rd_bad(r, col);
        return;
    }
    if (len == 0) return;
    out->p = xcalloc((size_t)len, 1);
    memcpy(out->p, p, (size_t)len);
    out->n = (size_t)len;
}

static store_status rd_end(store *s, const reader *r) {
    if (!r->bad) return ST_OK;
    return fail(s, ST_CORRUPT, "Database %s: table %s, row %s: the %s column is damaged (wrong type, length or value).",
                s->path, r->table, r->row && r->row[0] ? r->row : "(unreadable id)", r->bad);
}

static store_status read_staff(store *s, sqlite3_stmt *st, staff_rec *o) {
    reader r = {st, "staff", NULL, NULL};
    memset(o, 0, sizeof *o);
    rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    rd_text(&r, 1, "name", o->name, sizeof o->name, false);
    char role[16];
    rd_text(&r, 2, "role", role, sizeof role, false);
    if (!r.bad && !staff_role_parse(role, &o->role)) rd_bad(&r, "role");
    rd_fixed(&r, 3, "public_key", o->keys.public_key, sizeof o->keys.public_key);
    rd_fixed(&r, 4, "wrapped_secret", o->keys.wrapped_secret, sizeof o->keys.wrapped_secret);
    o->keys.kdf.alg = (int)rd_int(&r, 5, "kdf_alg", INT_MIN, INT_MAX);
    o->keys.kdf.opslimit = (uint64_t)rd_int(&r, 6, "kdf_ops", 0, INT64_MAX);
    o->keys.kdf.memlimit = (uint64_t)rd_int(&r, 7, "kdf_mem", 0, INT64_MAX);
    rd_fixed(&r, 8, "kdf_salt", o->keys.kdf.salt, sizeof o->keys.kdf.salt);
    rd_fixed(&r, 9, "sealed_data_key", o->keys.sealed_data_key, sizeof o->keys.sealed_data_key);
    o->locked = rd_int(&r, 10, "locked", 0, 1) != 0;
    o->failed_logins = (int)rd_int(&r, 11, "failed_logins", 0, INT_MAX);
    o->last_failed_at = rd_int(&r, 12, "last_failed_at", INT64_MIN, INT64_MAX);
    o->created_at = rd_int(&r, 13, "created_at", INT64_MIN, INT64_MAX);
    return rd_end(s, &r);
}

static store_status read_counselor(store *s, sqlite3_stmt *st, counselor_rec *o) {
    reader r = {st, "counselors", NULL, NULL};
    memset(o, 0, sizeof *o);
    rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    rd_text(&r, 1, "code", o->code, sizeof o->code, false);
    rd_text(&r, 2, "name", o->name, sizeof o->name, false);
    rd_text(&r, 3, "gender", o->gender, sizeof o->gender, false);
    rd_text(&r, 4, "languages", o->languages, sizeof o->languages, false);
    rd_text(&r, 5, "orientations", o->orientations, sizeof o->orientations, false);
    o->high_risk = rd_int(&r, 6, "high_risk", 0, 1) != 0;
    o->available = rd_int(&r, 7, "available", 0, 1) != 0;
    o->capacity = (int)rd_int(&r, 8, "capacity", 0, INT_MAX);
    o->caseload = (int)rd_int(&r, 9, "caseload", 0, INT_MAX);
    rd_text(&r, 10, "weights", o->weights, sizeof o->weights, false);
    o->updated_at = rd_int(&r, 11, "updated_at", INT64_MIN, INT64_MAX);
    return rd_end(s, &r);
}

static store_status read_client(store *s, sqlite3_stmt *st, client_rec *o) {
    reader r = {st, "clients", NULL, NULL};
    memset(o, 0, sizeof *o);
    rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    o->created_at = rd_int(&r, 1, "created_at", INT64_MIN, INT64_MAX);
    rd_text(&r, 2, "created_by", o->created_by, sizeof o->created_by, false);
    rd_blob(&r, 3, "name_ct", &o->name_ct, false);
    if (!r.bad && o->name_ct.n == 0) rd_bad(&r, "name_ct");
    rd_blob(&r, 4, "phone_ct", &o->phone_ct, true);
    rd_blob(&r, 5, "birth_ct", &o->birth_ct, true);
    store_status x = rd_end(s, &r);
    if (x != ST_OK) client_rec_free(o);
    return x;
}

static bool level_ok(const char *l) {
    return strcmp(l, "red") == 0 || strcmp(l, "orange") == 0 || strcmp(l, "yellow") == 0 || strcmp(l, "green") == 0;
}

static store_status read_intake(store *s, sqlite3_stmt *st, intake_rec *o) {
    reader r = {st, "intakes", NULL, NULL};
    memset(o, 0, sizeof *o);
    rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    rd_text(&r, 1, "client_id", o->client_id, sizeof o->client_id, false);
    o->created_at = rd_int(&r, 2, "created_at", INT64_MIN, INT64_MAX);
    rd_text(&r, 3, "created_by", o->created_by, sizeof o->created_by, false);
    rd_text(&r, 4, "level", o->level, sizeof o->level, false);
    if (!r.bad && !level_ok(o->level)) rd_bad(&r, "level");
    rd_text(&r, 5, "suggested", o->suggested, sizeof o->suggested, true);
    rd_text(&r, 6, "chosen", o->chosen, sizeof o->chosen, true);
    rd_blob(&r, 7, "body_ct", &o->body_ct, false);
    if (!r.bad && o->body_ct.n == 0) rd_bad(&r, "body_ct");
    rd_blob(&r, 8, "notes_ct", &o->notes_ct, true);
    rd_mac(&r, 9, o->mac, &o->has_mac);
    store_status x = rd_end(s, &r);
    if (x != ST_OK) intake_rec_free(o);
    return x;
}

static store_status read_draft(store *s, sqlite3_stmt *st, draft_rec *o) {
    reader r = {st, "drafts", NULL, NULL};
    memset(o, 0, sizeof *o);
    rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    rd_text(&r, 1, "staff_id", o->staff_id, sizeof o->staff_id, false);
    o->updated_at = rd_int(&r, 2, "updated_at", INT64_MIN, INT64_MAX);
    rd_blob(&r, 3, "body_ct", &o->body_ct, false);
    if (!r.bad && o->body_ct.n == 0) rd_bad(&r, "body_ct");
    store_status x = rd_end(s, &r);
    if (x != ST_OK) draft_rec_free(o);
    return x;
}

static store_status read_audit(store *s, sqlite3_stmt *st, audit_rec *o) {
    char row[24] = "";
    reader r = {st, "audit", row, NULL};
    memset(o, 0, sizeof *o);
    o->seq = rd_int(&r, 0, "seq", 1, INT64_MAX);
    snprintf(row, sizeof row, "%" PRId64, o->seq);
    o->at = rd_int(&r, 1, "at", INT64_MIN, INT64_MAX);
    rd_text(&r, 2, "staff_id", o->staff_id, sizeof o->staff_id, true);
    rd_text(&r, 3, "action", o->action, sizeof o->action, false);
    rd_text(&r, 4, "object_id", o->object_id, sizeof o->object_id, false);
    rd_text(&r, 5, "detail", o->detail, sizeof o->detail, false);
    rd_fixed(&r, 6, "hash", o->hash, sizeof o->hash);
    if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
        rd_fixed(&r, 7, "mac", o->mac, sizeof o->mac);
        o->has_mac = true;
    }
    return rd_end(s, &r);
}

/* ---- argument checks ---- */

/* An id: 1 to 36 printable ASCII characters, no space (a UUID fits; nothing that could garble a message). */
static bool id_ok(const char *id) {
    if (!id || !id[0]) return false;
    size_t n = strnlen(id, STORE_ID_LEN);
    if (n >= STORE_ID_LEN) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] <= 0x20 || (unsigned char)id[i] >= 0x7f) return false;
    return true;
}

/* A text field of a record: NUL-terminated inside its array. */
static bool field_ok(const char *buf, size_t size) { return memchr(buf, '\0', size) != NULL; }

/* An optional id field (suggested, chosen, staff_id of an audit entry): "" or an id. */
static bool opt_id_ok(const char *buf, size_t size) { return field_ok(buf, size) && (!buf[0] || id_ok(buf)); }

static bool blob_ok(const blob *b, bool required) {
    if (b->n > 0 && !b->p) return false;
    if (required && b->n == 0) return false;
    return b->n <= (size_t)INT_MAX; /* SQLite's own limit is lower still (SQLITE_MAX_LENGTH) */
}

__attribute__((format(printf, 3, 4))) static store_status invalid(store *s, const char *what, const char *why, ...) {
    char w[256];
    va_list ap;
    va_start(ap, why);
    vsnprintf(w, sizeof w, why, ap);
    va_end(ap);
    return fail(s, ST_INVALID, "Database %s: could not %s: %s.", s->path, what, w);
}

/* Every write runs inside begin()/commit(). */
static store_status need_txn(store *s, const char *what) {
    if (sqlite3_get_autocommit(s->db)) return invalid(s, what, "writes must run inside a transaction (call begin first)");
    return ST_OK;
}

/* ---- opening ---- */

/* The name of the network filesystem of type f_type, or NULL for a local one. WAL keeps its index in
 * shared memory, which processes on different hosts do not share: SQLite over these corrupts databases.
 * Test hook: TRIAGE_TEST_FSTYPE=<number> (e.g. 0x6969) is checked as well as the real type, so a test can
 * exercise the refusal on a local disk; it can only add a refusal, never lift one. */
static const char *network_fs_of(unsigned long f_type) {
    static const struct {
        uint32_t magic;
        const char *name;
    } nets[] = {
        {0x6969, "NFS"},        {0x517B, "SMB"},           {0xFF534D42, "CIFS"},
        {0xFE534D42, "SMB2"},   {0x65735546, "FUSE (e.g. sshfs)"}, {0x01021997, "9P"},
        {0x00C36400, "Ceph"},   {0x5346414F, "AFS"},       {0x6B414653, "kAFS"},
        {0x73757245, "Coda"},   {0x564C, "NCP"},           {0x0BD00BD0, "Lustre"},
    };
    uint32_t types[2] = {(uint32_t)f_type, 0};
    int ntypes = 1;
    const char *hook = getenv("TRIAGE_TEST_FSTYPE");
    if (hook && *hook) {
        char *end = NULL;
        errno = 0;
        unsigned long v = strtoul(hook, &end, 0);
        if (errno == 0 && end && *end == '\0') types[ntypes++] = (uint32_t)v;
    }
    for (int t = 0; t < ntypes; t++)
        for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++)
            if (types[t] == nets[i].magic) return nets[i].name;
    return NULL;
}

static void dir_of(const char *path, char *dir, size_t size) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

/* The first DB_HEADER_BYTES bytes of a file, through SQLite's own VFS: a plain open()/close() of a database
 * would drop the POSIX locks another connection of this process holds on it. No lock is taken, nothing is
 * created next to the file (no -wal, -shm or journal), nothing is written. A file shorter than the header
 * reads as zeros past its end (*short_file set). */
#define DB_HEADER_BYTES 100
static int read_header(const char *path, unsigned char hdr[DB_HEADER_BYTES], bool *short_file) {
    memset(hdr, 0, DB_HEADER_BYTES);
    *short_file = false;
    sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
    if (!vfs) return SQLITE_ERROR;
    /* room for the double NUL xOpen may look past the name for URI parameters */
    char *full = xcalloc((size_t)vfs->mxPathname + 8, 1);
    int rc = vfs->xFullPathname(vfs, path, vfs->mxPathname + 1, full);
    if (rc == SQLITE_OK) {
        sqlite3_file *f = xcalloc(1, (size_t)vfs->szOsFile);
        int outflags = 0;
        rc = vfs->xOpen(vfs, full, f, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &outflags);
        if (rc == SQLITE_OK) {
            rc = f->pMethods->xRead(f, hdr, DB_HEADER_BYTES, 0);
            if (rc == SQLITE_IOERR_SHORT_READ) {
                *short_file = true;
                rc = SQLITE_OK;
            }
            int crc = f->pMethods->xClose(f);
            if (rc == SQLITE_OK) rc = crc;
        }
        free(f);
    }
    free(full);
    return rc;
}

/* The refusal for an SQLite failure while checking a file that is not open for writing yet. */
static store_status refuse_rc(sqlite3 *db, int rc, const char *path, const char *dir, char *err, size_t size) {
    const char *why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    rc = full_if_no_space(db, rc);
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return put_err(err, size, ST_FULL,
                       "%s cannot be opened: the disk holding %s is full (SQLite needs room for %s-wal and %s-shm; "
                       "%s). Free some space and try again.",
                       path, dir, path, path, why);
    case SQLITE_NOTADB:
        return put_err(err, size, ST_CORRUPT, "%s is not a database (%s); it was left untouched.", path, why);
    case SQLITE_CORRUPT:
        return put_err(err, size, ST_CORRUPT, "%s is damaged (%s); it was left untouched.", path, why);
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return put_err(err, size, ST_READONLY,
                       "%s cannot be opened: its directory %s is read-only, and SQLite needs to create %s-wal and "
                       "%s-shm there (%s).",
                       path, dir, path, path, why);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return put_err(err, size, ST_BUSY, "%s is locked by another program (%s).", path, why);
    default: return put_err(err, size, ST_IO, "%s cannot be read (%s).", path, why);
    }
}

/* An existing, non-empty file, before anything may write to it: an SQLite database, triage's, not newer,
 * with a readable schema. */
static store_status check_existing(const char *path, const char *dir, int busy_ms, char *err, size_t errsize) {
    /* 1. The header alone: magic and application_id. These bytes never change once written (triage sets
     * its application_id before switching to WAL), so the file's own header is authoritative even while
     * another desk checkpoints, or after a checkpoint cut short by a crash or a full disk. A file of another
     * program is refused here without ever being opened as a database. */
    static const unsigned char magic[16] = "SQLite format 3";
    unsigned char hdr[DB_HEADER_BYTES];
    bool short_file = false;
    int rc = read_header(path, hdr, &short_file);
    if (rc != SQLITE_OK) return refuse_rc(NULL, rc, path, dir, err, errsize);
    if (memcmp(hdr, magic, sizeof magic) != 0)
        return put_err(err, errsize, ST_CORRUPT,
                       "%s is not a database (it does not start with the SQLite header); it was left untouched.", path);
    if (short_file)
        return put_err(err, errsize, ST_CORRUPT, "%s is damaged (shorter than the SQLite header); it was left untouched.",
                       path);
    uint32_t app = (uint32_t)hdr[68] << 24 | (uint32_t)hdr[69] << 16 | (uint32_t)hdr[70] << 8 | hdr[71];
    if (app != APP_ID)
        return put_err(err, errsize, ST_NOT_TRIAGE,
                       "%s is not a triage database (application_id 0x%08" PRIX32 ", expected 0x%08X); it was left "
                       "untouched.",
                       path, app, (unsigned)APP_ID);

    /* 2. A normal read-only connection: sees what is committed in the WAL, and parses the schema. */
    sqlite3 *db = NULL;
    store_status st = ST_OK;
    rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_extended_result_codes(db, 1);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(db, busy_ms);
    int64_t objects = 0, ver = 0;
    if (rc == SQLITE_OK) rc = query_int(db, "SELECT count(*) FROM sqlite_schema", &objects);
    if (rc == SQLITE_OK) rc = query_int(db, "PRAGMA user_version", &ver);
    if (rc != SQLITE_OK)
        st = refuse_rc(db, rc, path, dir, err, errsize);
    else if (ver > SCHEMA_VERSION)
        st = put_err(err, errsize, ST_TOO_NEW,
                     "%s was written by a newer triage (schema version %" PRId64
                     "; this program knows versions up to %d); it was left untouched. Install the newer triage.",
                     path, ver, SCHEMA_VERSION);
    else if (ver < 0)
        st = put_err(err, errsize, ST_CORRUPT, "%s has an invalid schema version (%" PRId64 "); it was left untouched.",
                     path, ver);
    (void)sqlite3_close_v2(db);
    return st;
}

/* The forward migrations, from the current version to SCHEMA_VERSION, in one BEGIN IMMEDIATE transaction
 * with user_version and application_id. Other desks opening at the same moment wait, then find nothing to do. */
static store_status migrate(store *s, int64_t ver) {
    if (ver == SCHEMA_VERSION) {
        s->version = (int)ver;
        return ST_OK;
    }
    int rc = begin_raw(s->db);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "start the schema upgrade");
    rc = query_int(s->db, "PRAGMA user_version", &ver);
    if (rc != SQLITE_OK) {
        store_status x = fail_rc(s, rc, "read the schema version");
        do_rollback(s);
        return x;
    }
    if (ver == SCHEMA_VERSION) { /* another desk upgraded it meanwhile */
        do_rollback(s);
        s->version = (int)ver;
        return ST_OK;
    }
    if (ver > SCHEMA_VERSION || ver < 0) {
        do_rollback(s);
        return fail(s, ST_TOO_NEW,
                    "%s was written by a newer triage (schema version %" PRId64
                    "; this program knows versions up to %d).",
                    s->path, ver, SCHEMA_VERSION);
    }
    for (int v = (int)ver; v < SCHEMA_VERSION && rc == SQLITE_OK; v++) {
        rc = exec_script(s->db, migrations[v].sql);
        if (rc == SQLITE_OK) rc = exec_script(s->db, migrations[v].set_version);
        if (rc != SQLITE_OK) {
            store_status x = fail_rc(s, rc, "upgrade the schema to version %d", v + 1);
            do_rollback(s);
            return x;
        }
    }
    int64_t now = 0;
    rc = exec_script(s->db, "PRAGMA application_id = 1414678855"); /* 0x54524947 */
    if (rc == SQLITE_OK) rc = query_int(s->db, "PRAGMA user_version", &now);
    if (rc == SQLITE_OK && now != SCHEMA_VERSION) {
        do_rollback(s);
        return fail(s, ST_IO, "Database %s: the upgrade ended at schema version %" PRId64 " instead of %d.", s->path, now,
                    SCHEMA_VERSION);
    }
    if (rc == SQLITE_OK) rc = commit_raw(s->db);
    if (rc != SQLITE_OK) {
        store_status x = fail_rc(s, rc, "upgrade the schema to version %d", SCHEMA_VERSION);
        do_rollback(s);
        return x;
    }
    s->version = SCHEMA_VERSION;
    return ST_OK;
}

static int64_t now_ms(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* application_id, user_version and the number of schema objects; in a read transaction of its own when
 * own_txn (otherwise inside the caller's). */
static int read_ids(sqlite3 *db, bool own_txn, int64_t *app, int64_t *ver, int64_t *objects) {
    int rc = own_txn ? exec_script(db, "BEGIN") : SQLITE_OK;
    if (rc != SQLITE_OK) return rc;
    rc = query_int(db, "PRAGMA application_id", app);
    if (rc == SQLITE_OK) rc = query_int(db, "PRAGMA user_version", ver);
    if (rc == SQLITE_OK) rc = query_int(db, "SELECT count(*) FROM sqlite_schema", objects);
    if (own_txn) {
        int erc = exec_script(db, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK");
        if (rc == SQLITE_OK) rc = erc;
    }
    return rc;
}

/* Waiting for another desk's lock, for at most busy_ms in all. SQLite's own busy_timeout handler sleeps ever
 * longer, up to 100 ms at a time: with eight desks saving at once the lock was mostly free while every
 * waiter slept (tests/faults/load.sh measured eight desks saving 5x fewer intakes per second than one,
 * p99 330 ms). Short sleeps with jitter hand the lock on as soon as it is free (then: 2x the throughput,
 * p99 60 ms). */
static int busy_wait(void *ctx, int count) {
    store *s = ctx;
    int64_t now = now_ms();
    if (count == 0) s->busy_since = now;
    if (now - s->busy_since >= s->busy_ms) return 0; /* SQLITE_BUSY to the caller, as busy_timeout does */
    s->jitter = s->jitter * 1103515245u + 12345u;
    struct timespec ts = {0, (long)(200 + (s->jitter >> 16) % 800) * 1000}; /* 0.2 to 1 ms */
    (void)nanosleep(&ts, NULL); /* an interrupted sleep only retries sooner */
    return 1;
}

/* The read-write connection on a file that passed check_existing (or is new and empty). */
static store_status connect_rw(store *s) {
    /* a store is used by one thread only: no mutex around every call (a report makes millions of them) */
    int rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "open the database for writing");
    if (sqlite3_db_readonly(s->db, "main") == 1)
        return fail(s, ST_READONLY, "Database %s is read-only; triage needs to write to it.", s->path);
    rc = sqlite3_extended_result_codes(s->db, 1);
    s->jitter = (uint32_t)getpid();
    if (rc == SQLITE_OK) rc = sqlite3_busy_handler(s->db, busy_wait, s);
    /* defensive: no writable_schema, no shadow-table writes; the schema is not trusted to call functions */
    if (rc == SQLITE_OK) rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "configure the connection");

    /* The same checks through this connection, before anything is written: the file may have been
     * replaced since. Read in one transaction, so that another desk creating the database at this instant
     * is seen either before or after, never half-way. */
    int64_t app = 0, ver = 0, objects = 0;
    rc = read_ids(s->db, true, &app, &ver, &objects);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "read the database header");
    if (app != APP_ID) {
        if (app != 0 || ver != 0 || objects != 0)
            return fail(s, ST_NOT_TRIAGE,
                        "%s is not a triage database (application_id 0x%08" PRIX32 "); it was left untouched.",
                        s->path, (uint32_t)app);
        /* A new, empty file: claimed first (rollback journal, atomic), so that a crash at any later point
         * leaves a file that is recognisably triage's and is simply upgraded on the next open. Under the
         * write lock, looking again: another desk may have claimed it meanwhile. */
        rc = begin_raw(s->db);
        if (rc == SQLITE_OK) rc = read_ids(s->db, false, &app, &ver, &objects);
        bool foreign = rc == SQLITE_OK && app != APP_ID && (app != 0 || ver != 0 || objects != 0);
        if (rc == SQLITE_OK && !foreign && app != APP_ID)
            rc = exec_script(s->db, "PRAGMA application_id = 1414678855"); /* 0x54524947 */
        if (rc == SQLITE_OK && !foreign) rc = commit_raw(s->db);
        if (rc != SQLITE_OK) {
            store_status x = fail_rc(s, rc, "claim the new database");
            do_rollback(s);
            return x;
        }
        if (foreign) {
            do_rollback(s);
            return fail(s, ST_NOT_TRIAGE,
                        "%s is not a triage database (application_id 0x%08" PRIX32 "); it was left untouched.",
                        s->path, (uint32_t)app);
        }
    }
    if (ver > SCHEMA_VERSION || ver < 0)
        return fail(s, ST_TOO_NEW,
                    "%s was written by a newer triage (schema version %" PRId64
                    "; this program knows versions up to %d); it was left untouched.",
                    s->path, ver, SCHEMA_VERSION);

    /* Switching to WAL needs the file to itself for an instant. While desks start together on a new file
     * SQLite may answer "busy" at once (to avoid a deadlock) instead of waiting: try again until the busy
     * timeout has passed. Once the file is in WAL mode this is a no-op. */
    char mode[16] = "";
    int64_t deadline = now_ms() + s->busy_ms + LOCK_RETRIES * RETRY_SLEEP_MS;
    for (;;) {
        rc = query_text(s->db, "PRAGMA journal_mode = WAL", mode, sizeof mode);
        if (!is_busy(rc) || now_ms() >= deadline) break;
        (void)sqlite3_sleep(RETRY_SLEEP_MS); /* returns the time slept */
    }
    if (rc != SQLITE_OK) return fail_rc(s, rc, "switch to WAL mode");
    if (strcmp(mode, "wal") != 0)
        return fail(s, ST_IO, "Database %s: could not switch to WAL mode (the journal mode stayed %s).", s->path, mode);
    rc = exec_script(s->db, "PRAGMA synchronous = FULL;"
                            "PRAGMA foreign_keys = ON;"
                            "PRAGMA temp_store = MEMORY;"
                            "PRAGMA secure_delete = ON;"
                            "PRAGMA cell_size_check = ON;");
    if (rc != SQLITE_OK) return fail_rc(s, rc, "configure the database");
    int64_t fk = 0;
    rc = query_int(s->db, "PRAGMA foreign_keys", &fk);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "check foreign keys");
    if (fk != 1) return fail(s, ST_IO, "Database %s: this SQLite cannot enforce foreign keys.", s->path);
    /* the file as opened (its -wal and -shm are open now; while another desk checkpoints, the first check
     * takes the mark); checkpoints only while it stays this file */
    (void)dbfile_mark_take(s->db, s->path, &s->mark);
    if (!file_still_ours(s)) return fail_replaced(s, "it was not opened");
    (void)sqlite3_wal_hook(s->db, checkpoint_if_ours, s);
    return migrate(s, ver);
}

static void sq_close(store *s);

static store_status sq_open(const char *path, bool create, int busy_timeout_ms, store **out, char *err,
                            size_t errsize) {
    if (err && errsize) err[0] = '\0';
    if (out) *out = NULL;
    if (!out || !path || !path[0]) return put_err(err, errsize, ST_INVALID, "No database file was given.");
    if (strlen(path) >= PATH_MAX) return put_err(err, errsize, ST_INVALID, "The database path is too long.");
    if (busy_timeout_ms < 0)
        return put_err(err, errsize, ST_INVALID, "%s: the busy timeout cannot be negative.", path);
    if (sqlite3_libversion_number() < MIN_SQLITE)
        return put_err(err, errsize, ST_IO, "%s: triage needs SQLite 3.37 or newer; this is SQLite %s.", path,
                       sqlite3_libversion());

    char dir[PATH_MAX];
    dir_of(path, dir, sizeof dir);
    struct stat dst;
    if (stat(dir, &dst) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return put_err(err, errsize, ST_IO, "The directory %s for the database %s does not exist.", dir, path);
        return put_err(err, errsize, ST_IO, "The directory %s for the database %s cannot be reached (%s).", dir, path,
                       strerror(errno));
    }
    if (!S_ISDIR(dst.st_mode))
        return put_err(err, errsize, ST_IO, "%s (for the database %s) is not a directory.", dir, path);
    struct statfs fs;
    if (statfs(dir, &fs) != 0)
        return put_err(err, errsize, ST_IO, "Cannot tell which filesystem %s is on (%s).", dir, strerror(errno));
    const char *net = network_fs_of((unsigned long)fs.f_type);
    if (net)
        return put_err(err, errsize, ST_NETWORK_FS,
                       "%s is on a network filesystem (%s): SQLite in WAL mode needs every desk on the same machine "
                       "and a local disk. Move the database to a local disk.",
                       path, net);

    struct stat fst;
    bool created = false;
    for (int pass = 0;; pass++) {
        if (stat(path, &fst) == 0) break;
        if (errno != ENOENT)
            return put_err(err, errsize, ST_IO, "%s cannot be reached (%s).", path, strerror(errno));
        if (!create) return put_err(err, errsize, ST_NOTFOUND, "%s does not exist.", path);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            if (errno == EEXIST && pass == 0) continue; /* another desk created it this instant */
            if (errno == EACCES || errno == EPERM || errno == EROFS)
                return put_err(err, errsize, ST_READONLY, "Cannot create %s: the directory %s is read-only (%s).", path,
                               dir, strerror(errno));
            if (errno == ENOSPC || errno == EDQUOT)
                return put_err(err, errsize, ST_FULL, "Cannot create %s: the disk is full.", path);
            return put_err(err, errsize, ST_IO, "Cannot create %s (%s).", path, strerror(errno));
        }
        if (close(fd) != 0) return put_err(err, errsize, ST_IO, "Cannot create %s (%s).", path, strerror(errno));
        created = true;
        memset(&fst, 0, sizeof fst);
        fst.st_mode = S_IFREG;
        break;
    }
    if (!S_ISREG(fst.st_mode)) return put_err(err, errsize, ST_IO, "%s is not a regular file.", path);
    if (!created) {
        /* a symbolic link may lead elsewhere */
        if (statfs(path, &fs) != 0)
            return put_err(err, errsize, ST_IO, "Cannot tell which filesystem %s is on (%s).", path, strerror(errno));
        net = network_fs_of((unsigned long)fs.f_type);
        if (net)
            return put_err(err, errsize, ST_NETWORK_FS,
                           "%s is on a network filesystem (%s): SQLite in WAL mode needs a local disk. Move the "
                           "database to a local disk.",
                           path, net);
        /* before check_existing: its read-only connection would create -wal and -shm with the file's own
         * (read-only) mode, and that -shm kept the database unwritable after the file was made writable */
        if (eaccess(path, R_OK | W_OK) != 0)
            return put_err(err, errsize, ST_READONLY, "%s is read-only (%s); triage needs to write to it.", path,
                           strerror(errno));
        if (fst.st_size > 0) {
            store_status st = check_existing(path, dir, busy_timeout_ms, err, errsize);
            if (st != ST_OK) return st;
        }
    }
    if (eaccess(path, R_OK | W_OK) != 0)
        return put_err(err, errsize, ST_READONLY, "%s is read-only (%s); triage needs to write to it.", path,
                       strerror(errno));
    if (eaccess(dir, W_OK | X_OK) != 0)
        return put_err(err, errsize, ST_READONLY,
                       "The directory %s is read-only (%s); SQLite needs to create %s-wal and %s-shm next to the "
                       "database.",
                       dir, strerror(errno), path, path);

    /* -wal and -shm left read-only (e.g. by another program) make every write fail: say which file */
    static const char *const side[] = {"-wal", "-shm"};
    for (int i = 0; i < 2; i++) {
        char p[PATH_MAX + 8];
        snprintf(p, sizeof p, "%s%s", path, side[i]);
        if (eaccess(p, F_OK) == 0 && eaccess(p, R_OK | W_OK) != 0)
            return put_err(err, errsize, ST_READONLY, "%s is read-only (%s); triage needs to write to it.", p,
                           strerror(errno));
    }

    store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->busy_ms = busy_timeout_ms;
    store_status st = connect_rw(s);
    if (st != ST_OK) {
        put_err(err, errsize, st, "%s", s->err);
        sq_close(s);
        return st;
    }
    snprintf(s->err, sizeof s->err, "Database %s: no error.", s->path);
    *out = s;
    return ST_OK;
}

static void sq_close(store *s) {
    if (!s) return;
    if (s->db) {
        do_rollback(s);
        /* closing checkpoints the WAL into the file at the path: only if it still is this connection's */
        if (s->mark.taken) (void)file_still_ours(s);
        /* finalize returns the code of the statement's last step, already handled */
        for (int i = 0; i < S_COUNT; i++)
            if (s->st[i]) (void)sqlite3_finalize(s->st[i]);
        /* every statement is finalized, so this closes now (v2 would only defer it otherwise) */
        (void)sqlite3_close_v2(s->db);
    }
    free(s->path);
    free(s);
}

static const char *sq_errmsg(const store *s) { return s ? s->err : "No database is open."; }

static int sq_schema_version(const store *s) { return s ? s->version : -1; }

/* ---- transactions ---- */

static store_status sq_begin(store *s) {
    if (!s) return ST_INVALID;
    if (!sqlite3_get_autocommit(s->db))
        return invalid(s, "start a transaction", "a transaction is already open");
    /* A file moved or deleted under an open desk (e.g. a backup restored with mv over the path): this
     * connection would go on committing into the old, unlinked file, and its WAL (still at PATH-wal) would
     * later be applied to the new file, damaging it. Refuse to write; a new start opens the new file.
     * (tests/faults/store_faults.sh: "replaced while open".) */
    int moved = 0;
    if (s->file == DBFILE_SAME && sqlite3_file_control(s->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK &&
        moved)
        s->file = DBFILE_MOVED;
    /* ...and a file copied over the path (same inode, new content) or found replaced by another desk, the
     * same on tmpfs as on disk (store_sqlite_file.h) */
    if (!file_still_ours(s)) return fail_replaced(s, "a write was refused");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_BEGIN, &st);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "start a transaction");
    for (int attempt = 0; attempt <= LOCK_RETRIES; attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS * attempt); /* returns the time slept */
        rc = step_done(s, st, NULL);
        if (rc == SQLITE_OK) return ST_OK;
        if (!is_busy(rc)) break;
    }
    return fail_rc(s, rc, "start a transaction");
}

static store_status sq_commit(store *s) {
    if (!s) return ST_INVALID;
    if (sqlite3_get_autocommit(s->db)) return invalid(s, "commit", "no transaction is open");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_COMMIT, &st);
    for (int attempt = 0; st && attempt <= LOCK_RETRIES; attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS * attempt);
        rc = step_done(s, st, NULL);
        if (rc == SQLITE_OK) return ST_OK;
        if (!is_busy(rc)) break;
    }
    /* a commit that failed leaves no transaction open: everything is rolled back */
    char detail[256];
    snprintf(detail, sizeof detail, "%s", sqlite3_errmsg(s->db));
    rc = full_if_no_space(s->db, rc);
    do_rollback(s);
    fail(s, ST_IO, "Database %s: could not commit the transaction: %s (%s); it was rolled back, nothing was written.",
         s->path, reason_of(rc), detail);
    return status_of(rc);
}

static void sq_rollback(store *s) {
    if (s && s->db) do_rollback(s);
}

/* ---- meta ---- */

static store_status sq_meta_get(store *s, const char *key, blob *out) {
    if (!s) return ST_INVALID;
    if (out) *out = (blob){NULL, 0};
    if (!out || !key || !key[0]) return invalid(s, "read a setting", "no key or no result was given");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_META_GET, &st);
    rc = b_text(st, 1, key, rc);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        reader r = {st, "meta", key, NULL};
        rd_blob(&r, 0, "value", out, false);
        stmt_done(st);
        store_status x = rd_end(s, &r);
        if (x != ST_OK) blob_free(out);
        return x;
    }
    stmt_done(st);
    if (rc == SQLITE_DONE) return fail(s, ST_NOTFOUND, "Database %s: no setting named %s.", s->path, key);
    return fail_rc(s, rc, "read a setting");
}

static store_status sq_meta_set(store *s, const char *key, const void *value, size_t n) {
    if (!s) return ST_INVALID;
    const char *what = "save a setting";
    if (!key || !key[0] || (n > 0 && !value) || n > (size_t)INT_MAX) return invalid(s, what, "no key, or no value");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_META_SET, &st);
    rc = b_text(st, 1, key, rc);
    rc = b_blob(st, 2, value, n, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "%s", what);
}

/* ---- staff ---- */

static bool staff_ok(const staff_rec *r) {
    return field_ok(r->id, sizeof r->id) && id_ok(r->id) && field_ok(r->name, sizeof r->name) && r->name[0] &&
           (int)r->role >= ROLE_RECEPTION && (int)r->role <= ROLE_SUPERVISOR && r->failed_logins >= 0 &&
           r->keys.kdf.opslimit <= (uint64_t)INT64_MAX && r->keys.kdf.memlimit <= (uint64_t)INT64_MAX;
}

/* ?1 to ?13: everything but created_at */
static int bind_staff(sqlite3_stmt *st, const staff_rec *r, int rc) {
    rc = b_text(st, 1, r->id, rc);
    rc = b_text(st, 2, r->name, rc);
    rc = b_text(st, 3, staff_role_name(r->role), rc);
    rc = b_blob(st, 4, r->keys.public_key, sizeof r->keys.public_key, rc);
    rc = b_blob(st, 5, r->keys.wrapped_secret, sizeof r->keys.wrapped_secret, rc);
    rc = b_int(st, 6, r->keys.kdf.alg, rc);
    rc = b_int(st, 7, (int64_t)r->keys.kdf.opslimit, rc);
    rc = b_int(st, 8, (int64_t)r->keys.kdf.memlimit, rc);
    rc = b_blob(st, 9, r->keys.kdf.salt, sizeof r->keys.kdf.salt, rc);
    rc = b_blob(st, 10, r->keys.sealed_data_key, sizeof r->keys.sealed_data_key, rc);
    rc = b_int(st, 11, r->locked ? 1 : 0, rc);
    rc = b_int(st, 12, r->failed_logins, rc);
    rc = b_int(st, 13, r->last_failed_at, rc);
    return rc;
}

static store_status sq_staff_insert(store *s, const staff_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "add a staff member";
    if (!r || !staff_ok(r)) return invalid(s, what, "the record is missing or incomplete");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_STAFF_INSERT, &st);
    rc = bind_staff(st, r, rc);
    rc = b_int(st, 14, r->created_at, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "add the staff member %s", r->id);
}

static store_status sq_staff_update(store *s, const staff_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "update a staff member";
    if (!r || !staff_ok(r)) return invalid(s, what, "the record is missing or incomplete");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = stmt(s, S_STAFF_UPDATE, &st);
    rc = bind_staff(st, r, rc);
    rc = run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "update the staff member %s", r->id);
    if (changes == 0) return fail(s, ST_NOTFOUND, "Database %s: no staff member %s.", s->path, r->id);
    return ST_OK;
}

/* The one row of statement sid for key, read with read(); ST_NOTFOUND names what was missing. */
static store_status one_row(store *s, enum sid sid, const char *key, store_status (*read)(store *, sqlite3_stmt *, void *),
                            void *out, const char *what) {
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, sid, &st);
    rc = b_text(st, 1, key, rc);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_status x = read(s, st, out);
        stmt_done(st);
        return x;
    }
    stmt_done(st);
    if (rc == SQLITE_DONE) return fail(s, ST_NOTFOUND, "Database %s: no %s %s.", s->path, what, key);
    return fail_rc(s, rc, "read the %s %s", what, key);
}

static store_status rd_staff_one(store *s, sqlite3_stmt *st, void *o) { return read_staff(s, st, o); }
static store_status rd_client_one(store *s, sqlite3_stmt *st, void *o) { return read_client(s, st, o); }
static store_status rd_intake_one(store *s, sqlite3_stmt *st, void *o) { return read_intake(s, st, o); }
static store_status rd_draft_one(store *s, sqlite3_stmt *st, void *o) { return read_draft(s, st, o); }

static store_status staff_one(store *s, enum sid id, const char *key, staff_rec *out, const char *what) {
    return one_row(s, id, key, rd_staff_one, out, what);
}

static store_status sq_staff_by_name(store *s, const char *name, staff_rec *out) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!name || !name[0] || !out) return invalid(s, "find a staff member", "no name or no result was given");
    return staff_one(s, S_STAFF_BY_NAME, name, out, "staff member named");
}

static store_status sq_staff_by_id(store *s, const char *id, staff_rec *out) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!id_ok(id) || !out) return invalid(s, "find a staff member", "no valid id or no result was given");
    return staff_one(s, S_STAFF_BY_ID, id, out, "staff member");
}

/* Grows a result array by one element (zeroed); aborts on out-of-memory like every x* helper. */
static void *grow(void *v, int *cap, int n, size_t elem) {
    if (n < *cap) return v;
    *cap = *cap ? *cap * 2 : 8;
    v = xrealloc(v, (size_t)*cap * elem);
    memset((char *)v + (size_t)n * elem, 0, (size_t)(*cap - n) * elem);
    return v;
}

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

static store_status collect_rows(store *s, sqlite3_stmt *st, int rc, size_t elem, row_reader read, row_drop drop,
                                 void **out, int *n, const char *what);

static store_status list_rows_by(store *s, enum sid sid, list_param p, size_t elem, row_reader read, row_drop drop,
                                 void **out, int *n, const char *what) {
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, sid, &st);
    if (p.text) rc = b_text(st, 1, p.text, rc);
    else if (p.has_int) rc = b_int(st, 1, p.integer, rc);
    return collect_rows(s, st, rc, elem, read, drop, out, n, what);
}

/* Steps a prepared, bound statement (rc: the binding's result) and reads every row into a malloc'd array
 * of elem-size records; resets the statement. */
static store_status collect_rows(store *s, sqlite3_stmt *st, int rc, size_t elem, row_reader read, row_drop drop,
                                 void **out, int *n, const char *what) {
    char *v = NULL;
    int cnt = 0, cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        v = grow(v, &cap, cnt, elem);
        store_status x = read(s, st, v + (size_t)cnt * elem);
        if (x != ST_OK) {
            stmt_done(st);
            for (int i = 0; drop && i < cnt; i++) drop(v + (size_t)i * elem);
            free(v);
            return x;
        }
        cnt++;
        rc = SQLITE_OK;
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        for (int i = 0; drop && i < cnt; i++) drop(v + (size_t)i * elem);
        free(v);
        return fail_rc(s, rc, "%s", what);
    }
    if (cnt == 0) {
        free(v);
        v = NULL;
    }
    *out = v;
    *n = cnt;
    return ST_OK;
}

static store_status list_rows(store *s, enum sid sid, const char *key, size_t elem, row_reader read, row_drop drop,
                              void **out, int *n, const char *what) {
    return list_rows_by(s, sid, (list_param){key, false, 0}, elem, read, drop, out, n, what);
}

static store_status rd_counselor_row(store *s, sqlite3_stmt *st, void *o) { return read_counselor(s, st, o); }

static store_status sq_staff_list(store *s, staff_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(s, "list the staff", "no result was given");
    return list_rows(s, S_STAFF_LIST, NULL, sizeof **out, rd_staff_one, NULL, (void **)out, n, "list the staff");
}

/* ---- counselors ---- */

static store_status sq_counselor_upsert(store *s, const counselor_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "save a counselor";
    if (!r || !field_ok(r->id, sizeof r->id) || !id_ok(r->id) || !field_ok(r->code, sizeof r->code) || !r->code[0] ||
        !field_ok(r->name, sizeof r->name) || !field_ok(r->gender, sizeof r->gender) ||
        !field_ok(r->languages, sizeof r->languages) || !field_ok(r->orientations, sizeof r->orientations) ||
        !field_ok(r->weights, sizeof r->weights) || r->capacity < 0 || r->caseload < 0)
        return invalid(s, what, "the record is missing, incomplete or has a negative count");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_COUNSELOR_UPSERT, &st);
    rc = b_text(st, 1, r->id, rc);
    rc = b_text(st, 2, r->code, rc);
    rc = b_text(st, 3, r->name, rc);
    rc = b_text(st, 4, r->gender, rc);
    rc = b_text(st, 5, r->languages, rc);
    rc = b_text(st, 6, r->orientations, rc);
    rc = b_int(st, 7, r->high_risk ? 1 : 0, rc);
    rc = b_int(st, 8, r->available ? 1 : 0, rc);
    rc = b_int(st, 9, r->capacity, rc);
    rc = b_int(st, 10, r->caseload, rc);
    rc = b_text(st, 11, r->weights, rc);
    rc = b_int(st, 12, r->updated_at, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "save the counselor %s", r->id);
}

static store_status sq_counselor_list(store *s, counselor_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(s, "list the counselors", "no result was given");
    return list_rows(s, S_COUNSELOR_LIST, NULL, sizeof **out, rd_counselor_row, NULL, (void **)out, n,
                     "list the counselors");
}

/* ---- clients ---- */

static bool client_ok(const client_rec *r) {
    return field_ok(r->id, sizeof r->id) && id_ok(r->id) && field_ok(r->created_by, sizeof r->created_by) &&
           id_ok(r->created_by) && blob_ok(&r->name_ct, true) && blob_ok(&r->phone_ct, false) &&
           blob_ok(&r->birth_ct, false);
}

static store_status sq_client_insert(store *s, const client_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "add a client";
    if (!r || !client_ok(r)) return invalid(s, what, "the record is missing or incomplete");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_CLIENT_INSERT, &st);
    rc = b_text(st, 1, r->id, rc);
    rc = b_int(st, 2, r->created_at, rc);
    rc = b_text(st, 3, r->created_by, rc);
    rc = b_blob(st, 4, r->name_ct.p, r->name_ct.n, rc);
    rc = b_blob_or_null(st, 5, r->phone_ct.p, r->phone_ct.n, rc);
    rc = b_blob_or_null(st, 6, r->birth_ct.p, r->birth_ct.n, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "add the client %s", r->id);
}

/* The sealed fields only: id, created_at and created_by are the record's provenance. */
static store_status sq_client_update(store *s, const client_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "update a client";
    if (!r || !field_ok(r->id, sizeof r->id) || !id_ok(r->id) || !blob_ok(&r->name_ct, true) ||
        !blob_ok(&r->phone_ct, false) || !blob_ok(&r->birth_ct, false))
        return invalid(s, what, "the record is missing or incomplete");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = stmt(s, S_CLIENT_UPDATE, &st);
    rc = b_text(st, 1, r->id, rc);
    rc = b_blob(st, 2, r->name_ct.p, r->name_ct.n, rc);
    rc = b_blob_or_null(st, 3, r->phone_ct.p, r->phone_ct.n, rc);
    rc = b_blob_or_null(st, 4, r->birth_ct.p, r->birth_ct.n, rc);
    rc = run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "update the client %s", r->id);
    if (changes == 0) return fail(s, ST_NOTFOUND, "Database %s: no client %s.", s->path, r->id);
    return ST_OK;
}

static store_status sq_client_get(store *s, const char *id, client_rec *out) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!id_ok(id) || !out) return invalid(s, "read a client", "no valid id or no result was given");
    return one_row(s, S_CLIENT_GET, id, rd_client_one, out, "client");
}

static store_status sq_client_count(store *s, int64_t *n) {
    if (!s) return ST_INVALID;
    if (n) *n = 0;
    if (!n) return invalid(s, "count the clients", "no result was given");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_CLIENT_COUNT, &st);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    stmt_done(st);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "count the clients");
}

/* ---- blind index ---- */

static store_status sq_bidx_add(store *s, uint32_t value, const char *client_id) {
    if (!s) return ST_INVALID;
    const char *what = "add a search entry";
    if (!id_ok(client_id)) return invalid(s, what, "no valid client id was given");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_BIDX_ADD, &st);
    rc = b_int(st, 1, (int64_t)value, rc);
    rc = b_text(st, 2, client_id, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "add a search entry for the client %s", client_id);
}

static store_status sq_bidx_clear(store *s, const char *client_id) {
    if (!s) return ST_INVALID;
    const char *what = "clear the search entries";
    if (!id_ok(client_id)) return invalid(s, what, "no valid client id was given");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_BIDX_CLEAR, &st);
    rc = b_text(st, 1, client_id, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "clear the search entries of the client %s", client_id);
}

/* Lists of ids (one text column): the row readers of collect_rows. */
static store_status rd_id_column(store *s, sqlite3_stmt *st, void *o, const char *table, const char *col) {
    reader r = {st, table, NULL, NULL};
    rd_text(&r, 0, col, o, STORE_ID_LEN, false);
    return rd_end(s, &r);
}
static store_status rd_bidx_id(store *s, sqlite3_stmt *st, void *o) { return rd_id_column(s, st, o, "blind_index", "client_id"); }
static store_status rd_clients_id(store *s, sqlite3_stmt *st, void *o) { return rd_id_column(s, st, o, "clients", "id"); }

static store_status sq_bidx_find(store *s, uint32_t value, char (**ids)[STORE_ID_LEN], int *n) {
    if (!s) return ST_INVALID;
    if (ids) *ids = NULL;
    if (n) *n = 0;
    if (!ids || !n) return invalid(s, "search the clients", "no result was given");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_BIDX_FIND, &st);
    rc = b_int(st, 1, (int64_t)value, rc);
    return collect_rows(s, st, rc, sizeof **ids, rd_bidx_id, NULL, (void **)ids, n, "search the clients");
}

/* ---- intakes ---- */

static store_status sq_intake_insert(store *s, const intake_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "add an intake";
    if (!r || !field_ok(r->id, sizeof r->id) || !id_ok(r->id) || !field_ok(r->client_id, sizeof r->client_id) ||
        !id_ok(r->client_id) || !field_ok(r->created_by, sizeof r->created_by) || !id_ok(r->created_by) ||
        !field_ok(r->level, sizeof r->level) || !level_ok(r->level) || !opt_id_ok(r->suggested, sizeof r->suggested) ||
        !opt_id_ok(r->chosen, sizeof r->chosen) || !blob_ok(&r->body_ct, true) || !blob_ok(&r->notes_ct, false))
        return invalid(s, what, "the record is missing or incomplete");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_INTAKE_INSERT, &st);
    rc = b_text(st, 1, r->id, rc);
    rc = b_text(st, 2, r->client_id, rc);
    rc = b_int(st, 3, r->created_at, rc);
    rc = b_text(st, 4, r->created_by, rc);
    rc = b_text(st, 5, r->level, rc);
    rc = b_text_or_null(st, 6, r->suggested, rc);
    rc = b_text_or_null(st, 7, r->chosen, rc);
    rc = b_blob(st, 8, r->body_ct.p, r->body_ct.n, rc);
    rc = b_blob_or_null(st, 9, r->notes_ct.p, r->notes_ct.n, rc);
    rc = b_blob_or_null(st, 10, r->mac, r->has_mac ? VAULT_MAC_BYTES : 0, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "add the intake %s", r->id);
}

static store_status sq_intake_get(store *s, const char *id, intake_rec *out) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!id_ok(id) || !out) return invalid(s, "read an intake", "no valid id or no result was given");
    return one_row(s, S_INTAKE_GET, id, rd_intake_one, out, "intake");
}

static void drop_intake(void *r) { intake_rec_free(r); }

static store_status sq_intake_list_for_client(store *s, const char *client_id, intake_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!id_ok(client_id) || !out || !n)
        return invalid(s, "list the intakes of a client", "no valid client id or no result was given");
    return list_rows(s, S_INTAKE_LIST, client_id, sizeof **out, rd_intake_one, drop_intake, (void **)out, n,
                     "list the intakes of a client");
}

/* ---- escalation queues ---- */

static store_status read_queue(store *s, sqlite3_stmt *st, queue_rec *o) {
    reader r = {st, "queue_items", NULL, NULL};
    memset(o, 0, sizeof *o);
    rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    rd_text(&r, 1, "client_id", o->client_id, sizeof o->client_id, false);
    rd_text(&r, 2, "intake_id", o->intake_id, sizeof o->intake_id, false);
    rd_text(&r, 3, "level", o->level, sizeof o->level, false);
    rd_text(&r, 4, "state", o->state, sizeof o->state, false);
    rd_text(&r, 5, "outcome", o->outcome, sizeof o->outcome, false);
    rd_text(&r, 6, "pending_level", o->pending_level, sizeof o->pending_level, true);
    rd_text(&r, 7, "counselor", o->counselor, sizeof o->counselor, true);
    o->created_at = rd_int(&r, 8, "created_at", INT64_MIN, INT64_MAX);
    o->level_since = rd_int(&r, 9, "level_since", INT64_MIN, INT64_MAX);
    o->deadline = rd_int(&r, 10, "deadline", INT64_MIN, INT64_MAX);
    o->updated_at = rd_int(&r, 11, "updated_at", INT64_MIN, INT64_MAX);
    o->overdue = rd_int(&r, 12, "overdue", 0, 1) != 0;
    o->match_by_hand = rd_int(&r, 13, "match_by_hand", 0, 1) != 0;
    o->escalations = (int)rd_int(&r, 14, "escalations", 0, INT_MAX);
    o->declines_in_row = (int)rd_int(&r, 15, "declines_in_row", 0, INT_MAX);
    o->contact_attempts = (int)rd_int(&r, 16, "contact_attempts", 0, INT_MAX);
    rd_mac(&r, 17, o->mac, &o->has_mac);
    const void *ms = sqlite3_column_type(st, 18) == SQLITE_BLOB ? sqlite3_column_blob(st, 18) : NULL;
    int msn = ms ? sqlite3_column_bytes(st, 18) : 0;
    if (ms && msn > 0 && (size_t)msn <= sizeof o->mac_state) {
        memcpy(o->mac_state, ms, (size_t)msn);
        o->mac_state_n = (size_t)msn;
    }
    if (!r.bad && !level_ok(o->level)) rd_bad(&r, "level");
    return rd_end(s, &r);
}

static store_status read_event(store *s, sqlite3_stmt *st, queue_event_rec *o) {
    reader r = {st, "queue_events", NULL, NULL};
    memset(o, 0, sizeof *o);
    rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    rd_text(&r, 1, "item_id", o->item_id, sizeof o->item_id, false);
    o->at = rd_int(&r, 2, "at", INT64_MIN, INT64_MAX);
    rd_text(&r, 3, "staff_id", o->staff_id, sizeof o->staff_id, true);
    rd_text(&r, 4, "action", o->action, sizeof o->action, false);
    rd_text(&r, 5, "from_state", o->from_state, sizeof o->from_state, false);
    rd_text(&r, 6, "to_state", o->to_state, sizeof o->to_state, false);
    rd_text(&r, 7, "level_before", o->level_before, sizeof o->level_before, false);
    rd_text(&r, 8, "level_after", o->level_after, sizeof o->level_after, false);
    rd_blob(&r, 9, "reason_ct", &o->reason_ct, true);
    store_status x = rd_end(s, &r);
    if (x != ST_OK) queue_event_rec_free(o);
    return x;
}

static store_status sq_queue_put(store *s, const queue_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "save a queue item";
    if (!r || !field_ok(r->id, sizeof r->id) || !id_ok(r->id) || !field_ok(r->client_id, sizeof r->client_id) ||
        !id_ok(r->client_id) || !field_ok(r->intake_id, sizeof r->intake_id) || !id_ok(r->intake_id) ||
        !field_ok(r->level, sizeof r->level) || !level_ok(r->level) || !field_ok(r->state, sizeof r->state) ||
        !field_ok(r->outcome, sizeof r->outcome) || !field_ok(r->pending_level, sizeof r->pending_level) ||
        !field_ok(r->counselor, sizeof r->counselor) || r->escalations < 0 || r->declines_in_row < 0 ||
        r->contact_attempts < 0 || r->mac_state_n > sizeof r->mac_state)
        return invalid(s, what, "the record is missing, incomplete or has a negative count");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_QUEUE_PUT, &st);
    rc = b_text(st, 1, r->id, rc);
    rc = b_text(st, 2, r->client_id, rc);
    rc = b_text(st, 3, r->intake_id, rc);
    rc = b_text(st, 4, r->level, rc);
    rc = b_text(st, 5, r->state, rc);
    rc = b_text(st, 6, r->outcome, rc);
    rc = b_text_or_null(st, 7, r->pending_level, rc);
    rc = b_text_or_null(st, 8, r->counselor, rc);
    rc = b_int(st, 9, r->created_at, rc);
    rc = b_int(st, 10, r->level_since, rc);
    rc = b_int(st, 11, r->deadline, rc);
    rc = b_int(st, 12, r->updated_at, rc);
    rc = b_int(st, 13, r->overdue ? 1 : 0, rc);
    rc = b_int(st, 14, r->match_by_hand ? 1 : 0, rc);
    rc = b_int(st, 15, r->escalations, rc);
    rc = b_int(st, 16, r->declines_in_row, rc);
    rc = b_int(st, 17, r->contact_attempts, rc);
    rc = b_blob_or_null(st, 18, r->mac, r->has_mac ? VAULT_MAC_BYTES : 0, rc);
    rc = b_blob_or_null(st, 19, r->mac_state, r->mac_state_n, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "save the queue item %s", r->id);
}

/* One queue row by a key, with statement sid. */
static store_status rd_queue_one(store *s, sqlite3_stmt *st, void *o) { return read_queue(s, st, o); }

static store_status queue_one(store *s, enum sid sid, const char *key, queue_rec *out, const char *what) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!id_ok(key) || !out) return invalid(s, what, "no valid id or no result was given");
    return one_row(s, sid, key, rd_queue_one, out, "queue item for");
}

static store_status sq_queue_get(store *s, const char *id, queue_rec *out) {
    return queue_one(s, S_QUEUE_GET, id, out, "read the queue item");
}

static store_status sq_queue_open_for_client(store *s, const char *client_id, queue_rec *out) {
    return queue_one(s, S_QUEUE_FOR_CLIENT, client_id, out, "read the open queue item of the client");
}

static store_status rd_event_row(store *s, sqlite3_stmt *st, void *o) { return read_event(s, st, o); }
static void drop_event(void *r) { queue_event_rec_free(r); }

static store_status sq_queue_first(store *s, int limit, queue_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n || limit < 1) return invalid(s, "read the first page of the queues", "no limit or no result given");
    return list_rows_by(s, S_QUEUE_FIRST, (list_param){NULL, true, limit}, sizeof **out, rd_queue_one, NULL, (void **)out, n,
                         "read the first page of the queues");
}

static store_status sq_queue_due(store *s, int64_t now, queue_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(s, "read the items falling due", "no result was given");
    return list_rows_by(s, S_QUEUE_DUE, (list_param){NULL, true, now}, sizeof **out, rd_queue_one, NULL, (void **)out, n,
                        "read the items falling due");
}

/* Steps a statement that yields one row of integers into v[0..n). */
static int one_row_ints(store *s, enum sid sid, int64_t *v, int n) {
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, sid, &st);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        for (int i = 0; i < n; i++) v[i] = sqlite3_column_int64(st, i);
        rc = SQLITE_OK;
    }
    stmt_done(st);
    return rc;
}

static store_status sq_queue_counts(store *s, queue_counts_rec *out) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!out) return invalid(s, "count the queues", "no result was given");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_QUEUE_COUNTS, &st);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int level = sqlite3_column_int(st, 1), count = sqlite3_column_int(st, 2);
        if (level < 0 || level > 3) continue;
        out->open[level] += count;
        if (sqlite3_column_int(st, 0)) out->overdue[level] += count;
        out->total += count;
        rc = SQLITE_OK;
    }
    stmt_done(st);
    int64_t hand = 0, red[3] = {0, 0, 0};
    if (rc == SQLITE_DONE) rc = one_row_ints(s, S_QUEUE_BY_HAND, &hand, 1);
    if (rc == SQLITE_OK) rc = one_row_ints(s, S_QUEUE_RED, red, 3);
    if (rc != SQLITE_OK) {
        memset(out, 0, sizeof *out);
        return fail_rc(s, rc, "count the queues");
    }
    out->by_hand = (int)hand;
    out->red_waiting = (int)red[1];
    out->red_newest = red[2];
    return ST_OK;
}

/* An id prefix may hold only what an id holds, so it can never widen a match. */
static bool id_prefix_ok(const char *p) {
    if (!p) return true;
    size_t n = strlen(p);
    if (n > STORE_ID_LEN - 1) return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef-", p[i])) return false;
    return true;
}

static store_status sq_queue_page(store *s, const queue_filter *f, int offset, int limit, queue_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    const char *what = "read a page of the queues";
    if (!f || !out || !n || offset < 0 || limit < 1) return invalid(s, what, "no filter, page or result was given");
    if (f->level && *f->level && !level_ok(f->level)) return invalid(s, what, "the level is not red, orange, yellow or green");
    if (!id_prefix_ok(f->id_prefix)) return invalid(s, what, "an id holds only hex digits and '-'");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_QUEUE_PAGE, &st);
    rc = b_text(st, 1, f->level ? f->level : "", rc);
    rc = b_int(st, 2, f->overdue_only, rc);
    rc = b_int(st, 3, f->by_hand_only, rc);
    rc = b_text(st, 4, f->id_prefix ? f->id_prefix : "", rc);
    rc = b_int(st, 5, offset, rc);
    rc = b_int(st, 6, limit, rc);
    return collect_rows(s, st, rc, sizeof **out, rd_queue_one, NULL, (void **)out, n, what);
}

static store_status sq_queue_count_assigned(store *s, const char *counselor, int64_t *n) {
    if (!s) return ST_INVALID;
    if (n) *n = 0;
    if (!counselor || !*counselor || !n) return invalid(s, "count a counselor's caseload", "no counselor or result was given");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_QUEUE_ASSIGNED, &st);
    rc = b_text(st, 1, counselor, rc);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    stmt_done(st);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "count the caseload of %s", counselor);
}

static store_status sq_queue_list_open(store *s, queue_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(s, "list the queues", "no result was given");
    return list_rows(s, S_QUEUE_LIST_OPEN, NULL, sizeof **out, rd_queue_one, NULL, (void **)out, n, "list the queues");
}

static store_status sq_queue_event_add(store *s, const queue_event_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "add a queue event";
    if (!r || !field_ok(r->id, sizeof r->id) || !id_ok(r->id) || !field_ok(r->item_id, sizeof r->item_id) ||
        !id_ok(r->item_id) || !opt_id_ok(r->staff_id, sizeof r->staff_id) || !field_ok(r->action, sizeof r->action) ||
        !r->action[0] || !field_ok(r->from_state, sizeof r->from_state) || !field_ok(r->to_state, sizeof r->to_state) ||
        !field_ok(r->level_before, sizeof r->level_before) || !field_ok(r->level_after, sizeof r->level_after) ||
        !blob_ok(&r->reason_ct, false))
        return invalid(s, what, "the record is missing or incomplete");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_EVENT_ADD, &st);
    rc = b_text(st, 1, r->id, rc);
    rc = b_text(st, 2, r->item_id, rc);
    rc = b_int(st, 3, r->at, rc);
    rc = b_text_or_null(st, 4, r->staff_id, rc);
    rc = b_text(st, 5, r->action, rc);
    rc = b_text(st, 6, r->from_state, rc);
    rc = b_text(st, 7, r->to_state, rc);
    rc = b_text(st, 8, r->level_before, rc);
    rc = b_text(st, 9, r->level_after, rc);
    rc = b_blob_or_null(st, 10, r->reason_ct.p, r->reason_ct.n, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "add the queue event %s", r->id);
}

static store_status sq_queue_events(store *s, const char *item_id, queue_event_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!id_ok(item_id) || !out || !n) return invalid(s, "list queue events", "no valid id or no result was given");
    return list_rows(s, S_EVENT_LIST, item_id, sizeof **out, rd_event_row, drop_event, (void **)out, n,
                     "list the events of a queue item");
}

/* ---- drafts ---- */

static store_status sq_draft_put(store *s, const draft_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "save a draft";
    if (!r || !field_ok(r->id, sizeof r->id) || !id_ok(r->id) || !field_ok(r->staff_id, sizeof r->staff_id) ||
        !id_ok(r->staff_id) || !blob_ok(&r->body_ct, true))
        return invalid(s, what, "the record is missing or incomplete");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_DRAFT_PUT, &st);
    rc = b_text(st, 1, r->id, rc);
    rc = b_text(st, 2, r->staff_id, rc);
    rc = b_int(st, 3, r->updated_at, rc);
    rc = b_blob(st, 4, r->body_ct.p, r->body_ct.n, rc);
    int changes = 0;
    rc = run_write(s, st, rc, &changes);
    if (rc == SQLITE_OK && changes == 0)
        return fail(s, ST_EXISTS, "Database %s: the draft %s belongs to another worker.", s->path, r->id);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "save the draft %s", r->id);
}

static store_status sq_draft_for_staff(store *s, const char *staff_id, draft_rec *out) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!id_ok(staff_id) || !out) return invalid(s, "read a draft", "no valid staff id or no result was given");
    return one_row(s, S_DRAFT_FOR_STAFF, staff_id, rd_draft_one, out, "draft of the staff member");
}

static store_status sq_draft_delete(store *s, const char *id) {
    if (!s) return ST_INVALID;
    const char *what = "delete a draft";
    if (!id_ok(id)) return invalid(s, what, "no valid id was given");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = stmt(s, S_DRAFT_DELETE, &st);
    rc = b_text(st, 1, id, rc);
    rc = run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "delete the draft %s", id);
    if (changes == 0) return fail(s, ST_NOTFOUND, "Database %s: no draft %s.", s->path, id);
    return ST_OK;
}

/* ---- audit ---- */

static store_status sq_audit_append(store *s, audit_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "append to the audit log";
    if (!r || !opt_id_ok(r->staff_id, sizeof r->staff_id) || !field_ok(r->action, sizeof r->action) ||
        !r->action[0] || !field_ok(r->object_id, sizeof r->object_id) || !field_ok(r->detail, sizeof r->detail))
        return invalid(s, what, "the entry is missing or incomplete");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_AUDIT_APPEND, &st);
    rc = b_int(st, 1, r->at, rc);
    rc = b_text_or_null(st, 2, r->staff_id, rc);
    rc = b_text(st, 3, r->action, rc);
    rc = b_text(st, 4, r->object_id, rc);
    rc = b_text(st, 5, r->detail, rc);
    rc = b_blob(st, 6, r->hash, sizeof r->hash, rc);
    if (r->has_mac)
        rc = b_blob(st, 7, r->mac, sizeof r->mac, rc);
    else if (rc == SQLITE_OK)
        rc = sqlite3_bind_null(st, 7);
    rc = run_write(s, st, rc, NULL);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "%s", what);
    r->seq = sqlite3_last_insert_rowid(s->db); /* seq is the rowid */
    return ST_OK;
}

static store_status sq_audit_last(store *s, audit_rec *out) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!out) return invalid(s, "read the audit log", "no result was given");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_AUDIT_LAST, &st);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_status x = read_audit(s, st, out);
        stmt_done(st);
        return x;
    }
    stmt_done(st);
    if (rc == SQLITE_DONE) return fail(s, ST_NOTFOUND, "Database %s: the audit log is empty.", s->path);
    return fail_rc(s, rc, "read the audit log");
}

/* In pages: the statement is reset before the callback runs, so the callback may use the store (e.g. set
 * the MAC of the entry it is given). */
static store_status sq_audit_each_from(store *s, int64_t after, audit_cb cb, void *ctx);

static store_status sq_audit_each(store *s, audit_cb cb, void *ctx) { return sq_audit_each_from(s, 0, cb, ctx); }

static store_status sq_audit_each_from(store *s, int64_t after, audit_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    if (!cb || after < 0) return invalid(s, "read the audit log", "no callback was given");
    audit_rec *page = xcalloc(AUDIT_BATCH, sizeof *page);
    store_status result = ST_OK;
    for (;;) {
        sqlite3_stmt *st = NULL;
        int k = 0;
        int rc = stmt(s, S_AUDIT_PAGE, &st);
        rc = b_int(st, 1, after, rc);
        rc = b_int(st, 2, AUDIT_BATCH, rc);
        while (rc == SQLITE_OK && k < AUDIT_BATCH && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            store_status x = read_audit(s, st, &page[k]);
            if (x != ST_OK) {
                result = x;
                break;
            }
            k++;
            rc = SQLITE_OK;
        }
        stmt_done(st);
        if (result != ST_OK) break;
        if (rc != SQLITE_OK && rc != SQLITE_DONE) {
            result = fail_rc(s, rc, "read the audit log");
            break;
        }
        bool stop = false;
        for (int i = 0; i < k && !stop; i++) stop = cb(ctx, &page[i]) != 0;
        if (stop || k < AUDIT_BATCH) break;
        after = page[k - 1].seq;
    }
    free(page);
    return result;
}

static store_status sq_audit_set_mac(store *s, int64_t seq, const unsigned char mac[VAULT_MAC_BYTES]) {
    if (!s) return ST_INVALID;
    const char *what = "seal an audit entry";
    if (seq <= 0 || !mac) return invalid(s, what, "no valid sequence number or no MAC was given");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = stmt(s, S_AUDIT_SET_MAC, &st);
    rc = b_int(st, 1, seq, rc);
    rc = b_blob(st, 2, mac, VAULT_MAC_BYTES, rc);
    rc = run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "seal the audit entry %" PRId64, seq);
    if (changes == 0) return fail(s, ST_NOTFOUND, "Database %s: no audit entry %" PRId64 ".", s->path, seq);
    return ST_OK;
}

/* ---- every sealed value ---- */

typedef struct {
    int64_t rowid;
    char id[STORE_ID_LEN];
    blob ct[3];
} sealed_row;

static void sealed_rows_free(sealed_row *rows, int n) {
    for (int i = 0; i < n; i++)
        for (int c = 0; c < 3; c++) blob_free(&rows[i].ct[c]);
}

/* Table by table, row by row, in pages copied out before the callback runs: the callback may call
 * update_sealed (re-sealing every value in one transaction) and still sees every value exactly once. */
static store_status sq_each_sealed(store *s, sealed_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    if (!cb) return invalid(s, "read the sealed values", "no callback was given");
    sealed_row *rows = xcalloc(SEALED_BATCH, sizeof *rows);
    store_status result = ST_OK;
    bool stop = false;
    for (size_t t = 0; t < sizeof sealed_tables / sizeof sealed_tables[0] && !stop && result == ST_OK; t++) {
        const sealed_table *tb = &sealed_tables[t];
        int64_t after = 0;
        for (;;) {
            sqlite3_stmt *st = NULL;
            int k = 0;
            int rc = stmt(s, tb->page, &st);
            rc = b_int(st, 1, after, rc);
            rc = b_int(st, 2, SEALED_BATCH, rc);
            while (rc == SQLITE_OK && k < SEALED_BATCH && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                reader r = {st, tb->table, NULL, NULL};
                sealed_row *row = &rows[k];
                memset(row, 0, sizeof *row);
                row->rowid = sqlite3_column_int64(st, 0);
                rd_text(&r, 1, "id", row->id, sizeof row->id, false);
                r.row = row->id;
                for (int c = 0; c < tb->ncols; c++) rd_blob(&r, 2 + c, tb->cols[c], &row->ct[c], true);
                k++;
                if (r.bad) {
                    result = rd_end(s, &r);
                    break;
                }
                rc = SQLITE_OK;
            }
            stmt_done(st);
            if (result == ST_OK && rc != SQLITE_OK && rc != SQLITE_DONE)
                result = fail_rc(s, rc, "read the sealed values of %s", tb->table);
            for (int i = 0; i < k && result == ST_OK && !stop; i++)
                for (int c = 0; c < tb->ncols && !stop; c++)
                    if (rows[i].ct[c].n > 0)
                        stop = cb(ctx, tb->table, tb->cols[c], rows[i].id, rows[i].ct[c].p, rows[i].ct[c].n) != 0;
            if (k > 0) after = rows[k - 1].rowid;
            sealed_rows_free(rows, k);
            if (result != ST_OK || stop || k < SEALED_BATCH) break;
        }
    }
    free(rows);
    return result;
}

static store_status sq_update_sealed(store *s, const char *table, const char *column, const char *row_id,
                                     const unsigned char *ct, size_t n) {
    if (!s) return ST_INVALID;
    const char *what = "replace a sealed value";
    if (!table || !column || !id_ok(row_id) || (n > 0 && !ct) || n > (size_t)INT_MAX)
        return invalid(s, what, "no table, column, valid row id or value was given");
    int found = -1;
    for (size_t i = 0; i < sizeof sealed_columns / sizeof sealed_columns[0]; i++)
        if (strcmp(table, sealed_columns[i].table) == 0 && strcmp(column, sealed_columns[i].column) == 0)
            found = (int)i;
    if (found < 0) return invalid(s, what, "that is not a sealed column");
    if (n == 0 && !sealed_columns[found].optional)
        return invalid(s, what, "%s.%s cannot be empty", sealed_columns[found].table, sealed_columns[found].column);
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = stmt(s, sealed_columns[found].set, &st);
    rc = b_text(st, 1, row_id, rc);
    rc = b_blob_or_null(st, 2, ct, n, rc);
    rc = run_write(s, st, rc, &changes);
    if (rc != SQLITE_OK)
        return fail_rc(s, rc, "replace %s.%s of the row %s", sealed_columns[found].table, sealed_columns[found].column,
                       row_id);
    if (changes == 0)
        return fail(s, ST_NOTFOUND, "Database %s: no row %s in %s.", s->path, row_id, sealed_columns[found].table);
    return ST_OK;
}

/* ---- maintenance ---- */

static store_status sq_integrity_check(store *s, char *msg, size_t size) {
    if (!s) return ST_INVALID;
    if (!msg || size == 0) return invalid(s, "check the database", "no message buffer was given");
    msg[0] = '\0';
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL);
    bool ok = false;
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(msg, size, "%s", t ? (const char *)t : "(no answer)");
        ok = t && strcmp((const char *)t, "ok") == 0;
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_ERROR;
    }
    int frc = sqlite3_finalize(st);
    if (rc == SQLITE_OK) rc = frc;
    if (rc != SQLITE_OK) {
        store_status x = fail_rc(s, rc, "check the database");
        snprintf(msg, size, "%s", s->err);
        return x;
    }
    if (!ok) return fail(s, ST_CORRUPT, "Database %s is damaged: %s", s->path, msg);

    /* the references too: a row naming a staff member or client that is not there */
    st = NULL;
    rc = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *tab = sqlite3_column_text(st, 0), *parent = sqlite3_column_text(st, 2);
        snprintf(msg, size, "table %s, rowid %" PRId64 ": refers to a missing row of %s",
                 tab ? (const char *)tab : "?", (int64_t)sqlite3_column_int64(st, 1),
                 parent ? (const char *)parent : "?");
        ok = false;
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    frc = sqlite3_finalize(st);
    if (rc == SQLITE_OK) rc = frc;
    if (rc != SQLITE_OK) {
        store_status x = fail_rc(s, rc, "check the references of the database");
        snprintf(msg, size, "%s", s->err);
        return x;
    }
    if (!ok) return fail(s, ST_CORRUPT, "Database %s is damaged: %s", s->path, msg);
    snprintf(msg, size, "ok");
    return ST_OK;
}

static void remove_partial(const char *dest) {
    static const char *const sfx[] = {"", "-journal", "-wal", "-shm"};
    char p[PATH_MAX + 16];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", dest, sfx[i]);
        if (unlink(p) != 0 && errno != ENOENT) {
            /* nothing more can be done; the message of the backup failure says what went wrong */
        }
    }
}

static store_status sq_backup(store *s, const char *dest, char *err, size_t errsize) {
    if (err && errsize) err[0] = '\0';
    if (!s) return put_err(err, errsize, ST_INVALID, "No database is open.");
    if (!dest || !dest[0] || strlen(dest) >= PATH_MAX)
        return put_err(err, errsize, invalid(s, "back up", "no destination file was given"), "%s", s->err);
    if (!sqlite3_get_autocommit(s->db))
        return put_err(err, errsize,
                       invalid(s, "back up", "a transaction is open (the copy would hold its unfinished changes)"),
                       "%s", s->err);

    /* the copy holds every sealed value and the key wraps: only its owner may read it */
    int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        int e = errno;
        store_status x = e == EEXIST                                 ? ST_EXISTS
                         : (e == EACCES || e == EPERM || e == EROFS) ? ST_READONLY
                         : (e == ENOSPC || e == EDQUOT)              ? ST_FULL
                                                                     : ST_IO;
        fail(s, x, "Backup of %s: cannot create %s (%s)%s.", s->path, dest, strerror(e),
             e == EEXIST ? "; a backup never overwrites a file" : "");
        return put_err(err, errsize, x, "%s", s->err);
    }
    bool fd_ok = fchmod(fd, 0600) == 0;
    if (close(fd) != 0) fd_ok = false;
    if (!fd_ok) {
        remove_partial(dest);
        fail(s, ST_IO, "Backup of %s: cannot set up %s (%s).", s->path, dest, strerror(errno));
        return put_err(err, errsize, ST_IO, "%s", s->err);
    }

    sqlite3 *d = NULL;
    int rc = sqlite3_open_v2(dest, &d, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_extended_result_codes(d, 1);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(d, s->busy_ms);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(d, "main", s->db, "main");
        if (!b) {
            rc = sqlite3_errcode(d);
        } else {
            /* all pages in one step: one read transaction on the source, which in WAL mode other desks'
             * writes do not block and do not force to restart; retried while the source is locked */
            int tries = s->busy_ms / RETRY_SLEEP_MS + LOCK_RETRIES;
            for (int attempt = 0;; attempt++) {
                rc = sqlite3_backup_step(b, -1);
                if (rc == SQLITE_DONE || !is_busy(rc) || attempt >= tries) break;
                (void)sqlite3_sleep(RETRY_SLEEP_MS);
            }
            int frc = sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? frc : rc;
        }
    }
    char check[64] = "";
    if (rc == SQLITE_OK) rc = query_text(d, "PRAGMA quick_check", check, sizeof check);
    char why[256];
    snprintf(why, sizeof why, "%s", d ? sqlite3_errmsg(d) : sqlite3_errstr(rc));
    int crc = sqlite3_close(d);
    if (rc == SQLITE_OK && crc != SQLITE_OK) {
        rc = crc;
        snprintf(why, sizeof why, "%s", sqlite3_errstr(crc));
    }
    if (rc == SQLITE_OK && strcmp(check, "ok") != 0) {
        remove_partial(dest);
        fail(s, ST_CORRUPT, "Backup of %s: the copy %s failed its check (%s); it was removed.", s->path, dest, check);
        return put_err(err, errsize, ST_CORRUPT, "%s", s->err);
    }
    if (rc != SQLITE_OK) {
        remove_partial(dest);
        store_status x = status_of(rc);
        if (x == ST_EXISTS || x == ST_NOTFOUND || x == ST_INVALID) x = ST_IO;
        fail(s, x, "Backup of %s to %s failed: %s (%s); the partial copy was removed.", s->path, dest, reason_of(rc),
             why);
        return put_err(err, errsize, x, "%s", s->err);
    }

    /* the new directory entry too must survive a power cut */
    char ddir[PATH_MAX];
    dir_of(dest, ddir, sizeof ddir);
    int dfd = open(ddir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool synced = dfd >= 0 && fsync(dfd) == 0;
    if (dfd >= 0 && close(dfd) != 0) synced = false;
    if (!synced) {
        fail(s, ST_IO, "Backup of %s: %s was written but its directory could not be synced (%s).", s->path, dest,
             strerror(errno));
        return put_err(err, errsize, ST_IO, "%s", s->err);
    }
    return ST_OK;
}

/* ---- restore ---- */

/* src, opened read-only: a triage database of this connection's schema version that passes the integrity
 * check. Returns the SQLite handle, or NULL with the store's error set (*st says which kind). */
static sqlite3 *open_restore_source(store *s, const char *src, store_status *st) {
    sqlite3 *from = NULL;
    int rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_extended_result_codes(from, 1);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(from, s->busy_ms);
    int64_t app = 0, ver = 0, objects = 0;
    if (rc == SQLITE_OK) rc = read_ids(from, true, &app, &ver, &objects);
    char check[256] = "";
    if (rc == SQLITE_OK && app == APP_ID && ver == s->version) rc = query_text(from, "PRAGMA integrity_check", check, sizeof check);
    if (rc != SQLITE_OK) {
        *st = ST_CORRUPT;
        fail(s, *st, "%s is not a database that can be read (%s); nothing was restored.", src,
             from ? sqlite3_errmsg(from) : sqlite3_errstr(rc));
    } else if (app != APP_ID) {
        *st = ST_NOT_TRIAGE;
        fail(s, *st, "%s is not a triage database (application_id 0x%08" PRIX32 "); nothing was restored.", src,
             (uint32_t)app);
    } else if (ver != s->version) {
        *st = ver > s->version ? ST_TOO_NEW : ST_INVALID;
        fail(s, *st,
             "%s has schema version %" PRId64 " and %s has %d: restore only a backup of the same version; "
             "nothing was restored.",
             src, ver, s->path, s->version);
    } else if (strcmp(check, "ok") != 0) {
        *st = ST_CORRUPT;
        fail(s, *st, "%s fails the integrity check (%s); nothing was restored.", src, check);
    } else {
        return from;
    }
    (void)sqlite3_close(from);
    return NULL;
}

static store_status sq_restore(store *s, const char *src, char *err, size_t errsize) {
    if (err && errsize) err[0] = '\0';
    if (!s) return put_err(err, errsize, ST_INVALID, "No database is open.");
    if (!src || !src[0] || strlen(src) >= PATH_MAX)
        return put_err(err, errsize, invalid(s, "restore", "no backup file was given"), "%s", s->err);
    if (!sqlite3_get_autocommit(s->db))
        return put_err(err, errsize, invalid(s, "restore", "a transaction is open"), "%s", s->err);
    if (!file_still_ours(s)) return put_err(err, errsize, fail_replaced(s, "nothing was restored"), "%s", s->err);
    store_status x = ST_OK;
    sqlite3 *from = open_restore_source(s, src, &x);
    if (!from) return put_err(err, errsize, x, "%s", s->err);
    /* Every page of src into this database in one step: one write transaction through this connection's WAL
     * under the write lock (the backup API, this database as its destination). Other desks wait for the lock
     * like for any write and read either the old content or src's at their next read, never a mix; the file
     * stays the same file, so nothing of theirs is invalidated. */
    int rc = SQLITE_OK;
    sqlite3_backup *b = sqlite3_backup_init(s->db, "main", from, "main");
    if (!b) {
        rc = sqlite3_errcode(s->db);
    } else {
        int tries = s->busy_ms / RETRY_SLEEP_MS + LOCK_RETRIES;
        for (int attempt = 0;; attempt++) {
            rc = sqlite3_backup_step(b, -1);
            if (rc == SQLITE_DONE || !is_busy(rc) || attempt >= tries) break;
            (void)sqlite3_sleep(RETRY_SLEEP_MS);
        }
        int frc = sqlite3_backup_finish(b);
        rc = rc == SQLITE_DONE ? frc : rc;
    }
    char why[256];
    snprintf(why, sizeof why, "%s", sqlite3_errmsg(s->db));
    (void)sqlite3_close(from);
    if (rc != SQLITE_OK) {
        rc = full_if_no_space(s->db, rc);
        x = status_of(rc);
        fail(s, x, "Database %s: restoring %s failed: %s (%s); nothing was restored.", s->path, src, reason_of(rc), why);
        return put_err(err, errsize, x, "%s", s->err);
    }
    return ST_OK;
}

static store_status sq_data_version(store *s, int64_t *v) {
    if (!s) return ST_INVALID;
    if (v) *v = 0;
    if (!v) return invalid(s, "read the data version", "no result was given");
    /* every desk polls here: a replaced file is found within a poll, and its WAL discarded at once */
    if (!file_still_ours(s)) return fail_replaced(s, "this desk writes nothing more");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_DATA_VERSION, &st);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    stmt_done(st);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "read the data version");
}

static int64_t sq_local_changes(store *s) { return s && s->db ? (int64_t)sqlite3_total_changes64(s->db) : 0; }
/* ---- outcomes, reports, export and erasure (schema 3) ---- */

static bool facts_ok(const facts_rec *r) {
    return r && field_ok(r->id, sizeof r->id) && id_ok(r->id) && field_ok(r->client_key, sizeof r->client_key) &&
           id_ok(r->client_key) && field_ok(r->level, sizeof r->level) && level_ok(r->level) &&
           field_ok(r->channel, sizeof r->channel) && field_ok(r->concerns, sizeof r->concerns) &&
           field_ok(r->age_band, sizeof r->age_band) && field_ok(r->counselor, sizeof r->counselor) &&
           field_ok(r->confirmed_level, sizeof r->confirmed_level) &&
           (!r->confirmed_level[0] || level_ok(r->confirmed_level)) &&
           field_ok(r->closed_reason, sizeof r->closed_reason) && r->suggestions >= 0 && r->declines >= 0 &&
           r->sessions_attended >= 0 && r->first_session_attended >= -1 && r->first_session_attended <= 1;
}

static store_status read_facts(store *s, sqlite3_stmt *st, facts_rec *o) {
    reader r = {st, "intake_facts", NULL, NULL};
    memset(o, 0, sizeof *o);
    rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    rd_text(&r, 1, "client_key", o->client_key, sizeof o->client_key, false);
    o->created_at = rd_int(&r, 2, "created_at", INT64_MIN, INT64_MAX);
    rd_text(&r, 3, "level", o->level, sizeof o->level, false);
    rd_text(&r, 4, "channel", o->channel, sizeof o->channel, false);
    rd_text(&r, 5, "concerns", o->concerns, sizeof o->concerns, false);
    rd_text(&r, 6, "age_band", o->age_band, sizeof o->age_band, false);
    rd_text(&r, 7, "counselor", o->counselor, sizeof o->counselor, false);
    o->deadline = rd_int(&r, 8, "deadline", INT64_MIN, INT64_MAX);
    o->confirmed_at = rd_int(&r, 9, "confirmed_at", INT64_MIN, INT64_MAX);
    rd_text(&r, 10, "confirmed_level", o->confirmed_level, sizeof o->confirmed_level, false);
    o->first_contact_at = rd_int(&r, 11, "first_contact_at", INT64_MIN, INT64_MAX);
    o->suggestions = (int)rd_int(&r, 12, "suggestions", 0, INT_MAX);
    o->declines = (int)rd_int(&r, 13, "declines", 0, INT_MAX);
    o->overdue = rd_int(&r, 14, "overdue", 0, 1) != 0;
    o->first_session_day = rd_int(&r, 15, "first_session_day", INT64_MIN, INT64_MAX);
    o->first_session_attended = (int)rd_int(&r, 16, "first_session_attended", -1, 1);
    o->sessions_attended = (int)rd_int(&r, 17, "sessions_attended", 0, INT_MAX);
    o->last_session_day = rd_int(&r, 18, "last_session_day", INT64_MIN, INT64_MAX);
    rd_text(&r, 19, "closed_reason", o->closed_reason, sizeof o->closed_reason, false);
    o->closed_at = rd_int(&r, 20, "closed_at", INT64_MIN, INT64_MAX);
    rd_mac(&r, 22, o->mac, &o->has_mac);
    if (!r.bad && !level_ok(o->level)) rd_bad(&r, "level");
    return rd_end(s, &r);
}

static store_status rd_facts_one(store *s, sqlite3_stmt *st, void *o) { return read_facts(s, st, o); }

static store_status sq_facts_put(store *s, const facts_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "save the facts of an intake";
    if (!facts_ok(r)) return invalid(s, what, "the record is missing, incomplete or has a bad value");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_FACTS_PUT, &st);
    rc = b_text(st, 1, r->id, rc);
    rc = b_text(st, 2, r->client_key, rc);
    rc = b_int(st, 3, r->created_at, rc);
    rc = b_text(st, 4, r->level, rc);
    rc = b_text(st, 5, r->channel, rc);
    rc = b_text(st, 6, r->concerns, rc);
    rc = b_text(st, 7, r->age_band, rc);
    rc = b_text(st, 8, r->counselor, rc);
    rc = b_int(st, 9, r->deadline, rc);
    rc = b_int(st, 10, r->confirmed_at, rc);
    rc = b_text(st, 11, r->confirmed_level, rc);
    rc = b_int(st, 12, r->first_contact_at, rc);
    rc = b_int(st, 13, r->suggestions, rc);
    rc = b_int(st, 14, r->declines, rc);
    rc = b_int(st, 15, r->overdue ? 1 : 0, rc);
    rc = b_int(st, 16, r->first_session_day, rc);
    rc = b_int(st, 17, r->first_session_attended, rc);
    rc = b_int(st, 18, r->sessions_attended, rc);
    rc = b_int(st, 19, r->last_session_day, rc);
    rc = b_text(st, 20, r->closed_reason, rc);
    rc = b_int(st, 21, r->closed_at, rc);
    rc = b_blob_or_null(st, 22, r->mac, r->has_mac ? VAULT_MAC_BYTES : 0, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "save the facts of the intake %s", r->id);
}

static store_status sq_facts_get(store *s, const char *id, facts_rec *out) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!id_ok(id) || !out) return invalid(s, "read the facts of an intake", "no valid id or no result was given");
    return one_row(s, S_FACTS_GET, id, rd_facts_one, out, "facts of intake");
}

static store_status sq_facts_for_client(store *s, const char *client_key, facts_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!id_ok(client_key) || !out || !n)
        return invalid(s, "list the facts of a client", "no valid client id or no result was given");
    return list_rows(s, S_FACTS_FOR_CLIENT, client_key, sizeof **out, rd_facts_one, NULL, (void **)out, n,
                     "list the facts of a client");
}

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

static int retained_of(store *s, int64_t from, int64_t to, int retain_n, int retain_days, retained_list *out) {
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_FACTS_SESSIONS, &st);
    rc = b_int(st, 1, from, rc);
    rc = b_int(st, 2, to, rc);
    char cur[STORE_ID_LEN] = "";
    int64_t cur_at = 0, first = 0;
    int k = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t at = sqlite3_column_int64(st, 0);
        const unsigned char *id = sqlite3_column_text(st, 1);
        int len = sqlite3_column_bytes(st, 1);
        int64_t day = sqlite3_column_int64(st, 2);
        if (!id || len >= STORE_ID_LEN) {
            rc = SQLITE_CORRUPT;
            break;
        }
        if (at != cur_at || strcmp(cur, (const char *)id) != 0) {
            memcpy(cur, id, (size_t)len + 1);
            cur_at = at;
            first = day;
            k = 0;
        }
        if (++k == retain_n && day - first <= retain_days) {
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 1024;
                out->v = xrealloc(out->v, sizeof *out->v * out->cap);
            }
            out->v[out->n].at = at;
            memcpy(out->v[out->n].id, cur, sizeof cur);
            out->n++;
        }
        rc = SQLITE_OK;
    }
    stmt_done(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* True when (at, id) is retained; the scan asks in ascending (at, id) order. */
static bool retained_next(retained_list *l, int64_t at, const char *id) {
    while (l->next < l->n) {
        const retained_key *k = &l->v[l->next];
        if (k->at > at) return false;
        int c = k->at < at ? -1 : strcmp(k->id, id);
        if (c > 0) return false;
        l->next++;
        if (c == 0) return true;
    }
    return false;
}

/* One pass over the range, straight from the statement: a million rows are read without an array. */
static store_status sq_facts_scan(store *s, int64_t from, int64_t to, int retain_n, int retain_days, facts_cb cb,
                                  void *ctx) {
    if (!s) return ST_INVALID;
    if (!cb || retain_n < 1 || retain_days < 0) return invalid(s, "read the facts", "no callback or a bad retention rule");
    /* both reads in one read transaction: the same snapshot */
    bool own = sqlite3_get_autocommit(s->db) != 0;
    int rc = own ? exec_script(s->db, "BEGIN") : SQLITE_OK;
    retained_list kept = {NULL, 0, 0, 0};
    if (rc == SQLITE_OK) rc = retained_of(s, from, to, retain_n, retain_days, &kept);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK) rc = stmt(s, S_FACTS_SCAN, &st);
    rc = b_int(st, 1, from, rc);
    rc = b_int(st, 2, to, rc);
    facts_brief r;
    store_status x = ST_OK;
    const char **text[6] = {&r.id, &r.level, &r.channel, &r.concerns, &r.age_band, &r.counselor};
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        r.id = NULL; /* read only where a retained episode has the same time: most rows never need it */
        for (int i = 1; i < 6; i++) {
            *text[i] = (const char *)sqlite3_column_text(st, i);
            if (!*text[i]) *text[i] = ""; /* NOT NULL columns: only out of memory gives NULL */
        }
        r.created_at = sqlite3_column_int64(st, 6);
        r.flags = (unsigned)sqlite3_column_int64(st, 7);
        r.contact_delay = sqlite3_column_int64(st, 8);
        r.suggestions = (int)sqlite3_column_int64(st, 9);
        r.declines = (int)sqlite3_column_int64(st, 10);
        r.sessions_attended = (int)sqlite3_column_int64(st, 11);
        r.last_session_day = sqlite3_column_int64(st, 12);
        r.confirmed_level = (const char *)sqlite3_column_text(st, 13);
        if (!r.confirmed_level) r.confirmed_level = "";
        if (kept.next < kept.n && kept.v[kept.next].at <= r.created_at) {
            r.id = (const char *)sqlite3_column_text(st, 0);
            if (r.id && retained_next(&kept, r.created_at, r.id)) r.flags |= FB_RETAINED;
        }
        if (cb(ctx, &r)) break;
        rc = SQLITE_OK;
    }
    stmt_done(st);
    free(kept.v);
    if (own) (void)exec_script(s->db, "COMMIT");
    if (x != ST_OK) return x;
    return rc == SQLITE_DONE || rc == SQLITE_ROW || rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "read the facts");
}

static store_status sq_facts_rekey(store *s, const char *old_id, const char *new_id, const char *new_client_key) {
    if (!s) return ST_INVALID;
    const char *what = "re-key the facts of an intake";
    if (!id_ok(old_id) || !id_ok(new_id) || !id_ok(new_client_key)) return invalid(s, what, "no valid ids were given");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = stmt(s, S_FACTS_REKEY, &st);
    rc = b_text(st, 1, old_id, rc);
    rc = b_text(st, 2, new_id, rc);
    rc = b_text(st, 3, new_client_key, rc);
    rc = run_write(s, st, rc, &changes);
    if (rc == SQLITE_OK && changes == 0) return fail(s, ST_NOTFOUND, "Database %s: no facts %s.", s->path, old_id);
    if (rc == SQLITE_OK) rc = stmt(s, S_FACTS_REKEY_SESSIONS, &st);
    if (rc == SQLITE_OK) {
        rc = b_text(st, 1, old_id, rc);
        rc = b_text(st, 2, new_id, rc);
        rc = b_text(st, 3, new_client_key, rc);
        rc = run_write(s, st, rc, NULL);
    }
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "re-key the facts %s", old_id);
}

static store_status read_osession(store *s, sqlite3_stmt *st, outcome_session_rec *o) {
    reader r = {st, "outcome_sessions", NULL, NULL};
    memset(o, 0, sizeof *o);
    rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    rd_text(&r, 1, "facts_id", o->facts_id, sizeof o->facts_id, false);
    rd_text(&r, 2, "client_key", o->client_key, sizeof o->client_key, false);
    o->day = rd_int(&r, 3, "day", INT64_MIN, INT64_MAX);
    o->attended = rd_int(&r, 4, "attended", 0, 1) != 0;
    rd_text(&r, 5, "counselor", o->counselor, sizeof o->counselor, false);
    o->recorded_at = rd_int(&r, 6, "recorded_at", INT64_MIN, INT64_MAX);
    rd_text(&r, 7, "recorded_by", o->recorded_by, sizeof o->recorded_by, false);
    o->intake_at = rd_int(&r, 8, "intake_at", INT64_MIN, INT64_MAX);
    return rd_end(s, &r);
}

static store_status rd_osession_row(store *s, sqlite3_stmt *st, void *o) { return read_osession(s, st, o); }

static store_status sq_outcome_session_add(store *s, const outcome_session_rec *r) {
    if (!s) return ST_INVALID;
    const char *what = "record a session";
    if (!r || !field_ok(r->id, sizeof r->id) || !id_ok(r->id) || !field_ok(r->facts_id, sizeof r->facts_id) ||
        !id_ok(r->facts_id) || !field_ok(r->client_key, sizeof r->client_key) || !id_ok(r->client_key) ||
        !field_ok(r->counselor, sizeof r->counselor) || !opt_id_ok(r->recorded_by, sizeof r->recorded_by))
        return invalid(s, what, "the record is missing or incomplete");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_OSESSION_ADD, &st);
    rc = b_text(st, 1, r->id, rc);
    rc = b_text(st, 2, r->facts_id, rc);
    rc = b_text(st, 3, r->client_key, rc);
    rc = b_int(st, 4, r->day, rc);
    rc = b_int(st, 5, r->attended ? 1 : 0, rc);
    rc = b_text(st, 6, r->counselor, rc);
    rc = b_int(st, 7, r->recorded_at, rc);
    rc = b_text(st, 8, r->recorded_by, rc);
    rc = b_int(st, 9, r->intake_at, rc);
    rc = run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : fail_rc(s, rc, "record the session %s", r->id);
}

static store_status sq_outcome_sessions(store *s, const char *facts_id, outcome_session_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!id_ok(facts_id) || !out || !n) return invalid(s, "list sessions", "no valid id or no result was given");
    return list_rows(s, S_OSESSION_LIST, facts_id, sizeof **out, rd_osession_row, NULL, (void **)out, n,
                     "list the sessions of an intake");
}

#define INTAKE_PAGE 256

/* Pages by (created_at, rowid), each copied out before the callbacks run. */
static store_status sq_intake_each_between(store *s, int64_t from, int64_t to, intake_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    if (!cb) return invalid(s, "read the intakes", "no callback was given");
    intake_rec *page = xcalloc(INTAKE_PAGE, sizeof *page);
    int64_t after_at = INT64_MIN, after_row = 0;
    store_status result = ST_OK;
    bool stop = false;
    while (!stop && result == ST_OK) {
        sqlite3_stmt *st = NULL;
        int k = 0, rc = stmt(s, S_INTAKE_PAGE, &st);
        rc = b_int(st, 1, from, rc);
        rc = b_int(st, 2, to, rc);
        rc = b_int(st, 3, after_at, rc);
        rc = b_int(st, 4, after_row, rc);
        rc = b_int(st, 5, INTAKE_PAGE, rc);
        /* column 0 is the rowid (where the next page starts), then INTAKE_COLS */
        while (rc == SQLITE_OK && k < INTAKE_PAGE && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t rowid = sqlite3_column_int64(st, 0);
            reader r = {st, "intakes", NULL, NULL};
            intake_rec *o = &page[k];
            memset(o, 0, sizeof *o);
            rd_text(&r, 1, "id", o->id, sizeof o->id, false);
            r.row = o->id;
            rd_text(&r, 2, "client_id", o->client_id, sizeof o->client_id, false);
            o->created_at = rd_int(&r, 3, "created_at", INT64_MIN, INT64_MAX);
            rd_text(&r, 4, "created_by", o->created_by, sizeof o->created_by, false);
            rd_text(&r, 5, "level", o->level, sizeof o->level, false);
            rd_text(&r, 6, "suggested", o->suggested, sizeof o->suggested, true);
            rd_text(&r, 7, "chosen", o->chosen, sizeof o->chosen, true);
            rd_blob(&r, 8, "body_ct", &o->body_ct, false);
            rd_blob(&r, 9, "notes_ct", &o->notes_ct, true);
            rd_mac(&r, 10, o->mac, &o->has_mac);
            if (!r.bad && !level_ok(o->level)) rd_bad(&r, "level");
            k++;
            if (r.bad) {
                result = rd_end(s, &r);
                break;
            }
            after_at = o->created_at;
            after_row = rowid;
            rc = SQLITE_OK;
        }
        stmt_done(st);
        if (result == ST_OK && rc != SQLITE_OK && rc != SQLITE_DONE) result = fail_rc(s, rc, "read the intakes");
        for (int i = 0; i < k && result == ST_OK && !stop; i++) stop = cb(ctx, &page[i]) != 0;
        for (int i = 0; i < k; i++) intake_rec_free(&page[i]);
        if (k < INTAKE_PAGE) break;
    }
    free(page);
    return result;
}

static store_status sq_client_erase(store *s, const char *client_id) {
    if (!s) return ST_INVALID;
    const char *what = "erase a client";
    if (!id_ok(client_id)) return invalid(s, what, "no valid client id was given");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    /* overwritten first, then deleted: with secure_delete the freed space is zeroed as well */
    static const enum sid steps[] = {S_ERASE_OVERWRITE_CLIENT, S_ERASE_OVERWRITE_INTAKES, S_ERASE_OVERWRITE_REASONS,
                                     S_ERASE_EVENTS, S_ERASE_ITEMS, S_ERASE_INTAKES, S_BIDX_CLEAR, S_ERASE_CLIENT};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sqlite3_stmt *st = NULL;
        int changes = 0;
        int rc = stmt(s, steps[i], &st);
        rc = b_text(st, 1, client_id, rc);
        rc = run_write(s, st, rc, &changes);
        if (rc != SQLITE_OK) return fail_rc(s, rc, "erase the client %s", client_id);
        if (steps[i] == S_ERASE_OVERWRITE_CLIENT && changes == 0)
            return fail(s, ST_NOTFOUND, "Database %s: no client %s.", s->path, client_id);
    }
    return ST_OK;
}

static store_status rd_draft_row(store *s, sqlite3_stmt *st, void *o) { return read_draft(s, st, o); }
static void drop_draft(void *r) { draft_rec_free(r); }

static store_status sq_drafts_before(store *s, int64_t cutoff, draft_rec **out, int *n) {
    if (!s) return ST_INVALID;
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(s, "list old drafts", "no result was given");
    return list_rows_by(s, S_DRAFTS_BEFORE, (list_param){NULL, true, cutoff}, sizeof **out, rd_draft_row, drop_draft,
                        (void **)out, n, "list old drafts");
}

static store_status sq_clients_closed_before(store *s, int64_t cutoff, char (**ids)[STORE_ID_LEN], int *n) {
    if (!s) return ST_INVALID;
    if (ids) *ids = NULL;
    if (n) *n = 0;
    if (!ids || !n) return invalid(s, "list closed records", "no result was given");
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_CLIENTS_CLOSED_BEFORE, &st);
    rc = b_int(st, 1, cutoff, rc);
    return collect_rows(s, st, rc, sizeof **ids, rd_clients_id, NULL, (void **)ids, n, "list closed records");
}

static store_status sq_checkpoint(store *s, bool *complete) {
    if (!s) return ST_INVALID;
    if (!complete) return invalid(s, "checkpoint the WAL", "no result was given");
    *complete = false;
    if (!sqlite3_get_autocommit(s->db)) return invalid(s, "checkpoint the WAL", "a transaction is open");
    if (!file_still_ours(s)) return fail_replaced(s, "the WAL was not checkpointed");
    int log = 0, done = 0;
    int rc = SQLITE_BUSY;
    /* the checkpointer's lock is also held for an instant by each desk's poll (file_still_ours) */
    for (int attempt = 0; attempt <= LOCK_RETRIES && is_busy(rc); attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS);
        rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    }
    (void)dbfile_mark_take(s->db, s->path, &s->mark); /* this connection's own write of the file */
    if (is_busy(rc)) return ST_OK; /* another desk is reading: the frames are overwritten later */
    if (rc != SQLITE_OK) return fail_rc(s, rc, "checkpoint the WAL");
    *complete = log == done;
    return ST_OK;
}

static store_status sq_draft_erase(store *s, const char *id) {
    if (!s) return ST_INVALID;
    const char *what = "erase a draft";
    if (!id_ok(id)) return invalid(s, what, "no valid id was given");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, S_DRAFT_OVERWRITE, &st);
    rc = b_text(st, 1, id, rc);
    rc = run_write(s, st, rc, NULL);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "erase the draft %s", id);
    return sq_draft_delete(s, id);
}

/* ---- row MACs ---- */

/* The statements of a table that carries row MACs; false for any other name. */
static bool mac_table(const char *table, enum sid *ids, enum sid *set) {
    static const struct {
        const char *name;
        enum sid ids, set;
    } t[] = {{"queue_items", S_ROW_IDS_QUEUE, S_ROW_MAC_QUEUE},
             {"intakes", S_ROW_IDS_INTAKES, S_ROW_MAC_INTAKES},
             {"intake_facts", S_ROW_IDS_FACTS, S_ROW_MAC_FACTS}};
    for (size_t i = 0; table && i < sizeof t / sizeof t[0]; i++)
        if (strcmp(table, t[i].name) == 0) {
            *ids = t[i].ids;
            *set = t[i].set;
            return true;
        }
    return false;
}

static store_status rd_row_id(store *s, sqlite3_stmt *st, void *o) { return rd_id_column(s, st, o, "row MACs", "id"); }

static store_status sq_row_ids(store *s, const char *table, bool missing_only, char (**ids)[STORE_ID_LEN], int *n) {
    if (!s) return ST_INVALID;
    if (ids) *ids = NULL;
    if (n) *n = 0;
    enum sid list, set;
    if (!ids || !n || !mac_table(table, &list, &set))
        return invalid(s, "list rows", "no result was given, or the table carries no row MAC");
    return list_rows_by(s, list, (list_param){NULL, true, missing_only ? 1 : 0}, sizeof **ids, rd_row_id, NULL,
                        (void **)ids, n, "list rows");
}

static store_status sq_row_mac_set(store *s, const char *table, const char *id, const unsigned char mac[VAULT_MAC_BYTES]) {
    if (!s) return ST_INVALID;
    const char *what = "set a row MAC";
    enum sid list, set;
    if (!mac_table(table, &list, &set) || !id_ok(id) || !mac)
        return invalid(s, what, "no valid table, id or MAC was given");
    store_status x = need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, set, &st);
    rc = b_text(st, 1, id, rc);
    rc = b_blob(st, 2, mac, VAULT_MAC_BYTES, rc);
    int changed = 0;
    rc = run_write(s, st, rc, &changed);
    if (rc != SQLITE_OK) return fail_rc(s, rc, "set the MAC of %s %s", table, id);
    return changed ? ST_OK : ST_NOTFOUND;
}

const store_ops store_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .errmsg = sq_errmsg,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
    .staff_insert = sq_staff_insert,
    .staff_update = sq_staff_update,
    .staff_by_name = sq_staff_by_name,
    .staff_by_id = sq_staff_by_id,
    .staff_list = sq_staff_list,
    .counselor_upsert = sq_counselor_upsert,
    .counselor_list = sq_counselor_list,
    .client_insert = sq_client_insert,
    .client_update = sq_client_update,
    .client_get = sq_client_get,
    .client_count = sq_client_count,
    .bidx_add = sq_bidx_add,
    .bidx_clear = sq_bidx_clear,
    .bidx_find = sq_bidx_find,
    .intake_insert = sq_intake_insert,
    .intake_get = sq_intake_get,
    .intake_list_for_client = sq_intake_list_for_client,
    .draft_put = sq_draft_put,
    .draft_for_staff = sq_draft_for_staff,
    .draft_delete = sq_draft_delete,
    .audit_append = sq_audit_append,
    .audit_last = sq_audit_last,
    .audit_each = sq_audit_each,
    .audit_set_mac = sq_audit_set_mac,
    .each_sealed = sq_each_sealed,
    .update_sealed = sq_update_sealed,
    .integrity_check = sq_integrity_check,
    .backup = sq_backup,
    .restore = sq_restore,
    .data_version = sq_data_version,
    .queue_put = sq_queue_put,
    .queue_get = sq_queue_get,
    .queue_open_for_client = sq_queue_open_for_client,
    .queue_list_open = sq_queue_list_open,
    .queue_event_add = sq_queue_event_add,
    .queue_events = sq_queue_events,
    .queue_first = sq_queue_first,
    .queue_due = sq_queue_due,
    .audit_each_from = sq_audit_each_from,
    .queue_counts = sq_queue_counts,
    .queue_page = sq_queue_page,
    .queue_count_assigned = sq_queue_count_assigned,
    .local_changes = sq_local_changes,
    .facts_put = sq_facts_put,
    .facts_get = sq_facts_get,
    .facts_for_client = sq_facts_for_client,
    .facts_scan = sq_facts_scan,
    .facts_rekey = sq_facts_rekey,
    .outcome_session_add = sq_outcome_session_add,
    .outcome_sessions = sq_outcome_sessions,
    .intake_each_between = sq_intake_each_between,
    .client_erase = sq_client_erase,
    .drafts_before = sq_drafts_before,
    .clients_closed_before = sq_clients_closed_before,
    .checkpoint = sq_checkpoint,
    .draft_erase = sq_draft_erase,
    .row_ids = sq_row_ids,
    .row_mac_set = sq_row_mac_set,
};
