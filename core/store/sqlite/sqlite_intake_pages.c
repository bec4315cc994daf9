/* Every intake of a range, oldest first, in pages (store.h: intake_each_between), alone or with its client and its
 * report facts read in the same step (intake_each_joined: an export read them with a lookup apiece, a quarter of
 * its time), or its clear columns alone with its facts (intake_clear_each). Part of the SQLite backend. */
#include "sqlite_backend.h"

/* Reads the row st is on into elem (its columns from 1 on: column 0 is the rowid); on failure frees what it read. */
typedef store_status (*page_read_fn)(store *s, sqlite3_stmt *st, void *elem);

typedef struct {
    enum sid sid;        /* its ?1..?5: from, to, after created_at, after rowid, page size */
    size_t size;         /* of one element */
    page_read_fn read;
    int64_t (*at)(const void *elem); /* its created_at: where the next page starts */
    void (*drop)(void *elem);
    int (*each)(void *ctx, const void *elem); /* non-zero: stop */
    void *ctx;
} pager;

/* Pages by (created_at, rowid), each copied out before the callbacks run (they may read the store). */
static store_status page_through(store *s, int64_t from, int64_t to, const pager *p) {
    unsigned char *page = xcalloc(INTAKE_PAGE, p->size);
    int64_t after_at = INT64_MIN, after_row = 0;
    store_status result = ST_OK;
    bool stop = false;
    while (!stop && result == ST_OK) {
        sqlite3_stmt *st = NULL;
        int k = 0, rc = sq_stmt(s, p->sid, &st);
        rc = sq_b_int(st, 1, from, rc);
        rc = sq_b_int(st, 2, to, rc);
        rc = sq_b_int(st, 3, after_at, rc);
        rc = sq_b_int(st, 4, after_row, rc);
        rc = sq_b_int(st, 5, INTAKE_PAGE, rc);
        while (rc == SQLITE_OK && k < INTAKE_PAGE && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t rowid = sqlite3_column_int64(st, 0);
            void *elem = page + (size_t)k * p->size;
            result = p->read(s, st, elem);
            if (result != ST_OK) break;
            after_at = p->at(elem);
            after_row = rowid;
            k++;
            rc = SQLITE_OK;
        }
        sq_stmt_done(st);
        if (result == ST_OK && rc != SQLITE_OK && rc != SQLITE_DONE) result = sq_fail_rc(s, rc, "read the intakes");
        for (int i = 0; i < k && result == ST_OK && !stop; i++) stop = p->each(p->ctx, page + (size_t)i * p->size) != 0;
        for (int i = 0; i < k; i++) p->drop(page + (size_t)i * p->size);
        if (k < INTAKE_PAGE) break;
    }
    free(page);
    return result;
}

/* ---- the intakes alone ---- */

typedef struct {
    intake_cb cb;
    void *ctx;
} intake_each;

static store_status read_intake(store *s, sqlite3_stmt *st, void *elem) { return sq_read_intake_at(s, st, 1, elem); }
static int64_t intake_at(const void *elem) { return ((const intake_rec *)elem)->created_at; }
static void intake_drop(void *elem) { intake_rec_free(elem); }
static int intake_call(void *ctx, const void *elem) {
    const intake_each *e = ctx;
    return e->cb(e->ctx, elem);
}

store_status sq_intake_each_between(store *s, int64_t from, int64_t to, intake_cb cb, void *ctx) {
    intake_each e = {cb, ctx};
    pager p = {S_INTAKE_PAGE, sizeof(intake_rec), read_intake, intake_at, intake_drop, intake_call, &e};
    return page_through(s, from, to, &p);
}

/* ---- each with its client and facts ---- */

enum { AT_INTAKE = 1, AT_CLIENT = 11, AT_FACTS = 18 }; /* S_INTAKE_PAGE_JOINED's columns */

typedef struct {
    intake_joined_cb cb;
    void *ctx;
} joined_each;

