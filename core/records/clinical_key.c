/* The clinical key: who holds it, its migration and its rotation (see clinical_key.h). */
#include "clinical_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "box_pin.h"
#include "client_keys.h"
#include "roles.h"
#include "util.h"

#define META_PK "clinical_pk"
#define META_ENV "clinical_key:"
#define META_STATE "clinical_notes"
#define STATE_SEALED "sealed"
#define PK_LABEL "triage-clinical-pk-v1"
#define META_PIN_SEQ "clinical_pk_seq" /* a hint: the sequence of the newest clinical_key audit entry */
#define PIN_TAG " pk:"                 /* a clinical_key entry's detail ends with the public key it made */

/* What the signed trail allows member_id: a role that may read notes (as the trail set it; a member added before
 * roles were audited keeps the table's), neither locked nor removed. The staff table alone is not enough: anyone
 * with the file can raise a role there, have a supervisor's rotation seal the key to it, and set it back. */
static bool trail_may_hold(database *db, const char *member_id) {
    const audit_member_facts *m = audit_facts_member(audit_facts_of(db), member_id);
    return m && m->added && !m->locked && !m->removed && (!m->has_role || role_may(m->role, ACT_NOTES_OF_OTHERS));
}

/* A member may hold the clinical key when their role may read notes and the account is not locked (a removed
 * account is locked), by the staff table and by the signed trail both. */
static bool may_hold(database *db, const staff_rec *r) {
    return !r->locked && role_may(r->role, ACT_NOTES_OF_OTHERS) && trail_may_hold(db, r->id);
}

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
                                     "sealed to it; run `triage verify` and ask a supervisor", db->name, META_PK);
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

/* ---- the pin: the clinical public key as the signed audit trail last set it ----
 * The MAC above is under the data key, which every role holds: a receptionist with write access could plant a
 * key of her own (MAC'd, and sealed to every clinician's real public key). So the public key a rotation makes
 * is also written into its clinical_key audit entry, signed by the member who made it, and the file's key must
 * be the one the newest such entry names, written by someone whose role may hold it. */

static bool pin_hint_write(database *db, error *err) {
    audit_rec last;
    store_status st = db->ops->audit_last(db->st, &last);
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", (long long)(st == ST_OK ? last.seq : 0));
    if (st == ST_OK) st = db->ops->meta_set(db->st, META_PIN_SEQ, num, (size_t)n);
    if (st != ST_OK) db_error(db, st, "cannot record the clinical key's audit entry", err);
    return st == ST_OK;
}

/* Where the scan for the newest clinical_key entry may start: the hint, less one for the entry before it
 * (whose hash the entry's own is computed from). A hint moved by hand only makes the scan longer, or finds no
 * entry at all (refused); every entry after it is read, so a newer entry cannot be skipped. */
static int64_t pin_scan_start(database *db) {
    blob b = {0};
    long v = 0;
    char num[24] = "";
    if (db->ops->meta_get(db->st, META_PIN_SEQ, &b) == ST_OK && b.n > 0 && b.n < sizeof num) memcpy(num, b.p, b.n);
    blob_free(&b);
    return parse_int(num, 1, 0x7fffffffL, &v) && v > 2 ? v - 2 : 0;
}

typedef struct {
    audit_link prev; /* the entry before the one being read */
    bool have_prev;
    audit_rec newest;
    audit_link newest_prev;
    bool found, prev_known;
} pin_ctx;

static int pin_scan(void *vctx, const audit_rec *e) {
    pin_ctx *c = vctx;
    if (!strcmp(e->action, "clinical_key")) {
        c->newest = *e;
        c->found = true;
        c->prev_known = c->have_prev || e->seq == 1;
        if (e->seq == 1) memset(&c->newest_prev, 0, sizeof c->newest_prev);
        else c->newest_prev = c->prev;
    }
    memcpy(c->prev.hash, e->hash, sizeof c->prev.hash);
    memcpy(c->prev.sig, e->sig, sizeof c->prev.sig);
    c->prev.has_sig = e->has_sig;
    c->have_prev = true;
    return 0;
}

