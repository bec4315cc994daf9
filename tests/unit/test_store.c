/* The record store.
 *
 * First the CONFORMANCE tests: they use nothing but a `const store_ops *` (given to each test as its
 * prestate) and a fresh database made by its open(), so a second backend runs the same list by adding
 * CONFORMANCE(its_ops) to the table in main(). They cover round trips of every entity (blobs byte-equal,
 * empty optional blobs, key material), updates, unique keys, missing rows, references, writes outside a
 * transaction, rollback, degenerate calls, the audit sequence, every sealed value, the blind index,
 * integrity, a second connection, and locking.
 *
 * Then the SQLite backend itself: reopening, files it must refuse and leave byte-identical (text, another
 * program's database, a newer schema, damaged pages), migrations from every earlier version, pragmas, file
 * modes, backups (also while another process writes), read-only files and directories (as an unprivileged
 * user when run as root), network filesystems (through the TRIAGE_TEST_FSTYPE hook), damaged rows.
 *
 * Everything happens in directories made with mkdtemp under /tmp and removed afterwards. Only one cmocka
 * group is run, so that tests/run-suites.sh counts every test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"

#define TRIG 0x54524947
#define NEWEST 14 /* the schema version this build writes */

#define STAFF1 "5a000000-0000-4000-8000-000000000001"
#define STAFF2 "5a000000-0000-4000-8000-000000000002"
#define STAFF3 "5a000000-0000-4000-8000-000000000003"
#define CLIENT1 "c1000000-0000-4000-8000-000000000001"
#define CLIENT2 "c1000000-0000-4000-8000-000000000002"
#define CLIENT3 "c1000000-0000-4000-8000-000000000003"
#define INTAKE1 "1a000000-0000-4000-8000-000000000001"
#define INTAKE2 "1a000000-0000-4000-8000-000000000002"
#define INTAKE3 "1a000000-0000-4000-8000-000000000003"
#define INTAKE4 "1a000000-0000-4000-8000-000000000004"
#define DRAFT1 "d0000000-0000-4000-8000-000000000001"
#define DRAFT2 "d0000000-0000-4000-8000-000000000002"
#define COUNS1 "c0000000-0000-4000-8000-000000000001"
#define COUNS2 "c0000000-0000-4000-8000-000000000002"
#define COUNS3 "c0000000-0000-4000-8000-000000000003"
#define MISSING "00000000-0000-4000-8000-00000000dead"

/* ---- fixture ---- */

typedef struct {
    const store_ops *ops;
    char dir[64];
    char path[512]; /* the database: a path, or for the conformance tests the URL of TRIAGE_TEST_STORE_URL */
    store *s;
} fx;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int open_up(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)ftw;
    if (flag == FTW_D || flag == FTW_DNR) (void)chmod(p, 0700);
    return 0;
}

static void remove_tree(const char *dir) {
    (void)chmod(dir, 0700);
    (void)nftw(dir, open_up, 16, FTW_PHYS); /* directories a test made read-only, first */
    (void)nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static fx *fx_new(void **state) {
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->ops = *state ? (const store_ops *)*state : &store_checked; /* the backend the URL names, checked */
    snprintf(f->dir, sizeof f->dir, "/tmp/triage-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/triage.db", f->dir);
    return f;
}

/* The database the conformance tests run on. TRIAGE_TEST_STORE_URL names it as a URL, so that a second
 * backend runs the same list unchanged: "{dir}" becomes this test's fresh temporary directory and "{n}" a
 * number no other test of the run has (a server backend's URL names a database or schema of its own per
 * test). Default: "sqlite:{dir}/triage.db". */
static void conformance_url(fx *f) {
    static int n;
    const char *t = getenv("TRIAGE_TEST_STORE_URL");
    if (!t || !t[0]) t = "sqlite:{dir}/triage.db";
    size_t o = 0;
    n++;
    for (const char *p = t; *p && o + 1 < sizeof f->path; p++) {
        if (!strncmp(p, "{dir}", 5) || !strncmp(p, "{n}", 3)) {
            bool dir = p[1] == 'd';
            int w = dir ? snprintf(f->path + o, sizeof f->path - o, "%s", f->dir)
                        : snprintf(f->path + o, sizeof f->path - o, "%d", n);
            o += (size_t)w < sizeof f->path - o ? (size_t)w : sizeof f->path - o - 1;
            p += dir ? 4 : 2;
        } else
            f->path[o++] = *p;
    }
    f->path[o] = '\0';
}

/* A fresh, empty database of the backend given as prestate, at the URL of conformance_url. */
static int setup_store(void **state) {
    fx *f = fx_new(state);
    error err = {0};
    conformance_url(f);
    store_status st = f->ops->open(f->path, true, 2000, &f->s, &err);
    if (st != ST_OK) {
        print_error("open %s: %s: %s\n", f->path, store_status_name(st), err.msg);
        remove_tree(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* Only a temporary directory (tests that make their own files). */
static int setup_dir(void **state) {
    *state = fx_new(state);
    return 0;
}

static int teardown(void **state) {
    fx *f = *state;
    if (f->s) f->ops->close(f->s);
    /* a database not under the temporary directory (a server backend's, from TRIAGE_TEST_STORE_URL) outlives
     * the directory: dropped, so that the next run starts from none */
    if (f->path[0] && !strstr(f->path, f->dir)) {
        error err = {0};
        (void)f->ops->drop(f->path, &err);
    }
    remove_tree(f->dir);
    free(f);
    return 0;
}

/* ---- helpers ---- */

#define OK(f, call)                                                                                           \
    do {                                                                                                      \
        store_status st_ = (call);                                                                            \
        if (st_ != ST_OK)                                                                                     \
            fail_msg("%s -> %s: %s", #call, store_status_name(st_), (f)->ops->errmsg((f)->s));                \
    } while (0)

#define EXPECT(f, want, call)                                                                                 \
    do {                                                                                                      \
        store_status st_ = (call);                                                                            \
        if (st_ != (want))                                                                                    \
            fail_msg("%s -> %s, expected %s: %s", #call, store_status_name(st_), store_status_name(want),     \
                     (f)->ops->errmsg((f)->s));                                                               \
    } while (0)

static void fill(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed * 131u + i * 7u + (i % 3 == 0 ? 0 : 1));
    if (n) p[0] = 0; /* a NUL inside every blob */
}

static blob mkb(size_t n, unsigned seed) {
    blob b = {NULL, n};
    if (n) {
        b.p = malloc(n);
        assert_non_null(b.p);
        fill(b.p, n, seed);
    }
    return b;
}

static void assert_blob_eq(const blob *a, const blob *b) {
    assert_int_equal(a->n, b->n);
    if (a->n) assert_memory_equal(a->p, b->p, a->n);
    else assert_null(b->p);
}

static staff_rec mk_staff(const char *id, const char *name, staff_role role, unsigned seed) {
    staff_rec r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.name, sizeof r.name, "%s", name);
    r.role = role;
    fill(r.keys.public_key, sizeof r.keys.public_key, seed);
    fill(r.keys.wrapped_secret, sizeof r.keys.wrapped_secret, seed + 1);
    fill(r.keys.kdf.salt, sizeof r.keys.kdf.salt, seed + 2);
    fill(r.keys.sealed_data_key, sizeof r.keys.sealed_data_key, seed + 3);
    r.keys.kdf.alg = 2;
    r.keys.kdf.opslimit = 3 + seed;
    r.keys.kdf.memlimit = 268435456u + seed;
    r.locked = seed & 1;
    r.failed_logins = (int)(seed % 5);
    r.last_failed_at = 1700000000 + seed;
    r.created_at = 1690000000 + seed;
    return r;
}

static void assert_staff_eq(const staff_rec *a, const staff_rec *b) {
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->role, b->role);
    assert_memory_equal(a->keys.public_key, b->keys.public_key, sizeof a->keys.public_key);
    assert_memory_equal(a->keys.wrapped_secret, b->keys.wrapped_secret, sizeof a->keys.wrapped_secret);
    assert_int_equal(a->keys.kdf.alg, b->keys.kdf.alg);
    assert_true(a->keys.kdf.opslimit == b->keys.kdf.opslimit);
    assert_true(a->keys.kdf.memlimit == b->keys.kdf.memlimit);
    assert_memory_equal(a->keys.kdf.salt, b->keys.kdf.salt, sizeof a->keys.kdf.salt);
    assert_memory_equal(a->keys.sealed_data_key, b->keys.sealed_data_key, sizeof a->keys.sealed_data_key);
    assert_int_equal(a->locked, b->locked);
    assert_int_equal(a->failed_logins, b->failed_logins);
    assert_true(a->last_failed_at == b->last_failed_at);
    assert_true(a->created_at == b->created_at);
}

static client_rec mk_client(const char *id, const char *by, size_t name_n, size_t phone_n, size_t birth_n,
                            unsigned seed) {
    client_rec r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.created_by, sizeof r.created_by, "%s", by);
    r.created_at = 1700000100 + seed;
    r.name_ct = mkb(name_n, seed);
    r.phone_ct = mkb(phone_n, seed + 1);
    r.birth_ct = mkb(birth_n, seed + 2);
    return r;
}

static void assert_client_eq(const client_rec *a, const client_rec *b) {
    assert_string_equal(a->id, b->id);
    assert_true(a->created_at == b->created_at);
    assert_string_equal(a->created_by, b->created_by);
    assert_blob_eq(&a->name_ct, &b->name_ct);
    assert_blob_eq(&a->phone_ct, &b->phone_ct);
    assert_blob_eq(&a->birth_ct, &b->birth_ct);
}

static intake_rec mk_intake(const char *id, const char *client, const char *by, int64_t at, const char *level,
                            size_t body_n, size_t notes_n, unsigned seed) {
    intake_rec r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.client_id, sizeof r.client_id, "%s", client);
    snprintf(r.created_by, sizeof r.created_by, "%s", by);
    snprintf(r.level, sizeof r.level, "%s", level);
    r.created_at = at;
    r.body_ct = mkb(body_n, seed);
    r.notes_ct = mkb(notes_n, seed + 1);
    return r;
}

static void assert_intake_eq(const intake_rec *a, const intake_rec *b) {
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->client_id, b->client_id);
    assert_true(a->created_at == b->created_at);
    assert_string_equal(a->created_by, b->created_by);
    assert_string_equal(a->level, b->level);
    assert_string_equal(a->suggested, b->suggested);
    assert_string_equal(a->chosen, b->chosen);
    assert_blob_eq(&a->body_ct, &b->body_ct);
    assert_blob_eq(&a->notes_ct, &b->notes_ct);
}

static draft_rec mk_draft(const char *id, const char *staff, int64_t at, size_t n, unsigned seed) {
    draft_rec r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.staff_id, sizeof r.staff_id, "%s", staff);
    r.updated_at = at;
    r.body_ct = mkb(n, seed);
    return r;
}

static counselor_rec mk_counselor(const char *id, const char *code, unsigned seed) {
    counselor_rec r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.code, sizeof r.code, "%s", code);
    snprintf(r.name, sizeof r.name, "Counselor %u 李", seed);
    snprintf(r.gender, sizeof r.gender, "%s", seed & 1 ? "female" : "male");
    snprintf(r.languages, sizeof r.languages, "en zh");
    snprintf(r.orientations, sizeof r.orientations, "cbt act");
    r.high_risk = seed & 1;
    r.available = !(seed & 2);
    r.capacity = (int)(10 + seed);
    r.caseload = (int)seed;
    snprintf(r.weights, sizeof r.weights, "anxiety:%u depression:0.5", seed);
    r.updated_at = 1700000200 + seed;
    return r;
}

static void assert_counselor_eq(const counselor_rec *a, const counselor_rec *b) {
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->code, b->code);
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->gender, b->gender);
    assert_string_equal(a->languages, b->languages);
    assert_string_equal(a->orientations, b->orientations);
    assert_int_equal(a->high_risk, b->high_risk);
    assert_int_equal(a->available, b->available);
    assert_int_equal(a->capacity, b->capacity);
    assert_int_equal(a->caseload, b->caseload);
    assert_string_equal(a->weights, b->weights);
    assert_true(a->updated_at == b->updated_at);
}

static audit_rec mk_audit(const char *staff, const char *action, unsigned seed, bool with_mac) {
    audit_rec r;
    memset(&r, 0, sizeof r);
    r.at = 1700000300 + seed;
    snprintf(r.staff_id, sizeof r.staff_id, "%s", staff);
    snprintf(r.action, sizeof r.action, "%s", action);
    snprintf(r.object_id, sizeof r.object_id, "obj-%u", seed);
    snprintf(r.detail, sizeof r.detail, "detail %u", seed);
    fill(r.hash, sizeof r.hash, seed);
    if (with_mac) fill(r.mac, sizeof r.mac, seed + 50);
    r.has_mac = with_mac;
    return r;
}

static void assert_audit_eq(const audit_rec *a, const audit_rec *b) {
    assert_true(a->seq == b->seq);
    assert_true(a->at == b->at);
    assert_string_equal(a->staff_id, b->staff_id);
    assert_string_equal(a->action, b->action);
    assert_string_equal(a->object_id, b->object_id);
    assert_string_equal(a->detail, b->detail);
    assert_memory_equal(a->hash, b->hash, sizeof a->hash);
    assert_int_equal(a->has_mac, b->has_mac);
    if (a->has_mac) assert_memory_equal(a->mac, b->mac, sizeof a->mac);
}

static void add_staff(fx *f, const char *id, const char *name) {
    staff_rec r = mk_staff(id, name, ROLE_CLINICIAN, 7);
    OK(f, f->ops->staff_insert(f->s, &r));
}

static void add_client(fx *f, const char *id, size_t name_n, size_t phone_n, size_t birth_n, unsigned seed) {
    client_rec c = mk_client(id, STAFF1, name_n, phone_n, birth_n, seed);
    OK(f, f->ops->client_insert(f->s, &c));
    client_rec_free(&c);
}

/* ---- sealed-value collector ---- */

typedef struct {
    char table[16], column[16], row[STORE_ID_LEN];
    blob ct;
} sealed_seen;

typedef struct {
    sealed_seen *v;
    int n, cap;
    int stop_after; /* 0: never */
    /* re-seal while iterating: every value gets a 0xEE byte in front */
    const store_ops *ops;
    store *s;
    store_status reseal_st;
} sealed_ctx;

static int collect_sealed(void *ctx, const char *table, const char *column, const char *row_id,
                          const unsigned char *ct, size_t n) {
    sealed_ctx *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = realloc(c->v, (size_t)c->cap * sizeof *c->v);
        assert_non_null(c->v);
    }
    sealed_seen *e = &c->v[c->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->table, sizeof e->table, "%s", table);
    snprintf(e->column, sizeof e->column, "%s", column);
    snprintf(e->row, sizeof e->row, "%s", row_id);
    assert_true(n > 0);
    e->ct.p = malloc(n);
    assert_non_null(e->ct.p);
    memcpy(e->ct.p, ct, n);
    e->ct.n = n;
    if (c->ops) {
        unsigned char *re = malloc(n + 1);
        assert_non_null(re);
        re[0] = 0xEE;
        memcpy(re + 1, ct, n);
        store_status st = c->ops->update_sealed(c->s, table, column, row_id, re, n + 1);
        if (st != ST_OK && c->reseal_st == ST_OK) c->reseal_st = st;
        free(re);
    }
    return c->stop_after && c->n >= c->stop_after;
}

static void sealed_ctx_free(sealed_ctx *c) {
    for (int i = 0; i < c->n; i++) blob_free(&c->v[i].ct);
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* The value was visited exactly once, with these bytes (prefix: 0 or a 0xEE byte expected in front). */
static void expect_sealed(const sealed_ctx *c, const char *table, const char *column, const char *row, const blob *ct,
                          bool reseal_prefix) {
    int found = 0;
    for (int i = 0; i < c->n; i++) {
        const sealed_seen *e = &c->v[i];
        if (strcmp(e->table, table) || strcmp(e->column, column) || strcmp(e->row, row)) continue;
        found++;
        if (reseal_prefix) {
            assert_int_equal(e->ct.n, ct->n + 1);
            assert_int_equal(e->ct.p[0], 0xEE);
            assert_memory_equal(e->ct.p + 1, ct->p, ct->n);
        } else {
            assert_int_equal(e->ct.n, ct->n);
            assert_memory_equal(e->ct.p, ct->p, ct->n);
        }
    }
    if (found != 1) fail_msg("%s.%s of %s visited %d times", table, column, row, found);
}

/* ---- audit collector ---- */

typedef struct {
    audit_rec *v;
    int n, cap;
    int stop_after;
    const store_ops *ops; /* set: seal each entry from inside the callback */
    store *s;
    store_status mac_st;
} audit_ctx;

static int collect_audit(void *ctx, const audit_rec *rec) {
    audit_ctx *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = realloc(c->v, (size_t)c->cap * sizeof *c->v);
        assert_non_null(c->v);
    }
    c->v[c->n++] = *rec;
    if (c->ops) {
        unsigned char mac[VAULT_MAC_BYTES];
        fill(mac, sizeof mac, (unsigned)rec->seq + 900);
        store_status st = c->ops->audit_set_mac(c->s, rec->seq, mac);
        if (st != ST_OK && c->mac_st == ST_OK) c->mac_st = st;
    }
    return c->stop_after && c->n >= c->stop_after;
}

/* =====================================================================================================
 * Conformance
 * ===================================================================================================== */

static void c_meta(void **state) {
    fx *f = *state;
    blob b = {NULL, 0};
    assert_true(f->ops->schema_version(f->s) > 0); /* a database the backend made has a schema version */
    EXPECT(f, ST_NOTFOUND, f->ops->meta_get(f->s, "salt", &b));
    unsigned char v[40];
    fill(v, sizeof v, 3);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->meta_set(f->s, "salt", v, sizeof v));
    OK(f, f->ops->meta_set(f->s, "empty", NULL, 0));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->meta_get(f->s, "salt", &b));
    assert_int_equal(b.n, sizeof v);
    assert_memory_equal(b.p, v, sizeof v);
    blob_free(&b);
    OK(f, f->ops->meta_get(f->s, "empty", &b)); /* present, zero length: not "not found" */
    assert_int_equal(b.n, 0);
    assert_null(b.p);
    /* replace */
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->meta_set(f->s, "salt", v, 5));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->meta_get(f->s, "salt", &b));
    assert_int_equal(b.n, 5);
    assert_memory_equal(b.p, v, 5);
    blob_free(&b);
    /* a key starting with a prefix: the key itself, one longer, none (a neighbour on either side is no match) */
    bool any = true;
    OK(f, f->ops->meta_any(f->s, "erased:", &any));
    assert_false(any);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->meta_set(f->s, "erased9", "1", 1));
    OK(f, f->ops->meta_set(f->s, "erased;", "1", 1));
    OK(f, f->ops->meta_set(f->s, "erase", "1", 1));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->meta_any(f->s, "erased:", &any));
    assert_false(any);
    OK(f, f->ops->meta_any(f->s, "sal", &any));
    assert_true(any);
    OK(f, f->ops->meta_any(f->s, "salt", &any));
    assert_true(any);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->meta_set(f->s, "erased:c1", "1", 1));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->meta_any(f->s, "erased:", &any));
    assert_true(any);
}

static void c_staff_roundtrip(void **state) {
    fx *f = *state;
    staff_rec a = mk_staff(STAFF1, "zoe", ROLE_RECEPTION, 1);
    staff_rec b = mk_staff(STAFF2, "amy", ROLE_SUPERVISOR, 2);
    memset(&b.keys, 0, sizeof b.keys); /* all-zero key material round-trips at its exact length */
    b.keys.kdf.opslimit = (uint64_t)INT64_MAX;
    b.keys.kdf.memlimit = 4294967296u;
    b.last_failed_at = INT64_MIN;
    b.created_at = INT64_MAX;
    staff_rec c = mk_staff(STAFF3, "王小明", ROLE_CLINICIAN, 3);
    memset(c.name, 'n', sizeof c.name - 1); /* the longest name that fits */
    c.name[sizeof c.name - 1] = '\0';
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->staff_insert(f->s, &a));
    OK(f, f->ops->staff_insert(f->s, &b));
    OK(f, f->ops->staff_insert(f->s, &c));
    OK(f, f->ops->commit(f->s));

    staff_rec got;
    OK(f, f->ops->staff_by_name(f->s, "zoe", &got));
    assert_staff_eq(&a, &got);
    OK(f, f->ops->staff_by_id(f->s, STAFF2, &got));
    assert_staff_eq(&b, &got);
    OK(f, f->ops->staff_by_id(f->s, STAFF3, &got));
    assert_staff_eq(&c, &got);

    staff_rec *list = NULL;
    int n = -1;
    OK(f, f->ops->staff_list(f->s, &list, &n));
    assert_int_equal(n, 3);
    assert_staff_eq(&list[0], &b); /* by name: amy, nnn..., zoe */
    assert_staff_eq(&list[1], &c);
    assert_staff_eq(&list[2], &a);
    free(list);
}

static void c_staff_update(void **state) {
    fx *f = *state;
    staff_rec a = mk_staff(STAFF1, "amy", ROLE_RECEPTION, 1);
    staff_rec b = mk_staff(STAFF2, "bob", ROLE_CLINICIAN, 2);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->staff_insert(f->s, &a));
    OK(f, f->ops->staff_insert(f->s, &b));
    OK(f, f->ops->commit(f->s));

    staff_rec u = mk_staff(STAFF1, "amy.w", ROLE_SUPERVISOR, 10);
    u.locked = true;
    u.failed_logins = 4;
    u.created_at = 1; /* not updated */
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->staff_update(f->s, &u));
    OK(f, f->ops->commit(f->s));
    staff_rec got;
    OK(f, f->ops->staff_by_id(f->s, STAFF1, &got));
    u.created_at = a.created_at;
    assert_staff_eq(&u, &got);
    EXPECT(f, ST_NOTFOUND, f->ops->staff_by_name(f->s, "amy", &got));
    OK(f, f->ops->staff_by_name(f->s, "bob", &got)); /* the other row is untouched */
    assert_staff_eq(&b, &got);

    OK(f, f->ops->begin(f->s));
    staff_rec ghost = mk_staff(MISSING, "ghost", ROLE_RECEPTION, 5);
    EXPECT(f, ST_NOTFOUND, f->ops->staff_update(f->s, &ghost));
    u.created_at = 1;
    snprintf(u.name, sizeof u.name, "bob");
    EXPECT(f, ST_EXISTS, f->ops->staff_update(f->s, &u)); /* the name is taken */
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->staff_by_id(f->s, STAFF1, &got));
    assert_string_equal(got.name, "amy.w");
}

static void c_staff_unique(void **state) {
    fx *f = *state;
    staff_rec a = mk_staff(STAFF1, "amy", ROLE_RECEPTION, 1);
    staff_rec same_name = mk_staff(STAFF2, "amy", ROLE_CLINICIAN, 2);
    staff_rec same_id = mk_staff(STAFF1, "other", ROLE_CLINICIAN, 3);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->staff_insert(f->s, &a));
    EXPECT(f, ST_EXISTS, f->ops->staff_insert(f->s, &same_name));
    EXPECT(f, ST_EXISTS, f->ops->staff_insert(f->s, &same_id));
    /* the transaction is still usable */
    staff_rec c = mk_staff(STAFF3, "cat", ROLE_CLINICIAN, 4);
    OK(f, f->ops->staff_insert(f->s, &c));
    OK(f, f->ops->commit(f->s));
    staff_rec *list = NULL;
    int n = 0;
    OK(f, f->ops->staff_list(f->s, &list, &n));
    assert_int_equal(n, 2);
    assert_staff_eq(&list[0], &a);
    assert_staff_eq(&list[1], &c);
    free(list);
}

static void c_counselors(void **state) {
    fx *f = *state;
    counselor_rec a = mk_counselor(COUNS1, "c02", 1), b = mk_counselor(COUNS2, "c01", 2);
    memset(b.weights, 'w', sizeof b.weights - 1);
    b.weights[sizeof b.weights - 1] = '\0';
    counselor_rec *list = NULL;
    int n = -1;
    OK(f, f->ops->counselor_list(f->s, &list, &n));
    assert_int_equal(n, 0);
    assert_null(list);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->counselor_upsert(f->s, &a));
    OK(f, f->ops->counselor_upsert(f->s, &b));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->counselor_list(f->s, &list, &n));
    assert_int_equal(n, 2);
    assert_counselor_eq(&list[0], &b); /* by code */
    assert_counselor_eq(&list[1], &a);
    free(list);

    /* upsert by code: the row of c02 changes, its id stays */
    counselor_rec a2 = mk_counselor(COUNS3, "c02", 6);
    a2.available = false;
    a2.caseload = 9;
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->counselor_upsert(f->s, &a2));
    counselor_rec neg = mk_counselor(COUNS3, "c03", 1);
    neg.capacity = -1;
    EXPECT(f, ST_INVALID, f->ops->counselor_upsert(f->s, &neg));
    neg.capacity = 1;
    neg.caseload = -2;
    EXPECT(f, ST_INVALID, f->ops->counselor_upsert(f->s, &neg));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->counselor_list(f->s, &list, &n));
    assert_int_equal(n, 2);
    snprintf(a2.id, sizeof a2.id, "%s", COUNS1);
    assert_counselor_eq(&list[1], &a2);
    assert_counselor_eq(&list[0], &b);
    free(list);
}

static void c_client_roundtrip(void **state) {
    fx *f = *state;
    client_rec a = mk_client(CLIENT1, STAFF1, 57, 41, 43, 1);
    client_rec b = mk_client(CLIENT2, STAFF1, 1, 0, 0, 2);        /* no phone, no birth */
    client_rec c = mk_client(CLIENT3, STAFF1, 300000, 0, 45, 3); /* a large value */
    int64_t count = -1;
    OK(f, f->ops->client_count(f->s, &count));
    assert_true(count == 0);
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    OK(f, f->ops->client_insert(f->s, &a));
    OK(f, f->ops->client_insert(f->s, &b));
    OK(f, f->ops->client_insert(f->s, &c));
    EXPECT(f, ST_EXISTS, f->ops->client_insert(f->s, &a));
    OK(f, f->ops->commit(f->s));
    client_rec got;
    OK(f, f->ops->client_get(f->s, CLIENT1, &got));
    assert_client_eq(&a, &got);
    client_rec_free(&got);
    OK(f, f->ops->client_get(f->s, CLIENT2, &got));
    assert_client_eq(&b, &got);
    client_rec_free(&got);
    OK(f, f->ops->client_get(f->s, CLIENT3, &got));
    assert_client_eq(&c, &got);
    client_rec_free(&got);
    OK(f, f->ops->client_count(f->s, &count));
    assert_true(count == 3);
    client_rec_free(&a);
    client_rec_free(&b);
    client_rec_free(&c);
}

static void c_client_update(void **state) {
    fx *f = *state;
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_staff(f, STAFF2, "bob");
    add_client(f, CLIENT1, 50, 40, 30, 1);
    add_client(f, CLIENT2, 50, 0, 0, 2);
    OK(f, f->ops->commit(f->s));

    client_rec u = mk_client(CLIENT1, STAFF2, 60, 0, 33, 20); /* drops the phone */
    u.created_at = 5;                                         /* provenance is not updated */
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_update(f->s, &u));
    client_rec ghost = mk_client(MISSING, STAFF1, 5, 0, 0, 3);
    EXPECT(f, ST_NOTFOUND, f->ops->client_update(f->s, &ghost));
    client_rec_free(&ghost);
    OK(f, f->ops->commit(f->s));
    client_rec got, orig = mk_client(CLIENT1, STAFF1, 50, 40, 30, 1), other = mk_client(CLIENT2, STAFF1, 50, 0, 0, 2);
    OK(f, f->ops->client_get(f->s, CLIENT1, &got));
    assert_true(got.created_at == orig.created_at);
    assert_string_equal(got.created_by, STAFF1);
    assert_blob_eq(&u.name_ct, &got.name_ct);
    assert_int_equal(got.phone_ct.n, 0);
    assert_blob_eq(&u.birth_ct, &got.birth_ct);
    client_rec_free(&got);
    OK(f, f->ops->client_get(f->s, CLIENT2, &got));
    assert_client_eq(&other, &got);
    client_rec_free(&got);
    client_rec_free(&u);
    client_rec_free(&orig);
    client_rec_free(&other);
}

/* A record naming a row that is not there is refused with ST_NOTFOUND and nothing is written. */
static void c_references(void **state) {
    fx *f = *state;
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    client_rec c = mk_client(CLIENT1, MISSING, 10, 0, 0, 1);
    EXPECT(f, ST_NOTFOUND, f->ops->client_insert(f->s, &c));
    client_rec_free(&c);
    add_client(f, CLIENT1, 10, 0, 0, 1);
    intake_rec i = mk_intake(INTAKE1, MISSING, STAFF1, 5, "red", 10, 0, 1);
    EXPECT(f, ST_NOTFOUND, f->ops->intake_insert(f->s, &i));
    intake_rec_free(&i);
    i = mk_intake(INTAKE1, CLIENT1, MISSING, 5, "red", 10, 0, 1);
    EXPECT(f, ST_NOTFOUND, f->ops->intake_insert(f->s, &i));
    intake_rec_free(&i);
    draft_rec d = mk_draft(DRAFT1, MISSING, 5, 10, 1);
    EXPECT(f, ST_NOTFOUND, f->ops->draft_put(f->s, &d));
    draft_rec_free(&d);
    EXPECT(f, ST_NOTFOUND, f->ops->bidx_add(f->s, 42, MISSING));
    OK(f, f->ops->commit(f->s));
    int64_t n = 0;
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 1);
    intake_rec got;
    EXPECT(f, ST_NOTFOUND, f->ops->intake_get(f->s, INTAKE1, &got));
    draft_rec dg;
    EXPECT(f, ST_NOTFOUND, f->ops->draft_for_staff(f->s, MISSING, &dg));
    char(*ids)[STORE_ID_LEN] = NULL;
    int k = -1;
    OK(f, f->ops->bidx_find(f->s, 42, &ids, &k));
    assert_int_equal(k, 0);
    assert_null(ids);
}

