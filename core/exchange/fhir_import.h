/* Screens done elsewhere (an online pre-screen, another service) come in as FHIR R4 QuestionnaireResponse
 * resources, in a Bundle or alone. Each is read against triage's own form (core/exchange/fhir.h maps the
 * Questionnaire, the linkIds and the answer codes), scored by triage's own scoring, and refused, naming the
 * resource and the linkId, when an answer does not fit the item or a stated total (an item `total` or the
 * form's total code, or an Observation derived from the response) disagrees with the recomputed one.
 *
 * What a receptionist expects: either the whole file is taken or nothing is, with every problem listed, so
 * that after fixing the file it can be imported again without duplicates. The responses of one subject
 * (Patient) authored on one day become one intake, queued like any other, for the client named by --client
 * (a file of several Patients is then refused), else for the client
 * found by the Patient's name with the same phone or date of birth, else for a new client. */
#ifndef TRIAGE_FHIR_IMPORT_H
#define TRIAGE_FHIR_IMPORT_H

#include "error.h"
#include "engine.h"
#include "session.h"

/* A response of the file imported before with the same answers: not saved again, named in the output. */
typedef struct {
    int entry;                 /* its index in the Bundle, -1 for a lone resource */
    char response_id[128];     /* its id as sent (shown safely), "" when it has none */
    char intake[STORE_ID_LEN]; /* the intake it was saved as */
} import_again;

/* An intake the import saved, with its level and why (a PHQ-9 without item 9 saved orange said nothing of why:
 * twenty-sixth outside integrator). */
typedef struct {
    char intake[STORE_ID_LEN];
    risk_level level;
    char reason[320]; /* its first reason as saved, "" when it has none */
    int reasons;      /* how many reasons it has in all */
} import_level;

typedef struct {
    int responses;
    int intakes;
    int clients_created, clients_matched;
    char first_intake[STORE_ID_LEN];
    int already;                       /* responses imported before (recognised by identifier, or id and source) */
    char already_intake[STORE_ID_LEN]; /* the intake the first of them was saved as */
    import_again *already_each;        /* each of them, in file order (already of them; import_result_free) */
    int in_progress;                   /* responses saved that were sent in-progress (partial screens) */
    int amended;                       /* responses imported before with other answers (amended): saved again
                                        * as new intakes, each amending the earlier one (audited) */
    char amended_intake[STORE_ID_LEN]; /* the earlier intake the first of them amends */
    char amending_intake[STORE_ID_LEN]; /* ...and the new intake that amends it */
    int namesakes; /* new clients made although a client with the same name and phone exists: another birth
                    * date says another person (never matched); the first of them named */
    char namesake_new[STORE_ID_LEN], namesake_of[STORE_ID_LEN];
    /* the most urgent intakes saved above green, highest level first, in file order within a level (n_levels of
     * them; held here, no heap: every caller frees nothing more than before), how many more above green are not
     * listed, and the highest level among those */
#define IMPORT_LEVELS_LISTED 16
    import_level levels[IMPORT_LEVELS_LISTED];
    int n_levels, levels_more;
    risk_level levels_more_top;
    bool save_failed; /* the file was sound but saving it failed (disk, busy): nothing saved, a runtime error */
} import_result;

/* Frees what a result holds (the list of responses imported before); the result may be reused after. */
void import_result_free(import_result *r);

/* client_id: every response is for this existing client (may be NULL). On refusal err holds one line per
 * problem (as many as fit). */
bool fhir_import(session *s, const engine *e, const char *text, size_t len, const char *client_id, import_result *out,
                 error *err);
/* What an import takes that it refuses by default (fhir_import_for's accept, or'd): */
enum {
    /* with client_id, a Patient of the file that names another person than that client (its name, birthDate,
     * or triage's client identifier differ) is refused naming both; this says the screen is meant for that
     * client all the same (the command's --accept-patient-mismatch) */
    IMPORT_ACCEPT_OTHER_PATIENT = 1u << 0,
    /* a de-identified export of this very database is refused (its intakes are here already, and would be
     * counted twice); this adds them all the same, as pseudonymous clients (--accept-own-export) */
    IMPORT_ACCEPT_OWN_EXPORT = 1u << 1,
};

/* For a file that cannot be read as FHIR at all (not JSON, nested past the parser's depth, a key twice, larger than
 * the import takes): a SAFETY line when its text names a safety item's LOINC code (PHQ-9 item 9, 44260-8), whose
 * answer is then not known, which counts as positive; false (out untouched) when it names none. Twenty-first outside
 * integrator: item 9 "nearly every day" nested 3,000 deep was refused as "maximum parsing depth reached" alone. */
bool fhir_unreadable_safety(const engine *e, const char *text, size_t len, char *out, size_t size);

/* The same, taking what accept says (IMPORT_ACCEPT_*). */
bool fhir_import_for(session *s, const engine *e, const char *text, size_t len, const char *client_id,
                     unsigned accept, import_result *out, error *err);

#endif