/* The public key a clinical_key entry's detail names; false for an entry written before pins (no key). */
static bool pin_of(const char *detail, unsigned char pk[VAULT_PK_BYTES]) {
    const char *t = strstr(detail, PIN_TAG);
    if (!t) return false;
    t += sizeof PIN_TAG - 1;
    return strlen(t) == 2 * VAULT_PK_BYTES && hex_decode(t, 2 * VAULT_PK_BYTES, pk, VAULT_PK_BYTES);
}

typedef enum { PIN_OK, PIN_NONE_YET, PIN_UNSOUND, PIN_BAD } pin_status;

/* Does the newest clinical_key entry of the signed trail name pk? The entry, its writer's signing key and role
 * (and that the trail had not locked or removed them) are taken from the trail as verify walks it, never from
 * meta sign_pk or the staff table, which anyone with the file can swap. PIN_NONE_YET: that entry was written
 * before pins existed (the next clinical login rotates the key, which pins it). PIN_UNSOUND: the trail has a
 * problem, so its newest entry that checks may not be its newest: one byte of the newest rotation's signature
 * flipped once made an older entry the pin, and a demoted clinician's kept key the one new notes were sealed to
 * (seventh outside attacker, attack_pinrevert). */
static pin_status pin_check(database *db, const unsigned char pk[VAULT_PK_BYTES], char *why, size_t whysize) {
    const audit_facts *f = audit_facts_of(db);
    unsigned char named[VAULT_PK_BYTES];
    if (!f) snprintf(why, whysize, "the audit trail cannot be read");
    else if (!f->complete) {
        snprintf(why, whysize, "the signed audit trail has a problem (%s), so it cannot say which clinical key is the "
                               "centre's", f->problem);
        return PIN_UNSOUND;
    } else if (!f->clinical_seq)
        snprintf(why, whysize, "no signed audit entry made it");
    else if (!pin_of(f->clinical_detail, named))
        return PIN_NONE_YET;
    else if (!vault_equal(named, pk, VAULT_PK_BYTES))
        snprintf(why, whysize, "the newest signed audit entry that made one (%lld) names another key",
                 (long long)f->clinical_seq);
    else
        return PIN_OK;
    return PIN_BAD;
}

/* pk_read, and the key pinned by the trail (a key from before pins is accepted until the next clinical login
 * rotates it). Nothing is sealed to it while the trail cannot vouch for it (fail closed). */
static bool pk_read_pinned(database *db, const vault *v, unsigned char pk[VAULT_PK_BYTES], bool *present, error *err) {
    if (!pk_read(db, v, pk, present, err)) return false;
    if (!*present) {
        /* no key in the file, where the notes were migrated or the signed trail made one: deleted, so that notes
         * would be sealed under the data key, which reception holds (eleventh outside attacker: every desk,
         * a clinician's too, then did so). Refused; only a database from before clinical keys has none. */
        const audit_facts *f = audit_facts_of(db);
        if (migrated(db) || !f || !f->complete || f->clinical_seq) {
            error_set(err, ERR_TAMPERED, "%s: the clinical public key (meta %s) is missing from the file, although %s: "
                                         "no note is sealed without it: nothing was saved; run `triage verify`, and put "
                                         "the file back from a backup with `triage restore` if it was tampered with",
                      db->name, META_PK,
                      !f ? "the audit trail cannot be read"
                      : !f->complete ? "the signed audit trail has a problem"
                                     : "the notes are sealed to a clinical key the signed audit trail made");
            return false;
        }
        return true;
    }
    char why[700];
    pin_status ps = pin_check(db, pk, why, sizeof why);
    if (ps == PIN_OK || ps == PIN_NONE_YET) return true;
    if (ps == PIN_UNSOUND)
        error_set(err, ERR_TAMPERED, "%s: no note is sealed while %s: nothing was saved; run `triage verify`, and put the "
                                     "file back from a backup with `triage restore` if it was tampered with", db->name, why);
    else
        error_set(err, ERR_TAMPERED, "%s: the clinical public key (meta %s) is not the one the signed audit trail made "
                                     "(planted in the file): %s; nothing is sealed to it; run `triage verify` and ask a "
                                     "supervisor", db->name, META_PK, why);
    *present = false;
    return false;
}

