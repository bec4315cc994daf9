/* Row MACs over the clear columns of queue items and intakes (see rowmac.h for the design). */
#include "rowmac.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "client_keys.h"
#include "clock.h"
#include "queue_items.h"
#include "record_view.h"
#include "util.h"

#define ROWMAC_FORMAT "triage-rowmac-1" /* first field of every encoding: a new layout gets a new name */
#define ROWMAC_META "rowmac"
#define ROWMAC_AUDIT "rowmac_init"
#define TICK_SKEW 120      /* seconds a tick time may lie ahead of the reader's clock (another desk's clock) */
#define TICK_MAX 100000    /* ticks replayed at most when checking a raise (a red item ticks every 15 minutes) */

const char *row_trust_name(row_trust t) {
    switch (t) {
    case ROW_SOUND: return "sound";
    case ROW_RAISED: return "raised by a tick";
    case ROW_UNCHECKED: return "unchecked";
    case ROW_TAMPERED: return "tampered";
    }
    return "?";
}

/* ---- the canonical encoding: each field as a 4-byte big-endian length and its bytes ---- */

typedef struct {
    unsigned char *p;
    size_t n, cap;
    bool full;
} enc;

static void put_bytes(enc *e, const void *b, size_t len) {
    if (e->full || len > 0xffffffffu || e->cap - e->n < 4 + len) {
        e->full = true;
        return;
    }
    for (int i = 3; i >= 0; i--) e->p[e->n++] = (unsigned char)(len >> (8 * i));
    if (len) memcpy(e->p + e->n, b, len);
    e->n += len;
}

static void put_str(enc *e, const char *s) { put_bytes(e, s, strlen(s)); }

static void put_i64(enc *e, int64_t x) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)x >> (8 * (7 - i)));
    put_bytes(e, b, sizeof b);
}

static size_t done(const enc *e) { return e->full ? 0 : e->n; }

/* ---- each row's fields, in the order they are encoded: one list serves the encoder and the decoder, so the
 * two cannot drift apart (a changed layout needs a new ROWMAC_FORMAT: every stored MAC covers the old one) ---- */

typedef enum { F_STR, F_I64, F_BOOL, F_COUNT } field_kind;

typedef struct {
    field_kind kind;
    size_t off, size; /* size: the char array's, for F_STR */
} field;

#define F_S(T, m) {F_STR, offsetof(T, m), sizeof ((T *)0)->m}
#define F_T(T, m) {F_I64, offsetof(T, m), 0}
#define F_B(T, m) {F_BOOL, offsetof(T, m), 0}
#define F_N(T, m) {F_COUNT, offsetof(T, m), 0}

static const field QUEUE_FIELDS[] = {
    F_S(queue_rec, id),           F_S(queue_rec, client_id),     F_S(queue_rec, intake_id),
    F_S(queue_rec, level),        F_S(queue_rec, state),         F_S(queue_rec, outcome),
    F_S(queue_rec, pending_level), F_S(queue_rec, counselor),    F_T(queue_rec, created_at),
    F_T(queue_rec, level_since),  F_T(queue_rec, deadline),      F_T(queue_rec, updated_at),
    F_B(queue_rec, overdue),      F_B(queue_rec, match_by_hand), F_N(queue_rec, escalations),
    F_N(queue_rec, declines_in_row), F_N(queue_rec, contact_attempts),
};

static const field INTAKE_FIELDS[] = {
    F_S(intake_rec, id),    F_S(intake_rec, client_id), F_T(intake_rec, created_at), F_S(intake_rec, created_by),
    F_S(intake_rec, level), F_S(intake_rec, suggested), F_S(intake_rec, chosen),
};

static const field FACTS_FIELDS[] = {
    F_S(facts_rec, id),    F_S(facts_rec, client_key),   F_T(facts_rec, created_at),
    F_S(facts_rec, level), F_T(facts_rec, confirmed_at), F_S(facts_rec, confirmed_level),
};

#define NFIELDS(a) (sizeof a / sizeof a[0])

