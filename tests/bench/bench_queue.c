/* make bench: the escalation queues at scale, as medians and p99 over many runs, each against a plain
 * baseline measured in the same run.
 *
 *   1. the first page (the 20 most urgent) of the open queue: 10,000 open items among 1,000,000 intakes
 *      (and 100,000 closed items): queues_list_open (read every open item, convert, sort) and the first 20,
 *      against ops->queue_list_open alone (the SQL read, no conversion, no sort)     target: median < 10 ms
 *      and, end to end, `triage --db ... queue --json` against `triage --version`
 *   2. queues_tick over the 10,000 open items: (a) nothing due (the common cron case), against
 *      queues_list_open; (b) all 10,000 due (the clock fixed 400 days ahead), once, and the keyed audit
 *      entry after it (which seals the tick's MAC-less entries)
 *      2c. the first page again once (b) has rewritten every open row together at the end of the table
 *      2d. what-if, NOT triage's schema: the first page and a tick's read through two partial indexes made
 *          at the very end on this throwaway database
 *   3. peak RSS
 *   4. the front desk on the same database (tests/bench/bench_desk.sh): opening the queue screen, and the CPU
 *      an idle open queue screen costs
 *
 * Usage: bench_queue [intakes [build_seconds]]  (defaults 1000000 and 180; TRIAGE_BENCH_QUEUE_INTAKES and
 * TRIAGE_BENCH_QUEUE_BUILD_SECONDS do the same). The build stops at the time limit and says so; the 10,000
 * open items are always there (topped up on extra intakes when the build stopped early).
 * Everything happens in a directory made with mkdtemp under /tmp, removed at the end. */
#define BENCH_NAME "bench_queue"
#include "bench_common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "audit.h"
#include "rowmac.h"
#include "clock.h"
#include "ids.h"
#include "queue_items.h"
#include "records.h"
#include "util.h"

#define INTAKES_DEFAULT 1000000
#define BUILD_SECONDS_DEFAULT 180
#define OPEN_ITEMS 10000    /* open items, whatever the intake count */
#define OPEN_EVERY 100      /* intake i has an open item when i % 100 == 99 (10,000 per 1,000,000) */
#define CLOSED_EVERY 10     /* and a closed one when i % 10 == 0 (100,000 per 1,000,000) */
#define BUILD_BATCH 20000   /* intakes (with their clients, items, events, audit entries) per transaction */
#define BLOB_REUSE 1000     /* rows sharing one sealed blob */
#define BODY_BYTES 200      /* plaintext of the shared intake body */
#define PAGE 20             /* the first page */
#define LIST_RUNS 200       /* of each kind */
#define TICK_RUNS 50
#define EMPTY_TXN_RUNS 200
#define CLI_RUNS 5
#define WARM 5
#define PASSPHRASE "bench passphrase 0123456789"

/* ---- timing and statistics ---- */


static int64_t rnd64_below(int64_t n) { return n > 0 ? (int64_t)(rnd() % (uint64_t)n) : 0; }

/* ---- the temporary directory ---- */


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

static long env_or(const char *name, long dflt) {
    const char *v = getenv(name);
    long x;
    return v && *v && parse_int(v, 1, 100000000, &x) ? x : dflt;
}

/* ---- a database with one supervisor logged in ---- */

static session *open_session(database *db, const char *path) {
    error err = {0};
    db_settings set = {.busy_timeout_ms = 5000, .kdf_cost = KDF_INTERACTIVE, .lock_after = 5, .blind_index_k = 8};
    if (!db_open(db, path, true, &set, &err)) die("open", err.msg);
    if (!db_initialise(db, "bench", PASSPHRASE, strlen(PASSPHRASE), &err)) die("initialise", err.msg);
    session *s = NULL;
    int wait = 0;
    if (session_login(db, "bench", PASSPHRASE, strlen(PASSPHRASE), &s, &wait, &err) != LOGIN_OK)
        die("login", err.msg);
    return s;
}

/* ---- building: clients, intakes, queue items, events, audit entries straight through the store ops ---- */

typedef struct {
    session *s;
    const queue_policy *pol;
    int64_t now;
    blob name_ct, body_ct;      /* shared by BLOB_REUSE rows */
    long long intakes, clients, events, audits;
    int open, closed;
    int open_level[LEVEL_COUNT], open_state[QS_COUNT], open_overdue, open_pending, open_assigned;
    int64_t min_left, max_left; /* deadline - now over the open items */
} builder;

static const char *const levels[LEVEL_COUNT] = {"green", "yellow", "orange", "red"};

static void add_event(builder *b, const char *item_id, int64_t at, const char *what, const char *from,
                      const char *to, const char *lb, const char *la) {
    queue_event_rec e;
    memset(&e, 0, sizeof e);
    id_new(e.id);
    memcpy(e.item_id, item_id, STORE_ID_LEN);
    e.at = at;
    snprintf(e.staff_id, sizeof e.staff_id, "%s", b->s->me.id);
    snprintf(e.action, sizeof e.action, "%s", what);
    snprintf(e.from_state, sizeof e.from_state, "%s", from);
    snprintf(e.to_state, sizeof e.to_state, "%s", to);
    snprintf(e.level_before, sizeof e.level_before, "%s", lb);
    snprintf(e.level_after, sizeof e.level_after, "%s", la);
    if (b->s->db->ops->queue_event_add(b->s->db->st, &e) != ST_OK)
        die("build: queue_event_add", b->s->db->ops->errmsg(b->s->db->st));
    b->events++;
}

/* An open item whose required step is not yet done (so that it falls due when the clock moves on), with
 * its deadline between 1 minute and its level's whole window ahead of now. */
