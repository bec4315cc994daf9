/* The schema, as forward migrations: version N is reached by running migrations[0..N-1] in order. */
#include "sqlite_backend.h"

const migration sq_migrations[] = {
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
     "PRAGMA user_version = 1", NULL},
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
     "PRAGMA user_version = 2", NULL},
    /* 3: outcomes and reports. The KPIs over a million intakes must not open a million sealed bodies, so each
     * intake gets a row of de-identified facts (core/records/facts.h): times, the level, the channel, concern codes, an
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
     "PRAGMA user_version = 3", NULL},
    /* 4: the items to be matched by hand (three declines in a row), counted by every desk after every change:
     * a partial index holding only them, so the count reads a handful of entries, not every open row */
    {"CREATE INDEX queue_by_hand ON queue_items(match_by_hand) WHERE state <> 'closed' AND match_by_hand = 1;\n",
     "PRAGMA user_version = 4", NULL},
    /* 5: row MACs (core/records/rowmac.h). The clear columns the queues act on are bound to the data key by a keyed MAC
     * per row, computed above the store; the store keeps the blob. A queue item also keeps, after a tick
     * without a key raised it, the encoding of the row its MAC covers (mac_state). Rows written before this
     * version get their MACs at the first login after the upgrade (meta rowmac). */
    {"ALTER TABLE queue_items ADD COLUMN mac BLOB CHECK (mac IS NULL OR length(mac) = 32);\n"
     "ALTER TABLE queue_items ADD COLUMN mac_state BLOB CHECK (mac_state IS NULL OR length(mac_state) BETWEEN 1 AND 512);\n"
     "ALTER TABLE intakes ADD COLUMN mac BLOB CHECK (mac IS NULL OR length(mac) = 32);\n"
     "ALTER TABLE intake_facts ADD COLUMN mac BLOB CHECK (mac IS NULL OR length(mac) = 32);\n",
     "PRAGMA user_version = 5", NULL},
    /* 6: audit signatures (core/records/audit.h). Each entry carries its writer's Ed25519 signature; entries
     * written without a login have none. Entries of version 5 and before keep their keyed MAC. The signature,
     * like the entry, cannot be changed once written (the MAC of a legacy entry still can: a rotation
     * re-MACs). */
    {"ALTER TABLE audit ADD COLUMN sig BLOB CHECK (sig IS NULL OR length(sig) = 64);\n"
     "DROP TRIGGER audit_no_update;\n"
     "CREATE TRIGGER audit_no_update BEFORE UPDATE OF seq, at, staff_id, action, object_id, detail, hash, sig"
     " ON audit\n"
     "BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;\n",
     "PRAGMA user_version = 6", NULL},
    /* 7: the point from which this database signs its audit trail (meta audit_signed_from, core/records/audit.h):
     * no entry there or after may be in the legacy (MAC-sealed) format. A database created now starts signing
     * at entry 1 (it has no legacy entries at all); one upgraded from 5 or before at the entry after its last;
     * one already at 6 at its first signed entry. Recorded in the same transaction as the upgrade, so that
     * every database at this version has it: a missing value is tampering. */
    {"INSERT OR REPLACE INTO meta (key, value) SELECT 'audit_signed_from', CAST(coalesce("
     "(SELECT min(seq) FROM audit WHERE sig IS NOT NULL), (SELECT coalesce(max(seq), 0) + 1 FROM audit)) AS BLOB);\n",
     "PRAGMA user_version = 7", NULL},
    /* 8: the blind index sized to the database (core/records/blind_index.h, issue 13). Values no longer carry
     * their kind (name, word, phone) in clear above the hash: the kind is hashed in, and the width follows the
     * number of clients. The values of version 7 cannot be recomputed without the data key, and they reveal the
     * kind, so they are dropped here; the first login after the upgrade rebuilds the index (meta
     * blind_index_width, sealed, is absent until then) before that desk can search. */
    {"DELETE FROM blind_index;\n"
     "DELETE FROM meta WHERE key = 'blind_index_width';\n",
     "PRAGMA user_version = 8", NULL},
    /* 9: notes under the clinical key (core/records/clinical_key.h, issue 12). Notes written before stay under
     * the data key (which reception holds too) until the first login of a clinician or supervisor, which creates
     * the clinical key, re-seals every note under it and seals it to the roles that may read notes, in one
     * transaction, and writes 'sealed' here. A version of its own so that no older triage writes notes under the
     * data key into a database whose notes are under the clinical key. A state already there is kept (a version
     * set back in the file must not reset it to legacy: the migration would run again). */
    {"INSERT OR IGNORE INTO meta (key, value) VALUES ('clinical_notes', CAST('legacy' AS BLOB));\n",
     "PRAGMA user_version = 9", NULL},
    /* 10: report facts kept to the hour (core/records/facts.h, issue 13). A time to the second in a facts row is
     * the second of an audit entry that names the intake, which re-links the row (one re-keyed at erasure too).
     * The sessions' times are coarsened here; the facts rows' own times are covered by their row MACs, so the first
     * login after the upgrade coarsens them with the key and MACs them again (facts_hours_first_login), then
     * writes 'done'. A state already there is kept, and the sessions are coarsened only while it is pending (a
     * version set back must not make it run again; it would be harmless: coarsening is idempotent). A version of its own so that no older triage writes times to the second
     * into a database whose facts keep hours. */
    {"INSERT OR IGNORE INTO meta (key, value) VALUES ('facts_hours', CAST('pending' AS BLOB));\n"
     "UPDATE outcome_sessions SET recorded_at = CASE WHEN recorded_at > 0 THEN recorded_at - recorded_at % 3600 ELSE "
     "recorded_at END, intake_at = CASE WHEN intake_at > 0 THEN intake_at - intake_at % 3600 ELSE intake_at END "
     "WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'facts_hours' AND value = CAST('pending' AS BLOB));\n",
     "PRAGMA user_version = 10", NULL},
    /* 11: per-client keys (core/records/client_keys.h, issue 13). Every client gets its own random key, sealed
     * under the data key (73 bytes: a field of format 1 holding 32) in a row of its own beside the client's; its
     * name, phone, birth date, its intakes' bodies and its queue steps' reasons are sealed under it, so that
     * erasing the client destroys the one key every copy of them needs. Existing clients are re-sealed by the
     * first login after the upgrade, in batches that a kill can interrupt and the next login resumes (a client
     * without a row here: not reached yet); meta client_keys says 'legacy' until the last batch writes 'sealed'
     * (a database with no client yet, a new one among them, is 'sealed' from the start).
     * A table of its own, made only if missing, and a state already there kept: a version set back in the file
     * (test_blind does it; an attacker could) runs this again without harm. */
    {"CREATE TABLE IF NOT EXISTS client_keys(\n"
     "  client_id TEXT PRIMARY KEY NOT NULL REFERENCES clients(id),\n"
     "  key_ct BLOB NOT NULL CHECK (length(key_ct) = 73)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "INSERT OR IGNORE INTO meta (key, value) SELECT 'client_keys', CAST(CASE WHEN EXISTS (SELECT 1 FROM clients) "
     "THEN 'legacy' ELSE 'sealed' END AS BLOB);\n",
     "PRAGMA user_version = 11", NULL},
    /* 12: the trail by object (store op audit_by_object): a clinician's record screen takes a note's author from the
     * writer of its intake's signed intake_create entry, never from the intakes.created_by column anyone with the
     * file sets (attacker 13: a receptionist's note read as a clinician's until verify ran). */
    {"CREATE INDEX IF NOT EXISTS audit_object ON audit(object_id, action, seq);\n",
     "PRAGMA user_version = 12", NULL},
    /* 13: an assignment's counselor in the item's history (issue 14: the history said "assign" and not whom; the
     * queue item keeps only its current counselor). Steps written before say nobody. */
    {"ALTER TABLE queue_events ADD COLUMN counselor TEXT CHECK (counselor IS NULL OR length(counselor) BETWEEN 1 AND 64);\n",
     "PRAGMA user_version = 13",
     "SELECT count(*) FROM pragma_table_info('queue_events') WHERE name = 'counselor'"},
    /* 14: the chain covers signatures (core/records/audit.h, issue 12). From meta audit_chained_from on, an entry's
     * hash covers the signature of the entry before it, so that verify checks each key's newest signature and the
     * chain, not a million signatures. A database created now chains from entry 1, an upgraded one from the entry
     * after its last. A value already there is kept (a version set back in the file must not move it; moved
     * anyway, every hash from the lower of the two points stops checking). */
    {"INSERT OR IGNORE INTO meta (key, value) SELECT 'audit_chained_from', CAST((SELECT coalesce(max(seq), 0) + 1 "
     "FROM audit) AS BLOB);\n",
     "PRAGMA user_version = 14", NULL},
};

