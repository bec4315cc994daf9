#include "secret.h"

#include <sodium.h>

#include "vault.h"

char *secret_alloc(size_t size) {
    if (sodium_init() < 0) return NULL;
    char *p = sodium_malloc(size ? size : 1);
    if (p) sodium_memzero(p, size ? size : 1);
    return p;
}

void secret_free(void *p) {
    if (p) sodium_free(p);
}

void secret_wipe(void *p, size_t len) {
    if (p && len) sodium_memzero(p, len);
}

void secret_harden_process(void) { vault_harden_process(); }
