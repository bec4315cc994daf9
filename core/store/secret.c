#include "secret.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "vault.h"
#include "wipe_alloc.h"

/* The guarded blocks handed out (secret_alloc: vault_open's plaintexts, the pseudonym key, export buffers),
 * so that secret_free tells them from heap blocks (jansson's, json_dumps's text), which sodium_free must never
 * see. An open-addressed set of pointers with linear probing and backward-shift deletion; the program is
 * single-threaded. */
static void **guarded;
static size_t guarded_cap, guarded_n;

static size_t slot_of(const void *p, size_t cap) {
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15u;
    return (size_t)(x >> 7) & (cap - 1);
}

static bool guarded_grow(void) {
    size_t cap = guarded_cap ? guarded_cap * 2 : 256;
    void **fresh = calloc(cap, sizeof *fresh);
    if (!fresh) return false;
    for (size_t i = 0; i < guarded_cap; i++) {
        if (!guarded[i]) continue;
        size_t j = slot_of(guarded[i], cap);
        while (fresh[j]) j = (j + 1) & (cap - 1);
        fresh[j] = guarded[i];
    }
    free(guarded);
    guarded = fresh;
    guarded_cap = cap;
    return true;
}

static bool guarded_add(void *p) {
    if ((guarded_n + 1) * 2 > guarded_cap && !guarded_grow()) return false;
    size_t j = slot_of(p, guarded_cap);
    while (guarded[j]) j = (j + 1) & (guarded_cap - 1);
    guarded[j] = p;
    guarded_n++;
    return true;
}

/* Removes p; false when p is not a guarded block. */
static bool guarded_remove(const void *p) {
    if (!guarded_cap) return false;
    size_t mask = guarded_cap - 1, j = slot_of(p, guarded_cap);
    while (guarded[j] && guarded[j] != p) j = (j + 1) & mask;
    if (!guarded[j]) return false;
    guarded[j] = NULL;
    guarded_n--;
    /* backward shift: every later entry of the run moves to where a lookup would find it */
    for (size_t k = (j + 1) & mask; guarded[k]; k = (k + 1) & mask) {
        size_t home = slot_of(guarded[k], guarded_cap);
        bool between = j <= k ? (home > j && home <= k) : (home > j || home <= k);
        if (between) continue;
        guarded[j] = guarded[k];
        guarded[k] = NULL;
        j = k;
    }
    return true;
}

char *secret_alloc(size_t size) {
    if (sodium_init() < 0) return NULL;
    char *p = sodium_malloc(size ? size : 1);
    if (!p) return NULL;
    sodium_memzero(p, size ? size : 1);
    if (!guarded_add(p)) {
        sodium_free(p);
        return NULL;
    }
    return p;
}

void secret_free(void *p) {
    if (!p) return;
    if (guarded_remove(p)) sodium_free(p); /* sodium_free wipes, then unmaps with its guard pages */
    else wipe_free(p);                     /* a heap block: wiped over its usable size, then freed */
}

void secret_wipe(void *p, size_t len) {
    if (p && len) sodium_memzero(p, len);
}

char *secret_base64_open(const char *b64, size_t b64_len, size_t *len) {
    size_t cap = b64_len / 4 * 3 + 4;
    char *out = secret_alloc(cap + 1);
    const char *end = NULL;
    if (out && sodium_base642bin((unsigned char *)out, cap, b64, b64_len, " \t\r\n", len, &end,
                                 sodium_base64_VARIANT_ORIGINAL) == 0 && end == b64 + b64_len) {
        out[*len] = '\0';
        return out;
    }
    /* without its padding ('=' left off, as some writers do) */
    if (out && sodium_base642bin((unsigned char *)out, cap, b64, b64_len, " \t\r\n", len, &end,
                                 sodium_base64_VARIANT_ORIGINAL_NO_PADDING) == 0 && end == b64 + b64_len) {
        out[*len] = '\0';
        return out;
    }
    secret_free(out);
    return NULL;
}

void secret_harden_process(void) {
    wipe_alloc_install();
    vault_harden_process();
}
