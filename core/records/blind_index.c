#include "blind_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "client_keys.h"
#include "name_fold.h"
#include "records.h"
#include "util.h"

#define WIDTH_KEY "blind_index_width"

int blind_width_for(int64_t clients, int k) {
    if (k < 1) k = 1;
    int64_t q = clients / k;
    int w = 0;
    while (q >= 2 && w < BLIND_WIDTH_MAX) {
        q >>= 1;
        w++;
    }
    return w;
}

int blind_width_stored(database *db, const vault *v, int *formula) {
    if (formula) *formula = -1;
    blob b = {0};
    char *plain = NULL;
    size_t len = 0;
    int w = -1, f = -1, fold = 1, layout = 1;
    if (db->ops->meta_get(db->st, WIDTH_KEY, &b) == ST_OK &&
        vault_open(v, "meta", WIDTH_KEY, "database", b.p, b.n, &plain, &len)) {
        int got = sscanf(plain, "%d %d %d %d", &w, &f, &fold, &layout);
        if (got < 2 || w < 0 || w > BLIND_WIDTH_MAX || f < 0 || f > BLIND_WIDTH_MAX) w = f = -1;
        /* values of names folded by older rules (no fold version: version 1, ASCII case only), or an index without
         * the pair values (no layout: 1): searchable at their width as they are, and rebuilt at the next login (no
         * formula width recorded) */
        else if (fold != NAME_FOLD_VERSION || layout != BLIND_LAYOUT) f = -1;
    }
    secret_free(plain);
    blob_free(&b);
    if (formula) *formula = f;
    return w < 0 ? 0 : w;
}

static bool width_write(database *db, const vault *v, int width, int formula, error *err) {
    char text[32];
    int n = snprintf(text, sizeof text, "%d %d %d %d", width, formula, NAME_FOLD_VERSION, BLIND_LAYOUT);
    unsigned char *ct = NULL;
    size_t ctn = 0;
    if (!vault_seal(v, "meta", WIDTH_KEY, "database", text, (size_t)n, &ct, &ctn)) {
        error_set(err, ERR_INTERNAL, "cannot seal the blind index width");
        return false;
    }
    store_status st = db->ops->meta_set(db->st, WIDTH_KEY, ct, ctn);
    free(ct);
    if (st != ST_OK) db_error(db, st, "cannot record the blind index width", err);
    return st == ST_OK;
}

/* ---- the rebuild: every client's values at full width, then the width chosen, then written ---- */

typedef struct {
    char id[STORE_ID_LEN];
    uint32_t *v; /* 32-bit values (records.h client_index_values: all of them), truncated when written */
    int n;
} client_values;

typedef struct {
    const vault *v;
    database *db;
    ckeys *keys; /* the clients' own keys (client_keys.h), each opened once for its name and phone */
    bool skip;   /* the client being read is an erased one put back from an older copy: not indexed */
    client_values *list;
    size_t n, cap;
    char row[STORE_ID_LEN]; /* the client whose name and phone are being read */
    vault_buf name, phone;  /* opened into guarded buffers kept for the whole walk (no mapping per field) */
    char problem[300];
} rebuild_ctx;

/* The values of the client read so far (each_sealed visits a client's fields one after the other). */
static void flush_client(rebuild_ctx *c) {
    if (!c->row[0]) return;
    if (c->skip) { /* verify names it; it is never found */
        vault_buf_wipe(&c->name);
        vault_buf_wipe(&c->phone);
        c->row[0] = '\0';
        c->skip = false;
        return;
    }
    uint32_t vals[CLIENT_INDEX_VALUES_MAX];
    int n = client_index_values(c->v, 32, c->name.len ? (const char *)c->name.p : "",
                                c->phone.len ? (const char *)c->phone.p : "", vals, CLIENT_INDEX_VALUES_MAX);
    if (c->n == c->cap) c->list = xrealloc(c->list, sizeof *c->list * (c->cap = c->cap ? c->cap * 2 : 1024));
    client_values *e = &c->list[c->n++];
    memcpy(e->id, c->row, sizeof e->id);
    e->v = xcalloc(n > 0 ? (size_t)n : 1, sizeof *e->v);
    e->n = n;
    if (n > 0) memcpy(e->v, vals, sizeof *vals * (size_t)n);
    vault_buf_wipe(&c->name);
    vault_buf_wipe(&c->phone);
    c->row[0] = '\0';
}

static int read_one(void *vctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                    size_t n) {
    rebuild_ctx *c = vctx;
    if (strcmp(table, "clients") != 0) {
        flush_client(c);
        return 0;
    }
    if (strcmp(c->row, row) != 0) {
        flush_client(c);
        snprintf(c->row, sizeof c->row, "%s", row);
    }
    bool is_name = strcmp(column, "name") == 0;
    if (strcmp(column, "key") == 0) {
        /* the walk gives a client's key before its values: opened into the cache from here, so the name and phone
         * open without reading the client's row again (a client erased is checked there all the same) */
        client_rec r;
        memset(&r, 0, sizeof r);
        snprintf(r.id, sizeof r.id, "%s", row);
        r.key_ct.p = (unsigned char *)ct;
        r.key_ct.n = n;
        ck_status why;
        (void)ckey_of(c->keys, c->db, c->v, &r, &why);
        return 0;
    }
    if (c->skip || (!is_name && strcmp(column, "phone") != 0)) return 0;
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1];
    if (!ckey_open_buf(c->keys, c->db, c->v, row, table, column, row, ct, n, is_name ? &c->name : &c->phone, &why,
                       who)) {
        if (why == CK_ERASED) {
            c->skip = true;
            return 0;
        }
        snprintf(c->problem, sizeof c->problem, "tampering: clients.%s of record %s does not open", column, row);
        return 1;
    }
    return 0;
}

