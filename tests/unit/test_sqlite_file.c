/* The SQLite backend's check that the file at the path is still the one a connection opened (sqlite_file.h),
 * driven step by step on real files, so that the order of a checkpoint and a copy over the path is chosen
 * rather than hoped for (store_faults.sh copies under a writing desk, where the order is luck):
 *  - a checkpoint alone (passive, or one that restarts the log), by this connection or another, is not taken
 *    for a copy;
 *  - a checkpoint held back by a reader's snapshot, which leaves an older page 1 than the log's last, is not a
 *    copy (a first check of the header against the log's copies of page 1 stopped four desks writing so);
 *  - a copy with no checkpoint between is found, as before; a touch (times only) is not a copy;
 *  - a file moved over the path between this connection's checkpoint and the mark it takes after it is still
 *    found moved, and the mark keeps the identity of the file opened (store_faults' "mv over the path" lost the
 *    old file's last commits about one run in three: the mark took the moved-in file's inode, and the old file,
 *    looked for by that inode among the open files, was never saved);
 *  - a copy made between this connection's checkpoint and its next commit, which restarts the log, was taken for a
 *    checkpoint's write (the log's generation moved): it is found when the file is asked against what the last
 *    checkpoint left (the store's DB-mark; here the test's own record), and was not without;
 *  - the guard (sqlite_guard.h): a copy over the path made in the middle of a checkpoint, between two of its
 *    writes, stops the checkpoint, and the copy is left byte for byte as it was put there (CI saw the checkpoint
 *    go on writing into such a copy and damage it); without the guard it is damaged; a guarded checkpoint with
 *    no copy is never stopped.
 * Everything happens in a directory made with mkdtemp and removed afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sqlite_file.h"
#include "sqlite_guard.h"

static char dir[64], path[96], other[96];

static void exec_ok(sqlite3 *c, const char *sql) {
    char *msg = NULL;
    int rc = sqlite3_exec(c, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

static sqlite3 *open_wal(const char *p) {
    sqlite3 *c = NULL;
    assert_int_equal(sqlite3_open(p, &c), SQLITE_OK);
    exec_ok(c, "PRAGMA journal_mode = WAL");
    (void)sqlite3_wal_autocheckpoint(c, 0); /* checkpoints only where the test runs them */
    return c;
}

/* Rows that grow the file, so that each commit writes page 1 (its size field) into the log. */
static void grow(sqlite3 *c, int rows) {
    exec_ok(c, "BEGIN");
    for (int i = 0; i < rows; i++) exec_ok(c, "INSERT INTO t VALUES (randomblob(3000))");
    exec_ok(c, "COMMIT");
}

/* OTHER's bytes written into the file `to` opened with flags */
static void copy_into(const char *to, int flags) {
    int in = open(other, O_RDONLY), out = open(to, flags, 0600);
    assert_true(in >= 0 && out >= 0);
    char buf[8192];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) assert_int_equal(write(out, buf, (size_t)n), n);
    close(in);
    close(out);
}

/* cp OTHER PATH: the same inode, truncated and written */
static void copy_over(void) { copy_into(path, O_WRONLY | O_TRUNC); }

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/triage-sqfile.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/a.db", dir);
    snprintf(other, sizeof other, "%s/other.db", dir);
    /* another database of the same schema (an older backup's shape), its rows its own */
    sqlite3 *o = NULL;
    assert_int_equal(sqlite3_open(other, &o), SQLITE_OK);
    exec_ok(o, "CREATE TABLE t(x BLOB); INSERT INTO t VALUES (randomblob(3000)); INSERT INTO t VALUES (1)");
    sqlite3_close(o);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static sqlite3 *fresh(void) {
    unlink(path);
    char p[128];
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    sqlite3 *c = open_wal(path);
    exec_ok(c, "CREATE TABLE t(x BLOB)");
    grow(c, 4);
    assert_int_equal(sqlite3_wal_checkpoint_v2(c, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL), SQLITE_OK);
    return c;
}

static void checkpoints_are_not_copies(void **state) {
    (void)state;
    sqlite3 *a = fresh();
    dbfile_mark m = {0};
    assert_true(dbfile_mark_take(a, path, &m));
    grow(a, 5);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME); /* commits only: the file is untouched */
    assert_int_equal(sqlite3_wal_checkpoint_v2(a, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), SQLITE_OK);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME); /* its own passive checkpoint */
    grow(a, 3);                                                /* restarts the log: a new generation */
    assert_int_equal(sqlite3_wal_checkpoint_v2(a, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), SQLITE_OK);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    /* another desk's commits and checkpoints, passive then truncating */
    sqlite3 *b = open_wal(path);
    grow(b, 6);
    assert_int_equal(sqlite3_wal_checkpoint_v2(b, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), SQLITE_OK);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    grow(b, 2);
    assert_int_equal(sqlite3_wal_checkpoint_v2(b, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL), SQLITE_OK);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    grow(a, 2);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    sqlite3_close(b);
    sqlite3_close(a);
}