static void put_open_item(builder *b, const char *client_id, const char *intake_id) {
    const queue_policy *p = b->pol;
    unsigned r = rnd_below(100);
    risk_level level = r < 5 ? LEVEL_RED : r < 20 ? LEVEL_ORANGE : r < 50 ? LEVEL_YELLOW : LEVEL_GREEN;
    bool overdue = level != LEVEL_GREEN && rnd_below(100) < 5; /* escalated once already, still open */
    int64_t within = p->within[level];
    int64_t since = b->now - rnd64_below(within - 60); /* deadline in (now + 60 s, now + within] */
    queue_item it;
    char id[STORE_ID_LEN];
    id_new(id);
    queue_item_new(p, &it, id, client_id, intake_id, level, overdue ? since - 3 * 86400 : since);
    it.level_since = since;
    it.deadline = queue_deadline(p, level, since);
    if (overdue) {
        it.overdue = true;
        it.escalations = 1;
    }
    /* a state below the level's step: red open; orange and yellow open or acknowledged; green up to assigned */
    queue_state top = p->step[level];
    it.state = (queue_state)rnd_below((unsigned)top);
    if (it.state == QS_ASSIGNED) snprintf(it.counselor, sizeof it.counselor, "c%02u", 1 + rnd_below(60));
    if (it.state == QS_ASSIGNED && rnd_below(3) == 0) it.contact_attempts = 1 + (int)rnd_below(2);
    if (level > LEVEL_GREEN && rnd_below(100) < 2) it.pending_level = (int)level - 1;
    it.updated_at = since;
    queue_rec rec;
    queue_item_to_rec(&it, &rec);
    rowmac_seal_queue(b->s->v, &rec); /* as triage writes them: every read checks the row MAC */
    if (b->s->db->ops->queue_put(b->s->db->st, &rec) != ST_OK)
        die("build: queue_put", b->s->db->ops->errmsg(b->s->db->st));
    add_event(b, it.id, it.created_at, "enqueue", "none", "open", "none", levels[level]);
    b->open++;
    b->open_level[level]++;
    b->open_state[it.state]++;
    b->open_overdue += it.overdue;
    b->open_pending += it.pending_level >= 0;
    b->open_assigned += it.counselor[0] != 0;
    int64_t left = it.deadline - b->now;
    if (b->open == 1 || left < b->min_left) b->min_left = left;
    if (b->open == 1 || left > b->max_left) b->max_left = left;
}

static void put_closed_item(builder *b, const char *client_id, const char *intake_id, int64_t created) {
    static const queue_outcome outcomes[5] = {QO_FIRST_SESSION, QO_DECLINED, QO_REFERRED, QO_UNREACHABLE,
                                              QO_DUPLICATE};
    risk_level level = (risk_level)rnd_below(LEVEL_COUNT);
    queue_item it;
    char id[STORE_ID_LEN];
    id_new(id);
    queue_item_new(b->pol, &it, id, client_id, intake_id, level, created);
    it.state = QS_CLOSED;
    it.outcome = outcomes[rnd_below(5)];
    it.deadline = 0;
    it.contact_attempts = 1 + (int)rnd_below(3);
    if (it.outcome == QO_FIRST_SESSION) snprintf(it.counselor, sizeof it.counselor, "c%02u", 1 + rnd_below(60));
    it.updated_at = created + 86400 + rnd64_below(30 * 86400);
    queue_rec rec;
    queue_item_to_rec(&it, &rec);
    rowmac_seal_queue(b->s->v, &rec); /* as triage writes them: every read checks the row MAC */
    if (b->s->db->ops->queue_put(b->s->db->st, &rec) != ST_OK)
        die("build: queue_put", b->s->db->ops->errmsg(b->s->db->st));
    add_event(b, it.id, it.created_at, "enqueue", "none", "open", "none", levels[level]);
    add_event(b, it.id, it.updated_at, "close", "contacted", "closed", levels[level], levels[level]);
    b->closed++;
}

/* Every BLOB_REUSE rows: a fresh sealed name and body, sealed for the first row of the group (the other
 * rows carry the same bytes and would not open: the queue queries never open them). */
static void reseal(builder *b, const char *client_id, const char *intake_id) {
    static char body[BODY_BYTES + 1];
    if (!body[0]) {
        memset(body, 'x', BODY_BYTES);
        memcpy(body, "{\"answers\":{},\"scores\":{},\"level\":\"green\",\"pad\":\"", 49);
        memcpy(body + BODY_BYTES - 2, "\"}", 2);
    }
    blob_free(&b->name_ct);
    blob_free(&b->body_ct);
    if (!vault_seal(b->s->v, "clients", "name", client_id, "Bench Client Name", 17, &b->name_ct.p, &b->name_ct.n) ||
        !vault_seal(b->s->v, "intakes", "body", intake_id, body, BODY_BYTES, &b->body_ct.p, &b->body_ct.n))
        die("build", "cannot seal");
}

/* Intake number i (0-based) and its client; force_open puts an open item on it whatever i is. */
static void build_one(builder *b, long long i, bool force_open) {
    database *db = b->s->db;
    client_rec c;
    memset(&c, 0, sizeof c);
    id_new(c.id);
    intake_rec r;
    memset(&r, 0, sizeof r);
    id_new(r.id);
    if (b->intakes % BLOB_REUSE == 0) reseal(b, c.id, r.id);
    /* intakes spread over the last ~3 years, oldest first */
    int64_t created = b->now - 3 * 365 * 86400LL + (int64_t)(i * 90);
    if (created > b->now - 3600) created = b->now - 3600;
    c.created_at = created;
    snprintf(c.created_by, sizeof c.created_by, "%s", b->s->me.id);
    c.name_ct = b->name_ct; /* borrowed: not freed here */
    /* an open item's client and intake are sealed for their own rows: the queue screen opens them (the
     * initials and the main reason of each row it shows) */
    bool opens = force_open || (i % OPEN_EVERY == OPEN_EVERY - 1 && b->open < OPEN_ITEMS);
    blob own_name = {NULL, 0}, own_body = {NULL, 0};
    if (opens) {
        static const char open_body[] =
            "{\"input\":{\"language\":\"en\",\"answers\":{}},\"assessment\":{\"level\":\"yellow\",\"reasons\":[{\"rule\":"
            "\"phq9_moderate\",\"level\":\"yellow\",\"text\":\"PHQ-9 total 10 or more: moderate or worse depressive "
            "symptoms.\",\"because\":\"phq9 total 12\"}],\"scores\":{\"phq9\":{\"total\":12},\"gad7\":{\"total\":9}}}}";
        if (!vault_seal(b->s->v, "clients", "name", c.id, "Bench Open Client", 17, &own_name.p, &own_name.n) ||
            !vault_seal(b->s->v, "intakes", "body", r.id, open_body, strlen(open_body), &own_body.p, &own_body.n))
            die("build", "cannot seal");
        c.name_ct = own_name;
    }
    if (db->ops->client_insert(db->st, &c) != ST_OK) die("build: client_insert", db->ops->errmsg(db->st));
    b->clients++;
    memcpy(r.client_id, c.id, STORE_ID_LEN);
    r.created_at = created;
    snprintf(r.created_by, sizeof r.created_by, "%s", b->s->me.id);
    snprintf(r.level, sizeof r.level, "%s", levels[rnd_below(LEVEL_COUNT)]);
    r.body_ct = opens ? own_body : b->body_ct; /* borrowed */
    rowmac_seal_intake(b->s->v, &r);
    if (db->ops->intake_insert(db->st, &r) != ST_OK) die("build: intake_insert", db->ops->errmsg(db->st));
    blob_free(&own_name);
    blob_free(&own_body);
    b->intakes++;
    error err = {0};
    if (!audit_log(db, b->s->v, b->s->me.id, "intake_create", r.id, r.level, &err)) die("build: audit", err.msg);
    b->audits++;
    if (opens) put_open_item(b, c.id, r.id);
    else if (i % CLOSED_EVERY == 0) put_closed_item(b, c.id, r.id, created);
}

