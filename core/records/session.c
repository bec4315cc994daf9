#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "box_pin.h"
#include "blind_index.h"
#include "clinical_key.h"
#include "client_keys.h"
#include "clock.h"
#include "facts.h"
#include "ids.h"
#include "queue_items.h"
#include "rowmac.h"
#include "util.h"

bool staff_name_valid(const char *name) {
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64) return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
              *c == '_' || *c == '-'))
            return false;
    return true;
}

static bool key_check_ok(database *db, const vault *v);
static bool client_keys_login(session *s, error *err);

/* Writes one audit entry in its own transaction (for events that change nothing else), signed by v's staff
 * member when v is given: the signing key is theirs, not the data key's, so a rotation meanwhile does not
 * matter. */
static void audit_alone(database *db, const vault *v, const char *staff, const char *act, const char *obj,
                        const char *detail) {
    error err = {0};
    if (!db_begin(db, &err)) return;
    if (!audit_log(db, v, staff, act, obj, detail, &err) || !db_commit(db, &err)) db_rollback(db);
}

bool session_allowed(session *s, staff_action a, error *why) {
    if (s && role_may(s->me.role, a)) return true;
    if (!s) {
        error_set(why, ERR_AUTH, "not logged in");
        return false;
    }
    error_set(why, ERR_DENIED, "denied: a %s may not %s", staff_role_person(s->me.role), action_name(a));
    audit_alone(s->db, s->v, s->me.id, "denied", s->me.id, action_name(a));
    return false;
}

/* A new member's signing key, to be introduced in the trail by whoever enrols them (audit_introduce_key). */
typedef struct {
    unsigned char pk[VAULT_SIGN_PK_BYTES];
    unsigned char pop[VAULT_SIG_BYTES];
} new_signer;

/* self (init only): v then signs as the new member. */
static bool enroll_new(database *db, const vault *v, vault *self, staff_rec *r, const char *pass, size_t passlen,
                       new_signer *ns, error *err) {
    vault_kdf kdf;
    vault_kdf_params(db->set.kdf_cost, &kdf);
    return vault_enroll_signed(v, self, r->id, pass, passlen, &kdf, &r->keys, ns->pk, ns->pop, err);
}

bool db_initialise(database *db, const char *name, const char *pass, size_t passlen, error *err) {
    if (!staff_name_valid(name)) {
        error_set(err, ERR_INPUT, "`%s` is not a valid user name (letters, digits, . _ -; at most 64)", name ? name : "");
        return false;
    }
    staff_rec *list = NULL;
    int n = 0;
    store_status st = db->ops->staff_list(db->st, &list, &n);
    free(list);
    if (st != ST_OK) {
        db_error(db, st, "cannot read staff", err);
        return false;
    }
    if (n > 0) {
        error_set(err, ERR_CONFLICT, "%s: already initialised (it has %d staff)", db->name, n);
        return false;
    }
    vault *v = vault_create();
    if (!v) {
        error_set(err, ERR_INTERNAL, "cannot create a data key");
        return false;
    }
    staff_rec r;
    memset(&r, 0, sizeof r);
    id_new(r.id);
    snprintf(r.name, sizeof r.name, "%s", name);
    r.role = ROLE_SUPERVISOR;
    r.created_at = clock_now();
    new_signer ns;
    bool ok = enroll_new(db, v, v, &r, pass, passlen, &ns, err) && db_begin(db, err);
    if (ok) {
        st = db->ops->staff_insert(db->st, &r);
        if (st != ST_OK) db_error(db, st, "cannot save the first supervisor", err);
        /* the trail starts with the first supervisor's own signing key, then signs everything after it */
        ok = st == ST_OK && session_key_check_write(db, v, err) &&
             audit_introduce_key(db, v, r.id, r.id, ns.pk, ns.pop, err) &&
             audit_log(db, v, r.id, "init", r.id, "database created", err) &&
             audit_pin_box_key(db, v, r.id, r.id, r.keys.public_key, err) &&
             audit_record_kdf(db, v, r.id, r.id, &r.keys.kdf, err) && db_commit(db, err);
        if (!ok) db_rollback(db);
    }
    vault_free(v);
    return ok;
}

/* A sealed constant that only the true data key opens. A data key sealed to a staff member's public key
 * needs no secret, so someone with write access to the file could plant a key of their own; checking
 * this value right after every unlock refuses such a key before anything is written with it. */
