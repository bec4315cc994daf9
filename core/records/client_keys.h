/* Per-client keys (issue 13: erasure that sticks; the formats are in core/store/vault.h).
 *
 * Every client has its own random 32-byte key, sealed under the data key in its clients row (schema 11). The
 * client's name, phone, birth date, its intakes' bodies and its queue steps' reasons are sealed under that key,
 * so erasing the client destroys the one key every copy of them needs: the row's sealed key is overwritten with
 * random bytes and deleted, and the client id goes on the list of erased clients.
 *
 * The list of erased clients is the signed audit trail's `client_erase` entries (each signed by the supervisor
 * who erased, chained, the head signed: nobody can drop one unseen by `verify`), with a marker per client in
 * meta (`erased:ID`, the entry's sequence) so that every opening can refuse an erased client with one indexed
 * read, BEFORE any key is opened: rows of an erased client copied back from an older backup (its clients row
 * still carries its old sealed key, which the data key would open) are never opened, and `client find` and
 * `verify` name them as such. `verify` checks the markers against the trail both ways.
 *
 * Opened keys are kept in one guarded block (sodium_malloc) of at most CKEYS_SLOTS keys, so that a search, an
 * export or a verify opens each client's key once; the caller wipes it when the job is done (ckeys_forget) and
 * it is freed, wiped, at logout.
 *
 * Notes are sealed to the clinical key (clinical_key.h: reception cannot open them) and that sealed note is then
 * wrapped under the client's key (format 3 around the note's own bytes: ckey_wrap), so that erasure kills the
 * notes too; reception, who holds the client key, finds inside only the note it cannot open.
 *
 * Values that belong to no client stay under the data key: drafts (a draft may be for a client not yet
 * created; retention and erasure delete them) and meta. */
#ifndef TRIAGE_CLIENT_KEYS_H
#define TRIAGE_CLIENT_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "error.h"
#include "store.h"
#include "vault.h"

#define CKEYS_SLOTS 16

typedef struct ckeys ckeys;
ckeys *ckeys_new(void);
/* The tag an intake's signed intake_create entry binds its client by ("client:TAG", core/records/records.c): keyed
 * BLAKE2b of the intake id under the client's own key, as 32 hex digits, so that the trail names no client in clear
 * and a rotation of the data key changes nothing. False ("" in tag) when the client has no key of its own (not
 * upgraded yet, or erased): such an entry carries no tag. */
#define CKEY_TAG_HEX 33
bool ckey_intake_tag(ckeys *c, database *db, const vault *v, const char *client_id, const char *intake_id,
                     char tag[CKEY_TAG_HEX]);
void ckeys_free(ckeys *c);
/* Wipes every key held (the job is done). */
void ckeys_forget(ckeys *c);

typedef enum {
    CK_OK,       /* the key is in the cache */
    CK_LEGACY,   /* no key yet: the upgrade has not reached this client, its values are under the data key */
    CK_ERASED,   /* the client is on the list of erased clients: nothing of it is opened */
    CK_TAMPERED, /* the key does not open, or a client without one after the upgrade finished */
    CK_NOTFOUND, /* no such client */
    CK_FAILED    /* the store failed */
} ck_status;

/* The key of client r (its row as read), opened with v. NULL with *why when there is none to use. */
const unsigned char *ckey_of(ckeys *c, database *db, const vault *v, const client_rec *r, ck_status *why);
/* The same from the client's id and its sealed key alone (client_keys.key_ct as a read of another row joined
 * it: store.h intake_get_keyed), its row not read. */
const unsigned char *ckey_of_sealed(ckeys *c, database *db, const vault *v, const char *client_id, const blob *key_ct,
                                    ck_status *why);
/* The same by id (the row is read). */
const unsigned char *ckey_by_id(ckeys *c, database *db, const vault *v, const char *client_id, ck_status *why);
/* A new client's key: made, sealed into r->key_ct, and held in the cache. NULL when it cannot be. */
const unsigned char *ckey_create(ckeys *c, database *db, const vault *v, client_rec *r);
/* Drops a client's key from the cache (its client was erased). */
void ckey_drop(ckeys *c, const char *client_id);

/* Seals a value of a client: under key when given, else (CK_LEGACY) under the data key. */
bool ckey_seal(const vault *v, const unsigned char *key, const char *client_id, const char *table, const char *column,
               const char *row_id, const char *text, blob *out, error *err);

/* Opens any sealed value by its format: a client-keyed one (vault.h) under its client's key, found through the
 * client id it names (which must be owner when owner is given), one of format 1 under v. A value of format 1 of a
 * client's record (clients.name/phone/birth, intakes.body, queue_events.reason) once every client has a key is
 * refused as tampering (written under the data key since). *why says what failed; *who the client it names. */
bool ckey_open(ckeys *c, database *db, const vault *v, const char *owner, const char *table, const char *column,
               const char *row_id, const unsigned char *ct, size_t n, char **plain, size_t *len, ck_status *why,
               char who[VAULT_CLIENT_ID_MAX + 1]);
/* The same into a buffer the caller keeps (vault_open_buf). */
bool ckey_open_buf(ckeys *c, database *db, const vault *v, const char *owner, const char *table, const char *column,
                   const char *row_id, const unsigned char *ct, size_t n, vault_buf *out, ck_status *why,
                   char who[VAULT_CLIENT_ID_MAX + 1]);
/* A value that is itself sealed (a note: clinical_key.h) wrapped under its client's key: *ct replaced by format 3
 * around its bytes. */
bool ckey_wrap(const unsigned char *key, const char *client_id, const char *table, const char *column,
               const char *row_id, blob *ct, error *err);
/* The bytes inside a wrapped value, into *inner (malloc'd; free with blob_free); *why and *who as ckey_open. */
bool ckey_unwrap(ckeys *c, database *db, const vault *v, const char *owner, const char *table, const char *column,
                 const char *row_id, const unsigned char *ct, size_t n, blob *inner, ck_status *why,
                 char who[VAULT_CLIENT_ID_MAX + 1]);

/* True for the fields sealed under a client's key (clients.name/phone/birth, intakes.body, queue_events.reason). */
bool ckey_field(const char *table, const char *column);

/* The list of erased clients. client_erased: true when client_id is on it (*seq: its client_erase entry, 0 if
 * unknown). client_erased_mark: puts it on (inside the caller's transaction). */
bool client_erased(database *db, const char *client_id, int64_t *seq);
bool client_erased_mark(database *db, const char *client_id, int64_t seq, error *err);

/* "tampering/erased ..." in words for a failed opening of table.column of row. */
void ckey_why(ck_status why, const char *who, const char *table, const char *column, const char *row, error *err);

/* meta client_keys: true once every client has its own key (the upgrade to schema 11 finished). */
bool client_keys_sealed(database *db);

/* The upgrade (schema 11): every client without a key gets one, and its values are re-sealed under it, batch
 * clients per transaction (a kill between two loses nothing: the next call resumes with the clients still
 * without a key); the last batch writes meta client_keys 'sealed'. Run by every login holding the data key.
 * *done: how many clients were re-sealed. */
bool client_keys_upgrade(database *db, const vault *v, const char *staff_id, int batch, int64_t *done, error *err);

#endif
