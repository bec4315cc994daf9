/* All cryptography of triage, with libsodium only (see vault.h and shared/SECURITY.md).
 *
 * Secrets (data key, sub-keys, passphrase-derived KEK, X25519 secret key, opened plaintexts) are only
 * ever held in sodium_malloc memory and released with sodium_free, which wipes them, on every path.
 * The unlocked vault is made read-only once its keys are derived. */
#include "vault.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* The stored sizes in vault.h are the libsodium sizes: checked at compile time so that a mismatch can
 * never turn into a length confusion at run time. */
#define AEAD_NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
_Static_assert(VAULT_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "field key size");
_Static_assert(VAULT_KEY_BYTES == crypto_kdf_KEYBYTES, "kdf master key size");
_Static_assert(VAULT_KEY_BYTES >= crypto_generichash_KEYBYTES_MIN && VAULT_KEY_BYTES <= crypto_generichash_KEYBYTES_MAX,
               "generichash key size");
_Static_assert(VAULT_PK_BYTES == crypto_box_PUBLICKEYBYTES, "public key size");
_Static_assert(VAULT_SALT_BYTES == crypto_pwhash_SALTBYTES, "salt size");
_Static_assert(VAULT_WRAPPED_BYTES == AEAD_NONCE + crypto_box_SECRETKEYBYTES + AEAD_TAG, "wrapped secret size");
_Static_assert(VAULT_SEALED_KEY_BYTES == crypto_box_SEALBYTES + VAULT_KEY_BYTES, "sealed data key size");
_Static_assert(VAULT_FIELD_OVERHEAD == 1 + AEAD_NONCE + AEAD_TAG, "field overhead");
_Static_assert(VAULT_MAC_BYTES >= crypto_generichash_BYTES_MIN && VAULT_MAC_BYTES <= crypto_generichash_BYTES_MAX,
               "mac size");
_Static_assert(VAULT_FIELD_VERSION >= 0 && VAULT_FIELD_VERSION <= 255, "field version fits a byte");
_Static_assert(crypto_kdf_CONTEXTBYTES == 8, "kdf context size");

#define KDF_CONTEXT "triage__"
enum { SUBKEY_FIELD = 1, SUBKEY_BLIND = 2, SUBKEY_AUDIT = 3, SUBKEY_PSEUDONYM = 4 };
/* The row MAC key has a context of its own: it vouches for clear columns, a purpose apart from the others. */
#define ROWMAC_CONTEXT "qitemmac"
enum { SUBKEY_ROWMAC = 1 };
_Static_assert(sizeof ROWMAC_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES, "row MAC context size");
_Static_assert(VAULT_KEY_BYTES == crypto_auth_KEYBYTES, "row MAC key size");
_Static_assert(VAULT_MAC_BYTES == crypto_auth_BYTES, "row MAC size");
/* The signing key is derived from the X25519 secret key with a context of its own. */
#define SIGN_CONTEXT "sign_key"
#define POP_LABEL "triage-sign-key-v1"
_Static_assert(sizeof SIGN_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES, "signing key context size");
_Static_assert(VAULT_SIGN_PK_BYTES == crypto_sign_PUBLICKEYBYTES, "signing public key size");
_Static_assert(VAULT_SIG_BYTES == crypto_sign_BYTES, "signature size");
_Static_assert(crypto_box_SECRETKEYBYTES == crypto_kdf_KEYBYTES, "an X25519 secret key is a kdf master key");
_Static_assert(crypto_sign_SEEDBYTES == 32, "signing seed size");

#define WRAP_LABEL "triage-wrap-v1"
#define WRAP_PARAMS_BYTES (4 + 8 + 8 + VAULT_SALT_BYTES)

/* Bounds for stored Argon2id parameters (see vault_kdf_check in vault.h): from the cheapest preset to the
 * dearest one triage itself ever writes ([security] kdf_cost = sensitive: 4 passes, 1 GiB). Anything above
 * was planted: a wrap of 4 GiB and 16 passes would make every login allocate 4 GiB on a desk machine. */
#define OPS_MIN ((uint64_t)crypto_pwhash_OPSLIMIT_INTERACTIVE)
#define OPS_MAX ((uint64_t)crypto_pwhash_OPSLIMIT_SENSITIVE)
#define MEM_MIN ((uint64_t)crypto_pwhash_MEMLIMIT_INTERACTIVE)
#define MEM_MAX ((uint64_t)crypto_pwhash_MEMLIMIT_SENSITIVE)

/* The one message for every failure of an unlock after the bounds check: it must not tell which part
 * (passphrase, staff id, parameters, wrapped or sealed key) was wrong. */
#define UNLOCK_FAILED "wrong passphrase or damaged key material"

struct vault {
    unsigned char sign_sk[crypto_sign_SECRETKEYBYTES]; /* the unlocking staff member's Ed25519 key */
    unsigned char sign_pk[VAULT_SIGN_PK_BYTES];
    bool has_signer;
    unsigned char data_key[VAULT_KEY_BYTES];
    unsigned char field_key[VAULT_KEY_BYTES];
    unsigned char blind_key[VAULT_KEY_BYTES];
    unsigned char audit_key[VAULT_KEY_BYTES];
    unsigned char row_key[VAULT_KEY_BYTES];
    /* HMAC-SHA-512-256 keyed with row_key, its key blocks already hashed: a row MAC copies it and hashes only
     * the row (half the work of crypto_auth, which rehashes the key each time; an export checks a MAC per
     * queue item) */
    crypto_auth_hmacsha512256_state row_mac_state;
    /* the unlocking staff member's X25519 secret key: it opens the clinical key sealed to them (notes) */
    unsigned char box_sk[crypto_box_SECRETKEYBYTES];
    bool has_box;
};

/* The clinical key (see vault.h): an X25519 key pair whose secret is 32 random bytes. */
struct vault_clinical {
    unsigned char sk[crypto_box_SECRETKEYBYTES];
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
};

static void put_le(unsigned char *p, uint64_t x, int n) {
    for (int i = 0; i < n; i++) p[i] = (unsigned char)(x >> (8 * i));
}

bool vault_init(void) { return sodium_init() >= 0; }

/* ---- the unlocked vault ---- */

/* A vault whose data key the caller fills in, then passes to vault_finish. */
static vault *vault_alloc(void) {
    vault *v = sodium_malloc(sizeof *v);
    if (v) sodium_memzero(v, sizeof *v);
    return v;
}

/* Derives the sub-keys from the data key and makes the block read-only; frees v and returns NULL on
 * failure. */
static vault *vault_finish(vault *v) {
    if (crypto_kdf_derive_from_key(v->field_key, sizeof v->field_key, SUBKEY_FIELD, KDF_CONTEXT, v->data_key) != 0 ||
        crypto_kdf_derive_from_key(v->blind_key, sizeof v->blind_key, SUBKEY_BLIND, KDF_CONTEXT, v->data_key) != 0 ||
        crypto_kdf_derive_from_key(v->audit_key, sizeof v->audit_key, SUBKEY_AUDIT, KDF_CONTEXT, v->data_key) != 0 ||
        crypto_kdf_derive_from_key(v->row_key, sizeof v->row_key, SUBKEY_ROWMAC, ROWMAC_CONTEXT, v->data_key) != 0 ||
        crypto_auth_hmacsha512256_init(&v->row_mac_state, v->row_key, sizeof v->row_key) != 0) {
        sodium_free(v);
        return NULL;
    }
    (void)sodium_mprotect_readonly(v);
    return v;
}

