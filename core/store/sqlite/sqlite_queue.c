/* Escalation queue items and their events. */
#include "sqlite_backend.h"

static store_status read_queue(store *s, sqlite3_stmt *st, queue_rec *o) {
    reader r = {st, "queue_items", NULL, NULL, 0};
    memset(o, 0, sizeof *o);
    sq_rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    sq_rd_text(&r, 1, "client_id", o->client_id, sizeof o->client_id, false);
    sq_rd_text(&r, 2, "intake_id", o->intake_id, sizeof o->intake_id, false);
    sq_rd_text(&r, 3, "level", o->level, sizeof o->level, false);
    sq_rd_text(&r, 4, "state", o->state, sizeof o->state, false);
    sq_rd_text(&r, 5, "outcome", o->outcome, sizeof o->outcome, false);
    sq_rd_text(&r, 6, "pending_level", o->pending_level, sizeof o->pending_level, true);
    sq_rd_text(&r, 7, "counselor", o->counselor, sizeof o->counselor, true);
    o->created_at = sq_rd_int(&r, 8, "created_at", INT64_MIN, INT64_MAX);
    o->level_since = sq_rd_int(&r, 9, "level_since", INT64_MIN, INT64_MAX);
    o->deadline = sq_rd_int(&r, 10, "deadline", INT64_MIN, INT64_MAX);
    o->updated_at = sq_rd_int(&r, 11, "updated_at", INT64_MIN, INT64_MAX);
    o->overdue = sq_rd_int(&r, 12, "overdue", 0, 1) != 0;
    o->match_by_hand = sq_rd_int(&r, 13, "match_by_hand", 0, 1) != 0;
    o->escalations = (int)sq_rd_int(&r, 14, "escalations", 0, INT_MAX);
    o->declines_in_row = (int)sq_rd_int(&r, 15, "declines_in_row", 0, INT_MAX);
    o->contact_attempts = (int)sq_rd_int(&r, 16, "contact_attempts", 0, INT_MAX);
    sq_rd_mac(&r, 17, o->mac, &o->has_mac);
    const void *ms = sqlite3_column_type(st, 18) == SQLITE_BLOB ? sqlite3_column_blob(st, 18) : NULL;
    int msn = ms ? sqlite3_column_bytes(st, 18) : 0;
    if (ms && msn > 0 && (size_t)msn <= sizeof o->mac_state) {
        memcpy(o->mac_state, ms, (size_t)msn);
        o->mac_state_n = (size_t)msn;
    }
    if (!r.bad && !store_level_ok(o->level)) sq_rd_bad(&r, "level");
    return sq_rd_end(s, &r);
}

static store_status read_event(store *s, sqlite3_stmt *st, queue_event_rec *o) {
    reader r = {st, "queue_events", NULL, NULL, 0};
    memset(o, 0, sizeof *o);
    sq_rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    sq_rd_text(&r, 1, "item_id", o->item_id, sizeof o->item_id, false);
    o->at = sq_rd_int(&r, 2, "at", INT64_MIN, INT64_MAX);
    sq_rd_text(&r, 3, "staff_id", o->staff_id, sizeof o->staff_id, true);
    sq_rd_text(&r, 4, "action", o->action, sizeof o->action, false);
    sq_rd_text(&r, 5, "from_state", o->from_state, sizeof o->from_state, false);
    sq_rd_text(&r, 6, "to_state", o->to_state, sizeof o->to_state, false);
    sq_rd_text(&r, 7, "level_before", o->level_before, sizeof o->level_before, false);
    sq_rd_text(&r, 8, "level_after", o->level_after, sizeof o->level_after, false);
    sq_rd_blob(&r, 9, "reason_ct", &o->reason_ct, true);
    sq_rd_text(&r, 10, "counselor", o->counselor, sizeof o->counselor, true);
    store_status x = sq_rd_end(s, &r);
    if (x != ST_OK) queue_event_rec_free(o);
    return x;
}