#define KEY_CHECK_TEXT "triage data key check v1"

bool session_key_check_write(database *db, const vault *v, error *err) {
    unsigned char *ct;
    size_t n;
    if (!vault_seal(v, "meta", "key_check", "database", KEY_CHECK_TEXT, strlen(KEY_CHECK_TEXT), &ct, &n)) {
        error_set(err, ERR_INTERNAL, "cannot seal the key check");
        return false;
    }
    store_status st = db->ops->meta_set(db->st, "key_check", ct, n);
    free(ct);
    if (st != ST_OK) db_error(db, st, "cannot save the key check", err);
    return st == ST_OK;
}

static bool key_check_ok(database *db, const vault *v) {
    blob b = {0};
    if (db->ops->meta_get(db->st, "key_check", &b) != ST_OK) return false;
    char *plain = NULL;
    size_t len = 0;
    bool ok = vault_open(v, "meta", "key_check", "database", b.p, b.n, &plain, &len) && len == strlen(KEY_CHECK_TEXT) &&
              memcmp(plain, KEY_CHECK_TEXT, len) == 0;
    secret_free(plain);
    blob_free(&b);
    return ok;
}

/* Staff enrolled before schema 6 have a signing key (derived from their X25519 secret) that the trail does not
 * know yet: their first login after the upgrade introduces it, signed by itself (inside the login's
 * transaction). Later logins find it recorded and write nothing more. */
static bool own_key_introduced(database *db, const vault *v, const char *id, error *err) {
    unsigned char pk[VAULT_SIGN_PK_BYTES], pop[VAULT_SIG_BYTES];
    if (!vault_signer_pk(v, pk)) return true;
    if (audit_key_known(db, id, pk)) return true;
    if (!vault_signer_pop(v, id, pop)) {
        error_set(err, ERR_INTERNAL, "cannot prove the signing key");
        return false;
    }
    return audit_introduce_key(db, v, id, id, pk, pop, err);
}

static int login_delay(int failures) {
    if (failures <= 0) return 0;
    return failures >= 7 ? 60 : 1 << (failures - 1);
}

/* True when a wrap with k would cost more to derive than one this desk writes (config kdf_cost). */
static bool kdf_dearer(const database *db, const vault_kdf *k) {
    vault_kdf mine;
    vault_kdf_params(db->set.kdf_cost, &mine);
    return k->memlimit > mine.memlimit || k->opslimit > mine.opslimit;
}

/* Always true (audited, err set): r's wrap costs more than this desk's and the member's newest staff_kdf entry is
 * there but does not check (why: which; issue 12, attack_kdf.sh: a byte of its signature flipped made every login
 * pay up to 1 GiB and be told "wrong passphrase"), so it is refused as tampering before deriving. The way out is in
 * the message: a supervisor restores the newest backup (no reset: nothing is handed out while the trail has a
 * problem); when every entry was flipped no one logs in (the planted parameters would fail the right passphrase
 * anyway), and the centre starts again from its newest backup, as for a file too damaged for a supervisor to log in
 * (README, restore). */
static bool kdf_entry_unsound(database *db, const staff_rec *r, const char *why, error *err) {
    audit_alone(db, NULL, r->id, "tamper_detected", r->id, "key derivation entry does not check");
    /* no reset is the way out: while an entry does not check, no key is handed out (box_pin.h; the seventh outside
     * attacker's reset was refused after this message offered it) */
    error_set(err, ERR_TAMPERED, "%s: the key of `%s` asks for a dearer derivation than this desk's kdf_cost, and %s: "
                                 "refused as tampering before deriving (nothing was counted against the account). No "
                                 "passphrase can be reset while the signed trail has a problem: a supervisor runs `triage "
                                 "verify` and puts the file back from the newest backup with `triage restore`; if no "
                                 "supervisor can log in (every entry was altered), move the file aside with what lies "
                                 "beside it and start from the newest backup (README, restore)", db->name, r->name, why);
    return true;
}

/* True (audited, err set) when r's key derivation parameters are not the ones the member's newest signed
 * staff_kdf entry recorded: parameters within the bounds, changed in the file; the right passphrase would fail
 * too, so it is named as tampering, not counted as a wrong passphrase. False when they are, or when the trail has
 * no entry that checks (staff enrolled before the entries existed: nothing to compare). */
