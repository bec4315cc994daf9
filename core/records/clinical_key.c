/* The clinical key: who holds it, its migration and its rotation (see clinical_key.h). */
#include "clinical_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "client_keys.h"
#include "roles.h"
#include "util.h"

#define META_PK "clinical_pk"
#define META_ENV "clinical_key:"
#define META_STATE "clinical_notes"
#define STATE_SEALED "sealed"
#define PK_LABEL "triage-clinical-pk-v1"

/* A member may hold the clinical key when their role may read notes and the account is not locked (a removed
 * account is locked). */
static bool may_hold(const staff_rec *r) { return !r->locked && role_may(r->role, ACT_NOTES_OF_OTHERS); }

/* What the row MAC of the public key covers: a label (so no other MAC'd row can stand in for it) and the key. */
static size_t pk_message(const unsigned char pk[VAULT_PK_BYTES], unsigned char *m) {
    size_t l = sizeof PK_LABEL - 1;
    memcpy(m, PK_LABEL, l);
    memcpy(m + l, pk, VAULT_PK_BYTES);
    return l + VAULT_PK_BYTES;
}

/* The clinical public key of db. *present false (and true returned) when there is none yet; false with
 * ERR_TAMPERED when its MAC does not verify under v (planted, or its MAC stripped). */
static bool pk_read(database *db, const vault *v, unsigned char pk[VAULT_PK_BYTES], bool *present, error *err) {
    blob b = {0};
    *present = false;
    store_status st = db->ops->meta_get(db->st, META_PK, &b);
    if (st == ST_NOTFOUND) return true;
    if (st != ST_OK) {
        db_error(db, st, "cannot read the clinical public key", err);
        return false;
    }
    unsigned char m[sizeof PK_LABEL - 1 + VAULT_PK_BYTES];
    bool ok = b.n == VAULT_PK_BYTES + VAULT_MAC_BYTES &&
              vault_row_mac_ok(v, m, pk_message(b.p, m), b.p + VAULT_PK_BYTES);
    if (ok) memcpy(pk, b.p, VAULT_PK_BYTES);
    else
        error_set(err, ERR_TAMPERED, "%s: the clinical public key (meta %s) was altered in the file: notes are not "
                                     "sealed to it; run `triage verify` and ask a supervisor", db->path, META_PK);
    blob_free(&b);
    *present = ok;
    return ok;
}

static bool pk_write(database *db, const vault *v, const unsigned char pk[VAULT_PK_BYTES], error *err) {
    unsigned char m[sizeof PK_LABEL - 1 + VAULT_PK_BYTES], val[VAULT_PK_BYTES + VAULT_MAC_BYTES];
    memcpy(val, pk, VAULT_PK_BYTES);
    vault_row_mac(v, m, pk_message(pk, m), val + VAULT_PK_BYTES);
    store_status st = db->ops->meta_set(db->st, META_PK, val, sizeof val);
    if (st != ST_OK) db_error(db, st, "cannot save the clinical public key", err);
    return st == ST_OK;
}

static void env_key(const char *staff_id, char *key, size_t size) { snprintf(key, size, META_ENV "%s", staff_id); }

/* The envelope of staff_id: true when there is one of the right length. */
static bool env_read(database *db, const char *staff_id, unsigned char env[VAULT_SEALED_KEY_BYTES]) {
    char key[128];
    blob b = {0};
    env_key(staff_id, key, sizeof key);
    bool ok = db->ops->meta_get(db->st, key, &b) == ST_OK && b.n == VAULT_SEALED_KEY_BYTES;
    if (ok) memcpy(env, b.p, VAULT_SEALED_KEY_BYTES);
    blob_free(&b);
    return ok;
}

/* env NULL: withdrawn (an empty value, so that a withdrawal is a write like any other). */
static bool env_write(database *db, const char *staff_id, const unsigned char *env, error *err) {
    char key[128];
    env_key(staff_id, key, sizeof key);
    store_status st = db->ops->meta_set(db->st, key, env, env ? VAULT_SEALED_KEY_BYTES : 0);
    if (st != ST_OK) db_error(db, st, "cannot save the clinical key of a staff member", err);
    return st == ST_OK;
}

