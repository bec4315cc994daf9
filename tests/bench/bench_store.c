/* make bench: the encrypted record store, as medians and p99 over many runs, each against a plain baseline
 * measured in the same run (the same store calls with the sealing or the candidate opening left out).
 *
 *   1. intake_save: seal, insert, audit, commit (~2 KB JSON body and a short note) against the same store
 *      calls with the body and note stored as they are, in the same database file    target: ratio < 1.3
 *   2. client_find among 1,000,000 clients, by full name and by phone, against the blind-index lookups
 *      alone (ops->bidx_find, no candidate opened)                                    target: median < 5 ms
 *   3. database bytes per intake and per client, against the plaintext stored
 *   4. peak RSS
 *
 * Usage: bench_store [clients [build_seconds]]  (defaults 1000000 and 300; TRIAGE_BENCH_CLIENTS and
 * TRIAGE_BENCH_BUILD_SECONDS do the same). The client build stops at the time limit and says so.
 * Everything happens in a directory made with mkdtemp under /tmp, removed at the end. */
#define BENCH_NAME "bench_store"
#include "bench_common.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "audit.h"
#include "blind_index.h"
#include "client_keys.h"
#include "clock.h"
#include "ids.h"
#include "facts.h"
#include "records.h"
#include "intake_store.h"
#include "util.h"

#define SAVES 2000          /* intake saves of each kind (sealed, unsealed) */
#define WARM_SAVES 50       /* of each kind, not recorded */
#define SEARCHES 1000       /* client_find of each kind (name, phone) */
#define AUDIT_RUNS 500      /* audit entry alone (begin, audit_log, commit) */
#define OPEN_RUNS 2000      /* one candidate opened (client_get + its key + 3 fields) */
#define POOL 64             /* distinct intake bodies */
#define BODY_MAX 4096
#define CLIENTS_DEFAULT 1000000
#define BUILD_SECONDS_DEFAULT 300
#define BUILD_BATCH 20000   /* clients per transaction while building */
#define SIZE_INTAKES 5000   /* intakes per database for the size figures */
#define SIZE_BATCH 500
#define INTAKE_CLIENTS 16
#define PASSPHRASE "bench passphrase 0123456789"

/* ---- timing and statistics ---- */



/* ---- the temporary directory ---- */


/* Checkpoints the WAL through the open database's own store (its purge_old_versions: a guarded checkpoint that
 * records DB-mark) and returns the bytes of the main file plus the WAL. A checkpoint by a separate sqlite3 connection
 * wrote the file behind the desk's back, and the desk, rightly, took it for a file overwritten in place and stopped
 * (the million-client build failed at its first batch). */
static long long db_bytes(database *db, const char *path) {
    bool complete = false;
    if (db->ops->purge_old_versions(db->st, &complete) != ST_OK || !complete)
        fprintf(stderr, "bench_store: the checkpoint of %s was not complete; the size includes the WAL\n", path);
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    return file_size(path) + file_size(wal);
}

/* ---- a database with one supervisor logged in ---- */

static session *open_session(database *db, const char *name) {
    char path[4096];
    error err = {0};
    path_in(path, sizeof path, name);
    db_settings set = {.busy_timeout_ms = 5000, .kdf_cost = KDF_INTERACTIVE, .lock_after = 5, .blind_index_k = 8};
    if (!db_open(db, path, true, &set, &err)) die("open", err.msg);
    if (!db_initialise(db, "bench", PASSPHRASE, strlen(PASSPHRASE), &err)) die("initialise", err.msg);
    session *s = NULL;
    int wait = 0;
    if (session_login(db, "bench", PASSPHRASE, strlen(PASSPHRASE), &s, &wait, &err) != LOGIN_OK)
        die("login", err.msg);
    return s;
}

/* ---- clients: names from small word lists, so words repeat across clients ---- */

/* first name = A[i] + B[j] (2 + 3 letters), surname = C[i] + D[j] (3 + 3 letters): 1,024 of each, all
 * distinct (fixed-length parts), never equal to each other (5 letters against 6). */
static const char *const syl_a[32] = {"Ka", "Le", "Mi", "No", "Ra", "Sa", "Ta", "Vi", "Ya", "Zo", "Be",
                                      "Da", "El", "Fa", "Ga", "Ha", "Il", "Jo", "Lu", "Ma", "Ne", "Ol",
                                      "Pa", "Re", "Si", "To", "Ul", "Va", "Wi", "Xe", "Yu", "Ze"};
static const char *const syl_b[32] = {"lin", "ren", "sha", "ton", "mir", "dan", "bel", "kov", "nia", "ros", "vin",
                                      "lea", "mon", "tas", "ric", "len", "don", "san", "mar", "tin", "las", "nor",
                                      "ves", "dor", "lia", "ran", "sel", "tor", "win", "zen", "bar", "cio"};
static const char *const syl_c[32] = {"Bor", "Cal", "Dun", "Fer", "Gal", "Har", "Ivo", "Kel", "Lam", "Mor", "Nas",
                                      "Orr", "Pel", "Qua", "Ros", "Sto", "Tam", "Urb", "Val", "Wes", "Yor", "Zan",
                                      "Ash", "Bel", "Cor", "Dal", "Ell", "Fin", "Gor", "Hal", "Kin", "Lor"};
static const char *const syl_d[32] = {"den", "ley", "ton", "ham", "ard", "win", "sey", "man", "ert", "ick", "ins",
                                      "ell", "oft", "urn", "ber", "dez", "ano", "ini", "ova", "enk", "ski", "aud",
                                      "ier", "ger", "ner", "son", "ott", "ery", "ane", "ith", "ock", "ure"};
