/* Sealed fields as read from the database (vault_open, vault_note_open for notes under the clinical key, and
 * vault_client_open / vault_client_of / vault_client_key_open for a client's values under its own key):
 * attacker-controlled bytes must be rejected, never crash, never open under the wrong table, column or row. Input: one byte choosing the column (and the
 * row id), then the stored value. The seeds are real values sealed under the harness's fixed key. */
#include "vault.h"
#include "fuzz_common.h"
#include "fuzz_sodium.h"

/* The sealed columns of the schema (store_sqlite.c); the row ids are a fixed record's and another's. */
static const char *const cols[][2] = {{"clients", "name"},  {"clients", "phone"},      {"clients", "birth"},
                                      {"intakes", "body"},  {"intakes", "notes"},      {"drafts", "body"},
                                      {"queue_events", "reason"}};
#define N_COLS (sizeof cols / sizeof cols[0])
static const char *const rows[] = {"5f0c3a52-6d0e-4a55-9d7e-0c1f2a3b4c5d", "0b7e1c9a-2f3d-4e5a-8b6c-7d8e9f0a1b2c"};
static vault *v;
static vault_clinical *ck; /* the clinical key notes are sealed to (core/records/clinical_key.h) */
static unsigned char client_key[VAULT_KEY_BYTES]; /* a client's own key (core/records/client_keys.h) */

static void seed(const char *name, unsigned sel, const char *plain) {
    unsigned char *ct;
    size_t n;
    if (!vault_seal(v, cols[sel % N_COLS][0], cols[sel % N_COLS][1], rows[(sel / N_COLS) % 2], plain, strlen(plain),
                    &ct, &n))
        abort();
    unsigned char *in = malloc(n + 1);
    in[0] = (unsigned char)sel;
    memcpy(in + 1, ct, n);
    fuzz_write_seed(name, in, n + 1);
    free(in);
    free(ct);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    fuzz_deterministic_sodium();
    if (!vault_init() || !(v = vault_create())) abort();
    /* always sealed, written only when asked: the generator's sequence is the same either way */
    seed("name", 0, "Li Jing");
    seed("phone", 1, "13800138000");
    seed("birth", 2, "1990-02-03");
    seed("intake_body", 3, "{\"language\":\"zh\",\"answers\":{\"phq9\":[2,2,3,2,1,2,1,1,1]}}");
    seed("notes_row2", 4 + N_COLS, "prefers an evening slot");
    seed("draft_empty", 5, "");
    seed("reason", 6, "lowered after a phone call");
    /* last, so that the seeds above stay as they were: a note sealed to the clinical key */
    if (!(ck = vault_clinical_create())) abort();
    unsigned char pk[VAULT_PK_BYTES], *ct;
    size_t n;
    vault_clinical_pk(ck, pk);
    if (!vault_note_seal(pk, "intakes", "notes", rows[0], "sleeps badly since the move", 27, &ct, &n)) abort();
    unsigned char *in = malloc(n + 1);
    in[0] = 4;
    memcpy(in + 1, ct, n);
    fuzz_write_seed("note_clinical", in, n + 1);
    free(in);
    free(ct);
    /* last again: a client's name under the client's own key, and that key sealed under the data key */
    vault_client_key_new(client_key);
    if (!vault_client_seal(client_key, rows[0], "clients", "name", rows[0], "Li Jing", 7, &ct, &n)) abort();
    in = malloc(n + 1);
    in[0] = 0;
    memcpy(in + 1, ct, n);
    fuzz_write_seed("client_name", in, n + 1);
    free(in);
    free(ct);
    if (!vault_client_key_seal(v, rows[0], client_key, &ct, &n)) abort();
    in = malloc(n + 1);
    in[0] = 0;
    memcpy(in + 1, ct, n);
    fuzz_write_seed("client_key", in, n + 1);
    free(in);
    free(ct);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned sel = data[0];
    char *plain = NULL;
    size_t len = 0;
    if (vault_open(v, cols[sel % N_COLS][0], cols[sel % N_COLS][1], rows[(sel / N_COLS) % 2], data + 1, size - 1, &plain,
                   &len)) {
        /* what opened must have been sealed: the exact length, NUL-terminated */
        if (len != size - 1 - VAULT_FIELD_OVERHEAD || plain[len] != '\0') abort();
        /* and must not open anywhere else */
        char *other = NULL;
        size_t olen;
        if (vault_open(v, cols[(sel + 1) % N_COLS][0], cols[(sel + 1) % N_COLS][1], rows[(sel / N_COLS) % 2],
                       data + 1, size - 1, &other, &olen))
            abort();
        secret_free(plain);
    }
    if (vault_note_open(ck, cols[sel % N_COLS][0], cols[sel % N_COLS][1], rows[(sel / N_COLS) % 2], data + 1, size - 1,
                        &plain, &len)) {
        if (len != size - 1 - VAULT_NOTE_OVERHEAD || plain[len] != '\0') abort();
        char *other = NULL;
        size_t olen;
        /* not under the data key, and not anywhere else */
        if (vault_open(v, cols[sel % N_COLS][0], cols[sel % N_COLS][1], rows[(sel / N_COLS) % 2], data + 1, size - 1,
                       &other, &olen) ||
            vault_note_open(ck, cols[(sel + 1) % N_COLS][0], cols[(sel + 1) % N_COLS][1], rows[(sel / N_COLS) % 2],
                            data + 1, size - 1, &other, &olen))
            abort();
        secret_free(plain);
    }
    /* a client's value: it names a client id it is bound to, opens only in its place, never under the data key */
    char who[VAULT_CLIENT_ID_MAX + 1];
    bool named = vault_client_of(data + 1, size - 1, &who[0]);
    if (named && strlen(who) > VAULT_CLIENT_ID_MAX) abort();
    if (vault_client_open(client_key, cols[sel % N_COLS][0], cols[sel % N_COLS][1], rows[(sel / N_COLS) % 2], data + 1,
                          size - 1, &plain, &len)) {
        if (!named || plain[len] != '\0' || len + 1 + 1 + strlen(who) + VAULT_FIELD_OVERHEAD - 1 != size - 1) abort();
        char *other = NULL;
        size_t olen;
        if (vault_open(v, cols[sel % N_COLS][0], cols[sel % N_COLS][1], rows[(sel / N_COLS) % 2], data + 1, size - 1,
                       &other, &olen) ||
            vault_client_open(client_key, cols[(sel + 1) % N_COLS][0], cols[(sel + 1) % N_COLS][1],
                              rows[(sel / N_COLS) % 2], data + 1, size - 1, &other, &olen))
            abort();
        secret_free(plain);
    }
    unsigned char got[VAULT_KEY_BYTES];
    if (vault_client_key_open(v, rows[(sel / N_COLS) % 2], data + 1, size - 1, got) && size - 1 != VAULT_CLIENT_KEY_SEALED)
        abort();
    return 0;
}
