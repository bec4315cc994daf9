/* Crash safety, measured: kills writers (tests/faults/writer.c) with SIGKILL at random moments, and takes
 * crash images of a database while a writer runs, then checks that every acknowledged write is there and
 * the database is sound.
 *
 *   crash kill CONFIG DB WRITER USER ROUNDS
 *       ROUNDS rounds. In most, the writer's logged-in parent forks a child that writes (its own SQLite
 *       connection) and the child is killed after a random 0-40 ms; every 20th round a whole new writer
 *       process is started (open, login: key derivation, audit) and killed after a random 0-250 ms, so
 *       kills land during the login too. After each kill, with no other connection open (the next open
 *       recovers the WAL as after a real crash): the store opens (its checks of the file), PRAGMA
 *       quick_check passes (integrity_check every INTEGRITY_EVERY rounds), and every write acknowledged in that round is there: clients, intakes
 *       (their sealed bodies open), queue items in at least the acknowledged state, the last draft present
 *       with at least its acknowledged answer or superseded by its saved intake. Every VERIFY_EVERY rounds
 *       and at the end: the full verify (db_verify: integrity, every sealed field, the audit chain) and
 *       every acknowledgement of every round so far.
 *   crash copy CONFIG DB WRITER USER COPIES
 *       One writer writes continuously; at random instants it is frozen (SIGSTOP), the database files are
 *       copied into a fresh directory, and it continues (SIGCONT) once the copy is checked. A frozen process's files are exactly what
 *       a crash at that instant leaves (a plain cp of a live database is not: its three files would be
 *       copied at different instants). Four variants in turn: db + -wal + -shm; db + -wal without -shm (as
 *       after a reboot); db + -wal + a zeroed -shm (stale shared memory); db + -wal with a torn frame
 *       appended (a write in flight when the power went). Each copy must open, pass integrity_check and
 *       the full verify, and hold every write acknowledged before the copy started.
 *
 * stdin: the supervisor's passphrase, then USER's. Prints what it did; the last line is `N passed, N
 * failed` style for the suite: `crash: ok ...` or `crash: FAIL ...`. CRASH_SEED fixes the random moments.
 * Exit status 0 when everything held. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "client_keys.h"
#include "config.h"
#include "db.h"
#include "maintenance.h"
#include "queue_items.h"
#include "records.h"
#include "secret.h"
#include "session.h"
#include "vault.h"

#define VERIFY_EVERY 100
#define EXEC_EVERY 20
#define KILL_MAX_US 25000
#define INTEGRITY_EVERY 10
#define EXEC_KILL_MAX_US 250000
#define COPY_MAX_US 15000

extern char **environ;

static const char *cfg_path, *db_path, *writer_bin, *user;
static char admin_pass[256], user_pass[256];
static db_settings settings;
static database chk; /* the checker's connection: open only while checking */
static session *admin, *desk;
static error err = {0};
static int problems;

/* ---- randomness, time ---- */

