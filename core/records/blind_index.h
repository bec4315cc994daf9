/* The blind index sized to the database (issue 13): each client's index values (the whole name, each word of
 * a name, the phone's last digits) are keyed BLAKE2b of the kind and the normalised text, truncated to a width
 * that follows the number of clients, so that every value is shared by at least k clients ([security]
 * blind_index_k, default 8). No kind is stored in clear: a name, a word and a phone share one range of values.
 *
 * width = floor(log2(max(1, clients / k))), clamped to 0..BLIND_WIDTH_MAX, and narrowed at each rebuild, one bit
 * at a time, until no value is held by fewer than k distinct clients (hashing is random: at the formula's width
 * some values would hold fewer). The width is kept in meta `blind_index_width`, sealed under the data key
 * (bound to the database, so a width planted in the file cannot make values unique): "<width> <formula width>".
 *
 * The index is rebuilt when the formula's width for the current number of clients is no longer the one it was
 * built for (checked at every login, blind_index_maintain), when none is recorded (a database upgraded from
 * schema 7, whose values carried their kind in clear and were dropped by the upgrade), when its names were folded
 * by other rules than name_fold's (the meta says "<width> <formula width> <NAME_FOLD_VERSION> <BLIND_LAYOUT>"; none:
 * version 1) or laid out otherwise (layout 2 added the pair values, records.h; none: 1), and at rekey. Between
 * two logins the count may cross a threshold: values then hold more clients than needed (never fewer, unless
 * clients are erased), until the next login rebuilds. */
#ifndef TRIAGE_BLIND_INDEX_H
#define TRIAGE_BLIND_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "db.h"
#include "session.h"
#include "vault.h"

#define BLIND_WIDTH_MAX 24
/* What values a client has (records.h client_index_values): 2, with the word pairs (issue 13) */
#define BLIND_LAYOUT 2
#define BLIND_K_DEFAULT 8

/* floor(log2(max(1, clients / k))), clamped to 0..BLIND_WIDTH_MAX (k < 1 counts as 1). */
int blind_width_for(int64_t clients, int k);

/* The width the stored index was built with; 0 when none is recorded or it does not open (a search then
 * finds nothing until the next login rebuilds). formula (may be NULL): the formula width it was built for, -1
 * when none or when its names were folded by other rules (a rebuild is due). */
int blind_width_stored(database *db, const vault *v, int *formula);

/* Rebuilds every client's entries, sealed under v (the key the clients' fields are sealed with), at the width
 * for the current number of clients, narrowed until every value is held by at least k clients. Inside the
 * caller's transaction. *width (may be NULL): the width chosen. */
bool blind_index_rebuild(database *db, const vault *v, int k, int *width, error *err);

/* At login: rebuilds (in its own transaction, audited) when no width is recorded or the number of clients
 * has crossed a width threshold since the last build. */
bool blind_index_maintain(session *s, error *err);

#endif
