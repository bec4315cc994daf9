#include "maintenance.h"
#include "box_pin.h"

#include <errno.h>
#include <sys/stat.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blind_index.h"
#include "clinical_key.h"
#include "client_keys.h"
#include "clock.h"
#include "drafts_at_risk.h"
#include "erasure.h"
#include "ids.h"
#include "records.h"
#include "rowmac.h"
#include "secret.h"
#include "trail_rows.h"
#include "util.h"

typedef struct {
    const vault *v;
    int64_t n;
    char problem[600];
    progress *progress; /* verify: how many of total have been opened */
    int64_t total;
    const vault_clinical *clinical; /* notes: the clinical key sealed to the verifier in the file verified */
    bool notes_sealed;              /* the notes were moved to the clinical key: an old-format note is forged */
    database *db;                   /* for the notes' signatures (the signer's key, the intake's author) */
    ckeys *keys;                    /* the clients' own keys (client_keys.h) */
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

/* The same without the notes: a rekey re-seals them through the clinical key's rotation, not field by field. */
static int count_not_note(void *vctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                          size_t n) {
    if (!strcmp(table, "intakes") && !strcmp(column, "notes")) return 0;
    if (vault_sealed_version(ct, n) == VAULT_CLIENT_VERSION) return 0; /* under a client's key: not re-sealed */
    return count_one(vctx, table, column, row, ct, n);
}

static int64_t rekey_total(session *s) {
    int64_t n = 0;
    if (progress_wanted(s->progress) && s->db->ops->each_sealed(s->db->st, count_not_note, &n) != ST_OK) n = 0;
    return n;
}

static int open_value(open_ctx *c, const char *table, const char *column, const char *row, const unsigned char *ct,
                      size_t n);

/* A note is wrapped under its client's key (client_keys.h): unwrapped first, then checked as a note. Once every
 * client has a key, a note not wrapped is one written into the file since. */
static int open_one(void *vctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                    size_t n) {
    open_ctx *c = vctx;
    if (strcmp(table, "intakes") != 0 || strcmp(column, "notes") != 0) return open_value(c, table, column, row, ct, n);
    if (vault_sealed_version(ct, n) != VAULT_CLIENT_VERSION) {
        if (!client_keys_sealed(c->db)) return open_value(c, table, column, row, ct, n);
        snprintf(c->problem, sizeof c->problem,
                 "tampering: %s.%s of record %s is not under its client's key, although every client has one: written "
                 "into the file since", table, column, row);
        return 1;
    }
    blob inner = {0};
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1] = "";
    if (!ckey_unwrap(c->keys, c->db, c->v, NULL, table, column, row, ct, n, &inner, &why, who)) {
        if (why == CK_ERASED)
            snprintf(c->problem, sizeof c->problem,
                     "replayed: the client %s was erased, and %s.%s of record %s is a row of it put back from an older "
                     "copy: nothing of it is opened; erase the client again (`client erase %s`)", who, table, column,
                     row, who);
        else
            snprintf(c->problem, sizeof c->problem,
                     "tampering: %s.%s of record %s does not open (edited, moved from another record, or not sealed)",
                     table, column, row);
        return 1;
    }
    int stop = vault_sealed_version(inner.p, inner.n) == VAULT_CLIENT_VERSION
                   ? (snprintf(c->problem, sizeof c->problem, "tampering: %s.%s of record %s is wrapped twice", table,
                               column, row), 1)
                   : open_value(c, table, column, row, inner.p, inner.n);
    blob_free(&inner);
    return stop;
}

static int open_value(open_ctx *c, const char *table, const char *column, const char *row, const unsigned char *ct,
                      size_t n) {
    char *plain;
    size_t len;
    bool note = vault_sealed_version(ct, n) == VAULT_NOTE_VERSION && !strcmp(table, "intakes") && !strcmp(column, "notes");
    if (!note && c->notes_sealed && !strcmp(table, "intakes") && !strcmp(column, "notes")) {
        snprintf(c->problem, sizeof c->problem,
                 "tampering: %s.%s of record %s is sealed under the data key, although every note was sealed to the "
                 "clinical key: written into the file since (reception holds the data key)", table, column, row);
        return 1;
    }
    if (note && !c->clinical) {
        snprintf(c->problem, sizeof c->problem,
                 "%s.%s of record %s cannot be checked: no clinical key is sealed to you in this file", table, column, row);
        return 1;
    }
    /* a client's values under its own key, through the client they name (client_keys.h); its sealed key is never
     * opened when the client was erased (a row put back from an older copy) */
    ck_status why = CK_OK;
    char who[VAULT_CLIENT_ID_MAX + 1] = "";
    bool is_key = !strcmp(table, "clients") && !strcmp(column, "key");
    if (is_key && client_erased(c->db, row, NULL)) why = CK_ERASED, snprintf(who, sizeof who, "%s", row);
    bool opened = why == CK_OK &&
                  (note ? vault_note_open(c->clinical, table, column, row, ct, n, &plain, &len)
                   : is_key ? vault_open(c->v, table, column, row, ct, n, &plain, &len)
                            : ckey_open(c->keys, c->db, c->v, !strcmp(table, "clients") ? row : NULL, table, column,
                                        row, ct, n, &plain, &len, &why, who));
    if (!opened) {
        if (why == CK_ERASED)
            snprintf(c->problem, sizeof c->problem,
                     "replayed: the client %s was erased, and %s.%s of record %s is a row of it put back from an older "
                     "copy: nothing of it is opened; erase the client again (`client erase %s`)", who, table, column, row,
                     who);
        else
            snprintf(c->problem, sizeof c->problem,
                     "tampering: %s.%s of record %s does not open (edited, moved from another record, or not sealed)",
                     table, column, row);
        return 1;
    }
    if (note && !clinical_note_check(c->db, row, plain, c->problem, sizeof c->problem)) { /* signed by its author */
        secret_free(plain);
        return 1;
    }
    secret_free(plain);
    c->n++;
    progress_report(c->progress, "sealed fields opened", c->n, c->total);
    return 0;
}

#define VERIFY_LAST "verify_last"

/* Records the finding of this verify (inside the caller's transaction). */
static bool verify_last_write(session *s, bool sound, error *err) {
    char text[48];
    int n = snprintf(text, sizeof text, "%lld %s", (long long)clock_now(), sound ? "sound" : "tampered");
    unsigned char *ct = NULL;
    size_t ctn = 0;
    if (!vault_seal(s->v, "meta", VERIFY_LAST, "meta", text, (size_t)n, &ct, &ctn)) {
        error_set(err, ERR_INTERNAL, "cannot seal the verify result");
        return false;
    }
    store_status st = s->db->ops->meta_set(s->db->st, VERIFY_LAST, ct, ctn);
    free(ct);
    if (st != ST_OK) db_error(s->db, st, "cannot record the verify result", err);
    return st == ST_OK;
}

/* The newest finding of a verify in the signed trail: a `verify` entry ("sound") or a signed tamper_detected entry
 * (a verify or a login that found tampering). */
typedef struct {
    int64_t at;
    bool sound, found;
} verify_seen;

static int newest_verify(void *vctx, const audit_rec *e) {
    verify_seen *c = vctx;
    bool sound = !strcmp(e->action, "verify") && !strcmp(e->detail, "sound");
    if (!e->has_sig || (!sound && strcmp(e->action, "tamper_detected") != 0)) return 0;
    c->at = e->at;
    c->sound = sound;
    c->found = true;
    return 0;
}

