#include "maintenance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blind_index.h"
#include "clock.h"
#include "erasure.h"
#include "ids.h"
#include "records.h"
#include "rowmac.h"
#include "secret.h"
#include "util.h"

typedef struct {
    const vault *v;
    int64_t n;
    char problem[600];
    progress *progress; /* verify: how many of total have been opened */
    int64_t total;
} open_ctx;

/* The sealed fields there are, for a progress total: a pass that only counts (nothing is opened). Taken only
 * when someone watches the progress (see progress.h). */
static int count_one(void *vctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                     size_t n) {
    (void)table, (void)column, (void)row, (void)ct, (void)n;
    (*(int64_t *)vctx)++;
    return 0;
}

static int64_t sealed_total(session *s) {
    int64_t n = 0;
    if (progress_wanted(s->progress) && s->db->ops->each_sealed(s->db->st, count_one, &n) != ST_OK) n = 0;
    return n;
}

static int open_one(void *vctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                    size_t n) {
    open_ctx *c = vctx;
    char *plain;
    size_t len;
    if (!vault_open(c->v, table, column, row, ct, n, &plain, &len)) {
        snprintf(c->problem, sizeof c->problem,
                 "tampering: %s.%s of record %s does not open (edited, moved from another record, or not sealed)", table,
                 column, row);
        return 1;
    }
    secret_free(plain);
    c->n++;
    progress_report(c->progress, "sealed fields opened", c->n, c->total);
    return 0;
}

#define VERIFY_LAST "verify_last"

/* Records the finding of this verify (inside the caller's transaction). */
static bool verify_last_write(session *s, bool sound, char *err, size_t errsize) {
    char text[48];
    int n = snprintf(text, sizeof text, "%lld %s", (long long)clock_now(), sound ? "sound" : "tampered");
    unsigned char *ct = NULL;
    size_t ctn = 0;
    if (!vault_seal(s->v, "meta", VERIFY_LAST, "meta", text, (size_t)n, &ct, &ctn)) {
        snprintf(err, errsize, "cannot seal the verify result");
        return false;
    }
    store_status st = s->db->ops->meta_set(s->db->st, VERIFY_LAST, ct, ctn);
    free(ct);
    if (st != ST_OK) db_error(s->db, st, "cannot record the verify result", err, errsize);
    return st == ST_OK;
}

void verify_last(session *s, int64_t *at, bool *sound) {
    *at = 0;
    *sound = false;
    blob b = {0};
    char *plain = NULL;
    size_t len = 0;
    long long t = 0;
    char word[16] = "";
    if (s && s->db->ops->meta_get(s->db->st, VERIFY_LAST, &b) == ST_OK &&
        vault_open(s->v, "meta", VERIFY_LAST, "meta", b.p, b.n, &plain, &len) && sscanf(plain, "%lld %15s", &t, word) == 2) {
        *at = t;
        *sound = strcmp(word, "sound") == 0;
    }
    secret_free(plain);
    blob_free(&b);
}

