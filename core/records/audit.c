#include "audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "util.h"

#define SIG_LABEL "triage-audit-v2"       /* an entry's signature: label || its hash */
#define HEAD_LABEL "triage-audit-head-v1" /* the head's signature before schema 7: label || seq (8 LE) || hash */
/* the head's signature: label || seq (8 LE) || hash || signed-from (8 LE), so that each signed write commits to
 * the point where signing started (the label has the same length: the head's layout in meta is unchanged) */
#define HEAD_LABEL2 "triage-audit-head-v2"
#define META_SIGNED_FROM "audit_signed_from" /* the first entry that must be signed (migration 7) */
#define META_CHAINED_FROM "audit_chained_from" /* the first entry whose hash covers the signature before it (14) */
#define META_HEAD "audit_head"
#define META_RUN "audit_first_unsealed" /* the first entry of the current run written without a login */
#define META_KEY_PREFIX "sign_pk:"
#define ACT_WITNESS "audit_witness"
#define ACT_SIGN_KEY "sign_key"
#define ACT_TRAIL "audit_trail" /* the object of a tamper_detected entry about the trail itself */
#define ACT_BOX_KEY "box_key"   /* a member's X25519 public key, the one keys are sealed to (audit.h) */
#define BOX_TAG "x25519:"

/* ---- encodings ---- */