static size_t encode_row(const char *table, const field *f, size_t nf, const void *row, unsigned char *out,
                         size_t cap) {
    enc e = {out, 0, cap, !row || !out};
    if (e.full) return 0;
    put_str(&e, ROWMAC_FORMAT);
    put_str(&e, table);
    const unsigned char *base = row;
    for (size_t i = 0; i < nf; i++) {
        const void *at = base + f[i].off;
        switch (f[i].kind) {
        case F_STR: put_str(&e, at); break;
        case F_I64: put_i64(&e, *(const int64_t *)at); break;
        case F_BOOL: put_i64(&e, *(const bool *)at); break;
        case F_COUNT: put_i64(&e, *(const int *)at); break;
        }
    }
    return done(&e);
}

size_t rowmac_encode_queue(const queue_rec *r, unsigned char *out, size_t cap) {
    return encode_row("queue_items", QUEUE_FIELDS, NFIELDS(QUEUE_FIELDS), r, out, cap);
}

size_t rowmac_encode_intake(const intake_rec *r, unsigned char *out, size_t cap) {
    return encode_row("intakes", INTAKE_FIELDS, NFIELDS(INTAKE_FIELDS), r, out, cap);
}

size_t rowmac_encode_facts(const facts_rec *r, unsigned char *out, size_t cap) {
    return encode_row("intake_facts", FACTS_FIELDS, NFIELDS(FACTS_FIELDS), r, out, cap);
}

typedef struct {
    const unsigned char *p;
    size_t n, at;
    bool bad;
} dec;

static const unsigned char *get_field(dec *d, size_t *len) {
    if (d->bad || d->n - d->at < 4) {
        d->bad = true;
        return NULL;
    }
    size_t l = 0;
    for (int i = 0; i < 4; i++) l = (l << 8) | d->p[d->at++];
    if (d->n - d->at < l) {
        d->bad = true;
        return NULL;
    }
    const unsigned char *f = d->p + d->at;
    d->at += l;
    *len = l;
    return f;
}

static void get_str(dec *d, char *out, size_t size) {
    size_t l = 0;
    const unsigned char *f = get_field(d, &l);
    if (!f || l >= size || memchr(f, 0, l)) {
        d->bad = true;
        return;
    }
    memcpy(out, f, l);
    out[l] = '\0';
}

static int64_t get_i64(dec *d) {
    size_t l = 0;
    const unsigned char *f = get_field(d, &l);
    if (!f || l != 8) {
        d->bad = true;
        return 0;
    }
    uint64_t x = 0;
    for (int i = 0; i < 8; i++) x = (x << 8) | f[i];
    return (int64_t)x;
}

static int get_int(dec *d, int64_t lo, int64_t hi) {
    int64_t x = get_i64(d);
    if (x < lo || x > hi) d->bad = true;
    return (int)x;
}

bool rowmac_decode_queue(const unsigned char *p, size_t n, queue_rec *o) {
    memset(o, 0, sizeof *o);
    dec d = {p, n, 0, !p};
    char format[32], table[16];
    get_str(&d, format, sizeof format);
    get_str(&d, table, sizeof table);
    if (d.bad || strcmp(format, ROWMAC_FORMAT) != 0 || strcmp(table, "queue_items") != 0) return false;
    unsigned char *base = (unsigned char *)o;
    for (size_t i = 0; i < NFIELDS(QUEUE_FIELDS); i++) {
        const field *f = &QUEUE_FIELDS[i];
        void *at = base + f->off;
        switch (f->kind) {
        case F_STR: get_str(&d, at, f->size); break;
        case F_I64: *(int64_t *)at = get_i64(&d); break;
        case F_BOOL: *(bool *)at = get_int(&d, 0, 1) != 0; break;
        case F_COUNT: *(int *)at = get_int(&d, 0, INT32_MAX); break;
        }
    }
    return !d.bad && d.at == d.n;
}

/* ---- sealing ---- */

/* A MAC over an encoding, or none (no key, or a row that does not encode). */
static void seal_encoding(const vault *v, const unsigned char *b, size_t n, unsigned char mac[VAULT_MAC_BYTES],
                          bool *has_mac) {
    *has_mac = v && n;
    if (*has_mac) vault_row_mac(v, b, n, mac);
    else memset(mac, 0, VAULT_MAC_BYTES);
}