static bool has_id(char (*ids)[STORE_ID_LEN], int n, const char *id) {
    for (int i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return true;
    return false;
}

static void c_blind_index(void **state) {
    fx *f = *state;
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 0, 0, 1);
    add_client(f, CLIENT2, 10, 0, 0, 2);
    add_client(f, CLIENT3, 10, 0, 0, 3);
    OK(f, f->ops->bidx_add(f->s, 7, CLIENT3));
    OK(f, f->ops->bidx_add(f->s, 7, CLIENT1));
    OK(f, f->ops->bidx_add(f->s, 7, CLIENT1)); /* the same pair twice: still one match */
    OK(f, f->ops->bidx_add(f->s, 9, CLIENT2));
    OK(f, f->ops->bidx_add(f->s, 0, CLIENT2));
    OK(f, f->ops->bidx_add(f->s, UINT32_MAX, CLIENT2));
    OK(f, f->ops->commit(f->s));

    char(*ids)[STORE_ID_LEN] = NULL;
    int n = 0;
    OK(f, f->ops->bidx_find(f->s, 7, &ids, &n));
    assert_int_equal(n, 2);
    assert_true(has_id(ids, n, CLIENT1) && has_id(ids, n, CLIENT3));
    free(ids);
    OK(f, f->ops->bidx_find(f->s, 9, &ids, &n));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], CLIENT2);
    free(ids);
    OK(f, f->ops->bidx_find(f->s, UINT32_MAX, &ids, &n));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], CLIENT2);
    free(ids);
    OK(f, f->ops->bidx_find(f->s, 0, &ids, &n));
    assert_int_equal(n, 1);
    free(ids);
    OK(f, f->ops->bidx_find(f->s, 12345, &ids, &n));
    assert_int_equal(n, 0);
    assert_null(ids);

    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->bidx_clear(f->s, CLIENT1));
    OK(f, f->ops->bidx_clear(f->s, CLIENT1)); /* nothing left to clear: fine */
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->bidx_find(f->s, 7, &ids, &n));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], CLIENT3);
    free(ids);
}

static void c_intakes(void **state) {
    fx *f = *state;
    intake_rec i1 = mk_intake(INTAKE1, CLIENT1, STAFF1, 300, "red", 120, 0, 1);
    intake_rec i2 = mk_intake(INTAKE2, CLIENT1, STAFF1, 100, "green", 80, 33, 2);
    snprintf(i2.suggested, sizeof i2.suggested, "%s", COUNS1);
    snprintf(i2.chosen, sizeof i2.chosen, "%s", COUNS2);
    intake_rec i3 = mk_intake(INTAKE3, CLIENT1, STAFF1, 200, "orange", 1, 1, 3);
    intake_rec i4 = mk_intake(INTAKE4, CLIENT2, STAFF1, 150, "yellow", 10, 0, 4);
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 0, 0, 1);
    add_client(f, CLIENT2, 10, 0, 0, 2);
    add_client(f, CLIENT3, 10, 0, 0, 3);
    OK(f, f->ops->intake_insert(f->s, &i1));
    OK(f, f->ops->intake_insert(f->s, &i2));
    OK(f, f->ops->intake_insert(f->s, &i3));
    OK(f, f->ops->intake_insert(f->s, &i4));
    EXPECT(f, ST_EXISTS, f->ops->intake_insert(f->s, &i1));
    intake_rec bad = mk_intake(INTAKE1, CLIENT1, STAFF1, 5, "purple", 10, 0, 9);
    snprintf(bad.id, sizeof bad.id, "1a000000-0000-4000-8000-0000000000ff");
    EXPECT(f, ST_INVALID, f->ops->intake_insert(f->s, &bad));
    intake_rec_free(&bad);
    OK(f, f->ops->commit(f->s));

    intake_rec got;
    OK(f, f->ops->intake_get(f->s, INTAKE1, &got));
    assert_intake_eq(&i1, &got);
    intake_rec_free(&got);
    OK(f, f->ops->intake_get(f->s, INTAKE2, &got));
    assert_intake_eq(&i2, &got);
    intake_rec_free(&got);

    intake_rec *list = NULL;
    int n = 0;
    OK(f, f->ops->intake_list_for_client(f->s, CLIENT1, &list, &n));
    assert_int_equal(n, 3); /* oldest first */
    assert_intake_eq(&list[0], &i2);
    assert_intake_eq(&list[1], &i3);
    assert_intake_eq(&list[2], &i1);
    for (int k = 0; k < n; k++) intake_rec_free(&list[k]);
    free(list);
    OK(f, f->ops->intake_list_for_client(f->s, CLIENT3, &list, &n));
    assert_int_equal(n, 0);
    assert_null(list);
    intake_rec_free(&i1);
    intake_rec_free(&i2);
    intake_rec_free(&i3);
    intake_rec_free(&i4);
}

static void c_drafts(void **state) {
    fx *f = *state;
    draft_rec d1 = mk_draft(DRAFT1, STAFF1, 100, 50, 1), d2 = mk_draft(DRAFT2, STAFF1, 200, 60, 2);
    draft_rec got;
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_staff(f, STAFF2, "bob");
    OK(f, f->ops->draft_put(f->s, &d1));
    OK(f, f->ops->draft_put(f->s, &d2));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->draft_for_staff(f->s, STAFF1, &got));
    assert_string_equal(got.id, DRAFT2);
    assert_string_equal(got.staff_id, STAFF1);
    assert_true(got.updated_at == 200);
    assert_blob_eq(&d2.body_ct, &got.body_ct);
    draft_rec_free(&got);
    EXPECT(f, ST_NOTFOUND, f->ops->draft_for_staff(f->s, STAFF2, &got));

    /* put again replaces by id */
    draft_rec d1b = mk_draft(DRAFT1, STAFF1, 300, 70, 3);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->draft_put(f->s, &d1b));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->draft_for_staff(f->s, STAFF1, &got));
    assert_string_equal(got.id, DRAFT1);
    assert_true(got.updated_at == 300);
    assert_blob_eq(&d1b.body_ct, &got.body_ct);
    draft_rec_free(&got);

    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->draft_delete(f->s, DRAFT1));
    EXPECT(f, ST_NOTFOUND, f->ops->draft_delete(f->s, DRAFT1));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->draft_for_staff(f->s, STAFF1, &got));
    assert_string_equal(got.id, DRAFT2);
    draft_rec_free(&got);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->draft_delete(f->s, DRAFT2));
    OK(f, f->ops->commit(f->s));
    EXPECT(f, ST_NOTFOUND, f->ops->draft_for_staff(f->s, STAFF1, &got));
    draft_rec_free(&d1);
    draft_rec_free(&d2);
    draft_rec_free(&d1b);
}

/* The first, or the newest, entry of an action naming an object (the intake_create entry of an intake; a queue
 * item's last step), with the entry before it (its hash and signature, which the chain covers): the reader takes an
 * intake's author from it and checks it alone (records.c intake_open). Other objects and actions are not it; an
 * object never named is ST_NOTFOUND; a missing object, action or result is refused. */
static void c_audit_by_object(void **state) {
    fx *f = *state;
    audit_rec got;
    audit_link prev;
    unsigned char zeros[VAULT_SIG_BYTES] = {0};
    EXPECT(f, ST_NOTFOUND, f->ops->audit_by_object(f->s, "obj-1", "intake_create", false, &got, &prev));
    audit_rec e[4] = {mk_audit(STAFF1, "intake_open", 1, false), mk_audit(STAFF1, "intake_create", 2, false),
                      mk_audit(STAFF2, "intake_create", 3, false), mk_audit(STAFF2, "intake_create", 4, false)};
    snprintf(e[0].object_id, sizeof e[0].object_id, "intake-a");
    snprintf(e[1].object_id, sizeof e[1].object_id, "intake-a");
    snprintf(e[2].object_id, sizeof e[2].object_id, "intake-a"); /* a second one, later: the newest, not the first */
    snprintf(e[3].object_id, sizeof e[3].object_id, "intake-b");
    fill(e[0].sig, sizeof e[0].sig, 90); /* the first signed, the second not */
    e[0].has_sig = true;
    OK(f, f->ops->begin(f->s));
    for (int i = 0; i < 4; i++) OK(f, f->ops->audit_append(f->s, &e[i]));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->audit_by_object(f->s, "intake-a", "intake_create", false, &got, &prev));
    assert_audit_eq(&e[1], &got);
    assert_memory_equal(prev.hash, e[0].hash, sizeof prev.hash);
    assert_true(prev.has_sig);
    assert_memory_equal(prev.sig, e[0].sig, sizeof prev.sig);
    OK(f, f->ops->audit_by_object(f->s, "intake-a", "intake_create", true, &got, &prev));
    assert_audit_eq(&e[2], &got);
    assert_memory_equal(prev.hash, e[1].hash, sizeof prev.hash);
    assert_false(prev.has_sig); /* written without one */
    assert_memory_equal(prev.sig, zeros, sizeof prev.sig);
    OK(f, f->ops->audit_by_object(f->s, "intake-b", "intake_create", true, &got, &prev));
    assert_audit_eq(&e[3], &got);
    OK(f, f->ops->audit_by_object(f->s, "intake-a", "intake_open", false, &got, &prev));
    assert_audit_eq(&e[0], &got);
    assert_memory_equal(prev.hash, zeros, sizeof prev.hash); /* the first entry: nothing before it */
    assert_false(prev.has_sig);
    EXPECT(f, ST_NOTFOUND, f->ops->audit_by_object(f->s, "intake-c", "intake_create", false, &got, &prev));
    EXPECT(f, ST_NOTFOUND, f->ops->audit_by_object(f->s, "intake-b", "intake_open", true, &got, &prev));
    EXPECT(f, ST_INVALID, f->ops->audit_by_object(f->s, "", "intake_create", false, &got, &prev));
    EXPECT(f, ST_INVALID, f->ops->audit_by_object(f->s, "intake-a", "", false, &got, &prev));
    EXPECT(f, ST_INVALID, f->ops->audit_by_object(f->s, "intake-a", "intake_create", false, &got, NULL));
}

/* The newest SIGNED entry a staff member wrote (a desk checks its writer's own before signing again), with the link
 * from the entry before it: not a newer unsigned one naming them (a failed login), not another member's; none is
 * ST_NOTFOUND; a missing or invalid staff id or result is refused. */
static void c_audit_last_signed_by(void **state) {
    fx *f = *state;
    audit_rec got;
    audit_link prev;
    EXPECT(f, ST_NOTFOUND, f->ops->audit_last_signed_by(f->s, STAFF1, &got, &prev));
    audit_rec e[5] = {mk_audit(STAFF1, "login", 1, false), mk_audit(STAFF1, "client_create", 2, false),
                      mk_audit(STAFF2, "login", 3, false), mk_audit(STAFF1, "login_failed", 4, false),
                      mk_audit(STAFF2, "logout", 5, false)};
    for (int i = 0; i < 5; i++) {
        e[i].has_sig = i != 3;
        if (e[i].has_sig) fill(e[i].sig, sizeof e[i].sig, 60 + (unsigned)i);
    }
    OK(f, f->ops->begin(f->s));
    for (int i = 0; i < 5; i++) OK(f, f->ops->audit_append(f->s, &e[i]));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->audit_last_signed_by(f->s, STAFF1, &got, &prev));
    assert_audit_eq(&e[1], &got);
    assert_true(got.has_sig);
    assert_memory_equal(got.sig, e[1].sig, sizeof got.sig);
    assert_memory_equal(prev.hash, e[0].hash, sizeof prev.hash); /* the entry before it */
    assert_true(prev.has_sig);
    assert_memory_equal(prev.sig, e[0].sig, sizeof prev.sig);
    OK(f, f->ops->audit_last_signed_by(f->s, STAFF2, &got, &prev));
    assert_audit_eq(&e[4], &got);
    assert_memory_equal(prev.hash, e[3].hash, sizeof prev.hash);
    assert_false(prev.has_sig); /* the failed login before it */
    EXPECT(f, ST_NOTFOUND, f->ops->audit_last_signed_by(f->s, "staff-nobody", &got, &prev));
    EXPECT(f, ST_INVALID, f->ops->audit_last_signed_by(f->s, "", &got, &prev));
    EXPECT(f, ST_INVALID, f->ops->audit_last_signed_by(f->s, "bad id", &got, &prev));
    EXPECT(f, ST_INVALID, f->ops->audit_last_signed_by(f->s, STAFF1, NULL, &prev));
    EXPECT(f, ST_INVALID, f->ops->audit_last_signed_by(f->s, STAFF1, &got, NULL));
}

static void c_audit(void **state) {
    fx *f = *state;
    audit_rec last;
    EXPECT(f, ST_NOTFOUND, f->ops->audit_last(f->s, &last));
    audit_rec e[4] = {mk_audit("", "login_failed", 1, false), mk_audit(STAFF1, "login", 2, true),
                      mk_audit(STAFF1, "client_create", 3, false), mk_audit(STAFF1, "logout", 4, true)};
    OK(f, f->ops->begin(f->s));
    for (int i = 0; i < 3; i++) {
        e[i].seq = 99;
        OK(f, f->ops->audit_append(f->s, &e[i]));
        assert_true(e[i].seq == i + 1);
    }
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->audit_last(f->s, &last));
    assert_audit_eq(&e[2], &last);

    /* a rolled-back entry does not use up its number */
    OK(f, f->ops->begin(f->s));
    audit_rec tmp = mk_audit(STAFF1, "temp", 9, false);
    OK(f, f->ops->audit_append(f->s, &tmp));
    assert_true(tmp.seq == 4);
    f->ops->rollback(f->s);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->audit_append(f->s, &e[3]));
    assert_true(e[3].seq == 4);
    unsigned char mac[VAULT_MAC_BYTES];
    fill(mac, sizeof mac, 77);
    OK(f, f->ops->audit_set_mac(f->s, 1, mac));
    EXPECT(f, ST_NOTFOUND, f->ops->audit_set_mac(f->s, 99, mac));
    OK(f, f->ops->commit(f->s));
    memcpy(e[0].mac, mac, sizeof mac);
    e[0].has_mac = true;

    audit_ctx c = {0};
    OK(f, f->ops->audit_each(f->s, collect_audit, &c));
    assert_int_equal(c.n, 4);
    for (int i = 0; i < 4; i++) assert_audit_eq(&e[i], &c.v[i]);
    free(c.v);
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    OK(f, f->ops->audit_each(f->s, collect_audit, &c));
    assert_int_equal(c.n, 2);
    free(c.v);
}

/* Many entries (more than any page a backend reads at once), in order; and a callback that seals each entry
 * it is given, inside a transaction, as a session does for entries written before login. */
static void c_audit_many(void **state) {
    fx *f = *state;
    const int N = 600;
    OK(f, f->ops->begin(f->s));
    for (int i = 0; i < N; i++) {
        audit_rec r = mk_audit(i % 2 ? STAFF1 : "", "view", (unsigned)i, false);
        OK(f, f->ops->audit_append(f->s, &r));
        assert_true(r.seq == i + 1);
    }
    OK(f, f->ops->commit(f->s));
    audit_ctx c = {0};
    c.ops = f->ops;
    c.s = f->s;
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->audit_each(f->s, collect_audit, &c));
    OK(f, f->ops->commit(f->s));
    assert_int_equal(c.mac_st, ST_OK);
    assert_int_equal(c.n, N);
    for (int i = 0; i < N; i++) {
        assert_true(c.v[i].seq == i + 1);
        assert_false(c.v[i].has_mac);
    }
    free(c.v);
    memset(&c, 0, sizeof c);
    OK(f, f->ops->audit_each(f->s, collect_audit, &c));
    assert_int_equal(c.n, N);
    for (int i = 0; i < N; i++) {
        unsigned char mac[VAULT_MAC_BYTES];
        fill(mac, sizeof mac, (unsigned)c.v[i].seq + 900);
        assert_true(c.v[i].has_mac);
        assert_memory_equal(c.v[i].mac, mac, sizeof mac);
    }
    free(c.v);
}

typedef struct {
    client_rec c[2];
    intake_rec i[2];
    draft_rec d;
} sealed_set;

static void make_sealed_set(fx *f, sealed_set *x) {
    x->c[0] = mk_client(CLIENT1, STAFF1, 51, 31, 21, 1);
    x->c[1] = mk_client(CLIENT2, STAFF1, 52, 0, 0, 2);
    x->i[0] = mk_intake(INTAKE1, CLIENT1, STAFF1, 10, "red", 200, 40, 3);
    x->i[1] = mk_intake(INTAKE2, CLIENT2, STAFF1, 11, "green", 150, 0, 4);
    x->d = mk_draft(DRAFT1, STAFF1, 12, 90, 5);
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    OK(f, f->ops->client_insert(f->s, &x->c[0]));
    OK(f, f->ops->client_insert(f->s, &x->c[1]));
    OK(f, f->ops->intake_insert(f->s, &x->i[0]));
    OK(f, f->ops->intake_insert(f->s, &x->i[1]));
    OK(f, f->ops->draft_put(f->s, &x->d));
    OK(f, f->ops->commit(f->s));
}

static void free_sealed_set(sealed_set *x) {
    client_rec_free(&x->c[0]);
    client_rec_free(&x->c[1]);
    intake_rec_free(&x->i[0]);
    intake_rec_free(&x->i[1]);
    draft_rec_free(&x->d);
}

static void c_each_sealed(void **state) {
    fx *f = *state;
    sealed_set x;
    make_sealed_set(f, &x);
    sealed_ctx c = {0};
    OK(f, f->ops->each_sealed(f->s, collect_sealed, &c));
    assert_int_equal(c.n, 8); /* empty optional values are skipped */
    expect_sealed(&c, "clients", "name", CLIENT1, &x.c[0].name_ct, false);
    expect_sealed(&c, "clients", "phone", CLIENT1, &x.c[0].phone_ct, false);
    expect_sealed(&c, "clients", "birth", CLIENT1, &x.c[0].birth_ct, false);
    expect_sealed(&c, "clients", "name", CLIENT2, &x.c[1].name_ct, false);
    expect_sealed(&c, "intakes", "body", INTAKE1, &x.i[0].body_ct, false);
    expect_sealed(&c, "intakes", "notes", INTAKE1, &x.i[0].notes_ct, false);
    expect_sealed(&c, "intakes", "body", INTAKE2, &x.i[1].body_ct, false);
    expect_sealed(&c, "drafts", "body", DRAFT1, &x.d.body_ct, false);
    sealed_ctx_free(&c);
    c.stop_after = 3;
    OK(f, f->ops->each_sealed(f->s, collect_sealed, &c));
    assert_int_equal(c.n, 3);
    sealed_ctx_free(&c);
    free_sealed_set(&x);
}

/* A key rotation re-seals every value from inside each_sealed, in one transaction: every value is visited
 * exactly once (also across pages) and every value is replaced. */
static void c_each_sealed_reseal(void **state) {
    fx *f = *state;
    enum { N = 150 };
    blob names[N];
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    for (int i = 0; i < N; i++) {
        char id[STORE_ID_LEN];
        snprintf(id, sizeof id, "c2000000-0000-4000-8000-%012d", i);
        client_rec c = mk_client(id, STAFF1, 20 + (size_t)i, 0, 0, (unsigned)i);
        OK(f, f->ops->client_insert(f->s, &c));
        names[i] = c.name_ct;
        c.name_ct = (blob){NULL, 0};
        client_rec_free(&c);
    }
    OK(f, f->ops->commit(f->s));
    sealed_ctx c = {0};
    c.ops = f->ops;
    c.s = f->s;
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->each_sealed(f->s, collect_sealed, &c));
    OK(f, f->ops->commit(f->s));
    assert_int_equal(c.reseal_st, ST_OK);
    assert_int_equal(c.n, N);
    sealed_ctx_free(&c);
    OK(f, f->ops->each_sealed(f->s, collect_sealed, &c));
    assert_int_equal(c.n, N);
    for (int i = 0; i < N; i++) {
        char id[STORE_ID_LEN];
        snprintf(id, sizeof id, "c2000000-0000-4000-8000-%012d", i);
        expect_sealed(&c, "clients", "name", id, &names[i], true);
        blob_free(&names[i]);
    }
    sealed_ctx_free(&c);
}

static void c_update_sealed(void **state) {
    fx *f = *state;
    sealed_set x;
    make_sealed_set(f, &x);
    blob nv = mkb(77, 40);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->update_sealed(f->s, "clients", "phone", CLIENT1, nv.p, nv.n));
    EXPECT(f, ST_INVALID, f->ops->update_sealed(f->s, "clients", "name", CLIENT1, NULL, 0)); /* required */
    EXPECT(f, ST_INVALID, f->ops->update_sealed(f->s, "staff", "name", STAFF1, nv.p, nv.n));
    EXPECT(f, ST_INVALID, f->ops->update_sealed(f->s, "clients", "name_ct", CLIENT1, nv.p, nv.n));
    EXPECT(f, ST_INVALID, f->ops->update_sealed(f->s, "clients", "id", CLIENT1, nv.p, nv.n));
    EXPECT(f, ST_INVALID, f->ops->update_sealed(f->s, "clients; DROP TABLE clients", "name", CLIENT1, nv.p, nv.n));
    EXPECT(f, ST_INVALID, f->ops->update_sealed(f->s, "intakes", "level", INTAKE1, nv.p, nv.n));
    EXPECT(f, ST_NOTFOUND, f->ops->update_sealed(f->s, "drafts", "body", MISSING, nv.p, nv.n));
    OK(f, f->ops->commit(f->s));

    sealed_ctx c = {0};
    OK(f, f->ops->each_sealed(f->s, collect_sealed, &c));
    assert_int_equal(c.n, 8);
    expect_sealed(&c, "clients", "phone", CLIENT1, &nv, false); /* exactly this one changed */
    expect_sealed(&c, "clients", "name", CLIENT1, &x.c[0].name_ct, false);
    expect_sealed(&c, "clients", "birth", CLIENT1, &x.c[0].birth_ct, false);
    expect_sealed(&c, "clients", "name", CLIENT2, &x.c[1].name_ct, false);
    expect_sealed(&c, "intakes", "body", INTAKE1, &x.i[0].body_ct, false);
    expect_sealed(&c, "intakes", "notes", INTAKE1, &x.i[0].notes_ct, false);
    expect_sealed(&c, "intakes", "body", INTAKE2, &x.i[1].body_ct, false);
    expect_sealed(&c, "drafts", "body", DRAFT1, &x.d.body_ct, false);
    sealed_ctx_free(&c);

    /* each of the six columns, and emptying an optional one */
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->update_sealed(f->s, "clients", "name", CLIENT2, nv.p, nv.n));
    OK(f, f->ops->update_sealed(f->s, "clients", "birth", CLIENT2, nv.p, nv.n));
    OK(f, f->ops->update_sealed(f->s, "intakes", "body", INTAKE2, nv.p, nv.n));
    OK(f, f->ops->update_sealed(f->s, "intakes", "notes", INTAKE2, nv.p, nv.n));
    OK(f, f->ops->update_sealed(f->s, "drafts", "body", DRAFT1, nv.p, nv.n));
    OK(f, f->ops->update_sealed(f->s, "intakes", "notes", INTAKE1, NULL, 0));
    OK(f, f->ops->commit(f->s));
    client_rec cg;
    OK(f, f->ops->client_get(f->s, CLIENT2, &cg));
    assert_blob_eq(&nv, &cg.name_ct);
    assert_blob_eq(&nv, &cg.birth_ct);
    assert_int_equal(cg.phone_ct.n, 0);
    client_rec_free(&cg);
    intake_rec ig;
    OK(f, f->ops->intake_get(f->s, INTAKE2, &ig));
    assert_blob_eq(&nv, &ig.body_ct);
    assert_blob_eq(&nv, &ig.notes_ct);
    intake_rec_free(&ig);
    OK(f, f->ops->intake_get(f->s, INTAKE1, &ig));
    assert_int_equal(ig.notes_ct.n, 0);
    assert_blob_eq(&x.i[0].body_ct, &ig.body_ct);
    intake_rec_free(&ig);
    draft_rec dg;
    OK(f, f->ops->draft_for_staff(f->s, STAFF1, &dg));
    assert_blob_eq(&nv, &dg.body_ct);
    draft_rec_free(&dg);
    OK(f, f->ops->each_sealed(f->s, collect_sealed, &c));
    assert_int_equal(c.n, 9); /* INTAKE1 notes gone, CLIENT2 birth and INTAKE2 notes added */
    sealed_ctx_free(&c);
    blob_free(&nv);
    free_sealed_set(&x);
}

static void c_not_found(void **state) {
    fx *f = *state;
    staff_rec s;
    client_rec c;
    intake_rec i;
    draft_rec d;
    audit_rec a;
    blob b;
    EXPECT(f, ST_NOTFOUND, f->ops->staff_by_name(f->s, "nobody", &s));
    EXPECT(f, ST_NOTFOUND, f->ops->staff_by_id(f->s, MISSING, &s));
    EXPECT(f, ST_NOTFOUND, f->ops->client_get(f->s, MISSING, &c));
    assert_null(c.name_ct.p);
    EXPECT(f, ST_NOTFOUND, f->ops->intake_get(f->s, MISSING, &i));
    EXPECT(f, ST_NOTFOUND, f->ops->draft_for_staff(f->s, MISSING, &d));
    EXPECT(f, ST_NOTFOUND, f->ops->audit_last(f->s, &a));
    EXPECT(f, ST_NOTFOUND, f->ops->meta_get(f->s, "nothing", &b));
    assert_null(b.p);
    OK(f, f->ops->begin(f->s));
    client_rec gc = mk_client(MISSING, STAFF1, 3, 0, 0, 1);
    EXPECT(f, ST_NOTFOUND, f->ops->client_update(f->s, &gc));
    client_rec_free(&gc);
    staff_rec gs = mk_staff(MISSING, "x", ROLE_CLINICIAN, 1);
    EXPECT(f, ST_NOTFOUND, f->ops->staff_update(f->s, &gs));
    EXPECT(f, ST_NOTFOUND, f->ops->draft_delete(f->s, MISSING));
    unsigned char mac[VAULT_MAC_BYTES] = {0};
    EXPECT(f, ST_NOTFOUND, f->ops->audit_set_mac(f->s, 1, mac));
    unsigned char v[3] = {1, 2, 3};
    EXPECT(f, ST_NOTFOUND, f->ops->update_sealed(f->s, "clients", "name", MISSING, v, sizeof v));
    f->ops->rollback(f->s);
    const char *m = f->ops->errmsg(f->s);
    assert_non_null(m);
    assert_true(strlen(m) > 0);
}

/* Every write refuses to run outside a transaction, and writes nothing. */
static void c_outside_transaction(void **state) {
    fx *f = *state;
    sealed_set x;
    make_sealed_set(f, &x);
    audit_rec a0 = mk_audit(STAFF1, "login", 1, false);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->audit_append(f->s, &a0));
    OK(f, f->ops->bidx_add(f->s, 5, CLIENT1));
    OK(f, f->ops->commit(f->s));

    staff_rec s = mk_staff(STAFF2, "bob", ROLE_CLINICIAN, 1), su = mk_staff(STAFF1, "renamed", ROLE_SUPERVISOR, 9);
    counselor_rec co = mk_counselor(COUNS1, "c01", 1);
    client_rec c = mk_client(CLIENT3, STAFF1, 5, 0, 0, 1), cu = mk_client(CLIENT1, STAFF1, 9, 9, 9, 9);
    intake_rec i = mk_intake(INTAKE3, CLIENT1, STAFF1, 1, "red", 5, 0, 1);
    draft_rec d = mk_draft(DRAFT2, STAFF1, 1, 5, 1);
    audit_rec a = mk_audit(STAFF1, "view", 2, false);
    unsigned char mac[VAULT_MAC_BYTES] = {1}, v[4] = {9, 9, 9, 9};
    EXPECT(f, ST_INVALID, f->ops->meta_set(f->s, "k", v, sizeof v));
    EXPECT(f, ST_INVALID, f->ops->staff_insert(f->s, &s));
    EXPECT(f, ST_INVALID, f->ops->staff_update(f->s, &su));
    EXPECT(f, ST_INVALID, f->ops->counselor_upsert(f->s, &co));
    EXPECT(f, ST_INVALID, f->ops->client_insert(f->s, &c));
    EXPECT(f, ST_INVALID, f->ops->client_update(f->s, &cu));
    EXPECT(f, ST_INVALID, f->ops->bidx_add(f->s, 6, CLIENT1));
    EXPECT(f, ST_INVALID, f->ops->bidx_clear(f->s, CLIENT1));
    EXPECT(f, ST_INVALID, f->ops->intake_insert(f->s, &i));
    EXPECT(f, ST_INVALID, f->ops->draft_put(f->s, &d));
    EXPECT(f, ST_INVALID, f->ops->draft_delete(f->s, DRAFT1));
    EXPECT(f, ST_INVALID, f->ops->audit_append(f->s, &a));
    EXPECT(f, ST_INVALID, f->ops->audit_set_mac(f->s, 1, mac));
    EXPECT(f, ST_INVALID, f->ops->update_sealed(f->s, "clients", "name", CLIENT1, v, sizeof v));

    /* nothing was written */
    blob b;
    EXPECT(f, ST_NOTFOUND, f->ops->meta_get(f->s, "k", &b));
    staff_rec *sl = NULL;
    int n = 0;
    OK(f, f->ops->staff_list(f->s, &sl, &n));
    assert_int_equal(n, 1);
    assert_string_equal(sl[0].name, "amy");
    free(sl);
    counselor_rec *cl = NULL;
    OK(f, f->ops->counselor_list(f->s, &cl, &n));
    assert_int_equal(n, 0);
    int64_t count = 0;
    OK(f, f->ops->client_count(f->s, &count));
    assert_true(count == 2);
    client_rec cg;
    OK(f, f->ops->client_get(f->s, CLIENT1, &cg));
    assert_client_eq(&x.c[0], &cg);
    client_rec_free(&cg);
    char(*ids)[STORE_ID_LEN] = NULL;
    OK(f, f->ops->bidx_find(f->s, 5, &ids, &n));
    assert_int_equal(n, 1);
    free(ids);
    OK(f, f->ops->bidx_find(f->s, 6, &ids, &n));
    assert_int_equal(n, 0);
    intake_rec ig;
    EXPECT(f, ST_NOTFOUND, f->ops->intake_get(f->s, INTAKE3, &ig));
    draft_rec dg;
    OK(f, f->ops->draft_for_staff(f->s, STAFF1, &dg));
    assert_string_equal(dg.id, DRAFT1);
    draft_rec_free(&dg);
    audit_rec last;
    OK(f, f->ops->audit_last(f->s, &last));
    assert_true(last.seq == 1);
    assert_false(last.has_mac);
    client_rec_free(&c);
    client_rec_free(&cu);
    intake_rec_free(&i);
    draft_rec_free(&d);
    free_sealed_set(&x);
}

