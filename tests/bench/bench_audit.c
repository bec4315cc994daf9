/* make bench: the signed audit trail (issue 12).
 *
 *   1. login (session_login: Argon2id at the configured cost, the signing key derived, the login entry signed
 *      and the head checked) against vault_unlock alone (what a login cost before signatures, all but the
 *      audit write), at the interactive cost so that the runs are many
 *   2. one audit entry in its own transaction: signed (the writer's signature, the head checked and signed
 *      again) against the same entry unsigned (as written without a login: the chain hash only)
 *   3. intake_save (seal, insert, facts, signed audit, commit with fsync): the median, to compare with the
 *      0.386 ms measured before signatures (README "Measured")
 *   4. verify of the audit trail over N entries (default 1,000,000; TRIAGE_BENCH_AUDIT or the first
 *      argument): chain, signatures, roles, head                                      target: < 10 s
 *   5. a note sealed (intake_save with a note: the clinical key's pin is read from the trail's facts,
 *      audit_facts_of) on the N-entry trail, against the same save on a 100-entry trail in the same run: the
 *      facts resume from their cached head, so a save reads only the entries since the last one (issue 12).
 *      The first save after the N entries were appended reads them once; it is printed apart.
 *   6. the trail read for a member's newest staff_kdf entry (audit_kdf_matches), as a login does before deriving
 *      a wrap dearer than the desk's kdf_cost, on the N-entry trail
 * Everything happens in a directory made with mkdtemp under /tmp, removed at the end. */
#define BENCH_NAME "bench_audit"
#include "bench_common.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "clock.h"
#include "records.h"
#include "intake_store.h"
#include "session.h"
#include "util.h"

#define PASSPHRASE "bench passphrase 0123456789"
#define LOGINS 20
#define ENTRY_RUNS 400
#define SAVES 300
#define BATCH 20000

static database db;
static error err = {0};

static session *login_admin(void) {
    session *s = NULL;
    int wait = 0;
    if (session_login(&db, "admin", PASSPHRASE, strlen(PASSPHRASE), &s, &wait, &err) != LOGIN_OK)
        die("login", err.msg);
    return s;
}

static void bench_login(void) {
    double with[LOGINS], alone[LOGINS];
    staff_rec r;
    if (db.ops->staff_by_name(db.st, "admin", &r) != ST_OK) die("staff", "admin");
    for (int i = 0; i < LOGINS; i++) {
        double t0 = now_us();
        session *s = login_admin();
        with[i] = now_us() - t0;
        session_end(s);
        t0 = now_us();
        vault *v = vault_unlock(r.id, PASSPHRASE, strlen(PASSPHRASE), &r.keys, &err);
        alone[i] = now_us() - t0;
        if (!v) die("unlock", err.msg);
        vault_free(v);
    }
    stats a = summarise(with, LOGINS), b = summarise(alone, LOGINS);
    printf("login (interactive cost)          median %8.2f ms  p99 %8.2f ms   vault_unlock alone %8.2f ms  (+%.2f ms)\n",
           a.median / 1e3, a.p99 / 1e3, b.median / 1e3, (a.median - b.median) / 1e3);
    bench_row("login, signed audit entry (interactive Argon2id)", "1 staff", a.median / 1e3, a.p99 / 1e3, "ms",
              "vault_unlock alone", b.median / 1e3, "", -1);
}

static void bench_entry(session *s) {
    double sig[ENTRY_RUNS], plain[ENTRY_RUNS];
    for (int i = 0; i < ENTRY_RUNS; i++) {
        double t0 = now_us();
        if (!db_begin(&db, &err) || !audit_log(&db, s->v, s->me.id, "client_search", "", "1 result", &err) ||
            !db_commit(&db, &err))
            die("signed entry", err.msg);
        sig[i] = now_us() - t0;
        t0 = now_us();
        if (!db_begin(&db, &err) || !audit_log(&db, NULL, "", "login_failed", "", "unknown user", &err) ||
            !db_commit(&db, &err))
            die("unsigned entry", err.msg);
        plain[i] = now_us() - t0;
    }
    stats a = summarise(sig, ENTRY_RUNS), b = summarise(plain, ENTRY_RUNS);
    printf("audit entry, own transaction      median %8.3f ms  p99 %8.3f ms   unsigned %8.3f ms  (x%.2f)\n",
           a.median / 1e3, a.p99 / 1e3, b.median / 1e3, a.median / b.median);
    bench_row("audit entry alone (signed, head checked; commit)", "", a.median / 1e3, a.p99 / 1e3, "ms",
              "unsigned entry", b.median / 1e3, "", -1);
}

#define NOTE_SAVES 20

