#include "client_keys.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "secret.h"
#include "util.h"

/* ---- the cache of opened keys: one guarded block ---- */

typedef struct {
    bool used;
    const database *db; /* keys of a scratch copy (a restore's check) are not mixed with the live ones' */
    char id[VAULT_CLIENT_ID_MAX + 1];
    unsigned char key[VAULT_KEY_BYTES];
} ckey_slot;

struct ckeys {
    ckey_slot slot[CKEYS_SLOTS];
    int next; /* the slot a miss fills next (round robin) */
};

ckeys *ckeys_new(void) {
    ckeys *c = (ckeys *)secret_alloc(sizeof *c);
    if (c) secret_wipe(c, sizeof *c);
    return c;
}

void ckeys_free(ckeys *c) { secret_free(c); }

void ckeys_forget(ckeys *c) {
    if (c) secret_wipe(c, sizeof *c);
}

void ckey_drop(ckeys *c, const char *client_id) {
    for (int i = 0; c && client_id && i < CKEYS_SLOTS; i++)
        if (c->slot[i].used && strcmp(c->slot[i].id, client_id) == 0) secret_wipe(&c->slot[i], sizeof c->slot[i]);
}

static ckey_slot *cached(ckeys *c, const database *db, const char *id) {
    for (int i = 0; c && i < CKEYS_SLOTS; i++)
        if (c->slot[i].used && c->slot[i].db == db && strcmp(c->slot[i].id, id) == 0) return &c->slot[i];
    return NULL;
}

static ckey_slot *take_slot(ckeys *c, const database *db, const char *id) {
    ckey_slot *sl = &c->slot[c->next];
    c->next = (c->next + 1) % CKEYS_SLOTS;
    secret_wipe(sl, sizeof *sl);
    sl->db = db;
    snprintf(sl->id, sizeof sl->id, "%s", id);
    return sl;
}

/* ---- the list of erased clients ---- */

#define ERASED_PREFIX "erased:"

static void erased_key(const char *client_id, char *out, size_t size) { snprintf(out, size, ERASED_PREFIX "%s", client_id); }

bool client_erased(database *db, const char *client_id, int64_t *seq) {
    if (seq) *seq = 0;
    if (!client_id || !*client_id || strlen(client_id) > VAULT_CLIENT_ID_MAX) return false;
    /* in a read transaction (an export), none erased at all is asked once for the whole snapshot */
    if (db->reading && db->erased_any < 0) {
        bool any = true;
        db->erased_any = db->ops->meta_any(db->st, ERASED_PREFIX, &any) != ST_OK || any;
    }
    if (db->reading && db->erased_any == 0) return false;
    char key[sizeof ERASED_PREFIX + VAULT_CLIENT_ID_MAX];
    erased_key(client_id, key, sizeof key);
    blob b = {0};
    if (db->ops->meta_get(db->st, key, &b) != ST_OK) return false;
    if (seq && b.n > 0 && b.n < 24) {
        char num[24];
        memcpy(num, b.p, b.n);
        num[b.n] = '\0';
        *seq = strtoll(num, NULL, 10);
    }
    blob_free(&b);
    return true;
}

bool client_erased_mark(database *db, const char *client_id, int64_t seq, error *err) {
    char key[sizeof ERASED_PREFIX + VAULT_CLIENT_ID_MAX], num[24];
    if (!client_id || !*client_id || strlen(client_id) > VAULT_CLIENT_ID_MAX) {
        error_set(err, ERR_INPUT, "no valid client id to mark as erased");
        return false;
    }
    erased_key(client_id, key, sizeof key);
    int n = snprintf(num, sizeof num, "%" PRId64, seq);
    store_status st = db->ops->meta_set(db->st, key, num, (size_t)n);
    if (st != ST_OK) db_error(db, st, "cannot record the erasure", err);
    return st == ST_OK;
}

/* ---- keys ---- */