static void c_rollback(void **state) {
    fx *f = *state;
    f->ops->rollback(f->s); /* no transaction: harmless */
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 5, 5, 1);
    OK(f, f->ops->bidx_add(f->s, 3, CLIENT1));
    audit_rec a = mk_audit(STAFF1, "x", 1, false);
    OK(f, f->ops->audit_append(f->s, &a));
    unsigned char v[2] = {1, 2};
    OK(f, f->ops->meta_set(f->s, "k", v, 2));
    /* visible inside the transaction */
    int64_t n = 0;
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 1);
    f->ops->rollback(f->s);
    f->ops->rollback(f->s); /* twice: harmless */
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 0);
    staff_rec s;
    EXPECT(f, ST_NOTFOUND, f->ops->staff_by_id(f->s, STAFF1, &s));
    audit_rec last;
    EXPECT(f, ST_NOTFOUND, f->ops->audit_last(f->s, &last));
    blob b;
    EXPECT(f, ST_NOTFOUND, f->ops->meta_get(f->s, "k", &b));
    char(*ids)[STORE_ID_LEN] = NULL;
    int k = 0;
    OK(f, f->ops->bidx_find(f->s, 3, &ids, &k));
    assert_int_equal(k, 0);
    /* and writes are refused again until the next begin */
    EXPECT(f, ST_INVALID, f->ops->meta_set(f->s, "k", v, 2));
}

static void c_transaction_misuse(void **state) {
    fx *f = *state;
    EXPECT(f, ST_INVALID, f->ops->commit(f->s)); /* nothing open */
    OK(f, f->ops->begin(f->s));
    EXPECT(f, ST_INVALID, f->ops->begin(f->s)); /* no nesting */
    add_staff(f, STAFF1, "amy");                /* the open transaction is still usable */
    OK(f, f->ops->commit(f->s));
    EXPECT(f, ST_INVALID, f->ops->commit(f->s));
    staff_rec s;
    OK(f, f->ops->staff_by_id(f->s, STAFF1, &s));
    /* reads inside a transaction */
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->staff_by_name(f->s, "amy", &s));
    f->ops->rollback(f->s);
}

static int count_cb(void *ctx, const audit_rec *r) {
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static int count_sealed_cb(void *ctx, const char *t, const char *c, const char *r, const unsigned char *ct, size_t n) {
    (void)t, (void)c, (void)r, (void)ct, (void)n;
    ++*(int *)ctx;
    return 0;
}

/* Every operation with no store: refused, no crash. */
static void c_degenerate_no_store(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    staff_rec s = mk_staff(STAFF1, "amy", ROLE_CLINICIAN, 1), *sl = NULL;
    counselor_rec co = mk_counselor(COUNS1, "c01", 1), *cl = NULL;
    client_rec c = mk_client(CLIENT1, STAFF1, 3, 0, 0, 1);
    intake_rec i = mk_intake(INTAKE1, CLIENT1, STAFF1, 1, "red", 3, 0, 1), *il = NULL;
    draft_rec d = mk_draft(DRAFT1, STAFF1, 1, 3, 1);
    audit_rec a = mk_audit(STAFF1, "x", 1, false);
    blob b;
    int n = 0, cnt = 0;
    int64_t v = 0;
    char(*ids)[STORE_ID_LEN] = NULL;
    unsigned char mac[VAULT_MAC_BYTES] = {0}, ct[3] = {1, 2, 3};
    error msg = {0};
    assert_int_equal(o->begin(NULL), ST_INVALID);
    assert_int_equal(o->commit(NULL), ST_INVALID);
    o->rollback(NULL);
    o->close(NULL);
    assert_non_null(o->errmsg(NULL));
    assert_true(o->schema_version(NULL) < 0);
    assert_int_equal(o->meta_get(NULL, "k", &b), ST_INVALID);
    assert_int_equal(o->meta_set(NULL, "k", ct, 3), ST_INVALID);
    assert_int_equal(o->staff_insert(NULL, &s), ST_INVALID);
    assert_int_equal(o->staff_update(NULL, &s), ST_INVALID);
    assert_int_equal(o->staff_by_name(NULL, "amy", &s), ST_INVALID);
    assert_int_equal(o->staff_by_id(NULL, STAFF1, &s), ST_INVALID);
    assert_int_equal(o->staff_list(NULL, &sl, &n), ST_INVALID);
    assert_int_equal(o->counselor_upsert(NULL, &co), ST_INVALID);
    assert_int_equal(o->counselor_list(NULL, &cl, &n), ST_INVALID);
    assert_int_equal(o->client_insert(NULL, &c), ST_INVALID);
    assert_int_equal(o->client_update(NULL, &c), ST_INVALID);
    assert_int_equal(o->client_get(NULL, CLIENT1, &c), ST_INVALID);
    assert_int_equal(o->client_count(NULL, &v), ST_INVALID);
    assert_int_equal(o->bidx_add(NULL, 1, CLIENT1), ST_INVALID);
    assert_int_equal(o->bidx_clear(NULL, CLIENT1), ST_INVALID);
    assert_int_equal(o->bidx_find(NULL, 1, &ids, &n), ST_INVALID);
    assert_int_equal(o->intake_insert(NULL, &i), ST_INVALID);
    assert_int_equal(o->intake_get(NULL, INTAKE1, &i), ST_INVALID);
    assert_int_equal(o->intake_list_for_client(NULL, CLIENT1, &il, &n), ST_INVALID);
    assert_int_equal(o->draft_put(NULL, &d), ST_INVALID);
    assert_int_equal(o->draft_for_staff(NULL, STAFF1, &d), ST_INVALID);
    assert_int_equal(o->draft_delete(NULL, DRAFT1), ST_INVALID);
    assert_int_equal(o->audit_append(NULL, &a), ST_INVALID);
    assert_int_equal(o->audit_last(NULL, &a), ST_INVALID);
    assert_int_equal(o->audit_each(NULL, count_cb, &cnt), ST_INVALID);
    assert_int_equal(o->audit_set_mac(NULL, 1, mac), ST_INVALID);
    assert_int_equal(o->each_sealed(NULL, count_sealed_cb, &cnt), ST_INVALID);
    assert_int_equal(o->update_sealed(NULL, "clients", "name", CLIENT1, ct, 3), ST_INVALID);
    assert_int_equal(o->integrity_check(NULL, msg.msg, sizeof msg.msg), ST_INVALID);
    assert_int_equal(o->backup(NULL, "/tmp/x", &msg), ST_INVALID);
    assert_int_equal(o->change_counter(NULL, &v), ST_INVALID);
    assert_int_equal(cnt, 0);
    /* open */
    store *out = (store *)&cnt; /* not NULL: open must clear it when it refuses */
    assert_int_equal(o->open(NULL, true, 100, &out, &msg), ST_INVALID);
    assert_null(out);
    assert_int_equal(o->open("", true, 100, &out, &msg), ST_INVALID);
    assert_int_equal(o->open(f->path, true, 100, NULL, &msg), ST_INVALID);
    assert_int_equal(o->open(f->path, true, -1, &out, NULL), ST_INVALID);
    client_rec_free(&c);
    intake_rec_free(&i);
    draft_rec_free(&d);
}

/* Bad arguments with a good store: refused with ST_INVALID, nothing written. */
static void c_degenerate_args(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    store *s = f->s;
    staff_rec st = mk_staff(STAFF1, "amy", ROLE_CLINICIAN, 1);
    OK(f, o->begin(s));
    OK(f, o->staff_insert(s, &st));
    add_client(f, CLIENT1, 10, 0, 0, 1);
    OK(f, o->commit(s));

    int n = 7, cnt = 0;
    int64_t v = 0;
    blob b;
    char(*ids)[STORE_ID_LEN] = NULL;
    error msg = {0};
    unsigned char ct[3] = {1, 2, 3}, mac[VAULT_MAC_BYTES] = {0};
    staff_rec *sl = NULL;
    counselor_rec *cl = NULL;
    intake_rec *il = NULL;
    /* NULL results and callbacks */
    EXPECT(f, ST_INVALID, o->meta_get(s, "k", NULL));
    EXPECT(f, ST_INVALID, o->meta_get(s, NULL, &b));
    EXPECT(f, ST_INVALID, o->meta_get(s, "", &b));
    EXPECT(f, ST_INVALID, o->staff_by_name(s, "amy", NULL));
    EXPECT(f, ST_INVALID, o->staff_by_name(s, NULL, &st));
    EXPECT(f, ST_INVALID, o->staff_by_name(s, "", &st));
    EXPECT(f, ST_INVALID, o->staff_by_id(s, STAFF1, NULL));
    EXPECT(f, ST_INVALID, o->staff_by_id(s, "", &st));
    EXPECT(f, ST_INVALID, o->staff_by_id(s, NULL, &st));
    EXPECT(f, ST_INVALID, o->staff_list(s, NULL, &n));
    EXPECT(f, ST_INVALID, o->staff_list(s, &sl, NULL));
    EXPECT(f, ST_INVALID, o->counselor_list(s, &cl, NULL));
    EXPECT(f, ST_INVALID, o->client_get(s, "", NULL));
    client_rec cg;
    EXPECT(f, ST_INVALID, o->client_get(s, "", &cg));
    EXPECT(f, ST_INVALID, o->client_count(s, NULL));
    EXPECT(f, ST_INVALID, o->bidx_find(s, 1, NULL, &n));
    EXPECT(f, ST_INVALID, o->bidx_find(s, 1, &ids, NULL));
    intake_rec ig;
    EXPECT(f, ST_INVALID, o->intake_get(s, "", &ig));
    EXPECT(f, ST_INVALID, o->intake_list_for_client(s, "", &il, &n));
    EXPECT(f, ST_INVALID, o->intake_list_for_client(s, CLIENT1, NULL, &n));
    draft_rec dg;
    EXPECT(f, ST_INVALID, o->draft_for_staff(s, "", &dg));
    EXPECT(f, ST_INVALID, o->draft_for_staff(s, STAFF1, NULL));
    EXPECT(f, ST_INVALID, o->audit_last(s, NULL));
    EXPECT(f, ST_INVALID, o->audit_each(s, NULL, &cnt));
    EXPECT(f, ST_INVALID, o->each_sealed(s, NULL, &cnt));
    EXPECT(f, ST_INVALID, o->integrity_check(s, NULL, 0));
    EXPECT(f, ST_INVALID, o->change_counter(s, NULL));
    EXPECT(f, ST_INVALID, o->backup(s, NULL, &msg));
    EXPECT(f, ST_INVALID, o->backup(s, "", &msg));

    /* bad records and values, inside a transaction */
    OK(f, o->begin(s));
    EXPECT(f, ST_INVALID, o->meta_set(s, NULL, ct, 3));
    EXPECT(f, ST_INVALID, o->meta_set(s, "", ct, 3));
    EXPECT(f, ST_INVALID, o->meta_set(s, "k", NULL, 3));
    EXPECT(f, ST_INVALID, o->staff_insert(s, NULL));
    EXPECT(f, ST_INVALID, o->staff_update(s, NULL));
    staff_rec bad = mk_staff(STAFF2, "bob", ROLE_CLINICIAN, 2);
    bad.id[0] = '\0';
    EXPECT(f, ST_INVALID, o->staff_insert(s, &bad));
    bad = mk_staff(STAFF2, "", ROLE_CLINICIAN, 2);
    EXPECT(f, ST_INVALID, o->staff_insert(s, &bad));
    bad = mk_staff(STAFF2, "bob", ROLE_CLINICIAN, 2);
    memset(bad.name, 'x', sizeof bad.name); /* not terminated */
    EXPECT(f, ST_INVALID, o->staff_insert(s, &bad));
    bad = mk_staff(STAFF2, "bob", ROLE_CLINICIAN, 2);
    memset(bad.id, 'a', sizeof bad.id); /* not terminated */
    EXPECT(f, ST_INVALID, o->staff_insert(s, &bad));
    bad = mk_staff(STAFF2, "bob", (staff_role)7, 2);
    EXPECT(f, ST_INVALID, o->staff_insert(s, &bad));
    bad = mk_staff(STAFF2, "bob", ROLE_CLINICIAN, 2);
    bad.failed_logins = -1;
    EXPECT(f, ST_INVALID, o->staff_insert(s, &bad));
    EXPECT(f, ST_INVALID, o->counselor_upsert(s, NULL));
    counselor_rec co = mk_counselor(COUNS1, "", 1);
    EXPECT(f, ST_INVALID, o->counselor_upsert(s, &co));
    EXPECT(f, ST_INVALID, o->client_insert(s, NULL));
    EXPECT(f, ST_INVALID, o->client_update(s, NULL));
    client_rec c = mk_client(CLIENT2, STAFF1, 0, 0, 0, 1); /* no name */
    EXPECT(f, ST_INVALID, o->client_insert(s, &c));
    c.name_ct.n = 5; /* length without bytes */
    EXPECT(f, ST_INVALID, o->client_insert(s, &c));
    c = mk_client(CLIENT2, "", 4, 0, 0, 1);
    EXPECT(f, ST_INVALID, o->client_insert(s, &c));
    client_rec_free(&c);
    c = mk_client(CLIENT2, STAFF1, 4, 0, 0, 1);
    c.phone_ct.n = 3; /* length without bytes */
    EXPECT(f, ST_INVALID, o->client_insert(s, &c));
    c.phone_ct.n = 0;
    client_rec_free(&c);
    EXPECT(f, ST_INVALID, o->bidx_add(s, 1, ""));
    EXPECT(f, ST_INVALID, o->bidx_add(s, 1, NULL));
    EXPECT(f, ST_INVALID, o->bidx_clear(s, ""));
    EXPECT(f, ST_INVALID, o->intake_insert(s, NULL));
    intake_rec i = mk_intake(INTAKE1, CLIENT1, STAFF1, 1, "", 5, 0, 1);
    EXPECT(f, ST_INVALID, o->intake_insert(s, &i));
    intake_rec_free(&i);
    i = mk_intake(INTAKE1, CLIENT1, STAFF1, 1, "red", 0, 0, 1); /* no body */
    EXPECT(f, ST_INVALID, o->intake_insert(s, &i));
    intake_rec_free(&i);
    EXPECT(f, ST_INVALID, o->draft_put(s, NULL));
    draft_rec d = mk_draft(DRAFT1, STAFF1, 1, 0, 1); /* no body */
    EXPECT(f, ST_INVALID, o->draft_put(s, &d));
    d = mk_draft(DRAFT1, "", 1, 3, 1);
    EXPECT(f, ST_INVALID, o->draft_put(s, &d));
    draft_rec_free(&d);
    EXPECT(f, ST_INVALID, o->draft_delete(s, ""));
    EXPECT(f, ST_INVALID, o->draft_delete(s, NULL));
    EXPECT(f, ST_INVALID, o->audit_append(s, NULL));
    audit_rec a = mk_audit(STAFF1, "", 1, false); /* no action */
    EXPECT(f, ST_INVALID, o->audit_append(s, &a));
    a = mk_audit(STAFF1, "x", 1, false);
    memset(a.detail, 'd', sizeof a.detail);
    EXPECT(f, ST_INVALID, o->audit_append(s, &a));
    EXPECT(f, ST_INVALID, o->audit_set_mac(s, 0, mac));
    EXPECT(f, ST_INVALID, o->audit_set_mac(s, -1, mac));
    EXPECT(f, ST_INVALID, o->audit_set_mac(s, 1, NULL));
    EXPECT(f, ST_INVALID, o->update_sealed(s, NULL, "name", CLIENT1, ct, 3));
    EXPECT(f, ST_INVALID, o->update_sealed(s, "clients", NULL, CLIENT1, ct, 3));
    EXPECT(f, ST_INVALID, o->update_sealed(s, "clients", "name", "", ct, 3));
    EXPECT(f, ST_INVALID, o->update_sealed(s, "clients", "name", NULL, ct, 3));
    EXPECT(f, ST_INVALID, o->update_sealed(s, "clients", "name", CLIENT1, NULL, 3));
    EXPECT(f, ST_INVALID, o->update_sealed(s, "clients", "nom", CLIENT1, ct, 3));
    EXPECT(f, ST_INVALID, o->update_sealed(s, "Clients", "name", CLIENT1, ct, 3));
    OK(f, o->commit(s));

    /* nothing of that was written */
    OK(f, o->staff_list(s, &sl, &n));
    assert_int_equal(n, 1);
    free(sl);
    OK(f, o->client_count(s, &v));
    assert_true(v == 1);
    OK(f, o->client_get(s, CLIENT1, &cg));
    client_rec orig = mk_client(CLIENT1, STAFF1, 10, 0, 0, 1);
    assert_client_eq(&orig, &cg);
    client_rec_free(&orig);
    client_rec_free(&cg);
    audit_rec last;
    EXPECT(f, ST_NOTFOUND, o->audit_last(s, &last));
    OK(f, o->counselor_list(s, &cl, &n));
    assert_int_equal(n, 0);
    EXPECT(f, ST_NOTFOUND, o->meta_get(s, "k", &b));
}

static void c_integrity_ok(void **state) {
    fx *f = *state;
    sealed_set x;
    make_sealed_set(f, &x);
    char msg[256] = "x";
    OK(f, f->ops->integrity_check(f->s, msg, sizeof msg));
    assert_string_equal(msg, "ok");
    free_sealed_set(&x);
}

/* Two connections (two desks): each sees what the other committed; data_version tells the reader. */
static void c_second_connection(void **state) {
    fx *f = *state;
    store *b = NULL;
    error err = {0};
    assert_int_equal(f->ops->open(f->path, false, 2000, &b, &err), ST_OK);
    int64_t v1 = 0, v2 = 0, v3 = 0;
    assert_int_equal(f->ops->change_counter(b, &v1), ST_OK);
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 0, 0, 1);
    /* not visible before commit */
    int64_t n = -1;
    assert_int_equal(f->ops->client_count(b, &n), ST_OK);
    assert_true(n == 0);
    OK(f, f->ops->commit(f->s));
    assert_int_equal(f->ops->change_counter(b, &v2), ST_OK);
    assert_true(v2 != v1);
    assert_int_equal(f->ops->client_count(b, &n), ST_OK);
    assert_true(n == 1);
    client_rec c;
    assert_int_equal(f->ops->client_get(b, CLIENT1, &c), ST_OK);
    client_rec_free(&c);
    /* and the other way round */
    int64_t a1 = 0, a2 = 0;
    OK(f, f->ops->change_counter(f->s, &a1));
    assert_int_equal(f->ops->begin(b), ST_OK);
    staff_rec s = mk_staff(STAFF2, "bob", ROLE_SUPERVISOR, 4);
    assert_int_equal(f->ops->staff_insert(b, &s), ST_OK);
    assert_int_equal(f->ops->commit(b), ST_OK);
    OK(f, f->ops->change_counter(f->s, &a2));
    assert_true(a1 != a2);
    staff_rec got;
    OK(f, f->ops->staff_by_name(f->s, "bob", &got));
    assert_staff_eq(&s, &got);
    /* nothing new: no change */
    assert_int_equal(f->ops->change_counter(b, &v3), ST_OK);
    int64_t v4 = 0;
    assert_int_equal(f->ops->change_counter(b, &v4), ST_OK);
    assert_true(v3 == v4);
    f->ops->close(b);
}

/* A read transaction (what an export reads in): one snapshot from read_begin to read_end, so another
 * desk's commit meanwhile is not seen inside it and is seen after; that desk is not held up; inside it every
 * write, begin and commit is refused and changes nothing; it is refused inside a write transaction, and
 * read_end without one; rollback ends it too. */
static void c_read_transaction(void **state) {
    fx *f = *state;
    store *b = NULL;
    error err = {0};
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 0, 0, 1);
    OK(f, f->ops->commit(f->s));
    assert_int_equal(f->ops->open(f->path, false, 2000, &b, &err), ST_OK);
    EXPECT(f, ST_INVALID, f->ops->read_end(f->s)); /* none open */
    assert_false(f->ops->in_transaction(f->s));
    OK(f, f->ops->read_begin(f->s));
    assert_true(f->ops->in_transaction(f->s)); /* a read is a transaction: the facts walk opens none of its own */
    EXPECT(f, ST_INVALID, f->ops->read_begin(f->s)); /* no nesting */
    /* another desk writes and commits meanwhile, without waiting */
    assert_int_equal(f->ops->begin(b), ST_OK);
    client_rec c2 = mk_client(CLIENT2, STAFF1, 11, 0, 0, 1);
    assert_int_equal(f->ops->client_insert(b, &c2), ST_OK);
    assert_int_equal(f->ops->commit(b), ST_OK);
    int64_t n = -1;
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 1); /* the snapshot: not the other desk's commit */
    client_rec got;
    EXPECT(f, ST_NOTFOUND, f->ops->client_get(f->s, CLIENT2, &got));
    /* no write of any kind inside it */
    EXPECT(f, ST_INVALID, f->ops->begin(f->s));
    EXPECT(f, ST_INVALID, f->ops->commit(f->s));
    staff_rec s = mk_staff(STAFF2, "bob", ROLE_SUPERVISOR, 4);
    EXPECT(f, ST_INVALID, f->ops->staff_insert(f->s, &s));
    EXPECT(f, ST_INVALID, f->ops->meta_set(f->s, "k", "v", 1));
    OK(f, f->ops->read_end(f->s));
    EXPECT(f, ST_INVALID, f->ops->read_end(f->s));
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 2); /* after it: the commit is seen */
    staff_rec none;
    EXPECT(f, ST_NOTFOUND, f->ops->staff_by_name(f->s, "bob", &none)); /* the refused write left nothing */
    /* not inside a write transaction; a rollback ends a read */
    assert_false(f->ops->in_transaction(f->s));
    OK(f, f->ops->begin(f->s));
    assert_true(f->ops->in_transaction(f->s));
    EXPECT(f, ST_INVALID, f->ops->read_begin(f->s));
    f->ops->rollback(f->s);
    OK(f, f->ops->read_begin(f->s));
    f->ops->rollback(f->s);
    EXPECT(f, ST_INVALID, f->ops->read_end(f->s));
    OK(f, f->ops->begin(f->s)); /* and writes work again */
    OK(f, f->ops->staff_insert(f->s, &s));
    OK(f, f->ops->commit(f->s));
    assert_int_equal(f->ops->read_begin(NULL), ST_INVALID);
    assert_int_equal(f->ops->read_end(NULL), ST_INVALID);
    client_rec_free(&c2);
    f->ops->close(b);
}

/* A desk holding the write lock: another desk's begin gives up with ST_BUSY after its timeout; reads go on. */
static void c_busy(void **state) {
    fx *f = *state;
    store *b = NULL;
    error err = {0};
    assert_int_equal(f->ops->open(f->path, false, 50, &b, &err), ST_OK);
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    assert_int_equal(f->ops->begin(b), ST_BUSY);
    const char *where = NULL; /* the message names the database: the URL's location */
    assert_non_null(store_backend_for(f->path, &where, &err));
    assert_non_null(strstr(f->ops->errmsg(b), where));
    int64_t n = -1;
    assert_int_equal(f->ops->client_count(b, &n), ST_OK);
    staff_rec s = mk_staff(STAFF2, "bob", ROLE_SUPERVISOR, 4);
    assert_int_equal(f->ops->staff_insert(b, &s), ST_INVALID); /* its begin failed: no transaction */
    OK(f, f->ops->commit(f->s));
    assert_int_equal(f->ops->begin(b), ST_OK);
    assert_int_equal(f->ops->staff_insert(b, &s), ST_OK);
    assert_int_equal(f->ops->commit(b), ST_OK);
    f->ops->close(b);
    staff_rec *list = NULL;
    int k = 0;
    OK(f, f->ops->staff_list(f->s, &list, &k));
    assert_int_equal(k, 2);
    free(list);
}

/* =====================================================================================================
 * The SQLite backend
 * ===================================================================================================== */

static void raw_exec(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    assert_int_equal(rc, SQLITE_OK);
    char *e = NULL;
    rc = sqlite3_exec(db, sql, NULL, NULL, &e);
    if (rc != SQLITE_OK) fail_msg("%s: %s", sql, e ? e : sqlite3_errstr(rc));
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* rc of a statement expected to fail */
static int raw_exec_rc(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return rc;
}

static void raw_text(const char *path, const char *sql, char *buf, size_t size) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(buf, size, "%s", t ? (const char *)t : "");
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static bool exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

static bool side_file(const char *path, const char *suffix) {
    char p[256];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return exists(p);
}

static void assert_no_side_files(const char *path) {
    assert_false(side_file(path, "-wal"));
    assert_false(side_file(path, "-shm"));
    assert_false(side_file(path, "-journal"));
}

static void write_file(const char *path, const void *data, size_t n) {
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static void assert_file_is(const char *path, const char *bytes, size_t n) {
    size_t len = 0;
    char *now = read_all(path, &len);
    assert_int_equal(len, n);
    assert_memory_equal(now, bytes, n);
    free(now);
}

static store_status try_open(fx *f, bool create, error *err) {
    store *s = NULL;
    error_clear(err);
    store_status st = f->ops->open(f->path, create, 500, &s, err);
    if (st == ST_OK) {
        assert_non_null(s);
        f->ops->close(s);
    } else {
        assert_null(s);
        assert_true(strlen(err->msg) > 0);
    }
    return st;
}

/* A triage database with some rows in every table, closed. */
static void make_triage_db(fx *f, int clients) {
    store *s = NULL;
    error err = {0};
    assert_int_equal(f->ops->open(f->path, true, 2000, &s, &err), ST_OK);
    f->s = s;
    OK(f, f->ops->begin(s));
    add_staff(f, STAFF1, "amy");
    for (int i = 0; i < clients; i++) {
        char id[STORE_ID_LEN];
        snprintf(id, sizeof id, "c3000000-0000-4000-8000-%012d", i);
        client_rec c = mk_client(id, STAFF1, 900, 20, 0, (unsigned)i);
        OK(f, f->ops->client_insert(s, &c));
        OK(f, f->ops->bidx_add(s, (uint32_t)i % 7, id));
        client_rec_free(&c);
    }
    audit_rec a = mk_audit(STAFF1, "init", 1, true);
    OK(f, f->ops->audit_append(s, &a));
    OK(f, f->ops->commit(s));
    f->ops->close(s);
    f->s = NULL;
}

static void s_reopen_keeps_data(void **state) {
    fx *f = *state;
    make_triage_db(f, 5);
    error err = {0};
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    assert_int_equal(f->ops->schema_version(f->s), NEWEST);
    int64_t n = 0;
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 5);
    client_rec c, want = mk_client("c3000000-0000-4000-8000-000000000003", STAFF1, 900, 20, 0, 3);
    OK(f, f->ops->client_get(f->s, "c3000000-0000-4000-8000-000000000003", &c));
    assert_client_eq(&want, &c);
    client_rec_free(&c);
    client_rec_free(&want);
    audit_rec a, wa = mk_audit(STAFF1, "init", 1, true);
    wa.seq = 1;
    OK(f, f->ops->audit_last(f->s, &a));
    assert_audit_eq(&wa, &a);
    /* and the next entry continues the sequence */
    OK(f, f->ops->begin(f->s));
    audit_rec b = mk_audit(STAFF1, "again", 2, false);
    OK(f, f->ops->audit_append(f->s, &b));
    assert_true(b.seq == 2);
    OK(f, f->ops->commit(f->s));
}

static void s_missing_file(void **state) {
    fx *f = *state;
    error err = {0};
    assert_int_equal(try_open(f, false, &err), ST_NOTFOUND);
    assert_non_null(strstr(err.msg, f->path));
    assert_false(exists(f->path));
    assert_no_side_files(f->path);
}

/* A password in a database URL never reaches a message (store_url_redacted): the userinfo's and a
 * password=... parameter's are hidden; everything else - a plain path with ':' and '@' in it included - is kept
 * as given, so the message still names the database. */
static void t_url_redacted(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"postgresql://ann:s3cret@db.example:5432/triage", "postgresql://ann:***@db.example:5432/triage"},
        {"postgresql://ann:p@ss:w@db.example/triage", "postgresql://ann:***@db.example/triage"},
        {"postgresql://ann@db.example/triage", "postgresql://ann@db.example/triage"},
        {"postgresql://db.example/triage?user=ann&password=s3cret&sslmode=require",
         "postgresql://db.example/triage?user=ann&password=***&sslmode=require"},
        {"postgresql://db.example/triage?PASSWORD=s3cret", "postgresql://db.example/triage?PASSWORD=***"},
        {"host=db.example user=ann password=s3cret dbname=triage", "host=db.example user=ann password=*** dbname=triage"},
        {"sqlite:/srv/triage/centre.db", "sqlite:/srv/triage/centre.db"},
        {"sqlite:///srv/a:b@c/centre.db", "sqlite:///srv/a:b@c/centre.db"},
        {"/srv/a:b@c/centre.db", "/srv/a:b@c/centre.db"},
        {"/srv/my_password=x/centre.db", "/srv/my_password=x/centre.db"},
        /* issue 17: a password with '?' or '#' (the last '@' before the authority's first '/'), quoted
         * key/value pairs, a URL with no "//", and a location with its scheme removed */
        {"postgresql://ann:pa?ss@db.example/triage", "postgresql://ann:***@db.example/triage"},
        {"postgresql://ann:pa#ss@db.example/triage", "postgresql://ann:***@db.example/triage"},
        {"host=db user=ann password='S3cret PW' dbname=triage", "host=db user=ann password=*** dbname=triage"},
        {"host=db password = 'it\\'s S3cret' dbname=triage", "host=db password = *** dbname=triage"},
        {"host=db password=\"S3cret PW\"", "host=db password=***"},
        {"postgresql:ann:S3cretPW@dbhost/triage", "postgresql:***@dbhost/triage"},
        {"ann:S3cretPW@dbhost/triage", "ann:***@dbhost/triage"},
        {"", ""},
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        store_url_redacted(cases[i][0], out, sizeof out);
        assert_string_equal(out, cases[i][1]);
    }
    store_url_redacted("postgresql://ann:s3cret@db.example/triage", out, 16); /* truncated, still hidden */
    assert_null(strstr(out, "s3cret"));
    assert_int_equal(strlen(out), 15);
}

/* Which values name a database by URL is the store's to say (config.c keeps a URL as given and takes a path
 * from the configuration file's directory): a backend's scheme, with or without "//", or any scheme://. */
static void t_is_url(void **state) {
    (void)state;
    assert_true(store_is_url("sqlite:centre.db"));
    assert_true(store_is_url("sqlite:///srv/centre.db"));
    assert_true(store_is_url("postgresql://ann@db.example/triage"));
    assert_false(store_is_url("centre.db"));
    assert_false(store_is_url("/srv/centre.db"));
    assert_false(store_is_url("data/a://b.db")); /* '/' is no scheme character: a path */
    assert_false(store_is_url(NULL));
    assert_string_equal(store_status_name(ST_UNSAFE_LOCATION), "unsafe location"); /* the backend says why */
    /* issue 17: any scheme, "//" or not, names a backend: `postgresql:triage` was a SQLite file of that name */
    assert_true(store_is_url("postgresql:triage"));
    error err = {0};
    const char *where = NULL;
    assert_null(store_backend_for("postgresql:triage", &where, &err));
    assert_non_null(strstr(err.msg, "no backend for postgresql databases"));
    assert_non_null(strstr(err.msg, "sqlite:")); /* the schemes this build has */
    assert_non_null(strstr(err.msg, "./postgresql:triage")); /* and how to name such a file */
    error_clear(&err);
    assert_null(store_backend_for("postgresql:ann:S3cretPW@dbhost/triage", &where, &err));
    assert_null(strstr(err.msg, "S3cretPW"));
    assert_non_null(store_backend_for("sqlite:centre.db", &where, &err));
    assert_string_equal(where, "centre.db");
    assert_non_null(store_backend_for("./postgresql:triage", &where, &err));
    assert_string_equal(where, "./postgresql:triage");
    assert_non_null(store_backend_for("C:centre.db", &where, &err)); /* one letter: a drive, no scheme */
}

