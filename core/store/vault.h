/* All cryptography, with libsodium only (see shared/SECURITY.md):
 *  - one random 32-byte data key per database;
 *  - per staff member an X25519 key pair; the secret key is wrapped (XChaCha20-Poly1305) under a key
 *    derived from the passphrase with Argon2id, associated data binding the staff id and the KDF
 *    parameters; the data key is sealed to the public key (crypto_box_seal), so adding staff and
 *    rotating the data key need nobody else's passphrase;
 *  - fields sealed with XChaCha20-Poly1305, fresh nonce each, associated data = format version, table,
 *    column, row id: a ciphertext moved to another row or column fails to open;
 *  - sub-keys for fields, blind indexes and the audit MAC derived from the data key (crypto_kdf).
 * Every secret lives in sodium_malloc memory and is wiped when freed. */
#ifndef TRIAGE_VAULT_H
#define TRIAGE_VAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


#include "error.h"
#include "secret.h" /* secret_free: how an opened value is released */

#define VAULT_KEY_BYTES 32
#define VAULT_PK_BYTES 32
#define VAULT_SALT_BYTES 16
#define VAULT_WRAPPED_BYTES (24 + 32 + 16)  /* nonce + secret key + tag */
#define VAULT_SEALED_KEY_BYTES (48 + 32)    /* crypto_box_SEALBYTES + data key */
#define VAULT_FIELD_OVERHEAD (1 + 24 + 16)  /* version + nonce + tag */
#define VAULT_MAC_BYTES 32
#define VAULT_FIELD_VERSION 1
#define VAULT_PASSPHRASE_MIN 12
#define VAULT_SIGN_PK_BYTES 32 /* Ed25519 public key */
#define VAULT_SIG_BYTES 64     /* Ed25519 signature */
#define VAULT_SIGN_PK_HEX (2 * VAULT_SIGN_PK_BYTES + 1)

typedef enum { KDF_INTERACTIVE, KDF_MODERATE, KDF_SENSITIVE } vault_cost;

/* Argon2id parameters as stored with each wrap. */
typedef struct {
    int alg; /* crypto_pwhash_ALG_ARGON2ID13 */
    uint64_t opslimit;
    uint64_t memlimit;
    unsigned char salt[VAULT_SALT_BYTES];
} vault_kdf;

/* One staff member's key material as stored: nothing here is secret in clear. */
typedef struct {
    unsigned char public_key[VAULT_PK_BYTES];
    unsigned char wrapped_secret[VAULT_WRAPPED_BYTES];
    vault_kdf kdf;
    unsigned char sealed_data_key[VAULT_SEALED_KEY_BYTES];
} vault_staff_keys;

/* An unlocked vault: the data key and its sub-keys, in sodium_malloc memory. Opaque. */
typedef struct vault vault;

/* Initialises libsodium; false when it cannot (the program must not go on). Safe to call repeatedly. */
bool vault_init(void);

/* A new database: a fresh random data key. NULL on failure. */
vault *vault_create(void);
/* Wipes and frees (NULL is fine). */
void vault_free(vault *v);

/* Parameters for a cost level, with a fresh random salt. */
void vault_kdf_params(vault_cost cost, vault_kdf *out);
/* False (with why) when stored parameters are outside sane bounds: not Argon2id, opslimit outside
 * [INTERACTIVE, SENSITIVE] (2..4 passes), memlimit outside [INTERACTIVE, SENSITIVE] (64 MiB..1 GiB): the
 * presets triage writes, nothing more. Checked before every derivation and before any allocation. */
bool vault_kdf_check(const vault_kdf *k, error *err);

/* Enrols a staff member: a new key pair; the secret wrapped under the passphrase; v's data key sealed
 * to the public key. The caller (a supervisor's session, or init) holds v. */
bool vault_enroll(const vault *v, const char *staff_id, const char *passphrase, size_t passlen,
                  const vault_kdf *kdf, vault_staff_keys *out, error *err);