vault *vault_create(void) {
    if (sodium_init() < 0) return NULL;
    vault *v = vault_alloc();
    if (!v) return NULL;
    randombytes_buf(v->data_key, sizeof v->data_key);
    return vault_finish(v);
}

void vault_free(vault *v) {
    if (v) sodium_free(v); /* sodium_free makes the block writable, wipes it and unmaps it */
}

/* ---- signing keys ---- */

/* The Ed25519 key pair of the staff member whose X25519 secret key is x_sk. */
static bool derive_signer(const unsigned char *x_sk, unsigned char pk[VAULT_SIGN_PK_BYTES],
                          unsigned char sk[crypto_sign_SECRETKEYBYTES]) {
    unsigned char *seed = sodium_malloc(crypto_sign_SEEDBYTES);
    if (!seed) return false;
    bool ok = crypto_kdf_derive_from_key(seed, crypto_sign_SEEDBYTES, 1, SIGN_CONTEXT, x_sk) == 0 &&
              crypto_sign_seed_keypair(pk, sk, seed) == 0;
    sodium_free(seed);
    return ok;
}

/* label || staff_id || NUL || pk: what a proof of possession signs. */
static size_t pop_message(const char *staff_id, const unsigned char *pk, unsigned char *buf, size_t cap) {
    size_t l = sizeof POP_LABEL - 1, id = strlen(staff_id);
    if (l + id + 1 + VAULT_SIGN_PK_BYTES > cap) return 0;
    memcpy(buf, POP_LABEL, l);
    memcpy(buf + l, staff_id, id + 1);
    memcpy(buf + l + id + 1, pk, VAULT_SIGN_PK_BYTES);
    return l + id + 1 + VAULT_SIGN_PK_BYTES;
}

static bool pop_sign(const unsigned char *sk, const unsigned char *pk, const char *staff_id,
                     unsigned char pop[VAULT_SIG_BYTES]) {
    unsigned char m[256];
    size_t n = staff_id ? pop_message(staff_id, pk, m, sizeof m) : 0;
    return n && crypto_sign_detached(pop, NULL, m, n, sk) == 0;
}

bool vault_pop_ok(const char *staff_id, const unsigned char pk[VAULT_SIGN_PK_BYTES], const unsigned char pop[VAULT_SIG_BYTES]) {
    unsigned char m[256];
    size_t n = staff_id && pk && pop ? pop_message(staff_id, pk, m, sizeof m) : 0;
    return n && crypto_sign_verify_detached(pop, m, n, pk) == 0;
}

bool vault_signer_pk(const vault *v, unsigned char pk[VAULT_SIGN_PK_BYTES]) {
    if (!v || !v->has_signer || !pk) return false;
    memcpy(pk, v->sign_pk, VAULT_SIGN_PK_BYTES);
    return true;
}

bool vault_signer_pop(const vault *v, const char *staff_id, unsigned char pop[VAULT_SIG_BYTES]) {
    return v && v->has_signer && pop && pop_sign(v->sign_sk, v->sign_pk, staff_id, pop);
}

/* Signatures this process knows to be good: those it made and those it verified, as BLAKE2b digests of key,
 * signature and message. An Ed25519 verification of one (key, message, signature) always gives the same answer, so
 * a good one need not be verified twice: every save walked the trail's new entries and its signed head again (for
 * the note's key pin) and verified the entry and head this desk had signed a moment before, two verifications that
 * took a sealed save to 1.5 times its unsealed baseline. Only a good answer is kept; anything else is verified. */
#define SIG_MEMO 64
static unsigned char sig_memo[SIG_MEMO][crypto_generichash_BYTES];
static int sig_memo_next, sig_memo_used;

static void sig_digest(const unsigned char *pk, const void *msg, size_t len, const unsigned char *sig,
                       unsigned char out[crypto_generichash_BYTES]) {
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES);
    crypto_generichash_update(&st, pk, VAULT_SIGN_PK_BYTES);
    crypto_generichash_update(&st, sig, VAULT_SIG_BYTES);
    crypto_generichash_update(&st, msg, len);
    crypto_generichash_final(&st, out, crypto_generichash_BYTES);
}

static void sig_memo_add(const unsigned char d[crypto_generichash_BYTES]) {
    memcpy(sig_memo[sig_memo_next], d, crypto_generichash_BYTES);
    sig_memo_next = (sig_memo_next + 1) % SIG_MEMO;
    if (sig_memo_used < SIG_MEMO) sig_memo_used++;
}

static bool sig_memo_has(const unsigned char d[crypto_generichash_BYTES]) {
    for (int i = 0; i < sig_memo_used; i++)
        if (sodium_memcmp(sig_memo[i], d, crypto_generichash_BYTES) == 0) return true;
    return false;
}

void vault_sig_memo_forget(void) {
    sodium_memzero(sig_memo, sizeof sig_memo);
    sig_memo_next = sig_memo_used = 0;
}

bool vault_sign(const vault *v, const void *msg, size_t len, unsigned char sig[VAULT_SIG_BYTES]) {
    if (!v || !v->has_signer || !sig || (!msg && len)) return false;
    if (crypto_sign_detached(sig, NULL, msg, (unsigned long long)len, v->sign_sk) != 0) return false;
    unsigned char d[crypto_generichash_BYTES];
    sig_digest(v->sign_pk, msg, len, sig, d);
    sig_memo_add(d);
    return true;
}

bool vault_sig_ok(const unsigned char pk[VAULT_SIGN_PK_BYTES], const void *msg, size_t len,
                  const unsigned char sig[VAULT_SIG_BYTES]) {
    if (!pk || !sig || (!msg && len)) return false;
    unsigned char d[crypto_generichash_BYTES];
    sig_digest(pk, msg, len, sig, d);
    if (sig_memo_has(d)) return true;
    if (crypto_sign_verify_detached(sig, msg, (unsigned long long)len, pk) != 0) return false;
    sig_memo_add(d);
    return true;
}

/* ---- many signatures at once ---- */

#define SIGS_THREADS_MAX 8
#define SIGS_PER_THREAD_MIN 64 /* below this a thread costs more than it saves */

typedef struct {
    const vault_sig_item *items;
    size_t from, to, first_bad; /* first_bad: the first failing index in [from, to), else to */
} sigs_part;

static void *sigs_check_part(void *arg) {
    sigs_part *p = arg;
    p->first_bad = p->to;
    for (size_t i = p->from; i < p->to; i++) {
        const vault_sig_item *it = &p->items[i];
        if (!it->pk || !it->sig || (!it->msg && it->len) ||
            crypto_sign_verify_detached(it->sig, it->msg, (unsigned long long)it->len, it->pk) != 0) {
            p->first_bad = i;
            break;
        }
    }
    return NULL;
}

