/* Buffers for secrets that the front end handles (passphrases as typed): guarded, unswappable memory
 * that is wiped when freed. The front end uses these without knowing they come from libsodium. */
#ifndef TRIAGE_SECRET_H
#define TRIAGE_SECRET_H

#include <stddef.h>

/* size bytes of zeroed secret memory, or NULL. */
char *secret_alloc(size_t size);
/* Wipes and frees (NULL is fine): the one way to free a secret, whatever made it: a guarded block
 * (secret_alloc, a value vault_open gave, vault_pseudonym_key) is released with sodium_free; any other heap
 * block (json_dumps's text, which comes from jansson's wiping allocator, core/base/wipe_alloc.h; a copy made
 * with malloc) is wiped over its whole usable size, then freed. */
void secret_free(void *p);
/* Wipes len bytes in place (for buffers that are not secret_alloc'd). */
void secret_wipe(void *p, size_t len);

/* base64 text (RFC 4648's alphabet, with or without padding; line breaks and spaces skipped), as FHIR's
 * Attachment.data and Binary.data carry a document, decoded into secret memory with a NUL after it (a client's
 * document is theirs); *len its size. NULL when it is not base64. Freed with secret_free. */
char *secret_base64_open(const char *b64, size_t b64_len, size_t *len);

/* No core dumps, not dumpable (no ptrace by other users' tools), files created private (umask 077), and
 * jansson wiping what it frees (wipe_alloc_install). Called first thing by the program: answers and records
 * pass through every command. */
void secret_harden_process(void);

#endif