/* The wrapper above every backend names a database in its messages as store_url_redacted does, whatever the
 * backend writes: a missing database given with a password parameter is named without it. */
static void s_missing_file_password_hidden(void **state) {
    fx *f = *state;
    error err = {0};
    char url[640];
    snprintf(url, sizeof url, "sqlite:%s?password=s3cret", f->path);
    store *s = NULL;
    assert_int_equal(f->ops->open(url, false, 500, &s, &err), ST_NOTFOUND);
    assert_null(s);
    if (strstr(err.msg, "s3cret")) fail_msg("the password is in the message: %s", err.msg);
    assert_non_null(strstr(err.msg, "?password=***"));
}

/* Every backend call that takes an error* hands back a message redacted by store_checked (backend_said): the
 * SQLite backend names its file, here one whose name carries a URL's password=..., in the refusals below. */
static void no_secret(const char *call, store_status st, const error *err) {
    if (st == ST_OK) fail_msg("%s was expected to fail", call);
    if (!err->msg[0]) fail_msg("%s failed without a message", call);
    if (strstr(err->msg, "s3cret")) fail_msg("%s: the password is in the message: %s", call, err->msg);
}

static void s_backend_messages_password_hidden(void **state) {
    fx *f = *state;
    error err = {0};
    char url[700], file[600], dest[640], dir[640];
    snprintf(file, sizeof file, "%s?password=s3cret", f->path);
    snprintf(url, sizeof url, "sqlite:%s", file);
    store *s = NULL;
    assert_int_equal(f->ops->open(url, true, 500, &s, &err), ST_OK);
    /* the live database as a restore's source: the backend names it (twice) */
    error e1 = {0}, e2 = {0}, e3 = {0}, e4 = {0};
    no_secret("backup_source_check", f->ops->backup_source_check(s, file, &e1), &e1);
    no_secret("restore", f->ops->restore(s, file, NULL, &e2), &e2);
    snprintf(dest, sizeof dest, "%s/nowhere/b.db?password=s3cret", f->dir); /* no such directory */
    no_secret("backup", f->ops->backup(s, dest, &e3), &e3);
    snprintf(dir, sizeof dir, "sqlite:%s/d?password=s3cret", f->dir);
    assert_int_equal(mkdir(dir + 7, 0700), 0);
    no_secret("drop", f->ops->drop(dir, &e4), &e4);
    f->ops->close(s);
}

static void s_missing_directory(void **state) {
    fx *f = *state;
    char dir[128];
    error err = {0};
    snprintf(dir, sizeof dir, "%s/nowhere", f->dir);
    snprintf(f->path, sizeof f->path, "%s/triage.db", dir);
    assert_int_equal(try_open(f, true, &err), ST_IO);
    assert_non_null(strstr(err.msg, dir));
    assert_false(exists(dir));
}

static void s_new_file_mode(void **state) {
    fx *f = *state;
    error err = {0};
    mode_t old = umask(0);
    store_status st = f->ops->open(f->path, true, 1000, &f->s, &err);
    umask(old);
    assert_int_equal(st, ST_OK);
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    char wal[sizeof ((fx *)0)->path + 8];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    assert_int_equal(stat(wal, &sb), 0); /* SQLite gives -wal and -shm the database's mode */
    assert_int_equal(sb.st_mode & 07777, 0600);
}

static void s_text_file(void **state) {
    fx *f = *state;
    const char text[] = "name,phone\nAlice,555-0100\nthis is not a database at all, just a text file\n";
    write_file(f->path, text, sizeof text - 1);
    error err = {0};
    assert_int_equal(try_open(f, true, &err), ST_CORRUPT);
    assert_non_null(strstr(err.msg, f->path));
    assert_non_null(strstr(err.msg, "not a database"));
    assert_file_is(f->path, text, sizeof text - 1);
    assert_no_side_files(f->path);
    /* also short binary junk */
    const char junk[5] = {0, 1, 2, 3, 4};
    write_file(f->path, junk, sizeof junk);
    assert_int_equal(try_open(f, false, &err), ST_CORRUPT);
    assert_file_is(f->path, junk, sizeof junk);
    assert_no_side_files(f->path);
}

static void s_other_program(void **state) {
    fx *f = *state;
    error err = {0};
    static const char *const scripts[] = {
        "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('hello');",
        "PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);",
        "PRAGMA application_id = 305419896; CREATE TABLE t(x);",
        "PRAGMA user_version = 1; CREATE TABLE staff(id);", /* a version number alone does not make it ours */
    };
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
        (void)unlink(f->path);
        raw_exec(f->path, scripts[i]);
        assert_no_side_files(f->path);
        size_t n = 0;
        char *before = read_all(f->path, &n);
        assert_int_equal(try_open(f, true, &err), ST_NOT_TRIAGE);
        assert_non_null(strstr(err.msg, f->path));
        assert_non_null(strstr(err.msg, "is not a triage database"));
        assert_file_is(f->path, before, n);
        assert_no_side_files(f->path);
        free(before);
    }
}

static void s_too_new(void **state) {
    fx *f = *state;
    make_triage_db(f, 2);
    raw_exec(f->path, "PRAGMA user_version = 99");
    assert_no_side_files(f->path);
    size_t n = 0;
    char *before = read_all(f->path, &n);
    error err = {0};
    assert_int_equal(try_open(f, false, &err), ST_TOO_NEW);
    assert_non_null(strstr(err.msg, f->path));
    assert_non_null(strstr(err.msg, "99"));
    assert_non_null(strstr(err.msg, "up to 14"));
    assert_file_is(f->path, before, n);
    free(before);
}

static void overwrite_page(const char *path, long page, long from, long to) {
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, (page - 1) * 4096 + from, SEEK_SET), 0);
    for (long i = from; i < to; i++) assert_int_not_equal(fputc((int)((i * 37 + 11) & 0xff), fp), EOF);
    assert_int_equal(fclose(fp), 0);
}

static void s_damaged_first_page(void **state) {
    fx *f = *state;
    make_triage_db(f, 30);
    assert_int_equal(raw_int(f->path, "PRAGMA page_size"), 4096);
    overwrite_page(f->path, 1, 100, 4096); /* the header survives, the schema page does not */
    size_t n = 0;
    char *before = read_all(f->path, &n);
    error err = {0};
    assert_int_equal(try_open(f, false, &err), ST_CORRUPT);
    assert_non_null(strstr(err.msg, f->path));
    assert_file_is(f->path, before, n);
    free(before);
}

static void s_damaged_later_page(void **state) {
    fx *f = *state;
    make_triage_db(f, 30);
    int64_t root = raw_int(f->path, "SELECT rootpage FROM sqlite_schema WHERE name = 'clients'");
    int64_t pages = raw_int(f->path, "PRAGMA page_count");
    assert_true(root > 1 && root <= pages);
    assert_true(pages > 10);
    overwrite_page(f->path, (long)root, 0, 4096);
    size_t n = 0;
    char *before = read_all(f->path, &n);
    error err = {0};
    store_status st = f->ops->open(f->path, false, 500, &f->s, &err);
    if (st == ST_OK) {
        char msg[512];
        assert_int_equal(f->ops->integrity_check(f->s, msg, sizeof msg), ST_CORRUPT);
        assert_true(strlen(msg) > 0 && strcmp(msg, "ok") != 0);
        client_rec c;
        assert_int_equal(f->ops->client_get(f->s, "c3000000-0000-4000-8000-000000000001", &c), ST_CORRUPT);
        assert_non_null(strstr(f->ops->errmsg(f->s), f->path));
        f->ops->close(f->s);
        f->s = NULL;
    } else {
        assert_int_equal(st, ST_CORRUPT);
    }
    assert_file_is(f->path, before, n);
    free(before);
}

/* Earlier versions, each opened and upgraded to the newest. v0: an empty file; also the state a crash right
 * after claiming a new file leaves (application_id set, nothing else). Add a builder per new version. */
static void make_v0_empty(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(close(fd), 0);
}

static void make_v0_claimed(const char *path) { raw_exec(path, "PRAGMA application_id = 1414678855"); }

/* Version 1 as it shipped (tests/fixtures/store/schema_v1.sql), with one staff member in it. */
static void make_v1(const char *path) {
    size_t n = 0;
    char *sql = read_all("tests/fixtures/store/schema_v1.sql", &n);
    raw_exec(path, "PRAGMA application_id = 1414678855");
    raw_exec(path, sql);
    raw_exec(path, "INSERT INTO meta(key, value) VALUES ('kept', X'2a')");
    raw_exec(path, "PRAGMA user_version = 1");
    free(sql);
}

/* Version 2 as it shipped (schema_v1.sql then schema_v2.sql), with a client, an intake and a queue item. */
static void make_v2(const char *path) {
    make_v1(path);
    size_t n = 0;
    char *sql = read_all("tests/fixtures/store/schema_v2.sql", &n);
    raw_exec(path, sql);
    raw_exec(path, "INSERT INTO staff VALUES ('s1', 'amy0', 'supervisor', zeroblob(32), zeroblob(72), 2, 2, 67108864, "
                   "zeroblob(16), zeroblob(80), 0, 0, 0, 1)");
    raw_exec(path, "INSERT INTO clients VALUES ('c1', 1, 's1', X'01', NULL, NULL)");
    raw_exec(path, "INSERT INTO intakes VALUES ('i1', 'c1', 1, 's1', 'yellow', NULL, NULL, X'02', NULL)");
    raw_exec(path, "INSERT INTO queue_items VALUES ('q1', 'c1', 'i1', 'yellow', 'open', 'none', NULL, NULL, 1, 1, 100, "
                   "1, 0, 0, 0, 0, 0)");
    raw_exec(path, "PRAGMA user_version = 2");
    free(sql);
}

static void check_newest_schema(fx *f) {
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), NEWEST);
    assert_int_equal(raw_int(f->path, "PRAGMA application_id"), TRIG);
    char mode[16];
    raw_text(f->path, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    char names[1024];
    raw_text(f->path,
             "SELECT group_concat(type || ':' || name, ' ') FROM (SELECT type, name FROM sqlite_schema WHERE name NOT "
             "LIKE 'sqlite_%' ORDER BY type, name)",
             names, sizeof names);
    assert_string_equal(names, "index:audit_object index:blind_index_client index:drafts_staff index:intake_facts_client "
                               "index:intakes_client index:intakes_time index:outcome_sessions_facts index:outcome_sessions_time "
                               "index:queue_by_hand index:queue_client "
                               "index:queue_due index:queue_events_item index:queue_items_client index:queue_open "
                               "index:queue_urgency table:audit table:blind_index table:client_keys table:clients table:counselors "
                               "table:drafts table:intake_facts table:intakes table:meta table:outcome_sessions "
                               "table:queue_events table:queue_items table:staff trigger:audit_no_delete "
                               "trigger:audit_no_update");
    /* the report facts hold no personal column */
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM pragma_table_info('intake_facts') WHERE name IN ('name', "
                                      "'phone', 'birth', 'birth_date', 'age', 'body_ct', 'notes_ct')"),
                     0);
    /* no index on any clinical value */
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM pragma_index_list('intakes') AS il, "
                                      "pragma_index_info(il.name) AS ii WHERE ii.name = 'level'"),
                     0);
}

static void s_migrations(void **state) {
    fx *f = *state;
    void (*const builders[])(const char *) = {make_v0_empty, make_v0_claimed, make_v1, make_v2};
    for (size_t i = 0; i < sizeof builders / sizeof builders[0]; i++) {
        (void)unlink(f->path);
        builders[i](f->path);
        error err = {0};
        assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
        assert_int_equal(f->ops->schema_version(f->s), NEWEST);
        if (builders[i] == make_v1) { /* what version 1 held is still there */
            blob kept = {0};
            assert_int_equal(f->ops->meta_get(f->s, "kept", &kept), ST_OK);
            assert_int_equal(kept.n, 1);
            assert_int_equal(kept.p[0], 0x2a);
            blob_free(&kept);
        }
        if (builders[i] == make_v2) { /* what version 2 held is still there, and the new tables work */
            queue_rec q;
            assert_int_equal(f->ops->queue_get(f->s, "q1", &q), ST_OK);
            assert_string_equal(q.level, "yellow");
            facts_rec *fr = NULL;
            int nf = -1;
            assert_int_equal(f->ops->facts_for_client(f->s, "c1", &fr, &nf), ST_OK);
            assert_int_equal(nf, 0); /* intakes saved before version 3 have no report facts */
            free(fr);
        }
        OK(f, f->ops->begin(f->s));
        add_staff(f, STAFF1, "amy");
        OK(f, f->ops->commit(f->s));
        f->ops->close(f->s);
        f->s = NULL;
        check_newest_schema(f);
        /* schema 7 recorded where signing starts: after the last entry the upgraded trail held (all legacy) */
        assert_int_equal(raw_int(f->path, "SELECT CAST(CAST(value AS TEXT) AS INTEGER) FROM meta WHERE key = 'audit_signed_from'"),
                         raw_int(f->path, "SELECT coalesce(max(seq), 0) + 1 FROM audit"));
        /* opening again changes nothing */
        size_t n = 0;
        char *before = read_all(f->path, &n);
        assert_int_equal(try_open(f, false, &err), ST_OK);
        assert_file_is(f->path, before, n);
        free(before);
    }
}

/* Version 8 (issue 13): the blind-index values of version 7 carried their kind in clear above the hash; the
 * upgrade drops them and the recorded width (the first login rebuilds them with the key: test_blind.c). */
static void s_migration_v8_drops_the_kinded_index(void **state) {
    fx *f = *state;
    make_triage_db(f, 5);
    raw_exec(f->path, "UPDATE blind_index SET value = value | (3 << 16); "
                      "INSERT INTO meta(key, value) VALUES ('blind_index_width', x'00'); PRAGMA user_version = 7");
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM blind_index"), 5);
    error err = {0};
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    assert_int_equal(f->ops->schema_version(f->s), NEWEST);
    f->ops->close(f->s);
    f->s = NULL;
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM blind_index"), 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM meta WHERE key = 'blind_index_width'"), 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM clients"), 5); /* nothing else goes */
}

static void s_pragmas(void **state) {
    fx *f = *state;
    error err = {0};
    assert_int_equal(f->ops->open(f->path, true, 1000, &f->s, &err), ST_OK);
    /* a second connection on the same file while the store holds it open */
    char mode[16];
    raw_text(f->path, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(raw_int(f->path, "PRAGMA application_id"), TRIG);
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), NEWEST);
    /* a database created now signs its audit trail from entry 1: it has no legacy entries at all */
    assert_int_equal(raw_int(f->path, "SELECT CAST(CAST(value AS TEXT) AS INTEGER) FROM meta WHERE key = 'audit_signed_from'"), 1);
    /* foreign_keys is a setting of each connection, seen only through its effect (c_references) */
    OK(f, f->ops->begin(f->s));
    client_rec c = mk_client(CLIENT1, MISSING, 10, 0, 0, 1);
    EXPECT(f, ST_NOTFOUND, f->ops->client_insert(f->s, &c));
    client_rec_free(&c);
    f->ops->rollback(f->s);
}

/* SQLite's leftover is the log beside the file (-wal), which it applies to whatever file is at the path: the
 * words name it by the database's own path, so a worker knows which file to look for. */
static void s_leftovers_hint(void **state) {
    fx *f = *state;
    char words[1024], want[600];
    error err = {0};
    assert_int_equal(f->ops->open(f->path, true, 1000, &f->s, &err), ST_OK);
    OK(f, f->ops->leftovers_hint(f->s, words, sizeof words));
    snprintf(want, sizeof want, "%s-wal", f->path);
    if (!strstr(words, want)) fail_msg("the words do not name %s: %s", want, words);
}

static void s_backup(void **state) {
    fx *f = *state;
    make_triage_db(f, 40);
    error err = {0};
    char dest[200];
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    sealed_set x;
    x.c[0] = mk_client(CLIENT1, STAFF1, 51, 31, 21, 1);
    x.c[1] = mk_client(CLIENT2, STAFF1, 52, 0, 0, 2);
    x.i[0] = mk_intake(INTAKE1, CLIENT1, STAFF1, 10, "red", 200, 40, 3);
    x.i[1] = mk_intake(INTAKE2, CLIENT2, STAFF1, 11, "green", 150, 0, 4);
    x.d = mk_draft(DRAFT1, STAFF1, 12, 90, 5);
    counselor_rec co = mk_counselor(COUNS1, "c01", 1);
    unsigned char mv[9] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_insert(f->s, &x.c[0]));
    OK(f, f->ops->client_insert(f->s, &x.c[1]));
    OK(f, f->ops->intake_insert(f->s, &x.i[0]));
    OK(f, f->ops->intake_insert(f->s, &x.i[1]));
    OK(f, f->ops->draft_put(f->s, &x.d));
    OK(f, f->ops->counselor_upsert(f->s, &co));
    OK(f, f->ops->meta_set(f->s, "k", mv, sizeof mv));
    /* not inside a transaction */
    snprintf(dest, sizeof dest, "%s/copy.db", f->dir);
    EXPECT(f, ST_INVALID, f->ops->backup(f->s, dest, &err));
    assert_false(exists(dest));
    OK(f, f->ops->commit(f->s));

    mode_t old = umask(0);
    store_status st = f->ops->backup(f->s, dest, &err);
    umask(old);
    if (st != ST_OK) fail_msg("backup: %s", err.msg);
    struct stat sb;
    assert_int_equal(stat(dest, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_no_side_files(dest);

    /* an existing file is never overwritten */
    size_t n = 0;
    char *before = read_all(dest, &n);
    EXPECT(f, ST_EXISTS, f->ops->backup(f->s, dest, &err));
    assert_non_null(strstr(err.msg, dest));
    assert_file_is(dest, before, n);
    free(before);
    char nodir[200];
    snprintf(nodir, sizeof nodir, "%s/nowhere/copy.db", f->dir);
    EXPECT(f, ST_IO, f->ops->backup(f->s, nodir, &err));

    /* the copy is a complete triage database with the same rows */
    store *b = NULL;
    assert_int_equal(f->ops->open(dest, false, 1000, &b, &err), ST_OK);
    assert_int_equal(f->ops->schema_version(b), NEWEST);
    char msg[128];
    assert_int_equal(f->ops->integrity_check(b, msg, sizeof msg), ST_OK);
    sealed_ctx c1 = {0}, c2 = {0};
    OK(f, f->ops->each_sealed(f->s, collect_sealed, &c1));
    assert_int_equal(f->ops->each_sealed(b, collect_sealed, &c2), ST_OK);
    assert_int_equal(c1.n, c2.n);
    for (int i = 0; i < c1.n; i++) expect_sealed(&c2, c1.v[i].table, c1.v[i].column, c1.v[i].row, &c1.v[i].ct, false);
    sealed_ctx_free(&c1);
    sealed_ctx_free(&c2);
    staff_rec *l1 = NULL, *l2 = NULL;
    int n1 = 0, n2 = 0;
    OK(f, f->ops->staff_list(f->s, &l1, &n1));
    assert_int_equal(f->ops->staff_list(b, &l2, &n2), ST_OK);
    assert_int_equal(n1, n2);
    for (int i = 0; i < n1; i++) assert_staff_eq(&l1[i], &l2[i]);
    free(l1);
    free(l2);
    audit_ctx a1 = {0}, a2 = {0};
    OK(f, f->ops->audit_each(f->s, collect_audit, &a1));
    assert_int_equal(f->ops->audit_each(b, collect_audit, &a2), ST_OK);
    assert_int_equal(a1.n, a2.n);
    for (int i = 0; i < a1.n; i++) assert_audit_eq(&a1.v[i], &a2.v[i]);
    free(a1.v);
    free(a2.v);
    counselor_rec *cl = NULL;
    assert_int_equal(f->ops->counselor_list(b, &cl, &n1), ST_OK);
    assert_int_equal(n1, 1);
    assert_counselor_eq(&co, &cl[0]);
    free(cl);
    blob mb;
    assert_int_equal(f->ops->meta_get(b, "k", &mb), ST_OK);
    assert_int_equal(mb.n, sizeof mv);
    assert_memory_equal(mb.p, mv, sizeof mv);
    blob_free(&mb);
    intake_rec *il = NULL;
    assert_int_equal(f->ops->intake_list_for_client(b, CLIENT1, &il, &n1), ST_OK);
    assert_int_equal(n1, 1);
    assert_intake_eq(&x.i[0], &il[0]);
    intake_rec_free(&il[0]);
    free(il);
    char(*ids)[STORE_ID_LEN] = NULL;
    assert_int_equal(f->ops->bidx_find(b, 3, &ids, &n1), ST_OK);
    assert_int_equal(n1, 6); /* clients 3, 10, 17, 24, 31, 38 */
    free(ids);
    f->ops->close(b);
    free_sealed_set(&x);
}

/* Online: another process commits continually while this one takes backups; each copy is complete. */
/* restore (store.h): src's whole content replaces the database's; a second connection that stayed open reads
 * it at its next read and still writes (a restore is not a replaced file); a file that is not a triage
 * database, and a call inside a transaction, are refused and change nothing. */
static void s_restore(void **state) {
    fx *f = *state;
    make_triage_db(f, 3);
    error err = {0};
    char copy[200], junk[200];
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    store *other = NULL;
    assert_int_equal(f->ops->open(f->path, false, 1000, &other, &err), ST_OK);
    client_rec c1 = mk_client(CLIENT1, STAFF1, 51, 0, 0, 1), c2 = mk_client(CLIENT2, STAFF1, 52, 0, 0, 2);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_insert(f->s, &c1));
    OK(f, f->ops->commit(f->s));
    snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
    OK(f, f->ops->backup(f->s, copy, &err));
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_insert(f->s, &c2));
    OK(f, f->ops->commit(f->s));
    int64_t n = 0;
    OK(f, f->ops->client_count(other, &n));
    assert_true(n == 5);

    snprintf(junk, sizeof junk, "%s/junk.db", f->dir);
    write_file(junk, "not a database, only text\n", 26);
    assert_int_not_equal(f->ops->restore(f->s, junk, NULL, &err), ST_OK);
    assert_non_null(strstr(err.msg, junk));
    OK(f, f->ops->begin(f->s));
    EXPECT(f, ST_INVALID, f->ops->restore(f->s, copy, NULL, &err));
    f->ops->rollback(f->s);
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 5);

    OK(f, f->ops->restore(f->s, copy, NULL, &err));
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 4);
    OK(f, f->ops->client_count(other, &n));
    assert_true(n == 4);
    client_rec got;
    assert_int_equal(f->ops->client_get(other, CLIENT2, &got), ST_NOTFOUND);
    assert_int_equal(f->ops->begin(other), ST_OK);
    assert_int_equal(f->ops->client_insert(other, &c2), ST_OK);
    assert_int_equal(f->ops->commit(other), ST_OK);
    char msg[128];
    OK(f, f->ops->integrity_check(f->s, msg, sizeof msg));
    f->ops->close(other);
    client_rec_free(&c1);
    client_rec_free(&c2);
}

/* restore's steps run inside its one write transaction (issue 16: an erasure or an intake committed by
 * another desk between the restore's read of the live content and its copy was undone unseen): `before`
 * reads the live content under the write lock, so another connection cannot commit before the restore
 * does; `after` sees the restored content; a step that fails leaves everything as it was. */
typedef struct {
    fx *f;
    store *other;
    store_status other_begin;
    int64_t before_n, after_n;
    bool fail_after;
} steps_probe;

static bool probe_before(void *ctx, error *err) {
    steps_probe *p = ctx;
    (void)err;
    if (p->f->ops->client_count(p->f->s, &p->before_n) != ST_OK) return false;
    /* another desk's write now: it must wait for the restore (busy), never slip in and be overwritten */
    p->other_begin = p->f->ops->begin(p->other);
    if (p->other_begin == ST_OK) {
        client_rec c3 = mk_client(CLIENT3, STAFF1, 53, 0, 0, 3);
        (void)p->f->ops->client_insert(p->other, &c3);
        (void)p->f->ops->commit(p->other);
        client_rec_free(&c3);
    }
    return true;
}

static bool probe_after(void *ctx, error *err) {
    steps_probe *p = ctx;
    if (p->f->ops->client_count(p->f->s, &p->after_n) != ST_OK) return false;
    if (p->fail_after) error_set(err, ERR_INPUT, "the probe's after step refused");
    return !p->fail_after;
}

static void s_restore_steps_under_lock(void **state) {
    fx *f = *state;
    make_triage_db(f, 3);
    error err = {0};
    char copy[200];
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    store *other = NULL;
    assert_int_equal(f->ops->open(f->path, false, 50, &other, &err), ST_OK);
    snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
    OK(f, f->ops->backup(f->s, copy, &err)); /* 3 clients */
    client_rec c1 = mk_client(CLIENT1, STAFF1, 51, 0, 0, 1);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_insert(f->s, &c1));
    OK(f, f->ops->commit(f->s)); /* 4 live */

    /* a step that fails: nothing restored, the live content as it was */
    steps_probe p = {f, other, ST_OK, 0, 0, true};
    restore_steps steps = {probe_before, probe_after, &p, false, false, 0};
    assert_int_not_equal(f->ops->restore(f->s, copy, &steps, &err), ST_OK);
    assert_non_null(strstr(err.msg, "the probe's after step refused"));
    int64_t n = 0;
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 4);
    assert_int_equal(p.other_begin, ST_BUSY); /* the write lock was held from before the first step */
    assert_true(p.before_n == 4 && p.after_n == 3);

    p = (steps_probe){f, other, ST_OK, 0, 0, false};
    OK(f, f->ops->restore(f->s, copy, &steps, &err));
    assert_int_equal(p.other_begin, ST_BUSY);
    assert_true(p.before_n == 4 && p.after_n == 3);
    OK(f, f->ops->client_count(other, &n));
    assert_true(n == 3);
    client_rec got;
    assert_int_equal(f->ops->client_get(other, CLIENT3, &got), ST_NOTFOUND);
    f->ops->close(other);
    client_rec_free(&c1);
}

/* restore only reads the backup: a backup in a read-only directory (read-only media) is restored and nothing
 * is written beside it (no -wal, no -shm). */
static void s_restore_read_only_backup(void **state) {
    fx *f = *state;
    make_triage_db(f, 3);
    error err = {0};
    char dir[200], copy[260], side[280];
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    snprintf(dir, sizeof dir, "%s/media", f->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(copy, sizeof copy, "%s/backup.db", dir);
    OK(f, f->ops->backup(f->s, copy, &err));
    client_rec c1 = mk_client(CLIENT1, STAFF1, 51, 0, 0, 1);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_insert(f->s, &c1));
    OK(f, f->ops->commit(f->s));
    assert_int_equal(chmod(dir, 0500), 0);
    store_status st = f->ops->restore(f->s, copy, NULL, &err);
    assert_int_equal(chmod(dir, 0700), 0);
    if (st != ST_OK) fail_msg("restore from a read-only directory: %s", err.msg);
    int64_t n = 0;
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 3);
    struct stat sb;
    snprintf(side, sizeof side, "%s-wal", copy);
    assert_int_not_equal(stat(side, &sb), 0);
    snprintf(side, sizeof side, "%s-shm", copy);
    assert_int_not_equal(stat(side, &sb), 0);
    client_rec_free(&c1);
}

/* A copy put over the path (cp: same inode, or mv: another one) under an open connection whose WAL holds
 * frames of the old file: the next write is refused naming the file, and the file at the path is left as it
 * was put there (its integrity sound, its rows the copy's): the old WAL is never applied to it. */
static void replaced_under_connection(fx *f, bool same_inode) {
    make_triage_db(f, 3);
    error err = {0};
    char copy[200];
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
    OK(f, f->ops->backup(f->s, copy, &err));
    /* the file moves on from the copy (checkpointed), then the WAL gets frames on top of that */
    client_rec c1 = mk_client(CLIENT1, STAFF1, 51, 0, 0, 1), c2 = mk_client(CLIENT2, STAFF1, 52, 0, 0, 2);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_insert(f->s, &c1));
    OK(f, f->ops->commit(f->s));
    bool complete = false;
    OK(f, f->ops->purge_old_versions(f->s, &complete));
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_insert(f->s, &c2));
    OK(f, f->ops->commit(f->s));
    if (same_inode) {
        size_t n = 0;
        char *bytes = read_all(copy, &n);
        write_file(f->path, bytes, n); /* what cp does: the same file, truncated and written */
        free(bytes);
    } else {
        assert_int_equal(rename(copy, f->path), 0);
    }
    EXPECT(f, ST_IO, f->ops->begin(f->s));
    assert_non_null(strstr(f->ops->errmsg(f->s), f->path));
    assert_non_null(strstr(f->ops->errmsg(f->s), same_inode ? "overwritten" : "replaced"));
    f->ops->close(f->s);
    f->s = NULL;
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    char msg[256];
    OK(f, f->ops->integrity_check(f->s, msg, sizeof msg));
    int64_t n = 0;
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 3);
    client_rec_free(&c1);
    client_rec_free(&c2);
}

static void s_copied_over_path(void **state) { replaced_under_connection(*state, true); }
static void s_moved_over_path(void **state) { replaced_under_connection(*state, false); }