static bool kdf_not_the_trails(database *db, const staff_rec *r, bool dearer, error *err) {
    char why[400] = "";
    int m = audit_kdf_matches(db, r->id, &r->keys.kdf, why, sizeof why);
    if (dearer && m == -2) return kdf_entry_unsound(db, r, why, err);
    if (m != 0) return false;
    audit_alone(db, NULL, r->id, "tamper_detected", r->id, "key derivation parameters not the trail's");
    error_set(err, ERR_TAMPERED, "%s: the key of `%s` was altered in the file (%s): a supervisor must reset the "
                                 "passphrase", db->name, r->name, why);
    return true;
}

/* True (audited, err set) when the signed trail locked or removed r although the staff table's row is open: the
 * lock (or the removed row's lock) was cleared in the file (issue 12, item2_filelock: a locked member with
 * locked=0 in the file logged in and saved an intake). The table's lock alone is enforced above. */
static bool trail_shuts_out(database *db, const staff_rec *r, error *err) {
    const audit_member_facts *m = audit_facts_member(audit_facts_of(db), r->id);
    if (!m || (!m->locked && !m->removed)) return false;
    audit_alone(db, NULL, r->id, "login_refused", r->id, m->removed ? "removed in the audit trail" : "locked in the audit trail");
    /* a lock by failed logins is an unsigned entry: said so (the seventh outside attacker's one, added with no key,
     * was called signed). It is kept all the same: anyone with the file could set the table's lock as well, and a
     * lock refuses, it never opens */
    if (!m->removed && m->lock_keyless)
        error_set(err, ERR_AUTH, "the account `%s` is locked in the audit trail by too many failed logins (an unsigned "
                                 "entry, which anyone with the file could also add), though not in the staff table: run "
                                 "`triage verify`; a supervisor must unlock it", r->name);
    else
        error_set(err, ERR_AUTH, "the account `%s` is %s in the signed audit trail, though not in the staff table (the "
                                 "lock was cleared in the file): run `triage verify`; %s", r->name,
                  m->removed ? "removed" : "locked", m->removed ? "a removed account never logs in again" : "a supervisor must unlock it");
    return true;
}

/* Whether the file's restore generation is the one the newest signed restore entry of its trail counted up to
 * (0: never restored). False with why. */
static bool restore_vouched(database *db, error *err) {
    int64_t g = session_restore_generation(db);
    if (g <= 0) return true;
    const audit_facts *f = audit_facts_of(db);
    if (f && f->restore_generation == g) return true;
    error_set(err, ERR_TAMPERED, "%s: its restore generation is %lld, but no restore entry of the signed audit trail "
                                 "vouches for it (an older copy put back with a forged entry): ask a supervisor to run "
                                 "`triage verify` and restore the newest backup", db->name, (long long)g);
    return false;
}

