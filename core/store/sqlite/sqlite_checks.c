/* The argument checks of the record operations (ids, text fields, blobs) and the rule that every write
 * runs inside begin()/commit(). */
#include "sqlite_backend.h"

/* An id: 1 to 36 printable ASCII characters, no space (a UUID fits; nothing that could garble a message). */
bool sq_id_ok(const char *id) {
    if (!id || !id[0]) return false;
    size_t n = strnlen(id, STORE_ID_LEN);
    if (n >= STORE_ID_LEN) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] <= 0x20 || (unsigned char)id[i] >= 0x7f) return false;
    return true;
}

/* A text field of a record: NUL-terminated inside its array. */
bool sq_field_ok(const char *buf, size_t size) { return memchr(buf, '\0', size) != NULL; }

/* An optional id field (suggested, chosen, staff_id of an audit entry): "" or an id. */
bool sq_opt_id_ok(const char *buf, size_t size) { return sq_field_ok(buf, size) && (!buf[0] || sq_id_ok(buf)); }

bool sq_blob_ok(const blob *b, bool required) {
    if (b->n > 0 && !b->p) return false;
    if (required && b->n == 0) return false;
    return b->n <= (size_t)INT_MAX; /* SQLite's own limit is lower still (SQLITE_MAX_LENGTH) */
}

__attribute__((format(printf, 3, 4))) store_status sq_invalid(store *s, const char *what, const char *why, ...) {
    char w[256];
    va_list ap;
    va_start(ap, why);
    vsnprintf(w, sizeof w, why, ap);
    va_end(ap);
    return sq_fail(s, ST_INVALID, "Database %s: could not %s: %s.", s->path, what, w);
}

/* Every write runs inside begin()/commit(). */
store_status sq_need_txn(store *s, const char *what) {
    if (sqlite3_get_autocommit(s->db)) return sq_invalid(s, what, "writes must run inside a transaction (call begin first)");
    if (s->reading) return sq_invalid(s, what, "a read transaction is open (read_begin): it writes nothing");
    return ST_OK;
}