static bool migrated(database *db) {
    blob b = {0};
    bool done = db->ops->meta_get(db->st, META_STATE, &b) == ST_OK && b.n == sizeof STATE_SEALED - 1 &&
                memcmp(b.p, STATE_SEALED, b.n) == 0;
    blob_free(&b);
    return done;
}

bool clinical_notes_sealed(database *db) { return migrated(db); }

vault_clinical *clinical_key_in(database *db, const session *s) {
    unsigned char env[VAULT_SEALED_KEY_BYTES];
    if (!s || !role_may(s->me.role, ACT_NOTES_OF_OTHERS) || !env_read(db, s->me.id, env)) return NULL;
    return vault_clinical_open(s->v, env);
}

/* ---- notes ---- */

bool clinical_seal_note(session *s, const char *row_id, const char *text, blob *out, error *err) {
    out->p = NULL;
    out->n = 0;
    if (!text || !*text) return true;
    unsigned char pk[VAULT_PK_BYTES];
    bool present;
    if (!pk_read(s->db, s->v, pk, &present, err)) return false;
    bool ok = present ? vault_note_seal(pk, "intakes", "notes", row_id, text, strlen(text), &out->p, &out->n)
                      : vault_seal(s->v, "intakes", "notes", row_id, text, strlen(text), &out->p, &out->n);
    if (!ok) error_set(err, ERR_INTERNAL, "cannot seal intakes.notes");
    return ok;
}

/* Opens a note with whichever key its format names; NULL clinical key: a clinical note is not held. */
static bool open_note(const vault *v, const vault_clinical *c, const char *row_id, const unsigned char *ct, size_t n,
                      char **plain, bool *held) {
    size_t len;
    *plain = NULL;
    *held = true;
    if (vault_sealed_version(ct, n) != VAULT_NOTE_VERSION) return vault_open(v, "intakes", "notes", row_id, ct, n, plain, &len);
    if (!c) {
        *held = false;
        return true;
    }
    return vault_note_open(c, "intakes", "notes", row_id, ct, n, plain, &len);
}

/* Makes s->clinical the key the file's notes are sealed to (public key pk): another desk's supervisor may have
 * rotated it since this session logged in (a demotion, a lock). False when s holds no envelope of it. */
static bool catch_up(session *s, const unsigned char pk[VAULT_PK_BYTES]) {
    unsigned char mine[VAULT_PK_BYTES];
    if (s->clinical) vault_clinical_pk(s->clinical, mine);
    if (s->clinical && vault_equal(mine, pk, VAULT_PK_BYTES)) return true;
    vault_clinical *k = clinical_key_in(s->db, s);
    if (k) vault_clinical_pk(k, mine);
    if (!k || !vault_equal(mine, pk, VAULT_PK_BYTES)) {
        vault_clinical_free(k);
        return false;
    }
    vault_clinical_free(s->clinical);
    s->clinical = k;
    return true;
}

/* The file's clinical public key, with s caught up to it; *present false before the migration. */
static bool caught_up(session *s, bool *present, error *err) {
    unsigned char pk[VAULT_PK_BYTES];
    if (!pk_read(s->db, s->v, pk, present, err)) return false;
    if (*present && role_may(s->me.role, ACT_NOTES_OF_OTHERS)) (void)catch_up(s, pk);
    return true;
}

static bool open_unwrapped(session *s, const char *row_id, const unsigned char *ct, size_t n, char **plain, bool *held);

/* A note is wrapped under its client's key (client_keys.h: erasure kills it too): unwrapped with it first, then
 * opened with the clinical key as before. */
bool clinical_open_note(session *s, const char *row_id, const unsigned char *ct, size_t n, char **plain, bool *held) {
    *plain = NULL;
    *held = true;
    if (vault_sealed_version(ct, n) != VAULT_CLIENT_VERSION) return open_unwrapped(s, row_id, ct, n, plain, held);
    blob inner = {0};
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1];
    bool ok = ckey_unwrap(session_ckeys(s), s->db, s->v, NULL, "intakes", "notes", row_id, ct, n, &inner, &why, who) &&
              vault_sealed_version(inner.p, inner.n) != VAULT_CLIENT_VERSION &&
              open_unwrapped(s, row_id, inner.p, inner.n, plain, held);
    blob_free(&inner);
    return ok;
}