store_status sq_queue_put(store *s, const queue_rec *r) {
    const char *what = "save a queue item";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_QUEUE_PUT, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_text(st, 2, r->client_id, rc);
    rc = sq_b_text(st, 3, r->intake_id, rc);
    rc = sq_b_text(st, 4, r->level, rc);
    rc = sq_b_text(st, 5, r->state, rc);
    rc = sq_b_text(st, 6, r->outcome, rc);
    rc = sq_b_text_or_null(st, 7, r->pending_level, rc);
    rc = sq_b_text_or_null(st, 8, r->counselor, rc);
    rc = sq_b_int(st, 9, r->created_at, rc);
    rc = sq_b_int(st, 10, r->level_since, rc);
    rc = sq_b_int(st, 11, r->deadline, rc);
    rc = sq_b_int(st, 12, r->updated_at, rc);
    rc = sq_b_int(st, 13, r->overdue ? 1 : 0, rc);
    rc = sq_b_int(st, 14, r->match_by_hand ? 1 : 0, rc);
    rc = sq_b_int(st, 15, r->escalations, rc);
    rc = sq_b_int(st, 16, r->declines_in_row, rc);
    rc = sq_b_int(st, 17, r->contact_attempts, rc);
    rc = sq_b_blob_or_null(st, 18, r->mac, r->has_mac ? VAULT_MAC_BYTES : 0, rc);
    rc = sq_b_blob_or_null(st, 19, r->mac_state, r->mac_state_n, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "save the queue item %s", r->id);
}

/* One queue row by a key, with statement sid. */
static store_status rd_queue_one(store *s, sqlite3_stmt *st, void *o) { return read_queue(s, st, o); }

static store_status queue_one(store *s, enum sid sid, const char *key, queue_rec *out, const char *what) {
    if (!s) return ST_INVALID;
    if (out) memset(out, 0, sizeof *out);
    if (!store_id_ok(key) || !out) return sq_invalid(s, what, "no valid id or no result was given");
    return sq_one_row(s, sid, key, rd_queue_one, out, "queue item for");
}

store_status sq_queue_get(store *s, const char *id, queue_rec *out) {
    return queue_one(s, S_QUEUE_GET, id, out, "read the queue item");
}

store_status sq_queue_open_for_client(store *s, const char *client_id, queue_rec *out) {
    return queue_one(s, S_QUEUE_FOR_CLIENT, client_id, out, "read the open queue item of the client");
}

store_status sq_queue_all_for_client(store *s, const char *client_id, queue_rec **out, int *n) {
    if (!out || !n || !store_id_ok(client_id))
        return sq_invalid(s, "list the queue items of a client", "no valid client id or no result was given");
    return sq_list_rows(s, S_QUEUE_ALL_FOR_CLIENT, client_id, sizeof **out, rd_queue_one, NULL, (void **)out, n,
                        "list the queue items of a client");
}

static store_status rd_event_row(store *s, sqlite3_stmt *st, void *o) { return read_event(s, st, o); }

static void drop_event(void *r) { queue_event_rec_free(r); }

store_status sq_queue_first(store *s, int limit, queue_rec **out, int *n) {
    return sq_list_rows_by(s, S_QUEUE_FIRST, (list_param){NULL, true, limit}, sizeof **out, rd_queue_one, NULL, (void **)out, n,
                         "read the first page of the queues");
}

store_status sq_queue_due(store *s, int64_t now, queue_rec **out, int *n) {
    return sq_list_rows_by(s, S_QUEUE_DUE, (list_param){NULL, true, now}, sizeof **out, rd_queue_one, NULL, (void **)out, n,
                        "read the items falling due");
}

/* Steps a statement that yields one row of integers into v[0..n). */
static int one_row_ints(store *s, enum sid sid, int64_t *v, int n) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, sid, &st);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        for (int i = 0; i < n; i++) v[i] = sqlite3_column_int64(st, i);
        rc = SQLITE_OK;
    }
    sq_stmt_done(st);
    return rc;
}

