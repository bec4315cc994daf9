/* Client records, intakes and drafts: what is sealed, what is in clear, and who may see it.
 * Sealed: client name, phone, date of birth; every answer, score, reason and note (intake body, notes);
 * drafts. In clear: ids, times, the risk level, counselor ids. */
#ifndef TRIAGE_RECORDS_H
#define TRIAGE_RECORDS_H

#include "error.h"
#include "session.h"

/* An opened client: strings in wiped-on-free memory. */
typedef struct {
    char id[STORE_ID_LEN];
    int64_t created_at;
    char *name, *phone, *birth; /* phone and birth may be "" */
    /* client_find: the level of the client's open queue item (a risk_level), -1 when none, and whether the whole name
     * was typed; the clients at risk come first, so that namesakes never hide one (twenty-ninth receptionist: a RED
     * Li Mei 13th of 21 Li Mei, past the nine a digit picks) */
    int open_level;
    bool whole;
    bool exact; /* the name as typed, accents and all (a namesake that folds alike comes after: Nguyễn Thị Anh typed
                 * listed Nguyễn Thị Ánh first, and the digit 1 took her: thirty-second receptionist) */
} client_plain;

void client_plain_free(client_plain *c);
void client_list_free(client_plain *list, int n);

/* The forms of a name and a phone number that blind indexes are computed from: a name folded (name_fold.h: case in
 * every script, accents, full-width forms, apostrophes and hyphens, spaces); phone: digits only. */
void normalise_name(const char *in, char *out, size_t size);
void normalise_phone(const char *in, char *out, size_t size);

/* True when a stored client is the person named by name, phone and birth date as a desk types them: the
 * names equal once normalised (case, spaces), the numbers equal once reduced to digits (an international 00,
 * the country code 86 and a trunk 0 aside; at least 7 digits), and the birth dates not different (equal, or
 * missing on either side). name_only: an anonymous caller, whose name carries the caller id and who has no phone. */
bool client_is_person(const client_plain *c, const char *name, const char *phone, const char *birth, bool name_only);
/* Two numbers as one person's (as client_is_person compares them): the same digits without an international 00,
 * the country code 86 or a trunk 0, at least 7. */
bool client_phones_same(const char *a, const char *b);

/* The blind-index values of a client (at most max): the whole name, the phone digits and, of a name of several
 * words (its first 15), each word, and each word with the start of each other (its first 3 characters: a pair
 * value). CLIENT_INDEX_VALUES_MAX holds them all. */
#define CLIENT_INDEX_VALUES_MAX 256
int client_index_values(const vault *v, int bits, const char *name, const char *phone, uint32_t *out, int max);

/* The longest a client's name may be, in bytes (a search, a save and an import refuse longer). */
#define CLIENT_NAME_MAX_BYTES 400
/* The blind-index values a search looks up (at most max): a name query, its full-name value and, of several words,
 * each word as the whole one with the start of its longest other (pairs; false: an index built before pairs, each
 * word's own value); a number, its phone value. */
#define CLIENT_QUERY_KEYS_MAX 16
int client_query_keys(const vault *v, int bits, const char *query, bool pairs, uint32_t *keys, int max);

bool client_create(session *s, const char *name, const char *phone, const char *birth, char id[STORE_ID_LEN],
                   error *err);
/* Finds clients whose normalised name, a word of it, or phone digits equal the query, or (a query of several words)
 * whose name has each word typed as a word or the start of one, one of them whole ("Li Mei": Li Meiling). Candidates come from
 * the blind index and are opened and filtered in memory. Audited (no query text is recorded). */
bool client_find(session *s, const char *query, client_plain **out, int *n, error *err);
/* The clients on record whose phone is this one as the search by phone finds them (a number of 7 or more digits that
 * ends the other, the country code and trunk 0 aside), at risk first: a new
 * client given a returning client's number is said at the desk while the intake goes on, so that the worker asks
 * whether they came before (their history and open queue item are under the other record: issue 14). None for a
 * number too short to be one person's. A search by phone (audited as one). */
bool client_phone_holders(session *s, const char *phone, client_plain **out, int *n, error *err);
/* Opens one record (audited). A field that fails to open is reported as tampering with the record id. */
bool client_open(session *s, const char *id, client_plain *out, error *err);

/* Opens only what a queue row shows (the name, for its initials; the intake body, for its main reason).
 * The role is checked (the roles that may see the queues; a denial is audited like any other), but an
 * allowed peek writes no audit entry, deliberately: every open desk redraws its queue once a second, and an
 * entry per row per redraw would take the write lock every second on every desk and bury the trail; a row
 * is not a record, and opening the record itself (client_open) is audited. Screens must never show more of
 * them than initials and a reason. *out: secure memory (secret_free). */
bool client_peek_name(session *s, const char *client_id, char **out, error *err);
bool intake_peek_body(session *s, const char *intake_id, char **out, error *err);
/* The language (en, zh) a returning client gave in their newest intake (its language question's answer; an imported
 * intake's language), so that a new intake reads its questions in it and does not ask again (a returning client's
 * language was asked in every intake: issue 14). A peek, like the two above: the role that starts intakes, no audit
 * entry of its own (finding the client is audited); only the language's code leaves, the body is wiped at once.
 * False when the client has no intake, or its question was skipped (the language read in is no answer). */