/* Signing keys (the audit trail, core/audit.h). Each staff member has an Ed25519 key pair derived from their
 * X25519 secret key (crypto_kdf, context "sign_key"), so its secret is exactly as well kept as that one: it
 * exists only while their passphrase has unwrapped it, in a vault that vault_unlock returns. A passphrase
 * change keeps it; a reset by a supervisor makes a new one. Nothing else in the file can produce it.
 *
 * vault_enroll_signed is vault_enroll that also gives the new member's signing public key and a proof of
 * possession (their own signature over "triage-sign-key-v1", their id and that key: vault_pop_ok), so that
 * whoever introduces the key in the trail cannot introduce a key the member does not hold. self (init only):
 * the new member's signing key is installed in self, which then signs as them. */
bool vault_enroll_signed(const vault *v, vault *self, const char *staff_id, const char *passphrase, size_t passlen,
                         const vault_kdf *kdf, vault_staff_keys *out, unsigned char sign_pk[VAULT_SIGN_PK_BYTES],
                         unsigned char pop[VAULT_SIG_BYTES], error *err);
/* The signing public key of the staff member whose passphrase opened v (false: v signs for no one). */
bool vault_signer_pk(const vault *v, unsigned char pk[VAULT_SIGN_PK_BYTES]);
/* A proof of possession by v's signer for staff_id (their own key: see vault_enroll_signed). */
bool vault_signer_pop(const vault *v, const char *staff_id, unsigned char pop[VAULT_SIG_BYTES]);
bool vault_pop_ok(const char *staff_id, const unsigned char pk[VAULT_SIGN_PK_BYTES], const unsigned char pop[VAULT_SIG_BYTES]);
/* Ed25519 over msg with v's signer (false without one). */
bool vault_sign(const vault *v, const void *msg, size_t len, unsigned char sig[VAULT_SIG_BYTES]);
bool vault_sig_ok(const unsigned char pk[VAULT_SIGN_PK_BYTES], const void *msg, size_t len,
                  const unsigned char sig[VAULT_SIG_BYTES]);
/* One signature of a batch: sig over msg (len bytes) under pk. */
typedef struct {
    const unsigned char *pk, *msg, *sig;
    size_t len;
} vault_sig_item;
/* Checks n signatures on every core the machine has (verify over a million audit entries: one Ed25519 check
 * each is most of its time); the index of the first that fails, n when all hold. Nothing is memoised. */
size_t vault_sigs_ok(const vault_sig_item *items, size_t n);
/* Forgets which signatures vault_sign made and vault_sig_ok found good (kept so that none is verified twice);
 * for tests that must see a verification happen. */
void vault_sig_memo_forget(void);
/* A new data key (a rotation) that signs as the same staff member as from (who must have a signer). */
vault *vault_create_signing_as(const vault *from);
/* Opens the data key with a staff member's passphrase. NULL, with a message that does not say which
 * part failed, when the passphrase is wrong or the material was altered. */
vault *vault_unlock(const char *staff_id, const char *passphrase, size_t passlen, const vault_staff_keys *k,
                    error *err);
/* Changes the passphrase: the secret key is re-wrapped under the new one with fresh parameters; the
 * sealed data key is untouched. False when the old passphrase is wrong. */
bool vault_rewrap(const char *staff_id, const char *old_pass, size_t old_len, const char *new_pass, size_t new_len,
                  const vault_kdf *new_kdf, vault_staff_keys *k, error *err);
/* Seals v's data key to a public key (adding staff, or after rotation). */
bool vault_seal_data_key(const vault *v, const unsigned char pk[VAULT_PK_BYTES],
                         unsigned char out[VAULT_SEALED_KEY_BYTES]);

/* Field sealing. *out is malloc'd (VAULT_FIELD_OVERHEAD + len bytes); free with free(). */
bool vault_seal(const vault *v, const char *table, const char *column, const char *row_id, const void *plain,
                size_t len, unsigned char **out, size_t *outlen);
/* Opens a field. *plain is sodium_malloc'd with a NUL after the len bytes; release with secret_free (secret.h).
 * False when the ciphertext was altered, moved to another row/column, or is not a sealed value. */
