/* A staff member's key material as read from the database (vault_unlock): public key, wrapped secret,
 * Argon2id parameters and salt, sealed data key, then the staff id and the passphrase typed. Anything an
 * attacker with write access to the file puts there must be refused, never crash, and never unlock with
 * the wrong passphrase. The seeds are a real enrolment under the harness's fixed key. */
#include "vault.h"
#include "fuzz_common.h"
#include "fuzz_sodium.h"

#define STAFF "2d3c4b5a-6978-4a1b-8c2d-3e4f5a6b7c8d"
#define PASS "fuzz-passphrase-1"
#define REC_BYTES (VAULT_PK_BYTES + VAULT_WRAPPED_BYTES + 4 + 8 + 8 + VAULT_SALT_BYTES + VAULT_SEALED_KEY_BYTES)

static uint64_t get_le(const uint8_t *p, int n) {
    uint64_t x = 0;
    for (int i = 0; i < n; i++) x |= (uint64_t)p[i] << (8 * i);
    return x;
}
static void put_le(uint8_t *p, uint64_t x, int n) {
    for (int i = 0; i < n; i++) p[i] = (uint8_t)(x >> (8 * i));
}

/* The store's columns, each with its exact length (store_sqlite.c reads them the same way). */
static void decode(const uint8_t *p, vault_staff_keys *k) {
    memcpy(k->public_key, p, VAULT_PK_BYTES), p += VAULT_PK_BYTES;
    memcpy(k->wrapped_secret, p, VAULT_WRAPPED_BYTES), p += VAULT_WRAPPED_BYTES;
    k->kdf.alg = (int)(int32_t)get_le(p, 4), p += 4;
    k->kdf.opslimit = get_le(p, 8), p += 8;
    k->kdf.memlimit = get_le(p, 8), p += 8;
    memcpy(k->kdf.salt, p, VAULT_SALT_BYTES), p += VAULT_SALT_BYTES;
    memcpy(k->sealed_data_key, p, VAULT_SEALED_KEY_BYTES);
}

static void encode(const vault_staff_keys *k, uint8_t *p) {
    memcpy(p, k->public_key, VAULT_PK_BYTES), p += VAULT_PK_BYTES;
    memcpy(p, k->wrapped_secret, VAULT_WRAPPED_BYTES), p += VAULT_WRAPPED_BYTES;
    put_le(p, (uint32_t)k->kdf.alg, 4), p += 4;
    put_le(p, k->kdf.opslimit, 8), p += 8;
    put_le(p, k->kdf.memlimit, 8), p += 8;
    memcpy(p, k->kdf.salt, VAULT_SALT_BYTES), p += VAULT_SALT_BYTES;
    memcpy(p, k->sealed_data_key, VAULT_SEALED_KEY_BYTES);
}

static void seed(const char *name, const vault_staff_keys *k, const char *tail) {
    uint8_t buf[REC_BYTES + 256];
    encode(k, buf);
    size_t t = strlen(tail);
    memcpy(buf + REC_BYTES, tail, t);
    fuzz_write_seed(name, buf, REC_BYTES + t);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    fuzz_deterministic_sodium();
    vault *v;
    vault_staff_keys k;
    vault_kdf kdf;
    error err = {0};
    if (!vault_init() || !(v = vault_create())) abort();
    vault_kdf_params(KDF_INTERACTIVE, &kdf);
    if (!vault_enroll(v, STAFF, PASS, strlen(PASS), &kdf, &k, &err)) abort();
    seed("right_passphrase", &k, STAFF "\n" PASS);
    seed("wrong_passphrase", &k, STAFF "\nfuzz-passphrase-2");
    seed("other_staff", &k, "0d3c4b5a-6978-4a1b-8c2d-3e4f5a6b7c8d\n" PASS);
    vault_free(v);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < REC_BYTES) return 0; /* the store refuses a column of the wrong length before this */
    vault_staff_keys k;
    decode(data, &k);
    error err = {0};
    if (!vault_kdf_check(&k.kdf, &err)) return 0;
    /* Argon2id at a higher cost runs the same code, only slower (the bounds above cap it): spend the
     * executions on the wrapping and sealing instead. */
    if (k.kdf.opslimit > crypto_pwhash_OPSLIMIT_INTERACTIVE || k.kdf.memlimit > crypto_pwhash_MEMLIMIT_INTERACTIVE)
        return 0;
    char *tail = fuzz_cstr(data + REC_BYTES, size - REC_BYTES);
    char *nl = strchr(tail, '\n');
    const char *staff = tail, *pass = "";
    if (nl) *nl = '\0', pass = nl + 1;
    vault *v = vault_unlock(staff, pass, strlen(pass), &k, &err);
    /* only the enrolled staff member's own passphrase opens it */
    if (v && (strcmp(pass, PASS) != 0 || strcmp(staff, STAFF) != 0)) abort();
    vault_free(v);
    free(tail);
    return 0;
}