/* The bytes an entry's hash covers: every field but the hash, MAC and signature, unit-separated. */
static size_t entry_bytes(const audit_rec *r, char *buf, size_t size) {
    int n = snprintf(buf, size, "%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s", (long long)r->seq, (long long)r->at, r->staff_id,
                     r->action, r->object_id, r->detail);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* An entry's hash: over the one before it (prev; NULL before the first) and its own bytes. In the chained format
 * (from meta audit_chained_from on) the signature of the entry before it follows, marked present or absent: a
 * signature changed, stripped or added anywhere then breaks the chain, so that each key's newest signature vouches
 * for every entry before it and verify need not check a million signatures (issue 12). */
/* A signed entry in the chained format also covers the hash of the newest signed entry its writer wrote before it
 * (prev->own_hash), as the writer's desk found it when it checked that entry (audit_log): verify recomputes it from
 * the trail, so an entry hidden from the desk while it wrote (its signature stripped and put back, its stored hash
 * set back) and an entry rewritten after the desk checked it both break the chain at the new entry. */
static void entry_hash(const audit_link *prev, bool chained, bool signing, const audit_rec *r,
                       unsigned char out[VAULT_MAC_BYTES]) {
    static const audit_link none;
    char buf[1024];
    if (!prev) prev = &none;
    size_t n = entry_bytes(r, buf, sizeof buf - 4 - VAULT_SIG_BYTES - VAULT_MAC_BYTES);
    if (chained) {
        buf[n++] = '\x1f';
        buf[n++] = prev->has_sig ? 1 : 0;
        if (prev->has_sig) memcpy(buf + n, prev->sig, VAULT_SIG_BYTES);
        n += prev->has_sig ? VAULT_SIG_BYTES : 0;
        if (signing) {
            buf[n++] = '\x1f';
            buf[n++] = prev->has_own ? 1 : 0;
            if (prev->has_own) memcpy(buf + n, prev->own_hash, VAULT_MAC_BYTES);
            n += prev->has_own ? VAULT_MAC_BYTES : 0;
        }
    }
    vault_chain_hash(prev->hash, buf, n, out);
}

/* l := the link from r to the entry after it (the writer's own previous is set apart: it is not r's) */
static void link_of(const audit_rec *r, audit_link *l) {
    memcpy(l->hash, r->hash, sizeof l->hash);
    memcpy(l->sig, r->sig, sizeof l->sig);
    l->has_sig = r->has_sig;
    l->has_own = false;
}

static size_t sig_message(const unsigned char hash[VAULT_MAC_BYTES], unsigned char *m) {
    memcpy(m, SIG_LABEL, sizeof SIG_LABEL - 1);
    memcpy(m + sizeof SIG_LABEL - 1, hash, VAULT_MAC_BYTES);
    return sizeof SIG_LABEL - 1 + VAULT_MAC_BYTES;
}

/* signed_from 0: the old message (heads written before schema 7, accepted until the next signed write) */
static size_t head_message(int64_t seq, const unsigned char hash[VAULT_MAC_BYTES], int64_t signed_from, unsigned char *m) {
    size_t l = sizeof HEAD_LABEL - 1;
    _Static_assert(sizeof HEAD_LABEL == sizeof HEAD_LABEL2, "the head's labels have one length");
    memcpy(m, signed_from ? HEAD_LABEL2 : HEAD_LABEL, l);
    for (int i = 0; i < 8; i++) m[l + (size_t)i] = (unsigned char)((uint64_t)seq >> (8 * i));
    memcpy(m + l + 8, hash, VAULT_MAC_BYTES);
    if (!signed_from) return l + 8 + VAULT_MAC_BYTES;
    for (int i = 0; i < 8; i++) m[l + 8 + VAULT_MAC_BYTES + (size_t)i] = (unsigned char)((uint64_t)signed_from >> (8 * i));
    return l + 16 + VAULT_MAC_BYTES;
}

/* The head's signature over the current message, or over the old one (a head not yet re-signed since the
 * upgrade to schema 7). */
static bool head_sig_ok(const unsigned char pk[VAULT_SIGN_PK_BYTES], int64_t seq, const unsigned char hash[VAULT_MAC_BYTES],
                        int64_t signed_from, const unsigned char sig[VAULT_SIG_BYTES]) {
    unsigned char m[128];
    size_t n = head_message(seq, hash, signed_from, m);
    if (signed_from && vault_sig_ok(pk, m, n, sig)) return true;
    n = head_message(seq, hash, 0, m);
    return vault_sig_ok(pk, m, n, sig);
}

static bool entry_sig_ok(const unsigned char pk[VAULT_SIGN_PK_BYTES], const unsigned char hash[VAULT_MAC_BYTES],
                         const unsigned char sig[VAULT_SIG_BYTES]) {
    unsigned char m[64];
    size_t n = sig_message(hash, m);
    return vault_sig_ok(pk, m, n, sig);
}

/* A sign_key entry's detail: "ed25519:<key hex> pop:<proof hex>". */
static bool parse_key_detail(const char *detail, unsigned char pk[VAULT_SIGN_PK_BYTES], unsigned char pop[VAULT_SIG_BYTES]) {
    const char *k = "ed25519:", *p = " pop:";
    size_t kl = strlen(k), pl = strlen(p);
    if (strncmp(detail, k, kl) != 0) return false;
    const char *key = detail + kl;
    if (strlen(key) != 2 * VAULT_SIGN_PK_BYTES + pl + 2 * VAULT_SIG_BYTES) return false;
    if (strncmp(key + 2 * VAULT_SIGN_PK_BYTES, p, pl) != 0) return false;
    return hex_decode(key, 2 * VAULT_SIGN_PK_BYTES, pk, VAULT_SIGN_PK_BYTES) &&
           hex_decode(key + 2 * VAULT_SIGN_PK_BYTES + pl, 2 * VAULT_SIG_BYTES, pop, VAULT_SIG_BYTES);
}

static void copy_field(char *dst, size_t size, const char *src) {
    /* details never carry personal data; they are short ASCII words, so truncation is harmless */
    snprintf(dst, size, "%s", src ? src : "");
}

static bool meta_int(database *db, const char *key, int64_t *out) {
    blob b = {0};
    bool ok = false;
    if (db->ops->meta_get(db->st, key, &b) == ST_OK && b.n > 0 && b.n < 24) {
        char num[24];
        memcpy(num, b.p, b.n);
        num[b.n] = '\0';
        long v;
        if (parse_int(num, 1, 0x7fffffffL, &v)) {
            *out = v;
            ok = true;
        }
    }
    blob_free(&b);
    return ok;
}

/* Is entry seq in the chained format? Missing, the value counts as 1: a database at schema 14 always has it, so
 * its absence is tampering, which verify names; writers meanwhile write the format that checks more. */
static bool chained_at(database *db, int64_t seq) {
    int64_t from = 0;
    return !meta_int(db, META_CHAINED_FROM, &from) || seq >= from;
}

/* ---- writing ---- */

/* Appends one entry after prev (NULL: the first), signed by v's signer when v has one; own (NULL: none) is the
 * hash of the newest signed entry the signer wrote before it, as their desk checked it. */
static bool append_entry(database *db, const vault *v, const audit_rec *prev, const unsigned char *own,
                         const char *staff_id, const char *action, const char *object_id, const char *detail,
                         audit_rec *r, error *err) {
    memset(r, 0, sizeof *r);
    r->seq = prev ? prev->seq + 1 : 1;
    r->at = clock_now();
    copy_field(r->staff_id, sizeof r->staff_id, staff_id);
    copy_field(r->action, sizeof r->action, action);
    copy_field(r->object_id, sizeof r->object_id, object_id);
    copy_field(r->detail, sizeof r->detail, detail);
    audit_link link;
    memset(&link, 0, sizeof link);
    if (prev) link_of(prev, &link);
    link.has_own = v && own;
    if (link.has_own) memcpy(link.own_hash, own, sizeof link.own_hash);
    entry_hash(&link, chained_at(db, r->seq), v != NULL, r, r->hash);
    unsigned char m[64];
    if (v) {
        size_t n = sig_message(r->hash, m);
        if (!vault_sign(v, m, n, r->sig)) {
            error_set(err, ERR_INTERNAL, "cannot sign the audit entry");
            return false;
        }
        r->has_sig = true;
    }
    store_status st = db->ops->audit_append(db->st, r);
    if (st != ST_OK) {
        db_error(db, st, "cannot write the audit trail", err);
        return false;
    }
    return true;
}

/* meta audit_head = seq (8 LE) || hash || signature || staff id: the chain's head as its writer signed it. */
static bool write_head(database *db, const vault *v, const audit_rec *r, error *err) {
    unsigned char m[128], buf[8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES + STORE_ID_LEN];
    int64_t from = 0;
    if (!meta_int(db, META_SIGNED_FROM, &from)) from = 0; /* missing: tampering, which verify names */
    size_t n = head_message(r->seq, r->hash, from, m);
    size_t idlen = strlen(r->staff_id);
    memcpy(buf, m + sizeof HEAD_LABEL - 1, 8 + VAULT_MAC_BYTES);
    if (!vault_sign(v, m, n, buf + 8 + VAULT_MAC_BYTES)) {
        error_set(err, ERR_INTERNAL, "cannot sign the audit head");
        return false;
    }
    memcpy(buf + 8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES, r->staff_id, idlen);
    store_status st = db->ops->meta_set(db->st, META_HEAD, buf, 8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES + idlen);
    if (st != ST_OK) db_error(db, st, "cannot write the audit head", err);
    return st == ST_OK;
}

static bool read_head(database *db, int64_t *seq, unsigned char hash[VAULT_MAC_BYTES], unsigned char sig[VAULT_SIG_BYTES],
                      char id[STORE_ID_LEN], bool *present);

typedef struct {
    int64_t seq;
    unsigned char hash[VAULT_MAC_BYTES];
    bool found;
    int64_t signed_after; /* a signed entry after it (0: none) */
} hash_at_ctx;

/* The head's entry, then every one after it (entries written without a login, as a rule: few), for a signed one. */
static int hash_at(void *vctx, const audit_rec *e) {
    hash_at_ctx *c = vctx;
    if (e->seq == c->seq) {
        c->found = true;
        memcpy(c->hash, e->hash, sizeof c->hash);
        return 0;
    }
    if (!c->found) return 1; /* not there */
    if (e->has_sig) c->signed_after = e->seq;
    return e->has_sig;
}

/* Before a signed write: does the signed head still name the trail's last signed entry, with a signature
 * of the key its writer introduced? Entries removed from the end would otherwise be covered by this very
 * write's new head. Writes what is wrong into why (false), for an audit entry of its own. */
static bool head_consistent(database *db, const audit_rec *last, char *why, size_t whysize) {
    int64_t seq = 0;
    unsigned char hash[VAULT_MAC_BYTES], sig[VAULT_SIG_BYTES], pk[VAULT_SIGN_PK_BYTES];
    char id[STORE_ID_LEN];
    bool present;
    int64_t from = 0;
    if (!meta_int(db, META_SIGNED_FROM, &from)) from = 0;
    if (from && last->has_mac && last->seq >= from) {
        snprintf(why, whysize, "audit entry %lld is in the legacy format (a keyed seal, no signature), but this database "
                 "signs every entry from entry %lld: the trail was rewritten", (long long)last->seq, (long long)from);
        return false;
    }
    bool ok = read_head(db, &seq, hash, sig, id, &present);
    if (!present) {
        if (last->has_sig) snprintf(why, whysize, "the signed head of the trail is missing (entry %lld is signed)", (long long)last->seq);
        return !last->has_sig; /* a legacy or new trail has none yet */
    }
    if (!ok) {
        snprintf(why, whysize, "the signed head of the trail is damaged");
        return false;
    }
    if (seq > last->seq) {
        snprintf(why, whysize, "the trail was truncated: its signed head was entry %lld, it ended at entry %lld",
                 (long long)seq, (long long)last->seq);
        return false;
    }
    hash_at_ctx c = {seq, {0}, false, 0};
    if (seq == last->seq) {
        memcpy(c.hash, last->hash, sizeof c.hash);
        c.found = true;
    } else {
        (void)db->ops->audit_each_from(db->st, seq - 1, hash_at, &c);
    }
    if (c.signed_after) {
        /* each signed write signs the head over itself: an older head put back over a trail cut from the end (the
         * cut entries a supervisor's lock) named an entry that was there, unchanged and signed (an outside attacker,
         * session 24) */
        snprintf(why, whysize, "the signed head names entry %lld, but the signed entry %lld follows it: an older head "
                 "was put back", (long long)seq, (long long)c.signed_after);
        return false;
    }
    blob b = {0};
    char name[64];
    snprintf(name, sizeof name, "%s%s", META_KEY_PREFIX, id);
    bool have_key = db->ops->meta_get(db->st, name, &b) == ST_OK && b.n == VAULT_SIGN_PK_BYTES;
    if (have_key) memcpy(pk, b.p, sizeof pk);
    blob_free(&b);
    if (!c.found || !vault_equal(c.hash, hash, sizeof hash)) {
        snprintf(why, whysize, "entry %lld is not the one the signed head names: the trail was rewritten", (long long)seq);
        return false;
    }
    if (!have_key || !head_sig_ok(pk, seq, hash, from, sig)) {
        snprintf(why, whysize, "the head of the trail (entry %lld) is not signed by %s: forged", (long long)seq, id);
        return false;
    }
    return true;
}

/* Before a signed write: does the writer's own newest signed entry still carry their signature? The chain covers
 * each signature (META_CHAINED_FROM), so verify checks only each key's newest; one rewritten behind a newer entry
 * of its writer (another member's entries re-signed after it) is caught here, by that writer's next write, before
 * it signs over the trail again. 1: it checks (or there is none, or it was signed under a key the writer has since
 * replaced: verify checks that key's newest); 0: it does not (why written); -1: the trail cannot be read (*st says
 * why). own (has_own): that entry's hash, which the new entry's hash covers (entry_hash). */
static int own_previous_ok(database *db, const char *staff_id, const unsigned char pk[VAULT_SIGN_PK_BYTES],
                           store_status *st, unsigned char own[VAULT_MAC_BYTES], bool *has_own, char *why,
                           size_t whysize) {
    audit_rec e;
    audit_link before;
    unsigned char h[VAULT_MAC_BYTES];
    *has_own = false;
    *st = db->ops->audit_last_signed_by(db->st, staff_id, &e, &before);
    if (*st == ST_NOTFOUND) return 1;
    if (*st != ST_OK) return -1;
    memcpy(own, e.hash, VAULT_MAC_BYTES);
    *has_own = true;
    /* its hash recomputed as well: the stored one set back to what the signature covers while the row's content
     * stays edited passed a signature check alone (an outside attacker, session 24) */
    entry_hash(&before, chained_at(db, e.seq), true, &e, h);
    bool follows = vault_equal(h, e.hash, sizeof h);
    if (follows && entry_sig_ok(pk, e.hash, e.sig)) return 1;
    /* signed under an older key of theirs (a passphrase reset since): any key the trail gave them, from the facts
     * walk over the chain (an index that the file made lie answered "a key was given since": session 24) */
    unsigned char m[64];
    size_t mn = sig_message(e.hash, m);
    const audit_facts *f = follows ? audit_facts_of(db) : NULL;
    if (f && f->complete && audit_facts_signed_by(f, staff_id, m, mn, e.sig)) return 1;
    staff_rec who;
    bool named = db->ops->staff_by_id(db->st, staff_id, &who) == ST_OK;
    snprintf(why, whysize, "audit entry %lld, the newest that %s signed, %s: it was rewritten", (long long)e.seq,
             named ? who.name : staff_id,
             follows ? "no longer carries their signature" : "does not follow from the one before");
    return 0;
}

/* An entry that closes a run of entries written without a login: signed, or a legacy MAC. */
static bool closes_run(const audit_rec *r) { return r->has_sig || r->has_mac; }

bool audit_log(database *db, const vault *v, const char *staff_id, const char *action, const char *object_id,
               const char *detail, error *err) {
    unsigned char pk[VAULT_SIGN_PK_BYTES];
    /* an entry signed for no one would not verify: only a named staff member signs */
    const vault *signer = v && staff_id && *staff_id && vault_signer_pk(v, pk) ? v : NULL;
    /* a key the trail does not know (e.g. one introduced after the backup a restore put back) would make
     * verify call this entry and every later one forged, for good: refused before anything is written.
     * The one exception is a member's own key introducing itself (at enrolment or first signed login). */
    bool self_intro = action && strcmp(action, ACT_SIGN_KEY) == 0 && object_id && strcmp(object_id, staff_id) == 0;
    if (signer && !self_intro && !audit_key_known(db, staff_id, pk)) {
        error_set(err, ERR_CONFLICT, "%s's signing key is not in the audit trail (the database was restored from an older "
                               "backup, or changed under this desk): log in again (nothing was saved)", staff_id);
        return false;
    }
    audit_rec last, r;
    store_status st = db->ops->audit_last(db->st, &last);
    if (st != ST_OK && st != ST_NOTFOUND) {
        db_error(db, st, "cannot read the audit trail", err);
        return false;
    }
    bool have_last = st == ST_OK;
    char why[200];
    /* the writer's own previous entry checked first: its hash goes into this entry's (entry_hash) */
    unsigned char own_hash[VAULT_MAC_BYTES];
    bool has_own = false;
    char own_why[200];
    int own = signer && have_last ? own_previous_ok(db, staff_id, pk, &st, own_hash, &has_own, own_why, sizeof own_why)
                                  : 1;
    if (own < 0) {
        db_error(db, st, "cannot read the audit trail", err);
        return false;
    }
    if (self_intro && !own) own = 1; /* a member's key introducing itself: nothing of theirs to check under it */
    const unsigned char *mine = has_own ? own_hash : NULL;
    if (signer && have_last && !head_consistent(db, &last, why, sizeof why)) {
        /* found by this write: recorded, signed, before the write's new head covers it */
        if (!append_entry(db, signer, &last, mine, staff_id, "tamper_detected", ACT_TRAIL, why, &r, err)) return false;
        last = r;
        memcpy(own_hash, r.hash, sizeof own_hash); /* r is written over by the next append */
        mine = own_hash;
    }
    if (!own) {
        if (!append_entry(db, signer, &last, mine, staff_id, "tamper_detected", ACT_TRAIL, own_why, &r, err))
            return false;
        last = r;
        memcpy(own_hash, r.hash, sizeof own_hash); /* r is written over by the next append */
        mine = own_hash;
    }
    if (signer && have_last && !closes_run(&last)) {
        /* entries written without a login since the last signed one: witnessed, never signed in place */
        int64_t first = last.seq;
        if (!meta_int(db, META_RUN, &first) || first > last.seq) first = last.seq;
        char what[96];
        snprintf(what, sizeof what, "entries %lld-%lld written without a login", (long long)first, (long long)last.seq);
        if (!append_entry(db, signer, &last, mine, staff_id, ACT_WITNESS, "", what, &r, err)) return false;
        last = r;
        memcpy(own_hash, r.hash, sizeof own_hash); /* r is written over by the next append */
        mine = own_hash;
    }
    if (!append_entry(db, signer, have_last ? &last : NULL, mine, staff_id, action, object_id, detail, &r, err))
        return false;
    if (signer) return write_head(db, signer, &r, err);
    if (!have_last || closes_run(&last)) {
        /* a new run without a login starts here: the next signed write witnesses it from this entry */
        char num[24];
        int n = snprintf(num, sizeof num, "%lld", (long long)r.seq);
        st = db->ops->meta_set(db->st, META_RUN, num, (size_t)n);
        if (st != ST_OK) {
            db_error(db, st, "cannot write the audit trail", err);
            return false;
        }
    }
    return true;
}

static void key_meta_name(const char *member_id, char *name, size_t size) {
    snprintf(name, size, "%s%s", META_KEY_PREFIX, member_id);
}

bool audit_introduce_key(database *db, const vault *v, const char *introducer_id, const char *member_id,
                         const unsigned char pk[VAULT_SIGN_PK_BYTES], const unsigned char pop[VAULT_SIG_BYTES],
                         error *err) {
    char detail[257], pkhex[2 * VAULT_SIGN_PK_BYTES + 1], pophex[2 * VAULT_SIG_BYTES + 1];
    hex_encode(pk, VAULT_SIGN_PK_BYTES, pkhex);
    hex_encode(pop, VAULT_SIG_BYTES, pophex);
    snprintf(detail, sizeof detail, "ed25519:%s pop:%s", pkhex, pophex);
    if (!audit_log(db, v, introducer_id, ACT_SIGN_KEY, member_id, detail, err)) return false;
    char name[64];
    key_meta_name(member_id, name, sizeof name);
    store_status st = db->ops->meta_set(db->st, name, pk, VAULT_SIGN_PK_BYTES);
    if (st != ST_OK) db_error(db, st, "cannot record the signing key", err);
    return st == ST_OK;
}

bool audit_pin_box_key(database *db, const vault *v, const char *by_id, const char *member_id,
                       const unsigned char pk[VAULT_PK_BYTES], error *err) {
    char detail[sizeof BOX_TAG + 2 * VAULT_PK_BYTES];
    memcpy(detail, BOX_TAG, sizeof BOX_TAG - 1);
    hex_encode(pk, VAULT_PK_BYTES, detail + sizeof BOX_TAG - 1);
    return audit_log(db, v, by_id, ACT_BOX_KEY, member_id, detail, err);
}

void audit_kdf_detail(const vault_kdf *k, char out[AUDIT_KDF_DETAIL_LEN]) {
    char salt[2 * VAULT_SALT_BYTES + 1];
    hex_encode(k->salt, VAULT_SALT_BYTES, salt);
    snprintf(out, AUDIT_KDF_DETAIL_LEN, "alg:%d ops:%llu mem:%llu salt:%s", k->alg, (unsigned long long)k->opslimit,
             (unsigned long long)k->memlimit, salt);
}

bool audit_record_kdf(database *db, const vault *v, const char *by_id, const char *member_id, const vault_kdf *k,
                      error *err) {
    char detail[AUDIT_KDF_DETAIL_LEN];
    audit_kdf_detail(k, detail);
    return audit_log(db, v, by_id, "staff_kdf", member_id, detail, err);
}

typedef struct {
    char id[STORE_ID_LEN];
    unsigned char hash[VAULT_MAC_BYTES];
} writer_hash;

typedef struct {
    const char *member;
    audit_link prev;
    audit_rec newest;
    audit_link newest_prev;
    bool found;
    writer_hash *own; /* each writer's newest signed entry so far (entry_hash covers it) */
    int nown;
} kdf_scan_ctx;

static int kdf_scan(void *vctx, const audit_rec *e) {
    kdf_scan_ctx *c = vctx;
    writer_hash *w = NULL;
    for (int i = 0; e->has_sig && i < c->nown && !w; i++)
        if (!strcmp(c->own[i].id, e->staff_id)) w = &c->own[i];
    c->prev.has_own = w != NULL;
    if (w) memcpy(c->prev.own_hash, w->hash, sizeof c->prev.own_hash);
    if (!strcmp(e->action, "staff_kdf") && !strcmp(e->object_id, c->member)) {
        c->newest = *e;
        c->newest_prev = c->prev;
        c->found = true;
    }
    if (e->has_sig && !w) {
        c->own = xrealloc(c->own, sizeof *c->own * (size_t)(c->nown + 1));
        w = &c->own[c->nown++];
        snprintf(w->id, sizeof w->id, "%s", e->staff_id);
    }
    if (w) memcpy(w->hash, e->hash, sizeof w->hash);
    link_of(e, &c->prev);
    return 0;
}

int audit_kdf_matches(database *db, const char *member_id, const vault_kdf *k, char *why, size_t size) {
    kdf_scan_ctx c;
    memset(&c, 0, sizeof c);
    c.member = member_id;
    /* rare (a failed login, or a wrap dearer than the desk's own): the whole trail is read (no hint in the file
     * to trust) */
    store_status st = db->ops->audit_each(db->st, kdf_scan, &c);
    free(c.own);
    if (st != ST_OK || !c.found) return -1;
    /* its writer as the trail made them, not as the staff table says (a role raised in the file let a reception
     * login's entry for a clinician count: seventh outside attacker): the entry the facts walk took for the member */
    const audit_member_facts *m = audit_facts_member(audit_facts_of(db), member_id);
    bool by_ok = m && m->kdf_seq == c.newest.seq;
    if (!audit_entry_ok(db, &c.newest_prev, &c.newest) || !by_ok) { /* verify names a bad entry */
        snprintf(why, size, "the signed audit entry %lld that recorded them does not check", (long long)c.newest.seq);
        return -2;
    }
    char mine[AUDIT_KDF_DETAIL_LEN];
    audit_kdf_detail(k, mine);
    if (!strcmp(mine, c.newest.detail)) return 1;
    snprintf(why, size, "the staff table has %s, the signed audit entry %lld recorded %s", mine, (long long)c.newest.seq,
             c.newest.detail);
    return 0;
}

bool audit_member_key(database *db, const char *member_id, unsigned char pk[VAULT_SIGN_PK_BYTES]) {
    char name[64];
    blob b = {0};
    key_meta_name(member_id, name, sizeof name);
    bool have = db->ops->meta_get(db->st, name, &b) == ST_OK && b.n == VAULT_SIGN_PK_BYTES;
    if (have) memcpy(pk, b.p, VAULT_SIGN_PK_BYTES);
    blob_free(&b);
    return have;
}

bool audit_entry_ok(database *db, const audit_link *prev, const audit_rec *e) {
    unsigned char h[VAULT_MAC_BYTES], pk[VAULT_SIGN_PK_BYTES];
    if (!e->has_sig) return false;
    entry_hash(prev, chained_at(db, e->seq), e->has_sig, e, h);
    if (!vault_equal(h, e->hash, sizeof h)) return false;
    return audit_member_key(db, e->staff_id, pk) && entry_sig_ok(pk, e->hash, e->sig);
}

bool audit_key_known(database *db, const char *member_id, const unsigned char pk[VAULT_SIGN_PK_BYTES]) {
    char name[64];
    key_meta_name(member_id, name, sizeof name);
    blob b = {0};
    bool ok = db->ops->meta_get(db->st, name, &b) == ST_OK && b.n == VAULT_SIGN_PK_BYTES && vault_equal(b.p, pk, b.n);
    blob_free(&b);
    return ok;
}

/* ---- legacy MACs (entries from before schema 6) ---- */

typedef struct {
    int64_t seq;
    unsigned char mac[VAULT_MAC_BYTES];
} pending_mac;

typedef struct {
    const vault *v;
    pending_mac *list;
    int64_t n, cap;
} collect_ctx;

static int collect(void *vctx, const audit_rec *r) {
    collect_ctx *c = vctx;
    if (!r->has_mac) return 0;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->list = xrealloc(c->list, sizeof *c->list * (size_t)c->cap);
    }
    c->list[c->n].seq = r->seq;
    vault_audit_mac(c->v, r->hash, c->list[c->n].mac);
    c->n++;
    return 0;
}

