/* Load: several desks (processes, each tests/faults/writer.c in load mode with its own login and SQLite
 * connection) create intakes and move queue items against one database at the highest rate they can.
 * Counts what each desk had acknowledged and checks it is all there afterwards (none lost), counts every
 * failed write and among them the "locked / busy" ones a person would have seen (must be 0: busy_timeout and
 * the store's retries must absorb the contention), and reports throughput and save latency (p50, p99)
 * against a single desk measured in the same run.
 *
 *   load CONFIG DB WRITER DESKS SECONDS [BASELINE_SECONDS]
 *       desks are the staff desk1..deskDESKS (one passphrase for all, on stdin). With BASELINE_SECONDS > 0,
 *       desk1 first runs alone for that long (the baseline), then all DESKS together for SECONDS.
 * Last line `load: ok` or `load: FAIL`; exit status 0 when none was lost and nothing failed. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "store.h"

#define MAX_DESKS 64

extern char **environ;

typedef struct {
    double *v;
    int n, cap;
} samples;

static void add(samples *s, double x) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->v = realloc(s->v, sizeof(double) * (size_t)s->cap);
        if (!s->v) exit(2);
    }
    s->v[s->n++] = x;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(samples *s, int p) {
    if (!s->n) return 0;
    qsort(s->v, (size_t)s->n, sizeof *s->v, cmp);
    int i = (s->n * p) / 100;
    return s->v[i < s->n ? i : s->n - 1];
}

typedef char rid[STORE_ID_LEN];
typedef struct {
    rid *intakes, *items; /* acknowledged intake and its item */
    rid *moved;           /* items whose move was acknowledged */
    int n_intakes, n_moved, cap_i, cap_items, cap_m;
    samples save, move;
    int saves, moves, errors, busy, desks_done;
    double seconds;
    char first_error[512];
} run;

static void grow_ids(rid **v, int n, int *cap) {
    if (n < *cap) return;
    *cap = *cap ? *cap * 2 : 1024;
    *v = realloc(*v, sizeof(rid) * (size_t)*cap);
    if (!*v) exit(2);
}