bool clinical_pin_verify(database *db, const audit_report *trail, char *problem, size_t size) {
    blob b = {0};
    bool have = db->ops->meta_get(db->st, META_PK, &b) == ST_OK && b.n >= VAULT_PK_BYTES;
    unsigned char pk[VAULT_PK_BYTES], named[VAULT_PK_BYTES];
    if (have) memcpy(pk, b.p, sizeof pk);
    blob_free(&b);
    if (!have) return true; /* no clinical key yet (the state checks name a key that should be there) */
    if (!trail->clinical_seq) {
        snprintf(problem, size, "tampering: the clinical public key (meta %s) is in the file but no signed audit entry "
                                "made it: planted", META_PK);
        return false;
    }
    if (!pin_of(trail->clinical_detail, named)) return true; /* from before pins: the next clinical login pins it */
    if (vault_equal(named, pk, sizeof pk)) return true;
    snprintf(problem, size, "tampering: the clinical public key (meta %s) is not the one the newest signed clinical_key "
                            "audit entry (%lld) made: planted", META_PK, (long long)trail->clinical_seq);
    return false;
}

bool clinical_envelopes_verify(database *db, char *problem, size_t size) {
    staff_rec *staff = NULL;
    int n = 0;
    if (db->ops->staff_list(db->st, &staff, &n) != ST_OK) {
        free(staff);
        snprintf(problem, size, "cannot read the staff table");
        return false;
    }
    const audit_facts *f = audit_facts_of(db);
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
        unsigned char env[VAULT_SEALED_KEY_BYTES];
        if (!env_read(db, staff[i].id, env)) continue;
        /* a lock alone leaves the envelope (failed logins lock without a rotation): the role and removal decide */
        const audit_member_facts *m = audit_facts_member(f, staff[i].id);
        if (m && m->added && !m->removed && (!m->has_role || role_may(m->role, ACT_NOTES_OF_OTHERS))) continue;
        snprintf(problem, size, "tampering: `%s` holds the clinical key (meta " META_ENV "%s), but the signed audit trail "
                 "%s%s: it was sealed to a role raised in the staff table or planted; rotate it (`triage rekey`)",
                 staff[i].name, staff[i].id, !m || !m->added ? "never added them" : m->removed ? "removed them"
                 : "made them a ", m && m->added && !m->removed ? staff_role_name(m->role) : "");
        ok = false;
    }
    free(staff);
    return ok;
}

/* ---- note signatures ----
 * A note is signed by the staff member who wrote it (their audit signing key, vault.h), so that someone who can
 * seal a note (anyone: the clinical public key needs no secret) cannot pass one off as another's. The signature
 * is INSIDE the seal, a header before the text:
 *     ESC "sig1:" SIGNER ":" SIG (128 hex) "\n" TEXT
 * SIG is Ed25519 by SIGNER over NOTE_SIG_LABEL, "intakes", the intake's id, SIGNER (each NUL-ended) and
 * BLAKE2b(TEXT). Signed inside rather than over the ciphertext: a rotation re-seals every note under a new key
 * and could not sign for their authors, and a signature in clear would let reception test guesses of a short
 * note against it. SIGNER is the intake's author, or, for a note written before signatures (or under the data
 * key before the clinical key), the clinician or supervisor whose rotation first sealed it with a signature
 * (an attestation: "carried as found"). From then on every note under the clinical key is signed: a note
 * without a valid header is tampering. The signer's key is any the signed trail gave them (audit_facts_of): a
 * passphrase reset gives a new one, and what they signed before still verifies; meta sign_pk is never trusted here. */
#define NOTE_SIG_MAGIC "\x1b" "sig1:"
#define NOTE_SIG_LABEL "triage-note-sig-v1"

static size_t note_sig_message(const char *row, const char *signer, const char *text, unsigned char m[256]) {
    static const unsigned char zero[VAULT_MAC_BYTES];
    size_t n = 0;
    const char *parts[] = {NOTE_SIG_LABEL, "intakes", row, signer};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        size_t l = strnlen(parts[i], 48);
        memcpy(m + n, parts[i], l);
        n += l;
        m[n++] = '\0';
    }
    vault_chain_hash(zero, text, strlen(text), m + n);
    return n + VAULT_MAC_BYTES;
}

