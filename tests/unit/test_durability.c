/* Durability of the record store with several desks (processes) on one database:
 *  - four processes, each with its own connection and session, save intakes at the same time: every call
 *    succeeds (no "busy" reaches the caller), every intake is there afterwards, the database verifies;
 *  - a process saving drafts is killed with SIGKILL at a random moment: the draft it last acknowledged
 *    (or the one after) is there, and the database verifies;
 *  - a write committed by one process is seen by another process's open connection.
 *
 * Children are forked while the parent holds no SQLite connection (SQLite connections must not cross a
 * fork); each child opens the database and logs in itself, and leaves with _exit. TRIAGE_TEST_WRITES
 * overrides the number of intakes per writer (default 500) for quick local runs.
 *
 * Everything happens in a directory made with mkdtemp under /tmp and removed afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"
#include "maintenance.h"
#include "records.h"
#include "intake_store.h"
#include "session.h"
#include "store.h"
#include "vault.h"

#define ADMIN_PASS "admin-passphrase-1"
#define WRITER_PASS "writer-passphrase-1"
#define DRAFTER_PASS "drafter-passphrase-1"
#define WRITERS 4
#define DEFAULT_WRITES 500
#define KILL_ROUNDS 10

static const db_settings SETTINGS = {5000, KDF_INTERACTIVE, 3, 8, "", ""};

static char dir[64];
static error msg = {0};

#define OK(call)                                                                                              \
    do {                                                                                                      \
        msg.msg[0] = '\0';                                                                                        \
        if (!(call)) fail_msg("%s failed: %s", #call, msg.msg);                                                   \
    } while (0)

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int group_setup(void **state) {
    (void)state;
    if (!vault_init()) return -1;
    snprintf(dir, sizeof dir, "/tmp/triage-durability-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state) {
    (void)state;
    (void)nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void open_db(database *db, const char *path, bool create) {
    error e = {0};
    if (!db_open(db, path, create, &SETTINGS, &e)) fail_msg("db_open %s: %s", path, e.msg);
}

static session *login(database *db, const char *name, const char *pass) {
    session *s = NULL;
    int wait = 0;
    msg.msg[0] = '\0';
    login_status st = session_login(db, name, pass, strlen(pass), &s, &wait, &msg);
    if (st != LOGIN_OK || !s) fail_msg("login of %s: status %d: %s", name, (int)st, msg.msg);
    return s;
}

/* A new database at dir/name with a supervisor and the given reception workers; closed again. */
static void make_db(char *path, size_t size, const char *name, const char *const *workers, int n,
                    const char *worker_pass) {
    snprintf(path, size, "%s/%s", dir, name);
    database db;
    open_db(&db, path, true);
    OK(db_initialise(&db, "admin", ADMIN_PASS, strlen(ADMIN_PASS), &msg));
    session *admin = login(&db, "admin", ADMIN_PASS);
    for (int i = 0; i < n; i++)
        OK(staff_add(admin, workers[i], ROLE_RECEPTION, worker_pass, strlen(worker_pass), &msg));
    session_end(admin);
    db_close(&db);
}

static void verify_sound(session *s, verify_report *r) {
    OK(db_verify(s, r, &msg));
    if (!r->ok) fail_msg("the database does not verify: %s", r->problem);
}

static int count_sealed(void *ctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                        size_t n) {
    (void)row;
    (void)ct;
    (void)n;
    if (strcmp(table, "intakes") == 0 && strcmp(column, "body") == 0) ++*(int64_t *)ctx;
    return 0;
}

typedef struct {
    const char *action;
    const char *staff_id; /* NULL: anyone */
    int64_t n;
} action_count;

static int count_action(void *ctx, const audit_rec *r) {
    action_count *c = ctx;
    if (strcmp(r->action, c->action) == 0 && (!c->staff_id || strcmp(r->staff_id, c->staff_id) == 0)) c->n++;
    return 0;
}

static int64_t audited(database *db, const char *what, const char *staff_id) {
    action_count c = {what, staff_id, 0};
    assert_int_equal(db->ops->audit_each(db->st, count_action, &c), ST_OK);
    return c.n;
}