static const char *const number_words[] = {"", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"};
#define NAME_COMBOS (1u << 20) /* 1,024 first names x 1,024 surnames */

/* Client i (0 <= i < 10 x 2^20): a unique "First Last" (plus a number word past 2^20 clients), spread over
 * the word lists by a bijection of [0, 2^20). */
static void client_name(uint32_t i, char *out, size_t size) {
    uint32_t c = (i * 0x9e3779b1u) & (NAME_COMBOS - 1), f = c & 1023u, l = c >> 10, n = i >> 20;
    if (n == 0)
        snprintf(out, size, "%s%s %s%s", syl_a[f & 31], syl_b[f >> 5], syl_c[l & 31], syl_d[l >> 5]);
    else
        snprintf(out, size, "%s%s %s%s %s", syl_a[f & 31], syl_b[f >> 5], syl_c[l & 31], syl_d[l >> 5],
                 number_words[n % 10]);
}

/* A mobile number unique per client (a bijection mod 10^8), typed three ways. */
static uint32_t phone_tail(uint32_t i) { return (uint32_t)(((uint64_t)i * 48271u + 13579u) % 100000000u); }
static void client_phone(uint32_t i, char *out, size_t size) {
    uint32_t p = phone_tail(i);
    switch (i % 3) {
    case 0: snprintf(out, size, "+86 139 %04u %04u", p / 10000, p % 10000); break;
    case 1: snprintf(out, size, "139-%04u-%04u", p / 10000, p % 10000); break;
    default: snprintf(out, size, "139%08u", p); break;
    }
}
static void client_phone_query(uint32_t i, char *out, size_t size) { snprintf(out, size, "139%08u", phone_tail(i)); }
static void client_birth(uint32_t i, char *out, size_t size) {
    uint32_t h = i * 2654435761u;
    snprintf(out, size, "19%02u-%02u-%02u", 50 + h % 50, 1 + (h >> 8) % 12, 1 + (h >> 16) % 28);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The word lists really give 1,024 distinct first names and 1,024 distinct surnames. */
static void check_word_lists(void) {
    static char words[2048][8];
    char *ptr[2048];
    for (int k = 0; k < 1024; k++) {
        snprintf(words[k], sizeof words[k], "%s%s", syl_a[k & 31], syl_b[k >> 5]);
        snprintf(words[1024 + k], sizeof words[1024 + k], "%s%s", syl_c[k & 31], syl_d[k >> 5]);
    }
    for (int k = 0; k < 2048; k++) {
        for (char *c = words[k]; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        ptr[k] = words[k];
    }
    qsort(ptr, 2048, sizeof ptr[0], cmp_str);
    for (int k = 1; k < 2048; k++)
        if (strcmp(ptr[k - 1], ptr[k]) == 0) die("word lists", ptr[k]);
}

/* What client_create does, minus its own transaction and audit entry: a key of the client's own sealed under the
 * data key (core/records/client_keys.h), the three fields sealed under it, the row inserted, the blind-index
 * values added. Returns the plaintext bytes stored. */
static size_t build_one(session *s, uint32_t i) {
    char name[128], phone[64], birth[16];
    client_name(i, name, sizeof name);
    client_phone(i, phone, sizeof phone);
    client_birth(i, birth, sizeof birth);
    client_rec r;
    memset(&r, 0, sizeof r);
    id_new(r.id);
    r.created_at = clock_now();
    snprintf(r.created_by, sizeof r.created_by, "%s", s->me.id);
    const unsigned char *key = ckey_create(session_ckeys(s), s->db, s->v, &r);
    if (!key ||
        !vault_client_seal(key, r.id, "clients", "name", r.id, name, strlen(name), &r.name_ct.p, &r.name_ct.n) ||
        !vault_client_seal(key, r.id, "clients", "phone", r.id, phone, strlen(phone), &r.phone_ct.p, &r.phone_ct.n) ||
        !vault_client_seal(key, r.id, "clients", "birth", r.id, birth, strlen(birth), &r.birth_ct.p, &r.birth_ct.n))
        die("build", "cannot seal a client field");
    store_status st = s->db->ops->client_insert(s->db->st, &r);
    if (st != ST_OK) die("build: client_insert", s->db->ops->errmsg(s->db->st));
    uint32_t vals[CLIENT_INDEX_VALUES_MAX];
    int n = client_index_values(s->v, 32, name, phone, vals, CLIENT_INDEX_VALUES_MAX); /* full width: rebuilt after */
    for (int k = 0; k < n; k++)
        if ((st = s->db->ops->bidx_add(s->db->st, vals[k], r.id)) != ST_OK)
            die("build: bidx_add", s->db->ops->errmsg(s->db->st));
    client_rec_free(&r);
    return strlen(name) + strlen(phone) + strlen(birth);
}

/* ---- intakes ---- */

static const char *const levels[4] = {"red", "orange", "yellow", "green"};

/* A completed intake as the assessment writes it: answers, scores, rules, reasons, matches (~2.1 KB; with
 * full false one reason and one match fewer, ~1.8 KB). */
static size_t make_body(char *b, size_t size, int p, bool full) {
    size_t n = 0;
#define PUT(...) n += (size_t)snprintf(b + n, n < size ? size - n : 0, __VA_ARGS__)
    static const char *const forms[6] = {"phq9", "gad7", "asq", "phq2", "gad2", "k6"};
    static const int items[6] = {9, 7, 5, 2, 2, 6}, maxv[6] = {3, 3, 1, 3, 3, 4};
    static const char *const bands[4] = {"minimal", "mild", "moderate", "severe"};
    static const char *const concerns[6] = {"emotional", "sleep", "study", "relationship", "family", "career"};
    int total[6] = {0};
    PUT("{\"form_version\":\"2025.2\",\"language\":\"%s\",\"started\":\"2026-03-%02dT09:%02d:%02dZ\","
        "\"finished\":\"2026-03-%02dT09:%02d:%02dZ\",\"concerns\":[\"%s\",\"%s\"],\"answers\":{",
        p % 2 ? "zh" : "en", 1 + p % 28, p % 60, (p * 7) % 60, 1 + p % 28, (p + 14) % 60, (p * 11) % 60,
        concerns[p % 6], concerns[(p + 2) % 6]);
    for (int f = 0; f < 6; f++) {
        PUT("%s\"%s\":[", f ? "," : "", forms[f]);
        for (int i = 0; i < items[f]; i++) {
            int v = (int)rnd_below((unsigned)maxv[f] + 1);
            total[f] += v;
            PUT("%s%d", i ? "," : "", v);
        }
        PUT("]");
    }
    PUT("},\"scores\":{");
    for (int f = 0; f < 6; f++)
        PUT("%s\"%s\":{\"total\":%d,\"band\":\"%s\",\"complete\":true}", f ? "," : "", forms[f], total[f],
            bands[total[f] % 4]);
    const char *level = levels[p % 4];
    PUT("},\"level\":\"%s\",\"level_confirmed\":false,\"rules_fired\":[\"phq9_total_ge_10\",\"gad7_total_ge_10\","
        "\"k6_total_ge_13\"],\"reasons\":[",
        level);
    PUT("\"PHQ-9 total %d (%s): depressive symptoms reported on most days in the last two weeks\",", total[0],
        bands[total[0] % 4]);
    PUT("\"GAD-7 total %d (%s): worry and restlessness interfere with study and sleep\",", total[1],
        bands[total[1] % 4]);
    PUT("\"ASQ: %s; no current plan reported; follow-up question answered\",", total[2] ? "positive" : "negative");
    PUT("\"K6 total %d: moderate psychological distress in the last 30 days\",", total[5]);
    PUT("\"Sleep: difficulty falling asleep 4-5 nights a week for more than a month\"");
    if (full) PUT(",\"Support: lives in a dormitory, in contact with family weekly, one close friend on campus\"");
    PUT("],\"matches\":[");
    for (int m = 0; m < (full ? 5 : 4); m++)
        PUT("%s{\"counselor\":\"c%02d\",\"score\":0.%03u,\"language\":\"zh en\",\"high_risk\":%s,\"caseload\":%u,"
            "\"capacity\":20,\"why\":[\"speaks %s\",\"%s %.2f\",\"depression 0.%02u\",\"anxiety 0.%02u\"]}",
            m ? "," : "", 1 + (int)rnd_below(60), 500 + rnd_below(500), m % 2 ? "true" : "false", rnd_below(20),
            p % 2 ? "zh" : "en", concerns[p % 6], 0.5 + (double)rnd_below(50) / 100.0, rnd_below(100),
            rnd_below(100));
    PUT("],\"suggested\":\"c%02d\",\"chosen\":\"c%02d\",\"desk\":\"front-%d\"}", 1 + p % 60, 1 + (p * 3) % 60, p % 4);
#undef PUT
    return n;
}

static const char *const notes_pool[4] = {
    "Came with a friend; prefers afternoon sessions. Asked about confidentiality before answering.",
    "Exam period next month; sleeps badly since the move to the new dormitory.",
    "\xe6\x9d\xa5\xe8\xae\xbf\xe8\x80\x85\xe5\xb8\x8c\xe6\x9c\x9b\xe4\xb8\x8b\xe5\x8d\x88\xe5\x92\xa8\xe8\xaf\xa2"
    "\xef\xbc\x8c\xe5\x81\x8f\xe5\xa5\xbd\xe5\xa5\xb3\xe6\x80\xa7\xe5\x92\xa8\xe8\xaf\xa2\xe5\xb8\x88\xe3\x80\x82",
    "Phone contact preferred; mother not to be called. Safety plan discussed at the desk.",
};

/* intake_save without the sealing: the same checks and reads, the same record, the body and note stored as
 * they are, the same audit entry with its MAC, the same commit. */
static bool plain_save(session *s, const intake_input *in, char id[STORE_ID_LEN], bool audited, error *err) {
    size_t blen = strlen(in->body), nlen = in->notes ? strlen(in->notes) : 0;
    if (!utf8_valid(in->body, blen) || (nlen && !utf8_valid(in->notes, nlen))) {
        error_set(err, ERR_INPUT, "invalid text");
        return false;
    }
    client_rec c;
    store_status st = s->db->ops->client_get(s->db->st, in->client_id, &c);
    if (st != ST_OK) {
        error_set(err, ERR_NOT_FOUND, "no client");
        return false;
    }
    client_rec_free(&c);
    intake_rec r;
    memset(&r, 0, sizeof r);
    id_new(r.id);
    snprintf(r.client_id, sizeof r.client_id, "%s", in->client_id);
    r.created_at = clock_now();
    snprintf(r.created_by, sizeof r.created_by, "%s", s->me.id);
    snprintf(r.level, sizeof r.level, "%s", in->level);
    snprintf(r.suggested, sizeof r.suggested, "%s", in->suggested ? in->suggested : "");
    snprintf(r.chosen, sizeof r.chosen, "%s", in->chosen ? in->chosen : "");
    r.body_ct.p = xcalloc(blen, 1);
    memcpy(r.body_ct.p, in->body, blen);
    r.body_ct.n = blen;
    if (nlen) {
        r.notes_ct.p = xcalloc(nlen, 1);
        memcpy(r.notes_ct.p, in->notes, nlen);
        r.notes_ct.n = nlen;
    }
    bool ok = !audited || db_begin(s->db, err);
    if (ok) {
        st = s->db->ops->intake_insert(s->db->st, &r);
        if (st != ST_OK) db_error(s->db, st, "cannot save the intake", err);
        /* the de-identified report facts are part of every save, sealed or not (core/records/records.c) */
        ok = st == ST_OK &&
             (!audited || facts_record_intake(s, &r, in->body, "0-17 18-24 25-34 35-44 45-64 65-",
                                              FACTS_DEFAULT_CONCERN_GROUPS, err)) &&
             audit_log(s->db, s->v, s->me.id, "intake_create", r.id, r.level, err) &&
             (!audited || db_commit(s->db, err));
        if (!ok && audited) db_rollback(s->db);
    }
    if (ok) memcpy(id, r.id, STORE_ID_LEN);
    intake_rec_free(&r);
    return ok;
}

/* The sealed record and audit entry of intake_save, inside the caller's transaction (for the size figures). */
static bool sealed_insert(session *s, const intake_input *in, error *err) {
    intake_rec r;
    memset(&r, 0, sizeof r);
    id_new(r.id);
    snprintf(r.client_id, sizeof r.client_id, "%s", in->client_id);
    r.created_at = clock_now();
    snprintf(r.created_by, sizeof r.created_by, "%s", s->me.id);
    snprintf(r.level, sizeof r.level, "%s", in->level);
    snprintf(r.suggested, sizeof r.suggested, "%s", in->suggested ? in->suggested : "");
    snprintf(r.chosen, sizeof r.chosen, "%s", in->chosen ? in->chosen : "");
    bool ok = vault_seal(s->v, "intakes", "body", r.id, in->body, strlen(in->body), &r.body_ct.p, &r.body_ct.n) &&
              (!in->notes || vault_seal(s->v, "intakes", "notes", r.id, in->notes, strlen(in->notes), &r.notes_ct.p,
                                        &r.notes_ct.n));
    store_status st = ok ? s->db->ops->intake_insert(s->db->st, &r) : ST_INVALID;
    if (st != ST_OK) db_error(s->db, st, "cannot save the intake", err);
    ok = st == ST_OK && audit_log(s->db, s->v, s->me.id, "intake_create", r.id, r.level, err);
    intake_rec_free(&r);
    return ok;
}

static double audit_alone_us(session *s) {
    error err = {0};
    double t0 = now_us();
    if (!db_begin(s->db, &err) ||
        !audit_log(s->db, s->v, s->me.id, "bench", "", "", &err) || !db_commit(s->db, &err))
        die("audit entry", err.msg);
    return now_us() - t0;
}

/* ---- searching ---- */

/* The keys client_find derives from a query, and the bidx_find of each: the index lookup alone. */
typedef struct {
    char (*ids[CLIENT_QUERY_KEYS_MAX])[STORE_ID_LEN];
    int n[CLIENT_QUERY_KEYS_MAX], nk;
} lookup;

static void lookup_free(lookup *l) {
    for (int k = 0; k < CLIENT_QUERY_KEYS_MAX; k++) free(l->ids[k]);
    memset(l, 0, sizeof *l);
}

static void index_lookup(session *s, const char *query, lookup *l) {
    memset(l, 0, sizeof *l);
    uint32_t keys[CLIENT_QUERY_KEYS_MAX];
    int formula = -1, width = blind_width_stored(s->db, s->v, &formula);
    l->nk = client_query_keys(s->v, width, query, formula >= 0, keys, CLIENT_QUERY_KEYS_MAX); /* exactly client_find's */
    for (int k = 0; k < l->nk; k++)
        if (s->db->ops->bidx_find(s->db->st, keys[k], &l->ids[k], &l->n[k]) != ST_OK)
            die("bidx_find", s->db->ops->errmsg(s->db->st));
}

static bool in_list(char (*ids)[STORE_ID_LEN], int n, const char *id) {
    for (int i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return true;
    return false;
}

/* How many candidates client_find opened: every id of the first list, then every id of each later list that was not
 * already a match from an earlier one (client_find skips only ids already in its results). */
static int candidates_opened(const lookup *l, const client_plain *found, int nfound) {
    int opened = l->n[0];
    for (int k = 1; k < l->nk; k++)
        for (int i = 0; i < l->n[k]; i++) {
            bool skip = false;
            for (int j = 0; j < nfound && !skip; j++) {
                if (strcmp(found[j].id, l->ids[k][i]) != 0) continue;
                for (int e = 0; e < k && !skip; e++) skip = in_list(l->ids[e], l->n[e], l->ids[k][i]);
            }
            opened += !skip;
        }
    return opened;
}

typedef struct {
    stats find, base, cand;
    int found_target, heavy;
} search_result;

/* SEARCHES queries of one kind: the baseline lookup first, then client_find on the same query. */
static search_result run_searches(session *s, uint32_t built, bool by_phone, char (*sample)[STORE_ID_LEN],
                                  int *nsample) {
    double *tf = malloc(sizeof(double) * SEARCHES), *tb = malloc(sizeof(double) * SEARCHES),
           *cand = malloc(sizeof(double) * SEARCHES);
    search_result res;
    memset(&res, 0, sizeof res);
    error err = {0};
    for (int q = -20; q < SEARCHES; q++) { /* 20 warm-up queries */
        uint32_t i = (uint32_t)(rnd() % built);
        char query[128], want[128];
        if (by_phone) client_phone_query(i, query, sizeof query);
        else client_name(i, query, sizeof query);
        lookup l;
        double t0 = now_us();
        index_lookup(s, query, &l);
        double t1 = now_us();
        client_plain *found = NULL;
        int nfound = 0;
        double t2 = now_us();
        if (!client_find(s, query, &found, &nfound, &err)) die("client_find", err.msg);
        double t3 = now_us();
        if (q >= 0) {
            tb[q] = (t1 - t0) / 1000.0;
            tf[q] = (t3 - t2) / 1000.0;
            int opened = candidates_opened(&l, found, nfound);
            cand[q] = opened;
            res.heavy += opened > 500;
            /* the client searched for is among the results */
            if (by_phone) client_phone(i, want, sizeof want);
            else client_name(i, want, sizeof want);
            for (int j = 0; j < nfound; j++)
                if (strcmp(by_phone ? found[j].phone : found[j].name, want) == 0) {
                    res.found_target++;
                    break;
                }
            for (int k = 0; k < l.nk && *nsample < OPEN_RUNS; k++)
                if (l.n[k]) memcpy(sample[(*nsample)++], l.ids[k][rnd_below((unsigned)l.n[k])], STORE_ID_LEN);
        }
        client_list_free(found, nfound);
        lookup_free(&l);
    }
    res.find = summarise(tf, SEARCHES);
    res.base = summarise(tb, SEARCHES);
    res.cand = summarise(cand, SEARCHES);
    free(tf);
    free(tb);
    free(cand);
    return res;
}

/* client_get, the client's own key opened (client_keys.h: the list of erased clients checked, the key under the
 * data key) and the three fields opened under it, of one candidate, as client_find does for each (without
 * matching), timed whole and in parts; and the secure allocation every opening makes. */
typedef struct {
    stats whole, get, open, secure_alloc;
} open_stats;

static open_stats open_candidates(session *s, char (*ids)[STORE_ID_LEN], int n) {
    size_t m = (size_t)(n > 0 ? n : 1);
    double *tw = malloc(sizeof(double) * m), *tg = malloc(sizeof(double) * m), *to = malloc(sizeof(double) * m * 3),
           *ta = malloc(sizeof(double) * m);
    static const char *const cols[3] = {"name", "phone", "birth"};
    int nopen = 0;
    for (int k = 0; k < n; k++) {
        double t0 = now_us();
        client_rec r;
        if (s->db->ops->client_get(s->db->st, ids[k], &r) != ST_OK) die("client_get", s->db->ops->errmsg(s->db->st));
        double t1 = now_us();
        tg[k] = (t1 - t0) / 1000.0;
        const blob *f[3] = {&r.name_ct, &r.phone_ct, &r.birth_ct};
        ckeys_forget(session_ckeys(s)); /* each candidate's key opened afresh, as a search meets it */
        ck_status why;
        char who[VAULT_CLIENT_ID_MAX + 1];
        for (int c = 0; c < 3; c++) {
            char *plain = NULL;
            size_t len = 0;
            double t2 = now_us();
            if (f[c]->n && !ckey_open(session_ckeys(s), s->db, s->v, r.id, "clients", cols[c], r.id, f[c]->p, f[c]->n,
                                      &plain, &len, &why, who))
                die("ckey_open", r.id);
            secret_free(plain);
            to[nopen++] = (now_us() - t2) / 1000.0;
        }
        client_rec_free(&r);
        tw[k] = (now_us() - t0) / 1000.0;
        double t3 = now_us();
        void *p = sodium_malloc(64);
        if (!p) die("sodium_malloc", "failed");
        sodium_free(p);
        ta[k] = (now_us() - t3) / 1000.0;
    }
    open_stats r = {summarise(tw, n), summarise(tg, n), summarise(to, nopen), summarise(ta, n)};
    free(tw);
    free(tg);
    free(to);
    free(ta);
    return r;
}

static int page_size(const char *path) {
    sqlite3 *c = NULL;
    sqlite3_stmt *st = NULL;
    int n = 0;
    if (sqlite3_open_v2(path, &c, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(c, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(c);
    return n;
}

/* VmRSS now, in KiB (the peak of getrusage includes the Argon2id of each login). */
static long current_rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kib;
}

static long peak_rss_kib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Bytes of each table and index of a database (dbstat), when this SQLite has it. */
static void print_btrees(const char *path, double per) {
    sqlite3 *c = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &c, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c, "SELECT name, sum(pgsize), count(*) FROM dbstat GROUP BY name ORDER BY 2 DESC", -1, &st,
                           NULL) != SQLITE_OK) {
        printf("(per-table sizes unavailable: this SQLite has no dbstat)\n");
        sqlite3_close(c);
        return;
    }
    printf("\n| table or index of the client database | MiB    | bytes per client |\n");
    printf("|---------------------------------------|--------|------------------|\n");
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long bytes = sqlite3_column_int64(st, 1);
        if (bytes < 64 * 1024) continue;
        printf("| %-37s | %6.1f | %16.1f |\n", (const char *)sqlite3_column_text(st, 0), (double)bytes / 1048576.0,
               (double)bytes / per);
    }
    sqlite3_finalize(st);
    sqlite3_close(c);
}

static long env_or(const char *name, long dflt) {
    const char *v = getenv(name);
    long x;
    return v && *v && parse_int(v, 1, 100000000, &x) ? x : dflt;
}

int main(int argc, char **argv) {
    long target = env_or("TRIAGE_BENCH_CLIENTS", CLIENTS_DEFAULT),
         limit_s = env_or("TRIAGE_BENCH_BUILD_SECONDS", BUILD_SECONDS_DEFAULT);
    if (argc > 1 && !parse_int(argv[1], 1, 10L * NAME_COMBOS, &target)) die("usage", "bench_store [clients [build_seconds]]");
    if (argc > 2 && !parse_int(argv[2], 1, 100000, &limit_s)) die("usage", "bench_store [clients [build_seconds]]");
    make_tmpdir();
    if (!vault_init()) die("libsodium", "cannot start");
    check_word_lists();
    error err = {0};

    /* ================= 1. saving a completed intake ================= */
    database db1;
    session *s1 = open_session(&db1, "intakes.db");
    char client_ids[INTAKE_CLIENTS][STORE_ID_LEN];
    for (int c = 0; c < INTAKE_CLIENTS; c++) {
        char name[128], phone[64], birth[16];
        client_name((uint32_t)c, name, sizeof name);
        client_phone((uint32_t)c, phone, sizeof phone);
        client_birth((uint32_t)c, birth, sizeof birth);
        if (!client_create(s1, name, phone, birth, client_ids[c], &err)) die("client_create", err.msg);
    }
    static char bodies[POOL][BODY_MAX], short_bodies[POOL][BODY_MAX];
    size_t body_bytes = 0, note_bytes = 0;
    for (int p = 0; p < POOL; p++) {
        size_t n = make_body(bodies[p], sizeof bodies[p], p, true);
        if (n >= sizeof bodies[p] || make_body(short_bodies[p], sizeof short_bodies[p], p, false) >= BODY_MAX)
            die("make_body", "a body is too long");
        body_bytes += n;
        note_bytes += strlen(notes_pool[p % 4]);
    }
    double avg_body = (double)body_bytes / POOL, avg_note = (double)note_bytes / POOL;

    double *t_sealed = malloc(sizeof(double) * SAVES), *t_plain = malloc(sizeof(double) * SAVES),
           *t_seal = malloc(sizeof(double) * SAVES), *t_seal_note = malloc(sizeof(double) * SAVES),
           *t_audit = malloc(sizeof(double) * AUDIT_RUNS);
    for (int r = -WARM_SAVES; r < SAVES; r++) {
        int p = (r + WARM_SAVES) % POOL;
        intake_input in = {client_ids[(r + WARM_SAVES) % INTAKE_CLIENTS], levels[p % 4], "c07", "c12", bodies[p],
                           notes_pool[p % 4], NULL, false, NULL};
        char id[STORE_ID_LEN];
        double ts = 0, tp = 0;
        for (int half = 0; half < 2; half++) { /* alternate which goes first */
            bool sealed = (half == 0) == (r % 2 == 0);
            double t0 = now_us();
            bool ok = sealed ? intake_save(s1, &in, id, &err) : plain_save(s1, &in, id, true, &err);
            double t1 = now_us();
            if (!ok) die(sealed ? "intake_save" : "unsealed save", err.msg);
            if (sealed) ts = t1 - t0;
            else tp = t1 - t0;
        }
        /* the seal step alone, on the same body and note */
        unsigned char *ct = NULL;
        size_t ctn = 0;
        double t2 = now_us();
        bool ok = vault_seal(s1->v, "intakes", "body", id, in.body, strlen(in.body), &ct, &ctn);
        double t3 = now_us();
        free(ct);
        ct = NULL;
        double t4 = now_us();
        ok = ok && vault_seal(s1->v, "intakes", "notes", id, in.notes, strlen(in.notes), &ct, &ctn);
        double t5 = now_us();
        free(ct);
        if (!ok) die("vault_seal", "failed");
        if (r >= 0) {
            t_sealed[r] = ts / 1000.0;
            t_plain[r] = tp / 1000.0;
            t_seal[r] = (t3 - t2) / 1000.0;
            t_seal_note[r] = (t5 - t4) / 1000.0;
        }
    }
    for (int r = 0; r < AUDIT_RUNS; r++) t_audit[r] = audit_alone_us(s1) / 1000.0;
    stats sealed = summarise(t_sealed, SAVES), plain = summarise(t_plain, SAVES), seal = summarise(t_seal, SAVES),
          seal_note = summarise(t_seal_note, SAVES), audit1 = summarise(t_audit, AUDIT_RUNS);
    long rss_after_intakes = current_rss_kib();
    session_end(s1);
    db_close(&db1);

    printf("triage bench_store: SQLite %s, WAL, synchronous=FULL; KDF interactive; blind index sized to k = 8 clients a value\n\n",
           sqlite3_libversion());
    printf("## 1. Saving a completed intake (%d saves of each kind, alternating, one database file)\n\n", SAVES);
    printf("body: JSON of %.0f bytes on average (%d distinct), note: %.0f bytes on average\n\n", avg_body, POOL,
           avg_note);
    printf("| operation                                                  | median ms | p99 ms  | ratio to baseline (median) |\n");
    printf("|------------------------------------------------------------|-----------|---------|----------------------------|\n");
    printf("| baseline: same checks, client_get, begin, intake_insert,   | %9.3f | %7.3f | 1.00                       |\n",
           plain.median, plain.p99);
    printf("|   facts, (body and note unsealed), audit_log with MAC, commit|           |         |                            |\n");
    printf("| intake_save: seal, insert, audit, commit                   | %9.3f | %7.3f | %-26.2f |\n", sealed.median,
           sealed.p99, sealed.median / plain.median);
    printf("| context: vault_seal of the body alone                      | %9.4f | %7.4f | %-26.3f |\n", seal.median,
           seal.p99, seal.median / plain.median);
    printf("| context: vault_seal of the note alone                      | %9.4f | %7.4f | %-26.3f |\n",
           seal_note.median, seal_note.p99, seal_note.median / plain.median);
    printf("| context: an audit entry alone (begin, audit_log, commit)   | %9.3f | %7.3f | %-26.2f |\n", audit1.median,
           audit1.p99, audit1.median / plain.median);
    printf("\nEvery save is one transaction: with synchronous=FULL its commit fsyncs the WAL, and the medians above "
           "include that fsync. The audit-entry-alone row (one small insert and its commit) shows what a commit costs on "
           "this machine; on a disk with slower fsync both saves grow by the same amount and the ratio moves closer "
           "to 1.\n");
    printf("target: intake_save / unsealed median under 1.3: %s (%.2f)\n\n",
           sealed.median / plain.median < 1.3 ? "met" : "NOT MET", sealed.median / plain.median);
    bench_row("intake_save: seal, insert, audit, commit (fsync)", "one database file", sealed.median, sealed.p99, "ms",
              "the same save unsealed", plain.median, "ratio < 1.3", sealed.median / plain.median < 1.3);
    fflush(stdout);

    /* ================= 2. searching among many clients ================= */
    database db2;
    session *s2 = open_session(&db2, "clients.db");
    char cpath[4096];
    path_in(cpath, sizeof cpath, "clients.db");
    long long clients_empty = db_bytes(&db2, cpath);
    uint32_t built = 0;
    size_t client_plain_bytes = 0;
    double b0 = now_us(), last_report = b0;
    bool stopped = false;
    fprintf(stderr, "building %ld clients (batches of %d, time limit %ld s)...\n", target, BUILD_BATCH, limit_s);
    while (built < (uint32_t)target) {
        if ((now_us() - b0) / 1e6 >= (double)limit_s) {
            stopped = true;
            break;
        }
        if (!db_begin(&db2, &err)) die("build: begin", err.msg);
        for (int k = 0; k < BUILD_BATCH && built < (uint32_t)target; k++) client_plain_bytes += build_one(s2, built++);
        if (!db_commit(&db2, &err)) die("build: commit", err.msg);
        double t = now_us();
        if (t - last_report > 15e6 || built == (uint32_t)target) {
            fprintf(stderr, "  %u clients, %.0f s, %.0f clients/s\n", built, (t - b0) / 1e6, built / ((t - b0) / 1e6));
            last_report = t;
        }
    }
    double build_s = (now_us() - b0) / 1e6;
    int64_t counted = 0;
    if (db2.ops->client_count(db2.st, &counted) != ST_OK) die("client_count", db2.ops->errmsg(db2.st));
    /* the index at the width for this many clients, as the login after the build would make it (issue 13,
     * core/records/blind_index.h): every client's name and phone opened, the width chosen, every entry rewritten */
    fprintf(stderr, "rebuilding the blind index of %u clients...\n", built);
    double r0 = now_us();
    int width = 0;
    if (!db_begin(&db2, &err) || !blind_index_rebuild(&db2, s2->v, 8, &width, &err) ||
        !db_commit(&db2, &err))
        die("blind_index_rebuild", err.msg);
    double rebuild_s = (now_us() - r0) / 1e6;
    long long clients_full = db_bytes(&db2, cpath);
    long rss_after_build = current_rss_kib();

    static char sample[OPEN_RUNS][STORE_ID_LEN];
    int nsample = 0;
    search_result by_name = run_searches(s2, built, false, sample, &nsample);
    search_result by_phone = run_searches(s2, built, true, sample, &nsample);
    open_stats open1 = open_candidates(s2, sample, nsample);
    for (int r = 0; r < AUDIT_RUNS; r++) t_audit[r] = audit_alone_us(s2) / 1000.0;
    stats audit2 = summarise(t_audit, AUDIT_RUNS);
    long rss_after_search = current_rss_kib();
    session_end(s2);
    db_close(&db2);

    printf("## 2. Searching among %u clients\n\n", built);
    if (stopped)
        printf("**NOT REACHED: the build stopped at the time limit of %ld s with %u of the %ld clients asked for; "
               "every figure below is for %u clients.**\n\n",
               limit_s, built, target, built);
    printf("build: %u clients (client_count %lld) in %.1f s, %.0f clients/s: seal name, phone, birth; "
           "client_insert; client_index_values; bidx_add (6 values each), %d clients per transaction, no audit\n",
           built, (long long)counted, build_s, built / build_s, BUILD_BATCH);
    printf("names: \"First Last\" from 1,024 first names x 1,024 surnames (each word shared by ~%u clients), all "
           "unique; phones unique, typed three ways, searched as 11 digits\n",
           built / 1024 ? built / 1024 : 1);
    printf("blind-index entries: 6 per client (full name, each of its 2 words, phone, each word with the other's start: "
           "a pair), the kind hashed in (no kind in clear: all kinds share one range), width %d bits for %u clients at "
           "k = 8 (formula %d), so a value holds ~%.1f entries; a name query looks up its full name and its pairs, "
           "not every client of its words. Index rebuilt in %.1f s (%.0f clients/s)\n\n",
           width, built, blind_width_for(built, 8), 6.0 * built / (double)(1u << width), rebuild_s,
           built / (rebuild_s > 0 ? rebuild_s : 1));
    printf("| operation (%4d queries each)                              | median ms | p99 ms  | ratio to baseline (median) |\n",
           SEARCHES);
    printf("|------------------------------------------------------------|-----------|---------|----------------------------|\n");
    printf("| baseline: keys + 1 bidx_find (full-name query)             | %9.3f | %7.3f | 1.00                       |\n",
           by_name.base.median, by_name.base.p99);
    printf("| client_find, full name                                     | %9.3f | %7.3f | %-26.1f |\n",
           by_name.find.median, by_name.find.p99, by_name.find.median / by_name.base.median);
    printf("| baseline: keys + 1 bidx_find (phone query)                 | %9.3f | %7.3f | 1.00                       |\n",
           by_phone.base.median, by_phone.base.p99);
    printf("| client_find, phone                                         | %9.3f | %7.3f | %-26.1f |\n",
           by_phone.find.median, by_phone.find.p99, by_phone.find.median / by_phone.base.median);
    printf("| context: open one candidate (client_get, key, 3 fields)    | %9.4f | %7.4f |                            |\n",
           open1.whole.median, open1.whole.p99);
    printf("|   of which client_get                                      | %9.4f | %7.4f |                            |\n",
           open1.get.median, open1.get.p99);
    printf("|   of which one opening (the first also opens the key)      | %9.4f | %7.4f |                            |\n",
           open1.open.median, open1.open.p99);
    printf("|   context: sodium_malloc + sodium_free of 64 bytes         | %9.4f | %7.4f |                            |\n",
           open1.secure_alloc.median, open1.secure_alloc.p99);
    printf("| context: the audit entry of a search alone (with commit)   | %9.3f | %7.3f |                            |\n",
           audit2.median, audit2.p99);
    printf("\n| candidates opened per search | mean  | median | p99   | max   | searches over 500 | target found |\n");
    printf("|------------------------------|-------|--------|-------|-------|-------------------|--------------|\n");
    printf("| full name                    | %5.1f | %6.0f | %5.0f | %5.0f | %17d | %7d/%d |\n", by_name.cand.mean,
           by_name.cand.median, by_name.cand.p99, by_name.cand.max, by_name.heavy, by_name.found_target, SEARCHES);
    printf("| phone                        | %5.1f | %6.0f | %5.0f | %5.0f | %17d | %7d/%d |\n", by_phone.cand.mean,
           by_phone.cand.median, by_phone.cand.p99, by_phone.cand.max, by_phone.heavy, by_phone.found_target, SEARCHES);
    printf("\nclient_find ends with an audit entry in its own write transaction, so every search also pays a commit "
           "(fsync).\n");
    bool met = by_name.find.median < 5.0 && by_phone.find.median < 5.0;
    char data[96];
    snprintf(data, sizeof data, "%u clients%s", built, stopped ? " (build stopped early)" : "");
    bench_row("client_find by full name (with its audit commit)", data, by_name.find.median, by_name.find.p99, "ms",
              "keys + one bidx_find", by_name.base.median, "< 5 ms", by_name.find.median < 5.0);
    bench_row("client_find by phone (with its audit commit)", data, by_phone.find.median, by_phone.find.p99, "ms",
              "keys + one bidx_find", by_phone.base.median, "< 5 ms", by_phone.find.median < 5.0);
    printf("target: client_find median under 5 ms: %s (name %.2f ms, phone %.2f ms; p99 %.2f / %.2f ms)%s\n\n",
           met ? "met" : "NOT MET", by_name.find.median, by_phone.find.median, by_name.find.p99, by_phone.find.p99,
           stopped ? " -- at the reduced size above" : "");
    fflush(stdout);

    /* ================= 3. bytes per record ================= */
    /* [short body?][sealed?]: bytes per intake and plaintext bytes per intake */
    double per_intake[2][2], plain_per_intake[2];
    for (int variant = 0; variant < 4; variant++) {
        int shrt = variant / 2, sealed_db = variant % 2;
        char (*pool)[BODY_MAX] = shrt ? short_bodies : bodies;
        char file[64], path[4096], cid[STORE_ID_LEN];
        snprintf(file, sizeof file, "size-%s-%s.db", shrt ? "short" : "full", sealed_db ? "sealed" : "plain");
        path_in(path, sizeof path, file);
        database db3;
        session *s3 = open_session(&db3, file);
        if (!client_create(s3, "Size Client", "139 0000 0000", "1990-01-01", cid, &err))
            die("client_create", err.msg);
        long long before = db_bytes(&db3, path);
        size_t plain_bytes = 0;
        for (int r = 0; r < SIZE_INTAKES;) {
            if (!db_begin(&db3, &err)) die("size: begin", err.msg);
            for (int k = 0; k < SIZE_BATCH; k++, r++) {
                int p = r % POOL;
                intake_input in = {cid, levels[p % 4], "c07", "c12", pool[p], notes_pool[p % 4], NULL, false, NULL};
                char id[STORE_ID_LEN];
                plain_bytes += strlen(in.body) + strlen(in.notes);
                bool ok = sealed_db ? sealed_insert(s3, &in, &err)
                                    : plain_save(s3, &in, id, false, &err);
                if (!ok) die("size: insert", err.msg);
            }
            if (!db_commit(&db3, &err)) die("size: commit", err.msg);
        }
        per_intake[shrt][sealed_db] = (double)(db_bytes(&db3, path) - before) / SIZE_INTAKES;
        plain_per_intake[shrt] = (double)plain_bytes / SIZE_INTAKES;
        session_end(s3);
        db_close(&db3);
    }
    double per_client = built ? (double)(clients_full - clients_empty) / built : 0;
    double per_plain_client = built ? (double)client_plain_bytes / built : 0;
    printf("## 3. Database bytes per record (main file after a TRUNCATE checkpoint, growth over the empty database)\n\n");
    printf("| records (page size %4d)                                   | count   | DB bytes each | plaintext bytes each | DB / plaintext |\n",
           page_size(cpath));
    printf("|------------------------------------------------------------|---------|---------------|----------------------|----------------|\n");
    for (int shrt = 0; shrt < 2; shrt++)
        for (int sealed_db = 1; sealed_db >= 0; sealed_db--) {
            char label[96];
            snprintf(label, sizeof label, "intake, body ~%.0f B + note, %s, with audit entry",
                     plain_per_intake[shrt] - avg_note, sealed_db ? "sealed" : "unsealed");
            printf("| %-58s | %7d | %13.0f | %20.0f | %14.2f |\n", label, SIZE_INTAKES, per_intake[shrt][sealed_db],
                   plain_per_intake[shrt], per_intake[shrt][sealed_db] / plain_per_intake[shrt]);
        }
    printf("| client, sealed name/phone/birth + 4 blind-index entries    | %7u | %13.0f | %20.1f | %14.1f |\n", built,
           per_client, per_plain_client, per_client / per_plain_client);
    printf("\nA table row holds at most about half a page for two rows to share it: an intake of ~2.2 KB takes a whole "
           "page sealed or not; at ~1.9 KB two unsealed rows share a page and the %d bytes sealing adds to the body and "
           "note push each row onto a page of its own.\n",
           2 * VAULT_FIELD_OVERHEAD);
    printf("\nsealing adds %d bytes per field (version, nonce, tag); the client database is %.1f MiB for %u clients\n",
           VAULT_FIELD_OVERHEAD, (double)clients_full / 1048576.0, built);
    if (built) print_btrees(cpath, (double)built);

    /* ================= 4. memory ================= */
    printf("\n## 4. Memory\n\npeak RSS: %ld KiB (getrusage; it includes the 64 MiB Argon2id of KDF_INTERACTIVE at each "
           "login). Current RSS after the intakes: %ld KiB; after the client build: %ld KiB; after the searches: %ld KiB\n",
           peak_rss_kib(), rss_after_intakes, rss_after_build, rss_after_search);

    free(t_sealed);
    free(t_plain);
    free(t_seal);
    free(t_seal_note);
    free(t_audit);
    return 0;
}
