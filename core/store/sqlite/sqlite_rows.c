/* Reading rows into records: every column checked for type, length and range, so a damaged row is
 * named (table, row, column) instead of read. */
#include "sqlite_backend.h"

void sq_rd_bad(reader *r, const char *col) {
    if (!r->bad) r->bad = col;
}

void sq_rd_text(reader *r, int i, const char *col, char *buf, size_t size, bool nullable) {
    buf[0] = '\0';
    int t = sqlite3_column_type(r->st, r->base + i);
    if (t == SQLITE_NULL) {
        if (!nullable) sq_rd_bad(r, col);
        return;
    }
    if (t != SQLITE_TEXT) {
        sq_rd_bad(r, col);
        return;
    }
    const unsigned char *p = sqlite3_column_text(r->st, r->base + i);
    int n = sqlite3_column_bytes(r->st, r->base + i);
    if (!p || n < 0 || (size_t)n >= size || memchr(p, '\0', (size_t)n)) {
        sq_rd_bad(r, col);
        return;
    }
    memcpy(buf, p, (size_t)n);
    buf[n] = '\0';
}

int64_t sq_rd_int(reader *r, int i, const char *col, int64_t lo, int64_t hi) {
    if (sqlite3_column_type(r->st, r->base + i) != SQLITE_INTEGER) {
        sq_rd_bad(r, col);
        return 0;
    }
    int64_t v = sqlite3_column_int64(r->st, r->base + i);
    if (v < lo || v > hi) {
        sq_rd_bad(r, col);
        return 0;
    }
    return v;
}

/* A blob that must have exactly n bytes (key material, hashes). */
static void rd_fixed(reader *r, int i, const char *col, unsigned char *dst, size_t n) {
    memset(dst, 0, n);
    if (sqlite3_column_type(r->st, r->base + i) != SQLITE_BLOB) {
        sq_rd_bad(r, col);
        return;
    }
    const void *p = sqlite3_column_blob(r->st, r->base + i);
    int len = sqlite3_column_bytes(r->st, r->base + i);
    if (!p || len < 0 || (size_t)len != n) {
        sq_rd_bad(r, col);
        return;
    }
    memcpy(dst, p, n);
}

/* A row MAC: NULL or anything but 32 bytes reads as "no MAC" (core/records/rowmac.c then decides: after the upgrade
 * a row without its MAC is tampering), so a damaged MAC never hides the row itself. */
void sq_rd_mac(reader *r, int i, unsigned char dst[VAULT_MAC_BYTES], bool *has) {
    memset(dst, 0, VAULT_MAC_BYTES);
    *has = false;
    const void *p = sqlite3_column_type(r->st, r->base + i) == SQLITE_BLOB ? sqlite3_column_blob(r->st, r->base + i) : NULL;
    if (!p || sqlite3_column_bytes(r->st, r->base + i) != VAULT_MAC_BYTES) return;
    memcpy(dst, p, VAULT_MAC_BYTES);
    *has = true;
}

/* A sealed value: copied into malloc'd memory; NULL (allowed when nullable) and empty give {NULL, 0}. */
void sq_rd_blob(reader *r, int i, const char *col, blob *out, bool nullable) {
    out->p = NULL;
    out->n = 0;
    int t = sqlite3_column_type(r->st, r->base + i);
    if (t == SQLITE_NULL) {
        if (!nullable) sq_rd_bad(r, col);
        return;
    }
    if (t != SQLITE_BLOB) {
        sq_rd_bad(r, col);
        return;
    }
    const void *p = sqlite3_column_blob(r->st, r->base + i);
    int len = sqlite3_column_bytes(r->st, r->base + i);
    if (len < 0 || (len > 0 && !p)) {
        sq_rd_bad(r, col);
        return;
    }
    if (len == 0) return;
    out->p = xcalloc((size_t)len, 1);
    memcpy(out->p, p, (size_t)len);
    out->n = (size_t)len;
}

