/* The vault: field sealing (round trips, every single-byte change, moved and truncated ciphertexts, fresh
 * nonces), staff enrolment and unlock (wrong passphrase, short passphrase, changed staff id, tampered and
 * out-of-bounds KDF parameters, tampered key material), passphrase change, data key rotation, blind
 * indexes, the audit chain hash and MAC, the clinical key and notes sealed to it, process hardening.
 * Argon2id runs at KDF_INTERACTIVE (64 MiB); the whole file does about two dozen derivations. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "vault.h"

#define ALICE "alice"
#define ALICE_PASS "correct horse battery staple"
#define BOB "bob"
#define BOB_PASS "\xe6\x88\x91\xe7\x9a\x84\xe5\xaf\x86\xe7\xa0\x81\xe5\xbe\x88\xe9\x95\xbf" /* 我的密码很长 */
#define UNLOCK_MSG "wrong passphrase or damaged key material"

/* One vault with two enrolled staff members, shared by the whole group (enrolment costs a derivation). */
static vault *V;
static vault_staff_keys alice_keys, bob_keys;

static int group_setup(void **state) {
    (void)state;
    if (!vault_init() || !vault_init()) return -1;
    V = vault_create();
    if (!V) return -1;
    vault_kdf k;
    error err = {0};
    vault_kdf_params(KDF_INTERACTIVE, &k);
    if (!vault_enroll(V, ALICE, ALICE_PASS, strlen(ALICE_PASS), &k, &alice_keys, &err)) return -1;
    vault_kdf_params(KDF_INTERACTIVE, &k);
    if (!vault_enroll(V, BOB, BOB_PASS, strlen(BOB_PASS), &k, &bob_keys, &err)) return -1;
    return 0;
}

static int group_teardown(void **state) {
    (void)state;
    vault_free(V);
    V = NULL;
    return 0;
}

/* ---- helpers ---- */

static unsigned char *seal_str(const vault *v, const char *t, const char *c, const char *r, const char *s,
                               size_t *ctlen) {
    unsigned char *ct = NULL;
    assert_true(vault_seal(v, t, c, r, s, strlen(s), &ct, ctlen));
    assert_non_null(ct);
    assert_int_equal(*ctlen, VAULT_FIELD_OVERHEAD + strlen(s));
    return ct;
}

static void assert_opens_to(const vault *v, const char *t, const char *c, const char *r, const unsigned char *ct,
                            size_t ctlen, const void *want, size_t wantlen) {
    char *p = NULL;
    size_t n = 12345;
    assert_true(vault_open(v, t, c, r, ct, ctlen, &p, &n));
    assert_non_null(p);
    assert_int_equal(n, wantlen);
    if (wantlen) assert_memory_equal(p, want, wantlen);
    assert_int_equal(p[n], '\0');
    secret_free(p);
}

static void assert_open_fails(const vault *v, const char *t, const char *c, const char *r, const unsigned char *ct,
                              size_t ctlen) {
    char *p = (char *)"sentinel";
    size_t n = 12345;
    assert_false(vault_open(v, t, c, r, ct, ctlen, &p, &n));
    assert_null(p);
    assert_int_equal(n, 0);
}

/* a and b hold the same data key: each opens what the other sealed, same blind index, same audit MAC. */
static void assert_same_key(const vault *a, const vault *b) {
    static const char *msg = "Li Na, 138 0013 8000";
    size_t n;
    unsigned char *ct = seal_str(a, "clients", "name", "row-1", msg, &n);
    assert_opens_to(b, "clients", "name", "row-1", ct, n, msg, strlen(msg));
    free(ct);
    ct = seal_str(b, "clients", "name", "row-2", msg, &n);
    assert_opens_to(a, "clients", "name", "row-2", ct, n, msg, strlen(msg));
    free(ct);
    assert_int_equal(vault_blind_index(a, "name", "li na", 32), vault_blind_index(b, "name", "li na", 32));
    unsigned char h[VAULT_MAC_BYTES] = {7}, ma[VAULT_MAC_BYTES], mb[VAULT_MAC_BYTES];
    vault_audit_mac(a, h, ma);
    vault_audit_mac(b, h, mb);
    assert_memory_equal(ma, mb, VAULT_MAC_BYTES);
}

/* b cannot open what a sealed. */
static void assert_other_key(const vault *a, const vault *b) {
    size_t n;
    unsigned char *ct = seal_str(a, "clients", "name", "row-1", "Wang Fang", &n);
    assert_opens_to(a, "clients", "name", "row-1", ct, n, "Wang Fang", 9);
    assert_open_fails(b, "clients", "name", "row-1", ct, n);
    free(ct);
}

/* Unlocks and checks the result holds V's data key; returns it for more checks. */
static vault *unlock_ok(const char *id, const char *pass, const vault_staff_keys *k) {
    error err = {0};
    vault *u = vault_unlock(id, pass, strlen(pass), k, &err);
    if (!u) fail_msg("unlock of %s failed: %s", id, err.msg);
    return u;
}

/* Unlocking fails with the one message that does not tell which part was wrong. */
static void unlock_fails(const char *id, const char *pass, const vault_staff_keys *k) {
    error err = {0};
    vault *u = vault_unlock(id, pass, strlen(pass), k, &err);
    if (u) {
        vault_free(u);
        fail_msg("unlock of %s should have failed", id);
    }
    assert_string_equal(err.msg, UNLOCK_MSG);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- fields ---- */

static void test_seal_open_round_trip(void **state) {
    (void)state;
    static const char *values[] = {
        "Zhang Wei",
        "\xe5\xbc\xa0\xe4\xbc\x9f\xef\xbc\x8c\xe6\x9c\x80\xe8\xbf\x91\xe5\xa4\xb1\xe7\x9c\xa0", /* 张伟，最近失眠 */
        "x",
        "line one\nline two\ttab",
    };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        size_t n;
        unsigned char *ct = seal_str(V, "clients", "notes", "0b8f-uuid", values[i], &n);
        assert_int_equal(ct[0], VAULT_FIELD_VERSION);
        assert_opens_to(V, "clients", "notes", "0b8f-uuid", ct, n, values[i], strlen(values[i]));
        free(ct);
    }
}