/* Median time of n (at most NOTE_SAVES) saves with a note (each seals it to the pinned clinical key). */
static stats note_saves(session *s, int n, double *first) {
    double t[NOTE_SAVES];
    for (int i = 0; i < n; i++) {
        char cid[STORE_ID_LEN], iid[STORE_ID_LEN];
        if (!client_create(s, "Bench Person", "555 0100", "1990-01-01", cid, &err)) die("client", err.msg);
        intake_input in = {cid, "yellow", NULL, NULL, "{\"answers\":{}}", "a short note", NULL, false, NULL};
        double t0 = now_us();
        if (!intake_save(s, &in, iid, &err)) die("save", err.msg);
        t[i] = now_us() - t0;
    }
    if (first) *first = t[0];
    return summarise(t, n);
}

static stats note_base;

/* The baseline: the trail padded to 100 entries, then saves with a note. */
static void bench_note_small(session *s) {
    audit_rec last;
    if (db.ops->audit_last(db.st, &last) != ST_OK) die("audit_last", "");
    for (int64_t k = last.seq; k < 100; k++)
        if (!db_begin(&db, &err) || !audit_log(&db, s->v, s->me.id, "client_search", "", "1 result", &err) ||
            !db_commit(&db, &err))
            die("pad", err.msg);
    note_base = note_saves(s, NOTE_SAVES, NULL);
    printf("note sealed, 100-entry trail       median %8.3f ms  p99 %8.3f ms\n", note_base.median / 1e3, note_base.p99 / 1e3);
}

static void bench_note_large(session *s) {
    audit_rec last;
    if (db.ops->audit_last(db.st, &last) != ST_OK) die("audit_last", "");
    double first = 0;
    stats a = note_saves(s, 10, &first); /* 10: before the cache resumed, each walked the whole trail */
    printf("note sealed, %lld-entry trail  median %8.3f ms  p99 %8.3f ms   first save %8.1f ms   100 entries: %8.3f ms\n",
           (long long)last.seq, a.median / 1e3, a.p99 / 1e3, first / 1e3, note_base.median / 1e3);
    char data[64];
    snprintf(data, sizeof data, "%lld audit entries", (long long)last.seq);
    bench_row("save an intake with a note (the clinical key's pin from the trail's facts)", data, a.median / 1e3,
              a.p99 / 1e3, "ms", "the same save on a 100-entry trail", note_base.median / 1e3, "", -1);
}

static void bench_kdf_scan(session *s) {
    double t[3];
    char why[400];
    for (int i = 0; i < 3; i++) {
        double t0 = now_us();
        if (audit_kdf_matches(&db, s->me.id, &s->me.keys.kdf, why, sizeof why) != 1) die("kdf", "no match");
        t[i] = now_us() - t0;
    }
    stats a = summarise(t, 3);
    printf("staff_kdf entry found (login, dearer wrap)   median %8.1f ms\n", a.median / 1e3);
    bench_row("a login's check of a dearer wrap against the trail (audit_kdf_matches)", "the same trail", a.median / 1e3,
              a.p99 / 1e3, "ms", "", 0, "", -1);
}

static void bench_save(session *s) {
    double t[SAVES];
    char body[2048];
    memset(body, 0, sizeof body);
    int n = snprintf(body, sizeof body, "{\"answers\":{\"phq9\":[1,2,1,0,1,2,1,0,0]},\"pad\":\"");
    while (n < 2000) body[n++] = 'x';
    snprintf(body + n, sizeof body - (size_t)n, "\"}");
    for (int i = 0; i < SAVES; i++) {
        char cid[STORE_ID_LEN], iid[STORE_ID_LEN];
        if (!client_create(s, "Bench Person", "555 0100", "1990-01-01", cid, &err)) die("client", err.msg);
        intake_input in = {cid, "yellow", NULL, NULL, body, "a short note", NULL, false, NULL};
        double t0 = now_us();
        if (!intake_save(s, &in, iid, &err)) die("save", err.msg);
        t[i] = now_us() - t0;
    }
    stats a = summarise(t, SAVES);
    printf("intake_save (signed audit entry)  median %8.3f ms  p99 %8.3f ms   (0.386 ms before signatures)\n",
           a.median / 1e3, a.p99 / 1e3);
    bench_row("save a completed intake (signed audit entry)", "", a.median / 1e3, a.p99 / 1e3, "ms",
              "before signatures (2026-11-24)", 0.386, "", -1);
}

/* N entries appended straight through the store, each hashed and signed by s as audit_log would, with the
 * head written at the end: building them through audit_log would check the head N times. */
