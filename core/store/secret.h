/* Buffers for secrets that the front end handles (passphrases as typed): guarded, unswappable memory
 * that is wiped when freed. The front end uses these without knowing they come from libsodium. */
#ifndef TRIAGE_SECRET_H
#define TRIAGE_SECRET_H

#include <stddef.h>

/* size bytes of zeroed secret memory, or NULL. */
char *secret_alloc(size_t size);
/* Wipes and frees (NULL is fine): the one way to free a secret, whatever made it (secret_alloc, or a value
 * vault_open gave). */
void secret_free(void *p);
/* Wipes len bytes in place (for buffers that are not secret_alloc'd). */
void secret_wipe(void *p, size_t len);

/* No core dumps, not dumpable (no ptrace by other users' tools), files created private (umask 077).
 * Called first thing by the program: answers and records pass through every command. */
void secret_harden_process(void);

#endif