bool client_keys_sealed(database *db) {
    blob b = {0};
    bool sealed = db->ops->meta_get(db->st, "client_keys", &b) == ST_OK && b.n == 6 && memcmp(b.p, "sealed", 6) == 0;
    blob_free(&b);
    return sealed;
}

/* The key of client r, not in the cache, r checked against the list of erased clients just before by the
 * caller: opened into a slot of the cache. */
static const unsigned char *open_unerased(ckeys *c, database *db, const vault *v, const char *client_id,
                                          const blob *key_ct, ck_status *why) {
    if (key_ct->n == 0) {
        *why = client_keys_sealed(db) ? CK_TAMPERED : CK_LEGACY;
        return NULL;
    }
    ckey_slot *sl = take_slot(c, db, client_id);
    if (!vault_client_key_open(v, client_id, key_ct->p, key_ct->n, sl->key)) {
        secret_wipe(sl, sizeof *sl);
        *why = CK_TAMPERED;
        return NULL;
    }
    sl->used = true;
    *why = CK_OK;
    return sl->key;
}

const unsigned char *ckey_of(ckeys *c, database *db, const vault *v, const client_rec *r, ck_status *why) {
    *why = CK_FAILED;
    if (!r) return NULL;
    return ckey_of_sealed(c, db, v, r->id, &r->key_ct, why);
}

const unsigned char *ckey_of_sealed(ckeys *c, database *db, const vault *v, const char *client_id, const blob *key_ct,
                                    ck_status *why) {
    *why = CK_FAILED;
    if (!c || !client_id || !key_ct) return NULL;
    /* a key in the cache was checked against the list when it was opened, for this job */
    ckey_slot *sl = cached(c, db, client_id);
    if (sl) {
        *why = CK_OK;
        return sl->key;
    }
    /* the list before any key is opened: an erased client's row put back from an older copy carries its old
     * sealed key, which the data key still opens */
    if (client_erased(db, client_id, NULL)) {
        *why = CK_ERASED;
        return NULL;
    }
    return open_unerased(c, db, v, client_id, key_ct, why);
}

const unsigned char *ckey_by_id(ckeys *c, database *db, const vault *v, const char *client_id, ck_status *why) {
    *why = CK_FAILED;
    if (!c || !client_id || !*client_id) return NULL;
    ckey_slot *sl = cached(c, db, client_id);
    if (sl) {
        *why = CK_OK;
        return sl->key;
    }
    if (client_erased(db, client_id, NULL)) {
        *why = CK_ERASED;
        return NULL;
    }
    client_rec r;
    store_status st = db->ops->client_get(db->st, client_id, &r);
    if (st != ST_OK) {
        *why = st == ST_NOTFOUND ? CK_NOTFOUND : CK_FAILED;
        return NULL;
    }
    /* checked against the list above: not again (an export opens thousands of keys, each a lookup) */
    const unsigned char *k = open_unerased(c, db, v, r.id, &r.key_ct, why);
    client_rec_free(&r);
    return k;
}

const unsigned char *ckey_create(ckeys *c, database *db, const vault *v, client_rec *r) {
    if (!c || !r) return NULL;
    blob_free(&r->key_ct);
    ckey_slot *sl = take_slot(c, db, r->id);
    vault_client_key_new(sl->key);
    if (!vault_client_key_seal(v, r->id, sl->key, &r->key_ct.p, &r->key_ct.n)) {
        secret_wipe(sl, sizeof *sl);
        return NULL;
    }
    sl->used = true;
    return sl->key;
}

bool ckey_seal(const vault *v, const unsigned char *key, const char *client_id, const char *table, const char *column,
               const char *row_id, const char *text, blob *out, error *err) {
    out->p = NULL;
    out->n = 0;
    if (!text || !*text) return true;
    bool ok = key ? vault_client_seal(key, client_id, table, column, row_id, text, strlen(text), &out->p, &out->n)
                  : vault_seal(v, table, column, row_id, text, strlen(text), &out->p, &out->n);
    if (!ok) error_set(err, ERR_INTERNAL, "cannot seal %s.%s", table, column);
    return ok;
}

