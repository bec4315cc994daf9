/* The blind index sized to the database (issue 13; core/records/blind_index.h), over a synthetic population
 * with a realistic Chinese surname distribution (tests/fixtures/names/surnames_zh.txt: a hundred surnames for
 * 85% of people, 500 rare ones for the rest), pinyin names ("wang wei") and phone numbers:
 *   - no stored value is held by fewer than k clients, and no value carries anything above the width (the kind
 *     of value is not stored in clear);
 *   - the largest values mix several surnames;
 *   - a search by full name and by phone still finds its client among the candidates;
 *   - a rekey rebuilds the index under the new key; a database upgraded from schema 7 gets its index at the
 *     first login.
 * The figures (width, bucket sizes, the largest buckets' commonest surname share) are printed for the README.
 * Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "blind_index.h"
#include "db.h"
#include "maintenance.h"
#include "name_fold.h"
#include "records.h"
#include "session.h"
#include "vault.h"

#define PASS "admin-passphrase-1"
#define K 8
#if defined(__SANITIZE_ADDRESS__)
#define N_CLIENTS 4000 /* under the sanitizers: the same checks at width 8, in a third of the time */
#else
#define N_CLIENTS 12000
#endif
#define N_LATER 50 /* saved after the rebuild: their values are written at the recorded width by the save itself */
#define N_RARE 500
#define MAX_SURNAMES 128

static const char *const given[] = {
    "wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong", "yan", "jie", "tao", "ming",
    "chao", "xiuying", "xia", "ping", "gang", "hui", "hong", "ying", "hua", "jian", "bo", "dan", "fei", "hao",
    "juan", "kai", "lan", "lin", "mei", "ning", "peng", "qing", "rui", "shan", "ting", "xin", "xue", "yu", "yun",
    "zhen", "zhi", "zhiqiang", "guiying", "haiyan", "xiaoming", "jianguo", "lihua", "yuling", "zihan", "yichen",
    "haoran", "yuxuan", "xinyi", "zhihao", "jiahui"};
#define N_GIVEN ((int)(sizeof given / sizeof given[0]))

typedef struct {
    char pinyin[16];
    double share; /* percent */
} surname;

static surname sn[MAX_SURNAMES];
static int n_sn;
static char dir[64], path[160];

typedef struct {
    char id[STORE_ID_LEN];
    char name[64], phone[24];
    int surname; /* index into sn, or MAX_SURNAMES + rare index */
} person;
static person *people;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void load_surnames(void) {
    FILE *f = fopen("tests/fixtures/names/surnames_zh.txt", "r");
    assert_non_null(f);
    char line[256];
    double total = 0;
    while (fgets(line, sizeof line, f) && n_sn < MAX_SURNAMES) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char py[16], hz[16];
        double share;
        assert_int_equal(sscanf(line, "%15s %15s %lf", py, hz, &share), 3);
        snprintf(sn[n_sn].pinyin, sizeof sn[n_sn].pinyin, "%s", py);
        sn[n_sn++].share = share;
        total += share;
    }
    fclose(f);
    assert_int_equal(n_sn, 100);
    assert_true(total > 84.0 && total < 86.0); /* the hundred cover 85% */
}

