/* The audit trail: append-only, each entry chained to the one before by hash (BLAKE2b over the previous hash
 * and the entry) and signed by the staff member who wrote it (Ed25519, their own key: vault.h), so that no
 * other staff member, and no one with only the file, can forge, edit, remove, reorder or re-sign an entry
 * without `verify` naming it. Entries carry who, what, which object and a detail without personal data.
 *
 * Keys: a staff member's signing public key enters the trail in a signed `sign_key` entry (object: the
 * member; detail: the key and the member's own proof of possession). It is introduced by a supervisor when
 * the member is added or their passphrase reset, by the first supervisor itself at init, and, for staff
 * enrolled before schema 6, by the member's own first login after the upgrade (trust on first use; a second
 * self-introduction of another key is reported). Roles, locks and removals are followed through the trail
 * too, and verify compares them with the staff table.
 *
 * Entries written without a login (failed or refused logins, a keyless `queue tick`) cannot be signed. They
 * are never sealed later in place: the next signed write first appends its own signed `audit_witness` entry
 * naming them ("entries A-B written without a login"), which fixes them in the chain from then on; verify
 * counts them and says where they are, as unauthenticated (anyone with the file could have written them).
 * Only those actions may lack a signature; any other unsigned entry had its signature stripped.
 *
 * The chain covers the signatures (schema 14): from meta audit_chained_from on (entry 1 for a database created at
 * 14, the entry after the last for one upgraded), an entry's hash covers the signature of the entry before it, so
 * a signature changed anywhere breaks the chain and each key's newest signature vouches for every entry before it:
 * verify checks the chain and each key's newest (every signature only to name the first bad one), and checks every
 * signature before that point, where the old hash does not cover them. What the chain alone would pass (a
 * member's newest entry rewritten behind the attacker's own re-signed entries, and that member writing again over
 * it) is caught by that member's next write, which checks its writer's own previous entry first (its hash from
 * the entry before it, and its signature; read from the table, not an index) and records a signed tamper_detected
 * entry when it fails.
 *
 * The head of the chain (its sequence and hash) is signed again by each signed write and kept in meta
 * audit_head, so entries removed from the end are named. A whole file put back from an older copy is
 * consistent in itself: only a checkpoint kept elsewhere (audit_checkpoint) shows it.
 *
 * Entries from before schema 6 (legacy) keep their chain and their keyed MAC under the data key; verify checks
 * both and counts them. They may exist only before meta audit_signed_from, the first entry that must be signed,
 * recorded by the upgrade to schema 7 (1 for a database created at 6 or later: no legacy entries at all) and
 * committed to by every signed head: verify names a legacy entry from there on (a trail rewritten whole in the
 * old format by anyone holding the data key), the value missing, the head missing, an introduced key missing
 * from meta sign_pk, and a self-introduced key of a member enrolled after signing started. */
#ifndef TRIAGE_AUDIT_H
#define TRIAGE_AUDIT_H

#include "error.h"
#include "db.h"
#include "roles.h"

/* Appends an entry inside the caller's transaction, signed when v holds a signer (a logged-in staff member;
 * staff_id must be theirs), unsigned when v is NULL (no login). A signed write first checks the signed head and
 * its writer's own previous signature, recording a signed tamper_detected entry for what it finds. */
bool audit_log(database *db, const vault *v, const char *staff_id, const char *action, const char *object_id,
               const char *detail, error *err);
/* Introduces member_id's signing key (a `sign_key` entry signed by v's signer, inside the caller's
 * transaction) and records it in meta as the member's key (a hint: the trail is what verify trusts). */
bool audit_introduce_key(database *db, const vault *v, const char *introducer_id, const char *member_id,
                         const unsigned char pk[VAULT_SIGN_PK_BYTES], const unsigned char pop[VAULT_SIG_BYTES],
                         error *err);
/* Box public keys in the trail: a member's X25519 public key (what the data key and the clinical key are sealed
 * to) enters the trail in a signed `box_key` entry (object: the member; detail: "x25519:<hex>"), written by the
 * supervisor who enrols them or resets their passphrase, by the first supervisor at init, and, for a member the
 * trail has none for (a database from before the entries), by the member's own next login (the login proved
 * the secret matches the staff table's key). Keys are sealed to that key, never to the table's alone
 * (box_pin.h); verify names every row whose key differs and counts the members still without one. */
