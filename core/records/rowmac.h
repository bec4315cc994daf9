/* Row MACs: the clear columns the queues must read without opening sealed data (an item's level, deadline,
 * state, counselor, counts and ids; an intake's level and ids) are bound to the data key by a keyed MAC per
 * row (vault_row_mac: crypto_auth under a sub-key derived with the context "qitemmac"), over a canonical,
 * length-prefixed encoding that starts with the table's name and includes the row's id, so a MAC copied to
 * another row or table does not verify. Written in the transaction of every write of those rows, checked on
 * every read that holds a key (database.row_key). The store only keeps the blob (store.h).
 *
 * A tick without a key (`queue tick` from cron) may only raise an item the way queue_tick does: it keeps
 * the MAC of the row as last written with the key and stores that row's encoding (mac_state), and a reader
 * accepts the clear row only when it is exactly what ticks applied to that MACed row could give (same ids,
 * counselor, counts and outcome; overdue; escalations counted up; the level raised by escalate_by per tick;
 * level_since the time of the tick that raised it to its level (red staying red keeps it), updated_at a tick time after the
 * old deadline and not in the future; the deadline the
 * policy gives the new level from then). Nothing without the key can make a row valid again: the next write
 * with the key re-MACs a row only after it checked.
 *
 * Rows written before schema 5 have no MAC: the first login after the upgrade computes them all, records
 * meta "rowmac" and an audit entry; from then on a missing MAC is tampering, never "to be filled in". */
#ifndef TRIAGE_ROWMAC_H
#define TRIAGE_ROWMAC_H

#include "error.h"
#include "session.h"

typedef enum {
    ROW_SOUND = 0,  /* the MAC verifies over the row */
    ROW_RAISED,     /* raised by a keyless tick since its MAC, exactly as a tick would: sound */
    ROW_UNCHECKED,  /* no key at hand, or a row from before the upgrade not yet MACed */
    ROW_TAMPERED    /* the MAC is missing (after the upgrade), does not verify, or the raise is not a tick's */
} row_trust;

const char *row_trust_name(row_trust t);

/* The canonical encodings (0 when out does not hold it). */
size_t rowmac_encode_queue(const queue_rec *r, unsigned char *out, size_t cap);
size_t rowmac_encode_intake(const intake_rec *r, unsigned char *out, size_t cap);
/* A facts row: its ids, time, level, confirmed level and time (what a report's levels come from). */
size_t rowmac_encode_facts(const facts_rec *r, unsigned char *out, size_t cap);
/* Reads an encoding made by rowmac_encode_queue back (false for anything else). */
bool rowmac_decode_queue(const unsigned char *p, size_t n, queue_rec *out);

/* With the key: a MAC over the row itself (mac_state emptied). */
void rowmac_seal_queue(const vault *v, queue_rec *r);
void rowmac_seal_intake(const vault *v, intake_rec *r);
void rowmac_seal_facts(const vault *v, facts_rec *r);
/* Without the key (a tick): after keeps before's MAC and the encoding it covers. */
void rowmac_carry_queue(const queue_rec *before, queue_rec *after);

/* Checks a row. required: MACs are complete (rowmac_required); v NULL gives ROW_UNCHECKED. p: the policy a
 * tick's raise is checked against (NULL: the defaults); now: a tick time later than now is refused. why (may
 * be NULL) says what failed. */
row_trust rowmac_check_queue(const vault *v, bool required, const queue_policy *p, int64_t now, const queue_rec *r,
                             char *why, size_t whysize);
row_trust rowmac_check_intake(const vault *v, bool required, const intake_rec *r, char *why, size_t whysize);
row_trust rowmac_check_facts(const vault *v, bool required, const facts_rec *r, char *why, size_t whysize);

/* True once every row has its MAC (meta rowmac set by the first login after the upgrade). */
bool rowmac_required(database *db);
/* Called at every login: the first one after the upgrade MACs every row without one, in one transaction,
 * records meta rowmac and audits it. If meta rowmac is gone but the audit says it was done, nothing is
 * blessed: the flag is restored and the loss audited as tampering. */
bool rowmac_first_login(session *s, error *err);
/* Key rotation (inside its transaction): every sound or raised row is MACed again under fresh; a row that
 * does not verify under old keeps its MAC (it stays reported as tampered). */
bool rowmac_remac_all(database *db, const vault *old, const vault *fresh, error *err);

/* `triage verify`: every queue item, intake and facts row checked; the first problem named by table and id (false,
 * with problem). *checked counts the rows. */
bool rowmac_verify_all(database *db, const vault *v, char *problem, size_t size, int64_t *checked);

#endif
