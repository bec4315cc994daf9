/* Report facts and recorded sessions, intakes by time for exports, erasure of a client and its rows. */
#include "sqlite_backend.h"

static store_status read_facts(store *s, sqlite3_stmt *st, facts_rec *o) { return sq_read_facts_at(s, st, 0, o); }

store_status sq_read_facts_at(store *s, sqlite3_stmt *st, int base, facts_rec *o) {
    reader r = {st, "intake_facts", NULL, NULL, base};
    memset(o, 0, sizeof *o);
    sq_rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    sq_rd_text(&r, 1, "client_key", o->client_key, sizeof o->client_key, false);
    o->created_at = sq_rd_int(&r, 2, "created_at", INT64_MIN, INT64_MAX);
    sq_rd_text(&r, 3, "level", o->level, sizeof o->level, false);
    sq_rd_text(&r, 4, "channel", o->channel, sizeof o->channel, false);
    sq_rd_text(&r, 5, "concerns", o->concerns, sizeof o->concerns, false);
    sq_rd_text(&r, 6, "age_band", o->age_band, sizeof o->age_band, false);
    sq_rd_text(&r, 7, "counselor", o->counselor, sizeof o->counselor, false);
    o->deadline = sq_rd_int(&r, 8, "deadline", INT64_MIN, INT64_MAX);
    o->confirmed_at = sq_rd_int(&r, 9, "confirmed_at", INT64_MIN, INT64_MAX);
    sq_rd_text(&r, 10, "confirmed_level", o->confirmed_level, sizeof o->confirmed_level, false);
    o->first_contact_at = sq_rd_int(&r, 11, "first_contact_at", INT64_MIN, INT64_MAX);
    o->suggestions = (int)sq_rd_int(&r, 12, "suggestions", 0, INT_MAX);
    o->declines = (int)sq_rd_int(&r, 13, "declines", 0, INT_MAX);
    o->overdue = sq_rd_int(&r, 14, "overdue", 0, 1) != 0;
    o->first_session_day = sq_rd_int(&r, 15, "first_session_day", INT64_MIN, INT64_MAX);
    o->first_session_attended = (int)sq_rd_int(&r, 16, "first_session_attended", -1, 1);
    o->sessions_attended = (int)sq_rd_int(&r, 17, "sessions_attended", 0, INT_MAX);
    o->last_session_day = sq_rd_int(&r, 18, "last_session_day", INT64_MIN, INT64_MAX);
    sq_rd_text(&r, 19, "closed_reason", o->closed_reason, sizeof o->closed_reason, false);
    o->closed_at = sq_rd_int(&r, 20, "closed_at", INT64_MIN, INT64_MAX);
    sq_rd_mac(&r, 22, o->mac, &o->has_mac);
    if (!r.bad && !store_level_ok(o->level)) sq_rd_bad(&r, "level");
    return sq_rd_end(s, &r);
}

static store_status rd_facts_one(store *s, sqlite3_stmt *st, void *o) { return read_facts(s, st, o); }

store_status sq_facts_put(store *s, const facts_rec *r) {
    const char *what = "save the facts of an intake";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_FACTS_PUT, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_text(st, 2, r->client_key, rc);
    rc = sq_b_int(st, 3, r->created_at, rc);
    rc = sq_b_text(st, 4, r->level, rc);
    rc = sq_b_text(st, 5, r->channel, rc);
    rc = sq_b_text(st, 6, r->concerns, rc);
    rc = sq_b_text(st, 7, r->age_band, rc);
    rc = sq_b_text(st, 8, r->counselor, rc);
    rc = sq_b_int(st, 9, r->deadline, rc);
    rc = sq_b_int(st, 10, r->confirmed_at, rc);
    rc = sq_b_text(st, 11, r->confirmed_level, rc);
    rc = sq_b_int(st, 12, r->first_contact_at, rc);
    rc = sq_b_int(st, 13, r->suggestions, rc);
    rc = sq_b_int(st, 14, r->declines, rc);
    rc = sq_b_int(st, 15, r->overdue ? 1 : 0, rc);
    rc = sq_b_int(st, 16, r->first_session_day, rc);
    rc = sq_b_int(st, 17, r->first_session_attended, rc);
    rc = sq_b_int(st, 18, r->sessions_attended, rc);
    rc = sq_b_int(st, 19, r->last_session_day, rc);
    rc = sq_b_text(st, 20, r->closed_reason, rc);
    rc = sq_b_int(st, 21, r->closed_at, rc);
    rc = sq_b_blob_or_null(st, 22, r->mac, r->has_mac ? VAULT_MAC_BYTES : 0, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "save the facts of the intake %s", r->id);
}

