#include "erasure.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "client_keys.h"
#include "clock.h"
#include "facts.h"
#include "ids.h"
#include "rowmac.h"

#define DAY 86400
#define YEAR (365 * DAY + DAY / 4)

/* True when the draft's sealed body names the client (a draft resumed for an existing client). */
static bool draft_names(session *s, const draft_rec *d, const char *client_id) {
    char *body = NULL;
    size_t len;
    if (!vault_open(s->v, "drafts", "body", d->id, d->body_ct.p, d->body_ct.n, &body, &len)) return false;
    json_error_t e;
    json_t *root = json_loadb(body, len, 0, &e);
    const char *cid = json_string_value(json_object_get(root, "client_id"));
    bool hit = cid && strcmp(cid, client_id) == 0;
    json_decref(root);
    secret_free(body);
    return hit;
}

/* The row went by an erasure, named on the signed trail (trail_rows.h): "intake", "queue item" or "draft". */
static bool row_erased(session *s, const char *id, const char *what, error *err) {
    return audit_log(s->db, s->v, s->me.id, "row_erased", id, what, err);
}

/* The intake as its signed intake_create entry has it: the entry checks, and its client tag (when it has one:
 * entries before it carry none) is this client's. The row MAC alone did not hold: reception recomputes it. */
static bool intake_on_trail_of(session *s, const intake_rec *in, const char *client_id, char *why, size_t size) {
    audit_rec e;
    audit_link prev;
    const audit_facts *f = audit_facts_of(s->db);
    if (s->db->ops->audit_by_object(s->db->st, in->id, "intake_create", false, &e, &prev) != ST_OK || !f ||
        !audit_entry_checks(s->db, s->v, f, &prev, &e)) {
        snprintf(why, size, "its signed audit entry is missing or does not check");
        return false;
    }
    const char *at = strstr(e.detail, " client:");
    char tag[CKEY_TAG_HEX];
    if (at && (!ckey_intake_tag(session_ckeys(s), s->db, s->v, client_id, in->id, tag) ||
               strncmp(at + 8, tag, sizeof tag - 1) != 0)) {
        snprintf(why, size, "its signed audit entry names another client");
        return false;
    }
    return true;
}

/* A queue item follows its client's intakes: the intake it stands for is one of them. */
static bool item_of_intakes(const queue_rec *q, const intake_rec *in, int ni, char *why, size_t size) {
    for (int i = 0; i < ni; i++)
        if (strcmp(q->intake_id, in[i].id) == 0) return true;
    snprintf(why, size, "it stands for an intake of another client");
    return false;
}

/* The client's intakes and queue items as a key holder last wrote them (their row MACs), each named on the trail
 * as it goes. A row edited in the file (an intake moved to this client, an item closed and backdated so that
 * retention took the client) is refused: nothing is erased (attacker round 15). */
static bool rows_sound_named(session *s, const char *client_id, bool check, int *items, error *err) {
    database *db = s->db;
    intake_rec *in = NULL;
    queue_rec *q = NULL;
    int ni = 0, nq = 0;
    char why[160] = "", bad[STORE_ID_LEN + 16] = "";
    store_status st = db->ops->intake_list_for_client(db->st, client_id, &in, &ni);
    if (st == ST_OK) st = db->ops->queue_all_for_client(db->st, client_id, &q, &nq);
    bool required = rowmac_required(db);
    int64_t now = clock_now();
    /* a replayed erased client's rows (put back from an older copy) are erased again as they are: that is the
     * remedy, and its key, destroyed, checks nothing */
    if (check && client_erased(db, client_id, NULL)) check = false;
    for (int i = 0; check && st == ST_OK && !bad[0] && i < ni; i++)
        if (rowmac_check_intake(s->v, required, &in[i], why, sizeof why) == ROW_TAMPERED ||
            !intake_on_trail_of(s, &in[i], client_id, why, sizeof why))
            snprintf(bad, sizeof bad, "intake %s", in[i].id);
    for (int i = 0; check && st == ST_OK && !bad[0] && i < nq; i++)
        if (rowmac_check_queue(s->v, required, db->row_policy, now, &q[i], why, sizeof why) == ROW_TAMPERED ||
            !item_of_intakes(&q[i], in, ni, why, sizeof why))
            snprintf(bad, sizeof bad, "queue item %s", q[i].id);
    bool ok = st == ST_OK && !bad[0];
    if (st != ST_OK) db_error(db, st, "cannot read the client's intakes and queue items", err);
    else if (bad[0])
        error_set(err, ERR_TAMPERED, "nothing erased: %s of client %s is not as its row MAC and the signed trail have it "
                                     "(%s): its clear columns were edited in the file; run verify", bad, client_id, why);
    for (int i = 0; ok && i < ni; i++) ok = row_erased(s, in[i].id, "intake", err);
    for (int i = 0; ok && i < nq; i++) ok = row_erased(s, q[i].id, "queue item", err);
    for (int i = 0; i < ni; i++) intake_rec_free(&in[i]);
    free(in);
    free(q);
    *items = nq;
    return ok;
}