bool audit_pin_box_key(database *db, const vault *v, const char *by_id, const char *member_id,
                       const unsigned char pk[VAULT_PK_BYTES], error *err);
/* Key derivation parameters in the trail: each enrolment, passphrase reset and change writes a signed
 * `staff_kdf` entry (object: the member; detail: audit_kdf_detail of the new wrap's parameters and salt), so that
 * parameters changed in the file within the bounds (which would turn the right passphrase into "wrong") are
 * named as tampering: at the login (audit_kdf_matches) and by verify (the staff table against the trail). */
#define AUDIT_KDF_DETAIL_LEN 160
void audit_kdf_detail(const vault_kdf *k, char out[AUDIT_KDF_DETAIL_LEN]);
bool audit_record_kdf(database *db, const vault *v, const char *by_id, const char *member_id, const vault_kdf *k,
                      error *err);
/* At a login, before deriving a wrap dearer than the desk's kdf_cost and after a failed derivation (session.c;
 * the whole trail is read): 1 when the member's newest signed staff_kdf entry (by the member or by someone the
 * signed trail lets manage staff) names k, 0 when it names other parameters (tampering: why written), -1 when the trail
 * has none (a member enrolled before the entries existed: nothing to compare), -2 when the member's newest entry
 * does not check (a signature byte flipped, or a writer who may not manage staff: why written). */
int audit_kdf_matches(database *db, const char *member_id, const vault_kdf *k, char *why, size_t size);
/* One signed entry checked on its own, cheaply (a login cannot walk the whole trail): its hash recomputed from
 * prev (the entry before it: its hash and signature; zeros for entry 1) and its signature under the signing key meta
 * records for its writer. verify walks the trail and checks that key against the trail itself. */
bool audit_entry_ok(database *db, const audit_link *prev, const audit_rec *e);
/* The signing key meta records for member_id (a hint the reader may use; verify checks it against the trail). */
bool audit_member_key(database *db, const char *member_id, unsigned char pk[VAULT_SIGN_PK_BYTES]);
/* True when meta records pk as member_id's key (it was introduced). */
bool audit_key_known(database *db, const char *member_id, const unsigned char pk[VAULT_SIGN_PK_BYTES]);
/* Recomputes the legacy MACs under v (after a key rotation, inside the rekey transaction). */
bool audit_remac_all(database *db, const vault *v, error *err);

typedef struct {
    int64_t entries;
    int64_t legacy;          /* from before schema 6: chained and MAC-sealed, not signed */
    int64_t signed_entries;
    int64_t unauthenticated; /* written without a login: no signature */
    char unauth_where[160];  /* where, as runs of sequence numbers ("7-9, 15, 40-41 (end)") */
    int64_t backwards;       /* entries whose time is earlier than the entry before */
    int64_t first_backwards; /* the first of them, 0 for none */
    int64_t bad_seq;         /* first bad entry, 0 when sound (or when the problem is not one entry's) */
    /* the newest signed clinical_key entry (clinical_key.h: it pins the clinical public key), 0 for none */
    int64_t clinical_seq;
    char clinical_detail[257];
    /* the newest signed `restore` entry that checks (its writer's role, as the trail set it, may restore) and the
     * restore generation it counted up to ("(restore N)"), 0 for none */
    int64_t restore_seq, restore_generation;
    char problem[512];
    /* signed tamper_detected entries about anything but the trail itself (a record that did not open, a trail a
     * desk's facts walk found unsound): counted and the newest kept, for verify to say (session 24) */
    int64_t tamper_recorded, tamper_newest_seq;
    char tamper_newest[160];
    int64_t unpinned;         /* members the trail gives no box public key yet (audit_pin_box_key) */
    char unpinned_names[200]; /* their names, as far as they fit */
} audit_report;