static void s_backup_while_writing(void **state) {
    fx *f = *state;
    make_triage_db(f, 60);
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t pid = fork(); /* before any connection is open in this process: SQLite must not cross a fork */
    assert_true(pid >= 0);
    if (pid == 0) {
        char c;
        close(go[1]);
        if (read(go[0], &c, 1) != 1) _exit(2);
        store *w = NULL;
        error err = {0};
        if (store_sqlite.open(f->path, false, 5000, &w, &err) != ST_OK) _exit(3);
        for (int i = 0; i < 300; i++) {
            audit_rec a = mk_audit(STAFF1, "write", (unsigned)i, false);
            if (store_sqlite.begin(w) != ST_OK) _exit(4);
            if (store_sqlite.audit_append(w, &a) != ST_OK) _exit(5);
            if (store_sqlite.meta_set(w, "tick", &i, sizeof i) != ST_OK) _exit(6);
            if (store_sqlite.commit(w) != ST_OK) _exit(7);
        }
        store_sqlite.close(w);
        _exit(0);
    }
    close(go[0]);
    error err = {0};
    assert_int_equal(f->ops->open(f->path, false, 5000, &f->s, &err), ST_OK);
    assert_int_equal(write(go[1], "g", 1), 1);
    close(go[1]);
    int64_t prev = 0;
    for (int k = 0; k < 6; k++) {
        char dest[200];
        snprintf(dest, sizeof dest, "%s/copy%d.db", f->dir, k);
        if (f->ops->backup(f->s, dest, &err) != ST_OK) fail_msg("backup %d: %s", k, err.msg);
        store *b = NULL;
        assert_int_equal(f->ops->open(dest, false, 1000, &b, &err), ST_OK);
        char msg[128];
        assert_int_equal(f->ops->integrity_check(b, msg, sizeof msg), ST_OK);
        int64_t n = 0;
        assert_int_equal(f->ops->client_count(b, &n), ST_OK);
        assert_true(n == 60);
        /* a consistent snapshot: as many audit entries after the first as ticks written */
        audit_rec last;
        assert_int_equal(f->ops->audit_last(b, &last), ST_OK);
        assert_true(last.seq >= prev);
        prev = last.seq;
        blob tick;
        store_status ts = f->ops->meta_get(b, "tick", &tick);
        if (last.seq == 1) {
            assert_int_equal(ts, ST_NOTFOUND);
        } else {
            assert_int_equal(ts, ST_OK);
            int t = -1;
            assert_int_equal(tick.n, sizeof t);
            memcpy(&t, tick.p, sizeof t);
            assert_true(t + 2 == last.seq);
            blob_free(&tick);
        }
        f->ops->close(b);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    audit_rec last;
    OK(f, f->ops->audit_last(f->s, &last));
    assert_true(last.seq == 301);
}

/* Several desks starting at once on a database that does not exist yet: one creates and upgrades it, the
 * others wait and use it; every desk's write is there. */
static void s_concurrent_create(void **state) {
    fx *f = *state;
    enum { DESKS = 6 };
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t pids[DESKS];
    for (int d = 0; d < DESKS; d++) {
        pids[d] = fork();
        assert_true(pids[d] >= 0);
        if (pids[d] == 0) {
            char c;
            error err = {0};
            close(go[1]);
            if (read(go[0], &c, 1) != 0) _exit(2); /* released all at once when the parent closes the pipe */
            store *s = NULL;
            store_status st = store_sqlite.open(f->path, true, 5000, &s, &err);
            if (st != ST_OK) {
                fprintf(stderr, "desk %d: %s: %s\n", d, store_status_name(st), err.msg);
                _exit(3);
            }
            if (store_sqlite.schema_version(s) != NEWEST) _exit(4);
            char id[STORE_ID_LEN], name[16];
            snprintf(id, sizeof id, "5a000000-0000-4000-8000-%012d", d);
            snprintf(name, sizeof name, "desk%d", d);
            staff_rec r = mk_staff(id, name, ROLE_RECEPTION, (unsigned)d);
            if (store_sqlite.begin(s) != ST_OK || store_sqlite.staff_insert(s, &r) != ST_OK ||
                store_sqlite.commit(s) != ST_OK)
                _exit(5);
            store_sqlite.close(s);
            _exit(0);
        }
    }
    close(go[0]);
    close(go[1]);
    for (int d = 0; d < DESKS; d++) {
        int status = 0;
        assert_int_equal(waitpid(pids[d], &status, 0), pids[d]);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) != 0) fail_msg("desk %d failed at step %d", d, WEXITSTATUS(status));
    }
    check_newest_schema(f);
    error err = {0};
    char msg[128];
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    OK(f, f->ops->integrity_check(f->s, msg, sizeof msg));
    staff_rec *list = NULL;
    int n = 0;
    OK(f, f->ops->staff_list(f->s, &list, &n));
    assert_int_equal(n, DESKS);
    free(list);
}

/* The checks of s_read_only, as plain C returning the first failing step (run as an unprivileged user in a
 * child when the tests run as root). 0: all good; 77: skip (this user can write anyway). */
static int read_only_checks(const char *rodir, const char *rwdir) {
    char db[200], ro_file[200], fresh[200];
    error err = {0};
    snprintf(db, sizeof db, "%s/triage.db", rodir);
    snprintf(ro_file, sizeof ro_file, "%s/triage.db", rwdir);
    snprintf(fresh, sizeof fresh, "%s/new.db", rodir);
    if (access(rodir, W_OK) == 0 || access(ro_file, W_OK) == 0) return 77;
    store *s = NULL;
    /* a database in a read-only directory */
    store_status st = store_sqlite.open(db, false, 200, &s, &err);
    if (st != ST_READONLY || s) return 1;
    if (!strstr(err.msg, db) && !strstr(err.msg, rodir)) return 2;
    /* a read-only file in a writable directory */
    st = store_sqlite.open(ro_file, false, 200, &s, &err);
    if (st != ST_READONLY || s) return 3;
    if (!strstr(err.msg, ro_file)) return 4;
    /* creating in a read-only directory */
    st = store_sqlite.open(fresh, true, 200, &s, &err);
    if (st != ST_READONLY || s) return 5;
    if (access(fresh, F_OK) == 0) return 6;
    return 0;
}

static void s_read_only(void **state) {
    fx *f = *state;
    char rodir[128], rwdir[128];
    snprintf(rodir, sizeof rodir, "%s/ro", f->dir);
    snprintf(rwdir, sizeof rwdir, "%s/rw", f->dir);
    assert_int_equal(mkdir(rodir, 0755), 0);
    assert_int_equal(mkdir(rwdir, 0755), 0);
    snprintf(f->path, sizeof f->path, "%s/triage.db", rodir);
    make_triage_db(f, 3);
    snprintf(f->path, sizeof f->path, "%s/triage.db", rwdir);
    make_triage_db(f, 3);
    char a[200], b[200];
    snprintf(a, sizeof a, "%s/triage.db", rodir);
    snprintf(b, sizeof b, "%s/triage.db", rwdir);
    assert_int_equal(chmod(a, 0644), 0);
    assert_int_equal(chmod(b, 0444), 0);
    assert_int_equal(chmod(rodir, 0555), 0);
    assert_int_equal(chmod(rwdir, 0777), 0);
    assert_int_equal(chmod(f->dir, 0755), 0);
    size_t na = 0, nb = 0;
    char *before_a = read_all(a, &na), *before_b = read_all(b, &nb);

    int rc;
    if (geteuid() != 0) {
        rc = read_only_checks(rodir, rwdir);
    } else {
        /* root writes anywhere: run the checks as nobody */
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(77);
            _exit(read_only_checks(rodir, rwdir));
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        rc = WEXITSTATUS(status);
    }
    (void)chmod(rodir, 0755);
    assert_file_is(a, before_a, na);
    assert_file_is(b, before_b, nb);
    free(before_a);
    free(before_b);
    if (rc == 77) skip();
    if (rc != 0) fail_msg("read-only check %d failed", rc);
}

/* The checks of s_disk_full, as plain C returning the first failing step, in a child that has its own small
 * tmpfs on dir. 0: all good. */
static int disk_full_checks(const char *dir) {
    char path[200];
    error err = {0};
    snprintf(path, sizeof path, "%s/triage.db", dir);
    store *s = NULL;
    if (store_sqlite.open(path, true, 200, &s, &err) != ST_OK) return 10;
    staff_rec st = mk_staff(STAFF1, "amy", ROLE_CLINICIAN, 1);
    if (store_sqlite.begin(s) != ST_OK || store_sqlite.staff_insert(s, &st) != ST_OK || store_sqlite.commit(s) != ST_OK)
        return 11;
    int rc = 0;
    client_rec big = mk_client(CLIENT1, STAFF1, 1 << 20, 0, 0, 1), small = mk_client(CLIENT2, STAFF1, 10, 0, 0, 2);
    if (store_sqlite.begin(s) != ST_OK) rc = 12;
    store_status x = rc ? ST_OK : store_sqlite.client_insert(s, &big);
    if (!rc && x == ST_OK) x = store_sqlite.commit(s);
    if (!rc && x != ST_FULL) rc = 13;
    if (!rc && !strstr(store_sqlite.errmsg(s), "the disk is full")) rc = 14;
    if (!rc && !strstr(store_sqlite.errmsg(s), path)) rc = 15;
    if (!rc && store_sqlite.meta_set(s, "k", "v", 1) != ST_INVALID) rc = 16; /* rolled back: no transaction */
    int64_t n = -1;
    if (!rc && (store_sqlite.client_count(s, &n) != ST_OK || n != 0)) rc = 17;
    /* the space is usable again */
    if (!rc && (store_sqlite.begin(s) != ST_OK || store_sqlite.client_insert(s, &small) != ST_OK ||
                store_sqlite.commit(s) != ST_OK))
        rc = 18;
    store_sqlite.close(s);
    s = NULL;
    char msg[256];
    if (!rc && store_sqlite.open(path, false, 200, &s, &err) != ST_OK) rc = 19;
    if (!rc && store_sqlite.integrity_check(s, msg, sizeof msg) != ST_OK) rc = 20;
    if (!rc && (store_sqlite.client_count(s, &n) != ST_OK || n != 1)) rc = 21;
    if (!rc && store_sqlite.staff_by_id(s, STAFF1, &st) != ST_OK) rc = 22;
    store_sqlite.close(s);
    client_rec_free(&big);
    client_rec_free(&small);
    return rc;
}

/* A full disk: ST_FULL, "the disk is full", the transaction rolled back, the database intact. Needs a small
 * filesystem: a tmpfs mounted in a private mount namespace of a child (root only; skipped otherwise). */
static void s_disk_full(void **state) {
    fx *f = *state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/small", f->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    pid_t pid = fork(); /* no connection is open in this process */
    assert_true(pid >= 0);
    if (pid == 0) {
        if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
            mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=512k,mode=0700") != 0)
            _exit(77);
        _exit(disk_full_checks(dir));
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    int rc = WEXITSTATUS(status);
    if (rc == 77) skip();
    if (rc != 0) fail_msg("disk-full check %d failed", rc);
}

static void s_network_filesystem(void **state) {
    fx *f = *state;
    static const unsigned long magics[] = {0x6969,     0x517B,     0xFF534D42, 0xFE534D42, 0x65735546,
                                           0x01021997, 0x00C36400, 0x5346414F, 0x73757245, 0x564C};
    error err = {0};
    char v[32];
    /* a new file is not even created */
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        snprintf(v, sizeof v, "0x%lx", magics[i]);
        assert_int_equal(setenv("TRIAGE_TEST_FSTYPE", v, 1), 0);
        store_status st = try_open(f, true, &err);
        if (st != ST_UNSAFE_LOCATION) fail_msg("type %s: %s (%s)", v, store_status_name(st), err.msg);
        assert_non_null(strstr(err.msg, f->path));
        assert_false(exists(f->path));
    }
    /* an existing database is left as it is */
    assert_int_equal(unsetenv("TRIAGE_TEST_FSTYPE"), 0);
    make_triage_db(f, 1);
    size_t n = 0;
    char *before = read_all(f->path, &n);
    assert_int_equal(setenv("TRIAGE_TEST_FSTYPE", "0x6969", 1), 0);
    assert_int_equal(try_open(f, false, &err), ST_UNSAFE_LOCATION);
    assert_file_is(f->path, before, n);
    assert_no_side_files(f->path);
    free(before);
    /* local types are accepted (ext4, tmpfs, xfs, btrfs) */
    static const char *const local[] = {"0xEF53", "0x01021994", "0x58465342", "0x9123683E"};
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++) {
        assert_int_equal(setenv("TRIAGE_TEST_FSTYPE", local[i], 1), 0);
        assert_int_equal(try_open(f, false, &err), ST_OK);
    }
    assert_int_equal(unsetenv("TRIAGE_TEST_FSTYPE"), 0);
    assert_int_equal(try_open(f, false, &err), ST_OK); /* the real one: this machine's /tmp */
}

/* Rows damaged behind the store's back (through another connection that ignores CHECK constraints) are
 * reported as ST_CORRUPT naming the table and the row, never returned. */
static int count_clear(void *ctx, const intake_clear *r) {
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static void s_damaged_rows(void **state) {
    fx *f = *state;
    make_triage_db(f, 2);
    error err = {0};
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    OK(f, f->ops->begin(f->s));
    counselor_rec co = mk_counselor(COUNS1, "c01", 1);
    OK(f, f->ops->counselor_upsert(f->s, &co));
    intake_rec i = mk_intake(INTAKE1, "c3000000-0000-4000-8000-000000000001", STAFF1, 1, "red", 10, 0, 1);
    OK(f, f->ops->intake_insert(f->s, &i));
    intake_rec_free(&i);
    OK(f, f->ops->commit(f->s));

    raw_exec(f->path, "PRAGMA ignore_check_constraints = ON;"
                      "UPDATE staff SET public_key = x'0011' WHERE id = '" STAFF1 "';"
                      "UPDATE counselors SET code = printf('%.70c', 'x');"
                      "UPDATE intakes SET level = 'purple';");
    staff_rec s;
    EXPECT(f, ST_CORRUPT, f->ops->staff_by_id(f->s, STAFF1, &s));
    const char *m = f->ops->errmsg(f->s);
    assert_non_null(strstr(m, "staff"));
    assert_non_null(strstr(m, STAFF1));
    assert_non_null(strstr(m, "public_key"));
    assert_non_null(strstr(m, f->path));
    EXPECT(f, ST_CORRUPT, f->ops->staff_by_name(f->s, "amy", &s));
    staff_rec *sl = NULL;
    int n = 0;
    EXPECT(f, ST_CORRUPT, f->ops->staff_list(f->s, &sl, &n));
    assert_null(sl);
    counselor_rec *cl = NULL;
    EXPECT(f, ST_CORRUPT, f->ops->counselor_list(f->s, &cl, &n));
    assert_non_null(strstr(f->ops->errmsg(f->s), COUNS1));
    intake_rec ig;
    EXPECT(f, ST_CORRUPT, f->ops->intake_get(f->s, INTAKE1, &ig));
    assert_null(ig.body_ct.p);
    assert_non_null(strstr(f->ops->errmsg(f->s), "level"));
    blob key;
    EXPECT(f, ST_CORRUPT, f->ops->intake_get_keyed(f->s, INTAKE1, &ig, &key));
    assert_null(ig.body_ct.p);
    assert_null(key.p);
    /* the clear columns alone (intake_clear_each) are checked as intake_get checks them */
    EXPECT(f, ST_CORRUPT, f->ops->intake_clear_each(f->s, INT64_MIN, INT64_MAX, count_clear, &n));
    assert_non_null(strstr(f->ops->errmsg(f->s), "level"));
}

/* The audit table is append-only in the schema too: only the MAC of an entry can be set later. */
static void s_audit_append_only(void **state) {
    fx *f = *state;
    make_triage_db(f, 1);
    assert_int_equal(raw_exec_rc(f->path, "DELETE FROM audit") & 0xff, SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec_rc(f->path, "UPDATE audit SET detail = 'edited'") & 0xff, SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec_rc(f->path, "UPDATE audit SET seq = 7") & 0xff, SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec_rc(f->path, "UPDATE audit SET mac = zeroblob(32)"), SQLITE_OK);
    assert_int_equal(raw_exec_rc(f->path, "UPDATE audit SET mac = zeroblob(31)") & 0xff, SQLITE_CONSTRAINT);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit"), 1);
}

/* An integrity problem in the references is reported too. */
static void s_integrity_references(void **state) {
    fx *f = *state;
    make_triage_db(f, 2);
    raw_exec(f->path, "PRAGMA foreign_keys = OFF; DELETE FROM staff;");
    error err = {0};
    char msg[256];
    assert_int_equal(f->ops->open(f->path, false, 1000, &f->s, &err), ST_OK);
    EXPECT(f, ST_CORRUPT, f->ops->integrity_check(f->s, msg, sizeof msg));
    assert_non_null(strstr(msg, "clients"));
}

static void t_names(void **state) {
    (void)state;
    for (int s = ST_OK; s <= ST_INVALID; s++) {
        const char *n = store_status_name((store_status)s);
        assert_non_null(n);
        assert_true(strlen(n) > 0);
        for (int t = ST_OK; t < s; t++) assert_string_not_equal(n, store_status_name((store_status)t));
    }
    assert_non_null(store_status_name((store_status)99));
    for (int r = ROLE_RECEPTION; r <= ROLE_SUPERVISOR; r++) {
        staff_role back = ROLE_RECEPTION;
        assert_true(staff_role_parse(staff_role_name((staff_role)r), &back));
        assert_int_equal(back, r);
    }
    assert_string_equal(staff_role_name(ROLE_CLINICIAN), "clinician");
    assert_string_equal(staff_role_name(ROLE_SUPERVISOR), "supervisor");
    assert_string_equal(staff_role_name(ROLE_RECEPTION), "reception");
    staff_role out = ROLE_SUPERVISOR;
    assert_false(staff_role_parse("Clinician", &out));
    assert_false(staff_role_parse("", &out));
    assert_false(staff_role_parse(NULL, &out));
    assert_false(staff_role_parse("clinician", NULL));
    assert_int_equal(out, ROLE_SUPERVISOR);
    assert_string_equal(staff_role_name((staff_role)9), "unknown");
    blob b = mkb(10, 1);
    blob_free(&b);
    assert_null(b.p);
    assert_int_equal(b.n, 0);
    blob_free(&b);
    blob_free(NULL);
    client_rec_free(NULL);
    intake_rec_free(NULL);
    draft_rec_free(NULL);
}


/* Row MACs (schema 5): the store keeps a blob per row and lists the rows without one; it never computes. */
/* Per-client keys (schema 11, issue 13): a client's own key, sealed, is stored with it and read back with it;
 * row_ids("clients", missing_only) lists the clients without one (the upgrade resumes from them); each_sealed
 * walks it as clients.key, first of the client's values; update_sealed sets it; queue_all_for_client gives
 * every item of a client, closed ones too; erasure removes the key with the client. */
static void c_client_keys(void **state) {
    fx *f = *state;
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    client_rec c1 = mk_client(CLIENT1, STAFF1, 10, 0, 0, 1);
    c1.key_ct = mkb(VAULT_CLIENT_KEY_SEALED, 7);
    OK(f, f->ops->client_insert(f->s, &c1));
    add_client(f, CLIENT2, 10, 0, 0, 2); /* no key yet: before the upgrade reached it */
    OK(f, f->ops->commit(f->s));
    client_rec got;
    OK(f, f->ops->client_get(f->s, CLIENT1, &got));
    assert_blob_eq(&got.key_ct, &c1.key_ct);
    client_rec_free(&got);
    OK(f, f->ops->client_get(f->s, CLIENT2, &got));
    assert_int_equal(got.key_ct.n, 0);
    client_rec_free(&got);
    char (*ids)[STORE_ID_LEN] = NULL;
    int n = -1;
    OK(f, f->ops->row_ids(f->s, "clients", true, &ids, &n));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], CLIENT2);
    free(ids);
    OK(f, f->ops->row_ids(f->s, "clients", false, &ids, &n));
    assert_int_equal(n, 2);
    free(ids);
    blob k2 = mkb(VAULT_CLIENT_KEY_SEALED, 9);
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->update_sealed(f->s, "clients", "key", CLIENT2, k2.p, k2.n));
    EXPECT(f, ST_INVALID, f->ops->update_sealed(f->s, "clients", "key", CLIENT2, NULL, 0)); /* never emptied */
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->row_ids(f->s, "clients", true, &ids, &n));
    assert_int_equal(n, 0);
    free(ids);
    sealed_ctx col = {0};
    OK(f, f->ops->each_sealed(f->s, collect_sealed, &col));
    expect_sealed(&col, "clients", "key", CLIENT2, &k2, false);
    expect_sealed(&col, "clients", "key", CLIENT1, &c1.key_ct, false);
    sealed_ctx_free(&col);
    /* every item of a client, closed ones too */
    queue_rec q;
    memset(&q, 0, sizeof q);
    snprintf(q.id, sizeof q.id, "%s", "4a000000-0000-4000-8000-0000000000c1");
    snprintf(q.client_id, sizeof q.client_id, "%s", CLIENT1);
    intake_rec i1 = mk_intake(INTAKE1, CLIENT1, STAFF1, 300, "red", 120, 0, 1);
    snprintf(q.intake_id, sizeof q.intake_id, "%s", INTAKE1);
    snprintf(q.level, sizeof q.level, "red");
    snprintf(q.state, sizeof q.state, "closed");
    snprintf(q.outcome, sizeof q.outcome, "duplicate");
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->intake_insert(f->s, &i1));
    OK(f, f->ops->queue_put(f->s, &q));
    OK(f, f->ops->commit(f->s));
    queue_rec *items = NULL;
    OK(f, f->ops->queue_all_for_client(f->s, CLIENT1, &items, &n));
    assert_int_equal(n, 1);
    assert_string_equal(items[0].id, q.id);
    free(items);
    OK(f, f->ops->queue_all_for_client(f->s, CLIENT2, &items, &n));
    assert_int_equal(n, 0);
    free(items);
    EXPECT(f, ST_INVALID, f->ops->queue_all_for_client(f->s, "", &items, &n));
    /* erasure takes the key with the client */
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_erase(f->s, CLIENT1));
    OK(f, f->ops->commit(f->s));
    EXPECT(f, ST_NOTFOUND, f->ops->client_get(f->s, CLIENT1, &got));
    OK(f, f->ops->row_ids(f->s, "clients", false, &ids, &n));
    assert_int_equal(n, 1);
    free(ids);
    intake_rec_free(&i1);
    blob_free(&k2);
    client_rec_free(&c1);
}

static void c_row_macs(void **state) {
    fx *f = *state;
    intake_rec i1 = mk_intake(INTAKE1, CLIENT1, STAFF1, 300, "red", 120, 0, 1);
    intake_rec i2 = mk_intake(INTAKE2, CLIENT1, STAFF1, 100, "green", 80, 0, 2);
    memset(i1.mac, 0xa1, sizeof i1.mac);
    i1.has_mac = true;
    queue_rec q;
    memset(&q, 0, sizeof q);
    snprintf(q.id, sizeof q.id, "%s", "4a000000-0000-4000-8000-000000000001");
    snprintf(q.client_id, sizeof q.client_id, "%s", CLIENT1);
    snprintf(q.intake_id, sizeof q.intake_id, "%s", INTAKE1);
    snprintf(q.level, sizeof q.level, "red");
    snprintf(q.state, sizeof q.state, "open");
    snprintf(q.outcome, sizeof q.outcome, "none");
    q.deadline = 900;
    memset(q.mac, 0xb2, sizeof q.mac);
    q.has_mac = true;
    memset(q.mac_state, 0xc3, 40);
    q.mac_state_n = 40;
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 0, 0, 1);
    OK(f, f->ops->intake_insert(f->s, &i1));
    OK(f, f->ops->intake_insert(f->s, &i2));
    OK(f, f->ops->queue_put(f->s, &q));
    OK(f, f->ops->commit(f->s));

    intake_rec got;
    OK(f, f->ops->intake_get(f->s, INTAKE1, &got));
    assert_true(got.has_mac);
    assert_memory_equal(got.mac, i1.mac, sizeof got.mac);
    intake_rec_free(&got);
    OK(f, f->ops->intake_get(f->s, INTAKE2, &got));
    assert_false(got.has_mac);
    intake_rec_free(&got);
    queue_rec qg;
    OK(f, f->ops->queue_get(f->s, q.id, &qg));
    assert_true(qg.has_mac);
    assert_memory_equal(qg.mac, q.mac, sizeof q.mac);
    assert_int_equal(qg.mac_state_n, 40);
    assert_memory_equal(qg.mac_state, q.mac_state, 40);

    char (*ids)[STORE_ID_LEN] = NULL;
    int n = -1;
    OK(f, f->ops->row_ids(f->s, "intakes", true, &ids, &n));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], INTAKE2);
    free(ids);
    OK(f, f->ops->row_ids(f->s, "intakes", false, &ids, &n));
    assert_int_equal(n, 2);
    free(ids);
    OK(f, f->ops->row_ids(f->s, "queue_items", true, &ids, &n));
    assert_int_equal(n, 0);
    free(ids);
    EXPECT(f, ST_INVALID, f->ops->row_ids(f->s, "counselors", false, &ids, &n));
    EXPECT(f, ST_INVALID, f->ops->row_mac_set(f->s, "clients", CLIENT1, q.mac)); /* clients carry no row MAC */
    EXPECT(f, ST_INVALID, f->ops->row_ids(f->s, NULL, false, &ids, &n));
    EXPECT(f, ST_INVALID, f->ops->row_ids(f->s, "intakes", false, NULL, &n));
    EXPECT(f, ST_INVALID, f->ops->row_ids(f->s, "intakes", false, &ids, NULL));

    unsigned char mac[VAULT_MAC_BYTES];
    memset(mac, 0xd4, sizeof mac);
    EXPECT(f, ST_INVALID, f->ops->row_mac_set(f->s, "intakes", INTAKE2, mac)); /* outside a transaction */
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->row_mac_set(f->s, "intakes", INTAKE2, mac));
    OK(f, f->ops->row_mac_set(f->s, "queue_items", q.id, mac));
    EXPECT(f, ST_NOTFOUND, f->ops->row_mac_set(f->s, "intakes", MISSING, mac));
    EXPECT(f, ST_INVALID, f->ops->row_mac_set(f->s, "staff", STAFF1, mac));
    EXPECT(f, ST_INVALID, f->ops->row_mac_set(f->s, NULL, INTAKE1, mac));
    EXPECT(f, ST_INVALID, f->ops->row_mac_set(f->s, "intakes", "", mac));
    EXPECT(f, ST_INVALID, f->ops->row_mac_set(f->s, "intakes", INTAKE1, NULL));
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->intake_get(f->s, INTAKE2, &got));
    assert_true(got.has_mac);
    assert_memory_equal(got.mac, mac, sizeof mac);
    intake_rec_free(&got);
    OK(f, f->ops->queue_get(f->s, q.id, &qg));
    assert_memory_equal(qg.mac, mac, sizeof mac);
    assert_int_equal(qg.mac_state_n, 0); /* the MAC covers the row itself again */
    OK(f, f->ops->row_ids(f->s, "intakes", true, &ids, &n));
    assert_int_equal(n, 0);
    free(ids);
    intake_rec_free(&i1);
    intake_rec_free(&i2);
}

/* ---- the operations of the queues, the outcomes, the reports and erasure ---- */

#define CLIENT4 "c1000000-0000-4000-8000-000000000004"
#define QA "4a000000-0000-4000-8000-00000000000a"
#define QB "4a000000-0000-4000-8000-00000000000b"
#define QC "4a000000-0000-4000-8000-00000000000c"
#define QD "4a000000-0000-4000-8000-00000000000d"
#define QE "4a000000-0000-4000-8000-00000000000e"
#define QF "4a000000-0000-4000-8000-00000000000f"
#define QG "4a000000-0000-4000-8000-000000000010"
#define QH "4b000000-0000-4000-8000-000000000011" /* a prefix of its own */
#define EV1 "e0000000-0000-4000-8000-000000000001"
#define EV2 "e0000000-0000-4000-8000-000000000002"
#define EV3 "e0000000-0000-4000-8000-000000000003"
#define EV4 "e0000000-0000-4000-8000-000000000004"
#define FACTS1 "fa000000-0000-4000-8000-000000000001"
#define FACTS2 "fa000000-0000-4000-8000-000000000002"
#define FACTS3 "fa000000-0000-4000-8000-000000000003"
#define FACTS4 "fa000000-0000-4000-8000-000000000004"
#define FACTS5 "fa000000-0000-4000-8000-000000000005"
#define NEWFACTS "fb000000-0000-4000-8000-000000000001"
#define NEWKEY "fc000000-0000-4000-8000-000000000001"
#define SESS(n) "5e000000-0000-4000-8000-00000000000" #n
#define DRAFT3 "d0000000-0000-4000-8000-000000000003"

static queue_rec mk_queue(const char *id, const char *client, const char *intake, const char *level, const char *state,
                          int64_t deadline, int64_t created_at) {
    queue_rec q;
    memset(&q, 0, sizeof q);
    snprintf(q.id, sizeof q.id, "%s", id);
    snprintf(q.client_id, sizeof q.client_id, "%s", client);
    snprintf(q.intake_id, sizeof q.intake_id, "%s", intake);
    snprintf(q.level, sizeof q.level, "%s", level);
    snprintf(q.state, sizeof q.state, "%s", state);
    snprintf(q.outcome, sizeof q.outcome, "none");
    q.deadline = deadline;
    q.created_at = created_at;
    q.level_since = created_at;
    q.updated_at = created_at;
    return q;
}

static void assert_queue_eq(const queue_rec *a, const queue_rec *b) {
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->client_id, b->client_id);
    assert_string_equal(a->intake_id, b->intake_id);
    assert_string_equal(a->level, b->level);
    assert_string_equal(a->state, b->state);
    assert_string_equal(a->outcome, b->outcome);
    assert_string_equal(a->pending_level, b->pending_level);
    assert_string_equal(a->counselor, b->counselor);
    assert_true(a->created_at == b->created_at);
    assert_true(a->level_since == b->level_since);
    assert_true(a->deadline == b->deadline);
    assert_true(a->updated_at == b->updated_at);
    assert_int_equal(a->overdue, b->overdue);
    assert_int_equal(a->match_by_hand, b->match_by_hand);
    assert_int_equal(a->escalations, b->escalations);
    assert_int_equal(a->declines_in_row, b->declines_in_row);
    assert_int_equal(a->contact_attempts, b->contact_attempts);
    assert_int_equal(a->has_mac, b->has_mac);
    assert_int_equal(a->mac_state_n, b->mac_state_n);
}

/* The items of a list, in its order, are exactly these ids. */
static void assert_queue_ids(const queue_rec *v, int n, const char *const *want, int k) {
    if (n != k) fail_msg("%d items, expected %d (first: %s)", n, k, n ? v[0].id : "-");
    for (int i = 0; i < k; i++)
        if (strcmp(v[i].id, want[i])) fail_msg("item %d is %s, expected %s", i, v[i].id, want[i]);
}

/* The same ids in any order. */
static void assert_queue_set(const queue_rec *v, int n, const char *const *want, int k) {
    assert_int_equal(n, k);
    for (int i = 0; i < k; i++) {
        int seen = 0;
        for (int j = 0; j < n; j++) seen += strcmp(v[j].id, want[i]) == 0;
        if (seen != 1) fail_msg("%s listed %d times", want[i], seen);
    }
}