store_status sq_queue_counts(store *s, queue_counts_rec *out) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_QUEUE_COUNTS, &st);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int level = sqlite3_column_int(st, 1), count = sqlite3_column_int(st, 2);
        if (level < 0 || level > 3) continue;
        out->open[level] += count;
        if (sqlite3_column_int(st, 0)) out->overdue[level] += count;
        out->total += count;
        rc = SQLITE_OK;
    }
    sq_stmt_done(st);
    int64_t hand = 0, red[3] = {0, 0, 0};
    if (rc == SQLITE_DONE) rc = one_row_ints(s, S_QUEUE_BY_HAND, &hand, 1);
    if (rc == SQLITE_OK) rc = one_row_ints(s, S_QUEUE_RED, red, 3);
    if (rc != SQLITE_OK) {
        memset(out, 0, sizeof *out);
        return sq_fail_rc(s, rc, "count the queues");
    }
    out->by_hand = (int)hand;
    out->red_waiting = (int)red[1];
    out->red_newest = red[2];
    return ST_OK;
}

/* An id prefix may hold only what an id holds, so it can never widen a match. */
store_status sq_queue_page(store *s, const queue_filter *f, int offset, int limit, queue_rec **out, int *n) {
    const char *what = "read a page of the queues";
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_QUEUE_PAGE, &st);
    rc = sq_b_text(st, 1, f->level ? f->level : "", rc);
    rc = sq_b_int(st, 2, f->overdue_only, rc);
    rc = sq_b_int(st, 3, f->by_hand_only, rc);
    rc = sq_b_text(st, 4, f->id_prefix ? f->id_prefix : "", rc);
    rc = sq_b_int(st, 5, offset, rc);
    rc = sq_b_int(st, 6, limit, rc);
    return sq_collect_rows(s, st, rc, sizeof **out, rd_queue_one, NULL, (void **)out, n, what);
}

store_status sq_queue_count_assigned(store *s, const char *counselor, int64_t *n) {
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_QUEUE_ASSIGNED, &st);
    rc = sq_b_text(st, 1, counselor, rc);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sq_stmt_done(st);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "count the caseload of %s", counselor);
}

store_status sq_queue_list_open(store *s, queue_rec **out, int *n) {
    return sq_list_rows(s, S_QUEUE_LIST_OPEN, NULL, sizeof **out, rd_queue_one, NULL, (void **)out, n, "list the queues");
}

store_status sq_queue_event_add(store *s, const queue_event_rec *r) {
    const char *what = "add a queue event";
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, S_EVENT_ADD, &st);
    rc = sq_b_text(st, 1, r->id, rc);
    rc = sq_b_text(st, 2, r->item_id, rc);
    rc = sq_b_int(st, 3, r->at, rc);
    rc = sq_b_text_or_null(st, 4, r->staff_id, rc);
    rc = sq_b_text(st, 5, r->action, rc);
    rc = sq_b_text(st, 6, r->from_state, rc);
    rc = sq_b_text(st, 7, r->to_state, rc);
    rc = sq_b_text(st, 8, r->level_before, rc);
    rc = sq_b_text(st, 9, r->level_after, rc);
    rc = sq_b_blob_or_null(st, 10, r->reason_ct.p, r->reason_ct.n, rc);
    rc = sq_b_text_or_null(st, 11, r->counselor, rc);
    rc = sq_run_write(s, st, rc, NULL);
    return rc == SQLITE_OK ? ST_OK : sq_fail_rc(s, rc, "add the queue event %s", r->id);
}

store_status sq_queue_events(store *s, const char *item_id, queue_event_rec **out, int *n) {
    return sq_list_rows(s, S_EVENT_LIST, item_id, sizeof **out, rd_event_row, drop_event, (void **)out, n,
                     "list the events of a queue item");
}