bool vault_open(const vault *v, const char *table, const char *column, const char *row_id, const unsigned char *ct,
                size_t ctlen, char **plain, size_t *len);

/* The clinical key (issue 12: roles by key). Notes are readable only by the roles that may read them
 * (role_may ACT_NOTES_OF_OTHERS: clinicians, supervisors), and that is held by a key, not only by code: a
 * reception login never receives it, so its passphrase, even with the source, opens no note.
 *  - The clinical key is 32 random bytes, the secret of an X25519 key pair. It is sealed (crypto_box_seal,
 *    as the data key is) to the public key of each member whose role may read notes; the envelope opens
 *    only with that member's X25519 secret key, which their passphrase unwraps (vault_unlock keeps it in
 *    the vault for this, wiped with it).
 *  - A note is sealed to the clinical PUBLIC key: version 2 || crypto_box_seal(note key, clinical pk) ||
 *    nonce || XChaCha20-Poly1305 under that fresh note key, associated data as a field's (version 2, table,
 *    column, row id). So reception, who writes notes at intake, can seal one, and cannot open any, its own
 *    included. */
#define VAULT_NOTE_VERSION 2
#define VAULT_NOTE_OVERHEAD (1 + 48 + 32 + 24 + 16) /* version + sealed note key + nonce + tag */
typedef struct vault_clinical vault_clinical;
/* A new clinical key (sodium memory); NULL on failure. */
vault_clinical *vault_clinical_create(void);
/* Opens the clinical key sealed to v's staff member (env from vault_clinical_seal_to); NULL when it was
 * not sealed to them or was altered. */
vault_clinical *vault_clinical_open(const vault *v, const unsigned char env[VAULT_SEALED_KEY_BYTES]);
/* Seals the clinical key to a staff member's X25519 public key. */
bool vault_clinical_seal_to(const vault_clinical *c, const unsigned char staff_pk[VAULT_PK_BYTES],
                            unsigned char env[VAULT_SEALED_KEY_BYTES]);
/* The clinical public key (what notes are sealed to). */
void vault_clinical_pk(const vault_clinical *c, unsigned char pk[VAULT_PK_BYTES]);
/* Wipes and frees (NULL is fine). */
void vault_clinical_free(vault_clinical *c);
/* Seals a note to the clinical public key. *out malloc'd (VAULT_NOTE_OVERHEAD + len bytes), free(). */
bool vault_note_seal(const unsigned char clinical_pk[VAULT_PK_BYTES], const char *table, const char *column,
                     const char *row_id, const void *plain, size_t len, unsigned char **out, size_t *outlen);
/* One note key, its envelope sealed once to a clinical public key, for the notes of one session (a note's own key
 * each cost two X25519 operations, the most of an intake's save): vault_note_seal_by seals as vault_note_seal does,
 * in the same format, each note with its own nonce. Sodium memory, wiped by vault_note_sealer_free (NULL is fine). */
typedef struct vault_note_sealer vault_note_sealer;
vault_note_sealer *vault_note_sealer_new(const unsigned char clinical_pk[VAULT_PK_BYTES]);
/* True when ns seals to clinical_pk (a rotation since makes a new one due). */
bool vault_note_sealer_for(const vault_note_sealer *ns, const unsigned char clinical_pk[VAULT_PK_BYTES]);
bool vault_note_seal_by(const vault_note_sealer *ns, const char *table, const char *column, const char *row_id,
                        const void *plain, size_t len, unsigned char **out, size_t *outlen);
void vault_note_sealer_free(vault_note_sealer *ns);
/* Opens a note with the clinical key: as vault_open (secret_free releases *plain). */
bool vault_note_open(const vault_clinical *c, const char *table, const char *column, const char *row_id,
                     const unsigned char *ct, size_t ctlen, char **plain, size_t *len);
/* The format version of a sealed value (its first byte: VAULT_FIELD_VERSION under the data key,
 * VAULT_NOTE_VERSION under the clinical key), -1 when empty. */
int vault_sealed_version(const unsigned char *ct, size_t n);