void verify_last(session *s, int64_t *at, bool *sound) {
    *at = 0;
    *sound = false;
    if (!s) return;
    /* a "sound" comes only from the signed trail: meta verify_last is sealed under the data key every role holds,
     * so anyone with the file and a login could write "sound, now" there; it is believed only when it says
     * "tampered" (a forged alarm hides nothing). A trail with a problem is itself the finding. */
    const audit_facts *f = audit_facts_of(s->db);
    verify_seen seen = {0, false, false};
    if (!f || !f->complete || s->db->ops->audit_each(s->db->st, newest_verify, &seen) != ST_OK) {
        *at = clock_now();
        return;
    }
    blob b = {0};
    char *plain = NULL;
    size_t len = 0;
    long long t = 0;
    char word[16] = "";
    bool meta_bad = s->db->ops->meta_get(s->db->st, VERIFY_LAST, &b) == ST_OK &&
                    vault_open(s->v, "meta", VERIFY_LAST, "meta", b.p, b.n, &plain, &len) &&
                    sscanf(plain, "%lld %15s", &t, word) == 2 && strcmp(word, "sound") != 0 && t >= seen.at;
    secret_free(plain);
    blob_free(&b);
    if (meta_bad) *at = t;
    else if (seen.found) {
        *at = seen.at;
        *sound = seen.sound;
    }
}

int db_sweep_scratch(session *s) {
    int removed = 0;
    error why = {0};
    /* best effort: a directory that cannot be written keeps its leftovers, and the command goes on */
    (void)s->db->ops->scratch_sweep(s->db->st, &removed, &why);
    if (removed > 0) {
        char detail[96];
        snprintf(detail, sizeof detail, "%d leftover scratch cop%s of an interrupted restore removed", removed,
                 removed == 1 ? "y" : "ies");
        session_audit(s, "scratch_swept", "", detail);
    }
    return removed;
}

/* The clients erased on record in the signed audit trail, with the entry that erased each. */
typedef struct {
    char (*ids)[STORE_ID_LEN];
    int64_t *seq;
    int n, cap;
} erased_list;

static int collect_erased(void *vctx, const audit_rec *rec) {
    erased_list *l = vctx;
    if (!audit_entry_erases(rec) || !rec->object_id[0] || strlen(rec->object_id) >= STORE_ID_LEN) return 0;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->ids = xrealloc(l->ids, sizeof *l->ids * (size_t)l->cap);
        l->seq = xrealloc(l->seq, sizeof *l->seq * (size_t)l->cap);
    }
    memcpy(l->ids[l->n], rec->object_id, strlen(rec->object_id) + 1); /* fits: checked above */
    l->seq[l->n++] = rec->seq;
    return 0;
}

/* What a client erased on record (the trail's client_erase entries: signed, chained, so none can be dropped
 * unseen) still has in the file: a row of it put back from an older copy (its clients row, with its old sealed
 * key, its intakes, its queue items), or its place on the list of erased clients (meta erased:ID) removed, which
 * would let a row put back open again. True, with the first found named, when there is any. */
static bool erased_replayed(database *db, char *problem, size_t size) {
    erased_list l = {0};
    store_status st = db->ops->audit_each(db->st, collect_erased, &l);
    bool found = false;
    for (int i = 0; st == ST_OK && !found && i < l.n; i++) {
        const char *id = l.ids[i];
        client_rec c;
        intake_rec *in = NULL;
        queue_rec *items = NULL;
        int nin = 0, nq = 0;
        const char *what = NULL;
        if (db->ops->client_get(db->st, id, &c) == ST_OK) {
            client_rec_free(&c);
            what = "its clients row (with its old sealed key)";
        } else if (db->ops->intake_list_for_client(db->st, id, &in, &nin) == ST_OK && nin > 0) {
            what = "its intakes";
        } else if (db->ops->queue_all_for_client(db->st, id, &items, &nq) == ST_OK && nq > 0) {
            what = "its queue items";
        }
        for (int j = 0; j < nin; j++) intake_rec_free(&in[j]);
        free(in);
        free(items);
        if (what) {
            snprintf(problem, size,
                     "replayed: the client %s was erased (audit entry #%lld), and %s came back: rows of it put back from "
                     "an older copy; nothing of them is opened; erase the client again (`client erase %s`)",
                     id, (long long)l.seq[i], what, id);
            found = true;
        } else if (!client_erased(db, id, NULL)) {
            snprintf(problem, size,
                     "tampering: the client %s was erased (audit entry #%lld) but is missing from the list of erased "
                     "clients (meta erased:%s): removed in the file", id, (long long)l.seq[i], id);
            found = true;
        }
    }
    free(l.ids);
    free(l.seq);
    return found;
}

static bool verify_records(session *s, verify_report *r, const audit_report *trail, bool trail_ok, error *err);

bool db_verify(session *s, verify_report *r, error *err) {
    memset(r, 0, sizeof *r);
    if (!session_allowed(s, ACT_VERIFY, err)) return false;
    r->scratch_swept = db_sweep_scratch(s);
    database *db = s->db;
    char msg[512] = "";
    store_status st = db->ops->integrity_check(db->st, msg, sizeof msg);
    if (st != ST_OK) {
        snprintf(r->problem, sizeof r->problem, "integrity check failed: %.500s", msg);
        return true;
    }
    if (!session_key_current(s)) {
        error_set(err, ERR_AUTH, "the data key was rotated since %s logged in: log in again", s->me.name);
        return false;
    }
    /* the trail first: a member's keys, roles and signatures come from it, so what is wrong with it (an entry
     * removed and the rest re-chained) is the cause of what the records would name (a note's signature that no
     * longer checks); it is named first, the first consequence after it */
    audit_report trail;
    bool trail_ok = audit_verify(db, s->v, &trail);
    if (!verify_records(s, r, &trail, trail_ok, err)) return false;
    if (trail_ok) return true;
    char then[sizeof r->problem];
    snprintf(then, sizeof then, "%s", strcmp(r->problem, trail.problem) ? r->problem : "");
    r->audit = trail;
    r->ok = false;
    /* a long consequence is cut: the cause comes first and is whole */
    snprintf(r->problem, sizeof r->problem, "%s", trail.problem);
    size_t used = strlen(r->problem);
    if (then[0] && used + 40 < sizeof r->problem)
        snprintf(r->problem + used, sizeof r->problem - used, "; and, following from it: %.*s",
                 (int)(sizeof r->problem - used - 30), then);
    return true;
}

