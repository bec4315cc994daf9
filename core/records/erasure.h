/* The right to erasure and retention. Erasing a client removes for good its name, phone, date of birth,
 * every intake's answers, scores and notes, the reasons written for its queue steps, its blind-index
 * entries and any draft that names it: sealed values are overwritten with random bytes before their rows
 * are deleted, and once the transaction commits the store purges old versions of them (store op
 * purge_old_versions: for every backend, no recoverable copy after erasure). The de-identified report facts stay (re-keyed to fresh random ids) so the centre's
 * counts remain true; an audit entry records who erased which record id, with no personal data.
 * Copies made before (backups) are not reached: they age out by the centre's backup rotation.
 *
 * Per-client keys (client_keys.h, schema 11): the client's values are sealed under its own key, which erasure
 * destroys with the row (overwritten with random bytes, then deleted), and the client id goes on the list of
 * erased clients (its signed client_erase entry, and meta erased:ID): a copy of its rows put back later (from an
 * older backup: the clients row with its old sealed key, its index entries, intakes, queue items and history) is
 * never opened, and `client find` and `verify` name it as an erased client's replayed row. */
#ifndef TRIAGE_ERASURE_H
#define TRIAGE_ERASURE_H

#include "error.h"
#include "session.h"

typedef struct {
    int intakes;      /* facts rows kept, de-identified */
    int drafts;       /* drafts naming the client, erased */
    bool old_versions_purged; /* false when another desk was reading: the store purges them later */
} erase_result;

/* Supervisors. Everything in one transaction; audited: the client_erase entry counts what went, and a signed
 * row_erased entry names each intake, queue item and draft removed, so that verify tells them from rows deleted
 * from the file (trail_rows.h). Refused (ERR_TAMPERED, nothing erased) when one of the client's intakes or queue
 * items fails its row MAC: its clear columns (its client, state, times) may have been edited to make it go. */
bool client_erase(session *s, const char *client_id, erase_result *out, error *err);
/* client_erase's work inside the caller's write transaction (a restore re-applies erasures inside its own;
 * no role check: the caller made it). *out is added to, not cleared. Old versions are not purged here: the
 * caller does it after its commit (store op purge_old_versions). */
bool client_erase_in_txn(session *s, const char *client_id, erase_result *out, error *err);

/* True when the audit entry records an erasure: client_erase itself, or a restore's restored_over copy of one,
 * however deep (its object id is the client's). */
bool audit_entry_erases(const audit_rec *rec);

typedef struct {
    int drafts;  /* unfinished intakes older than [retention] draft_days */
    int clients; /* clients whose items are all closed, with nothing new, for [retention] closed_years */
    int drafts_at_risk; /* old drafts kept: the signed trail saw them at ORANGE or RED (a person resolves them) */
    int kept_tampered; /* retention_apply: clients due whose rows fail their row MACs, or whose closing the signed
                        * trail does not show before the cutoff, kept (and audited): the clear columns that made
                        * them due may have been edited to erase a client in care */
    char first_kept[STORE_ID_LEN]; /* the first of those */
} retention_counts;

/* What is due for erasure at now (no login needed: only counts, from what is in clear). */
bool retention_due(database *db, int draft_days, int closed_years, int64_t now, retention_counts *out, error *err);
/* Erases what is due (supervisors), each record as client_erase does; *done counts what was erased. */
bool retention_apply(session *s, int draft_days, int closed_years, retention_counts *done, error *err);

#endif