store_status sq_facts_get(store *s, const char *id, facts_rec *out) {
    return sq_one_row(s, S_FACTS_GET, id, rd_facts_one, out, "facts of intake");
}

store_status sq_facts_for_client(store *s, const char *client_key, facts_rec **out, int *n) {
    return sq_list_rows(s, S_FACTS_FOR_CLIENT, client_key, sizeof **out, rd_facts_one, NULL, (void **)out, n,
                     "list the facts of a client");
}

static int retained_of(store *s, int64_t from, int64_t to, int retain_n, int retain_days, retained_list *out) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_FACTS_SESSIONS, &st);
    rc = sq_b_int(st, 1, from, rc);
    rc = sq_b_int(st, 2, to, rc);
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
    sq_stmt_done(st);
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
store_status sq_facts_scan(store *s, int64_t from, int64_t to, int retain_n, int retain_days, facts_cb cb,
                                  void *ctx) {
    /* both reads in one read transaction: the same snapshot */
    bool own = sqlite3_get_autocommit(s->db) != 0;
    int rc = own ? sq_exec_script(s->db, "BEGIN") : SQLITE_OK;
    retained_list kept = {NULL, 0, 0, 0};
    if (rc == SQLITE_OK) rc = retained_of(s, from, to, retain_n, retain_days, &kept);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK) rc = sq_stmt(s, S_FACTS_SCAN, &st);
    rc = sq_b_int(st, 1, from, rc);
    rc = sq_b_int(st, 2, to, rc);
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
    sq_stmt_done(st);
    free(kept.v);
    if (own) (void)sq_exec_script(s->db, "COMMIT");
    if (x != ST_OK) return x;
    return rc == SQLITE_DONE || rc == SQLITE_ROW || rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "read the facts");
}

store_status sq_facts_rekey(store *s, const char *old_id, const char *new_id, const char *new_client_key) {
    const char *what = "re-key the facts of an intake";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int changes = 0;
    int rc = sq_stmt(s, S_FACTS_REKEY, &st);
    rc = sq_b_text(st, 1, old_id, rc);
    rc = sq_b_text(st, 2, new_id, rc);
    rc = sq_b_text(st, 3, new_client_key, rc);
    rc = sq_run_write(s, st, rc, &changes);
    if (rc == SQLITE_OK && changes == 0) return sq_fail(s, ST_NOTFOUND, "Database %s: no facts %s.", s->path, old_id);
    if (rc == SQLITE_OK) rc = sq_stmt(s, S_FACTS_REKEY_SESSIONS, &st);
    if (rc == SQLITE_OK) {
        rc = sq_b_text(st, 1, old_id, rc);
        rc = sq_b_text(st, 2, new_id, rc);
        rc = sq_b_text(st, 3, new_client_key, rc);
        rc = sq_run_write(s, st, rc, NULL);
    }
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "re-key the facts %s", old_id);
}

static store_status read_osession(store *s, sqlite3_stmt *st, outcome_session_rec *o) {
    reader r = {st, "outcome_sessions", NULL, NULL, 0};
    memset(o, 0, sizeof *o);
    sq_rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    sq_rd_text(&r, 1, "facts_id", o->facts_id, sizeof o->facts_id, false);
    sq_rd_text(&r, 2, "client_key", o->client_key, sizeof o->client_key, false);
    o->day = sq_rd_int(&r, 3, "day", INT64_MIN, INT64_MAX);
    o->attended = sq_rd_int(&r, 4, "attended", 0, 1) != 0;
    sq_rd_text(&r, 5, "counselor", o->counselor, sizeof o->counselor, false);
    o->recorded_at = sq_rd_int(&r, 6, "recorded_at", INT64_MIN, INT64_MAX);
    sq_rd_text(&r, 7, "recorded_by", o->recorded_by, sizeof o->recorded_by, false);
    o->intake_at = sq_rd_int(&r, 8, "intake_at", INT64_MIN, INT64_MAX);
    return sq_rd_end(s, &r);
}

static store_status rd_osession_row(store *s, sqlite3_stmt *st, void *o) { return read_osession(s, st, o); }

store_status sq_outcome_session_add(store *s, const outcome_session_rec *r) {
    const char *what = "record a session";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_OSESSION_ADD, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_text(st, 2, r->facts_id, rc);
    rc = sq_b_text(st, 3, r->client_key, rc);
    rc = sq_b_int(st, 4, r->day, rc);
    rc = sq_b_int(st, 5, r->attended ? 1 : 0, rc);
    rc = sq_b_text(st, 6, r->counselor, rc);
    rc = sq_b_int(st, 7, r->recorded_at, rc);
    rc = sq_b_text(st, 8, r->recorded_by, rc);
    rc = sq_b_int(st, 9, r->intake_at, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "record the session %s", r->id);
}

