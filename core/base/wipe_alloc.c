#include "wipe_alloc.h"

#include <jansson.h>
#include <malloc.h>
#include <sodium.h>
#include <stdlib.h>

static bool installed;

void *wipe_malloc(size_t size) { return malloc(size); }

void wipe_free(void *p) {
    if (!p) return;
    /* sodium_memzero cannot be optimised away, unlike a memset before free */
    sodium_memzero(p, malloc_usable_size(p));
    free(p);
}

void wipe_alloc_install(void) {
    json_set_alloc_funcs(wipe_malloc, wipe_free);
    installed = true;
}

bool wipe_alloc_installed(void) {
    json_malloc_t m = NULL;
    json_free_t f = NULL;
    json_get_alloc_funcs(&m, &f);
    return installed && m == wipe_malloc && f == wipe_free;
}

/* Before main and before any other code of the program can have jansson allocate: a program or test that
 * links this module never parses a record with the plain allocator, even if it forgets the call. */
__attribute__((constructor)) static void wipe_alloc_at_start(void) { wipe_alloc_install(); }
