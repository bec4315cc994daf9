/* A desk that only writes, for the fault suites (tests/faults/crash.sh, load.sh): it logs in through the core
 * (no terminal) and then, over and over, creates a client, saves the unfinished intake as a draft three
 * times, saves the intake with its queue item (intake_save_queued), discards the draft, and moves the queue
 * item (acknowledge, then a decline with a sealed reason). After each write whose commit returned it prints
 * one line on stdout and flushes it, so whatever reads the pipe knows exactly what was acknowledged:
 *
 *   child PID                      a writing process started (crash mode)
 *   ack client CLIENT
 *   ack draft DRAFT COUNTER        the draft's sealed body holds {"draft":COUNTER}
 *   ack intake INTAKE DRAFT ITEM   the intake made from DRAFT, and its queue item
 *   ack discard DRAFT
 *   ack queue ITEM acknowledged|declined
 *   error MESSAGE                  a write failed (the message a person would see); the writer stops
 *
 * Usage (the passphrase is the first line of stdin; never an argument):
 *   writer crash CONFIG DB USER    logs in once, then reads commands on stdin: `go` forks a writing child
 *                                  with its own connection (the parent holds none), which writes until
 *                                  it is killed; `reap` waits for the last child and prints `dead PID
 *                                  STATUS`; `quit` ends. The login (the slow key derivation) is paid once,
 *                                  so a thousand kill rounds take seconds.
 *   writer once CONFIG DB USER     logs in in this process and writes until killed (killed mid-login too);
 *                                  SIGUSR1 makes it stop between two cycles (no write, no checkpoint
 *                                  running), print `paused`, and wait for a line on stdin before it goes on
 *   writer load CONFIG DB USER SECONDS
 *                                  logs in, prints `ready`, waits for `go` on stdin, then writes for
 *                                  SECONDS at the highest rate it can; prints each acknowledged intake and
 *                                  move, then `lat save US` and `lat move US` per write, then
 *                                  `done SAVES MOVES ERRORS BUSY`.
 * Exit status: 0 done, 1 a write failed, 2 bad usage or set-up. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
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
#include "queue_items.h"
#include "records.h"
#include "intake_store.h"
#include "secret.h"
#include "session.h"
#include "vault.h"

static database db;
static session *me;
static db_settings settings;
static queue_policy policy;
static error err = {0};

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* One line to the reader, whole, before the next write starts. */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static bool open_db(const char *path) {
    err.msg[0] = '\0';
    if (!db_open(&db, path, false, &settings, &err)) {
        say("error open: %s", err.msg);
        return false;
    }
    return true;
}

static bool login(const char *path, const char *user, const char *pass) {
    if (!open_db(path)) return false;
    int wait = 0;
    login_status ls = session_login(&db, user, pass, strlen(pass), &me, &wait, &err);
    if (ls != LOGIN_OK) {
        say("error login: status %d: %s", (int)ls, err.msg);
        return false;
    }
    return true;
}

/* A failed write: "busy" when the message says the database was locked (what a person would see). */
static int busy_errors;
static bool failed(const char *what) {
    if (strstr(err.msg, "locked") || strstr(err.msg, "busy")) busy_errors++;
    say("error %s: %s", what, err.msg);
    return false;
}

typedef struct {
    double *save_us, *move_us;
    int saves, moves, cap;
    bool record; /* load mode: keep latencies, print less */
} tally;

static void keep(double **v, int *n, int cap, double us) {
    if (*n < cap) (*v)[(*n)++] = us;
}

/* One intake, start to finish, as the front desk makes it. */
static bool one_cycle(long k, tally *t) {
    char cid[STORE_ID_LEN], did[STORE_ID_LEN] = "", iid[STORE_ID_LEN], name[96], phone[40], body[256];
    snprintf(name, sizeof name, "Crash Client %ld %d", k, (int)getpid());
    snprintf(phone, sizeof phone, "+86 139 %04d %04ld", (int)(getpid() % 10000), k % 10000);
    if (!client_create(me, name, phone, "", cid, &err)) return failed("client_create");
    if (!t->record) say("ack client %s", cid);
    if (!t->record) {
        for (int j = 1; j <= 3; j++) {
            snprintf(body, sizeof body, "{\"draft\":%d,\"answers\":{\"phq9\":[1,2,%d]}}", j, j % 4);
            if (!draft_save(me, did, body, &err)) return failed("draft_save");
            say("ack draft %s %d", did, j);
        }
    }
    snprintf(body, sizeof body, "{\"writer\":%d,\"k\":%ld,\"answers\":{\"phq9\":[1,2,3,0,1,2,3,0,1]}}", (int)getpid(),
             k);
    intake_input in = {cid, k % 2 ? "yellow" : "green", NULL, NULL, body, k % 3 ? NULL : "a note", NULL, false, NULL};
    double t0 = now_us();
    if (!intake_save_queued(me, &in, &policy, iid, &err)) return failed("intake_save_queued");
    double t1 = now_us();
    queue_item item;
    if (!queues_open_for_client(&db, cid, &item)) {
        error_set(&err, ERR_NOT_FOUND, "the queue item of intake %s was not found right after it was saved", iid);
        return failed("queues_open_for_client");
    }
    if (t->record) keep(&t->save_us, &t->saves, t->cap, t1 - t0);
    say("ack intake %s %s %s", iid, did[0] ? did : "-", item.id);
    if (did[0]) {
        if (!draft_discard(me, did, &err)) return failed("draft_discard");
        say("ack discard %s", did);
    }
    queue_request rq = {.action = QA_ACK};
    t0 = now_us();
    if (!queues_act(me, &policy, item.id, rq, &err)) return failed("queues_act ack");
    t1 = now_us();
    if (t->record) keep(&t->move_us, &t->moves, t->cap, t1 - t0);
    say("ack queue %s acknowledged", item.id);
    if (k % 2 == 0) {
        queue_request dq = {.action = QA_DECLINE, .reason = "prefers an evening slot", .counselor = "c01"};
        t0 = now_us();
        if (!queues_act(me, &policy, item.id, dq, &err)) return failed("queues_act decline");
        t1 = now_us();
        if (t->record) keep(&t->move_us, &t->moves, t->cap, t1 - t0);
        say("ack queue %s declined", item.id);
    }
    return true;
}

