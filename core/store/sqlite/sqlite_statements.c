/* Every statement as a constant string, prepared once per store and cached
 * (SQLITE_PREPARE_PERSISTENT); binding, stepping and resetting them; raw scripts for opening and upgrades. */
#include "sqlite_backend.h"

const char *const sq_sql_text[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_READ_BEGIN] = "BEGIN DEFERRED",
    [S_READ_SNAPSHOT] = "SELECT count(*) FROM meta WHERE key = ''", /* any read: the snapshot is taken here */
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    /* the keys from ?1 (the prefix) up to ?2 (the prefix with its last byte one higher), by the primary key */
    [S_META_ANY] = "SELECT 1 FROM meta WHERE key >= ?1 AND key < ?2 LIMIT 1",
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
    /* the client's own key (schema 11) beside it, NULL before the upgrade reached it */
    [S_CLIENT_GET] = "SELECT c.id, c.created_at, c.created_by, c.name_ct, c.phone_ct, c.birth_ct, k.key_ct FROM clients "
                     "AS c LEFT JOIN client_keys AS k ON k.client_id = c.id WHERE c.id = ?1",
    [S_CLIENT_COUNT] = "SELECT count(*) FROM clients",
    [S_BIDX_ADD] = "INSERT INTO blind_index(value, client_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    [S_BIDX_CLEAR] = "DELETE FROM blind_index WHERE client_id = ?1",
    [S_BIDX_FIND] = "SELECT client_id FROM blind_index WHERE value = ?1 ORDER BY client_id",
    [S_INTAKE_INSERT] = "INSERT INTO intakes(" INTAKE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [S_INTAKE_GET] = "SELECT " INTAKE_COLS " FROM intakes WHERE id = ?1",
    /* the intake and its client's key (column 10), NULL when the client has none */
    [S_INTAKE_GET_KEYED] = "SELECT i.id, i.client_id, i.created_at, i.created_by, i.level, i.suggested, i.chosen, "
                           "i.body_ct, i.notes_ct, i.mac, k.key_ct FROM intakes AS i LEFT JOIN client_keys AS k ON "
                           "k.client_id = i.client_id WHERE i.id = ?1",
    [S_INTAKE_LIST] = "SELECT " INTAKE_COLS " FROM intakes WHERE client_id = ?1 ORDER BY created_at, rowid",
    /* a draft stays its author's: saving over someone else's changes nothing (and is reported) */
    [S_DRAFT_PUT] = "INSERT INTO drafts(" DRAFT_COLS ") VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
                    "updated_at = excluded.updated_at, body_ct = excluded.body_ct WHERE drafts.staff_id = excluded.staff_id",
    [S_DRAFT_FOR_STAFF] = "SELECT " DRAFT_COLS " FROM drafts WHERE staff_id = ?1 ORDER BY updated_at DESC, rowid DESC "
                          "LIMIT 1",
    [S_DRAFT_DELETE] = "DELETE FROM drafts WHERE id = ?1",
    [S_AUDIT_APPEND] = "INSERT INTO audit(" AUDIT_COLS ") SELECT coalesce(max(seq), 0) + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 "
                       "FROM audit",
    [S_AUDIT_LAST] = "SELECT " AUDIT_COLS " FROM audit ORDER BY seq DESC LIMIT 1",
    /* with the hash and signature of the entry before it (columns 9 and 10), so that the entry can be checked alone */
    [S_AUDIT_FIRST_OF] = "SELECT " AUDIT_COLS ", " AUDIT_PREV_COLS " FROM audit INDEXED BY audit_object WHERE object_id = ?1 "
                         "AND action = ?2 ORDER BY seq LIMIT 1",
    [S_AUDIT_LAST_OF] = "SELECT " AUDIT_COLS ", " AUDIT_PREV_COLS " FROM audit INDEXED BY audit_object WHERE object_id = ?1 "
                        "AND action = ?2 ORDER BY seq DESC LIMIT 1",
    /* the table itself read from its end, never an index: an index is a second copy of the rows that the file can
     * make lie (one rebuilt with a WHERE and its text put back passes the schema check) */
    [S_AUDIT_LAST_SIGNED_BY] = "SELECT " AUDIT_COLS ", " AUDIT_PREV_COLS " FROM audit NOT INDEXED WHERE staff_id = ?1 "
                               "AND sig IS NOT NULL ORDER BY seq DESC LIMIT 1",
    [S_AUDIT_PAGE] = "SELECT " AUDIT_COLS " FROM audit WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    [S_AUDIT_SET_MAC] = "UPDATE audit SET mac = ?2 WHERE seq = ?1",
    [S_SEALED_CLIENTS] = "SELECT c.rowid, c.id, k.key_ct, c.name_ct, c.phone_ct, c.birth_ct FROM clients AS c LEFT JOIN "
                         "client_keys AS k ON k.client_id = c.id WHERE c.rowid > ?1 ORDER BY c.rowid LIMIT ?2",
    [S_SEALED_INTAKES] = "SELECT rowid, id, body_ct, notes_ct FROM intakes WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
    [S_SEALED_DRAFTS] = "SELECT rowid, id, body_ct FROM drafts WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
    [S_SET_CLIENT_NAME] = "UPDATE clients SET name_ct = ?2 WHERE id = ?1",
    [S_SET_CLIENT_PHONE] = "UPDATE clients SET phone_ct = ?2 WHERE id = ?1",
    [S_SET_CLIENT_BIRTH] = "UPDATE clients SET birth_ct = ?2 WHERE id = ?1",
    [S_SET_CLIENT_KEY] = "INSERT INTO client_keys(client_id, key_ct) VALUES (?1, ?2) ON CONFLICT(client_id) DO UPDATE SET "
                         "key_ct = excluded.key_ct",
    [S_SET_INTAKE_BODY] = "UPDATE intakes SET body_ct = ?2 WHERE id = ?1",
    [S_SET_INTAKE_NOTES] = "UPDATE intakes SET notes_ct = ?2 WHERE id = ?1",
    [S_SET_DRAFT_BODY] = "UPDATE drafts SET body_ct = ?2 WHERE id = ?1",
    [S_DATA_VERSION] = "PRAGMA data_version",
    [S_QUEUE_PUT] = "INSERT OR REPLACE INTO queue_items(" QUEUE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                    "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    [S_QUEUE_GET] = "SELECT " QUEUE_COLS " FROM queue_items WHERE id = ?1",
    [S_QUEUE_FOR_CLIENT] = "SELECT " QUEUE_COLS " FROM queue_items WHERE client_id = ?1 AND state <> 'closed' "
                           "ORDER BY created_at DESC LIMIT 1",
    [S_QUEUE_ALL_FOR_CLIENT] = "SELECT " QUEUE_COLS " FROM queue_items WHERE client_id = ?1 ORDER BY created_at, id",
    [S_QUEUE_LIST_OPEN] = "SELECT " QUEUE_COLS " FROM queue_items WHERE state <> 'closed'",
    /* the ORDER BY repeats queue_urgency's expressions exactly, so SQLite walks that index */
    [S_QUEUE_FIRST] = "SELECT " QUEUE_COLS " FROM queue_items WHERE state <> 'closed' ORDER BY overdue DESC, (CASE level "
                      "WHEN 'red' THEN 3 WHEN 'orange' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END) DESC, deadline = 0, "
                      "deadline, created_at, id LIMIT ?1",
    [S_QUEUE_DUE] = "SELECT " QUEUE_COLS " FROM queue_items WHERE state <> 'closed' AND deadline > 0 AND deadline <= ?1",
    [S_EVENT_ADD] = "INSERT INTO queue_events(" EVENT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
                     "AND (?2 = 0 OR overdue = 1) AND (?3 = 0 OR (match_by_hand = 1 AND state NOT IN ('assigned', "
                     "'contacted'))) AND (?4 = '' OR "
                     "substr(id, 1, length(?4)) = ?4 OR substr(client_id, 1, length(?4)) = ?4) ORDER BY overdue DESC, "
                     "(CASE level WHEN 'red' THEN 3 WHEN 'orange' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END) DESC, "
                     "deadline = 0, deadline, created_at, id LIMIT ?6 OFFSET ?5",
    [S_QUEUE_ASSIGNED] = "SELECT count(*) FROM queue_items WHERE state <> 'closed' AND counselor = ?1",
    [S_QUEUE_BY_HAND] = "SELECT count(*) FROM queue_items WHERE state <> 'closed' AND match_by_hand = 1 AND state NOT "
                        "IN ('assigned', 'contacted')",
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
    [S_FACTS_REKEY_SESSIONS] = "UPDATE outcome_sessions SET facts_id = ?2, client_key = ?3, recorded_by = '', "
                               "intake_at = (SELECT created_at FROM intake_facts WHERE id = ?2), "
                               "recorded_at = (SELECT created_at FROM intake_facts WHERE id = ?2) WHERE facts_id = ?1",
    [S_OSESSION_ADD] = "INSERT INTO outcome_sessions(" OSESSION_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_OSESSION_LIST] = "SELECT " OSESSION_COLS " FROM outcome_sessions WHERE facts_id = ?1 ORDER BY day, rowid",
    [S_INTAKE_PAGE] = "SELECT rowid, " INTAKE_COLS " FROM intakes WHERE created_at >= ?1 AND created_at < ?2 AND "
                      "(created_at > ?3 OR (created_at = ?3 AND rowid > ?4)) ORDER BY created_at, rowid LIMIT ?5",
    /* the page above, each intake with its client (and its key) and its facts: columns 1.. the intake, 11.. the
     * client, 18.. the facts (sqlite_intake_pages.c) */
    [S_INTAKE_PAGE_JOINED] =
        "SELECT i.rowid, i.id, i.client_id, i.created_at, i.created_by, i.level, i.suggested, i.chosen, i.body_ct, "
        "i.notes_ct, i.mac, c.id, c.created_at, c.created_by, c.name_ct, c.phone_ct, c.birth_ct, k.key_ct, f.id, "
        "f.client_key, f.created_at, f.level, f.channel, f.concerns, f.age_band, f.counselor, f.deadline, "
        "f.confirmed_at, f.confirmed_level, f.first_contact_at, f.suggestions, f.declines, f.overdue, "
        "f.first_session_day, f.first_session_attended, f.sessions_attended, f.last_session_day, f.closed_reason, "
        "f.closed_at, 0, f.mac FROM intakes AS i LEFT JOIN clients AS c ON c.id = i.client_id LEFT JOIN client_keys "
        "AS k ON k.client_id = c.id LEFT JOIN intake_facts AS f ON f.id = i.id WHERE i.created_at >= ?1 AND "
        "i.created_at < ?2 AND (i.created_at > ?3 OR (i.created_at = ?3 AND i.rowid > ?4)) ORDER BY i.created_at, "
        "i.rowid LIMIT ?5",
    /* the page above, each intake's clear columns (1..5) with its facts (6..): no sealed value, no client */
    [S_INTAKE_PAGE_CLEAR] =
        "SELECT i.rowid, i.id, i.client_id, i.created_at, i.level, i.suggested, f.id, f.client_key, f.created_at, "
        "f.level, f.channel, f.concerns, f.age_band, f.counselor, f.deadline, f.confirmed_at, f.confirmed_level, "
        "f.first_contact_at, f.suggestions, f.declines, f.overdue, f.first_session_day, f.first_session_attended, "
        "f.sessions_attended, f.last_session_day, f.closed_reason, f.closed_at, 0, f.mac FROM intakes AS i LEFT JOIN "
        "intake_facts AS f ON f.id = i.id WHERE i.created_at >= ?1 AND i.created_at < ?2 AND (i.created_at > ?3 OR "
        "(i.created_at = ?3 AND i.rowid > ?4)) ORDER BY i.created_at, i.rowid LIMIT ?5",
    [S_ERASE_OVERWRITE_CLIENT] = "UPDATE clients SET name_ct = randomblob(length(name_ct)), phone_ct = CASE WHEN phone_ct "
                                 "IS NULL THEN NULL ELSE randomblob(length(phone_ct)) END, birth_ct = CASE WHEN birth_ct "
                                 "IS NULL THEN NULL ELSE randomblob(length(birth_ct)) END WHERE id = ?1",
    [S_ERASE_OVERWRITE_KEY] = "UPDATE client_keys SET key_ct = randomblob(length(key_ct)) WHERE client_id = ?1",
    [S_ERASE_KEY] = "DELETE FROM client_keys WHERE client_id = ?1",
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
    [S_ROW_IDS_CLIENTS] = "SELECT c.id FROM clients AS c WHERE ?1 = 0 OR NOT EXISTS (SELECT 1 FROM client_keys AS k WHERE "
                          "k.client_id = c.id) ORDER BY c.rowid",
    [S_ROW_MAC_QUEUE] = "UPDATE queue_items SET mac = ?2, mac_state = NULL WHERE id = ?1",
    [S_ROW_MAC_INTAKES] = "UPDATE intakes SET mac = ?2 WHERE id = ?1",
    [S_ROW_MAC_FACTS] = "UPDATE intake_facts SET mac = ?2 WHERE id = ?1",
};