/* What the signed trail says of each member, for those who hand out the clinical key or check a signature
 * (never the staff table or meta sign_pk, which anyone with the file can edit): roles, locks and removals as
 * the trail set them, and every signing key it gave them (a passphrase reset gives a new one; what was signed
 * with an older one still verifies). The walk is verify's; when the trail has a problem, the facts are those of
 * the entries that check, each signature checked, an entry with a problem passed over (complete false, the first
 * problem named). */
typedef struct {
    char id[STORE_ID_LEN];
    bool added, removed, locked, has_role;
    bool lock_keyless; /* locked by failed logins only: an unsigned entry, which anyone with the file can append */
    staff_role role;
    unsigned char (*keys)[VAULT_SIGN_PK_BYTES];
    int nkeys;
    bool has_box; /* the X25519 public key the trail gave them (a box_key entry), the only one sealed to */
    unsigned char box_pk[VAULT_PK_BYTES];
    int64_t box_seq;
    int64_t kdf_seq; /* their newest staff_kdf entry the walk took (their own, or by someone who may manage staff) */
    int64_t clinical_seq; /* their newest signed clinical_key entry (a rotation of the clinical key), 0 for none */
} audit_member_facts;
typedef struct {
    audit_member_facts *m;
    int n;
    bool complete;
    char problem[512];
    int64_t clinical_seq; /* the newest signed clinical_key entry that checks, 0 for none */
    char clinical_detail[257];
    int64_t restore_seq, restore_generation; /* as audit_report's */
} audit_facts;
/* The facts of db's trail, read once per state of the trail (cached until it changes; do not keep the pointer
 * across a write); NULL when the trail cannot be read. */
const audit_facts *audit_facts_of(database *db);
/* The cache is kept by content, not by handle: the facts and the walk's own state at the entry it reached (seq,
 * hash). When the trail has grown and that entry still has that hash, only the entries after it are read, each
 * checked as a whole walk checks it; when it is gone or changed (a rewrite behind the cached head), or a new
 * entry has a problem, or the kept walk had one, the trail is walked whole again and that walk's facts stand. */
/* Drops the cache (tests: the next call walks whole). */
void audit_facts_forget(void);
/* How many entries the last audit_facts_of read (0 when nothing had changed): for tests and the bench. */
int64_t audit_facts_walked(void);
const audit_member_facts *audit_facts_member(const audit_facts *f, const char *member_id);
/* One entry checked alone: its hash from the one before it (prev), and its signature under a key the trail gave
 * its writer (facts); an unsigned one only from before the point the database signs from (meta audit_signed_from),
 * with its keyed MAC under v. A reader that takes who did something from the trail (an intake's author, a queue
 * item's close) checks the entry it takes: an entry edited in the file, trigger dropped and put back, was taken as
 * it read (attacker 16), and so was one stripped of its signature with any 32 bytes as its MAC (attacker 17). */
bool audit_entry_checks(database *db, const vault *v, const audit_facts *f, const audit_link *prev, const audit_rec *e);
/* True when the trail made member_id a role that may take a, and left them neither locked nor removed. */
bool audit_facts_may(const audit_facts *f, const char *member_id, staff_action a);
/* True when sig over m verifies under one of the signing keys the trail gave member_id. */
bool audit_facts_signed_by(const audit_facts *f, const char *member_id, const unsigned char *m, size_t n,
                           const unsigned char sig[VAULT_SIG_BYTES]);

/* Walks the chain: sequence without gaps, each hash from the previous, each signature under its writer's
 * key as introduced in the trail, unsigned entries only where no login could sign and witnessed by the next
 * signed entry, the signed head, legacy MACs (when v is given), v's own signing key present, the staff
 * table's roles, locks and members as the trail left them. False with the first problem named. */
bool audit_verify(database *db, const vault *v, audit_report *r);
/* The head of the chain: its sequence and hash in hex, to be kept elsewhere and checked later. */
bool audit_checkpoint(database *db, int64_t *seq, char hex[2 * VAULT_MAC_BYTES + 1], error *err);
/* True when the chain still holds entry seq with that hash (the log was not truncated or rewritten). */
bool audit_check_checkpoint(database *db, int64_t seq, const char *hex, error *err);

#endif