bool audit_remac_all(database *db, const vault *v, error *err) {
    /* audit_each holds a read cursor; the MACs are collected first and written after it ends */
    collect_ctx c = {v, NULL, 0, 0};
    store_status st = db->ops->audit_each(db->st, collect, &c);
    for (int64_t i = 0; st == ST_OK && i < c.n; i++) st = db->ops->audit_set_mac(db->st, c.list[i].seq, c.list[i].mac);
    free(c.list);
    if (st != ST_OK) db_error(db, st, "cannot re-seal the audit trail", err);
    return st == ST_OK;
}

/* ---- verify ---- */

/* What the trail says of one staff member, and the newest entry signed under their current key (checked
 * when the key changes and at the end: every signature covers the whole chain before it, so the newest one
 * per key vouches for all the others of that key; on a failure every signature is checked to name the
 * first bad entry). */
typedef struct {
    char id[STORE_ID_LEN];
    bool added, removed, locked, has_role, has_pk, has_left_pk;
    bool lock_keyless; /* the lock is a failed login's unsigned entry (no supervisor's signed one) */
    staff_role role;
    unsigned char left_pk[VAULT_PK_BYTES]; /* the public key a removal left in the row (its entry's detail) */
    char kdf[257];                         /* the newest signed staff_kdf entry's detail ("" for none) */
    bool has_box;                          /* the box public key the trail gave them (box_key), and where */
    unsigned char box_pk[VAULT_PK_BYTES];
    int64_t box_seq;
    int64_t kdf_seq;
    int64_t clinical_seq; /* their newest signed clinical_key entry (a rotation they made), 0 for none */
    int64_t role_seq, lock_seq, remove_seq, added_seq, key_seq;
    unsigned char pk[VAULT_SIGN_PK_BYTES];
    unsigned char own_hash[VAULT_MAC_BYTES]; /* their newest signed entry so far (entry_hash covers it) */
    bool has_own;
    bool pending;
    int64_t last_seq;
    unsigned char last_hash[VAULT_MAC_BYTES], last_sig[VAULT_SIG_BYTES];
    unsigned char (*keys)[VAULT_SIGN_PK_BYTES]; /* every signing key the trail gave them, oldest first */
    int nkeys;
} member;

/* One signature verify has still to check (gathered, then checked on every core: vault_sigs_ok). */
#define SIG_BATCH 8192
typedef struct {
    int64_t seq;
    unsigned char pk[VAULT_SIGN_PK_BYTES], m[64], sig[VAULT_SIG_BYTES];
    size_t mlen;
    char staff_id[STORE_ID_LEN];
} sig_job;

typedef struct {
    const vault *v;
    audit_report *r;
    bool every_sig; /* the second pass: check each signature at once */
    /* verify: each signature gathered into jobs and checked a batch at a time on every core; a failure is named
     * as at once, ahead of any problem the walk found after it */
    bool defer;
    sig_job *jobs;
    vault_sig_item *items;
    size_t njobs;
    bool tolerant;  /* audit_facts_of: an entry with a problem is passed over (its facts not taken), not the end */
    char first_problem[512];
    int64_t first_bad;
    audit_link prev;
    char prev_staff[STORE_ID_LEN]; /* the writer of the entry before (prev) */
    /* meta audit_chained_from: from there on each hash covers the signature before it, and verify checks each key's
     * newest signature only (chained_newest); before it, every signature (a flipped one left the chain whole) */
    int64_t chained_from;
    bool chained_newest;
    int64_t expect, last_at;
    int64_t signed_from;        /* meta audit_signed_from: every entry from here on is signed or keyless */
    bool signing;               /* a signed entry has been seen: legacy entries are over */
    int64_t run_first, run_last; /* the current run of unsigned entries (0: none) */
    int64_t legacy_unsealed;    /* legacy entries without a MAC, pending (only at the end of the legacy part) */
    member *m;
    int nm, capm;
    int64_t head_seq; /* from meta, -1 without */
    unsigned char head_hash_seen[VAULT_MAC_BYTES];
    bool head_found;
    int64_t last_signed_seq;
    char last_signed_id[STORE_ID_LEN];
    /* the witness a member's first login after the upgrade writes just before introducing their own key */
    int64_t await_seq;
    char await_id[STORE_ID_LEN];
    unsigned char await_hash[VAULT_MAC_BYTES], await_sig[VAULT_SIG_BYTES];
    bool failed, sig_failed;
    int64_t init_seq; /* the entry that created the database (its writer the first supervisor), 0 before it */
    staff_rec *staff; /* the staff table, for names in the messages */
    int nstaff;
} verify_ctx;

/* A staff member's login name for a message, or their id when the table does not have them. */
static const char *who(const verify_ctx *c, const char *id) {
    for (int i = 0; i < c->nstaff; i++)
        if (!strcmp(c->staff[i].id, id)) return c->staff[i].name;
    return id[0] ? id : "no one";
}

__attribute__((format(printf, 3, 4))) static int problem(verify_ctx *c, int64_t seq, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->r->problem, sizeof c->r->problem, fmt, ap);
    va_end(ap);
    c->r->bad_seq = seq;
    c->failed = true;
    return 1;
}