static bool erase_in_txn(session *s, const char *client_id, bool check, erase_result *out, error *err);

/* A restore re-applies an erasure to content it has just verified (under the key it was written with, which may
 * be an older one): its rows are named, not checked again. */
bool client_erase_in_txn(session *s, const char *client_id, erase_result *out, error *err) {
    return erase_in_txn(s, client_id, false, out, err);
}

/* The body of client_erase, inside the caller's transaction. */
static bool erase_in_txn(session *s, const char *client_id, bool check, erase_result *out, error *err) {
    database *db = s->db;
    client_rec c;
    store_status st = db->ops->client_get(db->st, client_id, &c);
    if (st != ST_OK) {
        if (st == ST_NOTFOUND) error_set(err, ERR_NOT_FOUND, "no client %s", client_id);
        else db_error(db, st, "cannot read the client", err);
        return false;
    }
    client_rec_free(&c);
    int nq = 0;
    if (!rows_sound_named(s, client_id, check, &nq, err)) return false;
    draft_rec *drafts = NULL;
    int nd = 0;
    st = db->ops->drafts_before(db->st, INT64_MAX, &drafts, &nd);
    bool named = true;
    for (int i = 0; st == ST_OK && named && i < nd; i++)
        if (draft_names(s, &drafts[i], client_id)) {
            st = db->ops->draft_erase(db->st, drafts[i].id);
            named = st != ST_OK || row_erased(s, drafts[i].id, "draft", err);
            out->drafts++;
        }
    for (int i = 0; i < nd; i++) draft_rec_free(&drafts[i]);
    free(drafts);
    if (!named) return false;
    /* the facts stay, under fresh random ids: one new key for the client, so its episodes still count as one
     * client's, linked to nothing else */
    facts_rec *facts = NULL;
    int nf = 0;
    if (st == ST_OK) st = db->ops->facts_for_client(db->st, client_id, &facts, &nf);
    char key[STORE_ID_LEN];
    id_new(key);
    for (int i = 0; st == ST_OK && i < nf; i++) {
        char nid[STORE_ID_LEN];
        id_new(nid);
        /* its times to the day first (facts_erased_coarsen), and the sessions' with them (facts_rekey) */
        facts_rec day = facts[i];
        facts_erased_coarsen(&day);
        st = db->ops->facts_put(db->st, &day);
        if (st == ST_OK) st = db->ops->facts_rekey(db->st, facts[i].id, nid, key);
        /* the row MAC covers the ids: MACed again under the new ones, unless the row did not verify */
        facts_rec f;
        if (st == ST_OK && rowmac_check_facts(s->v, rowmac_required(db), &facts[i], NULL, 0) != ROW_TAMPERED &&
            (st = db->ops->facts_get(db->st, nid, &f)) == ST_OK) {
            rowmac_seal_facts(s->v, &f);
            st = db->ops->row_mac_set(db->st, "intake_facts", nid, f.mac);
        }
    }
    free(facts);
    out->intakes = nf;
    if (st == ST_OK) st = db->ops->client_erase(db->st, client_id);
    if (st != ST_OK) {
        db_error(db, st, "cannot erase the client", err);
        return false;
    }
    char detail[128];
    snprintf(detail, sizeof detail, "%d intakes kept as de-identified facts, %d drafts, %d queue items", nf, out->drafts,
             nq);
    ckey_drop(s->ck, client_id); /* its key, overwritten in the file with its row, goes from memory too */
    if (!audit_log(db, s->v, s->me.id, "client_erase", client_id, detail, err)) return false;
    /* on the list of erased clients, naming its signed entry: a copy of its rows put back later is never opened */
    audit_rec last;
    st = db->ops->audit_last(db->st, &last);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the erasure's audit entry", err);
        return false;
    }
    return client_erased_mark(db, client_id, last.seq, err);
}

