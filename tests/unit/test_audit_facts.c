/* audit_facts_of resumes from its cached head (issue 12): what the signed trail says of each member (roles,
 * locks, removals, every signing key, the clinical key's pin) is found once, and when the trail grows only the
 * new entries are read. These tests hold it to two things:
 *   - the facts after many incremental steps (staff added, promoted, demoted, locked, unlocked, given a new
 *     passphrase, removed; failed logins written without a login and witnessed; notes sealed) are exactly the
 *     facts of a whole walk of the same trail, and each step read only the entries it added;
 *   - a trail rewritten behind the cached head (an entry edited, the chain recomputed after it) is walked whole
 *     again and its problem named, as verify would; so is a new entry that does not check.
 * A database of its own per test, in a directory made with mkdtemp under /tmp, removed at the end. Run from the
 * repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "audit.h"
#include "db.h"
#include "intake_store.h"
#include "records.h"
#include "session.h"
#include "util.h"
#include "vault.h"

#define ADMIN_PASS "admin-passphrase-1"
#define PASS "member-passphrase-1"

static const db_settings SETTINGS = {5000, KDF_INTERACTIVE, 3, 8, "", ""};
static char dir[64], path[160];
static database db;
static session *admin;
static error msg = {0};

#define OK(call)                                                                                              \
    do {                                                                                                      \
        msg.msg[0] = '\0';                                                                                    \
        if (!(call)) fail_msg("%s failed: %s", #call, msg.msg);                                               \
    } while (0)

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* The facts as one text (every field, every key in hex), to compare a resumed cache with a whole walk. */
static char *facts_text(const audit_facts *f) {
    assert_non_null(f);
    size_t cap = 4096 + (size_t)f->n * 1024, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    n += (size_t)snprintf(out + n, cap - n, "complete=%d problem=[%s] clinical=%lld [%s]\n", f->complete, f->problem,
                          (long long)f->clinical_seq, f->clinical_detail);
    for (int i = 0; i < f->n; i++) {
        const audit_member_facts *m = &f->m[i];
        n += (size_t)snprintf(out + n, cap - n, "%s added=%d removed=%d locked=%d role=%d/%d keys=%d", m->id, m->added,
                              m->removed, m->locked, m->has_role, (int)m->role, m->nkeys);
        for (int k = 0; k < m->nkeys && k < 8; k++) {
            char hex[2 * VAULT_SIGN_PK_BYTES + 1];
            hex_encode(m->keys[k], VAULT_SIGN_PK_BYTES, hex);
            n += (size_t)snprintf(out + n, cap - n, " %.16s", hex);
        }
        n += (size_t)snprintf(out + n, cap - n, "\n");
    }
    return out;
}

static int64_t trail_end(void) {
    audit_rec last;
    assert_int_equal(db.ops->audit_last(db.st, &last), ST_OK);
    return last.seq;
}

/* The cached facts against a whole walk of the same trail (which then becomes the cache). */
static void same_as_whole(const char *when) {
    char *resumed = facts_text(audit_facts_of(&db));
    audit_facts_forget();
    char *whole = facts_text(audit_facts_of(&db));
    if (strcmp(resumed, whole) != 0) fail_msg("after %s the resumed facts\n%s differ from a whole walk's\n%s", when, resumed, whole);
    free(resumed);
    free(whole);
}

/* One step's facts: read incrementally (no more entries than the step appended, and the anchor). */
static void step_read(int64_t before, const char *what) {
    const audit_facts *f = audit_facts_of(&db);
    assert_non_null(f);
    int64_t added = trail_end() - before, walked = audit_facts_walked();
    if (walked > added + 1)
        fail_msg("%s appended %lld entries, but the facts read %lld: the trail was walked whole", what, (long long)added,
                 (long long)walked);
    if (!f->complete) fail_msg("%s: the facts are incomplete: %s", what, f->problem);
}