bool db_verify(session *s, verify_report *r, char *err, size_t errsize) {
    memset(r, 0, sizeof *r);
    if (!session_allowed(s, ACT_VERIFY, err, errsize)) return false;
    database *db = s->db;
    char msg[512] = "";
    store_status st = db->ops->integrity_check(db->st, msg, sizeof msg);
    if (st != ST_OK) {
        snprintf(r->problem, sizeof r->problem, "integrity check failed: %.500s", msg);
        return true;
    }
    if (!session_key_current(s)) {
        snprintf(err, errsize, "the data key was rotated since %s logged in: log in again", s->me.name);
        return false;
    }
    open_ctx c = {s->v, 0, "", s->progress, sealed_total(s)};
    st = db->ops->each_sealed(db->st, open_one, &c);
    r->sealed_checked = c.n;
    if (c.problem[0]) {
        snprintf(r->problem, sizeof r->problem, "%s", c.problem);
        return true;
    }
    if (st != ST_OK) {
        db_error(db, st, "cannot read sealed fields", err, errsize);
        return false;
    }
    /* the clear columns the queues read (level, deadline, state ...) against their row MACs */
    int64_t rows = 0;
    if (!rowmac_verify_all(db, s->v, r->problem, sizeof r->problem, &rows)) {
        /* a run of verify is a deliberate act: its finding goes in the audit (ids only, no personal data) */
        char detail[256];
        snprintf(detail, sizeof detail, "%.250s", r->problem);
        if (session_begin(s, err, errsize)) {
            if (!audit_log(db, s->v, s->me.id, "tamper_detected", "", detail, err, errsize) ||
                !verify_last_write(s, false, err, errsize) || !db_commit(db, err, errsize))
                db_rollback(db);
        }
        err[0] = '\0';
        return true;
    }
    r->rows_checked = rows;
    if (!audit_verify(db, s->v, &r->audit)) {
        snprintf(r->problem, sizeof r->problem, "%s", r->audit.problem);
        return true;
    }
    r->ok = true;
    if (session_begin(s, err, errsize)) {
        if (!audit_log(db, s->v, s->me.id, "verify", "", "sound", err, errsize) || !verify_last_write(s, true, err, errsize) ||
            !db_commit(db, err, errsize))
            db_rollback(db);
    }
    return true;
}

/* ---- rekey ---- */

typedef struct {
    char table[16], column[16], row[STORE_ID_LEN];
    unsigned char *ct; /* the value re-sealed under the new key */
    size_t n;
} resealed;

typedef struct {
    const vault *old, *fresh;
    resealed *list;
    size_t n, cap;
    char problem[600];
    progress *progress; /* how many of total have been sealed under the new key */
    int64_t total;
} rekey_ctx;

static int reseal_one(void *vctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                      size_t n) {
    rekey_ctx *c = vctx;
    char *plain;
    size_t len;
    if (!vault_open(c->old, table, column, row, ct, n, &plain, &len)) {
        snprintf(c->problem, sizeof c->problem, "tampering: %s.%s of record %s does not open; nothing was changed",
                 table, column, row);
        return 1;
    }
    if (c->n == c->cap) c->list = xrealloc(c->list, sizeof *c->list * (c->cap = c->cap ? c->cap * 2 : 256));
    resealed *r = &c->list[c->n];
    snprintf(r->table, sizeof r->table, "%s", table);
    snprintf(r->column, sizeof r->column, "%s", column);
    snprintf(r->row, sizeof r->row, "%s", row);
    bool ok = vault_seal(c->fresh, table, column, row, plain, len, &r->ct, &r->n);
    secret_free(plain);
    if (!ok) {
        snprintf(c->problem, sizeof c->problem, "cannot seal %s.%s of record %s", table, column, row);
        return 1;
    }
    c->n++;
    progress_report(c->progress, "sealed fields re-sealed", (int64_t)c->n, c->total);
    return 0;
}

static void rekey_ctx_free(rekey_ctx *c) {
    for (size_t i = 0; i < c->n; i++) free(c->list[i].ct);
    free(c->list);
}