/* Many fields opened one after another (an export opens four per intake): the plaintext goes into a buffer
 * the caller keeps, sodium_malloc'd once and grown when needed, rather than a guarded allocation per field,
 * which costs an mmap, two mprotects and a munmap each (more than the decryption). The same checks as
 * vault_open; the plaintext is NUL-terminated. The caller wipes it when done with the row (vault_buf_wipe)
 * and releases the buffer with vault_buf_free. */
typedef struct {
    unsigned char *p; /* sodium_malloc'd, or NULL */
    size_t cap, len;
} vault_buf;
bool vault_open_buf(const vault *v, const char *table, const char *column, const char *row_id,
                    const unsigned char *ct, size_t ctlen, vault_buf *out);
void vault_buf_wipe(vault_buf *b);
void vault_buf_free(vault_buf *b);

/* Blind index of a normalised value: keyed BLAKE2b of kind and value, truncated to `bits` bits (0..32) so
 * that several records share each value (core/records/blind_index.h sizes it). The kind is hashed in, so
 * kinds share one range of values; 0 bits gives 0. */
uint32_t vault_blind_index(const vault *v, const char *kind, const char *normalised, int bits);

/* A keyed pseudonym for de-identified exports: BLAKE2b (crypto_generichash) of kind and id under a sub-key
 * derived from the data key for this purpose only, as 32 hex digits. The same id gives the same pseudonym in
 * every export of one database (so exports can be joined), and without the key nobody can compute or
 * reverse it. */
#define VAULT_PSEUDONYM_HEX 33
void vault_pseudonym(const vault *v, const char *kind, const char *id, char out[VAULT_PSEUDONYM_HEX]);
/* The pseudonym sub-key derived once for a whole export (vault_pseudonym derives it at every call), in
 * sodium_malloc'd memory; vault_pseudonym_with gives the same pseudonyms with it; secret_free releases
 * it. NULL when it cannot be had. */
unsigned char *vault_pseudonym_key(const vault *v);
void vault_pseudonym_with(const unsigned char *key, const char *kind, const char *id, char out[VAULT_PSEUDONYM_HEX]);
/* De-identified exports move every time of one client by the same secret number of days (core/exchange/export.c):
 * the key derived from the data key for this purpose only (context "dateshft"), in sodium_malloc'd memory
 * (secret_free releases it; NULL when it cannot be had), and the shift of a client given its pseudonym: keyed
 * BLAKE2b of the pseudonym, as whole days in [-max_days, -1] or [1, max_days], never 0. The same client moves by
 * the same days in every export of one database (as its pseudonym is the same), so exports taken again and again
 * cannot be averaged back to the true dates; 0 when key or pseudonym is missing. */
unsigned char *vault_date_shift_key(const vault *v);
int64_t vault_date_shift_days(const unsigned char *key, const char *pseudonym, int max_days);

/* Audit: hash = BLAKE2b(prev_hash || entry) (no key: checkpoints survive a key rotation);
 * mac = keyed BLAKE2b of hash under the audit sub-key. */
void vault_chain_hash(const unsigned char prev[VAULT_MAC_BYTES], const void *entry, size_t len,
                      unsigned char out[VAULT_MAC_BYTES]);
void vault_audit_mac(const vault *v, const unsigned char hash[VAULT_MAC_BYTES], unsigned char out[VAULT_MAC_BYTES]);
/* Row MACs: crypto_auth (HMAC-SHA-512-256) under a sub-key derived from the data key with the context
 * "qitemmac", over a canonical encoding of the clear columns of a row (core/records/rowmac.h). They bind what the
 * queues must read in clear (level, deadline, state ...) to the data key: an edit in the file does not verify.
 * vault_row_mac_ok compares in constant time. */
void vault_row_mac(const vault *v, const void *msg, size_t len, unsigned char out[VAULT_MAC_BYTES]);
bool vault_row_mac_ok(const vault *v, const void *msg, size_t len, const unsigned char mac[VAULT_MAC_BYTES]);
/* A key for one job that lives no longer than it (an export's fullUrl uuids): random, in sodium memory,
 * VAULT_ONCE_KEY_BYTES long; secret_free releases it. NULL when memory is short. */