bool ckey_wrap(const unsigned char *key, const char *client_id, const char *table, const char *column,
               const char *row_id, blob *ct, error *err) {
    if (ct->n == 0) return true;
    blob out = {0};
    if (!key || !vault_client_seal(key, client_id, table, column, row_id, ct->p, ct->n, &out.p, &out.n)) {
        error_set(err, ERR_INTERNAL, "cannot seal %s.%s", table, column);
        return false;
    }
    blob_free(ct);
    *ct = out;
    return true;
}

bool ckey_unwrap(ckeys *c, database *db, const vault *v, const char *owner, const char *table, const char *column,
                 const char *row_id, const unsigned char *ct, size_t n, blob *inner, ck_status *why,
                 char who[VAULT_CLIENT_ID_MAX + 1]) {
    inner->p = NULL;
    inner->n = 0;
    if (vault_sealed_version(ct, n) != VAULT_CLIENT_VERSION) {
        *why = CK_TAMPERED;
        return false;
    }
    char *plain = NULL;
    size_t len = 0;
    if (!ckey_open(c, db, v, owner, table, column, row_id, ct, n, &plain, &len, why, who)) return false;
    /* what is inside is itself sealed (a note under the clinical key): ordinary memory is fine for it */
    inner->p = xcalloc(1, len ? len : 1);
    memcpy(inner->p, plain, len);
    inner->n = len;
    secret_free(plain);
    return true;
}

bool ckey_field(const char *table, const char *column) {
    static const char *const f[][2] = {{"clients", "name"}, {"clients", "phone"}, {"clients", "birth"},
                                       {"intakes", "body"}, {"queue_events", "reason"}};
    for (size_t i = 0; table && column && i < sizeof f / sizeof f[0]; i++)
        if (!strcmp(table, f[i][0]) && !strcmp(column, f[i][1])) return true;
    return false;
}

/* Which key opens ct: *key for a client-keyed value (NULL: v's data key). False with *why when none may. */
static bool key_for(ckeys *c, database *db, const vault *v, const char *owner, const char *table, const char *column,
                    const unsigned char *ct, size_t n, const unsigned char **key, ck_status *why,
                    char who[VAULT_CLIENT_ID_MAX + 1]) {
    *key = NULL;
    who[0] = '\0';
    if (owner) snprintf(who, VAULT_CLIENT_ID_MAX + 1, "%s", owner);
    if (vault_sealed_version(ct, n) == VAULT_CLIENT_VERSION) {
        if (!vault_client_of(ct, n, who) || (owner && strcmp(owner, who) != 0)) {
            *why = CK_TAMPERED; /* a value of another client's, or a header edited */
            return false;
        }
        *key = ckey_by_id(c, db, v, who, why);
        if (*why == CK_LEGACY || *why == CK_NOTFOUND) *why = CK_TAMPERED; /* a client-keyed value with no key to open it */
        return *key != NULL;
    }
    /* format 1 under the data key: the client's own rows only while the upgrade has not reached the client */
    if (owner) {
        ck_status st;
        const unsigned char *k = ckey_by_id(c, db, v, owner, &st);
        if (st == CK_ERASED || st == CK_FAILED) {
            *why = st;
            return false;
        }
        if (k && ckey_field(table, column)) { /* the client has a key: its values are under it, not the data key */
            *why = CK_TAMPERED;
            return false;
        }
    }
    if (ckey_field(table, column) && client_keys_sealed(db)) {
        *why = CK_TAMPERED;
        return false;
    }
    *why = CK_OK;
    return true;
}