size_t vault_sigs_ok(const vault_sig_item *items, size_t n) {
    if (!items || !n) return 0;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t parts = cores < 1 ? 1 : (size_t)cores;
    if (parts > SIGS_THREADS_MAX) parts = SIGS_THREADS_MAX;
    if (parts > n / SIGS_PER_THREAD_MIN) parts = n / SIGS_PER_THREAD_MIN ? n / SIGS_PER_THREAD_MIN : 1;
    sigs_part part[SIGS_THREADS_MAX];
    pthread_t tid[SIGS_THREADS_MAX];
    bool started[SIGS_THREADS_MAX] = {false};
    for (size_t t = 0; t < parts; t++) {
        part[t] = (sigs_part){items, n * t / parts, n * (t + 1) / parts, 0};
        /* part 0 is this thread's own; a thread that cannot start is checked here too */
        if (t > 0) started[t] = pthread_create(&tid[t], NULL, sigs_check_part, &part[t]) == 0;
    }
    sigs_check_part(&part[0]);
    for (size_t t = 1; t < parts; t++) {
        if (started[t]) pthread_join(tid[t], NULL);
        else sigs_check_part(&part[t]);
    }
    for (size_t t = 0; t < parts; t++)
        if (part[t].first_bad < part[t].to) return part[t].first_bad; /* parts are in order: the first failure */
    return n;
}

vault *vault_create_signing_as(const vault *from) {
    if (!from || !from->has_signer || sodium_init() < 0) return NULL;
    vault *v = vault_alloc();
    if (!v) return NULL;
    randombytes_buf(v->data_key, sizeof v->data_key);
    memcpy(v->sign_sk, from->sign_sk, sizeof v->sign_sk);
    memcpy(v->sign_pk, from->sign_pk, sizeof v->sign_pk);
    v->has_signer = true;
    memcpy(v->box_sk, from->box_sk, sizeof v->box_sk);
    v->has_box = from->has_box;
    return vault_finish(v);
}

/* ---- KDF parameters ---- */

void vault_kdf_params(vault_cost cost, vault_kdf *out) {
    if (!out) return;
    memset(out, 0, sizeof *out);
    out->alg = crypto_pwhash_ALG_ARGON2ID13;
    switch (cost) {
    case KDF_INTERACTIVE:
        out->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        out->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
        break;
    case KDF_SENSITIVE:
        out->opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
        out->memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
        break;
    case KDF_MODERATE:
    default:
        out->opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
        out->memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
        break;
    }
    randombytes_buf(out->salt, sizeof out->salt);
}

bool vault_kdf_check(const vault_kdf *k, error *err) {
    if (!k) {
        error_set(err, ERR_INTERNAL, "missing key derivation parameters");
        return false;
    }
    if (k->alg != crypto_pwhash_ALG_ARGON2ID13) {
        error_set(err, ERR_TAMPERED, "key derivation algorithm %d is not Argon2id (%d)", k->alg,
                crypto_pwhash_ALG_ARGON2ID13);
        return false;
    }
    if (k->opslimit < OPS_MIN || k->opslimit > OPS_MAX) {
        error_set(err, ERR_TAMPERED, "key derivation opslimit %llu is outside [%llu, %llu]", (unsigned long long)k->opslimit,
                (unsigned long long)OPS_MIN, (unsigned long long)OPS_MAX);
        return false;
    }
    if (k->memlimit < MEM_MIN || k->memlimit > MEM_MAX || k->memlimit > SIZE_MAX) {
        error_set(err, ERR_TAMPERED, "key derivation memlimit %llu is outside [%llu, %llu]", (unsigned long long)k->memlimit,
                (unsigned long long)MEM_MIN, (unsigned long long)MEM_MAX);
        return false;
    }
    return true;
}

/* ---- wrapping the staff secret key ---- */

/* KEK = Argon2id(passphrase, salt) under the stored (already checked) parameters. */
static bool derive_kek(unsigned char kek[VAULT_KEY_BYTES], const char *pass, size_t passlen, const vault_kdf *k) {
    if (passlen > crypto_pwhash_PASSWD_MAX) return false;
    return crypto_pwhash(kek, VAULT_KEY_BYTES, pass, (unsigned long long)passlen, k->salt,
                         (unsigned long long)k->opslimit, (size_t)k->memlimit, k->alg) == 0;
}

/* Associated data of a wrap: label || staff_id || NUL || alg (4 LE) || opslimit (8 LE) || memlimit (8 LE) ||
 * salt. malloc'd (nothing secret); NULL when out of memory. */
static unsigned char *wrap_ad(const char *staff_id, const vault_kdf *k, size_t *adlen) {
    size_t label = sizeof WRAP_LABEL - 1, id = strlen(staff_id);
    if (id > SIZE_MAX - label - 1 - WRAP_PARAMS_BYTES) return NULL;
    size_t n = label + id + 1 + WRAP_PARAMS_BYTES;
    unsigned char *ad = malloc(n), *p = ad;
    if (!ad) return NULL;
    memcpy(p, WRAP_LABEL, label), p += label;
    memcpy(p, staff_id, id + 1), p += id + 1; /* with its NUL */
    put_le(p, (uint32_t)k->alg, 4), p += 4;
    put_le(p, k->opslimit, 8), p += 8;
    put_le(p, k->memlimit, 8), p += 8;
    memcpy(p, k->salt, VAULT_SALT_BYTES);
    *adlen = n;
    return ad;
}

/* wrapped = nonce || XChaCha20-Poly1305(sk) under kek. */
static bool wrap_secret(const unsigned char *sk, const unsigned char *kek, const char *staff_id, const vault_kdf *k,
                        unsigned char wrapped[VAULT_WRAPPED_BYTES]) {
    size_t adlen;
    unsigned char *ad = wrap_ad(staff_id, k, &adlen);
    if (!ad) return false;
    unsigned long long clen = 0;
    randombytes_buf(wrapped, AEAD_NONCE);
    int rc = crypto_aead_xchacha20poly1305_ietf_encrypt(wrapped + AEAD_NONCE, &clen, sk, crypto_box_SECRETKEYBYTES,
                                                        ad, adlen, NULL, wrapped, kek);
    free(ad);
    return rc == 0 && clen == VAULT_WRAPPED_BYTES - AEAD_NONCE;
}

/* Opens the wrapped secret key of k into sk (sodium_malloc'd, crypto_box_SECRETKEYBYTES) and checks that
 * it belongs to k->public_key. Parameters must have been checked. */
static bool unwrap_secret(const char *staff_id, const char *pass, size_t passlen, const vault_staff_keys *k,
                          unsigned char *sk) {
    bool ok = false;
    unsigned char *kek = sodium_malloc(VAULT_KEY_BYTES);
    unsigned char *ad = NULL;
    size_t adlen = 0;
    unsigned long long mlen = 0;
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    if (!kek) goto out;
    if (!derive_kek(kek, pass, passlen, &k->kdf)) goto out;
    if (!(ad = wrap_ad(staff_id, &k->kdf, &adlen))) goto out;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk, &mlen, NULL, k->wrapped_secret + AEAD_NONCE,
                                                   VAULT_WRAPPED_BYTES - AEAD_NONCE, ad, adlen, k->wrapped_secret,
                                                   kek) != 0 ||
        mlen != crypto_box_SECRETKEYBYTES)
        goto out;
    /* The stored public key must be the one of this secret key. */
    if (crypto_scalarmult_base(pk, sk) != 0 || sodium_memcmp(pk, k->public_key, sizeof pk) != 0) goto out;
    ok = true;
out:
    if (!ok) sodium_memzero(sk, crypto_box_SECRETKEYBYTES);
    free(ad);
    sodium_free(kek);
    return ok;
}