/* Eight items, one closed. In urgency order (overdue, level, earliest deadline with none last, oldest):
 * QD (overdue orange), QG (overdue yellow), QH (red, 300, older), QC (red, 300), QB (red, 500), QE (red, no
 * deadline), QA (green, no deadline). QF is closed and never listed. */
static queue_rec qset[8];
static const char *const urgency[] = {QD, QG, QH, QC, QB, QE, QA};

static void make_queue_set(fx *f) {
    qset[0] = mk_queue(QA, CLIENT1, INTAKE1, "green", "open", 0, 10);
    qset[1] = mk_queue(QB, CLIENT1, INTAKE1, "red", "assigned", 500, 20);
    snprintf(qset[1].counselor, sizeof qset[1].counselor, "c01");
    qset[1].match_by_hand = true;
    qset[1].declines_in_row = 3;
    qset[2] = mk_queue(QC, CLIENT1, INTAKE1, "red", "acknowledged", 300, 30);
    qset[2].level_since = 35;
    snprintf(qset[2].pending_level, sizeof qset[2].pending_level, "orange");
    qset[3] = mk_queue(QD, CLIENT1, INTAKE1, "orange", "open", 100, 5);
    qset[3].overdue = true;
    qset[3].match_by_hand = true;
    qset[3].escalations = 2;
    qset[4] = mk_queue(QE, CLIENT1, INTAKE1, "red", "open", 0, 1);
    qset[5] = mk_queue(QF, CLIENT2, INTAKE2, "red", "closed", 50, 0);
    snprintf(qset[5].counselor, sizeof qset[5].counselor, "c01");
    snprintf(qset[5].outcome, sizeof qset[5].outcome, "first_session");
    qset[5].overdue = qset[5].match_by_hand = true;
    qset[5].level_since = 999;
    qset[6] = mk_queue(QG, CLIENT3, INTAKE3, "yellow", "assigned", 300, 40);
    snprintf(qset[6].counselor, sizeof qset[6].counselor, "c01");
    qset[6].overdue = true;
    qset[6].contact_attempts = 4;
    memset(qset[6].mac, 0x5c, sizeof qset[6].mac);
    qset[6].has_mac = true;
    memset(qset[6].mac_state, 0x3d, 17);
    qset[6].mac_state_n = 17;
    qset[7] = mk_queue(QH, CLIENT1, INTAKE1, "red", "open", 300, 25);
    intake_rec i1 = mk_intake(INTAKE1, CLIENT1, STAFF1, 1, "red", 10, 0, 1);
    intake_rec i2 = mk_intake(INTAKE2, CLIENT2, STAFF1, 1, "red", 10, 0, 2);
    intake_rec i3 = mk_intake(INTAKE3, CLIENT3, STAFF1, 1, "yellow", 10, 0, 3);
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 0, 0, 1);
    add_client(f, CLIENT2, 10, 0, 0, 2);
    add_client(f, CLIENT3, 10, 0, 0, 3);
    OK(f, f->ops->intake_insert(f->s, &i1));
    OK(f, f->ops->intake_insert(f->s, &i2));
    OK(f, f->ops->intake_insert(f->s, &i3));
    for (int i = 0; i < 8; i++) OK(f, f->ops->queue_put(f->s, &qset[i]));
    OK(f, f->ops->commit(f->s));
    intake_rec_free(&i1);
    intake_rec_free(&i2);
    intake_rec_free(&i3);
}

/* queue_first: the first `limit` open items in urgency order; queue_list_open: every item not closed;
 * queue_due: the open items with 0 < deadline <= now; queue_open_for_client: an item of the client not
 * closed. */
static void c_queue_order(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    queue_rec *v = NULL, q;
    int n = -1;
    OK(f, o->queue_first(f->s, 10, &v, &n)); /* empty */
    assert_int_equal(n, 0);
    free(v);
    make_queue_set(f);

    OK(f, o->queue_first(f->s, 100, &v, &n));
    assert_queue_ids(v, n, urgency, 7);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 8; k++)
            if (strcmp(qset[k].id, v[i].id) == 0) assert_queue_eq(&qset[k], &v[i]); /* every field comes back */
    }
    free(v);
    OK(f, o->queue_first(f->s, 3, &v, &n));
    assert_queue_ids(v, n, urgency, 3);
    free(v);
    OK(f, o->queue_first(f->s, 1, &v, &n));
    assert_queue_ids(v, n, urgency, 1);
    free(v);

    OK(f, o->queue_list_open(f->s, &v, &n));
    assert_queue_set(v, n, urgency, 7);
    free(v);

    static const char *const due300[] = {QD, QG, QH, QC};
    OK(f, o->queue_due(f->s, 300, &v, &n)); /* the deadline itself is due; QB (500) is not; QF is closed */
    assert_queue_set(v, n, due300, 4);
    free(v);
    static const char *const due_all[] = {QD, QG, QH, QC, QB};
    OK(f, o->queue_due(f->s, INT64_MAX, &v, &n)); /* never the items without a deadline (0) */
    assert_queue_set(v, n, due_all, 5);
    free(v);
    OK(f, o->queue_due(f->s, 99, &v, &n));
    assert_int_equal(n, 0);
    free(v);
    OK(f, o->queue_due(f->s, 0, &v, &n));
    assert_int_equal(n, 0);
    free(v);

    OK(f, o->queue_open_for_client(f->s, CLIENT3, &q));
    assert_queue_eq(&qset[6], &q);
    OK(f, o->queue_open_for_client(f->s, CLIENT1, &q));
    assert_string_equal(q.client_id, CLIENT1);
    assert_string_not_equal(q.state, "closed");
    EXPECT(f, ST_NOTFOUND, o->queue_open_for_client(f->s, CLIENT2, &q)); /* its only item is closed */
    EXPECT(f, ST_NOTFOUND, o->queue_open_for_client(f->s, MISSING, &q));

    /* closing an item takes it off every list */
    queue_rec closed = qset[3];
    snprintf(closed.state, sizeof closed.state, "closed");
    OK(f, o->begin(f->s));
    OK(f, o->queue_put(f->s, &closed));
    OK(f, o->commit(f->s));
    OK(f, o->queue_first(f->s, 100, &v, &n));
    assert_queue_ids(v, n, urgency + 1, 6);
    free(v);
    OK(f, o->queue_due(f->s, 300, &v, &n));
    assert_queue_set(v, n, due300 + 1, 3);
    free(v);

    /* degenerate calls: refused, results emptied */
    v = (queue_rec *)&n;
    EXPECT(f, ST_INVALID, o->queue_first(f->s, 0, &v, &n));
    assert_null(v);
    assert_int_equal(n, 0);
    EXPECT(f, ST_INVALID, o->queue_first(f->s, -1, &v, &n));
    EXPECT(f, ST_INVALID, o->queue_first(f->s, 5, NULL, &n));
    EXPECT(f, ST_INVALID, o->queue_first(f->s, 5, &v, NULL));
    EXPECT(f, ST_INVALID, o->queue_list_open(f->s, NULL, &n));
    EXPECT(f, ST_INVALID, o->queue_list_open(f->s, &v, NULL));
    EXPECT(f, ST_INVALID, o->queue_due(f->s, 300, NULL, &n));
    EXPECT(f, ST_INVALID, o->queue_due(f->s, 300, &v, NULL));
    EXPECT(f, ST_INVALID, o->queue_open_for_client(f->s, "", &q));
    EXPECT(f, ST_INVALID, o->queue_open_for_client(f->s, NULL, &q));
    EXPECT(f, ST_INVALID, o->queue_open_for_client(f->s, "c1 0", &q));
    EXPECT(f, ST_INVALID, o->queue_open_for_client(f->s, CLIENT3, NULL));
    EXPECT(f, ST_INVALID, o->queue_get(f->s, "", &q));
    EXPECT(f, ST_INVALID, o->queue_get(f->s, NULL, &q));
    EXPECT(f, ST_INVALID, o->queue_get(f->s, QA, NULL));
    assert_int_equal(o->queue_first(NULL, 5, &v, &n), ST_INVALID);
    assert_int_equal(o->queue_list_open(NULL, &v, &n), ST_INVALID);
    assert_int_equal(o->queue_due(NULL, 5, &v, &n), ST_INVALID);
    assert_int_equal(o->queue_open_for_client(NULL, CLIENT3, &q), ST_INVALID);
    assert_int_equal(o->queue_get(NULL, QA, &q), ST_INVALID);
}

/* queue_counts: the open items by level (green, yellow, orange, red), overdue, by hand, red waiting and the
 * newest red; queue_page: a page of the open items matching the filter, in urgency order;
 * queue_count_assigned: the open items assigned to a counselor. */
static void c_queue_counts_page(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    queue_counts_rec c;
    memset(&c, 0xff, sizeof c);
    OK(f, o->queue_counts(f->s, &c));
    assert_int_equal(c.total, 0);
    assert_int_equal(c.open[3], 0);
    assert_true(c.red_newest == 0);
    make_queue_set(f);

    OK(f, o->queue_counts(f->s, &c));
    assert_int_equal(c.total, 7);
    assert_int_equal(c.open[0], 1); /* QA */
    assert_int_equal(c.open[1], 1); /* QG */
    assert_int_equal(c.open[2], 1); /* QD */
    assert_int_equal(c.open[3], 4); /* QB QC QE QH; QF is closed */
    assert_int_equal(c.overdue[0], 0);
    assert_int_equal(c.overdue[1], 1);
    assert_int_equal(c.overdue[2], 1);
    assert_int_equal(c.overdue[3], 0);
    assert_int_equal(c.by_hand, 1);     /* QD; QB is by hand but assigned: a person matched it */
    assert_int_equal(c.red_waiting, 2); /* QE QH: state open */
    assert_true(c.red_newest == 35);    /* QC; the closed QF's 999 does not count */

    int64_t k = -1;
    OK(f, o->queue_count_assigned(f->s, "c01", &k));
    assert_true(k == 2); /* QB QG; QF is closed */
    OK(f, o->queue_count_assigned(f->s, "c02", &k));
    assert_true(k == 0);

    queue_rec *v = NULL;
    int n = -1;
    queue_filter all = {NULL, false, false, NULL};
    OK(f, o->queue_page(f->s, &all, 0, 100, &v, &n));
    assert_queue_ids(v, n, urgency, 7);
    free(v);
    queue_filter none = {"", false, false, ""};
    OK(f, o->queue_page(f->s, &none, 0, 100, &v, &n));
    assert_queue_ids(v, n, urgency, 7);
    free(v);
    OK(f, o->queue_page(f->s, &all, 2, 2, &v, &n));
    assert_queue_ids(v, n, urgency + 2, 2);
    free(v);
    OK(f, o->queue_page(f->s, &all, 6, 5, &v, &n));
    assert_queue_ids(v, n, urgency + 6, 1);
    free(v);
    OK(f, o->queue_page(f->s, &all, 7, 5, &v, &n));
    assert_int_equal(n, 0);
    free(v);
    static const char *const red[] = {QH, QC, QB, QE};
    queue_filter fr = {"red", false, false, NULL};
    OK(f, o->queue_page(f->s, &fr, 0, 100, &v, &n));
    assert_queue_ids(v, n, red, 4);
    free(v);
    OK(f, o->queue_page(f->s, &fr, 1, 2, &v, &n));
    assert_queue_ids(v, n, red + 1, 2);
    free(v);
    static const char *const late[] = {QD, QG};
    queue_filter fo = {NULL, true, false, NULL};
    OK(f, o->queue_page(f->s, &fo, 0, 100, &v, &n));
    assert_queue_ids(v, n, late, 2);
    free(v);
    /* QB is by hand too, but assigned: a person matched it (it comes back when that one is declined) */
    static const char *const hand[] = {QD};
    queue_filter fh = {NULL, false, true, NULL};
    OK(f, o->queue_page(f->s, &fh, 0, 100, &v, &n));
    assert_queue_ids(v, n, hand, 1);
    free(v);
    queue_filter frh = {"red", false, true, NULL};
    OK(f, o->queue_page(f->s, &frh, 0, 100, &v, &n));
    assert_int_equal(n, 0);
    free(v);
    queue_filter fro = {"red", true, false, NULL};
    OK(f, o->queue_page(f->s, &fro, 0, 100, &v, &n));
    assert_int_equal(n, 0);
    free(v);
    static const char *const qh[] = {QH}, *const qg[] = {QG}, *const qc[] = {QC};
    queue_filter fp = {NULL, false, false, "4b"}; /* the item's id */
    OK(f, o->queue_page(f->s, &fp, 0, 100, &v, &n));
    assert_queue_ids(v, n, qh, 1);
    free(v);
    fp.id_prefix = QC; /* a whole id */
    OK(f, o->queue_page(f->s, &fp, 0, 100, &v, &n));
    assert_queue_ids(v, n, qc, 1);
    free(v);
    fp.id_prefix = "c1000000-0000-4000-8000-000000000003"; /* the client's id */
    OK(f, o->queue_page(f->s, &fp, 0, 100, &v, &n));
    assert_queue_ids(v, n, qg, 1);
    free(v);
    fp.id_prefix = "c1"; /* every client */
    OK(f, o->queue_page(f->s, &fp, 0, 100, &v, &n));
    assert_queue_ids(v, n, urgency, 7);
    free(v);
    fp.id_prefix = "ff";
    OK(f, o->queue_page(f->s, &fp, 0, 100, &v, &n));
    assert_int_equal(n, 0);
    free(v);

    /* degenerate calls: refused, results emptied */
    v = (queue_rec *)&n;
    n = 9;
    EXPECT(f, ST_INVALID, o->queue_page(f->s, NULL, 0, 10, &v, &n));
    assert_null(v);
    assert_int_equal(n, 0);
    EXPECT(f, ST_INVALID, o->queue_page(f->s, &all, -1, 10, &v, &n));
    EXPECT(f, ST_INVALID, o->queue_page(f->s, &all, 0, 0, &v, &n));
    EXPECT(f, ST_INVALID, o->queue_page(f->s, &all, 0, 10, NULL, &n));
    EXPECT(f, ST_INVALID, o->queue_page(f->s, &all, 0, 10, &v, NULL));
    static const char *const bad_levels[] = {"purple", "Red", "red ", "closed"};
    for (size_t i = 0; i < sizeof bad_levels / sizeof bad_levels[0]; i++) {
        queue_filter b = {bad_levels[i], false, false, NULL};
        EXPECT(f, ST_INVALID, o->queue_page(f->s, &b, 0, 10, &v, &n));
    }
    static const char *const bad_prefixes[] = {"4A", "%", "_", "' OR 1=1 --", "4a*", "c1000000-0000-4000-8000-0000000000031"};
    for (size_t i = 0; i < sizeof bad_prefixes / sizeof bad_prefixes[0]; i++) {
        queue_filter b = {NULL, false, false, bad_prefixes[i]};
        EXPECT(f, ST_INVALID, o->queue_page(f->s, &b, 0, 10, &v, &n));
    }
    EXPECT(f, ST_INVALID, o->queue_counts(f->s, NULL));
    EXPECT(f, ST_INVALID, o->queue_count_assigned(f->s, "", &k));
    EXPECT(f, ST_INVALID, o->queue_count_assigned(f->s, NULL, &k));
    EXPECT(f, ST_INVALID, o->queue_count_assigned(f->s, "c01", NULL));
    assert_int_equal(o->queue_counts(NULL, &c), ST_INVALID);
    assert_int_equal(o->queue_page(NULL, &all, 0, 10, &v, &n), ST_INVALID);
    assert_int_equal(o->queue_count_assigned(NULL, "c01", &k), ST_INVALID);
}

static queue_event_rec mk_event(const char *id, const char *item, int64_t at, const char *staff, size_t reason_n,
                                unsigned seed) {
    queue_event_rec e;
    memset(&e, 0, sizeof e);
    snprintf(e.id, sizeof e.id, "%s", id);
    snprintf(e.item_id, sizeof e.item_id, "%s", item);
    e.at = at;
    snprintf(e.staff_id, sizeof e.staff_id, "%s", staff);
    snprintf(e.action, sizeof e.action, "confirm");
    snprintf(e.from_state, sizeof e.from_state, "open");
    snprintf(e.to_state, sizeof e.to_state, "confirmed");
    snprintf(e.level_before, sizeof e.level_before, "red");
    snprintf(e.level_after, sizeof e.level_after, "orange");
    e.reason_ct = mkb(reason_n, seed);
    return e;
}

static void assert_event_eq(const queue_event_rec *a, const queue_event_rec *b) {
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->item_id, b->item_id);
    assert_true(a->at == b->at);
    assert_string_equal(a->staff_id, b->staff_id);
    assert_string_equal(a->action, b->action);
    assert_string_equal(a->from_state, b->from_state);
    assert_string_equal(a->to_state, b->to_state);
    assert_string_equal(a->level_before, b->level_before);
    assert_string_equal(a->level_after, b->level_after);
    assert_blob_eq(&a->reason_ct, &b->reason_ct);
}

static void free_events(queue_event_rec *v, int n) {
    for (int i = 0; i < n; i++) queue_event_rec_free(&v[i]);
    free(v);
}

/* queue_event_add / queue_events: an item's history, oldest first, every field back (the reason sealed,
 * optional); another item's steps are not mixed in; an event names an item that is there. */
static void c_queue_events(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    make_queue_set(f);
    queue_event_rec e1 = mk_event(EV1, QA, 300, STAFF1, 40, 1), e2 = mk_event(EV2, QA, 100, "", 0, 2),
                    e3 = mk_event(EV3, QA, 200, STAFF1, 1, 3), e4 = mk_event(EV4, QB, 50, STAFF1, 20, 4);
    snprintf(e2.action, sizeof e2.action, "escalate"); /* the system's step: no staff, no reason */
    OK(f, o->begin(f->s));
    OK(f, o->queue_event_add(f->s, &e1));
    OK(f, o->queue_event_add(f->s, &e2));
    OK(f, o->queue_event_add(f->s, &e3));
    OK(f, o->queue_event_add(f->s, &e4));
    EXPECT(f, ST_EXISTS, o->queue_event_add(f->s, &e1));
    queue_event_rec orphan = mk_event("e0000000-0000-4000-8000-0000000000ff", MISSING, 1, STAFF1, 0, 5);
    EXPECT(f, ST_NOTFOUND, o->queue_event_add(f->s, &orphan));
    OK(f, o->commit(f->s));

    queue_event_rec *v = NULL;
    int n = -1;
    OK(f, o->queue_events(f->s, QA, &v, &n));
    assert_int_equal(n, 3);
    assert_event_eq(&e2, &v[0]);
    assert_event_eq(&e3, &v[1]);
    assert_event_eq(&e1, &v[2]);
    free_events(v, n);
    OK(f, o->queue_events(f->s, QB, &v, &n));
    assert_int_equal(n, 1);
    assert_event_eq(&e4, &v[0]);
    free_events(v, n);
    OK(f, o->queue_events(f->s, QC, &v, &n)); /* no history yet */
    assert_int_equal(n, 0);
    assert_null(v);
    OK(f, o->queue_events(f->s, MISSING, &v, &n));
    assert_int_equal(n, 0);
    /* the reasons are sealed values like any other */
    sealed_ctx sc = {0};
    OK(f, o->each_sealed(f->s, collect_sealed, &sc));
    expect_sealed(&sc, "queue_events", "reason", EV1, &e1.reason_ct, false);
    expect_sealed(&sc, "queue_events", "reason", EV3, &e3.reason_ct, false);
    expect_sealed(&sc, "queue_events", "reason", EV4, &e4.reason_ct, false);
    sealed_ctx_free(&sc);

    /* outside a transaction, and degenerate records: refused, nothing written */
    queue_event_rec e5 = mk_event("e0000000-0000-4000-8000-000000000005", QC, 1, STAFF1, 5, 6);
    EXPECT(f, ST_INVALID, o->queue_event_add(f->s, &e5));
    OK(f, o->begin(f->s));
    EXPECT(f, ST_INVALID, o->queue_event_add(f->s, NULL));
    queue_event_rec b = e5;
    b.id[0] = '\0';
    EXPECT(f, ST_INVALID, o->queue_event_add(f->s, &b));
    b = e5;
    b.item_id[0] = '\0';
    EXPECT(f, ST_INVALID, o->queue_event_add(f->s, &b));
    b = e5;
    b.action[0] = '\0';
    EXPECT(f, ST_INVALID, o->queue_event_add(f->s, &b));
    b = e5;
    memset(b.to_state, 's', sizeof b.to_state); /* not terminated */
    EXPECT(f, ST_INVALID, o->queue_event_add(f->s, &b));
    b = e5;
    snprintf(b.staff_id, sizeof b.staff_id, "a b");
    EXPECT(f, ST_INVALID, o->queue_event_add(f->s, &b));
    b = e5;
    b.reason_ct.p = NULL; /* a length without bytes */
    EXPECT(f, ST_INVALID, o->queue_event_add(f->s, &b));
    OK(f, o->commit(f->s));
    OK(f, o->queue_events(f->s, QC, &v, &n));
    assert_int_equal(n, 0);
    v = (queue_event_rec *)&n;
    EXPECT(f, ST_INVALID, o->queue_events(f->s, "", &v, &n));
    assert_null(v);
    EXPECT(f, ST_INVALID, o->queue_events(f->s, NULL, &v, &n));
    EXPECT(f, ST_INVALID, o->queue_events(f->s, QA, NULL, &n));
    EXPECT(f, ST_INVALID, o->queue_events(f->s, QA, &v, NULL));
    assert_int_equal(o->queue_event_add(NULL, &e5), ST_INVALID);
    assert_int_equal(o->queue_events(NULL, QA, &v, &n), ST_INVALID);
    queue_event_rec *pv[] = {&e1, &e2, &e3, &e4, &orphan, &e5};
    for (size_t i = 0; i < sizeof pv / sizeof pv[0]; i++) queue_event_rec_free(pv[i]);
}

/* audit_each_from: the entries after a sequence number, in order, the same as audit_each gives. */
static void c_audit_each_from(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    audit_ctx c = {0};
    OK(f, o->audit_each_from(f->s, 0, collect_audit, &c)); /* empty log */
    assert_int_equal(c.n, 0);
    enum { N = 7 };
    audit_rec e[N];
    OK(f, o->begin(f->s));
    for (int i = 0; i < N; i++) {
        e[i] = mk_audit(i % 2 ? STAFF1 : "", "view", (unsigned)i, i % 3 == 0);
        OK(f, o->audit_append(f->s, &e[i]));
    }
    OK(f, o->commit(f->s));
    for (int after = 0; after <= N + 2; after++) {
        memset(&c, 0, sizeof c);
        OK(f, o->audit_each_from(f->s, after, collect_audit, &c));
        int want = after < N ? N - after : 0;
        assert_int_equal(c.n, want);
        for (int i = 0; i < want; i++) assert_audit_eq(&e[after + i], &c.v[i]);
        free(c.v);
    }
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    OK(f, o->audit_each_from(f->s, 3, collect_audit, &c));
    assert_int_equal(c.n, 2);
    assert_true(c.v[0].seq == 4 && c.v[1].seq == 5);
    free(c.v);
    int cnt = 0;
    EXPECT(f, ST_INVALID, o->audit_each_from(f->s, 0, NULL, &cnt));
    EXPECT(f, ST_INVALID, o->audit_each_from(f->s, -1, count_cb, &cnt));
    assert_int_equal(o->audit_each_from(NULL, 0, count_cb, &cnt), ST_INVALID);
    assert_int_equal(cnt, 0);
}

/* local_changes: the rows this connection changed since it opened; reads and another connection's
 * commits do not move it. */
static void c_local_changes(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    int64_t v0 = o->local_changes(f->s);
    assert_true(v0 >= 0);
    OK(f, o->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 0, 0, 1);
    add_client(f, CLIENT2, 10, 0, 0, 2);
    OK(f, o->commit(f->s));
    assert_true(o->local_changes(f->s) == v0 + 3);
    int64_t n = 0;
    OK(f, o->client_count(f->s, &n));
    client_rec c;
    OK(f, o->client_get(f->s, CLIENT1, &c));
    client_rec_free(&c);
    assert_true(o->local_changes(f->s) == v0 + 3);
    store *b = NULL;
    error err = {0};
    assert_int_equal(o->open(f->path, false, 2000, &b, &err), ST_OK);
    int64_t b0 = o->local_changes(b);
    assert_int_equal(o->begin(b), ST_OK);
    staff_rec s2 = mk_staff(STAFF2, "bob", ROLE_CLINICIAN, 2);
    assert_int_equal(o->staff_insert(b, &s2), ST_OK);
    assert_int_equal(o->commit(b), ST_OK);
    assert_true(o->local_changes(b) == b0 + 1);
    assert_true(o->local_changes(f->s) == v0 + 3); /* the other desk's row is not this one's */
    o->close(b);
    OK(f, o->begin(f->s));
    OK(f, o->bidx_add(f->s, 1, CLIENT1));
    OK(f, o->commit(f->s));
    assert_true(o->local_changes(f->s) == v0 + 4);
    assert_true(o->local_changes(NULL) == 0);
}

static facts_rec mk_facts(const char *id, const char *client, int64_t at, const char *level, unsigned seed) {
    facts_rec r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.client_key, sizeof r.client_key, "%s", client);
    r.created_at = at;
    snprintf(r.level, sizeof r.level, "%s", level);
    snprintf(r.channel, sizeof r.channel, "%s", seed & 1 ? "phone" : "walk_in");
    snprintf(r.concerns, sizeof r.concerns, "anxiety sleep %u", seed);
    snprintf(r.age_band, sizeof r.age_band, "18-24");
    snprintf(r.counselor, sizeof r.counselor, "c0%u", seed % 10);
    r.first_session_day = -1;
    r.first_session_attended = -1;
    r.last_session_day = -1;
    return r;
}

static void assert_facts_eq(const facts_rec *a, const facts_rec *b) {
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->client_key, b->client_key);
    assert_true(a->created_at == b->created_at);
    assert_string_equal(a->level, b->level);
    assert_string_equal(a->channel, b->channel);
    assert_string_equal(a->concerns, b->concerns);
    assert_string_equal(a->age_band, b->age_band);
    assert_string_equal(a->counselor, b->counselor);
    assert_true(a->deadline == b->deadline);
    assert_true(a->confirmed_at == b->confirmed_at);
    assert_string_equal(a->confirmed_level, b->confirmed_level);
    assert_true(a->first_contact_at == b->first_contact_at);
    assert_int_equal(a->suggestions, b->suggestions);
    assert_int_equal(a->declines, b->declines);
    assert_int_equal(a->overdue, b->overdue);
    assert_true(a->first_session_day == b->first_session_day);
    assert_int_equal(a->first_session_attended, b->first_session_attended);
    assert_int_equal(a->sessions_attended, b->sessions_attended);
    assert_true(a->last_session_day == b->last_session_day);
    assert_string_equal(a->closed_reason, b->closed_reason);
    assert_true(a->closed_at == b->closed_at);
    assert_int_equal(a->has_mac, b->has_mac);
    if (a->has_mac) assert_memory_equal(a->mac, b->mac, sizeof a->mac);
}

static outcome_session_rec mk_session(const char *id, const char *facts, const char *client, int64_t day,
                                      bool attended, int64_t intake_at) {
    outcome_session_rec r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.facts_id, sizeof r.facts_id, "%s", facts);
    snprintf(r.client_key, sizeof r.client_key, "%s", client);
    r.day = day;
    r.attended = attended;
    snprintf(r.counselor, sizeof r.counselor, "c01");
    r.recorded_at = 1700000000 + day;
    snprintf(r.recorded_by, sizeof r.recorded_by, "%s", STAFF1);
    r.intake_at = intake_at;
    return r;
}

static void assert_session_eq(const outcome_session_rec *a, const outcome_session_rec *b) {
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->facts_id, b->facts_id);
    assert_string_equal(a->client_key, b->client_key);
    assert_true(a->day == b->day);
    assert_int_equal(a->attended, b->attended);
    assert_string_equal(a->counselor, b->counselor);
    assert_true(a->recorded_at == b->recorded_at);
    assert_string_equal(a->recorded_by, b->recorded_by);
    assert_true(a->intake_at == b->intake_at);
}

/* facts_put (insert or replace by id) / facts_get / facts_for_client (oldest first) / outcome_session_add /
 * outcome_sessions (by day) / facts_rekey (the row and its sessions get new ids; nothing links them back; the
 * sessions' times become the row's created_at). */