bool ckey_open(ckeys *c, database *db, const vault *v, const char *owner, const char *table, const char *column,
               const char *row_id, const unsigned char *ct, size_t n, char **plain, size_t *len, ck_status *why,
               char who[VAULT_CLIENT_ID_MAX + 1]) {
    *plain = NULL;
    *len = 0;
    const unsigned char *key;
    if (!key_for(c, db, v, owner, table, column, ct, n, &key, why, who)) return false;
    bool ok = key ? vault_client_open(key, table, column, row_id, ct, n, plain, len)
                  : vault_open(v, table, column, row_id, ct, n, plain, len);
    if (!ok) *why = CK_TAMPERED;
    return ok;
}

bool ckey_open_buf(ckeys *c, database *db, const vault *v, const char *owner, const char *table, const char *column,
                   const char *row_id, const unsigned char *ct, size_t n, vault_buf *out, ck_status *why,
                   char who[VAULT_CLIENT_ID_MAX + 1]) {
    out->len = 0;
    const unsigned char *key;
    if (!key_for(c, db, v, owner, table, column, ct, n, &key, why, who)) return false;
    bool ok = key ? vault_client_open_buf(key, table, column, row_id, ct, n, out)
                  : vault_open_buf(v, table, column, row_id, ct, n, out);
    if (!ok) *why = CK_TAMPERED;
    return ok;
}

void ckey_why(ck_status why, const char *who, const char *table, const char *column, const char *row, error *err) {
    if (why == CK_ERASED) {
        error_set(err, ERR_TAMPERED,
                  "the client %s was erased: %s.%s of record %s is a row of it put back from an older copy "
                  "(replayed); nothing of it is opened",
                  who && *who ? who : "?", table, column, row);
    } else if (why == CK_FAILED) {
        error_set(err, ERR_IO, "cannot read the key of client %s for %s.%s of record %s", who && *who ? who : "?", table,
                  column, row);
    } else {
        error_set(err, ERR_TAMPERED, "tampering detected: %s.%s of record %s does not open (edited or moved)", table,
                  column, row);
    }
}

/* ---- the upgrade (schema 11) ---- */

/* The values of one client re-sealed under its new key, held until all of them are: a client whose value does
 * not open is left as it was, whole (verify names the value), and the others go on. */
typedef struct {
    const char *table, *column;
    char row[STORE_ID_LEN];
    blob ct;
} pending;

typedef struct {
    pending *p;
    int n, cap;
} pending_list;

static void pending_free(pending_list *l) {
    for (int i = 0; i < l->n; i++) blob_free(&l->p[i].ct);
    free(l->p);
    memset(l, 0, sizeof *l);
}

/* One value of a client under key (it is under the data key: format 1), added to l. */
static bool reseal(const vault *v, const unsigned char *key, const char *client_id, const char *table,
                   const char *column, const char *row, const blob *ct, pending_list *l, error *err) {
    if (ct->n == 0 || vault_sealed_version(ct->p, ct->n) == VAULT_CLIENT_VERSION) return true;
    char *plain = NULL;
    size_t len = 0;
    if (!vault_open(v, table, column, row, ct->p, ct->n, &plain, &len)) {
        error_set(err, ERR_TAMPERED, "tampering: %s.%s of record %s does not open; its client %s keeps no key of its "
                                     "own until it is dealt with", table, column, row, client_id);
        return false;
    }
    if (l->n == l->cap) l->p = xrealloc(l->p, sizeof *l->p * (size_t)(l->cap = l->cap ? l->cap * 2 : 16));
    pending *p = &l->p[l->n];
    memset(p, 0, sizeof *p);
    p->table = table;
    p->column = column;
    snprintf(p->row, sizeof p->row, "%s", row);
    bool ok = vault_client_seal(key, client_id, table, column, row, plain, len, &p->ct.p, &p->ct.n);
    secret_free(plain);
    if (!ok) {
        error_set(err, ERR_INTERNAL, "cannot seal %s.%s", table, column);
        return false;
    }
    l->n++;
    return true;
}

/* A note (sealed to the clinical key, or before that under the data key) wrapped as it is, unopened: any role
 * holding the data key can do it, reception too, who cannot open a note. */