/* Common argument checks of enroll / unlock / rewrap. */
static bool check_staff_id(const char *staff_id, error *err) {
    if (!staff_id || !*staff_id) {
        error_set(err, ERR_INTERNAL, "missing staff id");
        return false;
    }
    return true;
}

static bool check_new_passphrase(const char *pass, size_t passlen, error *err) {
    if (!pass && passlen) {
        error_set(err, ERR_INPUT, "missing passphrase");
        return false;
    }
    if (passlen < VAULT_PASSPHRASE_MIN) {
        error_set(err, ERR_INPUT, "the passphrase is too short: it needs at least %d bytes", VAULT_PASSPHRASE_MIN);
        return false;
    }
    if (passlen > crypto_pwhash_PASSWD_MAX) {
        error_set(err, ERR_INPUT, "the passphrase is too long");
        return false;
    }
    return true;
}

bool vault_enroll(const vault *v, const char *staff_id, const char *passphrase, size_t passlen,
                  const vault_kdf *kdf, vault_staff_keys *out, error *err) {
    unsigned char pk[VAULT_SIGN_PK_BYTES], pop[VAULT_SIG_BYTES];
    return vault_enroll_signed(v, NULL, staff_id, passphrase, passlen, kdf, out, pk, pop, err);
}

/* Installs the signing key derived from x_sk in self (writable for the moment). */
static bool install_signer(vault *self, const unsigned char *x_sk) {
    if (sodium_mprotect_readwrite(self) != 0) return false;
    bool ok = derive_signer(x_sk, self->sign_pk, self->sign_sk);
    self->has_signer = ok;
    memcpy(self->box_sk, x_sk, sizeof self->box_sk);
    self->has_box = ok;
    (void)sodium_mprotect_readonly(self);
    return ok;
}

bool vault_enroll_signed(const vault *v, vault *self, const char *staff_id, const char *passphrase, size_t passlen,
                         const vault_kdf *kdf, vault_staff_keys *out, unsigned char sign_pk[VAULT_SIGN_PK_BYTES],
                         unsigned char pop[VAULT_SIG_BYTES], error *err) {
    if (!v || !out || !sign_pk || !pop) {
        error_set(err, ERR_INTERNAL, "no unlocked vault to enrol with");
        return false;
    }
    if (!check_staff_id(staff_id, err) || !check_new_passphrase(passphrase, passlen, err) ||
        !vault_kdf_check(kdf, err))
        return false;

    bool ok = false;
    vault_staff_keys nk;
    memset(&nk, 0, sizeof nk);
    nk.kdf = *kdf;
    unsigned char *sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
    unsigned char *kek = sodium_malloc(VAULT_KEY_BYTES);
    unsigned char *ssk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
    if (!sk || !kek || !ssk) {
        error_set(err, ERR_INTERNAL, "out of secure memory");
        goto out;
    }
    if (crypto_box_keypair(nk.public_key, sk) != 0) {
        error_set(err, ERR_INTERNAL, "could not create a key pair");
        goto out;
    }
    if (!derive_signer(sk, sign_pk, ssk) || !pop_sign(ssk, sign_pk, staff_id, pop) ||
        (self && !install_signer(self, sk))) {
        error_set(err, ERR_INTERNAL, "could not create a signing key");
        goto out;
    }
    if (!derive_kek(kek, passphrase, passlen, &nk.kdf)) {
        error_set(err, ERR_INTERNAL, "could not derive a key from the passphrase (out of memory?)");
        goto out;
    }
    if (!wrap_secret(sk, kek, staff_id, &nk.kdf, nk.wrapped_secret)) {
        error_set(err, ERR_INTERNAL, "could not wrap the secret key");
        goto out;
    }
    if (!vault_seal_data_key(v, nk.public_key, nk.sealed_data_key)) {
        error_set(err, ERR_INTERNAL, "could not seal the data key");
        goto out;
    }
    *out = nk;
    ok = true;
out:
    sodium_free(ssk);
    sodium_free(kek);
    sodium_free(sk);
    return ok;
}

vault *vault_unlock(const char *staff_id, const char *passphrase, size_t passlen, const vault_staff_keys *k,
                    error *err) {
    if (!k) {
        error_set(err, ERR_INTERNAL, "missing key material");
        return NULL;
    }
    if (!check_staff_id(staff_id, err) || !vault_kdf_check(&k->kdf, err)) return NULL;
    if (!passphrase && passlen) {
        error_set(err, ERR_INPUT, "missing passphrase");
        return NULL;
    }

    vault *v = NULL;
    unsigned char *sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
    if (!sk || !(v = vault_alloc())) {
        error_set(err, ERR_INTERNAL, "out of secure memory");
        goto fail;
    }
    if (!unwrap_secret(staff_id, passphrase, passlen, k, sk)) goto bad;
    if (crypto_box_seal_open(v->data_key, k->sealed_data_key, VAULT_SEALED_KEY_BYTES, k->public_key, sk) != 0) goto bad;
    /* the staff member's signing key, for the audit trail: derived from the secret just unwrapped */
    if (!derive_signer(sk, v->sign_pk, v->sign_sk)) goto bad;
    v->has_signer = true;
    /* kept for the clinical key sealed to this member (vault_clinical_open), wiped with the vault */
    memcpy(v->box_sk, sk, sizeof v->box_sk);
    v->has_box = true;
    sodium_free(sk);
    sk = NULL;
    if (!(v = vault_finish(v))) error_set(err, ERR_INTERNAL, "could not derive the sub-keys");
    return v;
bad:
    error_set(err, ERR_AUTH, UNLOCK_FAILED);
fail:
    sodium_free(sk);
    vault_free(v);
    return NULL;
}

bool vault_rewrap(const char *staff_id, const char *old_pass, size_t old_len, const char *new_pass, size_t new_len,
                  const vault_kdf *new_kdf, vault_staff_keys *k, error *err) {
    if (!k) {
        error_set(err, ERR_INTERNAL, "missing key material");
        return false;
    }
    /* Everything that needs no derivation first. */
    if (!check_staff_id(staff_id, err) || !check_new_passphrase(new_pass, new_len, err) ||
        !vault_kdf_check(new_kdf, err) || !vault_kdf_check(&k->kdf, err))
        return false;
    if (!old_pass && old_len) {
        error_set(err, ERR_INPUT, "missing passphrase");
        return false;
    }

    bool ok = false;
    unsigned char wrapped[VAULT_WRAPPED_BYTES];
    vault_kdf nkdf = *new_kdf;
    unsigned char *sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
    unsigned char *kek = sodium_malloc(VAULT_KEY_BYTES);
    if (!sk || !kek) {
        error_set(err, ERR_INTERNAL, "out of secure memory");
        goto out;
    }
    if (!unwrap_secret(staff_id, old_pass, old_len, k, sk)) {
        error_set(err, ERR_AUTH, UNLOCK_FAILED);
        goto out;
    }
    if (!derive_kek(kek, new_pass, new_len, &nkdf)) {
        error_set(err, ERR_INTERNAL, "could not derive a key from the new passphrase (out of memory?)");
        goto out;
    }
    if (!wrap_secret(sk, kek, staff_id, &nkdf, wrapped)) {
        error_set(err, ERR_INTERNAL, "could not wrap the secret key");
        goto out;
    }
    memcpy(k->wrapped_secret, wrapped, sizeof wrapped);
    k->kdf = nkdf;
    ok = true;
out:
    sodium_free(kek);
    sodium_free(sk);
    return ok;
}