static void test_seal_open_empty(void **state) {
    (void)state;
    unsigned char *ct = NULL;
    size_t n = 0;
    assert_true(vault_seal(V, "clients", "phone", "r1", NULL, 0, &ct, &n));
    assert_int_equal(n, VAULT_FIELD_OVERHEAD);
    assert_opens_to(V, "clients", "phone", "r1", ct, n, "", 0);
    /* the tag still covers an empty value */
    ct[n - 1] ^= 1;
    assert_open_fails(V, "clients", "phone", "r1", ct, n);
    free(ct);
    assert_true(vault_seal(V, "clients", "phone", "r1", "", 0, &ct, &n));
    assert_opens_to(V, "clients", "phone", "r1", ct, n, "", 0);
    free(ct);
}

static void test_seal_open_64k_binary(void **state) {
    (void)state;
    size_t len = 64 * 1024;
    unsigned char *big = malloc(len);
    assert_non_null(big);
    randombytes_buf(big, len);
    big[0] = 0;
    big[len / 2] = 0; /* embedded NULs survive */
    unsigned char *ct = NULL;
    size_t n = 0;
    assert_true(vault_seal(V, "answers", "free_text", "r64k", big, len, &ct, &n));
    assert_int_equal(n, VAULT_FIELD_OVERHEAD + len);
    assert_opens_to(V, "answers", "free_text", "r64k", ct, n, big, len);
    ct[n / 2] ^= 0x40;
    assert_open_fails(V, "answers", "free_text", "r64k", ct, n);
    free(ct);
    free(big);
}

static void test_ciphertext_hides_plaintext(void **state) {
    (void)state;
    const char *s = "Zhang Wei Zhang Wei Zhang Wei Zhang Wei";
    size_t n;
    unsigned char *ct = seal_str(V, "clients", "name", "r1", s, &n);
    assert_null(memmem(ct, n, "Zhang", 5));
    free(ct);
}

static void test_every_byte_flip_fails(void **state) {
    (void)state;
    const char *s = "Chen Jie";
    size_t n;
    unsigned char *ct = seal_str(V, "clients", "name", "row-7", s, &n);
    unsigned char *bad = malloc(n);
    assert_non_null(bad);
    static const unsigned char masks[] = {0x01, 0x80, 0xff};
    int tried = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < sizeof masks; m++) {
            memcpy(bad, ct, n);
            bad[i] ^= masks[m];
            assert_open_fails(V, "clients", "name", "row-7", bad, n);
            tried++;
        }
    assert_int_equal(tried, 3 * (int)(VAULT_FIELD_OVERHEAD + strlen(s)));
    /* control: the untouched value still opens */
    assert_opens_to(V, "clients", "name", "row-7", ct, n, s, strlen(s));
    free(bad);
    free(ct);
}

/* The export's opener (vault_open_buf): the same plaintext as vault_open into a buffer kept across fields,
 * grown for a longer one, wiped by vault_buf_wipe; the same refusals for a moved or altered ciphertext; and
 * the pseudonym key derived once gives the pseudonyms vault_pseudonym gives. */
