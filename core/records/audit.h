/* The audit trail: append-only, each entry chained to the one before by hash and sealed with a keyed MAC
 * (shared/SECURITY.md). Entries carry who, what, which object and a detail without personal data.
 * An entry written while no key is open (a failed login) gets its MAC from the next session that holds
 * the key; verify accepts unsealed entries only at the end of the chain. */
#ifndef TRIAGE_AUDIT_H
#define TRIAGE_AUDIT_H

#include "db.h"

/* Appends an entry inside the caller's transaction. v may be NULL (no key open). */
bool audit_log(database *db, const vault *v, const char *staff_id, const char *action, const char *object_id,
               const char *detail, char *err, size_t errsize);
/* Seals every entry still without a MAC (inside the caller's transaction). */
bool audit_seal_pending(database *db, const vault *v, char *err, size_t errsize);
/* Recomputes every MAC under v (after a key rotation, inside the rekey transaction). */
bool audit_remac_all(database *db, const vault *v, char *err, size_t errsize);

typedef struct {
    int64_t entries, unsealed_tail;
    int64_t bad_seq; /* first bad entry, 0 when sound */
    char problem[512];
} audit_report;

/* Walks the chain: sequence without gaps, each hash from the previous, each MAC (when v is given).
 * False with the first problem named. */
bool audit_verify(database *db, const vault *v, audit_report *r);
/* The head of the chain: its sequence and hash in hex, to be kept elsewhere and checked later. */
bool audit_checkpoint(database *db, int64_t *seq, char hex[2 * VAULT_MAC_BYTES + 1], char *err, size_t errsize);
/* True when the chain still holds entry seq with that hash (the log was not truncated or rewritten). */
bool audit_check_checkpoint(database *db, int64_t seq, const char *hex, char *err, size_t errsize);

#endif