bool vault_seal_data_key(const vault *v, const unsigned char pk[VAULT_PK_BYTES],
                         unsigned char out[VAULT_SEALED_KEY_BYTES]) {
    if (!v || !pk || !out) return false;
    return crypto_box_seal(out, v->data_key, VAULT_KEY_BYTES, pk) == 0;
}

/* ---- fields ---- */

/* Associated data of a field: version || table || NUL || column || NUL || row_id. malloc'd; NULL when an
 * argument is missing or empty, or out of memory. */
static unsigned char *field_ad_v(unsigned char version, const char *table, const char *column, const char *row_id,
                                 size_t *adlen) {
    if (!table || !column || !row_id || !*table || !*column || !*row_id) return NULL;
    size_t t = strlen(table), c = strlen(column), r = strlen(row_id);
    if (t > SIZE_MAX / 4 || c > SIZE_MAX / 4 || r > SIZE_MAX / 4) return NULL;
    size_t n = 1 + t + 1 + c + 1 + r;
    unsigned char *ad = malloc(n), *p = ad;
    if (!ad) return NULL;
    *p++ = version;
    memcpy(p, table, t + 1), p += t + 1;
    memcpy(p, column, c + 1), p += c + 1;
    memcpy(p, row_id, r);
    *adlen = n;
    return ad;
}

static unsigned char *field_ad(const char *table, const char *column, const char *row_id, size_t *adlen) {
    return field_ad_v(VAULT_FIELD_VERSION, table, column, row_id, adlen);
}

bool vault_seal(const vault *v, const char *table, const char *column, const char *row_id, const void *plain,
                size_t len, unsigned char **out, size_t *outlen) {
    if (out) *out = NULL;
    if (outlen) *outlen = 0;
    if (!v || !out || !outlen || (!plain && len)) return false;
    if (len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX || len > SIZE_MAX - VAULT_FIELD_OVERHEAD)
        return false;
    size_t adlen;
    unsigned char *ad = field_ad(table, column, row_id, &adlen);
    if (!ad) return false;
    size_t n = VAULT_FIELD_OVERHEAD + len;
    unsigned char *ct = malloc(n);
    if (!ct) {
        free(ad);
        return false;
    }
    unsigned long long clen = 0;
    ct[0] = VAULT_FIELD_VERSION;
    randombytes_buf(ct + 1, AEAD_NONCE);
    int rc = crypto_aead_xchacha20poly1305_ietf_encrypt(ct + 1 + AEAD_NONCE, &clen, plain, len, ad, adlen, NULL,
                                                        ct + 1, v->field_key);
    free(ad);
    if (rc != 0 || clen != len + AEAD_TAG) {
        free(ct);
        return false;
    }
    *out = ct;
    *outlen = n;
    return true;
}

bool vault_open(const vault *v, const char *table, const char *column, const char *row_id, const unsigned char *ct,
                size_t ctlen, char **plain, size_t *len) {
    if (plain) *plain = NULL;
    if (len) *len = 0;
    if (!v || !ct || !plain || !len) return false;
    if (ctlen < VAULT_FIELD_OVERHEAD || ct[0] != VAULT_FIELD_VERSION) return false;
    size_t mlen = ctlen - VAULT_FIELD_OVERHEAD;
    size_t adlen;
    unsigned char *ad = field_ad(table, column, row_id, &adlen);
    if (!ad) return false;
    unsigned char *m = (unsigned char *)secret_alloc(mlen + 1); /* guarded; the caller frees it with secret_free */
    if (!m) {
        free(ad);
        return false;
    }
    unsigned long long got = 0;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(m, &got, NULL, ct + 1 + AEAD_NONCE, ctlen - 1 - AEAD_NONCE,
                                                        ad, adlen, ct + 1, v->field_key);
    free(ad);
    if (rc != 0 || got != mlen) {
        secret_free(m); /* wipes whatever may have been written */
        return false;
    }
    m[mlen] = '\0';
    *plain = (char *)m;
    *len = mlen;
    return true;
}

bool vault_open_buf(const vault *v, const char *table, const char *column, const char *row_id,
                    const unsigned char *ct, size_t ctlen, vault_buf *out) {
    out->len = 0;
    if (!v || !ct || ctlen < VAULT_FIELD_OVERHEAD || ct[0] != VAULT_FIELD_VERSION) return false;
    size_t mlen = ctlen - VAULT_FIELD_OVERHEAD;
    if (!out->p || out->cap < mlen + 1) {
        size_t cap = out->cap ? out->cap : 4096;
        while (cap < mlen + 1) cap *= 2;
        secret_free(out->p); /* wipes the old one */
        out->p = (unsigned char *)secret_alloc(cap);
        out->cap = out->p ? cap : 0;
        if (!out->p) return false;
    }
    size_t adlen;
    unsigned char *ad = field_ad(table, column, row_id, &adlen);
    if (!ad) return false;
    unsigned long long got = 0;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(out->p, &got, NULL, ct + 1 + AEAD_NONCE,
                                                        ctlen - 1 - AEAD_NONCE, ad, adlen, ct + 1, v->field_key);
    free(ad);
    if (rc != 0 || got != mlen) {
        sodium_memzero(out->p, out->cap); /* whatever may have been written */
        return false;
    }
    out->p[mlen] = '\0';
    out->len = mlen;
    return true;
}

void vault_buf_wipe(vault_buf *b) {
    if (b->p && b->len) sodium_memzero(b->p, b->len + 1);
    b->len = 0;
}

void vault_buf_free(vault_buf *b) {
    secret_free(b->p); /* the one way a secret is freed */
    memset(b, 0, sizeof *b);
}

/* ---- the clinical key (notes) ---- */

_Static_assert(VAULT_NOTE_OVERHEAD == 1 + crypto_box_SEALBYTES + VAULT_KEY_BYTES + AEAD_NONCE + AEAD_TAG,
               "note overhead");
_Static_assert(VAULT_NOTE_VERSION != VAULT_FIELD_VERSION, "a note and a field tell apart by their first byte");
#define NOTE_ENV_BYTES (crypto_box_SEALBYTES + VAULT_KEY_BYTES)

/* sk random, pk from it; NULL when secure memory is short. */
static vault_clinical *clinical_alloc(void) {
    vault_clinical *c = sodium_malloc(sizeof *c);
    if (c) sodium_memzero(c, sizeof *c);
    return c;
}

static vault_clinical *clinical_finish(vault_clinical *c) {
    if (crypto_scalarmult_base(c->pk, c->sk) != 0) {
        sodium_free(c);
        return NULL;
    }
    (void)sodium_mprotect_readonly(c);
    return c;
}

vault_clinical *vault_clinical_create(void) {
    if (sodium_init() < 0) return NULL;
    vault_clinical *c = clinical_alloc();
    if (!c) return NULL;
    randombytes_buf(c->sk, sizeof c->sk);
    return clinical_finish(c);
}

vault_clinical *vault_clinical_open(const vault *v, const unsigned char env[VAULT_SEALED_KEY_BYTES]) {
    if (!v || !v->has_box || !env) return NULL;
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    if (crypto_scalarmult_base(pk, v->box_sk) != 0) return NULL;
    vault_clinical *c = clinical_alloc();
    if (!c) return NULL;
    if (crypto_box_seal_open(c->sk, env, VAULT_SEALED_KEY_BYTES, pk, v->box_sk) != 0) {
        sodium_free(c); /* wipes whatever may have been written */
        return NULL;
    }
    return clinical_finish(c);
}

