/* The escalation queues over the record store: every change goes through queue.c's rules with the
 * session's role, and is saved with a history event (its reason sealed) and an audit entry in one
 * transaction. Overdue escalation (tick) needs no login: cron and every open desk may run it at once,
 * and each item is escalated exactly once, because each tick re-reads the items inside its write
 * transaction. */
#ifndef TRIAGE_QUEUE_ITEMS_H
#define TRIAGE_QUEUE_ITEMS_H

#include "error.h"
#include "queue_policy.h"
#include "session.h"

/* Puts a completed intake's client in the queue of its level, or updates the client's open item (a higher
 * level takes over at once; a lower one waits for a clinician). Runs inside the caller's transaction. */
bool queues_enqueue(session *s, const queue_policy *p, const char *client_id, const char *intake_id,
                    risk_level level, error *err);

/* The client's open item, if any. */
bool queues_open_for_client(database *db, const char *client_id, queue_item *out);
/* Finds an open or closed item by its id or a unique prefix of it (at least 6 characters). */
bool queues_find(database *db, const char *id_or_prefix, queue_item *out, error *err);

/* A person's request (the role is the session's). The reason, when given, is sealed in the history. */
bool queues_act(session *s, const queue_policy *p, const char *item_id, queue_request rq, error *err);
/* The same, and *why (may be NULL) says which queue rule refused it, as the item stood in the transaction
 * (queue_refused: a screen says it in its language); why->why is QR_NONE for any other failure. */
bool queues_act_why(session *s, const queue_policy *p, const char *item_id, queue_request rq, queue_refused *why,
                    error *err);

/* The counselor a decline of the item names: the one assigned, else the best of the intake's suggestions (intake_id,
 * or NULL for the item's) that this row of declines has not named; false (out "") when there is none (err set when
 * the store, a key or the role failed): nobody to decline, a person matches. An intake not stored (or none named)
 * suggests nobody: false, err not set. */
bool queues_decline_counselor(session *s, const queue_item *it, const char *intake_id, char *out, size_t size,
                              error *err);

/* The counselors the item's declines in a row named (its newest signed "queue_declined" entry lists them, space-
 * separated), or NULL when it has none in a row. */
#define QUEUE_DECLINED_MAX 257
const char *queues_declined_row(session *s, const queue_item *it, char out[QUEUE_DECLINED_MAX]);

/* Applies overdue escalations to every open item; *escalated counts the items raised. */
bool queues_tick(database *db, const queue_policy *p, int *escalated, error *err);

/* Items confirmed before the contact had a deadline (queue_in_contact, deadline 0) are given one from this login:
 * now + the level's contact time, each with a history event and one audit entry. Once per database (meta
 * "contact_deadlines"); a row whose MAC fails is left as it is (it reads as tampered already). The policy is the
 * database's (row_policy), or the defaults. */
bool queues_contact_deadlines_login(session *s, error *err);

/* Every open item, sorted by urgency then deadline (queue_compare); free() the array. */
bool queues_list_open(database *db, queue_item **out, int *n, error *err);

/* The first `limit` open items in the same order, read through an index (the screens' first page). */
bool queues_first_page(database *db, int limit, queue_item **out, int *n, error *err);

/* Counts of the open items by level, overdue and "match by hand" (the home screen and the queue tabs). */
bool queues_counts(database *db, queue_counts_rec *out, error *err);

/* One page of the open items matching f, in urgency order (the queue screen reads only what it shows). */
bool queues_page(database *db, const queue_filter *f, int offset, int limit, queue_item **out, int *n, error *err);

/* Open items assigned to a counselor: the live caseload the roster screen shows. */
int queues_caseload(database *db, const char *counselor_code);

/* One step of an item's history as a person reads it: who (a login name, or "system"), what, when, why. */
typedef struct {
    int64_t at;
    char who[65];
    char action[16];
    char from_state[16], to_state[16];
    char level_before[8], level_after[8];
    char *reason; /* opened from its seal (secure memory: free with queue_history_free), or NULL */
    char counselor[65]; /* a decline: the counselor the client declined (its code, from the signed trail); an
                         * assignment: the counselor assigned (its code, from the step; "" before schema 13); or "" */
} queue_history_entry;

/* An item's history, oldest first. A reason that does not open is reported as tampering with its id. Each decline
 * names whom the client declined (the newest "queue_declined" entry lists the row, one name per decline, newest
 * last; a decline older than the row's entries names nobody). */
bool queues_history(session *s, const char *item_id, queue_history_entry **out, int *n, error *err);
void queue_history_free(queue_history_entry *h, int n);

void queue_item_from_rec(const queue_rec *r, queue_item *it);
void queue_item_to_rec(const queue_item *it, queue_rec *r);

#endif