bool db_rekey(session *s, char *err, size_t errsize) {
    if (!session_allowed(s, ACT_KEY_MANAGE, err, errsize)) return false;
    database *db = s->db;
    /* the new key signs the trail as the same supervisor: their signing key is theirs, not the data key's */
    vault *fresh = vault_create_signing_as(s->v);
    if (!fresh) {
        snprintf(err, errsize, "cannot create a data key");
        return false;
    }
    rekey_ctx c = {s->v, fresh, NULL, 0, 0, "", s->progress, sealed_total(s)};
    if (!session_begin(s, err, errsize)) {
        vault_free(fresh);
        return false;
    }
    store_status st = db->ops->each_sealed(db->st, reseal_one, &c);
    bool ok = !c.problem[0] && st == ST_OK;
    if (c.problem[0]) snprintf(err, errsize, "%s", c.problem);
    else if (st != ST_OK) db_error(db, st, "cannot read sealed fields", err, errsize);
    for (size_t i = 0; ok && i < c.n; i++) {
        st = db->ops->update_sealed(db->st, c.list[i].table, c.list[i].column, c.list[i].row, c.list[i].ct, c.list[i].n);
        if (st != ST_OK) {
            db_error(db, st, "cannot re-seal", err, errsize);
            ok = false;
        }
        progress_report(s->progress, "sealed fields written", (int64_t)i + 1, (int64_t)c.n);
    }
    /* blind indexes are keyed by the data key: rebuilt from the re-sealed clients, at the width for their
     * number (core/records/blind_index.h) */
    ok = ok && blind_index_rebuild(db, fresh, db->set.blind_index_k, NULL, err, errsize);
    /* every staff member gets the new key sealed to their public key: no passphrase needed */
    staff_rec *staff = NULL;
    int ns = 0;
    if (ok && (st = db->ops->staff_list(db->st, &staff, &ns)) != ST_OK) {
        db_error(db, st, "cannot read staff", err, errsize);
        ok = false;
    }
    for (int i = 0; ok && i < ns; i++) {
        /* a locked account is left out: it keeps an envelope of the old key, which no longer matches the key
         * check, so clearing the lock in the file gives nothing back; a supervisor's unlock seals it anew */
        if (staff[i].locked) continue;
        if (!vault_seal_data_key(fresh, staff[i].keys.public_key, staff[i].keys.sealed_data_key) ||
            (st = db->ops->staff_update(db->st, &staff[i])) != ST_OK) {
            db_error(db, st, "cannot seal the new key for staff", err, errsize);
            ok = false;
        }
    }
    free(staff);
    /* desks still holding the old key see the generation change and must log in again */
    char gen[24];
    int64_t next_gen = session_key_generation(db) + 1;
    int gl = snprintf(gen, sizeof gen, "%lld", (long long)next_gen);
    if (ok && (st = db->ops->meta_set(db->st, "key_generation", gen, (size_t)gl)) != ST_OK) {
        db_error(db, st, "cannot record the key rotation", err, errsize);
        ok = false;
    }
    ok = ok && session_key_check_write(db, fresh, err, errsize) && audit_remac_all(db, fresh, err, errsize) &&
         rowmac_remac_all(db, s->v, fresh, err, errsize) &&
         audit_log(db, fresh, s->me.id, "rekey", "", "data key rotated", err, errsize) && db_commit(db, err, errsize);
    if (!ok) db_rollback(db);
    rekey_ctx_free(&c);
    if (ok) {
        if (db->row_key == s->v) db->row_key = fresh;
        vault_free(s->v);
        s->v = fresh;
        s->key_generation = next_gen;
    } else {
        vault_free(fresh);
    }
    return ok;
}

bool db_backup(session *s, const char *dest, char *err, size_t errsize) {
    if (!session_allowed(s, ACT_BACKUP, err, errsize)) return false;
    /* the copy is taken in one step (one consistent read of the database), so there is no count inside it:
     * watchers are told it started and when it is done */
    progress_report(s->progress, "database copied", 0, 1);
    store_status st = s->db->ops->backup(s->db->st, dest, err, errsize);
    if (st != ST_OK) return false;
    progress_report(s->progress, "database copied", 1, 1);
    if (session_begin(s, err, errsize)) {
        if (!audit_log(s->db, s->v, s->me.id, "backup", "", "", err, errsize) || !db_commit(s->db, err, errsize))
            db_rollback(s->db);
    }
    return true;
}

/* ---- restore ---- */

typedef struct {
    char (*ids)[STORE_ID_LEN];
    int n, cap;
} erased_ids;

/* Every client erased on record in the live audit trail (action client_erase, the client's id). */
static int collect_erasure(void *vctx, const audit_rec *rec) {
    erased_ids *e = vctx;
    if (strcmp(rec->action, "client_erase") != 0 || !rec->object_id[0] || strlen(rec->object_id) >= STORE_ID_LEN)
        return 0;
    if (e->n == e->cap) {
        int cap = e->cap ? e->cap * 2 : 16;
        char(*more)[STORE_ID_LEN] = realloc(e->ids, (size_t)cap * sizeof *more);
        if (!more) return 1;
        e->ids = more;
        e->cap = cap;
    }
    memcpy(e->ids[e->n++], rec->object_id, strlen(rec->object_id) + 1); /* fits: checked above */
    return 0;
}