bool vault_clinical_seal_to(const vault_clinical *c, const unsigned char staff_pk[VAULT_PK_BYTES],
                            unsigned char env[VAULT_SEALED_KEY_BYTES]) {
    return c && staff_pk && env && crypto_box_seal(env, c->sk, sizeof c->sk, staff_pk) == 0;
}

void vault_clinical_pk(const vault_clinical *c, unsigned char pk[VAULT_PK_BYTES]) {
    if (c && pk) memcpy(pk, c->pk, VAULT_PK_BYTES);
}

void vault_clinical_free(vault_clinical *c) {
    if (c) sodium_free(c);
}

/* A note key and its envelope (the key sealed to one clinical public key), kept for many notes: sealing the
 * envelope (crypto_box_seal, two X25519 operations) was the largest part of saving an intake with a note, and the
 * envelope says nothing a note's reader needs fresh. Each note still gets its own random nonce under XChaCha20-
 * Poly1305, whose 192-bit nonces make a key safe for any number of notes, and its table, column and row as
 * associated data, so no note can be moved onto another row; the format is the same as one key per note. */
struct vault_note_sealer {
    unsigned char key[VAULT_KEY_BYTES];
    unsigned char env[NOTE_ENV_BYTES];
    unsigned char pk[VAULT_PK_BYTES];
};

vault_note_sealer *vault_note_sealer_new(const unsigned char clinical_pk[VAULT_PK_BYTES]) {
    if (!clinical_pk || sodium_init() < 0) return NULL;
    vault_note_sealer *ns = sodium_malloc(sizeof *ns);
    if (!ns) return NULL;
    randombytes_buf(ns->key, sizeof ns->key);
    memcpy(ns->pk, clinical_pk, sizeof ns->pk);
    if (crypto_box_seal(ns->env, ns->key, VAULT_KEY_BYTES, clinical_pk) != 0) {
        vault_note_sealer_free(ns);
        return NULL;
    }
    return ns;
}

bool vault_note_sealer_for(const vault_note_sealer *ns, const unsigned char clinical_pk[VAULT_PK_BYTES]) {
    return ns && clinical_pk && sodium_memcmp(ns->pk, clinical_pk, VAULT_PK_BYTES) == 0;
}

void vault_note_sealer_free(vault_note_sealer *ns) {
    if (ns) sodium_free(ns); /* sodium_free wipes it */
}

bool vault_note_seal_by(const vault_note_sealer *ns, const char *table, const char *column, const char *row_id,
                        const void *plain, size_t len, unsigned char **out, size_t *outlen) {
    if (out) *out = NULL;
    if (outlen) *outlen = 0;
    if (!ns || !out || !outlen || (!plain && len)) return false;
    if (len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX || len > SIZE_MAX - VAULT_NOTE_OVERHEAD) return false;
    size_t adlen;
    unsigned char *ad = field_ad_v(VAULT_NOTE_VERSION, table, column, row_id, &adlen);
    unsigned char *ct = ad ? malloc(VAULT_NOTE_OVERHEAD + len) : NULL;
    bool ok = false;
    if (ct) {
        /* version || the note key sealed to the clinical public key || nonce || ciphertext and tag */
        unsigned char *env = ct + 1, *nonce = env + NOTE_ENV_BYTES, *body = nonce + AEAD_NONCE;
        unsigned long long clen = 0;
        ct[0] = VAULT_NOTE_VERSION;
        memcpy(env, ns->env, NOTE_ENV_BYTES);
        randombytes_buf(nonce, AEAD_NONCE);
        ok = crypto_aead_xchacha20poly1305_ietf_encrypt(body, &clen, plain, len, ad, adlen, NULL, nonce, ns->key) == 0 &&
             clen == len + AEAD_TAG;
    }
    free(ad);
    if (!ok) {
        free(ct);
        return false;
    }
    *out = ct;
    *outlen = VAULT_NOTE_OVERHEAD + len;
    return true;
}

bool vault_note_seal(const unsigned char clinical_pk[VAULT_PK_BYTES], const char *table, const char *column,
                     const char *row_id, const void *plain, size_t len, unsigned char **out, size_t *outlen) {
    if (out) *out = NULL;
    if (outlen) *outlen = 0;
    vault_note_sealer *ns = vault_note_sealer_new(clinical_pk);
    bool ok = ns && vault_note_seal_by(ns, table, column, row_id, plain, len, out, outlen);
    vault_note_sealer_free(ns);
    return ok;
}

bool vault_note_open(const vault_clinical *c, const char *table, const char *column, const char *row_id,
                     const unsigned char *ct, size_t ctlen, char **plain, size_t *len) {
    if (plain) *plain = NULL;
    if (len) *len = 0;
    if (!c || !ct || !plain || !len) return false;
    if (ctlen < VAULT_NOTE_OVERHEAD || ct[0] != VAULT_NOTE_VERSION) return false;
    size_t mlen = ctlen - VAULT_NOTE_OVERHEAD, adlen = 0;
    const unsigned char *env = ct + 1, *nonce = env + NOTE_ENV_BYTES, *body = nonce + AEAD_NONCE;
    unsigned char *ad = field_ad_v(VAULT_NOTE_VERSION, table, column, row_id, &adlen);
    unsigned char *key = sodium_malloc(VAULT_KEY_BYTES);
    unsigned char *m = ad && key ? (unsigned char *)secret_alloc(mlen + 1) : NULL;
    unsigned long long got = 0;
    bool ok = m && crypto_box_seal_open(key, env, NOTE_ENV_BYTES, c->pk, c->sk) == 0 &&
              crypto_aead_xchacha20poly1305_ietf_decrypt(m, &got, NULL, body, mlen + AEAD_TAG, ad, adlen, nonce, key) == 0 &&
              got == mlen;
    sodium_free(key);
    free(ad);
    if (!ok) {
        secret_free(m); /* wipes whatever may have been written */
        return false;
    }
    m[mlen] = '\0';
    *plain = (char *)m;
    *len = mlen;
    return true;
}

int vault_sealed_version(const unsigned char *ct, size_t n) { return ct && n ? ct[0] : -1; }

/* ---- blind indexes ---- */

uint32_t vault_blind_index(const vault *v, const char *kind, const char *normalised, int bits) {
    if (!v || !kind || !normalised || bits <= 0) return 0; /* width 0: one value for all (a small database) */
    if (bits > 32) bits = 32;
    /* libsodium's BLAKE2b does not produce fewer than crypto_generichash_BYTES_MIN (16) bytes; the first
     * four are used. */
    unsigned char h[crypto_generichash_BYTES_MIN];
    crypto_generichash_state st;
    static const unsigned char nul = 0;
    uint32_t x = 0;
    if (crypto_generichash_init(&st, v->blind_key, VAULT_KEY_BYTES, sizeof h) == 0 &&
        crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind)) == 0 &&
        crypto_generichash_update(&st, &nul, 1) == 0 &&
        crypto_generichash_update(&st, (const unsigned char *)normalised, strlen(normalised)) == 0 &&
        crypto_generichash_final(&st, h, sizeof h) == 0)
        x = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
    sodium_memzero(&st, sizeof st); /* holds the keyed state */
    sodium_memzero(h, sizeof h);
    return bits == 32 ? x : x & ((UINT32_C(1) << bits) - 1u);
}