/* Everything but the trail's own walk (done first, by db_verify): trail_ok false, nothing is recorded as sound. */
static bool verify_records(session *s, verify_report *r, const audit_report *trail, bool trail_ok, error *err) {
    database *db = s->db;
    store_status st;
    /* the file's own clinical key for this verifier: a backup being checked may hold an older one */
    vault_clinical *clinical = clinical_key_in(db, s);
    /* an erased client's rows put back from an older copy, named by its id before any value is opened */
    if (erased_replayed(db, r->problem, sizeof r->problem)) {
        vault_clinical_free(clinical);
        return true;
    }
    open_ctx c = {s->v, 0, "", s->progress, sealed_total(s), clinical, clinical_notes_sealed(db), db, ckeys_new()};
    if (!c.notes_sealed && clinical_key_was_made(db)) {
        vault_clinical_free(clinical);
        snprintf(r->problem, sizeof r->problem, "tampering: the clinical notes' state (meta clinical_notes) was set back "
                                                "in the file after the clinical key was made");
        return true;
    }
    st = c.keys ? db->ops->each_sealed(db->st, open_one, &c) : ST_IO;
    ckeys_free(c.keys);
    vault_clinical_free(clinical);
    r->sealed_checked = c.n;
    if (c.problem[0]) {
        snprintf(r->problem, sizeof r->problem, "%s", c.problem);
        return true;
    }
    if (st != ST_OK) {
        db_error(db, st, "cannot read sealed fields", err);
        return false;
    }
    /* the clear columns the queues read (level, deadline, state ...) against their row MACs */
    int64_t rows = 0;
    if (!rowmac_verify_all(db, s->v, r->problem, sizeof r->problem, &rows)) {
        /* a run of verify is a deliberate act: its finding goes in the audit (ids only, no personal data) */
        char detail[256];
        snprintf(detail, sizeof detail, "%.250s", r->problem);
        if (session_begin(s, err)) {
            if (!audit_log(db, s->v, s->me.id, "tamper_detected", "", detail, err) ||
                !verify_last_write(s, false, err) || !db_commit(db, err))
                db_rollback(db);
        }
        error_clear(err);
        return true;
    }
    r->rows_checked = rows;
    if (!trail_ok) return true; /* db_verify names the trail */
    r->audit = *trail;
    if (!clinical_pin_verify(db, &r->audit, r->problem, sizeof r->problem)) return true;
    if (!clinical_envelopes_verify(db, r->problem, sizeof r->problem)) return true;
    if (!trail_rows_verify(db, s->v, r->problem, sizeof r->problem)) return true;
    r->ok = true;
    ckeys_forget(s->ck);
    if (session_begin(s, err)) {
        if (!audit_log(db, s->v, s->me.id, "verify", "", "sound", err) || !verify_last_write(s, true, err) ||
            !db_commit(db, err))
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
    error_kind problem_kind; /* what the problem is: a field that does not open, or one that cannot be sealed */
    database *db;
} rekey_ctx;

static int reseal_one(void *vctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                      size_t n) {
    rekey_ctx *c = vctx;
    char *plain;
    size_t len;
    /* notes are re-sealed by the clinical key's rotation in the same transaction (clinical_key.h) */
    if (!strcmp(table, "intakes") && !strcmp(column, "notes")) return 0;
    /* a client's values are under its own key, which does not change: only that key, sealed under the data key,
     * is re-sealed (client_keys.h), so a rotation costs one small value per client, not every field */
    if (vault_sealed_version(ct, n) == VAULT_CLIENT_VERSION) return 0;
    /* an erased client's key put back from an older copy is left under the old data key: nothing opens it now */
    if (!strcmp(table, "clients") && !strcmp(column, "key") && client_erased(c->db, row, NULL)) return 0;
    if (!vault_open(c->old, table, column, row, ct, n, &plain, &len)) {
        c->problem_kind = ERR_TAMPERED;
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
        c->problem_kind = ERR_INTERNAL;
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

bool db_rekey(session *s, error *err) {
    if (!session_allowed(s, ACT_KEY_MANAGE, err)) return false;
    database *db = s->db;
    /* the new keys go to those the signed trail leaves active: refused while it has a problem (box_pin.h) */
    if (!box_pin_trail_sound(db, err)) return false;
    /* the new key signs the trail as the same supervisor: their signing key is theirs, not the data key's */
    vault *fresh = vault_create_signing_as(s->v);
    if (!fresh) {
        error_set(err, ERR_INTERNAL, "cannot create a data key");
        return false;
    }
    rekey_ctx c = {s->v, fresh, NULL, 0, 0, "", s->progress, rekey_total(s), ERR_NONE, db};
    if (!session_begin(s, err)) {
        vault_free(fresh);
        return false;
    }
    store_status st = db->ops->each_sealed(db->st, reseal_one, &c);
    bool ok = !c.problem[0] && st == ST_OK;
    if (c.problem[0]) error_set(err, c.problem_kind, "%s", c.problem);
    else if (st != ST_OK) db_error(db, st, "cannot read sealed fields", err);
    for (size_t i = 0; ok && i < c.n; i++) {
        st = db->ops->update_sealed(db->st, c.list[i].table, c.list[i].column, c.list[i].row, c.list[i].ct, c.list[i].n);
        if (st != ST_OK) {
            db_error(db, st, "cannot re-seal", err);
            ok = false;
        }
        progress_report(s->progress, "sealed fields written", (int64_t)i + 1, (int64_t)c.n);
    }
    /* blind indexes are keyed by the data key: rebuilt from the re-sealed clients, at the width for their
     * number (core/records/blind_index.h) */
    ok = ok && blind_index_rebuild(db, fresh, db->set.blind_index_k, NULL, err);
    /* every staff member gets the new key sealed to their public key: no passphrase needed */
    staff_rec *staff = NULL;
    int ns = 0;
    if (ok && (st = db->ops->staff_list(db->st, &staff, &ns)) != ST_OK) {
        db_error(db, st, "cannot read staff", err);
        ok = false;
    }
    for (int i = 0; ok && i < ns; i++) {
        /* a locked account is left out: it keeps an envelope of the old key, which no longer matches the key
         * check, so clearing the lock in the file gives nothing back; a supervisor's unlock seals it anew */
        if (staff[i].locked) continue;
        /* and so is one the signed trail locked or removed, or never added, whatever the table says (a lock
         * cleared in the file just before the rekey, a removed row's lock cleared): both must show them active */
        const audit_member_facts *tm = audit_facts_member(audit_facts_of(db), staff[i].id);
        if (!tm || !tm->added || tm->locked || tm->removed) continue;
        /* sealed to the key the signed trail gave them, not the table's (box_pin.h) */
        unsigned char pk[VAULT_PK_BYTES];
        if (!box_pin_for_rotation(db, &staff[i], pk, err)) {
            ok = false;
            break;
        }
        if (!vault_seal_data_key(fresh, pk, staff[i].keys.sealed_data_key) ||
            (st = db->ops->staff_update(db->st, &staff[i])) != ST_OK) {
            db_error(db, st, "cannot seal the new key for staff", err);
            ok = false;
        }
    }
    free(staff);
    /* desks still holding the old key see the generation change and must log in again */
    char gen[24];
    int64_t next_gen = session_key_generation(db) + 1;
    int gl = snprintf(gen, sizeof gen, "%lld", (long long)next_gen);
    if (ok && (st = db->ops->meta_set(db->st, "key_generation", gen, (size_t)gl)) != ST_OK) {
        db_error(db, st, "cannot record the key rotation", err);
        ok = false;
    }
    /* the clinical key rotates with it: every note re-sealed (legacy ones, under the old data key, too), the key
     * sealed to the unlocked clinicians and supervisors only, its public key MAC'd under the new data key */
    vault_clinical *clinical = NULL;
    ok = ok && session_key_check_write(db, fresh, err) && audit_remac_all(db, fresh, err) &&
         rowmac_remac_all(db, s->v, fresh, err) && clinical_rotate(s, fresh, &clinical, err) &&
         audit_log(db, fresh, s->me.id, "rekey", "", "data key rotated", err) && db_commit(db, err);
    if (!ok) db_rollback(db);
    rekey_ctx_free(&c);
    if (ok) clinical_adopt(s, clinical);
    else vault_clinical_free(clinical);
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

bool db_backup(session *s, const char *dest, error *err) {
    if (!session_allowed(s, ACT_BACKUP, err)) return false;
    (void)db_sweep_scratch(s); /* audited when it removed any */
    /* the copy is taken in one step (one consistent read of the database), so there is no count inside it:
     * watchers are told it started and when it is done */
    progress_report(s->progress, "database copied", 0, 1);
    store_status st = s->db->ops->backup(s->db->st, dest, err);
    if (st != ST_OK) return false;
    progress_report(s->progress, "database copied", 1, 1);
    if (session_begin(s, err)) {
        if (!audit_log(s->db, s->v, s->me.id, "backup", "", "", err) || !db_commit(s->db, err))
            db_rollback(s->db);
    }
    return true;
}

/* ---- restore ----
 *
 * The design (README "What is stored", docs/restore.md): the backup is verified in a private copy;
 * then one write transaction under the write lock (store op restore) reads what the live database holds that
 * the backup does not, replaces the content, and carries it forward before anything else can commit:
 * - every erasure on record is applied again to the restored content (a restore never brings a client back);
 * - every live audit entry the backup lacks (the live trail's tail after the point where the two trails
 *   part) is appended again, in order, as a signed `restored_over` entry of the restoring supervisor that
 *   names the original's sequence, time, writer, action and detail: the trail loses nothing silently;
 * - the intakes saved after the backup that the restore removes are counted (from that tail), named in the
 *   `restore` entry and in the command's output;
 * - meta restore_generation is counted up, so a desk that stayed open learns at its next poll that the
 *   database was restored under it (session_restored_since). */

typedef struct {
    char (*ids)[STORE_ID_LEN];
    int n, cap;
} erased_ids;

/* One entry of the backup's own trail: where the live trail parts from it. */
typedef struct {
    int64_t seq;
    unsigned char hash[VAULT_MAC_BYTES];
} trail_mark;

/* An open queue item of the backup: what a restore would put back in its place. */
typedef struct {
    char id[STORE_ID_LEN];
    risk_level level;
} open_item;

/* A draft of the backup: what a restore puts back in its place. */
typedef struct {
    char id[STORE_ID_LEN];
    int64_t updated_at;
} kept_draft;

typedef struct {
    session *s;
    const engine *e;         /* reads the drafts' levels */
    kept_draft *drafts;      /* the backup's drafts */
    int nd;
    int drafts_lost;         /* live drafts the backup lacks or holds in an older version */
    int drafts_at_risk;      /* of those, at red or orange */
    char drafts_named[180];  /* those at red or orange, named (short id, level, worker) */
    const char *accept_loss; /* the supervisor's written reason to lower or drop open items, or NULL */
    open_item *items;    /* the backup's open queue items */
    int ni;
    char lowered[180];   /* the open items the restore would lower or drop, named (short id, level) */
    int nlowered;
    char staff[180];     /* the staff changes since the backup the restore would undo, named (action name) */
    int nstaff;
    trail_mark *backup;  /* the backup's trail, in order */
    int nb, capb;
    erased_ids erased;   /* every client erased on the live record */
    audit_rec *tail;     /* the live entries the backup lacks, in order */
    int nt, capt;
    int64_t generation;  /* the live restore_generation */
    char (*live_intakes)[STORE_ID_LEN]; /* every intake the live database holds (those it can read) */
    int nli;
    bool live_intakes_read;  /* the live intakes table was read whole: an intake it lacks was erased */
    staff_rec *bstaff;       /* the backup's staff table: a change since that came back to it undoes nothing */
    int nbs;
    const restore_steps *steps; /* the store says there whether it wrote the backup's pages over a damaged file */
    char unread[200];    /* what of the live database could not be read (a damaged file), or "" */
    restore_result *out;
    bool failed;         /* out of memory while collecting */
    int64_t upgraded_from; /* the backup's schema version when its private copy was upgraded first, else 0 */
} restore_ctx;

static bool grow(void **p, int *cap, int n, size_t each) {
    if (n < *cap) return true;
    int cap2 = *cap ? *cap * 2 : 64;
    void *more = realloc(*p, (size_t)cap2 * each);
    if (!more) return false;
    *p = more;
    *cap = cap2;
    return true;
}

static int collect_mark(void *vctx, const audit_rec *rec) {
    restore_ctx *c = vctx;
    if (!grow((void **)&c->backup, &c->capb, c->nb, sizeof *c->backup)) return c->failed = true, 1;
    c->backup[c->nb].seq = rec->seq;
    memcpy(c->backup[c->nb++].hash, rec->hash, sizeof rec->hash);
    return 0;
}

/* Whether the backup's trail holds this very entry (same place, same chained hash: so everything before it
 * is the same too). */
static bool backup_has(const restore_ctx *c, const audit_rec *rec) {
    int lo = 0, hi = c->nb - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (c->backup[mid].seq == rec->seq) return memcmp(c->backup[mid].hash, rec->hash, sizeof rec->hash) == 0;
        if (c->backup[mid].seq < rec->seq) lo = mid + 1;
        else hi = mid - 1;
    }
    return false;
}

/* An entry that records an erasure: client_erase itself, or a restore's restored_over copy of one, however
 * deep ("#N at T by WHO: restored_over: #M at T by WHO: client_erase: ..."). An erasure one restore carried
 * forward must hold through every later restore too (two restores in a row brought a client back: tryout). */
static bool records_erasure(const audit_rec *rec);
bool audit_entry_erases(const audit_rec *rec) { return rec && records_erasure(rec); }

static bool records_erasure(const audit_rec *rec) {
    if (strcmp(rec->action, "client_erase") == 0) return true;
    if (strcmp(rec->action, "restored_over") != 0) return false;
    static const char erase[] = "client_erase", over[] = "restored_over: ";
    const char *p = rec->detail;
    for (int depth = 0; depth < 16; depth++) {
        const char *by = strstr(p, " by ");
        const char *act = by ? strstr(by, ": ") : NULL;
        if (!act) return false;
        act += 2;
        if (strncmp(act, erase, sizeof erase - 1) == 0 && (act[sizeof erase - 1] == '\0' || act[sizeof erase - 1] == ':'))
            return true;
        if (strncmp(act, over, sizeof over - 1) != 0) return false;
        p = act + sizeof over - 1;
    }
    return false;
}

/* Every client erased on record in the live audit trail (records_erasure, the client's id), and every
 * live entry the backup lacks. */
static int collect_live(void *vctx, const audit_rec *rec) {
    restore_ctx *c = vctx;
    if (!backup_has(c, rec)) {
        if (!grow((void **)&c->tail, &c->capt, c->nt, sizeof *c->tail)) return c->failed = true, 1;
        c->tail[c->nt++] = *rec;
    }
    if (!records_erasure(rec) || !rec->object_id[0] || strlen(rec->object_id) >= STORE_ID_LEN) return 0;
    erased_ids *e = &c->erased;
    if (!grow((void **)&e->ids, &e->cap, e->n, sizeof *e->ids)) return c->failed = true, 1;
    memcpy(e->ids[e->n++], rec->object_id, strlen(rec->object_id) + 1); /* fits: checked above */
    return 0;
}

static bool parse_level(const char *name, risk_level *out) { return risk_level_parse(name, out); }

/* The backup's open queue items (level only: all a restore's loss check needs). */
static bool collect_items(restore_ctx *c, database *t, error *err) {
    queue_rec *list = NULL;
    int n = 0;
    store_status st = t->ops->queue_list_open(t->st, &list, &n);
    if (st != ST_OK) {
        db_error(t, st, "cannot read the backup's queues", err);
        return false;
    }
    c->items = n ? calloc((size_t)n, sizeof *c->items) : NULL;
    if (n && !c->items) {
        free(list);
        error_set(err, ERR_INTERNAL, "out of memory while reading the backup's queues");
        return false;
    }
    for (int i = 0; i < n; i++) {
        memcpy(c->items[c->ni].id, list[i].id, sizeof list[i].id);
        if (parse_level(list[i].level, &c->items[c->ni].level)) c->ni++;
    }
    free(list);
    return true;
}

/* The backup's drafts (id and when last saved): a live draft it lacks, or holds older, is lost. */
static bool collect_drafts(restore_ctx *c, database *t, error *err) {
    draft_rec *list = NULL;
    int n = 0;
    store_status st = t->ops->drafts_before(t->st, INT64_MAX, &list, &n);
    if (st != ST_OK) {
        db_error(t, st, "cannot read the backup's unfinished intakes", err);
        return false;
    }
    c->drafts = n ? calloc((size_t)n, sizeof *c->drafts) : NULL;
    for (int i = 0; i < n && c->drafts; i++) {
        memcpy(c->drafts[i].id, list[i].id, sizeof list[i].id);
        c->drafts[i].updated_at = list[i].updated_at;
    }
    if (c->drafts || !n) c->nd = n;
    for (int i = 0; i < n; i++) draft_rec_free(&list[i]);
    free(list);
    if (n && !c->drafts) {
        error_set(err, ERR_INTERNAL, "out of memory while reading the backup's unfinished intakes");
        return false;
    }
    return true;
}

/* The backup's staff table, to tell the staff changes since that the restore undoes from those undone since
 * by another (a demotion, then the promotion back: nothing of it is undone). */
static bool collect_staff(restore_ctx *c, database *t, error *err) {
    store_status st = t->ops->staff_list(t->st, &c->bstaff, &c->nbs);
    if (st != ST_OK) db_error(t, st, "cannot read the backup's staff", err);
    return st == ST_OK;
}

/* Whether a member stands in the live database as in the backup: present or absent in both, and when present,
 * the same role, lock and key pair (a passphrase set anew gives a new key pair). */
static bool member_as_in_backup(const restore_ctx *c, const char *id) {
    database *db = c->s->db;
    staff_rec live;
    bool in_live = db->ops->staff_by_id(db->st, id, &live) == ST_OK;
    const staff_rec *then = NULL;
    for (int i = 0; i < c->nbs && !then; i++)
        if (strcmp(c->bstaff[i].id, id) == 0) then = &c->bstaff[i];
    if (!in_live || !then) return !in_live && !then;
    return live.role == then->role && live.locked == then->locked &&
           memcmp(live.keys.public_key, then->keys.public_key, sizeof live.keys.public_key) == 0;
}

/* Whether the restore loses this live draft: the backup lacks it, or holds an older version of it (the
 * answers given since are gone). */
static bool restore_loses_draft(const restore_ctx *c, const draft_rec *live) {
    for (int i = 0; i < c->nd; i++)
        if (strcmp(c->drafts[i].id, live->id) == 0) return c->drafts[i].updated_at < live->updated_at;
    return true;
}

/* Counts every live draft the restore loses and names those at red or orange (a client at risk is in no queue
 * until the intake is saved: nothing may take it out of sight by itself; third restore tryout). */
static bool find_drafts_lost(restore_ctx *c, error *err) {
    database *db = c->s->db;
    draft_rec *list = NULL;
    int n = 0;
    store_status st = db->ops->drafts_before(db->st, INT64_MAX, &list, &n);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the unfinished intakes", err);
        return false;
    }
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        if (!restore_loses_draft(c, &list[i])) continue;
        c->drafts_lost++;
        char caller[WIZARD_CALLER_ID_LEN];
        risk_level lv = draft_stored_level_caller(c->s, c->e, &list[i], caller, sizeof caller);
        if (!draft_level_guarded(lv)) continue;
        c->drafts_at_risk++;
        staff_rec who;
        const char *name = db->ops->staff_by_id(db->st, list[i].staff_id, &who) == ST_OK ? who.name : "?";
        if (used + 64 < sizeof c->drafts_named) {
            /* an anonymous caller by the id staff call back by and search for, the draft's short id beside it */
            int w = caller[0] ? snprintf(c->drafts_named + used, sizeof c->drafts_named - used,
                                         "%scaller %s (draft %.8s) %s by %.20s", used ? ", " : "", caller, list[i].id,
                                         risk_level_name(lv), name)
                              : snprintf(c->drafts_named + used, sizeof c->drafts_named - used, "%s%.8s %s by %.20s",
                                         used ? ", " : "", list[i].id, risk_level_name(lv), name);
            if (w > 0) used += (size_t)w;
        } else if (used + 5 < sizeof c->drafts_named && !strstr(c->drafts_named, "...")) {
            used += (size_t)snprintf(c->drafts_named + used, sizeof c->drafts_named - used, ", ...");
        }
    }
    for (int i = 0; i < n; i++) draft_rec_free(&list[i]);
    free(list);
    return true;
}

/* A live open item the restore would lower (the backup holds it at a lower level) or drop while it is red
 * or orange (the backup lacks it): a level is lowered only by a clinician with a written reason, and nothing
 * leaves a queue by itself. */
static bool restore_lowers(const restore_ctx *c, const queue_rec *live, risk_level *was) {
    risk_level lv;
    if (!parse_level(live->level, &lv)) return false;
    *was = lv;
    for (int i = 0; i < c->ni; i++)
        if (strcmp(c->items[i].id, live->id) == 0) return c->items[i].level < lv;
    return lv >= LEVEL_ORANGE;
}

/* Names every open item the restore would lower or drop (c->lowered, c->nlowered). */
static bool find_lowered(restore_ctx *c, error *err) {
    database *db = c->s->db;
    queue_rec *list = NULL;
    int n = 0;
    store_status st = db->ops->queue_list_open(db->st, &list, &n);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the queues", err);
        return false;
    }
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        risk_level lv;
        if (!restore_lowers(c, &list[i], &lv)) continue;
        c->nlowered++;
        if (used + 24 < sizeof c->lowered) {
            int w = snprintf(c->lowered + used, sizeof c->lowered - used, "%s%.8s %s", used ? ", " : "", list[i].id,
                             list[i].level);
            if (w > 0) used += (size_t)w;
        } else if (used + 5 < sizeof c->lowered && !strstr(c->lowered, "...")) {
            used += (size_t)snprintf(c->lowered + used, sizeof c->lowered - used, ", ...");
        }
    }
    free(list);
    return true;
}

