/* Row MACs as read from the database (core/records/rowmac.h): a queue item's mac_state and MAC are file bytes an
 * attacker controls. Decoding must never crash or read past the input, a decoded state must encode back to
 * the same bytes (one encoding per row), and a row built from attacker bytes must never verify as sound or
 * raised under the harness's key unless its MAC was made with that key. Input: the stored mac_state. The
 * seeds are real encodings (a fresh item, an overdue red one with a counselor). */
#include "rowmac.h"
#include "fuzz_common.h"
#include "fuzz_sodium.h"

static vault *v;

static queue_rec sample(const char *level, bool overdue, const char *counselor) {
    queue_rec r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "4a000000-0000-4000-8000-000000000001");
    snprintf(r.client_id, sizeof r.client_id, "1c000000-0000-4000-8000-000000000001");
    snprintf(r.intake_id, sizeof r.intake_id, "1a000000-0000-4000-8000-000000000001");
    snprintf(r.level, sizeof r.level, "%s", level);
    snprintf(r.state, sizeof r.state, "open");
    snprintf(r.outcome, sizeof r.outcome, "none");
    snprintf(r.counselor, sizeof r.counselor, "%s", counselor);
    r.created_at = r.level_since = r.updated_at = 1795000000;
    r.deadline = r.created_at + 900;
    r.overdue = overdue;
    return r;
}

static void seed(const char *name, const queue_rec *r) {
    unsigned char b[STORE_MAC_STATE_MAX];
    size_t n = rowmac_encode_queue(r, b, sizeof b);
    if (!n) abort();
    fuzz_write_seed(name, b, n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    fuzz_deterministic_sodium();
    if (!vault_init() || !(v = vault_create())) abort();
    queue_rec a = sample("yellow", false, ""), b = sample("red", true, "c01");
    seed("item_yellow", &a);
    seed("item_red_overdue", &b);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    queue_rec base;
    if (rowmac_decode_queue(data, size, &base)) {
        unsigned char again[STORE_MAC_STATE_MAX];
        size_t n = rowmac_encode_queue(&base, again, sizeof again);
        if (n != size || memcmp(again, data, size) != 0) abort(); /* two encodings of one row */
    }
    /* a row whose mac_state is the input and whose MAC is not the key's: never sound nor raised */
    queue_rec r = sample("green", false, "");
    r.has_mac = true;
    memset(r.mac, 0x5a, sizeof r.mac);
    r.mac_state_n = size < sizeof r.mac_state ? size : sizeof r.mac_state;
    memcpy(r.mac_state, data, r.mac_state_n);
    row_trust t = rowmac_check_queue(v, true, NULL, 1795000000, &r, NULL, 0);
    if (t == ROW_SOUND || t == ROW_RAISED) abort();
    /* the same bytes MACed with the key: the check must not crash whatever the clear row is */
    if (r.mac_state_n) {
        vault_row_mac(v, r.mac_state, r.mac_state_n, r.mac);
        (void)rowmac_check_queue(v, true, NULL, 1795000000, &r, NULL, 0);
    }
    return 0;
}