/* A fixed pseudo-random sequence: the population is the same in every run (the keys are not). */
static uint64_t rng = 0x9E3779B97F4A7C15u;
static double uniform(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static int draw_surname(void) {
    double x = uniform() * 100.0, acc = 0;
    for (int i = 0; i < n_sn; i++)
        if (x < (acc += sn[i].share)) return i;
    return MAX_SURNAMES + (int)(uniform() * N_RARE); /* the other 15% */
}

static void surname_text(int s, char *out, size_t size) {
    if (s < MAX_SURNAMES) snprintf(out, size, "%s", sn[s].pinyin);
    else snprintf(out, size, "rare%03d", s - MAX_SURNAMES);
}

static void open_login(database *db, session **s) {
    static const db_settings set = {5000, KDF_INTERACTIVE, 5, K, "", ""};
    error err = {0};
    int wait = 0;
    if (!db_open(db, path, false, &set, &err)) fail_msg("open: %s", err.msg);
    if (session_login(db, "admin", PASS, strlen(PASS), s, &wait, &err) != LOGIN_OK) fail_msg("login: %s", err.msg);
}

/* value -> distinct clients, over the whole stored index */
typedef struct {
    int64_t value, clients;
} bucket;

static int stored_buckets(bucket **out) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value, count(DISTINCT client_id) AS c FROM blind_index GROUP BY value "
                                            "ORDER BY c DESC, value", -1, &st, NULL), SQLITE_OK);
    int n = 0, cap = 0;
    *out = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) *out = realloc(*out, sizeof **out * (size_t)(cap = cap ? cap * 2 : 1024));
        assert_non_null(*out);
        (*out)[n++] = (bucket){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)};
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* The surnames of the clients holding one value: how many distinct, and the commonest one's share. */
static void bucket_surnames(int64_t value, int *distinct, double *top_share, char *top, size_t topsize) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT DISTINCT client_id FROM blind_index WHERE value = ?1", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, value);
    static int count[MAX_SURNAMES + N_RARE];
    memset(count, 0, sizeof count);
    int total = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        for (int i = 0; i < N_CLIENTS + N_LATER; i++)
            if (strcmp(people[i].id, id) == 0) {
                count[people[i].surname]++;
                total++;
                break;
            }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    *distinct = 0;
    int best = 0;
    for (int i = 0; i < MAX_SURNAMES + N_RARE; i++) {
        if (count[i]) (*distinct)++;
        if (count[i] > count[best]) best = i;
    }
    *top_share = total ? (double)count[best] / total : 0;
    surname_text(best, top, topsize);
}

/* Every value is held by k or more clients, and carries nothing above the recorded width. */
static void check_index(database *db, session *s, const char *when) {
    int formula;
    int w = blind_width_stored(db, s->v, &formula);
    bucket *b = NULL;
    int n = stored_buckets(&b);
    assert_true(n > 0);
    int64_t smallest = b[n - 1].clients;
    for (int i = 0; i < n; i++) {
        if (b[i].value >> w) fail_msg("%s: value %lld has bits above the width %d", when, (long long)b[i].value, w);
        if (b[i].clients < K) fail_msg("%s: value %lld is held by %lld clients (< k = %d)", when, (long long)b[i].value,
                                       (long long)b[i].clients, K);
    }
    printf("  [%s] %d clients, k %d: width %d (formula %d), %d values, largest %lld clients, smallest %lld\n", when,
           N_CLIENTS + N_LATER, K, w, formula, n, (long long)b[0].clients, (long long)smallest);
    assert_int_equal(formula, blind_width_for(N_CLIENTS, K));
    assert_true(w >= formula - 2); /* narrowed a little at most: the index still narrows a search */
    free(b);
}

static void add_person(session *s, int i) {
    error err = {0};
    person *p = &people[i];
    p->surname = draw_surname();
    char sur[16];
    surname_text(p->surname, sur, sizeof sur);
    snprintf(p->name, sizeof p->name, "%s %s", sur, given[(int)(uniform() * N_GIVEN)]);
    snprintf(p->phone, sizeof p->phone, "+86 13%09d", (int)(uniform() * 1e9));
    if (!client_create(s, p->name, p->phone, "", p->id, &err)) fail_msg("client %d: %s", i, err.msg);
}