/* A staff change (enrolment, removal, lock, unlock, role, passphrase) in the live trail after the backup:
 * the restore would undo it silently (a removed member back, an old passphrase valid again). */
static bool staff_change(const char *action) {
    static const char *const changes[] = {"staff_add",  "staff_remove", "staff_lock", "staff_unlock",
                                          "staff_role", "staff_reset_passphrase", "passphrase_change"};
    for (size_t i = 0; i < sizeof changes / sizeof *changes; i++)
        if (strcmp(action, changes[i]) == 0) return true;
    return false;
}

/* Names every staff change the restore would undo (c->staff, c->nstaff), from the live tail. */
static void find_staff_undone(restore_ctx *c) {
    database *db = c->s->db;
    size_t used = 0;
    for (int i = 0; i < c->nt; i++) {
        const audit_rec *r = &c->tail[i];
        /* a member back as the backup has them (demoted, then promoted back) loses nothing (tryout 3) */
        if (!staff_change(r->action) || member_as_in_backup(c, r->object_id)) continue;
        c->nstaff++;
        staff_rec who;
        const char *name = db->ops->staff_by_id(db->st, r->object_id, &who) == ST_OK ? who.name : r->object_id;
        if (used + 48 < sizeof c->staff) {
            int w = snprintf(c->staff + used, sizeof c->staff - used, "%s%s %.24s", used ? ", " : "", r->action, name);
            if (w > 0) used += (size_t)w;
        } else if (used + 5 < sizeof c->staff && !strstr(c->staff, "...")) {
            used += (size_t)snprintf(c->staff + used, sizeof c->staff - used, ", ...");
        }
    }
}