static void wrap_note(const unsigned char *key, const char *client_id, const char *row, const blob *ct, pending_list *l,
                      bool *ok, error *err) {
    if (!*ok || ct->n == 0 || vault_sealed_version(ct->p, ct->n) == VAULT_CLIENT_VERSION) return;
    if (l->n == l->cap) l->p = xrealloc(l->p, sizeof *l->p * (size_t)(l->cap = l->cap ? l->cap * 2 : 16));
    pending *p = &l->p[l->n];
    memset(p, 0, sizeof *p);
    p->table = "intakes";
    p->column = "notes";
    snprintf(p->row, sizeof p->row, "%s", row);
    if (!vault_client_seal(key, client_id, "intakes", "notes", row, ct->p, ct->n, &p->ct.p, &p->ct.n)) {
        error_set(err, ERR_INTERNAL, "cannot seal intakes.notes");
        *ok = false;
        return;
    }
    l->n++;
}

/* The intakes' bodies of a client, and its notes wrapped. */
static bool reseal_intakes(database *db, const vault *v, const unsigned char *key, const char *id, pending_list *l,
                           error *err) {
    intake_rec *in = NULL;
    int n = 0;
    store_status st = db->ops->intake_list_for_client(db->st, id, &in, &n);
    bool ok = st == ST_OK;
    if (!ok) db_error(db, st, "cannot read the intakes of a client", err);
    for (int i = 0; ok && i < n; i++) {
        ok = reseal(v, key, id, "intakes", "body", in[i].id, &in[i].body_ct, l, err);
        wrap_note(key, id, in[i].id, &in[i].notes_ct, l, &ok, err);
    }
    for (int i = 0; i < n; i++) intake_rec_free(&in[i]);
    free(in);
    return ok;
}

/* The reasons of the client's queue steps. */
static bool reseal_reasons(database *db, const vault *v, const unsigned char *key, const char *id, pending_list *l,
                           error *err) {
    queue_rec *items = NULL;
    int ni = 0;
    store_status st = db->ops->queue_all_for_client(db->st, id, &items, &ni);
    bool ok = st == ST_OK;
    if (!ok) db_error(db, st, "cannot read the queue items of a client", err);
    for (int i = 0; ok && i < ni; i++) {
        queue_event_rec *ev = NULL;
        int ne = 0;
        st = db->ops->queue_events(db->st, items[i].id, &ev, &ne);
        if (st != ST_OK) {
            db_error(db, st, "cannot read a queue item's history", err);
            ok = false;
        }
        for (int j = 0; ok && j < ne; j++)
            ok = reseal(v, key, id, "queue_events", "reason", ev[j].id, &ev[j].reason_ct, l, err);
        for (int j = 0; j < ne; j++) queue_event_rec_free(&ev[j]);
        free(ev);
    }
    free(items);
    return ok;
}

/* One client: a key, and its fields, intakes and reasons re-sealed under it (inside the batch's transaction).
 * False only when the store fails; a client whose values do not open is left whole and counted in *skipped.
 * An erased client's row put back from an older copy is left as it is: verify names it. */
