/* Row MACs: which rows lack one, and setting it. */
#include "sqlite_backend.h"

/* The statements of a table that carries row MACs; false for any other name. */
static bool mac_table(const char *table, enum sid *ids, enum sid *set) {
    static const struct {
        const char *name;
        enum sid ids, set;
    } t[] = {{"queue_items", S_ROW_IDS_QUEUE, S_ROW_MAC_QUEUE},
             {"intakes", S_ROW_IDS_INTAKES, S_ROW_MAC_INTAKES},
             {"intake_facts", S_ROW_IDS_FACTS, S_ROW_MAC_FACTS}};
    for (size_t i = 0; table && i < sizeof t / sizeof t[0]; i++)
        if (strcmp(table, t[i].name) == 0) {
            *ids = t[i].ids;
            *set = t[i].set;
            return true;
        }
    return false;
}

static store_status rd_row_id(store *s, sqlite3_stmt *st, void *o) { return sq_rd_id_column(s, st, o, "row MACs", "id"); }

store_status sq_row_ids(store *s, const char *table, bool missing_only, char (**ids)[STORE_ID_LEN], int *n) {
    enum sid list, set;
    /* clients: every one, or those without a key of their own yet (store.h) */
    bool clients = table && strcmp(table, "clients") == 0;
    if (clients) list = S_ROW_IDS_CLIENTS;
    if (!ids || !n || (!clients && !mac_table(table, &list, &set)))
        return sq_invalid(s, "list rows", "no result was given, or the table carries no row MAC");
    return sq_list_rows_by(s, list, (list_param){NULL, true, missing_only ? 1 : 0}, sizeof **ids, rd_row_id, NULL,
                        (void **)ids, n, "list rows");
}

store_status sq_row_mac_set(store *s, const char *table, const char *id, const unsigned char mac[VAULT_MAC_BYTES]) {
    const char *what = "set a row MAC";
    enum sid list, set;
    if (!mac_table(table, &list, &set) || !store_id_ok(id) || !mac)
        return sq_invalid(s, what, "no valid table, id or MAC was given");
    store_status x = sq_need_txn(s, what);
    if (x != ST_OK) return x;
    sqlite3_stmt *st = NULL;
    int rc = sq_stmt(s, set, &st);
    rc = sq_b_text(st, 1, id, rc);
    rc = sq_b_blob(st, 2, mac, VAULT_MAC_BYTES, rc);
    int changed = 0;
    rc = sq_run_write(s, st, rc, &changed);
    if (rc != SQLITE_OK) return sq_fail_rc(s, rc, "set the MAC of %s %s", table, id);
    return changed ? ST_OK : ST_NOTFOUND;
}