/* Inside the restore's transaction, on the live content: what must be carried forward. */
/* A read of the live content that failed: on a damaged file the restore goes on with what it could read
 * (it is what repairs the file), but only with a supervisor's written reason, since what was not read can
 * be neither checked nor carried forward. */
static bool live_unreadable(restore_ctx *c, const char *what, error *err) {
    if (c->unread[0] == '\0' || !strstr(c->unread, what)) {
        size_t used = strlen(c->unread);
        snprintf(c->unread + used, sizeof c->unread - used, "%s%s", used ? ", " : "", what);
    }
    if (c->accept_loss) {
        error_clear(err);
        return true;
    }
    /* the store's own words are left out: they name the file again and end in a rollback that has not happened */
    error_set(err, ERR_STORE, "the live database %s is damaged: %s cannot be read, so the restore can neither check "
             "what it would lower or undo nor carry it forward (to restore anyway, give --accept-loss \"REASON\")",
             c->s->db->name, c->unread);
    return false;
}

/* Every intake the live database holds, for the count of those the restore removes (best effort: a damaged
 * table leaves the count to the trail's intake_create entries). */
static void collect_live_intakes(restore_ctx *c) {
    database *db = c->s->db;
    if (db->ops->row_ids(db->st, "intakes", false, &c->live_intakes, &c->nli) != ST_OK) {
        c->live_intakes = NULL;
        c->nli = 0;
        return;
    }
    c->live_intakes_read = true;
}

/* The checks made on the backup before the write lock, made again under it: a rotation (or another restore)
 * committed while the backup was being checked would otherwise be undone silently, the old data and clinical
 * keys back and verify sound (fifth restore tryout). The staff, queue and draft comparisons below all run
 * under the lock already. */
static void last_rekey_words(database *db, char *out, size_t size);
static bool still_as_checked(restore_ctx *c, error *err) {
    session *s = c->s;
    if (session_key_generation(s->db) > s->key_generation) {
        char rotated[160] = "";
        last_rekey_words(s->db, rotated, sizeof rotated);
        error_set(err, ERR_CONFLICT, "the data key was rotated while the backup was being checked%s: the backup predates "
                 "the rotation and cannot be restored with today's keys. Restore a backup made after the rotation "
                 "(make one with `triage backup` now)", rotated);
        return false;
    }
    if (session_restore_generation(s->db) > s->restore_generation) {
        error_set(err, ERR_CONFLICT, "another restore was committed while the backup was being checked; log in "
                 "again and look at the database before restoring");
        return false;
    }
    return true;
}

