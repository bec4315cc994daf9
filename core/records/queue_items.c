#include "queue_items.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "client_keys.h"
#include "facts.h"
#include "clock.h"
#include "ids.h"
#include "records.h"
#include "rowmac.h"
#include "secret.h"
#include "util.h"

void queue_item_from_rec(const queue_rec *r, queue_item *it) {
    memset(it, 0, sizeof *it);
    memcpy(it->id, r->id, sizeof it->id);
    memcpy(it->client_id, r->client_id, sizeof it->client_id);
    memcpy(it->intake_id, r->intake_id, sizeof it->intake_id);
    risk_level_parse(r->level, &it->level);
    queue_state_parse(r->state, &it->state);
    queue_outcome_parse(r->outcome, &it->outcome);
    risk_level pending;
    it->pending_level = r->pending_level[0] && risk_level_parse(r->pending_level, &pending) ? (int)pending : -1;
    snprintf(it->counselor, sizeof it->counselor, "%s", r->counselor);
    it->created_at = r->created_at;
    it->level_since = r->level_since;
    it->deadline = r->deadline;
    it->updated_at = r->updated_at;
    it->overdue = r->overdue;
    it->match_by_hand = r->match_by_hand;
    it->escalations = r->escalations;
    it->declines_in_row = r->declines_in_row;
    it->contact_attempts = r->contact_attempts;
}

void queue_item_to_rec(const queue_item *it, queue_rec *r) {
    memset(r, 0, sizeof *r);
    memcpy(r->id, it->id, sizeof r->id);
    memcpy(r->client_id, it->client_id, sizeof r->client_id);
    memcpy(r->intake_id, it->intake_id, sizeof r->intake_id);
    snprintf(r->level, sizeof r->level, "%s", risk_level_name(it->level));
    snprintf(r->state, sizeof r->state, "%s", queue_state_name(it->state));
    snprintf(r->outcome, sizeof r->outcome, "%s", queue_outcome_name(it->outcome));
    if (it->pending_level >= 0) snprintf(r->pending_level, sizeof r->pending_level, "%s", risk_level_name((risk_level)it->pending_level));
    snprintf(r->counselor, sizeof r->counselor, "%s", it->counselor);
    r->created_at = it->created_at;
    r->level_since = it->level_since;
    r->deadline = it->deadline;
    r->updated_at = it->updated_at;
    r->overdue = it->overdue;
    r->match_by_hand = it->match_by_hand;
    r->escalations = it->escalations;
    r->declines_in_row = it->declines_in_row;
    r->contact_attempts = it->contact_attempts;
}

/* Whether reads must find a MAC on every row (looked up once per read, and only when there is a key). */
static bool macs_required(database *db) { return db->row_key && rowmac_required(db); }

/* An item as the desks may trust it: a row whose MAC fails stays visible, marked tampered, and reads as red
 * and overdue (the safe reading) whatever its clear columns say. Returns the row's trust. */
static row_trust item_checked(database *db, const vault *key, bool required, int64_t now, const queue_rec *r,
                              queue_item *it) {
    queue_item_from_rec(r, it);
    row_trust t = rowmac_check_queue(key, required, db->row_policy, now, r, NULL, 0);
    /* an erased client's item put back from an older copy (its MAC still holds: the key did not change) is no
     * ordinary item either: it reads as tampered, as an edited row does (client find refuses the client, and a
     * step on it is refused; an outside tryout found it listed as an ordinary overdue item) */
    if (client_erased(db, r->client_id, NULL)) t = ROW_TAMPERED;
    if (t == ROW_TAMPERED) {
        it->tampered = true;
        it->level = LEVEL_RED;
        it->overdue = true;
    }
    return t;
}

/* The same with the key the database lends (a logged-in desk), or unchecked without one. */
static row_trust item_from_row(database *db, bool required, int64_t now, const queue_rec *r, queue_item *it) {
    return item_checked(db, db->row_key, required, now, r, it);
}

/* A step's reason sealed under the key of the item's client (client_keys.h; the data key while the upgrade has not
 * reached the client). An erased client's item put back from an older copy takes no step. */