static void population_buckets_hold_k_and_mix_surnames(void **state) {
    (void)state;
    error err = {0};
    database db;
    session *s = NULL;
    open_login(&db, &s);
    assert_true(db_batch_begin(&db, &err));
    for (int i = 0; i < N_CLIENTS; i++) add_person(s, i);
    assert_true(db_batch_end(&db, true, &err));
    session_end(s);
    db_close(&db);

    /* the next login sees the count past the width it was built for (0) and rebuilds */
    open_login(&db, &s);
    check_index(&db, s, "after login");
    /* clients saved now get their values from the save, at the recorded width */
    for (int i = N_CLIENTS; i < N_CLIENTS + N_LATER; i++) add_person(s, i);
    check_index(&db, s, "after later saves");


    /* the largest values: each mixes several surnames */
    bucket *b = NULL;
    int n = stored_buckets(&b);
    for (int i = 0; i < 8 && i < n; i++) {
        int distinct;
        double share;
        char top[16];
        bucket_surnames(b[i].value, &distinct, &share, top, sizeof top);
        printf("  largest value %d: %lld clients, %d surnames, commonest %s (%.0f%%)\n", i + 1, (long long)b[i].clients,
               distinct, top, 100 * share);
        if (distinct < 3) fail_msg("value %lld of %lld clients holds %d surname(s) only", (long long)b[i].value,
                                   (long long)b[i].clients, distinct);
    }
    free(b);

    /* search: by full name and by phone, the client is among what is found */
    for (int i = 0; i < N_CLIENTS; i += N_CLIENTS / 8) {
        const char *queries[2] = {people[i].name, people[i].phone};
        for (int q = 0; q < 2; q++) {
            client_plain *list = NULL;
            int nf = 0;
            if (!client_find(s, queries[q], &list, &nf, &err)) fail_msg("find %s: %s", queries[q], err.msg);
            bool found = false;
            for (int j = 0; j < nf; j++) found = found || strcmp(list[j].id, people[i].id) == 0;
            client_list_free(list, nf);
            if (!found) fail_msg("search for %s did not find client %d", queries[q], i);
        }
    }

    /* rekey: the index rebuilt under the new key, still k-anonymous */
    int w = blind_width_stored(&db, s->v, NULL);
    uint32_t before[CLIENT_INDEX_VALUES_MAX], after[CLIENT_INDEX_VALUES_MAX];
    int nb = client_index_values(s->v, w, people[0].name, people[0].phone, before, CLIENT_INDEX_VALUES_MAX);
    assert_true(db_rekey(s, &err));
    check_index(&db, s, "after rekey");
    int na = client_index_values(s->v, blind_width_stored(&db, s->v, NULL), people[0].name, people[0].phone, after,
                                 CLIENT_INDEX_VALUES_MAX);
    assert_int_equal(na, nb);
    assert_memory_not_equal(before, after, sizeof before[0] * (size_t)na); /* new values under the new key */
    session_end(s);
    db_close(&db);

    /* names folded by older rules (issue 14: Zoë Brontë was not found by "Zoe Bronte"; the fold before took ASCII case
     * only, and its meta had no fold version): her values as the old rules made them, the meta in the old form; the
     * next login rebuilds, and she is found however her name is typed */
    open_login(&db, &s);
    char zoe[STORE_ID_LEN];
    if (!client_create(s, "Zoë Brontë", "+86 13912340000", "", zoe, &err)) fail_msg("Zoë: %s", err.msg);
    w = blind_width_stored(&db, s->v, NULL);
    uint32_t phone_value[2];
    assert_int_equal(client_index_values(s->v, w, "", "+86 13912340000", phone_value, 2), 1);
    uint32_t old_values[4] = {vault_blind_index(s->v, "name", "zoë brontë", w), vault_blind_index(s->v, "word", "zoë", w),
                              vault_blind_index(s->v, "word", "brontë", w), phone_value[0]};
    char old_meta[32];
    int formula_now;
    (void)blind_width_stored(&db, s->v, &formula_now);
    int mn = snprintf(old_meta, sizeof old_meta, "%d %d", w, formula_now);
    unsigned char *ct = NULL;
    size_t ctn = 0;
    assert_true(vault_seal(s->v, "meta", "blind_index_width", "database", old_meta, (size_t)mn, &ct, &ctn));
    assert_true(db_batch_begin(&db, &err));
    assert_int_equal(db.ops->bidx_clear(db.st, zoe), ST_OK);
    for (int i = 0; i < 4; i++) assert_int_equal(db.ops->bidx_add(db.st, old_values[i], zoe), ST_OK);
    assert_int_equal(db.ops->meta_set(db.st, "blind_index_width", ct, ctn), ST_OK);
    assert_true(db_batch_end(&db, true, &err));
    free(ct);
    int due;
    assert_int_equal(blind_width_stored(&db, s->v, &due), w); /* searchable at its width as it is... */
    assert_int_equal(due, -1);                                /* ...and a rebuild due */
    session_end(s);
    db_close(&db);
    open_login(&db, &s);
    (void)blind_width_stored(&db, s->v, &due);
    assert_int_equal(due, blind_width_for(N_CLIENTS + N_LATER + 1, K)); /* rebuilt at the login */
    const char *typed[] = {"Zoe Bronte", "ZOË BRONTË", "bronte", "zoë"};
    for (int q = 0; q < 4; q++) {
        client_plain *list = NULL;
        int nf = 0;
        if (!client_find(s, typed[q], &list, &nf, &err)) fail_msg("find %s: %s", typed[q], err.msg);
        bool found = false;
        for (int j = 0; j < nf; j++) found = found || strcmp(list[j].id, zoe) == 0;
        client_list_free(list, nf);
        if (!found) fail_msg("after the rebuild, %s did not find Zoë Brontë", typed[q]);
    }
    session_end(s);
    db_close(&db);

    /* a database of schema 7: the upgrade drops the index, the first login rebuilds it */
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version = 7", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    open_login(&db, &s);
    check_index(&db, s, "after upgrade from 7");
    session_end(s);
    db_close(&db);
}

