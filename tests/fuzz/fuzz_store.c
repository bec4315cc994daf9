/* Rows of the database as someone with write access to the file may leave them, read back through the
 * store (store_ops) and the records layer of a logged-in session: sealed client fields, intake bodies and
 * notes, drafts, the clear columns beside them, and a staff member's key material (read, not unlocked:
 * fuzz_unwrap does that). Input: one byte choosing the column (and NULL instead of the value when the
 * column allows it), then the value (blob, text, or an integer from its first 8 bytes), written with CHECK
 * constraints off. Whatever is there must be refused or reported as tampering, never crash; the row is put
 * back after each input. The database lives in /dev/shm when it can (every audit entry is an fsync). */
#include <sqlite3.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "records.h"
#include "intake_store.h"
#include "secret.h"
#include "session.h"
#include "fuzz_common.h"
#include "fuzz_sodium.h"

#define PASS "fuzz-passphrase-1"

typedef enum { T_BLOB, T_TEXT, T_INT } col_type;
typedef enum { R_CLIENT, R_INTAKE, R_DRAFT, R_STAFF } reader;
static const struct {
    const char *table, *column;
    col_type type;
    bool nullable;
    reader read;
} cols[] = {
    {"clients", "name_ct", T_BLOB, false, R_CLIENT},      {"clients", "phone_ct", T_BLOB, true, R_CLIENT},
    {"clients", "birth_ct", T_BLOB, true, R_CLIENT},      {"clients", "created_at", T_INT, false, R_CLIENT},
    {"clients", "created_by", T_TEXT, false, R_CLIENT},   {"intakes", "body_ct", T_BLOB, false, R_INTAKE},
    {"intakes", "notes_ct", T_BLOB, true, R_INTAKE},      {"intakes", "level", T_TEXT, false, R_INTAKE},
    {"intakes", "suggested", T_TEXT, true, R_INTAKE},     {"intakes", "created_at", T_INT, false, R_INTAKE},
    {"drafts", "body_ct", T_BLOB, false, R_DRAFT},        {"drafts", "updated_at", T_INT, false, R_DRAFT},
    {"staff", "wrapped_secret", T_BLOB, false, R_STAFF},  {"staff", "sealed_data_key", T_BLOB, false, R_STAFF},
    {"staff", "public_key", T_BLOB, false, R_STAFF},      {"staff", "kdf_salt", T_BLOB, false, R_STAFF},
    {"staff", "kdf_alg", T_INT, false, R_STAFF},          {"staff", "kdf_ops", T_INT, false, R_STAFF},
    {"staff", "kdf_mem", T_INT, false, R_STAFF},          {"staff", "role", T_TEXT, false, R_STAFF},
    {"staff", "failed_logins", T_INT, false, R_STAFF},
};
#define N_COLS (sizeof cols / sizeof cols[0])

static char dir[64], path[128];
static database db;
static session *s;
static sqlite3 *raw;
static char client_id[STORE_ID_LEN], intake_id[STORE_ID_LEN], draft_id[STORE_ID_LEN];
static sqlite3_value *saved[N_COLS];

/* core/base/ids.c takes its ids from libuuid; this definition takes precedence over the shared library's, so
 * that the row ids, which every sealed value is bound to, are the same in every run and the seeds open. */
void uuid_generate_random(uuid_t out) {
    fuzz_rng_buf(out, 16);
    out[6] = (unsigned char)((out[6] & 0x0f) | 0x40);
    out[8] = (unsigned char)((out[8] & 0x3f) | 0x80);
}

static const char *row_of(unsigned c) {
    switch (cols[c].read) {
    case R_CLIENT: return client_id;
    case R_INTAKE: return intake_id;
    case R_DRAFT: return draft_id;
    case R_STAFF: return s->me.id;
    }
    return "";
}