static void save_note(session *s) {
    char cid[STORE_ID_LEN], iid[STORE_ID_LEN];
    OK(client_create(s, "Facts Person", "555 0100", "1990-01-01", cid, &msg));
    intake_input in = {cid, "yellow", NULL, NULL, "{\"answers\":{}}", "a short note", NULL, false, NULL};
    OK(intake_save(s, &in, iid, &msg));
}

static void failed_login(const char *name) {
    session *s = NULL;
    int wait = 0;
    msg.msg[0] = '\0';
    assert_int_not_equal(session_login(&db, name, "not-the-passphrase", 18, &s, &wait, &msg), LOGIN_OK);
}

/* Each test on a database of its own (the attacks leave their trail tampered with). */
static int setup(void **state) {
    (void)state;
    static int n;
    error e = {0};
    snprintf(path, sizeof path, "%s/facts-%d.db", dir, ++n);
    int wait;
    audit_facts_forget();
    if (!db_open(&db, path, true, &SETTINGS, &e) || !db_initialise(&db, "admin", ADMIN_PASS, strlen(ADMIN_PASS), &e) ||
        session_login(&db, "admin", ADMIN_PASS, strlen(ADMIN_PASS), &admin, &wait, &e) != LOGIN_OK) {
        print_error("setup: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state) {
    (void)state;
    session_end(admin);
    db_close(&db);
    return 0;
}

static int group_setup(void **state) {
    (void)state;
    if (!vault_init()) return -1;
    snprintf(dir, sizeof dir, "/tmp/triage-facts-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state) {
    (void)state;
    (void)nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/* Many steps, each read incrementally; the facts at the end, and after a few single steps, are a whole walk's. */
static void t_resumed_equals_whole(void **state) {
    (void)state;
    audit_facts_forget();
    assert_non_null(audit_facts_of(&db));
    assert_true(audit_facts_walked() > 0);
    int64_t before = trail_end();
    assert_non_null(audit_facts_of(&db));
    assert_int_equal(audit_facts_walked(), 0); /* nothing changed: nothing read */

#define STEP(call, what)                                                                                      \
    do {                                                                                                      \
        before = trail_end();                                                                                 \
        call;                                                                                                 \
        step_read(before, what);                                                                              \
    } while (0)
    STEP(OK(staff_add(admin, "rita", ROLE_RECEPTION, PASS, strlen(PASS), &msg)), "staff_add reception");
    STEP(OK(staff_add(admin, "cleo", ROLE_CLINICIAN, PASS, strlen(PASS), &msg)), "staff_add clinician");
    STEP(save_note(admin), "a note sealed");
    STEP(failed_login("rita"), "a failed login (unsigned)");
    STEP(failed_login("cleo"), "a second failed login (unsigned)");
    STEP(save_note(admin), "a note sealed after unsigned entries (witnessed)");
    STEP(OK(staff_set_role(admin, "rita", ROLE_CLINICIAN, &msg)), "rita promoted");
    STEP(OK(staff_set_role(admin, "cleo", ROLE_RECEPTION, &msg)), "cleo demoted (the clinical key rotated)");
    STEP(OK(staff_reset_passphrase(admin, "rita", "rita-new-passphrase-1", 21, &msg)), "rita's passphrase reset (a new key)");
    STEP(OK(staff_set_locked(admin, "rita", true, &msg)), "rita locked");
    STEP(OK(staff_set_locked(admin, "rita", false, &msg)), "rita unlocked");
    STEP(save_note(admin), "a note sealed");
    STEP(OK(staff_remove(admin, "cleo", &msg)), "cleo removed");
    same_as_whole("thirteen incremental steps");

    /* single steps, each compared with a whole walk */
    STEP(OK(staff_add(admin, "dana", ROLE_SUPERVISOR, PASS, strlen(PASS), &msg)), "staff_add supervisor");
    same_as_whole("a supervisor added");
    STEP(failed_login("dana"), "a failed login");
    same_as_whole("a failed login at the trail's end (an unwitnessed run)");
    STEP(save_note(admin), "a note sealed");
    same_as_whole("a note sealed after it");
    STEP(OK(staff_reset_passphrase(admin, "dana", "dana-new-passphrase-1", 21, &msg)), "dana's passphrase reset");
    same_as_whole("a passphrase reset");
#undef STEP
    const audit_facts *f = audit_facts_of(&db);
    staff_rec r;
    assert_int_equal(db.ops->staff_by_name(db.st, "rita", &r), ST_OK);
    const audit_member_facts *m = audit_facts_member(f, r.id);
    assert_non_null(m);
    assert_int_equal(m->role, ROLE_CLINICIAN);
    assert_int_equal(m->nkeys, 2); /* enrolment and reset */
    assert_false(m->locked);
    assert_true(f->clinical_seq > 0);
}

typedef struct {
    audit_rec *v;
    int n, cap;
} alist;

static int alist_add(void *ctx, const audit_rec *e) {
    alist *a = ctx;
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->v = realloc(a->v, sizeof *a->v * (size_t)a->cap);
        if (!a->v) return 1;
    }
    a->v[a->n++] = *e;
    return 0;
}

static sqlite3 *attacker_open(void) {
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    return h;
}

static void attacker_exec(sqlite3 *h, const char *sql) {
    char *e = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &e) != SQLITE_OK) fail_msg("%s: %s", sql, e ? e : "?");
}

/* The chained format (schema 14: every entry of a database created now): the entry's bytes, then the signature of
 * the entry before it, marked present or absent, and (a signed entry) the hash of its writer's newest signed entry
 * among the first n of list (own_in). */
static const unsigned char *own_in(const audit_rec *list, int n, const char *staff_id) {
    for (int i = n - 1; i >= 0; i--)
        if (list[i].has_sig && !strcmp(list[i].staff_id, staff_id)) return list[i].hash;
    return NULL;
}

static void chain_hash(const audit_rec *prev, const unsigned char *own, audit_rec *e) {
    char buf[1024];
    int bl = snprintf(buf, sizeof buf, "%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s", (long long)e->seq, (long long)e->at,
                      e->staff_id, e->action, e->object_id, e->detail);
    size_t n = (size_t)bl;
    buf[n++] = '\x1f';
    buf[n++] = prev->has_sig ? 1 : 0;
    if (prev->has_sig) memcpy(buf + n, prev->sig, VAULT_SIG_BYTES);
    n += prev->has_sig ? VAULT_SIG_BYTES : 0;
    if (e->has_sig) {
        buf[n++] = '\x1f';
        buf[n++] = own ? 1 : 0;
        if (own) memcpy(buf + n, own, VAULT_MAC_BYTES);
        n += own ? VAULT_MAC_BYTES : 0;
    }
    vault_chain_hash(prev->hash, buf, n, e->hash);
}

/* The attacker's edit of the file between sessions: entry seq's detail changed and the chain's hashes recomputed
 * from there to the end (the signatures cannot be redone), the trigger that forbids it dropped and put back. */
static void rewrite_from(int64_t seq, const char *detail) {
    alist l = {0};
    assert_int_equal(db.ops->audit_each(db.st, alist_add, &l), ST_OK);
    sqlite3 *h = attacker_open();
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_master WHERE name = 'audit_no_update'", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *trigger = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    attacker_exec(h, "BEGIN; DROP TRIGGER audit_no_update;");
    for (int i = 0; i < l.n; i++) {
        audit_rec *e = &l.v[i];
        if (e->seq < seq) continue;
        if (e->seq == seq) snprintf(e->detail, sizeof e->detail, "%s", detail);
        chain_hash(&l.v[i - 1], own_in(l.v, i, e->staff_id), e);
        assert_int_equal(sqlite3_prepare_v2(h, "UPDATE audit SET detail = ?, hash = ? WHERE seq = ?", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_text(st, 1, e->detail, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, e->hash, VAULT_MAC_BYTES, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, e->seq);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    attacker_exec(h, trigger);
    attacker_exec(h, "COMMIT;");
    free(trigger);
    sqlite3_close(h);
    free(l.v);
}

/* The attacker appends an entry that chains correctly but whose signature is not its writer's: admin "making"
 * member_id a supervisor. */
static int64_t forge_role_entry(const char *member_id) {
    audit_rec last, e;
    assert_int_equal(db.ops->audit_last(db.st, &last), ST_OK);
    memset(&e, 0, sizeof e);
    e.seq = last.seq + 1;
    e.at = last.at + 1;
    snprintf(e.staff_id, sizeof e.staff_id, "%s", admin->me.id);
    snprintf(e.action, sizeof e.action, "staff_role");
    snprintf(e.object_id, sizeof e.object_id, "%s", member_id);
    snprintf(e.detail, sizeof e.detail, "supervisor");
    e.has_sig = true; /* with a signature that is not admin's */
    audit_rec mine;
    audit_link before;
    assert_int_equal(db.ops->audit_last_signed_by(db.st, admin->me.id, &mine, &before), ST_OK);
    chain_hash(&last, mine.hash, &e);
    unsigned char sig[VAULT_SIG_BYTES];
    memset(sig, 0x5a, sizeof sig);
    sqlite3 *h = attacker_open();
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "INSERT INTO audit(seq, at, staff_id, action, object_id, detail, hash, sig) "
                                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, e.seq);
    sqlite3_bind_int64(st, 2, e.at);
    sqlite3_bind_text(st, 3, e.staff_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e.action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e.object_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e.detail, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, e.hash, VAULT_MAC_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, sig, sizeof sig, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return e.seq;
}

static const char *member_id(const char *name) {
    static staff_rec r;
    assert_int_equal(db.ops->staff_by_name(db.st, name, &r), ST_OK);
    return r.id;
}

/* A new entry after the cached head that does not check (a forged signature raising a role) is not folded in:
 * the trail is walked whole and its facts (the entry passed over, the problem named) stand. */
static void t_bad_new_entry_walks_whole(void **state) {
    (void)state;
    OK(staff_add(admin, "ezra", ROLE_RECEPTION, PASS, strlen(PASS), &msg));
    const audit_facts *f = audit_facts_of(&db);
    assert_true(f->complete);
    char id[STORE_ID_LEN];
    snprintf(id, sizeof id, "%s", member_id("ezra"));
    int64_t forged = forge_role_entry(id);
    f = audit_facts_of(&db);
    assert_non_null(f);
    if (f->complete) fail_msg("a forged entry %lld was folded into the facts as sound", (long long)forged);
    const audit_member_facts *m = audit_facts_member(f, id);
    assert_non_null(m);
    assert_int_equal(m->role, ROLE_RECEPTION);
    char want[48];
    snprintf(want, sizeof want, "audit entry %lld", (long long)forged);
    if (!strstr(f->problem, want)) fail_msg("the problem \"%s\" does not name %s", f->problem, want);
    same_as_whole("a forged entry");
}

/* A rewrite behind the cached head (an earlier entry edited, the chain recomputed so that the trail hangs
 * together again, one more entry appended) is caught: the entry the cache ended at changed, so the trail is
 * walked whole and the rewrite named. */
static void t_rewrite_behind_head_walks_whole(void **state) {
    (void)state;
    audit_facts_forget();
    OK(staff_add(admin, "fern", ROLE_RECEPTION, PASS, strlen(PASS), &msg));
    const audit_facts *f = audit_facts_of(&db);
    assert_non_null(f);
    int64_t head = trail_end(), edited = head - 2;
    rewrite_from(edited, "clinician");
    failed_login("fern"); /* one more entry, unsigned, chained on the rewritten trail */
    f = audit_facts_of(&db);
    assert_non_null(f);
    if (audit_facts_walked() < head) fail_msg("only %lld entries read after a rewrite behind the head", (long long)audit_facts_walked());
    if (f->complete) fail_msg("the trail rewritten from entry %lld passed as sound", (long long)edited);
    char want[48];
    snprintf(want, sizeof want, "audit entry %lld", (long long)edited);
    if (!strstr(f->problem, want)) fail_msg("the problem \"%s\" does not name %s", f->problem, want);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_resumed_equals_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(t_bad_new_entry_walks_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(t_rewrite_behind_head_walks_whole, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