void rowmac_seal_queue(const vault *v, queue_rec *r) {
    unsigned char b[STORE_MAC_STATE_MAX];
    r->mac_state_n = 0;
    seal_encoding(v, b, rowmac_encode_queue(r, b, sizeof b), r->mac, &r->has_mac);
}

void rowmac_seal_intake(const vault *v, intake_rec *r) {
    unsigned char b[STORE_MAC_STATE_MAX];
    seal_encoding(v, b, rowmac_encode_intake(r, b, sizeof b), r->mac, &r->has_mac);
}

void rowmac_seal_facts(const vault *v, facts_rec *r) {
    unsigned char b[STORE_MAC_STATE_MAX];
    seal_encoding(v, b, rowmac_encode_facts(r, b, sizeof b), r->mac, &r->has_mac);
}

void rowmac_carry_queue(const queue_rec *before, queue_rec *after) {
    memcpy(after->mac, before->mac, sizeof after->mac);
    after->has_mac = before->has_mac;
    after->mac_state_n = 0;
    if (!before->has_mac) return; /* from before the upgrade: the first login MACs it as it is then */
    if (before->mac_state_n) { /* raised before: the MAC still covers that earlier row */
        memcpy(after->mac_state, before->mac_state, before->mac_state_n);
        after->mac_state_n = before->mac_state_n;
    } else {
        after->mac_state_n = rowmac_encode_queue(before, after->mac_state, sizeof after->mac_state);
    }
}

/* ---- checking ---- */

static void say(char *why, size_t size, const char *text) {
    if (why && size) snprintf(why, size, "%s", text);
}

static risk_level level_of(const queue_rec *r) {
    risk_level l = LEVEL_RED;
    (void)risk_level_parse(r->level, &l);
    return l;
}

/* True when r is exactly what k ticks (k = the escalations added) give from base, the last at r's
 * updated_at: the earlier ones at their earliest (each deadline as it came), which only decides deadlines
 * that the last tick replaces, except the one that raised the item to the level it has now, at r's
 * level_since (kept by the ticks after it). */
static bool tick_explains(const queue_policy *p, const queue_rec *base, const queue_rec *r, int64_t now) {
    queue_policy defaults;
    if (!p) {
        queue_policy_defaults(&defaults);
        p = &defaults;
    }
    int k = r->escalations - base->escalations;
    int64_t t = r->updated_at;
    if (k < 1 || k > TICK_MAX || t > now + TICK_SKEW || t < base->updated_at) return false;
    queue_item it;
    queue_item_from_rec(base, &it);
    for (int i = 1; i < k; i++) {
        if (it.deadline > t) return false;
        queue_item next = it;
        if (!queue_tick(p, &next, it.deadline)) return false;
        /* the tick that raised the item to the level it has now left its time in level_since, which later ticks keep
         * (red stays red, keeping when it became red): replayed then, not at the earliest (a first tick a minute late,
         * then another, read as tampering: forty-ninth tryout) */
        if (next.level != it.level && next.level == level_of(r) && r->level_since >= it.deadline && r->level_since <= t) {
            next = it;
            if (!queue_tick(p, &next, r->level_since)) return false;
        }
        it = next;
    }
    if (!queue_tick(p, &it, t)) return false;
    queue_rec expect;
    queue_item_to_rec(&it, &expect);
    unsigned char a[STORE_MAC_STATE_MAX], b[STORE_MAC_STATE_MAX];
    size_t na = rowmac_encode_queue(&expect, a, sizeof a), nb = rowmac_encode_queue(r, b, sizeof b);
    return na && na == nb && memcmp(a, b, na) == 0;
}

/* A row whose MAC covers the row itself (an intake, a facts row): missing, verified or not. */
static row_trust check_own_mac(const vault *v, bool required, bool has_mac, const unsigned char *mac,
                               const unsigned char *b, size_t n, char *why, size_t whysize) {
    if (!has_mac) {
        if (!required) return ROW_UNCHECKED;
        say(why, whysize, "its MAC is missing");
        return ROW_TAMPERED;
    }
    if (n && vault_row_mac_ok(v, b, n, mac)) return ROW_SOUND;
    say(why, whysize, "its MAC does not verify (a clear column was edited, or the MAC is another row's)");
    return ROW_TAMPERED;
}