login_status session_login(database *db, const char *name, const char *pass, size_t passlen, session **out,
                           int *wait, error *err) {
    *out = NULL;
    *wait = 0;
    /* no passphrase is shorter (every one is set through vault_passphrase_check): nothing to try, and nothing said of
     * the name (the same answer for every name) */
    if (passlen < VAULT_PASSPHRASE_MIN) {
        error_set(err, ERR_AUTH, "a passphrase has at least %d characters: this one was not tried (not counted as a "
                                 "failed login)", VAULT_PASSPHRASE_MIN);
        return LOGIN_SHORT;
    }
    staff_rec r;
    store_status st = staff_name_valid(name) ? db->ops->staff_by_name(db->st, name, &r) : ST_NOTFOUND;
    if (st == ST_NOTFOUND) {
        /* the name typed is not recorded: it may be anything, even a client's name */
        audit_alone(db, NULL, "", "login_failed", "", "unknown user");
        error_set(err, ERR_AUTH, "wrong user name or passphrase");
        return LOGIN_FAILED;
    }
    if (st != ST_OK) {
        db_error(db, st, "cannot read staff", err);
        return LOGIN_ERROR;
    }
    if (r.locked) {
        audit_alone(db, NULL, r.id, "login_refused", r.id, "account locked");
        error_set(err, ERR_AUTH, "the account `%s` is locked after too many failed logins: a supervisor must unlock it",
                 r.name);
        return LOGIN_LOCKED;
    }
    if (trail_shuts_out(db, &r, err)) return LOGIN_LOCKED;
    int64_t ready = r.last_failed_at + login_delay(r.failed_logins), now = clock_now();
    if (r.failed_logins > 0 && now < ready) {
        *wait = (int)(ready - now);
        audit_alone(db, NULL, r.id, "login_refused", r.id, "too soon after a failed login");
        error_set(err, ERR_AUTH, "too soon after a failed login: wait %d second%s", *wait, *wait == 1 ? "" : "s");
        return LOGIN_WAIT;
    }
    error why = {0};
    /* planted parameters (4 GiB, 16 passes) would make every login allocate them: refused before any
     * derivation or allocation, and named as tampering rather than counted as a wrong passphrase */
    if (!vault_kdf_check(&r.keys.kdf, &why)) {
        audit_alone(db, NULL, r.id, "tamper_detected", r.id, "key derivation parameters out of bounds");
        error_set(err, ERR_TAMPERED, "%s: the key of `%s` was altered in the file (%s): a supervisor must reset the passphrase",
                 db->name, r.name, why.msg);
        return LOGIN_ERROR;
    }
    /* parameters within the bounds that cost more than this desk's own (up to 1 GiB and 4 passes: seconds of a
     * desk machine) are compared with the signed trail BEFORE they are paid for; a wrap at or under the desk's
     * cost is derived first (no dearer than any login here) and compared only when it fails */
    if (kdf_dearer(db, &r.keys.kdf) && kdf_not_the_trails(db, &r, true, err)) return LOGIN_ERROR;
    vault *v = vault_unlock(r.id, pass, passlen, &r.keys, &why);
    if (!v && kdf_not_the_trails(db, &r, false, err)) return LOGIN_ERROR;
    if (v && !key_check_ok(db, v)) {
        /* the passphrase was right but the data key it opened is not this database's */
        vault_free(v);
        audit_alone(db, NULL, r.id, "tamper_detected", r.id, "data key does not match the database");
        /* the same words for a database replaced with no desk open (cp or mv over the path): what the store
         * keeps beside it, left by a desk that did not close, brings the old staff rows into the new one (issue
         * 16); the store cannot tell which of the two happened, so both are named, and the store names what it
         * keeps (store op leftovers_hint) */
        char leftovers[1024] = "";
        (void)db->ops->leftovers_hint(db->st, leftovers, sizeof leftovers);
        error_set(err, ERR_AUTH,
                 "%s: the data key sealed to `%s` does not match this database: the staff record was altered, or this "
                 "database file is not the one the record belongs with (was it replaced, copied or moved over the "
                 "path%s%s%s? put a backup back only with `triage restore`, and leave the file as it is). If it was "
                 "not replaced, ask a supervisor to reset the passphrase",
                 db->name, r.name, leftovers[0] ? ", with " : "", leftovers, leftovers[0] ? ", still beside it" : "");
        return LOGIN_ERROR;
    }
    if (!db_begin(db, err)) {
        vault_free(v);
        return LOGIN_ERROR;
    }
    /* re-read inside the transaction: another desk may have counted a failure meanwhile */
    char id[STORE_ID_LEN];
    memcpy(id, r.id, sizeof id);
    st = db->ops->staff_by_id(db->st, id, &r);
    if (st != ST_OK) {
        db_error(db, st, "cannot read staff", err);
        db_rollback(db);
        vault_free(v);
        return LOGIN_ERROR;
    }
    bool locked_now = false;
    if (v) {
        r.failed_logins = 0;
    } else {
        r.failed_logins++;
        r.last_failed_at = clock_now();
        locked_now = r.failed_logins >= db->set.lock_after;
        r.locked = r.locked || locked_now;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%s", v ? "" : locked_now ? "wrong passphrase; account locked" : "wrong passphrase");
    st = db->ops->staff_update(db->st, &r);
    bool ok = st == ST_OK && (!v || own_key_introduced(db, v, r.id, err)) && (!v || box_pin_at_login(db, v, &r, err)) &&
              audit_log(db, v, r.id, v ? "login" : "login_failed", r.id, detail, err) &&
              db_commit(db, err);
    if (st != ST_OK) db_error(db, st, "cannot record the login", err);
    if (!ok) {
        db_rollback(db);
        vault_free(v);
        return LOGIN_ERROR;
    }
    if (!v) {
        if (locked_now)
            error_set(err, ERR_AUTH, "wrong user name or passphrase; the account is now locked: a supervisor must unlock it");
        else
            error_set(err, ERR_AUTH, "wrong user name or passphrase");
        return locked_now ? LOGIN_LOCKED : LOGIN_FAILED;
    }
    /* a restore generation no signed restore entry vouches for: an older copy put back with a forged entry (a row
     * with a random signature, or one signed with a reception key and a role raised in the staff table), which the
     * seen record, reading the file alone, let through (eleventh and twelfth outside attackers); only those the
     * signed trail lets restore log in (never the staff table's role, which the file's holder sets), to run verify
     * and restore the newest backup */
    if (!restore_vouched(db, err) && !audit_facts_may(audit_facts_of(db), r.id, ACT_RESTORE)) {
        audit_alone(db, NULL, r.id, "tamper_detected", "", "restore generation");
        vault_free(v);
        return LOGIN_ERROR;
    }
    session *s = xcalloc(1, sizeof *s);
    s->db = db;
    s->v = v;
    s->me = r;
    s->key_generation = session_key_generation(db);
    s->restore_generation = s->restore_told = session_restore_generation(db);
    /* from now on every read of a queue item or an intake checks its row MAC with this key */
    if (!db->row_key) db->row_key = v; /* another live session of this process may have lent it already */
    if (!rowmac_first_login(s, err)) {
        session_end(s);
        return LOGIN_ERROR;
    }
    /* the report facts of rows written before they kept hours (schema 10), once */
    if (!facts_hours_first_login(s, err)) {
        session_end(s);
        return LOGIN_ERROR;
    }
    /* confirmed items from before the contact had a deadline, once */
    if (!queues_contact_deadlines_login(s, err)) {
        session_end(s);
        return LOGIN_ERROR;
    }
    /* a failure (a client value that does not open) does not stop the login: verify names it, and the next
     * login resumes where this one stopped */
    error upgrade_err = {0};
    (void)client_keys_login(s, &upgrade_err);
    /* the clinical key for the roles that may read notes (and, once after the upgrade, the notes re-sealed) */
    if (!clinical_login(s, err)) {
        if (err && err->kind == ERR_TAMPERED) audit_alone(db, NULL, r.id, "tamper_detected", r.id, "clinical key");
        session_end(s);
        return LOGIN_ERROR;
    }
    /* the blind index follows the number of clients: rebuilt when it crossed a width threshold (or after the
     * upgrade from schema 7). A failure (a client field that does not open) does not stop the login: verify
     * names it, and the next login tries again */
    error rebuild_err = {0};
    (void)blind_index_maintain(s, &rebuild_err);
    *out = s;
    return LOGIN_OK;
}

void session_audit(session *s, const char *what, const char *object_id, const char *detail) {
    /* a session a restore left behind writes nothing, not even a signed note */
    if (s && session_restore_current(s)) audit_alone(s->db, s->v, s->me.id, what, object_id, detail);
}

/* A count kept as decimal text in meta: 0 when it was never set, bad when it does not read as one. */
static int64_t meta_count(database *db, const char *key, int64_t bad) {
    blob b = {0};
    long g = 0;
    if (db->ops->meta_get(db->st, key, &b) == ST_OK && b.n > 0 && b.n < 24) {
        char num[24];
        memcpy(num, b.p, b.n);
        num[b.n] = '\0';
        if (!parse_int(num, 0, 0x7fffffffL, &g)) g = bad;
    }
    blob_free(&b);
    return g;
}

/* The data key's generation, counted up by every rotation (meta key_generation; 0 before the first). */
int64_t session_key_generation(database *db) { return meta_count(db, "key_generation", -1); }

int64_t session_restore_generation(database *db) { return meta_count(db, "restore_generation", 0); }

bool session_restored_since(session *s, int64_t *generation) {
    if (!s) return false;
    int64_t g = session_restore_generation(s->db);
    if (generation) *generation = g;
    if (g == s->restore_told) return false;
    s->restore_told = g;
    return true;
}

bool session_restore_current(session *s) { return s && session_restore_generation(s->db) == s->restore_generation; }

/* Cheap enough for every write: one small read, no cryptography (the key itself was checked at login). */
bool session_key_current(session *s) { return s && session_key_generation(s->db) == s->key_generation; }

bool session_begin(session *s, error *err) {
    if (!db_begin(s->db, err)) return false;
    if (!session_restore_current(s)) {
        /* read inside the transaction: a restore cannot slip in between the check and the write */
        db_rollback(s->db);
        error_set(err, ERR_INPUT, "the database was restored from a backup since %s logged in: log in again (nothing "
                               "was saved)", s->me.name);
        return false;
    }
    if (session_key_current(s)) return true;
    db_rollback(s->db);
    error_set(err, ERR_AUTH, "the data key was rotated by a supervisor since %s logged in: log in again (nothing was "
                           "saved)", s->me.name);
    return false;
}

struct ckeys *session_ckeys(session *s) {
    if (s && !s->ck) s->ck = ckeys_new();
    return s ? s->ck : NULL;
}

/* The upgrade to per-client keys (schema 11: client_keys.h), resumed by every login until it is done: a login
 * killed in the middle of it keeps the batches already committed. The test build takes a smaller batch from
 * TRIAGE_TEST_CKEY_BATCH (so that a fault test interrupts it between batches with a few clients). */
static bool client_keys_login(session *s, error *err) {
    int batch = 500;
    const char *env = clock_env_honoured() ? getenv("TRIAGE_TEST_CKEY_BATCH") : NULL;
    if (env && atoi(env) > 0) batch = atoi(env);
    int64_t done = 0;
    return client_keys_upgrade(s->db, s->v, s->me.id, batch, &done, err);
}

bool session_upgrade_other(session *s, database *other, error *err) {
    database *own = s->db;
    int64_t own_generation = s->restore_generation;
    /* the copy's own restore generation: an older backup's is lower, and session_begin would refuse it */
    vault_clinical *own_clinical = s->clinical; /* clinical_login opens (or rotates) the copy's own */
    s->db = other;
    s->restore_generation = session_restore_generation(other);
    s->clinical = NULL;
    /* as session_login, in its order; a failure here refuses the restore (a login would go on: verify names it) */
    bool ok = rowmac_first_login(s, err) && facts_hours_first_login(s, err) && queues_contact_deadlines_login(s, err) &&
              client_keys_login(s, err) &&
              clinical_login(s, err);
    error rebuild_err = {0};
    if (ok) (void)blind_index_maintain(s, &rebuild_err);
    vault_clinical_free(s->clinical);
    s->clinical = own_clinical;
    s->db = own;
    s->restore_generation = own_generation;
    return ok;
}

void session_end(session *s) {
    if (!s) return;
    if (s->db && s->db->row_key == s->v) s->db->row_key = NULL;
    vault_clinical_free(s->clinical);
    vault_note_sealer_free(s->notes);
    ckeys_free(s->ck);
    vault_free(s->v);
    memset(s, 0, sizeof *s);
    free(s);
}

/* Loads a staff member by name for a supervisor's change; err says what went wrong. */
static bool target(session *s, staff_action a, const char *name, staff_rec *r, error *err) {
    if (!session_allowed(s, a, err)) return false;
    /* a lock, unlock, role change, removal or reset hands out (or rotates) keys by the trail's facts: refused
     * while the trail has a problem, before anything changes (fail closed, box_pin.h) */
    if (!box_pin_trail_sound(s->db, err)) return false;
    store_status st = s->db->ops->staff_by_name(s->db->st, name ? name : "", r);
    if (st == ST_NOTFOUND) error_set(err, ERR_NOT_FOUND, "no user `%s`", name ? name : "");
    else if (st != ST_OK) db_error(s->db, st, "cannot read staff", err);
    return st == ST_OK;
}

/* Saves r and one audit entry in one transaction; ns (may be NULL): r's new signing key, introduced in the
 * trail just before that entry. */
static bool save_staff(session *s, const staff_rec *r, bool insert, const char *act, const char *detail,
                       const new_signer *ns, error *err) {
    if (!session_begin(s, err)) return false;
    /* a new wrap (enrolment, reset, change): its parameters go into the signed trail too */
    bool kdf_new = !strcmp(act, "staff_add") || !strcmp(act, "staff_reset_passphrase") || !strcmp(act, "passphrase_change");
    store_status st = insert ? s->db->ops->staff_insert(s->db->st, r) : s->db->ops->staff_update(s->db->st, r);
    if (st == ST_EXISTS) error_set(err, ERR_CONFLICT, "a user `%s` already exists", r->name);
    else if (st != ST_OK) db_error(s->db, st, "cannot save staff", err);
    /* the clinical key follows the role and the lock: given, or withdrawn and rotated (clinical_key.h) */
    vault_clinical *fresh = NULL;
    bool ok = st == ST_OK &&
              (!ns || audit_introduce_key(s->db, s->v, s->me.id, r->id, ns->pk, ns->pop, err)) &&
              (!ns || audit_pin_box_key(s->db, s->v, s->me.id, r->id, r->keys.public_key, err)) &&
              (!kdf_new || audit_record_kdf(s->db, s->v, s->me.id, r->id, &r->keys.kdf, err)) &&
              audit_log(s->db, s->v, s->me.id, act, r->id, detail, err) &&
              clinical_staff_changed(s, r, &fresh, err) && db_commit(s->db, err);
    if (!ok) {
        db_rollback(s->db);
        vault_clinical_free(fresh);
    } else {
        clinical_adopt(s, fresh);
    }
    return ok;
}

bool staff_add(session *s, const char *name, staff_role role, const char *pass, size_t passlen, error *err) {
    if (!session_allowed(s, ACT_STAFF_MANAGE, err)) return false;
    if (!staff_name_valid(name)) {
        error_set(err, ERR_INPUT, "`%s` is not a valid user name (letters, digits, . _ -; at most 64)", name ? name : "");
        return false;
    }
    staff_rec r;
    if (s->db->ops->staff_by_name(s->db->st, name, &r) == ST_OK) {
        error_set(err, ERR_CONFLICT, "a user `%s` already exists", name);
        return false;
    }
    memset(&r, 0, sizeof r);
    id_new(r.id);
    snprintf(r.name, sizeof r.name, "%s", name);
    r.role = role;
    r.created_at = clock_now();
    new_signer ns;
    if (!enroll_new(s->db, s->v, NULL, &r, pass, passlen, &ns, err)) return false;
    return save_staff(s, &r, true, "staff_add", staff_role_name(role), &ns, err);
}

/* Who can still manage staff (the permission table's ACT_STAFF_MANAGE, unlocked): the guards below keep one,
 * whatever the roles are called, so a role added to the table is held by the same rule. */
static int count_staff_managers(session *s) {
    staff_rec *list = NULL;
    int n = 0, sup = 0;
    if (s->db->ops->staff_list(s->db->st, &list, &n) != ST_OK) return -1;
    for (int i = 0; i < n; i++) sup += role_may(list[i].role, ACT_STAFF_MANAGE) && !list[i].locked;
    free(list);
    return sup;
}

/* An unlock clears a lock the signed trail made (a supervisor's lock, failed logins): a lock set in the file alone
 * is someone's way to have a supervisor's routine unlock hand out keys, and is named instead. */
static bool lock_in_trail(session *s, const staff_rec *r, error *err) {
    const audit_member_facts *m = audit_facts_member(audit_facts_of(s->db), r->id);
    if (m && (m->locked || m->removed)) return true;
    error_set(err, ERR_TAMPERED, "`%s` is locked in the staff table, but the signed audit trail never locked them: the "
                                 "lock was set in the file (nothing was changed; run `triage verify`; to unlock them, "
                                 "lock them yourself first, which the trail records)", r->name);
    return false;
}

static void last_manager_refused(const staff_rec *r, error *err) {
    error_set(err, ERR_CONFLICT, "`%s` is the last %s: make someone else %s first", r->name, staff_role_person(r->role),
              staff_role_person(role_least(ACT_STAFF_MANAGE)));
}

/* A removed member stays removed: their keys were destroyed and the signed trail says so, so an unlock (or a new
 * passphrase) would give the data key to an account verify calls tampered, and no backup made after it could be
 * restored (fifth restore tryout: "desk unlocked", `user list` said active). They are enrolled anew instead. */
static bool not_removed(session *s, const staff_rec *r, const char *what, error *err) {
    const audit_member_facts *m = audit_facts_member(audit_facts_of(s->db), r->id);
    if (!m || !m->removed) return true;
    error_set(err, ERR_INPUT, "`%s` was removed: a removed account cannot be %s (its keys were destroyed and the "
                                 "signed audit trail records the removal); nothing was changed. To give them a login "
                                 "again, enrol them under a new name: `triage user add NEWNAME --role ROLE`",
              r->name, what);
    return false;
}

bool staff_set_locked(session *s, const char *name, bool locked, error *err) {
    staff_rec r;
    if (!target(s, ACT_STAFF_MANAGE, name, &r, err)) return false;
    if (!locked && !not_removed(s, &r, "unlocked", err)) return false;
    if (locked && strcmp(r.id, s->me.id) == 0) {
        error_set(err, ERR_CONFLICT, "you cannot lock your own account");
        return false;
    }
    if (!locked && r.locked && !lock_in_trail(s, &r, err)) return false;
    r.locked = locked;
    unsigned char pk[VAULT_PK_BYTES];
    if (!locked) {
        r.failed_logins = 0;
        /* a rotation while the account was locked left it out: it gets the current data key back only now,
         * from a supervisor (clearing the lock in the file gives nothing back), sealed to the key the signed
         * trail gave them (box_pin.h), never to one put in the staff table */
        if (!box_pin_for_one(s->db, &r, pk, err)) return false;
        if (!vault_seal_data_key(s->v, pk, r.keys.sealed_data_key)) {
            error_set(err, ERR_INTERNAL, "cannot seal the data key for `%s`", r.name);
            return false;
        }
    }
    return save_staff(s, &r, false, locked ? "staff_lock" : "staff_unlock", "", NULL, err);
}

bool staff_set_role(session *s, const char *name, staff_role role, error *err) {
    staff_rec r;
    if (!target(s, ACT_STAFF_MANAGE, name, &r, err)) return false;
    if (role_may(r.role, ACT_STAFF_MANAGE) && !role_may(role, ACT_STAFF_MANAGE) && count_staff_managers(s) <= 1) {
        last_manager_refused(&r, err);
        return false;
    }
    r.role = role;
    return save_staff(s, &r, false, "staff_role", staff_role_name(role), NULL, err);
}

bool staff_reset_passphrase(session *s, const char *name, const char *pass, size_t passlen, error *err) {
    staff_rec r;
    if (!target(s, ACT_STAFF_MANAGE, name, &r, err)) return false;
    if (!not_removed(s, &r, "given a new passphrase", err)) return false;
    new_signer ns;
    if (!enroll_new(s->db, s->v, NULL, &r, pass, passlen, &ns, err)) return false;
    r.failed_logins = 0;
    return save_staff(s, &r, false, "staff_reset_passphrase", "", &ns, err);
}

bool staff_change_passphrase(database *db, const char *name, const char *old_pass, size_t old_len,
                             const char *new_pass, size_t new_len, error *err) {
    session *s;
    int wait;
    /* a wrong old passphrase counts as a failed login, like any other guess */
    if (session_login(db, name, old_pass, old_len, &s, &wait, err) != LOGIN_OK) return false;
    vault_kdf kdf;
    vault_kdf_params(db->set.kdf_cost, &kdf);
    staff_rec r = s->me;
    bool ok = vault_rewrap(r.id, old_pass, old_len, new_pass, new_len, &kdf, &r.keys, err) &&
              save_staff(s, &r, false, "passphrase_change", "", NULL, err);
    session_end(s);
    return ok;
}

bool staff_remove(session *s, const char *name, error *err) {
    staff_rec r;
    if (!target(s, ACT_STAFF_MANAGE, name, &r, err)) return false;
    if (strcmp(r.id, s->me.id) == 0) {
        error_set(err, ERR_CONFLICT, "you cannot remove your own account");
        return false;
    }
    if (role_may(r.role, ACT_STAFF_MANAGE) && !r.locked && count_staff_managers(s) <= 1) {
        last_manager_refused(&r, err);
        return false;
    }
    /* the row stays (records name their author by id), but nothing in it opens any more: the wrapped secret,
     * public key and sealed data key are replaced by random bytes, and the account is locked */
    vault_random(r.keys.public_key, sizeof r.keys.public_key);
    vault_random(r.keys.wrapped_secret, sizeof r.keys.wrapped_secret);
    vault_random(r.keys.sealed_data_key, sizeof r.keys.sealed_data_key);
    r.locked = true;
    /* the trail keeps the public key the row was left with, so verify can tell the removed row as left from
     * one whose old keys were put back (with the lock cleared or not) */
    char detail[2 * VAULT_PK_BYTES + 8] = "left:";
    hex_encode(r.keys.public_key, VAULT_PK_BYTES, detail + 5);
    return save_staff(s, &r, false, "staff_remove", detail, NULL, err);
}

bool staff_list_all(session *s, staff_rec **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    if (!session_allowed(s, ACT_STAFF_MANAGE, err)) return false;
    store_status st = s->db->ops->staff_list(s->db->st, out, n);
    if (st != ST_OK) db_error(s->db, st, "cannot list the staff", err);
    return st == ST_OK;
}