/* The text with its signature header, by v's signer as signer (secret memory); NULL when it cannot sign. */
static char *note_signed(const vault *v, const char *signer, const char *row, const char *text) {
    unsigned char m[256], sig[VAULT_SIG_BYTES];
    char hex[2 * VAULT_SIG_BYTES + 1];
    if (!vault_sign(v, m, note_sig_message(row, signer, text, m), sig)) return NULL;
    hex_encode(sig, sizeof sig, hex);
    size_t head = strlen(NOTE_SIG_MAGIC) + strlen(signer) + 1 + sizeof hex, tl = strlen(text);
    char *out = secret_alloc(head + tl + 1);
    if (!out) return NULL;
    snprintf(out, head + 1, NOTE_SIG_MAGIC "%s:%s\n", signer, hex);
    memcpy(out + head, text, tl + 1);
    return out;
}

typedef enum { NOTE_UNSIGNED, NOTE_SIGNED, NOTE_FORGED } note_sig;

/* May signer vouch for a note they did not write (a rotation's attestation of a note from before signatures)?
 * Only a member who made a rotation (a signed clinical_key entry: the rotation signs what it finds unsigned), in
 * a role the trail set that may read others' notes (a member added before roles were audited: the table's).
 * Any clinician could vouch before: one signed "nothing of note" over a colleague's note and verify said sound
 * (attacker round 13). */
static bool vouches(database *db, const audit_member_facts *w, const char *signer) {
    staff_rec r;
    if (!w || !w->added || !w->clinical_seq) return false;
    if (w->has_role) return role_may(w->role, ACT_NOTES_OF_OTHERS);
    return db->ops->staff_by_id(db->st, signer, &r) == ST_OK && role_may(r.role, ACT_NOTES_OF_OTHERS);
}

/* Reads the header of an opened note: *text is where the text starts. NOTE_FORGED (why written): a header that
 * does not check against any of the signer's keys in the trail, or a signer who may not sign it (neither the
 * intake's author nor a member whose role, as the trail set it, may hold the clinical key). */
static note_sig note_check(database *db, const char *row, const char *plain, const char **text, char *why, size_t size) {
    size_t ml = strlen(NOTE_SIG_MAGIC);
    *text = plain;
    if (strncmp(plain, NOTE_SIG_MAGIC, ml) != 0) return NOTE_UNSIGNED;
    char signer[STORE_ID_LEN] = "";
    const char *id = plain + ml, *colon = strchr(id, ':');
    unsigned char sig[VAULT_SIG_BYTES], m[256];
    size_t idl = colon ? (size_t)(colon - id) : 0;
    bool ok = idl > 0 && idl < sizeof signer && strnlen(colon + 1, 2 * VAULT_SIG_BYTES + 1) == 2 * VAULT_SIG_BYTES + 1 &&
              colon[1 + 2 * VAULT_SIG_BYTES] == '\n' && hex_decode(colon + 1, 2 * VAULT_SIG_BYTES, sig, sizeof sig);
    if (ok) {
        memcpy(signer, id, idl);
        *text = colon + 2 + 2 * VAULT_SIG_BYTES;
    }
    intake_rec in;
    memset(&in, 0, sizeof in);
    const audit_facts *f = ok ? audit_facts_of(db) : NULL;
    const audit_member_facts *w = audit_facts_member(f, signer);
    if (!ok)
        snprintf(why, size, "its signature header is damaged");
    else if (!audit_facts_signed_by(f, signer, m, note_sig_message(row, signer, *text, m), sig))
        snprintf(why, size, "its signature (by %s) does not verify", signer);
    else if (db->ops->intake_get(db->st, row, &in) != ST_OK)
        snprintf(why, size, "its intake cannot be read");
    else if (strcmp(in.created_by, signer) != 0 && !vouches(db, w, signer))
        snprintf(why, size, "it is signed by %s, who neither wrote it nor may vouch for it", signer);
    else
        ok = true, why[0] = '\0';
    intake_rec_free(&in);
    *text = why[0] ? plain : *text;
    return why[0] ? NOTE_FORGED : NOTE_SIGNED;
}