row_trust rowmac_check_queue(const vault *v, bool required, const queue_policy *p, int64_t now, const queue_rec *r,
                             char *why, size_t whysize) {
    say(why, whysize, "");
    if (!v || !r) return ROW_UNCHECKED;
    if (!r->has_mac || !r->mac_state_n) { /* not raised by a keyless tick: the MAC covers the row itself */
        unsigned char b[STORE_MAC_STATE_MAX];
        size_t n = rowmac_encode_queue(r, b, sizeof b);
        return check_own_mac(v, required, r->has_mac, r->mac, b, n, why, whysize);
    }
    queue_rec base;
    if (!vault_row_mac_ok(v, r->mac_state, r->mac_state_n, r->mac) ||
        !rowmac_decode_queue(r->mac_state, r->mac_state_n, &base)) {
        say(why, whysize, "its MAC does not verify (a clear column was edited, or the MAC is another row's)");
        return ROW_TAMPERED;
    }
    if (tick_explains(p, &base, r, now)) return ROW_RAISED;
    say(why, whysize, "it differs from its MACed row by more than an overdue escalation");
    return ROW_TAMPERED;
}

row_trust rowmac_check_intake(const vault *v, bool required, const intake_rec *r, char *why, size_t whysize) {
    say(why, whysize, "");
    if (!v || !r) return ROW_UNCHECKED;
    unsigned char b[STORE_MAC_STATE_MAX];
    size_t n = rowmac_encode_intake(r, b, sizeof b);
    return check_own_mac(v, required, r->has_mac, r->mac, b, n, why, whysize);
}

row_trust rowmac_check_facts(const vault *v, bool required, const facts_rec *r, char *why, size_t whysize) {
    say(why, whysize, "");
    if (!v || !r) return ROW_UNCHECKED;
    unsigned char b[STORE_MAC_STATE_MAX];
    size_t n = rowmac_encode_facts(r, b, sizeof b);
    return check_own_mac(v, required, r->has_mac, r->mac, b, n, why, whysize);
}

bool rowmac_required(database *db) {
    blob b = {0};
    bool yes = db->ops->meta_get(db->st, ROWMAC_META, &b) == ST_OK && b.n == 1 && b.p[0] == '1';
    blob_free(&b);
    return yes;
}

/* ---- the first login after the upgrade ---- */

static int find_init(void *ctx, const audit_rec *rec) {
    if (strcmp(rec->action, ROWMAC_AUDIT) != 0) return 0;
    *(bool *)ctx = true;
    return 1;
}

/* MACs every row of table without one (inside the caller's transaction); *n counts them. */
static bool mac_missing(database *db, const vault *v, const char *table, int64_t *count, error *err) {
    char (*ids)[STORE_ID_LEN] = NULL;
    int n = 0;
    store_status st = db->ops->row_ids(db->st, table, true, &ids, &n);
    for (int i = 0; st == ST_OK && i < n; i++) {
        unsigned char b[STORE_MAC_STATE_MAX], mac[VAULT_MAC_BYTES];
        size_t len = 0;
        if (strcmp(table, "queue_items") == 0) {
            queue_rec q;
            if ((st = db->ops->queue_get(db->st, ids[i], &q)) == ST_OK) len = rowmac_encode_queue(&q, b, sizeof b);
        } else if (strcmp(table, "intake_facts") == 0) {
            facts_rec f;
            if ((st = db->ops->facts_get(db->st, ids[i], &f)) == ST_OK) len = rowmac_encode_facts(&f, b, sizeof b);
        } else {
            intake_rec r;
            if ((st = db->ops->intake_get(db->st, ids[i], &r)) == ST_OK) len = rowmac_encode_intake(&r, b, sizeof b);
            intake_rec_free(&r);
        }
        if (st != ST_OK) break;
        vault_row_mac(v, b, len, mac);
        st = db->ops->row_mac_set(db->st, table, ids[i], mac);
        (*count)++;
    }
    free(ids);
    if (st != ST_OK) db_error(db, st, "cannot compute the row MACs", err);
    return st == ST_OK;
}