static bool open_unwrapped(session *s, const char *row_id, const unsigned char *ct, size_t n, char **plain, bool *held) {
    bool may = role_may(s->me.role, ACT_NOTES_OF_OTHERS);
    /* once the notes are sealed to the clinical key, a note in the old format (under the data key, which
     * reception holds) is one written into the file since: tampering, never shown as the author's */
    if (vault_sealed_version(ct, n) != VAULT_NOTE_VERSION && migrated(s->db)) {
        *plain = NULL;
        *held = true;
        return false;
    }
    if (open_note(s->v, s->clinical, row_id, ct, n, plain, held) && (*held || !may)) return true;
    /* a clinical note that did not open with the key this session holds (or it holds none, and its role may):
     * the key may have been rotated, or given to this member, since this session logged in */
    unsigned char pk[VAULT_PK_BYTES];
    bool present = false;
    error ignored = {0};
    if (vault_sealed_version(ct, n) != VAULT_NOTE_VERSION || !pk_read(s->db, s->v, pk, &present, &ignored) || !present)
        return !*held; /* a legacy note that did not open: tampering */
    if (!catch_up(s, pk)) {
        /* no envelope of the current key for this member: demoted or locked since this session logged in */
        vault_clinical_free(s->clinical);
        s->clinical = NULL;
        *held = false;
        return true;
    }
    return open_note(s->v, s->clinical, row_id, ct, n, plain, held);
}

/* ---- rotation ---- */

typedef struct {
    char row[STORE_ID_LEN];
    unsigned char *ct;
    size_t n;
} resealed_note;

typedef struct {
    const vault *v;
    const vault_clinical *old;
    unsigned char pk[VAULT_PK_BYTES]; /* the new key's */
    resealed_note *list;
    size_t n, cap;
    char problem[300];
    /* notes are wrapped under their clients' keys (client_keys.h), whose rows keys_v opens (during a rekey the
     * new data key: the clients' keys were re-sealed under it first, in the same transaction) */
    database *db;
    const vault *keys_v;
    ckeys *keys;
} rotate_ctx;

static int reseal_note(void *vctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                       size_t n) {
    rotate_ctx *c = vctx;
    if (strcmp(table, "intakes") != 0 || strcmp(column, "notes") != 0) return 0;
    char *plain = NULL;
    bool held = true;
    /* wrapped under its client's key: unwrapped, re-sealed inside, wrapped again under the same key */
    blob inner = {0};
    ck_status why = CK_OK;
    char who[VAULT_CLIENT_ID_MAX + 1] = "";
    bool wrapped = vault_sealed_version(ct, n) == VAULT_CLIENT_VERSION;
    if (wrapped && ckey_unwrap(c->keys, c->db, c->keys_v, NULL, table, column, row, ct, n, &inner, &why, who)) {
        ct = inner.p;
        n = inner.n;
    }
    if ((wrapped && !inner.p) || !open_note(c->v, c->old, row, ct, n, &plain, &held) || !held) {
        blob_free(&inner);
        snprintf(c->problem, sizeof c->problem,
                 held ? "tampering: intakes.notes of record %s does not open; nothing was changed"
                      : "the notes cannot be re-sealed: you hold no clinical key (intake %s); nothing was changed",
                 row);
        return 1;
    }
    if (c->n == c->cap) c->list = xrealloc(c->list, sizeof *c->list * (c->cap = c->cap ? c->cap * 2 : 64));
    resealed_note *r = &c->list[c->n];
    snprintf(r->row, sizeof r->row, "%s", row);
    bool ok = vault_note_seal(c->pk, "intakes", "notes", row, plain, strlen(plain), &r->ct, &r->n);
    secret_free(plain);
    blob_free(&inner);
    if (ok && wrapped) {
        blob b = {r->ct, r->n};
        error ignored = {0};
        const unsigned char *key = ckey_by_id(c->keys, c->db, c->keys_v, who, &why);
        ok = key && ckey_wrap(key, who, "intakes", "notes", row, &b, &ignored);
        r->ct = b.p;
        r->n = b.n;
    }
    if (!ok) {
        snprintf(c->problem, sizeof c->problem, "cannot seal intakes.notes of record %s", row);
        return 1;
    }
    c->n++;
    return 0;
}