/* ---- a bare SQLite connection for the context rows ---- */

#define BARE_SELECT                                                                                       \
    "SELECT id, client_id, intake_id, level, state, outcome, pending_level, counselor, created_at, "      \
    "level_since, deadline, updated_at, overdue, match_by_hand, escalations, declines_in_row, "           \
    "contact_attempts FROM queue_items WHERE state <> 'closed'"
#define BARE_FIRST_PAGE                                                                                   \
    BARE_SELECT " ORDER BY overdue DESC, CASE level WHEN 'red' THEN 3 WHEN 'orange' THEN 2 WHEN 'yellow' " \
                "THEN 1 ELSE 0 END DESC, deadline = 0, deadline, created_at, id LIMIT 20"

static void bare_text(sqlite3_stmt *st, int i, char *buf, size_t size) {
    const unsigned char *p = sqlite3_column_text(st, i);
    int n = sqlite3_column_bytes(st, i);
    if (!p || n < 0 || (size_t)n >= size) {
        buf[0] = '\0';
        return;
    }
    memcpy(buf, p, (size_t)n);
    buf[n] = '\0';
}

/* Steps sql and copies every column of every row into out (preallocated): no checks, no growing. */
static int bare_read(sqlite3_stmt *st, queue_rec *out, int cap) {
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < cap) {
        queue_rec *o = &out[n++];
        bare_text(st, 0, o->id, sizeof o->id);
        bare_text(st, 1, o->client_id, sizeof o->client_id);
        bare_text(st, 2, o->intake_id, sizeof o->intake_id);
        bare_text(st, 3, o->level, sizeof o->level);
        bare_text(st, 4, o->state, sizeof o->state);
        bare_text(st, 5, o->outcome, sizeof o->outcome);
        bare_text(st, 6, o->pending_level, sizeof o->pending_level);
        bare_text(st, 7, o->counselor, sizeof o->counselor);
        o->created_at = sqlite3_column_int64(st, 8);
        o->level_since = sqlite3_column_int64(st, 9);
        o->deadline = sqlite3_column_int64(st, 10);
        o->updated_at = sqlite3_column_int64(st, 11);
        o->overdue = sqlite3_column_int(st, 12) != 0;
        o->match_by_hand = sqlite3_column_int(st, 13) != 0;
        o->escalations = sqlite3_column_int(st, 14);
        o->declines_in_row = sqlite3_column_int(st, 15);
        o->contact_attempts = sqlite3_column_int(st, 16);
    }
    sqlite3_reset(st);
    return n;
}

static void query_plan(sqlite3 *c, const char *sql, char *out, size_t size) {
    char q[1024];
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st = NULL;
    size_t len = 0;
    out[0] = '\0';
    if (sqlite3_prepare_v2(c, q, -1, &st, NULL) != SQLITE_OK) {
        snprintf(out, size, "(unavailable: %s)", sqlite3_errmsg(c));
        return;
    }
    while (sqlite3_step(st) == SQLITE_ROW && len + 4 < size) {
        const unsigned char *d = sqlite3_column_text(st, 3);
        int k = snprintf(out + len, size - len, "%s%s", len ? "; " : "", d ? (const char *)d : "");
        if (k < 0) break;
        len += (size_t)k < size - len ? (size_t)k : size - len - 1;
    }
    sqlite3_finalize(st);
}

static long long query_count(sqlite3 *c, const char *sql) {
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* ---- the command line, end to end ---- */

/* Runs ./triage-test (the test build: it honours TRIAGE_NOW) with argv (stdout and stderr to files in
 * tmpdir); returns microseconds, or -1. */
static double run_cli(char *const argv[], const char *now_text, long long *out_bytes) {
    char out_path[4200], err_path[4200];
    path_in(out_path, sizeof out_path, "cli.out");
    path_in(err_path, sizeof err_path, "cli.err");
    fflush(stdout);
    fflush(stderr);
    double t0 = now_us();
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600), e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(127);
        setenv("TRIAGE_NOW", now_text, 1);
        unsetenv("TRIAGE_CONFIG");
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    double t1 = now_us();
    if (out_bytes) *out_bytes = file_size(out_path);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        FILE *f = fopen(err_path, "r");
        char line[512];
        fprintf(stderr, "bench_queue: %s exited with status %d\n", argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        while (f && fgets(line, sizeof line, f)) fputs(line, stderr);
        if (f) fclose(f);
        return -1;
    }
    return t1 - t0;
}

/* ---- the tables ---- */

static void table_head(const char *first, const char *c2, const char *c3, const char *c4) {
    printf("| %-76s | %-9s | %-11s | %-31s |\n", first, c2, c3, c4);
    printf("|------------------------------------------------------------------------------|-----------|"
           "-------------|---------------------------------|\n");
}

/* base 0: the baseline row itself */
static void row(const char *label, double median, double p99, double base) {
    if (base <= 0) printf("| %-76s | %9.3f | %11.3f | %-31s |\n", label, median, p99, "1.00");
    else printf("| %-76s | %9.3f | %11.3f | %-31.3f |\n", label, median, p99, median / base);
}

/* ---- the runs ---- */

static int by_urgency(const void *a, const void *b) { return queue_compare(a, b); }