static bool seal_reason(database *db, const vault *v, const char *client_id, queue_event_rec *e, const char *reason,
                        error *err) {
    ckeys *keys = ckeys_new();
    ck_status why = CK_FAILED;
    const unsigned char *key = keys ? ckey_by_id(keys, db, v, client_id, &why) : NULL;
    bool ok = (key || why == CK_LEGACY) &&
              ckey_seal(v, key, client_id, "queue_events", "reason", e->id, reason, &e->reason_ct, err);
    if (!key && why == CK_ERASED)
        error_set(err, ERR_TAMPERED, "the client %s was erased: this queue item is a row of it put back from an older "
                                     "copy (replayed); nothing is written for it", client_id);
    else if (!key && why != CK_LEGACY)
        ckey_why(why, client_id, "clients", "key", client_id, err);
    ckeys_free(keys);
    return ok;
}

/* Saves the item and one history event (inside the caller's transaction). v seals the reason; without a
 * key (tick) there is no reason to seal. mac_key MACs the row; without it (a keyless tick, or a row that did
 * not verify) the row keeps the MAC it had, over the row as it was (before_rec), so a reader can check that
 * only a tick's raise happened since. */
static bool save_with_event(database *db, const vault *v, const vault *mac_key, const char *staff_id,
                            const queue_rec *before_rec, const queue_item *before, const queue_item *after,
                            const char *what, const char *reason, error *err) {
    queue_rec r;
    queue_item_to_rec(after, &r);
    if (mac_key) rowmac_seal_queue(mac_key, &r);
    else if (before_rec) rowmac_carry_queue(before_rec, &r);
    store_status st = db->ops->queue_put(db->st, &r);
    if (st != ST_OK) {
        db_error(db, st, "cannot save the queue item", err);
        return false;
    }
    queue_event_rec e;
    memset(&e, 0, sizeof e);
    id_new(e.id);
    memcpy(e.item_id, after->id, sizeof e.item_id);
    e.at = after->updated_at;
    snprintf(e.staff_id, sizeof e.staff_id, "%s", staff_id ? staff_id : "");
    snprintf(e.action, sizeof e.action, "%s", what);
    snprintf(e.from_state, sizeof e.from_state, "%s", before ? queue_state_name(before->state) : "none");
    snprintf(e.to_state, sizeof e.to_state, "%s", queue_state_name(after->state));
    snprintf(e.level_before, sizeof e.level_before, "%s", before ? risk_level_name(before->level) : "none");
    snprintf(e.level_after, sizeof e.level_after, "%s", risk_level_name(after->level));
    if (!strcmp(what, queue_action_name(QA_ASSIGN))) snprintf(e.counselor, sizeof e.counselor, "%s", after->counselor);
    if (reason && *reason && v && !seal_reason(db, v, after->client_id, &e, reason, err)) return false;
    st = db->ops->queue_event_add(db->st, &e);
    queue_event_rec_free(&e);
    if (st != ST_OK) {
        db_error(db, st, "cannot save the queue history", err);
        return false;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "%s %s->%s %s->%s", what, e.from_state, e.to_state, e.level_before, e.level_after);
    /* the intake's de-identified report facts follow the step, in the same transaction */
    return facts_on_queue_step(db, before, after, what, err) &&
           audit_log(db, v, staff_id, "queue", after->id, detail, err);
}

bool queues_enqueue(session *s, const queue_policy *p, const char *client_id, const char *intake_id,
                    risk_level level, error *err) {
    queue_rec r;
    int64_t now = clock_now();
    store_status st = s->db->ops->queue_open_for_client(s->db->st, client_id, &r);
    if (st == ST_OK) {
        queue_item before, it;
        if (rowmac_check_queue(s->v, rowmac_required(s->db), s->db->row_policy, now, &r, NULL, 0) == ROW_TAMPERED) {
            /* a new intake must not re-MAC (bless) an edited row: the item stays as it is, shown as tampered
             * and read as red, for a supervisor; the intake itself is saved */
            return audit_log(s->db, s->v, s->me.id, "tamper_detected", r.id, "queue item row MAC fails; new intake not applied",
                             err);
        }
        queue_item_from_rec(&r, &before);
        it = before;
        if (!queue_new_intake(p, &it, intake_id, level, now)) return true;
        it.updated_at = now;
        return save_with_event(s->db, s->v, s->v, s->me.id, &r, &before, &it, "new_intake", NULL, err);
    }
    if (st != ST_NOTFOUND) {
        db_error(s->db, st, "cannot read the queues", err);
        return false;
    }
    queue_item it;
    char id[STORE_ID_LEN];
    id_new(id);
    queue_item_new(p, &it, id, client_id, intake_id, level, now);
    return save_with_event(s->db, s->v, s->v, s->me.id, NULL, NULL, &it, "enqueue", NULL, err);
}

