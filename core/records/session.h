/* A logged-in staff member holding the unlocked data key. Every operation on records takes a session,
 * and access control lives here (not in screens): reception creates intakes and sees queues but not the
 * clinical notes of other staff; clinicians confirm and lower levels; supervisors manage staff, roster
 * and keys and see everything. A denial returns a clear reason and is audited. */
#ifndef TRIAGE_SESSION_H
#define TRIAGE_SESSION_H

#include "error.h"
#include "db.h"
#include "progress.h"

typedef struct {
    database *db;
    vault *v;
    vault_clinical *clinical; /* the clinical key (notes; core/records/clinical_key.h), NULL when the role may not hold it */
    staff_rec me;
    int64_t key_generation; /* of the data key this session holds; a rotation counts it up */
    int64_t restore_generation; /* of the content this session logged in to (meta restore_generation): a restore
                                 * counts it up, and from then on this session writes nothing (it must log in again) */
    int64_t restore_told;       /* the generation the desk was last told about (session_restored_since) */
    progress *progress;     /* long commands report how far they are here (NULL: nobody watches) */
    struct ckeys *ck;       /* the client keys opened for the job at hand (core/records/client_keys.h), wiped after it */
    vault_note_sealer *notes; /* this session's note key, sealed to the clinical key notes go to (NULL: none yet) */
} session;

typedef enum {
    LOGIN_OK,
    LOGIN_FAILED, /* unknown name or wrong passphrase: the message does not say which */
    LOGIN_LOCKED, /* too many failures: a supervisor must unlock */
    LOGIN_WAIT,   /* too soon after a failure: try again in *wait seconds */
    LOGIN_ERROR,  /* the database failed */
    LOGIN_SHORT   /* shorter than any passphrase can be (VAULT_PASSPHRASE_MIN): not tried, never counted as a failed
                   * login (keys typed in a hurry at the idle lock, meant for the screen, locked the account) */
} login_status;


/* Creates the first supervisor of a new, empty database and its data key. */
bool db_initialise(database *db, const char *name, const char *pass, size_t passlen, error *err);

/* Seals the key-check value under v (at init and after a key rotation), inside a transaction. */
bool session_key_check_write(database *db, const vault *v, error *err);

/* Logs in. Every attempt is audited; failures count towards a lock (settings.lock_after) and make the
 * next attempt wait longer. */
login_status session_login(database *db, const char *name, const char *pass, size_t passlen, session **out,
                           int *wait, error *err);
/* A write transaction for a session: refused (rolled back, with a message) when a supervisor rotated the
 * data key since this session logged in, so nothing is ever sealed under a key no one holds any more. */
bool session_begin(session *s, error *err);
/* Records an event that changes nothing else (e.g. the safety steps were acknowledged). */
void session_audit(session *s, const char *what, const char *object_id, const char *detail);
/* The generation of the database's data key (counted up by every rotation). */
int64_t session_key_generation(database *db);
/* False when the session's key is no longer the database's (rotated meanwhile). */
bool session_key_current(session *s);
/* meta restore_generation: counted up by every `triage restore` (0 before the first). */
int64_t session_restore_generation(database *db);
/* True once when the database was restored from a backup since this session logged in (or last asked):
 * what it saved before may be gone, and the desk must say so. *generation gets the new value. */
bool session_restored_since(session *s, int64_t *generation);
/* False when a restore put a backup back since this session logged in: the session writes nothing more
 * (its signing key or its role may not be the restored trail's) and its person must log in again. */
bool session_restore_current(session *s);
/* The upgrades a login runs on a database of an older schema (row MACs, report facts to the hour, per-client
 * keys, the clinical key's pin and the notes' signatures, the blind index), run by this session on another database: a backup's private copy that `triage restore` upgraded
 * (issue 16, s6), so that what goes in is what a login would have made of it. The session's own database is
 * left alone. */
bool session_upgrade_other(session *s, database *other, error *err);

/* The session's cache of opened client keys (made when first needed; NULL when secure memory is short). */
struct ckeys *session_ckeys(session *s);

/* Wipes the keys and frees the session (NULL is fine). */
void session_end(session *s);

/* True when the role allows a; otherwise writes why, audits the denial, and returns false. */
bool session_allowed(session *s, staff_action a, error *why);

/* Staff management (supervisors). */
bool staff_add(session *s, const char *name, staff_role role, const char *pass, size_t passlen, error *err);
bool staff_set_locked(session *s, const char *name, bool locked, error *err);
bool staff_set_role(session *s, const char *name, staff_role role, error *err);
/* A supervisor sets a new passphrase for someone who forgot theirs: a new key pair for them, the data
 * key sealed to it (no one else's passphrase is needed). */
bool staff_reset_passphrase(session *s, const char *name, const char *pass, size_t passlen, error *err);
/* Anyone changes their own passphrase with the old one. */
bool staff_change_passphrase(database *db, const char *name, const char *old_pass, size_t old_len,
                             const char *new_pass, size_t new_len, error *err);

/* A supervisor removes a member for good: the row stays (records name their author by id), locked, with its
 * key material replaced by random bytes, so that nothing it held opens again even if the lock is cleared in
 * the file; audited (staff_remove) and followed by verify. Not oneself, not the last supervisor. */
bool staff_remove(session *s, const char *name, error *err);

/* Every staff member, by name (supervisors; free() the array). The key material stays in the records but
 * is wrapped: nothing in it opens without the member's passphrase. */
bool staff_list_all(session *s, staff_rec **out, int *n, error *err);

/* A valid login name: 1 to 64 bytes of letters, digits, '.', '_', '-'. */
bool staff_name_valid(const char *name);

#endif