bool rowmac_first_login(session *s, error *err) {
    database *db = s->db;
    if (rowmac_required(db)) return true;
    bool done_before = false;
    if (db->ops->audit_each(db->st, find_init, &done_before) != ST_OK) done_before = true; /* the safe reading */
    if (!session_begin(s, err)) return false;
    int64_t n = 0;
    char detail[96];
    bool ok = true;
    if (done_before) {
        /* the flag was removed from the file: blessing the rows without a MAC now would bless forged ones */
        snprintf(detail, sizeof detail, "meta rowmac was missing after the row MACs were made: nothing re-MACed");
    } else {
        ok = mac_missing(db, s->v, "queue_items", &n, err) && mac_missing(db, s->v, "intakes", &n, err) &&
             mac_missing(db, s->v, "intake_facts", &n, err);
        snprintf(detail, sizeof detail, "row MACs made for %lld rows written before schema 5", (long long)n);
    }
    store_status st = ok ? db->ops->meta_set(db->st, ROWMAC_META, "1", 1) : ST_OK;
    if (st != ST_OK) db_error(db, st, "cannot record the row MACs", err);
    ok = ok && st == ST_OK &&
         audit_log(db, s->v, s->me.id, done_before ? "tamper_detected" : ROWMAC_AUDIT, "", detail, err) &&
         db_commit(db, err);
    if (!ok) db_rollback(db);
    return ok;
}

/* ---- key rotation ---- */

static bool remac_table(database *db, const vault *old, const vault *fresh, const char *table, error *err) {
    bool required = rowmac_required(db);
    char (*ids)[STORE_ID_LEN] = NULL;
    int n = 0;
    store_status st = db->ops->row_ids(db->st, table, false, &ids, &n);
    int64_t now = clock_now();
    for (int i = 0; st == ST_OK && i < n; i++) {
        unsigned char b[STORE_MAC_STATE_MAX], mac[VAULT_MAC_BYTES];
        size_t len = 0;
        row_trust t;
        if (strcmp(table, "queue_items") == 0) {
            queue_rec q;
            if ((st = db->ops->queue_get(db->st, ids[i], &q)) != ST_OK) break;
            t = rowmac_check_queue(old, required, db->row_policy, now, &q, NULL, 0);
            len = rowmac_encode_queue(&q, b, sizeof b);
        } else if (strcmp(table, "intake_facts") == 0) {
            facts_rec f;
            if ((st = db->ops->facts_get(db->st, ids[i], &f)) != ST_OK) break;
            t = rowmac_check_facts(old, required, &f, NULL, 0);
            len = rowmac_encode_facts(&f, b, sizeof b);
        } else {
            intake_rec r;
            if ((st = db->ops->intake_get(db->st, ids[i], &r)) != ST_OK) break;
            t = rowmac_check_intake(old, required, &r, NULL, 0);
            len = rowmac_encode_intake(&r, b, sizeof b);
            intake_rec_free(&r);
        }
        if (t == ROW_TAMPERED) continue; /* keeps the old MAC: it stays reported */
        vault_row_mac(fresh, b, len, mac);
        st = db->ops->row_mac_set(db->st, table, ids[i], mac);
    }
    free(ids);
    if (st != ST_OK) db_error(db, st, "cannot re-MAC the rows", err);
    return st == ST_OK;
}

bool rowmac_remac_all(database *db, const vault *old, const vault *fresh, error *err) {
    return remac_table(db, old, fresh, "queue_items", err) &&
           remac_table(db, old, fresh, "intakes", err) && remac_table(db, old, fresh, "intake_facts", err);
}

/* ---- verify ---- */

/* The level in an intake's sealed body, or "" when there is none to compare. */
static void body_level(ckeys *keys, database *db, const vault *v, const intake_rec *r, char *out, size_t size) {
    out[0] = '\0';
    char *body = NULL;
    size_t len = 0;
    intake_summary sum;
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1];
    /* under its client's key (client_keys.h); one that does not open is the sealed fields' check's to name */
    if (ckey_open(keys, db, v, r->client_id, "intakes", "body", r->id, r->body_ct.p, r->body_ct.n, &body, &len, &why,
                  who) &&
        intake_summary_parse(body, &sum))
        snprintf(out, size, "%s", sum.level);
    secret_free(body);
}