void vault_pseudonym(const vault *v, const char *kind, const char *id, char out[VAULT_PSEUDONYM_HEX]) {
    out[0] = '\0';
    if (!v || !kind || !id) return;
    /* derived when needed, in guarded memory, and wiped: exports are rare */
    unsigned char *key = vault_pseudonym_key(v);
    vault_pseudonym_with(key, kind, id, out);
    secret_free(key);
}

unsigned char *vault_pseudonym_key(const vault *v) {
    unsigned char *key = v ? (unsigned char *)secret_alloc(VAULT_KEY_BYTES) : NULL; /* secret_free releases it */
    if (key && crypto_kdf_derive_from_key(key, VAULT_KEY_BYTES, SUBKEY_PSEUDONYM, KDF_CONTEXT, v->data_key) != 0) {
        secret_free(key);
        key = NULL;
    }
    return key;
}

void vault_pseudonym_with(const unsigned char *key, const char *kind, const char *id, char out[VAULT_PSEUDONYM_HEX]) {
    out[0] = '\0';
    if (!key || !kind || !id) return;
    unsigned char h[16];
    crypto_generichash_state st;
    static const unsigned char nul = 0;
    if (crypto_generichash_init(&st, key, VAULT_KEY_BYTES, sizeof h) == 0 &&
        crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind)) == 0 &&
        crypto_generichash_update(&st, &nul, 1) == 0 &&
        crypto_generichash_update(&st, (const unsigned char *)id, strlen(id)) == 0 &&
        crypto_generichash_final(&st, h, sizeof h) == 0)
        sodium_bin2hex(out, VAULT_PSEUDONYM_HEX, h, sizeof h);
    sodium_memzero(&st, sizeof st);
    sodium_memzero(h, sizeof h);
}

/* The date-shift key has a context of its own (not a sub-key number beside the others): a purpose apart, and no
 * clash with a sub-key another change adds. */
#define DATE_SHIFT_CONTEXT "dateshft"
_Static_assert(sizeof DATE_SHIFT_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES, "date shift context size");

unsigned char *vault_date_shift_key(const vault *v) {
    unsigned char *key = v ? (unsigned char *)secret_alloc(VAULT_KEY_BYTES) : NULL; /* secret_free releases it */
    if (key && crypto_kdf_derive_from_key(key, VAULT_KEY_BYTES, 1, DATE_SHIFT_CONTEXT, v->data_key) != 0) {
        secret_free(key);
        key = NULL;
    }
    return key;
}

int64_t vault_date_shift_days(const unsigned char *key, const char *pseudonym, int max_days) {
    if (!key || !pseudonym || max_days < 1) return 0;
    unsigned char h[16];
    if (crypto_generichash(h, sizeof h, (const unsigned char *)pseudonym, strlen(pseudonym), key, VAULT_KEY_BYTES) != 0)
        return 0;
    uint64_t r = 0;
    for (int i = 0; i < 8; i++) r = (r << 8) | h[i];
    bool back = h[8] & 1;
    sodium_memzero(h, sizeof h);
    /* the bias of a 64-bit value modulo a few hundred is below 2^-50 */
    int64_t days = 1 + (int64_t)(r % (uint64_t)max_days);
    return back ? -days : days;
}

/* ---- audit ---- */

void vault_chain_hash(const unsigned char prev[VAULT_MAC_BYTES], const void *entry, size_t len,
                      unsigned char out[VAULT_MAC_BYTES]) {
    static const unsigned char zero[VAULT_MAC_BYTES];
    crypto_generichash_state st;
    if (!out) return;
    if (!prev) prev = zero;
    if (!entry) len = 0;
    if (crypto_generichash_init(&st, NULL, 0, VAULT_MAC_BYTES) != 0 ||
        crypto_generichash_update(&st, prev, VAULT_MAC_BYTES) != 0 ||
        (len && crypto_generichash_update(&st, entry, len) != 0) ||
        crypto_generichash_final(&st, out, VAULT_MAC_BYTES) != 0)
        memset(out, 0, VAULT_MAC_BYTES); /* cannot happen with these sizes */
}

void vault_audit_mac(const vault *v, const unsigned char hash[VAULT_MAC_BYTES], unsigned char out[VAULT_MAC_BYTES]) {
    if (!out) return;
    if (!v || !hash || crypto_generichash(out, VAULT_MAC_BYTES, hash, VAULT_MAC_BYTES, v->audit_key,
                                          VAULT_KEY_BYTES) != 0)
        memset(out, 0, VAULT_MAC_BYTES);
}

_Static_assert(VAULT_MAC_BYTES == crypto_auth_hmacsha512256_BYTES && crypto_auth_BYTES == VAULT_MAC_BYTES,
               "a row MAC is crypto_auth's, HMAC-SHA-512-256");

/* crypto_auth(out, msg, len, v->row_key), from the keyed state (the copy wiped: it stands for the key) */
static bool row_mac_of(const vault *v, const void *msg, size_t len, unsigned char out[VAULT_MAC_BYTES]) {
    crypto_auth_hmacsha512256_state st = v->row_mac_state;
    bool ok = crypto_auth_hmacsha512256_update(&st, msg, len) == 0 && crypto_auth_hmacsha512256_final(&st, out) == 0;
    sodium_memzero(&st, sizeof st);
    return ok;
}

void vault_row_mac(const vault *v, const void *msg, size_t len, unsigned char out[VAULT_MAC_BYTES]) {
    if (!out) return;
    if (!v || (!msg && len) || !row_mac_of(v, msg, len, out)) memset(out, 0, VAULT_MAC_BYTES);
}

bool vault_row_mac_ok(const vault *v, const void *msg, size_t len, const unsigned char mac[VAULT_MAC_BYTES]) {
    unsigned char want[VAULT_MAC_BYTES];
    bool ok = v && mac && (msg || !len) && row_mac_of(v, msg, len, want) && crypto_verify_32(want, mac) == 0;
    sodium_memzero(want, sizeof want);
    return ok;
}

unsigned char *vault_once_key(void) {
    unsigned char *k = (unsigned char *)secret_alloc(VAULT_ONCE_KEY_BYTES);
    if (k) randombytes_buf(k, VAULT_ONCE_KEY_BYTES);
    return k;
}

void vault_keyed_id(const unsigned char *key, const char *a, const char *b, unsigned char out[16]) {
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, VAULT_ONCE_KEY_BYTES, 16);
    crypto_generichash_update(&st, (const unsigned char *)a, strlen(a) + 1);
    crypto_generichash_update(&st, (const unsigned char *)b, strlen(b));
    crypto_generichash_final(&st, out, 16);
    sodium_memzero(&st, sizeof st);
}

void vault_random(void *buf, size_t n) {
    if (buf && n) randombytes_buf(buf, n);
}

bool vault_equal(const void *a, const void *b, size_t len) {
    if (len == 0) return true;
    if (!a || !b) return false;
    return sodium_memcmp(a, b, len) == 0;
}

/* ---- process ---- */

void vault_harden_process(void) {
    struct rlimit rl = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &rl);
#ifdef __linux__
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
    (void)umask(077);
}

/* ---- per-client keys (issue 13; see vault.h) ---- */