static void test_open_buf_and_pseudonym_key(void **state) {
    (void)state;
    vault_buf b = {0};
    size_t n;
    unsigned char *ct = seal_str(V, "clients", "phone", "r1", "13800138000", &n);
    assert_true(vault_open_buf(V, "clients", "phone", "r1", ct, n, &b));
    assert_int_equal(b.len, 11);
    assert_string_equal((const char *)b.p, "13800138000");
    unsigned char *keep = b.p;
    vault_buf_wipe(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(keep[0], 0);
    assert_false(vault_open_buf(V, "clients", "phone", "r2", ct, n, &b)); /* another row */
    ct[n - 1] ^= 1;
    assert_false(vault_open_buf(V, "clients", "phone", "r1", ct, n, &b)); /* altered */
    free(ct);
    char big[10000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ct = seal_str(V, "intakes", "body", "i1", big, &n);
    assert_true(vault_open_buf(V, "intakes", "body", "i1", ct, n, &b));
    assert_true(b.cap > sizeof big - 1);
    assert_string_equal((const char *)b.p, big);
    free(ct);
    vault_buf_free(&b);
    assert_null(b.p);
    unsigned char *key = vault_pseudonym_key(V);
    assert_non_null(key);
    char a[VAULT_PSEUDONYM_HEX], c[VAULT_PSEUDONYM_HEX];
    vault_pseudonym(V, "client", "abc", a);
    vault_pseudonym_with(key, "client", "abc", c);
    assert_string_equal(a, c);
    vault_pseudonym_with(key, "intake", "abc", c);
    assert_string_not_equal(a, c);
    secret_free(key);
}

static void test_moved_ciphertext_fails(void **state) {
    (void)state;
    const char *s = "13800138000";
    size_t n;
    unsigned char *ct = seal_str(V, "clients", "phone", "r1", s, &n);
    assert_opens_to(V, "clients", "phone", "r1", ct, n, s, strlen(s));
    assert_open_fails(V, "clients", "phone", "r2", ct, n);      /* another row */
    assert_open_fails(V, "clients", "phone", "r10", ct, n);     /* row id with the same prefix */
    assert_open_fails(V, "clients", "name", "r1", ct, n);       /* another column */
    assert_open_fails(V, "intakes", "phone", "r1", ct, n);      /* another table */
    assert_open_fails(V, "clients", "phone", "R1", ct, n);      /* case matters */
    free(ct);

    /* the separators make table/column boundaries part of the binding */
    ct = seal_str(V, "ab", "c", "r", s, &n);
    assert_open_fails(V, "a", "bc", "r", ct, n);
    assert_open_fails(V, "ab", "cr", "", ct, n);
    assert_opens_to(V, "ab", "c", "r", ct, n, s, strlen(s));
    free(ct);

    /* another database's key */
    vault *w = vault_create();
    assert_non_null(w);
    assert_other_key(V, w);
    assert_other_key(w, V);
    vault_free(w);
}

static void test_truncated_and_short_fail(void **state) {
    (void)state;
    const char *s = "Liu Yang";
    size_t n;
    unsigned char *ct = seal_str(V, "clients", "name", "r1", s, &n);
    for (size_t len = 0; len < n; len++) assert_open_fails(V, "clients", "name", "r1", ct, len);
    /* dropping the first byte, or one more byte at the end */
    assert_open_fails(V, "clients", "name", "r1", ct + 1, n - 1);
    unsigned char *longer = malloc(n + 1);
    assert_non_null(longer);
    memcpy(longer, ct, n);
    longer[n] = 0;
    assert_open_fails(V, "clients", "name", "r1", longer, n + 1);
    free(longer);
    /* a wrong version byte with an otherwise plausible length */
    ct[0] = VAULT_FIELD_VERSION + 1;
    assert_open_fails(V, "clients", "name", "r1", ct, n);
    ct[0] = VAULT_FIELD_VERSION;
    assert_opens_to(V, "clients", "name", "r1", ct, n, s, strlen(s));
    free(ct);
    /* plaintext where a ciphertext belongs, and missing input */
    const char *plain = "this is not a sealed value at all, just text";
    assert_open_fails(V, "clients", "name", "r1", (const unsigned char *)plain, strlen(plain));
    assert_open_fails(V, "clients", "name", "r1", NULL, 0);
    assert_open_fails(NULL, "clients", "name", "r1", (const unsigned char *)plain, strlen(plain));
}

static void test_fresh_nonce(void **state) {
    (void)state;
    const char *s = "Zhou Min";
    size_t n1, n2;
    unsigned char *a = seal_str(V, "clients", "name", "r1", s, &n1);
    unsigned char *b = seal_str(V, "clients", "name", "r1", s, &n2);
    assert_int_equal(n1, n2);
    assert_memory_not_equal(a, b, n1);
    assert_memory_not_equal(a + 1, b + 1, 24); /* the nonces themselves */
    assert_opens_to(V, "clients", "name", "r1", a, n1, s, strlen(s));
    assert_opens_to(V, "clients", "name", "r1", b, n2, s, strlen(s));
    free(a);
    free(b);
}

static void test_seal_bad_arguments(void **state) {
    (void)state;
    unsigned char *ct = (unsigned char *)"x";
    size_t n = 99;
    assert_false(vault_seal(V, NULL, "c", "r", "v", 1, &ct, &n));
    assert_null(ct);
    assert_int_equal(n, 0);
    assert_false(vault_seal(V, "t", "c", "", "v", 1, &ct, &n));
    assert_false(vault_seal(V, "t", "", "r", "v", 1, &ct, &n));
    assert_false(vault_seal(V, "t", "c", "r", NULL, 1, &ct, &n));
    assert_false(vault_seal(NULL, "t", "c", "r", "v", 1, &ct, &n));
    assert_null(ct);
    secret_free(NULL);
}

/* ---- KDF parameters ---- */

static void test_kdf_params_and_bounds(void **state) {
    (void)state;
    error err = {0};
    vault_kdf a, b;
    vault_cost costs[] = {KDF_INTERACTIVE, KDF_MODERATE, KDF_SENSITIVE};
    uint64_t ops[] = {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_OPSLIMIT_MODERATE,
                      crypto_pwhash_OPSLIMIT_SENSITIVE};
    uint64_t mem[] = {crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_MODERATE,
                      crypto_pwhash_MEMLIMIT_SENSITIVE};
    for (int i = 0; i < 3; i++) {
        vault_kdf_params(costs[i], &a);
        assert_int_equal(a.alg, crypto_pwhash_ALG_ARGON2ID13);
        assert_int_equal(a.opslimit, ops[i]);
        assert_int_equal(a.memlimit, mem[i]);
        assert_true(vault_kdf_check(&a, &err));
    }
    vault_kdf_params(KDF_MODERATE, &a);
    vault_kdf_params(KDF_MODERATE, &b);
    assert_memory_not_equal(a.salt, b.salt, VAULT_SALT_BYTES);

    /* boundaries accepted */
    b = a;
    b.opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
    b.memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
    assert_true(vault_kdf_check(&b, &err));

    struct {
        int alg;
        uint64_t ops, mem;
        const char *word;
    } bad[] = {
        {crypto_pwhash_ALG_ARGON2ID13, 0, crypto_pwhash_MEMLIMIT_INTERACTIVE, "opslimit"},
        {crypto_pwhash_ALG_ARGON2ID13, crypto_pwhash_OPSLIMIT_INTERACTIVE - 1, crypto_pwhash_MEMLIMIT_INTERACTIVE,
         "opslimit"},
        {crypto_pwhash_ALG_ARGON2ID13, crypto_pwhash_OPSLIMIT_SENSITIVE + 1, crypto_pwhash_MEMLIMIT_INTERACTIVE,
         "opslimit"},
        {crypto_pwhash_ALG_ARGON2ID13, UINT64_MAX, crypto_pwhash_MEMLIMIT_INTERACTIVE, "opslimit"},
        {crypto_pwhash_ALG_ARGON2ID13, crypto_pwhash_OPSLIMIT_INTERACTIVE, (uint64_t)1 << 40, "memlimit"},
        {crypto_pwhash_ALG_ARGON2ID13, crypto_pwhash_OPSLIMIT_INTERACTIVE, (uint64_t)crypto_pwhash_MEMLIMIT_SENSITIVE + 1, "memlimit"},
        /* the planted wrap of the issue: 4 GiB and 16 passes */
        {crypto_pwhash_ALG_ARGON2ID13, 16, (uint64_t)4 << 30, "opslimit"},
        {crypto_pwhash_ALG_ARGON2ID13, crypto_pwhash_OPSLIMIT_INTERACTIVE, (uint64_t)4 << 30, "memlimit"},
        {crypto_pwhash_ALG_ARGON2ID13, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE - 1,
         "memlimit"},
        {crypto_pwhash_ALG_ARGON2ID13, crypto_pwhash_OPSLIMIT_INTERACTIVE, 0, "memlimit"},
        {crypto_pwhash_ALG_ARGON2I13, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
         "Argon2id"},
        {0, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE, "Argon2id"},
        {-1, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE, "Argon2id"},
    };
    double t0 = now_s();
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        b = alice_keys.kdf;
        b.alg = bad[i].alg;
        b.opslimit = bad[i].ops;
        b.memlimit = bad[i].mem;
        err.msg[0] = 0;
        assert_false(vault_kdf_check(&b, &err));
        assert_non_null(strstr(err.msg, bad[i].word));

        /* unlock, rewrap and enroll refuse before any derivation: the message is the bounds one (a
         * derivation with a 1 TiB memlimit or 17 passes would fail differently, or take seconds) */
        vault_staff_keys k = alice_keys;
        k.kdf = b;
        err.msg[0] = 0;
        vault *u = vault_unlock(ALICE, ALICE_PASS, strlen(ALICE_PASS), &k, &err);
        if (u) {
            vault_free(u);
            fail_msg("unlock with bad parameters %zu succeeded", i);
        }
        assert_non_null(strstr(err.msg, bad[i].word));
        err.msg[0] = 0;
        assert_false(vault_rewrap(ALICE, ALICE_PASS, strlen(ALICE_PASS), "another long passphrase", 23, &b,
                                  &alice_keys, &err));
        assert_non_null(strstr(err.msg, bad[i].word));
        vault_staff_keys out;
        err.msg[0] = 0;
        assert_false(vault_enroll(V, "carol", "carol's long passphrase", 23, &b, &out, &err));
        assert_non_null(strstr(err.msg, bad[i].word));
    }
    assert_true(now_s() - t0 < 0.25);
    assert_false(vault_kdf_check(NULL, &err));
    assert_false(vault_kdf_check(&b, NULL)); /* no message buffer is fine */
}

/* ---- staff keys ---- */

static void test_enroll_unlock(void **state) {
    (void)state;
    assert_memory_not_equal(alice_keys.public_key, bob_keys.public_key, VAULT_PK_BYTES);
    assert_memory_not_equal(alice_keys.wrapped_secret, bob_keys.wrapped_secret, VAULT_WRAPPED_BYTES);
    assert_memory_not_equal(alice_keys.kdf.salt, bob_keys.kdf.salt, VAULT_SALT_BYTES);
    assert_int_equal(alice_keys.kdf.alg, crypto_pwhash_ALG_ARGON2ID13);
    assert_int_equal(alice_keys.kdf.opslimit, crypto_pwhash_OPSLIMIT_INTERACTIVE);
    vault *u = unlock_ok(ALICE, ALICE_PASS, &alice_keys);
    assert_same_key(V, u);
    vault_free(u);
}

static void test_two_staff_same_data_key(void **state) {
    (void)state;
    vault *a = unlock_ok(ALICE, ALICE_PASS, &alice_keys);
    vault *b = unlock_ok(BOB, BOB_PASS, &bob_keys);
    assert_same_key(a, b);
    size_t n;
    unsigned char *ct = seal_str(a, "clients", "notes", "r9", "sealed by alice", &n);
    assert_opens_to(b, "clients", "notes", "r9", ct, n, "sealed by alice", 15);
    free(ct);
    vault_free(a);
    vault_free(b);
}

static void test_wrong_passphrase(void **state) {
    (void)state;
    unlock_fails(ALICE, "correct horse battery stapler", &alice_keys);
    unlock_fails(ALICE, BOB_PASS, &alice_keys); /* someone else's */
}

static void test_short_passphrase_rejected(void **state) {
    (void)state;
    error err = {0};
    vault_kdf k;
    vault_kdf_params(KDF_INTERACTIVE, &k);
    vault_staff_keys out;
    memset(&out, 0xab, sizeof out);
    vault_staff_keys before = out;
    assert_false(vault_enroll(V, "carol", "elevenbytes", 11, &k, &out, &err));
    assert_non_null(strstr(err.msg, "short"));
    assert_non_null(strstr(err.msg, "12"));
    assert_memory_equal(&out, &before, sizeof out);
    assert_false(vault_enroll(V, "carol", "", 0, &k, &out, &err));
    assert_false(vault_enroll(V, "carol", NULL, 0, &k, &out, &err));
    /* no staff id, no vault */
    assert_false(vault_enroll(V, "", "twelve bytes", 12, &k, &out, &err));
    assert_false(vault_enroll(NULL, "carol", "twelve bytes", 12, &k, &out, &err));
    /* exactly the minimum is accepted */
    assert_true(vault_enroll(V, "carol", "twelve bytes", 12, &k, &out, &err));
    assert_memory_not_equal(&out, &before, sizeof out);
}

static void test_changed_staff_id_fails(void **state) {
    (void)state;
    unlock_fails(BOB, ALICE_PASS, &alice_keys);
}

static void test_tampered_kdf_params_fail(void **state) {
    (void)state;
    vault_staff_keys k = alice_keys;
    k.kdf.opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE + 1; /* still in bounds */
    unlock_fails(ALICE, ALICE_PASS, &k);
    /* Argon2 counts memory in KiB, so +1 byte derives the very same key: only the associated data of
     * the wrap can catch this one */
    k = alice_keys;
    k.kdf.memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE + 1;
    unlock_fails(ALICE, ALICE_PASS, &k);
    k = alice_keys;
    k.kdf.salt[VAULT_SALT_BYTES - 1] ^= 1;
    unlock_fails(ALICE, ALICE_PASS, &k);
}

static void test_tampered_key_material_fails(void **state) {
    (void)state;
    vault_staff_keys k = alice_keys;
    k.wrapped_secret[0] ^= 1; /* nonce */
    unlock_fails(ALICE, ALICE_PASS, &k);
    k = alice_keys;
    k.wrapped_secret[30] ^= 1; /* wrapped key */
    unlock_fails(ALICE, ALICE_PASS, &k);
    k = alice_keys;
    k.sealed_data_key[VAULT_SEALED_KEY_BYTES - 1] ^= 1;
    unlock_fails(ALICE, ALICE_PASS, &k);
    k = alice_keys;
    memcpy(k.public_key, bob_keys.public_key, VAULT_PK_BYTES); /* swapped public key */
    unlock_fails(ALICE, ALICE_PASS, &k);
}

static void test_rewrap(void **state) {
    (void)state;
    error err = {0};
    const char *np = "a new and longer passphrase";
    vault_kdf nk;
    vault_kdf_params(KDF_INTERACTIVE, &nk);
    vault_staff_keys k = alice_keys;

    /* wrong old passphrase: false, nothing changed */
    assert_false(vault_rewrap(ALICE, "not the passphrase", 18, np, strlen(np), &nk, &k, &err));
    assert_string_equal(err.msg, UNLOCK_MSG);
    assert_memory_equal(&k, &alice_keys, sizeof k);
    /* too short a new passphrase: refused before anything */
    assert_false(vault_rewrap(ALICE, ALICE_PASS, strlen(ALICE_PASS), "short", 5, &nk, &k, &err));
    assert_non_null(strstr(err.msg, "short"));
    assert_memory_equal(&k, &alice_keys, sizeof k);

    assert_true(vault_rewrap(ALICE, ALICE_PASS, strlen(ALICE_PASS), np, strlen(np), &nk, &k, &err));
    assert_memory_equal(k.public_key, alice_keys.public_key, VAULT_PK_BYTES);
    assert_memory_equal(k.sealed_data_key, alice_keys.sealed_data_key, VAULT_SEALED_KEY_BYTES);
    assert_memory_equal(k.kdf.salt, nk.salt, VAULT_SALT_BYTES);
    assert_memory_not_equal(k.wrapped_secret, alice_keys.wrapped_secret, VAULT_WRAPPED_BYTES);

    unlock_fails(ALICE, ALICE_PASS, &k);
    vault *u = unlock_ok(ALICE, np, &k);
    assert_same_key(V, u);
    vault_free(u);
    u = unlock_ok(BOB, BOB_PASS, &bob_keys);
    assert_same_key(V, u);
    vault_free(u);
}

static void test_rotation_seal_data_key(void **state) {
    (void)state;
    vault *nv = vault_create();
    assert_non_null(nv);
    assert_other_key(V, nv);
    vault_staff_keys k = alice_keys;
    assert_true(vault_seal_data_key(nv, k.public_key, k.sealed_data_key));
    assert_memory_not_equal(k.sealed_data_key, alice_keys.sealed_data_key, VAULT_SEALED_KEY_BYTES);
    vault *u = unlock_ok(ALICE, ALICE_PASS, &k);
    size_t n;
    unsigned char *ct = seal_str(nv, "clients", "name", "r1", "after rotation", &n);
    assert_opens_to(u, "clients", "name", "r1", ct, n, "after rotation", 14);
    free(ct);
    assert_same_key(nv, u);
    assert_other_key(V, u); /* the old key is gone for this wrap */
    vault_free(u);
    vault_free(nv);
    unsigned char out[VAULT_SEALED_KEY_BYTES];
    assert_false(vault_seal_data_key(NULL, alice_keys.public_key, out));
}

/* ---- blind indexes ---- */

static void test_blind_index_deterministic_and_keyed(void **state) {
    (void)state;
    vault *w = vault_create();
    assert_non_null(w);
    int same_vault = 0, same_kind = 0;
    char name[64];
    for (int i = 0; i < 50; i++) {
        snprintf(name, sizeof name, "client %d", i);
        uint32_t a = vault_blind_index(V, "name", name, 32);
        assert_int_equal(a, vault_blind_index(V, "name", name, 32));
        if (a == vault_blind_index(w, "name", name, 32)) same_vault++;
        if (a == vault_blind_index(V, "phone", name, 32)) same_kind++;
    }
    assert_int_equal(same_vault, 0);
    assert_int_equal(same_kind, 0);
    /* the kind/value boundary is part of the input */
    assert_int_not_equal(vault_blind_index(V, "nam", "ename", 32), vault_blind_index(V, "name", "name", 32));
    assert_int_equal(vault_blind_index(V, "name", "", 32), vault_blind_index(V, "name", "", 32));
    vault_free(w);
}

static void test_blind_index_bits(void **state) {
    (void)state;
    char name[64];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "\xe6\x9d\x8e %d", i);
        uint32_t full = vault_blind_index(V, "name", name, 32);
        for (int b = 1; b < 32; b++) {
            uint32_t x = vault_blind_index(V, "name", name, b);
            assert_true(x < (UINT32_C(1) << b));
            assert_int_equal(x, full & ((UINT32_C(1) << b) - 1));
        }
        /* 0 bits (or fewer): one value for every name, as a database of fewer than 2k clients has; at most 32 */
        assert_int_equal(vault_blind_index(V, "name", name, 0), 0);
        assert_int_equal(vault_blind_index(V, "name", name, -3), 0);
        assert_int_equal(vault_blind_index(V, "name", name, 40), full);
    }
}