/* A MAC cannot tell an older copy of the same row (with its own, once valid, MAC) from the current one. Each
 * write of an item adds a history event at its updated_at with its state and level after, so the newest
 * event must be the row's: a row put back from an earlier state is older than its own history (the events
 * are not MACed: someone who also deletes the later events is not caught here, only by the audit trail). */
static bool history_matches(database *db, const queue_rec *q, char *why, size_t whysize) {
    queue_event_rec *ev = NULL;
    int n = 0;
    if (db->ops->queue_events(db->st, q->id, &ev, &n) != ST_OK) {
        say(why, whysize, "its history cannot be read");
        return false;
    }
    /* the store gives them in time order, then in the order written: the last one is the newest step */
    const queue_event_rec *last = n ? &ev[n - 1] : NULL;
    bool ok = !last || (last->at == q->updated_at && !strcmp(last->to_state, q->state) &&
                        !strcmp(last->level_after, q->level));
    for (int i = 0; i < n; i++) queue_event_rec_free(&ev[i]);
    free(ev);
    if (!ok) say(why, whysize, "it is not the state its newest history step left (an older copy of the row put back?)");
    return ok;
}

bool rowmac_verify_all(database *db, const vault *v, char *problem, size_t size, int64_t *checked) {
    static const char *const tables[] = {"queue_items", "intakes", "intake_facts"};
    bool required = rowmac_required(db);
    int64_t now = clock_now(), bad = 0;
    ckeys *keys = ckeys_new();
    *checked = 0;
    problem[0] = '\0';
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        char (*ids)[STORE_ID_LEN] = NULL;
        int n = 0;
        store_status st = db->ops->row_ids(db->st, tables[t], false, &ids, &n);
        if (st != ST_OK) {
            snprintf(problem, size, "cannot list %s: %s", tables[t], db->ops->errmsg(db->st));
            ckeys_free(keys);
            return false;
        }
        for (int i = 0; i < n; i++) {
            char why[160] = "";
            row_trust trust = ROW_TAMPERED;
            if (t == 2) {
                facts_rec f;
                if (db->ops->facts_get(db->st, ids[i], &f) == ST_OK) trust = rowmac_check_facts(v, required, &f, why, sizeof why);
                else snprintf(why, sizeof why, "it cannot be read");
            } else if (t == 0) {
                queue_rec q;
                if (db->ops->queue_get(db->st, ids[i], &q) == ST_OK) {
                    trust = rowmac_check_queue(v, required, db->row_policy, now, &q, why, sizeof why);
                    if (trust != ROW_TAMPERED && !history_matches(db, &q, why, sizeof why)) trust = ROW_TAMPERED;
                } else {
                    snprintf(why, sizeof why, "it cannot be read");
                }
            } else {
                intake_rec r;
                if (db->ops->intake_get(db->st, ids[i], &r) == ST_OK) {
                    trust = rowmac_check_intake(v, required, &r, why, sizeof why);
                    char sealed[8];
                    body_level(keys, db, v, &r, sealed, sizeof sealed);
                    if (trust != ROW_TAMPERED && sealed[0] && strcmp(sealed, r.level) != 0) {
                        trust = ROW_TAMPERED;
                        snprintf(why, sizeof why, "its level %s is not the sealed assessment's %s", r.level, sealed);
                    }
                    intake_rec_free(&r);
                } else {
                    snprintf(why, sizeof why, "it cannot be read");
                }
            }
            (*checked)++;
            if (trust == ROW_TAMPERED && bad++ == 0)
                snprintf(problem, size, "tampering: %s row %s: %s", tables[t], ids[i], why);
        }
        free(ids);
    }
    if (bad > 1) {
        size_t l = strlen(problem);
        snprintf(problem + l, size - l, " (and %lld more rows)", (long long)(bad - 1));
    }
    ckeys_free(keys);
    return bad == 0;
}
