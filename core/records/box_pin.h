/* Which public key a staff member's keys are sealed to (issue 12, the fifth outside attacker). The staff table's
 * public_key is only where the member's keys live: anyone with write access to the file can put their own key
 * there, have a supervisor's routine rotation or unlock seal the clinical key (and the data key) to it, and put
 * the real key back. So every sealing to a member uses the key the signed audit trail gave them (a box_key entry,
 * audit.h), never the table's alone:
 *   - a rotation (lock, demotion, removal, rekey) seals to the trail's key even when the table holds another (the
 *     member it belongs to gets it; the swap gains nothing and cannot block the rotation); verify names the row;
 *   - a sealing to one member (unlock, promotion, reset) is refused while their table key differs, naming them;
 *   - a member the trail gives no key yet (a database from before the entries) pins the table's key at their own
 *     next login, signed by them (the login proved their secret matches it). Until then the table's key is used:
 *     the window README's threat model names; verify counts and names these members. */
#ifndef TRIAGE_BOX_PIN_H
#define TRIAGE_BOX_PIN_H

#include "db.h"
#include "error.h"
#include "vault.h"

typedef enum {
    BOX_PINNED,    /* the trail's key, and the table holds the same */
    BOX_SWAPPED,   /* the trail's key; the table holds another (tampering) */
    BOX_UNPINNED,  /* the trail gives none yet: the table's key */
    BOX_UNREADABLE, /* the trail cannot be read: nothing to seal to */
    BOX_UNSOUND     /* the trail has a problem (facts incomplete): nothing is sealed to anyone (fail closed) */
} box_pin_status;

/* True when the signed trail can be read and its facts walk is sound; otherwise false, err naming the trail's
 * problem and saying to run verify: every key handout (a rotation of the clinical key, a rekey, an unlock, a
 * reset, an enrolment) is refused before it changes anything (issue 12, the sixth outside attacker). */
bool box_pin_trail_sound(database *db, error *err);

/* The key to seal to for r (the trail's, or the table's for a member without one), and the entry that gave it. */
box_pin_status box_pin_of(database *db, const staff_rec *r, unsigned char pk[VAULT_PK_BYTES], int64_t *seq);
/* For a rotation: the key as box_pin_of gives it; false (err) when the trail cannot be read or is not sound. */
bool box_pin_for_rotation(database *db, const staff_rec *r, unsigned char pk[VAULT_PK_BYTES], error *err);
/* For a sealing to this one member: refused (err names them and the entry) when the table's key is not the
 * trail's. */
bool box_pin_for_one(database *db, const staff_rec *r, unsigned char pk[VAULT_PK_BYTES], error *err);
/* At a member's successful login (v: theirs, it signs; inside the login's transaction): when the trail gives
 * them no key yet, their table key (the login proved it is theirs) is pinned by a signed box_key entry. */
bool box_pin_at_login(database *db, const vault *v, const staff_rec *me, error *err);

#endif