static void put_id(rid dst, const char *s) {
    size_t n = strnlen(s, STORE_ID_LEN - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void take_line(run *r, const char *line) {
    char a[STORE_ID_LEN], b[STORE_ID_LEN], c[STORE_ID_LEN];
    double us;
    int s, m, e, bz;
    if (sscanf(line, "ack intake %36s %36s %36s", a, b, c) == 3) {
        grow_ids(&r->intakes, r->n_intakes, &r->cap_i);
        grow_ids(&r->items, r->n_intakes, &r->cap_items);
        put_id(r->intakes[r->n_intakes], a);
        put_id(r->items[r->n_intakes++], c);
    } else if (sscanf(line, "ack queue %36s", a) == 1) {
        grow_ids(&r->moved, r->n_moved, &r->cap_m);
        put_id(r->moved[r->n_moved++], a);
    } else if (sscanf(line, "lat save %lf", &us) == 1) {
        add(&r->save, us);
    } else if (sscanf(line, "lat move %lf", &us) == 1) {
        add(&r->move, us);
    } else if (sscanf(line, "done %d %d %d %d", &s, &m, &e, &bz) == 4) {
        r->saves += s;
        r->moves += m;
        r->errors += e;
        r->busy += bz;
        r->desks_done++;
    } else if (strncmp(line, "error", 5) == 0 && !r->first_error[0]) {
        snprintf(r->first_error, sizeof r->first_error, "%.500s", line);
    }
}

typedef struct {
    pid_t pid;
    int in, out;
    char buf[1 << 16];
    size_t have;
    bool eof;
} desk;

static bool start(desk *d, const char *writer, const char *cfg, const char *db, const char *user, const char *secs,
                  const char *pass) {
    int to[2], from[2];
    if (pipe(to) != 0 || pipe(from) != 0) return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from[1], 1);
    posix_spawn_file_actions_addclose(&fa, to[1]);
    posix_spawn_file_actions_addclose(&fa, from[0]);
    char *argv[] = {(char *)writer, "load", (char *)cfg, (char *)db, (char *)user, (char *)secs, NULL};
    int rc = posix_spawn(&d->pid, writer, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(to[0]);
    close(from[1]);
    if (rc != 0) return false;
    d->in = to[1];
    d->out = from[0];
    d->have = 0;
    d->eof = false;
    dprintf(d->in, "%s\n", pass);
    return true;
}

/* Reads from every desk until each has said `until` (a line prefix) or, with until NULL, until EOF. */
static void gather(desk *ds, int n, run *r, const char *until) {
    bool *seen = calloc((size_t)n, sizeof *seen);
    for (;;) {
        struct pollfd p[MAX_DESKS];
        int live = 0;
        for (int i = 0; i < n; i++) {
            p[i] = (struct pollfd){ds[i].eof || (until && seen[i]) ? -1 : ds[i].out, POLLIN, 0};
            if (p[i].fd >= 0) live++;
        }
        if (!live) break;
        if (poll(p, (nfds_t)n, -1) < 0 && errno != EINTR) break;
        for (int i = 0; i < n; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP))) continue;
            desk *d = &ds[i];
            ssize_t got = read(d->out, d->buf + d->have, sizeof d->buf - d->have - 1);
            if (got <= 0) {
                d->eof = true;
                continue;
            }
            d->have += (size_t)got;
            char *nl;
            while ((nl = memchr(d->buf, '\n', d->have)) != NULL) {
                *nl = '\0';
                if (until && strncmp(d->buf, until, strlen(until)) == 0) seen[i] = true;
                take_line(r, d->buf);
                size_t used = (size_t)(nl - d->buf) + 1;
                memmove(d->buf, nl + 1, d->have - used);
                d->have -= used;
            }
        }
    }
    free(seen);
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs n desks together for secs seconds. */
static bool load(run *r, int n, long secs, const char *writer, const char *cfg, const char *db, const char *pass) {
    desk *ds = calloc((size_t)n, sizeof *ds);
    char s[32];
    snprintf(s, sizeof s, "%ld", secs);
    for (int i = 0; i < n; i++) {
        char user[32];
        snprintf(user, sizeof user, "desk%d", i + 1);
        if (!start(&ds[i], writer, cfg, db, user, s, pass)) {
            fprintf(stderr, "load: cannot start %s\n", writer);
            return false;
        }
    }
    gather(ds, n, r, "ready"); /* every desk has logged in */
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        dprintf(ds[i].in, "go\n");
        close(ds[i].in);
    }
    gather(ds, n, r, NULL);
    r->seconds = now_s() - t0;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        int st = 0;
        waitpid(ds[i].pid, &st, 0);
        close(ds[i].out);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) ok = false;
    }
    free(ds);
    return ok && r->desks_done == n;
}

/* Every acknowledged intake and its queue item are there, and the item is acknowledged. */
static int lost(const run *r, database *db) {
    int missing = 0;
    for (int i = 0; i < r->n_intakes; i++) {
        intake_rec in;
        if (db->ops->intake_get(db->st, r->intakes[i], &in) != ST_OK) {
            if (missing++ < 5) printf("FAIL acknowledged intake %s is missing\n", r->intakes[i]);
            continue;
        }
        intake_rec_free(&in);
        queue_rec q;
        if (db->ops->queue_get(db->st, r->items[i], &q) != ST_OK) {
            if (missing++ < 5) printf("FAIL the queue item %s of intake %s is missing\n", r->items[i], r->intakes[i]);
        }
    }
    for (int i = 0; i < r->n_moved; i++) {
        queue_rec q;
        if (db->ops->queue_get(db->st, r->moved[i], &q) != ST_OK || strcmp(q.state, "acknowledged") != 0)
            if (missing++ < 5) printf("FAIL the acknowledged move of item %s is missing\n", r->moved[i]);
    }
    return missing;
}

static int count_intakes(void *ctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                         size_t n) {
    (void)row;
    (void)ct;
    (void)n;
    if (strcmp(table, "intakes") == 0 && strcmp(column, "body") == 0) ++*(int64_t *)ctx;
    return 0;
}