/* Writes all of buf or fails (pipes: short writes only on signals). */
static bool write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* ---- concurrent writers ---- */

static int writes_per_writer(void) {
    const char *env = getenv("TRIAGE_TEST_WRITES");
    if (!env || !*env) return DEFAULT_WRITES;
    char *end = NULL;
    long n = strtol(env, &end, 10);
    if (!end || *end || n < 1 || n > 1000000) fail_msg("TRIAGE_TEST_WRITES=%s is not a count from 1", env);
    return (int)n;
}

/* One desk: its own connection and login, then n clients with one intake each. Exit status: 0 when every
 * call succeeded; otherwise the failure is on stderr. */
static int writer(const char *path, const char *name, int n, int ready_fd, int go_fd) {
    error e = {0};
    database db;
    if (!db_open(&db, path, false, &SETTINGS, &e)) {
        fprintf(stderr, "%s: db_open: %s\n", name, e.msg);
        return 10;
    }
    session *s = NULL;
    int wait = 0;
    login_status ls = session_login(&db, name, WRITER_PASS, strlen(WRITER_PASS), &s, &wait, &e);
    if (ls != LOGIN_OK) {
        fprintf(stderr, "%s: login: status %d: %s\n", name, (int)ls, e.msg);
        return 11;
    }
    /* everyone starts together */
    char c = 'r';
    if (!write_all(ready_fd, &c, 1) || read(go_fd, &c, 1) != 0) {
        fprintf(stderr, "%s: start signal\n", name);
        return 12;
    }
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        char cname[96], phone[32], body[256], cid[STORE_ID_LEN], iid[STORE_ID_LEN];
        snprintf(cname, sizeof cname, "Client%05d Of %s", i, name);
        snprintf(phone, sizeof phone, "+86 139 %04d %04d", (int)(getpid() % 10000), i);
        snprintf(body, sizeof body, "{\"writer\":\"%s\",\"i\":%d,\"answers\":{\"phq9\":[1,2,3,0,1,2,3,0,1]}}", name, i);
        if (!client_create(s, cname, phone, "", cid, &e)) {
            fprintf(stderr, "%s: client_create %d failed: %s\n", name, i, e.msg);
            rc = 13;
            break;
        }
        intake_input in = {cid, i % 2 ? "yellow" : "green", NULL, NULL, body, i % 3 ? NULL : "a note", NULL, false, NULL};
        if (!intake_save(s, &in, iid, &e)) {
            fprintf(stderr, "%s: intake_save %d failed: %s\n", name, i, e.msg);
            rc = 14;
        }
    }
    session_end(s);
    db_close(&db);
    return rc;
}