/* Set by SIGUSR1: the next pause point stops (a test's copy over the path made there, not in the middle of a
 * checkpoint, where no program can tell it from the checkpoint's own writes: README, "Not covered"). */
static volatile sig_atomic_t pause_asked;
static void ask_pause(int sig) {
    (void)sig;
    pause_asked = 1;
}

static void pause_if_asked(void) {
    if (!pause_asked) return;
    pause_asked = 0;
    say("paused");
    char line[64];
    while (!fgets(line, sizeof line, stdin) && errno == EINTR) clearerr(stdin);
}

/* Writes until killed (crash and once modes). */
static int write_forever(void) {
    tally t = {NULL, NULL, 0, 0, 0, false};
    for (long k = 0;; k++) {
        if (!one_cycle(k, &t)) return 1;
        pause_if_asked();
    }
}

static int crash_mode(const char *path) {
    /* the parent keeps the unlocked session but no SQLite connection across fork */
    db_close(&db);
    char line[64];
    pid_t child = 0;
    while (fgets(line, sizeof line, stdin)) {
        if (strncmp(line, "go", 2) == 0) {
            fflush(stdout);
            child = fork();
            if (child < 0) {
                say("error fork: %s", strerror(errno));
                return 2;
            }
            if (child == 0) {
                say("child %d", (int)getpid());
                if (!open_db(path)) _exit(2);
                _exit(write_forever());
            }
        } else if (strncmp(line, "reap", 4) == 0 && child > 0) {
            int status = 0;
            while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
            say("dead %d %d", (int)child, status);
            child = 0;
        } else if (strncmp(line, "quit", 4) == 0) {
            break;
        }
    }
    session_end(me);
    return 0;
}

static int load_mode(long seconds) {
    tally t = {NULL, NULL, 0, 0, 1 << 20, true};
    t.save_us = malloc(sizeof(double) * (size_t)t.cap);
    t.move_us = malloc(sizeof(double) * (size_t)t.cap);
    if (!t.save_us || !t.move_us) return 2;
    say("ready");
    char line[64];
    if (!fgets(line, sizeof line, stdin)) return 2;
    double end = now_us() + (double)seconds * 1e6;
    int errors = 0;
    for (long k = 0; now_us() < end; k++)
        if (!one_cycle(k, &t)) errors++;
    for (int i = 0; i < t.saves; i++) printf("lat save %.1f\n", t.save_us[i]);
    for (int i = 0; i < t.moves; i++) printf("lat move %.1f\n", t.move_us[i]);
    say("done %d %d %d %d", t.saves, t.moves, errors, busy_errors);
    session_end(me);
    db_close(&db);
    free(t.save_us);
    free(t.move_us);
    return errors ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: writer crash|once|load CONFIG DB USER [SECONDS]\n");
        return 2;
    }
    const char *mode = argv[1], *cfg_path = argv[2], *path = argv[3], *user = argv[4];
    config cfg;
    diag d = {NULL, 0, 0};
    if (!config_load(&cfg, cfg_path, &d)) {
        fprintf(stderr, "writer: %s: the configuration does not load\n", cfg_path);
        diag_print(&d, stderr);
        return 2;
    }
    db_settings_from_config(&cfg, &settings);
    diag_free(&d);
    queue_policy_defaults(&policy);
    char pass[256];
    if (!fgets(pass, sizeof pass, stdin)) {
        fprintf(stderr, "writer: the passphrase is the first line of stdin\n");
        return 2;
    }
    pass[strcspn(pass, "\n")] = '\0';
    signal(SIGPIPE, SIG_IGN);
    if (!login(path, user, pass)) return 2;
    secret_wipe(pass, sizeof pass);
    if (strcmp(mode, "crash") == 0) return crash_mode(path);
    if (strcmp(mode, "once") == 0) { /* a failed write ends it the way a person quits: logged out, closed */
        struct sigaction sa = {.sa_handler = ask_pause, .sa_flags = SA_RESTART};
        sigemptyset(&sa.sa_mask);
        (void)sigaction(SIGUSR1, &sa, NULL);
        int rc = write_forever();
        session_end(me);
        db_close(&db);
        return rc;
    }
    if (strcmp(mode, "load") == 0 && argc > 5) return load_mode(strtol(argv[5], NULL, 10));
    fprintf(stderr, "writer: unknown mode %s\n", mode);
    return 2;
}