static void row(const char *name, run *r) {
    printf("| %-18s | %6d | %7.1f | %8.2f | %8.2f | %8.2f | %8.2f | %6d | %6d |\n", name, r->saves,
           r->saves / (r->seconds > 0 ? r->seconds : 1), pct(&r->save, 50) / 1000, pct(&r->save, 99) / 1000,
           pct(&r->move, 50) / 1000, pct(&r->move, 99) / 1000, r->errors, r->busy);
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: load CONFIG DB WRITER DESKS SECONDS [BASELINE_SECONDS]   (stdin: the desks' passphrase)\n");
        return 2;
    }
    const char *cfg = argv[1], *db_path = argv[2], *writer = argv[3];
    int desks = atoi(argv[4]);
    long secs = strtol(argv[5], NULL, 10), base_secs = argc > 6 ? strtol(argv[6], NULL, 10) : 0;
    if (desks < 1 || desks > MAX_DESKS || secs < 1) return 2;
    char pass[256];
    if (!fgets(pass, sizeof pass, stdin)) return 2;
    pass[strcspn(pass, "\n")] = '\0';
    signal(SIGPIPE, SIG_IGN);

    run base = {0}, all = {0};
    bool ok = true;
    if (base_secs > 0) ok = load(&base, 1, base_secs, writer, cfg, db_path, pass) && ok;
    ok = load(&all, desks, secs, writer, cfg, db_path, pass) && ok;

    config c;
    diag d = {NULL, 0, 0};
    if (!config_load(&c, cfg, &d)) return 2;
    diag_free(&d);
    db_settings set;
    db_settings_from_config(&c, &set);
    database db;
    error err = {0};
    if (!db_open(&db, db_path, false, &set, &err)) {
        printf("FAIL %s\n", err.msg);
        return 1;
    }
    int missing = lost(&base, &db) + lost(&all, &db);
    int64_t stored = 0;
    db.ops->each_sealed(db.st, count_intakes, &stored);
    db_close(&db);

    printf("load: %d desks x %.0f s against one database, each its own process, login and connection\n", desks,
           all.seconds);
    printf("| %-18s | %6s | %7s | %8s | %8s | %8s | %8s | %6s | %6s |\n", "", "saves", "saves/s", "save p50",
           "save p99", "move p50", "move p99", "errors", "busy");
    printf("|--------------------|--------|---------|----------|----------|----------|----------|--------|--------|\n");
    if (base_secs > 0) row("1 desk (baseline)", &base);
    char name[32];
    snprintf(name, sizeof name, "%d desks", desks);
    row(name, &all);
    printf("(latencies in ms: a save is intake_save_queued: seal, insert client intake and queue item, audit, "
           "commit with fsync; a move is queues_act)\n");
    if (base_secs > 0 && base.save.n && all.save.n)
        printf("ratio %d desks / 1 desk: save p50 x%.2f, p99 x%.2f; throughput x%.2f\n", desks,
               pct(&all.save, 50) / pct(&base.save, 50), pct(&all.save, 99) / pct(&base.save, 99),
               (all.saves / all.seconds) / (base.saves / base.seconds));
    int acked = base.n_intakes + all.n_intakes;
    printf("acknowledged intakes %d, intakes in the database %lld, lost %d, failed writes %d, busy errors %d\n", acked,
           (long long)stored, missing, base.errors + all.errors, base.busy + all.busy);
    if (all.first_error[0] || base.first_error[0])
        printf("first error: %s\n", all.first_error[0] ? all.first_error : base.first_error);
    ok = ok && missing == 0 && stored == acked && base.errors + all.errors == 0 && base.busy + all.busy == 0;
    /* make bench's summary table (tests/bench/summary.sh): the same columns as bench_row in bench_common.h */
    const char *rows = getenv("TRIAGE_BENCH_ROWS");
    FILE *fp = rows && *rows && base_secs > 0 && base.save.n && all.save.n ? fopen(rows, "a") : NULL;
    if (fp) {
        fprintf(fp, "load\t%d desks saving intakes at full speed: save latency p50 (p99)\t%.0f s, %d saves, %d lost, %d busy\t"
                    "%.4f\t%.4f\tms\t1 desk alone (p50)\t%.4f\tnone lost, no busy error\t%d\n",
                desks, all.seconds, all.saves, missing, base.busy + all.busy, pct(&all.save, 50) / 1000, pct(&all.save, 99) / 1000,
                pct(&base.save, 50) / 1000, ok ? 1 : 0);
        fprintf(fp, "load\t%d desks: saves per second, all desks\t%.0f s\t%.4f\t%.4f\tsaves/s\t1 desk alone\t%.4f\t\t-1\n", desks,
                all.seconds, all.saves / all.seconds, all.saves / all.seconds, base.saves / base.seconds);
        fclose(fp);
    }
    printf("load: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