static void t_concurrent_writers(void **state) {
    (void)state;
    const int n = writes_per_writer();
    static const char *const names[WRITERS] = {"desk1", "desk2", "desk3", "desk4"};
    char path[256];
    make_db(path, sizeof path, "writers.db", names, WRITERS, WRITER_PASS);

    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid_t pids[WRITERS];
    fflush(stdout);
    fflush(stderr);
    for (int k = 0; k < WRITERS; k++) {
        pids[k] = fork();
        assert_true(pids[k] >= 0);
        if (pids[k] == 0) {
            close(ready[0]);
            close(go[1]);
            _exit(writer(path, names[k], n, ready[1], go[0]));
        }
    }
    close(ready[1]);
    close(go[0]);
    int up = 0;
    char c;
    while (up < WRITERS && read(ready[0], &c, 1) == 1) up++;
    double t0 = now_s();
    close(go[1]); /* go */
    close(ready[0]);
    int failed = 0;
    char report[512] = "";
    for (int k = 0; k < WRITERS; k++) {
        int status = 0;
        assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failed++;
            size_t used = strlen(report);
            snprintf(report + used, sizeof report - used, " %s:%s%d", names[k],
                     WIFEXITED(status) ? "exit " : "signal ",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        }
    }
    double elapsed = now_s() - t0;
    print_message("%d writers x %d intakes: %.1f s (%.1f saves/s)\n", WRITERS, n, elapsed,
                  2.0 * WRITERS * n / (elapsed > 0 ? elapsed : 1));
    if (failed) fail_msg("%d of %d writers failed (see stderr):%s", failed, WRITERS, report);
    assert_int_equal(up, WRITERS);

    database db;
    open_db(&db, path, false);
    int64_t clients = 0, intakes = 0;
    assert_int_equal(db.ops->client_count(db.st, &clients), ST_OK);
    assert_int_equal(clients, (int64_t)WRITERS * n);
    assert_int_equal(db.ops->each_sealed(db.st, count_sealed, &intakes), ST_OK);
    assert_int_equal(intakes, (int64_t)WRITERS * n);
    for (int k = 0; k < WRITERS; k++) {
        staff_rec r;
        assert_int_equal(db.ops->staff_by_name(db.st, names[k], &r), ST_OK);
        assert_int_equal(audited(&db, "intake_create", r.id), n);
        assert_int_equal(audited(&db, "client_create", r.id), n);
    }
    session *admin = login(&db, "admin", ADMIN_PASS);
    verify_report r;
    verify_sound(admin, &r);
    int64_t notes = 0;
    for (int i = 0; i < n; i++) notes += i % 3 ? 0 : 1;
    /* the clients' own keys (client_keys.h), names, phones, bodies, notes */
    assert_int_equal(r.sealed_checked, (int64_t)WRITERS * (4 * n + notes));
    assert_int_equal(r.audit.unauthenticated, 0);
    assert_int_equal(r.audit.signed_entries, r.audit.entries);
    /* every writer's last client is found */
    for (int k = 0; k < WRITERS; k++) {
        char q[96];
        snprintf(q, sizeof q, "client%05d of %s", n - 1, names[k]);
        client_plain *list = NULL;
        int found = 0;
        OK(client_find(admin, q, &list, &found, &msg));
        assert_int_equal(found, 1);
        client_list_free(list, found);
    }
    session_end(admin);
    db_close(&db);
}

/* ---- SIGKILL while saving drafts ---- */

/* The child: logs in, says it is ready (0), then saves the draft over and over with a growing counter,
 * acknowledging each save that returned true. Runs until killed (or gives up after 60 s). */
static int drafter(const char *path, int round, int ack_fd) {
    error e = {0};
    database db;
    if (!db_open(&db, path, false, &SETTINGS, &e)) {
        fprintf(stderr, "drafter: db_open: %s\n", e.msg);
        return 10;
    }
    session *s = NULL;
    int wait = 0;
    if (session_login(&db, "drafter", DRAFTER_PASS, strlen(DRAFTER_PASS), &s, &wait, &e) != LOGIN_OK) {
        fprintf(stderr, "drafter: login: %s\n", e.msg);
        return 11;
    }
    char id[STORE_ID_LEN] = "";
    char *old = NULL;
    bool found = false;
    if (!draft_resume(s, id, &old, &found, &e)) {
        fprintf(stderr, "drafter: resume: %s\n", e.msg);
        return 12;
    }
    secret_free(old);
    if (!found) id[0] = '\0';
    uint64_t counter = 0;
    if (!write_all(ack_fd, &counter, sizeof counter)) return 13;
    counter = (uint64_t)(round + 1) * 1000000u;
    char *body = malloc(4096);
    if (!body) return 14;
    double start = now_s();
    while (now_s() - start < 60) {
        counter++;
        int len = snprintf(body, 4096, "{\"round\":%d,\"counter\":%llu,\"answers\":[", round, (unsigned long long)counter);
        for (int i = 0; i < 300; i++) len += snprintf(body + len, 4096 - (size_t)len, "%s%d", i ? "," : "", (i * 7) % 4);
        snprintf(body + len, 4096 - (size_t)len, "]}");
        if (!draft_save(s, id, body, &e)) {
            fprintf(stderr, "drafter: draft_save %llu: %s\n", (unsigned long long)counter, e.msg);
            return 15;
        }
        if (!write_all(ack_fd, &counter, sizeof counter)) return 16;
    }
    return 17;
}

/* Reads whatever acknowledgements are in the pipe (until the deadline, or EOF when deadline < 0);
 * updates *last and *count. Returns false at EOF. */