/* A reader's old snapshot holds a checkpoint back: a page whose newest frame is past what it may write is not
 * written at all, not even an older frame of it (the file keeps an older page 1 than the log's last one below
 * the backfill): not a copy (four desks writing took it for one: make test, test_durability). */
static void a_held_back_checkpoint_is_not_a_copy(void **state) {
    (void)state;
    sqlite3 *a = fresh();
    dbfile_mark m = {0};
    assert_true(dbfile_mark_take(a, path, &m));
    sqlite3 *r = open_wal(path);
    grow(a, 3);
    exec_ok(r, "BEGIN");
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(r, "SELECT count(*) FROM t", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW); /* a snapshot at this point */
    grow(a, 3);
    assert_int_equal(sqlite3_wal_checkpoint_v2(a, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), SQLITE_OK);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    sqlite3_finalize(st);
    exec_ok(r, "COMMIT");
    grow(a, 2);
    assert_int_equal(sqlite3_wal_checkpoint_v2(a, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), SQLITE_OK);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    sqlite3_close(r);
    sqlite3_close(a);
}

/* touch: the times move, no byte does. Taken for a copy, the desk emptied its log (its commits lost) and stopped
 * (attacker round 14). */
static void a_touch_is_not_a_copy(void **state) {
    (void)state;
    sqlite3 *a = fresh();
    dbfile_mark m = {0};
    assert_true(dbfile_mark_take(a, path, &m));
    grow(a, 2);
    struct timespec later[2] = {{0, UTIME_OMIT}, {0, 0}};
    clock_gettime(CLOCK_REALTIME, &later[1]);
    later[1].tv_sec += 7;
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    assert_int_equal(sqlite3_wal_checkpoint_v2(a, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), SQLITE_OK);
    later[1].tv_sec += 7;
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    grow(a, 1);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    sqlite3_close(a);
}

static void copy_without_a_checkpoint_is_found(void **state) {
    (void)state;
    sqlite3 *a = fresh();
    dbfile_mark m = {0};
    assert_true(dbfile_mark_take(a, path, &m));
    grow(a, 2);
    copy_over();
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_OVERWRITTEN);
    sqlite3_close(a);
}

/* mv OTHER PATH: a new inode at the path, the opened one with no name left */
static void move_over(void) {
    char copy[128];
    snprintf(copy, sizeof copy, "%s/moved-in.db", dir);
    copy_into(copy, O_WRONLY | O_CREAT | O_TRUNC);
    assert_int_equal(rename(copy, path), 0);
}

static void a_move_before_the_take_is_still_found(void **state) {
    (void)state;
    sqlite3 *a = fresh();
    dbfile_mark m = {0};
    assert_true(dbfile_mark_take(a, path, &m));
    struct stat opened;
    assert_int_equal(stat(path, &opened), 0);
    grow(a, 3);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    assert_int_equal(sqlite3_wal_checkpoint_v2(a, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), SQLITE_OK);
    move_over(); /* between the checkpoint and the take that follows it */
    (void)dbfile_mark_take(a, path, &m);
    assert_true(m.dev == opened.st_dev && m.ino == opened.st_ino); /* still the file opened */
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_MOVED);
    sqlite3_close(a);
}

/* rm DB-wal under an open connection: it went on writing into a log nobody else could see (restore tryout 18) */
static void a_log_removed_is_found(void **state) {
    (void)state;
    sqlite3 *a = fresh();
    dbfile_mark m = {0};
    assert_true(dbfile_mark_take(a, path, &m));
    grow(a, 2);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    char wal[128];
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(unlink(wal), 0);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_LOG_GONE);
    assert_true(dbfile_log_current(a)); /* nobody began another log: its commits may still go into the file */
    (void)sqlite3_db_config(a, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_close(a);
}

/* The file as the last checkpoint left it, as the store's DB-mark keeps it: size and header. */
static struct {
    off_t size;
    unsigned char header[100];
} last_ckpt;

static void record_last_ckpt(void) {
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    last_ckpt.size = st.st_size;
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0 && pread(fd, last_ckpt.header, 100, 0) == 100);
    close(fd);
}