bool queues_open_for_client(database *db, const char *client_id, queue_item *out) {
    queue_rec r;
    if (db->ops->queue_open_for_client(db->st, client_id, &r) != ST_OK) return false;
    item_from_row(db, macs_required(db), clock_now(), &r, out);
    return true;
}

bool queues_find(database *db, const char *key, queue_item *out, error *err) {
    queue_rec r;
    size_t n = key ? strlen(key) : 0;
    if (n == STORE_ID_LEN - 1) {
        store_status st = db->ops->queue_get(db->st, key, &r);
        if (st == ST_OK) {
            item_from_row(db, macs_required(db), clock_now(), &r, out);
            return true;
        }
    }
    if (n < 6) {
        error_set(err, ERR_INPUT, "`%s`: give a queue item id (at least its first 6 characters)", key ? key : "");
        return false;
    }
    /* a prefix: only open items are looked through (what a person acts on) */
    queue_rec *list = NULL;
    int count = 0, hits = 0;
    store_status st = db->ops->queue_list_open(db->st, &list, &count);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the queues", err);
        return false;
    }
    bool required = macs_required(db);
    for (int i = 0; i < count; i++)
        if (strncmp(list[i].id, key, n) == 0) {
            if (hits++ == 0) item_from_row(db, required, clock_now(), &list[i], out);
        }
    free(list);
    if (hits == 1) return true;
    error_set(err, ERR_INPUT, hits ? "`%s` matches %d open items: give more of the id" : "no open queue item `%s`", key, hits);
    return false;
}

/* A refused move is audited under its kind: "denied" when the role may not take it, "conflict" when the item
 * is not in a state that allows it (another desk moved it a moment before), "refused" when the request lacks
 * something. err gets the refusal's kind, and a denial's message says "denied:" as every denial does. */
static void refusal_audited(session *s, const char *item_id, queue_action action, const error *why, error *err) {
    const char *audited = why->kind == ERR_DENIED ? "denied" : why->kind == ERR_CONFLICT ? "conflict" : "refused";
    if (why->kind == ERR_DENIED) error_set(err, ERR_DENIED, "denied: %s", why->msg);
    else error_copy(err, why);
    char detail[96];
    snprintf(detail, sizeof detail, "queue %s", queue_action_name(action));
    error ignored = {0};
    if (session_begin(s, &ignored)) {
        if (!audit_log(s->db, s->v, s->me.id, audited, item_id, detail, &ignored) || !db_commit(s->db, &ignored))
            db_rollback(s->db);
    }
}

const char *queues_declined_row(session *s, const queue_item *it, char out[QUEUE_DECLINED_MAX]) {
    out[0] = '\0';
    audit_rec e;
    audit_link prev;
    /* the newest decline's entry lists the row up to it (an assignment does not end the row; issue 14); none yet: none */
    if (it->declines_in_row <= 0 ||
        s->db->ops->audit_by_object(s->db->st, it->id, "queue_declined", true, &e, &prev) != ST_OK)
        return NULL;
    snprintf(out, QUEUE_DECLINED_MAX, "%s", e.detail);
    return out;
}

/* The state the item was in when its counselor was assigned (its newest assign step), or NULL when not known. */
static const char *assigned_from_state(database *db, const queue_item *it, char out[16]) {
    out[0] = '\0';
    if (it->state != QS_ASSIGNED && it->state != QS_CONTACTED) return NULL;
    queue_event_rec *ev = NULL;
    int n = 0;
    if (db->ops->queue_events(db->st, it->id, &ev, &n) != ST_OK) return NULL;
    for (int i = 0; i < n; i++) {
        if (!strcmp(ev[i].action, queue_action_name(QA_ASSIGN))) snprintf(out, 16, "%s", ev[i].from_state);
        queue_event_rec_free(&ev[i]);
    }
    free(ev);
    return out[0] ? out : NULL;
}

/* True when the space-separated row names c. */
static bool strlist_has(const char *row, const char *c) {
    strlist l = strlist_split(row);
    bool in = strlist_find(&l, c) >= 0;
    strlist_free(&l);
    return in;
}