/* Writes v (or NULL) into column c of its row; false when SQLite refuses it (NOT NULL, STRICT types). */
static bool put(unsigned c, const sqlite3_value *v, const uint8_t *data, size_t size, bool null) {
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?1 WHERE id = ?2", cols[c].table, cols[c].column);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK) abort();
    if (v) sqlite3_bind_value(st, 1, v);
    else if (null) sqlite3_bind_null(st, 1);
    else if (cols[c].type == T_BLOB) sqlite3_bind_blob(st, 1, size ? data : (const void *)"", (int)size, SQLITE_TRANSIENT);
    else if (cols[c].type == T_TEXT) sqlite3_bind_text(st, 1, (const char *)data, (int)size, SQLITE_TRANSIENT);
    else {
        int64_t x = 0;
        memcpy(&x, data, size < 8 ? size : 8);
        sqlite3_bind_int64(st, 1, x);
    }
    sqlite3_bind_text(st, 2, row_of(c), -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

static void cleanup(void) {
    session_end(s);
    db_close(&db);
    sqlite3_close(raw);
    char f[160];
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) snprintf(f, sizeof f, "%s%s", path, suffix[i]), unlink(f);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    fuzz_deterministic_sodium();
    error err = {0};
    int wait;
    snprintf(dir, sizeof dir, "%s/triage-fuzz-store.XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!vault_init() || !mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/t.db", dir);
    db_settings set = {5000, KDF_INTERACTIVE, 5, 8, "", ""};
    intake_input in = {NULL, "red", NULL, NULL, "{\"answers\":{\"phq9\":[2,2,3,2,1,2,1,1,1]}}", "a note", NULL, false, NULL};
    if (!db_open(&db, path, true, &set, &err) ||
        !db_initialise(&db, "admin", PASS, strlen(PASS), &err) ||
        session_login(&db, "admin", PASS, strlen(PASS), &s, &wait, &err) != LOGIN_OK ||
        !client_create(s, "Li Jing", "13800138000", "1990-02-03", client_id, &err) ||
        !(in.client_id = client_id, intake_save(s, &in, intake_id, &err)) ||
        !draft_save(s, draft_id, "{\"version\":1}", &err)) {
        fprintf(stderr, "fuzz_store: setting up %s: %s\n", path, err.msg);
        abort();
    }
    if (sqlite3_open(path, &raw) != SQLITE_OK ||
        sqlite3_exec(raw, "PRAGMA ignore_check_constraints = 1; PRAGMA busy_timeout = 5000", NULL, NULL, NULL) != SQLITE_OK)
        abort();
    for (unsigned c = 0; c < N_COLS; c++) { /* the values to put back */
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = ?1", cols[c].column, cols[c].table);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK) abort();
        sqlite3_bind_text(st, 1, row_of(c), -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW) abort();
        saved[c] = sqlite3_value_dup(sqlite3_column_value(st, 0));
        sqlite3_finalize(st);
        /* a seed per column: its selector byte and the value as stored */
        uint8_t seed[4096] = {(uint8_t)c};
        size_t n = 0;
        if (cols[c].type == T_INT) {
            int64_t x = sqlite3_value_int64(saved[c]);
            memcpy(seed + 1, &x, n = 8);
        } else {
            n = (size_t)sqlite3_value_bytes(saved[c]);
            if (n > sizeof seed - 1) abort();
            if (n) memcpy(seed + 1, cols[c].type == T_BLOB ? sqlite3_value_blob(saved[c]) : sqlite3_value_text(saved[c]), n);
        }
        char name[64];
        snprintf(name, sizeof name, "%s.%s", cols[c].table, cols[c].column);
        fuzz_write_seed(name, seed, n + 1);
    }
    atexit(cleanup);
    return 0;
}

static void read_back(unsigned c) {
    error err = {0};
    switch (cols[c].read) {
    case R_CLIENT: {
        client_plain cp;
        if (client_open(s, client_id, &cp, &err)) client_plain_free(&cp);
        client_plain *list = NULL;
        int n = 0;
        if (client_find(s, "Li Jing", &list, &n, &err)) client_list_free(list, n);
        break;
    }
    case R_INTAKE: {
        intake_rec meta;
        char *body = NULL, *notes = NULL;
        if (intake_open(s, intake_id, &meta, &body, &notes, &err)) {
            intake_rec_free(&meta);
            secret_free(body);
            secret_free(notes);
        }
        break;
    }
    case R_DRAFT: {
        char id[STORE_ID_LEN] = "", *body = NULL;
        bool found;
        if (draft_resume(s, id, &body, &found, &err)) secret_free(body);
        break;
    }
    case R_STAFF: {
        staff_rec r;
        (void)db.ops->staff_by_name(db.st, "admin", &r);
        staff_rec *list = NULL;
        int n = 0;
        if (db.ops->staff_list(db.st, &list, &n) == ST_OK) free(list);
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned c = data[0] % N_COLS;
    bool null = cols[c].nullable && (data[0] / N_COLS) % 2;
    if (put(c, NULL, data + 1, size - 1, null)) read_back(c);
    if (!put(c, saved[c], NULL, 0, false)) abort();
    return 0;
}