static void c_facts(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    facts_rec a = mk_facts(FACTS1, CLIENT1, 300, "red", 1), b = mk_facts(FACTS2, CLIENT1, 100, "green", 2),
              c = mk_facts(FACTS3, CLIENT2, 200, "yellow", 3);
    a.deadline = 900;
    a.confirmed_at = 400;
    snprintf(a.confirmed_level, sizeof a.confirmed_level, "orange");
    a.first_contact_at = 500;
    a.suggestions = 3;
    a.declines = 1;
    a.overdue = true;
    a.first_session_day = 20000;
    a.first_session_attended = 1;
    a.sessions_attended = 2;
    a.last_session_day = 20010;
    snprintf(a.closed_reason, sizeof a.closed_reason, "first_session");
    a.closed_at = 800;
    memset(a.mac, 0x6e, sizeof a.mac);
    a.has_mac = true;
    facts_rec *v = NULL;
    int n = -1;
    OK(f, o->facts_for_client(f->s, CLIENT1, &v, &n));
    assert_int_equal(n, 0);
    OK(f, o->begin(f->s));
    OK(f, o->facts_put(f->s, &a));
    OK(f, o->facts_put(f->s, &b));
    OK(f, o->facts_put(f->s, &c));
    OK(f, o->commit(f->s));
    facts_rec got;
    OK(f, o->facts_get(f->s, FACTS1, &got));
    assert_facts_eq(&a, &got);
    OK(f, o->facts_get(f->s, FACTS2, &got));
    assert_facts_eq(&b, &got);
    EXPECT(f, ST_NOTFOUND, o->facts_get(f->s, MISSING, &got));
    OK(f, o->facts_for_client(f->s, CLIENT1, &v, &n));
    assert_int_equal(n, 2);
    assert_facts_eq(&b, &v[0]); /* oldest first */
    assert_facts_eq(&a, &v[1]);
    free(v);
    OK(f, o->facts_for_client(f->s, MISSING, &v, &n));
    assert_int_equal(n, 0);

    /* replace by id: a queue step updates the row */
    facts_rec b2 = b;
    b2.confirmed_at = 150;
    snprintf(b2.confirmed_level, sizeof b2.confirmed_level, "green");
    b2.suggestions = 2;
    snprintf(b2.counselor, sizeof b2.counselor, "c07");
    OK(f, o->begin(f->s));
    OK(f, o->facts_put(f->s, &b2));
    OK(f, o->commit(f->s));
    OK(f, o->facts_get(f->s, FACTS2, &got));
    assert_facts_eq(&b2, &got);
    OK(f, o->facts_for_client(f->s, CLIENT1, &v, &n));
    assert_int_equal(n, 2);
    free(v);

    /* sessions, by day */
    outcome_session_rec s1 = mk_session(SESS(1), FACTS1, CLIENT1, 20010, true, 300),
                        s2 = mk_session(SESS(2), FACTS1, CLIENT1, 20000, true, 300),
                        s3 = mk_session(SESS(3), FACTS1, CLIENT1, 20005, false, 300),
                        s4 = mk_session(SESS(4), FACTS3, CLIENT2, 20001, true, 200);
    s3.recorded_by[0] = '\0'; /* recorded by no one known */
    OK(f, o->begin(f->s));
    OK(f, o->outcome_session_add(f->s, &s1));
    OK(f, o->outcome_session_add(f->s, &s2));
    OK(f, o->outcome_session_add(f->s, &s3));
    OK(f, o->outcome_session_add(f->s, &s4));
    EXPECT(f, ST_EXISTS, o->outcome_session_add(f->s, &s1));
    OK(f, o->commit(f->s));
    outcome_session_rec *sv = NULL;
    OK(f, o->outcome_sessions(f->s, FACTS1, &sv, &n));
    assert_int_equal(n, 3);
    assert_session_eq(&s2, &sv[0]);
    assert_session_eq(&s3, &sv[1]);
    assert_session_eq(&s1, &sv[2]);
    free(sv);
    OK(f, o->outcome_sessions(f->s, FACTS2, &sv, &n));
    assert_int_equal(n, 0);

    /* re-keyed: the old ids are gone everywhere; the facts are otherwise the same; the sessions follow and no
     * longer name who recorded them */
    OK(f, o->begin(f->s));
    OK(f, o->facts_rekey(f->s, FACTS1, NEWFACTS, NEWKEY));
    EXPECT(f, ST_NOTFOUND, o->facts_rekey(f->s, FACTS1, NEWFACTS, NEWKEY));
    EXPECT(f, ST_NOTFOUND, o->facts_rekey(f->s, MISSING, FACTS5, NEWKEY));
    OK(f, o->commit(f->s));
    EXPECT(f, ST_NOTFOUND, o->facts_get(f->s, FACTS1, &got));
    OK(f, o->facts_get(f->s, NEWFACTS, &got));
    facts_rec want = a;
    snprintf(want.id, sizeof want.id, "%s", NEWFACTS);
    snprintf(want.client_key, sizeof want.client_key, "%s", NEWKEY);
    assert_facts_eq(&want, &got);
    OK(f, o->facts_for_client(f->s, CLIENT1, &v, &n));
    assert_int_equal(n, 1);
    assert_facts_eq(&b2, &v[0]);
    free(v);
    OK(f, o->facts_for_client(f->s, NEWKEY, &v, &n));
    assert_int_equal(n, 1);
    free(v);
    OK(f, o->outcome_sessions(f->s, FACTS1, &sv, &n));
    assert_int_equal(n, 0);
    OK(f, o->outcome_sessions(f->s, NEWFACTS, &sv, &n));
    assert_int_equal(n, 3);
    outcome_session_rec *ws[] = {&s2, &s3, &s1};
    for (int i = 0; i < 3; i++) {
        snprintf(ws[i]->facts_id, sizeof ws[i]->facts_id, "%s", NEWFACTS);
        snprintf(ws[i]->client_key, sizeof ws[i]->client_key, "%s", NEWKEY);
        ws[i]->recorded_by[0] = '\0';
        /* their times become the row's created_at as it stands (erasure coarsens the row to its day first) */
        ws[i]->intake_at = a.created_at;
        ws[i]->recorded_at = a.created_at;
        assert_session_eq(ws[i], &sv[i]);
    }
    free(sv);
    OK(f, o->outcome_sessions(f->s, FACTS3, &sv, &n)); /* another episode's sessions are untouched */
    assert_int_equal(n, 1);
    assert_session_eq(&s4, &sv[0]);
    free(sv);

    /* outside a transaction, and degenerate calls: refused, nothing written */
    facts_rec d = mk_facts(FACTS4, CLIENT2, 50, "orange", 4);
    outcome_session_rec s5 = mk_session(SESS(5), FACTS3, CLIENT2, 20002, true, 200);
    EXPECT(f, ST_INVALID, o->facts_put(f->s, &d));
    EXPECT(f, ST_INVALID, o->outcome_session_add(f->s, &s5));
    EXPECT(f, ST_INVALID, o->facts_rekey(f->s, FACTS3, FACTS5, NEWKEY));
    OK(f, o->begin(f->s));
    EXPECT(f, ST_INVALID, o->facts_put(f->s, NULL));
    facts_rec bad = d;
    bad.id[0] = '\0';
    EXPECT(f, ST_INVALID, o->facts_put(f->s, &bad));
    bad = d;
    bad.client_key[0] = '\0';
    EXPECT(f, ST_INVALID, o->facts_put(f->s, &bad));
    bad = d;
    snprintf(bad.level, sizeof bad.level, "purple");
    EXPECT(f, ST_INVALID, o->facts_put(f->s, &bad));
    bad = d;
    snprintf(bad.confirmed_level, sizeof bad.confirmed_level, "none");
    EXPECT(f, ST_INVALID, o->facts_put(f->s, &bad));
    bad = d;
    memset(bad.concerns, 'x', sizeof bad.concerns); /* not terminated */
    EXPECT(f, ST_INVALID, o->facts_put(f->s, &bad));
    bad = d;
    bad.suggestions = -1;
    EXPECT(f, ST_INVALID, o->facts_put(f->s, &bad));
    bad = d;
    bad.sessions_attended = -1;
    EXPECT(f, ST_INVALID, o->facts_put(f->s, &bad));
    bad = d;
    bad.first_session_attended = 2;
    EXPECT(f, ST_INVALID, o->facts_put(f->s, &bad));
    EXPECT(f, ST_INVALID, o->outcome_session_add(f->s, NULL));
    outcome_session_rec bs = s5;
    bs.facts_id[0] = '\0';
    EXPECT(f, ST_INVALID, o->outcome_session_add(f->s, &bs));
    bs = s5;
    bs.client_key[0] = '\0';
    EXPECT(f, ST_INVALID, o->outcome_session_add(f->s, &bs));
    bs = s5;
    snprintf(bs.recorded_by, sizeof bs.recorded_by, "a b");
    EXPECT(f, ST_INVALID, o->outcome_session_add(f->s, &bs));
    EXPECT(f, ST_INVALID, o->facts_rekey(f->s, "", FACTS5, NEWKEY));
    EXPECT(f, ST_INVALID, o->facts_rekey(f->s, FACTS3, NULL, NEWKEY));
    EXPECT(f, ST_INVALID, o->facts_rekey(f->s, FACTS3, FACTS5, ""));
    OK(f, o->commit(f->s));
    EXPECT(f, ST_NOTFOUND, o->facts_get(f->s, FACTS4, &got));
    OK(f, o->facts_get(f->s, FACTS3, &got));
    assert_facts_eq(&c, &got);
    OK(f, o->outcome_sessions(f->s, FACTS3, &sv, &n));
    assert_int_equal(n, 1);
    free(sv);
    v = (facts_rec *)&n;
    EXPECT(f, ST_INVALID, o->facts_get(f->s, "", &got));
    EXPECT(f, ST_INVALID, o->facts_get(f->s, FACTS3, NULL));
    EXPECT(f, ST_INVALID, o->facts_for_client(f->s, "", &v, &n));
    assert_null(v);
    EXPECT(f, ST_INVALID, o->facts_for_client(f->s, CLIENT1, NULL, &n));
    EXPECT(f, ST_INVALID, o->facts_for_client(f->s, CLIENT1, &v, NULL));
    EXPECT(f, ST_INVALID, o->outcome_sessions(f->s, "", &sv, &n));
    EXPECT(f, ST_INVALID, o->outcome_sessions(f->s, FACTS3, NULL, &n));
    EXPECT(f, ST_INVALID, o->outcome_sessions(f->s, FACTS3, &sv, NULL));
    assert_int_equal(o->facts_put(NULL, &d), ST_INVALID);
    assert_int_equal(o->facts_get(NULL, FACTS3, &got), ST_INVALID);
    assert_int_equal(o->facts_for_client(NULL, CLIENT1, &v, &n), ST_INVALID);
    assert_int_equal(o->facts_rekey(NULL, FACTS3, FACTS5, NEWKEY), ST_INVALID);
    assert_int_equal(o->outcome_session_add(NULL, &s5), ST_INVALID);
    assert_int_equal(o->outcome_sessions(NULL, FACTS3, &sv, &n), ST_INVALID);
}

typedef struct {
    char id[8][STORE_ID_LEN];
    facts_brief r[8];
    char level[8][8], channel[8][17], concerns[8][129], age_band[8][17], counselor[8][65], confirmed[8][8];
    int n, stop_after;
} scan_ctx;

/* Copies what the callback is given (its strings are valid during the callback only). */
static int collect_facts(void *ctx, const facts_brief *r) {
    scan_ctx *c = ctx;
    assert_true(c->n < 8);
    int i = c->n++;
    c->r[i] = *r;
    snprintf(c->level[i], sizeof c->level[i], "%s", r->level);
    snprintf(c->channel[i], sizeof c->channel[i], "%s", r->channel);
    snprintf(c->concerns[i], sizeof c->concerns[i], "%s", r->concerns);
    snprintf(c->age_band[i], sizeof c->age_band[i], "%s", r->age_band);
    snprintf(c->counselor[i], sizeof c->counselor[i], "%s", r->counselor);
    snprintf(c->confirmed[i], sizeof c->confirmed[i], "%s", r->confirmed_level);
    return c->stop_after && c->n >= c->stop_after;
}

/* The row of the scan that came from these facts (found by its distinct concerns), or -1. */
static int scan_row(const scan_ctx *c, const facts_rec *want) {
    int at = -1;
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->concerns[i], want->concerns) == 0) {
            if (at >= 0) fail_msg("%s given twice", want->id);
            at = i;
        }
    return at;
}

static void assert_brief_of(const scan_ctx *c, const facts_rec *want, unsigned flags, int64_t delay) {
    int i = scan_row(c, want);
    if (i < 0) fail_msg("%s was not given", want->id);
    assert_string_equal(c->level[i], want->level);
    assert_string_equal(c->channel[i], want->channel);
    assert_string_equal(c->age_band[i], want->age_band);
    assert_string_equal(c->counselor[i], want->counselor);
    assert_string_equal(c->confirmed[i], want->confirmed_level);
    assert_true(c->r[i].created_at == want->created_at);
    if (c->r[i].flags != flags) fail_msg("%s: flags %u, expected %u", want->id, c->r[i].flags, flags);
    assert_true(c->r[i].contact_delay == delay);
    assert_int_equal(c->r[i].suggestions, want->suggestions);
    assert_int_equal(c->r[i].declines, want->declines);
    assert_int_equal(c->r[i].sessions_attended, want->sessions_attended);
    assert_true(c->r[i].last_session_day == want->last_session_day);
}

/* facts_scan: every row with from <= created_at < to, with what a report reads of it, and its retention flag:
 * retain_n or more attended sessions within retain_days of the first. */
static void c_facts_scan(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    /* two episodes at the same time (200), so the flag must follow the id, not the time */
    facts_rec a = mk_facts(FACTS1, CLIENT1, 200, "red", 1), b = mk_facts(FACTS2, CLIENT2, 200, "orange", 2),
              c = mk_facts(FACTS3, CLIENT3, 300, "yellow", 3), early = mk_facts(FACTS4, CLIENT1, 100, "green", 4),
              edge = mk_facts(FACTS5, CLIENT1, 400, "green", 5);
    /* a: confirmed at its level, in time, contacted after 50 s, first session attended */
    a.deadline = 260;
    a.confirmed_at = 250;
    snprintf(a.confirmed_level, sizeof a.confirmed_level, "red");
    a.first_contact_at = 250;
    a.first_session_attended = 1;
    a.first_session_day = 1000;
    a.sessions_attended = 2;
    a.last_session_day = 1030;
    a.suggestions = 2;
    a.declines = 1;
    /* b: confirmed lower, after its deadline, went overdue; contacted before it was created (delay 0) */
    b.deadline = 210;
    b.confirmed_at = 220;
    snprintf(b.confirmed_level, sizeof b.confirmed_level, "yellow");
    b.overdue = true;
    b.first_contact_at = 150;
    b.first_session_attended = 0;
    b.sessions_attended = 2;
    b.last_session_day = 1045;
    /* c: confirmed, no deadline; sessions a missed one between two attended */
    c.confirmed_at = 310;
    snprintf(c.confirmed_level, sizeof c.confirmed_level, "yellow");
    c.first_session_attended = 1;
    c.sessions_attended = 2;
    outcome_session_rec ss[] = {
        mk_session(SESS(1), FACTS1, CLIENT1, 1000, true, 200),  mk_session(SESS(2), FACTS1, CLIENT1, 1030, true, 200),
        mk_session(SESS(3), FACTS2, CLIENT2, 1005, true, 200),  mk_session(SESS(4), FACTS2, CLIENT2, 1045, true, 200),
        mk_session(SESS(5), FACTS3, CLIENT3, 1000, true, 300),  mk_session(SESS(6), FACTS3, CLIENT3, 1010, false, 300),
        mk_session(SESS(7), FACTS3, CLIENT3, 1020, true, 300),  mk_session(SESS(8), FACTS4, CLIENT1, 1000, true, 100),
        mk_session(SESS(9), FACTS4, CLIENT1, 1001, true, 100),
    };
    OK(f, o->begin(f->s));
    facts_rec *all[] = {&a, &b, &c, &early, &edge};
    for (size_t i = 0; i < 5; i++) OK(f, o->facts_put(f->s, all[i]));
    for (size_t i = 0; i < sizeof ss / sizeof ss[0]; i++) OK(f, o->outcome_session_add(f->s, &ss[i]));
    OK(f, o->commit(f->s));

    scan_ctx x;
    memset(&x, 0, sizeof x);
    OK(f, o->facts_scan(f->s, 200, 400, 2, 30, collect_facts, &x));
    assert_int_equal(x.n, 3); /* not 100 (before), not 400 (the end is excluded) */
    assert_brief_of(&x, &a, FB_CONFIRMED | FB_CONFIRMED_SAME | FB_WITH_DEADLINE | FB_IN_TIME | FB_FIRST_ATTENDED | FB_RETAINED,
                    50);
    assert_brief_of(&x, &b, FB_CONFIRMED | FB_WITH_DEADLINE | FB_OVERDUE, 0); /* 40 days apart: not retained */
    assert_brief_of(&x, &c, FB_CONFIRMED | FB_CONFIRMED_SAME | FB_FIRST_ATTENDED | FB_RETAINED, -1);
    assert_true(scan_row(&x, &early) < 0 && scan_row(&x, &edge) < 0);

    /* the rule is the caller's: within 45 days b is retained too; three sessions retain no one */
    memset(&x, 0, sizeof x);
    OK(f, o->facts_scan(f->s, 200, 400, 2, 45, collect_facts, &x));
    assert_int_equal(x.n, 3);
    assert_true(x.r[scan_row(&x, &b)].flags & FB_RETAINED);
    memset(&x, 0, sizeof x);
    OK(f, o->facts_scan(f->s, 200, 400, 3, 365, collect_facts, &x));
    for (int i = 0; i < x.n; i++) assert_false(x.r[i].flags & FB_RETAINED);
    memset(&x, 0, sizeof x);
    OK(f, o->facts_scan(f->s, 200, 400, 1, 0, collect_facts, &x)); /* one attended session retains */
    assert_true(x.r[scan_row(&x, &a)].flags & FB_RETAINED);
    assert_true(x.r[scan_row(&x, &b)].flags & FB_RETAINED);
    memset(&x, 0, sizeof x);
    OK(f, o->facts_scan(f->s, INT64_MIN, INT64_MAX, 2, 30, collect_facts, &x));
    assert_int_equal(x.n, 5);
    assert_brief_of(&x, &early, FB_RETAINED, -1);
    memset(&x, 0, sizeof x);
    OK(f, o->facts_scan(f->s, 400, 200, 2, 30, collect_facts, &x)); /* an empty range */
    assert_int_equal(x.n, 0);
    OK(f, o->facts_scan(f->s, 201, 300, 2, 30, collect_facts, &x));
    assert_int_equal(x.n, 0);
    memset(&x, 0, sizeof x);
    x.stop_after = 2;
    OK(f, o->facts_scan(f->s, INT64_MIN, INT64_MAX, 2, 30, collect_facts, &x));
    assert_int_equal(x.n, 2);

    memset(&x, 0, sizeof x);
    EXPECT(f, ST_INVALID, o->facts_scan(f->s, 0, 1000, 2, 30, NULL, &x));
    EXPECT(f, ST_INVALID, o->facts_scan(f->s, 0, 1000, 0, 30, collect_facts, &x));
    EXPECT(f, ST_INVALID, o->facts_scan(f->s, 0, 1000, -1, 30, collect_facts, &x));
    EXPECT(f, ST_INVALID, o->facts_scan(f->s, 0, 1000, 2, -1, collect_facts, &x));
    assert_int_equal(o->facts_scan(NULL, 0, 1000, 2, 30, collect_facts, &x), ST_INVALID);
    assert_int_equal(x.n, 0);
}

typedef struct {
    bool *seen;
    int n, stop_after;
    int64_t last_at;
    bool ordered;
    int nulls;
} between_ctx;

static int collect_between(void *ctx, const intake_rec *r) {
    between_ctx *c = ctx;
    unsigned idx = 0;
    if (sscanf(r->id, "1b000000-0000-4000-8000-%12u", &idx) != 1) fail_msg("unexpected intake %s", r->id);
    if (c->seen[idx]) fail_msg("%s given twice", r->id);
    c->seen[idx] = true;
    if (r->created_at < c->last_at) c->ordered = false;
    c->last_at = r->created_at;
    intake_rec want = mk_intake(r->id, CLIENT1, STAFF1, r->created_at, idx % 4 ? "green" : "red", 10 + idx % 7,
                                idx % 2 ? 3 : 0, idx);
    assert_true(r->created_at == 1000 + idx / 3);
    assert_intake_eq(&want, r);
    intake_rec_free(&want);
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

/* intake_each_between: every intake with from <= created_at < to, once each, oldest first, across as many
 * pages as it takes (three intakes share each time, so a page whose size is not a multiple of three ends
 * inside a run of equal times). */
static void c_intake_each_between(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    enum { N = 1100 };
    OK(f, o->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 0, 0, 1);
    for (int i = N - 1; i >= 0; i--) { /* newest first: the order must come from the times */
        char id[STORE_ID_LEN];
        snprintf(id, sizeof id, "1b000000-0000-4000-8000-%012d", i);
        intake_rec r = mk_intake(id, CLIENT1, STAFF1, 1000 + i / 3, i % 4 ? "green" : "red", 10 + (size_t)(i % 7),
                                 i % 2 ? 3 : 0, (unsigned)i);
        OK(f, o->intake_insert(f->s, &r));
        intake_rec_free(&r);
    }
    OK(f, o->commit(f->s));
    bool seen[N];
    struct {
        int64_t from, to;
        int lo, hi; /* the indexes expected: lo <= i < hi */
    } cases[] = {{INT64_MIN, INT64_MAX, 0, N}, {1000, 1367, 0, 1100}, {1000, 1100, 0, 300}, {1010, 1011, 30, 33},
                 {1100, 1250, 300, 750}, {1367, 2000, 0, 0}, {900, 1000, 0, 0}, {1050, 1050, 0, 0}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        memset(seen, 0, sizeof seen);
        between_ctx c = {seen, 0, 0, INT64_MIN, true, 0};
        OK(f, o->intake_each_between(f->s, cases[k].from, cases[k].to, collect_between, &c));
        assert_true(c.ordered);
        assert_int_equal(c.n, cases[k].hi - cases[k].lo);
        for (int i = cases[k].lo; i < cases[k].hi; i++)
            if (!seen[i]) fail_msg("case %zu: intake %d was not given", k, i);
    }
    memset(seen, 0, sizeof seen);
    between_ctx c = {seen, 0, 300, INT64_MIN, true, 0};
    OK(f, o->intake_each_between(f->s, INT64_MIN, INT64_MAX, collect_between, &c));
    assert_int_equal(c.n, 300);
    for (int i = 0; i < 300; i++) assert_true(seen[i]); /* the oldest 300 */
    EXPECT(f, ST_INVALID, o->intake_each_between(f->s, 0, 2000, NULL, &c));
    assert_int_equal(o->intake_each_between(NULL, 0, 2000, collect_between, &c), ST_INVALID);
    assert_int_equal(c.n, 300);
}

/* intake_each_joined: the intakes intake_each_between gives, in its order, each with its client's row (as
 * client_get reads it, its key too) and its facts row when it has one (as facts_get reads it), across pages. */
typedef struct {
    fx *f;
    int n, with_facts, stop_after;
    int64_t last_at;
    bool seen[600];
} joined_ctx;

static int collect_joined(void *ctx, const intake_joined *j) {
    joined_ctx *c = ctx;
    const store_ops *o = c->f->ops;
    unsigned idx = 0;
    if (sscanf(j->intake.id, "1c000000-0000-4000-8000-%12u", &idx) != 1) fail_msg("unexpected intake %s", j->intake.id);
    if (idx >= 600 || c->seen[idx]) fail_msg("intake %u given twice", idx);
    c->seen[idx] = true;
    assert_true(j->intake.created_at >= c->last_at);
    c->last_at = j->intake.created_at;
    intake_rec want = mk_intake(j->intake.id, idx % 2 ? CLIENT2 : CLIENT1, STAFF1, 1000 + idx / 3, "green", 12, 0, idx);
    assert_intake_eq(&want, &j->intake);
    intake_rec_free(&want);
    assert_true(j->has_client);
    client_rec c1;
    OK(c->f, o->client_get(c->f->s, j->intake.client_id, &c1));
    assert_client_eq(&c1, &j->client);
    client_rec_free(&c1);
    facts_rec fr;
    bool has = o->facts_get(c->f->s, j->intake.id, &fr) == ST_OK;
    assert_int_equal(j->has_facts, has);
    assert_int_equal(has, idx % 3 == 0);
    if (has) assert_facts_eq(&fr, &j->facts);
    c->with_facts += j->has_facts;
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

static void c_intake_each_joined(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    enum { N = 600 };
    OK(f, o->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 8, 10, 1);
    add_client(f, CLIENT2, 1, 0, 0, 2);
    for (int i = N - 1; i >= 0; i--) {
        char id[STORE_ID_LEN];
        snprintf(id, sizeof id, "1c000000-0000-4000-8000-%012d", i);
        intake_rec r = mk_intake(id, i % 2 ? CLIENT2 : CLIENT1, STAFF1, 1000 + i / 3, "green", 12, 0, (unsigned)i);
        OK(f, o->intake_insert(f->s, &r));
        intake_rec_free(&r);
        if (i % 3 == 0) {
            facts_rec fr = mk_facts(id, i % 2 ? CLIENT2 : CLIENT1, 1000 + i / 3, "green", (unsigned)i);
            OK(f, o->facts_put(f->s, &fr));
        }
    }
    OK(f, o->commit(f->s));
    joined_ctx c = {f, 0, 0, 0, INT64_MIN, {false}};
    OK(f, o->intake_each_joined(f->s, INT64_MIN, INT64_MAX, collect_joined, &c));
    assert_int_equal(c.n, N);
    assert_int_equal(c.with_facts, N / 3);
    joined_ctx part = {f, 0, 0, 0, INT64_MIN, {false}};
    OK(f, o->intake_each_joined(f->s, 1000, 1100, collect_joined, &part)); /* intakes 0..299 */
    assert_int_equal(part.n, 300);
    for (int i = 0; i < 300; i++) assert_true(part.seen[i]);
    joined_ctx stop = {f, 0, 0, 10, INT64_MIN, {false}};
    OK(f, o->intake_each_joined(f->s, INT64_MIN, INT64_MAX, collect_joined, &stop));
    assert_int_equal(stop.n, 10);
    EXPECT(f, ST_INVALID, o->intake_each_joined(f->s, 0, 2000, NULL, &c));
    assert_int_equal(o->intake_each_joined(NULL, 0, 2000, collect_joined, &c), ST_INVALID);
}

/* intake_get_keyed: the intake as intake_get reads it, with its client's sealed key as client_get reads it
 * (empty for a client without one yet); an intake that is not there is ST_NOTFOUND. */
static void c_intake_get_keyed(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    OK(f, o->begin(f->s));
    add_staff(f, STAFF1, "amy");
    client_rec c1 = mk_client(CLIENT1, STAFF1, 10, 0, 0, 1);
    c1.key_ct = mkb(VAULT_CLIENT_KEY_SEALED, 7);
    OK(f, o->client_insert(f->s, &c1));
    add_client(f, CLIENT2, 10, 0, 0, 2); /* no key yet: before the upgrade reached it */
    const char *ids[2] = {"1e000000-0000-4000-8000-000000000001", "1e000000-0000-4000-8000-000000000002"};
    for (int i = 0; i < 2; i++) {
        intake_rec r = mk_intake(ids[i], i ? CLIENT2 : CLIENT1, STAFF1, 1000 + i, "orange", 20, (size_t)(i * 5),
                                 (unsigned)i);
        snprintf(r.suggested, sizeof r.suggested, "c0%d", i);
        OK(f, o->intake_insert(f->s, &r));
        intake_rec_free(&r);
    }
    OK(f, o->commit(f->s));
    for (int i = 0; i < 2; i++) {
        intake_rec want, got;
        blob key;
        OK(f, o->intake_get(f->s, ids[i], &want));
        OK(f, o->intake_get_keyed(f->s, ids[i], &got, &key));
        assert_intake_eq(&want, &got);
        client_rec c;
        OK(f, o->client_get(f->s, got.client_id, &c));
        assert_blob_eq(&c.key_ct, &key);
        assert_int_equal(key.n, i ? 0 : VAULT_CLIENT_KEY_SEALED);
        client_rec_free(&c);
        intake_rec_free(&want);
        intake_rec_free(&got);
        blob_free(&key);
    }
    intake_rec r;
    blob key;
    EXPECT(f, ST_NOTFOUND, o->intake_get_keyed(f->s, "1e000000-0000-4000-8000-000000000009", &r, &key));
    assert_null(key.p);
    EXPECT(f, ST_INVALID, o->intake_get_keyed(f->s, "not an id", &r, &key));
    EXPECT(f, ST_INVALID, o->intake_get_keyed(f->s, ids[0], NULL, &key));
    EXPECT(f, ST_INVALID, o->intake_get_keyed(f->s, ids[0], &r, NULL));
    assert_int_equal(o->intake_get_keyed(NULL, ids[0], &r, &key), ST_INVALID);
    client_rec_free(&c1);
}

/* intake_clear_each: the intakes intake_each_between gives, in its order, each with the clear columns intake_get
 * reads (id, client, time, level, suggested counselor: a NULL one as "") and its facts row when it has one (as
 * facts_get reads it), across pages. (A damaged level refuses its read, as intake_get's: s_damaged_rows.) */
typedef struct {
    fx *f;
    int n, with_facts, stop_after;
    int64_t last_at;
    bool seen[600];
} clear_ctx;

static int collect_clear(void *ctx, const intake_clear *r) {
    clear_ctx *c = ctx;
    const store_ops *o = c->f->ops;
    unsigned idx = 0;
    if (sscanf(r->id, "1d000000-0000-4000-8000-%12u", &idx) != 1) fail_msg("unexpected intake %s", r->id);
    if (idx >= 600 || c->seen[idx]) fail_msg("intake %u given twice", idx);
    c->seen[idx] = true;
    assert_true(r->created_at >= c->last_at);
    c->last_at = r->created_at;
    intake_rec got;
    OK(c->f, o->intake_get(c->f->s, r->id, &got));
    assert_string_equal(r->client_id, got.client_id);
    assert_true(r->created_at == got.created_at);
    assert_string_equal(r->level, got.level);
    assert_string_equal(r->suggested, got.suggested);
    assert_string_equal(r->suggested, idx % 5 ? "c07" : "");
    intake_rec_free(&got);
    facts_rec fr;
    bool has = o->facts_get(c->f->s, r->id, &fr) == ST_OK;
    assert_int_equal(r->has_facts, has);
    assert_int_equal(has, idx % 3 == 0);
    if (has) assert_facts_eq(&fr, &r->facts);
    c->with_facts += r->has_facts;
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

static void c_intake_clear_each(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    enum { N = 600 };
    OK(f, o->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 8, 10, 1);
    add_client(f, CLIENT2, 1, 0, 0, 2);
    for (int i = N - 1; i >= 0; i--) { /* newest first: the order must come from the times */
        char id[STORE_ID_LEN];
        snprintf(id, sizeof id, "1d000000-0000-4000-8000-%012d", i);
        intake_rec r = mk_intake(id, i % 2 ? CLIENT2 : CLIENT1, STAFF1, 1000 + i / 3, i % 4 ? "green" : "red", 12, 0,
                                 (unsigned)i);
        if (i % 5) snprintf(r.suggested, sizeof r.suggested, "c07");
        OK(f, o->intake_insert(f->s, &r));
        intake_rec_free(&r);
        if (i % 3 == 0) {
            facts_rec fr = mk_facts(id, i % 2 ? CLIENT2 : CLIENT1, 1000 + i / 3, "green", (unsigned)i);
            OK(f, o->facts_put(f->s, &fr));
        }
    }
    OK(f, o->commit(f->s));
    clear_ctx c = {f, 0, 0, 0, INT64_MIN, {false}};
    OK(f, o->intake_clear_each(f->s, INT64_MIN, INT64_MAX, collect_clear, &c));
    assert_int_equal(c.n, N);
    assert_int_equal(c.with_facts, N / 3);
    clear_ctx part = {f, 0, 0, 0, INT64_MIN, {false}};
    OK(f, o->intake_clear_each(f->s, 1000, 1100, collect_clear, &part)); /* intakes 0..299 */
    assert_int_equal(part.n, 300);
    for (int i = 0; i < 300; i++) assert_true(part.seen[i]);
    clear_ctx none = {f, 0, 0, 0, INT64_MIN, {false}};
    OK(f, o->intake_clear_each(f->s, 1200, 2000, collect_clear, &none));
    assert_int_equal(none.n, 0);
    clear_ctx stop = {f, 0, 0, 10, INT64_MIN, {false}};
    OK(f, o->intake_clear_each(f->s, INT64_MIN, INT64_MAX, collect_clear, &stop));
    assert_int_equal(stop.n, 10);
    EXPECT(f, ST_INVALID, o->intake_clear_each(f->s, 0, 2000, NULL, &c));
    assert_int_equal(o->intake_clear_each(NULL, 0, 2000, collect_clear, &c), ST_INVALID);
}

/* Bytes no other value of a test shares (fill() repeats a pattern across seeds). */
static blob rnd_blob(size_t n, uint64_t seed) {
    blob b = {malloc(n), n};
    assert_non_null(b.p);
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b.p[i] = (unsigned char)(x >> 24);
    }
    return b;
}

/* Whether any 24-byte stretch of v occurs in hay. */
static bool holds_part_of(const char *hay, size_t hn, const blob *v) {
    const size_t w = v->n < 24 ? v->n : 24;
    for (size_t off = 0; off + w <= v->n; off += w)
        for (size_t i = 0; i + w <= hn; i++)
            if (memcmp(hay + i, v->p + off, w) == 0) return true;
    return false;
}

/* A backup of the database as it is now (the portable way to see everything a backend keeps). */
static char *backup_bytes(fx *f, const char *name, size_t *n) {
    char dest[256];
    error err = {0};
    snprintf(dest, sizeof dest, "%s/%s", f->dir, name);
    OK(f, f->ops->backup(f->s, dest, &err));
    return read_all(dest, n);
}

/* client_erase: every row of the client goes (its queue history, queue items, intakes, blind-index entries,
 * the client row), its sealed values are overwritten first so no copy can be recovered, and nothing of
 * another client changes; the de-identified facts stay. */
static void c_client_erase(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    client_rec gone = mk_client(CLIENT1, STAFF1, 1, 0, 0, 1), kept = mk_client(CLIENT2, STAFF1, 1, 0, 0, 2);
    blob_free(&gone.name_ct);
    blob_free(&kept.name_ct);
    gone.name_ct = rnd_blob(64, 1);
    gone.phone_ct = rnd_blob(40, 2);
    gone.birth_ct = rnd_blob(40, 3);
    kept.name_ct = rnd_blob(64, 4);
    intake_rec ig1 = mk_intake(INTAKE1, CLIENT1, STAFF1, 10, "red", 1, 0, 1),
               ig2 = mk_intake(INTAKE2, CLIENT1, STAFF1, 20, "orange", 1, 0, 2),
               ik = mk_intake(INTAKE3, CLIENT2, STAFF1, 30, "green", 1, 0, 3);
    blob_free(&ig1.body_ct);
    blob_free(&ig2.body_ct);
    blob_free(&ik.body_ct);
    ig1.body_ct = rnd_blob(9000, 5); /* larger than a page */
    ig1.notes_ct = rnd_blob(300, 6);
    ig2.body_ct = rnd_blob(500, 7);
    ik.body_ct = rnd_blob(500, 8);
    queue_rec qg = mk_queue(QA, CLIENT1, INTAKE1, "red", "open", 100, 10),
              qg2 = mk_queue(QB, CLIENT1, INTAKE2, "orange", "closed", 0, 20),
              qk = mk_queue(QC, CLIENT2, INTAKE3, "green", "open", 0, 30);
    queue_event_rec eg = mk_event(EV1, QA, 11, STAFF1, 0, 1), eg2 = mk_event(EV2, QB, 21, "", 0, 2),
                    ek = mk_event(EV3, QC, 31, STAFF1, 0, 3);
    eg.reason_ct = rnd_blob(120, 9);
    ek.reason_ct = rnd_blob(120, 10);
    facts_rec fg = mk_facts(INTAKE1, CLIENT1, 10, "red", 1);
    draft_rec d = mk_draft(DRAFT1, STAFF1, 5, 1, 1);
    blob_free(&d.body_ct);
    d.body_ct = rnd_blob(200, 11);
    OK(f, o->begin(f->s));
    add_staff(f, STAFF1, "amy");
    OK(f, o->client_insert(f->s, &gone));
    OK(f, o->client_insert(f->s, &kept));
    OK(f, o->intake_insert(f->s, &ig1));
    OK(f, o->intake_insert(f->s, &ig2));
    OK(f, o->intake_insert(f->s, &ik));
    OK(f, o->queue_put(f->s, &qg));
    OK(f, o->queue_put(f->s, &qg2));
    OK(f, o->queue_put(f->s, &qk));
    OK(f, o->queue_event_add(f->s, &eg));
    OK(f, o->queue_event_add(f->s, &eg2));
    OK(f, o->queue_event_add(f->s, &ek));
    OK(f, o->bidx_add(f->s, 7, CLIENT1));
    OK(f, o->bidx_add(f->s, 8, CLIENT1));
    OK(f, o->bidx_add(f->s, 7, CLIENT2));
    OK(f, o->facts_put(f->s, &fg));
    OK(f, o->draft_put(f->s, &d));
    OK(f, o->commit(f->s));
    const blob *secrets[] = {&gone.name_ct, &gone.phone_ct, &gone.birth_ct, &ig1.body_ct, &ig1.notes_ct, &ig2.body_ct,
                             &eg.reason_ct};
    size_t bn = 0;
    char *before = backup_bytes(f, "before.db", &bn);
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        assert_true(holds_part_of(before, bn, secrets[i])); /* the search finds what is there */
    free(before);

    /* refused: outside a transaction, degenerate ids, a client that is not there; nothing erased */
    EXPECT(f, ST_INVALID, o->client_erase(f->s, CLIENT1));
    OK(f, o->begin(f->s));
    EXPECT(f, ST_INVALID, o->client_erase(f->s, ""));
    EXPECT(f, ST_INVALID, o->client_erase(f->s, NULL));
    EXPECT(f, ST_INVALID, o->client_erase(f->s, "c1 x"));
    EXPECT(f, ST_NOTFOUND, o->client_erase(f->s, MISSING));
    OK(f, o->commit(f->s));
    assert_int_equal(o->client_erase(NULL, CLIENT1), ST_INVALID);
    client_rec cg;
    OK(f, o->client_get(f->s, CLIENT1, &cg));
    assert_client_eq(&gone, &cg);
    client_rec_free(&cg);

    OK(f, o->begin(f->s));
    OK(f, o->client_erase(f->s, CLIENT1));
    OK(f, o->commit(f->s));

    EXPECT(f, ST_NOTFOUND, o->client_get(f->s, CLIENT1, &cg));
    int64_t cnt = 0;
    OK(f, o->client_count(f->s, &cnt));
    assert_true(cnt == 1);
    intake_rec ig;
    EXPECT(f, ST_NOTFOUND, o->intake_get(f->s, INTAKE1, &ig));
    EXPECT(f, ST_NOTFOUND, o->intake_get(f->s, INTAKE2, &ig));
    intake_rec *il = NULL;
    int n = -1;
    OK(f, o->intake_list_for_client(f->s, CLIENT1, &il, &n));
    assert_int_equal(n, 0);
    queue_rec q;
    EXPECT(f, ST_NOTFOUND, o->queue_get(f->s, QA, &q));
    EXPECT(f, ST_NOTFOUND, o->queue_get(f->s, QB, &q)); /* closed items too */
    EXPECT(f, ST_NOTFOUND, o->queue_open_for_client(f->s, CLIENT1, &q));
    queue_event_rec *ev = NULL;
    OK(f, o->queue_events(f->s, QA, &ev, &n));
    assert_int_equal(n, 0);
    OK(f, o->queue_events(f->s, QB, &ev, &n));
    assert_int_equal(n, 0);
    char(*ids)[STORE_ID_LEN] = NULL;
    OK(f, o->bidx_find(f->s, 7, &ids, &n));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], CLIENT2);
    free(ids);
    OK(f, o->bidx_find(f->s, 8, &ids, &n));
    assert_int_equal(n, 0);
    facts_rec fr;
    OK(f, o->facts_get(f->s, INTAKE1, &fr)); /* the facts stay (the caller re-keys them) */
    assert_facts_eq(&fg, &fr);

    /* the other client, its rows and the draft are untouched */
    OK(f, o->client_get(f->s, CLIENT2, &cg));
    assert_client_eq(&kept, &cg);
    client_rec_free(&cg);
    OK(f, o->intake_get(f->s, INTAKE3, &ig));
    assert_intake_eq(&ik, &ig);
    intake_rec_free(&ig);
    OK(f, o->queue_get(f->s, QC, &q));
    assert_queue_eq(&qk, &q);
    OK(f, o->queue_events(f->s, QC, &ev, &n));
    assert_int_equal(n, 1);
    assert_event_eq(&ek, &ev[0]);
    free_events(ev, n);
    draft_rec dg;
    OK(f, o->draft_for_staff(f->s, STAFF1, &dg));
    assert_blob_eq(&d.body_ct, &dg.body_ct);
    draft_rec_free(&dg);
    sealed_ctx sc = {0};
    OK(f, o->each_sealed(f->s, collect_sealed, &sc));
    assert_int_equal(sc.n, 4); /* kept's name, ik's body, ek's reason, the draft */
    expect_sealed(&sc, "clients", "name", CLIENT2, &kept.name_ct, false);
    expect_sealed(&sc, "intakes", "body", INTAKE3, &ik.body_ct, false);
    expect_sealed(&sc, "queue_events", "reason", EV3, &ek.reason_ct, false);
    expect_sealed(&sc, "drafts", "body", DRAFT1, &d.body_ct, false);
    sealed_ctx_free(&sc);
    char msg[256];
    OK(f, o->integrity_check(f->s, msg, sizeof msg));

    /* no copy of an erased value anywhere in the database, free space included */
    char *after = backup_bytes(f, "after.db", &bn);
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        if (holds_part_of(after, bn, secrets[i])) fail_msg("sealed value %zu of the erased client is still there", i);
    assert_true(holds_part_of(after, bn, &kept.name_ct));
    assert_true(holds_part_of(after, bn, &ik.body_ct));
    free(after);

    client_rec_free(&gone);
    client_rec_free(&kept);
    intake_rec_free(&ig1);
    intake_rec_free(&ig2);
    intake_rec_free(&ik);
    queue_event_rec_free(&eg);
    queue_event_rec_free(&eg2);
    queue_event_rec_free(&ek);
    draft_rec_free(&d);
}