/* The row with c added, the oldest names dropped until it fits an audit entry's detail. */
static void row_with(const char *row, const char *c, char out[QUEUE_DECLINED_MAX]) {
    const char *from = row ? row : "";
    while (strlen(from) + 1 + strlen(c) >= QUEUE_DECLINED_MAX && *from) {
        const char *space = strchr(from, ' ');
        from = space ? space + 1 : "";
    }
    snprintf(out, QUEUE_DECLINED_MAX, "%s%s%s", from, *from ? " " : "", c);
}

bool queues_decline_counselor(session *s, const queue_item *it, const char *intake_id, char *out, size_t size,
                              error *err) {
    out[0] = '\0';
    if (it->state == QS_ASSIGNED || it->state == QS_CONTACTED) { /* the one the client was given */
        snprintf(out, size, "%s", it->counselor);
        return out[0] != '\0';
    }
    /* else the intake's suggestions in their rank, past those this row declined (a peek: no audit entry, as the
     * queue rows' own reasons; only counselor ids leave it) */
    char *body = NULL;
    const char *of = intake_id && *intake_id ? intake_id : it->intake_id;
    /* no intake to read suggestions from (none named, none stored under that id) is nobody suggested: a person
     * matches, said as such (issue 14: a failed read was shown instead); the store failing stays an error */
    if (!*of) return false;
    if (!s) {
        error_set(err, ERR_AUTH, "not logged in");
        return false;
    }
    intake_rec in;
    store_status st = s->db->ops->intake_get(s->db->st, of, &in);
    if (st == ST_NOTFOUND) return false;
    if (st != ST_OK) {
        db_error(s->db, st, "cannot read the intake's suggestions", err);
        return false;
    }
    char suggested[sizeof in.suggested];
    snprintf(suggested, sizeof suggested, "%s", in.suggested);
    intake_rec_free(&in);
    error why = {0};
    if (!intake_peek_body(s, of, &body, &why)) {
        if (why.kind == ERR_STORE || why.kind == ERR_CONFLICT || why.kind == ERR_DENIED) { /* the store, or the role */
            error_copy(err, &why);
            return false;
        }
        /* a body that does not open here (a key rotated since login, a seal that fails: said where the record is
         * read) still has its first suggestion in the row's clear column: that one, unless this row declined it */
        char row[QUEUE_DECLINED_MAX];
        if (suggested[0] && !strlist_has(queues_declined_row(s, it, row), suggested))
            snprintf(out, size, "%s", suggested);
        return out[0] != '\0';
    }
    char row[QUEUE_DECLINED_MAX];
    const char *declined = queues_declined_row(s, it, row);
    strlist l = strlist_split(declined);
    json_t *root = json_loads(body, 0, NULL);
    secret_free(body);
    json_t *matches = json_object_get(json_object_get(root, "assessment"), "matches");
    for (size_t i = 0; i < json_array_size(matches) && !out[0]; i++) {
        const char *id = json_string_value(json_object_get(json_array_get(matches, i), "id"));
        if (id && *id && strlist_find(&l, id) < 0) snprintf(out, size, "%s", id);
    }
    json_decref(root);
    strlist_free(&l);
    return out[0] != '\0';
}

bool queues_act(session *s, const queue_policy *p, const char *item_id, queue_request rq, error *err) {
    return queues_act_why(s, p, item_id, rq, NULL, err);
}

/* Whether the roster has this counselor and says they do not take red and orange clients (a code not on the roster
 * is no one the roster speaks for) */
static bool counselor_not_high_risk(database *db, const char *code) {
    counselor_rec *list = NULL;
    int n = 0;
    bool no = false;
    if (code && db->ops->counselor_list(db->st, &list, &n) == ST_OK)
        for (int i = 0; i < n; i++)
            if (!strcmp(list[i].code, code)) no = !list[i].high_risk;
    free(list);
    return no;
}