/* Every note re-sealed to c->pk: read them all first, then write (the walk pages through the table). */
static bool reseal_all(database *db, rotate_ctx *c, error *err) {
    store_status st = db->ops->each_sealed(db->st, reseal_note, c);
    if (c->problem[0]) {
        error_set(err, strncmp(c->problem, "tampering", 9) == 0 ? ERR_TAMPERED : ERR_CONFLICT, "%s", c->problem);
        return false;
    }
    if (st != ST_OK) {
        db_error(db, st, "cannot read the notes", err);
        return false;
    }
    for (size_t i = 0; i < c->n; i++) {
        st = db->ops->update_sealed(db->st, "intakes", "notes", c->list[i].row, c->list[i].ct, c->list[i].n);
        if (st != ST_OK) {
            db_error(db, st, "cannot re-seal a note", err);
            return false;
        }
    }
    return true;
}

/* The key sealed to every member who may hold it; withdrawn from every other member who had an envelope. */
static bool distribute(database *db, const vault_clinical *key, error *err) {
    staff_rec *staff = NULL;
    int n = 0;
    store_status st = db->ops->staff_list(db->st, &staff, &n);
    if (st != ST_OK) {
        db_error(db, st, "cannot read staff", err);
        return false;
    }
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
        unsigned char env[VAULT_SEALED_KEY_BYTES];
        if (may_hold(&staff[i])) {
            if (!vault_clinical_seal_to(key, staff[i].keys.public_key, env)) {
                error_set(err, ERR_INTERNAL, "cannot seal the clinical key for `%s`", staff[i].name);
                ok = false;
            } else {
                ok = env_write(db, staff[i].id, env, err);
            }
        } else if (env_read(db, staff[i].id, env)) {
            ok = env_write(db, staff[i].id, NULL, err);
        }
    }
    free(staff);
    return ok;
}

bool clinical_rotate(session *s, const vault *data_key, vault_clinical **fresh, error *err) {
    bool present;
    *fresh = NULL;
    if (!caught_up(s, &present, err)) return false;
    *fresh = vault_clinical_create();
    if (!*fresh) {
        error_set(err, ERR_INTERNAL, "cannot create a clinical key");
        return false;
    }
    rotate_ctx c = {s->v, s->clinical, {0}, NULL, 0, 0, "", s->db, data_key, ckeys_new()};
    vault_clinical_pk(*fresh, c.pk);
    char detail[96];
    bool ok = reseal_all(s->db, &c, err) && distribute(s->db, *fresh, err) && pk_write(s->db, data_key, c.pk, err);
    if (ok) {
        store_status st = s->db->ops->meta_set(s->db->st, META_STATE, STATE_SEALED, sizeof STATE_SEALED - 1);
        if (st != ST_OK) db_error(s->db, st, "cannot record the clinical key", err);
        snprintf(detail, sizeof detail, "clinical key rotated: %zu notes re-sealed", c.n);
        ok = st == ST_OK && audit_log(s->db, data_key, s->me.id, "clinical_key", "", detail, err);
    }
    for (size_t i = 0; i < c.n; i++) free(c.list[i].ct);
    free(c.list);
    ckeys_free(c.keys);
    if (!ok) {
        vault_clinical_free(*fresh);
        *fresh = NULL;
    }
    return ok;
}

void clinical_adopt(session *s, vault_clinical *fresh) {
    if (!fresh) return;
    vault_clinical_free(s->clinical);
    s->clinical = fresh;
}

/* ---- staff changes ---- */