static void test_blind_index_spreads(void **state) {
    (void)state;
    unsigned char *seen16 = calloc(1u << 16, 1);
    unsigned char seen8[256] = {0};
    assert_non_null(seen16);
    int distinct16 = 0, distinct8 = 0;
    char name[64];
    for (int i = 0; i < 10000; i++) {
        snprintf(name, sizeof name, "wang %d li", i);
        uint32_t x = vault_blind_index(V, "name", name, 16);
        assert_true(x < 65536);
        if (!seen16[x]++) distinct16++;
        uint32_t y = vault_blind_index(V, "name", name, 8);
        if (!seen8[y]++) distinct8++;
    }
    /* ~9,270 expected: spread out, yet records share values */
    assert_true(distinct16 > 5000);
    assert_true(distinct16 < 10000);
    assert_int_equal(distinct8, 256);
    free(seen16);
}

/* ---- audit ---- */

static void test_chain_hash(void **state) {
    (void)state;
    unsigned char prev[VAULT_MAC_BYTES], h1[VAULT_MAC_BYTES], h2[VAULT_MAC_BYTES], want[VAULT_MAC_BYTES];
    memset(prev, 0x11, sizeof prev);
    const char *entry = "42|2024-05-01T10:00:00Z|alice|open|client-7";
    vault_chain_hash(prev, entry, strlen(entry), h1);
    vault_chain_hash(prev, entry, strlen(entry), h2);
    assert_memory_equal(h1, h2, VAULT_MAC_BYTES);
    /* BLAKE2b-256 of prev || entry, unkeyed */
    unsigned char buf[VAULT_MAC_BYTES + 64];
    memcpy(buf, prev, VAULT_MAC_BYTES);
    memcpy(buf + VAULT_MAC_BYTES, entry, strlen(entry));
    crypto_generichash(want, sizeof want, buf, VAULT_MAC_BYTES + strlen(entry), NULL, 0);
    assert_memory_equal(h1, want, VAULT_MAC_BYTES);
    /* any change shows */
    prev[31] ^= 1;
    vault_chain_hash(prev, entry, strlen(entry), h2);
    assert_memory_not_equal(h1, h2, VAULT_MAC_BYTES);
    prev[31] ^= 1;
    vault_chain_hash(prev, entry, strlen(entry) - 1, h2);
    assert_memory_not_equal(h1, h2, VAULT_MAC_BYTES);
    /* an empty entry is the hash of prev alone */
    vault_chain_hash(prev, NULL, 0, h2);
    crypto_generichash(want, sizeof want, prev, VAULT_MAC_BYTES, NULL, 0);
    assert_memory_equal(h2, want, VAULT_MAC_BYTES);
}