bool client_language(session *s, const char *client_id, lang *out, error *err);

/* Saving an intake is the intake use case's (intake_finish.h), through intake_store.h: nothing else may
 * write one, so every safety rule of core/clinical holds on every way in. */
/* Opens an intake's sealed body (and notes, when the role may read them: the author, clinicians and
 * supervisors). *body and *notes are wiped on free with secret_free; *notes may be NULL. */
bool intake_open(session *s, const char *id, intake_rec *meta, char **body, char **notes, error *err);

/* Drafts: an unfinished intake sealed after every answer, so nothing entered is lost. id: in/out ("" for
 * a new draft). */
bool draft_save(session *s, char id[STORE_ID_LEN], const char *body, error *err);
/* One worker's intake open at two desks: each autosave wrote over the other's answers, and the desk that saved
 * the intake first saved it lower than the other had reached (eleventh tryout). A draft's fingerprint is a hash of
 * its sealed body (a new nonce at every save: every save differs). draft_save_tagged saves only when the draft is
 * as this desk last wrote or read it (tag; not checked while *tagged is false), else nothing is written and
 * ERR_CONFLICT says it was changed at another desk; on success tag is what it wrote. */
#define DRAFT_TAG_BYTES 32
bool draft_save_tagged(session *s, char id[STORE_ID_LEN], const char *body, unsigned char tag[DRAFT_TAG_BYTES],
                       bool *tagged, const char *what, const char *detail, error *err);
/* draft_resume / draft_resume_id, with the fingerprint of the draft they opened. */
bool draft_resume_tagged(session *s, char id[STORE_ID_LEN], char **body, bool *found, unsigned char tag[DRAFT_TAG_BYTES],
                         error *err);
bool draft_resume_id_tagged(session *s, const char *id, char **body, unsigned char tag[DRAFT_TAG_BYTES], error *err);
/* The same, with one audit entry (what, object: the draft, detail) in the same transaction: both or neither. */
bool draft_save_noted(session *s, char id[STORE_ID_LEN], const char *body, const char *what, const char *detail,
                      error *err);
/* The newest draft of the logged-in worker; false with *found = false when there is none. */
bool draft_resume(session *s, char id[STORE_ID_LEN], char **body, bool *found, error *err);
/* Draft `id` of the logged-in worker (any of theirs, not only the newest); false (ERR_CONFLICT) when it is not
 * theirs, ERR_TAMPERED when it does not open. */
bool draft_resume_id(session *s, const char *id, char **body, error *err);
bool draft_discard(session *s, const char *id, error *err);
/* The same, only if the draft is still as this desk last read or wrote it (tag; NULL: not checked), inside the
 * write transaction: a desk leaving an empty intake deleted the draft another desk had meanwhile saved RED answers
 * into (attacker round 14). Refused (ERR_CONFLICT) when it changed: the other desk's answers stay. */
bool draft_discard_as_read(session *s, const char *id, const unsigned char *tag, error *err);
/* Two desks of one worker on one draft (sixth tryout: the second resumed it silently). An open intake saves its
 * draft after every answer and at least every DRAFT_HEARTBEAT_SECONDS while it stays open (the screen's clock),
 * so a draft saved less than two heartbeats ago, by another desk, is probably open there. *age: seconds since
 * draft `id` (the worker's own) was last saved. */
#define DRAFT_HEARTBEAT_SECONDS 60
bool draft_saved_ago(session *s, const char *id, int64_t *age, error *err);
bool draft_probably_open(int64_t age);
/* Draft `id` is no longer this worker's in the database as this desk left it: saved, discarded or erased at
 * another desk while this desk had it open, or (tag given) saved there since with other answers (false while it
 * is there as tag says, and when the store could not be read). */
bool draft_gone(session *s, const char *id, const unsigned char *tag);
/* The answers of an intake whose draft is gone (was), kept at the worker's choice as a new draft (id: its new
 * id), audited ("draft_copy_kept", "copy of WAS", and " at LEVEL" when at_risk names a guarded level: verify
 * watches the copy as it watches a draft at risk, trail_rows.h) in the same transaction. */
bool draft_keep_copy(session *s, const char *was, char id[STORE_ID_LEN], const char *body, const char *at_risk,
                     error *err);
/* Whether draft id is still as this desk last wrote or read it (its fingerprint is tag); false with why
 * (ERR_CONFLICT: changed, saved or discarded at another desk) when not. */
bool draft_unchanged(session *s, const char *id, const unsigned char tag[DRAFT_TAG_BYTES], error *err);
/* The worker discards the unfinished intake (not saved, never to be resumed): deleted and audited
 * ("draft_discarded", with the level it had) in one transaction. tag (or NULL): the draft as this desk read it;
 * changed since at another desk, nothing is discarded (ERR_CONFLICT). */
bool draft_abandon(session *s, const char *id, const char *level, const unsigned char *tag, error *err);

#endif
