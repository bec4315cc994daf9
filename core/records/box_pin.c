#include "box_pin.h"

#include <string.h>

#include "audit.h"

box_pin_status box_pin_of(database *db, const staff_rec *r, unsigned char pk[VAULT_PK_BYTES], int64_t *seq) {
    const audit_facts *f = audit_facts_of(db);
    *seq = 0;
    if (!f) return BOX_UNREADABLE;
    /* fail closed: the facts of a trail with a problem are those of the entries that check, and an entry passed
     * over (a signature byte flipped) may be the pin, the lock or the removal that should have kept a key back */
    if (!f->complete) return BOX_UNSOUND;
    const audit_member_facts *m = audit_facts_member(f, r->id);
    if (!m || !m->has_box) {
        memcpy(pk, r->keys.public_key, VAULT_PK_BYTES);
        return BOX_UNPINNED;
    }
    memcpy(pk, m->box_pk, VAULT_PK_BYTES);
    *seq = m->box_seq;
    return vault_equal(m->box_pk, r->keys.public_key, VAULT_PK_BYTES) ? BOX_PINNED : BOX_SWAPPED;
}

bool box_pin_trail_sound(database *db, error *err) {
    const audit_facts *f = audit_facts_of(db);
    if (!f) {
        error_set(err, ERR_STORE, "cannot read the audit trail, which says who may be given keys: nothing was changed");
        return false;
    }
    if (f->complete) return true;
    error_set(err, ERR_TAMPERED, "the signed audit trail has a problem (%s), so it cannot say who may be given keys: no "
                                 "key is handed out and nothing was changed; run `triage verify`, and put the file "
                                 "back from a backup with `triage restore` if it was tampered with", f->problem);
    return false;
}

bool box_pin_for_rotation(database *db, const staff_rec *r, unsigned char pk[VAULT_PK_BYTES], error *err) {
    int64_t seq;
    box_pin_status st = box_pin_of(db, r, pk, &seq);
    if (st == BOX_UNSOUND) return box_pin_trail_sound(db, err);
    if (st != BOX_UNREADABLE) return true;
    /* the trail could not be read: a store failure, not a conflict another writer made */
    error_set(err, ERR_STORE, "cannot read the audit trail, which gives `%s` the public key keys are sealed to: "
                                 "nothing was changed", r->name);
    return false;
}

bool box_pin_for_one(database *db, const staff_rec *r, unsigned char pk[VAULT_PK_BYTES], error *err) {
    int64_t seq;
    box_pin_status st = box_pin_of(db, r, pk, &seq);
    if (st == BOX_UNREADABLE || st == BOX_UNSOUND) return box_pin_for_rotation(db, r, pk, err);
    if (st != BOX_SWAPPED) return true;
    error_set(err, ERR_TAMPERED, "the public key of `%s` in the staff table is not the one the signed audit trail gave "
                                 "(entry %lld): it was swapped in the file, and nothing was sealed to it (nothing was "
                                 "changed; run `triage verify`, then reset their passphrase to give them new keys)",
              r->name, (long long)seq);
    return false;
}

bool box_pin_at_login(database *db, const vault *v, const staff_rec *me, error *err) {
    unsigned char pk[VAULT_PK_BYTES];
    int64_t seq;
    if (box_pin_of(db, me, pk, &seq) != BOX_UNPINNED) return true; /* pinned, or a problem verify names */
    return audit_pin_box_key(db, v, me->id, me->id, me->keys.public_key, err);
}