bool client_erase(session *s, const char *client_id, erase_result *out, error *err) {
    memset(out, 0, sizeof *out);
    if (!session_allowed(s, ACT_CLIENT_ERASE, err)) return false;
    if (!client_id || !*client_id) {
        error_set(err, ERR_INPUT, "which client? give its id");
        return false;
    }
    if (!session_begin(s, err)) return false;
    if (!erase_in_txn(s, client_id, true, out, err) || !db_commit(s->db, err)) {
        db_rollback(s->db);
        return false;
    }
    /* old versions of the erased rows may still be kept by the store until it purges them */
    store_status st = s->db->ops->purge_old_versions(s->db->st, &out->old_versions_purged);
    if (st != ST_OK) out->old_versions_purged = false;
    return true;
}

/* A draft the signed trail saw at ORANGE or RED (a draft_at_risk mark, its safety steps, or a copy kept at risk):
 * a client at risk in no queue, never erased as an old draft by retention, whatever its clear time says (its
 * updated_at set back a month in the file, retention took a RED draft: attacker 16). A person resolves it. */
static bool draft_seen_at_risk(database *db, const char *id) {
    audit_rec e;
    audit_link prev;
    if (db->ops->audit_by_object(db->st, id, "draft_at_risk", false, &e, &prev) == ST_OK) return true;
    if (db->ops->audit_by_object(db->st, id, "safety_steps_acknowledged", false, &e, &prev) == ST_OK) return true;
    return db->ops->audit_by_object(db->st, id, "draft_copy_kept", false, &e, &prev) == ST_OK && strstr(e.detail, " at ");
}

/* The old drafts retention erases (*kept: those it keeps, seen at risk); free each with draft_rec_free, then free(). */
static store_status old_drafts(database *db, int64_t cutoff, draft_rec **out, int *n, int *kept) {
    store_status st = db->ops->drafts_before(db->st, cutoff, out, n);
    *kept = 0;
    for (int i = 0; st == ST_OK && i < *n;)
        if (draft_seen_at_risk(db, (*out)[i].id)) {
            draft_rec_free(&(*out)[i]);
            (*out)[i] = (*out)[--*n];
            ++*kept;
        } else i++;
    return st;
}

bool retention_due(database *db, int draft_days, int closed_years, int64_t now, retention_counts *out, error *err) {
    memset(out, 0, sizeof *out);
    draft_rec *drafts = NULL;
    int nd = 0;
    store_status st = old_drafts(db, now - (int64_t)draft_days * DAY, &drafts, &nd, &out->drafts_at_risk);
    for (int i = 0; i < nd; i++) draft_rec_free(&drafts[i]);
    free(drafts);
    char(*ids)[STORE_ID_LEN] = NULL;
    int nc = 0;
    if (st == ST_OK) st = db->ops->clients_closed_before(db->st, now - (int64_t)closed_years * YEAR, &ids, &nc);
    free(ids);
    if (st != ST_OK) {
        db_error(db, st, "cannot count the records due for erasure", err);
        return false;
    }
    out->drafts = nd;
    out->clients = nc;
    return true;
}

/* The signed entry of an object (its first or newest of that action), checked alone, and written before cutoff. */
static bool signed_before(session *s, const audit_facts *f, const char *id, const char *action, bool newest,
                          int64_t cutoff, audit_rec *e) {
    audit_link prev;
    return s->db->ops->audit_by_object(s->db->st, id, action, newest, e, &prev) == ST_OK &&
           audit_entry_checks(s->db, s->v, f, &prev, e) && e->at < cutoff;
}