static bool restore_before(void *vctx, error *err) {
    restore_ctx *c = vctx;
    database *db = c->s->db;
    if (!still_as_checked(c, err)) return false;
    if (!find_lowered(c, err) && !live_unreadable(c, "its open queue items", err)) return false;
    if (c->nlowered && !c->accept_loss) {
        error_set(err, ERR_IO, "the backup would lower or drop %d open queue item(s) raised or saved after it (%s): a "
                 "level is lowered only by a clinician with a written reason (to restore anyway, give --accept-loss "
                 "\"REASON\")", c->nlowered, c->lowered);
        return false;
    }
    if (!find_drafts_lost(c, err) && !live_unreadable(c, "its unfinished intakes (drafts)", err)) return false;
    if (c->drafts_at_risk && !c->accept_loss) {
        error_set(err, ERR_IO, "the backup would remove or set back %d unfinished intake(s) at red or orange saved "
                 "after it (%s): a client at risk is in no queue until the intake is saved (to restore anyway, give "
                 "--accept-loss \"REASON\"; then take those intakes again)", c->drafts_at_risk, c->drafts_named);
        return false;
    }
    store_status st = db->ops->audit_each(db->st, collect_live, c);
    if (c->failed) {
        error_set(err, ERR_INTERNAL, "out of memory while reading the audit trail");
        return false;
    }
    if (st != ST_OK) {
        /* the entries read before the damage are kept (carried forward, counted) */
        db_error(db, st, "cannot read the audit trail", err);
        if (!live_unreadable(c, "its audit trail", err)) return false;
    }
    collect_live_intakes(c);
    c->generation = session_restore_generation(db);
    find_staff_undone(c);
    if (c->nstaff && !c->accept_loss) {
        error_set(err, ERR_IO, "the backup would undo %d staff change(s) made after it (%s): a removed member back, "
                 "an old passphrase or role valid again (to restore anyway, give --accept-loss \"REASON\" and "
                 "make the changes again)", c->nstaff, c->staff);
        return false;
    }
    return true;
}

/* The live entry the backup lacks, appended again: its place, time, writer, action and detail, in the
 * detail of a `restored_over` entry for the same object. */
static bool carry_entry(restore_ctx *c, const audit_rec *r, error *err) {
    char detail[sizeof r->detail];
    /* an entry an earlier restore carried is carried as it is, never wrapped again: each wrap added its place and
     * writer in front, the detail is cut at its length, and after four restores the original action
     * (client_erase) was cut off, so the erasure was no longer on record and the client came back (tryout) */
    if (strcmp(r->action, "restored_over") == 0)
        return audit_log(c->s->db, c->s->v, c->s->me.id, "restored_over", r->object_id, r->detail, err);
    /* cut at the detail's length when the original's own detail was long: its place and writer come first */
    if (snprintf(detail, sizeof detail, "#%" PRId64 " at %" PRId64 " by %s: %s%s%s", r->seq, r->at,
             r->staff_id[0] ? r->staff_id : "(no login)", r->action, r->detail[0] ? ": " : "", r->detail) < 0)
        detail[0] = '\0';
    return audit_log(c->s->db, c->s->v, c->s->me.id, "restored_over", r->object_id, detail, err);
}

/* An intake the restored content does not hold. */
static bool intake_missing(database *db, const char *id) {
    intake_rec in;
    store_status st = db->ops->intake_get(db->st, id, &in);
    if (st == ST_OK) intake_rec_free(&in);
    return st == ST_NOTFOUND;
}

static bool live_holds_intake(const restore_ctx *c, const char *id) {
    for (int i = 0; i < c->nli; i++)
        if (strcmp(c->live_intakes[i], id) == 0) return true;
    return false;
}

/* The intakes the restore removes, each once: every intake the live database held that the restored
 * content lacks, and every intake the live trail after the backup says was saved (intake_create) that it
 * lacks, whether the live file still held it or not (erased since, or on a damaged page). The trail alone
 * missed intakes whose entries it did not hold (tryout: 1 reported where 3 were gone). */
static int count_intakes_gone(const restore_ctx *c, database *db, int *erased) {
    int gone = 0;
    *erased = 0;
    for (int i = 0; i < c->nli; i++)
        if (intake_missing(db, c->live_intakes[i])) gone++;
    for (int i = 0; i < c->nt; i++) {
        const audit_rec *r = &c->tail[i];
        if (strcmp(r->action, "intake_create") != 0 || !r->object_id[0] || live_holds_intake(c, r->object_id))
            continue;
        bool again = false; /* the same intake named twice in the tail counts once */
        for (int j = 0; j < i && !again; j++)
            again = strcmp(c->tail[j].action, "intake_create") == 0 && strcmp(c->tail[j].object_id, r->object_id) == 0;
        if (again || !intake_missing(db, r->object_id)) continue;
        /* the live intakes read whole and this one not among them: an intake leaves only by an erasure, so it was
         * erased before the restore, not removed by it (tryout 3: it was counted as no longer there) */
        if (c->live_intakes_read) (*erased)++;
        else gone++;
    }
    return gone;
}

/* Whether the live trail's entries the backup lacks erase this client (an erasure since the backup). */
static bool erased_since_backup(const restore_ctx *c, const char *id) {
    for (int i = 0; i < c->nt; i++)
        if (strcmp(c->tail[i].object_id, id) == 0 && records_erasure(&c->tail[i])) return true;
    return false;
}

/* Inside the restore's transaction, on the restored content: the live tail, the erasures and the
 * generation carried forward, and the restore's own entry. */
static bool restore_after(void *vctx, error *err) {
    restore_ctx *c = vctx;
    session *s = c->s;
    database *db = s->db;
    restore_result *out = c->out;
    out->intakes_gone = count_intakes_gone(c, db, &out->intakes_erased);
    /* a damaged live file, said even when nothing of it was lost unread (tryout 3: it went unmentioned) */
    out->live_damaged = (c->steps && c->steps->live_damaged) || !c->live_intakes_read || c->unread[0];
    for (int i = 0; i < c->nt; i++)
        if (!carry_entry(c, &c->tail[i], err)) return false;
    out->entries_carried = c->nt;
    for (int i = 0; i < c->erased.n; i++) {
        client_rec cl;
        store_status st = db->ops->client_get(db->st, c->erased.ids[i], &cl);
        if (st == ST_NOTFOUND) { /* erased before the backup was made, or never in it: kept on the list */
            if (!client_erased(db, c->erased.ids[i], NULL) && !client_erased_mark(db, c->erased.ids[i], 0, err))
                return false;
            if (erased_since_backup(c, c->erased.ids[i])) out->erased_new++; /* created after it, so not in it */
            continue;
        }
        if (st != ST_OK) {
            db_error(db, st, "cannot read a client erased since the backup", err);
            return false;
        }
        client_rec_free(&cl);
        erase_result r = {0};
        if (!client_erase_in_txn(s, c->erased.ids[i], &r, err)) return false;
        out->erased_again++;
    }
    /* the live count may not have been readable (a damaged file): never below the backup's own */
    int64_t restored = session_restore_generation(db);
    out->generation = (c->generation > restored ? c->generation : restored) + 1;
    char gen[24];
    int gl = snprintf(gen, sizeof gen, "%" PRId64, out->generation);
    store_status st = db->ops->meta_set(db->st, "restore_generation", gen, (size_t)gl);
    if (st != ST_OK) {
        db_error(db, st, "cannot record the restore", err);
        return false;
    }
    char upgraded[48] = ""; /* a backup made before a schema upgrade, upgraded first (s6) */
    /* early in the detail, which is cut at 256 bytes */
    if (c->upgraded_from) snprintf(upgraded, sizeof upgraded, "; upgraded from schema %" PRId64, c->upgraded_from);
    out->upgraded_from = c->upgraded_from;
    char detail[512]; /* an entry's detail holds 256 bytes: said briefly, its end cut below when longer */
    snprintf(detail, sizeof detail,
             "content replaced by a verified backup (restore %" PRId64 "%s); %d later entries kept as restored_over; "
             "%d intakes saved after the backup removed; %d erasures applied again; %d drafts removed or set back "
             "(%d red/orange); %d intakes erased before it%s",
             out->generation, upgraded, out->entries_carried, out->intakes_gone, out->erased_again, c->drafts_lost,
             c->drafts_at_risk, out->intakes_erased, out->live_damaged ? "; live file damaged" : "");
    detail[256] = '\0'; /* the counts are in the output too, and the losses in restore_accept_loss entries */
    out->drafts_lost = c->drafts_lost;
    out->drafts_at_risk = c->drafts_at_risk;
    snprintf(out->drafts, sizeof out->drafts, "%s", c->drafts_named);
    if (c->drafts_at_risk) {
        char loss[320];
        snprintf(loss, sizeof loss, "%d unfinished intake(s) at red or orange removed or set back (%s); reason: %s",
                 c->drafts_at_risk, c->drafts_named, c->accept_loss);
        if (!audit_log(db, s->v, s->me.id, "restore_accept_loss", "", loss, err)) return false;
    }
    out->items_lowered = c->nlowered;
    if (c->nlowered) {
        /* the loss accepted, in its own entry: the reason and the items, as a clinician's lowering is */
        char loss[256];
        snprintf(loss, sizeof loss, "%d open item(s) lowered or dropped (%s); reason: %s", c->nlowered, c->lowered,
                 c->accept_loss);
        if (!audit_log(db, s->v, s->me.id, "restore_accept_loss", "", loss, err)) return false;
    }
    if (c->unread[0]) {
        /* restored over a damaged file: what could not be read, and the reason, on record */
        char lost[400];
        snprintf(lost, sizeof lost, "the live database was damaged: %s could not be read and were not carried "
                 "forward; reason: %s", c->unread, c->accept_loss);
        if (!audit_log(db, s->v, s->me.id, "restore_accept_loss", "", lost, err)) return false;
        snprintf(out->unread, sizeof out->unread, "%s", c->unread);
    }
    out->staff_undone = c->nstaff;
    snprintf(out->staff, sizeof out->staff, "%s", c->staff);
    if (c->nstaff) {
        char undone[256];
        snprintf(undone, sizeof undone, "%d staff change(s) undone (%s); reason: %s", c->nstaff, c->staff,
                 c->accept_loss);
        if (!audit_log(db, s->v, s->me.id, "restore_accept_loss", "", undone, err)) return false;
    }
    return audit_log(db, s->v, s->me.id, "restore", "", detail, err);
}