/* The erasures the live database recorded that the backup predates: erased again in the restored content,
 * so that a restore never brings back a client someone erased. *n counts those erased again. */
static bool reapply_erasures(session *s, const erased_ids *e, int *n, char *err, size_t errsize) {
    *n = 0;
    for (int i = 0; i < e->n; i++) {
        client_rec c;
        store_status st = s->db->ops->client_get(s->db->st, e->ids[i], &c);
        if (st == ST_NOTFOUND) continue; /* erased before the backup was made, or never in it */
        if (st != ST_OK) {
            db_error(s->db, st, "cannot read a client erased since the backup", err, errsize);
            return false;
        }
        client_rec_free(&c);
        erase_result r;
        if (!client_erase(s, e->ids[i], &r, err, errsize)) return false;
        (*n)++;
    }
    return true;
}

static void remove_with_sidecars(const char *path) {
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        char p[sizeof ((database *)0)->path + 64];
        snprintf(p, sizeof p, "%s%s", path, side[i]);
        (void)unlink(p);
    }
}

/* The backup, copied into a private database next to the live one and verified there with this session's
 * key (the backup file itself is only read): integrity, every sealed field, the row MACs, the audit chain,
 * the schema version. On success the copy stays at tmp for the caller. */
static bool check_backup(session *s, const char *backup, const char *tmp, char *err, size_t errsize) {
    database t;
    if (!db_open(&t, tmp, true, &s->db->set, err, errsize)) return false;
    store_status st = t.ops->restore(t.st, backup, err, errsize);
    if (st != ST_OK) {
        db_close(&t);
        return false;
    }
    database *live = s->db;
    verify_report r;
    s->db = &t;
    bool ran = db_verify(s, &r, err, errsize);
    s->db = live;
    db_close(&t);
    if (!ran) {
        char why[512];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errsize, "the backup %s cannot be checked: %s; nothing was restored", backup, why);
        return false;
    }
    if (!r.ok) {
        snprintf(err, errsize, "the backup %s does not verify: %s; nothing was restored", backup, r.problem);
        return false;
    }
    return true;
}

bool db_restore(session *s, const char *backup, restore_result *out, char *err, size_t errsize) {
    memset(out, 0, sizeof *out);
    if (!session_allowed(s, ACT_BACKUP, err, errsize) || !session_allowed(s, ACT_CLIENT_ERASE, err, errsize))
        return false;
    if (!backup || !backup[0]) {
        snprintf(err, errsize, "which backup? give its file");
        return false;
    }
    if (access(backup, R_OK) != 0) {
        snprintf(err, errsize, "the backup %s cannot be read: %s; nothing was restored", backup, strerror(errno));
        return false;
    }
    /* the erasures on record now: the backup may still hold those clients */
    erased_ids erased = {0};
    store_status st = s->db->ops->audit_each(s->db->st, collect_erasure, &erased);
    if (st != ST_OK) {
        db_error(s->db, st, "cannot read the audit trail", err, errsize);
        free(erased.ids);
        return false;
    }
    char tmp[sizeof s->db->path + 48], nonce[ID_TEXT_LEN];
    id_new(nonce);
    snprintf(tmp, sizeof tmp, "%s.restore-%.8s", s->db->path, nonce);
    bool ok = check_backup(s, backup, tmp, err, errsize);
    /* the verified copy goes in through the write lock, all at once: desks see it at their next poll */
    if (ok && (st = s->db->ops->restore(s->db->st, tmp, err, errsize)) != ST_OK) ok = false;
    remove_with_sidecars(tmp);
    if (ok) {
        char detail[96];
        snprintf(detail, sizeof detail, "database content replaced by a verified backup");
        ok = session_begin(s, err, errsize);
        if (ok && (!audit_log(s->db, s->v, s->me.id, "restore", "", detail, err, errsize) || !db_commit(s->db, err, errsize))) {
            db_rollback(s->db);
            ok = false;
        }
        out->restored = true;
    }
    if (ok) ok = reapply_erasures(s, &erased, &out->erased_again, err, errsize);
    free(erased.ids);
    return ok;
}