store_status sq_rd_end(store *s, const reader *r) {
    if (!r->bad) return ST_OK;
    return sq_fail(s, ST_CORRUPT, "Database %s: table %s, row %s: the %s column is damaged (wrong type, length or value).",
                s->path, r->table, r->row && r->row[0] ? r->row : "(unreadable id)", r->bad);
}

store_status sq_read_staff(store *s, sqlite3_stmt *st, staff_rec *o) {
    reader r = {st, "staff", NULL, NULL, 0};
    memset(o, 0, sizeof *o);
    sq_rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    sq_rd_text(&r, 1, "name", o->name, sizeof o->name, false);
    char role[16];
    sq_rd_text(&r, 2, "role", role, sizeof role, false);
    if (!r.bad && !staff_role_parse(role, &o->role)) sq_rd_bad(&r, "role");
    rd_fixed(&r, 3, "public_key", o->keys.public_key, sizeof o->keys.public_key);
    rd_fixed(&r, 4, "wrapped_secret", o->keys.wrapped_secret, sizeof o->keys.wrapped_secret);
    o->keys.kdf.alg = (int)sq_rd_int(&r, 5, "kdf_alg", INT_MIN, INT_MAX);
    o->keys.kdf.opslimit = (uint64_t)sq_rd_int(&r, 6, "kdf_ops", 0, INT64_MAX);
    o->keys.kdf.memlimit = (uint64_t)sq_rd_int(&r, 7, "kdf_mem", 0, INT64_MAX);
    rd_fixed(&r, 8, "kdf_salt", o->keys.kdf.salt, sizeof o->keys.kdf.salt);
    rd_fixed(&r, 9, "sealed_data_key", o->keys.sealed_data_key, sizeof o->keys.sealed_data_key);
    o->locked = sq_rd_int(&r, 10, "locked", 0, 1) != 0;
    o->failed_logins = (int)sq_rd_int(&r, 11, "failed_logins", 0, INT_MAX);
    o->last_failed_at = sq_rd_int(&r, 12, "last_failed_at", INT64_MIN, INT64_MAX);
    o->created_at = sq_rd_int(&r, 13, "created_at", INT64_MIN, INT64_MAX);
    return sq_rd_end(s, &r);
}

store_status sq_read_counselor(store *s, sqlite3_stmt *st, counselor_rec *o) {
    reader r = {st, "counselors", NULL, NULL, 0};
    memset(o, 0, sizeof *o);
    sq_rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    sq_rd_text(&r, 1, "code", o->code, sizeof o->code, false);
    sq_rd_text(&r, 2, "name", o->name, sizeof o->name, false);
    sq_rd_text(&r, 3, "gender", o->gender, sizeof o->gender, false);
    sq_rd_text(&r, 4, "languages", o->languages, sizeof o->languages, false);
    sq_rd_text(&r, 5, "orientations", o->orientations, sizeof o->orientations, false);
    o->high_risk = sq_rd_int(&r, 6, "high_risk", 0, 1) != 0;
    o->available = sq_rd_int(&r, 7, "available", 0, 1) != 0;
    o->capacity = (int)sq_rd_int(&r, 8, "capacity", 0, INT_MAX);
    o->caseload = (int)sq_rd_int(&r, 9, "caseload", 0, INT_MAX);
    sq_rd_text(&r, 10, "weights", o->weights, sizeof o->weights, false);
    o->updated_at = sq_rd_int(&r, 11, "updated_at", INT64_MIN, INT64_MAX);
    return sq_rd_end(s, &r);
}

store_status sq_read_client(store *s, sqlite3_stmt *st, client_rec *o) { return sq_read_client_at(s, st, 0, o); }

store_status sq_read_client_at(store *s, sqlite3_stmt *st, int base, client_rec *o) {
    reader r = {st, "clients", NULL, NULL, base};
    memset(o, 0, sizeof *o);
    sq_rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    o->created_at = sq_rd_int(&r, 1, "created_at", INT64_MIN, INT64_MAX);
    sq_rd_text(&r, 2, "created_by", o->created_by, sizeof o->created_by, false);
    sq_rd_blob(&r, 3, "name_ct", &o->name_ct, false);
    if (!r.bad && o->name_ct.n == 0) sq_rd_bad(&r, "name_ct");
    sq_rd_blob(&r, 4, "phone_ct", &o->phone_ct, true);
    sq_rd_blob(&r, 5, "birth_ct", &o->birth_ct, true);
    sq_rd_blob(&r, 6, "key_ct", &o->key_ct, true);
    store_status x = sq_rd_end(s, &r);
    if (x != ST_OK) client_rec_free(o);
    return x;
}

