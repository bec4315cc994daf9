/* The SQLite backend's refusal of bad arguments (sq_invalid) and the rule that every write runs inside
 * begin()/commit(). */
#include "sqlite_backend.h"

/* The checks of ids, text fields and blobs are store.c's (store_id_ok and the rest): the same for every backend. */

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