const int sq_schema_versions = (int)(sizeof sq_migrations / sizeof sq_migrations[0]);

/* ---- the schema as triage created it ---- */

/* One object of sqlite_schema. */
typedef struct {
    char type[16], name[128], table[128];
    char *sql; /* malloc'd; "" for the automatic indexes */
} schema_obj;

static void schema_free(schema_obj *o, int n) {
    for (int i = 0; i < n; i++) free(o[i].sql);
    free(o);
}

/* Every object of db's schema, SQLite's own statistics tables aside: ANALYZE may make them, and they are only
 * ever tables named sqlite_stat1 to sqlite_stat4 exactly. Nothing else is skipped by its name: a trigger, view
 * or index called sqlite_stat_x (planted with writable_schema) would otherwise run unseen. */
static int schema_read(sqlite3 *db, schema_obj **out, int *n) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema "
                                "WHERE NOT (type = 'table' AND name IN ('sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', "
                                "'sqlite_stat4')) ORDER BY type, name",
                                -1, &st, NULL);
    int cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) *out = xrealloc(*out, sizeof **out * (size_t)(cap = cap ? cap * 2 : 64));
        schema_obj *o = &(*out)[(*n)++];
        const unsigned char *t = sqlite3_column_text(st, 0), *nm = sqlite3_column_text(st, 1),
                            *tb = sqlite3_column_text(st, 2), *sq = sqlite3_column_text(st, 3);
        snprintf(o->type, sizeof o->type, "%s", t ? (const char *)t : "");
        snprintf(o->name, sizeof o->name, "%s", nm ? (const char *)nm : "");
        snprintf(o->table, sizeof o->table, "%s", tb ? (const char *)tb : "");
        o->sql = xstrdup(sq ? (const char *)sq : "");
        rc = SQLITE_OK;
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    int frc = sqlite3_finalize(st);
    if (rc == SQLITE_OK) rc = frc;
    if (rc != SQLITE_OK) {
        schema_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* The schema the migrations up to version ver make, in a scratch database in memory. */
static int schema_expected(int64_t ver, schema_obj **out, int *n) {
    sqlite3 *mem = NULL;
    int rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    for (int v = 0; rc == SQLITE_OK && v < ver && v < SCHEMA_VERSION; v++) rc = sq_exec_script(mem, sq_migrations[v].sql);
    if (rc == SQLITE_OK) rc = schema_read(mem, out, n);
    (void)sqlite3_close_v2(mem);
    return rc;
}

/* True when o is, to the letter, an object that a later migration of triage makes or alters (made IF NOT EXISTS, or
 * altered only when not done yet, so that a database whose version was set back, by a test rerunning an upgrade or by
 * someone with the file, runs its migrations again without harm: schema 11's client_keys, 13's queue_events). */
static bool made_later(const schema_obj *o, const schema_obj *latest, int nl) {
    for (int j = 0; j < nl; j++)
        if (!strcmp(latest[j].type, o->type) && !strcmp(latest[j].name, o->name) && !strcmp(latest[j].table, o->table) &&
            !strcmp(latest[j].sql, o->sql))
            return true;
    return false;
}

/* False, with the first difference named, when db's schema is not what triage's migrations up to ver made:
 * a trigger, view, table or index planted in the file (a trigger would run inside every desk's writes, e.g.
 * turning each new red item green), or one of triage's changed or dropped. */
bool sq_schema_as_created(sqlite3 *db, int64_t ver, char *msg, size_t size) {
    schema_obj *want = NULL, *have = NULL, *latest = NULL;
    int nw = 0, nh = 0, nl = 0;
    int rc = schema_expected(ver, &want, &nw);
    if (rc == SQLITE_OK && ver < SCHEMA_VERSION) rc = schema_expected(SCHEMA_VERSION, &latest, &nl);
    if (rc == SQLITE_OK) rc = schema_read(db, &have, &nh);
    bool ok = rc == SQLITE_OK;
    if (!ok) snprintf(msg, size, "the schema cannot be read (%s)", sqlite3_errstr(rc));
    for (int i = 0; ok && i < nh; i++) {
        int j = 0;
        while (j < nw && (strcmp(want[j].type, have[i].type) || strcmp(want[j].name, have[i].name))) j++;
        if (j == nw && made_later(&have[i], latest, nl)) continue;
        if (j == nw) {
            snprintf(msg, size, "unknown %s `%s` on table `%s`: triage did not create it", have[i].type, have[i].name,
                     have[i].table);
            ok = false;
        } else if ((strcmp(want[j].table, have[i].table) || strcmp(want[j].sql, have[i].sql)) &&
                   !made_later(&have[i], latest, nl)) { /* or as a later migration altered it (13's queue_events) */
            snprintf(msg, size, "the %s `%s` differs from what triage created", have[i].type, have[i].name);
            ok = false;
        }
    }
    for (int j = 0; ok && j < nw; j++) {
        int i = 0;
        while (i < nh && (strcmp(want[j].type, have[i].type) || strcmp(want[j].name, have[i].name))) i++;
        if (i == nh) {
            snprintf(msg, size, "the %s `%s` that triage created is missing", want[j].type, want[j].name);
            ok = false;
        }
    }
    schema_free(want, nw);
    schema_free(have, nh);
    schema_free(latest, nl);
    return ok;
}
