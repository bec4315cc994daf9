/* De-identified facts per intake: what the outcome KPIs are computed from (store.h facts_rec).
 *
 * Why a facts row: the reports must cover a million intakes in under a second, which rules out opening a
 * million sealed bodies. So when an intake is saved, in the same transaction, a row of the few facts the
 * KPIs need is written in clear: the time, the level triage gave, the channel, the broad presenting-concern
 * categories ([reports] concern_groups: emotional, relationship, career, other), an age band (never the age or the date of birth), the suggested counselor's code. Queue steps and
 * recorded sessions update it (confirmation and its level, first contact, declines, overdue, sessions,
 * closing outcome). Nothing in it names or reaches a person: no name, phone, birth date, answer, score or
 * free text; the ids are random UUIDs, replaced by fresh random ones when the client is erased, so the row
 * keeps counting for the centre's figures and links to nothing. What stays visible to someone holding the
 * file is listed in the README (threat model): per intake, its time, level, channel, concern categories,
 * age band and counselor code. */
#ifndef TRIAGE_FACTS_H
#define TRIAGE_FACTS_H

#include "error.h"
#include "bands.h"
#include "queue_policy.h"
#include "session.h"

/* The facts keep their times to the hour only (issue 13): a time to the second beside a level and an age band
 * is the time of an audit entry naming the intake, which would re-link a row re-keyed at erasure (and any row)
 * to the audit trail. facts_hour floors a time to its hour (UTC; a negative time stays as it is: none is). */
#define FACTS_HOUR 3600
int64_t facts_hour(int64_t t);
/* A clinician's confirmation as the facts keep it: its hour, except a late one (confirmed after `deadline`, the
 * exact deadline, 0 for none) within the deadline's own hour, kept as the hour after: so the KPI "confirmed by
 * the deadline", computed from the kept hours (confirmed hour <= deadline hour), stays exact. */
int64_t facts_confirmed_hour(int64_t confirmed_at, int64_t deadline);

/* An erased client's facts rows keep days, not hours (issue 13): the trail keeps, to the second, every erased
 * intake's intake_create entry (naming its level) and the client's client_erase; a row kept to the hour was
 * matched by its hour to those entries (5 of 5 at one intake an hour), and so gave the erased client's channel,
 * concerns, age band and counselor. Every time of the row goes to its day (UTC midnight); a confirmation after
 * the deadline within the deadline's day to the day after, so "confirmed by the deadline" is still counted
 * right; the delay to the first contact is then whole days. The ids are replaced too (client_erase). */
#define FACTS_ERASED_UNIT 86400
void facts_erased_coarsen(facts_rec *f);

/* Once after the upgrade to the schema whose facts keep hours: every facts row whose row MAC verifies gets its
 * times to the hour and a fresh MAC, in one transaction, audited (facts_hours); a row whose MAC fails is left as
 * it is (verify names it). Recorded in meta facts_hours = done; a no-op after that. Idempotent. */
bool facts_hours_first_login(session *s, error *err);

/* Days since 1970-01-01 of a YYYY-MM-DD date (or of a time), for session days. */
bool day_parse(const char *date, int64_t *day);
int64_t day_of(int64_t t);
void day_format(int64_t day, char *out, size_t size);


/* The facts of a newly saved intake r (inside the caller's transaction), from its JSON body: the concern
 * codes of input.concerns, and record.channel and record.age (the intake form's answers, when given). With
 * no age, the client's sealed date of birth is opened in memory (and wiped) for the band. */
bool facts_record_intake(session *s, const intake_rec *r, const char *body, const char *age_bands,
                         const char *concern_groups, error *err);

/* A queue step moved an item (inside the caller's transaction): the facts of its intake follow (deadline,
 * confirmation, contact, assignment, declines, overdue, closing). A missing facts row (an intake saved
 * before schema 3) is not an error. */
bool facts_on_queue_step(database *db, const queue_item *before, const queue_item *after, const char *what,
                         error *err);

/* Where a client stands, from the facts of an episode, as of day asof. */
typedef enum { STAGE_PROSPECTIVE, STAGE_FIRST_SESSION, STAGE_ACTIVE, STAGE_LAPSED, STAGE_COUNT } lifecycle_stage;
const char *lifecycle_stage_name(lifecycle_stage s);
/* prospective: no attended session yet; lapsed: none attended within lapse_days before asof; first session:
 * exactly one attended; active: two or more, the last within lapse_days. */
lifecycle_stage lifecycle_of(const facts_rec *f, int64_t asof_day, int lapse_days);
/* The same from the count of attended sessions and the day of the last one. */
lifecycle_stage lifecycle_stage_at(int sessions_attended, int64_t last_session_day, int64_t asof_day, int lapse_days);

#endif