static void build_trail(session *s, long n) {
    audit_rec last, mine;
    audit_link before;
    unsigned char own[VAULT_MAC_BYTES];
    if (db.ops->audit_last(db.st, &last) != ST_OK) die("audit_last", "");
    if (db.ops->audit_last_signed_by(db.st, s->me.id, &mine, &before) != ST_OK) die("audit_last_signed_by", "");
    memcpy(own, mine.hash, sizeof own);
    double t0 = now_us();
    for (long done = 0; done < n;) {
        if (!db_begin(&db, &err)) die("begin", err.msg);
        for (int k = 0; k < BATCH && done < n; k++, done++) {
            audit_rec r;
            memset(&r, 0, sizeof r);
            r.seq = last.seq + 1;
            r.at = clock_now();
            snprintf(r.staff_id, sizeof r.staff_id, "%s", s->me.id);
            snprintf(r.action, sizeof r.action, "client_search");
            snprintf(r.detail, sizeof r.detail, "%d results", k % 7);
            char buf[512];
            int bl = snprintf(buf, sizeof buf, "%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s", (long long)r.seq, (long long)r.at,
                              r.staff_id, r.action, r.object_id, r.detail);
            size_t n_bytes = (size_t)bl; /* the chained format (schema 14): the signature before, marked, and the */
            buf[n_bytes++] = '\x1f';       /* writer's own newest signed entry before it (all admin's here) */
            buf[n_bytes++] = last.has_sig ? 1 : 0;
            if (last.has_sig) memcpy(buf + n_bytes, last.sig, VAULT_SIG_BYTES);
            n_bytes += last.has_sig ? VAULT_SIG_BYTES : 0;
            buf[n_bytes++] = '\x1f';
            buf[n_bytes++] = 1;
            memcpy(buf + n_bytes, own, VAULT_MAC_BYTES);
            n_bytes += VAULT_MAC_BYTES;
            vault_chain_hash(last.hash, buf, n_bytes, r.hash);
            unsigned char m[64];
            memcpy(m, "triage-audit-v2", 15);
            memcpy(m + 15, r.hash, VAULT_MAC_BYTES);
            if (!vault_sign(s->v, m, 15 + VAULT_MAC_BYTES, r.sig)) die("sign", "");
            r.has_sig = true;
            if (db.ops->audit_append(db.st, &r) != ST_OK) die("append", db.ops->errmsg(db.st));
            last = r;
            memcpy(own, r.hash, sizeof own);
        }
        if (!db_commit(&db, &err)) die("commit", err.msg);
    }
    /* one entry through audit_log: it writes the head over the last of them */
    unsigned char m[128], head[8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES + STORE_ID_LEN];
    size_t l = strlen("triage-audit-head-v1");
    memcpy(m, "triage-audit-head-v1", l);
    for (int i = 0; i < 8; i++) m[l + (size_t)i] = (unsigned char)((uint64_t)last.seq >> (8 * i));
    memcpy(m + l + 8, last.hash, VAULT_MAC_BYTES);
    memcpy(head, m + l, 8 + VAULT_MAC_BYTES);
    if (!vault_sign(s->v, m, l + 8 + VAULT_MAC_BYTES, head + 8 + VAULT_MAC_BYTES)) die("head", "");
    size_t idl = strlen(s->me.id);
    memcpy(head + 8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES, s->me.id, idl);
    if (!db_begin(&db, &err) ||
        db.ops->meta_set(db.st, "audit_head", head, 8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES + idl) != ST_OK ||
        !audit_log(&db, s->v, s->me.id, "client_search", "", "last", &err) || !db_commit(&db, &err))
        die("head", err.msg);
    printf("built %ld signed entries in %.1f s\n", n, (now_us() - t0) / 1e6);
}

static void bench_verify(session *s, long n) {
    build_trail(s, n);
    audit_report r;
    double t0 = now_us();
    bool ok = audit_verify(&db, s->v, &r);
    double t = now_us() - t0;
    if (!ok) die("verify", r.problem);
    printf("verify of the audit trail         %lld entries (%lld signed) in %.2f s   target < 10 s: %s\n",
           (long long)r.entries, (long long)r.signed_entries, t / 1e6, t < 10e6 ? "met" : "NOT met");
    char data[64];
    snprintf(data, sizeof data, "%lld entries", (long long)r.entries);
    bench_row("verify the audit trail (chain, signatures, roles, head)", data, t / 1e6, t / 1e6, "s", "", 0, "< 10 s",
              t < 10e6 ? 1 : 0);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : getenv("TRIAGE_BENCH_AUDIT") ? atol(getenv("TRIAGE_BENCH_AUDIT")) : 1000000;
    make_tmpdir();
    char path[512];
    path_in(path, sizeof path, "audit.db");
    db_settings set = {5000, KDF_INTERACTIVE, 5, 8, "", ""};
    if (!db_open(&db, path, true, &set, &err)) die("open", err.msg);
    if (!db_initialise(&db, "admin", PASSPHRASE, strlen(PASSPHRASE), &err)) die("init", err.msg);
    printf("bench_audit: the signed audit trail (issue 12)\n");
    bench_login();
    session *s = login_admin();
    bench_note_small(s);
    bench_entry(s);
    bench_save(s);
    bench_verify(s, n);
    bench_note_large(s);
    bench_kdf_scan(s);
    session_end(s);
    db_close(&db);
    return 0;
}