/* Retention takes a client only as the signed trail has it: every queue item's last step a close ("close ...
 * ->closed") and every intake saved, before the cutoff. An item closed and backdated in the file, its row MAC
 * recomputed with the data key reception holds, was taken (attacker 16). */
static bool closed_on_trail(session *s, const char *client_id, int64_t cutoff) {
    database *db = s->db;
    const audit_facts *f = audit_facts_of(db);
    intake_rec *in = NULL;
    queue_rec *q = NULL;
    int ni = 0, nq = 0;
    bool ok = f && db->ops->intake_list_for_client(db->st, client_id, &in, &ni) == ST_OK &&
              db->ops->queue_all_for_client(db->st, client_id, &q, &nq) == ST_OK;
    audit_rec e;
    for (int i = 0; ok && i < ni; i++) ok = signed_before(s, f, in[i].id, "intake_create", false, cutoff, &e);
    for (int i = 0; ok && i < nq; i++)
        ok = signed_before(s, f, q[i].id, "queue", true, cutoff, &e) && strncmp(e.detail, "close ", 6) == 0 &&
             strstr(e.detail, "->closed ") != NULL;
    for (int i = 0; i < ni; i++) intake_rec_free(&in[i]);
    free(in);
    free(q);
    return ok;
}

bool retention_apply(session *s, int draft_days, int closed_years, retention_counts *done, error *err) {
    memset(done, 0, sizeof *done);
    if (!session_allowed(s, ACT_CLIENT_ERASE, err)) return false;
    int64_t now = clock_now();
    database *db = s->db;
    if (!session_begin(s, err)) return false;
    draft_rec *drafts = NULL;
    int nd = 0;
    store_status st = old_drafts(db, now - (int64_t)draft_days * DAY, &drafts, &nd, &done->drafts_at_risk);
    bool ok = true;
    for (int i = 0; st == ST_OK && ok && i < nd; i++) {
        st = db->ops->draft_erase(db->st, drafts[i].id);
        ok = st != ST_OK || row_erased(s, drafts[i].id, "draft", err); /* each named: verify (trail_rows.h) */
        progress_report(s->progress, "old drafts erased", i + 1, nd);
    }
    for (int i = 0; i < nd; i++) draft_rec_free(&drafts[i]);
    free(drafts);
    char detail[64];
    snprintf(detail, sizeof detail, "%d drafts older than %d days, each named", nd, draft_days);
    if (ok && st != ST_OK) db_error(db, st, "cannot erase old drafts", err);
    ok = ok && st == ST_OK;
    ok = ok && (nd == 0 || audit_log(db, s->v, s->me.id, "retention", "", detail, err)) &&
         db_commit(db, err);
    if (!ok) {
        db_rollback(db);
        return false;
    }
    done->drafts = nd;
    char(*ids)[STORE_ID_LEN] = NULL;
    int nc = 0;
    st = db->ops->clients_closed_before(db->st, now - (int64_t)closed_years * YEAR, &ids, &nc);
    if (st != ST_OK) {
        db_error(db, st, "cannot list the closed records", err);
        return false;
    }
    for (int i = 0; ok && i < nc; i++) {
        erase_result r;
        if (!closed_on_trail(s, ids[i], now - (int64_t)closed_years * YEAR)) {
            error_set(err, ERR_TAMPERED, "the signed trail does not show client %s closed before the cutoff", ids[i]);
            ok = false;
        } else ok = client_erase(s, ids[i], &r, err);
        if (ok) done->clients++;
        else if (err->kind == ERR_TAMPERED) { /* kept, audited, and the rest erased: never a reason to stop */
            if (!done->kept_tampered++) snprintf(done->first_kept, sizeof done->first_kept, "%s", ids[i]);
            session_audit(s, "tamper_detected", ids[i], "retention: the client's rows are not as the trail and their "
                                                        "MACs have them; the client was kept");
            error_clear(err);
            ok = true;
        }
        progress_report(s->progress, "closed clients erased", i + 1, nc);
    }
    free(ids);
    bool cleared;
    if (ok && nd) db->ops->purge_old_versions(db->st, &cleared);
    return ok;
}