static bool read_acks(int fd, double deadline, unsigned char *buf, size_t *have, uint64_t *last, int *count) {
    for (;;) {
        int timeout = -1;
        if (deadline >= 0) {
            double left = deadline - now_s();
            if (left <= 0) return true;
            timeout = (int)(left * 1000) + 1;
        }
        struct pollfd p = {fd, POLLIN, 0};
        int pr = poll(&p, 1, timeout);
        if (pr < 0 && errno == EINTR) continue;
        assert_true(pr >= 0);
        if (pr == 0) continue;
        ssize_t got = read(fd, buf + *have, 4096 - *have);
        if (got < 0 && errno == EINTR) continue;
        assert_true(got >= 0);
        if (got == 0) return false;
        *have += (size_t)got;
        size_t whole = *have / sizeof(uint64_t) * sizeof(uint64_t);
        for (size_t i = 0; i < whole; i += sizeof(uint64_t)) {
            uint64_t v;
            memcpy(&v, buf + i, sizeof v);
            if (v) {
                assert_true(v > *last); /* acknowledgements only grow */
                *last = v;
                (*count)++;
            }
        }
        memmove(buf, buf + whole, *have - whole);
        *have -= whole;
    }
}

static void t_kill_during_drafts(void **state) {
    (void)state;
    static const char *const names[1] = {"drafter"};
    char path[256];
    make_db(path, sizeof path, "drafts.db", names, 1, DRAFTER_PASS);
    /* the parent's own sessions outlive its connections: no connection may be open across a fork */
    database db;
    open_db(&db, path, false);
    session *admin = login(&db, "admin", ADMIN_PASS);
    session *mine = login(&db, "drafter", DRAFTER_PASS);
    db_close(&db);

    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    srand(seed);
    uint64_t prev = 0; /* the counter found after the previous round */
    int total_acks = 0;
    for (int round = 0; round < KILL_ROUNDS; round++) {
        int ack[2];
        assert_int_equal(pipe(ack), 0);
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(ack[0]);
            _exit(drafter(path, round, ack[1]));
        }
        close(ack[1]);
        /* wait for "ready" (after its login), then let it save for 20-200 ms */
        unsigned char buf[4096];
        size_t have = 0;
        uint64_t ready = 1;
        ssize_t got;
        do got = read(ack[0], &ready, sizeof ready);
        while (got < 0 && errno == EINTR);
        if (got != (ssize_t)sizeof ready || ready != 0) {
            int status = 0;
            (void)waitpid(pid, &status, 0);
            fail_msg("round %d: the drafter did not start (status %d)", round, status);
        }
        int ms = 20 + rand() % 181;
        uint64_t last = 0;
        int count = 0;
        (void)read_acks(ack[0], now_s() + ms / 1000.0, buf, &have, &last, &count);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
            fail_msg("round %d: the drafter ended by itself (status 0x%x; see stderr)", round, status);
        while (read_acks(ack[0], -1, buf, &have, &last, &count)) {
        }
        close(ack[0]);
        total_acks += count;

        open_db(&db, path, false); /* the sessions point at db: they work again */
        char id[STORE_ID_LEN] = "";
        char *body = NULL;
        bool found = false;
        OK(draft_resume(mine, id, &body, &found, &msg));
        if (!found && count == 0 && prev == 0) { /* killed before its first save ever committed */
            db_close(&db);
            continue;
        }
        if (!found) fail_msg("round %d (killed after %d ms, %d saves acknowledged): no draft", round, ms, count);
        int r = -1;
        unsigned long long counter = 0;
        int fields = sscanf(body, "{\"round\":%d,\"counter\":%llu,", &r, &counter);
        size_t blen = strlen(body);
        bool closed = blen >= 2 && strcmp(body + blen - 2, "]}") == 0;
        secret_free(body);
        assert_int_equal(fields, 2);
        assert_true(closed); /* a whole body, never a torn one */
        if (count > 0) {
            /* the last acknowledged save, or the one after it (saved, killed before acknowledging) */
            if (counter < last || counter > last + 1)
                fail_msg("round %d (seed %u, killed after %d ms): last acknowledged %llu, draft has %llu", round, seed,
                         ms, (unsigned long long)last, counter);
            assert_int_equal(r, round);
        } else {
            assert_true(counter >= prev); /* nothing acknowledged: at least the previous round's draft */
        }
        prev = counter;
        verify_report vr;
        verify_sound(admin, &vr);
        assert_int_equal(vr.sealed_checked, 1); /* one draft, saved over and over */
        db_close(&db);
    }
    print_message("%d kill rounds, %d draft saves acknowledged (seed %u)\n", KILL_ROUNDS, total_acks, seed);
    assert_true(total_acks >= KILL_ROUNDS); /* the kills did land while saving */
    session_end(mine);
    session_end(admin);
}