static uint64_t rng;
static uint64_t rnd(void) {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dull;
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

__attribute__((format(printf, 1, 2))) static void problem(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL ");
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    problems++;
}

/* ---- what was acknowledged ---- */

typedef char id_t_[STORE_ID_LEN];
typedef struct {
    id_t_ intake, draft, item;
} intake_ack;
typedef struct {
    id_t_ item;
    bool declined;
} move_ack;
typedef struct {
    id_t_ *clients;
    intake_ack *intakes;
    move_ack *moves;
    int n_clients, n_intakes, n_moves, cap_c, cap_i, cap_m;
    id_t_ draft; /* the last draft acknowledged this round, if its intake and discard were not */
    int draft_counter;
    bool draft_open;
} acks;

static void *grow(void *p, int *cap, int n, size_t elem) {
    if (n < *cap) return p;
    *cap = *cap ? *cap * 2 : 256;
    void *q = realloc(p, (size_t)*cap * elem);
    if (!q) {
        perror("realloc");
        exit(2);
    }
    return q;
}

static void copy_id(id_t_ dst, const char *src) {
    size_t n = strnlen(src, STORE_ID_LEN - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* One line from a writer. */
static void note(acks *a, const char *line) {
    char k[16], x[STORE_ID_LEN], y[STORE_ID_LEN], z[STORE_ID_LEN];
    int n = sscanf(line, "ack %15s %36s %36s %36s", k, x, y, z);
    if (n < 2) {
        if (strncmp(line, "error", 5) == 0) problem("a writer's write failed: %s", line);
        return;
    }
    if (strcmp(k, "client") == 0) {
        a->clients = grow(a->clients, &a->cap_c, a->n_clients, sizeof *a->clients);
        copy_id(a->clients[a->n_clients++], x);
    } else if (strcmp(k, "draft") == 0 && n >= 3) {
        copy_id(a->draft, x);
        a->draft_counter = atoi(y);
        a->draft_open = true;
    } else if (strcmp(k, "intake") == 0 && n >= 4) {
        a->intakes = grow(a->intakes, &a->cap_i, a->n_intakes, sizeof *a->intakes);
        intake_ack *i = &a->intakes[a->n_intakes++];
        copy_id(i->intake, x);
        copy_id(i->draft, y);
        copy_id(i->item, z);
        if (strcmp(y, a->draft) == 0) a->draft_open = false; /* superseded: the intake was saved */
    } else if (strcmp(k, "queue") == 0 && n >= 3) {
        a->moves = grow(a->moves, &a->cap_m, a->n_moves, sizeof *a->moves);
        move_ack *m = &a->moves[a->n_moves++];
        copy_id(m->item, x);
        m->declined = strcmp(y, "declined") == 0;
    }
}

static void acks_append(acks *all, const acks *r) {
    for (int i = 0; i < r->n_clients; i++) {
        all->clients = grow(all->clients, &all->cap_c, all->n_clients, sizeof *all->clients);
        memcpy(all->clients[all->n_clients++], r->clients[i], STORE_ID_LEN);
    }
    for (int i = 0; i < r->n_intakes; i++) {
        all->intakes = grow(all->intakes, &all->cap_i, all->n_intakes, sizeof *all->intakes);
        all->intakes[all->n_intakes++] = r->intakes[i];
    }
    for (int i = 0; i < r->n_moves; i++) {
        all->moves = grow(all->moves, &all->cap_m, all->n_moves, sizeof *all->moves);
        all->moves[all->n_moves++] = r->moves[i];
    }
}

static void acks_reset(acks *a) {
    a->n_clients = a->n_intakes = a->n_moves = 0;
    a->draft_open = false;
    a->draft[0] = '\0';
}

/* ---- a writer's output ---- */

typedef struct {
    int fd;
    char buf[1 << 16];
    size_t have;
} lines;

/* Reads what the writer wrote until the deadline (or EOF), handing each whole line to on_line. Returns
 * false at EOF. stop_at: a line prefix that ends the wait early (copied into *hit). */
static bool pump(lines *l, double deadline_us, acks *a, const char *stop_at, char *hit, size_t hitsize) {
    for (;;) {
        char *nl;
        while ((nl = memchr(l->buf, '\n', l->have)) != NULL) {
            *nl = '\0';
            note(a, l->buf);
            bool stop = stop_at && strncmp(l->buf, stop_at, strlen(stop_at)) == 0;
            if (stop && hit) snprintf(hit, hitsize, "%.100s", l->buf);
            size_t used = (size_t)(nl - l->buf) + 1;
            memmove(l->buf, nl + 1, l->have - used);
            l->have -= used;
            if (stop) return true;
        }
        double left = deadline_us - now_us();
        if (left < 0) left = 0;
        struct pollfd p = {l->fd, POLLIN, 0};
        int r = poll(&p, 1, (int)(left / 1000));
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) {
            if (now_us() >= deadline_us) return true;
            continue;
        }
        ssize_t got = read(l->fd, l->buf + l->have, sizeof l->buf - l->have - 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        l->have += (size_t)got;
    }
}

typedef struct {
    pid_t pid;
    int in;  /* its stdin */
    lines out;
} proc;

static void spawn_writer(proc *p, const char *mode) {
    int to[2], from[2];
    if (pipe(to) != 0 || pipe(from) != 0) {
        perror("pipe");
        exit(2);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from[1], 1);
    posix_spawn_file_actions_addclose(&fa, to[1]);
    posix_spawn_file_actions_addclose(&fa, from[0]);
    char *argv[] = {(char *)writer_bin, (char *)mode, (char *)cfg_path, (char *)db_path, (char *)user, NULL};
    if (posix_spawn(&p->pid, writer_bin, &fa, NULL, argv, environ) != 0) {
        perror(writer_bin);
        exit(2);
    }
    posix_spawn_file_actions_destroy(&fa);
    close(to[0]);
    close(from[1]);
    p->in = to[1];
    p->out.fd = from[0];
    p->out.have = 0;
    dprintf(p->in, "%s\n", user_pass);
}

static void tell(proc *p, const char *cmd) {
    if (dprintf(p->in, "%s\n", cmd) < 0) problem("the writer stopped listening (%s)", cmd);
}

/* ---- checks ---- */

/* PRAGMA quick_check through a connection of the test's own: the b-trees and records without the index
 * cross-checks, a tenth of the time of integrity_check on a large file. */
static void quick_check(const char *path) {
    sqlite3 *q = NULL;
    sqlite3_stmt *st = NULL;
    const unsigned char *res = NULL;
    int rc = sqlite3_open_v2(path, &q, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(q, "PRAGMA quick_check", -1, &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) res = sqlite3_column_text(st, 0);
    if (!res || strcmp((const char *)res, "ok") != 0)
        problem("%s: quick_check: %s", path, res ? (const char *)res : sqlite3_errmsg(q));
    sqlite3_finalize(st);
    sqlite3_close_v2(q);
}

/* Opens path through the store (its checks of the file; the first open after a crash recovers the WAL)
 * and checks it: integrity_check when full, else quick_check. */
static bool open_checker(const char *path, bool full) {
    err.msg[0] = '\0';
    if (!db_open(&chk, path, false, &settings, &err)) {
        problem("%s does not open after the crash: %s", path, err.msg);
        return false;
    }
    if (!full) {
        quick_check(path);
        return true;
    }
    char msg[512] = "";
    store_status st = chk.ops->integrity_check(chk.st, msg, sizeof msg);
    if (st != ST_OK) problem("%s: integrity_check: %s %s", path, store_status_name(st), msg);
    return true;
}

/* Opens under whichever key its format names: a client's values under the client's own key
 * (core/records/client_keys.h), found in the database checked. */
static bool sealed_opens(session *s, const char *table, const char *column, const char *row, const blob *b) {
    char *plain = NULL;
    size_t len = 0;
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1];
    bool ok = ckey_open(session_ckeys(s), &chk, s->v, NULL, table, column, row, b->p, b->n, &plain, &len, &why, who);
    secret_free(plain);
    ckeys_forget(session_ckeys(s)); /* the next check may be of another crash image */
    return ok;
}

static void check_acks(const acks *a, const char *when) {
    for (int i = 0; i < a->n_clients; i++) {
        client_rec c;
        if (chk.ops->client_get(chk.st, a->clients[i], &c) != ST_OK) {
            problem("%s: acknowledged client %s is missing", when, a->clients[i]);
            continue;
        }
        if (!sealed_opens(admin, "clients", "name", c.id, &c.name_ct)) problem("%s: client %s does not open", when, c.id);
        client_rec_free(&c);
    }
    for (int i = 0; i < a->n_intakes; i++) {
        const intake_ack *k = &a->intakes[i];
        intake_rec r;
        if (chk.ops->intake_get(chk.st, k->intake, &r) != ST_OK) {
            problem("%s: acknowledged intake %s is missing", when, k->intake);
            continue;
        }
        if (!sealed_opens(admin, "intakes", "body", r.id, &r.body_ct)) problem("%s: intake %s does not open", when, r.id);
        intake_rec_free(&r);
        queue_rec q;
        if (chk.ops->queue_get(chk.st, k->item, &q) != ST_OK || strcmp(q.intake_id, k->intake) != 0)
            problem("%s: the queue item %s of acknowledged intake %s is missing", when, k->item, k->intake);
    }
    for (int i = 0; i < a->n_moves; i++) {
        const move_ack *m = &a->moves[i];
        queue_rec q;
        if (chk.ops->queue_get(chk.st, m->item, &q) != ST_OK) {
            problem("%s: queue item %s of an acknowledged move is missing", when, m->item);
            continue;
        }
        if (strcmp(q.state, "acknowledged") != 0) problem("%s: item %s is %s, acknowledged was acknowledged", when, q.id, q.state);
        if (m->declined && q.declines_in_row < 1) problem("%s: item %s lost its acknowledged decline", when, q.id);
    }
    if (a->draft_open) {
        /* neither saved as an intake nor discarded: it is the worker's newest draft, with at least the
         * acknowledged answer */
        draft_rec d;
        store_status st = chk.ops->draft_for_staff(chk.st, desk->me.id, &d);
        if (st != ST_OK || strcmp(d.id, a->draft) != 0) {
            problem("%s: acknowledged draft %s is not the newest draft (%s)", when, a->draft, store_status_name(st));
        } else {
            char *plain = NULL;
            size_t len = 0;
            int counter = -1;
            if (!vault_open(desk->v, "drafts", "body", d.id, d.body_ct.p, d.body_ct.n, &plain, &len) ||
                sscanf(plain, "{\"draft\":%d", &counter) != 1 || counter < a->draft_counter)
                problem("%s: draft %s holds answer %d, %d was acknowledged", when, d.id, counter, a->draft_counter);
            secret_free(plain);
        }
        if (st == ST_OK) draft_rec_free(&d);
    }
}

static void full_verify(const char *when) {
    verify_report r;
    memset(&r, 0, sizeof r);
    err.msg[0] = '\0';
    if (!db_verify(admin, &r, &err)) problem("%s: verify failed to run: %s", when, err.msg);
    else if (!r.ok) problem("%s: verify: %s", when, r.problem);
}

/* ---- kill rounds ---- */

static int kill_rounds(int rounds) {
    proc z;
    spawn_writer(&z, "crash");
    acks round = {0}, all = {0};
    int exec_rounds = 0, total_acks = 0;
    double t0 = now_us(), check_us = 0;
    for (int r = 1; r <= rounds; r++) {
        acks_reset(&round);
        char hit[128] = "";
        if (r % EXEC_EVERY == 0) {
            proc w;
            spawn_writer(&w, "once");
            pump(&w.out, now_us() + (double)(rnd() % EXEC_KILL_MAX_US), &round, NULL, NULL, 0);
            kill(w.pid, SIGKILL);
            int status;
            while (waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {}
            while (pump(&w.out, now_us() + 2e6, &round, NULL, NULL, 0)) {} /* the rest, to EOF */
            close(w.in);
            close(w.out.fd);
            exec_rounds++;
        } else {
            tell(&z, "go");
            if (!pump(&z.out, now_us() + 10e6, &round, "child", hit, sizeof hit) || !hit[0]) {
                problem("round %d: the writer did not start a child", r);
                break;
            }
            pid_t pid = (pid_t)atoi(hit + 6);
            pump(&z.out, now_us() + (double)(rnd() % KILL_MAX_US), &round, NULL, NULL, 0);
            kill(pid, SIGKILL);
            tell(&z, "reap");
            hit[0] = '\0';
            if (!pump(&z.out, now_us() + 10e6, &round, "dead", hit, sizeof hit) || !hit[0]) {
                problem("round %d: the killed child was not reaped", r);
                break;
            }
        }
        total_acks += round.n_clients + round.n_intakes + round.n_moves + (round.draft[0] ? 1 : 0);
        double c0 = now_us();
        char when[64];
        snprintf(when, sizeof when, "round %d", r);
        if (open_checker(db_path, r % INTEGRITY_EVERY == 0 || r == rounds)) {
            check_acks(&round, when);
            acks_append(&all, &round);
            if (r % VERIFY_EVERY == 0 || r == rounds) {
                full_verify(when);
                check_acks(&all, when);
            }
            db_close(&chk);
        }
        check_us += now_us() - c0;
        if (problems > 20) break;
    }
    tell(&z, "quit");
    close(z.in);
    int status;
    waitpid(z.pid, &status, 0);
    printf("kill rounds: %d (%d with a freshly started process), %d acknowledged writes (%d intakes, %d moves) all "
           "present; integrity_check every %d rounds, quick_check in the others, full verify every %d rounds; %.1f s, of which checking %.1f s\n",
           rounds, exec_rounds, total_acks, all.n_intakes, all.n_moves, INTEGRITY_EVERY, VERIFY_EVERY, (now_us() - t0) / 1e6,
           check_us / 1e6);
    return problems;
}

/* ---- crash images ---- */

static bool copy_file(const char *from, const char *to, bool zero) {
    FILE *in = fopen(from, "rb");
    /* frozen before SQLite made its -wal or -shm (the writer's first moments): there is nothing to copy, as a
     * crash then would leave nothing; the main file alone is the image */
    if (!in) {
        size_t n = strlen(from);
        bool side = n > 4 && (strcmp(from + n - 4, "-wal") == 0 || strcmp(from + n - 4, "-shm") == 0);
        return errno == ENOENT && side;
    }
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return false;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (zero) memset(buf, 0, n);
        fwrite(buf, 1, n, out);
    }
    fclose(in);
    return fclose(out) == 0;
}

/* Waits until the process is stopped (state T in /proc). */
static void wait_stopped(pid_t pid) {
    char path[64], st[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    for (int i = 0; i < 10000; i++) {
        FILE *f = fopen(path, "r");
        if (!f) return;
        size_t n = fread(st, 1, sizeof st - 1, f);
        fclose(f);
        st[n] = '\0';
        char *close_paren = strrchr(st, ')');
        if (close_paren && close_paren[1] == ' ' && (close_paren[2] == 'T' || close_paren[2] == 't')) return;
        usleep(100);
    }
}

static void remove_copy(const char *dir) {
    /* -mark: the open's record of the file (sqlite_filemark.c); a copy left with the last round's record
     * would be a file copied over the path beside a log, and refused */
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal", "-mark"};
    char p[4400];
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/c.db%s", dir, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
}

static int copies(int n) {
    proc z;
    spawn_writer(&z, "crash");
    acks all = {0};
    char hit[128] = "";
    tell(&z, "go");
    if (!pump(&z.out, now_us() + 10e6, &all, "child", hit, sizeof hit) || !hit[0]) {
        problem("the writer did not start");
        return problems;
    }
    pid_t pid = (pid_t)atoi(hit + 6);
    static const char *const variant[] = {"db+wal+shm", "db+wal (no shm)", "db+wal+zeroed shm", "db+wal+torn frame"};
    int done[4] = {0};
    double t0 = now_us();
    char base[4096];
    snprintf(base, sizeof base, "%s", db_path);
    char *slash = strrchr(base, '/');
    if (slash) *slash = '\0';
    for (int i = 0; i < n && problems <= 20; i++) {
        pump(&z.out, now_us() + (double)(rnd() % COPY_MAX_US), &all, NULL, NULL, 0);
        kill(pid, SIGSTOP);
        wait_stopped(pid);
        pump(&z.out, now_us(), &all, NULL, NULL, 0); /* everything acknowledged before the freeze */
        int v = i % 4;
        char dir[4200], from[4200], to[4400];
        snprintf(dir, sizeof dir, "%s/copy%04d", base, i);
        mkdir(dir, 0700);
        snprintf(from, sizeof from, "%s-wal", db_path);
        snprintf(to, sizeof to, "%s/c.db-wal", dir);
        bool ok = copy_file(from, to, false);
        snprintf(to, sizeof to, "%s/c.db", dir);
        ok = copy_file(db_path, to, false) && ok;
        if (v == 0 || v == 2) {
            snprintf(from, sizeof from, "%s-shm", db_path);
            snprintf(to, sizeof to, "%s/c.db-shm", dir);
            ok = copy_file(from, to, v == 2) && ok;
        }
        if (!ok) problem("copy %d: the files could not be copied", i);
        if (v == 3) { /* a frame header and part of a page, as a write cut short */
            snprintf(to, sizeof to, "%s/c.db-wal", dir);
            FILE *f = fopen(to, "ab");
            if (f) {
                size_t len = 24 + (size_t)(rnd() % 4096);
                for (size_t b = 0; b < len; b++) fputc((int)(rnd() & 0xff), f);
                fclose(f);
            }
        }
        snprintf(to, sizeof to, "%s/c.db", dir);
        char when[64];
        snprintf(when, sizeof when, "copy %d (%s)", i, variant[v]);
        if (open_checker(to, true)) {
            check_acks(&all, when);
            full_verify(when);
            db_close(&chk);
        }
        done[v]++;
        remove_copy(dir);
        /* the writer stays frozen while the copy is checked, so that it writes only in the random gaps
         * between copies and the database stays small enough to verify hundreds of times */
        kill(pid, SIGCONT);
    }
    kill(pid, SIGKILL);
    tell(&z, "reap");
    pump(&z.out, now_us() + 10e6, &all, "dead", hit, sizeof hit);
    tell(&z, "quit");
    close(z.in);
    int status;
    waitpid(z.pid, &status, 0);
    printf("crash images: %d (%d %s, %d %s, %d %s, %d %s); each opened, passed integrity_check and verify, and held "
           "all %d acknowledged intakes and %d moves made before it; %.1f s\n",
           n, done[0], variant[0], done[1], variant[1], done[2], variant[2], done[3], variant[3], all.n_intakes,
           all.n_moves, (now_us() - t0) / 1e6);
    return problems;
}

/* Logs in the two checking sessions once, on the checker's connection (which they keep pointing to while it
 * is reopened on other files). */
static bool login_checkers(void) {
    if (!db_open(&chk, db_path, false, &settings, &err)) {
        fprintf(stderr, "crash: %s\n", err.msg);
        return false;
    }
    int wait = 0;
    if (session_login(&chk, "admin", admin_pass, strlen(admin_pass), &admin, &wait, &err) != LOGIN_OK ||
        session_login(&chk, user, user_pass, strlen(user_pass), &desk, &wait, &err) != LOGIN_OK) {
        fprintf(stderr, "crash: login: %s\n", err.msg);
        return false;
    }
    db_close(&chk);
    return true;
}

static bool read_pass(char *buf, size_t size) {
    if (!fgets(buf, (int)size, stdin)) return false;
    buf[strcspn(buf, "\n")] = '\0';
    return true;
}

int main(int argc, char **argv) {
    if (argc != 7 || (strcmp(argv[1], "kill") != 0 && strcmp(argv[1], "copy") != 0)) {
        fprintf(stderr, "usage: crash kill|copy CONFIG DB WRITER USER COUNT   (stdin: admin and USER passphrases)\n");
        return 2;
    }
    cfg_path = argv[2];
    db_path = argv[3];
    writer_bin = argv[4];
    user = argv[5];
    int count = atoi(argv[6]);
    const char *seed = getenv("CRASH_SEED");
    rng = seed && *seed ? strtoull(seed, NULL, 0) : (uint64_t)time(NULL) ^ (uint64_t)getpid() << 20;
    if (!rng) rng = 1;
    printf("seed %llu (CRASH_SEED to repeat)\n", (unsigned long long)rng);
    config cfg;
    diag d = {NULL, 0, 0};
    if (!config_load(&cfg, cfg_path, &d)) {
        diag_print(&d, stderr);
        return 2;
    }
    diag_free(&d);
    db_settings_from_config(&cfg, &settings);
    if (!read_pass(admin_pass, sizeof admin_pass) || !read_pass(user_pass, sizeof user_pass)) {
        fprintf(stderr, "crash: stdin must hold the supervisor's passphrase and the user's\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (!login_checkers()) return 2;
    int bad = strcmp(argv[1], "kill") == 0 ? kill_rounds(count) : copies(count);
    session_end(admin);
    session_end(desk);
    secret_wipe(admin_pass, sizeof admin_pass);
    secret_wipe(user_pass, sizeof user_pass);
    printf("crash %s: %s (%d problems)\n", argv[1], bad ? "FAIL" : "ok", bad);
    return bad ? 1 : 0;
}
