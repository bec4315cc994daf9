/* The one way an intake is finished, whichever way it came in (the wizard, `triage intake new`, FHIR
 * import, a resumed draft): every item not reached counts as passed without an answer (so a safety item left
 * unanswered is positive and an ASQ question 5 never asked after a positive is acute), the risk rules and
 * the matcher run once, the stored body is built here and nowhere else, and the client (when new), the
 * intake, its report facts, its queue item and the audit entries are saved in one transaction. */
#ifndef TRIAGE_INTAKE_FINISH_H
#define TRIAGE_INTAKE_FINISH_H

#include <jansson.h>

#include "error.h"
#include "assess.h"
#include "intake_body.h"
#include "records.h"

typedef struct {
    const char *client_id;            /* an existing client, or NULL / "" to create one from name, phone, birth */
    const char *name, *phone, *birth; /* a new client's identity (phone and birth may be NULL) */
    const char *notes;                /* sealed apart, readable by the roles allowed notes; may be NULL */
    json_t *record;                   /* the record form's choice and number answers (channel, age): kept in the
                                       * body for the report facts; may be NULL */
    lang reasons_lang;                /* the language the stored reasons are written in */
    risk_level kept;                  /* a level shown with its safety steps acknowledged during the interview:
                                       * the saved level is never below it (LEVEL_GREEN: none) */
    const char *draft_id;             /* the worker's draft of this intake: gone in the save's transaction; may be NULL */
} intake_subject;

typedef struct {
    char client_id[STORE_ID_LEN];
    char intake_id[STORE_ID_LEN];
    risk_level level;
    json_t *assessment; /* what was saved: level, reasons, scores, matches (the caller json_decref's it) */
} intake_saved;

/* The consent rule: a form given with a `consent` item must have it answered "yes" once it is answered (or
 * refused), and a record object that carries `consent` must say "yes". False with why. intake_finish holds
 * every save to it; the wizard's screen asks it after every answer, so a refusal shows the moment it is
 * given, not first at the save. record may be NULL. */
bool intake_consented(const engine *e, const assess_input *in, json_t *record, error *err);

/* Finishes and saves (see above). False with why; nothing is saved then. */
bool intake_finish(session *s, const engine *e, assess_input *in, const intake_subject *who, intake_saved *out,
                   error *err);
/* The same for a screen given at given_at (an imported response's authored time; 0: now): see
 * intake_save_given_at in records.h. */
bool intake_finish_given_at(session *s, const engine *e, assess_input *in, const intake_subject *who, int64_t given_at,
                            intake_saved *out, error *err);

#endif