/* ---- two connections ---- */

static void t_two_connections(void **state) {
    (void)state;
    char path[256];
    make_db(path, sizeof path, "two.db", NULL, 0, NULL);

    /* another process writes while this one holds an open connection */
    int go[2], done[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(done), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork(); /* before this process opens anything */
    assert_true(pid >= 0);
    if (pid == 0) {
        close(go[1]);
        close(done[0]);
        char c;
        if (read(go[0], &c, 1) != 1) _exit(20);
        error e = {0};
        char id[STORE_ID_LEN];
        database cdb;
        session *s = NULL;
        int wait = 0;
        if (!db_open(&cdb, path, false, &SETTINGS, &e) ||
            session_login(&cdb, "admin", ADMIN_PASS, strlen(ADMIN_PASS), &s, &wait, &e) != LOGIN_OK ||
            !client_create(s, "Otherprocess Client", "", "", id, &e)) {
            fprintf(stderr, "child: %s\n", e.msg);
            _exit(21);
        }
        session_end(s);
        db_close(&cdb);
        _exit(write_all(done[1], id, STORE_ID_LEN) ? 0 : 22);
    }
    close(go[0]);
    close(done[1]);
    database db;
    open_db(&db, path, false);
    int64_t v0 = 0, v1 = 0, clients = 0;
    assert_int_equal(db.ops->change_counter(db.st, &v0), ST_OK);
    assert_int_equal(db.ops->client_count(db.st, &clients), ST_OK);
    assert_int_equal(clients, 0);
    assert_true(write_all(go[1], "g", 1));
    close(go[1]);
    char id[STORE_ID_LEN] = "";
    ssize_t got = read(done[0], id, sizeof id);
    close(done[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(got, STORE_ID_LEN);
    assert_int_equal(db.ops->change_counter(db.st, &v1), ST_OK);
    assert_int_not_equal(v1, v0);
    assert_int_equal(db.ops->client_count(db.st, &clients), ST_OK);
    assert_int_equal(clients, 1);
    client_rec cr;
    assert_int_equal(db.ops->client_get(db.st, id, &cr), ST_OK);
    client_rec_free(&cr);

    /* two connections of one process: the writer's own version stays, the other's changes */
    database db2;
    open_db(&db2, path, false);
    session *s = login(&db, "admin", ADMIN_PASS);
    client_plain c;
    OK(client_open(s, id, &c, &msg));
    assert_string_equal(c.name, "Otherprocess Client");
    client_plain_free(&c);
    int64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0, b2 = 0;
    assert_int_equal(db.ops->change_counter(db.st, &a0), ST_OK);
    assert_int_equal(db2.ops->change_counter(db2.st, &b0), ST_OK);
    assert_int_equal(db2.ops->change_counter(db2.st, &b1), ST_OK);
    assert_int_equal(b1, b0); /* nothing committed meanwhile */
    char id2[STORE_ID_LEN];
    OK(client_create(s, "Sameprocess Client", "", "", id2, &msg));
    assert_int_equal(db.ops->change_counter(db.st, &a1), ST_OK);
    assert_int_equal(a1, a0);
    assert_int_equal(db2.ops->change_counter(db2.st, &b2), ST_OK);
    assert_int_not_equal(b2, b1);
    assert_int_equal(db2.ops->client_get(db2.st, id2, &cr), ST_OK);
    client_rec_free(&cr);
    assert_int_equal(db2.ops->client_count(db2.st, &clients), ST_OK);
    assert_int_equal(clients, 2);
    session_end(s);
    db_close(&db2);
    db_close(&db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_two_connections),
        cmocka_unit_test(t_kill_during_drafts),
        cmocka_unit_test(t_concurrent_writers),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