bool queues_act_why(session *s, const queue_policy *p, const char *item_id, queue_request rq, queue_refused *why_out,
                    error *err) {
    queue_refused ignored;
    queue_refused *rule = why_out ? why_out : &ignored;
    rule->why = QR_NONE;
    if (!s) {
        error_set(err, ERR_AUTH, "not logged in");
        return false;
    }
    rq.role = s->me.role;
    if (!session_begin(s, err)) return false;
    /* read inside the transaction: another desk may have moved the item a moment ago */
    queue_rec r;
    store_status st = s->db->ops->queue_get(s->db->st, item_id, &r);
    if (st != ST_OK) {
        if (st == ST_NOTFOUND) error_set(err, ERR_CONFLICT, "no queue item %s", item_id);
        else db_error(s->db, st, "cannot read the queue item", err);
        db_rollback(s->db);
        return false;
    }
    queue_item before, it;
    /* checked with the acting session's own key: this step MACs the row again */
    bool tampered = item_checked(s->db, s->v, rowmac_required(s->db), clock_now(), &r, &before) == ROW_TAMPERED;
    it = before;
    error why = {0};
    if (tampered && client_erased(s->db, before.client_id, NULL)) { /* replayed: nobody acts on it (seal_reason) */
        db_rollback(s->db);
        error_set(err, ERR_TAMPERED, "the client %s was erased: this queue item is a row of it put back from an older "
                                     "copy (replayed); nothing is written for it; erase the client again",
                  before.client_id);
        return false;
    }
    /* acting on an edited row would re-MAC it: only a supervisor may, on its safe reading (red, overdue) */
    if (tampered && !role_may(s->me.role, ACT_TAMPERED_ACT)) {
        db_rollback(s->db);
        error_set(err, ERR_TAMPERED, "tampering: queue item %s does not match its row MAC (its clear columns were edited in "
                               "the file); it is shown as red; a supervisor must look at it", item_id);
        return false;
    }
    char row[QUEUE_DECLINED_MAX], row_after[QUEUE_DECLINED_MAX], assigned_from[16];
    if (rq.action == QA_ASSIGN) rq.counselor_not_high_risk = counselor_not_high_risk(s->db, rq.counselor);
    if (rq.action == QA_DECLINE) {
        rq.declined_row = queues_declined_row(s, &before, row);
        rq.assigned_from = assigned_from_state(s->db, &before, assigned_from);
    }
    if (!queue_apply_why(p, &it, &rq, clock_now(), rule, &why)) {
        db_rollback(s->db);
        refusal_audited(s, item_id, rq.action, &why, err);
        return false;
    }
    bool ok = (!tampered || audit_log(s->db, s->v, s->me.id, "tamper_resolved", item_id,
                                      "a supervisor acted on a tampered item, read as red", err)) &&
              save_with_event(s->db, s->v, s->v, s->me.id, &r, &before, &it, queue_event_name(&rq), rq.reason, err) &&
              /* whom the client declined, on the signed trail: the next decline of the same one is refused */
              (rq.action != QA_DECLINE ||
               (row_with(rq.declined_row, rq.counselor, row_after),
                audit_log(s->db, s->v, s->me.id, "queue_declined", item_id, row_after, err))) &&
              db_commit(s->db, err);
    if (!ok) db_rollback(s->db);
    return ok;
}

/* True when some open item is due for escalation now (a read, no lock): every open desk ticks once a
 * second, and a tick with nothing due must not take the write lock or touch the file. */
static bool tick_due(database *db, const queue_policy *p, int64_t now) {
    queue_rec *list = NULL;
    int n = 0;
    if (db->ops->queue_due(db->st, now, &list, &n) != ST_OK) return true; /* let the locked pass report it */
    bool due = false;
    for (int i = 0; i < n && !due; i++) {
        queue_item it;
        queue_item_from_rec(&list[i], &it);
        due = queue_tick(p, &it, now);
    }
    free(list);
    return due;
}