static void test_audit_mac(void **state) {
    (void)state;
    unsigned char h[VAULT_MAC_BYTES], m1[VAULT_MAC_BYTES], m2[VAULT_MAC_BYTES], m3[VAULT_MAC_BYTES];
    memset(h, 0, sizeof h);
    vault_chain_hash(h, "entry", 5, h); /* out may be prev */
    vault_audit_mac(V, h, m1);
    vault_audit_mac(V, h, m2);
    assert_memory_equal(m1, m2, VAULT_MAC_BYTES);
    assert_memory_not_equal(m1, h, VAULT_MAC_BYTES);
    unsigned char unkeyed[VAULT_MAC_BYTES];
    crypto_generichash(unkeyed, sizeof unkeyed, h, sizeof h, NULL, 0);
    assert_memory_not_equal(m1, unkeyed, VAULT_MAC_BYTES);
    vault *w = vault_create();
    assert_non_null(w);
    vault_audit_mac(w, h, m3);
    assert_memory_not_equal(m1, m3, VAULT_MAC_BYTES);
    vault_free(w);
    h[0] ^= 1;
    vault_audit_mac(V, h, m2);
    assert_memory_not_equal(m1, m2, VAULT_MAC_BYTES);
    assert_true(vault_equal(m1, m1, VAULT_MAC_BYTES));
    assert_false(vault_equal(m1, m2, VAULT_MAC_BYTES));
}