/* meta blind_index_width as it is, but for the layout: 1 (no layout recorded: an index from before the pairs) or
 * the current one. client_find looks up the words' own values under the first, the pairs under the second. */
static void set_layout(database *db, session *s, bool current) {
    error err = {0};
    int formula;
    int w = blind_width_stored(db, s->v, &formula);
    char text[48];
    int n = current ? snprintf(text, sizeof text, "%d %d %d %d", w, blind_width_for(N_CLIENTS + N_LATER + 1, K),
                               NAME_FOLD_VERSION, BLIND_LAYOUT)
                    : snprintf(text, sizeof text, "%d %d %d", w, blind_width_for(N_CLIENTS + N_LATER + 1, K),
                               NAME_FOLD_VERSION);
    unsigned char *ct = NULL;
    size_t ctn = 0;
    assert_true(vault_seal(s->v, "meta", "blind_index_width", "database", text, (size_t)n, &ct, &ctn));
    assert_true(db_batch_begin(db, &err));
    assert_int_equal(db->ops->meta_set(db->st, "blind_index_width", ct, ctn), ST_OK);
    assert_true(db_batch_end(db, true, &err));
    free(ct);
    (void)blind_width_stored(db, s->v, &formula);
    assert_int_equal(formula >= 0, current);
}

/* The distinct clients the index gives a query's values (what client_find opens), with or without pairs. */
static int candidates(database *db, session *s, const char *query, bool pairs) {
    uint32_t keys[CLIENT_QUERY_KEYS_MAX];
    int nk = client_query_keys(s->v, blind_width_stored(db, s->v, NULL), query, pairs, keys, CLIENT_QUERY_KEYS_MAX);
    char(*all)[STORE_ID_LEN] = NULL;
    int n = 0;
    for (int k = 0; k < nk; k++) {
        char(*ids)[STORE_ID_LEN] = NULL;
        int m = 0;
        assert_int_equal(db->ops->bidx_find(db->st, keys[k], &ids, &m), ST_OK);
        for (int i = 0; i < m; i++) {
            bool dup = false;
            for (int j = 0; j < n && !dup; j++) dup = strcmp(all[j], ids[i]) == 0;
            if (dup) continue;
            all = realloc(all, sizeof *all * (size_t)(n + 1));
            memcpy(all[n++], ids[i], STORE_ID_LEN);
        }
        free(ids);
    }
    free(all);
    return n;
}

/* client_find's ids, sorted, as one string. */
static char *found_ids(session *s, const char *query) {
    error err = {0};
    client_plain *list = NULL;
    int n = 0;
    if (!client_find(s, query, &list, &n, &err)) fail_msg("find %s: %s", query, err.msg);
    char *out = calloc((size_t)n + 1, STORE_ID_LEN + 1);
    memset(out, ' ', (size_t)n * (STORE_ID_LEN + 1)); /* each id in a slot of its own, blank-padded */
    for (int i = 0; i < n; i++) {
        int at = 0;
        for (int j = 0; j < n; j++) at += strcmp(list[j].id, list[i].id) < 0;
        memcpy(out + (size_t)at * (STORE_ID_LEN + 1), list[i].id, strlen(list[i].id));
    }
    client_list_free(list, n);
    return out;
}

/* Pair values (issue 13): a search of several words looks up each word whole with the start of its longest other
 * ("wang wei": wang with "wei", wei with "wan"), not every client of a common surname, and finds exactly the clients
 * the words' own values find ("li mei" of "li meiling", a word shorter than the start a pair keeps, either order). */
