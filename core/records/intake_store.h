/*
 * The storage step of finishing an intake: seal the body, insert the client (when new), the intake, its queue
 * item, facts and audit entries in one transaction. Only the intake use case (intake_finish.c) includes this
 * header - the wizard, `intake new`, a resumed draft and FHIR import all reach it through intake_finish(), so
 * the assessment and its safety rules run before any intake is written (tests/structure/layers.sh checks who
 * includes it; tests and benchmarks may, to measure and fault the store itself).
 */
#ifndef TRIAGE_INTAKE_STORE_H
#define TRIAGE_INTAKE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "queue_policy.h"
#include "session.h"
#include "store.h"

typedef struct {
    const char *client_id;
    const char *level;     /* red, orange, yellow, green */
    const char *suggested; /* counselor code or NULL */
    const char *chosen;    /* counselor code or NULL */
    const char *body;      /* JSON text: answers, scores, reasons, matches */
    const char *notes;     /* free text or NULL */
    /* an existing client's phone as this intake gave it, or NULL: it fills the record's when that has none (an
     * anonymous caller's call-back number given on a later intake was on no record: twenty-sixth tryout); a phone
     * on record is replaced only when phone_replaces says so */
    const char *phone;
    /* phone is the number a worker gave at the desk for this client (the interview, which shows the record's and
     * lets it be changed): another than the record's replaces it, audited client_phone_changed (twenty-seventh
     * tryout: an edited phone was silently not stored). A file's (intake new, import) never replaces one. */
    bool phone_replaces;
    bool *phone_changed; /* set true when the record's phone was replaced; may be NULL */
} intake_input;

bool intake_save(session *s, const intake_input *in, char id[STORE_ID_LEN], error *err);
/* The same, and the client enters (or moves in) the escalation queue of the intake's level, in the same
 * transaction. queue NULL: no queue (as intake_save). */
bool intake_save_queued(session *s, const intake_input *in, const queue_policy *queue, char id[STORE_ID_LEN],
                        error *err);

/* A client to create with an intake. */
typedef struct {
    const char *name, *phone, *birth; /* phone and birth may be NULL */
} client_new;

/* As intake_save_queued, and when nc is given the client is created in the same transaction (in->client_id
 * is then ignored): a failure leaves neither. client_id (may be NULL) receives the client's id. Only the
 * intake use case (intake_finish.h) calls this. */
bool intake_save_with_client(session *s, const client_new *nc, const intake_input *in, const queue_policy *queue,
                             char client_id[STORE_ID_LEN], char intake_id[STORE_ID_LEN], error *err);
/* The same for a screen given before it is saved (an imported FHIR response's authored time): the intake's
 * time (created_at, what reports and exports count by) is given_at (0: now). The audit entries and the queue
 * step keep the time of saving: when the centre learned of it, and from when its deadline runs. */
/* draft_id: the worker's own draft this intake finishes, deleted in the same transaction, so a saved intake
 * never leaves its draft behind to be resumed and saved twice (NULL or "": none; another worker's is left). */
bool intake_save_given_at(session *s, const client_new *nc, const intake_input *in, const queue_policy *queue,
                          int64_t given_at, const char *draft_id, char client_id[STORE_ID_LEN],
                          char intake_id[STORE_ID_LEN], error *err);

#endif
