/* What the signed trail says was saved, against the rows the file holds. An intake and a queue item leave the
 * file only by an erasure (erasure.h), which names each row it removes (a signed row_erased entry); a row deleted
 * with sqlite3 (a whole intake with its note, a RED client's queue item) otherwise left verify sound (attackers
 * 13 and 14). A draft at a guarded level (its "draft_at_risk", "safety_steps_acknowledged" or at-risk
 * "draft_copy_kept" entry) leaves the file only as an intake that names it, a discard on the trail, or retention
 * or an erasure that names it. Erasures and retention written before they named their rows count them: those
 * take rows by count (attacker 15 showed counts hide a deletion among them; only old entries are read so).
 * Also, for every intake still there: a note its author saved is still in the row, and the row names that
 * author. */
#ifndef TRIAGE_TRAIL_ROWS_H
#define TRIAGE_TRAIL_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "vault.h"

/* False with *problem set ("tampering: ...", or "cannot read ...") when a row the trail names is gone and nothing
 * on the trail says where it went, or an intake's note or author does not match its signed entry. Reads
 * the trail once, and each intake and queue item it names once. */
bool trail_rows_verify(database *db, const vault *v, char *problem, size_t size);

/* The counts an erasure's audit detail carries, parsed from a client_erase entry or a restore's restored_over
 * copy of one: false when the entry is no erasure. A count the entry does not carry (written before it was
 * added) is -1: it accounts for any number. */
bool trail_erasure_counts(const audit_rec *e, int *intakes, int *drafts, int *items);

#endif
