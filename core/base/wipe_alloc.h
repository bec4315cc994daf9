/* The allocator for ordinary heap memory that may hold a decrypted value: jansson's (every parsed answer,
 * name and phone of an opened record passes through its strings and tables) and the text json_dumps gives.
 * A block is wiped (sodium_memzero, over its whole usable size) before it goes back to the C library, so a
 * freed block never keeps the plaintext for a later allocation, the swap or a core file to find (issue 13).
 *
 * The size wiped is malloc_usable_size's, not a header written before the block: a block made by this
 * allocator and freed by plain free() (json_dumps's text freed the old way, by code that predates this) is
 * then merely not wiped, never a corrupted heap, and a plain malloc'd block given to wipe_free is wiped too.
 * Secrets are freed through secret_free (core/store/secret.h), which ends here for heap blocks. */
#ifndef TRIAGE_WIPE_ALLOC_H
#define TRIAGE_WIPE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* Makes jansson allocate with wipe_malloc and free with wipe_free. Must run before jansson allocates
 * anything (jansson requires it): the program calls it first thing in main, the tests in their setup; it
 * also runs as a constructor of this module, before main, whenever the module is linked (secret_free
 * links it). Idempotent. */
void wipe_alloc_install(void);
/* True once jansson allocates through this module. */
bool wipe_alloc_installed(void);

/* malloc, and a free that wipes the whole usable block first (NULL is fine). */
void *wipe_malloc(size_t size);
void wipe_free(void *p);

#endif