bool queues_tick(database *db, const queue_policy *p, int *escalated, error *err) {
    *escalated = 0;
    if (!tick_due(db, p, clock_now())) return true;
    if (!db_begin(db, err)) return false;
    queue_rec *list = NULL;
    int n = 0;
    int64_t now = clock_now();
    /* only the items whose deadline has come, found through an index: a tick with nothing due is cheap */
    store_status st = db->ops->queue_due(db->st, now, &list, &n);
    bool ok = st == ST_OK;
    if (!ok) db_error(db, st, "cannot read the queues", err);
    bool required = macs_required(db);
    for (int i = 0; ok && i < n; i++) {
        queue_item before, it;
        queue_item_from_rec(&list[i], &before);
        it = before;
        if (!queue_tick(p, &it, now)) continue;
        it.updated_at = now;
        /* a desk with a key re-MACs a row it verified; cron's tick (no key), or a row that did not verify,
         * keeps the old MAC and the row it covers: a tick only raises */
        row_trust t = rowmac_check_queue(db->row_key, required, db->row_policy, now, &list[i], NULL, 0);
        const vault *mac_key = t == ROW_SOUND || t == ROW_RAISED ? db->row_key : NULL;
        ok = save_with_event(db, NULL, mac_key, "", &list[i], &before, &it, "overdue", NULL, err);
        if (ok) (*escalated)++;
    }
    free(list);
    ok = ok && db_commit(db, err);
    if (!ok) {
        db_rollback(db);
        *escalated = 0;
    }
    return ok;
}

#define CONTACT_META "contact_deadlines"

bool queues_contact_deadlines_login(session *s, error *err) {
    database *db = s->db;
    blob b = {0};
    bool done = db->ops->meta_get(db->st, CONTACT_META, &b) == ST_OK && b.n == 4 && memcmp(b.p, "done", 4) == 0;
    blob_free(&b);
    if (done) return true;
    queue_policy defaults;
    const queue_policy *p = db->row_policy;
    if (!p) {
        queue_policy_defaults(&defaults);
        p = &defaults;
    }
    if (!session_begin(s, err)) return false;
    queue_rec *list = NULL;
    int n = 0;
    int64_t now = clock_now(), given = 0, left = 0;
    store_status st = db->ops->queue_list_open(db->st, &list, &n);
    bool ok = st == ST_OK;
    if (!ok) db_error(db, st, "cannot read the queues", err);
    bool required = rowmac_required(db);
    for (int i = 0; ok && i < n; i++) {
        queue_item before, it;
        queue_item_from_rec(&list[i], &before);
        if (before.deadline != 0 || !queue_in_contact(p, &before)) continue;
        row_trust t = rowmac_check_queue(s->v, required, p, now, &list[i], NULL, 0);
        if (t == ROW_TAMPERED) {
            left++;
            continue;
        }
        it = before;
        it.deadline = now + p->contact_within[it.level];
        it.updated_at = now;
        ok = save_with_event(db, s->v, s->v, s->me.id, &list[i], &before, &it, "contact_due", NULL, err);
        given++;
    }
    free(list);
    st = ok ? db->ops->meta_set(db->st, CONTACT_META, "done", 4) : ST_OK;
    if (st != ST_OK) db_error(db, st, "cannot record the contact deadlines", err);
    char detail[128];
    snprintf(detail, sizeof detail, "contact deadlines given to %lld confirmed items (%lld left: their MAC fails)",
             (long long)given, (long long)left);
    /* a database with none to give (a new one) says nothing in its trail */
    ok = ok && st == ST_OK && (given + left == 0 || audit_log(db, s->v, s->me.id, "contact_deadlines", "", detail, err)) &&
         db_commit(db, err);
    if (!ok) db_rollback(db);
    return ok;
}

static int by_urgency(const void *a, const void *b) { return queue_compare(a, b); }

/* Turns store records into items, each checked against its row MAC (freeing the records); sorted when asked. */
static void records_to_items(database *db, queue_rec *list, int count, bool sort, queue_item **out, int *n) {
    queue_item *items = xcalloc((size_t)(count ? count : 1), sizeof *items);
    bool required = macs_required(db);
    int64_t now = clock_now();
    for (int i = 0; i < count; i++) item_from_row(db, required, now, &list[i], &items[i]);
    free(list);
    if (sort) qsort(items, (size_t)count, sizeof *items, by_urgency);
    *out = items;
    *n = count;
}

bool queues_first_page(database *db, int limit, queue_item **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    queue_rec *list = NULL;
    int count = 0;
    store_status st = db->ops->queue_first(db->st, limit, &list, &count);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the queues", err);
        return false;
    }
    records_to_items(db, list, count, false, out, n); /* the index gives them in order already */
    return true;
}

bool queues_list_open(database *db, queue_item **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    queue_rec *list = NULL;
    int count = 0;
    store_status st = db->ops->queue_list_open(db->st, &list, &count);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the queues", err);
        return false;
    }
    records_to_items(db, list, count, true, out, n);
    return true;
}