/* True when every value held at width w is held by at least k distinct clients. */
static bool every_value_shared(const client_values *list, size_t n, int w, int k) {
    uint32_t mask = w >= 32 ? UINT32_MAX : (UINT32_C(1) << w) - 1u;
    uint32_t *count = xcalloc((size_t)mask + 1u, sizeof *count);
    for (size_t i = 0; i < n; i++) {
        uint32_t seen[CLIENT_INDEX_VALUES_MAX];
        int ns = 0;
        for (int j = 0; j < list[i].n; j++) {
            uint32_t x = list[i].v[j] & mask;
            bool dup = false;
            for (int t = 0; t < ns && !dup; t++) dup = seen[t] == x;
            if (dup) continue; /* a client counts once in each value */
            seen[ns++] = x;
            count[x]++;
        }
    }
    bool ok = true;
    for (uint32_t x = 0; ok && x <= mask; x++) ok = count[x] == 0 || count[x] >= (uint32_t)k;
    free(count);
    return ok;
}

static int width_chosen(const client_values *list, size_t n, int formula, int k) {
    int w = formula;
    while (w > 0 && !every_value_shared(list, n, w, k)) w--;
    return w;
}

typedef struct {
    uint32_t value;
    uint32_t client; /* index into the list */
} entry;

static int entry_cmp(const void *a, const void *b) {
    const entry *x = a, *y = b;
    if (x->value != y->value) return x->value < y->value ? -1 : 1;
    return x->client < y->client ? -1 : x->client > y->client;
}

/* Every client's old entries cleared, then the new ones added in the order of the index (value first), so
 * that the writes append to its b-tree rather than land at random pages. */
static bool write_all(database *db, const client_values *list, size_t n, int w, error *err) {
    uint32_t mask = (UINT32_C(1) << w) - 1u;
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) ne += (size_t)list[i].n;
    entry *e = xcalloc(ne ? ne : 1, sizeof *e);
    ne = 0;
    store_status st = ST_OK;
    for (size_t i = 0; i < n && st == ST_OK; i++) {
        st = db->ops->bidx_clear(db->st, list[i].id);
        for (int j = 0; j < list[i].n; j++) e[ne++] = (entry){list[i].v[j] & mask, (uint32_t)i};
    }
    qsort(e, ne, sizeof *e, entry_cmp);
    for (size_t i = 0; i < ne && st == ST_OK; i++) st = db->ops->bidx_add(db->st, e[i].value, list[e[i].client].id);
    free(e);
    if (st != ST_OK) db_error(db, st, "cannot rewrite the search index", err);
    return st == ST_OK;
}

bool blind_index_rebuild(database *db, const vault *v, int k, int *width, error *err) {
    if (k < 1) k = BLIND_K_DEFAULT;
    int64_t clients = 0;
    store_status st = db->ops->client_count(db->st, &clients);
    if (st != ST_OK) {
        db_error(db, st, "cannot count the clients", err);
        return false;
    }
    rebuild_ctx c = {v, db, ckeys_new(), false, NULL, 0, 0, "", {0}, {0}, ""};
    st = c.keys ? db->ops->each_sealed(db->st, read_one, &c) : ST_IO;
    flush_client(&c);
    ckeys_free(c.keys);
    vault_buf_free(&c.name);
    vault_buf_free(&c.phone);
    bool ok = st == ST_OK && !c.problem[0];
    if (c.problem[0]) error_set(err, ERR_INPUT, "%s", c.problem);
    else if (st != ST_OK) db_error(db, st, "cannot read the clients", err);
    int formula = blind_width_for(clients, k);
    int w = ok ? width_chosen(c.list, c.n, formula, k) : 0;
    ok = ok && write_all(db, c.list, c.n, w, err) && width_write(db, v, w, formula, err);
    for (size_t i = 0; i < c.n; i++) free(c.list[i].v);
    free(c.list);
    if (ok && width) *width = w;
    return ok;
}

bool blind_index_maintain(session *s, error *err) {
    database *db = s->db;
    int64_t clients = 0;
    if (db->ops->client_count(db->st, &clients) != ST_OK) return true; /* the next login tries again */
    int formula;
    (void)blind_width_stored(db, s->v, &formula);
    int k = db->set.blind_index_k > 0 ? db->set.blind_index_k : BLIND_K_DEFAULT;
    if (formula >= 0 && formula == blind_width_for(clients, k)) return true;
    if (!session_begin(s, err)) return false;
    int w = 0;
    char detail[64];
    bool ok = blind_index_rebuild(db, s->v, k, &w, err);
    snprintf(detail, sizeof detail, "width %d for %lld clients, k %d", w, (long long)clients, k);
    ok = ok && audit_log(db, s->v, s->me.id, "blind_index_rebuilt", "", detail, err) && db_commit(db, err);
    if (!ok) db_rollback(db);
    return ok;
}