static void test_equal(void **state) {
    (void)state;
    unsigned char a[40], b[40];
    memset(a, 5, sizeof a);
    memcpy(b, a, sizeof b);
    assert_true(vault_equal(a, b, sizeof a));
    for (size_t i = 0; i < sizeof a; i++) {
        b[i] ^= 0x80;
        assert_false(vault_equal(a, b, sizeof a));
        b[i] ^= 0x80;
    }
    assert_true(vault_equal(a, b, 0));
}

/* ---- the clinical key (notes) ---- */

/* Per-client keys (issue 13): a client's key sealed under the data key opens only for that client id and that data
 * key; a value sealed under it names its client, opens only with its key, in its row and column, and an edit of
 * the client id it names, of any byte, or a value moved to another row fails; the data key opens none. */
static void test_client_keys(void **state) {
    (void)state;
    vault *v = vault_create(), *other = vault_create();
    assert_non_null(v);
    assert_non_null(other);
    unsigned char *k1 = sodium_malloc(VAULT_KEY_BYTES), *k2 = sodium_malloc(VAULT_KEY_BYTES),
                  *back = sodium_malloc(VAULT_KEY_BYTES);
    vault_client_key_new(k1);
    vault_client_key_new(k2);
    unsigned char *kct = NULL, *ct = NULL;
    size_t kn = 0, n = 0;
    assert_true(vault_client_key_seal(v, "c1", k1, &kct, &kn));
    assert_int_equal(kn, VAULT_CLIENT_KEY_SEALED);
    assert_true(vault_client_key_open(v, "c1", kct, kn, back));
    assert_memory_equal(back, k1, VAULT_KEY_BYTES);
    assert_false(vault_client_key_open(v, "c2", kct, kn, back));     /* another client's row */
    assert_false(vault_client_key_open(other, "c1", kct, kn, back)); /* another data key */
    const char *name = "Li Jing 李静";
    assert_true(vault_client_seal(k1, "c1", "clients", "name", "c1", name, strlen(name), &ct, &n));
    assert_int_equal(vault_sealed_version(ct, n), VAULT_CLIENT_VERSION);
    char who[VAULT_CLIENT_ID_MAX + 1];
    assert_true(vault_client_of(ct, n, who));
    assert_string_equal(who, "c1");
    char *plain = NULL;
    size_t len = 0;
    assert_true(vault_client_open(k1, "clients", "name", "c1", ct, n, &plain, &len));
    assert_int_equal(len, strlen(name));
    assert_memory_equal(plain, name, len);
    secret_free(plain);
    vault_buf buf = {0};
    assert_true(vault_client_open_buf(k1, "clients", "name", "c1", ct, n, &buf));
    assert_memory_equal(buf.p, name, buf.len);
    vault_buf_free(&buf);
    assert_false(vault_client_open(k2, "clients", "name", "c1", ct, n, &plain, &len)); /* another client's key */
    assert_false(vault_client_open(k1, "clients", "phone", "c1", ct, n, &plain, &len)); /* another column */
    assert_false(vault_client_open(k1, "clients", "name", "c9", ct, n, &plain, &len));  /* another row */
    assert_false(vault_open(v, "clients", "name", "c1", ct, n, &plain, &len));          /* the data key */
    ct[3] = '2'; /* the client id it names: "c2" */
    assert_true(vault_client_of(ct, n, who));
    assert_false(vault_client_open(k1, "clients", "name", "c1", ct, n, &plain, &len));
    ct[3] = '1';
    for (size_t i = 4; i < n; i++) { /* any byte after the header */
        ct[i] ^= 0x20;
        assert_false(vault_client_open(k1, "clients", "name", "c1", ct, n, &plain, &len));
        ct[i] ^= 0x20;
    }
    assert_false(vault_client_of(kct, kn, who)); /* a field of format 1 names no client */
    free(ct);
    free(kct);
    sodium_free(k1);
    sodium_free(k2);
    sodium_free(back);
    vault_free(v);
    vault_free(other);
}

/* A signature verified (or made) once is not verified again, and the memo of good ones never answers for another
 * signature, message or key: each is verified, with and without the memo. */