bool queues_counts(database *db, queue_counts_rec *out, error *err) {
    store_status st = db->ops->queue_counts(db->st, out);
    if (st != ST_OK) db_error(db, st, "cannot count the queues", err);
    return st == ST_OK;
}

bool queues_page(database *db, const queue_filter *f, int offset, int limit, queue_item **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    queue_rec *list = NULL;
    int count = 0;
    store_status st = db->ops->queue_page(db->st, f, offset, limit, &list, &count);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the queues", err);
        return false;
    }
    records_to_items(db, list, count, false, out, n);
    return true;
}

int queues_caseload(database *db, const char *counselor_code) {
    int64_t n = 0;
    if (db->ops->queue_count_assigned(db->st, counselor_code, &n) != ST_OK) return -1;
    return (int)n;
}

void queue_history_free(queue_history_entry *h, int n) {
    for (int i = 0; h && i < n; i++) secret_free(h[i].reason);
    free(h);
}

bool queues_history(session *s, const char *item_id, queue_history_entry **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    queue_event_rec *ev = NULL;
    int count = 0;
    store_status st = s->db->ops->queue_events(s->db->st, item_id, &ev, &count);
    if (st != ST_OK) {
        db_error(s->db, st, "cannot read the queue history", err);
        return false;
    }
    queue_history_entry *h = xcalloc((size_t)(count ? count : 1), sizeof *h);
    queue_rec item;
    bool ok = true;
    /* the reasons are under the key of the item's client (client_keys.h) */
    if (count && s->db->ops->queue_get(s->db->st, item_id, &item) != ST_OK) {
        error_set(err, ERR_NOT_FOUND, "no queue item %s", item_id);
        ok = false;
    }
    for (int i = 0; i < count; i++) {
        queue_history_entry *e = &h[i];
        e->at = ev[i].at;
        snprintf(e->action, sizeof e->action, "%s", ev[i].action);
        snprintf(e->from_state, sizeof e->from_state, "%s", ev[i].from_state);
        snprintf(e->to_state, sizeof e->to_state, "%s", ev[i].to_state);
        snprintf(e->level_before, sizeof e->level_before, "%s", ev[i].level_before);
        snprintf(e->level_after, sizeof e->level_after, "%s", ev[i].level_after);
        snprintf(e->counselor, sizeof e->counselor, "%s", ev[i].counselor); /* an assignment's (a decline's below) */
        staff_rec who;
        if (!ev[i].staff_id[0]) snprintf(e->who, sizeof e->who, "system");
        else if (s->db->ops->staff_by_id(s->db->st, ev[i].staff_id, &who) == ST_OK)
            snprintf(e->who, sizeof e->who, "%s", who.name);
        else snprintf(e->who, sizeof e->who, "(unknown staff)");
        size_t len = 0;
        ck_status why;
        char named[VAULT_CLIENT_ID_MAX + 1];
        if (ok && ev[i].reason_ct.n &&
            !ckey_open(session_ckeys(s), s->db, s->v, item.client_id, "queue_events", "reason", ev[i].id,
                       ev[i].reason_ct.p, ev[i].reason_ct.n, &e->reason, &len, &why, named)) {
            if (why == CK_ERASED) ckey_why(why, named, "queue_events", "reason", ev[i].id, err);
            else error_set(err, ERR_TAMPERED, "tampering detected: the reason of queue event %s does not open", ev[i].id);
            ok = false;
        }
    }
    ckeys_forget(s->ck);
    for (int i = 0; i < count; i++) queue_event_rec_free(&ev[i]);
    free(ev);
    /* whom each decline named: the row on the signed trail, one name per decline, newest last (issue 14: the
     * history said "decline" only) */
    audit_rec row;
    audit_link prev;
    if (ok && count && s->db->ops->audit_by_object(s->db->st, item_id, "queue_declined", true, &row, &prev) == ST_OK) {
        strlist names = strlist_split(row.detail);
        for (int i = count - 1, k = names.n - 1; i >= 0 && k >= 0; i--)
            if (strcmp(h[i].action, "decline") == 0) snprintf(h[i].counselor, sizeof h[i].counselor, "%s", names.v[k--]);
        strlist_free(&names);
    }
    if (!ok) {
        queue_history_free(h, count);
        return false;
    }
    *out = h;
    *n = count;
    return true;
}