store_status sq_outcome_sessions(store *s, const char *facts_id, outcome_session_rec **out, int *n) {
    return sq_list_rows(s, S_OSESSION_LIST, facts_id, sizeof **out, rd_osession_row, NULL, (void **)out, n,
                     "list the sessions of an intake");
}

store_status sq_client_erase(store *s, const char *client_id) {
    const char *what = "erase a client";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    /* overwritten first, then deleted: with secure_delete the freed space is zeroed as well */
    /* the client's own key first (schema 11): every value sealed under it is noise once it is gone */
    static const enum sid steps[] = {S_ERASE_OVERWRITE_CLIENT, S_ERASE_OVERWRITE_KEY, S_ERASE_KEY,
                                     S_ERASE_OVERWRITE_INTAKES, S_ERASE_OVERWRITE_REASONS, S_ERASE_EVENTS, S_ERASE_ITEMS,
                                     S_ERASE_INTAKES, S_BIDX_CLEAR, S_ERASE_CLIENT};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sqlite3_stmt *st = NULL;
        int changes = 0;
        int rc = sq_stmt(s, steps[i], &st);
        rc = sq_b_text(st, 1, client_id, rc);
        rc = sq_run_write(s, st, rc, &changes);
        if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "erase the client %s", client_id);
        if (steps[i] == S_ERASE_OVERWRITE_CLIENT && changes == 0)
            return sq_fail(s, ST_NOTFOUND, "Database %s: no client %s.", s->path, client_id);
    }
    return ST_OK;
}

static store_status rd_draft_row(store *s, sqlite3_stmt *st, void *o) { return sq_read_draft(s, st, o); }

static void drop_draft(void *r) { draft_rec_free(r); }

store_status sq_drafts_before(store *s, int64_t cutoff, draft_rec **out, int *n) {
    return sq_list_rows_by(s, S_DRAFTS_BEFORE, (list_param){NULL, true, cutoff}, sizeof **out, rd_draft_row, drop_draft,
                        (void **)out, n, "list old drafts");
}

store_status sq_clients_closed_before(store *s, int64_t cutoff, char (**ids)[STORE_ID_LEN], int *n) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_CLIENTS_CLOSED_BEFORE, &st);
    rc = sq_b_int(st, 1, cutoff, rc);
    return sq_collect_rows(s, st, rc, sizeof **ids, sq_rd_clients_id, NULL, (void **)ids, n, "list closed records");
}

store_status sq_checkpoint(store *s, bool *complete) {
    *complete = false;
    if (!sqlite3_get_autocommit(s->db)) return sq_invalid(s, "checkpoint the WAL", "a transaction is open");
    if (!sq_file_still_ours(s)) return sq_fail_replaced(s, "the WAL was not checkpointed");
    int log = 0, done = 0;
    int rc = SQLITE_BUSY;
    int fd = sq_mark_lock(s->path, true); /* the file's mark, taken again after this write of the file */
    if (!sq_guard_begin(s)) {
        sq_mark_unlock(fd);
        return sq_file_still_ours(s) ? ST_OK : sq_fail_replaced(s, "the WAL was not checkpointed");
    }
    sq_mark_unsettle(fd);
    /* the checkpointer's lock is also held for an instant by each desk's poll (sq_file_still_ours) */
    for (int attempt = 0; attempt <= LOCK_RETRIES && sq_is_busy(rc); attempt++) {
        if (attempt) (void)sqlite3_sleep(RETRY_SLEEP_MS);
        rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    }
    if (!sq_guard_end(s)) {
        sq_mark_resettle(fd);
        sq_mark_unlock(fd);
        return sq_fail_replaced(s, "the WAL was not checkpointed");
    }
    (void)dbfile_mark_take(s->db, s->path, &s->mark); /* this connection's own write of the file */
    sq_mark_record(fd, s->path, s->db);
    sq_mark_unlock(fd);
    if (sq_is_busy(rc)) return ST_OK; /* another desk is reading: the frames are overwritten later */
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "checkpoint the WAL");
    *complete = log == done;
    return ST_OK;
}

store_status sq_draft_erase(store *s, const char *id) {
    const char *what = "erase a draft";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_DRAFT_OVERWRITE, &st);
    rc = sq_b_text(st, 1, id, rc);
    rc = sq_run_write(s, st, rc, NULL);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "erase the draft %s", id);
    return sq_draft_delete(s, id);
}