static void test_sig_memo(void **state) {
    (void)state;
    vault *a = unlock_ok(ALICE, ALICE_PASS, &alice_keys), *b = unlock_ok(BOB, BOB_PASS, &bob_keys);
    unsigned char apk[VAULT_SIGN_PK_BYTES], bpk[VAULT_SIGN_PK_BYTES], sig[VAULT_SIG_BYTES], bad[VAULT_SIG_BYTES];
    assert_true(vault_signer_pk(a, apk));
    assert_true(vault_signer_pk(b, bpk));
    const char m[] = "entry 41 hash", other[] = "entry 42 hash";
    for (int pass = 0; pass < 2; pass++) {
        vault_sig_memo_forget();
        assert_true(vault_sign(a, m, sizeof m, sig));
        if (pass) vault_sig_memo_forget(); /* the first pass from the memo, the second by verifying */
        for (int again = 0; again < 2; again++) {
            assert_true(vault_sig_ok(apk, m, sizeof m, sig));
            assert_false(vault_sig_ok(bpk, m, sizeof m, sig));        /* another key */
            assert_false(vault_sig_ok(apk, other, sizeof other, sig)); /* another message */
            assert_false(vault_sig_ok(apk, m, sizeof m - 1, sig));    /* the message cut */
            for (int i = 0; i < VAULT_SIG_BYTES; i += 7) {             /* another signature */
                memcpy(bad, sig, sizeof bad);
                bad[i] ^= 0x20;
                assert_false(vault_sig_ok(apk, m, sizeof m, bad));
            }
        }
    }
    vault_free(a);
    vault_free(b);
}

/* Many signatures checked at once on every core (verify's batches): all good gives n; otherwise the index of the
 * first that fails in the list's order, whichever core's part it is in; a wrong key or message fails as a bad
 * signature does. */
static void test_sigs_batch(void **state) {
    (void)state;
    vault *a = unlock_ok(ALICE, ALICE_PASS, &alice_keys), *b = unlock_ok(BOB, BOB_PASS, &bob_keys);
    enum { N = 300 };
    static unsigned char pk[2][VAULT_SIGN_PK_BYTES], msg[N][24], sig[N][VAULT_SIG_BYTES];
    static vault_sig_item it[N];
    assert_true(vault_signer_pk(a, pk[0]));
    assert_true(vault_signer_pk(b, pk[1]));
    for (int i = 0; i < N; i++) {
        snprintf((char *)msg[i], sizeof msg[i], "entry %d", i);
        assert_true(vault_sign(i % 3 ? a : b, msg[i], sizeof msg[i], sig[i]));
        it[i] = (vault_sig_item){pk[i % 3 ? 0 : 1], msg[i], sig[i], sizeof msg[i]};
    }
    assert_int_equal(vault_sigs_ok(it, N), N);
    assert_int_equal(vault_sigs_ok(it, 0), 0);
    assert_int_equal(vault_sigs_ok(it, 1), 1);
    sig[250][5] ^= 0x01; /* in the second half: another core's part */
    assert_int_equal(vault_sigs_ok(it, N), 250);
    sig[120][60] ^= 0x80;
    assert_int_equal(vault_sigs_ok(it, N), 120);
    assert_int_equal(vault_sigs_ok(it + 121, N - 121), 250 - 121);
    sig[250][5] ^= 0x01;
    sig[120][60] ^= 0x80;
    it[299].pk = pk[it[299].pk == pk[0] ? 1 : 0]; /* another member's key */
    assert_int_equal(vault_sigs_ok(it, N), 299);
    it[299].pk = pk[it[299].pk == pk[0] ? 1 : 0];
    it[0].len--; /* the message cut */
    assert_int_equal(vault_sigs_ok(it, N), 0);
    vault_free(a);
    vault_free(b);
}

/* One session's note key seals many notes (the envelope sealed once): each opens with the clinical key alone, in the
 * one-key-per-note format, with its own nonce, bound to its row; the sealer is for its clinical key only. */
static void test_note_sealer(void **state) {
    (void)state;
    vault_clinical *ck = vault_clinical_create(), *other = vault_clinical_create();
    assert_non_null(ck);
    assert_non_null(other);
    unsigned char pk[VAULT_PK_BYTES], opk[VAULT_PK_BYTES];
    vault_clinical_pk(ck, pk);
    vault_clinical_pk(other, opk);
    vault_note_sealer *ns = vault_note_sealer_new(pk);
    assert_non_null(ns);
    assert_true(vault_note_sealer_for(ns, pk));
    assert_false(vault_note_sealer_for(ns, opk));
    const char *texts[] = {"first note", "second note", "first note"};
    unsigned char *ct[3] = {0};
    size_t n[3] = {0};
    const char *rows[] = {"i1", "i2", "i3"};
    for (int i = 0; i < 3; i++) {
        assert_true(vault_note_seal_by(ns, "intakes", "notes", rows[i], texts[i], strlen(texts[i]), &ct[i], &n[i]));
        assert_int_equal(n[i], VAULT_NOTE_OVERHEAD + strlen(texts[i]));
        assert_int_equal(vault_sealed_version(ct[i], n[i]), VAULT_NOTE_VERSION);
        char *plain = NULL;
        size_t len = 0;
        assert_true(vault_note_open(ck, "intakes", "notes", rows[i], ct[i], n[i], &plain, &len));
        assert_string_equal(plain, texts[i]);
        secret_free(plain);
        assert_false(vault_note_open(other, "intakes", "notes", rows[i], ct[i], n[i], &plain, &len));
        assert_false(vault_note_open(ck, "intakes", "notes", rows[(i + 1) % 3], ct[i], n[i], &plain, &len)); /* moved */
    }
    /* the same text twice: another nonce, another ciphertext */
    assert_int_equal(n[0], n[2]);
    assert_memory_not_equal(ct[0] + VAULT_NOTE_OVERHEAD - 40, ct[2] + VAULT_NOTE_OVERHEAD - 40, 24);
    assert_memory_not_equal(ct[0], ct[2], n[0]);
    for (int i = 0; i < 3; i++) free(ct[i]);
    vault_note_sealer_free(ns);
    vault_note_sealer_free(NULL);
    assert_null(vault_note_sealer_new(NULL));
    vault_clinical_free(other);
    vault_clinical_free(ck);
}