static bool draft_listed(const draft_rec *v, int n, const char *id) {
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0) return true;
    return false;
}

static void free_drafts(draft_rec *v, int n) {
    for (int i = 0; i < n; i++) draft_rec_free(&v[i]);
    free(v);
}

/* drafts_before: the drafts last saved before the cutoff, every field back; draft_erase: the body
 * overwritten and the draft deleted, no copy left, the others untouched. */
static void c_drafts_erase(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    draft_rec d1 = mk_draft(DRAFT1, STAFF1, 100, 1, 1), d2 = mk_draft(DRAFT2, STAFF2, 200, 1, 2),
              d3 = mk_draft(DRAFT3, STAFF3, 300, 1, 3);
    draft_rec *all[] = {&d1, &d2, &d3};
    for (int i = 0; i < 3; i++) {
        blob_free(&all[i]->body_ct);
        all[i]->body_ct = rnd_blob(150 + 2000 * (size_t)i, 20 + (uint64_t)i);
    }
    draft_rec *v = NULL;
    int n = -1;
    OK(f, o->drafts_before(f->s, INT64_MAX, &v, &n));
    assert_int_equal(n, 0);
    OK(f, o->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_staff(f, STAFF2, "bob");
    add_staff(f, STAFF3, "cat");
    for (int i = 0; i < 3; i++) OK(f, o->draft_put(f->s, all[i]));
    OK(f, o->commit(f->s));

    OK(f, o->drafts_before(f->s, 200, &v, &n)); /* saved at 200 is not before 200 */
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, DRAFT1);
    assert_string_equal(v[0].staff_id, STAFF1);
    assert_true(v[0].updated_at == 100);
    assert_blob_eq(&d1.body_ct, &v[0].body_ct);
    free_drafts(v, n);
    OK(f, o->drafts_before(f->s, 100, &v, &n));
    assert_int_equal(n, 0);
    OK(f, o->drafts_before(f->s, INT64_MAX, &v, &n));
    assert_int_equal(n, 3);
    for (int i = 0; i < 3; i++) assert_true(draft_listed(v, n, all[i]->id));
    free_drafts(v, n);

    /* refused: outside a transaction, degenerate ids, a missing draft */
    EXPECT(f, ST_INVALID, o->draft_erase(f->s, DRAFT2));
    OK(f, o->begin(f->s));
    EXPECT(f, ST_INVALID, o->draft_erase(f->s, ""));
    EXPECT(f, ST_INVALID, o->draft_erase(f->s, NULL));
    EXPECT(f, ST_NOTFOUND, o->draft_erase(f->s, MISSING));
    OK(f, o->commit(f->s));
    assert_int_equal(o->draft_erase(NULL, DRAFT2), ST_INVALID);
    OK(f, o->drafts_before(f->s, INT64_MAX, &v, &n));
    assert_int_equal(n, 3);
    free_drafts(v, n);

    OK(f, o->begin(f->s));
    OK(f, o->draft_erase(f->s, DRAFT2));
    EXPECT(f, ST_NOTFOUND, o->draft_erase(f->s, DRAFT2));
    OK(f, o->commit(f->s));
    draft_rec dg;
    EXPECT(f, ST_NOTFOUND, o->draft_for_staff(f->s, STAFF2, &dg));
    OK(f, o->draft_for_staff(f->s, STAFF3, &dg));
    assert_blob_eq(&d3.body_ct, &dg.body_ct);
    draft_rec_free(&dg);
    OK(f, o->drafts_before(f->s, INT64_MAX, &v, &n));
    assert_int_equal(n, 2);
    assert_false(draft_listed(v, n, DRAFT2));
    free_drafts(v, n);
    size_t bn = 0;
    char *after = backup_bytes(f, "after.db", &bn);
    assert_false(holds_part_of(after, bn, &d2.body_ct));
    assert_true(holds_part_of(after, bn, &d3.body_ct));
    free(after);

    v = (draft_rec *)&n;
    EXPECT(f, ST_INVALID, o->drafts_before(f->s, 10, &v, NULL));
    assert_null(v);
    EXPECT(f, ST_INVALID, o->drafts_before(f->s, 10, NULL, &n));
    assert_int_equal(o->drafts_before(NULL, 10, &v, &n), ST_INVALID);
    for (int i = 0; i < 3; i++) draft_rec_free(all[i]);
}

/* clients_closed_before: the clients that have queue items, all of them closed before the cutoff, and no
 * intake since. */
static void c_clients_closed_before(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    char(*ids)[STORE_ID_LEN] = NULL;
    int n = -1;
    OK(f, o->clients_closed_before(f->s, INT64_MAX, &ids, &n));
    assert_int_equal(n, 0);
    intake_rec i1 = mk_intake(INTAKE1, CLIENT1, STAFF1, 50, "red", 10, 0, 1),
               i2 = mk_intake(INTAKE2, CLIENT2, STAFF1, 50, "red", 10, 0, 2),
               i3 = mk_intake(INTAKE3, CLIENT3, STAFF1, 50, "red", 10, 0, 3),
               i4 = mk_intake(INTAKE4, CLIENT4, STAFF1, 60, "red", 10, 0, 4),
               i4b = mk_intake("1a000000-0000-4000-8000-000000000005", CLIENT4, STAFF1, 160, "red", 10, 0, 5);
    queue_rec q1 = mk_queue(QA, CLIENT1, INTAKE1, "red", "closed", 0, 50), /* closed at 100 */
        q1b = mk_queue(QB, CLIENT1, INTAKE1, "red", "closed", 0, 50),     /* closed at 90 */
        q2 = mk_queue(QC, CLIENT2, INTAKE2, "red", "closed", 0, 50),      /* one closed ... */
        q2b = mk_queue(QD, CLIENT2, INTAKE2, "red", "contacted", 0, 50),  /* ... one still open */
        q4 = mk_queue(QE, CLIENT4, INTAKE4, "red", "closed", 0, 60);      /* closed, then a new intake at 160 */
    q1.updated_at = 100;
    q1b.updated_at = 90;
    q2.updated_at = 100;
    q4.updated_at = 100;
    OK(f, o->begin(f->s));
    add_staff(f, STAFF1, "amy");
    add_client(f, CLIENT1, 10, 0, 0, 1);
    add_client(f, CLIENT2, 10, 0, 0, 2);
    add_client(f, CLIENT3, 10, 0, 0, 3); /* never queued */
    add_client(f, CLIENT4, 10, 0, 0, 4);
    intake_rec *in[] = {&i1, &i2, &i3, &i4, &i4b};
    for (int i = 0; i < 5; i++) OK(f, o->intake_insert(f->s, in[i]));
    queue_rec *qs[] = {&q1, &q1b, &q2, &q2b, &q4};
    for (int i = 0; i < 5; i++) OK(f, o->queue_put(f->s, qs[i]));
    OK(f, o->commit(f->s));

    OK(f, o->clients_closed_before(f->s, 100, &ids, &n)); /* closed at 100 is not before 100 */
    assert_int_equal(n, 0);
    OK(f, o->clients_closed_before(f->s, 150, &ids, &n));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], CLIENT1);
    free(ids);
    OK(f, o->clients_closed_before(f->s, 200, &ids, &n)); /* CLIENT4's last intake (160) is before it now */
    assert_int_equal(n, 2);
    assert_true(has_id(ids, n, CLIENT1) && has_id(ids, n, CLIENT4));
    free(ids);
    OK(f, o->clients_closed_before(f->s, INT64_MAX, &ids, &n));
    assert_int_equal(n, 2);
    assert_false(has_id(ids, n, CLIENT2) || has_id(ids, n, CLIENT3));
    free(ids);

    ids = (char(*)[STORE_ID_LEN]) & n;
    EXPECT(f, ST_INVALID, o->clients_closed_before(f->s, 10, &ids, NULL));
    assert_null(ids);
    EXPECT(f, ST_INVALID, o->clients_closed_before(f->s, 10, NULL, &n));
    assert_int_equal(o->clients_closed_before(NULL, 10, &ids, &n), ST_INVALID);
    for (int i = 0; i < 5; i++) intake_rec_free(in[i]);
}

typedef struct {
    const store_ops *ops;
    store *writer;
    bool complete;
    store_status st;
    int calls;
} ckpt_ctx;

/* While the scan's connection reads (its callback runs), another desk commits and checkpoints: the reader
 * keeps part of the WAL, so the checkpoint is not complete. */
static int checkpoint_while_reading(void *ctx, const facts_brief *r) {
    (void)r;
    ckpt_ctx *c = ctx;
    if (c->calls++) return 1;
    unsigned char v[4] = {1, 2, 3, 4};
    c->st = c->ops->begin(c->writer);
    if (c->st == ST_OK) c->st = c->ops->meta_set(c->writer, "k", v, sizeof v);
    if (c->st == ST_OK) c->st = c->ops->commit(c->writer);
    c->complete = true;
    if (c->st == ST_OK) c->st = c->ops->purge_old_versions(c->writer, &c->complete);
    return 1;
}

/* checkpoint: complete when no other desk is reading; not complete (and not an error) while one is; refused
 * inside a transaction. */
static void c_checkpoint(void **state) {
    fx *f = *state;
    const store_ops *o = f->ops;
    bool done = false;
    OK(f, o->purge_old_versions(f->s, &done));
    assert_true(done);
    facts_rec a = mk_facts(FACTS1, CLIENT1, 10, "red", 1);
    OK(f, o->begin(f->s));
    add_staff(f, STAFF1, "amy");
    OK(f, o->facts_put(f->s, &a));
    OK(f, o->commit(f->s));
    done = false;
    OK(f, o->purge_old_versions(f->s, &done));
    assert_true(done);

    store *w = NULL;
    error err = {0};
    assert_int_equal(o->open(f->path, false, 50, &w, &err), ST_OK);
    ckpt_ctx c = {o, w, true, ST_IO, 0};
    OK(f, o->facts_scan(f->s, 0, 100, 1, 1, checkpoint_while_reading, &c));
    assert_int_equal(c.calls, 1);
    assert_int_equal(c.st, ST_OK);
    assert_false(c.complete);
    done = false;
    assert_int_equal(o->purge_old_versions(w, &done), ST_OK); /* the reader is done: now it completes */
    assert_true(done);
    o->close(w);
    blob b;
    OK(f, o->meta_get(f->s, "k", &b)); /* nothing was lost */
    assert_int_equal(b.n, 4);
    blob_free(&b);

    OK(f, o->begin(f->s));
    done = true;
    EXPECT(f, ST_INVALID, o->purge_old_versions(f->s, &done));
    assert_false(done);
    f->ops->rollback(f->s);
    EXPECT(f, ST_INVALID, o->purge_old_versions(f->s, NULL));
    assert_int_equal(o->purge_old_versions(NULL, &done), ST_INVALID);
}

/* What a backend keeps beside a database that could carry an older one's rows into a replacement: words for a
 * person, whole and NUL-terminated however small the room, never a password of the URL; a call with no room is
 * refused. (A backend that keeps nothing such gives an empty string.) */
static void c_leftovers_hint(void **state) {
    fx *f = *state;
    char words[1024], tiny[8];
    memset(words, 'x', sizeof words);
    OK(f, f->ops->leftovers_hint(f->s, words, sizeof words));
    assert_true(memchr(words, '\0', sizeof words) != NULL);
    assert_null(strstr(words, "secret"));
    memset(tiny, 'x', sizeof tiny);
    OK(f, f->ops->leftovers_hint(f->s, tiny, sizeof tiny));
    assert_true(memchr(tiny, '\0', sizeof tiny) != NULL);
    EXPECT(f, ST_INVALID, f->ops->leftovers_hint(f->s, NULL, sizeof words));
    EXPECT(f, ST_INVALID, f->ops->leftovers_hint(f->s, words, 0));
    assert_int_equal(f->ops->leftovers_hint(NULL, words, sizeof words), ST_INVALID);
    assert_string_equal(words, "");
}

/* Every conformance test, for one backend (its store_ops as the prestate). */
#define CT(fn, backend) cmocka_unit_test_prestate_setup_teardown(fn, setup_store, teardown, (void *)(uintptr_t)&(backend))
#define CONFORMANCE(b)                                                                                        \
    CT(c_meta, b), CT(c_staff_roundtrip, b), CT(c_staff_update, b), CT(c_staff_unique, b), CT(c_counselors, b), \
        CT(c_client_roundtrip, b), CT(c_client_update, b), CT(c_references, b), CT(c_blind_index, b),         \
        CT(c_intakes, b), CT(c_drafts, b), CT(c_audit, b), CT(c_audit_by_object, b), CT(c_audit_last_signed_by, b), CT(c_audit_many, b), CT(c_each_sealed, b),         \
        CT(c_each_sealed_reseal, b), CT(c_update_sealed, b), CT(c_not_found, b), CT(c_outside_transaction, b), \
        CT(c_rollback, b), CT(c_transaction_misuse, b), CT(c_degenerate_no_store, b),                         \
        CT(c_degenerate_args, b), CT(c_integrity_ok, b), CT(c_second_connection, b), CT(c_read_transaction, b), CT(c_busy, b), \
        CT(c_row_macs, b), CT(c_client_keys, b), CT(c_queue_order, b), CT(c_queue_counts_page, b), CT(c_queue_events, b),          \
        CT(c_audit_each_from, b), CT(c_local_changes, b), CT(c_facts, b), CT(c_facts_scan, b),               \
        CT(c_intake_each_between, b), CT(c_intake_each_joined, b), CT(c_intake_clear_each, b), CT(c_intake_get_keyed, b), CT(c_client_erase, b), CT(c_drafts_erase, b),                          \
        CT(c_clients_closed_before, b), CT(c_checkpoint, b), CT(c_leftovers_hint, b), CT(c_restore, b), CT(c_scratch_and_drop, b), \
        cmocka_unit_test(c_every_op_called)

/* restore, as any backend must do it: src's content replaces the database's, seen by this connection; a
 * file that is not a database of this kind, and a call inside a transaction, are refused and change
 * nothing. (s_restore adds a second connection that stays open, with the SQLite backend.) */
static void c_restore(void **state) {
    fx *f = *state;
    error err = {0};
    char copy[200], junk[200];
    client_rec c1 = mk_client(CLIENT1, STAFF1, 51, 0, 0, 1);
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    OK(f, f->ops->commit(f->s));
    snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
    OK(f, f->ops->backup(f->s, copy, &err));
    OK(f, f->ops->begin(f->s));
    OK(f, f->ops->client_insert(f->s, &c1));
    OK(f, f->ops->commit(f->s));
    snprintf(junk, sizeof junk, "%s/junk.db", f->dir);
    write_file(junk, "not a database, only text\n", 26);
    assert_int_not_equal(f->ops->restore(f->s, junk, NULL, &err), ST_OK);
    assert_non_null(strstr(err.msg, junk));
    EXPECT(f, ST_INVALID, f->ops->restore(f->s, "", NULL, &err));
    OK(f, f->ops->begin(f->s));
    EXPECT(f, ST_INVALID, f->ops->restore(f->s, copy, NULL, &err));
    f->ops->rollback(f->s);
    int64_t n = 0;
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 1);
    OK(f, f->ops->restore(f->s, copy, NULL, &err));
    OK(f, f->ops->client_count(f->s, &n));
    assert_true(n == 0);
    client_rec_free(&c1);
}

/* A scratch database, as any backend must give one: a URL of this backend, a new one each time, that opens
 * (created) as a database of its own, takes a restore of a backup and goes in as a restore's src; drop
 * removes it whole (it no longer opens), and dropping what is not there is no error. */
static void c_scratch_and_drop(void **state) {
    fx *f = *state;
    error err = {0};
    char a[600], b[600], copy[200];
    OK(f, f->ops->scratch_url(f->s, a, sizeof a));
    OK(f, f->ops->scratch_url(f->s, b, sizeof b));
    assert_string_not_equal(a, b);
    const char *where = NULL;
    assert_ptr_equal(store_backend_for(a, &where, &err), store_backend_for(f->path, &where, &err));
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF1, "amy");
    OK(f, f->ops->commit(f->s));
    snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
    OK(f, f->ops->backup(f->s, copy, &err));
    /* a backup may be read; the database itself (or a link to it) may not, nor a copy with a log beside it */
    if (f->ops->backup_source_check(f->s, copy, &err) != ST_OK) fail_msg("%s", err.msg);
    assert_non_null(store_backend_for(f->path, &where, &err)); /* where: the database's own file */
    assert_int_equal(f->ops->backup_source_check(f->s, where, &err), ST_INVALID);
    assert_non_null(strstr(err.msg, "itself"));
    store *t = NULL;
    assert_int_equal(f->ops->open(a, true, 1000, &t, &err), ST_OK);
    assert_int_equal(f->ops->restore(t, copy, NULL, &err), ST_OK);
    staff_rec r;
    assert_int_equal(f->ops->staff_by_name(t, "amy", &r), ST_OK);
    f->ops->close(t);
    OK(f, f->ops->begin(f->s));
    add_staff(f, STAFF2, "bea");
    OK(f, f->ops->commit(f->s));
    OK(f, f->ops->restore(f->s, a, NULL, &err)); /* the scratch goes in by its URL */
    assert_int_equal(f->ops->staff_by_name(f->s, "bea", &r), ST_NOTFOUND);
    assert_int_equal(f->ops->drop(a, &err), ST_OK);
    t = NULL;
    assert_int_not_equal(f->ops->open(a, false, 1000, &t, &err), ST_OK);
    assert_null(t);
    assert_int_equal(f->ops->drop(a, &err), ST_OK);
    assert_int_equal(f->ops->drop(b, &err), ST_OK);
    assert_int_equal(f->ops->drop("nosuch://x", &err), ST_INVALID);
    int removed = -1; /* nothing left behind here: a sweep removes nothing (test_records checks a leftover) */
    OK(f, f->ops->scratch_sweep(f->s, &removed, &err));
    assert_int_equal(removed, 0);
}

/* Last of the conformance list: every operation of the table was called through it above (counted by
 * store_checked), so a second backend that passes this list has run every operation. */
static void c_every_op_called(void **state) {
    (void)state;
    const char *missing[128];
    int total = 0;
    int called = store_ops_called(missing, 128, &total);
    const char *url = getenv("TRIAGE_TEST_STORE_URL");
    printf("store conformance: %d of %d operations called through the table (on %s)\n", called, total,
           url && url[0] ? url : "sqlite:{dir}/triage.db");
    for (int i = 0; i < total - called && i < 128; i++) print_error("never called: %s\n", missing[i]);
    assert_int_equal(called, total);
}

/* Every slot of every table is set: a designated initializer that leaves an operation out compiles silently
 * and crashes at the first call. A copy with one slot cleared shows the check can fail. */
static void t_every_op_set(void **state) {
    (void)state;
    int slot;
    assert_int_equal(store_ops_unset(&store_checked, &slot), 0);
    assert_int_equal(store_ops_unset(&store_sqlite, &slot), 0);
    size_t n = 0; /* every backend this build registers, not only SQLite (issue 17) */
    for (const store_ops *b; (b = store_backend_at(n)) != NULL; n++) {
        if (store_ops_unset(b, &slot) != 0) fail_msg("the %s backend leaves %s unset", b->name, store_op_name(slot));
    }
    assert_true(n >= 1);
    store_ops broken = store_sqlite;
    broken.client_get = NULL;
    assert_int_equal(store_ops_unset(&broken, &slot), 1);
    assert_string_equal(store_op_name(slot), "client_get");
}

#define ST(fn) cmocka_unit_test_prestate_setup_teardown(fn, setup_dir, teardown, (void *)(uintptr_t)&store_checked)

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_names),
        cmocka_unit_test(t_every_op_set),
        cmocka_unit_test(t_url_redacted),
        cmocka_unit_test(t_is_url),
        CONFORMANCE(store_checked), /* the table the core uses: the backend is the one the URL (a path) names */
        ST(s_reopen_keeps_data),
        ST(s_missing_file),
        ST(s_missing_file_password_hidden),
        ST(s_backend_messages_password_hidden),
        ST(s_missing_directory),
        ST(s_new_file_mode),
        ST(s_text_file),
        ST(s_other_program),
        ST(s_too_new),
        ST(s_damaged_first_page),
        ST(s_damaged_later_page),
        ST(s_migrations),
        ST(s_migration_v8_drops_the_kinded_index),
        ST(s_pragmas),
        ST(s_backup),
        ST(s_leftovers_hint),
        ST(s_backup_while_writing),
        ST(s_restore),
        ST(s_restore_steps_under_lock),
        ST(s_restore_read_only_backup),
        ST(s_copied_over_path),
        ST(s_moved_over_path),
        ST(s_concurrent_create),
        ST(s_read_only),
        ST(s_disk_full),
        ST(s_network_filesystem),
        ST(s_damaged_rows),
        ST(s_audit_append_only),
        ST(s_integrity_references),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