#define CLIENT_HEAD(idlen) (1 + 1 + (idlen)) /* version, id length, id */

void vault_client_key_new(unsigned char key[VAULT_KEY_BYTES]) { randombytes_buf(key, VAULT_KEY_BYTES); }

bool vault_client_key_seal(const vault *v, const char *client_id, const unsigned char key[VAULT_KEY_BYTES],
                           unsigned char **out, size_t *outlen) {
    return key && vault_seal(v, "clients", "key", client_id, key, VAULT_KEY_BYTES, out, outlen);
}

bool vault_client_key_open(const vault *v, const char *client_id, const unsigned char *ct, size_t n,
                           unsigned char key[VAULT_KEY_BYTES]) {
    if (!v || !ct || !key || n != VAULT_CLIENT_KEY_SEALED || ct[0] != VAULT_FIELD_VERSION) return false;
    size_t adlen;
    unsigned char *ad = field_ad("clients", "key", client_id, &adlen);
    if (!ad) return false;
    unsigned long long got = 0;
    /* straight into the caller's guarded memory: the key is never in an ordinary buffer */
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(key, &got, NULL, ct + 1 + AEAD_NONCE, n - 1 - AEAD_NONCE, ad,
                                                        adlen, ct + 1, v->field_key);
    free(ad);
    if (rc != 0 || got != VAULT_KEY_BYTES) {
        sodium_memzero(key, VAULT_KEY_BYTES);
        return false;
    }
    return true;
}

/* Associated data of a client-keyed value: the field's (version 3) || NUL || client id. */
static unsigned char *client_ad(const char *table, const char *column, const char *row_id, const char *client_id,
                                size_t *adlen) {
    size_t base = 0, idl = client_id ? strlen(client_id) : 0;
    if (idl == 0 || idl > VAULT_CLIENT_ID_MAX) return NULL;
    unsigned char *ad = field_ad_v(VAULT_CLIENT_VERSION, table, column, row_id, &base);
    unsigned char *more = ad ? realloc(ad, base + 1 + idl) : NULL;
    if (!more) {
        free(ad);
        return NULL;
    }
    more[base] = '\0';
    memcpy(more + base + 1, client_id, idl);
    *adlen = base + 1 + idl;
    return more;
}

bool vault_client_seal(const unsigned char key[VAULT_KEY_BYTES], const char *client_id, const char *table,
                       const char *column, const char *row_id, const void *plain, size_t len, unsigned char **out,
                       size_t *outlen) {
    if (out) *out = NULL;
    if (outlen) *outlen = 0;
    if (!key || !out || !outlen || (!plain && len)) return false;
    size_t idl = client_id ? strlen(client_id) : 0, adlen = 0;
    if (len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX || len > SIZE_MAX - 256) return false;
    unsigned char *ad = client_ad(table, column, row_id, client_id, &adlen);
    if (!ad) return false;
    size_t n = CLIENT_HEAD(idl) + AEAD_NONCE + len + AEAD_TAG;
    unsigned char *ct = malloc(n);
    unsigned long long clen = 0;
    bool ok = ct != NULL;
    if (ok) {
        ct[0] = VAULT_CLIENT_VERSION;
        ct[1] = (unsigned char)idl;
        memcpy(ct + 2, client_id, idl);
        unsigned char *nonce = ct + CLIENT_HEAD(idl);
        randombytes_buf(nonce, AEAD_NONCE);
        ok = crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + AEAD_NONCE, &clen, plain, len, ad, adlen, NULL, nonce,
                                                        key) == 0 &&
             clen == len + AEAD_TAG;
    }
    free(ad);
    if (!ok) {
        free(ct);
        return false;
    }
    *out = ct;
    *outlen = n;
    return true;
}

bool vault_client_of(const unsigned char *ct, size_t n, char id[VAULT_CLIENT_ID_MAX + 1]) {
    id[0] = '\0';
    if (!ct || n < 2 || ct[0] != VAULT_CLIENT_VERSION || ct[1] == 0 || ct[1] > VAULT_CLIENT_ID_MAX) return false;
    size_t idl = ct[1];
    if (n < CLIENT_HEAD(idl) + AEAD_NONCE + AEAD_TAG || memchr(ct + 2, '\0', idl)) return false;
    memcpy(id, ct + 2, idl);
    id[idl] = '\0';
    return true;
}

/* Decrypts a client-keyed value into m (mlen + 1 bytes at least); false when it does not open. */
static bool client_decrypt(const unsigned char key[VAULT_KEY_BYTES], const char *table, const char *column,
                           const char *row_id, const unsigned char *ct, size_t n, unsigned char *m, size_t *mlen) {
    char id[VAULT_CLIENT_ID_MAX + 1];
    if (!key || !vault_client_of(ct, n, id)) return false;
    size_t head = CLIENT_HEAD(strlen(id)), adlen = 0;
    unsigned char *ad = client_ad(table, column, row_id, id, &adlen);
    if (!ad) return false;
    unsigned long long got = 0;
    const unsigned char *nonce = ct + head;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(m, &got, NULL, nonce + AEAD_NONCE, n - head - AEAD_NONCE, ad,
                                                        adlen, nonce, key);
    free(ad);
    *mlen = (size_t)got;
    return rc == 0 && got == n - head - AEAD_NONCE - AEAD_TAG;
}

/* The plaintext length of a client-keyed value, or SIZE_MAX when it is not one. */
static size_t client_plain_len(const unsigned char *ct, size_t n) {
    char id[VAULT_CLIENT_ID_MAX + 1];
    return vault_client_of(ct, n, id) ? n - CLIENT_HEAD(strlen(id)) - AEAD_NONCE - AEAD_TAG : SIZE_MAX;
}

bool vault_client_open(const unsigned char key[VAULT_KEY_BYTES], const char *table, const char *column,
                       const char *row_id, const unsigned char *ct, size_t n, char **plain, size_t *len) {
    if (plain) *plain = NULL;
    if (len) *len = 0;
    size_t want = client_plain_len(ct, n), got = 0;
    if (!plain || !len || want == SIZE_MAX) return false;
    unsigned char *m = (unsigned char *)secret_alloc(want + 1); /* guarded; the caller frees it with secret_free */
    if (!m) return false;
    if (!client_decrypt(key, table, column, row_id, ct, n, m, &got)) {
        secret_free(m); /* wipes whatever may have been written */
        return false;
    }
    m[want] = '\0';
    *plain = (char *)m;
    *len = want;
    return true;
}

bool vault_client_open_buf(const unsigned char key[VAULT_KEY_BYTES], const char *table, const char *column,
                           const char *row_id, const unsigned char *ct, size_t n, vault_buf *out) {
    out->len = 0;
    size_t want = client_plain_len(ct, n), got = 0;
    if (want == SIZE_MAX) return false;
    if (!out->p || out->cap < want + 1) {
        size_t cap = out->cap ? out->cap : 4096;
        while (cap < want + 1) cap *= 2;
        secret_free(out->p); /* wipes the old one */
        out->p = (unsigned char *)secret_alloc(cap);
        out->cap = out->p ? cap : 0;
        if (!out->p) return false;
    }
    if (!client_decrypt(key, table, column, row_id, ct, n, out->p, &got)) {
        sodium_memzero(out->p, out->cap);
        return false;
    }
    out->p[want] = '\0';
    out->len = want;
    return true;
}