#define VAULT_ONCE_KEY_BYTES 32
unsigned char *vault_once_key(void);
/* 16 bytes of keyed BLAKE2b of a (its NUL included, so "ab"+"c" and "a"+"bc" differ) and b under such a key. */
void vault_keyed_id(const unsigned char *key, const char *a, const char *b, unsigned char out[16]);
/* Random bytes (libsodium's generator). */
void vault_random(void *buf, size_t n);
/* Constant-time comparison. */
bool vault_equal(const void *a, const void *b, size_t len);

/* Process hardening: no core dumps, not dumpable, umask 077. */
void vault_harden_process(void);

/* Per-client keys (issue 13: erasure that sticks). Every client has its own random 32-byte key, kept in
 * sodium memory while open and stored sealed under the data key in its clients row (vault_client_key_seal:
 * a field of format VAULT_FIELD_VERSION, associated data "clients", "key", the client id). The client's sealed
 * values (name, phone, birth date, its intakes' bodies, its queue steps' reasons) are sealed under it in
 * format VAULT_CLIENT_VERSION:
 *     3 || id length (1 byte) || client id || nonce || XChaCha20-Poly1305 (value, tag)
 * with associated data 3 || table || NUL || column || NUL || row id || NUL || client id. The client id is in
 * clear in the value (it was in clear in the rows already: intakes.client_id, queue_items.client_id) so that
 * whoever walks every sealed value (verify, a rekey, the blind-index rebuild) knows which key opens it without
 * a lookup; it is bound by the associated data, so an edited id does not open. Erasing a client destroys its
 * key: every value sealed under it is then noise, wherever a copy survives. */
#define VAULT_CLIENT_VERSION 3
#define VAULT_CLIENT_ID_MAX 64
#define VAULT_CLIENT_KEY_SEALED (VAULT_FIELD_OVERHEAD + VAULT_KEY_BYTES) /* the sealed key in the clients row */
_Static_assert(VAULT_CLIENT_VERSION != VAULT_FIELD_VERSION && VAULT_CLIENT_VERSION != VAULT_NOTE_VERSION,
               "a client-keyed value tells apart by its first byte");
/* A fresh client key into key (the caller's sodium memory). */
void vault_client_key_new(unsigned char key[VAULT_KEY_BYTES]);
/* The client key sealed under v's data key for client_id; *out malloc'd (VAULT_CLIENT_KEY_SEALED bytes). */
bool vault_client_key_seal(const vault *v, const char *client_id, const unsigned char key[VAULT_KEY_BYTES],
                           unsigned char **out, size_t *outlen);
/* Opens a sealed client key into key (the caller's sodium memory); false when it does not open (another
 * client's, edited, or sealed under another data key). */
bool vault_client_key_open(const vault *v, const char *client_id, const unsigned char *ct, size_t n,
                           unsigned char key[VAULT_KEY_BYTES]);
/* Seals a value of client_id under its key; *out malloc'd, free(). */
bool vault_client_seal(const unsigned char key[VAULT_KEY_BYTES], const char *client_id, const char *table,
                       const char *column, const char *row_id, const void *plain, size_t len, unsigned char **out,
                       size_t *outlen);
/* Opens one: as vault_open (secret_free releases *plain). */
bool vault_client_open(const unsigned char key[VAULT_KEY_BYTES], const char *table, const char *column,
                       const char *row_id, const unsigned char *ct, size_t n, char **plain, size_t *len);
/* As vault_open_buf. */
bool vault_client_open_buf(const unsigned char key[VAULT_KEY_BYTES], const char *table, const char *column,
                           const char *row_id, const unsigned char *ct, size_t n, vault_buf *out);
/* The client id a client-keyed value names (its header), NUL-terminated; false when ct is not one. */
bool vault_client_of(const unsigned char *ct, size_t n, char id[VAULT_CLIENT_ID_MAX + 1]);

#endif