bool clinical_staff_changed(session *s, const staff_rec *r, vault_clinical **fresh, error *err) {
    *fresh = NULL;
    unsigned char pk[VAULT_PK_BYTES], env[VAULT_SEALED_KEY_BYTES];
    bool present;
    if (!pk_read(s->db, s->v, pk, &present, err)) return false;
    if (!present) return true; /* before the migration: it seals the key to everyone who may hold it */
    if (may_hold(r)) {
        if (!catch_up(s, pk)) {
            error_set(err, ERR_CONFLICT, "you hold no clinical key, so `%s` cannot be given one: a clinician or "
                                         "supervisor who holds it must make this change", r->name);
            return false;
        }
        if (!vault_clinical_seal_to(s->clinical, r->keys.public_key, env)) {
            error_set(err, ERR_INTERNAL, "cannot seal the clinical key for `%s`", r->name);
            return false;
        }
        return env_write(s->db, r->id, env, err);
    }
    /* they held it and no longer may: withdrawing the envelope alone takes nothing from someone who kept the key */
    if (!env_read(s->db, r->id, env)) return true;
    return clinical_rotate(s, s->v, fresh, err);
}

/* ---- login ---- */

/* The first login of a member who may hold the key after the upgrade (schema 9): the key is created, every
 * note re-sealed to it, and it is sealed to everyone who may hold it, in one transaction. */
static bool migrate(session *s, error *err) {
    vault_clinical *fresh = NULL;
    if (!session_begin(s, err)) return false;
    if (migrated(s->db)) { /* another desk did it meanwhile */
        db_rollback(s->db);
        vault_clinical_free(s->clinical);
        s->clinical = clinical_key_in(s->db, s);
        return true;
    }
    if (clinical_rotate(s, s->v, &fresh, err) && db_commit(s->db, err)) {
        clinical_adopt(s, fresh);
        return true;
    }
    db_rollback(s->db);
    vault_clinical_free(fresh);
    return false;
}

static int find_rotation(void *ctx, const audit_rec *rec) {
    if (strcmp(rec->action, "clinical_key") != 0) return 0;
    *(bool *)ctx = true;
    return 1;
}

bool clinical_key_was_made(database *db) {
    bool made = false;
    if (db->ops->audit_each(db->st, find_rotation, &made) != ST_OK) made = true; /* the safe reading */
    return made;
}

/* The migration state set back in the file ("legacy" again, or gone) after a clinical key was made: running the
 * migration again would make a new key and seal it to whatever the staff table holds then (a public key
 * swapped in the file), so it is refused and audited, as the row MACs' first login is. */
static bool state_set_back(session *s, error *err) {
    if (!clinical_key_was_made(s->db)) return false;
    error_set(err, ERR_TAMPERED, "%s: the clinical notes' state (meta clinical_notes) was set back in the file after "
                                 "the clinical key was made: no new key is made; run `triage verify` and ask a "
                                 "supervisor", s->db->path);
    error ignored = {0};
    if (session_begin(s, &ignored)) {
        if (!audit_log(s->db, s->v, s->me.id, "tamper_detected", "", "meta clinical_notes set back", &ignored) ||
            !db_commit(s->db, &ignored))
            db_rollback(s->db);
    }
    return true;
}

bool clinical_login(session *s, error *err) {
    if (!role_may(s->me.role, ACT_NOTES_OF_OTHERS)) return true; /* reception: never given the key */
    unsigned char env[VAULT_SEALED_KEY_BYTES], pk[VAULT_PK_BYTES], mine[VAULT_PK_BYTES];
    bool present;
    if (!pk_read(s->db, s->v, pk, &present, err)) return false;
    if (env_read(s->db, s->me.id, env)) {
        s->clinical = vault_clinical_open(s->v, env);
        if (s->clinical) vault_clinical_pk(s->clinical, mine);
        if (!s->clinical || !present || !vault_equal(mine, pk, sizeof pk)) {
            error_set(err, ERR_TAMPERED, "%s: the clinical key sealed to `%s` %s: the file was altered; run `triage "
                                         "verify` and ask a supervisor",
                      s->db->path, s->me.name, s->clinical ? "is not the one notes are sealed to" : "does not open");
            return false;
        }
    }
    if (migrated(s->db)) return true;
    if (state_set_back(s, err)) return false;
    return migrate(s, err);
}