static void pair_values_narrow_a_search_and_find_the_same(void **state) {
    (void)state;
    database db;
    session *s;
    open_login(&db, &s);
    long with_pairs = 0, without = 0;
    int queries = 0;
    for (int i = 0; i < 40; i++) {
        const person *p = &people[(i * 293) % N_CLIENTS];
        char sur[32], giv[32], q[6][80];
        sscanf(p->name, "%31s %31s", sur, giv);
        snprintf(q[0], sizeof q[0], "%s %s", sur, giv);      /* the whole name */
        snprintf(q[1], sizeof q[1], "%s %s", giv, sur);      /* the other way round */
        snprintf(q[2], sizeof q[2], "%s %.3s", sur, giv);    /* a given name's start */
        snprintf(q[3], sizeof q[3], "%.1s %s", sur, giv);    /* an initial: shorter than a pair's start */
        snprintf(q[4], sizeof q[4], "%s %.2s", giv, sur);    /* the surname's first two letters */
        snprintf(q[5], sizeof q[5], "%s %s zhang", sur, giv); /* a word too many: nobody */
        for (int k = 0; k < 6; k++, queries++) {
            with_pairs += candidates(&db, s, q[k], true);
            without += candidates(&db, s, q[k], false);
            char *a = found_ids(s, q[k]);
            set_layout(&db, s, false);
            char *b = found_ids(s, q[k]);
            set_layout(&db, s, true);
            if (strcmp(a, b) != 0) fail_msg("\"%s\": the pairs found [%s], the words' own values [%s]", q[k], a, b);
            if (k < 3 && !strstr(a, p->id)) fail_msg("\"%s\" did not find %s", q[k], p->name);
            free(a);
            free(b);
        }
    }
    printf("pairs: %d queries opened %ld candidates, %ld with the words' own values (%.0f%%)\n", queries, with_pairs,
           without, 100.0 * (double)with_pairs / (double)without);
    /* 36% of them at the release build's width (10 bits), 56% at the sanitizer build's 8 bits (4,000 clients: a
     * value's other clients, there by the truncated hash, are most of a pair's); the words' own: all of them */
    assert_true(with_pairs * 4 < without * 3);
    session_end(s);
    db_close(&db);
}

/* The distinct index values stored for a client. */
static int stored_values_of(const char *client_id) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(DISTINCT value) FROM blind_index WHERE client_id = ?1", -1, &st,
                                        NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, client_id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* A name of many words keeps every index value through a rebuild: the rebuild kept eight a client, which left out
 * the phone of a name of seven words or more (and now its pairs). */
static void rebuild_keeps_every_value(void **state) {
    (void)state;
    database db;
    session *s;
    error err = {0};
    open_login(&db, &s);
    char id[STORE_ID_LEN];
    const char *name = "Maria Jose de la Cruz Garcia Lopez Fernandez", *phone = "+86 139 0000 7070";
    if (!client_create(s, name, phone, "", id, &err)) fail_msg("client: %s", err.msg);
    assert_true(db_batch_begin(&db, &err));
    assert_true(blind_index_rebuild(&db, s->v, K, NULL, &err));
    assert_true(db_batch_end(&db, true, &err));
    uint32_t want[CLIENT_INDEX_VALUES_MAX];
    int w = blind_width_stored(&db, s->v, NULL);
    int n = client_index_values(s->v, w, name, phone, want, CLIENT_INDEX_VALUES_MAX);
    assert_int_equal(n, 1 + 8 + 1 + 56); /* the name, its words, the phone, each word with each other's start */
    int distinct = 0;
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++) seen = want[j] == want[i];
        distinct += !seen;
    }
    assert_int_equal(stored_values_of(id), distinct);
    client_plain *list = NULL;
    int nf = 0;
    if (!client_find(s, "13900007070", &list, &nf, &err)) fail_msg("find: %s", err.msg);
    bool found = false;
    for (int i = 0; i < nf; i++) found = found || strcmp(list[i].id, id) == 0;
    client_list_free(list, nf);
    assert_true(found);
    session_end(s);
    db_close(&db);
}

static int group_setup(void **state) {
    (void)state;
    if (!vault_init()) return -1;
    load_surnames();
    people = calloc(N_CLIENTS + N_LATER, sizeof *people);
    snprintf(dir, sizeof dir, "/tmp/triage-blind-XXXXXX");
    if (!people || !mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/blind.db", dir);
    static const db_settings set = {5000, KDF_INTERACTIVE, 5, K, "", ""};
    database db;
    error err = {0};
    if (!db_open(&db, path, true, &set, &err) || !db_initialise(&db, "admin", PASS, strlen(PASS), &err)) {
        print_error("setup: %s\n", err.msg);
        return -1;
    }
    db_close(&db);
    return 0;
}

static int group_teardown(void **state) {
    (void)state;
    free(people);
    (void)nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(population_buckets_hold_k_and_mix_surnames),
        cmocka_unit_test(pair_values_narrow_a_search_and_find_the_same),
        cmocka_unit_test(rebuild_keeps_every_value),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
