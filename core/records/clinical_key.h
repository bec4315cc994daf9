/* The clinical key (issue 12: roles by key, not only by code). Notes are sealed to a key that only the roles
 * allowed to read them hold (role_may ACT_NOTES_OF_OTHERS: clinicians and supervisors); a reception login never
 * receives it, so its passphrase opens no note even with the source (vault.h says how notes are sealed).
 *
 * Kept in meta (no table of its own, so the staff table and its signatures stay as they are):
 *   clinical_pk         the clinical public key, and a row MAC of it under the data key, so that someone with
 *                       write access alone cannot plant a public key of their own for new notes to be sealed to;
 *   clinical_key:ID     the clinical key sealed (crypto_box_seal) to staff member ID's public key; empty once
 *                       withdrawn;
 *   clinical_notes      "sealed" once every note is under the clinical key (schema 9 writes "legacy").
 *
 * Who holds it, and when that changes (all inside the transaction of the change, audited):
 *   - the first login of a clinician or supervisor after the upgrade creates it, re-seals every note that was
 *     under the data key, and seals it to every unlocked clinician and supervisor (clinical_login);
 *   - a member added, promoted, unlocked or given a new passphrase by a supervisor gets it sealed to them;
 *   - a member who held it and no longer may (demoted to reception, locked, removed) loses it at once: the key
 *     is ROTATED there and then (a new key, every note re-sealed, envelopes for the others only), because they
 *     may have kept the old key, and withdrawing an envelope alone would take nothing from them;
 *   - a data-key rotation (db_rekey) rotates it too, leaving out accounts locked meanwhile. */
#ifndef TRIAGE_CLINICAL_KEY_H
#define TRIAGE_CLINICAL_KEY_H

#include "audit.h"
#include "session.h"

/* After a successful unlock: opens the clinical key sealed to s's member (when their role may hold one),
 * checks it against the clinical public key of the file, and on the first such login after the upgrade
 * re-seals every note under it (one transaction). False (err says: tampering, or why the migration failed)
 * refuses the login. */
bool clinical_login(session *s, error *err);

/* Seals a note for row_id: to the clinical public key, or under the data key while no clinical key exists yet
 * (before the first clinician or supervisor login after the upgrade). text NULL or "": *out empty. */
bool clinical_seal_note(session *s, const char *row_id, const char *text, blob *out, error *err);
/* The same, saying which clinical public key it sealed to (*to_clinical false: none, or under the data key). */
bool clinical_seal_note_to(session *s, const char *row_id, const char *text, blob *out, unsigned char used[VAULT_PK_BYTES],
                           bool *to_clinical, error *err);
/* Inside the save's write transaction: the clinical key a note was sealed to before it is still the one the signed
 * trail pins, read under the write lock (sealed before the transaction, a trail swapped back between the two let a
 * note go to a demoted clinician's kept key: tenth outside attacker). False (ERR_TAMPERED, why) when not. */
bool clinical_note_key_still(session *s, const unsigned char used[VAULT_PK_BYTES], error *err);

/* Opens a note: a legacy one (under the data key) with s->v, a clinical one with the clinical key. *held is
 * false (and *plain NULL, and true returned) when the note is under the clinical key and s holds none (a
 * reception login). False when it does not open (tampering). */
bool clinical_open_note(session *s, const char *row_id, const unsigned char *ct, size_t n, char **plain, bool *held);

/* verify: an opened clinical note (its plaintext, header included) is signed by its author, or vouched for by
 * the clinician or supervisor whose rotation first signed the notes (those written before signatures), under
 * the key meta records for them. False with the problem written ("tampering: ..."). clinical_open_note checks
 * the same and gives the text without its header. */
bool clinical_note_check(database *db, const char *row_id, const char *plain, char *problem, size_t size);

/* The clinical key sealed to s's member in db (which may be a backup being checked), NULL for none. */
vault_clinical *clinical_key_in(database *db, const session *s);
/* True once every note is sealed to the clinical key (the migration done); and whether the trail says a
 * clinical key was ever made (an audit entry clinical_key): the second without the first is a state set back
 * in the file (verify and the login refuse it). */
bool clinical_notes_sealed(database *db);
bool clinical_key_was_made(database *db);

/* Inside the caller's transaction, after staff member r was saved: seals the clinical key to r when their
 * role and lock state allow, or withdraws it and rotates the key when r held it and no longer may. *fresh
 * receives a rotated key (NULL if none): the caller gives it to clinical_adopt after the commit, or frees it
 * (vault_clinical_free) after a rollback. */
bool clinical_staff_changed(session *s, const staff_rec *r, vault_clinical **fresh, error *err);

/* Inside the caller's transaction: a new clinical key; every note (legacy ones opened with s->v, clinical ones
 * with s->clinical) re-sealed to it; sealed to every unlocked member whose role may hold it, withdrawn from
 * everyone else; its public key MAC'd under data_key (the data key from the commit on: a rekey's new one).
 * *fresh as above. */
bool clinical_rotate(session *s, const vault *data_key, vault_clinical **fresh, error *err);

/* verify: the file's clinical public key must be the one the newest signed clinical_key entry of the trail
 * (trail: audit_verify's report, which also checks that its writer's role, as the trail set it, may hold the
 * key) made. False with the problem written. A key made before pins (an entry without one) passes: the next
 * clinical login rotates it. */
bool clinical_pin_verify(database *db, const audit_report *trail, char *problem, size_t size);
/* verify: false (problem written) when a member holds an envelope of the clinical key (meta clinical_key:ID) whom
 * the signed trail does not let hold it (a role that may not read notes, removed, never added). */
bool clinical_envelopes_verify(database *db, char *problem, size_t size);

/* After the commit: s holds fresh from now on (the old key is wiped). */
void clinical_adopt(session *s, vault_clinical *fresh);

#endif