static bool upgrade_client(database *db, const vault *v, ckeys *keys, const char *id, int *skipped, error *err) {
    if (client_erased(db, id, NULL)) return true;
    client_rec r;
    store_status st = db->ops->client_get(db->st, id, &r);
    if (st == ST_NOTFOUND) return true;
    if (st != ST_OK) {
        db_error(db, st, "cannot read a client", err);
        return false;
    }
    pending_list l = {0};
    error why = {0};
    const unsigned char *key = r.key_ct.n ? NULL : ckey_create(keys, db, v, &r);
    bool store_ok = true;
    if (key) {
        bool sealed = reseal(v, key, id, "clients", "name", id, &r.name_ct, &l, &why) &&
                      reseal(v, key, id, "clients", "phone", id, &r.phone_ct, &l, &why) &&
                      reseal(v, key, id, "clients", "birth", id, &r.birth_ct, &l, &why) &&
                      reseal_intakes(db, v, key, id, &l, &why) && reseal_reasons(db, v, key, id, &l, &why);
        if (!sealed && why.kind != ERR_TAMPERED) {
            error_copy(err, &why);
            store_ok = false;
        }
        if (!sealed) (*skipped)++;
        /* the key first, then every value: all in the batch's transaction */
        st = ST_OK;
        if (sealed) st = db->ops->update_sealed(db->st, "clients", "key", id, r.key_ct.p, r.key_ct.n);
        for (int i = 0; sealed && st == ST_OK && i < l.n; i++)
            st = db->ops->update_sealed(db->st, l.p[i].table, l.p[i].column, l.p[i].row, l.p[i].ct.p, l.p[i].ct.n);
        if (st != ST_OK) {
            db_error(db, st, "cannot save a client re-sealed under its key", err);
            store_ok = false;
        }
    } else if (r.key_ct.n == 0) {
        error_set(err, ERR_INTERNAL, "cannot make a client key");
        store_ok = false;
    }
    pending_free(&l);
    client_rec_free(&r);
    ckey_drop(keys, id);
    return store_ok;
}

bool client_keys_upgrade(database *db, const vault *v, const char *staff_id, int batch, int64_t *done, error *err) {
    if (done) *done = 0;
    if (client_keys_sealed(db)) return true;
    if (batch < 1) batch = 500;
    char(*ids)[STORE_ID_LEN] = NULL;
    int n = 0;
    store_status st = db->ops->row_ids(db->st, "clients", true, &ids, &n);
    if (st != ST_OK) {
        db_error(db, st, "cannot list the clients to re-seal", err);
        return false;
    }
    ckeys *keys = ckeys_new();
    bool ok = keys != NULL;
    if (!ok) error_set(err, ERR_INTERNAL, "no secure memory for client keys");
    int skipped = 0;
    for (int from = 0; ok && from <= n; from += batch) {
        int to = from + batch < n ? from + batch : n;
        if (!db_begin(db, err)) {
            ok = false;
            break;
        }
        for (int i = from; ok && i < to; i++) ok = upgrade_client(db, v, keys, ids[i], &skipped, err);
        if (ok && to == n && skipped == 0) {
            /* the last batch: every client has a key from now on (one added by another desk meanwhile had one
             * from its start: records.c) */
            st = db->ops->meta_set(db->st, "client_keys", "sealed", 6);
            if (st != ST_OK) db_error(db, st, "cannot record the upgrade", err);
            char detail[96];
            snprintf(detail, sizeof detail, "%d clients re-sealed under keys of their own", n);
            ok = st == ST_OK && audit_log(db, v, staff_id, "client_keys", "", detail, err);
        }
        if (ok) ok = db_commit(db, err);
        else db_rollback(db);
        if (ok && done) *done = to;
        ckeys_forget(keys);
        if (ok && to < n) test_fault_point("client_keys_batch"); /* a kill -9 between two batches (tests/faults) */
        if (to == n) break;
    }
    ckeys_free(keys);
    free(ids);
    if (ok && skipped) {
        error_set(err, ERR_TAMPERED, "%d client(s) could not be given a key of their own (a value does not open, or "
                                     "the client was erased): run `triage verify`", skipped);
        return false;
    }
    return ok;
}

bool ckey_intake_tag(ckeys *c, database *db, const vault *v, const char *client_id, const char *intake_id,
                     char tag[CKEY_TAG_HEX]) {
    tag[0] = '\0';
    ck_status why;
    const unsigned char *key = ckey_by_id(c, db, v, client_id, &why);
    if (!key) return false;
    unsigned char h[16];
    vault_keyed_id(key, "intake-client", intake_id, h);
    hex_encode(h, sizeof h, tag);
    return true;
}