static int first_entry(void *vctx, const audit_rec *rec) {
    *(audit_rec *)vctx = *rec;
    return 1; /* the first is all that is wanted */
}

/* "#1 init by 1a2b3c4d at 2026-12-05 16:13:45 UTC": an entry, for a message. */
static void entry_words(const audit_rec *r, char *out, size_t size) {
    time_t t = (time_t)r->at;
    struct tm tm;
    char when[32] = "?";
    if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    snprintf(out, size, "#%" PRId64 " %s by %.8s at %s", r->seq, r->action, r->staff_id[0] ? r->staff_id : "-", when);
}

/* A backup of another database (another centre's, or one initialised anew) is not "from before a key
 * rotation" nor a "replaced trail": the first entry of a trail is never changed nor removed (append-only,
 * chained), so two databases whose trails begin differently are two databases. Said before anything else
 * is checked, naming both first entries. A live trail that cannot be read (a damaged live file) is not
 * compared: the restore is what repairs it. */
static bool backup_same_database(session *s, database *t, const char *backup, error *err) {
    audit_rec theirs = {0}, ours = {0};
    if (t->ops->audit_each(t->st, first_entry, &theirs) != ST_OK || !theirs.seq) return true; /* verify says */
    if (s->db->ops->audit_each(s->db->st, first_entry, &ours) != ST_OK || !ours.seq) return true;
    if (theirs.seq == ours.seq && memcmp(theirs.hash, ours.hash, sizeof ours.hash) == 0) return true;
    char a[96], b[96];
    entry_words(&theirs, a, sizeof a);
    entry_words(&ours, b, sizeof b);
    error_set(err, ERR_INPUT, "the backup %s is a backup of a different database: its audit trail begins with entry "
             "%s, this database's (%s) with %s; a backup restores only into the database it was made of; nothing "
             "was restored", backup, a, s->db->name, b);
    return false;
}

/* The restoring supervisor must be in the backup: the restore's own entries are signed with their key, and
 * the restored trail must know that key (a member enrolled after the backup signs with a key it lacks: the
 * restore failed on it with words about keys). Who can restore it is named: the backup's supervisors who are
 * not locked in it. */
static bool backup_knows_restorer(session *s, database *t, const char *backup, error *err) {
    staff_rec me;
    store_status st = t->ops->staff_by_id(t->st, s->me.id, &me);
    /* a member it knows whose key changed since is the staff-change check's (restore_before); one it knows in a
     * role that may not restore (promoted since) would sign the restore's entries as that role: verify then called
     * the restore forged, and every account that saw the live trail refused the restored file (this session) */
    bool in_it = st == ST_OK, may = in_it && role_may(me.role, ACT_RESTORE);
    if (st != ST_NOTFOUND && (!in_it || may)) return true;
    staff_rec *staff = NULL;
    int n = 0;
    char who[200] = "";
    size_t used = 0;
    if (t->ops->staff_list(t->st, &staff, &n) == ST_OK)
        for (int i = 0; i < n; i++) {
            if (!role_may(staff[i].role, ACT_RESTORE) || staff[i].locked || used + 70 >= sizeof who) continue;
            int w = snprintf(who + used, sizeof who - used, "%s%s", used ? ", " : "", staff[i].name);
            if (w > 0) used += (size_t)w;
        }
    free(staff);
    if (in_it)
        error_set(err, ERR_DENIED, "in the backup %s, %s is not a supervisor (promoted since): restored, the trail would "
                 "not let them restore it, and verify would call the restore forged; a supervisor of the backup must "
                 "restore it (%s); nothing was restored", backup, s->me.name, who[0] ? who : "none is in it");
    else
        error_set(err, ERR_DENIED, "the backup %s was made before %s was enrolled: restored, it would not know the key "
                 "that signs the restore's own entries; a supervisor the backup knows must restore it (%s); nothing was "
                 "restored", backup, s->me.name, who[0] ? who : "none is in it");
    return false;
}

static int last_rekey(void *vctx, const audit_rec *rec) {
    if (strcmp(rec->action, "rekey") == 0) *(audit_rec *)vctx = *rec;
    return 0;
}

/* ", the last on #12 rekey by 1a2b3c4d at ...": the live trail's last key rotation, for the refusal */
static void last_rekey_words(database *db, char *out, size_t size) {
    audit_rec r = {0};
    out[0] = '\0';
    if (db->ops->audit_each(db->st, last_rekey, &r) != ST_OK || !r.seq) return;
    char words[96];
    entry_words(&r, words, sizeof words);
    snprintf(out, size, "; the last rotation: entry %s", words);
}

/* A backup of an older schema, copied as it is into the private database tmp (t): opened again, which upgrades
 * it with the schema migrations every open runs (the same code as a desk's first open after an update). The
 * live database is not touched whatever happens here; a failure names the backup, its version and why. */
static bool upgrade_copy(database *t, const char *tmp, const char *backup, int64_t from, session *s, error *err) {
    db_close(t);
    if (db_open(t, tmp, false, &s->db->set, err)) return true;
    char why[400];
    snprintf(why, sizeof why, "%.*s", (int)sizeof why - 1, err->msg);
    error_set(err, ERR_IO, "the backup %s has schema version %" PRId64 " (an older triage) and its private copy could "
             "not be upgraded to this triage's: %s; nothing was restored (the live database was not touched). Restore "
             "a backup made by this version, or ask for help with this one", backup, from, why);
    return false;
}

/* The backup, copied into a private database next to the live one and verified there with this session's
 * key (the backup file itself is only read): integrity, every sealed field, the row MACs, the audit chain,
 * the schema version; its audit trail's marks go to c. On success the copy stays at tmp for the caller. */