int sq_stmt(store *s, enum sid id, sqlite3_stmt **out) {
    *out = NULL;
    if (!s->st[id]) {
        int rc = sqlite3_prepare_v3(s->db, sq_sql_text[id], -1, SQLITE_PREPARE_PERSISTENT, &s->st[id], NULL);
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
void sq_stmt_done(sqlite3_stmt *st) {
    if (!st) return;
    (void)sqlite3_reset(st);
    (void)sqlite3_clear_bindings(st);
}

/* Binding helpers: each passes on an earlier failure untouched, so a chain reports the first one. */
int sq_b_text(sqlite3_stmt *st, int i, const char *v, int rc) {
    return rc != SQLITE_OK ? rc : sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

int sq_b_text_or_null(sqlite3_stmt *st, int i, const char *v, int rc) {
    if (rc != SQLITE_OK) return rc;
    return v[0] ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int sq_b_int(sqlite3_stmt *st, int i, int64_t v, int rc) {
    return rc != SQLITE_OK ? rc : sqlite3_bind_int64(st, i, v);
}

/* A blob, zero-length included (stored as an empty blob, not NULL). */
int sq_b_blob(sqlite3_stmt *st, int i, const void *p, size_t n, int rc) {
    if (rc != SQLITE_OK) return rc;
    if (n == 0) return sqlite3_bind_zeroblob(st, i, 0);
    return sqlite3_bind_blob64(st, i, p, (sqlite3_uint64)n, SQLITE_STATIC);
}

/* An optional sealed value: empty is NULL. */
int sq_b_blob_or_null(sqlite3_stmt *st, int i, const void *p, size_t n, int rc) {
    if (rc != SQLITE_OK) return rc;
    if (n == 0) return sqlite3_bind_null(st, i);
    return sqlite3_bind_blob64(st, i, p, (sqlite3_uint64)n, SQLITE_STATIC);
}

/* Steps a statement that returns no rows; *changes gets the number of rows it changed. */
int sq_step_done(store *s, sqlite3_stmt *st, int *changes) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
        if (changes) *changes = sqlite3_changes(s->db);
    } else if (rc == SQLITE_ROW) {
        rc = SQLITE_MISUSE;
    }
    sq_stmt_done(st);
    return rc;
}

/* Runs a bound write statement; after a binding failure (rc) only makes it ready for its next use. */
int sq_run_write(store *s, sqlite3_stmt *st, int rc, int *changes) {
    if (rc != SQLITE_OK) {
        sq_stmt_done(st);
        return rc;
    }
    return sq_step_done(s, st, changes);
}

/* Runs a constant script of one or more statements (migrations, pragmas), each prepared in turn. */
int sq_exec_script(sqlite3 *db, const char *sql) {
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
int sq_query_int(sqlite3 *db, const char *sql, int64_t *out) {
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

int sq_query_text(sqlite3 *db, const char *sql, char *buf, size_t size) {
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
int sq_begin_raw(sqlite3 *db) {
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt <= LOCK_RETRIES; attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS * attempt); /* returns the time slept */
        rc = sq_exec_script(db, "BEGIN IMMEDIATE");
        if (!sq_is_busy(rc)) break;
    }
    return rc;
}

int sq_commit_raw(sqlite3 *db) {
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt <= LOCK_RETRIES; attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS * attempt);
        rc = sq_exec_script(db, "COMMIT");
        if (!sq_is_busy(rc)) break;
    }
    return rc;
}