/* A note opens only with the clinical key, which opens only for the member it was sealed to: the data key
 * (every role's) opens no note, a note moved or altered fails, another clinical key fails. */
static void test_clinical_key_and_notes(void **state) {
    (void)state;
    vault_clinical *ck = vault_clinical_create();
    assert_non_null(ck);
    unsigned char pk[VAULT_PK_BYTES], env[VAULT_SEALED_KEY_BYTES];
    vault_clinical_pk(ck, pk);
    assert_true(vault_clinical_seal_to(ck, bob_keys.public_key, env)); /* bob: a clinician */

    const char *text = "history of self-harm; 有自伤史";
    unsigned char *ct = NULL;
    size_t n = 0;
    assert_true(vault_note_seal(pk, "intakes", "notes", "i1", text, strlen(text), &ct, &n));
    assert_int_equal(n, VAULT_NOTE_OVERHEAD + strlen(text));
    assert_int_equal(vault_sealed_version(ct, n), VAULT_NOTE_VERSION);
    assert_null(memmem(ct, n, "self-harm", 9));

    /* bob's passphrase opens his envelope, and the note */
    vault *b = unlock_ok(BOB, BOB_PASS, &bob_keys);
    vault_clinical *bk = vault_clinical_open(b, env);
    assert_non_null(bk);
    unsigned char bpk[VAULT_PK_BYTES];
    vault_clinical_pk(bk, bpk);
    assert_memory_equal(bpk, pk, VAULT_PK_BYTES);
    char *plain = NULL;
    size_t len = 0;
    assert_true(vault_note_open(bk, "intakes", "notes", "i1", ct, n, &plain, &len));
    assert_int_equal(len, strlen(text));
    assert_string_equal(plain, text);
    secret_free(plain);
    /* moved to another row or column: fails */
    assert_false(vault_note_open(bk, "intakes", "notes", "i2", ct, n, &plain, &len));
    assert_false(vault_note_open(bk, "intakes", "body", "i1", ct, n, &plain, &len));
    assert_null(plain);
    /* any single byte changed: fails */
    for (size_t i = 0; i < n; i++) {
        ct[i] ^= 0x01;
        assert_false(vault_note_open(bk, "intakes", "notes", "i1", ct, n, &plain, &len));
        ct[i] ^= 0x01;
    }
    /* truncated: fails */
    assert_false(vault_note_open(bk, "intakes", "notes", "i1", ct, n - 1, &plain, &len));
    assert_false(vault_note_open(bk, "intakes", "notes", "i1", ct, VAULT_NOTE_OVERHEAD - 1, &plain, &len));

    /* alice (a receptionist): her unlocked vault holds the data key, which opens no note, and bob's envelope
     * does not open with her secret key */
    vault *a = unlock_ok(ALICE, ALICE_PASS, &alice_keys);
    assert_false(vault_open(a, "intakes", "notes", "i1", ct, n, &plain, &len));
    assert_null(vault_clinical_open(a, env));
    /* another clinical key: fails */
    vault_clinical *other = vault_clinical_create();
    assert_non_null(other);
    assert_false(vault_note_open(other, "intakes", "notes", "i1", ct, n, &plain, &len));
    /* a vault made without a staff member (init's before enrolment) opens no envelope */
    assert_null(vault_clinical_open(V, env));
    /* an envelope altered: does not open */
    env[5] ^= 1;
    assert_null(vault_clinical_open(b, env));
    /* a field under the data key is not a note */
    unsigned char *fct = seal_str(V, "intakes", "notes", "i1", "legacy note", &len);
    assert_int_equal(vault_sealed_version(fct, len), VAULT_FIELD_VERSION);
    assert_false(vault_note_open(bk, "intakes", "notes", "i1", fct, len, &plain, &len));
    assert_int_equal(vault_sealed_version(NULL, 0), -1);
    free(fct);
    free(ct);
    vault_clinical_free(other);
    vault_clinical_free(bk);
    vault_clinical_free(ck);
    vault_free(a);
    vault_free(b);
}

/* ---- process (last: it changes the process) ---- */

static void test_harden_process(void **state) {
    (void)state;
    umask(022);
    vault_harden_process();
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
    assert_int_equal(rl.rlim_cur, 0);
    assert_int_equal(rl.rlim_max, 0);
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    mode_t old = umask(077);
    assert_int_equal(old, 077);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seal_open_round_trip),
        cmocka_unit_test(test_seal_open_empty),
        cmocka_unit_test(test_seal_open_64k_binary),
        cmocka_unit_test(test_ciphertext_hides_plaintext),
        cmocka_unit_test(test_every_byte_flip_fails),
        cmocka_unit_test(test_sigs_batch),
        cmocka_unit_test(test_moved_ciphertext_fails),
        cmocka_unit_test(test_open_buf_and_pseudonym_key),
        cmocka_unit_test(test_truncated_and_short_fail),
        cmocka_unit_test(test_fresh_nonce),
        cmocka_unit_test(test_seal_bad_arguments),
        cmocka_unit_test(test_kdf_params_and_bounds),
        cmocka_unit_test(test_enroll_unlock),
        cmocka_unit_test(test_two_staff_same_data_key),
        cmocka_unit_test(test_wrong_passphrase),
        cmocka_unit_test(test_short_passphrase_rejected),
        cmocka_unit_test(test_changed_staff_id_fails),
        cmocka_unit_test(test_tampered_kdf_params_fail),
        cmocka_unit_test(test_tampered_key_material_fails),
        cmocka_unit_test(test_rewrap),
        cmocka_unit_test(test_rotation_seal_data_key),
        cmocka_unit_test(test_blind_index_deterministic_and_keyed),
        cmocka_unit_test(test_blind_index_bits),
        cmocka_unit_test(test_blind_index_spreads),
        cmocka_unit_test(test_chain_hash),
        cmocka_unit_test(test_audit_mac),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_clinical_key_and_notes),
        cmocka_unit_test(test_note_sealer),
        cmocka_unit_test(test_sig_memo),
        cmocka_unit_test(test_client_keys),
        cmocka_unit_test(test_harden_process),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