static member *member_get(verify_ctx *c, const char *id) {
    for (int i = 0; i < c->nm; i++)
        if (strcmp(c->m[i].id, id) == 0) return &c->m[i];
    if (c->nm == c->capm) c->m = xrealloc(c->m, sizeof *c->m * (size_t)(c->capm = c->capm ? c->capm * 2 : 16));
    member *m = &c->m[c->nm++];
    memset(m, 0, sizeof *m);
    snprintf(m->id, sizeof m->id, "%s", id);
    return m;
}

static void members_free(verify_ctx *c) {
    for (int i = 0; i < c->nm; i++) free(c->m[i].keys);
    free(c->m);
    c->m = NULL;
    c->nm = c->capm = 0;
}

/* The pending check of m's newest signature; false when it fails. */
static bool flush_member(verify_ctx *c, member *m) {
    if (!m->pending) return true;
    m->pending = false;
    if (entry_sig_ok(m->pk, m->last_hash, m->last_sig)) return true;
    c->sig_failed = true;
    return false;
}

static void jobs_free(verify_ctx *c) {
    free(c->jobs);
    free(c->items);
    c->jobs = NULL;
    c->items = NULL;
    c->njobs = 0;
}

/* The gathered signatures checked; false, with the first that fails named as the walk names it, when one does.
 * Each was gathered before any problem the walk has found since (a later entry's), so it takes that one's place. */
static bool flush_sigs(verify_ctx *c) {
    size_t n = c->njobs;
    c->njobs = 0;
    if (!n) return true;
    for (size_t i = 0; i < n; i++)
        c->items[i] = (vault_sig_item){c->jobs[i].pk, c->jobs[i].m, c->jobs[i].sig, c->jobs[i].mlen};
    size_t bad = vault_sigs_ok(c->items, n);
    if (bad == n) return true;
    const sig_job *j = &c->jobs[bad];
    problem(c, j->seq, "audit entry %lld is not signed by %s, whose entry it claims to be: the trail was rewritten or "
                       "re-signed from here", (long long)j->seq, who(c, j->staff_id));
    return false;
}

/* Gathers e's signature under pk for verify; checks the batch when it is full (false: one failed). */
static bool defer_sig(verify_ctx *c, const unsigned char pk[VAULT_SIGN_PK_BYTES], const audit_rec *e) {
    if (!c->jobs) {
        c->jobs = xcalloc(SIG_BATCH, sizeof *c->jobs);
        c->items = xcalloc(SIG_BATCH, sizeof *c->items);
    }
    sig_job *j = &c->jobs[c->njobs++];
    j->seq = e->seq;
    memcpy(j->pk, pk, sizeof j->pk); /* a key the trail gives later must not change what this entry is checked by */
    j->mlen = sig_message(e->hash, j->m);
    memcpy(j->sig, e->sig, sizeof j->sig);
    snprintf(j->staff_id, sizeof j->staff_id, "%s", e->staff_id);
    return c->njobs < SIG_BATCH || flush_sigs(c);
}

static void note_run(verify_ctx *c, bool at_end) {
    if (!c->run_first) return;
    char part[48];
    if (c->run_first == c->run_last) snprintf(part, sizeof part, "%lld", (long long)c->run_first);
    else snprintf(part, sizeof part, "%lld-%lld", (long long)c->run_first, (long long)c->run_last);
    size_t used = strlen(c->r->unauth_where);
    if (used + strlen(part) + 12 < sizeof c->r->unauth_where)
        snprintf(c->r->unauth_where + used, sizeof c->r->unauth_where - used, "%s%s%s", used ? ", " : "", part,
                 at_end ? " (end)" : "");
    else if (!strstr(c->r->unauth_where, "..."))
        snprintf(c->r->unauth_where + used, sizeof c->r->unauth_where - used, ", ...");
    c->run_first = c->run_last = 0;
}

/* Roles, locks, members and keys as the trail sets them. Keyless entries may only lock (the safe way). */
static int follow_staff(verify_ctx *c, const audit_rec *e) {
    staff_role role;
    if (!strcmp(e->action, "init") && e->staff_id[0]) {
        member *m = member_get(c, e->staff_id);
        if (!m->added) m->added_seq = e->seq;
        m->added = m->has_role = true;
        m->role = ROLE_SUPERVISOR;
        m->role_seq = e->seq;
    } else if ((!strcmp(e->action, "staff_add") || !strcmp(e->action, "staff_role")) && e->object_id[0] &&
               staff_role_parse(e->detail, &role)) {
        member *m = member_get(c, e->object_id);
        if (!m->added) m->added_seq = e->seq;
        m->added = m->has_role = true;
        m->role = role;
        m->role_seq = e->seq;
    } else if (!strcmp(e->action, "staff_lock") || !strcmp(e->action, "staff_unlock")) {
        member *m = member_get(c, e->object_id);
        m->locked = !strcmp(e->action, "staff_lock");
        m->lock_keyless = false;
        m->lock_seq = e->seq;
    } else if (!strcmp(e->action, "login_failed") && e->staff_id[0] && strstr(e->detail, "account locked")) {
        member *m = member_get(c, e->staff_id);
        if (!m->locked) m->lock_keyless = true; /* a supervisor's lock stays the signed one */
        m->locked = true;
        m->lock_seq = e->seq;
    } else if (!strcmp(e->action, "staff_kdf") && e->has_sig && e->object_id[0]) {
        member *m = member_get(c, e->object_id);
        snprintf(m->kdf, sizeof m->kdf, "%s", e->detail);
        m->kdf_seq = e->seq;
    } else if (!strcmp(e->action, "staff_remove")) {
        member *m = member_get(c, e->object_id);
        m->removed = true;
        m->remove_seq = e->seq;
        /* "left:<hex>" since the removal keeps it; an earlier removal's entry has no detail */
        m->has_left_pk = !strncmp(e->detail, "left:", 5) &&
                         hex_decode(e->detail + 5, strlen(e->detail + 5), m->left_pk, VAULT_PK_BYTES);
    }
    return 0;
}

/* A sign_key entry (signed; by e->staff_id). */
static int follow_key(verify_ctx *c, const audit_rec *e) {
    unsigned char pk[VAULT_SIGN_PK_BYTES], pop[VAULT_SIG_BYTES];
    if (!parse_key_detail(e->detail, pk, pop) || !vault_pop_ok(e->object_id, pk, pop))
        return problem(c, e->seq, "audit entry %lld introduces a signing key for %s without the member's proof that "
                                  "they hold it: a planted key", (long long)e->seq, e->object_id);
    member *target = member_get(c, e->object_id);
    bool self = !strcmp(e->staff_id, e->object_id);
    if (self) {
        /* trust on first use, for a member the trail added (or the first supervisor, at the very start) */
        if (!target->added && e->seq != 1)
            return problem(c, e->seq, "audit entry %lld introduces a key for %s, whom the trail never added: forged",
                           (long long)e->seq, e->object_id);
        if (target->has_pk && !vault_equal(target->pk, pk, sizeof pk))
            return problem(c, e->seq, "audit entry %lld: %s introduces a second key of their own: a planted key",
                           (long long)e->seq, e->object_id);
        /* only staff enrolled before signing started introduce their own key; later ones got it from a supervisor */
        if (e->seq != 1 && target->added && target->added_seq >= c->signed_from)
            return problem(c, e->seq, "audit entry %lld: %s introduces their own key, but was enrolled (entry %lld) after "
                                      "this database started signing (entry %lld): their key was deleted and planted again",
                           (long long)e->seq, who(c, e->object_id), (long long)target->added_seq, (long long)c->signed_from);
    } else {
        member *by = member_get(c, e->staff_id);
        if (!by->has_role || !role_may(by->role, ACT_STAFF_MANAGE)) /* the one permission table */
            return problem(c, e->seq, "audit entry %lld: %s, who may not manage staff in the trail, introduces a key for %s",
                           (long long)e->seq, e->staff_id, e->object_id);
    }
    if (target->has_pk && !vault_equal(target->pk, pk, sizeof pk) && !flush_member(c, target) && !c->every_sig)
        return 1; /* the old key's newest signature fails: the second pass names it */
    memcpy(target->pk, pk, sizeof pk);
    target->has_pk = true;
    target->key_seq = e->seq;
    /* kept: notes signed before a passphrase reset still verify under the key their author held then */
    target->keys = xrealloc(target->keys, sizeof *target->keys * (size_t)(target->nkeys + 1));
    memcpy(target->keys[target->nkeys++], pk, sizeof pk);
    return 0;
}

/* The actions a process without a login writes (session.c: failed and refused logins, a planted key found;
 * queues.c: a keyless tick's steps, with no staff id). */
static bool keyless_action(const audit_rec *e) {
    return !strcmp(e->action, "login_failed") || !strcmp(e->action, "login_refused") ||
           !strcmp(e->action, "tamper_detected") || (!strcmp(e->action, "queue") && !e->staff_id[0]);
}

static int check_signed(verify_ctx *c, const audit_rec *e) {
    audit_report *r = c->r;
    if (e->has_mac)
        return problem(c, e->seq, "audit entry %lld carries a keyed seal that signed entries never have: forged",
                       (long long)e->seq);
    if (!e->staff_id[0])
        return problem(c, e->seq, "audit entry %lld is signed but names no staff member: forged", (long long)e->seq);
    if (e->seq < c->signed_from)
        return problem(c, e->seq, "audit entry %lld is signed, but this database records that it started signing at entry "
                                  "%lld: the starting point was moved", (long long)e->seq, (long long)c->signed_from);
    /* the legacy part ends here; its unsealed tail (failed logins before the upgrade) is a run like any other:
     * this entry must witness it (below) */
    c->legacy_unsealed = 0;
    c->signing = true;
    if (!strcmp(e->action, ACT_WITNESS)) {
        long long a = 0, b = 0;
        if (!c->run_first || sscanf(e->detail, "entries %lld-%lld", &a, &b) != 2 || a != c->run_first || b != c->run_last)
            return problem(c, e->seq, "audit entry %lld witnesses %s, but the unsigned entries before it are %lld-%lld: "
                                      "entries were inserted, removed or stripped of their signatures",
                           (long long)e->seq, e->detail, (long long)c->run_first, (long long)c->run_last);
        note_run(c, false);
    } else if (c->run_first) {
        return problem(c, e->seq, "audit entries %lld-%lld have no signature and no witness (entry %lld is signed "
                                  "without witnessing them): their signatures were stripped or they were inserted",
                       (long long)c->run_first, (long long)c->run_last, (long long)e->seq);
    }
    if (!strcmp(e->action, ACT_SIGN_KEY) && follow_key(c, e)) return 1;
    if (!strcmp(e->action, "tamper_detected") && !strcmp(e->object_id, ACT_TRAIL))
        return problem(c, e->seq, "audit entry %lld records that the trail was tampered with before it: %s",
                       (long long)e->seq, e->detail);
    if (!strcmp(e->action, "tamper_detected")) {
        r->tamper_recorded++;
        r->tamper_newest_seq = e->seq;
        snprintf(r->tamper_newest, sizeof r->tamper_newest, "%.40s%s%.100s", e->object_id, e->object_id[0] ? ": " : "",
                 e->detail);
    }
    member *m = member_get(c, e->staff_id);
    if (!m->has_pk && !strcmp(e->action, ACT_WITNESS) && !c->await_seq) {
        /* checked when the next entry introduces the writer's own key */
        c->await_seq = e->seq;
        snprintf(c->await_id, sizeof c->await_id, "%s", e->staff_id);
        memcpy(c->await_hash, e->hash, sizeof c->await_hash);
        memcpy(c->await_sig, e->sig, sizeof c->await_sig);
        r->signed_entries++;
        c->last_signed_seq = e->seq;
        snprintf(c->last_signed_id, sizeof c->last_signed_id, "%s", e->staff_id);
        return 0;
    }
    if (!m->has_pk)
        return problem(c, e->seq, "audit entry %lld is signed as %s, who has no signing key in the trail: forged",
                       (long long)e->seq, e->staff_id);
    /* from the chained point on, the chain covers this signature from the next entry on: the key's newest vouches
     * for it (flush_member), as its writer's desk checked it before signing their next entry (audit_log) */
    bool newest_only = c->chained_newest && e->seq >= c->chained_from;
    if (!newest_only && c->defer) {
        if (!defer_sig(c, m->pk, e)) return 1;
    } else if (!newest_only && c->every_sig) {
        if (!entry_sig_ok(m->pk, e->hash, e->sig))
            return problem(c, e->seq, "audit entry %lld is not signed by %s, whose entry it claims to be: the trail was "
                                      "rewritten or re-signed from here", (long long)e->seq, who(c, e->staff_id));
    } else {
        m->pending = true;
        m->last_seq = e->seq;
        memcpy(m->last_hash, e->hash, sizeof m->last_hash);
        memcpy(m->last_sig, e->sig, sizeof m->last_sig);
    }
    r->signed_entries++;
    c->last_signed_seq = e->seq;
    snprintf(c->last_signed_id, sizeof c->last_signed_id, "%s", e->staff_id);
    return 0;
}