/* True once the newest clinical_key entry pinned its key: that rotation signed every note it found unsigned. */
static bool notes_all_signed(database *db) {
    pin_ctx c;
    unsigned char pk[VAULT_PK_BYTES];
    memset(&c, 0, sizeof c);
    if (db->ops->audit_each_from(db->st, pin_scan_start(db), pin_scan, &c) != ST_OK) return true; /* the safe reading */
    return c.found && pin_of(c.newest.detail, pk);
}

bool clinical_note_check(database *db, const char *row_id, const char *plain, char *problem, size_t size) {
    const char *text;
    char why[160] = "";
    note_sig st = note_check(db, row_id, plain, &text, why, sizeof why);
    if (st == NOTE_SIGNED) return true;
    if (st == NOTE_UNSIGNED) snprintf(why, sizeof why, "it carries no signature, although every note under the clinical "
                                                       "key is signed (written into the file since)");
    snprintf(problem, size, "tampering: intakes.notes of record %s is not its author's: %s", row_id, why);
    return false;
}

/* ---- notes ---- */

bool clinical_seal_note(session *s, const char *row_id, const char *text, blob *out, error *err) {
    unsigned char used[VAULT_PK_BYTES];
    bool to_clinical;
    return clinical_seal_note_to(s, row_id, text, out, used, &to_clinical, err);
}

bool clinical_note_key_still(session *s, const unsigned char used[VAULT_PK_BYTES], error *err) {
    unsigned char pk[VAULT_PK_BYTES];
    bool present;
    if (!pk_read_pinned(s->db, s->v, pk, &present, err)) return false;
    if (present && vault_equal(pk, used, sizeof pk)) return true;
    error_set(err, ERR_TAMPERED, "%s: the clinical key changed while the note was being saved (the signed trail no longer "
                                 "pins the key it was sealed to): nothing was saved; run `triage verify`", s->db->name);
    return false;
}

bool clinical_seal_note_to(session *s, const char *row_id, const char *text, blob *out, unsigned char used[VAULT_PK_BYTES],
                           bool *to_clinical, error *err) {
    out->p = NULL;
    out->n = 0;
    *to_clinical = false;
    if (!text || !*text) return true;
    unsigned char pk[VAULT_PK_BYTES];
    bool present;
    if (!pk_read_pinned(s->db, s->v, pk, &present, err)) return false;
    if (present) {
        memcpy(used, pk, VAULT_PK_BYTES);
        *to_clinical = true;
    }
    /* under the clinical key, signed by its writer; before the clinical key, as before (its rotation vouches) */
    char *signed_text = present ? note_signed(s->v, s->me.id, row_id, text) : NULL;
    if (present && s->notes && !vault_note_sealer_for(s->notes, pk)) { /* the key was rotated since */
        vault_note_sealer_free(s->notes);
        s->notes = NULL;
    }
    if (present && !s->notes) s->notes = vault_note_sealer_new(pk);
    bool ok = present ? signed_text && s->notes &&
                            vault_note_seal_by(s->notes, "intakes", "notes", row_id, signed_text, strlen(signed_text),
                                               &out->p, &out->n)
                      : vault_seal(s->v, "intakes", "notes", row_id, text, strlen(text), &out->p, &out->n);
    secret_free(signed_text);
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

static bool open_note_any(session *s, const char *row_id, const unsigned char *ct, size_t n, char **plain, bool *held);

/* A clinical note opened: its signature checked and its header taken off; false (nothing given) when forged or
 * unsigned. A legacy note (under the data key, before the clinical key) is given as it is. */
static bool open_note_signed(session *s, const char *row_id, const unsigned char *ct, size_t n, char **plain,
                             bool *held) {
    if (!open_note_any(s, row_id, ct, n, plain, held)) return false;
    if (!*plain || vault_sealed_version(ct, n) != VAULT_NOTE_VERSION) return true;
    const char *text;
    char why[160];
    if (note_check(s->db, row_id, *plain, &text, why, sizeof why) == NOTE_SIGNED) {
        memmove(*plain, text, strlen(text) + 1);
        return true;
    }
    secret_free(*plain);
    *plain = NULL;
    return false;
}

/* A note is wrapped under its client's key (client_keys.h: erasure kills it too): unwrapped with it first, then
 * opened with the clinical key and its author's signature checked as before (the signature is inside). */
bool clinical_open_note(session *s, const char *row_id, const unsigned char *ct, size_t n, char **plain, bool *held) {
    *plain = NULL;
    *held = true;
    if (vault_sealed_version(ct, n) != VAULT_CLIENT_VERSION) return open_note_signed(s, row_id, ct, n, plain, held);
    blob inner = {0};
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1];
    bool ok = ckey_unwrap(session_ckeys(s), s->db, s->v, NULL, "intakes", "notes", row_id, ct, n, &inner, &why, who) &&
              vault_sealed_version(inner.p, inner.n) != VAULT_CLIENT_VERSION &&
              open_note_signed(s, row_id, inner.p, inner.n, plain, held);
    blob_free(&inner);
    return ok;
}