static bool as_last_ckpt(void *ctx, const char *p) {
    (void)ctx;
    struct stat st;
    unsigned char h[100];
    int fd = open(p, O_RDONLY);
    bool same = fd >= 0 && fstat(fd, &st) == 0 && st.st_size == last_ckpt.size && pread(fd, h, 100, 0) == 100 &&
                memcmp(h, last_ckpt.header, 100) == 0;
    if (fd >= 0) close(fd);
    return same;
}

static void copy_before_a_restart(bool asked) {
    sqlite3 *a = fresh();
    dbfile_mark m = {0};
    if (asked) m.explained = as_last_ckpt;
    assert_true(dbfile_mark_take(a, path, &m));
    grow(a, 3);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    assert_int_equal(sqlite3_wal_checkpoint_v2(a, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), SQLITE_OK);
    assert_true(dbfile_mark_take(a, path, &m)); /* its own checkpoint */
    record_last_ckpt();
    copy_over();
    grow(a, 1); /* the log complete: this commit restarts it */
    assert_int_equal(dbfile_check(a, path, &m), asked ? DBFILE_OVERWRITTEN : DBFILE_SAME);
    (void)sqlite3_db_config(a, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_close(a);
}

static void a_copy_before_a_restart_is_found_when_asked(void **state) {
    (void)state;
    copy_before_a_restart(true);
}

static void a_copy_before_a_restart_passes_unasked(void **state) {
    (void)state;
    copy_before_a_restart(false);
}

/* Asked, a checkpoint by another connection that the record explains is still no copy. */
static void another_checkpoint_explained_is_not_a_copy(void **state) {
    (void)state;
    sqlite3 *a = fresh();
    dbfile_mark m = {.explained = as_last_ckpt};
    assert_true(dbfile_mark_take(a, path, &m));
    sqlite3 *b = open_wal(path);
    for (int round = 0; round < 4; round++) {
        grow(b, 4);
        assert_int_equal(sqlite3_wal_checkpoint_v2(b, NULL, round % 2 ? SQLITE_CHECKPOINT_TRUNCATE
                                                                       : SQLITE_CHECKPOINT_PASSIVE, NULL, NULL),
                         SQLITE_OK);
        record_last_ckpt(); /* as every triage checkpoint records it */
        grow(a, 1);
        assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    }
    sqlite3_close(b);
    sqlite3_close(a);
}

/* A VFS over the guard's that copies OTHER over the path just before the main file's write number `copy_at`
 * (counted from 0 while it is set; -1: never): a copy landing between two writes of a checkpoint. */
static sqlite3_vfs mid_vfs, *guard_vfs_p;
static sqlite3_io_methods mid_io;
static int (*guarded_write)(sqlite3_file *, const void *, int, sqlite3_int64);
static int copy_at = -1, writes_seen;

static int mid_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 at) {
    if (copy_at >= 0 && writes_seen++ == copy_at) copy_over();
    return guarded_write(f, buf, n, at);
}

static int mid_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out) {
    (void)vfs;
    int rc = guard_vfs_p->xOpen(guard_vfs_p, name, f, flags, out);
    if (f->pMethods && (flags & SQLITE_OPEN_MAIN_DB)) {
        mid_io = *f->pMethods;
        guarded_write = mid_io.xWrite;
        mid_io.xWrite = mid_write;
        f->pMethods = &mid_io;
    }
    return rc;
}

static sqlite3 *fresh_guarded(void) {
    sqlite3_close(fresh());
    if (!guard_vfs_p) {
        guard_vfs_p = sqlite3_vfs_find(dbguard_vfs());
        assert_non_null(guard_vfs_p);
        mid_vfs = *guard_vfs_p;
        mid_vfs.zName = "test-mid-copy";
        mid_vfs.xOpen = mid_open;
        assert_int_equal(sqlite3_vfs_register(&mid_vfs, 0), SQLITE_OK);
    }
    sqlite3 *c = NULL;
    assert_int_equal(sqlite3_open_v2(path, &c, SQLITE_OPEN_READWRITE, "test-mid-copy"), SQLITE_OK);
    exec_ok(c, "PRAGMA journal_mode = WAL");
    (void)sqlite3_wal_autocheckpoint(c, 0);
    exec_ok(c, "SELECT count(*) FROM t"); /* the file read, its -shm open: as the store takes its mark */
    return c;
}

/* Whether the file at the path holds OTHER's bytes exactly. */
static bool path_is_other(void) {
    FILE *a = fopen(path, "rb"), *b = fopen(other, "rb");
    bool same = a && b;
    int x = 0, y = 0;
    while (same && (x = fgetc(a)) == (y = fgetc(b)) && x != EOF) {}
    same = same && x == EOF && y == EOF;
    if (a) fclose(a);
    if (b) fclose(b);
    return same;
}