static int check_unsigned(verify_ctx *c, const audit_rec *e) {
    audit_report *r = c->r;
    if (!c->signing && e->seq < c->signed_from) { /* legacy: a keyed MAC, or none yet at the end of the legacy part */
        if (e->has_mac) {
            if (c->legacy_unsealed)
                return problem(c, e->seq - c->legacy_unsealed, "audit entry %lld lost its seal (a sealed entry follows it)",
                               (long long)(e->seq - c->legacy_unsealed));
            unsigned char mac[VAULT_MAC_BYTES];
            if (c->v) {
                vault_audit_mac(c->v, e->hash, mac);
                if (!vault_equal(mac, e->mac, sizeof mac))
                    return problem(c, e->seq, "audit entry %lld has a seal that does not match: the trail was rewritten",
                                   (long long)e->seq);
            }
            r->legacy++;
            return 0;
        }
        c->legacy_unsealed++;
    } else if (e->has_mac) {
        return problem(c, e->seq, "audit entry %lld is in the legacy format (a keyed seal, no signature), but this "
                                  "database signs every entry from entry %lld: the trail was rewritten",
                       (long long)e->seq, (long long)c->signed_from);
    } else if (!keyless_action(e)) {
        return problem(c, e->seq, "audit entry %lld (%s by %s) has no signature: only entries written without a login "
                                  "may lack one; its signature was stripped",
                       (long long)e->seq, e->action, who(c, e->staff_id));
    }
    r->unauthenticated++;
    if (!c->run_first) c->run_first = e->seq;
    c->run_last = e->seq;
    return 0;
}

/* The entry after an awaiting witness must be its writer's own key, and the witness signed with it. */
static int resolve_await(verify_ctx *c, const audit_rec *e) {
    member *w = member_get(c, c->await_id);
    bool ok = e->has_sig && !strcmp(e->action, ACT_SIGN_KEY) && !strcmp(e->staff_id, c->await_id) &&
              !strcmp(e->object_id, c->await_id) && w->has_pk && entry_sig_ok(w->pk, c->await_hash, c->await_sig);
    if (!ok)
        return problem(c, c->await_seq, "audit entry %lld is signed as %s, who has no signing key in the trail: forged",
                       (long long)c->await_seq, c->await_id);
    c->await_seq = 0;
    return 0;
}

/* Which permission (base/roles, the one table) each audited action was taken under, for the entries a role
 * raised in the file would let someone write. Actions not named here every role may take. */
static const struct {
    const char *action;
    staff_action needs;
} audited_acts[] = {
    {"staff_add", ACT_STAFF_MANAGE},     {"staff_role", ACT_STAFF_MANAGE},    {"staff_lock", ACT_STAFF_MANAGE},
    {"staff_unlock", ACT_STAFF_MANAGE},  {"staff_reset_passphrase", ACT_STAFF_MANAGE},
    {"staff_remove", ACT_STAFF_MANAGE},  {"rekey", ACT_KEY_MANAGE},           {"backup", ACT_BACKUP},
    {"verify", ACT_VERIFY},              {"roster_import", ACT_ROSTER_MANAGE}, {"counselor_add", ACT_ROSTER_MANAGE},
    {"counselor_edit", ACT_ROSTER_MANAGE}, {"export", ACT_EXPORT},            {"client_erase", ACT_CLIENT_ERASE},
    {"retention", ACT_CLIENT_ERASE},     {"tamper_resolved", ACT_TAMPERED_ACT}, {"report", ACT_REPORT},
    {"row_erased", ACT_CLIENT_ERASE}, /* a row an erasure removed: reception named a deleted RED intake so (attacker 16) */
    {"outcome", ACT_OUTCOME_RECORD},    {"clinical_key", ACT_NOTES_OF_OTHERS}, /* only a holder makes or rotates it */
    {"restore", ACT_RESTORE}, /* a restore entry by anyone else passed an older copy off as restored (tenth attacker) */
    {"restored_over", ACT_RESTORE},
};

/* The least role the table lets take an audited action: -1 for actions every role may take. */
static int role_needed(const char *action) {
    for (size_t i = 0; i < sizeof audited_acts / sizeof *audited_acts; i++)
        if (!strcmp(audited_acts[i].action, action)) return (int)role_least(audited_acts[i].needs);
    return -1;
}

/* An entry whose action its writer's role (as the trail set it) does not allow: the role was raised in the
 * staff table, used, and perhaps put back. */
static int check_role(verify_ctx *c, const audit_rec *e) {
    int need = role_needed(e->action);
    if (need >= 0 && !e->staff_id[0] && (!strcmp(e->action, "restore") || !strcmp(e->action, "restored_over")))
        return problem(c, e->seq, "audit entry %lld: a %s entry with no writer: forged (a restore is a supervisor's)",
                       (long long)e->seq, e->action);
    if (need < 0 || !e->staff_id[0]) return 0;
    member *m = member_get(c, e->staff_id);
    if (!m->has_role || (int)m->role >= need) return 0;
    return problem(c, e->seq, "audit entry %lld: %s did %s, which needs a %s, but the trail made them a %s (entry %lld): "
                              "their role was raised in the staff table",
                   (long long)e->seq, who(c, e->staff_id), e->action, staff_role_name((staff_role)need), staff_role_name(m->role),
                   (long long)m->role_seq);
}

/* A signed box_key entry: the member's X25519 public key, given by someone the trail lets manage staff (at
 * enrolment or a passphrase reset) or pinned by the member's own login while the trail had none for them (a
 * database from before the entries: the login proved the secret matches the staff table's key). */
static int follow_box(verify_ctx *c, const audit_rec *e) {
    unsigned char pk[VAULT_PK_BYTES];
    size_t tl = sizeof BOX_TAG - 1;
    if (!e->object_id[0] || strncmp(e->detail, BOX_TAG, tl) != 0 || strlen(e->detail + tl) != 2 * VAULT_PK_BYTES ||
        !hex_decode(e->detail + tl, 2 * VAULT_PK_BYTES, pk, sizeof pk))
        return problem(c, e->seq, "audit entry %lld records a public key that cannot be read: forged", (long long)e->seq);
    member *target = member_get(c, e->object_id);
    if (!strcmp(e->staff_id, e->object_id)) {
        if (target->has_box && !vault_equal(target->box_pk, pk, sizeof pk))
            return problem(c, e->seq, "audit entry %lld: %s pins a second public key of their own (the trail gave them one "
                                      "in entry %lld): a planted key", (long long)e->seq, who(c, e->object_id),
                           (long long)target->box_seq);
    } else {
        member *by = member_get(c, e->staff_id);
        if (!by->has_role || !role_may(by->role, ACT_STAFF_MANAGE))
            return problem(c, e->seq, "audit entry %lld: %s, who may not manage staff in the trail, gives %s a public key: "
                                      "a planted key", (long long)e->seq, who(c, e->staff_id), who(c, e->object_id));
    }
    memcpy(target->box_pk, pk, sizeof pk);
    target->has_box = true;
    target->box_seq = e->seq;
    return 0;
}

/* A clinical_key entry (it pins the clinical public key) by a member the trail had locked or removed: no such
 * member can log in, so it was written with the file (their key swapped in meta, or their own kept). */
static int check_clinical_writer(verify_ctx *c, const audit_rec *e) {
    member *m = member_get(c, e->staff_id);
    if (!m->locked && !m->removed) return 0;
    return problem(c, e->seq, "audit entry %lld: %s made a clinical key, but the trail had %s them (entry %lld): forged",
                   (long long)e->seq, who(c, e->staff_id), m->removed ? "removed" : "locked",
                   (long long)(m->removed ? m->remove_seq : m->lock_seq));
}

/* A signed staff_kdf entry: the member's own (init, a passphrase change) or written by someone the trail lets
 * manage staff (enrolment, reset). From anyone else it is forged: a reception login once signed one for a
 * clinician naming 1 GiB, which verify accepted and her every login then paid for (seventh outside attacker). */
static int check_kdf_writer(verify_ctx *c, const audit_rec *e) {
    if (!e->object_id[0] || !strcmp(e->staff_id, e->object_id)) return 0;
    /* (a writer the trail had locked or removed: check_shut_out, before this) */
    member *by = member_get(c, e->staff_id);
    if (by->has_role && role_may(by->role, ACT_STAFF_MANAGE)) return 0;
    return problem(c, e->seq, "audit entry %lld: %s, who may not manage staff in the trail, records key derivation "
                              "parameters for %s: forged", (long long)e->seq, who(c, e->staff_id), who(c, e->object_id));
}

/* The `init` entry makes its writer a supervisor: the database is created once, by its first entry after the
 * writer's key, before anyone is added. A second one, signed with a reception login's own key, once made that
 * receptionist a supervisor in the trail, handed the clinical key at the next rotation, and verify said sound
 * (eighth outside attacker, attack_init). */
static int check_init(verify_ctx *c, const audit_rec *e) {
    if (c->init_seq)
        return problem(c, e->seq, "audit entry %lld: %s writes a second `init` (the database was created by entry %lld): "
                                  "forged, to make its writer a supervisor", (long long)e->seq, who(c, e->staff_id),
                       (long long)c->init_seq);
    for (int i = 0; i < c->nm; i++)
        if (c->m[i].added)
            return problem(c, e->seq, "audit entry %lld: %s writes `init` after staff were added (entry %lld): forged, to "
                                      "make its writer a supervisor", (long long)e->seq, who(c, e->staff_id),
                           (long long)c->m[i].added_seq);
    c->init_seq = e->seq;
    return 0;
}