static void joined_drop(void *elem) {
    intake_joined *j = elem;
    intake_rec_free(&j->intake);
    if (j->has_client) client_rec_free(&j->client);
    memset(j, 0, sizeof *j);
}

/* The intake (its damage refuses the read, as intake_each_between does), its client and facts when the join found
 * them (their damage too). */
static store_status read_joined(store *s, sqlite3_stmt *st, void *elem) {
    intake_joined *j = elem;
    memset(j, 0, sizeof *j);
    store_status x = sq_read_intake_at(s, st, AT_INTAKE, &j->intake);
    if (x != ST_OK) return x;
    if (sqlite3_column_type(st, AT_CLIENT) != SQLITE_NULL) {
        x = sq_read_client_at(s, st, AT_CLIENT, &j->client);
        if (x != ST_OK) {
            intake_rec_free(&j->intake);
            return x;
        }
        j->has_client = true;
    }
    if (sqlite3_column_type(st, AT_FACTS) != SQLITE_NULL) {
        x = sq_read_facts_at(s, st, AT_FACTS, &j->facts);
        if (x != ST_OK) {
            joined_drop(j);
            return x;
        }
        j->has_facts = true;
    }
    return ST_OK;
}

static int64_t joined_at(const void *elem) { return ((const intake_joined *)elem)->intake.created_at; }
static int joined_call(void *ctx, const void *elem) {
    const joined_each *e = ctx;
    return e->cb(e->ctx, elem);
}

store_status sq_intake_each_joined(store *s, int64_t from, int64_t to, intake_joined_cb cb, void *ctx) {
    joined_each e = {cb, ctx};
    pager p = {S_INTAKE_PAGE_JOINED, sizeof(intake_joined), read_joined, joined_at, joined_drop, joined_call, &e};
    return page_through(s, from, to, &p);
}

/* ---- each's clear columns with its facts ---- */

enum { CLEAR_AT_FACTS = 6 }; /* S_INTAKE_PAGE_CLEAR's facts columns */

typedef struct {
    intake_clear_cb cb;
    void *ctx;
} clear_each;

/* The clear columns as sq_read_intake_at checks them (a damaged one refuses the read), and the facts when the
 * join found them (their damage too). */
static store_status read_clear(store *s, sqlite3_stmt *st, void *elem) {
    intake_clear *c = elem;
    memset(c, 0, sizeof *c);
    reader r = {st, "intakes", NULL, NULL, 1};
    sq_rd_text(&r, 0, "id", c->id, sizeof c->id, false);
    r.row = c->id;
    sq_rd_text(&r, 1, "client_id", c->client_id, sizeof c->client_id, false);
    c->created_at = sq_rd_int(&r, 2, "created_at", INT64_MIN, INT64_MAX);
    sq_rd_text(&r, 3, "level", c->level, sizeof c->level, false);
    if (!r.bad && !store_level_ok(c->level)) sq_rd_bad(&r, "level");
    sq_rd_text(&r, 4, "suggested", c->suggested, sizeof c->suggested, true);
    store_status x = sq_rd_end(s, &r);
    if (x != ST_OK || sqlite3_column_type(st, CLEAR_AT_FACTS) == SQLITE_NULL) return x;
    x = sq_read_facts_at(s, st, CLEAR_AT_FACTS, &c->facts);
    c->has_facts = x == ST_OK;
    return x;
}

static int64_t clear_at(const void *elem) { return ((const intake_clear *)elem)->created_at; }
static void clear_drop(void *elem) { (void)elem; } /* nothing allocated */
static int clear_call(void *ctx, const void *elem) {
    const clear_each *e = ctx;
    return e->cb(e->ctx, elem);
}

store_status sq_intake_clear_each(store *s, int64_t from, int64_t to, intake_clear_cb cb, void *ctx) {
    clear_each e = {cb, ctx};
    pager p = {S_INTAKE_PAGE_CLEAR, sizeof(intake_clear), read_clear, clear_at, clear_drop, clear_call, &e};
    return page_through(s, from, to, &p);
}