store_status sq_read_intake(store *s, sqlite3_stmt *st, intake_rec *o) { return sq_read_intake_at(s, st, 0, o); }

store_status sq_read_intake_at(store *s, sqlite3_stmt *st, int base, intake_rec *o) {
    reader r = {st, "intakes", NULL, NULL, base};
    memset(o, 0, sizeof *o);
    sq_rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    sq_rd_text(&r, 1, "client_id", o->client_id, sizeof o->client_id, false);
    o->created_at = sq_rd_int(&r, 2, "created_at", INT64_MIN, INT64_MAX);
    sq_rd_text(&r, 3, "created_by", o->created_by, sizeof o->created_by, false);
    sq_rd_text(&r, 4, "level", o->level, sizeof o->level, false);
    if (!r.bad && !store_level_ok(o->level)) sq_rd_bad(&r, "level");
    sq_rd_text(&r, 5, "suggested", o->suggested, sizeof o->suggested, true);
    sq_rd_text(&r, 6, "chosen", o->chosen, sizeof o->chosen, true);
    sq_rd_blob(&r, 7, "body_ct", &o->body_ct, false);
    if (!r.bad && o->body_ct.n == 0) sq_rd_bad(&r, "body_ct");
    sq_rd_blob(&r, 8, "notes_ct", &o->notes_ct, true);
    sq_rd_mac(&r, 9, o->mac, &o->has_mac);
    store_status x = sq_rd_end(s, &r);
    if (x != ST_OK) intake_rec_free(o);
    return x;
}

store_status sq_read_draft(store *s, sqlite3_stmt *st, draft_rec *o) {
    reader r = {st, "drafts", NULL, NULL, 0};
    memset(o, 0, sizeof *o);
    sq_rd_text(&r, 0, "id", o->id, sizeof o->id, false);
    r.row = o->id;
    sq_rd_text(&r, 1, "staff_id", o->staff_id, sizeof o->staff_id, false);
    o->updated_at = sq_rd_int(&r, 2, "updated_at", INT64_MIN, INT64_MAX);
    sq_rd_blob(&r, 3, "body_ct", &o->body_ct, false);
    if (!r.bad && o->body_ct.n == 0) sq_rd_bad(&r, "body_ct");
    store_status x = sq_rd_end(s, &r);
    if (x != ST_OK) draft_rec_free(o);
    return x;
}

store_status sq_read_audit(store *s, sqlite3_stmt *st, audit_rec *o) {
    char row[24] = "";
    reader r = {st, "audit", row, NULL, 0};
    memset(o, 0, sizeof *o);
    o->seq = sq_rd_int(&r, 0, "seq", 1, INT64_MAX);
    snprintf(row, sizeof row, "%" PRId64, o->seq);
    o->at = sq_rd_int(&r, 1, "at", INT64_MIN, INT64_MAX);
    sq_rd_text(&r, 2, "staff_id", o->staff_id, sizeof o->staff_id, true);
    sq_rd_text(&r, 3, "action", o->action, sizeof o->action, false);
    sq_rd_text(&r, 4, "object_id", o->object_id, sizeof o->object_id, false);
    sq_rd_text(&r, 5, "detail", o->detail, sizeof o->detail, false);
    rd_fixed(&r, 6, "hash", o->hash, sizeof o->hash);
    if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
        rd_fixed(&r, 7, "mac", o->mac, sizeof o->mac);
        o->has_mac = true;
    }
    if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
        rd_fixed(&r, 8, "sig", o->sig, sizeof o->sig);
        o->has_sig = true;
    }
    return sq_rd_end(s, &r);
}
