#include "provenance.h"

#include <stdio.h>
#include <string.h>

#include "vault.h"

typedef struct {
    bool found;
    unsigned char hash[VAULT_MAC_BYTES];
} first_entry;

static int take_first(void *ctx, const audit_rec *e) {
    first_entry *f = ctx;
    memcpy(f->hash, e->hash, sizeof f->hash);
    f->found = true;
    return 1; /* the first is enough */
}

bool provenance_tag(database *db, char out[PROVENANCE_HEX], error *err) {
    out[0] = '\0';
    first_entry f = {false, {0}};
    store_status st = db->ops->audit_each_from(db->st, 0, take_first, &f);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the audit trail's first entry (which database this is)", err);
        return false;
    }
    if (!f.found) {
        error_set(err, ERR_TAMPERED, "the audit trail is empty: which database this is cannot be told");
        return false;
    }
    unsigned char h[16];
    vault_keyed_id(f.hash, "triage", "source-database", h);
    for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", h[i]);
    return true;
}

bool provenance_valid(const char *s) {
    if (!s || strlen(s) != PROVENANCE_HEX - 1) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}
