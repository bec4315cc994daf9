/* make bench: per-client keys (issue 13, core/records/client_keys.h).
 *
 *   1. the upgrade of schema 11 over a database of clients sealed as before (every value under the data key:
 *      name, phone, birth date and one intake body each): clients re-sealed per second, 500 per transaction
 *      as the login does it, against building the same clients (the same seals and inserts)
 *   2. rekey afterwards: only each client's key (73 bytes) re-sealed, not its values; the blind index is
 *      rebuilt by it too (every name and phone opened), timed apart
 *
 * Usage: bench_ckeys [clients]  (default 100000; TRIAGE_BENCH_CKEY_CLIENTS does the same). Everything happens
 * in a directory made with mkdtemp under /tmp, removed at the end. */
#define BENCH_NAME "bench_ckeys"
#include "bench_common.h"

#include "blind_index.h"
#include "client_keys.h"
#include "clock.h"
#include "ids.h"
#include "maintenance.h"
#include "records.h"
#include "util.h"

#define PASSPHRASE "bench passphrase 0123456789"
#define BUILD_BATCH 20000
#define BODY "{\"language\":\"en\",\"answers\":{\"phq9\":[1,2,1,0,1,2,0,1,0],\"gad7\":[1,1,0,2,1,0,1]},\"level\":\"yellow\"}"

static void seal(const vault *v, const char *t, const char *c, const char *row, const char *text, blob *b) {
    if (!vault_seal(v, t, c, row, text, strlen(text), &b->p, &b->n)) die("seal", t);
}

/* A client as the code before schema 11 wrote it (no key; its values under the data key), with one intake. */
static void legacy_client(session *s, uint32_t i) {
    client_rec c;
    memset(&c, 0, sizeof c);
    id_new(c.id);
    c.created_at = clock_now();
    snprintf(c.created_by, sizeof c.created_by, "%s", s->me.id);
    char name[64], phone[32], birth[16];
    snprintf(name, sizeof name, "Bench Client %u Upgrade", i);
    snprintf(phone, sizeof phone, "555 %07u", i);
    snprintf(birth, sizeof birth, "19%02u-0%u-1%u", 50 + i % 50, 1 + i % 9, i % 10);
    seal(s->v, "clients", "name", c.id, name, &c.name_ct);
    seal(s->v, "clients", "phone", c.id, phone, &c.phone_ct);
    seal(s->v, "clients", "birth", c.id, birth, &c.birth_ct);
    store_status st = s->db->ops->client_insert(s->db->st, &c);
    if (st != ST_OK) die("client_insert", s->db->ops->errmsg(s->db->st));
    intake_rec r;
    memset(&r, 0, sizeof r);
    id_new(r.id);
    memcpy(r.client_id, c.id, sizeof r.client_id);
    r.created_at = c.created_at;
    memcpy(r.created_by, c.created_by, sizeof r.created_by);
    snprintf(r.level, sizeof r.level, "yellow");
    seal(s->v, "intakes", "body", r.id, BODY, &r.body_ct);
    if ((st = s->db->ops->intake_insert(s->db->st, &r)) != ST_OK) die("intake_insert", s->db->ops->errmsg(s->db->st));
    intake_rec_free(&r);
    client_rec_free(&c);
}

int main(int argc, char **argv) {
    long clients = argc > 1 ? atol(argv[1]) : 0;
    if (clients <= 0 && getenv("TRIAGE_BENCH_CKEY_CLIENTS")) clients = atol(getenv("TRIAGE_BENCH_CKEY_CLIENTS"));
    if (clients <= 0) clients = 100000;
    if (!vault_init()) die("libsodium", "cannot initialise");
    make_tmpdir();
    char path[4096];
    path_in(path, sizeof path, "ckeys.db");
    database db;
    error err = {0};
    db_settings set = {.busy_timeout_ms = 5000, .kdf_cost = KDF_INTERACTIVE, .lock_after = 5, .blind_index_k = 8};
    if (!db_open(&db, path, true, &set, &err)) die("open", err.msg);
    if (!db_initialise(&db, "bench", PASSPHRASE, strlen(PASSPHRASE), &err)) die("initialise", err.msg);
    session *s = NULL;
    int wait = 0;
    if (session_login(&db, "bench", PASSPHRASE, strlen(PASSPHRASE), &s, &wait, &err) != LOGIN_OK) die("login", err.msg);

    /* the database as the code before schema 11 left it */
    double t0 = now_us();
    for (long i = 0; i < clients; i += BUILD_BATCH) {
        if (!db_begin(&db, &err)) die("begin", err.msg);
        for (long j = i; j < clients && j < i + BUILD_BATCH; j++) legacy_client(s, (uint32_t)j);
        if (!db_commit(&db, &err)) die("commit", err.msg);
    }
    if (!db_begin(&db, &err) || db.ops->meta_set(db.st, "client_keys", "legacy", 6) != ST_OK || !db_commit(&db, &err))
        die("meta", err.msg);
    double built = (now_us() - t0) / 1e6;
    printf("triage bench_ckeys: %ld clients, each with its name, phone, birth date and one intake under the data key\n",
           clients);
    printf("built in %.1f s (%.0f clients/s: the seals and inserts alone)\n\n", built, clients / built);

    /* 1. the upgrade, as a login runs it */
    t0 = now_us();
    int64_t done = 0;
    if (!client_keys_upgrade(&db, s->v, s->me.id, 500, &done, &err)) die("upgrade", err.msg);
    double up = (now_us() - t0) / 1e6;
    if (done != clients || !client_keys_sealed(&db)) die("upgrade", "not every client was re-sealed");
    printf("| measure                                                 | value              |\n");
    printf("|---------------------------------------------------------|--------------------|\n");
    printf("| upgrade to per-client keys, 500 clients a transaction   | %8.1f s         |\n", up);
    printf("|   rate (a key each; name, phone, birth, body re-sealed) | %8.0f clients/s |\n", clients / up);
    printf("|   baseline: building them (seals and inserts alone)     | %8.0f clients/s |\n", clients / built);

    /* 2. rekey: the clients' keys re-sealed, their values left; the blind index rebuilt within it */
    t0 = now_us();
    if (!session_begin(s, &err)) die("begin", err.msg);
    int w = 0;
    if (!blind_index_rebuild(&db, s->v, 8, &w, &err)) die("blind index", err.msg);
    db_rollback(&db);
    double rebuild = (now_us() - t0) / 1e6;
    t0 = now_us();
    if (!db_rekey(s, &err)) die("rekey", err.msg);
    double rk = (now_us() - t0) / 1e6;
    printf("| rekey (every client's key re-sealed, the index rebuilt) | %8.1f s         |\n", rk);
    printf("|   of which the blind-index rebuild (timed apart)        | %8.1f s         |\n", rebuild);
    printf("\n");
    char data[64];
    snprintf(data, sizeof data, "%ld clients", clients);
    bench_row("upgrade to per-client keys (schema 11)", data, clients / up, clients / up, "clients/s",
              "building them", clients / built, "", -1);
    bench_row("rekey with per-client keys (the index rebuilt too)", data, rk, rk, "s", "the index rebuild alone",
              rebuild, "", -1);
    session_end(s);
    db_close(&db);
    return 0;
}