/* The checkpoint of 60 pages, copied over after its second write: guarded or not. */
static void copy_in_the_middle(bool guarded) {
    sqlite3 *a = fresh_guarded();
    dbfile_mark m = {0};
    assert_true(dbfile_mark_take(a, path, &m));
    grow(a, 60);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    if (guarded) assert_int_equal(dbguard_arm(a, (sqlite3_int64)m.size, m.header), DBGUARD_ARMED);
    copy_at = 2;
    writes_seen = 0;
    int rc = sqlite3_wal_checkpoint_v2(a, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    copy_at = -1;
    assert_true(writes_seen > 2); /* the copy was made */
    if (guarded) {
        assert_int_not_equal(rc, SQLITE_OK); /* stopped */
        assert_true(dbguard_disarm(a));
        assert_true(dbguard_take_trip());
        assert_true(path_is_other()); /* the copy as it was put there */
    } else {
        assert_int_equal(rc, SQLITE_OK);
        assert_false(path_is_other()); /* the old file's pages written into it */
    }
    (void)sqlite3_db_config(a, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_close(a);
}

static void a_copy_inside_a_checkpoint_stops_it(void **state) {
    (void)state;
    copy_in_the_middle(true);
}

static void unguarded_the_copy_is_damaged(void **state) {
    (void)state;
    copy_in_the_middle(false);
}

/* Armed, with no copy: checkpoints passive, restarting and truncating, its own and between them another
 * connection's commits, are never refused, and the file stays sound. */
static void a_guarded_checkpoint_alone_is_never_stopped(void **state) {
    (void)state;
    sqlite3 *a = fresh_guarded();
    dbfile_mark m = {0};
    assert_true(dbfile_mark_take(a, path, &m));
    sqlite3 *b = open_wal(path);
    static const int modes[] = {SQLITE_CHECKPOINT_PASSIVE, SQLITE_CHECKPOINT_RESTART, SQLITE_CHECKPOINT_TRUNCATE};
    for (int round = 0; round < 9; round++) {
        grow(round % 2 ? b : a, 5 + round);
        exec_ok(a, round % 3 ? "DELETE FROM t WHERE rowid % 3 = 0" : "UPDATE t SET x = randomblob(2000)");
        assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
        assert_int_equal(dbguard_arm(a, (sqlite3_int64)m.size, m.header), DBGUARD_ARMED);
        assert_int_equal(sqlite3_wal_checkpoint_v2(a, NULL, modes[round % 3], NULL, NULL), SQLITE_OK);
        assert_false(dbguard_disarm(a));
        assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME);
    }
    assert_false(dbguard_take_trip());
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(a, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(b);
    sqlite3_close(a);
}

/* A file already copied over when the guard is armed: not armed, said (the caller's check decides). */
static void a_copy_before_the_arm_is_said(void **state) {
    (void)state;
    sqlite3 *a = fresh_guarded();
    dbfile_mark m = {0};
    assert_true(dbfile_mark_take(a, path, &m));
    grow(a, 3);
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_SAME); /* past the log's restart, as after each commit */
    copy_over();
    assert_int_equal(dbguard_arm(a, (sqlite3_int64)m.size, m.header), DBGUARD_DIFFERS);
    assert_false(dbguard_disarm(a));
    assert_int_equal(dbfile_check(a, path, &m), DBFILE_OVERWRITTEN);
    (void)sqlite3_db_config(a, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    sqlite3_close(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checkpoints_are_not_copies),
        cmocka_unit_test(a_held_back_checkpoint_is_not_a_copy),
        cmocka_unit_test(a_touch_is_not_a_copy),
        cmocka_unit_test(copy_without_a_checkpoint_is_found),
        cmocka_unit_test(a_move_before_the_take_is_still_found),
        cmocka_unit_test(a_log_removed_is_found),
        cmocka_unit_test(a_copy_before_a_restart_is_found_when_asked),
        cmocka_unit_test(a_copy_before_a_restart_passes_unasked),
        cmocka_unit_test(another_checkpoint_explained_is_not_a_copy),
        cmocka_unit_test(a_copy_inside_a_checkpoint_stops_it),
        cmocka_unit_test(unguarded_the_copy_is_damaged),
        cmocka_unit_test(a_guarded_checkpoint_alone_is_never_stopped),
        cmocka_unit_test(a_copy_before_the_arm_is_said),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