int main(int argc, char **argv) {
    long target = env_or("TRIAGE_BENCH_QUEUE_INTAKES", INTAKES_DEFAULT),
         limit_s = env_or("TRIAGE_BENCH_QUEUE_BUILD_SECONDS", BUILD_SECONDS_DEFAULT);
    if (argc > 1 && !parse_int(argv[1], 1, 100000000, &target)) die("usage", "bench_queue [intakes [build_seconds]]");
    if (argc > 2 && !parse_int(argv[2], 1, 100000, &limit_s)) die("usage", "bench_queue [intakes [build_seconds]]");
    make_tmpdir();
    if (!vault_init()) die("libsodium", "cannot start");
    error err = {0};
    int64_t t_now = clock_now();
    clock_fix(true, t_now);
    queue_policy pol;
    queue_policy_defaults(&pol);

    /* ================= the database ================= */
    char dbpath[4096];
    path_in(dbpath, sizeof dbpath, "queue.db");
    database db;
    session *s = open_session(&db, dbpath);
    builder b;
    memset(&b, 0, sizeof b);
    b.s = s;
    b.pol = &pol;
    b.now = t_now;
    bool stopped = false;
    double b0 = now_us(), last_report = b0;
    fprintf(stderr, "building %ld intakes (batches of %d, time limit %ld s)...\n", target, BUILD_BATCH, limit_s);
    long long i = 0;
    while (i < target) {
        if ((now_us() - b0) / 1e6 >= (double)limit_s) {
            stopped = true;
            break;
        }
        if (!db_begin(&db, &err)) die("build: begin", err.msg);
        for (int k = 0; k < BUILD_BATCH && i < target; k++, i++) build_one(&b, i, false);
        if (!db_commit(&db, &err)) die("build: commit", err.msg);
        double t = now_us();
        if (t - last_report > 15e6 || i == target) {
            fprintf(stderr, "  %lld intakes, %.0f s, %.0f intakes/s\n", i, (t - b0) / 1e6, (double)i / ((t - b0) / 1e6));
            last_report = t;
        }
    }
    long long bulk = b.intakes;
    int open_in_bulk = b.open;
    /* the open items are always all there: top up on extra intakes when the build stopped early */
    if (b.open < OPEN_ITEMS) {
        if (!db_begin(&db, &err)) die("top-up: begin", err.msg);
        while (b.open < OPEN_ITEMS) build_one(&b, i++, true);
        if (!db_commit(&db, &err)) die("top-up: commit", err.msg);
    }
    double build_s = (now_us() - b0) / 1e6;
    blob_free(&b.name_ct);
    blob_free(&b.body_ct);
    fprintf(stderr, "  built in %.0f s; checkpointing...\n", build_s);

    /* a bare connection for counts, the query plan and the context rows; checkpoint what the build left */
    sqlite3 *bare = NULL;
    if (sqlite3_open_v2(dbpath, &bare, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) die("bare open", sqlite3_errmsg(bare));
    sqlite3_busy_timeout(bare, 5000);
    sqlite3_exec(bare, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    long long n_items = query_count(bare, "SELECT count(*) FROM queue_items"),
              n_open = query_count(bare, "SELECT count(*) FROM queue_items WHERE state <> 'closed'"),
              n_intakes = query_count(bare, "SELECT count(*) FROM intakes"),
              n_clients = query_count(bare, "SELECT count(*) FROM clients"),
              n_events = query_count(bare, "SELECT count(*) FROM queue_events"),
              n_audit = query_count(bare, "SELECT count(*) FROM audit");
    char plan[512], plan_page[512];
    query_plan(bare, BARE_SELECT, plan, sizeof plan);
    query_plan(bare, BARE_FIRST_PAGE, plan_page, sizeof plan_page);
    long long db_file = file_size(dbpath);
    long cache_pages = query_count(bare, "PRAGMA cache_size");
    int page_size = (int)query_count(bare, "PRAGMA page_size");
    long rss_after_build = current_rss_kib();

    /* ================= 1. the first page ================= */
    double *t_list = malloc(sizeof(double) * LIST_RUNS), *t_base = malloc(sizeof(double) * LIST_RUNS),
           *t_conv = malloc(sizeof(double) * LIST_RUNS), *t_sort = malloc(sizeof(double) * LIST_RUNS),
           *t_bare = malloc(sizeof(double) * LIST_RUNS), *t_bare_big = malloc(sizeof(double) * LIST_RUNS),
           *t_page_sql = malloc(sizeof(double) * LIST_RUNS);
    queue_item page[PAGE];
    int listed = 0, base_n = 0;
    volatile long long sink = 0;
    for (int r = -WARM; r < LIST_RUNS; r++) {
        double tl = 0, tb = 0;
        for (int half = 0; half < 2; half++) { /* alternate which goes first */
            bool whole = (half == 0) == (r % 2 == 0);
            if (whole) {
                queue_item *items = NULL;
                int n = 0;
                double t0 = now_us();
                if (!queues_list_open(&db, &items, &n, &err)) die("queues_list_open", err.msg);
                int k = n < PAGE ? n : PAGE;
                memcpy(page, items, sizeof *page * (size_t)k);
                free(items);
                tl = now_us() - t0;
                listed = n;
            } else {
                queue_rec *list = NULL;
                int n = 0;
                double t0 = now_us();
                if (db.ops->queue_list_open(db.st, &list, &n) != ST_OK) die("ops->queue_list_open", db.ops->errmsg(db.st));
                free(list);
                tb = now_us() - t0;
                base_n = n;
            }
        }
        if (r >= 0) {
            t_list[r] = tl / 1000.0;
            t_base[r] = tb / 1000.0;
        }
    }
    sink += page[0].created_at;
    /* triage's first page: queues_first_page reads PAGE items through the queue_urgency index */
    double *t_first = malloc(sizeof(double) * LIST_RUNS);
    bool first_same = true;
    for (int r = -WARM; r < LIST_RUNS; r++) {
        queue_item *items = NULL;
        int n = 0;
        double t0 = now_us();
        if (!queues_first_page(&db, PAGE, &items, &n, &err)) die("queues_first_page", err.msg);
        double tf = now_us() - t0;
        if (r >= 0) t_first[r] = tf / 1000.0;
        for (int k = 0; k < n && k < PAGE; k++) first_same = first_same && strcmp(items[k].id, page[k].id) == 0;
        first_same = first_same && n == (listed < PAGE ? listed : PAGE);
        free(items);
    }
    /* the parts: conversion and sort alone, on one read of the list */
    {
        queue_rec *list = NULL;
        int n = 0;
        if (db.ops->queue_list_open(db.st, &list, &n) != ST_OK) die("ops->queue_list_open", db.ops->errmsg(db.st));
        queue_item *items = xcalloc((size_t)(n ? n : 1), sizeof *items), *unsorted = xcalloc((size_t)(n ? n : 1), sizeof *items);
        for (int r = 0; r < LIST_RUNS; r++) {
            double t0 = now_us();
            for (int k = 0; k < n; k++) queue_item_from_rec(&list[k], &items[k]);
            double t1 = now_us();
            if (r == 0) memcpy(unsorted, items, sizeof *items * (size_t)n);
            memcpy(items, unsorted, sizeof *items * (size_t)n);
            double t2 = now_us();
            qsort(items, (size_t)n, sizeof *items, by_urgency);
            double t3 = now_us();
            t_conv[r] = (t1 - t0) / 1000.0;
            t_sort[r] = (t3 - t2) / 1000.0;
            sink += items[0].deadline;
        }
        free(list);
        free(items);
        free(unsorted);
    }
    /* the same SELECT on a bare connection: default cache, then a 64 MiB cache; and the first page in SQL */
    bool same_page = true;
    int page_sql_n = 0;
    {
        queue_rec *buf = xcalloc(OPEN_ITEMS * 2, sizeof *buf);
        sqlite3_stmt *st = NULL, *pg = NULL;
        if (sqlite3_prepare_v2(bare, BARE_SELECT, -1, &st, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(bare, BARE_FIRST_PAGE, -1, &pg, NULL) != SQLITE_OK)
            die("bare prepare", sqlite3_errmsg(bare));
        for (int r = -WARM; r < LIST_RUNS; r++) {
            double t0 = now_us();
            int n = bare_read(st, buf, OPEN_ITEMS * 2);
            double t1 = now_us();
            if (r >= 0) t_bare[r] = (t1 - t0) / 1000.0;
            sink += n;
        }
        for (int r = -WARM; r < LIST_RUNS; r++) {
            double t0 = now_us();
            page_sql_n = bare_read(pg, buf, OPEN_ITEMS * 2);
            double t1 = now_us();
            if (r >= 0) t_page_sql[r] = (t1 - t0) / 1000.0;
        }
        for (int k = 0; k < PAGE && k < page_sql_n; k++)
            if (strcmp(buf[k].id, page[k].id) != 0) same_page = false;
        if (page_sql_n != (listed < PAGE ? listed : PAGE)) same_page = false;
        sqlite3_exec(bare, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
        for (int r = -WARM; r < LIST_RUNS; r++) {
            double t0 = now_us();
            int n = bare_read(st, buf, OPEN_ITEMS * 2);
            double t1 = now_us();
            if (r >= 0) t_bare_big[r] = (t1 - t0) / 1000.0;
            sink += n;
        }
        sqlite3_finalize(st);
        sqlite3_finalize(pg);
        free(buf);
    }
    sqlite3_close(bare); /* nothing holds a read snapshot during the ticks */
    stats list = summarise(t_list, LIST_RUNS), base = summarise(t_base, LIST_RUNS), conv = summarise(t_conv, LIST_RUNS),
          sortst = summarise(t_sort, LIST_RUNS), barest = summarise(t_bare, LIST_RUNS),
          bare_big = summarise(t_bare_big, LIST_RUNS), page_sql = summarise(t_page_sql, LIST_RUNS);

    /* the command line, end to end */
    double t_cli[CLI_RUNS], t_ver[CLI_RUNS], t_cli_od[CLI_RUNS];
    long long cli_bytes = 0, cli_od_bytes = 0;
    bool cli_ok = access("./triage-test", X_OK) == 0 && access("config.ini", R_OK) == 0;
    char now_text[32];
    snprintf(now_text, sizeof now_text, "%lld", (long long)t_now);
    for (int r = 0; cli_ok && r < CLI_RUNS; r++) {
        char *qargv[] = {"./triage-test", "--config", "config.ini", "--db", dbpath, "queue", "--json", NULL};
        char *oargv[] = {"./triage-test", "--config", "config.ini", "--db", dbpath, "queue", "--overdue", "--json", NULL};
        char *vargv[] = {"./triage-test", "--version", NULL};
        t_ver[r] = run_cli(vargv, now_text, NULL) / 1000.0;
        t_cli[r] = run_cli(qargv, now_text, &cli_bytes) / 1000.0;
        t_cli_od[r] = run_cli(oargv, now_text, &cli_od_bytes) / 1000.0;
        if (t_ver[r] < 0 || t_cli[r] < 0 || t_cli_od[r] < 0) cli_ok = false;
    }
    stats cli = {0, 0, 0, 0}, ver = {0, 0, 0, 0}, cli_od = {0, 0, 0, 0};
    if (cli_ok) {
        cli = summarise(t_cli, CLI_RUNS);
        ver = summarise(t_ver, CLI_RUNS);
        cli_od = summarise(t_cli_od, CLI_RUNS);
    }

    /* ================= 2. overdue escalation ================= */
    double *t_tick = malloc(sizeof(double) * TICK_RUNS), *t_tbase = malloc(sizeof(double) * TICK_RUNS),
           *t_empty = malloc(sizeof(double) * EMPTY_TXN_RUNS);
    int escalated_idle = 0;
    for (int r = -WARM; r < TICK_RUNS; r++) {
        double tt = 0, tb = 0;
        for (int half = 0; half < 2; half++) {
            bool tick = (half == 0) == (r % 2 == 0);
            double t0 = now_us();
            if (tick) {
                int esc = 0;
                if (!queues_tick(&db, &pol, &esc, &err)) die("queues_tick", err.msg);
                tt = now_us() - t0;
                escalated_idle += esc;
            } else {
                queue_item *items = NULL;
                int n = 0;
                if (!queues_list_open(&db, &items, &n, &err)) die("queues_list_open", err.msg);
                free(items);
                tb = now_us() - t0;
            }
        }
        if (r >= 0) {
            t_tick[r] = tt / 1000.0;
            t_tbase[r] = tb / 1000.0;
        }
    }
    for (int r = 0; r < EMPTY_TXN_RUNS; r++) {
        double t0 = now_us();
        if (!db_begin(&db, &err) || !db_commit(&db, &err)) die("empty transaction", err.msg);
        t_empty[r] = (now_us() - t0) / 1000.0;
    }
    stats tick_idle = summarise(t_tick, TICK_RUNS), tick_base = summarise(t_tbase, TICK_RUNS),
          empty = summarise(t_empty, EMPTY_TXN_RUNS);

    /* (b) every open item due: the clock 400 days ahead, once */
    clock_fix(true, t_now + 400 * 86400LL);
    int escalated = 0;
    double tb0 = now_us();
    if (!queues_tick(&db, &pol, &escalated, &err)) die("queues_tick (all due)", err.msg);
    double tick_all_ms = (now_us() - tb0) / 1000.0;
    /* the next keyed write seals the MAC-less audit entries the tick wrote (audit_seal_pending) */
    double ts0 = now_us();
    if (!session_begin(s, &err) || !audit_log(&db, s->v, s->me.id, "bench", "", "", &err) ||
        !db_commit(&db, &err))
        die("audit entry after the tick", err.msg);
    double seal_ms = (now_us() - ts0) / 1000.0;
    double ts1 = now_us();
    if (!session_begin(s, &err) || !audit_log(&db, s->v, s->me.id, "bench", "", "", &err) ||
        !db_commit(&db, &err))
        die("audit entry", err.msg);
    double audit1_ms = (now_us() - ts1) / 1000.0;
    /* a second tick at the same instant: the new deadlines are not due */
    int escalated_again = 0;
    double tc0 = now_us();
    if (!queues_tick(&db, &pol, &escalated_again, &err)) die("queues_tick (again)", err.msg);
    double tick_again_ms = (now_us() - tc0) / 1000.0;

    /* after (b) every open row was rewritten (INSERT OR REPLACE: a new rowid), so the 10,000 open rows now
     * sit together at the end of the table: the same reads on that layout */
    double *t_list2 = malloc(sizeof(double) * LIST_RUNS), *t_base2 = malloc(sizeof(double) * LIST_RUNS);
    for (int r = -WARM; r < LIST_RUNS; r++) {
        double tl = 0, tb = 0;
        for (int half = 0; half < 2; half++) {
            bool whole = (half == 0) == (r % 2 == 0);
            double t0 = now_us();
            if (whole) {
                queue_item *items = NULL;
                int n = 0;
                if (!queues_list_open(&db, &items, &n, &err)) die("queues_list_open", err.msg);
                memcpy(page, items, sizeof *page * (size_t)(n < PAGE ? n : PAGE));
                free(items);
                tl = now_us() - t0;
            } else {
                queue_rec *l2 = NULL;
                int n = 0;
                if (db.ops->queue_list_open(db.st, &l2, &n) != ST_OK) die("ops->queue_list_open", db.ops->errmsg(db.st));
                free(l2);
                tb = now_us() - t0;
            }
        }
        if (r >= 0) {
            t_list2[r] = tl / 1000.0;
            t_base2[r] = tb / 1000.0;
        }
    }
    stats list2 = summarise(t_list2, LIST_RUNS), base2 = summarise(t_base2, LIST_RUNS);

    /* what-if (not triage's schema): an expression index in the urgency order, so that the first page reads
     * 20 rows; and an index on the deadline of open items, so that a tick with nothing due reads none. Made
     * last, on a separate connection, in this throwaway database. */
    double *t_idx_page = malloc(sizeof(double) * LIST_RUNS), *t_idx_due = malloc(sizeof(double) * LIST_RUNS);
    double idx_build_ms = 0;
    bool idx_same = true, idx_used = false;
    char plan_idx[512] = "", plan_due[512] = "";
    long long due_found = -1;
    {
        if (sqlite3_open_v2(dbpath, &bare, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) die("bare open", sqlite3_errmsg(bare));
        sqlite3_busy_timeout(bare, 5000);
        double t0 = now_us();
        char *msg = NULL;
        if (sqlite3_exec(bare,
                         "CREATE INDEX bench_urgency ON queue_items(overdue DESC, (CASE level WHEN 'red' THEN 3 WHEN "
                         "'orange' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END) DESC, deadline = 0, deadline, created_at, id) "
                         "WHERE state <> 'closed';"
                         "CREATE INDEX bench_due ON queue_items(deadline) WHERE state <> 'closed'",
                         NULL, NULL, &msg) != SQLITE_OK)
            die("what-if index", msg);
        idx_build_ms = (now_us() - t0) / 1000.0;
        query_plan(bare, BARE_FIRST_PAGE, plan_idx, sizeof plan_idx);
        idx_used = strstr(plan_idx, "bench_urgency") != NULL;
        static const char due_sql[] = "SELECT id FROM queue_items WHERE state <> 'closed' AND deadline BETWEEN 1 AND ?1";
        query_plan(bare, "SELECT id FROM queue_items WHERE state <> 'closed' AND deadline BETWEEN 1 AND 1", plan_due,
                   sizeof plan_due);
        queue_rec *buf = xcalloc(PAGE, sizeof *buf);
        sqlite3_stmt *pg = NULL, *due = NULL;
        if (sqlite3_prepare_v2(bare, BARE_FIRST_PAGE, -1, &pg, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(bare, due_sql, -1, &due, NULL) != SQLITE_OK)
            die("bare prepare", sqlite3_errmsg(bare));
        sqlite3_bind_int64(due, 1, clock_now());
        int n = 0;
        for (int r = -WARM; r < LIST_RUNS; r++) {
            double t1 = now_us();
            n = bare_read(pg, buf, PAGE);
            double t2 = now_us();
            long long k = 0;
            while (sqlite3_step(due) == SQLITE_ROW) k++;
            sqlite3_reset(due);
            double t3 = now_us();
            due_found = k;
            if (r >= 0) {
                t_idx_page[r] = (t2 - t1) / 1000.0;
                t_idx_due[r] = (t3 - t2) / 1000.0;
            }
        }
        sqlite3_finalize(pg);
        sqlite3_finalize(due);
        sqlite3_close(bare);
        for (int k = 0; k < PAGE && k < n; k++)
            if (strcmp(buf[k].id, page[k].id) != 0) idx_same = false;
        if (n != (listed < PAGE ? listed : PAGE)) idx_same = false;
        free(buf);
    }
    stats idx_page = summarise(t_idx_page, LIST_RUNS), idx_due = summarise(t_idx_due, LIST_RUNS);
    clock_fix(true, t_now);
    long rss_end = current_rss_kib();
    session_end(s);
    db_close(&db);

    /* ================= the report ================= */
    printf("triage bench_queue: SQLite %s, WAL, synchronous=FULL; KDF interactive; queue policy: the defaults of "
           "config.ini [queue]; clock fixed at %s (epoch)\n\n",
           sqlite3_libversion(), now_text);
    if (stopped)
        printf("**NOT REACHED: the build stopped at the time limit of %ld s with %lld of the %ld intakes asked for; "
               "every figure below is for %lld intakes.**\n\n",
               limit_s, bulk, target, b.intakes);
    printf("database: %lld intakes of %lld clients (one client each), %lld queue items (%lld open, %lld closed), "
           "%lld queue events, %lld audit entries; %.1f MiB (page size %d, SQLite cache %ld%s)\n",
           n_intakes, n_clients, n_items, n_open, n_items - n_open, n_events, n_audit, (double)db_file / 1048576.0,
           page_size, cache_pages < 0 ? -cache_pages : cache_pages, cache_pages < 0 ? " KiB" : " pages");
    printf("build: %.1f s, %.0f intakes/s, %d intakes per transaction: client_insert, intake_insert, audit_log (with "
           "MAC) per intake; every %dth intake an open item (queue_put + 1 event), every %dth a closed one (queue_put + "
           "2 events)\n",
           build_s, (double)b.intakes / build_s, BUILD_BATCH, OPEN_EVERY, CLOSED_EVERY);
    if (b.intakes > bulk)
        printf("top-up: %d of the %d open items are on %lld extra intakes added after the bulk build\n",
               OPEN_ITEMS - open_in_bulk, OPEN_ITEMS, b.intakes - bulk);
    printf("content: every %d clients share one sealed name (%d bytes) and every %d intakes one sealed body (%d bytes, "
           "not the ~2 KB of a real intake), sealed for the first row of each group, so the other rows' would not open. "
           "The queue queries never read clients or intakes: here only the row counts and the queue rows matter.\n",
           BLOB_REUSE, 17 + VAULT_FIELD_OVERHEAD, BLOB_REUSE, BODY_BYTES + VAULT_FIELD_OVERHEAD);
    printf("open items: red %d, orange %d, yellow %d, green %d; state open %d, acknowledged %d, confirmed %d, "
           "assigned %d; %d overdue (escalated once before), %d with a lower level pending; every one before its "
           "level's step, deadlines from %lld s to %.1f days ahead, spread among the closed rows%s\n",
           b.open_level[LEVEL_RED], b.open_level[LEVEL_ORANGE], b.open_level[LEVEL_YELLOW], b.open_level[LEVEL_GREEN],
           b.open_state[QS_OPEN], b.open_state[QS_ACKNOWLEDGED], b.open_state[QS_CONFIRMED], b.open_state[QS_ASSIGNED],
           b.open_overdue, b.open_pending, (long long)b.min_left, (double)b.max_left / 86400.0,
           b.intakes > bulk ? " (the topped-up ones together at the end)" : "");
    printf("query plan of the open-item query (S_QUEUE_LIST_OPEN): %s\n", plan);
    printf("query plan of the first page in SQL (context row only): %s\n\n", plan_page);

    char label[160];
    printf("## 1. The first page of the open queue (%d open items; %d runs of each, alternating)\n\n", listed,
           LIST_RUNS);
    table_head("operation", "median ms", "p99 ms", "ratio to baseline (median)");
    snprintf(label, sizeof label, "baseline: ops->queue_list_open (the SQL read, %d queue_rec)", base_n);
    row(label, base.median, base.p99, 0);
    snprintf(label, sizeof label, "queues_list_open + first %d (read, convert, sort all, copy %d)", PAGE, PAGE);
    row(label, list.median, list.p99, base.median);
    snprintf(label, sizeof label, "context: queue_item_from_rec of the %d records alone", base_n);
    row(label, conv.median, conv.p99, base.median);
    snprintf(label, sizeof label, "context: qsort of the %d items alone (queue_compare)", base_n);
    row(label, sortst.median, sortst.p99, base.median);
    row("context: the same SELECT, bare connection, no checks", barest.median, barest.p99, base.median);
    row("context: the same, bare connection with a 64 MiB page cache", bare_big.median, bare_big.p99, base.median);
    snprintf(label, sizeof label, "context: the first %d in SQL (ORDER BY urgency LIMIT %d), bare", PAGE, PAGE);
    row(label, page_sql.median, page_sql.p99, base.median);
    if (cli_ok) {
        snprintf(label, sizeof label, "end to end (fork, exec, wait; %d runs each)", CLI_RUNS);
        printf("\n");
        table_head(label, "median ms", "max ms", "ratio to baseline (median)");
        row("baseline: triage --version", ver.median, ver.max, 0);
        row("triage --config config.ini --db DB queue --json", cli.median, cli.max, ver.median);
        row("triage --config config.ini --db DB queue --overdue --json", cli_od.median, cli_od.max, ver.median);
        printf("\nThe command prints every open item (%lld bytes of JSON for %d items): it has no first-page option. "
               "With --overdue it still reads, converts and sorts every open item but prints only the %d overdue "
               "ones (%lld bytes).\n",
               cli_bytes, listed, b.open_overdue, cli_od_bytes);
    } else {
        printf("\n(the command-line run was skipped: ./triage or config.ini not found in the working directory, or the "
               "command failed)\n");
    }
    stats first = summarise(t_first, LIST_RUNS);
    printf("\n");
    table_head("triage's first page (what the screens read)", "median ms", "p99 ms", "ratio to the whole list");
    snprintf(label, sizeof label, "queues_first_page(%d): through the queue_urgency index", PAGE);
    row(label, first.median, first.p99, list.median);
    printf("\nThe first page computed in SQL is the same as queues_list_open's first %d: %s.\n", PAGE,
           same_page ? "yes" : "NO");
    printf("queues_first_page gives the same %d items as queues_list_open: %s.\n", PAGE, first_same ? "yes" : "NO");
    printf("target: first page median under 10 ms: %s (queues_first_page median %.3f ms, p99 %.3f ms; the whole "
           "list of %d sorted: median %.2f ms)%s\n\n",
           first.median < 10.0 ? "met" : "NOT MET", first.median, first.p99, listed, list.median,
           stopped ? " -- at the reduced size above" : "");
    free(t_first);
    char data[128];
    snprintf(data, sizeof data, "%d open among %lld intakes", listed, n_intakes);
    bench_row("first page of the queues (queues_first_page 20)", data, first.median, first.p99, "ms",
              "queues_list_open (read, convert, sort all)", list.median, "< 10 ms", first.median < 10.0);

    printf("## 2. Overdue escalation: queues_tick over %d open items\n\n", listed);
    snprintf(label, sizeof label, "(a) nothing due (%d runs of each, alternating)", TICK_RUNS);
    table_head(label, "median ms", "p99 ms", "ratio to baseline (median)");
    row("baseline: queues_list_open", tick_base.median, tick_base.p99, 0);
    row("queues_tick, nothing due (a read through queue_due; no lock taken)", tick_idle.median, tick_idle.p99,
        tick_base.median);
    bench_row("queues_tick, nothing due (every desk, once a second)", data, tick_idle.median, tick_idle.p99, "ms",
              "queues_list_open", tick_base.median, "", -1);
    row("context: an empty write transaction (db_begin + db_commit)", empty.median, empty.p99, tick_base.median);
    printf("\nitems escalated over the %d idle ticks (warm-up included): %d (expected 0)\n\n", TICK_RUNS + WARM,
           escalated_idle);
    table_head("(b) every open item due: the clock 400 days ahead, once", "total ms", "per item us", "escalated");
    snprintf(label, sizeof label, "queues_tick: queue_put, queue_event_add, audit_log per item, one commit");
    printf("| %-76s | %9.1f | %11.1f | %-31d |\n", label, tick_all_ms,
           escalated ? tick_all_ms * 1000.0 / escalated : 0.0, escalated);
    snprintf(label, sizeof label, "context: next keyed audit entry (audit_seal_pending MACs the tick's %d)", escalated);
    printf("| %-76s | %9.1f | %11s | %-31s |\n", label, seal_ms, "", "");
    printf("| %-76s | %9.1f | %11s | %-31s |\n", "context: a keyed audit entry with nothing to seal", audit1_ms, "", "");
    printf("| %-76s | %9.1f | %11s | %-31d |\n", "context: a second tick at the same instant (nothing due)",
           tick_again_ms, "", escalated_again);
    printf("\nexpected escalated: %d: %s\n\n", OPEN_ITEMS, escalated == OPEN_ITEMS ? "yes" : "NO");

    printf("## 2c. The first page again, after (b): the open rows rewritten together at the end of the table\n\n");
    printf("In the database as built, the open rows are spread among the closed ones (every ~11th row of the table), "
           "so reading them touches nearly every page of queue_items. Every change to an item rewrites its row at the "
           "end of the table (INSERT OR REPLACE gives a new rowid), so a live database lies between the two layouts: "
           "items changed recently sit together, items left alone sit among the closed rows of their time.\n\n");
    snprintf(label, sizeof label, "operation (%d runs of each, alternating)", LIST_RUNS);
    table_head(label, "median ms", "p99 ms", "ratio to baseline (median)");
    row("baseline: ops->queue_list_open, open rows together", base2.median, base2.p99, 0);
    snprintf(label, sizeof label, "queues_list_open + first %d, open rows together", PAGE);
    row(label, list2.median, list2.p99, base2.median);
    printf("\ncontext: reading and sorting every open item on this layout takes median %.2f ms (p99 %.2f ms); the "
           "screens' first page reads 20 through the queue_urgency index instead (section 1)\n\n",
           list2.median, list2.p99);

    printf("## 2d. What-if (NOT triage's schema): two partial indexes made on this database at the end\n\n");
    printf("bench_urgency ON queue_items(overdue DESC, level rank DESC, deadline = 0, deadline, created_at, id) and "
           "bench_due ON queue_items(deadline), both WHERE state <> 'closed'; made in %.0f ms.\n", idx_build_ms);
    printf("plan of the first page: %s%s\nplan of the due items: %s\n\n", plan_idx,
           idx_used ? "" : " (the index was NOT used)", plan_due);
    snprintf(label, sizeof label, "query on a bare connection (%d runs)", LIST_RUNS);
    table_head(label, "median ms", "p99 ms", "ratio to 2c's baseline (median)");
    snprintf(label, sizeof label, "the first %d in urgency order through bench_urgency (%d rows read)", PAGE, PAGE);
    row(label, idx_page.median, idx_page.p99, base2.median);
    snprintf(label, sizeof label, "the due items through bench_due (a tick's read; %lld found)", due_found);
    row(label, idx_due.median, idx_due.p99, base2.median);
    printf("\nthe first %d through the index are queues_list_open's first %d: %s\n\n", PAGE, PAGE,
           idx_same ? "yes" : "NO");

    printf("## 3. Memory\n\npeak RSS: %ld KiB (getrusage; it includes the 64 MiB Argon2id of KDF_INTERACTIVE at the "
           "login and the build). Current RSS after the build: %ld KiB; at the end: %ld KiB. One queue_rec is %zu "
           "bytes, one queue_item %zu: a list of %d open items holds ~%.1f MiB of records while it is converted.\n",
           peak_rss_kib(), rss_after_build, rss_end, sizeof(queue_rec), sizeof(queue_item), listed,
           (double)listed * (double)(sizeof(queue_rec) + sizeof(queue_item)) / 1048576.0);
    free(t_list);
    free(t_base);
    free(t_conv);
    free(t_sort);
    free(t_bare);
    free(t_bare_big);
    free(t_page_sql);
    free(t_tick);
    free(t_tbase);
    free(t_empty);
    free(t_list2);
    free(t_base2);
    free(t_idx_page);
    free(t_idx_due);
    /* 4. the front desk on this database: opening the queue screen, and an idle open queue screen */
    if (cli_ok) {
        /* on triage's own schema: the what-if indexes of 2d go first */
        if (sqlite3_open_v2(dbpath, &bare, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
            sqlite3_exec(bare, "DROP INDEX IF EXISTS bench_urgency; DROP INDEX IF EXISTS bench_due", NULL, NULL, NULL) != SQLITE_OK)
            die("dropping the what-if indexes", sqlite3_errmsg(bare));
        sqlite3_close(bare);
        char cmd[8192];
        snprintf(cmd, sizeof cmd, "sh tests/bench/bench_desk.sh '%s' '%s' bench", dbpath, PASSPHRASE);
        printf("\n");
        fflush(stdout);
        if (system(cmd) != 0) fprintf(stderr, "bench_queue: the front desk measurements failed\n");
    }
    return sink == 42 ? 2 : 0;
}