/* The entries that say who holds what (roles, locks, members, keys, key derivation, the clinical key, a rekey). */
static bool hands_out(const char *action) {
    static const char *const acts[] = {"staff_add", "staff_role", "staff_lock", "staff_unlock", "staff_reset_passphrase",
                                       "staff_remove", "staff_kdf", "rekey", "clinical_key", ACT_BOX_KEY, ACT_SIGN_KEY};
    for (size_t i = 0; i < sizeof acts / sizeof *acts; i++)
        if (!strcmp(action, acts[i])) return true;
    return false;
}

/* Such an entry signed by a member the trail had locked or removed at that point: no such member logs in, so it
 * was written with the file and a key kept from before (ninth outside attacker: a removed supervisor made a
 * receptionist a supervisor, a locked one unlocked himself or planted 1 GiB parameters for a clinician, and
 * verify said sound, since it asked only the writer's role). */
static int check_shut_out(verify_ctx *c, const audit_rec *e) {
    if (!e->has_sig || !e->staff_id[0] || !hands_out(e->action)) return 0;
    member *m = member_get(c, e->staff_id);
    /* a lock by failed logins does not count here: anyone at a login screen can cause one, and a supervisor's
     * desk still open would then make the whole trail unsound (every handout and note refused) */
    if ((!m->locked || m->lock_keyless) && !m->removed) return 0;
    return problem(c, e->seq, "audit entry %lld: %s did %s, but the trail had %s them (entry %lld): forged",
                   (long long)e->seq, who(c, e->staff_id), e->action, m->removed ? "removed" : "locked",
                   (long long)(m->removed ? m->remove_seq : m->lock_seq));
}

static int check_entry(void *vctx, const audit_rec *e) {
    verify_ctx *c = vctx;
    audit_report *r = c->r;
    unsigned char h[VAULT_MAC_BYTES];
    r->entries++;
    if (e->seq != c->expect)
        return problem(c, c->expect, "audit entry %lld is missing (found %lld next): entries were deleted",
                       (long long)c->expect, (long long)e->seq);
    bool chained = e->seq >= c->chained_from;
    member *own_of = e->has_sig && e->staff_id[0] ? member_get(c, e->staff_id) : NULL; /* used before any other get */
    c->prev.has_own = own_of && own_of->has_own;
    if (c->prev.has_own) memcpy(c->prev.own_hash, own_of->own_hash, sizeof c->prev.own_hash);
    entry_hash(&c->prev, chained, e->has_sig, e, h);
    if (own_of) { /* the next signed entry of theirs follows from this one, whatever else is wrong with it */
        memcpy(own_of->own_hash, e->hash, sizeof own_of->own_hash);
        own_of->has_own = true;
    }
    if (!vault_equal(h, e->hash, sizeof h) && chained && !e->has_sig && e->staff_id[0]) {
        /* a signed entry's hash covers its writer's previous one: without its signature it no longer follows, and
         * the hash says what it was */
        const member *w = member_get(c, e->staff_id);
        audit_link as_signed = c->prev;
        as_signed.has_own = w->has_own;
        if (w->has_own) memcpy(as_signed.own_hash, w->own_hash, sizeof as_signed.own_hash);
        entry_hash(&as_signed, true, true, e, h);
        if (vault_equal(h, e->hash, sizeof h) && e->has_mac && e->seq >= c->signed_from)
            return problem(c, e->seq, "audit entry %lld is in the legacy format (a keyed seal, no signature), but this "
                                      "database signs every entry from entry %lld: the trail was rewritten",
                           (long long)e->seq, (long long)c->signed_from);
        if (vault_equal(h, e->hash, sizeof h))
            return problem(c, e->seq, "audit entry %lld (%s by %s) has no signature, but it was written signed: its "
                                      "signature was stripped", (long long)e->seq, e->action, who(c, e->staff_id));
        entry_hash(&c->prev, chained, e->has_sig, e, h);
    }
    if (!vault_equal(h, e->hash, sizeof h)) {
        /* the signature before it is in this hash: when it is not its writer's, that entry is the one named */
        const member *pw = chained && c->prev.has_sig ? member_get(c, c->prev_staff) : NULL;
        if (pw && pw->has_pk && !entry_sig_ok(pw->pk, c->prev.hash, c->prev.sig))
            return problem(c, e->seq - 1, "audit entry %lld is not signed by %s, whose entry it claims to be: the trail "
                                          "was rewritten or re-signed from here", (long long)e->seq - 1,
                           who(c, c->prev_staff));
        if (chained && e->seq > 1)
            return problem(c, e->seq, "audit entry %lld does not follow from the one before: it, entry %lld's "
                                      "signature or an earlier entry of its writer's was edited, or entries were "
                                      "reordered, inserted or hidden while it was written",
                           (long long)e->seq, (long long)e->seq - 1);
        return problem(c, e->seq, "audit entry %lld does not follow from the one before: it was edited, reordered or inserted",
                       (long long)e->seq);
    }
    if (e->seq > 1 && e->at < c->last_at) {
        if (!r->backwards) r->first_backwards = e->seq;
        r->backwards++;
    }
    c->last_at = e->at;
    if (e->seq == c->head_seq) {
        memcpy(c->head_hash_seen, e->hash, sizeof h);
        c->head_found = true;
    }
    if (e->has_sig ? check_signed(c, e) : check_unsigned(c, e)) return 1;
    if (c->sig_failed && !c->every_sig) return 1;
    if (c->await_seq && e->seq == c->await_seq + 1 && resolve_await(c, e)) return 1;
    if (check_role(c, e)) return 1;
    if (check_shut_out(c, e)) return 1;
    if (!strcmp(e->action, "init") && check_init(c, e)) return 1;
    if (e->has_sig && !strcmp(e->action, "clinical_key") && check_clinical_writer(c, e)) return 1;
    if (e->has_sig && !strcmp(e->action, ACT_BOX_KEY) && follow_box(c, e)) return 1;
    if (e->has_sig && !strcmp(e->action, "staff_kdf") && check_kdf_writer(c, e)) return 1;
    if (e->has_sig && !strcmp(e->action, "clinical_key")) {
        member *writer = member_get(c, e->staff_id);
        if (writer) writer->clinical_seq = e->seq;
        r->clinical_seq = e->seq;
        snprintf(r->clinical_detail, sizeof r->clinical_detail, "%s", e->detail);
    }
    const char *counted = e->has_sig && !strcmp(e->action, "restore") ? strstr(e->detail, "(restore ") : NULL;
    long long generation = 0;
    if (counted && sscanf(counted, "(restore %lld", &generation) == 1) { /* its role was checked above */
        r->restore_seq = e->seq;
        r->restore_generation = generation;
    }
    follow_staff(c, e);
    link_of(e, &c->prev);
    snprintf(c->prev_staff, sizeof c->prev_staff, "%s", e->staff_id);
    c->expect++;
    return 0;
}

/* meta audit_head: seq, hash, signature, signer. */
static bool read_head(database *db, int64_t *seq, unsigned char hash[VAULT_MAC_BYTES], unsigned char sig[VAULT_SIG_BYTES],
                      char id[STORE_ID_LEN], bool *present) {
    blob b = {0};
    *present = db->ops->meta_get(db->st, META_HEAD, &b) == ST_OK;
    bool ok = *present && b.n > 8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES && b.n < 8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES + STORE_ID_LEN;
    if (ok) {
        uint64_t s = 0;
        for (int i = 7; i >= 0; i--) s = s << 8 | b.p[i];
        *seq = (int64_t)s;
        memcpy(hash, b.p + 8, VAULT_MAC_BYTES);
        memcpy(sig, b.p + 8 + VAULT_MAC_BYTES, VAULT_SIG_BYTES);
        size_t idlen = b.n - 8 - VAULT_MAC_BYTES - VAULT_SIG_BYTES;
        memcpy(id, b.p + 8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES, idlen);
        id[idlen] = '\0';
    }
    blob_free(&b);
    return ok;
}

static bool check_head(verify_ctx *c, database *db) {
    audit_report *r = c->r;
    int64_t seq = 0;
    unsigned char hash[VAULT_MAC_BYTES], sig[VAULT_SIG_BYTES];
    char id[STORE_ID_LEN];
    bool present;
    bool ok = read_head(db, &seq, hash, sig, id, &present);
    if (!c->signing) return true; /* nothing signed yet (upgraded, no login since): no head yet */
    if (!present) return !problem(c, 0, "the signed head of the audit trail is missing: entries were removed from its end");
    if (!ok) return !problem(c, 0, "the signed head of the audit trail is damaged");
    if (seq > r->entries)
        return !problem(c, r->entries + 1, "the audit trail was truncated: its signed head is entry %lld, but it ends at "
                                           "entry %lld", (long long)seq, (long long)r->entries);
    if (!c->head_found || !vault_equal(hash, c->head_hash_seen, sizeof hash))
        return !problem(c, seq, "audit entry %lld is not the one the signed head names: the trail was rewritten",
                        (long long)seq);
    if (seq != c->last_signed_seq)
        return !problem(c, c->last_signed_seq, "the signed head (entry %lld) is not the last signed entry (%lld): the "
                        "head was put back or entries were added", (long long)seq, (long long)c->last_signed_seq);
    member *by = member_get(c, id);
    if (strcmp(id, c->last_signed_id) != 0 || !by->has_pk || !head_sig_ok(by->pk, seq, hash, c->signed_from, sig))
        return !problem(c, seq, "the head of the audit trail is not signed by %s, its writer: forged", id);
    return true;
}

/* Every row whose public key is not the one the trail gave its member, named in one message (a key swapped in
 * the file gets whatever is sealed to it next); the members the trail gives no key yet are counted. */
static bool check_box_keys(verify_ctx *c, const staff_rec *list, int n) {
    char names[400] = "";
    int64_t first = 0;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        member *m = member_get(c, list[i].id);
        if (m->removed || !m->added) continue;
        if (!m->has_box) {
            c->r->unpinned++;
            size_t u = strlen(c->r->unpinned_names);
            if (u + strlen(list[i].name) + 8 < sizeof c->r->unpinned_names)
                snprintf(c->r->unpinned_names + u, sizeof c->r->unpinned_names - u, "%s`%s`", u ? ", " : "", list[i].name);
            continue;
        }
        if (vault_equal(m->box_pk, list[i].keys.public_key, VAULT_PK_BYTES)) continue;
        size_t used = strlen(names);
        if (used + strlen(list[i].name) + 32 < sizeof names)
            snprintf(names + used, sizeof names - used, "%s`%s` (entry %lld)", used ? ", " : "", list[i].name,
                     (long long)m->box_seq);
        if (!bad++) first = m->box_seq;
    }
    if (!bad) return true;
    if (bad == 1) { /* "`bob` (entry N)": the entry after the sentence, as a sealing to one member says it */
        char *cut = strstr(names, " (entry ");
        if (cut) *cut = '\0';
        return !problem(c, first, "the public key of %s in the staff table is not the one the signed audit trail gave "
                                  "(entry %lld): swapped in the file (whatever is sealed to it goes to someone else)",
                        names, (long long)first);
    }
    return !problem(c, first, "the public keys of %s in the staff table are not the ones the signed audit trail gave "
                              "them: swapped in the file (whatever is sealed to them goes to someone else)", names);
}

