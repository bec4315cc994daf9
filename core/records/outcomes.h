/* Outcomes recorded per client: the sessions attended or missed after an intake. The level confirmed or
 * changed by a clinician and the closing reason come from the queue steps (core/records/queue_items.h); all of them land
 * in the intake's de-identified report facts (core/records/facts.h), from which the lifecycle stage is derived. */
#ifndef TRIAGE_OUTCOMES_H
#define TRIAGE_OUTCOMES_H

#include "error.h"
#include "facts.h"
#include "session.h"

/* Records one session of a client, attended or missed, on day (days since 1970-01-01), against the client's
 * latest intake (the episode), and updates its facts: the first session (attended or not, the earliest day
 * wins), the count of attended sessions and the last one. Clinicians and supervisors; audited (no personal
 * data in the entry). counselor: a roster code or NULL. */
bool outcome_record_session(session *s, const char *client_id, int64_t day, bool attended, const char *counselor,
                            error *err);

/* The episodes of a client (one facts row per intake), oldest first; free() the array. Clinicians and
 * supervisors. */
bool outcome_client_facts(session *s, const char *client_id, facts_rec **out, int *n, error *err);

#endif
