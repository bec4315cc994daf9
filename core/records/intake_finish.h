/* The one way an intake is finished, whichever way it came in (the wizard, `triage intake new`, FHIR
 * import, a resumed draft): every item not reached counts as passed without an answer (so a safety item left
 * unanswered is positive and an ASQ question 5 never asked after a positive is acute), the risk rules and
 * the matcher run once, the stored body is built here and nowhere else, and the client (when new), the
 * intake, its report facts, its queue item and the audit entries are saved in one transaction.
 *
 * Two doors, one rule each way in:
 *   - an interview (the wizard, a resumed draft) goes through intake_finish_interview, which refuses while a
 *     required question is owed or safety steps are due and not acknowledged - here, not in a screen, so no
 *     screen can save past them; the level kept and the draft come from the interview itself, so only an
 *     interview that passed those checks can finish a draft or keep a level shown;
 *   - a record given whole (`intake new`, FHIR import) goes through intake_finish: nobody is interviewed, so
 *     there is no question to ask and no step to show at a desk; a required question it lacks counts as
 *     passed without an answer (a safety item as positive), and its level goes into the queue like any. */
#ifndef TRIAGE_INTAKE_FINISH_H
#define TRIAGE_INTAKE_FINISH_H

#include <jansson.h>

#include "error.h"
#include "assess.h"
#include "intake_body.h"
#include "records.h"
#include "wizard.h"

typedef struct {
    const char *client_id;            /* an existing client, or NULL / "" to create one from name, phone, birth */
    const char *name, *phone, *birth; /* a new client's identity (phone and birth may be NULL) */
    const char *notes;                /* sealed apart, readable by the roles allowed notes; may be NULL */
    json_t *record;                   /* the record form's choice and number answers (channel, age): kept in the
                                       * body for the report facts; may be NULL */
    lang reasons_lang;                /* the language the stored reasons are written in */
    bool anonymous;                   /* an anonymous caller: its name (which carries the caller id) alone says
                                       * who it is */
    bool phone_replaces;              /* phone is the worker's for an existing client (the interview): it replaces
                                       * the record's (intake_input) */
    risk_level stated;                /* a level another system's record sent with the screens states (an import's
                                       * RiskAssessment or Condition): the saved level is raised to it, never
                                       * lowered by it; LEVEL_GREEN: none */
    const char *stated_because;       /* what states it ("entry[3] RiskAssessment ra1: high"), or NULL */
} intake_subject;

typedef struct {
    char client_id[STORE_ID_LEN];
    char intake_id[STORE_ID_LEN];
    risk_level level;
    json_t *assessment; /* what was saved: level, reasons, scores, matches (the caller json_decref's it) */
    bool phone_changed; /* the existing client's phone on record was replaced by the interview's (the summary says so) */
} intake_saved;

/* The consent rule: a form given with a `consent` item must have it answered "yes" once it is answered (or
 * refused), and a record object that carries `consent` must say "yes". False with why. intake_finish holds
 * every save to it; the wizard's screen asks it after every answer, so a refusal shows the moment it is
 * given, not first at the save. record may be NULL. */
bool intake_consented(const engine *e, const assess_input *in, json_t *record, error *err);

/* Finishes and saves a record given whole (see above). False with why; nothing is saved then. */
bool intake_finish(session *s, const engine *e, assess_input *in, const intake_subject *who, intake_saved *out,
                   error *err);
/* The same for a screen given at given_at (an imported response's authored time; 0: now): see
 * intake_save_given_at in records.h. */
bool intake_finish_given_at(session *s, const engine *e, assess_input *in, const intake_subject *who, int64_t given_at,
                            intake_saved *out, error *err);

/* Finishes and saves an interview (see above): the client (w->client_id, else a new one from the interview's
 * name, phone and birth date), its record answers, its kept level and its draft (gone in the save's
 * transaction) all come from w. Refused, nothing saved, when the client has not consented (ERR_INPUT), a
 * required question is owed (ERR_INPUT: wizard_ready), or - once every item not reached counts as passed -
 * safety steps are due and not acknowledged (ERR_CONFLICT: wizard_needs_safety_steps; the caller shows them).
 * On success w is at WZ_SAVED with no draft. Past the question check w is recomputed with its final answers
 * (its panel then shows what counts, saved or not). */
bool intake_finish_interview(session *s, wizard *w, lang reasons_lang, intake_saved *out, error *err);

#endif