/* The staff table as the trail left it: every member added, none removed, roles and locks the same. */
static bool check_staff(verify_ctx *c, database *db) {
    staff_rec *list = NULL;
    int n = 0;
    if (db->ops->staff_list(db->st, &list, &n) != ST_OK) {
        free(list);
        return !problem(c, 0, "cannot read the staff table");
    }
    bool ok = check_box_keys(c, list, n);
    char kdf[AUDIT_KDF_DETAIL_LEN];
    for (int i = 0; ok && i < n; i++) {
        member *m = member_get(c, list[i].id);
        if (!m->added)
            ok = !problem(c, 0, "staff `%s` is in the staff table, but no audit entry added them: inserted in the file",
                          list[i].name);
        else if (m->removed && !list[i].locked)
            ok = !problem(c, m->remove_seq, "staff `%s` was removed (audit entry %lld) but is unlocked in the staff "
                          "table: the file was edited", list[i].name, (long long)m->remove_seq);
        else if (m->removed && m->has_left_pk && memcmp(m->left_pk, list[i].keys.public_key, VAULT_PK_BYTES) != 0)
            ok = !problem(c, m->remove_seq, "staff `%s` was removed (audit entry %lld) but their row holds other keys "
                          "than the removal left: the file was edited", list[i].name, (long long)m->remove_seq);
        else if (m->removed)
            continue; /* the row stays for the records that name them; nothing in it opens */
        else if (m->has_role && m->role != list[i].role)
            ok = !problem(c, m->role_seq, "staff `%s` is a %s in the staff table, but the audit trail made them a %s "
                          "(entry %lld): the staff table was edited", list[i].name, staff_role_name(list[i].role),
                          staff_role_name(m->role), (long long)m->role_seq);
        else if (m->kdf[0] && (audit_kdf_detail(&list[i].keys.kdf, kdf), strcmp(kdf, m->kdf) != 0))
            ok = !problem(c, m->kdf_seq, "the key derivation parameters of `%s` in the staff table (%s) are not the ones "
                          "audit entry %lld recorded (%s): the staff table was edited", list[i].name, kdf,
                          (long long)m->kdf_seq, m->kdf);
        else if (m->locked && !list[i].locked)
            ok = !problem(c, m->lock_seq, "the lock of `%s` (audit entry %lld) was cleared in the staff table",
                          list[i].name, (long long)m->lock_seq);
        else if (!m->locked && list[i].locked)
            ok = !problem(c, m->lock_seq, "`%s` is locked in the staff table, but the signed audit trail never locked them "
                          "(%s): the lock was set in the file", list[i].name,
                          m->lock_seq ? "its newest lock entry is an unlock" : "no lock entry");
    }
    free(list);
    return ok;
}

/* audit_facts_of's walk (every signature checked at once): an entry with a problem is passed over and the walk
 * goes on, so that one bad entry (a raised role used once, an edit) does not hide every later supervisor's act
 * from those who hand out the clinical key. What the failed check had already changed is put back. */
static int check_entry_tolerant(void *vctx, const audit_rec *e) {
    verify_ctx *c = vctx;
    member saved;
    bool intro = !strcmp(e->action, ACT_SIGN_KEY) && e->object_id[0];
    if (intro) saved = *member_get(c, e->object_id);
    if (!check_entry(c, e)) return 0;
    if (!c->first_problem[0]) {
        snprintf(c->first_problem, sizeof c->first_problem, "%s", c->r->problem);
        c->first_bad = c->r->bad_seq;
    }
    if (intro) {
        member *m = member_get(c, e->object_id);
        unsigned char (*keys)[VAULT_SIGN_PK_BYTES] = m->keys;
        *m = saved;
        m->keys = keys; /* the list may have moved; the count put back drops a key the entry added */
    }
    /* a lock or a removal is kept even from an entry that does not check: passing it over is what let a flipped
     * signature byte open a locked or removed account (issue 12, the sixth outside attacker); keeping it can only
     * refuse more (a lock anyone with the file could set in the staff table too) */
    if (!strcmp(e->action, "staff_lock") || !strcmp(e->action, "staff_remove")) follow_staff(c, e);
    c->failed = c->sig_failed = false;
    c->run_first = c->run_last = 0;
    c->await_seq = 0;
    link_of(e, &c->prev);
    snprintf(c->prev_staff, sizeof c->prev_staff, "%s", e->staff_id);
    c->expect = e->seq + 1;
    return 0;
}

/* The end of a walk (a whole one, or one resumed by audit_facts_of): a witness still waiting for its writer's key,
 * and the pending check of each member's newest signature. */
static bool walk_end(verify_ctx *c) {
    if (!c->failed && c->await_seq)
        problem(c, c->await_seq, "audit entry %lld is signed as %s, who has no signing key in the trail: forged",
                (long long)c->await_seq, c->await_id);
    for (int i = 0; !c->failed && i < c->nm; i++) flush_member(c, &c->m[i]);
    return !c->failed && !c->sig_failed;
}

/* every_sig: each signature checked (gathered in batches unless tolerant); chained_newest: except, from the chained
 * point on, where each key's newest vouches for the rest (verify's first pass). */
static bool walk(database *db, const vault *v, audit_report *r, bool every_sig, bool tolerant, bool chained_newest,
                 verify_ctx *c) {
    memset(r, 0, sizeof *r);
    memset(c, 0, sizeof *c);
    c->tolerant = tolerant;
    c->chained_newest = chained_newest && every_sig && !tolerant;
    c->v = v;
    c->r = r;
    c->every_sig = every_sig;
    c->defer = every_sig && !tolerant;
    c->expect = 1;
    unsigned char hash[VAULT_MAC_BYTES], sig[VAULT_SIG_BYTES];
    char id[STORE_ID_LEN];
    bool present;
    if (db->ops->staff_list(db->st, &c->staff, &c->nstaff) != ST_OK) c->nstaff = 0;
    c->head_seq = -1;
    if (!read_head(db, &c->head_seq, hash, sig, id, &present)) c->head_seq = -1;
    if (!meta_int(db, META_SIGNED_FROM, &c->signed_from))
        return !problem(c, 0, "the point where this database started signing its audit trail (meta %s) is missing: "
                              "it was deleted to pass a rewritten trail off as one from before signatures",
                        META_SIGNED_FROM);
    if (!meta_int(db, META_CHAINED_FROM, &c->chained_from))
        return !problem(c, 0, "the point from which this database's audit chain covers signatures (meta %s) is missing: "
                              "it was deleted", META_CHAINED_FROM);
    if (tolerant) c->every_sig = true;
    store_status st = db->ops->audit_each(db->st, tolerant ? check_entry_tolerant : check_entry, c);
    if (st != ST_OK && !c->failed && !c->sig_failed) {
        error err = {0};
        db_error(db, st, "cannot read the audit trail", &err);
        snprintf(r->problem, sizeof r->problem, "%.399s", err.msg); /* cut where the old 400-byte buffer cut it */
        c->failed = true;
    }
    if (c->defer) (void)flush_sigs(c); /* a failure among them was before where the walk stopped */
    jobs_free(c);
    return walk_end(c);
}

bool audit_verify(database *db, const vault *v, audit_report *r) {
    verify_ctx c;
    /* Before the chained point EVERY signature is checked (issue 12, the sixth outside attacker): a signature was
     * not in its entry's chain hash there, so a byte flipped in an old entry's signature (to make the facts walk
     * pass the entry over) and put back later left the chain whole. From the chained point on, the chain covers
     * each signature, so each key's newest vouches for the rest: a million entries verify in about a second. */
    bool ok = walk(db, v, r, true, false, true, &c);
    if (!ok && !c.failed && c.sig_failed) {
        /* a key's newest signature fails: every signature is checked, to name the first that does */
        members_free(&c);
        free(c.staff);
        ok = walk(db, v, r, true, false, false, &c);
        if (ok) ok = !problem(&c, 0, "an audit signature does not verify");
    }
    if (ok) note_run(&c, true);
    if (ok) ok = check_head(&c, db);
    if (ok && c.signing) {
        unsigned char mine[VAULT_SIGN_PK_BYTES];
        bool found = false;
        if (vault_signer_pk(v, mine)) {
            for (int i = 0; i < c.nm && !found; i++) found = c.m[i].has_pk && vault_equal(c.m[i].pk, mine, sizeof mine);
            if (!found) ok = !problem(&c, 0, "your own signing key is not in the audit trail: the trail was replaced");
        }
    }
    for (int i = 0; ok && i < c.nm; i++)
        if (c.m[i].has_pk && !audit_key_known(db, c.m[i].id, c.m[i].pk))
            ok = !problem(&c, c.m[i].key_seq, "the signing key of %s that audit entry %lld introduced is not recorded "
                                              "(meta %s%s): deleted or changed in the file",
                          who(&c, c.m[i].id), (long long)c.m[i].key_seq, META_KEY_PREFIX, c.m[i].id);
    if (ok) ok = check_staff(&c, db);
    members_free(&c);
    free(c.staff);
    return ok;
}

/* ---- checkpoints ---- */

bool audit_checkpoint(database *db, int64_t *seq, char hex[2 * VAULT_MAC_BYTES + 1], error *err) {
    audit_rec last;
    store_status st = db->ops->audit_last(db->st, &last);
    if (st != ST_OK) {
        db_error(db, st, st == ST_NOTFOUND ? "the audit trail is empty" : "cannot read the audit trail", err);
        return false;
    }
    *seq = last.seq;
    hex_encode(last.hash, sizeof last.hash, hex);
    return true;
}

typedef struct {
    int64_t seq;
    const char *hex;
    bool found, match;
} point_ctx;

static int find_point(void *vctx, const audit_rec *e) {
    point_ctx *c = vctx;
    if (e->seq != c->seq) return 0;
    char hex[2 * VAULT_MAC_BYTES + 1];
    hex_encode(e->hash, sizeof e->hash, hex);
    c->found = true;
    c->match = strcmp(hex, c->hex) == 0;
    return 1;
}

bool audit_check_checkpoint(database *db, int64_t seq, const char *hex, error *err) {
    point_ctx c = {seq, hex, false, false};
    store_status st = db->ops->audit_each(db->st, find_point, &c);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the audit trail", err);
        return false;
    }
    if (!c.found) error_set(err, ERR_TAMPERED, "audit entry %lld is gone: the trail was truncated", (long long)seq);
    else if (!c.match) error_set(err, ERR_TAMPERED, "audit entry %lld differs from the checkpoint: the trail was rewritten", (long long)seq);
    return c.found && c.match;
}

/* ---- what the signed trail says of each member (audit.h) ---- */

/* The facts of the trail up to entry seq (whose hash is hash), and, when the walk that found them ended sound
 * (resumable), the walk's own state there (c, r: members, their keys, the pending signatures checked, the chain's
 * last hash), so that entries appended later are checked and folded in without walking the rest again. */