static bool check_backup(session *s, const char *backup, const char *tmp, restore_ctx *c, error *err) {
    database t;
    if (!db_open(&t, tmp, true, &s->db->set, err)) return false;
    restore_steps fill = {0};
    fill.older_ok = true; /* a backup made before a schema upgrade goes in as it is, to be upgraded below */
    store_status st = t.ops->restore(t.st, backup, &fill, err);
    if (st != ST_OK) {
        db_close(&t);
        return false;
    }
    if (fill.older_version && !upgrade_copy(&t, tmp, backup, fill.older_version, s, err)) return false;
    c->upgraded_from = fill.older_version;
    if (!backup_same_database(s, &t, backup, err) || !backup_knows_restorer(s, &t, backup, err)) {
        db_close(&t);
        return false;
    }
    int64_t theirs = session_key_generation(&t);
    if (theirs != s->key_generation) {
        /* its fields are sealed under a data key rotated away since (or one not yet known here): no one's
         * login is at fault, so "log in again" would mislead */
        db_close(&t);
        char rotated[160] = "";
        last_rekey_words(s->db, rotated, sizeof rotated);
        if (theirs < s->key_generation)
            error_set(err, ERR_IO, "the backup %s predates a key rotation (its data key generation %" PRId64 ", today's "
                     "%" PRId64 "%s): it cannot be restored with today's keys; nothing was restored. Restore a backup "
                     "made after the rotation instead (make one with `triage backup` after every `triage rekey`); "
                     "to read this one, copy it to a new path and open the copy on its own (`triage --db COPY`, "
                     "with the passphrases of its time), never over this database", backup, theirs, s->key_generation,
                     rotated);
        else
            error_set(err, ERR_IO, "the backup %s comes from after a key rotation this database has not had (its data "
                     "key generation %" PRId64 ", today's %" PRId64 "): it is not a backup of this database as it "
                     "stands; nothing was restored", backup, theirs, s->key_generation);
        return false;
    }
    /* the upgrades a login runs (row MACs, report facts, per-client keys), on the copy, by this session */
    if (c->upgraded_from && !session_upgrade_other(s, &t, err)) {
        db_close(&t);
        char why[400];
        snprintf(why, sizeof why, "%.*s", (int)sizeof why - 1, err->msg);
        error_set(err, ERR_IO, "the backup %s (schema version %" PRId64 ") could not be upgraded on its private copy: "
                 "%s; nothing was restored (the live database was not touched)", backup, c->upgraded_from, why);
        return false;
    }
    database *live = s->db;
    verify_report r;
    s->db = &t;
    bool ran = db_verify(s, &r, err);
    s->db = live;
    if (ran && r.ok && (!collect_items(c, &t, err) || !collect_drafts(c, &t, err) || !collect_staff(c, &t, err))) {
        db_close(&t);
        return false;
    }
    if (ran && r.ok) {
        st = t.ops->audit_each(t.st, collect_mark, c);
        if (st != ST_OK || c->failed) {
            db_error(&t, st == ST_OK ? ST_IO : st, "cannot read the backup's audit trail", err);
            db_close(&t);
            return false;
        }
    }
    db_close(&t);
    if (!ran) {
        char why[512];
        snprintf(why, sizeof why, "%.*s", (int)sizeof why - 1, err->msg); /* cut where it always was */
        error_set(err, ERR_IO, "the backup %s cannot be checked: %s; nothing was restored", backup, why);
        return false;
    }
    if (!r.ok) {
        error_set(err, ERR_TAMPERED, "the backup %s does not verify: %s; nothing was restored", backup, r.problem);
        return false;
    }
    return true;
}

/* The backup named is a regular file this program may read, checked before anything opens it (tryout 4: a
 * FIFO given as the backup hung the restore for ever). A missing file is something named that does not exist
 * (exit 2, as the README's table says); one not readable is an input/output failure. */
static bool backup_file_usable(const char *backup, error *err) {
    struct stat st;
    if (stat(backup, &st) != 0) {
        int e = errno;
        error_set(err, e == ENOENT || e == ENOTDIR ? ERR_NOT_FOUND : ERR_IO,
                  "the backup %s cannot be read: %s; nothing was restored", backup, strerror(e));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error_set(err, ERR_INPUT, "the backup %s is not a regular file (%s); nothing was restored", backup,
                  S_ISFIFO(st.st_mode) ? "a named pipe" : S_ISDIR(st.st_mode) ? "a directory" : "a device or socket");
        return false;
    }
    if (access(backup, R_OK) != 0) {
        error_set(err, ERR_IO, "the backup %s cannot be read: %s; nothing was restored", backup, strerror(errno));
        return false;
    }
    return true;
}

bool db_restore(session *s, const engine *e, const char *backup, const char *accept_loss, restore_result *out,
                error *err) {
    memset(out, 0, sizeof *out);
    if (!session_allowed(s, ACT_RESTORE, err)) return false;
    if (!backup || !backup[0]) {
        error_set(err, ERR_INPUT, "which backup? give its file");
        return false;
    }
    if (!backup_file_usable(backup, err)) {
        session_audit(s, "restore_refused", "", err->msg); /* a refused restore is audited, whatever the reason */
        return false;
    }
    if (accept_loss && !text_has_words(accept_loss)) {
        error_set(err, ERR_INPUT, "--accept-loss needs a written reason; nothing was restored");
        return false;
    }
    out->scratch_swept = db_sweep_scratch(s);
    if (s->db->ops->backup_source_check(s->db->st, backup, err) != ST_OK) {
        session_audit(s, "restore_refused", "", err->msg);
        return false;
    }
    restore_ctx c = {.s = s, .e = e, .out = out, .accept_loss = accept_loss};
    char tmp[sizeof s->db->url_secret + 48];
    if (s->db->ops->scratch_url(s->db->st, tmp, sizeof tmp) != ST_OK) {
        secret_wipe(tmp, sizeof tmp);
        error_set(err, ERR_INPUT, "no room for a private copy of the backup beside %s; nothing was restored", s->db->name);
        return false;
    }
    bool ok = check_backup(s, backup, tmp, &c, err);
    test_fault_point("restore_checked"); /* unit tests commit a rekey here, on another connection */
    /* the verified copy goes in under the write lock, with what the live database holds carried forward, all
     * in one transaction: desks see it at their next poll */
    restore_steps steps = {restore_before, restore_after, &c, false, false, 0};
    c.steps = &steps;
    if (ok && s->db->ops->restore(s->db->st, tmp, &steps, err) != ST_OK) {
        ok = false;
        memset(out, 0, sizeof *out); /* rolled back: nothing of it stands */
    }
    error why = {0};
    (void)s->db->ops->drop(tmp, &why); /* a leftover is private and named as a scratch copy */
    if (ok) {
        out->restored = true;
        /* this session made it: nothing of its own to warn about, and it may go on writing */
        s->restore_generation = s->restore_told = out->generation;
        /* old versions of the erased clients' rows may still be kept by the store until it purges them */
        bool cleared = false;
        (void)s->db->ops->purge_old_versions(s->db->st, &cleared);
    }
    int swept = out->scratch_swept;
    if (!ok) memset(out, 0, sizeof *out);
    out->scratch_swept = swept;
    if (!ok && c.nlowered && !accept_loss)
        snprintf(out->lowered, sizeof out->lowered, "%s", c.lowered);
    if (!ok && c.drafts_at_risk && !accept_loss) snprintf(out->drafts, sizeof out->drafts, "%s", c.drafts_named);
    if (!ok) {
        /* a refused restore is audited too (its transaction, if any, was rolled back): who tried, and why not */
        char why_not[200];
        snprintf(why_not, sizeof why_not, "%.199s", err->msg);
        session_audit(s, "restore_refused", "", why_not);
    }
    free(c.items);
    free(c.drafts);
    free(c.bstaff);
    free(c.backup);
    free(c.erased.ids);
    free(c.tail);
    free(c.live_intakes);
    secret_wipe(tmp, sizeof tmp); /* the scratch's URL carries the database's, password and all */
    return ok;
}