static bool open_note_any(session *s, const char *row_id, const unsigned char *ct, size_t n, char **plain, bool *held) {
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
    database *db;
    const char *me; /* the rotating member: signs the notes found unsigned (an attestation, see above) */
    const vault_clinical *old;
    unsigned char pk[VAULT_PK_BYTES]; /* the new key's */
    resealed_note *list;
    size_t n, cap;
    char problem[300];
    bool all_signed; /* the newest rotation pinned its key: it signed every note, so none may be unsigned now */
    /* notes are wrapped under their clients' keys (client_keys.h), whose rows keys_v opens (during a rekey the
     * new data key: the clients' keys were re-sealed under it first, in the same transaction) */
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
    /* the author's signature is inside the innermost plaintext (under the client's key and the clinical key) */
    const char *text;
    char sig_why[160];
    note_sig sig = note_check(c->db, row, plain, &text, sig_why, sizeof sig_why);
    bool clinical = vault_sealed_version(ct, n) == VAULT_NOTE_VERSION;
    if (sig == NOTE_FORGED || (sig == NOTE_UNSIGNED && clinical && c->all_signed)) {
        snprintf(c->problem, sizeof c->problem, "tampering: intakes.notes of record %s is not its author's (%s); nothing "
                 "was changed", row, sig == NOTE_FORGED ? sig_why : "no signature");
        secret_free(plain);
        blob_free(&inner);
        return 1;
    }
    if (sig == NOTE_UNSIGNED) { /* from before signatures: vouched for by this rotation's member, as found */
        char *vouched = note_signed(c->v, c->me, row, plain);
        secret_free(plain);
        plain = vouched;
        if (!plain) {
            blob_free(&inner);
            snprintf(c->problem, sizeof c->problem, "cannot sign intakes.notes of record %s", row);
            return 1;
        }
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
        unsigned char pk[VAULT_PK_BYTES];
        if (may_hold(db, &staff[i])) {
            /* the key the signed trail gave them, not the table's (box_pin.h) */
            if (!box_pin_for_rotation(db, &staff[i], pk, err)) {
                ok = false;
            } else if (!vault_clinical_seal_to(key, pk, env)) {
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
    rotate_ctx c = {s->v, s->db, s->me.id, s->clinical, {0}, NULL, 0, 0, "", notes_all_signed(s->db), data_key,
                    ckeys_new()};
    vault_clinical_pk(*fresh, c.pk);
    char detail[160];
    bool ok = reseal_all(s->db, &c, err) && distribute(s->db, *fresh, err) && pk_write(s->db, data_key, c.pk, err);
    if (ok) {
        store_status st = s->db->ops->meta_set(s->db->st, META_STATE, STATE_SEALED, sizeof STATE_SEALED - 1);
        if (st != ST_OK) db_error(s->db, st, "cannot record the clinical key", err);
        char pkhex[2 * VAULT_PK_BYTES + 1];
        hex_encode(c.pk, VAULT_PK_BYTES, pkhex);
        snprintf(detail, sizeof detail, "clinical key rotated: %zu notes re-sealed" PIN_TAG "%s", c.n, pkhex);
        ok = st == ST_OK && audit_log(s->db, data_key, s->me.id, "clinical_key", "", detail, err) &&
             pin_hint_write(s->db, err);
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
    if (may_hold(s->db, r)) {
        if (!catch_up(s, pk)) {
            error_set(err, ERR_CONFLICT, "you hold no clinical key, so `%s` cannot be given one: a clinician or "
                                         "supervisor who holds it must make this change", r->name);
            return false;
        }
        unsigned char to[VAULT_PK_BYTES];
        if (!box_pin_for_one(s->db, r, to, err)) return false;
        if (!vault_clinical_seal_to(s->clinical, to, env)) {
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
                                 "supervisor", s->db->name);
    error ignored = {0};
    if (session_begin(s, &ignored)) {
        if (!audit_log(s->db, s->v, s->me.id, "tamper_detected", "", "meta clinical_notes set back", &ignored) ||
            !db_commit(s->db, &ignored))
            db_rollback(s->db);
    }
    return true;
}

static void tamper_noted(session *s, const char *what) {
    error ignored = {0};
    if (session_begin(s, &ignored)) {
        if (!audit_log(s->db, s->v, s->me.id, "tamper_detected", "", what, &ignored) || !db_commit(s->db, &ignored))
            db_rollback(s->db);
    }
}

/* The clinical public key not the one the signed trail pinned: refused, named, audited (as a state set back is). */
static bool pin_refused(session *s, const unsigned char pk[VAULT_PK_BYTES], bool *unpinned, error *err) {
    char why[700];
    pin_status ps = pin_check(s->db, pk, why, sizeof why);
    *unpinned = ps == PIN_NONE_YET;
    /* a trail with a problem does not refuse the login (the supervisor must still verify, restore, reset): what
     * it cannot vouch for is not trusted instead (no note is sealed, no key is handed out: box_pin.h), and the
     * login says so in the trail, where a cover-up of the file afterwards cannot take it back */
    if (ps == PIN_UNSOUND) tamper_noted(s, "the trail has a problem: no note is sealed to the clinical key until it is sound");
    if (ps != PIN_BAD) return false;
    error_set(err, ERR_TAMPERED, "%s: the clinical public key (meta %s) is not the one the signed audit trail made (planted "
                                 "in the file): %s; run `triage verify` and ask a supervisor", s->db->name, META_PK, why);
    tamper_noted(s, "meta clinical_pk not pinned by the trail");
    return true;
}

/* A clinical key made before pins: rotated now, so that its new public key is pinned by this login's signed
 * entry (a pin of the key as found would vouch for a key someone may have planted before the upgrade). */
static bool pin_by_rotation(session *s, error *err) {
    vault_clinical *fresh = NULL;
    if (!session_begin(s, err)) return false;
    if (clinical_rotate(s, s->v, &fresh, err) && db_commit(s->db, err)) {
        clinical_adopt(s, fresh);
        return true;
    }
    db_rollback(s->db);
    vault_clinical_free(fresh);
    return false;
}

bool clinical_login(session *s, error *err) {
    if (!role_may(s->me.role, ACT_NOTES_OF_OTHERS)) return true; /* reception: never given the key */
    unsigned char env[VAULT_SEALED_KEY_BYTES], pk[VAULT_PK_BYTES], mine[VAULT_PK_BYTES];
    bool present, unpinned = false;
    if (!pk_read(s->db, s->v, pk, &present, err)) return false;
    if (present && pin_refused(s, pk, &unpinned, err)) return false;
    if (env_read(s->db, s->me.id, env)) {
        s->clinical = vault_clinical_open(s->v, env);
        if (s->clinical) vault_clinical_pk(s->clinical, mine);
        if (!s->clinical || !present || !vault_equal(mine, pk, sizeof pk)) {
            error_set(err, ERR_TAMPERED, "%s: the clinical key sealed to `%s` %s: the file was altered; run `triage "
                                         "verify` and ask a supervisor",
                      s->db->name, s->me.name, s->clinical ? "is not the one notes are sealed to" : "does not open");
            return false;
        }
    }
    if (migrated(s->db)) return !present || !unpinned || pin_by_rotation(s, err);
    if (state_set_back(s, err)) return false;
    return migrate(s, err);
}