static struct {
    const database *db;
    int64_t seq;
    unsigned char hash[VAULT_MAC_BYTES];
    bool valid;
    bool resumable;
    int64_t signed_from; /* meta audit_signed_from when c was walked: the checks depend on it */
    int64_t chained_from; /* and meta audit_chained_from */
    verify_ctx c;
    audit_report r;
    audit_facts f;
    int64_t walked; /* entries the last call read (audit_facts_walked) */
} facts_cache;

static void facts_free(audit_facts *f) {
    for (int i = 0; i < f->n; i++) free(f->m[i].keys);
    free(f->m);
    memset(f, 0, sizeof *f);
}

/* The kept walk state dropped (its members and their keys). */
static void facts_state_free(void) {
    members_free(&facts_cache.c);
    free(facts_cache.c.staff);
    memset(&facts_cache.c, 0, sizeof facts_cache.c);
    facts_cache.resumable = false;
}

/* f from a finished walk's members (their key lists copied: the walk's state may be kept to resume). */
static void facts_build(const verify_ctx *c, const audit_report *r, bool complete, audit_facts *f) {
    f->m = xrealloc(NULL, sizeof *f->m * (size_t)(c->nm ? c->nm : 1));
    f->n = c->nm;
    for (int i = 0; i < c->nm; i++) {
        const member *m = &c->m[i];
        audit_member_facts *o = &f->m[i];
        memset(o, 0, sizeof *o);
        snprintf(o->id, sizeof o->id, "%s", m->id);
        o->added = m->added;
        o->removed = m->removed;
        o->locked = m->locked;
        o->lock_keyless = m->lock_keyless;
        o->has_role = m->has_role;
        o->role = m->role;
        o->nkeys = m->nkeys;
        o->keys = xrealloc(NULL, sizeof *o->keys * (size_t)(m->nkeys ? m->nkeys : 1));
        if (m->nkeys) memcpy(o->keys, m->keys, sizeof *o->keys * (size_t)m->nkeys);
        o->has_box = m->has_box;
        memcpy(o->box_pk, m->box_pk, sizeof o->box_pk);
        o->box_seq = m->box_seq;
        o->kdf_seq = m->kdf_seq;
        o->clinical_seq = m->clinical_seq;
    }
    f->complete = complete;
    snprintf(f->problem, sizeof f->problem, "%s", complete ? "" : r->problem);
    f->clinical_seq = r->clinical_seq;
    snprintf(f->clinical_detail, sizeof f->clinical_detail, "%s", r->clinical_detail);
    f->restore_seq = r->restore_seq;
    f->restore_generation = r->restore_generation;
}

/* The whole trail walked again: the cheap walk first (the newest signature of each key); on a problem, every
 * signature, so that the facts kept are those of the entries that check (the tolerant walk). Only a sound walk's
 * state is kept to resume: the facts of a trail with a problem are found by walking it whole each time it grows,
 * exactly as verify would. */
static void facts_walk_whole(database *db) {
    audit_report *r = &facts_cache.r;
    verify_ctx *c = &facts_cache.c;
    bool complete = walk(db, NULL, r, false, false, false, c);
    /* the signed head too, as verify checks it: entries cut from the end (a demotion and its rotation) with the
     * head left as it was once passed here, and a desk left open sealed a note to the kept key the cut brought
     * back (ninth outside attacker, attack_window_full) */
    char head_problem[512] = "";
    if (complete && !check_head(c, db)) {
        complete = false;
        snprintf(head_problem, sizeof head_problem, "%s", r->problem);
    }
    if (!complete) {
        members_free(c);
        free(c->staff);
        c->staff = NULL;
        (void)walk(db, NULL, r, true, true, false, c);
        snprintf(r->problem, sizeof r->problem, "%s",
                 c->first_problem[0] ? c->first_problem : head_problem[0] ? head_problem : "an audit signature does not verify");
        r->bad_seq = c->first_bad;
    }
    facts_cache.walked += r->entries;
    facts_build(c, r, complete, &facts_cache.f);
    /* the names were for the messages of this walk; a resumed one that finds a problem walks whole again */
    free(c->staff);
    c->staff = NULL;
    c->nstaff = 0;
    facts_cache.signed_from = c->signed_from;
    facts_cache.chained_from = c->chained_from;
    if (complete) facts_cache.resumable = true;
    else facts_state_free();
}

typedef struct {
    verify_ctx *c;
    int64_t at_seq; /* the entry the kept state ends at (0: the trail was empty) */
    const unsigned char *at_hash;
    bool anchored;  /* that entry was seen, with the kept hash */
    int64_t read;
} resume_ctx;

/* The first entry read is the one the kept state ends at: it must still have the kept hash (else the trail was
 * rewritten behind it, and the caller walks whole). Every later one is checked as a whole walk checks it. */
static int resume_entry(void *vctx, const audit_rec *e) {
    resume_ctx *rc = vctx;
    rc->read++;
    if (!rc->anchored) {
        rc->anchored = e->seq == rc->at_seq && vault_equal(e->hash, rc->at_hash, VAULT_MAC_BYTES);
        return rc->anchored ? 0 : 1;
    }
    return check_entry(rc->c, e);
}

/* The kept walk state carried on over the entries after it. False (the state spoilt: the caller walks whole) when
 * the entry it ended at is gone or changed, the starting point of signing moved, or a new entry has a problem:
 * whatever the whole walk then says stands. */
static bool facts_resume(database *db) {
    verify_ctx *c = &facts_cache.c;
    int64_t from = 0;
    if (!meta_int(db, META_SIGNED_FROM, &from) || from != facts_cache.signed_from) return false;
    if (!meta_int(db, META_CHAINED_FROM, &from) || from != facts_cache.chained_from) return false;
    /* the signed head as it is now (check_head below): found by the entries read, or the one the state ends at */
    unsigned char head_hash[VAULT_MAC_BYTES], head_sig[VAULT_SIG_BYTES];
    char head_id[STORE_ID_LEN];
    bool head_present;
    int64_t was_seq = c->head_seq;
    bool was_found = c->head_found;
    if (!read_head(db, &c->head_seq, head_hash, head_sig, head_id, &head_present)) c->head_seq = -1;
    if (c->head_seq == was_seq && was_found) {
        /* the same head as the kept walk found (only unsigned entries since): its hash as seen then */
    } else if (c->head_seq == facts_cache.seq && facts_cache.seq > 0) {
        c->head_found = true;
        memcpy(c->head_hash_seen, facts_cache.hash, sizeof c->head_hash_seen);
    } else {
        c->head_found = false; /* found among the entries read, or check_head says what is wrong */
    }
    resume_ctx rc = {c, facts_cache.seq, facts_cache.hash, facts_cache.seq == 0, 0};
    store_status st = db->ops->audit_each_from(db->st, facts_cache.seq > 0 ? facts_cache.seq - 1 : 0, resume_entry, &rc);
    facts_cache.walked += rc.read;
    if (st != ST_OK || !rc.anchored || c->failed || c->sig_failed || !walk_end(c) || !check_head(c, db)) return false;
    facts_build(c, &facts_cache.r, true, &facts_cache.f);
    return true;
}

static const audit_facts *facts_of_snapshot(database *db);

/* The facts read from one snapshot of the trail: the entries, the signed head and audit_last by separate
 * statements saw different states under writing desks (a head a moment newer than the entries read refused about
 * one save in ten under eight desks: faults/load), so outside a transaction they are read inside a read
 * transaction. Inside the caller's transaction (a write holds the lock, a read its snapshot) they already are. */
const audit_facts *audit_facts_of(database *db) {
    bool own = !db->ops->in_transaction(db->st) && db->ops->read_begin(db->st) == ST_OK;
    const audit_facts *f = facts_of_snapshot(db);
    if (own) (void)db->ops->read_end(db->st);
    return f;
}

static const audit_facts *facts_of_snapshot(database *db) {
    audit_rec last;
    store_status st = db->ops->audit_last(db->st, &last);
    if (st != ST_OK && st != ST_NOTFOUND) return NULL;
    if (st == ST_NOTFOUND) memset(&last, 0, sizeof last);
    facts_cache.walked = 0;
    if (facts_cache.valid && facts_cache.db == db && facts_cache.seq == last.seq &&
        vault_equal(facts_cache.hash, last.hash, sizeof last.hash))
        return &facts_cache.f;
    facts_free(&facts_cache.f);
    facts_cache.valid = false;
    /* the trail grew since the facts were found (a note sealed, a login): only the new entries are read; the
     * kept state is the content's (the chain's hash where it ends), not the database handle's */
    bool resumed = facts_cache.resumable && last.seq > facts_cache.seq && facts_resume(db);
    if (!resumed) {
        facts_state_free();
        facts_walk_whole(db);
    }
    facts_cache.db = db;
    if (facts_cache.resumable) {
        /* where the walk ended (another desk may have appended after audit_last): the next call resumes there */
        facts_cache.seq = facts_cache.c.expect - 1;
        memcpy(facts_cache.hash, facts_cache.c.prev.hash, sizeof facts_cache.hash);
    } else {
        facts_cache.seq = last.seq;
        memcpy(facts_cache.hash, last.hash, sizeof last.hash);
    }
    facts_cache.valid = true;
    return &facts_cache.f;
}

void audit_facts_forget(void) {
    facts_free(&facts_cache.f);
    facts_state_free();
    facts_cache.valid = false;
    facts_cache.walked = 0;
}

int64_t audit_facts_walked(void) { return facts_cache.walked; }

const audit_member_facts *audit_facts_member(const audit_facts *f, const char *member_id) {
    for (int i = 0; f && i < f->n; i++)
        if (!strcmp(f->m[i].id, member_id)) return &f->m[i];
    return NULL;
}

bool audit_entry_checks(database *db, const vault *v, const audit_facts *f, const audit_link *prev, const audit_rec *e) {
    unsigned char h[VAULT_MAC_BYTES], m[64];
    entry_hash(prev, chained_at(db, e->seq), e->has_sig, e, h);
    if (!vault_equal(h, e->hash, sizeof h)) return false;
    if (!e->has_sig) { /* legacy only, and its MAC under the data key */
        int64_t signed_from = 0;
        if (!e->has_mac || !v || !meta_int(db, "audit_signed_from", &signed_from) || e->seq >= signed_from) return false;
        vault_audit_mac(v, e->hash, h);
        return vault_equal(h, e->mac, sizeof h);
    }
    size_t n = sig_message(e->hash, m);
    return audit_facts_signed_by(f, e->staff_id, m, n, e->sig);
}

bool audit_facts_may(const audit_facts *f, const char *member_id, staff_action a) {
    const audit_member_facts *m = audit_facts_member(f, member_id);
    return m && m->added && m->has_role && !m->locked && !m->removed && role_may(m->role, a);
}

bool audit_facts_signed_by(const audit_facts *f, const char *member_id, const unsigned char *m, size_t n,
                           const unsigned char sig[VAULT_SIG_BYTES]) {
    const audit_member_facts *w = audit_facts_member(f, member_id);
    for (int i = 0; w && i < w->nkeys; i++)
        if (vault_sig_ok(w->keys[i], m, n, sig)) return true;
    return false;
}
